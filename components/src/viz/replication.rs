//! Leader-follower replication and its lag, after Kleppmann, "Designing Data-Intensive
//! Applications", chapter 5: one leader takes every write and streams its log to 1 to 4
//! followers, each applying it some time later. Four users post questions and answers to one
//! thread and load the thread's page from the followers, so a reader watches the lag turn into
//! anomalies (a user's own post missing, posts vanishing between two loads, an answer shown
//! without its question), switches the read guarantees that prevent each, chooses what the
//! leader waits for before it says OK (asynchronous, semi-synchronous, synchronous) and pays for
//! it in write latency, then kills the leader and counts the acknowledged writes that die with it.
//!
//! For the view: drive it with `Timeline<Replication>` (parameters `REPLICATION_PARAMS`, actions
//! `Action`, `REPLICATION_TICKS_PER_SECOND`, `REPLICATION_LIMIT`); draw `stage::stage`; read
//! `settings()` for the live controls (mode, guarantees, lag, rates: each an `Action`, so every
//! control acts on the running cluster), `nodes()` / `leader()` / `behind_ms()` / `pending()` for
//! the replicas, `latencies(mode)` for the p50 and p99 of write acknowledgement under each mode
//! (`Latencies::percentile`, ms), `counts()` for writes, anomalies and losses, `series()` for
//! each follower's lag over time (one `Sample` every 100 ms; `Series::points(node, n)`), and
//! `narrate()` for the live region.
//!
//! **Time.** One tick is one simulated millisecond. The app plays
//! [`REPLICATION_TICKS_PER_SECOND`] = 100 ticks a second at 1×: ten times slower than real
//! time, so a write's trip to the leader (30 ms) takes a third of a second to watch, and its
//! copy reaching a follower 150 ms behind takes a second and a half.
//!
//! Model choices worth knowing:
//! - Every hop between a user and a node takes [`NET_MS`]; a follower's acknowledgement takes
//!   [`ACK_MS`] back to the leader. A follower applies an entry `lag × pace × slowdown` ms after
//!   the leader appended it, ± 20% (`JITTER`), where its pace is seeded between 0.6 and 1.4.
//!   The stream to each follower is in order: an entry never overtakes an earlier one, so a
//!   follower's log is always a prefix of the leader's (stored as a length, not a copy).
//! - A follower acknowledges an entry once it has applied it, so it is visible to reads there,
//!   as PostgreSQL's `synchronous_commit = remote_apply` waits for (PostgreSQL manual, "Server
//!   Configuration: Write Ahead Log", `synchronous_commit`). MySQL's semi-synchronous
//!   replication waits only for a replica to acknowledge receipt, before applying, and falls
//!   back to asynchronous replication after `rpl_semi_sync_source_timeout`, 10,000 ms by
//!   default (MySQL 8.4 Reference Manual, 19.4.10.2); neither is modelled here.
//! - Asynchronous: the leader says OK once the write is in its log. Semi-synchronous: once one
//!   follower has acknowledged it. Synchronous: once every follower has. With no follower left,
//!   every mode says OK at once. A write is acknowledged under the mode in force when the leader
//!   appended it. For the comparison, every write's acknowledgement time is also recorded under
//!   all three rules (`latencies`): the same writes, the same copies, only the wait differs.
//! - Reads: a page is two queries, the questions and the answers, sent at once through the
//!   router, each to a follower picked at random (to the leader when no follower qualifies).
//!   Both are answered on arrival, from the replica's state at that tick. Each anomaly is
//!   detected by comparing the page with what the user had been told or had seen:
//!   read-your-writes, the user's own acknowledged post missing; monotonic reads, fewer
//!   questions or answers than the user saw on an earlier page; consistent prefix, an answer
//!   shown whose question is not. A guarantee, when on, routes so that its anomaly cannot happen.
//! - The reader adds followers (restored from a snapshot of the leader, up to five nodes in
//!   all, dead ones included) and removes them; each has its own seeded pace.
//! - Failing the leader promotes a follower (the most up-to-date unless the reader names one).
//!   The log becomes the promoted follower's: the old leader's entries beyond it are lost,
//!   counted as acknowledged (the client was told OK) or not. Writes on their way to the dead
//!   leader are refused; those waiting there for their OK fail. Followers ahead of the one
//!   promoted throw their extra entries away. The dead node keeps what only it had until it
//!   rejoins as a follower, when that is thrown away (counted as discarded).
//! - Each user's page loads (and the positions it carries for the guarantees) are its own; a
//!   write or post lost at a failover no longer counts as something the user should see.

use std::collections::VecDeque;

use crate::sim::histogram::Buckets;
use crate::sim::series::Sampled;
use crate::sim::{Params, SimRng, Simulation};

mod controls;
pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;

pub use controls::{Action, Config, Guarantee, Guarantees, Mode, Settings, LAG_MAX, LAG_MIN, MAX_READ_TENTHS, MAX_SLOW, MAX_WRITE_TENTHS, REPLICATION_PARAMS};

/// Simulated milliseconds per tick.
pub const TICK_MS: u32 = 1;
/// Ticks the app plays per second at 1×: a tenth of real time (see the module documentation).
pub const REPLICATION_TICKS_PER_SECOND: f64 = 100.0;
/// One simulated minute, ten real minutes at 1×. Every keyframe holds the part of the log some
/// node still lacks; a node dead for the whole run at the highest write rate pins 600 entries.
pub const REPLICATION_LIMIT: u64 = 60_000;
/// One way between a user and any node, through the router for reads.
pub const NET_MS: u64 = 30;
/// A follower's acknowledgement back to the leader.
pub const ACK_MS: u64 = 10;
/// A leader and up to four followers (dead nodes keep their place until they rejoin or leave).
pub const MAX_NODES: usize = 5;
/// The most entries one shipment carries, so a follower catching up gets a few large messages.
pub const MAX_BATCH: u32 = 64;
/// A shipment's delay varies by this share either way.
pub const JITTER: f64 = 0.2;
/// The users, all posting to the same thread.
pub const USERS: usize = 4;
/// The share of posts that open a new question (the rest answer the latest one).
pub const QUESTION_SHARE: f64 = 0.4;
/// One sample every `SAMPLE_TICKS`; a run's worth kept.
pub const SAMPLE_TICKS: u64 = 100;
pub const MAX_SAMPLES: usize = 600;
/// How long something the reader did stays the narration before the model's own news.
const NARRATE_TICKS: u64 = 300;

/// A user's name and the words that refer back to them, for the narration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person {
    pub name: &'static str,
    pub possessive: &'static str,
    pub subject: &'static str,
}

pub const PEOPLE: [Person; USERS] = [
    Person { name: "Alice", possessive: "her", subject: "she" },
    Person { name: "Bob", possessive: "his", subject: "he" },
    Person { name: "Carol", possessive: "her", subject: "she" },
    Person { name: "Dan", possessive: "his", subject: "he" },
];

/// A node's name as drawn and told: db1 to db5.
pub fn name(node: usize) -> String {
    format!("db{}", node + 1)
}

/// Latency buckets for write acknowledgements: the async OK (60 ms) sits on a bound.
pub struct LatencyBuckets;
pub const BUCKETS: usize = 33;
impl Buckets<BUCKETS> for LatencyBuckets {
    const BOUNDS_MS: [u32; BUCKETS] = [
        10, 20, 30, 40, 50, 60, 70, 80, 100, 120, 150, 200, 250, 300, 400, 500, 600, 800, 1_000, 1_200, 1_500, 2_000, 2_500, 3_000, 4_000, 5_000, 6_000, 8_000, 10_000, 15_000, 20_000, 30_000, 60_000,
    ];
}
pub type Latencies = crate::sim::histogram::Histogram<LatencyBuckets, BUCKETS>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Leader,
    Follower,
    /// Dead: it was the leader when it failed.
    Down,
    /// Not in the cluster (never added, or removed).
    Absent,
}

/// A post: a question, or an answer to the latest question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Question,
    Answer,
}

impl Kind {
    pub fn word(self) -> &'static str {
        match self {
            Kind::Question => "question",
            Kind::Answer => "answer",
        }
    }
}

/// One replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub role: Role,
    /// How much of the leader's log it has applied: positions 1 to `len`, always a prefix.
    pub len: u32,
    /// Entries only this dead node holds: appended while it led, never copied before it died.
    pub extra: u32,
    /// How many times slower than its pace it replicates (1: normal).
    pub speed: u8,
    /// Its own pace, in thousandths of the mean lag (600 to 1,400), seeded.
    pub pace: u16,
    /// The leader's bookkeeping for it: shipped up to, heard acknowledgements up to, and when
    /// the last shipment arrives (the stream keeps its order).
    shipped: u32,
    acked: u32,
    stream_end: u64,
}

impl Node {
    /// Whether it answers reads (and, for the leader, writes).
    pub fn serving(&self) -> bool {
        matches!(self.role, Role::Leader | Role::Follower)
    }

    /// Its mean delay now, in ms, for a lag of `lag_ms`.
    pub fn mean_delay_ms(&self, lag_ms: u16) -> f64 {
        f64::from(lag_ms) * f64::from(self.pace) / 1000.0 * f64::from(self.speed.max(1))
    }
}

/// One entry of the leader's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// The write's number, unique across the run (positions are reused after a failover).
    pub id: u32,
    /// The tick the leader appended it.
    pub at: u32,
    /// The position of the latest question at or before it (its own, for a question): the
    /// question an answer answers.
    pub cause: u32,
    /// Questions at or before it.
    pub questions: u32,
    pub user: u8,
    pub kind: Kind,
    /// The mode its OK waits under.
    pub mode: Mode,
    /// Whether the leader has told the client OK.
    pub acked: bool,
}

/// Log entries on their way from the leader to a follower.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ship {
    pub to: u8,
    pub first: u32,
    pub last: u32,
    pub sent: u64,
    pub arrives: u64,
}

/// A follower's acknowledgement on its way to the leader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ack {
    pub from: u8,
    pub upto: u32,
    pub sent: u64,
    pub arrives: u64,
}

/// A message between a user and a node (writes go to the node, the rest come back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trip {
    pub user: u8,
    pub node: u8,
    pub sent: u64,
    pub arrives: u64,
    pub kind: TripKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TripKind {
    /// A post on its way to the leader.
    Write(Kind),
    /// The leader's OK on its way back; `void` once the write was lost at a failover.
    Ok { id: u32, pos: u32, kind: Kind, void: bool },
    /// A dead node's refusal of a write or a read.
    Refused { read: bool },
    /// Half a page coming back, `stale` when it broke something the user could expect.
    Reply { stale: bool },
}

/// What a user has been told and has seen, carried by each page load for the guarantees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Session {
    /// Positions of the user's latest acknowledged question and answer (0: none).
    pub own_question: u32,
    pub own_answer: u32,
    /// The most questions and answers the user has seen on a page.
    pub seen_questions: u32,
    pub seen_answers: u32,
    /// The newest log position a page of theirs came from.
    pub seen_pos: u32,
}

/// A page load on its way: the questions query to `targets[0]`, the answers to `targets[1]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    pub user: u8,
    pub targets: [u8; 2],
    pub sent: u64,
    pub arrives: u64,
    pub expect: Session,
}

/// A write in the leader's log still waiting for its OK, or for the comparison's timings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pending {
    pos: u32,
    id: u32,
    user: u8,
    kind: Kind,
    sent: u64,
    mode: Mode,
    okayed: bool,
    /// Whether the first follower, and every follower, has acknowledged it.
    semi: bool,
    sync: bool,
}

/// Everything counted since the start; every count only grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Posts sent by users.
    pub writes: u32,
    /// Posts the leader told OK.
    pub acknowledged: u32,
    /// Posts that reached a dead node and were refused.
    pub refused: u32,
    /// Posts in the dead leader's log still waiting for their OK when it died.
    pub unanswered: u32,
    /// Acknowledged posts lost at a failover, by the mode they were acknowledged under.
    pub lost_acknowledged: [u32; 3],
    /// Posts lost at a failover before the client was told anything.
    pub lost_unacknowledged: u32,
    /// Entries thrown away by a node: followers ahead of the one promoted, dead nodes on rejoin.
    pub discarded: u32,
    pub failovers: u32,
    pub reads: u32,
    /// Page loads with a query sent to the leader because no follower qualified.
    pub reads_from_leader: u32,
    /// Page loads with a query sent to a node that died on the way.
    pub reads_failed: u32,
    /// Page loads that broke each guarantee, in `Guarantee::ALL` order.
    pub stale: [u32; 3],
}

impl Counts {
    pub fn lost_acknowledged_total(&self) -> u32 {
        self.lost_acknowledged.iter().sum()
    }

    pub fn stale_total(&self) -> u32 {
        self.stale.iter().sum()
    }
}

/// How far behind each follower is, every `SAMPLE_TICKS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Sample {
    pub tick: u32,
    /// Per node: ms behind the leader while it follows, else `None`.
    pub behind_ms: [Option<u32>; MAX_NODES],
}

impl Sampled for Sample {
    /// A node's slot: how far behind it is.
    type Metric = usize;
    fn time_seconds(&self) -> f64 {
        f64::from(self.tick) * f64::from(TICK_MS) / 1000.0
    }
    fn value(&self, node: usize) -> f64 {
        self.behind_ms.get(node).copied().flatten().map_or(f64::NAN, f64::from)
    }
}

pub type Series = crate::sim::series::Series<Sample, MAX_SAMPLES>;

/// Something worth telling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    Started,
    Acted(Action),
    Ignored(&'static str),
    Failover { old: u8, new: u8, chosen: bool, lost_acked: u32, lost_unacked: u32, unanswered: u32 },
    Rejoined { node: u8, discarded: u32 },
    Added { node: u8 },
    Removed { node: u8, discarded: u32 },
    OwnWriteMissing { user: u8, node: u8, behind_ms: u32, kind: Kind },
    WentBack { user: u8, node: u8, behind_ms: u32, vanished: u32 },
    OutOfOrder { user: u8, questions: u8, answers: u8, author: u8 },
}

impl Event {
    /// The reader's own doing, which the model's news does not talk over for a while. The
    /// opening words give way to the first news, and a post or a page load the reader asks for
    /// is told by what comes of it.
    fn holds(self) -> bool {
        !matches!(self, Event::Started | Event::OwnWriteMissing { .. } | Event::WentBack { .. } | Event::OutOfOrder { .. } | Event::Acted(Action::Post(_) | Action::Read(_)))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Replication {
    config: Config,
    settings: Settings,
    tick: u64,
    /// Apart, so that changing one rate, the routing or the lag leaves the other draws alone.
    writes_rng: SimRng,
    reads_rng: SimRng,
    network: SimRng,
    router: SimRng,
    nodes: [Node; MAX_NODES],
    leader: u8,
    epoch: u32,
    /// The leader's log from position `base + 1`: what every node has is dropped.
    log: VecDeque<Entry>,
    base: u32,
    /// `questions` and `cause` of the entry at `base` (0 at the start).
    base_questions: u32,
    base_cause: u32,
    next_id: u32,
    ships: Vec<Ship>,
    acks: Vec<Ack>,
    trips: Vec<Trip>,
    reads: Vec<Read>,
    pending: VecDeque<Pending>,
    sessions: [Session; USERS],
    latencies: [Latencies; 3],
    counts: Counts,
    series: Series,
    event: (u64, Event),
}

impl Replication {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        let mut setup = SimRng::new(seed ^ 0x7E91_1CA7_10F0_0001);
        let mut nodes = [Node { role: Role::Absent, len: 0, extra: 0, speed: 1, pace: 1000, shipped: 0, acked: 0, stream_end: 0 }; MAX_NODES];
        for (slot, node) in nodes.iter_mut().enumerate() {
            node.pace = 600 + setup.below(801) as u16;
            node.role = match slot {
                0 => Role::Leader,
                _ if slot <= config.followers => Role::Follower,
                _ => Role::Absent,
            };
        }
        nodes[config.followers.clamp(1, MAX_NODES - 1)].speed = config.slow.clamp(1, MAX_SLOW);
        Self {
            config,
            settings: config.settings,
            tick: 0,
            writes_rng: SimRng::new(seed),
            reads_rng: SimRng::new(seed ^ 0x5EAD_5EAD_0000_0002),
            network: SimRng::new(seed ^ 0x0E70_0E70_0000_0003),
            router: SimRng::new(seed ^ 0x4007_E400_0000_0004),
            nodes,
            leader: 0,
            epoch: 1,
            log: VecDeque::new(),
            base: 0,
            base_questions: 0,
            base_cause: 0,
            next_id: 0,
            ships: Vec::new(),
            acks: Vec::new(),
            trips: Vec::new(),
            reads: Vec::new(),
            pending: VecDeque::new(),
            sessions: [Session::default(); USERS],
            latencies: [Latencies::default(); 3],
            counts: Counts::default(),
            series: Series::default(),
            event: (0, Event::Started),
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The mode, guarantees, lag and rates in force now.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn time_ms(&self) -> u64 {
        self.tick * u64::from(TICK_MS)
    }

    /// Every slot, present or not.
    pub fn nodes(&self) -> &[Node; MAX_NODES] {
        &self.nodes
    }

    pub fn leader(&self) -> usize {
        usize::from(self.leader)
    }

    /// Starts at 1 and grows by one at each failover.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }

    /// The slots of the followers, in order.
    pub fn followers(&self) -> impl Iterator<Item = usize> + '_ {
        (0..MAX_NODES).filter(|slot| self.nodes[*slot].role == Role::Follower)
    }

    /// Entries in the leader's log.
    pub fn log_len(&self) -> u32 {
        self.base + self.log.len() as u32
    }

    /// Positions up to here are held by every node and no longer kept.
    pub fn log_base(&self) -> u32 {
        self.base
    }

    /// The entry at a position, if it is still kept (above `log_base`).
    pub fn entry(&self, pos: u32) -> Option<&Entry> {
        pos.checked_sub(self.base + 1).and_then(|at| self.log.get(at as usize))
    }

    /// Entries the leader has that the node has not applied.
    pub fn pending(&self, node: usize) -> u32 {
        self.nodes.get(node).filter(|node| node.serving()).map_or(0, |node| self.log_len().saturating_sub(node.len))
    }

    /// How long ago the leader appended the oldest entry a serving node lacks, in ms (0 when it
    /// has everything): how far behind the leader it is in time.
    pub fn behind_ms(&self, node: usize) -> u32 {
        let Some(node) = self.nodes.get(node).filter(|node| node.serving()) else { return 0 };
        self.entry(node.len + 1).map_or(0, |oldest| (self.tick as u32).saturating_sub(oldest.at) * TICK_MS)
    }

    /// Every write's acknowledgement time under `mode`'s rule, from the user's send to the OK's
    /// arrival (ms).
    pub fn latencies(&self, mode: Mode) -> &Latencies {
        &self.latencies[mode.index()]
    }

    pub fn counts(&self) -> &Counts {
        &self.counts
    }

    pub fn series(&self) -> &Series {
        &self.series
    }

    pub fn ships(&self) -> &[Ship] {
        &self.ships
    }

    pub fn acks(&self) -> &[Ack] {
        &self.acks
    }

    pub fn trips(&self) -> &[Trip] {
        &self.trips
    }

    pub fn reads(&self) -> &[Read] {
        &self.reads
    }

    pub fn sessions(&self) -> &[Session; USERS] {
        &self.sessions
    }

    /// How far along its way something sent at `sent` and due at `arrives` is, 0 to 1.
    pub fn progress(&self, sent: u64, arrives: u64) -> f32 {
        let total = arrives.saturating_sub(sent).max(1);
        (self.tick.saturating_sub(sent) as f32 / total as f32).clamp(0.0, 1.0)
    }

    /// Questions among the first `pos` entries; `pos` is at least `log_base` (a node's length).
    fn questions_at(&self, pos: u32) -> u32 {
        self.entry(pos).map_or(self.base_questions, |entry| entry.questions)
    }

    /// The latest question at or before `pos` (at least `log_base`), 0 for none.
    fn question_at(&self, pos: u32) -> u32 {
        self.entry(pos).map_or(self.base_cause, |entry| entry.cause)
    }

    // ---- Writes ------------------------------------------------------------------------------

    fn send_write(&mut self, user: u8, kind: Kind) {
        self.counts.writes += 1;
        self.trips.push(Trip { user, node: self.leader, sent: self.tick, arrives: self.tick + NET_MS, kind: TripKind::Write(kind) });
    }

    /// The leader appends a post; an answer with no question to answer opens one instead.
    fn append(&mut self, user: u8, kind: Kind, sent: u64) {
        let pos = self.log_len() + 1;
        let latest = self.question_at(pos - 1);
        let kind = if latest == 0 { Kind::Question } else { kind };
        let (cause, questions) = match kind {
            Kind::Question => (pos, self.questions_at(pos - 1) + 1),
            Kind::Answer => (latest, self.questions_at(pos - 1)),
        };
        let id = self.next_id;
        self.next_id += 1;
        let mode = self.settings.mode;
        self.log.push_back(Entry { id, at: self.tick as u32, cause, questions, user, kind, mode, acked: false });
        self.nodes[self.leader()].len = pos;
        self.record(Mode::Async, sent);
        self.pending.push_back(Pending { pos, id, user, kind, sent, mode, okayed: false, semi: false, sync: false });
    }

    /// Records the time a write sent at `sent` would take to be acknowledged now under `mode`.
    fn record(&mut self, mode: Mode, sent: u64) {
        let ms = (self.tick - sent + NET_MS) * u64::from(TICK_MS);
        self.latencies[mode.index()].record(ms.min(u64::from(u32::MAX)) as u32);
    }

    /// The leader's OKs: each waiting write whose rule is met is acknowledged, and the
    /// comparison's timings are recorded as each rule is met.
    fn settle(&mut self) {
        // The furthest and the least far any follower is known to have applied (with none,
        // every rule is met at once).
        let (furthest, least) = self.followers().map(|slot| self.nodes[slot].acked).fold((None, u32::MAX), |(most, least), upto| (Some(most.unwrap_or(0).max(upto)), least.min(upto)));
        for index in 0..self.pending.len() {
            let waiting = self.pending[index];
            let first = furthest.is_none_or(|upto| upto >= waiting.pos);
            let every = least >= waiting.pos;
            if first && !waiting.semi {
                self.pending[index].semi = true;
                self.record(Mode::Semi, waiting.sent);
            }
            if every && !waiting.sync {
                self.pending[index].sync = true;
                self.record(Mode::Sync, waiting.sent);
            }
            let due = match waiting.mode {
                Mode::Async => true,
                Mode::Semi => first,
                Mode::Sync => every,
            };
            if due && !waiting.okayed {
                self.pending[index].okayed = true;
                self.acknowledge(waiting);
            }
        }
        self.pending.retain(|waiting| !(waiting.okayed && waiting.semi && waiting.sync));
    }

    fn acknowledge(&mut self, write: Pending) {
        if let Some(at) = write.pos.checked_sub(self.base + 1) {
            if let Some(entry) = self.log.get_mut(at as usize) {
                entry.acked = true;
            }
        }
        self.counts.acknowledged += 1;
        let kind = TripKind::Ok { id: write.id, pos: write.pos, kind: write.kind, void: false };
        self.trips.push(Trip { user: write.user, node: self.leader, sent: self.tick, arrives: self.tick + NET_MS, kind });
    }

    // ---- Replication -------------------------------------------------------------------------

    /// The leader ships what each follower has not been sent, in batches, in order.
    fn ship(&mut self) {
        let end = self.log_len();
        for slot in 0..MAX_NODES {
            while self.nodes[slot].role == Role::Follower && self.nodes[slot].shipped < end {
                let first = self.nodes[slot].shipped + 1;
                let last = end.min(first + MAX_BATCH - 1);
                let mean = self.nodes[slot].mean_delay_ms(self.settings.lag_ms);
                let delay = (mean * (1.0 - JITTER + 2.0 * JITTER * self.network.next_f64()) / f64::from(TICK_MS)).round().max(1.0) as u64;
                let node = &mut self.nodes[slot];
                let arrives = (self.tick + delay).max(node.stream_end);
                node.stream_end = arrives;
                node.shipped = last;
                self.ships.push(Ship { to: slot as u8, first, last, sent: self.tick, arrives });
            }
        }
    }

    /// Shipments due are applied in order, and acknowledged.
    fn deliver_ships(&mut self) {
        if !self.ships.iter().any(|ship| ship.arrives <= self.tick) {
            return;
        }
        let now = self.tick;
        let (due, travelling): (Vec<Ship>, Vec<Ship>) = std::mem::take(&mut self.ships).into_iter().partition(|ship| ship.arrives <= now);
        self.ships = travelling;
        for ship in due {
            let node = &mut self.nodes[usize::from(ship.to)];
            if node.role != Role::Follower {
                continue;
            }
            // The stream is in order and a failover drops what was on its way, so each
            // shipment starts right after what the follower has.
            if ship.first == node.len + 1 {
                node.len = ship.last;
                self.acks.push(Ack { from: ship.to, upto: ship.last, sent: now, arrives: now + ACK_MS });
            }
        }
    }

    fn deliver_acks(&mut self) {
        let now = self.tick;
        let nodes = &mut self.nodes;
        self.acks.retain(|ack| {
            if ack.arrives > now {
                return true;
            }
            let node = &mut nodes[usize::from(ack.from)];
            if node.role == Role::Follower {
                node.acked = node.acked.max(ack.upto);
            }
            false
        });
    }

    // ---- Users -------------------------------------------------------------------------------

    fn deliver_trips(&mut self) {
        if !self.trips.iter().any(|trip| trip.arrives <= self.tick) {
            return;
        }
        let now = self.tick;
        let (due, travelling): (Vec<Trip>, Vec<Trip>) = std::mem::take(&mut self.trips).into_iter().partition(|trip| trip.arrives <= now);
        self.trips = travelling;
        for trip in due {
            match trip.kind {
                TripKind::Write(kind) if usize::from(trip.node) == self.leader() => self.append(trip.user, kind, trip.sent),
                TripKind::Write(_) => {
                    self.counts.refused += 1;
                    self.refuse(trip.user, trip.node, false);
                }
                TripKind::Ok { pos, kind, void, .. } => {
                    if !void {
                        let session = &mut self.sessions[usize::from(trip.user)];
                        let own = if kind == Kind::Question { &mut session.own_question } else { &mut session.own_answer };
                        *own = (*own).max(pos);
                    }
                    // The user reloads the page to see the post.
                    self.send_read(trip.user);
                }
                TripKind::Refused { .. } | TripKind::Reply { .. } => {}
            }
        }
    }

    fn refuse(&mut self, user: u8, node: u8, read: bool) {
        self.trips.push(Trip { user, node, sent: self.tick, arrives: self.tick + NET_MS, kind: TripKind::Refused { read } });
    }

    /// A page load: the router picks where its two queries go, as the guarantees allow.
    fn send_read(&mut self, user: u8) {
        let expect = self.sessions[usize::from(user)];
        let guarantees = self.settings.guarantees;
        let mut need = 0;
        if guarantees.read_your_writes {
            need = expect.own_question.max(expect.own_answer);
        }
        if guarantees.monotonic {
            need = need.max(expect.seen_pos);
        }
        let questions = self.route(need);
        let answers = if guarantees.prefix { questions } else { self.route(need) };
        self.counts.reads += 1;
        if questions == self.leader || answers == self.leader {
            self.counts.reads_from_leader += 1;
        }
        self.reads.push(Read { user, targets: [questions, answers], sent: self.tick, arrives: self.tick + NET_MS, expect });
    }

    /// A follower at least `need` entries along, at random; the leader when there is none.
    fn route(&mut self, need: u32) -> u8 {
        let mut fit = [0u8; MAX_NODES];
        let mut count = 0;
        for slot in self.followers().filter(|slot| self.nodes[*slot].len >= need) {
            fit[count] = slot as u8;
            count += 1;
        }
        if count == 0 {
            self.leader
        } else {
            fit[self.router.below(count as u64) as usize]
        }
    }

    fn deliver_reads(&mut self) {
        if !self.reads.iter().any(|read| read.arrives <= self.tick) {
            return;
        }
        let now = self.tick;
        let (due, travelling): (Vec<Read>, Vec<Read>) = std::mem::take(&mut self.reads).into_iter().partition(|read| read.arrives <= now);
        self.reads = travelling;
        for read in due {
            self.serve(read);
        }
    }

    /// Both queries of a page are answered now, and the page is checked against what its user
    /// had been told and had seen.
    fn serve(&mut self, read: Read) {
        let [on_questions, on_answers] = read.targets;
        let (q_node, a_node) = (self.nodes[usize::from(on_questions)], self.nodes[usize::from(on_answers)]);
        if !q_node.serving() || !a_node.serving() {
            self.counts.reads_failed += 1;
            for (node, state) in [(on_questions, q_node), (on_answers, a_node)] {
                if state.serving() {
                    self.reply(read.user, node, false);
                } else {
                    self.refuse(read.user, node, true);
                }
            }
            return;
        }
        let (q_len, a_len) = (q_node.len, a_node.len);
        let questions = self.questions_at(q_len);
        let answers = a_len - self.questions_at(a_len);
        let expect = read.expect;
        let user = read.user;
        let own_question_missing = q_len < expect.own_question;
        let own_answer_missing = a_len < expect.own_answer;
        let vanished = expect.seen_questions.saturating_sub(questions) + expect.seen_answers.saturating_sub(answers);
        let orphan = self.orphan(q_len, a_len);
        if own_question_missing || own_answer_missing {
            self.counts.stale[Guarantee::ReadYourWrites.index()] += 1;
            let (node, kind) = if own_question_missing { (on_questions, Kind::Question) } else { (on_answers, Kind::Answer) };
            self.tell(Event::OwnWriteMissing { user, node, behind_ms: self.behind_ms(usize::from(node)), kind });
        }
        if vanished > 0 {
            self.counts.stale[Guarantee::Monotonic.index()] += 1;
            let node = if questions < expect.seen_questions { on_questions } else { on_answers };
            self.tell(Event::WentBack { user, node, behind_ms: self.behind_ms(usize::from(node)), vanished });
        }
        if let Some(author) = orphan {
            self.counts.stale[Guarantee::Prefix.index()] += 1;
            self.tell(Event::OutOfOrder { user, questions: on_questions, answers: on_answers, author });
        }
        let session = &mut self.sessions[usize::from(user)];
        session.seen_questions = session.seen_questions.max(questions);
        session.seen_answers = session.seen_answers.max(answers);
        session.seen_pos = session.seen_pos.max(q_len).max(a_len);
        self.reply(user, on_questions, own_question_missing || questions < expect.seen_questions || orphan.is_some());
        self.reply(user, on_answers, own_answer_missing || answers < expect.seen_answers);
    }

    fn reply(&mut self, user: u8, node: u8, stale: bool) {
        self.trips.push(Trip { user, node, sent: self.tick, arrives: self.tick + NET_MS, kind: TripKind::Reply { stale } });
    }

    /// The author of an answer shown (at or before `a_len`) whose question is not (after
    /// `q_len`). Questions only move forward along the log, so the latest answer shown tells.
    fn orphan(&self, q_len: u32, a_len: u32) -> Option<u8> {
        let latest = (q_len + 1..=a_len).rev().filter_map(|pos| self.entry(pos)).find(|entry| entry.kind == Kind::Answer)?;
        (latest.cause > q_len).then_some(latest.user)
    }

    /// New posts and page loads, each by a user picked at random.
    fn arrivals(&mut self) {
        let writes = self.writes_rng.poisson(self.settings.writes_per_second() / 1000.0 * f64::from(TICK_MS));
        for _ in 0..writes {
            let user = self.writes_rng.below(USERS as u64) as u8;
            let kind = if self.writes_rng.chance(QUESTION_SHARE) { Kind::Question } else { Kind::Answer };
            self.send_write(user, kind);
        }
        let reads = self.reads_rng.poisson(self.settings.reads_per_second() / 1000.0 * f64::from(TICK_MS));
        for _ in 0..reads {
            let user = self.reads_rng.below(USERS as u64) as u8;
            self.send_read(user);
        }
    }

    // ---- Bookkeeping -------------------------------------------------------------------------

    /// Drops the entries every node has: no failover can lose them, no check needs them.
    fn trim(&mut self) {
        let held = self.nodes.iter().filter(|node| node.role != Role::Absent).map(|node| node.len).min().unwrap_or(0);
        while self.base < held {
            let Some(entry) = self.log.pop_front() else { break };
            self.base += 1;
            self.base_questions = entry.questions;
            self.base_cause = entry.cause;
        }
    }

    fn sample(&mut self) {
        let mut sample = Sample { tick: self.tick as u32, ..Sample::default() };
        for slot in self.followers() {
            sample.behind_ms[slot] = Some(self.behind_ms(slot));
        }
        self.series.push(sample);
    }

    /// Makes `event` the narration, unless the reader's last action is still being told.
    fn tell(&mut self, event: Event) {
        let (at, current) = self.event;
        if event.holds() || !current.holds() || self.tick.saturating_sub(at) >= NARRATE_TICKS {
            self.event = (self.tick, event);
        }
    }

    // ---- Failures and membership -------------------------------------------------------------

    /// The most up-to-date follower (the lowest slot among equals).
    fn most_up_to_date(&self) -> Option<u8> {
        self.followers().fold(None, |best: Option<usize>, slot| if best.is_none_or(|best| self.nodes[slot].len > self.nodes[best].len) { Some(slot) } else { best }).map(|slot| slot as u8)
    }

    fn fail(&mut self, choice: Option<u8>) {
        let promoted = match choice {
            Some(node) if self.nodes.get(usize::from(node)).is_some_and(|state| state.role == Role::Follower) => node,
            Some(_) => return self.tell(Event::Ignored("only a follower can be promoted")),
            None => match self.most_up_to_date() {
                Some(node) => node,
                None => return self.tell(Event::Ignored("there is no follower to promote")),
            },
        };
        let old = self.leader;
        let cut = self.nodes[usize::from(promoted)].len;
        // What the old leader had beyond the promoted follower is gone.
        let (mut lost_acked, mut lost_unacked) = (0, 0);
        for entry in self.log.iter().skip(cut.saturating_sub(self.base) as usize) {
            if entry.acked {
                self.counts.lost_acknowledged[entry.mode.index()] += 1;
                lost_acked += 1;
            } else {
                self.counts.lost_unacknowledged += 1;
                lost_unacked += 1;
            }
        }
        self.log.truncate(cut.saturating_sub(self.base) as usize);
        for (slot, node) in self.nodes.iter_mut().enumerate() {
            if node.len > cut && slot != usize::from(old) && node.role == Role::Follower {
                self.counts.discarded += node.len - cut;
            } else if node.len > cut {
                node.extra += node.len - cut;
            }
            node.len = node.len.min(cut);
            node.shipped = node.len;
            node.acked = node.len;
            node.stream_end = self.tick;
        }
        self.nodes[usize::from(old)].role = Role::Down;
        self.nodes[usize::from(promoted)].role = Role::Leader;
        self.leader = promoted;
        self.epoch += 1;
        self.counts.failovers += 1;
        self.ships.clear();
        self.acks.clear();
        let unanswered = self.pending.iter().filter(|waiting| !waiting.okayed).count() as u32;
        self.counts.unanswered += unanswered;
        self.pending.clear();
        for trip in &mut self.trips {
            if let TripKind::Ok { pos, void, .. } = &mut trip.kind {
                *void |= *pos > cut;
            }
        }
        for user in 0..USERS {
            self.sessions[user] = self.forget_lost(user as u8, self.sessions[user], cut);
        }
        for index in 0..self.reads.len() {
            let read = self.reads[index];
            self.reads[index].expect = self.forget_lost(read.user, read.expect, cut);
        }
        self.tell(Event::Failover { old, new: promoted, chosen: choice.is_some(), lost_acked, lost_unacked, unanswered });
    }

    /// What a user could expect after the log was cut back to `cut`: their latest surviving
    /// acknowledged posts, and no more than the log now holds.
    fn forget_lost(&self, user: u8, mut session: Session, cut: u32) -> Session {
        let latest_own = |kind: Kind| (self.base + 1..=cut).rev().filter_map(|pos| self.entry(pos).map(|entry| (pos, entry))).find(|(_, entry)| entry.user == user && entry.kind == kind && entry.acked).map_or(0, |(pos, _)| pos);
        if session.own_question > cut {
            session.own_question = latest_own(Kind::Question);
        }
        if session.own_answer > cut {
            session.own_answer = latest_own(Kind::Answer);
        }
        let questions = self.questions_at(cut);
        session.seen_questions = session.seen_questions.min(questions);
        session.seen_answers = session.seen_answers.min(cut - questions);
        session.seen_pos = session.seen_pos.min(cut);
        session
    }

    fn rejoin(&mut self, node: u8) {
        let Some(state) = self.nodes.get_mut(usize::from(node)).filter(|state| state.role == Role::Down) else {
            return self.tell(Event::Ignored("only a dead node can rejoin"));
        };
        let discarded = state.extra;
        state.extra = 0;
        state.role = Role::Follower;
        state.shipped = state.len;
        state.acked = state.len;
        state.stream_end = self.tick;
        self.counts.discarded += discarded;
        self.tell(Event::Rejoined { node, discarded });
    }

    fn add(&mut self) {
        let len = self.log_len();
        let Some(slot) = self.nodes.iter().position(|node| node.role == Role::Absent) else {
            return self.tell(Event::Ignored("the cluster already has five nodes"));
        };
        let node = &mut self.nodes[slot];
        *node = Node { role: Role::Follower, len, extra: 0, speed: 1, pace: node.pace, shipped: len, acked: len, stream_end: self.tick };
        self.tell(Event::Added { node: slot as u8 });
    }

    fn remove(&mut self, node: u8) {
        let Some(state) = self.nodes.get_mut(usize::from(node)).filter(|state| matches!(state.role, Role::Follower | Role::Down)) else {
            return self.tell(Event::Ignored("only a follower or a dead node can leave"));
        };
        let discarded = state.extra;
        *state = Node { role: Role::Absent, len: 0, extra: 0, speed: 1, shipped: 0, acked: 0, stream_end: 0, ..*state };
        self.counts.discarded += discarded;
        self.ships.retain(|ship| ship.to != node);
        self.acks.retain(|ack| ack.from != node);
        self.tell(Event::Removed { node, discarded });
    }

    // ---- Narration ---------------------------------------------------------------------------

    fn describe(&self, event: Event) -> String {
        let node = |slot: u8| name(usize::from(slot));
        let person = |user: u8| PEOPLE[usize::from(user) % USERS];
        match event {
            Event::Started => {
                let followers: Vec<String> = self.followers().map(name).collect();
                format!(
                    "Alice, Bob, Carol and Dan post questions and answers to one thread. Each post goes to the leader, {}, and reaches its {} about {} ms later; page loads go to the followers. {} ({}).",
                    name(self.leader()),
                    if followers.len() == 1 { format!("follower {}", followers[0]) } else { format!("followers {}", list(&followers)) },
                    self.settings.lag_ms,
                    capitalised(mode_clause(self.settings.mode)),
                    self.settings.mode.label()
                )
            }
            Event::Acted(action) => self.describe_action(action),
            Event::Ignored(why) => format!("Nothing happened: {why}."),
            Event::Failover { old, new, chosen, lost_acked, lost_unacked, unanswered } => {
                let how = if chosen { "chosen by hand" } else { "the most up-to-date follower" };
                let lost = match (lost_acked, lost_unacked) {
                    (0, 0) => "It had every write: nothing is lost.".to_string(),
                    (0, n) => format!("It has every acknowledged write; {} no client was told about {} lost.", counted(n, "write"), if n == 1 { "is" } else { "are" }),
                    (n, 0) => format!("{} the clients were told {} saved never reached it: lost for good.", counted(n, "acknowledged write"), if n == 1 { "was" } else { "were" }),
                    (n, m) => format!("{} the clients were told {} saved never reached it, with {m} more: lost for good.", counted(n, "acknowledged write"), if n == 1 { "was" } else { "were" }),
                };
                // Their clients never hear back: a write in the new leader's log survives
                // without its OK, the others are gone.
                let waiting = match unanswered {
                    0 => String::new(),
                    1 => " 1 write waiting for its OK never gets one.".to_string(),
                    n => format!(" {n} writes waiting for their OK never get one."),
                };
                format!("{} died. {}, {how}, now leads (epoch {}). {lost}{waiting}", node(old), node(new), self.epoch)
            }
            Event::Rejoined { node: slot, discarded } => {
                let thrown = if discarded > 0 { format!("the {} only it had {} thrown away, and ", counted(discarded, "write"), if discarded == 1 { "is" } else { "are" }) } else { String::new() };
                format!("{} is back as a follower: {thrown}it catches up from {}.", node(slot), name(self.leader()))
            }
            Event::Added { node: slot } => format!("{} joins as a follower, restored from a snapshot of the leader at entry {}.", node(slot), self.nodes[usize::from(slot)].len),
            Event::Removed { node: slot, discarded } => {
                let thrown = if discarded > 0 { format!(", with the {} only it had", counted(discarded, "write")) } else { String::new() };
                format!("{} leaves the cluster{thrown}.", node(slot))
            }
            Event::OwnWriteMissing { user, node: slot, behind_ms, kind } => {
                let who = person(user);
                format!("{} read from {}, which is {} behind: {} {} is missing.", who.name, node(slot), format_ms(behind_ms), who.possessive, kind.word())
            }
            Event::WentBack { user, node: slot, behind_ms, vanished } => {
                let who = person(user);
                format!("{} read from {}, which is {} behind: {} {} saw before {}.", who.name, node(slot), format_ms(behind_ms), counted(vanished, "post"), who.subject, if vanished == 1 { "has vanished" } else { "have vanished" })
            }
            Event::OutOfOrder { user, questions, answers, author } => {
                let who = person(user);
                format!(
                    "{} got the answers from {} and the questions from {}, which is behind: {} sees {} answer to a question that is not there.",
                    who.name,
                    node(answers),
                    node(questions),
                    who.subject,
                    if author == user { who.possessive.to_string() } else { format!("{}'s", person(author).name) }
                )
            }
        }
    }

    fn describe_action(&self, action: Action) -> String {
        match action {
            Action::Mode(mode) => format!("Now {}: {}.", mode.label(), mode_clause(mode)),
            Action::Set(guarantee, on) => guarantee_sentence(guarantee, on).to_string(),
            Action::Lag(ms) => format!("Followers now apply each write about {ms} ms after the leader, each at its own pace."),
            Action::Writes(tenths) => format!("Users now post {} times a second.", tenths_text(tenths)),
            Action::Reads(tenths) => format!("Users now load the page {} times a second, besides each reload after a post.", tenths_text(tenths)),
            Action::Speed(slot, 1) => format!("{} is back to its own pace.", name(usize::from(slot))),
            Action::Speed(slot, factor) => format!("{} is now {factor} times slower: its replication queue grows.", name(usize::from(slot))),
            Action::Post(user) => format!("{} posts.", PEOPLE[usize::from(user) % USERS].name),
            Action::Read(user) => format!("{} loads the page.", PEOPLE[usize::from(user) % USERS].name),
            // These are told by their own events.
            Action::Fail(_) | Action::Rejoin(_) | Action::Add | Action::Remove(_) => String::new(),
        }
    }

    /// A summary of the state, for when nothing has happened for a while.
    fn status(&self) -> String {
        let stale = self.counts.stale;
        let slowest = self.followers().max_by_key(|slot| (self.behind_ms(*slot), usize::MAX - slot));
        let behind = match slowest {
            Some(slot) => format!(" {} is {} behind.", name(slot), format_ms(self.behind_ms(slot))),
            None => " No follower is left.".to_string(),
        };
        format!(
            "{:.1} s, {}: {} acknowledged; stale page loads: {} missing the user's own post, {} gone back, {} out of order.{behind}",
            self.time_ms() as f64 / 1000.0,
            self.settings.mode.label(),
            counted(self.counts.acknowledged, "write"),
            stale[0],
            stale[1],
            stale[2]
        )
    }
}

fn mode_clause(mode: Mode) -> &'static str {
    match mode {
        Mode::Async => "the leader says OK as soon as the post is in its own log",
        Mode::Semi => "the leader says OK once one follower has the post too",
        Mode::Sync => "the leader says OK only once every follower has the post",
    }
}

/// The text with its first letter in capitals.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| first.to_uppercase().chain(chars).collect())
}

fn guarantee_sentence(guarantee: Guarantee, on: bool) -> &'static str {
    match (guarantee, on) {
        (Guarantee::ReadYourWrites, true) => "Read-your-writes on: a page only comes from a replica that has the user's latest post, else from the leader.",
        (Guarantee::Monotonic, true) => "Monotonic reads on: each page load carries the newest position its user has seen, and replicas behind it are skipped.",
        (Guarantee::Prefix, true) => "Consistent prefix on: both halves of a page, questions and answers, come from one replica.",
        (Guarantee::ReadYourWrites, false) => "Read-your-writes off: pages come from any follower, however far behind.",
        (Guarantee::Monotonic, false) => "Monotonic reads off: a page may come from a replica further behind than the last one.",
        (Guarantee::Prefix, false) => "Consistent prefix off: the questions and the answers of a page may come from two replicas.",
    }
}

/// "3", "0.5", "2.5".
fn tenths_text(tenths: u8) -> String {
    if tenths % 10 == 0 {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
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

pub use crate::sim::number::counted;

/// A time as the tool prints it: `45 ms`, `1.5 s`, `20 s`.
pub fn format_ms(ms: u32) -> String {
    match ms {
        0..=999 => format!("{ms} ms"),
        1_000..=9_999 if ms % 1000 != 0 => format!("{:.1} s", f64::from(ms) / 1000.0),
        _ => format!("{} s", ms / 1000),
    }
}

impl Simulation for Replication {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    /// One millisecond: shipments and acknowledgements arrive, then users' messages and page
    /// loads; the leader says OK where it may; new posts and loads leave; the leader ships
    /// what is new; entries every node holds are dropped; every 100 ms a sample.
    fn step(&mut self) {
        self.tick += 1;
        self.deliver_ships();
        self.deliver_acks();
        self.deliver_trips();
        self.deliver_reads();
        self.settle();
        self.arrivals();
        self.ship();
        self.trim();
        if self.tick % SAMPLE_TICKS == 0 {
            self.sample();
        }
    }

    fn apply(&mut self, action: &Action) {
        match *action {
            Action::Mode(mode) => self.settings.mode = mode,
            Action::Set(guarantee, on) => self.settings.guarantees.set(guarantee, on),
            Action::Lag(ms) => self.settings.lag_ms = ms.clamp(LAG_MIN, LAG_MAX),
            Action::Writes(tenths) => self.settings.write_tenths = tenths.min(MAX_WRITE_TENTHS),
            Action::Reads(tenths) => self.settings.read_tenths = tenths.min(MAX_READ_TENTHS),
            Action::Speed(node, factor) => match self.nodes.get_mut(usize::from(node)).filter(|state| state.role != Role::Absent) {
                Some(state) => state.speed = factor.clamp(1, MAX_SLOW),
                None => return self.tell(Event::Ignored("there is no such node")),
            },
            Action::Fail(choice) => return self.fail(choice),
            Action::Rejoin(node) => return self.rejoin(node),
            Action::Add => return self.add(),
            Action::Remove(node) => return self.remove(node),
            // An answer to the latest question (the leader makes it a question if there is none).
            Action::Post(user) if usize::from(user) < USERS => self.send_write(user, Kind::Answer),
            Action::Read(user) if usize::from(user) < USERS => self.send_read(user),
            Action::Post(_) | Action::Read(_) => return self.tell(Event::Ignored("there is no such user")),
        }
        let action = match *action {
            Action::Lag(_) => Action::Lag(self.settings.lag_ms),
            Action::Writes(_) => Action::Writes(self.settings.write_tenths),
            Action::Reads(_) => Action::Reads(self.settings.read_tenths),
            Action::Speed(node, _) => Action::Speed(node, self.nodes[usize::from(node)].speed),
            other => other,
        };
        self.tell(Event::Acted(action));
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    /// The latest event for a while after it happens; then a summary of the state.
    fn narrate(&self) -> String {
        let (at, event) = self.event;
        if self.tick.saturating_sub(at) < NARRATE_TICKS {
            self.describe(event)
        } else {
            self.status()
        }
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}
