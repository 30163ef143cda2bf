//! The order summary, computed live by core from the lines (never typed).

use leptos::prelude::*;

use crate::components::field::{Messages, shown};
use crate::draft::OrderDraft;
use crate::form::Form;
use crate::i18n::{tx, use_i18n};

#[component]
pub fn OrderSummaryView(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let summary = Memo::new(move |_| form.snapshot.with(OrderDraft::summary));
    let money = move |f: fn(&frontdesk_core::OrderSummary) -> frontdesk_core::Money| {
        move || i18n.get().money(f(&summary.get()))
    };
    let sum_path = Signal::derive(|| "orderSummary.grandTotal".to_owned());
    let sum_shown = shown(form, sum_path, "order-summary".into());
    view! {
        <section class="card summary" id="order-summary" tabindex="-1" aria-labelledby="summary-heading">
            <h3 id="summary-heading">{tx(|t| t.summary_legend)}</h3>
            <dl>
                <div>
                    <dt>{tx(|t| t.sub_total)}</dt>
                    <dd class="num" data-testid="sub-total">{money(|s| s.sub_total)}</dd>
                </div>
                <div>
                    <dt>{tx(|t| t.total_tax)}</dt>
                    <dd class="num" data-testid="total-tax">{money(|s| s.total_tax)}</dd>
                </div>
                <div>
                    <dt>{tx(|t| t.total_discount)}</dt>
                    <dd class="num" data-testid="total-discount">{money(|s| s.total_discount)}</dd>
                </div>
                <div class="grand">
                    <dt>{tx(|t| t.grand_total)}</dt>
                    <dd class="num" data-testid="grand-total">{money(|s| s.grand_total)}</dd>
                </div>
            </dl>
            <p class="muted small">{tx(|t| t.summary_note)}</p>
            <Messages shown=sum_shown id="order-summary-msg".to_owned() />
        </section>
    }
}
