//! A partition replica's log: records in offset order. Full chunks are frozen behind `Arc`, as
//! in `sim::series`, so the timeline's keyframe clones share them instead of copying every log.

use std::sync::Arc;

/// Records a frozen chunk holds.
const CHUNK: usize = 64;

/// One record as a log stores it (20 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Record {
    /// The key: user A to P (`0..KEYS`).
    pub key: u8,
    /// The producer application that sent it: 0 for P1, 1 for P2.
    pub producer: u8,
    /// Which record of this key from this producer it is, from 1: the order per key.
    pub n: u32,
    /// The producer session (its producer id) and the sequence number it gave the record in
    /// this partition, which an idempotent broker checks. Set when the record is batched.
    pub pid: u32,
    pub seq: u32,
    /// The leader epoch it was appended in, set by the leader.
    pub epoch: u16,
    /// The leader already held this record (same producer, key and number): written twice.
    pub dup: bool,
}

impl Record {
    /// The same event of the application: producer, key and number.
    pub fn same_event(&self, other: &Record) -> bool {
        (self.producer, self.key, self.n) == (other.producer, other.key, other.n)
    }

    /// The same write: everything but the duplicate mark.
    pub fn same_write(&self, other: &Record) -> bool {
        self.same_event(other) && (self.pid, self.seq, self.epoch) == (other.pid, other.seq, other.epoch)
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Log {
    frozen: Vec<Arc<[Record]>>,
    tail: Vec<Record>,
}

impl Log {
    /// The log end offset: the offset the next record gets.
    pub fn len(&self) -> u64 {
        (self.frozen.len() * CHUNK + self.tail.len()) as u64
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn get(&self, offset: u64) -> Option<&Record> {
        let at = usize::try_from(offset).ok()?;
        let (chunk, within) = (at / CHUNK, at % CHUNK);
        match self.frozen.get(chunk) {
            Some(frozen) => frozen.get(within),
            None if chunk == self.frozen.len() => self.tail.get(within),
            None => None,
        }
    }

    pub fn push(&mut self, record: Record) {
        self.tail.push(record);
        if self.tail.len() == CHUNK {
            self.frozen.push(Arc::from(std::mem::take(&mut self.tail)));
        }
    }

    /// Keeps the first `len` records (a follower cutting what its new leader does not have).
    pub fn truncate(&mut self, len: u64) {
        if len >= self.len() {
            return;
        }
        let len = len as usize;
        let (chunks, within) = (len / CHUNK, len % CHUNK);
        if chunks < self.frozen.len() {
            self.tail = self.frozen[chunks][..within].to_vec();
            self.frozen.truncate(chunks);
        } else {
            self.tail.truncate(within);
        }
    }

    /// The records from `from` up to (not including) `to`, as far as the log goes.
    pub fn range(&self, from: u64, to: u64) -> Vec<Record> {
        (from..to.min(self.len())).filter_map(|offset| self.get(offset).copied()).collect()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Record> + '_ {
        self.frozen.iter().flat_map(|chunk| chunk.iter()).chain(self.tail.iter())
    }

    /// `(offset, record)` from the newest back.
    pub fn newest_first(&self) -> impl Iterator<Item = (u64, &Record)> + '_ {
        let len = self.len();
        self.iter().rev().enumerate().map(move |(back, record)| (len - 1 - back as u64, record))
    }

    /// How many records this log shares with `other` from the start: where a follower's log
    /// stops matching its leader's.
    pub fn common_prefix(&self, other: &Log) -> u64 {
        self.iter().zip(other.iter()).take_while(|(a, b)| a == b).count() as u64
    }
}
