//! Message templates filled for many customers: the sandbox's renders per second against
//! Python's Jinja2 on the same template and the same customers, in the same run, and against
//! minijinja alone (without the direct way of `message_template`), which must write the same.
//!
//! `cargo bench -p touchpoints-core --bench templates -- [--customers N] [--python PATH]`
//! (`scripts/bench-templates` sets up Jinja2 and passes `--python`). Both sides compile the
//! template once and fill it for every customer; the bench checks that both wrote the same
//! bytes (a SHA-256 over every text) before it prints a ratio. A reference probe (SHA-256
//! over 64 MiB, best of 3) is timed before and after, as in the other benchmarks. Under
//! `cargo test --benches` it runs a smoke version (1,000 customers, a 1 MiB probe), with
//! Jinja2 only if `--python` is given.

mod probe;

use std::io::Write;
use std::path::PathBuf;
use std::process::Command;
use std::time::Instant;

use probe::probe;
use sha2::{Digest, Sha256};
use touchpoints_core::message_template::{self, MessageData};
use touchpoints_core::sample::SplitMix64;

/// The demo's delivery-delay reply, with a loop and filters: what a real reply template does.
const TEMPLATE: &str = "{{ greeting }},\n\nIhre Bestellung{% if last_order_date %} vom \
    {{ last_order_date }} über {{ last_order_amount }}{% endif %} verzögert sich leider um \
    einige Tage.{% if \"premium\" in segments %} Als Premiumkundin oder Premiumkunde \
    ({{ customer_number or \"ohne Nummer\" }}, Kundenwert {{ lifetime_value }}) liefern wir \
    Ihnen kostenlos.{% endif %}{% if open_requests > 1 %} Ihre {{ open_requests - 1 }} \
    anderen Anliegen behalten wir im Blick.{% endif %}\n\nIhre Segmente: \
    {% for s in segments %}{{ s | upper }}{% if not loop.last %}, {% endif %}{% endfor %}\n\
    Anfrage {{ request_number }} „{{ subject | default(\"ohne Betreff\", true) }}“ an \
    {{ touchpoint }}\n\nFreundliche Grüße\n{{ agent or \"Ihr Kundenservice\" }}";

/// Jinja2 on the same template and customers: compiles once, fills it for each, and prints
/// the seconds it took and the SHA-256 of every text joined by NUL.
const JINJA2: &str = r#"
import hashlib, json, sys, time
import jinja2
template_file, data_file = sys.argv[1], sys.argv[2]
env = jinja2.Environment(autoescape=False, keep_trailing_newline=True)
template = env.from_string(open(template_file, encoding="utf-8").read())
customers = json.load(open(data_file, encoding="utf-8"))
start = time.perf_counter()
texts = [template.render(c) for c in customers]
seconds = time.perf_counter() - start
digest = hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()
print(seconds, digest)
"#;

struct Args {
    customers: usize,
    python: Option<PathBuf>,
    smoke: bool,
}

fn args() -> Args {
    let mut out = Args {
        customers: 100_000,
        python: None,
        smoke: true,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--bench" => out.smoke = false,
            "--customers" => {
                out.customers = it
                    .next()
                    .and_then(|v| v.parse().ok())
                    .expect("--customers N")
            }
            "--python" => out.python = Some(it.next().expect("--python PATH").into()),
            _ => {}
        }
    }
    if out.smoke {
        out.customers = out.customers.min(1_000);
    }
    out
}

/// Customers with every field, some missing (no salutation, no purchase, no segment).
fn customers(n: usize) -> Vec<MessageData> {
    let mut rng = SplitMix64::new(20_261_204);
    let first = [
        "Anna", "Petra", "Murat", "Jonas", "Lea", "Horst", "Sabine", "Alex",
    ];
    let last = [
        "Schulz", "Wagner", "Yilmaz", "Becker", "Hoffmann", "Neumann", "Krüger",
    ];
    let segments = ["premium", "stammkunde", "newsletter", "b2b"];
    (0..n)
        .map(|i| {
            let pick = |rng: &mut SplitMix64, len: usize| (rng.next_u64() % len as u64) as usize;
            let first_name = first[pick(&mut rng, first.len())].to_owned();
            let last_name = last[pick(&mut rng, last.len())].to_owned();
            let (salutation, greeting) = match pick(&mut rng, 3) {
                0 => ("Frau", format!("Sehr geehrte Frau {last_name}")),
                1 => ("Herr", format!("Sehr geehrter Herr {last_name}")),
                _ => ("", format!("Guten Tag {first_name} {last_name}")),
            };
            let bought = pick(&mut rng, 4) != 0;
            let cents = (rng.next_u64() % 500_000) as i64;
            let own: Vec<String> = segments
                .iter()
                .filter(|_| pick(&mut rng, 3) == 0)
                .map(|s| (*s).to_owned())
                .collect();
            MessageData {
                greeting,
                salutation: salutation.into(),
                name: format!("{first_name} {last_name}"),
                first_name,
                last_name,
                customer_number: if i % 5 == 0 {
                    String::new()
                } else {
                    format!("KD-{i}")
                },
                segment: own.first().cloned().unwrap_or_default(),
                segments: own,
                language: "de".into(),
                lifetime_value: touchpoints_core::written::euros(cents * 7, false),
                last_order_date: if bought {
                    format!("{:02}.11.2026", 1 + i % 28)
                } else {
                    String::new()
                },
                last_order_amount: if bought {
                    touchpoints_core::written::euros(cents, false)
                } else {
                    String::new()
                },
                open_requests: (i % 4) as u64,
                touchpoint: "Kundenhotline".into(),
                request_number: format!("#{}", 1000 + i),
                subject: if i % 7 == 0 {
                    String::new()
                } else {
                    "Lieferung".into()
                },
                agent: if i % 3 == 0 {
                    String::new()
                } else {
                    "Jonas Berg".into()
                },
            }
        })
        .collect()
}

fn main() {
    let args = args();
    let probe_bytes = if args.smoke { 1 << 20 } else { 64 << 20 };
    let probe_before = probe(probe_bytes);
    let customers = customers(args.customers);

    let compiled = match message_template::compile(TEMPLATE) {
        Ok(compiled) => compiled,
        Err(problems) => panic!("the benchmark's template is invalid: {problems:?}"),
    };
    let start = Instant::now();
    let texts: Vec<String> = customers
        .iter()
        .map(|c| compiled.render(c).expect("render"))
        .collect();
    let ours = start.elapsed();
    let digest = hex(&Sha256::digest(texts.join("\0").as_bytes()));
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "templates: {} customers, {:.1} KB of text, sandbox {:.0} renders/s ({:.2} µs each)",
        customers.len(),
        bytes as f64 / 1e3,
        customers.len() as f64 / ours.as_secs_f64(),
        ours.as_secs_f64() * 1e6 / customers.len() as f64
    );
    // The same template through the engine alone: where the sandbox's speed comes from.
    let start = Instant::now();
    let by_engine: Vec<String> = customers
        .iter()
        .map(|c| compiled.render_by_engine(c).expect("render"))
        .collect();
    let engine = start.elapsed();
    assert!(by_engine == texts, "the engine alone wrote other texts");
    println!(
        "minijinja alone {:.0} renders/s ({:.2} µs each): the direct way is {:.1}× as fast",
        customers.len() as f64 / engine.as_secs_f64(),
        engine.as_secs_f64() * 1e6 / customers.len() as f64,
        engine.as_secs_f64() / ours.as_secs_f64()
    );

    match &args.python {
        None => println!("Jinja2: skipped (no --python; scripts/bench-templates passes one)"),
        Some(python) => {
            let dir = tempfile_dir();
            let template_file = dir.join("template.txt");
            let data_file = dir.join("customers.json");
            std::fs::write(&template_file, TEMPLATE).expect("write the template");
            let mut data = std::fs::File::create(&data_file).expect("write the customers");
            serde_json::to_writer(&mut data, &customers).expect("customers as JSON");
            data.flush().expect("flush");
            let out = Command::new(python)
                .arg("-c")
                .arg(JINJA2)
                .arg(&template_file)
                .arg(&data_file)
                .output()
                .expect("run Python");
            std::fs::remove_dir_all(&dir).ok();
            assert!(
                out.status.success(),
                "Jinja2 failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let answer = String::from_utf8_lossy(&out.stdout);
            let mut parts = answer.split_whitespace();
            let seconds: f64 = parts.next().and_then(|s| s.parse().ok()).expect("seconds");
            let theirs = parts.next().expect("digest");
            assert_eq!(
                theirs, digest,
                "Jinja2 and the sandbox wrote different texts"
            );
            println!(
                "Jinja2 {:.0} renders/s ({:.2} µs each): the sandbox is {:.1}× as fast, same texts",
                customers.len() as f64 / seconds,
                seconds * 1e6 / customers.len() as f64,
                seconds / ours.as_secs_f64()
            );
        }
    }
    let probe_after = probe(probe_bytes);
    println!(
        "probe (SHA-256 over {} MiB, best of 3): {:.1} ms before, {:.1} ms after",
        probe_bytes >> 20,
        probe_before.as_secs_f64() * 1e3,
        probe_after.as_secs_f64() * 1e3
    );
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh directory for the files Jinja2 reads.
fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "touchpoints-bench-templates-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).expect("temporary directory");
    dir
}
