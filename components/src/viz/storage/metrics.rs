//! What the numbers and charts show, per engine: the records the user wrote and what they cost
//! on disk, the reads per point read and per scan, and what is stored against the live records.
//! Each simulated second closes into one `Sample` for the charts, holding the amplifications
//! over the last `RECENT_WINDOWS` seconds (space: at that moment).

use super::Engine;

/// Counts for one engine, since the start or over some seconds. Costs are in records (see the
/// module documentation of `storage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Records the user wrote: inserts, updates and deletes.
    pub writes: u64,
    /// Records appended to the log (one a write).
    pub logged: u64,
    /// Records' worth written to data files: B-tree pages (each its capacity), LSM flushes and
    /// compaction output.
    pub stored: u64,
    /// LSM: of `stored`, what flushes wrote; and the records compactions read.
    pub flushed: u64,
    pub compaction_read: u64,
    pub gets: u64,
    /// Pages or blocks point reads read from disk, and (B-tree) the pages they passed through,
    /// the cached ones above the leaves included.
    pub get_reads: u64,
    pub visited: u64,
    pub scans: u64,
    pub scan_reads: u64,
    /// LSM: tables a point read skipped because their filter said no, and tables read for
    /// nothing (a filter's false positive, or no filter).
    pub filtered: u64,
    pub wasted: u64,
    /// B-tree page splits and merges.
    pub splits: u64,
    pub merges: u64,
    pub flushes: u64,
    pub compactions: u64,
}

impl Counts {
    /// Every count, in a fixed order, for sums and for checks that none goes down.
    pub fn all(&self) -> [u64; 16] {
        [self.writes, self.logged, self.stored, self.flushed, self.compaction_read, self.gets, self.get_reads, self.visited, self.scans, self.scan_reads, self.filtered, self.wasted, self.splits, self.merges, self.flushes, self.compactions]
    }

    fn from_all(all: [u64; 16]) -> Self {
        let [writes, logged, stored, flushed, compaction_read, gets, get_reads, visited, scans, scan_reads, filtered, wasted, splits, merges, flushes, compactions] = all;
        Self { writes, logged, stored, flushed, compaction_read, gets, get_reads, visited, scans, scan_reads, filtered, wasted, splits, merges, flushes, compactions }
    }

    fn add(&mut self, other: &Counts) {
        let mut sum = self.all();
        for (mine, theirs) in sum.iter_mut().zip(other.all()) {
            *mine += theirs;
        }
        *self = Self::from_all(sum);
    }

    /// (log + data written) ÷ records written by the user.
    pub fn write_amp(&self) -> Option<f64> {
        (self.writes > 0).then(|| (self.logged + self.stored) as f64 / self.writes as f64)
    }

    /// Pages or blocks read from disk per point read.
    pub fn get_amp(&self) -> Option<f64> {
        (self.gets > 0).then(|| self.get_reads as f64 / self.gets as f64)
    }

    /// Pages or blocks read per range scan.
    pub fn scan_amp(&self) -> Option<f64> {
        (self.scans > 0).then(|| self.scan_reads as f64 / self.scans as f64)
    }
}

/// What an engine stores now against the live records, both in records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Space {
    pub stored: u64,
    pub live: u64,
}

impl Space {
    /// Stored ÷ live; `None` with nothing live.
    pub fn amp(&self) -> Option<f64> {
        (self.live > 0).then(|| self.stored as f64 / self.live as f64)
    }
}

/// One engine's second as the charts draw it: the amplifications over the last
/// `RECENT_WINDOWS` seconds, space at the second's end; `None` where there is none yet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EngineSample {
    pub write: Option<f64>,
    pub get: Option<f64>,
    pub scan: Option<f64>,
    pub space: Option<f64>,
}

/// One simulated second of the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Simulated time at the end of the second.
    pub time_ms: u64,
    pub engines: [EngineSample; 2],
}

/// What a chart line measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Write,
    Get,
    Scan,
    Space,
}

/// A chart line: a measure for one engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    pub measure: Measure,
    pub engine: Engine,
}

impl Sample {
    pub fn time_seconds(&self) -> f64 {
        self.time_ms as f64 / 1000.0
    }

    /// The value of one chart line; NaN where the second has none (it breaks the line).
    pub fn value(&self, metric: Metric) -> f64 {
        let engine = &self.engines[metric.engine.index()];
        let value = match metric.measure {
            Measure::Write => engine.write,
            Measure::Get => engine.get,
            Measure::Scan => engine.scan,
            Measure::Space => engine.space,
        };
        value.unwrap_or(f64::NAN)
    }
}

/// 600 seconds: the whole of a run.
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

/// Seconds the "recent" figures and the charts cover: long enough to hold several flushes and
/// compactions at the default rate, short enough to follow a change of settings.
pub const RECENT_WINDOWS: usize = 30;

/// The counts since the start and in the open second, updated together so they never disagree,
/// and the last `RECENT_WINDOWS` closed seconds.
#[derive(Debug, Clone, PartialEq, Default)]
pub(super) struct Ledger {
    pub totals: [Counts; 2],
    window: [Counts; 2],
    /// The closed seconds, oldest overwritten first.
    recent: Vec<[Counts; 2]>,
    closed: u64,
}

impl Ledger {
    /// Adds `amount` to a count of an engine, in the totals and the open second.
    pub fn add(&mut self, engine: Engine, which: fn(&mut Counts) -> &mut u64, amount: u64) {
        *which(&mut self.totals[engine.index()]) += amount;
        *which(&mut self.window[engine.index()]) += amount;
    }

    /// An engine's counts over the closed seconds kept.
    pub fn recent(&self, engine: Engine) -> Counts {
        let mut sum = Counts::default();
        self.recent.iter().for_each(|second| sum.add(&second[engine.index()]));
        sum
    }

    /// Closes the second into a sample, with each engine's space now, and opens the next.
    pub fn close(&mut self, time_ms: u64, space: [super::Space; 2]) -> Sample {
        let window = std::mem::take(&mut self.window);
        if self.recent.len() < RECENT_WINDOWS {
            self.recent.push(window);
        } else {
            self.recent[(self.closed % RECENT_WINDOWS as u64) as usize] = window;
        }
        self.closed += 1;
        let engines = Engine::ALL.map(|engine| {
            let counts = self.recent(engine);
            EngineSample { write: counts.write_amp(), get: counts.get_amp(), scan: counts.scan_amp(), space: space[engine.index()].amp() }
        });
        Sample { time_ms, engines }
    }
}
