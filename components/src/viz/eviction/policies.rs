//! The eviction policies, each a small struct behind the [`Policy`] enum, and Bélády's optimal
//! policy computed offline over a whole trace. Every object has size 1, so a capacity is a
//! number of objects.
//!
//! All of them are built from two plain structures: [`KeyMap`], a small hash map from a key to a
//! number, and [`Queues`], up to two doubly linked lists of keys kept in one arena. Both are
//! written here rather than taken from `std::collections` so the bundle carries one small map
//! for every policy, and so nothing depends on a hasher's random seed: a run replays the same
//! on every machine.

use crate::sim::SimRng;
use std::collections::{BinaryHeap, VecDeque};

/// "No node" in the linked lists.
const NIL: u32 = u32::MAX;
/// The mark of an empty place in [`KeyMap`]; no trace ever produces this key.
const EMPTY: u32 = u32::MAX;

/// A map from `u32` keys to `u32` values: open addressing with linear probing, and deletion by
/// shifting the following entries back (no tombstones, so lookups stay short however many keys
/// come and go).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMap {
    keys: Vec<u32>,
    values: Vec<u32>,
    len: usize,
    /// `32 - log2(places)`: Fibonacci hashing keeps the top bits of `key × 2^32/φ`.
    shift: u32,
}

impl KeyMap {
    pub fn with_room(count: usize) -> Self {
        // At most three quarters full, so probes stay short.
        let places = (count * 4 / 3 + 1).next_power_of_two().max(8);
        Self { keys: vec![EMPTY; places], values: vec![0; places], len: 0, shift: 32 - places.trailing_zeros() }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    fn mask(&self) -> usize {
        self.keys.len() - 1
    }

    fn home(&self, key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B9) >> self.shift) as usize
    }

    /// Where `key` is, or the empty place where it would go.
    fn place(&self, key: u32) -> usize {
        let mut at = self.home(key);
        while self.keys[at] != key && self.keys[at] != EMPTY {
            at = (at + 1) & self.mask();
        }
        at
    }

    pub fn get(&self, key: u32) -> Option<u32> {
        let at = self.place(key);
        (self.keys[at] == key).then(|| self.values[at])
    }

    pub fn insert(&mut self, key: u32, value: u32) {
        debug_assert_ne!(key, EMPTY);
        let at = self.place(key);
        if self.keys[at] == EMPTY {
            if (self.len + 1) * 4 > self.keys.len() * 3 {
                self.grow();
                return self.insert(key, value);
            }
            self.keys[at] = key;
            self.len += 1;
        }
        self.values[at] = value;
    }

    pub fn remove(&mut self, key: u32) -> Option<u32> {
        let mut hole = self.place(key);
        if self.keys[hole] != key {
            return None;
        }
        let value = self.values[hole];
        let mask = self.mask();
        let mut next = hole;
        loop {
            next = (next + 1) & mask;
            let moving = self.keys[next];
            if moving == EMPTY {
                break;
            }
            // An entry may fill the hole only if the hole lies on its probe path, that is, if
            // its home is no nearer to it (going backwards) than the hole is.
            let home = self.home(moving);
            if next.wrapping_sub(home) & mask >= next.wrapping_sub(hole) & mask {
                self.keys[hole] = moving;
                self.values[hole] = self.values[next];
                hole = next;
            }
        }
        self.keys[hole] = EMPTY;
        self.len -= 1;
        Some(value)
    }

    fn grow(&mut self) {
        let mut bigger = Self::with_room(self.keys.len());
        for (key, value) in self.keys.iter().zip(&self.values).filter(|(key, _)| **key != EMPTY) {
            bigger.insert(*key, *value);
        }
        *self = bigger;
    }
}

/// Up to two queues of keys (0 and 1) as doubly linked lists in one arena, with a map from key
/// to node. The head of a queue is its newest end, the tail the end that leaves first.
#[derive(Debug, Clone, PartialEq)]
pub struct Queues {
    key: Vec<u32>,
    prev: Vec<u32>,
    next: Vec<u32>,
    /// Which queue each node is on.
    queue: Vec<u8>,
    /// A small per-node counter: S3-FIFO's two frequency bits.
    bits: Vec<u8>,
    head: [u32; 2],
    tail: [u32; 2],
    len: [u32; 2],
    free: Vec<u32>,
    index: KeyMap,
}

impl Queues {
    fn new(room: u32) -> Self {
        Self {
            key: Vec::new(),
            prev: Vec::new(),
            next: Vec::new(),
            queue: Vec::new(),
            bits: Vec::new(),
            head: [NIL; 2],
            tail: [NIL; 2],
            len: [0; 2],
            free: Vec::new(),
            index: KeyMap::with_room(room as usize),
        }
    }

    fn find(&self, key: u32) -> Option<u32> {
        self.index.get(key)
    }

    fn total(&self) -> u32 {
        self.len[0] + self.len[1]
    }

    fn tail(&self, queue: usize) -> Option<u32> {
        (self.tail[queue] != NIL).then_some(self.tail[queue])
    }

    /// A fresh node holding `key`, not yet on a queue.
    fn alloc(&mut self, key: u32) -> u32 {
        let node = match self.free.pop() {
            Some(node) => node,
            None => {
                self.key.push(0);
                self.prev.push(NIL);
                self.next.push(NIL);
                self.queue.push(0);
                self.bits.push(0);
                (self.key.len() - 1) as u32
            }
        };
        let at = node as usize;
        self.key[at] = key;
        self.bits[at] = 0;
        self.index.insert(key, node);
        node
    }

    /// Links `node` into `queue` between `before` (towards the head) and `after` (towards the
    /// tail); `NIL` on either side means that end of the queue.
    fn link(&mut self, node: u32, queue: usize, before: u32, after: u32) {
        let at = node as usize;
        self.queue[at] = queue as u8;
        self.prev[at] = before;
        self.next[at] = after;
        if before == NIL {
            self.head[queue] = node;
        } else {
            self.next[before as usize] = node;
        }
        if after == NIL {
            self.tail[queue] = node;
        } else {
            self.prev[after as usize] = node;
        }
        self.len[queue] += 1;
    }

    fn push_front(&mut self, queue: usize, node: u32) {
        self.link(node, queue, NIL, self.head[queue]);
    }

    fn push_back(&mut self, queue: usize, node: u32) {
        self.link(node, queue, self.tail[queue], NIL);
    }

    /// Links `node` just ahead of `other` (on the head side), on `other`'s queue.
    fn insert_before(&mut self, node: u32, other: u32) {
        let queue = self.queue[other as usize] as usize;
        self.link(node, queue, self.prev[other as usize], other);
    }

    fn unlink(&mut self, node: u32) {
        let at = node as usize;
        let queue = self.queue[at] as usize;
        let (before, after) = (self.prev[at], self.next[at]);
        if before == NIL {
            self.head[queue] = after;
        } else {
            self.next[before as usize] = after;
        }
        if after == NIL {
            self.tail[queue] = before;
        } else {
            self.prev[after as usize] = before;
        }
        self.len[queue] -= 1;
    }

    /// Moves `node` to the head of `queue` (its own or the other).
    fn to_front(&mut self, node: u32, queue: usize) {
        self.unlink(node);
        self.push_front(queue, node);
    }

    /// Takes `node` out of the cache and returns its key.
    fn remove(&mut self, node: u32) -> u32 {
        self.unlink(node);
        let key = self.key[node as usize];
        self.index.remove(key);
        self.free.push(node);
        key
    }

    /// The keys of `queue`, head first.
    fn walk(&self, queue: usize, out: &mut Vec<u32>) {
        let mut node = self.head[queue];
        while node != NIL {
            out.push(self.key[node as usize]);
            node = self.next[node as usize];
        }
    }
}

/// Least recently used: a hit moves the key to the head; a miss evicts the tail, the key that
/// has gone longest without a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Lru {
    lists: Queues,
    capacity: u32,
}

/// First in, first out: a hit changes nothing; a miss evicts the key that came in first.
#[derive(Debug, Clone, PartialEq)]
pub struct Fifo {
    lists: Queues,
    capacity: u32,
}

/// Least frequently used, counting requests only while a key is cached (a key that leaves
/// starts again from 1). Ties go to the least recently used among the keys with the lowest
/// count. One list holds every key sorted by (count, recency), most-requested at the head, so
/// the tail is always the victim; `group` points at the head-most node of each count, which
/// makes every update O(1).
#[derive(Debug, Clone, PartialEq)]
pub struct Lfu {
    lists: Queues,
    capacity: u32,
    count: Vec<u32>,
    group: KeyMap,
}

/// Random: a miss in a full cache replaces a key chosen uniformly at random, drawn from the
/// run's seed so a replay evicts the same keys.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomEviction {
    slots: Vec<u32>,
    index: KeyMap,
    capacity: u32,
    rng: SimRng,
}

/// Segmented LRU (Karedla, Love and Wherry, 1994): a probationary LRU segment (20% of the
/// space) and a protected one (80%). A miss enters the head of probation; a hit in probation
/// promotes the key to the head of protected, whose overflow falls back to the head of
/// probation; a hit in protected moves the key to its head. Evictions take probation's tail,
/// so a key must be asked for twice before it can push out a protected one.
#[derive(Debug, Clone, PartialEq)]
pub struct Slru {
    lists: Queues,
    capacity: u32,
    protected: u32,
}

const PROBATION: usize = 0;
const PROTECTED: usize = 1;

/// S3-FIFO (Yang, Zhang, Qiu, Yue and Vinayak, "FIFO queues are all you need for cache
/// eviction", SOSP 2023): a small FIFO `S` (10% of the space), a main FIFO `M` (90%) and a ghost
/// FIFO `G` that remembers as many evicted keys as `M` holds, without their data. Each cached
/// key has a 2-bit counter (0 to 3).
///
/// - A hit adds 1 to the counter (up to 3) and moves nothing.
/// - A miss makes room first, then inserts the key with counter 0: into `M` if `G` remembers it
///   (it was evicted too soon), else into `S`.
/// - Making room evicts from `S` while `S` holds at least its 10% (or `M` is empty), else from
///   `M`.
/// - Evicting from `S` looks at its tail: a key asked for again while in `S` (counter ≥ 1) moves
///   to the head of `M` with its counter cleared, and if that overfills `M`, `M` evicts one; a
///   key never asked for again leaves the cache and its key enters `G`. It repeats until one
///   key has gone to `G` or `S` is empty.
/// - Evicting from `M` looks at its tail: a key with a counter above 0 goes back to the head
///   with the counter lowered by 1 (FIFO with reinsertion, like CLOCK); the first with 0 leaves.
///
/// So a key asked for once (a scan) passes through `S` and never reaches `M`. The paper's text
/// says an object moves to `M` if "accessed more than once", counting the request that brought
/// it in; libCacheSim's later versions ask for two hits in `S` instead of one.
#[derive(Debug, Clone, PartialEq)]
pub struct S3Fifo {
    lists: Queues,
    capacity: u32,
    small: u32,
    ghost: Ghost,
}

const SMALL: usize = 0;
const MAIN: usize = 1;

/// The keys most recently evicted from S3-FIFO's small queue, oldest first, at most `capacity`
/// of them. A key taken back out (asked for again) is forgotten at once; its entry in the queue
/// goes stale and is skipped when it reaches the front, since `index` holds each remembered
/// key's stamp and a stale entry's stamp no longer matches.
#[derive(Debug, Clone, PartialEq)]
struct Ghost {
    queue: VecDeque<(u32, u32)>,
    index: KeyMap,
    capacity: usize,
    stamp: u32,
}

impl Ghost {
    fn new(capacity: u32) -> Self {
        Self { queue: VecDeque::new(), index: KeyMap::with_room(capacity as usize), capacity: capacity as usize, stamp: 0 }
    }

    fn remember(&mut self, key: u32) {
        if self.capacity == 0 {
            return;
        }
        self.stamp = self.stamp.wrapping_add(1);
        self.index.insert(key, self.stamp);
        self.queue.push_back((key, self.stamp));
        self.trim();
        // Stale entries leave only from the front: sweep them when they pile up.
        if self.queue.len() > 2 * self.capacity + 16 {
            let index = &self.index;
            self.queue.retain(|(key, stamp)| index.get(*key) == Some(*stamp));
        }
    }

    /// Forgets the oldest keys until at most `capacity` are remembered.
    fn trim(&mut self) {
        while self.index.len() > self.capacity {
            match self.queue.pop_front() {
                Some((key, stamp)) if self.index.get(key) == Some(stamp) => {
                    self.index.remove(key);
                }
                Some(_) => {}
                None => break,
            }
        }
    }

    /// Whether `key` is remembered; it is forgotten either way.
    fn take(&mut self, key: u32) -> bool {
        self.index.remove(key).is_some()
    }

    fn resize(&mut self, capacity: u32) {
        self.capacity = capacity as usize;
        self.trim();
    }
}

/// Which policy a lane runs; `Opt` exists only offline (see [`opt_hits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Lru,
    Lfu,
    Fifo,
    Random,
    Slru,
    S3Fifo,
    Opt,
}

impl Kind {
    /// The policies that run live, in lane order.
    pub const ONLINE: [Kind; 6] = [Kind::Lru, Kind::Lfu, Kind::Fifo, Kind::Random, Kind::Slru, Kind::S3Fifo];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Lru => "LRU",
            Kind::Lfu => "LFU",
            Kind::Fifo => "FIFO",
            Kind::Random => "Random",
            Kind::Slru => "SLRU",
            Kind::S3Fifo => "S3-FIFO",
            Kind::Opt => "OPT",
        }
    }
}

/// One online policy.
#[derive(Debug, Clone, PartialEq)]
pub enum Policy {
    Lru(Lru),
    Lfu(Lfu),
    Fifo(Fifo),
    Random(RandomEviction),
    Slru(Slru),
    S3Fifo(S3Fifo),
}

/// 20% probation, at least one place, and the rest protected.
fn slru_protected(capacity: u32) -> u32 {
    capacity - (capacity / 5).max(1).min(capacity)
}

/// 10% small queue, at least one place.
fn s3_small(capacity: u32) -> u32 {
    (capacity / 10).max(1).min(capacity)
}

impl Policy {
    /// A policy of `kind` holding at most `capacity` objects (at least 2, so the segmented ones
    /// have room in each part). `Opt` has no online form and gets LRU.
    pub fn new(kind: Kind, capacity: u32, seed: u64) -> Self {
        let capacity = capacity.max(2);
        let lists = Queues::new(capacity);
        match kind {
            Kind::Lru | Kind::Opt => Policy::Lru(Lru { lists, capacity }),
            Kind::Fifo => Policy::Fifo(Fifo { lists, capacity }),
            Kind::Lfu => Policy::Lfu(Lfu { lists, capacity, count: Vec::new(), group: KeyMap::with_room(16) }),
            Kind::Random => Policy::Random(RandomEviction { slots: Vec::new(), index: KeyMap::with_room(capacity as usize), capacity, rng: SimRng::new(seed) }),
            Kind::Slru => Policy::Slru(Slru { lists, capacity, protected: slru_protected(capacity) }),
            Kind::S3Fifo => Policy::S3Fifo(S3Fifo { lists, capacity, small: s3_small(capacity), ghost: Ghost::new(capacity - s3_small(capacity)) }),
        }
    }

    pub fn kind(&self) -> Kind {
        match self {
            Policy::Lru(_) => Kind::Lru,
            Policy::Lfu(_) => Kind::Lfu,
            Policy::Fifo(_) => Kind::Fifo,
            Policy::Random(_) => Kind::Random,
            Policy::Slru(_) => Kind::Slru,
            Policy::S3Fifo(_) => Kind::S3Fifo,
        }
    }

    pub fn capacity(&self) -> u32 {
        match self {
            Policy::Lru(p) => p.capacity,
            Policy::Lfu(p) => p.capacity,
            Policy::Fifo(p) => p.capacity,
            Policy::Random(p) => p.capacity,
            Policy::Slru(p) => p.capacity,
            Policy::S3Fifo(p) => p.capacity,
        }
    }

    /// How many objects are cached.
    pub fn len(&self) -> u32 {
        match self {
            Policy::Lru(Lru { lists, .. }) | Policy::Lfu(Lfu { lists, .. }) | Policy::Fifo(Fifo { lists, .. }) | Policy::Slru(Slru { lists, .. }) | Policy::S3Fifo(S3Fifo { lists, .. }) => lists.total(),
            Policy::Random(p) => p.slots.len() as u32,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn contains(&self, key: u32) -> bool {
        match self {
            Policy::Lru(Lru { lists, .. }) | Policy::Lfu(Lfu { lists, .. }) | Policy::Fifo(Fifo { lists, .. }) | Policy::Slru(Slru { lists, .. }) | Policy::S3Fifo(S3Fifo { lists, .. }) => lists.find(key).is_some(),
            Policy::Random(p) => p.index.get(key).is_some(),
        }
    }

    /// Serves one request: true for a hit. On a miss the key is cached, and every key evicted
    /// to make room is pushed onto `evicted`.
    pub fn access(&mut self, key: u32, evicted: &mut Vec<u32>) -> bool {
        // LRU and FIFO differ only in what a hit does: LRU moves the key to the head.
        let promote = matches!(self, Policy::Lru(_));
        match self {
            Policy::Lru(Lru { lists, capacity }) | Policy::Fifo(Fifo { lists, capacity }) => {
                if let Some(node) = lists.find(key) {
                    if promote {
                        lists.to_front(node, 0);
                    }
                    return true;
                }
                while lists.total() >= *capacity {
                    evict_tail(lists, 0, evicted);
                }
                let node = lists.alloc(key);
                lists.push_front(0, node);
                false
            }
            Policy::Lfu(p) => p.access(key, evicted),
            Policy::Random(p) => p.access(key, evicted),
            Policy::Slru(p) => p.access(key, evicted),
            Policy::S3Fifo(p) => p.access(key, evicted),
        }
    }

    /// Changes the capacity; a smaller one evicts (the usual way) until the cache fits.
    pub fn resize(&mut self, capacity: u32, evicted: &mut Vec<u32>) {
        let capacity = capacity.max(2);
        match self {
            Policy::Lru(Lru { lists, capacity: limit }) | Policy::Fifo(Fifo { lists, capacity: limit }) => {
                *limit = capacity;
                while lists.total() > capacity {
                    evict_tail(lists, 0, evicted);
                }
            }
            Policy::Lfu(p) => {
                p.capacity = capacity;
                while p.lists.total() > capacity {
                    p.evict(evicted);
                }
            }
            Policy::Random(p) => {
                p.capacity = capacity;
                while p.slots.len() as u32 > capacity {
                    let at = p.rng.below(p.slots.len() as u64) as usize;
                    let key = p.slots.swap_remove(at);
                    p.index.remove(key);
                    if let Some(moved) = p.slots.get(at) {
                        p.index.insert(*moved, at as u32);
                    }
                    evicted.push(key);
                }
            }
            Policy::Slru(p) => {
                p.capacity = capacity;
                p.protected = slru_protected(capacity);
                // Protected overflow falls back to probation, then probation pays for the rest.
                while p.lists.len[PROTECTED] > p.protected {
                    p.demote();
                }
                while p.lists.total() > capacity {
                    p.evict(evicted);
                }
            }
            Policy::S3Fifo(p) => {
                p.capacity = capacity;
                p.small = s3_small(capacity);
                p.ghost.resize(capacity - p.small);
                while p.lists.total() > capacity {
                    p.evict(evicted);
                }
            }
        }
    }

    /// The cached keys in the order the stage draws them: the newest or safest first and the
    /// next to be evicted last (Random: slot order). For SLRU (protected, then probation) and
    /// S3-FIFO (small, then main) also where the second part starts.
    pub fn layout(&self, out: &mut Vec<u32>) -> Option<usize> {
        out.clear();
        match self {
            Policy::Lru(Lru { lists, .. }) | Policy::Lfu(Lfu { lists, .. }) | Policy::Fifo(Fifo { lists, .. }) => {
                lists.walk(0, out);
                None
            }
            Policy::Random(p) => {
                out.extend_from_slice(&p.slots);
                None
            }
            Policy::Slru(Slru { lists, .. }) => {
                lists.walk(PROTECTED, out);
                let divider = out.len();
                lists.walk(PROBATION, out);
                Some(divider)
            }
            Policy::S3Fifo(S3Fifo { lists, .. }) => {
                lists.walk(SMALL, out);
                let divider = out.len();
                lists.walk(MAIN, out);
                Some(divider)
            }
        }
    }

    /// Where `key` sits in [`Policy::layout`], if cached.
    pub fn position(&self, key: u32) -> Option<u32> {
        if let Policy::Random(p) = self {
            return p.index.get(key);
        }
        if !self.contains(key) {
            return None;
        }
        let mut order = Vec::with_capacity(self.len() as usize);
        self.layout(&mut order);
        order.iter().position(|cached| *cached == key).map(|at| at as u32)
    }

    /// S3-FIFO only: whether `key` is in the main queue, and how many keys the ghost remembers.
    pub fn s3_main_and_ghost(&self, key: u32) -> Option<(bool, usize)> {
        match self {
            Policy::S3Fifo(p) => Some((p.lists.find(key).is_some_and(|node| p.lists.queue[node as usize] as usize == MAIN), p.ghost.index.len())),
            _ => None,
        }
    }
}

fn evict_tail(lists: &mut Queues, queue: usize, evicted: &mut Vec<u32>) {
    if let Some(node) = lists.tail(queue) {
        evicted.push(lists.remove(node));
    }
}

impl Lfu {
    fn count_of(&self, node: u32) -> u32 {
        self.count[node as usize]
    }

    fn set_count(&mut self, node: u32, count: u32) {
        let at = node as usize;
        if at >= self.count.len() {
            self.count.resize(at + 1, 0);
        }
        self.count[at] = count;
    }

    fn access(&mut self, key: u32, evicted: &mut Vec<u32>) -> bool {
        if let Some(node) = self.lists.find(key) {
            self.bump(node);
            return true;
        }
        while self.lists.total() >= self.capacity {
            self.evict(evicted);
        }
        let node = self.lists.alloc(key);
        self.set_count(node, 1);
        // The newest key with count 1 goes at the head of the count-1 group (or at the tail,
        // when it is the only one): ahead of older count-1 keys, behind every more used key.
        match self.group.get(1) {
            Some(first) => self.lists.insert_before(node, first),
            None => self.lists.push_back(0, node),
        }
        self.group.insert(1, node);
        false
    }

    /// One more request for `node`: it becomes the head of the next count's group.
    fn bump(&mut self, node: u32) {
        let count = self.count_of(node);
        let group_head = self.group.get(count);
        let leads = group_head == Some(node);
        if leads {
            // The next node takes over the group if it has the same count.
            let after = self.lists.next[node as usize];
            if after != NIL && self.count_of(after) == count {
                self.group.insert(count, after);
            } else {
                self.group.remove(count);
            }
        }
        self.set_count(node, count + 1);
        match (self.group.get(count + 1), group_head) {
            (Some(next_group), _) => {
                self.lists.unlink(node);
                self.lists.insert_before(node, next_group);
            }
            // No key has the new count yet: it belongs just ahead of its old group, which is
            // where it already is when it led that group.
            (None, Some(head)) if !leads => {
                self.lists.unlink(node);
                self.lists.insert_before(node, head);
            }
            _ => {}
        }
        self.group.insert(count + 1, node);
    }

    fn evict(&mut self, evicted: &mut Vec<u32>) {
        let Some(victim) = self.lists.tail(0) else { return };
        let count = self.count_of(victim);
        // The tail leads its group only when it is the group's sole member.
        if self.group.get(count) == Some(victim) {
            self.group.remove(count);
        }
        evicted.push(self.lists.remove(victim));
    }
}

impl RandomEviction {
    fn access(&mut self, key: u32, evicted: &mut Vec<u32>) -> bool {
        if self.index.get(key).is_some() {
            return true;
        }
        if (self.slots.len() as u32) < self.capacity {
            self.index.insert(key, self.slots.len() as u32);
            self.slots.push(key);
        } else {
            let at = self.rng.below(self.slots.len() as u64) as usize;
            let victim = std::mem::replace(&mut self.slots[at], key);
            self.index.remove(victim);
            self.index.insert(key, at as u32);
            evicted.push(victim);
        }
        false
    }
}

impl Slru {
    fn access(&mut self, key: u32, evicted: &mut Vec<u32>) -> bool {
        if let Some(node) = self.lists.find(key) {
            self.lists.to_front(node, PROTECTED);
            while self.lists.len[PROTECTED] > self.protected {
                self.demote();
            }
            return true;
        }
        while self.lists.total() >= self.capacity {
            self.evict(evicted);
        }
        let node = self.lists.alloc(key);
        self.lists.push_front(PROBATION, node);
        false
    }

    /// Protected's least recent key falls back to the head of probation.
    fn demote(&mut self) {
        if let Some(node) = self.lists.tail(PROTECTED) {
            self.lists.to_front(node, PROBATION);
        }
    }

    fn evict(&mut self, evicted: &mut Vec<u32>) {
        let queue = if self.lists.len[PROBATION] > 0 { PROBATION } else { PROTECTED };
        evict_tail(&mut self.lists, queue, evicted);
    }
}

impl S3Fifo {
    fn access(&mut self, key: u32, evicted: &mut Vec<u32>) -> bool {
        if let Some(node) = self.lists.find(key) {
            let bits = &mut self.lists.bits[node as usize];
            *bits = (*bits + 1).min(3);
            return true;
        }
        while self.lists.total() >= self.capacity {
            self.evict(evicted);
        }
        let queue = if self.ghost.take(key) { MAIN } else { SMALL };
        let node = self.lists.alloc(key);
        self.lists.push_front(queue, node);
        false
    }

    fn evict(&mut self, evicted: &mut Vec<u32>) {
        if (self.lists.len[SMALL] >= self.small || self.lists.len[MAIN] == 0) && self.lists.len[SMALL] > 0 {
            self.evict_small(evicted);
        } else {
            self.evict_main(evicted);
        }
    }

    fn evict_small(&mut self, evicted: &mut Vec<u32>) {
        while let Some(node) = self.lists.tail(SMALL) {
            if self.lists.bits[node as usize] >= 1 {
                // Asked for again while in S: promoted, its bits cleared.
                self.lists.bits[node as usize] = 0;
                self.lists.to_front(node, MAIN);
                if self.lists.len[MAIN] > self.capacity - self.small {
                    self.evict_main(evicted);
                }
            } else {
                let key = self.lists.remove(node);
                self.ghost.remember(key);
                evicted.push(key);
                return;
            }
        }
    }

    fn evict_main(&mut self, evicted: &mut Vec<u32>) {
        while let Some(node) = self.lists.tail(MAIN) {
            let bits = self.lists.bits[node as usize];
            if bits >= 1 {
                self.lists.bits[node as usize] = bits - 1;
                self.lists.to_front(node, MAIN);
            } else {
                evicted.push(self.lists.remove(node));
                return;
            }
        }
    }
}

/// How many of `trace`'s requests `kind` serves from a cache of `capacity` objects, starting
/// empty (`seed` drives Random's choices).
pub fn hits(kind: Kind, trace: &[u32], capacity: u32, seed: u64) -> u64 {
    if kind == Kind::Opt {
        return opt_hits(trace, capacity);
    }
    let mut policy = Policy::new(kind, capacity, seed);
    let mut evicted = Vec::new();
    trace.iter().filter(|key| {
        evicted.clear();
        policy.access(**key, &mut evicted)
    }).count() as u64
}

/// Bélády's MIN, the offline optimum for a cache that must take in every missed key: on a miss
/// in a full cache, evict the cached key whose next request is furthest in the future (never
/// counts as furthest of all). No online policy can hit more often on the same trace.
pub fn opt_hits(trace: &[u32], capacity: u32) -> u64 {
    let capacity = capacity.max(2) as usize;
    // `next_use[i]`: where `trace[i]` is requested next, or `u32::MAX` for never.
    let mut next_use = vec![u32::MAX; trace.len()];
    let mut seen = KeyMap::with_room(1024);
    for (at, key) in trace.iter().enumerate().rev() {
        if let Some(later) = seen.get(*key) {
            next_use[at] = later;
        }
        seen.insert(*key, at as u32);
    }
    // The cached keys with their next use, and a heap of (next use, key) to find the furthest.
    // A heap entry whose next use no longer matches the map is stale (the key was requested
    // since, or evicted) and is skipped when it surfaces.
    let mut cached = KeyMap::with_room(capacity);
    let mut furthest: BinaryHeap<(u32, u32)> = BinaryHeap::with_capacity(capacity);
    let mut hits = 0;
    for (at, key) in trace.iter().enumerate() {
        if cached.get(*key).is_some() {
            hits += 1;
        } else if cached.len() >= capacity {
            while let Some((when, victim)) = furthest.pop() {
                if cached.get(victim) == Some(when) {
                    cached.remove(victim);
                    break;
                }
            }
        }
        cached.insert(*key, next_use[at]);
        furthest.push((next_use[at], *key));
    }
    hits
}
