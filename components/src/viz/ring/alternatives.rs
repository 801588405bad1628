//! The schemes the ring is compared with, on the same keys and the same node changes:
//! rendezvous hashing, jump consistent hash, and plain `hash % N` as the cautionary tale.

use super::assignment::{slot_of, Assignment};
use super::hash::{fmix64, HashFunction};
use super::hash_ring::{Node, NodeId, MAX_NODES};
use super::keys::Keys;
use std::cmp::Ordering;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlternativeScheme {
    /// Highest random weight (Thaler & Ravishankar 1996): every node bids on every key and
    /// the highest bid owns it. Weighted bids follow Schindelhauer & Schomaker (2005).
    Rendezvous,
    /// Jump consistent hash (Lamping & Veach 2014): buckets numbered `0..n`, no stored ring.
    Jump,
}

impl AlternativeScheme {
    pub const ALL: [AlternativeScheme; 2] = [AlternativeScheme::Jump, AlternativeScheme::Rendezvous];

    /// The value the URL carries (`compare=jump`).
    pub fn key(self) -> &'static str {
        match self {
            AlternativeScheme::Rendezvous => "rendezvous",
            AlternativeScheme::Jump => "jump",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AlternativeScheme::Rendezvous => "rendezvous hashing",
            AlternativeScheme::Jump => "jump hash",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scheme| scheme.key() == key)
    }
}

/// Jump consistent hash, as published by Lamping & Veach: the bucket in `0..buckets` for `key`.
/// Growing `buckets` by one moves a key only into the new bucket. `buckets = 0` gives 0.
pub fn jump_consistent_hash(key: u64, buckets: u32) -> u32 {
    jump_with_next(key, buckets).bucket
}

/// A key's place under jump hash, and where it would jump next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JumpPlace {
    /// The bucket for the current bucket count.
    pub bucket: u32,
    /// The key's next jump destination (saturated at `u32::MAX`): at least the bucket count,
    /// and the key stays in `bucket` for every count up to and including it. Growing the count
    /// past `next` is the only way the key moves, so keys with `next` beyond the new count are
    /// left alone.
    pub next: u32,
}

/// Lamping & Veach's loop, stopped where it stops, keeping the jump it did not take.
pub fn jump_with_next(mut key: u64, buckets: u32) -> JumpPlace {
    let (mut bucket, mut next): (i64, i64) = (-1, 0);
    while next < i64::from(buckets) {
        bucket = next;
        key = key.wrapping_mul(2_862_933_555_777_941_757).wrapping_add(1);
        next = ((bucket + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    JumpPlace { bucket: bucket.max(0) as u32, next: next.clamp(0, i64::from(u32::MAX)) as u32 }
}

/// The alternative scheme's own structure and its assignment of the keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    scheme: AlternativeScheme,
    hash_function: HashFunction,
    /// Jump only: bucket number → node; a node of weight `w` holds `w` buckets.
    buckets: Vec<NodeId>,
    /// Jump only: every key's bucket and next jump, so a change revisits only the keys it can
    /// move (shared on clone, like the assignment).
    jump_places: Arc<Vec<JumpPlace>>,
    assignment: Assignment,
}

impl Alternative {
    pub fn new(scheme: AlternativeScheme, nodes: &[Node], keys: &Keys) -> Self {
        let hash_function = keys.hash_function();
        let mut alternative = Self {
            scheme,
            hash_function,
            buckets: Vec::new(),
            jump_places: Arc::new(Vec::new()),
            assignment: Assignment::new(nodes.to_vec(), Vec::new()),
        };
        alternative.assignment = match scheme {
            AlternativeScheme::Rendezvous => alternative.full_rendezvous(nodes, keys),
            AlternativeScheme::Jump => {
                alternative.sync_buckets(nodes);
                let count = alternative.buckets.len() as u32;
                alternative.jump_places = Arc::new(keys.hashes().iter().map(|&hash| jump_with_next(hash, count)).collect());
                alternative.jump_assignment(nodes)
            }
        };
        alternative
    }

    pub fn scheme(&self) -> AlternativeScheme {
        self.scheme
    }

    pub fn assignment(&self) -> &Assignment {
        &self.assignment
    }

    /// Jump's bucket table (empty for rendezvous): bucket `i` belongs to `buckets()[i]`.
    pub fn buckets(&self) -> &[NodeId] {
        &self.buckets
    }

    /// Follows the ring to its new set of nodes (added, removed or reweighted) and returns how
    /// many keys changed owner under this scheme.
    pub fn update(&mut self, nodes: &[Node], keys: &Keys) -> usize {
        let next = match self.scheme {
            AlternativeScheme::Rendezvous => self.updated_rendezvous(nodes, keys),
            AlternativeScheme::Jump => {
                let old_count = self.buckets.len() as u32;
                self.sync_buckets(nodes);
                self.update_jump_places(old_count, keys);
                self.jump_assignment(nodes)
            }
        };
        let moved = next.moved_count_since(&self.assignment);
        self.assignment = next;
        moved
    }

    /// Every node bids on every key: O(keys × nodes), done once per run.
    fn full_rendezvous(&self, nodes: &[Node], keys: &Keys) -> Assignment {
        let bidders = Bidders::new(self.hash_function, nodes);
        let owners = keys.hashes().iter().map(|&hash| bidders.auction(hash)).collect();
        Assignment::new(nodes.to_vec(), owners)
    }

    /// Only what the change can affect is re-run, so an add or remove is O(keys), not
    /// O(keys × nodes): a node that grew can only win keys, so it bids against each key's
    /// current owner; a node that shrank or left can only lose keys, so only its keys are
    /// auctioned again among everyone.
    fn updated_rendezvous(&self, nodes: &[Node], keys: &Keys) -> Assignment {
        let before = &self.assignment;
        let bidders = Bidders::new(self.hash_function, nodes);
        let old_weight = |id: NodeId| before.nodes().iter().find(|node| node.id == id).map_or(0, |node| node.weight);
        let grown: Vec<u8> = (0..nodes.len().min(MAX_NODES))
            .filter(|&index| nodes.get(index).is_some_and(|node| node.weight > old_weight(node.id)))
            .map(|index| index as u8)
            .collect();
        // For each old owner byte: its new byte, or None when that node shrank or left.
        let kept: Vec<Option<u8>> = before
            .nodes()
            .iter()
            .map(|old| {
                let slot = slot_of(nodes, old.id);
                let still_as_strong = nodes.get(usize::from(slot)).is_some_and(|node| node.weight >= old.weight);
                still_as_strong.then_some(slot)
            })
            .collect();
        // Old owner byte → new byte, or NO_SLOT when that node shrank or left: a flat table,
        // because this loop runs for every key.
        const NO_SLOT: u8 = u8::MAX;
        let mut kept_slots = [NO_SLOT; 256];
        for (old, slot) in kept.iter().enumerate().take(MAX_NODES) {
            kept_slots[old] = slot.unwrap_or(NO_SLOT);
        }
        let current = |key: usize| before.owner_slot(key).map_or(NO_SLOT, |old| kept_slots[usize::from(old)]);
        let owners = keys
            .hashes()
            .iter()
            .enumerate()
            .map(|(key, &hash)| {
                let slot = current(key);
                if slot == NO_SLOT {
                    return bidders.auction(hash);
                }
                // A removal grows nobody: every key whose owner stayed keeps it, unbid.
                if grown.is_empty() {
                    return slot;
                }
                let Some(mut best) = bidders.bid(hash, slot) else { return bidders.auction(hash) };
                let mut best_slot = slot;
                for &index in &grown {
                    if let Some(bid) = bidders.bid(hash, index).filter(|bid| bid.beats(best)) {
                        (best, best_slot) = (bid, index);
                    }
                }
                best_slot
            })
            .collect();
        Assignment::new(nodes.to_vec(), owners)
    }

    /// Makes the bucket table match the nodes. Jump hash can only add or drop the *last*
    /// bucket, so a bucket freed in the middle is filled by moving the last bucket's node into
    /// it (the usual remedy). That costs extra moves, which is the lesson: jump hash suits
    /// storage that grows at the end, not nodes that fail anywhere.
    fn sync_buckets(&mut self, nodes: &[Node]) {
        let wanted = |id: NodeId| nodes.iter().find(|node| node.id == id).map_or(0, |node| node.weight as usize);
        let mut held: Vec<(NodeId, usize)> = Vec::new();
        for &id in &self.buckets {
            match held.iter_mut().find(|(node, _)| *node == id) {
                Some((_, count)) => *count += 1,
                None => held.push((id, 1)),
            }
        }
        // From the end, so a node loses its newest buckets first, and a bucket that is already
        // last is simply dropped: the one removal jump hash supports without renumbering.
        for index in (0..self.buckets.len()).rev() {
            let id = self.buckets[index];
            if let Some((_, count)) = held.iter_mut().find(|(node, _)| *node == id) {
                if *count > wanted(id) {
                    *count -= 1;
                    self.buckets.swap_remove(index);
                }
            }
        }
        for node in nodes {
            let have = held.iter().find(|(id, _)| *id == node.id).map_or(0, |(_, count)| *count);
            for _ in have..node.weight as usize {
                self.buckets.push(node.id);
            }
        }
    }

    /// Brings every key's jump place to the new bucket count. Only two kinds of key can have
    /// a new bucket: when the count grew, those whose next jump now falls inside it; when it
    /// shrank, those whose bucket is gone. Everything else keeps its place.
    fn update_jump_places(&mut self, old_count: u32, keys: &Keys) {
        let count = self.buckets.len() as u32;
        if count == old_count {
            return;
        }
        let places = Arc::make_mut(&mut self.jump_places);
        for (place, &hash) in places.iter_mut().zip(keys.hashes()) {
            let moves = if count > old_count { place.next < count } else { place.bucket >= count };
            if moves {
                *place = jump_with_next(hash, count);
            }
        }
    }

    /// Owners from the keys' buckets and the bucket table (which renumbering may have changed).
    fn jump_assignment(&self, nodes: &[Node]) -> Assignment {
        let bucket_slots: Vec<u8> = self.buckets.iter().map(|&id| slot_of(nodes, id)).collect();
        let owners = self.jump_places.iter().map(|place| bucket_slots.get(place.bucket as usize).copied().unwrap_or(u8::MAX)).collect();
        Assignment::new(nodes.to_vec(), owners)
    }
}

/// The nodes of a rendezvous auction, with each node's seed: the hash of its name.
struct Bidders<'a> {
    nodes: &'a [Node],
    seeds: Vec<u64>,
    equal_weights: bool,
}

impl<'a> Bidders<'a> {
    fn new(hash_function: HashFunction, nodes: &'a [Node]) -> Self {
        let nodes = nodes.get(..MAX_NODES).unwrap_or(nodes);
        let seeds = nodes.iter().map(|node| hash_function.hash(node.id.to_string().as_bytes())).collect();
        let equal_weights = nodes.windows(2).all(|pair| pair[0].weight == pair[1].weight);
        Self { nodes, seeds, equal_weights }
    }

    /// Node `index`'s bid for a key: its weight and a draw mixed from the key's and node's hashes.
    fn bid(&self, key_hash: u64, index: u8) -> Option<Bid> {
        let node = self.nodes.get(usize::from(index))?;
        let seed = self.seeds.get(usize::from(index))?;
        Some(Bid { draw: fmix64(key_hash ^ seed), weight: node.weight, id: node.id })
    }

    /// The index of the highest bidder for one key.
    fn auction(&self, key_hash: u64) -> u8 {
        if self.equal_weights {
            // The hot loop when building: with equal weights `Bid::beats` reduces to comparing
            // draws, and `>` keeps the earlier, lower id on a tie, exactly as `beats` would.
            let mut best = (u8::MAX, 0u64);
            for (index, &seed) in self.seeds.iter().enumerate() {
                let draw = fmix64(key_hash ^ seed) >> 12;
                if best.0 == u8::MAX || draw > best.1 {
                    best = (index as u8, draw);
                }
            }
            return best.0;
        }
        let mut best: Option<(u8, Bid)> = None;
        for index in 0..self.nodes.len() as u8 {
            let Some(bid) = self.bid(key_hash, index) else { continue };
            if best.is_none_or(|(_, leader)| bid.beats(leader)) {
                best = Some((index, bid));
            }
        }
        best.map_or(u8::MAX, |(index, _)| index)
    }
}

/// One node's bid for one key in rendezvous hashing.
#[derive(Debug, Clone, Copy)]
struct Bid {
    draw: u64,
    weight: u32,
    id: NodeId,
}

impl Bid {
    /// Equal weights compare draws directly (no logarithm: this is the hot loop). Unequal
    /// weights compare `weight / -ln(u)` with `u` the draw as a fraction in (0, 1), which makes
    /// a node win with probability `weight / total weight`. Ties go to the lower id.
    fn beats(self, other: Bid) -> bool {
        let order = if self.weight == other.weight {
            (self.draw >> 12).cmp(&(other.draw >> 12))
        } else {
            self.weighted_score().total_cmp(&other.weighted_score())
        };
        match order {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => self.id < other.id,
        }
    }

    fn weighted_score(self) -> f64 {
        // 52 bits plus a half: exact in an f64, never 0 or 1, so the logarithm is finite.
        let unit = ((self.draw >> 12) as f64 + 0.5) / (1u64 << 52) as f64;
        f64::from(self.weight) / -unit.ln()
    }
}

/// Under `servers[hash % servers.len()]` (each node listed `weight` times, in id order): how
/// many keys change node when the list goes from `before` to `after`.
pub fn modulo_moved(keys: &Keys, before: &[Node], after: &[Node]) -> usize {
    let table =
        |nodes: &[Node]| -> Vec<NodeId> { nodes.iter().flat_map(|node| std::iter::repeat_n(node.id, node.weight as usize)).collect() };
    let (old, new) = (table(before), table(after));
    if old.is_empty() || new.is_empty() {
        return keys.len();
    }
    let owner = |servers: &[NodeId], hash: u64| servers.get((hash % servers.len() as u64) as usize).copied();
    keys.hashes().iter().filter(|&&hash| owner(&old, hash) != owner(&new, hash)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jump_matches_published_values() {
        // The vectors every port of the paper's code checks (e.g. dgryski/go-jump).
        assert_eq!(jump_consistent_hash(1, 1), 0);
        assert_eq!(jump_consistent_hash(42, 57), 43);
        assert_eq!(jump_consistent_hash(0xDEAD_10CC, 1), 0);
        assert_eq!(jump_consistent_hash(0xDEAD_10CC, 666), 361);
        assert_eq!(jump_consistent_hash(256, 1024), 520);
        assert_eq!(jump_consistent_hash(7, 0), 0, "no buckets: defensively 0, not a panic");
    }

    #[test]
    fn modulo_moves_three_quarters_going_from_three_to_four_nodes() {
        // Worked by hand: with hashes 0..12, h % 3 and h % 4 name the same server only for
        // h = 0, 1, 2, so 9 of 12 keys move: N / (N + 1).
        let nodes = |n: u32| (1..=n).map(|id| Node { id: NodeId(id), weight: 1 }).collect::<Vec<_>>();
        let keys = Keys::from_hashes(HashFunction::Murmur3, (0..12).collect());
        assert_eq!(modulo_moved(&keys, &nodes(3), &nodes(4)), 9);
        // Removing node 2 of 3: servers [1, 2, 3] become [1, 3]; h = 0..6 maps to 1,2,3,1,2,3
        // then 1,3,1,3,1,3: only h = 0 and h = 5 keep their server, so 4 of 6 move.
        let keys = Keys::from_hashes(HashFunction::Murmur3, (0..6).collect());
        let after = [Node { id: NodeId(1), weight: 1 }, Node { id: NodeId(3), weight: 1 }];
        assert_eq!(modulo_moved(&keys, &nodes(3), &after), 4);
    }

    #[test]
    fn removing_a_middle_node_makes_the_last_bucket_take_its_number() {
        let mut nodes: Vec<Node> = (1..=4).map(|id| Node { id: NodeId(id), weight: 1 }).collect();
        let keys = Keys::new(100, HashFunction::Murmur3);
        let mut jump = Alternative::new(AlternativeScheme::Jump, &nodes, &keys);
        assert_eq!(jump.buckets(), &[NodeId(1), NodeId(2), NodeId(3), NodeId(4)]);
        nodes.remove(1);
        jump.update(&nodes, &keys);
        assert_eq!(jump.buckets(), &[NodeId(1), NodeId(4), NodeId(3)]);
        nodes[0].weight = 3;
        jump.update(&nodes, &keys);
        assert_eq!(jump.buckets(), &[NodeId(1), NodeId(4), NodeId(3), NodeId(1), NodeId(1)]);
        nodes[0].weight = 1;
        jump.update(&nodes, &keys);
        assert_eq!(jump.buckets(), &[NodeId(1), NodeId(4), NodeId(3)], "the newest buckets go first");
    }

    #[test]
    fn weighted_bids_win_in_proportion_to_weight() {
        // Node 2 has weight 3 of a total 4: it should win about 75% of keys.
        let nodes = [Node { id: NodeId(1), weight: 1 }, Node { id: NodeId(2), weight: 3 }];
        let keys = Keys::new(20_000, HashFunction::Murmur3);
        let rendezvous = Alternative::new(AlternativeScheme::Rendezvous, &nodes, &keys);
        let share = f64::from(rendezvous.assignment().keys_per_node()[1]) / 20_000.0;
        assert!((share - 0.75).abs() < 0.02, "share {share}");
    }

    #[test]
    fn the_tie_break_is_the_lower_id() {
        let bid = |id| Bid { draw: 5 << 12, weight: 2, id: NodeId(id) };
        assert!(bid(1).beats(bid(2)));
        assert!(!bid(2).beats(bid(1)));
        assert!(!bid(1).beats(bid(1)));
    }
}
