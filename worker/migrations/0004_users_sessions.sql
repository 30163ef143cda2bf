-- Users, sessions that end, revocable API keys, a sign-in throttle per client (issue 15).
-- Times are Unix milliseconds.

-- Console users. The USERS secret only seeds this table (a name found there but not here is
-- copied at its first sign-in); from then on this row decides. Passwords as
-- `pbkdf2-sha256$ITERATIONS$SALT$HASH` (worker/src/auth/password.rs).
CREATE TABLE users (
  username        TEXT PRIMARY KEY,
  role            TEXT NOT NULL CHECK (role IN ('viewer', 'clerk', 'admin')),
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  password_hash   TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  last_sign_in_at INTEGER
) WITHOUT ROWID;

-- One row per sign-in; the signed cookie carries the id (128 random bits, hex). Checked on
-- every request by primary key; `last_seen_at` is rewritten at most once a minute.
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  username     TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  user_agent   TEXT,
  address      TEXT,
  revoked_at   INTEGER
) WITHOUT ROWID;
CREATE INDEX sessions_user ON sessions (username, created_at);

-- API keys (by their name in the API_KEYS secret) that no longer authenticate.
CREATE TABLE revoked_keys (
  name       TEXT PRIMARY KEY,
  revoked_at INTEGER NOT NULL,
  revoked_by TEXT NOT NULL
) WITHOUT ROWID;

-- The throttle counts attempts per (user, client address) and per address across names.
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT 'local';
DROP INDEX login_failures_user;
CREATE INDEX login_failures_pair ON login_failures (username, address, at);
CREATE INDEX login_failures_address ON login_failures (address, at);

-- Where a sign-in, session or account change came from (CF-Connecting-IP on Cloudflare).
ALTER TABLE audit_log ADD COLUMN address TEXT;
