//! Intake and queue speed: requests posted over HTTP on loopback (one per call and in
//! batches) beside the raw insert rate of the same store (`Store::intake` in-process, no HTTP,
//! no JSON) measured in the same run; and the next-best request of a queue of a million open
//! requests.
//!
//! ```text
//! cargo bench -p touchpoints-server --bench intake
//! cargo bench -p touchpoints-server --bench intake -- --requests 100000 --queue 1000000
//! cargo bench -p touchpoints-server --bench intake -- --postgres postgres://…/empty_db
//! ```
//!
//! Options: `--requests N` requests per intake measurement (default 100,000), `--batch N`
//! requests per batch (1,000), `--clients N` concurrent HTTP clients (4), `--queue N` open
//! requests for the ordering measurement (1,000,000), `--postgres URL` run on PostgreSQL
//! instead of a temporary SQLite file (an empty database: the benchmark creates its schema
//! and leaves its rows). Without `--bench` (as under `cargo test --benches`) it runs a small
//! smoke version.
//!
//! Each call over HTTP is timed from send to answer, and the median and 99th percentile are
//! printed beside the rate. Before and after the run two reference probes are timed, because
//! the speed of a shared machine drifts: SHA-256 over 64 MiB (best of 3, the probe of the
//! other benchmarks) and the median of 100 syncs of a 4 KiB write to a file beside the
//! database (what each commit of a durable SQLite store waits for).

mod loopback;
mod probes;

use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use loopback::Loopback;
use probes::{cpu_probe, fsync_probe, quantile};
use serde_json::{Value, json};
use touchpoints_app::secrets;
use touchpoints_core::request::{NewRequest, RequestInput};
use touchpoints_core::sample::SplitMix64;
use touchpoints_core::{Catalog, Scope};
use touchpoints_server::Settings;
use touchpoints_store::{QueueFilter, QueueView, Store};

struct Config {
    /// The small run of `cargo test --benches`, maybe without optimisations.
    smoke: bool,
    requests: usize,
    batch: usize,
    clients: usize,
    queue: usize,
    postgres: Option<String>,
}

impl Config {
    fn from_args() -> Config {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let smoke = !args.iter().any(|a| a == "--bench");
        let mut config = if smoke {
            Config {
                smoke,
                requests: 2_000,
                batch: 500,
                clients: 2,
                queue: 5_000,
                postgres: None,
            }
        } else {
            Config {
                smoke,
                requests: 100_000,
                batch: 1_000,
                clients: 4,
                queue: 1_000_000,
                postgres: None,
            }
        };
        let mut i = 0;
        while i < args.len() {
            let value = args.get(i + 1).cloned().unwrap_or_default();
            let number = || value.replace('_', "").parse::<usize>().unwrap_or(0);
            match args[i].as_str() {
                "--requests" => config.requests = number(),
                "--batch" => config.batch = number().max(1),
                "--clients" => config.clients = number().max(1),
                "--queue" => config.queue = number(),
                "--postgres" => config.postgres = Some(value.clone()),
                _ => {
                    i += 1;
                    continue;
                }
            }
            i += 2;
        }
        config
    }
}

const CHANNELS: [&str; 7] = [
    "email",
    "phone",
    "chat",
    "social-media",
    "store",
    "website",
    "letter",
];
const BODIES: [&str; 4] = [
    "Guten Tag, wann wird mein Sofa geliefert? Die Bestellnummer steht unten.",
    "Das ist unverschämt, ich warte seit drei Wochen auf eine Antwort. Bitte dringend melden!",
    "Hello, can I still return the lamp I bought last month? Thanks a lot.",
    "Ich möchte meine Adresse ändern, wir sind umgezogen.",
];

/// Request `n` of a run tagged `run`, as an integration posts it: one customer in three
/// writes again (same e-mail), some give a phone number too. Each run has customers of its
/// own: their phone numbers are drawn from the run and the customer, so that runs meet only
/// by chance (and then merge profiles) and every run asks the same work of the store.
fn request_json(run: &str, n: usize, rng: &mut SplitMix64) -> Value {
    let customer = rng.below((n / 3).max(1) + 1);
    let mut body = json!({
        "channel": CHANNELS[rng.below(CHANNELS.len())],
        "customer": {"name": format!("Kunde {customer}"), "email": format!("kunde{customer}.{run}@example.de")},
        "subject": format!("Anfrage {n}"),
        "body": BODIES[rng.below(BODIES.len())],
        "external_id": format!("{run}-{n}"),
    });
    if rng.below(4) == 0 {
        let mut hasher = std::hash::DefaultHasher::new();
        (run, customer).hash(&mut hasher);
        body["customer"]["phone"] = json!(format!("0171 {:07}", hasher.finish() % 10_000_000));
    }
    body
}

fn validated(catalog: &Catalog, body: &Value) -> NewRequest {
    let input: RequestInput = serde_json::from_value(body.clone()).expect("a request");
    input
        .validate(catalog, Timestamp::now())
        .expect("a valid request")
}

fn rate(n: usize, took: Duration) -> f64 {
    n as f64 / took.as_secs_f64()
}

async fn raw(store: &dyn Store, catalog: &Catalog, config: &Config, run: &str) -> f64 {
    let mut rng = SplitMix64::new(1);
    let requests: Vec<NewRequest> = (0..config.requests)
        .map(|n| validated(catalog, &request_json(run, n, &mut rng)))
        .collect();
    let start = Instant::now();
    for chunk in requests.chunks(config.batch) {
        store.intake(chunk, "bench").await.expect("intake");
    }
    rate(config.requests, start.elapsed())
}

/// What an HTTP measurement found: requests per second, and the time of a call from send to
/// answer (median and 99th percentile, in milliseconds).
struct OverHttp {
    rate: f64,
    median_ms: f64,
    p99_ms: f64,
}

/// The probe's size: 64 MiB, 1 MiB in the smoke run.
fn probe_mib(config: &Config) -> usize {
    if config.smoke { 1 } else { 64 }
}

async fn http(base: &str, token: &str, config: &Config, run: &str, batched: bool) -> OverHttp {
    let client = reqwest::Client::new();
    let mut rng = SplitMix64::new(2);
    let bodies: Vec<Value> = (0..config.requests)
        .map(|n| request_json(run, n, &mut rng))
        .collect();
    let calls: Vec<Vec<u8>> = if batched {
        bodies
            .chunks(config.batch)
            .map(|c| serde_json::to_vec(&json!({"requests": c})).expect("json"))
            .collect()
    } else {
        bodies
            .iter()
            .map(|b| serde_json::to_vec(b).expect("json"))
            .collect()
    };
    let calls = Arc::new(calls);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..config.clients {
        let (client, calls, next) = (client.clone(), calls.clone(), next.clone());
        let url = format!("{base}/api/v1/requests");
        let token = token.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(body) = calls.get(i) else { break };
                let sent = Instant::now();
                let response = client
                    .post(&url)
                    .bearer_auth(&token)
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .expect("send");
                let status = response.status();
                assert!(
                    status.is_success(),
                    "{status}: {}",
                    response.text().await.unwrap_or_default()
                );
                times.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            times
        }));
    }
    let mut times = Vec::new();
    for task in tasks {
        times.extend(task.await.expect("client task"));
    }
    let took = start.elapsed();
    times.sort_by(f64::total_cmp);
    OverHttp {
        rate: rate(config.requests, took),
        median_ms: quantile(&times, 0.5),
        p99_ms: quantile(&times, 0.99),
    }
}

/// Milliseconds of `runs` calls of `f`: (median, worst).
async fn latency<F, Fut>(runs: usize, mut f: F) -> (f64, f64)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = ()>,
{
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().await;
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[times.len() - 1])
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let config = Config::from_args();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = config
        .postgres
        .clone()
        .unwrap_or_else(|| format!("sqlite://{}/bench.db", dir.path().display()));
    let store = touchpoints_store::open(&url).await.expect("open the store");
    let backend = store.backend();
    let catalog = store.catalog().await.expect("catalog");
    let token = secrets::new_secret().expect("randomness");
    store
        .create_api_token("bench", &secrets::digest(&token), Scope::Write, "bench")
        .await
        .expect("a token");
    // Targets as a company sets them: e-mail and letters in business hours, the rest 24/7.
    for channel in CHANNELS {
        let policy = touchpoints_core::queue::SlaPolicy {
            channel: channel.to_owned(),
            priority: touchpoints_core::request::Priority::Normal,
            first_response_minutes: if channel == "chat" { 15 } else { 240 },
            resolution_minutes: 2 * 24 * 60,
            around_the_clock: !matches!(channel, "email" | "letter"),
        };
        store
            .put_sla_policy(&policy, "bench")
            .await
            .expect("a policy");
    }
    let server = Loopback::start(store.clone(), Settings::default()).await;
    let base = server.base.clone();
    let stamp = Timestamp::now().as_millisecond();
    let run = |name: &str| format!("{name}{stamp}");

    println!(
        "backend {backend}, {} requests per measurement, batches of {}, {} HTTP clients",
        config.requests, config.batch, config.clients
    );
    let cpu_before = cpu_probe(probe_mib(&config));
    let fsync_before = fsync_probe(dir.path());
    println!(
        "reference probes before: SHA-256 over {} MiB {:.1} ms, fsync of 4 KiB {:.3} ms",
        probe_mib(&config),
        cpu_before.as_secs_f64() * 1e3,
        fsync_before.as_secs_f64() * 1e3
    );
    let raw_rate = raw(store.as_ref(), &catalog, &config, &run("raw")).await;
    println!(
        "raw store intake (batches of {}): {raw_rate:.0} requests/s",
        config.batch
    );
    let batched = http(&base, &token, &config, &run("batch"), true).await;
    println!(
        "HTTP batched: {:.0} requests/s ({:.0} % of raw); a call of {} takes {:.1} ms (median), {:.1} ms (p99)",
        batched.rate,
        100.0 * batched.rate / raw_rate,
        config.batch,
        batched.median_ms,
        batched.p99_ms
    );
    let single_config = Config {
        requests: (config.requests / 10).max(100),
        ..Config::from_args()
    };
    let single = http(&base, &token, &single_config, &run("single"), false).await;
    println!(
        "HTTP one per call: {:.0} requests/s ({:.0} % of raw), {} calls; a call takes {:.1} ms (median), {:.1} ms (p99)",
        single.rate,
        100.0 * single.rate / raw_rate,
        single_config.requests,
        single.median_ms,
        single.p99_ms
    );

    // The queue: fill it to `--queue` open requests, then ask for the next best.
    let open = store.queue_counts("nobody").await.expect("counts").2 as usize;
    let fill = config.queue.saturating_sub(open);
    let start = Instant::now();
    let mut rng = SplitMix64::new(3);
    let fill_run = run("fill");
    let mut n = 0;
    while n < fill {
        let size = (fill - n).min(10_000);
        let chunk: Vec<NewRequest> = (n..n + size)
            .map(|i| validated(&catalog, &request_json(&fill_run, i, &mut rng)))
            .collect();
        store.intake(&chunk, "bench").await.expect("fill");
        n += size;
    }
    let open = store.queue_counts("nobody").await.expect("counts").2;
    println!(
        "queue filled to {open} open requests in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    let next_best = QueueFilter {
        limit: 1,
        ..QueueFilter::default()
    };
    let (median, worst) = latency(200, || async {
        let r = store.queue(&next_best).await.expect("queue");
        assert_eq!(r.len(), 1);
    })
    .await;
    println!("next-best request of {open}: median {median:.3} ms, worst {worst:.3} ms");
    let page = QueueFilter {
        limit: 50,
        ..QueueFilter::default()
    };
    let (page_median, page_worst) = latency(100, || async {
        store.queue(&page).await.expect("queue");
    })
    .await;
    println!("first page (50) of {open}: median {page_median:.3} ms, worst {page_worst:.3} ms");
    let team = QueueFilter {
        view: QueueView::Team,
        channel: Some("phone".into()),
        limit: 1,
        ..QueueFilter::default()
    };
    let (team_median, team_worst) = latency(100, || async {
        store.queue(&team).await.expect("queue");
    })
    .await;
    println!(
        "next-best phone request of the team: median {team_median:.3} ms, worst {team_worst:.3} ms"
    );

    let cpu_after = cpu_probe(probe_mib(&config));
    let fsync_after = fsync_probe(dir.path());
    println!(
        "reference probes after: SHA-256 over {} MiB {:.1} ms, fsync of 4 KiB {:.3} ms",
        probe_mib(&config),
        cpu_after.as_secs_f64() * 1e3,
        fsync_after.as_secs_f64() * 1e3
    );

    println!();
    println!(
        "| backend | raw intake/s | HTTP batched/s | batched/raw | HTTP single/s | single/raw | single p50 / p99 | open requests | next best (median / worst) | probes before / after: SHA-256, fsync 4 KiB |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    println!(
        "| {backend} | {raw_rate:.0} | {:.0} | {:.0} % | {:.0} | {:.0} % | {:.1} / {:.1} ms | {open} | {median:.2} ms / {worst:.2} ms | {:.1}, {:.3} ms / {:.1}, {:.3} ms |",
        batched.rate,
        100.0 * batched.rate / raw_rate,
        single.rate,
        100.0 * single.rate / raw_rate,
        single.median_ms,
        single.p99_ms,
        cpu_before.as_secs_f64() * 1e3,
        fsync_before.as_secs_f64() * 1e3,
        cpu_after.as_secs_f64() * 1e3,
        fsync_after.as_secs_f64() * 1e3,
    );
    server.stop().await;
}
