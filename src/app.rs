//! The application shell: header and the page area.

use leptos::prelude::*;

use crate::api;

#[component]
pub fn App() -> impl IntoView {
    let health = LocalResource::new(api::health);
    view! {
        <header class="app-header">
            <h1>"Frontdesk"</h1>
            <span class="muted">"Front Payment orders"</span>
        </header>
        <main id="main">
            <p class="proxy-status" role="status">
                <Suspense fallback=|| "Connecting to the proxy…">
                    {move || {
                        health
                            .get()
                            .map(|answer| match answer {
                                Ok(health) => format!("Proxy connected ({} upstream)", health.upstream),
                                Err(error) => format!("Proxy unreachable: {error}"),
                            })
                    }}
                </Suspense>
            </p>
        </main>
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use leptos::wasm_bindgen::JsCast;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    async fn shell_renders_the_product_name() {
        let document = leptos::prelude::document();
        let host = document.create_element("div").expect("a div");
        document.body().expect("a body").append_child(&host).expect("appended");
        let _mounted = leptos::mount::mount_to(host.clone().unchecked_into(), super::App);
        leptos::task::tick().await;
        let text = host.text_content().unwrap_or_default();
        assert!(text.contains("Frontdesk"), "rendered text: {text}");
        assert!(host.query_selector("[role=status]").ok().flatten().is_some());
    }
}
