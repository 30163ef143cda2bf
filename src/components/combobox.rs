//! The console's one type-ahead (the order form's customer finder and product picker): the
//! ARIA 1.2 combobox pattern with a list popup. The input is `role="combobox"` with
//! `aria-expanded`, `aria-controls` (its listbox) and `aria-activedescendant` (the option the
//! arrow keys are on, while focus stays in the input). ↓/↑ move (and open), Enter picks,
//! Escape closes (or clears when closed); a click picks too. Typing searches after a pause
//! ([`DEBOUNCE_MS`]); an answer to older typing is never shown ([`crate::util::Latest`]).

use std::pin::Pin;
use std::time::Duration;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::notice::ErrorNotice;
use crate::i18n::use_i18n;
use crate::util::Latest;

/// How long typing must pause before a search goes out: short, so a keystroke's suggestions
/// show within 100 ms (issue 18); a burst (a paste, a fast typist) still sends one search, and
/// an older answer is never shown.
pub const DEBOUNCE_MS: u64 = 40;

/// One suggestion: the id picking it names, its text and a second line (contact, price).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub id: String,
    pub label: String,
    pub detail: String,
}

/// The suggestions for what was typed, once they come.
pub type Found = Pin<Box<dyn Future<Output = Result<Vec<Suggestion>, ApiError>>>>;

/// The option the arrow keys go to from `active` among `count` (`down`: ↓), wrapping at the
/// ends; the first (↓) or the last (↑) when none was active. `None` without options.
pub fn next_active(active: Option<usize>, count: usize, down: bool) -> Option<usize> {
    let last = count.checked_sub(1)?;
    Some(match (active, down) {
        (None, true) => 0,
        (None, false) => last,
        (Some(i), true) if i >= last => 0,
        (Some(i), true) => i + 1,
        (Some(0), false) => last,
        (Some(i), false) => (i - 1).min(last),
    })
}

/// The DOM id of option `i` of the combobox whose input is `id`.
pub fn option_id(id: &str, i: usize) -> String {
    format!("{id}-opt-{i}")
}

/// The popup's state, shared by the input's handlers and the list.
#[derive(Clone, Copy)]
struct Popup {
    text: RwSignal<String>,
    found: RwSignal<Vec<Suggestion>>,
    open: RwSignal<bool>,
    active: RwSignal<Option<usize>>,
    /// A search answered for the text shown (so "no matches" may be said).
    answered: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    latest: Latest,
}

impl Popup {
    fn new() -> Popup {
        Popup {
            text: RwSignal::new(String::new()),
            found: RwSignal::new(Vec::new()),
            open: RwSignal::new(false),
            active: RwSignal::new(None),
            answered: RwSignal::new(false),
            error: RwSignal::new(None),
            latest: Latest::default(),
        }
    }

    /// Shown: open with something to show.
    fn expanded(self) -> bool {
        self.open.get() && self.found.with(|f| !f.is_empty())
    }

    fn close(self) {
        self.open.set(false);
        self.active.set(None);
    }

    /// Search `typed` after the pause, unless more was typed meanwhile; a blank text searches
    /// nothing and closes the list.
    fn search(self, typed: String, find: Callback<String, Found>) {
        let ticket = self.latest.ticket();
        self.active.set(None);
        self.answered.set(false);
        if typed.trim().is_empty() {
            self.found.set(Vec::new());
            self.close();
            return;
        }
        set_timeout(
            move || {
                if !self.latest.is_current(ticket) {
                    return;
                }
                let Some(answer) = find.try_run(typed) else {
                    return;
                };
                leptos::task::spawn_local(async move {
                    let result = answer.await;
                    if !self.latest.is_current(ticket) {
                        return;
                    }
                    self.answered.set(true);
                    match result {
                        Ok(list) => {
                            self.error.set(None);
                            self.found.set(list);
                            self.open.set(true);
                        }
                        Err(e) => {
                            self.found.set(Vec::new());
                            self.error.set(Some(e));
                        }
                    }
                });
            },
            Duration::from_millis(DEBOUNCE_MS),
        );
    }

    /// Pick option `i`: a single pick closes the list and shows the pick's text; `multi`
    /// keeps the list open for the next one.
    fn pick(self, i: usize, multi: bool, on_pick: Callback<Suggestion>) {
        let Some(chosen) = self.found.with_untracked(|f| f.get(i).cloned()) else {
            return;
        };
        if !multi {
            // No answer still on its way may reopen the list.
            self.latest.ticket();
            self.text.set(chosen.label.clone());
            self.close();
        }
        on_pick.run(chosen);
    }

    /// The arrow keys, Enter and Escape; `true` when the key was the combobox's.
    fn key(self, key: &str, alt: bool, multi: bool, on_pick: Callback<Suggestion>) -> bool {
        let count = self.found.with_untracked(Vec::len);
        match key {
            "ArrowDown" | "ArrowUp" => {
                if count > 0 && !self.open.get_untracked() {
                    self.open.set(true);
                    if alt {
                        return true;
                    }
                }
                let down = key == "ArrowDown";
                self.active.update(|a| *a = next_active(*a, count, down));
                true
            }
            // Always the combobox's: Enter in it never submits the order form around it.
            "Enter" => {
                if self.open.get_untracked()
                    && let Some(i) = self.active.get_untracked()
                {
                    self.pick(i, multi, on_pick);
                }
                true
            }
            "Escape" if self.open.get_untracked() && count > 0 => {
                self.close();
                true
            }
            "Escape" if !self.text.with_untracked(String::is_empty) => {
                self.latest.ticket();
                self.text.set(String::new());
                self.found.set(Vec::new());
                self.answered.set(false);
                true
            }
            _ => false,
        }
    }
}

/// A type-ahead: `find` answers what was typed, `on_pick` gets the suggestion chosen. `id` is
/// the input's DOM id (the list is `{id}-list`, option `i` is [`option_id`]); `multi` keeps
/// the list open after a pick (the product picker adds several in a row).
#[component]
pub fn Combobox(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] hint: Signal<String>,
    find: Callback<String, Found>,
    on_pick: Callback<Suggestion>,
    #[prop(optional)] multi: bool,
    #[prop(into, optional)] disabled: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let popup = Popup::new();
    let list_id = format!("{id}-list");
    let hint_id = format!("{id}-hint");
    let expanded = Memo::new(move |_| popup.expanded());
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if popup.key(&ev.key(), ev.alt_key(), multi, on_pick) {
            ev.prevent_default();
            // Escape closes this list only, not a dialog around it.
            ev.stop_propagation();
        }
    };
    let input = move |ev: leptos::ev::Event| {
        let typed = event_target_value(&ev);
        popup.text.set(typed.clone());
        popup.search(typed, find);
    };
    // What a screen reader hears when the suggestions change.
    let said = move || {
        let t = &i18n.t().book;
        let n = popup.found.with(Vec::len);
        match (popup.answered.get(), n) {
            (false, _) => String::new(),
            (true, 0) => t.no_suggestions.to_owned(),
            (true, n) => t.suggestions.replace("{n}", &n.to_string()),
        }
    };
    let options = move || {
        popup
            .found
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                let selected = move || popup.active.get() == Some(i);
                view! {
                    <li id=option_id(id, i) role="option" class="combo-option"
                        aria-selected=move || selected().to_string()
                        on:mousedown=move |ev: leptos::ev::MouseEvent| {
                            // Keep the focus in the input; the click picks.
                            ev.prevent_default();
                            popup.pick(i, multi, on_pick);
                        }>
                        <span class="combo-label">{s.label}</span>
                        <span class="combo-detail">{s.detail}</span>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="combobox">
            <label for=id>{move || label.get()}</label>
            <p class="hint" id=hint_id.clone()>{move || hint.get()}</p>
            <input id=id type="text" role="combobox" autocomplete="off" spellcheck="false"
                aria-autocomplete="list"
                aria-expanded=move || expanded.get().to_string()
                aria-controls=list_id.clone()
                aria-activedescendant=move || popup.active.get().filter(|_| expanded.get()).map(|i| option_id(id, i))
                aria-describedby=hint_id
                disabled=move || disabled.get()
                prop:value=move || popup.text.get()
                on:input=input
                on:keydown=keydown
                on:blur=move |_| popup.close() />
            <ul id=list_id role="listbox" class="combo-list" aria-label=move || label.get()
                hidden=move || !expanded.get()>
                {options}
            </ul>
            <span class="sr-only" role="status">{said}</span>
            <ErrorNotice error=popup.error />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn the_arrow_keys_wrap_at_the_ends() {
        assert_eq!(next_active(None, 3, true), Some(0));
        assert_eq!(next_active(None, 3, false), Some(2));
        assert_eq!(next_active(Some(0), 3, true), Some(1));
        assert_eq!(next_active(Some(2), 3, true), Some(0));
        assert_eq!(next_active(Some(0), 3, false), Some(2));
        assert_eq!(next_active(Some(2), 3, false), Some(1));
        // Fewer options than before: never past the end.
        assert_eq!(next_active(Some(7), 3, false), Some(2));
        assert_eq!(next_active(Some(7), 3, true), Some(0));
        assert_eq!(next_active(Some(0), 0, true), None);
        assert_eq!(option_id("customer-search", 2), "customer-search-opt-2");
    }
}
