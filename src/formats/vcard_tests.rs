//! Tests of the vCard reader over exports in the shapes phones and Google write.

use chrono::NaiveDate;

use super::parse_vcards;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/formats/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap()
}

fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

#[test]
fn iphone_export_3_0() {
    let cards = parse_vcards(&fixture("iphone.vcf")).unwrap();
    assert_eq!(cards.len(), 3);
    let liisa = &cards[0];
    assert_eq!(liisa.line, 1);
    assert_eq!(liisa.name.as_deref(), Some("Liisa Mäkinen"));
    assert_eq!(liisa.company.as_deref(), Some("Mäkinen Oy, Myynti"));
    assert_eq!(
        liisa.emails,
        ["liisa.makinen@example.fi", "liisa@makinen.example"]
    );
    assert_eq!(liisa.phones, ["+358 40 123 4567", "09 1234 5678"]);
    assert_eq!(
        liisa.address.as_deref(),
        Some("Hämeenkatu 12 B 7, 33100, Finland")
    );
    assert_eq!(liisa.city.as_deref(), Some("Tampere"));
    assert_eq!(
        liisa.notes.as_deref(),
        Some("Pitää tummasta paahdosta, ei maitoa.\nSoita aamupäivisin; ei maanantaisin.")
    );
    assert_eq!(liisa.birthday, ymd(1985, 4, 12));
    assert_eq!(liisa.reference, None);

    // A company card: empty FN and N, so the name is the ORG; a folded NOTE.
    let aroma = &cards[1];
    assert_eq!(aroma.line, 21);
    assert_eq!(aroma.name.as_deref(), Some("Kahvila Aroma Oy"));
    assert!(
        aroma
            .notes
            .as_deref()
            .unwrap()
            .ends_with("vaihtuu usein, kysy vastaanotosta.")
    );

    // Apple's year 1604 means the year is not known.
    assert_eq!(cards[2].birthday, None);
    assert_eq!(cards[2].name.as_deref(), Some("Matti Virtanen"));
}

#[test]
fn android_export_2_1_quoted_printable() {
    let cards = parse_vcards(&fixture("android.vcf")).unwrap();
    assert_eq!(cards.len(), 3);
    let pekka = &cards[0];
    assert_eq!(pekka.name.as_deref(), Some("Pekka Mäkinen"));
    assert_eq!(pekka.phones, ["040-1234567", "09 876 5432"]);
    assert_eq!(pekka.emails, ["pekka@example.fi"]);
    assert_eq!(pekka.address.as_deref(), Some("Kauppakatu 1, 40100"));
    assert_eq!(pekka.city.as_deref(), Some("Jyväskylä"));
    // Soft line breaks, one of them between the two bytes of "ä".
    assert_eq!(
        pekka.notes.as_deref(),
        Some("Pitkä muistiinpano, joka jatkuu toisella rivillä.")
    );
    // ISO-8859-1 charset, name from N, a base64 photo skipped.
    assert_eq!(cards[1].name.as_deref(), Some("Jänis Järvinen"));
    assert_eq!(cards[1].phones, ["+358501112233"]);
    assert_eq!(cards[1].line, 13);
    assert_eq!(cards[2].birthday, ymd(1978, 2, 28));
    assert_eq!(cards[2].line, 21);
}

#[test]
fn google_export_3_0() {
    let cards = parse_vcards(&fixture("google.vcf")).unwrap();
    assert_eq!(cards.len(), 2);
    let anna = &cards[0];
    assert_eq!(anna.emails.len(), 2);
    assert_eq!(
        anna.address.as_deref(),
        Some("Storgatan 1, lgh 1102, 111 22, Sverige")
    );
    assert_eq!(anna.city.as_deref(), Some("Stockholm"));
    assert_eq!(anna.company.as_deref(), Some("Lindqvist Design AB"));
    assert_eq!(anna.birthday, ymd(1990, 11, 3));
    assert_eq!(anna.tags, ["Asiakkaat, Ruotsi"]);
    assert_eq!(cards[1].tags, ["starred"]);
}

#[test]
fn vcard_4_uri_phones_and_uid() {
    let file = "BEGIN:VCARD\nVERSION:4.0\nUID:urn:uuid:4fbe8971\nFN:Eeva\n\
                TEL;VALUE=uri;TYPE=\"cell,voice\":tel:+358-40-123-4567\n\
                CATEGORIES:a,b\nCATEGORIES:c\nBDAY:19850412\nEND:VCARD\n";
    let cards = parse_vcards(file.as_bytes()).unwrap();
    assert_eq!(cards[0].phones, ["+358-40-123-4567"]);
    assert_eq!(cards[0].reference.as_deref(), Some("urn:uuid:4fbe8971"));
    assert_eq!(cards[0].tags, ["a", "b", "c"]);
    assert_eq!(cards[0].birthday, ymd(1985, 4, 12));
}

#[test]
fn a_tel_uri_extension_is_kept_apart_from_the_number() {
    // RFC 3966 in a vCard 4.0 TEL: the extension is no part of the digits.
    let file = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Vaihde\r\n\
                TEL;VALUE=uri;TYPE=work:tel:+358-9-123-4567;ext=12\r\n\
                TEL;VALUE=uri:tel:+358401234567;phone-context=example.fi\r\nEND:VCARD\r\n";
    let cards = parse_vcards(file.as_bytes()).unwrap();
    assert_eq!(
        cards[0].phones,
        ["+358-9-123-4567 ext. 12", "+358401234567"]
    );
}

#[test]
fn a_formula_in_kantas_own_export_is_kept_and_elsewhere_refused() {
    let card = |prodid: &str| {
        format!("BEGIN:VCARD\r\nVERSION:4.0\r\n{prodid}FN:=Anna\r\nCATEGORIES:=x\r\nEND:VCARD\r\n")
    };
    let own = parse_vcards(card("PRODID:-//kanta//kanta export//EN\r\n").as_bytes()).unwrap();
    assert_eq!(
        (own[0].name.as_deref(), own[0].tags.as_slice()),
        (Some("=Anna"), &["=x".to_string()][..])
    );
    let err = parse_vcards(card("PRODID:-//Other//EN\r\n").as_bytes()).unwrap_err();
    assert_eq!(err.errors.len(), 2, "{err}");
}

#[test]
fn notes_keep_their_spaces_and_line_breaks() {
    let file = "BEGIN:VCARD\nVERSION:4.0\nFN:A\nNOTE:  two\\nlines  \nEND:VCARD\n";
    let cards = parse_vcards(file.as_bytes()).unwrap();
    assert_eq!(cards[0].notes.as_deref(), Some("  two\nlines  "));
}

#[test]
fn truncated_file_names_the_unfinished_card() {
    let err = parse_vcards(&fixture("truncated.vcf")).unwrap_err();
    assert_eq!(err.errors.len(), 1);
    assert_eq!(err.errors[0].line, 6);
    assert!(err.errors[0].reason.contains("END:VCARD"));
}

#[test]
fn bad_cards_are_all_reported() {
    let file = "BEGIN:VCARD\nFN:A\nBEGIN:VCARD\nTEL:040\nEND:VCARD\n\
                BEGIN:VCARD\nFN:B\nBDAY:someday\nEMAIL:b.at.example\nEND:VCARD\n\
                BEGIN:VCARD\nFN:C\nX-KANTA-SOURCE:friends\nEND:VCARD\nEND:VCARD\n";
    let err = parse_vcards(file.as_bytes()).unwrap_err();
    let found: Vec<String> = err
        .errors
        .iter()
        .map(|e| format!("{}:{}", e.line, e.column))
        .collect();
    // The card of line 3 has only a phone: it is named after it, not refused.
    assert_eq!(
        found,
        [
            "1:BEGIN",
            "6:EMAIL",
            "8:BDAY",
            "13:X-KANTA-SOURCE",
            "15:END"
        ]
    );
}

#[test]
fn not_a_vcard_and_odd_bytes_do_not_panic() {
    assert!(parse_vcards(b"name,email\n").is_err());
    assert!(parse_vcards(b"").is_err());
    let odd = "BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=E=\n=\nN:\"ä;\nNOTE:\\\nEND:VCARD\n";
    let _ = parse_vcards(odd.as_bytes());
    let _ = parse_vcards(b"BEGIN:VCARD\n\xff\xfe:\x80\nEND:VCARD");
}
