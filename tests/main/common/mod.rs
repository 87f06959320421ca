//! A small fixed dashboard: seven customers, one in each stage, fixed date.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use kanta::analytics::{CohortRow, CohortTable, PyramidCounts, RepeatRow, SourceFilter, YearMonth};
use kanta::domain::{
    Customer, CustomerFacts, DayTotal, Direction, FollowUp, FollowUpStatus, Interaction,
    InteractionKind, Listing, Order, Segment, Source, Stage,
};
use kanta::i18n::Lang;
use kanta::tui::app::App;
use kanta::tui::data::{CardData, CohortView, CustomerRow, DashboardData, monthly_revenue};
use kanta::tui::draw::draw;
use kanta::tui::keymap::Keymap;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub fn as_of() -> NaiveDate {
    day(2026, 11, 23)
}

fn instant() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 2, 12, 0, 0)
        .single()
        .unwrap_or_default()
}

pub fn customer(id: i64, name: &str) -> Customer {
    Customer {
        id,
        reference: format!("K{id:06}"),
        name: name.to_string(),
        company: None,
        emails: Vec::new(),
        phones: Vec::new(),
        phones_e164: Vec::new(),
        address: None,
        city: None,
        tags: Vec::new(),
        source: None,
        referred_by: None,
        prospect: false,
        advocate: false,
        marketing_consent: false,
        notes: String::new(),
        contact_every_days: None,
        created_at: instant(),
        updated_at: instant(),
        updated_by: None,
    }
}

pub fn customers() -> Vec<Customer> {
    let mut aino = customer(1, "Aino Virtanen");
    aino.company = Some("Kahvila Aino".into());
    aino.emails = vec!["aino@kahvila.fi".into()];
    aino.phones = vec!["+358 40 123 4567".into()];
    aino.phones_e164 = vec![kanta::domain::phone::Number::from_e164("+358401234567")];
    aino.tags = vec!["vip".into()];
    aino.address = Some("Rantatie 1".into());
    aino.city = Some("Turku".into());
    aino.source = Some(Source::WalkIn);
    let mut bertil = customer(2, "Bertil Ek");
    bertil.phones = vec!["040-7654321".into()];
    bertil.phones_e164 = vec![kanta::domain::phone::Number::from_e164("+358407654321")];
    bertil.source = Some(Source::Referral);
    bertil.referred_by = Some(7);
    let mut evil = customer(3, "Evil\u{1b}[31mName");
    evil.company = Some("Bad\u{7}Bell Oy".into());
    let pekka = customer(4, "Pekka Järvinen");
    let sanna = customer(5, "Sanna Saari");
    let mut olli = customer(6, "Olli Ojala");
    olli.prospect = true;
    let mut maija = customer(7, "Maija Mäki");
    maija.advocate = true;
    maija.source = Some(Source::Offer);
    vec![aino, bertil, evil, pekka, sanna, olli, maija]
}

struct Spec {
    stage: Stage,
    rfm: Option<(u8, u8, u8, Segment)>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    frequency: u32,
    cents: i64,
}

fn specs() -> Vec<Spec> {
    let s = |stage, rfm, first, last, frequency, cents| Spec {
        stage,
        rfm,
        first,
        last,
        frequency,
        cents,
    };
    vec![
        s(
            Stage::KeyCustomer,
            Some((5, 5, 5, Segment::Champions)),
            Some(day(2026, 8, 3)),
            Some(day(2026, 11, 20)),
            8,
            123_450,
        ),
        s(
            Stage::Regular,
            Some((4, 3, 3, Segment::PotentialLoyalists)),
            Some(day(2026, 8, 10)),
            Some(day(2026, 10, 1)),
            3,
            45_000,
        ),
        s(
            Stage::Customer,
            Some((5, 1, 1, Segment::NewCustomers)),
            Some(day(2026, 11, 2)),
            Some(day(2026, 11, 2)),
            1,
            1_999,
        ),
        s(
            Stage::Lapsed,
            Some((1, 2, 2, Segment::Hibernating)),
            Some(day(2024, 3, 1)),
            Some(day(2024, 6, 1)),
            2,
            8_000,
        ),
        s(Stage::Suspect, None, None, None, 0, 0),
        s(Stage::Prospect, None, None, None, 0, 0),
        s(
            Stage::Advocate,
            Some((4, 4, 4, Segment::Loyal)),
            Some(day(2026, 9, 5)),
            Some(day(2026, 11, 1)),
            4,
            99_999_999,
        ),
    ]
}

fn facts(customers: &[Customer]) -> Vec<CustomerFacts> {
    customers
        .iter()
        .zip(specs())
        .map(|(c, spec)| {
            let mut days = Vec::new();
            for d in [spec.first, spec.last].into_iter().flatten() {
                if days.iter().all(|x: &DayTotal| x.date != d) {
                    days.push(DayTotal {
                        date: d,
                        amount_cents: 100,
                        is_purchase: true,
                    });
                }
            }
            CustomerFacts {
                id: c.id,
                reference: c.reference.clone(),
                source: c.source,
                referred_by: c.referred_by,
                prospect: c.prospect,
                advocate: c.advocate,
                days,
                interaction_dates: Vec::new(),
                contact_every_days: None,
                ..Default::default()
            }
        })
        .collect()
}

/// SPEC section 4's RF map, written out for the fixture.
fn segment_of(r: u8, f: u8) -> Segment {
    match (r, f) {
        (5, 4..=5) => Segment::Champions,
        (3..=4, 4..=5) => Segment::Loyal,
        (4..=5, 2..=3) => Segment::PotentialLoyalists,
        (5, 1) => Segment::NewCustomers,
        (4, 1) => Segment::Promising,
        (3, 3) => Segment::NeedAttention,
        (3, 1..=2) => Segment::AboutToSleep,
        (1..=2, 5) => Segment::CantLoseThem,
        (1..=2, 3..=4) => Segment::AtRisk,
        _ => Segment::Hibernating,
    }
}

fn ym(year: i32, month: u32) -> YearMonth {
    YearMonth { year, month }
}

pub fn followups() -> Vec<FollowUp> {
    let f = |id, customer_id, due, reason: &str, note: &str| FollowUp {
        id,
        customer_id,
        due,
        status: FollowUpStatus::Open,
        rule: None,
        anchor: None,
        figures: None,
        reason: reason.into(),
        note: note.into(),
        created_at: instant(),
        done_at: None,
        created_by: None,
        acted_by: None,
    };
    vec![
        f(10, 2, as_of(), "Thank for the order", ""),
        f(
            11,
            1,
            day(2026, 11, 20),
            "Call back about the catering",
            "left a message",
        ),
        f(12, 3, day(2026, 12, 1), "Check in\u{1b}]0;pwned\u{7}", ""),
    ]
}

pub fn data() -> DashboardData {
    let customers = customers();
    let mut data = DashboardData::empty(as_of(), "EUR");
    let rows = customers
        .iter()
        .zip(specs())
        .map(|(c, spec)| CustomerRow {
            id: c.id,
            name: kanta::tui::text::clean(&c.name),
            company: c
                .company
                .as_deref()
                .map(kanta::tui::text::clean)
                .unwrap_or_default(),
            phone: c
                .phones
                .first()
                .map(|p| kanta::tui::text::clean(p))
                .unwrap_or_default(),
            stage: spec.stage,
            first_purchase: spec.first,
            last_purchase: spec.last,
            frequency: spec.frequency,
            monetary_cents: spec.cents,
            rfm: spec.rfm.map(|(r, f, m, _)| (r, f, m)),
            segment: spec.rfm.map(|x| x.3),
            source: c.source,
            p_alive: (c.id == 1).then_some(0.874),
            expected_90d: (c.id == 1).then_some(1.25),
            expected_365d: (c.id == 1).then_some(4.5),
            expected_revenue_365d: (c.id == 1).then_some(1_912.5),
            awaiting: false,
        })
        .collect();
    data.facts = std::sync::Arc::new(facts(&customers));
    let listings: Vec<Listing> = customers.iter().map(Listing::of).collect();
    data.set_customers(rows, &listings);
    data.set_followups(&followups());
    // Counts of a larger store than the seven rows, so the pyramid has a shape.
    data.pyramid = PyramidCounts {
        now: [420, 260, 180, 90, 24, 7, 133],
        week_ago: [431, 250, 177, 91, 24, 6, 121],
    };
    for (r, line) in data.rfm_grid.iter_mut().enumerate() {
        for (f, cell) in line.iter_mut().enumerate() {
            cell.segment = Some(segment_of(r as u8 + 1, f as u8 + 1));
        }
    }
    let table = CohortTable {
        rows: vec![
            CohortRow {
                cohort: ym(2026, 8),
                size: 4,
                active: vec![4, 2, 1, 3],
                cumulative: vec![0, 2, 2, 3],
            },
            CohortRow {
                cohort: ym(2026, 9),
                size: 2,
                active: vec![2, 1, 0],
                cumulative: vec![0, 1, 1],
            },
            CohortRow {
                cohort: ym(2026, 10),
                size: 3,
                active: vec![3, 1],
                cumulative: vec![0, 1],
            },
            CohortRow {
                cohort: ym(2026, 11),
                size: 1,
                active: vec![1],
                cumulative: vec![0],
            },
        ],
        partial_month: ym(2026, 11),
    };
    let repeat = vec![
        RepeatRow {
            cohort: ym(2026, 8),
            size: 4,
            repeat_90d: 2,
            repeat_180d: 3,
            repeat_ever: 3,
            complete_90d: false,
            complete_180d: false,
        },
        RepeatRow {
            cohort: ym(2026, 9),
            size: 2,
            repeat_90d: 1,
            repeat_180d: 1,
            repeat_ever: 1,
            complete_90d: false,
            complete_180d: false,
        },
        RepeatRow {
            cohort: ym(2026, 10),
            size: 3,
            repeat_90d: 1,
            repeat_180d: 1,
            repeat_ever: 1,
            complete_90d: false,
            complete_180d: false,
        },
        RepeatRow {
            cohort: ym(2026, 11),
            size: 1,
            repeat_90d: 0,
            repeat_180d: 0,
            repeat_ever: 0,
            complete_90d: false,
            complete_180d: false,
        },
    ];
    data.cohorts = vec![
        CohortView {
            source: SourceFilter::Everyone,
            table,
            repeat,
        },
        CohortView {
            source: SourceFilter::Only(Source::Offer),
            table: CohortTable {
                rows: vec![CohortRow {
                    cohort: ym(2026, 9),
                    size: 1,
                    active: vec![1, 1, 1],
                    cumulative: vec![0, 1, 1],
                }],
                partial_month: ym(2026, 11),
            },
            repeat: Vec::new(),
        },
    ];
    data
}

pub fn card() -> CardData {
    let mut customers = customers();
    let aino = customers.remove(0);
    let order = |id, date, amount_cents, note: Option<&str>| Order {
        id,
        customer_id: 1,
        order_date: date,
        amount_cents,
        quantity: None,
        external_id: None,
        discount: false,
        note: note.map(String::from),
        entered_by: None,
    };
    let orders = vec![
        order(3, day(2026, 11, 20), 40_000, Some("catering")),
        order(2, day(2026, 9, 14), 50_000, None),
        order(1, day(2025, 12, 3), 33_450, None),
    ];
    let mut followups = followups();
    followups.retain(|f| f.customer_id == 1);
    CardData {
        monthly_revenue: monthly_revenue(&orders, as_of()),
        orders,
        interactions: vec![Interaction {
            id: 1,
            customer_id: 1,
            at: Utc
                .with_ymd_and_hms(2026, 11, 18, 12, 0, 0)
                .single()
                .unwrap_or_default(),
            kind: InteractionKind::Call,
            direction: Some(Direction::Inbound),
            text: "Asked about Christmas catering".into(),
            logged_by: Some("Aino".into()),
        }],
        followups,
        customer: aino,
        referred_by: None,
        referred: vec![(2, "Bertil Ek".into())],
        churn: Some(kanta::tui::data::CardChurn {
            p_alive: 0.874,
            expected_365d: 4.5,
            expected_revenue_365d: Some(1_912.5),
            spend_doubtful: false,
        }),
    }
}

pub fn app(lang: Lang) -> App {
    App::new(data(), lang, Keymap::default())
}

/// The screen as text, at a fixed size.
pub fn render(app: &App, width: u16, height: u16) -> String {
    let backend = TestBackend::new(width, height);
    let mut terminal = Terminal::new(backend).unwrap_or_else(|e| match e {});
    if terminal.draw(|f| draw(f, app)).is_err() {
        return String::from("draw failed");
    }
    if width == 0 {
        // TestBackend cannot print a zero-width buffer; drawing it is the test.
        return String::new();
    }
    terminal.backend().to_string()
}
