//! `frontdesk-sandbox`: a stateful simulator of Front Payment's Connect order API.
//!
//! [`open`] builds the shared state (store, clock, callback delivery), [`app`] the axum
//! router, [`serve`] runs it with the listener that fault injection needs, and [`start`] does
//! all of it on a background thread (tests, the bench).

pub mod api;
pub mod callbacks;
pub mod clock;
pub mod controls;
pub mod faults;
pub mod http;
pub mod ratelimit;
pub mod refunds;
pub mod rules;
pub mod store;
pub mod targets;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use frontdesk_core::dialect::Dialect;
use frontdesk_core::envelope::DEFAULT_RATE_LIMIT;
use frontdesk_core::money::Money;

pub use store::Db;

/// How the sandbox behaves.
#[derive(Debug, Clone)]
pub struct Config {
    /// The bearer token clients must send.
    pub token: String,
    /// The merchant secret that callback checksums are made with.
    pub callback_secret: String,
    /// Which reading of the API the sandbox speaks: the docs' or the recorded live server's.
    pub dialect: Dialect,
    /// API requests a minute (Laravel's `throttle:N,1`); 0 = off.
    pub rate_limit: u32,
    /// Largest single refund (`refundRejectionForRequestAmountThresholdExceed`); off when `None`.
    pub refund_limit: Option<Money>,
    /// Largest sum of refunds over the last 7 days (`refundRejectionForWeeklyThresholdExceed`).
    pub weekly_refund_limit: Option<Money>,
    /// Share of API calls that get a random fault (0 ..= 1).
    pub fault_rate: f64,
    /// How long the `timeout` fault holds a request before closing the connection.
    pub fault_timeout: Duration,
    /// How long an unpaid payment link stays SENT.
    pub payment_link_validity: Duration,
    pub callback_retry: callbacks::RetryPolicy,
    /// Deliver callbacks to loopback, link-local, private and CGNAT addresses too (the stack's
    /// and the tests' receivers on 127.0.0.1); off, they are refused ([`targets`]).
    pub allow_private_callbacks: bool,
}

impl Config {
    pub fn new(token: impl Into<String>, callback_secret: impl Into<String>) -> Self {
        Config {
            token: token.into(),
            callback_secret: callback_secret.into(),
            dialect: Dialect::Docs,
            rate_limit: DEFAULT_RATE_LIMIT,
            refund_limit: None,
            weekly_refund_limit: None,
            fault_rate: 0.0,
            fault_timeout: Duration::from_secs(30),
            payment_link_validity: Duration::from_secs(7 * 24 * 3600),
            callback_retry: callbacks::RetryPolicy::default(),
            allow_private_callbacks: false,
        }
    }
}

/// Everything a request needs.
pub struct App {
    pub config: Config,
    pub store: Arc<store::Store>,
    pub clock: clock::Clock,
    pub callbacks: callbacks::Dispatcher,
    /// The rate limit's window (wall time; changed at run time by `/_sandbox/rate-limit`).
    pub limiter: ratelimit::Limiter,
}

impl App {
    /// Expire due payment links (and queue their callbacks). Blocking (SQLite).
    pub fn sweep(&self) -> Result<(), store::StoreError> {
        let ids = self.store.expire_due(self.clock.now())?;
        self.callbacks.send(ids);
        Ok(())
    }
}

/// Open the store and start callback delivery and the expiry ticker. Needs a tokio runtime.
pub fn open(config: Config, db: &Db) -> Result<Arc<App>, store::StoreError> {
    let store = Arc::new(store::Store::open(db)?);
    let offset = store.init()?;
    let callbacks = callbacks::start(
        store.clone(),
        config.callback_secret.clone(),
        config.callback_retry,
        targets::Policy {
            allow_private: config.allow_private_callbacks,
        },
    );
    let limiter = ratelimit::Limiter::new(config.rate_limit);
    let app = Arc::new(App {
        config,
        store,
        clock: clock::Clock::new(offset),
        callbacks,
        limiter,
    });
    // Expiry also happens on every API call; the ticker makes it happen (and its callback go
    // out) when nobody is asking.
    let weak = Arc::downgrade(&app);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let Some(app) = weak.upgrade() else { return };
            let _ = tokio::task::spawn_blocking(move || app.sweep()).await;
        }
    });
    Ok(app)
}

/// The router: every path goes through [`http::dispatch`], so every answer is an envelope.
pub fn app(state: Arc<App>) -> Router {
    http::router(state)
}

/// Serve until `shutdown` resolves; in-flight requests finish, committed state stays.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = faults::FaultListener::new(listener);
    let make = app(state).into_make_service_with_connect_info::<faults::ConnHandle>();
    axum::serve(listener, make)
        .with_graceful_shutdown(shutdown)
        .await
}

/// A sandbox running on its own thread and runtime.
pub struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Running {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
    /// Graceful shutdown; waits for the server thread.
    pub fn stop(mut self) -> std::io::Result<()> {
        self.shutdown()
    }
    fn shutdown(&mut self) -> std::io::Result<()> {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        match self.thread.take() {
            Some(t) => t
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("sandbox thread panicked"))),
            None => Ok(()),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}

/// Start a sandbox on `addr` (e.g. `127.0.0.1:0`) on a background thread with a 2-worker runtime.
pub fn start(config: Config, db: Db, addr: SocketAddr) -> std::io::Result<Running> {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<std::io::Result<SocketAddr>>();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || -> std::io::Result<()> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        rt.block_on(async move {
            let setup = async {
                let listener = tokio::net::TcpListener::bind(addr).await?;
                let state = open(config, &db).map_err(std::io::Error::other)?;
                Ok::<_, std::io::Error>((listener, state))
            };
            let (listener, state) = match setup.await {
                Ok(v) => v,
                Err(e) => {
                    let _ = ready_tx.send(Err(std::io::Error::new(e.kind(), e.to_string())));
                    return Err(e);
                }
            };
            let _ = ready_tx.send(listener.local_addr());
            serve(listener, state.clone(), async {
                let _ = stop_rx.await;
            })
            .await?;
            state.store.checkpoint().map_err(std::io::Error::other)
        })?;
        // Dropping the runtime cancels callback deliveries; pending ones stay in the database.
        rt.shutdown_timeout(Duration::from_secs(1));
        Ok(())
    });
    let addr = ready_rx
        .recv()
        .map_err(|_| std::io::Error::other("sandbox thread died"))??;
    Ok(Running {
        addr,
        stop: Some(stop_tx),
        thread: Some(thread),
    })
}
