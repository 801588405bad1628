//! B-tree vs LSM tree: one stream of operations (inserts, updates, deletes, point reads and range
//! scans over the keys 0 to 99) goes to two storage engines at once, a B+tree that updates fixed
//! pages in place and an LSM tree with a memtable, SSTables with Bloom filters and leveled
//! compaction, and the tool measures what each pays for the same work: write amplification (what
//! reaches the disk for each record the user writes), read amplification (pages or blocks read
//! per point read and per scan) and space amplification (what is stored for each live record).
//! The reader shapes the workload and the engines while the run goes, and can flush the
//! memtable, compact everything or delete a range of keys.
//!
//! For the view: drive it with `Timeline<Storage>` (parameters `STORAGE_PARAMS`, actions
//! `Action`, `STORAGE_TICKS_PER_SECOND`, `STORAGE_LIMIT`); draw `stage::stage` (`stage::HEIGHT`
//! tall). Every parameter but `page` is also live: send a control's change as
//! `Action::from_param(key, value)` and show the current value with `config().value(key)` (see
//! `Live` in the app). Numbers beside the picture: `recent(engine)` (the last 30 simulated
//! seconds) and `totals(engine)` give `Counts`, whose `write_amp`, `get_amp` and `scan_amp` are
//! the amplifications; `space(engine)` is what is stored now against the live records, with
//! `Space::amp`. Charts: `series()` with `Series::points(Metric { measure, engine }, n)`, one
//! sample a simulated second. State: `btree()`, `lsm()`, `live_keys()`, `flights()` (the
//! operations on their way down the picture). `narrate()` for the live region.
//!
//! **Time.** One tick is 50 simulated ms; the app plays `STORAGE_TICKS_PER_SECOND` = 20 a second
//! at 1×, real time, so the default 4 operations a second can be followed one by one, and 8×
//! shows the structures grow and settle. Each operation is applied to both engines in the tick
//! it arrives, then drawn travelling down through them for `WALK_TICKS`.
//!
//! **Costs, in records.** Every record is the same size, so sizes and costs are counted in records.
//! Both engines append each write to their log first (the write-ahead log), one record. The B-tree
//! then writes every page the write changed, whole (a page costs its capacity in records, however
//! full), at once: no buffer pool gathers changes. The LSM writes the records of each flush and of
//! each compaction's output. Write amplification is (log + data written) ÷ records the user wrote,
//! a delete counting as one. Reads count what comes from disk, each engine keeping its index in
//! memory: the B-tree its internal pages (a small share of a real tree, whose pages hold hundreds
//! of keys), the LSM its tables' filters and block indexes (as RocksDB can pin them). So a point
//! read costs the B-tree its leaf, and the LSM a block for each table it must read; a scan costs
//! the leaves or blocks holding its keys. The pages a B-tree read passes through are counted too
//! (`visited`). Space amplification is what is stored (B-tree: pages × capacity; LSM: every table's
//! records, tombstones and old versions included, plus the log that still holds the memtable) ÷
//! live records; Bloom filters and indexes are not counted.
//!
//! Model choices worth knowing:
//! - The B-tree is a textbook B+tree (see `btree`): splits in half, borrows from a sibling before
//!   it merges, no fill factor and no special case for appends.
//! - The LSM's compaction is leveled with static level targets, as LevelDB has it and RocksDB
//!   did until 8.4 (2023) made `level_compaction_dynamic_level_bytes` its default; one compaction
//!   at a time, finished within the operation that called for it; L0 never stalls writes.
//! - Deletes of absent keys cost the B-tree nothing but its log record; the LSM writes a
//!   tombstone regardless (it would have to read to know).
//!
//! **Cost.** A tick costs its operations (a Poisson number, 1 on average at 20 a second), each a
//! walk down a tree of at most four levels and a look at a few tables. A keyframe holds the
//! pages (about 50 of a few keys each), the memtable and the tables (shared with older
//! keyframes, as tables never change): a few KB.

use crate::sim::{Params, SimRng, Simulation};

pub mod btree;
mod controls;
pub mod lsm;
mod metrics;
mod narration;
pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;
mod workload;

pub use btree::BTree;
pub use controls::{Action, Config, Dist, Setting, STORAGE_PARAMS};
pub use lsm::{Lsm, Probe, ProbeOutcome, Work};
use metrics::Ledger;
pub use metrics::{Counts, EngineSample, Measure, Metric, Sample, Series, Space, MAX_SAMPLES, RECENT_WINDOWS};

/// A key: 0 to `KEYS - 1`.
pub type Key = u8;
/// A value: the number of the write that wrote it, so every write is told apart.
pub type Value = u32;

/// The size of the key space: small enough to draw a slot per key.
pub const KEYS: u16 = 100;
/// Keys a range scan reads.
pub const SCAN_KEYS: u8 = 10;
/// The keys "Delete a range" deletes.
pub const DELETE_RANGE: (Key, Key) = (40, 59);
/// Simulated milliseconds per tick.
pub const TICK_MS: u32 = 50;
/// Ticks in a simulated second.
pub const TICKS_PER_SIM_SECOND: u32 = 1000 / TICK_MS;
/// Ticks the app plays per second at 1×: real time.
pub const STORAGE_TICKS_PER_SECOND: f64 = 20.0;
/// Ten simulated minutes (ten at 1×, 75 s at 8×).
pub const STORAGE_LIMIT: u64 = 12_000;
/// How long an operation is drawn on its way down.
pub const WALK_TICKS: u32 = 16;
/// One chart sample a simulated second.
pub const SAMPLE_TICKS: u32 = TICKS_PER_SIM_SECOND;
/// How long an event stays the narration before a summary replaces it.
const NARRATE_TICKS: u32 = 60;
/// How long an event holds the narration against smaller ones.
const HOLD_TICKS: u32 = 30;
/// Sequential reads and updates pick among this many of the newest keys.
const NEWEST: u64 = 10;

const _: () = assert!(KEYS <= 128, "a key is hashed as one ASCII byte (see `lsm::item`)");

/// The two engines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    BTree,
    Lsm,
}

impl Engine {
    pub const ALL: [Engine; 2] = [Engine::BTree, Engine::Lsm];

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::BTree => "B-tree",
            Engine::Lsm => "LSM tree",
        }
    }
}

/// The kinds of operation, in the order of the mix's weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Insert,
    Update,
    Delete,
    Get,
    Scan,
}

impl OpKind {
    pub const ALL: [OpKind; 5] = [OpKind::Insert, OpKind::Update, OpKind::Delete, OpKind::Get, OpKind::Scan];

    /// Its weight's parameter.
    pub fn key(self) -> &'static str {
        match self {
            OpKind::Insert => "insert",
            OpKind::Update => "update",
            OpKind::Delete => "delete",
            OpKind::Get => "get",
            OpKind::Scan => "scan",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            OpKind::Insert => "Insert",
            OpKind::Update => "Update",
            OpKind::Delete => "Delete",
            OpKind::Get => "Point read",
            OpKind::Scan => "Range scan",
        }
    }

    pub fn writes(self) -> bool {
        matches!(self, OpKind::Insert | OpKind::Update | OpKind::Delete)
    }
}

/// One operation: its kind and key (a scan reads `key..=high`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Op {
    pub kind: OpKind,
    pub key: Key,
    pub high: Key,
}

/// An operation on its way down the picture: what it did in each engine, kept to draw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    pub op: Op,
    /// The tick it was applied.
    pub at: u32,
    /// A scan's leaves in the B-tree, as key ranges.
    pub leaves: Vec<btree::KeyRange>,
    /// Where the LSM looked: `None` when the memtable answered (or for a write).
    pub probes: Option<Vec<Probe>>,
    /// A point read found a value.
    pub found: bool,
}

/// What happened inside a tick, recorded in test builds so the tests can check every operation
/// against a reference.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Note {
    Wrote { key: Key, value: Option<Value> },
    Got { key: Key, btree: Option<Value>, lsm: Option<Value> },
    Scanned { low: Key, high: Key, btree: Vec<(Key, Value)>, lsm: Vec<(Key, Value)> },
}

/// Something worth telling, kept with its tick for the narration.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Started,
    Acted(Action),
    /// A B-tree page split; `grew` when the root did.
    Split { separator: Key, grew: bool },
    /// B-tree pages merged; `shrank` when the root went.
    Merged { shrank: bool },
    Work(Work),
}

impl Event {
    /// Which of two events in one tick the narration tells: the rarer and bigger.
    fn rank(&self) -> u8 {
        match self {
            Event::Started => 0,
            Event::Split { grew: false, .. } | Event::Merged { shrank: false } => 1,
            Event::Work(Work::Flush { .. }) => 2,
            Event::Split { grew: true, .. } | Event::Merged { shrank: true } | Event::Work(_) => 3,
            Event::Acted(_) => 4,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Storage {
    config: Config,
    tick: u32,
    rng: SimRng,
    /// The sequential workload's next key.
    cursor: Key,
    /// Which keys hold a value, bit per key: what the workload picks updates and deletes from.
    live: u128,
    /// The next value to write.
    next_value: Value,
    btree: BTree,
    lsm: Lsm,
    flights: Vec<Flight>,
    ledger: Ledger,
    series: Series,
    event: (u32, Event),
    #[cfg(test)]
    pub(crate) journal: Vec<Note>,
}

fn bit(key: Key) -> u128 {
    1 << key
}

impl Storage {
    fn build(params: &Params, seed: u64) -> Self {
        let config = Config::from_params(params);
        Self {
            config,
            tick: 0,
            rng: SimRng::new(seed),
            cursor: 0,
            live: 0,
            next_value: 1,
            btree: BTree::new(config.page as usize),
            lsm: Lsm::new(lsm_settings(&config)),
            flights: Vec::new(),
            ledger: Ledger::default(),
            series: Series::default(),
            event: (0, Event::Started),
            #[cfg(test)]
            journal: Vec::new(),
        }
    }

    // ---- What the view and the stage read -------------------------------------------------

    /// The settings now (the parameters, as changed since by actions).
    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn time_ms(&self) -> u64 {
        u64::from(self.tick) * u64::from(TICK_MS)
    }

    pub fn btree(&self) -> &BTree {
        &self.btree
    }

    pub fn lsm(&self) -> &Lsm {
        &self.lsm
    }

    /// Keys that hold a value now.
    pub fn live_keys(&self) -> u32 {
        self.live.count_ones()
    }

    pub fn is_live(&self, key: Key) -> bool {
        self.live & bit(key) != 0
    }

    /// Operations still being drawn, oldest first.
    pub fn flights(&self) -> &[Flight] {
        &self.flights
    }

    pub fn series(&self) -> &Series {
        &self.series
    }

    /// An engine's counts since the start.
    pub fn totals(&self, engine: Engine) -> Counts {
        self.ledger.totals[engine.index()]
    }

    /// An engine's counts over the last `RECENT_WINDOWS` closed seconds (fewer early on).
    pub fn recent(&self, engine: Engine) -> Counts {
        self.ledger.recent(engine)
    }

    /// What an engine stores now, against the live records.
    pub fn space(&self, engine: Engine) -> Space {
        let stored = match engine {
            Engine::BTree => self.btree.pages() as u64 * self.btree.capacity() as u64,
            Engine::Lsm => self.lsm.table_records() + u64::from(self.lsm.logged()),
        };
        Space { stored, live: u64::from(self.live_keys()) }
    }

    // ---- The workload -----------------------------------------------------------------------

    /// Runs one operation on both engines and records what it cost.
    fn execute(&mut self, op: Op) {
        let now = self.tick;
        let mut flight = Flight { op, at: now, leaves: Vec::new(), probes: None, found: false };
        match op.kind {
            OpKind::Insert | OpKind::Update | OpKind::Delete => {
                let value = (op.kind != OpKind::Delete).then(|| {
                    self.next_value += 1;
                    self.next_value - 1
                });
                self.write(op.key, value, now);
            }
            OpKind::Get => {
                // One leaf from disk; the pages above it are in memory (see the module documentation).
                let (btree, pages) = self.btree.get(op.key);
                let (lsm, probes) = self.lsm.get(op.key);
                let blocks: u32 = probes.iter().flatten().map(|probe| probe.blocks).sum();
                let skipped = probes.iter().flatten().filter(|probe| probe.outcome == ProbeOutcome::Skipped).count() as u64;
                let wasted = probes.iter().flatten().filter(|probe| probe.outcome == ProbeOutcome::Missed).count() as u64;
                self.ledger.add(Engine::BTree, |counts| &mut counts.gets, 1);
                self.ledger.add(Engine::BTree, |counts| &mut counts.get_reads, 1);
                self.ledger.add(Engine::BTree, |counts| &mut counts.visited, u64::from(pages));
                self.ledger.add(Engine::Lsm, |counts| &mut counts.gets, 1);
                self.ledger.add(Engine::Lsm, |counts| &mut counts.get_reads, u64::from(blocks));
                self.ledger.add(Engine::Lsm, |counts| &mut counts.filtered, skipped);
                self.ledger.add(Engine::Lsm, |counts| &mut counts.wasted, wasted);
                #[cfg(test)]
                self.journal.push(Note::Got { key: op.key, btree, lsm });
                flight.found = btree.is_some() || lsm.is_some();
                flight.probes = probes;
            }
            OpKind::Scan => {
                let (btree, leaves) = self.btree.scan(op.key, op.high);
                let (lsm, probes) = self.lsm.scan(op.key, op.high);
                let blocks: u32 = probes.iter().map(|probe| probe.blocks).sum();
                self.ledger.add(Engine::BTree, |counts| &mut counts.scans, 1);
                self.ledger.add(Engine::BTree, |counts| &mut counts.scan_reads, leaves.len() as u64);
                self.ledger.add(Engine::Lsm, |counts| &mut counts.scans, 1);
                self.ledger.add(Engine::Lsm, |counts| &mut counts.scan_reads, u64::from(blocks));
                #[cfg(test)]
                self.journal.push(Note::Scanned { low: op.key, high: op.high, btree: btree.clone(), lsm: lsm.clone() });
                let _ = (btree, lsm);
                flight.leaves = leaves;
                flight.probes = Some(probes);
            }
        }
        self.flights.push(flight);
    }

    /// A put (`Some`) or a delete (`None`) on both engines, with its costs and events.
    fn write(&mut self, key: Key, value: Option<Value>, now: u32) {
        let capacity = self.btree.capacity() as u64;
        let btree = match value {
            Some(value) => self.btree.put(key, value, now),
            None => self.btree.delete(key, now),
        };
        let lsm = match value {
            Some(value) => self.lsm.put(key, value, now),
            None => self.lsm.delete(key, now),
        };
        match value {
            Some(_) => self.live |= bit(key),
            None => self.live &= !bit(key),
        }
        for engine in Engine::ALL {
            self.ledger.add(engine, |counts| &mut counts.writes, 1);
            self.ledger.add(engine, |counts| &mut counts.logged, 1);
        }
        self.ledger.add(Engine::BTree, |counts| &mut counts.stored, btree.written.len() as u64 * capacity);
        self.ledger.add(Engine::BTree, |counts| &mut counts.splits, u64::from(btree.splits));
        self.ledger.add(Engine::BTree, |counts| &mut counts.merges, u64::from(btree.merges));
        self.count_lsm(&lsm);
        if btree.splits > 0 {
            self.tell(Event::Split { separator: btree.separator.unwrap_or(key), grew: btree.grew });
        } else if btree.merges > 0 {
            self.tell(Event::Merged { shrank: btree.shrank });
        }
        #[cfg(test)]
        self.journal.push(Note::Wrote { key, value });
    }

    fn count_lsm(&mut self, effect: &lsm::Effect) {
        self.ledger.add(Engine::Lsm, |counts| &mut counts.stored, effect.flushed + effect.compacted);
        self.ledger.add(Engine::Lsm, |counts| &mut counts.flushed, effect.flushed);
        self.ledger.add(Engine::Lsm, |counts| &mut counts.compaction_read, effect.compaction_read);
        self.ledger.add(Engine::Lsm, |counts| &mut counts.flushes, u64::from(effect.flushes));
        self.ledger.add(Engine::Lsm, |counts| &mut counts.compactions, u64::from(effect.compactions));
        for work in &effect.work {
            self.tell(Event::Work(*work));
        }
    }

    /// Makes `event` the narration's, unless the one it has is bigger and was told less than
    /// `HOLD_TICKS` ago: a flush does not drown the reader's action, nor a split the flush.
    fn tell(&mut self, event: Event) {
        let (at, current) = self.event;
        if event.rank() >= current.rank() || self.tick.saturating_sub(at) >= HOLD_TICKS {
            self.event = (self.tick, event);
        }
    }

    /// The next operation of the workload, or `None` when every weight is zero. An update or a
    /// delete needs an existing key: with none live, it becomes an insert.
    fn next_op(&mut self) -> Option<Op> {
        let mut kind = workload::pick_kind(&self.config.mix, &mut self.rng)?;
        let drawn = workload::draw_key(self.config.dist, self.cursor, &mut self.rng);
        if matches!(kind, OpKind::Update | OpKind::Delete) && self.live == 0 {
            kind = OpKind::Insert;
        }
        let sequential = self.config.dist == Dist::Sequential;
        let key = match kind {
            OpKind::Insert if sequential => {
                let key = self.cursor;
                self.cursor = ((u16::from(key) + 1) % KEYS) as Key;
                key
            }
            // Sequential deletes take the oldest key: the first live one from the cursor on.
            OpKind::Delete if sequential => self.live_from(self.cursor)?,
            // Other updates and deletes take the first live key from the drawn one on.
            OpKind::Update | OpKind::Delete => self.live_from(drawn)?,
            // Sequential scans read the newest keys; the others start at the drawn key.
            OpKind::Scan if sequential => self.cursor.saturating_sub(SCAN_KEYS),
            OpKind::Scan => drawn.min((KEYS - u16::from(SCAN_KEYS)) as Key),
            OpKind::Insert | OpKind::Get => drawn,
        };
        let high = if kind == OpKind::Scan { key + SCAN_KEYS - 1 } else { key };
        Some(Op { kind, key, high })
    }

    /// The first live key at or after `from`, going round the key space.
    fn live_from(&self, from: Key) -> Option<Key> {
        (0..KEYS).map(|offset| ((u16::from(from) + offset) % KEYS) as Key).find(|key| self.is_live(*key))
    }

    // ---- Actions ------------------------------------------------------------------------------

    fn act(&mut self, action: &Action) {
        let now = self.tick;
        match *action {
            Action::Set(setting, value) => {
                self.config.set(setting, value);
                if matches!(setting, Setting::Memtable | Setting::Ratio | Setting::Bloom) {
                    let effect = self.lsm.configure(lsm_settings(&self.config), now);
                    self.count_lsm(&effect);
                }
            }
            Action::Flush => {
                let effect = self.lsm.flush_now(now);
                self.count_lsm(&effect);
            }
            Action::Compact => {
                let effect = self.lsm.compact_all(now);
                self.count_lsm(&effect);
            }
            Action::DeleteRange => {
                for key in DELETE_RANGE.0..=DELETE_RANGE.1 {
                    self.execute(Op { kind: OpKind::Delete, key, high: key });
                }
            }
        }
    }

    fn close_window(&mut self) {
        let space = Engine::ALL.map(|engine| self.space(engine));
        let sample = self.ledger.close(self.time_ms(), space);
        self.series.push(sample);
    }
}

/// The LSM's settings from the tool's.
fn lsm_settings(config: &Config) -> lsm::Settings {
    lsm::Settings { memtable: config.memtable, ratio: config.ratio, bloom: config.bloom, block: config.page }
}

impl Simulation for Storage {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        Self::build(params, seed)
    }

    fn step(&mut self) {
        #[cfg(test)]
        self.journal.clear();
        self.tick = self.tick.saturating_add(1);
        let now = self.tick;
        self.flights.retain(|flight| now - flight.at < WALK_TICKS);
        let arrivals = self.rng.poisson(self.config.rate() / f64::from(TICKS_PER_SIM_SECOND));
        for _ in 0..arrivals {
            match self.next_op() {
                Some(op) => self.execute(op),
                None => break,
            }
        }
        if now % SAMPLE_TICKS == 0 {
            self.close_window();
        }
    }

    fn apply(&mut self, action: &Action) {
        self.act(action);
        self.event = (self.tick, Event::Acted(*action));
    }

    fn tick(&self) -> u64 {
        u64::from(self.tick)
    }

    fn narrate(&self) -> String {
        let (at, event) = self.event;
        if self.tick.saturating_sub(at) > NARRATE_TICKS {
            return self.summary();
        }
        self.tell_event(at, event)
    }

    /// See `Action::encode`.
    fn encode_action(action: &Action) -> String {
        action.encode()
    }

    fn decode_action(text: &str) -> Option<Action> {
        Action::decode(text)
    }
}
