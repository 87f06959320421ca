//! `kanta lookup QUERY [--format table|json]`: the customers the dashboard's
//! search shows for QUERY (the same `crate::search`), best first, each with
//! ref, name, phone and stage, and the field that matched. Exit code 0 with
//! results, 1 with none: a softphone's script can tell a known caller.

use std::collections::HashMap;

use nucleo_matcher::Matcher;

use super::args::LookupFormat;
use super::{CliError, Context, write_output};
use crate::analytics::summarize;
use crate::report::{Cell, Format, Report, render};
use crate::search::{self, Entry, Index, Matched};

pub(crate) fn run(context: &Context, query: &str, format: LookupFormat) -> Result<(), CliError> {
    let store = context.open_store()?;
    let customers = store.listings()?;
    let facts = store.load_facts()?;
    let stages: HashMap<_, _> = summarize(&facts, context.today, &context.config.pyramid)
        .into_iter()
        .map(|s| (s.id, s.stage))
        .collect();
    let index = Index::build(
        customers.iter().map(Entry::listed),
        &context.config.default_country,
    );
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    let found = index.find(query, &mut matcher, search::MAX_SHOWN);
    let matched = index.matched_all(&found, query, &mut matcher);
    let rows = found
        .iter()
        .zip(matched)
        .filter_map(|(&at, matched)| {
            let customer = customers.get(at)?;
            let phone = match &matched {
                Matched::Phone(phone) => phone.clone(),
                _ => customer.phones.first().cloned().unwrap_or_default(),
            };
            let stage = stages.get(&customer.id).map_or("", |s| s.code());
            Some(vec![
                Cell::Text(customer.reference.clone()),
                Cell::Text(customer.name.clone()),
                Cell::Text(phone),
                Cell::Text(stage.to_string()),
                Cell::Text(matched_field(&matched).to_string()),
            ])
        })
        .collect::<Vec<_>>();
    let none = rows.is_empty();
    let report = Report {
        columns: vec!["ref", "name", "phone", "stage", "matched"],
        rows,
        json_header: vec![],
        notes: vec![],
    };
    let format = match format {
        LookupFormat::Table => Format::Table,
        LookupFormat::Json => Format::Json,
    };
    if !(none && format == Format::Table) {
        write_output(None, &render(&report, format, &context.config.currency))?;
    }
    if none {
        return Err(CliError::Failed(format!(
            "no customer matches {:?}",
            query.trim()
        )));
    }
    Ok(())
}

/// The name of the field a hit was found by.
fn matched_field(matched: &Matched) -> &'static str {
    match matched {
        Matched::Name => "name",
        Matched::Company(_) => "company",
        Matched::Tag(_) => "tag",
        Matched::Email(_) => "email",
        Matched::City(_) => "city",
        Matched::Ref(_) => "ref",
        Matched::Phone(_) => "phone",
    }
}
