//! `kanta report ...`: figures over the store at an as-of date.

use super::args::{ReportArgs, ReportKind};
use super::{CliError, Context, write_output};
use crate::analytics::churn::churn_report;
use crate::report::{self, render};

pub fn run(context: &Context, args: &ReportArgs) -> Result<(), CliError> {
    let as_of = args.as_of.unwrap_or(context.today);
    if args.source.is_some() && args.kind != ReportKind::Repeat {
        return Err(CliError::BadInput(
            "--source applies to `kanta report repeat` only".into(),
        ));
    }
    let rows = match args.kind {
        ReportKind::Followups => return Err(CliError::not_available("the follow-ups report")),
        ReportKind::Weekly => return Err(CliError::not_available("the weekly report")),
        kind => {
            let store = context.open_store()?;
            let facts = store.load_facts()?;
            match kind {
                ReportKind::Rfm => report::rfm_report(&facts, as_of),
                ReportKind::Cohorts => report::cohorts_report(&facts, as_of),
                ReportKind::Repeat => report::repeat_report(&facts, as_of, args.source),
                ReportKind::Churn => {
                    let churn = churn_report(&facts, as_of).map_err(|e| {
                        CliError::Failed(format!("the churn model is not fitted: {e}"))
                    })?;
                    report::churn_rows(&facts, &churn)
                }
                _ => report::pyramid_report(&facts, as_of, &context.config.pyramid),
            }
        }
    };
    let text = render(&rows, args.format, &context.config.currency);
    write_output(None, &text)
}
