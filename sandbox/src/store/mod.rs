//! SQLite, no HTTP and no business rules (those are in [`crate::rules`] and core). One writer
//! connection (all writes serialise on it, in short IMMEDIATE transactions); for a file
//! database, a few read-only connections so a big read never waits behind the writer (WAL lets
//! them run side by side).
//!
//! This file has the pool and the transactions; the rest is by entity: `schema.rs` the tables,
//! `orders.rs` orders, their lines and status changes, `refunds.rs` booking refunds,
//! `callbacks.rs` the delivery queue and its log, `expiry.rs` the sweep of due payment links.
//! Amounts are core's [`Money`](frontdesk_core::money::Money) at this module's edge; only the
//! SQL sees them as integer øre.

mod callbacks;
mod expiry;
mod orders;
mod refunds;
mod schema;

pub use callbacks::{AttemptLog, CallbackJob, CallbackLog};
pub use orders::{LineRow, NewOrder, OrderRow};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{
    Connection, OpenFlags, OptionalExtension, Transaction, TransactionBehavior, params,
};

/// Where the state lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Db {
    /// Gone when the process ends (tests, the bench).
    Memory,
    /// A file that survives restarts (created with its directory if missing).
    File(PathBuf),
}

/// Why a store operation failed.
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

/// The database: the writer, the readers, and what the expiry sweep needs to stay cheap.
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

fn meta_get(conn: &Connection, key: &str) -> Result<Option<i64>, StoreError> {
    let mut st = conn.prepare_cached("SELECT value FROM meta WHERE key = ?1")?;
    Ok(st.query_row([key], |r| r.get(0)).optional()?)
}

fn meta_set(conn: &Connection, key: &str, value: i64) -> Result<(), StoreError> {
    let mut st = conn.prepare_cached("INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value")?;
    st.execute(params![key, value])?;
    Ok(())
}

/// A write transaction on one order. Status changes go through [`OrderTx::set_status`], which
/// records the event and queues the callback in the same transaction.
pub struct OrderTx<'a> {
    tx: &'a Transaction<'a>,
    /// The order as it stands in this transaction.
    pub order: OrderRow,
    /// Sandbox time of this transaction (events, refunds and callbacks are stamped with it).
    pub now: i64,
    callbacks: Vec<i64>,
}

impl<'a> OrderTx<'a> {
    fn new(tx: &'a Transaction<'a>, order: OrderRow, now: i64) -> Self {
        OrderTx {
            tx,
            order,
            now,
            callbacks: Vec::new(),
        }
    }
}

impl Store {
    /// Open (or create) the database; [`Store::init`] must follow.
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
        schema::create(&writer)?;
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
        schema::create(&conn)?;
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

    /// Keep the clock's offset (the controls moved it), so a restart keeps sandbox time.
    pub fn set_clock_offset(&self, offset: i64) -> Result<(), StoreError> {
        self.write(|tx| meta_set(tx, "clock_offset", offset))
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
            let order = orders::load_order(tx, uuid)?.ok_or(StoreError::NotFound)?;
            let mut otx = OrderTx::new(tx, order, now);
            let out = f(&mut otx)?;
            Ok((out, otx.callbacks))
        })
    }

    /// Forget everything: orders, customers, refunds, callbacks, the clock offset.
    pub fn reset(&self) -> Result<(), StoreError> {
        self.write(|tx| {
            schema::clear(tx)?;
            Ok::<_, StoreError>(())
        })?;
        self.nothing_due();
        Ok(())
    }
}
