use super::*;
use crate::sim::Params;

fn classic() -> &'static Snapshot {
    Snapshot::by_year(2012).expect("the classic table is a snapshot")
}

fn nanos(snapshot: &Snapshot, operation: Operation) -> f64 {
    snapshot.figure(operation).unwrap_or_else(|| panic!("{} has no {operation:?}", snapshot.year)).nanos
}

#[test]
fn durations_read_in_the_largest_sensible_unit() {
    assert_eq!(format_duration(0.5), "0.5 ns");
    assert_eq!(format_duration(4.33), "4.3 ns");
    assert_eq!(format_duration(100.0), "100 ns");
    assert_eq!(format_duration(800.0), "800 ns");
    assert_eq!(format_duration(1_000.0), "1 µs");
    assert_eq!(format_duration(16_600.0), "17 µs");
    assert_eq!(format_duration(233_000.0), "233 µs");
    assert_eq!(format_duration(1_570_000.0), "1.6 ms");
    assert_eq!(format_duration(150_000_000.0), "150 ms");
    assert_eq!(format_duration(1e9), "1 s");
    assert_eq!(format_duration(0.1), "0.1 ns");
    assert_eq!(format_duration(f64::NAN), "—");
    assert_eq!(format_duration(-1.0), "—");
}

#[test]
fn human_scale_worked_by_hand() {
    // With L1 = 0.5 ns stretched to 1 s, everything is multiplied by 2 × 10⁹.
    assert_eq!(format_human(1.0), "1 second");
    assert_eq!(format_human(10.0), "10 seconds"); // branch mispredict, 5 ns
    assert_eq!(format_human(200.0), "3.3 minutes"); // main memory, 100 ns: 200 s ÷ 60
    assert_eq!(format_human(20_000.0), "5.6 hours"); // 1 KB over 1 Gbps, 10 µs: 20,000 s ÷ 3,600
    assert_eq!(format_human(86_400.0), "1 day");
    assert_eq!(format_human(1_000_000.0), "12 days"); // datacenter round trip, 500 µs: 11.57 days
    // Disk seek, 10 ms: 2 × 10⁷ s ÷ (365.25 × 86,400 ÷ 12 = 2,629,800 s a month) = 7.6 months.
    assert_eq!(format_human(2e7), "7.6 months");
    // California ↔ Netherlands, 150 ms: 3 × 10⁸ s ÷ 31,557,600 s a year = 9.5 years.
    assert_eq!(format_human(3e8), "9.5 years");
    assert_eq!(format_human(f64::INFINITY), "—");
}

#[test]
fn the_human_sentence_uses_the_snapshots_own_l1() {
    assert_eq!(classic().human_seconds(Operation::DiskSeek), Some(2e7));
    assert_eq!(classic().human_sentence(Operation::DiskSeek), "If an L1 cache reference took 1 second, a disk seek would take 7.6 months.");
    // In 2024 L1 is 1 ns, so a 10 ms seek is 10⁷ s: 10⁷ ÷ 2,629,800 = 3.8 months.
    let recent = Snapshot::by_year(2024).unwrap();
    assert_eq!(recent.human_sentence(Operation::DiskSeek), "If an L1 cache reference took 1 second, a disk seek would take 3.8 months.");
    assert_eq!(classic().human_sentence(Operation::MainMemory), "If an L1 cache reference took 1 second, a main memory reference would take 3.3 minutes.");
    assert!(classic().human_sentence(Operation::L1Cache).starts_with("An L1 cache reference is the yardstick: it takes 1 second"));
}

#[test]
fn ratios_between_years() {
    assert_eq!(format_ratio(100_000.0, 150_000.0, 2012), "1.5× faster than in 2012");
    assert_eq!(format_ratio(1.0, 0.5, 2012), "2× slower than in 2012");
    assert_eq!(format_ratio(100.0, 105.0, 2012), "about the same as in 2012");
    assert_eq!(format_ratio(3_800_000.0, 20_000_000.0, 2012), "5.3× faster than in 2012");
    assert_eq!(format_ratio(0.0, 1.0, 2012), "");
}

#[test]
fn every_snapshot_has_every_operation_once_and_every_figure_is_positive() {
    for snapshot in &SNAPSHOTS {
        assert_eq!(snapshot.figures.len(), Operation::ALL.len(), "{}", snapshot.year);
        for operation in Operation::ALL {
            let count = snapshot.figures.iter().filter(|figure| figure.operation == operation).count();
            assert_eq!(count, 1, "{} has {count} figures for {operation:?}", snapshot.year);
        }
        for figure in snapshot.figures {
            assert!(figure.nanos.is_finite() && figure.nanos > 0.0, "{} {:?}", snapshot.year, figure.operation);
            assert!((2005..=2024).contains(&figure.year), "{} {:?} holds for {}", snapshot.year, figure.operation, figure.year);
            assert!(figure.year.abs_diff(snapshot.year) <= 6, "a figure far from its snapshot's year would mislead");
        }
    }
    let years: Vec<u16> = SNAPSHOTS.iter().map(|snapshot| snapshot.year).collect();
    assert!(years.windows(2).all(|pair| pair[0] < pair[1]), "snapshots are oldest first: {years:?}");
}

#[test]
fn the_hierarchy_holds_in_every_year() {
    use Operation::*;
    for snapshot in &SNAPSHOTS {
        let chain = [L1Cache, L2Cache, MainMemory, SsdRandomRead, DiskSeek];
        for pair in chain.windows(2) {
            assert!(nanos(snapshot, pair[0]) < nanos(snapshot, pair[1]), "{}: {:?} should beat {:?}", snapshot.year, pair[0], pair[1]);
        }
        let pairs = [
            (L1Cache, BranchMispredict),
            (MainMemory, ReadMbFromMemory),
            (SsdRandomRead, ReadMbFromSsd),
            (Send1KbAt10Gbps, Send1KbAt1Gbps),
            (DatacenterRoundTrip, ContinentalRoundTrip),
            (ContinentalRoundTrip, IntercontinentalRoundTrip),
        ];
        for (faster, slower) in pairs {
            assert!(nanos(snapshot, faster) < nanos(snapshot, slower), "{}: {faster:?} should beat {slower:?}", snapshot.year);
        }
    }
}

#[test]
fn the_classic_table_is_copied_exactly() {
    use Operation::*;
    let expected = [
        (L1Cache, 0.5),
        (BranchMispredict, 5.0),
        (L2Cache, 7.0),
        (MutexLockUnlock, 25.0),
        (MainMemory, 100.0),
        (Compress1Kb, 3_000.0),
        (Send1KbAt1Gbps, 10_000.0),
        (SsdRandomRead, 150_000.0),
        (ReadMbFromMemory, 250_000.0),
        (DatacenterRoundTrip, 500_000.0),
        (ReadMbFromSsd, 1_000_000.0),
        (DiskSeek, 10_000_000.0),
        (ReadMbFromDisk, 20_000_000.0),
        (IntercontinentalRoundTrip, 150_000_000.0),
    ];
    for (operation, value) in expected {
        let figure = classic().figure(operation).unwrap();
        assert_eq!(figure.nanos, value, "{operation:?}");
        assert_eq!(figure.source, &CLASSIC);
        assert_eq!(figure.year, 2012);
    }
}

#[test]
fn derived_figures_match_their_arithmetic() {
    // Line rate: 1,000 bytes = 8,000 bits; at 10⁹ bit/s that is 8 µs, at 10¹⁰ bit/s 0.8 µs.
    assert_eq!(line_rate_nanos(1_000.0, 1e9), 8_000.0);
    assert!((line_rate_nanos(1_000.0, 1e10) - 800.0).abs() < 1e-9);
    for snapshot in &SNAPSHOTS {
        assert_eq!(nanos(snapshot, Operation::Send1KbAt10Gbps), 800.0);
    }
    // Scott's model: seek + rotation was 10 ms in 2000 and halves every 10 years.
    let seek = |year: f64| 10_000_000.0 * 0.5f64.powf((year - 2000.0) / 10.0);
    assert!((seek(2005.0) - 7_070_000.0).abs() < 5_000.0);
    assert_eq!(nanos(Snapshot::by_year(2010).unwrap(), Operation::DiskSeek), seek(2010.0));
    // Scott's model: 3 GHz since 2005, so one cycle is 1/3 ns and L1 (3 cycles) is 1 ns.
    assert_eq!(nanos(Snapshot::by_year(2005).unwrap(), Operation::L1Cache), 3.0 / 3.0);
    // Napkin Math 2024: 1 MB at 10 GiB/s = 10⁶ ÷ (10 × 2³⁰) s = 93.1 µs.
    let memory_mb = 1e6 / (10.0 * 1024f64.powi(3)) * 1e9;
    assert!((nanos(Snapshot::by_year(2024).unwrap(), Operation::ReadMbFromMemory) - memory_mb).abs() < 500.0);
}

#[test]
fn estimates_are_labelled_as_such() {
    let scott_rows = Snapshot::by_year(2010).unwrap().figures.iter().filter(|figure| figure.source.kind == SourceKind::Estimate).count();
    assert!(scott_rows >= 12, "2010 is mostly Scott's estimates");
    for figure in SNAPSHOTS.iter().flat_map(|snapshot| snapshot.figures) {
        if figure.source.kind != SourceKind::Computed {
            assert!(figure.source.url.starts_with("https://"), "{:?} cites a link", figure.operation);
        }
    }
    assert!(SOURCES.iter().all(|source| !source.citation.is_empty()));
}

#[test]
fn log_axis_spans_whole_decades() {
    let (shortest, longest) = classic().range();
    assert_eq!((shortest, longest), (0.5, 150_000_000.0));
    let axis = LogAxis::covering(shortest, longest);
    assert_eq!(axis, LogAxis { low: -1, high: 9 });
    assert!((axis.fraction(1.0) - 0.1).abs() < 1e-12, "1 ns is one decade of ten from 0.1 ns");
    assert!((axis.fraction(1e9) - 1.0).abs() < 1e-12);
    assert_eq!(axis.fraction(0.0), 0.0);
    assert_eq!(axis.fraction(f64::NAN), 0.0);
    let ticks = axis.ticks();
    assert_eq!(ticks.len(), 11);
    assert_eq!(ticks.first().map(|tick| tick.1.as_str()), Some("0.1 ns"));
    assert_eq!(ticks[4].1, "1 µs");
    assert_eq!(ticks[7].1, "1 ms");
    assert_eq!(ticks.last().map(|tick| tick.1.as_str()), Some("1 s"));
    assert_eq!(LogAxis::covering(f64::NAN, -3.0), LogAxis { low: 0, high: 9 });
}

#[test]
fn operation_keys_round_trip_and_params_parse() {
    assert_eq!(OPERATION_CHOICES.len(), Operation::ALL.len());
    for operation in Operation::ALL {
        assert_eq!(Operation::from_key(operation.key()), Some(operation));
        assert!(!operation.label().is_empty() && !operation.phrase().is_empty());
    }
    let pairs = vec![("year".to_string(), "2005".to_string()), ("vs".to_string(), "none".to_string()), ("ask".to_string(), "l2".to_string())];
    let (params, notes) = Params::from_pairs(LATENCY_PARAMS, &pairs);
    assert!(notes.is_empty());
    assert_eq!(snapshot_for(params.choice("year")).year, 2005);
    assert_eq!(comparison_for(params.choice("vs"), snapshot_for(params.choice("year"))), None);
    assert_eq!(comparison_for("2012", snapshot_for("2012")), None, "a year is not compared with itself");
    assert_eq!(comparison_for("2012", snapshot_for("2024")).map(|s| s.year), Some(2012));
    let (_, notes) = Params::from_pairs(LATENCY_PARAMS, &[("year".to_string(), "1999".to_string())]);
    assert_eq!(notes.len(), 1, "an unknown year keeps the default and says so");
    assert_eq!(snapshot_for("garbage").year, 2024);
}
