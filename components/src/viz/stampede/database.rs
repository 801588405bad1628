//! The database behind the cache: at most `concurrency` queries run at once and the rest wait in
//! a FIFO queue. A query's service time is fixed when it starts and grows with the load it starts
//! under, because queries contend for locks, buffers and connections:
//! `base × (1 + load / concurrency)`, where `load` counts the other queries running or queued,
//! capped at `MAX_SLOWDOWN × base`. That is what turns a herd into a latency spike.

use std::collections::VecDeque;

use super::TICK_MS;

/// The wait queue holds at most this many queries; beyond that the connection pool refuses new
/// ones and the client gets an error at once. It also bounds the model's memory.
pub const MAX_QUEUED_QUERIES: u32 = 2_000;

/// The most a query can slow down under load, as a multiple of its base cost.
pub const MAX_SLOWDOWN: u32 = 5;

/// The key of a lookup for a key that does not exist: it fills nothing when it finishes.
pub(super) const NO_KEY: u16 = u16::MAX;

/// Why a query was sent, which decides who waits on it and what it releases when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum QueryKind {
    /// A client's own recomputation (or lookup of a missing key) with no protection.
    Unprotected,
    /// The client holding the key's lock (or single flight) recomputes and waits for it.
    Owner,
    /// A single flight: every client waits on it as an attached waiter, none inside it.
    Flight,
    /// A background refresh for stale-while-revalidate: nobody waits on it.
    Refresh,
}

impl QueryKind {
    /// Whether the query holds its key's one slot (lock, single flight or background refresh).
    pub(super) fn holds_key(self) -> bool {
        !matches!(self, QueryKind::Unprotected)
    }

    /// Whether a client waits inside the query itself.
    pub(super) fn has_client(self) -> bool {
        matches!(self, QueryKind::Unprotected | QueryKind::Owner)
    }
}

/// `count` identical queries sent in the same tick for the same key (more than one only when
/// unprotected requests miss together), so a herd costs one entry, not one per request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct QueuedQueries {
    pub key: u16,
    pub kind: QueryKind,
    /// The tick the waiting client arrived (or the query was sent, when nobody waits inside it):
    /// the client timeout counts from here.
    pub age_from: u32,
    pub sent_at: u32,
    pub count: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct RunningQuery {
    pub key: u16,
    pub kind: QueryKind,
    /// False once the client inside has given up (the query still runs and still fills the cache).
    pub client_waiting: bool,
    pub age_from: u32,
    pub sent_at: u32,
    pub finish_at: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct Database {
    pub concurrency: u32,
    pub base_ms: u32,
    pub queue: VecDeque<QueuedQueries>,
    /// Queries in `queue`, counting every query of a batch.
    pub queued: u32,
    pub running: Vec<RunningQuery>,
}

impl Database {
    pub fn new(concurrency: u32, base_ms: u32) -> Self {
        let concurrency = concurrency.max(1);
        Self { concurrency, base_ms, queue: VecDeque::new(), queued: 0, running: Vec::with_capacity(concurrency as usize) }
    }

    /// Queues as many of `batch.count` queries as fit and returns that number; the caller
    /// answers the rest with an error.
    pub fn send(&mut self, batch: QueuedQueries) -> u32 {
        let accepted = batch.count.min(MAX_QUEUED_QUERIES.saturating_sub(self.queued));
        if accepted > 0 {
            self.queue.push_back(QueuedQueries { count: accepted, ..batch });
            self.queued += accepted;
        }
        accepted
    }

    /// How much slower than its base cost a query starting now runs.
    pub fn slowdown(&self) -> f64 {
        let concurrency = f64::from(self.concurrency);
        (1.0 + self.load() as f64 / concurrency).min(f64::from(MAX_SLOWDOWN))
    }

    /// The service time, in ticks, of a query starting now. Integer arithmetic so the worked
    /// examples in the tests come out exactly.
    pub fn service_ticks(&self) -> u32 {
        let concurrency = u64::from(self.concurrency);
        let load = self.load().min(u64::from(MAX_SLOWDOWN - 1) * concurrency);
        let scaled_ms = u64::from(self.base_ms) * (concurrency + load);
        let scaled_tick = u64::from(TICK_MS) * concurrency;
        u32::try_from(scaled_ms.div_ceil(scaled_tick)).unwrap_or(u32::MAX).max(1)
    }

    /// Starts queued queries, oldest first, while a connection is free; returns how many started.
    pub fn start_queued(&mut self, now: u32) -> u32 {
        let mut started = 0;
        while (self.running.len() as u32) < self.concurrency {
            let Some(front) = self.queue.front_mut() else { break };
            let query = *front;
            if front.count > 1 {
                front.count -= 1;
            } else {
                self.queue.pop_front();
            }
            self.queued = self.queued.saturating_sub(1);
            let finish_at = now.saturating_add(self.service_ticks());
            self.running.push(RunningQuery {
                key: query.key,
                kind: query.kind,
                client_waiting: query.kind.has_client(),
                age_from: query.age_from,
                sent_at: query.sent_at,
                finish_at,
            });
            started += 1;
        }
        started
    }

    /// Other queries competing with one that starts now.
    fn load(&self) -> u64 {
        self.running.len() as u64 + u64::from(self.queued)
    }
}
