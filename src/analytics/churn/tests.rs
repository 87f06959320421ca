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
        let ll = log_likelihood(Model::BgNbd, &params, &inputs);
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
    let params = fit(Model::BgNbd, &cdnow()).unwrap();
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
    assert!(
        log_likelihood(Model::BgNbd, &params, &inputs)
            >= log_likelihood(Model::BgNbd, &reference, &inputs) - 1e-6
    );
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
        let alive = p_alive(Model::BgNbd, &PAPER, &input);
        let expected = expected_purchases(Model::BgNbd, &PAPER, &input, 90.0);
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
        let alive = p_alive(Model::BgNbd, &params, &input);
        let expected = expected_purchases(Model::BgNbd, &params, &input, 90.0);
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
    for model in [Model::BgNbd, Model::MbgNbd] {
        let at = |a: f64| expected_purchases(model, &Params { a, ..PAPER }, &input, 90.0);
        let (below, one, above) = (at(0.999), at(1.0), at(1.001));
        assert!(one.is_finite());
        assert!(
            (below.min(above)..=below.max(above)).contains(&one),
            "{below} {one} {above}"
        );
    }
}

/// The first `n` repeat customers of CDNOW and its first 100 one-time buyers.
fn repeat_customers(n: usize) -> Vec<ChurnInput> {
    let all = cdnow();
    let mut inputs: Vec<ChurnInput> = all.iter().filter(|i| i.x > 0).take(n).copied().collect();
    inputs.extend(all.iter().filter(|i| i.x == 0).take(100));
    inputs
}

#[test]
fn too_few_repeat_customers_is_not_fitted() {
    for model in [Model::MbgNbd, Model::BgNbd] {
        let error = fit(model, &repeat_customers(29)).unwrap_err();
        assert_eq!(
            error,
            FitError::NotEnoughRepeatCustomers {
                found: 29,
                needed: 30
            }
        );
        assert_eq!(
            error.to_string(),
            "not enough history: 29 repeat customers, the models need 30"
        );
        assert!(fit(model, &repeat_customers(30)).is_ok());
    }
}

#[test]
fn a_fit_without_a_finite_maximum_is_not_fitted() {
    // Everyone buys every 10 days up to the as-of date: no sign of dropout, and
    // one rate for all, so the likelihood keeps rising as a parameter runs off.
    let inputs: Vec<ChurnInput> = (1..=60u32)
        .map(|k| ChurnInput {
            x: k,
            t_x: f64::from(10 * k),
            t: f64::from(10 * k),
        })
        .collect();
    for model in [Model::MbgNbd, Model::BgNbd] {
        let error = fit(model, &inputs).unwrap_err();
        assert!(
            matches!(error, FitError::NoFiniteMaximum { .. }),
            "{model:?}: {error:?}"
        );
        let sentence = error.to_string();
        assert!(
            sentence.starts_with(&format!(
                "the {} model has no best fit on this history: its likelihood keeps improving as ",
                model.title()
            )),
            "{sentence}"
        );
    }
}

#[test]
fn nobody_dropping_out_is_not_fitted() {
    // Poisson-like buyers at different rates, all still buying at D: the
    // rates are fitted, but the dropout keeps improving toward nothing.
    let inputs: Vec<ChurnInput> = (0..200u32)
        .map(|i| {
            let gap = 5 + i % 40;
            let x = 300 / gap;
            ChurnInput {
                x,
                t_x: f64::from(x * gap),
                t: f64::from(x * gap + i % 3),
            }
        })
        .collect();
    for model in [Model::MbgNbd, Model::BgNbd] {
        let error = fit(model, &inputs).unwrap_err();
        assert!(
            matches!(error, FitError::NoFiniteMaximum { .. }),
            "{model:?}: {error:?}"
        );
    }
}

#[test]
fn churn_report_scores_customers_with_a_purchase_day() {
    // The first 400 histories of CDNOW laid out as days ending at D, every
    // fifth customer without an order, and a purchase day after D.
    let as_of = date("2026-06-30");
    let day_at = |days_before: f64| as_of - chrono::Days::new(days_before as u64);
    let facts: Vec<CustomerFacts> = cdnow()
        .into_iter()
        .take(400)
        .enumerate()
        .map(|(i, input)| {
            let mut days: Vec<DayTotal> = if i % 5 == 0 {
                vec![]
            } else {
                (0..=input.x)
                    .map(|k| {
                        let offset = if input.x == 0 {
                            0.0
                        } else {
                            (input.t_x * f64::from(k) / f64::from(input.x)).round()
                        };
                        DayTotal {
                            date: day_at(input.t - offset),
                            // Each customer spends around an amount of their own.
                            amount_cents: (500 + (i as i64 * 7919) % 97 * 100)
                                * (7 + (i as i64 + i64::from(k) * 13) % 7)
                                / 10,
                            is_purchase: true,
                        }
                    })
                    .collect()
            };
            days.dedup_by_key(|d| d.date);
            if i % 7 == 1 {
                days.push(day("2026-07-02", 500));
            }
            CustomerFacts {
                id: i as i64,
                days,
                ..Default::default()
            }
        })
        .collect();
    let report = churn_report(&facts, as_of, Model::MbgNbd).unwrap();
    assert_eq!(report.rows.len(), 320);
    assert!(report.rows.iter().all(|row| row.index % 5 != 0));
    assert!(report.spend.is_ok(), "{:?}", report.spend);
    for row in &report.rows {
        assert!((0.0..=1.0).contains(&row.p_alive), "{row:?}");
        assert!(
            row.expected_90d.is_finite() && row.expected_90d >= 0.0,
            "{row:?}"
        );
        assert!(row.expected_365d >= row.expected_90d, "{row:?}");
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
    let params = fit(Model::MbgNbd, &inputs).unwrap();
    let elapsed = started.elapsed();
    println!("fit: {} CPU ticks of 10 ms", cpu_ticks() - cpu_started);
    let histories = Histories::new(&inputs);
    let distinct = histories.distinct();
    let clock = std::time::Instant::now();
    for _ in 0..100 {
        std::hint::black_box(
            histories.log_likelihood(Model::MbgNbd, std::hint::black_box(&params)),
        );
    }
    println!("one evaluation: {:?}", clock.elapsed() / 100);
    println!(
        "{} customers, {distinct} distinct histories: {elapsed:?}, {params:?}",
        inputs.len()
    );
}
