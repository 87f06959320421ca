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

/// Migration `i` takes a store from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1, V2_CALLS, V3_FOLLOWUP_FIGURES, V4_WHO];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rebuilt_order_indexes_are_the_ones_v1_creates() {
        for (name, sql) in ORDER_INDEXES {
            assert!(V1.contains(sql), "{name}");
        }
    }
}
