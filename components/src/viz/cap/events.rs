//! The event log: what happened, as data for the view and as sentences for the live region.

use super::network::NodeSet;
use super::operations::{Freshness, LossCause, OperationKind, Refusal};
use super::replica::{node_name, NodeId, Version, WriteId};
use super::{Mode, Replication, Side};

/// Something that happened at tick `at`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    /// Counts up from 0 over the whole run: a stable key for lists, and a way to spot new events.
    pub id: u64,
    pub at: u64,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    LinkCut { a: NodeId, b: NodeId, lost_messages: usize },
    LinkHealed { a: NodeId, b: NodeId },
    Partitioned { left: NodeSet, right: NodeSet },
    HealedAll { links: usize },
    WriteIssued { write: WriteId, side: Side, value: u32, coordinator: NodeId },
    WriteAcknowledged { write: WriteId, side: Side, value: u32, acks: usize, wanted: usize, latency_ms: u64 },
    ReadIssued { side: Side, coordinator: NodeId },
    /// `versions` are what the client got: one, several siblings, or none if never written.
    ReadAnswered { side: Side, versions: Vec<Version>, freshness: Freshness, replies: usize, wanted: usize, latency_ms: u64 },
    /// CP returned an error to a client.
    Refused { side: Side, kind: OperationKind, write: Option<WriteId>, reason: Refusal },
    /// Last-writer-wins dropped a write its winner had never seen. The ledger says whether the
    /// client had been told it succeeded.
    WriteLost { write: WriteId, value: u32, winner: WriteId, winner_value: u32, node: NodeId, cause: LossCause },
    ModeChanged(Mode),
    QuorumChanged { read: usize, write: usize },
    ReplicationChanged(Replication),
    /// An action that does not fit this cluster, with the reason.
    Ignored(&'static str),
}

fn names(set: NodeSet) -> String {
    set.iter().map(node_name).collect()
}

fn capitalised(side: Side) -> &'static str {
    match side {
        Side::Left => "Left",
        Side::Right => "Right",
    }
}

impl Event {
    /// One sentence, for the log and the live region.
    pub fn describe(&self) -> String {
        match &self.kind {
            EventKind::LinkCut { a, b, lost_messages } => {
                let lost = match lost_messages {
                    0 => String::new(),
                    1 => " 1 message in flight is lost.".to_string(),
                    many => format!(" {many} messages in flight are lost."),
                };
                format!("Link {}–{} cut.{lost}", node_name(*a), node_name(*b))
            }
            EventKind::LinkHealed { a, b } => format!("Link {}–{} healed; the two nodes exchange their copies.", node_name(*a), node_name(*b)),
            EventKind::Partitioned { left, right } => format!("Partition: {} | {}.", names(*left), names(*right)),
            EventKind::HealedAll { links: 0 } => "Every link was already up.".to_string(),
            EventKind::HealedAll { links } => format!("{links} links healed; nodes exchange copies to reconcile."),
            EventKind::WriteIssued { write, side, value, coordinator } => {
                format!("{} client writes {value} (write #{write}) through {}.", capitalised(*side), node_name(*coordinator))
            }
            EventKind::WriteAcknowledged { write, side, value, acks, wanted, latency_ms } => {
                let short = if acks < wanted { format!(" with only {acks} of {wanted} copies (AP accepts short of the quorum)") } else { String::new() };
                format!("{} write #{write} of {value} acknowledged after {latency_ms} ms{short}.", capitalised(*side))
            }
            EventKind::ReadIssued { side, coordinator } => format!("{} client reads through {}.", capitalised(*side), node_name(*coordinator)),
            EventKind::ReadAnswered { side, versions, freshness, replies, wanted, latency_ms } => {
                let shown = match versions.as_slice() {
                    [] => "nothing (never written)".to_string(),
                    [one] => one.value.to_string(),
                    many => format!("siblings {}", many.iter().map(|version| version.value.to_string()).collect::<Vec<_>>().join(" and ")),
                };
                let short = if replies < wanted { format!(", from only {replies} of {wanted} replicas") } else { String::new() };
                let verdict = match freshness {
                    Freshness::Current => String::new(),
                    Freshness::Stale { missed } => format!(" Stale: it misses acknowledged write #{missed}."),
                    Freshness::Overruled { missed } => format!(" Acknowledged write #{missed} is not in it: last-writer-wins ranked another write higher."),
                };
                format!("{} read returns {shown} after {latency_ms} ms{short}.{verdict}", capitalised(*side))
            }
            EventKind::Refused { side, kind, write, reason } => {
                let what = match (kind, write) {
                    (OperationKind::Write, Some(write)) => format!("write #{write}"),
                    (OperationKind::Write, None) => "write".to_string(),
                    (OperationKind::Read, _) => "read".to_string(),
                };
                format!("{} {what} refused: {}.", capitalised(*side), reason.describe())
            }
            EventKind::WriteLost { write, value, winner, winner_value, node, cause } => {
                let why = match cause {
                    LossCause::Concurrent => format!("write #{winner} ({winner_value}) never saw it but carries the later timestamp"),
                    LossCause::ClockSkew => format!(
                        "its timestamp is no later than that of write #{winner} ({winner_value}), which was acknowledged before it was even issued; last-writer-wins trusts clocks, and these did not order the two writes"
                    ),
                };
                format!("Last-writer-wins dropped write #{write} ({value}) at {}: {why}.", node_name(*node))
            }
            EventKind::ModeChanged(mode) => format!("Mode is now {}.", mode.label()),
            EventKind::QuorumChanged { read, write } => format!("Quorum is now R = {read}, W = {write}."),
            EventKind::ReplicationChanged(replication) => format!("AP replication is now {}.", replication.label()),
            EventKind::Ignored(reason) => format!("Ignored: {reason}."),
        }
    }
}
