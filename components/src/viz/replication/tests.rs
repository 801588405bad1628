//! Scenarios worked out by hand (timings of each mode, each anomaly and its guarantee, losses at
//! failover), the invariants as proptests over random schedules (checked by an observer that
//! keeps its own record of the run), and the harness contracts: determinism, replay, URL round
//! trips, defensive parameters.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;

use super::*;
use crate::sim::query::DEFAULT_SEED;
use crate::sim::{Params, Simulation, Timeline};

fn params(list: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(REPLICATION_PARAMS);
    for (key, value) in list {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn model(list: &[(&str, &str)], seed: u64) -> Replication {
    Replication::new(&params(list), seed)
}

/// No traffic but what the test sends.
fn quiet(list: &[(&str, &str)], seed: u64) -> Replication {
    let mut all = vec![("writes", "0"), ("reads", "0")];
    all.extend_from_slice(list);
    model(&all, seed)
}

fn run_to(model: &mut Replication, tick: u64) {
    while model.tick() < tick {
        model.step();
    }
}

/// Steps until `done` holds, at most `limit` ticks; returns the tick it first held.
fn until(model: &mut Replication, limit: u64, done: impl Fn(&Replication) -> bool) -> Option<u64> {
    while model.tick() < limit {
        model.step();
        if done(model) {
            return Some(model.tick());
        }
    }
    None
}

/// The bucket bound a latency of `ms` is reported as.
fn bucket(ms: u64) -> u32 {
    *LatencyBuckets::BOUNDS_MS.iter().find(|bound| u64::from(**bound) >= ms).unwrap()
}

/// The ticks at which a follower can apply an entry the leader appended at `at`.
fn apply_window(model: &Replication, node: usize, at: u64) -> std::ops::RangeInclusive<u64> {
    let mean = model.nodes()[node].mean_delay_ms(model.settings().lag_ms);
    at + (mean * (1.0 - JITTER)).round() as u64..=at + (mean * (1.0 + JITTER)).round() as u64
}

// ---- Timings of the three modes -----------------------------------------------------------------

#[test]
fn an_async_post_is_acknowledged_after_two_hops_and_each_follower_applies_it_at_its_own_pace() {
    for seed in 1..=10 {
        let mut model = quiet(&[("lag", "200"), ("slow", "1")], seed);
        model.apply(&Action::Post(0));
        run_to(&mut model, 29);
        assert_eq!(model.log_len(), 0, "seed {seed}: still on its way to the leader");
        model.step();
        assert_eq!(model.log_len(), 1, "seed {seed}: the leader appends it at 30 ms");
        assert_eq!(model.entry(1).map(|entry| entry.kind), Some(Kind::Question), "the first post opens a question");
        run_to(&mut model, 59);
        assert_eq!(model.sessions()[0].own_question, 0, "seed {seed}: the OK is on its way back");
        model.step();
        assert_eq!(model.sessions()[0].own_question, 1, "seed {seed}: Alice hears OK at 60 ms");
        assert_eq!(model.latencies(Mode::Async).percentile(0.5), Some(60));
        let mut applied = [None; 2];
        while applied.iter().any(Option::is_none) {
            model.step();
            for (index, node) in [1, 2].into_iter().enumerate() {
                if applied[index].is_none() && model.nodes()[node].len == 1 {
                    applied[index] = Some(model.tick());
                }
            }
            assert!(model.tick() < 1000, "seed {seed}");
        }
        let applied = applied.map(Option::unwrap);
        for (index, node) in [1, 2].into_iter().enumerate() {
            assert!(apply_window(&model, node, 30).contains(&applied[index]), "seed {seed}: db{} applied at {}", node + 1, applied[index]);
        }
        // The comparison: the first acknowledgement reaches the leader ACK_MS after the first
        // apply, the OK the user NET_MS later; the last follower sets the synchronous time.
        run_to(&mut model, applied[0].max(applied[1]) + ACK_MS);
        let first = applied[0].min(applied[1]) + ACK_MS + NET_MS;
        let last = applied[0].max(applied[1]) + ACK_MS + NET_MS;
        assert_eq!(model.latencies(Mode::Semi).percentile(0.5), Some(bucket(first)), "seed {seed}");
        assert_eq!(model.latencies(Mode::Sync).percentile(0.5), Some(bucket(last)), "seed {seed}");
    }
}

#[test]
fn semi_sync_waits_for_the_fastest_follower_and_sync_for_the_slowest() {
    for (mode, key) in [(Mode::Semi, "semi"), (Mode::Sync, "sync")] {
        let mut model = quiet(&[("lag", "200"), ("slow", "5"), ("mode", key)], 3);
        model.apply(&Action::Post(1));
        let applied = |model: &mut Replication, node: usize| until(model, 5000, |model| model.nodes()[node].len == 1).unwrap();
        let mut probe = model.clone();
        let fast = applied(&mut probe, 1);
        let mut probe = model.clone();
        let slow = applied(&mut probe, 2);
        assert!(fast < slow, "db3 is five times slower");
        let heard = until(&mut model, 5000, |model| model.sessions()[1].own_question == 1).expect("an OK");
        let expected = if mode == Mode::Semi { fast } else { slow } + ACK_MS + NET_MS;
        assert_eq!(heard, expected, "{key}");
        assert_eq!(model.counts().acknowledged, 1);
    }
}

#[test]
fn with_no_follower_left_every_mode_acknowledges_at_once() {
    let mut model = quiet(&[("followers", "1"), ("mode", "sync")], 2);
    model.apply(&Action::Remove(1));
    model.apply(&Action::Post(0));
    assert_eq!(until(&mut model, 500, |model| model.sessions()[0].own_question == 1), Some(60));
}

// ---- Anomalies and their guarantees -------------------------------------------------------------

#[test]
fn a_reload_right_after_an_async_post_misses_it_until_read_your_writes_is_on() {
    // Appended at 30 ms, OK back at 60, the reload reaches the follower at 90, when the
    // follower (at least 0.8 × 500 × 0.6 = 240 ms behind) has nothing yet.
    let mut model = quiet(&[("followers", "1"), ("lag", "500"), ("slow", "1")], 4);
    model.apply(&Action::Post(0));
    run_to(&mut model, 89);
    assert_eq!(model.reads().len(), 1, "the reload is on its way");
    assert_eq!(model.reads()[0].targets, [1, 1], "to the only follower");
    model.step();
    assert_eq!(model.counts().stale, [1, 0, 0]);
    assert_eq!(model.narrate(), "Alice read from db2, which is 60 ms behind: her question is missing.");
    let stale_replies = model.trips().iter().filter(|trip| trip.kind == TripKind::Reply { stale: true }).count();
    assert_eq!(stale_replies, 1, "the questions half comes back stale, the (empty) answers half fine");

    let mut fixed = quiet(&[("followers", "1"), ("lag", "500"), ("slow", "1"), ("ryw", "1")], 4);
    fixed.apply(&Action::Post(0));
    run_to(&mut fixed, 90);
    assert_eq!(fixed.counts().stale, [0, 0, 0]);
    assert_eq!(fixed.counts().reads_from_leader, 1, "the follower lacks the post, so the leader serves");
    assert!(fixed.trips().iter().all(|trip| trip.kind == TripKind::Reply { stale: false } && trip.node == 0));
    // Once the follower has it, the router sends Alice there again.
    until(&mut fixed, 5000, |model| model.nodes()[1].len == 1).unwrap();
    fixed.apply(&Action::Read(0));
    assert_eq!(fixed.reads().last().map(|read| read.targets), Some([1, 1]));
}

/// A cluster where db2 has everything and db3 (twenty times slower) nothing: Bob's question,
/// then Carol's answer.
fn split_views(list: &[(&str, &str)]) -> Replication {
    let mut all = vec![("lag", "100"), ("slow", "20")];
    all.extend_from_slice(list);
    let mut model = quiet(&all, 6);
    model.apply(&Action::Post(1));
    until(&mut model, 2000, |model| model.nodes()[1].len == 1).unwrap();
    model.apply(&Action::Post(2));
    until(&mut model, 2000, |model| model.nodes()[1].len == 2).unwrap();
    assert_eq!(model.nodes()[2].len, 0, "db3 is at least 0.8 × 100 × 0.6 × 20 = 960 ms behind");
    assert_eq!(model.entry(2).map(|entry| (entry.kind, entry.cause)), Some((Kind::Answer, 1)));
    model
}

/// Dan loads the page every 50 ms until db3 catches up; returns the narrations of stale loads.
fn dan_reads(model: &mut Replication) -> Vec<String> {
    let mut said = Vec::new();
    while model.nodes()[2].len < 2 {
        model.apply(&Action::Read(3));
        let before = model.counts().stale_total();
        for _ in 0..50 {
            model.step();
            if model.counts().stale_total() > before && said.last() != Some(&model.narrate()) {
                said.push(model.narrate());
            }
        }
    }
    said
}

#[test]
fn pages_from_two_followers_go_back_in_time_until_monotonic_reads_is_on() {
    let mut model = split_views(&[]);
    let said = dan_reads(&mut model);
    assert!(model.counts().stale[1] > 0, "some page after one from db2 came from db3: {said:?}");
    assert!(said.iter().any(|line| line.starts_with("Dan read from db3, which is ") && line.contains("he saw before")), "{said:?}");
    let mut fixed = split_views(&[("mono", "1")]);
    dan_reads(&mut fixed);
    assert_eq!(fixed.counts().stale[1], 0);
}

#[test]
fn an_answer_shows_without_its_question_until_consistent_prefix_is_on() {
    let mut model = split_views(&[]);
    let said = dan_reads(&mut model);
    assert!(model.counts().stale[2] > 0, "{said:?}");
    let expected = "Dan got the answers from db2 and the questions from db3, which is behind: he sees Carol's answer to a question that is not there.";
    assert!(said.iter().any(|line| line == expected), "{said:?}");
    let mut fixed = split_views(&[("prefix", "1")]);
    dan_reads(&mut fixed);
    assert_eq!(fixed.counts().stale[2], 0);
    assert!(fixed.reads().iter().all(|read| read.targets[0] == read.targets[1]));
}

// ---- Failover -----------------------------------------------------------------------------------

/// Three posts at tick 0 to a leader whose only follower is at least 960 ms behind.
fn three_posts(mode: &str) -> Replication {
    let mut model = quiet(&[("followers", "1"), ("lag", "2000"), ("slow", "1"), ("mode", mode)], 8);
    for user in 0..3 {
        model.apply(&Action::Post(user));
    }
    run_to(&mut model, 100);
    model
}

#[test]
fn an_async_failover_loses_the_acknowledged_writes_the_follower_never_got() {
    let mut model = three_posts("async");
    assert_eq!((model.counts().acknowledged, model.log_len(), model.nodes()[1].len), (3, 3, 0));
    model.apply(&Action::Fail(None));
    assert_eq!(model.leader(), 1);
    assert_eq!(model.epoch(), 2);
    assert_eq!(model.counts().lost_acknowledged, [3, 0, 0]);
    assert_eq!((model.counts().lost_unacknowledged, model.counts().unanswered), (0, 0));
    assert_eq!(model.log_len(), 0, "the new leader's log is the follower's: empty");
    assert_eq!((model.nodes()[0].role, model.nodes()[0].extra), (Role::Down, 3));
    assert_eq!(model.narrate(), "db1 died. db2, the most up-to-date follower, now leads (epoch 2). 3 acknowledged writes the clients were told were saved never reached it: lost for good.");
    assert!(model.sessions().iter().all(|session| *session == Session::default()), "nothing the users saw or wrote survives");
    // The old leader comes back empty-handed and follows.
    model.apply(&Action::Rejoin(0));
    assert_eq!((model.nodes()[0].role, model.nodes()[0].extra, model.counts().discarded), (Role::Follower, 0, 3));
    assert!(model.narrate().starts_with("db1 is back as a follower: the 3 writes only it had are thrown away"), "{}", model.narrate());
    model.apply(&Action::Post(3));
    run_to(&mut model, 130);
    assert_eq!(model.entry(1).map(|entry| entry.user), Some(3), "Dan's post is entry 1 of the new log");
    until(&mut model, 10_000, |model| model.nodes()[0].len == 1).expect("db1 follows db2 now");
}

#[test]
fn a_sync_failover_loses_nothing_it_acknowledged() {
    let mut model = three_posts("sync");
    assert_eq!(model.counts().acknowledged, 0, "sync waits for the follower");
    model.apply(&Action::Fail(None));
    assert_eq!(model.counts().lost_acknowledged, [0, 0, 0]);
    assert_eq!((model.counts().lost_unacknowledged, model.counts().unanswered), (3, 3));
    assert!(model.narrate().contains("It has every acknowledged write; 3 writes no client was told about are lost. 3 writes waiting for their OK never get one."), "{}", model.narrate());

    let mut patient = three_posts("sync");
    until(&mut patient, 10_000, |model| model.counts().acknowledged == 3).expect("all three acknowledged");
    patient.apply(&Action::Fail(None));
    assert_eq!((patient.counts().lost_acknowledged, patient.counts().lost_unacknowledged), ([0, 0, 0], 0));
    assert_eq!(patient.log_len(), 3);
    assert!(patient.narrate().contains("It had every write: nothing is lost."), "{}", patient.narrate());
}

#[test]
fn semi_sync_is_safe_only_if_the_follower_that_has_the_write_is_promoted() {
    let acknowledged = || {
        let mut model = quiet(&[("lag", "100"), ("slow", "20"), ("mode", "semi")], 5);
        model.apply(&Action::Post(0));
        until(&mut model, 2000, |model| model.counts().acknowledged == 1).expect("db2 acknowledges");
        assert_eq!((model.nodes()[1].len, model.nodes()[2].len), (1, 0));
        model
    };
    let mut best = acknowledged();
    best.apply(&Action::Fail(None));
    assert_eq!((best.leader(), best.counts().lost_acknowledged), (1, [0, 0, 0]));
    let mut wrong = acknowledged();
    wrong.apply(&Action::Fail(Some(2)));
    assert_eq!((wrong.leader(), wrong.counts().lost_acknowledged), (2, [0, 1, 0]));
    assert_eq!(wrong.counts().discarded, 1, "db2 was ahead of db3 and throws the post away");
    assert!(wrong.narrate().contains("db3, chosen by hand, now leads"), "{}", wrong.narrate());
}

#[test]
fn posts_on_their_way_to_a_dead_leader_are_refused() {
    let mut model = quiet(&[], 1);
    model.apply(&Action::Post(2));
    run_to(&mut model, 10);
    model.apply(&Action::Fail(None));
    run_to(&mut model, 30);
    assert_eq!((model.counts().refused, model.log_len()), (1, 0));
    assert_eq!(model.trips().iter().map(|trip| (trip.kind, trip.node)).collect::<Vec<_>>(), vec![(TripKind::Refused { read: false }, 0)]);
    // New posts go to the new leader.
    model.apply(&Action::Post(2));
    assert_eq!(model.trips().last().map(|trip| trip.node), Some(model.leader() as u8));
}

#[test]
fn actions_the_cluster_cannot_do_are_ignored() {
    let mut model = quiet(&[("followers", "1")], 2);
    run_to(&mut model, 10);
    for action in [Action::Fail(Some(0)), Action::Fail(Some(3)), Action::Rejoin(1), Action::Remove(0), Action::Speed(4, 2), Action::Remove(4)] {
        let before = model.clone();
        model.apply(&action);
        assert_eq!(model.nodes(), before.nodes(), "{action:?}");
        assert!(model.narrate().starts_with("Nothing happened"), "{action:?}: {}", model.narrate());
    }
    model.apply(&Action::Fail(None));
    model.apply(&Action::Fail(None));
    assert_eq!(model.narrate(), "Nothing happened: there is no follower to promote.");
    for _ in 0..4 {
        model.apply(&Action::Add);
    }
    assert_eq!(model.nodes().iter().filter(|node| node.role == Role::Follower).count(), 3, "db1 is dead, db2 leads: three slots were free");
    model.apply(&Action::Add);
    assert_eq!(model.narrate(), "Nothing happened: the cluster already has five nodes.");
}

// ---- Live settings ------------------------------------------------------------------------------

#[test]
fn every_setting_acts_on_the_running_cluster() {
    let mut model = model(&[], DEFAULT_SEED);
    run_to(&mut model, 3000);
    model.apply(&Action::Writes(0));
    model.apply(&Action::Reads(0));
    assert_eq!(model.narrate(), "Users now load the page 0 times a second, besides each reload after a post.");
    let posts = model.counts().writes;
    run_to(&mut model, 6000);
    assert_eq!(model.counts().writes, posts, "no new posts at a rate of 0");
    model.apply(&Action::Lag(2000));
    model.apply(&Action::Speed(1, 3));
    model.apply(&Action::Post(0));
    run_to(&mut model, 6030);
    let ship = model.ships().iter().find(|ship| ship.to == 1).copied().expect("a shipment to db2");
    let mean = 2000.0 * f64::from(model.nodes()[1].pace) / 1000.0 * 3.0;
    let delay = (ship.arrives - ship.sent) as f64;
    assert!((mean * 0.8 - 1.0..=mean * 1.2 + 1.0).contains(&delay), "{delay} for a mean of {mean}");
    model.apply(&Action::Mode(Mode::Sync));
    assert_eq!(model.settings().mode, Mode::Sync);
    assert_eq!(model.narrate(), "Now synchronous: the leader says OK only once every follower has the post.");
    model.apply(&Action::Set(Guarantee::Monotonic, true));
    assert!(model.settings().guarantees.monotonic);
    model.apply(&Action::Writes(250));
    assert_eq!(model.settings().write_tenths, MAX_WRITE_TENTHS, "clamped");
    assert_eq!(model.narrate(), "Users now post 10 times a second.");
}

#[test]
fn the_narration_tells_the_start_then_news_then_a_summary() {
    let mut model = model(&[], DEFAULT_SEED);
    assert_eq!(
        model.narrate(),
        "Alice, Bob, Carol and Dan post questions and answers to one thread. Each post goes to the leader, db1, and reaches its followers db2 and db3 about 150 ms later; page loads go to the followers. The leader says OK as soon as the post is in its own log (asynchronous)."
    );
    model.apply(&Action::Set(Guarantee::Prefix, true));
    run_to(&mut model, 5);
    assert!(model.narrate().starts_with("Consistent prefix on"), "{}", model.narrate());
    let mut quiet = quiet(&[], DEFAULT_SEED);
    run_to(&mut quiet, 1000);
    assert_eq!(quiet.narrate(), "1.0 s, asynchronous: 0 writes acknowledged; stale page loads: 0 missing the user's own post, 0 gone back, 0 out of order. db2 is 0 ms behind.");
}

// ---- Bounded state ------------------------------------------------------------------------------

#[test]
fn a_busy_minute_keeps_only_what_some_node_lacks() {
    let mut model = model(&[("followers", "4"), ("writes", "10"), ("reads", "20"), ("mode", "sync")], 3);
    let mut widest = 0;
    while model.tick() < REPLICATION_LIMIT {
        model.step();
        widest = widest.max(model.log_len() - model.log_base());
    }
    // The slowest follower is at most 150 × 1.4 × 4 × 1.2 ≈ 1 s behind: about ten entries.
    assert!(widest < 60, "{widest} entries kept");
    assert!(model.counts().writes > 500 && model.series().len() == 600, "{:?}", model.counts());
    assert!(model.ships().len() < 100 && model.trips().len() < 50 && model.reads().len() < 20);
}

// ---- Actions in the URL -------------------------------------------------------------------------

fn any_mode() -> impl Strategy<Value = Mode> {
    prop_oneof![Just(Mode::Async), Just(Mode::Semi), Just(Mode::Sync)]
}

fn any_guarantee() -> impl Strategy<Value = Guarantee> {
    prop_oneof![Just(Guarantee::ReadYourWrites), Just(Guarantee::Monotonic), Just(Guarantee::Prefix)]
}

/// Any action `encode` can write.
fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        any_mode().prop_map(Action::Mode),
        (any_guarantee(), any::<bool>()).prop_map(|(guarantee, on)| Action::Set(guarantee, on)),
        (LAG_MIN..=LAG_MAX).prop_map(Action::Lag),
        (0..=MAX_WRITE_TENTHS).prop_map(Action::Writes),
        (0..=MAX_READ_TENTHS).prop_map(Action::Reads),
        (0u8..5, 1..=MAX_SLOW).prop_map(|(node, factor)| Action::Speed(node, factor)),
        proptest::option::of(0u8..5).prop_map(Action::Fail),
        (0u8..5).prop_map(Action::Rejoin),
        Just(Action::Add),
        (0u8..5).prop_map(Action::Remove),
        (0u8..4).prop_map(Action::Post),
        (0u8..4).prop_map(Action::Read),
    ]
}

#[test]
fn garbage_actions_are_refused() {
    for text in ["", "m", "mquorum", "mAsync", "g", "gr", "gr2", "gx1", "l", "l9", "l2001", "l0150", "w101", "w-1", "r201", "s", "s2", "s2x0", "s2x21", "s5x2", "s02x2", "f5", "f01", "j", "j9", "a1", "x", "p4", "v9", "z", "é", "s١x1"] {
        assert_eq!(Action::decode(text), None, "{text:?}");
    }
    assert_eq!(Action::decode("s2x4"), Some(Action::Speed(2, 4)));
    assert_eq!(Action::decode("f"), Some(Action::Fail(None)));
    assert_eq!(Action::decode("msemi"), Some(Action::Mode(Mode::Semi)));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn actions_round_trip_through_their_text(action in any_action()) {
        let text = action.encode();
        prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "URL-safe: {}", text);
        prop_assert_eq!(Action::decode(&text), Some(action));
    }

    /// Anything decodes without a panic, and what decodes is written back the same way.
    #[test]
    fn decoding_anything_is_safe_and_canonical(text in "\\PC{0,8}|[mglwrsfjaxpv][0-9a-z]{0,6}") {
        if let Some(action) = Action::decode(&text) {
            prop_assert_eq!(action.encode(), text);
        }
    }
}

// ---- Invariants over random schedules -----------------------------------------------------------

/// Keeps its own record of the run and checks the invariants after every tick and every action.
#[derive(Default)]
struct Observer {
    /// The leader's log as last seen: position → write id (kept positions only).
    log: BTreeMap<u32, u32>,
    /// Per node, the id it applied at each position (kept positions only), recorded when its
    /// length grew past that position.
    applied: [BTreeMap<u32, u32>; MAX_NODES],
    lengths: [u32; MAX_NODES],
    /// Every acknowledged write seen: its mode, the followers when it was acknowledged (a bit
    /// per slot), and how many failovers and removals had happened by then.
    acknowledged: HashMap<u32, (Mode, u8, u32)>,
    disturbances: u32,
    counts: Counts,
    lost: ([u32; 3], u32),
}

impl Observer {
    fn new(model: &Replication) -> Self {
        let mut observer = Observer::default();
        observer.look(model).expect("the start is sound");
        observer
    }

    fn followers(model: &Replication) -> u8 {
        model.followers().fold(0, |mask, slot| mask | 1 << slot)
    }

    /// Records what is new and checks what must always hold.
    fn look(&mut self, model: &Replication) -> Result<(), String> {
        let at = model.tick();
        let kept = model.log_base() + 1..=model.log_len();
        self.log = kept.clone().map(|pos| (pos, model.entry(pos).unwrap().id)).collect();
        let followers = Self::followers(model);
        for pos in kept.clone() {
            let entry = model.entry(pos).unwrap();
            if entry.acked {
                self.acknowledged.entry(entry.id).or_insert((entry.mode, followers, self.disturbances));
            }
        }
        for (slot, node) in model.nodes().iter().enumerate() {
            if node.serving() {
                for pos in self.lengths[slot] + 1..=node.len {
                    if let Some(id) = self.log.get(&pos) {
                        self.applied[slot].insert(pos, *id);
                    }
                }
                // Replication in order: what it applied is the leader's log, position by position.
                for (pos, id) in self.applied[slot].range(model.log_base() + 1..) {
                    if *pos <= node.len && self.log.get(pos) != Some(id) {
                        return Err(format!("tick {at}: db{} applied write {id} at {pos}, the leader has {:?}", slot + 1, self.log.get(pos)));
                    }
                }
                if node.len > model.log_len() {
                    return Err(format!("tick {at}: db{} has {} entries, the leader {}", slot + 1, node.len, model.log_len()));
                }
            }
            self.applied[slot].retain(|pos, _| *pos <= node.len && *pos > model.log_base());
            self.lengths[slot] = node.len;
            if node.role != Role::Down && node.extra > 0 {
                return Err(format!("tick {at}: db{} holds {} writes of its own without being dead", slot + 1, node.extra));
            }
        }
        let leaders = model.nodes().iter().filter(|node| node.role == Role::Leader).count();
        if leaders != 1 || model.nodes()[model.leader()].role != Role::Leader {
            return Err(format!("tick {at}: {leaders} leaders"));
        }
        // Counts only grow.
        let (before, now) = (self.counts, *model.counts());
        let pairs = [
            (before.writes, now.writes),
            (before.acknowledged, now.acknowledged),
            (before.refused, now.refused),
            (before.unanswered, now.unanswered),
            (before.lost_unacknowledged, now.lost_unacknowledged),
            (before.discarded, now.discarded),
            (before.failovers, now.failovers),
            (before.reads, now.reads),
            (before.reads_from_leader, now.reads_from_leader),
            (before.reads_failed, now.reads_failed),
        ];
        let grouped = before.lost_acknowledged.iter().zip(now.lost_acknowledged).chain(before.stale.iter().zip(now.stale));
        if pairs.iter().any(|(was, is)| is < was) || grouped.clone().any(|(was, is)| is < *was) {
            return Err(format!("tick {at}: a count went down: {before:?} → {now:?}"));
        }
        self.counts = now;
        Ok(())
    }

    /// After a failover: the writes that left the leader's log are the ones lost, and none of
    /// them breaks what its mode promised.
    fn failed_over(&mut self, model: &Replication, chosen: bool) -> Result<(), String> {
        let at = model.tick();
        let promoted = model.leader();
        let mut lost = ([0u32; 3], 0u32);
        for (pos, id) in &self.log {
            if model.entry(*pos).is_some_and(|entry| entry.id == *id) {
                continue;
            }
            match self.acknowledged.get(id) {
                Some((mode, followers, disturbances)) => {
                    lost.0[mode.index()] += 1;
                    if *mode == Mode::Sync && followers & (1 << promoted) != 0 {
                        return Err(format!("tick {at}: write {id}, acknowledged under sync while db{} followed, was lost when it was promoted", promoted + 1));
                    }
                    // Acknowledged with no follower at all, nobody else had it.
                    if *mode == Mode::Semi && !chosen && *followers != 0 && *disturbances == self.disturbances {
                        return Err(format!("tick {at}: write {id}, acknowledged under semi-sync, was lost though the most up-to-date follower was promoted"));
                    }
                }
                None => lost.1 += 1,
            }
        }
        for (mode, count) in lost.0.iter().enumerate() {
            self.lost.0[mode] += count;
        }
        self.lost.1 += lost.1;
        if (model.counts().lost_acknowledged, model.counts().lost_unacknowledged) != self.lost {
            return Err(format!("tick {at}: the model counts {:?} / {} lost, the observer {:?}", model.counts().lost_acknowledged, model.counts().lost_unacknowledged, self.lost));
        }
        self.disturbances += 1;
        Ok(())
    }
}

/// Runs a schedule (each action applied at its tick, after that tick's step, as the timeline
/// does), checking after every tick and every action.
fn run_checked(model: &mut Replication, schedule: &[(u64, Action)], ticks: u64) -> Result<(), String> {
    let mut observer = Observer::new(model);
    for tick in 1..=ticks {
        model.step();
        observer.look(model)?;
        for (_, action) in schedule.iter().filter(|(at, _)| *at == tick) {
            let epoch = model.epoch();
            model.apply(action);
            match action {
                Action::Fail(choice) if model.epoch() > epoch => observer.failed_over(model, choice.is_some())?,
                Action::Remove(_) => observer.disturbances += 1,
                _ => {}
            }
            observer.look(model)?;
        }
    }
    Ok(())
}

/// Actions for a schedule, without switching the guarantees (their invariants need them fixed).
fn schedule(ticks: u64, most: usize) -> impl Strategy<Value = Vec<(u64, Action)>> {
    let action = any_action().prop_filter("guarantees stay as set", |action| !matches!(action, Action::Set(..)));
    proptest::collection::vec((1..ticks, action), 0..most)
}

fn settings() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    (1u8..=4, any_mode(), any::<[bool; 3]>(), LAG_MIN..=600, 1u8..=MAX_SLOW, 0u8..=MAX_WRITE_TENTHS, 0u8..=MAX_READ_TENTHS).prop_map(|(followers, mode, [ryw, mono, prefix], lag, slow, writes, reads)| {
        vec![
            ("followers", followers.to_string()),
            ("mode", mode.key().to_string()),
            ("ryw", u8::from(ryw).to_string()),
            ("mono", u8::from(mono).to_string()),
            ("prefix", u8::from(prefix).to_string()),
            ("lag", lag.to_string()),
            ("slow", slow.to_string()),
            ("writes", format!("{:.1}", f64::from(writes) / 10.0)),
            ("reads", format!("{:.1}", f64::from(reads) / 10.0)),
        ]
    })
}

fn with<'a>(settings: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    settings.iter().map(|(key, value)| (*key, value.as_str())).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Under any settings and any failures: replication in order, one leader, counts that only
    /// grow, losses counted exactly, sync and semi-sync keeping their promises, and no anomaly
    /// of a kind whose guarantee is on.
    #[test]
    fn the_invariants_hold_under_random_failures_and_settings(settings in settings(), seed in any::<u64>(), actions in schedule(4000, 40)) {
        let mut model = model(&with(&settings), seed);
        let guarantees = model.settings().guarantees;
        if let Err(problem) = run_checked(&mut model, &actions, 4000) {
            prop_assert!(false, "{problem}\nsettings {settings:?}, seed {seed}, actions {actions:?}");
        }
        for guarantee in Guarantee::ALL.into_iter().filter(|guarantee| guarantees.is_on(*guarantee)) {
            prop_assert_eq!(model.counts().stale[guarantee.index()], 0, "{:?} on\nsettings {:?}, seed {}, actions {:?}", guarantee, settings, seed, actions);
        }
    }

    /// Heavy traffic, many failovers and guarantees switched at random: nothing panics and the
    /// other invariants still hold.
    #[test]
    fn nothing_breaks_under_heavy_traffic_and_any_actions(seed in any::<u64>(), actions in proptest::collection::vec((1u64..3000, any_action()), 0..80)) {
        let mut model = model(&[("followers", "4"), ("writes", "10"), ("reads", "20"), ("lag", "300")], seed);
        if let Err(problem) = run_checked(&mut model, &actions, 3000) {
            prop_assert!(false, "{problem}\nseed {seed}, actions {actions:?}");
        }
        let _ = model.narrate();
    }
}

#[test]
fn without_guarantees_the_defaults_show_every_anomaly_and_with_them_none() {
    let mut loose = model(&[("writes", "6"), ("reads", "10")], 2);
    run_checked(&mut loose, &[], 20_000).unwrap();
    let stale = loose.counts().stale;
    assert!(stale.iter().all(|count| *count > 0), "{stale:?}");
    let mut strict = model(&[("writes", "6"), ("reads", "10"), ("ryw", "1"), ("mono", "1"), ("prefix", "1")], 2);
    run_checked(&mut strict, &[], 20_000).unwrap();
    assert_eq!(strict.counts().stale, [0, 0, 0]);
    assert!(strict.counts().reads_from_leader > 0, "the price: some pages come from the leader");
}

// ---- Determinism and replay ---------------------------------------------------------------------

#[test]
fn a_seed_replays_the_same_run_and_a_link_rebuilds_it() {
    let actions = [(400, Action::Mode(Mode::Semi)), (900, Action::Fail(None)), (1300, Action::Speed(2, 6)), (1500, Action::Rejoin(0)), (1800, Action::Set(Guarantee::ReadYourWrites, true)), (2100, Action::Add), (2300, Action::Fail(Some(3)))];
    let mut timeline = Timeline::<Replication>::new(params(&[]), 9, REPLICATION_LIMIT);
    for (at, action) in actions {
        timeline.seek(at);
        timeline.act(action);
    }
    timeline.seek(3000);
    let (decoded, skipped) = Timeline::<Replication>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    assert_eq!(decoded, actions.to_vec());
    let replayed = Timeline::<Replication>::replay(params(&[]), 9, REPLICATION_LIMIT, decoded, 3000);
    assert_eq!(replayed.state(), timeline.state());
    timeline.seek(1234);
    let again = Timeline::<Replication>::replay(params(&[]), 9, REPLICATION_LIMIT, actions.to_vec(), 1234);
    assert_eq!(again.state(), timeline.state(), "scrubbing back lands on the same state");
    let other = Timeline::<Replication>::replay(params(&[]), 10, REPLICATION_LIMIT, actions.to_vec(), 1234);
    assert_ne!(other.state(), timeline.state(), "another seed is another run");
}

#[test]
fn the_read_rate_does_not_move_the_posts() {
    let posts = |reads: &str| {
        let mut model = model(&[("reads", reads)], 4);
        run_to(&mut model, 5000);
        (model.counts().writes, model.log_len())
    };
    assert_eq!(posts("0"), posts("20"));
}

#[test]
fn wrong_parameters_fall_back_without_a_panic() {
    let foreign = Params::defaults(crate::viz::raft::RAFT_PARAMS);
    let model = Replication::new(&foreign, 1);
    assert_eq!(model.config(), &Config::from_params(&Params::defaults(REPLICATION_PARAMS)));
    assert_eq!((model.config().followers, model.settings().lag_ms, model.settings().write_tenths), (2, 150, 30));
    let mut wide = Params::defaults(REPLICATION_PARAMS);
    wide.set("followers", crate::sim::Value::Int(99));
    wide.set("writes", crate::sim::Value::Float(f64::NAN));
    let config = Config::from_params(&wide);
    assert_eq!((config.followers, config.settings.write_tenths), (4, 30));
}
