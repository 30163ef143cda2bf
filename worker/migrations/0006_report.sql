-- The overview and the VAT report (issue 20). Times are Unix milliseconds; days are Oslo
-- calendar days counted from 1970-01-01 (core's report::oslo_day).

-- When the proxy first saw the order paid (or already refunded or completed): the payment date
-- of the overview's money in and of the VAT report by payment date. Orders paid before this
-- migration take the time their status was last recorded, the closest the index knows.
ALTER TABLE orders ADD COLUMN paid_at INTEGER;
UPDATE orders SET paid_at = updated_at WHERE status IN ('PAID', 'PARTIAL REFUNDED', 'REFUNDED', 'COMPLETED');

-- The day an unpaid order's age counts from (core's report::age_origin): an invoice's due
-- date, a payment link's order date; for an order known by status only, the day the proxy
-- first saw it. Set on create; older rows get it from the first overview or VAT report.
ALTER TABLE orders ADD COLUMN due_day INTEGER;

-- Sales excluding VAT per rate, by core (beside `vat`, the VAT per rate): {"2500": øre}.
ALTER TABLE orders ADD COLUMN vat_base TEXT;

-- The VAT rate of each line by Front Payment's line id, learnt from the order's details
-- ({"5410": 1250}, basis points): refunds through Frontdesk name their lines by that id.
ALTER TABLE orders ADD COLUMN line_rates TEXT;

-- Money in by payment date (the paid series reads these three only).
CREATE INDEX orders_paid ON orders (paid_at, status, amount_ore);
-- The VAT report by order date (the status read from the index, rows only for paid orders).
CREATE INDEX orders_order_date ON orders (order_date, status);
-- Orders sent, outstanding and by status in a period, read from the index alone.
CREATE INDEX orders_created_status ON orders (created_at, status, amount_ore);
-- What is owed by age, and the list's `overdue=` filter.
CREATE INDEX orders_status_due ON orders (status, due_day, amount_ore);
-- Rows still waiting for their due day (and base per rate), for the backfill.
CREATE INDEX orders_due_missing ON orders (uuid) WHERE due_day IS NULL;
