//! The product lines editor: a keyed list (each line keeps its DOM and signals when others
//! change, move or are added), add / duplicate / remove / move up and down.
//!
//! The header row and every line share one grid (style/main.css, `.lines-head, .line`) with
//! fixed-width columns where content varies (line actions), so each heading sits over its
//! input: #, product, product ID, quantity, unit price, discount and its kr / % choice (one
//! heading over both), VAT, amount, actions.

use leptos::prelude::*;

use frontdesk_core::draft::fields;
use frontdesk_core::draft::{LineDraft, discount_kr};

use crate::components::field::{Input, Messages, Select, at, line_label, shown};
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
                <span class="h-name">{tx(|t| t.product_name)}</span>
                <span class="h-pid">{tx(|t| t.product_id)}</span>
                <span class="h-qty">{tx(|t| t.quantity)}</span>
                <span class="h-rate">{tx(|t| t.rate)}</span>
                <span class="h-disc">{tx(|t| t.discount)}</span>
                <span class="h-tax">{tx(|t| t.tax)}</span>
                <span class="h-amount num">{tx(|t| t.amount)}</span>
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
        </fieldset>
    }
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
    // A member optional in every kind (the table's column for a line).
    let optional = |member: &str| fields::line_field(member).is_some_and(|f| !f.required);
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
    let action_label = move |f: fn(&Texts) -> &'static str| {
        move || format!("{} ({} {})", f(i18n.t()), i18n.t().line, index.get() + 1)
    };
    let up = move |_| {
        if form.move_line(id, -1) {
            focus_id_later(line_field_id(id, "up"));
        }
    };
    let down = move |_| {
        if form.move_line(id, 1) {
            focus_id_later(line_field_id(id, "down"));
        }
    };
    let duplicate = move |_| {
        if let Some(copy) = form.duplicate_line(id) {
            focus_id_later(line_field_id(copy, "name"));
        }
    };
    let remove = move |_| {
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
    };
    view! {
        <li class="line">
            <span class="line-no" aria-hidden="true">{move || index.get() + 1}</span>
            <Input
                form=form
                path=path("name")
                id=line_field_id(id, "name")
                label=line_label("name")
                label_prefix=prefix
                value=line.text(|l| &l.name, |l| &mut l.name)
                class="c-name"
                label_class="line-label"
                disabled=disabled
            />
            <Input
                form=form
                path=path("productId")
                id=line_field_id(id, "productId")
                label=line_label("productId")
                label_prefix=prefix
                value=line.text(|l| &l.product_id, |l| &mut l.product_id)
                optional=optional("productId")
                class="c-pid"
                label_class="line-label"
                disabled=disabled
            />
            <Input
                form=form
                path=path("quantity")
                id=line_field_id(id, "quantity")
                label=line_label("quantity")
                label_prefix=prefix
                value=line.text(|l| &l.quantity, |l| &mut l.quantity)
                inputmode="decimal"
                class="c-qty"
                label_class="line-label"
                disabled=disabled
            />
            <Input
                form=form
                path=path("rate")
                id=line_field_id(id, "rate")
                label=line_label("rate")
                label_prefix=prefix
                value=line.text(|l| &l.rate, |l| &mut l.rate)
                inputmode="decimal"
                class="c-rate"
                label_class="line-label"
                disabled=disabled
            />
            <Input
                form=form
                path=path("discount")
                id=line_field_id(id, "discount")
                label=line_label("discount")
                label_prefix=prefix
                value=line.text(|l| &l.discount, |l| &mut l.discount)
                optional=optional("discount")
                inputmode="decimal"
                class="c-disc"
                label_class="line-label"
                disabled=disabled
            />
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
                label=line_label("tax")
                label_prefix=prefix
                value=line.text(|l| &l.tax, |l| &mut l.tax)
                options=tax_options
                class="c-tax"
                label_class="line-label"
                disabled=disabled
            />
            <div class="field c-amount">
                <span class="line-label" aria-hidden="true">{tx(|t| t.amount)}</span>
                <output id=line_field_id(id, "amount") class="num amount" aria-label=move || format!("{}{}", prefix.get(), i18n.t().amount)>
                    {move || amount.get().map(|a| i18n.get().money(a)).unwrap_or_else(|| "–".into())}
                </output>
            </div>
            <div class="line-actions">
                <button
                    type="button"
                    class="icon"
                    id=line_field_id(id, "up")
                    aria-label=action_label(|t| t.move_up)
                    title=action_label(|t| t.move_up)
                    aria-disabled=move || { if index.get() == 0 { "true" } else { "false" } }
                    disabled=move || disabled.get()
                    on:click=up
                >
                    "↑"
                </button>
                <button
                    type="button"
                    class="icon"
                    id=line_field_id(id, "down")
                    aria-label=action_label(|t| t.move_down)
                    title=action_label(|t| t.move_down)
                    aria-disabled=move || { if index.get() + 1 >= count.get() { "true" } else { "false" } }
                    disabled=move || disabled.get()
                    on:click=down
                >
                    "↓"
                </button>
                <button
                    type="button"
                    class="icon"
                    id=line_field_id(id, "duplicate")
                    aria-label=action_label(|t| t.duplicate_line)
                    title=action_label(|t| t.duplicate_line)
                    disabled=move || disabled.get()
                    on:click=duplicate
                >
                    "⊕"
                </button>
                <button
                    type="button"
                    class="icon danger"
                    id=line_field_id(id, "remove")
                    aria-label=action_label(|t| t.remove_line)
                    title=action_label(|t| t.remove_line)
                    disabled=move || disabled.get() || count.get() <= 1
                    on:click=remove
                >
                    "✕"
                </button>
            </div>
        </li>
    }
}
