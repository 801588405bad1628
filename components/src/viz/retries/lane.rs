//! One lane of the race: a population of clients that retry with one strategy against a server
//! of its own. Every lane gets the same new requests; only the retries differ.

use std::collections::BTreeMap;

use crate::sim::SimRng;

use super::budget::RetryBudget;
use super::metrics::LaneTotals;
use super::strategy::Strategy;
use super::{MAX_PENDING_RETRIES, SERVER_BURST_TICKS, TICK_MS};

/// One attempt of one request, or a retry waiting to be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Attempt {
    /// The tick of the request's first attempt.
    started: u32,
    /// 1 for the first attempt, 2 for the first retry, …
    number: u32,
    /// The wait before this attempt, in ms (`base` before the first retry).
    previous_wait_ms: u32,
}

/// How the clients of a lane retry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct RetryRules {
    pub max_attempts: u32,
    pub base_ms: f64,
    pub cap_ms: f64,
    pub budgeted: bool,
}

/// What one tick looked like at a lane's server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TickOutcome {
    pub attempts: u32,
    pub succeeded: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Lane {
    pub strategy: Strategy,
    rng: SimRng,
    /// The server's allowance: it answers at most this many attempts now, refilled every tick
    /// and capped at `SERVER_BURST_TICKS` ticks of capacity.
    tokens: f64,
    /// Retries waiting for their tick, by tick.
    pending: BTreeMap<u32, Vec<Attempt>>,
    pending_count: usize,
    pub budget: RetryBudget,
    pub totals: LaneTotals,
    /// The attempts of the current tick (kept to reuse the allocation).
    batch: Vec<Attempt>,
}

impl Lane {
    pub fn new(strategy: Strategy, seed: u64, budget_percent: u32, capacity_per_tick: f64) -> Self {
        Self {
            strategy,
            rng: SimRng::new(seed),
            tokens: capacity_per_tick * SERVER_BURST_TICKS,
            pending: BTreeMap::new(),
            pending_count: 0,
            budget: RetryBudget::new(budget_percent),
            totals: LaneTotals::default(),
            batch: Vec::new(),
        }
    }

    /// Retries scheduled and not yet sent.
    pub fn pending_retries(&self) -> usize {
        self.pending_count
    }

    /// Counts the retries waiting to be sent by when they are due: `counts[i]` gets those due
    /// in ticks `(now + i × bin_ticks, now + (i + 1) × bin_ticks]`, the last slot everything
    /// later. The shape of these counts is what tells the strategies apart on the stage.
    pub fn waiting_by_due(&self, now: u32, bin_ticks: u32, counts: &mut [u32]) {
        counts.fill(0);
        let Some(last) = counts.len().checked_sub(1) else { return };
        for (due, retries) in &self.pending {
            let slot = (due.saturating_sub(now).saturating_sub(1) / bin_ticks.max(1)) as usize;
            counts[slot.min(last)] = counts[slot.min(last)].saturating_add(retries.len() as u32);
        }
    }

    /// Sends this tick's attempts (`new_requests` first attempts and the retries that are due)
    /// and lets the server answer them.
    pub fn step(&mut self, now: u32, new_requests: u32, capacity_per_tick: f64, rules: RetryRules) -> TickOutcome {
        let mut batch = std::mem::take(&mut self.batch);
        batch.clear();
        self.budget.note_requests(now, new_requests);
        self.totals.requests += u64::from(new_requests);
        batch.extend((0..new_requests).map(|_| Attempt { started: now, number: 1, previous_wait_ms: rules.base_ms as u32 }));
        for retry in self.pending.remove(&now).unwrap_or_default() {
            self.pending_count -= 1;
            if rules.budgeted && !self.budget.try_spend(now) {
                self.totals.denied_by_budget += 1;
            } else {
                if !rules.budgeted {
                    self.budget.note_retry(now);
                }
                batch.push(retry);
            }
        }
        let attempts = batch.len() as u32;
        self.totals.attempts += u64::from(attempts);
        let succeeded = self.serve(&mut batch, capacity_per_tick);
        for (index, attempt) in batch.iter().enumerate() {
            if index < succeeded as usize {
                self.totals.succeeded += 1;
                let took = (now - attempt.started + 1).saturating_mul(TICK_MS);
                self.totals.completion.record(took);
            } else {
                self.retry_later(now, *attempt, rules);
            }
        }
        self.batch = batch;
        TickOutcome { attempts, succeeded }
    }

    /// The server answers as many attempts as it has allowance for, chosen at random; the
    /// chosen ones are moved to the front of `batch`. Returns how many succeeded.
    fn serve(&mut self, batch: &mut [Attempt], capacity_per_tick: f64) -> u32 {
        let capacity = capacity_per_tick.max(0.0);
        self.tokens = (self.tokens + capacity).min(capacity * SERVER_BURST_TICKS);
        let succeeded = (self.tokens.floor() as usize).min(batch.len());
        self.tokens -= succeeded as f64;
        if succeeded < batch.len() {
            // A partial Fisher–Yates shuffle picks the lucky ones without sorting everything.
            for index in 0..succeeded {
                let pick = index + self.rng.below((batch.len() - index) as u64) as usize;
                batch.swap(index, pick);
            }
        }
        succeeded as u32
    }

    /// A failed attempt: the request retries after its strategy's wait, or gives up when it
    /// has used its attempts (or the clients cannot hold another pending retry).
    fn retry_later(&mut self, now: u32, failed: Attempt, rules: RetryRules) {
        if failed.number >= rules.max_attempts || self.pending_count >= MAX_PENDING_RETRIES {
            self.totals.exhausted += 1;
            return;
        }
        let draw = if self.strategy.is_random() { self.rng.next_f64() } else { 0.0 };
        let wait_ms = self.strategy.delay_ms(failed.number - 1, f64::from(failed.previous_wait_ms), draw, rules.base_ms, rules.cap_ms);
        let wait_ticks = (wait_ms / f64::from(TICK_MS)).round().max(1.0) as u32;
        let retry = Attempt { started: failed.started, number: failed.number + 1, previous_wait_ms: wait_ms.round() as u32 };
        self.pending.entry(now.saturating_add(wait_ticks)).or_default().push(retry);
        self.pending_count += 1;
    }
}
