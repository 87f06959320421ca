//! The models on the CDNOW 1/10 sample's transactions, calibration period to
//! 1997-09-30, against the `lifetimes` package (fixtures written by
//! `tests/fixtures/churn/make_mbgnbd_fixtures.py`).

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::*;
use crate::domain::DayTotal;

fn fixture(text: &str) -> Vec<Vec<f64>> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| {
            r.unwrap()
                .iter()
                .map(|v| v.parse().unwrap_or(f64::NAN))
                .collect()
        })
        .collect()
}

pub(crate) fn calibration_end() -> NaiveDate {
    NaiveDate::from_ymd_opt(1997, 9, 30).unwrap()
}

/// The transaction log as the store would hold it: one customer per id (their
/// ref is the id), one day total per day, orders after D included.
pub(crate) fn cdnow_facts() -> Vec<CustomerFacts> {
    let text = include_str!("../../../tests/fixtures/cdnow/transactions.csv");
    let mut days: BTreeMap<i64, BTreeMap<NaiveDate, i64>> = BTreeMap::new();
    for record in csv::Reader::from_reader(text.as_bytes()).records() {
        let record = record.unwrap();
        let id: i64 = record[0].parse().unwrap();
        let date: NaiveDate = record[1].parse().unwrap();
        let cents: i64 = record[2].parse().unwrap();
        *days.entry(id).or_default().entry(date).or_default() += cents;
    }
    days.into_iter()
        .map(|(id, days)| CustomerFacts {
            id,
            reference: id.to_string(),
            created_on: *days.keys().next().unwrap(),
            days: days
                .into_iter()
                .map(|(date, amount_cents)| DayTotal {
                    date,
                    amount_cents,
                    is_purchase: amount_cents >= 0,
                })
                .collect(),
            ..Default::default()
        })
        .collect()
}

/// lifetimes' fit of a model: parameters and the total log-likelihood there.
fn reference_fit(model: Model) -> (Params, f64) {
    let text = include_str!("../../../tests/fixtures/churn/cdnow_fit.csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.unwrap();
        if &record[0] == model.code() {
            let v: Vec<f64> = (1..6).map(|i| record[i].parse().unwrap()).collect();
            let params = Params {
                r: v[0],
                alpha: v[1],
                a: v[2],
                b: v[3],
            };
            return (params, v[4]);
        }
    }
    panic!("no fit of {model:?}");
}

fn within(ours: f64, theirs: f64, relative: f64) -> bool {
    (ours - theirs).abs() <= relative * theirs.abs()
}

/// Per customer: x, t_x, T, m_x, then per model P(alive), E90, E365, then spend
/// and MBG/NBD revenue (`cdnow_customers.csv` without its id column).
fn reference_customers() -> Vec<Vec<f64>> {
    fixture(include_str!(
        "../../../tests/fixtures/churn/cdnow_customers.csv"
    ))
}

#[test]
fn the_inputs_are_lifetimes_summary_of_the_transactions() {
    let facts = cdnow_facts();
    let reference = reference_customers();
    assert_eq!(facts.len(), 2357);
    let as_of = calibration_end();
    let churn = inputs(&facts, as_of);
    let spend = spend_inputs(&facts, as_of);
    for ((row, input), spend) in reference.iter().zip(&churn).zip(&spend) {
        let (input, spend) = (input.unwrap(), spend.unwrap());
        assert_eq!(
            (f64::from(input.x), input.t_x, input.t),
            (row[1], row[2], row[3]),
            "{row:?}"
        );
        assert!((spend.m_x - row[4]).abs() < 1e-9, "{row:?} {spend:?}");
    }
}

#[test]
fn both_models_fit_cdnow_as_lifetimes_does() {
    let facts = cdnow_facts();
    let as_of = calibration_end();
    let inputs: Vec<ChurnInput> = inputs(&facts, as_of).into_iter().flatten().collect();
    for model in [Model::MbgNbd, Model::BgNbd] {
        let params = fit(model, &inputs).unwrap();
        let (theirs, their_ll) = reference_fit(model);
        let ours = [params.r, params.alpha, params.a, params.b];
        let expected = [theirs.r, theirs.alpha, theirs.a, theirs.b];
        for (o, t) in ours.iter().zip(&expected) {
            assert!(within(*o, *t, 0.01), "{model:?}: {params:?} vs {theirs:?}");
        }
        // Our formula gives lifetimes' log-likelihood at its own fit, and our
        // fit is no worse than it.
        let at_theirs = log_likelihood(model, &theirs, &inputs);
        assert!(
            within(at_theirs, their_ll, 1e-10),
            "{at_theirs} vs {their_ll}"
        );
        assert!(log_likelihood(model, &params, &inputs) >= their_ll - 1e-6);
    }
    // The BG/NBD fit of the purchase days is the paper's, as on the weekly summary.
    let params = fit(Model::BgNbd, &inputs).unwrap();
    assert!(within(params.r, 0.243, 0.01) && within(params.b, 2.426, 0.01));
}

#[test]
fn the_spend_model_fits_cdnow_as_lifetimes_does() {
    let facts = cdnow_facts();
    let spend: Vec<SpendInput> = spend_inputs(&facts, calibration_end())
        .into_iter()
        .flatten()
        .collect();
    let found = fit_spend(&spend).unwrap();
    let theirs = &fixture(include_str!(
        "../../../tests/fixtures/churn/cdnow_spend_fit.csv"
    ))[0];
    let ours = [found.params.p, found.params.q, found.params.v];
    for (o, t) in ours.iter().zip(theirs) {
        assert!(within(*o, *t, 0.01), "{found:?} vs {theirs:?}");
    }
    // The paper's p = 6.25, q = 3.74, v = 15.44.
    assert!(within(found.params.p, 6.25, 0.01), "{found:?}");
    assert!(within(found.params.q, 3.74, 0.01), "{found:?}");
    assert!(within(found.params.v, 15.44, 0.01), "{found:?}");
    let their_params = SpendParams {
        p: theirs[0],
        q: theirs[1],
        v: theirs[2],
    };
    assert!(within(
        spend_log_likelihood(&their_params, &spend),
        theirs[3],
        1e-10
    ));
    assert!(spend_log_likelihood(&found.params, &spend) >= theirs[3] - 1e-6);
    assert!((found.correlation - theirs[4]).abs() < 1e-12, "{found:?}");
    assert_eq!(found.customers, theirs[5] as usize);
    assert!(!found.correlation_is_doubtful());
}

#[test]
fn the_report_on_cdnow_agrees_with_lifetimes_customer_by_customer() {
    let facts = cdnow_facts();
    let reference = reference_customers();
    for (model, column) in [(Model::MbgNbd, 5), (Model::BgNbd, 8)] {
        let report = churn_report(&facts, calibration_end(), model).unwrap();
        assert_eq!(report.rows.len(), reference.len());
        let mut worst = [0.0f64; 3];
        for (row, theirs) in report.rows.iter().zip(&reference) {
            assert_eq!(facts[row.index].reference, format!("{}", theirs[0] as i64));
            worst[0] = worst[0].max((row.p_alive - theirs[column]).abs());
            worst[1] = worst[1].max((row.expected_90d - theirs[column + 1]).abs());
            worst[2] = worst[2].max((row.expected_365d - theirs[column + 2]).abs());
            let spend = row.expected_spend.unwrap();
            assert!(within(spend, theirs[11], 0.01), "{row:?} {theirs:?}");
            if model == Model::MbgNbd {
                let revenue = row.expected_revenue_365d.unwrap();
                assert!(
                    (revenue - theirs[12]).abs() <= 0.01 * theirs[12].abs() + 0.01,
                    "{row:?} {theirs:?}"
                );
            }
        }
        assert!(worst[0] <= 0.01, "{model:?}: P(alive) off by {worst:?}");
        assert!(worst[1] <= 0.01 && worst[2] <= 0.02, "{model:?}: {worst:?}");
        println!(
            "{model:?}: {:?}; largest differences {worst:?}",
            report.params
        );
    }
}

#[test]
fn mbgnbd_formulas_match_lifetimes_at_given_parameters() {
    let rows = fixture(include_str!(
        "../../../tests/fixtures/churn/mbgnbd_customers.csv"
    ));
    assert_eq!(rows.len(), 80);
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
        let alive = p_alive(Model::MbgNbd, &params, &input);
        let e90 = expected_purchases(Model::MbgNbd, &params, &input, 90.0);
        let e365 = expected_purchases(Model::MbgNbd, &params, &input, 365.0);
        assert!(within(alive, row[7], 1e-9), "{row:?}: {alive}");
        assert!(within(e90, row[8], 1e-6), "{row:?}: {e90}");
        assert!(within(e365, row[9], 1e-6), "{row:?}: {e365}");
    }
}

#[test]
fn mbgnbd_and_spend_log_likelihoods_match_lifetimes() {
    let facts = cdnow_facts();
    let as_of = calibration_end();
    let inputs: Vec<ChurnInput> = inputs(&facts, as_of).into_iter().flatten().collect();
    let spend: Vec<SpendInput> = spend_inputs(&facts, as_of).into_iter().flatten().collect();
    let rows = fixture(include_str!(
        "../../../tests/fixtures/churn/mbgnbd_loglik.csv"
    ));
    assert_eq!(rows.len(), 3);
    for row in rows {
        let params = Params {
            r: row[0],
            alpha: row[1],
            a: row[2],
            b: row[3],
        };
        let ll = log_likelihood(Model::MbgNbd, &params, &inputs);
        assert!(within(ll, row[4], 1e-10), "{row:?}: {ll}");
        let spend_params = SpendParams {
            p: row[5],
            q: row[6],
            v: row[7],
        };
        let spend_ll = spend_log_likelihood(&spend_params, &spend);
        assert!(within(spend_ll, row[8], 1e-10), "{row:?}: {spend_ll}");
    }
}

#[test]
fn a_one_time_buyer_fades_under_mbgnbd_but_not_under_bgnbd() {
    let facts = cdnow_facts();
    let report = churn_report(&facts, calibration_end(), Model::MbgNbd).unwrap();
    let one_time: Vec<&ChurnRow> = report.rows.iter().filter(|r| r.x == 0).collect();
    // The longer ago the one purchase, the lower P(alive).
    let early = one_time.iter().find(|r| r.t == 272.0).unwrap();
    let late = one_time.iter().find(|r| r.t < 200.0).unwrap();
    assert!(
        early.p_alive < late.p_alive && early.p_alive < 0.5,
        "{early:?} {late:?}"
    );
    let bg = churn_report(&facts, calibration_end(), Model::BgNbd).unwrap();
    assert!(
        bg.rows
            .iter()
            .filter(|r| r.x == 0)
            .all(|r| r.p_alive == 1.0)
    );
}
