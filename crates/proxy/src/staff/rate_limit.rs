use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Counts events per key (failed logins per email or client address, public checkouts per
/// address) in a sliding window; past the limit, further attempts are refused until old
/// events age out.
pub struct LoginLimiter {
    max_failures: usize,
    window: Duration,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl LoginLimiter {
    pub fn new(max_failures: usize, window: Duration) -> Self {
        Self {
            max_failures,
            window,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// Whether any of `keys` has used up its attempts.
    pub fn is_blocked(&self, keys: &[String]) -> bool {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        keys.iter().any(|k| {
            map.get_mut(k).is_some_and(|times| {
                times.retain(|t| now.duration_since(*t) < self.window);
                times.len() >= self.max_failures
            })
        })
    }

    pub fn record_failure(&self, keys: &[String]) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            map.entry(k.clone()).or_default().push(now);
        }
    }

    pub fn clear(&self, keys: &[String]) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for k in keys {
            map.remove(k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_limit_and_forgets_after_the_window() {
        let l = LoginLimiter::new(2, Duration::from_millis(50));
        let keys = vec!["a@x".to_owned()];
        assert!(!l.is_blocked(&keys));
        l.record_failure(&keys);
        l.record_failure(&keys);
        assert!(l.is_blocked(&keys));
        assert!(!l.is_blocked(&["b@x".to_owned()]));
        std::thread::sleep(Duration::from_millis(60));
        assert!(!l.is_blocked(&keys));
    }
}
