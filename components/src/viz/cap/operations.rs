//! Client requests as the coordinating node runs them: the phases of a read and a write, what a
//! timeout means in each mode, and the ledger of writes the reader can inspect.

use super::events::EventKind;
use super::network::{MessageBody, NodeSet};
use super::replica::{NodeId, Overwrite, Reconcile, Replica, Stamp, Version, WriteId};
use super::{CapCluster, Message, Mode, Quorum, Replication, Side};

/// Identifies a running request in the messages that serve it.
pub type OperationId = u32;

/// A client and what it last heard back.
#[derive(Debug, Clone, PartialEq)]
pub struct Client {
    pub side: Side,
    /// The node this client sends its requests to.
    pub home: NodeId,
    /// The answer to its most recently finished request.
    pub last: Option<Outcome>,
}

impl Client {
    pub(super) fn new(side: Side, home: NodeId) -> Self {
        Self { side, home, last: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    Read,
    Write,
}

/// Where a request is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// A read collecting `R` answers.
    Gathering,
    /// A CP write learning the newest version from `R` replicas.
    AskingVersion,
    /// A write waiting for `W` acknowledgements.
    Storing,
}

/// Why a CP request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A write could not learn the newest version from `needed` replicas.
    VersionQuorum { heard: usize, needed: usize },
    /// A write reached only `acks` of the `needed` replicas. The copies it did reach stay.
    WriteQuorum { acks: usize, needed: usize },
    /// A read heard from only `heard` of the `needed` replicas.
    ReadQuorum { heard: usize, needed: usize },
}

impl Refusal {
    pub fn describe(self) -> String {
        match self {
            Refusal::VersionQuorum { heard, needed } => {
                format!("only {heard} of the {needed} replicas needed answered the version check (R = {needed})")
            }
            Refusal::WriteQuorum { acks, needed } => {
                format!("only {acks} of the {needed} replicas needed stored it (W = {needed}); the copies made are not rolled back")
            }
            Refusal::ReadQuorum { heard, needed } => format!("only {heard} of the {needed} replicas needed answered (R = {needed})"),
        }
    }
}

/// How a successful read compares with the latest write acknowledged before it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freshness {
    /// It includes that write (or one that had seen it), or nothing had been acknowledged yet.
    Current,
    /// It is older: it missed the write `missed`.
    Stale { missed: WriteId },
    /// Last-writer-wins ranked a write that never saw `missed` above it (a concurrent write, or
    /// a clock that runs ahead): the value is not old by the system's order, but `missed` is gone.
    Overruled { missed: WriteId },
}

/// The answer a client got.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The write was acknowledged. `acks < wanted` means AP accepted it short of its quorum.
    Wrote { write: WriteId, value: u32, acks: usize, wanted: usize, latency_ms: u64 },
    /// The read returned `versions` (several when version vectors keep siblings; none when the
    /// register was never written). `replies < wanted` means AP answered short of its quorum.
    Read { versions: Vec<Version>, freshness: Freshness, replies: usize, wanted: usize, latency_ms: u64 },
    /// CP returned an error.
    Refused { kind: OperationKind, reason: Refusal, latency_ms: u64 },
}

impl Outcome {
    /// The values a read returned, in write order.
    pub fn values(&self) -> Vec<u32> {
        match self {
            Outcome::Read { versions, .. } => versions.iter().map(|version| version.value).collect(),
            Outcome::Wrote { value, .. } => vec![*value],
            Outcome::Refused { .. } => Vec::new(),
        }
    }
}

/// Where a write stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteStatus {
    Pending,
    Acknowledged { at: u64, acks: usize, wanted: usize },
    Refused { at: u64, reason: Refusal },
}

/// Why last-writer-wins dropped a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LossCause {
    /// The winner was written without seeing it: at the same time, or across a partition.
    Concurrent,
    /// The winner had been acknowledged before this write was even issued, but this write's
    /// clock read earlier: a skewed clock made the older write win.
    ClockSkew,
}

/// A write last-writer-wins dropped unseen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loss {
    pub at: u64,
    /// The node where it was first dropped.
    pub node: NodeId,
    pub winner: WriteId,
    pub cause: LossCause,
}

/// One write, from issue to its fate: the ledger the view lists.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteRecord {
    pub id: WriteId,
    pub side: Side,
    pub value: u32,
    pub coordinator: NodeId,
    pub issued_at: u64,
    /// Set once the coordinator has stamped it (at once in AP, after the version check in CP).
    pub version: Option<Version>,
    pub status: WriteStatus,
    pub lost: Option<Loss>,
    issued_sequence: u64,
    acknowledged_sequence: Option<u64>,
}

/// A request in progress at its coordinator.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    id: OperationId,
    side: Side,
    coordinator: NodeId,
    kind: OperationKind,
    write: Option<WriteId>,
    value: u32,
    /// Mode, replication and quorum as they were when the request began.
    mode: Mode,
    replication: Replication,
    quorum: Quorum,
    started_at: u64,
    /// The write acknowledged last when this request began: what a read must not be older than.
    baseline: Option<WriteId>,
    phase: Phase,
    deadline: u64,
    /// Who has answered in this phase; the coordinator counts itself.
    heard: NodeSet,
    /// The answers merged together.
    gathered: Replica,
}

impl Operation {
    pub fn side(&self) -> Side {
        self.side
    }

    pub fn kind(&self) -> OperationKind {
        self.kind
    }

    pub fn coordinator(&self) -> NodeId {
        self.coordinator
    }

    /// The write this request makes, if it is a write.
    pub fn write(&self) -> Option<WriteId> {
        self.write
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    pub fn started_at(&self) -> u64 {
        self.started_at
    }

    /// When the current phase gives up.
    pub fn deadline(&self) -> u64 {
        self.deadline
    }

    /// The nodes that have answered in this phase.
    pub fn answered(&self) -> NodeSet {
        self.heard
    }

    /// How many answers this phase needs.
    pub fn needed(&self) -> usize {
        match self.phase {
            Phase::Gathering | Phase::AskingVersion => self.quorum.read,
            Phase::Storing if self.mode == Mode::Ap && self.replication == Replication::Async => 1,
            Phase::Storing => self.quorum.write,
        }
    }

    fn complete(&self) -> bool {
        self.heard.len() >= self.needed()
    }
}

impl CapCluster {
    pub(super) fn start_write(&mut self, side: Side, value: u32) {
        let coordinator = self.home(side);
        let id = WriteId::try_from(self.writes.len()).unwrap_or(WriteId::MAX);
        let sequence = self.next_sequence();
        self.writes.push(WriteRecord {
            id,
            side,
            value,
            coordinator,
            issued_at: self.tick,
            version: None,
            status: WriteStatus::Pending,
            lost: None,
            issued_sequence: sequence,
            acknowledged_sequence: None,
        });
        self.log(EventKind::WriteIssued { write: id, side, value, coordinator });
        let phase = if self.mode == Mode::Cp { Phase::AskingVersion } else { Phase::Storing };
        let operation = self.new_operation(side, OperationKind::Write, Some(id), value, phase);
        if phase == Phase::AskingVersion && !operation.complete() {
            let id = operation.id;
            self.broadcast(coordinator, || MessageBody::VersionQuery { operation: id });
            self.operations.push(operation);
        } else {
            self.store(operation);
        }
    }

    pub(super) fn start_read(&mut self, side: Side) {
        let coordinator = self.home(side);
        self.log(EventKind::ReadIssued { side, coordinator });
        let operation = self.new_operation(side, OperationKind::Read, None, 0, Phase::Gathering);
        if operation.complete() {
            self.answer_read(operation);
        } else {
            let id = operation.id;
            self.broadcast(coordinator, || MessageBody::ReadQuery { operation: id });
            self.operations.push(operation);
        }
    }

    fn new_operation(&mut self, side: Side, kind: OperationKind, write: Option<WriteId>, value: u32, phase: Phase) -> Operation {
        let id = self.next_operation;
        self.next_operation = self.next_operation.wrapping_add(1);
        let coordinator = self.home(side);
        Operation {
            id,
            side,
            coordinator,
            kind,
            write,
            value,
            mode: self.mode,
            replication: self.replication,
            quorum: self.quorum,
            started_at: self.tick,
            baseline: self.last_acknowledged,
            phase,
            deadline: self.tick + self.timeout_ms(),
            heard: NodeSet::single(coordinator),
            gathered: self.replicas.get(coordinator).cloned().unwrap_or_default(),
        }
    }

    /// Stamps the write, stores it at the coordinator and sends it to every replica.
    fn store(&mut self, mut operation: Operation) {
        let coordinator = operation.coordinator;
        let local = self.replicas.get(coordinator).cloned().unwrap_or_default();
        let mut vector = local.seen().join(&operation.gathered.seen());
        vector.increment(coordinator);
        let clock = self.node_clock_ms(coordinator);
        let time_ms = match operation.mode {
            // Above every version the quorum reported, so it outranks every acknowledged write.
            Mode::Cp => operation.gathered.newest_time().map_or(clock, |newest| clock.max(newest.saturating_add(1))),
            Mode::Ap => clock,
        };
        let Some(write) = operation.write else { return };
        let version = Version { write, value: operation.value, stamp: Stamp { time_ms, node: coordinator }, vector };
        if let Some(record) = self.writes.get_mut(write as usize) {
            record.version = Some(version);
        }
        self.store_at(coordinator, &version);
        operation.phase = Phase::Storing;
        operation.heard = NodeSet::single(coordinator);
        operation.deadline = self.tick + self.timeout_ms();
        let waits = !operation.complete();
        let id = waits.then_some(operation.id);
        self.broadcast(coordinator, || MessageBody::Store { operation: id, version });
        if waits {
            self.operations.push(operation);
        } else {
            self.acknowledge_write(&operation);
        }
    }

    /// Merges a version into one node's copy, reporting any write last-writer-wins drops unseen.
    fn store_at(&mut self, node: NodeId, version: &Version) {
        let rule = self.reconcile;
        let overwrite = self.replicas.get_mut(node).and_then(|replica| replica.merge(version, rule));
        if let Some(overwrite) = overwrite {
            self.record_loss(node, overwrite);
        }
    }

    fn record_loss(&mut self, node: NodeId, overwrite: Overwrite) {
        let winner_acknowledged = self.writes.get(overwrite.winner.write as usize).and_then(|winner| winner.acknowledged_sequence);
        let tick = self.tick;
        let Some(lost) = self.writes.get_mut(overwrite.lost.write as usize) else { return };
        if lost.lost.is_some() {
            return;
        }
        let cause = match winner_acknowledged {
            Some(acknowledged) if acknowledged < lost.issued_sequence => LossCause::ClockSkew,
            _ => LossCause::Concurrent,
        };
        lost.lost = Some(Loss { at: tick, node, winner: overwrite.winner.write, cause });
        self.log(EventKind::WriteLost {
            write: overwrite.lost.write,
            value: overwrite.lost.value,
            winner: overwrite.winner.write,
            winner_value: overwrite.winner.value,
            node,
            cause,
        });
    }

    pub(super) fn receive(&mut self, message: Message) {
        let Message { from, to, body, .. } = message;
        match body {
            MessageBody::VersionQuery { operation } => {
                let versions = self.copy_of(to);
                self.send(to, from, MessageBody::VersionReply { operation, versions });
            }
            MessageBody::ReadQuery { operation } => {
                let versions = self.copy_of(to);
                self.send(to, from, MessageBody::ReadReply { operation, versions });
            }
            MessageBody::VersionReply { operation, versions } => self.hear(operation, Phase::AskingVersion, from, &versions),
            MessageBody::ReadReply { operation, versions } => self.hear(operation, Phase::Gathering, from, &versions),
            MessageBody::Store { operation, version } => {
                self.store_at(to, &version);
                if let Some(operation) = operation {
                    self.send(to, from, MessageBody::StoreAck { operation });
                }
            }
            MessageBody::StoreAck { operation } => self.hear(operation, Phase::Storing, from, &[]),
            MessageBody::AntiEntropy { versions } => {
                for version in &versions {
                    self.store_at(to, version);
                }
            }
        }
    }

    fn copy_of(&self, node: NodeId) -> Vec<Version> {
        self.replicas.get(node).map(|replica| replica.siblings().to_vec()).unwrap_or_default()
    }

    /// Counts an answer for a request still in `phase`; moves it on once it has enough.
    fn hear(&mut self, id: OperationId, phase: Phase, from: NodeId, versions: &[Version]) {
        let Some(index) = self.operations.iter().position(|operation| operation.id == id && operation.phase == phase) else {
            return; // Finished, timed out, or already in its next phase.
        };
        let rule = self.reconcile;
        let operation = &mut self.operations[index];
        operation.heard.insert(from);
        // Merged only to see what the quorum holds; losses are reported where replicas drop them.
        operation.gathered.merge_all(versions, rule, |_| {});
        if operation.complete() {
            let operation = self.operations.remove(index);
            self.advance(operation);
        }
    }

    fn advance(&mut self, operation: Operation) {
        match operation.phase {
            Phase::Gathering => self.answer_read(operation),
            Phase::AskingVersion => self.store(operation),
            Phase::Storing => self.acknowledge_write(&operation),
        }
    }

    /// Times out every request whose phase deadline has come: CP refuses, AP answers with what
    /// it has.
    pub(super) fn expire_operations(&mut self) {
        while let Some(index) = self.operations.iter().position(|operation| operation.deadline <= self.tick) {
            let operation = self.operations.remove(index);
            match operation.mode {
                Mode::Cp => self.refuse(&operation),
                Mode::Ap => self.advance(operation),
            }
        }
    }

    fn refuse(&mut self, operation: &Operation) {
        let heard = operation.heard.len();
        let needed = operation.needed();
        let reason = match operation.phase {
            Phase::Gathering => Refusal::ReadQuorum { heard, needed },
            Phase::AskingVersion => Refusal::VersionQuorum { heard, needed },
            Phase::Storing => Refusal::WriteQuorum { acks: heard, needed },
        };
        if let Some(record) = operation.write.and_then(|write| self.writes.get_mut(write as usize)) {
            record.status = WriteStatus::Refused { at: self.tick, reason };
        }
        let latency_ms = self.tick - operation.started_at;
        self.clients[operation.side.index()].last = Some(Outcome::Refused { kind: operation.kind, reason, latency_ms });
        self.log(EventKind::Refused { side: operation.side, kind: operation.kind, write: operation.write, reason });
    }

    fn acknowledge_write(&mut self, operation: &Operation) {
        let Some(write) = operation.write else { return };
        let sequence = self.next_sequence();
        let acks = operation.heard.len();
        let wanted = operation.needed();
        if let Some(record) = self.writes.get_mut(write as usize) {
            record.status = WriteStatus::Acknowledged { at: self.tick, acks, wanted };
            record.acknowledged_sequence = Some(sequence);
        }
        self.last_acknowledged = Some(write);
        let latency_ms = self.tick - operation.started_at;
        let value = operation.value;
        self.clients[operation.side.index()].last = Some(Outcome::Wrote { write, value, acks, wanted, latency_ms });
        self.log(EventKind::WriteAcknowledged { write, side: operation.side, value, acks, wanted, latency_ms });
    }

    fn answer_read(&mut self, operation: Operation) {
        let versions = operation.gathered.siblings().to_vec();
        let freshness = self.freshness(&versions, operation.baseline);
        let replies = operation.heard.len();
        let wanted = operation.needed();
        let latency_ms = self.tick - operation.started_at;
        self.clients[operation.side.index()].last = Some(Outcome::Read { versions: versions.clone(), freshness, replies, wanted, latency_ms });
        self.log(EventKind::ReadAnswered { side: operation.side, versions, freshness, replies, wanted, latency_ms });
    }

    /// Compares a read's result with the write acknowledged last before the read began.
    fn freshness(&self, versions: &[Version], baseline: Option<WriteId>) -> Freshness {
        let Some((missed, expected)) = baseline.and_then(|write| Some((write, self.writes.get(write as usize)?.version?))) else {
            return Freshness::Current;
        };
        if versions.iter().any(|version| version.vector.covers(&expected.vector)) {
            Freshness::Current
        } else if self.reconcile == Reconcile::LastWriterWins && versions.iter().any(|version| version.beats(&expected)) {
            Freshness::Overruled { missed }
        } else {
            Freshness::Stale { missed }
        }
    }
}
