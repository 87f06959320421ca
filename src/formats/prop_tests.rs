//! Properties of the readers alone: no input panics them, and every problem
//! they report names a line of the file and a column, in text that cannot
//! drive a terminal.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

use super::prop_files::{contacts_file, orders_file, vcard_file};
use super::prop_gen::{
    bad_date, cell, check, good_amount, good_date, is_raw_control, mutated_bytes, mutated_sample,
    well_formed,
};
use super::{csv_safe, parse_contacts_csv, parse_orders, parse_vcards, text};
use crate::domain::phone;

fn read_all(bytes: &[u8]) -> Result<(), TestCaseError> {
    if let Err(e) = parse_orders(bytes) {
        well_formed(bytes, &e)?;
    }
    if let Err(e) = parse_contacts_csv(bytes) {
        well_formed(bytes, &e)?;
    }
    if let Err(e) = parse_vcards(bytes) {
        well_formed(bytes, &e)?;
    }
    Ok(())
}

#[test]
fn readers_survive_damaged_samples() {
    check(
        "readers_survive_damaged_samples",
        800,
        mutated_sample(),
        |(sample, mutations)| read_all(&mutated_bytes(sample, &mutations)),
    );
}

#[test]
fn readers_survive_arbitrary_bytes() {
    let bytes = prop::collection::vec(
        prop_oneof![any::<u8>(), prop::sample::select(&b",;\"\n\r:=\\"[..])],
        0..400,
    );
    check("readers_survive_arbitrary_bytes", 400, bytes, |bytes| {
        read_all(&bytes)
    });
}

#[test]
fn readers_survive_generated_files() {
    let files = prop_oneof![orders_file(), contacts_file(), vcard_file()];
    check("readers_survive_generated_files", 400, files, |file| {
        read_all(&file.bytes())
    });
}

#[test]
fn cell_readers_survive_any_text_and_say_why_in_plain_text() {
    let inputs = (cell(), good_amount(), good_date(), bad_date());
    check(
        "cell_readers_survive_any_text",
        1000,
        inputs,
        |(cell, amount, date, bad)| {
            let half = cell.get(..cell.len() / 2).unwrap_or("");
            let mut reasons = Vec::new();
            for piece in [cell.as_str(), cell.trim(), half] {
                reasons.extend(text::parse_cents(piece).err());
                reasons.extend(text::parse_date(piece).err());
                reasons.extend(text::parse_bool(piece).err());
                reasons.extend(text::parse_optional_integer(piece).err());
                let _ = text::parse_basic_date(piece);
                let _ = csv_safe::formula_risk(piece);
                if let Err(refused) = phone::parse(piece, "FI") {
                    let reason = refused.to_string();
                    prop_assert!(!reason.chars().any(is_raw_control), "{reason:?}");
                }
                let _ = phone::parse(piece, "US");
                let _ = phone::StoredPhone::lenient(piece, "FI");
                let _ = phone::query_needles(piece, 1, "FI");
                let _ = csv_safe::neutralize_formula(piece);
                let _ = text::decode(piece.as_bytes());
            }
            reasons.extend(text::parse_date(&bad).err());
            for reason in reasons.iter().map(ToString::to_string) {
                prop_assert!(!reason.chars().any(is_raw_control), "{reason:?}");
            }
            prop_assert!(text::parse_cents(&amount).is_ok(), "{amount:?}");
            prop_assert!(text::parse_date(&date).is_ok(), "{date:?}");
            prop_assert!(text::parse_date(&bad).is_err(), "{bad:?}");
            Ok(())
        },
    );
}
