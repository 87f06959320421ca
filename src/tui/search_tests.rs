//! Unit tests of the search index's pieces.

use super::*;

#[test]
fn folding_drops_case_and_accents() {
    assert_eq!(fold("Mäkinen ÅSA"), "makinen asa");
}

#[test]
fn needles_need_each_term_in_order() {
    let pattern = Pattern::parse("mat vir !x", CaseMatching::Respect, Normalization::Never);
    let needles = Needles::of(&pattern);
    let may = |t: &'static str| {
        let mut buf = Vec::new();
        needles.may_match(Utf32Str::new(t, &mut buf), letters(t))
    };
    assert!(may("matti virtanen"));
    assert!(may("virtanen matti"), "each term alone");
    assert!(may("matti virtanen 東京"), "unicode text");
    assert!(!may("matti koski"));
    assert!(!may("tam riv"));
}

#[test]
fn word_starts_only_after_a_non_letter() {
    let pattern = Pattern::parse("vir", CaseMatching::Respect, Normalization::Never);
    let needles = Needles::of(&pattern);
    let starts = |t: &'static str| needles.start_words(Utf32Str::Ascii(t.as_bytes()));
    assert!(starts("matti virtanen"));
    assert!(starts("virtanen"));
    assert!(starts("a.virtanen@example.com"));
    assert!(!starts("savirinne"));
}

#[test]
fn texts_keep_each_entry_apart() {
    let mut texts = Texts::default();
    texts.push("anna");
    texts.push("");
    texts.push("mäki");
    assert_eq!(texts.get(0), "anna");
    assert_eq!(texts.get(1), "");
    assert_eq!(texts.get(2), "mäki");
    assert_eq!(texts.get(3), "");
    assert_eq!(texts.letters(2) & NOT_ASCII, NOT_ASCII);
    assert_eq!(texts.letters(0) & NOT_ASCII, 0);
}

#[test]
fn phone_forms_include_national() {
    assert_eq!(
        phone_forms("+358 40 123 4567"),
        vec!["358401234567", "0401234567"]
    );
    assert_eq!(phone_forms("040-1234567"), vec!["0401234567"]);
    assert_eq!(
        phone_forms("00358 40 1234567"),
        vec!["00358401234567", "0401234567"]
    );
    assert!(phone_forms("n/a").is_empty());
}

#[test]
fn narrowing_only_within_one_mode_and_without_negation() {
    assert!(narrows("ma", "mat"));
    assert!(narrows("040", "0401"));
    assert!(!narrows("04", "040"), "fuzzy to phone");
    assert!(!narrows("mat", "ma"));
    assert!(!narrows("!a", "!ab"));
    assert!(!narrows("", "a"));
}

#[test]
fn phone_queries_need_three_digits_and_no_letters() {
    assert_eq!(phone_query("040-123"), Some("040123".to_string()));
    assert_eq!(phone_query("+358 40"), Some("35840".to_string()));
    assert_eq!(phone_query("12"), None);
    assert_eq!(phone_query("ann 123"), None);
}
