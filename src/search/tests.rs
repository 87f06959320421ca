//! The search's pieces and its answers over a few hand-made customers.

use nucleo_matcher::Utf32Str;

use super::text::{NOT_ASCII, digit_pairs, letters, word_pairs};
use super::*;

#[test]
fn folding_drops_case_and_accents() {
    assert_eq!(fold("Mäkinen ÅSA"), "makinen asa");
}

/// ASCII is folded without the matcher's tables: to the same letters.
#[test]
fn ascii_folds_as_the_matchers_tables_fold_it() {
    use nucleo_matcher::chars;
    let ascii: String = (0u8..128).map(char::from).collect();
    let by_tables: String = ascii
        .chars()
        .map(|c| chars::normalize(chars::to_lower_case(c)))
        .collect();
    assert_eq!(fold(&ascii), by_tables);
    // Within a text that is not all ASCII, too.
    assert_eq!(fold(&format!("{ascii}Ä")), format!("{by_tables}a"));
}

#[test]
fn needles_need_each_term_in_order() {
    let pattern = Pattern::parse("mat vir !x", CaseMatching::Respect, Normalization::Never);
    let needles = Needles::of(&pattern);
    let may = |t: &'static str| {
        let mut buf = Vec::new();
        needles.may_match(Utf32Str::new(t, &mut buf), letters(t))
    };
    assert!(may("matti virtanen"));
    assert!(may("virtanen matti"), "each term alone");
    assert!(may("matti virtanen 東京"), "unicode text");
    assert!(!may("matti koski"));
    assert!(!may("tam riv"));
}

#[test]
fn word_starts_only_after_a_non_letter() {
    let pattern = Pattern::parse("vir", CaseMatching::Respect, Normalization::Never);
    let needles = Needles::of(&pattern);
    let starts = |t: &'static str| needles.start_words(Utf32Str::Ascii(t.as_bytes()));
    assert!(starts("matti virtanen"));
    assert!(starts("virtanen"));
    assert!(starts("a.virtanen@example.com"));
    assert!(!starts("savirinne"));
}

#[test]
fn word_starts_are_the_letters_starting_words() {
    use super::text::{letter_bit, word_starts};
    let starts = word_starts("anna-liisa o'brien 2b");
    for c in ['a', 'l', 'o', 'b', '2'] {
        assert_ne!(starts & letter_bit(c), 0, "{c}");
    }
    for c in ['n', 'i', 'r', 'z'] {
        assert_eq!(starts & letter_bit(c), 0, "{c}");
    }
    assert_eq!(word_starts("東京"), u64::MAX);
}

#[test]
fn one_letter_among_many_scores_as_the_matcher_does_for_word_starts() {
    let names: Vec<String> = (0..6000)
        .map(|i| ["aino virtanen", "matti aho", "pekka koski"][i % 3].to_string())
        .collect();
    let index = Index::build(names.iter().map(|n| Entry::named(n)), "FI");
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    let hits = index.matches("a", &mut matcher, &[], 200).hits;
    assert_eq!(hits.len(), 6000, "every name holds an a");
    let pattern = Pattern::parse("a", CaseMatching::Respect, Normalization::Never);
    let mut buf = Vec::new();
    for hit in hits.iter().take(3) {
        let name = &names[hit.entry as usize];
        let expected = if name == "pekka koski" {
            0
        } else {
            pattern
                .score(Utf32Str::new(name, &mut buf), &mut matcher)
                .unwrap()
        };
        assert_eq!(hit.score, expected, "{name}");
    }
    assert_eq!(index.find("k", &mut matcher, 2), vec![2, 5]);
}

#[test]
fn texts_keep_each_entry_apart() {
    let mut texts = Texts::default();
    texts.push("anna");
    texts.push("");
    texts.push("mäki");
    assert_eq!(texts.get(0), "anna");
    assert_eq!(texts.get(1), "");
    assert_eq!(texts.get(2), "mäki");
    assert_eq!(texts.get(3), "");
    assert_eq!(texts.letters(2) & NOT_ASCII, NOT_ASCII);
    assert_eq!(texts.letters(0) & NOT_ASCII, 0);
}

#[test]
fn narrowing_only_within_one_mode_and_scope_and_without_negation() {
    assert!(narrows("ma", "mat"));
    assert!(narrows("040", "0401"));
    assert!(narrows("city:tu", "city:tur"));
    assert!(!narrows("04", "040"), "fuzzy to phone");
    assert!(!narrows("mat", "ma"));
    assert!(!narrows("!a", "!ab"));
    assert!(!narrows("", "a"));
    assert!(!narrows("city:t", "city:t tag:x") || narrows("city:t", "city:t tag:x"));
    assert!(!narrows("k", "k0"), "a name's start to a ref's");
    assert!(!narrows("tu", "city:tu"));
}

#[test]
fn prefixes_name_the_field() {
    assert_eq!(
        Query::parse(" City: Tampere "),
        Query {
            scope: Scope::City,
            text: "Tampere"
        }
    );
    assert_eq!(Query::parse("ref:K01").scope, Scope::Ref);
    assert_eq!(Query::parse("PHONE:4567").scope, Scope::Phone);
    assert_eq!(Query::parse("email:gmail").scope, Scope::Email);
    assert_eq!(Query::parse("tag:vip").scope, Scope::Tag);
    assert_eq!(Query::parse("matti").scope, Scope::All);
}

struct Person {
    reference: &'static str,
    name: &'static str,
    company: Option<&'static str>,
    emails: Vec<String>,
    phones: Vec<String>,
    keys: Vec<Option<phone::Number>>,
    city: Option<&'static str>,
    tags: Vec<String>,
}

fn person(reference: &'static str, name: &'static str) -> Person {
    Person {
        reference,
        name,
        company: None,
        emails: Vec::new(),
        phones: Vec::new(),
        keys: Vec::new(),
        city: None,
        tags: Vec::new(),
    }
}

fn with_phone(mut p: Person, written: &str) -> Person {
    let stored = crate::domain::phone::StoredPhone::lenient(written, "FI").unwrap();
    p.phones.push(written.into());
    p.keys.push(phone::Number::from_e164(&stored.normalized));
    p
}

fn people() -> Vec<Person> {
    let mut aino = with_phone(person("K000001", "Aino Virtanen"), "040-4803684");
    aino.company = Some("Kahvila Aino");
    aino.emails = vec!["aino@kahvila.fi".into()];
    aino.city = Some("Turku");
    aino.tags = vec!["vip".into()];
    let bertil = with_phone(person("K000002", "Bertil Ek"), "+46 70 123 45 67");
    let mut carla = with_phone(person("SHOP-0042", "Carla Rossi"), "+39 06 1234 5678");
    carla.city = Some("Tampere");
    let mut dan = with_phone(person("4803", "Dan Mäki"), "+358 9 1234 567 ext. 12");
    dan.emails = vec!["dan@example.com".into()];
    dan.tags = vec!["supplier".into()];
    vec![aino, bertil, carla, dan]
}

fn index_of(people: &[Person]) -> Index {
    index_in(people, "FI")
}

fn index_in(people: &[Person], country: &str) -> Index {
    Index::build(people.iter().map(entry), country)
}

fn found(index: &Index, query: &str) -> Vec<usize> {
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    index.find(query, &mut matcher, 10)
}

fn matched(index: &Index, query: &str, at: usize) -> Matched {
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    index.matched(at, query, &mut matcher)
}

#[test]
fn a_number_is_found_in_every_form_whatever_was_stored() {
    let people = people();
    let index = index_of(&people);
    for query in [
        "+358 40 480 3684",
        "+358404803684",
        "00358404803684",
        "+358 (0)40 480 3684",
        "+358 040 480 3684",
        "040-4803684",
        "0404803684",
        "040 480",
        "3684",
        "4803684",
        "phone:3684",
    ] {
        assert_eq!(found(&index, query).first(), Some(&0), "{query}");
        assert_eq!(
            matched(&index, query, 0),
            Matched::Phone("040-4803684".into()),
            "{query}"
        );
    }
    // Sweden's and Italy's numbers from abroad; at home in their own stores.
    assert_eq!(found(&index, "+46701234567"), vec![1]);
    assert_eq!(found(&index, "0046 70 123"), vec![1]);
    assert_eq!(found(&index, "+39 06 1234 5678"), vec![2]);
    assert_eq!(found(&index_in(&people, "SE"), "070-123 45 67"), vec![1]);
    assert_eq!(found(&index_in(&people, "IT"), "06 1234 5678"), vec![2]);
    // A national form of another country with a trunk 0 is found too.
    assert_eq!(found(&index, "070-123 45 67"), vec![1]);
    assert_eq!(found(&index_in(&people, "SE"), "040-4803684"), vec![0]);
    // The extension is no part of the number.
    assert_eq!(found(&index, "09 1234 567"), vec![3]);
    assert!(found(&index, "123456712").is_empty());
    assert!(found(&index, "0501234567").is_empty());
}

#[test]
fn the_whole_number_and_its_last_digits_rank_first() {
    let people = vec![
        with_phone(person("A", "Has it inside"), "040 3684 1111"),
        with_phone(person("B", "Ends with it"), "050 111 3684"),
        with_phone(person("C", "Is it"), "+358 40 480 3684"),
    ];
    let index = index_of(&people);
    assert_eq!(found(&index, "3684"), vec![1, 2, 0]);
    assert_eq!(found(&index, "0404803684")[0], 2);
}

#[test]
fn a_ref_whole_comes_first_and_its_start_finds_the_rest() {
    let people = people();
    let index = index_of(&people);
    assert_eq!(found(&index, "K000002"), vec![1]);
    assert_eq!(found(&index, "k000002"), vec![1]);
    assert_eq!(found(&index, "K0000"), vec![0, 1]);
    assert_eq!(found(&index, "shop-00"), vec![2]);
    assert_eq!(found(&index, "ref:shop"), vec![2]);
    assert_eq!(matched(&index, "K0000", 0), Matched::Ref("K000001".into()));
    // A numeric ref typed whole beats the phone whose digits it also is.
    assert_eq!(found(&index, "4803"), vec![3, 0]);
    assert_eq!(matched(&index, "4803", 3), Matched::Ref("4803".into()));
    // `k` is the start of a name, not of every ref.
    assert!(!ref_starts("k", Scope::All));
    assert!(ref_starts("k0", Scope::All));
    assert!(ref_starts("k", Scope::Ref));
    assert!(!ref_starts("k0", Scope::City));
    assert_eq!(index.ref_score(1, "k0", true), score::REF_START);
}

#[test]
fn fields_and_prefixes() {
    let people = people();
    let index = index_of(&people);
    assert_eq!(found(&index, "kahvila"), vec![0]);
    assert_eq!(
        matched(&index, "kahvila", 0),
        Matched::Company("kahvila aino".into())
    );
    assert_eq!(found(&index, "vip"), vec![0]);
    assert_eq!(matched(&index, "vip", 0), Matched::Tag("vip".into()));
    assert_eq!(found(&index, "tampere"), vec![2]);
    assert_eq!(
        matched(&index, "tampere", 2),
        Matched::City("tampere".into())
    );
    assert_eq!(found(&index, "city:turku"), vec![0]);
    assert!(found(&index, "city:aino").is_empty());
    assert_eq!(found(&index, "example.com"), vec![3]);
    assert_eq!(
        matched(&index, "example.com", 3),
        Matched::Email("dan@example.com".into())
    );
    assert_eq!(found(&index, "email:kahvila"), vec![0]);
    assert_eq!(found(&index, "tag:supp"), vec![3]);
    assert_eq!(
        matched(&index, "tag:supp", 3),
        Matched::Tag("supplier".into())
    );
    assert_eq!(found(&index, "maki"), vec![3]);
    assert_eq!(matched(&index, "mäki", 3), Matched::Name);
    assert!(found(&index, "phone:aino").is_empty());
}

#[test]
fn typing_on_finds_what_a_fresh_search_finds() {
    let people = people();
    let index = index_of(&people);
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    for typed in [
        "+358 (0)40 480 3684",
        "K000002",
        "city:tampere",
        "4803",
        "shop-0042",
    ] {
        for (query, rows, _) in typing(&index, typed, 10, 10) {
            assert_eq!(rows, index.find(&query, &mut matcher, 10), "{query}");
        }
    }
}

/// What each start of `typed` shows, typed a character at a time as the
/// search box does: each query tried on what the queries it extends found,
/// its best `limit` shown, those found settled as the best `settled` are;
/// with what it found. With `settled` `usize::MAX`, every candidate is
/// tried and every hit scored, as before the best were settled early.
fn typing(
    index: &Index,
    typed: &str,
    limit: usize,
    settled: usize,
) -> Vec<(String, Vec<usize>, Found)> {
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    let mut narrowing: Vec<(String, Found)> = Vec::new();
    let mut shown = Vec::new();
    for (end, _) in typed.char_indices().skip(1).chain([(typed.len(), ' ')]) {
        let query = &typed[..end];
        while narrowing.last().is_some_and(|(q, _)| !narrows(q, query)) {
            narrowing.pop();
        }
        let narrowed: Vec<&Found> = narrowing.iter().map(|(_, f)| f).collect();
        let found = index.matches(query, &mut matcher, &narrowed, settled);
        assert!(settled < usize::MAX || found.upto.is_none(), "{query}");
        shown.push((
            query.to_string(),
            index.rank(&found.hits, limit),
            found.clone(),
        ));
        narrowing.push((query.to_string(), found));
    }
    shown
}

/// A store of `n` generated customers: common first and last names, some
/// with a company, tags, emails and a city, a few written in other scripts
/// or with marks inside words, one seed.
fn generated(n: usize) -> Vec<Person> {
    const FIRST: [&str; 12] = [
        "Matti", "Anna", "Lee", "Aino", "Mikko", "Anne", "Leena", "Matias", "Sanna", "Olli", "Ma",
        "Kaisa",
    ];
    const LAST: [&str; 12] = [
        "Virtanen",
        "Smith",
        "Korhonen",
        "Mäkinen",
        "O'Brien",
        "Lee-Smith",
        "Nieminen",
        "Virta",
        "Anttila",
        "Laine",
        "東京",
        "Salo",
    ];
    const COMPANY: [&str; 5] = ["Oy Matto Ab", "Smith & Lee", "Annan Kukka Oy", "", ""];
    const CITY: [&str; 5] = ["Tampere", "Lahti", "Oulu (Uleåborg)", "Oulu (Uleåborg)", ""];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    (0..n)
        .map(|i| {
            let first = FIRST[next(FIRST.len())];
            let last = LAST[next(LAST.len())];
            let name: &str = format!("{first} {last}").leak();
            let mut p = person(format!("K{i:06}").leak(), name);
            let company = match next(150) {
                // Rare: a term starting with a mark scores in the company alone.
                0 => "(Matto) Oy",
                _ => COMPANY[next(COMPANY.len())],
            };
            p.company = (!company.is_empty()).then_some(company);
            p.city = Some(CITY[next(CITY.len())]).filter(|c| !c.is_empty());
            if next(3) == 0 {
                p.emails = vec![format!("{}.{}@mail.fi", first.to_lowercase(), i % 977)];
            }
            if next(4) == 0 {
                p.tags = vec![["vip", "lee", "matto"][next(3)].to_string()];
            }
            p
        })
        .collect()
}

/// Typing on a large store, where the first letters try only the first
/// candidates, shows at each letter what trying every candidate and
/// scoring every hit shows: for every letter and digit alone, and for
/// queries whose best hits are many, few or none, typed on.
#[test]
fn the_best_settled_early_are_the_best_of_every_hit() {
    let people = generated(24_000);
    let index = index_of(&people);
    let mut typed: Vec<String> = ('a'..='z').chain('0'..='9').map(String::from).collect();
    typed.extend(
        [
            "mat vir", "anna", "lee smi", "oy", "k0001", "ma lee", "o'b", "-smith", "東", "mäk",
            "virta ma", "s", "tampere", "matto", "zzz", "aino k", "(", "(m", "a (",
        ]
        .map(String::from),
    );
    let mut stopped = 0;
    for text in &typed {
        let every = typing(&index, text, 200, usize::MAX);
        for ((query, rows, found), (_, expected, all)) in
            typing(&index, text, 200, 200).into_iter().zip(every)
        {
            assert_eq!(rows, expected, "{query} (typing {text})");
            // The next letter's candidates are many, as with every hit known.
            assert!(
                found.upto.is_none() || all.hits.len() > SCORE_ALL_UP_TO,
                "{query}: stopped at {:?} with {} hits in all",
                found.upto,
                all.hits.len()
            );
            if found.upto.is_some() {
                stopped += 1;
            }
        }
    }
    assert!(stopped > 40, "only {stopped} queries stopped early");
}

/// The best hits kept as they come are the first of all the hits sorted by
/// score, best first, ties in the store's order, at any limit.
#[test]
fn ranking_keeps_the_best_hits_in_order() {
    let many: Vec<Person> = (0..2_000).map(|_| person("", "Aino")).collect();
    let index = index_of(&many);
    // Hits in the store's order, scores with many ties.
    let mut state: u32 = 0x9E37_79B9;
    let hits: Vec<Hit> = (0..2_000u32)
        .filter(|n| n % 3 != 1)
        .map(|entry| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            Hit {
                entry,
                score: state % 7,
            }
        })
        .collect();
    let mut sorted = hits.clone();
    sorted.sort_by_key(|h| (std::cmp::Reverse(h.score), h.entry));
    for limit in [0, 1, 3, 10, 200, 2_000, 5_000] {
        let expected: Vec<usize> = sorted
            .iter()
            .take(limit)
            .map(|h| h.entry as usize)
            .collect();
        assert_eq!(index.rank(&hits, limit), expected, "limit {limit}");
    }
}

/// Every query's rows and the field each was found by, the rows sorted: an
/// index with rows put differs from one built again only in ties' order.
fn found_as(index: &Index, queries: &[&str]) -> Vec<(String, Vec<(usize, Matched)>)> {
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    queries
        .iter()
        .map(|&query| {
            let rows = index.find(query, &mut matcher, usize::MAX);
            let fields = index.matched_all(&rows, query, &mut matcher);
            let mut found: Vec<(usize, Matched)> = rows.into_iter().zip(fields).collect();
            found.sort_by_key(|(row, _)| *row);
            (query.to_string(), found)
        })
        .collect()
}

fn entry(p: &Person) -> Entry<'_> {
    Entry {
        reference: p.reference,
        name: p.name,
        company: p.company,
        emails: &p.emails,
        phones: &p.phones,
        phone_keys: &p.keys,
        city: p.city,
        tags: &p.tags,
    }
}

#[test]
fn rows_put_into_an_index_are_found_as_in_one_built_again() {
    let mut people = people();
    let mut index = index_of(&people[..3]);
    // Dan added; Bertil renamed and renumbered twice; Aino put as she was.
    let mut bertil = with_phone(person("K000002", "Bertil Lund"), "050 111 2222");
    index.put(3, &entry(&people[3]));
    index.put(1, &entry(&bertil));
    bertil = with_phone(person("K000002", "Bertil Berg"), "+46 70 999 88 77");
    bertil.tags = vec!["vip".into()];
    index.put(1, &entry(&bertil));
    index.put(0, &entry(&people[0]));
    people[1] = bertil;
    let again = index_of(&people);
    let queries = [
        "aino",
        "ek",
        "lund",
        "berg",
        "bertil",
        "dan",
        "3684",
        "+46701234567",
        "050 111 2222",
        "+46 70 999",
        "K000002",
        "k00",
        "ref:k000002",
        "vip",
        "tag:vip",
        "email:dan",
        "city:tampere",
        "!aino",
        "a",
        "4803",
        "phone:2222",
    ];
    assert_eq!(found_as(&index, &queries), found_as(&again, &queries));
    assert!(!found(&index, "ek").contains(&1));
    assert_eq!(found(&index, "berg"), vec![1]);
    // The entries Bertil had rank first among equals, and take no place.
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    assert_eq!(index.find("bertil", &mut matcher, 1), vec![1]);

    // Many, so one letter is bit tests and a scan splits over two threads.
    let leak = |name: String| -> &'static str { name.leak() };
    let many: Vec<Person> = (0..24_000)
        .map(|i| {
            let name = format!(
                "{} {}",
                ["Aalto", "Berg", "Cedar", "Dahl"][i % 4],
                i * 7 % 1000
            );
            person("", leak(name))
        })
        .collect();
    let mut index = index_of(&many);
    let mut now = many;
    let renamed: Vec<&'static str> = (0..40).map(|k| leak(format!("Zeta Quux {k}"))).collect();
    for (k, name) in renamed.iter().enumerate() {
        let row = k * 601;
        now[row] = person("", name);
        index.put(row, &entry(&now[row]));
    }
    for &name in &renamed[..3] {
        now.push(person("", name));
        index.put(now.len() - 1, &entry(&now[now.len() - 1]));
    }
    let again = index_of(&now);
    let queries = ["z", "q", "a", "zeta", "aalto", "berg 1", "quux 3", "d"];
    for ((query, put), (_, built)) in found_as(&index, &queries)
        .into_iter()
        .zip(found_as(&again, &queries))
    {
        let differ = put.iter().zip(&built).find(|(a, b)| a != b);
        assert!(
            put.len() == built.len() && differ.is_none(),
            "{query}: {} found, {} in one built again; first apart {differ:?}",
            put.len(),
            built.len()
        );
    }
}

/// The candidates of a query extending others: the hits of the last below
/// where it stopped, then those of the one before it beyond, and so on.
#[test]
fn candidates_beyond_where_a_query_stopped_are_those_it_had() {
    let people: Vec<Person> = (0..10).map(|_| person("", "Aino")).collect();
    let index = index_of(&people);
    let found = |entries: &[u32], upto: Option<u32>| Found {
        hits: entries
            .iter()
            .map(|&entry| Hit { entry, score: 0 })
            .collect(),
        upto,
    };
    let all = found(&[0, 1, 2, 3, 5, 6, 8], Some(7));
    let last = found(&[1, 3, 9], Some(4));
    let stream =
        |narrowed: &[&Found], from| index.candidates_from(narrowed, from).collect::<Vec<_>>();
    assert_eq!(stream(&[], 7), vec![7, 8, 9]);
    assert_eq!(stream(&[&all], 0), vec![0, 1, 2, 3, 5, 6, 7, 8, 9]);
    assert_eq!(stream(&[&all, &last], 0), vec![1, 3, 5, 6, 7, 8, 9]);
    assert_eq!(stream(&[&all, &last], 5), vec![5, 6, 7, 8, 9]);
    let done = found(&[2, 4], None);
    assert_eq!(stream(&[&all, &done], 3), vec![4]);
    assert_eq!(index.candidates_len(&[&all, &done]), 2);
    assert_eq!(index.candidates_len(&[&all]), usize::MAX);
    assert_eq!(index.candidates_len(&[]), 10);
}

/// The best score a query can have is what the matcher gives it found whole
/// at a word start, and no text scores more: the early settling of the best
/// hits stands on it (a newer matcher scoring otherwise fails here).
#[test]
fn no_text_scores_above_the_best_score() {
    let mut matcher = Matcher::new(nucleo_matcher::Config::DEFAULT);
    let mut buf = Vec::new();
    let mut score = |pattern: &Pattern, text: &str, matcher: &mut Matcher| {
        pattern.score(Utf32Str::new(text, &mut buf), matcher)
    };
    let people = generated(3_000);
    let mut texts: Vec<String> = people
        .iter()
        .flat_map(|p| {
            let mut t = vec![
                fold(p.name),
                fold(p.company.unwrap_or("")),
                fold(p.city.unwrap_or("")),
            ];
            t.extend(p.emails.iter().map(|e| fold(e)));
            t
        })
        .collect();
    for query in [
        "a", "ma", "mat", "matti", "anna", "lee smi", "o'b", "-smith", "a1", "0401", "(m",
    ] {
        let pattern = Pattern::parse(query, CaseMatching::Respect, Normalization::Never);
        let best = text::best_score(&pattern);
        texts.extend([
            query.to_string(),
            format!("x {query} y"),
            format!("{query}{query}"),
            format!("x-{query}"),
            format!("x.{query}"),
        ]);
        for text in &texts {
            if let Some(found) = score(&pattern, text, &mut matcher) {
                assert!(found <= best, "{query} in {text:?}: {found} above {best}");
            }
        }
        if query.chars().all(|c| c.is_ascii_alphanumeric()) {
            assert_eq!(
                score(&pattern, query, &mut matcher),
                Some(best),
                "{query} whole"
            );
        }
    }
}

/// The pairs starting words, as the terms found whole at word starts have
/// them: each term's pairs are among its text's.
#[test]
fn words_start_with_their_first_two_characters() {
    let text = "matti o'brien x";
    let pairs = word_pairs(text);
    for term in ["ma", "matti", "o'", "o'b", "br", "x"] {
        assert_eq!(word_pairs(term) & pairs, word_pairs(term), "{term}");
    }
    assert_eq!(word_pairs("x"), 0, "one character has no pair");
    assert_eq!(word_pairs("東京"), u64::MAX);
    assert_ne!(word_pairs("at"), word_pairs("ma"));
    assert_eq!(
        digit_pairs("358401|09"),
        digit_pairs("3584") | digit_pairs("401") | digit_pairs("09")
    );
    assert_eq!(digit_pairs("1|2"), 0);
}
