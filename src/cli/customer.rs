//! `kanta customer show|export|erase|duplicates|merge`.

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Write};

use super::args::CustomerCommand;
use super::{CliError, Context, say, write_output};
use crate::analytics::summarize;
use crate::domain::Customer;
use crate::domain::terminal::terminal_safe;
use crate::report::{Cell, Format, Report, format_money, format_rate, render};
use crate::store::Store;
use crate::store::copies::customer_export_text;

pub(crate) fn run(context: &Context, command: CustomerCommand) -> Result<(), CliError> {
    let mut store = context.open_store()?;
    match command {
        CustomerCommand::Show { reference } => show(context, &store, &reference),
        CustomerCommand::Export { reference, save } => {
            let customer = find(&store, &reference)?;
            if save {
                let path = store.export_customer_to_file(customer.id, context.today)?;
                return say(&format!("exported to {}", path.display()));
            }
            let value = store.export_customer(customer.id)?;
            write_output(None, &customer_export_text(&value))
        }
        CustomerCommand::Erase { reference, yes } => erase(&mut store, &reference, yes),
        CustomerCommand::Duplicates => duplicates(context, &store),
        CustomerCommand::Merge { keep, other } => {
            let kept = find(&store, &keep)?;
            let merged = find(&store, &other)?;
            store.merge_customers(kept.id, merged.id)?;
            say(&format!(
                "merged {other} into {keep}: its orders, history and fields are now {keep}'s"
            ))
        }
    }
}

fn find(store: &Store, reference: &str) -> Result<Customer, CliError> {
    store
        .customer_by_ref(reference)?
        .ok_or_else(|| CliError::BadInput(format!("no customer has the ref {reference:?}")))
}

/// `customer show` takes what the search takes: a ref, else anything that
/// finds one customer (a phone number in any form, a name, `email:…`).
/// Several found: they are listed, to choose one by ref.
fn show(context: &Context, store: &Store, query: &str) -> Result<(), CliError> {
    if let Some(customer) = store.customer_by_ref(query)? {
        return say(&card_text(context, store, &customer)?);
    }
    let customers = store.customers()?;
    let index = crate::search::Index::build(
        customers
            .iter()
            .map(|c| crate::search::Entry::of(c, &c.name)),
        &context.config.default_country,
    );
    let mut matcher = nucleo_matcher::Matcher::new(nucleo_matcher::Config::DEFAULT);
    let found = index.find(query, &mut matcher, 10);
    match found.as_slice() {
        [] => Err(CliError::BadInput(format!(
            "no customer has the ref {query:?}, and the search finds nobody for it"
        ))),
        [at] => match customers.get(*at) {
            Some(customer) => say(&card_text(context, store, customer)?),
            None => Err(CliError::Failed("the search lost its customer".into())),
        },
        many => {
            let names: Vec<String> = many
                .iter()
                .filter_map(|&at| customers.get(at))
                .map(|c| {
                    format!(
                        "{} ({})",
                        terminal_safe(&c.name),
                        terminal_safe(&c.reference)
                    )
                })
                .collect();
            Err(CliError::BadInput(format!(
                "{query:?} finds {} customers: {}; show one by its ref",
                many.len(),
                names.join(", ")
            )))
        }
    }
}

/// The customer's card as text: what `customer show` and `call` print.
pub(super) fn card_text(
    context: &Context,
    store: &Store,
    customer: &Customer,
) -> Result<String, CliError> {
    let facts = store.load_facts()?;
    let index = facts.iter().position(|f| f.id == customer.id);
    let summaries = summarize(&facts, context.today, &context.config.pyramid);
    let mut lines = vec![format!(
        "{} ({})",
        terminal_safe(&customer.name),
        terminal_safe(&customer.reference)
    )];
    let mut field = |label: &str, value: String| {
        if !value.is_empty() {
            lines.push(format!("  {label:<12} {}", terminal_safe(&value)));
        }
    };
    field("company", customer.company.clone().unwrap_or_default());
    field("email", customer.emails.join(", "));
    field("phone", customer.phones.join(", "));
    let place = [customer.address.clone(), customer.city.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    field("address", place);
    field("tags", customer.tags.join(", "));
    field(
        "source",
        customer
            .source
            .map(|s| s.code().to_string())
            .unwrap_or_default(),
    );
    if let Some(referrer) = customer
        .referred_by
        .and_then(|id| store.customer(id).ok().flatten())
    {
        field("referred by", referrer.reference);
    }
    if let Some(summary) = index.and_then(|i| summaries.get(i)) {
        field("stage", summary.stage.code().to_string());
        field(
            "purchases",
            format!(
                "{} days, {} {}",
                summary.frequency,
                format_money(summary.monetary_cents),
                context.config.currency
            ),
        );
        if let Some((r, f, m)) = summary.rfm {
            let segment = summary.segment.map(|s| s.name()).unwrap_or("");
            field("rfm", format!("R{r} F{f} M{m} {segment}"));
        }
    }
    if let Ok(churn) =
        crate::analytics::churn::churn_report(&facts, context.today, context.config.churn.model)
        && let Some(row) = churn.rows.iter().find(|r| Some(r.index) == index)
    {
        field("P(alive)", format_rate(row.p_alive));
        field(
            "next 12 mo",
            format!("{:.2} purchase days expected", row.expected_365d),
        );
        if let Some(revenue) = row.expected_revenue_365d {
            let doubtful = if churn.spend_is_doubtful() {
                " (doubtful: spend and frequency are correlated)"
            } else {
                ""
            };
            field(
                "exp. revenue",
                format!(
                    "{} {} in the next 12 months{doubtful}",
                    format_money((revenue * 100.0).round() as i64),
                    context.config.currency
                ),
            );
        }
    }
    field("notes", customer.notes.replace('\n', " / "));
    let orders = store.orders_of(customer.id)?;
    if !orders.is_empty() {
        lines.push(format!("  orders ({}), newest first:", orders.len()));
        for order in orders.iter().take(10) {
            lines.push(format!(
                "    {}  {:>12}",
                order.order_date,
                format_money(order.amount_cents)
            ));
        }
    }
    let interactions = store.interactions_of(customer.id)?;
    if !interactions.is_empty() {
        lines.push(format!(
            "  contacts ({}), newest first:",
            interactions.len()
        ));
        for i in interactions.iter().take(10) {
            let at = i.at.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M");
            lines.push(format!(
                "    {at}  {:<7} {}",
                i.kind.code(),
                terminal_safe(&i.text)
            ));
        }
    }
    let followups: Vec<_> = store
        .followups_of(customer.id)?
        .into_iter()
        .filter(|f| f.status == crate::domain::FollowUpStatus::Open)
        .collect();
    if !followups.is_empty() {
        lines.push("  open follow-ups:".to_string());
        for f in &followups {
            let reason = crate::i18n::followups::reason(
                crate::i18n::Lang::En,
                f.figures.as_ref(),
                &f.reason,
                context.today,
            );
            let expired = crate::analytics::rules::is_expired(
                f,
                context.today,
                context.config.rules.expire_after_days,
            );
            let mark = if expired { " (expired)" } else { "" };
            lines.push(format!("    {}  {}{mark}", f.due, terminal_safe(&reason)));
        }
    }
    Ok(lines.join("\n"))
}

fn erase(store: &mut Store, reference: &str, yes: bool) -> Result<(), CliError> {
    let customer = find(store, reference)?;
    if !yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::BadInput(
                "erasing cannot be undone; add --yes to erase without a question".into(),
            ));
        }
        eprint!(
            "Erase the personal data of {} ({})? Orders stay, anonymised. [y/N] ",
            terminal_safe(&customer.name),
            terminal_safe(&customer.reference)
        );
        let _ = std::io::stderr().flush();
        let mut answer = String::new();
        let _ = std::io::stdin().lock().read_line(&mut answer);
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return say("nothing erased");
        }
    }
    let swept = store.erase_customer_everywhere(customer.id)?;
    let mut lines = vec![format!(
        "erased {}: personal data removed, orders kept as erased-{}",
        terminal_safe(reference),
        customer.id
    )];
    for path in &swept.rewritten {
        lines.push(format!("erased from the backup {}", path.display()));
    }
    for path in &swept.deleted {
        lines.push(format!("deleted the export {}", path.display()));
    }
    for file in &swept.unvouched {
        lines.push(format!("cannot vouch for {}", terminal_safe(file)));
    }
    say(&lines.join("\n"))?;
    if swept.unvouched.is_empty() {
        Ok(())
    } else {
        Err(CliError::Failed(format!(
            "{} is erased from the store, but {} that kanta cannot vouch for may still hold their data (listed above)",
            terminal_safe(reference),
            match swept.unvouched.len() {
                1 => "one file".to_string(),
                n =>
                    crate::i18n::plural::count(crate::i18n::Lang::En, n, crate::i18n::plural::FILE),
            }
        )))
    }
}

fn duplicates(context: &Context, store: &Store) -> Result<(), CliError> {
    let pairs = store.duplicate_candidates()?;
    if pairs.is_empty() {
        return say("no likely duplicates");
    }
    let customers: HashMap<i64, Customer> =
        store.customers()?.into_iter().map(|c| (c.id, c)).collect();
    let who = |id: i64, name: bool| {
        customers
            .get(&id)
            .map(|c| {
                if name {
                    c.name.clone()
                } else {
                    c.reference.clone()
                }
            })
            .unwrap_or_default()
    };
    let report = Report {
        columns: vec!["ref", "name", "other ref", "other name", "score", "why"],
        rows: pairs
            .iter()
            .map(|p| {
                vec![
                    Cell::Text(who(p.a, false)),
                    Cell::Text(who(p.a, true)),
                    Cell::Text(who(p.b, false)),
                    Cell::Text(who(p.b, true)),
                    Cell::Real(p.score),
                    Cell::Text(p.reason.clone()),
                ]
            })
            .collect(),
        json_header: vec![],
        notes: vec![],
    };
    write_output(
        None,
        &render(&report, Format::Table, &context.config.currency),
    )
}
