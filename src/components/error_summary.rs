//! After a submit with errors: every error as a link that focuses its field; a message that
//! names no field on the form (a server's sentence about something else) as plain text.

use leptos::prelude::*;

use crate::form::{ErrorText, Form, field_label};
use crate::i18n::{tx, use_i18n};
use crate::util::{focus_id, focus_id_later};

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
                                view! { <FieldMessageItem text=label target=dom_id /> }
                            })
                            .collect_view()
                    }}
                </ul>
            </div>
        </Show>
    }
}

/// One message about a field in a list (the error summary, "Send anyway?"): a link that focuses
/// the field's control (`target`, a DOM id), or plain text where the message names no control.
/// With `on_follow` (closing what lists it), the focus waits for the page to settle.
#[component]
pub fn FieldMessageItem(
    text: String,
    target: Option<String>,
    #[prop(optional)] on_follow: Option<Callback<()>>,
) -> impl IntoView {
    let Some(id) = target else {
        return view! { <li>{text}</li> }.into_any();
    };
    let href = format!("#{id}");
    let follow = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        match on_follow {
            Some(close) => {
                close.run(());
                focus_id_later(id.clone());
            }
            None => {
                focus_id(&id);
            }
        }
    };
    view! {
        <li>
            <a href=href on:click=follow>{text}</a>
        </li>
    }
    .into_any()
}
