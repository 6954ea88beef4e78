//! What the benchmarks share: nearest-rank quantiles and the two reference probes whose
//! readings are printed beside every figure, so that runs on a machine whose speed drifts
//! can be compared.

use std::io::Write;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// The `q` quantile of sorted `times` (nearest rank).
pub fn quantile(times: &[f64], q: f64) -> f64 {
    let rank = ((q * times.len() as f64).ceil() as usize).clamp(1, times.len());
    times[rank - 1]
}

/// SHA-256 over `mib` MiB, best of 3: a fixed CPU-bound reference.
pub fn cpu_probe(mib: usize) -> Duration {
    let data: Vec<u8> = (0..mib << 20).map(|i| (i % 251) as u8).collect();
    (0..3)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(Sha256::digest(&data));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

/// The median of 100 syncs of a 4 KiB write to a file in `dir`.
pub fn fsync_probe(dir: &std::path::Path) -> Duration {
    let path = dir.join("fsync-probe");
    let mut file = std::fs::File::create(&path).expect("probe file");
    let mut times: Vec<Duration> = (0..100)
        .map(|_| {
            let start = Instant::now();
            file.write_all(&[7u8; 4096]).expect("probe write");
            file.sync_data().expect("probe sync");
            start.elapsed()
        })
        .collect();
    std::fs::remove_file(&path).ok();
    times.sort();
    times[times.len() / 2]
}
