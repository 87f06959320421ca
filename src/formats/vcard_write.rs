//! Writing contacts as vCard 4.0 (RFC 6350), which `parse_vcards` reads back.

use super::ContactRow;

/// Escapes a text value: backslash, newline, comma and semicolon.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            c => out.push(c),
        }
    }
    out
}

/// Appends one content line folded at 75 octets, never inside a character: the
/// continuation lines start with a space, so they carry at most 74 octets.
fn push_folded(out: &mut String, line: &str) {
    let mut rest = line;
    let mut limit = 75;
    loop {
        if rest.len() <= limit {
            out.push_str(rest);
            out.push_str("\r\n");
            return;
        }
        let mut cut = limit;
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push_str(&rest[..cut]);
        out.push_str("\r\n ");
        rest = &rest[cut..];
        limit = 74;
    }
}

/// A phone as a `tel:` URI when it is already E.164, else as free text.
fn tel_line(phone: &str) -> String {
    if crate::domain::phone::is_e164(phone) {
        format!("TEL;VALUE=uri:tel:{phone}")
    } else {
        format!("TEL;VALUE=text:{}", escape(phone))
    }
}

/// The product every card kanta writes names (RFC 6350 `PRODID`), by which its
/// reader knows kanta's own export: a name or tag a spreadsheet would run as a
/// formula is refused in other files, but kept in kanta's own, as the CSV
/// export's guard keeps it.
pub(crate) const PRODID: &str = "-//kanta//kanta export//EN";

/// Writes contacts as one vCard 4.0 file.
#[cfg(test)]
pub(crate) fn write_vcard4(contacts: &[ContactRow]) -> String {
    let mut out = String::new();
    for contact in contacts {
        push_vcard4(&mut out, contact);
    }
    out
}

/// Appends one contact as a vCard 4.0 card. What vCard has no property for
/// goes in kanta's own: `X-KANTA-SOURCE`, `X-KANTA-REFERRED-BY` (a ref),
/// `X-KANTA-MARKETING-CONSENT`, `X-KANTA-PROSPECT`, `X-KANTA-ADVOCATE` (yes or
/// no) and `X-KANTA-CONTACT-EVERY-DAYS`. A carriage return in a value is left
/// out: vCard lines end in one, and `\n` is its only line break.
pub(crate) fn push_vcard4(out: &mut String, contact: &ContactRow) {
    {
        let mut lines = vec![
            "BEGIN:VCARD".to_string(),
            "VERSION:4.0".to_string(),
            format!("PRODID:{PRODID}"),
            // FN is required in 4.0, even when empty.
            format!("FN:{}", escape(contact.name.as_deref().unwrap_or(""))),
        ];
        if let Some(reference) = &contact.reference {
            lines.push(format!("UID:{}", escape(reference)));
        }
        if let Some(company) = &contact.company {
            lines.push(format!("ORG:{}", escape(company)));
        }
        lines.extend(
            contact
                .emails
                .iter()
                .map(|e| format!("EMAIL:{}", escape(e))),
        );
        lines.extend(contact.phones.iter().map(|p| tel_line(p)));
        if contact.address.is_some() || contact.city.is_some() {
            // An address is one line where vCard readers (kanta's too) show it.
            let one_line = |part: Option<&str>| escape(&part.unwrap_or("").replace('\n', ", "));
            lines.push(format!(
                "ADR:;;{};{};;;",
                one_line(contact.address.as_deref()),
                one_line(contact.city.as_deref())
            ));
        }
        if !contact.tags.is_empty() {
            let tags: Vec<String> = contact.tags.iter().map(|t| escape(t)).collect();
            lines.push(format!("CATEGORIES:{}", tags.join(",")));
        }
        if let Some(day) = contact.birthday {
            lines.push(format!("BDAY:{}", day.format("%Y%m%d")));
        }
        // Notes of nothing but carriage returns are no notes in a vCard.
        if let Some(notes) = contact
            .notes
            .as_deref()
            .map(escape)
            .filter(|n| !n.is_empty())
        {
            lines.push(format!("NOTE:{notes}"));
        }
        if let Some(source) = contact.source {
            lines.push(format!("X-KANTA-SOURCE:{}", source.code()));
        }
        if let Some(referrer) = &contact.referred_by {
            lines.push(format!("X-KANTA-REFERRED-BY:{}", escape(referrer)));
        }
        for (property, flag) in [
            ("X-KANTA-MARKETING-CONSENT", contact.marketing_consent),
            ("X-KANTA-PROSPECT", contact.prospect),
            ("X-KANTA-ADVOCATE", contact.advocate),
        ] {
            if let Some(flag) = flag {
                lines.push(format!("{property}:{}", if flag { "yes" } else { "no" }));
            }
        }
        if let Some(days) = contact.contact_every_days {
            lines.push(format!("X-KANTA-CONTACT-EVERY-DAYS:{days}"));
        }
        lines.push("END:VCARD".to_string());
        for line in &lines {
            push_folded(out, line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_vcards;
    use super::*;
    use crate::domain::Source;
    use chrono::NaiveDate;

    fn full_contact() -> ContactRow {
        ContactRow {
            line: 1,
            reference: Some("K-1".into()),
            name: Some("Liisa Mäkinen".into()),
            company: Some("Mäkinen; Poika, Oy".into()),
            emails: vec!["liisa@example.fi".into(), "l.m@example.com".into()],
            phones: vec!["+358401234567".into(), "040 765, 4321".into()],
            address: Some("Hämeenkatu 12 B 7".into()),
            city: Some("Tampere".into()),
            tags: vec!["vip".into(), "kahvi, tumma".into(), "a\\b".into()],
            source: Some(Source::WalkIn),
            referred_by: Some("K-0".into()),
            birthday: NaiveDate::from_ymd_opt(1985, 4, 12),
            notes: Some(format!(
                "Pitää tummasta paahdosta.\nSoita ma–pe; {}",
                "ä".repeat(60)
            )),
            marketing_consent: Some(true),
            prospect: Some(false),
            advocate: Some(true),
            contact_every_days: Some(45),
        }
    }

    #[test]
    fn round_trip_keeps_every_field() {
        let bare = ContactRow {
            line: 22,
            ..email_only()
        };
        let contacts = vec![full_contact(), bare];
        let written = write_vcard4(&contacts);
        let read = parse_vcards(written.as_bytes()).unwrap();
        assert_eq!(read.len(), 2);
        let mut expected = contacts.clone();
        for (e, r) in expected.iter_mut().zip(&read) {
            e.line = r.line;
        }
        assert_eq!(read, expected);
    }

    fn email_only() -> ContactRow {
        ContactRow {
            emails: vec!["only@example.fi".into()],
            ..ContactRow::default()
        }
    }

    #[test]
    fn lines_are_folded_at_75_octets_on_char_boundaries() {
        let written = write_vcard4(&[full_contact()]);
        assert!(
            written.lines().any(|l| l.starts_with(' ')),
            "expected a folded line"
        );
        for line in written.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        assert!(written.contains("ORG:Mäkinen\\; Poika\\, Oy\r\n"));
        assert!(written.contains("TEL;VALUE=uri:tel:+358401234567\r\n"));
    }

    /// Text from an alphabet of the characters that need escaping or folding care.
    fn tricky_text(seed: &mut u64, len: usize) -> String {
        const ALPHABET: [&str; 12] = [
            "a", " ", ",", ";", "\\", "\n", ":", "ä", "€", "😀", "=", "Z",
        ];
        let mut out = String::new();
        for _ in 0..len {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            out.push_str(ALPHABET[usize::try_from(*seed >> 60).unwrap() % ALPHABET.len()]);
        }
        // Readers trim values, as the importer would.
        let trimmed = out.trim();
        if trimmed.is_empty() {
            "x".to_string()
        } else {
            format!("x{trimmed}x")
        }
    }

    #[test]
    fn round_trip_of_generated_awkward_text() {
        let mut seed = 7;
        for len in 0..120 {
            let contact = ContactRow {
                line: 1,
                reference: Some(tricky_text(&mut seed, len % 9)),
                name: Some(tricky_text(&mut seed, len)),
                company: Some(tricky_text(&mut seed, len / 2)),
                emails: vec![format!(
                    "{}@example.fi",
                    tricky_text(&mut seed, 3).replace([' ', '@', '\n'], "")
                )],
                tags: vec![tricky_text(&mut seed, 5), tricky_text(&mut seed, len)],
                notes: Some(tricky_text(&mut seed, len * 2)),
                ..ContactRow::default()
            };
            let written = write_vcard4(std::slice::from_ref(&contact));
            let read = parse_vcards(written.as_bytes()).unwrap();
            assert_eq!(read, [contact], "{written}");
        }
    }
}
