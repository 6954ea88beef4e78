//! The reference probe the core's benchmarks time before and after their work, so that runs
//! on a machine whose speed drifts can be compared.

use std::hint::black_box;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// A fixed CPU-bound reference: SHA-256 over `bytes`, best of 3. The same probe (64 MiB) is
/// timed by `scripts/bench_kpi.py` and the server's benchmarks.
pub fn probe(bytes: usize) -> Duration {
    let data: Vec<u8> = (0..bytes).map(|i| (i % 251) as u8).collect();
    (0..3)
        .map(|_| {
            let start = Instant::now();
            black_box(Sha256::digest(&data));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}
