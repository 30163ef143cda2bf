//! The send job's life: its states and the events that move it ([`JobState::apply`]), each
//! row's state, and the progress people read (sent / failed / left, an estimated finish).

use serde::{Deserialize, Serialize};

/// Where a batch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobState {
    /// Previewed and stored; nothing is sent until a clerk or admin confirms.
    Draft,
    /// Confirmed: the job starts at its next turn.
    Confirmed,
    /// Sending, paced by the rate limit.
    Running,
    /// Stopped by a person; resumes where it left off.
    Paused,
    /// Every row sent or failed.
    Done,
    /// Stopped for good: rows not yet sent never will be.
    Cancelled,
}

/// What moves a batch from one state to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum JobEvent {
    /// A person confirms the preview.
    Confirm,
    /// The job takes its first turn.
    Start,
    Pause,
    Resume,
    /// The job found no row left to send.
    Finish,
    Cancel,
}

/// An event the batch's state does not allow (409 at the door).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a {from:?} batch cannot {event:?}")]
pub struct TransitionError {
    pub from: JobState,
    pub event: JobEvent,
}

impl JobState {
    pub const ALL: [JobState; 6] = [
        JobState::Draft,
        JobState::Confirmed,
        JobState::Running,
        JobState::Paused,
        JobState::Done,
        JobState::Cancelled,
    ];

    /// The stored (and wire) name.
    pub const fn as_str(self) -> &'static str {
        match self {
            JobState::Draft => "draft",
            JobState::Confirmed => "confirmed",
            JobState::Running => "running",
            JobState::Paused => "paused",
            JobState::Done => "done",
            JobState::Cancelled => "cancelled",
        }
    }

    /// A stored name read back.
    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The job has rows to send in this state (its turns go on).
    pub const fn wants_to_send(self) -> bool {
        matches!(self, JobState::Confirmed | JobState::Running)
    }

    /// Nothing will change it any more.
    pub const fn is_final(self) -> bool {
        matches!(self, JobState::Done | JobState::Cancelled)
    }

    /// Where `event` leads from here.
    pub fn apply(self, event: JobEvent) -> Result<JobState, TransitionError> {
        if event.sources().contains(&self) {
            Ok(event.target())
        } else {
            Err(TransitionError { from: self, event })
        }
    }
}

impl JobEvent {
    /// The states the event may leave (the worker's conditional update names them).
    pub const fn sources(self) -> &'static [JobState] {
        use JobState::*;
        match self {
            JobEvent::Confirm => &[Draft],
            JobEvent::Start => &[Confirmed],
            JobEvent::Pause => &[Confirmed, Running],
            JobEvent::Resume => &[Paused],
            JobEvent::Finish => &[Running],
            JobEvent::Cancel => &[Draft, Confirmed, Running, Paused],
        }
    }

    /// The state it leads to.
    pub const fn target(self) -> JobState {
        match self {
            JobEvent::Confirm => JobState::Confirmed,
            JobEvent::Start | JobEvent::Resume => JobState::Running,
            JobEvent::Pause => JobState::Paused,
            JobEvent::Finish => JobState::Done,
            JobEvent::Cancel => JobState::Cancelled,
        }
    }
}

/// Where one row (one order) of a batch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RowState {
    /// Refused by the preview's validation: never sent.
    Invalid,
    /// Waiting for its turn (or for a retry with the same key).
    Pending,
    /// Created upstream; its order uuid is recorded.
    Sent,
    /// Refused upstream, or its outcome could not be settled: its error is recorded.
    Failed,
    /// Not sent because the batch was cancelled.
    Skipped,
}

impl RowState {
    pub const ALL: [RowState; 5] = [
        RowState::Invalid,
        RowState::Pending,
        RowState::Sent,
        RowState::Failed,
        RowState::Skipped,
    ];

    /// The stored (and wire) name.
    pub const fn as_str(self) -> &'static str {
        match self {
            RowState::Invalid => "invalid",
            RowState::Pending => "pending",
            RowState::Sent => "sent",
            RowState::Failed => "failed",
            RowState::Skipped => "skipped",
        }
    }

    /// A stored name read back.
    pub fn parse(s: &str) -> Option<RowState> {
        RowState::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// How far a batch has come, by row state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Progress {
    pub sent: u32,
    pub failed: u32,
    /// Not yet sent (pending).
    pub left: u32,
    pub skipped: u32,
    pub invalid: u32,
}

impl Progress {
    /// From counts of rows per state (a `GROUP BY`).
    pub fn from_counts(counts: impl IntoIterator<Item = (RowState, u32)>) -> Progress {
        let mut p = Progress::default();
        for (state, n) in counts {
            let slot = match state {
                RowState::Sent => &mut p.sent,
                RowState::Failed => &mut p.failed,
                RowState::Pending => &mut p.left,
                RowState::Skipped => &mut p.skipped,
                RowState::Invalid => &mut p.invalid,
            };
            *slot = slot.saturating_add(n);
        }
        p
    }

    /// Rows the job sends or has sent (everything but the invalid ones).
    pub const fn to_send(&self) -> u32 {
        self.sent + self.failed + self.left + self.skipped
    }

    /// When the rows left should be done (Unix ms): at the pace so far since `started_at_ms`,
    /// but never sooner than `per_minute` (the most rows a minute the rate limit leaves the
    /// job) allows. A paced job sends a window's share in a burst and then waits, so the pace
    /// so far is too hopeful. `None` before the first row is done or after the last.
    pub fn eta_ms(&self, started_at_ms: i64, now_ms: i64, per_minute: Option<u32>) -> Option<i64> {
        let done = i64::from(self.sent + self.failed);
        if done == 0 || self.left == 0 {
            return None;
        }
        let left = i64::from(self.left);
        let elapsed = now_ms.saturating_sub(started_at_ms).max(0);
        let at_pace = (elapsed / done).saturating_mul(left);
        let at_limit = per_minute
            .filter(|&n| n > 0)
            .map_or(0, |n| left.saturating_mul(60_000) / i64::from(n));
        Some(now_ms.saturating_add(at_pace.max(at_limit)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn the_lifecycle() {
        use JobEvent::*;
        use JobState::*;
        let mut s = Draft;
        for e in [Confirm, Start, Pause, Resume, Pause, Resume, Finish] {
            s = s.apply(e).unwrap_or_else(|err| panic!("{err}"));
        }
        assert_eq!(s, Done);
        assert!(s.is_final());
        // Done and cancelled go nowhere; a draft is never started or paused without a confirm.
        for e in [Confirm, Start, Pause, Resume, Finish, Cancel] {
            assert!(
                Done.apply(e).is_err() && Cancelled.apply(e).is_err(),
                "{e:?}"
            );
        }
        assert_eq!(
            Draft.apply(Start),
            Err(TransitionError {
                from: Draft,
                event: Start
            })
        );
        assert!(Draft.apply(Pause).is_err() && Paused.apply(Finish).is_err());
        assert_eq!(Confirmed.apply(Pause), Ok(Paused));
        for from in [Draft, Confirmed, Running, Paused] {
            assert_eq!(from.apply(Cancel), Ok(Cancelled));
        }
        assert!(Confirmed.wants_to_send() && Running.wants_to_send() && !Paused.wants_to_send());
        for st in JobState::ALL {
            assert_eq!(JobState::parse(st.as_str()), Some(st));
        }
        assert_eq!(JobState::parse("sending"), None);
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn progress_and_eta() {
        let p = Progress::from_counts([
            (RowState::Sent, 8),
            (RowState::Failed, 2),
            (RowState::Pending, 20),
            (RowState::Invalid, 3),
        ]);
        assert_eq!(
            (p.sent, p.failed, p.left, p.invalid, p.to_send()),
            (8, 2, 20, 3, 30)
        );
        // 10 rows in 60 s: 20 more take 120 s, when no limit says longer.
        assert_eq!(p.eta_ms(1_000_000, 1_060_000, None), Some(1_180_000));
        assert_eq!(p.eta_ms(1_000_000, 1_060_000, Some(20)), Some(1_180_000));
        assert_eq!(p.eta_ms(1_000_000, 1_060_000, Some(5)), Some(1_300_000));
        assert_eq!(Progress::default().eta_ms(0, 10, None), None);
        let finished = Progress { left: 0, ..p };
        assert_eq!(finished.eta_ms(0, 10, Some(180)), None);
        for st in RowState::ALL {
            assert_eq!(RowState::parse(st.as_str()), Some(st));
        }
    }

    /// A paced 1,000-row job (180 rows a minute, sent 110 ms apart at each window's start),
    /// read half way: the estimate is within 15 s of the finish; the pace alone was ~40 s early.
    #[wasm_bindgen_test(unsupported = test)]
    fn eta_of_a_paced_job_counts_the_waits() {
        let (rows, share, gap_ms) = (1000_i64, 180_i64, 110_i64);
        let sent_at = |i: i64| (i / share) * 60_000 + (i % share + 1) * gap_ms;
        let finish = sent_at(rows - 1);
        let half = rows / 2;
        let now = sent_at(half - 1);
        let p = Progress {
            sent: 500,
            left: 500,
            ..Progress::default()
        };
        let eta = p.eta_ms(0, now, Some(180)).unwrap_or_default();
        assert!(
            (eta - finish).abs() <= 15_000,
            "eta {eta} ms, finish {finish} ms"
        );
        let pace_only = p.eta_ms(0, now, None).unwrap_or_default();
        assert!(
            finish - pace_only > 30_000,
            "pace alone {pace_only} ms, finish {finish} ms"
        );
    }
}
