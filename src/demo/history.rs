//! When and how much: the calendar of the demo and each customer's buying.
//!
//! Days are offsets into a window of [`SPAN_DAYS`] ending at `today`, so the
//! hot loop works on integers and looks dates up in a table.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::rng::Rng;

/// Four years of history, `today` included.
pub(crate) const SPAN_DAYS: i32 = 4 * 365 + 1;

/// Relative buying by month, January first: a spring peak (gardens) and the
/// Christmas season.
const MONTH_WEIGHT: [f64; 12] = [
    0.70, 0.75, 1.00, 1.25, 1.35, 1.10, 0.80, 0.90, 1.00, 1.00, 1.45, 1.80,
];
const SATURDAY_WEIGHT: f64 = 1.2;
const SUNDAY_WEIGHT: f64 = 0.5;

/// The archetype a demo customer is drawn from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// No orders, no interactions.
    Suspect,
    /// Interactions and/or the prospect flag, no orders.
    Prospect,
    /// Buys on one day.
    OneTime,
    /// Buys in a personal rhythm until they stop.
    Regular,
    /// A regular with big baskets and a fast rhythm.
    BigSpender,
}

impl Kind {
    pub(crate) fn buys(self) -> bool {
        matches!(self, Kind::OneTime | Kind::Regular | Kind::BigSpender)
    }
}

/// The dates of the demo window and how likely buying is on each.
pub(crate) struct Calendar {
    pub(crate) today: NaiveDate,
    dates: Vec<NaiveDate>,
    /// Seasonal acceptance in (0, 1] for thinning drawn dates.
    accept: Vec<f64>,
}

impl Calendar {
    /// `None` when `today` is too close to the beginning of the calendar.
    pub(crate) fn new(today: NaiveDate) -> Option<Calendar> {
        let first = today.checked_sub_days(Days::new(SPAN_DAYS as u64 - 1))?;
        let top = MONTH_WEIGHT.iter().fold(0.0_f64, |a, &b| a.max(b)) * SATURDAY_WEIGHT;
        let mut dates = Vec::with_capacity(SPAN_DAYS as usize);
        let mut accept = Vec::with_capacity(SPAN_DAYS as usize);
        for offset in 0..SPAN_DAYS {
            let date = first.checked_add_days(Days::new(offset as u64))?;
            let weekday = match date.weekday() {
                Weekday::Sat => SATURDAY_WEIGHT,
                Weekday::Sun => SUNDAY_WEIGHT,
                _ => 1.0,
            };
            dates.push(date);
            accept.push(MONTH_WEIGHT[date.month0() as usize] * weekday / top);
        }
        Some(Calendar {
            today,
            dates,
            accept,
        })
    }

    /// The date of an offset, clamped into the window.
    pub(crate) fn date(&self, day: i32) -> NaiveDate {
        self.dates[day.clamp(0, SPAN_DAYS - 1) as usize]
    }

    pub(crate) fn last_day(&self) -> i32 {
        SPAN_DAYS - 1
    }

    fn accepts(&self, day: i32, rng: &mut Rng) -> bool {
        rng.chance(self.accept[day as usize])
    }

    /// A first-purchase day: the business grows, so recent days are likelier;
    /// thinned by the season.
    /// `growth` is the share drawn from the growing part; the rest is uniform.
    pub(crate) fn acquisition_day(&self, rng: &mut Rng, growth: f64) -> i32 {
        loop {
            let u = rng.unit();
            let x = if rng.chance(growth) { u.sqrt() } else { u };
            let day = ((x * f64::from(SPAN_DAYS)) as i32).min(SPAN_DAYS - 1);
            if self.accepts(day, rng) {
                return day;
            }
        }
    }

    /// A day within the last `days` days, uniformly.
    pub(crate) fn recent_day(&self, rng: &mut Rng, days: i32) -> i32 {
        SPAN_DAYS - 1 - rng.range(0, i64::from(days.clamp(1, SPAN_DAYS) - 1)) as i32
    }
}

/// A customer's buying habits, drawn once.
pub(crate) struct Habit {
    /// Mean days between purchase days.
    mean_gap: f64,
    /// Shape of the gamma-distributed gaps (1 is memoryless, higher is steadier).
    shape: f64,
    /// Chance of stopping after each purchase day from the second on.
    stop: f64,
    /// Days to the second purchase day when it is not drawn like the other
    /// gaps: a customer who tried the shop once and came back only much later.
    late_return: Option<f64>,
    /// Median basket in cents.
    pub(crate) median_cents: f64,
}

impl Habit {
    /// Regulars are of two sorts, as in a real shop: a loyal core that buys
    /// every few weeks for years, and many who buy a few times and drift away.
    /// The drifting ones make a cohort's activity fade month by month; the late
    /// returns make the 90-day, 180-day and ever repeat rates differ.
    pub(crate) fn draw(kind: Kind, rng: &mut Rng) -> Habit {
        let median_cents = rng.log_normal(4_500.0, 0.45).clamp(1_500.0, 20_000.0);
        match kind {
            Kind::BigSpender => Habit {
                mean_gap: rng.log_normal(16.0, 0.4).clamp(5.0, 45.0),
                shape: 1.5 + 2.0 * rng.unit(),
                stop: 0.004 + 0.02 * rng.unit(),
                late_return: None,
                median_cents: median_cents * (3.0 + 3.0 * rng.unit()),
            },
            _ if rng.chance(LOYAL_SHARE) => Habit {
                mean_gap: rng.log_normal(19.0, 0.5).clamp(7.0, 120.0),
                shape: 1.0 + 2.5 * rng.unit(),
                stop: 0.005 + 0.025 * rng.unit(),
                late_return: rng.chance(0.15).then(|| 90.0 + 300.0 * rng.unit()),
                median_cents,
            },
            _ => Habit {
                mean_gap: rng.log_normal(50.0, 0.7).clamp(10.0, 365.0),
                shape: 1.0 + 1.5 * rng.unit(),
                stop: 0.15 + 0.35 * rng.unit(),
                late_return: rng.chance(0.35).then(|| 90.0 + 540.0 * rng.unit()),
                median_cents,
            },
        }
    }
}

/// The share of regulars who stay for years.
const LOYAL_SHARE: f64 = 0.55;

/// Fills `days` with the purchase days of a customer who first buys on `start`.
pub(crate) fn purchase_days(
    kind: Kind,
    start: i32,
    habit: &Habit,
    calendar: &Calendar,
    rng: &mut Rng,
    days: &mut Vec<i32>,
) {
    days.clear();
    if !kind.buys() {
        return;
    }
    days.push(start);
    if kind == Kind::OneTime {
        return;
    }
    let mut day = start;
    loop {
        if days.len() >= 2 && rng.chance(habit.stop) {
            return;
        }
        // Redraw a gap that lands on an unlikely day: that thins buying
        // seasonally while keeping the personal rhythm.
        let late = habit.late_return.filter(|_| days.len() == 1);
        let next = loop {
            let drawn = match late {
                Some(days) => days * (0.8 + 0.4 * rng.unit()),
                None => rng.gamma(habit.shape, habit.mean_gap),
            };
            let gap = drawn.round().max(1.0) as i32;
            let candidate = day.saturating_add(gap);
            if candidate > calendar.last_day() {
                break None;
            }
            if calendar.accepts(candidate, rng) {
                break Some(candidate);
            }
        };
        match next {
            Some(next) => {
                days.push(next);
                day = next;
            }
            None => return,
        }
    }
}

/// A basket: amount in cents and quantity, log-normal around the customer's
/// median, priced like a shop prices (whole euros and 90 cents, or tens).
pub(crate) fn basket(habit: &Habit, rng: &mut Rng) -> (i64, i64) {
    let quantity = 1 + rng.weighted(&[65, 20, 8, 4, 3]) as i64;
    let raw = habit.median_cents * rng.log_normal(1.0, 0.5) * libm::pow(quantity as f64, 0.6);
    let cents = if rng.chance(0.5) {
        (raw / 100.0).floor() as i64 * 100 + 90
    } else {
        (raw / 10.0).round() as i64 * 10
    };
    (cents.max(100), quantity)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar() -> Calendar {
        Calendar::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()).unwrap()
    }

    #[test]
    fn the_window_ends_today_and_spans_four_years() {
        let cal = calendar();
        assert_eq!(cal.date(cal.last_day()), cal.today);
        assert_eq!(cal.date(0), NaiveDate::from_ymd_opt(2022, 11, 24).unwrap());
        assert_eq!(cal.date(SPAN_DAYS + 10), cal.today);
        assert!(Calendar::new(NaiveDate::MIN).is_none());
    }

    #[test]
    fn december_outsells_january() {
        let cal = calendar();
        let mut rng = Rng::new(11);
        let mut by_month = [0u32; 12];
        for _ in 0..20_000 {
            by_month[cal.date(cal.acquisition_day(&mut rng, 0.5)).month0() as usize] += 1;
        }
        assert!(by_month[11] > by_month[0] * 2, "{by_month:?}");
        assert!(by_month[4] > by_month[6], "{by_month:?}");
    }

    #[test]
    fn regulars_buy_repeatedly_in_order_and_never_after_today() {
        let cal = calendar();
        let mut rng = Rng::new(2);
        let mut days = Vec::new();
        let mut repeaters = 0;
        for _ in 0..500 {
            let habit = Habit::draw(Kind::Regular, &mut rng);
            purchase_days(Kind::Regular, 100, &habit, &cal, &mut rng, &mut days);
            assert!(days.windows(2).all(|w| w[0] < w[1]));
            assert!(days.iter().all(|&d| d <= cal.last_day()));
            repeaters += usize::from(days.len() >= 2);
        }
        assert!(repeaters > 450, "{repeaters}");
        purchase_days(
            Kind::Suspect,
            5,
            &Habit::draw(Kind::Suspect, &mut rng),
            &cal,
            &mut rng,
            &mut days,
        );
        assert!(days.is_empty());
    }

    #[test]
    fn baskets_are_positive_whole_cents_in_a_shop_range() {
        let mut rng = Rng::new(4);
        let habit = Habit::draw(Kind::Regular, &mut rng);
        for _ in 0..1_000 {
            let (cents, quantity) = basket(&habit, &mut rng);
            assert!(cents >= 100 && (1..=5).contains(&quantity));
            assert_eq!(cents % 10, 0);
        }
    }
}
