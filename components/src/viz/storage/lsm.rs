//! The LSM-tree engine, with leveled compaction as LevelDB and RocksDB do it. A write is
//! appended to the log and put in the memtable (a sorted map in memory); when the memtable has
//! taken its limit of writes it is flushed, sorted, as a new SSTable at the top of level 0. L0's
//! tables may overlap one another; every deeper level is one sorted run, split into tables that
//! do not overlap. When L0 holds `L0_TRIGGER` tables they are all merged with the L1 tables
//! they overlap into new L1 tables; when a level grows past its target size, one of its tables
//! (taken in turn round the key space) is merged into the tables it overlaps one level down. A
//! merge keeps only the newest version of each key; a tombstone (a delete) is kept while an
//! older version could still lie deeper, and dropped once nothing below can hold the key. A table
//! whose range overlaps nothing below is moved down without being rewritten.
//!
//! A point read looks in the memtable, then in each L0 table whose range holds the key (newest
//! first), then in the one table of each deeper level whose range holds it, and stops at the
//! first version it finds. A table's Bloom filter, when it has one, is asked first: "no" skips
//! the table, "maybe" costs a block read. A range scan reads every table whose range overlaps
//! it, at every level, the blocks that hold its keys, and merges them, the newest version of each
//! key winning; filters cannot help it.
//!
//! Sizes are counted in records: a table's blocks hold `block` records each, and a level's
//! target is `L0_TRIGGER × memtable × ratio^(n − 1)` records for level n (RocksDB's
//! `max_bytes_for_level_base` is 256 MB, four 64 MB memtables, the same proportion). The last
//! level has no target. Flushes and compactions finish within the operation that starts them.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Key, Value};
use crate::viz::bloom::{optimal_hashes, Filter, Variant};

/// Levels: L0 and four below it.
pub const LEVELS: usize = 5;
/// L0 tables that start a compaction into L1 (RocksDB's `level0_file_num_compaction_trigger`,
/// 4 by default).
pub const L0_TRIGGER: usize = 4;
/// Compactions one flush or change of settings may set off at most, a guard: each round moves
/// at least one table down a level, the last level has no target, and the levels above it hold a
/// few dozen tables at most, so the rounds end long before.
const MAX_ROUNDS: usize = 100;

/// A version of a key: a value, or a tombstone that hides older versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub key: Key,
    pub value: Option<Value>,
}

/// How a table came to be, for the stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Flush,
    Compaction,
    /// Moved down a level whole, without rewriting.
    Moved,
}

/// An immutable sorted file of records, one version per key, with its Bloom filter.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub id: u32,
    records: Vec<Record>,
    filter: Option<Filter>,
    /// When it was written or moved, and how.
    pub born: u32,
    pub origin: Origin,
}

impl Table {
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Its smallest and largest key (a table is never empty).
    pub fn min(&self) -> Key {
        self.records[0].key
    }

    pub fn max(&self) -> Key {
        self.records[self.records.len() - 1].key
    }

    /// Whether its key range holds `key` (it may still not have it).
    pub fn covers(&self, key: Key) -> bool {
        (self.min()..=self.max()).contains(&key)
    }

    pub fn overlaps(&self, low: Key, high: Key) -> bool {
        self.min() <= high && low <= self.max()
    }

    pub fn has_filter(&self) -> bool {
        self.filter.is_some()
    }

    /// What its Bloom filter says of `key`: `false` is certain, `true` a maybe. No filter says
    /// maybe to everything.
    pub fn may_contain(&self, key: Key) -> bool {
        self.filter.as_ref().is_none_or(|filter| filter.contains(item(&key)))
    }

    pub fn find(&self, key: Key) -> Option<&Record> {
        self.records.binary_search_by_key(&key, |record| record.key).ok().map(|index| &self.records[index])
    }

    pub fn tombstones(&self) -> usize {
        self.records.iter().filter(|record| record.value.is_none()).count()
    }

    /// The blocks a scan of `low..=high` reads: those holding its keys, or the one block a seek
    /// lands in when the range falls between two of the table's keys.
    fn blocks_for(&self, low: Key, high: Key, block: usize) -> u32 {
        let first = self.records.partition_point(|record| record.key < low);
        let end = self.records.partition_point(|record| record.key <= high);
        if end <= first {
            return 1;
        }
        ((end - 1) / block - first / block + 1) as u32
    }
}

/// The text a key is hashed as: its one byte (keys are below 128, so it is ASCII).
fn item(key: &Key) -> &str {
    std::str::from_utf8(std::slice::from_ref(key)).unwrap_or("")
}

/// Where a read looked, for the stage: a table at `level` (and, in L0, `slot` from the newest),
/// the keys looked for there, and what came of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Probe {
    pub level: u8,
    pub slot: u8,
    pub low: Key,
    pub high: Key,
    pub outcome: ProbeOutcome,
    /// Blocks read (0 when the filter said no).
    pub blocks: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeOutcome {
    /// The Bloom filter said no: nothing read.
    Skipped,
    /// Read, and the key was there (a value or a tombstone): the read stops here.
    Found,
    /// Read for nothing: the filter said maybe (a false positive) or there was no filter.
    Missed,
    /// Read for a scan.
    Scanned,
}

/// Something the engine did on its own: a flush or a compaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// The memtable went to L0: `writes` logged writes became `records` records.
    Flush { at: u32, writes: u32, records: u32 },
    /// `tables_in` tables of level `from` and `overlapped` of the level below merged into
    /// `tables_out` tables there, `low..=high`: `read` records in, `written` out, `versions` old
    /// versions and `tombstones` tombstones dropped.
    Compaction { at: u32, from: u8, tables_in: u32, overlapped: u32, tables_out: u32, low: Key, high: Key, read: u32, written: u32, versions: u32, tombstones: u32 },
    /// `tables` tables of level `from` moved down whole: they overlapped nothing there.
    Move { at: u32, from: u8, tables: u32, low: Key, high: Key },
    /// A manual compaction put everything into level `into`.
    Full { at: u32, into: u8, read: u32, written: u32 },
}

impl Work {
    pub fn at(&self) -> u32 {
        match *self {
            Work::Flush { at, .. } | Work::Compaction { at, .. } | Work::Move { at, .. } | Work::Full { at, .. } => at,
        }
    }
}

/// What one write or action cost on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Effect {
    /// Records written by flushes, and by compactions; records compactions read.
    pub flushed: u64,
    pub compacted: u64,
    pub compaction_read: u64,
    pub flushes: u32,
    pub compactions: u32,
    pub work: Vec<Work>,
}

/// The settings the engine reads, kept in step with the tool's (`Config`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Writes the memtable takes before a flush; also the size of the tables compactions write.
    pub memtable: u32,
    pub ratio: u32,
    /// Bits per key of each new table's filter (0: none).
    pub bloom: u32,
    /// Records per block.
    pub block: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Lsm {
    settings: Settings,
    memtable: BTreeMap<Key, Option<Value>>,
    /// Writes logged since the last flush: the log holds these, the memtable their newest
    /// version of each key.
    logged: u32,
    /// L0 newest first; every other level in key order.
    levels: [Vec<Arc<Table>>; LEVELS],
    /// Where each level's next compaction starts (LevelDB's compaction pointer).
    cursors: [u16; LEVELS],
    next_id: u32,
    /// The last few flushes and compactions, newest last.
    work: Vec<Work>,
}

/// How many flushes and compactions are remembered for the stage and narration.
const WORK_KEPT: usize = 8;

impl Lsm {
    pub fn new(settings: Settings) -> Self {
        Self { settings, memtable: BTreeMap::new(), logged: 0, levels: Default::default(), cursors: [0; LEVELS], next_id: 1, work: Vec::new() }
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// The memtable: each key's newest version since the last flush.
    pub fn memtable(&self) -> &BTreeMap<Key, Option<Value>> {
        &self.memtable
    }

    /// Writes since the last flush (the memtable's fill, as its limit counts it).
    pub fn logged(&self) -> u32 {
        self.logged
    }

    pub fn level(&self, level: usize) -> &[Arc<Table>] {
        &self.levels[level]
    }

    /// Records in a level's tables, tombstones included.
    pub fn level_records(&self, level: usize) -> u64 {
        self.levels[level].iter().map(|table| table.len() as u64).sum()
    }

    /// Records in every table.
    pub fn table_records(&self) -> u64 {
        (0..LEVELS).map(|level| self.level_records(level)).sum()
    }

    /// The size level `level` may reach before it is compacted (`None` for L0, which counts
    /// tables, and for the last level).
    pub fn target(&self, level: usize) -> Option<u64> {
        (1..LEVELS - 1).contains(&level).then(|| L0_TRIGGER as u64 * u64::from(self.settings.memtable) * u64::from(self.settings.ratio).pow(level as u32 - 1))
    }

    /// Flushes and compactions lately, newest last.
    pub fn work(&self) -> &[Work] {
        &self.work
    }

    /// Changes the settings; a smaller memtable or ratio may call for a flush or compactions
    /// now, whose cost comes back.
    pub fn configure(&mut self, settings: Settings, now: u32) -> Effect {
        self.settings = settings;
        let mut effect = Effect::default();
        if self.logged >= settings.memtable {
            self.flush(now, &mut effect);
        }
        self.compact(now, &mut effect);
        effect
    }

    pub fn put(&mut self, key: Key, value: Value, now: u32) -> Effect {
        self.write(key, Some(value), now)
    }

    /// Writes a tombstone: the LSM cannot know the key is absent without reading, so it always
    /// writes one.
    pub fn delete(&mut self, key: Key, now: u32) -> Effect {
        self.write(key, None, now)
    }

    fn write(&mut self, key: Key, value: Option<Value>, now: u32) -> Effect {
        let mut effect = Effect::default();
        self.memtable.insert(key, value);
        self.logged += 1;
        if self.logged >= self.settings.memtable {
            self.flush(now, &mut effect);
            self.compact(now, &mut effect);
        }
        effect
    }

    /// The memtable to a new L0 table, then any compactions that calls for.
    pub fn flush_now(&mut self, now: u32) -> Effect {
        let mut effect = Effect::default();
        self.flush(now, &mut effect);
        self.compact(now, &mut effect);
        effect
    }

    fn flush(&mut self, now: u32, effect: &mut Effect) {
        let writes = std::mem::take(&mut self.logged);
        if self.memtable.is_empty() {
            return;
        }
        let records: Vec<Record> = std::mem::take(&mut self.memtable).into_iter().map(|(key, value)| Record { key, value }).collect();
        let count = records.len() as u32;
        let table = self.table(records, now, Origin::Flush);
        self.levels[0].insert(0, table);
        effect.flushed += u64::from(count);
        effect.flushes += 1;
        self.remember(Work::Flush { at: now, writes, records: count }, effect);
    }

    fn remember(&mut self, work: Work, effect: &mut Effect) {
        effect.work.push(work);
        self.work.push(work);
        if self.work.len() > WORK_KEPT {
            self.work.remove(0);
        }
    }

    fn table(&mut self, records: Vec<Record>, now: u32, origin: Origin) -> Arc<Table> {
        let filter = (self.settings.bloom > 0).then(|| {
            let bits = prime_at_least(u64::from(self.settings.bloom) * records.len() as u64);
            let mut filter = Filter::new(Variant::Standard, bits, optimal_hashes(bits, records.len() as u64), self.next_id);
            for record in &records {
                filter.add(item(&record.key));
            }
            filter
        });
        let id = self.next_id;
        self.next_id += 1;
        Arc::new(Table { id, records, filter, born: now, origin })
    }

    /// Runs compactions until L0 is under its trigger and every level under its target, the
    /// shallowest first.
    fn compact(&mut self, now: u32, effect: &mut Effect) {
        for _ in 0..MAX_ROUNDS {
            let level = if self.levels[0].len() >= L0_TRIGGER {
                0
            } else if let Some(level) = (1..LEVELS - 1).find(|level| self.target(*level).is_some_and(|target| self.level_records(*level) > target)) {
                level
            } else {
                return;
            };
            self.compact_level(level, now, effect);
        }
    }

    /// One compaction from `level` into the next: every L0 table, or the next table of a deeper
    /// level in turn round the key space, with the tables below that it overlaps.
    fn compact_level(&mut self, level: usize, now: u32, effect: &mut Effect) {
        let inputs: Vec<Arc<Table>> = if level == 0 {
            std::mem::take(&mut self.levels[0])
        } else {
            let tables = &self.levels[level];
            let index = tables.iter().position(|table| u16::from(table.min()) >= self.cursors[level]).unwrap_or(0);
            vec![self.levels[level].remove(index)]
        };
        let low = inputs.iter().map(|table| table.min()).min().unwrap_or(0);
        let high = inputs.iter().map(|table| table.max()).max().unwrap_or(0);
        self.cursors[level] = u16::from(high) + 1;
        let below = level + 1;
        let (overlapped, kept): (Vec<Arc<Table>>, Vec<Arc<Table>>) = std::mem::take(&mut self.levels[below]).into_iter().partition(|table| table.overlaps(low, high));
        // A deeper level gives one table; L0's may overlap one another, and then must merge.
        if overlapped.is_empty() && disjoint(&inputs) {
            let tables = inputs.len() as u32;
            let moved = inputs.into_iter().map(|table| Arc::new(Table { born: now, origin: Origin::Moved, ..(*table).clone() }));
            self.levels[below] = sorted(kept.into_iter().chain(moved).collect());
            self.remember(Work::Move { at: now, from: level as u8, tables, low, high }, effect);
            return;
        }
        let read: usize = inputs.iter().chain(&overlapped).map(|table| table.len()).sum();
        // Newest first: the inputs (L0 is already newest first), then the level below.
        let (merged, versions, tombstones) = self.merge(inputs.iter().chain(&overlapped), below);
        let written = merged.len() as u32;
        let outputs = self.split_into_tables(merged, now);
        let tables_out = outputs.len() as u32;
        self.levels[below] = sorted(kept.into_iter().chain(outputs).collect());
        effect.compacted += u64::from(written);
        effect.compaction_read += read as u64;
        effect.compactions += 1;
        let work = Work::Compaction { at: now, from: level as u8, tables_in: inputs.len() as u32, overlapped: overlapped.len() as u32, tables_out, low, high, read: read as u32, written, versions, tombstones };
        self.remember(work, effect);
    }

    /// Merges tables given newest first into one sorted run for level `into`: the newest
    /// version of each key, without the tombstones that no level below `into` could need.
    /// Also counts the old versions and the tombstones dropped.
    fn merge<'a>(&self, newest_first: impl Iterator<Item = &'a Arc<Table>>, into: usize) -> (Vec<Record>, u32, u32) {
        let mut newest: BTreeMap<Key, Option<Value>> = BTreeMap::new();
        let mut versions = 0;
        for table in newest_first {
            for record in table.records() {
                match newest.entry(record.key) {
                    Entry::Occupied(_) => versions += 1,
                    Entry::Vacant(slot) => {
                        slot.insert(record.value);
                    }
                }
            }
        }
        let mut tombstones = 0;
        let mut merged = Vec::with_capacity(newest.len());
        for (key, value) in newest {
            let needed = value.is_some() || self.levels[into + 1..].iter().flatten().any(|table| table.covers(key));
            if needed {
                merged.push(Record { key, value });
            } else {
                tombstones += 1;
            }
        }
        (merged, versions, tombstones)
    }

    /// A sorted run cut into tables of a memtable's size.
    fn split_into_tables(&mut self, run: Vec<Record>, now: u32) -> Vec<Arc<Table>> {
        let size = self.settings.memtable.max(1) as usize;
        run.chunks(size).map(|chunk| self.table(chunk.to_vec(), now, Origin::Compaction)).collect()
    }

    /// A manual compaction: flush the memtable, then merge every table of every level into one
    /// sorted run in the deepest level that holds data, dropping every tombstone and old version
    /// (nothing older is left to hide), then compact again if that level is over its target.
    pub fn compact_all(&mut self, now: u32) -> Effect {
        let mut effect = Effect::default();
        self.flush(now, &mut effect);
        let into = (1..LEVELS).rev().find(|level| !self.levels[*level].is_empty()).unwrap_or(1);
        let tables: Vec<Arc<Table>> = self.levels.iter_mut().flat_map(std::mem::take).collect();
        if tables.is_empty() {
            return effect;
        }
        let read: usize = tables.iter().map(|table| table.len()).sum();
        // Every level is empty now, so the merge drops every tombstone.
        let (merged, _, _) = self.merge(tables.iter(), into);
        let written = merged.len() as u32;
        self.levels[into] = self.split_into_tables(merged, now);
        self.cursors = [0; LEVELS];
        effect.compacted += u64::from(written);
        effect.compaction_read += read as u64;
        effect.compactions += 1;
        self.remember(Work::Full { at: now, into: into as u8, read: read as u32, written }, &mut effect);
        self.compact(now, &mut effect);
        effect
    }

    /// The newest version of `key`, and where the read looked: `None` from the memtable.
    pub fn get(&self, key: Key) -> (Option<Value>, Option<Vec<Probe>>) {
        if let Some(value) = self.memtable.get(&key) {
            return (*value, None);
        }
        let mut probes = Vec::new();
        for (level, tables) in self.levels.iter().enumerate() {
            // L0's tables may overlap: each whose range holds the key, newest first. Below,
            // at most one table of a level holds it.
            for (slot, table) in tables.iter().enumerate().filter(|(_, table)| table.covers(key)) {
                let mut probe = Probe { level: level as u8, slot: slot as u8, low: key, high: key, outcome: ProbeOutcome::Skipped, blocks: 0 };
                if !table.may_contain(key) {
                    probes.push(probe);
                    continue;
                }
                probe.blocks = 1;
                match table.find(key) {
                    Some(record) => {
                        probe.outcome = ProbeOutcome::Found;
                        probes.push(probe);
                        return (record.value, Some(probes));
                    }
                    None => {
                        probe.outcome = ProbeOutcome::Missed;
                        probes.push(probe);
                    }
                }
            }
        }
        (None, Some(probes))
    }

    /// The live records with keys from `low` to `high`, in order, and the tables read.
    pub fn scan(&self, low: Key, high: Key) -> (Vec<(Key, Value)>, Vec<Probe>) {
        let mut newest: BTreeMap<Key, Option<Value>> = self.memtable.range(low..=high).map(|(key, value)| (*key, *value)).collect();
        let mut probes = Vec::new();
        let block = self.settings.block.max(1) as usize;
        for (level, tables) in self.levels.iter().enumerate() {
            for (slot, table) in tables.iter().enumerate().filter(|(_, table)| table.overlaps(low, high)) {
                let blocks = table.blocks_for(low, high, block);
                probes.push(Probe { level: level as u8, slot: slot as u8, low: low.max(table.min()), high: high.min(table.max()), outcome: ProbeOutcome::Scanned, blocks });
                for record in table.records().iter().filter(|record| (low..=high).contains(&record.key)) {
                    newest.entry(record.key).or_insert(record.value);
                }
            }
        }
        (newest.into_iter().filter_map(|(key, value)| value.map(|value| (key, value))).collect(), probes)
    }

    /// The LSM's rules, checked: the memtable within its limit and no bigger than its log, every
    /// table sorted with one version per key, L0 under its trigger between operations, and each
    /// deeper level's tables in key order without overlaps; and every filter answers "maybe"
    /// for every key its table holds (no false negatives).
    #[cfg(test)]
    pub(crate) fn check(&self) -> Result<(), String> {
        if self.logged >= self.settings.memtable || self.memtable.len() > self.logged as usize {
            return Err(format!("memtable: {} keys, {} writes logged, limit {}", self.memtable.len(), self.logged, self.settings.memtable));
        }
        if self.levels[0].len() >= L0_TRIGGER {
            return Err(format!("L0 holds {} tables", self.levels[0].len()));
        }
        for (level, tables) in self.levels.iter().enumerate() {
            for table in tables {
                if table.is_empty() || table.records.windows(2).any(|pair| pair[0].key >= pair[1].key) {
                    return Err(format!("L{level} table {} is empty or out of order", table.id));
                }
                if let Some(key) = table.records.iter().map(|record| record.key).find(|key| !table.may_contain(*key)) {
                    return Err(format!("L{level} table {}'s filter says no to {key}, which it holds", table.id));
                }
            }
            if level > 0 && tables.windows(2).any(|pair| pair[0].max() >= pair[1].min()) {
                let ranges: Vec<(Key, Key)> = tables.iter().map(|table| (table.min(), table.max())).collect();
                return Err(format!("L{level} tables overlap or are out of order: {ranges:?}"));
            }
        }
        Ok(())
    }
}

/// The smallest prime at least `bits` (and at least 2), a filter's size. The filter finds its k
/// positions by double hashing, h1 + i·h2 modulo its size; filters here hold tens of bits, and
/// with a size like 80 an h2 sharing a factor with it sends several positions to the same bits,
/// which tripled the false positives in a test of 8 keys at 10 bits each (2.8% against the
/// formula's 0.8%). A prime size keeps the positions apart (1.7%).
fn prime_at_least(bits: u64) -> u64 {
    (bits.max(2)..).find(|candidate| (2..).take_while(|divisor| divisor * divisor <= *candidate).all(|divisor| candidate % divisor != 0)).unwrap_or(bits)
}

/// Whether no two of these tables overlap.
fn disjoint(tables: &[Arc<Table>]) -> bool {
    tables.iter().enumerate().all(|(index, table)| tables[index + 1..].iter().all(|other| !table.overlaps(other.min(), other.max())))
}

/// A level's tables in key order (they do not overlap, so their first keys order them).
fn sorted(mut tables: Vec<Arc<Table>>) -> Vec<Arc<Table>> {
    // An insertion sort: a level holds a few tables, and a sort routine would add to every
    // bundle (see `Timeline::replay`).
    for index in 1..tables.len() {
        let mut at = index;
        while at > 0 && tables[at - 1].min() > tables[at].min() {
            tables.swap(at - 1, at);
            at -= 1;
        }
    }
    tables
}
