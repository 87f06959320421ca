//! Outlook's contacts CSV (File > Open & Export > Import/Export > Export to a
//! file, and Outlook.com's People > Export contacts), read whole: every email
//! and phone column, the company, the home, business or other address, notes
//! and categories.

use super::address_book::{birthday, checked_emails, name_of_parts, notes_with};
use super::contacts_csv::split_list;
use super::{ContactRow, Header, RowError, field, non_empty};

/// Outlook's phone columns, the ones a person answers first. Faxes, pagers
/// and telexes are not numbers an owner calls.
const PHONES: [&str; 15] = [
    "mobile phone",
    "primary phone",
    "home phone",
    "home phone 2",
    "business phone",
    "business phone 2",
    "company main phone",
    "other phone",
    "car phone",
    "callback",
    "assistant's phone",
    "radio phone",
    "isdn",
    "tty/tdd phone",
    "telex",
];
const EMAILS: [&str; 3] = ["e-mail address", "e-mail 2 address", "e-mail 3 address"];
/// Address columns by place, home first.
const PLACES: [&str; 3] = ["home", "business", "other"];

pub(crate) struct Columns {
    name_parts: Vec<usize>,
    nickname: Option<usize>,
    company: Option<usize>,
    emails: Vec<usize>,
    phones: Vec<usize>,
    streets: Vec<usize>,
    cities: Vec<usize>,
    notes: Option<usize>,
    categories: Option<usize>,
    birthday: Option<usize>,
}

impl Columns {
    pub(crate) fn find(header: &Header) -> Columns {
        let all = |names: &[String]| -> Vec<usize> {
            names.iter().filter_map(|n| header.index(n)).collect()
        };
        let per_place = |what: &str| all(&PLACES.map(|p| format!("{p} {what}")));
        Columns {
            name_parts: ["first name", "middle name", "last name", "suffix"]
                .iter()
                .filter_map(|n| header.index(n))
                .collect(),
            nickname: header.index("nickname"),
            company: header.index("company"),
            emails: all(&EMAILS.map(String::from)),
            // Only the phone columns the file has, telex last as Outlook lists it.
            phones: PHONES.iter().filter_map(|n| header.index(n)).collect(),
            streets: per_place("street"),
            cities: per_place("city"),
            notes: header.index("notes"),
            categories: header.index("categories"),
            birthday: header.index("birthday"),
        }
    }

    pub(crate) fn read(
        &self,
        record: &csv::ByteRecord,
        line: usize,
        errors: &mut Vec<RowError>,
        header: &Header,
    ) -> ContactRow {
        let name = name_of_parts(record, &self.name_parts)
            .or_else(|| non_empty(field(record, self.nickname)));
        // An Exchange colleague's address is a directory path
        // (`/o=ExchangeLabs/ou=…`), not an email anyone can write to.
        let cells = self
            .emails
            .iter()
            .map(|&column| (column, field(record, Some(column))))
            .filter(|(_, email)| !email.is_empty() && !email.starts_with('/'));
        let mut emails: Vec<String> = Vec::new();
        for email in checked_emails(cells, line, header, errors) {
            if !emails.iter().any(|e| e.eq_ignore_ascii_case(&email)) {
                emails.push(email);
            }
        }
        let mut phones: Vec<String> = Vec::new();
        for &column in &self.phones {
            let phone = field(record, Some(column));
            if !phone.is_empty() && !phones.iter().any(|p| p == phone) {
                phones.push(phone.to_string());
            }
        }
        let first_of = |columns: &[usize]| {
            columns
                .iter()
                .find_map(|&i| non_empty(field(record, Some(i))))
        };
        let birthday_text = field(record, self.birthday);
        // Outlook writes `0/0/00` for a contact without a birthday.
        let (birthday, birthday_note) = if birthday_text
            .bytes()
            .any(|b| b.is_ascii_digit() && b != b'0')
        {
            birthday(birthday_text)
        } else {
            (None, None)
        };
        ContactRow {
            line,
            name,
            company: non_empty(field(record, self.company)),
            emails,
            phones,
            address: first_of(&self.streets),
            city: first_of(&self.cities),
            tags: split_list(field(record, self.categories)),
            birthday,
            notes: notes_with(record, self.notes, birthday_note),
            ..ContactRow::default()
        }
    }
}
