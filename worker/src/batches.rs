//! Send to many (issue 19), the pure part: the `/console/batches…` routes, the D1 statements
//! of `batches` and `batch_rows` (migration 0008), each row's idempotency key, and what a
//! send's answer means for its row ([`outcome`]). The job itself (a Durable Object woken by
//! its alarm) and the handlers are `edge/batches/`.

use frontdesk_core::OrderKind;
use frontdesk_core::batch::api::{BatchSummary, RowResult};
use frontdesk_core::batch::{JobEvent, JobState, Progress, RowState};
use serde_json::Value;

use crate::auth::Action;
use crate::error::{ProxyError, ProxyReply};
use crate::ratelimit;
use crate::sql::Query;

/// Rows inserted per statement: three bound parameters each, under D1's 100.
pub const ROWS_PER_INSERT: usize = 30;
/// Attempts of one row whose outcome stays unknown before it is marked failed.
pub const MAX_ATTEMPTS: u32 = 8;
/// Longest wait before a row's next attempt.
const MAX_BACKOFF_MS: i64 = 60_000;
/// Wait while another attempt of the same key is still in flight (not counted).
const IN_FLIGHT_WAIT_MS: i64 = 15_000;
/// Batches the list shows.
const LIST_LIMIT: i64 = 100;

/// `/console/batches…`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchRoute {
    /// `GET /console/batches`
    List,
    /// `POST /console/batches`: preview, stored as a draft.
    Create,
    /// `GET /console/batches/{id}`
    Get(i64),
    /// `GET /console/batches/{id}/result.csv`
    Result(i64),
    /// `POST /console/batches/{id}/confirm|pause|resume|cancel`
    Act(i64, JobEvent),
}

impl BatchRoute {
    /// Reading is everyone's; starting, pausing and stopping is a clerk's.
    pub const fn action(&self) -> Action {
        match self {
            BatchRoute::List | BatchRoute::Get(_) | BatchRoute::Result(_) => Action::ConsoleRead,
            BatchRoute::Create | BatchRoute::Act(..) => Action::SendBatch,
        }
    }

    pub const fn is_write(&self) -> bool {
        matches!(self, BatchRoute::Create | BatchRoute::Act(..))
    }
}

/// Route a path under `/console/batches`.
pub fn route(method: &str, path: &str) -> Result<BatchRoute, ProxyError> {
    let only = |allowed: &str, r: BatchRoute| {
        let get = allowed == "GET" && method == "HEAD";
        if method == allowed || get {
            Ok(r)
        } else {
            Err(ProxyError::MethodNotAllowed)
        }
    };
    let rest = path
        .strip_prefix("/console/batches")
        .ok_or(ProxyError::NotFound)?;
    if rest.is_empty() {
        return match method {
            "POST" => Ok(BatchRoute::Create),
            _ => only("GET", BatchRoute::List),
        };
    }
    let rest = rest.strip_prefix('/').ok_or(ProxyError::NotFound)?;
    let (id, tail) = rest
        .split_once('/')
        .map_or((rest, None), |(i, t)| (i, Some(t)));
    let id = parse_id(id).ok_or(ProxyError::NotFound)?;
    match tail {
        None => only("GET", BatchRoute::Get(id)),
        Some("result.csv") => only("GET", BatchRoute::Result(id)),
        Some("confirm") => only("POST", BatchRoute::Act(id, JobEvent::Confirm)),
        Some("pause") => only("POST", BatchRoute::Act(id, JobEvent::Pause)),
        Some("resume") => only("POST", BatchRoute::Act(id, JobEvent::Resume)),
        Some("cancel") => only("POST", BatchRoute::Act(id, JobEvent::Cancel)),
        Some(_) => Err(ProxyError::NotFound),
    }
}

/// A batch id: 1 to 15 digits.
fn parse_id(s: &str) -> Option<i64> {
    if !(1..=15).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|n| *n > 0)
}

/// A row's idempotency key: the same for every attempt of it, in any isolate, after any
/// restart, so the proxy's key claim sends it at most once.
pub fn row_key(batch: i64, row: u32) -> String {
    format!("batch-{batch}-{row}")
}

// ---- statements ----

/// A new draft batch; answers its id.
pub fn insert_batch(
    name: &str,
    kind: OrderKind,
    created_by: &str,
    amount_ore: i64,
    now: i64,
) -> Query {
    let mut q = Query::new("");
    let p = [
        q.bind(name),
        q.bind(kind.as_str()),
        q.bind(created_by),
        q.bind(amount_ore),
        q.bind(now),
    ];
    q.sql = format!(
        "INSERT INTO batches (name, kind, state, created_by, amount_ore, created_at, updated_at) \
         VALUES ({}, {}, 'draft', {}, {}, {}, {}) RETURNING id",
        p[0], p[1], p[2], p[3], p[4], p[4]
    );
    q
}

/// One row to store: a previewed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRow {
    pub row: u32,
    pub label: String,
    /// The order's draft (core's `OrderDraft`) as JSON: what is sent, rebuilt per attempt.
    pub draft: String,
    pub amount_ore: i64,
    /// `None`: valid (pending); else the issues (JSON), and the row is invalid.
    pub issues: Option<String>,
}

/// Rows of a batch, [`ROWS_PER_INSERT`] per statement (integers inline, texts bound).
pub fn insert_rows(batch: i64, rows: &[NewRow], now: i64) -> Vec<Query> {
    rows.chunks(ROWS_PER_INSERT)
        .map(|chunk| {
            let mut q = Query::new("");
            let values: Vec<String> = chunk
                .iter()
                .map(|r| {
                    let state = match r.issues {
                        None => RowState::Pending,
                        Some(_) => RowState::Invalid,
                    };
                    let (label, draft, issues) =
                        (q.bind(r.label.as_str()), q.bind(r.draft.as_str()), q.bind(r.issues.clone()));
                    format!(
                        "({batch}, {}, {label}, {draft}, {}, '{}', {issues}, {now})",
                        r.row,
                        r.amount_ore,
                        state.as_str()
                    )
                })
                .collect();
            q.sql = format!(
                "INSERT INTO batch_rows (batch_id, row_no, label, draft, amount_ore, state, error, updated_at) VALUES {}",
                values.join(", ")
            );
            q
        })
        .collect()
}

const BATCH_COLUMNS: &str = "id, name, kind, state, created_by, created_at, confirmed_by, \
     confirmed_role, confirmed_at, started_at, finished_at, amount_ore";

/// One batch.
pub fn batch_sql(id: i64) -> Query {
    Query::new(format!(
        "SELECT {BATCH_COLUMNS} FROM batches WHERE id = {id}"
    ))
}

/// The newest batches.
pub fn list_sql() -> Query {
    Query::new(format!(
        "SELECT {BATCH_COLUMNS} FROM batches ORDER BY id DESC LIMIT {LIST_LIMIT}"
    ))
}

/// Rows per state of one batch.
pub fn counts_sql(id: i64) -> Query {
    Query::new(format!(
        "SELECT state, COUNT(*) AS n FROM batch_rows WHERE batch_id = {id} GROUP BY state"
    ))
}

/// Rows per state of the listed batches (`batch_id` in each row).
pub fn list_counts_sql() -> Query {
    Query::new(format!(
        "SELECT batch_id, state, COUNT(*) AS n FROM batch_rows WHERE batch_id IN \
         (SELECT id FROM batches ORDER BY id DESC LIMIT {LIST_LIMIT}) GROUP BY batch_id, state"
    ))
}

/// Every row's outcome, in file order.
pub fn rows_sql(id: i64) -> Query {
    Query::new(format!(
        "SELECT row_no, label, state, amount_ore, order_uuid, error FROM batch_rows \
         WHERE batch_id = {id} ORDER BY row_no"
    ))
}

/// The next row to send (the lowest pending one: rows go in order, one at a time).
pub fn next_row_sql(id: i64) -> Query {
    Query::new(format!(
        "SELECT row_no, label, draft, attempts, next_at FROM batch_rows \
         WHERE batch_id = {id} AND state = 'pending' ORDER BY row_no LIMIT 1"
    ))
}

/// Move a batch by `event`, only from the states the event leaves (0 changes: it was not in
/// one). Confirm also records who confirmed (whose key scope and name the sends carry).
pub fn transition(id: i64, event: JobEvent, now: i64, by: Option<(&str, &str)>) -> Query {
    let mut q = Query::new("");
    let from: Vec<String> = event
        .sources()
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    let at = q.bind(now);
    let mut set = vec![
        format!("state = '{}'", event.target().as_str()),
        format!("updated_at = {at}"),
    ];
    match event {
        JobEvent::Confirm => {
            let (who, role) = by.unwrap_or(("", ""));
            let (who, role) = (q.bind(who), q.bind(role));
            set.push(format!(
                "confirmed_by = {who}, confirmed_role = {role}, confirmed_at = {at}"
            ));
        }
        JobEvent::Start => set.push(format!("started_at = IFNULL(started_at, {at})")),
        JobEvent::Finish | JobEvent::Cancel => set.push(format!("finished_at = {at}")),
        JobEvent::Pause | JobEvent::Resume => {}
    }
    q.sql = format!(
        "UPDATE batches SET {} WHERE id = {id} AND state IN ({})",
        set.join(", "),
        from.join(", ")
    );
    q
}

/// After a cancel went through: the rows not yet sent never will be.
pub fn skip_pending(id: i64, now: i64) -> Query {
    Query::new(format!(
        "UPDATE batch_rows SET state = 'skipped', updated_at = {now} WHERE batch_id = {id} \
         AND state = 'pending' AND EXISTS (SELECT 1 FROM batches WHERE id = {id} AND state = 'cancelled')"
    ))
}

/// Record a row's outcome ([`RowOutcome::Sent`] / [`RowOutcome::Failed`]), whatever the row's
/// state now (a row sent while the batch was cancelled was sent all the same).
pub fn finish_row(id: i64, row: u32, outcome: &RowOutcome, now: i64) -> Query {
    let mut q = Query::new("");
    let (state, uuid, error) = match outcome {
        RowOutcome::Sent { uuid } => (RowState::Sent, Some(uuid.as_str()), None),
        RowOutcome::Failed { error } => (RowState::Failed, None, Some(error.as_str())),
        RowOutcome::Retry { .. } | RowOutcome::Wait { .. } => (RowState::Pending, None, None),
    };
    let (uuid, error) = (q.bind(uuid), q.bind(error));
    q.sql = format!(
        "UPDATE batch_rows SET state = '{}', order_uuid = {uuid}, error = {error}, \
         attempts = attempts + 1, updated_at = {now} WHERE batch_id = {id} AND row_no = {row}",
        state.as_str()
    );
    q
}

/// A row to try again at `next_at` (one more attempt counted, or not).
pub fn retry_row(id: i64, row: u32, next_at: i64, counted: bool, now: i64) -> Query {
    let add = u32::from(counted);
    Query::new(format!(
        "UPDATE batch_rows SET attempts = attempts + {add}, next_at = {next_at}, updated_at = {now} \
         WHERE batch_id = {id} AND row_no = {row} AND state = 'pending'"
    ))
}

/// The index row of an order a batch made names the batch.
pub fn tag_order(uuid: &str, batch: i64) -> Query {
    let mut q = Query::new("");
    let u = q.bind(uuid);
    q.sql = format!("UPDATE orders SET batch_id = {batch} WHERE uuid = {u}");
    q
}

/// Batches whose job should be running (the cron wakes them after a restart).
pub fn active_sql() -> Query {
    Query::new("SELECT id FROM batches WHERE state IN ('confirmed', 'running')")
}

// ---- rows read back ----

/// An id: what [`insert_batch`] returns, a row of [`active_sql`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct IdRow {
    pub id: i64,
}

/// A row of `batches`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct BatchRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub state: String,
    pub created_by: String,
    pub created_at: i64,
    pub confirmed_by: Option<String>,
    pub confirmed_role: Option<String>,
    pub confirmed_at: Option<i64>,
    pub started_at: Option<i64>,
    pub finished_at: Option<i64>,
    pub amount_ore: i64,
}

impl BatchRow {
    /// Its state (an unreadable one reads as cancelled: nothing is sent for it).
    pub fn job_state(&self) -> JobState {
        JobState::parse(&self.state).unwrap_or(JobState::Cancelled)
    }

    pub fn order_kind(&self) -> Option<OrderKind> {
        OrderKind::ALL.into_iter().find(|k| k.as_str() == self.kind)
    }

    /// As core's summary, with its progress and (while it runs) the estimated finish.
    pub fn summary(&self, progress: Progress, now: i64) -> Result<BatchSummary, ProxyError> {
        let kind = self.order_kind().ok_or_else(|| {
            ProxyError::Internal(format!("batch {}: kind {}", self.id, self.kind))
        })?;
        let state = self.job_state();
        let eta_at = match (state, self.started_at) {
            (JobState::Running, Some(start)) => {
                progress.eta_ms(start, now, Some(ratelimit::job_rows_per_minute()))
            }
            _ => None,
        };
        Ok(BatchSummary {
            id: self.id,
            name: self.name.clone(),
            kind,
            state,
            created_by: self.created_by.clone(),
            created_at: self.created_at,
            confirmed_by: self.confirmed_by.clone(),
            confirmed_at: self.confirmed_at,
            started_at: self.started_at,
            finished_at: self.finished_at,
            amount_ore: self.amount_ore,
            progress,
            eta_at,
        })
    }
}

/// A row of [`counts_sql`] / [`list_counts_sql`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct StateCount {
    #[serde(default)]
    pub batch_id: i64,
    pub state: String,
    pub n: i64,
}

/// The progress of `batch` from state counts (other batches' counts are passed over).
pub fn progress(batch: Option<i64>, counts: &[StateCount]) -> Progress {
    Progress::from_counts(
        counts
            .iter()
            .filter(|c| batch.is_none_or(|b| b == c.batch_id))
            .filter_map(|c| Some((RowState::parse(&c.state)?, u32::try_from(c.n).ok()?))),
    )
}

/// A row of [`rows_sql`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ResultRow {
    pub row_no: i64,
    pub label: String,
    pub state: String,
    pub amount_ore: i64,
    pub order_uuid: Option<String>,
    pub error: Option<String>,
}

impl ResultRow {
    /// As core's row result (an invalid row's error is its issues as JSON).
    pub fn result(self) -> RowResult {
        RowResult {
            row: u32::try_from(self.row_no).unwrap_or(0),
            label: self.label,
            state: RowState::parse(&self.state).unwrap_or(RowState::Failed),
            amount_ore: self.amount_ore,
            order_uuid: self.order_uuid,
            error: self.error,
        }
    }
}

/// A row of [`next_row_sql`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct PendingRow {
    pub row_no: i64,
    pub label: String,
    pub draft: String,
    pub attempts: i64,
    pub next_at: i64,
}

// ---- what a send's answer means for its row ----

/// What becomes of a row after one attempt through the write path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowOutcome {
    /// Created upstream (or settled as created): its uuid.
    Sent { uuid: String },
    /// Refused for good: why.
    Failed { error: String },
    /// Not known yet (a fault, a timeout, an outcome being settled): the same key again after
    /// `after_ms`; `counted` attempts end in [`RowOutcome::Failed`] after [`MAX_ATTEMPTS`].
    Retry { after_ms: i64, counted: bool },
    /// Upstream's rate limit: nothing happened; the whole job waits `after_ms`.
    Wait { after_ms: i64 },
}

/// The outcome of attempt `attempt` (from 1) of a row, from the write path's answer.
pub fn outcome(result: &Result<ProxyReply, ProxyError>, attempt: u32) -> RowOutcome {
    let backoff = (1000_i64 << attempt.min(6)).min(MAX_BACKOFF_MS);
    let retry = RowOutcome::Retry {
        after_ms: backoff,
        counted: true,
    };
    let decided = match result {
        Ok(reply) => answered(reply, retry),
        Err(e) => refused(e, retry),
    };
    match decided {
        RowOutcome::Retry { counted: true, .. } if attempt >= MAX_ATTEMPTS => RowOutcome::Failed {
            error: format!(
                "outcomeUnknown: no certain answer after {MAX_ATTEMPTS} attempts; check the orders list before sending this order again"
            ),
        },
        other => other,
    }
}

fn answered(reply: &ProxyReply, retry: RowOutcome) -> RowOutcome {
    match reply.status {
        200..=299 => match created_uuid(&reply.body) {
            Some(uuid) => RowOutcome::Sent { uuid },
            None => RowOutcome::Failed {
                error: "the answer named no order".into(),
            },
        },
        429 => RowOutcome::Wait {
            after_ms: retry_after_ms(reply.header("retry-after")),
        },
        // Upstream may have done it: the key is left unknown, the next attempt settles it.
        408 | 500.. => retry,
        _ => RowOutcome::Failed {
            error: error_text(&reply.body),
        },
    }
}

fn refused(e: &ProxyError, retry: RowOutcome) -> RowOutcome {
    match e {
        ProxyError::UpstreamBusy { retry_after } => RowOutcome::Wait {
            after_ms: i64::try_from(*retry_after)
                .unwrap_or(60)
                .saturating_mul(1000),
        },
        ProxyError::IdempotencyInFlight => RowOutcome::Retry {
            after_ms: IN_FLIGHT_WAIT_MS,
            counted: false,
        },
        ProxyError::UpstreamTimeout
        | ProxyError::UpstreamBadResponse
        | ProxyError::UpstreamUnreachable
        | ProxyError::IdempotencyUnresolved
        | ProxyError::Internal(_) => retry,
        ProxyError::Validation(report) => RowOutcome::Failed {
            error: report.sentences().join(" "),
        },
        other => RowOutcome::Failed {
            error: error_text(&other.reply().body),
        },
    }
}

/// `data.uuid` of a create's answer.
fn created_uuid(body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    v.pointer("/data/uuid")?.as_str().map(str::to_owned)
}

fn retry_after_ms(header: Option<&str>) -> i64 {
    let secs = crate::upstream::retry_after_secs(header);
    i64::try_from(secs)
        .unwrap_or(60)
        .saturating_mul(1000)
        .max(1000)
}

/// An envelope's `message`, with its errors when it lists them (at most 500 characters).
pub fn error_text(body: &str) -> String {
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    let message = v.get("message").and_then(Value::as_str).unwrap_or("error");
    let details: Vec<&str> = match v.get("errors") {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(Value::Object(m)) => m
            .values()
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(Value::as_str)
            .collect(),
        Some(Value::String(s)) => vec![s.as_str()],
        _ => Vec::new(),
    };
    let text = if details.is_empty() {
        message.to_owned()
    } else {
        format!("{message}: {}", details.join(" "))
    };
    text.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::validate::{Code, Issue, Report};

    #[test]
    fn routes() {
        assert_eq!(route("GET", "/console/batches"), Ok(BatchRoute::List));
        assert_eq!(route("POST", "/console/batches"), Ok(BatchRoute::Create));
        assert_eq!(route("GET", "/console/batches/12"), Ok(BatchRoute::Get(12)));
        assert_eq!(
            route("GET", "/console/batches/12/result.csv"),
            Ok(BatchRoute::Result(12))
        );
        assert_eq!(
            route("POST", "/console/batches/12/pause"),
            Ok(BatchRoute::Act(12, JobEvent::Pause))
        );
        assert_eq!(
            route("GET", "/console/batches/12/pause"),
            Err(ProxyError::MethodNotAllowed)
        );
        assert_eq!(
            route("POST", "/console/batches/12/start"),
            Err(ProxyError::NotFound)
        );
        for bad in [
            "/console/batches/0",
            "/console/batches/x1",
            "/console/batches/1/",
            "/console/batchesx",
        ] {
            assert!(route("GET", bad).is_err(), "{bad}");
        }
        assert_eq!(BatchRoute::List.action(), Action::ConsoleRead);
        assert_eq!(
            BatchRoute::Act(1, JobEvent::Confirm).action(),
            Action::SendBatch
        );
        assert!(BatchRoute::Create.is_write() && !BatchRoute::Result(1).is_write());
        assert_eq!(row_key(12, 7), "batch-12-7");
        assert!(crate::idempotency::validate_key(&row_key(i64::MAX, u32::MAX)).is_ok());
    }

    #[test]
    fn statements() {
        let q = transition(7, JobEvent::Pause, 1000, None);
        assert!(
            q.sql.contains("state = 'paused'")
                && q.sql.contains("state IN ('confirmed', 'running')")
        );
        let c = transition(7, JobEvent::Confirm, 1000, Some(("user:kari", "clerk")));
        assert_eq!(c.params.len(), 3);
        assert!(c.sql.contains("confirmed_by = ?2"));
        let rows: Vec<NewRow> = (1..=61)
            .map(|i| NewRow {
                row: i,
                label: format!("r{i}"),
                draft: "{}".into(),
                amount_ore: 100,
                issues: (i == 2).then(|| "[]".into()),
            })
            .collect();
        let inserts = insert_rows(3, &rows, 5);
        assert_eq!(inserts.len(), 3);
        assert_eq!(inserts[0].params.len(), 3 * ROWS_PER_INSERT);
        assert!(
            inserts[0]
                .sql
                .contains("(3, 2, ?4, ?5, 100, 'invalid', ?6, 5)")
        );
        assert!(
            inserts[2]
                .sql
                .contains("(3, 61, ?1, ?2, 100, 'pending', ?3, 5)")
        );
    }

    fn reply(status: u16, body: &str) -> Result<ProxyReply, ProxyError> {
        Ok(ProxyReply {
            status,
            body: body.into(),
            headers: vec![],
        })
    }

    #[test]
    fn what_an_answer_means() {
        let created = reply(
            201,
            r#"{"message":"orderAddedSuccessfully","data":{"uuid":"ODR3506777330"}}"#,
        );
        assert_eq!(
            outcome(&created, 1),
            RowOutcome::Sent {
                uuid: "ODR3506777330".into()
            }
        );
        let refused = reply(
            417,
            r#"{"message":"payloadValidationErrors","errors":["The name field is required."]}"#,
        );
        assert_eq!(
            outcome(&refused, 1),
            RowOutcome::Failed {
                error: "payloadValidationErrors: The name field is required.".into()
            }
        );
        assert_eq!(
            outcome(&reply(500, "{}"), 1),
            RowOutcome::Retry {
                after_ms: 2000,
                counted: true
            }
        );
        assert!(matches!(
            outcome(&reply(500, "{}"), MAX_ATTEMPTS),
            RowOutcome::Failed { .. }
        ));
        let busy = Ok(ProxyReply {
            status: 429,
            body: "{}".into(),
            headers: vec![("retry-after".into(), "7".into())],
        });
        assert_eq!(outcome(&busy, 1), RowOutcome::Wait { after_ms: 7000 });
        assert_eq!(
            outcome(&Err(ProxyError::UpstreamTimeout), 3),
            RowOutcome::Retry {
                after_ms: 8000,
                counted: true
            }
        );
        // In flight elsewhere: wait, never counted, never failed for it.
        assert_eq!(
            outcome(&Err(ProxyError::IdempotencyInFlight), MAX_ATTEMPTS + 5),
            RowOutcome::Retry {
                after_ms: IN_FLIGHT_WAIT_MS,
                counted: false
            }
        );
        assert!(matches!(
            outcome(&Err(ProxyError::IdempotencyUnresolved), 1),
            RowOutcome::Retry { .. }
        ));
        let invalid = ProxyError::Validation(Report {
            errors: vec![Issue::new("orderDate", Code::DateBeforeToday)],
            warnings: vec![],
        });
        assert!(
            matches!(outcome(&Err(invalid), 1), RowOutcome::Failed { error } if error.contains("order date"))
        );
        assert!(matches!(
            outcome(&Err(ProxyError::IdempotencyMismatch), 1),
            RowOutcome::Failed { .. }
        ));
    }

    #[test]
    fn progress_of_one_batch() {
        let counts = [
            StateCount {
                batch_id: 1,
                state: "sent".into(),
                n: 3,
            },
            StateCount {
                batch_id: 1,
                state: "pending".into(),
                n: 2,
            },
            StateCount {
                batch_id: 2,
                state: "sent".into(),
                n: 9,
            },
            StateCount {
                batch_id: 1,
                state: "weird".into(),
                n: 9,
            },
        ];
        let p = progress(Some(1), &counts);
        assert_eq!((p.sent, p.left), (3, 2));
        assert_eq!(progress(None, &counts).sent, 12);
    }
}
