//! The names of the product's kinds of things (stages, segments, rules,
//! weekdays), in English and Finnish. The English ones are the names the
//! reports write.

use chrono::{Datelike, NaiveDate, Weekday};

use super::Lang;
use crate::domain::{InteractionKind, Segment, Stage};

strings! {
    /// A name for each stage, segment, follow-up rule and weekday.
    pub(crate) struct NameStrings {
        // Stages, in the glossary's words (SPEC section 2).
        suspect = "suspect", "suspekti";
        prospect = "prospect", "prospekti";
        customer = "customer", "asiakas";
        regular = "regular", "kanta-asiakas";
        key_customer = "key customer", "avainasiakas";
        advocate = "advocate", "suosittelija";
        lapsed = "lapsed", "menetetty";
        // RF segments.
        champions = "Champions", "Mestarit";
        loyal = "Loyal", "Uskolliset";
        potential_loyalists = "Potential loyalists", "Tulevat uskolliset";
        new_customers = "New customers", "Uudet asiakkaat";
        promising = "Promising", "Lupaavat";
        need_attention = "Need attention", "Huomiota vaativat";
        about_to_sleep = "About to sleep", "Nukahtamassa";
        cant_lose_them = "Can't lose them", "Ei saa menettää";
        at_risk = "At risk", "Vaarassa";
        hibernating = "Hibernating", "Horroksessa";
        // Follow-up rules, as the list's filter shows them.
        rule_thank_you = "thank-you", "kiitos";
        rule_check_in = "check-in", "kuulumiset";
        rule_cooling_prospect = "cooling prospect", "viilenevä prospekti";
        rule_at_risk = "at risk", "vaarassa";
        rule_cadence = "cadence", "yhteysväli";
        // A contact's kind on the card, short.
        kind_call = "call", "puhelu";
        kind_email = "email", "sposti";
        kind_meeting = "meeting", "tapaaminen";
        kind_note = "note", "muistio";
        // Weekdays, short.
        monday = "Mon", "ma";
        tuesday = "Tue", "ti";
        wednesday = "Wed", "ke";
        thursday = "Thu", "to";
        friday = "Fri", "pe";
        saturday = "Sat", "la";
        sunday = "Sun", "su";
    }
}

/// A stage's name in the glossary's words (SPEC section 2).
pub(crate) fn stage_name(lang: Lang, stage: Stage) -> &'static str {
    let t = NameStrings::of(lang);
    match stage {
        Stage::Suspect => t.suspect,
        Stage::Prospect => t.prospect,
        Stage::Customer => t.customer,
        Stage::Regular => t.regular,
        Stage::KeyCustomer => t.key_customer,
        Stage::Advocate => t.advocate,
        Stage::Lapsed => t.lapsed,
    }
}

pub(crate) fn segment_name(lang: Lang, segment: Segment) -> &'static str {
    let t = NameStrings::of(lang);
    match segment {
        Segment::Champions => t.champions,
        Segment::Loyal => t.loyal,
        Segment::PotentialLoyalists => t.potential_loyalists,
        Segment::NewCustomers => t.new_customers,
        Segment::Promising => t.promising,
        Segment::NeedAttention => t.need_attention,
        Segment::AboutToSleep => t.about_to_sleep,
        Segment::CantLoseThem => t.cant_lose_them,
        Segment::AtRisk => t.at_risk,
        Segment::Hibernating => t.hibernating,
    }
}

/// A rule's name, by its code (`thank-you`); a code kanta does not know is
/// shown as it is.
pub(crate) fn rule_name(lang: Lang, code: &str) -> &str {
    let t = NameStrings::of(lang);
    match code {
        "thank-you" => t.rule_thank_you,
        "check-in" => t.rule_check_in,
        "cooling-prospect" => t.rule_cooling_prospect,
        "at-risk" => t.rule_at_risk,
        "cadence" => t.rule_cadence,
        other => other,
    }
}

/// A contact's kind as the card lists it.
pub(crate) fn short_kind_name(lang: Lang, kind: InteractionKind) -> &'static str {
    let t = NameStrings::of(lang);
    match kind {
        InteractionKind::Call => t.kind_call,
        InteractionKind::Email => t.kind_email,
        InteractionKind::Meeting => t.kind_meeting,
        InteractionKind::Note => t.kind_note,
    }
}

/// The weekday's short name.
pub(crate) fn weekday(date: NaiveDate, lang: Lang) -> &'static str {
    let t = NameStrings::of(lang);
    match date.weekday() {
        Weekday::Mon => t.monday,
        Weekday::Tue => t.tuesday,
        Weekday::Wed => t.wednesday,
        Weekday::Thu => t.thursday,
        Weekday::Fri => t.friday,
        Weekday::Sat => t.saturday,
        Weekday::Sun => t.sunday,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_english_names_are_the_reports_names() {
        for stage in Stage::ALL {
            assert_eq!(stage_name(Lang::En, stage), stage.code());
        }
        for segment in Segment::ALL {
            assert_eq!(segment_name(Lang::En, segment), segment.name());
        }
        for kind in InteractionKind::ALL {
            assert_eq!(short_kind_name(Lang::En, kind), kind.code());
        }
    }
}
