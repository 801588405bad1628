//! Scenarios worked out by hand, Raft's safety properties as proptests over random schedules
//! of faults (checked by an observer that keeps its own record of the run), liveness without
//! faults, and the harness contracts: determinism, replay and URL round trips.

use std::collections::{BTreeMap, HashMap};

use proptest::prelude::*;

use super::*;
use crate::sim::query::DEFAULT_SEED;
use crate::sim::{Params, Simulation, Timeline};

fn params(list: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(RAFT_PARAMS);
    for (key, value) in list {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn raft(list: &[(&str, &str)], seed: u64) -> Raft {
    Raft::new(&params(list), seed)
}

fn run_to(model: &mut Raft, tick: u64) {
    while model.tick() < tick {
        model.step();
    }
}

fn run_for(model: &mut Raft, ticks: u64) {
    let end = model.tick() + ticks;
    run_to(model, end);
}

/// The servers that believe they lead, found by looking at every role.
fn leaders(model: &Raft) -> Vec<usize> {
    (0..model.servers().len()).filter(|server| model.servers()[*server].up && model.servers()[*server].role == Role::Leader).collect()
}

/// Steps until some running server leads, or gives up at `limit`.
fn until_leader(model: &mut Raft, limit: u64) -> Option<usize> {
    while model.tick() < limit {
        model.step();
        if let [only] = leaders(model).as_slice() {
            return Some(*only);
        }
    }
    None
}

// ---- Scenarios ----------------------------------------------------------------------------------

#[test]
fn the_defaults_elect_a_leader_within_a_second_and_commit_what_the_client_sends() {
    for seed in 1..=30 {
        let mut model = raft(&[("rate", "0")], seed);
        let leader = until_leader(&mut model, 1000).unwrap_or_else(|| panic!("seed {seed}: no leader in a second"));
        assert_eq!(model.leader(), Some(leader));
        let term = model.servers()[leader].term;
        assert!(term >= 1);
        for _ in 0..3 {
            model.apply(&Action::Request);
            let at = model.tick();
            run_to(&mut model, at + 100);
        }
        run_for(&mut model, 200);
        // Three commands, numbered 1 to 3, in the leader's term, committed and applied everywhere.
        let expected: Vec<Entry> = (1..=3).map(|command| Entry { term, command }).collect();
        for (index, server) in model.servers().iter().enumerate() {
            assert_eq!(server.log, expected, "seed {seed}: S{}", index + 1);
            assert_eq!((server.commit, server.applied), (3, 3), "seed {seed}: S{}", index + 1);
        }
        assert_eq!(model.leader(), Some(leader), "seed {seed}: heartbeats kept the leader in place");
        assert_eq!(model.servers()[leader].term, term);
    }
}

#[test]
fn the_first_election_starts_before_the_longest_timeout() {
    // Every server's first timer is at most `tmax` long, so someone stands by then.
    for seed in 1..=200 {
        let mut model = raft(&[], seed);
        for server in 0..5 {
            let left = model.timer_remaining(server).expect("a follower's timer runs");
            assert!((150..=300).contains(&left), "seed {seed}: {left} ms");
            assert_eq!(model.timer_share(server), Some(0.0));
        }
        run_to(&mut model, 300);
        assert!(model.elections() >= 1, "seed {seed}");
        assert!(model.servers().iter().any(|server| server.term >= 1), "seed {seed}");
    }
}

#[test]
fn a_stopped_leader_is_replaced_and_comes_back_as_a_follower_with_its_persistent_state() {
    let mut model = raft(&[("rate", "0")], 7);
    let old = until_leader(&mut model, 1000).expect("a leader");
    model.apply(&Action::Request);
    run_for(&mut model, 150);
    let before = model.servers()[old].clone();
    assert_eq!(before.commit, 1);
    model.apply(&Action::Stop(old as u8));
    assert!(model.messages().iter().all(|message| usize::from(message.from) != old), "what it sent is lost");
    assert_eq!(model.timer_share(old), None);
    // A new leader of a later term within two of the longest timeouts and a few round trips.
    let stop = model.tick();
    let new = until_leader(&mut model, stop + 800).expect("a new leader");
    assert_ne!(new, old);
    assert!(model.servers()[new].term > before.term);
    model.apply(&Action::Request);
    run_for(&mut model, 150);
    assert_eq!(model.servers()[new].commit, 2, "the new leader commits the next command with the old one under it");
    // The stopped server's state stood still.
    assert_eq!(&model.servers()[old], &before.clone_with_up(false));
    model.apply(&Action::Restart(old as u8));
    let back = &model.servers()[old];
    assert_eq!((back.term, back.voted_for, &back.log), (before.term, before.voted_for, &before.log), "persistent state is kept");
    assert_eq!((back.role, back.commit, back.applied, back.up), (Role::Follower, 0, 0, true), "volatile state is lost");
    run_for(&mut model, 200);
    let back = &model.servers()[old];
    assert_eq!((back.term, back.commit, back.log.len()), (model.servers()[new].term, 2, 2), "it catches up as a follower");
}

impl Server {
    fn clone_with_up(&self, up: bool) -> Server {
        Server { up, ..self.clone() }
    }
}

#[test]
fn timing_out_a_follower_makes_it_stand_and_win_a_later_term() {
    let mut model = raft(&[("rate", "0")], 3);
    let leader = until_leader(&mut model, 1000).expect("a leader");
    let term = model.servers()[leader].term;
    let other = (leader + 1) % 5;
    model.apply(&Action::Timeout(other as u8));
    let state = &model.servers()[other];
    assert_eq!((state.role, state.term, state.voted_for, state.votes()), (Role::Candidate, term + 1, Some(other as u8), 1));
    let vote_requests = model.messages().iter().filter(|message| usize::from(message.from) == other && matches!(message.body, Body::RequestVote { .. })).count();
    assert_eq!(vote_requests, 4, "it asks every other server");
    // Its log is as good as anyone's, so it wins, and the old leader steps down on seeing term + 1.
    run_for(&mut model, 100);
    assert_eq!(leaders(&model), vec![other]);
    assert_eq!(model.servers()[other].term, term + 1);
    assert_eq!(model.servers()[leader].role, Role::Follower);
}

#[test]
fn an_isolated_leader_cannot_commit_and_loses_its_uncommitted_entry_after_the_heal() {
    let mut model = raft(&[("rate", "0")], 11);
    let old = until_leader(&mut model, 1000).expect("a leader");
    model.apply(&Action::Request);
    run_for(&mut model, 150);
    model.apply(&Action::Partition(1 << old));
    // The client still reaches the old leader, which cannot get the entry to anyone.
    model.apply(&Action::Request);
    assert_eq!(model.servers()[old].log.len(), 2);
    let new = loop {
        model.step();
        if let Some(new) = leaders(&model).into_iter().find(|server| *server != old) {
            break new;
        }
        assert!(model.tick() < 5000, "the majority elects a leader");
    };
    model.apply(&Action::Request);
    run_for(&mut model, 300);
    assert_eq!(model.servers()[old].commit, 1, "alone, it commits nothing more");
    assert_eq!(model.servers()[old].role, Role::Leader, "it still believes it leads");
    assert_eq!(model.servers()[new].commit, 2);
    model.apply(&Action::Heal);
    run_for(&mut model, 400);
    let logs: Vec<&Vec<Entry>> = model.servers().iter().map(|server| &server.log).collect();
    assert!(logs.iter().all(|log| *log == logs[0]), "every log converges: {logs:?}");
    assert_eq!(logs[0].iter().map(|entry| entry.command).collect::<Vec<_>>(), vec![1, 3], "command 2 never reached a majority and is gone");
    assert_eq!(model.servers()[old].role, Role::Follower);
}

#[test]
fn dropping_takes_away_exactly_the_named_message() {
    let mut model = raft(&[], DEFAULT_SEED);
    run_to(&mut model, 1000);
    while model.messages().len() < 2 {
        model.step();
    }
    let ids: Vec<u32> = model.messages().iter().map(|message| message.id).collect();
    let dropped_before = model.dropped();
    model.apply(&Action::Drop(ids[1]));
    let left: Vec<u32> = model.messages().iter().map(|message| message.id).collect();
    assert_eq!(left, [&ids[..1], &ids[2..]].concat());
    assert_eq!(model.dropped(), dropped_before + 1);
    model.apply(&Action::Drop(ids[1]));
    assert_eq!(model.dropped(), dropped_before + 1, "a message already gone is not counted twice");
    assert!(model.narrate().starts_with("Nothing happened"), "{}", model.narrate());
    model.apply(&Action::DropAll);
    assert!(model.messages().is_empty());
    assert_eq!(model.dropped(), dropped_before + ids.len() as u32);
}

#[test]
fn actions_outside_the_cluster_are_ignored() {
    let mut model = raft(&[("servers", "3")], 2);
    run_to(&mut model, 50);
    let before = model.clone();
    for action in [Action::Stop(5), Action::Restart(3), Action::Timeout(6), Action::Partition(0b111), Action::Partition(0b1000), Action::Partition(0b1001), Action::Restart(0)] {
        let mut copy = before.clone();
        copy.apply(&action);
        assert_eq!(copy.servers(), before.servers(), "{action:?}");
        assert_eq!(copy.partition(), None, "{action:?}");
        assert!(copy.narrate().starts_with("Nothing happened"), "{action:?}: {}", copy.narrate());
    }
    model.apply(&Action::Partition(0b011));
    assert!(!model.linked(0, 2) && model.linked(0, 1) && !model.linked(1, 2));
}

#[test]
fn the_narration_tells_the_election_then_the_state() {
    let mut model = raft(&[], DEFAULT_SEED);
    assert!(model.narrate().contains("start as followers"), "{}", model.narrate());
    let leader = until_leader(&mut model, 1000).expect("a leader");
    let said = model.narrate();
    assert!(said.contains(&format!("S{} won", leader + 1)) && said.contains(&format!("term {}", model.servers()[leader].term)), "{said}");
    // With nothing new for a while (no client commands), a summary of the state instead.
    let mut quiet = raft(&[("rate", "0")], DEFAULT_SEED);
    let quiet_leader = until_leader(&mut quiet, 1000).expect("a leader");
    run_for(&mut quiet, 150);
    let said = quiet.narrate();
    assert!(said.ends_with(&format!("ms: S{} leads term {}; 0 entries committed, {} in flight.", quiet_leader + 1, quiet.servers()[quiet_leader].term, counted(quiet.messages().len() as u32, "message"))), "{said}");
    model.apply(&Action::Stop(leader as u8));
    assert!(model.narrate().starts_with(&format!("S{} stopped", leader + 1)), "{}", model.narrate());
    model.apply(&Action::Partition(0b11));
    assert!(model.narrate().contains("splits S1, S2 from S3, S4, S5"), "{}", model.narrate());
}

// ---- Actions in the URL -------------------------------------------------------------------------

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (0u8..7).prop_map(Action::Stop),
        (0u8..7).prop_map(Action::Restart),
        (0u8..7).prop_map(Action::Timeout),
        Just(Action::Request),
        any::<u32>().prop_map(Action::Drop),
        Just(Action::DropAll),
        (1u8..128).prop_map(Action::Partition),
        Just(Action::Heal),
    ]
}

#[test]
fn garbage_actions_are_refused() {
    for text in ["", "s", "s7", "s10", "s-1", "S1", "q1", "x0", "h ", "d", "d01", "d-1", "d+1", "d1.5", "d99999999999", "p", "p7", "p10", "p00", "p0a", "z", "é", "s١"] {
        assert_eq!(Action::decode(text), None, "{text:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn actions_round_trip_through_their_text(action in any_action()) {
        let text = Action::encode(&action);
        prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "URL-safe: {}", text);
        prop_assert_eq!(Action::decode(&text), Some(action));
    }

    /// Anything decodes without a panic, and what decodes is written back the same way.
    #[test]
    fn decoding_anything_is_safe_and_canonical(text in "\\PC{0,8}|[sdrtpqxh][0-9]{0,9}") {
        if let Some(action) = Action::decode(&text) {
            prop_assert_eq!(action.encode(), text);
        }
    }
}

// ---- Safety over random schedules ---------------------------------------------------------------

/// Keeps its own record of the run and checks Figure 3's properties after every tick.
#[derive(Default)]
struct Observer {
    /// The first server seen leading each term.
    leaders: HashMap<u32, usize>,
    /// Every index seen committed: its entry, and the lowest current term among the servers
    /// that had committed it when it was first seen. That term is no earlier than the one the
    /// entry was committed in, since terms only grow.
    committed: BTreeMap<u32, (Entry, u32)>,
}

impl Observer {
    fn check(&mut self, model: &Raft) -> Result<(), String> {
        let servers = model.servers();
        let at = model.tick();
        // Election Safety: at most one leader per term, over the whole history.
        for (index, server) in servers.iter().enumerate().filter(|(_, server)| server.role == Role::Leader) {
            let first = *self.leaders.entry(server.term).or_insert(index);
            if first != index {
                return Err(format!("tick {at}: S{} and S{} both led term {}", first + 1, index + 1, server.term));
            }
        }
        // Log Matching: where two logs hold an entry of the same term at the same index, they
        // are identical up to there (checked at the highest such index, which covers the rest).
        for a in 0..servers.len() {
            for b in a + 1..servers.len() {
                let (left, right) = (&servers[a].log, &servers[b].log);
                if let Some(last) = (0..left.len().min(right.len())).rev().find(|at| left[*at].term == right[*at].term) {
                    if left[..=last] != right[..=last] {
                        return Err(format!("tick {at}: logs of S{} and S{} agree at index {} but differ before it", a + 1, b + 1, last + 1));
                    }
                }
            }
        }
        // State Machine Safety: a committed index holds the same entry on every server that
        // has committed it, now and later.
        for (index, server) in servers.iter().enumerate() {
            if server.commit as usize > server.log.len() || server.applied > server.commit {
                return Err(format!("tick {at}: S{} commits {} (applied {}) of {} entries", index + 1, server.commit, server.applied, server.log.len()));
            }
            for position in 1..=server.commit {
                let entry = server.log[position as usize - 1];
                match self.committed.get(&position) {
                    Some((held, _)) if *held != entry => return Err(format!("tick {at}: S{} committed {entry:?} at {position}, where {held:?} was committed", index + 1)),
                    Some(_) => {}
                    None => {
                        let bound = servers.iter().filter(|other| other.commit >= position).map(|other| other.term).min().unwrap_or(0);
                        self.committed.insert(position, (entry, bound));
                    }
                }
            }
        }
        // Leader Completeness: every leader of a later term holds every committed entry.
        for (index, server) in servers.iter().enumerate().filter(|(_, server)| server.role == Role::Leader) {
            for (position, (entry, bound)) in &self.committed {
                if server.term > *bound && server.log.get(*position as usize - 1) != Some(entry) {
                    return Err(format!("tick {at}: S{} leads term {} without committed entry {position} ({entry:?})", index + 1, server.term));
                }
            }
        }
        // Committed entries are never lost: a majority of logs (kept through stops) holds each.
        for (position, (entry, _)) in &self.committed {
            let holders = servers.iter().filter(|server| server.log.get(*position as usize - 1) == Some(entry)).count();
            if holders < model.majority() {
                return Err(format!("tick {at}: committed entry {position} is on only {holders} logs"));
            }
        }
        Ok(())
    }
}

/// Runs a schedule (each action applied at its tick, after that tick's step, as the timeline
/// does) and checks the properties after every tick. Returns the observer for more checks.
fn run_checked(model: &mut Raft, schedule: &[(u64, Action)], ticks: u64) -> Result<Observer, String> {
    let mut observer = Observer::default();
    observer.check(model)?;
    for tick in 1..=ticks {
        model.step();
        for (_, action) in schedule.iter().filter(|(at, _)| *at == tick) {
            model.apply(action);
        }
        observer.check(model)?;
    }
    Ok(observer)
}

fn schedule(ticks: u64, most: usize) -> impl Strategy<Value = Vec<(u64, Action)>> {
    proptest::collection::vec((1..ticks, any_action().prop_map(|action| if let Action::Drop(id) = action { Action::Drop(id % 400) } else { action })), 0..most)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Every setting, even those where elections never settle (a heartbeat slower than the
    /// timeout, a delay longer than it), keeps every safety property under any faults.
    #[test]
    fn safety_holds_under_random_faults_and_settings(
        servers in 3usize..=7,
        timeout in (10u64..400, 0u64..300),
        heartbeat in 5u64..200,
        delay in (1u64..80, 0u64..80),
        rate in 0.0f64..10.0,
        seed in any::<u64>(),
        faults in schedule(3000, 60),
    ) {
        let settings = [
            ("servers", servers.to_string()),
            ("tmin", timeout.0.to_string()),
            ("tmax", (timeout.0 + timeout.1).to_string()),
            ("beat", heartbeat.to_string()),
            ("dmin", delay.0.to_string()),
            ("dmax", (delay.0 + delay.1).to_string()),
            ("rate", format!("{rate:.2}")),
        ];
        let list: Vec<(&str, &str)> = settings.iter().map(|(key, value)| (*key, value.as_str())).collect();
        let mut model = raft(&list, seed);
        if let Err(problem) = run_checked(&mut model, &faults, 3000) {
            prop_assert!(false, "{problem}\nsettings {settings:?}, seed {seed}, faults {faults:?}");
        }
    }

    /// Heartbeats much faster than the spread of delays, so AppendEntries overtake each other
    /// all the time: a follower must only cut its log on a conflict, never because an older,
    /// shorter message arrived late.
    #[test]
    fn safety_holds_when_messages_overtake_each_other(seed in any::<u64>(), servers in 3usize..=7, faults in schedule(3000, 10)) {
        let mut model = raft(&[("servers", &servers.to_string()), ("beat", "5"), ("dmin", "1"), ("dmax", "120"), ("tmin", "400"), ("tmax", "800"), ("rate", "10")], seed);
        if let Err(problem) = run_checked(&mut model, &faults, 3000) {
            prop_assert!(false, "{problem}\nseed {seed}, faults {faults:?}");
        }
    }

    /// The defaults, under many more faults, with enough commands that much gets committed.
    #[test]
    fn safety_holds_at_the_defaults_under_heavy_faults(seed in any::<u64>(), faults in schedule(4000, 120)) {
        let mut model = raft(&[("rate", "10")], seed);
        if let Err(problem) = run_checked(&mut model, &faults, 4000) {
            prop_assert!(false, "{problem}\nseed {seed}, faults {faults:?}");
        }
    }
}

#[test]
fn without_faults_the_checked_run_commits_steadily_under_one_leader() {
    for seed in 1..=5 {
        let mut model = raft(&[("rate", "10")], seed);
        let observer = run_checked(&mut model, &[], 5000).unwrap_or_else(|problem| panic!("seed {seed}: {problem}"));
        assert_eq!(observer.leaders.len(), 1, "seed {seed}: one election settles it");
        // About 50 commands in 5 s at 10 a second; all but the last few are committed.
        let log = model.servers()[0].log.len() as u32;
        assert!(log >= 30, "seed {seed}: {log} entries");
        assert!(observer.committed.len() as u32 >= log - 3, "seed {seed}: {} of {log} committed", observer.committed.len());
    }
}

// ---- Determinism and replay ---------------------------------------------------------------------

#[test]
fn a_seed_replays_the_same_run_and_a_link_rebuilds_it() {
    let faults = [(400, Action::Stop(0)), (900, Action::Partition(0b00110)), (1300, Action::Request), (1500, Action::Drop(40)), (1800, Action::Heal), (2100, Action::Restart(0)), (2200, Action::Timeout(3)), (2300, Action::DropAll)];
    let mut timeline = Timeline::<Raft>::new(params(&[]), 9, RAFT_LIMIT);
    for (at, action) in faults {
        timeline.seek(at);
        timeline.act(action);
    }
    timeline.seek(3000);
    let (actions, skipped) = Timeline::<Raft>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    assert_eq!(actions, faults.to_vec());
    let replayed = Timeline::<Raft>::replay(params(&[]), 9, RAFT_LIMIT, actions, 3000);
    assert_eq!(replayed.state(), timeline.state());
    timeline.seek(1234);
    let again = Timeline::<Raft>::replay(params(&[]), 9, RAFT_LIMIT, faults.to_vec(), 1234);
    assert_eq!(again.state(), timeline.state(), "scrubbing back lands on the same state");
    let other = Timeline::<Raft>::replay(params(&[]), 10, RAFT_LIMIT, faults.to_vec(), 1234);
    assert_ne!(other.state(), timeline.state(), "another seed is another run");
}

#[test]
fn the_request_rate_does_not_move_the_first_election() {
    let first_candidate = |rate: &str| {
        let mut model = raft(&[("rate", rate)], 4);
        while model.elections() == 0 {
            model.step();
        }
        (model.tick(), model.servers().iter().position(|server| server.role == Role::Candidate))
    };
    assert_eq!(first_candidate("0"), first_candidate("10"));
}

#[test]
fn wrong_parameters_fall_back_without_a_panic() {
    let foreign = Params::defaults(crate::viz::cap::CAP_PARAMS);
    let model = Raft::new(&foreign, 1);
    assert_eq!(model.config(), &Config::from_params(&Params::defaults(RAFT_PARAMS)));
    let backwards = Config::from_params(&params(&[("tmin", "400"), ("tmax", "100"), ("dmin", "50"), ("dmax", "5")]));
    assert_eq!((backwards.timeout, backwards.delay), ((100, 400), (5, 50)));
}

// ---- Two traps of the paper, replayed -----------------------------------------------------------

/// Steps `ticks` times, checking after each.
fn checked_for(model: &mut Raft, observer: &mut Observer, ticks: u64) -> Result<(), String> {
    for _ in 0..ticks {
        model.step();
        observer.check(model)?;
    }
    Ok(())
}

/// Figure 8 of the paper, with partitions in place of lucky timing: an entry of an old term
/// that reaches a majority under a later leader must not be committed by counting, because a
/// server holding a newer term's entry can still win and overwrite it. Returns whether the
/// run got all the way through (a timer may race the script), and any violation.
fn figure_eight(seed: u64) -> Result<bool, String> {
    let mut model = raft(&[("rate", "0")], seed);
    let mut observer = Observer::default();
    let Some(first) = until_leader(&mut model, 1000) else { return Ok(false) };
    let partner = (first + 1) % 5;
    // The first leader and a partner on one side; it takes entry a, which reaches only them.
    model.apply(&Action::Partition(1 << first | 1 << partner));
    model.apply(&Action::Request);
    let old_term = model.servers()[first].term;
    let mut rival = None;
    for _ in 0..2000 {
        checked_for(&mut model, &mut observer, 1)?;
        rival = leaders(&model).into_iter().find(|server| model.servers()[*server].term > old_term);
        if rival.is_some() {
            break;
        }
    }
    let Some(rival) = rival else { return Ok(false) };
    // The majority side's leader, cut off at once, takes entry b of its newer term and stops.
    model.apply(&Action::Partition(1 << rival));
    model.apply(&Action::Request);
    if model.servers()[rival].log.len() != 1 {
        return Ok(false);
    }
    model.apply(&Action::Stop(rival as u8));
    model.apply(&Action::Heal);
    // Only the two holding a can win now; their leader copies a to everyone running.
    let mut winner = None;
    for _ in 0..3000 {
        checked_for(&mut model, &mut observer, 1)?;
        winner = leaders(&model).into_iter().find(|server| model.servers()[*server].term > model.servers()[rival].term);
        if winner.is_some_and(|winner| model.servers().iter().filter(|server| server.up).all(|server| server.log == model.servers()[winner].log)) {
            break;
        }
    }
    let Some(winner) = winner else { return Ok(false) };
    checked_for(&mut model, &mut observer, 100)?;
    let a = model.servers()[first].log.first().copied();
    if model.servers().iter().filter(|server| server.log.first().copied() == a).count() < 4 {
        return Ok(false);
    }
    // The stopped server comes back out of the winner's reach and stands until it wins: its
    // last entry's term is newer than a's, so the others vote for it.
    model.apply(&Action::Partition(1 << winner));
    model.apply(&Action::Restart(rival as u8));
    for _ in 0..10 {
        model.apply(&Action::Timeout(rival as u8));
        checked_for(&mut model, &mut observer, 60)?;
        if leaders(&model).contains(&rival) {
            checked_for(&mut model, &mut observer, 300)?;
            let b = model.servers()[rival].log.first().copied();
            // b replaced a on the majority side: so a was never committed.
            let replaced = model.servers().iter().enumerate().filter(|(index, _)| *index != winner).all(|(_, server)| server.log.first().copied() == b);
            return Ok(replaced && a != b);
        }
    }
    Ok(false)
}

#[test]
fn an_old_terms_entry_on_a_majority_is_not_committed_by_counting() {
    let mut completed = 0;
    for seed in 1..=12 {
        match figure_eight(seed) {
            Ok(done) => completed += usize::from(done),
            Err(problem) => panic!("seed {seed}: {problem}"),
        }
    }
    assert!(completed >= 4, "the script ran to its end for only {completed} seeds");
}

/// A server that votes, stops and restarts within one election must not vote again in that
/// term: its vote is on disk. Two candidates of the same term share the one voter of three.
#[test]
fn a_vote_survives_a_restart() {
    let mut exercised = 0;
    for seed in 1..=60 {
        // Widely spread delays, so the second request often arrives well after the first.
        let mut model = raft(&[("servers", "3"), ("rate", "0"), ("dmin", "5"), ("dmax", "150"), ("tmin", "400"), ("tmax", "500")], seed);
        let mut observer = Observer::default();
        model.apply(&Action::Timeout(0));
        model.apply(&Action::Timeout(1));
        // Until the vote has been cast and has arrived (stopping loses what is in flight).
        while model.servers()[2].voted_for.is_none() || model.messages().iter().any(|message| message.from == 2) {
            checked_for(&mut model, &mut observer, 1).unwrap_or_else(|problem| panic!("seed {seed}: {problem}"));
        }
        model.apply(&Action::Stop(2));
        model.apply(&Action::Restart(2));
        let still_asking = model.messages().iter().any(|message| message.to == 2 && matches!(message.body, Body::RequestVote { term: 1, .. }));
        exercised += usize::from(still_asking);
        checked_for(&mut model, &mut observer, 600).unwrap_or_else(|problem| panic!("seed {seed}: {problem}"));
        assert!(model.servers()[2].voted_for.is_some() || model.servers()[2].term > 1, "seed {seed}");
    }
    assert!(exercised >= 10, "the second request arrived after the restart in only {exercised} runs");
}
