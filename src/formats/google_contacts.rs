//! Google Contacts' CSV, read whole: the form Google writes since 2020
//! (`First Name`, `Organization Name`, `Labels`, `E-mail 1 - Value`, …) and the
//! older one (`Name`, `Given Name`, `Group Membership`, `Organization 1 - Name`,
//! …). Google writes several values of one kind in one cell, joined by ` ::: `.

use super::address_book::{birthday, checked_emails, name_of_parts, notes_with};
use super::{ContactRow, Header, RowError, field, non_empty};

/// How Google joins several values in one cell.
pub(crate) const JOIN: &str = ":::";

pub(crate) struct Columns {
    full_name: Option<usize>,
    name_parts: Vec<usize>,
    nickname: Option<usize>,
    file_as: Option<usize>,
    company: Option<usize>,
    emails: Vec<usize>,
    phones: Vec<usize>,
    streets: Vec<usize>,
    formatted: Vec<usize>,
    cities: Vec<usize>,
    notes: Option<usize>,
    labels: Option<usize>,
    birthday: Option<usize>,
}

/// Columns named `{kind} N - {what}`, in the order of N.
fn numbered(header: &Header, kind: &str, what: &str) -> Vec<usize> {
    let mut found: Vec<(u32, usize)> = header
        .lowercased()
        .filter_map(|(i, name)| number_of(name, kind, what).map(|n| (n, i)))
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, i)| i).collect()
}

fn number_of(name: &str, kind: &str, what: &str) -> Option<u32> {
    let rest = name.strip_prefix(kind)?.strip_prefix(' ')?;
    let (number, tail) = rest.split_once(" - ")?;
    (tail == what).then(|| number.parse().ok()).flatten()
}

impl Columns {
    pub(crate) fn find(header: &Header) -> Columns {
        let name_parts = ["first name", "middle name", "last name"];
        let old_parts = ["given name", "additional name", "family name"];
        let parts = if header.index("first name").is_some() {
            name_parts
        } else {
            old_parts
        };
        Columns {
            full_name: header.index("name"),
            name_parts: parts.iter().filter_map(|p| header.index(p)).collect(),
            nickname: header.index("nickname"),
            file_as: header.index("file as"),
            company: header
                .any(&["organization name"])
                .or_else(|| numbered(header, "organization", "name").first().copied()),
            emails: numbered(header, "e-mail", "value"),
            phones: numbered(header, "phone", "value"),
            streets: numbered(header, "address", "street"),
            formatted: numbered(header, "address", "formatted"),
            cities: numbered(header, "address", "city"),
            notes: header.index("notes"),
            labels: header.any(&["labels", "group membership"]),
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
        let name = non_empty(field(record, self.full_name))
            .or_else(|| name_of_parts(record, &self.name_parts))
            .or_else(|| non_empty(field(record, self.nickname)))
            .or_else(|| non_empty(field(record, self.file_as)));
        let cells = self.emails.iter().flat_map(|&column| {
            values(field(record, Some(column))).map(move |email| (column, email))
        });
        let emails = checked_emails(cells, line, header, errors);
        let phones = self
            .phones
            .iter()
            .flat_map(|&i| values(field(record, Some(i))))
            .map(str::to_string)
            .collect();
        let first_of = |columns: &[usize]| {
            columns
                .iter()
                .find_map(|&i| values(field(record, Some(i))).next().map(str::to_string))
        };
        let (birthday, birthday_note) = birthday(field(record, self.birthday));
        ContactRow {
            line,
            name,
            company: non_empty(field(record, self.company)),
            emails: dedup(emails),
            phones: dedup(phones),
            address: first_of(&self.streets).or_else(|| first_of(&self.formatted)),
            city: first_of(&self.cities),
            tags: labels(field(record, self.labels)),
            birthday,
            notes: notes_with(record, self.notes, birthday_note),
            ..ContactRow::default()
        }
    }
}

/// The values of one cell, split where Google joined them.
fn values(cell: &str) -> impl Iterator<Item = &str> {
    cell.split(JOIN).map(str::trim).filter(|v| !v.is_empty())
}

fn dedup(mut list: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    list.retain(|v| seen.insert(v.to_lowercase()));
    list
}

/// The owner's labels as tags; Google's own (`* myContacts`, `* starred`)
/// begin with `*` and say nothing about the customer.
pub(crate) fn labels(cell: &str) -> Vec<String> {
    dedup(
        values(cell)
            .filter(|label| !label.starts_with('*'))
            .map(str::to_string)
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_columns_in_order() {
        let header = Header::new(
            [
                "Phone 2 - Value",
                "Phone 1 - Label",
                "Phone 1 - Value",
                "Phone 10 - Value",
            ]
            .iter()
            .map(|s| s.as_bytes()),
        );
        assert_eq!(numbered(&header, "phone", "value"), [2, 0, 3]);
        assert_eq!(number_of("e-mail 3 - value", "e-mail", "value"), Some(3));
        assert_eq!(number_of("e-mail 3 - label", "e-mail", "value"), None);
    }

    #[test]
    fn labels_but_not_googles_own() {
        assert_eq!(
            labels("* myContacts ::: VIP ::: * starred ::: Kahvi ::: vip"),
            ["VIP", "Kahvi"]
        );
        assert!(labels("* myContacts").is_empty());
        assert_eq!(
            birthday("--04-12"),
            (None, Some("Birthday --04-12".to_string()))
        );
    }
}
