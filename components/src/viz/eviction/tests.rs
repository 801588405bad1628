use std::collections::HashSet;

use crate::sim::{ParamKind, ParamSpec, Params, Simulation, SimRng, Timeline, Value};
use proptest::prelude::*;

use super::*;

fn params(pairs: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(EVICTION_PARAMS);
    for (key, value) in pairs {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn run(pairs: &[(&str, &str)], seed: u64, ticks: u64, actions: Vec<(u64, Action)>) -> Timeline<Eviction> {
    Timeline::replay(params(pairs), seed, ticks, actions, ticks)
}

fn lane(kind: Kind) -> usize {
    Kind::ONLINE.iter().position(|each| *each == kind).unwrap()
}

/// Every online policy, plus the capacities the tests sweep.
const ONLINE: [Kind; LANES] = Kind::ONLINE;

// ---- The traces ---------------------------------------------------------------------------------

#[test]
fn zipf_draws_follow_their_probabilities() {
    // The share of each rank must be 1/rank^s over the sum, within five standard errors.
    for (n, s) in [(1u32, 0.9), (5, 0.0), (5, 0.5), (5, 1.0), (8, 1.3), (20, 2.0), (3, 0.999_999_9)] {
        let zipf = Zipf::new(n, s);
        let mut rng = SimRng::new(11);
        let draws = 200_000;
        let mut counts = vec![0u32; n as usize];
        for _ in 0..draws {
            let rank = zipf.sample(&mut rng);
            assert!((1..=n).contains(&rank), "{rank} outside 1..={n}");
            counts[rank as usize - 1] += 1;
        }
        let weights: Vec<f64> = (1..=n).map(|rank| 1.0 / f64::from(rank).powf(s)).collect();
        let sum: f64 = weights.iter().sum();
        for (rank, (count, weight)) in counts.iter().zip(&weights).enumerate() {
            let p = weight / sum;
            let seen = f64::from(*count) / f64::from(draws);
            let error = (p * (1.0 - p) / f64::from(draws)).sqrt();
            assert!((seen - p).abs() <= 5.0 * error + 1e-9, "n {n} s {s} rank {}: {seen} against {p}", rank + 1);
        }
    }
}

#[test]
fn a_huge_population_samples_without_a_table() {
    let zipf = Zipf::new(100_000, 0.9);
    let mut rng = SimRng::new(3);
    let ranks: Vec<u32> = (0..10_000).map(|_| zipf.sample(&mut rng)).collect();
    assert!(ranks.iter().all(|rank| (1..=100_000).contains(rank)));
    assert!(ranks.iter().any(|rank| *rank > 10_000), "the long tail is reached");
    // P(rank 1) = 1 / H(100000, 0.9) ≈ 1/23.6: about 420 of 10,000.
    let first = ranks.iter().filter(|rank| **rank == 1).count();
    assert!((300..550).contains(&first), "{first}");
}

#[test]
fn a_trace_is_fixed_by_its_seed() {
    let trace = |seed| Trace::new(TraceKind::Scan, 1_000, 0.9, 50, 300, seed).take(3_000);
    assert_eq!(trace(5), trace(5));
    assert_ne!(trace(5), trace(6));
}

#[test]
fn a_scan_trace_reads_fresh_keys_once_after_every_period() {
    let (keys, every, length) = (1_000u32, 300usize, 50usize);
    let requests = Trace::new(TraceKind::Scan, keys, 0.9, length as u32, every as u32, 1).take(3 * (every + length));
    for cycle in 0..3 {
        let start = cycle * (every + length);
        assert!(requests[start..start + every].iter().all(|key| *key < keys), "popular requests first");
        let scan = &requests[start + every..start + every + length];
        let first = keys + (cycle * length) as u32;
        assert_eq!(scan, (first..first + length as u32).collect::<Vec<_>>().as_slice(), "a run of fresh cold keys");
    }
}

#[test]
fn a_shifting_trace_moves_its_hot_set() {
    let mut trace = Trace::new(TraceKind::Shift, 1_000, 1.0, 10, 5_000, 2);
    // Each window stays within one position of the hot set: the first is requests 0 to 4,999,
    // the second 5,000 to 9,998.
    let hottest = |trace: &mut Trace, count: usize| {
        let mut counts = vec![0u32; 1_000];
        for _ in 0..count {
            counts[trace.next_key() as usize] += 1;
        }
        (0..1_000u32).max_by_key(|key| counts[*key as usize]).unwrap()
    };
    let before = hottest(&mut trace, 5_000);
    let after = hottest(&mut trace, 4_999);
    assert_eq!(trace.epoch(), 1);
    assert_ne!(before, after, "the most requested key changed");
    // Ranks follow the move: the new hottest key ranks first, the old one far down.
    assert_eq!(trace.rank(after), Some(0));
    assert!(trace.rank(before).unwrap() > 100, "{:?}", trace.rank(before));
    assert_eq!(trace.rank(1_000 + 5), None, "cold keys have no rank");
    // The reader's shift moves a Zipf trace too.
    let mut still = Trace::new(TraceKind::Zipf, 1_000, 1.0, 10, 100, 2);
    assert_eq!(still.rank(0), Some(0));
    still.shift();
    assert_ne!(still.rank(0), Some(0));
}

// ---- The policies, by hand ----------------------------------------------------------------------

/// Hits and, per request, the keys evicted.
fn play(kind: Kind, capacity: u32, trace: &[u32]) -> (Policy, Vec<bool>, Vec<Vec<u32>>) {
    let mut policy = Policy::new(kind, capacity, 1);
    let mut hits = Vec::new();
    let mut evictions = Vec::new();
    for key in trace {
        let mut evicted = Vec::new();
        hits.push(policy.access(*key, &mut evicted));
        evictions.push(evicted);
    }
    (policy, hits, evictions)
}

fn layout(policy: &Policy) -> (Vec<u32>, Option<usize>) {
    let mut keys = Vec::new();
    let divider = policy.layout(&mut keys);
    (keys, divider)
}

#[test]
fn fifo_shows_beladys_anomaly_and_lru_does_not() {
    // The classic reference string. FIFO with 3 places: misses on 1 2 3 4 1 2 5, hits on 1 2,
    // misses on 3 4, a hit on 5: 3 hits. With 4 places: misses on 1 2 3 4, hits on 1 2, then
    // 5 1 2 3 4 5 each evict the key needed next: 2 hits. More room, fewer hits.
    let trace = [1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5];
    assert_eq!(hits(Kind::Fifo, &trace, 3, 0), 3);
    assert_eq!(hits(Kind::Fifo, &trace, 4, 0), 2);
    // LRU with 3 places hits only 1 and 2 after 5; with 4 it also hits 1 and 2 after 4.
    assert_eq!(hits(Kind::Lru, &trace, 3, 0), 2);
    assert_eq!(hits(Kind::Lru, &trace, 4, 0), 4);
    // And OPT: with 3 places it keeps 1 and 2 for their returns and 3 or 4 once: 5 hits.
    assert_eq!(opt_hits(&trace, 3), 5);
}

#[test]
fn lfu_evicts_the_least_recent_of_the_least_requested() {
    // Counts after 1 1 2 3: 1 has 2, 2 and 3 have 1 each; 2 is the older of the two.
    let (mut lfu, _, evictions) = play(Kind::Lfu, 3, &[1, 1, 2, 3, 4]);
    assert_eq!(evictions[4], [2]);
    let mut evicted = Vec::new();
    assert!(lfu.access(3, &mut evicted), "3 is still cached, now with count 2");
    assert!(!lfu.access(5, &mut evicted));
    assert_eq!(evicted, [4], "4 is the only key left with count 1");
    // Most requested first, and among equals the most recent first: 3 (2, newer), 1 (2), 5 (1).
    assert_eq!(layout(&lfu), (vec![3, 1, 5], None));
}

#[test]
fn slru_protects_keys_asked_for_twice_from_a_scan() {
    // Five places: one on probation, four protected. Key 1 is asked for twice, then a scan of
    // ten keys passes: every scan key enters probation and pushes out the previous one.
    let mut trace = vec![1, 2, 3, 4, 5, 1];
    trace.extend(100..110);
    let (slru, _, _) = play(Kind::Slru, 5, &trace);
    let (lru, _, _) = play(Kind::Lru, 5, &trace);
    assert!(slru.contains(1), "protected");
    assert!(!lru.contains(1), "flushed");
    assert_eq!(layout(&slru), (vec![1, 109, 108, 107, 106], Some(1)));
}

#[test]
fn s3_fifo_promotes_a_key_asked_for_again_and_sends_the_rest_to_the_ghost() {
    // Four places: S holds 1 (10%, at least one), M 3. 1 1 2 3 4 fill S with 1 asked for twice.
    // 5 needs room: S's tail, 1, was asked for again and moves to M; the next tail, 2, was not
    // and leaves for the ghost. Then 2 misses: room is made from S's tail (3, to the ghost),
    // and 2, remembered by the ghost, goes straight to M.
    let (s3, hit, evictions) = play(Kind::S3Fifo, 4, &[1, 1, 2, 3, 4, 5, 2]);
    assert_eq!(hit, [false, true, false, false, false, false, false]);
    assert_eq!(evictions.concat(), [2, 3]);
    assert_eq!(layout(&s3), (vec![5, 4, 2, 1], Some(2)));
    assert_eq!(s3.s3_main_and_ghost(1), Some((true, 1)), "1 and 2 in M, 3 in the ghost");
    assert_eq!(s3.s3_main_and_ghost(2), Some((true, 1)));
    assert_eq!(s3.s3_main_and_ghost(5), Some((false, 1)));
}

#[test]
fn s3_fifo_main_queue_reinserts_a_key_with_credit() {
    // Ten places: S holds 1, M 9. Keys 1 to 9, each asked for twice, then 50 fill the cache
    // from S alone (nothing is evicted before it is full). 51 needs room: S's tail, 1, was
    // asked for again and moves to M with its bits cleared, and so do 2 to 9; then 50, never
    // asked for again, leaves for the ghost.
    let mut trace = Vec::new();
    for key in 1..=9 {
        trace.extend([key, key]);
    }
    trace.extend([50, 51]);
    let (mut s3, _, evictions) = play(Kind::S3Fifo, 10, &trace);
    assert_eq!(evictions.concat(), [50]);
    assert_eq!(layout(&s3), (vec![51, 9, 8, 7, 6, 5, 4, 3, 2, 1], Some(1)));
    // Now 1 is asked for (credit 1 in M); 60 and 61 each push S's one key to the ghost; 61 is
    // asked for again, so 62 moves it to M, which overflows: M's tail, 1, has credit and goes
    // back to the head with its credit spent, and 2, with none, leaves instead.
    let mut evicted = Vec::new();
    let hit: Vec<bool> = [1, 60, 61, 61, 62].iter().map(|key| s3.access(*key, &mut evicted)).collect();
    assert_eq!(hit, [true, false, false, true, false]);
    assert_eq!(evicted, [51, 60, 2]);
    assert_eq!(layout(&s3), (vec![62, 1, 61, 9, 8, 7, 6, 5, 4, 3], Some(1)));
    assert_eq!(s3.s3_main_and_ghost(1), Some((true, 3)), "50, 51 and 60 remembered by the ghost");
}

#[test]
fn random_eviction_replays_with_its_seed() {
    let trace: Vec<u32> = (0..500).map(|index| (index * 7919) % 97).collect();
    let evicted_with = |seed| {
        let mut policy = Policy::new(Kind::Random, 10, seed);
        let mut evicted = Vec::new();
        for key in &trace {
            policy.access(*key, &mut evicted);
        }
        evicted
    };
    assert_eq!(evicted_with(4), evicted_with(4));
    assert_ne!(evicted_with(4), evicted_with(5));
}

/// The best any demand policy can do, by trying every choice of victim: for tiny traces only.
fn brute_force_best(trace: &[u32], capacity: usize, cached: &mut Vec<u32>) -> u64 {
    let Some((key, rest)) = trace.split_first() else { return 0 };
    if cached.contains(key) {
        return 1 + brute_force_best(rest, capacity, cached);
    }
    if cached.len() < capacity {
        cached.push(*key);
        let best = brute_force_best(rest, capacity, cached);
        cached.pop();
        return best;
    }
    let mut best = 0;
    for victim in 0..cached.len() {
        let old = std::mem::replace(&mut cached[victim], *key);
        best = best.max(brute_force_best(rest, capacity, cached));
        cached[victim] = old;
    }
    best
}

/// Each policy again, written the slow and obvious way over plain vectors (front = newest), as
/// an oracle for the linked lists and maps: the same trace must give the same hits, the same
/// evictions in the same order, and the same drawn order.
struct Naive {
    kind: Kind,
    capacity: usize,
    /// (key, counter, last use): the counter is LFU's count or S3-FIFO's bits.
    first: Vec<(u32, u32, usize)>,
    /// SLRU's protected segment, or S3-FIFO's main queue.
    second: Vec<(u32, u32, usize)>,
    ghost: std::collections::VecDeque<u32>,
    rng: SimRng,
    now: usize,
}

impl Naive {
    fn new(kind: Kind, capacity: usize, seed: u64) -> Self {
        Self { kind, capacity, first: Vec::new(), second: Vec::new(), ghost: Default::default(), rng: SimRng::new(seed), now: 0 }
    }

    fn small(&self) -> usize {
        (self.capacity / 10).max(1)
    }

    fn access(&mut self, key: u32, evicted: &mut Vec<u32>) -> bool {
        self.now += 1;
        let now = self.now;
        let in_first = self.first.iter().position(|entry| entry.0 == key);
        let in_second = self.second.iter().position(|entry| entry.0 == key);
        match self.kind {
            Kind::Lru | Kind::Fifo | Kind::Random => {
                if let Some(at) = in_first {
                    if self.kind == Kind::Lru {
                        let entry = self.first.remove(at);
                        self.first.insert(0, entry);
                    }
                    return true;
                }
                if self.first.len() >= self.capacity {
                    if self.kind == Kind::Random {
                        // Random keeps slot order: the new key takes the victim's slot.
                        let at = self.rng.below(self.first.len() as u64) as usize;
                        evicted.push(std::mem::replace(&mut self.first[at], (key, 0, now)).0);
                        return false;
                    }
                    evicted.push(self.first.pop().unwrap().0);
                }
                if self.kind == Kind::Random {
                    self.first.push((key, 0, now));
                } else {
                    self.first.insert(0, (key, 0, now));
                }
                false
            }
            Kind::Lfu => {
                if let Some(at) = in_first {
                    self.first[at].1 += 1;
                    self.first[at].2 = now;
                    return true;
                }
                if self.first.len() >= self.capacity {
                    let victim = (0..self.first.len()).min_by_key(|at| (self.first[*at].1, self.first[*at].2)).unwrap();
                    evicted.push(self.first.remove(victim).0);
                }
                self.first.push((key, 1, now));
                false
            }
            Kind::Slru => {
                let protected = self.capacity - (self.capacity / 5).max(1);
                // `first` is probation, `second` protected.
                if let Some(at) = in_first.map(|at| self.first.remove(at)).or_else(|| in_second.map(|at| self.second.remove(at))) {
                    self.second.insert(0, at);
                    while self.second.len() > protected {
                        let demoted = self.second.pop().unwrap();
                        self.first.insert(0, demoted);
                    }
                    return true;
                }
                while self.first.len() + self.second.len() >= self.capacity {
                    let victim = if self.first.is_empty() { self.second.pop() } else { self.first.pop() };
                    evicted.push(victim.unwrap().0);
                }
                self.first.insert(0, (key, 0, now));
                false
            }
            Kind::S3Fifo => {
                // `first` is S, `second` M; the counter is the 2-bit frequency.
                if let Some(at) = in_first {
                    self.first[at].1 = (self.first[at].1 + 1).min(3);
                    return true;
                }
                if let Some(at) = in_second {
                    self.second[at].1 = (self.second[at].1 + 1).min(3);
                    return true;
                }
                while self.first.len() + self.second.len() >= self.capacity {
                    if (self.first.len() >= self.small() || self.second.is_empty()) && !self.first.is_empty() {
                        self.evict_small(evicted);
                    } else {
                        self.evict_main(evicted);
                    }
                }
                match self.ghost.iter().position(|ghost| *ghost == key) {
                    Some(at) => {
                        self.ghost.remove(at);
                        self.second.insert(0, (key, 0, now));
                    }
                    None => self.first.insert(0, (key, 0, now)),
                }
                false
            }
            Kind::Opt => unreachable!(),
        }
    }

    fn evict_small(&mut self, evicted: &mut Vec<u32>) {
        while let Some((key, bits, last)) = self.first.pop() {
            if bits >= 1 {
                self.second.insert(0, (key, 0, last));
                if self.second.len() > self.capacity - self.small() {
                    self.evict_main(evicted);
                }
            } else {
                self.ghost.push_back(key);
                if self.ghost.len() > self.capacity - self.small() {
                    self.ghost.pop_front();
                }
                evicted.push(key);
                return;
            }
        }
    }

    fn evict_main(&mut self, evicted: &mut Vec<u32>) {
        while let Some((key, bits, last)) = self.second.pop() {
            if bits >= 1 {
                self.second.insert(0, (key, bits - 1, last));
            } else {
                evicted.push(key);
                return;
            }
        }
    }

    /// The order the stage draws, as `Policy::layout` gives it.
    fn layout(&self) -> Vec<u32> {
        let keys = |part: &[(u32, u32, usize)]| part.iter().map(|entry| entry.0).collect::<Vec<_>>();
        match self.kind {
            Kind::Lfu => {
                let mut sorted = self.first.clone();
                sorted.sort_by_key(|entry| std::cmp::Reverse((entry.1, entry.2)));
                keys(&sorted)
            }
            Kind::Slru => [keys(&self.second), keys(&self.first)].concat(),
            _ => [keys(&self.first), keys(&self.second)].concat(),
        }
    }
}

// ---- Properties ---------------------------------------------------------------------------------

fn traces(keys: u32, longest: usize) -> impl proptest::strategy::Strategy<Value = Vec<u32>> {
    proptest::collection::vec(0..keys, 0..longest)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Against an independent set per policy: a hit exactly when the key was cached, every
    /// evicted key was cached (and is not the one asked for), the cache never holds more than
    /// its capacity, and the drawn layout holds exactly the cached keys. Capacity changes on
    /// the way evict what they must.
    #[test]
    fn every_policy_keeps_its_books(
        trace in traces(40, 400),
        capacity in 2u32..25,
        resizes in proptest::collection::vec((0usize..400, 2u32..25), 0..4),
        seed in any::<u64>(),
    ) {
        for kind in ONLINE {
            let mut policy = Policy::new(kind, capacity, seed);
            let mut model: HashSet<u32> = HashSet::new();
            let mut evicted = Vec::new();
            for (at, key) in trace.iter().enumerate() {
                for (when, size) in &resizes {
                    if *when == at {
                        evicted.clear();
                        policy.resize(*size, &mut evicted);
                        for gone in &evicted {
                            prop_assert!(model.remove(gone), "{kind:?} shrank away {gone}, which it did not hold");
                        }
                        prop_assert!(model.len() as u32 <= *size);
                    }
                }
                evicted.clear();
                let was_cached = model.contains(key);
                let found_at = policy.position(*key);
                let hit = policy.access(*key, &mut evicted);
                prop_assert_eq!(hit, was_cached, "{:?} on key {}", kind, key);
                prop_assert_eq!(found_at.is_some(), was_cached);
                if hit {
                    prop_assert!(evicted.is_empty());
                } else {
                    for gone in &evicted {
                        prop_assert!(*gone != *key && model.remove(gone), "{kind:?} evicted {gone}, which it did not hold");
                    }
                    model.insert(*key);
                }
                prop_assert!(model.len() as u32 <= policy.capacity(), "{kind:?} holds {} of {}", model.len(), policy.capacity());
                prop_assert_eq!(policy.len() as usize, model.len());
                prop_assert!(policy.position(*key).is_some_and(|slot| slot < policy.len()));
            }
            let (keys, divider) = layout(&policy);
            let drawn: HashSet<u32> = keys.iter().copied().collect();
            prop_assert_eq!(drawn.len(), keys.len(), "no key drawn twice");
            prop_assert_eq!(&drawn, &model);
            prop_assert!(divider.is_none_or(|split| split <= keys.len()));
        }
    }

    /// Every policy does exactly what its slow, obvious twin does.
    #[test]
    fn every_policy_matches_its_plain_twin(trace in traces(50, 600), capacity in 2u32..30, seed in any::<u64>()) {
        for kind in ONLINE {
            let mut policy = Policy::new(kind, capacity, seed);
            let mut twin = Naive::new(kind, capacity as usize, seed);
            for key in &trace {
                let (mut evicted, mut expected) = (Vec::new(), Vec::new());
                prop_assert_eq!(policy.access(*key, &mut evicted), twin.access(*key, &mut expected), "{:?} on {}", kind, key);
                prop_assert_eq!(&evicted, &expected, "{:?} on {}", kind, key);
            }
            prop_assert_eq!(layout(&policy).0, twin.layout(), "{:?}", kind);
        }
    }

    /// The hand-written map agrees with the standard one through inserts, overwrites, removals
    /// and growth; keys from a narrow range collide often, which is what deletion must survive.
    #[test]
    fn the_key_map_agrees_with_a_hash_map(operations in proptest::collection::vec((0u32..200, any::<bool>(), any::<u32>()), 0..800)) {
        let mut map = policies::KeyMap::with_room(4);
        let mut reference = std::collections::HashMap::new();
        for (key, insert, value) in operations {
            let key = key * 64;
            if insert {
                map.insert(key, value);
                reference.insert(key, value);
            } else {
                prop_assert_eq!(map.remove(key), reference.remove(&key));
            }
            prop_assert_eq!(map.len(), reference.len());
        }
        for key in 0..200 {
            prop_assert_eq!(map.get(key * 64), reference.get(&(key * 64)).copied());
        }
    }

    /// LRU is a stack algorithm: at every moment a bigger LRU cache holds everything a smaller
    /// one does, so its hits never fall as it grows (FIFO has no such guarantee; see above).
    #[test]
    fn lru_never_loses_hits_by_growing(trace in traces(30, 300), small in 2u32..20) {
        let (mut little, mut big) = (Policy::new(Kind::Lru, small, 0), Policy::new(Kind::Lru, small + 1, 0));
        let mut evicted = Vec::new();
        let (mut little_hits, mut big_hits) = (0, 0);
        for key in &trace {
            little_hits += u32::from(little.access(*key, &mut evicted));
            big_hits += u32::from(big.access(*key, &mut evicted));
            let (inner, _) = layout(&little);
            prop_assert!(inner.iter().all(|key| big.contains(*key)), "inclusion");
        }
        prop_assert!(big_hits >= little_hits);
        prop_assert_eq!(u64::from(little_hits), hits(Kind::Lru, &trace, small, 0));
    }

    /// Bélády's optimum hits at least as often as every online policy on the same trace.
    #[test]
    fn opt_is_never_beaten(trace in traces(30, 400), capacity in 2u32..20, seed in any::<u64>()) {
        let best = opt_hits(&trace, capacity);
        for kind in ONLINE {
            prop_assert!(best >= hits(kind, &trace, capacity, seed), "{kind:?} beat OPT");
        }
        prop_assert!(best <= trace.len() as u64);
    }

    /// And it is the optimum: on tiny traces, trying every choice of victim finds no better.
    #[test]
    fn opt_matches_an_exhaustive_search(trace in traces(5, 11), capacity in 2u32..4) {
        prop_assert_eq!(opt_hits(&trace, capacity), brute_force_best(&trace, capacity as usize, &mut Vec::new()));
    }

    /// A key asked for once, like every key of a scan, passes through S3-FIFO's small queue and
    /// never reaches the main one.
    #[test]
    fn s3_fifo_keeps_one_time_keys_out_of_main(trace in traces(60, 500), capacity in 2u32..30) {
        let mut counts = vec![0u32; 60];
        for key in &trace {
            counts[*key as usize] += 1;
        }
        let mut policy = Policy::new(Kind::S3Fifo, capacity, 0);
        let mut evicted = Vec::new();
        for key in &trace {
            policy.access(*key, &mut evicted);
            let (keys, divider) = layout(&policy);
            let main = &keys[divider.unwrap_or(0)..];
            prop_assert!(main.iter().all(|key| counts[*key as usize] > 1), "{main:?}");
        }
    }

    /// Whatever the settings and the reader's actions, every lane sees the same requests, and
    /// the books add up.
    #[test]
    fn the_run_keeps_its_books(
        trace in prop_oneof![Just("zipf"), Just("scan"), Just("shift")],
        keys in 100i64..=3_000,
        cache in 4i64..=300,
        rate in 1i64..=50,
        scan in 10i64..=500,
        every in 100i64..=1_000,
        seed in any::<u64>(),
        actions in proptest::collection::vec((0u64..60, prop_oneof![
            (MIN_CACHE..=300u32).prop_map(Action::Capacity),
            Just(Action::Scan),
            Just(Action::Shift),
        ]), 0..5),
    ) {
        let mut params = Params::defaults(EVICTION_PARAMS);
        params.set_text("trace", trace).unwrap();
        for (key, value) in [("keys", keys), ("cache", cache), ("rate", rate), ("scan", scan), ("every", every)] {
            params.set(key, Value::Int(value));
        }
        let timeline = Timeline::<Eviction>::replay(params, seed, 60, actions, 60);
        let model = timeline.state();
        let first = &model.lanes()[0];
        prop_assert_eq!(first.requests, 60 * rate as u64);
        for lane in model.lanes() {
            prop_assert_eq!(lane.requests, first.requests);
            prop_assert_eq!(lane.digest, first.digest);
            prop_assert!(lane.hits <= lane.requests);
            prop_assert!(lane.policy.len() <= model.capacity());
        }
        prop_assert!(!model.narrate().contains("NaN"));
    }
}

// ---- The run ------------------------------------------------------------------------------------

#[test]
fn every_lane_is_fed_the_trace_itself() {
    let timeline = run(&[("trace", "scan"), ("every", "500")], 9, 300, vec![]);
    let model = timeline.state();
    let requests = model.config().trace(9).take(300 * 20);
    let expected = requests.iter().fold(0, |digest, key| fingerprint(digest, *key));
    for lane in model.lanes() {
        assert_eq!(lane.digest, expected, "{:?}", lane.kind());
        // And its hit count is what the policy alone makes of the same requests.
        assert_eq!(lane.hits, hits(lane.kind(), &requests, 50, super::random_seed(9)), "{:?}", lane.kind());
    }
}

#[test]
fn the_window_holds_the_last_thousand_requests() {
    // 20 requests a tick: after 50 ticks the window is the whole run; after 100, the second half.
    let mut timeline = Timeline::<Eviction>::new(params(&[]), 4, 1_000);
    timeline.seek(50);
    let halfway: Vec<u64> = timeline.state().lanes().iter().map(|lane| lane.hits).collect();
    for (lane, ratio) in timeline.state().lanes().iter().zip(timeline.state().recent_ratios()) {
        assert!((f64::from(ratio) - lane.hit_ratio().unwrap()).abs() < 1e-6);
    }
    timeline.seek(100);
    let model = timeline.state();
    for ((lane, before), ratio) in model.lanes().iter().zip(halfway).zip(model.recent_ratios()) {
        assert!((f64::from(ratio) - (lane.hits - before) as f64 / 1_000.0).abs() < 1e-6, "{:?}", lane.kind());
    }
    assert_eq!(model.series().len(), 100);
    assert_eq!(model.series().last().unwrap().ratio, model.recent_ratios());
}

#[test]
fn the_same_seed_and_actions_replay_the_same_run() {
    let actions = || vec![(40, Action::Scan), (90, Action::Capacity(20)), (150, Action::Shift), (200, Action::Capacity(300))];
    let (a, b) = (run(&[("trace", "scan")], 7, 400, actions()), run(&[("trace", "scan")], 7, 400, actions()));
    assert_eq!(a.state(), b.state());
    assert_eq!(a.state().narrate(), b.state().narrate());
    assert_ne!(a.state(), run(&[("trace", "scan")], 8, 400, actions()).state());
}

#[test]
fn stepping_back_then_forward_returns_to_the_same_state() {
    let mut timeline = Timeline::<Eviction>::new(params(&[("trace", "shift"), ("every", "400")]), 3, 2_000);
    timeline.seek(100);
    timeline.act(Action::Capacity(80));
    timeline.seek(400);
    let before = timeline.state().clone();
    for _ in 0..250 {
        timeline.step_back();
    }
    assert_eq!(timeline.tick(), 150);
    for _ in 0..250 {
        timeline.step_forward();
    }
    assert_eq!(timeline.state(), &before);
    let (actions, skipped) = Timeline::<Eviction>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    let rebuilt = Timeline::<Eviction>::replay(params(&[("trace", "shift"), ("every", "400")]), 3, 2_000, actions, 400);
    assert_eq!(rebuilt.state(), &before);
}

#[test]
fn shrinking_evicts_and_growing_keeps_what_is_cached() {
    let mut timeline = run(&[("cache", "200")], 1, 100, vec![]);
    timeline.act(Action::Capacity(30));
    for lane in timeline.state().lanes() {
        assert_eq!(lane.policy.len(), 30, "{:?}", lane.kind());
    }
    let mut keys = Vec::new();
    let before: Vec<Vec<u32>> = timeline.state().lanes().iter().map(|lane| {
        lane.policy.layout(&mut keys);
        keys.clone()
    }).collect();
    timeline.act(Action::Capacity(500));
    for (lane, kept) in timeline.state().lanes().iter().zip(before) {
        assert!(kept.iter().all(|key| lane.policy.contains(*key)), "{:?}", lane.kind());
        assert_eq!(lane.policy.capacity(), 500);
    }
}

#[test]
fn actions_round_trip_and_garbage_is_refused() {
    for action in [Action::Capacity(MIN_CACHE), Action::Capacity(MAX_CACHE), Action::Capacity(77), Action::Scan, Action::Shift] {
        let text = Eviction::encode_action(&action);
        assert!(text.chars().all(|c| c.is_ascii_alphanumeric()), "{text} must be URL-safe");
        assert_eq!(Eviction::decode_action(&text), Some(action));
    }
    for garbage in ["", "c", "c3", "c2001", "c-5", "c+5", "c5x", "c00050", "c050", "S", "ss", "x", "h1", "💥", "c 50", "c99999999999999999999"] {
        assert_eq!(Eviction::decode_action(garbage), None, "{garbage:?}");
    }
}

const FOREIGN: &[ParamSpec] = &[ParamSpec { key: "cache", label: "Cache", kind: ParamKind::Choice(&[("big", "Big")]), default: Value::Choice("big") }];

#[test]
fn parameters_from_anywhere_are_clamped_or_defaulted() {
    let defaults = Config::from_params(&Params::defaults(EVICTION_PARAMS));
    assert_eq!(Config::from_params(&Params::defaults(FOREIGN)), defaults);
    assert_eq!((defaults.trace, defaults.keys, defaults.capacity, defaults.rate, defaults.scan_length, defaults.every), (TraceKind::Zipf, 1_000, 50, 20, 200, 2_000));
    assert!((defaults.skew - 0.9).abs() < 1e-12);
    let mut wild = Params::defaults(EVICTION_PARAMS);
    wild.set("cache", Value::Int(1_000_000));
    wild.set("keys", Value::Int(-4));
    wild.set("skew", Value::Float(f64::NAN));
    wild.set("trace", Value::Choice("nonsense"));
    let config = Config::from_params(&wild);
    assert_eq!((config.capacity, config.keys, config.trace), (MAX_CACHE, 100, TraceKind::Zipf));
    assert!((config.skew - 0.9).abs() < 1e-12);
}

#[test]
fn the_narration_says_what_just_happened() {
    let mut timeline = Timeline::<Eviction>::new(params(&[]), 2, 1_000);
    assert!(timeline.state().narrate().starts_with("Six caches of 50 objects each serve the same requests: Zipf popularity (α 0.9) over 1,000 keys, 20 a tick."), "{}", timeline.state().narrate());
    timeline.seek(30);
    let said = timeline.state().narrate();
    let last = *timeline.state().last_request().unwrap();
    assert!(said.starts_with(&format!("Key {} (popularity rank {} of 1,000)", last.key, last.rank.unwrap() + 1)), "{said}");
    timeline.act(Action::Scan);
    assert!(timeline.state().narrate().starts_with("A scan starts: 200 keys"), "{}", timeline.state().narrate());
    // One tick in, 20 of the 200 one-time keys have arrived: nothing is flushed yet.
    timeline.seek(31);
    let scanning = timeline.state().narrate();
    assert!(scanning.starts_with("A scan is passing through; popular keys still cached, out of 50: LRU "), "{scanning}");
    // Ten ticks in, the 200 one-time keys have filled LRU and FIFO (50 places each) but none of
    // them reaches S3-FIFO's main queue or SLRU's protected segment.
    timeline.seek(39);
    let model = timeline.state();
    let flushed = model.narrate();
    assert!(flushed.starts_with("A scan is passing through and has flushed every popular key from LRU"), "{flushed}");
    for (index, kind) in ONLINE.iter().enumerate() {
        let mut keys = Vec::new();
        model.lanes()[index].policy.layout(&mut keys);
        let popular = keys.iter().filter(|key| **key < 1_000).count();
        let named = format!("{} {popular}", kind.label());
        if popular == 0 {
            assert!(!flushed.contains(&named) && flushed.split(';').next().unwrap().contains(kind.label()), "{kind:?}: {flushed}");
        } else {
            assert!(flushed.contains(&format!("{named},")) || flushed.ends_with(&format!("{named}.")), "{kind:?} holds {popular}: {flushed}");
        }
    }
    assert!(model.popular_cached(lane(Kind::S3Fifo)) >= 40);
    timeline.act(Action::Capacity(9));
    assert!(timeline.state().narrate().starts_with("Every cache now holds 9 objects"));
}

#[test]
fn the_narration_names_which_caches_hit() {
    let mut timeline = Timeline::<Eviction>::new(params(&[]), 2, 1_000);
    let mut mixed = 0;
    for tick in 20..200 {
        timeline.seek(tick);
        let model = timeline.state();
        let last = model.last_request().unwrap();
        let said = model.narrate();
        let hit: Vec<&str> = ONLINE.iter().zip(last.access).filter(|(_, access)| access.hit).map(|(kind, _)| kind.label()).collect();
        if hit.len() == LANES {
            assert!(said.ends_with("a hit in every cache."), "{said}");
        } else if hit.is_empty() {
            assert!(said.ends_with("a miss in every cache."), "{said}");
        } else {
            mixed += 1;
            let (hits_part, misses_part) = said.split_once("; a miss for ").unwrap();
            let named = |part: &str, kind: Kind| part.split([',', ' ', '.', ':']).any(|word| word == kind.label());
            for kind in ONLINE {
                assert_eq!(named(hits_part, kind), hit.contains(&kind.label()), "{kind:?}: {said}");
                assert_eq!(named(misses_part, kind), !hit.contains(&kind.label()), "{kind:?}: {said}");
            }
        }
    }
    assert!(mixed > 10, "the policies disagree often: {mixed}");
}

// ---- Where each policy breaks -------------------------------------------------------------------

fn curve(pairs: &[(&str, &str)], sizes: &[u32]) -> Vec<Curve> {
    hit_ratio_curve(&params(pairs), 1, sizes)
}

fn at(curves: &[Curve], kind: Kind, index: usize) -> f64 {
    curves.iter().find(|curve| curve.kind == kind).unwrap().ratios[index]
}

#[test]
fn the_curves_are_ordered_bounded_and_fast_enough() {
    let defaults = params(&[]);
    let sizes = curve_sizes(&defaults);
    assert_eq!(sizes, [5, 10, 20, 50, 100, 200, 500, 1_000]);
    let started = std::time::Instant::now();
    let curves = hit_ratio_curve(&defaults, 1, &sizes);
    let spent = started.elapsed();
    // Measured 2026-12 in this debug build; a release build (and the browser's) is many times
    // faster. The bound only catches a blow-up.
    eprintln!("hit_ratio_curve at the defaults: {spent:?} for {} sizes", sizes.len());
    assert!(spent.as_secs_f64() < 20.0, "{spent:?}");
    // The heaviest settings: the most keys (so the most sizes, up to 10,000) and scans.
    let heavy = params(&[("trace", "scan"), ("keys", "100000"), ("skew", "0.5"), ("every", "100")]);
    let started = std::time::Instant::now();
    let heavy_curves = hit_ratio_curve(&heavy, 1, &curve_sizes(&heavy));
    eprintln!("hit_ratio_curve at its heaviest: {:?} for {} sizes", started.elapsed(), curve_sizes(&heavy).len());
    assert!(started.elapsed().as_secs_f64() < 40.0);
    assert!(heavy_curves.iter().all(|curve| curve.ratios.iter().all(|ratio| (0.0..=1.0).contains(ratio))));
    assert_eq!(curves.len(), LANES + 1);
    assert_eq!(curves[LANES].kind, Kind::Opt);
    for (index, _) in sizes.iter().enumerate() {
        for curve in &curves {
            assert!((0.0..=1.0).contains(&curve.ratios[index]));
            assert!(at(&curves, Kind::Opt, index) >= curve.ratios[index], "{:?} beat OPT at {}", curve.kind, sizes[index]);
        }
    }
    let lru = &curves[lane(Kind::Lru)].ratios;
    assert!(lru.windows(2).all(|pair| pair[1] >= pair[0]), "{lru:?}");
    // With room for every key, only first requests miss: every policy scores the same, and that
    // score is the share of requests that are not a key's first.
    let requests = Config::from_params(&defaults).trace(1).take(CURVE_REQUESTS);
    let distinct = requests.iter().collect::<HashSet<_>>().len();
    let ceiling = 1.0 - distinct as f64 / requests.len() as f64;
    for curve in &curves {
        assert!((curve.ratios[sizes.len() - 1] - ceiling).abs() < 1e-12, "{:?}", curve.kind);
    }
}

#[test]
fn the_run_size_joins_the_curve_sizes() {
    assert_eq!(curve_sizes(&params(&[("cache", "64"), ("keys", "300")])), [5, 10, 20, 50, 64, 100, 200]);
    assert_eq!(curve_sizes(&params(&[("keys", "100000")])).last(), Some(&10_000));
}

#[test]
fn scans_flush_lru_and_fifo_but_not_the_scan_resistant_policies() {
    // A scan of 200 one-time keys after every 1,000 requests, caches of 50.
    let curves = curve(&[("trace", "scan"), ("every", "1000")], &[50]);
    let ratio = |kind| at(&curves, kind, 0);
    eprintln!("scan trace at 50: {:?}", curves.iter().map(|curve| (curve.kind.label(), curve.ratios[0])).collect::<Vec<_>>());
    for resistant in [Kind::S3Fifo, Kind::Slru, Kind::Lfu] {
        assert!(ratio(resistant) > ratio(Kind::Lru) + 0.05, "{resistant:?} {} against LRU {}", ratio(resistant), ratio(Kind::Lru));
    }
    assert!(ratio(Kind::S3Fifo) > ratio(Kind::Fifo) + 0.05);
}

#[test]
fn a_moving_hot_set_strands_lfu() {
    // The hot set moves every 2,000 requests: LFU's counts keep the old favourites.
    let curves = curve(&[("trace", "shift")], &[50]);
    let ratio = |kind| at(&curves, kind, 0);
    eprintln!("shift trace at 50: {:?}", curves.iter().map(|curve| (curve.kind.label(), curve.ratios[0])).collect::<Vec<_>>());
    for adaptive in [Kind::Lru, Kind::S3Fifo, Kind::Slru] {
        assert!(ratio(adaptive) > ratio(Kind::Lfu) + 0.05, "{adaptive:?} {} against LFU {}", ratio(adaptive), ratio(Kind::Lfu));
    }
}

#[test]
fn on_plain_zipf_frequency_pays_and_fifo_trails() {
    let curves = curve(&[], &[50]);
    let ratio = |kind| at(&curves, kind, 0);
    eprintln!("zipf trace at 50: {:?}", curves.iter().map(|curve| (curve.kind.label(), curve.ratios[0])).collect::<Vec<_>>());
    assert!(ratio(Kind::Lfu) > ratio(Kind::Lru));
    assert!(ratio(Kind::S3Fifo) > ratio(Kind::Lru));
    assert!(ratio(Kind::Lru) > ratio(Kind::Fifo));
}
