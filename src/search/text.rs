//! The index's texts and the cheap tests that pass most of them over before
//! the matcher scores any.

use nucleo_matcher::Utf32Str;
use nucleo_matcher::chars;
use nucleo_matcher::pattern::Pattern;

/// One text per entry, end to end in one buffer: a scan of every entry then
/// reads memory in order, which at 100,000 customers matters more than
/// anything done per text.
#[derive(Debug, Clone, Default)]
pub(super) struct Texts {
    text: String,
    ends: Vec<u32>,
    /// The [`letters`] of each text.
    letters: Vec<u64>,
}

/// Set in a text's letters when it is not ASCII.
pub(super) const NOT_ASCII: u64 = 1 << 63;

impl Texts {
    pub(crate) fn push(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
        self.letters.push(letters(text));
    }

    /// A text only ever read whole, never scanned: no letters are kept.
    pub(crate) fn push_unscanned(&mut self, text: &str) {
        self.text.push_str(text);
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }

    pub(crate) fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.letters.shrink_to_fit();
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn get(&self, i: usize) -> &str {
        let start = match i.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(start);
        self.text.get(start as usize..end as usize).unwrap_or("")
    }

    pub(crate) fn letters(&self, i: usize) -> u64 {
        self.letters.get(i).copied().unwrap_or(0)
    }

    /// Text `i` as the matcher reads it; `buf` holds it when not ASCII.
    pub(crate) fn haystack<'a>(&'a self, i: usize, buf: &'a mut Vec<char>) -> Utf32Str<'a> {
        let text = self.get(i);
        if self.letters(i) & NOT_ASCII == 0 {
            Utf32Str::Ascii(text.as_bytes())
        } else {
            Utf32Str::new(text, buf)
        }
    }
}

/// A text as the matcher reads it; `buf` holds it when not ASCII.
pub(super) fn haystack<'a>(text: &'a str, buf: &'a mut Vec<char>) -> Utf32Str<'a> {
    if text.is_ascii() {
        Utf32Str::Ascii(text.as_bytes())
    } else {
        Utf32Str::new(text, buf)
    }
}

/// Text as the index keeps it: lower case, accents dropped (`Mäkinen` is
/// `makinen`), so most names are ASCII, which the matcher scores fastest.
pub(super) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    fold_into(text, &mut out);
    out
}

/// [`fold`], written at the end of `out`.
pub(super) fn fold_into(text: &str, out: &mut String) {
    // Most names are ASCII, folded bytewise: the tables are for the rest.
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
    } else {
        out.extend(folded_chars(text));
    }
}

/// The characters of [`fold`]`(text)`, without making it.
pub(super) fn folded_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().map(fold_char)
}

/// One character lower case without its accent. In ASCII that is only
/// the lower case: the matcher's tables fold nothing else there, and a
/// look-up in them costs more than the rest of building the index.
fn fold_char(c: char) -> char {
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        chars::normalize(chars::to_lower_case(c))
    }
}

/// A bit for each ASCII letter and digit in `text`: a text lacking one of a
/// query's is passed over with one AND.
pub(super) fn letters(text: &str) -> u64 {
    let ascii = if text.is_ascii() { 0 } else { NOT_ASCII };
    text.chars()
        .map(letter_bit)
        .fold(ascii, |bits, bit| bits | bit)
}

/// The [`letter_bit`]s of the letters and digits that start a word of
/// `text` (at its start or after anything else), as [`Needles::start_words`]
/// sees them: every bit for a text not in ASCII.
pub(super) fn word_starts(text: &str) -> u64 {
    if !text.is_ascii() {
        return u64::MAX;
    }
    let mut starts = 0;
    let mut after_word = false;
    for b in text.bytes() {
        let in_word = b.is_ascii_alphanumeric();
        if in_word && !after_word {
            starts |= letter_bit(char::from(b));
        }
        after_word = in_word;
    }
    starts
}

/// A bit for the first two characters of each word of `text` starting
/// with a letter or digit (at its start or after anything else), as
/// [`Needles::start_words`] sees them; one bit for several pairs. Every bit
/// for a text not in ASCII. A word of one character has no pair.
pub(super) fn word_pairs(text: &str) -> u64 {
    if !text.is_ascii() {
        return u64::MAX;
    }
    let bytes = text.as_bytes();
    let mut pairs = 0;
    for (at, pair) in bytes.windows(2).enumerate() {
        let starts = at == 0
            || bytes
                .get(at - 1)
                .is_some_and(|b| !b.is_ascii_alphanumeric());
        if starts && pair[0].is_ascii_alphanumeric() {
            pairs |= 1 << ((u32::from(pair[0]) * 31 + u32::from(pair[1])) % 64);
        }
    }
    pairs
}

/// A bit for each pair of digits next to each other in `text` (one bit for
/// several pairs: the pair's number modulo 64): a text lacking one of a
/// needle's pairs does not hold it.
pub(super) fn digit_pairs(text: &str) -> u64 {
    text.as_bytes()
        .windows(2)
        .filter(|pair| pair.iter().all(u8::is_ascii_digit))
        .fold(0, |bits, pair| {
            let number = (pair[0] - b'0') * 10 + (pair[1] - b'0');
            bits | 1 << (number % 64)
        })
}

pub(super) fn letter_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 0,
    }
}

/// The characters each positive term of a pattern needs, in order: a text
/// without them as a subsequence cannot match, and a byte scan says so far
/// faster than scoring it.
pub(super) struct Needles {
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
    pub(crate) fn of(pattern: &Pattern) -> Needles {
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

    /// Whether a text with these [`letters`] has every letter and digit of
    /// the terms: the first, cheapest test.
    pub(crate) fn has_letters(&self, letters: u64) -> bool {
        letters & self.letters == self.letters
    }

    /// Whether `text`, whose [`letters`] are `letters`, may match.
    pub(crate) fn may_match(&self, text: Utf32Str<'_>, letters: u64) -> bool {
        letters & self.letters == self.letters
            && self.terms.iter().all(|term| match text {
                Utf32Str::Ascii(bytes) => term
                    .ascii
                    .as_ref()
                    .is_some_and(|needle| ascii_subsequence(needle, bytes)),
                Utf32Str::Unicode(text) => subsequence(&term.chars, text),
            })
    }

    /// Whether each term occurs whole at the start of a word of `text`.
    /// Texts not in ASCII are given the benefit of the doubt.
    pub(crate) fn start_words(&self, text: Utf32Str<'_>) -> bool {
        let Utf32Str::Ascii(bytes) = text else {
            return true;
        };
        self.terms.iter().all(|term| {
            term.ascii.as_ref().is_some_and(|needle| {
                let Some(&first) = needle.first() else {
                    return !bytes.is_empty();
                };
                // Names are short: a plain scan beats setting up a searcher,
                // and a byte compared first beats comparing from every byte.
                bytes.iter().enumerate().any(|(at, &b)| {
                    b == first
                        && (at == 0
                            || bytes
                                .get(at - 1)
                                .is_some_and(|p| !p.is_ascii_alphanumeric()))
                        && bytes.get(at..).is_some_and(|rest| rest.starts_with(needle))
                })
            })
        })
    }
}

/// What the matcher (nucleo-matcher's fuzzy scoring) gives each character
/// matched, and the most it adds for where it is: a word start after white
/// space, counted twice for a term's first character. Gaps only take away.
const SCORE_MATCH: u32 = 16;
const BEST_BONUS: u32 = 10;

/// The highest score the matcher can give `pattern` in any text, for plain
/// fuzzy terms: a term found whole at the start of a text or after white
/// space scores it (a test holds it to the matcher).
pub(super) fn best_score(pattern: &Pattern) -> u32 {
    pattern
        .atoms
        .iter()
        .map(|atom| {
            let chars = atom.needle_text().chars().count() as u32;
            SCORE_MATCH * chars + BEST_BONUS * (chars + 1)
        })
        .sum()
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
