-- The customer book and the product catalogue (issue 18). Times are Unix milliseconds; ids
-- are `cus_`/`prd_` and 20 hex digits, given by the proxy.

-- One customer: core's `CustomerDetails` as JSON (`details`), and beside it the keys the
-- type-ahead searches and the matching compares (worker/src/customers.rs, core's
-- book::matching::Keys): names lower-cased both ways round, email lower-cased, phone as calling
-- code + national digits and the national digits alone, the numbers as digits.
CREATE TABLE customers (
  id              TEXT PRIMARY KEY,
  customer_type   TEXT CHECK (customer_type IN ('private', 'corporate')),
  details         TEXT NOT NULL,
  name_lc         TEXT NOT NULL,
  rev_lc          TEXT NOT NULL,
  email_lc        TEXT,
  phone           TEXT,
  msisdn          TEXT,
  org_number      TEXT,
  personal_number TEXT,
  customer_uuid   TEXT,
  notes           TEXT,
  archived        INTEGER NOT NULL DEFAULT 0,
  created_at      INTEGER NOT NULL,
  created_by      TEXT NOT NULL,
  updated_at      INTEGER NOT NULL,
  updated_by      TEXT NOT NULL
) WITHOUT ROWID;
-- The list in name order, keyset-paged on (name_lc, id); each type-ahead column by prefix.
CREATE INDEX customers_name ON customers (name_lc, id);
CREATE INDEX customers_rev ON customers (rev_lc);
CREATE INDEX customers_email ON customers (email_lc);
CREATE INDEX customers_phone ON customers (phone);
CREATE INDEX customers_msisdn ON customers (msisdn);
CREATE INDEX customers_org ON customers (org_number);
CREATE INDEX customers_personal ON customers (personal_number);
CREATE INDEX customers_uuid ON customers (customer_uuid);

-- One product: unit price incl. VAT and default discount in øre, VAT in basis points.
CREATE TABLE products (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  name_lc        TEXT NOT NULL,
  product_id     TEXT,
  product_id_lc  TEXT,
  unit_price_ore INTEGER NOT NULL,
  tax_bp         INTEGER NOT NULL,
  discount_ore   INTEGER,
  unit           TEXT,
  archived       INTEGER NOT NULL DEFAULT 0,
  created_at     INTEGER NOT NULL,
  created_by     TEXT NOT NULL,
  updated_at     INTEGER NOT NULL,
  updated_by     TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX products_name ON products (name_lc, id);
CREATE INDEX products_product_id ON products (product_id_lc);

-- The book entry an order was sent to (set when the create path remembers its customer), and
-- Front Payment's customer id: a customer's orders, their data export and their erasure.
ALTER TABLE orders ADD COLUMN customer_id TEXT;
CREATE INDEX orders_customer ON orders (customer_id);
CREATE INDEX orders_customer_uuid ON orders (customer_uuid);

-- The audit rows that name one customer (`detail` = {"customer": id, …}; the list is
-- worker/src/book.rs `actions::ONE_CUSTOMER`, a test keeps the two the same): their data export
-- finds them by id. Partial, so no other row's detail is ever read as JSON here.
CREATE INDEX audit_log_customer ON audit_log (json_extract(detail, '$.customer'), id) WHERE action IN ('customerCreated', 'customerUpdated', 'customerArchived', 'customerRemembered', 'customerErased', 'customerExported');
