//! The `touchpoints` command: serves the web UI and API, loads the demo company, imports and
//! exports the inventory. It parses arguments, calls the library crates and turns their errors
//! into messages and exit codes; the work itself happens there.

mod accounts;
mod actions;
mod backup;
mod check;
mod demo;
mod interactions;
mod library;
mod progress;
mod requests;
mod surveys;
mod transfer;

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use touchpoints_store::Store;

#[derive(Parser)]
#[command(
    name = "touchpoints",
    version,
    about = "Customer touchpoint management: inventory, journey map, API and web UI"
)]
struct Cli {
    /// Where the data lives: sqlite://FILE (created if missing) or postgres://USER@HOST/DB.
    #[arg(
        long,
        global = true,
        env = "TOUCHPOINTS_DATABASE",
        default_value = "sqlite://touchpoints.db"
    )]
    database: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web UI and the API.
    Serve {
        /// Address to listen on; port 0 picks a free port.
        #[arg(long, env = "TOUCHPOINTS_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Load the demo company first if the inventory is empty, and print a one-time
        /// login link for a demo admin.
        #[arg(long)]
        demo: bool,
        /// Mark session cookies Secure; set this when users reach the server over HTTPS.
        #[arg(long, env = "TOUCHPOINTS_SECURE_COOKIES")]
        secure_cookies: bool,
        /// The password of the mail server's login (the host, user and sender are set on the
        /// mail settings page). Taken from the environment only, so that it shows in no
        /// process list.
        #[arg(skip = std::env::var("TOUCHPOINTS_SMTP_PASSWORD").ok().filter(|p| !p.is_empty()))]
        smtp_password: Option<String>,
        /// How a SQLite database keeps a write once it is confirmed. full (the default): on
        /// disk before the answer. relaxed: faster on slow disks, but a power cut or an
        /// operating-system crash can lose the writes of about the last second. PostgreSQL
        /// follows its server's synchronous_commit instead.
        #[arg(long, env = "TOUCHPOINTS_DURABILITY", value_parser = ["full", "relaxed"])]
        durability: Option<String>,
        /// Delete chat transcripts older than this many days (checked hourly, recorded in the
        /// audit log); 0 keeps them. The requests a chat opened stay.
        #[arg(long, env = "TOUCHPOINTS_CHAT_RETENTION_DAYS", default_value_t = 180)]
        chat_retention_days: u32,
        /// How many seconds the action plan keeps its counts of customers, requests and
        /// answers of the last 90 days between views (renewed in the background while the
        /// plan was viewed in the last 15 minutes); 0 counts on every view, which takes
        /// seconds on millions of rows.
        /// At most a day.
        #[arg(long, env = "TOUCHPOINTS_PLAN_COUNTS_MAX_AGE", default_value_t = 300,
              value_parser = clap::value_parser!(u64).range(0..=86_400))]
        plan_counts_max_age: u64,
        /// Chat conversations one client (an IPv4 address, an IPv6 /64) may start in 12
        /// hours; raise it when many customers share one address (an office, a campus).
        #[arg(long, env = "TOUCHPOINTS_CHATS_PER_ADDRESS", default_value_t = 6)]
        chats_per_address: u32,
        /// Requests to public pages (login, first-run setup, the chat widget) one client may
        /// make in a minute, also the burst a quiet client may spend at once.
        #[arg(long, env = "TOUCHPOINTS_PUBLIC_PER_MINUTE", default_value_t = 60)]
        public_per_minute: u32,
        /// Requests to one survey's page (showing it, answering) one client may make in a
        /// minute. Generous, since many customers may answer from one address (a store's
        /// Wi-Fi, a tablet at the counter).
        #[arg(long, env = "TOUCHPOINTS_SURVEY_PER_MINUTE", default_value_t = 120)]
        survey_per_minute: u32,
        /// Answers one survey's public page takes in 24 hours, from everyone together; past
        /// it the page asks customers to come back tomorrow. A stop for floods of made-up
        /// answers.
        #[arg(
            long,
            env = "TOUCHPOINTS_SURVEY_ANSWERS_PER_DAY",
            default_value_t = 20_000
        )]
        survey_answers_per_day: u32,
    },
    /// Fill the database with a realistic German demo company, its surveys and 18 months of
    /// answers and customer events.
    Demo {
        /// Load even though the inventory already holds touchpoints (same names are updated).
        #[arg(long)]
        force: bool,
        /// Add this many made-up answers and as many customer events over the last two years,
        /// for load tests; the demo company is loaded first if missing.
        #[arg(long, value_name = "N")]
        scale: Option<usize>,
    },
    /// Import touchpoints from CSV or JSON: all rows or none.
    Import {
        /// The file to read; `-` for standard input (then --format is needed).
        file: String,
        /// csv or json; taken from the file name if left out.
        #[arg(long)]
        format: Option<String>,
        /// Check the file and report problems without writing anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the touchpoints as CSV or JSON.
    Export {
        /// csv or json; taken from --output if left out, else csv.
        #[arg(long)]
        format: Option<String>,
        /// The file to write; standard output if left out.
        #[arg(long, short)]
        output: Option<String>,
    },
    /// Check content files against a communication guideline: contradictions between
    /// channels and with the guideline, and tone. Exits 1 when it finds a contradiction.
    ///
    /// With paths, checks those files against the guideline file; without, checks the
    /// content library of the database against its guideline and records the findings.
    Check {
        /// The guideline as YAML or JSON; needed with paths.
        #[arg(long, short, requires = "paths")]
        guideline: Option<std::path::PathBuf>,
        /// Content files or folders (.txt, .md, .html); a file's folder names its channel.
        paths: Vec<std::path::PathBuf>,
        #[arg(long, value_enum, default_value = "text")]
        format: check::Output,
    },
    /// Import or export the communication guideline (YAML or JSON).
    #[command(subcommand)]
    Guideline(library::GuidelineCommand),
    /// Import content files into the content library.
    #[command(subcommand)]
    Content(library::ContentCommand),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(accounts::UserCommand),
    /// Data-protection requests: export or erase everything held about one person.
    #[command(subcommand)]
    Gdpr(accounts::GdprCommand),
    /// The action plan: import actions from its export's CSV or XLSX.
    #[command(subcommand)]
    Actions(actions::ActionsCommand),
    /// Survey answers: import and export as CSV or JSON.
    #[command(subcommand)]
    Responses(surveys::ResponsesCommand),
    /// Customer events (activity, purchases, cancellations): import and export.
    #[command(subcommand)]
    Events(surveys::EventsCommand),
    /// The KPI roll-ups dashboards read.
    #[command(subcommand)]
    Rollups(surveys::RollupsCommand),
    /// Organisation settings.
    #[command(subcommand)]
    Settings(surveys::SettingsCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(accounts::TokenCommand),
    /// Recorded customer interactions, judged by the service standards.
    #[command(subcommand)]
    Interactions(interactions::InteractionsCommand),
    /// Customer requests of every channel: import historical ones.
    #[command(subcommand)]
    Requests(requests::RequestsCommand),
    /// Customer profiles: merge two by hand, undo a merge.
    #[command(subcommand)]
    Customers(requests::CustomersCommand),
    /// Create or update the database schema, then exit.
    Migrate,
    /// Copy the SQLite database to FILE while the server may run: a consistent snapshot,
    /// synced to disk. For PostgreSQL, use pg_dump.
    Backup {
        /// The file to write; it must not exist yet.
        file: std::path::PathBuf,
        /// Replace FILE if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Put a backup made by `touchpoints backup` in place of the SQLite database. Stop the
    /// server first. For PostgreSQL, use pg_restore.
    Restore {
        /// The backup to restore.
        file: std::path::PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn open(database: &str) -> anyhow::Result<Arc<dyn Store>> {
    touchpoints_store::open(database)
        .await
        .with_context(|| format!("cannot open the database {}", redact(database)))
}

/// The database URL with the durability the store is to keep writes with, if one is given;
/// the store reads it from the URL's `durability` parameter.
fn with_durability(url: &str, durability: Option<&str>) -> String {
    match durability {
        Some(durability) => {
            let separator = if url.contains('?') { '&' } else { '?' };
            format!("{url}{separator}durability={durability}")
        }
        None => url.to_owned(),
    }
}

/// The database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let user_info = &url[scheme + 3..at];
            let user = user_info.split(':').next().unwrap_or("");
            format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve {
            addr,
            demo,
            secure_cookies,
            durability,
            smtp_password,
            chat_retention_days,
            plan_counts_max_age,
            chats_per_address,
            public_per_minute,
            survey_per_minute,
            survey_answers_per_day,
        } => {
            init_logging()?;
            let database = with_durability(&cli.database, durability.as_deref());
            let store = open(&database).await?;
            if demo {
                demo::load(store.as_ref(), false).await?;
            }
            let settings = touchpoints_server::Settings {
                secure_cookies,
                smtp_password: smtp_password
                    .as_deref()
                    .map(touchpoints_server::Password::new),
                chat_retention_days,
                plan_counts_max_age: std::time::Duration::from_secs(plan_counts_max_age),
                quotas: touchpoints_server::Quotas {
                    chats_per_address,
                    public_per_address: public_per_minute,
                    survey_per_address: survey_per_minute,
                    survey_answers_per_day,
                    ..touchpoints_server::Quotas::default()
                },
            };
            serve(store, addr, &database, settings, demo).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { file, force } => backup::backup(&cli.database, &file, force).await,
        Command::Restore { file } => backup::restore(&cli.database, &file).await,
        Command::Check {
            guideline: Some(guideline),
            paths,
            format,
        } => check::run(&guideline, &paths, format),
        Command::Check {
            guideline: None,
            format,
            ..
        } => {
            let store = open(&cli.database).await?;
            check::run_on_library(store.as_ref(), format).await
        }
        Command::Guideline(command) => {
            let store = open(&cli.database).await?;
            library::guideline(store.as_ref(), command).await
        }
        Command::Content(command) => {
            let store = open(&cli.database).await?;
            library::content(store.as_ref(), command).await
        }
        Command::User(command) => {
            let store = open(&cli.database).await?;
            accounts::user(store.as_ref(), command).await
        }
        Command::Interactions(command) => {
            let store = open(&cli.database).await?;
            interactions::run(store.as_ref(), command).await
        }
        Command::Requests(command) => {
            let store = open(&cli.database).await?;
            requests::run(store.as_ref(), command).await
        }
        Command::Customers(command) => {
            let store = open(&cli.database).await?;
            requests::customers(store.as_ref(), command).await
        }
        Command::Gdpr(command) => {
            let store = open(&cli.database).await?;
            accounts::gdpr(store.as_ref(), command).await
        }
        Command::Demo { force, scale } => {
            let store = open(&cli.database).await?;
            match scale {
                Some(rows) => demo::scale(store.as_ref(), rows, force).await?,
                None => demo::load(store.as_ref(), force).await?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Actions(command) => {
            let store = open(&cli.database).await?;
            actions::run(store.as_ref(), command).await
        }
        Command::Responses(command) => {
            let store = open(&cli.database).await?;
            surveys::responses(store.as_ref(), command).await
        }
        Command::Events(command) => {
            let store = open(&cli.database).await?;
            surveys::events(store.as_ref(), command).await
        }
        Command::Rollups(command) => {
            let store = open(&cli.database).await?;
            surveys::rollups(store.as_ref(), command).await
        }
        Command::Settings(command) => {
            let store = open(&cli.database).await?;
            surveys::settings(store.as_ref(), command).await
        }
        Command::Token(command) => {
            let store = open(&cli.database).await?;
            accounts::token(store.as_ref(), command).await
        }
        Command::Import {
            file,
            format,
            dry_run,
        } => {
            let store = open(&cli.database).await?;
            transfer::import(store.as_ref(), &file, format.as_deref(), dry_run).await
        }
        Command::Export { format, output } => {
            let store = open(&cli.database).await?;
            transfer::export(store.as_ref(), format.as_deref(), output.as_deref()).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate => {
            open(&cli.database).await?;
            println!("database {} is up to date", redact(&cli.database));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Logs to standard error, as text or, with `TOUCHPOINTS_LOG_FORMAT=json`, one JSON object a
/// line for a log collector, each with the span of its request (and so its request id).
fn init_logging() -> anyhow::Result<()> {
    let filter = tracing_subscriber::EnvFilter::try_from_env("TOUCHPOINTS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match std::env::var("TOUCHPOINTS_LOG_FORMAT").as_deref() {
        Err(_) | Ok("" | "text") => builder.init(),
        Ok("json") => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
        Ok(other) => bail!("TOUCHPOINTS_LOG_FORMAT must be text or json, not \"{other}\""),
    }
    Ok(())
}

async fn serve(
    store: Arc<dyn Store>,
    addr: SocketAddr,
    database: &str,
    settings: touchpoints_server::Settings,
    demo: bool,
) -> anyhow::Result<()> {
    let state =
        touchpoints_server::AppState::new(store.clone(), settings).map_err(anyhow::Error::msg)?;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    tracing::info!(database = %redact(database), "database ready");
    // Scripts and tests read this line to learn the port when --addr ends in :0.
    announce(&format!("Touchpoints listening on http://{local}"));
    let base = format!("http://{local}");
    if demo {
        let link = accounts::demo_login_link(store.as_ref()).await?;
        announce(&format!(
            "Log in as the demo admin (once, within 24 hours): {base}{link}"
        ));
    } else if store.count_users().await? == 0 {
        announce(&format!(
            "No account yet. Create the first admin at {base}{} \
             or with: touchpoints user add NAME --role admin",
            state.setup_path()
        ));
    }
    touchpoints_server::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("stopped");
    Ok(())
}

/// Prints a line for whoever started the server. A standard output that is closed (a
/// service manager's, say) is no reason to stop serving, so a failed write is ignored where
/// `println!` would end the process.
fn announce(line: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

/// Completes on Ctrl-C or SIGTERM, so that requests in flight finish before the exit.
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::{redact, with_durability};

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://app:geheim@db.example:5432/tp"),
            "postgres://app@db.example:5432/tp"
        );
        assert_eq!(redact("sqlite://touchpoints.db"), "sqlite://touchpoints.db");
    }

    #[test]
    fn the_durability_travels_in_the_database_url() {
        assert_eq!(with_durability("sqlite://t.db", None), "sqlite://t.db");
        assert_eq!(
            with_durability("sqlite://t.db", Some("relaxed")),
            "sqlite://t.db?durability=relaxed"
        );
        assert_eq!(
            with_durability("sqlite://t.db?mode=rwc", Some("full")),
            "sqlite://t.db?mode=rwc&durability=full"
        );
    }
}
