//! A reply's mail survives the server's death: `touchpoints serve` is killed (SIGKILL) while
//! the mail waits in the outbox, and once a server runs again the mail arrives exactly once
//! at a real SMTP server on loopback (aiosmtpd, see `TOUCHPOINTS_TEST_SMTPD`).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use touchpoints_core::mail::{MailSettings, MailStatus, Security};
use touchpoints_core::request::{RequestCustomer, RequestInput};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Waits until something accepts connections on `port`.
fn wait_for_port(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn serve(database: &str, port: u16) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_touchpoints"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .env("TOUCHPOINTS_DATABASE", database)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start touchpoints serve");
    wait_for_port(port);
    child
}

fn received(maildir: &Path) -> usize {
    std::fs::read_dir(maildir.join("new")).map_or(0, Iterator::count)
}

#[tokio::test]
#[ignore = "needs TOUCHPOINTS_TEST_SMTPD: a Python with aiosmtpd (scripts/test makes one)"]
async fn a_queued_mail_survives_a_killed_server_and_arrives_once() {
    let python = std::env::var("TOUCHPOINTS_TEST_SMTPD")
        .expect("TOUCHPOINTS_TEST_SMTPD names a Python with aiosmtpd (scripts/test makes one)");
    let dir = tempfile::tempdir().expect("temp dir");
    let database = format!("sqlite://{}", dir.path().join("t.db").display());
    let smtp_port = free_port();

    // A reply on an e-mail request, written while the mail server is down.
    let id = {
        let store = touchpoints_store::open(&database).await.expect("open");
        let settings = MailSettings {
            host: "127.0.0.1".into(),
            port: smtp_port,
            security: Security::None,
            username: String::new(),
            from_address: "service@nordlicht.example".into(),
            from_name: "Nordlicht".into(),
            survey_after_resolution: false,
            survey_interval_days: 30,
            public_url: String::new(),
            senders: Vec::new(),
        };
        store
            .put_mail_settings(&settings, "admin")
            .await
            .expect("settings");
        let catalog = store.catalog().await.expect("catalog");
        let request = RequestInput {
            channel: "email".into(),
            customer: RequestCustomer {
                email: Some("anna@example.de".into()),
                ..RequestCustomer::default()
            },
            subject: "Sofa".into(),
            body: "Wo bleibt mein Sofa?".into(),
            ..RequestInput::default()
        }
        .validate(&catalog, jiff::Timestamp::now())
        .expect("valid");
        let id = store.intake(&[request], "t").await.expect("intake")[0].id;
        let now = jiff::Timestamp::now();
        touchpoints_app::replies::reply(
            store.as_ref(),
            id,
            "Es kommt am Montag.",
            false,
            "agent",
            now,
        )
        .await
        .expect("reply");
        id
    };

    // A server takes it up, fails to reach the mail server and is killed.
    let mut first = serve(&database, free_port());
    let store = touchpoints_store::open(&database).await.expect("open");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mail = store.request_mails(id).await.expect("mails").remove(0);
        if mail.attempts == 1 && mail.status == MailStatus::Queued {
            break;
        }
        assert!(Instant::now() < deadline, "no try recorded: {mail:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    first.kill().expect("SIGKILL");
    first.wait().expect("reaped");

    // The mail server comes up, and so does a server again: the mail arrives, once.
    let maildir = dir.path().join("maildir");
    let mut smtpd = Command::new(python)
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{smtp_port}"),
        ])
        .args(["-c", "aiosmtpd.handlers.Mailbox"])
        .arg(&maildir)
        .stdout(Stdio::null())
        .spawn()
        .expect("start aiosmtpd");
    wait_for_port(smtp_port);
    let mut second = serve(&database, free_port());
    // The next try is due a minute after the failed one.
    let deadline = Instant::now() + Duration::from_secs(120);
    while received(&maildir) == 0 {
        assert!(Instant::now() < deadline, "the mail did not arrive");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Longer than the worker's look for due mails: nothing more comes.
    tokio::time::sleep(Duration::from_secs(7)).await;
    let mail = store.request_mails(id).await.expect("mails").remove(0);
    second.kill().ok();
    second.wait().ok();
    smtpd.kill().ok();
    smtpd.wait().ok();
    assert_eq!(received(&maildir), 1, "arrived exactly once");
    assert_eq!((mail.status, mail.attempts), (MailStatus::Sent, 2));
}
