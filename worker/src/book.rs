//! What the customer book and the product catalogue share (issue 18): their routes under
//! `/console/customers` and `/console/products`, a list's query (type-ahead search by prefix,
//! keyset pages in name order), the ids the proxy gives, archiving, and the audit rows of
//! their changes (which name entries and fields, never personal data).

use frontdesk_core::book::{ImportAction, ImportDone, ImportLine, MAX_IMPORT_ROWS};
use frontdesk_core::envelope::ApiMessage;
use frontdesk_core::roles::{Action, Role};
use frontdesk_core::validate::{Code, Issue, Params, Report, Validated};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::audit;
use crate::auth::Principal;
use crate::error::ProxyError;
use crate::index::{limit_param, param};
use crate::sql::{Query, cursor};

/// The customer book or the product catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shelf {
    Customers,
    Products,
}

/// Random bytes in an id (80 bits: no collision in a merchant's lifetime of entries).
pub const ID_BYTES: usize = 10;

impl Shelf {
    /// The prefix of its ids: `cus_`, `prd_`.
    pub const fn prefix(self) -> &'static str {
        match self {
            Shelf::Customers => "cus_",
            Shelf::Products => "prd_",
        }
    }

    /// Its table in D1 (migration 0007).
    pub const fn table(self) -> &'static str {
        match self {
            Shelf::Customers => "customers",
            Shelf::Products => "products",
        }
    }

    /// Is `s` an id of this shelf: the prefix and 20 lower-case hex digits.
    pub fn is_id(self, s: &str) -> bool {
        s.strip_prefix(self.prefix()).is_some_and(|h| {
            h.len() == 2 * ID_BYTES && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
    }

    /// A new id from [`ID_BYTES`] random bytes.
    pub fn new_id(self, random: &[u8]) -> String {
        format!("{}{}", self.prefix(), hex::encode(random))
    }

    /// The member naming one entry in an audit `detail`: `customer`, `product`.
    pub const fn key(self) -> &'static str {
        match self {
            Shelf::Customers => "customer",
            Shelf::Products => "product",
        }
    }

    /// The 404 of an id that is not on the shelf.
    pub const fn not_found(self) -> ProxyError {
        match self {
            Shelf::Customers => ProxyError::UnknownCustomer,
            Shelf::Products => ProxyError::UnknownProduct,
        }
    }

    /// The message of a read (a page, one entry).
    pub const fn retrieved(self) -> ApiMessage {
        match self {
            Shelf::Customers => ApiMessage::CustomersRetrievedSuccessfully,
            Shelf::Products => ApiMessage::ProductsRetrievedSuccessfully,
        }
    }

    /// The message of a create, an update or an archiving.
    pub const fn saved(self) -> ApiMessage {
        match self {
            Shelf::Customers => ApiMessage::CustomerSaved,
            Shelf::Products => ApiMessage::ProductSaved,
        }
    }

    /// The audit actions of its changes.
    pub const fn actions(self) -> ShelfActions {
        match self {
            Shelf::Customers => ShelfActions {
                created: actions::CUSTOMER_CREATED,
                updated: actions::CUSTOMER_UPDATED,
                archived: actions::CUSTOMER_ARCHIVED,
                imported: actions::CUSTOMERS_IMPORTED,
            },
            Shelf::Products => ShelfActions {
                created: actions::PRODUCT_CREATED,
                updated: actions::PRODUCT_UPDATED,
                archived: actions::PRODUCT_ARCHIVED,
                imported: actions::PRODUCTS_IMPORTED,
            },
        }
    }
}

/// The audit actions both shelves have (the book's erasure and export are its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShelfActions {
    pub created: &'static str,
    pub updated: &'static str,
    pub archived: &'static str,
    pub imported: &'static str,
}

/// An entry of a shelf as the shared queries and handlers see it: its table's columns, its row
/// as D1 gives it, the JSON its upsert reads, and how a reader's role shows it. What only one
/// shelf does (the book's matching, erasure and export; the catalogue's product ids) stays in
/// its own file (`customers.rs`, `products.rs`).
pub trait Shelved: Sized + Clone + Serialize {
    /// The shelf it is kept on.
    const SHELF: Shelf;
    /// The columns it is read back from.
    const COLUMNS: &'static str;
    /// The stored columns, `id` first, in the order of the JSON [`Shelved::saved_row`] gives.
    const SAVED: &'static [&'static str];
    /// Entries per upsert statement (a JSON parameter well under D1's 2 MB value).
    const SAVE_CHUNK: usize;
    /// A row of its table as D1 gives it (numbers as floats).
    type Row: DeserializeOwned;

    /// The typed entry of a row; `None` when the row is unreadable.
    fn from_row(row: Self::Row) -> Option<Self>;
    /// A row's (lower-case name, id): where the page after it starts.
    fn row_key(row: &Self::Row) -> (&str, &str);
    /// Its id (`cus_…`, `prd_…`).
    fn id(&self) -> &str;
    /// The JSON object [`save_sql`] reads: the stored columns and the keys searched.
    fn saved_row(&self) -> Value;
    /// Where a list's search looks for a reader of `role`.
    fn search(role: Role) -> Search<'static>;
    /// The entry as a reader of `role` sees it (all of it, unless the shelf says otherwise).
    fn shown(self, _role: Role) -> Self {
        self
    }
}

/// One entry by id.
pub fn get_sql<T: Shelved>(id: &str) -> Query {
    let mut q = Query::new("");
    let i = q.bind(id);
    q.sql = format!(
        "SELECT {} FROM {} WHERE id = {i}",
        T::COLUMNS,
        T::SHELF.table()
    );
    q
}

/// How many entries a search of a reader of `role` matches (see [`ListQuery::matches_sql`]).
pub fn matches_sql<T: Shelved>(query: &ListQuery, role: Role) -> Option<Query> {
    query.matches_sql(T::SHELF.table(), &T::search(role))
}

/// A page of a shelf as a reader of `role` may search it, `matches` as counted.
pub fn page_sql<T: Shelved>(query: &ListQuery, role: Role, matches: i64) -> Query {
    query.page_sql(T::SHELF.table(), T::COLUMNS, &T::search(role), matches)
}

/// Insert or update entries, [`Shelved::SAVE_CHUNK`] per statement (D1 counts statements per
/// request, so an import is one or a few); creation columns are never overwritten.
pub fn save_sql<T: Shelved>(entries: &[T]) -> Vec<Query> {
    entries
        .chunks(T::SAVE_CHUNK)
        .map(|chunk| {
            let rows: Vec<Value> = chunk.iter().map(T::saved_row).collect();
            let mut q = Query::new("");
            let p = q.bind(Value::Array(rows).to_string());
            let values: Vec<String> = T::SAVED
                .iter()
                .map(|c| format!("json_extract(value, '$.{c}')"))
                .collect();
            let updates: Vec<String> = T::SAVED
                .iter()
                .skip(1)
                .filter(|c| !c.starts_with("created_"))
                .map(|c| format!("{c}=excluded.{c}"))
                .collect();
            q.sql = format!(
                "INSERT INTO {} ({}) SELECT {} FROM json_each({p}) WHERE true \
                 ON CONFLICT(id) DO UPDATE SET {}",
                T::SHELF.table(),
                T::SAVED.join(", "),
                values.join(", "),
                updates.join(", ")
            );
            q
        })
        .collect()
}

/// What a request to a shelf does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BookOp {
    /// `GET /console/{shelf}?q=&cursor=&limit=&archived=`
    List,
    /// `POST /console/{shelf}`
    Create,
    /// `POST /console/{shelf}/import/preview` (a CSV body): every row checked, nothing written.
    ImportPreview,
    /// `POST /console/{shelf}/import` (the accepted rows as JSON): all rows or none.
    Import,
    /// `GET /console/{shelf}/{id}`
    Get(String),
    /// `PUT /console/{shelf}/{id}`
    Update(String),
    /// `POST /console/{shelf}/{id}/archive` `{"archived": bool}`
    Archive(String),
    /// `DELETE /console/customers/{id}`: erase a customer (GDPR).
    Erase(String),
    /// `GET /console/customers/{id}/export`: everything kept about one customer.
    Export(String),
}

impl BookOp {
    /// Viewers read, clerks and admins change, admins erase.
    pub const fn action(&self) -> Action {
        match self {
            BookOp::List | BookOp::Get(_) => Action::ConsoleRead,
            BookOp::Erase(_) => Action::BookErase,
            _ => Action::BookEdit,
        }
    }

    /// Does it change state (and so need the same-origin check with a cookie)? The preview
    /// writes nothing but takes a body by POST, so it is checked like a write.
    pub const fn is_write(&self) -> bool {
        !matches!(self, BookOp::List | BookOp::Get(_) | BookOp::Export(_))
    }
}

fn only(method: &str, allowed: &[&str], op: BookOp) -> Result<BookOp, ProxyError> {
    if allowed.contains(&method) {
        Ok(op)
    } else {
        Err(ProxyError::MethodNotAllowed)
    }
}

/// Route the path below `/console/customers` or `/console/products`: `rest` without its
/// leading `/`, empty for the list itself. Ids of the wrong shape are 404s.
pub fn route(shelf: Shelf, method: &str, rest: &str) -> Result<BookOp, ProxyError> {
    const GET: &[&str] = &["GET", "HEAD"];
    const POST: &[&str] = &["POST"];
    let customers = shelf == Shelf::Customers;
    let (allowed, op): (&[&str], BookOp) = match rest.split_once('/') {
        None if rest.is_empty() => {
            return match method {
                "POST" => Ok(BookOp::Create),
                _ => only(method, GET, BookOp::List),
            };
        }
        None if rest == "import" => (POST, BookOp::Import),
        None if shelf.is_id(rest) => {
            let id = rest.to_owned();
            return match method {
                "PUT" => Ok(BookOp::Update(id)),
                "DELETE" if customers => Ok(BookOp::Erase(id)),
                _ => only(method, GET, BookOp::Get(id)),
            };
        }
        Some(("import", "preview")) => (POST, BookOp::ImportPreview),
        Some((id, "archive")) if shelf.is_id(id) => (POST, BookOp::Archive(id.to_owned())),
        Some((id, "export")) if customers && shelf.is_id(id) => {
            (GET, BookOp::Export(id.to_owned()))
        }
        _ => return Err(ProxyError::NotFound),
    };
    only(method, allowed, op)
}

/// Which entries a list shows: active (the default, what the order form offers), archived,
/// or all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Archived {
    Active,
    Archived,
    All,
}

pub const DEFAULT_LIMIT: u32 = 25;
/// Large enough for the console to build a CSV export from a few pages.
pub const MAX_LIMIT: u32 = 1000;

/// `GET /console/{shelf}?q=&cursor=&limit=&archived=0|1|all`, in name order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub q: Option<String>,
    /// After this (lower-case name, id).
    pub cursor: Option<(String, String)>,
    pub limit: u32,
    pub archived: Archived,
}

impl ListQuery {
    pub fn parse(pairs: &[(String, String)]) -> Result<ListQuery, ProxyError> {
        let cursor = param(pairs, "cursor")
            .map(|c| cursor::decode_text(c).ok_or(ProxyError::BadQuery("cursor")))
            .transpose()?;
        let limit = limit_param(pairs, MAX_LIMIT, DEFAULT_LIMIT)?;
        let archived = match param(pairs, "archived") {
            None | Some("0" | "false") => Archived::Active,
            Some("1" | "true") => Archived::Archived,
            Some("all") => Archived::All,
            Some(_) => return Err(ProxyError::BadQuery("archived")),
        };
        Ok(ListQuery {
            q: param(pairs, "q").map(|q| q.chars().take(100).collect()),
            cursor,
            limit,
            archived,
        })
    }

    /// How many entries the search matches, counted up to [`SORTED_MATCHES_MAX`] + 1, each
    /// searched column by its own index; `None` without a search.
    pub fn matches_sql(&self, table: &str, search: &Search<'_>) -> Option<Query> {
        let mut q = Query::new("");
        let matched = self.matched_ids(&mut q, table, search)?;
        let cap = q.bind(SORTED_MATCHES_MAX + 1);
        q.sql = format!("SELECT count(*) AS n FROM ({matched} LIMIT {cap})");
        Some(q)
    }

    /// The page of `table` (`select` its columns): matches of the search in name order after
    /// the cursor, `limit + 1` rows to know whether another page follows. `matches` is what
    /// [`ListQuery::matches_sql`] counted: a few are found by each searched column's index and
    /// sorted; many (a first letter, a common prefix of numbers) are found faster by walking
    /// the `{table}_name` index in order, which stops at the page's end.
    pub fn page_sql(&self, table: &str, select: &str, search: &Search<'_>, matches: i64) -> Query {
        let mut q = Query::new("");
        let sparse = if matches <= SORTED_MATCHES_MAX {
            self.matched_ids(&mut q, table, search)
        } else {
            None
        };
        let mut conds = Vec::new();
        match self.archived {
            Archived::Active => conds.push("archived = 0".to_owned()),
            Archived::Archived => conds.push("archived = 1".to_owned()),
            Archived::All => {}
        }
        if sparse.is_none()
            && let Some(branches) = self.q.as_deref().and_then(|t| search.branches(&mut q, t))
        {
            conds.push(format!("({})", branches.join(" OR ")));
        }
        if let Some((key, tie)) = &self.cursor {
            let (k, t) = (q.bind(key.as_str()), q.bind(tie.as_str()));
            conds.push(format!("(name_lc > {k} OR (name_lc = {k} AND id > {t}))"));
        }
        let limit = q.bind(i64::from(self.limit) + 1);
        let filter = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        let from = match sparse {
            // CROSS JOIN keeps SQLite from walking the table and probing the matches instead.
            Some(ids) => format!(
                "WITH m(id) AS MATERIALIZED ({ids}) SELECT {select} FROM m CROSS JOIN {table} USING (id)"
            ),
            None if self.q.is_some() => {
                format!("SELECT {select} FROM {table} INDEXED BY {table}_name")
            }
            None => format!("SELECT {select} FROM {table}"),
        };
        q.sql = format!("{from}{filter} ORDER BY name_lc, id LIMIT {limit}");
        q
    }

    /// The ids the search matches: one indexed range per searched column, which SQLite unites
    /// (its multi-index OR; D1 allows too few terms for a compound `UNION`).
    fn matched_ids(&self, q: &mut Query, table: &str, search: &Search<'_>) -> Option<String> {
        let branches = search.branches(q, self.q.as_deref()?)?;
        Some(format!(
            "SELECT id FROM {table} WHERE {}",
            branches.join(" OR ")
        ))
    }
}

/// Past this many matches a search is dense: walking the name index finds its first page
/// sooner than sorting them all (10,000 companies share `910…`; 2,000 sort in a few ms).
pub const SORTED_MATCHES_MAX: i64 = 2000;

/// The cursor of the page after a full one, from its last row's name key and id.
pub fn next_cursor(name_lc: &str, id: &str) -> String {
    cursor::encode_text(name_lc, id)
}

/// Where a list's search looks: `text` columns (lower case) by the prefix typed, `digits`
/// columns (phones, numbers) by the prefix of the digits typed when the text is a number
/// (`465 67 468`, `+47 465…`, `923 609 016`).
#[derive(Debug, Clone, Copy)]
pub struct Search<'a> {
    pub text: &'a [&'a str],
    pub digits: &'a [&'a str],
}

impl Search<'_> {
    /// One condition per searched column (each answered by that column's index); `None` for
    /// a blank search.
    fn branches(&self, q: &mut Query, typed: &str) -> Option<Vec<String>> {
        let lc = typed
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if lc.is_empty() {
            return None;
        }
        let mut ors: Vec<String> = self.text.iter().map(|c| prefix(q, c, &lc)).collect();
        let digits: String = typed.chars().filter(char::is_ascii_digit).collect();
        let others = typed.trim().chars().filter(|c| !c.is_ascii_digit()).count();
        if digits.len() >= 3 && others <= 4 {
            ors.extend(self.digits.iter().map(|c| prefix(q, c, &digits)));
        }
        Some(ors)
    }
}

/// `col` starts with `prefix`, as a range its index answers.
fn prefix(q: &mut Query, col: &str, prefix: &str) -> String {
    let (lo, hi) = (q.bind(prefix), q.bind(format!("{prefix}\u{10FFFF}")));
    format!("({col} >= {lo} AND {col} < {hi})")
}

/// Archive (or bring back) one entry; 0 changes when there is none.
pub fn archive_sql(shelf: Shelf, id: &str, archived: bool, by: &str, at: i64) -> Query {
    let mut q = Query::new("");
    let (a, b, t, i) = (
        q.bind(i64::from(archived)),
        q.bind(by),
        q.bind(at),
        q.bind(id),
    );
    q.sql = format!(
        "UPDATE {} SET archived = {a}, updated_by = {b}, updated_at = {t} WHERE id = {i}",
        shelf.table()
    );
    q
}

/// The audit actions of the book and the catalogue.
pub mod actions {
    pub const CUSTOMER_CREATED: &str = "customerCreated";
    pub const CUSTOMER_UPDATED: &str = "customerUpdated";
    pub const CUSTOMER_ARCHIVED: &str = "customerArchived";
    /// An order sent through Frontdesk created or updated the entry.
    pub const CUSTOMER_REMEMBERED: &str = "customerRemembered";
    pub const CUSTOMER_ERASED: &str = "customerErased";
    /// A customer's data was exported (an access request).
    pub const CUSTOMER_EXPORTED: &str = "customerExported";
    /// An order's customer could be several entries: none was changed (a person decides).
    pub const CUSTOMER_AMBIGUOUS: &str = "customerMatchAmbiguous";
    /// One row per import: `{"customers": [ids], …}`.
    pub const CUSTOMERS_IMPORTED: &str = "customersImported";
    pub const PRODUCT_CREATED: &str = "productCreated";
    pub const PRODUCT_UPDATED: &str = "productUpdated";
    pub const PRODUCT_ARCHIVED: &str = "productArchived";
    pub const PRODUCTS_IMPORTED: &str = "productsImported";

    /// The actions whose `detail` names one customer (`{"customer": id, …}`): the rows the
    /// partial index `audit_log_customer` (migration 0007) finds by that id.
    pub const ONE_CUSTOMER: [&str; 6] = [
        CUSTOMER_CREATED,
        CUSTOMER_UPDATED,
        CUSTOMER_ARCHIVED,
        CUSTOMER_REMEMBERED,
        CUSTOMER_ERASED,
        CUSTOMER_EXPORTED,
    ];
}

/// [`actions::ONE_CUSTOMER`] as the SQL list the partial index is declared with (the same
/// text, or SQLite will not use the index).
pub fn one_customer_actions_sql() -> String {
    actions::ONE_CUSTOMER
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The audit action of an operation on a shelf; `None` for reads and the preview (nothing
/// changes, nothing personal is read out).
pub fn action_of(shelf: Shelf, op: &BookOp) -> Option<&'static str> {
    use BookOp::*;
    let shared = shelf.actions();
    Some(match (shelf, op) {
        (_, List | Get(_) | ImportPreview) | (Shelf::Products, Erase(_) | Export(_)) => {
            return None;
        }
        (_, Create) => shared.created,
        (_, Update(_)) => shared.updated,
        (_, Archive(_)) => shared.archived,
        (_, Import) => shared.imported,
        (Shelf::Customers, Erase(_)) => actions::CUSTOMER_ERASED,
        (Shelf::Customers, Export(_)) => actions::CUSTOMER_EXPORTED,
    })
}

/// The `detail` naming what an operation is about: `{"customer": id}`, `{"product": id}`, or
/// `{}` (a create, an import).
pub fn subject(shelf: Shelf, op: &BookOp) -> Value {
    let key = shelf.key();
    match op {
        BookOp::Get(id)
        | BookOp::Update(id)
        | BookOp::Archive(id)
        | BookOp::Erase(id)
        | BookOp::Export(id) => serde_json::json!({ key: id }),
        BookOp::List | BookOp::Create | BookOp::ImportPreview | BookOp::Import => {
            serde_json::json!({})
        }
    }
}

/// The audit row of an attempt that failed or was refused: the action it tried, its status
/// and reason.
pub fn failure(
    at: i64,
    principal: &Principal,
    shelf: Shelf,
    op: &BookOp,
    e: &ProxyError,
) -> Option<audit::Entry> {
    let action = action_of(shelf, op)?;
    Some(audit::Entry {
        status: e.status(),
        message: match e {
            ProxyError::Forbidden(why) => (*why).to_owned(),
            other => other.envelope().message,
        },
        ..entry(at, principal, action, None, &subject(shelf, op))
    })
}

/// Who imports, when.
#[derive(Debug, Clone, Copy)]
pub struct Importer<'a> {
    pub principal: &'a Principal,
    pub now_ms: i64,
}

/// What an import writes (the upserts and one audit row, run as one batch: all or nothing)
/// and what it did per row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    pub queries: Vec<Query>,
    pub done: Vec<ImportDone>,
}

/// An import under way: the entries it knows (the shelf's that the rows may be, then the ones
/// the rows create) and which of them it writes.
#[derive(Debug, Clone)]
pub struct Imported<T> {
    known: Vec<T>,
    touched: Vec<usize>,
}

impl<T: Shelved> Imported<T> {
    /// An import into a shelf holding `known`.
    pub fn new(known: Vec<T>) -> Imported<T> {
        Imported {
            known,
            touched: Vec::new(),
        }
    }

    /// The entries known so far (what a later row may be).
    pub fn known(&self) -> &[T] {
        &self.known
    }

    /// A row's new entry.
    pub fn create(&mut self, entry: T) -> ImportAction {
        let id = entry.id().to_owned();
        self.touched.push(self.known.len());
        self.known.push(entry);
        ImportAction::Created { id }
    }

    /// Known entry `i` as `change` makes it; `None` when there is no such entry.
    pub fn update(&mut self, i: usize, change: impl FnOnce(T) -> T) -> Option<ImportAction> {
        let slot = self.known.get_mut(i)?;
        *slot = change(slot.clone());
        self.touched.push(i);
        Some(ImportAction::Updated {
            id: slot.id().to_owned(),
        })
    }

    /// What the import writes: the upsert of every entry it touched and one audit row naming
    /// them (`{"customers": [ids]}`, `{"products": [ids]}`, and `more` members).
    pub fn plan(
        mut self,
        done: Vec<ImportDone>,
        who: Importer<'_>,
        more: Map<String, Value>,
    ) -> ImportPlan {
        self.touched.sort_unstable();
        self.touched.dedup();
        let saved: Vec<T> = self
            .touched
            .iter()
            .filter_map(|&i| self.known.get(i).cloned())
            .collect();
        let ids: Vec<&str> = saved.iter().map(Shelved::id).collect();
        let mut detail = more;
        detail.insert(T::SHELF.table().to_owned(), serde_json::json!(ids));
        let action = T::SHELF.actions().imported;
        let detail = Value::Object(detail);
        let audit = entry(who.now_ms, who.principal, action, None, &detail);
        let mut queries = save_sql(&saved);
        queries.push(audit.insert());
        ImportPlan { queries, done }
    }
}

/// The accepted rows of an import body, each checked again by `validate`: all of them, or a
/// report of every refused row's issues under `rows.{index}.` (so nothing is half-imported).
pub fn validate_rows<T>(
    rows: Vec<ImportLine<Value>>,
    validate: impl Fn(&Value) -> Result<Validated<T>, Report>,
) -> Result<Vec<(usize, T)>, Report> {
    if rows.len() > MAX_IMPORT_ROWS {
        let params = Params {
            max: Some(MAX_IMPORT_ROWS.to_string()),
            ..Params::default()
        };
        return Err(Report {
            errors: vec![Issue {
                params,
                ..Issue::new("rows", Code::MaxItems)
            }],
            warnings: Vec::new(),
        });
    }
    let mut report = Report::default();
    let mut accepted = Vec::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        match validate(&row.value) {
            Ok(v) => accepted.push((row.line, v.value)),
            Err(r) => report
                .errors
                .extend(r.errors.into_iter().map(|issue| Issue {
                    field: format!("rows.{i}.{}", issue.field),
                    ..issue
                })),
        }
    }
    if report.errors.is_empty() {
        Ok(accepted)
    } else {
        Err(report)
    }
}

/// The audit row of a change by `principal`: `detail` names the entry and what changed.
pub fn entry(
    at: i64,
    principal: &Principal,
    action: &str,
    order_uuid: Option<&str>,
    detail: &Value,
) -> audit::Entry {
    entry_by(
        at,
        (&principal.id(), principal.role),
        action,
        order_uuid,
        detail,
    )
}

/// [`entry`] for a maker known by id and role (a write's [`RememberOrder`](crate::customers::RememberOrder)).
pub fn entry_by(
    at: i64,
    (by, role): (&str, Role),
    action: &str,
    order_uuid: Option<&str>,
    detail: &Value,
) -> audit::Entry {
    audit::Entry {
        order_uuid: order_uuid.map(str::to_owned),
        detail: Some(detail.to_string()),
        ..audit::by(at, by.to_owned(), role.as_str(), action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{has_text, owned_pairs as pairs};
    use crate::sql::SqlValue;

    const ID: &str = "cus_0123456789abcdef0123";

    #[test]
    fn ids_have_a_shape() {
        assert!(Shelf::Customers.is_id(ID));
        assert!(!Shelf::Products.is_id(ID));
        assert!(!Shelf::Customers.is_id("cus_0123456789ABCDEF0123"));
        assert!(!Shelf::Customers.is_id("cus_0123"));
        assert_eq!(Shelf::Products.new_id(&[0xab; ID_BYTES]).len(), 24);
        assert!(Shelf::Products.is_id(&Shelf::Products.new_id(&[7; ID_BYTES])));
    }

    #[test]
    fn routes_and_roles() {
        let c = |m: &str, rest: &str| route(Shelf::Customers, m, rest);
        assert_eq!(c("GET", ""), Ok(BookOp::List));
        assert_eq!(c("POST", ""), Ok(BookOp::Create));
        assert_eq!(c("POST", "import/preview"), Ok(BookOp::ImportPreview));
        assert_eq!(c("POST", "import"), Ok(BookOp::Import));
        assert_eq!(c("GET", ID), Ok(BookOp::Get(ID.into())));
        assert_eq!(c("PUT", ID), Ok(BookOp::Update(ID.into())));
        assert_eq!(c("DELETE", ID), Ok(BookOp::Erase(ID.into())));
        let archive = format!("{ID}/archive");
        assert_eq!(c("POST", &archive), Ok(BookOp::Archive(ID.into())));
        let export = format!("{ID}/export");
        assert_eq!(c("GET", &export), Ok(BookOp::Export(ID.into())));
        for (m, rest, e) in [
            ("DELETE", "", ProxyError::MethodNotAllowed),
            ("GET", "import", ProxyError::MethodNotAllowed),
            ("PATCH", ID, ProxyError::MethodNotAllowed),
            ("GET", "cus_nope", ProxyError::NotFound),
            ("GET", "import/other", ProxyError::NotFound),
            ("GET", archive.as_str(), ProxyError::MethodNotAllowed),
        ] {
            assert_eq!(c(m, rest), Err(e), "{m} {rest}");
        }
        // Products are archived, never erased, and have no data export.
        let pid = "prd_0123456789abcdef0123";
        let p = |m: &str, rest: &str| route(Shelf::Products, m, rest);
        assert_eq!(p("DELETE", pid), Err(ProxyError::MethodNotAllowed));
        assert_eq!(
            p("GET", &format!("{pid}/export")),
            Err(ProxyError::NotFound)
        );
        assert_eq!(p("PUT", pid), Ok(BookOp::Update(pid.into())));
        assert_eq!(p("GET", ID), Err(ProxyError::NotFound));

        assert_eq!(BookOp::List.action(), Action::ConsoleRead);
        assert_eq!(BookOp::Import.action(), Action::BookEdit);
        assert_eq!(BookOp::Export(ID.into()).action(), Action::BookEdit);
        assert_eq!(BookOp::Erase(ID.into()).action(), Action::BookErase);
        assert!(BookOp::ImportPreview.is_write() && !BookOp::Export(ID.into()).is_write());
    }

    #[test]
    fn list_queries_page_by_name_and_search_by_prefix() {
        let q = ListQuery::parse(&[]).unwrap_or_else(|_| panic!());
        assert_eq!((q.limit, q.archived), (DEFAULT_LIMIT, Archived::Active));
        for bad in [
            ("limit", "0"),
            ("limit", "1001"),
            ("archived", "maybe"),
            ("cursor", "!"),
        ] {
            assert_eq!(
                ListQuery::parse(&pairs(&[bad])).err(),
                Some(ProxyError::BadQuery(bad.0)),
                "{bad:?}"
            );
        }
        let search = Search {
            text: &["name_lc", "email_lc"],
            digits: &["phone", "msisdn"],
        };
        let next = next_cursor("kari nordmann", ID);
        let q = ListQuery::parse(&pairs(&[
            ("q", " Kari  N "),
            ("cursor", &next),
            ("archived", "all"),
            ("limit", "10"),
        ]))
        .unwrap_or_else(|_| panic!());
        // Many matches: the name index walked in order, the search as one condition.
        let sql = q.page_sql("customers", "id", &search, SORTED_MATCHES_MAX + 1);
        assert!(!sql.sql.contains("archived ="), "{}", sql.sql);
        assert!(
            sql.sql
                .starts_with("SELECT id FROM customers INDEXED BY customers_name WHERE ((name_lc >= ?1 AND name_lc < ?2) OR"),
            "{}",
            sql.sql
        );
        assert!(!sql.sql.contains("phone"), "not a number: {}", sql.sql);
        assert!(
            sql.sql
                .contains("(name_lc > ?5 OR (name_lc = ?5 AND id > ?6))")
        );
        assert!(
            sql.sql.ends_with("ORDER BY name_lc, id LIMIT ?7"),
            "{}",
            sql.sql
        );
        assert!(has_text(&sql.params, "kari n") && has_text(&sql.params, "kari nordmann"));
        assert_eq!(sql.params.last(), Some(&SqlValue::Int(11)));
        // Few: each column's range by its index, united, then sorted.
        let few = q.page_sql("customers", "id", &search, SORTED_MATCHES_MAX);
        assert!(
            few.sql.starts_with(
                "WITH m(id) AS MATERIALIZED (SELECT id FROM customers WHERE (name_lc >= ?1 AND name_lc < ?2) OR (email_lc >= ?3 AND email_lc < ?4)) SELECT id FROM m CROSS JOIN customers USING (id) WHERE (name_lc > ?5"
            ),
            "{}",
            few.sql
        );
        assert_eq!(few.params, sql.params);
        let count = q
            .matches_sql("customers", &search)
            .unwrap_or_else(|| panic!());
        assert!(
            count.sql.starts_with(
                "SELECT count(*) AS n FROM (SELECT id FROM customers WHERE (name_lc >= ?1"
            ),
            "{}",
            count.sql
        );
        assert_eq!(
            count.params.last(),
            Some(&SqlValue::Int(SORTED_MATCHES_MAX + 1))
        );
        let phone = ListQuery::parse(&pairs(&[("q", "+47 465 67")])).unwrap_or_else(|_| panic!());
        let sql = phone.page_sql("customers", "id", &search, SORTED_MATCHES_MAX + 1);
        assert!(sql.sql.starts_with(
            "SELECT id FROM customers INDEXED BY customers_name WHERE archived = 0 AND ("
        ));
        assert!(sql.sql.contains("(msisdn >= ?"), "{}", sql.sql);
        assert!(has_text(&sql.params, "4746567"));
        // No search: nothing to count, the plain list.
        let all = ListQuery::parse(&[]).unwrap_or_else(|_| panic!());
        assert!(all.matches_sql("customers", &search).is_none());
        assert_eq!(
            all.page_sql("customers", "id", &search, 0).sql,
            "SELECT id FROM customers WHERE archived = 0 ORDER BY name_lc, id LIMIT ?1"
        );
        let blank = ListQuery::parse(&pairs(&[("q", "   ")])).unwrap_or_else(|_| panic!());
        assert_eq!(blank.q, None);
    }

    #[test]
    fn failed_writes_are_audited_reads_are_not() {
        let p = Principal {
            name: "vera".into(),
            role: frontdesk_core::roles::Role::Viewer,
            via: crate::auth::Via::ApiKey,
            session: None,
        };
        let refused = ProxyError::Forbidden("roleNotAllowed");
        let e = failure(1, &p, Shelf::Customers, &BookOp::Erase(ID.into()), &refused);
        let e = e.unwrap_or_else(|| panic!());
        assert_eq!(
            (e.action.as_str(), e.status),
            (actions::CUSTOMER_ERASED, 403)
        );
        assert_eq!(e.message, "roleNotAllowed");
        assert_eq!(
            e.detail.as_deref(),
            Some(r#"{"customer":"cus_0123456789abcdef0123"}"#)
        );
        assert!(failure(1, &p, Shelf::Products, &BookOp::List, &refused).is_none());
        assert_eq!(
            action_of(Shelf::Products, &BookOp::Import),
            Some(actions::PRODUCTS_IMPORTED)
        );
        assert_eq!(
            subject(Shelf::Products, &BookOp::Create),
            serde_json::json!({})
        );
    }

    #[test]
    fn imports_are_checked_again_all_or_nothing() {
        let rows = vec![
            ImportLine {
                line: 2,
                value: serde_json::json!({"n": 1}),
            },
            ImportLine {
                line: 3,
                value: serde_json::json!({"n": "x"}),
            },
        ];
        let check = |v: &Value| match v["n"].as_i64() {
            Some(n) => Ok(Validated {
                value: n,
                warnings: Vec::new(),
            }),
            None => Err(Report {
                errors: vec![Issue::new("customerDetails.name", Code::Required)],
                warnings: Vec::new(),
            }),
        };
        let r = validate_rows(rows.clone(), check).err().unwrap_or_default();
        assert_eq!(
            r.error_codes("rows.1.customerDetails.name"),
            [Code::Required]
        );
        assert_eq!(
            validate_rows(rows[..1].to_vec(), check).ok(),
            Some(vec![(2, 1)])
        );
        let many = vec![rows[0].clone(); MAX_IMPORT_ROWS + 1];
        let r = validate_rows(many, check).err().unwrap_or_default();
        assert_eq!(r.error_codes("rows"), [Code::MaxItems]);
    }

    #[test]
    fn archiving_and_audit_rows() {
        let a = archive_sql(Shelf::Products, "prd_1", true, "user:a", 5);
        assert!(a.sql.starts_with("UPDATE products SET archived = ?1"));
        assert_eq!(a.params[0], SqlValue::Int(1));
        assert_eq!(
            one_customer_actions_sql(),
            "'customerCreated', 'customerUpdated', 'customerArchived', 'customerRemembered', 'customerErased', 'customerExported'"
        );
        let p = Principal {
            name: "kari".into(),
            role: frontdesk_core::roles::Role::Clerk,
            via: crate::auth::Via::Session,
            session: None,
        };
        let e = entry(
            7,
            &p,
            actions::CUSTOMER_CREATED,
            None,
            &serde_json::json!({"customer": ID}),
        );
        assert_eq!((e.actor.as_str(), e.role.as_str()), ("user:kari", "clerk"));
        assert_eq!(
            e.detail.as_deref(),
            Some(r#"{"customer":"cus_0123456789abcdef0123"}"#)
        );
    }
}
