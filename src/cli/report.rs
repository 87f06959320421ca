//! `kanta report ...`: figures over the store at an as-of date.

use chrono::NaiveDate;

use super::args::{ReportArgs, ReportKind};
use super::{CliError, Context, write_output};
use crate::analytics::churn::{Model, churn_report};
use crate::analytics::rules::is_expired;
use crate::analytics::weekly::weekly_review;
use crate::domain::{CustomerFacts, FollowUp, FollowUpStatus, FollowUpWhen};
use crate::figures::{self, Figures};
use crate::i18n::Lang;
use crate::i18n::followups::reason;
use crate::report::{self, Cell, Format, Report, WeeklyContext, render};
use crate::store::Store;
use crate::store::followup_rules::preview;

pub(crate) fn run(context: &Context, args: &ReportArgs) -> Result<(), CliError> {
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
    if args.all && args.kind != ReportKind::Followups {
        return Err(CliError::BadInput(
            "--all applies to `kanta report followups` only".into(),
        ));
    }
    let model = args.model.unwrap_or(context.config.churn.model);
    let store = context.open_store()?;
    if args.kind == ReportKind::Rfm {
        // R, F and M need each customer's history alone, which the store
        // keeps summarised: no scan of the orders, unless the summaries
        // cannot serve this date exactly.
        if let Some(customers) = store.stored_histories(as_of)? {
            let rows = report::rfm_report_stored(&customers, as_of);
            let text = render(&rows, args.format.into(), &context.config.currency);
            return write_output(None, &text);
        }
    }
    // The orders are scanned by a second connection while this one reads
    // the customers and contacts: a report is mostly that scan.
    let facts = store.load_facts_in_parallel()?;
    let rows = match args.kind {
        ReportKind::Rfm => report::rfm_report(&facts, &names(&store)?, as_of),
        ReportKind::Cohorts => report::cohorts_report(&facts, as_of),
        ReportKind::Repeat => report::repeat_report(&facts, as_of, args.source.unwrap_or_default()),
        ReportKind::Pyramid => report::pyramid_report(&facts, as_of, &context.config.pyramid),
        ReportKind::Churn => {
            return churn(context, &store, &facts, as_of, model, args.format.into());
        }
        ReportKind::Followups => followups(context, &store, &facts, as_of, args.all)?,
        ReportKind::Weekly => {
            return weekly(context, &store, &facts, as_of, model, args.format.into());
        }
    };
    let text = render(&rows, args.format.into(), &context.config.currency);
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
        Err(error) => {
            let rows = report::churn_not_fitted(model, &error);
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

/// Open follow-ups by due date, with those the rules would write at `as_of`
/// (SPEC section 7: a report only reads; the store is left as it was). The
/// expired ones, and the done ones, only with `--all`.
fn followups(
    context: &Context,
    store: &Store,
    facts: &[CustomerFacts],
    as_of: NaiveDate,
    all: bool,
) -> Result<Report, CliError> {
    let figures = Figures::compute(
        facts,
        as_of,
        &context.config.pyramid,
        context.config.churn.model,
    );
    let proposals = figures::proposals(facts, &figures, &context.config.rules);
    let stored: Vec<FollowUp> = store
        .followup_listing()?
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    let expire_after = context.config.rules.expire_after_days;
    let names = store.customer_names()?;
    let rows = preview(&stored, &proposals, chrono::Utc::now())
        .into_iter()
        .filter_map(|f| {
            let status = if f.status == FollowUpStatus::Done {
                "done"
            } else if is_expired(&f, as_of, expire_after) {
                "expired"
            } else {
                match FollowUpWhen::of(f.due, as_of) {
                    FollowUpWhen::Overdue => "overdue",
                    FollowUpWhen::Today => "today",
                    FollowUpWhen::Upcoming => "upcoming",
                }
            };
            if !all && matches!(status, "done" | "expired") {
                return None;
            }
            let (reference, name) = names.get(&f.customer_id).cloned().unwrap_or_default();
            Some(vec![
                Cell::Text(f.due.to_string()),
                Cell::Text(status.to_string()),
                Cell::Text(f.rule.clone().unwrap_or_else(|| "manual".to_string())),
                Cell::Text(reference),
                Cell::Text(name),
                Cell::Text(reason(Lang::En, f.figures.as_ref(), &f.reason, as_of)),
            ])
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
    // The expired are not overdue work any more; reasons in today's words.
    let expire_after = context.config.rules.expire_after_days;
    let followups: Vec<(FollowUp, Option<NaiveDate>)> = store
        .followup_listing()?
        .into_iter()
        .filter(|(f, _)| !is_expired(f, as_of, expire_after))
        .map(|(mut f, done)| {
            f.reason = reason(Lang::En, f.figures.as_ref(), &f.reason, as_of);
            (f, done)
        })
        .collect();
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// The bytes of the store and of its journal files.
    fn bytes(path: &std::path::Path) -> Vec<Vec<u8>> {
        ["", "-wal", "-shm"]
            .iter()
            .map(|suffix| {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                std::fs::read(std::path::PathBuf::from(name)).unwrap_or_default()
            })
            .collect()
    }

    #[test]
    fn the_followups_report_shows_what_the_rules_would_write_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kanta.db");
        let today = day("2026-11-30");
        {
            let mut store = Store::open_or_create(&path).unwrap();
            let id = store.add_buyer("Aino Virtanen", day("2026-11-20"), 2_500);
            // An old follow-up of a rule, long overdue: expired.
            store
                .connection()
                .execute(
                    "INSERT INTO followups (customer_id, due, rule, anchor, reason)
                     VALUES (?1, '2026-09-01', 'check-in', '2026-06-01', 'old')",
                    [id],
                )
                .unwrap();
        }
        let watcher = Store::open(&path).unwrap();
        let version = watcher.data_version().unwrap();
        let before = bytes(&path);
        let context = Context {
            store_path: path.clone(),
            config: Config::default(),
            today,
        };
        let store = Store::open(&path).unwrap();
        let facts = store.load_facts().unwrap();
        let report = followups(&context, &store, &facts, today, false).unwrap();
        let all = followups(&context, &store, &facts, today, true).unwrap();
        drop(store);
        assert_eq!(
            watcher.data_version().unwrap(),
            version,
            "nothing committed"
        );
        assert_eq!(bytes(&path), before, "the store's bytes are as they were");
        let text = |r: &Report| {
            r.rows
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|c| match c {
                            Cell::Text(t) => t.clone(),
                            other => format!("{other:?}"),
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            text(&report),
            vec![
                "2026-11-23|overdue|thank-you|K000001|Aino Virtanen|first purchase on 2026-11-20, not thanked yet"
            ]
        );
        assert_eq!(
            text(&all),
            vec![
                "2026-09-01|expired|check-in|K000001|Aino Virtanen|old",
                "2026-11-23|overdue|thank-you|K000001|Aino Virtanen|first purchase on 2026-11-20, not thanked yet"
            ]
        );
    }

    /// `report rfm` from the summaries says exactly what the rescan of every
    /// order says: at the demo's last day, at dates that cut some customers'
    /// orders off (their orders are read), and before anyone bought.
    #[test]
    fn the_rfm_report_from_the_summaries_equals_the_one_from_the_orders() {
        let mut store = Store::open_in_memory().unwrap();
        let today = day("2026-11-30");
        let options = crate::demo::DemoOptions {
            customers: 400,
            seed: 7,
            today,
        };
        crate::demo::generate(&mut store, &options, &mut |_, _| {}).unwrap();
        // A refund and a free order by a script, so those days are in too.
        store
            .connection()
            .execute_batch(
                "INSERT INTO orders (customer_id, order_date, amount_cents)
                 SELECT customer_id, max(order_date), -250 FROM orders WHERE customer_id % 7 = 0
                 GROUP BY customer_id;
                 INSERT INTO orders (customer_id, order_date, amount_cents)
                 SELECT customer_id, min(order_date), 0 FROM orders WHERE customer_id % 5 = 0
                 GROUP BY customer_id;",
            )
            .unwrap();
        let facts = store.load_facts().unwrap();
        let names = names(&store).unwrap();
        let currency = Config::default().currency;
        let mut cut_off = 0;
        for as_of in ["2026-11-30", "2026-10-15", "2025-06-01", "2000-01-01"] {
            let as_of = day(as_of);
            let customers = store.stored_histories(as_of).unwrap().unwrap();
            cut_off += customers
                .iter()
                .filter(|c| matches!(c.history, crate::domain::Stored::Days(..)))
                .count();
            let stored = render(
                &report::rfm_report_stored(&customers, as_of),
                Format::Csv,
                &currency,
            );
            let rescanned = render(
                &report::rfm_report(&facts, &names, as_of),
                Format::Csv,
                &currency,
            );
            assert_eq!(stored, rescanned, "at {as_of}");
        }
        assert!(cut_off > 0, "no date cut any customer's orders off");
    }
}
