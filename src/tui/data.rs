//! Everything the panes show, computed once per data load and kept in state:
//! drawing never queries or computes figures.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};

use crate::analytics::churn::FitError;
use crate::analytics::history::PurchaseHistory;
use crate::analytics::{
    self, CohortTable, PyramidConfig, PyramidCounts, RepeatRow, SourceFilter, WeekStages,
};
use crate::config::Config;
use crate::domain::{
    Customer, CustomerFacts, CustomerId, FollowUp, FollowUpWhen, Interaction, Listing, Order,
    RuleFigures, Segment,
};
use crate::figures::Figures;
use crate::store::{Store, StoreError};

use super::panes::list::{Ranked, SortKey};
use super::panes::weekly::model::WeeklyPage;
use super::search::SearchIndex;
use super::text::{clean, money};
use crate::i18n::Lang;

pub use super::rows::{CustomerRow, RowText};

/// The most customers another program's write may change for a window to
/// show them at once ([`DashboardData::show_changed`]): each costs a pass
/// over every column's order. More wait for the load.
pub const SHOWN_AT_ONCE: usize = 64;

/// One cell of the RF matrix.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RfmCell {
    /// The segment the RF map gives this cell.
    pub segment: Option<Segment>,
    pub revenue_cents: i64,
    /// Indices into `DashboardData::customers`.
    pub members: Vec<usize>,
}

/// An open follow-up with its customer's name, sanitized.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpRow {
    pub id: i64,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub due: NaiveDate,
    /// The rule's code (`check-in`), `None` when written by hand.
    pub rule: Option<String>,
    /// What made a rule's follow-up: its reason is worded from these when drawn.
    pub figures: Option<RuleFigures>,
    /// The reason as written by hand.
    pub reason: String,
    pub note: String,
    pub when: FollowUpWhen,
    /// Who last acted on it, else who wrote it (`None` for a rule's untouched).
    pub by: Option<String>,
}

/// The cohort triangle and repeat rates for one acquisition-source filter.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortView {
    pub source: SourceFilter,
    pub table: CohortTable,
    pub repeat: Vec<RepeatRow>,
}

#[derive(Debug, Clone)]
pub struct DashboardData {
    pub as_of: NaiveDate,
    pub currency: String,
    /// The config's country of phone numbers typed without a country code.
    pub default_country: String,
    /// Ordered by id.
    pub customers: Vec<CustomerRow>,
    pub index_of: HashMap<CustomerId, usize>,
    pub pyramid: PyramidCounts,
    /// Every customer's stage at D and D - 7, in the order of `facts`, as
    /// the pyramid counted them (the weekly review's stage moves).
    pub stages: WeekStages,
    /// Indices into `customers`, per `Stage::index()`.
    pub stage_members: [Vec<usize>; 7],
    /// `rfm_grid[r - 1][f - 1]`.
    pub rfm_grid: [[RfmCell; 5]; 5],
    /// `f_ranges[f - 1]`: the least and the most purchase days of the customers
    /// scored F = f; `None` for a score nobody has.
    pub f_ranges: [Option<(u32, u32)>; 5],
    /// One per `SourceFilter::ALL`: everyone, each source, no source.
    pub cohorts: Vec<CohortView>,
    /// Open follow-ups that are not expired, by due date.
    pub followups: Vec<FollowUpRow>,
    /// `rules.expire_after_days`: a rule's follow-up more overdue than this
    /// is left out of `followups` (it stays on the customer's card).
    pub expire_after_days: u32,
    /// Kept for cohort drill-down; same order as `customers`.
    pub facts: Arc<Vec<CustomerFacts>>,
    /// What the load leaves for the next one, when it read the whole store.
    pub kept: Option<Kept>,
    pub search: SearchIndex,
    /// Per column of the customer list, each row's rank in that column's
    /// ascending order and the order itself (`list::ranked`): computed once
    /// per load, so a sort, or a list kept sorted through a reload, is one
    /// pass over the order or over the ranks.
    pub customer_ranks: Vec<Ranked>,
    /// Why the churn model is not fitted (too few repeat customers...), if so.
    pub churn_unfitted: Option<String>,
    /// The same, for saying it in the UI language.
    pub churn_error: Option<FitError>,
    /// The spend model is fitted but spend and frequency are correlated, so
    /// its expected revenue is doubtful (SPEC section 4).
    pub spend_doubtful: bool,
    /// The weekly review at `as_of`, built by `load`.
    pub weekly: WeeklyPage,
    /// Only the pyramid is here yet; the rest is still loading.
    pub pending: bool,
}

impl DashboardData {
    /// An empty store's data.
    pub fn empty(as_of: NaiveDate, currency: &str) -> DashboardData {
        DashboardData {
            as_of,
            currency: currency.to_string(),
            default_country: Config::default().default_country,
            customers: Vec::new(),
            index_of: HashMap::new(),
            pyramid: PyramidCounts {
                now: [0; 7],
                week_ago: [0; 7],
            },
            stages: WeekStages::default(),
            stage_members: Default::default(),
            rfm_grid: Default::default(),
            f_ranges: [None; 5],
            cohorts: Vec::new(),
            followups: Vec::new(),
            expire_after_days: crate::analytics::rules::RulesConfig::default().expire_after_days,
            facts: Arc::new(Vec::new()),
            kept: None,
            search: SearchIndex::default(),
            customer_ranks: Vec::new(),
            churn_unfitted: None,
            churn_error: None,
            spend_doubtful: false,
            weekly: WeeklyPage::default(),
            pending: false,
        }
    }

    /// Computes every figure from the store's facts. `facts` and `customers` are
    /// matched by id, so a customer missing from one side is still listed.
    pub fn build(
        facts: Vec<CustomerFacts>,
        listings: &[Listing],
        followups: &[FollowUp],
        as_of: NaiveDate,
        config: &Config,
    ) -> DashboardData {
        let figures = Figures::compute(&facts, as_of, &config.pyramid, config.churn.model);
        DashboardData::build_with(facts, figures, listings, followups, config)
    }

    /// As [`DashboardData::build`], with the figures already computed.
    pub fn build_with(
        facts: Vec<CustomerFacts>,
        figures: Figures,
        listings: &[Listing],
        followups: &[FollowUp],
        config: &Config,
    ) -> DashboardData {
        let views = FactViews::of(&facts, figures.as_of, &config.pyramid);
        let texts = row_texts(&facts, listings);
        let search = search_of(&facts, listings, &texts, &config.default_country);
        let mut data =
            DashboardData::assemble(facts, figures, views, texts, search, followups, config);
        data.rank_customers();
        data
    }

    /// The data from its parts, each computed where the load had a core
    /// free; the list ranks are left to [`DashboardData::rank_customers`].
    pub fn assemble(
        facts: Vec<CustomerFacts>,
        figures: Figures,
        views: FactViews,
        texts: Vec<RowText>,
        search: SearchIndex,
        followups: &[FollowUp],
        config: &Config,
    ) -> DashboardData {
        let as_of = figures.as_of;
        let rows = facts
            .iter()
            .zip(texts)
            .zip(&figures.summaries)
            .zip(&figures.churn_figures)
            .map(|(((f, text), summary), churn)| {
                let finite = |value: Option<f64>| value.filter(|v| v.is_finite());
                CustomerRow {
                    id: f.id,
                    name: text.name,
                    company: text.company,
                    phone: text.phone,
                    stage: summary.stage,
                    first_purchase: summary.first_purchase,
                    last_purchase: summary.last_purchase,
                    frequency: summary.frequency,
                    monetary_cents: summary.monetary_cents,
                    rfm: summary.rfm,
                    segment: summary.segment,
                    source: f.source,
                    p_alive: finite(churn.map(|c| c.p_alive)),
                    expected_90d: finite(churn.map(|c| c.expected_90d)),
                    expected_365d: finite(churn.map(|c| c.expected_365d)),
                    expected_revenue_365d: finite(churn.and_then(|c| c.expected_revenue_365d)),
                    awaiting: false,
                }
            })
            .collect();
        let mut data = DashboardData::empty(as_of, &config.currency);
        data.spend_doubtful = figures
            .churn
            .as_ref()
            .is_ok_and(|churn| churn.spend_is_doubtful());
        data.churn_error = figures.churn.err();
        data.churn_unfitted = data.churn_error.as_ref().map(|e| e.to_string());
        data.default_country.clone_from(&config.default_country);
        for (r, line) in data.rfm_grid.iter_mut().enumerate() {
            for (f, cell) in line.iter_mut().enumerate() {
                cell.segment = Some(analytics::segment_of(r as u8 + 1, f as u8 + 1));
            }
        }
        data.pyramid = views.stages.counts();
        data.stages = views.stages;
        data.cohorts = views.cohorts;
        data.facts = Arc::new(facts);
        data.expire_after_days = config.rules.expire_after_days;
        data.install_rows(rows, search);
        data.set_followups(followups);
        data
    }

    /// Installs the customer rows and everything derived from them alone
    /// (stage members, RF grid, search index, ranks). Tests build data
    /// through this.
    pub fn set_customers(&mut self, rows: Vec<CustomerRow>, listings: &[Listing]) {
        // The two are independent, and each a pass over every customer.
        let (search, ranks) = std::thread::scope(|scope| {
            let ranks = scope.spawn(|| super::rows::ranks(&rows));
            let search = SearchIndex::build_rows(&rows, listings, &self.default_country);
            (search, ranks.join())
        });
        self.install_rows(rows, search);
        // Without ranks (the thread could not finish) lists sort by their keys.
        self.customer_ranks = ranks.unwrap_or_default();
    }

    /// The rows, their search index, and what is derived from the rows alone
    /// (stage members, RF grid); the ranks are left as they were.
    fn install_rows(&mut self, rows: Vec<CustomerRow>, search: SearchIndex) {
        self.index_of = rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
        self.stage_members = Default::default();
        for line in &mut self.rfm_grid {
            for cell in line.iter_mut() {
                cell.members.clear();
                cell.revenue_cents = 0;
            }
        }
        self.f_ranges = [None; 5];
        for (i, row) in rows.iter().enumerate() {
            if let Some(list) = self.stage_members.get_mut(row.stage.index()) {
                list.push(i);
            }
            if let Some((_, f, _)) = row.rfm
                && let Some(range) = self.f_ranges.get_mut(usize::from(f).wrapping_sub(1))
            {
                let (least, most) = range.unwrap_or((row.frequency, row.frequency));
                *range = Some((least.min(row.frequency), most.max(row.frequency)));
            }
            if let Some((r, f, _)) = row.rfm {
                let cell = self
                    .rfm_grid
                    .get_mut(usize::from(r).wrapping_sub(1))
                    .and_then(|line| line.get_mut(usize::from(f).wrapping_sub(1)));
                if let Some(cell) = cell {
                    cell.segment = cell.segment.or(row.segment);
                    cell.members.push(i);
                    cell.revenue_cents = cell.revenue_cents.saturating_add(row.monetary_cents);
                }
            }
        }
        self.customers = rows;
        self.search = search;
    }

    /// Ranks the customer rows again, after a change of them in place (the
    /// lists sort by the ranks, not by the rows).
    pub fn rank_customers(&mut self) {
        self.customer_ranks = super::rows::ranks(&self.customers);
    }

    /// Installs the open follow-ups one works through: the expired ones
    /// (SPEC section 6) are left to the customer's card.
    pub fn set_followups(&mut self, followups: &[FollowUp]) {
        let mut rows: Vec<FollowUpRow> = followups
            .iter()
            .filter(|f| {
                f.status == crate::domain::FollowUpStatus::Open
                    && !crate::analytics::rules::is_expired(f, self.as_of, self.expire_after_days)
            })
            .map(|f| FollowUpRow {
                id: f.id,
                customer_id: f.customer_id,
                customer_name: self
                    .index_of
                    .get(&f.customer_id)
                    .and_then(|&i| self.customers.get(i))
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| format!("#{}", f.customer_id)),
                due: f.due,
                rule: f.rule.as_deref().map(clean),
                figures: f.figures,
                reason: clean(&f.reason),
                note: clean(&f.note),
                when: FollowUpWhen::of(f.due, self.as_of),
                by: f.acted_by.as_deref().or(f.created_by.as_deref()).map(clean),
            })
            .collect();
        // One not written yet (id 0) comes after the written ones of its
        // day, where it goes once it is written.
        rows.sort_by_key(|r| (r.due, r.id == 0, r.id));
        self.followups = rows;
    }

    /// Shows the customers `changed` as their records are now (read after
    /// another program's write), before a load computes the figures again,
    /// which takes seconds on a large store: each one's texts, its search
    /// entry and its own purchases are theirs at once; the figures that
    /// rank a customer among everyone wait ([`CustomerRow::awaiting`]). A
    /// new customer is added after the last row. The pyramid, the RF grid,
    /// the cohorts and the weekly page stay the last load's. Changes
    /// nothing and returns false when the changes cannot be shown so: a
    /// customer gone, a new one whose id is not above the last row's (the
    /// rows are ordered by id), more than [`SHOWN_AT_ONCE`], or data still
    /// pending.
    pub fn show_changed(&mut self, changed: Vec<crate::store::ChangedRecords>) -> bool {
        let mut last = self.customers.last().map_or(CustomerId::MIN, |r| r.id);
        let showable = !self.pending
            && changed.len() <= SHOWN_AT_ONCE
            && changed.iter().all(|(id, records)| {
                let fits = records.is_some() && (self.index_of.contains_key(id) || *id > last);
                last = last.max(*id);
                fits
            });
        if !showable {
            return false;
        }
        // Ranks of these rows only are brought up to date: others were stale.
        let ranked_rows = self.customers.len();
        let mut rows = Vec::with_capacity(changed.len());
        for (id, records) in changed {
            let Some((facts, listing)) = records else {
                continue;
            };
            let text = row_texts(std::slice::from_ref(&facts), std::slice::from_ref(&listing))
                .pop()
                .unwrap_or_default();
            let at = match self.index_of.get(&id) {
                Some(&at) => at,
                None => {
                    self.index_of.insert(id, self.customers.len());
                    // Drawn as waiting: a new customer is in no stage yet.
                    self.customers
                        .push(CustomerRow::bare(id, crate::domain::Stage::Suspect));
                    self.customers.len() - 1
                }
            };
            let Some(row) = self.customers.get_mut(at) else {
                continue;
            };
            let history = PurchaseHistory::of(&facts, self.as_of);
            row.first_purchase = history.first;
            row.last_purchase = history.last;
            row.frequency = history.frequency;
            row.monetary_cents = history.monetary_cents;
            row.source = facts.source;
            row.awaiting = true;
            self.search.put(
                at,
                &crate::search::Entry {
                    name: &text.name,
                    ..crate::search::Entry::listed(&listing)
                },
            );
            row.name = text.name;
            row.company = text.company;
            row.phone = text.phone;
            rows.push(at as u32);
        }
        let customers = &self.customers;
        for (column, ranked) in self.customer_ranks.iter_mut().enumerate() {
            if ranked.ranks.len() == ranked_rows {
                ranked.change(&rows, |row| {
                    customers
                        .get(row as usize)
                        .map_or(SortKey::Missing, |r| super::rows::sort_key(r, column))
                });
            }
        }
        true
    }

    pub fn row(&self, id: CustomerId) -> Option<&CustomerRow> {
        self.index_of.get(&id).and_then(|&i| self.customers.get(i))
    }

    pub fn cohort_view(&self, source: SourceFilter) -> Option<&CohortView> {
        self.cohorts.iter().find(|c| c.source == source)
    }
}

/// The texts of the row of each customer of `facts`, in their order, from
/// their listings: their own name, sanitized, or their ref when the store
/// has no record of them; their company and first phone.
pub fn row_texts(facts: &[CustomerFacts], listings: &[Listing]) -> Vec<RowText> {
    facts
        .iter()
        .map(|f| {
            let listing = Listing::find(listings, f.id);
            RowText {
                name: listing
                    .map(|l| clean(&l.name))
                    .unwrap_or_else(|| clean(&f.reference)),
                company: listing
                    .and_then(|l| l.company.as_deref())
                    .map(clean)
                    .unwrap_or_default(),
                phone: listing
                    .and_then(|l| l.phones.first())
                    .map(|p| clean(p))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// The search index of the customers of `facts`, in their order (as the
/// rows are), from their listings and row texts alone: built while the
/// figures are computed.
pub fn search_of(
    facts: &[CustomerFacts],
    listings: &[Listing],
    texts: &[RowText],
    country: &str,
) -> SearchIndex {
    let entries = facts.iter().zip(texts).map(|(f, text)| {
        match Listing::find(listings, f.id) {
            // The row's name is the one shown, sanitized.
            Some(listing) => crate::search::Entry {
                name: &text.name,
                ..crate::search::Entry::listed(listing)
            },
            None => crate::search::Entry::named(&text.name),
        }
    });
    SearchIndex::build(entries, country)
}

/// What the panes show that the facts alone give, computed beside the
/// figures: the pyramid and the cohorts.
#[derive(Debug, Clone)]
pub struct FactViews {
    pub stages: WeekStages,
    pub cohorts: Vec<CohortView>,
}

impl FactViews {
    pub fn of(facts: &[CustomerFacts], as_of: NaiveDate, pyramid: &PyramidConfig) -> FactViews {
        FactViews {
            stages: WeekStages::of(facts, as_of, pyramid),
            cohorts: cohort_views(facts, as_of),
        }
    }
}

/// The cohort view of every source filter, the filters shared by two threads.
fn cohort_views(facts: &[CustomerFacts], as_of: NaiveDate) -> Vec<CohortView> {
    let view = |source: SourceFilter| CohortView {
        source,
        table: analytics::cohorts(facts.iter().filter(|f| source.admits(f.source)), as_of),
        repeat: analytics::repeat_rates(facts, as_of, source),
    };
    let (half, rest) = SourceFilter::ALL.split_at(SourceFilter::ALL.len() / 2);
    std::thread::scope(|scope| {
        let later = scope.spawn(|| rest.iter().map(|&s| view(s)).collect::<Vec<_>>());
        let mut views: Vec<CohortView> = half.iter().map(|&s| view(s)).collect();
        // A panic of the other half is the caller's, as in one thread.
        views.extend(
            later
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        );
        views
    })
}

/// What a load leaves for the next one: the records it read, and the change
/// log's mark (`Store::last_change`) read before them. The next load reads
/// again only the customers the log names after the mark. Shared with that
/// load's thread.
#[derive(Debug, Clone)]
pub struct Kept {
    pub facts: Arc<Vec<CustomerFacts>>,
    /// Only the next load patches them, so it takes them and moves them
    /// rather than copying a million records; `None` once taken. A load
    /// replaced before it finished takes them along, and the one after it
    /// reads them all again.
    pub listings: Option<Vec<Listing>>,
    pub mark: i64,
    /// The change log's mark the load's figures hold at once its own
    /// follow-ups are written; `None` when another write came between. The
    /// pyramid's next frames are kept in the store at this mark.
    pub holds_at: Option<i64>,
}

/// Whether a load also lets the follow-up rules write what they call for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// At start, at a new day and after the dashboard's own saves.
    Apply,
    /// After another program's write: on a large store the rules take about
    /// as long as the load itself, and that program had its own chance.
    Skip,
}

/// What the card of one customer shows, read from the store when it opens.
#[derive(Debug, Clone, PartialEq)]
pub struct CardData {
    pub customer: Customer,
    /// Newest first.
    pub orders: Vec<Order>,
    /// Newest first.
    pub interactions: Vec<Interaction>,
    pub followups: Vec<FollowUp>,
    /// Revenue per month, oldest first, the last 24 months up to the as-of month.
    pub monthly_revenue: Vec<u64>,
    pub referred_by: Option<(CustomerId, String)>,
    pub referred: Vec<(CustomerId, String)>,
    /// What the churn and spend models say of the customer; `None` without a
    /// purchase day or a fitted model.
    pub churn: Option<CardChurn>,
}

/// The churn model's figures on the card.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CardChurn {
    pub p_alive: f64,
    /// Expected purchase days in the next 365 days.
    pub expected_365d: f64,
    /// Expected revenue in the next 365 days in major units; `None` when the
    /// spend model is not fitted.
    pub expected_revenue_365d: Option<f64>,
    /// The spend model's independence assumption is doubtful.
    pub spend_doubtful: bool,
}

impl CardChurn {
    /// The expected revenue as the card shows it, with a note when the spend
    /// model is in doubt; `—` without one.
    pub fn revenue_text(churn: Option<&CardChurn>, lang: Lang, currency: &str) -> String {
        let strings = lang.strings();
        match churn.and_then(|c| Some((c.expected_revenue_365d?, c.spend_doubtful))) {
            Some((revenue, doubtful)) => {
                let amount = money((revenue * 100.0).round() as i64, lang, currency);
                if doubtful {
                    format!("{amount} ({})", strings.spend_doubtful)
                } else {
                    amount
                }
            }
            None => strings.none.to_string(),
        }
    }

    /// The card's figures of a customer row, when the model scored them.
    pub fn of(row: &CustomerRow, spend_doubtful: bool) -> Option<CardChurn> {
        Some(CardChurn {
            p_alive: row.p_alive?,
            expected_365d: row.expected_365d?,
            expected_revenue_365d: row.expected_revenue_365d,
            spend_doubtful,
        })
    }
}

/// Months between two dates' months, `later` minus `earlier`.
fn month_offset(earlier: NaiveDate, later: NaiveDate) -> i64 {
    i64::from(later.year() - earlier.year()) * 12 + i64::from(later.month())
        - i64::from(earlier.month())
}

/// Monthly revenue of the 24 months ending with the as-of month; refunds lower
/// a month but a month never shows below zero.
pub fn monthly_revenue(orders: &[Order], as_of: NaiveDate) -> Vec<u64> {
    let mut months = [0i64; 24];
    for o in orders {
        let back = month_offset(o.order_date, as_of);
        if (0..24).contains(&back) && o.order_date <= as_of {
            let slot = 23 - back as usize;
            months[slot] = months[slot].saturating_add(o.amount_cents);
        }
    }
    months.iter().map(|&c| c.max(0) as u64).collect()
}

/// Reads one customer's card.
pub fn load_card(
    store: &Store,
    id: CustomerId,
    data: &DashboardData,
) -> Result<Option<CardData>, StoreError> {
    let Some(customer) = store.customer(id)? else {
        return Ok(None);
    };
    let orders = store.orders_of(id)?;
    let name_of = |cid: CustomerId| {
        data.row(cid)
            .map(|r| r.name.clone())
            .unwrap_or_else(|| format!("#{cid}"))
    };
    let referred_by = customer.referred_by.map(|r| (r, name_of(r)));
    let referred = data
        .facts
        .iter()
        .filter(|f| f.referred_by == Some(id))
        .map(|f| (f.id, name_of(f.id)))
        .collect();
    Ok(Some(CardData {
        monthly_revenue: monthly_revenue(&orders, data.as_of),
        interactions: store.interactions_of(id)?,
        followups: store
            .followups_of(id)?
            .into_iter()
            .filter(|f| f.status == crate::domain::FollowUpStatus::Open)
            .collect(),
        orders,
        customer,
        referred_by,
        referred,
        churn: data
            .row(id)
            .and_then(|row| CardChurn::of(row, data.spend_doubtful)),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn rows_and_the_card_carry_the_churn_and_spend_figures() {
        use crate::analytics::churn::tests_cdnow::{calibration_end, cdnow_facts};
        use crate::analytics::churn::{Model, churn_report};
        let facts = cdnow_facts();
        let as_of = calibration_end();
        let report = churn_report(&facts, as_of, Model::MbgNbd).unwrap();
        let data = DashboardData::build(facts, &[], &[], as_of, &Config::default());
        assert_eq!(data.churn_unfitted, None);
        assert!(!data.spend_doubtful);
        for row in &report.rows {
            let shown = &data.customers[row.index];
            assert_eq!(shown.p_alive, Some(row.p_alive));
            assert_eq!(shown.expected_90d, Some(row.expected_90d));
            assert_eq!(shown.expected_365d, Some(row.expected_365d));
            assert_eq!(shown.expected_revenue_365d, row.expected_revenue_365d);
            let card = CardChurn::of(shown, data.spend_doubtful).unwrap();
            assert_eq!(card.expected_365d, row.expected_365d);
        }
        let card = CardChurn::of(&data.customers[0], false);
        assert_eq!(
            CardChurn::revenue_text(card.as_ref(), Lang::En, "EUR"),
            "€39.46"
        );
        let doubtful = card.map(|c| CardChurn {
            spend_doubtful: true,
            ..c
        });
        assert_eq!(
            CardChurn::revenue_text(doubtful.as_ref(), Lang::Fi, "EUR"),
            "39,46 € (epävarma: ostosumma ja ostotiheys korreloivat)"
        );
        assert_eq!(CardChurn::revenue_text(None, Lang::En, "EUR"), "—");
    }

    #[test]
    fn monthly_revenue_covers_24_months_ending_at_as_of() {
        let order = |date, amount_cents| Order {
            id: 1,
            customer_id: 1,
            order_date: date,
            amount_cents,
            quantity: None,
            external_id: None,
            discount: false,
            note: None,
            entered_by: None,
        };
        let orders = [
            order(day(2026, 11, 2), 500),
            order(day(2026, 11, 20), 250),
            order(day(2024, 12, 1), 100),
            order(day(2024, 11, 30), 9_999),
            order(day(2026, 12, 1), 7_777),
            order(day(2026, 10, 1), -300),
        ];
        let months = monthly_revenue(&orders, day(2026, 11, 23));
        assert_eq!(months.len(), 24);
        assert_eq!(months[23], 750);
        assert_eq!(months[22], 0);
        assert_eq!(months[0], 100);
        assert_eq!(months.iter().sum::<u64>(), 850);
    }
}
