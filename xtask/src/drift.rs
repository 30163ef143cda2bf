//! `cargo xtask drift --base URL --token TOKEN`: does a real Front Payment API still answer as
//! the July 2025 recording (`docs/contract/live-demo-2025-07.json`) shows?
//!
//! Read-only by construction ([`plan`]): lookups of a made-up order id, the status list, and
//! each create with a body no server can accept. Prints a verdict per recorded behaviour
//! ([`verdicts`]) and the `FRONTPAY_ORDER_DATE_FORMAT` the server wants; fails when a behaviour
//! changed. The token never appears in what it prints.

mod plan;
mod verdicts;

#[cfg(test)]
mod against_sandbox;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result, anyhow, bail};
use frontdesk_core::endpoint::BASE_PATH;
use frontdesk_core::envelope::{RATE_LIMIT_LIMIT, RATE_LIMIT_REMAINING};
use serde_json::Value;

use plan::{LOOKUPS, MADE_UP_ORDER, Probe, WRITES};
use verdicts::{Answer, Exchange, Verdict};

/// Per request: the status list of a busy account can be long.
const TIMEOUT: Duration = Duration::from_secs(60);
const BODY_LIMIT: u64 = 64 * 1024 * 1024;

pub fn run(base: &str, token: &str) -> Result<()> {
    let token = token.trim();
    if token.is_empty() {
        bail!("the token is empty (--token or FRONTPAY_TOKEN)");
    }
    let clean = |text: &str| redact(text, token);
    println!("drift: probing {} (read-only)", clean(base.trim()));
    let exchanges = Prober::new(base, token).run(now_unix()?);
    for exchange in &exchanges {
        println!("  {}", clean(&exchange.summary()));
    }
    if !verdicts::made_up_order_absent(&exchanges) {
        println!("  cancel, refund, resend not sent: {MADE_UP_ORDER} was not reported missing");
    }
    let verdicts = verdicts::verdicts(&exchanges);
    for verdict in &verdicts {
        println!("{}", clean(&verdict.line()));
    }
    let date = verdicts::date_verdict(&exchanges);
    println!("FRONTPAY_ORDER_DATE_FORMAT={}", date.setting());
    conclude(&exchanges, &verdicts).map_err(|e| anyhow!(clean(&format!("{e:#}"))))
}

/// Fails on a create the server took (it must never happen), on no conclusive answer at all
/// (a wrong URL or token), and on any behaviour that changed.
fn conclude(exchanges: &[Exchange], verdicts: &[Verdict]) -> Result<()> {
    let accepted = verdicts::accepted_creates(exchanges);
    if !accepted.is_empty() {
        bail!(
            "the server ACCEPTED a create built to be refused; cancel it in Front Payment's \
             portal: {}",
            accepted.join("; ")
        );
    }
    if !exchanges.iter().any(Exchange::conclusive) {
        bail!("no conclusive answer (see above): check --base and --token");
    }
    let changed: Vec<&str> = verdicts
        .iter()
        .filter(|v| v.changed())
        .map(|v| v.id.as_str())
        .collect();
    if !changed.is_empty() {
        let changed = changed.join(", ");
        bail!("Front Payment answers differently from the recording: {changed} changed");
    }
    Ok(())
}

/// Sends the plan to one API.
pub struct Prober {
    agent: ureq::Agent,
    /// Scheme and host (and any prefix before `/api/v1`).
    root: String,
    authorization: String,
    token: String,
}

impl Prober {
    /// `base` as in `FRONTPAY_API_BASE` (`https://demo-api.frontpayment.no/api/v1`); the host
    /// alone works too.
    pub fn new(base: &str, token: &str) -> Prober {
        let base = base.trim().trim_end_matches('/');
        let root = base.strip_suffix(BASE_PATH).unwrap_or(base);
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(TIMEOUT))
            .build()
            .new_agent();
        Prober {
            agent,
            root: root.to_owned(),
            authorization: format!("Bearer {token}"),
            token: token.to_owned(),
        }
    }

    /// The plan in order: the lookups; the writes only once the made-up id was not found; each
    /// create, stopping at the first the server takes.
    pub fn run(&self, now_unix: i64) -> Vec<Exchange> {
        let send = |probe| self.exchange(probe, now_unix);
        let mut done: Vec<Exchange> = LOOKUPS.into_iter().map(send).collect();
        if verdicts::made_up_order_absent(&done) {
            done.extend(WRITES.into_iter().map(send));
        }
        for probe in plan::creates() {
            let exchange = send(probe);
            let accepted = exchange.accepted_create();
            done.push(exchange);
            if accepted {
                break;
            }
        }
        done
    }

    fn exchange(&self, probe: Probe, now_unix: i64) -> Exchange {
        let answer = self
            .send(probe, now_unix)
            .map_err(|e| redact(&e.to_string(), &self.token));
        Exchange { probe, answer }
    }

    fn send(&self, probe: Probe, now_unix: i64) -> Result<Answer, ureq::Error> {
        let url = format!("{}{}", self.root, probe.path());
        let auth = self.authorization.as_str();
        let mut response = match probe.body(now_unix) {
            Some(body) => self
                .agent
                .post(url.as_str())
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .send(body.to_string())?,
            None => self
                .agent
                .get(url.as_str())
                .header("Authorization", auth)
                .header("Accept", "application/json")
                .call()?,
        };
        let status = response.status().as_u16();
        let rate_limit = header(&response, RATE_LIMIT_LIMIT);
        let rate_remaining = header(&response, RATE_LIMIT_REMAINING);
        let text = response
            .body_mut()
            .with_config()
            .limit(BODY_LIMIT)
            .read_to_string()?;
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Ok(Answer {
            status,
            body,
            rate_limit,
            rate_remaining,
        })
    }
}

fn header(response: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    let value = response.headers().get(name)?;
    value.to_str().ok().map(str::to_owned)
}

fn now_unix() -> Result<i64> {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .context("the clock is before 1970")?;
    Ok(i64::try_from(since.as_secs())?)
}

/// `text` with the token blanked out: everything drift prints goes through here.
fn redact(text: &str, token: &str) -> String {
    if token.is_empty() {
        text.to_owned()
    } else {
        text.replace(token, "[token]")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_never_shows() {
        let said = "GET https://x/api/v1?t=sbx_secret → 401 \"Bearer sbx_secret refused\"";
        let clean = redact(said, "sbx_secret");
        assert!(!clean.contains("sbx_secret"), "{clean}");
        assert_eq!(clean.matches("[token]").count(), 2);
        assert_eq!(redact("plain", ""), "plain");
    }

    #[test]
    fn the_base_may_name_the_api_path_or_not() {
        for base in [
            "https://h.example/api/v1/",
            "https://h.example",
            " https://h.example/ ",
        ] {
            assert_eq!(Prober::new(base, "t").root, "https://h.example");
        }
    }
}
