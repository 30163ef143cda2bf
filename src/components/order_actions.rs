//! The follow-up actions of an order: offered only when the status and the role allow them
//! ([`crate::follow_up::offered`]), with the reason when some are missing (role or status,
//! [`crate::follow_up::reason`]), each with a confirmation that says exactly what will happen,
//! checked by core before it is sent, and sent under one `Idempotency-Key` per confirmation so
//! that a retry can never do it twice.

use frontdesk_core::ids::phone::normalize_msisdn;
use frontdesk_core::ids::{OrderId, country};
use frontdesk_core::refund::RefundableProduct;
use frontdesk_core::roles::{Action as Permission, Role};
use frontdesk_core::validate::{
    Context, Issue, Report, Validated, validate_cancel, validate_resend,
};
use frontdesk_core::{Money, RefundType};
use leptos::prelude::*;
use serde_json::{Value, json};

use crate::api::{self, ApiError};
use crate::auth::use_auth;
use crate::components::notice::{BusyNotice, ErrorNotice};
use crate::follow_up::refund::{Line, LineProblem, RefundProblem, Refundable};
use crate::follow_up::{FollowUp, Loaded, Reason, abilities, contact_line, offered, reason};
use crate::i18n::{Lang, Texts, tx, use_i18n};
use crate::util;

fn label(lang: Lang, a: FollowUp) -> &'static str {
    let t = lang.texts();
    match a {
        FollowUp::Resend => t.action_resend,
        FollowUp::Cancel => t.action_cancel,
        FollowUp::Refund => t.action_refund,
        FollowUp::DelayedCharge => t.action_delayed_charge,
    }
}

fn done_text(lang: Lang, a: FollowUp) -> &'static str {
    let t = lang.texts();
    match a {
        FollowUp::Resend => t.resend_done,
        FollowUp::Cancel => t.cancel_done,
        FollowUp::Refund => t.refund_done,
        FollowUp::DelayedCharge => t.delayed_done,
    }
}

/// The signed-in user's role, if known.
pub fn current_role() -> Signal<Option<Role>> {
    let auth = use_auth();
    Signal::derive(move || auth.role())
}

/// What a role may do with orders, as the reasons say it.
fn ability(t: &Texts, p: Permission) -> &'static str {
    match p {
        Permission::Create => t.may_create,
        Permission::Resend => t.may_resend,
        Permission::Cancel => t.may_cancel,
        Permission::Refund => t.may_refund,
        Permission::DelayedCharge => t.may_charge,
        _ => t.may_view,
    }
}

/// An action as what to ask someone to do.
fn request(t: &Texts, a: FollowUp) -> &'static str {
    match a {
        FollowUp::Resend => t.to_resend,
        FollowUp::Cancel => t.to_cancel,
        FollowUp::Refund => t.to_refund,
        FollowUp::DelayedCharge => t.to_charge,
    }
}

/// Whom to ask, by the least role that may.
fn whom(t: &Texts, role: Role) -> &'static str {
    match role {
        Role::Admin => t.ask_admin,
        Role::Clerk | Role::Viewer => t.ask_clerk,
    }
}

/// Why actions are missing, in words: the status, or what the role may and whom to ask for
/// the rest ("Your role (clerk) may view orders, create orders and resend payment links. Ask an
/// admin to refund this order.").
pub fn reason_text(lang: Lang, reason: &Reason) -> String {
    let t = lang.texts();
    match reason {
        Reason::Status(s) => t.no_actions.replace("{status}", lang.status(*s)),
        Reason::Role { role, withheld } => {
            let may: Vec<&str> = std::iter::once(t.may_view)
                .chain(abilities(*role).into_iter().map(|p| ability(t, p)))
                .collect();
            let mut out = t
                .reason_role
                .replace("{role}", lang.role(*role))
                .replace("{may}", &lang.join_and(&may));
            for needed in Role::ALL {
                let what: Vec<&str> = withheld
                    .iter()
                    .filter(|(_, r)| *r == needed)
                    .map(|(a, _)| request(t, *a))
                    .collect();
                if !what.is_empty() {
                    out.push(' ');
                    out.push_str(
                        &t.reason_ask
                            .replace("{who}", whom(t, needed))
                            .replace("{what}", &lang.join_and(&what)),
                    );
                }
            }
            out
        }
    }
}

#[component]
pub fn OrderActions(
    #[prop(into)] loaded: Signal<Option<Loaded>>,
    done: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = current_role();
    let actions = Memo::new(move |_| {
        loaded.with(|l| {
            l.as_ref()
                .map(|l| offered(role.get(), l.details.kind, l.state.status))
                .unwrap_or_default()
        })
    });
    let open = RwSignal::new(None::<FollowUp>);
    let result = RwSignal::new(String::new());
    let finished = Callback::new(move |a: FollowUp| {
        result.set(done_text(i18n.0.get_untracked(), a).to_owned());
        open.set(None);
        done.run(());
    });
    let close = Callback::new(move |_| open.set(None));
    let why = Memo::new(move |_| {
        loaded.with(|l| {
            l.as_ref()
                .and_then(|l| reason(role.get(), l.details.kind, l.state.status))
        })
    });
    view! {
        <section class="order-actions" aria-labelledby="actions-title" data-testid="order-actions">
            <h3 id="actions-title">{tx(|t| t.actions_title)}</h3>
            <p role="status" class="ok-text" data-testid="action-result">{move || result.get()}</p>
            {move || why.get().map(|r| {
                let (testid, kind) = match &r {
                    Reason::Status(_) => ("no-actions", "status"),
                    Reason::Role { .. } => ("action-reason", "role"),
                };
                view! {
                    <p class="muted" data-testid=testid data-reason=kind>{move || reason_text(i18n.get(), &r)}</p>
                }
            })}
            <div class="action-buttons">
                {move || actions.get().into_iter().map(|a| view! {
                    <button
                        type="button"
                        class="secondary"
                        data-action=a.id()
                        aria-expanded=move || (open.get() == Some(a)).to_string()
                        aria-controls=format!("action-{}", a.id())
                        on:click=move |_| {
                            result.set(String::new());
                            open.set(Some(a));
                            util::focus_id_later(format!("action-{}-title", a.id()));
                        }
                    >
                        {move || label(i18n.get(), a)}
                    </button>
                }).collect_view()}
            </div>
            {move || {
                let a = open.get().filter(|a| actions.with(|o| o.contains(a)))?;
                let l = loaded.get_untracked()?;
                let id: OrderId = l.details.order_id.clone();
                Some(view! {
                    <div class="action-panel" id=format!("action-{}", a.id()) role="group"
                        aria-labelledby=format!("action-{}-title", a.id())>
                        <h4 id=format!("action-{}-title", a.id()) tabindex="-1">{move || label(i18n.get(), a)}</h4>
                        {match a {
                            FollowUp::Resend => view! { <ResendForm loaded=l id=id finished=finished close=close /> }.into_any(),
                            FollowUp::Cancel => view! { <CancelForm id=id finished=finished close=close /> }.into_any(),
                            FollowUp::Refund => view! { <RefundForm loaded=l id=id finished=finished close=close /> }.into_any(),
                            FollowUp::DelayedCharge => view! { <DelayedChargeForm loaded=l id=id finished=finished close=close /> }.into_any(),
                        }}
                    </div>
                })
            }}
        </section>
    }
}

/// The body an action sends (`None`: a POST without one), or `Err` while its form is not valid.
type Body = Signal<Result<Option<Value>, ()>>;

/// The confirm step shared by every action: what will happen, the send under one key, the
/// error (with retry) or the success.
#[component]
fn ConfirmSend(
    action: FollowUp,
    id: OrderId,
    /// The button stays disabled while this is `Err`.
    #[prop(into)]
    body: Body,
    finished: Callback<FollowUp>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let busy = RwSignal::new(false);
    let waiting = RwSignal::new(None::<u32>);
    let error = RwSignal::new(None::<ApiError>);
    // One key per confirmation; a changed body after a definite refusal gets a fresh one, but
    // never while an attempt's outcome is unknown (the retry must repeat the same request).
    let key = RwSignal::new(util::random_key());
    let sent = StoredValue::new(None::<Value>);
    let send = StoredValue::new_local(move || {
        let Ok(b) = body.get_untracked() else { return };
        let unknown = error.with_untracked(|e| e.as_ref().is_some_and(ApiError::is_retryable));
        if sent.with_value(|s| s.as_ref() != b.as_ref() && s.is_some()) && !unknown {
            key.set(util::random_key());
        }
        sent.set_value(b.clone());
        let path = action.endpoint().path(Some(&id)).unwrap_or_default();
        let k = key.get_untracked();
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            // A busy Front Payment (429) is waited out and asked again under the same key.
            let attempt = || {
                let (path, b, k) = (path.clone(), b.clone(), k.clone());
                async move { api::post_data(&path, b.as_ref(), Some(&k)).await }
            };
            let out = api::patiently(waiting, attempt).await;
            busy.set(false);
            match out {
                Ok(_) => finished.run(action),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    view! {
        <div aria-live="polite"><BusyNotice waiting=waiting /></div>
        <ErrorNotice error=error retry=Callback::new(move |_| send.with_value(|f| f())) />
        <div class="confirm-row">
            <button
                type="button"
                class="primary"
                data-testid="confirm-action"
                disabled=move || busy.get() || body.with(Result::is_err)
                on:click=move |_| send.with_value(|f| f())
            >
                {move || if busy.get() { i18n.t().working } else { i18n.t().confirm }}
            </button>
            <button type="button" class="secondary" on:click=move |_| close.run(())>{tx(|t| t.back)}</button>
        </div>
    }
}

/// Core's check of a payload, live: the report (errors and warnings; no errors once valid)
/// and the body to send (`Err` while there are errors, so the confirm button stays disabled;
/// warnings do not stop it).
fn checked<T: 'static>(
    payload: Memo<Value>,
    validate: fn(&Value, &Context) -> Result<Validated<T>, Report>,
) -> (Memo<Report>, Body) {
    let report = Memo::new(move |_| {
        payload.with(|p| match validate(p, &Context::new(util::now_unix())) {
            Ok(v) => Report {
                warnings: v.warnings,
                ..Report::default()
            },
            Err(r) => r,
        })
    });
    let body = Signal::derive(move || match report.with(|r| r.errors.is_empty()) {
        true => Ok(Some(payload.get())),
        false => Err(()),
    });
    (report, body)
}

/// Core's messages for one field, from errors or warnings.
fn messages(lang: Lang, issues: &[Issue], field: &str) -> Vec<String> {
    issues
        .iter()
        .filter(|i| i.field == field)
        .map(|i| lang.issue(i))
        .collect()
}

#[component]
fn ResendForm(
    loaded: Loaded,
    id: OrderId,
    finished: Callback<FollowUp>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let c = loaded.details.customer_details.clone();
    let stored = json!({
        "countryCode": c.country_code,
        "msisdn": c.msisdn,
        "email": c.email,
    });
    let stored_text = contact_line(
        c.country_code.as_deref(),
        c.msisdn.as_deref(),
        c.email.as_deref(),
    );
    let to_new = RwSignal::new(false);
    let phone_country = RwSignal::new("NO".to_owned());
    let msisdn = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let payload = Memo::new(move |_| {
        if !to_new.get() {
            return stored.clone();
        }
        let mut v = serde_json::Map::new();
        // Core's normaliser, as on the order form: `912 34 567` is sent as `91234567`.
        let m = normalize_msisdn(&msisdn.get());
        if !m.is_empty() {
            let code = country::find(&phone_country.get()).and_then(|c| c.calling_code);
            v.insert("countryCode".into(), json!(code));
            v.insert("msisdn".into(), json!(m));
        }
        let e = email.get();
        if !e.trim().is_empty() {
            v.insert("email".into(), json!(e.trim()));
        }
        Value::Object(v)
    });
    let (report, body) = checked(payload, validate_resend);
    let errs = move |field: &'static str| {
        move || {
            if touched.get() || !to_new.get() {
                report.with(|r| messages(i18n.get(), &r.errors, field))
            } else {
                Vec::new()
            }
        }
    };
    // Core's warnings (an unusual length, not a mobile number): shown, not blocking.
    let warns = move |field: &'static str| {
        move || {
            let shown = touched.get() && to_new.get();
            let found = report.with(|r| messages(i18n.get(), &r.warnings, field));
            (shown && !found.is_empty())
                .then(|| format!("{} {}", i18n.t().warning_prefix, found.join(" ")))
        }
    };
    view! {
        <fieldset class="choices">
            <legend class="sr-only">{tx(|t| t.action_resend)}</legend>
            <label><input type="radio" name="resend-to" checked=move || !to_new.get() on:change=move |_| to_new.set(false) />
                {tx(|t| t.resend_stored)}" ("{stored_text.clone()}")"</label>
            <label><input type="radio" name="resend-to" data-testid="resend-new" checked=move || to_new.get() on:change=move |_| to_new.set(true) />
                {tx(|t| t.resend_new)}</label>
        </fieldset>
        <Show when=move || to_new.get()>
            <div class="row">
                <label>
                    <span>{tx(|t| t.calling_code)}</span>
                    <select on:change=move |ev| phone_country.set(event_target_value(&ev))>
                        {move || i18n.get().calling_codes().into_iter().map(|(a2, name)| {
                            let selected = a2 == phone_country.get_untracked();
                            view! { <option value=a2 selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{tx(|t| t.phone_number)}</span>
                    <input type="tel" inputmode="tel" autocomplete="off" data-testid="resend-msisdn"
                        aria-invalid=move || (!errs("msisdn")().is_empty()).to_string()
                        aria-describedby="resend-msisdn-err resend-msisdn-warn"
                        on:input=move |ev| { touched.set(true); msisdn.set(event_target_value(&ev)); } />
                    <span id="resend-msisdn-err" class="field-error">{move || errs("msisdn")().join(" ")}</span>
                    <span id="resend-msisdn-warn" class="field-warn" data-testid="resend-msisdn-warn">{warns("msisdn")}</span>
                </label>
                <label>
                    <span>{tx(|t| t.email)}</span>
                    <input type="email" autocomplete="off" data-testid="resend-email"
                        aria-invalid=move || (!errs("email")().is_empty()).to_string()
                        aria-describedby="resend-email-err resend-email-warn"
                        on:input=move |ev| { touched.set(true); email.set(event_target_value(&ev)); } />
                    <span id="resend-email-err" class="field-error">{move || errs("email")().join(" ")}</span>
                    <span id="resend-email-warn" class="field-warn">{warns("email")}</span>
                </label>
            </div>
        </Show>
        <p class="confirm-text">{tx(|t| t.resend_confirm)}" "
            <strong>{move || payload.with(|p| {
                let text = |k: &str| p.get(k).and_then(Value::as_str);
                contact_line(text("countryCode"), text("msisdn"), text("email"))
            })}</strong>
        </p>
        <ConfirmSend action=FollowUp::Resend id=id body=body finished=finished close=close />
    }
}

#[component]
fn CancelForm(id: OrderId, finished: Callback<FollowUp>, close: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let note = RwSignal::new(String::new());
    let touched = RwSignal::new(false);
    let payload = Memo::new(move |_| json!({ "cancellationNote": note.get().trim() }));
    let (report, body) = checked(payload, validate_cancel);
    let errors = move || {
        if touched.get() {
            report.with(|r| messages(i18n.get(), &r.errors, "cancellationNote"))
        } else {
            Vec::new()
        }
    };
    view! {
        <label class="block-label">
            <span>{tx(|t| t.cancel_note)}</span>
            <textarea rows="2" data-testid="cancel-note" required=true
                aria-invalid=move || (!errors().is_empty()).to_string()
                aria-describedby="cancel-note-err"
                on:input=move |ev| { touched.set(true); note.set(event_target_value(&ev)); }
                on:blur=move |_| touched.set(true)></textarea>
            <span id="cancel-note-err" class="field-error">{move || errors().join(" ")}</span>
        </label>
        <p class="confirm-text">{tx(|t| t.cancel_confirm)}</p>
        <ConfirmSend action=FollowUp::Cancel id=id body=body finished=finished close=close />
    }
}

/// The refund editor: per line what is left, what to refund, the live total; core's refund
/// rules run before anything is sent.
#[component]
fn RefundForm(
    loaded: Loaded,
    id: OrderId,
    finished: Callback<FollowUp>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let refunded = loaded.refunded_lines();
    let has_invoice = loaded.invoice_number.is_some() || loaded.details.invoice_number.is_some();
    let editor = StoredValue::new(Refundable {
        lines: loaded
            .details
            .product_list
            .iter()
            .map(|p| Line {
                name: p.name.clone(),
                product: RefundableProduct {
                    id: p.id,
                    amount: p.amount,
                    refunded: Money(refunded.get(&p.id).copied().unwrap_or(0)),
                },
            })
            .collect(),
        order_amount: loaded.order_amount(),
        refunded_amount: loaded.refunded_amount(),
        refund_type: RefundType::for_order(has_invoice),
    });
    let elsewhere = editor.with_value(|e| e.refunded_elsewhere() > Money::ZERO);
    let count = editor.with_value(|e| e.lines.len());
    let entries = RwSignal::new(vec![String::new(); count]);
    let request = Memo::new(move |_| entries.with(|e| editor.with_value(|ed| ed.request(e))));
    let body = Signal::derive(move || match request.get() {
        Ok(r) => serde_json::to_value(&r).map(Some).map_err(|_| ()),
        Err(_) => Err(()),
    });
    let problem_text = move |p: LineProblem| {
        let lang = i18n.get();
        match p {
            LineProblem::NotAnAmount => lang.issue(&frontdesk_core::Issue::new(
                "amount",
                frontdesk_core::Code::Numeric,
            )),
            LineProblem::MoreThanLeft(m) => {
                format!("{} {}", lang.texts().refund_more_than_left, lang.money(m))
            }
        }
    };
    let whole_problem = move || match request.get() {
        Err(RefundProblem::Nothing) => Some(i18n.t().refund_nothing.to_owned()),
        Err(RefundProblem::Rejected(r)) => Some(i18n.get().api_message(r.message().as_str())),
        _ => None,
    };
    let type_text = move || match editor.with_value(|e| e.refund_type) {
        RefundType::Regular => i18n.t().refund_type_regular,
        RefundType::Invoiced => i18n.t().refund_type_invoiced,
    };
    // On a narrow screen each line stacks, its cells labelled (`cell-label`, style/main.css).
    let rows = (0..count).map(|i| {
        let line = editor.with_value(|e| e.lines[i].clone());
        let input_id = format!("refund-line-{i}");
        let err_id = format!("refund-line-{i}-err");
        let problem = move || entries.with(|e| editor.with_value(|ed| ed.line_problem(i, &e[i])));
        let left = line.product.left();
        let name = line.name.clone();
        view! {
            <tr>
                <th scope="row">{line.name.clone()}</th>
                <td class="num">
                    <span class="cell-label" aria-hidden="true">{tx(|t| t.amount)}</span>
                    {move || i18n.get().money(line.product.amount)}
                </td>
                <td class="num">
                    <span class="cell-label" aria-hidden="true">{tx(|t| t.refund_left)}</span>
                    <span data-testid=format!("refund-left-{i}")>{move || i18n.get().money(left)}</span>
                </td>
                <td class="refund-entry">
                    <label class="cell-label" for=input_id.clone()>
                        {tx(|t| t.action_refund)}<span class="sr-only">" "{name}</span>
                    </label>
                    <input type="text" inputmode="decimal" class="num" id=input_id data-testid=format!("refund-line-{i}")
                        aria-invalid=move || problem().is_some().to_string()
                        aria-describedby=err_id.clone()
                        prop:value=move || entries.with(|e| e[i].clone())
                        on:input=move |ev| { let v = event_target_value(&ev); entries.update(|e| e[i] = v); } />
                    <span id=err_id class="field-error">{move || problem().map(problem_text)}</span>
                </td>
            </tr>
        }
    }).collect_view();
    view! {
        <p class="muted">{tx(|t| t.refund_intro)}</p>
        {elsewhere.then(|| view! { <p class="notice warn">{tx(|t| t.refund_elsewhere)}</p> })}
        <p>{type_text}</p>
        <div class="table-wrap">
            <table class="data refund-editor">
                <thead>
                    <tr>
                        <th scope="col">{tx(|t| t.product_name)}</th>
                        <th scope="col" class="num">{tx(|t| t.amount)}</th>
                        <th scope="col" class="num">{tx(|t| t.refund_left)}</th>
                        <th scope="col">{tx(|t| t.action_refund)}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p>
            <button type="button" class="secondary small" data-testid="refund-fill-all"
                on:click=move |_| {
                    let lang = i18n.0.get_untracked();
                    let left = editor.with_value(Refundable::everything_left);
                    entries.set(left.into_iter().map(|m| lang.amount_entry(m)).collect());
                }>
                {tx(|t| t.refund_fill_all)}
            </button>
        </p>
        <p class="confirm-text">{tx(|t| t.refund_confirm)}" "
            <strong data-testid="refund-total">{move || i18n.get().money(entries.with(|e| editor.with_value(|ed| ed.total(e))))}</strong>
        </p>
        <p class="field-error" aria-live="polite" data-testid="refund-problem">{whole_problem}</p>
        <ConfirmSend action=FollowUp::Refund id=id body=body finished=finished close=close />
    }
}

#[component]
fn DelayedChargeForm(
    loaded: Loaded,
    id: OrderId,
    finished: Callback<FollowUp>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let amount = loaded.order_amount();
    view! {
        <p class="confirm-text">{tx(|t| t.delayed_confirm)}" "<strong>{move || i18n.get().money(amount)}</strong></p>
        <ConfirmSend action=FollowUp::DelayedCharge id=id body=Signal::stored(Ok(None)) finished=finished close=close />
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontdesk_core::OrderStatus;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn reasons_in_words() {
        let clerk_paid = Reason::Role {
            role: Role::Clerk,
            withheld: vec![(FollowUp::Refund, Role::Admin)],
        };
        assert_eq!(
            reason_text(Lang::En, &clerk_paid),
            "Your role (clerk) may view orders, create orders and resend payment links. \
             Ask an admin to refund this order."
        );
        assert_eq!(
            reason_text(Lang::Nb, &clerk_paid),
            "Rollen din (saksbehandler) kan se ordrer, opprette ordrer og sende \
             betalingslenker på nytt. Be en administrator om å refundere ordren."
        );
        let viewer_sent = Reason::Role {
            role: Role::Viewer,
            withheld: vec![
                (FollowUp::Resend, Role::Clerk),
                (FollowUp::Cancel, Role::Admin),
            ],
        };
        assert_eq!(
            reason_text(Lang::En, &viewer_sent),
            "Your role (viewer) may view orders. Ask a clerk or an admin to resend the \
             payment link. Ask an admin to cancel this order."
        );
        assert_eq!(
            reason_text(Lang::En, &Reason::Status(OrderStatus::Expired)),
            "Nothing can be done with this order in its status (Expired)."
        );
    }
}
