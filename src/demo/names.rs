//! Who the demo customers are: names, companies, emails, phone numbers, places.
//! The name lists live in `assets/demo/` and are compiled in.

use super::rng::Rng;

const FI_FIRST: &str = include_str!("../../assets/demo/fi_first.txt");
const FI_LAST: &str = include_str!("../../assets/demo/fi_last.txt");
const EN_FIRST: &str = include_str!("../../assets/demo/en_first.txt");
const EN_LAST: &str = include_str!("../../assets/demo/en_last.txt");
const CITIES: &str = include_str!("../../assets/demo/cities.txt");
const STREETS: &str = include_str!("../../assets/demo/streets.txt");

/// Trades of a Finnish small business, as the second word of its name.
const FI_TRADES: &[&str] = &[
    "Puutarha",
    "Rakennus",
    "Kukka",
    "Leipomo",
    "Sähkö",
    "Maalaus",
    "Kahvila",
    "Kiinteistöhuolto",
    "Tilitoimisto",
    "Kuljetus",
    "Putkityö",
    "Kehystämö",
    "Catering",
    "Kauneushoitola",
    "Metsäpalvelu",
];
const EN_TRADES: &[&str] = &[
    "Gardens",
    "Trading",
    "Design",
    "Builders",
    "Bakery",
    "Consulting",
    "Imports",
];
/// Fixed company names, used now and then instead of a family firm.
const EN_COMPANIES: &[&str] = &[
    "Northwind Ltd",
    "Blue Fern Events Ltd",
    "Harbour Lights Ltd",
    "Oak & Ivy Interiors Ltd",
];
const FREE_MAIL_FI: &[&str] = &[
    "gmail.com",
    "hotmail.com",
    "outlook.com",
    "yahoo.com",
    "kolumbus.fi",
    "luukku.com",
    "elisanet.fi",
    "suomi24.fi",
    "icloud.com",
];
const FREE_MAIL_EN: &[&str] = &[
    "gmail.com",
    "hotmail.co.uk",
    "outlook.com",
    "yahoo.co.uk",
    "btinternet.com",
    "icloud.com",
];
/// Finnish mobile prefixes without the trunk 0.
const FI_MOBILE: &[&str] = &["40", "41", "44", "45", "46", "50"];

/// The compiled-in lists, split once per generation.
pub(crate) struct NameLists {
    fi_first: Vec<&'static str>,
    fi_last: Vec<&'static str>,
    en_first: Vec<&'static str>,
    en_last: Vec<&'static str>,
    cities: Vec<&'static str>,
    city_weights: Vec<u32>,
    streets: Vec<&'static str>,
}

/// One generated person.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Person {
    pub(crate) first: &'static str,
    pub(crate) last: &'static str,
    pub(crate) finnish: bool,
}

impl Person {
    pub(crate) fn full_name(&self) -> String {
        format!("{} {}", self.first, self.last)
    }
}

impl NameLists {
    pub(crate) fn load() -> NameLists {
        let mut cities = Vec::new();
        let mut city_weights = Vec::new();
        for line in lines(CITIES) {
            let (name, weight) = line.split_once(';').unwrap_or((line, "1"));
            cities.push(name.trim());
            city_weights.push(weight.trim().parse().unwrap_or(1));
        }
        NameLists {
            fi_first: lines(FI_FIRST),
            fi_last: lines(FI_LAST),
            en_first: lines(EN_FIRST),
            en_last: lines(EN_LAST),
            cities,
            city_weights,
            streets: lines(STREETS),
        }
    }

    /// About 70% Finnish, the rest English.
    pub(crate) fn person(&self, rng: &mut Rng) -> Person {
        let finnish = rng.chance(0.7);
        let (first, last) = if finnish {
            (&self.fi_first, &self.fi_last)
        } else {
            (&self.en_first, &self.en_last)
        };
        Person {
            first: rng.pick(first),
            last: rng.pick(last),
            finnish,
        }
    }

    pub(crate) fn city(&self, rng: &mut Rng) -> &'static str {
        self.cities[rng.weighted(&self.city_weights)]
    }

    /// A street address such as `Hämeenkatu 12 B 4`.
    pub(crate) fn address(&self, rng: &mut Rng) -> String {
        let street = rng.pick(&self.streets);
        let number = rng.range(1, 80);
        if rng.chance(0.4) {
            let stair = rng.pick(&["A", "B", "C", "D"]);
            format!("{street} {number} {stair} {}", rng.range(1, 40))
        } else {
            format!("{street} {number}")
        }
    }
}

/// Non-empty lines that are not `#` comments.
fn lines(text: &'static str) -> Vec<&'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// A company name built on the person's surname: `Mäkisen Puutarha Oy`,
/// `Puutarha Niemi Ky`, `Taylor Gardens Ltd`, or now and then a fixed one.
pub(crate) fn company(person: &Person, rng: &mut Rng) -> String {
    if person.finnish {
        let trade = rng.pick(FI_TRADES);
        let form = if rng.chance(0.8) { "Oy" } else { "Ky" };
        // The genitive of a -nen surname is regular (Mäkinen -> Mäkisen); other
        // surnames would need consonant gradation, so they go after the trade.
        match person.last.strip_suffix("nen") {
            Some(stem) => format!("{stem}sen {trade} {form}"),
            None => format!("{trade} {} {form}", person.last),
        }
    } else if rng.chance(0.25) {
        (rng.pick(EN_COMPANIES)).to_string()
    } else if rng.chance(0.3) {
        format!("{} & Sons Ltd", person.last)
    } else {
        format!("{} {} Ltd", person.last, rng.pick(EN_TRADES))
    }
}

/// Lower-case ASCII for an email address: ä -> a, ö -> o, å -> a, é -> e;
/// spaces, apostrophes and anything else outside `a-z0-9-` dropped.
pub(crate) fn ascii_fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'ä' | 'å' | 'á' | 'à' => 'a',
            'ö' | 'ø' | 'ó' => 'o',
            'é' | 'è' => 'e',
            'ü' => 'u',
            c => c,
        };
        if folded.is_ascii_alphanumeric() || folded == '-' {
            out.push(folded);
        }
    }
    out
}

/// One or two email addresses derived from the name (and the company, if any).
pub(crate) fn emails(person: &Person, company: Option<&str>, rng: &mut Rng) -> Vec<String> {
    let first = ascii_fold(person.first);
    let last = ascii_fold(person.last);
    let domains = if person.finnish {
        FREE_MAIL_FI
    } else {
        FREE_MAIL_EN
    };
    let local = match rng.weighted(&[45, 15, 15, 15, 10]) {
        0 => format!("{first}.{last}"),
        1 => format!("{first}{last}"),
        2 => format!("{}.{last}", &first[..first.len().min(1)]),
        3 => format!("{first}.{last}{}", rng.range(1, 99)),
        _ => format!("{first}_{}", &last[..last.len().min(1)]),
    };
    let mut out = vec![format!("{local}@{}", rng.pick(domains))];
    if let Some(company) = company {
        out.push(format!(
            "{first}@{}",
            company_domain(company, person.finnish)
        ));
    } else if rng.chance(0.12) {
        out.push(format!("{first}.{last}@{}", rng.pick(domains)));
    }
    out.dedup();
    out
}

/// `Mäkisen Puutarha Oy` -> `makisenpuutarha.fi`.
fn company_domain(company: &str, finnish: bool) -> String {
    let words: Vec<&str> = company
        .split_whitespace()
        .filter(|w| !matches!(*w, "Oy" | "Ky" | "Ltd" | "&"))
        .collect();
    let tld = if finnish { "fi" } else { "co.uk" };
    format!("{}.{tld}", ascii_fold(&words.concat()))
}

/// A phone number as an owner would have typed it, with its E.164 form.
/// Finnish mobiles in several shapes; English customers sometimes have a
/// London number from Ofcom's range reserved for fiction (020 7946 0xxx; its
/// mobile range for fiction, 07700 900xxx, is no valid number, so a form or
/// an import would refuse it).
pub(crate) fn phone(person: &Person, rng: &mut Rng) -> (String, String) {
    if !person.finnish && rng.chance(0.4) {
        let line = rng.range(0, 999);
        return (
            format!("+44 20 7946 0{line:03}"),
            format!("+442079460{line:03}"),
        );
    }
    let prefix = rng.pick(FI_MOBILE);
    let number = rng.range(0, 9_999_999);
    let head = number / 10_000;
    let tail = number % 10_000;
    let e164 = format!("+358{prefix}{number:07}");
    let written = match rng.weighted(&[25, 25, 20, 15, 10, 5]) {
        0 => format!("+358 {prefix} {head:03} {tail:04}"),
        1 => format!("0{prefix}-{number:07}"),
        2 => format!("0{prefix}{number:07}"),
        3 => format!("0{prefix} {head:03} {tail:04}"),
        4 => e164.clone(),
        _ => format!("(0{prefix}) {number:07}"),
    };
    (written, e164)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_long_enough_and_have_finnish_letters() {
        let lists = NameLists::load();
        assert!(lists.fi_first.len() >= 100);
        assert!(lists.fi_last.len() >= 100);
        assert!(lists.en_first.len() >= 50 && lists.en_last.len() >= 50);
        assert!(lists.fi_first.iter().any(|n| n.contains('ä')));
        assert!(lists.fi_last.iter().any(|n| n.contains('ö')));
        assert!(lists.cities.contains(&"Jyväskylä"));
        assert_eq!(lists.cities.len(), lists.city_weights.len());
        assert!(!lists.cities.iter().any(|c| c.contains(';')));
    }

    #[test]
    fn emails_are_ascii_folded() {
        assert_eq!(ascii_fold("Jääskeläinen"), "jaaskelainen");
        assert_eq!(ascii_fold("O'Brien"), "obrien");
        assert_eq!(
            company_domain("Mäkisen Puutarha Oy", true),
            "makisenpuutarha.fi"
        );
        let person = Person {
            first: "Väinö",
            last: "Pöllänen",
            finnish: true,
        };
        let mut rng = Rng::new(5);
        for _ in 0..50 {
            for email in emails(&person, Some("Pöllänen Oy"), &mut rng) {
                assert!(email.is_ascii(), "{email}");
                assert_eq!(email.matches('@').count(), 1, "{email}");
            }
        }
    }

    #[test]
    fn finnish_companies_use_the_genitive_of_nen_names() {
        let mut rng = Rng::new(1);
        let makinen = Person {
            first: "Aino",
            last: "Mäkinen",
            finnish: true,
        };
        let niemi = Person {
            last: "Niemi",
            ..makinen.clone()
        };
        let a = company(&makinen, &mut rng);
        let b = company(&niemi, &mut rng);
        assert!(a.starts_with("Mäkisen "), "{a}");
        assert!(b.contains(" Niemi "), "{b}");
    }

    #[test]
    fn phones_normalize_to_e164() {
        let mut rng = Rng::new(9);
        let finn = Person {
            first: "Matti",
            last: "Virtanen",
            finnish: true,
        };
        for _ in 0..200 {
            let (written, e164) = phone(&finn, &mut rng);
            let digits: String = written.chars().filter(char::is_ascii_digit).collect();
            let national = e164.trim_start_matches("+358");
            assert_eq!(e164.len(), 13, "{e164}");
            assert!(digits.ends_with(national), "{written} vs {e164}");
        }
    }

    #[test]
    fn every_written_shape_normalizes_as_the_importer_does() {
        let mut rng = Rng::new(12);
        let lists = NameLists::load();
        for _ in 0..500 {
            let person = lists.person(&mut rng);
            let (written, e164) = phone(&person, &mut rng);
            assert_eq!(
                crate::domain::phone::parse(&written, "FI").map(|p| p.e164),
                Ok(e164),
                "{written}"
            );
        }
    }
}
