//! An order's timeline: the proxy's audit rows (who did what, with which outcome, to whom a
//! link was resent) merged with the callbacks Front Payment sent, newest first.

use frontdesk_core::Endpoint;
use frontdesk_core::proxy::ResendDetail;
use leptos::prelude::*;

use crate::api::AuditRow;
use crate::follow_up::contact_line;
use crate::i18n::{Lang, tx, use_i18n};

/// The audit's action and actor of a callback from Front Payment.
const CALLBACK: &str = "callback";
/// The proxy's audit action of an internal-note write (its `audit::NOTE_ACTION`).
pub const NOTE_ACTION: &str = "orderNote";
/// Who sends callbacks, by name.
const FRONT_PAYMENT: &str = "Front Payment";

/// What a row's action did, in words: the API's writes, callbacks, internal notes.
pub fn action_text(lang: Lang, action: &str) -> String {
    if action == NOTE_ACTION {
        lang.texts().note_event.to_owned()
    } else {
        lang.action(action)
    }
}

/// Who did it, in words: `user:alice` → `alice`, `key:shop` → `shop (API key)`, a callback →
/// Front Payment.
pub fn actor_label(lang: Lang, actor: &str) -> String {
    if actor == CALLBACK {
        return FRONT_PAYMENT.to_owned();
    }
    match actor.strip_prefix("key:") {
        Some(key) => format!("{key} ({})", lang.texts().api_key),
        None => actor.strip_prefix("user:").unwrap_or(actor).to_owned(),
    }
}

/// The outcome of a row as a sentence: the status a callback reported, or the answer to a
/// write in words (its HTTP status only when the answer is not one the console knows).
pub fn outcome(lang: Lang, row: &AuditRow) -> String {
    if row.action == CALLBACK {
        // The message of a callback row is the status read back from the API.
        return row
            .message
            .parse()
            .map(|s| lang.status(s).to_owned())
            .unwrap_or_else(|_| row.message.clone());
    }
    if row.action == NOTE_ACTION && row.succeeded() {
        return lang.texts().note_saved.to_owned();
    }
    let words = lang.api_message(&row.message);
    if words == row.message {
        format!("{words} (HTTP {})", row.status)
    } else {
        words
    }
}

/// To whom a resend went, from its audit detail (core's `ResendDetail`).
pub fn resent_to(row: &AuditRow) -> Option<String> {
    if row.action != Endpoint::Resend.name() {
        return None;
    }
    let detail: ResendDetail = serde_json::from_str(row.detail.as_deref()?).ok()?;
    let to = detail.to;
    let line = contact_line(
        to.country_code.as_deref(),
        to.msisdn.as_deref(),
        to.email.as_deref(),
    );
    (!line.is_empty()).then_some(line)
}

#[component]
pub fn Timeline(#[prop(into)] events: Signal<Vec<AuditRow>>) -> impl IntoView {
    view! {
        <section class="timeline-section" aria-labelledby="timeline-title">
            <h3 id="timeline-title">{tx(|t| t.timeline_title)}</h3>
            <Show when=move || events.with(Vec::is_empty)>
                <p class="muted">{tx(|t| t.timeline_empty)}</p>
            </Show>
            <ol class="timeline" data-testid="timeline">
                <For each=move || events.get() key=|e| e.id let:e>
                    <TimelineItem row=e />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn TimelineItem(row: AuditRow) -> impl IntoView {
    let i18n = use_i18n();
    let ok = row.succeeded();
    let amount = row.amount();
    let replayed = row.replayed;
    let at = row.at as f64;
    let action = row.action.clone();
    let to = resent_to(&row);
    // A callback's action already says Front Payment reported it.
    let actor = (row.action != CALLBACK).then(|| row.actor.clone());
    let row_for_outcome = row.clone();
    view! {
        <li class:failed=!ok data-event=row.action.clone()>
            <time>{move || i18n.get().datetime(at)}</time>
            <span class="what">
                <strong>{move || action_text(i18n.get(), &action)}</strong>
                {amount.map(|a| view! { " " <span>{move || i18n.get().money(a)}</span> })}
                {to.map(|to| view! { " " <span data-testid="resent-to">{move || i18n.t().resent_to}" "{to.clone()}</span> })}
                " · " {move || outcome(i18n.get(), &row_for_outcome)}
            </span>
            {actor.map(|actor| view! {
                <span class="muted">{move || format!("{} {}", i18n.t().by, actor_label(i18n.get(), &actor))}</span>
            })}
            {replayed.then(|| view! { <span class="muted">" ("{move || i18n.t().replayed}")"</span> })}
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn row(action: &str, status: u16, message: &str, detail: Option<&str>) -> AuditRow {
        AuditRow {
            id: 1,
            actor: "user:alice".into(),
            role: "clerk".into(),
            action: action.into(),
            order_uuid: Some("ODR1000000001".into()),
            status,
            message: message.into(),
            detail: detail.map(str::to_owned),
            ..AuditRow::default()
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_resend_says_to_whom() {
        let resend = Endpoint::Resend.name();
        let to = r#"{"to":{"countryCode":"+47","msisdn":"91234567","email":null}}"#;
        assert_eq!(
            resent_to(&row(resend, 200, "resentOrderSuccessfully", Some(to))).as_deref(),
            Some("+47 91234567")
        );
        let both = r#"{"to":{"countryCode":"+47","msisdn":"91234567","email":"k@e.no"}}"#;
        assert_eq!(
            resent_to(&row(resend, 200, "x", Some(both))).as_deref(),
            Some("+47 91234567, k@e.no")
        );
        assert_eq!(resent_to(&row(resend, 200, "x", None)), None);
        assert_eq!(resent_to(&row(resend, 200, "x", Some("{}"))), None);
        // Refund rows carry lines, not a recipient.
        assert_eq!(
            resent_to(&row(
                Endpoint::Refund.name(),
                202,
                "x",
                Some(r#"{"1":100}"#)
            )),
            None
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn outcomes_and_actors_in_plain_words() {
        let created = row(
            Endpoint::CreatePaymentLink.name(),
            201,
            "orderAddedSuccessfully",
            None,
        );
        let text = outcome(Lang::En, &created);
        assert_eq!(text, "Front Payment accepted the order.");
        assert!(!text.contains("201"));
        let odd = row(Endpoint::Cancel.name(), 502, "-", None);
        assert_eq!(outcome(Lang::En, &odd), "- (HTTP 502)");
        let callback = row(CALLBACK, 200, "PAID", None);
        assert_eq!(outcome(Lang::En, &callback), "Paid");
        let note = row(NOTE_ACTION, 200, "orderRetrievedSuccessfully", None);
        assert_eq!(outcome(Lang::En, &note), "Note saved.");
        assert_eq!(
            action_text(Lang::En, NOTE_ACTION),
            "Changed the internal note"
        );
        assert_eq!(
            action_text(Lang::En, Endpoint::Resend.name()),
            "Resent payment link"
        );
        assert_eq!(actor_label(Lang::En, "user:alice"), "alice");
        assert_eq!(actor_label(Lang::En, "key:shop"), "shop (API key)");
        assert_eq!(actor_label(Lang::Nb, "callback"), "Front Payment");
    }
}
