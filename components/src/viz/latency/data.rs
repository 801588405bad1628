//! The figures, as data: every value carries the year it holds for and where it comes from.
//!
//! A snapshot takes one source for the rows it covers and fills the others from the nearest
//! source that has them, so each row still says its own year and origin. How the model rows
//! were derived:
//!
//! - **Scott's model** (Colin Scott's interactive page, 2012–13) extrapolates hardware trends:
//!   clock speed flat at 3 GHz since 2005 (so L1 = 3 cycles = 1 ns, branch mispredict = 10
//!   cycles, L2 = 13 cycles, mutex = 50 cycles, Snappy on 1 KB = 6,000 cycles), memory latency
//!   flat at 100 ns since 2000, and bandwidths doubling every 3 years (memory, SSD) or 5 years
//!   (disk), seek time halving every 10 years. The values below are his formulas evaluated for
//!   the year, rounded. Beyond about 2013 they drift away from real hardware (his disk seek
//!   reaches 1.8 ms by 2025), so this table uses them only for 2005 and 2010, and for the CPU
//!   rows he models as flat.
//! - **Napkin Math** (Simon Eskildsen) publishes rounded measurements; the README of September
//!   2024 is used. Its throughputs are turned into "1 MB" times: 1 MB ÷ 10 GiB/s = 93 µs.
//! - **Line rate**: sending 1 KB (1,000 bytes = 8,000 bits) takes 8,000 ÷ 10⁹ s = 8 µs at
//!   1 Gbit/s and 0.8 µs at 10 Gbit/s, before any propagation or protocol overhead; true in any
//!   year.

use super::{Figure, Operation, Snapshot, Source, SourceKind};
use Operation::*;

pub const CLASSIC: Source = Source {
    name: "Dean & Norvig, collected by J. Bonér",
    citation: "“Latency Comparison Numbers (~2012)”, Jonas Bonér's gist of the figures by Jeff Dean and Peter Norvig",
    url: "https://gist.github.com/jboner/2841832",
    kind: SourceKind::Published,
};

pub const SCOTT: Source = Source {
    name: "Colin Scott's model",
    citation: "Colin Scott, “Latency Numbers Every Programmer Should Know” (interactive, UC Berkeley, 2012–13)",
    url: "https://colin-scott.github.io/personal_website/research/interactive_latency.html",
    kind: SourceKind::Estimate,
};

pub const NAPKIN: Source = Source {
    name: "Napkin Math",
    citation: "Simon Eskildsen, “Napkin Math” README (September 2024), rounded measurements on an Intel Xeon E-2236",
    url: "https://github.com/sirupsen/napkin-math",
    kind: SourceKind::Measured,
};

pub const WONDERPROXY: Source = Source {
    name: "WonderProxy pings",
    citation: "Paul Reinheimer, “Miles per Millisecond: A Look at the WonderProxy Network” (February 2011)",
    url: "https://wonderproxy.com/blog/miles-per-milisecond/",
    kind: SourceKind::Measured,
};

pub const LINE_RATE: Source = Source {
    name: "Line rate",
    citation: "Computed: bits ÷ link speed (serialisation only, no propagation or protocol overhead)",
    url: "",
    kind: SourceKind::Computed,
};

/// Every source the snapshots use, for the list of references on the page.
pub const SOURCES: [&Source; 5] = [&CLASSIC, &SCOTT, &NAPKIN, &WONDERPROXY, &LINE_RATE];

const fn fig(operation: Operation, nanos: f64, year: u16, source: &'static Source, note: &'static str) -> Figure {
    Figure { operation, nanos, year, source, note }
}

const CONTINENTAL_2011: Figure = fig(ContinentalRoundTrip, 78_000_000.0, 2011, &WONDERPROXY, "New York ↔ Fremont, California");
const SEND_1G: &str = "1,000 bytes × 8 bits ÷ 1 Gbit/s";
const SEND_10G: &str = "1,000 bytes × 8 bits ÷ 10 Gbit/s";

const FIGURES_2005: [Figure; 16] = [
    fig(L1Cache, 1.0, 2005, &SCOTT, "3 cycles at 3 GHz"),
    fig(BranchMispredict, 3.3, 2005, &SCOTT, "10 cycles"),
    fig(L2Cache, 4.3, 2005, &SCOTT, "13 cycles"),
    fig(MutexLockUnlock, 17.0, 2005, &SCOTT, "50 cycles"),
    fig(MainMemory, 100.0, 2005, &SCOTT, "flat since 2000"),
    fig(Compress1Kb, 2_000.0, 2005, &SCOTT, "Snappy, 6,000 cycles"),
    fig(Send1KbAt1Gbps, 8_000.0, 2005, &LINE_RATE, SEND_1G),
    fig(Send1KbAt10Gbps, 800.0, 2005, &LINE_RATE, SEND_10G),
    fig(SsdRandomRead, 17_200.0, 2005, &SCOTT, "trend fitted to 2012 flash"),
    fig(ReadMbFromMemory, 95_000.0, 2005, &SCOTT, "peak bus bandwidth"),
    fig(DatacenterRoundTrip, 500_000.0, 2005, &SCOTT, "assumed constant"),
    fig(ReadMbFromSsd, 1_570_000.0, 2005, &SCOTT, ""),
    fig(DiskSeek, 7_070_000.0, 2005, &SCOTT, "seek + rotation"),
    fig(ReadMbFromDisk, 6_600_000.0, 2005, &SCOTT, ""),
    CONTINENTAL_2011,
    fig(IntercontinentalRoundTrip, 150_000_000.0, 2005, &SCOTT, "California ↔ Netherlands, assumed constant"),
];

const FIGURES_2010: [Figure; 16] = [
    fig(L1Cache, 1.0, 2010, &SCOTT, "3 cycles at 3 GHz"),
    fig(BranchMispredict, 3.3, 2010, &SCOTT, "10 cycles"),
    fig(L2Cache, 4.3, 2010, &SCOTT, "13 cycles"),
    fig(MutexLockUnlock, 17.0, 2010, &SCOTT, "50 cycles"),
    fig(MainMemory, 100.0, 2010, &SCOTT, "flat since 2000"),
    fig(Compress1Kb, 2_000.0, 2010, &SCOTT, "Snappy, 6,000 cycles"),
    fig(Send1KbAt1Gbps, 8_000.0, 2010, &LINE_RATE, SEND_1G),
    fig(Send1KbAt10Gbps, 800.0, 2010, &LINE_RATE, SEND_10G),
    fig(SsdRandomRead, 16_600.0, 2010, &SCOTT, "trend fitted to 2012 flash"),
    fig(ReadMbFromMemory, 30_000.0, 2010, &SCOTT, "peak bus bandwidth"),
    fig(DatacenterRoundTrip, 500_000.0, 2010, &SCOTT, "assumed constant"),
    fig(ReadMbFromSsd, 494_000.0, 2010, &SCOTT, ""),
    fig(DiskSeek, 5_000_000.0, 2010, &SCOTT, "seek + rotation"),
    fig(ReadMbFromDisk, 3_300_000.0, 2010, &SCOTT, ""),
    CONTINENTAL_2011,
    fig(IntercontinentalRoundTrip, 150_000_000.0, 2010, &SCOTT, "California ↔ Netherlands, assumed constant"),
];

const FIGURES_2012: [Figure; 16] = [
    fig(L1Cache, 0.5, 2012, &CLASSIC, ""),
    fig(BranchMispredict, 5.0, 2012, &CLASSIC, ""),
    fig(L2Cache, 7.0, 2012, &CLASSIC, ""),
    fig(MutexLockUnlock, 25.0, 2012, &CLASSIC, ""),
    fig(MainMemory, 100.0, 2012, &CLASSIC, ""),
    fig(Compress1Kb, 3_000.0, 2012, &CLASSIC, "Zippy (now Snappy)"),
    fig(Send1KbAt1Gbps, 10_000.0, 2012, &CLASSIC, ""),
    fig(Send1KbAt10Gbps, 800.0, 2012, &LINE_RATE, SEND_10G),
    fig(SsdRandomRead, 150_000.0, 2012, &CLASSIC, "4 KB"),
    fig(ReadMbFromMemory, 250_000.0, 2012, &CLASSIC, ""),
    fig(DatacenterRoundTrip, 500_000.0, 2012, &CLASSIC, ""),
    fig(ReadMbFromSsd, 1_000_000.0, 2012, &CLASSIC, "about 1 GB/s"),
    fig(DiskSeek, 10_000_000.0, 2012, &CLASSIC, ""),
    fig(ReadMbFromDisk, 20_000_000.0, 2012, &CLASSIC, ""),
    CONTINENTAL_2011,
    fig(IntercontinentalRoundTrip, 150_000_000.0, 2012, &CLASSIC, "California ↔ Netherlands"),
];

const FIGURES_2024: [Figure; 16] = [
    fig(L1Cache, 1.0, 2024, &SCOTT, "3 cycles at 3 GHz, flat since 2005"),
    fig(BranchMispredict, 3.3, 2024, &SCOTT, "10 cycles"),
    fig(L2Cache, 4.3, 2024, &SCOTT, "13 cycles"),
    fig(MutexLockUnlock, 17.0, 2024, &SCOTT, "50 cycles"),
    fig(MainMemory, 50.0, 2024, &NAPKIN, "random 64-byte read"),
    fig(Compress1Kb, 1_900.0, 2024, &NAPKIN, "1 KB at 500 MiB/s"),
    fig(Send1KbAt1Gbps, 8_000.0, 2024, &LINE_RATE, SEND_1G),
    fig(Send1KbAt10Gbps, 800.0, 2024, &LINE_RATE, SEND_10G),
    fig(SsdRandomRead, 100_000.0, 2024, &NAPKIN, "8 KiB"),
    fig(ReadMbFromMemory, 93_000.0, 2024, &NAPKIN, "10 GiB/s, one thread"),
    fig(DatacenterRoundTrip, 250_000.0, 2024, &NAPKIN, "within a cloud region"),
    fig(ReadMbFromSsd, 233_000.0, 2024, &NAPKIN, "4 GiB/s"),
    fig(DiskSeek, 10_000_000.0, 2024, &NAPKIN, "random 8 KiB read"),
    fig(ReadMbFromDisk, 3_800_000.0, 2024, &NAPKIN, "250 MiB/s"),
    fig(ContinentalRoundTrip, 60_000_000.0, 2024, &NAPKIN, "North America east ↔ west regions"),
    fig(IntercontinentalRoundTrip, 80_000_000.0, 2024, &NAPKIN, "Western Europe ↔ US East, a shorter route than California ↔ Netherlands"),
];

/// The year selector's choices, oldest first.
pub const SNAPSHOTS: [Snapshot; 4] = [
    Snapshot { year: 2005, title: "2005 · Scott's estimates", figures: &FIGURES_2005 },
    Snapshot { year: 2010, title: "2010 · Scott's estimates", figures: &FIGURES_2010 },
    Snapshot { year: 2012, title: "2012 · the classic table", figures: &FIGURES_2012 },
    Snapshot { year: 2024, title: "2024 · Napkin Math", figures: &FIGURES_2024 },
];
