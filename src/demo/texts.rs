//! The words of the demo: what was said in calls, emails and meetings, why a
//! follow-up is owed, notes on orders and customers.

use crate::domain::{Direction, InteractionKind};

use super::rng::Rng;

const CALL_IN: &[&str] = &[
    "Asked whether the winter opening hours apply on Saturdays.",
    "Wanted to know if the order can be picked up at the shop.",
    "Called about a missing item in the delivery; sending it tomorrow.",
    "Asked for a quote for a larger order next month.",
    "Asked whether the seedlings are already in stock.",
    "Called to reserve a gift card for a colleague.",
    "Question about the invoice date; explained the payment terms.",
    "Wanted advice on watering the plants bought last week.",
];
const CALL_OUT: &[&str] = &[
    "Called to thank for the order and asked how everything went.",
    "Left a voicemail about the new spring collection.",
    "Reminded about the reserved items waiting at the shop.",
    "Checked that the delivery arrived in good condition.",
    "Offered an early look at the Christmas selection.",
    "Called back about the quote; they will think it over.",
    "No answer; will try again next week.",
];
const EMAIL_IN: &[&str] = &[
    "Asked for the price list and delivery times.",
    "Sent photos of the garden and asked for suggestions.",
    "Thanked for the quick delivery.",
    "Asked whether we invoice companies with 14 days net.",
    "Requested a copy of the receipt for the accounts.",
    "Asked to be removed from the printed catalogue list.",
];
const EMAIL_OUT: &[&str] = &[
    "Sent the quote as requested.",
    "Sent the spring catalogue and the opening hours.",
    "Thanked for the purchase and attached care instructions.",
    "Sent an invitation to the customer evening.",
    "Confirmed the order and the pick-up date.",
    "Sent the loyalty discount code for the next visit.",
];
const MEETING: &[&str] = &[
    "Visited the shop; walked through the new range together.",
    "Met at their office to plan the autumn deliveries.",
    "Coffee at the shop; discussed a standing monthly order.",
    "Met at the garden fair; interested in the wholesale terms.",
    "Reviewed last year's orders and agreed on volume pricing.",
];
const NOTE: &[&str] = &[
    "Prefers to be contacted by email.",
    "Best reached in the mornings.",
    "Buys gifts for the whole team before Christmas.",
    "Interested in organic products only.",
    "Has a summer cottage; orders mostly in May and June.",
    "Was unhappy with a late delivery; handled with a discount.",
    "Mentioned a friend who might become a customer.",
];
const PROSPECT: &[&str] = &[
    "Stopped by and asked about prices; took a brochure.",
    "Filled in the contact form on the website.",
    "Met at the Christmas market; wants the newsletter.",
    "Asked for a quote; has not decided yet.",
    "Heard about us from a neighbour; may visit in spring.",
];

/// A plausible interaction of a random kind, with its direction (none for
/// meetings and notes) and text. Prospects get first-contact texts.
pub(crate) fn interaction(
    rng: &mut Rng,
    prospect: bool,
) -> (InteractionKind, Option<Direction>, &'static str) {
    let kind = InteractionKind::ALL[rng.weighted(&[40, 35, 10, 15])];
    let inbound = rng.chance(0.5);
    let direction = match kind {
        InteractionKind::Call | InteractionKind::Email if inbound => Some(Direction::Inbound),
        InteractionKind::Call | InteractionKind::Email => Some(Direction::Outbound),
        InteractionKind::Meeting | InteractionKind::Note => None,
    };
    if prospect && rng.chance(0.6) {
        return (kind, direction, rng.pick(PROSPECT));
    }
    let texts = match (kind, inbound) {
        (InteractionKind::Call, true) => CALL_IN,
        (InteractionKind::Call, false) => CALL_OUT,
        (InteractionKind::Email, true) => EMAIL_IN,
        (InteractionKind::Email, false) => EMAIL_OUT,
        (InteractionKind::Meeting, _) => MEETING,
        (InteractionKind::Note, _) => NOTE,
    };
    (kind, direction, rng.pick(texts))
}

pub(crate) const FOLLOWUP_REASONS: &[&str] = &[
    "Call back about the quote",
    "Send the spring catalogue",
    "Check that the delivery arrived",
    "Thank for the large order",
    "Invite to the Christmas evening",
    "Ask how the plants are doing",
    "Confirm next month's standing order",
    "Return the borrowed display stand",
];

pub(crate) const ORDER_NOTES: &[&str] = &[
    "Gift wrapped",
    "Picked up at the shop",
    "Home delivery",
    "Christmas gift",
    "Paid by invoice",
];

pub(crate) const REFUND_NOTES: &[&str] = &["Refund", "Returned item", "Damaged in delivery"];

pub(crate) const CUSTOMER_NOTES: &[&str] = &[
    "Prefers email to phone calls.",
    "Speaks Swedish at home; either language is fine.",
    "Orders for the office as well as for home.",
    "Allergic to lilies.",
    "Likes to hear about new arrivals first.",
    "Invoice to the company, delivery to home.",
];

pub(crate) const TAGS: &[&str] = &["garden", "newsletter", "christmas", "online", "events"];
