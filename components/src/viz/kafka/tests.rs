//! Scenarios worked out by hand (murmur2 against Kafka's own vectors, the range assignor, a
//! leader dying with `acks=1` and with `acks=all`, a lost acknowledgement with and without
//! idempotence, an offline partition, `min.insync.replicas`, rebalances), Kafka's guarantees as
//! proptests over random schedules (checked by an observer that reads the logs itself), and the
//! harness contracts: determinism, replay and URL round trips.

use std::collections::HashSet;

use proptest::prelude::*;

use super::hash::{key_name, murmur2, partition_for};
use super::*;
use crate::sim::query::DEFAULT_SEED;
use crate::sim::{Params, Simulation, Timeline};

fn params(list: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(KAFKA_PARAMS);
    for (key, value) in list {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn kafka(list: &[(&str, &str)], seed: u64) -> Kafka {
    Kafka::new(&params(list), seed)
}

fn run_for(model: &mut Kafka, ticks: u64) {
    for _ in 0..ticks {
        model.step();
    }
}

/// Stops the producers and lets everything in flight settle.
fn settle(model: &mut Kafka) {
    model.apply(&Action::SetRate(0));
    run_for(model, 800);
}

fn leader_log(model: &Kafka, partition: usize) -> &Log {
    model.partitions()[partition].main_log()
}

// ---- Keys, partitions, assignment, logs ---------------------------------------------------------

#[test]
fn murmur2_matches_the_values_kafkas_own_test_pins() {
    // Apache Kafka, clients/src/test/java/org/apache/kafka/common/utils/UtilsTest.java, testMurmur2.
    let cases: [(&[u8], i32); 6] = [(b"21", -973_932_308), (b"foobar", -790_332_482), (b"a-little-bit-long-string", -985_981_536), (b"a-little-bit-longer-string", -1_486_304_829), (b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971), (b"abc", 479_470_107)];
    for (key, expected) in cases {
        assert_eq!(murmur2(key), expected, "{}", String::from_utf8_lossy(key));
    }
    // The sign bit is cleared, not the value negated: -973932308 & 0x7fffffff = 1173551340.
    assert_eq!(partition_for(b"21", 6), 1_173_551_340 % 6);
    assert_eq!(partition_for(b"21", 1), 0);
}

#[test]
fn each_key_always_goes_to_its_partition() {
    // Worked out with an independent murmur2 (checked against the same vectors) for 4 partitions.
    let expected = [2, 3, 3, 3, 1, 2, 0, 3, 2, 0, 3, 0, 1, 3, 3, 1];
    let mut model = kafka(&[], DEFAULT_SEED);
    for key in 0..KEYS as u8 {
        assert_eq!(model.partition_of_key(key), expected[usize::from(key)], "{}", key_name(key));
    }
    run_for(&mut model, 1500);
    for (partition, part) in model.partitions().iter().enumerate() {
        assert!(part.main_log().iter().all(|record| expected[usize::from(record.key)] == partition), "p{partition}");
    }
    assert!(model.partitions().iter().all(|part| part.main_log().len() > 10), "every partition got records");
}

#[test]
fn the_range_assignor_gives_runs_and_the_first_members_one_more() {
    let shares = |partitions, members| (0..members).map(|member| range_assignment(partitions, members, member)).collect::<Vec<_>>();
    assert_eq!(shares(8, 3), [0..3, 3..6, 6..8]);
    assert_eq!(shares(4, 2), [0..2, 2..4]);
    assert_eq!(shares(7, 4), [0..2, 2..4, 4..6, 6..7]);
    assert_eq!(shares(2, 3), [0..1, 1..2, 2..2], "the third member is idle");
    assert_eq!(range_assignment(3, 0, 0), 0..0);
}

#[test]
fn a_log_keeps_offsets_through_pushes_and_truncation() {
    let record = |n: u32| Record { key: 1, producer: 0, n, ..Record::default() };
    let mut log = Log::default();
    for n in 0..200 {
        log.push(record(n));
    }
    assert_eq!(log.len(), 200);
    assert_eq!(log.get(130).map(|r| r.n), Some(130));
    assert_eq!(log.get(200), None);
    let copy = log.clone();
    log.truncate(130);
    assert_eq!((log.len(), log.get(129).map(|r| r.n), log.get(130)), (130, Some(129), None));
    assert_eq!(log.common_prefix(&copy), 130);
    log.push(record(999));
    assert_eq!(log.common_prefix(&copy), 130, "the logs part at offset 130");
    assert_eq!(log.newest_first().next().map(|(offset, r)| (offset, r.n)), Some((130, 999)));
    assert_eq!(log.range(128, 500).iter().map(|r| r.n).collect::<Vec<_>>(), [128, 129, 999]);
    log.truncate(64);
    assert_eq!((log.len(), log.iter().count()), (64, 64));
    log.truncate(0);
    assert!(log.is_empty());
    assert_eq!(copy.len(), 200, "the clone kept its records");
}

// ---- Without faults ---------------------------------------------------------------------------

#[test]
fn without_faults_everything_acknowledged_is_replicated_and_read_once() {
    for seed in 1..=3 {
        let mut model = kafka(&[], seed);
        run_for(&mut model, 2000);
        settle(&mut model);
        let totals = *model.totals();
        assert!(totals.produced > 300, "seed {seed}: {totals:?}");
        assert_eq!((totals.refused, totals.expired, totals.lost, totals.written_twice, totals.reprocessed, totals.order_violations), (0, 0, 0, 0, 0, 0), "seed {seed}");
        assert_eq!(totals.acknowledged, totals.produced, "seed {seed}: every record acknowledged once");
        let mut stored = 0;
        for (index, part) in model.partitions().iter().enumerate() {
            let ends: Vec<u64> = part.logs.iter().map(Log::len).collect();
            assert!(ends.iter().all(|end| *end == part.hw), "seed {seed} p{index}: {ends:?}, hw {}", part.hw);
            assert_eq!(part.isr_size(), 3);
            assert_eq!(model.group().committed[index], part.hw, "seed {seed} p{index}: read and committed to the end");
            assert_eq!(model.lag(index), 0);
            stored += part.hw;
        }
        assert_eq!(stored, totals.produced, "seed {seed}");
        assert_eq!(totals.processed, totals.produced, "seed {seed}");
    }
}

#[test]
fn more_consumers_than_partitions_leaves_some_idle() {
    let model = kafka(&[("partitions", "2"), ("consumers", "3")], 1);
    let owned: Vec<Vec<u8>> = model.consumers().iter().map(|consumer| consumer.owned.iter().map(|owned| owned.partition).collect()).collect();
    assert_eq!(owned, [vec![0], vec![1], vec![]]);
    assert_eq!(model.owner(1), Some(1));
}

#[test]
fn slow_consumers_fall_behind_and_the_lag_grows() {
    // 20 records a second in, 2 consumers at 1 a second out: about 180 behind after 10 s.
    let mut model = kafka(&[("consume", "1")], 2);
    run_for(&mut model, 1000);
    let lag = model.total_lag();
    assert!((110..=250).contains(&lag), "{lag}");
    let (written, read) = model.rates();
    assert!((10.0..=30.0).contains(&written) && read <= 2.5, "{written} {read}");
    // A sample every half second, the last one taken now.
    assert_eq!(model.series().len(), 20);
    assert_eq!(model.series().points(Metric::Lag, 1), [(10.0, lag as f64)]);
    assert_eq!(model.series().points(Metric::Written, 1), [(10.0, written)]);
    // Faster consumers catch up.
    model.apply(&Action::SetSpeed(100));
    run_for(&mut model, 1500);
    assert!(model.total_lag() < 40, "{}", model.total_lag());
}

// ---- A leader dies ----------------------------------------------------------------------------

/// Runs until a record acknowledged this tick is missing from the follower that would take
/// over its partition, then kills that partition's leader. Returns the acknowledged records the
/// future leaders lack (they should be lost) and the acknowledged records they hold.
fn kill_leader_just_after_an_ack(model: &mut Kafka) -> (Vec<Record>, Vec<(usize, Record)>) {
    let mut acked: Vec<(usize, Record)> = Vec::new();
    for _ in 0..3000 {
        model.step();
        acked.extend(model.acknowledged_now().iter().map(|(partition, record)| (usize::from(*partition), *record)));
        let victim = model.acknowledged_now().iter().find_map(|(partition, record)| {
            let part = &model.partitions()[usize::from(*partition)];
            let leader = part.leader?;
            let next = part.replicas.iter().copied().find(|replica| *replica != leader && part.in_sync(*replica))?;
            (!part.log_of(next)?.iter().any(|held| held.same_event(record))).then_some(leader)
        });
        let Some(leader) = victim else { continue };
        // Every partition the victim leads passes to its first in-sync follower.
        let mut lacking = Vec::new();
        let mut held = Vec::new();
        for (partition, record) in &acked {
            let part = &model.partitions()[*partition];
            let next = part.replicas.iter().copied().find(|replica| *replica != leader && part.in_sync(*replica));
            match (part.leader == Some(leader), next.and_then(|next| part.log_of(next))) {
                (true, Some(log)) if !log.iter().any(|r| r.same_event(record)) => lacking.push(*record),
                _ => held.push((*partition, *record)),
            }
        }
        model.apply(&Action::Kill(leader));
        return (lacking, held);
    }
    panic!("no acknowledgement ever ran ahead of replication");
}

#[test]
fn with_acks_1_a_leader_dying_loses_what_only_it_had() {
    let mut model = kafka(&[("acks", "1"), ("rate", "60")], 3);
    let (lacking, held) = kill_leader_just_after_an_ack(&mut model);
    assert!(!lacking.is_empty());
    run_for(&mut model, DETECT_TICKS + 100);
    assert_eq!(model.totals().lost, lacking.len() as u64, "exactly the acknowledged records the new leader lacks");
    for record in &lacking {
        let partition = model.partition_of_key(record.key);
        assert!(!leader_log(&model, partition).iter().any(|r| r.same_event(record)), "{record:?}");
    }
    for (partition, record) in &held {
        assert!(leader_log(&model, *partition).iter().any(|r| r.same_event(record)), "{record:?}");
    }
    assert!(model.narrate().contains("lost") || model.totals().lost > 0);
}

#[test]
fn with_acks_all_and_two_in_sync_copies_a_leader_dying_loses_nothing() {
    for seed in 1..=4 {
        let mut model = kafka(&[("acks", "all"), ("minisr", "2"), ("rate", "60")], seed);
        let mut acked: Vec<(usize, Record)> = Vec::new();
        run_for(&mut model, 400 + seed * 37);
        let victim = model.partitions()[0].leader.unwrap();
        model.apply(&Action::Kill(victim));
        for _ in 0..1500 {
            model.step();
            acked.extend(model.acknowledged_now().iter().map(|(partition, record)| (usize::from(*partition), *record)));
        }
        assert_eq!(model.totals().lost, 0, "seed {seed}");
        assert!(model.partitions().iter().all(|part| part.leader.is_some_and(|leader| leader != victim)));
        for (partition, record) in &acked {
            assert!(leader_log(&model, *partition).iter().any(|r| r.same_write(record)), "seed {seed}: {record:?}");
        }
    }
}

// ---- Retries, duplicates and idempotence --------------------------------------------------------

/// Loses the first acknowledgement on its way and returns its batch's size; then settles.
fn lose_one_ack(model: &mut Kafka) -> u64 {
    loop {
        model.step();
        let Some(message) = model.messages().iter().find(|message| matches!(message.body, Body::Answer { reply: Reply::Ok { .. }, .. })) else { continue };
        let Body::Answer { producer, .. } = message.body else { unreachable!() };
        let batch = model.producers()[usize::from(producer)].lanes[usize::from(message.partition)].batch.as_ref().expect("the batch it answers").records.len();
        model.apply(&Action::LoseAck);
        settle(model);
        return batch as u64;
    }
}

#[test]
fn a_lost_ack_writes_the_batch_twice_without_idempotence() {
    let mut model = kafka(&[("idem", "0")], 4);
    run_for(&mut model, 300);
    let batch = lose_one_ack(&mut model);
    let totals = *model.totals();
    assert_eq!((totals.written_twice, totals.deduplicated, totals.retries), (batch, 0, 1));
    assert_eq!(totals.order_violations, 0, "the copy comes after the original");
    let marked: u64 = model.partitions().iter().map(|part| part.main_log().iter().filter(|record| record.dup).count() as u64).sum();
    assert_eq!(marked, batch);
    let stored: u64 = model.partitions().iter().map(|part| part.hw).sum();
    assert_eq!(stored, totals.produced + batch);
}

#[test]
fn a_lost_ack_is_harmless_with_idempotence() {
    let mut model = kafka(&[("idem", "1")], 4);
    run_for(&mut model, 300);
    let batch = lose_one_ack(&mut model);
    let totals = *model.totals();
    assert_eq!((totals.written_twice, totals.deduplicated, totals.retries), (0, batch, 1));
    let stored: u64 = model.partitions().iter().map(|part| part.hw).sum();
    assert_eq!(stored, totals.produced);
    assert_eq!(totals.acknowledged, totals.produced);
}

#[test]
fn idempotence_needs_acks_all() {
    let mut model = kafka(&[("acks", "1"), ("idem", "1")], 4);
    assert!(!model.settings().idempotent());
    run_for(&mut model, 300);
    let batch = lose_one_ack(&mut model);
    assert_eq!(model.totals().written_twice, batch, "with acks=1 the producer runs without idempotence");
}

#[test]
fn changing_a_producer_setting_starts_new_sessions() {
    let mut model = kafka(&[], 1);
    run_for(&mut model, 100);
    let before: Vec<u32> = model.producers().iter().map(|producer| producer.pid).collect();
    model.apply(&Action::SetAcks(Acks::Leader));
    let after: Vec<u32> = model.producers().iter().map(|producer| producer.pid).collect();
    assert_eq!(before, [0, 1]);
    assert_eq!(after, [2, 3]);
    assert!(model.producers().iter().all(|producer| producer.lanes.iter().all(|lane| lane.batch.is_none())), "unanswered batches wait to be sent again");
    assert!(model.narrate().starts_with("acks=1"), "{}", model.narrate());
    model.apply(&Action::SetMinInsync(3));
    assert_eq!(model.producers()[0].pid, 2, "a topic setting keeps the sessions");
}

// ---- Availability -----------------------------------------------------------------------------

#[test]
fn a_partition_with_no_in_sync_replica_left_goes_offline_until_that_replica_returns() {
    // p0 lives on B1 (leader) and B2.
    let mut model = kafka(&[("rf", "2")], 5);
    run_for(&mut model, 300);
    assert_eq!(model.partitions()[0].replicas, [0, 1]);
    model.apply(&Action::Kill(1));
    run_for(&mut model, DETECT_TICKS + 5);
    assert_eq!(model.partitions()[0].isr, 0b001, "B2 left the in-sync set");
    model.apply(&Action::Kill(0));
    run_for(&mut model, DETECT_TICKS + 5);
    let part = &model.partitions()[0];
    assert_eq!((part.leader, part.isr), (None, 0b001), "offline; B1 stays its last in-sync replica");
    assert!(stage::stage(&model).finish().svg.contains(">offline<"));
    model.apply(&Action::Restart(1));
    run_for(&mut model, 100);
    assert_eq!(model.partitions()[0].leader, None, "B2 was not in sync, so it may not lead");
    model.apply(&Action::Restart(0));
    assert_eq!(model.partitions()[0].leader, Some(0));
    assert!(model.narrate().contains("leads"), "{}", model.narrate());
    run_for(&mut model, 300);
    assert_eq!(model.partitions()[0].isr, 0b011, "B2 caught up and rejoined");
    assert_eq!(model.totals().lost, 0);
}

#[test]
fn a_replica_still_catching_up_does_not_take_over() {
    // p0 lives on B1 (leader) and B2; one in-sync copy is enough to write.
    let mut model = kafka(&[("rf", "2"), ("minisr", "1"), ("rate", "60")], 5);
    run_for(&mut model, 200);
    model.apply(&Action::Kill(1));
    run_for(&mut model, DETECT_TICKS + 200);
    let written_alone = model.partitions()[0].hw;
    model.apply(&Action::Restart(1));
    run_for(&mut model, 2);
    assert!(!model.partitions()[0].in_sync(1) && model.partitions()[0].log_of(1).unwrap().len() < written_alone, "B2 is back but behind");
    model.apply(&Action::Kill(0));
    run_for(&mut model, DETECT_TICKS + 5);
    assert_eq!(model.partitions()[0].leader, None, "offline rather than led by a replica that lacks acknowledged records");
    model.apply(&Action::Restart(0));
    run_for(&mut model, 300);
    assert_eq!(model.partitions()[0].leader, Some(0));
    assert_eq!(model.totals().lost, 0);
    assert!(model.partitions()[0].hw >= written_alone);
}

#[test]
fn acks_all_is_refused_below_min_insync_replicas_and_taken_at_one() {
    let mut model = kafka(&[("minisr", "2")], 6);
    run_for(&mut model, 300);
    model.apply(&Action::Kill(1));
    run_for(&mut model, 10);
    model.apply(&Action::Kill(2));
    run_for(&mut model, DETECT_TICKS + 20);
    // B1 alone: every partition is led by B1 with an in-sync set of one.
    assert!(model.partitions().iter().all(|part| part.leader == Some(0) && part.isr == 0b001));
    let ends: Vec<u64> = model.partitions().iter().map(|part| part.main_log().len()).collect();
    run_for(&mut model, 300);
    assert_eq!(model.partitions().iter().map(|part| part.main_log().len()).collect::<Vec<_>>(), ends, "nothing appended");
    assert!(model.producers().iter().any(|producer| producer.lanes.iter().any(|lane| lane.held() > 5)), "records pile up");
    model.apply(&Action::SetMinInsync(1));
    run_for(&mut model, 100);
    assert!(model.partitions().iter().zip(&ends).all(|(part, end)| part.main_log().len() > *end), "one copy is enough now");
}

// ---- The consumer group -----------------------------------------------------------------------

#[test]
fn a_rebalance_stops_the_group_then_shares_the_partitions_again() {
    let mut model = kafka(&[], 7);
    run_for(&mut model, 500);
    model.apply(&Action::AddConsumer);
    assert!(model.rebalancing());
    assert!(model.consumers().iter().all(|consumer| consumer.owned.is_empty()));
    let committed = model.group().committed.clone();
    run_for(&mut model, REBALANCE_TICKS - 1);
    assert_eq!(model.group().committed, committed, "nothing read while paused");
    run_for(&mut model, 1);
    assert!(!model.rebalancing());
    let owned: Vec<Vec<u8>> = model.consumers().iter().map(|consumer| consumer.owned.iter().map(|owned| owned.partition).collect()).collect();
    assert_eq!(owned, [vec![0, 1], vec![2], vec![3]]);
    assert_eq!(model.consumers()[2].id, 2);
    model.apply(&Action::RemoveConsumer(0));
    run_for(&mut model, REBALANCE_TICKS + 300);
    assert_eq!(model.totals().reprocessed, 0, "a clean leave commits first");
    assert_eq!(model.consumers().iter().map(|consumer| consumer.id).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn a_crashed_consumer_s_uncommitted_work_is_processed_again() {
    let mut model = kafka(&[], 8);
    // Just before a commit, so there is uncommitted work.
    run_for(&mut model, 590);
    let consumer = &model.consumers()[0];
    let uncommitted: u64 = consumer.owned.iter().map(|owned| owned.position() - model.group().committed[usize::from(owned.partition)]).sum();
    assert!(uncommitted > 0);
    model.apply(&Action::CrashConsumer(0));
    assert!(model.narrate().contains(&format!("{uncommitted} record")), "{}", model.narrate());
    run_for(&mut model, REBALANCE_TICKS + 400);
    assert_eq!(model.totals().reprocessed, uncommitted);
    assert_eq!(model.totals().order_violations, 0);
}

// ---- Guarantees over random schedules ---------------------------------------------------------

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (0u8..5).prop_map(Action::Kill),
        (0u8..5).prop_map(Action::Restart),
        Just(Action::AddConsumer),
        (0u8..8).prop_map(Action::RemoveConsumer),
        (0u8..8).prop_map(Action::CrashConsumer),
        Just(Action::LoseAck),
        prop_oneof![Just(Acks::Zero), Just(Acks::Leader), Just(Acks::All)].prop_map(Action::SetAcks),
        (1u8..=3).prop_map(Action::SetMinInsync),
        any::<bool>().prop_map(Action::SetIdempotence),
        (0u32..=100).prop_map(Action::SetRate),
        (1u32..=100).prop_map(Action::SetSpeed),
    ]
}

#[test]
fn the_producer_and_consumer_settings_are_live_controls() {
    use crate::sim::Value;
    let defaults = Params::defaults(KAFKA_PARAMS);
    let model = Kafka::new(&defaults, DEFAULT_SEED);
    for spec in KAFKA_PARAMS {
        let shown = model.settings().value(spec.key);
        if ["brokers", "partitions", "rf", "consumers"].contains(&spec.key) {
            assert_eq!((shown, Action::from_param(spec.key, spec.default)), (None, None), "{} shapes the cluster: a new run", spec.key);
        } else {
            // A live control shows the parameter's own value, and sending it back is an action.
            assert_eq!(shown, Some(spec.default), "{}", spec.key);
            assert!(Action::from_param(spec.key, spec.default).is_some(), "{}", spec.key);
        }
    }
    assert_eq!(Action::from_param("acks", Value::Choice("1")), Some(Action::SetAcks(Acks::Leader)));
    assert_eq!(Action::from_param("acks", Value::Choice("2")), None);
    assert_eq!(Action::from_param("rate", Value::Int(5_000)), Some(Action::SetRate(100)), "clamped to the parameter's range");
    assert_eq!(Action::from_param("consume", Value::Int(-3)), Some(Action::SetSpeed(1)));
    assert_eq!(Action::from_param("minisr", Value::Int(0)), Some(Action::SetMinInsync(1)));
    assert_eq!(Action::from_param("idem", Value::Int(1)), None, "a value of the wrong kind");
    let mut changed = model.clone();
    changed.apply(&Action::SetAcks(Acks::Zero));
    assert_eq!(changed.settings().value("acks"), Some(Value::Choice("0")));
}

#[test]
fn garbage_actions_are_refused() {
    for text in ["", "k", "k5", "k01", "k-1", "K1", "r9", "a1", "x0", "A2", "Ab", "m0", "m4", "i2", "p101", "p007", "s0", "s101", "l8", "c99", "q", "é", "k١"] {
        assert_eq!(Action::decode(text), None, "{text:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn actions_round_trip_through_their_text(action in any_action()) {
        let text = action.encode();
        prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "URL-safe: {}", text);
        prop_assert_eq!(Action::decode(&text), Some(action));
    }

    #[test]
    fn decoding_anything_is_safe_and_canonical(text in "\\PC{0,6}|[krlcmpsAix][0-9a]{0,4}") {
        if let Some(action) = Action::decode(&text) {
            prop_assert_eq!(action.encode(), text);
        }
    }
}

/// Reads the run itself and checks Kafka's guarantees.
#[derive(Default)]
struct Observer {
    /// Per partition, one past the highest offset seen processed.
    read_to: Vec<u64>,
}

impl Observer {
    /// Per-key order in every replica's log: the first copy of each record of a key from a
    /// producer comes after the first copies of the earlier ones.
    fn check_logs(model: &Kafka) -> Result<(), String> {
        for (index, part) in model.partitions().iter().enumerate() {
            for (at, log) in part.logs.iter().enumerate() {
                let mut highest = [0u32; PRODUCERS * KEYS];
                let mut seen = HashSet::new();
                for (offset, record) in log.iter().enumerate() {
                    let slot = usize::from(record.producer) * KEYS + usize::from(record.key);
                    let first = seen.insert((record.producer, record.key, record.n));
                    if first && record.n < highest[slot] {
                        return Err(format!("p{index} replica {at}: {record:?} at {offset} comes after record {} of its key", highest[slot]));
                    }
                    highest[slot] = highest[slot].max(record.n);
                }
            }
        }
        Ok(())
    }

    /// Every tick: consumption follows the log (what is processed at an offset is the log's
    /// record there, and first readings go offset by offset), a partition has at most one
    /// reader, and no committed offset passes the high-water mark.
    fn check_tick(&mut self, model: &Kafka) -> Result<(), String> {
        let at = model.tick();
        self.read_to.resize(model.partitions().len(), 0);
        let mut readers = vec![0; model.partitions().len()];
        for consumer in model.consumers() {
            for owned in &consumer.owned {
                readers[usize::from(owned.partition)] += 1;
            }
            let Some(done) = consumer.last.filter(|done| done.tick == at) else { continue };
            let partition = usize::from(done.partition);
            let held = model.partitions()[partition].main_log().get(done.offset).copied();
            if held != Some(done.record) {
                return Err(format!("tick {at}: {} processed {:?} at p{partition}:{}, where the log has {held:?}", consumer_name(consumer.id), done.record, done.offset));
            }
            if done.offset > self.read_to[partition] {
                return Err(format!("tick {at}: p{partition} read at {} before {}", done.offset, self.read_to[partition]));
            }
            self.read_to[partition] = self.read_to[partition].max(done.offset + 1);
        }
        if let Some(partition) = readers.iter().position(|count| *count > 1) {
            return Err(format!("tick {at}: p{partition} has {} readers", readers[partition]));
        }
        for (partition, part) in model.partitions().iter().enumerate() {
            if model.group().committed[partition] > part.hw {
                return Err(format!("tick {at}: p{partition} committed {} past the high-water mark {}", model.group().committed[partition], part.hw));
            }
        }
        if model.totals().order_violations > 0 {
            return Err(format!("tick {at}: the model counted {} order violations", model.totals().order_violations));
        }
        Ok(())
    }
}

/// Runs `schedule` (each action after its tick's step, as the timeline does), checking after
/// every step (before that tick's actions, so a consumer's last record is seen before it can
/// leave) and the logs every 50 ticks; `extra` checks more after every step.
fn run_checked(model: &mut Kafka, schedule: &[(u64, Action)], ticks: u64, mut extra: impl FnMut(&Kafka) -> Result<(), String>) -> Result<(), String> {
    let mut observer = Observer::default();
    for tick in 1..=ticks {
        model.step();
        observer.check_tick(model)?;
        extra(model)?;
        for (_, action) in schedule.iter().filter(|(at, _)| *at == tick) {
            model.apply(action);
        }
        if tick % 50 == 0 {
            Observer::check_logs(model)?;
        }
    }
    Observer::check_logs(model)
}

fn schedule(ticks: u64, most: usize) -> impl Strategy<Value = Vec<(u64, Action)>> {
    proptest::collection::vec((1..ticks, any_action()), 0..most).prop_map(|mut list| {
        list.sort_by_key(|(at, _)| *at);
        list
    })
}

/// Broker failures one at a time: after a gap a broker dies, and after a while comes back;
/// gaps are often short, so a broker dies while the last one back is still catching up. Mixed
/// with consumer changes and lost acknowledgements, never a setting change.
fn one_broker_down_at_a_time(ticks: u64) -> impl Strategy<Value = Vec<(u64, Action)>> {
    let failures = proptest::collection::vec((prop_oneof![1u64..20, 20u64..300], 0u8..3, 1u64..200), 1..10);
    let others = proptest::collection::vec((1..ticks, prop_oneof![Just(Action::AddConsumer), (0u8..4).prop_map(Action::CrashConsumer), (0u8..4).prop_map(Action::RemoveConsumer), Just(Action::LoseAck)]), 0..10);
    (failures, others).prop_map(move |(failures, others)| {
        let mut list = others;
        let mut at = 0;
        for (gap, broker, down) in failures {
            at += gap;
            list.push((at, Action::Kill(broker)));
            at += down;
            list.push((at, Action::Restart(broker)));
        }
        list.retain(|(tick, _)| *tick < ticks);
        list.sort_by_key(|(tick, _)| *tick);
        list
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 20, ..ProptestConfig::default() })]

    /// Any parameters, any faults and setting changes: no panic, per-key order kept in every
    /// log and in what the consumers process, at most one reader per partition, committed
    /// offsets never past the high-water mark.
    #[test]
    fn order_and_ownership_hold_under_any_schedule(
        brokers in 3usize..=5,
        partitions in 1usize..=8,
        rf in 1usize..=3,
        consumers in 1usize..=8,
        rate in 0u32..=100,
        speed in 1u32..=100,
        seed in any::<u64>(),
        faults in schedule(2000, 40),
    ) {
        let settings = [("brokers", brokers.to_string()), ("partitions", partitions.to_string()), ("rf", rf.to_string()), ("consumers", consumers.to_string()), ("rate", rate.to_string()), ("consume", speed.to_string())];
        let list: Vec<(&str, &str)> = settings.iter().map(|(key, value)| (*key, value.as_str())).collect();
        let mut model = kafka(&list, seed);
        if let Err(problem) = run_checked(&mut model, &faults, 2000, |_| Ok(())) {
            prop_assert!(false, "{problem}\nsettings {settings:?}, seed {seed}, faults {faults:?}");
        }
    }

    /// acks=all, min.insync.replicas = 2, two or three copies, one broker down at a time:
    /// every acknowledged record stays in its partition's log, and none is counted lost. And
    /// with idempotence on, no log holds a (producer id, sequence) twice.
    #[test]
    fn acknowledged_writes_survive_one_broker_at_a_time(
        rf in 2usize..=3,
        idempotent in any::<bool>(),
        rate in 10u32..=100,
        seed in any::<u64>(),
        faults in one_broker_down_at_a_time(2500),
    ) {
        let settings = [("rf", rf.to_string()), ("minisr", "2".to_string()), ("acks", "all".to_string()), ("idem", u8::from(idempotent).to_string()), ("rate", rate.to_string())];
        let list: Vec<(&str, &str)> = settings.iter().map(|(key, value)| (*key, value.as_str())).collect();
        let mut model = kafka(&list, seed);
        let mut acknowledged: Vec<(usize, Record)> = Vec::new();
        let result = run_checked(&mut model, &faults, 2500, |model| {
            acknowledged.extend(model.acknowledged_now().iter().map(|(partition, record)| (usize::from(*partition), *record)));
            if model.tick() % 50 != 0 {
                return Ok(());
            }
            let held: Vec<HashSet<(u8, u8, u32, u32, u32, u16)>> = model.partitions().iter().map(|part| part.main_log().iter().map(|r| (r.producer, r.key, r.n, r.pid, r.seq, r.epoch)).collect()).collect();
            for (partition, r) in &acknowledged {
                if !model.partitions()[*partition].offline() && !held[*partition].contains(&(r.producer, r.key, r.n, r.pid, r.seq, r.epoch)) {
                    return Err(format!("tick {}: acknowledged {r:?} is not in p{partition}'s log", model.tick()));
                }
            }
            if idempotent {
                for (index, part) in model.partitions().iter().enumerate() {
                    for log in &part.logs {
                        let mut writes = HashSet::new();
                        if let Some(twice) = log.iter().find(|record| !writes.insert((record.pid, record.seq))) {
                            return Err(format!("tick {}: p{index} holds producer id {} sequence {} twice", model.tick(), twice.pid, twice.seq));
                        }
                    }
                }
            }
            if model.totals().lost > 0 {
                return Err(format!("tick {}: {} counted lost", model.tick(), model.totals().lost));
            }
            Ok(())
        });
        if let Err(problem) = result {
            prop_assert!(false, "{problem}\nsettings {settings:?}, seed {seed}, faults {faults:?}");
        }
    }
}

// ---- Determinism and replay ---------------------------------------------------------------------

#[test]
fn a_seed_replays_the_same_run_and_a_link_rebuilds_it() {
    let faults = [(200, Action::Kill(1)), (400, Action::LoseAck), (600, Action::CrashConsumer(0)), (700, Action::Restart(1)), (800, Action::SetAcks(Acks::Leader)), (900, Action::AddConsumer), (1000, Action::SetRate(70))];
    let mut timeline = Timeline::<Kafka>::new(params(&[]), 9, KAFKA_LIMIT);
    for (at, action) in faults {
        timeline.seek(at);
        timeline.act(action);
    }
    timeline.seek(1500);
    let (actions, skipped) = Timeline::<Kafka>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    assert_eq!(actions, faults.to_vec());
    let replayed = Timeline::<Kafka>::replay(params(&[]), 9, KAFKA_LIMIT, actions, 1500);
    assert_eq!(replayed.state(), timeline.state());
    timeline.seek(555);
    let again = Timeline::<Kafka>::replay(params(&[]), 9, KAFKA_LIMIT, faults.to_vec(), 555);
    assert_eq!(again.state(), timeline.state(), "scrubbing back lands on the same state");
    let other = Timeline::<Kafka>::replay(params(&[]), 10, KAFKA_LIMIT, faults.to_vec(), 555);
    assert_ne!(other.state(), timeline.state(), "another seed is another run");
}

#[test]
fn wrong_parameters_fall_back_and_actions_naming_nothing_are_ignored() {
    let foreign = Params::defaults(crate::viz::cap::CAP_PARAMS);
    let model = Kafka::new(&foreign, 1);
    assert_eq!(model.config(), &Config::from_params(&Params::defaults(KAFKA_PARAMS)));
    assert_eq!((model.brokers().len(), model.partitions().len(), model.consumers().len()), (3, 4, 2));
    let mut model = kafka(&[("brokers", "3")], 1);
    let before = model.clone();
    for action in [Action::Kill(4), Action::Restart(0), Action::RemoveConsumer(7), Action::CrashConsumer(2)] {
        model.apply(&action);
        assert!(model.narrate().starts_with("Nothing happened"), "{action:?}: {}", model.narrate());
    }
    assert_eq!((model.brokers(), model.partitions(), model.consumers()), (before.brokers(), before.partitions(), before.consumers()));
}

#[test]
fn the_narration_tells_events_then_the_state() {
    let mut model = kafka(&[], DEFAULT_SEED);
    assert!(model.narrate().starts_with("3 brokers hold a topic of 4 partitions, each copied 3 times"), "{}", model.narrate());
    run_for(&mut model, 400);
    assert!(model.narrate().ends_with(&format!("lag {}.", model.total_lag())), "{}", model.narrate());
    model.apply(&Action::Kill(2));
    assert!(model.narrate().starts_with("B3 died."), "{}", model.narrate());
    run_for(&mut model, DETECT_TICKS);
    assert!(model.narrate().starts_with("The controller noticed B3 is gone"), "{}", model.narrate());
    let stats = model.stats();
    assert_eq!(stats[8], ("Per-key order violations", "0".to_string()));
}
