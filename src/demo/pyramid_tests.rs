//! The demo store seen through the store's own reading and the analytics:
//! every row reads back, and every stage of the pyramid is populated, so a
//! first look at the dashboard shows the whole picture.

use chrono::NaiveDate;

use crate::analytics::pyramid::{PyramidConfig, stages};
use crate::domain::{FollowUpStatus, Stage};
use crate::store::Store;

use super::{DemoOptions, generate};

#[test]
fn every_stage_of_the_pyramid_is_populated() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let options = DemoOptions {
        customers: 2_000,
        seed: 1,
        today,
    };
    generate(&mut store, &options, &mut |_, _| {}).unwrap();
    let facts = store.load_facts().unwrap();
    assert_eq!(facts.len(), 2_000);
    let stages = stages(&facts, today, &PyramidConfig::default());
    let mut counts = [0usize; 7];
    for stage in stages.into_iter().flatten() {
        counts[stage.index()] += 1;
    }
    for stage in Stage::ALL {
        let share = counts[stage.index()] as f64 / 2_000.0;
        assert!(share > 0.01, "{}: {counts:?}", stage.code());
    }
}

#[test]
fn the_store_reads_back_every_demo_row() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let options = DemoOptions {
        customers: 300,
        seed: 4,
        today,
    };
    let summary = generate(&mut store, &options, &mut |_, _| {}).unwrap();
    let customers = store.customers().unwrap();
    assert_eq!(customers.len() as u64, summary.customers);
    assert!(customers.iter().all(|c| c.created_at <= c.updated_at));
    assert_eq!(store.orders().unwrap().len() as u64, summary.orders);
    let mut interactions = 0;
    let mut followups = 0;
    for customer in &customers {
        for interaction in store.interactions_of(customer.id).unwrap() {
            assert!(interaction.at.date_naive() <= today);
            interactions += 1;
        }
        followups += store.followups_of(customer.id).unwrap().len() as u64;
    }
    assert_eq!(interactions, summary.interactions);
    assert_eq!(followups, summary.followups);
    let open = store.open_followups().unwrap();
    assert!(!open.is_empty());
    assert!(open.iter().all(|f| f.status == FollowUpStatus::Open));
    let first = store.customer_by_ref("K000001").unwrap().unwrap();
    assert_eq!(first.id, 1);
}
