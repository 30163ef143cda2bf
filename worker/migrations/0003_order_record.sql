-- What an order was sent with, for the order page, the search and the bookkeeper's CSV (issue
-- 14). Filled on create from the validated request; the notes and what the API says later
-- (invoice number, refunded amount) as they come.

-- The create request as core validated it (JSON of `CreateOrder`): every field it was sent with.
ALTER TABLE orders ADD COLUMN request TEXT;
ALTER TABLE orders ADD COLUMN first_name TEXT;
-- First name and name as a person reads them, and lower-cased both ways round for the search
-- ("ola nordmann", "nordmann ola").
ALTER TABLE orders ADD COLUMN full_name TEXT;
ALTER TABLE orders ADD COLUMN full_lc TEXT;
ALTER TABLE orders ADD COLUMN rev_lc TEXT;
ALTER TABLE orders ADD COLUMN customer_reference TEXT;
ALTER TABLE orders ADD COLUMN customer_reference_lc TEXT;
-- Organisasjonsnummer and fødselsnummer as sent (digits).
ALTER TABLE orders ADD COLUMN org_number TEXT;
ALTER TABLE orders ADD COLUMN personal_number TEXT;
ALTER TABLE orders ADD COLUMN country_code TEXT;
ALTER TABLE orders ADD COLUMN msisdn TEXT;
-- Unix seconds, and days until due (invoice kinds).
ALTER TABLE orders ADD COLUMN order_date INTEGER;
ALTER TABLE orders ADD COLUMN invoice_maturity INTEGER;
-- VAT due per rate, by core: {"2500": øre, ...}.
ALTER TABLE orders ADD COLUMN vat TEXT;
ALTER TABLE orders ADD COLUMN invoice_number TEXT;
-- Refunded so far (øre) as the API last said.
ALTER TABLE orders ADD COLUMN refunded_ore INTEGER;
ALTER TABLE orders ADD COLUMN cancellation_note TEXT;
-- The internal note: never sent upstream.
ALTER TABLE orders ADD COLUMN note TEXT;
ALTER TABLE orders ADD COLUMN note_by TEXT;
ALTER TABLE orders ADD COLUMN note_at INTEGER;

CREATE INDEX orders_full ON orders (full_lc);
CREATE INDEX orders_rev ON orders (rev_lc);
CREATE INDEX orders_customer_reference ON orders (customer_reference_lc);
CREATE INDEX orders_org ON orders (org_number);
