//! Reading phone numbers, and the forms the search finds them by.

use super::*;

fn e164(written: &str, country: &str) -> Option<String> {
    parse(written, country).ok().map(|p| p.e164)
}

#[test]
fn finnish_written_forms_read_alike() {
    for written in [
        "+358 40 123 4567",
        "+358401234567",
        "040-1234567",
        "0401234567",
        "00358401234567",
        "(040) 123 4567",
        "040 123 4567",
        "040.123.4567",
        "tel:+358-40-123-4567",
        // A trunk zero after the country code is dropped, bracketed or not.
        "+358 (0)40 123 4567",
        "+358 040 123 4567",
        "+3580401234567",
    ] {
        assert_eq!(
            e164(written, "FI").as_deref(),
            Some("+358401234567"),
            "{written}"
        );
    }
}

/// The countries kanta's owners mostly deal with, each in its own national
/// form read at home, and the same number written with its country code in a
/// Finnish store.
#[test]
fn the_usual_countries_read_at_home_and_from_abroad() {
    let cases = [
        ("FI", "09 123 4567", "+35891234567"),
        ("SE", "070-123 45 67", "+46701234567"),
        ("SE", "08-123 456 78", "+46812345678"),
        ("EE", "5123 4567", "+37251234567"),
        ("NO", "412 34 567", "+4741234567"),
        ("DK", "20 12 34 56", "+4520123456"),
        ("DE", "0151 23456789", "+4915123456789"),
        ("AT", "0664 1234567", "+436641234567"),
        ("CH", "079 123 45 67", "+41791234567"),
        ("NL", "06 12345678", "+31612345678"),
        ("BE", "0470 12 34 56", "+32470123456"),
        ("FR", "06 12 34 56 78", "+33612345678"),
        ("GB", "020 7946 0958", "+442079460958"),
        ("IE", "087 123 4567", "+353871234567"),
        ("ES", "612 34 56 78", "+34612345678"),
        ("IT", "06 1234 5678", "+390612345678"),
        ("PL", "512 345 678", "+48512345678"),
        ("US", "(415) 555-0132", "+14155550132"),
        ("US", "1 415 555 0132", "+14155550132"),
        ("CA", "(416) 555-0132", "+14165550132"),
    ];
    for (country, national, want) in cases {
        assert_eq!(e164(national, country).as_deref(), Some(want), "{national}");
        assert_eq!(e164(want, "FI").as_deref(), Some(want), "{want}");
        assert!(is_country(country), "{country}");
    }
    // The country is the store's: the same digits are another number in Sweden.
    assert_eq!(e164("040-123 45 67", "SE").as_deref(), Some("+46401234567"));
    assert_eq!(
        e164("+46 (0)70 123 45 67", "FI").as_deref(),
        Some("+46701234567")
    );
    assert_eq!(e164("0401234567", "se").as_deref(), Some("+46401234567"));
}

#[test]
fn extensions_are_kept_apart() {
    for written in [
        "040 123 4567;ext=12",
        "+358 40 123 4567;EXT=12",
        "040 123 4567 ext. 12",
        "040 123 4567 ext 12",
        "040 123 4567 x12",
        "tel:+358-40-123-4567;ext=12",
    ] {
        assert_eq!(
            parse(written, "FI"),
            Ok(Phone {
                e164: "+358401234567".into(),
                extension: Some("12".into()),
            }),
            "{written}"
        );
    }
    assert_eq!(parse("0401234567", "FI").map(|p| p.extension), Ok(None));
}

#[test]
fn invalid_numbers_are_refused_in_one_sentence() {
    let refused = |written: &str| parse(written, "FI").unwrap_err().to_string();
    assert_eq!(refused("n/a"), "\"n/a\" is not a phone number");
    assert_eq!(refused(""), "\"\" is not a phone number");
    assert_eq!(
        refused("040 123"),
        "\"040 123\" is not a valid phone number in FI \
         (a number of another country starts with + and its country code)"
    );
    assert_eq!(
        refused("04 12"),
        "\"04 12\" is too short for a phone number in FI \
         (a number of another country starts with + and its country code)"
    );
    assert_eq!(
        refused("+46 70"),
        "\"+46 70\" is too short for a phone number of +46"
    );
    assert!(refused("040 123 4567 8901 2345").contains("too long"));
    // The right length, but no such number: Ofcom's range for fiction.
    assert_eq!(
        refused("+44 7700 900123"),
        "\"+44 7700 900123\" is not a valid phone number of +44"
    );
    for bad in ["call me", "112", "+", "äö", "1234567", "0000000"] {
        assert!(parse(bad, "FI").is_err(), "{bad}");
    }
    assert_eq!(parse("  040 123  ", "FI").unwrap_err().written(), "040 123");
}

#[test]
fn an_unknown_country_reads_only_international_numbers() {
    assert!(!is_country("XX"));
    assert!(!is_country(""));
    assert!(parse("0401234567", "XX").is_err());
    assert_eq!(
        e164("+358 40 123 4567", "XX").as_deref(),
        Some("+358401234567")
    );
    assert_eq!(
        e164("+358 40 123 4567", "").as_deref(),
        Some("+358401234567")
    );
}

#[test]
fn stored_numbers_are_read_leniently() {
    let kept = |w: &str| StoredPhone::lenient(w, "FI").map(|p| (p.normalized, p.extension));
    assert_eq!(
        kept("+358 040 765 4321 ext. 5"),
        Some(("+358407654321".into(), Some("5".into())))
    );
    // Not valid, but a number still: kept as the library reads it.
    assert_eq!(
        kept("+44 7700 900123"),
        Some(("+447700900123".into(), None))
    );
    assert_eq!(kept("call 5"), Some(("5".into(), None)));
    assert_eq!(kept("n/a"), None);
}

#[test]
fn a_stored_number_is_found_by_its_e164_digits() {
    let number = Number::from_e164("+358401234567").unwrap();
    assert_eq!(
        (number.digits(), number.to_string()),
        (358401234567, "+358401234567".into())
    );
    for no in [
        "358401234567",
        "+0401234567",
        "+1234567890123456",
        "+",
        "+35840x",
    ] {
        assert_eq!(Number::from_e164(no), None, "{no}");
    }
    assert!(is_national_number("358401234567", "401234567"));
    assert!(is_national_number("442079460958", "2079460958"));
    assert!(is_national_number("390612345678", "0612345678"));
    assert!(!is_national_number("358401234567", "01234567"));
    assert!(!is_national_number("358401234567", "358401234567"));
}

#[test]
fn queries_in_caller_id_and_national_forms() {
    let needles = |q: &str| query_needles(q, 3, "FI");
    assert_eq!(needles("+358 40 123"), Some(vec!["35840123".into()]));
    assert_eq!(
        needles("00358 40 123"),
        Some(vec!["0035840123".into(), "35840123".into()])
    );
    assert_eq!(
        needles("+358 (0)40 123"),
        Some(vec!["358040123".into(), "35840123".into()])
    );
    assert_eq!(
        needles("+358 040"),
        Some(vec!["358040".into(), "35840".into()])
    );
    // Italy keeps its zero.
    assert_eq!(needles("+39 06 12"), Some(vec!["390612".into()]));
    // A national form is the store's country's number.
    assert_eq!(
        needles("040-123"),
        Some(vec!["040123".into(), "35840123".into()])
    );
    assert_eq!(
        needles("040-1234"),
        Some(vec!["0401234".into(), "358401234".into(), "401234".into()])
    );
    assert_eq!(
        query_needles("070-123", 3, "SE"),
        Some(vec!["070123".into(), "4670123".into()])
    );
    assert_eq!(
        query_needles("06 1234 5", 3, "IT"),
        Some(vec!["0612345".into(), "612345".into()])
    );
    // Last digits look for themselves.
    assert_eq!(needles("4567"), Some(vec!["4567".into()]));
    assert_eq!(needles("12"), None);
    assert_eq!(needles("ann 123"), None);
    assert_eq!(query_needles("4", 1, "FI"), Some(vec!["4".into()]));
}

#[test]
fn a_longer_query_only_narrows() {
    // While the count stays, each needle of a query extends one of the
    // query it extends.
    for typed in ["+358 (0)40 123 4567", "040-123 4567", "0035840123"] {
        let mut previous: Option<Vec<String>> = None;
        for end in 1..=typed.len() {
            let Some(now) = query_needles(&typed[..end], 3, "FI") else {
                continue;
            };
            if let Some(before) = previous.as_ref().filter(|b| b.len() == now.len()) {
                for needle in &now {
                    assert!(
                        before.iter().any(|b| needle.starts_with(b.as_str())),
                        "{needle} after {before:?}"
                    );
                }
            }
            previous = Some(now);
        }
    }
}

#[test]
fn e164_syntax_and_digits() {
    assert!(is_e164("+358401234567"));
    assert!(!is_e164("+358 40"));
    assert!(!is_e164("+"));
    assert_eq!(digits("+358 (40) 12-3٤"), "35840123");
}
