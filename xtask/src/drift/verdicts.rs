//! What the probe saw, held against what the July 2025 recording shows. Pure: answers in,
//! verdicts out.

use std::collections::BTreeSet;

use frontdesk_core::DateFormat;
use frontdesk_core::endpoint::Endpoint;
use frontdesk_core::envelope::{ApiMessage, DEFAULT_RATE_LIMIT, ORDER_NOT_FOUND_STATUS};
use frontdesk_core::validate::{EHF_RECORDED_EXTRA, field_of_sentence};
use serde_json::Value;

use super::plan::{MADE_UP_ORDER, Probe};

/// An HTTP answer as the probe saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub status: u16,
    /// The JSON body, or the raw text as a JSON string when it was not JSON.
    pub body: Value,
    /// `x-ratelimit-limit`.
    pub rate_limit: Option<String>,
    /// `x-ratelimit-remaining`.
    pub rate_remaining: Option<String>,
}

/// One request of the plan and what came back (`Err`: no answer, and why).
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub probe: Probe,
    pub answer: Result<Answer, String>,
}

impl Answer {
    pub fn message(&self) -> Option<&str> {
        self.body.get("message").and_then(Value::as_str)
    }

    /// A 417's `errors` when it is an array of sentences (strings), as recorded.
    pub fn sentences(&self) -> Option<Vec<&str>> {
        if self.status != 417 {
            return None;
        }
        let errors = self.body.get("errors")?.as_array()?;
        errors.iter().map(Value::as_str).collect()
    }

    /// Whether the answer can tell anything about the API's behaviour: a refused token, the
    /// rate limit or a server fault cannot.
    pub fn conclusive(&self) -> bool {
        !matches!(self.status, 401 | 403 | 429) && self.status < 500
    }

    fn has_rate_limit_headers(&self) -> bool {
        self.rate_limit.is_some() && self.rate_remaining.is_some()
    }

    /// `404 "orderNotFound"`; a body that is not an envelope is quoted in part.
    pub fn summary(&self) -> String {
        let count = match self.sentences() {
            Some(sentences) => format!(" ({} sentences)", sentences.len()),
            None => String::new(),
        };
        match self.message() {
            Some(message) => format!("{} {message:?}{count}", self.status),
            None => format!("{} {}", self.status, excerpt(&self.body)),
        }
    }
}

impl Exchange {
    pub fn summary(&self) -> String {
        let seen = match &self.answer {
            Ok(answer) => answer.summary(),
            Err(why) => format!("no answer: {why}"),
        };
        format!("{} {} → {seen}", self.probe.method(), self.probe.label())
    }

    /// A create the server took (2xx): the probe failed at its one job.
    pub fn accepted_create(&self) -> bool {
        matches!(self.probe, Probe::Create(..))
            && matches!(&self.answer, Ok(a) if (200..300).contains(&a.status))
    }

    /// Whether an answer came back that tells something (see [`Answer::conclusive`]).
    pub fn conclusive(&self) -> bool {
        self.conclusive_answer().is_some()
    }

    fn conclusive_answer(&self) -> Option<&Answer> {
        self.answer.as_ref().ok().filter(|a| a.conclusive())
    }
}

fn excerpt(body: &Value) -> String {
    let text = match body {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let short: String = text.chars().take(80).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// Whether status and details both said the made-up order does not exist: only then do
/// cancel, refund and resend go to it.
pub fn made_up_order_absent(exchanges: &[Exchange]) -> bool {
    let not_found = |endpoint: Endpoint| {
        exchanges.iter().any(|e| {
            e.probe == Probe::MadeUpOrder(endpoint) && matches!(&e.answer, Ok(a) if a.status == 404)
        })
    };
    not_found(Endpoint::Status) && not_found(Endpoint::Details)
}

/// Creates the server took, with what it answered (the order it made, to cancel by hand).
pub fn accepted_creates(exchanges: &[Exchange]) -> Vec<String> {
    exchanges
        .iter()
        .filter(|e| e.accepted_create())
        .map(|e| match &e.answer {
            Ok(a) => format!("{}: {}", e.probe.label(), excerpt(&a.body)),
            Err(_) => e.probe.label(),
        })
        .collect()
}

/// Does a recorded behaviour still hold? Each with what was seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Holds(String),
    Changed(String),
    Unknown(String),
}

impl Outcome {
    pub fn word(&self) -> &'static str {
        match self {
            Outcome::Holds(_) => "HOLDS",
            Outcome::Changed(_) => "CHANGED",
            Outcome::Unknown(_) => "UNKNOWN",
        }
    }

    pub fn detail(&self) -> &str {
        match self {
            Outcome::Holds(d) | Outcome::Changed(d) | Outcome::Unknown(d) => d,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `B1` … `B9`, in the order of [`BEHAVIOURS`].
    pub id: String,
    pub behaviour: &'static str,
    pub outcome: Outcome,
}

impl Verdict {
    pub fn changed(&self) -> bool {
        matches!(self.outcome, Outcome::Changed(_))
    }

    /// `B8 HOLDS   status of an unknown order is a 404: 404`.
    pub fn line(&self) -> String {
        let word = self.outcome.word();
        let detail = self.outcome.detail();
        format!("{} {word:<7} {}: {detail}", self.id, self.behaviour)
    }
}

/// The recorded behaviours the probe checks, `B1` to `B9` (docs/contract/contract-notes.md,
/// "What the live server does (recorded)"; B9 is the docs' paths, which the proxy calls).
pub const BEHAVIOURS: [&str; 9] = [
    "the status endpoints say \"Order Not Found\" for an unknown order",
    "details, invoice-number, cancel, refund, resend say \"orderNotFound\"",
    "an empty status list is a 404",
    "a 417's errors are an array of Laravel sentences",
    "orderDate is \"d M, Y\"",
    "EHF requires 6 members the docs do not list for it",
    "x-ratelimit-limit and x-ratelimit-remaining on every answer",
    "status of an unknown order is a 404",
    "the create paths the proxy calls exist",
];

/// Every behaviour of [`BEHAVIOURS`], in order.
pub fn verdicts(exchanges: &[Exchange]) -> Vec<Verdict> {
    let outcomes = [
        status_not_found(exchanges),
        other_not_found(exchanges),
        empty_list(exchanges),
        errors_are_sentences(exchanges),
        date_outcome(exchanges),
        ehf_extra(exchanges),
        rate_limit_headers(exchanges),
        unknown_status(exchanges),
        creates_routed(exchanges),
    ];
    BEHAVIOURS
        .into_iter()
        .zip(outcomes)
        .enumerate()
        .map(|(i, (behaviour, outcome))| Verdict {
            id: format!("B{}", i + 1),
            behaviour,
            outcome,
        })
        .collect()
}

fn is_create(probe: Probe) -> bool {
    matches!(probe, Probe::Create(..))
}

fn is_ehf(probe: Probe) -> bool {
    matches!(probe, Probe::Create(Endpoint::CreateEhf, _))
}

fn is_list(probe: Probe) -> bool {
    matches!(probe, Probe::StatusList { .. })
}

/// The conclusive answers to the probes `keep` picks.
fn answered(exchanges: &[Exchange], keep: impl Fn(Probe) -> bool) -> Vec<(Probe, &Answer)> {
    exchanges
        .iter()
        .filter(|e| keep(e.probe))
        .filter_map(|e| e.conclusive_answer().map(|a| (e.probe, a)))
        .collect()
}

/// The answers `keep` picks.
fn only<'a>(
    answers: &[(Probe, &'a Answer)],
    keep: impl Fn(&Answer) -> bool,
) -> Vec<(Probe, &'a Answer)> {
    answers.iter().copied().filter(|&(_, a)| keep(a)).collect()
}

fn seen(answers: &[(Probe, &Answer)]) -> String {
    if answers.is_empty() {
        return "no conclusive answer".to_owned();
    }
    let each: Vec<String> = answers
        .iter()
        .map(|(probe, answer)| format!("{}: {}", probe.label(), answer.summary()))
        .collect();
    each.join("; ")
}

fn status_not_found(exchanges: &[Exchange]) -> Outcome {
    let status = Probe::MadeUpOrder(Endpoint::Status);
    let found = answered(exchanges, |p| p == status || is_list(p));
    not_found_says(&found, ORDER_NOT_FOUND_STATUS)
}

fn other_not_found(exchanges: &[Exchange]) -> Outcome {
    let other = |p: Probe| matches!(p, Probe::MadeUpOrder(e) if e != Endpoint::Status);
    let found = answered(exchanges, other);
    not_found_says(&found, ApiMessage::OrderNotFound.as_str())
}

/// Every 404 among `answers` carries `message`.
fn not_found_says(answers: &[(Probe, &Answer)], message: &str) -> Outcome {
    let not_found = only(answers, |a| a.status == 404);
    if not_found.is_empty() {
        return Outcome::Unknown(format!("none answered 404: {}", seen(answers)));
    }
    let other = only(&not_found, |a| a.message() != Some(message));
    if other.is_empty() {
        Outcome::Holds(format!("{} answers said {message:?}", not_found.len()))
    } else {
        Outcome::Changed(seen(&other))
    }
}

fn empty_list(exchanges: &[Exchange]) -> Outcome {
    let lists = answered(exchanges, is_list);
    let odd = only(&lists, odd_list);
    if !odd.is_empty() {
        return Outcome::Changed(seen(&odd));
    }
    if lists.iter().any(|(_, a)| a.status == 404) {
        Outcome::Holds(seen(&lists))
    } else if lists.is_empty() {
        Outcome::Unknown(seen(&lists))
    } else {
        let detail = "the account has orders of every kind asked for";
        Outcome::Unknown(detail.to_owned())
    }
}

/// Neither a 404 nor a 200 with orders in it.
fn odd_list(answer: &Answer) -> bool {
    answer.status != 404 && (answer.status != 200 || no_data(answer))
}

/// An empty list, however it is written.
fn no_data(answer: &Answer) -> bool {
    match answer.body.get("data") {
        None | Some(Value::Null) => true,
        Some(Value::Array(items)) => items.is_empty(),
        Some(Value::Object(members)) => members.is_empty(),
        Some(_) => false,
    }
}

fn errors_are_sentences(exchanges: &[Exchange]) -> Outcome {
    let creates = answered(exchanges, is_create);
    let refusals = only(&creates, |a| a.status == 417);
    if refusals.is_empty() {
        return Outcome::Unknown("no create was answered 417".to_owned());
    }
    let odd: Vec<String> = refusals
        .iter()
        .filter(|(_, a)| !is_recorded_refusal(a))
        .map(|(probe, a)| format!("{}: {}", probe.label(), refusal_shape(a)))
        .collect();
    if odd.is_empty() {
        let n = refusals.len();
        let detail = format!("{n} refusals, each payloadValidationErrors with sentences");
        Outcome::Holds(detail)
    } else {
        Outcome::Changed(odd.join("; "))
    }
}

fn is_recorded_refusal(a: &Answer) -> bool {
    a.sentences().is_some() && a.message() == Some(ApiMessage::PayloadValidationErrors.as_str())
}

/// What a 417 carries instead of the recorded message and sentences.
fn refusal_shape(a: &Answer) -> String {
    let errors = match a.body.get("errors") {
        None | Some(Value::Null) => "null",
        Some(Value::Array(_)) => "an array with other things than strings",
        Some(Value::Object(_)) => "an object",
        Some(Value::String(_)) => "a string",
        Some(_) => "a number or a boolean",
    };
    format!("message {:?}, errors {errors}", a.message().unwrap_or(""))
}

/// Which `orderDate` format the server takes, as the creates' sentences tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateVerdict {
    Wants(DateFormat),
    Either,
    Neither,
    Unknown,
}

impl DateVerdict {
    /// The value for `FRONTPAY_ORDER_DATE_FORMAT` (`unix`, the docs', when either works).
    pub fn setting(self) -> &'static str {
        match self {
            DateVerdict::Wants(format) => format.as_str(),
            DateVerdict::Either => DateFormat::Unix.as_str(),
            DateVerdict::Neither | DateVerdict::Unknown => "unknown",
        }
    }
}

pub fn date_verdict(exchanges: &[Exchange]) -> DateVerdict {
    let unix = taken(exchanges, DateFormat::Unix);
    let dmy = taken(exchanges, DateFormat::Dmy);
    match (unix, dmy) {
        (Some(true), Some(false)) => DateVerdict::Wants(DateFormat::Unix),
        (Some(false), Some(true)) => DateVerdict::Wants(DateFormat::Dmy),
        (Some(true), Some(true)) => DateVerdict::Either,
        (Some(false), Some(false)) => DateVerdict::Neither,
        _ => DateVerdict::Unknown,
    }
}

/// Whether the creates with `orderDate` in `format` got past the date rule (no sentence names
/// it): `None` when none came back 417 with sentences, or the kinds disagree.
fn taken(exchanges: &[Exchange], format: DateFormat) -> Option<bool> {
    let sent_as = |p: Probe| matches!(p, Probe::Create(_, f) if f == format);
    let sent = answered(exchanges, sent_as);
    let told: BTreeSet<bool> = sent
        .iter()
        .filter_map(|(_, a)| a.sentences())
        .map(|sentences| !sentences.iter().any(|s| names(s, "orderDate")))
        .collect();
    match told.len() {
        1 => told.first().copied(),
        _ => None,
    }
}

/// Whether a sentence is about `field`: core knows the Laravel name of every path.
fn names(sentence: &str, field: &str) -> bool {
    field_of_sentence(sentence).as_deref() == Some(field)
}

fn date_outcome(exchanges: &[Exchange]) -> Outcome {
    let said = date_sentences(exchanges);
    let (holds, detail) = match date_verdict(exchanges) {
        DateVerdict::Wants(DateFormat::Dmy) => (true, format!("takes \"d M, Y\" ({said})")),
        DateVerdict::Wants(DateFormat::Unix) => (false, format!("takes a Unix timestamp ({said})")),
        DateVerdict::Either => (false, "takes both formats".to_owned()),
        DateVerdict::Neither => (false, format!("refuses both formats ({said})")),
        DateVerdict::Unknown => {
            let detail = "no 417 with sentences for both formats, or the kinds disagree";
            return Outcome::Unknown(detail.to_owned());
        }
    };
    if holds {
        Outcome::Holds(detail)
    } else {
        Outcome::Changed(detail)
    }
}

/// The distinct sentences about `orderDate`, joined.
fn date_sentences(exchanges: &[Exchange]) -> String {
    let creates = answered(exchanges, is_create);
    let said: BTreeSet<&str> = creates
        .iter()
        .filter_map(|(_, a)| a.sentences())
        .flatten()
        .filter(|s| names(s, "orderDate"))
        .collect();
    said.into_iter().collect::<Vec<_>>().join(" / ")
}

fn ehf_extra(exchanges: &[Exchange]) -> Outcome {
    let ehf = answered(exchanges, is_ehf);
    let named: Vec<BTreeSet<String>> = ehf
        .iter()
        .filter_map(|(_, a)| a.sentences())
        .map(|sentences| {
            sentences
                .into_iter()
                .filter_map(field_of_sentence)
                .collect()
        })
        .collect();
    if named.is_empty() {
        let detail = "the EHF create got no 417 with sentences";
        return Outcome::Unknown(detail.to_owned());
    }
    let missing: Vec<&str> = EHF_RECORDED_EXTRA
        .into_iter()
        .filter(|field| named.iter().any(|n| !n.contains(*field)))
        .collect();
    if missing.is_empty() {
        Outcome::Holds(format!("each required: {}", EHF_RECORDED_EXTRA.join(", ")))
    } else {
        let missing = missing.join(", ");
        Outcome::Changed(format!("not required any more: {missing}"))
    }
}

fn rate_limit_headers(exchanges: &[Exchange]) -> Outcome {
    let all = answered(exchanges, |_| true);
    if all.is_empty() {
        return Outcome::Unknown(seen(&all));
    }
    let without = only(&all, |a| !a.has_rate_limit_headers());
    if let Some((first, _)) = without.first() {
        let (n, of, e_g) = (without.len(), all.len(), first.label());
        let detail = format!("missing on {n} of {of} answers, e.g. {e_g}");
        return Outcome::Changed(detail);
    }
    let limits: BTreeSet<&str> = all
        .iter()
        .filter_map(|(_, a)| a.rate_limit.as_deref())
        .collect();
    let limits = limits.into_iter().collect::<Vec<_>>().join(", ");
    let recorded = DEFAULT_RATE_LIMIT.to_string();
    if limits == recorded {
        Outcome::Holds(format!("x-ratelimit-limit: {limits}"))
    } else {
        let detail = format!("x-ratelimit-limit: {limits} (recorded: {recorded})");
        Outcome::Holds(detail)
    }
}

fn unknown_status(exchanges: &[Exchange]) -> Outcome {
    let made_up = Probe::MadeUpOrder(Endpoint::Status);
    let status = answered(exchanges, |p| p == made_up);
    match status.first() {
        None => Outcome::Unknown(seen(&status)),
        Some((_, a)) if a.status == 404 => Outcome::Holds("404".to_owned()),
        Some((_, a)) if a.status == 200 => {
            Outcome::Unknown(format!("{MADE_UP_ORDER} exists on this account"))
        }
        Some(_) => Outcome::Changed(seen(&status)),
    }
}

/// A 404 or 405 to a create means the path is not there (the recording sent E-Faktura and
/// EHF to `invoice/create/faktura` and `invoice/create/ehf`; the docs and the proxy use
/// `faktura/create` and `ehf/create`).
fn creates_routed(exchanges: &[Exchange]) -> Outcome {
    let creates = answered(exchanges, is_create);
    if creates.is_empty() {
        return Outcome::Unknown(seen(&creates));
    }
    let lost = only(&creates, |a| matches!(a.status, 404 | 405));
    if lost.is_empty() {
        let n = creates.len();
        Outcome::Holds(format!("{n} answered, none 404 or 405"))
    } else {
        Outcome::Changed(seen(&lost))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const RECORDING: &str = include_str!("../../../docs/contract/live-demo-2025-07.json");
    const NAME: &str = "The customer details.name field is required.";

    fn exchange(probe: Probe, status: u16, body: Value) -> Exchange {
        let answer = Answer {
            status,
            body,
            rate_limit: Some("240".to_owned()),
            rate_remaining: Some("239".to_owned()),
        };
        Exchange {
            probe,
            answer: Ok(answer),
        }
    }

    fn refused(sentences: &[&str]) -> Value {
        json!({"status_code": 417, "status_message": "Client Error",
               "message": "payloadValidationErrors", "is_error": true, "errors": sentences})
    }

    /// The recording's exchanges as probes. It has no made-up id: the unknown orders it asked
    /// for stand in, and the one it found is left out. Its creates sent `5 Dec, 2023`, refused
    /// for its one-digit day, so they count as `d M, Y` dates refused.
    fn recorded() -> Vec<Exchange> {
        let recording: Value = serde_json::from_str(RECORDING).expect("the recording parses");
        let exchanges = recording["exchanges"].as_array().expect("exchanges");
        exchanges.iter().filter_map(recorded_exchange).collect()
    }

    fn recorded_exchange(e: &Value) -> Option<Exchange> {
        let probe = probe_of(e["path"].as_str()?)?;
        let header = |name: &str| e["responseHeaders"][name].as_str().map(str::to_owned);
        let answer = Answer {
            status: u16::try_from(e["status"].as_u64()?).ok()?,
            body: e["responseBody"].clone(),
            rate_limit: header("x-ratelimit-limit"),
            rate_remaining: header("x-ratelimit-remaining"),
        };
        let found = answer.status == 200;
        let answer = Ok(answer);
        (!found).then_some(Exchange { probe, answer })
    }

    fn probe_of(path: &str) -> Option<Probe> {
        let rest = path.strip_prefix("/api/v1/connect/orders/")?;
        let create = |endpoint| Some(Probe::Create(endpoint, DateFormat::Dmy));
        match rest {
            "status" => Some(Probe::StatusList { paid: false }),
            "status?type=paid" => Some(Probe::StatusList { paid: true }),
            "payment-link/create" => create(Endpoint::CreatePaymentLink),
            "invoice/create" => create(Endpoint::CreateInvoice),
            "invoice/create/faktura" => create(Endpoint::CreateEFaktura),
            "invoice/create/ehf" => create(Endpoint::CreateEhf),
            _ => {
                let endpoint = match rest.split_once('/')?.0 {
                    "status" => Endpoint::Status,
                    "details" => Endpoint::Details,
                    "invoice-number" => Endpoint::InvoiceNumber,
                    "cancel" => Endpoint::Cancel,
                    "refund" => Endpoint::Refund,
                    "resend" => Endpoint::Resend,
                    _ => return None,
                };
                Some(Probe::MadeUpOrder(endpoint))
            }
        }
    }

    fn outcome(exchanges: &[Exchange], id: &str) -> Outcome {
        let verdict = verdicts(exchanges).into_iter().find(|v| v.id == id);
        verdict.expect("a verdict with that id").outcome
    }

    /// `HOLDS`, `CHANGED` or `UNKNOWN`.
    fn word(exchanges: &[Exchange], id: &str) -> &'static str {
        outcome(exchanges, id).word()
    }

    fn dated(unix: &[&str], dmy: &[&str]) -> Vec<Exchange> {
        let invoice = |format| Probe::Create(Endpoint::CreateInvoice, format);
        vec![
            exchange(invoice(DateFormat::Unix), 417, refused(unix)),
            exchange(invoice(DateFormat::Dmy), 417, refused(dmy)),
        ]
    }

    #[test]
    fn the_recording_holds_everything_it_can_tell() {
        let exchanges = recorded();
        assert_eq!(exchanges.len(), 12);
        for v in verdicts(&exchanges) {
            // It never sent a well-formed date in either format.
            let unknown = v.id == "B5";
            match v.outcome {
                Outcome::Holds(_) => assert!(!unknown, "{}", v.line()),
                Outcome::Unknown(_) => assert!(unknown, "{}", v.line()),
                Outcome::Changed(_) => panic!("{}", v.line()),
            }
        }
        assert!(made_up_order_absent(&exchanges));
        assert!(accepted_creates(&exchanges).is_empty());
    }

    #[test]
    fn the_date_format_is_the_one_whose_date_went_unremarked() {
        let dmy_refusal = "The order date does not match the format d M, Y.";
        let live = dated(&[dmy_refusal, NAME], &[NAME]);
        assert_eq!(date_verdict(&live), DateVerdict::Wants(DateFormat::Dmy));
        assert_eq!(word(&live, "B5"), "HOLDS");
        assert_eq!(date_verdict(&live).setting(), "dmy");

        let docs = dated(&[NAME], &["The order date must be a number.", NAME]);
        assert_eq!(date_verdict(&docs), DateVerdict::Wants(DateFormat::Unix));
        assert_eq!(word(&docs, "B5"), "CHANGED");
        assert_eq!(date_verdict(&docs).setting(), "unix");

        let either = dated(&[NAME], &[NAME]);
        assert_eq!(date_verdict(&either), DateVerdict::Either);
        assert_eq!(DateVerdict::Either.setting(), "unix");
        assert_eq!(date_verdict(&[]), DateVerdict::Unknown);
        assert_eq!(DateVerdict::Unknown.setting(), "unknown");

        // Kinds that disagree tell nothing.
        let ehf = |e: Exchange| match e.probe {
            Probe::Create(_, format) => Exchange {
                probe: Probe::Create(Endpoint::CreateEhf, format),
                ..e
            },
            _ => e,
        };
        let mixed: Vec<Exchange> = live.into_iter().chain(docs.into_iter().map(ehf)).collect();
        assert_eq!(date_verdict(&mixed), DateVerdict::Unknown);
    }

    #[test]
    fn changes_are_named() {
        let ehf = Probe::Create(Endpoint::CreateEhf, DateFormat::Dmy);
        let keyed = json!({"message": "payloadValidationErrors", "errors": {"orderDate": ["x"]}});
        let keyed = [exchange(ehf, 417, keyed)];
        let b4 = outcome(&keyed, "B4");
        assert_eq!(b4.word(), "CHANGED");
        assert!(b4.detail().contains("an object"), "{b4:?}");
        assert_eq!(word(&keyed, "B6"), "UNKNOWN");

        let paid = Probe::StatusList { paid: true };
        let empty = [exchange(paid, 200, json!({"data": []}))];
        assert_eq!(word(&empty, "B3"), "CHANGED");
        let orders = json!({"data": [{"uuid": "ODR3506777330", "status": "PAID"}]});
        let full = [exchange(paid, 200, orders)];
        assert_eq!(word(&full, "B3"), "UNKNOWN");

        let details = Probe::MadeUpOrder(Endpoint::Details);
        let mut worded = exchange(details, 404, json!({"message": "Order Not Found"}));
        assert_eq!(word(std::slice::from_ref(&worded), "B2"), "CHANGED");
        if let Ok(answer) = worded.answer.as_mut() {
            answer.rate_remaining = None;
        }
        assert_eq!(word(&[worded], "B7"), "CHANGED");

        let moved = [exchange(ehf, 404, json!({"message": "routeNotFound"}))];
        assert_eq!(word(&moved, "B9"), "CHANGED");

        let sentences = refused(&[
            "The send order by.sms field is required.",
            "The send order by.email field is required.",
            "The customer details.preferred language field is required.",
        ]);
        let fewer = [exchange(ehf, 417, sentences)];
        let gone = "sendOrderBy.invoice, isCreditCheckAvailable, invoiceAsPaymentOption";
        let want = Outcome::Changed(format!("not required any more: {gone}"));
        assert_eq!(outcome(&fewer, "B6"), want);
        let no_ehf = dated(&[NAME], &[NAME]);
        assert_eq!(word(&no_ehf, "B6"), "UNKNOWN");
    }

    #[test]
    fn refused_tokens_and_faults_decide_nothing() {
        let status = Probe::MadeUpOrder(Endpoint::Status);
        let exchanges: Vec<Exchange> = [401, 429, 500]
            .into_iter()
            .map(|code| exchange(status, code, json!({"message": "x"})))
            .collect();
        for v in verdicts(&exchanges) {
            assert_eq!(v.outcome.word(), "UNKNOWN", "{}", v.line());
        }
        assert!(!made_up_order_absent(&exchanges));
    }

    #[test]
    fn writes_wait_for_both_lookups_and_accepted_creates_are_caught() {
        let status = exchange(Probe::MadeUpOrder(Endpoint::Status), 404, json!({}));
        let details = exchange(Probe::MadeUpOrder(Endpoint::Details), 404, json!({}));
        let found = exchange(Probe::MadeUpOrder(Endpoint::Details), 200, json!({}));
        assert!(!made_up_order_absent(std::slice::from_ref(&status)));
        assert!(!made_up_order_absent(&[status.clone(), found]));
        assert!(made_up_order_absent(&[status, details]));

        let link = Probe::Create(Endpoint::CreatePaymentLink, DateFormat::Unix);
        let created = exchange(link, 201, json!({"data": {"uuid": "ODR3506777330"}}));
        assert!(created.accepted_create());
        let accepted = accepted_creates(&[created]);
        assert_eq!(accepted.len(), 1);
        assert!(accepted[0].contains("ODR3506777330"));
    }
}
