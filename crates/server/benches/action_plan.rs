//! The action plan's speed on a large database: the plan, its page, an action's before and
//! after, and the review, each read over HTTP from the real server.
//!
//! ```text
//! cargo bench -p touchpoints-server --bench action_plan
//! cargo bench -p touchpoints-server --bench action_plan -- --answers 10000000
//! cargo bench -p touchpoints-server --bench action_plan -- --postgres postgres://…/empty_db
//! ```
//!
//! Options: `--answers N` survey answers (default 1,000,000), `--requests N` requests
//! (1,000,000), both spread over the last 18 months; `--runs N` timed calls per endpoint
//! (200); `--postgres URL` run on PostgreSQL instead of a temporary SQLite file (an empty
//! database: the benchmark creates its schema and leaves its rows; any store URL works, so
//! also a SQLite file of your own). Without `--bench` (as under `cargo test --benches`) it
//! runs a small smoke version.
//!
//! The data: the demo company's inventory (45 touchpoints, a survey at each of the 38 in
//! use), answers from the generator `demo --scale` uses (`touchpoints_core::sample`, stored
//! through `record_responses` in batches of 10,000, roll-ups included), requests made up
//! here (none exists elsewhere) and stored through `Store::intake` in batches of 5,000 with
//! their past received, first-response and resolution times, under a four-hour
//! first-response target for every channel: a customer writes to their own touchpoint seven
//! times in ten, so a retirement finds customers who rely on it. Then 60 actions of every
//! kind and status, among them open retire actions at busy touchpoints.
//!
//! Each endpoint is called 5 times to warm up, then `--runs` times one after the other, each
//! call timed from send to the last byte of the answer; p50, p95 and p99 are nearest ranks.
//! Before and after the timings two reference probes are timed, as in the intake benchmark:
//! SHA-256 over 64 MiB (best of 3) and the median of 100 syncs of a 4 KiB write.

mod loopback;
mod probes;

use std::time::{Duration, Instant};

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan, tz::TimeZone};
use loopback::Loopback;
use probes::{cpu_probe, fsync_probe, quantile};
use touchpoints_app::secrets;
use touchpoints_core::action_plan::{
    ActionInput, ActionKind, ActionStatus, Budget, Target, TargetMetric,
};
use touchpoints_core::customer::{Identifier, IdentifierKind};
use touchpoints_core::kpi::Metric;
use touchpoints_core::request::{NewRequest, Priority};
use touchpoints_core::sample::{self, SampleSpec, SampleTouchpoint, SplitMix64};
use touchpoints_core::survey::SurveyInput;
use touchpoints_core::touchpoint::Status;
use touchpoints_core::{Catalog, Role, Scope, TouchpointFilter};
use touchpoints_server::Settings;
use touchpoints_store::{Import, NewAccount, Store};

struct Config {
    /// The small run of `cargo test --benches`, maybe without optimisations.
    smoke: bool,
    answers: usize,
    requests: usize,
    runs: usize,
    /// Calls of the baseline, the server that counts on every view.
    baseline_runs: usize,
    postgres: Option<String>,
}

impl Config {
    fn from_args() -> Config {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let smoke = !args.iter().any(|a| a == "--bench");
        let mut config = if smoke {
            Config {
                smoke,
                answers: 5_000,
                requests: 5_000,
                runs: 10,
                baseline_runs: 3,
                postgres: None,
            }
        } else {
            Config {
                smoke,
                answers: 1_000_000,
                requests: 1_000_000,
                runs: 200,
                baseline_runs: 20,
                postgres: None,
            }
        };
        let mut i = 0;
        while i < args.len() {
            let value = args.get(i + 1).cloned().unwrap_or_default();
            let number = || value.replace('_', "").parse::<usize>().unwrap_or(0);
            match args[i].as_str() {
                "--answers" => config.answers = number(),
                "--requests" => config.requests = number(),
                "--runs" => config.runs = number().max(1),
                "--baseline-runs" => config.baseline_runs = number().max(1),
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

/// About 18 months.
const DAYS: i64 = 548;
const BATCH_ANSWERS: usize = 10_000;
const BATCH_REQUESTS: usize = 5_000;
const WARM_UP: usize = 5;

/// The probe's size: 64 MiB, 1 MiB in the smoke run.
fn probe_mib(config: &Config) -> usize {
    if config.smoke { 1 } else { 64 }
}

/// The demo company's inventory and a survey at each touchpoint in use, as `demo` loads
/// them; the surveyed touchpoints for the answer generator.
async fn inventory(store: &dyn Store) -> Vec<SampleTouchpoint> {
    let company = touchpoints_core::demo::company();
    let catalog = Catalog {
        channels: company.channels.clone(),
        phases: company.phases.clone(),
    };
    let touchpoints = company
        .touchpoints
        .iter()
        .map(|input| input.validate(&catalog).expect("a valid demo touchpoint"))
        .collect();
    let import = Import {
        channels: company.channels,
        phases: company.phases,
        touchpoints,
    };
    store.import(&import, "bench").await.expect("the inventory");
    let mut surveyed = Vec::new();
    for t in store
        .list_touchpoints(&TouchpointFilter::default())
        .await
        .expect("touchpoints")
    {
        if t.fields.status == Status::Planned {
            continue;
        }
        let metric = match t.fields.phase.as_str() {
            "purchase" | "delivery" | "service" => Metric::Csat,
            _ => Metric::Nps,
        };
        let fields = SurveyInput {
            touchpoint_id: t.id,
            metric: metric.as_str().into(),
            active: Some(true),
            ..SurveyInput::default()
        }
        .validate()
        .expect("a valid survey");
        let survey = touchpoints_app::surveys::create_survey(store, &fields, "bench")
            .await
            .expect("a survey");
        surveyed.push(SampleTouchpoint {
            id: t.id,
            channel: t.fields.channel.clone(),
            importance: t.fields.importance,
            metric,
            survey_id: Some(survey.id),
        });
    }
    surveyed
}

/// `n` answers over the last [`DAYS`] days, from the generator `demo --scale` uses.
async fn fill_answers(store: &dyn Store, surveyed: &[SampleTouchpoint], n: usize, now: Timestamp) {
    let spec = SampleSpec {
        seed: 0xAC7_1011 ^ n as u64,
        from: now - SignedDuration::from_hours(24 * DAYS),
        until: now,
        answers: n,
        events: 0,
    };
    let mut answers = sample::answers(&spec, surveyed);
    let mut batch = Vec::with_capacity(BATCH_ANSWERS);
    loop {
        batch.clear();
        batch.extend(answers.by_ref().take(BATCH_ANSWERS));
        if batch.is_empty() {
            break;
        }
        store
            .record_responses(&batch, Some("bench"))
            .await
            .expect("answers");
    }
}

/// A first-response target of four hours, around the clock, for every channel in use, so
/// that the plan weighs the requests' missed targets.
async fn targets(store: &dyn Store, touchpoints: &[(i64, String)]) {
    let channels: std::collections::BTreeSet<&str> =
        touchpoints.iter().map(|(_, c)| c.as_str()).collect();
    for channel in channels {
        let policy = touchpoints_core::queue::SlaPolicy {
            channel: channel.to_owned(),
            priority: Priority::Normal,
            first_response_minutes: 4 * 60,
            resolution_minutes: 3 * 24 * 60,
            around_the_clock: true,
        };
        store
            .put_sla_policy(&policy, "bench")
            .await
            .expect("a target");
    }
}

/// `n` requests over the last [`DAYS`] days in time order, at the touchpoints in use: each
/// of `n / 5` customers has a touchpoint of their own and writes there seven times in ten,
/// elsewhere otherwise. Nine in ten got a first response within 0 to 10 hours; all but the
/// last two weeks' are resolved.
async fn fill_requests(store: &dyn Store, touchpoints: &[(i64, String)], n: usize, now: Timestamp) {
    let mut rng = SplitMix64::new(0x2E9_0E57);
    let customers = (n / 5).max(10);
    let span = 24 * 3600 * DAYS;
    let start = now.as_second() - span;
    let mut done = 0;
    while done < n {
        let size = (n - done).min(BATCH_REQUESTS);
        let chunk: Vec<NewRequest> = (done..done + size)
            .map(|i| {
                let received = start + (i as i64 * span) / n as i64 + rng.below(60) as i64;
                let received = Timestamp::from_second(received).expect("an instant");
                let customer = rng.below(customers);
                let home = (customer.wrapping_mul(2_654_435_761)) % touchpoints.len();
                let (touchpoint, channel) = if rng.below(10) < 7 {
                    &touchpoints[home]
                } else {
                    &touchpoints[rng.below(touchpoints.len())]
                };
                let first_response = (rng.below(10) < 9)
                    .then(|| received + SignedDuration::from_mins(rng.below(600) as i64 + 1));
                let resolved = (now.duration_since(received) > SignedDuration::from_hours(24 * 14))
                    .then(|| first_response.unwrap_or(received) + SignedDuration::from_hours(24));
                NewRequest {
                    channel: channel.clone(),
                    touchpoint_id: Some(*touchpoint),
                    source: "bench".into(),
                    customer_name: format!("Kunde {customer}"),
                    identifiers: vec![
                        Identifier::parse(
                            IdentifierKind::Email,
                            &format!("kunde{customer}@example.de"),
                        )
                        .expect("an address"),
                    ],
                    subject: format!("Anfrage {i}"),
                    body: "Guten Tag, wann wird mein Sofa geliefert?".into(),
                    received_at: Some(received),
                    language: "de".into(),
                    external_id: Some(format!("bench-{i}")),
                    priority: Priority::Normal,
                    first_response_at: first_response,
                    resolved_at: resolved,
                    message_id: None,
                }
            })
            .collect();
        store.intake(&chunk, "bench").await.expect("requests");
        done += size;
    }
}

/// 60 actions: each kind in each status, at one to three touchpoints, started between 10
/// and 300 days ago when in progress or done; four open retire actions at touchpoints
/// customers rely on. Returns the id of a done action.
async fn actions(store: &dyn Store, touchpoints: &[(i64, String)], today: Date) -> i64 {
    let mut rng = SplitMix64::new(0xAC710);
    let mut batch = Vec::new();
    for n in 0..60usize {
        let kind = ActionKind::ALL[n % 3];
        let status = ActionStatus::ALL[(n / 3) % 5];
        let count = 1 + rng.below(3);
        let touchpoint_ids: Vec<i64> = (0..count)
            .map(|_| touchpoints[rng.below(touchpoints.len())].0)
            .collect();
        let started = matches!(status, ActionStatus::InProgress | ActionStatus::Done);
        let start = if started {
            today - (10 + rng.below(290) as i64).days()
        } else {
            today + (rng.below(60) as i64).days()
        };
        let target = (n % 4 == 0).then_some(Target {
            metric: [TargetMetric::Nps, TargetMetric::Csat][n % 2],
            value: 40.0,
            within_days: 180,
        });
        let input = ActionInput {
            kind,
            title: format!("Maßnahme {n}"),
            goal: "Kunden besser bedienen".into(),
            target,
            person_days: 1.0 + rng.below(40) as f64,
            start: Some(start),
            due: Some(start + (5 + rng.below(120) as i64).days()),
            touchpoint_ids,
            budgets: [(
                format!("{}-Q{}", start.year(), (start.month() - 1) / 3 + 1),
                Budget {
                    planned_cents: 100_000 * (1 + rng.below(50) as i64),
                    spent_cents: 0,
                },
            )]
            .into_iter()
            .collect(),
            ..ActionInput::default()
        };
        batch.push((input.validate().expect("a valid action"), status));
    }
    // Open retire actions at the four busiest touchpoints' neighbours: customers rely on them.
    for (n, (id, _)) in touchpoints.iter().take(4).enumerate() {
        let input = ActionInput {
            kind: ActionKind::Retire,
            title: format!("Touchpoint {id} streichen"),
            person_days: 3.0,
            start: Some(today + 30.days()),
            due: Some(today + 60.days()),
            touchpoint_ids: vec![*id],
            ..ActionInput::default()
        };
        let status = [ActionStatus::Idea, ActionStatus::Planned][n % 2];
        batch.push((input.validate().expect("a valid action"), status));
    }
    let stored = store
        .create_actions(&batch, "bench")
        .await
        .expect("actions");
    stored
        .iter()
        .find(|a| a.status == ActionStatus::Done && a.fields.kind == ActionKind::Optimise)
        .map(|a| a.id)
        .expect("a done action")
}

/// A GET of `url` as `auth`.
fn get(client: &reqwest::Client, url: &str, auth: &Auth) -> reqwest::RequestBuilder {
    match auth {
        Auth::Token(token) => client.get(url).bearer_auth(token),
        Auth::Session(cookie) => client.get(url).header("cookie", cookie),
    }
}

/// Calls `url` once, asserting success; the answer's length.
async fn fetch(client: &reqwest::Client, url: &str, auth: &Auth) -> usize {
    let response = get(client, url, auth).send().await.expect("send");
    let status = response.status();
    let body = response.bytes().await.expect("body");
    assert!(
        status.is_success(),
        "{url}: {status}: {}",
        String::from_utf8_lossy(&body)
    );
    body.len()
}

/// When the plan the server at `base` answers with was counted.
async fn counted_at(client: &reqwest::Client, base: &str, auth: &Auth) -> String {
    let plan: serde_json::Value = get(client, &format!("{base}/api/v1/action-plan"), auth)
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("the plan");
    plan["until"].as_str().expect("until").to_owned()
}

/// Calls `url` `runs` times after a warm-up; milliseconds sorted.
async fn timed(client: &reqwest::Client, url: &str, auth: &Auth, runs: usize) -> Vec<f64> {
    for _ in 0..WARM_UP {
        fetch(client, url, auth).await;
    }
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(fetch(client, url, auth).await);
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    times
}

enum Auth {
    Token(String),
    Session(String),
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
    let now = Timestamp::from_second(Timestamp::now().as_second()).expect("now");
    let tz = TimeZone::get(&store.time_zone().await.expect("time zone")).unwrap_or(TimeZone::UTC);
    let today = now.to_zoned(tz).date();

    let fill = Instant::now();
    let surveyed = inventory(store.as_ref()).await;
    let touchpoints: Vec<(i64, String)> =
        surveyed.iter().map(|t| (t.id, t.channel.clone())).collect();
    targets(store.as_ref(), &touchpoints).await;
    fill_answers(store.as_ref(), &surveyed, config.answers, now).await;
    let answers_took = fill.elapsed();
    fill_requests(store.as_ref(), &touchpoints, config.requests, now).await;
    let requests_took = fill.elapsed() - answers_took;
    let done = actions(store.as_ref(), &touchpoints, today).await;
    println!(
        "backend {backend}: {} touchpoints surveyed, {} answers in {:.1} s, {} requests in {:.1} s, {} actions",
        touchpoints.len(),
        config.answers,
        answers_took.as_secs_f64(),
        config.requests,
        requests_took.as_secs_f64(),
        store.actions().await.expect("actions").len()
    );

    let token = secrets::new_secret().expect("randomness");
    store
        .create_api_token("bench", &secrets::digest(&token), Scope::Read, "bench")
        .await
        .expect("a token");
    let user = store
        .create_user(
            &NewAccount {
                username: "bench".into(),
                display_name: "Bench".into(),
                role: Role::Viewer,
                password_hash: String::new(),
            },
            "bench",
        )
        .await
        .expect("a user");
    let session = secrets::new_secret().expect("randomness");
    store
        .create_session(
            &secrets::digest(&session),
            user.id,
            now + SignedDuration::from_hours(12),
        )
        .await
        .expect("a session");

    let client = reqwest::Client::new();
    let cpu_before = cpu_probe(probe_mib(&config));
    let fsync_before = fsync_probe(dir.path());
    let token = Auth::Token(token);
    let page = Auth::Session(format!("tp_session={session}; tp_lang=de"));

    // The baseline: a server that keeps no counting counts on every view, as the plan did
    // before it kept one.
    let counting = serving(store.clone(), Duration::ZERO).await;
    let mut baseline = Vec::new();
    for (name, path, auth) in [
        ("GET /api/v1/action-plan", "/api/v1/action-plan", &token),
        ("GET /actions (page)", "/actions", &page),
    ] {
        let runs = config.baseline_runs;
        let times = timed(&client, &format!("{}{path}", counting.base), auth, runs).await;
        let (p50, p95) = (quantile(&times, 0.5), quantile(&times, 0.95));
        println!("counting on every view, {name}: p50 {p50:.1} ms, p95 {p95:.1} ms");
        baseline.push((name, p50));
    }
    counting.stop().await;

    // The server as `serve` runs it: counts kept for five minutes. Its first view counts.
    let kept = serving(store.clone(), Duration::from_secs(300)).await;
    let first = Instant::now();
    let first_counting = counted_at(&client, &kept.base, &token).await;
    let first = first.elapsed().as_secs_f64() * 1000.0;
    println!("first view, which counts: {first:.1} ms");
    let endpoints = [
        (
            "GET /api/v1/action-plan",
            "/api/v1/action-plan".to_owned(),
            &token,
        ),
        ("GET /actions (page)", "/actions".to_owned(), &page),
        (
            "GET /api/v1/actions/{id}/effect (done)",
            format!("/api/v1/actions/{done}/effect"),
            &token,
        ),
        (
            "GET /api/v1/action-review",
            "/api/v1/action-review".to_owned(),
            &token,
        ),
    ];
    let mut rows = Vec::new();
    for (name, path, auth) in endpoints {
        let times = timed(&client, &format!("{}{path}", kept.base), auth, config.runs).await;
        let (p50, p95, p99) = (
            quantile(&times, 0.5),
            quantile(&times, 0.95),
            quantile(&times, 0.99),
        );
        println!("{name}: p50 {p50:.1} ms, p95 {p95:.1} ms, p99 {p99:.1} ms");
        rows.push((name, p50, p95, p99));
    }
    // Every timed call took the counting of the first view: none waited for a count.
    assert_eq!(
        counted_at(&client, &kept.base, &token).await,
        first_counting,
        "the plan was counted again during the timed calls"
    );
    kept.stop().await;
    let cpu_after = cpu_probe(probe_mib(&config));
    let fsync_after = fsync_probe(dir.path());

    println!();
    println!(
        "{backend}, {} answers, {} requests, {} calls per endpoint; probes before / after: SHA-256 over {} MiB {:.1} / {:.1} ms, fsync of 4 KiB {:.3} / {:.3} ms",
        config.answers,
        config.requests,
        config.runs,
        probe_mib(&config),
        cpu_before.as_secs_f64() * 1e3,
        cpu_after.as_secs_f64() * 1e3,
        fsync_before.as_secs_f64() * 1e3,
        fsync_after.as_secs_f64() * 1e3,
    );
    println!();
    println!("| endpoint | p50 | p95 | p99 | counting on every view, p50 |");
    println!("|---|---:|---:|---:|---:|");
    for (name, p50, p95, p99) in rows {
        let baseline = baseline
            .iter()
            .find(|(b, _)| *b == name)
            .map_or_else(String::new, |(_, b)| {
                format!("{b:.1} ms ({:.0}× the time)", b / p50)
            });
        println!("| {name} | {p50:.1} ms | {p95:.1} ms | {p99:.1} ms | {baseline} |");
    }
    println!("first view of the server that keeps counts (it counts): {first:.1} ms");
}

/// A server on loopback over the store, keeping the plan's counts for `max_age`.
async fn serving(store: std::sync::Arc<dyn Store>, max_age: Duration) -> Loopback {
    let settings = Settings {
        plan_counts_max_age: max_age,
        ..Settings::default()
    };
    Loopback::start(store, settings).await
}
