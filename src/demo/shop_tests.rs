//! The demo reads like a real small shop (SPEC section 7, `kanta demo`): cohort
//! activity that decays month by month, repeat rates at 90 days, 180 days and
//! ever that differ, every F score in use, and follow-ups a person can work
//! through. Checked on the figures kanta itself shows, at a small size and a
//! fixed seed.

use chrono::{Duration, NaiveDate};

use crate::analytics::churn::Model;
use crate::analytics::rules::RulesConfig;
use crate::analytics::{PyramidConfig, SourceFilter, cohorts, repeat_rates, rfm};
use crate::domain::{CustomerFacts, FollowUpStatus};
use crate::figures::{Figures, regenerate_followups};
use crate::store::Store;

use super::{DemoOptions, generate};
use crate::config::Config;
use crate::tui::data::DashboardData;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn demo(customers: u32, seed: u64) -> (Store, Vec<CustomerFacts>) {
    let mut store = Store::open_in_memory().unwrap();
    let options = DemoOptions {
        customers,
        seed,
        today: today(),
    };
    generate(&mut store, &options, &mut |_, _| {}).unwrap();
    let facts = store.load_facts().unwrap();
    (store, facts)
}

/// Active rate at each month offset, pooled over the cohorts whose cell at
/// that offset is complete (not D's month).
fn pooled_activity(facts: &[CustomerFacts], months: usize) -> Vec<f64> {
    let table = cohorts(facts, today());
    (1..=months)
        .map(|k| {
            let (mut active, mut size) = (0u64, 0u64);
            for row in &table.rows {
                if k < row.active.len() && !table.is_partial(row, k) {
                    active += u64::from(row.active[k]);
                    size += u64::from(row.size);
                }
            }
            active as f64 / size.max(1) as f64
        })
        .collect()
}

fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

#[test]
fn cohort_activity_decays_month_by_month() {
    for seed in [1, 2] {
        let (_, facts) = demo(3_000, seed);
        let rate = pooled_activity(&facts, 36);
        println!("{rate:.3?}");
        // A minority comes back in the month after the first purchase, and
        // fewer each half year after: the cohort triangle fades to the right.
        assert!((0.10..0.45).contains(&rate[0]), "{rate:?}");
        assert!(rate[2] < rate[0], "{rate:?}");
        let halves: Vec<f64> = rate.chunks(6).map(mean).collect();
        for pair in halves.windows(2) {
            assert!(pair[1] < pair[0], "{halves:?}");
        }
        assert!(halves[5] < 0.6 * halves[0], "{halves:?}");
    }
}

#[test]
fn repeat_rates_at_90_days_180_days_and_ever_differ() {
    let (_, facts) = demo(3_000, 1);
    let rows = repeat_rates(&facts, today(), SourceFilter::Everyone);
    let complete: Vec<_> = rows.iter().filter(|r| r.complete_180d).collect();
    let sum = |f: fn(&crate::analytics::RepeatRow) -> u32| {
        f64::from(complete.iter().map(|r| f(r)).sum::<u32>())
    };
    let size = sum(|r| r.size);
    let (r90, r180, ever) = (
        sum(|r| r.repeat_90d) / size,
        sum(|r| r.repeat_180d) / size,
        sum(|r| r.repeat_ever) / size,
    );
    println!("90 days {r90:.3}, 180 days {r180:.3}, ever {ever:.3}");
    assert!(r180 - r90 > 0.04, "{r90} {r180} {ever}");
    assert!(ever - r180 > 0.04, "{r90} {r180} {ever}");
    assert!((0.15..0.45).contains(&r90), "{r90}");
    assert!((0.35..0.70).contains(&ever), "{ever}");
}

#[test]
fn every_f_score_is_in_use() {
    for seed in [1, 2] {
        let (_, facts) = demo(1_000, seed);
        let scores = rfm(&facts, today());
        let mut per_f = [0usize; 5];
        for s in &scores {
            per_f[usize::from(s.f - 1)] += 1;
        }
        println!("F1..F5: {per_f:?}");
        let n = scores.len();
        // Every column of the RFM matrix holds a fair share of the buyers; F1
        // holds all who bought on one day only, as ties share a score.
        assert!(per_f.iter().all(|&c| c * 50 > n), "{per_f:?}");
    }
    // The dashboard's RFM matrix: no empty F column, each with its day range.
    let (store, facts) = demo(1_000, 1);
    let customers = store.listings().unwrap();
    let data = DashboardData::build(facts, &customers, &[], today(), &Config::default());
    for f in 0..5 {
        let members: usize = data.rfm_grid.iter().map(|line| line[f].members.len()).sum();
        assert!(members > 0, "F{} is empty", f + 1);
        assert!(
            data.f_ranges[f].is_some(),
            "F{}: {:?}",
            f + 1,
            data.f_ranges
        );
    }
}

#[test]
fn follow_ups_are_a_list_a_person_can_work_through() {
    // What the dashboard shows on its first open: the rules write what they
    // call for, beside the follow-ups the demo wrote.
    let (mut store, facts) = demo(3_000, 1);
    let figures = Figures::compute(&facts, today(), &PyramidConfig::default(), Model::MbgNbd);
    regenerate_followups(&mut store, &facts, &figures, &RulesConfig::default()).unwrap();
    let open = store.open_followups().unwrap();
    assert!(open.iter().all(|f| f.status == FollowUpStatus::Open));
    let oldest = open.iter().map(|f| f.due).min().unwrap();
    let due_now = open.iter().filter(|f| f.due <= today()).count();
    let mut by_rule = std::collections::BTreeMap::new();
    for f in open.iter().filter(|f| f.due <= today()) {
        *by_rule
            .entry(f.rule.clone().unwrap_or_default())
            .or_insert(0) += 1;
    }
    println!(
        "{} open, {due_now} due by today {by_rule:?}, the oldest due {oldest}",
        open.len()
    );
    // Nothing is more than a month overdue, and what is due is a few days' work.
    assert!(oldest >= today() - Duration::days(30), "{oldest}");
    assert!(due_now * 100 < 5 * facts.len(), "{due_now} {by_rule:?}");
    assert!(due_now > 10, "{due_now}");
    // Done ones are there too: the shop has worked its list before.
    let done: i64 = store
        .connection()
        .query_row(
            "SELECT count(*) FROM followups WHERE status = 'done' AND rule IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(done > due_now as i64, "{done}");
    // The churn model is fitted on the demo, so P(alive) and expected revenue show.
    let churn = figures.churn.as_ref().unwrap();
    assert!(churn.spend.is_ok(), "{:?}", churn.spend);
}
