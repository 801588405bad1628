//! One balancer with its own copy of the servers: how it picks a server, each server's queue
//! and workers, and its books (every request counted once as it arrives and once as it ends).

use std::collections::VecDeque;

use crate::sim::histogram::Buckets;
use crate::sim::SimRng;

use super::{Algorithm, Latencies, LatencyBuckets, Server, Shared, BUCKETS, EWMA_DECAY_MS, EWMA_START_MS, QUEUE_LIMIT, SESSIONS, TRAVEL_TICKS, WINDOW_SLICES};

/// A request: the same in every fleet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Job {
    pub id: u32,
    /// The tick it arrived, which is the tick it was sent to a server.
    pub sent: u32,
    pub session: u8,
    /// Its size in multiples of a server's mean service time.
    pub work: f32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TripKind {
    /// Sent from the balancer to a server.
    Sent,
    Answered,
    /// Failed: refused by a dead or full server, lost with a killed one, or with no server to
    /// go to (then `server` is `None`).
    Failed,
}

/// Something that crossed between the balancer and a server: what the stage draws travelling,
/// and what tests read to follow every request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trip {
    /// Counts every trip of its fleet from 1, in order.
    pub seq: u64,
    pub id: u32,
    pub session: u8,
    pub server: Option<u8>,
    /// When the request was sent, and when this happened.
    pub sent: u32,
    pub at: u32,
    pub kind: TripKind,
}

impl Trip {
    /// The tick its drawn journey starts. A request leaves at once; its answer or failure when
    /// it happens, but not before the request has been drawn arriving, so a quick answer does
    /// not pass its own request on the way.
    pub fn departs(&self) -> u32 {
        match (self.kind, self.server) {
            (TripKind::Sent, _) | (_, None) => self.at,
            _ => self.at.max(self.sent + TRAVEL_TICKS),
        }
    }
}

/// A server as one fleet has it: its queue, its workers and its counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Station {
    queue: VecDeque<Job>,
    /// Requests in service and the tick each finishes.
    busy: Vec<(Job, u32)>,
    pub sent: u64,
    pub answered: u64,
    pub failed: u64,
    /// Peak EWMA's latency estimate (ms) and when it was last updated.
    ewma: f64,
    stamp: u32,
    /// Drained and gone from this fleet.
    pub left: bool,
}

impl Station {
    fn new() -> Self {
        Self { queue: VecDeque::new(), busy: Vec::new(), sent: 0, answered: 0, failed: 0, ewma: EWMA_START_MS, stamp: 0, left: false }
    }

    pub fn queued(&self) -> usize {
        self.queue.len()
    }

    pub fn in_service(&self) -> usize {
        self.busy.len()
    }

    /// Requests sent to it and not yet ended: what the balancer counts as its load.
    pub fn outstanding(&self) -> usize {
        self.queue.len() + self.busy.len()
    }

    /// The requests it holds, waiting first (front of the queue first), then in service.
    pub fn holding(&self) -> impl Iterator<Item = &Job> + '_ {
        self.queue.iter().chain(self.busy.iter().map(|(job, _)| job))
    }

    /// Peak EWMA's estimate now: it decays towards zero while nothing is observed, so an idle
    /// server is tried again.
    pub fn ewma_at(&self, now: u32) -> f64 {
        self.ewma * (-f64::from(now.saturating_sub(self.stamp)) / EWMA_DECAY_MS).exp()
    }

    /// Peak EWMA's cost: the estimate times the requests outstanding plus one.
    pub fn cost(&self, now: u32) -> f64 {
        self.ewma_at(now) * (self.outstanding() + 1) as f64
    }

    /// Finagle's update: a slower answer replaces the estimate at once (the peak); a faster one
    /// pulls it down by a weight that grows with the time since the last update.
    fn observe(&mut self, rtt_ms: f64, now: u32) {
        let keep = (-f64::from(now.saturating_sub(self.stamp)) / EWMA_DECAY_MS).exp();
        self.ewma = if rtt_ms > self.ewma { rtt_ms } else { self.ewma * keep + rtt_ms * (1.0 - keep) };
        self.stamp = now;
    }
}

/// Picks two different candidates at random and keeps the one with the lower cost (the first
/// drawn on a tie): the power of two choices. Returns the pick and the two drawn.
pub fn two_choices(rng: &mut SimRng, candidates: &[usize], cost: impl Fn(usize) -> f64) -> (usize, usize, usize) {
    let count = candidates.len() as u64;
    if count < 2 {
        let only = candidates.first().copied().unwrap_or(0);
        return (only, only, only);
    }
    let first = rng.below(count);
    let mut second = rng.below(count - 1);
    if second >= first {
        second += 1;
    }
    let (a, b) = (candidates[first as usize], candidates[second as usize]);
    (if cost(b) < cost(a) { b } else { a }, a, b)
}

#[derive(Debug, Clone, PartialEq)]
pub struct Fleet {
    algorithm: Algorithm,
    stations: Vec<Station>,
    /// Round robin's next slot, and least requests' first choice among equals.
    cursor: usize,
    /// Smooth weighted round robin's running scores, per slot.
    scores: Vec<i64>,
    /// The server each session last used (`u8::MAX`: none yet).
    last_server: [u8; SESSIONS],
    rng: SimRng,
    arrived: u64,
    answered: u64,
    failed: u64,
    latencies: Latencies,
    /// Answers' latencies per bucket in each of the last `WINDOW_SLICES` sample periods.
    window: [[u16; BUCKETS]; WINDOW_SLICES],
    slice: usize,
    trips: VecDeque<Trip>,
    seq: u64,
    /// A running fingerprint of every request it was handed, in order.
    digest: u64,
}

/// The latency's bucket, as `Histogram::record` finds it.
fn bucket(latency_ms: u32) -> usize {
    LatencyBuckets::BOUNDS_MS.partition_point(|&bound| bound < latency_ms).min(BUCKETS - 1)
}

impl Fleet {
    pub(crate) fn new(algorithm: Algorithm, servers: usize, seed: u64) -> Self {
        Self {
            algorithm,
            stations: (0..servers).map(|_| Station::new()).collect(),
            cursor: 0,
            scores: vec![0; servers],
            last_server: [u8::MAX; SESSIONS],
            rng: SimRng::new(seed),
            arrived: 0,
            answered: 0,
            failed: 0,
            latencies: Latencies::default(),
            window: [[0; BUCKETS]; WINDOW_SLICES],
            slice: 0,
            trips: VecDeque::new(),
            seq: 0,
            digest: 0,
        }
    }

    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }

    /// Every server this fleet has had, by slot (`left` once drained away).
    pub fn stations(&self) -> &[Station] {
        &self.stations
    }

    pub fn arrived(&self) -> u64 {
        self.arrived
    }

    pub fn answered(&self) -> u64 {
        self.answered
    }

    pub fn failed(&self) -> u64 {
        self.failed
    }

    /// Requests waiting or in service anywhere.
    pub fn in_system(&self) -> u64 {
        self.stations.iter().map(|station| station.outstanding() as u64).sum()
    }

    /// Latencies of every answer so far.
    pub fn latencies(&self) -> &Latencies {
        &self.latencies
    }

    pub fn digest(&self) -> u64 {
        self.digest
    }

    /// What crossed recently, oldest first: everything still drawn travelling, and at least
    /// everything of the latest tick.
    pub fn trips(&self) -> impl Iterator<Item = &Trip> + '_ {
        self.trips.iter()
    }

    /// The server a session last used.
    pub fn last_server(&self, session: usize) -> Option<usize> {
        self.last_server.get(session).filter(|slot| **slot != u8::MAX).map(|slot| usize::from(*slot))
    }

    pub(crate) fn add_station(&mut self) {
        self.stations.push(Station::new());
        self.scores.push(0);
    }

    fn trip(&mut self, job: &Job, server: Option<usize>, now: u32, kind: TripKind) {
        self.seq += 1;
        self.trips.push_back(Trip { seq: self.seq, id: job.id, session: job.session, server: server.map(|slot| slot as u8), sent: job.sent, at: now, kind });
    }

    /// Ends a request as failed at `slot` (or at the balancer).
    fn fail(&mut self, job: &Job, slot: Option<usize>, now: u32) {
        self.failed += 1;
        if let Some(station) = slot.and_then(|slot| self.stations.get_mut(slot)) {
            station.failed += 1;
            station.observe(f64::from(now - job.sent), now);
        }
        self.trip(job, slot, now, TripKind::Failed);
    }

    /// Answers what is due and starts queued requests on free workers.
    pub(crate) fn finish_due(&mut self, shared: &Shared) {
        let now = shared.now;
        for slot in 0..self.stations.len() {
            let mut index = 0;
            while index < self.stations[slot].busy.len() {
                let (job, done) = self.stations[slot].busy[index];
                if done > now {
                    index += 1;
                    continue;
                }
                self.stations[slot].busy.swap_remove(index);
                let latency = now - job.sent;
                let station = &mut self.stations[slot];
                station.answered += 1;
                station.observe(f64::from(latency), now);
                self.answered += 1;
                self.latencies.record(latency);
                let cell = &mut self.window[self.slice][bucket(latency)];
                *cell = cell.saturating_add(1);
                self.trip(&job, Some(slot), now, TripKind::Answered);
            }
            let server = &shared.servers[slot];
            let station = &mut self.stations[slot];
            while station.busy.len() < shared.workers {
                let Some(job) = station.queue.pop_front() else { break };
                station.busy.push((job, now + service_ms(&job, server)));
            }
        }
    }

    /// Takes a new request: picks a server and sends it there, or fails it when no server is
    /// in rotation.
    pub(crate) fn dispatch(&mut self, job: Job, shared: &Shared) {
        let now = shared.now;
        self.arrived += 1;
        for part in [u64::from(job.id), u64::from(job.session), u64::from(job.work.to_bits())] {
            self.digest = (self.digest ^ part).wrapping_mul(0x0000_0100_0000_01B3);
        }
        let Some(slot) = self.choose(&job, shared) else {
            self.fail(&job, None, now);
            return;
        };
        self.last_server[usize::from(job.session)] = slot as u8;
        self.trip(&job, Some(slot), now, TripKind::Sent);
        let server = &shared.servers[slot];
        let station = &mut self.stations[slot];
        station.sent += 1;
        if server.dead || (station.busy.len() >= shared.workers && station.queue.len() >= QUEUE_LIMIT) {
            self.fail(&job, Some(slot), now);
        } else if station.busy.len() < shared.workers {
            station.busy.push((job, now + service_ms(&job, server)));
        } else {
            station.queue.push_back(job);
        }
    }

    /// The server this fleet's algorithm picks for `job` among those in rotation.
    fn choose(&mut self, job: &Job, shared: &Shared) -> Option<usize> {
        let servers = shared.servers;
        let in_rotation = |slot: usize| servers.get(slot).is_some_and(Server::in_rotation);
        let session = usize::from(job.session);
        if shared.sticky {
            if let Some(slot) = self.last_server(session).filter(|slot| in_rotation(*slot)) {
                return Some(slot);
            }
        }
        let candidates: Vec<usize> = (0..servers.len()).filter(|slot| in_rotation(*slot)).collect();
        let first = *candidates.first()?;
        let stations = &self.stations;
        let pick = match self.algorithm {
            Algorithm::RoundRobin => {
                let pick = candidates.iter().copied().find(|slot| *slot >= self.cursor).unwrap_or(first);
                self.cursor = pick + 1;
                pick
            }
            Algorithm::Weighted => {
                // Smooth weighted round robin (as nginx does it): every candidate gains its
                // weight, the highest score is picked and pays back the total.
                let mut total = 0;
                for &slot in &candidates {
                    self.scores[slot] += servers[slot].weight();
                    total += servers[slot].weight();
                }
                let pick = candidates.iter().copied().fold(first, |best, slot| if self.scores[slot] > self.scores[best] { slot } else { best });
                self.scores[pick] -= total;
                pick
            }
            Algorithm::LeastRequests => {
                // The fewest outstanding; among equals, the first from the cursor on, so an idle
                // fleet still takes turns.
                let cursor = self.cursor;
                let order = candidates.iter().copied().filter(|slot| *slot >= cursor).chain(candidates.iter().copied().filter(|slot| *slot < cursor));
                let pick = order.min_by_key(|slot| stations[*slot].outstanding()).unwrap_or(first);
                self.cursor = pick + 1;
                pick
            }
            Algorithm::TwoChoices => two_choices(&mut self.rng, &candidates, |slot| stations[slot].outstanding() as f64).0,
            Algorithm::PeakEwma => two_choices(&mut self.rng, &candidates, |slot| stations[slot].cost(shared.now)).0,
            Algorithm::HashRing => {
                let point = super::session_point(session);
                let start = shared.ring.partition_point(|(at, _)| *at < point);
                let ring = shared.ring.iter().cycle().skip(start).take(shared.ring.len());
                ring.map(|(_, slot)| usize::from(*slot)).find(|slot| in_rotation(*slot)).unwrap_or(first)
            }
        };
        Some(pick)
    }

    /// A killed server's connections are reset: everything it held fails now.
    pub(crate) fn kill(&mut self, slot: usize, now: u32) {
        let Some(station) = self.stations.get_mut(slot) else { return };
        let lost: Vec<Job> = station.queue.drain(..).chain(station.busy.drain(..).map(|(job, _)| job)).collect();
        for job in &lost {
            self.fail(job, Some(slot), now);
        }
    }

    /// A draining server leaves once it holds nothing.
    pub(crate) fn leave_if_empty(&mut self, slot: usize) {
        if let Some(station) = self.stations.get_mut(slot) {
            station.left |= station.outstanding() == 0;
        }
    }

    /// Drops trips whose drawn journey is over, keeping this tick's.
    pub(crate) fn forget_old_trips(&mut self, now: u32) {
        self.trips.retain(|trip| trip.at >= now || trip.departs() + TRAVEL_TICKS > now);
    }

    /// The latencies of the last `WINDOW_SLICES` sample periods, then starts a new period.
    pub(crate) fn take_slice(&mut self) -> Latencies {
        let mut recent = Latencies::default();
        for (index, bound) in LatencyBuckets::BOUNDS_MS.iter().enumerate() {
            let count: u32 = self.window.iter().map(|slice| u32::from(slice[index])).sum();
            if count > 0 {
                recent.record_many(*bound, count);
            }
        }
        self.slice = (self.slice + 1) % WINDOW_SLICES;
        self.window[self.slice] = [0; BUCKETS];
        recent
    }
}

/// How long `job` takes on `server` as it is now: its work times the server's mean, at least
/// one tick.
fn service_ms(job: &Job, server: &Server) -> u32 {
    (f64::from(job.work) * f64::from(server.mean_ms())).ceil().max(1.0) as u32
}
