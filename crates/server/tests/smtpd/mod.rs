//! A real SMTP server for tests and benchmarks: aiosmtpd from PyPI on a free port of
//! 127.0.0.1, writing what it receives to a Maildir. `TOUCHPOINTS_TEST_SMTPD` names a Python
//! with aiosmtpd installed (`scripts/test` makes one).

// The tests and the campaign benchmark each use a part of it.
#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const NEEDS_SMTPD: &str =
    "needs TOUCHPOINTS_TEST_SMTPD: a Python with aiosmtpd (scripts/test makes one)";

/// An aiosmtpd server on a free port of 127.0.0.1, stopped when dropped.
pub struct Smtpd {
    pub port: u16,
    maildir: tempfile::TempDir,
    child: Child,
}

impl Smtpd {
    pub fn start() -> Smtpd {
        let python = std::env::var("TOUCHPOINTS_TEST_SMTPD")
            .unwrap_or_else(|_| panic!("TOUCHPOINTS_TEST_SMTPD is not set: {NEEDS_SMTPD}"));
        let port = free_port();
        let maildir = tempfile::tempdir().expect("maildir");
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l"])
            .arg(format!("127.0.0.1:{port}"))
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(maildir.path().join("box"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start aiosmtpd");
        let smtpd = Smtpd {
            port,
            maildir,
            child,
        };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        smtpd
    }

    /// The mails received so far, oldest first, as (headers, whole text).
    pub fn received(&self) -> Vec<Received> {
        let new = self.maildir.path().join("box/new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&new)
            .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        files.sort_by_key(|f| std::fs::metadata(f).and_then(|m| m.modified()).ok());
        files.iter().map(|f| Received::read(f)).collect()
    }

    /// Waits until `n` mails have arrived (and a little longer, to see that no more come).
    pub async fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let received = self.received();
            if received.len() >= n {
                tokio::time::sleep(Duration::from_millis(500)).await;
                return self.received();
            }
            assert!(
                Instant::now() < deadline,
                "{} of {n} mails arrived",
                received.len()
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Smtpd {
    fn drop(&mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// A received mail: its unfolded headers and its whole text.
pub struct Received {
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Received {
    pub fn read(path: &Path) -> Received {
        let text = std::fs::read_to_string(path).expect("read a received mail");
        let head = text.split("\n\n").next().unwrap_or_default();
        let mut headers: Vec<(String, String)> = Vec::new();
        for line in head.lines() {
            match (line.starts_with([' ', '\t']), headers.last_mut()) {
                (true, Some((_, value))) => value.push_str(line.trim_end()),
                _ => {
                    if let Some((name, value)) = line.split_once(':') {
                        headers.push((name.to_ascii_lowercase(), value.trim().to_owned()));
                    }
                }
            }
        }
        Received { headers, text }
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}
