//! `/account`: the signed-in user's own password and "sign out everywhere"; `/sign-out`: the
//! question about unsent drafts (keep them on this device or discard them), then the sign-out,
//! here or everywhere.

use frontdesk_core::status::OrderKind;
use frontdesk_core::validate::validate_new_password;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiError, PasswordChange};
use crate::auth::use_auth;
use crate::components::notice::{ErrorNotice, error_text};
use crate::draft::{self, StoredDraft};
use crate::i18n::{Lang, tx, use_i18n};
use crate::util;

/// Where `/sign-out` goes to end every session, not only this one.
pub const SIGN_OUT_EVERYWHERE: &str = "/sign-out?everywhere=1";

#[component]
pub fn AccountPage() -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let name = move || auth.user.with(|u| u.as_ref().map(|u| u.username.clone()));
    let role = move || auth.role().map(|r| i18n.get().role(r));
    view! {
        <section class="card account" aria-labelledby="account-title">
            <h2 id="account-title">{tx(|t| t.account_title)}</h2>
            <p>
                {tx(|t| t.signed_in_as)}" "<strong>{name}</strong>" "
                <span class="role">{role}</span>
            </p>
            <ChangePassword />
            <h3 id="everywhere-title">{tx(|t| t.sign_out_everywhere)}</h3>
            <p class="muted" id="everywhere-hint">{tx(|t| t.sign_out_everywhere_hint)}</p>
            <button type="button" class="secondary" id="sign-out-everywhere"
                aria-describedby="everywhere-hint"
                on:click=move |_| navigate(SIGN_OUT_EVERYWHERE, Default::default())>
                {tx(|t| t.sign_out_everywhere)}
            </button>
        </section>
    }
}

/// The outcome of a password change, in words.
fn change_outcome(lang: Lang, outcome: &Result<(), ApiError>) -> (bool, String) {
    let t = lang.texts();
    match outcome {
        Ok(()) => (true, t.password_changed.to_owned()),
        // Refused as asked (wrong current password, a rule): not a fault to retry.
        Err(e) if e.is_refusal() => (false, t.password_not_changed.to_owned()),
        Err(e) => (false, error_text(lang, e)),
    }
}

/// Current and new password; the new one checked live with core's rule (the proxy applies the
/// same), the change sent only when it passes.
#[component]
fn ChangePassword() -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let submitted = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<(), ApiError>>);
    let problems = Memo::new(move |_| {
        let lang = i18n.get();
        let name = auth.user.with(|u| u.as_ref().map(|u| u.username.clone()));
        new.with(
            |p| match validate_new_password(p, &name.unwrap_or_default()) {
                Ok(()) => Vec::new(),
                Err(report) => report.errors.iter().map(|i| lang.issue(i)).collect(),
            },
        )
    });
    let show_new =
        move || (submitted.get() || !new.with(String::is_empty)) && !problems.with(Vec::is_empty);
    let missing_current = move || submitted.get() && current.with(String::is_empty);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        submitted.set(true);
        outcome.set(None);
        if current.with_untracked(String::is_empty) {
            util::focus_id("current-password");
            return;
        }
        if !problems.with_untracked(Vec::is_empty) {
            util::focus_id("new-password");
            return;
        }
        let change = PasswordChange {
            current: current.get_untracked(),
            new: new.get_untracked(),
        };
        busy.set(true);
        // `try_`: the page may be left while the answer is on its way.
        leptos::task::spawn_local(async move {
            let out = api::change_password(&change).await;
            let _ = busy.try_set(false);
            if out.is_ok() {
                let _ = current.try_set(String::new());
                let _ = new.try_set(String::new());
                let _ = submitted.try_set(false);
            }
            let _ = outcome.try_set(Some(out));
        });
    };
    view! {
        <form class="change-password" on:submit=submit novalidate aria-labelledby="password-title">
            <h3 id="password-title">{tx(|t| t.change_password_title)}</h3>
            <PasswordField id="current-password" autocomplete="current-password" value=current
                label=|t| t.current_password
                messages=Signal::derive(move || if missing_current() {
                    vec![i18n.t().current_password_required.to_owned()]
                } else {
                    Vec::new()
                }) />
            <PasswordField id="new-password" autocomplete="new-password" value=new
                label=|t| t.new_password hint=|t| t.new_password_hint
                messages=Signal::derive(move || if show_new() { problems.get() } else { Vec::new() }) />
            <div id="password-result" role="status" aria-live="polite" data-testid="password-result">
                {move || outcome.with(|o| o.as_ref().map(|o| {
                    let (ok, text) = change_outcome(i18n.get(), o);
                    let class = if ok { "ok-text" } else { "msg-error" };
                    view! { <p class=class>{text}</p> }
                }))}
            </div>
            <button type="submit" class="primary" id="change-password" disabled=move || busy.get()>
                {move || if busy.get() { i18n.t().working } else { i18n.t().change_password }}
            </button>
        </form>
    }
}

/// A password input with its label, an optional hint and its messages (announced with it).
#[component]
fn PasswordField(
    id: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    label: fn(&crate::i18n::Texts) -> &'static str,
    #[prop(optional)] hint: Option<fn(&crate::i18n::Texts) -> &'static str>,
    #[prop(into)] messages: Signal<Vec<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let msg_id = format!("{id}-msg");
    let described = match hint {
        Some(_) => format!("{hint_id} {msg_id}"),
        None => msg_id.clone(),
    };
    view! {
        <div class="field">
            <label for=id>{tx(label)}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{tx(h)}</p> })}
            <input id=id type="password" autocomplete=autocomplete aria-required="true"
                aria-invalid=move || messages.with(|m| !m.is_empty()).to_string()
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev)) />
            <div class="msg msg-error" id=msg_id>
                {move || messages.get().join(" ")}
            </div>
        </div>
    }
}

/// A draft in a few words: what kind, for whom (as typed so far), when it was saved.
fn draft_line(lang: Lang, kind: OrderKind, draft: &StoredDraft) -> String {
    let d = &draft.data;
    let (first_name, name) = (
        d.text("customerDetails.firstName"),
        d.text("customerDetails.name"),
    );
    let who = format!("{first_name} {name}").trim().to_owned();
    let who = if who.is_empty() {
        lang.texts().draft_unnamed.to_owned()
    } else {
        who
    };
    let line = format!("{}: {who}", lang.kind(kind));
    if draft.saved_at > 0.0 {
        format!("{line} ({})", lang.datetime(draft.saved_at))
    } else {
        line
    }
}

/// `/sign-out` (`?everywhere=1`: every session of the user). The page before it is gone by
/// the time this reads the drafts, so its last typing is saved and listed. With no drafts to
/// ask about (and only this session to end) it signs out straight away.
#[component]
pub fn SignOutPage() -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let navigate = use_navigate();
    let everywhere =
        use_query_map().with_untracked(|q| q.get("everywhere").as_deref() == Some("1"));
    let drafts = RwSignal::new(None::<Vec<(OrderKind, StoredDraft)>>);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let finish = finisher(everywhere, busy, error);
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) || !auth.checked.get() {
            return done.unwrap_or(false);
        }
        if auth.user.with_untracked(Option::is_none) {
            navigate("/login", replace());
            return true;
        }
        // After the next frame the page before this one is surely disposed, its last typing
        // saved by its cleanup.
        request_animation_frame(move || {
            let unsent = draft::unsent();
            let ask = everywhere || !unsent.is_empty();
            if drafts.try_set(Some(unsent)).is_some() {
                return; // the page is gone
            }
            if ask {
                util::focus_id("sign-out-title");
            } else {
                // `try_`: the page may be gone already (left within the frame).
                let _ = finish.try_with_value(|f| f(true));
            }
        });
        true
    });
    let title = move || {
        let t = i18n.t();
        if everywhere {
            t.sign_out_everywhere
        } else {
            t.sign_out_title
        }
    };
    view! {
        <section class="card sign-out" aria-labelledby="sign-out-title" aria-busy=move || busy.get().to_string()>
            <h2 id="sign-out-title" tabindex="-1">{title}</h2>
            <ErrorNotice error=error />
            {move || match drafts.get() {
                Some(list) if everywhere || !list.is_empty() => {
                    view! { <SignOutQuestion drafts=list everywhere=everywhere busy=busy finish=finish /> }.into_any()
                }
                _ => view! { <p class="muted" role="status">{tx(|t| t.signing_out)}</p> }.into_any(),
            }}
        </section>
    }
}

/// The sign-out itself (`true`: keep the drafts), for the page's buttons and its own effect:
/// busy meanwhile, then the login; an error keeps the user here, signed in.
fn finisher(everywhere: bool, busy: RwSignal<bool>, error: RwSignal<Option<ApiError>>) -> Finish {
    let auth = use_auth();
    let navigate = use_navigate();
    StoredValue::new_local(Box::new(move |keep: bool| {
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            if let Err(e) = sign_out(everywhere, keep).await {
                let _ = busy.try_set(false);
                let _ = error.try_set(Some(e));
                return;
            }
            auth.set_user(None);
            navigate("/login", replace());
        });
    }) as Box<dyn Fn(bool)>)
}

fn replace() -> NavigateOptions {
    NavigateOptions {
        replace: true,
        ..Default::default()
    }
}

/// End the session (or all of them), then drop what the device keeps for the user: the
/// drafts unless kept, and always the created orders the success screen reloads from.
async fn sign_out(everywhere: bool, keep: bool) -> Result<(), ApiError> {
    if everywhere {
        match api::logout_everywhere().await {
            // Already signed out (revoked, expired): nothing left to end.
            Err(e) if e.status() != Some(401) => return Err(e),
            _ => {}
        }
    } else {
        api::logout().await;
    }
    if !keep {
        draft::discard_all();
    }
    draft::forget_created();
    Ok(())
}

type Finish = StoredValue<Box<dyn Fn(bool)>, LocalStorage>;

/// The drafts and the choice: keep them on this device, discard them, or stay signed in.
#[component]
fn SignOutQuestion(
    drafts: Vec<(OrderKind, StoredDraft)>,
    everywhere: bool,
    busy: RwSignal<bool>,
    finish: Finish,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let has_drafts = !drafts.is_empty();
    // Back to the page they came from; to their start page when they came from nowhere.
    let stay = move |_| {
        let history = web_sys::window().and_then(|w| w.history().ok());
        match history {
            Some(h) if h.length().unwrap_or(0) > 1 => {
                let _ = h.back();
            }
            _ => navigate("/", Default::default()),
        }
    };
    let run = move |keep: bool| move |_: leptos::ev::MouseEvent| finish.with_value(|f| f(keep));
    view! {
        {everywhere.then(|| view! { <p id="everywhere-question">{tx(|t| t.sign_out_everywhere_question)}</p> })}
        {has_drafts.then(|| view! {
            <p id="unsent-intro">{tx(|t| t.unsent_drafts)}</p>
            <ul data-testid="unsent-drafts" aria-labelledby="unsent-intro">
                {drafts.iter().map(|(kind, d)| {
                    let (kind, d) = (*kind, d.clone());
                    view! { <li>{move || draft_line(i18n.get(), kind, &d)}</li> }
                }).collect_view()}
            </ul>
            <p id="unsent-question">{tx(|t| t.unsent_question)}</p>
        })}
        <div class="confirm-row">
            {if has_drafts {
                view! {
                    <button type="button" class="primary" id="sign-out-keep" disabled=move || busy.get() on:click=run(true)>
                        {tx(|t| t.keep_drafts)}
                    </button>
                    <button type="button" class="secondary" id="sign-out-discard" disabled=move || busy.get() on:click=run(false)>
                        {tx(|t| t.discard_drafts)}
                    </button>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="primary" id="sign-out-confirm" disabled=move || busy.get() on:click=run(true)>
                        {tx(|t| t.sign_out_everywhere)}
                    </button>
                }.into_any()
            }}
            <button type="button" class="secondary" id="sign-out-stay" on:click=stay>{tx(|t| t.stay_signed_in)}</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::draft::OrderDraft;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn a_refused_change_points_at_the_current_password_and_faults_say_what_happened() {
        let t = Lang::En.texts();
        let http = |status| Err(ApiError::of_answer(status, "", None));
        assert_eq!(
            change_outcome(Lang::En, &Ok(())),
            (true, t.password_changed.to_owned())
        );
        for status in [400, 401, 403, 417] {
            let refused = (false, t.password_not_changed.to_owned());
            assert_eq!(change_outcome(Lang::En, &http(status)), refused, "{status}");
        }
        let (ok, fault) = change_outcome(Lang::En, &http(503));
        assert!(!ok && fault.contains("503"), "{fault}");
        let busy = change_outcome(Lang::Nb, &Err(ApiError::Busy { retry_after: 5 }));
        assert_eq!(busy, (false, Lang::Nb.texts().err_busy_action.to_owned()));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn a_draft_is_listed_by_kind_and_customer() {
        let draft = |first: &str, name: &str| StoredDraft {
            data: OrderDraft::default()
                .with_text("customerDetails.firstName", first)
                .with_text("customerDetails.name", name),
            key: "k".into(),
            pending: None,
            saved_at: 0.0,
        };
        assert_eq!(
            draft_line(Lang::En, OrderKind::Invoice, &draft("Ola", "Nordmann")),
            "Invoice: Ola Nordmann"
        );
        assert_eq!(
            draft_line(Lang::En, OrderKind::PaymentLink, &draft("", " ")),
            "Payment link: no name yet"
        );
    }
}
