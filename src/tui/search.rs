//! The search index (built once per data load) and its matching: fuzzy over
//! name, company, emails and tags; phone numbers by digits however written.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32Str, Utf32String};

use crate::domain::{Customer, CustomerId};

use super::data::CustomerRow;

/// Queries with at least this many digits and nothing else are phone queries.
const MIN_PHONE_DIGITS: usize = 3;

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    /// Index into `DashboardData::customers`.
    row: usize,
    haystack: Utf32String,
    /// Each phone as digits, and again in national form (`0` for `358`).
    phone_digits: Vec<String>,
}

impl SearchIndex {
    pub fn build(rows: &[CustomerRow], customers: &[Customer]) -> SearchIndex {
        let by_id: std::collections::HashMap<CustomerId, &Customer> =
            customers.iter().map(|c| (c.id, c)).collect();
        let entries = rows
            .iter()
            .enumerate()
            .map(|(row, r)| {
                let mut text = r.name.clone();
                let mut phone_digits = Vec::new();
                if let Some(c) = by_id.get(&r.id) {
                    for part in c.company.iter().chain(&c.emails).chain(&c.tags) {
                        text.push(' ');
                        text.push_str(part);
                    }
                    for phone in &c.phones {
                        phone_digits.extend(phone_forms(phone));
                    }
                }
                Entry {
                    row,
                    haystack: Utf32String::from(text),
                    phone_digits,
                }
            })
            .collect();
        SearchIndex { entries }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Rows matching `query`, best first, at most `limit`.
    pub fn find(&self, query: &str, matcher: &mut Matcher, limit: usize) -> Vec<usize> {
        let query = query.trim();
        if query.is_empty() {
            return Vec::new();
        }
        if let Some(digits) = phone_query(query) {
            return self
                .entries
                .iter()
                .filter(|e| e.phone_digits.iter().any(|p| p.contains(&digits)))
                .take(limit)
                .map(|e| e.row)
                .collect();
        }
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        let mut scored: Vec<(u32, usize)> = self
            .entries
            .iter()
            .filter_map(|e| {
                let hay: Utf32Str<'_> = e.haystack.slice(..);
                pattern.score(hay, matcher).map(|s| (s, e.row))
            })
            .collect();
        // Best score first; ties keep the store's order, so results do not jump.
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(limit);
        scored.into_iter().map(|(_, row)| row).collect()
    }
}

/// The digits of a query made only of phone characters, if there are enough.
fn phone_query(query: &str) -> Option<String> {
    let phone_chars = query
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')' | '.' | '/'));
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    (phone_chars && digits.len() >= MIN_PHONE_DIGITS).then_some(digits)
}

/// A number's digits, plus its national form when written internationally
/// (`+358 40 123 4567` is also `0401234567`).
fn phone_forms(phone: &str) -> Vec<String> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return Vec::new();
    }
    let mut forms = vec![digits.clone()];
    let international = digits.strip_prefix("00").or_else(|| {
        phone
            .trim_start()
            .starts_with('+')
            .then_some(digits.as_str())
    });
    if let Some(rest) = international.and_then(|d| d.strip_prefix("358")) {
        forms.push(format!("0{rest}"));
    } else if let Some(rest) = digits.strip_prefix("358") {
        forms.push(format!("0{rest}"));
    }
    forms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_forms_include_national() {
        assert_eq!(
            phone_forms("+358 40 123 4567"),
            vec!["358401234567", "0401234567"]
        );
        assert_eq!(phone_forms("040-1234567"), vec!["0401234567"]);
        assert_eq!(
            phone_forms("00358 40 1234567"),
            vec!["00358401234567", "0401234567"]
        );
        assert!(phone_forms("n/a").is_empty());
    }

    #[test]
    fn phone_queries_need_three_digits_and_no_letters() {
        assert_eq!(phone_query("040-123"), Some("040123".to_string()));
        assert_eq!(phone_query("+358 40"), Some("35840".to_string()));
        assert_eq!(phone_query("12"), None);
        assert_eq!(phone_query("ann 123"), None);
    }
}
