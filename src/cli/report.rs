//! `kanta report ...`: figures over the store at an as-of date.

use chrono::NaiveDate;

use super::args::{ReportArgs, ReportKind};
use super::{CliError, Context, write_output};
use crate::analytics::churn::churn_report;
use crate::analytics::weekly::weekly_review;
use crate::domain::{CustomerFacts, FollowUpStatus, FollowUpWhen};
use crate::engine::{self, Figures};
use crate::report::{self, Cell, Format, Report, WeeklyContext, render};
use crate::store::Store;

pub fn run(context: &Context, args: &ReportArgs) -> Result<(), CliError> {
    let as_of = args.as_of.unwrap_or(context.today);
    if args.source.is_some() && args.kind != ReportKind::Repeat {
        return Err(CliError::BadInput(
            "--source applies to `kanta report repeat` only".into(),
        ));
    }
    let mut store = context.open_store()?;
    let facts = store.load_facts()?;
    let rows = match args.kind {
        ReportKind::Rfm => report::rfm_report(&facts, as_of),
        ReportKind::Cohorts => report::cohorts_report(&facts, as_of),
        ReportKind::Repeat => report::repeat_report(&facts, as_of, args.source.unwrap_or_default()),
        ReportKind::Pyramid => report::pyramid_report(&facts, as_of, &context.config.pyramid),
        ReportKind::Churn => {
            let churn = churn_report(&facts, as_of)
                .map_err(|e| CliError::Failed(format!("the churn model is not fitted: {e}")))?;
            report::churn_rows(&facts, &churn)
        }
        ReportKind::Followups => followups(context, &mut store, &facts, as_of)?,
        ReportKind::Weekly => return weekly(context, &store, &facts, as_of, args.format),
    };
    let text = render(&rows, args.format, &context.config.currency);
    write_output(None, &text)
}

/// Open follow-ups, by due date. At today's date the rules first write what they
/// call for, as the dashboard would.
fn followups(
    context: &Context,
    store: &mut Store,
    facts: &[CustomerFacts],
    as_of: NaiveDate,
) -> Result<Report, CliError> {
    if as_of == context.today {
        let figures = Figures::compute(facts, as_of, &context.config.pyramid);
        engine::regenerate_followups(store, facts, &figures, &context.config.rules)?;
    }
    let names = store.customer_names()?;
    let rows = store
        .followup_listing()?
        .into_iter()
        .filter(|(f, _)| f.status == FollowUpStatus::Open)
        .map(|(f, _)| {
            let status = match FollowUpWhen::of(f.due, as_of) {
                FollowUpWhen::Overdue => "overdue",
                FollowUpWhen::Today => "today",
                FollowUpWhen::Upcoming => "upcoming",
            };
            let (reference, name) = names.get(&f.customer_id).cloned().unwrap_or_default();
            vec![
                Cell::Text(f.due.to_string()),
                Cell::Text(status.to_string()),
                Cell::Text(f.rule.unwrap_or_else(|| "manual".to_string())),
                Cell::Text(reference),
                Cell::Text(name),
                Cell::Text(f.reason),
            ]
        })
        .collect();
    Ok(Report {
        columns: vec!["due", "status", "rule", "ref", "name", "reason"],
        rows,
        params: vec![],
        notes: vec![],
    })
}

fn weekly(
    context: &Context,
    store: &Store,
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    format: Format,
) -> Result<(), CliError> {
    let followups = store.followup_listing()?;
    let churn = churn_report(facts, as_of).ok();
    let p_alive = churn.map(|churn| {
        let mut p_alive = vec![None; facts.len()];
        for row in &churn.rows {
            if let Some(slot) = p_alive.get_mut(row.index) {
                *slot = Some(row.p_alive);
            }
        }
        p_alive
    });
    let review = weekly_review(
        facts,
        as_of,
        &context.config.pyramid,
        &followups,
        p_alive.as_deref(),
    );
    let plain: Vec<_> = followups.into_iter().map(|(f, _)| f).collect();
    let names = store
        .customer_names()?
        .into_iter()
        .map(|(id, (_, name))| (id, name))
        .collect();
    let weekly_context = WeeklyContext {
        facts,
        followups: &plain,
        currency: &context.config.currency,
        names: &names,
    };
    let text = match format {
        Format::Json => report::weekly_json(&review, &weekly_context),
        Format::Markdown | Format::Table => report::weekly_markdown(&review, &weekly_context),
        Format::Csv => {
            return Err(CliError::BadInput(
                "the weekly report is written as markdown or json, not csv (--format)".into(),
            ));
        }
    };
    write_output(None, &text)
}
