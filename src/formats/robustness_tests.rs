//! No input may panic a reader: fixtures cut short and with bytes changed.

use super::{csv_safe, parse_contacts_csv, parse_orders, parse_vcards, text};
use crate::domain::phone;

/// A small deterministic generator, so a failure reproduces.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        usize::try_from(self.0 >> 33).unwrap()
    }
}

const SEEDS: [&[u8]; 16] = [
    include_bytes!("../../tests/fixtures/formats/shopify_orders.csv"),
    include_bytes!("../../tests/fixtures/formats/shopify_till_and_refunds.csv"),
    include_bytes!("../../tests/fixtures/formats/woocommerce_orders.csv"),
    include_bytes!("../../tests/fixtures/formats/stripe_payments.csv"),
    include_bytes!("../../tests/fixtures/formats/paypal_activity.csv"),
    include_bytes!("../../tests/fixtures/formats/google_contacts.csv"),
    include_bytes!("../../tests/fixtures/formats/google_contacts_old.csv"),
    include_bytes!("../../tests/fixtures/formats/outlook_contacts.csv"),
    include_bytes!("../../tests/fixtures/formats/orders_fi_columns.csv"),
    include_bytes!("../../tests/fixtures/formats/contacts_fi_columns.csv"),
    include_bytes!("../../tests/fixtures/formats/iphone.vcf"),
    include_bytes!("../../tests/fixtures/formats/android.vcf"),
    include_bytes!("../../tests/fixtures/formats/google.vcf"),
    include_bytes!("../../assets/samples/orders_fi.csv"),
    include_bytes!("../../assets/samples/contacts.csv"),
    include_bytes!("../../assets/samples/orders.csv"),
];

/// Bytes that matter to the grammars, and some that break UTF-8.
const NASTY: &[u8] = b";,:=\"\\\n\r -.0123456789\xC3\xA4\xE2\x82\xAC\xFF\x80\t+@";

fn feed(bytes: &[u8]) {
    let _ = parse_orders(bytes);
    let _ = parse_contacts_csv(bytes);
    let _ = parse_vcards(bytes);
    let text = String::from_utf8_lossy(bytes);
    for piece in text.split([',', ';', '\n']).take(64) {
        let _ = text::parse_cents(piece);
        let _ = text::parse_date(piece);
        let _ = phone::parse(piece, "FI");
        let _ = phone::StoredPhone::lenient(piece, "FI");
        let _ = phone::query_needles(piece, 1, "FI");
        let _ = csv_safe::neutralize_formula(piece);
    }
}

#[test]
fn mutated_and_truncated_files_do_not_panic() {
    let mut rng = Lcg(42);
    for seed in SEEDS {
        for cut in (0..seed.len()).step_by(29) {
            feed(&seed[..cut]);
        }
        for _ in 0..80 {
            let mut bytes = seed.to_vec();
            for _ in 0..1 + rng.next() % 8 {
                let at = rng.next() % bytes.len().max(1);
                let byte = NASTY[rng.next() % NASTY.len()];
                match rng.next() % 3 {
                    0 if at < bytes.len() => bytes[at] = byte,
                    1 if at < bytes.len() => {
                        bytes.remove(at);
                    }
                    _ => bytes.insert(at.min(bytes.len()), byte),
                }
            }
            feed(&bytes);
        }
    }
}
