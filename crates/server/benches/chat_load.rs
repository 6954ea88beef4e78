//! Many chat widgets open at once: conversations handed over to a person, each widget
//! following its chat live (Server-Sent Events), and an agent's replies timed from the
//! moment they are sent until the customer's stream delivers them; the server's memory with
//! and without the open streams.
//!
//! ```text
//! scripts/bench-chat                    # builds the release binary and runs the below
//! cargo bench -p touchpoints-server --bench chat_load -- --bin target/release/touchpoints
//! cargo bench -p touchpoints-server --bench chat_load -- --bin … --conversations 1000 --replies 300
//! ```
//!
//! With `--bin` the server is that binary in a process of its own (`serve` on a temporary
//! SQLite file with full durability), so its resident memory (`VmRSS` of `/proc/PID/status`)
//! is the server's alone. The benchmark prepares the database through the store first: a
//! chat touchpoint with its widget, the demo company's guideline, a first-response target for
//! the chat around the clock, and a write-scoped API token. Then it starts
//! `--conversations` chats (default 1,000) and hands each over, which opens a request, reads
//! the server's memory, opens every chat's event stream, waits until each has answered, and
//! reads the memory again. The agent then replies through the API (`POST
//! /api/v1/requests/{id}/actions`, the guideline's check included) to one chat after another,
//! `--replies` times (default 300), each reply timed from its send until the customer's
//! stream has delivered it. The reference probes (SHA-256 over 64 MiB; the median of 100
//! syncs of a 4 KiB write, which every reply's commit waits for) are timed before and after. Without `--bench` (as under `cargo test --benches`) a smoke version runs the server
//! in this process with 20 chats and 20 replies.

// Held and dropped only: the in-process server stops with the benchmark.
#[allow(dead_code)]
mod loopback;
mod probes;

use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use loopback::Loopback;
use probes::{cpu_probe, fsync_probe, quantile};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::sync::mpsc;
use touchpoints_app::secrets;
use touchpoints_core::Scope;
use touchpoints_core::consistency::Guideline;
use touchpoints_core::queue::SlaPolicy;
use touchpoints_core::request::Priority;
use touchpoints_server::{Quotas, Settings};
use touchpoints_store::{ChatWidget, Store};

struct Config {
    smoke: bool,
    conversations: usize,
    replies: usize,
    bin: Option<PathBuf>,
}

fn config() -> Config {
    let mut config = Config {
        smoke: true,
        conversations: 20,
        replies: 20,
        bin: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| {
            args.next()
                .and_then(|n| n.parse::<usize>().ok())
                .unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match arg.as_str() {
            "--bench" => {
                config.smoke = false;
                config.conversations = config.conversations.max(1_000);
                config.replies = config.replies.max(300);
            }
            "--conversations" => config.conversations = number("--conversations"),
            "--replies" => config.replies = number("--replies"),
            "--bin" => config.bin = args.next().map(PathBuf::from),
            _ => {}
        }
    }
    config
}

/// The server under test: a process of its own, or a task of this one.
enum Running {
    Process(tokio::process::Child),
    /// Stops the in-process server when dropped.
    InProcess {
        _server: Loopback,
    },
}

impl Running {
    /// The server process's resident memory in KiB; `None` in process.
    fn resident_kib(&self) -> Option<u64> {
        let Running::Process(child) = self else {
            return None;
        };
        let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()?)).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }
}

/// Prepares the database: the chat touchpoint and its widget, the guideline, the chat's
/// target, a write token. Returns the touchpoint and the token.
async fn prepare(store: &dyn Store) -> (i64, String) {
    let catalog = store.catalog().await.expect("catalog");
    let fields = touchpoints_core::TouchpointInput {
        name: "Live-Chat".into(),
        channel: "chat".into(),
        phase: "during-purchase".into(),
        ..Default::default()
    }
    .validate(&catalog)
    .expect("touchpoint");
    let touchpoint = store
        .create_touchpoint(&fields, "bench")
        .await
        .expect("create the touchpoint")
        .id;
    store
        .put_chat_widget(
            &ChatWidget {
                touchpoint_id: touchpoint,
                origins: Vec::new(),
                enabled: true,
            },
            "bench",
        )
        .await
        .expect("widget");
    let guideline =
        Guideline::from_yaml(include_str!("../../../examples/nordlicht/guideline.yaml"))
            .expect("guideline");
    store
        .put_guideline(&guideline, "bench")
        .await
        .expect("guideline");
    store
        .put_sla_policy(
            &SlaPolicy {
                channel: "chat".into(),
                priority: Priority::Normal,
                first_response_minutes: 5,
                resolution_minutes: 60,
                around_the_clock: true,
            },
            "bench",
        )
        .await
        .expect("target");
    let token = format!("tp_{}", secrets::new_secret().expect("secret"));
    store
        .create_api_token("bench", &secrets::digest(&token), Scope::Write, "bench")
        .await
        .expect("token");
    (touchpoint, token)
}

async fn start(config: &Config, url: &str, store: Arc<dyn Store>) -> (Running, String) {
    if let Some(bin) = &config.bin {
        let mut child = tokio::process::Command::new(bin)
            .args([
                "serve",
                "--addr",
                "127.0.0.1:0",
                "--database",
                url,
                "--chats-per-address",
                "1000000",
                "--public-per-minute",
                "1000000",
            ])
            .env("TOUCHPOINTS_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start the server binary");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let base = loop {
            let line = lines
                .next_line()
                .await
                .expect("read the server's output")
                .expect("the server said where it listens");
            if let Some(at) = line.find("listening on ") {
                break line[at + "listening on ".len()..].trim().to_owned();
            }
        };
        // Keep draining its output, so it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        (Running::Process(child), base)
    } else {
        let settings = Settings {
            quotas: Quotas {
                chats_per_address: 1_000_000,
                public_per_address: 1_000_000,
                ..Quotas::default()
            },
            ..Settings::default()
        };
        let server = Loopback::start(store, settings).await;
        let base = server.base.clone();
        (Running::InProcess { _server: server }, base)
    }
}

/// Starts a chat and hands it over; its token.
async fn open_chat(http: &reqwest::Client, base: &str, touchpoint: i64, n: usize) -> String {
    let started: Value = http
        .post(format!("{base}/chat/v1/conversations"))
        .json(&json!({"touchpoint_id": touchpoint, "language": "de"}))
        .send()
        .await
        .expect("start")
        .json()
        .await
        .expect("started");
    let token = started["token"].as_str().expect("token").to_owned();
    let handed = http
        .post(format!("{base}/chat/v1/handover"))
        .header("X-Chat-Token", &token)
        .json(&json!({"name": format!("Kunde {n}"), "email": format!("kunde{n}@example.de")}))
        .send()
        .await
        .expect("hand over");
    assert!(handed.status().is_success(), "{}", handed.status());
    token
}

fn main() {
    let config = config();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run(config));
}

async fn run(config: Config) {
    let probe_before = cpu_probe(if config.smoke { 1 } else { 64 });
    let dir = tempfile::tempdir().expect("temporary directory");
    let sync_before = fsync_probe(dir.path());
    let url = format!("sqlite://{}/chat.db", dir.path().display());
    let store = touchpoints_store::open(&url).await.expect("open the store");
    let (touchpoint, token) = prepare(&*store).await;
    let (server, base) = start(&config, &url, store.clone()).await;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .expect("client");

    // Conversations, handed over, eight at a time.
    let opened = Instant::now();
    let chats: Vec<String> = futures::stream::iter(0..config.conversations)
        .map(|n| {
            let (http, base) = (http.clone(), base.clone());
            async move { open_chat(&http, &base, touchpoint, n).await }
        })
        .buffer_unordered(8)
        .collect()
        .await;
    let opening = opened.elapsed();
    // Each chat's request, from the store the server writes to (the widget's API does not
    // name it).
    let mut requests = Vec::with_capacity(chats.len());
    for chat in &chats {
        let conversation = store
            .chat_by_token(&secrets::digest(chat))
            .await
            .expect("read")
            .expect("the conversation");
        requests.push(conversation.request_id.expect("handed over"));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let idle_kib = server.resident_kib();

    // Every widget follows its chat; a delivered reply names its number.
    let (delivered, mut heard) = mpsc::unbounded_channel::<(usize, Instant)>();
    let (ready, mut all_ready) = mpsc::unbounded_channel::<()>();
    let streams = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    for chat in &chats {
        let mut stream = streams
            .get(format!("{base}/chat/v1/events?after=0"))
            .header("X-Chat-Token", chat)
            .send()
            .await
            .expect("open a stream");
        assert_eq!(stream.status(), reqwest::StatusCode::OK);
        let (delivered, ready) = (delivered.clone(), ready.clone());
        tokio::spawn(async move {
            ready.send(()).ok();
            let mut buffer = String::new();
            while let Ok(Some(chunk)) = stream.chunk().await {
                let at = Instant::now();
                buffer.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(cut) = buffer.find("\n\n") {
                    let block: String = buffer.drain(..cut + 2).collect();
                    if let Some(number) = block
                        .split("Antwort Nr. ")
                        .nth(1)
                        .and_then(|rest| rest.split('.').next())
                        .and_then(|n| n.parse::<usize>().ok())
                    {
                        delivered.send((number, at)).ok();
                    }
                }
            }
        });
    }
    for _ in 0..chats.len() {
        all_ready.recv().await.expect("every stream opened");
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let streaming_kib = server.resident_kib();

    // The agent replies to one chat after another; each reply is timed until its delivery.
    let mut times = Vec::with_capacity(config.replies);
    for number in 0..config.replies {
        let request = requests[(number * 7_919) % requests.len()];
        let sent = Instant::now();
        let answer = http
            .post(format!("{base}/api/v1/requests/{request}/actions"))
            .bearer_auth(&token)
            .json(&json!({
                "action": "reply",
                "body": format!("Guten Tag, hier ist die Antwort Nr. {number}. Ihr Team"),
            }))
            .send()
            .await
            .expect("reply");
        assert!(answer.status().is_success(), "{}", answer.status());
        loop {
            let (heard_number, at) = tokio::time::timeout(Duration::from_secs(10), heard.recv())
                .await
                .expect("the reply was delivered within 10 s")
                .expect("the streams run");
            if heard_number == number {
                times.push(at.duration_since(sent).as_secs_f64() * 1000.0);
                break;
            }
        }
    }
    times.sort_by(f64::total_cmp);
    let probe_after = cpu_probe(if config.smoke { 1 } else { 64 });
    let sync_after = fsync_probe(dir.path());

    println!(
        "chat load: {} conversations handed over in {:.1} s, {} open event streams, {} replies",
        chats.len(),
        opening.as_secs_f64(),
        chats.len(),
        times.len()
    );
    println!(
        "  agent → customer delivery: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
        quantile(&times, 0.50),
        quantile(&times, 0.95),
        quantile(&times, 0.99),
        times.last().copied().unwrap_or_default()
    );
    if let (Some(idle), Some(streaming)) = (idle_kib, streaming_kib) {
        println!(
            "  server memory (RSS): {:.1} MB without streams, {:.1} MB with {} streams, {:.1} KB a stream",
            idle as f64 / 1024.0,
            streaming as f64 / 1024.0,
            chats.len(),
            streaming.saturating_sub(idle) as f64 / chats.len() as f64
        );
    }
    println!(
        "  reference probe (SHA-256 over {} MiB, best of 3): {:.1} ms before, {:.1} ms after",
        if config.smoke { 1 } else { 64 },
        probe_before.as_secs_f64() * 1000.0,
        probe_after.as_secs_f64() * 1000.0
    );
    println!(
        "  sync probe (median of 100 syncs of 4 KiB): {:.2} ms before, {:.2} ms after",
        sync_before.as_secs_f64() * 1000.0,
        sync_after.as_secs_f64() * 1000.0
    );
    drop(server);
}
