//! Orders: a new order in, the stored row and its product lines out, and the one way a status
//! changes ([`OrderTx::set_status`]), which stamps the event and queues the callback.

use frontdesk_core::ids::{CustomerId, OrderId};
use frontdesk_core::money::Money;
use frontdesk_core::status::{OrderKind, OrderStatus};
use rusqlite::{Connection, OptionalExtension, Transaction, params};

use super::{OrderTx, Store, StoreError, callbacks, meta_get, meta_set};
use crate::faults::random_u64;
use crate::rules;

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
    /// grandTotal.
    pub amount: Money,
    pub callback_url: Option<String>,
    /// Who the customer is (personal number, org number, email or phone): same → same CSRT.
    pub customer_identity: String,
    /// Each product line's amount, in request order.
    pub line_amounts: Vec<Money>,
    /// The normalised create request, as JSON.
    pub request: String,
}

/// An order as stored: what the read endpoints answer with and the rules decide on.
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
    pub amount: Money,
    pub refunded: Money,
    pub callback_url: Option<String>,
    pub request: String,
}

/// One product line as the refund rules need it: its id (`productList[].id`), amount and
/// what has been refunded on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRow {
    pub id: i64,
    pub amount: Money,
    pub refunded: Money,
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
            amount: Money::from_ore(r.get(10)?),
            refunded: Money::from_ore(r.get(11)?),
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

pub(super) fn load_order(conn: &Connection, uuid: &str) -> Result<Option<OrderRow>, StoreError> {
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
            amount: Money::from_ore(r.get(1)?),
            refunded: Money::from_ore(r.get(2)?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `prefix` + `digits` random digits, the first not 0.
fn random_id(prefix: &str, digits: u32) -> String {
    let span = 9 * 10u64.pow(digits - 1);
    format!("{prefix}{}", 10u64.pow(digits - 1) + random_u64() % span)
}

/// A random id (`prefix` and 10 digits) that `taken` (`SELECT 1 … WHERE … = ?1`) does not find.
fn fresh_id(tx: &Transaction<'_>, prefix: &str, taken: &str) -> Result<String, StoreError> {
    let mut exists = tx.prepare_cached(taken)?;
    loop {
        let id = random_id(prefix, 10);
        if exists.query_row([&id], |_| Ok(())).optional()?.is_none() {
            return Ok(id);
        }
    }
}

/// The customer's CSRT id: the one `identity` already has, or a new one.
fn customer_uuid(tx: &Transaction<'_>, identity: &str) -> Result<String, StoreError> {
    let mut find = tx.prepare_cached("SELECT uuid FROM customers WHERE identity = ?1")?;
    if let Some(c) = find
        .query_row([identity], |r| r.get::<_, String>(0))
        .optional()?
    {
        return Ok(c);
    }
    let c = fresh_id(tx, "CSRT", "SELECT 1 FROM customers WHERE uuid = ?1")?;
    tx.prepare_cached("INSERT INTO customers(identity, uuid) VALUES(?1, ?2)")?
        .execute(params![identity, c])?;
    Ok(c)
}

/// The next number of the merchant's gapless invoice sequence (kept in `meta`), written as
/// [`rules::invoice_number`] has it.
fn next_invoice_number(tx: &Transaction<'_>) -> Result<String, StoreError> {
    let n = meta_get(tx, "invoice_seq")?.unwrap_or(rules::FIRST_INVOICE_NUMBER - 1) + 1;
    meta_set(tx, "invoice_seq", n)?;
    Ok(rules::invoice_number(n))
}

impl OrderTx<'_> {
    /// The order's product lines, in request order.
    pub fn lines(&self) -> Result<Vec<LineRow>, StoreError> {
        load_lines(self.tx, self.order.seq)
    }

    /// Move the order to `to`: its invoice number if it now takes one, the status, the event
    /// (`cause`, `note`) and the callback, all in this transaction.
    pub fn set_status(
        &mut self,
        to: OrderStatus,
        cause: &str,
        note: Option<&str>,
    ) -> Result<(), StoreError> {
        let (tx, now, order) = (self.tx, self.now, &mut self.order);
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
        if let Some(id) = callbacks::enqueue(tx, order, now)? {
            self.callbacks.push(id);
        }
        Ok(())
    }
}

impl Store {
    /// Insert a new order in its initial status. The invoice number (invoice kinds) is drawn
    /// in the same transaction, so numbers are sequential without gaps.
    pub fn create(
        &self,
        new: &NewOrder,
        status: OrderStatus,
        now: i64,
    ) -> Result<(OrderId, CustomerId), StoreError> {
        let (uuid, customer) = self.write(|tx| {
            let customer = customer_uuid(tx, &new.customer_identity)?;
            let uuid = fresh_id(tx, "ODR", "SELECT 1 FROM orders WHERE uuid = ?1")?;
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
                new.amount.ore(),
                new.callback_url,
                new.request
            ])?;
            let seq = tx.last_insert_rowid();
            let mut line = tx.prepare_cached("INSERT INTO products(order_seq, line, amount) VALUES(?1, ?2, ?3)")?;
            for (i, amount) in new.line_amounts.iter().enumerate() {
                line.execute(params![seq, i64::try_from(i).unwrap_or(i64::MAX), amount.ore()])?;
            }
            Ok::<_, StoreError>((uuid, customer))
        })?;
        if let Some(due) = new.due_at {
            self.note_due(due);
        }
        let uuid = uuid.parse().map_err(|_| StoreError::Corrupt(uuid))?;
        let customer = customer
            .parse()
            .map_err(|_| StoreError::Corrupt(customer))?;
        Ok((uuid, customer))
    }

    /// One order and its product lines; `None` if there is no such order.
    pub fn order(&self, uuid: &str) -> Result<Option<(OrderRow, Vec<LineRow>)>, StoreError> {
        self.read(|c| match load_order(c, uuid)? {
            Some(o) => {
                let lines = load_lines(c, o.seq)?;
                Ok(Some((o, lines)))
            }
            None => Ok(None),
        })
    }

    /// `(uuid, status)` of every order (or those in `filter`), oldest first.
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
}
