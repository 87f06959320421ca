//! Maximum likelihood on log-parameters, shared by the churn and spend models,
//! with the check that the maximum found is a real one: some histories have no
//! finite maximum (nobody seems to drop out, everyone buys at one rate, every
//! customer spends the same), and the likelihood keeps improving as a parameter
//! runs off to infinity or to zero. Such a fit is refused, not reported as
//! huge parameters.

use super::{gradient, optimize};

/// Log-parameters beyond this are treated as undefined, a wall for the search.
const LOG_PARAM_LIMIT: f64 = 25.0;

/// A log-parameter beyond this (a parameter over a million times larger or
/// smaller than 1, in units where the data are near 1) is a parameter running
/// off, not an estimate; there the likelihood is too flat to compute the probes
/// below precisely.
const FAR: f64 = 14.0;

/// How far the check looks past the maximum found: parameters 1,000 times
/// larger or smaller (ln 1000 = 6.9 on the log scale).
const PROBE: f64 = 6.907_755_278_982_137;

/// Where a fit ended, in log-parameters.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Found {
    Maximum(Vec<f64>),
    /// The likelihood keeps improving as parameter `index` grows (`growing`) or
    /// shrinks toward 0.
    NoFiniteMaximum {
        index: usize,
        growing: bool,
    },
    NotConverged {
        evaluations: usize,
    },
}

/// Maximises `log_likelihood` (the total over `customers` customers, as a
/// function of log-parameters) from `start`: BFGS first (fast on a smooth
/// maximum), Nelder-Mead when BFGS fails. `joint` lists groups of parameters
/// that can run off together (r and alpha at a fixed mean rate; a and b at a
/// fixed mean dropout) and are probed together as well as one by one.
pub(crate) fn maximize<F: Fn(&[f64]) -> f64>(
    log_likelihood: F,
    customers: f64,
    start: &[f64],
    joint: &[&[usize]],
) -> Found {
    let objective = |log_params: &[f64]| {
        if log_params.iter().any(|p| p.abs() > LOG_PARAM_LIMIT) {
            return f64::INFINITY;
        }
        -log_likelihood(log_params) / customers
    };
    let found = gradient::minimize(objective, start)
        .or_else(|_| optimize::minimize(objective, start, &optimize::Settings::default()));
    let (point, converged) = match found {
        Ok(found) => (found.point, Ok(())),
        Err(stopped) => (stopped.point, Err(stopped.evaluations)),
    };
    let farthest = point
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()));
    if let Some((index, &p)) = farthest
        && p.abs() > FAR
    {
        return Found::NoFiniteMaximum {
            index,
            growing: p > 0.0,
        };
    }
    if let Some((index, growing)) = runaway(&log_likelihood, &point, joint) {
        return Found::NoFiniteMaximum { index, growing };
    }
    match converged {
        Ok(()) => Found::Maximum(point),
        Err(evaluations) => Found::NotConverged { evaluations },
    }
}

/// A direction in which the likelihood is no worse far past `point`: then
/// `point` is no maximum but a stop on a slope or a ridge that goes on for ever.
/// Returns the first parameter of that direction and whether it grows there.
fn runaway<F: Fn(&[f64]) -> f64>(
    log_likelihood: &F,
    point: &[f64],
    joint: &[&[usize]],
) -> Option<(usize, bool)> {
    let here = log_likelihood(point);
    if !here.is_finite() {
        return None;
    }
    // Far from a real maximum the likelihood is lower by whole units; on a ridge
    // it is higher, or equal to rounding.
    let tolerance = 1e-9 * (1.0 + here.abs());
    let singles: Vec<Vec<usize>> = (0..point.len()).map(|i| vec![i]).collect();
    let groups = singles
        .iter()
        .map(Vec::as_slice)
        .chain(joint.iter().copied());
    for group in groups {
        for sign in [1.0, -1.0] {
            let mut probe = point.to_vec();
            for &i in group {
                if let Some(p) = probe.get_mut(i) {
                    *p += sign * PROBE;
                }
            }
            let there = log_likelihood(&probe);
            if there.is_finite() && there >= here - tolerance {
                return group.first().map(|&i| (i, sign > 0.0));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peak_is_a_maximum() {
        let peak = |x: &[f64]| -(x[0] - 1.0).powi(2) - (x[1] + 2.0).powi(2);
        match maximize(peak, 1.0, &[0.0, 0.0], &[]) {
            Found::Maximum(point) => {
                assert!((point[0] - 1.0).abs() < 1e-5 && (point[1] + 2.0).abs() < 1e-5)
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_slope_that_rises_for_ever_is_no_maximum() {
        // Rises toward 0 as the second parameter grows, like a dropout that goes
        // to nothing; its gradient soon looks flat to the optimiser.
        let slope = |x: &[f64]| -(x[0] - 1.0).powi(2) - (-x[1]).exp();
        assert_eq!(
            maximize(slope, 1.0, &[0.0, 0.0], &[]),
            Found::NoFiniteMaximum {
                index: 1,
                growing: true
            }
        );
    }

    #[test]
    fn a_ridge_of_two_parameters_together_is_no_maximum() {
        // Only the difference matters, and it is best at 0.5: the pair can
        // grow together for ever, though neither alone improves things.
        let ridge = |x: &[f64]| -(x[0] - x[1] - 0.5).powi(2) - (-x[0]).exp();
        assert_eq!(
            maximize(ridge, 1.0, &[0.0, 0.0], &[&[0, 1]]),
            Found::NoFiniteMaximum {
                index: 0,
                growing: true
            }
        );
    }
}
