//! Send to many (issue 19), the parts the batch pages share: a batch's state as a badge, its
//! progress bar (sent / failed / left and the estimated finish), a row's issues in words, and
//! the header's indicator while a batch sends ([`BatchWatch`], [`BatchIndicator`]).

use frontdesk_core::batch::columns::COLUMNS;
use frontdesk_core::batch::{JobState, Progress};
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{self, BatchSummary, RowIssue};
use crate::auth::use_auth;
use crate::i18n::{Lang, Texts, plural, use_i18n};
use crate::util;

/// How often the header looks again while a batch sends.
const INDICATOR_POLL_MS: u64 = 10_000;

/// Rows the job is finished with: sent, failed, or not sent because the batch was stopped.
pub fn finished(p: &Progress) -> u32 {
    p.sent.saturating_add(p.failed).saturating_add(p.skipped)
}

/// `3 of 4`: rows finished of those to send.
pub fn progress_of(t: &Texts, p: &Progress) -> String {
    t.progress_of
        .replace("{done}", &finished(p).to_string())
        .replace("{total}", &p.to_send().to_string())
}

/// `3 sent, 0 failed, 1 left` (and how many were not sent, once a batch was stopped).
pub fn progress_counts(t: &Texts, p: &Progress) -> String {
    let counts = t
        .progress_counts
        .replace("{sent}", &p.sent.to_string())
        .replace("{failed}", &p.failed.to_string())
        .replace("{left}", &p.left.to_string());
    if p.skipped == 0 {
        counts
    } else {
        let skipped = t.progress_skipped.replace("{n}", &p.skipped.to_string());
        format!("{counts}, {skipped}")
    }
}

/// The badge colours of the order statuses (their contrast is checked), by the batch's state.
fn badge_class(state: JobState) -> &'static str {
    match state {
        JobState::Draft => "status-unknown",
        JobState::Confirmed | JobState::Running => "status-sent",
        JobState::Paused => "status-reminder",
        JobState::Done => "status-paid",
        JobState::Cancelled => "status-cancelled",
    }
}

/// A batch's state in words.
#[component]
pub fn JobBadge(#[prop(into)] state: Signal<JobState>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span
            class=move || format!("badge {}", badge_class(state.get()))
            data-state=move || state.get().as_str()
            data-testid="batch-state"
        >
            {move || i18n.get().job_state(state.get())}
        </span>
    }
}

/// A batch's progress: a `<progress>` bar named after the batch, the same in words, and the
/// estimated finish in the locale's time while it sends.
#[component]
pub fn BatchProgress(#[prop(into)] batch: Signal<BatchSummary>) -> impl IntoView {
    let i18n = use_i18n();
    let p = move || batch.with(|b| b.progress);
    let label = move || {
        let name = batch.with(|b| b.name.clone());
        format!("{}: {name}", i18n.t().col_progress)
    };
    let eta = move || {
        batch.with(|b| b.eta_at).map(|at| {
            let lang = i18n.get();
            let text = lang.texts().eta.replace("{time}", &lang.time(at as f64));
            view! { <span class="muted block" data-testid="batch-eta">{text}</span> }
        })
    };
    view! {
        <div class="batch-progress">
            <progress
                max=move || p().to_send().max(1).to_string()
                value=move || finished(&p()).to_string()
                aria-label=label
            >
                {move || progress_of(i18n.t(), &p())}
            </progress>
            <span class="block" data-testid="batch-progress-of">{move || progress_of(i18n.t(), &p())}</span>
            <span class="muted block" data-testid="batch-counts">{move || progress_counts(i18n.t(), &p())}</span>
            {eta}
        </div>
    }
}

/// A column's header in `lang`'s spreadsheet form (`epost` / `email`), from its key (the key
/// itself when no column has it).
pub fn column_header(lang: Lang, key: &str) -> &str {
    COLUMNS
        .iter()
        .find(|c| c.key == key)
        .map_or(key, |c| c.header(lang.sheet()))
}

/// One issue of a row in words, with where it is in the file: `Line 3, email: …`.
pub fn issue_words(lang: Lang, issue: &RowIssue) -> String {
    let message = lang.issue(&issue.issue);
    let Some(line) = issue.line else {
        return message;
    };
    let column = issue
        .column
        .as_deref()
        .map_or(issue.issue.field.as_str(), |key| column_header(lang, key));
    let at = lang
        .texts()
        .issue_at
        .replace("{line}", &line.to_string())
        .replace("{column}", column);
    format!("{at}{message}")
}

/// A row's error as stored: an invalid row's issues (JSON) in words, else the text as the
/// proxy recorded it (upstream's message).
pub fn row_error_words(lang: Lang, error: &str) -> String {
    match serde_json::from_str::<Vec<RowIssue>>(error) {
        Ok(issues) => issues
            .iter()
            .map(|i| issue_words(lang, i))
            .collect::<Vec<_>>()
            .join(" "),
        Err(_) => error.to_owned(),
    }
}

/// Batches sending right now, as the header shows them. The header looks once at sign-in and
/// then every [`INDICATOR_POLL_MS`] only while one sends; a page that starts or resumes a
/// batch [`BatchWatch::poke`]s it to look again.
#[derive(Clone, Copy)]
pub struct BatchWatch {
    running: RwSignal<u32>,
    watching: RwSignal<bool>,
}

impl BatchWatch {
    /// The console's one watch (the shell provides it).
    pub fn provide() -> BatchWatch {
        let watch = BatchWatch::new();
        provide_context(watch);
        watch
    }

    fn new() -> BatchWatch {
        BatchWatch {
            running: RwSignal::new(0),
            watching: RwSignal::new(false),
        }
    }

    /// A batch may be sending now: look at once, and keep looking while one sends.
    pub fn poke(self) {
        let _ = self.watching.try_set(true);
        self.look();
    }

    /// Nobody is signed in: nothing to show, nothing to ask.
    fn forget(self) {
        let _ = self.running.try_set(0);
        let _ = self.watching.try_set(false);
    }

    fn look(self) {
        leptos::task::spawn_local(async move {
            // A failed look keeps what is shown; the next tick asks again.
            if let Ok(list) = api::batches().await {
                let n = list
                    .items
                    .iter()
                    .filter(|b| b.state.wants_to_send())
                    .count();
                let n = u32::try_from(n).unwrap_or(u32::MAX);
                let _ = self.running.try_set(n);
                let _ = self.watching.try_set(n > 0);
            }
        });
    }
}

/// The shell's watch; a watch of its own where none was provided (a component alone, in tests).
pub fn use_batch_watch() -> BatchWatch {
    use_context::<BatchWatch>().unwrap_or_else(BatchWatch::new)
}

/// The header's "Sending 2 batches" link while batches send, for signed-in users.
#[component]
pub fn BatchIndicator() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let watch = use_batch_watch();
    Effect::new(move |_| {
        if auth.user.with(Option::is_some) {
            watch.poke();
        }
    });
    // Signed out: the next user starts from nothing.
    on_cleanup(move || watch.forget());
    util::every(INDICATOR_POLL_MS, move || {
        if watch.watching.get_untracked() && auth.user.with_untracked(Option::is_some) {
            watch.look();
        }
    });
    let text = move || {
        let t = i18n.t();
        let n = watch.running.get();
        plural(i64::from(n), t.batches_running_one, t.batches_running)
            .replace("{n}", &n.to_string())
    };
    view! {
        <Show when=move || watch.running.get() != 0>
            <A href="/batches" attr:class="badge status-sent batch-indicator" attr:data-testid="batch-indicator">
                {text}
            </A>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::validate::{Code, Issue};
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn progress_in_words() {
        let p = Progress {
            sent: 3,
            failed: 1,
            left: 2,
            skipped: 0,
            invalid: 1,
        };
        let en = Lang::En.texts();
        assert_eq!(progress_of(en, &p), "4 of 6");
        assert_eq!(progress_counts(en, &p), "3 sent, 1 failed, 2 left");
        let stopped = Progress {
            left: 0,
            skipped: 2,
            ..p
        };
        assert_eq!(progress_of(en, &stopped), "6 of 6");
        assert_eq!(
            progress_counts(Lang::Nb.texts(), &stopped),
            "3 sendt, 1 feilet, 0 igjen, 2 ikke sendt"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn issues_say_where_in_the_file() {
        let issue = RowIssue {
            issue: Issue::new("customerDetails.email", Code::Email),
            column: Some("email".into()),
            line: Some(3),
        };
        let en = issue_words(Lang::En, &issue);
        assert!(en.starts_with("Line 3, email: "), "{en}");
        let nb = issue_words(Lang::Nb, &issue);
        assert!(nb.starts_with("Linje 3, epost: "), "{nb}");
        // Stored as the proxy keeps an invalid row's error; other errors stay as said.
        let stored = serde_json::to_string(&vec![issue]).unwrap_or_default();
        assert_eq!(row_error_words(Lang::En, &stored), en);
        assert_eq!(
            row_error_words(Lang::En, "outcomeUnknown: check"),
            "outcomeUnknown: check"
        );
    }
}
