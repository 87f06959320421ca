//! `kanta report ...`: figures over the store at an as-of date.

use chrono::NaiveDate;

use super::args::{ReportArgs, ReportKind};
use super::{CliError, Context, write_output};
use crate::analytics::churn::{Model, churn_report};
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
    if args.model.is_some() && !matches!(args.kind, ReportKind::Churn | ReportKind::Weekly) {
        return Err(CliError::BadInput(
            "--model applies to `kanta report churn` and `kanta report weekly` only".into(),
        ));
    }
    let model = args.model.unwrap_or(context.config.churn.model);
    let mut store = context.open_store()?;
    let facts = store.load_facts()?;
    let rows = match args.kind {
        ReportKind::Rfm => report::rfm_report(&facts, &names(&store)?, as_of),
        ReportKind::Cohorts => report::cohorts_report(&facts, as_of),
        ReportKind::Repeat => report::repeat_report(&facts, as_of, args.source.unwrap_or_default()),
        ReportKind::Pyramid => report::pyramid_report(&facts, as_of, &context.config.pyramid),
        ReportKind::Churn => return churn(context, &store, &facts, as_of, model, args.format),
        ReportKind::Followups => followups(context, &mut store, &facts, as_of)?,
        ReportKind::Weekly => return weekly(context, &store, &facts, as_of, model, args.format),
    };
    let text = render(&rows, args.format, &context.config.currency);
    write_output(None, &text)
}

/// Customers' names by id.
fn names(store: &Store) -> Result<report::Names, CliError> {
    Ok(store
        .customer_names()?
        .into_iter()
        .map(|(id, (_, name))| (id, name))
        .collect())
}

/// The churn report. A model that is not fitted (too little history, no
/// finite best fit) is an honest answer, not an error: exit code 0 with the
/// sentence, on stdout in the human formats, on stderr beside an empty CSV, and
/// in the JSON. The warnings of the machine formats go to stderr too.
fn churn(
    context: &Context,
    store: &Store,
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    model: Model,
    format: Format,
) -> Result<(), CliError> {
    let rows = match churn_report(facts, as_of, model) {
        Ok(churn) => report::churn_rows(facts, &names(store)?, &churn),
        Err(reason) => {
            let rows = report::churn_not_fitted(model, &reason);
            if matches!(format, Format::Table | Format::Markdown) {
                return write_output(None, &format!("{}\n", rows.notes.join("\n")));
            }
            rows
        }
    };
    if matches!(format, Format::Csv | Format::Json) {
        for note in &rows.notes {
            eprintln!("kanta: {}", crate::domain::terminal::terminal_safe(note));
        }
    }
    write_output(None, &render(&rows, format, &context.config.currency))
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
        let figures = Figures::compute(
            facts,
            as_of,
            &context.config.pyramid,
            context.config.churn.model,
        );
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
        json_header: vec![],
        notes: vec![],
    })
}

fn weekly(
    context: &Context,
    store: &Store,
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    model: Model,
    format: Format,
) -> Result<(), CliError> {
    let followups = store.followup_listing()?;
    let churn = churn_report(facts, as_of, model);
    let per_customer = churn.as_ref().ok().map(|c| c.per_customer(facts.len()));
    let review = weekly_review(
        facts,
        as_of,
        &context.config.pyramid,
        &followups,
        per_customer.as_deref(),
    );
    let plain: Vec<_> = followups.into_iter().map(|(f, _)| f).collect();
    let names = names(store)?;
    let weekly_context = WeeklyContext {
        facts,
        followups: &plain,
        currency: &context.config.currency,
        names: &names,
        churn_unfitted: churn.as_ref().err().map(|e| e.to_string()),
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
