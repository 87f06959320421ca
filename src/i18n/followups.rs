//! The follow-ups' words in English and Finnish: a rule's reason worded from
//! its figures with the wording of the day, the list's filters, and what each
//! follow-up action says it did.

use chrono::{Datelike, NaiveDate};

use super::Lang;
use super::names::weekday;
use super::plural::{DAY, count};
use crate::domain::{CadenceFrom, RuleFigures, Valued};
strings! {
    /// Every fixed string of the follow-up list and its actions.
    pub(crate) struct FollowUpStrings {
        all = "all", "kaikki";
        overdue = "overdue", "myöhässä";
        today = "today", "tänään";
        upcoming = "upcoming", "tulossa";
        expired = "expired", "vanhentunut";
        by_hand = "written by hand", "käsin kirjatut";
        none_shown = "None here: v shows the others", "Ei yhtään: v näyttää muut";
        act_cycle_filter = "filter by when or rule", "rajaa ajan tai säännön mukaan";
        done = "Done", "Tehty";
        next_contact = "next contact due", "seuraava yhteydenotto";
        snoozed_to = "Snoozed to", "Siirretty:";
        rescheduled_to = "Rescheduled to", "Uusi päivä:";
        note_saved = "Note saved", "Huomautus tallennettu";
        contact_logged = "Contact logged", "Yhteydenotto kirjattu";
        follow_up_on = "follow-up on", "seuranta";
    }
}

/// A date as the language writes it: `2026-11-23` / `23.11.2026`.
fn day(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::En => d.format("%Y-%m-%d").to_string(),
        Lang::Fi => d.format("%-d.%-m.%Y").to_string(),
    }
}

/// A date near today, with its weekday, as a status line says it:
/// `Wed 2.12.` (`ke 2.12.`); the year only when it is not today's.
pub(crate) fn short_date(d: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    let weekday = weekday(d, lang);
    if d.year() == today.year() {
        format!("{weekday} {}", d.format("%-d.%-m."))
    } else {
        format!("{weekday} {}", d.format("%-d.%-m.%Y"))
    }
}

/// A decimal with the language's mark: `0.42` / `0,42`.
fn decimal(text: String, lang: Lang) -> String {
    match lang {
        Lang::En => text,
        Lang::Fi => text.replace('.', ","),
    }
}

/// Days as a whole or half number: `20 days`, `20.5 days`, `1 päivä`.
fn days_of(value: f64, lang: Lang) -> String {
    if value.fract() == 0.0 && value.abs() < 1e12 {
        count(lang, value as i64, DAY)
    } else {
        format!(
            "{} {}",
            decimal(format!("{value:.1}"), lang),
            DAY.many(lang)
        )
    }
}

/// Why a follow-up is owed, in the language: a rule's worded from its figures
/// at `today` (`no purchase for 45 days` counts to today), one written by
/// hand (or by a kanta that kept no figures) as it was written.
pub(crate) fn reason(
    lang: Lang,
    figures: Option<&RuleFigures>,
    written: &str,
    today: NaiveDate,
) -> String {
    let Some(figures) = figures else {
        return written.to_string();
    };
    let since = |d: NaiveDate| (today - d).num_days().max(0);
    match (*figures, lang) {
        (RuleFigures::ThankYou { first_purchase }, Lang::En) => {
            format!(
                "first purchase on {}, not thanked yet",
                day(first_purchase, lang)
            )
        }
        (RuleFigures::ThankYou { first_purchase }, Lang::Fi) => {
            format!("ensiosto {}, ei vielä kiitetty", day(first_purchase, lang))
        }
        (
            RuleFigures::CheckIn {
                last_purchase,
                median_gap_days,
            },
            Lang::En,
        ) => format!(
            "no purchase for {}; usual gap {}",
            count(lang, since(last_purchase), DAY),
            days_of(median_gap_days, lang)
        ),
        (
            RuleFigures::CheckIn {
                last_purchase,
                median_gap_days,
            },
            Lang::Fi,
        ) => format!(
            "edellisestä ostosta {}; tavallinen väli {}",
            count(lang, since(last_purchase), DAY),
            days_of(median_gap_days, lang)
        ),
        (RuleFigures::CoolingProspect { last_contact }, Lang::En) => format!(
            "prospect last contacted on {}, {} ago",
            day(last_contact, lang),
            count(lang, since(last_contact), DAY)
        ),
        (RuleFigures::CoolingProspect { last_contact }, Lang::Fi) => format!(
            "prospekti, viimeisin yhteydenotto {}, {} sitten",
            day(last_contact, lang),
            count(lang, since(last_contact), DAY)
        ),
        (
            RuleFigures::AtRisk {
                who,
                p_alive,
                last_purchase,
            },
            _,
        ) => {
            let p = decimal(format!("{p_alive:.2}"), lang);
            let last = day(last_purchase, lang);
            match (lang, who) {
                (Lang::En, Valued::KeyCustomer) => {
                    format!("key customer with P(alive) {p}; last purchase on {last}")
                }
                (Lang::En, Valued::Champion) => {
                    format!("Champion with P(alive) {p}; last purchase on {last}")
                }
                (Lang::Fi, Valued::KeyCustomer) => {
                    format!("avainasiakas, P(elossa) {p}; viimeisin osto {last}")
                }
                (Lang::Fi, Valued::Champion) => {
                    format!("mestari, P(elossa) {p}; viimeisin osto {last}")
                }
            }
        }
        (
            RuleFigures::Cadence {
                every_days,
                from,
                since: start,
            },
            _,
        ) => {
            let start = day(start, lang);
            match lang {
                Lang::En => {
                    let every = count(lang, every_days, DAY);
                    match from {
                        CadenceFrom::Contact => {
                            format!("contact every {every}; last contact on {start}")
                        }
                        CadenceFrom::FirstPurchase => format!(
                            "contact every {every}; no contact since the first purchase on {start}"
                        ),
                        CadenceFrom::Done => {
                            format!("contact every {every}; last follow-up done on {start}")
                        }
                    }
                }
                Lang::Fi => {
                    // The genitive is the same after every number: `1 päivän välein`.
                    let every = format!("yhteys {every_days} päivän välein");
                    match from {
                        CadenceFrom::Contact => format!("{every}; viimeisin yhteydenotto {start}"),
                        CadenceFrom::FirstPurchase => {
                            format!("{every}; ei yhteydenottoa ensioston {start} jälkeen")
                        }
                        CadenceFrom::Done => format!("{every}; edellinen seuranta tehty {start}"),
                    }
                }
            }
        }
    }
}

/// `Done: Aino Virtanen`; `Done` when the name is not known.
fn named(what: &str, name: &str) -> String {
    if name.trim().is_empty() {
        what.to_string()
    } else {
        format!("{what}: {name}")
    }
}

/// `Done: Aino Virtanen`, and for a cadence when the next one is due.
pub(crate) fn done_message(
    lang: Lang,
    name: &str,
    next: Option<NaiveDate>,
    today: NaiveDate,
) -> String {
    let s = FollowUpStrings::of(lang);
    let done = named(s.done, name);
    match next {
        Some(next) => format!(
            "{done}; {} {}",
            s.next_contact,
            short_date(next, today, lang)
        ),
        None => done,
    }
}

/// `Note saved: Aino Virtanen`.
pub(crate) fn note_message(lang: Lang, name: &str) -> String {
    named(FollowUpStrings::of(lang).note_saved, name)
}

/// `Snoozed to Wed 2.12.`
pub fn snoozed_message(lang: Lang, due: NaiveDate, today: NaiveDate) -> String {
    format!(
        "{} {}",
        FollowUpStrings::of(lang).snoozed_to,
        short_date(due, today, lang)
    )
}

/// `Rescheduled to Wed 2.12.`
pub(crate) fn rescheduled_message(lang: Lang, due: NaiveDate, today: NaiveDate) -> String {
    format!(
        "{} {}",
        FollowUpStrings::of(lang).rescheduled_to,
        short_date(due, today, lang)
    )
}

/// `Contact logged: Aino Virtanen`, with the follow-up date when one was set.
pub(crate) fn contact_message(
    lang: Lang,
    name: &str,
    follow_up: Option<NaiveDate>,
    today: NaiveDate,
) -> String {
    let s = FollowUpStrings::of(lang);
    let logged = named(s.contact_logged, name);
    match follow_up {
        Some(due) => format!(
            "{logged}; {} {}",
            s.follow_up_on,
            short_date(due, today, lang)
        ),
        None => logged,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const TODAY: &str = "2026-11-30";

    fn both(figures: RuleFigures) -> (String, String) {
        (
            reason(Lang::En, Some(&figures), "", d(TODAY)),
            reason(Lang::Fi, Some(&figures), "", d(TODAY)),
        )
    }

    #[test]
    fn reasons_are_worded_in_each_language_counting_to_today() {
        assert_eq!(
            both(RuleFigures::CheckIn {
                last_purchase: d("2026-10-16"),
                median_gap_days: 20.5
            }),
            (
                "no purchase for 45 days; usual gap 20.5 days".to_string(),
                "edellisestä ostosta 45 päivää; tavallinen väli 20,5 päivää".to_string()
            )
        );
        assert_eq!(
            both(RuleFigures::CheckIn {
                last_purchase: d("2026-11-29"),
                median_gap_days: 1.0
            }),
            (
                "no purchase for 1 day; usual gap 1 day".to_string(),
                "edellisestä ostosta 1 päivä; tavallinen väli 1 päivä".to_string()
            )
        );
        assert_eq!(
            both(RuleFigures::ThankYou {
                first_purchase: d("2026-11-02")
            }),
            (
                "first purchase on 2026-11-02, not thanked yet".to_string(),
                "ensiosto 2.11.2026, ei vielä kiitetty".to_string()
            )
        );
        assert_eq!(
            both(RuleFigures::CoolingProspect {
                last_contact: d("2026-11-15")
            }),
            (
                "prospect last contacted on 2026-11-15, 15 days ago".to_string(),
                "prospekti, viimeisin yhteydenotto 15.11.2026, 15 päivää sitten".to_string()
            )
        );
        assert_eq!(
            both(RuleFigures::AtRisk {
                who: Valued::Champion,
                p_alive: 0.4249,
                last_purchase: d("2026-05-05")
            }),
            (
                "Champion with P(alive) 0.42; last purchase on 2026-05-05".to_string(),
                "mestari, P(elossa) 0,42; viimeisin osto 5.5.2026".to_string()
            )
        );
        assert_eq!(
            both(RuleFigures::Cadence {
                every_days: 1,
                from: CadenceFrom::Done,
                since: d("2026-11-29")
            }),
            (
                "contact every 1 day; last follow-up done on 2026-11-29".to_string(),
                "yhteys 1 päivän välein; edellinen seuranta tehty 29.11.2026".to_string()
            )
        );
    }

    #[test]
    fn a_reason_written_by_hand_is_shown_as_written() {
        assert_eq!(
            reason(Lang::Fi, None, "Soita takaisin", d(TODAY)),
            "Soita takaisin"
        );
    }

    #[test]
    fn status_lines_say_what_was_done() {
        let today = d(TODAY);
        assert_eq!(
            snoozed_message(Lang::En, d("2026-12-02"), today),
            "Snoozed to Wed 2.12."
        );
        assert_eq!(
            snoozed_message(Lang::Fi, d("2026-12-02"), today),
            "Siirretty: ke 2.12."
        );
        assert_eq!(
            rescheduled_message(Lang::En, d("2027-01-04"), today),
            "Rescheduled to Mon 4.1.2027"
        );
        assert_eq!(
            done_message(Lang::En, "Aino Virtanen", None, today),
            "Done: Aino Virtanen"
        );
        assert_eq!(done_message(Lang::En, "", None, today), "Done");
        assert_eq!(
            note_message(Lang::Fi, "Aino Virtanen"),
            "Huomautus tallennettu: Aino Virtanen"
        );
        assert_eq!(
            done_message(Lang::Fi, "Aino Virtanen", Some(d("2026-12-30")), today),
            "Tehty: Aino Virtanen; seuraava yhteydenotto ke 30.12."
        );
        assert_eq!(
            contact_message(Lang::En, "Aino Virtanen", Some(d("2026-12-01")), today),
            "Contact logged: Aino Virtanen; follow-up on Tue 1.12."
        );
    }
}
