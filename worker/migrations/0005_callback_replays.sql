-- Verified callbacks, remembered by checksum for as long as one could be accepted (20 min, twice
-- the 10 min timestamp skew): a repeat is answered 200 without another upstream read (issue 15).
-- `reread` = 1 for the callback that re-read its order: at most one re-read per order per 10 s,
-- the others are left to the cron. Rows older than 20 min are purged after fresh callbacks.
CREATE TABLE callback_replays (
  checksum   TEXT PRIMARY KEY,
  order_uuid TEXT NOT NULL,
  seen_at    INTEGER NOT NULL,
  reread     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX callback_replays_order ON callback_replays (order_uuid, seen_at);
CREATE INDEX callback_replays_seen ON callback_replays (seen_at);
