//! Nelder-Mead minimisation: the fit's fallback when BFGS does not converge
//! (no gradient needed, robust to the flat valleys of the BG/NBD likelihood).

/// Where a minimisation ended.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Minimum {
    pub(crate) point: Vec<f64>,
    pub(crate) value: f64,
    pub(crate) evaluations: usize,
}

/// How hard to try.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Settings {
    /// Size of the first simplex's edges.
    pub(crate) step: f64,
    /// Converged when the simplex's values differ by at most this, relative to
    /// 1 + |best value|, and its points by at most `x_tolerance`.
    pub(crate) f_tolerance: f64,
    pub(crate) x_tolerance: f64,
    pub(crate) max_evaluations: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            step: 0.5,
            f_tolerance: 1e-10,
            x_tolerance: 1e-7,
            max_evaluations: 20_000,
        }
    }
}

/// Size of a restart's simplex relative to the first one.
const RESTART_STEP: f64 = 0.1;

/// Minimises `f` from `start`. A non-finite value counts as +infinity, so the
/// simplex walks away from where `f` is undefined. Restarts from the best point
/// until a restart no longer improves, as a single run can stall on a ridge.
///
/// `Err` holds the best point found when the evaluation budget ran out.
pub(crate) fn minimize<F>(mut f: F, start: &[f64], settings: &Settings) -> Result<Minimum, Minimum>
where
    F: FnMut(&[f64]) -> f64,
{
    let mut objective = |x: &[f64]| {
        let value = f(x);
        if value.is_nan() { f64::INFINITY } else { value }
    };
    let mut result = run(&mut objective, start, settings, settings.max_evaluations);
    while let Ok(found) = &result {
        let spent = found.evaluations;
        let budget = settings.max_evaluations.saturating_sub(spent);
        // A smaller simplex: the restart only checks that the minimum holds.
        let restart = Settings {
            step: settings.step * RESTART_STEP,
            ..*settings
        };
        let mut again = run(&mut objective, &found.point, &restart, budget);
        let improved = matches!(&again, Ok(next)
            if found.value - next.value > settings.f_tolerance * (1.0 + found.value.abs()));
        match &mut again {
            Ok(next) | Err(next) => next.evaluations += spent,
        }
        result = again;
        if !improved {
            break;
        }
    }
    result
}

/// One Nelder-Mead run with the adaptive coefficients of Gao and Han (2012).
fn run<F>(f: &mut F, start: &[f64], settings: &Settings, budget: usize) -> Result<Minimum, Minimum>
where
    F: FnMut(&[f64]) -> f64,
{
    let n = start.len();
    let dim = n as f64;
    let (reflect, expand) = (1.0, 1.0 + 2.0 / dim);
    let (contract, shrink) = (0.75 - 1.0 / (2.0 * dim), 1.0 - 1.0 / dim);

    let mut simplex: Vec<(Vec<f64>, f64)> = Vec::with_capacity(n + 1);
    simplex.push((start.to_vec(), f(start)));
    for i in 0..n {
        let mut point = start.to_vec();
        point[i] += settings.step;
        let value = f(&point);
        simplex.push((point, value));
    }
    let mut evaluations = n + 1;

    loop {
        simplex.sort_by(|p, q| p.1.total_cmp(&q.1));
        let (best, worst) = (simplex[0].1, simplex[n].1);
        let spread = simplex
            .iter()
            .flat_map(|(p, _)| p.iter().zip(&simplex[0].0).map(|(a, b)| (a - b).abs()))
            .fold(0.0, f64::max);
        let done = best.is_finite()
            && (worst - best) <= settings.f_tolerance * (1.0 + best.abs())
            && spread <= settings.x_tolerance;
        let found = || Minimum {
            point: simplex[0].0.clone(),
            value: simplex[0].1,
            evaluations,
        };
        if done {
            return Ok(found());
        }
        if evaluations >= budget {
            return Err(found());
        }

        let mut centroid = vec![0.0; n];
        for (point, _) in &simplex[..n] {
            for (c, v) in centroid.iter_mut().zip(point) {
                *c += v / dim;
            }
        }
        let toward = |t: f64| -> Vec<f64> {
            centroid
                .iter()
                .zip(&simplex[n].0)
                .map(|(c, w)| c + t * (c - w))
                .collect()
        };

        let reflected = toward(reflect);
        let reflected_value = f(&reflected);
        evaluations += 1;
        if reflected_value < best {
            let expanded = toward(expand);
            let expanded_value = f(&expanded);
            evaluations += 1;
            simplex[n] = if expanded_value < reflected_value {
                (expanded, expanded_value)
            } else {
                (reflected, reflected_value)
            };
            continue;
        }
        if reflected_value < simplex[n - 1].1 {
            simplex[n] = (reflected, reflected_value);
            continue;
        }
        let (candidate, limit) = if reflected_value < worst {
            (toward(reflect * contract), reflected_value)
        } else {
            (toward(-contract), worst)
        };
        let candidate_value = f(&candidate);
        evaluations += 1;
        if candidate_value < limit {
            simplex[n] = (candidate, candidate_value);
            continue;
        }
        let anchor = simplex[0].0.clone();
        for (point, value) in simplex.iter_mut().skip(1) {
            for (p, a) in point.iter_mut().zip(&anchor) {
                *p = a + shrink * (*p - a);
            }
            *value = f(point);
        }
        evaluations += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_rosenbrock() {
        let rosenbrock = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let found = minimize(rosenbrock, &[-1.2, 1.0], &Settings::default()).unwrap();
        assert!((found.point[0] - 1.0).abs() < 1e-6, "{found:?}");
        assert!((found.point[1] - 1.0).abs() < 1e-6, "{found:?}");
    }

    #[test]
    fn finds_the_minimum_of_a_shifted_quadratic_in_four_dimensions() {
        let centre = [0.3, -2.0, 5.0, 1.5];
        let bowl = |x: &[f64]| {
            x.iter()
                .zip(&centre)
                .enumerate()
                .map(|(i, (a, c))| (i + 1) as f64 * (a - c).powi(2))
                .sum::<f64>()
        };
        let found = minimize(bowl, &[0.0; 4], &Settings::default()).unwrap();
        for (a, c) in found.point.iter().zip(&centre) {
            assert!((a - c).abs() < 1e-6, "{found:?}");
        }
    }

    #[test]
    fn walks_away_from_undefined_values() {
        // ln is undefined below 0; the minimum of x - ln x is at 1.
        let f = |x: &[f64]| x[0] - x[0].ln();
        let found = minimize(f, &[0.2], &Settings::default()).unwrap();
        assert!((found.point[0] - 1.0).abs() < 1e-6, "{found:?}");
    }

    #[test]
    fn reports_failure_when_the_budget_runs_out() {
        let settings = Settings {
            max_evaluations: 10,
            ..Settings::default()
        };
        let unbounded = |x: &[f64]| -x[0] - x[1];
        let stopped = minimize(unbounded, &[0.0, 0.0], &settings).unwrap_err();
        assert!(stopped.evaluations >= 10);
    }
}
