//! The schema, one migration per version. `PRAGMA user_version` holds the version
//! a store is at; opening migrates forward one step at a time. Never edit a
//! released migration: add the next one.

/// `PRAGMA application_id` of a kanta store ("KNTA").
pub const APPLICATION_ID: i32 = 0x4B4E_5441;

/// The orders' non-unique indexes, as V1 creates them: a large import into a
/// nearly empty store drops them and builds them again once, sorted, which is
/// far cheaper than a million inserts at random places.
pub const ORDER_INDEXES: [(&str, &str); 2] = [
    (
        "orders_customer_date",
        "CREATE INDEX orders_customer_date ON orders(customer_id, order_date, amount_cents);",
    ),
    (
        "orders_batch",
        "CREATE INDEX orders_batch ON orders(batch_id) WHERE batch_id IS NOT NULL;",
    ),
];

/// Migration `i` takes a store from version `i` to `i + 1`: its SQL, then
/// what [`migrate_data`] does for it.
pub const MIGRATIONS: &[&str] = &[
    V1,
    V2_CALLS,
    V3_FOLLOWUP_FIGURES,
    V4_WHO,
    V5_PHONES,
    super::summaries::TABLES,
    V7_FOLLOWUPS_DONE,
    super::frames::TABLE,
];

/// The version a store has after every migration.
pub const LATEST_VERSION: i64 = MIGRATIONS.len() as i64;

const V1: &str = r#"
CREATE TABLE import_batches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,                 -- 'orders' | 'contacts' | 'shopify' | 'vcard'
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,          -- UTC, RFC 3339
    customers_added INTEGER NOT NULL DEFAULT 0,
    customers_updated INTEGER NOT NULL DEFAULT 0,
    orders_added INTEGER NOT NULL DEFAULT 0,
    undone INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    company TEXT,
    address TEXT,
    city TEXT,
    -- CHECKs spell lists out with OR: an IN list makes SQLite build a temporary
    -- index on every insert, which dominates a bulk import.
    source TEXT CHECK (source = 'offer' OR source = 'walk-in' OR source = 'referral'
        OR source = 'campaign' OR source = 'other'),
    referred_by INTEGER REFERENCES customers(id) ON DELETE SET NULL,
    prospect INTEGER NOT NULL DEFAULT 0,
    advocate INTEGER NOT NULL DEFAULT 0,
    marketing_consent INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    contact_every_days INTEGER CHECK (contact_every_days > 0),
    erased INTEGER NOT NULL DEFAULT 0,
    batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX customers_referred_by ON customers(referred_by);

CREATE TABLE customer_emails (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    email TEXT NOT NULL,
    PRIMARY KEY (customer_id, position)
);
CREATE INDEX customer_emails_email ON customer_emails(email COLLATE NOCASE);

CREATE TABLE customer_phones (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    phone TEXT NOT NULL,                -- as the owner wrote it
    phone_normalized TEXT NOT NULL,     -- E.164 where it can be made, else the digits
    PRIMARY KEY (customer_id, position)
);
CREATE INDEX customer_phones_normalized ON customer_phones(phone_normalized);

CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag)
);

CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    order_date TEXT NOT NULL
        CHECK (order_date GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    amount_cents INTEGER NOT NULL,
    quantity INTEGER,
    external_id TEXT,
    discount INTEGER NOT NULL DEFAULT 0,
    note TEXT,
    import_key TEXT,                    -- dedupe key of an imported row
    batch_id INTEGER REFERENCES import_batches(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX orders_customer_date ON orders(customer_id, order_date, amount_cents);
CREATE UNIQUE INDEX orders_external_id ON orders(external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX orders_import_key ON orders(import_key) WHERE import_key IS NOT NULL;
CREATE INDEX orders_batch ON orders(batch_id) WHERE batch_id IS NOT NULL;

CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    at TEXT NOT NULL,                   -- UTC instant, RFC 3339
    kind TEXT NOT NULL CHECK (kind = 'call' OR kind = 'email' OR kind = 'meeting' OR kind = 'note'),
    direction TEXT CHECK (direction = 'inbound' OR direction = 'outbound'),
    text TEXT NOT NULL DEFAULT ''
);
CREATE INDEX interactions_customer_at ON interactions(customer_id, at);

CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
    due TEXT NOT NULL,                  -- YYYY-MM-DD
    status TEXT NOT NULL DEFAULT 'open' CHECK (status = 'open' OR status = 'done'),
    rule TEXT,                          -- NULL when written by hand
    anchor TEXT,                        -- the date a rule anchored on
    reason TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    done_at TEXT,
    UNIQUE (rule, customer_id, anchor)
);
CREATE INDEX followups_open_due ON followups(status, due);
CREATE INDEX followups_customer ON followups(customer_id);
"#;

/// Incoming calls for the open dashboards (`kanta call`), and the dashboards
/// open on the store. Both are signals between processes, kept briefly.
const V2_CALLS: &str = r#"
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,               -- as the phone gave it
    number_normalized TEXT NOT NULL,    -- E.164 where it can be made
    at TEXT NOT NULL                    -- UTC instant, RFC 3339
);
CREATE INDEX calls_number ON calls(number_normalized);

CREATE TABLE dashboards (
    pid INTEGER PRIMARY KEY,            -- the dashboard's process
    started_at TEXT NOT NULL
);
"#;

/// A rule's follow-up keeps the rule's figures, not a sentence, so that its
/// reason is worded when shown, in the UI language (SPEC section 6). Rows
/// written before keep their English `reason`, which kanta reads back.
const V3_FOLLOWUP_FIGURES: &str = r#"
ALTER TABLE followups ADD COLUMN figures TEXT;  -- JSON, e.g. {"rule":"thank-you","first_purchase":"2026-11-02"}
"#;

/// Who did it (the config's `user`, else the OS user name): the staff's
/// record, kept when a customer is erased. NULL where nobody is known (an
/// import, a rule, a script, a store from before).
const V4_WHO: &str = r#"
ALTER TABLE interactions ADD COLUMN logged_by TEXT;
ALTER TABLE followups ADD COLUMN created_by TEXT;
ALTER TABLE followups ADD COLUMN acted_by TEXT;     -- the last to mark done, snooze, reschedule or note it
ALTER TABLE orders ADD COLUMN entered_by TEXT;      -- an order entered by hand
ALTER TABLE customers ADD COLUMN updated_by TEXT;   -- the last edit in a form, or a merge
"#;

/// Phones keep their extension apart, and every stored phone is read again
/// by the one phone rule (`domain::phone`): a trunk zero after the country
/// code was kept before (`+358 040 …` was `+3580407654321`), an extension was
/// glued to the number, and the dashboard read national numbers as Finnish
/// whatever the `default_country`.
const V5_PHONES: &str = r#"
ALTER TABLE customer_phones ADD COLUMN phone_extension TEXT;  -- its digits; NULL for none
"#;

/// Every load reads the follow-ups done in the week for the weekly review,
/// by status and done date: through `followups_open_due` alone each done
/// one was looked at (at a million customers, 134,669 read to find the
/// week's 32,761, a quarter of a second).
const V7_FOLLOWUPS_DONE: &str = r#"
CREATE INDEX followups_done ON followups(status, done_at);
"#;

/// What a migration does beyond its SQL, as it brings a store to `version`.
/// `default_country` is the config's, for numbers written without a code.
pub(crate) fn migrate_data(
    tx: &rusqlite::Transaction<'_>,
    version: i64,
    default_country: &str,
) -> rusqlite::Result<()> {
    match version {
        5 => renormalise_phones(tx, default_country)?,
        // Each customer's order history in one row, and the change log, kept
        // current by triggers (`store::summaries`).
        6 => super::summaries::install(tx)?,
        _ => {}
    }
    Ok(())
}

/// Every stored phone's E.164 form and extension, read again from what was
/// written. A phone no rule reads (no digits) keeps what it had.
fn renormalise_phones(
    tx: &rusqlite::Transaction<'_>,
    default_country: &str,
) -> rusqlite::Result<()> {
    use crate::domain::phone::StoredPhone;
    let mut select = tx.prepare("SELECT customer_id, position, phone FROM customer_phones")?;
    let mut update = tx.prepare(
        "UPDATE customer_phones SET phone_normalized = ?3, phone_extension = ?4
         WHERE customer_id = ?1 AND position = ?2",
    )?;
    let mut rows = select.query([])?;
    while let Some(row) = rows.next()? {
        // A script may have written anything: what is not text is left alone.
        let (Ok(customer), Ok(position)) = (row.get::<_, i64>(0), row.get::<_, i64>(1)) else {
            continue;
        };
        let Some(written) = row.get_ref(2)?.as_str().ok().map(str::to_string) else {
            continue;
        };
        if let Some(stored) = StoredPhone::lenient(&written, default_country) {
            update.execute(rusqlite::params![
                customer,
                position,
                stored.normalized,
                stored.extension
            ])?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store at version 1 holding the phones as kanta 1 wrote them, opened
    /// by a kanta whose config says `country`.
    fn migrated(country: &str) -> Vec<(String, String, Option<String>)> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(V1).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        conn.execute_batch(
            "INSERT INTO customers (id, ref, name) VALUES (1, 'A', 'Aino'), (2, 'B', 'Bertil');
             INSERT INTO customer_phones VALUES
                 (1, 0, '+358 040 765 4321', '+3580407654321'),
                 (1, 1, '040 123 4567 ext. 5', '04012345675'),
                 (2, 0, '070-123 45 67', '+35870123456'),
                 (2, 1, 'n/a', '');",
        )
        .unwrap();
        drop(conn);
        let store = crate::store::Store::open_in_country(&path, false, country).unwrap();
        assert_eq!(store.schema_version().unwrap(), LATEST_VERSION);
        let mut stmt = store
            .connection()
            .prepare(
                "SELECT phone, phone_normalized, phone_extension FROM customer_phones
                 ORDER BY customer_id, position",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(1)?, r.get(0)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn the_phones_already_stored_are_read_again_in_the_configs_country() {
        let ext = |e: &str| Some(e.to_string());
        let row = |n: &str, w: &str, e: Option<String>| (n.to_string(), w.to_string(), e);
        assert_eq!(
            migrated("SE"),
            vec![
                // The trunk zero after the code dropped, the extension apart.
                row("+358407654321", "+358 040 765 4321", None),
                row("+46401234567", "040 123 4567 ext. 5", ext("5")),
                // The dashboard read it as Finnish; the config says Sweden.
                row("+46701234567", "070-123 45 67", None),
                // No number at all keeps what it had.
                row("", "n/a", None),
            ]
        );
        assert_eq!(
            migrated("FI")[1],
            row("+358401234567", "040 123 4567 ext. 5", ext("5"))
        );
    }

    #[test]
    fn the_rebuilt_order_indexes_are_the_ones_v1_creates() {
        for (name, sql) in ORDER_INDEXES {
            assert!(V1.contains(sql), "{name}");
        }
    }
}
