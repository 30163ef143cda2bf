//! `/users` (admins): who may sign in and with which role. Add a colleague (the proxy makes a
//! password, shown here once), change a role, disable or enable, reset a password, see and end
//! a user's sessions and revoke their API keys. Steps that take something away ask first;
//! every result is announced (`role="status"`).

use frontdesk_core::roles::Role;
use frontdesk_core::validate::{Issue, validate_username};
use leptos::prelude::*;

use crate::api::{
    self, ApiError, ApiKeyInfo, NewUser, SessionInfo, UserChange, UserStatus, UserSummary,
};
use crate::auth::use_auth;
use crate::components::notice::ErrorNotice;
use crate::components::table::{DataTable, col};
use crate::i18n::{I18n, Lang, Texts, tx, use_i18n};
use crate::pages::done::CopyButton;
use crate::util;

/// Where focus goes after a step that removed the control it started from.
const RESULT_ID: &str = "users-result";

/// A step that asks before it is done: it takes access away.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ask {
    Disable(String),
    Reset(String),
    EndSession(String),
    RevokeKey(String),
}

impl Ask {
    /// The user name or the id it is about.
    fn subject(&self) -> &str {
        match self {
            Ask::Disable(s) | Ask::Reset(s) | Ask::EndSession(s) | Ask::RevokeKey(s) => s,
        }
    }

    /// The row it is about: its confirmation shows under that row.
    fn target(&self) -> String {
        match self {
            Ask::Disable(n) | Ask::Reset(n) => row_of("user", n),
            Ask::EndSession(id) => row_of("session", id),
            Ask::RevokeKey(id) => row_of("key", id),
        }
    }

    /// What it does (`data-action`, and with the subject the id of the button that asked).
    fn action(&self) -> &'static str {
        match self {
            Ask::Disable(_) => "disable",
            Ask::Reset(_) => "reset",
            Ask::EndSession(_) => "end-session",
            Ask::RevokeKey(_) => "revoke-key",
        }
    }

    fn opener(&self) -> String {
        format!("{}-{}", self.action(), self.subject())
    }

    fn question(&self, t: &Texts) -> String {
        match self {
            Ask::Disable(n) => t.confirm_disable.replace("{user}", n),
            Ask::Reset(n) => t.confirm_reset.replace("{user}", n),
            Ask::EndSession(_) => t.confirm_revoke_session.to_owned(),
            Ask::RevokeKey(_) => t.confirm_revoke_key.to_owned(),
        }
    }

    /// The label of the button that asks, and of the one that confirms.
    fn label(&self, t: &Texts) -> &'static str {
        match self {
            Ask::Disable(_) => t.disable,
            Ask::Reset(_) => t.reset_password,
            Ask::EndSession(_) => t.revoke_session,
            Ask::RevokeKey(_) => t.revoke_key,
        }
    }
}

/// A table row's name, for matching a step to the row it is about.
fn row_of(table: &str, id: &str) -> String {
    format!("{table}:{id}")
}

/// The page's state, shared by its parts through the context.
#[derive(Clone, Copy)]
struct Users {
    list: RwSignal<Vec<UserSummary>>,
    /// What the last step did, in words.
    result: RwSignal<String>,
    error: RwSignal<Option<ApiError>>,
    /// A password to show once: a new user's, or a reset's.
    issued: RwSignal<Option<api::IssuedPassword>>,
    /// Whose sessions and API keys are open.
    access: RwSignal<Option<String>>,
    ask: RwSignal<Option<Ask>>,
    /// Bumped after every step, so open sessions and keys are read again.
    revision: RwSignal<u32>,
    busy: RwSignal<bool>,
    i18n: I18n,
}

impl Users {
    fn provide() -> Users {
        let users = Users {
            list: RwSignal::new(Vec::new()),
            result: RwSignal::new(String::new()),
            error: RwSignal::new(None),
            issued: RwSignal::new(None),
            access: RwSignal::new(None),
            ask: RwSignal::new(None),
            revision: RwSignal::new(0),
            busy: RwSignal::new(false),
            i18n: use_i18n(),
        };
        provide_context(users);
        users
    }

    fn lang(self) -> Lang {
        self.i18n.0.get_untracked()
    }

    fn reload(self) {
        leptos::task::spawn_local(async move {
            // `try_`: the page may be left while the answer is on its way.
            let _ = match api::users().await {
                Ok(list) => self.list.try_set(list).map(drop),
                Err(e) => self.error.try_set(Some(e)).map(drop),
            };
        });
    }

    /// A user as the proxy answered after a change.
    fn replace(self, user: UserSummary) {
        self.list.update(|l| {
            if let Some(u) = l.iter_mut().find(|u| u.username == user.username) {
                *u = user;
            }
        });
    }

    fn find<T>(self, name: &str, f: impl FnOnce(&UserSummary) -> T) -> Option<T> {
        self.list
            .with(|l| l.iter().find(|u| u.username == name).map(f))
    }

    /// Run one step (one at a time): its result announced and everything read again, or its
    /// error shown.
    fn run(self, step: impl Future<Output = Result<String, ApiError>> + 'static) {
        if self.busy.get_untracked() {
            return;
        }
        self.busy.set(true);
        self.result.set(String::new());
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let out = step.await;
            if self.busy.try_set(false).is_some() {
                return; // the page is gone
            }
            match out {
                Ok(text) => {
                    self.result.set(text);
                    self.reload();
                    self.revision.update(|r| *r = r.wrapping_add(1));
                }
                Err(e) => self.error.set(Some(e)),
            }
        });
    }

    /// Ask before `ask`, under its row, with focus on the question.
    fn open(self, ask: Ask) {
        self.result.set(String::new());
        self.ask.set(Some(ask));
        util::focus_id_later("confirm-text".into());
    }
}

fn use_users() -> Users {
    expect_context::<Users>()
}

fn change(role: Option<Role>, status: Option<UserStatus>) -> UserChange {
    UserChange { role, status }
}

/// Do a confirmed step; the words for what it did.
async fn perform(ask: Ask, users: Users) -> Result<String, ApiError> {
    let t = users.lang().texts();
    let text = match &ask {
        Ask::Disable(name) => {
            let disabled = change(None, Some(UserStatus::Disabled));
            users.replace(api::change_user(name, &disabled).await?);
            t.user_disabled.replace("{user}", name)
        }
        Ask::Reset(name) => {
            users.issued.set(Some(api::reset_password(name).await?));
            util::focus_id_later("issued-title".into());
            return Ok(t.password_reset_done.replace("{user}", name));
        }
        Ask::EndSession(id) => {
            api::revoke_session(id).await?;
            t.session_revoked.to_owned()
        }
        Ask::RevokeKey(id) => {
            api::revoke_key(id).await?;
            t.key_revoked.to_owned()
        }
    };
    util::focus_id_later(RESULT_ID.into());
    Ok(text)
}

#[component]
pub fn UsersPage() -> impl IntoView {
    let auth = use_auth();
    view! {
        <section class="card wide users-page" aria-labelledby="users-title">
            <h2 id="users-title">{tx(|t| t.users_title)}</h2>
            <Show
                when=move || auth.may_manage_users()
                fallback=|| view! { <p class="muted" data-testid="users-admin-only">{tx(|t| t.users_admin_only)}</p> }
            >
                <UsersAdmin />
            </Show>
        </section>
    }
}

#[component]
fn UsersAdmin() -> impl IntoView {
    let users = Users::provide();
    users.reload();
    view! {
        <p id=RESULT_ID class="ok-text" role="status" aria-live="polite" tabindex="-1" data-testid="users-result">
            {move || users.result.get()}
        </p>
        <ErrorNotice error=users.error />
        <IssuedPanel />
        <AddUser />
        <UsersTable />
        {move || users.access.get().map(|name| view! { <Access name=name /> })}
    }
}

/// A password the proxy made, shown this once with a copy button and a warning.
#[component]
fn IssuedPanel() -> impl IntoView {
    let users = use_users();
    let i18n = use_i18n();
    let done = move |_| {
        users.issued.set(None);
        util::focus_id("new-username");
    };
    move || {
        users.issued.get().map(|issued| {
            let who = issued.username.clone();
            let warn_who = who.clone();
            let password = issued.password.clone();
            view! {
                <div class="issued" role="group" aria-labelledby="issued-title" data-testid="issued">
                    <h3 id="issued-title" tabindex="-1">
                        {move || i18n.t().issued_title.replace("{user}", &who)}
                    </h3>
                    <p class="issued-secret">
                        <code data-testid="issued-password">{password.clone()}</code>
                        " "
                        <CopyButton value=password what=Signal::derive(move || i18n.t().password.to_owned()) />
                    </p>
                    <p class="notice warn">{move || i18n.t().issued_warning.replace("{user}", &warn_who)}</p>
                    <button type="button" class="primary" id="issued-done" on:click=done>
                        {tx(|t| t.issued_done)}
                    </button>
                </div>
            }
        })
    }
}

#[component]
fn AddUser() -> impl IntoView {
    let users = use_users();
    let i18n = use_i18n();
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Clerk);
    // Core's rule for user names (the proxy checks the same), shown from the first submit on.
    let issues = RwSignal::new(Vec::<Issue>::new());
    let check = move || match validate_username(&name.get_untracked()) {
        Ok(username) => {
            issues.set(Vec::new());
            Some(username)
        }
        Err(report) => {
            issues.set(report.errors);
            None
        }
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(username) = check() else {
            util::focus_id("new-username");
            return;
        };
        let new = NewUser {
            username,
            role: role.get_untracked(),
        };
        users.run(async move {
            let issued = api::add_user(&new).await?;
            let text = users
                .lang()
                .texts()
                .user_added
                .replace("{user}", &issued.username);
            name.set(String::new());
            users.issued.set(Some(issued));
            util::focus_id_later("issued-title".into());
            Ok(text)
        });
    };
    let on_input = move |ev: leptos::ev::Event| {
        name.set(event_target_value(&ev));
        if !issues.with_untracked(Vec::is_empty) {
            check();
        }
    };
    let invalid = move || issues.with(|i| !i.is_empty());
    view! {
        <form class="add-user" on:submit=submit novalidate aria-labelledby="add-user-title">
            <h3 id="add-user-title">{tx(|t| t.add_user_title)}</h3>
            <p class="muted" id="add-user-hint">{tx(|t| t.add_user_hint)}</p>
            <div class="add-user-row">
                <div class="field">
                    <label for="new-username">{tx(|t| t.username)}</label>
                    <input id="new-username" type="text" autocomplete="off" autocapitalize="none"
                        spellcheck="false" aria-required="true"
                        aria-invalid=move || invalid().to_string()
                        aria-describedby="add-user-hint new-username-msg"
                        prop:value=move || name.get() on:input=on_input />
                    <div class="msg msg-error" id="new-username-msg">
                        {move || issues.with(|is| {
                            is.iter().map(|i| i18n.get().issue(i)).collect::<Vec<_>>().join(" ")
                        })}
                    </div>
                </div>
                <NewRole role=role />
                <button type="submit" class="primary" id="add-user">{tx(|t| t.add_user)}</button>
            </div>
        </form>
    }
}

/// The new user's role: clerk unless chosen otherwise.
#[component]
fn NewRole(role: RwSignal<Role>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="field">
            <label for="new-role">{tx(|t| t.role_label)}</label>
            <select id="new-role" on:change=move |ev| {
                if let Ok(r) = event_target_value(&ev).parse() {
                    role.set(r);
                }
            }>
                {Role::ALL.into_iter().map(|r| view! {
                    <option value=r.as_str() selected={r == role.get_untracked()}>
                        {move || i18n.get().role(r)}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}

#[component]
fn UsersTable() -> impl IntoView {
    let users = use_users();
    let names = move || {
        users
            .list
            .with(|l| l.iter().map(|u| u.username.clone()).collect::<Vec<_>>())
    };
    view! {
        <DataTable testid="users-table" table_class="data users-table" caption=|t| t.users_title columns=vec![col(|t| t.username), col(|t| t.role_label), col(|t| t.col_status), col(|t| t.col_last_sign_in), col(|t| t.col_actions)]>
            <For each=names key=|name| name.clone() let:name>
                <UserRow name=name />
            </For>
        </DataTable>
    }
}

/// One user; their own row offers no role change, disabling or reset (the account page has
/// their own password), so an admin cannot lock themselves out.
#[component]
fn UserRow(name: String) -> impl IntoView {
    let users = use_users();
    let auth = use_auth();
    let i18n = use_i18n();
    let me = auth
        .user
        .with_untracked(|u| u.as_ref().is_some_and(|u| u.username == name));
    let who = StoredValue::new(name.clone());
    let disabled = move || {
        who.with_value(|n| users.find(n, |u| matches!(u.status, UserStatus::Disabled)))
            .unwrap_or(false)
    };
    let role = move || who.with_value(|n| users.find(n, |u| u.role));
    let last = move || {
        who.with_value(|n| users.find(n, |u| u.last_sign_in_at))
            .flatten()
    };
    let role_cell = if me {
        view! { <span>{move || role().map(|r| i18n.get().role(r))}</span> }.into_any()
    } else {
        view! { <RoleSelect name=name.clone() /> }.into_any()
    };
    view! {
        <tr data-user=name.clone() data-status=move || if disabled() { "disabled" } else { "active" }>
            <th scope="row">
                {name.clone()}
                {me.then(|| view! { " " <span class="muted">{tx(|t| t.you)}</span> })}
            </th>
            <td>{role_cell}</td>
            <td data-testid="user-status">
                {move || if disabled() { i18n.t().status_disabled } else { i18n.t().status_active }}
            </td>
            <td data-testid="last-sign-in">
                {move || match last() {
                    Some(ms) => i18n.get().datetime(ms as f64),
                    None => i18n.t().never.to_owned(),
                }}
            </td>
            <td><RowActions name=name.clone() me=me /></td>
        </tr>
        {confirm_row(row_of("user", &name), "5")}
    }
}

/// The row's confirmation while one of its steps is asked about.
fn confirm_row(target: String, cols: &'static str) -> impl IntoView {
    let users = use_users();
    move || {
        users
            .ask
            .with(|a| a.as_ref().filter(|a| a.target() == target).cloned())
            .map(|ask| view! { <tr class="confirm-tr"><td colspan=cols><Confirm ask=ask /></td></tr> })
    }
}

#[component]
fn RoleSelect(name: String) -> impl IntoView {
    let users = use_users();
    let i18n = use_i18n();
    let who = StoredValue::new(name);
    let current = move || who.with_value(|n| users.find(n, |u| u.role));
    let on_change = move |ev: leptos::ev::Event| {
        let Ok(role) = event_target_value(&ev).parse::<Role>() else {
            return;
        };
        if current() == Some(role) {
            return;
        }
        let name = who.get_value();
        users.run(async move {
            let changed = api::change_user(&name, &change(Some(role), None)).await?;
            users.replace(changed);
            let lang = users.lang();
            Ok(lang
                .texts()
                .role_changed
                .replace("{user}", &name)
                .replace("{role}", lang.role(role)))
        });
    };
    view! {
        <select
            data-testid="user-role"
            aria-label=move || who.with_value(|n| i18n.t().role_of.replace("{user}", n))
            on:change=on_change
        >
            {Role::ALL.into_iter().map(|r| view! {
                <option value=r.as_str() prop:selected=move || current() == Some(r)>
                    {move || i18n.get().role(r)}
                </option>
            }).collect_view()}
        </select>
    }
}

#[component]
fn RowActions(name: String, me: bool) -> impl IntoView {
    let users = use_users();
    let i18n = use_i18n();
    let who = StoredValue::new(name.clone());
    let disabled = move || {
        who.with_value(|n| users.find(n, |u| matches!(u.status, UserStatus::Disabled)))
            .unwrap_or(false)
    };
    let enable = move |_| {
        let name = who.get_value();
        users.run(async move {
            let active = change(None, Some(UserStatus::Active));
            users.replace(api::change_user(&name, &active).await?);
            Ok(users.lang().texts().user_enabled.replace("{user}", &name))
        });
    };
    let open = move |_| {
        users.access.set(Some(who.get_value()));
        util::focus_id_later("access-title".into());
    };
    let expanded = move || who.with_value(|n| users.access.with(|a| a.as_deref() == Some(n)));
    let steps = (!me).then(|| {
        let disable = Ask::Disable(name.clone());
        view! {
            <Show when=disabled fallback=move || view! { <AskButton ask=disable.clone() about=who.get_value() /> }>
                <button type="button" class="secondary small" data-action="enable"
                    aria-label=move || format!("{} {}", i18n.t().enable, who.get_value())
                    on:click=enable>
                    {tx(|t| t.enable)}
                </button>
            </Show>
            <AskButton ask=Ask::Reset(name.clone()) about=name.clone() />
        }
    });
    view! {
        <div class="row-actions">
            {steps}
            <button type="button" class="secondary small" data-action="access"
                aria-label=move || format!("{} {}", i18n.t().show_access, who.get_value())
                aria-expanded=move || expanded().to_string()
                on:click=open>
                {tx(|t| t.show_access)}
            </button>
        </div>
    }
}

/// A button that asks before its step (`about`: whom or what, for its accessible name).
#[component]
fn AskButton(ask: Ask, #[prop(into)] about: String) -> impl IntoView {
    let users = use_users();
    let i18n = use_i18n();
    let id = ask.opener();
    let action = ask.action();
    let a = StoredValue::new(ask);
    view! {
        <button type="button" class="secondary small" id=id data-action=action
            aria-label=move || format!("{} {about}", a.with_value(|a| a.label(i18n.t())))
            on:click=move |_| users.open(a.get_value())>
            {move || a.with_value(|a| a.label(i18n.t()))}
        </button>
    }
}

/// The question, the step's own button to confirm, and Back (also Escape), which returns focus
/// to the button that asked.
#[component]
fn Confirm(ask: Ask) -> impl IntoView {
    let users = use_users();
    let i18n = use_i18n();
    let a = StoredValue::new(ask);
    // Read before the question goes: with it goes this component and its stored value.
    let cancel = move || {
        let opener = a.with_value(Ask::opener);
        users.ask.set(None);
        util::focus_id_later(opener);
    };
    let confirm = move |_| {
        let ask = a.get_value();
        users.ask.set(None);
        users.run(perform(ask, users));
    };
    view! {
        <div class="confirm" role="group" aria-labelledby="confirm-text" data-testid="confirm"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    cancel();
                }
            }>
            <p id="confirm-text" class="confirm-text" tabindex="-1">
                {move || a.with_value(|a| a.question(i18n.t()))}
            </p>
            <div class="confirm-row">
                <button type="button" class="danger" data-testid="confirm-yes" on:click=confirm>
                    {move || a.with_value(|a| a.label(i18n.t()))}
                </button>
                <button type="button" class="secondary" data-testid="confirm-no" on:click=move |_| cancel()>
                    {tx(|t| t.back)}
                </button>
            </div>
        </div>
    }
}

/// A user's sessions and API keys, read again after every step.
#[component]
fn Access(name: String) -> impl IntoView {
    let users = use_users();
    let i18n = use_i18n();
    let sessions = RwSignal::new(None::<Vec<SessionInfo>>);
    let keys = RwSignal::new(None::<Vec<ApiKeyInfo>>);
    let who = StoredValue::new(name);
    Effect::new(move |_| {
        users.revision.track();
        let name = who.get_value();
        leptos::task::spawn_local(async move {
            // `try_`: the panel may be closed while the answers are on their way.
            let _ = match api::sessions_of(&name).await {
                Ok(s) => sessions.try_set(Some(s)).map(drop),
                Err(e) => users.error.try_set(Some(e)).map(drop),
            };
            let _ = match api::keys_of(&name).await {
                Ok(k) => keys.try_set(Some(k)).map(drop),
                Err(e) => users.error.try_set(Some(e)).map(drop),
            };
        });
    });
    let close = move |_| {
        users.access.set(None);
        util::focus_id_later(RESULT_ID.into());
    };
    let title = move |f: fn(&Texts) -> &'static str| {
        move || who.with_value(|n| f(i18n.t()).replace("{user}", n))
    };
    view! {
        <section class="access-panel" aria-labelledby="access-title" data-testid="access-panel">
            <div class="page-head">
                <h3 id="access-title" tabindex="-1">{title(|t| t.sessions_title)}</h3>
                <button type="button" class="secondary small" on:click=close>{tx(|t| t.close)}</button>
            </div>
            <SessionsTable sessions=sessions />
            <h3>{title(|t| t.keys_title)}</h3>
            <KeysTable keys=keys />
        </section>
    }
}

#[component]
fn SessionsTable(sessions: RwSignal<Option<Vec<SessionInfo>>>) -> impl IntoView {
    let none = move || sessions.with(|s| s.as_ref().is_some_and(Vec::is_empty));
    view! {
        <Show when=move || !none() fallback=|| view! { <p class="muted">{tx(|t| t.no_sessions)}</p> }>
            <DataTable testid="sessions-table" columns=vec![col(|t| t.col_started), col(|t| t.col_last_seen), col(|t| t.col_user_agent), col(|t| t.col_address), col(|t| t.col_actions)]>
                {move || sessions.get().unwrap_or_default().into_iter()
                    .map(|s| view! { <SessionRow session=s /> }).collect_view()}
            </DataTable>
        </Show>
    }
}

#[component]
fn SessionRow(session: SessionInfo) -> impl IntoView {
    let i18n = use_i18n();
    let (started, seen) = (session.created_at as f64, session.last_seen_at as f64);
    let or_dash = |s: Option<String>| s.filter(|s| !s.is_empty()).unwrap_or_else(|| "—".into());
    let action = if session.current {
        view! { <span class="muted">{tx(|t| t.this_session)}</span> }.into_any()
    } else {
        // Named by when it started: the row's first cell.
        let about = i18n.0.get_untracked().datetime(started);
        view! { <AskButton ask=Ask::EndSession(session.id.clone()) about=about /> }.into_any()
    };
    view! {
        <tr data-session=session.id.clone()>
            <td>{move || i18n.get().datetime(started)}</td>
            <td>{move || i18n.get().datetime(seen)}</td>
            <td class="user-agent">{or_dash(session.user_agent.clone())}</td>
            <td>{or_dash(session.address.clone())}</td>
            <td>{action}</td>
        </tr>
        {confirm_row(row_of("session", &session.id), "5")}
    }
}

#[component]
fn KeysTable(keys: RwSignal<Option<Vec<ApiKeyInfo>>>) -> impl IntoView {
    let none = move || keys.with(|k| k.as_ref().is_some_and(Vec::is_empty));
    view! {
        <Show when=move || !none() fallback=|| view! { <p class="muted">{tx(|t| t.no_keys)}</p> }>
            <DataTable testid="keys-table" columns=vec![col(|t| t.col_key), col(|t| t.role_label), col(|t| t.col_status), col(|t| t.col_actions)]>
                {move || keys.get().unwrap_or_default().into_iter()
                    .map(|k| view! { <KeyRow key_info=k /> }).collect_view()}
            </DataTable>
        </Show>
    }
}

#[component]
fn KeyRow(key_info: ApiKeyInfo) -> impl IntoView {
    let i18n = use_i18n();
    let ApiKeyInfo {
        id, role, revoked, ..
    } = key_info;
    let action =
        (!revoked).then(|| view! { <AskButton ask=Ask::RevokeKey(id.clone()) about=id.clone() /> });
    view! {
        <tr data-key=id.clone()>
            <th scope="row"><code>{id.clone()}</code></th>
            <td>{move || i18n.get().role(role)}</td>
            <td>{move || if revoked { i18n.t().key_revoked_state } else { i18n.t().status_active }}</td>
            <td>{action}</td>
        </tr>
        {confirm_row(row_of("key", &id), "4")}
    }
}
