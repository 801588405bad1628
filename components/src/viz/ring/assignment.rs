//! Which node owns each key under one scheme, the load that gives each node, and which keys
//! changed owner between two assignments.

use super::hash_ring::{Node, NodeId, Ring, MAX_NODES};
use super::keys::Keys;
use std::sync::Arc;

/// Marks a key with no owner. Never stored while a scheme has a node; kept so a bug shows up
/// as a missing owner (which the tests catch) rather than a panic in the browser.
const NO_OWNER: u8 = u8::MAX;
const _: () = assert!(MAX_NODES < NO_OWNER as usize, "an owner must fit in one byte");

/// One key changing owner, for the animation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyMove {
    /// Key index: the key is `user:<key>`.
    pub key: u32,
    pub from: NodeId,
    pub to: NodeId,
}

/// The owner of every key. Owners are stored as one byte (an index into `nodes`) and shared on
/// clone, so a timeline keyframe of 100,000 keys costs a pointer, not 100 kB.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    /// The nodes when this assignment was made, in id order.
    nodes: Vec<Node>,
    owners: Arc<Vec<u8>>,
}

impl Assignment {
    /// `owners[key]` is an index into `nodes`.
    pub(crate) fn new(nodes: Vec<Node>, owners: Vec<u8>) -> Self {
        Self { nodes, owners: Arc::new(owners) }
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.owners.len()
    }

    pub fn is_empty(&self) -> bool {
        self.owners.is_empty()
    }

    /// The nodes this assignment spreads keys over, in id order.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// Who owns key `key`; `None` for a key index out of range.
    pub fn owner(&self, key: usize) -> Option<NodeId> {
        self.owners.get(key).and_then(|&slot| self.node_at(slot))
    }

    /// Every key's owner, by key index.
    pub fn owners(&self) -> impl Iterator<Item = Option<NodeId>> + '_ {
        self.owners.iter().map(|&slot| self.node_at(slot))
    }

    /// Keys held by each node, in the order of [`Assignment::nodes`].
    pub fn keys_per_node(&self) -> Vec<u32> {
        let mut counts = vec![0u32; self.nodes.len()];
        for &slot in self.owners.iter() {
            if let Some(count) = counts.get_mut(usize::from(slot)) {
                *count += 1;
            }
        }
        counts
    }

    pub fn stats(&self) -> LoadStats {
        LoadStats::new(&self.nodes, &self.keys_per_node())
    }

    /// The keys whose owner differs from `before` (which must cover the same keys).
    pub fn moves_since(&self, before: &Assignment) -> Vec<KeyMove> {
        let translate = self.translation_from(before);
        let mut moves = Vec::new();
        for (key, (&old, &new)) in before.owners.iter().zip(self.owners.iter()).enumerate() {
            if translate[usize::from(old)] != new {
                if let (Some(from), Some(to)) = (before.node_at(old), self.node_at(new)) {
                    moves.push(KeyMove { key: key as u32, from, to });
                }
            }
        }
        moves
    }

    /// How many keys changed owner since `before`; the count `moves_since` would list.
    pub fn moved_count_since(&self, before: &Assignment) -> usize {
        let translate = self.translation_from(before);
        before.owners.iter().zip(self.owners.iter()).filter(|&(&old, &new)| translate[usize::from(old)] != new).count()
    }

    /// Every key's owner byte, rewritten for `nodes` (the same owners, numbered for a new node
    /// list). Adding a node keeps every number, so that case is a plain copy.
    pub(crate) fn owners_translated_to(&self, nodes: &[Node]) -> Vec<u8> {
        let same_numbers = self.nodes.iter().enumerate().all(|(slot, node)| nodes.get(slot).is_some_and(|other| other.id == node.id));
        if same_numbers {
            return self.owners.to_vec();
        }
        let mut translate = [NO_OWNER; 256];
        for (old_slot, node) in self.nodes.iter().enumerate().take(MAX_NODES) {
            translate[old_slot] = slot_of(nodes, node.id);
        }
        self.owners.iter().map(|&slot| translate[usize::from(slot)]).collect()
    }

    /// Keys per node after `moves`, from the counts before them (`before[i]` for
    /// `before_nodes[i]`): O(nodes + moves) instead of a pass over every key.
    pub fn counts_after_moves(&self, before_nodes: &[Node], before: &[u32], moves: &[KeyMove]) -> Vec<u32> {
        let mut counts: Vec<u32> = self
            .nodes
            .iter()
            .map(|node| before_nodes.iter().position(|old| old.id == node.id).and_then(|index| before.get(index)).copied().unwrap_or(0))
            .collect();
        for key_move in moves {
            let slot = |id| usize::from(slot_of(&self.nodes, id));
            if let Some(count) = counts.get_mut(slot(key_move.from)) {
                *count = count.saturating_sub(1);
            }
            if let Some(count) = counts.get_mut(slot(key_move.to)) {
                *count += 1;
            }
        }
        counts
    }

    /// Key's owner as an index into `nodes`.
    pub(crate) fn owner_slot(&self, key: usize) -> Option<u8> {
        self.owners.get(key).copied()
    }

    fn node_at(&self, slot: u8) -> Option<NodeId> {
        self.nodes.get(usize::from(slot)).map(|node| node.id)
    }

    /// Maps each of `before`'s owner bytes to this assignment's byte for the same node, so
    /// comparing owners is a byte compare per key.
    fn translation_from(&self, before: &Assignment) -> [u8; 256] {
        let mut translate = [NO_OWNER; 256];
        for (old_slot, node) in before.nodes.iter().enumerate().take(MAX_NODES) {
            translate[old_slot] = slot_of(&self.nodes, node.id);
        }
        translate
    }
}

/// Index of `id` in `nodes` (sorted by id), as an owner byte.
pub(crate) fn slot_of(nodes: &[Node], id: NodeId) -> u8 {
    match nodes.binary_search_by_key(&id, |node| node.id) {
        Ok(index) if index < MAX_NODES => index as u8,
        _ => NO_OWNER,
    }
}

/// Consistent hashing proper: each key belongs to the first point at or after it clockwise.
/// Keys and points are both sorted, so one sweep assigns all keys: O(keys + points).
pub fn assign_ring(ring: &Ring, keys: &Keys) -> Assignment {
    let nodes = ring.nodes().to_vec();
    let points = ring.points();
    let point_slots: Vec<u8> = points.iter().map(|point| slot_of(&nodes, point.node)).collect();
    let wrap_slot = point_slots.first().copied().unwrap_or(NO_OWNER);
    let mut owners = vec![NO_OWNER; keys.len()];
    let mut next_point = 0;
    for &(hash, key) in keys.clockwise() {
        while points.get(next_point).is_some_and(|point| point.position < hash) {
            next_point += 1;
        }
        if let Some(owner) = owners.get_mut(key as usize) {
            *owner = point_slots.get(next_point).copied().unwrap_or(wrap_slot);
        }
    }
    Assignment::new(nodes, owners)
}

/// How many keys one node holds, next to what its weight entitles it to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeLoad {
    pub node: NodeId,
    pub weight: u32,
    pub keys: u32,
    /// `total keys × weight / total weight`: the bar's target line.
    pub fair_share: f64,
}

/// The balance of one assignment: what the keys-per-node chart and its summary show.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadStats {
    /// In node id order.
    pub loads: Vec<NodeLoad>,
    pub total_keys: u32,
    /// Mean keys per node.
    pub mean: f64,
    pub min: u32,
    pub max: u32,
    /// Population standard deviation of keys per node.
    pub std_dev: f64,
    /// `max / mean`: 1.0 is perfect balance; the busiest node's overload.
    pub max_over_mean: f64,
    /// The largest `keys / fair_share`: like `max_over_mean` but fair to weighted nodes
    /// (the two agree when every weight is 1).
    pub max_over_fair_share: f64,
}

impl LoadStats {
    /// `counts[i]` is the number of keys held by `nodes[i]`.
    pub fn new(nodes: &[Node], counts: &[u32]) -> Self {
        let total_keys: u32 = counts.iter().sum();
        let total_weight: u32 = nodes.iter().map(|node| node.weight).sum::<u32>().max(1);
        let loads: Vec<NodeLoad> = nodes
            .iter()
            .zip(counts)
            .map(|(node, &keys)| NodeLoad {
                node: node.id,
                weight: node.weight,
                keys,
                fair_share: f64::from(total_keys) * f64::from(node.weight) / f64::from(total_weight),
            })
            .collect();
        let node_count = loads.len().max(1) as f64;
        let mean = f64::from(total_keys) / node_count;
        let variance = loads.iter().map(|load| (f64::from(load.keys) - mean).powi(2)).sum::<f64>() / node_count;
        let min = loads.iter().map(|load| load.keys).min().unwrap_or(0);
        let max = loads.iter().map(|load| load.keys).max().unwrap_or(0);
        let ratio = |value: f64, base: f64| if base > 0.0 { value / base } else { 0.0 };
        let max_over_fair_share = loads.iter().map(|load| ratio(f64::from(load.keys), load.fair_share)).fold(0.0, f64::max);
        Self {
            loads,
            total_keys,
            mean,
            min,
            max,
            std_dev: variance.sqrt(),
            max_over_mean: ratio(f64::from(max), mean),
            max_over_fair_share,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::hash::HashFunction;
    use super::*;

    fn nodes(weights: &[(u32, u32)]) -> Vec<Node> {
        weights.iter().map(|&(id, weight)| Node { id: NodeId(id), weight }).collect()
    }

    #[test]
    fn stats_worked_by_hand() {
        // Counts 2, 4, 6: mean 4, deviations -2, 0, 2, variance 8/3, max/mean 1.5.
        let stats = LoadStats::new(&nodes(&[(1, 1), (2, 1), (3, 1)]), &[2, 4, 6]);
        assert_eq!((stats.total_keys, stats.min, stats.max), (12, 2, 6));
        assert_eq!(stats.mean, 4.0);
        assert!((stats.std_dev - (8.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(stats.max_over_mean, 1.5);
        assert_eq!(stats.max_over_fair_share, 1.5);
        assert_eq!(stats.loads[2].fair_share, 4.0);
    }

    #[test]
    fn fair_share_follows_weight() {
        // Weights 1 and 3 over 8 keys: fair shares 2 and 6; holding 4 and 4 overloads node 1 by 2×.
        let stats = LoadStats::new(&nodes(&[(1, 1), (2, 3)]), &[4, 4]);
        assert_eq!((stats.loads[0].fair_share, stats.loads[1].fair_share), (2.0, 6.0));
        assert_eq!(stats.max_over_fair_share, 2.0);
        assert_eq!(stats.max_over_mean, 1.0);
    }

    #[test]
    fn moves_compare_nodes_not_byte_positions() {
        // Before: nodes 1, 2, 3; after node 2 left, node 3 sits at index 1. Key 2 stays on
        // node 3 although its byte changed; key 1 moved from node 2 to node 1.
        let before = Assignment::new(nodes(&[(1, 1), (2, 1), (3, 1)]), vec![0, 1, 2]);
        let after = Assignment::new(nodes(&[(1, 1), (3, 1)]), vec![0, 0, 1]);
        assert_eq!(after.moves_since(&before), vec![KeyMove { key: 1, from: NodeId(2), to: NodeId(1) }]);
        assert_eq!(after.moved_count_since(&before), 1);
        assert_eq!(after.keys_per_node(), vec![2, 1]);
        assert_eq!(after.owner(2), Some(NodeId(3)));
        assert_eq!(after.owner(3), None);
    }

    #[test]
    fn the_ring_sweep_agrees_with_a_lookup_per_key() {
        let ring = Ring::new(HashFunction::Fnv1a, 7, 4);
        let keys = Keys::new(2_000, HashFunction::Fnv1a);
        let assignment = assign_ring(&ring, &keys);
        for (key, &hash) in keys.hashes().iter().enumerate() {
            assert_eq!(assignment.owner(key), ring.owner_of(hash), "key {key}");
        }
    }
}
