//! Absolute http(s) URL with a host, checked by hand (no `url`/`idna` crates in the wasm).

fn host_ok(host: &str) -> bool {
    if let Some(inner) = host.strip_prefix('[') {
        // IPv6 literal: hex digits, colons, dots (embedded IPv4).
        return inner.strip_suffix(']').is_some_and(|ip| {
            ip.contains(':')
                && ip
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        });
    }
    if host.is_empty() || host.len() > 253 {
        return false;
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    host.split('.').all(|l| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    })
}

pub fn is_valid(s: &str) -> bool {
    if s.chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return false;
    }
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let hostport = match authority.rsplit_once('@') {
        Some((userinfo, hp)) => {
            if userinfo.is_empty() || userinfo.contains(['/', '[', ']']) {
                return false;
            }
            hp
        }
        None => authority,
    };
    // Split a port off, minding IPv6 brackets.
    let (host, port) = match hostport.rfind(':') {
        Some(i) if !hostport[i..].contains(']') => (&hostport[..i], Some(&hostport[i + 1..])),
        _ => (hostport, None),
    };
    let port_ok = port.is_none_or(|p| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| (1..=65_535).contains(&n))
    });
    port_ok && host_ok(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test(unsupported = test)]
    fn urls() {
        for ok in [
            "https://example.com/callback-url",
            "https://merchant.example/cb",
            "http://localhost:8080/cb?x=1#f",
            "HTTPS://EXAMPLE.COM",
            "http://127.0.0.1:3000",
            "http://[::1]:8080/x",
            "https://user:pw@example.com/",
            "https://bløtekake.no/",
            "https://example.com.",
        ] {
            assert!(is_valid(ok), "{ok}");
        }
        for bad in [
            "",
            "example.com",
            "ftp://example.com",
            "https://",
            "https:///path",
            "https://exa mple.com",
            "https://example.com:0",
            "https://example.com:99999",
            "https://example.com:",
            "https://-a.com",
            "https://a..com",
            "javascript:alert(1)",
            "https://[zz]/",
            "https://@example.com",
            "http:/example.com",
            "https://exa_mple.com",
            "https://a.com\\@b.com",
            "//example.com",
        ] {
            assert!(!is_valid(bad), "{bad:?}");
        }
    }
}
