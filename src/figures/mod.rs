//! Every figure at one date: the service the command line and the dashboard
//! both call to compute the per-customer figures (stage, RFM, churn) in one go,
//! and to propose and write the follow-ups the rules call for.
//! May import: `analytics`, `store`, `domain`, `config`; called by the faces.

use chrono::NaiveDate;

use crate::analytics::churn::{ChurnFigures, ChurnReport, FitError, Model, churn_report};
use crate::analytics::rules::{RulesConfig, Standing, propose};
use crate::analytics::{CustomerSummary, PyramidConfig, summarize};
use crate::domain::CustomerFacts;
use crate::store::followup_rules::ApplyStats;
use crate::store::{Store, StoreError};

/// Every per-customer figure at one as-of date, in the order of the facts.
#[derive(Debug, Clone)]
pub struct Figures {
    pub as_of: NaiveDate,
    pub summaries: Vec<CustomerSummary>,
    /// The fitted churn model, or why it was not fitted.
    pub churn: Result<ChurnReport, FitError>,
    /// The churn model's figures per customer, in the order of the facts;
    /// `None` for a customer without a purchase day or when the model is not fitted.
    pub churn_figures: Vec<Option<ChurnFigures>>,
    /// P(alive) per customer, as in `churn_figures` (the rules' input).
    pub p_alive: Vec<Option<f64>>,
}

impl Figures {
    pub fn compute(
        facts: &[CustomerFacts],
        as_of: NaiveDate,
        pyramid: &PyramidConfig,
        model: Model,
    ) -> Figures {
        // The churn model's fit and the summaries are independent: on two
        // cores they take the time of the longer.
        let (summaries, churn) = std::thread::scope(|scope| {
            let churn = scope.spawn(|| churn_report(facts, as_of, model));
            let summaries = summarize(facts, as_of, pyramid);
            // A panic of the fit is the caller's, as it would be in one thread.
            let churn = churn
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (summaries, churn)
        });
        let churn_figures = match &churn {
            Ok(report) => report.per_customer(facts.len()),
            Err(_) => vec![None; facts.len()],
        };
        let p_alive = churn_figures.iter().map(|c| c.map(|c| c.p_alive)).collect();
        Figures {
            as_of,
            summaries,
            churn,
            churn_figures,
            p_alive,
        }
    }

    /// What the follow-up rules know of each customer besides the facts.
    pub fn standings(&self) -> Vec<Standing> {
        self.summaries
            .iter()
            .zip(&self.p_alive)
            .map(|(summary, p_alive)| Standing {
                stage: summary.stage,
                segment: summary.segment,
                p_alive: *p_alive,
            })
            .collect()
    }
}

/// The follow-ups the rules call for at the figures' date.
pub fn proposals(
    facts: &[CustomerFacts],
    figures: &Figures,
    rules: &RulesConfig,
) -> Vec<crate::analytics::rules::ProposedFollowUp> {
    propose(facts, &figures.standings(), figures.as_of, rules)
}

/// Writes the follow-ups the rules call for at `today` in one transaction.
/// Idempotent: running it twice adds nothing the second time.
pub fn regenerate_followups(
    store: &mut Store,
    facts: &[CustomerFacts],
    figures: &Figures,
    rules: &RulesConfig,
) -> Result<ApplyStats, StoreError> {
    store.apply_generated_followups(&proposals(facts, figures, rules))
}
