//! The edit forms' words, in English and Finnish.

use chrono::NaiveDate;

use super::Lang;
use crate::domain::phone::{PhoneError, Place};
use crate::domain::{Direction, InteractionKind, Source};

strings! {
    /// The edit forms' fixed words.
    pub(crate) struct FormStrings {
        new_customer = "New customer", "Uusi asiakas";
        edit_customer = "Edit", "Muokkaa";
        name = "Name", "Nimi";
        company = "Company", "Yritys";
        emails = "Emails", "Sähköpostit";
        phones = "Phones", "Puhelimet";
        address = "Address", "Osoite";
        city = "City", "Kaupunki";
        tags = "Tags", "Tunnisteet";
        source = "Source", "Lähde";
        referrer = "Referred by", "Suosituksen antaja";
        prospect = "Prospect", "Prospekti";
        /// The stage name of the glossary (SPEC section 2).
        advocate = "Advocate", "Suosittelija";
        marketing_consent = "Marketing consent", "Markkinointilupa";
        contact_every = "Contact every N days", "Yhteys N päivän välein";
        notes = "Notes", "Muistiinpanot";
        source_none = "not known", "ei tiedossa";
        source_offer = "offer", "tarjous";
        source_walk_in = "walk-in", "spontaani";
        source_referral = "referral", "suositus";
        source_campaign = "campaign", "kampanja";
        source_other = "other", "muu";
        no_referrer = "none (Space to choose)", "ei (välilyönti valitsee)";
        comma_separated = "comma-separated", "pilkuin eroteltuina";
        days_or_empty = "days, or empty", "päiviä, tai tyhjä";
        name_required = "a name is required", "nimi puuttuu";
        days_positive = "a whole number of days, 1 or more", "kokonainen määrä päiviä, vähintään 1";
        log_contact = "Log contact", "Kirjaa yhteydenotto";
        choose_kind = "Which kind of contact?", "Millainen yhteydenotto?";
        kind_call = "call", "puhelu";
        kind_email = "email", "sähköposti";
        kind_meeting = "meeting", "tapaaminen";
        kind_note = "note", "muistiinpano";
        text = "Text", "Teksti";
        direction = "Direction", "Suunta";
        direction_none = "not set", "ei merkitty";
        direction_in = "in", "saapuva";
        direction_out = "out", "lähtevä";
        follow_up_date = "Follow up on", "Seuranta";
        no_follow_up = "none", "ei";
        note_needs_text = "a note needs its text", "muistiinpano tarvitsee tekstin";
        new_order = "New order", "Uusi tilaus";
        edit_order = "Correct the order", "Korjaa tilaus";
        edit_contact = "Correct the contact", "Korjaa yhteydenotto";
        order_date = "Date", "Päivä";
        amount = "Amount", "Summa";
        amount_example = "12.50, -5 for a refund", "12,50; -5 on hyvitys";
        quantity = "Quantity", "Määrä";
        discount = "Discount", "Alennus";
        note = "Note", "Huomio";
        quantity_whole = "a whole number, or empty", "kokonaisluku, tai tyhjä";
        amount_required = "an amount is required", "summa puuttuu";
        amount_how_to =
            "not an amount: write it like 12.50 or -5",
            "ei summa: kirjoita esim. 12,50 tai -5";
        amount_decimals = "at most two decimals", "enintään kaksi desimaalia";
        amount_too_large =
            crate::domain::money::AMOUNT_TOO_LARGE,
            "yli 1 000 000 000,00, suurin summa, jonka kanta ottaa";
        new_follow_up = "New follow-up", "Uusi seuranta";
        due_date = "Due", "Päivä";
        reason = "Reason", "Syy";
        date = "Date", "Päivä";
        date_examples = "14.3., +1w, tomorrow", "14.3., +1w, huomenna";
        date_required = "a date is required", "päivä puuttuu";
        date_how_to =
            "not a date: 2026-03-14, 14.3.2026, 14.3., +3d, +1w, +2m, today",
            "ei päivä: 14.3.2026, 2026-03-14, 14.3., +3d, +1w, +2m, tänään";
        confirm = "Confirm", "Vahvista";
        discard_changes = "Discard changes? y/n", "Hylätäänkö muutokset? k/e";
        changed_elsewhere =
            "Changed elsewhere: r reload, o overwrite, Esc edit",
            "Muutettu muualla: r lataa, o korvaa, Esc muokkaa";
        key_reload =
            "after a change elsewhere: reload the customer as saved",
            "toisen muutoksen jälkeen: lataa asiakas tallennetussa muodossa";
        key_overwrite =
            "after a change elsewhere: save yours over it",
            "toisen muutoksen jälkeen: tallenna omasi päälle";
        key_next_field = "next field", "seuraava kenttä";
        key_save = "save", "tallenna";
        key_cancel = "cancel", "peru";
        key_toggle = "toggle, or next choice", "rasti tai seuraava valinta";
        key_choose = "change the choice", "vaihda valinta";
        key_pick_referrer = "choose the referrer", "valitse suosittelija";
        key_clear_referrer = "clear the referrer", "poista suosittelija";
        key_direction = "change the direction", "vaihda suunta";
        key_line_ends = "start or end of the text", "tekstin alkuun tai loppuun";
        key_word_move = "word left or right", "sana vasemmalle tai oikealle";
        key_delete_word = "delete the word before", "poista edellinen sana";
        key_delete_to_end = "delete to the end", "poista loppuun asti";
        key_delete_to_start = "delete to the start", "poista alkuun asti";
        key_yes = "yes", "kyllä";
        key_no = "no", "ei";
    }
}

/// A customer's source as the forms, the card and the cohorts' filter show
/// it (`walk-in` / `spontaani`); `None` is not known.
pub(crate) fn source_name(lang: Lang, source: Option<Source>) -> &'static str {
    let t = FormStrings::of(lang);
    match source {
        None => t.source_none,
        Some(Source::Offer) => t.source_offer,
        Some(Source::WalkIn) => t.source_walk_in,
        Some(Source::Referral) => t.source_referral,
        Some(Source::Campaign) => t.source_campaign,
        Some(Source::Other) => t.source_other,
    }
}

/// A contact's kind: `call`, `email`, `meeting`, `note`.
pub(crate) fn kind_name(lang: Lang, kind: InteractionKind) -> &'static str {
    let t = FormStrings::of(lang);
    match kind {
        InteractionKind::Call => t.kind_call,
        InteractionKind::Email => t.kind_email,
        InteractionKind::Meeting => t.kind_meeting,
        InteractionKind::Note => t.kind_note,
    }
}

/// A contact's direction; `None` is not set.
pub(crate) fn direction_name(lang: Lang, direction: Option<Direction>) -> &'static str {
    let t = FormStrings::of(lang);
    match direction {
        None => t.direction_none,
        Some(Direction::Inbound) => t.direction_in,
        Some(Direction::Outbound) => t.direction_out,
    }
}

/// Why a typed phone is refused: in English the very sentence an import
/// gives (`PhoneError`'s), in Finnish the same said in Finnish.
pub(crate) fn phone_problem(error: &PhoneError, lang: Lang) -> String {
    if lang == Lang::En {
        return error.to_string();
    }
    let place = |place: &Place| match place {
        Place::Home(country) => {
            format!("maassa {country} (ulkomaisen numeron alkuun + ja maatunnus)")
        }
        Place::Code(code) => format!("maatunnuksella +{code}"),
    };
    match error {
        PhoneError::NotANumber(w) => format!("{w:?} ei ole puhelinnumero"),
        PhoneError::TooShort { written, place: p } => {
            format!("{written:?} on liian lyhyt puhelinnumeroksi {}", place(p))
        }
        PhoneError::TooLong { written, place: p } => {
            format!("{written:?} on liian pitkä puhelinnumeroksi {}", place(p))
        }
        PhoneError::Invalid { written, place: p } => {
            format!("{written:?} ei ole puhelinnumero {}", place(p))
        }
    }
}

/// In English the import's sentence itself ([`NotAnEmail`]'s).
pub(crate) fn not_an_email(bad: &crate::domain::email::NotAnEmail, lang: Lang) -> String {
    match lang {
        Lang::En => bad.to_string(),
        Lang::Fi => format!("ei sähköpostiosoite: {:?}", bad.0),
    }
}

pub(crate) fn no_such_date(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("there is no date {text}"),
        Lang::Fi => format!("päivää {text} ei ole"),
    }
}

pub(crate) fn date_too_far(text: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{text} is too far away"),
        Lang::Fi => format!("{text} on liian kaukana"),
    }
}

pub(crate) fn date_in_past(date: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{} is in the past", date.format("%Y-%m-%d")),
        Lang::Fi => format!("{} on mennyt jo", date.format("%-d.%-m.%Y")),
    }
}

/// The placeholder of a date field that is today when left empty.
pub(crate) fn today_is(today: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => format!("today, {}", today.format("%Y-%m-%d")),
        Lang::Fi => format!("tänään, {}", today.format("%-d.%-m.%Y")),
    }
}

/// How a typed amount was read, so that `1,234` and `1 234` can be told apart.
pub(crate) fn amount_hint(cents: i64, lang: Lang) -> String {
    let (point, group) = match lang {
        Lang::En => ('.', ","),
        Lang::Fi => (',', " "),
    };
    let signed = crate::domain::money::format_cents(cents, group, Some(point));
    let amount = signed.trim_start_matches('-');
    match (cents < 0, lang) {
        (false, _) => format!("= {amount}"),
        (true, Lang::En) => format!("= refund of {amount}"),
        (true, Lang::Fi) => format!("= hyvitys {amount}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_grouped_in_each_language() {
        assert_eq!(amount_hint(123_450, Lang::En), "= 1,234.50");
        assert_eq!(amount_hint(123_450, Lang::Fi), "= 1 234,50");
        assert_eq!(amount_hint(-5, Lang::En), "= refund of 0.05");
        assert_eq!(amount_hint(100_000_000, Lang::Fi), "= 1 000 000,00");
    }
}
