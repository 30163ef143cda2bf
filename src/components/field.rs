//! Labelled controls whose messages come from core's report: errors once the control was left
//! or a submit was tried, warnings styled apart (icon, colour and text), space reserved.

use frontdesk_core::customer::Language;
use frontdesk_core::draft::fields::{self, FieldSpec, Input as InputType, Row, Section};
use frontdesk_core::ids::country;
use frontdesk_core::validate::Issue;
use leptos::html;
use leptos::prelude::*;

use crate::form::{Bound, ErrorText, Form, MemberValue, field_id};
use crate::i18n::{Lang, Texts, tx, use_i18n};

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

/// A control's label: the text and its "optional" mark, after `prefix` for screen readers
/// only (a product line's number).
#[component]
fn FieldLabel(
    id: String,
    text: Signal<String>,
    optional: Signal<bool>,
    class: Option<&'static str>,
    prefix: Option<Signal<String>>,
) -> impl IntoView {
    view! {
        <label for=id class=class.unwrap_or_default()>
            {prefix.map(|p| view! { <span class="sr-only">{move || p.get()}</span> })}
            <LabelText text=text optional=optional />
        </label>
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
    #[prop(optional, into)] class: Option<String>,
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
            <FieldLabel id=id.clone() text=label optional=optional class=label_class prefix=label_prefix />
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
            <FieldLabel id=id.clone() text=label optional=optional class=label_class prefix=label_prefix />
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

/// The controls of the plain members of core's field table in `section`, in page order and
/// by line ([`fields::section_rows`]), each while the table shows it in the form's kind and
/// customer type: a new row of the table is on the page with no code here.
#[component]
pub fn Members(
    form: Form,
    section: Section,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    fields::section_rows(section)
        .into_iter()
        .map(|(row, members)| {
            let controls = members
                .into_iter()
                .map(|spec| {
                    let shown = move || spec.presence(form.case()).is_shown();
                    view! { <Show when=shown><Member form=form spec=spec disabled=disabled /></Show> }
                        .into_any()
                })
                .collect_view();
            match grid_class(row) {
                Some(class) => view! { <div class=class>{controls}</div> }.into_any(),
                None => controls.into_any(),
            }
        })
        .collect_view()
}

/// The grid a line of controls sits in (style/main.css); `None`: a line of its own.
fn grid_class(row: Row) -> Option<&'static str> {
    match row {
        Row::Alone => None,
        Row::Halves => Some("grid two"),
        Row::ShortLong => Some("grid zip-city"),
    }
}

/// The control of a plain member of core's field table (a typed text, a country or a language
/// from core's lists, a ticked box): its DOM id, label, help, "optional" mark, input type,
/// keyboard, autofill and value all come from the table. A row that is no plain member renders
/// nothing.
#[component]
fn Member(form: Form, spec: &'static FieldSpec, disabled: Signal<bool>) -> impl IntoView {
    let path = spec.path;
    let Some(value) = form.member(path) else {
        return ().into_any();
    };
    let (id, label) = (field_id(path), field_text(spec.label));
    match (value, choices(spec.input)) {
        (MemberValue::Flag(value), _) => view! {
            <Check form=form path=at(path) id=id label=label value=value disabled=disabled />
        }
        .into_any(),
        (MemberValue::Text(value), Some(options)) => view! {
            <Select form=form path=at(path) id=id label=label value=value options=options
                autocomplete=spec.autocomplete disabled=disabled />
        }
        .into_any(),
        (MemberValue::Text(value), None) => view! {
            <Input form=form path=at(path) id=id label=label value=value optional=form.optional(path)
                input_type=html_type(spec.input) autocomplete=spec.autocomplete
                inputmode=inputmode(spec.input) hint=spec.help.map(field_text) disabled=disabled />
        }
        .into_any(),
    }
}

/// The options of a choice from one of core's lists, in the language shown (`None`: not
/// such a choice). The customer book's edit form offers the same.
pub fn choices(input: InputType) -> Option<Signal<Vec<(String, String)>>> {
    let i18n = use_i18n();
    match input {
        InputType::Country => Some(Signal::derive(move || countries(i18n.get()))),
        InputType::Language => Some(Signal::stored(languages())),
        _ => None,
    }
}

/// Every country by its name in `lang`, Norway first.
fn countries(lang: Lang) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = country::all()
        .iter()
        .filter(|c| c.alpha2 != "NO")
        .map(|c| (c.alpha2.to_owned(), lang.country_name(c).to_owned()))
        .collect();
    all.sort_by_cached_key(|(_, name)| lang.sort_key(name));
    let no = country::find("NO").map(|c| ("NO".to_owned(), lang.country_name(c).to_owned()));
    no.into_iter().chain(all).collect()
}

/// The customer's languages, each in its own words, Norwegian first.
fn languages() -> Vec<(String, String)> {
    [
        Language::No,
        Language::En,
        Language::Sv,
        Language::Da,
        Language::De,
    ]
    .into_iter()
    .map(|l| (l.as_str().to_owned(), language_name(l).to_owned()))
    .collect()
}

fn language_name(l: Language) -> &'static str {
    match l {
        Language::No => "Norsk",
        Language::En => "English",
        Language::Sv => "Svenska",
        Language::Da => "Dansk",
        Language::De => "Deutsch",
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

/// The keyboard a kind of entry wants on a phone.
pub fn inputmode(input: InputType) -> Option<&'static str> {
    match input {
        InputType::Digits => Some("numeric"),
        InputType::Number | InputType::Money => Some("decimal"),
        _ => None,
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

/// A label from the texts table, reactive to the language.
pub fn tr(f: fn(&Texts) -> &'static str) -> Signal<String> {
    let i18n = use_i18n();
    Signal::derive(move || f(i18n.t()).to_owned())
}

/// A constant dotted path.
pub fn at(path: &'static str) -> Signal<String> {
    Signal::stored(path.to_owned())
}
