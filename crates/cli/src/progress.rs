//! What every import shows while it works and when it fails: a progress bar while the file is
//! checked, a spinner while the store writes, and every problem with its row and column.

use std::io::IsTerminal;
use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use touchpoints_core::transfer::{MAX_PROBLEMS, RowProblem};

/// Below this many rows an import is over before a bar would help.
const PROGRESS_FROM_ROWS: usize = 5_000;

/// A bar over `rows` rows on a terminal, hidden otherwise or for small files.
pub fn bar(rows: usize, message: &'static str) -> ProgressBar {
    if rows < PROGRESS_FROM_ROWS || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(rows as u64);
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} rows ({eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message);
    bar
}

/// A spinner while `rows` rows of `what` are written, shown like [`bar`].
pub fn spinner(rows: usize, what: &str) -> ProgressBar {
    if rows < PROGRESS_FROM_ROWS || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::new_spinner();
    spinner.set_message(format!("writing {rows} {what}"));
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}

/// Prints every problem of a file that was not imported; the exit code says so.
pub fn report_problems(file: &str, problems: &[RowProblem]) -> ExitCode {
    for p in problems {
        eprintln!("{file}: {p}");
    }
    let more = if problems.len() >= MAX_PROBLEMS {
        " (showing the first ones)"
    } else {
        ""
    };
    eprintln!("{} problem(s){more}; nothing was imported", problems.len());
    ExitCode::FAILURE
}
