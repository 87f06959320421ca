//! Contacts CSV (SPEC section 7): a header row, columns found by name in
//! English or Finnish; Google's and Outlook's CSV recognised by their header.

use chrono::NaiveDate;

use super::recognise::{Export, recognise};
use super::text;
use crate::domain::Source;
use crate::domain::email::check_email;

use super::{Header, ParseErrors, Records, RowError, blame_unclosed_quote, field, non_empty};

/// One contact as read from a CSV or vCard file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactRow {
    /// 1-based physical line in the file (a vCard's `BEGIN` line).
    pub line: usize,
    pub reference: Option<String>,
    pub name: Option<String>,
    pub company: Option<String>,
    pub emails: Vec<String>,
    /// As written; the importer normalizes them (`domain::phone`).
    pub phones: Vec<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub tags: Vec<String>,
    pub source: Option<Source>,
    /// The `ref` of the customer who recommended this one.
    pub referred_by: Option<String>,
    pub birthday: Option<NaiveDate>,
    pub notes: Option<String>,
}

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
        let texts = [
            ("name", self.name.as_deref()),
            ("company", self.company.as_deref()),
            ("city", self.city.as_deref()),
        ];
        let tags = self.tags.iter().map(|t| ("tags", Some(t.as_str())));
        for (column, value) in texts.into_iter().chain(tags) {
            if let Some(reason) = value.and_then(text::formula_risk) {
                errors.push(RowError::new(self.line, column, reason));
            }
        }
        for email in &self.emails {
            if let Err(bad) = check_email(email) {
                errors.push(RowError::new(self.line, email_column, bad.to_string()));
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

/// Splits a list field on `,` or `;`, trimming and dropping empty items.
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ContactsRead {
    /// The rows read, bad ones included (their bad fields left out).
    pub rows: Vec<ContactRow>,
    /// In file order; empty when the file is good.
    pub errors: Vec<RowError>,
}

impl ContactsRead {
    fn refused(error: RowError) -> ContactsRead {
        ContactsRead {
            rows: Vec::new(),
            errors: vec![error],
        }
    }

    /// The rows when every one is good, else every problem.
    pub fn into_result(self) -> Result<Vec<ContactRow>, ParseErrors> {
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
            Layout::Google(columns) => columns.read(record, line, errors, header),
            Layout::Outlook(columns) => columns.read(record, line, errors, header),
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
pub fn parse_contacts_csv(bytes: &[u8]) -> Result<Vec<ContactRow>, ParseErrors> {
    read_contacts_csv(bytes).into_result()
}

/// Reads a contacts CSV whole: every row, and every problem of every row.
pub fn read_contacts_csv(bytes: &[u8]) -> ContactsRead {
    let text = text::decode(bytes);
    if let Err(e) = text::refuse_binary(&text) {
        return ContactsRead {
            rows: Vec::new(),
            errors: e.errors,
        };
    }
    let mut records = Records::new(&text);
    let header_line = match records.next_line() {
        Some(Ok(line)) => line,
        Some(Err(e)) => return ContactsRead::refused(e),
        None => return ContactsRead::refused(RowError::new(1, "header", "the file is empty")),
    };
    let header = Header::new(records.record.iter());
    let layout = match recognise(&header) {
        Some(Export::GoogleContacts | Export::GoogleContactsOld) => {
            Layout::Google(super::google_contacts::Columns::find(&header))
        }
        Some(Export::Outlook) => Layout::Outlook(super::outlook_contacts::Columns::find(&header)),
        Some(export) => match export.refused_as_contacts() {
            Some(reason) => {
                return ContactsRead::refused(RowError::new(header_line, "header", reason));
            }
            None => Layout::Own(Columns::find(&header)),
        },
        None => Layout::Own(Columns::find(&header)),
    };
    let mut read = ContactsRead::default();
    if let Layout::Own(columns) = &layout
        && !columns.identifies()
    {
        read.errors.push(RowError::new(
            header_line,
            "name/ref/email",
            "missing column: a contacts file needs name, ref or email",
        ));
        // The rows say nothing more, bar a quote left open in the header.
        while records.next_line().is_some() {}
        blame_unclosed_quote(&records, Some(&header), &mut read.errors);
        return read;
    }
    while let Some(line) = records.next_line() {
        let line = match line {
            Ok(line) => line,
            Err(e) => {
                read.errors.push(e);
                break;
            }
        };
        let contact = layout
            .read(&records.record, line, &mut read.errors, &header)
            .named_after_company();
        contact.check(layout.email_column(), &mut read.errors);
        read.rows.push(contact);
    }
    if let Some((_, from)) = records.unterminated_quote(Some(&header)) {
        // The record it opens in is the rest of the file in one cell.
        read.rows.retain(|r| r.line < from);
        blame_unclosed_quote(&records, Some(&header), &mut read.errors);
    }
    read.errors.sort_by_key(|e| e.line);
    read
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
        emails: split_list(field(record, c.email)),
        phones: split_list(field(record, c.phone)),
        address: non_empty(field(record, c.address)),
        city: non_empty(field(record, c.city)),
        tags: split_list(field(record, c.tags)),
        source,
        referred_by: non_empty(field(record, c.referred_by)),
        birthday,
        notes: non_empty(field(record, c.notes)),
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
        use crate::domain::email::is_email;
        assert!(!is_email("@b"));
        assert!(!is_email("a@"));
        assert!(!is_email("a b@c"));
        assert!(!is_email("040 123"));
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
