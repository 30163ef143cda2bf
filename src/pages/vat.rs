//! `/vat`: the figures for the VAT return. For a VAT term (January–February … November–December)
//! or any period, by order date or by payment date: per VAT rate the sales base excluding VAT
//! and the output VAT of paid orders, the refunds per rate deducted, and the totals. Core
//! computes every øre and the proxy serves it; the console shows it, writes the same table as
//! CSV (the language's spreadsheet dialect) and prints it on its own.

use frontdesk_core::Money;
use frontdesk_core::report::{DateBasis, Period, VatReport, vat_term};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::{self, ApiError};
use crate::components::notice::ErrorNotice;
use crate::follow_up::export;
use crate::i18n::{Lang, tx, use_i18n};
use crate::pages::period::{self, DateRange};
use crate::util;

/// How the period is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Term,
    Custom,
}

/// The words for a date basis.
pub fn basis_label(lang: Lang, basis: DateBasis) -> &'static str {
    let t = lang.texts();
    match basis {
        DateBasis::OrderDate => t.basis_order_date,
        DateBasis::PaymentDate => t.basis_payment_date,
    }
}

/// The table: a row per rate, the totals in the foot. Cells carry their øre (`data-ore`).
fn report_table(lang: Lang, report: &VatReport) -> impl IntoView {
    let t = lang.texts();
    let mut lines = export::vat_lines(lang, report);
    let totals = lines.pop();
    let row = move |(label, amounts): (String, [Money; 6]), class: &'static str| {
        let cells = amounts
            .into_iter()
            .map(|m| view! { <td class="num" data-ore=m.ore().to_string()>{lang.money(m)}</td> })
            .collect_view();
        let shown = label.clone();
        view! {
            <tr class=class data-label=label>
                <th scope="row">{shown}</th>
                {cells}
            </tr>
        }
    };
    let header = export::vat_header(lang)
        .into_iter()
        .enumerate()
        .map(|(i, h)| {
            let class = if i == 0 { "" } else { "num" };
            view! { <th scope="col" class=class>{h}</th> }
        })
        .collect_view();
    // The standard rates are always rows: nothing sold shows as zeros and a note.
    let empty = export::vat_amounts(&report.totals)
        .iter()
        .all(|m| *m == Money::ZERO);
    let rows = lines.into_iter().map(|l| row(l, "")).collect_view();
    view! {
        <div class="table-wrap">
            <table class="data vat-table" data-testid="vat-table">
                <caption class="sr-only">{t.vat_title}</caption>
                <thead><tr>{header}</tr></thead>
                <tbody>{rows}</tbody>
                <tfoot>{totals.map(|l| row(l, "total"))}</tfoot>
            </table>
        </div>
        {empty.then(|| view! { <p class="muted" data-testid="vat-none">{t.vat_none}</p> })}
    }
}

/// What the report is of: the period and the basis, printed with it. The period's days are on
/// the element too (`data-from`, `data-to`): a marker that this period's report has arrived.
fn report_facts(lang: Lang, report: &VatReport) -> impl IntoView {
    let t = lang.texts();
    view! {
        <dl class="facts report-facts" data-testid="vat-facts">
            <dt>{t.period_label}</dt>
            <dd data-testid="vat-period" data-from=report.period.from.clone() data-to=report.period.to.clone()>{period::label(lang, &report.period)}</dd>
            <dt>{t.basis_label}</dt>
            <dd data-testid="vat-basis" data-basis=report.basis.as_str()>{basis_label(lang, report.basis)}</dd>
        </dl>
    }
}

/// Offer the report as a CSV file named by its period and basis.
fn download_csv(lang: Lang, report: &VatReport) -> Result<(), String> {
    let name = format!(
        "frontdesk-vat-{}-{}-{}.csv",
        report.period.from,
        report.period.to,
        report.basis.as_str()
    );
    util::download(
        &name,
        "text/csv;charset=utf-8",
        &export::vat_csv(lang, report),
    )
}

/// Year and months of a VAT term; a change sets `period` to that term (core's dates).
#[component]
fn TermPicker(year: RwSignal<i32>, term: RwSignal<u8>, period: RwSignal<Period>) -> impl IntoView {
    let i18n = use_i18n();
    let (this_year, _) = period::current_term(util::now_unix());
    let apply = move || period.set(vat_term(year.get_untracked(), term.get_untracked()));
    let years = (0..3)
        .map(|back| {
            let y = this_year - back;
            view! { <option value=y.to_string() selected=move || year.get() == y>{y.to_string()}</option> }
        })
        .collect_view();
    let terms = (1..=6u8)
        .map(|n| {
            let name = move || {
                i18n.t()
                    .vat_terms
                    .get(usize::from(n) - 1)
                    .copied()
                    .unwrap_or_default()
            };
            view! { <option value=n.to_string() selected=move || term.get() == n>{name}</option> }
        })
        .collect_view();
    view! {
        <div class="filters">
            <label>
                <span>{tx(|t| t.vat_year)}</span>
                <select data-testid="vat-year" on:change=move |ev| {
                    if let Ok(y) = event_target_value(&ev).parse() {
                        year.set(y);
                        apply();
                    }
                }>{years}</select>
            </label>
            <label>
                <span>{tx(|t| t.vat_months)}</span>
                <select data-testid="vat-term" on:change=move |ev| {
                    if let Ok(n) = event_target_value(&ev).parse() {
                        term.set(n);
                        apply();
                    }
                }>{terms}</select>
            </label>
        </div>
    }
}

/// A pair of radio buttons (or more) for one choice.
fn radio<T: Copy + PartialEq + Send + Sync + 'static>(
    name: &'static str,
    value: T,
    chosen: RwSignal<T>,
    label: fn(Lang) -> &'static str,
    testid: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label class="radio">
            <input type="radio" name=name data-testid=testid
                prop:checked=move || chosen.get() == value
                on:change=move |_| chosen.set(value) />
            <span>{move || label(i18n.get())}</span>
        </label>
    }
}

/// The period (a VAT term, or other dates) and the date basis.
#[component]
fn VatChoices(
    mode: RwSignal<Mode>,
    year: RwSignal<i32>,
    term: RwSignal<u8>,
    range: RwSignal<Period>,
    basis: RwSignal<DateBasis>,
) -> impl IntoView {
    // Back to the chosen term when the mode goes back to terms.
    let to_terms = move || {
        mode.set(Mode::Term);
        range.set(vat_term(year.get_untracked(), term.get_untracked()));
    };
    view! {
        <div class="no-print vat-choices">
            <fieldset class="inline-radios">
                <legend>{tx(|t| t.period_label)}</legend>
                <label class="radio">
                    <input type="radio" name="vat-mode" data-testid="vat-mode-term"
                        prop:checked=move || mode.get() == Mode::Term
                        on:change=move |_| to_terms() />
                    <span>{tx(|t| t.vat_mode_term)}</span>
                </label>
                {radio("vat-mode", Mode::Custom, mode, |l| l.texts().period_custom, "vat-mode-custom")}
            </fieldset>
            <Show when=move || mode.get() == Mode::Term fallback=move || view! { <DateRange period=range /> }>
                <TermPicker year=year term=term period=range />
            </Show>
            <fieldset class="inline-radios">
                <legend>{tx(|t| t.basis_label)}</legend>
                {radio("vat-basis", DateBasis::OrderDate, basis, |l| l.texts().basis_order_date, "basis-order-date")}
                {radio("vat-basis", DateBasis::PaymentDate, basis, |l| l.texts().basis_payment_date, "basis-payment-date")}
            </fieldset>
        </div>
    }
}

/// The period as typed into the address (`?from=&to=`), else this VAT term.
fn initial(now: i64) -> (Mode, Period) {
    let query = use_query_map();
    let typed = query.with_untracked(|q| {
        let (from, to) = (q.get("from")?, q.get("to")?);
        period::custom(&from, &to).ok()
    });
    match typed {
        Some(p) => (Mode::Custom, p),
        None => (Mode::Term, Period::vat_term_of(now)),
    }
}

#[component]
pub fn VatPage() -> impl IntoView {
    let i18n = use_i18n();
    let now = util::now_unix();
    let (first_mode, first_period) = initial(now);
    let (this_year, this_term) = period::current_term(now);
    let mode = RwSignal::new(first_mode);
    let year = RwSignal::new(this_year);
    let term = RwSignal::new(this_term);
    let range = RwSignal::new(first_period);
    let basis_query = use_query_map().with_untracked(|q| q.get("basis"));
    let basis = RwSignal::new(DateBasis::parse(basis_query.as_deref()).unwrap_or_default());
    let report = RwSignal::new(None::<VatReport>);
    let error = RwSignal::new(None::<ApiError>);
    let latest = util::Latest::default();

    let load = move || {
        let (p, b) = (range.get_untracked(), basis.get_untracked());
        let mine = latest.ticket();
        leptos::task::spawn_local(async move {
            let result = api::vat(&p.from, &p.to, b).await;
            if latest.is_current(mine) {
                match result {
                    Ok(r) => {
                        error.set(None);
                        report.set(Some(r));
                    }
                    Err(e) => error.set(Some(e)),
                }
            }
        });
    };
    Effect::new(move |_| {
        let p = range.get();
        let b = basis.get();
        util::replace_query(&api::query(&[
            ("from", &p.from),
            ("to", &p.to),
            ("basis", b.as_str()),
        ]));
        load();
    });

    let csv_error = RwSignal::new(None::<ApiError>);
    let export_csv = move |_| {
        let lang = i18n.0.get_untracked();
        let done = report.with_untracked(|r| r.as_ref().map(|r| download_csv(lang, r)));
        if let Some(Err(message)) = done {
            csv_error.set(Some(ApiError::local(message)));
        }
    };
    let print = move |_| {
        let _ = window().print();
    };
    let body = move || {
        let lang = i18n.get();
        report.with(|r| {
            r.as_ref()
                .map(|r| (report_facts(lang, r), report_table(lang, r)).into_any())
        })
    };
    let no_report = move || report.with(Option::is_none);

    view! {
        <section class="card wide vat-page" aria-labelledby="vat-title">
            <div class="page-head">
                <h2 id="vat-title">{tx(|t| t.vat_title)}</h2>
                <div class="toolbar no-print">
                    <button type="button" class="secondary small" data-testid="vat-csv"
                        on:click=export_csv disabled=no_report>
                        {tx(|t| t.export_csv)}
                    </button>
                    <button type="button" class="secondary small" data-testid="vat-print"
                        on:click=print disabled=no_report>
                        {tx(|t| t.print)}
                    </button>
                </div>
            </div>
            <p class="muted small-print">{tx(|t| t.vat_intro)}</p>
            <VatChoices mode=mode year=year term=term range=range basis=basis />
            <ErrorNotice error=error retry=Callback::new(move |_| load()) />
            <ErrorNotice error=csv_error />
            <div class="vat-report" data-testid="vat-report">{body}</div>
            <Show when=move || no_report() && error.with(Option::is_none)>
                <p class="muted">{tx(|t| t.loading)}</p>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn bases_in_words() {
        assert_eq!(
            basis_label(Lang::En, DateBasis::PaymentDate),
            "Payment date"
        );
        assert_eq!(basis_label(Lang::Nb, DateBasis::OrderDate), "Ordredato");
    }
}
