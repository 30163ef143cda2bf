//! How much of a request body the proxy will hold: one cap per kind of body, checked against a
//! declared `Content-Length` before reading and against the bytes as they stream in (a chunked
//! body declares nothing). The adapter (`edge::body::read`, wasm only) streams through
//! [`Capped`], so no body costs the isolate more than its cap plus the chunk that crossed it.
//!
//! The API's cap is 1 MiB, not the 256 KiB it was: core allows 10,000 product lines
//! (`MAX_LINES`), and 10,000 of the shortest realistic lines (`{"name":"Hair Wash",
//! "productId":"VFDDF","quantity":"1","rate":51,"discount":0,"tax":"0","amount":51}`) are
//! 1,010,014 bytes of compact JSON; lines like `"rate":"51.00"` with a 20-character name make
//! 1.32 MB (about 7,900 such lines fit). 1 MiB is what the sandbox takes, stays under D1's
//! 2 MB row (the index keeps the validated request), and keeps a parsed body far below the
//! isolate's 128 MB.

/// `POST /auth/login`: a user name and a password as JSON.
pub const LOGIN_MAX: usize = 4 * 1024;
/// The proxy's own small JSON writes (a note, a user change) and the sandbox controls.
pub const SMALL_MAX: usize = 16 * 1024;
/// A body forwarded to the API (a create with up to 10,000 short lines).
pub const API_MAX: usize = 1024 * 1024;

/// A body past its cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the request body is over {max} bytes")]
pub struct TooLarge {
    pub max: usize,
}

/// Is a declared `Content-Length` within `max`? A missing or unreadable one is: the stream is
/// capped all the same, so the header can only make a refusal earlier, never let more in.
pub fn declared_within(content_length: Option<&str>, max: usize) -> bool {
    content_length
        .and_then(|v| v.trim().parse::<u64>().ok())
        .is_none_or(|n| n <= max as u64)
}

/// A body being read chunk by chunk: the chunk that would take it past `max` is refused, so it
/// never holds more than `max` bytes.
#[derive(Debug)]
pub struct Capped {
    bytes: Vec<u8>,
    max: usize,
}

impl Capped {
    pub fn new(max: usize) -> Capped {
        Capped {
            bytes: Vec::new(),
            max,
        }
    }

    /// Add a chunk, or refuse it (and so the body) when it would pass the cap.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), TooLarge> {
        // `bytes.len() <= max` always holds, so this cannot underflow.
        if chunk.len() > self.max - self.bytes.len() {
            return Err(TooLarge { max: self.max });
        }
        self.bytes.extend_from_slice(chunk);
        Ok(())
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_length_over_the_cap_is_refused_before_reading() {
        assert!(declared_within(None, LOGIN_MAX));
        assert!(declared_within(Some("4096"), LOGIN_MAX));
        assert!(declared_within(Some(" 0 "), LOGIN_MAX));
        assert!(!declared_within(Some("4097"), LOGIN_MAX));
        assert!(!declared_within(Some("10485760"), API_MAX));
        // Unreadable: decided by the stream's cap instead.
        assert!(declared_within(Some("ten"), LOGIN_MAX));
        assert!(declared_within(Some("-1"), LOGIN_MAX));
        assert!(declared_within(Some("99999999999999999999999"), LOGIN_MAX));
    }

    #[test]
    fn the_stream_stops_at_the_cap() {
        let mut body = Capped::new(10);
        assert_eq!(body.push(b"0123"), Ok(()));
        assert_eq!(body.push(b""), Ok(()));
        assert_eq!(body.push(b"456789"), Ok(()));
        assert_eq!(body.push(b"x"), Err(TooLarge { max: 10 }));
        assert_eq!(body.into_bytes(), b"0123456789");

        let mut big = Capped::new(LOGIN_MAX);
        assert_eq!(
            big.push(&vec![b'a'; 64 * 1024]),
            Err(TooLarge { max: LOGIN_MAX })
        );
        assert!(big.into_bytes().is_empty(), "a refused chunk is not kept");
    }

    #[test]
    fn many_small_chunks_add_up() {
        let mut body = Capped::new(100);
        for _ in 0..100 {
            assert_eq!(body.push(b"a"), Ok(()));
        }
        assert!(body.push(b"a").is_err());
        assert_eq!(body.into_bytes().len(), 100);
    }
}
