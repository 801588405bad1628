//! What the charts and tiles draw: per-limiter counts in 100 ms samples, the most each limiter
//! let through in any one window, and the leaky bucket's recent queueing delays.

use std::collections::VecDeque;
use std::sync::Arc;

use super::{SAMPLE_MS, TICK_MS};

/// The five limiters, in the order the view draws them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    TokenBucket,
    LeakyBucket,
    FixedWindow,
    SlidingLog,
    SlidingCounter,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::TokenBucket, Kind::LeakyBucket, Kind::FixedWindow, Kind::SlidingLog, Kind::SlidingCounter];

    pub fn label(self) -> &'static str {
        match self {
            Kind::TokenBucket => "Token bucket",
            Kind::LeakyBucket => "Leaky bucket",
            Kind::FixedWindow => "Fixed window",
            Kind::SlidingLog => "Sliding-window log",
            Kind::SlidingCounter => "Sliding-window counter",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One 100 ms stretch of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sample {
    /// Simulated time at the end of the stretch.
    pub time_ms: u64,
    pub arrivals: u32,
    /// Per limiter, in `Kind::ALL` order. The leaky bucket accepts into its queue.
    pub accepted: [u32; 5],
    pub rejected: [u32; 5],
    /// Requests the leaky bucket sent on.
    pub leaky_sent: u32,
    /// Its queue at the end of the stretch.
    pub leaky_queued: u32,
    /// How long the oldest request in that queue had waited by then (0 when it is empty).
    pub leaky_oldest_wait_ms: u64,
    /// The longest a request it sent in the stretch had waited; `None` when it sent nothing.
    pub leaky_max_delay_ms: Option<u64>,
}

impl Sample {
    fn empty(time_ms: u64) -> Self {
        Self { time_ms, arrivals: 0, accepted: [0; 5], rejected: [0; 5], leaky_sent: 0, leaky_queued: 0, leaky_oldest_wait_ms: 0, leaky_max_delay_ms: None }
    }

    pub fn time_seconds(&self) -> f64 {
        self.time_ms as f64 / 1000.0
    }

    /// The value of one chart line; NaN where the stretch has none (it breaks the line).
    pub fn value(&self, line: Line) -> f64 {
        let per_second = |count: u32| f64::from(count) * 1000.0 / SAMPLE_MS as f64;
        match line {
            Line::Arrivals => per_second(self.arrivals),
            Line::Accepted(kind) => per_second(self.accepted[kind.index()]),
            Line::Rejected(kind) => per_second(self.rejected[kind.index()]),
            Line::LeakySent => per_second(self.leaky_sent),
            Line::LeakyQueued => f64::from(self.leaky_queued),
            Line::LeakyOldestWaitMs => self.leaky_oldest_wait_ms as f64,
            Line::LeakyMaxDelayMs => self.leaky_max_delay_ms.map_or(f64::NAN, |ms| ms as f64),
        }
    }
}

/// A line the view can draw. Counts are per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line {
    Arrivals,
    Accepted(Kind),
    Rejected(Kind),
    LeakySent,
    LeakyQueued,
    /// Always defined, so it draws a continuous line (and a legend value) even when nothing
    /// was sent in a stretch.
    LeakyOldestWaitMs,
    /// NaN in a stretch where nothing was sent.
    LeakyMaxDelayMs,
}

/// The sample being filled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Open(pub Sample);

impl Default for Open {
    fn default() -> Self {
        Self(Sample::empty(0))
    }
}

impl Open {
    pub fn record_delay(&mut self, waited_ticks: u64) {
        let ms = waited_ticks * TICK_MS;
        self.0.leaky_max_delay_ms = Some(self.0.leaky_max_delay_ms.map_or(ms, |most| most.max(ms)));
    }
}

const CHUNK: usize = 64;

/// 3,000 samples of 100 ms: the last five minutes.
pub const MAX_SAMPLES: usize = 3_000;

/// Samples, oldest first, at most `MAX_SAMPLES`. Full chunks never change again, so clones
/// (the timeline's keyframes) share them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    chunks: Vec<Arc<[Sample]>>,
    tail: Vec<Sample>,
}

impl History {
    pub(super) fn push(&mut self, sample: Sample) {
        self.tail.push(sample);
        if self.tail.len() >= CHUNK {
            self.chunks.push(Arc::from(std::mem::take(&mut self.tail)));
        }
        if self.len() > MAX_SAMPLES && !self.chunks.is_empty() {
            self.chunks.remove(0);
        }
    }

    pub fn len(&self) -> usize {
        self.chunks.iter().map(|chunk| chunk.len()).sum::<usize>() + self.tail.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Sample> + '_ {
        self.chunks.iter().flat_map(|chunk| chunk.iter()).chain(self.tail.iter())
    }

    pub fn last(&self) -> Option<&Sample> {
        self.iter().next_back()
    }

    /// `(seconds, value)` points of one line over the newest `count` samples.
    pub fn points(&self, line: Line, count: usize) -> Vec<(f64, f64)> {
        self.iter().skip(self.len().saturating_sub(count)).map(|sample| (sample.time_seconds(), sample.value(line))).collect()
    }
}

/// The most requests let through in any `window_ticks` consecutive ticks so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BusiestWindow {
    window_ticks: u64,
    /// `(tick, count)` for the ticks of the last window that let something through.
    recent: VecDeque<(u64, u32)>,
    in_window: u64,
    pub most: u64,
    /// The last tick of the busiest window.
    pub most_ending_at: u64,
}

impl BusiestWindow {
    pub fn new(window_ticks: u64) -> Self {
        Self { window_ticks: window_ticks.max(1), recent: VecDeque::new(), in_window: 0, most: 0, most_ending_at: 0 }
    }

    pub fn record(&mut self, now: u64, count: u32) {
        if count == 0 {
            return;
        }
        while let Some(&(at, old)) = self.recent.front() {
            if at + self.window_ticks > now {
                break;
            }
            self.in_window -= u64::from(old);
            self.recent.pop_front();
        }
        self.recent.push_back((now, count));
        self.in_window += u64::from(count);
        if self.in_window > self.most {
            self.most = self.in_window;
            self.most_ending_at = now;
        }
    }
}

/// The delays of the last `RECENT_DELAYS` requests the leaky bucket sent, for exact percentiles.
pub const RECENT_DELAYS: u32 = 1_000;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct RecentDelays {
    /// `(waited ticks, requests)`, oldest first.
    delays: VecDeque<(u64, u32)>,
    count: u32,
}

impl RecentDelays {
    pub fn record(&mut self, waited_ticks: u64, count: u32) {
        self.delays.push_back((waited_ticks, count));
        self.count += count;
        while self.count > RECENT_DELAYS {
            let Some(oldest) = self.delays.front_mut() else { break };
            let drop = oldest.1.min(self.count - RECENT_DELAYS);
            oldest.1 -= drop;
            self.count -= drop;
            if oldest.1 == 0 {
                self.delays.pop_front();
            }
        }
    }

    pub fn count(&self) -> u32 {
        self.count
    }

    /// The nearest-rank delay in milliseconds at each of `quantiles` (0..=1, ascending);
    /// `None` before any request. One sort serves them all.
    pub fn percentiles_ms<const N: usize>(&self, quantiles: [f64; N]) -> [Option<u64>; N] {
        let mut found = [None; N];
        if self.count == 0 {
            return found;
        }
        let mut sorted: Vec<(u64, u32)> = self.delays.iter().copied().collect();
        sorted.sort_unstable();
        let mut seen = 0u64;
        let mut next = 0;
        for (ticks, count) in sorted {
            seen += u64::from(count);
            while next < N && seen >= ((quantiles[next].clamp(0.0, 1.0) * f64::from(self.count)).ceil() as u64).max(1) {
                found[next] = Some(ticks * TICK_MS);
                next += 1;
            }
        }
        found
    }
}

/// Counts since the start of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    pub arrivals: u64,
    pub accepted: [u64; 5],
    pub rejected: [u64; 5],
    pub leaky_sent: u64,
    /// Sum of the leaky bucket's delays, in ticks, for the mean.
    pub leaky_delay_ticks: u64,
    pub leaky_max_delay_ticks: u64,
}
