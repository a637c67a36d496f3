//! How long each stage of a build took and how much memory the process
//! held after it: `build --timings` shows it, so an author can see where a
//! slow build spends its time, and benchmarks can tell stages apart.

use std::time::{Duration, Instant};

/// One stage of a build.
#[derive(Debug, Clone)]
pub struct Stage {
    /// The stage's name, as `--timings` prints it.
    pub name: &'static str,
    /// Wall time.
    pub took: Duration,
    /// Resident memory when the stage ended, where the system tells it.
    pub resident_kib: Option<u64>,
}

impl Stage {
    /// A stage that ended now.
    pub(crate) fn finished(name: &'static str, took: Duration) -> Self {
        Stage {
            name,
            took,
            resident_kib: resident_memory_kib(),
        }
    }
}

/// Laps of the stages, in order.
pub(super) struct Timer {
    pub(super) timings: Vec<Stage>,
    last: Instant,
}

impl Timer {
    pub(super) fn new() -> Self {
        Timer {
            timings: vec![],
            last: Instant::now(),
        }
    }

    pub(super) fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.timings.push(Stage::finished(stage, now - self.last));
        self.last = now;
    }
}

/// The process's peak resident memory (Linux's `VmHWM`); `None` where
/// the system does not say.
pub fn peak_memory_kib() -> Option<u64> {
    proc_status_kib("VmHWM:")
}

/// The process's resident memory now (Linux's `VmRSS`).
fn resident_memory_kib() -> Option<u64> {
    proc_status_kib("VmRSS:")
}

fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
