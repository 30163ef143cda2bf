//! The tables and indexes, in one place: what [`Store::init`](super::Store::init) creates
//! and what [`Store::reset`](super::Store::reset) empties. There are no migrations: every
//! statement is `IF NOT EXISTS`, so opening an existing file is a no-op.

use rusqlite::Connection;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS customers (identity TEXT PRIMARY KEY, uuid TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS orders (
    seq INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    customer_uuid TEXT NOT NULL,
    invoice_number TEXT,
    invoice_option INTEGER NOT NULL,
    order_date INTEGER NOT NULL,
    due_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    refunded INTEGER NOT NULL DEFAULT 0,
    callback_url TEXT,
    request TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_by_status ON orders(status, seq);
CREATE INDEX IF NOT EXISTS orders_due ON orders(due_at) WHERE status = 'SENT';
CREATE TABLE IF NOT EXISTS products (
    id INTEGER PRIMARY KEY,
    order_seq INTEGER NOT NULL,
    line INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    refunded INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS products_by_order ON products(order_seq, line);
CREATE TABLE IF NOT EXISTS refunds (
    id INTEGER PRIMARY KEY,
    order_seq INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    at INTEGER NOT NULL,
    request TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS refunds_by_time ON refunds(at);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    order_seq INTEGER NOT NULL,
    from_status TEXT,
    to_status TEXT NOT NULL,
    at INTEGER NOT NULL,
    cause TEXT NOT NULL,
    note TEXT
);
CREATE TABLE IF NOT EXISTS callbacks (
    id INTEGER PRIMARY KEY,
    order_seq INTEGER NOT NULL,
    url TEXT NOT NULL,
    status TEXT NOT NULL,
    payment_method TEXT NOT NULL,
    event_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS callbacks_by_order ON callbacks(order_seq, id);
CREATE INDEX IF NOT EXISTS callbacks_pending ON callbacks(state) WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS callback_attempts (
    id INTEGER PRIMARY KEY,
    callback_id INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    at_ms INTEGER NOT NULL,
    url TEXT NOT NULL,
    http_status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_callback ON callback_attempts(callback_id, attempt);
";

/// Every table, emptied (a reset): each table of [`SCHEMA`] once.
const CLEAR: &str = "DELETE FROM orders; DELETE FROM products; DELETE FROM refunds; DELETE FROM events; \
     DELETE FROM callbacks; DELETE FROM callback_attempts; DELETE FROM customers; DELETE FROM meta;";

/// Create what is missing.
pub(super) fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)
}

/// Empty every table.
pub(super) fn clear(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(CLEAR)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reset_empties_every_table() {
        let tables: Vec<&str> = SCHEMA
            .split("CREATE TABLE IF NOT EXISTS ")
            .skip(1)
            .filter_map(|t| t.split_whitespace().next())
            .collect();
        assert_eq!(tables.len(), 8, "{tables:?}");
        for t in tables {
            assert!(CLEAR.contains(&format!("DELETE FROM {t};")), "{t}");
        }
    }
}
