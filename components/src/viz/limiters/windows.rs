//! The three window limiters, each allowing `limit` requests per `window_ticks`:
//!
//! - a fixed window counts from each window's start and forgets at the boundary, so a burst
//!   just before and just after a boundary gets up to twice the limit through;
//! - a sliding-window log remembers when each accepted request came, so no span of one window
//!   ever holds more than the limit (at the cost of one entry per request);
//! - a sliding-window counter keeps only this window's and the previous window's counts and
//!   weighs the previous one by how much of it still overlaps the last `window_ticks`.
//!
//! Window `k` covers ticks `k·window_ticks ..< (k+1)·window_ticks`. Times never go backwards.

use std::collections::VecDeque;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedWindow {
    limit: u32,
    window_ticks: u64,
    window: u64,
    used: u32,
}

impl FixedWindow {
    pub fn new(limit: u32, window_ticks: u64) -> Self {
        Self { limit, window_ticks: window_ticks.max(1), window: 0, used: 0 }
    }

    /// `count` requests arrive at tick `now`; returns how many fit in this window's count.
    pub fn offer(&mut self, now: u64, count: u32) -> u32 {
        let window = now / self.window_ticks;
        if window != self.window {
            self.window = window;
            self.used = 0;
        }
        let accepted = count.min(self.limit.saturating_sub(self.used));
        self.used += accepted;
        accepted
    }

    /// Requests counted in the current window.
    pub fn used(&self) -> u32 {
        self.used
    }

    /// Requests counted in the window of tick `now` (at or after the last offer): none yet when
    /// `now` has crossed into a window no offer has reached.
    pub fn used_at(&self, now: u64) -> u32 {
        if now / self.window_ticks == self.window {
            self.used
        } else {
            0
        }
    }

    /// Ticks until the count resets, seen from tick `now`.
    pub fn resets_in(&self, now: u64) -> u64 {
        self.window_ticks - now % self.window_ticks
    }
}

/// Accepted requests of one tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Logged {
    at: u64,
    count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlidingLog {
    limit: u32,
    window_ticks: u64,
    /// Accepted requests of the last `window_ticks`, oldest first.
    log: VecDeque<Logged>,
    in_window: u32,
}

impl SlidingLog {
    pub fn new(limit: u32, window_ticks: u64) -> Self {
        Self { limit, window_ticks: window_ticks.max(1), log: VecDeque::new(), in_window: 0 }
    }

    /// `count` requests arrive at tick `now`; returns how many fit among the requests accepted
    /// in the ticks `now − window_ticks + 1 ..= now`.
    pub fn offer(&mut self, now: u64, count: u32) -> u32 {
        self.forget_before(now);
        let accepted = count.min(self.limit.saturating_sub(self.in_window));
        if accepted > 0 {
            match self.log.back_mut() {
                Some(last) if last.at == now => last.count += accepted,
                _ => self.log.push_back(Logged { at: now, count: accepted }),
            }
            self.in_window += accepted;
        }
        accepted
    }

    fn forget_before(&mut self, now: u64) {
        while let Some(oldest) = self.log.front() {
            if oldest.at + self.window_ticks > now {
                break;
            }
            self.in_window -= oldest.count;
            self.log.pop_front();
        }
    }

    /// Requests in the log after the last offer.
    pub fn in_window(&self) -> u32 {
        self.in_window
    }

    /// Requests the log still counts at tick `now` (at or after the last offer).
    pub fn in_window_at(&self, now: u64) -> u32 {
        self.log.iter().filter(|logged| logged.at + self.window_ticks > now).map(|logged| logged.count).sum()
    }

    /// The log, oldest first: `(tick, requests accepted in it)`, so a view can place them in time.
    pub fn logged(&self) -> impl Iterator<Item = (u64, u32)> + '_ {
        self.log.iter().map(|logged| (logged.at, logged.count))
    }

    /// Timestamps the log holds (one per request in a real implementation; here one per tick).
    pub fn entries(&self) -> usize {
        self.log.len()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlidingCounter {
    limit: u32,
    window_ticks: u64,
    window: u64,
    current: u32,
    previous: u32,
}

impl SlidingCounter {
    pub fn new(limit: u32, window_ticks: u64) -> Self {
        Self { limit, window_ticks: window_ticks.max(1), window: 0, current: 0, previous: 0 }
    }

    /// `count` requests arrive at tick `now`. The estimate of the last window is
    /// `previous × (W − elapsed) / W + current`; a request is accepted while the estimate with it
    /// stays within the limit. Compared in whole numbers: `previous × (W − elapsed) + (current +
    /// n) × W ≤ limit × W`.
    pub fn offer(&mut self, now: u64, count: u32) -> u32 {
        self.roll(now);
        let budget = u64::from(self.limit) * self.window_ticks;
        let carried = self.carried_units(now);
        let allowed = budget.saturating_sub(carried) / self.window_ticks;
        let room = allowed.saturating_sub(u64::from(self.current));
        let accepted = u64::from(count).min(room) as u32;
        self.current += accepted;
        accepted
    }

    fn roll(&mut self, now: u64) {
        let window = now / self.window_ticks;
        if window == self.window {
            return;
        }
        self.previous = if window == self.window + 1 { self.current } else { 0 };
        self.current = 0;
        self.window = window;
    }

    /// The previous window's count weighted by its overlap, times `window_ticks`.
    fn carried_units(&self, now: u64) -> u64 {
        let elapsed = now.saturating_sub(self.window * self.window_ticks).min(self.window_ticks);
        u64::from(self.previous) * (self.window_ticks - elapsed)
    }

    /// The estimated count of the last window, seen from tick `now` (at or after the last offer).
    pub fn estimate(&self, now: u64) -> f64 {
        let mut seen = self.clone();
        seen.roll(now);
        (seen.carried_units(now) + u64::from(seen.current) * seen.window_ticks) as f64 / seen.window_ticks as f64
    }

    pub fn current(&self) -> u32 {
        self.current
    }

    /// `(previous, current)` window counts as seen from tick `now` (at or after the last offer):
    /// once `now` is in a later window the current count has become the previous one, or both
    /// are gone when a whole window passed with no offer.
    pub fn counts_at(&self, now: u64) -> (u32, u32) {
        let mut seen = self.clone();
        seen.roll(now);
        (seen.previous, seen.current)
    }

    pub fn previous(&self) -> u32 {
        self.previous
    }
}
