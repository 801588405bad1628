//! The ring itself: nodes, their virtual nodes as sorted points on a 64-bit circle, and the
//! clockwise rule that gives every position exactly one owner.

use super::hash::HashFunction;
use std::fmt;
use std::sync::Arc;

/// The most nodes a ring holds: keeps the biggest ring (128 × 500 × 10 points) within what a
/// phone can handle, and lets assignments store an owner in one byte.
pub const MAX_NODES: usize = 128;
pub const MAX_VIRTUAL_NODES: u32 = 500;
pub const MAX_WEIGHT: u32 = 10;

/// A node's name, stable for its life; ids are never reused, so `node-7` always means one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "node-{}", self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Node {
    pub id: NodeId,
    /// 1..=10: the node gets `weight ×` the ring's virtual nodes, so about that many times the keys.
    pub weight: u32,
}

/// One virtual node: a point on the ring that owns the arc running counter-clockwise back to
/// the previous point. Points sort by position (ties by node, then replica, so order is total).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Point {
    /// Where on the circle: `0..=u64::MAX`, read clockwise; see [`super::angle_fraction`].
    pub position: u64,
    pub node: NodeId,
    /// Which of the node's virtual nodes this is (`0..weight × virtual nodes`).
    pub replica: u32,
}

/// One point passed on a clockwise walk from a key's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkStep {
    /// Index into [`Ring::points`].
    pub point_index: usize,
    pub point: Point,
    /// True when this point's node had not been met yet on the walk: it becomes the next
    /// replica (the first such step is the key's owner). False: skipped, a node already chosen.
    pub new_owner: bool,
}

/// Why a change to the ring was refused, in words the page can show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingError {
    Full,
    LastNode,
    UnknownNode(NodeId),
    WeightOutOfRange(u32),
    OutOfNames,
}

impl fmt::Display for RingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RingError::Full => write!(f, "the ring already holds {MAX_NODES} nodes, the most this view draws"),
            RingError::LastNode => write!(f, "it is the last node, and every key needs an owner"),
            RingError::UnknownNode(id) => write!(f, "{id} is not on the ring"),
            RingError::WeightOutOfRange(weight) => write!(f, "a weight must be 1 to {MAX_WEIGHT}, not {weight}"),
            RingError::OutOfNames => write!(f, "no node names are left"),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ring {
    hash_function: HashFunction,
    virtual_nodes: u32,
    /// Sorted by id, which is also the order they were added.
    nodes: Vec<Node>,
    next_id: u32,
    /// Sorted; shared on clone, replaced whole on change.
    points: Arc<Vec<Point>>,
}

impl Ring {
    /// `node_count` nodes of weight 1 named `node-1`, `node-2`, …, each with `virtual_nodes`
    /// points. Both counts are clamped to what the ring supports (at least one node and point).
    pub fn new(hash_function: HashFunction, virtual_nodes: u32, node_count: usize) -> Self {
        let virtual_nodes = virtual_nodes.clamp(1, MAX_VIRTUAL_NODES);
        let node_count = node_count.clamp(1, MAX_NODES) as u32;
        let nodes: Vec<Node> = (1..=node_count).map(|id| Node { id: NodeId(id), weight: 1 }).collect();
        let mut ring = Self { hash_function, virtual_nodes, nodes, next_id: node_count + 1, points: Arc::new(Vec::new()) };
        let mut points = Vec::with_capacity(node_count as usize * virtual_nodes as usize);
        for node in &ring.nodes {
            points.extend(ring.points_for(node.id, 0..virtual_nodes));
        }
        points.sort_unstable();
        ring.points = Arc::new(points);
        ring
    }

    pub fn hash_function(&self) -> HashFunction {
        self.hash_function
    }

    /// Virtual nodes per unit of weight.
    pub fn virtual_nodes(&self) -> u32 {
        self.virtual_nodes
    }

    /// In id order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.iter().find(|node| node.id == id)
    }

    pub fn total_weight(&self) -> u32 {
        self.nodes.iter().map(|node| node.weight).sum()
    }

    /// Every virtual node, sorted clockwise from position 0.
    pub fn points(&self) -> &[Point] {
        &self.points
    }

    /// The points, shared: a change replaces them whole, so the old list can be kept for
    /// comparing with the new one at the cost of a pointer.
    pub(crate) fn shared_points(&self) -> Arc<Vec<Point>> {
        Arc::clone(&self.points)
    }

    /// The id the next added node will get.
    pub fn next_id(&self) -> NodeId {
        NodeId(self.next_id)
    }

    /// Adds a node of weight 1 and its virtual nodes.
    pub fn add_node(&mut self) -> Result<NodeId, RingError> {
        if self.nodes.len() >= MAX_NODES {
            return Err(RingError::Full);
        }
        let id = NodeId(self.next_id);
        self.next_id = self.next_id.checked_add(1).ok_or(RingError::OutOfNames)?;
        self.nodes.push(Node { id, weight: 1 });
        let added: Vec<Point> = self.points_for(id, 0..self.virtual_nodes).collect();
        self.merge_points(added);
        Ok(id)
    }

    /// Removes a node and its virtual nodes; its keys fall to the next points clockwise.
    pub fn remove_node(&mut self, id: NodeId) -> Result<Node, RingError> {
        let index = self.nodes.iter().position(|node| node.id == id).ok_or(RingError::UnknownNode(id))?;
        if self.nodes.len() == 1 {
            return Err(RingError::LastNode);
        }
        let removed = self.nodes.remove(index);
        self.points = Arc::new(self.points.iter().filter(|point| point.node != id).copied().collect());
        Ok(removed)
    }

    /// Gives a node `weight × virtual nodes` points; returns the old weight. Replica `r` always
    /// sits at the same position, so raising a weight only adds points and lowering one only
    /// removes points: keys move only to or from this node.
    pub fn set_weight(&mut self, id: NodeId, weight: u32) -> Result<u32, RingError> {
        if !(1..=MAX_WEIGHT).contains(&weight) {
            return Err(RingError::WeightOutOfRange(weight));
        }
        let node = self.nodes.iter_mut().find(|node| node.id == id).ok_or(RingError::UnknownNode(id))?;
        let old = std::mem::replace(&mut node.weight, weight);
        let (old_count, new_count) = (old * self.virtual_nodes, weight * self.virtual_nodes);
        if new_count > old_count {
            let added: Vec<Point> = self.points_for(id, old_count..new_count).collect();
            self.merge_points(added);
        } else if new_count < old_count {
            let kept = self.points.iter().filter(|point| point.node != id || point.replica < new_count).copied().collect();
            self.points = Arc::new(kept);
        }
        Ok(old)
    }

    /// Index of the point that owns `hash`: the first at or after it clockwise, wrapping past
    /// the top of the circle to the first point. `None` only for a ring without points.
    pub fn owner_point(&self, hash: u64) -> Option<usize> {
        if self.points.is_empty() {
            return None;
        }
        let index = self.points.partition_point(|point| point.position < hash);
        Some(if index == self.points.len() { 0 } else { index })
    }

    /// The node that owns a key with this hash.
    pub fn owner_of(&self, hash: u64) -> Option<NodeId> {
        self.owner_point(hash).and_then(|index| self.points.get(index)).map(|point| point.node)
    }

    /// The points met walking clockwise from `hash` until `replicas` distinct nodes are found
    /// (clamped to `1..=` the number of nodes). With `replicas = 1` it is the single step to the
    /// owner; with more, the walk also shows the points it skips because their node was taken.
    pub fn walk(&self, hash: u64, replicas: usize) -> Vec<WalkStep> {
        let wanted = replicas.clamp(1, self.nodes.len().max(1));
        let Some(start) = self.owner_point(hash) else { return Vec::new() };
        let mut found: Vec<NodeId> = Vec::with_capacity(wanted);
        let mut steps = Vec::new();
        for offset in 0..self.points.len() {
            let point_index = (start + offset) % self.points.len();
            let Some(&point) = self.points.get(point_index) else { break };
            let new_owner = !found.contains(&point.node);
            if new_owner {
                found.push(point.node);
            }
            steps.push(WalkStep { point_index, point, new_owner });
            if found.len() == wanted {
                break;
            }
        }
        steps
    }

    /// The first `factor` distinct nodes clockwise from `hash`: the owner, then its replicas.
    pub fn replicas(&self, hash: u64, factor: usize) -> Vec<NodeId> {
        self.walk(hash, factor).into_iter().filter(|step| step.new_owner).map(|step| step.point.node).collect()
    }

    /// Replica `r` of a node is placed at the hash of `"node-7#r/vnode"`. The fixed suffix is
    /// there for FNV-1a: its last few input bytes barely reach the high bits, so labels ending
    /// in the part that varies (`"node-7#1"`, `"node-8#1"`) would bunch together on the ring.
    fn points_for(&self, node: NodeId, replicas: std::ops::Range<u32>) -> impl Iterator<Item = Point> + '_ {
        let mut label = String::new();
        replicas.map(move |replica| {
            use std::fmt::Write;
            label.clear();
            let _ = write!(label, "{node}#{replica}/vnode");
            Point { position: self.hash_function.hash(label.as_bytes()), node, replica }
        })
    }

    /// Both lists are sorted, so one merge keeps the ring sorted in O(points).
    fn merge_points(&mut self, mut added: Vec<Point>) {
        added.sort_unstable();
        let mut merged = Vec::with_capacity(self.points.len() + added.len());
        let (mut old, mut new) = (self.points.iter().peekable(), added.into_iter().peekable());
        loop {
            let take_old = match (old.peek(), new.peek()) {
                (Some(a), Some(b)) => *a <= b,
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let next = if take_old { old.next().copied() } else { new.next() };
            merged.extend(next);
        }
        self.points = Arc::new(merged);
    }

    /// A ring with points placed by hand, for tests that work positions out on paper.
    #[cfg(test)]
    pub(crate) fn with_points(nodes: &[(u32, &[u64])]) -> Self {
        let mut points = Vec::new();
        for &(id, positions) in nodes {
            for (replica, &position) in positions.iter().enumerate() {
                points.push(Point { position, node: NodeId(id), replica: replica as u32 });
            }
        }
        points.sort_unstable();
        let next_id = nodes.iter().map(|&(id, _)| id).max().unwrap_or(0) + 1;
        Self {
            hash_function: HashFunction::Murmur3,
            virtual_nodes: 1,
            nodes: nodes.iter().map(|&(id, _)| Node { id: NodeId(id), weight: 1 }).collect(),
            next_id,
            points: Arc::new(points),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Node 1 at 100 and 700, node 2 at 300, node 3 at 500 (positions picked for the test).
    fn small_ring() -> Ring {
        Ring::with_points(&[(1, &[100, 700]), (2, &[300]), (3, &[500])])
    }

    #[test]
    fn a_key_belongs_to_the_first_point_clockwise() {
        let ring = small_ring();
        assert_eq!(ring.owner_of(0), Some(NodeId(1)));
        assert_eq!(ring.owner_of(100), Some(NodeId(1)), "a point owns its own position");
        assert_eq!(ring.owner_of(101), Some(NodeId(2)));
        assert_eq!(ring.owner_of(301), Some(NodeId(3)));
        assert_eq!(ring.owner_of(600), Some(NodeId(1)));
        assert_eq!(ring.owner_of(701), Some(NodeId(1)), "past the last point the walk wraps to 100");
        assert_eq!(ring.owner_of(u64::MAX), Some(NodeId(1)));
    }

    #[test]
    fn the_walk_skips_nodes_already_chosen() {
        let ring = small_ring();
        // From 600: 700 (node 1, owner), wrap to 100 (node 1 again, skipped), 300 (node 2).
        let steps = ring.walk(600, 2);
        let visited: Vec<(u64, u32, bool)> = steps.iter().map(|s| (s.point.position, s.point.node.0, s.new_owner)).collect();
        assert_eq!(visited, vec![(700, 1, true), (100, 1, false), (300, 2, true)]);
        assert_eq!(steps[0].point_index, 3);
        assert_eq!(ring.replicas(600, 3), vec![NodeId(1), NodeId(2), NodeId(3)]);
        assert_eq!(ring.replicas(600, 99), vec![NodeId(1), NodeId(2), NodeId(3)], "clamped to the node count");
        assert_eq!(ring.replicas(600, 0), vec![NodeId(1)], "at least the owner");
    }

    #[test]
    fn nodes_are_named_from_one_and_ids_are_never_reused() {
        let mut ring = Ring::new(HashFunction::Murmur3, 10, 3);
        assert_eq!(ring.nodes().iter().map(|n| n.id.to_string()).collect::<Vec<_>>(), ["node-1", "node-2", "node-3"]);
        assert_eq!(ring.points().len(), 30);
        assert_eq!(ring.remove_node(NodeId(3)), Ok(Node { id: NodeId(3), weight: 1 }));
        assert_eq!(ring.add_node(), Ok(NodeId(4)));
        assert_eq!(ring.points().len(), 30);
        assert!(ring.points().windows(2).all(|pair| pair[0] < pair[1]), "merging keeps the points sorted");
    }

    #[test]
    fn weight_multiplies_virtual_nodes_and_keeps_old_positions() {
        let mut ring = Ring::new(HashFunction::Fnv1a, 20, 2);
        let before: Vec<Point> = ring.points().iter().filter(|p| p.node == NodeId(1)).copied().collect();
        assert_eq!(ring.set_weight(NodeId(1), 3), Ok(1));
        let after: Vec<Point> = ring.points().iter().filter(|p| p.node == NodeId(1)).copied().collect();
        assert_eq!(after.len(), 60);
        assert!(before.iter().all(|p| after.contains(p)));
        assert!(ring.points().windows(2).all(|pair| pair[0] < pair[1]), "merging keeps the points sorted");
        assert_eq!(ring.set_weight(NodeId(1), 1), Ok(3));
        let back: Vec<Point> = ring.points().iter().filter(|p| p.node == NodeId(1)).copied().collect();
        assert_eq!(back, before);
        assert_eq!(ring.total_weight(), 2);
    }

    #[test]
    fn bad_changes_are_refused_and_change_nothing() {
        let mut ring = Ring::new(HashFunction::Murmur3, 5, 1);
        let before = ring.clone();
        assert_eq!(ring.remove_node(NodeId(1)), Err(RingError::LastNode));
        assert_eq!(ring.remove_node(NodeId(9)), Err(RingError::UnknownNode(NodeId(9))));
        assert_eq!(ring.set_weight(NodeId(1), 0), Err(RingError::WeightOutOfRange(0)));
        assert_eq!(ring.set_weight(NodeId(1), 11), Err(RingError::WeightOutOfRange(11)));
        assert_eq!(ring.set_weight(NodeId(2), 2), Err(RingError::UnknownNode(NodeId(2))));
        assert_eq!(ring, before);
        let mut full = Ring::new(HashFunction::Murmur3, 1, 1000);
        assert_eq!(full.nodes().len(), MAX_NODES);
        assert_eq!(full.add_node(), Err(RingError::Full));
    }

    #[test]
    fn counts_are_clamped() {
        let ring = Ring::new(HashFunction::Murmur3, 0, 0);
        assert_eq!((ring.nodes().len(), ring.points().len()), (1, 1));
        assert_eq!(Ring::new(HashFunction::Murmur3, 9999, 1).virtual_nodes(), MAX_VIRTUAL_NODES);
    }
}
