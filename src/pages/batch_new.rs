//! `/batches/new` (clerks and admins): a new batch. Its name, the kind of order, the way in (a
//! spreadsheet of whole orders, or one order's lines to a list of customers), the kind's
//! template in nb or en, the file uploaded or pasted. "Check the orders" reads the file with
//! core (a file it cannot read is said at once, in words) and asks the proxy for the preview:
//! every order checked as the form checks it, errors per row with line and column, rows with
//! errors left out, totals per order and for the batch. Nothing is sent until "Confirm";
//! changing anything after a preview drops it (its draft is stopped).

use std::collections::HashMap;

use frontdesk_core::batch::{self, BatchInput, Customers, JobEvent, export};
use frontdesk_core::csv::CsvError;
use frontdesk_core::draft::{LineDraft, OrderDraft};
use frontdesk_core::roles::Action;
use frontdesk_core::{Money, OrderKind};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::{self, ApiError, BatchPreview, BatchRequest, Customer, PreviewRow, Totals};
use crate::auth::use_auth;
use crate::components::batch::{column_header, issue_words, use_batch_watch};
use crate::components::combobox::{Combobox, Suggestion};
use crate::components::notice::ErrorNotice;
use crate::components::pickers::customer_search;
use crate::components::table::{DataTable, col, num};
use crate::form::tax_rates;
use crate::i18n::{Lang, Texts, tx, use_i18n};
use crate::pages::batches::batch_href;
use crate::util;

/// The preview's heading, where focus goes when it arrives.
const PREVIEW_ID: &str = "batch-preview-title";
const NAME_ID: &str = "batch-name";
const CSV_ID: &str = "batch-csv";

/// The two ways in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Way {
    /// A spreadsheet of whole orders, grouped by order reference.
    Orders,
    /// One order (the lines typed here) to each customer of a list.
    Customers,
}

/// What the page holds as typed.
#[derive(Debug, Clone, PartialEq)]
struct Typed {
    name: String,
    kind: OrderKind,
    way: Way,
    csv: String,
    lines: Vec<LineDraft>,
}

/// Why a request does not go yet, and the control to fix it in.
#[derive(Debug, Clone, PartialEq)]
struct Problem {
    words: String,
    focus: &'static str,
}

impl Typed {
    /// The request as typed, or what stops it before it goes: the name (core's rule), a
    /// missing file, a file core cannot read.
    fn checked(self, lang: Lang) -> Result<BatchRequest, Problem> {
        let t = lang.texts();
        if self.csv.trim().is_empty() {
            return Err(Problem {
                words: t.file_needed.into(),
                focus: CSV_ID,
            });
        }
        let request = self.request();
        if let Err(issue) = request.checked_name() {
            return Err(Problem {
                words: format!("{}: {}", t.batch_name, lang.issue(&issue)),
                focus: NAME_ID,
            });
        }
        match batch::orders(&request.input) {
            Ok(_) => Ok(request),
            Err(e) => Err(Problem {
                words: csv_words(lang, &e),
                focus: CSV_ID,
            }),
        }
    }

    /// The request: whole orders with the form's default options, or the typed lines as the
    /// order each customer gets.
    fn request(self) -> BatchRequest {
        let input = match self.way {
            Way::Orders => BatchInput::Orders {
                options: OrderDraft::default(),
                csv: self.csv,
            },
            Way::Customers => BatchInput::ToCustomers {
                template: OrderDraft {
                    lines: self.lines,
                    ..OrderDraft::default()
                },
                customers: Customers::Csv(self.csv),
            },
        };
        BatchRequest {
            name: self.name,
            kind: self.kind,
            input,
        }
    }
}

/// Why core could not read the file, in words (columns by their header in `lang`).
fn csv_words(lang: Lang, e: &CsvError) -> String {
    let t = lang.texts();
    let column = |text: &str, key: &str| text.replace("{column}", column_header(lang, key));
    match e {
        CsvError::Empty => t.csv_empty.into(),
        CsvError::NoRows => t.csv_no_rows.into(),
        CsvError::UnknownColumn(c) => column(t.csv_unknown_column, c),
        CsvError::DuplicateColumn(c) => column(t.csv_duplicate_column, c),
        CsvError::WrongColumn(c) => column(t.csv_wrong_column, c),
        CsvError::MissingColumn(c) => column(t.csv_missing_column, c),
        CsvError::ExtraCells(line) => t.csv_extra_cells.replace("{line}", &line.to_string()),
        CsvError::TooManyRows(max) => t.csv_too_many_rows.replace("{max}", &max.to_string()),
        CsvError::Unreadable(detail) => t.csv_unreadable.replace("{detail}", detail),
        // Rare file-level faults: core's wording as the detail.
        CsvError::NotUtf8 | CsvError::UnclosedQuote { .. } | CsvError::UnknownHeader => {
            t.csv_unreadable.replace("{detail}", &e.to_string())
        }
    }
}

/// `4 of 5 orders will be sent, kr 1 234,00 in all.`
fn totals_words(lang: Lang, totals: &Totals) -> String {
    lang.texts()
        .preview_totals
        .replace("{valid}", &totals.valid.to_string())
        .replace("{orders}", &totals.orders.to_string())
        .replace("{amount}", &lang.money(Money(totals.amount_ore)))
}

/// The page's inputs, one signal each.
#[derive(Clone, Copy)]
struct Sheet {
    name: RwSignal<String>,
    kind: RwSignal<OrderKind>,
    way: RwSignal<Way>,
    csv: RwSignal<String>,
    lines: RwSignal<Vec<LineDraft>>,
}

impl Sheet {
    fn new() -> Sheet {
        Sheet {
            name: RwSignal::new(String::new()),
            kind: RwSignal::new(OrderKind::PaymentLink),
            way: RwSignal::new(Way::Orders),
            csv: RwSignal::new(String::new()),
            lines: RwSignal::new(vec![LineDraft::default()]),
        }
    }

    fn typed(self) -> Typed {
        Typed {
            name: self.name.get_untracked(),
            kind: self.kind.get_untracked(),
            way: self.way.get_untracked(),
            csv: self.csv.get_untracked(),
            lines: self.lines.get_untracked(),
        }
    }

    /// Subscribe to every input (a preview is dropped when any changes).
    fn track(self) {
        self.name.track();
        self.kind.track();
        self.way.track();
        self.csv.track();
        self.lines.track();
    }

    /// Offer the template of the kind and way in `lang`.
    fn download_template(self, lang: Lang) -> Result<(), String> {
        let (kind, whole) = (
            self.kind.get_untracked(),
            self.way.get_untracked() == Way::Orders,
        );
        let text = export::template(kind, lang.sheet(), whole);
        let what = if whole { "orders" } else { "customers" };
        let name = format!(
            "frontdesk-{what}-{}-{}.csv",
            kind.as_str().to_ascii_lowercase(),
            lang.code()
        );
        util::download(&name, "text/csv;charset=utf-8", &text)
    }
}

/// A shown preview no longer matches what is typed: it goes, and its draft is stopped (best
/// effort: a draft sends nothing anyway).
fn drop_preview(preview: RwSignal<Option<BatchPreview>>) {
    let Some(id) = preview.with_untracked(|p| p.as_ref().map(|p| p.batch.id)) else {
        return;
    };
    preview.set(None);
    leptos::task::spawn_local(async move {
        let _ = api::batch_event(id, JobEvent::Cancel).await;
    });
}

/// A new batch, up to its confirm (a note instead for roles that may not send one).
#[component]
pub fn NewBatchPage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <section class="card wide" aria-labelledby="new-batch-title">
            <h2 id="new-batch-title">{tx(|t| t.new_batch_title)}</h2>
            <Show
                when=move || auth.may(Action::SendBatch)
                fallback=|| view! { <p class="notice" data-testid="batch-not-allowed">{tx(|t| t.viewer_cannot_create)}</p> }
            >
                <BatchForm />
            </Show>
        </section>
    }
}

#[component]
fn BatchForm() -> impl IntoView {
    let i18n = use_i18n();
    let watch = use_batch_watch();
    let navigate = StoredValue::new_local(use_navigate());
    let sheet = Sheet::new();
    let preview = RwSignal::new(None::<BatchPreview>);
    let problem = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<ApiError>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        sheet.track();
        drop_preview(preview);
    });
    let run_check = Callback::new(move |_: ()| {
        if busy.get_untracked() {
            return;
        }
        let request = match sheet.typed().checked(i18n.0.get_untracked()) {
            Ok(r) => r,
            Err(p) => {
                problem.set(Some(p.words));
                util::focus_id_later(p.focus.into());
                return;
            }
        };
        problem.set(None);
        error.set(None);
        busy.set(true);
        drop_preview(preview);
        leptos::task::spawn_local(async move {
            let result = api::preview_batch(&request).await;
            let _ = busy.try_set(false);
            match result {
                Ok(p) => {
                    let _ = preview.try_set(Some(p));
                    util::focus_id_later(PREVIEW_ID.into());
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    });
    let check = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        run_check.run(());
    };
    let confirm = Callback::new(move |_: ()| {
        let Some(id) = preview.with_untracked(|p| p.as_ref().map(|p| p.batch.id)) else {
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            let result = api::batch_event(id, JobEvent::Confirm).await;
            let _ = busy.try_set(false);
            match result {
                Ok(_) => {
                    watch.poke();
                    let _ = navigate.try_with_value(|go| go(&batch_href(id), Default::default()));
                }
                Err(e) => {
                    let _ = error.try_set(Some(e));
                }
            }
        });
    });
    view! {
        <form class="batch-form" novalidate on:submit=check>
            <NameField sheet=sheet />
            <KindChoice sheet=sheet />
            <WayChoice sheet=sheet />
            <Templates sheet=sheet error=error />
            <Show when=move || sheet.way.get() == Way::Customers>
                <LinesEditor lines=sheet.lines />
                <ListCustomerPicker sheet=sheet />
            </Show>
            <FileInput sheet=sheet problem=problem />
            <Show when=move || problem.with(Option::is_some)>
                <p class="notice error" role="alert" data-testid="batch-problem">{move || problem.get()}</p>
            </Show>
            <ErrorNotice error=error />
            <p>
                <button type="submit" class="primary" id="batch-check" disabled=move || busy.get()>
                    {move || if busy.get() { i18n.t().checking_orders } else { i18n.t().check_orders }}
                </button>
            </p>
        </form>
        <PreviewPanel preview=preview busy=busy confirm=confirm fix=Fixer { sheet, recheck: run_check } />
    }
}

#[component]
fn NameField(sheet: Sheet) -> impl IntoView {
    view! {
        <div class="field batch-name">
            <label for=NAME_ID>{tx(|t| t.batch_name)}</label>
            <span class="hint" id="batch-name-hint">{tx(|t| t.batch_name_hint)}</span>
            <input type="text" id=NAME_ID aria-describedby="batch-name-hint" aria-required="true"
                autocomplete="off"
                prop:value=move || sheet.name.get()
                on:input=move |ev| sheet.name.set(event_target_value(&ev)) />
        </div>
    }
}

/// One radio of a choice laid out as the form's kind cards: its label and hint.
fn radio_card(
    group: &'static str,
    id: String,
    checked: Signal<bool>,
    text: CardTexts,
    choose: Callback<()>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="kind-option">
            <input type="radio" name=group id=id.clone() aria-describedby=hint_id.clone()
                prop:checked=move || checked.get()
                on:change=move |_| choose.run(()) />
            <label for=id>
                <strong>{tx(text.0)}</strong>
                <span class="hint" id=hint_id>{tx(text.1)}</span>
            </label>
        </div>
    }
}

/// A label and a hint of the page's texts.
type CardTexts = (fn(&Texts) -> &'static str, fn(&Texts) -> &'static str);

const PAYMENT_LINK: CardTexts = (|t| t.kind_payment_link, |t| t.kind_payment_link_hint);
const INVOICE: CardTexts = (|t| t.kind_invoice, |t| t.kind_invoice_hint);
const E_FAKTURA: CardTexts = (|t| t.kind_e_faktura, |t| t.kind_e_faktura_hint);
const EHF: CardTexts = (|t| t.kind_ehf, |t| t.kind_ehf_hint);
const WAY_ORDERS: CardTexts = (|t| t.way_orders, |t| t.way_orders_hint);
const WAY_CUSTOMERS: CardTexts = (|t| t.way_customers, |t| t.way_customers_hint);

/// The words of a kind's card: its name and what it is for.
fn kind_texts(k: OrderKind) -> CardTexts {
    match k {
        OrderKind::PaymentLink => PAYMENT_LINK,
        OrderKind::Invoice => INVOICE,
        OrderKind::EFaktura => E_FAKTURA,
        OrderKind::Ehf => EHF,
    }
}

#[component]
fn KindChoice(sheet: Sheet) -> impl IntoView {
    let cards = OrderKind::ALL
        .into_iter()
        .map(|k| {
            radio_card(
                "batch-kind",
                format!("batch-kind-{}", k.as_str()),
                Signal::derive(move || sheet.kind.get() == k),
                kind_texts(k),
                Callback::new(move |_| sheet.kind.set(k)),
            )
        })
        .collect_view();
    view! {
        <fieldset class="card kinds">
            <legend>{tx(|t| t.kind_legend)}</legend>
            <div class="kind-options">{cards}</div>
        </fieldset>
    }
}

#[component]
fn WayChoice(sheet: Sheet) -> impl IntoView {
    let card = move |way: Way, id: &str, text: CardTexts| {
        radio_card(
            "batch-way",
            id.to_owned(),
            Signal::derive(move || sheet.way.get() == way),
            text,
            Callback::new(move |_| sheet.way.set(way)),
        )
    };
    view! {
        <fieldset class="card">
            <legend>{tx(|t| t.way_legend)}</legend>
            <div class="kind-options">
                {card(Way::Orders, "batch-way-orders", WAY_ORDERS)}
                {card(Way::Customers, "batch-way-customers", WAY_CUSTOMERS)}
            </div>
        </fieldset>
    }
}

#[component]
fn Templates(sheet: Sheet, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    let get = move |lang: Lang| {
        if let Err(e) = sheet.download_template(lang) {
            error.set(Some(ApiError::local(e)));
        }
    };
    view! {
        <fieldset class="card">
            <legend>{tx(|t| t.template_legend)}</legend>
            <p class="hint">{tx(|t| t.template_hint)}</p>
            <div class="toolbar">
                <button type="button" class="secondary small" data-testid="template-nb" on:click=move |_| get(Lang::Nb)>
                    {tx(|t| t.template_nb)}
                </button>
                <button type="button" class="secondary small" data-testid="template-en" on:click=move |_| get(Lang::En)>
                    {tx(|t| t.template_en)}
                </button>
            </div>
        </fieldset>
    }
}

/// "Add customers from the book" over the customer list: each customer picked joins the list
/// below as a row under its header ([`export::add_customers`]); the suggestions stay open for
/// the next one.
#[component]
fn ListCustomerPicker(sheet: Sheet) -> impl IntoView {
    let i18n = use_i18n();
    let note = RwSignal::new(String::new());
    let seen = StoredValue::new(HashMap::<String, Customer>::new());
    let on_pick = Callback::new(move |s: Suggestion| {
        let Some(c) = seen.with_value(|m| m.get(&s.id).cloned()) else {
            return;
        };
        let lang = i18n.0.get_untracked();
        let details = std::slice::from_ref(&c.customer_details);
        let kind = sheet.kind.get_untracked();
        let added = sheet
            .csv
            .with_untracked(|text| export::add_customers(text, kind, lang.sheet(), details));
        let said = match added {
            Ok(text) => {
                sheet.csv.set(text);
                lang.texts()
                    .book
                    .customer_listed
                    .replace("{name}", &c.customer_details.full_name())
            }
            Err(e) => csv_words(lang, &e),
        };
        note.set(said);
    });
    view! {
        <div class="book-finder" data-testid="list-customer-picker">
            <Combobox id="list-customer-search" find=customer_search(seen) on_pick=on_pick multi=true
                label=Signal::derive(move || i18n.t().book.add_to_list.to_owned())
                hint=Signal::derive(move || i18n.t().book.add_to_list_hint.to_owned()) />
            <p class="small-print ok-text" role="status" data-testid="customer-listed">{move || note.get()}</p>
        </div>
    }
}

/// The file: uploaded (read as UTF-8 text into the box below) or pasted.
#[component]
fn FileInput(sheet: Sheet, problem: RwSignal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            match text.ok().and_then(|v| v.as_string()) {
                Some(text) => {
                    let _ = sheet.csv.try_set(text);
                }
                None => {
                    let words = i18n
                        .0
                        .get_untracked()
                        .texts()
                        .csv_unreadable
                        .replace("{detail}", "UTF-8");
                    let _ = problem.try_set(Some(words));
                }
            }
        });
    };
    view! {
        <fieldset class="card">
            <legend>{tx(|t| t.file_legend)}</legend>
            <div class="field">
                <label for="batch-file">{tx(|t| t.upload_label)}</label>
                <input type="file" id="batch-file" accept=".csv,text/csv,text/plain" on:change=on_file />
            </div>
            <div class="field">
                <label for=CSV_ID>{tx(|t| t.paste_label)}</label>
                <textarea id=CSV_ID rows="8" spellcheck="false" class="batch-csv"
                    prop:value=move || sheet.csv.get()
                    on:input=move |ev| sheet.csv.set(event_target_value(&ev))></textarea>
            </div>
        </fieldset>
    }
}

/// The lines each customer's order has (way in: one order to many customers).
#[component]
fn LinesEditor(lines: RwSignal<Vec<LineDraft>>) -> impl IntoView {
    let count = move || lines.with(Vec::len);
    view! {
        <fieldset class="card">
            <legend>{tx(|t| t.batch_lines_legend)}</legend>
            <ol class="batch-lines">
                <For each=move || 0..count() key=|i| *i let:i>
                    <LineInputs lines=lines index=i />
                </For>
            </ol>
            <button type="button" class="secondary small" id="batch-add-line"
                on:click=move |_| lines.update(|l| l.push(LineDraft::default()))>
                {tx(|t| t.add_line)}
            </button>
        </fieldset>
    }
}

/// One line's name, quantity, price and VAT, and its removal (not of the last line).
#[component]
fn LineInputs(lines: RwSignal<Vec<LineDraft>>, index: usize) -> impl IntoView {
    let get = move |f: fn(&LineDraft) -> String| {
        move || lines.with(|l| l.get(index).map(f).unwrap_or_default())
    };
    let set = move |f: fn(&mut LineDraft, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            lines.update(|l| {
                if let Some(line) = l.get_mut(index) {
                    f(line, v);
                }
            });
        }
    };
    let dom_id = move |member: &str| format!("batch-line-{index}-{member}");
    let tax = get(|l| l.tax.clone());
    let options = tax_rates()
        .into_iter()
        .map(|r| {
            let value = r.to_string();
            let chosen = value.clone();
            view! { <option value=value.clone() prop:selected=move || tax() == chosen>{format!("{value} %")}</option> }
        })
        .collect_view();
    view! {
        <li class="batch-line">
            <div class="field">
                <label for=dom_id("name")>{tx(|t| t.product_name)}</label>
                <input type="text" id=dom_id("name") prop:value=get(|l| l.name.clone())
                    on:input=set(|l, v| l.name = v) />
            </div>
            <div class="field">
                <label for=dom_id("quantity")>{tx(|t| t.quantity)}</label>
                <input type="text" inputmode="decimal" id=dom_id("quantity") prop:value=get(|l| l.quantity.clone())
                    on:input=set(|l, v| l.quantity = v) />
            </div>
            <div class="field">
                <label for=dom_id("rate")>{tx(|t| t.rate)}</label>
                <input type="text" inputmode="decimal" id=dom_id("rate") prop:value=get(|l| l.rate.clone())
                    on:input=set(|l, v| l.rate = v) />
            </div>
            <div class="field">
                <label for=dom_id("tax")>{tx(|t| t.tax)}</label>
                <select id=dom_id("tax") on:change=set(|l, v| l.tax = v)>{options}</select>
            </div>
            <button type="button" class="secondary small" id=dom_id("remove")
                disabled=move || lines.with(|l| l.len() <= 1)
                on:click=move |_| lines.update(|l| {
                    if l.len() > 1 && index < l.len() {
                        l.remove(index);
                    }
                })>
                {tx(|t| t.remove_line)}
            </button>
        </li>
    }
}

/// What a fix in place changes (the typed file) and then does (check again).
#[derive(Clone, Copy)]
struct Fixer {
    sheet: Sheet,
    recheck: Callback<()>,
}

/// The server's preview: totals, each order with its amount and its errors (each fixable in
/// place where it names a line and a column), and the confirm.
#[component]
fn PreviewPanel(
    preview: RwSignal<Option<BatchPreview>>,
    busy: RwSignal<bool>,
    confirm: Callback<()>,
    fix: Fixer,
) -> impl IntoView {
    let i18n = use_i18n();
    let totals = move || preview.with(|p| p.as_ref().map(|p| p.totals).unwrap_or_default());
    let rows = move || preview.with(|p| p.as_ref().map(|p| p.rows.clone()).unwrap_or_default());
    let send_label = move || {
        i18n.t()
            .confirm_send
            .replace("{n}", &totals().valid.to_string())
    };
    view! {
        <Show when=move || preview.with(Option::is_some)>
            <section class="card wide" aria-labelledby=PREVIEW_ID data-testid="batch-preview">
                <h3 id=PREVIEW_ID tabindex="-1">{tx(|t| t.preview_title)}</h3>
                <p data-testid="preview-totals">{move || totals_words(i18n.get(), &totals())}</p>
                <Show when=move || { let t = totals(); t.valid < t.orders }>
                    <p class="notice warn">{tx(|t| t.left_out_note)}</p>
                </Show>
                <DataTable testid="preview-rows" caption=|t| t.preview_title columns=vec![col(|t| t.col_row), col(|t| t.col_reference), num(|t| t.amount), col(|t| t.col_errors)]>
                    <For each=rows key=|r| r.row let:row>
                        <PreviewLine row=row fix=fix />
                    </For>
                </DataTable>
                <Show
                    when=move || totals().valid != 0
                    fallback=|| view! { <p class="notice warn">{tx(|t| t.nothing_to_send)}</p> }
                >
                    <p>
                        <button type="button" class="primary" id="batch-send"
                            disabled=move || busy.get()
                            on:click=move |_| confirm.run(())>
                            {send_label}
                        </button>
                    </p>
                </Show>
            </section>
        </Show>
    }
}

#[component]
fn PreviewLine(row: PreviewRow, fix: Fixer) -> impl IntoView {
    let i18n = use_i18n();
    let valid = row.is_valid();
    let amount = Money(row.amount_ore);
    let issues = row.issues.clone();
    let verdict = move || {
        if valid {
            view! { <span>{i18n.t().will_be_sent}</span> }.into_any()
        } else {
            let lang = i18n.get();
            let items = issues
                .iter()
                .map(|i| {
                    let fixable = i.line.zip(i.column.clone());
                    view! {
                        <li class="field-error">
                            {issue_words(lang, i)}
                            {fixable.map(|(line, column)| view! { <FixCell line=line column=column fix=fix /> })}
                        </li>
                    }
                })
                .collect_view();
            view! { <ul class="row-issues">{items}</ul> }.into_any()
        }
    };
    view! {
        <tr data-row=row.row.to_string() data-valid=valid.to_string()>
            <th scope="row">{row.row.to_string()}</th>
            <td>{row.label.clone()}</td>
            <td class="num">{move || i18n.get().money(amount)}</td>
            <td>{verdict}</td>
        </tr>
    }
}

/// "Fix" beside an error: the cell of its line and column in an input; saving writes it into
/// the typed file ([`batch::columns::with_cell`]) and checks the orders again.
#[component]
fn FixCell(line: u64, column: String, fix: Fixer) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let value = RwSignal::new(String::new());
    let id = format!("fix-{line}-{column}");
    let (input_id, save_id) = (format!("{id}-value"), format!("{id}-save"));
    let key = StoredValue::new(column.clone());
    let start = move |_| {
        let cell = fix
            .sheet
            .csv
            .with_untracked(|text| key.with_value(|k| batch::columns::cell_at(text, line, k)));
        value.set(cell.unwrap_or_default());
        open.set(true);
        util::focus_id_later(format!("fix-{line}-{}-value", key.get_value()));
    };
    let save = move |_| {
        let fixed = fix.sheet.csv.with_untracked(|text| {
            key.with_value(|k| batch::columns::with_cell(text, line, k, &value.get_untracked()))
        });
        if let Some(text) = fixed {
            fix.sheet.csv.set(text);
            fix.recheck.run(());
        }
    };
    let label = move || {
        i18n.t()
            .fix_label
            .replace("{column}", column_header(i18n.get(), &key.get_value()))
    };
    view! {
        <Show
            when=move || open.get()
            fallback=move || view! {
                <button type="button" class="secondary small" id=id.clone() on:click=start>{tx(|t| t.fix)}</button>
            }
        >
            <span class="fix-cell">
                <label for=input_id.clone()>{label}</label>
                <input type="text" id=input_id.clone() prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev)) />
                <button type="button" class="primary small" id=save_id.clone() on:click=save>{tx(|t| t.fix_save)}</button>
            </span>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn typed(way: Way, csv: &str) -> Typed {
        Typed {
            name: "Kontingent 2026".into(),
            kind: OrderKind::PaymentLink,
            way,
            csv: csv.into(),
            lines: vec![LineDraft {
                name: "Kontingent".into(),
                rate: "500".into(),
                ..LineDraft::default()
            }],
        }
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn what_stops_a_batch_before_it_goes() {
        let empty = typed(Way::Orders, "  ").checked(Lang::En);
        assert_eq!(empty.map_err(|p| p.focus), Err(CSV_ID));
        let nameless = Typed {
            name: " ".into(),
            ..typed(Way::Orders, "navn\nKari\n")
        };
        assert_eq!(
            nameless.checked(Lang::En).map_err(|p| p.focus),
            Err(NAME_ID)
        );
        // A sheet of orders needs its reference column; named by its header in the language.
        let no_ref = typed(Way::Orders, "navn;produkt\nKari;Sko\n").checked(Lang::Nb);
        assert_eq!(
            no_ref.map_err(|p| p.words),
            Err("Kolonnen \u{ab}ordrereferanse\u{bb} mangler.".into())
        );
        // Lines do not belong in a list of customers.
        let lines = typed(Way::Customers, "name,product\nKari,Shoes\n").checked(Lang::En);
        assert!(lines.is_err_and(|p| p.words.contains("\u{201c}product\u{201d}")));
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn the_request_as_typed() {
        let r = typed(Way::Customers, "navn\nKari\n").checked(Lang::En);
        let Ok(BatchRequest {
            input:
                BatchInput::ToCustomers {
                    template,
                    customers,
                },
            ..
        }) = r
        else {
            panic!("a request to customers");
        };
        assert_eq!(template.lines[0].name, "Kontingent");
        assert_eq!(customers, Customers::Csv("navn\nKari\n".into()));
        let orders = typed(Way::Orders, "ordrereferanse;navn\n1;Kari\n")
            .checked(Lang::En)
            .map(|r| r.input);
        assert!(
            matches!(orders, Ok(BatchInput::Orders { .. })),
            "{orders:?}"
        );
    }

    #[wasm_bindgen_test(unsupported = test)]
    fn totals_in_words() {
        let totals = Totals {
            orders: 5,
            valid: 4,
            amount_ore: 123_450,
        };
        let en = totals_words(Lang::En, &totals);
        assert!(en.starts_with("4 of 5 orders will be sent, "), "{en}");
        assert!(en.contains("1,234.50"), "{en}");
    }
}
