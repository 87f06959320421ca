//! Contacts CSV (SPEC section 7): a header row, columns found by name in
//! English or Finnish; Google's and Outlook's CSV recognised by their header.

#[cfg(test)]
use chrono::NaiveDate;

use super::csv_read::{cell, untrimmed};
use super::csv_safe;
use super::recognise::{Export, recognise};
use super::text;
use crate::domain::email::check_email;
use crate::domain::{ContactRow, Source};

#[cfg(test)]
use super::ParseErrors;
use super::{Header, Records, RowError, blame_unclosed_quote, field, non_empty};

/// What the readers of `formats` check and do on a contact.
impl ContactRow {
    /// The row-level checks shared by CSV and vCard: something to know the
    /// contact by, and emails that look like emails.
    pub(crate) fn check(&self, email_column: &str, errors: &mut Vec<RowError>) {
        let known_by = [&self.name, &self.reference, &self.company]
            .iter()
            .any(|v| v.is_some())
            || !self.emails.is_empty()
            || !self.phones.is_empty();
        if !known_by {
            errors.push(RowError::new(
                self.line,
                "name",
                "a contact needs a name, a company, a ref, an email or a phone",
            ));
        }
        for email in &self.emails {
            if let Err(bad) = check_email(email) {
                errors.push(RowError::new(self.line, email_column, bad.to_string()));
            }
        }
    }

    /// Refuses a name, company, city or tag that would run as a formula in a
    /// spreadsheet, judged on the values read (files that carry no guard).
    pub(crate) fn refuse_formulas(&self, errors: &mut Vec<RowError>) {
        let texts = [
            ("name", self.name.as_deref()),
            ("company", self.company.as_deref()),
            ("city", self.city.as_deref()),
        ];
        let tags = self.tags.iter().map(|t| ("tags", Some(t.as_str())));
        for (column, value) in texts.into_iter().chain(tags) {
            if let Some(reason) = value.and_then(csv_safe::formula_risk) {
                errors.push(RowError::new(self.line, column, reason));
            }
        }
    }

    /// A contact with no name but a company is named after the company.
    pub(crate) fn named_after_company(mut self) -> ContactRow {
        if self.name.is_none() {
            self.name = self.company.clone();
        }
        self
    }
}

/// The pieces of a list cell between its `,` and `;`, trimmed, empty ones
/// included. A backslash keeps the character after it in the piece (`kahvi\,
/// tumma` is one tag), as [`join_list`] writes an item holding a separator.
fn pieces(text: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut piece = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(kept @ (',' | ';' | '\\')) => piece.push(kept),
                // Not an escape: the backslash is the owner's.
                Some(other) => {
                    piece.push('\\');
                    piece.push(other);
                }
                None => piece.push('\\'),
            },
            ',' | ';' => pieces.push(std::mem::take(&mut piece).trim().to_string()),
            c => piece.push(c),
        }
    }
    pieces.push(piece.trim().to_string());
    pieces
}

/// Splits a list field on `,` or `;`, trimming and dropping empty items.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    pieces(text).into_iter().filter(|p| !p.is_empty()).collect()
}

/// The items of a list cell as [`join_list`] writes them, the cell's own
/// formula guard already off: every item after the first carries its own
/// guard, which comes off here. `refuse` sees each such item as written, to
/// refuse a formula that came without the guard.
pub(crate) fn read_list(cell: &str, mut refuse: impl FnMut(&str)) -> Vec<String> {
    pieces(cell)
        .into_iter()
        .enumerate()
        .filter(|(_, p)| !p.is_empty())
        .map(|(i, piece)| {
            if i == 0 {
                return piece;
            }
            refuse(&piece);
            csv_safe::read_guarded(&piece).to_string()
        })
        .collect()
}

/// Joins a list for one CSV cell with `; `: a separator or backslash inside an
/// item escaped with a backslash, and every item after the first guarded
/// against running as a formula as a cell is (the first is the cell's start,
/// which the cell's own guard covers), so [`read_list`] reads the same items back.
pub(crate) fn join_list(items: &[String]) -> String {
    let mut cell = String::new();
    for (i, item) in items.iter().enumerate() {
        let item = if i == 0 {
            std::borrow::Cow::Borrowed(item.as_str())
        } else {
            cell.push_str("; ");
            csv_safe::neutralize_formula(item)
        };
        for c in item.chars() {
            if matches!(c, ',' | ';' | '\\') {
                cell.push('\\');
            }
            cell.push(c);
        }
    }
    cell
}

/// Column positions of kanta's own contacts CSV, by English or Finnish name.
struct Columns {
    reference: Option<usize>,
    name: Option<usize>,
    first_name: Option<usize>,
    last_name: Option<usize>,
    company: Option<usize>,
    email: Option<usize>,
    phone: Option<usize>,
    address: Option<usize>,
    city: Option<usize>,
    tags: Option<usize>,
    source: Option<usize>,
    referred_by: Option<usize>,
    birthday: Option<usize>,
    notes: Option<usize>,
    marketing_consent: Option<usize>,
    prospect: Option<usize>,
    advocate: Option<usize>,
    contact_every_days: Option<usize>,
}

impl Columns {
    fn find(header: &Header) -> Columns {
        Columns {
            reference: header.any(&["ref", "customer_id", "asiakasnumero"]),
            name: header.any(&["name", "nimi"]),
            // A customer list of a shop (Shopify's customers export) splits the name.
            first_name: header.any(&["first name", "first_name", "etunimi"]),
            last_name: header.any(&["last name", "last_name", "sukunimi"]),
            company: header.any(&["company", "yritys"]),
            email: header.any(&["email", "sähköposti"]),
            phone: header.any(&["phone", "puhelin"]),
            address: header.any(&["address", "osoite"]),
            city: header.any(&["city", "kaupunki", "paikkakunta"]),
            tags: header.any(&["tags", "tunnisteet"]),
            source: header.any(&["source", "lähde"]),
            referred_by: header.any(&["referred_by", "suosittelija"]),
            birthday: header.any(&["birthday", "syntymäpäivä"]),
            notes: header.any(&["notes", "note", "muistiinpanot", "lisätiedot"]),
            marketing_consent: header.any(&["marketing_consent", "markkinointilupa"]),
            prospect: header.any(&["prospect"]),
            advocate: header.any(&["advocate"]),
            contact_every_days: header.any(&["contact_every_days"]),
        }
    }

    fn identifies(&self) -> bool {
        [self.name, self.first_name, self.reference, self.email]
            .iter()
            .any(Option::is_some)
    }
}

/// Every row of a contacts file, good or bad, and every problem it has, so
/// that the import can judge the good rows against the store and name every
/// bad row of the file in one go.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ContactsRead {
    /// The rows read, bad ones included (their bad fields left out).
    pub(crate) rows: Vec<ContactRow>,
    /// In file order; empty when the file is good.
    pub(crate) errors: Vec<RowError>,
}

#[cfg(test)]
impl ContactsRead {
    /// The rows when every one is good, else every problem.
    pub(crate) fn into_result(self) -> Result<Vec<ContactRow>, ParseErrors> {
        if self.errors.is_empty() {
            Ok(self.rows)
        } else {
            Err(ParseErrors {
                errors: self.errors,
            })
        }
    }
}

/// How the rows of one contacts file are read.
enum Layout {
    Own(Columns),
    Google(super::google_contacts::Columns),
    Outlook(super::outlook_contacts::Columns),
}

impl Layout {
    fn read(
        &self,
        record: &csv::ByteRecord,
        line: usize,
        errors: &mut Vec<RowError>,
        header: &Header,
    ) -> ContactRow {
        match self {
            Layout::Own(columns) => parse_row(record, line, columns, errors),
            Layout::Google(columns) => {
                let row = columns.read(record, line, errors, header);
                row.refuse_formulas(errors);
                row
            }
            Layout::Outlook(columns) => {
                let row = columns.read(record, line, errors, header);
                row.refuse_formulas(errors);
                row
            }
        }
    }

    /// The column emails are named by in errors.
    fn email_column(&self) -> &'static str {
        match self {
            Layout::Own(_) => "email",
            Layout::Google(_) => "E-mail 1 - Value",
            Layout::Outlook(_) => "E-mail Address",
        }
    }
}

/// Reads a contacts CSV: kanta's own, or Google's or Outlook's, known by the
/// header. Returns the rows when every one is good, else every problem.
#[cfg(test)]
pub(crate) fn parse_contacts_csv(bytes: &[u8]) -> Result<Vec<ContactRow>, ParseErrors> {
    read_contacts_csv(bytes).into_result()
}

/// Reads a contacts CSV whole: every row, and every problem of every row.
#[cfg(test)]
pub(crate) fn read_contacts_csv(bytes: &[u8]) -> ContactsRead {
    let mut reader = ContactsCsvReader::open(bytes);
    let rows = reader.by_ref().collect();
    ContactsRead {
        rows,
        errors: reader.into_errors(),
    }
}

/// The rows of a contacts CSV, read as they are needed, so a file of any size
/// takes the same memory. Every row comes out, bad ones too (their bad fields
/// left out), so that the import can judge the others against them; the
/// problems are handed over at the end ([`ContactsCsvReader::into_errors`]).
pub(crate) struct ContactsCsvReader<'a> {
    records: Records<'a>,
    header: Option<Header>,
    layout: Option<Layout>,
    errors: Vec<RowError>,
}

impl<'a> ContactsCsvReader<'a> {
    /// Reads the header. A file refused whole yields no rows and its error.
    pub(crate) fn open(bytes: impl std::io::Read + 'a) -> ContactsCsvReader<'a> {
        let mut reader = ContactsCsvReader {
            records: Records::from_reader(bytes),
            header: None,
            layout: None,
            errors: Vec::new(),
        };
        let header_line = match reader.records.next_line() {
            Some(Ok(line)) => line,
            Some(Err(e)) => return reader.refused(e),
            None => {
                let error = match reader.records.binary_line() {
                    Some(line) => text::not_text(line),
                    None => RowError::new(1, "header", "the file is empty"),
                };
                return reader.refused(error);
            }
        };
        if let Some(line) = reader.records.binary_line() {
            return reader.refused(text::not_text(line));
        }
        let header = Header::new(reader.records.record.iter());
        let layout = match recognise(&header) {
            Some(Export::GoogleContacts | Export::GoogleContactsOld) => {
                Layout::Google(super::google_contacts::Columns::find(&header))
            }
            Some(Export::Outlook) => {
                Layout::Outlook(super::outlook_contacts::Columns::find(&header))
            }
            Some(export) => match export.refused_as_contacts() {
                Some(reason) => {
                    return reader.refused(RowError::new(header_line, "header", reason));
                }
                None => Layout::Own(Columns::find(&header)),
            },
            None => Layout::Own(Columns::find(&header)),
        };
        if let Layout::Own(columns) = &layout
            && !columns.identifies()
        {
            reader.errors.push(RowError::new(
                header_line,
                "name/ref/email",
                "missing column: a contacts file needs name, ref or email",
            ));
            // The rows say nothing more, bar a quote left open in the header.
            while reader.records.next_line().is_some() {}
            blame_unclosed_quote(&reader.records, Some(&header), &mut reader.errors);
            return reader;
        }
        reader.header = Some(header);
        reader.layout = Some(layout);
        reader
    }

    fn refused(mut self, error: RowError) -> ContactsCsvReader<'a> {
        self.errors = vec![error];
        self
    }

    /// Bytes of the file's text read so far, for a progress bar.
    pub(crate) fn bytes_read(&self) -> u64 {
        self.records.bytes_read()
    }

    /// Every problem of the file in file order, once every row is read.
    pub(crate) fn into_errors(mut self) -> Vec<RowError> {
        self.errors.sort_by_key(|e| e.line);
        self.errors
    }
}

impl Iterator for ContactsCsvReader<'_> {
    type Item = ContactRow;

    fn next(&mut self) -> Option<ContactRow> {
        let (Some(layout), Some(header)) = (&self.layout, &self.header) else {
            return None;
        };
        if let Some(line) = self.records.next_line() {
            match line {
                Ok(line) => {
                    let contact = layout
                        .read(&self.records.record, line, &mut self.errors, header)
                        .named_after_company();
                    contact.check(layout.email_column(), &mut self.errors);
                    if self.records.binary_line().is_none() {
                        return Some(contact);
                    }
                }
                Err(e) => self.errors.push(e),
            }
        }
        if let Some(line) = self.records.binary_line() {
            // No text at all: its rows say nothing.
            self.errors = vec![text::not_text(line)];
        } else {
            // The record a quote left open swallows the rest of the file; what
            // it said is void, and the quote is named instead.
            blame_unclosed_quote(&self.records, Some(header), &mut self.errors);
        }
        self.layout = None;
        None
    }
}

/// A yes/no cell: None when empty (the file does not say).
fn flag(
    record: &csv::ByteRecord,
    index: Option<usize>,
    column: &str,
    line: usize,
    errors: &mut Vec<RowError>,
) -> Option<bool> {
    let cell = field(record, index);
    if cell.is_empty() {
        return None;
    }
    text::parse_bool(cell)
        .map_err(|e| errors.push(RowError::new(line, column, e.to_string())))
        .ok()
}

/// Days between contacts: a whole number from 1 up, or nothing.
pub(crate) fn cadence(text: &str) -> Result<Option<u32>, String> {
    match text::parse_optional_integer(text) {
        Ok(None) => Ok(None),
        Ok(Some(days)) => u32::try_from(days)
            .ok()
            .filter(|d| *d > 0)
            .map(Some)
            .ok_or_else(|| format!("{days} is no number of days (1 or more)")),
        Err(e) => Err(e.to_string()),
    }
}

fn parse_row(
    record: &csv::ByteRecord,
    line: usize,
    c: &Columns,
    errors: &mut Vec<RowError>,
) -> ContactRow {
    let source_text = field(record, c.source);
    let source = if source_text.is_empty() {
        None
    } else {
        let parsed = Source::parse(source_text);
        if parsed.is_none() {
            errors.push(RowError::new(
                line,
                "source",
                format!(
                    "unknown source {source_text:?} (one of: offer, walk-in, referral, campaign, other)"
                ),
            ));
        }
        parsed
    };
    let birthday_text = field(record, c.birthday);
    let birthday = if birthday_text.is_empty() {
        None
    } else {
        text::parse_date(birthday_text)
            .map_err(|e| errors.push(RowError::new(line, "birthday", e.to_string())))
            .ok()
    };
    let contact_every_days = cadence(field(record, c.contact_every_days))
        .map_err(|reason| errors.push(RowError::new(line, "contact_every_days", reason)))
        .ok()
        .flatten();
    // The export's guard is taken off; a formula that came without it is refused.
    for (column, index) in [
        ("name", c.name),
        ("company", c.company),
        ("city", c.city),
        ("tags", c.tags),
    ] {
        if let Some(reason) = csv_safe::formula_risk(cell(record, index)) {
            errors.push(RowError::new(line, column, reason));
        }
    }
    let tags = read_list(field(record, c.tags), |tag| {
        if let Some(reason) = csv_safe::formula_risk(tag) {
            errors.push(RowError::new(line, "tags", reason));
        }
    });
    let name = non_empty(field(record, c.name)).or_else(|| {
        let joined = format!(
            "{} {}",
            field(record, c.first_name),
            field(record, c.last_name)
        );
        non_empty(&joined)
    });
    ContactRow {
        line,
        reference: non_empty(field(record, c.reference)),
        name,
        company: non_empty(field(record, c.company)),
        emails: read_list(field(record, c.email), |_| {}),
        phones: read_list(field(record, c.phone), |_| {}),
        address: non_empty(field(record, c.address)),
        city: non_empty(field(record, c.city)),
        tags,
        source,
        referred_by: non_empty(field(record, c.referred_by)),
        birthday,
        notes: Some(untrimmed(record, c.notes))
            .filter(|n| !n.is_empty())
            .map(str::to_string),
        marketing_consent: flag(
            record,
            c.marketing_consent,
            "marketing_consent",
            line,
            errors,
        ),
        prospect: flag(record, c.prospect, "prospect", line, errors),
        advocate: flag(record, c.advocate, "advocate", line, errors),
        contact_every_days,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_all_columns() {
        let file = "Ref;Name;Company;Email;Phone;City;Tags;Source;Referred_by;Birthday\n\
                    K1;Liisa Mäkinen;Mäkinen Oy;liisa@x.fi, l@y.fi;040 123 4567;Tampere;\"vip, kahvi\";suositus;K0;12.4.1985\n";
        let rows = parse_contacts_csv(file.as_bytes()).unwrap();
        let c = &rows[0];
        assert_eq!(c.line, 2);
        assert_eq!(c.reference.as_deref(), Some("K1"));
        assert_eq!(c.company.as_deref(), Some("Mäkinen Oy"));
        assert_eq!(c.emails, ["liisa@x.fi", "l@y.fi"]);
        assert_eq!(c.phones, ["040 123 4567"]);
        assert_eq!(c.tags, ["vip", "kahvi"]);
        assert_eq!(c.source, Some(Source::Referral));
        assert_eq!(c.referred_by.as_deref(), Some("K0"));
        assert_eq!(c.birthday, NaiveDate::from_ymd_opt(1985, 4, 12));
    }

    #[test]
    fn formulas_in_text_cells_are_row_errors() {
        let file = include_bytes!("../../tests/fixtures/formats/contacts_formula.csv");
        let err = parse_contacts_csv(file).unwrap_err();
        let found: Vec<String> = err
            .errors
            .iter()
            .map(|e| format!("{}:{}", e.line, e.column))
            .collect();
        assert_eq!(found, ["3:name", "4:company"]);
        assert!(err.errors[0].reason.contains("formula"));
    }

    #[test]
    fn an_exports_formula_guard_comes_off_on_import() {
        // What `kanta export contacts` writes for +358 …, =Anna and a note =1+1.
        let file = "ref,name,phone,tags,notes\n\
                    K1,'=Anna,'+358 40 123 4567; '-5 5,vip; '@x,'=1+1\n";
        let rows = parse_contacts_csv(file.as_bytes()).unwrap();
        assert_eq!(rows[0].name.as_deref(), Some("=Anna"));
        assert_eq!(rows[0].phones, ["+358 40 123 4567", "-5 5"]);
        assert_eq!(rows[0].tags, ["vip", "@x"]);
        assert_eq!(rows[0].notes.as_deref(), Some("=1+1"));
        // Without the guard, a formula is refused as before, wherever it is in a list.
        let err = parse_contacts_csv(b"ref,name,tags\nK1,Anna,vip; =x\n").unwrap_err();
        assert_eq!(err.errors[0].column, "tags");
    }

    #[test]
    fn flags_cadence_and_notes_are_read_as_written() {
        let file = "ref,name,marketing_consent,prospect,advocate,contact_every_days,notes\n\
                    K1,Anna,yes,no,kyllä,30,\"  two\nlines  \"\n\
                    K2,Bo,,,,,\n\
                    K3,Cy,maybe,,,0,\n";
        let read = read_contacts_csv(file.as_bytes());
        let (a, b) = (&read.rows[0], &read.rows[1]);
        assert_eq!(
            (
                a.marketing_consent,
                a.prospect,
                a.advocate,
                a.contact_every_days
            ),
            (Some(true), Some(false), Some(true), Some(30))
        );
        assert_eq!(a.notes.as_deref(), Some("  two\nlines  "));
        // An empty cell says nothing: an update keeps what the store holds.
        assert_eq!(
            (
                b.marketing_consent,
                b.contact_every_days,
                b.notes.as_deref()
            ),
            (None, None, None)
        );
        let bad: Vec<(usize, &str)> = read
            .errors
            .iter()
            .map(|e| (e.line, e.column.as_str()))
            .collect();
        assert_eq!(bad, [(5, "contact_every_days"), (5, "marketing_consent")]);
    }

    #[test]
    fn list_items_holding_a_separator_come_back_whole() {
        let items = vec![
            "kahvi, tumma".to_string(),
            "a;b".into(),
            "c\\".into(),
            "=x".into(),
        ];
        let cell = join_list(&items);
        assert_eq!(cell, "kahvi\\, tumma; a\\;b; c\\\\; '=x");
        assert_eq!(read_list(&cell, |_| {}), items);
        // A backslash that escapes nothing is the owner's.
        assert_eq!(split_list("C:\\temp, x"), ["C:\\temp", "x"]);
    }

    #[test]
    fn tags_split_on_semicolons_inside_a_comma_file() {
        let rows = parse_contacts_csv(b"customer_id,tags\nC1,a;b; c\n").unwrap();
        assert_eq!(rows[0].reference.as_deref(), Some("C1"));
        assert_eq!(rows[0].tags, ["a", "b", "c"]);
    }

    #[test]
    fn every_bad_row_is_reported() {
        let file = "name,email,source,company\n\
                    Anna,anna.at.x.fi,,\n\
                    ,,,Firma Oy\n\
                    Bo,bo@x.se,friends,\n\
                    Cy,cy@@x,,\n\
                    Di,di@x.fi,offer,\n";
        let err = parse_contacts_csv(file.as_bytes()).unwrap_err();
        let found: Vec<String> = err
            .errors
            .iter()
            .map(|e| format!("{}:{}", e.line, e.column))
            .collect();
        // Line 3 has only a company: it is named after it (SPEC section 7).
        assert_eq!(found, ["2:email", "4:source", "5:email"]);
    }

    #[test]
    fn a_file_without_identifying_columns_is_refused() {
        let err = parse_contacts_csv(b"company,city\nX,Y\n").unwrap_err();
        assert_eq!(err.errors[0].line, 1);
        assert!(parse_contacts_csv(b"\n\n").is_err());
    }

    #[test]
    fn email_sanity() {
        assert!(check_email("@b").is_err());
        assert!(check_email("a@").is_err());
        assert!(check_email("a b@c").is_err());
        assert!(check_email("040 123").is_err());
    }

    #[test]
    fn a_shop_customer_list_with_split_names_and_finnish_columns() {
        let rows = parse_contacts_csv(
            b"First Name,Last Name,Email,Company,Phone,Tags\nAino,Lahtinen,a@x.fi,,040 1,vip\n,,,Kahvila Oy,,\n",
        )
        .unwrap();
        assert_eq!(rows[0].name.as_deref(), Some("Aino Lahtinen"));
        assert_eq!(rows[1].name.as_deref(), Some("Kahvila Oy"));
        let rows = parse_contacts_csv(
            "Nimi;Sähköposti;Puhelin;Paikkakunta\nLiisa;l@x.fi;040;Oulu\n".as_bytes(),
        )
        .unwrap();
        assert_eq!(rows[0].emails, ["l@x.fi"]);
        assert_eq!(rows[0].city.as_deref(), Some("Oulu"));
    }

    #[test]
    fn a_bad_google_email_is_named_by_its_own_column() {
        let file = "First Name,Last Name,Labels,E-mail 1 - Value,E-mail 2 - Value\n\
                    Aino,L,,a@x.fi,not-an-email ::: b@x.fi\n";
        let read = read_contacts_csv(file.as_bytes());
        assert_eq!(read.errors.len(), 1);
        assert_eq!(read.errors[0].column, "E-mail 2 - Value");
        // The row is read all the same, for judging the file's other rows.
        assert_eq!(read.rows[0].emails, ["a@x.fi", "b@x.fi"]);
    }
}
