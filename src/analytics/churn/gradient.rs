//! BFGS with central-difference gradients: on a smooth likelihood it needs a
//! few hundred evaluations where Nelder-Mead needs close to a thousand.

use super::optimize::Minimum;

/// Step of the central differences, in the units of the point (log-parameters).
const DIFFERENCE_STEP: f64 = 1e-5;
/// Converged when no gradient component exceeds this.
const GRADIENT_TOLERANCE: f64 = 1e-7;
const MAX_ITERATIONS: usize = 100;
/// Halvings of a step before the line search gives up.
const MAX_HALVINGS: usize = 40;
/// Also converged after this many iterations in a row that each improve f by
/// less than this, relative to 1 + |f|: over tens of thousands of customers the
/// differences' rounding keeps the gradient from ever looking smaller than
/// [`GRADIENT_TOLERANCE`], though the point no longer moves.
const STALL_TOLERANCE: f64 = 1e-14;
const STALL_ITERATIONS: usize = 3;

fn gradient<F: FnMut(&[f64]) -> f64>(
    f: &mut F,
    point: &[f64],
    evaluations: &mut usize,
) -> Vec<f64> {
    let mut probe = point.to_vec();
    (0..point.len())
        .map(|i| {
            probe[i] = point[i] + DIFFERENCE_STEP;
            let up = f(&probe);
            probe[i] = point[i] - DIFFERENCE_STEP;
            let down = f(&probe);
            probe[i] = point[i];
            *evaluations += 2;
            (up - down) / (2.0 * DIFFERENCE_STEP)
        })
        .collect()
}

fn dot(u: &[f64], v: &[f64]) -> f64 {
    u.iter().zip(v).map(|(a, b)| a * b).sum()
}

/// Minimises `f` from `start`. `Err` holds the best point when the gradient does
/// not vanish within the iteration budget or is not finite.
pub(crate) fn minimize<F: FnMut(&[f64]) -> f64>(
    mut f: F,
    start: &[f64],
) -> Result<Minimum, Minimum> {
    let n = start.len();
    let mut evaluations = 1;
    let mut point = start.to_vec();
    let mut value = f(&point);
    let mut slope = gradient(&mut f, &point, &mut evaluations);
    // Inverse Hessian estimate, row-major.
    let mut inverse: Vec<f64> = (0..n * n)
        .map(|k| if k % (n + 1) == 0 { 1.0 } else { 0.0 })
        .collect();
    let result = |point: &[f64], value, evaluations| Minimum {
        point: point.to_vec(),
        value,
        evaluations,
    };
    let mut stalled = 0;
    for iteration in 0..MAX_ITERATIONS {
        if !value.is_finite() || slope.iter().any(|g| !g.is_finite()) {
            return Err(result(&point, value, evaluations));
        }
        if slope.iter().all(|g| g.abs() <= GRADIENT_TOLERANCE) || stalled >= STALL_ITERATIONS {
            return Ok(result(&point, value, evaluations));
        }
        let mut direction: Vec<f64> = (0..n)
            .map(|i| -dot(&inverse[i * n..(i + 1) * n], &slope))
            .collect();
        if dot(&direction, &slope) >= 0.0 {
            // Not a descent direction: forget the curvature learnt so far.
            direction = slope.iter().map(|g| -g).collect();
            inverse
                .iter_mut()
                .enumerate()
                .for_each(|(k, h)| *h = if k % (n + 1) == 0 { 1.0 } else { 0.0 });
        }
        let descent = dot(&direction, &slope);
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..MAX_HALVINGS {
            let candidate: Vec<f64> = point
                .iter()
                .zip(&direction)
                .map(|(p, d)| p + step * d)
                .collect();
            let candidate_value = f(&candidate);
            evaluations += 1;
            // Armijo: a decrease in proportion to the slope.
            if candidate_value <= value + 1e-4 * step * descent {
                accepted = Some((candidate, candidate_value));
                break;
            }
            step /= 2.0;
        }
        let Some((next, next_value)) = accepted else {
            // No step decreases f: at the precision of the differences this is the minimum.
            let found = result(&point, value, evaluations);
            return if iteration > 0 { Ok(found) } else { Err(found) };
        };
        let next_slope = gradient(&mut f, &next, &mut evaluations);
        let s: Vec<f64> = next.iter().zip(&point).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = next_slope.iter().zip(&slope).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 {
            if iteration == 0 {
                let scale = sy / dot(&y, &y);
                inverse.iter_mut().for_each(|h| *h *= scale);
            }
            // H' = (I - rho s y^T) H (I - rho y s^T) + rho s s^T
            let rho = 1.0 / sy;
            let hy: Vec<f64> = (0..n)
                .map(|i| dot(&inverse[i * n..(i + 1) * n], &y))
                .collect();
            let yhy = dot(&y, &hy);
            for i in 0..n {
                for j in 0..n {
                    inverse[i * n + j] +=
                        rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
                }
            }
        }
        if value - next_value <= STALL_TOLERANCE * (1.0 + value.abs()) {
            stalled += 1;
        } else {
            stalled = 0;
        }
        point = next;
        value = next_value;
        slope = next_slope;
    }
    Err(result(&point, value, evaluations))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_minimum_of_rosenbrock() {
        let rosenbrock = |x: &[f64]| (1.0 - x[0]).powi(2) + 100.0 * (x[1] - x[0] * x[0]).powi(2);
        let found = minimize(rosenbrock, &[-1.2, 1.0]).unwrap();
        assert!((found.point[0] - 1.0).abs() < 1e-5, "{found:?}");
        assert!((found.point[1] - 1.0).abs() < 1e-5, "{found:?}");
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
        let found = minimize(bowl, &[0.0; 4]).unwrap();
        for (a, c) in found.point.iter().zip(&centre) {
            assert!((a - c).abs() < 1e-6, "{found:?}");
        }
        assert!(found.evaluations < 200, "{found:?}");
    }

    #[test]
    fn gives_up_where_the_function_is_undefined() {
        let undefined_near_start = |x: &[f64]| if x[0] == 1.0 { 0.0 } else { f64::NAN };
        let found = minimize(undefined_near_start, &[1.0, 0.0]);
        assert!(found.is_err(), "{found:?}");
    }
}
