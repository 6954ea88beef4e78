//! `touchpoints backup` and `touchpoints restore`: copies of a SQLite database, taken while the
//! server runs and put back while it is stopped. PostgreSQL has its own tools for both.

use std::path::Path;
use std::process::ExitCode;

use anyhow::bail;
use touchpoints_store::SqliteStore;

use crate::redact;

/// Writes a consistent copy of the database to `file`.
pub async fn backup(database: &str, file: &Path, force: bool) -> anyhow::Result<ExitCode> {
    sqlite_only(database, "backup")?;
    if !force && file.exists() {
        bail!(
            "{} exists already: name another file, or add --force to replace it",
            file.display()
        );
    }
    SqliteStore::backup(database, file, force).await?;
    println!("backed up {} to {}", redact(database), file.display());
    Ok(ExitCode::SUCCESS)
}

/// Puts the backup in `file` in place of the database.
pub async fn restore(database: &str, file: &Path) -> anyhow::Result<ExitCode> {
    sqlite_only(database, "restore")?;
    SqliteStore::restore(database, file).await?;
    println!(
        "restored {} from {}; the server brings its schema up to date when it starts",
        redact(database),
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Refuses anything but a SQLite database, pointing to PostgreSQL's own tools.
fn sqlite_only(database: &str, command: &str) -> anyhow::Result<()> {
    if database.starts_with("sqlite:") {
        return Ok(());
    }
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        let url = redact(database);
        bail!(
            "touchpoints {command} copies SQLite databases only; a PostgreSQL database is backed \
             up and restored with PostgreSQL's own tools, which take a consistent copy while \
             the servers run:\n  \
             pg_dump --format=custom --file=touchpoints.dump {url}\n  \
             pg_restore --clean --if-exists --no-owner --dbname={url} touchpoints.dump"
        );
    }
    let scheme = database.split_once(':').map_or("", |(scheme, _)| scheme);
    bail!("unsupported database URL scheme \"{scheme}\": use sqlite://FILE");
}
