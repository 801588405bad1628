//! Retries, backoff and jitter: clients retrying against a server in a brownout. Five lanes run
//! side by side, each with its own server and the same seeded new requests, so the comparison
//! is fair: immediate retries, exponential backoff, full jitter, decorrelated jitter (exactly as
//! in Marc Brooker's "Exponential Backoff And Jitter", AWS Architecture Blog, 2015), and
//! immediate retries held to a retry budget.
//!
//! Time moves in ticks of 10 ms. Each tick a lane's server receives the new requests plus the
//! retries due now, answers as many as its capacity allows (chosen at random; it can absorb a
//! burst of `SERVER_BURST_TICKS` ticks of capacity), and fails the rest at once. A failed
//! request retries after its strategy's wait until it has made `attempts` attempts.
//!
//! For the view: drive it with `Timeline<RetryRace>` (parameters `RETRY_PARAMS`, actions
//! `Action`), then draw `series()` (one `TickSample` per tick: attempts and successes per
//! lane, and the capacity), `lanes()` (each lane's `LaneView` with its totals for the table),
//! `capacity_percent()`, and `narrate()` for the live region.
//!
//! Model choices worth knowing:
//! - A request's completion time runs from its first attempt to its success, including the
//!   waits; an attempt is answered within its tick, so a first-try success takes 10 ms.
//! - The budget counts original requests and retries over the last `BUDGET_WINDOW_MS`; a retry
//!   it refuses ends the request as failed.
//! - The scheduled brownout and the reader's brownout and recover actions set the same
//!   capacity; whichever came last holds.

use crate::sim::{Params, SimRng, Simulation};

mod budget;
mod controls;
mod lane;
mod metrics;
pub mod strategy;
#[cfg(test)]
mod tests;
pub mod poster;
pub mod stage;

pub use budget::RetryBudget;
pub use controls::{Action, Config, RETRY_PARAMS};
pub use metrics::{CompletionHistogram, LaneTotals, Series, TickSample, COMPLETION_BUCKETS_MS, MAX_SAMPLES};
pub use strategy::Strategy;
use lane::{Lane, RetryRules};

/// Simulated time per tick.
pub const TICK_MS: u32 = 10;
pub const TICKS_PER_SECOND: u32 = 1000 / TICK_MS;
/// How many lanes race.
pub const LANES: usize = 5;
/// The retry budget's sliding window (Finagle's default).
pub const BUDGET_WINDOW_MS: u32 = 10_000;
/// The server can absorb a burst of this many ticks of its capacity (100 ms).
pub const SERVER_BURST_TICKS: f64 = 10.0;
/// The most retries one lane's clients can hold scheduled; beyond it, a failed request gives up.
/// It also bounds the state the timeline clones for its keyframes.
pub const MAX_PENDING_RETRIES: usize = 50_000;

/// Each lane's strategy, and whether it always obeys the retry budget.
pub const LANE_SETUPS: [(Strategy, bool); LANES] = [
    (Strategy::Immediate, false),
    (Strategy::Exponential, false),
    (Strategy::FullJitter, false),
    (Strategy::DecorrelatedJitter, false),
    (Strategy::Immediate, true),
];

/// One lane as the view draws it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LaneView {
    pub index: usize,
    pub strategy: Strategy,
    /// The budget holds this lane's retries now.
    pub budgeted: bool,
    pub totals: LaneTotals,
    pub pending_retries: usize,
}

impl LaneView {
    pub fn label(&self) -> String {
        match (LANE_SETUPS[self.index].1, self.budgeted) {
            (true, _) => format!("{} + retry budget", self.strategy.label()),
            (false, true) => format!("{} (budget on)", self.strategy.label()),
            (false, false) => self.strategy.label().to_string(),
        }
    }
}

/// Something worth telling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Started,
    Acted(Action),
    ScheduledBrownout { burst: bool },
    ScheduledRecovery,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RetryRace {
    config: Config,
    tick: u32,
    /// Draws the new requests, shared by every lane.
    traffic: SimRng,
    capacity_percent: u32,
    budget_everywhere: bool,
    /// Clients that will all send on the next tick.
    burst_next: u32,
    lanes: Vec<Lane>,
    series: Series,
    last_event: (u32, Event),
}

impl RetryRace {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let capacity = f64::from(config.capacity_per_second) / f64::from(TICKS_PER_SECOND);
        let lanes = LANE_SETUPS
            .iter()
            .enumerate()
            .map(|(index, (strategy, _))| Lane::new(*strategy, seed ^ (0x9E37_79B9_7F4A_7C15_u64.wrapping_mul(index as u64 + 1)), config.budget_percent, capacity))
            .collect();
        Self {
            config,
            tick: 0,
            traffic: SimRng::new(seed),
            capacity_percent: 100,
            budget_everywhere: false,
            burst_next: 0,
            lanes,
            series: Series::default(),
            last_event: (0, Event::Started),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn time_ms(&self) -> u64 {
        u64::from(self.tick) * u64::from(TICK_MS)
    }

    /// The server's capacity now, as a percentage of normal.
    pub fn capacity_percent(&self) -> u32 {
        self.capacity_percent
    }

    pub fn budget_everywhere(&self) -> bool {
        self.budget_everywhere
    }

    /// One sample per tick, oldest first.
    pub fn series(&self) -> &Series {
        &self.series
    }

    pub fn lanes(&self) -> impl Iterator<Item = LaneView> + '_ {
        self.lanes.iter().enumerate().map(|(index, lane)| LaneView {
            index,
            strategy: lane.strategy,
            budgeted: self.is_budgeted(index),
            totals: lane.totals,
            pending_retries: lane.pending_retries(),
        })
    }

    /// A lane's waiting retries by when they are due (see `Lane::waiting_by_due`); zeros for a
    /// lane that does not exist.
    pub fn waiting_by_due(&self, lane: usize, bin_ticks: u32, counts: &mut [u32]) {
        match self.lanes.get(lane) {
            Some(lane) => lane.waiting_by_due(self.tick, bin_ticks, counts),
            None => counts.fill(0),
        }
    }

    /// A lane's retry budget, for checking what it allowed.
    pub fn budget(&self, lane: usize) -> Option<&RetryBudget> {
        self.lanes.get(lane).map(|lane| &lane.budget)
    }

    fn is_budgeted(&self, lane: usize) -> bool {
        self.budget_everywhere || LANE_SETUPS.get(lane).is_some_and(|(_, budgeted)| *budgeted)
    }

    fn capacity_per_tick(&self) -> f64 {
        f64::from(self.config.capacity_per_second) * f64::from(self.capacity_percent) / 100.0 / f64::from(TICKS_PER_SECOND)
    }

    /// Advances one tick with exactly `new_requests` new requests instead of a random number:
    /// for worked examples.
    pub fn step_scripted(&mut self, new_requests: u32) {
        self.tick = self.tick.saturating_add(1);
        self.follow_schedule();
        let burst = std::mem::take(&mut self.burst_next);
        self.send(new_requests.saturating_add(burst));
    }

    fn follow_schedule(&mut self) {
        let Some((start, end)) = self.config.brownout_ticks else { return };
        if self.tick == start.max(1) {
            self.capacity_percent = self.config.brownout_percent;
            if self.config.burst_at_brownout {
                self.burst_next = self.burst_next.saturating_add(self.config.clients);
            }
            self.last_event = (self.tick, Event::ScheduledBrownout { burst: self.config.burst_at_brownout });
        } else if self.tick == end {
            self.capacity_percent = 100;
            self.last_event = (self.tick, Event::ScheduledRecovery);
        }
    }

    fn send(&mut self, new_requests: u32) {
        let now = self.tick;
        let capacity = self.capacity_per_tick();
        let mut sample = TickSample { tick: now, capacity_per_tick: capacity, requests: new_requests, ..TickSample::default() };
        for index in 0..self.lanes.len() {
            let rules = RetryRules {
                max_attempts: self.config.max_attempts,
                base_ms: f64::from(self.config.base_ms),
                cap_ms: f64::from(self.config.cap_ms),
                budgeted: self.is_budgeted(index),
            };
            let outcome = self.lanes[index].step(now, new_requests, capacity, rules);
            sample.attempts[index] = outcome.attempts;
            sample.succeeded[index] = outcome.succeeded;
        }
        self.series.push(sample);
    }

    /// Attempts per new request over the last second, per lane; `None` without new requests.
    pub fn recent_amplification(&self) -> [Option<f64>; LANES] {
        let mut attempts = [0u64; LANES];
        let mut requests = 0u64;
        for sample in self.series.recent(TICKS_PER_SECOND as usize) {
            requests += u64::from(sample.requests);
            for (total, count) in attempts.iter_mut().zip(sample.attempts) {
                *total += u64::from(count);
            }
        }
        attempts.map(|total| (requests > 0).then(|| total as f64 / requests as f64))
    }

    fn describe(&self, event: Event) -> String {
        let capacity = u64::from(self.config.capacity_per_second) * u64::from(self.capacity_percent) / 100;
        match event {
            Event::Started => {
                let brownout = match self.config.brownout_ticks {
                    Some((start, end)) => format!(
                        "At {} s the server browns out to {}% for {} s{}.",
                        start / TICKS_PER_SECOND,
                        self.config.brownout_percent,
                        (end - start) / TICKS_PER_SECOND,
                        if self.config.burst_at_brownout { format!(", and all {} clients send at once", self.config.clients) } else { String::new() }
                    ),
                    None => "No brownout is scheduled: start one.".to_string(),
                };
                format!("Five groups of clients send {} new requests per second, each to its own server. {brownout}", self.config.requests_per_second)
            }
            Event::Acted(Action::Brownout(percent)) => format!("Brownout: the server drops to {percent}% of its capacity, {capacity} attempts per second."),
            Event::Acted(Action::Recover) | Event::ScheduledRecovery => format!("The server recovers: {capacity} attempts per second again."),
            Event::Acted(Action::Burst) => format!("Burst: all {} clients send a request at once.", self.config.clients),
            Event::Acted(Action::BudgetEverywhere(true)) => format!("Every lane now obeys the retry budget: {} retries per 100 requests.", self.config.budget_percent),
            Event::Acted(Action::BudgetEverywhere(false)) => "Only the last lane obeys the retry budget now.".to_string(),
            Event::ScheduledBrownout { burst } => format!(
                "Brownout: the server drops to {capacity} attempts per second{}.",
                if burst { format!(", and all {} clients send at once", self.config.clients) } else { String::new() }
            ),
        }
    }
}

impl Simulation for RetryRace {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        self.tick = self.tick.saturating_add(1);
        self.follow_schedule();
        let per_tick = f64::from(self.config.requests_per_second) / f64::from(TICKS_PER_SECOND);
        let arrivals = self.traffic.poisson(per_tick);
        let burst = std::mem::take(&mut self.burst_next);
        self.send(arrivals.saturating_add(burst));
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::Brownout(percent) => self.capacity_percent = percent.min(100),
            Action::Recover => self.capacity_percent = 100,
            Action::Burst => self.burst_next = self.burst_next.saturating_add(self.config.clients),
            Action::BudgetEverywhere(on) => self.budget_everywhere = on,
        }
        self.last_event = (self.tick, Event::Acted(*action));
    }

    fn tick(&self) -> u64 {
        u64::from(self.tick)
    }

    /// The latest event for two seconds, then how much each lane amplifies the load now.
    fn narrate(&self) -> String {
        let (at, event) = self.last_event;
        let when = format!("{:.1} s: ", f64::from(at * TICK_MS) / 1000.0);
        if event == Event::Started && self.tick < 2 * TICKS_PER_SECOND {
            return self.describe(event);
        }
        if self.tick.saturating_sub(at) < 2 * TICKS_PER_SECOND {
            return format!("{when}{}", self.describe(event));
        }
        let amplification = self.recent_amplification();
        let parts: Vec<String> = self
            .lanes()
            .zip(amplification)
            .filter_map(|(lane, value)| value.filter(|value| value.is_finite()).map(|value| format!("{} {value:.1}×", lane.label())))
            .collect();
        if parts.is_empty() {
            return format!("{:.1} s: no new requests in the last second.", self.time_ms() as f64 / 1000.0);
        }
        format!("{:.1} s: attempts per new request over the last second: {}.", self.time_ms() as f64 / 1000.0, parts.join(", "))
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}
