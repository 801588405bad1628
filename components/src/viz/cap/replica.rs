//! What one node stores: versions of the register, how two versions are ranked, and how a copy
//! that arrives is merged into the copy already there. Both merge rules are join-semilattices
//! (the order messages arrive in never changes the result), which is why anti-entropy converges.

/// The most nodes a cluster can have; vectors and link tables are sized for it.
pub const MAX_NODES: usize = 5;

/// A node's index, `0..node_count`; drawn as the letters A to E.
pub type NodeId = usize;

/// A write's index in the model's ledger, in the order the writes were issued.
pub type WriteId = u32;

/// The letter a node is drawn with.
pub fn node_name(node: NodeId) -> char {
    ['A', 'B', 'C', 'D', 'E'].get(node).copied().unwrap_or('?')
}

/// How replicas settle two writes that did not see each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reconcile {
    /// Keep the write with the highest `(timestamp, node)` stamp; the other is silently dropped.
    LastWriterWins,
    /// Keep every write no other write has seen, as siblings, until a later write supersedes them.
    VersionVectors,
}

/// One counter per node: how many writes coordinated by that node this version has seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct VersionVector(pub [u32; MAX_NODES]);

impl VersionVector {
    pub fn get(&self, node: NodeId) -> u32 {
        self.0.get(node).copied().unwrap_or(0)
    }

    /// True when `self` has seen everything `other` has: `other` happened before or is `self`.
    pub fn covers(&self, other: &VersionVector) -> bool {
        self.0.iter().zip(other.0.iter()).all(|(mine, theirs)| mine >= theirs)
    }

    /// Neither has seen the other: the two writes were concurrent.
    pub fn concurrent_with(&self, other: &VersionVector) -> bool {
        !self.covers(other) && !other.covers(self)
    }

    /// The pointwise maximum: everything either has seen.
    pub fn join(&self, other: &VersionVector) -> VersionVector {
        let mut joined = *self;
        for (mine, theirs) in joined.0.iter_mut().zip(other.0.iter()) {
            *mine = (*mine).max(*theirs);
        }
        joined
    }

    pub fn increment(&mut self, node: NodeId) {
        if let Some(count) = self.0.get_mut(node) {
            *count = count.saturating_add(1);
        }
    }

    /// Compact text such as `A1 C2` (zero entries left out), for labels.
    pub fn describe(&self) -> String {
        let parts: Vec<String> =
            self.0.iter().enumerate().filter(|(_, count)| **count > 0).map(|(node, count)| format!("{}{count}", node_name(node))).collect();
        if parts.is_empty() {
            "∅".to_string()
        } else {
            parts.join(" ")
        }
    }
}

/// When and where a write was stamped: the coordinator's clock reading (ms, possibly skewed) and
/// its id. Last-writer-wins ranks versions by this, then by write id so ties are still total.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub time_ms: i64,
    pub node: NodeId,
}

/// One written value, as stored on a replica.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    pub write: WriteId,
    pub value: u32,
    pub stamp: Stamp,
    /// Which writes this one had seen when it was made. Kept in both reconcile modes: under
    /// last-writer-wins it is not used to merge, only to tell an overwrite from a lost write.
    pub vector: VersionVector,
}

impl Version {
    /// Last-writer-wins order: higher stamp time, then higher node, then later write.
    pub fn beats(&self, other: &Version) -> bool {
        (self.stamp.time_ms, self.stamp.node, self.write) > (other.stamp.time_ms, other.stamp.node, other.write)
    }
}

/// A write that last-writer-wins dropped although its winner had never seen it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overwrite {
    pub lost: Version,
    pub winner: Version,
}

/// The register as one node holds it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replica {
    /// One version under last-writer-wins; under version vectors, every version not covered by
    /// another (concurrent siblings), ordered by write id.
    siblings: Vec<Version>,
    /// The join of every vector this node has stored or dropped: its causal history. A new write
    /// coordinated here starts from it, so the node's own writes always count up.
    seen: VersionVector,
}

impl Replica {
    pub fn siblings(&self) -> &[Version] {
        &self.siblings
    }

    pub fn seen(&self) -> VersionVector {
        self.seen
    }

    pub fn is_empty(&self) -> bool {
        self.siblings.is_empty()
    }

    /// The values held, in write order (one value unless there are siblings).
    pub fn values(&self) -> impl Iterator<Item = u32> + '_ {
        self.siblings.iter().map(|version| version.value)
    }

    /// The latest stamp time held, if any.
    pub fn newest_time(&self) -> Option<i64> {
        self.siblings.iter().map(|version| version.stamp.time_ms).max()
    }

    /// True when both hold exactly the same writes.
    pub fn same_writes(&self, other: &Replica) -> bool {
        self.siblings.len() == other.siblings.len() && self.siblings.iter().zip(&other.siblings).all(|(a, b)| a.write == b.write)
    }

    /// Merges one version in. Returns the write last-writer-wins dropped without its winner
    /// having seen it, so the model can report a lost write.
    pub fn merge(&mut self, incoming: &Version, rule: Reconcile) -> Option<Overwrite> {
        self.seen = self.seen.join(&incoming.vector);
        if self.siblings.iter().any(|held| held.write == incoming.write) {
            return None;
        }
        match rule {
            Reconcile::LastWriterWins => self.merge_last_writer_wins(incoming),
            Reconcile::VersionVectors => {
                self.merge_keeping_siblings(incoming);
                None
            }
        }
    }

    /// Merges every version of `other` in; returns the overwrites, if any.
    pub fn merge_all(&mut self, versions: &[Version], rule: Reconcile, mut on_overwrite: impl FnMut(Overwrite)) {
        for version in versions {
            if let Some(overwrite) = self.merge(version, rule) {
                on_overwrite(overwrite);
            }
        }
    }

    fn merge_last_writer_wins(&mut self, incoming: &Version) -> Option<Overwrite> {
        let Some(held) = self.siblings.iter().copied().reduce(|best, next| if next.beats(&best) { next } else { best }) else {
            self.siblings.push(*incoming);
            return None;
        };
        let (winner, loser) = if incoming.beats(&held) { (*incoming, held) } else { (held, *incoming) };
        self.siblings.clear();
        self.siblings.push(winner);
        (!winner.vector.covers(&loser.vector)).then_some(Overwrite { lost: loser, winner })
    }

    fn merge_keeping_siblings(&mut self, incoming: &Version) {
        if self.siblings.iter().any(|held| held.vector.covers(&incoming.vector)) {
            return;
        }
        self.siblings.retain(|held| !incoming.vector.covers(&held.vector));
        let at = self.siblings.partition_point(|held| held.write < incoming.write);
        self.siblings.insert(at, *incoming);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(write: WriteId, value: u32, time_ms: i64, node: NodeId, vector: [u32; MAX_NODES]) -> Version {
        Version { write, value, stamp: Stamp { time_ms, node }, vector: VersionVector(vector) }
    }

    #[test]
    fn vectors_order_causally() {
        let a1 = VersionVector([1, 0, 0, 0, 0]);
        let a1e1 = VersionVector([1, 0, 0, 0, 1]);
        let e1 = VersionVector([0, 0, 0, 0, 1]);
        assert!(a1e1.covers(&a1) && a1e1.covers(&e1) && a1.covers(&a1));
        assert!(!a1.covers(&a1e1));
        assert!(a1.concurrent_with(&e1));
        assert_eq!(a1.join(&e1), a1e1);
        assert_eq!(a1e1.describe(), "A1 E1");
        assert_eq!(VersionVector::default().describe(), "∅");
    }

    #[test]
    fn last_writer_wins_keeps_the_higher_stamp_and_reports_what_it_dropped() {
        let mut replica = Replica::default();
        let early = version(0, 10, 100, 0, [1, 0, 0, 0, 0]);
        let late = version(1, 20, 200, 4, [0, 0, 0, 0, 1]);
        assert_eq!(replica.merge(&late, Reconcile::LastWriterWins), None);
        // The early write arrives second and loses; its winner never saw it, so it is lost.
        assert_eq!(replica.merge(&early, Reconcile::LastWriterWins), Some(Overwrite { lost: early, winner: late }));
        assert_eq!(replica.values().collect::<Vec<_>>(), vec![20]);
        assert_eq!(replica.seen(), VersionVector([1, 0, 0, 0, 1]));
        // A write that had seen the held one replaces it quietly: that is an ordinary overwrite.
        let after = version(2, 30, 300, 0, [2, 0, 0, 0, 1]);
        assert_eq!(replica.merge(&after, Reconcile::LastWriterWins), None);
        assert_eq!(replica.values().collect::<Vec<_>>(), vec![30]);
        // Merging the same write again changes nothing.
        assert_eq!(replica.merge(&after, Reconcile::LastWriterWins), None);
        assert_eq!(replica.siblings().len(), 1);
    }

    #[test]
    fn equal_stamps_are_broken_by_node_then_write() {
        let from_a = version(5, 1, 100, 0, [1, 0, 0, 0, 0]);
        let from_b = version(4, 2, 100, 1, [0, 1, 0, 0, 0]);
        assert!(from_b.beats(&from_a));
        let again_from_a = version(6, 3, 100, 0, [2, 0, 0, 0, 0]);
        assert!(again_from_a.beats(&from_a));
    }

    #[test]
    fn version_vectors_keep_concurrent_writes_as_siblings_until_one_write_covers_them() {
        let mut replica = Replica::default();
        let left = version(0, 1, 100, 0, [1, 0, 0, 0, 0]);
        let right = version(1, 2, 50, 4, [0, 0, 0, 0, 1]);
        replica.merge(&right, Reconcile::VersionVectors);
        replica.merge(&left, Reconcile::VersionVectors);
        assert_eq!(replica.values().collect::<Vec<_>>(), vec![1, 2], "ordered by write id, both kept");
        // An older version arriving late is covered by what is held and ignored.
        replica.merge(&version(2, 9, 10, 0, [0, 0, 0, 0, 0]), Reconcile::VersionVectors);
        assert_eq!(replica.siblings().len(), 2);
        let resolved = version(3, 3, 120, 2, [1, 0, 1, 0, 1]);
        replica.merge(&resolved, Reconcile::VersionVectors);
        assert_eq!(replica.values().collect::<Vec<_>>(), vec![3]);
    }

    #[test]
    fn merge_order_does_not_change_the_result() {
        let versions = [
            version(0, 1, 100, 0, [1, 0, 0, 0, 0]),
            version(1, 2, 90, 4, [0, 0, 0, 0, 1]),
            version(2, 3, 95, 2, [1, 0, 1, 0, 0]),
            version(3, 4, 80, 4, [0, 0, 0, 0, 2]),
        ];
        for rule in [Reconcile::LastWriterWins, Reconcile::VersionVectors] {
            let mut forward = Replica::default();
            forward.merge_all(&versions, rule, |_| {});
            let mut backward = Replica::default();
            let reversed: Vec<Version> = versions.iter().rev().copied().collect();
            backward.merge_all(&reversed, rule, |_| {});
            assert!(forward.same_writes(&backward), "{rule:?}: {forward:?} vs {backward:?}");
        }
    }
}
