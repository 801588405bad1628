//! What the chart and the table draw: attempts per tick for every lane (the waves), and each
//! lane's running totals with a histogram of completion times.


use super::LANES;

/// Upper bounds of the completion-time buckets, in ms; a percentile is reported as its bound.
pub const COMPLETION_BUCKETS_MS: [u32; 20] =
    [10, 20, 50, 100, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 60_000, u32::MAX];

/// The buckets of [`CompletionHistogram`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletionBounds;

impl crate::sim::histogram::Buckets<{ COMPLETION_BUCKETS_MS.len() }> for CompletionBounds {
    const BOUNDS_MS: [u32; COMPLETION_BUCKETS_MS.len()] = COMPLETION_BUCKETS_MS;
}

/// Counts of latencies per bucket of `COMPLETION_BUCKETS_MS`.
pub type CompletionHistogram = crate::sim::histogram::Histogram<CompletionBounds, { COMPLETION_BUCKETS_MS.len() }>;

/// One lane's counts since the start of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LaneTotals {
    /// Original requests (first attempts).
    pub requests: u64,
    /// Every attempt sent: first attempts and retries.
    pub attempts: u64,
    pub succeeded: u64,
    /// Requests that failed their last allowed attempt.
    pub exhausted: u64,
    /// Requests that gave up because the retry budget refused their retry.
    pub denied_by_budget: u64,
    /// Time from the first attempt to success.
    pub completion: CompletionHistogram,
}

impl LaneTotals {
    /// Attempts per original request; 1 means no retries at all. `None` before any request.
    pub fn amplification(&self) -> Option<f64> {
        (self.requests > 0).then(|| self.attempts as f64 / self.requests as f64)
    }

    /// Requests that have finished, one way or the other.
    pub fn finished(&self) -> u64 {
        self.succeeded + self.exhausted + self.denied_by_budget
    }

    /// Succeeded over finished; `None` before anything finished.
    pub fn success_rate(&self) -> Option<f64> {
        let finished = self.finished();
        (finished > 0).then(|| self.succeeded as f64 / finished as f64)
    }
}

/// One tick of the run, for every lane.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TickSample {
    pub tick: u32,
    /// New requests (first attempts) in the tick, the same for every lane.
    pub requests: u32,
    /// Attempts each lane's server received (new requests and retries).
    pub attempts: [u32; LANES],
    pub succeeded: [u32; LANES],
    /// The server's capacity during the tick, in attempts per tick (the same for every lane).
    pub capacity_per_tick: f64,
}

/// Ten simulated minutes of ticks.
pub const MAX_SAMPLES: usize = 60_000;

/// The run's samples, oldest first, at most `MAX_SAMPLES`.
pub type Series = crate::sim::series::Series<TickSample, MAX_SAMPLES>;

