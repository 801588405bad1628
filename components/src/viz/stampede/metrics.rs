//! What the charts draw. Each 100 ms window counts what happened and keeps a small latency
//! histogram; closing the window turns it into one `Sample`. Samples go into a bounded `Series`
//! whose full chunks are shared between clones, so the timeline's keyframes stay cheap.


/// Upper bounds of the latency buckets, in milliseconds. Fixed buckets make a percentile a walk
/// over 21 counters instead of a sort; a percentile is reported as its bucket's upper bound.
/// Nothing waits longer than the longest client timeout (10 s), so the last bucket is the cap.
pub const LATENCY_BUCKETS_MS: [u32; 21] =
    [1, 10, 20, 30, 50, 75, 100, 150, 200, 300, 400, 500, 750, 1_000, 1_500, 2_000, 3_000, 4_000, 5_000, 7_500, 10_000];

/// The buckets of [`LatencyHistogram`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatencyBounds;

impl crate::sim::histogram::Buckets<{ LATENCY_BUCKETS_MS.len() }> for LatencyBounds {
    const BOUNDS_MS: [u32; LATENCY_BUCKETS_MS.len()] = LATENCY_BUCKETS_MS;
}

/// Counts of latencies per bucket of `LATENCY_BUCKETS_MS`.
pub type LatencyHistogram = crate::sim::histogram::Histogram<LatencyBounds, { LATENCY_BUCKETS_MS.len() }>;

/// One 100 ms window of the run, as the charts draw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Simulated time at the end of the window, in milliseconds.
    pub time_ms: u64,
    /// Requests that arrived in the window.
    pub requests: u32,
    /// Requests that looked in the cache (everything but those the Bloom filter turned away).
    pub lookups: u32,
    /// Lookups answered with a fresh value.
    pub hits: u32,
    /// Lookups answered at once with an expired value (stale-while-revalidate).
    pub stale_served: u32,
    /// Requests for missing keys the Bloom filter answered without touching cache or database.
    pub bloom_rejected: u32,
    /// Queries sent to the database in the window (the offered load).
    pub queries_sent: u32,
    /// Queries the database started in the window (its throughput).
    pub queries_started: u32,
    /// Queries running at the end of the window.
    pub db_running: u32,
    /// Queries waiting in the database queue at the end of the window.
    pub db_queued: u32,
    /// Requests that gave up after the client timeout.
    pub timeouts: u32,
    /// Requests refused at once because the database queue was full.
    pub refused: u32,
    /// Requests answered after waiting (by their own query, a single flight or the lock), kept
    /// per window so the stage can send those answers back to the clients as it does hits.
    pub answered_after_wait: u32,
    /// Median latency of the requests answered in the window (timeouts count at the timeout).
    pub p50_ms: Option<u32>,
    /// 99th percentile latency of the requests answered in the window.
    pub p99_ms: Option<u32>,
    /// How long the oldest request still waiting at the end of the window has waited; 0 when
    /// nothing waits. It rises during a herd before any slow answer is counted in p99.
    pub oldest_wait_ms: u32,
    /// The most recomputations of one key that were in the database at once during the window.
    pub max_recomputations_per_key: u32,
}

impl Sample {
    /// Fresh and stale answers over lookups; `None` in a window with no lookups.
    pub fn hit_ratio(&self) -> Option<f64> {
        (self.lookups > 0).then(|| f64::from(self.hits + self.stale_served) / f64::from(self.lookups))
    }

    pub fn time_seconds(&self) -> f64 {
        self.time_ms as f64 / 1000.0
    }

    fn per_second(count: u32) -> f64 {
        f64::from(count) * 1000.0 / f64::from(super::SAMPLE_MS)
    }

    /// The value of one chart line; NaN where the window has no value (it breaks the line).
    pub fn value(&self, metric: Metric) -> f64 {
        let optional = |value: Option<u32>| value.map_or(f64::NAN, f64::from);
        match metric {
            Metric::DbRunning => f64::from(self.db_running),
            Metric::DbQueued => f64::from(self.db_queued),
            Metric::QueriesSentPerSecond => Self::per_second(self.queries_sent),
            Metric::QueriesStartedPerSecond => Self::per_second(self.queries_started),
            Metric::HitRatio => self.hit_ratio().unwrap_or(f64::NAN),
            Metric::P50Ms => optional(self.p50_ms),
            Metric::P99Ms => optional(self.p99_ms),
            Metric::TimeoutsPerSecond => Self::per_second(self.timeouts),
            Metric::RefusedPerSecond => Self::per_second(self.refused),
            Metric::RequestsPerSecond => Self::per_second(self.requests),
            Metric::OldestWaitMs => f64::from(self.oldest_wait_ms),
            Metric::MaxRecomputationsPerKey => f64::from(self.max_recomputations_per_key),
        }
    }
}

/// A line the view can draw from the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    DbRunning,
    DbQueued,
    QueriesSentPerSecond,
    QueriesStartedPerSecond,
    HitRatio,
    P50Ms,
    P99Ms,
    TimeoutsPerSecond,
    RefusedPerSecond,
    RequestsPerSecond,
    OldestWaitMs,
    MaxRecomputationsPerKey,
}

impl Metric {
    pub const ALL: [Metric; 12] = [
        Metric::DbRunning,
        Metric::DbQueued,
        Metric::QueriesSentPerSecond,
        Metric::QueriesStartedPerSecond,
        Metric::HitRatio,
        Metric::P50Ms,
        Metric::P99Ms,
        Metric::TimeoutsPerSecond,
        Metric::RefusedPerSecond,
        Metric::RequestsPerSecond,
        Metric::OldestWaitMs,
        Metric::MaxRecomputationsPerKey,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Metric::DbRunning => "Database: running queries",
            Metric::DbQueued => "Database: queued queries",
            Metric::QueriesSentPerSecond => "Queries sent to the database per second",
            Metric::QueriesStartedPerSecond => "Queries the database started per second",
            Metric::HitRatio => "Cache hit ratio",
            Metric::P50Ms => "p50 latency (ms)",
            Metric::P99Ms => "p99 latency (ms)",
            Metric::TimeoutsPerSecond => "Timeouts per second",
            Metric::RefusedPerSecond => "Refused (queue full) per second",
            Metric::RequestsPerSecond => "Requests per second",
            Metric::OldestWaitMs => "Oldest waiting request (ms)",
            Metric::MaxRecomputationsPerKey => "Most recomputations of one key at once",
        }
    }
}

/// 3,000 samples of 100 ms: the last five minutes of simulated time.
pub const MAX_SAMPLES: usize = 3_000;

/// The run's samples, oldest first, at most `MAX_SAMPLES`.
pub type Series = crate::sim::series::Series<Sample, MAX_SAMPLES>;

impl crate::sim::series::Sampled for Sample {
    type Metric = Metric;

    fn time_seconds(&self) -> f64 {
        Sample::time_seconds(self)
    }

    fn value(&self, metric: Metric) -> f64 {
        Sample::value(self, metric)
    }
}


/// Running totals since the start of the run.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub requests: u64,
    pub hits: u64,
    pub stale_served: u64,
    pub bloom_rejected: u64,
    /// Requests answered after waiting: by their own query, a single flight or the lock.
    pub answered_after_wait: u64,
    pub timeouts: u64,
    pub refused: u64,
    pub queries_sent: u64,
    pub queries_started: u64,
    pub queries_finished: u64,
    /// Queued queries dropped because nobody waited for them any more.
    pub queries_dropped: u64,
}

/// The current 100 ms window.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Window {
    pub requests: u32,
    pub lookups: u32,
    pub hits: u32,
    pub stale_served: u32,
    pub bloom_rejected: u32,
    /// Lookups of existing keys that found no usable value.
    pub misses: u32,
    /// Of those, the ones that sent their own query (no protection).
    pub misses_sent: u32,
    /// Queries that hold a key (lock, single flight, refresh) sent in the window.
    pub held_queries_sent: u32,
    pub queries_sent: u32,
    pub queries_started: u32,
    pub timeouts: u32,
    pub refused: u32,
    pub answered_after_wait: u32,
    pub latency: LatencyHistogram,
    pub max_in_flight: u32,
}

/// The window and the totals, updated together so they never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Ledger {
    pub window: Window,
    pub totals: Totals,
}

impl Ledger {
    pub fn arrived(&mut self, count: u32, looked_up: u32) {
        self.window.requests += count;
        self.window.lookups += looked_up;
        self.totals.requests += u64::from(count);
    }

    pub fn hit(&mut self, count: u32) {
        self.window.hits += count;
        self.totals.hits += u64::from(count);
        self.window.latency.record_many(super::CACHE_LATENCY_MS, count);
    }

    pub fn stale(&mut self, count: u32) {
        self.window.stale_served += count;
        self.totals.stale_served += u64::from(count);
        self.window.latency.record_many(super::CACHE_LATENCY_MS, count);
    }

    pub fn bloom_rejected(&mut self, count: u32) {
        self.window.bloom_rejected += count;
        self.totals.bloom_rejected += u64::from(count);
        self.window.latency.record_many(super::CACHE_LATENCY_MS, count);
    }

    pub fn answered(&mut self, count: u32, latency_ms: u32) {
        self.window.answered_after_wait += count;
        self.totals.answered_after_wait += u64::from(count);
        self.window.latency.record_many(latency_ms, count);
    }

    pub fn timed_out(&mut self, count: u32, timeout_ms: u32) {
        self.window.timeouts += count;
        self.totals.timeouts += u64::from(count);
        self.window.latency.record_many(timeout_ms, count);
    }

    pub fn refused(&mut self, count: u32) {
        self.window.refused += count;
        self.totals.refused += u64::from(count);
    }

    pub fn sent(&mut self, count: u32) {
        self.window.queries_sent += count;
        self.totals.queries_sent += u64::from(count);
    }

    pub fn started(&mut self, count: u32) {
        self.window.queries_started += count;
        self.totals.queries_started += u64::from(count);
    }

    pub fn finished(&mut self) {
        self.totals.queries_finished += 1;
    }

    pub fn dropped(&mut self, count: u32) {
        self.totals.queries_dropped += u64::from(count);
    }

    pub fn saw_in_flight(&mut self, in_flight: u32) {
        self.window.max_in_flight = self.window.max_in_flight.max(in_flight);
    }
}
