//! The churn model of SPEC section 4: BG/NBD (Fader, Hardie & Lee 2005,
//! "Counting your customers the easy way"), time unit days. Fitted by maximum
//! likelihood; gives each customer P(alive) and the expected number of purchase
//! days in the next 90 days.

mod gradient;
mod likelihood;
mod optimize;
mod special;

use chrono::NaiveDate;
use serde::Serialize;
use thiserror::Error;

use crate::domain::CustomerFacts;

pub use likelihood::Histories;
pub use special::hyp2f1;

/// Below this many repeat customers (x > 0) the model is not fitted.
pub const MIN_REPEAT_CUSTOMERS: usize = 30;

/// The horizon of the report's expected purchase days.
pub const HORIZON_DAYS: f64 = 90.0;

/// A customer's purchase history as the model sees it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChurnInput {
    /// Repeat purchase days: frequency - 1.
    pub x: u32,
    /// Days from the first to the last purchase day.
    pub t_x: f64,
    /// Days from the first purchase day to the as-of date (T in the paper).
    pub t: f64,
}

/// The model's four parameters: purchase rates are Gamma(r, alpha) across
/// customers (alpha in days), dropout probabilities Beta(a, b).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Params {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum FitError {
    #[error("not enough repeat customers ({found} of {needed})")]
    NotEnoughRepeatCustomers { found: usize, needed: usize },
    #[error("the churn model did not converge after {evaluations} evaluations")]
    NotConverged { evaluations: usize },
}

/// The model's view of each customer at `as_of`, in the order of `facts`;
/// `None` for a customer without a purchase day on or before `as_of`.
pub fn inputs(facts: &[CustomerFacts], as_of: NaiveDate) -> Vec<Option<ChurnInput>> {
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

/// Total log-likelihood of `inputs` at `params`.
pub fn log_likelihood(params: &Params, inputs: &[ChurnInput]) -> f64 {
    Histories::new(inputs).log_likelihood(params)
}

fn params_of(log_params: &[f64]) -> Params {
    Params {
        r: log_params[0].exp(),
        alpha: log_params[1].exp(),
        a: log_params[2].exp(),
        b: log_params[3].exp(),
    }
}

/// Log-parameters beyond this are treated as undefined, a wall for the search.
const LOG_PARAM_LIMIT: f64 = 25.0;

/// Weight of a ridge on the log-parameters, used only when the plain maximum
/// likelihood does not converge: some data sets have no finite maximum (nobody
/// seems to drop out, or all buy at one rate, and a parameter runs off to
/// infinity along a flat ridge). On CDNOW it would move the estimates by 2e-4.
const RIDGE: f64 = 1e-6;

/// Evaluations allowed to the plain maximum likelihood before the ridge is added.
const PLAIN_FIT_EVALUATIONS: usize = 4_000;

/// Maximum-likelihood fit over all given customers, on log-parameters: BFGS
/// first (fast on a smooth maximum), Nelder-Mead when BFGS fails, and Nelder-Mead
/// with a tiny ridge when there is no finite maximum.
pub fn fit(inputs: &[ChurnInput]) -> Result<Params, FitError> {
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
    let objective = |ridge: f64| {
        let histories = &histories;
        move |log_params: &[f64]| {
            if log_params.iter().any(|p| p.abs() > LOG_PARAM_LIMIT) {
                return f64::INFINITY;
            }
            let penalty = ridge * log_params.iter().map(|p| p * p).sum::<f64>();
            -histories.log_likelihood(&params_of(log_params)) / customers + penalty
        }
    };
    let settings = optimize::Settings::default();
    // A fit with a maximum converges in about 1,000 evaluations; past a few
    // times that it is creeping along a flat ridge, and the ridge weight is due.
    let plain = optimize::Settings {
        max_evaluations: PLAIN_FIT_EVALUATIONS,
        ..settings
    };
    let found = gradient::minimize(objective(0.0), &start)
        .or_else(|_| optimize::minimize(objective(0.0), &start, &plain))
        .or_else(|_| optimize::minimize(objective(RIDGE), &start, &settings));
    match found {
        Ok(found) => Ok(params_of(&found.point)),
        Err(stopped) => Err(FitError::NotConverged {
            evaluations: stopped.evaluations,
        }),
    }
}

/// Probability that the customer has not dropped out by the as-of date.
pub fn p_alive(params: &Params, input: &ChurnInput) -> f64 {
    if input.x == 0 {
        return 1.0;
    }
    1.0 / (1.0 + dropout_odds(params, input).exp())
}

/// ln of the odds against being alive, for x > 0.
fn dropout_odds(params: &Params, input: &ChurnInput) -> f64 {
    let Params { r, alpha, a, b } = *params;
    let x = f64::from(input.x);
    (a / (b + x - 1.0)).ln() + (r + x) * ((alpha + input.t) / (alpha + input.t_x)).ln()
}

/// Expected number of purchase days in the `t_days` after the as-of date
/// (equation 10 of the paper). NaN only if 2F1 cannot be summed, which needs an
/// alpha + T thousands of times smaller than `t_days`.
pub fn expected_purchases(params: &Params, input: &ChurnInput, t_days: f64) -> f64 {
    // The formula divides by a - 1; at a = 1 its limit is taken as the mean of
    // two close neighbours, the error being far below the model's precision.
    const NEAR_ONE: f64 = 1e-4;
    if (params.a - 1.0).abs() < NEAR_ONE {
        let at = |a: f64| expected_purchases_raw(&Params { a, ..*params }, input, t_days);
        return 0.5 * (at(1.0 - NEAR_ONE) + at(1.0 + NEAR_ONE));
    }
    expected_purchases_raw(params, input, t_days)
}

fn expected_purchases_raw(params: &Params, input: &ChurnInput, t_days: f64) -> f64 {
    let Params { r, alpha, a, b } = *params;
    let x = f64::from(input.x);
    let c = a + b + x - 1.0;
    let z = t_days / (alpha + input.t + t_days);
    // The paper's ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; c; z) equals, by
    // Euler's transformation, (1-z)^(a-1) 2F1(c-r-x, a-1; c; z). Either series
    // can overflow before it converges (large x, or large a and b); the one whose
    // terms grow least is summed.
    let growth = |p: f64, q: f64| (p * q / c * z).abs();
    let (power, p, q) = if growth(r + x, b + x) <= growth(a + b - 1.0 - r, a - 1.0) {
        (r + x, r + x, b + x)
    } else {
        (a - 1.0, a + b - 1.0 - r, a - 1.0)
    };
    let Some(series) = hyp2f1(p, q, c, z) else {
        return f64::NAN;
    };
    let bracket = 1.0 - (1.0 - z).powf(power) * series;
    c / (a - 1.0) * bracket * p_alive(params, input)
}

/// One customer's line of the churn report.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ChurnRow {
    /// Index of the customer in the facts given to [`churn_report`].
    pub index: usize,
    pub x: u32,
    pub t_x: f64,
    #[serde(rename = "T")]
    pub t: f64,
    pub p_alive: f64,
    pub expected_90d: f64,
}

/// The fitted model and every customer with a purchase day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChurnReport {
    pub params: Params,
    pub rows: Vec<ChurnRow>,
}

/// Fits the model at `as_of` and scores every customer with a purchase day,
/// in the order of `facts`.
pub fn churn_report(facts: &[CustomerFacts], as_of: NaiveDate) -> Result<ChurnReport, FitError> {
    let indexed: Vec<(usize, ChurnInput)> = inputs(facts, as_of)
        .into_iter()
        .enumerate()
        .filter_map(|(index, input)| Some((index, input?)))
        .collect();
    let model_inputs: Vec<ChurnInput> = indexed.iter().map(|(_, input)| *input).collect();
    let params = fit(&model_inputs)?;
    let rows = indexed
        .into_iter()
        .map(|(index, input)| ChurnRow {
            index,
            x: input.x,
            t_x: input.t_x,
            t: input.t,
            p_alive: p_alive(&params, &input),
            expected_90d: expected_purchases(&params, &input, HORIZON_DAYS),
        })
        .collect();
    Ok(ChurnReport { params, rows })
}

#[cfg(test)]
mod tests;
