//! A CDN cache: users in three regions (Europe, North America, Asia) send requests to their
//! nearest edge; a fresh copy is answered at the edge (a hit); anything else travels on to an
//! optional origin shield and then to the origin, and back. Copies live by the origin's
//! `Cache-Control`: `max-age` (RFC 9111 §5.2.2.1), `stale-while-revalidate` and `stale-if-error`
//! (RFC 5861). The reader purges (hard or soft), publishes new versions, takes the origin down,
//! fails the primary CDN so traffic moves to a second, cold one, and changes every setting
//! (shield, pull or push, coalescing, the three directives, traffic) while the run goes.
//!
//! For the view: drive it with `Timeline<Cdn>` (parameters `CDN_PARAMS`, actions `Action`,
//! `CDN_TICKS_PER_SECOND`, `CDN_LIMIT`); draw `stage::stage`. Every parameter is also live:
//! send a control's change as `Action::from_param(key, value)` and read the current value with
//! `config().get(setting)` (the parameters only say where a run starts). Numbers beside the
//! picture: `recent(region)` (the last 5 s: `hit_ratio()`, `p50_ms`, `p99_ms`, `counts.stale()`,
//! `counts.errors`, `origin_per_second()`), `origin_per_second()` for all regions, `totals(region)`
//! since the start, `origin_up()`, `cdn_up(cdn)`, `serving()`, `steering()`. Charts: `series()`
//! with `Series::points(Metric { measure, region }, n)`, one sample per 500 ms: hit ratio and
//! origin load per region over time. Pickers: `object_name(i)` for objects `0..config().objects`
//! (most popular first), `version(i)`; `narrate()` for the live region.
//!
//! **Time.** One tick is 10 simulated ms; the app plays `CDN_TICKS_PER_SECOND` = 50 a second at
//! 1×, half of real time, so a request to Asia's origin and back (about a quarter of a second)
//! can be followed, and a 10 s max-age drains in 20 s of play.
//!
//! **Network (illustrative round trips, not measurements):** user ↔ nearest edge 20 ms in every
//! region; edge ↔ shield 80 ms from Europe, 40 ms from North America, 160 ms from Asia; the
//! shield sits beside the origin (20 ms round trip), so an edge without a shield reaches the
//! origin in its own region's round trip; the origin takes 40 ms to generate a response.
//! Latency is counted from the user: a hit takes 20 ms, a miss answered by the shield 20 ms +
//! the edge's round trip, and so on. Half the users are in North America, 30% in Europe, 20% in
//! Asia; each request picks an object by Zipf popularity.
//!
//! Model choices worth knowing:
//! - Ages are exact: a copy's age is the time since the origin generated it (RFC 9111 §4.2.3
//!   with perfect clocks), so an edge that fills from the shield gets a copy that is already
//!   that old and expires when the shield's does. A copy is fresh while its age is under its
//!   max-age (§4.2); copies keep the directives they were generated with.
//! - A stale copy is served (RFC 9111 §4.2.4 allows it only under such extensions) in two cases:
//!   within `stale-while-revalidate` seconds of going stale, while one background revalidation
//!   runs (RFC 5861 §3); within `stale-if-error` seconds, when the fetch for it came back as an
//!   error (RFC 5861 §4). Past both windows the request waits for the fetch, and an error is an
//!   error. A revalidation fetches a whole new copy; the origin does not answer 304.
//! - Coalescing (request collapsing) is one fetch per object per cache at a time: misses that
//!   find a fetch in flight wait on it. Without it every miss sends its own fetch. The shield
//!   coalesces edges' fetches the same way, so with both on the origin sees at most one fetch
//!   per object per max-age, however many edges ask.
//! - Pull: an edge fills on a miss. Push: the origin places the current version of every object
//!   on every edge and shield of both CDNs at the start, on switching to push, and on each
//!   publish; pushed copies are held until replaced or purged (their max-age is for browsers),
//!   so the origin sees no fetches, and a publish is everywhere at once. A request that finds no
//!   copy (after a hard purge) still pulls from the origin. Back in pull, pushed copies expire by
//!   the max-age they were pushed with.
//! - A publish changes only the origin in pull mode: edges keep serving the old version until
//!   their copies expire (or are purged).
//! - Purges reach every cache of both CDNs in the same instant (real ones take a moment to fan
//!   out and can race with shielding: see Fastly's "Purging best practices"). A hard purge
//!   removes every copy; a copy still on its way down when the purge happened is thrown away on
//!   arrival and fetched again, so nothing generated before a hard purge is served after it. A
//!   soft purge marks every copy stale (Fastly, "Soft purges",
//!   https://www.fastly.com/documentation/guides/full-site-delivery/purging/soft-purges): with
//!   stale-while-revalidate it is served stale while one revalidation goes to the origin.
//! - The origin down answers every fetch with an error at once (a 503), and nothing remembers
//!   that: every miss and every revalidation of a stale copy tries it again, so the fetches the
//!   origin sees per second rise while it is down (real CDNs' health checks would stop sending
//!   to it). They are counted with the rest as origin load.
//! - Multi-CDN: users go to CDN A while it is up. When the CDN they use fails, its requests and
//!   fetches fail; after `FAILOVER_MS` the steering (DNS or a traffic manager) moves everyone to
//!   the other CDN, which has had no traffic and starts cold, so its hit ratio starts at zero and
//!   the origin load jumps (in pull mode; push fills both). When A is back, steering moves users
//!   back after the same delay; A's caches kept what they held, now older.
//! - A hit ratio is the share of requests answered with content that came from the edge's
//!   cache, fresh or stale; errors are counted apart. Latency percentiles cover every request
//!   answered with content.
//!
//! **Cost.** A tick costs the requests arriving (200 a second by default, at most 5,000) plus
//! the fetches whose leg ends. Every keyframe of the timeline holds each cache's slot for each
//! object (8 caches × at most 200 objects × 28 bytes), so a whole run keeps about 10 MB of
//! keyframes at the default 100 objects and 20 MB at 200; fetches and waiting requests are
//! bounded by a few hundred ms of traffic.

use std::sync::Arc;

use crate::sim::{Params, SimRng, Simulation};

mod actions;
mod controls;
mod flow;
mod metrics;
mod narration;
pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;

pub use controls::{Action, Config, Setting, CDN_PARAMS, MAX_OBJECTS};
use metrics::Ledger;
pub use metrics::{Counts, Latencies, Measure, Metric, RegionSample, RegionStats, Sample, Series, Served, LATENCY_BUCKETS_MS, MAX_SAMPLES, RECENT_WINDOWS};

/// Simulated milliseconds per tick.
pub const TICK_MS: u32 = 10;
/// Ticks the app plays per second at 1×: half of real time.
pub const CDN_TICKS_PER_SECOND: f64 = 50.0;
/// Five simulated minutes (ten at 1×).
pub const CDN_LIMIT: u64 = 30_000;
/// One chart sample per 500 ms.
pub const SAMPLE_TICKS: u32 = 50;
pub const REGIONS: usize = 3;
pub const CDNS: usize = 2;
/// Round trip from a user to the nearest edge (illustrative).
pub const USER_RTT_MS: u32 = 20;
/// Round trip from each region's edge to the shield, or to the origin without one (Europe,
/// North America, Asia; illustrative).
pub const EDGE_RTT_MS: [u32; REGIONS] = [80, 40, 160];
/// Round trip from the shield to the origin beside it.
pub const SHIELD_RTT_MS: u32 = 20;
/// How long the origin takes to generate a response.
pub const ORIGIN_MS: u32 = 40;
/// How long after the CDN in use fails (or the primary returns) the steering moves the users.
pub const FAILOVER_MS: u32 = 3_000;
/// Each region's share of the requests.
pub const REGION_SHARE: [f64; REGIONS] = [0.3, 0.5, 0.2];
/// The objects drawn at each edge: the most popular ones.
pub const HOT_OBJECTS: usize = 4;
/// Ticks of the users' requests and answers the stage replays on their short links.
pub const TRAIL_TICKS: usize = 8;
/// How long an event stays the narration before a summary replaces it.
const NARRATE_TICKS: u32 = 200;
/// Edges first (CDN × region), then the two shields.
const NODES: usize = CDNS * REGIONS + CDNS;

const fn ticks(ms: u32) -> u32 {
    ms / TICK_MS
}

/// Where users are, and their edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    Europe,
    NorthAmerica,
    Asia,
}

impl Region {
    pub const ALL: [Region; REGIONS] = [Region::Europe, Region::NorthAmerica, Region::Asia];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Region::Europe => "Europe",
            Region::NorthAmerica => "North America",
            Region::Asia => "Asia",
        }
    }

    /// A name for tight spots.
    pub fn short(self) -> &'static str {
        match self {
            Region::Europe => "EU",
            Region::NorthAmerica => "NA",
            Region::Asia => "Asia",
        }
    }

    /// Ticks one way between this region's edge and the shield (or the origin).
    fn edge_leg(self) -> u32 {
        ticks(EDGE_RTT_MS[self.index()] / 2)
    }
}

/// "#1" for the most popular object.
pub fn object_name(index: usize) -> String {
    format!("#{}", index + 1)
}

/// "CDN A" (the primary) or "CDN B".
pub fn cdn_name(cdn: usize) -> &'static str {
    if cdn == 0 {
        "CDN A"
    } else {
        "CDN B"
    }
}

/// A copy of an object as a cache holds it (or a response carries it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub version: u32,
    /// Counts up with every copy the origin generates or pushes, so "made before this purge"
    /// is exact even within one tick.
    pub serial: u32,
    /// The tick the origin generated it: its age counts from here.
    pub born: u32,
    /// The tick it turns stale: `born + max_age`, or earlier once a soft purge marked it.
    pub expires: u32,
    /// Its `max-age`, `stale-while-revalidate` and `stale-if-error`, in ticks (at most 300,
    /// 300 and 600 s: 16 bits hold them, and every cache slot of every keyframe is smaller).
    pub max_age: u16,
    pub swr: u16,
    pub sie: u16,
    /// Placed by a push: held fresh until replaced or purged.
    pub pushed: bool,
}

impl Entry {
    pub fn is_fresh(&self, now: u32) -> bool {
        self.pushed || now < self.expires
    }

    /// RFC 5861 §3: usable while revalidating, up to `swr` after it turned stale.
    pub fn within_swr(&self, now: u32) -> bool {
        now < self.expires.saturating_add(u32::from(self.swr))
    }

    /// RFC 5861 §4: usable when the origin errs, up to `sie` after it turned stale.
    pub fn within_sie(&self, now: u32) -> bool {
        now < self.expires.saturating_add(u32::from(self.sie))
    }

    /// How much of its freshness is left (1 just generated, 0 stale).
    pub fn freshness_left(&self, now: u32) -> f32 {
        if self.pushed {
            return 1.0;
        }
        self.expires.saturating_sub(now) as f32 / f32::from(self.max_age.max(1))
    }
}

/// One object at one cache: its copy, and how many of its fetches are in flight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Slot {
    entry: Option<Entry>,
    in_flight: u16,
}

/// Where a fetch is: on which link, which way, or waiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Leg {
    EdgeToShield,
    ShieldToOrigin,
    EdgeToOrigin,
    /// Being generated.
    AtOrigin,
    OriginToShield,
    ShieldToEdge,
    OriginToEdge,
    /// Waiting at the shield for the shield's own fetch of the object (coalescing).
    Parked,
}

impl Leg {
    /// On its way back down with a reply.
    pub fn is_down(self) -> bool {
        matches!(self, Leg::OriginToShield | Leg::ShieldToEdge | Leg::OriginToEdge)
    }
}

/// What a fetch carries back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    Copy(Entry),
    /// A stale copy the shield served under stale-while-revalidate.
    StaleWhileRevalidate(Entry),
    /// A stale copy the shield served because the origin erred (stale-if-error).
    StaleIfError(Entry),
    Error,
}

/// A request from a cache to the next one up, and its reply on the way back. Ids count up
/// from 0 in sending order, the same on every replay, so the stage can sample them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fetch {
    pub id: u32,
    pub object: u16,
    pub cdn: u8,
    /// The region whose edge sent it (or whose request made the shield revalidate).
    pub region: Region,
    pub leg: Leg,
    /// When the current leg started and when it ends.
    pub sent: u32,
    pub arrives: u32,
    /// User requests answered when it gets back to the edge (0 for a background revalidation).
    pub requests: u32,
    /// When those requests reached the edge.
    pub arrived: u32,
    pub reply: Option<Reply>,
    /// Goes through the shield.
    pub via_shield: bool,
    /// The shield's own background revalidation: it ends at the shield.
    pub from_shield: bool,
    ended: bool,
}

/// Requests that missed at an edge and wait on the fetch already in flight (coalescing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Waiter {
    node: u8,
    object: u16,
    arrived: u32,
    count: u32,
}

/// Something worth telling, kept with its tick for the narration.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Started,
    Acted(Action),
    Ignored(u16),
    Steered(u8),
}

/// One request's ending, recorded in test builds so the tests can check every answer.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Delivery {
    pub tick: u32,
    pub region: Region,
    pub cdn: u8,
    pub object: u16,
    pub served: Served,
    pub count: u32,
    pub copy: Option<Entry>,
    /// When the cache that served a stale copy decided to (the shield, for one it sent down).
    pub decided: u32,
    /// A revalidation of the object was in flight from the deciding cache when it served stale.
    pub revalidating: bool,
}

/// A fetch reaching the origin, recorded in test builds.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OriginVisit {
    pub tick: u32,
    pub cdn: u8,
    pub object: u16,
    pub via_shield: bool,
    pub up: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cdn {
    config: Config,
    tick: u32,
    rng: SimRng,
    /// Cumulative popularity of the catalogue: `popularity[i]` is the share of objects `0..=i`.
    popularity: Arc<[f64]>,
    /// Per object (as many as the largest catalogue of the run): the origin's version, and the
    /// serial below which copies were made before the last hard or soft purge.
    versions: Vec<u32>,
    hard_purged_below: Vec<u32>,
    soft_purged_below: Vec<u32>,
    next_serial: u32,
    caches: [Vec<Slot>; NODES],
    /// In sending order; ended ones are removed every tick.
    fetches: Vec<Fetch>,
    next_fetch: u32,
    waiters: Vec<Waiter>,
    origin_up: bool,
    origin_errors: u64,
    cdn_up: [bool; CDNS],
    /// The CDN users are sent to, and since when the steering has wanted to change it.
    serving: u8,
    steer_since: Option<u32>,
    ledger: Ledger,
    series: Series,
    /// The totals at the end of each of the last ticks (see `trail`).
    trail: [[Counts; REGIONS]; TRAIL_TICKS + 1],
    event: (u32, Event),
    #[cfg(test)]
    pub(crate) journal: Vec<Delivery>,
    #[cfg(test)]
    pub(crate) origin_log: Vec<OriginVisit>,
    /// The origin's new copies (not pushes), in test builds.
    #[cfg(test)]
    pub(crate) generated: Vec<OriginVisit>,
}

fn edge(cdn: u8, region: Region) -> usize {
    usize::from(cdn) * REGIONS + region.index()
}

fn shield(cdn: u8) -> usize {
    CDNS * REGIONS + usize::from(cdn)
}

fn popularity(objects: usize, skew: f64) -> Arc<[f64]> {
    let weights: Vec<f64> = (0..objects).map(|rank| 1.0 / ((rank + 1) as f64).powf(skew)).collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = 0.0;
    weights
        .iter()
        .map(|weight| {
            cumulative += weight / total;
            cumulative
        })
        .collect()
}

impl Cdn {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let objects = config.objects;
        let mut cdn = Self {
            config,
            tick: 0,
            rng: SimRng::new(seed),
            popularity: popularity(objects, config.skew()),
            versions: vec![1; objects],
            hard_purged_below: vec![0; objects],
            soft_purged_below: vec![0; objects],
            next_serial: 0,
            caches: std::array::from_fn(|_| vec![Slot::default(); objects]),
            fetches: Vec::new(),
            next_fetch: 0,
            waiters: Vec::new(),
            origin_up: true,
            origin_errors: 0,
            cdn_up: [true; CDNS],
            serving: 0,
            steer_since: None,
            ledger: Ledger::default(),
            series: Series::default(),
            trail: Default::default(),
            event: (0, Event::Started),
            #[cfg(test)]
            journal: Vec::new(),
            #[cfg(test)]
            origin_log: Vec::new(),
            #[cfg(test)]
            generated: Vec::new(),
        };
        if config.push {
            (0..objects).for_each(|object| cdn.push(object));
        }
        cdn
    }

    // ---- What the view and the stage read -------------------------------------------------

    /// The settings now (the parameters, as changed since by actions).
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn time_ms(&self) -> u64 {
        u64::from(self.tick) * u64::from(TICK_MS)
    }

    pub fn series(&self) -> &Series {
        &self.series
    }

    /// One region's counts since the start.
    pub fn totals(&self, region: Region) -> Counts {
        self.ledger.totals[region.index()]
    }

    /// Every latency of one region since the start.
    pub fn latencies(&self, region: Region) -> Latencies {
        self.ledger.latencies[region.index()]
    }

    /// One region over the last 5 simulated seconds (closed windows only).
    pub fn recent(&self, region: Region) -> RegionStats {
        let (counts, seconds) = metrics::recent_counts(&self.series, region);
        let (p50_ms, p99_ms) = self.ledger.recent_percentiles(region);
        RegionStats { counts, seconds, p50_ms, p99_ms }
    }

    /// Fetches reaching the origin per second over the last 5 s, all regions together.
    pub fn origin_per_second(&self) -> f64 {
        Region::ALL.iter().map(|region| self.recent(*region).origin_per_second()).sum()
    }

    /// Fetches the origin answered with an error, since the start.
    pub fn origin_errors(&self) -> u64 {
        self.origin_errors
    }

    pub fn origin_up(&self) -> bool {
        self.origin_up
    }

    pub fn cdn_up(&self, cdn: usize) -> bool {
        self.cdn_up.get(cdn).copied().unwrap_or(false)
    }

    /// The CDN users are sent to now.
    pub fn serving(&self) -> usize {
        usize::from(self.serving)
    }

    /// The CDN the steering is about to move users to, and in how many ms.
    pub fn steering(&self) -> Option<(usize, u32)> {
        let since = self.steer_since?;
        let target = self.steering_target();
        (target != self.serving).then(|| (usize::from(target), ticks(FAILOVER_MS).saturating_sub(self.tick - since) * TICK_MS))
    }

    /// The origin's current version of an object (0 past the catalogue).
    pub fn version(&self, object: usize) -> u32 {
        self.versions.get(object).copied().unwrap_or(0)
    }

    /// The share of requests that ask for an object (0 past the catalogue).
    pub fn share(&self, object: usize) -> f64 {
        let before = if object == 0 { 0.0 } else { self.popularity.get(object - 1).copied().unwrap_or(1.0) };
        self.popularity.get(object).map_or(0.0, |upto| upto - before)
    }

    /// The copy an edge holds of an object.
    pub fn edge_copy(&self, cdn: usize, region: Region, object: usize) -> Option<Entry> {
        self.slot(edge(cdn.min(CDNS - 1) as u8, region), object).and_then(|slot| slot.entry)
    }

    /// Whether an edge has a fetch of an object in flight.
    pub fn edge_fetching(&self, cdn: usize, region: Region, object: usize) -> bool {
        self.slot(edge(cdn.min(CDNS - 1) as u8, region), object).is_some_and(|slot| slot.in_flight > 0)
    }

    /// The copy a CDN's shield holds of an object.
    pub fn shield_copy(&self, cdn: usize, object: usize) -> Option<Entry> {
        self.slot(shield(cdn.min(CDNS - 1) as u8), object).and_then(|slot| slot.entry)
    }

    /// Every fetch in flight or waiting, in sending order.
    pub fn fetches(&self) -> &[Fetch] {
        &self.fetches
    }

    /// Requests waiting at a CDN's edge in a region for a fetch in flight.
    pub fn waiting(&self, cdn: usize, region: Region) -> u64 {
        let node = edge(cdn.min(CDNS - 1) as u8, region);
        self.waiters.iter().filter(|waiter| usize::from(waiter.node) == node).map(|waiter| u64::from(waiter.count)).sum()
    }

    /// Requests reaching the edges and answered, per region, at the end of `ago` ticks back
    /// (0 is now; at most `TRAIL_TICKS`): what the stage replays on the users' links.
    pub fn trail(&self, ago: usize) -> [Counts; REGIONS] {
        if ago > TRAIL_TICKS || ago as u32 > self.tick {
            return Default::default();
        }
        self.trail[(self.tick as usize - ago) % (TRAIL_TICKS + 1)]
    }

    fn slot(&self, node: usize, object: usize) -> Option<&Slot> {
        self.caches.get(node).and_then(|slots| slots.get(object))
    }

    fn slot_mut(&mut self, node: usize, object: u16) -> &mut Slot {
        &mut self.caches[node][usize::from(object)]
    }
}


/// How the requests a reply answers were served, and from which copy. Only the tests' journal
/// reads the CDN, the decision's tick and the revalidation flag.
#[cfg_attr(not(test), allow(dead_code))]
struct Answer {
    cdn: u8,
    region: Region,
    object: u16,
    served: Served,
    copy: Option<Entry>,
    decided: u32,
    revalidating: bool,
}

impl Simulation for Cdn {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        #[cfg(test)]
        {
            self.journal.clear();
            self.origin_log.clear();
            self.generated.clear();
        }
        self.tick = self.tick.saturating_add(1);
        self.steer();
        self.move_fetches();
        self.draw_arrivals();
        if self.tick % SAMPLE_TICKS == 0 {
            self.close_window();
        }
        self.trail[self.tick as usize % (TRAIL_TICKS + 1)] = self.ledger.totals;
    }

    fn apply(&mut self, action: &Action) {
        let done = self.act(action);
        let event = match *action {
            Action::Purge(object) | Action::SoftPurge(object) | Action::Publish(object) if !done => Event::Ignored(object),
            _ => Event::Acted(*action),
        };
        self.event = (self.tick, event);
    }

    fn tick(&self) -> u64 {
        u64::from(self.tick)
    }

    fn narrate(&self) -> String {
        let (at, event) = self.event;
        if self.tick.saturating_sub(at) > NARRATE_TICKS {
            return self.summary();
        }
        self.tell(event)
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}
