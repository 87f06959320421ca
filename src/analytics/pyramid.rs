//! Pyramid stages (SPEC section 4) at an as-of date.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::history::{PurchaseHistory, days_up_to, has_interaction};
use crate::domain::money::sum_cents;
use crate::domain::{CustomerFacts, CustomerId, Stage};

/// The pyramid's configurable numbers.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PyramidConfig {
    /// Length of the active window W, in days, ending at D.
    pub(crate) active_window_days: u32,
    /// Share of the active repeat customers whose revenue sets the key-customer threshold.
    pub(crate) key_customer_share: f64,
}

impl Default for PyramidConfig {
    fn default() -> Self {
        PyramidConfig {
            active_window_days: 365,
            key_customer_share: 0.2,
        }
    }
}

/// The active window W: the `days` calendar days ending at (and including) `last_day`,
/// i.e. `last_day - (days - 1) ..= last_day`. Zero days is an empty window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ActiveWindow {
    pub(crate) last_day: NaiveDate,
    pub(crate) days: u32,
}

impl ActiveWindow {
    pub(crate) fn ending_at(as_of: NaiveDate, config: &PyramidConfig) -> ActiveWindow {
        ActiveWindow {
            last_day: as_of,
            days: config.active_window_days,
        }
    }

    /// Whether `date` lies in the window. Written as a distance so no date
    /// arithmetic can overflow, whatever the configured length.
    pub(crate) fn contains(&self, date: NaiveDate) -> bool {
        date <= self.last_day && (self.last_day - date).num_days() < i64::from(self.days)
    }

    /// Revenue in W: the sum of all order amounts of the customer's days in the
    /// window, refunds included, in cents.
    pub(crate) fn revenue_cents(&self, facts: &CustomerFacts) -> i64 {
        let days = days_up_to(facts, self.last_day);
        // Days are sorted: the ones before the window form a prefix.
        let start = days.partition_point(|d| !self.contains(d.date));
        sum_cents(days[start..].iter().map(|d| d.amount_cents))
    }
}

/// Stage of each customer at `as_of`, in the order of `facts`; `None` for a
/// customer who does not exist at `as_of` and so has no stage.
pub(crate) fn stages(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    config: &PyramidConfig,
) -> Vec<Option<Stage>> {
    let mut stages = Vec::with_capacity(facts.len());
    for_each_stage(facts, as_of, config, |_, _, stage| stages.push(stage));
    stages
}

/// Count per stage at D and at D - 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PyramidCounts {
    /// Indexed by `Stage::index()`.
    pub now: [u32; 7],
    pub week_ago: [u32; 7],
}

#[cfg(test)]
impl PyramidCounts {
    /// Customers in `stage` at D.
    pub(crate) fn now_in(&self, stage: Stage) -> u32 {
        self.now[stage.index()]
    }

    /// Change of `stage` since D - 7 (positive: grew).
    pub(crate) fn change(&self, stage: Stage) -> i64 {
        i64::from(self.now[stage.index()]) - i64::from(self.week_ago[stage.index()])
    }
}

pub(crate) fn pyramid_counts(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    config: &PyramidConfig,
) -> PyramidCounts {
    WeekStages::of(facts, as_of, config).counts()
}

/// The pyramid counts at each of `days` as-of dates from `first` on, as
/// [`pyramid_counts`] gives each, for a store that does not change
/// meanwhile: what the next opens of the dashboard show first. The counts
/// of a date serve as its own and as the week before of the date 7 days
/// later. Dates past the last representable one are left out.
pub fn pyramid_frames(
    facts: &[CustomerFacts],
    first: NaiveDate,
    days: u32,
    config: &PyramidConfig,
) -> Vec<(NaiveDate, PyramidCounts)> {
    let mut counted: Vec<(NaiveDate, [u32; 7])> = Vec::new();
    let mut counts_at = |date: NaiveDate| {
        if let Some((_, c)) = counted.iter().find(|(d, _)| *d == date) {
            return *c;
        }
        let c = counts(&stages(facts, date, config));
        counted.push((date, c));
        c
    };
    (0..days)
        .map_while(|offset| first.checked_add_days(Days::new(u64::from(offset))))
        .map(|date| {
            let now = counts_at(date);
            // As in `WeekStages::of`: the first representable date has no
            // week before it, and nobody in it.
            let week_ago = date
                .checked_sub_days(Days::new(7))
                .map_or([0; 7], &mut counts_at);
            (date, PyramidCounts { now, week_ago })
        })
        .collect()
}

/// Every customer's stage at D and at D - 7, in the order of the facts;
/// `None` for one not there yet. Computed once per load: the pyramid counts
/// them, the weekly review tells who moved.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WeekStages {
    pub(crate) now: Vec<Option<Stage>>,
    pub(crate) week_ago: Vec<Option<Stage>>,
}

impl WeekStages {
    pub fn of(facts: &[CustomerFacts], as_of: NaiveDate, config: &PyramidConfig) -> WeekStages {
        WeekStages {
            now: stages(facts, as_of, config),
            // Only the first representable date has no week before it.
            week_ago: as_of
                .checked_sub_days(Days::new(7))
                .map_or_else(|| vec![None; facts.len()], |d| stages(facts, d, config)),
        }
    }

    pub fn counts(&self) -> PyramidCounts {
        PyramidCounts {
            now: counts(&self.now),
            week_ago: counts(&self.week_ago),
        }
    }
}

/// How many of `stages` are in each stage, by `Stage::index()`.
fn counts(stages: &[Option<Stage>]) -> [u32; 7] {
    let mut counts = [0u32; 7];
    for stage in stages.iter().flatten() {
        if let Some(c) = counts.get_mut(stage.index()) {
            *c = c.saturating_add(1);
        }
    }
    counts
}

/// What the stage rules need to know of one customer at D.
pub(crate) struct Standing {
    pub(crate) history: PurchaseHistory,
    /// Has a purchase day in W.
    pub(crate) active: bool,
    pub(crate) revenue_in_window: i64,
}

/// Applies the stage rules at `as_of` and hands each customer with their standing
/// and stage, in order, to `each`. A customer who does not exist at `as_of` has
/// no stage (`None`) and counts for nobody else's: the store at the end of D did
/// not hold them yet.
pub(crate) fn for_each_stage(
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    config: &PyramidConfig,
    mut each: impl FnMut(&CustomerFacts, &Standing, Option<Stage>),
) {
    let window = ActiveWindow::ending_at(as_of, config);
    let standings: Vec<Standing> = facts
        .iter()
        .map(|customer| {
            let history = PurchaseHistory::of(customer, as_of);
            Standing {
                history,
                active: history.last.is_some_and(|last| window.contains(last)),
                revenue_in_window: window.revenue_cents(customer),
            }
        })
        .collect();

    let referrers = buying_referrers(facts, &standings);
    // Ranked among the active repeat customers only: counting one-day buyers
    // would let a big single order raise the bar no regular has to clear.
    let threshold = key_threshold(
        standings
            .iter()
            .filter(|s| s.active && s.history.frequency >= 2)
            .map(|s| s.revenue_in_window)
            .collect(),
        config.key_customer_share,
    );

    for (customer, standing) in facts.iter().zip(&standings) {
        if !customer.exists_at(as_of) {
            each(customer, standing, None);
            continue;
        }
        let stage = if standing.history.frequency > 0 && !standing.active {
            Stage::Lapsed
        } else if customer.advocate || referrers.binary_search(&customer.id).is_ok() {
            Stage::Advocate
        } else if standing.history.frequency >= 2
            && threshold.is_some_and(|t| standing.revenue_in_window >= t)
            && standing.revenue_in_window > 0
        {
            Stage::KeyCustomer
        } else if standing.history.frequency >= 2 {
            Stage::Regular
        } else if standing.history.frequency == 1 {
            Stage::Customer
        } else if customer.prospect || has_interaction(customer, as_of) {
            Stage::Prospect
        } else {
            Stage::Suspect
        };
        each(customer, standing, Some(stage));
    }
}

/// Ids of customers who referred a customer with a purchase day on or before D,
/// sorted for binary search. A customer naming themselves brought nobody in.
fn buying_referrers(facts: &[CustomerFacts], standings: &[Standing]) -> Vec<CustomerId> {
    let mut referrers: Vec<CustomerId> = facts
        .iter()
        .zip(standings)
        .filter(|(_, standing)| standing.history.frequency > 0)
        .filter_map(|(customer, _)| customer.referred_by.filter(|by| *by != customer.id))
        .collect();
    referrers.sort_unstable();
    referrers.dedup();
    referrers
}

/// The k-th largest of the active repeat customers' revenues in W, k = ceil(share *
/// their number); `None` when there is no key customer to be had (none of them, or k = 0).
fn key_threshold(mut revenues: Vec<i64>, share: f64) -> Option<i64> {
    let k = key_count(share, revenues.len());
    if k == 0 {
        return None;
    }
    let n = revenues.len();
    // Ascending position n - k holds the k-th largest; selection is O(n), no full sort.
    let (_, kth, _) = revenues.select_nth_unstable(n - k);
    Some(*kth)
}

/// k = ceil(share * n), clamped to 0..=n.
///
/// The share comes from a config file as a short decimal such as 0.2, which f64
/// cannot hold exactly: `(0.07 * 100.0).ceil()` is 8, not 7. Rounding the share to
/// millionths recovers the decimal the owner wrote, and the ceiling is then taken
/// in exact integer arithmetic. Shares finer than a millionth are rounded.
fn key_count(share: f64, n: usize) -> usize {
    const PARTS: u64 = 1_000_000;
    let share_parts = if share.is_finite() && share > 0.0 {
        // In 0..=PARTS after the clamp, so the cast is exact.
        (share * PARTS as f64).round().min(PARTS as f64) as u64
    } else {
        0
    };
    let k = (share_parts * n as u64).div_ceil(PARTS);
    k.min(n as u64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::history::test_support::{buyer, customer, date, day};
    use crate::domain::Stage::*;

    const D: &str = "2024-12-31";

    #[test]
    fn huge_revenue_in_the_window_is_held_at_the_bound() {
        let huge = i64::MAX / 2 + 1;
        let facts = vec![
            buyer(1, &["2024-06-01", "2024-07-01"], huge),
            buyer(2, &["2024-06-01"], 100),
        ];
        let window = ActiveWindow::ending_at(date(D), &config(0.5));
        assert_eq!(window.revenue_cents(&facts[0]), i64::MAX);
        let stages = stages(&facts, date(D), &config(0.5));
        assert_eq!(stages[0], Some(KeyCustomer));
    }

    fn config(share: f64) -> PyramidConfig {
        PyramidConfig {
            active_window_days: 365,
            key_customer_share: share,
        }
    }

    fn stages_at(facts: &[CustomerFacts], share: f64) -> Vec<Stage> {
        stages(facts, date(D), &config(share))
            .into_iter()
            .map(|stage| stage.unwrap_or_else(|| panic!("every test customer exists")))
            .collect()
    }

    #[test]
    fn the_window_is_the_365_days_ending_at_d() {
        // 2024 is a leap year: D - 364 days = 2024-01-02, the first day of W.
        let facts = vec![
            buyer(1, &["2024-01-02"], 100),
            buyer(2, &["2024-01-01"], 100),
        ];
        assert_eq!(stages_at(&facts, 0.2), vec![Customer, Lapsed]);
        let w = ActiveWindow::ending_at(date(D), &config(0.2));
        assert!(w.contains(date("2024-01-02")) && w.contains(date(D)));
        assert!(!w.contains(date("2024-01-01")) && !w.contains(date("2025-01-01")));
        // A zero-day window holds nothing: everyone who bought is lapsed.
        let empty = PyramidConfig {
            active_window_days: 0,
            ..config(0.2)
        };
        assert_eq!(
            stages(&facts[..1], date("2024-01-02"), &empty),
            vec![Some(Lapsed)]
        );
    }

    #[test]
    fn revenue_in_window_includes_refunds_and_ignores_days_outside() {
        // 2023-12-31 (before W), 2024-03-01 +50.00, 2024-04-01 refund -20.00,
        // 2025-01-01 (after D): revenue in W = 5000 - 2000 = 3000.
        let c = customer(
            1,
            vec![
                day("2023-12-31", 9_000),
                day("2024-03-01", 5_000),
                day("2024-04-01", -2_000),
                day("2025-01-01", 7_000),
            ],
        );
        let w = ActiveWindow::ending_at(date(D), &config(0.2));
        assert_eq!(w.revenue_cents(&c), 3_000);
    }

    #[test]
    fn lapsed_comes_before_advocate() {
        // Flagged advocate, last purchase day before W: lapsed (rule 1 first).
        let mut lapsed_advocate = buyer(1, &["2023-06-01"], 100);
        lapsed_advocate.advocate = true;
        // Flagged advocate, no purchase day at all: not lapsed, so advocate.
        let mut flagged = customer(2, vec![]);
        flagged.advocate = true;
        assert_eq!(
            stages_at(&[lapsed_advocate, flagged], 0.2),
            vec![Lapsed, Advocate]
        );
    }

    #[test]
    fn a_referral_makes_an_advocate_only_once_the_referred_customer_bought() {
        // 1 referred 2, who bought on D: 1 is an advocate (even with no purchase of
        //   their own).
        // 3 referred 4, who bought only after D: 3 stays a suspect.
        // 5 referred 6, who has only a refund day: not a purchase day, 5 stays a suspect.
        // 7 names themselves as referrer: still a customer.
        let mut referred = buyer(2, &[D], 100);
        referred.referred_by = Some(1);
        let mut too_late = buyer(4, &["2025-01-01"], 100);
        too_late.referred_by = Some(3);
        let mut refunded = customer(6, vec![day("2024-05-05", -100)]);
        refunded.referred_by = Some(5);
        let mut self_referred = buyer(7, &["2024-05-05"], 100);
        self_referred.referred_by = Some(7);
        let facts = vec![
            customer(1, vec![]),
            referred,
            customer(3, vec![]),
            too_late,
            customer(5, vec![]),
            refunded,
            self_referred,
        ];
        assert_eq!(
            stages_at(&facts, 0.2),
            vec![
                Advocate, Customer, Suspect, Suspect, Suspect, Suspect, Customer
            ]
        );
        // At 2025-01-01 customer 4 has bought: 3 becomes an advocate.
        let later = stages(&facts, date("2025-01-01"), &config(0.2));
        assert_eq!(later[2], Some(Advocate));
    }

    /// Customer `id` with two purchase days in W, `revenue` cents in all.
    fn regular(id: i64, revenue: i64) -> CustomerFacts {
        customer(
            id,
            vec![
                day("2024-06-01", revenue / 2),
                day("2024-07-01", revenue - revenue / 2),
            ],
        )
    }

    #[test]
    fn key_threshold_ties_all_count() {
        // Active revenues 500, 500, 300, 200, 100 (n = 5), all regulars.
        let facts = vec![
            regular(1, 500),
            regular(2, 500),
            regular(3, 300),
            regular(4, 200),
            regular(5, 100),
        ];
        // share 0.2: k = ceil(1.0) = 1, threshold 500: both 500s are key.
        let key = |share| -> Vec<bool> {
            stages_at(&facts, share)
                .iter()
                .map(|s| *s == KeyCustomer)
                .collect()
        };
        assert_eq!(key(0.2), vec![true, true, false, false, false]);
        // share 0.4: k = 2, threshold still 500.
        assert_eq!(key(0.4), vec![true, true, false, false, false]);
        // share 0.6: k = 3, threshold 300.
        assert_eq!(key(0.6), vec![true, true, true, false, false]);
        // share 0: k = 0, nobody is key; the rest are regulars.
        assert_eq!(stages_at(&facts, 0.0), vec![Regular; 5]);
    }

    #[test]
    fn key_customers_need_two_purchase_days_and_positive_revenue() {
        // Active: a one-day customer with 900 and a regular with 800. Only the
        // regular is ranked (k = ceil(0.2) = 1, threshold 800): the regular is key,
        // the bigger one-day buyer is not (one purchase day).
        let facts = vec![buyer(1, &["2024-05-01"], 900), regular(2, 800)];
        assert_eq!(stages_at(&facts, 0.2), vec![Customer, KeyCustomer]);
        // Free orders only: revenue 0 everywhere, threshold 0, but revenue must be > 0.
        let free = vec![regular(1, 0), regular(2, 0)];
        assert_eq!(stages_at(&free, 1.0), vec![Regular, Regular]);
        // Revenue from before W does not count: 3 is active, but its 100.00 is old.
        // Active revenues 0 and 100, share 0.5: k = 1, threshold 100.
        let old_money = customer(3, vec![day("2023-01-01", 10_000), day("2024-06-01", 0)]);
        let facts = vec![old_money, regular(4, 100)];
        assert_eq!(stages_at(&facts, 0.5), vec![Regular, KeyCustomer]);
    }

    #[test]
    fn the_key_threshold_ranks_active_repeat_customers_only() {
        // Active repeat customers: regulars 1 (300) and 2 (200). One-day buyers 3-6
        // (1000 each) are active but not repeat; 7 has two purchase days, none in W
        // (lapsed); 8's second purchase day is after D. Share 0.2 of 2: k =
        // ceil(0.4) = 1, threshold 300: customer 1 is key, 2 a regular.
        let mut facts = vec![regular(1, 300), regular(2, 200)];
        facts.extend((3..=6).map(|id| buyer(id, &["2024-05-01"], 1_000)));
        facts.push(buyer(7, &["2023-01-01", "2023-02-01"], 5_000));
        facts.push(buyer(8, &["2024-05-01", "2025-02-01"], 5_000));
        assert_eq!(
            stages_at(&facts, 0.2),
            vec![
                KeyCustomer,
                Regular,
                Customer,
                Customer,
                Customer,
                Customer,
                Lapsed,
                Customer
            ]
        );
        // With no active repeat customer there is no key customer, whatever the share.
        let one_timers: Vec<_> = (1..=3)
            .map(|id| buyer(id, &["2024-05-01"], 1_000))
            .collect();
        assert_eq!(stages_at(&one_timers, 1.0), vec![Customer; 3]);
    }

    #[test]
    fn key_count_has_no_float_surprises() {
        // Naive f64 overshoots: 0.07 * 100 is 7.000000000000001, 0.55 * 100 is
        // 55.00000000000001.
        assert_eq!((0.07f64 * 100.0).ceil(), 8.0);
        assert_eq!(key_count(0.07, 100), 7);
        assert_eq!((0.55f64 * 100.0).ceil(), 56.0);
        assert_eq!(key_count(0.55, 100), 55);
        assert_eq!(key_count(0.55, 101), 56); // ceil(55.55)
        assert_eq!(key_count(0.7, 10), 7);
        assert_eq!(key_count(0.2, 10), 2);
        assert_eq!(key_count(0.2, 11), 3); // ceil(2.2)
        assert_eq!(key_count(0.2, 1), 1); // ceil(0.2)
        assert_eq!(key_count(0.2, 0), 0);
        assert_eq!(key_count(0.1, 30), 3);
        assert_eq!(key_count(1.0, 5), 5);
        assert_eq!(key_count(1.5, 5), 5);
        assert_eq!(key_count(0.0, 5), 0);
        assert_eq!(key_count(-0.3, 5), 0);
        assert_eq!(key_count(f64::NAN, 5), 0);
        assert_eq!(key_threshold(vec![], 0.2), None);
        assert_eq!(key_threshold(vec![3, 9, 1, 7, 5], 0.4), Some(7));
    }

    #[test]
    fn prospects_and_suspects() {
        // Flagged prospect: prospect. Interaction on or before D: prospect.
        // Interaction only after D: suspect. Refund-only customer: no purchase day, suspect.
        let mut flagged = customer(1, vec![]);
        flagged.prospect = true;
        let mut contacted = customer(2, vec![]);
        contacted.interaction_dates = vec![date(D)];
        let mut later = customer(3, vec![]);
        later.interaction_dates = vec![date("2025-01-02")];
        let refunded = customer(4, vec![day("2024-03-03", -500)]);
        let facts = vec![flagged, contacted, later, refunded];
        assert_eq!(
            stages_at(&facts, 0.2),
            vec![Prospect, Prospect, Suspect, Suspect]
        );
    }

    #[test]
    fn counts_at_d_and_a_week_before() {
        // D = 2024-12-31, D - 7 = 2024-12-24 (window from 2023-12-26).
        //   1: one purchase day 2023-12-30: lapsed now, customer a week ago.
        //   2: first purchase 2024-12-28, interaction 2024-12-01: customer now,
        //      prospect a week ago.
        //   3: flagged prospect: prospect both times.
        //   4: nothing: suspect both times.
        let mut new_buyer = buyer(2, &["2024-12-28"], 100);
        new_buyer.interaction_dates = vec![date("2024-12-01")];
        let mut flagged = customer(3, vec![]);
        flagged.prospect = true;
        let facts = vec![
            buyer(1, &["2023-12-30"], 100),
            new_buyer,
            flagged,
            customer(4, vec![]),
        ];
        let counts = pyramid_counts(&facts, date(D), &config(0.2));
        // Order: suspect, prospect, customer, regular, key, advocate, lapsed.
        assert_eq!(counts.now, [1, 1, 1, 0, 0, 0, 1]);
        assert_eq!(counts.week_ago, [1, 2, 1, 0, 0, 0, 0]);
        assert_eq!(counts.change(Prospect), -1);
        assert_eq!(counts.change(Lapsed), 1);
        assert_eq!(counts.now_in(Customer), 1);
    }

    #[test]
    fn customers_who_do_not_exist_yet_are_in_no_count() {
        // D = 2024-03-01, D - 7 = 2024-02-23 (2024 is a leap year).
        let created = |mut c: CustomerFacts, on: &str| {
            c.created_on = date(on);
            c
        };
        // 1: created the day after D, flagged prospect: in neither count.
        let mut later_prospect = customer(1, vec![]);
        later_prospect.prospect = true;
        // 5: created after D, flagged advocate: in neither count.
        let mut later_advocate = customer(5, vec![]);
        later_advocate.advocate = true;
        // 4: created after D but contacted on 2024-02-20: a prospect both times.
        let mut contacted = customer(4, vec![]);
        contacted.interaction_dates = vec![date("2024-02-20")];
        // 8 bought on 2024-02-10 and was referred by 7, created after D: 7 is no
        // advocate, for 7 does not exist.
        let mut referred = buyer(8, &["2024-02-10"], 100);
        referred.referred_by = Some(7);
        let facts = vec![
            created(later_prospect, "2024-03-02"),
            // 2: created on the leap day, between D - 7 and D: a suspect now only.
            created(customer(2, vec![]), "2024-02-29"),
            // 3: imported after D, first order 2024-01-15: exists from that order.
            created(buyer(3, &["2024-01-15"], 100), "2024-03-05"),
            created(contacted, "2024-03-10"),
            created(later_advocate, "2024-03-10"),
            // 6: created long before: a suspect both times.
            created(customer(6, vec![]), "2024-02-01"),
            created(customer(7, vec![]), "2024-03-20"),
            created(referred, "2024-02-10"),
        ];
        let counts = pyramid_counts(&facts, date("2024-03-01"), &config(0.2));
        // Order: suspect, prospect, customer, regular, key, advocate, lapsed.
        assert_eq!(counts.now, [2, 1, 2, 0, 0, 0, 0]);
        assert_eq!(counts.week_ago, [1, 1, 2, 0, 0, 0, 0]);
        assert_eq!(counts.change(Suspect), 1);
        // On the leap day itself customer 2 exists; the day before it did not.
        let on = |d: &str| facts[1].exists_at(date(d));
        assert!(on("2024-02-29") && !on("2024-02-28"));
    }

    /// Each day's frame is that day's pyramid, its week before included,
    /// on days where customers lapse out of the window, start to exist and
    /// move between key and regular; at the first representable date (no
    /// week before it) and the last (no days after it).
    #[test]
    fn every_frame_is_its_days_pyramid() {
        let facts = vec![
            // Lapses as its one purchase day leaves W (2024-01-02..=D).
            buyer(1, &["2024-01-03"], 500),
            buyer(2, &["2024-01-01", "2024-12-30"], 100),
            // Buys again within the frames' days: regular, then key.
            buyer(3, &["2023-06-01", "2025-01-03"], 9_000),
            buyer(4, &["2024-03-01", "2024-04-01"], 2_000),
            buyer(5, &["2024-05-01", "2024-05-02", "2024-12-29"], 700),
            // First exists a few days into the frames.
            buyer(6, &["2025-01-05"], 300),
            customer(7, Vec::new()),
            // A refund inside the days takes revenue in W below zero.
            customer(
                8,
                vec![
                    day("2024-06-20", 5_000),
                    day("2024-12-20", 4_000),
                    day("2025-01-02", -9_500),
                ],
            ),
        ];
        let config = config(0.2);
        let first = date("2024-12-28");
        let frames = pyramid_frames(&facts, first, 12, &config);
        assert_eq!(frames.len(), 12);
        for (offset, (day, counts)) in (0..).zip(&frames) {
            assert_eq!(*day, first + Days::new(offset));
            assert_eq!(*counts, pyramid_counts(&facts, *day, &config), "{day}");
        }
        let distinct: std::collections::BTreeSet<_> =
            frames.iter().map(|(_, c)| (c.now, c.week_ago)).collect();
        assert!(distinct.len() > 4, "the days differ: {distinct:?}");

        let at_min = pyramid_frames(&facts, NaiveDate::MIN, 9, &config);
        assert_eq!(at_min.len(), 9);
        for (day, counts) in &at_min {
            assert_eq!(*counts, pyramid_counts(&facts, *day, &config), "{day}");
        }
        let near_max = NaiveDate::MAX - Days::new(2);
        let at_max = pyramid_frames(&facts, near_max, 7, &config);
        assert_eq!(at_max.len(), 3, "no day after the last");
        for (day, counts) in &at_max {
            assert_eq!(*counts, pyramid_counts(&facts, *day, &config), "{day}");
        }
    }

    #[test]
    fn an_empty_store_has_an_empty_pyramid() {
        assert!(stages_at(&[], 0.2).is_empty());
        let counts = pyramid_counts(&[], date(D), &config(0.2));
        assert_eq!((counts.now, counts.week_ago), ([0; 7], [0; 7]));
    }
}
