//! F scores by balanced groups (SPEC section 4).
//!
//! F is a small whole number and most buyers bought on one day only, so
//! `1 + floor(5 * below / n)` would leave a score empty. The distinct values are cut
//! into five contiguous groups as near a fifth of the buyers each as ties allow.

/// Score (1..=5) of each distinct frequency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FrequencyScale {
    /// The distinct frequencies, ascending.
    values: Vec<u32>,
    /// `scores[j]` is the score of `values[j]`.
    scores: Vec<u8>,
}

impl FrequencyScale {
    /// The scale of the buyers' frequencies (one value per buyer, any order).
    pub(crate) fn new(mut frequencies: Vec<u32>) -> FrequencyScale {
        frequencies.sort_unstable();
        let n = frequencies.len();
        let mut values: Vec<u32> = Vec::new();
        let mut counts: Vec<u64> = Vec::new();
        // `below[j]` = buyers with a frequency strictly smaller than `values[j]`.
        let mut below: Vec<u64> = Vec::new();
        for (at, f) in frequencies.iter().enumerate() {
            if values.last() == Some(f) {
                if let Some(count) = counts.last_mut() {
                    *count += 1;
                }
            } else {
                values.push(*f);
                counts.push(1);
                below.push(at as u64);
            }
        }
        let scores = if values.len() >= 5 {
            balanced_scores(&counts)
        } else {
            // The rule of R and M: 1 + floor(5 * below / n), at most 5.
            below
                .iter()
                .map(|b| (1 + 5 * b / n as u64).min(5) as u8)
                .collect()
        };
        FrequencyScale { values, scores }
    }

    /// Score of `frequency`, one of the values the scale was built from (1 otherwise).
    pub(crate) fn score(&self, frequency: u32) -> u8 {
        self.values
            .binary_search(&frequency)
            .ok()
            .and_then(|j| self.scores.get(j).copied())
            .unwrap_or(1)
    }
}

/// Scores of k >= 5 distinct values with `counts[j]` buyers each: five contiguous
/// non-empty groups minimising the sum of (group size - n/5)^2, the smallest
/// cut positions among equally good splits; group i scores i.
fn balanced_scores(counts: &[u64]) -> Vec<u8> {
    let cuts = balanced_cuts(counts);
    let mut scores = Vec::with_capacity(counts.len());
    let mut score = 1u8;
    for j in 0..counts.len() {
        // A cut at position p starts a new group at value p.
        while usize::from(score) <= cuts.len() && cuts[usize::from(score) - 1] == j {
            score += 1;
        }
        scores.push(score);
    }
    scores
}

/// The four cut positions `0 < p1 < p2 < p3 < p4 < k` (group i holds the values
/// `p(i-1)..p(i)`, with p0 = 0 and p5 = k) of the best split of `counts`
/// (k = counts.len() >= 5).
///
/// The squared distance is compared times 25, `(5 * size - n)^2`, so every
/// comparison is exact in integers. A dynamic programme over suffixes:
/// `best[g][i]` is the least cost of cutting values `i..k` into g groups, and
/// `next[g][i]` the smallest end of its first group that reaches it. Choosing the
/// smallest first cut of an optimal split, then the smallest next cut of an optimal
/// split of the rest, and so on, gives the lexicographically smallest optimal tuple.
pub(crate) fn balanced_cuts(counts: &[u64]) -> [usize; 4] {
    let k = counts.len();
    let n: u64 = counts.iter().sum();
    let mut prefix = vec![0u64; k + 1];
    for (j, c) in counts.iter().enumerate() {
        prefix[j + 1] = prefix[j] + c;
    }
    let cost = |from: usize, to: usize| -> u128 {
        let size = u128::from(prefix[to] - prefix[from]);
        let gap = (5 * size).abs_diff(u128::from(n));
        gap * gap
    };
    // best[g][i] for g = 1..=5 groups over values i..k; None when impossible.
    let mut best = vec![vec![None::<u128>; k + 1]; 6];
    let mut next = vec![vec![k; k + 1]; 6];
    for (i, slot) in best[1].iter_mut().enumerate().take(k) {
        *slot = Some(cost(i, k));
    }
    for g in 2..=5 {
        let fewer = best[g - 1].clone();
        for i in 0..k {
            let mut chosen: Option<(u128, usize)> = None;
            // The first group is i..end; at least g - 1 values must remain.
            let ends = fewer
                .iter()
                .enumerate()
                .take(k.saturating_sub(g - 1) + 1)
                .skip(i + 1);
            for (end, rest) in ends {
                let Some(rest) = *rest else {
                    continue;
                };
                let total = cost(i, end) + rest;
                // Strictly better only: the first, smallest end wins a tie.
                if chosen.is_none_or(|(least, _)| total < least) {
                    chosen = Some((total, end));
                }
            }
            if let Some((total, end)) = chosen {
                best[g][i] = Some(total);
                next[g][i] = end;
            }
        }
    }
    let mut cuts = [0usize; 4];
    let mut at = 0;
    for (cut, g) in cuts.iter_mut().zip((2..=5).rev()) {
        at = next[g][at];
        *cut = at;
    }
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every tuple of cuts in lexicographic order; the first strictly least wins.
    fn exhaustive_cuts(counts: &[u64]) -> [usize; 4] {
        let k = counts.len();
        let n: u64 = counts.iter().sum();
        let size = |a: usize, b: usize| counts[a..b].iter().sum::<u64>();
        let mut chosen: Option<(u128, [usize; 4])> = None;
        for p1 in 1..k {
            for p2 in p1 + 1..k {
                for p3 in p2 + 1..k {
                    for p4 in p3 + 1..k {
                        let bounds = [0, p1, p2, p3, p4, k];
                        let total: u128 = bounds
                            .windows(2)
                            .map(|w| {
                                let gap = u128::from((5 * size(w[0], w[1])).abs_diff(n));
                                gap * gap
                            })
                            .sum();
                        if chosen.is_none_or(|(least, _)| total < least) {
                            chosen = Some((total, [p1, p2, p3, p4]));
                        }
                    }
                }
            }
        }
        chosen.map(|(_, cuts)| cuts).unwrap_or_default()
    }

    #[test]
    fn the_programme_agrees_with_exhaustive_search() {
        // Scrambled counts with many ties of cost, k = 5..12.
        let mut seed = 7u64;
        for round in 0..400 {
            let k = 5 + round % 8;
            let counts: Vec<u64> = (0..k)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    1 + (seed >> 33) % if round % 2 == 0 { 3 } else { 40 }
                })
                .collect();
            assert_eq!(
                balanced_cuts(&counts),
                exhaustive_cuts(&counts),
                "{counts:?}"
            );
        }
    }

    #[test]
    fn five_values_are_five_groups() {
        assert_eq!(balanced_cuts(&[6, 1, 1, 1, 1]), [1, 2, 3, 4]);
        assert_eq!(
            FrequencyScale::new(vec![1, 1, 1, 1, 1, 1, 2, 3, 4, 5]).scores,
            vec![1, 2, 3, 4, 5]
        );
    }

    #[test]
    fn an_unknown_frequency_scores_one() {
        let scale = FrequencyScale::new(vec![1, 2, 3]);
        assert_eq!(scale.score(9), 1);
        assert_eq!(FrequencyScale::new(vec![]).score(1), 1);
    }
}
