//! Scenarios worked out by hand, the properties the visualizer teaches (as proptests), and the
//! harness contracts: determinism, step back and forward, URL round trips.

use proptest::prelude::*;

use super::*;
use crate::sim::{ParamKind, ParamSpec, Params, Simulation, Timeline, Value};

fn cluster(settings: &[(&str, &str)]) -> CapCluster {
    let mut params = Params::defaults(CAP_PARAMS);
    for (key, value) in settings {
        params.set_text(key, value).expect("test settings are valid");
    }
    CapCluster::new(&params, 0)
}

fn run_until(cluster: &mut CapCluster, tick: u64) {
    while cluster.tick() < tick {
        cluster.step();
    }
}

fn values(cluster: &CapCluster, node: NodeId) -> Vec<u32> {
    cluster.replica(node).map(|replica| replica.values().collect()).unwrap_or_default()
}

// ---------------------------------------------------------------- scenarios, worked by hand

#[test]
fn cp_write_takes_two_round_trips_and_a_read_one() {
    // Defaults: 5 nodes, CP, R = W = 3 (majority), 20 ms links.
    let mut cluster = cluster(&[]);
    assert_eq!(cluster.quorum(), Quorum { nodes: 5, read: 3, write: 3 });
    cluster.apply(&CapAction::Write { side: Side::Left, value: 7 });
    // Version query out at 0, replies back at 40; store out at 40, acks back at 80.
    run_until(&mut cluster, 79);
    assert_eq!(cluster.client(Side::Left).last, None);
    assert_eq!(cluster.pending(Side::Left), 1);
    cluster.step();
    assert_eq!(cluster.client(Side::Left).last, Some(Outcome::Wrote { write: 0, value: 7, acks: 3, wanted: 3, latency_ms: 80 }));
    for node in 0..5 {
        assert_eq!(values(&cluster, node), vec![7], "stores reached every node at 60");
    }
    cluster.apply(&CapAction::Read { side: Side::Right });
    run_until(&mut cluster, 120);
    let Some(Outcome::Read { versions, freshness, replies, wanted, latency_ms }) = &cluster.client(Side::Right).last else {
        panic!("expected a read, got {:?}", cluster.client(Side::Right).last);
    };
    assert_eq!((versions.len(), versions[0].value, *freshness, *replies, *wanted, *latency_ms), (1, 7, Freshness::Current, 3, 3, 40));
    // The same numbers, predicted for the PACELC panel.
    assert_eq!(cluster.expected_write_latency_ms(Mode::Cp, Replication::Sync), 80);
    assert_eq!(cluster.expected_write_latency_ms(Mode::Ap, Replication::Sync), 40);
    assert_eq!(cluster.expected_write_latency_ms(Mode::Ap, Replication::Async), 0);
    assert_eq!(cluster.expected_read_latency_ms(), 40);
    assert_eq!(cluster.pacelc_class(), PacelcClass::PcEc);
}

#[test]
fn cp_minority_refuses_while_the_majority_serves() {
    let mut cluster = cluster(&[]);
    cluster.apply(&CapAction::Partition { left: 2 });
    assert_eq!(cluster.side_nodes(Side::Left).iter().collect::<Vec<_>>(), vec![0, 1]);
    assert_eq!(cluster.side_nodes(Side::Right).iter().collect::<Vec<_>>(), vec![2, 3, 4]);
    assert!(!cluster.side_has_majority(Side::Left) && cluster.side_has_majority(Side::Right));
    assert_eq!(cluster.write_availability(Side::Left), Availability::Refused);
    assert_eq!(cluster.write_availability(Side::Right), Availability::Quorum);
    cluster.apply(&CapAction::Write { side: Side::Left, value: 1 });
    cluster.apply(&CapAction::Write { side: Side::Right, value: 2 });
    cluster.apply(&CapAction::Read { side: Side::Left });
    // Only B answers A's version query: 2 of 3, and the phase gives up at 3 × 20 ms.
    run_until(&mut cluster, 60);
    let refused_write = Outcome::Refused { kind: OperationKind::Read, reason: Refusal::ReadQuorum { heard: 2, needed: 3 }, latency_ms: 60 };
    assert_eq!(cluster.client(Side::Left).last, Some(refused_write), "the read, issued last, also gives up at 60");
    assert_eq!(cluster.writes()[0].status, WriteStatus::Refused { at: 60, reason: Refusal::VersionQuorum { heard: 2, needed: 3 } });
    assert_eq!(cluster.writes()[0].version, None, "refused before anything was stored");
    run_until(&mut cluster, 80);
    assert_eq!(cluster.client(Side::Right).last, Some(Outcome::Wrote { write: 1, value: 2, acks: 3, wanted: 3, latency_ms: 80 }));
    assert_eq!((values(&cluster, 0), values(&cluster, 1), values(&cluster, 2)), (vec![], vec![], vec![2]));
}

#[test]
fn ap_accepts_on_both_sides_reads_go_stale_and_healing_keeps_the_later_stamp() {
    let mut cluster = cluster(&[("mode", "ap"), ("replication", "async"), ("r", "1"), ("w", "1")]);
    assert_eq!(cluster.pacelc_class(), PacelcClass::PaEl);
    cluster.apply(&CapAction::Partition { left: 2 });
    cluster.apply(&CapAction::Write { side: Side::Left, value: 1 });
    assert_eq!(cluster.client(Side::Left).last, Some(Outcome::Wrote { write: 0, value: 1, acks: 1, wanted: 1, latency_ms: 0 }));
    run_until(&mut cluster, 30);
    cluster.apply(&CapAction::Write { side: Side::Right, value: 2 });
    cluster.apply(&CapAction::Read { side: Side::Left });
    // R = 1: A answers from its own copy, which has not heard of the right side's write.
    let Some(Outcome::Read { versions, freshness, .. }) = &cluster.client(Side::Left).last else { panic!("expected a read") };
    assert_eq!(versions.iter().map(|version| version.value).collect::<Vec<_>>(), vec![1]);
    assert_eq!(*freshness, Freshness::Stale { missed: 1 });
    cluster.apply(&CapAction::HealAll);
    run_until(&mut cluster, 50);
    for node in 0..5 {
        assert_eq!(values(&cluster, node), vec![2], "stamp 30 beats stamp 0 at node {node}");
    }
    assert!(cluster.converged());
    let lost = cluster.writes()[0].lost.expect("the left write was dropped unseen");
    assert_eq!((lost.winner, lost.cause), (1, LossCause::Concurrent));
    assert!(matches!(cluster.writes()[0].status, WriteStatus::Acknowledged { .. }), "and its client had been told it succeeded");
}

#[test]
fn ap_sync_waits_for_the_timeout_and_accepts_short_of_its_quorum() {
    let mut cluster = cluster(&[("mode", "ap")]);
    assert_eq!(cluster.pacelc_class(), PacelcClass::PaEc);
    cluster.apply(&CapAction::Partition { left: 2 });
    assert_eq!(cluster.write_availability(Side::Left), Availability::ShortOfQuorum);
    cluster.apply(&CapAction::Write { side: Side::Left, value: 5 });
    run_until(&mut cluster, 59);
    assert_eq!(cluster.client(Side::Left).last, None, "B acked at 40; still one short of W = 3");
    cluster.step();
    assert_eq!(cluster.client(Side::Left).last, Some(Outcome::Wrote { write: 0, value: 5, acks: 2, wanted: 3, latency_ms: 60 }));
}

#[test]
fn a_lagging_clock_makes_last_writer_wins_drop_a_later_write() {
    let mut cluster = cluster(&[("mode", "ap"), ("replication", "async"), ("skew", "100")]);
    cluster.apply(&CapAction::Write { side: Side::Right, value: 1 }); // stamped 0 by E
    run_until(&mut cluster, 30);
    assert_eq!(values(&cluster, 0), vec![1]);
    // A's clock reads 30 − 100 = −70: below the stamp A already holds, so A drops its own write.
    cluster.apply(&CapAction::Write { side: Side::Left, value: 2 });
    assert_eq!(cluster.writes()[1].version.map(|version| version.stamp), Some(Stamp { time_ms: -70, node: 0 }));
    assert_eq!(cluster.client(Side::Left).last, Some(Outcome::Wrote { write: 1, value: 2, acks: 1, wanted: 1, latency_ms: 0 }));
    let lost = cluster.writes()[1].lost.expect("dropped at once");
    assert_eq!((lost.node, lost.winner, lost.cause), (0, 0, LossCause::ClockSkew));
    run_until(&mut cluster, 60);
    for node in 0..5 {
        assert_eq!(values(&cluster, node), vec![1]);
    }
    cluster.apply(&CapAction::Read { side: Side::Right });
    run_until(&mut cluster, 100);
    let Some(Outcome::Read { freshness, .. }) = &cluster.client(Side::Right).last else { panic!("expected a read") };
    assert_eq!(*freshness, Freshness::Overruled { missed: 1 });
    assert_eq!(cluster.lost_writes().count(), 1);
}

#[test]
fn cp_ignores_the_skewed_clock() {
    let mut cluster = cluster(&[("skew", "100")]);
    cluster.apply(&CapAction::Write { side: Side::Right, value: 1 });
    run_until(&mut cluster, 100);
    cluster.apply(&CapAction::Write { side: Side::Left, value: 2 });
    run_until(&mut cluster, 200);
    // A's clock reads 0 but the version check saw stamp 40, so the new stamp is 41.
    assert_eq!(cluster.writes()[1].version.map(|version| version.stamp), Some(Stamp { time_ms: 41, node: 0 }));
    for node in 0..5 {
        assert_eq!(values(&cluster, node), vec![2]);
    }
    assert_eq!(cluster.lost_writes().count(), 0);
}

#[test]
fn version_vectors_keep_both_sides_writes_until_a_later_write_covers_them() {
    let mut cluster = cluster(&[("mode", "ap"), ("reconcile", "vv"), ("replication", "async")]);
    cluster.apply(&CapAction::Partition { left: 2 });
    cluster.apply(&CapAction::Write { side: Side::Left, value: 1 });
    cluster.apply(&CapAction::Write { side: Side::Right, value: 2 });
    run_until(&mut cluster, 10);
    cluster.apply(&CapAction::HealAll);
    run_until(&mut cluster, 40);
    for node in 0..5 {
        assert_eq!(values(&cluster, node), vec![1, 2], "siblings at node {node}");
    }
    cluster.apply(&CapAction::Read { side: Side::Right });
    run_until(&mut cluster, 80);
    let Some(Outcome::Read { versions, freshness, .. }) = &cluster.client(Side::Right).last else { panic!("expected a read") };
    assert_eq!(versions.iter().map(|version| version.value).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(*freshness, Freshness::Current);
    cluster.apply(&CapAction::Write { side: Side::Right, value: 3 });
    assert_eq!(cluster.writes()[2].version.map(|version| version.vector), Some(VersionVector([1, 0, 0, 0, 2])));
    run_until(&mut cluster, 100);
    for node in 0..5 {
        assert_eq!(values(&cluster, node), vec![3]);
    }
    assert_eq!(cluster.lost_writes().count(), 0, "version vectors never drop a write unseen");
}

#[test]
fn cutting_loses_messages_in_flight_and_healing_exchanges_copies() {
    let mut cluster = cluster(&[]);
    cluster.apply(&CapAction::Write { side: Side::Left, value: 9 });
    run_until(&mut cluster, 10);
    cluster.apply(&CapAction::CutLink(0, 1));
    assert!(matches!(cluster.events().last().map(|event| &event.kind), Some(EventKind::LinkCut { a: 0, b: 1, lost_messages: 1 })));
    let to_b: Vec<&Message> = cluster.messages().filter(|message| message.to == 1).collect();
    assert!(to_b.len() == 1 && to_b[0].lost && (to_b[0].progress(10) - 0.5).abs() < 1e-9);
    // C, D and E answer at 40, the stores go out (B's is lost at once), acks return at 80.
    run_until(&mut cluster, 80);
    assert_eq!(cluster.client(Side::Left).last, Some(Outcome::Wrote { write: 0, value: 9, acks: 3, wanted: 3, latency_ms: 80 }));
    assert_eq!(values(&cluster, 1), Vec::<u32>::new());
    assert!(!cluster.converged());
    cluster.apply(&CapAction::HealLink(1, 0));
    run_until(&mut cluster, 100);
    assert_eq!(values(&cluster, 1), vec![9]);
    assert!(cluster.converged());
}

#[test]
fn quorum_rules_and_clamping() {
    assert!(!Quorum::new(5, 2, 3).overlaps(), "2 + 3 = 5 is not more than 5");
    assert!(Quorum::new(5, 3, 3).overlaps() && Quorum::new(5, 1, 5).overlaps());
    assert_eq!((Quorum::majority(3), Quorum::majority(4), Quorum::majority(5)), (2, 3, 3));
    assert_eq!(cluster(&[("nodes", "4")]).quorum(), Quorum { nodes: 4, read: 3, write: 3 });
    assert_eq!(cluster(&[("nodes", "3"), ("r", "5"), ("w", "1")]).quorum(), Quorum { nodes: 3, read: 3, write: 1 });
    let mut small = cluster(&[("nodes", "3")]);
    small.apply(&CapAction::SetQuorum { read: 9, write: 0 });
    assert_eq!(small.quorum(), Quorum { nodes: 3, read: 3, write: 1 });
    assert!(small.quorum_overlaps());
    small.apply(&CapAction::SetQuorum { read: 1, write: 2 });
    assert!(!small.quorum_overlaps());
    assert_eq!(small.pacelc_class(), PacelcClass::PcEl, "CP writes wait, but reads of one replica can miss them");
}

#[test]
fn actions_that_do_not_fit_the_cluster_are_ignored_and_logged() {
    let mut small = cluster(&[("nodes", "3")]);
    let before = small.clone();
    for action in [
        CapAction::CutLink(3, 4),
        CapAction::CutLink(1, 1),
        CapAction::HealLink(0, 7),
        CapAction::Partition { left: 0 },
        CapAction::Partition { left: 3 },
        CapAction::Partition { left: usize::MAX },
    ] {
        small.apply(&action);
        assert!(matches!(small.events().last().map(|event| &event.kind), Some(EventKind::Ignored(_))), "{action:?}");
    }
    assert_eq!(small.links().collect::<Vec<_>>(), before.links().collect::<Vec<_>>());
    assert!(!small.link_up(0, 9) && !small.link_up(9, 0) && small.replica(9).is_none());
}

#[test]
fn parameters_from_another_schema_fall_back_to_defaults() {
    const OTHER: &[ParamSpec] = &[
        ParamSpec { key: "nodes", label: "Nodes", kind: ParamKind::Bool, default: Value::Bool(true) },
        ParamSpec { key: "mode", label: "Mode", kind: ParamKind::Int { min: 0, max: 9 }, default: Value::Int(3) },
    ];
    let cluster = CapCluster::new(&Params::defaults(OTHER), 1);
    assert_eq!((cluster.node_count(), cluster.mode(), cluster.latency_ms()), (5, Mode::Cp, 20));
    assert_eq!(cluster.quorum(), Quorum { nodes: 5, read: 3, write: 3 });
}

#[test]
fn extreme_parameters_run() {
    for settings in [
        [("nodes", "3"), ("latency", "1"), ("skew", "2000"), ("mode", "ap")],
        [("nodes", "5"), ("latency", "500"), ("skew", "0"), ("mode", "cp")],
    ] {
        let mut cluster = cluster(&settings);
        cluster.apply(&CapAction::Partition { left: 1 });
        cluster.apply(&CapAction::Write { side: Side::Left, value: u32::MAX });
        cluster.apply(&CapAction::Read { side: Side::Right });
        cluster.apply(&CapAction::HealAll);
        run_until(&mut cluster, 4000);
        assert!(cluster.operations().is_empty() && cluster.messages().count() == 0);
        assert!(cluster.converged());
    }
}

#[test]
fn the_event_log_is_bounded_and_numbered() {
    let mut cluster = cluster(&[("mode", "ap"), ("replication", "async"), ("r", "1")]);
    for value in 0..100 {
        cluster.apply(&CapAction::Write { side: Side::Left, value });
    }
    assert_eq!(cluster.events().count(), EVENT_LOG_LENGTH);
    let ids: Vec<u64> = cluster.events().map(|event| event.id).collect();
    assert!(ids.windows(2).all(|pair| pair[1] == pair[0] + 1));
    assert_eq!(ids.last(), Some(&199), "an issue and an acknowledgement per write");
}

#[test]
fn narration_tells_this_ticks_events_or_the_state() {
    let mut cluster = cluster(&[]);
    assert_eq!(cluster.narrate(), "0 ms: CP mode, all links up, 0 messages in flight.");
    cluster.apply(&CapAction::Partition { left: 2 });
    assert_eq!(cluster.narrate(), "Partition: AB | CDE.");
    cluster.step();
    assert_eq!(cluster.narrate(), "1 ms: CP mode, 6 links cut, 0 messages in flight.");
    cluster.apply(&CapAction::Write { side: Side::Left, value: 4 });
    run_until(&mut cluster, 61);
    let log: Vec<String> = cluster.events().map(Event::describe).collect();
    assert!(
        log.iter().any(|line| line == "Left write #0 refused: only 2 of the 3 replicas needed answered the version check (R = 3)."),
        "{log:#?}"
    );
}

#[test]
fn every_action_round_trips_through_text() {
    let actions = [
        CapAction::CutLink(0, 4),
        CapAction::HealLink(3, 1),
        CapAction::Partition { left: 2 },
        CapAction::HealAll,
        CapAction::Write { side: Side::Left, value: 0 },
        CapAction::Write { side: Side::Right, value: u32::MAX },
        CapAction::Read { side: Side::Left },
        CapAction::Read { side: Side::Right },
        CapAction::SetMode(Mode::Ap),
        CapAction::SetMode(Mode::Cp),
        CapAction::SetQuorum { read: 1, write: 5 },
        CapAction::SetReplication(Replication::Async),
        CapAction::SetReplication(Replication::Sync),
    ];
    for action in actions {
        let text = CapCluster::encode_action(&action);
        assert!(text.chars().all(|ch| ch.is_ascii_alphanumeric()), "{text} must be URL-safe and free of the timeline's separators");
        assert_eq!(CapCluster::decode_action(&text), Some(action), "{text}");
    }
    assert_eq!(CapCluster::encode_action(&CapAction::Write { side: Side::Right, value: 42 }), "wr42");
    // Out-of-range numbers are capped at one digit and still ignored or clamped the same way.
    assert_eq!(CapCluster::encode_action(&CapAction::CutLink(12, 3)), "c93");
    assert_eq!(CapCluster::decode_action("q90"), Some(CapAction::SetQuorum { read: 9, write: 0 }));
    let (mut direct, mut via_text) = (cluster(&[]), cluster(&[]));
    for action in [CapAction::CutLink(12, 30), CapAction::SetQuorum { read: 40, write: 0 }, CapAction::Partition { left: 77 }] {
        direct.apply(&action);
        via_text.apply(&CapCluster::decode_action(&CapCluster::encode_action(&action)).expect("decodes"));
    }
    assert_eq!(direct, via_text);
}

#[test]
fn malformed_action_text_decodes_to_nothing() {
    for text in [
        "", "c", "c0", "c012", "cab", "c-1", "p", "p12", "p-", "H1", "h", "w", "wl", "wx5", "wl-1", "wl+1", "wl 5", "wl99999999999",
        "wl4294967296", "wlé", "wé1", "rl1", "rx", "r", "m", "mx", "mcc", "q", "q0", "q123", "y", "yz", "é", "cé", "c٣٣", "x", "~", ".",
    ] {
        assert_eq!(CapCluster::decode_action(text), None, "{text:?}");
    }
}

// ---------------------------------------------------------------- timeline contracts

fn scripted_timeline(params: Params) -> Timeline<CapCluster> {
    let mut timeline = Timeline::new(params, 7, 5000);
    let script = [
        (5, CapAction::Write { side: Side::Left, value: 1 }),
        (100, CapAction::Partition { left: 2 }),
        (110, CapAction::Write { side: Side::Left, value: 2 }),
        (111, CapAction::Write { side: Side::Right, value: 3 }),
        (150, CapAction::SetMode(Mode::Ap)),
        (160, CapAction::Write { side: Side::Left, value: 4 }),
        (170, CapAction::Read { side: Side::Right }),
        (260, CapAction::HealAll),
        (300, CapAction::Read { side: Side::Left }),
    ];
    for (tick, action) in script {
        timeline.seek(tick);
        timeline.act(action);
    }
    timeline.seek(400);
    timeline
}

#[test]
fn the_same_params_and_actions_replay_the_same_run() {
    let a = scripted_timeline(Params::defaults(CAP_PARAMS));
    let b = scripted_timeline(Params::defaults(CAP_PARAMS));
    assert_eq!(a.state(), b.state());
    let (actions, skipped) = Timeline::<CapCluster>::decode_actions(&format!("{}~junk~3.zz", a.encode_actions()));
    assert_eq!(skipped, 2);
    let replayed = Timeline::<CapCluster>::replay(Params::defaults(CAP_PARAMS), 7, 5000, actions, 400);
    assert_eq!(replayed.state(), a.state());
    let mut vv = Params::defaults(CAP_PARAMS);
    vv.set_text("reconcile", "vv").expect("valid");
    assert_ne!(scripted_timeline(vv).state(), a.state(), "the parameters matter");
}

#[test]
fn stepping_back_then_forward_returns_to_the_same_state() {
    let mut timeline = scripted_timeline(Params::defaults(CAP_PARAMS));
    let before = timeline.state().clone();
    for _ in 0..290 {
        timeline.step_back();
    }
    assert_eq!(timeline.tick(), 110);
    for _ in 0..290 {
        timeline.step_forward();
    }
    assert_eq!(timeline.state(), &before);
}

// ---------------------------------------------------------------- properties

/// A step of a random run: wait some ticks, then act.
#[derive(Debug, Clone)]
struct Move {
    wait: u64,
    action: CapAction,
}

fn side_strategy() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Left), Just(Side::Right)]
}

/// Network changes and client requests; node ids may exceed the cluster (they must be ignored).
fn network_and_requests() -> impl Strategy<Value = CapAction> {
    prop_oneof![
        2 => (0..MAX_NODES, 0..MAX_NODES).prop_map(|(a, b)| CapAction::CutLink(a, b)),
        1 => (0..MAX_NODES, 0..MAX_NODES).prop_map(|(a, b)| CapAction::HealLink(a, b)),
        1 => (1..MAX_NODES).prop_map(|left| CapAction::Partition { left }),
        1 => Just(CapAction::HealAll),
        4 => (side_strategy(), 0u32..100).prop_map(|(side, value)| CapAction::Write { side, value }),
        4 => side_strategy().prop_map(|side| CapAction::Read { side }),
    ]
}

fn any_action() -> impl Strategy<Value = CapAction> {
    prop_oneof![
        8 => network_and_requests(),
        1 => prop_oneof![Just(Mode::Cp), Just(Mode::Ap)].prop_map(CapAction::SetMode),
        1 => (0usize..7, 0usize..7).prop_map(|(read, write)| CapAction::SetQuorum { read, write }),
        1 => prop_oneof![Just(Replication::Sync), Just(Replication::Async)].prop_map(CapAction::SetReplication),
    ]
}

fn moves(action: impl Strategy<Value = CapAction>, max_wait: u64) -> impl Strategy<Value = Vec<Move>> {
    prop::collection::vec((0..=max_wait, action).prop_map(|(wait, action)| Move { wait, action }), 1..60)
}

/// Overlapping quorums for `nodes`: every `(R, W)` with `R + W > N`.
fn overlapping_quorum() -> impl Strategy<Value = (usize, usize, usize)> {
    (MIN_NODES..=MAX_NODES).prop_flat_map(|nodes| (Just(nodes), 1..=nodes)).prop_flat_map(|(nodes, read)| (Just(nodes), Just(read), (nodes + 1 - read)..=nodes))
}

fn params_for(nodes: usize, read: usize, write: usize, mode: &str, reconcile: &str, latency: u64, skew: i64) -> Params {
    let mut params = Params::defaults(CAP_PARAMS);
    for (key, value) in [
        ("nodes", nodes.to_string()),
        ("r", read.to_string()),
        ("w", write.to_string()),
        ("mode", mode.to_string()),
        ("reconcile", reconcile.to_string()),
        ("latency", latency.to_string()),
        ("skew", skew.to_string()),
    ] {
        params.set_text(key, &value).expect("generated settings are valid");
    }
    params
}

/// Runs the moves, calling `check` after every step and action with the events new since the
/// last call.
fn play(cluster: &mut CapCluster, moves: &[Move], mut check: impl FnMut(&CapCluster, &[Event])) {
    let mut next_event = 0;
    let mut observe = |cluster: &CapCluster| {
        let fresh: Vec<Event> = cluster.events().filter(|event| event.id >= next_event).cloned().collect();
        if let Some(first) = fresh.first() {
            assert_eq!(first.id, next_event, "the check missed events");
        }
        next_event += fresh.len() as u64;
        check(cluster, &fresh);
    };
    for step in moves {
        for _ in 0..step.wait {
            cluster.step();
            observe(cluster);
        }
        cluster.apply(&step.action);
        observe(cluster);
    }
}

/// `newer` is not older than `older` in the system's own order.
fn not_older(newer: &Version, older: &Version, rule: Reconcile) -> bool {
    match rule {
        Reconcile::LastWriterWins => newer.write == older.write || newer.beats(older),
        Reconcile::VersionVectors => newer.vector.covers(&older.vector),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// The issue's test: with R + W > N, a successful CP read never returns a value older than
    /// the last acknowledged write, whatever links are cut and healed. Skew is on to show CP
    /// does not depend on clocks.
    #[test]
    fn cp_quorum_reads_are_never_older_than_the_last_acknowledged_write(
        (nodes, read, write) in overlapping_quorum(),
        vv in any::<bool>(),
        latency in 1u64..30,
        skew in 0i64..500,
        moves in moves(network_and_requests(), 40),
    ) {
        let reconcile = if vv { "vv" } else { "lww" };
        let mut cluster = CapCluster::new(&params_for(nodes, read, write, "cp", reconcile, latency, skew), 0);
        let rule = cluster.reconcile();
        let mut moves = moves;
        moves.push(Move { wait: 10 * latency, action: CapAction::HealAll });
        play(&mut cluster, &moves, |cluster, fresh| {
            for event in fresh {
                let EventKind::ReadAnswered { versions, freshness, latency_ms, .. } = &event.kind else { continue };
                let started_at = event.at - latency_ms;
                assert!(!matches!(freshness, Freshness::Stale { .. }), "the model called a CP read stale: {versions:?}");
                for record in cluster.writes() {
                    let WriteStatus::Acknowledged { at, .. } = record.status else { continue };
                    if at > started_at {
                        continue;
                    }
                    let Some(acknowledged) = record.version else { panic!("acknowledged writes are stamped") };
                    assert!(
                        versions.iter().any(|version| not_older(version, &acknowledged, rule)),
                        "read started at {started_at} returned {versions:?}, older than write #{} acknowledged at {at}",
                        record.id
                    );
                }
            }
        });
        // Versions follow real time: a write issued after another was acknowledged outranks it.
        for later in cluster.writes() {
            let (Some(later_version), WriteStatus::Acknowledged { .. }) = (later.version, later.status) else { continue };
            for earlier in cluster.writes() {
                if let (Some(earlier_version), WriteStatus::Acknowledged { at, .. }) = (earlier.version, earlier.status) {
                    if at <= later.issued_at {
                        prop_assert!(not_older(&later_version, &earlier_version, rule) && later_version.write != earlier_version.write);
                    }
                }
            }
        }
        prop_assert_eq!(cluster.lost_writes().filter(|write| write.lost.is_some_and(|loss| loss.cause == LossCause::ClockSkew)).count(), 0);
    }

    /// In CP, a side without a majority never acknowledges a write (and with R + W > N a side
    /// with a full quorum always can).
    #[test]
    fn cp_minority_side_never_acknowledges_a_write(
        (nodes, read, write) in overlapping_quorum(),
        split in 1usize..MAX_NODES,
        latency in 1u64..30,
        requests in prop::collection::vec((0u64..60, side_strategy(), any::<bool>()), 1..30),
    ) {
        let left = split.min(nodes - 1);
        let mut cluster = CapCluster::new(&params_for(nodes, read, write, "cp", "lww", latency, 0), 0);
        cluster.apply(&CapAction::Partition { left });
        let mut moves: Vec<Move> = requests
            .iter()
            .map(|(wait, side, is_write)| Move { wait: *wait, action: if *is_write { CapAction::Write { side: *side, value: 1 } } else { CapAction::Read { side: *side } } })
            .collect();
        moves.push(Move { wait: 10 * latency, action: CapAction::SetMode(Mode::Cp) });
        play(&mut cluster, &moves, |_, _| {});
        let majority = Quorum::majority(nodes);
        for record in cluster.writes() {
            let size = if record.side == Side::Left { left } else { nodes - left };
            match record.status {
                WriteStatus::Acknowledged { .. } => prop_assert!(size >= majority, "{} side of {size}/{nodes} acknowledged", record.side.name()),
                WriteStatus::Refused { .. } => prop_assert!(size < read || size < write, "a side that can reach R and W refused"),
                WriteStatus::Pending => prop_assert!(false, "still pending after the run"),
            }
        }
    }

    /// Whatever happened, once every link is healed and messages settle, all nodes hold the
    /// same writes: one value under last-writer-wins, the same siblings under version vectors.
    #[test]
    fn after_healing_every_node_converges(
        nodes in MIN_NODES..=MAX_NODES,
        ap in any::<bool>(),
        vv in any::<bool>(),
        latency in 1u64..30,
        skew in 0i64..300,
        moves in moves(any_action(), 40),
    ) {
        let mode = if ap { "ap" } else { "cp" };
        let reconcile = if vv { "vv" } else { "lww" };
        let majority = Quorum::majority(nodes);
        let mut cluster = CapCluster::new(&params_for(nodes, majority, majority, mode, reconcile, latency, skew), 0);
        let mut moves = moves;
        moves.push(Move { wait: 0, action: CapAction::HealAll });
        moves.push(Move { wait: 10 * latency + 1, action: CapAction::SetMode(Mode::Cp) });
        play(&mut cluster, &moves, |_, _| {});
        prop_assert!(cluster.operations().is_empty());
        prop_assert_eq!(cluster.messages().count(), 0);
        prop_assert!(cluster.converged(), "{:?}", cluster.replicas());
        let copy = cluster.replicas()[0].siblings();
        match cluster.reconcile() {
            Reconcile::LastWriterWins => prop_assert!(copy.len() <= 1),
            Reconcile::VersionVectors => {
                for a in copy {
                    for b in copy {
                        prop_assert!(a.write == b.write || a.vector.concurrent_with(&b.vector));
                    }
                }
            }
        }
        if cluster.writes().iter().any(|write| write.version.is_some()) {
            prop_assert!(!copy.is_empty());
        }
    }

    /// Any text from a URL decodes to nothing or to an action that is then applied safely, and
    /// every decoded action encodes back to the same text.
    #[test]
    fn any_action_text_is_harmless(text in "[a-zA-Z0-9~.é-]{0,14}", nodes in MIN_NODES..=MAX_NODES) {
        let mut cluster = CapCluster::new(&params_for(nodes, 2, 2, "ap", "vv", 5, 0), 0);
        if let Some(action) = CapCluster::decode_action(&text) {
            prop_assert_eq!(CapCluster::decode_action(&CapCluster::encode_action(&action)), Some(action));
            cluster.apply(&action);
            run_until(&mut cluster, 100);
        }
    }

    /// A random run replays exactly, and scrubbing back and forth lands on the same states.
    #[test]
    fn random_runs_replay_and_scrub_exactly(moves in moves(any_action(), 30), back in 1u64..200) {
        let mut timeline = Timeline::<CapCluster>::new(Params::defaults(CAP_PARAMS), 3, 10_000);
        for step in &moves {
            timeline.seek(timeline.tick() + step.wait);
            timeline.act(step.action);
        }
        timeline.seek(timeline.tick() + 100);
        let end = timeline.state().clone();
        let (actions, skipped) = Timeline::<CapCluster>::decode_actions(&timeline.encode_actions());
        prop_assert_eq!(skipped, 0);
        let replayed = Timeline::<CapCluster>::replay(Params::defaults(CAP_PARAMS), 3, 10_000, actions, end.tick());
        prop_assert_eq!(replayed.state(), &end);
        let target = end.tick().saturating_sub(back);
        timeline.seek(target);
        prop_assert_eq!(timeline.tick(), target);
        timeline.seek(end.tick());
        prop_assert_eq!(timeline.state(), &end);
    }
}
