//! Plain types of the product, in its own words (SPEC section 2 and 3), and the
//! one home of each value rule (money, email, text for the terminal, rule names).
//! May import: nothing of kanta; neither rusqlite nor ratatui.

pub(crate) mod customer;
pub(crate) mod email;
pub(crate) mod facts;
pub(crate) mod money;
pub mod phone;
pub(crate) mod reason;
pub(crate) mod rules;
pub(crate) mod terminal;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub use customer::{ContactRow, Customer, CustomerDraft, Listing};
pub use facts::CustomerFacts;
pub use facts::{DayTotal, Stored, StoredHistory, StoredRow};
pub use reason::{CadenceFrom, RuleFigures, Valued};

/// Row id of a customer in the store.
pub type CustomerId = i64;

/// How the customer first came to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    Offer,
    WalkIn,
    Referral,
    Campaign,
    Other,
}

impl Source {
    pub const ALL: [Source; 5] = [
        Source::Offer,
        Source::WalkIn,
        Source::Referral,
        Source::Campaign,
        Source::Other,
    ];

    /// The code stored in the database and written in files.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Source::Offer => "offer",
            Source::WalkIn => "walk-in",
            Source::Referral => "referral",
            Source::Campaign => "campaign",
            Source::Other => "other",
        }
    }

    /// Parses a stored or typed code, case-insensitively; also the Finnish words.
    pub(crate) fn parse(text: &str) -> Option<Source> {
        let t = text.trim().to_lowercase();
        Some(match t.as_str() {
            "offer" | "tarjous" | "tarjouksenmetsästäjä" => Source::Offer,
            "walk-in" | "walkin" | "walk in" | "spontaani" | "spontaani ensiostaja" => {
                Source::WalkIn
            }
            "referral" | "suositus" => Source::Referral,
            "campaign" | "kampanja" => Source::Campaign,
            "other" | "muu" => Source::Other,
            _ => return None,
        })
    }
}

/// Where a customer stands in the relationship (the customer pyramid).
/// Declared in the order of SPEC section 2; `Lapsed` last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Suspect,
    Prospect,
    Customer,
    Regular,
    KeyCustomer,
    Advocate,
    Lapsed,
}

impl Stage {
    /// The stages in the order of SPEC section 2, lapsed last.
    pub(crate) const ALL: [Stage; 7] = [
        Stage::Suspect,
        Stage::Prospect,
        Stage::Customer,
        Stage::Regular,
        Stage::KeyCustomer,
        Stage::Advocate,
        Stage::Lapsed,
    ];

    /// The pyramid from its top, lapsed last: as the pyramid is drawn, its
    /// changes told and the stage column sorted.
    pub const TOP_DOWN: [Stage; 7] = [
        Stage::Advocate,
        Stage::KeyCustomer,
        Stage::Regular,
        Stage::Customer,
        Stage::Prospect,
        Stage::Suspect,
        Stage::Lapsed,
    ];

    /// The English name used in reports (`report pyramid`).
    pub(crate) fn code(self) -> &'static str {
        match self {
            Stage::Suspect => "suspect",
            Stage::Prospect => "prospect",
            Stage::Customer => "customer",
            Stage::Regular => "regular",
            Stage::KeyCustomer => "key customer",
            Stage::Advocate => "advocate",
            Stage::Lapsed => "lapsed",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// RF segment of the 5x5 matrix (SPEC section 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Segment {
    Champions,
    Loyal,
    PotentialLoyalists,
    NewCustomers,
    Promising,
    NeedAttention,
    AboutToSleep,
    CantLoseThem,
    AtRisk,
    Hibernating,
}

impl Segment {
    #[cfg(test)]
    pub(crate) const ALL: [Segment; 10] = [
        Segment::Champions,
        Segment::Loyal,
        Segment::PotentialLoyalists,
        Segment::NewCustomers,
        Segment::Promising,
        Segment::NeedAttention,
        Segment::AboutToSleep,
        Segment::CantLoseThem,
        Segment::AtRisk,
        Segment::Hibernating,
    ];

    /// The English name, as written in reports.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Segment::Champions => "Champions",
            Segment::Loyal => "Loyal",
            Segment::PotentialLoyalists => "Potential loyalists",
            Segment::NewCustomers => "New customers",
            Segment::Promising => "Promising",
            Segment::NeedAttention => "Need attention",
            Segment::AboutToSleep => "About to sleep",
            Segment::CantLoseThem => "Can't lose them",
            Segment::AtRisk => "At risk",
            Segment::Hibernating => "Hibernating",
        }
    }
}

/// An order (a purchase, or a refund when the amount is negative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: i64,
    pub customer_id: CustomerId,
    pub order_date: NaiveDate,
    pub amount_cents: i64,
    pub quantity: Option<i64>,
    pub external_id: Option<String>,
    pub discount: bool,
    pub note: Option<String>,
    /// Who entered it by hand; `None` for an imported order.
    pub entered_by: Option<String>,
}

/// A new order to be written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OrderDraft {
    pub customer_id: CustomerId,
    pub order_date: NaiveDate,
    pub amount_cents: i64,
    pub quantity: Option<i64>,
    pub external_id: Option<String>,
    pub discount: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InteractionKind {
    Call,
    Email,
    Meeting,
    Note,
}

impl InteractionKind {
    pub(crate) const ALL: [InteractionKind; 4] = [
        InteractionKind::Call,
        InteractionKind::Email,
        InteractionKind::Meeting,
        InteractionKind::Note,
    ];

    pub(crate) fn code(self) -> &'static str {
        match self {
            InteractionKind::Call => "call",
            InteractionKind::Email => "email",
            InteractionKind::Meeting => "meeting",
            InteractionKind::Note => "note",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<InteractionKind> {
        InteractionKind::ALL
            .into_iter()
            .find(|k| k.code().eq_ignore_ascii_case(text.trim()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Inbound,
    Outbound,
}

impl Direction {
    pub(crate) fn code(self) -> &'static str {
        match self {
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Direction> {
        match text.trim().to_lowercase().as_str() {
            "inbound" | "in" => Some(Direction::Inbound),
            "outbound" | "out" => Some(Direction::Outbound),
            _ => None,
        }
    }
}

/// A logged contact with a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interaction {
    pub id: i64,
    pub customer_id: CustomerId,
    /// UTC instant; shown in local time.
    pub at: DateTime<Utc>,
    pub kind: InteractionKind,
    pub direction: Option<Direction>,
    pub text: String,
    /// Who logged it.
    pub logged_by: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FollowUpStatus {
    Open,
    Done,
}

impl FollowUpStatus {
    pub(crate) fn code(self) -> &'static str {
        match self {
            FollowUpStatus::Open => "open",
            FollowUpStatus::Done => "done",
        }
    }
}

/// Something owed to a customer, written by hand or by a rule (SPEC section 6).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: i64,
    pub customer_id: CustomerId,
    pub due: NaiveDate,
    pub status: FollowUpStatus,
    /// `None` for a follow-up written by hand; else the rule's code (`thank-you`, ...).
    pub rule: Option<String>,
    /// The date the rule was anchored on; with rule and customer it keys the follow-up.
    pub anchor: Option<NaiveDate>,
    /// What made a rule's follow-up; `None` for one written by hand.
    pub figures: Option<RuleFigures>,
    /// The reason as written by hand (empty for a rule's: see `figures`).
    pub reason: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
    /// Who wrote it by hand (`None` for a rule's).
    pub created_by: Option<String>,
    /// Who last marked it done, snoozed, rescheduled or noted it.
    pub acted_by: Option<String>,
}

/// Where a follow-up stands relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FollowUpWhen {
    Overdue,
    Today,
    Upcoming,
}

impl FollowUpWhen {
    pub(crate) fn of(due: NaiveDate, today: NaiveDate) -> FollowUpWhen {
        if due < today {
            FollowUpWhen::Overdue
        } else if due == today {
            FollowUpWhen::Today
        } else {
            FollowUpWhen::Upcoming
        }
    }
}

/// One import of a file (a batch), which `kanta import undo` can remove.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImportBatch {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) file_name: String,
    pub(crate) file_sha256: String,
    pub(crate) imported_at: DateTime<Utc>,
    pub(crate) customers_added: i64,
    pub(crate) customers_updated: i64,
    pub(crate) orders_added: i64,
    pub(crate) undone: bool,
}
