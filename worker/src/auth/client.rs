//! Where a request comes from: the client address for the sign-in throttle, the session list
//! and the audit log.
//!
//! `CF-Connecting-IP` is set by Cloudflare's edge (a client's own value is overwritten), so it
//! is trusted when the request came through Cloudflare: by default on every host but the local
//! development ones, or as `TRUST_CF_CONNECTING_IP` (`true`/`false`) says. Elsewhere (wrangler
//! dev, the tests, a self-hosted workerd) anyone could send the header, so every caller is
//! the one client `local`.

use std::net::IpAddr;

use crate::headers::is_local_host;

/// The throttle's key for requests without a trusted address.
pub const LOCAL: &str = "local";
/// Longest `User-Agent` kept with a session.
pub const MAX_USER_AGENT: usize = 256;

/// Whether `CF-Connecting-IP` is believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    Header,
    Local,
}

impl Trust {
    /// `TRUST_CF_CONNECTING_IP` when set; otherwise trusted off the local development hosts.
    pub fn decide(flag: Option<bool>, host: &str) -> Trust {
        if flag.unwrap_or(!is_local_host(host)) {
            Trust::Header
        } else {
            Trust::Local
        }
    }
}

/// The client's address, normalised (`2001:db8::1`, `192.0.2.1`; IPv4-mapped IPv6 as IPv4), or
/// `None` when the header is not trusted, absent or not an address.
pub fn address(trust: Trust, cf_connecting_ip: Option<&str>) -> Option<String> {
    if trust == Trust::Local {
        return None;
    }
    let ip: IpAddr = cf_connecting_ip?.trim().parse().ok()?;
    Some(match ip {
        IpAddr::V6(v6) => v6
            .to_ipv4_mapped()
            .map_or_else(|| v6.to_string(), |v4| v4.to_string()),
        IpAddr::V4(v4) => v4.to_string(),
    })
}

/// The throttle's key for an address: IPv4 as is, IPv6 by its /64 (one subscriber's whole
/// network: an attacker there has 2^64 addresses), no address as [`LOCAL`].
pub fn throttle_key(address: Option<&str>) -> String {
    match address.and_then(|a| a.parse::<IpAddr>().ok()) {
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Some(IpAddr::V4(v4)) => v4.to_string(),
        None => LOCAL.to_owned(),
    }
}

/// A `User-Agent` as kept with a session: at most [`MAX_USER_AGENT`] characters, without
/// control characters.
pub fn user_agent(header: Option<&str>) -> Option<String> {
    let ua: String = header?
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_USER_AGENT)
        .collect();
    let ua = ua.trim();
    (!ua.is_empty()).then(|| ua.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trusted_only_through_cloudflare() {
        assert_eq!(Trust::decide(None, "desk.example"), Trust::Header);
        assert_eq!(Trust::decide(None, "127.0.0.1:8787"), Trust::Local);
        assert_eq!(Trust::decide(Some(true), "127.0.0.1"), Trust::Header);
        assert_eq!(Trust::decide(Some(false), "desk.example"), Trust::Local);
        assert_eq!(address(Trust::Local, Some("192.0.2.1")), None);
        assert_eq!(
            address(Trust::Header, Some(" 192.0.2.1 ")).as_deref(),
            Some("192.0.2.1")
        );
        assert_eq!(
            address(Trust::Header, Some("2001:DB8:0:0::1")).as_deref(),
            Some("2001:db8::1")
        );
        assert_eq!(
            address(Trust::Header, Some("::ffff:192.0.2.7")).as_deref(),
            Some("192.0.2.7")
        );
        for bad in [
            None,
            Some(""),
            Some("evil"),
            Some("1.2.3.4, 5.6.7.8"),
            Some("1.2.3.4:80"),
        ] {
            assert_eq!(address(Trust::Header, bad), None, "{bad:?}");
        }
    }

    #[test]
    fn throttle_keys() {
        assert_eq!(throttle_key(Some("192.0.2.1")), "192.0.2.1");
        assert_eq!(
            throttle_key(Some("2001:db8:1:2:3:4:5:6")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            throttle_key(Some("2001:db8:1:2:ffff::9")),
            throttle_key(Some("2001:db8:1:2::1"))
        );
        assert_eq!(throttle_key(None), LOCAL);
        assert_eq!(throttle_key(Some("nonsense")), LOCAL);
    }

    #[test]
    fn user_agents() {
        assert_eq!(user_agent(None), None);
        assert_eq!(user_agent(Some("  ")), None);
        assert_eq!(
            user_agent(Some("Mozilla/5.0\r\nX: y")).as_deref(),
            Some("Mozilla/5.0X: y")
        );
        assert_eq!(
            user_agent(Some(&"a".repeat(1000))).map(|u| u.len()),
            Some(MAX_USER_AGENT)
        );
    }
}
