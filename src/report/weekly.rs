//! The weekly review as Markdown (SPEC section 1: "the same review as a Markdown
//! file") or JSON, customers named by ref.

use std::collections::HashMap;

use serde_json::json;

use super::render::{format_money, format_rate};
use crate::analytics::weekly::{SECTIONS, WeeklyReview, WeeklySection};
use crate::domain::terminal::{json_terminal_safe, terminal_safe};
use crate::domain::{CustomerFacts, CustomerId, FollowUp};

/// What the review names besides the facts: follow-ups by id, and customers'
/// names by id (a customer missing there is named by ref alone).
pub struct WeeklyContext<'a> {
    pub facts: &'a [CustomerFacts],
    pub followups: &'a [FollowUp],
    pub currency: &'a str,
    pub names: &'a HashMap<CustomerId, String>,
    /// Why the churn model is not fitted, when it is not.
    pub churn_unfitted: Option<String>,
}

impl WeeklyContext<'_> {
    fn reference(&self, index: usize) -> String {
        self.facts
            .get(index)
            .map(|f| f.reference.clone())
            .unwrap_or_default()
    }

    /// "Name (ref)" for a person reading the review.
    fn who(&self, index: usize) -> String {
        let reference = self.reference(index);
        match self
            .facts
            .get(index)
            .and_then(|f| self.names.get(&f.id))
            .filter(|name| !name.is_empty() && **name != reference)
        {
            Some(name) => format!("{name} ({reference})"),
            None => reference,
        }
    }

    fn name(&self, index: usize) -> Option<&str> {
        self.facts
            .get(index)
            .and_then(|f| self.names.get(&f.id))
            .map(String::as_str)
    }

    fn followup_lines(&self, ids: &[i64]) -> Vec<String> {
        let refs: HashMap<CustomerId, usize> = self
            .facts
            .iter()
            .enumerate()
            .map(|(index, f)| (f.id, index))
            .collect();
        let by_id: HashMap<i64, &FollowUp> = self.followups.iter().map(|f| (f.id, f)).collect();
        ids.iter()
            .filter_map(|id| by_id.get(id))
            .map(|f| {
                let who = refs
                    .get(&f.customer_id)
                    .map_or_else(|| "?".to_string(), |&index| self.who(index));
                format!(
                    "- {}: {} (due {})",
                    one_line(&who),
                    one_line(&f.reason),
                    f.due
                )
            })
            .collect()
    }
}

/// Markdown cells and list items stay on one line and inert.
fn one_line(text: &str) -> String {
    terminal_safe(text).replace('|', "\\|")
}

pub fn weekly_markdown(review: &WeeklyReview, context: &WeeklyContext<'_>) -> String {
    let mut out = format!(
        "# Weekly review {} to {}\n",
        review.week_start, review.as_of
    );
    // The same sections in the same order as the dashboard's review.
    for section in SECTIONS {
        out.push('\n');
        out.push_str(&markdown_section(section, review, context));
    }
    out
}

fn markdown_section(
    section: WeeklySection,
    review: &WeeklyReview,
    context: &WeeklyContext<'_>,
) -> String {
    let money = |cents: i64| format!("{} {}", format_money(cents), context.currency);
    let mut out = String::new();
    match section {
        WeeklySection::Headline => {
            out.push_str(&format!(
                "## This week\n\nThis week {}; the average of the 12 weeks before {}.\n\n",
                money(review.revenue_week_cents),
                money(review.revenue_average_cents)
            ));
            let changes = review.pyramid_changes();
            if changes.is_empty() {
                out.push_str("Pyramid: no stage changed.\n");
            } else {
                let told: Vec<String> = changes
                    .iter()
                    .map(|(stage, now, change)| format!("{} {now} ({change:+})", stage.code()))
                    .collect();
                out.push_str(&format!("Pyramid: {}.\n", told.join(", ")));
            }
        }
        WeeklySection::NewCustomers => {
            out.push_str(&format!(
                "## New customers ({})\n\n",
                review.new_customers.len()
            ));
            if review.new_customers.is_empty() {
                out.push_str("None.\n");
            }
            for &index in &review.new_customers {
                out.push_str(&format!("- {}\n", one_line(&context.who(index))));
            }
        }
        WeeklySection::StageMoves => {
            out.push_str(&format!(
                "## Stage moves ({})\n\n",
                review.stage_moves.len()
            ));
            if review.stage_moves.is_empty() {
                out.push_str("None.\n");
            } else {
                out.push_str("| customer | from | to |\n|---|---|---|\n");
                for m in &review.stage_moves {
                    out.push_str(&format!(
                        "| {} | {} | {} |\n",
                        one_line(&context.who(m.index)),
                        m.from.code(),
                        m.to.code()
                    ));
                }
            }
        }
        WeeklySection::FollowUpsDone | WeeklySection::FollowUpsOverdue => {
            let (title, ids) = if section == WeeklySection::FollowUpsDone {
                ("Follow-ups done", &review.followups_done)
            } else {
                ("Overdue follow-ups", &review.followups_overdue)
            };
            out.push_str(&format!("## {title} ({})\n\n", ids.len()));
            if ids.is_empty() {
                out.push_str("None.\n");
            }
            for line in context.followup_lines(ids) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        WeeklySection::AtRisk => {
            out.push_str("## Valuable customers at risk\n\n");
            match &review.at_risk {
                None => out.push_str(&format!(
                    "The churn model is not fitted: {}.\n",
                    context
                        .churn_unfitted
                        .as_deref()
                        .unwrap_or("too few repeat customers")
                )),
                Some(list) if list.is_empty() => out.push_str("None.\n"),
                Some(list) => {
                    out.push_str(&format!(
                        "Still active in the last year, among the most valuable fifth, and \
                         P(alive) below 0.5. Expected: purchase days and revenue in the next \
                         12 months.\n\n\
                         | customer | monetary ({0}) | P(alive) | expected purchase days | expected revenue ({0}) |\n\
                         |---|---:|---:|---:|---:|\n",
                        context.currency
                    ));
                    for c in list {
                        let revenue = c
                            .expected_revenue_365d
                            .filter(|r| r.is_finite())
                            .map(|r| format_money((r * 100.0).round() as i64))
                            .unwrap_or_default();
                        out.push_str(&format!(
                            "| {} | {} | {} | {} | {} |\n",
                            one_line(&context.who(c.index)),
                            format_money(c.monetary_cents),
                            format_rate(c.p_alive),
                            format_rate(c.expected_365d),
                            revenue
                        ));
                    }
                }
            }
        }
        WeeklySection::LastMonth => {
            let cohort = &review.last_month_cohort;
            out.push_str(&format!(
                "## Last month's new customers\n\n{:04}-{:02}: {} new, {} bought again",
                cohort.year, cohort.month, cohort.size, cohort.repeated
            ));
            match cohort.rate() {
                Some(rate) => out.push_str(&format!(" (repeat rate {}).\n", format_rate(rate))),
                None => out.push_str(".\n"),
            }
        }
    }
    out
}

pub fn weekly_json(review: &WeeklyReview, context: &WeeklyContext<'_>) -> String {
    let refs = |indexes: &[usize]| -> Vec<String> {
        indexes.iter().map(|&i| context.reference(i)).collect()
    };
    let value = json!({
        "as_of": review.as_of.to_string(),
        "week_start": review.week_start.to_string(),
        "revenue_week_cents": review.revenue_week_cents,
        "revenue_average_cents": review.revenue_average_cents,
        "new_customers": refs(&review.new_customers),
        "new_customer_names": review.new_customers.iter().map(|&i| context.name(i)).collect::<Vec<_>>(),
        "stage_moves": review.stage_moves.iter().map(|m| json!({
            "ref": context.reference(m.index),
            "from": m.from.code(),
            "to": m.to.code(),
        })).collect::<Vec<_>>(),
        "followups_done": review.followups_done,
        "followups_overdue": review.followups_overdue,
        "at_risk": review.at_risk.as_ref().map(|list| list.iter().map(|c| json!({
            "ref": context.reference(c.index),
            "monetary_cents": c.monetary_cents,
            "p_alive": c.p_alive,
            "expected_365d": c.expected_365d,
            "expected_revenue_365d": c.expected_revenue_365d,
        })).collect::<Vec<_>>()),
        "last_month_cohort": {
            "cohort": format!("{:04}-{:02}", review.last_month_cohort.year, review.last_month_cohort.month),
            "size": review.last_month_cohort.size,
            "repeated": review.last_month_cohort.repeated,
            "rate": review.last_month_cohort.rate(),
        },
    });
    let text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".to_string());
    format!("{}\n", json_terminal_safe(&text))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::analytics::weekly::{AtRiskCustomer, LastMonthCohort, StageMove};
    use crate::domain::Stage;

    fn review() -> WeeklyReview {
        let d = |day| NaiveDate::from_ymd_opt(2026, 3, day).unwrap();
        WeeklyReview {
            as_of: d(31),
            week_start: d(25),
            new_customers: vec![1],
            stage_moves: vec![StageMove {
                index: 0,
                from: Stage::KeyCustomer,
                to: Stage::Regular,
            }],
            followups_done: vec![],
            followups_overdue: vec![],
            at_risk: Some(vec![AtRiskCustomer {
                index: 0,
                monetary_cents: 17_500,
                p_alive: 0.25,
                expected_365d: 0.5,
                expected_revenue_365d: Some(31.25),
            }]),
            last_month_cohort: LastMonthCohort {
                year: 2026,
                month: 2,
                size: 4,
                repeated: 1,
            },
            revenue_week_cents: 22_500,
            revenue_average_cents: 1_000,
            pyramid_now: [0, 0, 0, 1, 0, 0, 0],
            pyramid_week_ago: [0, 0, 0, 0, 1, 0, 0],
        }
    }

    fn facts() -> Vec<CustomerFacts> {
        ["A", "B|x"]
            .iter()
            .enumerate()
            .map(|(i, r)| CustomerFacts {
                id: i as i64 + 1,
                reference: r.to_string(),
                ..Default::default()
            })
            .collect()
    }

    #[test]
    fn markdown_names_customers_by_name_and_ref() {
        let facts = facts();
        // A has a name; B is named by its ref alone.
        let names = HashMap::from([(1, "Aino Virtanen".to_string())]);
        let context = WeeklyContext {
            facts: &facts,
            followups: &[],
            currency: "EUR",
            names: &names,
            churn_unfitted: None,
        };
        assert_eq!(
            weekly_markdown(&review(), &context),
            "# Weekly review 2026-03-25 to 2026-03-31\n\n## This week\n\n\
             This week 225.00 EUR; the average of the 12 weeks before 10.00 EUR.\n\n\
             Pyramid: key customer 0 (-1), regular 1 (+1).\n\n\
             ## New customers (1)\n\n- B\\|x\n\n\
             ## Stage moves (1)\n\n| customer | from | to |\n|---|---|---|\n| Aino Virtanen (A) | key customer | regular |\n\n\
             ## Follow-ups done (0)\n\nNone.\n\n\
             ## Overdue follow-ups (0)\n\nNone.\n\n\
             ## Valuable customers at risk\n\n\
             Still active in the last year, among the most valuable fifth, and P(alive) below 0.5. \
             Expected: purchase days and revenue in the next 12 months.\n\n\
             | customer | monetary (EUR) | P(alive) | expected purchase days | expected revenue (EUR) |\n\
             |---|---:|---:|---:|---:|\n\
             | Aino Virtanen (A) | 175.00 | 0.25 | 0.5 | 31.25 |\n\n\
             ## Last month's new customers\n\n2026-02: 4 new, 1 bought again (repeat rate 0.25).\n"
        );
    }

    #[test]
    fn json_carries_refs_and_cents() {
        let facts = facts();
        let context = WeeklyContext {
            facts: &facts,
            followups: &[],
            currency: "EUR",
            names: &HashMap::new(),
            churn_unfitted: None,
        };
        let value: serde_json::Value =
            serde_json::from_str(&weekly_json(&review(), &context)).unwrap();
        assert_eq!(value["new_customers"][0], "B|x");
        assert_eq!(value["at_risk"][0]["monetary_cents"], 17_500);
        assert_eq!(value["last_month_cohort"]["cohort"], "2026-02");
    }
}
