use crate::sim::{ParamKind, ParamSpec, Params, Timeline, Value};
use proptest::prelude::*;

use super::*;

fn params(pairs: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(BREAKER_PARAMS);
    for (key, value) in pairs {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn settings(minimum_calls: u32, probes: u32) -> BreakerSettings {
    BreakerSettings { failure_threshold_percent: 50, minimum_calls, window_ticks: 100, open_ticks: 50, probes }
}

fn ticket(admission: Admission) -> machine::Ticket {
    match admission {
        Admission::Pass(ticket) | Admission::Probe(ticket) => ticket,
        Admission::Reject => panic!("expected the call to be admitted"),
    }
}

/// Admits one call at `now` and reports its outcome at once.
fn call(breaker: &mut CircuitBreaker, now: u32, succeeded: bool) {
    let admitted = ticket(breaker.admit(now));
    breaker.record(now, admitted, succeeded);
}

// ---- The state machine, by hand ----------------------------------------------------------------

#[test]
fn it_trips_only_with_enough_calls_and_enough_failures() {
    let mut breaker = CircuitBreaker::new(settings(4, 2), 0);
    for now in 1..=3 {
        call(&mut breaker, now, false);
    }
    assert_eq!(breaker.state(), BreakerState::Closed, "3 failures, but fewer than the 4 calls required");
    call(&mut breaker, 4, false);
    assert_eq!(breaker.state(), BreakerState::Open);
    let last = breaker.transitions().last().copied();
    assert_eq!(last, Some(Transition { at: 4, from: BreakerState::Closed, to: BreakerState::Open, reason: Reason::Tripped { failures: 4, calls: 4 } }));

    // Exactly at the threshold trips (2 of 4 = 50%); below it does not (1 of 4 = 25%).
    let mut at_threshold = CircuitBreaker::new(settings(4, 2), 0);
    for (now, ok) in [(1, true), (2, false), (3, true), (4, false)] {
        call(&mut at_threshold, now, ok);
    }
    assert_eq!(at_threshold.state(), BreakerState::Open);
    let mut below = CircuitBreaker::new(settings(4, 2), 0);
    for (now, ok) in [(1, true), (2, false), (3, true), (4, true), (5, true)] {
        call(&mut below, now, ok);
    }
    assert_eq!(below.state(), BreakerState::Closed);
}

#[test]
fn old_failures_slide_out_of_the_window() {
    // The window is 100 ticks in buckets of 10: failures at ticks 1 to 3 are gone by tick 110.
    let mut breaker = CircuitBreaker::new(settings(4, 2), 0);
    for now in 1..=3 {
        call(&mut breaker, now, false);
    }
    breaker.advance(110);
    assert_eq!(breaker.window_totals(), (0, 0));
    call(&mut breaker, 110, false);
    assert_eq!(breaker.window_totals(), (1, 1));
    assert_eq!(breaker.state(), BreakerState::Closed);
}

#[test]
fn open_rejects_then_half_open_probes_then_closes() {
    let mut breaker = CircuitBreaker::new(settings(2, 2), 0);
    call(&mut breaker, 1, false);
    call(&mut breaker, 2, false);
    assert_eq!(breaker.state(), BreakerState::Open);
    for now in 3..52 {
        assert_eq!(breaker.admit(now), Admission::Reject, "open until tick 2 + 50");
    }
    assert_eq!(breaker.rejected_in(BreakerState::Open), 49);
    // At tick 52 the open duration is over: two probes pass, a third is rejected.
    let first = breaker.admit(52);
    assert!(matches!(first, Admission::Probe(_)));
    assert_eq!(breaker.state(), BreakerState::HalfOpen);
    let second = breaker.admit(52);
    assert!(matches!(second, Admission::Probe(_)));
    assert_eq!(breaker.admit(53), Admission::Reject);
    assert_eq!(breaker.rejected_in(BreakerState::HalfOpen), 1);
    breaker.record(60, ticket(first), true);
    assert_eq!(breaker.state(), BreakerState::HalfOpen, "one of two probes succeeded");
    assert_eq!(breaker.probes(), (1, 1));
    breaker.record(61, ticket(second), true);
    assert_eq!(breaker.state(), BreakerState::Closed);
    assert_eq!(breaker.window_totals(), (0, 0), "closing starts a clean window");
    assert!(matches!(breaker.admit(62), Admission::Pass(_)));
}

#[test]
fn a_failed_probe_reopens_and_late_answers_are_ignored() {
    let mut breaker = CircuitBreaker::new(settings(2, 3), 0);
    let slow = ticket(breaker.admit(1));
    call(&mut breaker, 1, false);
    call(&mut breaker, 2, false);
    assert_eq!(breaker.state(), BreakerState::Open);
    breaker.advance(52);
    assert_eq!(breaker.state(), BreakerState::HalfOpen);
    // The slow call admitted while closed fails now: it belongs to the past and changes nothing.
    breaker.record(53, slow, false);
    assert_eq!(breaker.state(), BreakerState::HalfOpen);
    let probe = ticket(breaker.admit(54));
    breaker.record(60, probe, false);
    assert_eq!(breaker.state(), BreakerState::Open);
    assert_eq!(breaker.since(), 60, "the open duration starts again");
    let moves: Vec<(BreakerState, BreakerState)> = breaker.transitions().map(|t| (t.from, t.to)).collect();
    use BreakerState::*;
    assert_eq!(moves, [(Closed, Open), (Open, HalfOpen), (HalfOpen, Open)]);
    assert_eq!(breaker.transition_count(HalfOpen, Open), 1);
}

#[test]
fn only_four_edges_are_legal() {
    use BreakerState::*;
    let legal: Vec<(BreakerState, BreakerState)> =
        BreakerState::ALL.iter().flat_map(|&from| BreakerState::ALL.iter().map(move |&to| (from, to))).filter(|&(from, to)| is_legal_edge(from, to)).collect();
    assert_eq!(legal, [(Closed, Open), (Open, HalfOpen), (HalfOpen, Closed), (HalfOpen, Open)]);
}

// ---- The chain, by hand -------------------------------------------------------------------------

fn chain(pairs: &[(&str, &str)]) -> BreakerChain {
    BreakerChain::new(&params(pairs), 1)
}

#[test]
fn a_healthy_request_takes_the_sum_of_the_work() {
    // A works 10 ms, B works 10 ms, C answers in 20 ms: 40 ms end to end.
    let mut model = chain(&[("local", "0")]);
    model.step_scripted(1);
    assert_eq!(model.pool(Service::A).busy, 1);
    for _ in 2..=4 {
        model.step_scripted(0);
        assert_eq!(model.totals().succeeded, 0);
    }
    model.step_scripted(0);
    assert_eq!(model.totals().succeeded, 1, "answered at tick 5");
    for _ in 6..=10 {
        model.step_scripted(0);
    }
    assert_eq!(model.series().last().and_then(|sample| sample.p50_ms), Some(40));
    assert!(Service::ALL.iter().all(|&service| model.pool(service).busy == 0));
}

/// The worked example: 100 requests per second (one per tick), none answered by A alone;
/// A and B have 20 threads, C 200; every waiting room holds 20; A waits 2 s for B, B 1 s for C.
const CASCADE: &[(&str, &str)] = &[("local", "0"), ("pool_a", "20"), ("pool_b", "20"), ("pool_c", "200"), ("queue", "20"), ("timeout_ab", "2000"), ("timeout_bc", "1000")];

#[test]
fn without_a_breaker_a_slow_c_saturates_a() {
    // C takes 3 s from the start. Request i reaches A at tick i, calls B at i + 1, B calls C
    // at i + 2 and gives up at i + 102: C never answers in time, so every A thread is held for
    // 102 ticks and nothing succeeds.
    //
    // Requests 1–20 take A's threads (ticks 1–20), 21–40 wait in A's room, and from tick 41
    // the door is shut. At tick 103 request 1 fails, its thread takes request 21 and request
    // 103 takes the free place in the room; so each 102-tick cycle from tick 103 admits 20
    // (its first 20 ticks) and turns 82 away. By tick 1000 (cycles starting 103, 205, …, 919):
    // 62 + 8 × 82 + 62 = 780 turned away. Requests started at ticks 1–20 and in the first 20
    // ticks of cycles 0–7 have failed by then: 20 + 8 × 20 = 180.
    let mut model = chain(CASCADE);
    model.apply(&Action::SetLatency(3_000));
    for tick in 1..=1_000u32 {
        model.step_scripted(1);
        let a = model.pool(Service::A);
        if tick >= 20 {
            assert_eq!(a.busy, 20, "A is saturated at tick {tick}");
        }
        if tick >= 40 {
            assert_eq!(a.queued, 20, "A's waiting room is full at tick {tick}");
        }
        assert!(model.pool(Service::B).busy <= 20);
    }
    let totals = model.totals();
    assert_eq!(totals.succeeded, 0);
    assert_eq!(totals.turned_away, 780);
    assert_eq!(totals.failed, 180);
    assert_eq!(totals.rejected_fast, 0);
    assert_eq!(model.users_waiting(), 1_000 - 780 - 180);
}

#[test]
fn with_breakers_a_keeps_free_threads_and_fails_fast() {
    // The same run with a breaker on both hops (50% of at least 20 calls, open 5 s, 3 probes).
    // B's first 20 calls to C time out at ticks 103–122, so both breakers trip at tick 122.
    // Calls already out finish failing by about tick 225; after that A holds a thread only for
    // its own 10 ms of work, or for a probe: every 5 s the breakers let 3 probes through, which
    // wait B's 1 s timeout, fail, and reopen them.
    let mut model = chain(CASCADE);
    model.apply(&Action::SetBreaker(Hop::AB, true));
    model.apply(&Action::SetBreaker(Hop::BC, true));
    model.apply(&Action::SetLatency(3_000));
    let mut turned_away_at_300 = 0;
    for tick in 1..=3_000u32 {
        model.step_scripted(1);
        if tick == 122 {
            for hop in Hop::BOTH {
                let breaker = model.breaker(hop).expect("installed");
                assert_eq!((breaker.state(), breaker.since()), (BreakerState::Open, 122), "{}", hop.label());
            }
        }
        if tick >= 130 {
            for hop in Hop::BOTH {
                assert_ne!(model.breaker(hop).map(CircuitBreaker::state), Some(BreakerState::Closed), "tick {tick}");
            }
        }
        if tick == 300 {
            turned_away_at_300 = model.totals().turned_away;
        }
        if tick >= 300 {
            let a = model.pool(Service::A);
            assert!(a.busy <= 5, "tick {tick}: A has {} busy threads", a.busy);
            assert_eq!(a.queued, 0);
        }
    }
    let totals = model.totals();
    assert_eq!(totals.turned_away, turned_away_at_300, "nobody is turned away once the breakers are open");
    assert!(totals.rejected_fast > 2_500, "{totals:?}");
    for hop in Hop::BOTH {
        let breaker = model.breaker(hop).expect("installed");
        assert_eq!(breaker.rejected_in(BreakerState::Closed), 0);
        assert!(breaker.transition_count(BreakerState::Open, BreakerState::HalfOpen) >= 4);
        assert_eq!(breaker.transition_count(BreakerState::HalfOpen, BreakerState::Closed), 0, "C never recovers");
    }
    // Most answers are fast failures: the median user waits one tick of A's work, 10 ms.
    let fast = model.series().recent(100).filter(|sample| sample.p50_ms.is_some_and(|ms| ms <= 10)).count();
    assert!(fast >= 95, "{fast}");
}

#[test]
fn the_breaker_closes_again_when_c_recovers() {
    let mut timeline = Timeline::<BreakerChain>::new(params(&[]), 4, 4_000);
    timeline.act(Action::SetBreaker(Hop::BC, true));
    timeline.seek(100);
    timeline.act(Action::SetFailureRate(100));
    timeline.seek(1_000);
    assert_eq!(timeline.state().breaker(Hop::BC).map(CircuitBreaker::state), Some(BreakerState::Open));
    timeline.act(Action::SetFailureRate(0));
    timeline.seek(2_000);
    let breaker = timeline.state().breaker(Hop::BC).expect("installed");
    assert_eq!(breaker.state(), BreakerState::Closed);
    assert!(breaker.transition_count(BreakerState::HalfOpen, BreakerState::Closed) >= 1);
    let recent: Vec<&Sample> = timeline.state().series().recent(50).collect();
    assert!(recent.iter().all(|sample| sample.rejected_fast == 0));
    assert!(recent.iter().map(|sample| sample.succeeded).sum::<u32>() > 400);
}

#[test]
fn containment_keeps_a_serving_its_own_requests() {
    // Defaults: 100 requests per second, 20% answered by A alone. C turns slow at 1 s.
    let succeeded_late = |with_breakers: bool| {
        let mut actions = vec![(100, Action::SetLatency(3_000))];
        if with_breakers {
            actions.extend([(0, Action::SetBreaker(Hop::AB, true)), (0, Action::SetBreaker(Hop::BC, true))]);
        }
        let timeline = Timeline::<BreakerChain>::replay(params(&[]), 2, 6_000, actions, 6_000);
        let samples: Vec<Sample> = timeline.state().series().iter().filter(|sample| sample.time_ms > 10_000).copied().collect();
        let a_saturated = samples.iter().filter(|sample| sample.busy[0] == sample.pools[0]).count();
        (samples.iter().map(|sample| sample.succeeded).sum::<u32>(), a_saturated, samples.len())
    };
    let (without, saturated_without, windows) = succeeded_late(false);
    let (with, saturated_with, _) = succeeded_late(true);
    assert!(saturated_without * 10 >= windows * 9, "without breakers A is saturated almost always: {saturated_without}/{windows}");
    assert_eq!(saturated_with, 0);
    // About 20 requests per second need only A: 1,000 in 50 s.
    assert!(with > 800, "{with}");
    assert!(with > 3 * without, "with {with}, without {without}");
}

// ---- Harness: determinism, history, URLs, parameters ---------------------------------------------

fn scenario() -> Vec<(u64, Action)> {
    vec![
        (0, Action::SetBreaker(Hop::BC, true)),
        (150, Action::SetLatency(2_500)),
        (700, Action::SetBreaker(Hop::AB, true)),
        (900, Action::SetFailureRate(40)),
        (1_300, Action::SetLatency(20)),
    ]
}

#[test]
fn the_same_seed_and_actions_replay_the_same_run() {
    let run = |seed| Timeline::<BreakerChain>::replay(params(&[]), seed, 2_000, scenario(), 2_000);
    let (a, b) = (run(7), run(7));
    assert_eq!(a.state(), b.state());
    assert_eq!(a.state().narrate(), b.state().narrate());
    assert_ne!(a.state(), run(8).state());
}

#[test]
fn stepping_back_then_forward_returns_to_the_same_state() {
    let mut timeline = Timeline::<BreakerChain>::new(params(&[]), 3, 3_000);
    for (at, action) in scenario() {
        timeline.seek(at);
        timeline.act(action);
    }
    timeline.seek(1_600);
    let before = timeline.state().clone();
    for _ in 0..400 {
        timeline.step_back();
    }
    assert_eq!(timeline.tick(), 1_200);
    for _ in 0..400 {
        timeline.step_forward();
    }
    assert_eq!(timeline.state(), &before);
}

#[test]
fn a_shared_link_rebuilds_the_run() {
    let mut timeline = Timeline::<BreakerChain>::new(params(&[("rate", "300")]), 9, 3_000);
    for (at, action) in scenario() {
        timeline.seek(at);
        timeline.act(action);
    }
    timeline.seek(1_500);
    let (actions, skipped) = Timeline::<BreakerChain>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    let rebuilt = Timeline::<BreakerChain>::replay(params(&[("rate", "300")]), 9, 3_000, actions, 1_500);
    assert_eq!(rebuilt.state(), timeline.state());
}

#[test]
fn actions_round_trip_and_garbage_is_refused() {
    let every = [
        Action::SetLatency(1),
        Action::SetLatency(MAX_LATENCY_MS),
        Action::SetFailureRate(0),
        Action::SetFailureRate(100),
        Action::SetBreaker(Hop::AB, true),
        Action::SetBreaker(Hop::AB, false),
        Action::SetBreaker(Hop::BC, true),
        Action::SetBreaker(Hop::BC, false),
    ];
    for action in every {
        let text = BreakerChain::encode_action(&action);
        assert!(text.chars().all(|c| c.is_ascii_alphanumeric()), "{text} must be URL-safe");
        assert_eq!(BreakerChain::decode_action(&text), Some(action));
    }
    for garbage in ["", "L", "L0", "L10001", "L-5", "L1e3", "F101", "F", "F+5", "ab", "ab2", "ab10", "cd1", "x", "L99999999999", "💥", "bc 1"] {
        assert_eq!(BreakerChain::decode_action(garbage), None, "{garbage:?}");
    }
}

const FOREIGN: &[ParamSpec] = &[ParamSpec { key: "rate", label: "Rate", kind: ParamKind::Choice(&[("fast", "Fast")]), default: Value::Choice("fast") }];

#[test]
fn parameters_from_anywhere_are_clamped_or_defaulted() {
    let defaults = Config::from_params(&Params::defaults(BREAKER_PARAMS));
    assert_eq!(Config::from_params(&Params::defaults(FOREIGN)), defaults);
    let mut wild = Params::defaults(BREAKER_PARAMS);
    wild.set("rate", Value::Int(-5));
    wild.set("pool_a", Value::Int(1_000_000));
    wild.set("local", Value::Float(f64::NAN));
    wild.set("open", Value::Bool(true));
    let config = Config::from_params(&wild);
    assert_eq!((config.requests_per_second, config.pools[0], config.local_share), (1, 200, defaults.local_share));
    assert_eq!(config.breaker.open_ticks, defaults.breaker.open_ticks);
    assert_eq!(defaults.breaker.window_ticks, 1_000);
    assert_eq!(defaults.timeout_ticks, [200, 100]);
}

// ---- Properties ---------------------------------------------------------------------------------

/// Bookkeeping that must hold after every tick.
fn check_invariants(model: &BreakerChain) {
    for service in Service::ALL {
        let pool = model.pool(service);
        assert!(pool.busy <= pool.threads && pool.queued <= pool.queue_limit, "{service:?}: {pool:?}");
    }
    let totals = model.totals();
    let answered = totals.succeeded + totals.failed + totals.rejected_fast + totals.turned_away;
    assert_eq!(totals.requests, answered + model.users_waiting(), "every request is answered or waiting: {totals:?}");
    // Every job whose caller waits is the one its caller is calling.
    for hop in Hop::BOTH {
        let callers = &model.pools[hop.caller().index()];
        let callees = &model.pools[hop.callee().index()];
        for job in callees.running.iter().chain(callees.queue.iter()).filter(|job| job.caller_waiting) {
            let caller = job.parent.and_then(|parent| callers.running.iter().find(|caller| caller.id == parent));
            assert!(matches!(caller.map(|c| c.phase), Some(Phase::Calling { call, .. }) if call == job.id), "{hop:?}: orphan {job:?}");
        }
    }
    for hop in Hop::BOTH {
        if let Some(breaker) = model.breaker(hop) {
            assert_eq!(breaker.rejected_in(BreakerState::Closed), 0, "a closed breaker never rejects");
            let (in_flight, succeeded) = breaker.probes();
            assert!(in_flight + succeeded <= breaker.settings().probes);
            check_edges(breaker);
        }
    }
}

/// Every recorded move is a legal edge, and the moves chain: each starts where the last ended.
fn check_edges(breaker: &CircuitBreaker) {
    let moves: Vec<&Transition> = breaker.transitions().collect();
    for transition in &moves {
        assert!(is_legal_edge(transition.from, transition.to), "{transition:?}");
    }
    for pair in moves.windows(2) {
        assert_eq!(pair[0].to, pair[1].from);
        assert!(pair[0].at <= pair[1].at);
    }
    if let Some(last) = moves.last() {
        assert_eq!(last.to, breaker.state());
    }
    for from in BreakerState::ALL {
        for to in BreakerState::ALL {
            if !is_legal_edge(from, to) {
                assert_eq!(breaker.transition_count(from, to), 0, "{from:?} → {to:?}");
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Operation {
    Admit,
    /// Reports the outcome of the outstanding call at this index (modulo their number).
    Resolve(usize, bool),
    Wait(u32),
}

fn any_operation() -> impl Strategy<Value = Operation> {
    prop_oneof![
        3 => Just(Operation::Admit),
        3 => (any::<usize>(), any::<bool>()).prop_map(|(index, ok)| Operation::Resolve(index, ok)),
        1 => (1u32..80).prop_map(Operation::Wait),
    ]
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (1u32..=MAX_LATENCY_MS).prop_map(Action::SetLatency),
        (0u32..=100).prop_map(Action::SetFailureRate),
        (proptest::sample::select(Hop::BOTH.to_vec()), any::<bool>()).prop_map(|(hop, on)| Action::SetBreaker(hop, on)),
    ]
}

fn any_params() -> impl Strategy<Value = Params> {
    (
        (1i64..=600, 0.0f64..=0.9, 1i64..=40, 1i64..=40, 1i64..=60, 0i64..=30),
        (10i64..=3_000, 10i64..=3_000, 1i64..=100, 1i64..=40, 1i64..=5, 100i64..=3_000, 1i64..=5),
    )
        .prop_map(|((rate, local, pool_a, pool_b, pool_c, queue), (timeout_ab, timeout_bc, threshold, min_calls, window, open, probes))| {
            let mut params = Params::defaults(BREAKER_PARAMS);
            for (key, value) in [("rate", rate), ("pool_a", pool_a), ("pool_b", pool_b), ("pool_c", pool_c), ("queue", queue), ("timeout_ab", timeout_ab), ("timeout_bc", timeout_bc)] {
                params.set(key, Value::Int(value));
            }
            for (key, value) in [("threshold", threshold), ("min_calls", min_calls), ("window", window), ("open", open), ("probes", probes)] {
                params.set(key, Value::Int(value));
            }
            params.set("local", Value::Float(local));
            params
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Whatever calls come and however they end, a lone breaker moves only along legal edges,
    /// never rejects while closed, and never has more probes out than allowed.
    #[test]
    fn a_breaker_moves_only_along_legal_edges(
        minimum_calls in 1u32..10,
        threshold in 1u32..=100,
        probes in 1u32..4,
        operations in proptest::collection::vec(any_operation(), 1..400),
    ) {
        let settings = BreakerSettings { failure_threshold_percent: threshold, minimum_calls, window_ticks: 200, open_ticks: 30, probes };
        let mut breaker = CircuitBreaker::new(settings, 0);
        let mut now = 0u32;
        let mut outstanding: Vec<machine::Ticket> = Vec::new();
        for operation in operations {
            match operation {
                Operation::Admit => {
                    breaker.advance(now);
                    let before = breaker.state();
                    match breaker.admit(now) {
                        Admission::Reject => prop_assert_ne!(before, BreakerState::Closed),
                        Admission::Pass(ticket) => { prop_assert_eq!(before, BreakerState::Closed); outstanding.push(ticket) }
                        Admission::Probe(ticket) => { prop_assert_eq!(before, BreakerState::HalfOpen); outstanding.push(ticket) }
                    }
                }
                Operation::Resolve(index, ok) if !outstanding.is_empty() => {
                    let ticket = outstanding.swap_remove(index % outstanding.len());
                    breaker.record(now, ticket, ok);
                }
                Operation::Resolve(..) => {}
                Operation::Wait(ticks) => now += ticks,
            }
            let (in_flight, succeeded) = breaker.probes();
            prop_assert!(in_flight + succeeded <= probes);
            check_edges(&breaker);
        }
        prop_assert_eq!(breaker.rejected_in(BreakerState::Closed), 0);
    }

    /// In the whole chain, whatever the parameters and the reader's actions: every breaker stays
    /// on its graph and never rejects while closed, pools respect their bounds, and every user
    /// request is answered or still waiting.
    #[test]
    fn the_chain_keeps_its_invariants(
        params in any_params(),
        seed in any::<u64>(),
        mut actions in proptest::collection::vec((0u64..500, any_action()), 0..12),
    ) {
        actions.sort_by_key(|(at, _)| *at);
        let mut timeline = Timeline::<BreakerChain>::new(params, seed, 500);
        while !timeline.at_end() {
            let now = timeline.tick();
            for (_, action) in actions.iter().filter(|(at, _)| *at == now) {
                timeline.act(*action);
            }
            timeline.step_forward();
            check_invariants(timeline.state());
        }
    }
}
