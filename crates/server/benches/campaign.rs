//! A campaign to many consenting customers, through the outbox into a real SMTP server on
//! loopback (aiosmtpd, as in the mail tests), beside the same number of mails sent straight to
//! the same server with the same client library (lettre, one connection) in the same run.
//! Checks that every recipient got exactly one mail.
//!
//! ```text
//! TOUCHPOINTS_TEST_SMTPD=target/py-smtp/bin/python \
//!     cargo bench -p touchpoints-server --bench campaign [-- --customers 100000]
//! ```
//!
//! `TOUCHPOINTS_TEST_SMTPD` names a Python with aiosmtpd (`scripts/test` makes one under
//! `target/py-smtp`). Without `--bench` (as under `cargo test --benches`) it runs a small smoke
//! version, and says it skipped when no such Python is named.
//!
//! Three figures: the send (the segment's members found, the template filled for each, every
//! mail written to the outbox in one transaction), the delivery (the outbox worker's rounds
//! until the SMTP server holds every mail, at the campaign's pace of at most 60,000 a minute),
//! and the baseline (lettre sending the same number of mails over one connection). The
//! reference probe (SHA-256 over 64 MiB) runs before and after.

// The CPU probe only: the write probes are for the store's benchmarks.
#[allow(dead_code)]
mod probes;
#[path = "../tests/smtpd/mod.rs"]
mod smtpd;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use lettre::message::MultiPart;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use probes::cpu_probe;
use sqlx::Connection;
use touchpoints_core::campaign::{CampaignFields, PER_MINUTE_MAX};
use touchpoints_core::mail::{MailSettingsInput, Security};
use touchpoints_core::message_template::TemplateFields;
use touchpoints_core::request::{NewRequest, RequestInput};
use touchpoints_core::segment::{Combine, SegmentFields};
use touchpoints_store::Store;

struct Config {
    smoke: bool,
    customers: usize,
}

impl Config {
    fn from_args() -> Config {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let smoke = !args.iter().any(|a| a == "--bench");
        let mut customers = if smoke { 200 } else { 100_000 };
        if let Some(i) = args.iter().position(|a| a == "--customers") {
            customers = args
                .get(i + 1)
                .and_then(|v| v.replace('_', "").parse().ok())
                .unwrap_or(customers);
        }
        Config { smoke, customers }
    }
}

fn address(n: usize) -> String {
    format!("kundin{n}@example.de")
}

/// `n` customers, each from a request by e-mail, all consenting to marketing mails.
async fn customers(store: &dyn Store, database: &str, n: usize) {
    let catalog = store.catalog().await.expect("catalog");
    let requests: Vec<NewRequest> = (0..n)
        .map(|i| {
            let input: RequestInput = serde_json::from_value(serde_json::json!({
                "channel": "email",
                "customer": {"name": format!("Kundin {i}"), "email": address(i)},
                "subject": "Frage", "body": "Eine Frage.",
            }))
            .expect("a request");
            input
                .validate(&catalog, Timestamp::now())
                .expect("a valid request")
        })
        .collect();
    for chunk in requests.chunks(1_000) {
        store.intake(chunk, "bench").await.expect("intake");
    }
    // The consent, for all at once: the product sets it one profile at a time, which is not
    // what this benchmark measures.
    let mut conn = sqlx::SqliteConnection::connect(database)
        .await
        .expect("the database");
    sqlx::query(
        "UPDATE customers SET consent = \
         '{\"email_marketing\":true,\"phone_marketing\":false,\"personalisation\":false}'",
    )
    .execute(&mut conn)
    .await
    .expect("consent");
}

/// Runs outbox rounds until none is due and nothing is queued any more.
async fn deliver_all(store: &dyn Store, n: usize) {
    loop {
        let round = touchpoints_app::outbox::deliver_due(store, None, Timestamp::now)
            .await
            .expect("a round");
        if round.failed > 0 || round.retried > 0 {
            panic!("mails failed: {round:?}");
        }
        if !round.was_full() {
            let (_, counts) = store.outbox(1).await.expect("the outbox");
            let sent: u64 = counts
                .iter()
                .filter(|(s, _)| s.as_str() == "sent")
                .map(|(_, n)| *n)
                .sum();
            if sent as usize >= n {
                return;
            }
            // The rest is not due yet: the campaign's pace.
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
}

/// Mail `i` of a baseline, as large as a campaign's.
fn baseline_message(i: usize) -> Message {
    Message::builder()
        .from(
            "Nordlicht <service@nordlicht.example>"
                .parse()
                .expect("from"),
        )
        .to(format!("base{i}@example.de").parse().expect("to"))
        .subject("Ihre Vorschau")
        .multipart(MultiPart::alternative_plain_html(
            format!("Guten Tag Kundin {i},\n\nsehen Sie unsere Kollektion zuerst."),
            format!("<p>Guten Tag Kundin {i},</p><p>sehen Sie unsere Kollektion zuerst.</p>"),
        ))
        .expect("a message")
}

/// `n` mails sent straight to the server over one connection opened as the outbox opens it
/// (`TCP_NODELAY`), one after the other: what sending costs without the outbox.
async fn baseline(port: u16, n: usize) -> Duration {
    let tcp = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .expect("connect");
    tcp.set_nodelay(true).expect("nodelay");
    let hello = ClientId::Domain("nordlicht.example".into());
    let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello)
        .await
        .expect("a session");
    let start = Instant::now();
    for i in 0..n {
        let message = baseline_message(i);
        conn.send(message.envelope(), &message.formatted())
            .await
            .expect("sent");
    }
    start.elapsed()
}

/// `n` mails through lettre's own transport, which opens its sockets with Nagle's algorithm
/// on: what the outbox did before it opened its connections itself.
async fn stock_transport(port: u16, n: usize) -> Duration {
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(port)
        .build();
    let start = Instant::now();
    for i in 0..n {
        transport.send(baseline_message(i)).await.expect("sent");
    }
    start.elapsed()
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let config = Config::from_args();
    if std::env::var_os("TOUCHPOINTS_TEST_SMTPD").is_none() {
        assert!(config.smoke, "{}", smtpd::NEEDS_SMTPD);
        eprintln!("campaign benchmark SKIPPED: {}", smtpd::NEEDS_SMTPD);
        return;
    }
    let probe_mib = if config.smoke { 1 } else { 64 };
    let dir = tempfile::tempdir().expect("temp dir");
    let database = format!("sqlite://{}/bench.db", dir.path().display());
    let store = touchpoints_store::open(&database)
        .await
        .expect("open the store");
    let n = config.customers;
    customers(store.as_ref(), &database, n).await;
    let server = smtpd::Smtpd::start();
    let settings = MailSettingsInput {
        host: "127.0.0.1".into(),
        port: i64::from(server.port),
        security: Security::None.as_str().into(),
        from_address: "service@nordlicht.example".into(),
        from_name: "Nordlicht".into(),
        public_url: "https://touchpoints.example".into(),
        ..MailSettingsInput::default()
    };
    touchpoints_app::outbox::put_settings(store.as_ref(), &settings, "bench")
        .await
        .expect("mail settings");
    let segment = SegmentFields {
        name: "Alle".into(),
        combine: Combine::All,
        rules: Vec::new(),
    };
    let segment = touchpoints_app::campaigns::save_segment(store.as_ref(), None, &segment, "bench")
        .await
        .expect("segment");
    let template = TemplateFields {
        name: "Vorschau".into(),
        language: "de".into(),
        subject: "Ihre Vorschau, {{ first_name or \"liebe Kundin\" }}".into(),
        body: "{{ greeting }},\n\n{% if segments %}als {{ segment }}-Kundin {% endif %}sehen Sie \
               unsere Kollektion zuerst.{% if last_order_date %} Passend zu Ihrem Einkauf vom \
               {{ last_order_date }}.{% endif %}\n\nIhr Nordlicht-Team"
            .into(),
    };
    let template = touchpoints_app::templates::save(store.as_ref(), None, &template, "bench")
        .await
        .expect("template");
    let fields = CampaignFields {
        name: "Vorschau".into(),
        segment_id: segment.id,
        template_id: template.id,
        per_minute: PER_MINUTE_MAX,
    };
    let campaign = touchpoints_app::campaigns::create(store.as_ref(), &fields, "bench")
        .await
        .expect("campaign");

    let probe_before = cpu_probe(probe_mib);
    let start = Instant::now();
    let sent =
        touchpoints_app::campaigns::send(store.as_ref(), campaign.id, "bench", Timestamp::now())
            .await
            .expect("send");
    let send_took = start.elapsed();
    assert_eq!(sent.queued as usize, n, "{sent:?}");
    let start = Instant::now();
    deliver_all(store.as_ref(), n).await;
    let deliver_took = start.elapsed();
    let received = server.wait_for(n).await;
    let mut per_recipient: HashMap<String, usize> = HashMap::new();
    for mail in &received {
        *per_recipient
            .entry(mail.header("x-rcptto").to_owned())
            .or_default() += 1;
    }
    assert_eq!(received.len(), n, "mails received");
    assert!(
        (0..n).all(|i| per_recipient.get(&address(i)) == Some(&1)),
        "every recipient exactly one mail"
    );
    let base_server = smtpd::Smtpd::start();
    let base_took = baseline(base_server.port, n).await;
    assert_eq!(
        base_server.wait_for(n).await.len(),
        n,
        "baseline mails received"
    );
    // At about 25 mails a second, a sample says enough.
    let stock_n = n.min(200);
    let stock_server = smtpd::Smtpd::start();
    let stock_took = stock_transport(stock_server.port, stock_n).await;
    let probe_after = cpu_probe(probe_mib);

    let rate = |took: Duration| n as f64 / took.as_secs_f64();
    println!("campaign to {n} consenting customers, SQLite, aiosmtpd on loopback");
    println!(
        "send (members, templates, outbox): {:.2} s, {:.0} mails/s",
        send_took.as_secs_f64(),
        rate(send_took)
    );
    println!(
        "delivery through the outbox: {:.2} s, {:.0} mails/s ({:.0} % of the baseline); each recipient got exactly one",
        deliver_took.as_secs_f64(),
        rate(deliver_took),
        100.0 * rate(deliver_took) / rate(base_took)
    );
    println!(
        "baseline, one connection straight to the same server: {:.2} s, {:.0} mails/s",
        base_took.as_secs_f64(),
        rate(base_took)
    );
    println!(
        "lettre's own transport (Nagle on), {stock_n} mails: {:.0} mails/s",
        stock_n as f64 / stock_took.as_secs_f64()
    );
    println!(
        "reference probe (SHA-256 over {probe_mib} MiB): {:.1} ms before, {:.1} ms after",
        probe_before.as_secs_f64() * 1e3,
        probe_after.as_secs_f64() * 1e3
    );
}
