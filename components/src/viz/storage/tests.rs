//! Both engines worked by hand (splits, borrows, merges and their page writes; flushes, a
//! compaction that drops old versions and a tombstone, trivial moves and their costs), the
//! engines against a `BTreeMap` over random operation sequences (every read answered alike, every
//! structural rule kept after every operation), the whole model over random workloads and actions
//! (answers, conservation laws for pages and records, amplifications), and the harness contracts:
//! determinism, replay, URL round trips, live settings and no panics.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::btree::Change;
use super::lsm::{Record, Settings, LEVELS};
use super::*;
use crate::sim::query::DEFAULT_SEED;
use crate::sim::{Params, Simulation, Timeline, Value as ParamValue};
use crate::viz::bloom::false_positive_rate;
use crate::viz::poster::pairs;

fn params(list: &[(&str, &str)]) -> Params {
    let (params, notes) = Params::from_pairs(STORAGE_PARAMS, &pairs(list));
    assert!(notes.is_empty(), "{notes:?}");
    params
}

fn settings(memtable: u32, ratio: u32, bloom: u32) -> Settings {
    Settings { memtable, ratio, bloom, block: 4 }
}

/// The key ranges of each level of a tree, root first.
fn ranges(tree: &BTree) -> Vec<Vec<(u16, u16)>> {
    tree.levels(KEYS).iter().map(|level| level.iter().map(|page| (page.lower, page.upper)).collect()).collect()
}

fn fills(tree: &BTree) -> Vec<Vec<u32>> {
    tree.levels(KEYS).iter().map(|level| level.iter().map(|page| page.keys).collect()).collect()
}

// ---- The B-tree by hand -------------------------------------------------------------------------

#[test]
fn a_fifth_key_splits_the_leaf_in_half_and_a_new_root_takes_the_separator() {
    let mut tree = BTree::new(4);
    for (tick, key) in [10, 20, 30, 40].into_iter().enumerate() {
        let effect = tree.put(key, u32::from(key), tick as u32 + 1);
        assert_eq!((effect.written.len(), effect.splits), (1, 0), "room in the leaf: only it is written");
    }
    // Five keys in a page of four: the lower two stay, the upper three move to a new page, whose
    // first key (30) goes up into a new root.
    let effect = tree.put(50, 50, 5);
    assert_eq!((effect.written.len(), effect.splits, effect.separator, effect.grew), (3, 1, Some(30), true), "the old leaf, the new leaf and the new root");
    assert_eq!(tree.height(), 2);
    assert_eq!(ranges(&tree), vec![vec![(0, 100)], vec![(0, 30), (30, 100)]]);
    assert_eq!(fills(&tree), vec![vec![1], vec![2, 3]]);
    let levels = tree.levels(KEYS);
    assert_eq!(levels[1][1].change, Change::Split, "the new page is marked for the stage");
    assert_eq!(tree.get(40), (Some(40), 2), "one page per level");
    assert_eq!(tree.get(35), (None, 2));
    tree.check().unwrap();
}

#[test]
fn a_page_under_half_full_borrows_from_a_sibling_and_merges_when_none_can_spare() {
    let mut tree = BTree::new(4);
    for key in [10, 20, 30, 40, 50] {
        tree.put(key, u32::from(key), 1);
    }
    // [10 20] [30 40 50]: deleting 10 leaves one key, under the minimum of 2; the right sibling
    // has 3 and lends its first, 30; the separator becomes the sibling's new first key, 40.
    let effect = tree.delete(10, 2);
    assert_eq!((effect.found, effect.borrows, effect.merges, effect.written.len()), (true, 1, 0, 3), "both leaves and the root");
    assert_eq!(ranges(&tree), vec![vec![(0, 100)], vec![(0, 40), (40, 100)]]);
    assert_eq!(fills(&tree), vec![vec![1], vec![2, 2]]);
    // [20 30] [40 50]: deleting 20 leaves one key and the sibling has none to spare: the two
    // merge into [30 40 50], the root loses its only separator and is freed, and the tree is a
    // single leaf again. Only that leaf is written.
    let effect = tree.delete(20, 3);
    assert_eq!((effect.borrows, effect.merges, effect.shrank, effect.written.len()), (0, 1, true, 1));
    assert_eq!((tree.height(), tree.pages(), tree.len()), (1, 1, 3));
    assert_eq!(tree.scan(0, 99).0, vec![(30, 30), (40, 40), (50, 50)]);
    // A key that is not there costs nothing.
    assert_eq!(tree.delete(77, 4), Default::default());
    tree.check().unwrap();
}

#[test]
fn appending_keys_in_order_leaves_every_page_half_full_and_splits_the_root_at_the_thirteenth() {
    let mut tree = BTree::new(4);
    let mut writes = 0;
    for key in 1..=13 {
        writes += tree.put(key, u32::from(key), u32::from(key)).written.len();
    }
    // By hand: each fifth key in the last leaf splits it (2 stay, 3 move), so the leaves fill
    // [1 2] [3 4] [5 6] … and the root gathers 3, 5, 7, 9; the 13th key splits the leaf [9..13]
    // and then the root [3 5 7 9 11], whose middle key, 7, goes up into a new root.
    assert_eq!(ranges(&tree), vec![vec![(0, 100)], vec![(0, 7), (7, 100)], vec![(0, 3), (3, 5), (5, 7), (7, 9), (9, 11), (11, 100)]]);
    assert_eq!(fills(&tree), vec![vec![1], vec![2, 2], vec![2, 2, 2, 2, 2, 3]]);
    // Pages written: 1 for each key that fits (1–4, 6, 8, 10, 12), 3 for each leaf split (5, 7,
    // 9, 11: two leaves and the parent), 5 for the 13th (two leaves, the old root, its new right
    // half and the new root): 8 + 12 + 5.
    assert_eq!(writes, 25);
    assert_eq!(tree.scan(4, 9), (vec![(4, 4), (5, 5), (6, 6), (7, 7), (8, 8), (9, 9)], vec![(3, 5), (5, 7), (7, 9), (9, 11)]), "the four leaves that hold 4 to 9");
    tree.check().unwrap();
}

// ---- The LSM tree by hand -------------------------------------------------------------------------

#[test]
fn the_memtable_flushes_at_its_limit_keeping_the_newest_version_of_each_key() {
    let mut lsm = Lsm::new(settings(4, 2, 10));
    for (key, value) in [(1, 1), (2, 2), (3, 3)] {
        assert_eq!(lsm.put(key, value, 1), Default::default());
    }
    assert_eq!((lsm.logged(), lsm.memtable().len()), (3, 3));
    // The fourth write overwrites 3: four writes logged, three keys, one table of three.
    let effect = lsm.put(3, 30, 2);
    assert_eq!((effect.flushed, effect.flushes, effect.compactions), (3, 1, 0));
    assert_eq!((lsm.logged(), lsm.memtable().len(), lsm.level(0).len()), (0, 0, 1));
    assert_eq!(lsm.level(0)[0].records(), &[Record { key: 1, value: Some(1) }, Record { key: 2, value: Some(2) }, Record { key: 3, value: Some(30) }]);
    // A key the table holds: its filter cannot say no, so one block is read.
    let (value, probes) = lsm.get(2);
    let probes = probes.unwrap();
    assert_eq!((value, probes.len(), probes[0].outcome, probes[0].blocks), (Some(2), 1, ProbeOutcome::Found, 1));
    // A key outside every table's range: nothing to read.
    assert_eq!(lsm.get(7), (None, Some(vec![])));
    // A delete in the memtable hides the table's value without a read.
    lsm.delete(2, 3);
    assert_eq!(lsm.get(2), (None, None));
    assert_eq!(lsm.scan(0, 99).0, vec![(1, 1), (3, 30)]);
    lsm.check().unwrap();
}

#[test]
fn the_fourth_l0_table_is_merged_into_l1_dropping_old_versions_and_a_tombstone_with_nothing_below() {
    let mut lsm = Lsm::new(settings(2, 2, 10));
    // Four flushes of two writes: [1 2], [1 3], [2 3†], [4 5].
    let writes = [(1, Some(1)), (2, Some(2)), (1, Some(3)), (3, Some(4)), (2, Some(5)), (3, None), (4, Some(6)), (5, Some(7))];
    let mut stored = 0;
    let mut last = Default::default();
    for (tick, (key, value)) in writes.into_iter().enumerate() {
        last = match value {
            Some(value) => lsm.put(key, value, tick as u32),
            None => lsm.delete(key, tick as u32),
        };
        stored += last.flushed + last.compacted;
    }
    // The fourth table sets off L0 → L1. By hand, newest first: 1 → 3 (1 → 1 is old), 2 → 5
    // (2 → 2 old), 3 deleted (3 → 4 old; the tombstone goes too, as nothing lies below L1),
    // 4 → 6, 5 → 7: 8 records read, 4 written as two tables of two.
    assert_eq!((last.flushed, last.compacted, last.compactions), (2, 4, 1));
    assert_eq!(
        lsm.work().last(),
        Some(&Work::Compaction { at: 7, from: 0, tables_in: 4, overlapped: 0, tables_out: 2, low: 1, high: 5, read: 8, written: 4, versions: 3, tombstones: 1 })
    );
    assert!(lsm.level(0).is_empty());
    let l1: Vec<Vec<Record>> = lsm.level(1).iter().map(|table| table.records().to_vec()).collect();
    let record = |key, value| Record { key, value: Some(value) };
    assert_eq!(l1, vec![vec![record(1, 3), record(2, 5)], vec![record(4, 6), record(5, 7)]]);
    assert_eq!(lsm.get(3), (None, Some(vec![])), "3 is gone: no table's range holds it any more");
    // 8 writes: 8 logged, 8 flushed, 4 compacted: write amplification (8 + 12) / 8 = 2.5.
    assert_eq!(stored, 12);
    lsm.check().unwrap();
}

#[test]
fn tables_that_overlap_nothing_below_move_down_without_being_rewritten() {
    let mut lsm = Lsm::new(settings(2, 2, 0));
    let mut stored = 0;
    // Keys in order, two a table: no table overlaps another, so every compaction is a move.
    // L1's target is 4 × 2 = 8 records, L2's 16.
    for (index, key) in (10..18).chain(50..58).enumerate() {
        let effect = lsm.put(key, u32::from(key), index as u32);
        stored += effect.flushed + effect.compacted;
    }
    assert_eq!(stored, 16, "every record written once, by its flush");
    let moves = lsm.work().iter().filter(|work| matches!(work, Work::Move { .. })).count();
    assert!(moves >= 2, "{:?}", lsm.work());
    // After the second batch L1 held 16 > 8: its tables went down one at a time, in turn from the
    // lowest keys, until L1 was back at its target.
    let keys = |level: usize| lsm.level(level).iter().map(|table| (table.min(), table.max())).collect::<Vec<_>>();
    assert_eq!(keys(1), vec![(50, 51), (52, 53), (54, 55), (56, 57)]);
    assert_eq!(keys(2), vec![(10, 11), (12, 13), (14, 15), (16, 17)]);
    // No filters: a read of a key a table's range holds but the table lacks still costs a block.
    lsm.put(60, 60, 20);
    lsm.put(62, 62, 21);
    let (value, probes) = lsm.get(61);
    assert_eq!((value, probes.unwrap().iter().map(|probe| (probe.outcome, probe.blocks)).collect::<Vec<_>>()), (None, vec![(ProbeOutcome::Missed, 1)]));
    lsm.check().unwrap();
}

#[test]
fn a_scan_reads_every_overlapping_table_at_every_level_the_blocks_holding_its_keys() {
    let mut lsm = Lsm::new(Settings { memtable: 8, ratio: 10, bloom: 10, block: 2 });
    // One table of 8 keys 0, 2, … 14 (blocks [0 2] [4 6] [8 10] [12 14]), then one of 1, 3, 5.
    for key in (0..16).step_by(2) {
        lsm.put(key, u32::from(key), 1);
    }
    for key in [1, 3, 5] {
        lsm.put(key, u32::from(key), 2);
    }
    lsm.flush_now(3);
    let (found, probes) = lsm.scan(3, 9);
    assert_eq!(found, vec![(3, 3), (4, 4), (5, 5), (6, 6), (8, 8)]);
    // The newer table [1 3 5] (blocks [1 3] [5]): keys 3 and 5, two blocks. The older: 4 to 8,
    // blocks [4 6] and [8 10], two.
    assert_eq!(probes.iter().map(|probe| (probe.slot, probe.blocks)).collect::<Vec<_>>(), vec![(0, 2), (1, 2)]);
    // A range between two keys of a table still costs the block a seek lands in.
    assert_eq!(lsm.scan(7, 7).1.iter().map(|probe| probe.blocks).collect::<Vec<_>>(), vec![1]);
}

#[test]
fn bloom_filters_never_say_no_to_a_key_their_table_holds_and_seldom_say_maybe_to_others() {
    // Random writes and reads: every table a read looks at either holds the key (the filter must
    // say maybe: `Found`) or not (`Skipped` when its filter says no, `Missed` when it errs).
    let mut lsm = Lsm::new(Settings { memtable: 8, ratio: 10, bloom: 10, block: 4 });
    let mut rng = crate::sim::SimRng::new(11);
    let (mut skipped, mut missed) = (0u32, 0u32);
    for tick in 0..20_000u32 {
        let key = rng.below(u64::from(KEYS)) as Key;
        if rng.chance(0.3) {
            lsm.put(key, tick, tick);
            continue;
        }
        for probe in lsm.get(key).1.unwrap_or_default() {
            let table = &lsm.level(usize::from(probe.level))[usize::from(probe.slot)];
            let holds = table.find(key).is_some();
            assert_eq!(probe.outcome == ProbeOutcome::Found, holds, "{probe:?}");
            skipped += u32::from(probe.outcome == ProbeOutcome::Skipped);
            missed += u32::from(probe.outcome == ProbeOutcome::Missed);
        }
        if tick % 500 == 0 {
            lsm.check().unwrap();
        }
    }
    // 10 bits a key and round(10 · ln 2) = 7 hashes: the classic formula, (1 − e^(−7/10))^7,
    // gives 0.8%. Filters of a few dozen bits err more often than that (the formula assumes every
    // bit is set independently; see `lsm::prime_at_least`), so the bound here is 3%.
    let formula = false_positive_rate(80, 8, 7);
    assert!((0.0081..0.0083).contains(&formula), "{formula}");
    let rate = f64::from(missed) / f64::from(skipped + missed);
    assert!(skipped + missed > 5_000 && rate < 0.03, "{missed} false positives of {}", skipped + missed);
}

// ---- Both engines against a reference -------------------------------------------------------------

/// One step of a random history for the engines.
#[derive(Debug, Clone)]
enum Step {
    Put(Key),
    Delete(Key),
    Get(Key),
    Scan(Key, u8),
    Flush,
    CompactAll,
    Configure(u32, u32, u32),
}

fn step_strategy() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..KEYS as u8).prop_map(Step::Put),
        3 => (0..KEYS as u8).prop_map(Step::Delete),
        4 => (0..KEYS as u8).prop_map(Step::Get),
        2 => (0..KEYS as u8, 0..20u8).prop_map(|(key, length)| Step::Scan(key, length)),
        1 => Just(Step::Flush),
        1 => Just(Step::CompactAll),
        1 => (2..=32u32, 2..=10u32, 0..=16u32).prop_map(|(memtable, ratio, bloom)| Step::Configure(memtable, ratio, bloom)),
    ]
}

/// Applies a history to both engines and a `BTreeMap`, checking every answer and every rule
/// after every step.
fn check_history(capacity: usize, start: (u32, u32, u32), history: &[Step]) -> Result<(), TestCaseError> {
    let mut tree = BTree::new(capacity);
    let mut lsm = Lsm::new(Settings { memtable: start.0, ratio: start.1, bloom: start.2, block: capacity as u32 });
    let mut reference: BTreeMap<Key, Value> = BTreeMap::new();
    for (index, step) in history.iter().enumerate() {
        let (now, value) = (index as u32 + 1, index as u32 + 1);
        match *step {
            Step::Put(key) => {
                tree.put(key, value, now);
                lsm.put(key, value, now);
                reference.insert(key, value);
            }
            Step::Delete(key) => {
                let effect = tree.delete(key, now);
                prop_assert_eq!(effect.found, reference.remove(&key).is_some());
                lsm.delete(key, now);
            }
            Step::Get(key) => {
                let expected = reference.get(&key).copied();
                let (btree, pages) = tree.get(key);
                prop_assert_eq!(btree, expected, "B-tree get {}", key);
                prop_assert_eq!(pages, tree.height());
                prop_assert_eq!(lsm.get(key).0, expected, "LSM get {} at step {}", key, index);
            }
            Step::Scan(low, length) => {
                let high = low.saturating_add(length).min(KEYS as u8 - 1);
                let expected: Vec<(Key, Value)> = reference.range(low..=high).map(|(key, value)| (*key, *value)).collect();
                let (btree, leaves) = tree.scan(low, high);
                prop_assert_eq!(&btree, &expected);
                // The leaves read follow one another from the one holding `low` to the one holding
                // `high`, and no further.
                let (first, last) = (leaves[0], leaves[leaves.len() - 1]);
                prop_assert!(first.0 <= u16::from(low) && u16::from(low) < first.1 && last.0 <= u16::from(high) && u16::from(high) < last.1, "{:?} for {}..={}", leaves, low, high);
                prop_assert!(leaves.windows(2).all(|pair| pair[0].1 == pair[1].0), "{:?}", leaves);
                prop_assert_eq!(&lsm.scan(low, high).0, &expected, "LSM scan {}..={}", low, high);
            }
            Step::Flush => {
                lsm.flush_now(now);
            }
            Step::CompactAll => {
                lsm.compact_all(now);
                let tombstones: usize = (0..LEVELS).flat_map(|level| lsm.level(level).iter().map(|table| table.tombstones())).sum();
                let records: u64 = lsm.table_records();
                prop_assert_eq!(tombstones, 0, "a full compaction leaves no tombstone");
                prop_assert_eq!(records, reference.len() as u64, "nor any old version");
            }
            Step::Configure(memtable, ratio, bloom) => {
                lsm.configure(Settings { memtable, ratio, bloom, block: capacity as u32 }, now);
            }
        }
        tree.check().map_err(|problem| TestCaseError::fail(format!("B-tree after step {index} ({step:?}): {problem}")))?;
        lsm.check().map_err(|problem| TestCaseError::fail(format!("LSM after step {index} ({step:?}): {problem}")))?;
        prop_assert_eq!(tree.len(), reference.len());
        // With at least 2 keys a leaf and 3 children an internal page, 5 levels would need
        // 2 · 2 · 3 · 3 · 3 = 108 keys: 100 keys fit in 4, the rows the stage has.
        prop_assert!(tree.height() <= 4, "height {}", tree.height());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    #[test]
    fn both_engines_answer_every_read_like_a_btreemap_and_keep_their_rules(
        capacity in 4usize..=16,
        start in (2..=32u32, 2..=10u32, 0..=16u32),
        history in proptest::collection::vec(step_strategy(), 1..400),
    ) {
        check_history(capacity, start, &history)?;
    }

    /// Small pages and a tiny memtable on a narrow band of keys: many splits, merges, flushes and
    /// compactions through every level, and many versions and tombstones of the same keys.
    #[test]
    fn a_crowded_key_range_stresses_splits_merges_and_every_level(
        history in proptest::collection::vec(prop_oneof![
            5 => (30..50u8).prop_map(Step::Put),
            4 => (30..50u8).prop_map(Step::Delete),
            3 => (28..52u8).prop_map(Step::Get),
            1 => (25..50u8, 0..12u8).prop_map(|(key, length)| Step::Scan(key, length)),
        ], 1..600),
    ) {
        check_history(4, (2, 2, 4), &history)?;
    }
}

// ---- The whole model ---------------------------------------------------------------------------

/// Runs a model to `ticks`, applying `actions` as the timeline would, and checks after every tick
/// what it answered against a reference built from what it wrote, and its counts.
fn check_run(model: &mut Storage, ticks: u32, actions: &[(u32, Action)]) -> Result<(), TestCaseError> {
    let mut reference: BTreeMap<Key, Value> = BTreeMap::new();
    let mut previous = Engine::ALL.map(|engine| model.totals(engine));
    for tick in 1..=ticks {
        model.step();
        let mut notes = std::mem::take(&mut model.journal);
        for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
            model.apply(action);
            notes.append(&mut model.journal);
        }
        for note in notes {
            match note {
                Note::Wrote { key, value: Some(value) } => {
                    reference.insert(key, value);
                }
                Note::Wrote { key, value: None } => {
                    reference.remove(&key);
                }
                Note::Got { key, btree, lsm } => {
                    prop_assert_eq!(btree, reference.get(&key).copied(), "B-tree get {} at {}", key, tick);
                    prop_assert_eq!(lsm, reference.get(&key).copied(), "LSM get {} at {}", key, tick);
                }
                Note::Scanned { low, high, btree, lsm } => {
                    let expected: Vec<(Key, Value)> = reference.range(low..=high).map(|(key, value)| (*key, *value)).collect();
                    prop_assert_eq!(&btree, &expected);
                    prop_assert_eq!(&lsm, &expected);
                }
            }
        }
        model.btree.check().map_err(|problem| TestCaseError::fail(format!("B-tree at {tick}: {problem}")))?;
        model.lsm.check().map_err(|problem| TestCaseError::fail(format!("LSM at {tick}: {problem}")))?;
        prop_assert_eq!(model.live_keys() as usize, reference.len());
        let (btree, lsm) = (model.totals(Engine::BTree), model.totals(Engine::Lsm));
        // Counts only grow, and the recent ones are part of them.
        for engine in Engine::ALL {
            let now = model.totals(engine);
            prop_assert!(now.all().iter().zip(previous[engine.index()].all()).all(|(now, before)| *now >= before));
            prop_assert!(model.recent(engine).all().iter().zip(now.all()).all(|(recent, total)| *recent <= total));
            previous[engine.index()] = now;
        }
        // Both engines log each write once; the user wrote the same to both.
        prop_assert_eq!((btree.writes, btree.logged, lsm.logged), (lsm.writes, btree.writes, lsm.writes));
        // The B-tree writes whole pages. Pages come from splits and new roots and go in merges and
        // dropped roots, and the roots made and dropped are the height less one: a conservation
        // law whatever the order of operations.
        let tree = &model.btree;
        prop_assert_eq!(btree.stored % tree.capacity() as u64, 0);
        prop_assert_eq!(tree.pages() as u64, btree.splits + u64::from(tree.height()) - btree.merges);
        // What the LSM's tables hold is what flushes and compactions wrote, less what compactions
        // read (and replaced); moves change nothing.
        prop_assert!(lsm.flushed <= lsm.stored);
        prop_assert_eq!(model.lsm.table_records() + lsm.compaction_read, lsm.stored);
        // Amplifications: at least 1 where defined (the log alone is one record per write; a
        // B-tree read reads the root; every live key is stored somewhere), and each the ratio of
        // its counts.
        for engine in Engine::ALL {
            let counts = model.totals(engine);
            if let Some(write) = counts.write_amp() {
                prop_assert!(write >= 1.0);
                prop_assert!((write * counts.writes as f64 - (counts.logged + counts.stored) as f64).abs() < 1e-6);
            }
            if let Some(space) = model.space(engine).amp() {
                prop_assert!(space >= 1.0, "{} space {}", engine.name(), space);
            }
        }
        // A B-tree point read reads its leaf from disk and passes through a page per level.
        prop_assert_eq!(btree.get_reads, btree.gets);
        prop_assert!(btree.visited >= btree.gets && btree.visited <= btree.gets * 4);
        prop_assert_eq!(model.space(Engine::BTree).stored, tree.pages() as u64 * tree.capacity() as u64);
        // The memtable never holds more than its limit.
        prop_assert!(model.lsm.logged() < model.config().memtable && model.lsm.memtable().len() <= model.lsm.logged() as usize);
    }
    // Each sample's figures are its counts' over the recent seconds.
    if let Some(sample) = model.series().last() {
        for engine in Engine::ALL {
            let recent = model.recent(engine);
            let same = |drawn: f64, counted: Option<f64>| counted.map_or(drawn.is_nan(), |counted| (counted - drawn).abs() < 1e-9);
            if ticks % SAMPLE_TICKS == 0 {
                for (measure, counted) in [(Measure::Write, recent.write_amp()), (Measure::Get, recent.get_amp()), (Measure::Scan, recent.scan_amp())] {
                    let drawn = sample.value(Metric { measure, engine });
                    prop_assert!(same(drawn, counted), "{:?} {:?}: {} drawn, {:?} counted", engine, measure, drawn, counted);
                }
            }
        }
    }
    Ok(())
}

fn action_strategy() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..Setting::ALL.len(), 0..=200u32).prop_map(|(index, value)| {
            let setting = Setting::ALL[index];
            let (low, high) = setting.range();
            Action::Set(setting, low + value % (high - low + 1))
        }),
        1 => Just(Action::Flush),
        1 => Just(Action::Compact),
        1 => Just(Action::DeleteRange),
    ]
}

fn params_strategy() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    (
        proptest::collection::vec(0..=100i64, 5),
        0..3usize,
        5..=200u32,
        4..=16i64,
        2..=32i64,
        2..=10i64,
        0..=16i64,
    )
        .prop_map(|(mix, dist, rate, page, memtable, ratio, bloom)| {
            let mut list: Vec<(&'static str, String)> = OpKind::ALL.iter().zip(mix).map(|(kind, weight)| (kind.key(), weight.to_string())).collect();
            list.push(("dist", Dist::ALL[dist].key().to_string()));
            list.push(("rate", format!("{:.1}", f64::from(rate) / 10.0)));
            for (key, value) in [("page", page), ("memtable", memtable), ("ratio", ratio), ("bloom", bloom)] {
                list.push((key, value.to_string()));
            }
            list
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn random_workloads_and_actions_keep_answers_rules_and_counts(
        list in params_strategy(),
        seed in any::<u64>(),
        actions in proptest::collection::vec((1..=1_200u32, action_strategy()), 0..12),
    ) {
        let pairs: Vec<(&str, &str)> = list.iter().map(|(key, value)| (*key, value.as_str())).collect();
        let mut model = Storage::new(&params(&pairs), seed);
        check_run(&mut model, 1_200, &actions)?;
    }

    #[test]
    fn a_shared_link_replays_the_same_run(
        list in params_strategy(),
        seed in any::<u64>(),
        actions in proptest::collection::vec((1..=600u64, action_strategy()), 0..8),
        at in 0..=700u64,
    ) {
        let pairs: Vec<(&str, &str)> = list.iter().map(|(key, value)| (*key, value.as_str())).collect();
        let mut timeline = Timeline::<Storage>::new(params(&pairs), seed, STORAGE_LIMIT);
        let mut sorted = actions.clone();
        sorted.sort_by_key(|(tick, _)| *tick);
        for (tick, action) in &sorted {
            timeline.seek(*tick);
            timeline.act(*action);
        }
        timeline.seek(700);
        let (encoded, skipped) = Timeline::<Storage>::decode_actions(&timeline.encode_actions());
        prop_assert_eq!(skipped, 0);
        let replayed = Timeline::<Storage>::replay(timeline.params().clone(), seed, STORAGE_LIMIT, encoded, at);
        timeline.seek(at);
        prop_assert_eq!(replayed.state(), timeline.state());
        prop_assert_eq!(replayed.state().narrate(), timeline.state().narrate());
    }

    #[test]
    fn no_action_text_panics_and_only_canonical_text_is_read(text in "[a-z0-9~.]{0,12}") {
        if let Some(action) = Action::decode(&text) {
            prop_assert_eq!(action.encode(), text.clone());
        }
        let _ = Timeline::<Storage>::decode_actions(&text);
    }
}

#[test]
fn the_default_run_keeps_its_answers_rules_and_counts_to_the_end() {
    let mut model = Storage::new(&params(&[]), DEFAULT_SEED);
    let actions = [(3_000, Action::DeleteRange), (4_000, Action::Compact), (5_000, Action::Flush), (6_000, Action::Set(Setting::Bloom, 0))];
    check_run(&mut model, STORAGE_LIMIT as u32, &actions).unwrap();
    assert_eq!(model.tick(), STORAGE_LIMIT);
    assert_eq!(model.series().len(), MAX_SAMPLES, "a sample a second for ten minutes");
}

// ---- The workload --------------------------------------------------------------------------------

/// Every operation a model makes over `ticks`, read from its journal and flights.
fn operations(list: &[(&str, &str)], ticks: u32) -> Vec<Op> {
    let mut model = Storage::new(&params(list), DEFAULT_SEED);
    let mut ops = Vec::new();
    for _ in 0..ticks {
        model.step();
        ops.extend(model.flights().iter().filter(|flight| flight.at == model.tick).map(|flight| flight.op));
    }
    ops
}

#[test]
fn the_mix_and_the_rate_are_what_the_settings_say() {
    // 600 s at 4 a second: about 2,400 operations (Poisson: 2,400 ± 3 × 49).
    let ops = operations(&[], 12_000);
    assert!((2_250..=2_550).contains(&ops.len()), "{}", ops.len());
    // Weights 40/20/10/25/5 (updates and deletes that find no key become inserts, only at the
    // very start). Each share within 3 points.
    for (kind, share) in OpKind::ALL.into_iter().zip([0.40, 0.20, 0.10, 0.25, 0.05]) {
        let measured = ops.iter().filter(|op| op.kind == kind).count() as f64 / ops.len() as f64;
        assert!((measured - share).abs() < 0.03, "{kind:?}: {measured}");
    }
    assert!(ops.iter().filter(|op| op.kind == OpKind::Scan).all(|op| op.high == op.key + SCAN_KEYS - 1 && u16::from(op.high) < KEYS));
    assert!(operations(&[("insert", "0"), ("update", "0"), ("delete", "0"), ("get", "0"), ("scan", "0")], 2_000).is_empty(), "no weight, no operation");
}

#[test]
fn sequential_keys_append_in_order_and_delete_the_oldest() {
    let ops = operations(&[("dist", "sequential"), ("insert", "50"), ("delete", "50"), ("update", "0"), ("get", "0"), ("scan", "0")], 4_000);
    let inserts: Vec<Key> = ops.iter().filter(|op| op.kind == OpKind::Insert).map(|op| op.key).collect();
    // Each insert takes the next key, wrapping after 99.
    assert!(inserts.windows(2).all(|pair| u16::from(pair[1]) == (u16::from(pair[0]) + 1) % KEYS), "{inserts:?}");
    assert!(inserts.len() > 100, "it wrapped");
    // A delete takes the oldest live key: the live keys are a window behind the cursor (never the
    // whole key space here, as inserts and deletes come as often), and each delete is its tail.
    let mut live = std::collections::VecDeque::new();
    for op in &ops {
        match op.kind {
            OpKind::Insert => live.push_back(op.key),
            OpKind::Delete => assert_eq!(Some(op.key), live.pop_front(), "the oldest"),
            _ => unreachable!(),
        }
    }
}

#[test]
fn zipf_keys_ask_for_the_hottest_key_in_proportion_to_one_over_its_rank() {
    let ops = operations(&[("dist", "zipf"), ("rate", "20"), ("insert", "0"), ("update", "0"), ("delete", "0"), ("get", "1"), ("scan", "0")], 12_000);
    let share = |key: Key| ops.iter().filter(|op| op.key == key).count() as f64 / ops.len() as f64;
    // The harmonic number H(100) = 5.187…, so rank 1 gets 1/5.187 = 19.3% and rank 2 half that.
    let harmonic: f64 = (1..=100).map(|rank| 1.0 / f64::from(rank)).sum();
    assert!((harmonic - 5.187).abs() < 0.001);
    let (first, second) = (workload::zipf_key(1), workload::zipf_key(2));
    assert_eq!((first, second), (42, 79), "rank r is key (37r + 5) mod 100");
    assert!((share(first) - 1.0 / harmonic).abs() < 0.015, "{}", share(first));
    assert!((share(second) - 0.5 / harmonic).abs() < 0.012, "{}", share(second));
    // Every key has a rank: the 100 ranks give the 100 keys.
    let mut keys: Vec<Key> = (1..=KEYS).map(workload::zipf_key).collect();
    keys.sort_unstable();
    assert_eq!(keys, (0..KEYS as u8).collect::<Vec<_>>());
}

// ---- Controls, actions and the harness ------------------------------------------------------------

#[test]
fn the_same_seed_gives_the_same_run_and_another_seed_another() {
    let run = |seed| {
        let mut model = Storage::new(&params(&[]), seed);
        for _ in 0..2_000 {
            model.step();
        }
        model
    };
    assert_eq!(run(5), run(5));
    assert_ne!(run(5).totals(Engine::BTree), run(6).totals(Engine::BTree));
}

#[test]
fn every_action_round_trips_its_url_form_and_garbage_is_refused() {
    let mut actions = vec![Action::Flush, Action::Compact, Action::DeleteRange];
    for setting in Setting::ALL {
        let (low, high) = setting.range();
        actions.extend([Action::Set(setting, low), Action::Set(setting, high)]);
        assert_eq!(Action::decode(&Action::Set(setting, high + 1).encode()), None, "{setting:?} past its range");
    }
    for action in &actions {
        assert_eq!(Action::decode(&action.encode()), Some(*action), "{action:?}");
        assert!(!action.label().is_empty());
    }
    assert_eq!(Action::Set(Setting::Rate, 40).encode(), "r40");
    for garbage in ["", "z", "r", "r-1", "r04", "f1", "i101", "k3", "m1", "<b>", "i1e2"] {
        assert_eq!(Action::decode(garbage), None, "{garbage}");
    }
}

#[test]
fn live_settings_round_trip_through_the_controls_and_the_page_capacity_is_not_live() {
    assert_eq!(Action::from_param("rate", ParamValue::Float(2.5)), Some(Action::Set(Setting::Rate, 25)));
    assert_eq!(Action::from_param("dist", ParamValue::Choice("zipf")), Some(Action::Set(Setting::Dist, 2)));
    assert_eq!(Action::from_param("dist", ParamValue::Choice("nope")), None);
    assert_eq!(Action::from_param("bloom", ParamValue::Int(99)), Some(Action::Set(Setting::Bloom, 16)), "clamped");
    assert_eq!(Action::from_param("rate", ParamValue::Float(f64::NAN)), None);
    assert_eq!(Action::from_param("page", ParamValue::Int(8)), None, "a new run, not an action");
    let mut model = Storage::new(&params(&[]), DEFAULT_SEED);
    for spec in STORAGE_PARAMS.iter().filter(|spec| spec.key != "page") {
        let value = model.config().value(spec.key).unwrap_or_else(|| panic!("{}", spec.key));
        assert_eq!(value, spec.default, "{}", spec.key);
        let action = Action::from_param(spec.key, value).unwrap();
        model.apply(&action);
        assert_eq!(model.config().value(spec.key), Some(value), "setting a value back is a no-op: {}", spec.key);
    }
    assert_eq!(model.config().value("page"), None);
    model.apply(&Action::Set(Setting::Dist, 1));
    assert_eq!(model.config().value("dist"), Some(ParamValue::Choice("sequential")));
    assert!(model.narrate().contains("sequential keys"), "{}", model.narrate());
}

#[test]
fn a_smaller_memtable_or_ratio_takes_effect_at_once() {
    let mut model = Storage::new(&params(&[("memtable", "32"), ("insert", "100"), ("update", "0"), ("delete", "0"), ("get", "0"), ("scan", "0")]), DEFAULT_SEED);
    while model.lsm.logged() < 10 {
        model.step();
    }
    model.apply(&Action::Set(Setting::Memtable, 4));
    assert_eq!((model.lsm.logged(), model.lsm.level(0).len()), (0, 1), "flushed at once: 10 writes is past the new limit");
    assert!(model.narrate().starts_with("The memtable now flushes every 4 writes"), "{}", model.narrate());
    for _ in 0..2_000 {
        model.step();
    }
    model.apply(&Action::Set(Setting::Ratio, 2));
    for level in 1..LEVELS {
        if let Some(target) = model.lsm.target(level) {
            assert!(model.lsm.level_records(level) <= target, "L{level} compacted to its new target at once");
        }
    }
}

#[test]
fn a_garbage_link_keeps_the_defaults_and_says_so() {
    let list = [("insert", "-3"), ("dist", "<script>"), ("rate", "NaN"), ("page", "3"), ("memtable", "1e9"), ("bloom", "ten")];
    let (params, notes) = Params::from_pairs(STORAGE_PARAMS, &pairs(&list));
    assert_eq!(params, Params::defaults(STORAGE_PARAMS));
    assert_eq!(notes.len(), list.len(), "{notes:?}");
    assert!(notes.iter().all(|note| note.starts_with("Ignored ")));
}

#[test]
fn the_narration_tells_the_readers_actions_and_the_engines_work_in_words() {
    let mut model = Storage::new(&params(&[]), DEFAULT_SEED);
    assert!(model.narrate().starts_with("Both engines start empty"));
    for _ in 0..600 {
        model.step();
    }
    model.apply(&Action::Compact);
    let told = model.narrate();
    assert!(told.starts_with("Compacted everything into L") && told.contains("every old version and tombstone gone"), "{told}");
    // A later flush in the next ticks does not drown the reader's action.
    for _ in 0..10 {
        model.step();
    }
    assert!(model.narrate().starts_with("Compacted everything"), "{}", model.narrate());
    model.apply(&Action::DeleteRange);
    assert!(model.narrate().contains("wrote 20 tombstones"));
    // With only reads, nothing happens to tell, and the summary follows the last event.
    for kind in [OpKind::Insert, OpKind::Update, OpKind::Delete] {
        model.apply(&Action::Set(Setting::Mix(kind), 0));
    }
    assert!(model.narrate().starts_with("The mix is now 83% point reads, 17% range scans."), "{}", model.narrate());
    for _ in 0..=NARRATE_TICKS + 1 {
        model.step();
    }
    let summary = model.narrate();
    // 600 + 10 + 62 ticks of 50 ms: 33.6 s.
    assert!(summary.starts_with("At 34 s, ") && summary.contains(". Over the last 30 s, writes cost ") && summary.contains("; a point read costs ") && summary.contains("; a point read costs 1.0 leaf in the B-tree and "), "{summary}");
    let empty = Storage::new(&params(&[("memtable", "8")]), DEFAULT_SEED);
    let mut empty = empty;
    empty.apply(&Action::Flush);
    assert_eq!(empty.narrate(), "Nothing to flush: the memtable is empty.");
}

#[test]
fn the_figures_give_each_amplification_its_parts_and_name_the_engine_that_pays_less() {
    let mut model = Storage::new(&params(&[("page", "16")]), DEFAULT_SEED);
    let empty = model.figures();
    assert_eq!(empty[0], ("Write amplification, last 30 s", "no writes in the last 30 s".to_string()));
    assert_eq!(empty[3].1, "no live key");
    for _ in 0..3_000 {
        model.step();
    }
    let figures = model.figures();
    let (btree, lsm) = (model.recent(Engine::BTree), model.recent(Engine::Lsm));
    // A 16-record page is written whole for each change of one record: the B-tree writes more.
    let (b, l) = (btree.write_amp().unwrap(), lsm.write_amp().unwrap());
    assert!(b > 2.0 * l, "{b} {l}");
    assert_eq!(figures[0].1, format!("B-tree {b:.1}× (log 1 + pages {:.1}), LSM tree {l:.1}× (log 1 + flushes {:.1} + compactions {:.1}): the LSM tree writes less", b - 1.0, lsm.flushed as f64 / lsm.writes as f64, l - 1.0 - lsm.flushed as f64 / lsm.writes as f64));
    let space = model.space(Engine::BTree);
    assert!(figures[3].1.starts_with(&format!("B-tree {:.1}× ({} pages of 16 records for {} keys)", space.amp().unwrap(), space.stored / 16, space.live)), "{}", figures[3].1);
    assert!(figures[4].1.starts_with(&format!("B-tree: {} splits", model.totals(Engine::BTree).splits)), "{}", figures[4].1);
    assert_eq!(narration::verdict(4.0, 3.9, "reads less"), "about even");
    assert_eq!(narration::verdict(4.0, 1.0, "reads less"), "the LSM tree reads less");
    assert_eq!(narration::verdict(1.0, 4.0, "reads less"), "the B-tree reads less");
}
