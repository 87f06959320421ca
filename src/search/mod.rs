//! Finding customers as the owner types (SPEC section 5), for the dashboard's
//! search box and `kanta lookup` alike: fuzzy over name, company, tags,
//! emails and city; a ref whole or by its start; a phone number in any form
//! (`domain::phone`); `ref:`, `phone:`, `email:`, `city:` and `tag:` narrow
//! a search to one field. Each hit can say which field matched.
//! May import: `domain` and `formats`; never the store or ratatui.
//!
//! The index is built once per data load and scanned per keystroke, so it
//! keeps every text folded and end to end, and passes most entries over with
//! a byte test before the matcher scores any.

mod text;

use std::collections::HashMap;

use memchr::memmem::Finder;
use nucleo_matcher::Matcher;
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};

use crate::domain::phone;
use crate::domain::{Customer, Listing};

use text::{Needles, Texts, fold, fold_into};

/// The most hits a search shows; more fit no screen.
pub(crate) const MAX_SHOWN: usize = 200;

/// Queries with at least this many digits and nothing else are phone queries
/// (fewer, and `ab 1` would hit every number with a 1).
const MIN_PHONE_DIGITS: usize = 3;
/// Above this many candidates (the first letters typed on a large store) only
/// the matches where each term starts a word are scored; the others rank
/// below them in store order. A letter inside a word scores below one starting
/// a word anyway, and scoring every match of `a` in 100,000 names takes longer
/// than a frame.
const SCORE_ALL_UP_TO: usize = 5_000;

/// Scores of the matches that are not fuzzy, above any fuzzy score (which
/// stays well below 10,000 for a query that fits the search box).
mod score {
    /// The ref typed whole: that customer first.
    pub(crate) const REF_WHOLE: u32 = 1_000_000;
    /// The phone number typed whole, in any of its forms.
    pub(crate) const PHONE_WHOLE: u32 = 30_000;
    /// The last digits of a number.
    pub(crate) const PHONE_LAST: u32 = 20_000;
    /// The start of a ref.
    pub(crate) const REF_START: u32 = 15_000;
    /// Digits elsewhere in a number.
    pub(crate) const PHONE_PART: u32 = 10_000;
}

/// What a customer is found by, borrowed from wherever the caller keeps it.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub(crate) reference: &'a str,
    pub(crate) name: &'a str,
    pub(crate) company: Option<&'a str>,
    pub(crate) emails: &'a [String],
    /// As written.
    pub(crate) phones: &'a [String],
    /// In E.164 as the store keys them, in the order of `phones`.
    pub(crate) phone_keys: &'a [Option<phone::Number>],
    pub(crate) city: Option<&'a str>,
    pub(crate) tags: &'a [String],
}

impl<'a> Entry<'a> {
    /// A stored customer, under the name shown for them.
    pub fn of(customer: &'a Customer, name: &'a str) -> Entry<'a> {
        Entry {
            reference: &customer.reference,
            name,
            company: customer.company.as_deref(),
            emails: &customer.emails,
            phones: &customer.phones,
            phone_keys: &customer.phones_e164,
            city: customer.city.as_deref(),
            tags: &customer.tags,
        }
    }

    /// A customer's listing, under their own name.
    pub fn listed(listing: &'a Listing) -> Entry<'a> {
        Entry {
            reference: &listing.reference,
            name: &listing.name,
            company: listing.company.as_deref(),
            emails: &listing.emails,
            phones: &listing.phones,
            phone_keys: &listing.phones_e164,
            city: listing.city.as_deref(),
            tags: &listing.tags,
        }
    }

    /// A customer known by name alone (not in the store's lists).
    pub(crate) fn named(name: &'a str) -> Entry<'a> {
        Entry {
            reference: "",
            name,
            company: None,
            emails: &[],
            phones: &[],
            phone_keys: &[],
            city: None,
            tags: &[],
        }
    }
}

/// An entry of the index that matched, with its score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub(crate) entry: u32,
    pub(crate) score: u32,
}

/// What a query found: its hits in store order, every one, or (among many
/// candidates) every one among the candidates before `upto` and, beyond,
/// every one that may be among the best ranked ([`Index::settle`]). A
/// query extending it tries its hits before `upto` and the candidates it
/// had beyond, so a few letters typed on a large store try only the first
/// candidates, not every customer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Found {
    pub(crate) hits: Vec<Hit>,
    pub(crate) upto: Option<u32>,
}

/// When the best hits among many candidates are settled ([`Index::settle`]).
struct Settle {
    /// The best score a hit can have, and how many with it settle the best.
    best: u32,
    limit: usize,
    /// Letters a later hit scoring more than 0 starts words with
    /// ([`text::word_starts`]), and the pairs of letters starting them
    /// ([`text::word_pairs`]).
    starts: u64,
    pairs: u64,
}

/// A scan of candidates for [`Index::settle`], given how many hits before
/// them had the best score.
type SettlingScan<'s> =
    dyn Fn(&mut dyn Iterator<Item = u32>, &mut Matcher, usize) -> Vec<Hit> + Sync + 's;

/// The candidates tried first among many; each block after is twice the one
/// before, so a search trying every one takes few blocks.
const FIRST_BLOCK: usize = 4_096;

/// The field a hit was found by, and its text as the customer has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// The name (shown with every hit anyway).
    Name,
    Company(String),
    Tag(String),
    Email(String),
    City(String),
    Ref(String),
    /// A phone as written.
    Phone(String),
}

/// The field a query is narrowed to by its prefix (`city:tampere`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    All,
    Ref,
    Phone,
    Email,
    City,
    Tag,
}

/// A query taken apart: its scope and the text to look for.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Query<'q> {
    scope: Scope,
    text: &'q str,
}

impl<'q> Query<'q> {
    fn parse(query: &'q str) -> Query<'q> {
        let query = query.trim();
        for (prefix, scope) in [
            ("ref:", Scope::Ref),
            ("phone:", Scope::Phone),
            ("email:", Scope::Email),
            ("city:", Scope::City),
            ("tag:", Scope::Tag),
        ] {
            if let Some(head) = query.get(..prefix.len())
                && head.eq_ignore_ascii_case(prefix)
            {
                return Query {
                    scope,
                    text: query[prefix.len()..].trim(),
                };
            }
        }
        Query {
            scope: Scope::All,
            text: query,
        }
    }

    /// The part of the texts a prefix narrows the query to.
    fn part(&self) -> Option<Part> {
        match self.scope {
            Scope::Email => Some(Part::Emails),
            Scope::City => Some(Part::City),
            Scope::Tag => Some(Part::Tags),
            _ => None,
        }
    }

    /// The digit strings of a phone query: any digits after `phone:`, three
    /// or more and phone punctuation alone otherwise; a national form is of
    /// `country`.
    fn phone_needles(&self, country: &str) -> Option<Vec<String>> {
        match self.scope {
            Scope::Phone => phone::query_needles(self.text, 1, country),
            Scope::All => phone::query_needles(self.text, MIN_PHONE_DIGITS, country),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Name, company and tags, folded (see [`fold`]): short, tried first.
    /// The company follows the name after a space, each tag after [`SEP`].
    names: Texts,
    /// Where the name ends and the tags begin in each of `names`.
    name_lengths: Vec<u16>,
    tags_starts: Vec<u16>,
    /// The letters starting a word of each of `names` ([`text::word_starts`]):
    /// a one-letter query, the slowest, is then bit tests alone.
    word_starts: Vec<u64>,
    /// The first two characters of each such word ([`text::word_pairs`]).
    word_pairs: Vec<u64>,
    /// Email addresses, then [`FIELD`] and the city, folded: tried when the
    /// names do not match. Kept apart because a fuzzy query matches almost
    /// any long text by scattered letters, which is slow to score and poor
    /// to rank.
    others: Texts,
    /// The entries ordered by their folded ref, to find a ref whole or by
    /// its start without trying every candidate.
    by_ref: Vec<u32>,
    /// Each phone's E.164 digits (one no number: its digits as written),
    /// phones separated by `|`.
    phones: Texts,
    /// The pairs of digits next to each other in each entry's `phones`
    /// ([`text::digit_pairs`]): a number without a needle's pairs is passed
    /// over without a search.
    phone_pairs: Vec<u64>,
    /// The config's `default_country`: a national form typed is its number.
    country: String,
    /// The ref, [`FIELD`], and the phones as written ([`SEP`] between):
    /// what a hit shows that the folded texts do not hold. Every byte kept
    /// per customer is held twice while a reload replaces the data.
    shown: Texts,
    /// What [`Index::put`] changed since the build; `None` until then, when
    /// entry `i` is row `i`.
    patched: Option<Box<Patched>>,
}

/// The rows put into an index after its build: each put appends an entry,
/// and the entry the row had before is retired.
#[derive(Debug, Clone, Default)]
struct Patched {
    /// The entries built: entry `i` below it is row `i`, unless retired.
    built: usize,
    /// The row of each entry from `built` on.
    rows: Vec<u32>,
    /// The entry of each row put.
    entries: HashMap<u32, u32>,
    /// One bit per entry: set for an entry whose row has a later one. Scans
    /// still find it; its hits are dropped when ranked.
    retired: Vec<u64>,
}

impl Patched {
    fn is_retired(&self, entry: u32) -> bool {
        self.retired
            .get(entry as usize / 64)
            .is_some_and(|word| word & (1 << (entry % 64)) != 0)
    }
}

/// Separates the items of one entry's list.
const SEP: char = '\u{1f}';
/// Separates the fields of one entry's text.
const FIELD: char = '\u{1e}';

/// A part of an entry's texts that a prefix narrows a query to.
#[derive(Clone, Copy)]
enum Part {
    Company,
    Tags,
    Emails,
    City,
}

impl Index {
    /// The index of `entries`; entry `i` is what hits name as `i`. A phone
    /// typed without a country code is one of `default_country`.
    pub fn build<'a>(entries: impl IntoIterator<Item = Entry<'a>>, default_country: &str) -> Index {
        let mut index = Index {
            country: default_country.to_string(),
            ..Index::default()
        };
        // One buffer, filled and pushed field after field: at 100,000
        // customers the allocations would cost more than the folding.
        let mut text = String::new();
        let mut refs = Vec::new();
        for e in entries {
            refs.push(index.push(&e, &mut text));
        }
        let mut by_ref: Vec<u32> = (0..index.len() as u32).collect();
        // Ties (refs folding alike) in entry order, as a stable sort would.
        by_ref.sort_unstable_by(|&a, &b| refs[a as usize].cmp(&refs[b as usize]).then(a.cmp(&b)));
        index.by_ref = by_ref;
        // Grown by doubling: up to half of each buffer would be slack.
        for texts in [
            &mut index.names,
            &mut index.others,
            &mut index.phones,
            &mut index.shown,
        ] {
            texts.shrink_to_fit();
        }
        index.name_lengths.shrink_to_fit();
        index.tags_starts.shrink_to_fit();
        index.word_starts.shrink_to_fit();
        index.word_pairs.shrink_to_fit();
        index.phone_pairs.shrink_to_fit();
        index
    }

    /// Puts `e` in as row `row`'s entry: a row past the last is added, an
    /// earlier row's entry replaced (its texts are no longer found). A
    /// window does this for the few customers another program changed,
    /// until the next load builds its index again: ties among hits then
    /// rank a row put after the others, not in the rows' order.
    pub fn put(&mut self, row: usize, e: &Entry<'_>) {
        let (Ok(row), Ok(entry)) = (u32::try_from(row), u32::try_from(self.len())) else {
            return;
        };
        let built = self.len();
        let patched = self.patched.get_or_insert_with(|| {
            Box::new(Patched {
                built,
                ..Patched::default()
            })
        });
        let before = match patched.entries.get(&row) {
            Some(&before) => Some(before),
            None if (row as usize) < patched.built => Some(row),
            None => None,
        };
        if let Some(before) = before
            && !patched.is_retired(before)
        {
            let word = before as usize / 64;
            if patched.retired.len() <= word {
                patched.retired.resize(word + 1, 0);
            }
            if let Some(bits) = patched.retired.get_mut(word) {
                *bits |= 1 << (before % 64);
            }
        }
        patched.rows.push(row);
        patched.entries.insert(row, entry);
        let folded = self.push(e, &mut String::new());
        // After the refs that fold alike: ties in entry order.
        let at = self
            .by_ref
            .partition_point(|&i| self.ref_order(i as usize, &folded).is_le());
        self.by_ref.insert(at, entry);
    }

    /// The row entry `entry` is, `None` for one retired.
    fn row_of(&self, entry: u32) -> Option<usize> {
        match &self.patched {
            None => Some(entry as usize),
            Some(p) if p.is_retired(entry) => None,
            Some(p) => match (entry as usize).checked_sub(p.built) {
                None => Some(entry as usize),
                Some(k) => p.rows.get(k).map(|&row| row as usize),
            },
        }
    }

    /// The entry of row `row`.
    fn entry_of(&self, row: usize) -> usize {
        self.patched
            .as_ref()
            .and_then(|p| p.entries.get(&u32::try_from(row).ok()?))
            .map_or(row, |&entry| entry as usize)
    }

    /// Appends `e`'s texts, `text` the buffer they are folded in; its ref
    /// folded is returned, for the order of refs.
    fn push(&mut self, e: &Entry<'_>, text: &mut String) -> String {
        let length = |text: &String| u16::try_from(text.len()).unwrap_or(u16::MAX);
        text.clear();
        fold_into(e.name, text);
        self.name_lengths.push(length(text));
        if let Some(company) = e.company {
            text.push(' ');
            fold_into(company, text);
        }
        self.tags_starts.push(length(text));
        for tag in e.tags {
            text.push(SEP);
            fold_into(tag, text);
        }
        self.names.push(text);
        self.word_starts.push(text::word_starts(text));
        self.word_pairs.push(text::word_pairs(text));
        text.clear();
        for (i, email) in e.emails.iter().enumerate() {
            if i > 0 {
                text.push(' ');
            }
            fold_into(email, text);
        }
        text.push(FIELD);
        fold_into(e.city.unwrap_or(""), text);
        self.others.push(text);
        text.clear();
        for (i, written) in e.phones.iter().enumerate() {
            if i > 0 {
                text.push('|');
            }
            match e.phone_keys.get(i).copied().flatten() {
                Some(number) => {
                    use std::fmt::Write;
                    let _ = write!(text, "{}", number.digits());
                }
                None => text.extend(written.chars().filter(char::is_ascii_digit)),
            }
        }
        self.phone_pairs.push(text::digit_pairs(text));
        self.phones.push_unscanned(text);
        text.clear();
        text.push_str(e.reference);
        text.push(FIELD);
        for (i, written) in e.phones.iter().enumerate() {
            if i > 0 {
                text.push(SEP);
            }
            text.push_str(written);
        }
        self.shown.push_unscanned(text);
        fold(e.reference)
    }

    /// Entry `at`'s ref, as the customer has it.
    fn reference(&self, at: usize) -> &str {
        let shown = self.shown.get(at);
        shown.split(FIELD).next().unwrap_or(shown)
    }

    /// Entry `at`'s phones as written, [`SEP`] between.
    fn written_phones(&self, at: usize) -> &str {
        self.shown
            .get(at)
            .split_once(FIELD)
            .map_or("", |(_, phones)| phones)
    }

    /// A part of entry `at`'s folded texts.
    fn part(&self, at: usize, part: Part) -> &str {
        let names = self.names.get(at);
        let offset = |lengths: &[u16]| usize::from(lengths.get(at).copied().unwrap_or(0));
        let (name_end, tags_start) = (offset(&self.name_lengths), offset(&self.tags_starts));
        let others = self.others.get(at);
        let (emails, city) = others.split_once(FIELD).unwrap_or((others, ""));
        match part {
            Part::Company => names.get(name_end..tags_start).unwrap_or("").trim_start(),
            Part::Tags => names.get(tags_start..).unwrap_or(""),
            Part::Emails => emails,
            Part::City => city,
        }
    }

    /// Entry `at`'s ref, folded as the query is, compared with `folded`.
    fn ref_order(&self, at: usize, folded: &str) -> std::cmp::Ordering {
        text::folded_chars(self.reference(at)).cmp(folded.chars())
    }

    /// Whether entry `at`'s ref, folded, starts with `folded`.
    fn ref_starts_with(&self, at: usize, folded: &str) -> bool {
        let mut reference = text::folded_chars(self.reference(at));
        folded.chars().all(|c| reference.next() == Some(c))
    }

    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// What `query` finds, in store order, with each hit's score. With
    /// `narrowed`, the queries this one extends (see [`narrows`]), each
    /// extending the one before, only what the last found is tried, so
    /// typing gets cheaper. The scores are those the best `limit`
    /// ([`Index::rank`]) are ranked by: once `limit` hits have the best score
    /// there is, a later hit cannot be among them and may be given 0.
    ///
    /// Among many candidates, the first letters typed on a large store, the
    /// candidates are tried in store order only until the best `limit` are
    /// settled and more than [`SCORE_ALL_UP_TO`] hits are found (see
    /// [`Found`]); the rest are tried only for hits that may rank.
    pub(crate) fn matches(
        &self,
        query: &str,
        matcher: &mut Matcher,
        narrowed: &[&Found],
        limit: usize,
    ) -> Found {
        let query = Query::parse(query);
        if query.text.is_empty() {
            return Found::default();
        }
        let many = self.candidates_len(narrowed) > SCORE_ALL_UP_TO;
        let folded = fold(query.text);
        let (hits, upto) = if let Some(needles) = query.phone_needles(&self.country) {
            // Each searcher set up once, not once per customer.
            let needles: Vec<Needle> = needles
                .iter()
                .map(|n| Needle {
                    pairs: text::digit_pairs(n),
                    finder: Finder::new(n.as_bytes()).into_owned(),
                    digits: n.clone(),
                })
                .collect();
            let candidates = self.candidates(narrowed);
            let hits = on_two_threads(&candidates, matcher, &|candidates, _| {
                candidates
                    .filter_map(|i| {
                        let score = self.phone_score(i as usize, &needles);
                        (score > 0).then_some(Hit { entry: i, score })
                    })
                    .collect()
            });
            (hits, None)
        } else {
            let fields = [&self.names, &self.others];
            let pattern = Pattern::parse(&folded, CaseMatching::Respect, Normalization::Never);
            let plain = pattern
                .atoms
                .iter()
                .all(|a| !a.negative && a.kind == AtomKind::Fuzzy);
            let one_letter = folded.len() == 1 && folded.bytes().all(|b| b.is_ascii_alphanumeric());
            match (query.scope, query.part()) {
                // `phone:` and no digits: nothing is a number; `ref:` is below.
                (Scope::Phone | Scope::Ref, _) => (Vec::new(), None),
                (_, Some(part)) => (
                    self.fuzzy_part(&pattern, part, self.candidates(narrowed), matcher),
                    None,
                ),
                _ if one_letter && many => {
                    self.one_letter(&folded, &fields, narrowed, matcher, limit)
                }
                _ if plain && many => self.settled(&pattern, &fields, narrowed, matcher, limit),
                _ => (
                    self.fuzzy(&pattern, &fields, self.candidates(narrowed), matcher),
                    None,
                ),
            }
        };
        let hits = match query.scope {
            Scope::All | Scope::Ref => merged(
                hits,
                self.ref_hits(&folded, ref_starts(&folded, query.scope)),
            ),
            _ => hits,
        };
        Found { hits, upto }
    }

    /// How many candidates a query narrowing `narrowed` has: more than
    /// [`SCORE_ALL_UP_TO`] when the last query's hits are not all known.
    fn candidates_len(&self, narrowed: &[&Found]) -> usize {
        match narrowed.last() {
            None => self.len(),
            Some(Found { hits, upto: None }) => hits.len(),
            Some(Found { upto: Some(_), .. }) => usize::MAX,
        }
    }

    /// Every candidate of a query narrowing `narrowed`, in store order.
    fn candidates<'c>(&'c self, narrowed: &'c [&'c Found]) -> Candidates<'c> {
        match narrowed.last() {
            None => Candidates::Range(0..self.len() as u32),
            Some(Found { hits, upto: None }) => Candidates::Hits(hits),
            Some(_) => Candidates::Entries(self.candidates_from(narrowed, 0).collect()),
        }
    }

    /// The candidates of a query narrowing `narrowed` from entry `from` on,
    /// in store order, as they are needed: the last query's hits below where
    /// it stopped trying, then beyond it those of the query before, and so
    /// on, then every entry beyond where the first stopped.
    fn candidates_from<'c>(
        &'c self,
        narrowed: &'c [&'c Found],
        from: u32,
    ) -> impl Iterator<Item = u32> + 'c {
        let mut runs = Vec::new();
        let mut from = from;
        let mut every = true;
        for last in narrowed.iter().rev() {
            let start = last.hits.partition_point(|h| h.entry < from);
            match last.upto {
                None => {
                    runs.push(Candidates::Hits(&last.hits[start..]));
                    every = false;
                    break;
                }
                Some(upto) => {
                    let end = last.hits.partition_point(|h| h.entry < upto).max(start);
                    runs.push(Candidates::Hits(&last.hits[start..end]));
                    from = from.max(upto);
                }
            }
        }
        if every {
            runs.push(Candidates::Range(from..(self.len() as u32).max(from)));
        }
        runs.into_iter().flat_map(Candidates::into_entries)
    }

    /// Whether entry `entry` was retired by a later [`Index::put`].
    fn is_retired(&self, entry: u32) -> bool {
        self.patched.as_ref().is_some_and(|p| p.is_retired(entry))
    }

    /// Fuzzy matches over `fields`, tried in order: the first that matches
    /// gives the score, every candidate scored. Many candidates are split
    /// over two threads, each with its own matcher, and the hits joined in
    /// candidate order. The texts are folded when the index is built, and
    /// the query alike.
    fn fuzzy(
        &self,
        pattern: &Pattern,
        fields: &[&Texts],
        candidates: Candidates<'_>,
        matcher: &mut Matcher,
    ) -> Vec<Hit> {
        let needles = Needles::of(pattern);
        let scan = Scan {
            fields,
            pattern,
            needles: &needles,
            score_few: false,
            best: u32::MAX,
            limit: usize::MAX,
            patched: None,
        };
        on_two_threads(&candidates, matcher, &|candidates, matcher| {
            scan.hits(candidates, matcher, 0)
        })
    }

    /// [`Index::fuzzy`] of plain fuzzy terms among many candidates: passing
    /// the scan is matching, and only the matches where each term starts a
    /// word of the name, company or tags are scored (a term inside a word
    /// scores below one starting it anyway); the others score 0 and rank
    /// below them in store order. Tried as [`Index::settle`] says; the
    /// scored matches beyond are those whose words start with each term's
    /// first two characters.
    fn settled(
        &self,
        pattern: &Pattern,
        fields: &[&Texts],
        narrowed: &[&Found],
        matcher: &mut Matcher,
        limit: usize,
    ) -> (Vec<Hit>, Option<u32>) {
        let needles = Needles::of(pattern);
        let scan = Scan {
            fields,
            pattern,
            needles: &needles,
            score_few: true,
            best: text::best_score(pattern),
            limit,
            patched: self.patched.as_deref(),
        };
        // A term starting with a mark starts no word of these: it does not
        // narrow which texts may score.
        let (mut starts, mut pairs) = (0, 0);
        for atom in &pattern.atoms {
            // The term found whole at a word start: its own words start
            // words of the text too.
            let term: String = atom.needle_text().chars().collect();
            if term.is_ascii() && term.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                starts |= text::word_starts(&term);
                pairs |= text::word_pairs(&term);
            }
        }
        let settle = Settle {
            best: scan.best,
            limit,
            starts,
            pairs,
        };
        self.settle(
            &settle,
            narrowed,
            matcher,
            &|candidates, matcher, at_best| scan.hits(candidates, matcher, at_best),
        )
    }

    /// The hits of a query among many candidates, with every hit that may
    /// be among the best `settle.limit`, and where trying every candidate
    /// stopped (`None`: it did not). The candidates are tried in store
    /// order, in blocks growing from [`FIRST_BLOCK`], until more than
    /// [`SCORE_ALL_UP_TO`] hits are found (the next letter typed has many
    /// candidates too) and the best are settled: `limit` hits have the best
    /// score there is, or `limit` score 0. Beyond, only the hits that may
    /// score more are then looked for, among the candidates starting words
    /// with `settle.starts`: a later hit scoring 0 ranks below those found.
    fn settle(
        &self,
        settle: &Settle,
        narrowed: &[&Found],
        matcher: &mut Matcher,
        scan: &SettlingScan<'_>,
    ) -> (Vec<Hit>, Option<u32>) {
        let mut candidates = self.candidates_from(narrowed, 0);
        let mut hits: Vec<Hit> = Vec::new();
        let (mut at_best, mut zeros) = (0, 0);
        let mut block = FIRST_BLOCK;
        let upto = loop {
            let tried: Vec<u32> = candidates.by_ref().take(block).collect();
            let Some(&last) = tried.last() else {
                return (hits, None);
            };
            let found = on_two_threads(&Candidates::Entries(tried), matcher, &|c, m| {
                scan(c, m, at_best)
            });
            for hit in &found {
                if self.is_retired(hit.entry) {
                    continue;
                }
                if hit.score >= settle.best {
                    at_best += 1;
                } else if hit.score == 0 {
                    zeros += 1;
                }
            }
            hits.extend(found);
            if hits.len() > SCORE_ALL_UP_TO && (at_best >= settle.limit || zeros >= settle.limit) {
                break last + 1;
            }
            block = block.saturating_mul(2);
        };
        // A hit that may rank above those found starts words with them.
        let (starts, pairs) = (settle.starts, settle.pairs);
        let mut scored = candidates.filter(|&i| {
            let at = i as usize;
            self.word_starts
                .get(at)
                .is_some_and(|w| w & starts == starts)
                && self.word_pairs.get(at).is_some_and(|w| w & pairs == pairs)
        });
        let mut block = FIRST_BLOCK;
        while at_best < settle.limit {
            let tried: Vec<u32> = scored.by_ref().take(block).collect();
            if tried.is_empty() {
                break;
            }
            let found = on_two_threads(&Candidates::Entries(tried), matcher, &|c, m| {
                scan(c, m, at_best)
            });
            for hit in found.into_iter().filter(|h| h.score > 0) {
                if hit.score >= settle.best && !self.is_retired(hit.entry) {
                    at_best += 1;
                }
                hits.push(hit);
            }
            block = block.saturating_mul(2);
        }
        (hits, Some(upto))
    }

    /// Fuzzy matches over one part of each entry's texts (`email:`, `city:`,
    /// `tag:`): rarer than a plain search, so its letters are not kept.
    fn fuzzy_part(
        &self,
        pattern: &Pattern,
        part: Part,
        candidates: Candidates<'_>,
        matcher: &mut Matcher,
    ) -> Vec<Hit> {
        let needles = Needles::of(pattern);
        let mut buf = Vec::new();
        candidates
            .into_entries()
            .filter_map(|i| {
                let text = self.part(i as usize, part);
                let letters = text::letters(text);
                if !needles.has_letters(letters) {
                    return None;
                }
                let haystack = text::haystack(text, &mut buf);
                if !needles.may_match(haystack, letters) {
                    return None;
                }
                let score = pattern.score(haystack, matcher)?;
                Some(Hit { entry: i, score })
            })
            .collect()
    }

    /// [`Index::fuzzy`] for one letter or digit among many candidates, by
    /// bit tests alone: a text holds it when its letters do, and a name
    /// where it starts a word scores what the matcher gives a name starting
    /// with it (the others 0, as when only word starts are scored). Tried
    /// as [`Index::settle`] says.
    fn one_letter(
        &self,
        folded: &str,
        fields: &[&Texts],
        narrowed: &[&Found],
        matcher: &mut Matcher,
        limit: usize,
    ) -> (Vec<Hit>, Option<u32>) {
        let bit = folded.chars().next().map_or(0, text::letter_bit);
        let pattern = Pattern::parse(folded, CaseMatching::Respect, Normalization::Never);
        let mut chars = Vec::new();
        let word_start = pattern
            .score(nucleo_matcher::Utf32Str::new(folded, &mut chars), matcher)
            .unwrap_or(0);
        let settle = Settle {
            best: word_start.max(1),
            limit,
            starts: bit,
            pairs: 0,
        };
        self.settle(&settle, narrowed, matcher, &|candidates, _, _| {
            let mut hits = Vec::with_capacity(candidates.size_hint().0);
            hits.extend(candidates.filter_map(|i| {
                let at = i as usize;
                let n = fields.iter().position(|t| t.letters(at) & bit != 0)?;
                let starts = n == 0 && self.word_starts.get(at).is_some_and(|w| w & bit != 0);
                Some(Hit {
                    entry: i,
                    score: if starts { word_start } else { 0 },
                })
            }));
            hits
        })
    }

    /// The entries whose ref is `folded` or, with `starts`, begins with it,
    /// in store order: found in the refs' sorted order, not by trying every
    /// candidate. A query extending another finds the same among all as
    /// among the other's hits: the ref typed whole is found whatever, and a
    /// ref starting with it starts with the other too ([`narrows`]).
    fn ref_hits(&self, folded: &str, starts: bool) -> Vec<Hit> {
        let first = self
            .by_ref
            .partition_point(|&i| self.ref_order(i as usize, folded).is_lt());
        let mut hits: Vec<Hit> = self.by_ref[first..]
            .iter()
            .map_while(|&entry| {
                let score = if self.ref_order(entry as usize, folded).is_eq() {
                    score::REF_WHOLE
                } else if starts && self.ref_starts_with(entry as usize, folded) {
                    score::REF_START
                } else {
                    return None;
                };
                Some(Hit { entry, score })
            })
            .collect();
        hits.sort_unstable_by_key(|h| h.entry);
        hits
    }

    /// The ref typed whole, or its start when `starts` (see [`ref_starts`]).
    fn ref_score(&self, at: usize, folded: &str, starts: bool) -> u32 {
        if self.reference(at).is_empty() {
            0
        } else if self.ref_order(at, folded).is_eq() {
            score::REF_WHOLE
        } else if starts && self.ref_starts_with(at, folded) {
            score::REF_START
        } else {
            0
        }
    }

    /// The best of how `needles` meet the entry's numbers: a whole number, its
    /// last digits, or digits within it.
    fn phone_score(&self, at: usize, needles: &[Needle]) -> u32 {
        let pairs = self.phone_pairs.get(at).copied().unwrap_or(0);
        let forms = self.phones.get(at);
        let mut best = 0;
        for Needle {
            digits: needle,
            finder,
            pairs: needs,
        } in needles
        {
            if pairs & needs != *needs || finder.find(forms.as_bytes()).is_none() {
                continue;
            }
            for form in forms.split('|') {
                let score = if form == needle || phone::is_national_number(form, needle) {
                    score::PHONE_WHOLE
                } else if form.ends_with(needle.as_str()) {
                    score::PHONE_LAST
                } else if form.contains(needle.as_str()) {
                    score::PHONE_PART
                } else {
                    0
                };
                best = best.max(score);
            }
        }
        best
    }

    /// The best `limit` hits as rows, best first; ties keep the store's
    /// order so results do not jump while typing. Retired entries (see
    /// [`Index::put`]) are passed by.
    pub(crate) fn rank(&self, hits: &[Hit], limit: usize) -> Vec<usize> {
        // The best `limit` in one pass, the worst of them on top: a hit goes
        // in only when it is better, which few of many are.
        let mut best: std::collections::BinaryHeap<(std::cmp::Reverse<u32>, u32)> =
            std::collections::BinaryHeap::with_capacity(limit.saturating_add(1).min(hits.len()));
        let retired = |entry: u32| self.patched.as_ref().is_some_and(|p| p.is_retired(entry));
        for hit in hits {
            if retired(hit.entry) {
                continue;
            }
            let key = (std::cmp::Reverse(hit.score), hit.entry);
            if best.len() < limit {
                best.push(key);
            } else if best.peek().is_some_and(|worst| key < *worst) {
                best.pop();
                best.push(key);
            }
        }
        best.into_sorted_vec()
            .into_iter()
            .take(limit)
            .filter(|&(_, i)| (i as usize) < self.len())
            .filter_map(|(_, i)| self.row_of(i))
            .collect()
    }

    /// Entries matching `query`, best first, at most `limit`.
    pub fn find(&self, query: &str, matcher: &mut Matcher, limit: usize) -> Vec<usize> {
        self.rank(&self.matches(query, matcher, &[], limit).hits, limit)
    }

    /// The field entry `at` was found by for `query` (one of the hits of
    /// [`Index::matches`]), with its text as the customer has it.
    pub fn matched(&self, at: usize, query: &str, matcher: &mut Matcher) -> Matched {
        self.matched_all(&[at], query, matcher)
            .pop()
            .unwrap_or(Matched::Name)
    }

    /// [`Index::matched`] of each of `rows`, the query read once.
    pub(crate) fn matched_all(
        &self,
        rows: &[usize],
        query: &str,
        matcher: &mut Matcher,
    ) -> Vec<Matched> {
        let query = Query::parse(query);
        let folded = fold(query.text);
        let mut look = Look {
            starts: ref_starts(&folded, query.scope),
            needles: query.phone_needles(&self.country),
            pattern: Pattern::parse(&folded, CaseMatching::Respect, Normalization::Never),
            scope: query.scope,
            folded,
            chars: Vec::new(),
        };
        rows.iter()
            .map(|&row| self.matched_with(self.entry_of(row), &mut look, matcher))
            .collect()
    }

    fn matched_with(&self, at: usize, look: &mut Look, matcher: &mut Matcher) -> Matched {
        let shown_ref = || Matched::Ref(self.reference(at).to_string());
        let by_ref = self.ref_score(at, &look.folded, look.starts);
        if look.scope == Scope::Ref || by_ref == score::REF_WHOLE {
            return shown_ref();
        }
        if let Some(needles) = &look.needles {
            let phones = self.phones.get(at).split('|');
            let written = self.written_phones(at).split(SEP);
            return phones
                .zip(written)
                .find(|(forms, _)| needles.iter().any(|n| forms.contains(n.as_str())))
                .map_or_else(shown_ref, |(_, written)| {
                    Matched::Phone(written.to_string())
                });
        }
        // Emails, tags, company and city are shown as the index keeps them,
        // folded: keeping them as written too would cost memory per customer.
        let first = |items: &str, between: char, look: &mut Look, matcher: &mut Matcher| {
            items
                .split(between)
                .find(|item| !item.is_empty() && look.fits_folded(item, matcher))
                .map(str::to_string)
        };
        match look.scope {
            Scope::Email => {
                return first(self.part(at, Part::Emails), ' ', look, matcher)
                    .map_or(Matched::Name, Matched::Email);
            }
            Scope::City => return Matched::City(self.part(at, Part::City).to_string()),
            Scope::Tag => {
                return first(self.part(at, Part::Tags), SEP, look, matcher)
                    .map_or(Matched::Name, Matched::Tag);
            }
            _ => {}
        }
        let names = self.names.get(at);
        let name_length = usize::from(self.name_lengths.get(at).copied().unwrap_or(0));
        if look.fits_folded(names.get(..name_length).unwrap_or(names), matcher) {
            return Matched::Name;
        }
        let company = self.part(at, Part::Company);
        if !company.is_empty() && look.fits_folded(company, matcher) {
            return Matched::Company(company.to_string());
        }
        if let Some(tag) = first(self.part(at, Part::Tags), SEP, look, matcher) {
            return Matched::Tag(tag);
        }
        if look.fits_folded(names, matcher) {
            return Matched::Name;
        }
        if by_ref > 0 {
            return shown_ref();
        }
        if let Some(email) = first(self.part(at, Part::Emails), ' ', look, matcher) {
            return Matched::Email(email);
        }
        let city = self.part(at, Part::City);
        if !city.is_empty() && look.fits_folded(city, matcher) {
            return Matched::City(city.to_string());
        }
        Matched::Name
    }
}

/// The digits of a phone query, with their searcher set up once for every
/// customer and the pairs of digits a number holding them has.
struct Needle {
    digits: String,
    finder: Finder<'static>,
    pairs: u64,
}

/// A query read once for telling many hits' fields, with buffers.
struct Look {
    scope: Scope,
    folded: String,
    starts: bool,
    needles: Option<Vec<String>>,
    pattern: Pattern,
    chars: Vec<char>,
}

impl Look {
    /// Whether the pattern matches a text already folded.
    fn fits_folded(&mut self, folded: &str, matcher: &mut Matcher) -> bool {
        self.pattern
            .score(
                nucleo_matcher::Utf32Str::new(folded, &mut self.chars),
                matcher,
            )
            .is_some()
    }
}

/// Two lists of hits in store order as one, an entry in both with the
/// better score.
fn merged(a: Vec<Hit>, b: Vec<Hit>) -> Vec<Hit> {
    if b.is_empty() {
        return a;
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    loop {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x.entry == y.entry => {
                out.push(Hit {
                    entry: x.entry,
                    score: x.score.max(y.score),
                });
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x.entry < y.entry => {
                out.push(*x);
                i += 1;
            }
            (_, Some(y)) => {
                out.push(*y);
                j += 1;
            }
            (Some(x), None) => {
                out.push(*x);
                i += 1;
            }
            (None, None) => return out,
        }
    }
}

/// Whether typed text may be the start of a ref rather than of a word: two
/// characters or more, one a digit.
fn may_be_ref(folded: &str) -> bool {
    folded.chars().count() >= 2 && folded.bytes().any(|b| b.is_ascii_digit())
}

/// Whether a ref's start is looked for: after `ref:`, or with a digit in
/// what was typed (`k` alone is the start of a name, not of every `K…`).
fn ref_starts(folded: &str, scope: Scope) -> bool {
    scope == Scope::Ref || (scope == Scope::All && may_be_ref(folded))
}

/// Whether every match of `query` is also a match of `previous`, so `query`
/// need only be tried on `previous`'s matches: it extends it, in the same
/// scope and mode (phone or not), without negation (`!x` matches more as it
/// grows).
pub fn narrows(previous: &str, query: &str) -> bool {
    let (before, now) = (Query::parse(previous), Query::parse(query));
    !before.text.is_empty()
        && before.scope == now.scope
        && now.text.starts_with(before.text)
        && !now.text.contains('!')
        && before.phone_needles("").map(|n| n.len()) == now.phone_needles("").map(|n| n.len())
        // A ref typed whole ranks first in any mode; its start only with a
        // digit in it: the start of a ref must not appear later.
        && may_be_ref(&fold(before.text)) == may_be_ref(&fold(now.text))
}

/// Candidates at and above this many are scanned by two threads.
const SPLIT_FROM: usize = 20_000;

/// Candidates of a scan, in store order.
enum Candidates<'c> {
    Range(std::ops::Range<u32>),
    Hits(&'c [Hit]),
    Entries(Vec<u32>),
    Listed(&'c [u32]),
}

impl<'c> Candidates<'c> {
    fn len(&self) -> usize {
        match self {
            Candidates::Range(range) => range.len(),
            Candidates::Hits(hits) => hits.len(),
            Candidates::Entries(entries) => entries.len(),
            Candidates::Listed(entries) => entries.len(),
        }
    }

    fn entries(&self) -> Entries<'_> {
        match self {
            Candidates::Range(range) => Entries::Range(range.clone()),
            Candidates::Hits(hits) => Entries::Hits(hits.iter()),
            Candidates::Entries(entries) => Entries::Listed(entries.iter()),
            Candidates::Listed(entries) => Entries::Listed(entries.iter()),
        }
    }

    fn into_entries(self) -> Entries<'c> {
        match self {
            Candidates::Range(range) => Entries::Range(range),
            Candidates::Hits(hits) => Entries::Hits(hits.iter()),
            Candidates::Entries(entries) => Entries::Owned(entries.into_iter()),
            Candidates::Listed(entries) => Entries::Listed(entries.iter()),
        }
    }

    /// The first half and the second.
    fn halves(&self) -> (Candidates<'_>, Candidates<'_>) {
        match self {
            Candidates::Range(range) => {
                let middle = range.start + (range.end - range.start) / 2;
                (
                    Candidates::Range(range.start..middle),
                    Candidates::Range(middle..range.end),
                )
            }
            Candidates::Hits(hits) => {
                let (first, second) = hits.split_at(hits.len() / 2);
                (Candidates::Hits(first), Candidates::Hits(second))
            }
            Candidates::Entries(entries) => {
                let (first, second) = entries.split_at(entries.len() / 2);
                (Candidates::Listed(first), Candidates::Listed(second))
            }
            Candidates::Listed(entries) => {
                let (first, second) = entries.split_at(entries.len() / 2);
                (Candidates::Listed(first), Candidates::Listed(second))
            }
        }
    }
}

/// The entries of [`Candidates`], one after another.
enum Entries<'c> {
    Range(std::ops::Range<u32>),
    Hits(std::slice::Iter<'c, Hit>),
    Listed(std::slice::Iter<'c, u32>),
    Owned(std::vec::IntoIter<u32>),
}

impl Iterator for Entries<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        match self {
            Entries::Range(range) => range.next(),
            Entries::Hits(hits) => hits.next().map(|h| h.entry),
            Entries::Listed(entries) => entries.next().copied(),
            Entries::Owned(entries) => entries.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Entries::Range(range) => range.size_hint(),
            Entries::Hits(hits) => hits.size_hint(),
            Entries::Listed(entries) => entries.size_hint(),
            Entries::Owned(entries) => entries.size_hint(),
        }
    }
}

/// A scan's hits over the candidates, in their order: split over two
/// threads, each with its own matcher, when they are many.
fn on_two_threads(
    candidates: &Candidates<'_>,
    matcher: &mut Matcher,
    scan: &(dyn Fn(&mut dyn Iterator<Item = u32>, &mut Matcher) -> Vec<Hit> + Sync),
) -> Vec<Hit> {
    if candidates.len() < SPLIT_FROM {
        return scan(&mut candidates.entries(), matcher);
    }
    let (first, second) = candidates.halves();
    std::thread::scope(|scope| {
        let later = scope.spawn(|| {
            let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
            scan(&mut second.entries(), &mut matcher)
        });
        let mut hits = scan(&mut first.entries(), matcher);
        match later.join() {
            Ok(rest) => hits.extend(rest),
            // A thread that cannot finish: its half is scanned here.
            Err(_) => hits.extend(scan(&mut second.entries(), matcher)),
        }
        hits
    })
}

/// One fuzzy query's scan of candidates, shared by the threads that run it.
struct Scan<'q> {
    fields: &'q [&'q Texts],
    pattern: &'q Pattern,
    needles: &'q Needles,
    score_few: bool,
    /// The best score any text can have ([`text::best_score`]), and how
    /// many hits with it leave the later ones out of those ranked.
    best: u32,
    limit: usize,
    /// Retired entries are not ranked, so they do not count among those.
    patched: Option<&'q Patched>,
}

impl Scan<'_> {
    /// The hits among `candidates`, which come in store order. With
    /// `score_few`, once `limit` of them have the best score, the later
    /// ones score 0: ties rank in store order, so none of those later is
    /// among the best `limit` whatever it scores.
    /// `at_best`: how many candidates before these had the best score.
    fn hits(
        &self,
        candidates: &mut dyn Iterator<Item = u32>,
        matcher: &mut Matcher,
        at_best: usize,
    ) -> Vec<Hit> {
        let mut buf = Vec::new();
        // Room for every candidate: only the pages written are ever touched,
        // and the hits are not copied again as they grow.
        let mut hits = Vec::with_capacity(candidates.size_hint().0);
        let mut at_best = at_best;
        hits.extend(candidates.filter_map(|i| {
            let at = i as usize;
            for (n, texts) in self.fields.iter().enumerate() {
                if !self.needles.has_letters(texts.letters(at)) {
                    continue;
                }
                let haystack = texts.haystack(at, &mut buf);
                if !self.needles.may_match(haystack, texts.letters(at)) {
                    continue;
                }
                let score = if !self.score_few {
                    self.pattern.score(haystack, matcher)
                } else if n == 0 && at_best < self.limit && self.needles.start_words(haystack) {
                    let score = self.pattern.score(haystack, matcher).unwrap_or(0);
                    if score >= self.best && self.patched.is_none_or(|p| !p.is_retired(i)) {
                        at_best += 1;
                    }
                    Some(score)
                } else {
                    Some(0)
                };
                if let Some(score) = score {
                    return Some(Hit { entry: i, score });
                }
            }
            None
        }));
        hits
    }
}

#[cfg(test)]
mod tests;
