//! The dashboard's index over its rows.

use super::*;
use crate::domain::{CustomerId, Stage};

fn row(id: CustomerId, name: &str) -> CustomerRow {
    CustomerRow {
        name: name.into(),
        ..CustomerRow::bare(id, Stage::Prospect)
    }
}

#[test]
fn rows_are_found_by_their_customers_fields_and_by_name_alone() {
    let mut store = crate::store::Store::open_in_memory().unwrap();
    let saved = store
        .insert_customer(&crate::domain::CustomerDraft {
            name: "Aino Virtanen".into(),
            phones: vec!["040-4803684".into()],
            city: Some("Turku".into()),
            ..Default::default()
        })
        .unwrap();
    let rows = vec![row(99, "Only A Row"), row(saved.id, "Aino Virtanen")];
    let index = SearchIndex::build_rows(&rows, &store.listings().unwrap(), "FI");
    let mut matcher = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
    assert_eq!(index.find("+358 40 480 3684", &mut matcher, 10), vec![1]);
    assert_eq!(index.find("turku", &mut matcher, 10), vec![1]);
    assert_eq!(index.find("only", &mut matcher, 10), vec![0]);
    assert_eq!(
        index.matched(1, "3684", &mut matcher),
        Matched::Phone("040-4803684".into())
    );
}
