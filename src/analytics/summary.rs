//! The one-pass view of every customer at D that the dashboard and reports read.

use chrono::NaiveDate;
use serde::Serialize;

use super::history::last_interaction;
use super::pyramid::{PyramidConfig, for_each_stage};
use super::rfm::rfm_of_histories;
use crate::domain::{CustomerFacts, CustomerId, Segment, Stage};

/// Everything SPEC section 4 says about one customer at D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CustomerSummary {
    pub(crate) id: CustomerId,
    pub(crate) first_purchase: Option<NaiveDate>,
    /// Second purchase day, which makes a repeat customer.
    pub(crate) second_purchase: Option<NaiveDate>,
    pub(crate) last_purchase: Option<NaiveDate>,
    /// R: days since the last purchase day; `None` without a purchase day.
    pub(crate) recency_days: Option<i64>,
    /// F: number of purchase days.
    pub(crate) frequency: u32,
    /// M: sum of all order amounts, refunds included.
    pub(crate) monetary_cents: i64,
    /// Sum of all order amounts in the active window W.
    pub(crate) revenue_in_window_cents: i64,
    pub(crate) stage: Stage,
    /// R, F and M scores; `None` without a purchase day.
    pub(crate) rfm: Option<(u8, u8, u8)>,
    pub(crate) segment: Option<Segment>,
    pub(crate) last_interaction: Option<NaiveDate>,
}

/// One summary per customer, in the order of `facts`.
pub(crate) fn summarize(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    config: &PyramidConfig,
) -> Vec<CustomerSummary> {
    let mut summaries = Vec::with_capacity(facts.len());
    let mut histories = Vec::with_capacity(facts.len());
    // The pyramid pass already takes each customer's history and revenue in W.
    for_each_stage(facts, as_of, config, |customer, standing, stage| {
        // The dashboard and the card read summaries at today, where every row
        // exists; a row created later (a clock set back) shows as a suspect.
        let stage = stage.unwrap_or(Stage::Suspect);
        let history = standing.history;
        histories.push(history);
        summaries.push(CustomerSummary {
            id: customer.id,
            first_purchase: history.first,
            second_purchase: history.second,
            last_purchase: history.last,
            recency_days: history.recency_days(as_of),
            frequency: history.frequency,
            monetary_cents: history.monetary_cents,
            revenue_in_window_cents: standing.revenue_in_window,
            stage,
            // Filled in below: scores need every customer's values first.
            rfm: None,
            segment: None,
            last_interaction: last_interaction(customer, as_of),
        });
    });
    for row in rfm_of_histories(histories.into_iter(), as_of) {
        let summary = &mut summaries[row.index];
        summary.rfm = Some((row.r, row.f, row.m));
        summary.segment = Some(row.segment);
    }
    summaries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::history::test_support::{buyer, customer, date, day};
    use crate::analytics::pyramid::stages;
    use crate::analytics::rfm;
    use crate::domain::DayTotal;

    #[test]
    fn summaries_follow_the_facts_and_agree_with_each_figure() {
        // D = 2024-12-31, W = 365 days from 2024-01-02.
        //   1: bought 2023-05-01 only: lapsed, R = 610 (2023-05-01 -> 2024-05-01 is 366,
        //      -> 2024-12-31 is 244 more), F = 1, M = 1000, revenue in W 0.
        //   2: no orders, one interaction on D and one after: prospect, no scores.
        //   3: bought 2024-06-01 (+30.00) and 2024-12-31 (+20.00), a refund-only
        //      day 2024-07-01 (-5.00) and an order after D: F = 2, M = 4500,
        //      revenue in W 4500; the only active customer, so the key customer.
        let mut contacted = customer(2, vec![]);
        contacted.interaction_dates = vec![date("2024-12-31"), date("2025-01-05")];
        let facts = vec![
            buyer(1, &["2023-05-01"], 1_000),
            contacted,
            customer(
                3,
                vec![
                    day("2024-06-01", 3_000),
                    day("2024-07-01", -500),
                    day("2024-12-31", 2_000),
                    day("2025-01-02", 9_900),
                ],
            ),
        ];
        let s = summarize(&facts, date("2024-12-31"), &PyramidConfig::default());
        assert_eq!(s.len(), 3);

        assert_eq!(s[0].id, 1);
        assert_eq!(s[0].stage, Stage::Lapsed);
        assert_eq!(s[0].recency_days, Some(610));
        assert_eq!((s[0].frequency, s[0].monetary_cents), (1, 1_000));
        assert_eq!(s[0].revenue_in_window_cents, 0);
        // Scored over n = 2 (customers 1 and 3). R: 1 has the larger recency, below 0
        // -> 1; 3 below 1 -> 1 + floor(5/2) = 3. F: 1 -> 1, 3 -> 3. M: 1000 < 4500,
        // same: 1 and 3. Segments: R1 F1 Hibernating, R3 F3 Need attention.
        assert_eq!(s[0].rfm, Some((1, 1, 1)));
        assert_eq!(s[0].segment, Some(Segment::Hibernating));

        assert_eq!(s[1].stage, Stage::Prospect);
        assert_eq!(
            (s[1].rfm, s[1].segment, s[1].first_purchase),
            (None, None, None)
        );
        assert_eq!(s[1].last_interaction, Some(date("2024-12-31")));

        assert_eq!(s[2].stage, Stage::KeyCustomer);
        assert_eq!(s[2].first_purchase, Some(date("2024-06-01")));
        assert_eq!(s[2].second_purchase, Some(date("2024-12-31")));
        assert_eq!(s[2].last_purchase, Some(date("2024-12-31")));
        assert_eq!((s[2].frequency, s[2].monetary_cents), (2, 4_500));
        assert_eq!(s[2].revenue_in_window_cents, 4_500);
        assert_eq!(s[2].recency_days, Some(0));
        assert_eq!(s[2].rfm, Some((3, 3, 3)));
        assert_eq!(s[2].segment, Some(Segment::NeedAttention));
        assert_eq!(s[2].last_interaction, None);
    }

    #[test]
    fn an_empty_store_has_no_summaries() {
        assert!(summarize(&[], date("2024-12-31"), &PyramidConfig::default()).is_empty());
    }

    /// A store shaped like the reference one (100,000 customers, about a million
    /// day totals), to show every figure runs on it without panicking. Timing is
    /// for the benchmark, not for tests.
    #[test]
    fn a_reference_sized_store_is_summarized() {
        let start = date("2020-01-01");
        let facts: Vec<CustomerFacts> = (0..100_000i64)
            .map(|id| {
                let days = (0..(id % 19))
                    .map(|k| {
                        let offset = (id * 7 + k * 53) % 1_800;
                        DayTotal {
                            date: start + chrono::Days::new((offset + k) as u64),
                            amount_cents: (id % 500) * 100 - 3_000,
                            is_purchase: k % 5 != 4,
                        }
                    })
                    .collect::<Vec<_>>();
                let mut c = customer(id, days);
                c.days.sort_by_key(|d| d.date);
                c.days.dedup_by_key(|d| d.date);
                c.referred_by = (id % 10 == 0).then_some(id / 3);
                c
            })
            .collect();
        let as_of = date("2024-06-30");
        let config = PyramidConfig::default();
        let summaries = summarize(&facts, as_of, &config);
        assert_eq!(summaries.len(), 100_000);

        // The one-pass view agrees with each figure computed on its own.
        let stages = stages(&facts, as_of, &config);
        assert!(
            summaries
                .iter()
                .zip(&stages)
                .all(|(s, stage)| Some(s.stage) == *stage)
        );
        let rfm_rows = rfm(&facts, as_of);
        let scored: Vec<_> = summaries
            .iter()
            .enumerate()
            .filter_map(|(i, s)| Some((i, s.rfm?, s.segment?)))
            .collect();
        let expected: Vec<_> = rfm_rows
            .iter()
            .map(|r| (r.index, (r.r, r.f, r.m), r.segment))
            .collect();
        assert_eq!(scored, expected);
        // Every score occurs on every axis in a store this varied.
        for score in 1..=5 {
            assert!(
                rfm_rows
                    .iter()
                    .any(|r| r.r == score && r.f == score && r.m == score)
            );
        }
        let scored = scored.len();

        let counts = super::super::pyramid_counts(&facts, as_of, &config);
        assert_eq!(counts.now.iter().sum::<u32>(), 100_000);
        for stage in Stage::ALL {
            let n = stages.iter().filter(|s| **s == Some(stage)).count();
            assert_eq!(counts.now_in(stage) as usize, n, "{stage:?}");
        }
        let cohort_sizes: u32 = super::super::cohorts(&facts, as_of)
            .rows
            .iter()
            .map(|r| r.size)
            .sum();
        assert_eq!(cohort_sizes as usize, scored);
        let repeat_sizes: u32 =
            super::super::repeat_rates(&facts, as_of, super::super::SourceFilter::Everyone)
                .iter()
                .map(|r| r.size)
                .sum();
        assert_eq!(repeat_sizes as usize, scored);
    }
}
