//! The product lines editor: a keyed list (each line keeps its DOM and signals when others
//! change, move or are added), add / duplicate / remove / move up and down, lines from the
//! catalogue (the product picker) and "save this line to the catalogue".
//!
//! The header row and every line share one grid (style/main.css, `.lines-head, .line`) with
//! fixed-width columns where content varies (line actions), so each heading sits over its
//! input: #, product, product ID, quantity, unit price, discount and its kr / % choice (one
//! heading over both), VAT, amount, actions.

use leptos::prelude::*;

use frontdesk_core::draft::fields::{Input as Entry, LINE_FIELDS, LineFieldSpec};
use frontdesk_core::draft::{LineDraft, discount_kr};

use crate::components::field::{Input, Messages, Select, at, field_text, inputmode, shown};
use crate::components::pickers::{ProductPicker, SaveLine};
use crate::form::{Form, FormLine, line_field_id, tax_rates};
use crate::i18n::{Texts, plural, tx, use_i18n};
use crate::util::focus_id_later;

#[component]
pub fn ProductLines(form: Form, #[prop(into)] disabled: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let add = move |_| {
        let id = form.add_line();
        focus_id_later(line_field_id(id, "name"));
    };
    let products_shown = shown(form, at("products"), "add-line".into());
    let count = Memo::new(move |_| form.lines.with(Vec::len));
    view! {
        <fieldset class="card lines-card">
            <legend>{tx(|t| t.products_legend)}</legend>
            <div class="lines-head" aria-hidden="true">
                <span class="h-no">"#"</span>
                {LINE_FIELDS
                    .iter()
                    .map(|f| view! { <span class=head_class(f)>{field_text(f.label)}</span> })
                    .collect_view()}
                <span class="h-actions"></span>
            </div>
            <ol class="lines">
                <For
                    each=move || form.lines.get()
                    key=|line| line.id
                    children=move |line| view! { <LineRow form=form line=line disabled=disabled /> }
                />
            </ol>
            <div class="lines-foot">
                <button
                    type="button"
                    id="add-line"
                    class="secondary"
                    on:click=add
                    disabled=move || disabled.get()
                    aria-describedby="products-msg"
                >
                    <span aria-hidden="true">"+ "</span>
                    {tx(|t| t.add_line)}
                </button>
                <span class="muted" data-testid="line-count">
                    {move || {
                        let (n, t) = (count.get(), i18n.t());
                        let n = i64::try_from(n).unwrap_or(i64::MAX);
                        format!("{n} {}", plural(n, t.line_count_one, t.line_count))
                    }}
                </span>
            </div>
            <Messages shown=products_shown id="products-msg".to_owned() />
            <ProductPicker form=form disabled=disabled />
        </fieldset>
    }
}

/// A column's heading class: `h-<column>` (style/main.css), amounts aligned as numbers.
fn head_class(f: &LineFieldSpec) -> String {
    let num = if f.input == Entry::Computed {
        " num"
    } else {
        ""
    };
    format!("h-{}{num}", f.column)
}

/// A line member typed as text (a name, a number, an amount), as opposed to the VAT choice
/// and the computed amount.
fn is_typed(f: &LineFieldSpec) -> bool {
    matches!(f.input, Entry::Text | Entry::Number | Entry::Money)
}

#[component]
fn LineRow(form: Form, line: FormLine, disabled: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let id = line.id;
    let index = Memo::new(move |_| {
        form.lines
            .with(|ls| ls.iter().position(|l| l.id == id))
            .unwrap_or(0)
    });
    let count = Memo::new(move |_| form.lines.with(Vec::len));
    let path =
        move |f: &'static str| Signal::derive(move || format!("products.{}.{f}", index.get()));
    let prefix = Signal::derive(move || format!("{} {}: ", i18n.t().line, index.get() + 1));
    let amount = Memo::new(move |_| line.data.with(LineDraft::totals).map(|t| t.amount));
    // What a discount in percent comes to in kr (what is sent).
    let percent_in_kr = Memo::new(move |_| {
        line.data.with(|l| {
            if !l.discount_percent || l.discount.trim().is_empty() {
                return None;
            }
            discount_kr(l)
        })
    });
    let in_percent = Memo::new(move |_| line.data.with(|l| l.discount_percent));
    let unit_id = line_field_id(id, "discountUnit");
    let tax_options = Signal::derive(|| {
        tax_rates()
            .into_iter()
            .map(|t| (t.to_string(), format!("{t} %")))
            .collect::<Vec<_>>()
    });
    view! {
        <li class="line">
            <span class="line-no" aria-hidden="true">{move || index.get() + 1}</span>
            {LINE_FIELDS
                .iter()
                .filter(|f| is_typed(f))
                .map(|f| {
                    view! {
                        <Input
                            form=form
                            path=path(f.member)
                            id=line_field_id(id, f.member)
                            label=field_text(f.label)
                            label_prefix=prefix
                            value=line.text(f.member)
                            optional=!f.required
                            inputmode=inputmode(f.input)
                            class=format!("c-{}", f.column)
                            label_class="line-label"
                            disabled=disabled
                        />
                    }
                })
                .collect_view()}
            <div class="field c-unit">
                <label for=unit_id.clone() class="line-label">
                    <span class="sr-only">{move || prefix.get()}</span>
                    {tx(|t| t.discount_unit)}
                </label>
                <select
                    id=unit_id
                    disabled=move || disabled.get()
                    on:change=move |ev| {
                        let percent = event_target_value(&ev) == "percent";
                        line.data.update(|l| l.discount_percent = percent);
                        form.edited(&format!("products.{}.discount", index.get_untracked()));
                    }
                >
                    <option value="kr" prop:selected=move || !in_percent.get()>
                        {tx(|t| t.discount_in_kr)}
                    </option>
                    <option value="percent" prop:selected=move || in_percent.get()>
                        "%"
                    </option>
                </select>
                <output
                    class="msg disc-kr"
                    id=line_field_id(id, "discountKr")
                    for=line_field_id(id, "discount")
                >
                    {move || percent_in_kr.get().map(|m| format!("= {}", i18n.get().money(m)))}
                </output>
            </div>
            <Select
                form=form
                path=path("tax")
                id=line_field_id(id, "tax")
                label=field_text("tax")
                label_prefix=prefix
                value=line.text("tax")
                options=tax_options
                class="c-tax"
                label_class="line-label"
                disabled=disabled
            />
            <div class="field c-amount">
                <span class="line-label" aria-hidden="true">{field_text("amount")}</span>
                <output id=line_field_id(id, "amount") class="num amount" aria-label=move || format!("{}{}", prefix.get(), i18n.t().amount)>
                    {move || amount.get().map(|a| i18n.get().money(a)).unwrap_or_else(|| "–".into())}
                </output>
                <SaveLine form=form id=id index=index />
            </div>
            <div class="line-actions">
                <LineActions form=form id=id index=index count=count disabled=disabled />
            </div>
        </li>
    }
}

/// A product line's buttons, in page order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineAction {
    Up,
    Down,
    Duplicate,
    Remove,
}

impl LineAction {
    const ALL: [LineAction; 4] = [
        LineAction::Up,
        LineAction::Down,
        LineAction::Duplicate,
        LineAction::Remove,
    ];

    /// The end of the button's DOM id (`line-3-up`).
    const fn slug(self) -> &'static str {
        match self {
            LineAction::Up => "up",
            LineAction::Down => "down",
            LineAction::Duplicate => "duplicate",
            LineAction::Remove => "remove",
        }
    }

    fn label(self, t: &Texts) -> &'static str {
        match self {
            LineAction::Up => t.move_up,
            LineAction::Down => t.move_down,
            LineAction::Duplicate => t.duplicate_line,
            LineAction::Remove => t.remove_line,
        }
    }

    const fn glyph(self) -> &'static str {
        match self {
            LineAction::Up => "↑",
            LineAction::Down => "↓",
            LineAction::Duplicate => "⊕",
            LineAction::Remove => "✕",
        }
    }

    /// Do it to line `id`, and put the focus where the merchant goes on from: the moved
    /// line's button, the copy.
    fn run(self, form: Form, id: u64) {
        match self {
            LineAction::Up | LineAction::Down => {
                let delta = if self == LineAction::Up { -1 } else { 1 };
                if form.move_line(id, delta) {
                    focus_id_later(line_field_id(id, self.slug()));
                }
            }
            LineAction::Duplicate => {
                if let Some(copy) = form.duplicate_line(id) {
                    focus_id_later(line_field_id(copy, "name"));
                }
            }
            LineAction::Remove => remove_line(form, id),
        }
    }
}

/// Remove line `id`; the focus goes to the line now in its place, else the one before it,
/// else to "Add line".
fn remove_line(form: Form, id: u64) {
    let pos = form.position(id).unwrap_or(0);
    form.remove_line(id);
    let next = form.lines.with_untracked(|ls| {
        ls.get(pos)
            .or_else(|| ls.get(pos.wrapping_sub(1)))
            .map(|l| l.id)
    });
    focus_id_later(match next {
        Some(n) => line_field_id(n, "name"),
        None => "add-line".into(),
    });
}

/// The buttons of line `id`, at `index` of `count` lines: moving past an end says so
/// (`aria-disabled`, the button stays focusable); the last line cannot be removed.
#[component]
fn LineActions(
    form: Form,
    id: u64,
    index: Memo<usize>,
    count: Memo<usize>,
    disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    LineAction::ALL
        .into_iter()
        .map(|action| {
            let label = move || {
                let t = i18n.t();
                format!("{} ({} {})", action.label(t), t.line, index.get() + 1)
            };
            let at_end = move || match action {
                LineAction::Up => Some(index.get() == 0),
                LineAction::Down => Some(index.get() + 1 >= count.get()),
                LineAction::Duplicate | LineAction::Remove => None,
            };
            let last = move || action == LineAction::Remove && count.get() <= 1;
            let class = if action == LineAction::Remove {
                "icon danger"
            } else {
                "icon"
            };
            view! {
                <button
                    type="button"
                    class=class
                    id=line_field_id(id, action.slug())
                    aria-label=label
                    title=label
                    aria-disabled=move || at_end().map(|end| if end { "true" } else { "false" })
                    disabled=move || disabled.get() || last()
                    on:click=move |_| action.run(form, id)
                >
                    {action.glyph()}
                </button>
            }
        })
        .collect_view()
}
