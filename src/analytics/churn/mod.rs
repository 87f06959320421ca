//! The churn models of SPEC section 4, time unit days: MBG/NBD (Batislam,
//! Denizel & Filiztekin 2007), the default, and BG/NBD (Fader, Hardie & Lee 2005,
//! "Counting your customers the easy way"). Fitted by maximum likelihood; they
//! give each customer P(alive) and the expected number of purchase days in the
//! next 90 and 365 days. With the spend model (Gamma-Gamma, [`spend`]) they give
//! the expected revenue of the next 365 days.
//! May import: `domain` only, as all of `analytics`.

mod fit;
mod gradient;
mod likelihood;
mod optimize;
mod special;
pub(crate) mod spend;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::CustomerFacts;

pub(crate) use likelihood::Histories;
pub(crate) use special::hyp2f1;
pub(crate) use spend::{SpendFit, SpendInput, expected_spend, fit_spend};
#[cfg(test)]
pub(crate) use spend::{SpendParams, spend_log_likelihood};

use fit::{Found, maximize};

/// Below this many repeat customers (x > 0) the model is not fitted.
pub(crate) const MIN_REPEAT_CUSTOMERS: usize = 30;

/// The horizons of the expected purchase days, in days.
pub(crate) const HORIZON_DAYS: f64 = 90.0;
pub(crate) const YEAR_DAYS: f64 = 365.0;

/// Which churn model: `churn.model` in the config, `--model` on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Model {
    /// MBG/NBD: a customer may also drop out right after the first purchase,
    /// so a one-time buyer's P(alive) falls as time passes.
    #[default]
    MbgNbd,
    /// BG/NBD: dropout only after a repeat purchase; a one-time buyer's
    /// P(alive) is 1.
    BgNbd,
}

impl Model {
    /// The name in reports and the config.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Model::MbgNbd => "mbgnbd",
            Model::BgNbd => "bgnbd",
        }
    }

    /// The name in sentences.
    pub(crate) fn title(self) -> &'static str {
        match self {
            Model::MbgNbd => "MBG/NBD",
            Model::BgNbd => "BG/NBD",
        }
    }
}

impl std::str::FromStr for Model {
    type Err = String;

    fn from_str(text: &str) -> Result<Model, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "mbgnbd" => Ok(Model::MbgNbd),
            "bgnbd" => Ok(Model::BgNbd),
            _ => Err(format!("{text:?} is not a churn model (mbgnbd or bgnbd)")),
        }
    }
}

/// The `[churn]` table of the config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct ChurnConfig {
    pub(crate) model: Model,
}

/// A customer's purchase history as the model sees it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct ChurnInput {
    /// Repeat purchase days: frequency - 1.
    pub(crate) x: u32,
    /// Days from the first to the last purchase day.
    pub(crate) t_x: f64,
    /// Days from the first purchase day to the as-of date (T in the paper).
    pub(crate) t: f64,
}

/// The model's four parameters: purchase rates are Gamma(r, alpha) across
/// customers (alpha in days), dropout probabilities Beta(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Params {
    pub(crate) r: f64,
    pub(crate) alpha: f64,
    pub(crate) a: f64,
    pub(crate) b: f64,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum FitError {
    #[error("not enough history: {found} repeat customers, the models need {needed}")]
    NotEnoughRepeatCustomers { found: usize, needed: usize },
    #[error(
        "the {model} model has no best fit on this history: its likelihood keeps improving as {parameter} {}",
        if *growing { "grows without bound" } else { "shrinks toward 0" }
    )]
    NoFiniteMaximum {
        /// `MBG/NBD`, `BG/NBD` or `spend`.
        model: &'static str,
        parameter: &'static str,
        growing: bool,
    },
    #[error("the model's fit did not converge after {evaluations} evaluations")]
    NotConverged { evaluations: usize },
    #[error("the spend model's fit puts the mean spend at infinity (q <= 1)")]
    InfiniteMeanSpend,
}

/// The model's view of each customer at `as_of`, in the order of `facts`;
/// `None` for a customer without a purchase day on or before `as_of`.
pub(crate) fn inputs(facts: &[CustomerFacts], as_of: NaiveDate) -> Vec<Option<ChurnInput>> {
    facts
        .iter()
        .map(|customer| {
            let mut days = customer.purchase_days(as_of);
            let first = days.next()?;
            let (count, last) = days.fold((1u32, first), |(n, _), day| (n + 1, day));
            Some(ChurnInput {
                x: count - 1,
                t_x: (last - first).num_days() as f64,
                t: (as_of - first).num_days() as f64,
            })
        })
        .collect()
}

/// The spend model's view of each customer at `as_of`: x and the mean of the
/// day totals of the repeat purchase days (every purchase day after the first),
/// in major units; `None` without a purchase day.
pub(crate) fn spend_inputs(facts: &[CustomerFacts], as_of: NaiveDate) -> Vec<Option<SpendInput>> {
    facts
        .iter()
        .map(|customer| {
            let mut days = customer
                .days
                .iter()
                .take_while(|d| d.date <= as_of)
                .filter(|d| d.is_purchase);
            days.next()?;
            let (count, cents) = days.fold((0u32, 0i128), |(n, sum), d| {
                (n + 1, sum + i128::from(d.amount_cents))
            });
            let m_x = if count == 0 {
                0.0
            } else {
                cents as f64 / 100.0 / f64::from(count)
            };
            Some(SpendInput { x: count, m_x })
        })
        .collect()
}

/// Total log-likelihood of `inputs` at `params`.
#[cfg(test)]
pub(crate) fn log_likelihood(model: Model, params: &Params, inputs: &[ChurnInput]) -> f64 {
    Histories::new(inputs).log_likelihood(model, params)
}

fn params_of(log_params: &[f64]) -> Params {
    Params {
        r: log_params[0].exp(),
        alpha: log_params[1].exp(),
        a: log_params[2].exp(),
        b: log_params[3].exp(),
    }
}

const NAMES: [&str; 4] = ["r", "alpha", "a", "b"];

/// Maximum-likelihood fit over all given customers. A history with no finite
/// maximum (nobody seems to drop out, or all buy at one rate, and a parameter
/// runs off to infinity) is not fitted.
pub(crate) fn fit(model: Model, inputs: &[ChurnInput]) -> Result<Params, FitError> {
    let repeat = inputs.iter().filter(|i| i.x > 0).count();
    if repeat < MIN_REPEAT_CUSTOMERS {
        return Err(FitError::NotEnoughRepeatCustomers {
            found: repeat,
            needed: MIN_REPEAT_CUSTOMERS,
        });
    }
    let histories = Histories::new(inputs);
    let customers = histories.customers();
    // Start where a Poisson rate of mean(x) / mean(T) and an even dropout would put it.
    let mean_x = inputs.iter().map(|i| f64::from(i.x)).sum::<f64>() / customers;
    let mean_t = inputs.iter().map(|i| i.t).sum::<f64>() / customers;
    let alpha = (mean_t.max(1.0) / mean_x.max(1e-3)).ln();
    let start = [0.0, alpha, 0.0, 0.0];
    let found = maximize(
        |log_params| histories.log_likelihood(model, &params_of(log_params)),
        customers,
        &start,
        // r and alpha together: one purchase rate for all; a and b together:
        // one dropout probability for all.
        &[&[0, 1], &[2, 3]],
    );
    match found {
        Found::Maximum(point) => Ok(params_of(&point)),
        Found::NoFiniteMaximum { index, growing } => Err(FitError::NoFiniteMaximum {
            model: model.title(),
            parameter: NAMES[index],
            growing,
        }),
        Found::NotConverged { evaluations } => Err(FitError::NotConverged { evaluations }),
    }
}

/// Probability that the customer has not dropped out by the as-of date.
pub(crate) fn p_alive(model: Model, params: &Params, input: &ChurnInput) -> f64 {
    if model == Model::BgNbd && input.x == 0 {
        return 1.0;
    }
    1.0 / (1.0 + dropout_odds(model, params, input).exp())
}

/// ln of the odds against being alive: ln(a / (b + x - 1)) for BG/NBD (x > 0),
/// ln(a / (b + x)) for MBG/NBD, plus (r + x) ln((alpha + T) / (alpha + t_x)).
fn dropout_odds(model: Model, params: &Params, input: &ChurnInput) -> f64 {
    let Params { r, alpha, a, b } = *params;
    let x = f64::from(input.x);
    let b_x = match model {
        Model::BgNbd => b + x - 1.0,
        Model::MbgNbd => b + x,
    };
    (a / b_x).ln() + (r + x) * ((alpha + input.t) / (alpha + input.t_x)).ln()
}

/// Expected number of purchase days in the `t_days` after the as-of date
/// (BG/NBD: equation 10 of the paper; MBG/NBD: SPEC section 4). NaN only if 2F1
/// cannot be summed, which needs an alpha + T thousands of times smaller than
/// `t_days`.
pub(crate) fn expected_purchases(
    model: Model,
    params: &Params,
    input: &ChurnInput,
    t_days: f64,
) -> f64 {
    // The formula divides by a - 1; at a = 1 its limit is taken as the mean of
    // two close neighbours, the error being far below the model's precision.
    const NEAR_ONE: f64 = 1e-4;
    if (params.a - 1.0).abs() < NEAR_ONE {
        let at = |a: f64| expected_purchases_raw(model, &Params { a, ..*params }, input, t_days);
        return 0.5 * (at(1.0 - NEAR_ONE) + at(1.0 + NEAR_ONE));
    }
    expected_purchases_raw(model, params, input, t_days)
}

fn expected_purchases_raw(model: Model, params: &Params, input: &ChurnInput, t_days: f64) -> f64 {
    let Params { r, alpha, a, b } = *params;
    let x = f64::from(input.x);
    // BG/NBD: c/(a-1) (1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; c; z)),
    // c = a+b+x-1; MBG/NBD the same with b+x+1 and c = a+b+x.
    let (c, q) = match model {
        Model::BgNbd => (a + b + x - 1.0, b + x),
        Model::MbgNbd => (a + b + x, b + x + 1.0),
    };
    let z = t_days / (alpha + input.t + t_days);
    // ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, q; c; z) equals, by Euler's
    // transformation, (1-z)^(a-1) 2F1(c-r-x, a-1; c; z), as c - q = a - 1.
    // Either series can overflow before it converges (large x, or large a and
    // b); the one whose terms grow least is summed.
    let growth = |p: f64, q: f64| (p * q / c * z).abs();
    let (power, p, q) = if growth(r + x, q) <= growth(c - r - x, a - 1.0) {
        (r + x, r + x, q)
    } else {
        (a - 1.0, c - r - x, a - 1.0)
    };
    let Some(series) = hyp2f1(p, q, c, z) else {
        return f64::NAN;
    };
    let bracket = 1.0 - (1.0 - z).powf(power) * series;
    c / (a - 1.0) * bracket * p_alive(model, params, input)
}

/// One customer's line of the churn report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct ChurnRow {
    /// Index of the customer in the facts given to [`churn_report`].
    pub(crate) index: usize,
    pub(crate) x: u32,
    pub(crate) t_x: f64,
    #[serde(rename = "T")]
    pub(crate) t: f64,
    pub(crate) p_alive: f64,
    pub(crate) expected_90d: f64,
    pub(crate) expected_365d: f64,
    /// Expected spend per purchase day, in major units; `None` when the spend
    /// model is not fitted.
    pub(crate) expected_spend: Option<f64>,
    /// expected_365d times expected_spend.
    pub(crate) expected_revenue_365d: Option<f64>,
}

/// What the churn and spend models say of one customer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChurnFigures {
    pub(crate) p_alive: f64,
    /// Expected purchase days in the next 90 and 365 days.
    pub(crate) expected_90d: f64,
    pub(crate) expected_365d: f64,
    /// Expected revenue in the next 365 days, in major units (euros); `None`
    /// when the spend model is not fitted.
    pub(crate) expected_revenue_365d: Option<f64>,
}

/// The fitted models and every customer with a purchase day.
#[derive(Debug, Clone, PartialEq)]
pub struct ChurnReport {
    pub(crate) model: Model,
    pub(crate) params: Params,
    /// The spend model, or why it is not fitted.
    pub(crate) spend: Result<SpendFit, FitError>,
    pub(crate) rows: Vec<ChurnRow>,
}

impl ChurnReport {
    /// Each customer's figures by index into the facts (of `customers` in all);
    /// `None` for a customer without a purchase day.
    pub(crate) fn per_customer(&self, customers: usize) -> Vec<Option<ChurnFigures>> {
        let mut figures = vec![None; customers];
        for row in &self.rows {
            if let Some(slot) = figures.get_mut(row.index) {
                *slot = Some(ChurnFigures {
                    p_alive: row.p_alive,
                    expected_90d: row.expected_90d,
                    expected_365d: row.expected_365d,
                    expected_revenue_365d: row.expected_revenue_365d,
                });
            }
        }
        figures
    }

    /// Whether the spend model's independence assumption is doubtful.
    pub(crate) fn spend_is_doubtful(&self) -> bool {
        self.spend
            .as_ref()
            .is_ok_and(|s| s.correlation_is_doubtful())
    }
}

/// Fits the models at `as_of` and scores every customer with a purchase day,
/// in the order of `facts`.
pub(crate) fn churn_report(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    model: Model,
) -> Result<ChurnReport, FitError> {
    let indexed: Vec<(usize, ChurnInput, SpendInput)> = inputs(facts, as_of)
        .into_iter()
        .zip(spend_inputs(facts, as_of))
        .enumerate()
        .filter_map(|(index, (input, spend))| Some((index, input?, spend?)))
        .collect();
    let model_inputs: Vec<ChurnInput> = indexed.iter().map(|(_, input, _)| *input).collect();
    let spend_model_inputs: Vec<SpendInput> = indexed.iter().map(|(_, _, s)| *s).collect();
    // The two fits are independent: on a large store each takes a few hundred
    // milliseconds, so the spend model is fitted beside the churn model.
    let (params, spend) = std::thread::scope(|scope| {
        let spend = scope.spawn(|| fit_spend(&spend_model_inputs));
        let params = fit(model, &model_inputs);
        let spend = spend
            .join()
            .unwrap_or(Err(FitError::NotConverged { evaluations: 0 }));
        (params, spend)
    });
    let params = params?;
    let rows = indexed
        .into_iter()
        .map(|(index, input, spend_input)| {
            let expected_365d = expected_purchases(model, &params, &input, YEAR_DAYS);
            let expected_spend = spend
                .as_ref()
                .ok()
                .map(|s| expected_spend(&s.params, &spend_input));
            ChurnRow {
                index,
                x: input.x,
                t_x: input.t_x,
                t: input.t,
                p_alive: p_alive(model, &params, &input),
                expected_90d: expected_purchases(model, &params, &input, HORIZON_DAYS),
                expected_365d,
                expected_spend,
                expected_revenue_365d: expected_spend.map(|s| s * expected_365d),
            }
        })
        .collect();
    Ok(ChurnReport {
        model,
        params,
        spend,
        rows,
    })
}

#[cfg(test)]
mod tests;
#[cfg(test)]
pub(crate) mod tests_cdnow;
