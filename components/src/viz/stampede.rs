//! Cache stampede: many clients read keys through a cache with TTLs in front of a database with
//! limited concurrency whose latency rises with load. When a hot key expires, every request
//! that misses recomputes it: a herd queues at the database, latency spikes, clients time out.
//! The fixes (lock, single flight, early recomputation, stale-while-revalidate, TTL jitter,
//! warm-up, and a Bloom filter for the penetration variant) can be switched during the run.
//!
//! Time moves in ticks of 10 ms. Requests are not objects: each tick draws how many arrive
//! (Poisson) and which keys they ask for (Zipf popularity), and only the requests that must wait
//! are kept, as batches `(key, arrival tick, count)`, so timeouts still see every wait's age.
//! A tick therefore costs about the number of keys touched plus the number of waiting batches,
//! and allocates nothing once the buffers have grown (about 0.6 µs natively at the defaults).
//!
//! For the view: drive it with `Timeline<Stampede>` (parameters `STAMPEDE_PARAMS`, actions
//! `Action`), then draw `series()` (one `Sample` per 100 ms; `Series::points` gives chart
//! points for any `Metric`), `hot_keys()` (each key's `KeyStatus`, recomputations and waiters),
//! `database()` (running, queued, slowdown), `fixes()` for the toggles, and `narrate()` for the
//! live region.
//!
//! Model choices worth knowing:
//! - A request waiting on the database gives up after the client timeout. Queued queries whose
//!   client gave up leave the queue; running ones run on and still fill the cache.
//! - The database queue holds at most `MAX_QUEUED_QUERIES`; beyond that queries are refused.
//! - Latency percentiles cover every answered request: cache answers at `CACHE_LATENCY_MS`,
//!   waits at their length, timeouts at the timeout. Refusals are counted, not timed.
//! - Locks and single flights live in the application, so `RestartCache` keeps them.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::sim::{Params, SimRng, Simulation};

mod controls;
mod database;
mod metrics;
mod narration;
#[cfg(test)]
mod tests;
mod views;
pub mod poster;
pub mod stage;

pub use controls::{Action, Config, Fix, Fixes, STAMPEDE_PARAMS};
use database::{Database, QueryKind, QueuedQueries, NO_KEY};
pub use database::{MAX_QUEUED_QUERIES, MAX_SLOWDOWN};
pub use metrics::{LatencyHistogram, Metric, Sample, Series, Totals, LATENCY_BUCKETS_MS, MAX_SAMPLES};
use metrics::Ledger;
use narration::{Event, Narrator, WindowSummary};
pub use views::{key_name, DatabaseView, KeyStatus, KeyView};

/// Simulated time per tick.
pub const TICK_MS: u32 = 10;
/// Ticks per sample: the charts get one point per 100 ms.
pub const TICKS_PER_SAMPLE: u32 = 10;
pub const SAMPLE_MS: u32 = TICK_MS * TICKS_PER_SAMPLE;
/// What a cache read costs the client.
pub const CACHE_LATENCY_MS: u32 = 1;
/// How often a request waiting for another's lock re-checks the cache.
pub const LOCK_POLL_MS: u32 = 50;
/// The keys called hot: the ones `ExpireHotKeys` expires and the view draws.
pub const HOT_KEY_COUNT: usize = 10;
/// Warm-up loads the most popular keys until they cover this share of the traffic.
pub const WARM_UP_SHARE: f64 = 0.9;
/// How often the Bloom filter wrongly says a missing key might exist.
pub const BLOOM_FALSE_POSITIVE_RATE: f64 = 0.01;

/// The most requests that can wait on locks and single flights at once: the application's
/// request slots. Beyond it, requests that would wait are refused. It also bounds the state the
/// timeline clones for its keyframes (about 12 bytes per waiting batch).
pub const MAX_WAITING_REQUESTS: u32 = 10_000;
/// The most requests `step_scripted` accepts per entry, so counters cannot overflow.
pub const MAX_SCRIPTED_REQUESTS: u32 = 100_000;

const TICKS_PER_SECOND: u32 = 1000 / TICK_MS;
const LOCK_POLL_TICKS: u32 = LOCK_POLL_MS / TICK_MS;

#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct KeyState {
    /// The tick the cached value expires at; `None` when nothing is cached.
    expires_at: Option<u32>,
    /// How long the last recomputation took, sent to filled, in ticks: XFetch's delta.
    recompute_ticks: u32,
    /// Recomputations of this key in the database, queued or running.
    in_flight: u32,
    /// A lock, single flight or background refresh holds the key.
    held: bool,
    /// Requests waiting for the key's single flight.
    attached: u32,
    /// Requests polling the cache while the lock is held.
    polling: u32,
    /// Reads in the current window that found the value expired or gone (for the narration).
    expired_reads: u32,
    /// Arrivals this tick; always 0 between ticks.
    arrivals: u32,
}

impl KeyState {
    fn is_fresh(&self, now: u32) -> bool {
        self.expires_at.is_some_and(|expires_at| now < expires_at)
    }
}

/// Requests that arrived in the same tick for the same key and wait the same way.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Waiter {
    key: u16,
    arrived: u32,
    count: u32,
    /// Polling for the lock holder to fill the cache; otherwise attached to a single flight.
    polling: bool,
}

/// The whole model: cache, database, waiting requests and the metrics drawn from them.
#[derive(Debug, Clone, PartialEq)]
pub struct Stampede {
    config: Config,
    tick: u32,
    rng: SimRng,
    fixes: Fixes,
    keys: Vec<KeyState>,
    /// Cumulative popularity, shared by every clone: `popularity[i]` is the share of keys `0..=i`.
    popularity: Arc<[f64]>,
    database: Database,
    /// Waiting requests in arrival order, so the oldest time out first.
    waiters: VecDeque<Waiter>,
    /// Requests in `waiters`, counting every request of a batch.
    waiting: u32,
    /// Keys that had arrivals this tick, in the order they first arrived (empty between ticks).
    touched: Vec<u16>,
    ledger: Ledger,
    series: Series,
    narrator: Narrator,
}

impl Stampede {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let weights: Vec<f64> = (0..config.keys).map(|rank| 1.0 / ((rank + 1) as f64).powf(config.skew)).collect();
        let total: f64 = weights.iter().sum();
        let mut cumulative = 0.0;
        let popularity: Arc<[f64]> = weights
            .iter()
            .map(|weight| {
                cumulative += weight / total;
                cumulative
            })
            .collect();
        let recompute_ticks = config.recompute_ms.div_ceil(TICK_MS).max(1);
        let expires_at = config.warm_start.then_some(config.ttl_ticks);
        let key = KeyState { expires_at, recompute_ticks, ..KeyState::default() };
        let started = Event::Started {
            warm: config.warm_start,
            penetration: config.penetration,
            missing_percent: (config.missing_share * 100.0).round() as u32,
            ttl_seconds: config.ttl_ticks / TICKS_PER_SECOND,
        };
        Self {
            config,
            tick: 0,
            rng: SimRng::new(seed),
            fixes: Fixes::default(),
            keys: vec![key; config.keys],
            popularity,
            database: Database::new(config.concurrency, config.recompute_ms),
            waiters: VecDeque::new(),
            waiting: 0,
            touched: Vec::new(),
            ledger: Ledger::default(),
            series: Series::default(),
            narrator: Narrator::new(started),
        }
    }

    /// The parameters as the model read them (clamped).
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Which fixes are on now, for the toggles.
    pub fn fixes(&self) -> Fixes {
        self.fixes
    }

    /// Simulated time since the start.
    pub fn time_ms(&self) -> u64 {
        u64::from(self.tick) * u64::from(TICK_MS)
    }

    /// One sample per 100 ms, oldest first.
    pub fn series(&self) -> &Series {
        &self.series
    }

    /// Counts since the start of the run.
    pub fn totals(&self) -> Totals {
        self.ledger.totals
    }

    /// The database now: running and queued queries and the current slowdown.
    pub fn database(&self) -> DatabaseView {
        DatabaseView {
            running: self.database.running.len() as u32,
            queued: self.database.queued,
            concurrency: self.database.concurrency,
            slowdown: self.database.slowdown(),
        }
    }

    /// How many existing keys there are.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    /// One key's state, `None` past the last key.
    pub fn key(&self, index: usize) -> Option<KeyView> {
        let state = self.keys.get(index)?;
        let before = if index == 0 { 0.0 } else { self.popularity.get(index - 1).copied().unwrap_or(0.0) };
        let share = self.popularity.get(index).copied().unwrap_or(1.0) - before;
        let status = match state.expires_at {
            Some(_) if state.is_fresh(self.tick) => KeyStatus::Fresh,
            Some(_) => KeyStatus::Expired,
            None => KeyStatus::Empty,
        };
        Some(KeyView {
            index,
            name: key_name(index),
            share,
            status,
            expires_in_ms: state.expires_at.map(|at| (i64::from(at) - i64::from(self.tick)) * i64::from(TICK_MS)),
            recomputations_in_flight: state.in_flight,
            held: state.held,
            attached: state.attached,
            polling: state.polling,
        })
    }

    /// The hot keys, most popular first.
    pub fn hot_keys(&self) -> impl Iterator<Item = KeyView> + '_ {
        (0..self.keys.len().min(HOT_KEY_COUNT)).filter_map(|index| self.key(index))
    }

    /// The most recomputations of any one key in the database right now.
    pub fn max_recomputations_in_flight(&self) -> u32 {
        self.keys.iter().map(|key| key.in_flight).max().unwrap_or(0)
    }

    /// Requests that arrived and have no answer yet: waiting in or on the database.
    pub fn pending_requests(&self) -> u64 {
        let queued: u64 = self.database.queue.iter().filter(|batch| batch.kind.has_client()).map(|batch| u64::from(batch.count)).sum();
        let running = self.database.running.iter().filter(|query| query.client_waiting).count() as u64;
        queued + running + u64::from(self.waiting)
    }

    /// Advances one tick with exactly these arrivals instead of random ones: `(key index,
    /// count)` pairs (unknown keys are ignored) and `missing` requests for keys that do not
    /// exist. For worked examples; random draws still decide jitter, XFetch and the Bloom filter.
    /// Counts are capped at `MAX_SCRIPTED_REQUESTS` each.
    pub fn step_scripted(&mut self, requests: &[(usize, u32)], missing: u32) {
        self.begin_tick();
        for &(index, count) in requests {
            self.note_arrivals(index, count.min(MAX_SCRIPTED_REQUESTS));
        }
        self.serve_touched_keys();
        self.serve_missing_keys(missing.min(MAX_SCRIPTED_REQUESTS));
        self.end_tick();
    }

    fn begin_tick(&mut self) {
        self.tick = self.tick.saturating_add(1);
        self.finish_queries();
        self.time_out_running_clients();
        self.drop_abandoned_queries();
        self.serve_waiters();
    }

    fn end_tick(&mut self) {
        let started = self.database.start_queued(self.tick);
        self.ledger.started(started);
        if self.tick % TICKS_PER_SAMPLE == 0 {
            self.close_window();
        }
    }

    /// Queries whose service time is up fill the cache and answer whoever waits inside them.
    fn finish_queries(&mut self) {
        let now = self.tick;
        let mut index = 0;
        while let Some(query) = self.database.running.get(index).copied() {
            if query.finish_at > now {
                index += 1;
                continue;
            }
            self.database.running.swap_remove(index);
            self.ledger.finished();
            if usize::from(query.key) < self.keys.len() {
                let ttl = self.next_ttl();
                if let Some(key) = self.keys.get_mut(usize::from(query.key)) {
                    key.in_flight = key.in_flight.saturating_sub(1);
                    key.expires_at = Some(now.saturating_add(ttl));
                    key.recompute_ticks = now.saturating_sub(query.sent_at).max(1);
                    if query.kind.holds_key() {
                        key.held = false;
                    }
                }
            }
            if query.client_waiting {
                self.ledger.answered(1, now.saturating_sub(query.age_from) * TICK_MS);
            }
        }
    }

    /// A client inside a running query gives up at its timeout; the query runs on.
    fn time_out_running_clients(&mut self) {
        let (now, timeout) = (self.tick, self.config.timeout_ticks);
        for query in &mut self.database.running {
            if query.client_waiting && now.saturating_sub(query.age_from) >= timeout {
                query.client_waiting = false;
                self.ledger.timed_out(1, timeout * TICK_MS);
            }
        }
    }

    /// Queued queries nobody waits for any more leave the queue: their client timed out (or,
    /// for a background refresh, its own timeout passed). A single flight stays while requests
    /// are attached to it.
    fn drop_abandoned_queries(&mut self) {
        let (now, timeout) = (self.tick, self.config.timeout_ticks);
        let keys = &mut self.keys;
        let ledger = &mut self.ledger;
        let mut dropped = 0;
        self.database.queue.retain(|batch| {
            if now.saturating_sub(batch.age_from) < timeout {
                return true;
            }
            let index = usize::from(batch.key);
            if batch.kind == QueryKind::Flight && keys.get(index).is_some_and(|key| key.attached > 0) {
                return true;
            }
            if batch.kind.has_client() {
                ledger.timed_out(batch.count, timeout * TICK_MS);
            }
            ledger.dropped(batch.count);
            if let Some(key) = keys.get_mut(index) {
                key.in_flight = key.in_flight.saturating_sub(batch.count);
                if batch.kind.holds_key() {
                    key.held = false;
                }
            }
            dropped += batch.count;
            false
        });
        self.database.queued = self.database.queued.saturating_sub(dropped);
    }

    /// Attached requests complete once their key is filled; polling requests look every 50 ms,
    /// and one of them takes the lock if nobody holds it. Either kind gives up at the timeout.
    fn serve_waiters(&mut self) {
        let (now, timeout) = (self.tick, self.config.timeout_ticks);
        let keys = &mut self.keys;
        let ledger = &mut self.ledger;
        let database = &mut self.database;
        let total_waiting = &mut self.waiting;
        self.waiters.retain_mut(|waiter| {
            let age = now.saturating_sub(waiter.arrived);
            let due = !waiter.polling || age % LOCK_POLL_TICKS == 0;
            if !due && age < timeout {
                return true;
            }
            let Some(key) = keys.get_mut(usize::from(waiter.key)) else { return false };
            let waiting = if waiter.polling { &mut key.polling } else { &mut key.attached };
            if due && key.expires_at.is_some_and(|expires_at| now < expires_at) {
                ledger.answered(waiter.count, age * TICK_MS);
                *waiting = waiting.saturating_sub(waiter.count);
                *total_waiting = total_waiting.saturating_sub(waiter.count);
                return false;
            }
            if age >= timeout {
                ledger.timed_out(waiter.count, timeout * TICK_MS);
                *waiting = waiting.saturating_sub(waiter.count);
                *total_waiting = total_waiting.saturating_sub(waiter.count);
                return false;
            }
            if !due || key.held {
                return true;
            }
            // Nobody recomputes the key: a poller takes the lock, or attached requests whose
            // flight was dropped start a new one.
            let (kind, age_from) = if waiter.polling { (QueryKind::Owner, waiter.arrived) } else { (QueryKind::Flight, now) };
            let accepted = database.send(QueuedQueries { key: waiter.key, kind, age_from, sent_at: now, count: 1 });
            if accepted == 1 {
                ledger.sent(1);
                ledger.window.held_queries_sent += 1;
                key.held = true;
                key.in_flight += 1;
                ledger.saw_in_flight(key.in_flight);
            }
            if waiter.polling {
                // The lock taker waits inside its query now (or was refused at once).
                if accepted == 0 {
                    ledger.refused(1);
                }
                waiter.count = waiter.count.saturating_sub(1);
                key.polling = key.polling.saturating_sub(1);
                *total_waiting = total_waiting.saturating_sub(1);
            }
            waiter.count > 0
        });
    }

    /// The TTL for a value written now, jittered when that fix is on.
    fn next_ttl(&mut self) -> u32 {
        let base = self.config.ttl_ticks;
        if !self.fixes.ttl_jitter || self.config.jitter_percent == 0 {
            return base;
        }
        let spread = f64::from(self.config.jitter_percent) / 100.0 * (2.0 * self.rng.next_f64() - 1.0);
        (f64::from(base) * (1.0 + spread)).round().max(1.0) as u32
    }

    fn draw_arrivals(&mut self) {
        let per_tick = f64::from(self.config.requests_per_second) / f64::from(TICKS_PER_SECOND);
        let for_existing_keys = self.rng.poisson(per_tick * (1.0 - self.config.missing_share));
        let last = self.keys.len().saturating_sub(1);
        for _ in 0..for_existing_keys {
            let draw = self.rng.next_f64();
            let index = self.popularity.partition_point(|&cumulative| cumulative <= draw).min(last);
            self.note_arrivals(index, 1);
        }
    }

    fn note_arrivals(&mut self, index: usize, count: u32) {
        let Some(key) = self.keys.get_mut(index) else { return };
        if key.arrivals == 0 && count > 0 {
            self.touched.push(index as u16);
        }
        key.arrivals = key.arrivals.saturating_add(count);
    }

    fn serve_touched_keys(&mut self) {
        let mut touched = std::mem::take(&mut self.touched);
        for &index in &touched {
            let index = usize::from(index);
            let count = self.keys.get_mut(index).map_or(0, |key| std::mem::take(&mut key.arrivals));
            self.serve_key(index, count);
        }
        touched.clear();
        self.touched = touched;
    }

    /// `count` requests read one existing key in this tick.
    fn serve_key(&mut self, index: usize, count: u32) {
        let now = self.tick;
        let Some(key) = self.keys.get(index).copied() else { return };
        self.ledger.arrived(count, count);
        if key.is_fresh(now) {
            let early = self.early_recomputations(&key, count);
            self.ledger.hit(count - early);
            if early > 0 {
                if self.fixes.single_recompute() {
                    self.hold_key(index, QueryKind::Owner, 1);
                } else {
                    self.send_unprotected(index, early);
                }
            }
            return;
        }
        if let Some(state) = self.keys.get_mut(index) {
            state.expired_reads += count;
        }
        if self.fixes.stale_while_revalidate && key.expires_at.is_some() {
            self.ledger.stale(count);
            if !key.held {
                self.hold_key(index, QueryKind::Refresh, 0);
            }
            return;
        }
        self.ledger.window.misses += count;
        if self.fixes.coalesce {
            if !key.held && !self.hold_key(index, QueryKind::Flight, count) {
                return;
            }
            self.wait(index, count, false);
        } else if self.fixes.lock {
            let mut pollers = count;
            if !key.held {
                self.hold_key(index, QueryKind::Owner, 1);
                pollers = pollers.saturating_sub(1);
            }
            self.wait(index, pollers, true);
        } else {
            self.ledger.window.misses_sent += count;
            self.send_unprotected(index, count);
        }
    }

    /// How many of `count` fresh reads decide to recompute early (XFetch): each does when
    /// `now − delta·beta·ln(rand) ≥ expiry`, i.e. with probability `exp(−gap / (delta·beta))`.
    /// With a lock or single flight on, at most one of them goes, and only if the key is free.
    fn early_recomputations(&mut self, key: &KeyState, count: u32) -> u32 {
        let Some(expires_at) = key.expires_at else { return 0 };
        if !self.fixes.early_recompute || key.held {
            return 0;
        }
        let gap = f64::from(expires_at.saturating_sub(self.tick));
        let scale = f64::from(key.recompute_ticks.max(1)) * self.config.beta;
        let chance = (-gap / scale).exp();
        if chance < 1e-9 {
            return 0;
        }
        if self.fixes.single_recompute() {
            let any = 1.0 - (1.0 - chance).powf(f64::from(count));
            return u32::from(self.rng.chance(any));
        }
        (0..count).filter(|_| self.rng.chance(chance)).count() as u32
    }

    /// Sends the one query that holds a key. If the queue is full it is refused, and so are
    /// the `requests` that depended on it; returns whether it was queued.
    fn hold_key(&mut self, index: usize, kind: QueryKind, requests: u32) -> bool {
        let now = self.tick;
        let accepted = self.database.send(QueuedQueries { key: index as u16, kind, age_from: now, sent_at: now, count: 1 });
        self.ledger.sent(accepted);
        if accepted == 0 {
            self.ledger.refused(requests);
            return false;
        }
        self.ledger.window.held_queries_sent += 1;
        if let Some(key) = self.keys.get_mut(index) {
            key.held = true;
            key.in_flight += 1;
            self.ledger.saw_in_flight(key.in_flight);
        }
        true
    }

    fn send_unprotected(&mut self, index: usize, count: u32) {
        let accepted = self.database.send(QueuedQueries { key: index as u16, kind: QueryKind::Unprotected, age_from: self.tick, sent_at: self.tick, count });
        self.ledger.sent(accepted);
        self.ledger.refused(count - accepted);
        if let Some(key) = self.keys.get_mut(index) {
            key.in_flight += accepted;
            self.ledger.saw_in_flight(key.in_flight);
        }
    }

    /// Parks `count` requests on a key's lock or single flight, as many as there are free
    /// request slots; the rest are refused.
    fn wait(&mut self, index: usize, count: u32, polling: bool) {
        let Some(key) = self.keys.get_mut(index) else { return };
        let accepted = count.min(MAX_WAITING_REQUESTS.saturating_sub(self.waiting));
        self.ledger.refused(count - accepted);
        let count = accepted;
        if count == 0 {
            return;
        }
        self.waiting += count;
        if polling {
            key.polling += count;
        } else {
            key.attached += count;
        }
        self.waiters.push_back(Waiter { key: index as u16, arrived: self.tick, count, polling });
    }

    /// Requests for keys that do not exist: the Bloom filter, when on, turns most away; the
    /// rest miss the cache and each costs the database a lookup.
    fn serve_missing_keys(&mut self, count: u32) {
        if count == 0 {
            return;
        }
        let passed = if self.fixes.bloom_filter { (0..count).filter(|_| self.rng.chance(BLOOM_FALSE_POSITIVE_RATE)).count() as u32 } else { count };
        self.ledger.arrived(count, passed);
        self.ledger.bloom_rejected(count - passed);
        self.send_missing_lookups(passed);
    }

    fn draw_missing_keys(&mut self) {
        if !self.config.penetration {
            return;
        }
        let per_tick = f64::from(self.config.requests_per_second) / f64::from(TICKS_PER_SECOND) * self.config.missing_share;
        // Splitting a Poisson stream gives two independent Poisson streams: two draws instead
        // of one coin per request.
        let (passed, rejected) = if self.fixes.bloom_filter {
            (self.rng.poisson(per_tick * BLOOM_FALSE_POSITIVE_RATE), self.rng.poisson(per_tick * (1.0 - BLOOM_FALSE_POSITIVE_RATE)))
        } else {
            (self.rng.poisson(per_tick), 0)
        };
        self.ledger.arrived(passed + rejected, passed);
        self.ledger.bloom_rejected(rejected);
        self.send_missing_lookups(passed);
    }

    fn send_missing_lookups(&mut self, count: u32) {
        if count == 0 {
            return;
        }
        let accepted = self.database.send(QueuedQueries { key: NO_KEY, kind: QueryKind::Unprotected, age_from: self.tick, sent_at: self.tick, count });
        self.ledger.sent(accepted);
        self.ledger.refused(count - accepted);
    }

    fn close_window(&mut self) {
        let mut top: Option<(usize, u32)> = None;
        let mut keys_with_expired_reads = 0u32;
        let mut in_flight_now = 0;
        for (index, key) in self.keys.iter_mut().enumerate() {
            in_flight_now = in_flight_now.max(key.in_flight);
            let reads = std::mem::take(&mut key.expired_reads);
            if reads > 0 {
                keys_with_expired_reads += 1;
                if top.is_none_or(|(_, most)| reads > most) {
                    top = Some((index, reads));
                }
            }
        }
        let window = self.ledger.window;
        let sample = Sample {
            time_ms: self.time_ms(),
            requests: window.requests,
            lookups: window.lookups,
            hits: window.hits,
            stale_served: window.stale_served,
            bloom_rejected: window.bloom_rejected,
            queries_sent: window.queries_sent,
            queries_started: window.queries_started,
            db_running: self.database.running.len() as u32,
            db_queued: self.database.queued,
            timeouts: window.timeouts,
            refused: window.refused,
            answered_after_wait: window.answered_after_wait,
            p50_ms: window.latency.percentile(0.5),
            p99_ms: window.latency.percentile(0.99),
            oldest_wait_ms: self.oldest_wait_ticks() * TICK_MS,
            max_recomputations_per_key: window.max_in_flight.max(in_flight_now),
        };
        self.series.push(sample);
        let summary = WindowSummary {
            window,
            queue: self.database.queued,
            p99_ms: sample.p99_ms,
            top_key: top.map(|(index, _)| (index as u16, keys_with_expired_reads.saturating_sub(1))),
            coalescing: self.fixes.coalesce,
            timeout_ms: self.config.timeout_ms(),
        };
        self.narrator.close_window(&summary, self.time_ms());
        self.ledger.window = metrics::Window { max_in_flight: in_flight_now, ..Default::default() };
    }

    /// The age of the oldest request still waiting, in ticks (0 when none waits).
    fn oldest_wait_ticks(&self) -> u32 {
        let queued = self.database.queue.iter().filter(|batch| batch.kind.has_client()).map(|batch| batch.age_from);
        let running = self.database.running.iter().filter(|query| query.client_waiting).map(|query| query.age_from);
        let waiting = self.waiters.front().map(|waiter| waiter.arrived);
        queued.chain(running).chain(waiting).min().map_or(0, |oldest| self.tick.saturating_sub(oldest))
    }

    fn expire_hot_keys(&mut self) {
        let now = self.tick;
        for key in self.keys.iter_mut().take(HOT_KEY_COUNT) {
            if key.expires_at.is_some() {
                key.expires_at = Some(now);
            }
        }
    }

    fn warm_up(&mut self) {
        let covered = self.popularity.iter().take_while(|&&cumulative| cumulative < WARM_UP_SHARE).count() + 1;
        for index in 0..covered.min(self.keys.len()) {
            let expires_at = self.tick.saturating_add(self.next_ttl());
            if let Some(key) = self.keys.get_mut(index) {
                key.expires_at = Some(expires_at);
            }
        }
    }

    /// Switching jitter on before the first tick spreads the initial load too: otherwise a
    /// reader who turns it on at the start would still see every key expire together.
    fn jitter_initial_load(&mut self) {
        for index in 0..self.keys.len() {
            let ttl = self.next_ttl();
            if let Some(key) = self.keys.get_mut(index) {
                if key.is_fresh(0) {
                    key.expires_at = Some(ttl);
                }
            }
        }
    }
}

impl Simulation for Stampede {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        self.begin_tick();
        self.draw_arrivals();
        self.serve_touched_keys();
        self.draw_missing_keys();
        self.end_tick();
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::Set(fix, on) => {
                let was_on = self.fixes.is_on(fix);
                self.fixes.set(fix, on);
                if fix == Fix::TtlJitter && on && !was_on && self.tick == 0 {
                    self.jitter_initial_load();
                }
            }
            Action::ExpireHotKeys => self.expire_hot_keys(),
            Action::RestartCache => self.keys.iter_mut().for_each(|key| key.expires_at = None),
            Action::WarmUp => self.warm_up(),
        }
        self.narrator.tell(Event::Acted(*action), self.time_ms());
    }

    fn tick(&self) -> u64 {
        u64::from(self.tick)
    }

    fn narrate(&self) -> String {
        self.narrator.sentence()
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}
