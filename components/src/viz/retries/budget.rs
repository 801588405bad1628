//! A retry budget: a client may send a retry only while the retries it sent over the last
//! `BUDGET_WINDOW_MS` stay within a share of its original requests over the same window (as in
//! Finagle's `RetryBudget`, without its minimum allowance, so the share is a hard ceiling).

use super::{BUDGET_WINDOW_MS, TICK_MS};

/// The window is kept in buckets of this many ticks (100 ms).
pub const TICKS_PER_BUDGET_BUCKET: u32 = 10;
const BUCKETS: usize = (BUDGET_WINDOW_MS / (TICK_MS * TICKS_PER_BUDGET_BUCKET)) as usize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryBudget {
    /// Retries allowed per 100 original requests.
    percent: u32,
    /// `(requests, retries)` per bucket; the newest is `newest % BUCKETS`.
    buckets: [(u32, u32); BUCKETS],
    newest: u32,
    requests: u64,
    retries: u64,
}

impl RetryBudget {
    pub fn new(percent: u32) -> Self {
        Self { percent: percent.min(100), buckets: [(0, 0); BUCKETS], newest: 0, requests: 0, retries: 0 }
    }

    pub fn percent(&self) -> u32 {
        self.percent
    }

    /// `(requests, retries)` in the window ending now.
    pub fn window(&self) -> (u64, u64) {
        (self.requests, self.retries)
    }

    /// Moves the window to `now`, forgetting the buckets it slid past.
    pub fn slide_to(&mut self, now: u32) {
        let bucket = now / TICKS_PER_BUDGET_BUCKET;
        if bucket <= self.newest {
            return;
        }
        let stale = (bucket - self.newest).min(BUCKETS as u32);
        for step in 1..=stale {
            let slot = ((self.newest + step) as usize) % BUCKETS;
            let (requests, retries) = std::mem::take(&mut self.buckets[slot]);
            self.requests -= u64::from(requests);
            self.retries -= u64::from(retries);
        }
        self.newest = bucket;
    }

    /// Counts original requests sent now.
    pub fn note_requests(&mut self, now: u32, count: u32) {
        self.slide_to(now);
        self.buckets[self.newest as usize % BUCKETS].0 += count;
        self.requests += u64::from(count);
    }

    /// Counts a retry sent while the budget is not enforced, so that switching it on later
    /// starts from what really happened.
    pub fn note_retry(&mut self, now: u32) {
        self.slide_to(now);
        self.buckets[self.newest as usize % BUCKETS].1 += 1;
        self.retries += 1;
    }

    /// Spends one retry now if the window has room for it: afterwards, retries × 100 never
    /// exceed requests × percent.
    pub fn try_spend(&mut self, now: u32) -> bool {
        self.slide_to(now);
        if (self.retries + 1) * 100 > self.requests * u64::from(self.percent) {
            return false;
        }
        self.buckets[self.newest as usize % BUCKETS].1 += 1;
        self.retries += 1;
        true
    }
}
