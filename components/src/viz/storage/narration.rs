//! The live region's sentence: the last thing the reader did or the engines did on their own (a
//! split, a merge, a flush, a compaction) for three simulated seconds, then a summary of what
//! each engine is paying for the workload.

use super::*;
use crate::sim::number::counted;

impl Storage {
    /// An event told at tick `at`, in one sentence.
    pub(super) fn tell_event(&self, at: u32, event: Event) -> String {
        match event {
            Event::Started => "Both engines start empty. Every operation goes to both: the B-tree above, the LSM tree below.".to_string(),
            Event::Acted(action) => self.tell_action(at, action),
            Event::Split { separator, grew: true } => format!("The B-tree's root was full and split: {separator} went up into a new root, and the tree is {} levels tall.", self.btree.height()),
            Event::Split { separator, grew: false } => format!("A full B-tree page split in two: the new page starts at {separator}, and {separator} went up to the parent as a separator."),
            Event::Merged { shrank: true } => format!("The B-tree's root lost its last separator when two pages merged: the tree is {} tall now.", counted(self.btree.height(), "level")),
            Event::Merged { shrank: false } => "A B-tree page fell under half full and merged with a sibling, and their separator left the parent.".to_string(),
            Event::Work(work) => tell_work(work),
        }
    }

    fn tell_action(&self, at: u32, action: Action) -> String {
        let config = &self.config;
        // The work this action set off, if any: it happened at its tick.
        let work: Vec<Work> = self.lsm.work().iter().filter(|work| work.at() == at).copied().collect();
        match action {
            Action::Set(Setting::Mix(_), _) => format!("The mix is now {}.", mix_words(config)),
            Action::Set(Setting::Dist, _) => format!("Operations now pick {}.", config.dist.words()),
            Action::Set(Setting::Rate, _) => format!("{:.1} operations a second now.", config.rate()),
            Action::Set(Setting::Memtable, _) => format!("The memtable now flushes every {} writes; tables written from now on hold up to {} records.", config.memtable, config.memtable),
            Action::Set(Setting::Ratio, _) => format!("Each LSM level may now hold {} times the one above: L1 {} records, L2 {}, L3 {}.", config.ratio, target(&self.lsm, 1), target(&self.lsm, 2), target(&self.lsm, 3)),
            Action::Set(Setting::Bloom, 0) => "Tables written from now on get no Bloom filter; tables already written keep theirs.".to_string(),
            Action::Set(Setting::Bloom, bits) => format!("Tables written from now on get a Bloom filter of {bits} bits per key; tables already written keep what they had."),
            Action::Flush => match work.first() {
                Some(Work::Flush { writes, records, .. }) => format!("Flushed the memtable early: {} became an L0 table of {}.", counted(*writes, "write"), counted(*records, "record")),
                _ => "Nothing to flush: the memtable is empty.".to_string(),
            },
            Action::Compact => match work.iter().find(|work| matches!(work, Work::Full { .. })) {
                Some(Work::Full { into, read, written, .. }) => {
                    format!("Compacted everything into L{into}: {read} records read, {written} written, every old version and tombstone gone; {} live.", counted(self.live_keys(), "key"))
                }
                _ => "Nothing to compact: no table holds anything yet.".to_string(),
            },
            Action::DeleteRange => format!(
                "Deleted keys {} to {}: the B-tree removed the ones it had in place, the LSM tree wrote {} tombstones that hide older versions until compaction drops them.",
                DELETE_RANGE.0,
                DELETE_RANGE.1,
                DELETE_RANGE.1 - DELETE_RANGE.0 + 1
            ),
        }
    }

    /// The state in one sentence: what each engine pays, over the last 30 s (space: now).
    pub(super) fn summary(&self) -> String {
        let (btree, lsm) = (self.recent(Engine::BTree), self.recent(Engine::Lsm));
        let pair = |what: &str, b: Option<f64>, l: Option<f64>, units: (&str, &str)| match (b, l) {
            (Some(b), Some(l)) => format!("{what} {b:.1}{} in the B-tree and {l:.1}{} in the LSM tree", units.0, units.1),
            _ => String::new(),
        };
        let parts: Vec<String> = [
            pair("writes cost", btree.write_amp(), lsm.write_amp(), ("×", "×")),
            pair("a point read costs", btree.get_amp(), lsm.get_amp(), (" leaf", " blocks")),
            pair("space is", self.space(Engine::BTree).amp(), self.space(Engine::Lsm).amp(), ("×", "×")),
        ]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect();
        let at = format!("At {:.0} s, {} live", self.time_ms() as f64 / 1000.0, counted(self.live_keys(), "key"));
        if parts.is_empty() {
            format!("{at}; no operation in the last 30 s to measure.")
        } else {
            format!("{at}. Over the last 30 s, {}.", parts.join("; "))
        }
    }
}

/// A level's target in records, or "no limit".
fn target(lsm: &Lsm, level: usize) -> String {
    lsm.target(level).map_or("no limit".to_string(), |records| records.to_string())
}

/// The mix as shares, in words: "40% inserts, 20% updates, …".
pub(super) fn mix_words(config: &Config) -> String {
    if config.mix.iter().all(|weight| *weight == 0) {
        return "empty: every weight is 0, so no operation comes".to_string();
    }
    let names = ["inserts", "updates", "deletes", "point reads", "range scans"];
    OpKind::ALL.iter().zip(names).filter(|(kind, _)| config.share(**kind) > 0.0).map(|(kind, name)| format!("{:.0}% {name}", config.share(*kind) * 100.0)).collect::<Vec<_>>().join(", ")
}

fn tell_work(work: Work) -> String {
    match work {
        Work::Flush { writes, records, .. } if writes > records => format!("The memtable took its {writes} writes and was flushed as an L0 table of {records} records: only the newest version of each key is kept."),
        Work::Flush { records, .. } => format!("The memtable was full and was flushed, sorted, as a new L0 table of {}.", counted(records, "record")),
        Work::Compaction { from: 0, tables_in, overlapped, tables_out, read, written, versions, tombstones, .. } => format!(
            "L0 reached {tables_in} tables: compaction merged them with {overlapped} of L1 into {tables_out}, reading {read} records and writing {written} ({versions} old versions and {tombstones} tombstones dropped)."
        ),
        Work::Compaction { from, overlapped, tables_out, read, written, versions, tombstones, .. } => format!(
            "L{from} grew past its target: one of its tables merged with {overlapped} of L{} into {tables_out}, reading {read} records and writing {written} ({versions} old versions and {tombstones} tombstones dropped).",
            from + 1
        ),
        Work::Move { from, tables, .. } => format!("{} of L{from} overlapped nothing below and moved down to L{} without being rewritten.", if tables == 1 { "A table".to_string() } else { format!("{tables} tables") }, from + 1),
        Work::Full { into, read, written, .. } => format!("Everything was compacted into L{into}: {read} records read, {written} written."),
    }
}

/// Which engine pays less, in words: within 5% of each other they are even.
pub(super) fn verdict(btree: f64, lsm: f64, pays_less: &str) -> String {
    if (btree - lsm).abs() <= 0.05 * btree.max(lsm) {
        "about even".to_string()
    } else if lsm < btree {
        format!("the LSM tree {pays_less}")
    } else {
        format!("the B-tree {pays_less}")
    }
}

impl Storage {
    /// The numbers beside the picture, as (label, value) rows: each amplification of both engines
    /// over the last 30 s (space: now) with what it is made of, and which engine pays less.
    pub fn figures(&self) -> Vec<(&'static str, String)> {
        let (btree, lsm) = (self.recent(Engine::BTree), self.recent(Engine::Lsm));
        let per = |count: u64, of: u64| count as f64 / of.max(1) as f64;
        let writes = match (btree.write_amp(), lsm.write_amp()) {
            (Some(b), Some(l)) => format!(
                "B-tree {b:.1}× (log 1 + pages {:.1}), LSM tree {l:.1}× (log 1 + flushes {:.1} + compactions {:.1}): {}",
                per(btree.stored, btree.writes),
                per(lsm.flushed, lsm.writes),
                per(lsm.stored - lsm.flushed, lsm.writes),
                verdict(b, l, "writes less")
            ),
            _ => "no writes in the last 30 s".to_string(),
        };
        let gets = match (btree.get_amp(), lsm.get_amp()) {
            (Some(b), Some(l)) => format!(
                "B-tree {b:.1} leaf ({:.1} pages visited, those above the leaves in memory), LSM tree {l:.1} blocks ({:.1} tables skipped by their filter, {:.2} read for nothing): {}",
                per(btree.visited, btree.gets),
                per(lsm.filtered, lsm.gets),
                per(lsm.wasted, lsm.gets),
                verdict(b, l, "reads less")
            ),
            _ => "no point reads in the last 30 s".to_string(),
        };
        let scans = match (btree.scan_amp(), lsm.scan_amp()) {
            (Some(b), Some(l)) => format!("B-tree {b:.1} leaves, LSM tree {l:.1} blocks: {}", verdict(b, l, "reads less")),
            _ => "no range scans in the last 30 s".to_string(),
        };
        let (btree_space, lsm_space) = (self.space(Engine::BTree), self.space(Engine::Lsm));
        let space = match (btree_space.amp(), lsm_space.amp()) {
            (Some(b), Some(l)) => format!(
                "B-tree {b:.1}× ({} of {} records for {}), LSM tree {l:.1}× ({} and {} in the log for {}): {}",
                counted(self.btree.pages() as u64, "page"),
                self.btree.capacity(),
                counted(self.live_keys(), "key"),
                counted(self.lsm.table_records(), "record"),
                self.lsm.logged(),
                counted(self.live_keys(), "key"),
                verdict(b, l, "stores less")
            ),
            _ => "no live key".to_string(),
        };
        let (btree_total, lsm_total) = (self.totals(Engine::BTree), self.totals(Engine::Lsm));
        let work = format!(
            "B-tree: {}, {}. LSM tree: {}, {} ({} read and {} written by compactions)",
            counted(btree_total.splits, "split"),
            counted(btree_total.merges, "merge"),
            if lsm_total.flushes == 1 { "1 flush".to_string() } else { format!("{} flushes", lsm_total.flushes) },
            counted(lsm_total.compactions, "compaction"),
            counted(lsm_total.compaction_read, "record"),
            lsm_total.stored - lsm_total.flushed
        );
        vec![("Write amplification, last 30 s", writes), ("Reads from disk per point read", gets), ("Reads from disk per range scan", scans), ("Space amplification, now", space), ("Since the start", work)]
    }
}
