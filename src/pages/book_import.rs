//! `/customers/import` and `/products/import` (clerks, admins): a spreadsheet's CSV into the
//! book or the catalogue. A file (or pasted text) goes to the proxy's preview, where core's
//! rules check every row (the order form's: mod-11, phone, postcode, country, VAT rate); the
//! page shows each row's errors and warnings by field, the merchant accepts rows (refused ones
//! cannot be), the accepted rows are imported all or none, and the page says what each did.

use std::collections::BTreeSet;

use frontdesk_core::book::{ImportAction, ImportOutcome};
use frontdesk_core::roles::Action;
use frontdesk_core::validate::FieldErrors;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api::{
    self, ApiError, CustomerInput, ImportDone, ImportLine, ImportRequest, ImportRow, ProductInput,
};
use crate::auth::use_auth;
use crate::components::book::{Shelf, failure_text, issues_text, product_input_line};
use crate::components::table::{DataTable, col};
use crate::i18n::{Lang, tx, use_i18n};
use crate::util;

/// What the rules made of an accepted row.
#[derive(Debug, Clone, PartialEq)]
enum Parsed {
    Customer(CustomerInput),
    Product(ProductInput),
}

impl Parsed {
    /// The row in one line, as the preview shows it.
    fn summary(&self, lang: Lang) -> String {
        match self {
            Parsed::Customer(c) => {
                let d = &c.customer_details;
                [
                    Some(d.full_name()),
                    d.email.clone(),
                    d.msisdn.clone(),
                    Some(d.address.city.clone()),
                ]
                .into_iter()
                .flatten()
                .filter(|s| !s.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" · ")
            }
            Parsed::Product(p) => product_input_line(lang, p),
        }
    }
}

/// One row of the preview: its line in the file, its value when the rules accept it, and
/// their errors and warnings by field.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    line: usize,
    parsed: Option<Parsed>,
    errors: FieldErrors,
    warnings: FieldErrors,
}

fn rows_of<T>(rows: Vec<ImportRow<T>>, wrap: fn(T) -> Parsed) -> Vec<Row> {
    rows.into_iter()
        .map(|r| match r.outcome {
            ImportOutcome::Ok { value, warnings } => Row {
                line: r.line,
                parsed: Some(wrap(value)),
                errors: FieldErrors::new(),
                warnings,
            },
            ImportOutcome::Err { errors, warnings } => Row {
                line: r.line,
                parsed: None,
                errors,
                warnings,
            },
        })
        .collect()
}

/// The proxy's preview of `csv` on `shelf` (nothing is written).
async fn preview(shelf: Shelf, csv: String) -> Result<Vec<Row>, ApiError> {
    Ok(match shelf {
        Shelf::Customers => rows_of(api::preview_customers(&csv).await?, Parsed::Customer),
        Shelf::Products => rows_of(api::preview_products(&csv).await?, Parsed::Product),
    })
}

/// Import the accepted `rows`: all or none.
async fn send_rows(shelf: Shelf, rows: Vec<Row>) -> Result<Vec<ImportDone>, ApiError> {
    let lines = rows
        .into_iter()
        .filter_map(|r| r.parsed.map(|p| (r.line, p)));
    match shelf {
        Shelf::Customers => {
            let rows = lines
                .filter_map(|(line, p)| match p {
                    Parsed::Customer(value) => Some(ImportLine { line, value }),
                    Parsed::Product(_) => None,
                })
                .collect();
            api::import_customers(&ImportRequest { rows }).await
        }
        Shelf::Products => {
            let rows = lines
                .filter_map(|(line, p)| match p {
                    Parsed::Product(value) => Some(ImportLine { line, value }),
                    Parsed::Customer(_) => None,
                })
                .collect();
            api::import_products(&ImportRequest { rows }).await
        }
    }
}

/// (created, updated, left to decide) of an import's answer.
fn counts(done: &[ImportDone]) -> (usize, usize, usize) {
    done.iter().fold((0, 0, 0), |(c, u, a), d| match d.action {
        ImportAction::Created { .. } => (c + 1, u, a),
        ImportAction::Updated { .. } => (c, u + 1, a),
        ImportAction::Ambiguous { .. } => (c, u, a + 1),
    })
}

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
struct Import {
    shelf: Shelf,
    text: RwSignal<String>,
    rows: RwSignal<Option<Vec<Row>>>,
    /// The lines the merchant accepts (rows the rules accept, ticked).
    accepted: RwSignal<BTreeSet<usize>>,
    done: RwSignal<Option<Vec<ImportDone>>>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
}

impl Import {
    fn new(shelf: Shelf) -> Import {
        Import {
            shelf,
            text: RwSignal::new(String::new()),
            rows: RwSignal::new(None),
            accepted: RwSignal::new(BTreeSet::new()),
            done: RwSignal::new(None),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Run a step (one at a time); its error shown where it happened.
    fn run(self, step: impl Future<Output = Result<(), ApiError>> + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let out = step.await;
            if self.busy.try_set(false).is_some() {
                return; // the page is gone
            }
            if let Err(e) = out {
                self.error.set(Some(e));
            }
        });
    }

    /// Preview the text: every row by core's rules, the accepted ones ticked.
    fn check(self) {
        let csv = self.text.get_untracked();
        self.run(async move {
            let rows = preview(self.shelf, csv).await?;
            let ok = rows
                .iter()
                .filter(|r| r.parsed.is_some())
                .map(|r| r.line)
                .collect();
            self.accepted.set(ok);
            self.done.set(None);
            self.rows.set(Some(rows));
            util::focus_id_later("import-preview-title".into());
            Ok::<(), ApiError>(())
        });
    }

    /// Import the ticked rows.
    fn import(self) {
        let chosen: Vec<Row> = self.rows.with_untracked(|rows| {
            let accepted = self.accepted.get_untracked();
            rows.iter()
                .flatten()
                .filter(|r| r.parsed.is_some() && accepted.contains(&r.line))
                .cloned()
                .collect()
        });
        self.run(async move {
            let done = send_rows(self.shelf, chosen).await?;
            self.done.set(Some(done));
            util::focus_id_later("import-done".into());
            Ok::<(), ApiError>(())
        });
    }
}

#[component]
pub fn ImportPage(shelf: Shelf) -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let title = move || {
        let t = &i18n.t().book;
        match shelf {
            Shelf::Customers => t.import_customers_title,
            Shelf::Products => t.import_products_title,
        }
    };
    let back = move || {
        let t = &i18n.t().book;
        match shelf {
            Shelf::Customers => t.back_to_customers,
            Shelf::Products => t.back_to_products,
        }
    };
    view! {
        <section class="card wide" aria-labelledby="import-title">
            <p><A href=shelf.page()>{back}</A></p>
            <h2 id="import-title">{title}</h2>
            <Show when=move || auth.may(Action::BookEdit)
                fallback=|| view! { <p class="muted">{tx(|t| t.book.read_only)}</p> }>
                <ImportSteps shelf=shelf />
            </Show>
        </section>
    }
}

#[component]
fn ImportSteps(shelf: Shelf) -> impl IntoView {
    let i18n = use_i18n();
    let state = Import::new(shelf);
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        state.run(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string())
                .ok_or_else(|| ApiError::local("the file could not be read"))?;
            state.text.set(text);
            Ok::<(), ApiError>(())
        });
    };
    let some_accepted = move || state.accepted.with(|a| !a.is_empty());
    view! {
        <p class="muted">{tx(|t| t.book.import_intro)}</p>
        <div class="field">
            <label for="import-file">{tx(|t| t.book.import_file)}</label>
            <input type="file" id="import-file" accept=".csv,text/csv,text/plain" on:change=on_file />
        </div>
        <div class="field">
            <label for="import-text">{tx(|t| t.book.import_paste)}</label>
            <textarea id="import-text" rows="6" spellcheck="false" prop:value=move || state.text.get()
                on:input=move |ev| state.text.set(event_target_value(&ev))></textarea>
        </div>
        <div class="confirm-row">
            <button type="button" class="primary" id="import-check"
                disabled=move || state.busy.get() || state.text.with(|t| t.trim().is_empty())
                on:click=move |_| state.check()>
                {move || if state.busy.get() { i18n.t().working } else { i18n.t().book.import_check }}
            </button>
        </div>
        {move || state.error.get().map(|e| view! {
            <p class="notice error" role="alert">{failure_text(i18n.get(), shelf, &e)}</p>
        })}
        {move || state.rows.with(Option::is_some).then(|| view! { <Preview state=state /> })}
        <Show when=move || state.rows.with(Option::is_some)>
            <p class="muted small-print">{tx(|t| t.book.import_all_or_nothing)}</p>
            <div class="confirm-row">
                <button type="button" class="primary" id="import-accepted"
                    disabled=move || state.busy.get() || !some_accepted() || state.done.with(Option::is_some)
                    on:click=move |_| state.import()>
                    {move || i18n.t().book.import_accepted.replace("{n}", &state.accepted.with(BTreeSet::len).to_string())}
                </button>
            </div>
        </Show>
        {move || state.done.get().map(|done| view! { <Done state=state done=done /> })}
    }
}

/// Every row of the file with what the rules said, and whether it is imported.
#[component]
fn Preview(state: Import) -> impl IntoView {
    let i18n = use_i18n();
    let rows = move || state.rows.get().unwrap_or_default();
    view! {
        <h3 id="import-preview-title" tabindex="-1">{tx(|t| t.book.import_check)}</h3>
        <Show when=move || state.rows.with(|r| r.as_ref().is_some_and(Vec::is_empty))>
            <p class="muted">{tx(|t| t.book.no_rows)}</p>
        </Show>
        <DataTable testid="import-preview" caption=|t| t.book.import_check columns=vec![col(|t| t.book.col_line), col(|t| t.book.col_entry), col(|t| t.book.col_check), col(|t| t.book.import_csv)]>
            {move || {
                let lang = i18n.get();
                rows().into_iter().map(|r| view! { <PreviewRow state=state row=r lang=lang /> }).collect_view()
            }}
        </DataTable>
    }
}

#[component]
fn PreviewRow(state: Import, row: Row, lang: Lang) -> impl IntoView {
    let line = row.line;
    let ok = row.parsed.is_some();
    let summary = row
        .parsed
        .as_ref()
        .map(|p| p.summary(lang))
        .unwrap_or_else(|| "—".to_owned());
    let errors = issues_text(lang, state.shelf, &row.errors);
    let warnings = issues_text(lang, state.shelf, &row.warnings);
    let t = lang.texts();
    let verdict = if errors.is_empty() && warnings.is_empty() {
        view! { <span class="ok-text">{t.book.row_ok}</span> }.into_any()
    } else {
        view! {
            <ul class="issues">
                {errors.into_iter().map(|e| view! { <li class="msg-error"><strong>{t.error_prefix}</strong>" "{e}</li> }).collect_view()}
                {warnings.into_iter().map(|w| view! { <li class="msg-warn"><strong>{t.warning_prefix}</strong>" "{w}</li> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        state.accepted.update(|a| {
            if on {
                a.insert(line);
            } else {
                a.remove(&line);
            }
        });
    };
    view! {
        <tr data-line=line.to_string() data-ok=ok.to_string()>
            <th scope="row">{line}</th>
            <td>{summary}</td>
            <td>{verdict}</td>
            <td>
                <input type="checkbox" id=format!("accept-{line}") disabled={!ok}
                    aria-label=t.book.accept_line.replace("{n}", &line.to_string())
                    prop:checked=move || state.accepted.with(|a| a.contains(&line))
                    on:change=toggle />
            </td>
        </tr>
    }
}

/// What the import did, row by row.
#[component]
fn Done(state: Import, done: Vec<ImportDone>) -> impl IntoView {
    let i18n = use_i18n();
    let (created, updated, ambiguous) = counts(&done);
    let said = move || {
        i18n.t()
            .book
            .import_done
            .replace("{created}", &created.to_string())
            .replace("{updated}", &updated.to_string())
            .replace("{ambiguous}", &ambiguous.to_string())
    };
    let page = state.shelf.page();
    let row = move |d: ImportDone| {
        let t = &i18n.t().book;
        let (words, id) = match d.action {
            ImportAction::Created { id } => (t.action_created, Some(id)),
            ImportAction::Updated { id } => (t.action_updated, Some(id)),
            ImportAction::Ambiguous { .. } => (t.action_ambiguous, None),
        };
        // Customers have a page each; products are edited in their list.
        let link = id.filter(|_| state.shelf == Shelf::Customers);
        view! {
            <tr data-line=d.line.to_string()>
                <th scope="row">{d.line}</th>
                <td>{match link {
                    Some(id) => view! { <A href=format!("{page}/{id}")>{words}</A> }.into_any(),
                    None => view! { <span>{words}</span> }.into_any(),
                }}</td>
            </tr>
        }
    };
    view! {
        <section aria-labelledby="import-done">
            <p id="import-done" class="notice" tabindex="-1" role="status" data-testid="import-done">{said}</p>
            <div class="table-wrap">
                <table class="data" data-testid="import-result">
                    <thead>
                        <tr>
                            <th scope="col">{tx(|t| t.book.col_line)}</th>
                            <th scope="col">{tx(|t| t.book.col_check)}</th>
                        </tr>
                    </thead>
                    <tbody>{done.into_iter().map(row).collect_view()}</tbody>
                </table>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn an_import_answer_is_counted_by_what_it_did() {
        let d = |action| ImportDone { line: 2, action };
        let done = [
            d(ImportAction::Created { id: "a".into() }),
            d(ImportAction::Created { id: "b".into() }),
            d(ImportAction::Updated { id: "c".into() }),
            d(ImportAction::Ambiguous {
                candidates: vec!["x".into(), "y".into()],
            }),
        ];
        assert_eq!(counts(&done), (2, 1, 1));
        let rows = rows_of(
            vec![
                ImportRow {
                    line: 2,
                    outcome: ImportOutcome::Ok {
                        value: ProductInput::default(),
                        warnings: FieldErrors::new(),
                    },
                },
                ImportRow {
                    line: 3,
                    outcome: ImportOutcome::Err {
                        errors: FieldErrors::new(),
                        warnings: FieldErrors::new(),
                    },
                },
            ],
            Parsed::Product,
        );
        assert_eq!(
            rows.iter().map(|r| r.parsed.is_some()).collect::<Vec<_>>(),
            [true, false]
        );
    }
}
