//! The sandbox's own business rules, the ones the server shows but core does not hold: how
//! invoice numbers are made and which payment method a callback names. The store calls them
//! and keeps only the SQL; nothing here knows of it.

use frontdesk_core::status::OrderStatus;

/// The first invoice number after a reset: eight digits, like the recorded server's.
pub const FIRST_INVOICE_NUMBER: i64 = 10_000_001;

/// Invoice number `n` of the sequence as the API shows it (a string of at least 8 digits).
pub fn invoice_number(n: i64) -> String {
    format!("{n:08}")
}

/// Whether an order entering `to` is given an invoice number if it has none: a payment link
/// whose customer chose invoice becomes an invoiced order and gets its number then.
pub fn numbered_on_entering(to: OrderStatus) -> bool {
    to == OrderStatus::Invoiced
}

/// The payment method a callback reports for an order in `status`: an order with an invoice
/// number is paid by invoice, a link that reached reserved, paid or refunded by card; any
/// other names none (an empty string).
pub fn payment_method(has_invoice_number: bool, status: OrderStatus) -> &'static str {
    if has_invoice_number {
        "INVOICE"
    } else if matches!(
        status,
        OrderStatus::Reserved
            | OrderStatus::Paid
            | OrderStatus::PartialRefunded
            | OrderStatus::Refunded
    ) {
        "CARD"
    } else {
        ""
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_numbers_are_eight_digits_from_the_first() {
        assert_eq!(invoice_number(FIRST_INVOICE_NUMBER), "10000001");
        assert_eq!(invoice_number(42), "00000042");
    }

    #[test]
    fn payment_method_by_invoice_number_then_status() {
        assert_eq!(payment_method(true, OrderStatus::Sent), "INVOICE");
        assert_eq!(payment_method(false, OrderStatus::Paid), "CARD");
        assert_eq!(payment_method(false, OrderStatus::PartialRefunded), "CARD");
        assert_eq!(payment_method(false, OrderStatus::Cancelled), "");
        assert!(numbered_on_entering(OrderStatus::Invoiced));
        assert!(!numbered_on_entering(OrderStatus::Paid));
    }
}
