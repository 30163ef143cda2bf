-- Frontdesk proxy state. Times are Unix milliseconds.

-- Idempotency keys, scoped per principal (`user:alice`, `key:ci`).
CREATE TABLE idempotency_keys (
  principal   TEXT NOT NULL,
  key         TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  endpoint    TEXT NOT NULL,
  order_uuid  TEXT,
  state       TEXT NOT NULL CHECK (state IN ('in_flight', 'done', 'unknown')),
  status      INTEGER,
  body        TEXT,
  baseline    TEXT,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (principal, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Every authenticated write attempt.
CREATE TABLE audit_log (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  at              INTEGER NOT NULL,
  actor           TEXT NOT NULL,
  role            TEXT NOT NULL,
  action          TEXT NOT NULL,
  order_uuid      TEXT,
  amount_ore      INTEGER,
  status          INTEGER NOT NULL,
  message         TEXT NOT NULL,
  idempotency_key TEXT,
  replayed        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX audit_log_order ON audit_log (order_uuid, id);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_action ON audit_log (action, id);

-- Orders created through the proxy (source 'proxy'), or known by status only from a sync or a
-- callback (source 'sync' / 'callback').
CREATE TABLE orders (
  uuid          TEXT PRIMARY KEY,
  customer_uuid TEXT,
  kind          TEXT,
  customer_name TEXT,
  name_lc       TEXT,
  last_lc       TEXT,
  email_lc      TEXT,
  phone         TEXT,
  reference     TEXT,
  reference_lc  TEXT,
  amount_ore    INTEGER,
  created_by    TEXT,
  created_at    INTEGER NOT NULL,
  status        TEXT,
  updated_at    INTEGER NOT NULL,
  source        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX orders_created ON orders (created_at, uuid);
CREATE INDEX orders_status_created ON orders (status, created_at, uuid);
CREATE INDEX orders_updated ON orders (updated_at, uuid);
CREATE INDEX orders_status_updated ON orders (status, updated_at, uuid);
CREATE INDEX orders_name ON orders (name_lc);
CREATE INDEX orders_last ON orders (last_lc);
CREATE INDEX orders_email ON orders (email_lc);
CREATE INDEX orders_phone ON orders (phone);
CREATE INDEX orders_reference ON orders (reference_lc);

-- Failed logins per (lowercased) username, for the throttle.
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  at       INTEGER NOT NULL
);
CREATE INDEX login_failures_user ON login_failures (username, at);
CREATE INDEX login_failures_at ON login_failures (at);
