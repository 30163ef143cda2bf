//! Fault injection: `X-Sandbox-Fault` on one API request, or `--fault-rate` at random.
//!
//! | fault      | the write                  | what the client sees                                   |
//! |------------|----------------------------|--------------------------------------------------------|
//! | `500`      | **done** (committed first) | 500 `internalErrorOccurredPleaseTryAgainLater` envelope |
//! | `510`      | not done                   | 510 `somethingWentWrong` envelope                       |
//! | `timeout`  | not done                   | nothing for `fault_timeout` (30 s), then the connection closes |
//! | `drop`     | not done                   | the connection closes at once, no answer                |
//! | `slow=MS`  | done, after MS ms          | the normal answer, late (MS ≤ 60000)                    |
//! | `badjson`  | done                       | the normal status code with a truncated, non-JSON body  |
//!
//! `500;before` and `510;after` pick the other side of the commit explicitly.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::extract::connect_info::Connected;
use axum::serve::{IncomingStream, Listener};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

pub const HEADER: &str = "x-sandbox-fault";
const MAX_SLOW_MS: u64 = 60_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answer 500 (`after`: the work is done and committed first).
    E500 {
        after: bool,
    },
    /// Answer 510 (`after`: the work is done first).
    E510 {
        after: bool,
    },
    Timeout,
    Drop,
    Slow(Duration),
    BadJson,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown X-Sandbox-Fault {0:?}: use 500, 510, timeout, drop, slow=MS or badjson")]
pub struct UnknownFault(pub String);

impl std::str::FromStr for Fault {
    type Err = UnknownFault;
    fn from_str(s: &str) -> Result<Self, UnknownFault> {
        let t = s.trim().to_ascii_lowercase();
        let bad = || UnknownFault(s.chars().take(40).collect());
        Ok(match t.as_str() {
            "500" | "500;after" => Fault::E500 { after: true },
            "500;before" => Fault::E500 { after: false },
            "510" | "510;before" => Fault::E510 { after: false },
            "510;after" => Fault::E510 { after: true },
            "timeout" => Fault::Timeout,
            "drop" => Fault::Drop,
            "badjson" => Fault::BadJson,
            other => {
                let ms = other.strip_prefix("slow=").ok_or_else(bad)?;
                let ms: u64 = ms.parse().map_err(|_| bad())?;
                Fault::Slow(Duration::from_millis(ms.min(MAX_SLOW_MS)))
            }
        })
    }
}

impl Fault {
    /// Whether the request's work runs (and commits) under this fault.
    pub const fn does_work(self) -> bool {
        match self {
            Fault::E500 { after } | Fault::E510 { after } => after,
            Fault::Timeout | Fault::Drop => false,
            Fault::Slow(_) | Fault::BadJson => true,
        }
    }
}

static RNG: AtomicU64 = AtomicU64::new(0);

/// SplitMix64 over an atomic counter, seeded from the clock and the process id on first use:
/// fast, lock-free, good enough for ids and dice (not for secrets).
pub fn random_u64() -> u64 {
    const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut s = RNG.load(Ordering::Relaxed);
    if s == 0 {
        let seed =
            (crate::clock::wall_millis() as u64) ^ (u64::from(std::process::id()) << 32) ^ GAMMA;
        let _ = RNG.compare_exchange(0, seed, Ordering::Relaxed, Ordering::Relaxed);
    }
    s = RNG.fetch_add(GAMMA, Ordering::Relaxed).wrapping_add(GAMMA);
    let mut z = s;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A random fault with probability `rate` (0 ..= 1), else `None`.
pub fn roll(rate: f64) -> Option<Fault> {
    if rate <= 0.0 {
        return None;
    }
    let dice = (random_u64() >> 11) as f64 / (1u64 << 53) as f64;
    if dice >= rate {
        return None;
    }
    Some(match random_u64() % 6 {
        0 => Fault::E500 {
            after: random_u64().is_multiple_of(2),
        },
        1 => Fault::E510 { after: false },
        2 => Fault::Timeout,
        3 => Fault::Drop,
        4 => Fault::Slow(Duration::from_millis(200 + random_u64() % 1800)),
        _ => Fault::BadJson,
    })
}

/// The body a `badjson` fault answers with: the real JSON cut in half, so it never parses.
pub fn mangle(json: &[u8]) -> Vec<u8> {
    let mut out = json[..json.len() / 2].to_vec();
    out.extend_from_slice(b"\n<!-- upstream hiccup -->");
    out
}

/// Lets a handler close its own connection without answering (`drop`, `timeout`).
#[derive(Debug, Clone, Default)]
pub struct ConnHandle(Arc<AtomicBool>);

impl ConnHandle {
    pub fn kill(&self) {
        self.0.store(true, Ordering::Release);
    }
    fn killed(&self) -> bool {
        self.0.load(Ordering::Acquire)
    }
}

/// A TCP stream that fails every read and write once its [`ConnHandle`] is killed, so hyper
/// gives up on the connection and closes it without writing a byte of the answer.
pub struct KillableStream {
    inner: TcpStream,
    handle: ConnHandle,
}

impl KillableStream {
    fn check(&self) -> io::Result<()> {
        if self.handle.killed() {
            Err(io::Error::new(
                io::ErrorKind::ConnectionAborted,
                "dropped by X-Sandbox-Fault",
            ))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.check()?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The TCP listener [`crate::serve`] uses: hands each connection a [`ConnHandle`].
pub struct FaultListener {
    inner: TcpListener,
}

impl FaultListener {
    pub fn new(inner: TcpListener) -> Self {
        FaultListener { inner }
    }
}

impl Listener for FaultListener {
    type Io = KillableStream;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (inner, addr) = Listener::accept(&mut self.inner).await;
        let _ = inner.set_nodelay(true);
        (
            KillableStream {
                inner,
                handle: ConnHandle::default(),
            },
            addr,
        )
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.inner.local_addr()
    }
}

impl Connected<IncomingStream<'_, FaultListener>> for ConnHandle {
    fn connect_info(stream: IncomingStream<'_, FaultListener>) -> Self {
        stream.io().handle.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses() {
        assert_eq!("500".parse(), Ok(Fault::E500 { after: true }));
        assert_eq!("500;before".parse(), Ok(Fault::E500 { after: false }));
        assert_eq!("510".parse(), Ok(Fault::E510 { after: false }));
        assert_eq!(" TIMEOUT ".parse(), Ok(Fault::Timeout));
        assert_eq!("drop".parse(), Ok(Fault::Drop));
        assert_eq!(
            "slow=250".parse(),
            Ok(Fault::Slow(Duration::from_millis(250)))
        );
        assert_eq!(
            "slow=999999".parse(),
            Ok(Fault::Slow(Duration::from_millis(MAX_SLOW_MS)))
        );
        assert_eq!("badjson".parse(), Ok(Fault::BadJson));
        for bad in ["", "501", "slow=", "slow=-1", "slow=x", "explode"] {
            assert!(bad.parse::<Fault>().is_err(), "{bad}");
        }
    }

    #[test]
    fn work_semantics() {
        assert!(Fault::E500 { after: true }.does_work());
        assert!(!Fault::E510 { after: false }.does_work());
        assert!(!Fault::Timeout.does_work());
        assert!(!Fault::Drop.does_work());
        assert!(Fault::BadJson.does_work());
    }

    #[test]
    fn dice_and_mangling() {
        assert_eq!(roll(0.0), None);
        assert!((0..100).all(|_| roll(1.0).is_some()));
        let ids: std::collections::HashSet<u64> = (0..10_000).map(|_| random_u64()).collect();
        assert_eq!(ids.len(), 10_000);
        let m = mangle(br#"{"status_code":201,"message":"orderAddedSuccessfully"}"#);
        assert!(serde_json::from_slice::<serde_json::Value>(&m).is_err());
    }
}
