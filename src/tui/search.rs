//! The search index (built once per data load) and its matching: fuzzy over
//! name, company, emails and tags; phone numbers by digits however written.

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32String};

use crate::domain::{Customer, CustomerId};

use super::data::CustomerRow;

/// Queries with at least this many digits and nothing else are phone queries.
const MIN_PHONE_DIGITS: usize = 3;

/// An entry of the index that matched, with its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: u32,
    pub score: u32,
}

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    entries: Vec<Entry>,
}

#[derive(Debug, Clone)]
struct Entry {
    /// Index into `DashboardData::customers`.
    row: usize,
    /// Name, company and tags: short, tried first.
    names: Utf32String,
    /// Email addresses, tried when the names do not match. Kept apart because
    /// a fuzzy query matches almost any long text by scattered letters, which
    /// is slow to score and poor to rank.
    emails: Option<Utf32String>,
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
                let mut emails = None;
                if let Some(c) = by_id.get(&r.id) {
                    for part in c.company.iter().chain(&c.tags) {
                        text.push(' ');
                        text.push_str(part);
                    }
                    if !c.emails.is_empty() {
                        emails = Some(Utf32String::from(c.emails.join(" ")));
                    }
                    for phone in &c.phones {
                        phone_digits.extend(phone_forms(phone));
                    }
                }
                Entry {
                    row,
                    names: Utf32String::from(text),
                    emails,
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

    /// Every entry matching `query` with its score, in store order. With
    /// `within`, only those entries are tried: the caller passes the matches of
    /// a query this one extends (see [`narrows`]), so typing gets cheaper.
    /// Phone matches all score 0: the store's order is as good as any.
    pub fn matches(&self, query: &str, matcher: &mut Matcher, within: Option<&[Hit]>) -> Vec<Hit> {
        let query = query.trim();
        if query.is_empty() {
            return Vec::new();
        }
        let all = 0..self.entries.len() as u32;
        let candidates: Box<dyn Iterator<Item = u32> + '_> = match within {
            Some(w) => Box::new(w.iter().map(|h| h.entry)),
            None => Box::new(all),
        };
        let entry = |i: u32| self.entries.get(i as usize);
        if let Some(digits) = phone_query(query) {
            return candidates
                .filter(|&i| {
                    entry(i).is_some_and(|e| e.phone_digits.iter().any(|p| p.contains(&digits)))
                })
                .map(|entry| Hit { entry, score: 0 })
                .collect();
        }
        let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
        candidates
            .filter_map(|i| {
                let e = entry(i)?;
                let score = pattern.score(e.names.slice(..), matcher).or_else(|| {
                    let emails = e.emails.as_ref()?;
                    pattern.score(emails.slice(..), matcher)
                })?;
                Some(Hit { entry: i, score })
            })
            .collect()
    }

    /// The best `limit` hits as rows, best first; ties keep the store's order
    /// so results do not jump while typing.
    pub fn rank(&self, hits: &[Hit], limit: usize) -> Vec<usize> {
        let mut best: Vec<(std::cmp::Reverse<u32>, u32)> = hits
            .iter()
            .map(|h| (std::cmp::Reverse(h.score), h.entry))
            .collect();
        // Only the shown few need sorting.
        if best.len() > limit && limit > 0 {
            best.select_nth_unstable(limit - 1);
            best.truncate(limit);
        }
        best.sort_unstable();
        best.into_iter()
            .take(limit)
            .filter_map(|(_, i)| self.entries.get(i as usize).map(|e| e.row))
            .collect()
    }

    /// Rows matching `query`, best first, at most `limit`.
    pub fn find(&self, query: &str, matcher: &mut Matcher, limit: usize) -> Vec<usize> {
        self.rank(&self.matches(query, matcher, None), limit)
    }
}

/// Whether every match of `query` is also a match of `previous`, so `query`
/// need only be tried on `previous`'s matches: it extends it, in the same mode
/// (phone or fuzzy), without negation (`!x` matches more as it grows).
pub fn narrows(previous: &str, query: &str) -> bool {
    let (previous, query) = (previous.trim(), query.trim());
    !previous.is_empty()
        && query.starts_with(previous)
        && !query.contains('!')
        && phone_query(previous).is_some() == phone_query(query).is_some()
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
    fn narrowing_only_within_one_mode_and_without_negation() {
        assert!(narrows("ma", "mat"));
        assert!(narrows("040", "0401"));
        assert!(!narrows("04", "040"), "fuzzy to phone");
        assert!(!narrows("mat", "ma"));
        assert!(!narrows("!a", "!ab"));
        assert!(!narrows("", "a"));
    }

    #[test]
    fn phone_queries_need_three_digits_and_no_letters() {
        assert_eq!(phone_query("040-123"), Some("040123".to_string()));
        assert_eq!(phone_query("+358 40"), Some("35840".to_string()));
        assert_eq!(phone_query("12"), None);
        assert_eq!(phone_query("ann 123"), None);
    }
}
