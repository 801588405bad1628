//! Links and messages: what is on the wire, what a cut loses, and the anti-entropy exchange a
//! heal starts.

use super::events::EventKind;
use super::operations::OperationId;
use super::replica::{NodeId, Version, MAX_NODES};
use super::CapCluster;

/// A small set of node ids (bit `n` set when node `n` is in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct NodeSet(u8);

impl NodeSet {
    pub fn single(node: NodeId) -> Self {
        let mut set = Self::default();
        set.insert(node);
        set
    }

    pub fn contains(self, node: NodeId) -> bool {
        node < MAX_NODES && self.0 & (1 << node) != 0
    }

    pub fn insert(&mut self, node: NodeId) {
        if node < MAX_NODES {
            self.0 |= 1 << node;
        }
    }

    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Members in increasing order.
    pub fn iter(self) -> impl Iterator<Item = NodeId> {
        (0..MAX_NODES).filter(move |node| self.contains(*node))
    }
}

/// One link, `a < b`, as drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub a: NodeId,
    pub b: NodeId,
    pub up: bool,
}

/// What a message carries.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageBody {
    /// CP write, phase one: "what is your newest version?"
    VersionQuery { operation: OperationId },
    VersionReply { operation: OperationId, versions: Vec<Version> },
    ReadQuery { operation: OperationId },
    ReadReply { operation: OperationId, versions: Vec<Version> },
    /// A write to store. `operation` is set when the coordinator waits for the acknowledgement.
    Store { operation: Option<OperationId>, version: Version },
    StoreAck { operation: OperationId },
    /// A whole copy, sent both ways when a link heals.
    AntiEntropy { versions: Vec<Version> },
}

/// The kind of a message alone, for colour, shape and legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    VersionQuery,
    VersionReply,
    ReadQuery,
    ReadReply,
    Store,
    StoreAck,
    AntiEntropy,
}

impl MessageKind {
    pub fn label(self) -> &'static str {
        match self {
            MessageKind::VersionQuery => "version?",
            MessageKind::VersionReply => "version",
            MessageKind::ReadQuery => "read?",
            MessageKind::ReadReply => "value",
            MessageKind::Store => "store",
            MessageKind::StoreAck => "ack",
            MessageKind::AntiEntropy => "sync",
        }
    }
}

/// A message on a link.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub from: NodeId,
    pub to: NodeId,
    pub sent_at: u64,
    pub arrives_at: u64,
    /// The link was cut when it was sent or while it travelled: it will never arrive. Draw it
    /// stopping at the break.
    pub lost: bool,
    pub body: MessageBody,
}

impl Message {
    pub fn kind(&self) -> MessageKind {
        match self.body {
            MessageBody::VersionQuery { .. } => MessageKind::VersionQuery,
            MessageBody::VersionReply { .. } => MessageKind::VersionReply,
            MessageBody::ReadQuery { .. } => MessageKind::ReadQuery,
            MessageBody::ReadReply { .. } => MessageKind::ReadReply,
            MessageBody::Store { .. } => MessageKind::Store,
            MessageBody::StoreAck { .. } => MessageKind::StoreAck,
            MessageBody::AntiEntropy { .. } => MessageKind::AntiEntropy,
        }
    }

    /// How far along its link the message is at `now`, from 0 (just sent) to 1 (arriving).
    pub fn progress(&self, now: u64) -> f64 {
        let span = self.arrives_at.saturating_sub(self.sent_at).max(1);
        (now.saturating_sub(self.sent_at) as f64 / span as f64).clamp(0.0, 1.0)
    }
}

impl CapCluster {
    /// Every link once, `a < b`.
    pub fn links(&self) -> impl Iterator<Item = Link> + '_ {
        let nodes = self.node_count();
        (0..nodes).flat_map(move |a| (a + 1..nodes).map(move |b| Link { a, b, up: self.link_up(a, b) }))
    }

    /// Whether the link between two nodes is up (false for a node and itself, or unknown ids).
    pub fn link_up(&self, a: NodeId, b: NodeId) -> bool {
        self.links.get(a).and_then(|row| row.get(b)).copied().unwrap_or(false)
    }

    /// A node and the peers it can reach directly.
    pub fn reachable_from(&self, node: NodeId) -> NodeSet {
        let mut set = NodeSet::single(node);
        for peer in 0..self.node_count() {
            if self.link_up(node, peer) {
                set.insert(peer);
            }
        }
        set
    }

    pub(super) fn send(&mut self, from: NodeId, to: NodeId, body: MessageBody) {
        let lost = !self.link_up(from, to);
        self.messages.push_back(Message { from, to, sent_at: self.tick, arrives_at: self.tick + self.latency_ms, lost, body });
    }

    /// Sends to every other node; `body` builds each copy.
    pub(super) fn broadcast(&mut self, from: NodeId, body: impl Fn() -> MessageBody) {
        for to in 0..self.node_count() {
            if to != from {
                self.send(from, to, body());
            }
        }
    }

    pub(super) fn deliver_due_messages(&mut self) {
        while self.messages.front().is_some_and(|message| message.arrives_at <= self.tick) {
            let Some(message) = self.messages.pop_front() else { break };
            if !message.lost {
                self.receive(message);
            }
        }
    }

    /// Cuts a link (both ways); messages on it are lost.
    pub(super) fn cut_link(&mut self, a: NodeId, b: NodeId) {
        if self.set_link(a, b, false) {
            let lost = self.mark_lost(a, b);
            self.log(EventKind::LinkCut { a, b, lost_messages: lost });
        }
    }

    /// Heals a link; its two ends then exchange their copies.
    pub(super) fn heal_link(&mut self, a: NodeId, b: NodeId) {
        if self.set_link(a, b, true) {
            self.exchange_copies(a, b);
            self.log(EventKind::LinkHealed { a, b });
        }
    }

    /// Sets every link: up within each side, cut across. The first `left` nodes are the left side.
    pub(super) fn partition(&mut self, left: usize) {
        let nodes = self.node_count();
        for a in 0..nodes {
            for b in a + 1..nodes {
                let same_side = (a < left) == (b < left);
                if self.set_link(a, b, same_side) {
                    if same_side {
                        self.exchange_copies(a, b);
                    } else {
                        self.mark_lost(a, b);
                    }
                }
            }
        }
        let mut left_side = NodeSet::default();
        let mut right_side = NodeSet::default();
        for node in 0..nodes {
            if node < left {
                left_side.insert(node);
            } else {
                right_side.insert(node);
            }
        }
        self.log(EventKind::Partitioned { left: left_side, right: right_side });
    }

    pub(super) fn heal_all(&mut self) {
        let cut: Vec<(NodeId, NodeId)> = self.links().filter(|link| !link.up).map(|link| (link.a, link.b)).collect();
        for &(a, b) in &cut {
            self.set_link(a, b, true);
            self.exchange_copies(a, b);
        }
        self.log(EventKind::HealedAll { links: cut.len() });
    }

    /// Returns whether the state changed.
    fn set_link(&mut self, a: NodeId, b: NodeId, up: bool) -> bool {
        if !self.valid_pair(a, b) || self.link_up(a, b) == up {
            return false;
        }
        self.links[a][b] = up;
        self.links[b][a] = up;
        true
    }

    fn mark_lost(&mut self, a: NodeId, b: NodeId) -> usize {
        let mut lost = 0;
        for message in self.messages.iter_mut().filter(|message| !message.lost) {
            if (message.from, message.to) == (a, b) || (message.from, message.to) == (b, a) {
                message.lost = true;
                lost += 1;
            }
        }
        lost
    }

    fn exchange_copies(&mut self, a: NodeId, b: NodeId) {
        for (from, to) in [(a, b), (b, a)] {
            let versions = self.replicas.get(from).map(|replica| replica.siblings().to_vec()).unwrap_or_default();
            if !versions.is_empty() {
                self.send(from, to, MessageBody::AntiEntropy { versions });
            }
        }
    }
}
