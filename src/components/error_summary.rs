//! After a submit with errors: every error as a link that focuses its field; a message that
//! names no field on the form (a server's sentence about something else) as plain text.

use leptos::prelude::*;

use crate::form::{ErrorText, Form, field_label};
use crate::i18n::{tx, use_i18n};
use crate::util::focus_id;

#[component]
pub fn ErrorSummary(form: Form) -> impl IntoView {
    let i18n = use_i18n();
    let list = Memo::new(move |_| {
        if form.submitted.get() {
            form.error_list()
        } else {
            Vec::new()
        }
    });
    view! {
        <Show when=move || !list.with(Vec::is_empty)>
            <div class="error-summary" id="error-summary" tabindex="-1" aria-labelledby="error-summary-title" role="group">
                <h3 id="error-summary-title">{tx(|t| t.errors_title)}</h3>
                <ul>
                    {move || {
                        let lang = i18n.get();
                        list.get()
                            .into_iter()
                            .map(|(path, dom_id, text)| {
                                let message = match &text {
                                    ErrorText::Issue(i) => lang.issue(i),
                                    ErrorText::Server(s) => s.clone(),
                                };
                                let label = if path.is_empty() {
                                    message.clone()
                                } else {
                                    format!("{}: {message}", field_label(lang, &path))
                                };
                                match dom_id {
                                    Some(id) => {
                                        let href = format!("#{id}");
                                        view! {
                                            <li>
                                                <a
                                                    href=href
                                                    on:click=move |ev| {
                                                        ev.prevent_default();
                                                        focus_id(&id);
                                                    }
                                                >
                                                    {label}
                                                </a>
                                            </li>
                                        }
                                            .into_any()
                                    }
                                    None => view! { <li>{label}</li> }.into_any(),
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}
