//! Special functions the BG/NBD model needs: log-gamma and the Gaussian
//! hypergeometric function 2F1.

/// ln Γ(x) for x > 0.
pub(crate) fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// Relative size of the last term at which the 2F1 series is considered summed.
const SERIES_TOLERANCE: f64 = 1e-16;

/// Enough terms for |z| up to about 0.9995; beyond that the series is too slow
/// and the caller gets `None` rather than a wrong value.
const SERIES_MAX_TERMS: usize = 200_000;

/// The Gaussian hypergeometric function 2F1(a, b; c; z) by its power series,
/// for |z| < 1 (any z when a or b is a non-positive integer, the series then ends).
///
/// `None` when c is a non-positive integer (the function has a pole there),
/// |z| >= 1 with an infinite series, or the series does not settle within
/// [`SERIES_MAX_TERMS`] terms.
pub(crate) fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z.is_finite()) {
        return None;
    }
    if c <= 0.0 && c == c.round() {
        return None;
    }
    let terminates = |p: f64| p <= 0.0 && p == p.round();
    if z.abs() >= 1.0 && !(terminates(a) || terminates(b)) {
        return None;
    }
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    for n in 0..SERIES_MAX_TERMS {
        let k = n as f64;
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        term *= ratio;
        sum += term;
        if term == 0.0 {
            return Some(sum);
        }
        if !sum.is_finite() {
            return None;
        }
        // The tail is small only once the terms shrink: early terms may grow.
        if ratio.abs() < 1.0 && term.abs() <= SERIES_TOLERANCE * sum.abs() {
            return Some(sum);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, relative: f64) -> bool {
        (actual - expected).abs() <= relative * expected.abs().max(f64::MIN_POSITIVE)
    }

    #[test]
    fn ln_gamma_of_known_values() {
        assert_eq!(ln_gamma(1.0), 0.0);
        assert!(close(ln_gamma(5.0), 24.0_f64.ln(), 1e-15));
        assert!(close(
            ln_gamma(0.5),
            std::f64::consts::PI.sqrt().ln(),
            1e-15
        ));
    }

    #[test]
    fn hyp2f1_closed_forms() {
        // 2F1(1, 1; 2; z) = -ln(1 - z) / z
        for z in [-0.9, -0.3, 0.1, 0.5, 0.9, 0.99] {
            let expected = -(1.0_f64 - z).ln() / z;
            let value = hyp2f1(1.0, 1.0, 2.0, z).unwrap();
            assert!(
                close(value, expected, 1e-13),
                "z = {z}: {value} vs {expected}"
            );
        }
        // 2F1(a, b; b; z) = (1 - z)^-a
        let value = hyp2f1(2.5, 3.0, 3.0, 0.7).unwrap();
        assert!(close(value, 0.3_f64.powf(-2.5), 1e-13));
        // 2F1(1/2, 1/2; 3/2; z^2) = asin(z) / z
        let value = hyp2f1(0.5, 0.5, 1.5, 0.64).unwrap();
        assert!(close(value, 0.8_f64.asin() / 0.8, 1e-13));
    }

    #[test]
    fn hyp2f1_terminating_series_is_a_polynomial() {
        // 2F1(-2, b; c; z) = 1 - 2bz/c + b(b+1)z^2/(c(c+1))
        let (b, c, z) = (1.5, 2.5, 3.0);
        let expected = 1.0 - 2.0 * b * z / c + b * (b + 1.0) * z * z / (c * (c + 1.0));
        assert!(close(hyp2f1(-2.0, b, c, z).unwrap(), expected, 1e-14));
    }

    #[test]
    fn hyp2f1_refuses_what_it_cannot_sum() {
        assert_eq!(hyp2f1(1.0, 1.0, -2.0, 0.5), None);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, 1.0), None);
        assert_eq!(hyp2f1(1.0, 1.0, 2.0, f64::NAN), None);
    }

    #[test]
    fn hyp2f1_matches_scipy_fixture() {
        let text = include_str!("../../../tests/fixtures/churn/hyp2f1.csv");
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut count = 0;
        for record in reader.records() {
            let row: Vec<f64> = record.unwrap().iter().map(|v| v.parse().unwrap()).collect();
            let value = hyp2f1(row[0], row[1], row[2], row[3]).unwrap();
            assert!(close(value, row[4], 1e-10), "{row:?}: {value}");
            count += 1;
        }
        assert_eq!(count, 11);
    }
}
