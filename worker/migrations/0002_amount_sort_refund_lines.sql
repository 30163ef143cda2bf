-- Sort the order list by amount (keyset paging over an expression: orders known from a sync
-- have no amount and sort as -1).
CREATE INDEX orders_amount ON orders (IFNULL(amount_ore, -1), uuid);
CREATE INDEX orders_status_amount ON orders (status, IFNULL(amount_ore, -1), uuid);

-- What a write carried beyond its amount: for refunds the lines, `{"<product id>": øre}`, so the
-- console can show what is left to refund per line (the API only reports the order's total).
ALTER TABLE audit_log ADD COLUMN detail TEXT;
