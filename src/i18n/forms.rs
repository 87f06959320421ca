//! The edit forms' words, in English and Finnish.

use chrono::{Datelike, NaiveDate, Weekday};

use super::Lang;
use crate::domain::phone::{PhoneError, Place};

/// A fixed text of the forms; `text(lang)` gives it in a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormText {
    NewCustomer,
    EditCustomer,
    Name,
    Company,
    Emails,
    Phones,
    Address,
    City,
    Tags,
    Source,
    Referrer,
    Prospect,
    Advocate,
    MarketingConsent,
    ContactEvery,
    Notes,
    SourceNone,
    SourceOffer,
    SourceWalkIn,
    SourceReferral,
    SourceCampaign,
    SourceOther,
    NoReferrer,
    CommaSeparated,
    DaysOrEmpty,
    NameRequired,
    DaysPositive,
    LogContact,
    ChooseKind,
    KindCall,
    KindEmail,
    KindMeeting,
    KindNote,
    Text,
    Direction,
    DirectionNone,
    DirectionIn,
    DirectionOut,
    FollowUpDate,
    NoFollowUp,
    NoteNeedsText,
    NewOrder,
    EditOrder,
    EditContact,
    OrderDate,
    Amount,
    AmountExample,
    Quantity,
    Discount,
    Note,
    QuantityWhole,
    AmountRequired,
    AmountHowTo,
    AmountDecimals,
    AmountTooLarge,
    NewFollowUp,
    DueDate,
    Reason,
    Date,
    DateExamples,
    DateRequired,
    DateHowTo,
    Confirm,
    DiscardChanges,
    ChangedElsewhere,
    KeyReload,
    KeyOverwrite,
    KeyNextField,
    KeyPreviousField,
    KeySave,
    KeyCancel,
    KeyToggle,
    KeyChoose,
    KeyPickReferrer,
    KeyClearReferrer,
    KeyDirection,
    KeyLineEnds,
    KeyWordMove,
    KeyDeleteWord,
    KeyDeleteToEnd,
    KeyDeleteToStart,
    KeyYes,
    KeyNo,
}

impl FormText {
    pub fn text(self, lang: Lang) -> &'static str {
        let (en, fi) = self.both();
        match lang {
            Lang::En => en,
            Lang::Fi => fi,
        }
    }

    fn both(self) -> (&'static str, &'static str) {
        use FormText::*;
        match self {
            NewCustomer => ("New customer", "Uusi asiakas"),
            EditCustomer => ("Edit", "Muokkaa"),
            Name => ("Name", "Nimi"),
            Company => ("Company", "Yritys"),
            Emails => ("Emails", "Sähköpostit"),
            Phones => ("Phones", "Puhelimet"),
            Address => ("Address", "Osoite"),
            City => ("City", "Kaupunki"),
            Tags => ("Tags", "Tunnisteet"),
            Source => ("Source", "Lähde"),
            Referrer => ("Referred by", "Suosituksen antaja"),
            Prospect => ("Prospect", "Prospekti"),
            // The stage name of the glossary (SPEC section 2).
            Advocate => ("Advocate", "Suosittelija"),
            MarketingConsent => ("Marketing consent", "Markkinointilupa"),
            ContactEvery => ("Contact every N days", "Yhteys N päivän välein"),
            Notes => ("Notes", "Muistiinpanot"),
            SourceNone => ("not known", "ei tiedossa"),
            SourceOffer => ("offer", "tarjous"),
            SourceWalkIn => ("walk-in", "spontaani"),
            SourceReferral => ("referral", "suositus"),
            SourceCampaign => ("campaign", "kampanja"),
            SourceOther => ("other", "muu"),
            NoReferrer => ("none (Space to choose)", "ei (välilyönti valitsee)"),
            CommaSeparated => ("comma-separated", "pilkuin eroteltuina"),
            DaysOrEmpty => ("days, or empty", "päiviä, tai tyhjä"),
            NameRequired => ("a name is required", "nimi puuttuu"),
            DaysPositive => (
                "a whole number of days, 1 or more",
                "kokonainen määrä päiviä, vähintään 1",
            ),
            LogContact => ("Log contact", "Kirjaa yhteydenotto"),
            ChooseKind => ("Which kind of contact?", "Millainen yhteydenotto?"),
            KindCall => ("call", "puhelu"),
            KindEmail => ("email", "sähköposti"),
            KindMeeting => ("meeting", "tapaaminen"),
            KindNote => ("note", "muistiinpano"),
            Text => ("Text", "Teksti"),
            Direction => ("Direction", "Suunta"),
            DirectionNone => ("not set", "ei merkitty"),
            DirectionIn => ("in", "saapuva"),
            DirectionOut => ("out", "lähtevä"),
            FollowUpDate => ("Follow up on", "Seuranta"),
            NoFollowUp => ("none", "ei"),
            NoteNeedsText => ("a note needs its text", "muistiinpano tarvitsee tekstin"),
            NewOrder => ("New order", "Uusi tilaus"),
            EditOrder => ("Correct the order", "Korjaa tilaus"),
            EditContact => ("Correct the contact", "Korjaa yhteydenotto"),
            OrderDate => ("Date", "Päivä"),
            Amount => ("Amount", "Summa"),
            AmountExample => ("12.50, -5 for a refund", "12,50; -5 on hyvitys"),
            Quantity => ("Quantity", "Määrä"),
            Discount => ("Discount", "Alennus"),
            Note => ("Note", "Huomio"),
            QuantityWhole => ("a whole number, or empty", "kokonaisluku, tai tyhjä"),
            AmountRequired => ("an amount is required", "summa puuttuu"),
            AmountHowTo => (
                "not an amount: write it like 12.50 or -5",
                "ei summa: kirjoita esim. 12,50 tai -5",
            ),
            AmountDecimals => ("at most two decimals", "enintään kaksi desimaalia"),
            AmountTooLarge => (
                crate::domain::money::AMOUNT_TOO_LARGE,
                "yli 1 000 000 000,00, suurin summa, jonka kanta ottaa",
            ),
            NewFollowUp => ("New follow-up", "Uusi seuranta"),
            DueDate => ("Due", "Päivä"),
            Reason => ("Reason", "Syy"),
            Date => ("Date", "Päivä"),
            DateExamples => ("14.3., +1w, tomorrow", "14.3., +1w, huomenna"),
            DateRequired => ("a date is required", "päivä puuttuu"),
            DateHowTo => (
                "not a date: 2026-03-14, 14.3.2026, 14.3., +3d, +1w, +2m, today",
                "ei päivä: 14.3.2026, 2026-03-14, 14.3., +3d, +1w, +2m, tänään",
            ),
            Confirm => ("Confirm", "Vahvista"),
            DiscardChanges => ("Discard changes? y/n", "Hylätäänkö muutokset? k/e"),
            ChangedElsewhere => (
                "Changed elsewhere: r reload, o overwrite, Esc edit",
                "Muutettu muualla: r lataa, o korvaa, Esc muokkaa",
            ),
            KeyReload => (
                "after a change elsewhere: reload the customer as saved",
                "toisen muutoksen jälkeen: lataa asiakas tallennetussa muodossa",
            ),
            KeyOverwrite => (
                "after a change elsewhere: save yours over it",
                "toisen muutoksen jälkeen: tallenna omasi päälle",
            ),
            KeyNextField => ("next field", "seuraava kenttä"),
            KeyPreviousField => ("previous field", "edellinen kenttä"),
            KeySave => ("save", "tallenna"),
            KeyCancel => ("cancel", "peru"),
            KeyToggle => ("toggle, or next choice", "rasti tai seuraava valinta"),
            KeyChoose => ("change the choice", "vaihda valinta"),
            KeyPickReferrer => ("choose the referrer", "valitse suosittelija"),
            KeyClearReferrer => ("clear the referrer", "poista suosittelija"),
            KeyDirection => ("change the direction", "vaihda suunta"),
            KeyLineEnds => ("start or end of the text", "tekstin alkuun tai loppuun"),
            KeyWordMove => ("word left or right", "sana vasemmalle tai oikealle"),
            KeyDeleteWord => ("delete the word before", "poista edellinen sana"),
            KeyDeleteToEnd => ("delete to the end", "poista loppuun asti"),
            KeyDeleteToStart => ("delete to the start", "poista alkuun asti"),
            KeyYes => ("yes", "kyllä"),
            KeyNo => ("no", "ei"),
        }
    }

    /// The weekday's short name.
    pub fn weekday(date: NaiveDate, lang: Lang) -> &'static str {
        let (en, fi) = match date.weekday() {
            Weekday::Mon => ("Mon", "ma"),
            Weekday::Tue => ("Tue", "ti"),
            Weekday::Wed => ("Wed", "ke"),
            Weekday::Thu => ("Thu", "to"),
            Weekday::Fri => ("Fri", "pe"),
            Weekday::Sat => ("Sat", "la"),
            Weekday::Sun => ("Sun", "su"),
        };
        match lang {
            Lang::En => en,
            Lang::Fi => fi,
        }
    }

    /// Why a typed phone is refused: in English the very sentence an import
    /// gives (`PhoneError`'s), in Finnish the same said in Finnish.
    pub fn phone_problem(error: &PhoneError, lang: Lang) -> String {
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
    pub fn not_an_email(bad: &crate::domain::email::NotAnEmail, lang: Lang) -> String {
        match lang {
            Lang::En => bad.to_string(),
            Lang::Fi => format!("ei sähköpostiosoite: {:?}", bad.0),
        }
    }

    pub fn no_such_date(text: &str, lang: Lang) -> String {
        match lang {
            Lang::En => format!("there is no date {text}"),
            Lang::Fi => format!("päivää {text} ei ole"),
        }
    }

    pub fn date_too_far(text: &str, lang: Lang) -> String {
        match lang {
            Lang::En => format!("{text} is too far away"),
            Lang::Fi => format!("{text} on liian kaukana"),
        }
    }

    pub fn date_in_past(date: NaiveDate, lang: Lang) -> String {
        match lang {
            Lang::En => format!("{} is in the past", date.format("%Y-%m-%d")),
            Lang::Fi => format!("{} on mennyt jo", date.format("%-d.%-m.%Y")),
        }
    }

    /// The placeholder of a date field that is today when left empty.
    pub fn today_is(today: NaiveDate, lang: Lang) -> String {
        match lang {
            Lang::En => format!("today, {}", today.format("%Y-%m-%d")),
            Lang::Fi => format!("tänään, {}", today.format("%-d.%-m.%Y")),
        }
    }

    /// How a typed amount was read, so that `1,234` and `1 234` can be told apart.
    pub fn amount_hint(cents: i64, lang: Lang) -> String {
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_shown_grouped_in_each_language() {
        assert_eq!(FormText::amount_hint(123_450, Lang::En), "= 1,234.50");
        assert_eq!(FormText::amount_hint(123_450, Lang::Fi), "= 1 234,50");
        assert_eq!(FormText::amount_hint(-5, Lang::En), "= refund of 0.05");
        assert_eq!(
            FormText::amount_hint(100_000_000, Lang::Fi),
            "= 1 000 000,00"
        );
    }
}
