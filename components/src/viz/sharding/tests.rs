//! Cases worked out by hand (the range hot spot, the split point, hash mod N's moves, fixed
//! partitions' hand-over, salting's loads, the sizing formula), the placement invariants as
//! proptests over random settings and actions (checked against owners recomputed here from the
//! hashes), and the harness contracts: determinism, replay, URL round trips, live settings.

use std::collections::HashMap;

use proptest::prelude::*;
use proptest::strategy::Strategy as _;

use super::*;
use super::Strategy;
use crate::sim::query::DEFAULT_SEED;
use crate::sim::{ParamKind, Params, Timeline, Value};
use crate::viz::ring::{murmur3_x64_128, HashFunction, Ring};

fn params(list: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(SHARDING_PARAMS);
    for (key, value) in list {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn model(list: &[(&str, &str)], seed: u64) -> Sharding {
    Sharding::new(&params(list), seed)
}

fn murmur(text: &str) -> u64 {
    murmur3_x64_128(text.as_bytes(), 0).0
}

/// An item's hash, from its name: `user:<id>`, or `user:<hot>#<sub>` for a sub-key.
fn hash_by_hand(model: &Sharding, item: usize) -> u64 {
    let keys = model.workload().keys();
    if item < keys {
        murmur(&format!("user:{item}"))
    } else {
        murmur(&format!("user:{}#{}", model.workload().hot_key(), item - keys))
    }
}

/// Where range partitioning sorts an item: a user at its id, sub-key `j` of `k` at
/// `(hot + j × N / k) mod N`.
fn position_by_hand(model: &Sharding, item: usize) -> usize {
    let keys = model.workload().keys();
    if item < keys {
        item
    } else {
        (model.workload().hot_key() as usize + (item - keys) * keys / usize::from(model.workload().salt())) % keys
    }
}

/// Every item's hash, by hand.
fn hashes_by_hand(model: &Sharding) -> Vec<u64> {
    (0..model.workload().items()).map(|item| hash_by_hand(model, item)).collect()
}

/// The owner the strategy's rule gives an item of this hash, worked out here from its
/// placement (the directory has no rule: `None`).
fn owner_by_hand(model: &Sharding, strategy: Strategy, item: usize, hash: u64) -> Option<u8> {
    match model.plan(strategy).placement() {
        Placement::Range(spans) => {
            let position = position_by_hand(model, item);
            spans.iter().rev().find(|span| span.start as usize <= position).map(|span| span.shard)
        }
        Placement::Hash => Some((hash % model.shards() as u64) as u8),
        Placement::Ring(ring) => {
            let node = ring.owner_of(hash)?;
            ring.nodes().iter().position(|each| each.id == node).map(|index| index as u8)
        }
        Placement::Fixed(table) => Some(table[(hash % table.len() as u64) as usize]),
        Placement::Directory => None,
    }
}

/// Σ 1/r^s for r = 1..=n.
fn harmonic(n: usize, s: f64) -> f64 {
    (1..=n).map(|rank| (rank as f64).powf(-s)).sum()
}

fn size_of(model: &Sharding, key: usize) -> f64 {
    model.workload().size_share(key) * f64::from(model.config().data_gb)
}

/// Requests a second the shards get in all, worked out from the settings: the rate, plus
/// (k − 1) × the hot key's reads while it is salted over k.
fn total_load_by_hand(model: &Sharding) -> f64 {
    let config = model.config();
    let rate = f64::from(config.rate);
    let hot = f64::from(config.hot_percent) / 100.0;
    let workload = model.workload();
    if !workload.salted() {
        return rate;
    }
    let hot_load = rate * (hot + (1.0 - hot) * workload.popularity(workload.hot_key() as usize));
    rate + hot_load * f64::from(config.reads_percent) / 100.0 * f64::from(workload.salt() - 1)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The placement invariants, after any history.
fn check(model: &Sharding) -> Result<(), String> {
    let shards = model.shards();
    let items = model.workload().items();
    let expected_load = total_load_by_hand(model);
    let hashes = hashes_by_hand(model);
    for plan in model.plans() {
        let strategy = plan.strategy();
        if plan.owners().len() != items {
            return Err(format!("{strategy:?}: {} owners for {items} items", plan.owners().len()));
        }
        if plan.loads().len() != shards || plan.stored().len() != shards {
            return Err(format!("{strategy:?}: {} loads and {} stored for {shards} shards", plan.loads().len(), plan.stored().len()));
        }
        for (item, owner) in plan.owners().iter().enumerate() {
            if usize::from(*owner) >= shards {
                return Err(format!("{strategy:?}: item {item} on shard {owner} of {shards}"));
            }
            if let Some(by_hand) = owner_by_hand(model, strategy, item, hashes[item]) {
                if by_hand != *owner {
                    return Err(format!("{strategy:?}: item {item} on {owner}, its rule says {by_hand}"));
                }
            }
        }
        let load: f64 = plan.loads().iter().sum();
        if !close(load, expected_load) {
            return Err(format!("{strategy:?}: loads sum to {load}, not {expected_load}"));
        }
        let stored: f64 = plan.stored().iter().sum();
        if !close(stored, f64::from(model.config().data_gb)) {
            return Err(format!("{strategy:?}: {stored} GB stored of {}", model.config().data_gb));
        }
        match plan.placement() {
            Placement::Range(spans) => {
                let ordered = spans.first().is_some_and(|first| first.start == 0) && spans.windows(2).all(|pair| pair[0].start < pair[1].start && pair[0].shard != pair[1].shard);
                if !ordered || spans.len() > MAX_SPANS || spans.last().is_some_and(|last| last.start as usize >= model.workload().keys()) {
                    return Err(format!("ranges out of order or unmerged: {spans:?}"));
                }
            }
            Placement::Fixed(table) => {
                // A partition is never split: every key hashed into it has one owner.
                let mut seen: HashMap<usize, u8> = HashMap::new();
                for (hash, owner) in hashes.iter().zip(plan.owners()) {
                    let partition = (hash % table.len() as u64) as usize;
                    if seen.entry(partition).or_insert(*owner) != owner {
                        return Err(format!("partition {partition} is split across shards"));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// Users whose owner differs between two owner lists.
fn moved(before: &[u8], after: &[u8], keys: usize) -> Vec<usize> {
    (0..keys).filter(|key| before[*key] != after[*key]).collect()
}

/// Applies an action and checks what each strategy's rebalance moved.
fn apply_checked(model: &mut Sharding, action: Action) -> Result<(), String> {
    let before: Vec<Vec<u8>> = model.plans().iter().map(|plan| plan.owners().to_vec()).collect();
    let lasts: Vec<Option<Rebalance>> = model.plans().iter().map(|plan| plan.last().cloned()).collect();
    let old_shards = model.shards();
    model.apply(&action);
    check(model)?;
    let keys = model.workload().keys();
    let grew = model.shards() > old_shards;
    let shrank = model.shards() < old_shards;
    for (index, plan) in model.plans().iter().enumerate() {
        let strategy = plan.strategy();
        let moved = moved(&before[index], plan.owners(), keys);
        let changed = grew || shrank || (strategy == Strategy::Range && matches!(model.event.1, Event::Split(_)));
        if !changed {
            if !moved.is_empty() || plan.last() != lasts[index].as_ref() {
                return Err(format!("{strategy:?}: {action:?} moved {} users", moved.len()));
            }
            continue;
        }
        let last = plan.last().ok_or(format!("{strategy:?}: no record of {action:?}"))?;
        let gb: f64 = moved.iter().map(|key| size_of(model, *key)).sum();
        if last.keys as usize != moved.len() || !close(last.gb, gb) {
            return Err(format!("{strategy:?}: says it moved {} users and {} GB, {} and {gb} did", last.keys, last.gb, moved.len()));
        }
        if strategy == Strategy::Hash && (grew || shrank) {
            // Exactly the keys whose remainder changes.
            let hashes = hashes_by_hand(model);
            let by_hand: Vec<usize> = (0..keys).filter(|key| hashes[*key] % old_shards as u64 != hashes[*key] % model.shards() as u64).collect();
            if by_hand != moved {
                return Err(format!("hash mod N moved {} users, the remainders say {}", moved.len(), by_hand.len()));
            }
        } else if grew && moved.iter().any(|key| usize::from(plan.owners()[*key]) != old_shards) {
            return Err(format!("{strategy:?}: a moved user did not land on the new shard"));
        } else if shrank && moved.iter().any(|key| usize::from(before[index][*key]) != model.shards()) {
            return Err(format!("{strategy:?}: a user moved that was not on the leaving shard"));
        }
        if let (Strategy::Range, Event::Split(split)) = (strategy, model.event.1) {
            // The moved users are the ids from the cut to the end of the cut range, all from its
            // shard to the chosen one.
            let contiguous = moved.first() == Some(&(split.at as usize)) && moved.windows(2).all(|pair| pair[1] == pair[0] + 1);
            if !contiguous || moved.iter().any(|key| before[index][*key] != split.from || plan.owners()[*key] != split.to) {
                return Err(format!("split {split:?} moved {moved:?}"));
            }
        }
    }
    Ok(())
}

// ---- Cases worked by hand ------------------------------------------------------------------------

#[test]
fn the_sizing_formula_matches_hand_worked_cases() {
    let sizing = |list: &[(&str, &str)]| {
        let config = Config::from_params(&params(list));
        (Sizing::of(&config), config)
    };
    // 1,000 GB ÷ (500 GB × 70%) = 2.857… → 3; 10,000/s ÷ (4,000/s × 70%) = 3.571… → 4.
    let (defaults, config) = sizing(&[]);
    assert_eq!((defaults.for_data, defaults.for_rate, defaults.shards, defaults.bound()), (3, 4, 4, "throughput"));
    assert_eq!(
        defaults.formula(&config),
        [
            "usable share of a shard = 100% − 30% headroom = 70%",
            "for data: ⌈1,000 GB ÷ (500 GB × 70%)⌉ = ⌈2.86⌉ = 3",
            "for throughput: ⌈10,000/s ÷ (4,000/s × 70%)⌉ = ⌈3.57⌉ = 4",
            "shards = max(3, 4) = 4",
        ]
    );
    // Exact divisions are not rounded up: 700 ÷ (100 × 70%) = 10; 2,800 ÷ (4,000 × 70%) = 1.
    let (exact, _) = sizing(&[("data", "700"), ("disk", "100"), ("rate", "2800")]);
    assert_eq!((exact.for_data, exact.for_rate, exact.shards, exact.bound()), (10, 1, 10, "data"));
    // No headroom: 1,001 GB on 1,000 GB shards needs two.
    let (tight, _) = sizing(&[("data", "1001"), ("disk", "1000"), ("headroom", "0"), ("rate", "100")]);
    assert_eq!((tight.for_data, tight.for_rate, tight.shards), (2, 1, 2));
    // 90% headroom: 1,000,000/s ÷ (100/s × 10%) = 100,000 shards.
    let (huge, config) = sizing(&[("rate", "1000000"), ("qps", "100"), ("headroom", "90")]);
    assert_eq!(huge.shards, 100_000);
    assert_eq!(huge.formula(&config)[3], "shards = max(20, 100,000) = 100,000", "1,000 GB ÷ (500 GB × 10%) = 20");
    let (even, _) = sizing(&[("data", "2800"), ("disk", "1000"), ("rate", "11200")]);
    assert_eq!((even.for_data, even.for_rate, even.bound()), (4, 4, "data and throughput alike"));
    // The quotient never reads as a whole number when it is not one.
    assert_eq!([sizing::quotient(20, 7), sizing::quotient(300_001, 100_000), sizing::quotient(21, 7), sizing::quotient(1, 3)], ["2.86", "3.00001", "3", "0.33"]);
}

#[test]
fn range_partitioning_piles_the_newest_users_onto_the_last_shard() {
    // 10,000 users, 4 ranges of 2,500 ids; the busiest users are the highest ids, so the last
    // range holds popularity ranks 1 to 2,500: a share H(2,500) / H(10,000) of the requests.
    let model = model(&[], DEFAULT_SEED);
    let range = model.plan(Strategy::Range);
    let Placement::Range(spans) = range.placement() else { panic!("range placement") };
    assert_eq!(spans, &[Span { start: 0, shard: 0 }, Span { start: 2_500, shard: 1 }, Span { start: 5_000, shard: 2 }, Span { start: 7_500, shard: 3 }]);
    let share = harmonic(2_500, 1.0) / harmonic(10_000, 1.0);
    let (busiest, load) = range.hottest();
    assert_eq!(busiest, 3);
    assert!((load - 10_000.0 * share).abs() < 1e-6, "{load} against {}", 10_000.0 * share);
    assert!((range.hottest_over_fair() - 4.0 * share).abs() < 1e-9);
    // S4 alone is over its 4,000/s: the excess is what is throttled.
    assert!((range.throttled(4_000) - (10_000.0 * share - 4_000.0) / 10_000.0).abs() < 1e-9);
    // The same users scattered over the ids spread the load: no range gets half of it.
    let scattered = self::model(&[("order", "random")], DEFAULT_SEED);
    assert!(scattered.plan(Strategy::Range).hottest_over_fair() < 2.0, "{}", scattered.plan(Strategy::Range).hottest_over_fair());
    // With no skew every user is as busy as any other, and every range gets a quarter.
    let even = self::model(&[("skew", "0")], DEFAULT_SEED);
    assert!(even.plan(Strategy::Range).loads().iter().all(|load| (load - 2_500.0).abs() < 1e-6));
}

#[test]
fn splitting_the_hot_range_cuts_where_half_its_requests_fall_on_each_side() {
    let mut model = model(&[], DEFAULT_SEED);
    // The cut, by hand: id i has rank 10,000 − i; walk up from 7,500 until half of the range's
    // requests are below.
    let weight = |id: usize| 1.0 / (10_000 - id) as f64;
    let half: f64 = (7_500..10_000).map(weight).sum::<f64>() / 2.0;
    let mut below = 0.0;
    let cut = (7_500..10_000).find(|id| {
        below += weight(*id);
        below >= half
    });
    let cut = cut.expect("a cut") + 1;
    apply_checked(&mut model, Action::SplitHotRange).unwrap_or_else(|problem| panic!("{problem}"));
    // The upper part goes to the least loaded other shard: S1 (ids 0 to 2,499, the oldest).
    assert_eq!(model.event.1, Event::Split(Split { from: 3, to: 0, at: cut as u32 }));
    let last = model.plan(Strategy::Range).last().expect("a record");
    assert_eq!((last.keys as usize, last.cause), (10_000 - cut, Cause::Split));
    assert_eq!(last.flows.iter().map(|flow| (flow.from, flow.to, flow.keys as usize)).collect::<Vec<_>>(), [(3, 0, 10_000 - cut)]);
    for strategy in [Strategy::Hash, Strategy::Ring, Strategy::Fixed, Strategy::Directory] {
        assert!(model.plan(strategy).last().is_none(), "{strategy:?} has no ranges to split");
    }
    assert!(model.narrate().starts_with(&format!("Range partitioning cuts S4's busiest range at user:{cut} and moves")), "{}", model.narrate());
}

#[test]
fn a_celebrity_cannot_be_split_only_salted() {
    let mut model = model(&[("hot", "90")], DEFAULT_SEED);
    let hot = model.workload().hot_key() as usize;
    let mut splits = 0;
    loop {
        apply_checked(&mut model, Action::SplitHotRange).unwrap_or_else(|problem| panic!("{problem}"));
        match model.event.1 {
            Event::Split(_) => splits += 1,
            Event::SplitRefused(refusal) => {
                assert_eq!(refusal, SplitRefusal::SingleKey);
                break;
            }
            other => panic!("{other:?}"),
        }
        assert!(splits < 40, "splitting never isolated the celebrity");
    }
    // The hot key is alone in its range, and that range's shard carries at least its 90%.
    let range = model.plan(Strategy::Range);
    let Placement::Range(spans) = range.placement() else { panic!("range placement") };
    let index = spans.iter().rposition(|span| span.start as usize <= hot).expect("a range");
    assert_eq!(spans[index].start as usize, hot);
    assert_eq!(spans.get(index + 1).map_or(10_000, |next| next.start as usize), hot + 1);
    assert!(range.hottest().1 >= 9_000.0);
    assert!(model.narrate().contains("salt it instead"), "{}", model.narrate());
    // Salted over 8 with only writes, the 9,000/s spread over eight ranges.
    apply_checked(&mut model, Action::Set(Setting::Reads, 0)).unwrap_or_else(|problem| panic!("{problem}"));
    apply_checked(&mut model, Action::Salt(8)).unwrap_or_else(|problem| panic!("{problem}"));
    assert!(model.plan(Strategy::Range).hottest().1 < 5_000.0, "{:?}", model.plan(Strategy::Range).loads());
}

#[test]
fn salting_spreads_writes_but_every_read_asks_every_sub_key() {
    let mut model = model(&[("hot", "30"), ("reads", "50")], DEFAULT_SEED);
    let hot = model.workload().hot_key() as usize;
    let hot_load = 10_000.0 * (0.3 + 0.7 * model.workload().popularity(hot));
    let stored_before: Vec<Vec<f64>> = model.plans().iter().map(|plan| plan.stored().to_vec()).collect();
    let loads_before: Vec<Vec<f64>> = model.plans().iter().map(|plan| plan.loads().to_vec()).collect();
    apply_checked(&mut model, Action::Salt(8)).unwrap_or_else(|problem| panic!("{problem}"));
    let loads = model.workload().item_loads(model.config());
    assert_eq!(loads.len(), 10_008);
    assert_eq!(loads[hot], 0.0, "the key itself gets nothing once salted");
    // A write to one of 8 (half of 1/8 each), every read to all 8 (half each).
    for sub in &loads[10_000..] {
        assert!((sub - hot_load * (0.5 / 8.0 + 0.5)).abs() < 1e-9, "{sub}");
    }
    for plan in model.plans() {
        let total: f64 = plan.loads().iter().sum();
        assert!((total - (10_000.0 + hot_load * 0.5 * 7.0)).abs() < 1e-6, "{:?}: {total}", plan.strategy());
        assert!(plan.last().is_none(), "salting copies nothing");
        assert_eq!(plan.stored(), stored_before[plan.strategy().index()], "the data stays where it was");
    }
    // The sub-keys are user:<hot>#0 to #7, placed by their own hashes.
    assert_eq!(hash_by_hand(&model, 10_003), murmur(&format!("user:{hot}#3")));
    assert!(model.narrate().contains("salted over 8 sub-keys"), "{}", model.narrate());
    apply_checked(&mut model, Action::Salt(1)).unwrap_or_else(|problem| panic!("{problem}"));
    assert_eq!(model.workload().items(), 10_000);
    for plan in model.plans() {
        for (load, before) in plan.loads().iter().zip(&loads_before[plan.strategy().index()]) {
            assert!((load - before).abs() < 1e-6, "{:?}: unsalting restores the loads", plan.strategy());
        }
    }
}

#[test]
fn adding_a_shard_moves_what_each_strategy_promises() {
    let mut model = model(&[], DEFAULT_SEED);
    apply_checked(&mut model, Action::AddShard).unwrap_or_else(|problem| panic!("{problem}"));
    let keys = |strategy: Strategy| model.plan(strategy).last().map_or(0, |last| last.keys);
    // Hash mod N, by hand: the users whose hash mod 4 and mod 5 differ (about 4/5 of them).
    let by_hand = (0..10_000).filter(|key| murmur(&format!("user:{key}")) % 4 != murmur(&format!("user:{key}")) % 5).count();
    assert_eq!(keys(Strategy::Hash) as usize, by_hand);
    assert!((7_700..8_300).contains(&by_hand), "{by_hand}");
    // The ring: about 1/5, all onto the new shard (checked by `apply_checked`), and every key
    // where a ring built afresh with five shards puts it.
    assert!((1_300..2_700).contains(&keys(Strategy::Ring)), "{}", keys(Strategy::Ring));
    let fresh = Ring::new(HashFunction::Murmur3, 100, 5);
    for key in 0..10_000 {
        let node = fresh.owner_of(murmur(&format!("user:{key}"))).expect("an owner");
        let shard = fresh.nodes().iter().position(|each| each.id == node).expect("a node");
        assert_eq!(usize::from(model.plan(Strategy::Ring).owners()[key]), shard, "user:{key}");
    }
    // Fixed partitions: 64 ÷ 5 = 12 whole partitions, taken one at a time from the fullest
    // shard (the lowest number first), each its highest-numbered: 60, 61, 62, 63, 56 … 52.
    let Placement::Fixed(table) = model.plan(Strategy::Fixed).placement() else { panic!("fixed") };
    let expected: Vec<u8> = (0..64u8).map(|partition| if partition >= 52 { 4 } else { partition % 4 }).collect();
    assert_eq!(table, &expected);
    let in_moved_partitions = (0..10_000).filter(|key| murmur(&format!("user:{key}")) % 64 >= 52).count();
    assert_eq!(keys(Strategy::Fixed) as usize, in_moved_partitions);
    // The directory fills the new shard to about its fair share of requests, and no further.
    let directory = model.plan(Strategy::Directory);
    let fair = 10_000.0 / 5.0;
    assert!((0.95 * fair..=fair * 1.05).contains(&directory.loads()[4]), "{:?}", directory.loads());
    assert!(directory.hottest_over_fair() < model.plan(Strategy::Hash).hottest_over_fair());
    // Copy time is data ÷ bandwidth: GB × 1,000 ÷ 100 MB/s.
    let hash = model.plan(Strategy::Hash).last().expect("a record");
    assert!((hash.seconds(100) - hash.gb * 10.0).abs() < 1e-9);
    assert!(model.narrate().starts_with("S5 joins: Range partitioning moves"), "{}", model.narrate());
}

#[test]
fn removing_a_shard_moves_only_its_data_except_under_hash_mod_n() {
    let mut model = model(&[("shards", "6"), ("hot", "20")], 3);
    apply_checked(&mut model, Action::RemoveShard).unwrap_or_else(|problem| panic!("{problem}"));
    let fixed = model.plan(Strategy::Fixed);
    let Placement::Fixed(table) = fixed.placement() else { panic!("fixed") };
    // 64 partitions over 6: S6 held 10 (5, 11, … 59); each went to the shard holding fewest.
    let mut counts = [0; 5];
    for owner in table {
        counts[usize::from(*owner)] += 1;
    }
    assert_eq!(counts, [13, 13, 13, 13, 12]);
    assert!(model.narrate().starts_with("S6 leaves:"), "{}", model.narrate());
    let hash = model.plan(Strategy::Hash).last().expect("a record");
    assert!(hash.keys > 7_500, "going from 6 to 5 shards moves 5/6 of the keys under hash mod N: {}", hash.keys);
    for _ in 0..4 {
        apply_checked(&mut model, Action::RemoveShard).unwrap_or_else(|problem| panic!("{problem}"));
    }
    assert_eq!(model.shards(), 1);
    apply_checked(&mut model, Action::RemoveShard).unwrap_or_else(|problem| panic!("{problem}"));
    assert_eq!((model.shards(), model.event.1), (1, Event::LastShard));
    assert!(model.plans().iter().all(|plan| plan.owners().iter().all(|owner| *owner == 0)), "one shard holds everything");
}

#[test]
fn shards_top_out_at_sixteen_and_more_than_the_partitions_sit_idle() {
    let mut model = model(&[("shards", "15"), ("partitions", "8"), ("keys", "500")], 4);
    apply_checked(&mut model, Action::AddShard).unwrap_or_else(|problem| panic!("{problem}"));
    apply_checked(&mut model, Action::AddShard).unwrap_or_else(|problem| panic!("{problem}"));
    assert_eq!((model.shards(), model.event.1), (MAX_SHARDS, Event::Full));
    let fixed = model.plan(Strategy::Fixed);
    assert_eq!(fixed.loads().iter().filter(|load| **load > 0.0).count(), 8, "8 partitions keep only 8 shards busy");
}

// ---- The invariants over random histories -----------------------------------------------------

fn any_setting() -> impl proptest::strategy::Strategy<Value = Action> {
    (0..Setting::ALL.len()).prop_flat_map(|index| {
        let setting = Setting::ALL[index];
        let (low, high) = setting.range();
        (low..=high).prop_map(move |value| Action::Set(setting, value))
    })
}

fn any_action() -> impl proptest::strategy::Strategy<Value = Action> {
    prop_oneof![
        3 => Just(Action::AddShard),
        3 => Just(Action::RemoveShard),
        2 => Just(Action::SplitHotRange),
        1 => (1u8..=MAX_SALT).prop_map(Action::Salt),
        2 => any_setting(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Every item has exactly one owner under every strategy (the one its rule gives), loads sum
    /// to the rate and data to the data set, partitions stay whole, and each rebalance moves
    /// what its strategy promises, after any history of actions on any settings.
    #[test]
    fn placements_hold_under_any_history(
        shards in 1usize..=MAX_SHARDS,
        keys in 100usize..2_000,
        random in any::<bool>(),
        skew in 0.0f64..2.0,
        hot in 0u32..=90,
        vnodes in 1u32..60,
        partitions in 1u32..200,
        seed in any::<u64>(),
        actions in proptest::collection::vec(any_action(), 1..14),
    ) {
        let settings = [
            ("shards", shards.to_string()),
            ("keys", keys.to_string()),
            ("order", if random { "random" } else { "newest" }.to_string()),
            ("skew", format!("{skew:.2}")),
            ("hot", hot.to_string()),
            ("vnodes", vnodes.to_string()),
            ("partitions", partitions.to_string()),
        ];
        let list: Vec<(&str, &str)> = settings.iter().map(|(key, value)| (*key, value.as_str())).collect();
        let mut model = model(&list, seed);
        if let Err(problem) = check(&model) {
            prop_assert!(false, "at the start: {problem}\n{settings:?} seed {seed}");
        }
        for action in &actions {
            if let Err(problem) = apply_checked(&mut model, *action) {
                prop_assert!(false, "{action:?}: {problem}\n{settings:?} seed {seed}, actions {actions:?}");
            }
            model.step();
            prop_assert!(model.dots().len() <= MAX_DOTS);
            prop_assert!(model.dots().iter().all(|dot| usize::from(dot.owners.into_iter().max().unwrap_or(0)) < MAX_SHARDS));
        }
    }

    /// Any parameters at all (out of range, of the wrong kind) and any actions: no panic, and
    /// the picture still draws within its canvas.
    #[test]
    fn nothing_panics_and_the_stage_always_draws(
        values in proptest::collection::vec(proptest::option::of("-?[0-9]{1,8}|[a-z]{1,8}|NaN|1e9"), SHARDING_PARAMS.len()),
        keys in 100usize..2_000,
        seed in any::<u64>(),
        actions in proptest::collection::vec((0u64..60, any_action()), 0..20),
    ) {
        // Any user count is tried elsewhere: here a small one keeps the cases quick.
        let mut pairs: Vec<(String, String)> = SHARDING_PARAMS.iter().zip(&values).filter_map(|(spec, value)| value.clone().map(|value| (spec.key.to_string(), value))).filter(|(key, _)| key != "keys").collect();
        pairs.push(("keys".to_string(), keys.to_string()));
        let (params, _) = Params::from_pairs(SHARDING_PARAMS, &pairs);
        let mut model = Sharding::new(&params, seed);
        for tick in 0..60u64 {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                model.apply(action);
            }
            model.step();
            if tick % 15 == 0 {
                let drawn = stage::stage(&model).finish();
                prop_assert!(drawn.problems.is_empty(), "{:?}", drawn.problems);
            }
        }
        prop_assert!(!model.narrate().is_empty());
    }
}

// ---- Traffic ------------------------------------------------------------------------------------

#[test]
fn the_dots_follow_the_traffic() {
    let mut model = model(&[("hot", "50")], 7);
    let mut hot_dots = 0;
    let mut dots = 0;
    let hot = model.workload().hot_key() as usize;
    let hot_owner = model.plan(Strategy::Hash).owners()[hot];
    for _ in 0..600 {
        model.step();
        let now = model.tick() as u32;
        for dot in model.dots().iter().filter(|dot| dot.sent == now) {
            dots += 1;
            hot_dots += usize::from(dot.owners[Strategy::Hash.index()] == hot_owner);
        }
    }
    // 10,000/s at one dot per 500 requests: 2 dots a tick.
    assert_eq!(model.dot_worth(), 500);
    assert!((1_000..1_400).contains(&dots), "{dots} dots in 600 ticks");
    // At least half go to the celebrity's shard.
    let share = hot_dots as f64 / dots as f64;
    let expected = model.plan(Strategy::Hash).loads()[usize::from(hot_owner)] / 10_000.0;
    assert!((share - expected).abs() < 0.06, "{share} against {expected}");
}

#[test]
fn the_request_stream_does_not_change_the_data_set() {
    let a = model(&[], 9);
    let mut b = a.clone();
    for _ in 0..100 {
        b.step();
    }
    for (x, y) in a.plans().iter().zip(b.plans()) {
        assert_eq!(x.owners(), y.owners());
        assert_eq!(x.loads(), y.loads());
    }
    assert_ne!(model(&[], 10).workload().hot_key(), a.workload().hot_key(), "another seed, another celebrity");
}

// ---- Narration ------------------------------------------------------------------------------------

#[test]
fn the_narration_tells_the_event_then_the_state() {
    let mut model = model(&[], DEFAULT_SEED);
    assert!(model.narrate().starts_with("10,000 users' data, 1,000 GB, over 4 shards at 10,000 requests a second; Range partitioning: the busiest shard gets 3.4× its fair share."), "{}", model.narrate());
    for _ in 0..40 {
        model.step();
    }
    assert!(model.narrate().starts_with("4.0 s: under Range partitioning, the busiest of 4 shards, S4, serves 8,584 requests a second, 3.4× its fair share, over its capacity of 4,000: 46% of all requests are throttled."), "{}", model.narrate());
    model.apply(&Action::Set(Setting::Hot, 30));
    let hot = model.workload().hot_key();
    assert!(model.narrate().starts_with(&format!("user:{hot} becomes a celebrity with 30% of all requests;")), "{}", model.narrate());
    model.apply(&Action::Set(Setting::Rate, 20_000));
    assert_eq!(model.narrate(), "Peak traffic is now 20,000 requests a second; sizing now says 8 shards.");
    model.apply(&Action::Set(Setting::Focus, 1));
    assert!(model.narrate().starts_with("Showing Hash mod N:"), "{}", model.narrate());
    model.apply(&Action::RemoveShard);
    model.apply(&Action::RemoveShard);
    model.apply(&Action::RemoveShard);
    model.apply(&Action::RemoveShard);
    assert_eq!(model.narrate(), "One shard is left, and every key needs a home: it stays.");
    model.apply(&Action::SplitHotRange);
    assert_eq!(model.narrate(), "With one shard there is nowhere to move half a range.");
}

// ---- Actions in the URL ---------------------------------------------------------------------------

#[test]
fn garbage_actions_are_refused() {
    for text in ["", "a1", "r0", "p ", "s0", "s17", "s08", "s-1", "f5", "f01", "q99", "q1000001", "h91", "e101", "k201", "b0", "x", "z1", "é", "q1e3", "s١"] {
        assert_eq!(Action::decode(text), None, "{text:?}");
    }
    assert_eq!(Action::decode("s16"), Some(Action::Salt(16)));
    assert_eq!(Action::decode("f4"), Some(Action::Set(Setting::Focus, 4)));
    assert_eq!(Action::decode("k0"), Some(Action::Set(Setting::Skew, 0)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn actions_round_trip_through_their_text(action in any_action()) {
        let text = action.encode();
        prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "URL-safe: {}", text);
        prop_assert_eq!(Action::decode(&text), Some(action));
    }

    /// Anything decodes without a panic, and what decodes is written back the same way.
    #[test]
    fn decoding_anything_is_safe_and_canonical(text in "\\PC{0,8}|[arpsfqkhedcgmb][0-9]{0,10}") {
        if let Some(action) = Action::decode(&text) {
            prop_assert_eq!(action.encode(), text);
        }
    }
}

// ---- Live settings ---------------------------------------------------------------------------------

#[test]
fn every_live_parameter_reads_back_and_becomes_an_action() {
    let config = Config::from_params(&Params::defaults(SHARDING_PARAMS));
    let live: Vec<&str> = Setting::ALL.iter().map(|setting| setting.key()).collect();
    for spec in SHARDING_PARAMS {
        match Setting::ALL.into_iter().find(|setting| setting.key() == spec.key) {
            Some(setting) => {
                // What a live control shows is the parameter's own value, so showing it and
                // sending it back changes nothing.
                assert_eq!(config.value(spec.key), Some(spec.default), "{}", spec.key);
                assert_eq!(Action::from_param(spec.key, spec.default), Some(Action::Set(setting, config.get(setting))), "{}", spec.key);
            }
            None => {
                assert_eq!(config.value(spec.key), None, "{} starts a new run", spec.key);
                assert_eq!(Action::from_param(spec.key, spec.default), None);
            }
        }
    }
    assert_eq!(live, ["focus", "rate", "skew", "hot", "reads", "data", "qps", "disk", "headroom", "bandwidth"]);
    assert_eq!(Action::from_param("rate", Value::Int(9_999_999)), Some(Action::Set(Setting::Rate, 1_000_000)));
    assert_eq!(Action::from_param("hot", Value::Int(-5)), Some(Action::Set(Setting::Hot, 0)));
    assert_eq!(Action::from_param("skew", Value::Float(0.75)), Some(Action::Set(Setting::Skew, 75)));
    assert_eq!(Action::from_param("skew", Value::Float(f64::NAN)), None);
    assert_eq!(Action::from_param("focus", Value::Choice("ring")), Some(Action::Set(Setting::Focus, 2)));
    assert_eq!(Action::from_param("focus", Value::Choice("nope")), None);
    assert_eq!(Action::from_param("rate", Value::Bool(true)), None);
    // A live change acts on the running model at once.
    let mut model = model(&[], DEFAULT_SEED);
    model.apply(&Action::from_param("focus", Value::Choice("directory")).expect("live"));
    model.apply(&Action::from_param("skew", Value::Float(0.0)).expect("live"));
    assert_eq!((model.config().value("focus"), model.config().value("skew")), (Some(Value::Choice("directory")), Some(Value::Float(0.0))));
    assert!(model.plan(Strategy::Range).loads().iter().all(|load| (load - 2_500.0).abs() < 1e-6), "no skew: even ranges");
    assert_eq!([Action::AddShard, Action::Salt(1), Action::Salt(8), Action::Set(Setting::Focus, 3)].map(|action| action.label()), ["Add a shard", "Unsalt the hot key", "Salt the hot key over 8", "Show Fixed partitions"]);
}

#[test]
fn wrong_parameters_fall_back_without_a_panic() {
    let none = Sharding::new(&Params::defaults(&[]), 1);
    assert_eq!(none.config(), &Config::from_params(&Params::defaults(SHARDING_PARAMS)));
    // Another tool's parameters: what shares a key is read and clamped, the rest defaults.
    let foreign = Sharding::new(&Params::defaults(crate::viz::raft::RAFT_PARAMS), 1);
    assert_eq!((foreign.config().rate, foreign.config().shards, foreign.config().keys), (100, 4, 10_000), "raft's rate of 2 a second, clamped");
    let ranges = SHARDING_PARAMS.iter().all(|spec| match spec.kind {
        ParamKind::Int { min, max } => min <= max,
        ParamKind::Float { min, max } => min <= max,
        _ => true,
    });
    assert!(ranges);
}

// ---- Determinism and replay -------------------------------------------------------------------------

#[test]
fn a_seed_replays_the_same_run_and_a_link_rebuilds_it() {
    let script = [(20, Action::Set(Setting::Hot, 30)), (40, Action::AddShard), (60, Action::Salt(4)), (80, Action::SplitHotRange), (90, Action::RemoveShard), (100, Action::Set(Setting::Focus, 2))];
    let mut timeline = Timeline::<Sharding>::new(params(&[]), 9, SHARDING_LIMIT);
    for (at, action) in script {
        timeline.seek(at);
        timeline.act(action);
    }
    timeline.seek(200);
    let (actions, skipped) = Timeline::<Sharding>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    assert_eq!(actions, script.to_vec());
    let replayed = Timeline::<Sharding>::replay(params(&[]), 9, SHARDING_LIMIT, actions, 200);
    assert_eq!(replayed.state(), timeline.state());
    timeline.seek(77);
    let again = Timeline::<Sharding>::replay(params(&[]), 9, SHARDING_LIMIT, script.to_vec(), 77);
    assert_eq!(again.state(), timeline.state(), "scrubbing back lands on the same state");
    let other = Timeline::<Sharding>::replay(params(&[]), 10, SHARDING_LIMIT, script.to_vec(), 77);
    assert_ne!(other.state(), timeline.state(), "another seed is another run");
}

#[test]
fn the_largest_data_set_builds_and_rebalances() {
    let mut model = model(&[("keys", "100000"), ("shards", "16"), ("vnodes", "500"), ("partitions", "1024"), ("rate", "1000000"), ("data", "1000000"), ("hot", "10")], 2);
    model.apply(&Action::RemoveShard);
    model.apply(&Action::Salt(16));
    for _ in 0..20 {
        model.step();
    }
    for plan in model.plans() {
        assert_eq!(plan.owners().len(), 100_016);
        assert!(plan.owners().iter().all(|owner| *owner < 15), "{:?}", plan.strategy());
        assert!(close(plan.loads().iter().sum(), total_load_by_hand(&model)), "{:?}", plan.strategy());
    }
    let drawn = stage::stage(&model).finish();
    assert!(drawn.problems.is_empty(), "{:?}", drawn.problems);
}

