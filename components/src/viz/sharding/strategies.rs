//! The five ways of deciding which shard owns an item, each with its own rule for a shard
//! joining or leaving, and the record of what its last rebalance moved.
//!
//! Every strategy keeps the owner of every item (`owners`), recomputed from its placement after
//! each change, so "which shard holds this key" is always one array read and a move is a
//! comparison of two arrays. The directory's owners are its lookup table itself.

use std::sync::Arc;

use crate::viz::ring::{HashFunction, NodeId, Ring};

use super::workload::Workload;
use super::{Config, MAX_SHARDS};

/// The most ranges range partitioning keeps; a split beyond it is refused.
pub const MAX_SPANS: usize = 256;
/// The largest flows of a rebalance kept for the picture (the totals count them all).
pub const MAX_FLOWS: usize = 8;
/// How close to its fair share the directory fills a new shard before it stops moving keys.
const DIRECTORY_TOLERANCE: f64 = 0.05;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    Range,
    Hash,
    Ring,
    Fixed,
    Directory,
}

impl Strategy {
    pub const ALL: [Strategy; 5] = [Strategy::Range, Strategy::Hash, Strategy::Ring, Strategy::Fixed, Strategy::Directory];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The value the URL carries (`focus=ring`).
    pub fn key(self) -> &'static str {
        ["range", "hash", "ring", "fixed", "directory"][self.index()]
    }

    pub fn label(self) -> &'static str {
        ["Range partitioning", "Hash mod N", "Consistent hashing", "Fixed partitions", "Directory"][self.index()]
    }

    /// A name for the comparison's narrow column.
    pub fn short(self) -> &'static str {
        ["Range", "Hash mod N", "Hash ring", "Partitions", "Directory"][self.index()]
    }
}

/// One range of ids: from `start` up to the next range's start (or the last id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub shard: u8,
}

/// What a strategy keeps to place items.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// Ranges of ids in order, each owned by a shard.
    Range(Vec<Span>),
    /// `hash % shards`: nothing to keep.
    Hash,
    /// Shard `i` is the ring's `i`-th node (in id order; the last shard is the newest node).
    Ring(Ring),
    /// Partition `p` (a key's hash mod the partition count) belongs to shard `table[p]`.
    Fixed(Vec<u8>),
    /// Every item's shard is written down: the owners are the table.
    Directory,
}

/// Data copied from one shard to another by a rebalance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Flow {
    pub from: u8,
    pub to: u8,
    pub keys: u32,
    pub gb: f64,
}

/// What a strategy's last rebalance moved: users (sub-keys hold no data and are not counted)
/// and their data, and the largest flows.
#[derive(Debug, Clone, PartialEq)]
pub struct Rebalance {
    pub tick: u32,
    pub cause: Cause,
    pub keys: u32,
    pub gb: f64,
    /// Largest first, at most `MAX_FLOWS`.
    pub flows: Vec<Flow>,
}

impl Rebalance {
    /// How long copying takes at `bandwidth_mbps` (1 GB = 1,000 MB).
    pub fn seconds(&self, bandwidth_mbps: u32) -> f64 {
        self.gb * 1000.0 / f64::from(bandwidth_mbps.max(1))
    }
}

/// What set a rebalance off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// Shard number `0` joined.
    Added(u8),
    /// Shard number `0` left.
    Removed(u8),
    /// Range partitioning split its hot range.
    Split,
}

/// Why range partitioning would not split its hot range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SplitRefusal {
    /// With one shard there is nowhere to move half of it.
    OneShard,
    /// The hottest range is a single id: what is hot is one key, which no split can divide.
    SingleKey,
    TooManyRanges,
}

/// A split that happened: the range `from` owned was cut at id `at`; ids from `at` went to `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub from: u8,
    pub to: u8,
    pub at: u32,
}

/// What a change can see: the items' traffic and data now, and the shard count after it.
pub(super) struct World<'a> {
    pub workload: &'a Workload,
    /// Requests a second per item.
    pub loads: &'a [f64],
    /// GB per item.
    pub sizes: &'a [f64],
    pub shards: usize,
}

impl World<'_> {
    fn total_load(&self) -> f64 {
        self.loads.iter().sum::<f64>().max(f64::MIN_POSITIVE)
    }

    fn total_size(&self) -> f64 {
        self.sizes.iter().sum::<f64>().max(f64::MIN_POSITIVE)
    }
}

/// One strategy's placement of every item, and what that gives each shard.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    strategy: Strategy,
    placement: Placement,
    /// Every item's shard.
    owners: Arc<Vec<u8>>,
    /// Requests a second each shard gets, and the GB it stores.
    loads: Vec<f64>,
    stored: Vec<f64>,
    last: Option<Rebalance>,
}

impl Plan {
    pub(super) fn new(strategy: Strategy, config: &Config, world: &World) -> Self {
        let shards = world.shards.clamp(1, MAX_SHARDS);
        let keys = world.workload.keys();
        let placement = match strategy {
            Strategy::Range => {
                let mut spans: Vec<Span> = (0..shards).map(|shard| Span { start: (shard * keys / shards) as u32, shard: shard as u8 }).collect();
                spans.dedup_by_key(|span| span.start);
                Placement::Range(spans)
            }
            Strategy::Hash => Placement::Hash,
            Strategy::Ring => Placement::Ring(Ring::new(HashFunction::Murmur3, config.vnodes, shards)),
            Strategy::Fixed => Placement::Fixed((0..config.partitions.max(1) as usize).map(|partition| (partition % shards) as u8).collect()),
            Strategy::Directory => Placement::Directory,
        };
        let mut plan = Self { strategy, placement, owners: Arc::new(Vec::new()), loads: Vec::new(), stored: Vec::new(), last: None };
        if strategy == Strategy::Directory {
            plan.owners = Arc::new(vec![0; world.workload.items()]);
            (plan.loads, plan.stored) = (vec![0.0; shards], vec![0.0; shards]);
            let order = hottest_first(world.loads, 0..world.workload.items());
            plan.place_least_filled(world, &order, shards);
        } else {
            plan.relocate(world);
        }
        plan.tally(world);
        plan
    }

    pub fn strategy(&self) -> Strategy {
        self.strategy
    }

    pub fn placement(&self) -> &Placement {
        &self.placement
    }

    /// Every item's shard.
    pub fn owners(&self) -> &[u8] {
        &self.owners
    }

    /// Requests a second to each shard.
    pub fn loads(&self) -> &[f64] {
        &self.loads
    }

    /// GB stored on each shard.
    pub fn stored(&self) -> &[f64] {
        &self.stored
    }

    pub fn last(&self) -> Option<&Rebalance> {
        self.last.as_ref()
    }

    /// The shard with the most requests (the first of equals) and its requests a second.
    pub fn hottest(&self) -> (usize, f64) {
        self.loads.iter().enumerate().fold((0, f64::MIN), |best, (shard, load)| if *load > best.1 { (shard, *load) } else { best })
    }

    /// The hottest shard's load over the fair share (the total over the shard count): 1 is
    /// perfectly even, and `shards` means one shard gets everything.
    pub fn hottest_over_fair(&self) -> f64 {
        let total: f64 = self.loads.iter().sum();
        if total <= 0.0 {
            return 1.0;
        }
        self.hottest().1 * self.loads.len() as f64 / total
    }

    /// The share of requests turned away because their shard is over `capacity` a second.
    pub fn throttled(&self, capacity: u32) -> f64 {
        let total: f64 = self.loads.iter().sum();
        let over: f64 = self.loads.iter().map(|load| (load - f64::from(capacity)).max(0.0)).sum();
        if total > 0.0 {
            over / total
        } else {
            0.0
        }
    }

    /// The owner of an item by the strategy's rule (the directory reads its table).
    pub fn owner_by_rule(&self, workload: &Workload, item: usize, shards: usize) -> u8 {
        match &self.placement {
            Placement::Range(spans) => range_owner(spans, workload.position(item)),
            Placement::Hash => (workload.hash(item) % shards.max(1) as u64) as u8,
            Placement::Ring(ring) => ring_owner(ring, workload.hash(item)),
            Placement::Fixed(table) => table[(workload.hash(item) % table.len().max(1) as u64) as usize],
            Placement::Directory => self.owners.get(item).copied().unwrap_or(0),
        }
    }

    /// Recomputes every owner from the placement (not for the directory, whose table is kept).
    fn relocate(&mut self, world: &World) {
        let owners: Vec<u8> = (0..world.workload.items()).map(|item| self.owner_by_rule(world.workload, item, world.shards)).collect();
        self.owners = Arc::new(owners);
    }

    /// Each shard's requests and data from the owners.
    pub(super) fn tally(&mut self, world: &World) {
        self.loads = vec![0.0; world.shards];
        self.stored = vec![0.0; world.shards];
        for (item, owner) in self.owners.iter().enumerate() {
            let shard = usize::from(*owner).min(world.shards - 1);
            self.loads[shard] += world.loads.get(item).copied().unwrap_or(0.0);
            self.stored[shard] += world.sizes.get(item).copied().unwrap_or(0.0);
        }
    }

    /// A new shard (number `world.shards − 1`) joins, and the strategy moves data onto it.
    pub(super) fn add_shard(&mut self, world: &World, tick: u32) {
        let new = (world.shards - 1) as u8;
        let before = Arc::clone(&self.owners);
        match &mut self.placement {
            Placement::Range(spans) => {
                let span_loads = span_loads(spans, world);
                match hottest_splittable(spans, &span_loads, world) {
                    Some(index) if spans.len() < MAX_SPANS => {
                        split_span(spans, index, world, new);
                    }
                    _ => {
                        let hottest = (0..spans.len()).max_by(|a, b| span_loads[*a].total_cmp(&span_loads[*b]).then(b.cmp(a))).unwrap_or(0);
                        spans[hottest].shard = new;
                    }
                }
                merge(spans);
            }
            Placement::Hash => {}
            Placement::Ring(ring) => {
                let _ = ring.add_node();
            }
            Placement::Fixed(table) => give_partitions_to(table, new, world.shards),
            Placement::Directory => {}
        }
        if self.strategy == Strategy::Directory {
            self.fill_new_shard(world, new);
        } else {
            self.relocate(world);
        }
        self.tally(world);
        self.record(&before, world, tick, Cause::Added(new));
    }

    /// The last shard (number `world.shards`) leaves; its data goes to the others.
    pub(super) fn remove_shard(&mut self, world: &World, tick: u32) {
        let gone = world.shards as u8;
        let before = Arc::clone(&self.owners);
        let wider = World { shards: world.shards + 1, ..*world };
        self.tally(&wider);
        match &mut self.placement {
            Placement::Range(spans) => {
                let span_loads = span_loads(spans, world);
                let mut loads = self.loads.clone();
                for (span, load) in spans.iter_mut().zip(span_loads) {
                    if span.shard == gone {
                        let to = least(&loads[..world.shards]);
                        span.shard = to as u8;
                        loads[to] += load;
                    }
                }
                merge(spans);
            }
            Placement::Hash => {}
            Placement::Ring(ring) => {
                if let Some(node) = ring.nodes().get(usize::from(gone)).map(|node| node.id) {
                    let _ = ring.remove_node(node);
                }
            }
            Placement::Fixed(table) => take_partitions_from(table, gone, world.shards),
            Placement::Directory => {}
        }
        if self.strategy == Strategy::Directory {
            let leaving: Vec<usize> = self.owners.iter().enumerate().filter(|(_, owner)| **owner == gone).map(|(item, _)| item).collect();
            let order = hottest_first(world.loads, leaving);
            self.loads.truncate(world.shards);
            self.stored.truncate(world.shards);
            self.place_least_filled(world, &order, world.shards);
        } else {
            self.relocate(world);
        }
        self.tally(world);
        self.record(&before, world, tick, Cause::Removed(gone));
    }

    /// Range partitioning only: cuts the hottest range where half its requests fall on each
    /// side, and gives the upper part to the least loaded other shard. A hottest range of one
    /// id is refused: what is hot is a single key.
    pub(super) fn split_hot_range(&mut self, world: &World, tick: u32) -> Result<Split, SplitRefusal> {
        let Placement::Range(spans) = &mut self.placement else { return Err(SplitRefusal::SingleKey) };
        if world.shards < 2 {
            return Err(SplitRefusal::OneShard);
        }
        if spans.len() >= MAX_SPANS {
            return Err(SplitRefusal::TooManyRanges);
        }
        let span_loads = span_loads(spans, world);
        let index = (0..spans.len()).min_by(|a, b| span_loads[*b].total_cmp(&span_loads[*a]).then(a.cmp(b))).unwrap_or(0);
        if span_end(spans, index, world.workload.keys()) - (spans[index].start as usize) < 2 {
            return Err(SplitRefusal::SingleKey);
        }
        let from = spans[index].shard;
        let others: Vec<f64> = self.loads.iter().enumerate().map(|(shard, load)| if shard == usize::from(from) { f64::INFINITY } else { *load }).collect();
        let to = least(&others) as u8;
        let at = split_span(spans, index, world, to);
        merge(spans);
        let before = Arc::clone(&self.owners);
        self.relocate(world);
        self.tally(world);
        self.record(&before, world, tick, Cause::Split);
        Ok(Split { from, to, at })
    }

    /// The items changed (the hot key was salted or unsalted): every owner is found again. The
    /// directory keeps its table for the users and places each new sub-key on the least filled
    /// shard. No data moves: sub-keys hold none.
    pub(super) fn resalt(&mut self, world: &World) {
        if self.strategy == Strategy::Directory {
            let keys = world.workload.keys();
            let mut owners: Vec<u8> = self.owners.iter().take(keys).copied().collect();
            owners.resize(world.workload.items(), 0);
            self.owners = Arc::new(owners);
            // Shard totals without the sub-keys, then each sub-key where it fits best.
            let users = World { loads: &world.loads[..keys.min(world.loads.len())], sizes: &world.sizes[..keys.min(world.sizes.len())], ..*world };
            self.tally(&users);
            self.place_least_filled(world, &(keys..world.workload.items()).collect::<Vec<_>>(), world.shards);
        } else {
            self.relocate(world);
        }
        self.tally(world);
    }

    /// Puts each item of `order` on the shard (below `shards`) that it leaves least full, in
    /// requests or data, whichever is fuller: heavy items first spreads the load, and the long
    /// tail of light ones then evens out the data. Expects `loads` and `stored` without them.
    fn place_least_filled(&mut self, world: &World, order: &[usize], shards: usize) {
        let (total_load, total_size) = (world.total_load(), world.total_size());
        let owners = Arc::make_mut(&mut self.owners);
        for &item in order {
            let (load, size) = (world.loads[item], world.sizes[item]);
            let fill = |shard: usize| ((self.loads[shard] + load) / total_load).max((self.stored[shard] + size) / total_size);
            let best = (0..shards).min_by(|a, b| fill(*a).total_cmp(&fill(*b)).then(a.cmp(b))).unwrap_or(0);
            owners[item] = best as u8;
            self.loads[best] += load;
            self.stored[best] += size;
        }
    }

    /// The directory's move onto a new shard: first the busiest items that fit, each from a
    /// shard above its fair share of requests, until the new shard has about its share; then
    /// the items with the most data for their traffic, from shards above their fair share of
    /// data, as far as the new shard's requests allow. Nothing else moves.
    fn fill_new_shard(&mut self, world: &World, new: u8) {
        let shards = world.shards as f64;
        let (fair_load, fair_size) = (world.total_load() / shards, world.total_size() / shards);
        let new = usize::from(new);
        let mut owners: Vec<u8> = self.owners.to_vec();
        self.tally(world);
        let moved = |item: usize, owners: &mut Vec<u8>, loads: &mut Vec<f64>, stored: &mut Vec<f64>| {
            let from = usize::from(owners[item]);
            let (load, size) = (world.loads[item], world.sizes[item]);
            loads[from] -= load;
            stored[from] -= size;
            loads[new] += load;
            stored[new] += size;
            owners[item] = new as u8;
        };
        let (mut loads, mut stored) = (self.loads.clone(), self.stored.clone());
        for item in hottest_first(world.loads, 0..world.loads.len()) {
            if loads[new] >= fair_load * (1.0 - DIRECTORY_TOLERANCE) {
                break;
            }
            let from = usize::from(owners[item]);
            let (load, size) = (world.loads[item], world.sizes[item]);
            if from != new && load > 0.0 && loads[new] + load <= fair_load && loads[from] - load >= fair_load && stored[new] + size <= fair_size {
                moved(item, &mut owners, &mut loads, &mut stored);
            }
        }
        let mut by_data: Vec<usize> = (0..world.sizes.len()).filter(|item| world.sizes[*item] > 0.0).collect();
        let ratio = |item: usize| world.sizes[item] / world.loads[item].max(f64::MIN_POSITIVE);
        by_data.sort_by(|a, b| ratio(*b).total_cmp(&ratio(*a)).then(a.cmp(b)));
        for item in by_data {
            if stored[new] >= fair_size * (1.0 - DIRECTORY_TOLERANCE) {
                break;
            }
            let from = usize::from(owners[item]);
            let (load, size) = (world.loads[item], world.sizes[item]);
            if from != new && stored[new] + size <= fair_size && stored[from] - size >= fair_size && loads[new] + load <= fair_load * (1.0 + DIRECTORY_TOLERANCE) {
                moved(item, &mut owners, &mut loads, &mut stored);
            }
        }
        self.owners = Arc::new(owners);
    }

    /// Compares the users' owners with `before` and keeps the totals and the largest flows.
    fn record(&mut self, before: &[u8], world: &World, tick: u32, cause: Cause) {
        let mut matrix = [[(0u32, 0.0f64); MAX_SHARDS + 1]; MAX_SHARDS + 1];
        let (mut keys, mut gb) = (0u32, 0.0);
        for (item, (old, new)) in before.iter().zip(self.owners.iter()).enumerate().take(world.workload.keys()) {
            if old != new {
                let size = world.sizes.get(item).copied().unwrap_or(0.0);
                keys += 1;
                gb += size;
                let cell = &mut matrix[usize::from(*old).min(MAX_SHARDS)][usize::from(*new).min(MAX_SHARDS)];
                cell.0 += 1;
                cell.1 += size;
            }
        }
        let mut flows: Vec<Flow> = Vec::new();
        for (from, row) in matrix.iter().enumerate() {
            for (to, (count, size)) in row.iter().enumerate().filter(|(_, (count, _))| *count > 0) {
                flows.push(Flow { from: from as u8, to: to as u8, keys: *count, gb: *size });
            }
        }
        flows.sort_by(|a, b| b.gb.total_cmp(&a.gb).then(b.keys.cmp(&a.keys)).then((a.from, a.to).cmp(&(b.from, b.to))));
        flows.truncate(MAX_FLOWS);
        self.last = Some(Rebalance { tick, cause, keys, gb, flows });
    }
}

/// The shard owning id `position`: the last range starting at or before it.
fn range_owner(spans: &[Span], position: usize) -> u8 {
    let index = spans.partition_point(|span| span.start as usize <= position).saturating_sub(1);
    spans.get(index).map_or(0, |span| span.shard)
}

/// The shard owning a hash on the ring: its node's place in id order.
fn ring_owner(ring: &Ring, hash: u64) -> u8 {
    let node = ring.owner_of(hash).unwrap_or(NodeId(0));
    ring.nodes().binary_search_by_key(&node, |each| each.id).unwrap_or(0) as u8
}

/// Items in order of their requests, busiest first (the lower item first among equals).
fn hottest_first(loads: &[f64], items: impl IntoIterator<Item = usize>) -> Vec<usize> {
    let mut order: Vec<usize> = items.into_iter().collect();
    order.sort_by(|a, b| loads[*b].total_cmp(&loads[*a]).then(a.cmp(b)));
    order
}

/// The index of the smallest value (the first of equals).
fn least(values: &[f64]) -> usize {
    (0..values.len()).min_by(|a, b| values[*a].total_cmp(&values[*b]).then(a.cmp(b))).unwrap_or(0)
}

/// Requests per id, summed over the items at each id.
fn position_loads(world: &World) -> Vec<f64> {
    let mut at = vec![0.0; world.workload.keys()];
    for (item, load) in world.loads.iter().enumerate() {
        if let Some(slot) = at.get_mut(world.workload.position(item)) {
            *slot += load;
        }
    }
    at
}

/// The end (exclusive) of range `index`.
fn span_end(spans: &[Span], index: usize, keys: usize) -> usize {
    spans.get(index + 1).map_or(keys, |next| next.start as usize)
}

fn span_loads(spans: &[Span], world: &World) -> Vec<f64> {
    let at = position_loads(world);
    (0..spans.len()).map(|index| at[spans[index].start as usize..span_end(spans, index, at.len())].iter().sum()).collect()
}

/// The busiest range of at least two ids (the first of equals), if any.
fn hottest_splittable(spans: &[Span], loads: &[f64], world: &World) -> Option<usize> {
    let keys = world.workload.keys();
    (0..spans.len()).filter(|index| span_end(spans, *index, keys) - spans[*index].start as usize >= 2).min_by(|a, b| loads[*b].total_cmp(&loads[*a]).then(a.cmp(b)))
}

/// Cuts range `index` at the first id where at least half its requests lie below (never at
/// its first id, so both parts hold at least one), gives the upper part to `to`, and returns
/// where it was cut.
fn split_span(spans: &mut Vec<Span>, index: usize, world: &World, to: u8) -> u32 {
    let at_loads = position_loads(world);
    let (start, end) = (spans[index].start as usize, span_end(spans, index, at_loads.len()));
    let half = at_loads[start..end].iter().sum::<f64>() / 2.0;
    let mut below = 0.0;
    let mut cut = start + (end - start) / 2;
    if half > 0.0 {
        for (position, load) in at_loads.iter().enumerate().take(end).skip(start) {
            below += load;
            if below >= half {
                cut = position + 1;
                break;
            }
        }
    }
    let cut = cut.clamp(start + 1, end - 1) as u32;
    spans.insert(index + 1, Span { start: cut, shard: to });
    cut
}

/// Joins neighbouring ranges of the same shard.
fn merge(spans: &mut Vec<Span>) {
    spans.dedup_by(|later, earlier| later.shard == earlier.shard);
}

/// Fixed partitions onto a new shard: one at a time from the shard holding the most (its
/// highest-numbered), until the new one holds its fair count, `partitions ÷ shards` rounded down.
fn give_partitions_to(table: &mut [u8], new: u8, shards: usize) {
    let target = table.len() / shards.max(1);
    let mut counts = vec![0usize; shards];
    for owner in table.iter() {
        counts[usize::from(*owner).min(shards - 1)] += 1;
    }
    while counts[usize::from(new)] < target {
        let donor = (0..shards).filter(|shard| *shard != usize::from(new)).max_by(|a, b| counts[*a].cmp(&counts[*b]).then(b.cmp(a))).unwrap_or(0);
        let Some(partition) = table.iter().rposition(|owner| usize::from(*owner) == donor) else { break };
        table[partition] = new;
        counts[donor] -= 1;
        counts[usize::from(new)] += 1;
    }
}

/// Fixed partitions off a leaving shard: each, in order, to the shard holding the fewest.
fn take_partitions_from(table: &mut [u8], gone: u8, shards: usize) {
    let mut counts = vec![0usize; shards];
    for owner in table.iter().filter(|owner| usize::from(**owner) < shards) {
        counts[usize::from(*owner)] += 1;
    }
    for owner in table.iter_mut().filter(|owner| **owner >= gone) {
        let to = (0..shards).min_by(|a, b| counts[*a].cmp(&counts[*b]).then(a.cmp(b))).unwrap_or(0);
        *owner = to as u8;
        counts[to] += 1;
    }
}
