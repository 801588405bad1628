//! What the numbers and charts show. Every request ends as exactly one of hit, miss, stale or
//! error, counted for its region; each 500 ms window closes into one `Sample` for the charts,
//! and the last ten windows' latencies are kept for the "last 5 seconds" figures.

use super::{Region, REGIONS, SAMPLE_TICKS, TICK_MS};

/// Latency bucket bounds: every 20 ms up to 300 ms (where all of this model's answers fall:
/// they are 20 ms plus whole ticks), then coarser.
pub const LATENCY_BUCKETS_MS: [u32; 20] = [20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220, 240, 260, 280, 300, 400, 500, 750, 1_000, 2_000];

const BUCKETS: usize = LATENCY_BUCKETS_MS.len();

/// Latencies of answers, by the buckets above (see `sim::histogram`).
pub struct LatencyBuckets;
impl crate::sim::histogram::Buckets<BUCKETS> for LatencyBuckets {
    const BOUNDS_MS: [u32; BUCKETS] = LATENCY_BUCKETS_MS;
}
pub type Latencies = crate::sim::histogram::Histogram<LatencyBuckets, BUCKETS>;

/// How a request ended, as its user saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Served {
    /// A fresh copy at the edge.
    Hit,
    /// No usable copy at the edge: answered by a fetch from the shield or the origin.
    Miss,
    /// A stale copy under stale-while-revalidate (RFC 5861 §3), while a revalidation runs.
    StaleWhileRevalidate,
    /// A stale copy under stale-if-error (RFC 5861 §4), because the origin answered an error.
    StaleIfError,
    /// An error: the CDN the user was sent to is down, or the origin is and nothing stale may
    /// be used.
    Error,
}

/// Counts for one region, since the start or in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub requests: u64,
    pub hits: u64,
    pub misses: u64,
    pub stale_while_revalidate: u64,
    pub stale_if_error: u64,
    pub errors: u64,
    /// Fetches that reached the origin on behalf of this region's edge (through the shield or
    /// not; a shield's fetch is counted for the region whose request caused it).
    pub origin_fetches: u64,
}

impl Counts {
    pub fn stale(&self) -> u64 {
        self.stale_while_revalidate + self.stale_if_error
    }

    /// Requests that have their answer.
    pub fn answered(&self) -> u64 {
        self.hits + self.misses + self.stale() + self.errors
    }

    /// Of the requests answered with content, the share the edge answered from its cache
    /// (fresh or stale); errors are left out, as they are no cache's doing when a CDN is down.
    pub fn hit_ratio(&self) -> Option<f64> {
        let content = self.hits + self.stale() + self.misses;
        (content > 0).then(|| (self.hits + self.stale()) as f64 / content as f64)
    }

    fn add(&mut self, other: &Counts) {
        self.requests += other.requests;
        self.hits += other.hits;
        self.misses += other.misses;
        self.stale_while_revalidate += other.stale_while_revalidate;
        self.stale_if_error += other.stale_if_error;
        self.errors += other.errors;
        self.origin_fetches += other.origin_fetches;
    }
}

/// One region's window as the charts draw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionSample {
    pub counts: Counts,
    pub p50_ms: Option<u32>,
    pub p99_ms: Option<u32>,
}

/// One 500 ms window of the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Simulated time at the end of the window.
    pub time_ms: u64,
    pub regions: [RegionSample; REGIONS],
}

/// What a chart line measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    HitRatio,
    OriginPerSecond,
    P50Ms,
    P99Ms,
    StalePerSecond,
    ErrorsPerSecond,
    RequestsPerSecond,
}

/// A chart line: a measure for one region, or for all of them (`None`; percentiles have no
/// all-regions value and read NaN).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    pub measure: Measure,
    pub region: Option<Region>,
}

impl Sample {
    pub fn time_seconds(&self) -> f64 {
        self.time_ms as f64 / 1000.0
    }

    /// The counts of one region, or of all of them.
    pub fn counts(&self, region: Option<Region>) -> Counts {
        match region {
            Some(region) => self.regions[region.index()].counts,
            None => {
                let mut sum = Counts::default();
                self.regions.iter().for_each(|each| sum.add(&each.counts));
                sum
            }
        }
    }

    /// The value of one chart line; NaN where the window has none (it breaks the line).
    pub fn value(&self, metric: Metric) -> f64 {
        let counts = self.counts(metric.region);
        let per_second = |count: u64| count as f64 * 1000.0 / f64::from(SAMPLE_TICKS * TICK_MS);
        let percentile = |read: fn(&RegionSample) -> Option<u32>| metric.region.and_then(|region| read(&self.regions[region.index()])).map_or(f64::NAN, f64::from);
        match metric.measure {
            Measure::HitRatio => counts.hit_ratio().unwrap_or(f64::NAN),
            Measure::OriginPerSecond => per_second(counts.origin_fetches),
            Measure::P50Ms => percentile(|sample| sample.p50_ms),
            Measure::P99Ms => percentile(|sample| sample.p99_ms),
            Measure::StalePerSecond => per_second(counts.stale()),
            Measure::ErrorsPerSecond => per_second(counts.errors),
            Measure::RequestsPerSecond => per_second(counts.requests),
        }
    }
}

/// 600 windows of 500 ms: the last five simulated minutes, the whole of a run.
pub const MAX_SAMPLES: usize = 600;

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

/// Windows the "recent" figures cover: five simulated seconds.
pub const RECENT_WINDOWS: usize = 10;

type RecentLatencies = crate::sim::histogram::Recent<LatencyBuckets, BUCKETS, RECENT_WINDOWS>;

/// A region over the last few seconds, for the numbers beside the picture.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionStats {
    pub counts: Counts,
    /// How many simulated seconds the counts cover (less than five early in a run).
    pub seconds: f64,
    pub p50_ms: Option<u32>,
    pub p99_ms: Option<u32>,
}

impl RegionStats {
    pub fn hit_ratio(&self) -> Option<f64> {
        self.counts.hit_ratio()
    }

    pub fn origin_per_second(&self) -> f64 {
        if self.seconds > 0.0 {
            self.counts.origin_fetches as f64 / self.seconds
        } else {
            0.0
        }
    }
}

/// The counts since the start and in the open window, updated together so they never disagree,
/// and the latencies of the last few windows.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Ledger {
    pub totals: [Counts; REGIONS],
    /// Every answered request's latency since the start (errors are counted, not timed).
    pub latencies: [Latencies; REGIONS],
    pub window: [Counts; REGIONS],
    /// The latencies of the open window and the last `RECENT_WINDOWS` closed ones.
    recent: [RecentLatencies; REGIONS],
}

impl Ledger {
    pub fn arrived(&mut self, region: Region, count: u64) {
        self.totals[region.index()].requests += count;
        self.window[region.index()].requests += count;
    }

    /// `count` requests of `region` ended as `served`, `latency_ms` after they reached the edge
    /// (errors are not timed).
    pub fn served(&mut self, region: Region, served: Served, count: u64, latency_ms: u32) {
        let index = region.index();
        for counts in [&mut self.totals[index], &mut self.window[index]] {
            let slot = match served {
                Served::Hit => &mut counts.hits,
                Served::Miss => &mut counts.misses,
                Served::StaleWhileRevalidate => &mut counts.stale_while_revalidate,
                Served::StaleIfError => &mut counts.stale_if_error,
                Served::Error => &mut counts.errors,
            };
            *slot += count;
        }
        if served != Served::Error {
            let count = u32::try_from(count).unwrap_or(u32::MAX);
            self.latencies[index].record_many(latency_ms, count);
            self.recent[index].record_many(latency_ms, count);
        }
    }

    pub fn origin_fetch(&mut self, region: Region) {
        self.totals[region.index()].origin_fetches += 1;
        self.window[region.index()].origin_fetches += 1;
    }

    /// Closes the window into a sample and starts the next.
    pub fn close(&mut self, time_ms: u64) -> Sample {
        let regions = std::array::from_fn(|index| {
            let (p50_ms, p99_ms) = self.recent[index].close();
            RegionSample { counts: self.window[index], p50_ms, p99_ms }
        });
        self.window = Default::default();
        Sample { time_ms, regions }
    }

    /// Percentiles over the last `RECENT_WINDOWS` closed windows of one region.
    pub fn recent_percentiles(&self, region: Region) -> (Option<u32>, Option<u32>) {
        self.recent[region.index()].percentiles()
    }
}

/// The counts of the newest `RECENT_WINDOWS` samples of one region, and the seconds they cover.
pub(super) fn recent_counts(series: &Series, region: Region) -> (Counts, f64) {
    let mut sum = Counts::default();
    let mut windows = 0;
    for sample in series.recent(RECENT_WINDOWS) {
        sum.add(&sample.regions[region.index()].counts);
        windows += 1;
    }
    (sum, f64::from(windows * SAMPLE_TICKS * TICK_MS) / 1000.0)
}
