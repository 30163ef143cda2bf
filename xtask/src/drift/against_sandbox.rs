//! `xtask drift` against the sandbox, started in-process on a free 127.0.0.1 port, in both
//! dialects: the docs' wants Unix dates; the recorded one wants `d M, Y` and holds every
//! recorded behaviour.

use frontdesk_core::endpoint::Endpoint;
use frontdesk_core::{DateFormat, Dialect};
use frontdesk_sandbox::{Config, Db};

use super::plan::Probe;
use super::verdicts::{DateVerdict, Exchange, accepted_creates, date_verdict, verdicts};
use super::{Prober, now_unix};

const TOKEN: &str = "drift-test-token";

/// Every exchange of the plan with a fresh sandbox in `dialect`, its rate limit on (240 a
/// minute, as recorded) so the headers are there to check.
fn probe(dialect: Dialect) -> Vec<Exchange> {
    let mut config = Config::new(TOKEN, "drift-test-secret");
    config.dialect = dialect;
    config.rate_limit = 240;
    let addr = "127.0.0.1:0".parse().expect("an address");
    let sandbox = frontdesk_sandbox::start(config, Db::Memory, addr).expect("the sandbox starts");
    let base = format!("{}/api/v1", sandbox.url());
    let exchanges = Prober::new(&base, TOKEN).run(now_unix().expect("a clock"));
    sandbox.stop().expect("the sandbox stops");
    exchanges
}

fn transcript(exchanges: &[Exchange]) -> String {
    let lines: Vec<String> = exchanges.iter().map(Exchange::summary).collect();
    lines.join("\n")
}

#[test]
fn the_recorded_dialect_holds_every_behaviour() {
    let exchanges = probe(Dialect::Live202507);
    let all = transcript(&exchanges);
    let date = date_verdict(&exchanges);
    assert_eq!(date, DateVerdict::Wants(DateFormat::Dmy), "{all}");
    assert_eq!(date.setting(), "dmy");
    for v in verdicts(&exchanges) {
        assert_eq!(v.outcome.word(), "HOLDS", "{}\n{all}", v.line());
    }
    let refund = Probe::MadeUpOrder(Endpoint::Refund);
    assert!(exchanges.iter().any(|e| e.probe == refund), "{all}");
    assert!(accepted_creates(&exchanges).is_empty(), "{all}");
}

#[test]
fn the_docs_dialect_wants_unix_dates() {
    let exchanges = probe(Dialect::Docs);
    let all = transcript(&exchanges);
    let date = date_verdict(&exchanges);
    assert_eq!(date, DateVerdict::Wants(DateFormat::Unix), "{all}");
    assert_eq!(date.setting(), "unix");
    let changed: Vec<String> = verdicts(&exchanges)
        .into_iter()
        .filter(|v| v.changed())
        .map(|v| v.id)
        .collect();
    // The date format, and EHF asking only what the docs list.
    assert_eq!(changed, ["B5", "B6"], "{all}");
    assert!(accepted_creates(&exchanges).is_empty(), "{all}");
}
