//! The demo store seen through the analytics: every stage of the pyramid is
//! populated, so a first look at the dashboard shows the whole picture.

use chrono::NaiveDate;

use crate::analytics::pyramid::{PyramidConfig, stages};
use crate::domain::{CustomerFacts, DayTotal, Source, Stage};
use crate::store::Store;

use super::{DemoOptions, generate};

/// The facts, read with plain SQL so this test needs nothing but the schema.
fn facts(store: &Store) -> Vec<CustomerFacts> {
    let conn = store.connection();
    let date = |text: String| NaiveDate::parse_from_str(&text, "%Y-%m-%d").unwrap();
    let mut customers: Vec<CustomerFacts> = conn
        .prepare("SELECT id, ref, source, referred_by, prospect, advocate, contact_every_days FROM customers ORDER BY id")
        .unwrap()
        .query_map([], |r| {
            Ok(CustomerFacts {
                id: r.get(0)?,
                reference: r.get(1)?,
                source: r.get::<_, Option<String>>(2)?.and_then(|s| Source::parse(&s)),
                referred_by: r.get(3)?,
                prospect: r.get(4)?,
                advocate: r.get(5)?,
                contact_every_days: r.get(6)?,
                ..CustomerFacts::default()
            })
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut days = conn
        .prepare(
            "SELECT customer_id, order_date, sum(amount_cents), max(amount_cents >= 0)
             FROM orders GROUP BY customer_id, order_date ORDER BY customer_id, order_date",
        )
        .unwrap();
    for row in days
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap()
    {
        let (id, day, amount_cents, is_purchase) = row.unwrap();
        customers[id as usize - 1].days.push(DayTotal {
            date: date(day),
            amount_cents,
            is_purchase,
        });
    }
    let mut contacts = conn
        .prepare("SELECT customer_id, substr(at, 1, 10) FROM interactions ORDER BY customer_id, at")
        .unwrap();
    for row in contacts
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?)))
        .unwrap()
    {
        let (id, day) = row.unwrap();
        customers[id as usize - 1].interaction_dates.push(date(day));
    }
    customers
}

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
    let facts = facts(&store);
    assert_eq!(facts.len(), 2_000);
    let stages = stages(&facts, today, &PyramidConfig::default());
    let mut counts = [0usize; 7];
    for stage in stages {
        counts[stage.index()] += 1;
    }
    for stage in Stage::ALL {
        let share = counts[stage.index()] as f64 / 2_000.0;
        assert!(share > 0.01, "{}: {counts:?}", stage.code());
    }
}
