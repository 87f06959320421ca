//! `kanta call NUMBER`: the caller's card in every open dashboard, or printed.

use chrono::Utc;

use super::customer::card_text;
use super::{CliError, Context, say};
use crate::store::Store;

pub(crate) fn run(context: &Context, number: &str) -> Result<(), CliError> {
    let country = &context.config.default_country;
    let normalized = crate::domain::phone::parse(number, country)
        .map_err(|e| CliError::BadInput(e.to_string()))?
        .e164;
    let mut store = context.open_store()?;
    let dashboards = store.open_dashboards()?;
    if dashboards.is_empty() {
        return say(&callers_text(context, &store, number, &normalized)?);
    }
    // The dashboards watch the store: the ring wakes them.
    store.ring(number, Utc::now())?;
    say(&match dashboards.len() {
        1 => format!("the call from {number} is shown in the open dashboard"),
        n => format!("the call from {number} is shown in the {n} open dashboards"),
    })
}

/// The card of everyone with this number, or a sentence saying nobody has it.
fn callers_text(
    context: &Context,
    store: &Store,
    number: &str,
    normalized: &str,
) -> Result<String, CliError> {
    let mut cards = Vec::new();
    for id in store.find_by_phone(normalized)? {
        if let Some(customer) = store.customer(id)? {
            cards.push(card_text(context, store, &customer)?);
        }
    }
    if cards.is_empty() {
        return Ok(format!(
            "no customer has the number {number}; in the dashboard `n` adds one"
        ));
    }
    Ok(cards.join("\n\n"))
}
