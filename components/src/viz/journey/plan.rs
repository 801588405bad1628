//! One page load, worked out in full when it starts: a pure function of the settings, what the
//! browser still holds from earlier loads (open connections, session tickets) and the load's
//! jitter. The result is the waterfall: the main request's phases back to back, then the
//! sub-resources, whose connections run side by side inside the last phase.
//!
//! Round trips before the first request byte on a new connection (`handshake_round_trips`):
//!
//! | transport | first connection | resumed with a ticket | resumed, 0-RTT on |
//! | --- | --- | --- | --- |
//! | TCP + TLS 1.2 | 1 + 2 | 1 + 1 (abbreviated handshake) | 1 + 1 (1.2 has no 0-RTT) |
//! | TCP + TLS 1.3 | 1 + 1 | 1 + 1 (PSK) | 1 + 0 (request in the first TLS flight) |
//! | QUIC (TLS 1.3 inside) | 1 | 1 | 0 (request in the first packet) |
//!
//! TCP's three-way handshake costs one round trip before data (RFC 9293 §3.5: the final ACK
//! can travel with the first request). TLS 1.2's full handshake takes two more and its
//! abbreviated (resumed) one, one (RFC 5246 §7.3, Figures 1 and 2); TLS 1.3's full handshake
//! and its PSK resumption take one, and with 0-RTT the request goes with the ClientHello (RFC
//! 8446 §2, §2.2, §2.3; RFC 9846 of July 2026 replaces RFC 8446 with the same flights). QUIC
//! runs the TLS 1.3 handshake inside its own first round trip and allows 0-RTT the same way
//! (RFC 9000 §7, RFC 9001 §4.6).

use super::controls::{Config, DnsAnswer, Proto, TlsVersion, MAX_ASSETS, MAX_QUERIES};

/// HTTP/1.1 connections a browser keeps to one origin at most: Chromium's per-group socket
/// limit, `g_max_sockets_per_group`, in `net/socket/client_socket_pool_manager.cc` (6 in 2026).
pub const MAX_H1_CONNECTIONS: usize = 6;

/// Which secure transport a connection runs (each keeps its own session tickets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transport {
    Tls12,
    Tls13,
    Quic,
}

impl Transport {
    pub fn of(config: &Config) -> Self {
        match (config.proto, config.tls) {
            (Proto::H3, _) => Transport::Quic,
            (_, TlsVersion::V12) => Transport::Tls12,
            (_, TlsVersion::V13) => Transport::Tls13,
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Whether a resumed connection may send its first request before the handshake ends.
    pub fn has_zero_rtt(self) -> bool {
        self != Transport::Tls12
    }
}

/// Round trips a new connection spends before its first request may leave: the transport's
/// own handshake (TCP's, or QUIC's, which carries TLS inside it) and TLS's over TCP. See the
/// table in the module documentation.
pub fn handshake_round_trips(transport: Transport, resumed: bool, zero_rtt: bool) -> (u32, u32) {
    let early = resumed && zero_rtt && transport.has_zero_rtt();
    match transport {
        Transport::Tls12 if resumed => (1, 1),
        Transport::Tls12 => (1, 2),
        Transport::Tls13 => (1, u32::from(!early)),
        Transport::Quic => (u32::from(!early), 0),
    }
}

/// The links a load's messages travel, each with its own round trip (and jitter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Link {
    /// Browser ↔ its recursive resolver.
    Resolver,
    /// Resolver ↔ a root, TLD or authoritative name server.
    NameServers,
    /// Browser ↔ CDN edge.
    Edge,
    /// CDN edge ↔ the origin's load balancer.
    Origin,
    /// Inside the origin's region: load balancer ↔ service, service ↔ cache.
    Region,
    /// Service ↔ database, in the region or in another one.
    Database,
}

impl Link {
    /// Its round trip in the settings, before jitter.
    pub fn base_ms(self, config: &Config) -> u32 {
        match self {
            Link::Resolver => config.dns_rtt_ms,
            Link::NameServers => config.ns_rtt_ms,
            Link::Edge => config.rtt_ms,
            Link::Origin => config.origin_rtt_ms,
            Link::Region => config.dc_rtt_ms,
            Link::Database if config.cross_region => config.cross_rtt_ms,
            Link::Database => config.dc_rtt_ms,
        }
    }
}

/// A load's jitter: one draw per link, from -1000 to 1000, made when the load is made whatever
/// the settings, so two settings compared for the same load see the same network. The jitter
/// setting scales it when the load is planned: at ±`jitter`%, every round trip on a link in
/// that load is its setting times 1 + draw × jitter / 100 000.
pub type Jitter = [i16; 6];

/// No jitter.
pub const STEADY: Jitter = [0; 6];

/// A link's round trip in this load, in whole ms (rounded half up): the setting scaled by its
/// jitter, never below 1 ms unless the setting is 0.
pub fn round_trip_ms(config: &Config, jitter: &Jitter, link: Link) -> u32 {
    let base = u64::from(link.base_ms(config));
    let draw = i64::from(jitter[link as usize].clamp(-1000, 1000));
    let permille = (1000 + draw * i64::from(config.jitter_pct.min(100)) / 100) as u64;
    let scaled = (base * permille + 500) / 1000;
    if base == 0 {
        0
    } else {
        (scaled as u32).max(1)
    }
}

/// What a phase of the load is doing. The main request's phases run one after another; the
/// sub-resources' own handshakes and fetches (`Fetch`) run inside the `Assets` phase, on lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The browser's query on its way to the resolver.
    DnsQuery,
    /// The resolver asks a root, a `.com` and the site's name server: three round trips.
    DnsWalk,
    /// The answer on its way back to the browser.
    DnsAnswer,
    /// TCP's three-way handshake: one round trip.
    Tcp,
    /// TLS over TCP: `round_trips` of them; `resumed` with a session ticket.
    Tls { round_trips: u8, resumed: bool },
    /// QUIC's handshake, TLS 1.3 inside it: one round trip.
    Quic { resumed: bool },
    /// The page's request on its way to the edge; `early` when it rides the first handshake
    /// flight as 0-RTT data.
    Request { early: bool },
    /// A CDN miss: the request on its way from the edge to the origin's load balancer…
    ToOrigin,
    /// …and on to a service instance.
    ToService,
    /// The service's own work.
    Service,
    /// The service asks its cache: a round trip.
    Cache,
    /// A database query (numbered from 0): its round trip with the database's work between.
    Query { index: u8 },
    /// The page on its way back: service to load balancer, load balancer to edge…
    FromService,
    FromOrigin,
    /// …and from the edge to the browser.
    Response,
    /// The sub-resources: from the page's arrival to the last one's.
    Assets,
    /// One sub-resource's request and response, on a lane.
    Fetch { asset: u8 },
}

/// The waterfall's rows, top to bottom: where the time of each step is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    Dns,
    Connect,
    Tls,
    Edge,
    Origin,
    Service,
    Cache,
    Database,
    Assets,
}

impl Row {
    pub const ALL: [Row; 9] = [Row::Dns, Row::Connect, Row::Tls, Row::Edge, Row::Origin, Row::Service, Row::Cache, Row::Database, Row::Assets];
}

impl Step {
    /// The waterfall row a phase of this step is drawn on.
    pub fn row(self) -> Row {
        match self {
            Step::DnsQuery | Step::DnsWalk | Step::DnsAnswer => Row::Dns,
            Step::Tcp | Step::Quic { .. } => Row::Connect,
            Step::Tls { .. } => Row::Tls,
            Step::Request { .. } | Step::Response => Row::Edge,
            Step::ToOrigin | Step::ToService | Step::FromService | Step::FromOrigin => Row::Origin,
            Step::Service => Row::Service,
            Step::Cache => Row::Cache,
            Step::Query { .. } => Row::Database,
            Step::Assets | Step::Fetch { .. } => Row::Assets,
        }
    }

    /// Whether the step is part of setting up a connection (DNS and the handshakes).
    pub fn is_setup(self) -> bool {
        matches!(self.row(), Row::Dns | Row::Connect | Row::Tls)
    }
}

/// A stretch of the load, in ms from its start: `[start, end)`. `wire` is the part spent
/// travelling (the rest, of a query, is the database's work; all of a service's is work).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phase {
    pub step: Step,
    pub start: u32,
    pub end: u32,
    pub wire: u32,
}

impl Phase {
    pub fn duration(&self) -> u32 {
        self.end - self.start
    }
}

/// A connection that fetches sub-resources: its handshakes, if it is new, then its fetches one
/// after another (HTTP/1.1), or every fetch at once on the one connection (HTTP/2 and HTTP/3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lane {
    pub phases: Vec<Phase>,
}

impl Lane {
    /// When its last fetch arrives.
    pub fn finish(&self) -> u32 {
        self.phases.last().map_or(0, |phase| phase.end)
    }
}

/// The connections a load leaves open to the edge: their protocol and how many there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pool {
    pub proto: Proto,
    pub transport: Transport,
    pub connections: u8,
}

/// What the browser keeps from one load to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Browser {
    /// The connections the last load used. Keep-alive decides whether the next load finds them
    /// open: the setting describes the next load, so flipping it acts at once.
    pub pool: Option<Pool>,
    /// A session ticket for each transport, from any earlier handshake of it.
    pub tickets: [bool; 3],
}

impl Browser {
    pub fn has_ticket(&self, transport: Transport) -> bool {
        self.tickets[transport.index()]
    }

    /// The connections the next load may use at once: those left open, if keep-alive holds
    /// them and they speak the protocol it wants.
    pub fn reusable(&self, config: &Config) -> u32 {
        match self.pool {
            Some(pool) if config.keep_alive && pool.proto == config.proto && pool.transport == Transport::of(config) => u32::from(pool.connections),
            _ => 0,
        }
    }
}

/// A page load worked out: its waterfall and what the browser holds after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The main request's phases, back to back from 0 to `total` (the last one, `Assets`, when
    /// the page has sub-resources).
    pub phases: Vec<Phase>,
    /// The sub-resources' connections, inside the `Assets` phase.
    pub lanes: Vec<Lane>,
    pub total: u32,
    /// When the page itself has arrived (time to its last byte, before the sub-resources).
    pub page_ms: u32,
    /// Whether the page went over a connection left open by the last load.
    pub reused: bool,
    pub after: Browser,
}

impl Plan {
    /// The phase under way at `elapsed` ms into the load, if any.
    pub fn phase_at(&self, elapsed: u32) -> Option<&Phase> {
        self.phases.iter().find(|phase| phase.start <= elapsed && elapsed < phase.end)
    }

    /// The time a row's phases take in all (the sub-resources' row: the `Assets` phase).
    pub fn row_ms(&self, row: Row) -> u32 {
        self.phases.iter().filter(|phase| phase.step.row() == row).map(Phase::duration).sum()
    }

    /// Time spent on DNS and the main connection's handshakes.
    pub fn setup_ms(&self) -> u32 {
        self.phases.iter().filter(|phase| phase.step.is_setup()).map(Phase::duration).sum()
    }

    /// Round trips the main connection spent on its transport and TLS handshakes.
    pub fn handshake_round_trips(&self) -> u32 {
        self.phases
            .iter()
            .map(|phase| match phase.step {
                Step::Tcp | Step::Quic { .. } => 1,
                Step::Tls { round_trips, .. } => u32::from(round_trips),
                _ => 0,
            })
            .sum()
    }

    /// New connections the sub-resources opened (each with its own handshakes).
    pub fn new_lanes(&self) -> usize {
        self.lanes.iter().filter(|lane| lane.phases.first().is_some_and(|phase| phase.step.is_setup())).count()
    }
}

/// Writes phases back to back from a start time, skipping empty ones.
struct Track {
    phases: Vec<Phase>,
    now: u32,
}

impl Track {
    fn at(now: u32) -> Self {
        Self { phases: Vec::new(), now }
    }

    fn push(&mut self, step: Step, duration: u32, wire: u32) {
        if duration > 0 {
            self.phases.push(Phase { step, start: self.now, end: self.now + duration, wire });
            self.now += duration;
        }
    }

    /// A stretch that is all travel.
    fn travel(&mut self, step: Step, duration: u32) {
        self.push(step, duration, duration);
    }

    /// A new connection's handshakes: the transport's, then TLS's.
    fn handshake(&mut self, new: Handshake) {
        let (connect, tls) = handshake_round_trips(new.transport, new.resumed, new.zero_rtt);
        let connect_step = if new.transport == Transport::Quic { Step::Quic { resumed: new.resumed } } else { Step::Tcp };
        self.travel(connect_step, connect * new.rtt);
        self.travel(Step::Tls { round_trips: tls as u8, resumed: new.resumed }, tls * new.rtt);
    }
}

/// How a new connection to the edge starts: its transport, whether it holds a ticket, whether
/// 0-RTT is on, and the round trip its handshakes take.
#[derive(Debug, Clone, Copy)]
struct Handshake {
    transport: Transport,
    resumed: bool,
    zero_rtt: bool,
    rtt: u32,
}

/// Works out one page load (see the module documentation).
pub fn plan(config: &Config, before: &Browser, jitter: &Jitter) -> Plan {
    let rtt = |link| round_trip_ms(config, jitter, link);
    let edge = rtt(Link::Edge);
    let transport = Transport::of(config);
    let mut tickets = before.tickets;
    let reusable = before.reusable(config);
    let mut main = Track::at(0);
    let mut early = false;
    if reusable == 0 {
        // A new connection: find the address, then shake hands.
        let resolver = rtt(Link::Resolver);
        match config.dns {
            DnsAnswer::Browser => {}
            DnsAnswer::Resolver | DnsAnswer::Walk => {
                main.travel(Step::DnsQuery, resolver / 2);
                if config.dns == DnsAnswer::Walk {
                    main.travel(Step::DnsWalk, 3 * rtt(Link::NameServers));
                }
                main.travel(Step::DnsAnswer, resolver - resolver / 2);
            }
        }
        let resumed = tickets[transport.index()];
        main.handshake(Handshake { transport, resumed, zero_rtt: config.zero_rtt, rtt: edge });
        early = resumed && config.zero_rtt && transport.has_zero_rtt();
        tickets[transport.index()] = true;
    }
    main.travel(Step::Request { early }, edge / 2);
    if !config.cdn_hit {
        let (origin, region, database) = (rtt(Link::Origin), rtt(Link::Region), rtt(Link::Database));
        main.travel(Step::ToOrigin, origin / 2);
        main.travel(Step::ToService, region / 2);
        main.push(Step::Service, config.service_ms, 0);
        main.travel(Step::Cache, region);
        if !config.cache_hit {
            for index in 0..config.queries.min(MAX_QUERIES as u32) {
                main.push(Step::Query { index: index as u8 }, database + config.query_ms, database);
            }
        }
        main.travel(Step::FromService, region - region / 2);
        main.travel(Step::FromOrigin, origin - origin / 2);
    }
    main.travel(Step::Response, edge - edge / 2);
    let page_ms = main.now;
    // The sub-resources' new connections resume with the ticket the page's connection had or got.
    let resumed = tickets[transport.index()];
    let lanes = fetch_assets(config, page_ms, reusable, Handshake { transport, resumed, zero_rtt: config.zero_rtt, rtt: edge });
    let finish = lanes.iter().map(Lane::finish).max().unwrap_or(page_ms);
    main.push(Step::Assets, finish - page_ms, 0);
    let connections = if config.proto.multiplexed() { 1 } else { reusable.max(lanes.len() as u32).max(1) };
    let after = Browser { pool: Some(Pool { proto: config.proto, transport, connections: connections as u8 }), tickets };
    Plan { total: main.now, phases: main.phases, lanes, page_ms, reused: reusable > 0, after }
}

/// The sub-resources, all requested when the page arrives at `start`. HTTP/2 and HTTP/3 send
/// them together on the page's connection: each arrives one round trip later (bandwidth is not
/// modelled). HTTP/1.1 sends one request at a time per connection: the page's connection is
/// free at once, the others left open by keep-alive too, and the browser opens new ones (each
/// with its own handshakes, resumed with the ticket the page's connection just got) up to six
/// in all; each request goes to whichever connection is free first, in order. A new connection
/// that would get no request is not counted (a browser would open it and find the queue empty).
fn fetch_assets(config: &Config, start: u32, reusable: u32, new: Handshake) -> Vec<Lane> {
    let edge = new.rtt;
    let assets = config.assets.min(MAX_ASSETS as u32) as usize;
    if assets == 0 {
        return Vec::new();
    }
    if config.proto.multiplexed() {
        let fetches = (0..assets).map(|asset| Phase { step: Step::Fetch { asset: asset as u8 }, start, end: start + edge, wire: edge }).collect();
        return vec![Lane { phases: fetches }];
    }
    let mut lanes: Vec<Track> = (0..MAX_H1_CONNECTIONS.min(assets))
        .map(|index| {
            let mut lane = Track::at(start);
            if index > 0 && index as u32 >= reusable {
                lane.handshake(new);
            }
            lane
        })
        .collect();
    for asset in 0..assets {
        // The first connection free takes the next request (the lowest on a tie).
        let Some(lane) = lanes.iter_mut().min_by_key(|lane| lane.now) else { break };
        lane.travel(Step::Fetch { asset: asset as u8 }, edge);
    }
    lanes.into_iter().filter(|lane| lane.phases.iter().any(|phase| matches!(phase.step, Step::Fetch { .. }))).map(|lane| Lane { phases: lane.phases }).collect()
}
