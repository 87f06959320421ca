use super::{add, date, draft, order};
use crate::domain::{CustomerDraft, Source};
use crate::store::Record;
use crate::store::{Store, StoreError};

fn full_draft() -> CustomerDraft {
    CustomerDraft {
        reference: None,
        name: "  Maija Meikäläinen ".into(),
        company: Some("Kahvila Oy".into()),
        emails: vec![
            "maija@example.fi".into(),
            " MAIJA@example.fi".into(),
            "m2@example.fi".into(),
        ],
        phones: vec!["040-1234567".into(), "+358 40 123 4567".into()],
        address: Some("Hämeenkatu 1".into()),
        city: Some("Tampere".into()),
        tags: vec!["vip".into(), "".into(), "coffee".into()],
        source: Some(Source::WalkIn),
        referred_by: None,
        prospect: true,
        advocate: false,
        marketing_consent: true,
        notes: "likes oat milk".into(),
        contact_every_days: Some(30),
    }
}

fn invalid_message(result: Result<impl std::fmt::Debug, StoreError>) -> String {
    match result {
        Err(StoreError::Invalid(message)) => message,
        Err(StoreError::Refused(refusal)) => refusal.to_string(),
        other => panic!("expected Invalid or Refused, got {other:?}"),
    }
}

#[test]
fn a_customer_round_trips_with_an_assigned_ref() {
    let mut store = Store::open_in_memory().unwrap();
    let first = store.insert_customer(&full_draft()).unwrap();
    assert_eq!(first.reference, "K000001");
    assert_eq!(first.name, "Maija Meikäläinen");
    assert_eq!(first.company.as_deref(), Some("Kahvila Oy"));
    // Duplicates are dropped: the same address in another case, the same number
    // written another way.
    assert_eq!(first.emails, vec!["maija@example.fi", "m2@example.fi"]);
    assert_eq!(first.phones, vec!["040-1234567"]);
    assert_eq!(first.tags, vec!["coffee", "vip"]);
    assert_eq!(first.source, Some(Source::WalkIn));
    assert!(first.prospect && first.marketing_consent && !first.advocate);
    assert_eq!(first.contact_every_days, Some(30));
    assert_eq!(first.created_at, first.updated_at);
    assert_eq!(store.customer(first.id).unwrap(), Some(first.clone()));
    assert_eq!(
        store.customer_by_ref("K000001").unwrap(),
        Some(first.clone())
    );
    let second = store.insert_customer(&draft("Matti")).unwrap();
    assert_eq!(second.reference, "K000002");
    assert_eq!(store.customers().unwrap(), vec![first, second]);
}

#[test]
fn an_assigned_ref_steps_around_an_imported_one() {
    let mut store = Store::open_in_memory().unwrap();
    let imported = CustomerDraft {
        reference: Some("K000002".into()),
        ..draft("Imported")
    };
    store.insert_customer(&imported).unwrap();
    let next = store.insert_customer(&draft("Next")).unwrap();
    assert_eq!(next.reference, "K000002-2");
}

#[test]
fn bad_input_is_refused_with_the_field_named_and_nothing_written() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .insert_customer(&CustomerDraft {
            reference: Some("A1".into()),
            ..draft("Anna")
        })
        .unwrap();
    assert!(invalid_message(store.insert_customer(&draft("   "))).starts_with("name"));
    let taken = CustomerDraft {
        reference: Some("A1".into()),
        ..draft("Other")
    };
    assert!(invalid_message(store.insert_customer(&taken)).starts_with("ref"));
    let bad_email = CustomerDraft {
        emails: vec!["anna.example.fi".into()],
        ..draft("Anna")
    };
    assert!(invalid_message(store.insert_customer(&bad_email)).starts_with("email"));
    let bad_phone = CustomerDraft {
        phones: vec!["ask her".into()],
        ..draft("Anna")
    };
    assert!(invalid_message(store.insert_customer(&bad_phone)).starts_with("phone"));
    let no_referrer = CustomerDraft {
        referred_by: Some(99),
        ..draft("Anna")
    };
    assert!(invalid_message(store.insert_customer(&no_referrer)).starts_with("referred by"));
    assert_eq!(store.customers().unwrap().len(), 1);
}

#[test]
fn an_update_replaces_fields_keeps_the_ref_and_stamps_updated_at() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = store.insert_customer(&full_draft()).unwrap();
    let other = add(&mut store, "Other");
    std::thread::sleep(std::time::Duration::from_millis(5));
    let changed = CustomerDraft {
        name: "Anna Uusi".into(),
        emails: vec!["anna@example.fi".into()],
        phones: vec![],
        tags: vec!["new".into()],
        referred_by: Some(other),
        ..full_draft()
    };
    let updated = store.update_customer(anna.id, &changed).unwrap();
    assert_eq!(updated.reference, anna.reference);
    assert_eq!(updated.name, "Anna Uusi");
    assert_eq!(updated.emails, vec!["anna@example.fi"]);
    assert!(updated.phones.is_empty());
    assert_eq!(updated.tags, vec!["new"]);
    assert_eq!(updated.referred_by, Some(other));
    assert_eq!(updated.created_at, anna.created_at);
    assert!(updated.updated_at > anna.updated_at);
    // Its own ref is not "taken"; another's is.
    let same_ref = CustomerDraft {
        reference: Some(anna.reference.clone()),
        ..changed.clone()
    };
    assert!(store.update_customer(anna.id, &same_ref).is_ok());
    let others_ref = CustomerDraft {
        reference: Some("K000002".into()),
        ..changed.clone()
    };
    assert!(invalid_message(store.update_customer(anna.id, &others_ref)).starts_with("ref"));
    let itself = CustomerDraft {
        referred_by: Some(anna.id),
        ..changed
    };
    assert!(invalid_message(store.update_customer(anna.id, &itself)).starts_with("referred by"));
    assert!(matches!(
        store.update_customer(42, &draft("Nobody")),
        Err(StoreError::NotFound {
            what: Record::Customer,
            id: 42
        })
    ));
}

#[test]
fn deleting_a_customer_takes_their_history_and_unlinks_referrals() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    let referred = store
        .insert_customer(&CustomerDraft {
            referred_by: Some(anna),
            ..draft("Bea")
        })
        .unwrap();
    assert_eq!(store.referrals_of(anna).unwrap(), vec![referred.id]);
    store
        .add_order(&order(anna, date(2024, 1, 1), 100))
        .unwrap();
    store.add_followup(anna, date(2024, 2, 1), "call").unwrap();
    store.delete_customer(anna).unwrap();
    assert!(store.customer(anna).unwrap().is_none());
    assert!(store.orders().unwrap().is_empty());
    assert!(store.open_followups().unwrap().is_empty());
    assert_eq!(
        store.customer(referred.id).unwrap().unwrap().referred_by,
        None
    );
    assert!(matches!(
        store.delete_customer(anna),
        Err(StoreError::NotFound { .. })
    ));
}

#[test]
fn customers_are_found_by_email_and_by_phone() {
    let mut store = Store::open_in_memory().unwrap();
    let maija = store.insert_customer(&full_draft()).unwrap();
    add(&mut store, "Someone");
    assert_eq!(
        store.find_by_email("MAIJA@Example.fi").unwrap(),
        Some(maija.id)
    );
    assert_eq!(store.find_by_email("nobody@example.fi").unwrap(), None);
    assert_eq!(
        store.find_by_phone("+358401234567").unwrap(),
        vec![maija.id]
    );
    assert!(store.find_by_phone("+358409999999").unwrap().is_empty());
}

#[test]
fn orders_round_trip_newest_first_and_external_ids_are_unique() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    let first = store
        .add_order(&crate::domain::OrderDraft {
            quantity: Some(3),
            external_id: Some("#1001".into()),
            discount: true,
            note: Some("gift wrap".into()),
            ..order(anna, date(2024, 1, 2), 4550)
        })
        .unwrap();
    assert_eq!(first.order_date, date(2024, 1, 2));
    assert_eq!(
        (first.amount_cents, first.quantity, first.discount),
        (4550, Some(3), true)
    );
    assert_eq!(first.external_id.as_deref(), Some("#1001"));
    assert_eq!(first.note.as_deref(), Some("gift wrap"));
    let refund = store
        .add_order(&order(anna, date(2024, 1, 9), -550))
        .unwrap();
    assert_eq!(
        store.orders_of(anna).unwrap(),
        vec![refund.clone(), first.clone()]
    );
    assert_eq!(store.orders().unwrap(), vec![first.clone(), refund.clone()]);
    let again = crate::domain::OrderDraft {
        external_id: Some("#1001".into()),
        ..order(anna, date(2024, 1, 3), 1)
    };
    assert!(invalid_message(store.add_order(&again)).starts_with("order id"));
    assert!(matches!(
        store.add_order(&order(77, date(2024, 1, 3), 1)),
        Err(StoreError::NotFound {
            what: Record::Customer,
            ..
        })
    ));
    store.delete_order(first.id).unwrap();
    assert_eq!(store.orders_of(anna).unwrap(), vec![refund]);
}

#[test]
fn values_a_script_wrote_badly_are_errors_naming_table_row_and_column() {
    let mut store = Store::open_in_memory().unwrap();
    let anna = add(&mut store, "Anna");
    store
        .add_order(&order(anna, date(2024, 1, 2), 100))
        .unwrap();
    let conn = store.connection();
    // Passes the column's GLOB check, but is no date.
    conn.execute(
        "INSERT INTO orders (id, customer_id, order_date, amount_cents) VALUES (9, ?1, '2023-02-30', 5)",
        [anna],
    )
    .unwrap();
    let message = invalid_message(store.orders_of(anna));
    assert!(
        message.contains("orders row 9") && message.contains("order_date"),
        "{message}"
    );
    let message = invalid_message(store.load_facts());
    assert!(
        message.contains("orders row 9") && message.contains("order_date"),
        "{message}"
    );
    conn.execute("DELETE FROM orders WHERE id = 9", []).unwrap();
    conn.execute(
        "INSERT INTO interactions (id, customer_id, at, kind) VALUES (4, ?1, 'yesterday', 'call')",
        [anna],
    )
    .unwrap();
    let message = invalid_message(store.load_facts());
    assert!(
        message.contains("interactions row 4") && message.contains("at"),
        "{message}"
    );
    let message = invalid_message(store.interactions_of(anna));
    assert!(message.contains("interactions row 4"), "{message}");
    conn.execute(
        "UPDATE customers SET created_at = 'long ago' WHERE id = ?1",
        [anna],
    )
    .unwrap();
    let message = invalid_message(store.customer(anna));
    assert!(
        message.contains(&format!("customers row {anna}")) && message.contains("created_at"),
        "{message}"
    );
}

#[test]
fn an_edit_of_a_customer_changed_elsewhere_since_the_form_opened_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let mut first = Store::open_or_create(&path).unwrap();
    let mut second = Store::open(&path).unwrap();
    let id = add(&mut first, "Aino");
    // Both windows open the edit form on the same customer.
    let seen = first.customer(id).unwrap().unwrap();
    let also_seen = second.customer(id).unwrap().unwrap();
    let mut theirs = draft("Aino Second");
    theirs.reference = Some(also_seen.reference.clone());
    second
        .update_customer_seen(id, &theirs, Some(&also_seen))
        .unwrap();
    let mut mine = draft("Aino First");
    mine.reference = Some(seen.reference.clone());
    let err = first
        .update_customer_seen(id, &mine, Some(&seen))
        .expect_err("the second save must not overwrite the first silently");
    let StoreError::ChangedElsewhere { current } = &err else {
        panic!("unexpected error: {err:?}");
    };
    assert_eq!(current.name, "Aino Second");
    assert_eq!(first.customer(id).unwrap().unwrap().name, "Aino Second");
    // Overwriting on purpose: the form saves against what it now knows.
    first
        .update_customer_seen(id, &mine, Some(current))
        .unwrap();
    assert_eq!(first.customer(id).unwrap().unwrap().name, "Aino First");
}

#[test]
fn an_edit_of_a_customer_a_script_changed_since_the_form_opened_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanta.db");
    let mut store = Store::open_or_create(&path).unwrap();
    let id = add(&mut store, "Eero");
    let seen = store.customer(id).unwrap().unwrap();
    // A script changes the city and leaves updated_at alone.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE customers SET city = 'Oulu' WHERE id = ?1", [id])
        .unwrap();
    let mut mine = draft("Eero K");
    mine.reference = Some(seen.reference.clone());
    let err = store
        .update_customer_seen(id, &mine, Some(&seen))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::ChangedElsewhere { .. }),
        "{err:?}"
    );
}

#[test]
fn a_logged_call_and_its_follow_up_are_saved_together_or_not_at_all() {
    let mut store = Store::open_in_memory().unwrap();
    let id = add(&mut store, "Liisa");
    let (call, follow_up) = store
        .log_contact(
            id,
            crate::domain::InteractionKind::Call,
            None,
            "call back about the order",
            chrono::Utc::now(),
            Some(date(2026, 12, 3)),
        )
        .unwrap();
    assert_eq!(call.customer_id, id);
    assert_eq!(follow_up.unwrap().due, date(2026, 12, 3));
    // A follow-up that cannot be written takes the call with it.
    store
        .connection()
        .execute_batch(
            "CREATE TRIGGER no_followups BEFORE INSERT ON followups
             BEGIN SELECT RAISE(ABORT, 'refused'); END",
        )
        .unwrap();
    let before = store.interactions_of(id).unwrap().len();
    assert!(
        store
            .log_contact(
                id,
                crate::domain::InteractionKind::Call,
                None,
                "second call",
                chrono::Utc::now(),
                Some(date(2026, 12, 4)),
            )
            .is_err()
    );
    assert_eq!(store.interactions_of(id).unwrap().len(), before);
}

#[test]
fn phones_are_checked_by_the_one_rule_but_a_stored_one_is_kept() {
    let mut store = Store::open_in_memory().unwrap();
    let draft = |phones: &[&str]| CustomerDraft {
        name: "Aino".into(),
        phones: phones.iter().map(|p| p.to_string()).collect(),
        ..CustomerDraft::default()
    };
    let refused = store.insert_customer(&draft(&["040 12"])).unwrap_err();
    let sentence = crate::domain::phone::parse("040 12", "FI").unwrap_err();
    assert_eq!(refused.to_string(), format!("phone: {sentence}"));
    let saved = store
        .insert_customer(&draft(&["+358 (0)40 765 4321 x12"]))
        .unwrap();
    let e164 = |c: &crate::domain::Customer| -> Vec<String> {
        c.phones_e164
            .iter()
            .flatten()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(e164(&saved), vec!["+358407654321"]);
    // A number stored before numbers were checked stays through an edit.
    store
        .connection()
        .execute(
            "UPDATE customer_phones SET phone = '+44 7700 900123', phone_normalized = '+447700900123'",
            [],
        )
        .unwrap();
    let edited = store
        .update_customer(saved.id, &draft(&["+44 7700 900123", "09 123 4567"]))
        .unwrap();
    assert_eq!(e164(&edited), vec!["+447700900123", "+35891234567"]);
    assert!(
        store
            .update_customer(saved.id, &draft(&["+44 7700 900124"]))
            .is_err()
    );
    // The store's country reads national numbers.
    store.set_default_country("SE");
    let swede = store.insert_customer(&draft(&["070-123 45 67"])).unwrap();
    assert_eq!(e164(&swede), vec!["+46701234567"]);
}
