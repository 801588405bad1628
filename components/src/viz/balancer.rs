//! Load balancing: users send requests to a balancer, which spreads them over servers of unequal
//! speed. Six balancers run side by side, each with its own copy of the servers, and every one
//! is handed exactly the same seeded requests, so their latencies compare fairly: round robin,
//! weighted round robin, least outstanding requests, power of two choices, peak EWMA and a
//! consistent-hash ring keyed on the user's session.
//!
//! The reader kills, revives, slows and restores servers, adds one, drains one out of the pool,
//! and switches sticky sessions on or off. Each action happens to every fleet at once.
//!
//! For the view: drive it with `Timeline<Balancer>` (parameters `BALANCER_PARAMS`, actions
//! `Action`), then draw `stage::stage` (the fleet of the algorithm in focus, and every fleet's
//! p50 and p99 so far), `servers()` (what each server is really doing and what the balancers
//! think of it), `fleets()` (per fleet: each server's queue, work in service and counts, the
//! latency histogram, the requests travelling now), `series()` (every fleet's p50 and p99 over
//! the last second, sampled every 100 ms) and `narrate()` for the live region.
//!
//! Model choices worth knowing:
//! - Time moves in ticks of 1 ms, so latencies are exact to the millisecond. The app plays
//!   `BALANCER_TICKS_PER_SECOND` ticks a second at 1×: ten times slower than real time, so a
//!   request can be followed from the balancer to a server's queue and back.
//! - Arrivals are Poisson at `load`% of the starting servers' capacity. Each request carries a
//!   session (one of `SESSIONS` users) and an amount of work drawn once from an exponential
//!   distribution of mean 1; the server that gets it takes work × its mean service time. Every
//!   fleet therefore sees the same requests of the same sizes: only where they go differs.
//! - Each server has `workers` workers and a FIFO queue of at most `QUEUE_LIMIT` requests;
//!   a request that finds the queue full fails at once (the server turns it away).
//! - Network time is zero: a request joins its server's queue the tick it arrives. The stage
//!   draws its journey over `TRAVEL_TICKS` all the same, so the eye can follow it.
//! - Least connections and least outstanding requests coincide here, because every request has
//!   a connection of its own, so they are one algorithm: "least requests", the fewest requests
//!   sent and not yet answered, ties taken in turn.
//! - Peak EWMA is Finagle's: a latency estimate that jumps up to any slower answer and decays
//!   towards faster ones (and towards zero while idle) over `EWMA_DECAY_MS`, times the requests
//!   outstanding plus one; like Finagle, it compares two servers picked at random. Its decay is
//!   shorter than Finagle's 10 s to suit the slowed clock.
//! - Weighted round robin weighs each server by its nominal speed, fixed when it joins, as a
//!   configured weight would be: slowing a server down does not change its weight.
//! - The hash ring places `VNODES` points per server and sends each session clockwise to the
//!   first server in rotation; it ignores load and speed by design.
//! - Health checks: every `interval` ms the balancers probe each server in the pool. A probe
//!   fails only when the server is dead, so every balancer reaches the same verdict at the same
//!   tick and one record serves them all. A server is marked down after `unhealthy` failed
//!   probes in a row and up after `healthy` passes in a row; a new server starts marked down.
//!   Until a dead server is marked down, requests sent to it fail at once.
//! - Killing a server fails what it held (its connections are reset). Draining one stops new
//!   requests at once; it finishes its queue and leaves when empty, in each fleet on its own.
//! - Every request ends exactly once, answered or failed; only answers count in latencies.

use crate::sim::histogram::Buckets;
use crate::sim::series::Sampled;
use crate::sim::{ParamKind, ParamSpec, Params, SimRng, Simulation, Value};

mod fleet;
pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;

pub use fleet::{two_choices, Fleet, Job, Station, Trip, TripKind};

/// Simulated milliseconds per tick.
pub const TICK_MS: u32 = 1;
/// Ticks the app plays per second at 1×: a tenth of real time.
pub const BALANCER_TICKS_PER_SECOND: f64 = 100.0;
/// A run long enough for p99 to settle: one simulated minute, ten at 1×.
pub const BALANCER_LIMIT: u64 = 60_000;
/// Ticks the stage takes to draw a request crossing from the balancer to a server, or back.
pub const TRAVEL_TICKS: u32 = 30;
/// Servers in the pool at once, and servers ever (the reader can add some).
pub const MAX_SERVERS: usize = 8;
pub const MAX_SLOTS: usize = 16;
/// Requests one server holds waiting; more are turned away.
pub const QUEUE_LIMIT: usize = 100;
/// Distinct users, each with a session of their own.
pub const SESSIONS: usize = 100;
/// How much slower a slowed server is.
pub const SLOW_FACTOR: u32 = 4;
/// The mean service time of a server the reader adds.
pub const ADDED_SPEED_MS: u32 = 40;
/// Peak EWMA's decay time, and its guess before any answer.
pub const EWMA_DECAY_MS: f64 = 500.0;
pub const EWMA_START_MS: f64 = 30.0;
/// Points per server on the hash ring.
pub const VNODES: u64 = 16;
/// One sample every `SAMPLE_TICKS`; its percentiles cover the last `WINDOW_SLICES` of them.
pub const SAMPLE_TICKS: u32 = 100;
pub const WINDOW_SLICES: usize = 10;
/// Samples kept: ten simulated minutes.
pub const MAX_SAMPLES: usize = 6_000;
/// How long an event stays the narration.
const NARRATE_TICKS: u32 = 500;

/// Latency buckets: fine where the servers answer (tens of ms), coarse in the tail.
pub struct LatencyBuckets;
pub const BUCKETS: usize = 36;
impl Buckets<BUCKETS> for LatencyBuckets {
    const BOUNDS_MS: [u32; BUCKETS] = [
        1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 800, 1_000, 1_500, 2_000, 3_000, 5_000, 10_000, 20_000, 60_000,
    ];
}
pub type Latencies = crate::sim::histogram::Histogram<LatencyBuckets, BUCKETS>;

/// How a balancer picks a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    RoundRobin,
    Weighted,
    LeastRequests,
    TwoChoices,
    PeakEwma,
    HashRing,
}

pub const ALGORITHMS: usize = 6;

impl Algorithm {
    pub const ALL: [Algorithm; ALGORITHMS] = [Self::RoundRobin, Self::Weighted, Self::LeastRequests, Self::TwoChoices, Self::PeakEwma, Self::HashRing];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The value the URL carries.
    pub fn key(self) -> &'static str {
        CHOICES[self.index()].0
    }

    pub fn label(self) -> &'static str {
        ["Round robin", "Weighted RR", "Least requests", "Two choices", "Peak EWMA", "Hash ring"][self.index()]
    }

    /// A word or two for the balancer's box.
    pub fn short(self) -> &'static str {
        ["RR", "WRR", "Least", "P2C", "EWMA", "Hash"][self.index()]
    }
}

const CHOICES: &[(&str, &str)] = &[
    ("rr", "Round robin"),
    ("wrr", "Weighted round robin (by speed)"),
    ("least", "Least outstanding requests"),
    ("p2c", "Power of two choices"),
    ("ewma", "Peak EWMA (Finagle)"),
    ("hash", "Consistent hashing on the session"),
];

const SPEEDS: &[(&str, &str)] = &[("unequal", "Unequal: 20, 20, 40 and 80 ms"), ("equal", "Equal: four of 30 ms")];
const UNEQUAL_MS: [u32; 4] = [20, 20, 40, 80];
const EQUAL_MS: [u32; 4] = [30, 30, 30, 30];

/// The parameters. Changing one starts a new run.
///
/// - `focus`: the balancer drawn in detail (all six always run).
/// - `speeds`: the servers' mean service times. Both presets have about the same capacity.
/// - `load`: arrivals as a share of the starting servers' capacity (kills and slowdowns do not
///   change the arrivals, so they raise the share the rest must carry).
/// - `workers`: requests a server works on at once.
/// - `interval`, `unhealthy`, `healthy`: the health checks (see the module documentation).
/// - `sticky`: a session goes back to the server it last used while that one is in rotation.
pub const BALANCER_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "focus", label: "Balancer in focus", kind: ParamKind::Choice(CHOICES), default: Value::Choice("rr") },
    ParamSpec { key: "speeds", label: "Servers", kind: ParamKind::Choice(SPEEDS), default: Value::Choice("unequal") },
    ParamSpec { key: "load", label: "Load (% of the servers' capacity)", kind: ParamKind::Int { min: 10, max: 150 }, default: Value::Int(70) },
    ParamSpec { key: "workers", label: "Workers per server", kind: ParamKind::Int { min: 1, max: 4 }, default: Value::Int(1) },
    ParamSpec { key: "interval", label: "Health check every (ms)", kind: ParamKind::Int { min: 10, max: 2_000 }, default: Value::Int(200) },
    ParamSpec { key: "unhealthy", label: "Failed checks to mark down", kind: ParamKind::Int { min: 1, max: 10 }, default: Value::Int(3) },
    ParamSpec { key: "healthy", label: "Passed checks to mark up", kind: ParamKind::Int { min: 1, max: 10 }, default: Value::Int(2) },
    ParamSpec { key: "sticky", label: "Sticky sessions", kind: ParamKind::Bool, default: Value::Bool(false) },
];

/// The parameters as the model uses them, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub focus: Algorithm,
    pub speeds_ms: [u32; 4],
    pub load_percent: u32,
    pub workers: u32,
    pub interval_ms: u32,
    pub unhealthy: u32,
    pub healthy: u32,
    pub sticky: bool,
}

impl Config {
    /// Reads the parameters defensively: a missing key, a wrong kind or an out-of-range value
    /// falls back or clamps, so a model handed the wrong parameters still runs.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| params.number_in(BALANCER_PARAMS, key).round() as u32;
        let focus = params.choice_in(BALANCER_PARAMS, "focus");
        Self {
            focus: Algorithm::ALL.into_iter().find(|algorithm| algorithm.key() == focus).unwrap_or(Algorithm::RoundRobin),
            speeds_ms: if params.choice_in(BALANCER_PARAMS, "speeds") == "equal" { EQUAL_MS } else { UNEQUAL_MS },
            load_percent: whole("load"),
            workers: whole("workers").max(1),
            interval_ms: whole("interval").max(1),
            unhealthy: whole("unhealthy").max(1),
            healthy: whole("healthy").max(1),
            sticky: params.flag_in(BALANCER_PARAMS, "sticky"),
        }
    }

    /// Requests a second the starting servers can answer, all workers busy.
    pub fn capacity_per_second(&self) -> f64 {
        self.speeds_ms.iter().map(|ms| f64::from(self.workers) * 1000.0 / f64::from(*ms)).sum()
    }

    /// Arrivals a second.
    pub fn rate_per_second(&self) -> f64 {
        self.capacity_per_second() * f64::from(self.load_percent) / 100.0
    }
}

/// One server as it really is, and as the balancers see it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Server {
    /// Its mean service time when healthy.
    pub speed_ms: u32,
    pub slow: bool,
    pub dead: bool,
    /// Out of rotation for good: it finishes what it has, then leaves.
    pub draining: bool,
    /// Whether the health checks have it in rotation.
    pub marked_up: bool,
    /// Drained and empty in every fleet.
    pub gone: bool,
    /// Probes in a row that disagreed with the mark.
    streak: u32,
}

impl Server {
    fn new(speed_ms: u32, marked_up: bool) -> Self {
        Self { speed_ms, slow: false, dead: false, draining: false, marked_up, gone: false, streak: 0 }
    }

    /// Its mean service time now.
    pub fn mean_ms(&self) -> u32 {
        self.speed_ms * if self.slow { SLOW_FACTOR } else { 1 }
    }

    /// Whether a balancer may send it a new request.
    pub fn in_rotation(&self) -> bool {
        self.marked_up && !self.draining
    }

    /// Weighted round robin's weight: answers a second at its nominal speed.
    pub fn weight(&self) -> i64 {
        i64::from((1000 / self.speed_ms.max(1)).max(1))
    }
}

/// A server's display name: slots count from 0, names from S1.
pub fn name(slot: usize) -> String {
    format!("S{}", slot + 1)
}

/// What the reader does to the running system; a server is named by its slot (0 for S1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Kill(u8),
    Revive(u8),
    /// Its service times become `SLOW_FACTOR` times longer (for requests it starts from now).
    Slow(u8),
    Restore(u8),
    /// A new server of `ADDED_SPEED_MS`, marked up once it passes `healthy` checks.
    Add,
    Drain(u8),
    Sticky(bool),
}

impl Action {
    /// Compact text for the URL: `k2` kills S3, `v2` revives it, `s2` slows it, `r2` restores
    /// it, `d2` drains it, `a` adds a server, `t1`/`t0` switch sticky sessions on and off.
    pub fn encode(&self) -> String {
        let (letter, slot) = match *self {
            Action::Kill(slot) => ('k', slot),
            Action::Revive(slot) => ('v', slot),
            Action::Slow(slot) => ('s', slot),
            Action::Restore(slot) => ('r', slot),
            Action::Drain(slot) => ('d', slot),
            Action::Add => return "a".to_string(),
            Action::Sticky(on) => ('t', u8::from(on)),
        };
        format!("{letter}{slot}")
    }

    /// Reads what `encode` wrote; anything else (a slot out of range, a sign, a leading zero)
    /// is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        match text {
            "a" => return Some(Action::Add),
            "t1" => return Some(Action::Sticky(true)),
            "t0" => return Some(Action::Sticky(false)),
            _ => {}
        }
        let mut chars = text.chars();
        let letter = chars.next()?;
        let digits = chars.as_str();
        if digits.is_empty() || digits.len() > 2 || (digits.len() > 1 && digits.starts_with('0')) || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let slot: u8 = digits.parse().ok().filter(|slot| usize::from(*slot) < MAX_SLOTS)?;
        Some(match letter {
            'k' => Action::Kill(slot),
            'v' => Action::Revive(slot),
            's' => Action::Slow(slot),
            'r' => Action::Restore(slot),
            'd' => Action::Drain(slot),
            _ => return None,
        })
    }
}

/// Every fleet's p50 and p99 over the last second (ms; `None` without answers).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Sample {
    pub tick: u32,
    pub p50: [Option<u32>; ALGORITHMS],
    pub p99: [Option<u32>; ALGORITHMS],
}

impl Sampled for Sample {
    /// A fleet's index in `Algorithm::ALL`: its p99.
    type Metric = usize;
    fn time_seconds(&self) -> f64 {
        f64::from(self.tick) * f64::from(TICK_MS) / 1000.0
    }
    fn value(&self, fleet: usize) -> f64 {
        self.p99.get(fleet).copied().flatten().map_or(f64::NAN, f64::from)
    }
}

pub type Series = crate::sim::series::Series<Sample, MAX_SAMPLES>;

/// Something worth telling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Started,
    Acted(Action),
    /// An action that named no server in the pool, or an add beyond `MAX_SERVERS`.
    Ignored(Action),
    Marked(u8, bool),
    Left(u8),
}

/// What the balancers share: the servers, the ring, the rules.
pub(crate) struct Shared<'a> {
    pub servers: &'a [Server],
    pub ring: &'a [(u64, u8)],
    pub sticky: bool,
    pub workers: usize,
    pub now: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Balancer {
    config: Config,
    tick: u32,
    /// Draws the arrivals, shared by every fleet.
    traffic: SimRng,
    next_id: u32,
    servers: Vec<Server>,
    /// The hash ring's points, ascending: (position, slot).
    ring: Vec<(u64, u8)>,
    sticky: bool,
    fleets: Vec<Fleet>,
    series: Series,
    event: (u32, Event),
}

/// SplitMix64's finaliser: spreads a number over all 64 bits (the ring's positions).
pub fn mix(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Where a session sits on the ring.
pub fn session_point(session: usize) -> u64 {
    mix(session as u64 ^ 0x5E55_1011)
}

impl Balancer {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let servers: Vec<Server> = config.speeds_ms.iter().map(|ms| Server::new(*ms, true)).collect();
        let fleets = Algorithm::ALL.iter().map(|algorithm| Fleet::new(*algorithm, servers.len(), seed ^ mix(algorithm.index() as u64 + 1))).collect();
        let mut balancer = Self {
            config,
            tick: 0,
            traffic: SimRng::new(seed),
            next_id: 0,
            servers: Vec::new(),
            ring: Vec::new(),
            sticky: config.sticky,
            fleets,
            series: Series::default(),
            event: (0, Event::Started),
        };
        for slot in 0..servers.len() {
            balancer.place_on_ring(slot);
        }
        balancer.servers = servers;
        balancer
    }

    /// Adds a slot's points to the ring, each where it belongs (no sort routine for so few).
    fn place_on_ring(&mut self, slot: usize) {
        for vnode in 0..VNODES {
            let point = mix(((slot as u64) << 32) | vnode);
            let at = self.ring.partition_point(|(before, _)| *before < point);
            self.ring.insert(at, (point, slot as u8));
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn time_ms(&self) -> u64 {
        u64::from(self.tick) * u64::from(TICK_MS)
    }

    pub fn focus(&self) -> Algorithm {
        self.config.focus
    }

    pub fn sticky(&self) -> bool {
        self.sticky
    }

    /// Every server ever in the pool, by slot.
    pub fn servers(&self) -> &[Server] {
        &self.servers
    }

    pub fn ring(&self) -> &[(u64, u8)] {
        &self.ring
    }

    /// One fleet per algorithm, in `Algorithm::ALL` order.
    pub fn fleets(&self) -> &[Fleet] {
        &self.fleets
    }

    pub fn fleet(&self, algorithm: Algorithm) -> &Fleet {
        &self.fleets[algorithm.index()]
    }

    pub fn series(&self) -> &Series {
        &self.series
    }

    /// Requests that have arrived so far (each fleet got every one).
    pub fn arrivals(&self) -> u64 {
        u64::from(self.next_id)
    }

    fn valid(&self, slot: u8) -> bool {
        self.servers.get(usize::from(slot)).is_some_and(|server| !server.gone)
    }

    /// Servers not yet gone: the most the pool may hold is `MAX_SERVERS`.
    fn pool_size(&self) -> usize {
        self.servers.iter().filter(|server| !server.gone).count()
    }

    /// Every `interval` the servers in the pool are probed (see the module documentation).
    fn health_checks(&mut self) {
        if self.tick % self.config.interval_ms != 0 {
            return;
        }
        for (slot, server) in self.servers.iter_mut().enumerate().filter(|(_, server)| !server.draining) {
            let passed = !server.dead;
            if passed == server.marked_up {
                server.streak = 0;
                continue;
            }
            server.streak += 1;
            if server.streak >= if server.marked_up { self.config.unhealthy } else { self.config.healthy } {
                server.marked_up = passed;
                server.streak = 0;
                self.event = (self.tick, Event::Marked(slot as u8, passed));
            }
        }
    }

    /// Draining servers leave each fleet once empty there, and the pool once gone from all.
    fn settle_drains(&mut self) {
        for slot in 0..self.servers.len() {
            let server = self.servers[slot];
            if !server.draining || server.gone {
                continue;
            }
            for fleet in &mut self.fleets {
                fleet.leave_if_empty(slot);
            }
            if self.fleets.iter().all(|fleet| fleet.stations()[slot].left) {
                self.servers[slot].gone = true;
                self.event = (self.tick, Event::Left(slot as u8));
            }
        }
    }

    fn sample(&mut self) {
        let mut sample = Sample { tick: self.tick, ..Sample::default() };
        for (index, fleet) in self.fleets.iter_mut().enumerate() {
            let recent = fleet.take_slice();
            sample.p50[index] = recent.percentile(0.5);
            sample.p99[index] = recent.percentile(0.99);
        }
        self.series.push(sample);
    }

    fn describe(&self, event: Event) -> String {
        let config = &self.config;
        let checks = |count: u32| format!("{count} health check{} in a row", if count == 1 { "" } else { "s" });
        match event {
            Event::Started => {
                let speeds: Vec<String> = self.servers.iter().map(|server| server.speed_ms.to_string()).collect();
                format!(
                    "Users send {:.0} requests a second to {} servers of {} ms; six balancers get the same requests and spread them each their own way. In focus: {}.",
                    config.rate_per_second(),
                    self.servers.len(),
                    list(&speeds),
                    config.focus.label()
                )
            }
            Event::Acted(action) => {
                let slot = |slot: u8| name(usize::from(slot));
                match action {
                    Action::Kill(s) => format!(
                        "{} dies: what it held fails, and the balancers keep sending it requests, which fail at once, until {} fail (every {} ms).",
                        slot(s),
                        checks(config.unhealthy),
                        config.interval_ms
                    ),
                    Action::Revive(s) if !self.servers[usize::from(s)].marked_up => format!("{} is back, but gets nothing until {} pass.", slot(s), checks(config.healthy)),
                    Action::Revive(s) => format!("{} is back before the health checks marked it down.", slot(s)),
                    Action::Slow(s) => format!(
                        "{} slows down to {} ms a request; the balancers that look at load send it less, the others carry on.",
                        slot(s),
                        self.servers[usize::from(s)].mean_ms()
                    ),
                    Action::Restore(s) => format!("{} is back to {} ms a request.", slot(s), self.servers[usize::from(s)].mean_ms()),
                    Action::Add => format!("{} joins with {ADDED_SPEED_MS} ms a request; it gets traffic once {} pass.", name(self.servers.len() - 1), checks(config.healthy)),
                    Action::Drain(s) => format!("{} is draining: no new requests; it finishes what it holds, then leaves.", slot(s)),
                    Action::Sticky(true) => "Sticky sessions on: each user goes back to the server it last used, while that server is in rotation.".to_string(),
                    Action::Sticky(false) => "Sticky sessions off: every request is placed afresh.".to_string(),
                }
            }
            Event::Ignored(Action::Add) => format!("No room: the pool already has {MAX_SERVERS} servers."),
            Event::Ignored(Action::Sticky(_)) => String::new(),
            Event::Ignored(action @ (Action::Kill(s) | Action::Revive(s) | Action::Slow(s) | Action::Restore(s) | Action::Drain(s))) => {
                let Some(server) = self.servers.get(usize::from(s)).filter(|server| !server.gone) else { return "That server is not in the pool.".to_string() };
                let already = match action {
                    Action::Kill(_) => "is already dead",
                    Action::Revive(_) => "is already running",
                    Action::Slow(_) => "is already slowed",
                    Action::Restore(_) => "already runs at its normal speed",
                    _ if server.draining => "is already draining",
                    _ => "cannot do that now",
                };
                format!("Nothing changes: {} {already}.", name(usize::from(s)))
            }
            Event::Marked(s, true) => format!("Health checks mark {} up: it takes requests again.", name(usize::from(s))),
            Event::Marked(s, false) => format!("Health checks mark {} down: no more requests go to it.", name(usize::from(s))),
            Event::Left(s) => format!("{} has finished its last request and left the pool.", name(usize::from(s))),
        }
    }
}

/// "a", "a and b", "a, b and c".
fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Simulation for Balancer {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    /// One millisecond: health checks, then answers and queued requests starting, then the new
    /// arrivals, each placed by every fleet; drains that are done leave; every 100 ms a sample.
    fn step(&mut self) {
        self.tick = self.tick.saturating_add(1);
        self.health_checks();
        let shared = Shared { servers: &self.servers, ring: &self.ring, sticky: self.sticky, workers: self.config.workers as usize, now: self.tick };
        for fleet in &mut self.fleets {
            fleet.finish_due(&shared);
        }
        let arrivals = self.traffic.poisson(self.config.rate_per_second() / 1000.0 * f64::from(TICK_MS));
        for _ in 0..arrivals {
            let job = Job { id: self.next_id, sent: self.tick, session: self.traffic.below(SESSIONS as u64) as u8, work: self.traffic.exponential(1.0) as f32 };
            self.next_id = self.next_id.wrapping_add(1);
            for fleet in &mut self.fleets {
                fleet.dispatch(job, &shared);
            }
        }
        for fleet in &mut self.fleets {
            fleet.forget_old_trips(self.tick);
        }
        self.settle_drains();
        if self.tick % SAMPLE_TICKS == 0 {
            self.sample();
        }
    }

    fn apply(&mut self, action: &Action) {
        let now = self.tick;
        let fine = match *action {
            Action::Kill(slot) if self.valid(slot) && !self.servers[usize::from(slot)].dead => {
                self.servers[usize::from(slot)].dead = true;
                for fleet in &mut self.fleets {
                    fleet.kill(usize::from(slot), now);
                }
                true
            }
            Action::Revive(slot) if self.valid(slot) && self.servers[usize::from(slot)].dead => {
                self.servers[usize::from(slot)].dead = false;
                true
            }
            Action::Slow(slot) | Action::Restore(slot) if self.valid(slot) && self.servers[usize::from(slot)].slow != matches!(action, Action::Slow(_)) => {
                self.servers[usize::from(slot)].slow = matches!(action, Action::Slow(_));
                true
            }
            Action::Drain(slot) if self.valid(slot) && !self.servers[usize::from(slot)].draining => {
                self.servers[usize::from(slot)].draining = true;
                true
            }
            Action::Add if self.pool_size() < MAX_SERVERS && self.servers.len() < MAX_SLOTS => {
                self.servers.push(Server::new(ADDED_SPEED_MS, false));
                for fleet in &mut self.fleets {
                    fleet.add_station();
                }
                self.place_on_ring(self.servers.len() - 1);
                true
            }
            Action::Sticky(on) => {
                self.sticky = on;
                true
            }
            _ => false,
        };
        self.event = (now, if fine { Event::Acted(*action) } else { Event::Ignored(*action) });
        self.settle_drains();
    }

    fn tick(&self) -> u64 {
        u64::from(self.tick)
    }

    /// The latest event for half a simulated second, then each balancer's p99 over the last
    /// second.
    fn narrate(&self) -> String {
        let (at, event) = self.event;
        if self.tick.saturating_sub(at) < NARRATE_TICKS || self.series.is_empty() {
            return self.describe(event);
        }
        let Some(last) = self.series.last() else { return String::new() };
        let parts: Vec<String> = Algorithm::ALL.iter().zip(last.p99).filter_map(|(algorithm, p99)| p99.map(|ms| format!("{} {}", algorithm.label(), format_ms(ms)))).collect();
        if parts.is_empty() {
            return format!("{:.1} s: no answers in the last second.", self.time_ms() as f64 / 1000.0);
        }
        format!("{:.1} s: p99 over the last second: {}.", self.time_ms() as f64 / 1000.0, list(&parts))
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}

/// A latency as the tool prints it: `45 ms`, `1.5 s`, `20 s`.
pub fn format_ms(ms: u32) -> String {
    match ms {
        0..=999 => format!("{ms} ms"),
        1_000..=9_999 if ms % 1000 != 0 => format!("{:.1} s", f64::from(ms) / 1000.0),
        _ => format!("{} s", ms / 1000),
    }
}
