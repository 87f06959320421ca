//! Recency, frequency, monetary value, their 1..5 scores and the RF segment map.

use std::ops::RangeInclusive;

use chrono::NaiveDate;
use serde::Serialize;

use super::frequency::FrequencyScale;
use super::history::PurchaseHistory;
use crate::domain::{CustomerFacts, Segment, Stored};

/// R, F, M and their scores for one customer with at least one purchase day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rfm {
    /// Index of the customer in the facts slice given to [`rfm`].
    pub(crate) index: usize,
    pub(crate) recency_days: i64,
    pub(crate) frequency: u32,
    pub(crate) monetary_cents: i64,
    pub(crate) r: u8,
    pub(crate) f: u8,
    pub(crate) m: u8,
    pub(crate) segment: Segment,
}

/// RFM of every customer with a purchase day on or before `as_of`, in the order of `facts`.
pub(crate) fn rfm(facts: &[CustomerFacts], as_of: NaiveDate) -> Vec<Rfm> {
    rfm_of_histories(
        facts
            .iter()
            .map(|customer| PurchaseHistory::of(customer, as_of)),
        as_of,
    )
}

/// RFM of customers as the store summarises them, in their order.
pub(crate) fn rfm_of_stored<'a>(
    stored: impl Iterator<Item = &'a Stored>,
    as_of: NaiveDate,
) -> Vec<Rfm> {
    rfm_of_histories(stored.map(|s| PurchaseHistory::of_stored(s, as_of)), as_of)
}

/// RFM from histories already taken at `as_of`, one per customer in facts order.
pub(crate) fn rfm_of_histories(
    histories: impl Iterator<Item = PurchaseHistory>,
    as_of: NaiveDate,
) -> Vec<Rfm> {
    let mut rows: Vec<Rfm> = histories
        .enumerate()
        .filter_map(|(index, history)| {
            let recency_days = history.recency_days(as_of)?;
            Some(Rfm {
                index,
                recency_days,
                frequency: history.frequency,
                monetary_cents: history.monetary_cents,
                r: 0,
                f: 0,
                m: 0,
                segment: Segment::Hibernating,
            })
        })
        .collect();

    // Lower recency is better: negating it lets one "higher is better" scorer serve all three.
    let r = ScoreScale::new(rows.iter().map(|row| -row.recency_days).collect());
    // F by balanced groups, so no F score is left empty (SPEC section 4).
    let f = FrequencyScale::new(rows.iter().map(|row| row.frequency).collect());
    let m = ScoreScale::new(rows.iter().map(|row| row.monetary_cents).collect());
    for row in &mut rows {
        row.r = r.score(-row.recency_days);
        row.f = f.score(row.frequency);
        row.m = m.score(row.monetary_cents);
        row.segment = segment_of(row.r, row.f);
    }
    rows
}

/// The four cut values of R or M that `1 + floor(5 * below / n)` reduces to.
///
/// With `below(x)` = number of values strictly smaller than x, and `b_s = ceil(s * n / 5)`:
/// `score(x) = 1 + #{s in 1..=4 : 5 * below(x) >= s * n} = 1 + #{s : below(x) >= b_s}`,
/// and `below(x) >= b` holds exactly when the b-th smallest value is `< x`. So the
/// score counts how many of the b_s-th smallest values lie strictly below x: four
/// order statistics (selection, O(n) together, integers only) and four comparisons
/// per customer. Equal values compare alike, so they always share a score.
struct ScoreScale {
    /// `cuts[s - 1]` = the b_s-th smallest value.
    cuts: [i64; 4],
}

impl ScoreScale {
    /// `values` are "higher is better".
    fn new(mut values: Vec<i64>) -> ScoreScale {
        let n = values.len();
        let mut cuts = [i64::MAX; 4];
        if n == 0 {
            return ScoreScale { cuts };
        }
        let mut rest: &mut [i64] = &mut values;
        for s in (1..=4).rev() {
            // 1 <= b_s <= n for n >= 1, and b_s shrinks with s: after each selection the
            // b_s smallest values are rest[..b_s], where the next one is searched.
            let b = (s * n).div_ceil(5);
            let (_, cut, _) = rest.select_nth_unstable(b - 1);
            cuts[s - 1] = *cut;
            rest = &mut std::mem::take(&mut rest)[..b];
        }
        ScoreScale { cuts }
    }

    /// Score (1..=5) of `value`, one of the values the scale was built from.
    fn score(&self, value: i64) -> u8 {
        1 + self.cuts.iter().filter(|cut| **cut < value).count() as u8
    }
}

/// The RF segment map of SPEC section 4: (segment, R scores, F scores), in table order.
const SEGMENT_MAP: [(Segment, RangeInclusive<u8>, RangeInclusive<u8>); 10] = [
    (Segment::Champions, 5..=5, 4..=5),
    (Segment::Loyal, 3..=4, 4..=5),
    (Segment::PotentialLoyalists, 4..=5, 2..=3),
    (Segment::NewCustomers, 5..=5, 1..=1),
    (Segment::Promising, 4..=4, 1..=1),
    (Segment::NeedAttention, 3..=3, 3..=3),
    (Segment::AboutToSleep, 3..=3, 1..=2),
    (Segment::CantLoseThem, 1..=2, 5..=5),
    (Segment::AtRisk, 1..=2, 3..=4),
    (Segment::Hibernating, 1..=2, 1..=2),
];

/// The RF segment map of SPEC section 4, first match.
///
/// Scores outside 1..=5 are clamped into it. The table covers all 25 cells (a test
/// checks it), so the fallback is never reached.
pub(crate) fn segment_of(r: u8, f: u8) -> Segment {
    let (r, f) = (r.clamp(1, 5), f.clamp(1, 5));
    SEGMENT_MAP
        .iter()
        .find(|(_, rs, fs)| rs.contains(&r) && fs.contains(&f))
        .map_or(Segment::Hibernating, |(segment, _, _)| *segment)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::history::test_support::{buyer, customer, date, day};

    const D: &str = "2024-06-30";

    /// Customer `id` bought 10.00 on each of the first `count` days of January 2024.
    fn frequent(id: i64, count: u32) -> CustomerFacts {
        let days = (1..=count)
            .map(|d| day(&format!("2024-01-{d:02}"), 1_000))
            .collect();
        customer(id, days)
    }

    fn scores(rows: &[Rfm]) -> Vec<(u8, u8, u8)> {
        rows.iter().map(|r| (r.r, r.f, r.m)).collect()
    }

    #[test]
    fn five_distinct_frequencies_score_one_to_five() {
        // F = 1..5, n = 5: below = 0..4, score = 1 + floor(5 * below / 5) = 1..5.
        let facts: Vec<_> = (1..=5).map(|f| frequent(f as i64, f)).collect();
        let rows = rfm(&facts, date(D));
        let f: Vec<u8> = rows.iter().map(|r| r.f).collect();
        assert_eq!(f, vec![1, 2, 3, 4, 5]);
        // M = 1000 * F, so the same order: 1..5.
        let m: Vec<u8> = rows.iter().map(|r| r.m).collect();
        assert_eq!(m, vec![1, 2, 3, 4, 5]);
        // Last purchase days 01-01 .. 01-05: recency decreasing, so R = 1..5 as well.
        let r: Vec<u8> = rows.iter().map(|r| r.r).collect();
        assert_eq!(r, vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn ten_equal_customers_all_score_one() {
        // Nobody is strictly worse: below = 0 for all, score = 1 + 0 = 1.
        let facts: Vec<_> = (1..=10).map(|id| buyer(id, &["2024-03-01"], 500)).collect();
        let rows = rfm(&facts, date(D));
        assert_eq!(scores(&rows), vec![(1, 1, 1); 10]);
        assert!(rows.iter().all(|r| r.segment == Segment::Hibernating));
    }

    #[test]
    fn ties_share_a_score_computed_from_the_strictly_worse() {
        // F values: 1, 2, 2, 2, 7 (n = 5).
        //   F=1: below 0 -> 1 + 0 = 1
        //   F=2: below 1 -> 1 + floor(5/5) = 2 (all three)
        //   F=7: below 4 -> 1 + floor(20/5) = 5
        let facts = vec![
            frequent(1, 1),
            frequent(2, 2),
            frequent(3, 2),
            frequent(4, 2),
            frequent(5, 7),
        ];
        let rows = rfm(&facts, date(D));
        let f: Vec<u8> = rows.iter().map(|r| r.f).collect();
        assert_eq!(f, vec![1, 2, 2, 2, 5]);
        // Recency: last days 01-01, 01-02 x3, 01-07. Strictly larger recency below:
        //   01-01: 0 -> 1; 01-02: 1 -> 2; 01-07: 4 -> 5.
        let r: Vec<u8> = rows.iter().map(|r| r.r).collect();
        assert_eq!(r, vec![1, 2, 2, 2, 5]);
    }

    #[test]
    fn uneven_n_floors_the_score() {
        // Seven customers with M = 100..700 (distinct). n = 7, below = 0..6:
        //   1 + floor(5*b/7): b=0 ->1, 1 ->1 (5/7), 2 ->2 (10/7), 3 ->3 (15/7=2),
        //   4 ->3 (20/7=2), 5 ->4 (25/7=3), 6 ->5 (30/7=4).
        let facts: Vec<_> = (1..=7)
            .map(|i| buyer(i, &["2024-02-01"], i * 100))
            .collect();
        let m: Vec<u8> = rfm(&facts, date(D)).iter().map(|r| r.m).collect();
        assert_eq!(m, vec![1, 1, 2, 3, 3, 4, 5]);
    }

    #[test]
    fn scores_match_the_definition_counted_by_hand() {
        // Every n from 1 to 40 with many ties (values 0..7 in a scrambled order),
        // scored against 1 + floor(5 * below / n) with below counted one by one.
        for n in 1..=40u64 {
            let values: Vec<i64> = (0..n).map(|i| ((i * 37 + n) % 7) as i64).collect();
            let scale = ScoreScale::new(values.clone());
            for x in &values {
                let below = values.iter().filter(|v| *v < x).count() as u64;
                assert_eq!(u64::from(scale.score(*x)), 1 + 5 * below / n, "n={n} x={x}");
            }
        }
    }

    /// F scores of customers whose frequencies are `counts[j]` customers at F = j + 1.
    fn f_scores_of_counts(counts: &[u32]) -> Vec<u8> {
        let mut facts = Vec::new();
        for (j, &count) in counts.iter().enumerate() {
            for _ in 0..count {
                facts.push(frequent(facts.len() as i64 + 1, j as u32 + 1));
            }
        }
        let rows = rfm(&facts, date(D));
        // One score per distinct frequency; equal values always share a score.
        let mut by_value = Vec::new();
        for row in &rows {
            let at = row.frequency as usize - 1;
            by_value.resize(by_value.len().max(at + 1), 0);
            assert!(
                by_value[at] == 0 || by_value[at] == row.f,
                "F={}",
                row.frequency
            );
            by_value[at] = row.f;
        }
        by_value
    }

    #[test]
    fn one_purchase_day_holding_60_percent_of_buyers_leaves_no_f_score_empty() {
        // n = 10: six bought on one day, one each on 2, 3, 4, 5 days. k = 5 distinct
        // values, so the only five non-empty groups are the values themselves:
        // F = 1..5 score 1..5. (The R/M rule would give 1, 4, 4, 5, 5: F2, F3 empty.)
        assert_eq!(f_scores_of_counts(&[6, 1, 1, 1, 1]), vec![1, 2, 3, 4, 5]);
    }

    #[test]
    fn f_groups_minimise_the_squared_distance_from_a_fifth() {
        // n = 20, target 4 per group. Counts at F = 1..6: 10, 4, 2, 2, 1, 1.
        // (5 * size - n)^2 per group: F1 alone (10) costs 30^2 = 900, whatever else.
        //   [4][2][2][1,1]: 0 + 10^2 + 10^2 + 10^2 = 300  -> total 1200, the best;
        //   [4][2][2,1][1]: 0 + 100 + 5^2 + 15^2 = 350;
        //   [4][2,2][1][1]: 0 + 0 + 225 + 225 = 450;
        //   [10,4] together: 50^2 = 2500 already.
        // So F1 -> 1, F2 -> 2, F3 -> 3, F4 -> 4, F5 and F6 -> 5.
        // (The R/M rule would give 1, 3, 4, 5, 5, 5: F2 empty.)
        assert_eq!(
            f_scores_of_counts(&[10, 4, 2, 2, 1, 1]),
            vec![1, 2, 3, 4, 5, 5]
        );
    }

    #[test]
    fn equally_good_f_groups_take_the_smallest_cut_positions() {
        // Six values of one customer each, n = 6: every split has one pair and four
        // singles, all cost 4 * (5 - 6)^2 + (10 - 6)^2 = 20. The smallest cut tuple
        // puts the pair last: F1..F4 -> 1..4, F5 and F6 -> 5.
        // (The R/M rule would give 1, 1, 2, 3, 4, 5.)
        assert_eq!(f_scores_of_counts(&[1; 6]), vec![1, 2, 3, 4, 5, 5]);
        // Counts 1, 1, 1, 1, 1, 1, 4 (n = 10, target 2): the 4 must close the last
        // group alone (20 - 10)^2 = 100; the six singles make two pairs and two
        // singles (0 + 0 + 25 + 25). Of the orders of those sizes, 1, 1, 2, 2 has
        // the smallest cuts: F1 -> 1, F2 -> 2, F3-F4 -> 3, F5-F6 -> 4, F7 -> 5.
        // (The R/M rule would give 1, 1, 2, 2, 3, 3, 4.)
        assert_eq!(
            f_scores_of_counts(&[1, 1, 1, 1, 1, 1, 4]),
            vec![1, 2, 3, 3, 4, 4, 5]
        );
    }

    #[test]
    fn fewer_than_five_distinct_frequencies_use_the_r_and_m_rule() {
        // k = 3: counts 6, 3, 1 (n = 10). below = 0, 6, 9:
        // 1 + floor(0) = 1, 1 + floor(30 / 10) = 4, 1 + floor(45 / 10) = 5.
        assert_eq!(f_scores_of_counts(&[6, 3, 1]), vec![1, 4, 5]);
        // k = 4, one customer each: below 0..3, n = 4: 1, 2, 3, 4.
        assert_eq!(f_scores_of_counts(&[1, 1, 1, 1]), vec![1, 2, 3, 4]);
    }

    #[test]
    fn one_customer_scores_one_on_every_axis() {
        // n = 1, below = 0: score = 1 + floor(0 / 1) = 1, not 5. The letter of the
        // definition; such a customer lands in Hibernating (R1 F1).
        let rows = rfm(&[buyer(1, &["2024-06-30"], 100)], date(D));
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].r, rows[0].f, rows[0].m), (1, 1, 1));
        assert_eq!(rows[0].recency_days, 0);
        assert_eq!(rows[0].segment, Segment::Hibernating);
    }

    #[test]
    fn refunds_count_in_monetary_and_can_make_it_negative() {
        // A: +50.00 then a refund-only day of -80.00: F = 1, M = -3000.
        // B: one day of 0.00 (free order, a purchase day): F = 1, M = 0.
        // C: only a refund: no purchase day, not scored at all.
        // M scores over n = 2: A below 0 -> 1; B below 1 -> 1 + floor(5/2) = 3.
        let facts = vec![
            customer(1, vec![day("2024-05-01", 5_000), day("2024-05-02", -8_000)]),
            customer(2, vec![day("2024-05-01", 0)]),
            customer(3, vec![day("2024-05-01", -100)]),
        ];
        let rows = rfm(&facts, date(D));
        assert_eq!(rows.len(), 2);
        assert_eq!(
            (rows[0].index, rows[0].monetary_cents, rows[0].m),
            (0, -3_000, 1)
        );
        assert_eq!(
            (rows[1].index, rows[1].monetary_cents, rows[1].m),
            (1, 0, 3)
        );
        // The refund-only day 05-02 is not a purchase day: A's recency counts from 05-01.
        assert_eq!(rows[0].recency_days, 60);
        assert_eq!(rows[0].frequency, 1);
    }

    #[test]
    fn orders_after_the_as_of_date_are_ignored() {
        // A bought 2024-06-01 and again 2024-07-15 (after D): F = 1, R = 29, M = 100.
        // B bought only after D: not scored.
        let facts = vec![
            buyer(1, &["2024-06-01", "2024-07-15"], 100),
            buyer(2, &["2024-07-01"], 100),
        ];
        let rows = rfm(&facts, date(D));
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (
                rows[0].frequency,
                rows[0].recency_days,
                rows[0].monetary_cents
            ),
            (1, 29, 100)
        );
    }

    #[test]
    fn an_empty_store_gives_no_rows() {
        assert!(rfm(&[], date(D)).is_empty());
        assert!(rfm(&[customer(1, vec![])], date(D)).is_empty());
    }

    #[test]
    fn segment_map_covers_all_25_cells() {
        use Segment::*;
        // Rows R = 5..1 (top to bottom), columns F = 1..5, read off the SPEC table.
        let expected = [
            [
                NewCustomers,
                PotentialLoyalists,
                PotentialLoyalists,
                Champions,
                Champions,
            ],
            [
                Promising,
                PotentialLoyalists,
                PotentialLoyalists,
                Loyal,
                Loyal,
            ],
            [AboutToSleep, AboutToSleep, NeedAttention, Loyal, Loyal],
            [Hibernating, Hibernating, AtRisk, AtRisk, CantLoseThem],
            [Hibernating, Hibernating, AtRisk, AtRisk, CantLoseThem],
        ];
        for (row, r) in expected.iter().zip((1..=5u8).rev()) {
            for (segment, f) in row.iter().zip(1..=5u8) {
                assert_eq!(segment_of(r, f), *segment, "R{r} F{f}");
            }
        }
        // Every segment appears somewhere in the matrix.
        for segment in Segment::ALL {
            assert!(
                expected.iter().flatten().any(|s| *s == segment),
                "{segment:?}"
            );
        }
        // Every cell is matched by the table itself, not by the fallback.
        for r in 1..=5u8 {
            for f in 1..=5u8 {
                let hits = SEGMENT_MAP
                    .iter()
                    .filter(|(_, rs, fs)| rs.contains(&r) && fs.contains(&f));
                assert!(hits.count() >= 1, "R{r} F{f}");
            }
        }
        // Out-of-range scores are clamped.
        assert_eq!(segment_of(9, 0), NewCustomers);
    }
}
