//! `/customers/new` (clerks and admins): a customer typed into the book by hand, checked by
//! core as typed (a payment link's customer block, as every entry of the book); once saved,
//! their page opens. Most customers come into the book by themselves, from orders and imports.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::api::Customer;
use crate::i18n::tx;
use crate::pages::customer::{ContactForm, blank_texts};

#[component]
pub fn NewCustomerPage() -> impl IntoView {
    let navigate = StoredValue::new_local(use_navigate());
    let done = Callback::new(move |saved: Option<Customer>| {
        let to = saved.map_or_else(
            || "/customers".to_owned(),
            |c| format!("/customers/{}", c.id),
        );
        let _ = navigate.try_with_value(|go| go(&to, Default::default()));
    });
    view! {
        <section class="card wide" aria-labelledby="contact-title">
            <h2 id="contact-title">{tx(|t| t.book.new_customer)}</h2>
            <ContactForm id=None texts=blank_texts() done=done />
        </section>
    }
}
