//! The CAP theorem visualizer's model: one replicated register on 3 to 5 nodes, a client on each
//! side, links the reader cuts and heals, and the two answers to a partition side by side.
//!
//! **Time.** One tick is one millisecond of simulated time. Every message takes exactly
//! `latency` ticks on its link, so a round trip is `2 × latency` and the PACELC latencies shown
//! are the ones the run measures. A request phase gives up after `3 × latency` (a round trip and
//! a half), which is when the reader sees an error (CP) or a short-handed answer (AP). There is
//! no randomness: everything that happens is caused by the reader, and the seed is ignored.
//!
//! **Nodes, links and sides.** Nodes are A… (ids `0..nodes`), every pair joined by a link. The
//! left client talks to A, the right client to the last node; the hop from a client to its node
//! is free. A node reaches only the peers whose link to it is up (there is no forwarding), and a
//! client's *side* is its node plus those peers. The preset [`CapAction::Partition`]
//! `{ left: k }` puts the first `k` nodes on the left and the rest on the right: with five
//! nodes, `2|3` is `k = 2` and isolating one node is `k = 1` (A alone) or `k = 4` (E alone).
//! A message on a link that is cut (when sent, or while in flight) is lost.
//!
//! **CP** (a quorum register, after Attiya, Bar-Noy and Dolev). A write first asks the replicas
//! for their newest version and waits for `R` answers (its own copy counts), stamps the new
//! value above all of them, then stores it and waits for `W` acknowledgements. A read waits for
//! `R` answers and returns the newest. If a phase times out the client gets an error, so a side
//! without enough replicas refuses; with `R + W > N` only a majority side can succeed, and a
//! read overlaps every acknowledged write, so it is never older than the last one. (A write
//! that times out after reaching some replicas is not rolled back, as in Dynamo-style stores.)
//!
//! **AP.** A write is stamped with the coordinator's clock, stored locally and sent to every
//! reachable replica: with asynchronous replication it is acknowledged at once, with synchronous
//! replication after `W` acknowledgements or, if the partition keeps them away, at the timeout
//! with fewer. Reads take what `R` replicas say, or what arrived by the timeout; with `R = 1`
//! they are answered from the local copy and can be stale.
//!
//! **Reconciling.** When a link heals its two ends exchange their copies (anti-entropy). Under
//! last-writer-wins the highest `(clock, node)` stamp survives, and a write it drops without
//! having seen is reported as lost (with clock skew, even a write made later in real time).
//! Under version vectors concurrent writes stay side by side as siblings until a write that has
//! seen them all replaces them. Both merges are order-independent, so after every link heals
//! every node converges.

pub mod decision;
mod events;
mod network;
mod operations;
mod replica;
#[cfg(test)]
mod tests;
pub mod poster;

use std::collections::VecDeque;

use crate::sim::{ParamKind, ParamSpec, Params, Simulation, Value};

pub use decision::PacelcClass;
pub use events::{Event, EventKind};
pub use network::{Link, Message, MessageBody, MessageKind, NodeSet};
pub use operations::{Client, Freshness, Loss, LossCause, Operation, OperationKind, Outcome, Phase, Refusal, WriteRecord, WriteStatus};
pub use replica::{node_name, NodeId, Overwrite, Reconcile, Replica, Stamp, Version, VersionVector, WriteId, MAX_NODES};

/// The fewest nodes a cluster can have.
pub const MIN_NODES: usize = 3;
/// Simulated milliseconds per tick.
pub const TICK_MS: u64 = 1;
/// How many events the log keeps (older ones scroll away).
pub const EVENT_LOG_LENGTH: usize = 64;
/// Longest link latency accepted, in ms.
pub const MAX_LATENCY_MS: i64 = 500;
/// Largest clock lag accepted for the left node, in ms.
pub const MAX_CLOCK_SKEW_MS: i64 = 2000;

const QUORUM_CHOICES: &[(&str, &str)] = &[("maj", "Majority"), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5")];

/// The visualizer's parameters. Changing one starts a new run; the reader's live changes of
/// mode, quorum and replication are actions instead, so they land on the timeline.
pub const CAP_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "nodes", label: "Nodes", kind: ParamKind::Int { min: MIN_NODES as i64, max: MAX_NODES as i64 }, default: Value::Int(5) },
    ParamSpec {
        key: "mode",
        label: "During a partition",
        kind: ParamKind::Choice(&[("cp", "CP: refuse without a quorum"), ("ap", "AP: accept on every side")]),
        default: Value::Choice("cp"),
    },
    ParamSpec {
        key: "reconcile",
        label: "Reconcile with",
        kind: ParamKind::Choice(&[("lww", "Last writer wins"), ("vv", "Version vectors (keep siblings)")]),
        default: Value::Choice("lww"),
    },
    ParamSpec { key: "r", label: "Read quorum R", kind: ParamKind::Choice(QUORUM_CHOICES), default: Value::Choice("maj") },
    ParamSpec { key: "w", label: "Write quorum W", kind: ParamKind::Choice(QUORUM_CHOICES), default: Value::Choice("maj") },
    ParamSpec {
        key: "replication",
        label: "Replication (AP)",
        kind: ParamKind::Choice(&[("sync", "Synchronous: wait for W"), ("async", "Asynchronous: answer at once")]),
        default: Value::Choice("sync"),
    },
    ParamSpec { key: "latency", label: "Link latency (ms)", kind: ParamKind::Int { min: 1, max: MAX_LATENCY_MS }, default: Value::Int(20) },
    ParamSpec { key: "skew", label: "Node A's clock lags by (ms)", kind: ParamKind::Int { min: 0, max: MAX_CLOCK_SKEW_MS }, default: Value::Int(0) },
];

/// Where a client stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Left,
    Right,
}

impl Side {
    pub const BOTH: [Side; 2] = [Side::Left, Side::Right];

    pub fn name(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }

    fn index(self) -> usize {
        match self {
            Side::Left => 0,
            Side::Right => 1,
        }
    }
}

/// The answer to a partition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Consistent: refuse what cannot reach a quorum.
    Cp,
    /// Available: accept on every side, reconcile later.
    Ap,
}

impl Mode {
    pub fn label(self) -> &'static str {
        match self {
            Mode::Cp => "CP",
            Mode::Ap => "AP",
        }
    }
}

/// What an AP write waits for before answering (CP always waits for `W`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replication {
    /// Wait for `W` acknowledgements (or the timeout).
    Sync,
    /// Answer once the local copy is written; replicas catch up.
    Async,
}

impl Replication {
    pub fn label(self) -> &'static str {
        match self {
            Replication::Sync => "synchronous",
            Replication::Async => "asynchronous",
        }
    }
}

/// The quorum sizes in force: `read` and `write` are always within `1..=nodes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quorum {
    pub nodes: usize,
    pub read: usize,
    pub write: usize,
}

impl Quorum {
    /// Clamps both sizes into `1..=nodes`.
    pub fn new(nodes: usize, read: usize, write: usize) -> Self {
        let nodes = nodes.clamp(MIN_NODES, MAX_NODES);
        Self { nodes, read: read.clamp(1, nodes), write: write.clamp(1, nodes) }
    }

    /// `nodes / 2 + 1`.
    pub fn majority(nodes: usize) -> usize {
        nodes / 2 + 1
    }

    /// `R + W > N`: every read quorum shares a replica with every write quorum.
    pub fn overlaps(&self) -> bool {
        self.read + self.write > self.nodes
    }
}

/// Whether a side can be served right now, from the links alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Availability {
    /// Enough replicas are reachable for a full quorum.
    Quorum,
    /// Too few replicas; AP answers anyway with what it has (after the timeout if it waits).
    ShortOfQuorum,
    /// Too few replicas; CP will return an error.
    Refused,
}

/// Something the reader does. Node ids outside the cluster, a node linked to itself, or a split
/// that leaves a side empty are ignored (and logged), never a panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapAction {
    CutLink(NodeId, NodeId),
    HealLink(NodeId, NodeId),
    /// Sets every link at once: up within each side, cut across. The first `left` nodes form the
    /// left side, the rest the right.
    Partition { left: usize },
    /// Heals every cut link.
    HealAll,
    /// The client on `side` writes `value`.
    Write { side: Side, value: u32 },
    /// The client on `side` reads.
    Read { side: Side },
    /// Requests already running finish under the mode they began in.
    SetMode(Mode),
    /// New quorum sizes, clamped to `1..=nodes`; requests already running keep theirs.
    SetQuorum { read: usize, write: usize },
    /// Takes effect for AP writes issued from now on.
    SetReplication(Replication),
}

/// The whole model: nodes, links, messages, running requests and their history.
#[derive(Debug, Clone, PartialEq)]
pub struct CapCluster {
    reconcile: Reconcile,
    latency_ms: u64,
    skew_ms: i64,
    mode: Mode,
    replication: Replication,
    quorum: Quorum,
    tick: u64,
    /// Orders requests and acknowledgements within a tick, to tell what happened before what.
    sequence: u64,
    replicas: Vec<Replica>,
    /// `links[a][b]` is true while the link between `a` and `b` is up (kept symmetric).
    links: [[bool; MAX_NODES]; MAX_NODES],
    /// In send order, which is also arrival order since every link has the same latency.
    messages: VecDeque<Message>,
    operations: Vec<Operation>,
    next_operation: u32,
    writes: Vec<WriteRecord>,
    /// The write acknowledged most recently, whichever side made it.
    last_acknowledged: Option<WriteId>,
    clients: [Client; 2],
    events: VecDeque<Event>,
    events_logged: u64,
}

impl CapCluster {
    /// A cluster from parameters; anything missing or out of range falls back to its default.
    pub fn from_params(params: &Params) -> Self {
        let nodes = (int_param(params, "nodes", 5).clamp(MIN_NODES as i64, MAX_NODES as i64)) as usize;
        let quorum_size = |key: &str| match choice_param(params, key, "maj").parse::<usize>() {
            Ok(size) => size,
            Err(_) => Quorum::majority(nodes),
        };
        let quorum = Quorum::new(nodes, quorum_size("r"), quorum_size("w"));
        let mode = if choice_param(params, "mode", "cp") == "ap" { Mode::Ap } else { Mode::Cp };
        let reconcile = if choice_param(params, "reconcile", "lww") == "vv" { Reconcile::VersionVectors } else { Reconcile::LastWriterWins };
        let replication = if choice_param(params, "replication", "sync") == "async" { Replication::Async } else { Replication::Sync };
        let latency_ms = int_param(params, "latency", 20).clamp(1, MAX_LATENCY_MS) as u64;
        let skew_ms = int_param(params, "skew", 0).clamp(0, MAX_CLOCK_SKEW_MS);
        let mut links = [[false; MAX_NODES]; MAX_NODES];
        for (a, row) in links.iter_mut().enumerate().take(nodes) {
            for (b, up) in row.iter_mut().enumerate().take(nodes) {
                *up = a != b;
            }
        }
        Self {
            reconcile,
            latency_ms,
            skew_ms,
            mode,
            replication,
            quorum,
            tick: 0,
            sequence: 0,
            replicas: vec![Replica::default(); nodes],
            links,
            messages: VecDeque::new(),
            operations: Vec::new(),
            next_operation: 0,
            writes: Vec::new(),
            last_acknowledged: None,
            clients: [Client::new(Side::Left, 0), Client::new(Side::Right, nodes - 1)],
            events: VecDeque::new(),
            events_logged: 0,
        }
    }

    pub fn node_count(&self) -> usize {
        self.replicas.len()
    }

    /// Every node's copy, indexed by node id.
    pub fn replicas(&self) -> &[Replica] {
        &self.replicas
    }

    pub fn replica(&self, node: NodeId) -> Option<&Replica> {
        self.replicas.get(node)
    }

    /// What a node's clock reads now, in ms: the tick, minus the skew on node A.
    pub fn node_clock_ms(&self, node: NodeId) -> i64 {
        let now = i64::try_from(self.tick * TICK_MS).unwrap_or(i64::MAX);
        if node == 0 {
            now - self.skew_ms
        } else {
            now
        }
    }

    /// The node a side's client talks to.
    pub fn home(&self, side: Side) -> NodeId {
        self.clients[side.index()].home
    }

    pub fn client(&self, side: Side) -> &Client {
        &self.clients[side.index()]
    }

    /// Requests still waiting for answers.
    pub fn operations(&self) -> &[Operation] {
        &self.operations
    }

    /// How many requests a side's client has waiting.
    pub fn pending(&self, side: Side) -> usize {
        self.operations.iter().filter(|operation| operation.side() == side).count()
    }

    /// Messages on the wire, oldest first. Those marked `lost` will never arrive.
    pub fn messages(&self) -> impl Iterator<Item = &Message> {
        self.messages.iter()
    }

    /// Recent events, oldest first (at most [`EVENT_LOG_LENGTH`]).
    pub fn events(&self) -> impl DoubleEndedIterator<Item = &Event> {
        self.events.iter()
    }

    /// Every write ever issued, by id.
    pub fn writes(&self) -> &[WriteRecord] {
        &self.writes
    }

    /// Writes last-writer-wins dropped unseen; `status` says whether the client had been told
    /// they succeeded.
    pub fn lost_writes(&self) -> impl Iterator<Item = &WriteRecord> {
        self.writes.iter().filter(|write| write.lost.is_some())
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn reconcile(&self) -> Reconcile {
        self.reconcile
    }

    pub fn replication(&self) -> Replication {
        self.replication
    }

    pub fn quorum(&self) -> Quorum {
        self.quorum
    }

    /// One-way latency of every link, in ms.
    pub fn latency_ms(&self) -> u64 {
        self.latency_ms
    }

    /// How long a request phase waits before giving up, in ms.
    pub fn timeout_ms(&self) -> u64 {
        3 * self.latency_ms
    }

    /// How far node A's clock lags the others, in ms.
    pub fn clock_skew_ms(&self) -> i64 {
        self.skew_ms
    }

    /// `R + W > N` for the quorum in force.
    pub fn quorum_overlaps(&self) -> bool {
        self.quorum.overlaps()
    }

    /// The smallest majority of this cluster.
    pub fn majority(&self) -> usize {
        Quorum::majority(self.node_count())
    }

    /// The nodes a side's client can use now: its node and the peers directly linked to it.
    pub fn side_nodes(&self, side: Side) -> NodeSet {
        self.reachable_from(self.home(side))
    }

    pub fn side_has_majority(&self, side: Side) -> bool {
        self.side_nodes(side).len() >= self.majority()
    }

    /// Whether a write from `side` would get a full quorum now (CP needs `R` then `W`).
    pub fn write_availability(&self, side: Side) -> Availability {
        let reachable = self.side_nodes(side).len();
        let enough = match self.mode {
            Mode::Cp => reachable >= self.quorum.read && reachable >= self.quorum.write,
            Mode::Ap => self.replication == Replication::Async || reachable >= self.quorum.write,
        };
        self.availability(enough)
    }

    /// Whether a read from `side` would get `R` answers now.
    pub fn read_availability(&self, side: Side) -> Availability {
        self.availability(self.side_nodes(side).len() >= self.quorum.read)
    }

    fn availability(&self, enough: bool) -> Availability {
        match (enough, self.mode) {
            (true, _) => Availability::Quorum,
            (false, Mode::Ap) => Availability::ShortOfQuorum,
            (false, Mode::Cp) => Availability::Refused,
        }
    }

    /// PACELC, else-branch: how long a write takes with every link up, for a mode and a
    /// replication choice, with the current quorum and latency. CP pays a round trip to learn the
    /// newest version (if `R > 1`) and one to store (if `W > 1`); synchronous AP pays only the
    /// store round trip; asynchronous AP answers at once.
    pub fn expected_write_latency_ms(&self, mode: Mode, replication: Replication) -> u64 {
        let round_trip = 2 * self.latency_ms;
        let trip_if = |needed: usize| if needed > 1 { round_trip } else { 0 };
        match (mode, replication) {
            (Mode::Cp, _) => trip_if(self.quorum.read) + trip_if(self.quorum.write),
            (Mode::Ap, Replication::Sync) => trip_if(self.quorum.write),
            (Mode::Ap, Replication::Async) => 0,
        }
    }

    /// How long a read takes with every link up: a round trip unless `R = 1`.
    pub fn expected_read_latency_ms(&self) -> u64 {
        if self.quorum.read > 1 {
            2 * self.latency_ms
        } else {
            0
        }
    }

    /// The current settings as a PACELC class: P from the mode; E is consistency only when
    /// writes wait for `W` (CP, or synchronous AP) and quorums overlap.
    pub fn pacelc_class(&self) -> PacelcClass {
        let waits = self.mode == Mode::Cp || self.replication == Replication::Sync;
        match (self.mode, waits && self.quorum.overlaps()) {
            (Mode::Cp, true) => PacelcClass::PcEc,
            (Mode::Cp, false) => PacelcClass::PcEl,
            (Mode::Ap, true) => PacelcClass::PaEc,
            (Mode::Ap, false) => PacelcClass::PaEl,
        }
    }

    /// True when every node holds exactly the same writes.
    pub fn converged(&self) -> bool {
        self.replicas.windows(2).all(|pair| pair[0].same_writes(&pair[1]))
    }

    /// Adds to the log, dropping the oldest entry when full.
    fn log(&mut self, kind: EventKind) {
        if self.events.len() == EVENT_LOG_LENGTH {
            self.events.pop_front();
        }
        self.events.push_back(Event { id: self.events_logged, at: self.tick, kind });
        self.events_logged += 1;
    }

    fn next_sequence(&mut self) -> u64 {
        self.sequence += 1;
        self.sequence
    }

    fn valid_pair(&self, a: NodeId, b: NodeId) -> bool {
        a != b && a < self.node_count() && b < self.node_count()
    }
}

impl Simulation for CapCluster {
    type Action = CapAction;
    const SEEDED: bool = false;

    fn new(params: &Params, _seed: u64) -> Self {
        Self::from_params(params)
    }

    fn step(&mut self) {
        self.tick += 1;
        self.deliver_due_messages();
        self.expire_operations();
    }

    fn apply(&mut self, action: &CapAction) {
        match *action {
            CapAction::CutLink(a, b) if self.valid_pair(a, b) => self.cut_link(a, b),
            CapAction::HealLink(a, b) if self.valid_pair(a, b) => self.heal_link(a, b),
            CapAction::CutLink(..) | CapAction::HealLink(..) => self.log(EventKind::Ignored("that link is not in this cluster")),
            CapAction::Partition { left } if (1..self.node_count()).contains(&left) => self.partition(left),
            CapAction::Partition { .. } => self.log(EventKind::Ignored("a partition needs at least one node on each side")),
            CapAction::HealAll => self.heal_all(),
            CapAction::Write { side, value } => self.start_write(side, value),
            CapAction::Read { side } => self.start_read(side),
            CapAction::SetMode(mode) => {
                self.mode = mode;
                self.log(EventKind::ModeChanged(mode));
            }
            CapAction::SetQuorum { read, write } => {
                self.quorum = Quorum::new(self.node_count(), read, write);
                self.log(EventKind::QuorumChanged { read: self.quorum.read, write: self.quorum.write });
            }
            CapAction::SetReplication(replication) => {
                self.replication = replication;
                self.log(EventKind::ReplicationChanged(replication));
            }
        }
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    /// This tick's events in words; when nothing happened, a one-line status.
    fn narrate(&self) -> String {
        let now: Vec<String> = self.events.iter().filter(|event| event.at == self.tick).map(Event::describe).collect();
        if !now.is_empty() {
            return now.join(" ");
        }
        let cut = self.links().filter(|link| !link.up).count();
        let network = if cut == 0 { "all links up".to_string() } else { format!("{cut} link{} cut", if cut == 1 { "" } else { "s" }) };
        format!("{} ms: {} mode, {network}, {} messages in flight.", self.tick * TICK_MS, self.mode.label(), self.messages.len())
    }

    /// `c01`/`h01` cut/heal A–B, `p2` split 2|rest, `H` heal all, `wl42`/`wr42` write 42 from
    /// the left/right, `rl`/`rr` read, `mc`/`ma` mode, `q23` R=2 W=3, `ys`/`ya` replication.
    /// Numbers that must be one digit are capped at 9; `apply` treats 9 exactly as it treats any
    /// larger id or quorum (ignored, or clamped), so a replay from the URL matches the live run.
    fn encode_action(action: &CapAction) -> String {
        let side = |side: Side| if side == Side::Left { 'l' } else { 'r' };
        let digit = |number: usize| number.min(9);
        match *action {
            CapAction::CutLink(a, b) => format!("c{}{}", digit(a), digit(b)),
            CapAction::HealLink(a, b) => format!("h{}{}", digit(a), digit(b)),
            CapAction::Partition { left } => format!("p{}", digit(left)),
            CapAction::HealAll => "H".to_string(),
            CapAction::Write { side: at, value } => format!("w{}{value}", side(at)),
            CapAction::Read { side: at } => format!("r{}", side(at)),
            CapAction::SetMode(mode) => if mode == Mode::Cp { "mc" } else { "ma" }.to_string(),
            CapAction::SetQuorum { read, write } => format!("q{}{}", digit(read), digit(write)),
            CapAction::SetReplication(replication) => if replication == Replication::Sync { "ys" } else { "ya" }.to_string(),
        }
    }

    /// Accepts exactly what `encode_action` writes. Digits are not range-checked here: `apply`
    /// ignores or clamps what does not fit the cluster.
    fn decode_action(text: &str) -> Option<CapAction> {
        let mut chars = text.chars();
        let tag = chars.next()?;
        let rest = chars.as_str();
        let digits = |text: &str| -> Option<Vec<usize>> { text.chars().map(|ch| ch.to_digit(10).map(|digit| digit as usize)).collect() };
        let pair = |text: &str| match digits(text)?.as_slice() {
            [a, b] => Some((*a, *b)),
            _ => None,
        };
        let side = |text: &str| match text {
            "l" => Some(Side::Left),
            "r" => Some(Side::Right),
            _ => None,
        };
        match tag {
            'c' => pair(rest).map(|(a, b)| CapAction::CutLink(a, b)),
            'h' => pair(rest).map(|(a, b)| CapAction::HealLink(a, b)),
            'p' => match digits(rest)?.as_slice() {
                [left] => Some(CapAction::Partition { left: *left }),
                _ => None,
            },
            'H' if rest.is_empty() => Some(CapAction::HealAll),
            'w' => {
                let (at, value) = rest.split_at_checked(1)?;
                let well_formed = !value.is_empty() && value.len() <= 10 && value.bytes().all(|byte| byte.is_ascii_digit());
                if !well_formed {
                    return None;
                }
                Some(CapAction::Write { side: side(at)?, value: value.parse().ok()? })
            }
            'r' => side(rest).map(|side| CapAction::Read { side }),
            'm' => match rest {
                "c" => Some(CapAction::SetMode(Mode::Cp)),
                "a" => Some(CapAction::SetMode(Mode::Ap)),
                _ => None,
            },
            'q' => pair(rest).map(|(read, write)| CapAction::SetQuorum { read, write }),
            'y' => match rest {
                "s" => Some(CapAction::SetReplication(Replication::Sync)),
                "a" => Some(CapAction::SetReplication(Replication::Async)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Reads an integer parameter without trusting that `params` uses this schema.
fn int_param(params: &Params, key: &str, default: i64) -> i64 {
    if !params.schema().iter().any(|spec| spec.key == key) {
        return default;
    }
    match params.value(key) {
        Value::Int(value) => value,
        Value::Float(value) if value.is_finite() => value as i64,
        _ => default,
    }
}

/// Reads a choice parameter without trusting that `params` uses this schema.
fn choice_param(params: &Params, key: &str, default: &'static str) -> &'static str {
    if !params.schema().iter().any(|spec| spec.key == key) {
        return default;
    }
    match params.value(key) {
        Value::Choice(value) => value,
        _ => default,
    }
}
