//! Labelled controls whose messages come from core's report: errors once the control was left
//! or a submit was tried, warnings styled apart (icon, colour and text), space reserved.

use frontdesk_core::draft::fields::{self, Input as InputType};
use frontdesk_core::validate::Issue;
use leptos::html;
use leptos::prelude::*;

use crate::form::{Bound, ErrorText, Form, MemberValue, field_id};
use crate::i18n::{Texts, tx, use_i18n};

/// What a field shows right now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shown {
    pub errors: Vec<ErrorText>,
    pub warnings: Vec<Issue>,
}

/// The messages of the field at `path` whose control has DOM id `dom_id`.
pub fn shown(form: Form, path: Signal<String>, dom_id: String) -> Memo<Shown> {
    Memo::new(move |_| {
        let p = path.get();
        let visible = form.submitted.get() || form.touched.with(|t| t.contains(&dom_id));
        let mut out = Shown::default();
        if visible {
            form.issues.with(|m| {
                if let Some(fi) = m.get(&p) {
                    out.errors
                        .extend(fi.errors.iter().cloned().map(ErrorText::Issue));
                    out.warnings.clone_from(&fi.warnings);
                }
            });
        }
        form.server.with(|s| {
            if let Some(msgs) = s.get(&p) {
                out.errors.extend(msgs.iter().cloned());
            }
        });
        out
    })
}

/// One message line.
#[component]
pub fn Message(text: ErrorText) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || match &text {
        ErrorText::Issue(i) => i18n.get().issue(i),
        ErrorText::Server(s) => s.clone(),
    };
    view! {
        <span class="msg-error">
            <span class="msg-icon" aria-hidden="true">"✖"</span>
            <strong>{tx(|t| t.error_prefix)}</strong>" "{text}
        </span>
    }
}

/// The message area under a control (`id` for `aria-describedby`).
#[component]
pub fn Messages(shown: Memo<Shown>, id: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="msg" id=id>
            {move || {
                shown
                    .with(|s| s.errors.clone())
                    .into_iter()
                    .map(|e| view! { <Message text=e /> })
                    .collect_view()
            }}
            {move || {
                let lang = i18n.get();
                shown
                    .with(|s| s.warnings.clone())
                    .into_iter()
                    .map(|w| {
                        view! {
                            <span class="msg-warn">
                                <span class="msg-icon" aria-hidden="true">"⚠"</span>
                                <strong>{lang.texts().warning_prefix}</strong>" "{lang.issue(&w)}
                            </span>
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}

/// `label (optional)`.
#[component]
pub fn LabelText(
    #[prop(into)] text: Signal<String>,
    #[prop(into, optional)] optional: Signal<bool>,
) -> impl IntoView {
    view! {
        {move || text.get()}
        <Show when=move || optional.get()>
            <span class="optional">" (" {tx(|t| t.optional)} ")"</span>
        </Show>
    }
}

/// A text input bound to `value`, with messages for `path`. With `display`, the input shows
/// that instead while `value` is empty (a default, like today's date).
#[component]
pub fn Input(
    form: Form,
    #[prop(into)] path: Signal<String>,
    id: String,
    #[prop(into)] label: Signal<String>,
    value: Bound<String>,
    #[prop(into, optional)] optional: Signal<bool>,
    #[prop(into, default = None)] input_type: Option<&'static str>,
    #[prop(into, default = None)] autocomplete: Option<&'static str>,
    #[prop(into, default = None)] inputmode: Option<&'static str>,
    #[prop(into, default = None)] hint: Option<Signal<String>>,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] label_class: Option<&'static str>,
    #[prop(into, optional)] label_prefix: Option<Signal<String>>,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(into, optional)] display: Option<Signal<String>>,
    #[prop(into, optional)] min: Option<Signal<String>>,
) -> impl IntoView {
    let msg_id = format!("{id}-msg");
    let hint_id = format!("{id}-hint");
    let shown_value = move || {
        let typed = value.get();
        match display {
            Some(d) if typed.is_empty() => d.get(),
            _ => typed,
        }
    };
    let shown = shown(form, path, id.clone());
    let invalid = Memo::new(move |_| shown.with(|s| !s.errors.is_empty()));
    let described = if hint.is_some() {
        format!("{hint_id} {msg_id}")
    } else {
        msg_id.clone()
    };
    let touch_id = id.clone();
    view! {
        <div class=format!("field {}", class.unwrap_or_default())>
            <label for=id.clone() class=label_class.unwrap_or_default()>
                {label_prefix.map(|p| view! { <span class="sr-only">{move || p.get()}</span> })}
                <LabelText text=label optional=optional />
            </label>
            {hint.map(|h| view! { <span class="hint" id=hint_id.clone()>{move || h.get()}</span> })}
            <input
                id=id.clone()
                type=input_type.unwrap_or("text")
                autocomplete=autocomplete
                inputmode=inputmode
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                aria-describedby=described
                aria-required=move || if optional.get() { "false" } else { "true" }
                disabled=move || disabled.get()
                min=move || min.map(|m| m.get()).filter(|m| !m.is_empty())
                prop:value=shown_value
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    form.edited(&path.get_untracked());
                }
                on:blur=move |_| form.touch(&touch_id)
            />
            <Messages shown=shown id=msg_id />
        </div>
    }
}

/// A select bound to `value`; options as (value, label). With `display`, the select shows that
/// choice (what is sent, say a default) rather than `value` itself.
#[component]
pub fn Select(
    form: Form,
    #[prop(into)] path: Signal<String>,
    id: String,
    #[prop(into)] label: Signal<String>,
    value: Bound<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    #[prop(into, optional)] optional: Signal<bool>,
    #[prop(optional)] class: Option<&'static str>,
    #[prop(optional)] label_class: Option<&'static str>,
    #[prop(into, default = None)] autocomplete: Option<&'static str>,
    #[prop(into, optional)] label_prefix: Option<Signal<String>>,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(into, optional)] display: Option<Signal<String>>,
) -> impl IntoView {
    let msg_id = format!("{id}-msg");
    let shown = shown(form, path, id.clone());
    let invalid = Memo::new(move |_| shown.with(|s| !s.errors.is_empty()));
    let node: NodeRef<html::Select> = NodeRef::new();
    let current = move || display.map_or_else(|| value.get(), |d| d.get());
    // Options first, then the value: set it after they are in the DOM.
    Effect::new(move |_| {
        let v = current();
        options.track();
        if let Some(el) = node.get() {
            el.set_value(&v);
        }
    });
    let touch_id = id.clone();
    view! {
        <div class=format!("field {}", class.unwrap_or_default())>
            <label for=id.clone() class=label_class.unwrap_or_default()>
                {label_prefix.map(|p| view! { <span class="sr-only">{move || p.get()}</span> })}
                <LabelText text=label optional=optional />
            </label>
            <select
                id=id.clone()
                node_ref=node
                autocomplete=autocomplete
                aria-invalid=move || if invalid.get() { "true" } else { "false" }
                aria-describedby=msg_id.clone()
                disabled=move || disabled.get()
                on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    form.edited(&path.get_untracked());
                }
                on:blur=move |_| form.touch(&touch_id)
            >
                {move || {
                    let current = untrack(current);
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == current;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <Messages shown=shown id=msg_id />
        </div>
    }
}

/// A checkbox bound to `value`.
#[component]
pub fn Check(
    form: Form,
    #[prop(into)] path: Signal<String>,
    id: String,
    #[prop(into)] label: Signal<String>,
    value: Bound<bool>,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    let msg_id = format!("{id}-msg");
    let shown = shown(form, path, id.clone());
    view! {
        <div class="check">
            <input
                type="checkbox"
                id=id.clone()
                aria-describedby=msg_id.clone()
                disabled=move || disabled.get()
                prop:checked=move || value.get()
                on:change=move |ev| {
                    value.set(event_target_checked(&ev));
                    form.edited(&path.get_untracked());
                }
            />
            <label for=id>{move || label.get()}</label>
            <Messages shown=shown id=msg_id />
        </div>
    }
}

/// The control of a plain member of core's field table (a typed text, a choice from
/// `options`, a ticked box): its DOM id, label, help, "optional" mark, input type and value all
/// come from the table; what the table cannot know (autocomplete, keyboard, the options) is
/// given here. A path the table keeps no draft member for renders nothing.
#[component]
pub fn Member(
    form: Form,
    path: &'static str,
    #[prop(into, default = None)] autocomplete: Option<&'static str>,
    #[prop(into, default = None)] inputmode: Option<&'static str>,
    #[prop(into, default = None)] options: Option<Signal<Vec<(String, String)>>>,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    let (Some(spec), Some(value)) = (fields::field_spec(path), form.member(path)) else {
        return ().into_any();
    };
    let (id, label) = (field_id(path), label_of(path));
    match value {
        MemberValue::Flag(value) => view! {
            <Check form=form path=at(path) id=id label=label value=value disabled=disabled />
        }
        .into_any(),
        MemberValue::Text(value) if spec.input == InputType::Select => {
            let options = options.unwrap_or_else(|| Signal::stored(Vec::new()));
            view! {
                <Select form=form path=at(path) id=id label=label value=value options=options
                    autocomplete=autocomplete disabled=disabled />
            }
            .into_any()
        }
        MemberValue::Text(value) => view! {
            <Input form=form path=at(path) id=id label=label value=value optional=form.optional(path)
                input_type=html_type(spec.input) autocomplete=autocomplete inputmode=inputmode
                hint=spec.help.map(field_text) disabled=disabled />
        }
        .into_any(),
    }
}

/// The `type` of an `<input>` for a kind of entry (amounts and numbers are typed as text:
/// `1 234,50` is not a number to the browser).
fn html_type(input: InputType) -> &'static str {
    match input {
        InputType::Email => "email",
        InputType::Tel => "tel",
        InputType::Url => "url",
        InputType::Date => "date",
        _ => "text",
    }
}

/// The text of a key of core's field table, reactive to the language.
pub fn field_text(key: &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || i18n.get().field(key).to_owned())
}

/// The label of the member at `path`, by the table.
pub fn label_of(path: &'static str) -> Signal<String> {
    field_text(fields::field_spec(path).map_or(path, |f| f.label))
}

/// The label of a product line's member (`quantity`), by the table.
pub fn line_label(member: &'static str) -> Signal<String> {
    field_text(fields::line_field(member).map_or(member, |f| f.label))
}

/// A label from the texts table, reactive to the language.
pub fn tr(f: fn(&Texts) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || f(i18n.t()).to_owned())
}

/// A constant dotted path.
pub fn at(path: &'static str) -> Signal<String> {
    Signal::stored(path.to_owned())
}
