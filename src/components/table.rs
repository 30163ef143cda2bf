//! A list table as the pages show one: a wrapper that scrolls, a caption for screen readers,
//! the column headers (numbers right-aligned) and the rows the page gives.

use leptos::prelude::*;

use crate::i18n::{Texts, tx};

/// The text of a header, caption or message, looked up in the language shown.
pub type Text = fn(&Texts) -> &'static str;

/// One column header: its text and whether it holds numbers (right-aligned, `class="num"`).
#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub label: Text,
    pub num: bool,
}

/// A column of text.
pub fn col(label: Text) -> Col {
    Col { label, num: false }
}

/// A column of numbers (amounts).
pub fn num(label: Text) -> Col {
    Col { label, num: true }
}

/// `<div class="table-wrap"><table class="data" data-testid=…>` with `columns` as its head
/// and `children` as its body. `table_class` replaces the table's `data` (`"data orders-table"`);
/// `busy` marks a read on its way (`aria-busy`), left out when the page has none.
#[component]
pub fn DataTable(
    testid: &'static str,
    columns: Vec<Col>,
    #[prop(optional)] caption: Option<Text>,
    #[prop(optional)] table_class: Option<&'static str>,
    #[prop(optional)] busy: Option<RwSignal<bool>>,
    children: Children,
) -> impl IntoView {
    let heads = columns
        .into_iter()
        .map(|c| view! { <th scope="col" class=c.num.then_some("num")>{tx(c.label)}</th> })
        .collect_view();
    view! {
        <div class="table-wrap" aria-busy=move || busy.map(|b| b.get().to_string())>
            <table class=table_class.unwrap_or("data") data-testid=testid>
                {caption.map(|c| view! { <caption class="sr-only">{tx(c)}</caption> })}
                <thead>
                    <tr>{heads}</tr>
                </thead>
                <tbody>{children()}</tbody>
            </table>
        </div>
    }
}
