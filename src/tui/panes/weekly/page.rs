//! The weekly review's page: the review computed at a date, laid out as lines
//! with the customer lines marked selectable. Built when data loads.

use std::collections::BTreeMap;

use chrono::{Local, NaiveDate};

use crate::analytics::churn::{ChurnFigures, FitError, MIN_REPEAT_CUSTOMERS};
use crate::analytics::weekly::weekly_review_at;
use crate::analytics::{PyramidConfig, WeekStages};
use crate::domain::{CustomerId, FollowUp, FollowUpStatus, Stage};
use crate::store::{Store, StoreError};
use crate::tui::data::DashboardData;
use crate::tui::text::clean;

pub use super::model::{ChurnNote, Detail, Section, WeeklyLine, WeeklyPage};

impl WeeklyPage {
    /// Builds the page from the loaded data. `followups` holds the open ones and
    /// those done this week, each with its local done date.
    pub fn build(
        data: &DashboardData,
        pyramid: &PyramidConfig,
        followups: &[(FollowUp, Option<NaiveDate>)],
    ) -> WeeklyPage {
        let fitted = data.churn_unfitted.is_none();
        let churn: Vec<Option<ChurnFigures>> = data
            .customers
            .iter()
            .map(|r| {
                Some(ChurnFigures {
                    p_alive: r.p_alive?,
                    // Shown only where finite.
                    expected_90d: r.expected_90d.unwrap_or(f64::NAN),
                    expected_365d: r.expected_365d.unwrap_or(f64::NAN),
                    expected_revenue_365d: r.expected_revenue_365d,
                })
            })
            .collect();
        // The stages the load counted the pyramid from; data built without
        // them (or from other facts) has them computed here.
        let computed;
        let stages = if data.stages.now.len() == data.facts.len() {
            &data.stages
        } else {
            computed = WeekStages::of(&data.facts, data.as_of, pyramid);
            &computed
        };
        let review = weekly_review_at(
            &data.facts,
            data.as_of,
            stages,
            followups,
            fitted.then_some(churn.as_slice()),
        );
        let name_at = |index: usize| {
            data.facts
                .get(index)
                .map(|f| (f.id, name_of(data, f.id)))
                .unwrap_or((0, String::new()))
        };
        let mut page = WeeklyPage {
            week: Some((review.week_start, review.as_of)),
            ..WeeklyPage::default()
        };

        for section in crate::analytics::weekly::SECTIONS {
            let start = page.lines.len();
            match section {
                Section::Headline => {
                    page.heading(Section::Headline, None);
                    page.lines.push(WeeklyLine::Revenue {
                        week_cents: review.revenue_week_cents,
                        average_cents: review.revenue_average_cents,
                    });
                    page.lines
                        .push(WeeklyLine::Pyramid(review.pyramid_changes()));
                    page.lines.push(WeeklyLine::Blank);
                }
                Section::NewCustomers => {
                    page.heading(Section::NewCustomers, Some(review.new_customers.len()));
                    for &index in &review.new_customers {
                        let (id, name) = name_at(index);
                        let first = data
                            .facts
                            .get(index)
                            .and_then(|f| f.purchase_days(data.as_of).next());
                        if let Some(first_purchase) = first {
                            page.customer(id, name, Detail::New { first_purchase });
                        }
                    }
                    page.end_section(review.new_customers.is_empty());
                }
                Section::StageMoves => {
                    page.heading(Section::StageMoves, Some(review.stage_moves.len()));
                    let mut groups: BTreeMap<(usize, usize), (Stage, Stage, Vec<usize>)> =
                        BTreeMap::new();
                    for m in &review.stage_moves {
                        groups
                            .entry((m.from.index(), m.to.index()))
                            .or_insert_with(|| (m.from, m.to, Vec::new()))
                            .2
                            .push(m.index);
                    }
                    let mut groups: Vec<_> = groups.into_values().collect();
                    // The biggest movements first; the BTreeMap gave ties the pyramid's order.
                    groups.sort_by_key(|g| std::cmp::Reverse(g.2.len()));
                    for (from, to, members) in groups {
                        page.lines.push(WeeklyLine::Moves {
                            from,
                            to,
                            count: members.len(),
                        });
                        for index in members {
                            let (id, name) = name_at(index);
                            page.customer(id, name, Detail::Moved);
                        }
                    }
                    page.end_section(review.stage_moves.is_empty());
                }
                Section::FollowUpsDone | Section::FollowUpsOverdue => {
                    let ids = if section == Section::FollowUpsDone {
                        &review.followups_done
                    } else {
                        &review.followups_overdue
                    };
                    page.followup_section(section, ids, data, followups);
                }
                Section::AtRisk => match &review.at_risk {
                    Some(at_risk) => {
                        page.heading(Section::AtRisk, Some(at_risk.len()));
                        for c in at_risk {
                            let (id, name) = name_at(c.index);
                            let detail = Detail::AtRisk {
                                monetary_cents: c.monetary_cents,
                                p_alive: c.p_alive,
                                expected_365d: c.expected_365d,
                                expected_revenue_365d: c.expected_revenue_365d,
                            };
                            page.customer(id, name, detail);
                        }
                        page.end_section(at_risk.is_empty());
                    }
                    None => {
                        page.heading(Section::AtRisk, None);
                        let found = data.customers.iter().filter(|r| r.frequency >= 2).count();
                        let note = match (&data.churn_error, &data.churn_unfitted) {
                            (Some(FitError::NotEnoughRepeatCustomers { found, needed }), _) => {
                                ChurnNote::TooFewRepeatCustomers {
                                    found: *found,
                                    needed: *needed,
                                }
                            }
                            (Some(error), _) => ChurnNote::NotFitted(error.clone()),
                            (None, Some(reason)) if found >= MIN_REPEAT_CUSTOMERS => {
                                ChurnNote::Other(reason.clone())
                            }
                            _ => ChurnNote::TooFewRepeatCustomers {
                                found,
                                needed: MIN_REPEAT_CUSTOMERS,
                            },
                        };
                        page.lines.push(WeeklyLine::ChurnUnfitted(note));
                        page.lines.push(WeeklyLine::Blank);
                    }
                },
                Section::LastMonth => {
                    page.heading(Section::LastMonth, None);
                    page.lines
                        .push(WeeklyLine::LastMonth(review.last_month_cohort));
                    page.lines.push(WeeklyLine::Blank);
                }
            }
            page.sections.push((section, start..page.lines.len()));
        }
        page
    }

    /// The follow-ups done this week, or those overdue.
    fn followup_section(
        &mut self,
        section: Section,
        ids: &[i64],
        data: &DashboardData,
        followups: &[(FollowUp, Option<NaiveDate>)],
    ) {
        // By id through a map: a linear look-up per id is quadratic on a
        // store with many overdue follow-ups.
        let index: std::collections::HashMap<i64, &(FollowUp, Option<NaiveDate>)> =
            followups.iter().map(|entry| (entry.0.id, entry)).collect();
        let by_id = |id: i64| index.get(&id).copied();
        self.heading(section, Some(ids.len()));
        for (f, done) in ids.iter().filter_map(|&id| by_id(id)) {
            let reason = clean(&f.reason);
            let figures = f.figures;
            let detail = match section {
                Section::FollowUpsDone => Detail::FollowUpDone {
                    done: *done,
                    figures,
                    reason,
                },
                _ => Detail::FollowUpOverdue {
                    due: f.due,
                    figures,
                    reason,
                },
            };
            self.customer(f.customer_id, name_of(data, f.customer_id), detail);
        }
        self.end_section(ids.is_empty());
    }
}

fn name_of(data: &DashboardData, id: CustomerId) -> String {
    data.row(id)
        .map(|r| r.name.clone())
        .unwrap_or_else(|| format!("#{id}"))
}

/// Builds the page from `open`, the open follow-ups the caller read (the
/// load has them already), and those done this week, read here.
pub fn load(
    store: &Store,
    data: &DashboardData,
    pyramid: &PyramidConfig,
    open: &[FollowUp],
) -> Result<WeeklyPage, StoreError> {
    let week_start = data.as_of - chrono::Duration::days(6);
    // The expired ones are not overdue work any more (SPEC section 6).
    let mut followups: Vec<(FollowUp, Option<NaiveDate>)> = open
        .iter()
        .filter(|f| f.status == FollowUpStatus::Open)
        .filter(|f| !crate::analytics::rules::is_expired(f, data.as_of, data.expire_after_days))
        .map(|f| (f.clone(), None))
        .collect();
    // The page finds each follow-up by its id: those not written yet (id
    // 0, shown before the store's check for damage has passed) are told
    // apart by ids no written one has.
    for (n, (f, _)) in followups.iter_mut().enumerate() {
        if f.id == 0 {
            f.id = -1 - n as i64;
        }
    }
    for f in store.followups_done_between(week_start, data.as_of)? {
        let done = f.done_at.map(|at| at.with_timezone(&Local).date_naive());
        followups.push((f, done));
    }
    Ok(WeeklyPage::build(data, pyramid, &followups))
}
