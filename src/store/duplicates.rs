//! Finding records that may be the same person. Candidates come from buckets
//! of a shared key (email, phone, name and city), never from comparing every
//! pair, so 100,000 customers take well under a second.

use std::collections::HashMap;

use crate::domain::CustomerId;
use crate::domain::phone;

use super::values::Cols;
use super::{Store, StoreError};

/// Two customers that may be one person; `a < b`.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicatePair {
    pub a: CustomerId,
    pub b: CustomerId,
    /// 0..1, higher is more likely.
    pub score: f64,
    /// What they share, in words (`same email, similar name`).
    pub reason: String,
}

/// An email or phone shared by more records than this says nothing about any
/// two of them (a shop's shared address, a switchboard).
const MAX_BUCKET: usize = 8;
/// A name shared by more people than this in one city is a common name, not
/// a sign of a duplicate.
const MAX_NAMESAKES: usize = 3;
/// Distinct names in one similar-name block, compared pairwise.
const MAX_BLOCK: usize = 400;
const SIMILAR_NAME: f64 = 0.9;

/// A distinct name of a city, with the customers bearing it.
struct DistinctName<'a> {
    city: &'a str,
    ids: &'a [CustomerId],
    words: Vec<Vec<char>>,
}

/// A similar-name block: the city, which end of the words, and two letters
/// of each word from that end.
type BlockKey<'a> = (&'a str, bool, Vec<[char; 2]>);

#[derive(Default)]
struct Evidence {
    email: bool,
    phone: bool,
    same_name: bool,
    similar_name: f64,
}

impl Evidence {
    fn score(&self) -> f64 {
        let mut unlikely = 1.0;
        for (present, weight) in [
            (self.email, 0.95),
            (self.phone, 0.9),
            (self.same_name, 0.7),
            (self.similar_name > 0.0, 0.6 * self.similar_name),
        ] {
            if present {
                unlikely *= 1.0 - weight;
            }
        }
        1.0 - unlikely
    }

    fn reason(&self) -> String {
        let mut parts = Vec::new();
        if self.email {
            parts.push("same email");
        }
        if self.phone {
            parts.push("same phone");
        }
        if self.same_name {
            parts.push("same name and city");
        } else if self.similar_name > 0.0 {
            parts.push("similar name in the same city");
        }
        parts.join(", ")
    }
}

/// Lowercase, without diacritics and punctuation, spaces collapsed.
pub(crate) fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'š' | 'ś' => 's',
            'ž' | 'ź' | 'ż' => 'z',
            'ł' => 'l',
            'ř' => 'r',
            'ť' => 't',
            'ď' => 'd',
            'ß' => 's',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        };
        if base != ' ' || !out.ends_with(' ') {
            out.push(base);
        }
    }
    out.trim().to_string()
}

/// The name as compared: folded, words sorted, so "Virtanen Matti" is
/// "Matti Virtanen".
fn name_key(name: &str) -> String {
    let folded = fold(name);
    let mut words: Vec<&str> = folded.split(' ').collect();
    words.sort_unstable();
    words.join(" ")
}

/// Jaro-Winkler similarity, 0..1.
pub(crate) fn jaro_winkler(a: &[char], b: &[char]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a == b { 1.0 } else { 0.0 };
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = vec![false; b.len()];
    let mut a_matched = Vec::with_capacity(a.len());
    for (i, ca) in a.iter().enumerate() {
        let low = i.saturating_sub(window);
        let high = (i + window + 1).min(b.len());
        if let Some(j) = (low..high).find(|&j| !b_used[j] && b[j] == *ca) {
            b_used[j] = true;
            a_matched.push(*ca);
        }
    }
    let matches = a_matched.len();
    if matches == 0 {
        return 0.0;
    }
    let b_matched = b
        .iter()
        .zip(&b_used)
        .filter(|(_, used)| **used)
        .map(|(c, _)| c);
    let transpositions = a_matched
        .iter()
        .zip(b_matched)
        .filter(|(x, y)| x != y)
        .count()
        / 2;
    let m = matches as f64;
    let jaro = (m / a.len() as f64 + m / b.len() as f64 + (m - transpositions as f64) / m) / 3.0;
    let prefix = a.iter().zip(b).take(4).take_while(|(x, y)| x == y).count();
    jaro + prefix as f64 * 0.1 * (1.0 - jaro)
}

fn words(key: &str) -> Vec<Vec<char>> {
    key.split(' ').map(|w| w.chars().collect()).collect()
}

/// How alike two names are, word by word (words sorted): the least alike
/// pair of words. Comparing whole names would make "Matti Korhonen" and
/// "Matti Koskinen" alike through their shared first name. Words whose
/// lengths differ by more than a typo's one letter are not alike at all:
/// Jaro-Winkler alone finds "Laine" close to "Lahtinen".
fn name_similarity(x: &[Vec<char>], y: &[Vec<char>]) -> f64 {
    if x.len() != y.len() || x.iter().zip(y).any(|(a, b)| a.len().abs_diff(b.len()) > 1) {
        return 0.0;
    }
    x.iter()
        .zip(y)
        .map(|(a, b)| jaro_winkler(a, b))
        .fold(1.0, f64::min)
}

fn pairs_of(bucket: &[CustomerId]) -> impl Iterator<Item = (CustomerId, CustomerId)> + '_ {
    bucket
        .iter()
        .enumerate()
        .flat_map(move |(i, &x)| bucket[i + 1..].iter().map(move |&y| (x.min(y), x.max(y))))
}

impl Store {
    /// Pairs of customers that may be the same person, most likely first:
    /// the same email (any case), the same normalised phone, the same name in
    /// the same city, or names at least 0.9 alike (Jaro-Winkler) in one city.
    /// Erased customers are left out.
    pub fn duplicate_candidates(&self) -> Result<Vec<DuplicatePair>, StoreError> {
        let mut evidence: HashMap<(CustomerId, CustomerId), Evidence> = HashMap::new();
        for (sql, is_email) in [
            (
                "SELECT e.customer_id, lower(trim(e.email)) FROM customer_emails e
              JOIN customers c ON c.id = e.customer_id WHERE c.erased = 0",
                true,
            ),
            (
                "SELECT p.customer_id, p.phone_normalized, p.phone_extension FROM customer_phones p
              JOIN customers c ON c.id = p.customer_id WHERE c.erased = 0",
                false,
            ),
        ] {
            let mut buckets: HashMap<String, Vec<CustomerId>> = HashMap::new();
            let mut stmt = self.conn.prepare(sql)?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let c = Cols::new(
                    row,
                    if is_email {
                        "customer_emails"
                    } else {
                        "customer_phones"
                    },
                    0,
                )?;
                let key = if is_email {
                    c.text(1)?
                } else {
                    // Stored as E.164 by the one phone rule, read in the
                    // store's default_country.
                    phone::line_key(&c.text(1)?, c.opt_text(2)?.as_deref())
                };
                let bucket = buckets.entry(key).or_default();
                if !bucket.contains(&c.id) {
                    bucket.push(c.id);
                }
            }
            for bucket in buckets
                .values()
                .filter(|b| (2..=MAX_BUCKET).contains(&b.len()))
            {
                for pair in pairs_of(bucket) {
                    let e = evidence.entry(pair).or_default();
                    if is_email {
                        e.email = true
                    } else {
                        e.phone = true
                    }
                }
            }
        }
        self.name_evidence(&mut evidence)?;
        let mut pairs: Vec<DuplicatePair> = evidence
            .into_iter()
            .map(|((a, b), e)| DuplicatePair {
                a,
                b,
                score: e.score(),
                reason: e.reason(),
            })
            .collect();
        pairs.sort_by(|x, y| {
            y.score
                .total_cmp(&x.score)
                .then(x.a.cmp(&y.a))
                .then(x.b.cmp(&y.b))
        });
        Ok(pairs)
    }

    /// Name evidence works on the distinct names of each city: a name more
    /// than `MAX_NAMESAKES` people share there (a demo store has many Matti
    /// Virtanens) says nothing about any two of them and is left out, which
    /// also keeps the list of pairs short.
    fn name_evidence(
        &self,
        evidence: &mut HashMap<(CustomerId, CustomerId), Evidence>,
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name, city FROM customers WHERE erased = 0 ORDER BY id")?;
        let mut rows = stmt.query([])?;
        // (city, name key) -> the customers bearing it
        let mut namesakes: HashMap<(String, String), Vec<CustomerId>> = HashMap::new();
        while let Some(row) = rows.next()? {
            let c = Cols::new(row, "customers", 0)?;
            let key = name_key(&c.text(1)?);
            if key.is_empty() {
                continue;
            }
            let city = fold(&c.opt_text(2)?.unwrap_or_default());
            namesakes.entry((city, key)).or_default().push(c.id);
        }
        namesakes.retain(|_, ids| ids.len() <= MAX_NAMESAKES);
        for ids in namesakes.values() {
            for pair in pairs_of(ids) {
                evidence.entry(pair).or_default().same_name = true;
            }
        }
        // Similar names are looked for among the distinct names of a city
        // with the same first two letters in every word, or the same last
        // two: one typo keeps a name in at least one of its two blocks.
        let names: Vec<DistinctName<'_>> = namesakes
            .iter()
            .map(|((city, key), ids)| DistinctName {
                city,
                ids,
                words: words(key),
            })
            .collect();
        let mut blocks: HashMap<BlockKey<'_>, Vec<usize>> = HashMap::new();
        for (index, name) in names.iter().enumerate() {
            let (city, name_words) = (name.city, &name.words);
            for from_end in [false, true] {
                let signature = name_words
                    .iter()
                    .map(|w| {
                        let (first, last) = (w.first().copied(), w.last().copied());
                        let second = w.get(1).copied().or(first);
                        let before_last = w
                            .len()
                            .checked_sub(2)
                            .and_then(|i| w.get(i).copied())
                            .or(last);
                        if from_end {
                            [before_last.unwrap_or(' '), last.unwrap_or(' ')]
                        } else {
                            [first.unwrap_or(' '), second.unwrap_or(' ')]
                        }
                    })
                    .collect();
                blocks
                    .entry((city, from_end, signature))
                    .or_default()
                    .push(index);
            }
        }
        for block in blocks
            .values()
            .filter(|b| (2..=MAX_BLOCK).contains(&b.len()))
        {
            for (i, &x) in block.iter().enumerate() {
                for &y in &block[i + 1..] {
                    let similarity = name_similarity(&names[x].words, &names[y].words);
                    if similarity < SIMILAR_NAME {
                        continue;
                    }
                    for &a in names[x].ids {
                        for &b in names[y].ids {
                            let e = evidence.entry((a.min(b), a.max(b))).or_default();
                            e.similar_name = e.similar_name.max(similarity);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jw(a: &str, b: &str) -> f64 {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        jaro_winkler(&a, &b)
    }

    #[test]
    fn jaro_winkler_matches_the_textbook_examples() {
        // Winkler's examples: MARTHA/MARHTA 0.961, DIXON/DICKSONX 0.813.
        assert!((jw("martha", "marhta") - 0.9611).abs() < 1e-3);
        assert!((jw("dixon", "dicksonx") - 0.8133).abs() < 1e-3);
        assert_eq!(jw("same", "same"), 1.0);
        assert_eq!(jw("abc", "xyz"), 0.0);
    }

    #[test]
    fn names_are_alike_only_when_every_word_is() {
        let alike = |a: &str, b: &str| name_similarity(&words(&name_key(a)), &words(&name_key(b)));
        assert!(alike("Jonathan Smith", "Jonathon Smith") >= SIMILAR_NAME);
        assert!(alike("Matti Korhonen", "Matti Koskinen") < SIMILAR_NAME);
        assert!(alike("Hilla Laine", "Hilla Lahtinen") < SIMILAR_NAME);
        assert!(alike("Aino Kärki", "Aino Kärkkäinen") < SIMILAR_NAME);
        assert!(alike("Mikko Nieminen", "Mikko Niemine") >= SIMILAR_NAME);
        assert_eq!(alike("Anna Maria Laine", "Anna Laine"), 0.0);
    }

    #[test]
    fn names_fold_diacritics_case_and_word_order() {
        assert_eq!(name_key("Virtanen,  Mäkelä-Öhman"), "makela ohman virtanen");
        assert_eq!(
            name_key("Mäkelä Öhman Virtanen"),
            name_key("virtanen makela ohman")
        );
    }
}
