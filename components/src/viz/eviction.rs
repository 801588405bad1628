//! Cache eviction: six policies (LRU, LFU, FIFO, Random, SLRU and S3-FIFO) each run a cache of
//! the same size, fed the same seeded requests, so every difference in their hit ratios comes
//! from what they choose to evict. Three traces show where each breaks: Zipf popularity (the
//! easy case), Zipf with periodic scans of one-time keys (which flush LRU and FIFO), and a hot
//! set that moves (which strands LFU with keys that used to be popular).
//!
//! For the view: drive it with `Timeline<Eviction>` (parameters `EVICTION_PARAMS`, actions
//! `Action`); draw `stage::stage`, `series()` (each lane's hit ratio over the last `WINDOW`
//! requests, one sample per tick), `lanes()` for the totals, and `hit_ratio_curve` (with
//! `curve_sizes`) for the chart of hit ratio against cache size, which adds Bélády's offline
//! optimum as the ceiling.
//!
//! Model choices worth knowing:
//! - Every object has size 1, so capacities count objects.
//! - A tick serves `rate` requests; the stage shows what each cache did with the last of them.
//! - A state holds about 40 bytes per cached object per lane (the lists and their maps), so at
//!   the largest cache a keyframe of the timeline is about half a megabyte: `MAX_CACHE` is kept
//!   at 2,000 for that reason, while the offline curve goes further.

use crate::sim::series::Sampled;
use crate::sim::{ParamKind, ParamSpec, Params, Simulation, Value};
use crate::viz::poster::round_units;

pub mod policies;
pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;
pub mod trace;

pub use policies::{hits, opt_hits, Kind, Policy};
pub use trace::{Trace, TraceKind, Zipf};

/// How many policies run live, side by side.
pub const LANES: usize = 6;
/// The hit ratios in `series()` are over this many of the latest requests.
pub const WINDOW: usize = 1_000;
/// Requests in the prefix of the trace the curves are measured on.
pub const CURVE_REQUESTS: usize = 20_000;
/// What a tick stands for, for a chart's time axis.
pub const TICK_SECONDS: f64 = 0.1;
pub const MIN_CACHE: u32 = 4;
pub const MAX_CACHE: u32 = 2_000;
/// One sample per tick, at most this many (50 simulated minutes).
pub const MAX_SAMPLES: usize = 30_000;
/// How long an event stays the narration, in ticks.
const NARRATE_TICKS: u32 = 10;

const TRACES: &[(&str, &str)] = &[("zipf", "Zipf popularity"), ("scan", "Zipf with periodic scans"), ("shift", "A hot set that moves")];

/// The parameters. Changing one starts a new run.
///
/// - `trace`: which request stream (see `trace`); `keys` the popular population and `skew` its
///   Zipf exponent (0 makes every key equally popular; 1 and above concentrate on a few).
/// - `cache`: objects each cache holds; `rate` requests per tick.
/// - `scan` cold keys read by each scan (scheduled, or started by the reader), and `every`
///   popular requests between scheduled scans or between moves of the hot set.
///
/// With the defaults the caches hold 5% of the keys, and a scan reads four caches' worth.
pub const EVICTION_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "trace", label: "Requests", kind: ParamKind::Choice(TRACES), default: Value::Choice("zipf") },
    ParamSpec { key: "keys", label: "Popular keys", kind: ParamKind::Int { min: 100, max: 100_000 }, default: Value::Int(1_000) },
    ParamSpec { key: "skew", label: "Popularity skew (Zipf exponent)", kind: ParamKind::Float { min: 0.0, max: 2.0 }, default: Value::Float(0.9) },
    ParamSpec { key: "cache", label: "Cache size (objects)", kind: ParamKind::Int { min: MIN_CACHE as i64, max: MAX_CACHE as i64 }, default: Value::Int(50) },
    ParamSpec { key: "rate", label: "Requests per tick", kind: ParamKind::Int { min: 1, max: 200 }, default: Value::Int(20) },
    ParamSpec { key: "scan", label: "Keys read by a scan", kind: ParamKind::Int { min: 10, max: 20_000 }, default: Value::Int(200) },
    ParamSpec { key: "every", label: "Requests between scans or moves", kind: ParamKind::Int { min: 100, max: 100_000 }, default: Value::Int(2_000) },
];

/// The parameters as numbers the model uses, each clamped to its declared range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Config {
    pub trace: TraceKind,
    pub keys: u32,
    pub skew: f64,
    pub capacity: u32,
    pub rate: u32,
    pub scan_length: u32,
    pub every: u32,
}

impl Config {
    /// Reads the parameters defensively: a missing key, a wrong kind or an out-of-range value
    /// falls back or clamps, so a model handed the wrong parameters still runs.
    pub fn from_params(params: &Params) -> Self {
        let whole = |key: &str| params.number_in(EVICTION_PARAMS, key).round() as u32;
        let trace = match params.choice_in(EVICTION_PARAMS, "trace") {
            "scan" => TraceKind::Scan,
            "shift" => TraceKind::Shift,
            _ => TraceKind::Zipf,
        };
        Self { trace, keys: whole("keys"), skew: params.number_in(EVICTION_PARAMS, "skew"), capacity: whole("cache"), rate: whole("rate"), scan_length: whole("scan"), every: whole("every") }
    }

    /// A fresh trace for these settings.
    pub fn trace(&self, seed: u64) -> Trace {
        Trace::new(self.trace, self.keys, self.skew, self.scan_length, self.every, seed)
    }

    /// The request stream in words.
    pub fn describe(&self) -> String {
        let base = format!("Zipf popularity (α {}) over {} keys", Value::Float(self.skew).to_text(), grouped(self.keys));
        match self.trace {
            TraceKind::Zipf => base,
            TraceKind::Scan => format!("{base}, with a scan of {} one-time keys after every {} requests", grouped(self.scan_length), grouped(self.every)),
            TraceKind::Shift => format!("{base}, whose hot set moves every {} requests", grouped(self.every)),
        }
    }
}

fn grouped(value: u32) -> String {
    crate::sim::number::group_thousands(f64::from(value))
}

/// Random's choices come from the run's seed, mixed so they do not echo the trace's draws.
fn random_seed(seed: u64) -> u64 {
    seed ^ 0xD1B5_4A32_D192_ED03
}

/// What the reader does to the running caches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Every cache now holds this many objects (`MIN_CACHE` to `MAX_CACHE`).
    Capacity(u32),
    /// A scan of `scan` one-time keys starts with the next request.
    Scan,
    /// The hot set moves now.
    Shift,
}

impl Action {
    /// Compact text for the URL: `c120` sets the capacity to 120, `s` starts a scan, `h` shifts
    /// the hot set.
    pub fn encode(&self) -> String {
        match self {
            Action::Capacity(size) => format!("c{size}"),
            Action::Scan => "s".to_string(),
            Action::Shift => "h".to_string(),
        }
    }

    /// Reads what `encode` wrote; anything else (or a capacity out of range) is `None`.
    pub fn decode(text: &str) -> Option<Action> {
        match text {
            "s" => return Some(Action::Scan),
            "h" => return Some(Action::Shift),
            _ => {}
        }
        let digits = text.strip_prefix('c')?;
        // Only the form `encode` writes: no sign, no leading zero.
        if digits.is_empty() || digits.len() > 4 || digits.starts_with('0') || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().filter(|size| (MIN_CACHE..=MAX_CACHE).contains(size)).map(Action::Capacity)
    }
}

/// What one cache did with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Access {
    pub hit: bool,
    /// Where the key was found (a hit) or put (a miss), as a place in `Policy::layout`.
    pub slot: Option<u32>,
    /// The first key evicted to make room, and how many were.
    pub evicted: Option<u32>,
    pub evictions: u32,
}

/// The last request of the latest tick and what each lane did with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastRequest {
    pub key: u32,
    /// Its popularity rank when it was asked for (0 the hottest); `None` for a scan's key.
    pub rank: Option<u32>,
    pub access: [Access; LANES],
}

/// One tick: each lane's hit ratio over the last `WINDOW` requests.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TickSample {
    pub tick: u32,
    pub ratio: [f32; LANES],
}

impl Sampled for TickSample {
    /// A lane's index.
    type Metric = usize;
    fn time_seconds(&self) -> f64 {
        f64::from(self.tick) * TICK_SECONDS
    }
    fn value(&self, lane: usize) -> f64 {
        self.ratio.get(lane).map_or(f64::NAN, |ratio| f64::from(*ratio))
    }
}

pub type Series = crate::sim::series::Series<TickSample, MAX_SAMPLES>;

/// One policy's cache and its counts since the start.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub policy: Policy,
    pub hits: u64,
    pub requests: u64,
    /// A running fingerprint of every key this lane was asked for, in order, to check that
    /// every lane sees the same requests.
    pub digest: u64,
}

impl Lane {
    pub fn kind(&self) -> Kind {
        self.policy.kind()
    }

    /// Hits over requests since the start; `None` before the first request.
    pub fn hit_ratio(&self) -> Option<f64> {
        (self.requests > 0).then(|| self.hits as f64 / self.requests as f64)
    }
}

/// Folds `key` into a running fingerprint (FNV-1a's step over the whole key).
pub fn fingerprint(digest: u64, key: u32) -> u64 {
    (digest ^ u64::from(key)).wrapping_mul(0x0000_0100_0000_01B3)
}

/// Which of the last `WINDOW` requests each lane hit, in a ring of bits.
#[derive(Debug, Clone, PartialEq)]
struct Window {
    bits: [[u64; WINDOW.div_ceil(64)]; LANES],
    hits: [u32; LANES],
    filled: u32,
    at: usize,
}

impl Window {
    fn record(&mut self, hits: [bool; LANES]) {
        let (word, bit) = (self.at / 64, self.at % 64);
        for (lane, hit) in hits.into_iter().enumerate() {
            let cell = &mut self.bits[lane][word];
            let old = (*cell >> bit) & 1;
            *cell = (*cell & !(1 << bit)) | (u64::from(hit) << bit);
            self.hits[lane] = self.hits[lane] - old as u32 + u32::from(hit);
        }
        self.at = (self.at + 1) % WINDOW;
        self.filled = (self.filled + 1).min(WINDOW as u32);
    }

    fn ratios(&self) -> [f32; LANES] {
        self.hits.map(|hits| if self.filled == 0 { f32::NAN } else { hits as f32 / self.filled as f32 })
    }
}

/// Something worth telling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Started,
    Acted(Action),
    ScheduledScan,
    HotSetMoved,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Eviction {
    config: Config,
    capacity: u32,
    tick: u32,
    trace: Trace,
    lanes: Vec<Lane>,
    window: Window,
    series: Series,
    last: Option<LastRequest>,
    event: (u32, Event),
}

impl Eviction {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let lanes = Kind::ONLINE.iter().map(|kind| Lane { policy: Policy::new(*kind, config.capacity, random_seed(seed)), hits: 0, requests: 0, digest: 0 }).collect();
        Self {
            config,
            capacity: config.capacity,
            tick: 0,
            trace: config.trace(seed),
            lanes,
            window: Window { bits: [[0; WINDOW.div_ceil(64)]; LANES], hits: [0; LANES], filled: 0, at: 0 },
            series: Series::default(),
            last: None,
            event: (0, Event::Started),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Objects each cache holds now (the parameter, or the reader's latest change).
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    pub fn lanes(&self) -> &[Lane] {
        &self.lanes
    }

    pub fn series(&self) -> &Series {
        &self.series
    }

    pub fn last_request(&self) -> Option<&LastRequest> {
        self.last.as_ref()
    }

    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// Each lane's hit ratio over the last `WINDOW` requests (NaN before the first).
    pub fn recent_ratios(&self) -> [f32; LANES] {
        self.window.ratios()
    }

    /// How many of a lane's cached keys belong to the popular population (not a scan's).
    pub fn popular_cached(&self, lane: usize) -> u32 {
        let mut keys = Vec::new();
        self.lanes.get(lane).map_or(0, |lane| {
            lane.policy.layout(&mut keys);
            keys.iter().filter(|key| self.trace.rank(**key).is_some()).count() as u32
        })
    }

    /// Serves one request in every lane; `last` keeps what each did for the stage.
    fn serve(&mut self, key: u32, last: bool, evicted: &mut Vec<u32>) {
        let mut access = [Access::default(); LANES];
        for (lane, seen) in self.lanes.iter_mut().zip(access.iter_mut()) {
            // Where a hit was found must be read before the hit moves it.
            let found = if last { lane.policy.position(key) } else { None };
            evicted.clear();
            let hit = lane.policy.access(key, evicted);
            lane.hits += u64::from(hit);
            lane.requests += 1;
            lane.digest = fingerprint(lane.digest, key);
            seen.hit = hit;
            if last {
                seen.slot = if hit { found } else { lane.policy.position(key) };
                seen.evicted = evicted.first().copied();
                seen.evictions = evicted.len() as u32;
            }
        }
        self.window.record(access.map(|seen| seen.hit));
        if last {
            self.last = Some(LastRequest { key, rank: self.trace.rank(key), access });
        }
    }

    fn describe(&self, event: Event) -> String {
        match event {
            Event::Started => format!("Six caches of {} objects each serve the same requests: {}, {} a tick.", self.capacity, self.config.describe(), self.config.rate),
            Event::Acted(Action::Capacity(size)) => format!("Every cache now holds {size} objects; the hit ratios will settle at their new level."),
            Event::Acted(Action::Scan) => format!("A scan starts: {} keys, each read once and never again, pass through every cache.", grouped(self.config.scan_length)),
            Event::ScheduledScan => format!("The scheduled scan starts: {} keys read once each pass through every cache.", grouped(self.config.scan_length)),
            Event::Acted(Action::Shift) | Event::HotSetMoved => "The hot set moves: other keys are popular now, and what the caches kept for the old ones is dead weight.".to_string(),
        }
    }

    /// During a scan: which caches it has flushed, and how many popular keys the others hold.
    fn describe_scan(&self) -> String {
        let held: Vec<(&str, u32)> = (0..LANES).map(|lane| (self.lanes[lane].kind().label(), self.popular_cached(lane))).collect();
        let flushed: Vec<&str> = held.iter().filter(|(_, count)| *count == 0).map(|(name, _)| *name).collect();
        let kept: Vec<String> = held.iter().filter(|(_, count)| *count > 0).map(|(name, count)| format!("{name} {count}")).collect();
        let still = format!("popular keys still cached, out of {}: {}", self.capacity, kept.join(", "));
        match (flushed.is_empty(), kept.is_empty()) {
            (true, _) => format!("A scan is passing through; {still}."),
            (false, true) => "A scan is passing through and has flushed every popular key from every cache.".to_string(),
            (false, false) => format!("A scan is passing through and has flushed every popular key from {}; {still}.", list(&flushed)),
        }
    }

    fn describe_last(&self, last: &LastRequest) -> String {
        let key = match last.rank {
            Some(rank) => format!("Key {} (popularity rank {} of {})", last.key, grouped(rank + 1), grouped(self.config.keys)),
            None => format!("Key {}, read once by a scan,", last.key),
        };
        let names = |hit: bool| -> Vec<&'static str> { Kind::ONLINE.iter().zip(&last.access).filter(|(_, seen)| seen.hit == hit).map(|(kind, _)| kind.label()).collect() };
        let (hit, missed) = (names(true), names(false));
        if missed.is_empty() {
            format!("{key}: a hit in every cache.")
        } else if hit.is_empty() {
            format!("{key}: a miss in every cache.")
        } else {
            format!("{key}: a hit for {}; a miss for {}.", list(&hit), list(&missed))
        }
    }
}

/// "a", "a and b", "a, b and c".
fn list(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [only] => only.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

impl Simulation for Eviction {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        self.tick = self.tick.saturating_add(1);
        let (epoch, scans) = (self.trace.epoch(), self.trace.scans());
        let mut evicted = Vec::new();
        let rate = self.config.rate.max(1);
        for index in 0..rate {
            let key = self.trace.next_key();
            self.serve(key, index + 1 == rate, &mut evicted);
        }
        if self.trace.epoch() != epoch {
            self.event = (self.tick, Event::HotSetMoved);
        } else if self.trace.scans() != scans {
            self.event = (self.tick, Event::ScheduledScan);
        }
        self.series.push(TickSample { tick: self.tick, ratio: self.window.ratios() });
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::Capacity(size) => {
                self.capacity = size.clamp(MIN_CACHE, MAX_CACHE);
                let mut evicted = Vec::new();
                for lane in &mut self.lanes {
                    lane.policy.resize(self.capacity, &mut evicted);
                }
            }
            Action::Scan => self.trace.start_scan(),
            Action::Shift => self.trace.shift(),
        }
        self.event = (self.tick, Event::Acted(*action));
    }

    fn tick(&self) -> u64 {
        u64::from(self.tick)
    }

    /// A scan's start, then how much of each cache it leaves while it passes; any other event
    /// for a few ticks; otherwise what each cache did with the last request.
    fn narrate(&self) -> String {
        let (at, event) = self.event;
        let scan = matches!(event, Event::Acted(Action::Scan) | Event::ScheduledScan);
        if self.tick == at || self.last.is_none() {
            return self.describe(event);
        }
        if self.trace.scanning() {
            return self.describe_scan();
        }
        if !scan && self.tick - at < NARRATE_TICKS {
            return self.describe(event);
        }
        self.last.as_ref().map(|last| self.describe_last(last)).unwrap_or_default()
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}

/// One policy's hit ratio at each of the sizes asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    pub kind: Kind,
    pub ratios: Vec<f64>,
}

/// Cache sizes for the chart: 5, 10, 20, 50, … up to the population (at most 10,000), with the
/// run's own size added so the curves pass through what the lanes show.
pub fn curve_sizes(params: &Params) -> Vec<u32> {
    let config = Config::from_params(params);
    let top = u64::from(config.keys.min(10_000));
    let mut sizes: Vec<u32> = round_units().skip_while(|size| *size < 5).take_while(|size| *size <= top).map(|size| size as u32).collect();
    let place = sizes.partition_point(|size| *size < config.capacity);
    if sizes.get(place) != Some(&config.capacity) {
        sizes.insert(place, config.capacity);
    }
    sizes
}

/// The hit ratio each policy, and Bélády's optimum, reaches over the first `CURVE_REQUESTS`
/// requests of the run's trace (its scans and moves included), starting empty, at each of
/// `sizes`. Six online policies then OPT, in that order.
pub fn hit_ratio_curve(params: &Params, seed: u64, sizes: &[u32]) -> Vec<Curve> {
    let config = Config::from_params(params);
    let requests = config.trace(seed).take(CURVE_REQUESTS);
    let total = requests.len().max(1) as f64;
    Kind::ONLINE
        .iter()
        .chain(&[Kind::Opt])
        .map(|kind| Curve { kind: *kind, ratios: sizes.iter().map(|size| hits(*kind, &requests, *size, random_seed(seed)) as f64 / total).collect() })
        .collect()
}
