//! SQLite: schema and queries, no HTTP. One writer connection (all writes serialise on it,
//! in short IMMEDIATE transactions); for a file database, a few read-only connections so a big
//! read never waits behind the writer (WAL lets them run side by side).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use frontdesk_core::ids::{CustomerId, OrderId};
use frontdesk_core::status::{OrderKind, OrderStatus};
use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};

use crate::faults::random_u64;
use crate::rules;

/// Where the state lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Db {
    Memory,
    File(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("cannot create the database directory: {0}")]
    Io(#[from] std::io::Error),
    #[error("order not found")]
    NotFound,
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

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

const ORDER_COLUMNS: &str = "seq, uuid, kind, status, customer_uuid, invoice_number, invoice_option, \
     order_date, due_at, created_at, amount, refunded, callback_url, request";

/// A new order, validated and priced by the caller.
#[derive(Debug, Clone)]
pub struct NewOrder {
    pub kind: OrderKind,
    pub invoice_option: bool,
    pub order_date: i64,
    /// Payment links: when an unpaid link expires.
    pub due_at: Option<i64>,
    /// grandTotal in øre.
    pub amount: i64,
    pub callback_url: Option<String>,
    /// Who the customer is (personal number, org number, email or phone): same → same CSRT.
    pub customer_identity: String,
    /// Each product line's amount in øre, in request order.
    pub line_amounts: Vec<i64>,
    /// The normalised create request, as JSON.
    pub request: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRow {
    pub seq: i64,
    pub uuid: String,
    pub kind: OrderKind,
    pub status: OrderStatus,
    pub customer_uuid: String,
    pub invoice_number: Option<String>,
    pub invoice_option: bool,
    pub order_date: i64,
    pub due_at: Option<i64>,
    pub created_at: i64,
    pub amount: i64,
    pub refunded: i64,
    pub callback_url: Option<String>,
    pub request: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRow {
    pub id: i64,
    pub amount: i64,
    pub refunded: i64,
}

/// One callback to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackJob {
    pub id: i64,
    pub url: String,
    pub order_uuid: String,
    pub status: String,
    pub created_at: i64,
    pub payment_method: String,
    pub amount: i64,
    pub attempts: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptLog {
    pub attempt: i64,
    pub at_ms: i64,
    pub url: String,
    pub http_status: Option<i64>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallbackLog {
    pub id: i64,
    pub url: String,
    pub status: String,
    pub payment_method: String,
    pub event_at: i64,
    pub state: String,
    pub attempts: Vec<AttemptLog>,
}

pub struct Store {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
    /// Earliest `due_at` of a SENT payment link (i64::MAX: none): expiry sweeps only run
    /// when the clock has reached it, so the common request pays one atomic load.
    next_due: AtomicI64,
}

fn lock(m: &Mutex<Connection>) -> MutexGuard<'_, Connection> {
    // A panic while holding the lock rolled its transaction back on unwind: the connection
    // is still good.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn tune(conn: &Connection) -> Result<(), StoreError> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    Ok(())
}

fn parse_kind(s: &str) -> Result<OrderKind, StoreError> {
    OrderKind::ALL
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| StoreError::Corrupt(format!("kind {s:?}")))
}

fn parse_status(s: &str) -> Result<OrderStatus, StoreError> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("status {s:?}")))
}

fn order_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(OrderRow, String, String)> {
    Ok((
        OrderRow {
            seq: r.get(0)?,
            uuid: r.get(1)?,
            kind: OrderKind::PaymentLink,
            status: OrderStatus::Sent,
            customer_uuid: r.get(4)?,
            invoice_number: r.get(5)?,
            invoice_option: r.get::<_, i64>(6)? != 0,
            order_date: r.get(7)?,
            due_at: r.get(8)?,
            created_at: r.get(9)?,
            amount: r.get(10)?,
            refunded: r.get(11)?,
            callback_url: r.get(12)?,
            request: r.get(13)?,
        },
        r.get(2)?,
        r.get(3)?,
    ))
}

fn finish_order((mut o, kind, status): (OrderRow, String, String)) -> Result<OrderRow, StoreError> {
    o.kind = parse_kind(&kind)?;
    o.status = parse_status(&status)?;
    Ok(o)
}

fn load_order(conn: &Connection, uuid: &str) -> Result<Option<OrderRow>, StoreError> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {ORDER_COLUMNS} FROM orders WHERE uuid = ?1"
    ))?;
    let row = st.query_row([uuid], order_from_row).optional()?;
    row.map(finish_order).transpose()
}

fn load_lines(conn: &Connection, seq: i64) -> Result<Vec<LineRow>, StoreError> {
    let mut st = conn.prepare_cached(
        "SELECT id, amount, refunded FROM products WHERE order_seq = ?1 ORDER BY line",
    )?;
    let rows = st.query_map([seq], |r| {
        Ok(LineRow {
            id: r.get(0)?,
            amount: r.get(1)?,
            refunded: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

fn meta_get(conn: &Connection, key: &str) -> Result<Option<i64>, StoreError> {
    let mut st = conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?;
    Ok(st.query_row([key], |r| r.get(0)).optional()?)
}

fn meta_set(conn: &Connection, key: &str, value: i64) -> Result<(), StoreError> {
    let mut st = conn.prepare_cached("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")?;
    st.execute(params![key, value])?;
    Ok(())
}

/// `prefix` + `digits` random digits, the first not 0.
fn random_id(prefix: &str, digits: u32) -> String {
    let span = 9 * 10u64.pow(digits - 1);
    format!("{prefix}{}", 10u64.pow(digits - 1) + random_u64() % span)
}

/// A write transaction on one order. Status changes go through [`OrderTx::set_status`], which
/// records the event and queues the callback in the same transaction.
pub struct OrderTx<'a> {
    tx: &'a Transaction<'a>,
    pub order: OrderRow,
    pub now: i64,
    callbacks: Vec<i64>,
}

impl OrderTx<'_> {
    pub fn lines(&self) -> Result<Vec<LineRow>, StoreError> {
        load_lines(self.tx, self.order.seq)
    }

    pub fn set_status(
        &mut self,
        to: OrderStatus,
        cause: &str,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        set_status(
            self.tx,
            &mut self.order,
            to,
            self.now,
            cause,
            note,
            &mut self.callbacks,
        )
    }

    /// Refunds settled merchant-wide since `since` (sandbox seconds), in øre.
    pub fn refunded_since(&self, since: i64) -> Result<i64, StoreError> {
        let mut st = self
            .tx
            .prepare_cached("SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE at > ?1")?;
        Ok(st.query_row([since], |r| r.get(0))?)
    }

    /// Book a refund: per-line amounts (product id, øre), the order's refunded total and status.
    pub fn add_refund(
        &mut self,
        lines: &[(i64, i64)],
        total: i64,
        new_status: OrderStatus,
        request: &str,
    ) -> Result<(), StoreError> {
        {
            let mut up = self.tx.prepare_cached(
                "UPDATE products SET refunded = refunded + ?1 WHERE id = ?2 AND order_seq = ?3",
            )?;
            for (id, amount) in lines {
                up.execute(params![amount, id, self.order.seq])?;
            }
            let mut ins = self.tx.prepare_cached(
                "INSERT INTO refunds(order_seq, amount, at, request) VALUES(?1, ?2, ?3, ?4)",
            )?;
            ins.execute(params![self.order.seq, total, self.now, request])?;
            let mut ord = self
                .tx
                .prepare_cached("UPDATE orders SET refunded = refunded + ?1 WHERE seq = ?2")?;
            ord.execute(params![total, self.order.seq])?;
        }
        self.order.refunded += total;
        self.set_status(new_status, "refund", None)
    }

    /// Mark every line fully refunded (a simulated full refund from the controls).
    pub fn refund_everything(&mut self) -> Result<(), StoreError> {
        let left = self.order.amount - self.order.refunded;
        self.tx
            .prepare_cached("UPDATE products SET refunded = amount WHERE order_seq = ?1")?
            .execute([self.order.seq])?;
        self.tx
            .prepare_cached("UPDATE orders SET refunded = amount WHERE seq = ?1")?
            .execute([self.order.seq])?;
        if left > 0 {
            self.tx
                .prepare_cached("INSERT INTO refunds(order_seq, amount, at, request) VALUES(?1, ?2, ?3, '{\"simulated\":true}')")?
                .execute(params![self.order.seq, left, self.now])?;
        }
        self.order.refunded = self.order.amount;
        Ok(())
    }
}

fn set_status(
    tx: &Transaction<'_>,
    order: &mut OrderRow,
    to: OrderStatus,
    now: i64,
    cause: &str,
    note: Option<&str>,
    callbacks: &mut Vec<i64>,
) -> Result<(), StoreError> {
    let from = order.status;
    if rules::numbered_on_entering(to) && order.invoice_number.is_none() {
        let n = next_invoice_number(tx)?;
        tx.prepare_cached("UPDATE orders SET invoice_number = ?1 WHERE seq = ?2")?
            .execute(params![n, order.seq])?;
        order.invoice_number = Some(n);
    }
    tx.prepare_cached("UPDATE orders SET status = ?1, updated_at = ?2 WHERE seq = ?3")?
        .execute(params![to.as_str(), now, order.seq])?;
    tx.prepare_cached("INSERT INTO events(order_seq, from_status, to_status, at, cause, note) VALUES(?1, ?2, ?3, ?4, ?5, ?6)")?
        .execute(params![order.seq, from.as_str(), to.as_str(), now, cause, note])?;
    order.status = to;
    if let Some(url) = &order.callback_url {
        tx.prepare_cached("INSERT INTO callbacks(order_seq, url, status, payment_method, event_at, state) VALUES(?1, ?2, ?3, ?4, ?5, 'pending')")?
            .execute(params![order.seq, url, to.as_str(), rules::payment_method(order.invoice_number.is_some(), to), now])?;
        callbacks.push(tx.last_insert_rowid());
    }
    Ok(())
}

fn next_invoice_number(tx: &Transaction<'_>) -> Result<String, StoreError> {
    let n = meta_get(tx, "invoice_seq")?.unwrap_or(rules::FIRST_INVOICE_NUMBER - 1) + 1;
    meta_set(tx, "invoice_seq", n)?;
    Ok(rules::invoice_number(n))
}

impl Store {
    pub fn open(db: &Db) -> Result<Store, StoreError> {
        let (writer, readers) = match db {
            Db::Memory => (Connection::open_in_memory()?, Vec::new()),
            Db::File(path) => Self::open_file(path)?,
        };
        let store = Store {
            writer: Mutex::new(writer),
            readers: readers.into_iter().map(Mutex::new).collect(),
            next_reader: AtomicUsize::new(0),
            next_due: AtomicI64::new(i64::MIN),
        };
        Ok(store)
    }

    fn open_file(path: &Path) -> Result<(Connection, Vec<Connection>), StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let writer = Connection::open(path)?;
        // WAL + NORMAL: a commit is durable against a crash of this process (not of the OS),
        // and readers never block the writer.
        writer.pragma_update(None, "journal_mode", "WAL")?;
        writer.pragma_update(None, "synchronous", "NORMAL")?;
        tune(&writer)?;
        writer.execute_batch(SCHEMA)?;
        let mut readers = Vec::new();
        for _ in 0..2 {
            let r = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            tune(&r)?;
            readers.push(r);
        }
        Ok((writer, readers))
    }

    /// Create the schema (memory databases) and read what the clock needs.
    pub fn init(&self) -> Result<i64, StoreError> {
        let conn = lock(&self.writer);
        conn.execute_batch(SCHEMA)?;
        Ok(meta_get(&conn, "clock_offset")?.unwrap_or(0))
    }

    fn read<T>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        if self.readers.is_empty() {
            return f(&lock(&self.writer));
        }
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        f(&lock(&self.readers[i]))
    }

    fn write<T, E: From<StoreError>>(
        &self,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = lock(&self.writer);
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = f(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Fold the WAL back into the database file (clean shutdown). Committed data is safe
    /// without it; this only leaves a tidy single file behind.
    pub fn checkpoint(&self) -> Result<(), StoreError> {
        if !self.readers.is_empty() {
            lock(&self.writer).query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        }
        Ok(())
    }

    pub fn set_clock_offset(&self, offset: i64) -> Result<(), StoreError> {
        self.write(|tx| meta_set(tx, "clock_offset", offset))
    }

    /// Insert a new order in its initial status. The invoice number (invoice kinds) is drawn
    /// in the same transaction, so numbers are sequential without gaps.
    pub fn create(
        &self,
        new: &NewOrder,
        status: OrderStatus,
        now: i64,
    ) -> Result<(OrderId, CustomerId), StoreError> {
        let out = self.write(|tx| {
            let customer = {
                let mut find = tx.prepare_cached("SELECT uuid FROM customers WHERE identity = ?1")?;
                match find.query_row([&new.customer_identity], |r| r.get::<_, String>(0)).optional()? {
                    Some(c) => c,
                    None => {
                        let mut exists = tx.prepare_cached("SELECT 1 FROM customers WHERE uuid = ?1")?;
                        let c = loop {
                            let c = random_id("CSRT", 10);
                            if exists.query_row([&c], |_| Ok(())).optional()?.is_none() {
                                break c;
                            }
                        };
                        tx.prepare_cached("INSERT INTO customers(identity, uuid) VALUES(?1, ?2)")?
                            .execute(params![new.customer_identity, c])?;
                        c
                    }
                }
            };
            let uuid = {
                let mut exists = tx.prepare_cached("SELECT 1 FROM orders WHERE uuid = ?1")?;
                loop {
                    let u = random_id("ODR", 10);
                    if exists.query_row([&u], |_| Ok(())).optional()?.is_none() {
                        break u;
                    }
                }
            };
            let invoice_number = if new.kind.is_invoice() { Some(next_invoice_number(tx)?) } else { None };
            tx.prepare_cached(
                "INSERT INTO orders(uuid, kind, status, customer_uuid, invoice_number, invoice_option, order_date, due_at, \
                 created_at, updated_at, amount, callback_url, request) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9, ?10, ?11, ?12)",
            )?
            .execute(params![
                uuid,
                new.kind.as_str(),
                status.as_str(),
                customer,
                invoice_number,
                i64::from(new.invoice_option),
                new.order_date,
                new.due_at,
                now,
                new.amount,
                new.callback_url,
                new.request
            ])?;
            let seq = tx.last_insert_rowid();
            let mut line = tx.prepare_cached("INSERT INTO products(order_seq, line, amount) VALUES(?1, ?2, ?3)")?;
            for (i, amount) in new.line_amounts.iter().enumerate() {
                line.execute(params![seq, i64::try_from(i).unwrap_or(i64::MAX), amount])?;
            }
            Ok::<_, StoreError>((uuid, customer))
        })?;
        if let Some(due) = new.due_at {
            self.next_due.fetch_min(due, Ordering::AcqRel);
        }
        let (uuid, customer) = out;
        let uuid = uuid.parse().map_err(|_| StoreError::Corrupt(uuid))?;
        let customer = customer
            .parse()
            .map_err(|_| StoreError::Corrupt(customer))?;
        Ok((uuid, customer))
    }

    /// Run `f` on one order inside a write transaction; commit when it returns `Ok`.
    /// Returns its result and the ids of the callbacks queued.
    pub fn with_order<T, E: From<StoreError>>(
        &self,
        uuid: &str,
        now: i64,
        f: impl FnOnce(&mut OrderTx<'_>) -> Result<T, E>,
    ) -> Result<(T, Vec<i64>), E> {
        self.write(|tx| {
            let order = load_order(tx, uuid)?.ok_or(StoreError::NotFound)?;
            let mut otx = OrderTx {
                tx,
                order,
                now,
                callbacks: Vec::new(),
            };
            let out = f(&mut otx)?;
            Ok((out, otx.callbacks))
        })
    }

    /// Turn SENT payment links whose due date has passed into EXPIRED. Cheap when nothing is
    /// due. Returns the callbacks queued.
    pub fn expire_due(&self, now: i64) -> Result<Vec<i64>, StoreError> {
        if now < self.next_due.load(Ordering::Acquire) {
            return Ok(Vec::new());
        }
        self.write(|tx| {
            let due: Vec<String> = {
                let mut st = tx.prepare_cached(
                    "SELECT uuid FROM orders WHERE status = 'SENT' AND due_at <= ?1",
                )?;
                st.query_map([now], |r| r.get(0))?
                    .collect::<Result<_, _>>()?
            };
            let mut callbacks = Vec::new();
            for uuid in due {
                if let Some(mut o) = load_order(tx, &uuid)? {
                    set_status(
                        tx,
                        &mut o,
                        OrderStatus::Expired,
                        now,
                        "expired",
                        None,
                        &mut callbacks,
                    )?;
                }
            }
            let next: Option<i64> = tx
                .prepare_cached("SELECT MIN(due_at) FROM orders WHERE status = 'SENT'")?
                .query_row([], |r| r.get(0))?;
            // Stored under the writer lock: a create commits either before (and is in MIN) or
            // after (and lowers it with its own fetch_min).
            self.next_due
                .store(next.unwrap_or(i64::MAX), Ordering::Release);
            Ok::<_, StoreError>(callbacks)
        })
    }

    pub fn order(&self, uuid: &str) -> Result<Option<(OrderRow, Vec<LineRow>)>, StoreError> {
        self.read(|c| match load_order(c, uuid)? {
            Some(o) => {
                let lines = load_lines(c, o.seq)?;
                Ok(Some((o, lines)))
            }
            None => Ok(None),
        })
    }

    /// `(uuid, status, amount, refunded)` of every order (or those in `filter`), oldest first.
    pub fn statuses(
        &self,
        filter: Option<OrderStatus>,
    ) -> Result<Vec<(String, OrderStatus)>, StoreError> {
        self.read(|c| {
            let mut st;
            let mut rows = match filter {
                Some(s) => {
                    st = c.prepare_cached(
                        "SELECT uuid, status FROM orders WHERE status = ?1 ORDER BY seq",
                    )?;
                    st.query([s.as_str()])?
                }
                None => {
                    st = c.prepare_cached("SELECT uuid, status FROM orders ORDER BY seq")?;
                    st.query([])?
                }
            };
            let mut out = Vec::new();
            while let Some(r) = rows.next()? {
                let status: String = r.get(1)?;
                out.push((r.get(0)?, parse_status(&status)?));
            }
            Ok(out)
        })
    }

    /// Give an order another uuid (tests replaying recorded ids). `Ok(false)`: `to` is taken by
    /// another order. Everything else refers to the order by its row, so nothing else changes.
    pub fn rename(&self, from: &str, to: &str) -> Result<bool, StoreError> {
        self.write(|tx| {
            if from != to && load_order(tx, to)?.is_some() {
                return Ok(false);
            }
            let changed = tx
                .prepare_cached("UPDATE orders SET uuid = ?2 WHERE uuid = ?1")?
                .execute(params![from, to])?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            Ok::<_, StoreError>(true)
        })
    }

    pub fn count_orders(&self) -> Result<i64, StoreError> {
        self.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM orders", [], |r| r.get(0))?))
    }

    /// The callback delivery log of one order; `None` if there is no such order.
    pub fn callback_log(&self, uuid: &str) -> Result<Option<Vec<CallbackLog>>, StoreError> {
        self.read(|c| {
            let Some(o) = load_order(c, uuid)? else { return Ok(None) };
            let mut st = c.prepare_cached(
                "SELECT id, url, status, payment_method, event_at, state FROM callbacks WHERE order_seq = ?1 ORDER BY id",
            )?;
            let mut logs: Vec<CallbackLog> = st
                .query_map([o.seq], |r| {
                    Ok(CallbackLog {
                        id: r.get(0)?,
                        url: r.get(1)?,
                        status: r.get(2)?,
                        payment_method: r.get(3)?,
                        event_at: r.get(4)?,
                        state: r.get(5)?,
                        attempts: Vec::new(),
                    })
                })?
                .collect::<Result<_, _>>()?;
            let mut at = c.prepare_cached(
                "SELECT attempt, at_ms, url, http_status, error, duration_ms FROM callback_attempts WHERE callback_id = ?1 ORDER BY attempt",
            )?;
            for l in &mut logs {
                l.attempts = at
                    .query_map([l.id], |r| {
                        Ok(AttemptLog {
                            attempt: r.get(0)?,
                            at_ms: r.get(1)?,
                            url: r.get(2)?,
                            http_status: r.get(3)?,
                            error: r.get(4)?,
                            duration_ms: r.get(5)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?;
            }
            Ok(Some(logs))
        })
    }

    pub fn pending_callbacks(&self) -> Result<Vec<i64>, StoreError> {
        let conn = lock(&self.writer);
        let mut st =
            conn.prepare_cached("SELECT id FROM callbacks WHERE state = 'pending' ORDER BY id")?;
        let ids = st.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    pub fn callback_job(&self, id: i64) -> Result<Option<CallbackJob>, StoreError> {
        let conn = lock(&self.writer);
        let mut st = conn.prepare_cached(
            "SELECT c.id, c.url, o.uuid, c.status, o.created_at, c.payment_method, o.amount, c.attempts, c.state \
             FROM callbacks c JOIN orders o ON o.seq = c.order_seq WHERE c.id = ?1",
        )?;
        let row = st
            .query_row([id], |r| {
                Ok((
                    CallbackJob {
                        id: r.get(0)?,
                        url: r.get(1)?,
                        order_uuid: r.get(2)?,
                        status: r.get(3)?,
                        created_at: r.get(4)?,
                        payment_method: r.get(5)?,
                        amount: r.get(6)?,
                        attempts: r.get(7)?,
                    },
                    r.get::<_, String>(8)?,
                ))
            })
            .optional()?;
        Ok(row.and_then(|(job, state)| (state == "pending").then_some(job)))
    }

    /// Log one delivery attempt; `final_state` ends the delivery (`delivered` / `failed`).
    pub fn log_attempt(
        &self,
        id: i64,
        log: &AttemptLog,
        final_state: Option<&str>,
    ) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.prepare_cached(
                "INSERT INTO callback_attempts(callback_id, attempt, at_ms, url, http_status, error, duration_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![id, log.attempt, log.at_ms, log.url, log.http_status, log.error, log.duration_ms])?;
            tx.prepare_cached("UPDATE callbacks SET attempts = ?1, state = COALESCE(?2, state) WHERE id = ?3")?
                .execute(params![log.attempt, final_state, id])?;
            Ok::<_, StoreError>(())
        })
    }

    /// Forget everything: orders, customers, refunds, callbacks, the clock offset.
    pub fn reset(&self) -> Result<(), StoreError> {
        self.write(|tx| {
            tx.execute_batch(
                "DELETE FROM orders; DELETE FROM products; DELETE FROM refunds; DELETE FROM events; \
                 DELETE FROM callbacks; DELETE FROM callback_attempts; DELETE FROM customers; DELETE FROM meta;",
            )?;
            Ok::<_, StoreError>(())
        })?;
        self.next_due.store(i64::MAX, Ordering::Release);
        Ok(())
    }
}
