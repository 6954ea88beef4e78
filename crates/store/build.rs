//! Lists each backend's migrations from its folder, so that a file put there is applied
//! without being named anywhere else: `migrations/{sqlite,postgres}/NNNN_description.sql`
//! becomes `$OUT_DIR/migrations_{backend}.rs`, a slice of (version, description, SQL) in
//! version order, which the backend includes.
//!
//! The entries are what the hand-kept lists before it held (the description keeps its
//! underscores, the SQL is the file's text), so the checksums sqlx records for an applied
//! migration stay the same and databases migrated by those lists open unchanged.
//!
//! Not `sqlx::migrate!`: it needs sqlx's `macros` feature, which would add to the lock file.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    // A folder given here is scanned whole: adding, changing or removing a file reruns this.
    println!("cargo::rerun-if-changed=migrations");
    for backend in ["sqlite", "postgres"] {
        let folder = manifest.join("migrations").join(backend);
        let list = migrations(&folder, backend);
        std::fs::write(out.join(format!("migrations_{backend}.rs")), list)
            .expect("write the list of migrations");
    }
}

/// The Rust expression of the folder's migrations, in version order. A file whose name does
/// not read as a migration stops the build instead of being left out.
fn migrations(folder: &Path, backend: &str) -> String {
    let mut found: Vec<(i64, String, PathBuf)> = Vec::new();
    let entries = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("read the migrations in {}: {e}", folder.display()));
    for entry in entries {
        let path = entry.expect("read a migrations folder entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_else(|| panic!("migration file name is not UTF-8: {}", path.display()));
        let parsed = name.strip_suffix(".sql").and_then(|stem| {
            let (version, description) = stem.split_once('_')?;
            let all_digits = !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit());
            let plain = !description.is_empty() && !description.contains('.');
            (all_digits && plain).then(|| (version.parse::<i64>().ok(), description))
        });
        let Some((Some(version), description)) = parsed else {
            panic!(
                "{} is not a migration: name files in {} NNNN_description.sql",
                path.display(),
                folder.display()
            );
        };
        if let Some((_, _, other)) = found.iter().find(|(v, _, _)| *v == version) {
            panic!(
                "{} and {} share the version {version}",
                other.display(),
                path.display()
            );
        }
        found.push((version, description.to_owned(), path));
    }
    found.sort_by_key(|(version, _, _)| *version);
    let mut list = String::from("&[\n");
    for (version, description, path) in &found {
        // Named from the crate's folder when the crate compiles, not from where this ran: a
        // list made in one checkout still reads the files of another that shares the target
        // folder.
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("checked above");
        let within = format!("/migrations/{backend}/{file}");
        writeln!(
            list,
            "    ({version}, {description:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), {within:?}))),"
        )
        .expect("write to a String");
    }
    list.push(']');
    list
}
