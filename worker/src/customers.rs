//! The customer book in D1 (`customers`, migration 0007), as plain queries: rows, the page and
//! type-ahead search, the upsert of created and changed entries, what an order sent through
//! Frontdesk teaches the book ([`remember_from_order`]), imports ([`plan_import`]), and one
//! customer's data export and erasure.

use frontdesk_core::book::matching::number_holders;
use frontdesk_core::book::{
    Customer, CustomerInput, ImportAction, ImportDone, Keys, Match, match_customer,
};
use frontdesk_core::roles::Role;
use frontdesk_core::{CustomerDetails, CustomerType, Endpoint, OrderKind};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::audit::{self, NOTE_ACTION};
use crate::book::{self, ImportPlan, Imported, Importer, Search, Shelf, Shelved, actions};
use crate::index::{REFUNDED_SQL, last_name_first};
use crate::sql::Query;

/// The columns a customer is read back from.
pub const COLUMNS: &str = "id, details, name_lc, customer_uuid, notes, archived, created_at, created_by, updated_at, updated_by";

/// The columns searched by digits, personal numbers last.
static DIGIT_COLUMNS: [&str; 4] = ["phone", "msisdn", "org_number", "personal_number"];

/// A row of the `customers` table as D1 gives it (numbers as floats).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct CustomerRow {
    pub id: String,
    /// Core's `CustomerDetails` as JSON.
    pub details: String,
    pub name_lc: String,
    pub customer_uuid: Option<String>,
    pub notes: Option<String>,
    pub archived: f64,
    pub created_at: f64,
    pub created_by: String,
    pub updated_at: f64,
    pub updated_by: String,
}

impl CustomerRow {
    /// The typed customer; `None` when the stored details are unreadable.
    pub fn customer(self) -> Option<Customer> {
        Some(Customer {
            customer_details: serde_json::from_str(&self.details).ok()?,
            id: self.id,
            customer_uuid: self.customer_uuid,
            notes: self.notes,
            archived: self.archived != 0.0,
            created_at: self.created_at as i64,
            created_by: self.created_by,
            updated_at: self.updated_at as i64,
            updated_by: self.updated_by,
        })
    }
}

/// The typed customers of `rows`, each once (candidates found by several keys).
pub fn distinct(rows: Vec<CustomerRow>) -> Vec<Customer> {
    let mut out: Vec<Customer> = Vec::with_capacity(rows.len());
    for c in rows.into_iter().filter_map(CustomerRow::customer) {
        if !out.iter().any(|o| o.id == c.id) {
            out.push(c);
        }
    }
    out
}

/// Entries per upsert statement: a JSON parameter well under D1's 2 MB value.
pub const SAVE_CHUNK: usize = 500;

/// The stored and searched columns, in the order of the JSON [`Shelved::saved_row`] gives.
const SAVED: [&str; 17] = [
    "id",
    "customer_type",
    "details",
    "name_lc",
    "rev_lc",
    "email_lc",
    "phone",
    "msisdn",
    "org_number",
    "personal_number",
    "customer_uuid",
    "notes",
    "archived",
    "created_at",
    "created_by",
    "updated_at",
    "updated_by",
];

impl Shelved for Customer {
    const SHELF: Shelf = Shelf::Customers;
    const COLUMNS: &'static str = COLUMNS;
    const SAVED: &'static [&'static str] = &SAVED;
    const SAVE_CHUNK: usize = SAVE_CHUNK;
    type Row = CustomerRow;

    fn from_row(row: CustomerRow) -> Option<Customer> {
        row.customer()
    }

    fn row_key(row: &CustomerRow) -> (&str, &str) {
        (&row.name_lc, &row.id)
    }

    fn id(&self) -> &str {
        &self.id
    }

    /// The details and the keys the search and the matching compare (core's [`Keys`]).
    fn saved_row(&self) -> Value {
        let d = &self.customer_details;
        let keys = Keys::of(d);
        let full = d.full_name();
        json!({
            "id": self.id,
            "customer_type": d.customer_type.map(CustomerType::as_str),
            "details": serde_json::to_string(d).unwrap_or_default(),
            "name_lc": full.to_lowercase(),
            "rev_lc": last_name_first(&full),
            "email_lc": keys.email,
            "phone": keys.phone,
            "msisdn": d.msisdn,
            "org_number": keys.org_number,
            "personal_number": keys.personal_number,
            "customer_uuid": self.customer_uuid,
            "notes": self.notes,
            "archived": i64::from(self.archived),
            "created_at": self.created_at,
            "created_by": self.created_by,
            "updated_at": self.updated_at,
            "updated_by": self.updated_by,
        })
    }

    /// Names either way round and email by prefix; phones (with and without the calling
    /// code) and organisation numbers by the digits typed. Personal numbers only for those
    /// who see them whole (not viewers).
    fn search(role: Role) -> Search<'static> {
        let shown = DIGIT_COLUMNS.len() - usize::from(role == Role::Viewer);
        Search {
            text: &["name_lc", "rev_lc", "email_lc"],
            digits: DIGIT_COLUMNS.get(..shown).unwrap_or_default(),
        }
    }

    /// Viewers see the date part of a personal number.
    fn shown(self, role: Role) -> Customer {
        if role == Role::Viewer {
            self.masked()
        } else {
            self
        }
    }
}

/// Most parameters per candidates query (D1 binds at most 100).
const CANDIDATE_PARAMS: usize = 90;

/// The entries that could be the customers of `keys` (same number, email or phone), by the
/// columns' indexes; a few statements when an import brings many keys.
pub fn candidates_sql(keys: &[Keys]) -> Vec<Query> {
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for k in keys {
        for (col, v) in [
            ("personal_number", &k.personal_number),
            ("org_number", &k.org_number),
            ("email_lc", &k.email),
            ("phone", &k.phone),
        ] {
            if let Some(v) = v.as_deref()
                && !pairs.contains(&(col, v))
            {
                pairs.push((col, v));
            }
        }
    }
    pairs
        .chunks(CANDIDATE_PARAMS)
        .map(|chunk| {
            let mut q = Query::new("");
            let ors: Vec<String> = chunk
                .iter()
                .map(|(col, v)| format!("{col} = {}", q.bind(*v)))
                .collect();
            q.sql = format!("SELECT {COLUMNS} FROM customers WHERE {}", ors.join(" OR "));
            q
        })
        .collect()
}

/// Ids of other entries holding the personal or organisation number of `input` (a duplicate
/// a person is told about instead of a second entry); `except` is the entry being changed.
pub fn duplicates(
    input: &CustomerInput,
    candidates: &[Customer],
    except: Option<&str>,
) -> Vec<String> {
    number_holders(&input.customer_details, candidates)
        .into_iter()
        .filter(|c| Some(c.id.as_str()) != except)
        .map(|c| c.id.clone())
        .collect()
}

/// An order just sent through Frontdesk, as the book learns from it.
#[derive(Debug, Clone, Copy)]
pub struct RememberOrder<'a> {
    pub kind: OrderKind,
    /// The create's validated `customerDetails`.
    pub details: &'a CustomerDetails,
    pub order_uuid: &'a str,
    /// Front Payment's `customerUuid` from the create's answer.
    pub customer_uuid: Option<&'a str>,
    /// Who made the order ([`Principal::id`](crate::auth::Principal::id)) and their role.
    pub by: &'a str,
    pub role: Role,
    pub now_ms: i64,
}

/// What to write for a remembered order: the entry's upsert and the order's link to it (none
/// when the match is ambiguous), and the audit row saying what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Remembered {
    pub outcome: Match,
    pub queries: Vec<Query>,
    pub audit: audit::Entry,
}

/// The upsert of an order's customer, found among `candidates` (from [`candidates_sql`] of
/// the order's [`Keys`]) by core's matching: a new entry (id `new_id`), the same one brought
/// up to date (what the order says wins, what it left out stays), or, when several could be
/// meant, nothing but an audit row naming them.
pub fn remember_from_order(
    order: &RememberOrder<'_>,
    candidates: &[Customer],
    new_id: String,
) -> Remembered {
    let mut details = order.details.clone();
    details.customer_type = CustomerType::for_kind(order.kind, details.customer_type);
    let outcome = match_customer(&details, candidates);
    let (by, at) = (order.by.to_owned(), order.now_ms);
    let saved = match &outcome {
        Match::New => Some(
            CustomerInput {
                customer_details: details.clone(),
                notes: None,
            }
            .into_customer(new_id, &by, at),
        ),
        Match::Same { id, .. } => candidates.iter().find(|c| &c.id == id).cloned(),
        Match::Ambiguous(_) => None,
    }
    .map(|c| c.remembering(&details, order.customer_uuid, &by, at));
    let (action, detail) = match (&outcome, &saved) {
        (Match::Ambiguous(ids), _) => (actions::CUSTOMER_AMBIGUOUS, json!({"candidates": ids})),
        (Match::Same { basis, .. }, Some(c)) => (
            actions::CUSTOMER_REMEMBERED,
            json!({"customer": c.id, "match": basis.as_str()}),
        ),
        (_, c) => (
            actions::CUSTOMER_REMEMBERED,
            json!({"customer": c.as_ref().map(|c| c.id.as_str()), "match": "new"}),
        ),
    };
    let mut queries = Vec::new();
    if let Some(c) = &saved {
        queries.extend(book::save_sql(std::slice::from_ref(c)));
        queries.push(link_sql(order.order_uuid, &c.id));
    }
    let who = (order.by, order.role);
    let audit = book::entry_by(at, who, action, Some(order.order_uuid), &detail);
    Remembered {
        outcome,
        queries,
        audit,
    }
}

/// Link an indexed order to its book entry.
pub fn link_sql(order_uuid: &str, customer_id: &str) -> Query {
    let mut q = Query::new("");
    let (c, u) = (q.bind(customer_id), q.bind(order_uuid));
    q.sql = format!("UPDATE orders SET customer_id = {c} WHERE uuid = {u}");
    q
}

/// The import of accepted rows (line, value) into a book holding `candidates` (from
/// [`candidates_sql`] of the rows' keys): each row matched by core (against the book and the
/// rows before it) becomes a new entry (ids from `new_id`), updates the entry it is (its
/// values win, blanks keep what was there), or is left for a person when ambiguous.
pub fn plan_import(
    rows: Vec<(usize, CustomerInput)>,
    candidates: Vec<Customer>,
    new_id: &mut dyn FnMut() -> String,
    who: Importer<'_>,
) -> ImportPlan {
    let (by, at) = (who.principal.id(), who.now_ms);
    let mut import = Imported::new(candidates);
    let mut done = Vec::with_capacity(rows.len());
    for (line, input) in rows {
        let action = match match_customer(&input.customer_details, import.known()) {
            Match::New => import.create(input.into_customer(new_id(), &by, at)),
            Match::Same { id, .. } => {
                let update = |c: Customer| {
                    let mut updated = c.remembering(&input.customer_details, None, &by, at);
                    updated.notes = input.notes.or(updated.notes);
                    updated
                };
                let at_index = import.known().iter().position(|c| c.id == id);
                at_index
                    .and_then(|i| import.update(i, update))
                    .unwrap_or(ImportAction::Updated { id })
            }
            Match::Ambiguous(candidates) => ImportAction::Ambiguous { candidates },
        };
        done.push(ImportDone { line, action });
    }
    let count = |f: fn(&ImportAction) -> bool| json!(done.iter().filter(|d| f(&d.action)).count());
    let mut counts = Map::new();
    counts.insert(
        "created".into(),
        count(|a| matches!(a, ImportAction::Created { .. })),
    );
    counts.insert(
        "updated".into(),
        count(|a| matches!(a, ImportAction::Updated { .. })),
    );
    counts.insert(
        "ambiguous".into(),
        count(|a| matches!(a, ImportAction::Ambiguous { .. })),
    );
    import.plan(done, who, counts)
}

/// The orders of a book entry: linked to it by the book, or by Front Payment's
/// `customerUuid`.
fn of_customer(q: &mut Query, c: &Customer) -> String {
    let (i, u) = (q.bind(c.id.as_str()), q.bind(c.customer_uuid.clone()));
    format!("(customer_id = {i} OR customer_uuid = {u})")
}

/// The personal data in the order index's rows (migrations 0001, 0003, 0006): names, contact
/// details, numbers, their reference, the notes about the order, and Front Payment's id of
/// the person. Not among them: ids, kind, amounts, VAT, dates, statuses, invoice numbers.
const PERSONAL_COLUMNS: [&str; 20] = [
    "customer_name",
    "name_lc",
    "last_lc",
    "email_lc",
    "phone",
    "first_name",
    "full_name",
    "full_lc",
    "rev_lc",
    "customer_reference",
    "customer_reference_lc",
    "org_number",
    "personal_number",
    "country_code",
    "msisdn",
    "note",
    "note_by",
    "note_at",
    "cancellation_note",
    "customer_uuid",
];

/// The stored create request without its person: the customer block keeps its type only
/// (empty name and address, so it still reads as core's `CreateOrder`), their reference goes;
/// lines, amounts, dates and choices stay.
const ANONYMOUS_REQUEST: &str = "CASE WHEN json_valid(request) THEN json_remove(json_set(request, \
     '$.customerDetails', json_object('type', json_extract(request, '$.customerDetails.type'), \
     'name', '', 'address', json_object('street', '', 'zip', '', 'city', '', 'country', ''))), \
     '$.customerReference') END";

/// Erase a customer (GDPR), as one batch in this order: the audit details of their orders
/// that name them (a resend's recipients, internal and cancel notes) are cleared; their index
/// rows are anonymised ([`PERSONAL_COLUMNS`], [`ANONYMOUS_REQUEST`]); the entry goes. Order
/// ids, amounts, VAT and statuses stay: Norwegian bookkeeping law keeps them five years.
pub fn erase_sql(c: &Customer) -> Vec<Query> {
    let mut audit = Query::new("");
    let orders = of_customer(&mut audit, c);
    let named = [
        Endpoint::Resend.name(),
        Endpoint::Cancel.name(),
        NOTE_ACTION,
    ]
    .iter()
    .map(|a| format!("'{a}'"))
    .collect::<Vec<_>>()
    .join(", ");
    audit.sql = format!(
        "UPDATE audit_log SET detail = NULL WHERE order_uuid IN (SELECT uuid FROM orders WHERE {orders}) \
         AND action IN ({named}) AND detail IS NOT NULL"
    );
    let mut anonymise = Query::new("");
    let orders = of_customer(&mut anonymise, c);
    let cleared: Vec<String> = PERSONAL_COLUMNS
        .iter()
        .map(|col| format!("{col} = NULL"))
        .collect();
    anonymise.sql = format!(
        "UPDATE orders SET {}, request = {ANONYMOUS_REQUEST} WHERE {orders}",
        cleared.join(", ")
    );
    let mut delete = Query::new("");
    let i = delete.bind(c.id.as_str());
    delete.sql = format!("DELETE FROM customers WHERE id = {i}");
    vec![audit, anonymise, delete]
}

/// The orders of a customer for their data export: what each was sent with (the stored
/// request), its amount, status and notes.
pub fn export_orders_sql(c: &Customer) -> Query {
    let mut q = Query::new("");
    let orders = of_customer(&mut q, c);
    q.sql = format!(
        "SELECT uuid, kind, status, amount_ore AS amountOre, {REFUNDED_SQL} AS refundedOre, \
         created_at AS createdAt, created_by AS createdBy, order_date AS orderDate, \
         invoice_number AS invoiceNumber, note, cancellation_note AS cancellationNote, request \
         FROM orders WHERE {orders} ORDER BY created_at, uuid LIMIT 1000"
    );
    q
}

/// The audit rows about a customer for their data export: the book's rows naming them (by
/// the partial index), the rows of their orders, and the imports that wrote them.
pub fn export_audit_sql(c: &Customer) -> Query {
    let mut q = Query::new("");
    let id = q.bind(c.id.as_str());
    let orders = of_customer(&mut q, c);
    let cols = "id, at, actor, role, action, order_uuid AS orderUuid, amount_ore AS amountOre, \
                status, message, detail";
    q.sql = format!(
        "SELECT {cols} FROM audit_log WHERE action IN ({}) AND json_extract(detail, '$.customer') = {id} \
         UNION SELECT {cols} FROM audit_log WHERE order_uuid IN (SELECT uuid FROM orders WHERE {orders}) \
         UNION SELECT {cols} FROM audit_log WHERE action = '{}' \
         AND EXISTS (SELECT 1 FROM json_each(audit_log.detail, '$.customers') WHERE value = {id}) \
         ORDER BY id LIMIT 5000",
        book::one_customer_actions_sql(),
        actions::CUSTOMERS_IMPORTED
    );
    q
}

/// An exported row's stored JSON members (`request`, `detail`) as JSON, not text.
pub fn expand_json(row: &mut Value, member: &str) {
    if let Some(obj) = row.as_object_mut()
        && let Some(Value::String(text)) = obj.get(member)
        && let Ok(v) = serde_json::from_str::<Value>(text)
    {
        obj.insert(member.to_owned(), v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Principal;
    use crate::book::{ListQuery, page_sql, save_sql};
    use crate::index::has_text;
    use crate::sql::SqlValue;
    use frontdesk_core::book::Basis;
    use frontdesk_core::customer::Address;
    use frontdesk_core::roles::Role;

    fn clerk() -> Principal {
        Principal {
            name: "kari".into(),
            role: Role::Clerk,
            via: crate::auth::Via::Session,
            session: None,
        }
    }

    fn details(name: &str, email: &str) -> CustomerDetails {
        CustomerDetails {
            customer_type: Some(CustomerType::Private),
            country_code: Some("+47".into()),
            msisdn: Some("46567468".into()),
            email: Some(email.into()),
            first_name: Some("Kari".into()),
            name: name.into(),
            personal_number: Some("01010012356".into()),
            address: Address {
                street: "Gata 1".into(),
                zip: "0155".into(),
                city: "Oslo".into(),
                country: "NO".into(),
            },
            ..CustomerDetails::default()
        }
    }

    fn entry(id: &str, d: CustomerDetails) -> Customer {
        CustomerInput {
            customer_details: d,
            notes: Some("VIP".into()),
        }
        .into_customer(id.into(), "user:ola", 1)
    }

    #[test]
    fn rows_read_back_typed_and_save_in_one_statement() {
        let c = entry("cus_1", details("Nordmann", "Kari@Example.com"));
        let q = save_sql(std::slice::from_ref(&c));
        assert_eq!(q.len(), 1);
        assert!(q[0].sql.contains("FROM json_each(?1) WHERE true ON CONFLICT(id) DO UPDATE SET customer_type=excluded.customer_type"));
        assert!(!q[0].sql.contains("created_at=excluded"), "{}", q[0].sql);
        let SqlValue::Text(json) = &q[0].params[0] else {
            panic!("{:?}", q[0].params)
        };
        let rows: Value = serde_json::from_str(json).unwrap_or_default();
        assert_eq!(rows[0]["name_lc"], "kari nordmann");
        assert_eq!(rows[0]["rev_lc"], "nordmann kari");
        assert_eq!(rows[0]["email_lc"], "kari@example.com");
        assert_eq!(rows[0]["phone"], "4746567468");
        assert_eq!(rows[0]["customer_type"], "private");
        let row = CustomerRow {
            id: "cus_1".into(),
            details: rows[0]["details"].as_str().unwrap_or_default().into(),
            name_lc: "kari nordmann".into(),
            notes: Some("VIP".into()),
            archived: 0.0,
            created_at: 1.0,
            created_by: "user:ola".into(),
            updated_at: 1.0,
            updated_by: "user:ola".into(),
            ..CustomerRow::default()
        };
        assert_eq!(row.clone().customer(), Some(c));
        let broken = CustomerRow {
            details: "{".into(),
            ..row.clone()
        };
        assert_eq!(distinct(vec![row.clone(), broken, row]).len(), 1);
        let many: Vec<Customer> = (0..SAVE_CHUNK + 1)
            .map(|i| entry(&format!("cus_{i}"), details("A", "a@b.no")))
            .collect();
        assert_eq!(save_sql(&many).len(), 2);
    }

    #[test]
    fn viewers_do_not_search_by_personal_number() {
        let q = ListQuery::parse(&[("q".into(), "010100".into())]).unwrap_or_else(|_| panic!());
        let admin = page_sql::<Customer>(&q, Role::Admin, 1).sql;
        assert!(admin.contains("(personal_number >= ?"), "{admin}");
        let viewer = page_sql::<Customer>(&q, Role::Viewer, 1).sql;
        assert!(
            !viewer.contains("personal_number") && viewer.contains("(org_number >= ?"),
            "{viewer}"
        );
    }

    #[test]
    fn candidates_by_each_key_few_params_per_statement() {
        let k = Keys::of(&details("Nordmann", "kari@example.com"));
        let q = candidates_sql(&[k.clone(), k]);
        assert_eq!(q.len(), 1);
        assert!(
            q[0].sql
                .ends_with("WHERE personal_number = ?1 OR email_lc = ?2 OR phone = ?3"),
            "{}",
            q[0].sql
        );
        let keys: Vec<Keys> = (0..100)
            .map(|i| Keys::of(&details("A", &format!("{i}@example.com"))))
            .collect();
        let q = candidates_sql(&keys);
        assert!(q.iter().all(|q| q.params.len() <= CANDIDATE_PARAMS));
        assert_eq!(q.iter().map(|q| q.params.len()).sum::<usize>(), 102);
        assert!(candidates_sql(&[Keys::default()]).is_empty());
    }

    #[test]
    fn an_order_to_a_new_customer_creates_one_and_links_the_order() {
        let p = clerk();
        let d = details("Nordmann", "kari@example.com");
        let order = RememberOrder {
            kind: OrderKind::PaymentLink,
            details: &d,
            order_uuid: "ODR1000000001",
            customer_uuid: Some("CSRT1000000001"),
            by: &p.id(),
            role: p.role,
            now_ms: 5,
        };
        let r = remember_from_order(&order, &[], "cus_new".into());
        assert_eq!(r.outcome, Match::New);
        assert_eq!(r.queries.len(), 2);
        assert!(
            r.queries[1]
                .sql
                .starts_with("UPDATE orders SET customer_id = ?1")
        );
        assert!(has_text(&r.queries[1].params, "cus_new"));
        assert_eq!(r.audit.action, actions::CUSTOMER_REMEMBERED);
        assert_eq!(r.audit.order_uuid.as_deref(), Some("ODR1000000001"));
        assert_eq!(
            r.audit.detail.as_deref(),
            Some(r#"{"customer":"cus_new","match":"new"}"#)
        );
        let SqlValue::Text(json) = &r.queries[0].params[0] else {
            panic!()
        };
        assert!(json.contains("CSRT1000000001") && json.contains("user:kari"));
    }

    #[test]
    fn an_order_to_a_known_customer_updates_them_and_ambiguous_ones_are_left() {
        let p = clerk();
        let known = entry("cus_1", details("Nordmann", "kari@example.com"));
        // An E-Faktura names no type: it is private, and the number finds Kari.
        let mut d = details("Nordmann-Hansen", "new@example.com");
        d.customer_type = None;
        let order = RememberOrder {
            kind: OrderKind::EFaktura,
            details: &d,
            order_uuid: "ODR1000000002",
            customer_uuid: None,
            by: &p.id(),
            role: p.role,
            now_ms: 9,
        };
        let r = remember_from_order(&order, std::slice::from_ref(&known), "cus_unused".into());
        assert_eq!(
            r.outcome,
            Match::Same {
                id: "cus_1".into(),
                basis: Basis::Number
            }
        );
        let SqlValue::Text(json) = &r.queries[0].params[0] else {
            panic!()
        };
        assert!(
            json.contains("nordmann-hansen") && !json.contains("cus_unused"),
            "{json}"
        );
        assert!(json.contains("VIP"), "notes stay: {json}");
        // Two entries with the order's email and no number: nothing is written but the audit.
        let mut one = details("Ola", "familie@example.com");
        one.personal_number = None;
        let mut two = details("Per", "familie@example.com");
        two.personal_number = None;
        let mut d = details("Nordmann", "familie@example.com");
        d.personal_number = None;
        d.msisdn = None;
        let order = RememberOrder {
            details: &d,
            ..order
        };
        let book = [entry("cus_ola", one), entry("cus_per", two)];
        let r = remember_from_order(&order, &book, "cus_x".into());
        assert!(r.queries.is_empty());
        assert_eq!(r.audit.action, actions::CUSTOMER_AMBIGUOUS);
        assert_eq!(
            r.audit.detail.as_deref(),
            Some(r#"{"candidates":["cus_ola","cus_per"]}"#)
        );
    }

    #[test]
    fn imports_create_update_and_leave_the_ambiguous() {
        let p = clerk();
        let known = entry("cus_1", details("Nordmann", "kari@example.com"));
        let input = |name: &str, email: &str, pn: Option<&str>| {
            let mut d = details(name, email);
            d.personal_number = pn.map(str::to_owned);
            d.msisdn = None;
            CustomerInput {
                customer_details: d,
                notes: None,
            }
        };
        let rows = vec![
            (
                2,
                input("Nordmann", "kari@example.com", Some("01010012356")),
            ),
            (3, input("Hansen", "ola@example.com", None)),
            // The same person as line 3, by email: the row updates what line 3 created.
            (4, input("Hansen", "OLA@example.com", None)),
        ];
        let mut n = 0;
        let mut ids = || {
            n += 1;
            format!("cus_new{n}")
        };
        let plan = plan_import(
            rows,
            vec![known],
            &mut ids,
            Importer {
                principal: &p,
                now_ms: 3,
            },
        );
        let what: Vec<&ImportAction> = plan.done.iter().map(|d| &d.action).collect();
        assert_eq!(
            what,
            [
                &ImportAction::Updated { id: "cus_1".into() },
                &ImportAction::Created {
                    id: "cus_new1".into()
                },
                &ImportAction::Updated {
                    id: "cus_new1".into()
                },
            ]
        );
        // One upsert of both entries and one audit row.
        assert_eq!(plan.queries.len(), 2);
        assert!(plan.queries[1].sql.starts_with("INSERT INTO audit_log"));
        assert!(has_text(&plan.queries[1].params, "customersImported"));
        let SqlValue::Text(json) = &plan.queries[0].params[0] else {
            panic!()
        };
        let saved: Value = serde_json::from_str(json).unwrap_or_default();
        assert_eq!(saved.as_array().map(Vec::len), Some(2));
        // Kari kept her notes and phone (the row left them blank).
        assert_eq!(saved[0]["notes"], "VIP");
        assert_eq!(saved[0]["msisdn"], "46567468");
    }

    #[test]
    fn duplicates_are_numbers_held_by_another_entry() {
        let known = [entry("cus_1", details("Nordmann", "kari@example.com"))];
        let input = CustomerInput {
            customer_details: details("Other", "other@example.com"),
            notes: None,
        };
        assert_eq!(duplicates(&input, &known, None), ["cus_1"]);
        assert!(duplicates(&input, &known, Some("cus_1")).is_empty());
    }

    #[test]
    fn erasure_anonymises_orders_and_audit_details_and_deletes_the_entry() {
        let mut c = entry("cus_1", details("Nordmann", "kari@example.com"));
        c.customer_uuid = Some("CSRT1000000001".into());
        let q = erase_sql(&c);
        assert_eq!(q.len(), 3);
        assert!(q[0].sql.starts_with("UPDATE audit_log SET detail = NULL"));
        assert!(
            q[0].sql
                .contains("'resendPaymentLink', 'cancelOrder', 'orderNote'"),
            "{}",
            q[0].sql
        );
        assert!(!q[0].sql.contains("refundOrder"), "refund lines stay");
        for col in PERSONAL_COLUMNS {
            assert!(q[1].sql.contains(&format!(" {col} = NULL")), "{col}");
        }
        for kept in ["amount_ore", "status", "vat", "kind", "invoice_number"] {
            assert!(!q[1].sql.contains(&format!(" {kept} =")), "{kept}");
        }
        assert!(
            q[1].sql
                .ends_with("WHERE (customer_id = ?1 OR customer_uuid = ?2)")
        );
        assert!(has_text(&q[1].params, "CSRT1000000001"));
        assert_eq!(q[2].sql, "DELETE FROM customers WHERE id = ?1");
    }

    #[test]
    fn exports_read_orders_and_audit_rows_by_their_indexes() {
        let c = entry("cus_1", details("Nordmann", "kari@example.com"));
        let o = export_orders_sql(&c);
        assert!(
            o.sql
                .contains("WHERE (customer_id = ?1 OR customer_uuid = ?2)")
        );
        assert_eq!(o.params[1], SqlValue::Null);
        let a = export_audit_sql(&c);
        let partial = format!("action IN ({})", book::one_customer_actions_sql());
        assert!(a.sql.contains(&partial), "{}", a.sql);
        // The migration declares the partial index with the very same list.
        let migration = include_str!("../migrations/0007_customers_products.sql");
        assert!(migration.contains(&format!("WHERE {partial}")), "{partial}");
        assert!(
            a.sql
                .contains("json_each(audit_log.detail, '$.customers') WHERE value = ?1")
        );
        let mut row = json!({"request": "{\"referenceNo\": \"R-1\"}", "detail": "not json"});
        expand_json(&mut row, "request");
        expand_json(&mut row, "detail");
        assert_eq!(row["request"]["referenceNo"], "R-1");
        assert_eq!(row["detail"], "not json");
    }
}
