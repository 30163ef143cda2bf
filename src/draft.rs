//! Drafts: the form's plain data (core's [`OrderDraft`], versioned), one per order kind and user
//! in localStorage, with the idempotency key of its next submit and the exact body of an attempt
//! whose outcome is unknown.
//!
//! Drafts hold customers' personal data, so they belong to the signed-in user
//! ([`set_owner`]): stored under keys that name the user, read and written only while that
//! user is signed in, never shown to anyone else who signs in on the same browser. At sign-out
//! the user keeps them on the device or discards them ([`unsent`], [`discard_all`]).

use std::cell::RefCell;

pub use frontdesk_core::draft::{LineDraft, OrderDraft};
use frontdesk_core::status::OrderKind;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::storage;

const KIND_KEY: &str = "frontdesk.draft.kind";
/// Before drafts were per user: one draft per kind under `frontdesk.draft.<kind>` and the
/// created orders under this key, whoever typed them.
const LEGACY_CREATED_KEY: &str = "frontdesk.created";

thread_local! {
    /// Whose drafts the form reads and writes: the signed-in user; `None`, nobody's.
    static OWNER: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Make `username`'s drafts the form's (`None` at sign-out: no drafts are read or written).
/// Drafts stored before drafts were per user are dropped here, unread: they may belong to
/// anyone who used this browser, so showing them to whoever signs in next would leak them.
pub fn set_owner(username: Option<&str>) {
    forget_unowned();
    OWNER.with(|o| *o.borrow_mut() = username.map(str::to_owned));
}

fn owner() -> Option<String> {
    OWNER.with(|o| o.borrow().clone())
}

fn forget_unowned() {
    for kind in OrderKind::ALL {
        storage::remove(&format!("frontdesk.draft.{}", kind_code(kind)));
    }
    storage::remove(LEGACY_CREATED_KEY);
}

/// `frontdesk.draft.<kind>@<username>`: the user name last, after a character no kind has,
/// so no two users or kinds share a key and none is a key from before drafts were per user.
pub fn draft_key(owner: &str, kind: OrderKind) -> String {
    format!("frontdesk.draft.{}@{owner}", kind_code(kind))
}

/// The user's created orders (for reloads of the success screen).
fn created_key(owner: &str) -> String {
    format!("{LEGACY_CREATED_KEY}@{owner}")
}

/// What is kept per kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDraft {
    pub data: OrderDraft,
    /// The Idempotency-Key of this draft's submit: new only after success or discard.
    pub key: String,
    /// The exact body sent under `key` whose outcome is unknown (network error, 5xx, reload
    /// mid-submit): a retry sends it again byte for byte.
    #[serde(default)]
    pub pending: Option<String>,
    /// When it was saved (ms since the epoch).
    #[serde(default)]
    pub saved_at: f64,
}

impl StoredDraft {
    /// Nothing typed and nothing pending: not worth keeping or asking about.
    pub fn is_blank(&self) -> bool {
        self.data.is_blank() && self.pending.is_none()
    }
}

pub fn kind_code(kind: OrderKind) -> &'static str {
    kind.as_str()
}

pub fn parse_kind(s: &str) -> Option<OrderKind> {
    OrderKind::ALL.into_iter().find(|k| k.as_str() == s)
}

/// The signed-in user's draft of `kind`.
pub fn load(kind: OrderKind) -> Option<StoredDraft> {
    let key = draft_key(&owner()?, kind);
    storage::get(&key).and_then(|s| serde_json::from_str(&s).ok())
}

/// Keep `draft` as the signed-in user's (nothing is kept while nobody is signed in).
pub fn save(kind: OrderKind, draft: &StoredDraft) {
    let Some(owner) = owner() else { return };
    if let Ok(text) = serde_json::to_string(draft) {
        storage::set(&draft_key(&owner, kind), &text);
    }
}

pub fn remove(kind: OrderKind) {
    if let Some(owner) = owner() {
        storage::remove(&draft_key(&owner, kind));
    }
}

/// The signed-in user's drafts that hold something (typed data or a send whose outcome is
/// unknown): what sign-out asks about.
pub fn unsent() -> Vec<(OrderKind, StoredDraft)> {
    OrderKind::ALL
        .into_iter()
        .filter_map(|kind| load(kind).map(|d| (kind, d)))
        .filter(|(_, d)| !d.is_blank())
        .collect()
}

/// Drop all of the signed-in user's drafts.
pub fn discard_all() {
    OrderKind::ALL.into_iter().for_each(remove);
}

/// Drop the signed-in user's created orders: they only serve reloads of the success screen,
/// and hold what was sent (personal numbers included). Done at every sign-out.
pub fn forget_created() {
    if let Some(owner) = owner() {
        storage::remove(&created_key(&owner));
    }
}

/// The kind last worked on.
pub fn last_kind() -> OrderKind {
    storage::get(KIND_KEY)
        .and_then(|s| parse_kind(&s))
        .unwrap_or(OrderKind::PaymentLink)
}

pub fn set_last_kind(kind: OrderKind) {
    storage::set(KIND_KEY, kind_code(kind));
}

/// A created order as the success screen shows it (kept for reloads of that screen).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CreatedRecord {
    pub uuid: String,
    pub customer_uuid: String,
    pub kind: OrderKind,
    /// The body that was sent.
    pub body: Value,
    pub at: f64,
    #[serde(default)]
    pub replayed: bool,
}

/// The signed-in user's created orders, newest first.
pub fn created_records() -> Vec<CreatedRecord> {
    owner()
        .and_then(|o| storage::get(&created_key(&o)))
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

pub fn remember_created(record: CreatedRecord) {
    let Some(owner) = owner() else { return };
    let mut all = created_records();
    all.retain(|r| r.uuid != record.uuid);
    all.insert(0, record);
    all.truncate(20);
    if let Ok(text) = serde_json::to_string(&all) {
        storage::set(&created_key(&owner), &text);
    }
}

pub fn find_created(uuid: &str) -> Option<CreatedRecord> {
    created_records().into_iter().find(|r| r.uuid == uuid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn every_user_and_kind_has_a_key_of_its_own() {
        let legacy: Vec<String> = OrderKind::ALL
            .into_iter()
            .map(|k| format!("frontdesk.draft.{}", kind_code(k)))
            .collect();
        let mut keys = std::collections::BTreeSet::new();
        for owner in ["admin", "clerk", "Clerk", "payment-link", "a@invoice", "a"] {
            for kind in OrderKind::ALL {
                let key = draft_key(owner, kind);
                assert!(!legacy.contains(&key), "{key}");
                assert!(keys.insert(key.clone()), "{key} twice");
            }
        }
        assert_ne!(created_key("clerk"), LEGACY_CREATED_KEY);
    }

    /// Real localStorage: one user's draft is invisible to the next, nothing is kept while
    /// nobody is signed in, and a draft from before drafts were per user is dropped unread.
    #[cfg(target_arch = "wasm32")]
    #[wasm_bindgen_test]
    fn drafts_belong_to_the_user_who_typed_them() {
        let legacy = format!("frontdesk.draft.{}", kind_code(OrderKind::Invoice));
        storage::set(&legacy, r#"{"data":{"name":"Someone"},"key":"old"}"#);
        set_owner(Some("test-alice"));
        assert_eq!(storage::get(&legacy), None, "an old draft may be anyone's");
        assert_eq!(load(OrderKind::Invoice), None);
        let typed = StoredDraft {
            data: OrderDraft::default().with_text("customerDetails.name", "Ola Nordmann"),
            key: "k1".into(),
            pending: None,
            saved_at: 0.0,
        };
        save(OrderKind::Invoice, &typed);
        assert_eq!(unsent().len(), 1);
        set_owner(Some("test-bob"));
        assert_eq!(load(OrderKind::Invoice), None);
        assert!(unsent().is_empty());
        set_owner(None);
        save(OrderKind::PaymentLink, &typed);
        assert_eq!(load(OrderKind::PaymentLink), None);
        set_owner(Some("test-alice"));
        assert_eq!(load(OrderKind::Invoice), Some(typed));
        assert_eq!(load(OrderKind::PaymentLink), None);
        discard_all();
        assert!(unsent().is_empty());
        set_owner(None);
    }
}
