//! The log-likelihoods of the two churn models, over customers grouped by
//! identical histories so a fit of 100,000 customers costs a few thousand
//! distinct terms per evaluation: BG/NBD (Fader, Hardie & Lee 2005, equation 6)
//! and MBG/NBD (Batislam, Denizel & Filiztekin 2007; SPEC section 4).

use std::collections::HashMap;

use super::special::ln_gamma;
use super::{ChurnInput, Model, Params};

/// Customers grouped by identical (x, t_x, T), with the distinct values of each
/// so that the costly logs and log-gammas are computed once per value.
#[derive(Debug, Clone)]
pub(crate) struct Histories {
    xs: Vec<u32>,
    t_xs: Vec<f64>,
    ts: Vec<f64>,
    groups: Vec<Group>,
}

#[derive(Debug, Clone, Copy)]
struct Group {
    x: usize,
    t_x: usize,
    t: usize,
    count: f64,
}

/// Position of `value` in `values`, adding it when new.
fn slot<K: std::hash::Hash + Eq + Copy, V>(
    index: &mut HashMap<K, usize>,
    values: &mut Vec<V>,
    key: K,
    value: V,
) -> usize {
    *index.entry(key).or_insert_with(|| {
        values.push(value);
        values.len() - 1
    })
}

impl Histories {
    pub(crate) fn new(inputs: &[ChurnInput]) -> Histories {
        let mut histories = Histories {
            xs: Vec::new(),
            t_xs: Vec::new(),
            ts: Vec::new(),
            groups: Vec::new(),
        };
        let (mut x_index, mut t_x_index, mut t_index) =
            (HashMap::new(), HashMap::new(), HashMap::new());
        let mut group_index: HashMap<(usize, usize, usize), usize> = HashMap::new();
        for input in inputs {
            let x = slot(&mut x_index, &mut histories.xs, input.x, input.x);
            let t_x = slot(
                &mut t_x_index,
                &mut histories.t_xs,
                input.t_x.to_bits(),
                input.t_x,
            );
            let t = slot(&mut t_index, &mut histories.ts, input.t.to_bits(), input.t);
            let at = *group_index.entry((x, t_x, t)).or_insert_with(|| {
                histories.groups.push(Group {
                    x,
                    t_x,
                    t,
                    count: 0.0,
                });
                histories.groups.len() - 1
            });
            histories.groups[at].count += 1.0;
        }
        histories
    }

    /// Number of distinct (x, t_x, T) histories.
    #[cfg(test)]
    pub(crate) fn distinct(&self) -> usize {
        self.groups.len()
    }

    /// Number of customers.
    pub(crate) fn customers(&self) -> f64 {
        self.groups.iter().map(|g| g.count).sum()
    }

    /// Total log-likelihood of all customers at `params`.
    pub(crate) fn log_likelihood(&self, model: Model, params: &Params) -> f64 {
        let Params { r, alpha, a, b } = *params;
        // MBG/NBD's Beta terms are BG/NBD's with one more dropout chance, at the
        // first purchase: B(a, b+x+1) / B(a, b) against B(a, b+x) / B(a, b).
        let shift = match model {
            Model::BgNbd => 0.0,
            Model::MbgNbd => 1.0,
        };
        let base_gamma = -ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) - ln_gamma(b);
        // Per distinct x: r + x, the terms that depend on x alone, and the log of
        // the dropout odds' factor (a / (b + x - 1) or a / (b + x)).
        let per_x: Vec<(f64, f64, f64)> = self
            .xs
            .iter()
            .map(|&x| {
                let x = f64::from(x);
                let gammas = base_gamma + ln_gamma(r + x) + ln_gamma(b + x + shift)
                    - ln_gamma(a + b + x + shift);
                let dropout = match model {
                    Model::BgNbd if x == 0.0 => f64::NEG_INFINITY,
                    _ => a.ln() - (b + x + shift - 1.0).ln(),
                };
                (r + x, gammas, dropout)
            })
            .collect();
        let ln_t: Vec<f64> = self.ts.iter().map(|t| (alpha + t).ln()).collect();
        let ln_t_x: Vec<f64> = self.t_xs.iter().map(|t_x| (alpha + t_x).ln()).collect();

        self.groups
            .iter()
            .map(|g| {
                let (rx, gammas, dropout) = per_x[g.x];
                let alive = -rx * ln_t[g.t];
                let ll = if dropout == f64::NEG_INFINITY {
                    alive
                } else {
                    let died = dropout - rx * ln_t_x[g.t_x];
                    let (high, gap) = (alive.max(died), (alive - died).abs());
                    // Beyond this the smaller term is below f64 precision.
                    if gap > 40.0 {
                        high
                    } else {
                        high + (-gap).exp().ln_1p()
                    }
                };
                g.count * (gammas + ll)
            })
            .sum()
    }
}
