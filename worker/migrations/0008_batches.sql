-- Send to many (issue 19): a batch and its rows, sent by the BatchJob Durable Object. Times are
-- Unix milliseconds; amounts øre.

-- One batch: previewed (draft), confirmed by a clerk or admin, then sent by its job.
CREATE TABLE batches (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  name           TEXT NOT NULL,
  kind           TEXT NOT NULL,
  state          TEXT NOT NULL CHECK (state IN ('draft', 'confirmed', 'running', 'paused', 'done', 'cancelled')),
  created_by     TEXT NOT NULL,
  -- What the valid orders add up to.
  amount_ore     INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  -- Whose key scope and name the sends carry (`user:kari`), and their role then.
  confirmed_by   TEXT,
  confirmed_role TEXT,
  -- Also the orders' `orderDate` when they leave it to the day they are sent.
  confirmed_at   INTEGER,
  started_at     INTEGER,
  finished_at    INTEGER,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX batches_state ON batches (state);

-- One row per order: its draft as the form would hold it (core's OrderDraft, JSON), sent with
-- the idempotency key `batch-{batch_id}-{row_no}`, and what became of it.
CREATE TABLE batch_rows (
  batch_id   INTEGER NOT NULL,
  -- The order's number in the batch, from 1.
  row_no     INTEGER NOT NULL,
  label      TEXT NOT NULL,
  draft      TEXT NOT NULL,
  amount_ore INTEGER NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('invalid', 'pending', 'sent', 'failed', 'skipped')),
  attempts   INTEGER NOT NULL DEFAULT 0,
  -- Not before (a retry's backoff).
  next_at    INTEGER NOT NULL DEFAULT 0,
  order_uuid TEXT,
  -- Failed: why; invalid: the preview's issues (JSON).
  error      TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (batch_id, row_no)
) WITHOUT ROWID;
CREATE INDEX batch_rows_state ON batch_rows (batch_id, state, row_no);

-- Orders a batch made name it in the index.
ALTER TABLE orders ADD COLUMN batch_id INTEGER;
