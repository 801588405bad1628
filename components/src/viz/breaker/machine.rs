//! The circuit breaker itself: a state machine that moves only along its four legal edges, with
//! a rolling window of call outcomes that decides when to trip.

use std::collections::VecDeque;

use super::TICKS_PER_BUCKET;

/// Where the breaker stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BreakerState {
    /// Calls pass; their outcomes fill the rolling window.
    Closed,
    /// Calls are rejected at once, without reaching the dependency.
    Open,
    /// A few probe calls pass to test the dependency; the rest are rejected.
    HalfOpen,
}

impl BreakerState {
    pub const ALL: [BreakerState; 3] = [BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen];

    pub fn label(self) -> &'static str {
        match self {
            BreakerState::Closed => "closed",
            BreakerState::Open => "open",
            BreakerState::HalfOpen => "half-open",
        }
    }

    pub(super) fn index(self) -> usize {
        match self {
            BreakerState::Closed => 0,
            BreakerState::Open => 1,
            BreakerState::HalfOpen => 2,
        }
    }
}

/// The only moves a breaker may make. Everything else (closed to half-open, open to closed, a
/// state to itself) is a bug.
pub fn is_legal_edge(from: BreakerState, to: BreakerState) -> bool {
    use BreakerState::*;
    matches!((from, to), (Closed, Open) | (Open, HalfOpen) | (HalfOpen, Closed) | (HalfOpen, Open))
}

/// When the breaker trips, how long it stays open and how it tests the dependency again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakerSettings {
    /// Trips when at least this percentage of the calls in the window failed.
    pub failure_threshold_percent: u32,
    /// … and the window holds at least this many calls, so two unlucky calls cannot trip it.
    pub minimum_calls: u32,
    /// The rolling window, in ticks (a whole number of 100 ms buckets).
    pub window_ticks: u32,
    /// How long it stays open before letting probes through.
    pub open_ticks: u32,
    /// Probe calls allowed while half-open; this many successes close it again.
    pub probes: u32,
}

/// What the breaker says to one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Closed: the call goes through and its outcome counts in the window.
    Pass(Ticket),
    /// Half-open: the call goes through as a probe.
    Probe(Ticket),
    /// Open, or half-open with every probe slot taken: fail at once.
    Reject,
}

/// Carried by an admitted call so its outcome reaches the state that admitted it. An outcome
/// that arrives after the breaker has moved on (a slow call admitted while closed that fails
/// after the breaker opened) belongs to an older generation and is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket {
    generation: u32,
    probe: bool,
}

/// Why the breaker moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// `failures` of `calls` in the window failed.
    Tripped { failures: u32, calls: u32 },
    /// The open duration passed.
    OpenTimeElapsed,
    /// Every probe succeeded.
    ProbesSucceeded,
    /// A probe failed.
    ProbeFailed,
}

/// One move of the state machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub at: u32,
    pub from: BreakerState,
    pub to: BreakerState,
    pub reason: Reason,
}

/// How many recent transitions a breaker remembers (for the narration and the tests).
pub const TRANSITION_LOG_LENGTH: usize = 16;

/// Calls and failures per 100 ms bucket over the window, oldest overwritten first.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RollingWindow {
    buckets: Vec<(u32, u32)>,
    /// The bucket number (`tick / TICKS_PER_BUCKET`) the newest slot holds.
    newest: u32,
}

impl RollingWindow {
    fn new(window_ticks: u32) -> Self {
        let length = (window_ticks / TICKS_PER_BUCKET).max(1) as usize;
        Self { buckets: vec![(0, 0); length], newest: 0 }
    }

    /// Moves the window to `now`, emptying the buckets it slid past.
    fn slide_to(&mut self, now: u32) {
        let bucket = now / TICKS_PER_BUCKET;
        if bucket <= self.newest {
            return;
        }
        let length = self.buckets.len() as u32;
        let stale = (bucket - self.newest).min(length);
        for step in 1..=stale {
            let slot = ((self.newest + step) % length) as usize;
            self.buckets[slot] = (0, 0);
        }
        self.newest = bucket;
    }

    fn record(&mut self, now: u32, failed: bool) {
        self.slide_to(now);
        let slot = (self.newest % self.buckets.len() as u32) as usize;
        let (calls, failures) = &mut self.buckets[slot];
        *calls += 1;
        *failures += u32::from(failed);
    }

    /// `(calls, failures)` in the window.
    fn totals(&self) -> (u32, u32) {
        self.buckets.iter().fold((0, 0), |(calls, failures), (c, f)| (calls + c, failures + f))
    }

    fn clear(&mut self) {
        self.buckets.iter_mut().for_each(|bucket| *bucket = (0, 0));
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircuitBreaker {
    settings: BreakerSettings,
    state: BreakerState,
    /// The tick of the last transition (or of installation).
    since: u32,
    /// Bumped on every transition; tickets from older generations are ignored.
    generation: u32,
    window: RollingWindow,
    probes_in_flight: u32,
    probe_successes: u32,
    log: VecDeque<Transition>,
    /// Calls rejected, by the state they met (`BreakerState::index`).
    rejected: [u64; 3],
    /// Transitions made, by `[from][to]`.
    edges: [[u32; 3]; 3],
}

impl CircuitBreaker {
    /// A new breaker, closed, installed at `now`.
    pub fn new(settings: BreakerSettings, now: u32) -> Self {
        let settings = BreakerSettings {
            failure_threshold_percent: settings.failure_threshold_percent.clamp(1, 100),
            minimum_calls: settings.minimum_calls.max(1),
            window_ticks: settings.window_ticks.max(TICKS_PER_BUCKET),
            open_ticks: settings.open_ticks.max(1),
            probes: settings.probes.max(1),
        };
        let mut window = RollingWindow::new(settings.window_ticks);
        window.newest = now / TICKS_PER_BUCKET;
        Self {
            settings,
            state: BreakerState::Closed,
            since: now,
            generation: 0,
            window,
            probes_in_flight: 0,
            probe_successes: 0,
            log: VecDeque::new(),
            rejected: [0; 3],
            edges: [[0; 3]; 3],
        }
    }

    pub fn state(&self) -> BreakerState {
        self.state
    }

    pub fn settings(&self) -> BreakerSettings {
        self.settings
    }

    /// The tick the breaker entered its current state.
    pub fn since(&self) -> u32 {
        self.since
    }

    /// `(calls, failures)` in the rolling window (counted only while closed).
    pub fn window_totals(&self) -> (u32, u32) {
        self.window.totals()
    }

    /// Probes out now, and probes that have succeeded in this half-open spell.
    pub fn probes(&self) -> (u32, u32) {
        (self.probes_in_flight, self.probe_successes)
    }

    /// The most recent transitions, oldest first.
    pub fn transitions(&self) -> impl DoubleEndedIterator<Item = &Transition> + '_ {
        self.log.iter()
    }

    /// Calls rejected while the breaker was in `state`. Zero for `Closed`, always.
    pub fn rejected_in(&self, state: BreakerState) -> u64 {
        self.rejected[state.index()]
    }

    /// How often the breaker moved from one state to another.
    pub fn transition_count(&self, from: BreakerState, to: BreakerState) -> u32 {
        self.edges[from.index()][to.index()]
    }

    /// Lets time pass: an open breaker becomes half-open once its open duration is over.
    pub fn advance(&mut self, now: u32) {
        self.window.slide_to(now);
        if self.state == BreakerState::Open && now >= self.since.saturating_add(self.settings.open_ticks) {
            self.move_to(BreakerState::HalfOpen, now, Reason::OpenTimeElapsed);
        }
    }

    /// Asks to make one call now.
    pub fn admit(&mut self, now: u32) -> Admission {
        self.advance(now);
        let ticket = |probe| Ticket { generation: self.generation, probe };
        match self.state {
            BreakerState::Closed => Admission::Pass(ticket(false)),
            BreakerState::HalfOpen if self.probes_in_flight + self.probe_successes < self.settings.probes => {
                self.probes_in_flight += 1;
                Admission::Probe(ticket(true))
            }
            state => {
                self.rejected[state.index()] += 1;
                Admission::Reject
            }
        }
    }

    /// Reports how an admitted call ended.
    pub fn record(&mut self, now: u32, ticket: Ticket, succeeded: bool) {
        self.advance(now);
        if ticket.generation != self.generation {
            return;
        }
        match (self.state, ticket.probe) {
            (BreakerState::Closed, false) => {
                self.window.record(now, !succeeded);
                let (calls, failures) = self.window.totals();
                let over_threshold = u64::from(failures) * 100 >= u64::from(self.settings.failure_threshold_percent) * u64::from(calls);
                if calls >= self.settings.minimum_calls && over_threshold {
                    self.move_to(BreakerState::Open, now, Reason::Tripped { failures, calls });
                }
            }
            (BreakerState::HalfOpen, true) => {
                self.probes_in_flight = self.probes_in_flight.saturating_sub(1);
                if !succeeded {
                    self.move_to(BreakerState::Open, now, Reason::ProbeFailed);
                } else {
                    self.probe_successes += 1;
                    if self.probe_successes >= self.settings.probes {
                        self.move_to(BreakerState::Closed, now, Reason::ProbesSucceeded);
                    }
                }
            }
            _ => {}
        }
    }

    /// The one place the state changes. An illegal edge is refused (and fails debug builds),
    /// so whatever the caller does the breaker stays on its graph.
    fn move_to(&mut self, to: BreakerState, now: u32, reason: Reason) {
        let from = self.state;
        if !is_legal_edge(from, to) {
            debug_assert!(false, "illegal breaker transition {from:?} → {to:?}");
            return;
        }
        self.state = to;
        self.since = now;
        self.generation = self.generation.wrapping_add(1);
        self.probes_in_flight = 0;
        self.probe_successes = 0;
        if to == BreakerState::Closed {
            self.window.clear();
        }
        self.edges[from.index()][to.index()] += 1;
        if self.log.len() == TRANSITION_LOG_LENGTH {
            self.log.pop_front();
        }
        self.log.push_back(Transition { at: now, from, to, reason });
    }
}
