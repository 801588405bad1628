//! The latency numbers visualizer's model: the classic table of how long things take, for
//! several years, each figure with the year it holds for and its source; a logarithmic axis to
//! draw them on; and the "human scale" that stretches an L1 cache hit to one second.
//!
//! The figures themselves live in [`data`]. The figures do not change in time: the reader picks
//! a snapshot (a year), optionally another to compare with, and an operation to put on the
//! human scale. Those three choices are [`LATENCY_PARAMS`], so a link reproduces the view. What
//! moves is [`race`]: the same operations started together on a clock that speeds up.

mod data;
mod format;
#[cfg(test)]
mod tests;
pub mod poster;
pub mod race;

use crate::sim::{ParamKind, ParamSpec, Value};

pub use data::{CLASSIC, LINE_RATE, NAPKIN, SCOTT, SNAPSHOTS, SOURCES, WONDERPROXY};
pub use format::{format_duration, format_human, format_ratio, LogAxis};

/// What kind of number a figure is, so the page can say which ones are estimates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// Printed in a well-known table.
    Published,
    /// Extrapolated from hardware trends.
    Estimate,
    /// Measured on real hardware and rounded.
    Measured,
    /// Worked out from a definition (bits ÷ link speed).
    Computed,
}

impl SourceKind {
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::Published => "published",
            SourceKind::Estimate => "estimate",
            SourceKind::Measured => "measured",
            SourceKind::Computed => "computed",
        }
    }
}

#[derive(Debug, PartialEq)]
pub struct Source {
    /// A few words for the table.
    pub name: &'static str,
    /// The full reference for the list of sources.
    pub citation: &'static str,
    /// Empty when there is nothing to link to (a computed figure).
    pub url: &'static str,
    pub kind: SourceKind,
}

/// The broad family of an operation; the chart colours bars by it (and names it in text).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Cpu,
    Memory,
    Storage,
    Network,
}

impl Category {
    pub fn label(self) -> &'static str {
        match self {
            Category::Cpu => "CPU",
            Category::Memory => "Memory",
            Category::Storage => "Storage",
            Category::Network => "Network",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    L1Cache,
    BranchMispredict,
    L2Cache,
    MutexLockUnlock,
    MainMemory,
    Send1KbAt10Gbps,
    Compress1Kb,
    Send1KbAt1Gbps,
    SsdRandomRead,
    ReadMbFromMemory,
    DatacenterRoundTrip,
    ReadMbFromSsd,
    DiskSeek,
    ReadMbFromDisk,
    ContinentalRoundTrip,
    IntercontinentalRoundTrip,
}

impl Operation {
    /// Every operation, in the order the chart draws them (roughly the classic table's order,
    /// kept fixed so that a bar's movement between years is easy to follow).
    pub const ALL: [Operation; 16] = [
        Operation::L1Cache,
        Operation::BranchMispredict,
        Operation::L2Cache,
        Operation::MutexLockUnlock,
        Operation::MainMemory,
        Operation::Send1KbAt10Gbps,
        Operation::Compress1Kb,
        Operation::Send1KbAt1Gbps,
        Operation::SsdRandomRead,
        Operation::ReadMbFromMemory,
        Operation::DatacenterRoundTrip,
        Operation::ReadMbFromSsd,
        Operation::DiskSeek,
        Operation::ReadMbFromDisk,
        Operation::ContinentalRoundTrip,
        Operation::IntercontinentalRoundTrip,
    ];

    /// The value the URL carries.
    pub fn key(self) -> &'static str {
        OPERATION_CHOICES[self as usize].0
    }

    pub fn from_key(key: &str) -> Option<Operation> {
        Operation::ALL.iter().copied().find(|operation| operation.key() == key)
    }

    pub fn label(self) -> &'static str {
        OPERATION_CHOICES[self as usize].1
    }

    /// The operation as the subject of a sentence: "a disk seek would take …".
    pub fn phrase(self) -> &'static str {
        match self {
            Operation::L1Cache => "an L1 cache reference",
            Operation::BranchMispredict => "a branch mispredict",
            Operation::L2Cache => "an L2 cache reference",
            Operation::MutexLockUnlock => "a mutex lock and unlock",
            Operation::MainMemory => "a main memory reference",
            Operation::Send1KbAt10Gbps => "sending 1 KB over 10 Gbps",
            Operation::Compress1Kb => "compressing 1 KB",
            Operation::Send1KbAt1Gbps => "sending 1 KB over 1 Gbps",
            Operation::SsdRandomRead => "an SSD random read",
            Operation::ReadMbFromMemory => "reading 1 MB from memory",
            Operation::DatacenterRoundTrip => "a round trip within a datacenter",
            Operation::ReadMbFromSsd => "reading 1 MB from an SSD",
            Operation::DiskSeek => "a disk seek",
            Operation::ReadMbFromDisk => "reading 1 MB from disk",
            Operation::ContinentalRoundTrip => "a round trip across a continent",
            Operation::IntercontinentalRoundTrip => "a round trip between continents",
        }
    }

    pub fn category(self) -> Category {
        match self {
            Operation::L1Cache | Operation::BranchMispredict | Operation::L2Cache | Operation::MutexLockUnlock | Operation::Compress1Kb => Category::Cpu,
            Operation::MainMemory | Operation::ReadMbFromMemory => Category::Memory,
            Operation::SsdRandomRead | Operation::ReadMbFromSsd | Operation::DiskSeek | Operation::ReadMbFromDisk => Category::Storage,
            Operation::Send1KbAt10Gbps
            | Operation::Send1KbAt1Gbps
            | Operation::DatacenterRoundTrip
            | Operation::ContinentalRoundTrip
            | Operation::IntercontinentalRoundTrip => Category::Network,
        }
    }
}

/// `(key, label)` for every operation, in [`Operation::ALL`] order (a test checks it).
const OPERATION_CHOICES: &[(&str, &str)] = &[
    ("l1", "L1 cache reference"),
    ("branch", "Branch mispredict"),
    ("l2", "L2 cache reference"),
    ("mutex", "Mutex lock/unlock"),
    ("memory", "Main memory reference"),
    ("send-10g", "Send 1 KB over 10 Gbps"),
    ("compress", "Compress 1 KB"),
    ("send-1g", "Send 1 KB over 1 Gbps"),
    ("ssd-random", "SSD random read"),
    ("memory-1mb", "Read 1 MB from memory"),
    ("dc-round-trip", "Round trip in a datacenter"),
    ("ssd-1mb", "Read 1 MB from SSD"),
    ("disk-seek", "Disk seek"),
    ("disk-1mb", "Read 1 MB from disk"),
    ("continental", "Round trip across a continent"),
    ("intercontinental", "Round trip between continents"),
];

/// One number: how long `operation` takes, the year it holds for, and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figure {
    pub operation: Operation,
    pub nanos: f64,
    pub year: u16,
    pub source: &'static Source,
    /// What exactly was measured or assumed ("8 KiB", "New York ↔ Fremont"); may be empty.
    pub note: &'static str,
}

impl Figure {
    /// The value as the chart prints it: estimates carry "≈", computed figures "=".
    pub fn value_label(&self) -> String {
        match self.source.kind {
            SourceKind::Estimate => format!("≈ {}", format_duration(self.nanos)),
            SourceKind::Computed => format!("= {}", format_duration(self.nanos)),
            SourceKind::Published | SourceKind::Measured => format_duration(self.nanos),
        }
    }
}

/// The figures the year selector shows for one year.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    pub year: u16,
    pub title: &'static str,
    pub figures: &'static [Figure],
}

impl Snapshot {
    pub fn by_year(year: u16) -> Option<&'static Snapshot> {
        SNAPSHOTS.iter().find(|snapshot| snapshot.year == year)
    }

    pub fn figure(&self, operation: Operation) -> Option<&'static Figure> {
        let figures: &'static [Figure] = self.figures;
        figures.iter().find(|figure| figure.operation == operation)
    }

    /// How long `operation` would take if an L1 cache reference took one second.
    pub fn human_seconds(&self, operation: Operation) -> Option<f64> {
        let l1 = self.figure(Operation::L1Cache)?.nanos;
        let figure = self.figure(operation)?;
        (l1 > 0.0).then(|| figure.nanos / l1)
    }

    /// "If an L1 cache reference took 1 second, a disk seek would take 7.6 months."
    pub fn human_sentence(&self, operation: Operation) -> String {
        match self.human_seconds(operation) {
            Some(seconds) => {
                let subject = operation.phrase();
                let mut chars = subject.chars();
                let capitalised = chars.next().map(|first| first.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default();
                if operation == Operation::L1Cache {
                    format!("{capitalised} is the yardstick: it takes {} on this scale.", format_human(seconds))
                } else {
                    format!("If an L1 cache reference took 1 second, {subject} would take {}.", format_human(seconds))
                }
            }
            None => "This year has no figure for that operation.".to_string(),
        }
    }

    /// The shortest and longest figure, for sizing the chart's axis.
    pub fn range(&self) -> (f64, f64) {
        self.figures.iter().map(|figure| figure.nanos).filter(|nanos| nanos.is_finite() && *nanos > 0.0).fold((f64::MAX, 0.0), |(low, high), nanos| (low.min(nanos), high.max(nanos)))
    }
}

/// Sending `bytes` at `bits_per_second`, in nanoseconds: the serialisation time alone.
pub fn line_rate_nanos(bytes: f64, bits_per_second: f64) -> f64 {
    bytes * 8.0 / bits_per_second * 1e9
}

const YEAR_CHOICES: &[(&str, &str)] = &[("2005", "2005"), ("2010", "2010"), ("2012", "2012 (classic table)"), ("2024", "2024")];
const COMPARE_CHOICES: &[(&str, &str)] = &[("none", "Nothing"), ("2005", "2005"), ("2010", "2010"), ("2012", "2012 (classic table)"), ("2024", "2024")];

/// The reader's three choices: the year shown, the year compared with, and the operation put
/// on the human scale.
pub const LATENCY_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "year", label: "Year", kind: ParamKind::Choice(YEAR_CHOICES), default: Value::Choice("2024") },
    ParamSpec { key: "vs", label: "Compare with", kind: ParamKind::Choice(COMPARE_CHOICES), default: Value::Choice("2012") },
    ParamSpec { key: "ask", label: "Operation on the human scale", kind: ParamKind::Choice(OPERATION_CHOICES), default: Value::Choice("disk-seek") },
];

/// One axis for every year, so that a bar's movement between years is real movement.
pub fn shared_axis() -> LogAxis {
    let (shortest, longest) = SNAPSHOTS.iter().map(Snapshot::range).fold((f64::MAX, 0.0f64), |(low, high), (a, b)| (low.min(a), high.max(b)));
    LogAxis::covering(shortest, longest)
}

/// The snapshot a choice value names (the default year for anything unknown).
pub fn snapshot_for(choice: &str) -> &'static Snapshot {
    choice.parse::<u16>().ok().and_then(Snapshot::by_year).unwrap_or(&SNAPSHOTS[SNAPSHOTS.len() - 1])
}

/// The comparison snapshot, or `None` for "Nothing" (or the same year as shown).
pub fn comparison_for(choice: &str, shown: &Snapshot) -> Option<&'static Snapshot> {
    choice.parse::<u16>().ok().and_then(Snapshot::by_year).filter(|snapshot| snapshot.year != shown.year)
}
