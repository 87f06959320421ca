//! The search index (built once per data load) and its matching: fuzzy over
//! name, company, emails and tags; phone numbers by digits however written.

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Matcher, Utf32Str, chars};

use crate::domain::{Customer, CustomerId};

use super::data::CustomerRow;

/// Queries with at least this many digits and nothing else are phone queries.
const MIN_PHONE_DIGITS: usize = 3;
/// Above this many matches (the first letters typed on a large store) only
/// the matches where each term starts a word are scored; the others rank
/// below them in store order. A letter inside a word scores below one starting
/// a word anyway, and scoring every match of `a` in 100,000 names takes longer
/// than a frame.
const SCORE_ALL_UP_TO: usize = 5_000;

/// An entry of the index that matched, with its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: u32,
    pub score: u32,
}

#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// Name, company and tags, folded (see [`fold`]): short, tried first.
    names: Texts,
    /// Email addresses, tried when the names do not match. Kept apart because
    /// a fuzzy query matches almost any long text by scattered letters, which
    /// is slow to score and poor to rank.
    emails: Texts,
    /// Each phone as digits, and again in national form (`0` for `358`),
    /// separated by spaces.
    phones: Texts,
}

/// One text per entry (entry `i` is row `i` of `DashboardData::customers`),
/// end to end in one buffer: a scan of every entry then reads memory in order,
/// which at 100,000 customers matters more than anything done per text.
#[derive(Debug, Clone, Default)]
struct Texts {
    text: String,
    ends: Vec<u32>,
    /// The [`letters`] of each text.
    letters: Vec<u64>,
}

/// Set in a text's letters when it is not ASCII.
const NOT_ASCII: u64 = 1 << 63;

impl Texts {
    fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.letters.push(letters(text));
    }

    fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    fn letters(&self, i: usize) -> u64 {
        self.letters.get(i).copied().unwrap_or(0)
    }

    /// Text `i` as the matcher reads it; `buf` holds it when not ASCII.
    fn haystack<'a>(&'a self, i: usize, buf: &'a mut Vec<char>) -> Utf32Str<'a> {
        let text = self.get(i);
        if self.letters(i) & NOT_ASCII == 0 {
            Utf32Str::Ascii(text.as_bytes())
        } else {
            Utf32Str::new(text, buf)
        }
    }
}

impl SearchIndex {
    pub fn build(rows: &[CustomerRow], customers: &[Customer]) -> SearchIndex {
        let by_id: std::collections::HashMap<CustomerId, &Customer> =
            customers.iter().map(|c| (c.id, c)).collect();
        let mut index = SearchIndex::default();
        let mut text = String::new();
        for r in rows {
            text.clear();
            text.push_str(&r.name);
            let customer = by_id.get(&r.id);
            for part in customer
                .iter()
                .flat_map(|c| c.company.iter().chain(&c.tags))
            {
                text.push(' ');
                text.push_str(part);
            }
            index.names.push(&fold(&text));
            let emails = customer.map(|c| c.emails.join(" ")).unwrap_or_default();
            index.emails.push(&fold(&emails));
            let phones: Vec<String> = customer
                .iter()
                .flat_map(|c| &c.phones)
                .flat_map(|p| phone_forms(p))
                .collect();
            index.phones.push(&phones.join(" "));
        }
        index
    }

    pub fn len(&self) -> usize {
        self.names.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.ends.is_empty()
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
        let all = 0..self.len() as u32;
        let candidates: Box<dyn ExactSizeIterator<Item = u32> + '_> = match within {
            Some(w) => Box::new(w.iter().map(|h| h.entry)),
            None => Box::new(all),
        };
        if let Some(digits) = phone_query(query) {
            return candidates
                .filter(|&i| self.phones.get(i as usize).contains(&digits))
                .map(|entry| Hit { entry, score: 0 })
                .collect();
        }
        // Haystacks are folded when the index is built, so the query is folded
        // alike and matched as it is.
        let pattern = Pattern::parse(&fold(query), CaseMatching::Respect, Normalization::Never);
        let needles = Needles::of(&pattern);
        // For plain fuzzy terms, passing the scan is matching: when there are
        // many candidates, only those starting words are scored.
        let fuzzy = pattern
            .atoms
            .iter()
            .all(|a| !a.negative && a.kind == AtomKind::Fuzzy);
        let score_few = fuzzy && candidates.len() > SCORE_ALL_UP_TO;
        let mut buf = Vec::new();
        candidates
            .filter_map(|i| {
                let at = i as usize;
                let names = self.names.haystack(at, &mut buf);
                let score = if needles.may_match(names, self.names.letters(at)) {
                    if !score_few || needles.start_words(names) {
                        pattern.score(names, matcher).unwrap_or(0)
                    } else {
                        0
                    }
                } else {
                    let emails = self.emails.haystack(at, &mut buf);
                    if !needles.may_match(emails, self.emails.letters(at)) {
                        return None;
                    }
                    if score_few {
                        0
                    } else {
                        pattern.score(emails, matcher)?
                    }
                };
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
            .map(|(_, i)| i as usize)
            .filter(|&i| i < self.len())
            .collect()
    }

    /// Rows matching `query`, best first, at most `limit`.
    pub fn find(&self, query: &str, matcher: &mut Matcher, limit: usize) -> Vec<usize> {
        self.rank(&self.matches(query, matcher, None), limit)
    }
}

/// Text as the index keeps it: lower case, accents dropped (`Mäkinen` is
/// `makinen`), so most names are ASCII, which the matcher scores fastest.
fn fold(text: &str) -> String {
    text.chars()
        .map(|c| chars::normalize(chars::to_lower_case(c)))
        .collect()
}

/// A bit for each ASCII letter and digit in `text`: a text lacking one of a
/// query's is passed over with one AND.
fn letters(text: &str) -> u64 {
    let ascii = if text.is_ascii() { 0 } else { NOT_ASCII };
    text.chars()
        .map(letter_bit)
        .fold(ascii, |bits, bit| bits | bit)
}

fn letter_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 0,
    }
}

/// The characters each positive term of a pattern needs, in order: a text
/// without them as a subsequence cannot match, and a byte scan says so far
/// faster than scoring it.
struct Needles {
    terms: Vec<Term>,
    /// The letters and digits of every term.
    letters: u64,
}

struct Term {
    chars: Vec<char>,
    /// The same as bytes, when all ASCII (else no ASCII text can match).
    ascii: Option<Vec<u8>>,
}

impl Needles {
    fn of(pattern: &Pattern) -> Needles {
        let terms: Vec<Term> = pattern
            .atoms
            .iter()
            .filter(|a| !a.negative)
            .map(|a| {
                let chars: Vec<char> = a.needle_text().chars().collect();
                let ascii = chars
                    .iter()
                    .map(|&c| u8::try_from(c).ok().filter(u8::is_ascii))
                    .collect();
                Term { chars, ascii }
            })
            .collect();
        let letters = terms
            .iter()
            .flat_map(|t| &t.chars)
            .fold(0, |bits, &c| bits | letter_bit(c));
        Needles { terms, letters }
    }

    /// Whether `text`, whose [`letters`] are `letters`, may match.
    fn may_match(&self, text: Utf32Str<'_>, letters: u64) -> bool {
        letters & self.letters == self.letters
            && self.terms.iter().all(|term| match text {
                Utf32Str::Ascii(bytes) => term
                    .ascii
                    .as_ref()
                    .is_some_and(|needle| ascii_subsequence(needle, bytes)),
                Utf32Str::Unicode(text) => subsequence(&term.chars, text),
            })
    }
}

impl Needles {
    /// Whether each term occurs whole at the start of a word of `text`.
    /// Texts not in ASCII are given the benefit of the doubt.
    fn start_words(&self, text: Utf32Str<'_>) -> bool {
        let Utf32Str::Ascii(bytes) = text else {
            return true;
        };
        self.terms.iter().all(|term| {
            term.ascii.as_ref().is_some_and(|needle| {
                // Names are short: a plain scan beats setting up a searcher.
                (0..bytes.len()).any(|at| {
                    bytes[at..].starts_with(needle)
                        && (at == 0 || !bytes[at - 1].is_ascii_alphanumeric())
                })
            })
        })
    }
}

fn ascii_subsequence(needle: &[u8], mut text: &[u8]) -> bool {
    for &b in needle {
        // Short texts: a plain scan beats a vectorised one's setup.
        match text.iter().position(|&t| t == b) {
            Some(at) => text = &text[at + 1..],
            None => return false,
        }
    }
    true
}

/// Whether `needle` occurs in `text` in order, not necessarily together.
fn subsequence(needle: &[char], mut text: &[char]) -> bool {
    for &c in needle {
        match text.iter().position(|&t| t == c) {
            Some(at) => text = &text[at + 1..],
            None => return false,
        }
    }
    true
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
#[path = "search_tests.rs"]
mod tests;
