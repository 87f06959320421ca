//! `DashboardData::build` over hand-made facts, through the real analytics.

use crate::common;

use common::{as_of, customer, day};
use kanta::analytics::SourceFilter;
use kanta::config::Config;
use kanta::domain::{CustomerFacts, DayTotal, Segment, Source, Stage};
use kanta::tui::data::{DashboardData, Rules};

fn buyer(id: i64, dates: &[(i32, u32, u32)], cents: i64, source: Option<Source>) -> CustomerFacts {
    CustomerFacts {
        id,
        reference: format!("K{id:06}"),
        source,
        days: dates
            .iter()
            .map(|&(y, m, d)| DayTotal {
                date: day(y, m, d),
                amount_cents: cents,
                is_purchase: true,
            })
            .collect(),
        ..CustomerFacts::default()
    }
}

#[test]
fn figures_come_from_the_facts() {
    let facts = vec![
        buyer(
            1,
            &[(2026, 8, 3), (2026, 9, 1), (2026, 11, 20)],
            10_000,
            Some(Source::WalkIn),
        ),
        buyer(2, &[(2026, 8, 10)], 5_000, Some(Source::Offer)),
        buyer(3, &[(2024, 1, 1)], 1_000, None),
        // An order dated after the as-of date is not seen.
        buyer(4, &[(2026, 12, 24)], 7_000, None),
        CustomerFacts {
            id: 5,
            prospect: true,
            ..CustomerFacts::default()
        },
    ];
    let customers: Vec<_> = (1..=5)
        .map(|id| kanta::domain::Listing::of(&customer(id, &format!("C{id}"))))
        .collect();
    let data = DashboardData::build(facts, &customers, &[], as_of(), &Config::default());

    assert_eq!(data.customers.len(), 5);
    let stage = |id| data.row(id).map(|r| r.stage);
    assert_eq!(stage(3), Some(Stage::Lapsed));
    assert_eq!(stage(5), Some(Stage::Prospect));
    assert_eq!(stage(4), Some(Stage::Suspect));
    let total: u32 = data.pyramid.now.iter().sum();
    assert_eq!(total, 5);

    let aino = data.row(1).cloned();
    assert_eq!(aino.as_ref().map(|r| r.frequency), Some(3));
    assert_eq!(aino.as_ref().map(|r| r.monetary_cents), Some(30_000));
    assert_eq!(
        aino.as_ref().and_then(|r| r.last_purchase),
        Some(day(2026, 11, 20))
    );
    assert_eq!(data.row(4).map(|r| r.monetary_cents), Some(0));

    // Every buyer sits in exactly one RF cell, and every cell has its segment.
    let in_grid: usize = data
        .rfm_grid
        .iter()
        .flatten()
        .map(|c| c.members.len())
        .sum();
    assert_eq!(in_grid, 3);
    assert_eq!(data.rfm_grid[4][4].segment, Some(Segment::Champions));
    assert_eq!(data.rfm_grid[0][0].segment, Some(Segment::Hibernating));

    // Cohorts: all sources first, then one per source, then no source.
    assert_eq!(data.cohorts.len(), 1 + Source::ALL.len() + 1);
    let all = data
        .cohort_view(SourceFilter::Everyone)
        .map(|v| v.table.rows.len());
    assert_eq!(all, Some(2), "2024-01 and 2026-08");
    let offer = data
        .cohort_view(SourceFilter::Only(Source::Offer))
        .map(|v| v.table.rows.len());
    assert_eq!(offer, Some(1));
    // Customer 3 (2024-01) has no source; 4 bought only after D.
    let none = data.cohort_view(SourceFilter::NoSource);
    assert_eq!(none.map(|v| v.table.rows.len()), Some(1));
    assert_eq!(none.map(|v| v.repeat.len()), Some(1));

    // Too few repeat customers: the model is not fitted and the card says why.
    assert!(data.churn_unfitted.is_some());
    assert!(data.customers.iter().all(|r| r.p_alive.is_none()));
}

#[test]
fn load_reads_the_store_and_writes_rule_followups_once() {
    use kanta::domain::{CustomerDraft, OrderDraft};
    use kanta::store::Store;
    let Ok(mut store) = Store::open_in_memory() else {
        panic!("in-memory store");
    };
    let draft = CustomerDraft {
        name: "Aino \u{1b}[2J".into(),
        ..CustomerDraft::default()
    };
    let id = store
        .insert_customer(&draft)
        .map(|c| c.id)
        .unwrap_or_default();
    let order = OrderDraft {
        customer_id: id,
        order_date: day(2026, 11, 20),
        amount_cents: 4_990,
        ..OrderDraft::default()
    };
    assert!(store.add_order(&order).is_ok());
    let config = Config::default();
    let first = kanta::tui::loader::load_now(&mut store, as_of(), &config, Rules::Apply);
    let Ok(first) = first else {
        panic!("load failed: {first:?}");
    };
    assert_eq!(first.customers.len(), 1);
    assert_eq!(
        first.customers[0].name, "Aino ^[[2J",
        "sanitized once, at load"
    );
    assert_eq!(first.customers[0].stage, Stage::Customer);
    assert_eq!(first.customers[0].monetary_cents, 4_990);
    let again = kanta::tui::loader::load_now(&mut store, as_of(), &config, Rules::Apply)
        .map(|d| d.followups.len());
    assert_eq!(
        again.ok(),
        Some(first.followups.len()),
        "the rules add nothing twice"
    );
}

/// Orders a script wrote with amounts no import or form takes: the dashboard's
/// data still loads (the test build checks for overflow), with sums held at
/// the bound instead of wrapped.
#[test]
fn huge_amounts_written_by_a_script_neither_panic_nor_wrap() {
    use kanta::domain::CustomerDraft;
    use kanta::store::Store;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let mut store = Store::open_or_create(&path).unwrap();
    let id = store
        .insert_customer(&CustomerDraft {
            name: "Big".into(),
            ..CustomerDraft::default()
        })
        .map(|c| c.id)
        .unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let huge = i64::MAX / 2 + 1;
    for date in ["2026-11-01", "2026-11-10", "2026-11-10"] {
        conn.execute(
            "INSERT INTO orders (customer_id, order_date, amount_cents) VALUES (?1, ?2, ?3)",
            rusqlite::params![id, date, huge],
        )
        .unwrap();
    }
    let data = kanta::tui::loader::load_now(&mut store, as_of(), &Config::default(), Rules::Skip);
    let Ok(data) = data else {
        panic!("load failed: {data:?}");
    };
    assert_eq!(data.customers[0].monetary_cents, i64::MAX);
    let card = kanta::tui::data::load_card(&store, id, &data)
        .unwrap()
        .unwrap();
    assert!(card.monthly_revenue.iter().all(|&m| m <= i64::MAX as u64));
}

/// The load on two cores, and each load after another program's write that
/// reads again only the customers the change log names, give what one
/// whole load in one thread gives: rows, ranks, search, every pane.
#[test]
fn a_load_after_writes_equals_a_whole_load() {
    use kanta::i18n::Lang;
    use kanta::store::Store;
    use kanta::tui::loader::{Base, Loader, load_now};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let today = day(2026, 11, 30);
    let config = Config::default();
    let mut store = Store::open_or_create(&path).unwrap();
    let options = kanta::demo::DemoOptions {
        customers: 300,
        seed: 3,
        today,
    };
    kanta::demo::generate(&mut store, &options, &mut |_, _| {}).unwrap();
    store.check_sound().unwrap();
    let same = |shown: &DashboardData, store: &mut Store, after: &str| {
        let whole = load_now(store, today, &config, Rules::Skip).unwrap();
        // The first row that differs, rather than every row.
        let differs = shown
            .customers
            .iter()
            .zip(&whole.customers)
            .find(|(a, b)| a != b);
        assert_eq!(differs, None, "{after}");
        assert_eq!(shown.customers.len(), whole.customers.len(), "{after}");
        assert_eq!(shown.customer_ranks, whole.customer_ranks, "{after}");
        assert_eq!(*shown.facts, *whole.facts, "{after}");
        assert_eq!(shown.pyramid, whole.pyramid, "{after}");
        assert_eq!(shown.cohorts, whole.cohorts, "{after}");
        assert_eq!(shown.rfm_grid, whole.rfm_grid, "{after}");
        assert_eq!(shown.followups, whole.followups, "{after}");
        assert_eq!(shown.weekly, whole.weekly, "{after}");
        let mut matcher = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
        for query in ["a", "mat", "virtanen", "040", "tag:vip", "Benchwriter"] {
            assert_eq!(
                shown.search.find(query, &mut matcher, 50),
                whole.search.find(query, &mut matcher, 50),
                "{query:?} {after}"
            );
        }
    };
    let load = |base: Base, store: &mut Store| {
        Loader::start(&path, base, today, &config, Rules::Skip, Lang::En)
            .wait(store)
            .unwrap()
    };
    let mut shown = load(Base::Read, &mut store);
    same(&shown, &mut store, "the first load");
    let script = rusqlite::Connection::open(&path).unwrap();
    for (what, sql) in [
        (
            "an order",
            "INSERT INTO orders (customer_id, order_date, amount_cents) VALUES (5, '2026-11-29', 999)",
        ),
        (
            "a rename",
            "UPDATE customers SET name = 'Benchwriter Zed', company = 'Aalto Oy' WHERE id = 7",
        ),
        (
            "a new customer",
            "INSERT INTO customers (ref, name) VALUES ('NEW-1', 'Benchwriter New');
             INSERT INTO orders (customer_id, order_date, amount_cents)
             SELECT id, '2026-11-28', 1500 FROM customers WHERE ref = 'NEW-1';",
        ),
        ("a deletion", "DELETE FROM customers WHERE id = 9"),
        (
            "a tag and a phone",
            "INSERT INTO customer_tags (customer_id, tag) VALUES (11, 'vip');
             INSERT INTO customer_phones (customer_id, position, phone, phone_normalized)
             VALUES (11, 9, '040 555 0101', '+358405550101');",
        ),
    ] {
        script.execute_batch(sql).unwrap();
        let kept = shown.kept.clone().expect("a load keeps its records");
        shown = load(Base::after(&mut shown), &mut store);
        assert!(
            shown.kept.as_ref().is_some_and(|k| k.mark > kept.mark),
            "{what}: the mark moves on"
        );
        same(&shown, &mut store, what);
    }
    // A load takes the kept listings; one replaced before it finished took
    // them along, and the load after it reads them all again.
    script
        .execute_batch("UPDATE customers SET name = 'Benchwriter Again' WHERE id = 3")
        .unwrap();
    drop(Base::after(&mut shown));
    assert!(shown.kept.as_ref().is_some_and(|k| k.listings.is_none()));
    shown = load(Base::after(&mut shown), &mut store);
    assert!(shown.kept.as_ref().is_some_and(|k| k.listings.is_some()));
    same(&shown, &mut store, "a load after a replaced one");
}
