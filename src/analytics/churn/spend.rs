//! The spend model of SPEC section 4: Gamma-Gamma (Fader, Hardie & Lee 2005,
//! "RFM and CLV: using iso-value curves"). Each customer's mean spend per
//! purchase day is Gamma(p, nu) with nu ~ Gamma(q, v) across customers; fitted
//! by maximum likelihood over the customers with x >= 1 and m_x > 0.

use serde::Serialize;

use super::fit::{Found, maximize};
use super::special::ln_gamma;
use super::{FitError, MIN_REPEAT_CUSTOMERS};

/// What the spend model knows of a customer: repeat purchase days x and the
/// mean of their days' totals m_x, in major units (euros), both up to D.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct SpendInput {
    pub(crate) x: u32,
    pub(crate) m_x: f64,
}

impl SpendInput {
    /// Whether the model is fitted on this customer (x >= 1, m_x > 0).
    pub(crate) fn is_fitted_on(&self) -> bool {
        self.x >= 1 && self.m_x > 0.0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct SpendParams {
    pub(crate) p: f64,
    pub(crate) q: f64,
    pub(crate) v: f64,
}

/// The fitted spend model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct SpendFit {
    pub(crate) params: SpendParams,
    /// Pearson correlation of x and m_x over the fitted customers; the model
    /// assumes none.
    pub(crate) correlation: f64,
    /// Customers fitted on.
    pub(crate) customers: usize,
}

/// Above this |correlation| the model's independence assumption is doubtful.
pub(crate) const DOUBTFUL_CORRELATION: f64 = 0.3;

impl SpendFit {
    pub(crate) fn correlation_is_doubtful(&self) -> bool {
        self.correlation.abs() > DOUBTFUL_CORRELATION
    }
}

/// Expected spend per purchase day: p (v + x m_x) / (p x + q - 1) for a
/// customer the model was fitted on, the population mean p v / (q - 1) for
/// everyone else.
pub(crate) fn expected_spend(params: &SpendParams, input: &SpendInput) -> f64 {
    let SpendParams { p, q, v } = *params;
    if input.is_fitted_on() {
        let x = f64::from(input.x);
        p * (v + x * input.m_x) / (p * x + q - 1.0)
    } else {
        p * v / (q - 1.0)
    }
}

/// The fitted customers grouped by x: the terms of x alone are computed once
/// per x, leaving one logarithm per customer and evaluation.
struct Spenders {
    /// (x, customers with that x, sum of their ln m_x)
    by_x: Vec<(f64, f64, f64)>,
    /// (x, m_x) per customer.
    each: Vec<(f64, f64)>,
}

impl Spenders {
    fn new(inputs: &[SpendInput]) -> Spenders {
        let mut by_x: std::collections::BTreeMap<u32, (f64, f64)> = Default::default();
        let mut each = Vec::new();
        for input in inputs.iter().filter(|i| i.is_fitted_on()) {
            let slot = by_x.entry(input.x).or_default();
            slot.0 += 1.0;
            slot.1 += input.m_x.ln();
            each.push((f64::from(input.x), input.m_x));
        }
        Spenders {
            by_x: by_x
                .into_iter()
                .map(|(x, (n, ln_m))| (f64::from(x), n, ln_m))
                .collect(),
            each,
        }
    }

    /// Sum over customers of ln f(m_x | p, q, v, x): ln Gamma(px+q) -
    /// ln Gamma(px) - ln Gamma(q) + q ln v + (px-1) ln m + px ln x - (px+q) ln(xm+v).
    fn log_likelihood(&self, params: &SpendParams) -> f64 {
        let SpendParams { p, q, v } = *params;
        let constant = -ln_gamma(q) + q * v.ln();
        let by_x: f64 = self
            .by_x
            .iter()
            .map(|&(x, n, ln_m)| {
                let px = p * x;
                n * (ln_gamma(px + q) - ln_gamma(px) + constant + px * x.ln()) + (px - 1.0) * ln_m
            })
            .sum();
        let each: f64 = self
            .each
            .iter()
            .map(|&(x, m)| (p * x + q) * (x * m + v).ln())
            .sum();
        by_x - each
    }
}

/// Total log-likelihood of the fitted customers among `inputs` at `params`.
#[cfg(test)]
pub(crate) fn spend_log_likelihood(params: &SpendParams, inputs: &[SpendInput]) -> f64 {
    Spenders::new(inputs).log_likelihood(params)
}

fn params_of(log_params: &[f64]) -> SpendParams {
    SpendParams {
        p: log_params[0].exp(),
        q: log_params[1].exp(),
        v: log_params[2].exp(),
    }
}

const NAMES: [&str; 3] = ["p", "q", "v"];

/// Fits the spend model over the customers with x >= 1 and m_x > 0.
pub(crate) fn fit_spend(inputs: &[SpendInput]) -> Result<SpendFit, FitError> {
    let spenders = Spenders::new(inputs);
    let customers = spenders.each.len();
    if customers < MIN_REPEAT_CUSTOMERS {
        return Err(FitError::NotEnoughRepeatCustomers {
            found: customers,
            needed: MIN_REPEAT_CUSTOMERS,
        });
    }
    let n = customers as f64;
    let mean_m = spenders.each.iter().map(|e| e.1).sum::<f64>() / n;
    // Fitted in units of the mean spend, so that v is near 1 whatever the
    // currency: p and q do not depend on the unit, and v scales with it.
    let scaled = Spenders::new(
        &inputs
            .iter()
            .map(|i| SpendInput {
                x: i.x,
                m_x: i.m_x / mean_m,
            })
            .collect::<Vec<_>>(),
    );
    // p = 1, q = 2 and v = 1 put the population mean at the mean spend.
    let start = [0.0, 2f64.ln(), 0.0];
    let found = maximize(
        |log_params| scaled.log_likelihood(&params_of(log_params)),
        n,
        &start,
        // q and v grow together at a fixed mean of nu: customers all alike.
        &[&[1, 2]],
    );
    let params = match found {
        Found::Maximum(point) => {
            let scaled = params_of(&point);
            SpendParams {
                v: scaled.v * mean_m,
                ..scaled
            }
        }
        Found::NoFiniteMaximum { index, growing } => {
            return Err(FitError::NoFiniteMaximum {
                model: "spend",
                parameter: NAMES[index],
                growing,
            });
        }
        Found::NotConverged { evaluations } => {
            return Err(FitError::NotConverged { evaluations });
        }
    };
    if params.q <= 1.0 {
        // The population's mean spend p v / (q - 1) would be infinite.
        return Err(FitError::InfiniteMeanSpend);
    }
    Ok(SpendFit {
        params,
        correlation: correlation(&spenders.each),
        customers,
    })
}

/// Pearson's correlation of the pairs; 0 when either side does not vary.
fn correlation(pairs: &[(f64, f64)]) -> f64 {
    let n = pairs.len() as f64;
    if pairs.is_empty() {
        return 0.0;
    }
    let (mean_x, mean_y) = pairs
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (x, y) in pairs {
        let (dx, dy) = (x - mean_x, y - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_of_a_line_is_one_and_of_a_constant_zero() {
        let line: Vec<(f64, f64)> = (1..10)
            .map(|i| (f64::from(i), 2.0 * f64::from(i)))
            .collect();
        assert!((correlation(&line) - 1.0).abs() < 1e-12);
        let flat: Vec<(f64, f64)> = (1..10).map(|i| (f64::from(i), 3.0)).collect();
        assert_eq!(correlation(&flat), 0.0);
    }

    #[test]
    fn expected_spend_shrinks_toward_the_population_mean() {
        let params = SpendParams {
            p: 6.25,
            q: 3.74,
            v: 15.44,
        };
        let population = expected_spend(&params, &SpendInput { x: 0, m_x: 0.0 });
        assert!((population - 6.25 * 15.44 / 2.74).abs() < 1e-12);
        let refunded = expected_spend(&params, &SpendInput { x: 3, m_x: -5.0 });
        assert_eq!(refunded, population);
        let one = expected_spend(&params, &SpendInput { x: 1, m_x: 100.0 });
        let many = expected_spend(&params, &SpendInput { x: 20, m_x: 100.0 });
        assert!(
            population < one && one < many && many < 100.0,
            "{one} {many}"
        );
    }

    #[test]
    fn everyone_spending_the_same_is_no_finite_fit() {
        let inputs: Vec<SpendInput> = (0..40)
            .map(|i| SpendInput {
                x: 1 + i % 5,
                m_x: 25.0,
            })
            .collect();
        let error = fit_spend(&inputs).unwrap_err();
        assert!(
            matches!(error, FitError::NoFiniteMaximum { model: "spend", .. }),
            "{error:?}"
        );
    }
}
