//! Where a callback may go. The sandbox calls whatever `callbackUrl` an order was created
//! with, so without a guard anyone who can create an order could make it call the host's own
//! services, the LAN or a cloud metadata endpoint (SSRF). The host is resolved and **every**
//! address checked, before the first attempt ([`check_url`], refused deliveries are logged as
//! `refused` and not retried) and again at connect time ([`Guarded`], ureq's resolver, so a
//! name that changes its answer in between is caught too).
//!
//! Refused by default: loopback, link-local, private (RFC 1918, `fc00::/7`), shared CGNAT
//! `100.64.0.0/10`, "this network" `0.0.0.0/8` and `::`, broadcast and the reserved
//! `240.0.0.0/4`, multicast, and the metadata addresses (`169.254.169.254`, `fd00:ec2::254`).
//! `--allow-private-callbacks` lets loopback, link-local, private and CGNAT through (the
//! stack's and the tests' receivers on 127.0.0.1); metadata, "this network", broadcast and
//! multicast stay refused whatever the flag.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, ToSocketAddrs};

use axum::http::Uri;
use ureq::unversioned::resolver::{DefaultResolver, ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// What kind of address a callback may not reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Blocked {
    Loopback,
    LinkLocal,
    /// RFC 1918, `fc00::/7` (unique local), `fec0::/10` (old site-local).
    Private,
    /// `100.64.0.0/10`, carrier-grade NAT.
    SharedCgnat,
    /// A cloud instance metadata service.
    Metadata,
    /// `0.0.0.0/8` and `::` (on Linux, connecting there reaches the host itself).
    ThisNetwork,
    /// `240.0.0.0/4`, `255.255.255.255` included.
    Broadcast,
    Multicast,
}

impl Blocked {
    /// Let through by `--allow-private-callbacks`.
    pub const fn is_private(self) -> bool {
        matches!(
            self,
            Blocked::Loopback | Blocked::LinkLocal | Blocked::Private | Blocked::SharedCgnat
        )
    }

    pub const fn describe(self) -> &'static str {
        match self {
            Blocked::Loopback => "loopback",
            Blocked::LinkLocal => "link-local",
            Blocked::Private => "private",
            Blocked::SharedCgnat => "shared (CGNAT)",
            Blocked::Metadata => "cloud metadata",
            Blocked::ThisNetwork => "this-network",
            Blocked::Broadcast => "broadcast or reserved",
            Blocked::Multicast => "multicast",
        }
    }
}

impl fmt::Display for Blocked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// The kind of `ip`, when a callback may not go there by default.
pub fn classify(ip: IpAddr) -> Option<Blocked> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<Blocked> {
    let [a, b, ..] = ip.octets();
    Some(match (a, b) {
        _ if ip == Ipv4Addr::new(169, 254, 169, 254) => Blocked::Metadata,
        (0, _) => Blocked::ThisNetwork,
        (127, _) => Blocked::Loopback,
        (169, 254) => Blocked::LinkLocal,
        (10, _) | (192, 168) => Blocked::Private,
        (172, 16..=31) => Blocked::Private,
        (100, 64..=127) => Blocked::SharedCgnat,
        (224..=239, _) => Blocked::Multicast,
        (240..=255, _) => Blocked::Broadcast,
        _ => return None,
    })
}

fn classify_v6(ip: Ipv6Addr) -> Option<Blocked> {
    // An IPv4 address in IPv6 clothing is judged as the IPv4 address it reaches.
    if let Some(v4) = embedded_v4(ip) {
        return classify_v4(v4);
    }
    let first = ip.segments()[0];
    Some(match first {
        _ if ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) => Blocked::Metadata,
        _ if ip.is_unspecified() => Blocked::ThisNetwork,
        _ if ip.is_loopback() => Blocked::Loopback,
        0xfe80..=0xfebf => Blocked::LinkLocal,
        0xfec0..=0xfeff | 0xfc00..=0xfdff => Blocked::Private,
        0xff00..=0xffff => Blocked::Multicast,
        _ => return None,
    })
}

/// The IPv4 address inside an IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible (`::a.b.c.d`),
/// NAT64 (`64:ff9b::a.b.c.d`) or 6to4 (`2002:aabb:ccdd::`) address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, ..] => Some(tail),
        // `::` and `::1` are themselves, not 0.0.0.0 / 0.0.0.1.
        [0, 0, 0, 0, 0, 0, hi, _] if hi != 0 => Some(tail),
        [0x64, 0xff9b, 0, 0, 0, 0, ..] => Some(tail),
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::new(
            (hi >> 8) as u8,
            hi as u8,
            (lo >> 8) as u8,
            lo as u8,
        )),
        _ => None,
    }
}

/// Which addresses a callback may go to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    /// `--allow-private-callbacks`: loopback, link-local, private and CGNAT too.
    pub allow_private: bool,
}

/// Why a callback is not delivered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    #[error("the callback URL has no http(s) host the sandbox can call")]
    NotHttp,
    #[error(
        "{host} is {ip}, a {kind} address: not a callback target (local receivers need --allow-private-callbacks)"
    )]
    Address {
        host: String,
        ip: IpAddr,
        kind: Blocked,
    },
}

impl Policy {
    /// May a callback to `host` go to `ip`?
    pub fn check(self, host: &str, ip: IpAddr) -> Result<(), Refused> {
        match classify(ip) {
            Some(kind) if !(self.allow_private && kind.is_private()) => Err(Refused::Address {
                host: host.to_owned(),
                ip,
                kind,
            }),
            _ => Ok(()),
        }
    }
}

/// The host (IPv6 brackets removed) and port of an `http`/`https` URL.
pub fn host_port(url: &str) -> Result<(String, u16), Refused> {
    let uri: Uri = url.parse().map_err(|_| Refused::NotHttp)?;
    let port = match uri.scheme_str().map(str::to_ascii_lowercase).as_deref() {
        Some("http") => uri.port_u16().unwrap_or(80),
        Some("https") => uri.port_u16().unwrap_or(443),
        _ => return Err(Refused::NotHttp),
    };
    let host = uri
        .host()
        .filter(|h| !h.is_empty())
        .ok_or(Refused::NotHttp)?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    Ok((host.to_owned(), port))
}

/// Resolve the URL's host (blocking: DNS) and check every address it has. A name that does not
/// resolve now is not refused: the attempt fails and is retried like any other.
pub fn check_url(url: &str, policy: Policy) -> Result<(), Refused> {
    let (host, port) = host_port(url)?;
    let Ok(mut addrs) = (host.as_str(), port).to_socket_addrs() else {
        return Ok(());
    };
    addrs.try_for_each(|a| policy.check(&host, a.ip()))
}

/// ureq's resolver with the [`Policy`] applied to every address at connect time, so the
/// addresses checked are the ones connected to.
#[derive(Debug)]
pub struct Guarded {
    pub policy: Policy,
    inner: DefaultResolver,
}

impl Guarded {
    pub fn new(policy: Policy) -> Guarded {
        Guarded {
            policy,
            inner: DefaultResolver::default(),
        }
    }
}

impl Resolver for Guarded {
    fn resolve(
        &self,
        uri: &ureq::http::Uri,
        config: &ureq::config::Config,
        timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let addrs = self.inner.resolve(uri, config, timeout)?;
        let host = uri.host().unwrap_or_default();
        for a in addrs.iter() {
            self.policy.check(host, a.ip()).map_err(|e| {
                ureq::Error::Io(std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    e.to_string(),
                ))
            })?;
        }
        Ok(addrs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: &str) -> Option<Blocked> {
        classify(s.parse().expect("an IP address"))
    }

    #[test]
    fn ipv4_kinds() {
        for (ip, want) in [
            ("127.0.0.1", Some(Blocked::Loopback)),
            ("127.255.255.254", Some(Blocked::Loopback)),
            ("10.0.0.1", Some(Blocked::Private)),
            ("172.16.0.1", Some(Blocked::Private)),
            ("172.31.255.255", Some(Blocked::Private)),
            ("192.168.1.1", Some(Blocked::Private)),
            ("169.254.0.1", Some(Blocked::LinkLocal)),
            ("169.254.169.254", Some(Blocked::Metadata)),
            ("100.64.0.1", Some(Blocked::SharedCgnat)),
            ("100.127.255.255", Some(Blocked::SharedCgnat)),
            ("0.0.0.0", Some(Blocked::ThisNetwork)),
            ("0.1.2.3", Some(Blocked::ThisNetwork)),
            ("255.255.255.255", Some(Blocked::Broadcast)),
            ("240.0.0.1", Some(Blocked::Broadcast)),
            ("224.0.0.1", Some(Blocked::Multicast)),
            ("172.15.255.255", None),
            ("172.32.0.0", None),
            ("100.63.255.255", None),
            ("100.128.0.0", None),
            ("8.8.8.8", None),
            ("93.184.216.34", None),
        ] {
            assert_eq!(kind(ip), want, "{ip}");
        }
    }

    #[test]
    fn ipv6_kinds() {
        for (ip, want) in [
            ("::1", Some(Blocked::Loopback)),
            ("::", Some(Blocked::ThisNetwork)),
            ("fe80::1", Some(Blocked::LinkLocal)),
            ("fc00::1", Some(Blocked::Private)),
            ("fd12:3456::1", Some(Blocked::Private)),
            ("fec0::1", Some(Blocked::Private)),
            ("fd00:ec2::254", Some(Blocked::Metadata)),
            ("ff02::1", Some(Blocked::Multicast)),
            // IPv4 inside IPv6 is judged as the IPv4 address.
            ("::ffff:127.0.0.1", Some(Blocked::Loopback)),
            ("::ffff:169.254.169.254", Some(Blocked::Metadata)),
            ("::ffff:10.1.2.3", Some(Blocked::Private)),
            ("::10.1.2.3", Some(Blocked::Private)),
            ("64:ff9b::a9fe:a9fe", Some(Blocked::Metadata)),
            ("2002:7f00:1::", Some(Blocked::Loopback)),
            ("::ffff:8.8.8.8", None),
            ("2001:4860:4860::8888", None),
            ("2606:4700::1111", None),
        ] {
            assert_eq!(kind(ip), want, "{ip}");
        }
    }

    #[test]
    fn the_flag_lets_local_receivers_through_but_never_metadata() {
        let strict = Policy::default();
        let local = Policy {
            allow_private: true,
        };
        for ip in [
            "127.0.0.1",
            "::1",
            "10.0.0.1",
            "192.168.0.10",
            "100.64.0.1",
            "fe80::1",
        ] {
            let ip: IpAddr = ip.parse().expect("an IP address");
            assert!(strict.check("h", ip).is_err(), "{ip} refused by default");
            assert_eq!(local.check("h", ip), Ok(()), "{ip} allowed with the flag");
        }
        for ip in [
            "169.254.169.254",
            "fd00:ec2::254",
            "0.0.0.0",
            "255.255.255.255",
            "ff02::1",
        ] {
            let ip: IpAddr = ip.parse().expect("an IP address");
            assert!(
                local.check("h", ip).is_err(),
                "{ip} refused even with the flag"
            );
        }
        let public: IpAddr = "93.184.216.34".parse().expect("an IP address");
        assert_eq!(strict.check("h", public), Ok(()));
    }

    #[test]
    fn urls_name_a_host_and_port() {
        assert_eq!(
            host_port("http://example.com/cb"),
            Ok(("example.com".into(), 80))
        );
        assert_eq!(
            host_port("HTTPS://example.com/cb"),
            Ok(("example.com".into(), 443))
        );
        assert_eq!(host_port("http://[::1]:8080/x"), Ok(("::1".into(), 8080)));
        assert_eq!(
            host_port("http://user:pw@169.254.169.254/latest"),
            Ok(("169.254.169.254".into(), 80))
        );
        assert_eq!(host_port("ftp://example.com/"), Err(Refused::NotHttp));
        assert_eq!(host_port("not a url"), Err(Refused::NotHttp));
        assert_eq!(host_port("/relative"), Err(Refused::NotHttp));
    }

    #[test]
    fn literal_addresses_are_checked_without_dns() {
        let strict = Policy::default();
        for url in [
            "http://169.254.169.254/",
            "http://10.0.0.1/",
            "http://[::1]/",
        ] {
            assert!(
                matches!(check_url(url, strict), Err(Refused::Address { .. })),
                "{url}"
            );
        }
        // The resolver reads old inet_aton forms: 2852039166 is 169.254.169.254.
        assert!(check_url("http://2852039166/", strict).is_err());
        assert!(check_url("http://127.1/", strict).is_err());
        assert_eq!(check_url("http://93.184.216.34/", strict), Ok(()));
    }
}
