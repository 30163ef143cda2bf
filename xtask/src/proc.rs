//! Child processes: commands that must succeed, and long-running services that die with us.

use std::fs::File;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

/// Runs a command whose output is progress for people: it goes to stderr, so the stdout of
/// `xtask stack` stays exactly one JSON line. An error names the command and its exit status.
pub fn run(command: &mut Command) -> Result<()> {
    let status = command
        .stdout(std::io::stderr())
        .status()
        .with_context(|| format!("could not start {}", describe(command)))?;
    if !status.success() {
        bail!("{} exited with {status}", describe(command));
    }
    Ok(())
}

pub fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned()),
    );
    format!("`{}`", words.join(" "))
}

pub fn human_duration(duration: Duration) -> String {
    let secs = duration.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1} s")
    } else {
        format!(
            "{}m{:02}s",
            duration.as_secs() / 60,
            duration.as_secs() % 60
        )
    }
}

/// A free port on 127.0.0.1, chosen by the kernel.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A long-running child in its own process group, with output in a log file. Dropping it stops
/// the whole group (wrangler starts workerd, which must not outlive it).
pub struct Service {
    pub name: String,
    pub log: PathBuf,
    child: Child,
}

impl Service {
    pub fn start(name: &str, command: &mut Command, log: &Path) -> Result<Service> {
        let out = File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let err = out.try_clone()?;
        let child = command
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .spawn()
            .with_context(|| format!("could not start {name}: {}", describe(command)))?;
        Ok(Service {
            name: name.to_string(),
            log: log.to_path_buf(),
            child,
        })
    }

    /// Polls `url` until it answers 2xx, the service exits, or `timeout` passes.
    pub fn wait_healthy(&mut self, url: &str, timeout: Duration) -> Result<()> {
        let started = Instant::now();
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(2)))
            .build()
            .new_agent();
        loop {
            if let Ok(response) = agent.get(url).call()
                && response.status().is_success()
            {
                return Ok(());
            }
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "{} exited with {status} before {url} answered\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            if started.elapsed() > timeout {
                bail!(
                    "{} did not answer {url} within {timeout:?}\n{}",
                    self.name,
                    self.log_tail()
                );
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        let tail = lines[lines.len().saturating_sub(40)..].join("\n");
        format!(
            "--- last lines of {} ({}) ---\n{tail}",
            self.name,
            self.log.display()
        )
    }

    fn stop(&mut self) {
        let Ok(pid) = i32::try_from(self.child.id()) else {
            return;
        };
        // SAFETY: kill(2) on our own child's process group; a stale group only yields ESRCH.
        unsafe { libc::kill(-pid, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                // Grandchildren (workerd) may linger in the group after the leader exits.
                unsafe { libc::kill(-pid, libc::SIGKILL) };
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // SAFETY: as above.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        self.stop();
    }
}
