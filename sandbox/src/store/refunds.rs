//! Refunds: booking one on an order's lines and reading what the merchant refunded lately.
//! Whether a refund may be booked is decided before (core's rules, `crate::refunds`).

use frontdesk_core::money::Money;
use frontdesk_core::status::OrderStatus;
use rusqlite::params;

use super::{OrderTx, StoreError};

impl OrderTx<'_> {
    /// Refunds settled merchant-wide since `since` (sandbox seconds).
    pub fn refunded_since(&self, since: i64) -> Result<Money, StoreError> {
        let mut st = self
            .tx
            .prepare_cached("SELECT COALESCE(SUM(amount), 0) FROM refunds WHERE at > ?1")?;
        Ok(Money::from_ore(st.query_row([since], |r| r.get(0))?))
    }

    /// Book a refund: per-line amounts (product id, amount), the order's refunded total and status.
    pub fn add_refund(
        &mut self,
        lines: &[(i64, Money)],
        total: Money,
        new_status: OrderStatus,
        request: &str,
    ) -> Result<(), StoreError> {
        {
            let mut up = self.tx.prepare_cached(
                "UPDATE products SET refunded = refunded + ?1 WHERE id = ?2 AND order_seq = ?3",
            )?;
            for (id, amount) in lines {
                up.execute(params![amount.ore(), id, self.order.seq])?;
            }
            let mut ins = self.tx.prepare_cached(
                "INSERT INTO refunds(order_seq, amount, at, request) VALUES(?1, ?2, ?3, ?4)",
            )?;
            ins.execute(params![self.order.seq, total.ore(), self.now, request])?;
            let mut ord = self
                .tx
                .prepare_cached("UPDATE orders SET refunded = refunded + ?1 WHERE seq = ?2")?;
            ord.execute(params![total.ore(), self.order.seq])?;
        }
        self.order.refunded = Money::from_ore(self.order.refunded.ore() + total.ore());
        self.set_status(new_status, "refund", None)
    }

    /// Mark every line fully refunded (a simulated full refund from the controls).
    pub fn refund_everything(&mut self) -> Result<(), StoreError> {
        let left = self.order.amount.ore() - self.order.refunded.ore();
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
