//! A small store written through the store's own calls, at a fixed date: two
//! new customers, stage moves, possible duplicates of one person.
#![allow(dead_code)]

use chrono::NaiveDate;
use kanta::config::Config;
use kanta::domain::{CustomerDraft, CustomerId, FollowUp, FollowUpStatus, OrderDraft};
use kanta::store::Store;
use kanta::tui::data::{self, DashboardData};

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub fn as_of() -> NaiveDate {
    day(2026, 11, 23)
}

struct Person {
    reference: &'static str,
    name: &'static str,
    email: Option<&'static str>,
    phone: Option<&'static str>,
    city: Option<&'static str>,
    orders: &'static [((i32, u32, u32), i64)],
}

const PEOPLE: [Person; 8] = [
    Person {
        reference: "R01",
        name: "Aino Virtanen",
        email: Some("aino@kahvila.fi"),
        phone: Some("+358 40 123 4567"),
        city: Some("Turku"),
        orders: &[
            ((2025, 12, 3), 33_450),
            ((2026, 9, 14), 50_000),
            ((2026, 11, 20), 40_000),
        ],
    },
    Person {
        reference: "R02",
        name: "Bertil Ek",
        email: None,
        phone: None,
        city: Some("Helsinki"),
        orders: &[((2026, 10, 1), 12_000), ((2026, 11, 19), 8_000)],
    },
    Person {
        reference: "R03",
        name: "Sanna Saari",
        email: None,
        phone: None,
        city: Some("Tampere"),
        orders: &[((2026, 11, 18), 3_500)],
    },
    Person {
        reference: "R04",
        name: "Pekka Järvinen",
        email: None,
        phone: None,
        city: None,
        orders: &[((2026, 11, 21), 5_990)],
    },
    Person {
        reference: "R05",
        name: "Olli Ojala",
        email: None,
        phone: None,
        city: None,
        orders: &[((2025, 6, 10), 5_000), ((2025, 11, 20), 7_000)],
    },
    Person {
        reference: "R06",
        name: "Maija Mäki",
        email: None,
        phone: None,
        city: None,
        orders: &[((2026, 10, 15), 2_500)],
    },
    Person {
        reference: "R07",
        name: "A. Virtanen",
        email: Some("AINO@kahvila.fi"),
        phone: None,
        city: Some("Turku"),
        orders: &[((2026, 8, 2), 4_500)],
    },
    Person {
        reference: "R08",
        name: "Aino Virtanen",
        email: None,
        phone: Some("040 1234567"),
        city: Some("Turku"),
        orders: &[],
    },
];

pub fn store() -> Store {
    let mut store = match Store::open_in_memory() {
        Ok(store) => store,
        Err(e) => panic!("in-memory store: {e}"),
    };
    for p in &PEOPLE {
        let draft = CustomerDraft {
            reference: Some(p.reference.into()),
            name: p.name.into(),
            emails: p.email.map(String::from).into_iter().collect(),
            phones: p.phone.map(String::from).into_iter().collect(),
            city: p.city.map(String::from),
            ..CustomerDraft::default()
        };
        let customer = match store.insert_customer(&draft) {
            Ok(c) => c,
            Err(e) => panic!("insert {}: {e}", p.name),
        };
        for &((y, m, d), amount_cents) in p.orders {
            let order = OrderDraft {
                customer_id: customer.id,
                order_date: day(y, m, d),
                amount_cents,
                quantity: None,
                external_id: None,
                discount: false,
                note: None,
            };
            if let Err(e) = store.add_order(&order) {
                panic!("order of {}: {e}", p.name);
            }
        }
    }
    store
}

pub fn load(store: &mut Store) -> DashboardData {
    match kanta::tui::loader::load_now(store, as_of(), &Config::default(), data::Rules::Apply) {
        Ok(data) => data,
        Err(e) => panic!("load: {e}"),
    }
}

pub fn id_of(data: &DashboardData, reference: &str) -> CustomerId {
    data.facts
        .iter()
        .find(|f| f.reference == reference)
        .map_or(0, |f| f.id)
}

/// A follow-up done this week, one overdue and one upcoming.
pub fn followups(data: &DashboardData) -> Vec<(FollowUp, Option<NaiveDate>)> {
    let created = chrono::DateTime::UNIX_EPOCH;
    let f = |id, customer_id, due, status, reason: &str| FollowUp {
        id,
        customer_id,
        due,
        status,
        rule: None,
        anchor: None,
        figures: None,
        reason: reason.into(),
        note: String::new(),
        created_at: created,
        done_at: None,
        created_by: None,
        acted_by: None,
    };
    vec![
        (
            f(
                1,
                id_of(data, "R02"),
                day(2026, 11, 19),
                FollowUpStatus::Done,
                "Thank for the order",
            ),
            Some(day(2026, 11, 19)),
        ),
        (
            f(
                2,
                id_of(data, "R01"),
                day(2026, 11, 20),
                FollowUpStatus::Open,
                "Call back about the catering",
            ),
            None,
        ),
        (
            f(
                3,
                id_of(data, "R06"),
                day(2026, 12, 1),
                FollowUpStatus::Open,
                "Check in",
            ),
            None,
        ),
    ]
}
