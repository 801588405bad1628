//! What the charts draw. Each 100 ms window counts what happened to the users' requests and
//! keeps a small latency histogram; closing it gives one `Sample`. Samples go into a bounded
//! `Series` whose full chunks are shared between clones, so the timeline's keyframes stay cheap.


use super::machine::BreakerState;
use super::{Hop, Service, SAMPLE_MS};

/// Upper bounds of the latency buckets, in ms; a percentile is reported as its bucket's bound.
/// Users give up at `USER_TIMEOUT_MS`, so nothing answered is slower than the last bucket.
pub const LATENCY_BUCKETS_MS: [u32; 18] = [10, 20, 30, 40, 50, 75, 100, 150, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000];

/// The buckets of [`LatencyHistogram`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatencyBounds;

impl crate::sim::histogram::Buckets<{ LATENCY_BUCKETS_MS.len() }> for LatencyBounds {
    const BOUNDS_MS: [u32; LATENCY_BUCKETS_MS.len()] = LATENCY_BUCKETS_MS;
}

/// Counts of latencies per bucket of `LATENCY_BUCKETS_MS`.
pub type LatencyHistogram = crate::sim::histogram::Histogram<LatencyBounds, { LATENCY_BUCKETS_MS.len() }>;

/// How a user's request to A ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserOutcome {
    Succeeded,
    /// An error or a timeout somewhere along the chain, or the user gave up waiting.
    Failed,
    /// A breaker refused the call, so the answer came back at once.
    RejectedFast,
    /// A's threads and waiting room were full: refused at the door.
    TurnedAway,
}

/// One 100 ms window of the run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    /// Simulated time at the end of the window, in ms.
    pub time_ms: u64,
    pub succeeded: u32,
    pub failed: u32,
    pub rejected_fast: u32,
    pub turned_away: u32,
    /// Busy threads of A, B and C at the end of the window.
    pub busy: [u32; 3],
    /// Requests waiting for a thread at A, B and C at the end of the window.
    pub queued: [u32; 3],
    /// Threads per service, so a sample can be read alone.
    pub pools: [u32; 3],
    /// Calls that reached C in the window (a breaker spares it the rest).
    pub calls_to_c: u32,
    pub p50_ms: Option<u32>,
    pub p99_ms: Option<u32>,
    /// Each hop's breaker state at the end of the window; `None` without a breaker.
    pub breakers: [Option<BreakerState>; 2],
}

impl Sample {
    pub fn time_seconds(&self) -> f64 {
        self.time_ms as f64 / 1000.0
    }

    fn per_second(count: u32) -> f64 {
        f64::from(count) * 1000.0 / f64::from(SAMPLE_MS)
    }

    /// The value of one chart line; NaN where the window has none (it breaks the line).
    pub fn value(&self, metric: Metric) -> f64 {
        match metric {
            Metric::SucceededPerSecond => Self::per_second(self.succeeded),
            Metric::FailedPerSecond => Self::per_second(self.failed),
            Metric::RejectedFastPerSecond => Self::per_second(self.rejected_fast),
            Metric::TurnedAwayPerSecond => Self::per_second(self.turned_away),
            Metric::PoolUsePercent(service) => {
                let index = service.index();
                100.0 * f64::from(self.busy[index]) / f64::from(self.pools[index].max(1))
            }
            Metric::Queued(service) => f64::from(self.queued[service.index()]),
            Metric::CallsToCPerSecond => Self::per_second(self.calls_to_c),
            Metric::P50Ms => self.p50_ms.map_or(f64::NAN, f64::from),
            Metric::P99Ms => self.p99_ms.map_or(f64::NAN, f64::from),
            Metric::BreakerLevel(hop) => self.breakers[hop.index()].map_or(f64::NAN, state_level),
        }
    }
}

/// A state drawn as a height: closed at the bottom, half-open in the middle, open at the top.
pub fn state_level(state: BreakerState) -> f64 {
    match state {
        BreakerState::Closed => 0.0,
        BreakerState::HalfOpen => 1.0,
        BreakerState::Open => 2.0,
    }
}

/// A line the view can draw from the series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    SucceededPerSecond,
    FailedPerSecond,
    RejectedFastPerSecond,
    TurnedAwayPerSecond,
    /// Busy threads as a percentage of the pool.
    PoolUsePercent(Service),
    Queued(Service),
    CallsToCPerSecond,
    P50Ms,
    P99Ms,
    /// 0 closed, 1 half-open, 2 open; NaN (a gap) while the hop has no breaker.
    BreakerLevel(Hop),
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


/// How many ticks of traffic the model remembers for the stage's moving requests (300 ms).
pub const TRAFFIC_TICKS: usize = 30;

/// Something that crossed the link into a service, as the stage draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crossing {
    /// A request went down the link and the service took it (a thread or its waiting room).
    Sent,
    /// The hop's breaker refused the call at once, without passing it on.
    Refused,
    /// A successful answer came back up.
    Answered,
    /// A failure came back up: an error, a refusal further down, or the service too full to take
    /// the request at all.
    Failed,
    /// The caller stopped waiting for the answer.
    TimedOut,
}

impl Crossing {
    pub const ALL: [Crossing; 5] = [Crossing::Sent, Crossing::Refused, Crossing::Answered, Crossing::Failed, Crossing::TimedOut];

    fn index(self) -> usize {
        match self {
            Crossing::Sent => 0,
            Crossing::Refused => 1,
            Crossing::Answered => 2,
            Crossing::Failed => 3,
            Crossing::TimedOut => 4,
        }
    }
}

/// What crossed each link (into A, B and C) in each of the last `TRAFFIC_TICKS` ticks, and in
/// all since the start. The model answers most requests within a tick and keeps none once it is
/// answered, so the stage draws its moving requests from these counts. Fixed-size and `Copy`, so
/// the timeline's keyframes clone it cheaply (900 bytes of counts and 120 of totals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Traffic {
    /// Per tick in a ring (slot `tick % TRAFFIC_TICKS`), per link, per `Crossing`. A count stops
    /// at `u16::MAX`, far above what a tick can hold (`MAX_SCRIPTED_ARRIVALS` arrivals at most).
    ticks: [[[u16; 5]; 3]; TRAFFIC_TICKS],
    totals: [[u64; 5]; 3],
}

impl Traffic {
    /// Starts tick `tick`, forgetting the tick `TRAFFIC_TICKS` before it.
    pub(super) fn begin(&mut self, tick: u32) {
        self.ticks[tick as usize % TRAFFIC_TICKS] = Default::default();
    }

    /// `count` requests crossed the link into `service` as `crossing` during `tick`.
    pub(super) fn add(&mut self, tick: u32, service: Service, crossing: Crossing, count: u32) {
        let slot = &mut self.ticks[tick as usize % TRAFFIC_TICKS][service.index()][crossing.index()];
        *slot = slot.saturating_add(u16::try_from(count).unwrap_or(u16::MAX));
        self.totals[service.index()][crossing.index()] += u64::from(count);
    }

    /// How many crossed the link into `service` as `crossing` during the tick `ago` ticks before
    /// `now` (0: during `now`); 0 for a tick before the run or older than `TRAFFIC_TICKS`.
    pub fn at(&self, now: u32, ago: u32, service: Service, crossing: Crossing) -> u32 {
        if ago as usize >= TRAFFIC_TICKS || ago > now {
            return 0;
        }
        u32::from(self.ticks[(now - ago) as usize % TRAFFIC_TICKS][service.index()][crossing.index()])
    }

    /// How many crossed the link into `service` as `crossing` since the start of the run.
    pub fn total(&self, service: Service, crossing: Crossing) -> u64 {
        self.totals[service.index()][crossing.index()]
    }
}

/// Counts since the start of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Requests that reached A.
    pub requests: u64,
    pub succeeded: u64,
    pub failed: u64,
    pub rejected_fast: u64,
    pub turned_away: u64,
    /// Of the failures, the users who gave up waiting.
    pub user_timeouts: u64,
    pub calls_to_c: u64,
}

/// The current 100 ms window.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Window {
    pub succeeded: u32,
    pub failed: u32,
    pub rejected_fast: u32,
    pub turned_away: u32,
    pub calls_to_c: u32,
    pub latency: LatencyHistogram,
}

/// The window and the totals, updated together so they never disagree.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct Ledger {
    pub window: Window,
    pub totals: Totals,
}

impl Ledger {
    pub fn arrived(&mut self) {
        self.totals.requests += 1;
    }

    /// A user got an answer (or gave up) after `latency_ms`.
    pub fn answered(&mut self, outcome: UserOutcome, latency_ms: u32) {
        let (window, total) = match outcome {
            UserOutcome::Succeeded => (&mut self.window.succeeded, &mut self.totals.succeeded),
            UserOutcome::Failed => (&mut self.window.failed, &mut self.totals.failed),
            UserOutcome::RejectedFast => (&mut self.window.rejected_fast, &mut self.totals.rejected_fast),
            UserOutcome::TurnedAway => (&mut self.window.turned_away, &mut self.totals.turned_away),
        };
        *window += 1;
        *total += 1;
        if outcome != UserOutcome::TurnedAway {
            self.window.latency.record(latency_ms);
        }
    }

    pub fn user_gave_up(&mut self, latency_ms: u32) {
        self.totals.user_timeouts += 1;
        self.answered(UserOutcome::Failed, latency_ms);
    }

    pub fn called_c(&mut self) {
        self.window.calls_to_c += 1;
        self.totals.calls_to_c += 1;
    }
}
