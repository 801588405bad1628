//! DNS resolution: clients in two regions (Europe and the US) look up www.example.com. Each
//! client has a stub resolver with its own cache (the OS's or the browser's); on a miss it asks
//! its region's recursive resolver (its ISP's), which answers from its cache or walks down the
//! hierarchy: a root server refers it to the `.com` servers, those to example.com's
//! authoritative servers, which answer. Every answer is cached for its TTL. The reader moves the
//! site to new addresses (a migration), changes the TTL (lowering it before a migration is the
//! classic advice), fails a region's server (health checks notice, and example.com fails over to
//! a backup), sends every client to a misspelt name (negative caching), flushes a resolver, and
//! changes every setting while the run goes.
//!
//! For the view: drive it with `Timeline<Dns>` (parameters `DNS_PARAMS`, actions `Action`,
//! `DNS_TICKS_PER_SECOND`, `DNS_LIMIT`); draw `stage::stage` (`stage::HEIGHT` tall). Every
//! parameter is also live: send a control's change as `Action::from_param(key, value)` and show
//! the current value with `config().value(key)` (see `Live` in the app). Numbers beside the
//! picture: `recent(region)` over the last 5 s (`per_second(level)` for the queries each level
//! got from that region's resolver, `resolver_hit_ratio()`, `p50_ms`, `p99_ms` of the clients'
//! lookups, `counts`), `per_second(level)` for both regions, `old_clients(region)` (clients
//! still sent to an address example.com no longer gives, of `clients(region).len()`),
//! `on_down_server(region)`, `totals(region)` since the start. State: `answer_for(region)` (what
//! example.com answers now), `server_up(region)`, `seen_healthy(region)`, `failed_checks(region)`,
//! `generation()`, `resolver_cache(region, record)`. Charts: `series()` with
//! `Series::points(Metric { measure, region }, n)`, one sample per 500 ms (queries per level,
//! resolver hit ratio, share on an old address, latency). `narrate()` for the live region.
//!
//! **Time.** One tick is 5 simulated ms; the app plays `DNS_TICKS_PER_SECOND` = 50 a second at
//! 1×, a quarter of real time: a full walk from Europe (170 ms) takes 0.7 s to watch (2.7 s at
//! ¼×, where each leg can be followed), and a 20 s TTL drains in 80 s (10 s at 8×, the speed
//! for watching caches expire after a change).
//!
//! **Network (illustrative one-way delays, not measurements):** a client to its resolver 10 ms;
//! a resolver to a root server 15 ms and to a `.com` server 20 ms (both anycast, so the same
//! from either region); to example.com's authoritative servers, hosted in the US, 40 ms from
//! Europe and 15 ms from the US. Servers answer at once. So a lookup answered by the client's
//! own cache takes 0 ms, by the resolver's 20 ms, and a walk from the root 170 ms in Europe and
//! 120 ms in the US.
//!
//! Model choices worth knowing:
//! - Resolution follows RFC 1034 §5.3.3: the resolver answers from its cache if it can, else
//!   asks the closest servers it knows of (the deepest delegation it has fresh in its cache,
//!   else the root, whose addresses it always has from its root hints), caches each referral
//!   and follows it one level down, and caches the answer. Each copy lives for the TTL it came
//!   with, counted from when it arrived (RFC 1035 §3.2.1), and a resolver answering from its
//!   cache hands out the TTL that is left (cached TTLs "count down", RFC 1035 §6.1.3), so a
//!   client's copy expires when the resolver's does (plus the 10 ms it took to arrive). Ages are
//!   exact to the tick rather than whole seconds.
//! - Negative caching (RFC 2308): a name that does not exist gets NXDOMAIN with the zone's SOA,
//!   and resolvers and stubs cache the "no" for the negative TTL (§3, §5). With 0 it is not
//!   cached at all.
//! - A resolver sends one walk per name at a time: lookups that find one in flight wait for it
//!   (coalesced), as BIND and Unbound do. A client waits for its own lookup before making
//!   another (a lookup that falls due meanwhile is skipped).
//! - A TTL change applies to answers example.com gives from then on; copies already cached keep
//!   the TTL they arrived with. So does a migration: caches keep answering the old addresses
//!   until their copies expire. The old servers keep serving meanwhile.
//! - Addresses come from 192.0.2.0/24 (TEST-NET-1, RFC 5737): Europe's servers 192.0.2.1, then
//!   .2, .3… after each migration; the US's 192.0.2.101, .102…; the backup 192.0.2.254.
//! - Geo-routing: example.com answers by the resolver's region (not the client's; there is no
//!   EDNS Client Subnet). Off, everyone gets the US servers.
//! - Health-checked failover (as Route 53's failover records): one checker probes each primary
//!   every `interval` s from the start of the run; `threshold` failures in a row mark it
//!   unhealthy and example.com answers with the backup instead, `threshold` passes in a row mark
//!   it healthy again. A failed server is detected between `threshold - 1` and `threshold`
//!   intervals after it fails, and clients keep the dead address cached for up to a TTL more.
//!   The backup never fails. Only www.example.com's servers are checked; the DNS servers
//!   themselves never fail here.
//! - A client that ignores TTLs (`sticky`) keeps the first address it got for the rest of the
//!   run, whatever its stub setting; which clients do is fixed by their number, so changing the
//!   share picks the same clients every time.
//! - No serve-stale (RFC 8767): nothing here makes the authoritative servers unreachable.
//!
//! **Cost.** A tick costs the clients (at most 20) and the messages in flight (at most one
//! lookup per client and one walk per name per resolver). A keyframe holds about 4 KB.

use crate::sim::{Params, SimRng, Simulation};

mod controls;
mod flow;
mod metrics;
mod narration;
pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;

pub use controls::{Action, Config, Setting, DNS_PARAMS, MAX_CLIENTS};
use metrics::Ledger;
pub use metrics::{Counts, Latencies, Measure, Metric, RegionSample, RegionStats, Sample, Series, Source, LATENCY_BUCKETS_MS, MAX_SAMPLES, RECENT_WINDOWS};

/// Simulated milliseconds per tick.
pub const TICK_MS: u32 = 5;
/// Ticks in a simulated second.
pub const TICKS_PER_SIM_SECOND: u32 = 1000 / TICK_MS;
/// Ticks the app plays per second at 1×: a quarter of real time.
pub const DNS_TICKS_PER_SECOND: f64 = 50.0;
/// Five simulated minutes (twenty at 1×, two and a half at 8×).
pub const DNS_LIMIT: u64 = 60_000;
/// One chart sample per 500 ms.
pub const SAMPLE_TICKS: u32 = 100;
pub const REGIONS: usize = 2;
/// One-way delays, in ms (see the module documentation).
pub const STUB_MS: u32 = 10;
pub const ROOT_MS: u32 = 15;
pub const TLD_MS: u32 = 20;
/// From Europe's and the US's resolver to example.com's servers, in the US.
pub const AUTH_MS: [u32; REGIONS] = [40, 15];
/// The misspelt lookups are spread over this long.
pub const MISSPELL_SPREAD_MS: u32 = 2_000;
/// Migrations after which the addresses stop changing (Europe's reach 192.0.2.100).
pub const MAX_GENERATION: u8 = 99;
/// How long an event stays the narration before a summary replaces it.
const NARRATE_TICKS: u32 = 400;

const fn ticks(ms: u32) -> u32 {
    ms / TICK_MS
}

/// Where clients, their resolver and their servers are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Region {
    Europe,
    Us,
}

impl Region {
    pub const ALL: [Region; REGIONS] = [Region::Europe, Region::Us];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Region::Europe => "Europe",
            Region::Us => "the US",
        }
    }

    /// A name for tight spots.
    pub fn short(self) -> &'static str {
        match self {
            Region::Europe => "EU",
            Region::Us => "US",
        }
    }
}

/// The two names clients look up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Name {
    Www,
    /// A misspelling that does not exist.
    Typo,
}

impl Name {
    pub fn text(self) -> &'static str {
        match self {
            Name::Www => "www.example.com",
            Name::Typo => "wwww.example.com",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Where a resolver caches its answer.
    pub fn record(self) -> Record {
        match self {
            Name::Www => Record::Www,
            Name::Typo => Record::Typo,
        }
    }
}

/// A level of the hierarchy a resolver asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Root,
    Tld,
    Auth,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Root, Level::Tld, Level::Auth];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Root => "the root",
            Level::Tld => ".com",
            Level::Auth => "example.com",
        }
    }

    /// Ticks one way between a region's resolver and this level's servers.
    pub fn leg(self, region: Region) -> u32 {
        ticks(match self {
            Level::Root => ROOT_MS,
            Level::Tld => TLD_MS,
            Level::Auth => AUTH_MS[region.index()],
        })
    }
}

/// What a resolver's cache holds, one slot each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Record {
    /// `.com`'s NS records (and their glue), from the root: where the TLD servers are.
    ComNs,
    /// example.com's NS records, from `.com`: where its authoritative servers are.
    ExampleNs,
    /// www.example.com's A record.
    Www,
    /// The NXDOMAIN for wwww.example.com.
    Typo,
}

impl Record {
    pub const ALL: [Record; 4] = [Record::ComNs, Record::ExampleNs, Record::Www, Record::Typo];

    pub fn index(self) -> usize {
        self as usize
    }
}

/// An address www.example.com can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address {
    /// A region's primary servers, in their `generation` (each migration moves to the next).
    Primary { site: Region, generation: u8 },
    Backup,
}

impl Address {
    /// As an IPv4 address from the documentation range (RFC 5737).
    pub fn ip(self) -> String {
        match self {
            Address::Primary { site: Region::Europe, generation } => format!("192.0.2.{}", 1 + u32::from(generation)),
            Address::Primary { site: Region::Us, generation } => format!("192.0.2.{}", 101 + u32::from(generation)),
            Address::Backup => "192.0.2.254".to_string(),
        }
    }
}

/// What a server (or a cache) says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// "Ask that level": a delegation, with the NS records and glue to find its servers.
    Referral(Level),
    Address(Address),
    NxDomain,
}

/// A cached copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub answer: Answer,
    /// The tick it expires: fresh while `now < expires`.
    pub expires: u32,
    /// The TTL example.com (or the root, or `.com`) gave it, in ticks: a clock's full turn, so a
    /// client's copy drains in step with the resolver's it came from.
    pub full: u32,
}

impl Entry {
    pub fn is_fresh(&self, now: u32) -> bool {
        now < self.expires
    }

    /// How much of its TTL is left (1 just arrived, 0 expired).
    pub fn left(&self, now: u32) -> f32 {
        self.expires.saturating_sub(now) as f32 / self.full.max(1) as f32
    }
}

/// A client and its stub resolver.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    /// Its stub cache: a copy per name.
    pub cache: [Option<Entry>; 2],
    /// The address it connects to: the last answer it got for www.example.com.
    pub address: Option<Address>,
    /// A lookup of its is in flight.
    pub busy: bool,
    /// When its own cache last answered it, and with what (the stage shows the answer hop).
    pub last_hit: Option<(u32, Answer)>,
    next_lookup: u32,
    misspell_at: Option<u32>,
}

impl Client {
    /// Its copy of a name.
    pub fn copy(&self, name: Name) -> Option<Entry> {
        self.cache[name.index()]
    }
}

/// Where a client's lookup is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LookupLeg {
    /// On its way to the resolver.
    Up,
    /// At the resolver, waiting for a walk in flight.
    Waiting,
    /// On its way back with the answer, whose `ttl` ticks are left; `from_cache` when the
    /// resolver had it.
    Down { answer: Answer, ttl: u32, full: u32, from_cache: bool },
}

/// A client's query to its resolver and the answer coming back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lookup {
    pub region: Region,
    pub client: u8,
    pub name: Name,
    /// When the client made it.
    pub asked: u32,
    /// When the current leg started and when it ends.
    pub sent: u32,
    pub arrives: u32,
    pub leg: LookupLeg,
}

/// What a server sends back: its answer and the TTL it comes with, in ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reply {
    pub answer: Answer,
    pub ttl: u32,
}

/// A resolver's walk for a name: one query to `level` in flight, or its reply on the way back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolution {
    pub region: Region,
    pub name: Name,
    pub level: Level,
    pub sent: u32,
    pub arrives: u32,
    pub reply: Option<Reply>,
}

/// Something worth telling, kept with its tick for the narration.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Started,
    Acted(Action),
    Ignored(Action),
    /// The health checks changed their mind about a region's server.
    Health { site: Region, healthy: bool },
    /// Every client now uses the address example.com gives.
    Converged,
}

/// What happened inside a tick, recorded in test builds so the tests can check every step.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Note {
    /// A resolver sent a query to a level (the `first` of a walk, or following a referral),
    /// with what its cache held at that moment.
    Asked { tick: u32, region: Region, name: Name, level: Level, first: bool, com: Option<Entry>, example: Option<Entry> },
    /// A cache stored a copy: a resolver's (`client` None) or a client's.
    Stored { tick: u32, region: Region, client: Option<u8>, record: Record, entry: Entry },
    /// A cache answered from its copy.
    Served { tick: u32, region: Region, client: Option<u8>, record: Record, entry: Entry },
    /// A client got its answer.
    Answered { tick: u32, region: Region, client: u8, name: Name, answer: Answer, source: Source, sticky: bool },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dns {
    config: Config,
    tick: u32,
    rng: SimRng,
    clients: [Vec<Client>; REGIONS],
    caches: [[Option<Entry>; 4]; REGIONS],
    lookups: Vec<Lookup>,
    resolutions: Vec<Resolution>,
    generation: u8,
    /// Each region's primary server: up or not, as the health checks see it, and how many
    /// checks in a row have disagreed with that.
    server_up: [bool; REGIONS],
    healthy: [bool; REGIONS],
    streak: [u8; REGIONS],
    ledger: Ledger,
    series: Series,
    /// Clients on an old address at the end of the last tick (for the narration).
    old_clients: u32,
    event: (u32, Event),
    #[cfg(test)]
    pub(crate) journal: Vec<Note>,
}

/// Whether client `index` ignores TTLs when `pct`% do: spread by the golden ratio, so any share
/// picks clients across the row, and a larger share keeps the ones a smaller one picked.
pub fn is_sticky(index: usize, pct: u32) -> bool {
    ((index as u64 + 1) * 618_034 % 1_000_000) < u64::from(pct) * 10_000
}

impl Dns {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let mut dns = Self {
            config,
            tick: 0,
            rng: SimRng::new(seed),
            clients: Default::default(),
            caches: [[None; 4]; REGIONS],
            lookups: Vec::new(),
            resolutions: Vec::new(),
            generation: 0,
            server_up: [true; REGIONS],
            healthy: [true; REGIONS],
            streak: [0; REGIONS],
            ledger: Ledger::default(),
            series: Series::default(),
            old_clients: 0,
            event: (0, Event::Started),
            #[cfg(test)]
            journal: Vec::new(),
        };
        dns.resize(config.clients);
        dns
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

    /// One region over the last 5 simulated seconds (closed windows only).
    pub fn recent(&self, region: Region) -> RegionStats {
        let (counts, seconds) = metrics::recent_counts(&self.series, region);
        let (p50_ms, p99_ms) = self.ledger.recent_percentiles(region);
        RegionStats { counts, seconds, p50_ms, p99_ms }
    }

    /// Queries a second a level got from both resolvers, over the last 5 s.
    pub fn per_second(&self, level: Level) -> f64 {
        Region::ALL.iter().map(|region| self.recent(*region).per_second(level)).sum()
    }

    pub fn clients(&self, region: Region) -> &[Client] {
        &self.clients[region.index()]
    }

    /// Whether a region's client ignores TTLs.
    pub fn sticky(&self, client: usize) -> bool {
        is_sticky(client, self.config.sticky_pct)
    }

    /// What a region's resolver has cached.
    pub fn resolver_cache(&self, region: Region, record: Record) -> Option<Entry> {
        self.caches[region.index()][record.index()]
    }

    /// Clients' lookups in flight or waiting, in the order they were made.
    pub fn lookups(&self) -> &[Lookup] {
        &self.lookups
    }

    /// The resolvers' walks in flight.
    pub fn resolutions(&self) -> &[Resolution] {
        &self.resolutions
    }

    /// Migrations so far.
    pub fn generation(&self) -> u8 {
        self.generation
    }

    /// Whether a region's primary server is up (whatever the health checks think).
    pub fn server_up(&self, region: Region) -> bool {
        self.server_up[region.index()]
    }

    /// Whether the health checks see a region's primary server as healthy.
    pub fn seen_healthy(&self, region: Region) -> bool {
        self.healthy[region.index()]
    }

    /// Checks in a row that disagreed with what the health checks believe of a region's server
    /// (at `config().threshold` they change their mind).
    pub fn failed_checks(&self, region: Region) -> u32 {
        u32::from(self.streak[region.index()])
    }

    /// The site whose servers answer a region's resolver: its own with geo-routing, else the US.
    pub fn site_for(&self, region: Region) -> Region {
        if self.config.geo {
            region
        } else {
            Region::Us
        }
    }

    /// The address example.com gives a region's resolver now.
    pub fn answer_for(&self, region: Region) -> Address {
        let site = self.site_for(region);
        if self.healthy[site.index()] {
            Address::Primary { site, generation: self.generation }
        } else {
            Address::Backup
        }
    }

    /// Whether an address is one example.com no longer gives a region.
    pub fn is_old(&self, region: Region, address: Address) -> bool {
        address != self.answer_for(region)
    }

    /// Whether an address leads to a server that is down now (the old generations' servers are
    /// still running, see the module documentation).
    pub fn is_down(&self, address: Address) -> bool {
        matches!(address, Address::Primary { site, generation } if generation == self.generation && !self.server_up[site.index()])
    }

    /// A region's clients still sent to an address example.com no longer gives them.
    pub fn old_clients(&self, region: Region) -> u32 {
        self.clients(region).iter().filter(|client| client.address.is_some_and(|address| self.is_old(region, address))).count() as u32
    }

    /// A region's clients sent to a server that is down.
    pub fn on_down_server(&self, region: Region) -> u32 {
        self.clients(region).iter().filter(|client| client.address.is_some_and(|address| self.is_down(address))).count() as u32
    }
}

impl Simulation for Dns {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        #[cfg(test)]
        self.journal.clear();
        self.tick = self.tick.saturating_add(1);
        self.check_health();
        self.move_resolutions();
        self.move_lookups();
        self.start_lookups();
        if self.tick % SAMPLE_TICKS == 0 {
            self.close_window();
        }
        self.watch_convergence();
    }

    fn apply(&mut self, action: &Action) {
        let event = if self.act(action) { Event::Acted(*action) } else { Event::Ignored(*action) };
        self.event = (self.tick, event);
        self.old_clients = Region::ALL.iter().map(|region| self.old_clients(*region)).sum();
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
