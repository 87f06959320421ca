use chrono::NaiveDate;

use super::*;
use crate::domain::DayTotal;

fn close(actual: f64, expected: f64, relative: f64) -> bool {
    (actual - expected).abs() <= relative * expected.abs()
}

fn fixture(text: &str) -> Vec<Vec<f64>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(|v| v.parse().unwrap()).collect())
        .collect()
}

fn cdnow() -> Vec<ChurnInput> {
    fixture(include_str!(
        "../../../tests/fixtures/cdnow/summary_days.csv"
    ))
    .into_iter()
    .map(|row| ChurnInput {
        x: row[1] as u32,
        t_x: row[2],
        t: row[3],
    })
    .collect()
}

const PAPER: Params = Params {
    r: 0.243,
    alpha: 30.9,
    a: 0.793,
    b: 2.426,
};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn day(text: &str, amount_cents: i64) -> DayTotal {
    DayTotal {
        date: date(text),
        amount_cents,
        is_purchase: amount_cents >= 0,
    }
}

#[test]
fn inputs_count_purchase_days_up_to_the_as_of_date() {
    let facts = vec![
        CustomerFacts {
            days: vec![
                day("2026-01-10", 500),
                day("2026-02-01", -300),
                day("2026-03-01", 0),
                day("2026-04-01", 900),
                day("2026-06-01", 100),
            ],
            ..Default::default()
        },
        CustomerFacts::default(),
        CustomerFacts {
            days: vec![day("2026-05-02", 100)],
            ..Default::default()
        },
    ];
    let found = inputs(&facts, date("2026-05-01"));
    // 2026-01-10, 2026-03-01 and 2026-04-01 are purchase days; the refund day is not.
    let expected = ChurnInput {
        x: 2,
        t_x: 81.0,
        t: 111.0,
    };
    assert_eq!(found, vec![Some(expected), None, None]);
}

#[test]
fn log_likelihood_matches_lifetimes() {
    let inputs = cdnow();
    let rows = fixture(include_str!("../../../tests/fixtures/churn/loglik.csv"));
    assert_eq!(rows.len(), 3);
    for row in rows {
        let params = Params {
            r: row[0],
            alpha: row[1],
            a: row[2],
            b: row[3],
        };
        let ll = log_likelihood(&params, &inputs);
        assert!(close(ll, row[4], 1e-9), "{params:?}: {ll} vs {}", row[4]);
    }
}

#[test]
fn grouping_keeps_every_customer() {
    let histories = Histories::new(&cdnow());
    assert_eq!(histories.customers(), 2357.0);
    assert!(histories.distinct() < 2357);
}

#[test]
fn fit_reproduces_the_papers_cdnow_parameters() {
    let params = fit(&cdnow()).unwrap();
    assert!(close(params.r, PAPER.r, 0.01), "{params:?}");
    assert!(close(params.alpha, PAPER.alpha, 0.01), "{params:?}");
    assert!(close(params.a, PAPER.a, 0.01), "{params:?}");
    assert!(close(params.b, PAPER.b, 0.01), "{params:?}");

    let lifetimes = &fixture(include_str!("../../../tests/fixtures/churn/fit.csv"))[0];
    let ours = [params.r, params.alpha, params.a, params.b];
    for (value, expected) in ours.iter().zip(lifetimes) {
        assert!(
            close(*value, *expected, 1e-5),
            "{params:?} vs {lifetimes:?}"
        );
    }
    // A maximum: no worse than the reference fit.
    let reference = Params {
        r: lifetimes[0],
        alpha: lifetimes[1],
        a: lifetimes[2],
        b: lifetimes[3],
    };
    let inputs = cdnow();
    assert!(log_likelihood(&params, &inputs) >= log_likelihood(&reference, &inputs) - 1e-6);
}

#[test]
fn p_alive_and_expected_purchases_match_lifetimes() {
    let rows = fixture(include_str!("../../../tests/fixtures/churn/customers.csv"));
    assert_eq!(rows.len(), 20);
    for row in rows {
        let input = ChurnInput {
            x: row[0] as u32,
            t_x: row[1],
            t: row[2],
        };
        let alive = p_alive(&PAPER, &input);
        let expected = expected_purchases(&PAPER, &input, 90.0);
        assert!(
            close(alive, row[3], 1e-6),
            "{input:?}: {alive} vs {}",
            row[3]
        );
        assert!(
            close(expected, row[4], 1e-6),
            "{input:?}: {expected} vs {}",
            row[4]
        );
    }
}

#[test]
fn expected_purchases_stays_finite_where_a_plain_series_overflows() {
    let rows = fixture(include_str!("../../../tests/fixtures/churn/extreme.csv"));
    assert_eq!(rows.len(), 6);
    for row in rows {
        let params = Params {
            r: row[0],
            alpha: row[1],
            a: row[2],
            b: row[3],
        };
        let input = ChurnInput {
            x: row[4] as u32,
            t_x: row[5],
            t: row[6],
        };
        let alive = p_alive(&params, &input);
        let expected = expected_purchases(&params, &input, 90.0);
        assert!(close(alive, row[7], 1e-6), "{params:?} {input:?}: {alive}");
        assert!(
            close(expected, row[8], 1e-6),
            "{params:?} {input:?}: {expected}"
        );
    }
}

#[test]
fn expected_purchases_is_continuous_through_a_equal_one() {
    let input = ChurnInput {
        x: 3,
        t_x: 100.0,
        t: 200.0,
    };
    let at = |a: f64| expected_purchases(&Params { a, ..PAPER }, &input, 90.0);
    let (below, one, above) = (at(0.999), at(1.0), at(1.001));
    assert!(one.is_finite());
    assert!(
        (below.min(above)..=below.max(above)).contains(&one),
        "{below} {one} {above}"
    );
}

fn repeat_customers(n: usize) -> Vec<ChurnInput> {
    let mut inputs: Vec<ChurnInput> = (0..n as u32)
        .map(|i| ChurnInput {
            x: 1 + i % 4,
            t_x: f64::from(10 + i),
            t: 200.0,
        })
        .collect();
    inputs.extend((0..100).map(|i| ChurnInput {
        x: 0,
        t_x: 0.0,
        t: f64::from(50 + i),
    }));
    inputs
}

#[test]
fn too_few_repeat_customers_is_not_fitted() {
    let error = fit(&repeat_customers(29)).unwrap_err();
    assert_eq!(
        error,
        FitError::NotEnoughRepeatCustomers {
            found: 29,
            needed: 30
        }
    );
    assert_eq!(error.to_string(), "not enough repeat customers (29 of 30)");
    assert!(fit(&repeat_customers(30)).is_ok());
}

#[test]
fn fit_without_a_finite_maximum_still_gives_a_model() {
    // Everyone buys every 10 days up to the as-of date: no sign of dropout, so
    // the likelihood keeps rising as the dropout probability goes to 0.
    let inputs: Vec<ChurnInput> = (1..=60u32)
        .map(|k| ChurnInput {
            x: k,
            t_x: f64::from(10 * k),
            t: f64::from(10 * k),
        })
        .collect();
    let params = fit(&inputs).unwrap();
    assert!(
        [params.r, params.alpha, params.a, params.b]
            .iter()
            .all(|p| p.is_finite())
    );
    let steady = ChurnInput {
        x: 30,
        t_x: 300.0,
        t: 305.0,
    };
    assert!(p_alive(&params, &steady) > 0.95, "{params:?}");
    let expected = expected_purchases(&params, &steady, 90.0);
    assert!((8.0..10.0).contains(&expected), "{params:?}: {expected}");
}

#[test]
fn churn_report_scores_customers_with_a_purchase_day() {
    let as_of = date("2026-06-30");
    let start = date("2025-01-01");
    let mut facts: Vec<CustomerFacts> = (0..120i64)
        .map(|i| {
            let first = start + chrono::Days::new((i * 3) as u64);
            let days = (0..(i % 5))
                .map(|k| DayTotal {
                    date: first + chrono::Days::new((k * (20 + i % 7)) as u64),
                    amount_cents: 1000,
                    is_purchase: true,
                })
                .collect();
            CustomerFacts {
                id: i,
                days,
                ..Default::default()
            }
        })
        .collect();
    facts.push(CustomerFacts::default());
    let report = churn_report(&facts, as_of).unwrap();
    // Customers with i % 5 == 0 have no order at all.
    assert_eq!(report.rows.len(), 96);
    assert!(report.rows.iter().all(|row| row.index % 5 != 0));
    for row in &report.rows {
        assert!((0.0..=1.0).contains(&row.p_alive), "{row:?}");
        assert!(
            row.expected_90d.is_finite() && row.expected_90d >= 0.0,
            "{row:?}"
        );
    }
}

/// 100,000 customers with realistic spread (CDNOW shifted in time).
/// `cargo test --release --lib fit_time -- --ignored --nocapture`
#[test]
#[ignore]
fn fit_time_of_one_hundred_thousand_customers() {
    let base = cdnow();
    let inputs: Vec<ChurnInput> = (0..43)
        .flat_map(|shift| {
            base.iter().map(move |i| ChurnInput {
                t: i.t + f64::from(shift) * 5.0,
                ..*i
            })
        })
        .collect();
    // CPU time of this thread too, as wall time is noisy on a shared machine.
    let cpu_ticks = || -> u64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect();
        fields
            .get(11..13)
            .map_or(0, |f| f.iter().filter_map(|v| v.parse::<u64>().ok()).sum())
    };
    let (started, cpu_started) = (std::time::Instant::now(), cpu_ticks());
    let params = fit(&inputs).unwrap();
    let elapsed = started.elapsed();
    println!("fit: {} CPU ticks of 10 ms", cpu_ticks() - cpu_started);
    let histories = Histories::new(&inputs);
    let distinct = histories.distinct();
    let clock = std::time::Instant::now();
    for _ in 0..100 {
        std::hint::black_box(histories.log_likelihood(std::hint::black_box(&params)));
    }
    println!("one evaluation: {:?}", clock.elapsed() / 100);
    println!(
        "{} customers, {distinct} distinct histories: {elapsed:?}, {params:?}",
        inputs.len()
    );
}
