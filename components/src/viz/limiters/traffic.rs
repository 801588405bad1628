//! The one arrival stream every limiter receives: drawn once per tick from the seeded generator,
//! so all five see exactly the same requests at exactly the same ticks.

use crate::sim::SimRng;

use super::controls::{Config, Pattern};
use super::TICKS_PER_SECOND;

/// Bursts come every this many windows.
pub const BURST_EVERY_WINDOWS: u64 = 4;

/// The arrivals of one tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Arrivals {
    pub background: u32,
    /// Requests of a pattern burst or of "Burst now".
    pub burst: u32,
}

impl Arrivals {
    pub fn total(&self) -> u32 {
        self.background.saturating_add(self.burst)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Traffic {
    pattern: Pattern,
    rate_per_second: u32,
    burst: u32,
    window_ticks: u64,
    /// Steady traffic's progress towards its next request, in requests × ticks per second.
    steady_progress: u64,
    /// Requests of "Burst now" waiting for the next tick.
    injected: u32,
}

impl Traffic {
    pub fn new(config: &Config, pattern: Pattern) -> Self {
        Self {
            pattern,
            rate_per_second: config.rate_per_second,
            burst: config.burst,
            window_ticks: config.window_ticks.max(2),
            steady_progress: 0,
            injected: 0,
        }
    }

    pub fn pattern(&self) -> Pattern {
        self.pattern
    }

    pub fn set_pattern(&mut self, pattern: Pattern) {
        self.pattern = pattern;
    }

    /// Adds one burst to the next tick.
    pub fn inject_burst(&mut self) {
        self.injected = self.injected.saturating_add(self.burst);
    }

    /// The arrivals at tick `now`.
    pub fn next(&mut self, now: u64, rng: &mut SimRng) -> Arrivals {
        let background = match self.pattern {
            Pattern::Steady => self.steady(),
            Pattern::Poisson | Pattern::Bursts => rng.poisson(f64::from(self.rate_per_second) / TICKS_PER_SECOND as f64),
            Pattern::EdgeBursts => 0,
        };
        let scheduled = match self.pattern {
            Pattern::Bursts => self.mid_window_burst(now),
            Pattern::EdgeBursts => self.edge_burst(now),
            Pattern::Steady | Pattern::Poisson => 0,
        };
        let burst = scheduled.saturating_add(std::mem::take(&mut self.injected));
        Arrivals { background, burst }
    }

    /// Evenly spaced: a request each time the progress passes a whole request.
    fn steady(&mut self) -> u32 {
        self.steady_progress += u64::from(self.rate_per_second);
        let due = self.steady_progress / TICKS_PER_SECOND;
        self.steady_progress %= TICKS_PER_SECOND;
        due as u32
    }

    /// The whole burst halfway through windows 1, 5, 9, …
    fn mid_window_burst(&self, now: u64) -> u32 {
        let at = self.window_ticks + self.window_ticks / 2;
        if now % (BURST_EVERY_WINDOWS * self.window_ticks) == at {
            self.burst
        } else {
            0
        }
    }

    /// Half the burst in the last tick of windows 1, 5, 9, … and the rest in the first tick of
    /// the window after, so the first boundary crossed is at the end of window 1.
    fn edge_burst(&self, now: u64) -> u32 {
        let boundary = 2 * self.window_ticks;
        let before = self.burst / 2;
        match now % (BURST_EVERY_WINDOWS * self.window_ticks) {
            offset if offset == boundary - 1 => before,
            offset if offset == boundary => self.burst - before,
            _ => 0,
        }
    }
}
