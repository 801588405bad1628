//! What the numbers and charts show, per region: the clients' lookups and how they were
//! answered, the resolver's hits and misses, the queries each level of the hierarchy got, and
//! how long lookups took. Each 500 ms window closes into one `Sample` for the charts; the last
//! ten windows make the "last 5 seconds" figures.

use super::{Level, Region, REGIONS, SAMPLE_TICKS, TICK_MS};

/// Latency bucket bounds: 0 (a client's own cache), then every 10 ms up to 200 ms (where every
/// walk of this model ends), then coarser for lookups that waited on a walk in flight.
pub const LATENCY_BUCKETS_MS: [u32; 24] = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200, 300, 500, 1_000];

const BUCKETS: usize = LATENCY_BUCKETS_MS.len();

/// Latencies of lookups, by the buckets above (see `sim::histogram`).
pub struct LatencyBuckets;
impl crate::sim::histogram::Buckets<BUCKETS> for LatencyBuckets {
    const BOUNDS_MS: [u32; BUCKETS] = LATENCY_BUCKETS_MS;
}
pub type Latencies = crate::sim::histogram::Histogram<LatencyBuckets, BUCKETS>;

/// How a client's lookup was answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A fresh copy in the client's own cache.
    Stub,
    /// A copy the client keeps past its TTL (it ignores TTLs).
    Held,
    /// A fresh copy in the resolver's cache.
    Resolver,
    /// The resolver had to ask (or waited on a walk already asking).
    Walk,
}

/// Counts for one region, since the start or in one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Lookups the clients made.
    pub lookups: u64,
    /// Answers the clients got, by where they came from.
    pub stub_hits: u64,
    pub held: u64,
    pub resolver_hits: u64,
    pub walked: u64,
    /// Queries reaching the resolver from its clients, and those of them that found nothing
    /// fresh in its cache: a walk started, or joined one in flight (coalesced).
    pub resolver_queries: u64,
    pub resolver_misses: u64,
    pub coalesced: u64,
    /// Queries the resolver sent to each level.
    pub root: u64,
    pub tld: u64,
    pub auth: u64,
    /// Answers that said the name does not exist.
    pub nxdomain: u64,
    /// Answers carrying an address other than the one example.com gives now.
    pub old: u64,
}

impl Counts {
    /// Answers the clients got.
    pub fn answered(&self) -> u64 {
        self.stub_hits + self.held + self.resolver_hits + self.walked
    }

    /// Of the queries reaching the resolver, the share it answered from its cache.
    pub fn resolver_hit_ratio(&self) -> Option<f64> {
        (self.resolver_queries > 0).then(|| 1.0 - self.resolver_misses as f64 / self.resolver_queries as f64)
    }

    /// Queries sent to a level.
    pub fn at(&self, level: Level) -> u64 {
        match level {
            Level::Root => self.root,
            Level::Tld => self.tld,
            Level::Auth => self.auth,
        }
    }

    /// Every count, in a fixed order, for checks that none goes down.
    pub fn all(&self) -> [u64; 14] {
        [self.lookups, self.stub_hits, self.held, self.resolver_hits, self.walked, self.resolver_queries, self.resolver_misses, self.coalesced, self.root, self.tld, self.auth, self.nxdomain, self.old, self.answered()]
    }

    fn add(&mut self, other: &Counts) {
        let mut sum = self.all();
        for (mine, theirs) in sum.iter_mut().zip(other.all()) {
            *mine += theirs;
        }
        let [lookups, stub_hits, held, resolver_hits, walked, resolver_queries, resolver_misses, coalesced, root, tld, auth, nxdomain, old, _] = sum;
        *self = Counts { lookups, stub_hits, held, resolver_hits, walked, resolver_queries, resolver_misses, coalesced, root, tld, auth, nxdomain, old };
    }
}

/// One region's window as the charts draw it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionSample {
    pub counts: Counts,
    pub p50_ms: Option<u32>,
    pub p99_ms: Option<u32>,
    /// Clients using an address other than the one example.com gives now, at the window's end,
    /// and the clients there were.
    pub old_clients: u32,
    pub clients: u32,
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
    /// Queries a second to one level of the hierarchy.
    Queries(Level),
    ResolverHitRatio,
    /// The share of clients still sent to an old address.
    OldShare,
    P50Ms,
    P99Ms,
    LookupsPerSecond,
}

/// A chart line: a measure for one region, or for both (`None`; percentiles have no
/// both-regions value and read NaN).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    pub measure: Measure,
    pub region: Option<Region>,
}

impl Sample {
    pub fn time_seconds(&self) -> f64 {
        self.time_ms as f64 / 1000.0
    }

    /// The counts of one region, or of both.
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
            Measure::Queries(level) => per_second(counts.at(level)),
            Measure::ResolverHitRatio => counts.resolver_hit_ratio().unwrap_or(f64::NAN),
            Measure::OldShare => {
                let pick = |sample: &RegionSample| (sample.old_clients, sample.clients);
                let (old, clients) = match metric.region {
                    Some(region) => pick(&self.regions[region.index()]),
                    None => self.regions.iter().map(pick).fold((0, 0), |(a, b), (c, d)| (a + c, b + d)),
                };
                if clients == 0 {
                    f64::NAN
                } else {
                    f64::from(old) / f64::from(clients)
                }
            }
            Measure::P50Ms => percentile(|sample| sample.p50_ms),
            Measure::P99Ms => percentile(|sample| sample.p99_ms),
            Measure::LookupsPerSecond => per_second(counts.lookups),
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
    pub fn resolver_hit_ratio(&self) -> Option<f64> {
        self.counts.resolver_hit_ratio()
    }

    /// Queries a second this region's resolver sent to a level.
    pub fn per_second(&self, level: Level) -> f64 {
        if self.seconds > 0.0 {
            self.counts.at(level) as f64 / self.seconds
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
    pub window: [Counts; REGIONS],
    /// The latencies of the open window and the last `RECENT_WINDOWS` closed ones.
    recent: [RecentLatencies; REGIONS],
}

impl Ledger {
    /// Adds one to a count of a region, in the totals and the open window.
    pub fn count(&mut self, region: Region, which: fn(&mut Counts) -> &mut u64) {
        *which(&mut self.totals[region.index()]) += 1;
        *which(&mut self.window[region.index()]) += 1;
    }

    /// A client's lookup answered, `latency_ms` after it was made.
    pub fn answered(&mut self, region: Region, source: Source, nxdomain: bool, old: bool, latency_ms: u32) {
        self.count(
            region,
            match source {
                Source::Stub => |counts| &mut counts.stub_hits,
                Source::Held => |counts| &mut counts.held,
                Source::Resolver => |counts| &mut counts.resolver_hits,
                Source::Walk => |counts| &mut counts.walked,
            },
        );
        if nxdomain {
            self.count(region, |counts| &mut counts.nxdomain);
        }
        if old {
            self.count(region, |counts| &mut counts.old);
        }
        self.recent[region.index()].record(latency_ms);
    }

    /// Closes the window into a sample and starts the next.
    pub fn close(&mut self, time_ms: u64, old: [(u32, u32); REGIONS]) -> Sample {
        let regions = std::array::from_fn(|index| {
            let (p50_ms, p99_ms) = self.recent[index].close();
            RegionSample { counts: self.window[index], p50_ms, p99_ms, old_clients: old[index].0, clients: old[index].1 }
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
