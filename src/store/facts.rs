//! Loading the compact per-customer data the figures are computed from.

use rusqlite::types::ValueRef;

use crate::domain::money::clamp_cents;
use crate::domain::{CustomerFacts, CustomerId, DayTotal, Listing};

use super::customers::source_of_code;
use super::orders::load_orders;
use super::values::{Cols, LocalDates, invalid, parse_date, parse_instant};
use super::{Changes, Store, StoreError};

/// Every order, read from the covering index `orders_customer_date` alone
/// (followed by a `WHERE` of [`Whose`] and the order). Folding the days here
/// is about four times faster than SQLite's GROUP BY over the same index.
const ORDERS_BY_CUSTOMER_DAY: &str = "SELECT customer_id, order_date, amount_cents FROM orders";

/// Whose facts a read takes: everyone's, in one scan of each table, or one
/// customer's, by their keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    Everyone,
    One(CustomerId),
}

impl Whose {
    /// The `WHERE` clause on `column`, bound by [`Whose::query`].
    fn clause(self, column: &str) -> String {
        match self {
            Whose::Everyone => String::new(),
            Whose::One(_) => format!("WHERE {column} = ?1"),
        }
    }

    fn query<'s>(
        self,
        statement: &'s mut rusqlite::CachedStatement<'_>,
    ) -> rusqlite::Result<rusqlite::Rows<'s>> {
        match self {
            Whose::Everyone => statement.query([]),
            Whose::One(id) => statement.query([id]),
        }
    }
}

/// Advances `cursor` to the facts of `id`, both sorted by id. `None` for a row
/// whose customer does not exist (a script can write one with foreign keys off).
fn seek(facts: &mut [CustomerFacts], cursor: &mut usize, id: CustomerId) -> Option<usize> {
    while *cursor < facts.len() && facts[*cursor].id < id {
        *cursor += 1;
    }
    (*cursor < facts.len() && facts[*cursor].id == id).then_some(*cursor)
}

/// Gives each customer their folded days; days of a customer that does not
/// exist (a script can write one with foreign keys off) are left out.
fn attach_days(facts: &mut [CustomerFacts], days: Vec<(CustomerId, Vec<DayTotal>)>) {
    let mut cursor = 0;
    for (customer, days) in days {
        if let Some(at) = seek(facts, &mut cursor, customer) {
            facts[at].days = days;
        }
    }
}

/// A customer the change log names, with their facts and listing as they
/// are now ([`Store::records_of`]); `None` for one that is gone.
pub type ChangedRecords = (CustomerId, Option<(CustomerFacts, Listing)>);

/// The records a window loads, as [`Store::records_after`] gives them.
#[derive(Debug)]
pub struct Records {
    pub facts: Vec<CustomerFacts>,
    /// `None` when they are still to be read ([`Store::listings`]).
    pub listings: Option<Vec<Listing>>,
    /// The change log's mark read before them.
    pub mark: i64,
}

impl Store {
    /// Facts of every customer, ordered by id: orders folded per day, interaction
    /// instants turned into local calendar dates. One scan of each table.
    pub fn load_facts(&self) -> Result<Vec<CustomerFacts>, StoreError> {
        let _snapshot = self.snapshot()?;
        self.facts(Whose::Everyone)
    }

    fn facts(&self, whose: Whose) -> Result<Vec<CustomerFacts>, StoreError> {
        let mut facts = self.customer_facts(whose)?;
        let days = self.fold_orders(whose)?;
        attach_days(&mut facts, days);
        self.add_interaction_dates(&mut facts, whose)?;
        Ok(facts)
    }

    /// The facts and listings as they are now, from `facts` and `listings`
    /// read after the change log's mark `since` ([`Store::last_change`]):
    /// only the customers the log names after it are read again. When the
    /// log cannot say (a large write, or it was pruned since), every fact is
    /// read and the listings are `None`, for the caller to read beside
    /// other work; so they are when `listings` is `None` (a load before took
    /// them and did not finish). The facts are shared with what a window
    /// shows and are copied; the listings are the caller's and are moved.
    /// With the mark to give the next call.
    pub fn records_after(
        &self,
        facts: &[CustomerFacts],
        listings: Option<Vec<Listing>>,
        since: i64,
    ) -> Result<Records, StoreError> {
        let (changes, mark) = self.changes_since(since)?;
        let (facts, listings) = match changes {
            Changes::None => (facts.to_vec(), listings),
            Changes::Customers(changed) => (
                self.patch_facts(facts, &changed)?,
                match listings {
                    Some(listings) => Some(self.patch_listings(listings, &changed)?),
                    None => None,
                },
            ),
            Changes::All => (self.load_facts()?, None),
        };
        Ok(Records {
            facts,
            listings,
            mark,
        })
    }

    /// The facts and the listing of each of the customers `changed`, read
    /// in one snapshot, ordered by id; `None` for one that is gone. What a
    /// window shows at once after another program's write, before its
    /// figures are computed again.
    pub fn records_of(&self, changed: &[CustomerId]) -> Result<Vec<ChangedRecords>, StoreError> {
        let mut ids = changed.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let _snapshot = self.snapshot()?;
        ids.into_iter()
            .map(|id| {
                let facts = self.facts(Whose::One(id))?.pop();
                let listing = self.listing_of(id)?;
                Ok((id, facts.zip(listing)))
            })
            .collect()
    }

    /// `facts` (ordered by id, as [`Store::load_facts`] gives them) with the
    /// facts of the customers `changed` read again, in one snapshot: those
    /// deleted are left out, those added put in their place. After another
    /// program's write, the change log names the few customers it changed,
    /// and nobody else's orders are read again.
    pub fn patch_facts(
        &self,
        facts: &[CustomerFacts],
        changed: &[CustomerId],
    ) -> Result<Vec<CustomerFacts>, StoreError> {
        super::patch::patch(
            self,
            super::patch::Old::Shared(facts),
            changed,
            |f| f.id,
            || self.load_facts(),
            |id| self.facts(Whose::One(id)),
        )
    }

    /// As [`Store::load_facts`], with the orders read by a second connection
    /// at the same time as the customers and interactions: on a large store
    /// the order scan is the longer half, and the dashboard's first frame
    /// waits for both. The two reads are separate snapshots; a write landing
    /// between them is seen by this connection's `data_version`, and the facts
    /// are then read again in one snapshot.
    pub fn load_facts_in_parallel(&self) -> Result<Vec<CustomerFacts>, StoreError> {
        if !self.path().exists() {
            return self.load_facts();
        }
        let path = self.path().to_path_buf();
        // Another connection's commit between the two reads would mix two
        // states of the store (a merge half seen): then they are read again,
        // in one snapshot.
        let before = self.data_version()?;
        let facts = std::thread::scope(|scope| {
            let orders = scope.spawn(move || Store::open(&path)?.fold_orders(Whose::Everyone));
            let mut facts = {
                let _snapshot = self.snapshot()?;
                let mut facts = self.customer_facts(Whose::Everyone)?;
                self.add_interaction_dates(&mut facts, Whose::Everyone)?;
                facts
            };
            let days = orders.join().map_err(|_| {
                StoreError::Invalid("orders: the scan stopped unexpectedly".into())
            })??;
            attach_days(&mut facts, days);
            Ok::<_, StoreError>(facts)
        })?;
        if self.data_version()? == before {
            Ok(facts)
        } else {
            self.load_facts()
        }
    }

    fn customer_facts(&self, whose: Whose) -> Result<Vec<CustomerFacts>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, ref, source, referred_by, prospect, advocate, contact_every_days,
                    created_at
             FROM customers {} ORDER BY id",
            whose.clause("id")
        ))?;
        let mut rows = whose.query(&mut stmt)?;
        let mut facts = Vec::new();
        let mut local_dates = LocalDates::new();
        while let Some(row) = rows.next()? {
            let c = Cols::new(row, "customers", 0)?;
            let created_at = c.text(7)?;
            let created = parse_instant(&created_at).ok_or_else(|| {
                invalid(
                    "customers",
                    c.id,
                    "created_at",
                    format!("{created_at:?} is not an RFC 3339 timestamp"),
                )
            })?;
            facts.push(CustomerFacts {
                id: c.id,
                reference: c.text(1)?,
                source: c.opt_code(2, source_of_code)?,
                referred_by: c.opt_i64(3)?,
                prospect: c.bool(4)?,
                advocate: c.bool(5)?,
                days: Vec::new(),
                interaction_dates: Vec::new(),
                contact_every_days: c.opt_u32(6)?,
                created_on: local_dates.of(created),
            });
        }
        Ok(facts)
    }

    /// Each customer's orders folded per day, by customer id.
    fn fold_orders(&self, whose: Whose) -> Result<Vec<(CustomerId, Vec<DayTotal>)>, StoreError> {
        let _snapshot = self.snapshot()?;
        let mut stmt = self.conn.prepare_cached(&format!(
            "{ORDERS_BY_CUSTOMER_DAY} {} ORDER BY customer_id, order_date",
            whose.clause("customer_id")
        ))?;
        let mut rows = whose.query(&mut stmt)?;
        // A customer's days are folded in one reused buffer, then copied in
        // one exact allocation: growing 100,000 vectors a push at a time
        // costs more than reading the orders.
        let mut folded = Vec::new();
        let mut days: Vec<DayTotal> = Vec::new();
        let mut current: Option<CustomerId> = None;
        let mut day_sum: i128 = 0;
        while let Some(row) = rows.next()? {
            let (ValueRef::Integer(customer), ValueRef::Text(date), ValueRef::Integer(amount)) =
                (row.get_ref(0)?, row.get_ref(1)?, row.get_ref(2)?)
            else {
                return Err(self.bad_order()?);
            };
            let Some(date) = parse_date(date) else {
                return Err(self.bad_order()?);
            };
            if current != Some(customer) {
                if let Some(id) = current {
                    folded.push((id, days.clone()));
                }
                days.clear();
                current = Some(customer);
            }
            match days.last_mut() {
                Some(day) if day.date == date => {
                    // Summed wide and held at the bound rather than refused:
                    // only a script can write amounts this large (imports and
                    // forms refuse them), and one such row must not close
                    // every report.
                    day_sum += i128::from(amount);
                    day.amount_cents = clamp_cents(day_sum);
                    day.is_purchase |= amount >= 0;
                }
                _ => {
                    day_sum = i128::from(amount);
                    days.push(DayTotal {
                        date,
                        amount_cents: amount,
                        is_purchase: amount >= 0,
                    });
                }
            }
        }
        if let Some(id) = current {
            folded.push((id, days));
        }
        Ok(folded)
    }

    /// The error naming the order the fast scan could not read: reading every
    /// order the careful way finds it.
    fn bad_order(&self) -> Result<StoreError, StoreError> {
        Ok(
            load_orders(&self.conn, "ORDER BY customer_id, order_date, id", &[])
                .err()
                .unwrap_or_else(|| StoreError::Invalid("orders: a row cannot be read".into())),
        )
    }

    fn add_interaction_dates(
        &self,
        facts: &mut [CustomerFacts],
        whose: Whose,
    ) -> Result<(), StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT id, customer_id, at FROM interactions {} ORDER BY customer_id, at",
            whose.clause("customer_id")
        ))?;
        let mut rows = whose.query(&mut stmt)?;
        let mut cursor = 0;
        let mut local_dates = LocalDates::new();
        while let Some(row) = rows.next()? {
            let c = Cols::new(row, "interactions", 0)?;
            let customer = c.i64(1)?;
            let Some(at) = seek(facts, &mut cursor, customer) else {
                continue;
            };
            let text = c.text(2)?;
            let instant = parse_instant(&text).ok_or_else(|| {
                invalid(
                    "interactions",
                    c.id,
                    "at",
                    format!("{text:?} is not an RFC 3339 timestamp"),
                )
            })?;
            facts[at].interaction_dates.push(local_dates.of(instant));
        }
        // Text order is time order only when every row is written alike; a
        // script may write another offset.
        for f in facts.iter_mut() {
            if !f.interaction_dates.is_sorted() {
                f.interaction_dates.sort_unstable();
            }
        }
        Ok(())
    }
}
