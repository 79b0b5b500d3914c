//! What the proxy's benches share: reading latencies.

use std::time::Duration;

/// The `p` quantile (0.0–1.0) of `samples` (sorted here).
pub fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

pub fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}
