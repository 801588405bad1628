use crate::sim::{ParamKind, ParamSpec, Timeline, Value};
use proptest::prelude::*;

use super::*;

fn params(pairs: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(LIMITER_PARAMS);
    for (key, value) in pairs {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn model(pairs: &[(&str, &str)]) -> RateLimiters {
    RateLimiters::new(&params(pairs), 1)
}

/// Scripted arrivals: `(tick, count)` in order; ticks between get none. Returns each entry's
/// per-limiter accepted counts.
fn script(model: &mut RateLimiters, arrivals: &[(u64, u32)]) -> Vec<[u32; 5]> {
    arrivals
        .iter()
        .map(|&(tick, count)| {
            while model.tick() < tick {
                model.step_scripted(0);
            }
            model.step_scripted(count);
            model.last_tick().accepted
        })
        .collect()
}

fn accepted_by(results: &[[u32; 5]], kind: Kind) -> Vec<u32> {
    results.iter().map(|accepted| accepted[kind.index()]).collect()
}

// ---- Worked by hand -----------------------------------------------------------------------------

/// The example: capacity 10, refilling 5 tokens per second (0.05 per 10 ms tick),
/// starting full.
/// - t = 0: 12 arrive, 10 tokens: 10 accepted, 2 rejected, 0 left.
/// - t = 1 s: 5 tokens refilled; 7 arrive: 5 accepted, 0 left.
/// - t = 1.5 s: 2.5 tokens; 3 arrive: 2 accepted, 0.5 left.
/// - t = 2 s: 0.5 + 2.5 = 3 tokens; 1 arrives: accepted, 2 left.
/// - t = 4 s: 2 + 10 = 12, capped at 10; 20 arrive: 10 accepted.
/// - t = 4.01 s: 0.05 tokens; 1 arrives: rejected.
const TOKEN_SCRIPT: [(u64, u32); 6] = [(0, 12), (100, 7), (150, 3), (200, 1), (400, 20), (401, 1)];
const TOKEN_ACCEPTED: [u32; 6] = [10, 5, 2, 1, 10, 0];

#[test]
fn a_token_bucket_of_10_refilling_5_per_second_accepts_exactly_what_it_should() {
    let mut bucket = TokenBucket::new(10, Rate::per_second(5));
    let mut left = Vec::new();
    let accepted: Vec<u32> = TOKEN_SCRIPT
        .iter()
        .map(|&(tick, count)| {
            let accepted = bucket.offer(tick, count);
            left.push(bucket.tokens());
            accepted
        })
        .collect();
    assert_eq!(accepted, TOKEN_ACCEPTED);
    assert_eq!(left, [0.0, 0.0, 0.5, 2.0, 0.0, 0.05]);
    let total: u32 = accepted.iter().sum();
    let arrived: u32 = TOKEN_SCRIPT.iter().map(|(_, count)| count).sum();
    assert_eq!((total, arrived - total), (28, 16));
}

#[test]
fn the_assembled_model_gives_the_same_token_bucket_answers() {
    // A limit of 10 per 2 s makes the token bucket exactly the issue's: 10 tokens, 5 per second.
    let mut model = model(&[("limit", "10"), ("window", "2")]);
    let results = script(&mut model, &TOKEN_SCRIPT);
    assert_eq!(accepted_by(&results, Kind::TokenBucket), TOKEN_ACCEPTED);
    assert_eq!(model.limiter(Kind::TokenBucket).accepted, 28);
    assert_eq!(model.limiter(Kind::TokenBucket).rejected, 16);
    // The fixed window of 2 s restarts at 0, 2 s and 4 s: 10 | 0, 0 (t = 1 s, 1.5 s) | 1 | 10, 0.
    assert_eq!(accepted_by(&results, Kind::FixedWindow), [10, 0, 0, 1, 10, 0]);
}

/// A leaky bucket draining 10 per second (one per 10 ticks) with room for 10. Twelve arrive at
/// once into an idle bucket: 10 queue, 2 are refused. The first leaves at once, then one every
/// 100 ms: the tenth leaves at 900 ms, having waited for the 9 ahead of it at 10 per second.
#[test]
fn a_leaky_bucket_turns_a_burst_into_delay() {
    let mut model = model(&[]);
    model.step_scripted(12);
    assert_eq!(model.last_tick().accepted[Kind::LeakyBucket.index()], 10);
    assert_eq!(model.last_tick().leaky_sent, 1);
    let delays = model.leaky_delays();
    assert_eq!((delays.queued, delays.drain_ms), (9, 900), "9 waiting drain in 9 / (10 per s)");
    let mut departures = Vec::new();
    while model.tick() < 200 {
        model.step_scripted(0);
        if model.last_tick().leaky_sent > 0 {
            departures.push((model.tick() - 1, model.last_tick().leaky_sent));
        }
    }
    assert_eq!(departures, (1..10).map(|n| (n * 10, 1)).collect::<Vec<_>>());
    let first = model.history().iter().next().copied().expect("a sample at 100 ms");
    assert_eq!((first.time_ms, first.leaky_queued, first.leaky_oldest_wait_ms), (100, 9, 100), "the next leaves at tick 10");
    assert_eq!((first.leaky_sent, first.leaky_max_delay_ms), (1, Some(0)));
    let second = model.history().iter().nth(1).copied().expect("a sample at 200 ms");
    assert_eq!((second.leaky_queued, second.leaky_oldest_wait_ms, second.leaky_max_delay_ms), (8, 200, Some(100)));
    assert!(model.history().iter().all(|sample| sample.value(Line::LeakyOldestWaitMs).is_finite()));
    let delays = model.leaky_delays();
    assert_eq!((delays.max_ms, delays.p50_ms, delays.p99_ms), (900, Some(400), Some(900)));
    assert_eq!(delays.mean_ms, Some(450.0), "0, 100, …, 900 ms");
    assert_eq!(model.limiter(Kind::LeakyBucket).rejected, 2);
    assert_eq!(model.limiter(Kind::LeakyBucket).most_in_window, 10, "it sent at most 10 in any second");
}

/// The edge burst with the defaults (10 per 1 s, bursts of 20): 10 requests in the last tick
/// of the second window (1.99 s) and 10 in the first tick of the third (2.00 s).
/// - Fixed window: the count is 0 at 1.99 s, so 10 pass; at 2.00 s it resets, so 10 more pass.
///   20 requests, twice the limit, in 20 ms.
/// - Sliding log: 10 pass at 1.99 s; at 2.00 s those 10 are still in the last second: none.
/// - Sliding counter: 10 pass at 1.99 s; at 2.00 s the previous window (10) still weighs fully.
/// - Token bucket: 10 tokens, then 0.1 token refilled by 2.00 s: 10 pass.
/// - Leaky bucket: 10 queue at 1.99 s and one leaves at once; at 2.00 s one place is free.
#[test]
fn a_burst_at_the_window_edge_lets_the_fixed_window_pass_twice_its_limit() {
    let timeline = Timeline::<RateLimiters>::replay(params(&[]), 1, 1_000, vec![(0, Action::SetPattern(Pattern::EdgeBursts))], 201);
    let state = timeline.state();
    let report = state.last_burst().expect("the edge burst came");
    assert_eq!((report.first_tick, report.last_tick, report.arrivals), (199, 200, 20));
    assert!(report.crossed_boundary);
    assert_eq!(report.accepted, [10, 11, 20, 10, 10]);
    assert_eq!(state.limiter(Kind::FixedWindow).most_in_window, 20);
    assert_eq!(state.limiter(Kind::FixedWindow).most_ending_ms, 2010);
    for kind in [Kind::TokenBucket, Kind::SlidingLog, Kind::SlidingCounter] {
        assert_eq!(state.limiter(kind).most_in_window, 10, "{kind:?}");
    }
    assert_eq!(state.limiter(Kind::LeakyBucket).most_in_window, 1, "it has sent one so far");
    let told = state.narrate();
    assert!(told.starts_with("1.99 s: "), "{told}");
    assert!(told.contains("20 requests arrived in 20 ms across the window boundary at 2 s"), "{told}");
    assert!(told.contains("fixed window 20") && told.contains("more than its limit of 10"), "{told}");
    assert_eq!(state.edge_story(), Some(told), "the note keeps the edge burst after the narration moves on");
    let mut later = timeline.clone();
    later.seek(500);
    assert_eq!(later.tick(), 500);
    assert!(later.state().narrate().starts_with("5 s: edge-burst traffic"), "{}", later.state().narrate());
    assert!(later.state().edge_story().is_some_and(|story| story.starts_with("1.99 s: ")));
}

/// The counter weighs the previous window by how much of it still overlaps the last second.
/// Limit 10 per 100 ticks; 10 accepted at tick 50 (window 0).
/// - tick 100: weight 1, estimate 10: nothing more.
/// - tick 150: weight ½, estimate 5: 5 accepted.
/// - tick 175: weight ¼, estimate 2.5 + 5 = 7.5: room for 2.5, so 2.
/// - tick 300: two windows on, nothing carried: 10.
#[test]
fn the_sliding_counter_weighs_the_previous_window() {
    let mut counter = SlidingCounter::new(10, 100);
    let accepted: Vec<u32> = [(50, 20), (100, 5), (150, 9), (175, 9), (300, 20)].iter().map(|&(tick, count)| counter.offer(tick, count)).collect();
    assert_eq!(accepted, [10, 0, 5, 2, 10]);
    assert_eq!(counter.estimate(300), 10.0);
    assert_eq!(counter.estimate(350), 10.0, "still in window 3");
    assert_eq!(counter.estimate(450), 5.0, "half of window 3 carried into window 4");
}

#[test]
fn the_sliding_log_remembers_exactly_one_window() {
    let mut log = SlidingLog::new(3, 100);
    let accepted: Vec<u32> = [(0, 2), (50, 2), (99, 1), (100, 5), (150, 5)].iter().map(|&(tick, count)| log.offer(tick, count)).collect();
    // tick 100 forgets tick 0's two; tick 150 forgets tick 50's one.
    assert_eq!(accepted, [2, 1, 0, 2, 1]);
    assert_eq!(log.in_window_at(199), 3);
    assert_eq!(log.in_window_at(200), 1, "tick 100's two leave at tick 200");
}

#[test]
fn steady_traffic_under_the_limit_passes_every_limiter_without_delay() {
    let mut timeline = Timeline::<RateLimiters>::new(params(&[("rate", "8")]), 1, 1_000);
    timeline.act(Action::SetPattern(Pattern::Steady));
    timeline.seek(1_000);
    let state = timeline.state();
    assert_eq!(state.totals().arrivals, 80, "8 per second for 10 s, evenly spaced");
    for kind in Kind::ALL {
        assert_eq!(state.limiter(kind).rejected, 0, "{kind:?}");
    }
    assert_eq!(state.leaky_delays().max_ms, 0);
    assert_eq!(state.limiter(Kind::FixedWindow).most_in_window, 8);
}

#[test]
fn burst_now_arrives_at_the_next_tick_on_top_of_the_pattern() {
    let mut timeline = Timeline::<RateLimiters>::new(params(&[("burst", "30")]), 4, 500);
    timeline.act(Action::SetPattern(Pattern::Steady));
    timeline.seek(333);
    let before = timeline.state().totals().arrivals;
    timeline.act(Action::Burst);
    assert!(timeline.state().narrate().contains("a burst of 30 requests is on its way"));
    timeline.step_forward();
    let state = timeline.state();
    assert!(state.last_tick().arrivals >= 30);
    assert_eq!(state.totals().arrivals - before, u64::from(state.last_tick().arrivals));
    let report = state.last_burst().expect("reported");
    assert_eq!((report.first_tick, report.last_tick), (333, 333));
    assert!(!report.crossed_boundary);
    assert_eq!(state.edge_story(), None, "a burst inside one window is no edge burst");
}

// ---- Bookkeeping that must hold after every tick -----------------------------------------------

fn check_invariants(state: &RateLimiters) {
    let totals = state.totals();
    let views = Kind::ALL.map(|kind| state.limiter(kind));
    for view in &views {
        assert_eq!(view.accepted + view.rejected, totals.arrivals, "{:?}: accepted + rejected = arrivals", view.kind);
    }
    let most = |kind: Kind| views[kind.index()].most_in_window;
    let last = state.last_tick();
    assert!(last.accepted.iter().all(|&accepted| accepted <= last.arrivals));
    let bucket = state.token_bucket();
    assert!(bucket.token_units() <= bucket.capacity_units(), "tokens never above capacity");
    let leaky = state.leaky_bucket();
    assert!(leaky.queued() <= leaky.capacity());
    assert_eq!(totals.accepted[Kind::LeakyBucket.index()], totals.leaky_sent + u64::from(leaky.queued()), "everything queued is sent or waiting");
    let limit = u64::from(state.config().limit);
    assert!(most(Kind::SlidingLog) <= limit);
    assert!(most(Kind::FixedWindow) <= 2 * limit);
    assert!(most(Kind::LeakyBucket) <= limit, "never sends faster than its rate");
    let window = state.config().window_ticks;
    assert!(most(Kind::TokenBucket) * window <= limit * window + (window - 1) * limit, "capacity plus refill");
    if let Some(sample) = state.history().last() {
        for kind in Kind::ALL {
            assert_eq!(sample.accepted[kind.index()] + sample.rejected[kind.index()], sample.arrivals);
        }
        let window_ms = state.config().window_ticks * TICK_MS;
        assert!(sample.leaky_max_delay_ms.unwrap_or(0) < window_ms, "a full queue drains within one window");
        assert!(sample.leaky_oldest_wait_ms < window_ms);
    }
    // The percentiles sort up to a thousand delays: checked now and then, not every tick.
    if state.tick() % 25 != 0 {
        return;
    }
    let delays = state.leaky_delays();
    assert!(delays.recent <= RECENT_DELAYS);
    assert!(delays.p50_ms <= delays.p99_ms && delays.p99_ms.unwrap_or(0) <= delays.max_ms);
}

// ---- Properties ---------------------------------------------------------------------------------

/// Arrivals per tick: mostly quiet, sometimes bursts.
fn arrivals(ticks: usize) -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::vec(prop_oneof![6 => 0u32..3, 2 => 0u32..15, 1 => 0u32..200], 1..ticks)
}

/// The most any span of `window` consecutive ticks holds.
fn busiest_span(per_tick: &[u32], window: usize) -> u32 {
    per_tick.windows(window.min(per_tick.len()).max(1)).map(|span| span.iter().sum()).max().unwrap_or(0)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Tokens stay within 0..=capacity, and over any span the bucket accepts no more than it
    /// held at the start plus what refilled.
    #[test]
    fn token_bucket_tokens_stay_between_empty_and_full(capacity in 1u32..50, requests in 1u64..20, per_ticks in 1u64..300, arrivals in arrivals(400)) {
        let mut bucket = TokenBucket::new(capacity, Rate::new(requests, per_ticks));
        let mut accepted = Vec::new();
        for (tick, &count) in arrivals.iter().enumerate() {
            let passed = bucket.offer(tick as u64, count);
            prop_assert!(passed <= count);
            prop_assert!(bucket.token_units() <= bucket.capacity_units());
            prop_assert!(bucket.tokens() >= 0.0);
            accepted.push(u64::from(passed));
        }
        for start in 0..accepted.len() {
            let mut sum = 0;
            for (offset, passed) in accepted[start..].iter().enumerate() {
                sum += passed;
                prop_assert!(sum * per_ticks <= u64::from(capacity) * per_ticks + offset as u64 * requests);
            }
        }
    }

    /// The sliding log never lets more than `limit` through in any `window` ticks; the fixed
    /// window never more than twice that.
    #[test]
    fn the_sliding_log_never_exceeds_the_limit_in_any_window(limit in 1u32..30, window in 1u64..120, arrivals in arrivals(500)) {
        let mut log = SlidingLog::new(limit, window);
        let mut fixed = FixedWindow::new(limit, window);
        let (mut logged, mut counted) = (Vec::new(), Vec::new());
        for (tick, &count) in arrivals.iter().enumerate() {
            logged.push(log.offer(tick as u64, count));
            counted.push(fixed.offer(tick as u64, count));
        }
        prop_assert!(busiest_span(&logged, window as usize) <= limit);
        prop_assert!(busiest_span(&counted, window as usize) <= 2 * limit);
    }

    /// The leaky bucket sends at most its rate (n ticks send at most n·rate plus the one request
    /// an idle bucket has ready), first in first out, and each request waits its queue / rate:
    /// with k requests ahead of it, k·W < (wait + 1)·L and wait·L < (k + 1)·W.
    #[test]
    fn the_leaky_bucket_never_sends_faster_than_its_rate(capacity in 1u32..40, requests in 1u64..20, per_ticks in 1u64..200, arrivals in arrivals(400)) {
        let mut bucket = LeakyBucket::new(capacity, Rate::new(requests, per_ticks));
        let mut waiting: std::collections::VecDeque<(u64, u64)> = Default::default();
        let mut sent_per_tick = Vec::new();
        for (tick, &count) in arrivals.iter().enumerate() {
            let tick = tick as u64;
            let ahead = u64::from(bucket.queued());
            let mut heard = Vec::new();
            let leaked = bucket.offer(tick, count, |waited, sent| heard.push((waited, sent)));
            prop_assert_eq!(u64::from(bucket.queued()) + u64::from(leaked.sent), ahead + u64::from(leaked.accepted));
            waiting.extend((0..u64::from(leaked.accepted)).map(|index| (tick, ahead + index)));
            for _ in 0..leaked.sent {
                let (arrived, k) = waiting.pop_front().expect("sent only what was queued");
                let wait = tick - arrived;
                prop_assert!(k * per_ticks < (wait + 1) * requests && wait * requests < (k + 1) * per_ticks, "k {} wait {}", k, wait);
            }
            let heard_total: u32 = heard.iter().map(|(_, sent)| sent).sum();
            prop_assert_eq!(heard_total, leaked.sent);
            prop_assert!(heard.iter().all(|&(waited, _)| waited <= tick));
            sent_per_tick.push(u64::from(leaked.sent));
        }
        for start in 0..sent_per_tick.len() {
            let mut sum = 0;
            for (offset, sent) in sent_per_tick[start..].iter().enumerate() {
                sum += sent;
                let ticks = offset as u64 + 1;
                prop_assert!(sum * per_ticks < ticks * requests + per_ticks, "{} sent in {} ticks", sum, ticks);
            }
        }
    }

    /// Skipping ticks changes nothing: an offer after a gap drains the gap first.
    #[test]
    fn the_leaky_bucket_is_the_same_with_or_without_empty_offers(capacity in 1u32..40, requests in 1u64..20, per_ticks in 1u64..200, arrivals in arrivals(300)) {
        let mut every_tick = LeakyBucket::new(capacity, Rate::new(requests, per_ticks));
        let mut with_gaps = every_tick.clone();
        let (mut sent_each, mut sent_gaps) = (0, 0);
        for (tick, &count) in arrivals.iter().enumerate() {
            sent_each += every_tick.offer(tick as u64, count, |_, _| {}).sent;
            if count > 0 {
                sent_gaps += with_gaps.offer(tick as u64, count, |_, _| {}).sent;
            }
        }
        let end = arrivals.len() as u64;
        sent_each += every_tick.offer(end, 0, |_, _| {}).sent;
        sent_gaps += with_gaps.offer(end, 0, |_, _| {}).sent;
        prop_assert_eq!(sent_each, sent_gaps);
        prop_assert_eq!(every_tick, with_gaps);
    }

    /// The sliding counter's estimate never passes the limit, and its current window never
    /// holds more than the limit.
    #[test]
    fn the_sliding_counter_keeps_its_estimate_within_the_limit(limit in 1u32..30, window in 1u64..120, arrivals in arrivals(500)) {
        let mut counter = SlidingCounter::new(limit, window);
        for (tick, &count) in arrivals.iter().enumerate() {
            counter.offer(tick as u64, count);
            prop_assert!(counter.current() <= limit);
            prop_assert!(counter.estimate(tick as u64) <= f64::from(limit) + 1e-9);
        }
    }

    /// Whatever the parameters, patterns and bursts: every limiter accounts for every arrival.
    #[test]
    fn every_limiter_accounts_for_every_arrival(params in any_params(), seed in any::<u64>(), actions in proptest::collection::vec((0u64..600, any_action()), 0..10)) {
        drive(params, seed, actions, 600, check_invariants);
    }
}

fn any_params() -> impl Strategy<Value = Params> {
    (1i64..=1_000, 1i64..=10, 0i64..=1_000, 0i64..=5_000).prop_map(|(limit, window, rate, burst)| {
        let mut params = Params::defaults(LIMITER_PARAMS);
        params.set("limit", Value::Int(limit));
        params.set("window", Value::Int(window));
        params.set("rate", Value::Int(rate));
        params.set("burst", Value::Int(burst));
        params
    })
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![proptest::sample::select(Pattern::ALL.to_vec()).prop_map(Action::SetPattern), Just(Action::Burst)]
}

/// Drives a timeline tick by tick as the view would, acting at the given ticks.
fn drive(params: Params, seed: u64, mut actions: Vec<(u64, Action)>, ticks: u64, mut check: impl FnMut(&RateLimiters)) {
    actions.sort_by_key(|(at, _)| *at);
    let mut timeline = Timeline::<RateLimiters>::new(params, seed, ticks);
    while !timeline.at_end() {
        let now = timeline.tick();
        for (_, action) in actions.iter().filter(|(at, _)| *at == now) {
            timeline.act(*action);
        }
        timeline.step_forward();
        check(timeline.state());
    }
}

// ---- Harness: determinism, history, URLs, parameters ---------------------------------------------

#[test]
fn the_same_seed_and_actions_replay_the_same_run() {
    let actions = vec![(0, Action::SetPattern(Pattern::Poisson)), (250, Action::Burst), (400, Action::SetPattern(Pattern::EdgeBursts))];
    let a = Timeline::<RateLimiters>::replay(params(&[("rate", "15")]), 11, 900, actions.clone(), 900);
    let b = Timeline::<RateLimiters>::replay(params(&[("rate", "15")]), 11, 900, actions.clone(), 900);
    assert_eq!(a.state(), b.state());
    let other = Timeline::<RateLimiters>::replay(params(&[("rate", "15")]), 12, 900, actions, 900);
    assert_ne!(a.state().totals(), other.state().totals());
}

#[test]
fn stepping_back_then_forward_returns_to_the_same_state() {
    let mut timeline = Timeline::<RateLimiters>::new(params(&[]), 3, 2_000);
    timeline.seek(300);
    timeline.act(Action::Burst);
    timeline.seek(800);
    let before = timeline.state().clone();
    for _ in 0..250 {
        timeline.step_back();
    }
    assert_eq!(timeline.tick(), 550);
    for _ in 0..250 {
        timeline.step_forward();
    }
    assert_eq!(timeline.state(), &before);
}

#[test]
fn a_shared_link_rebuilds_the_run() {
    let mut timeline = Timeline::<RateLimiters>::new(params(&[("limit", "20")]), 8, 1_500);
    timeline.seek(120);
    timeline.act(Action::SetPattern(Pattern::EdgeBursts));
    timeline.seek(500);
    timeline.act(Action::Burst);
    timeline.seek(900);
    let (actions, skipped) = Timeline::<RateLimiters>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    let rebuilt = Timeline::<RateLimiters>::replay(params(&[("limit", "20")]), 8, 1_500, actions, 900);
    assert_eq!(rebuilt.state(), timeline.state());
}

#[test]
fn actions_round_trip_and_garbage_is_refused() {
    let mut every: Vec<Action> = Pattern::ALL.into_iter().map(Action::SetPattern).collect();
    every.push(Action::Burst);
    for action in every {
        let text = RateLimiters::encode_action(&action);
        assert!(text.chars().all(|c| c.is_ascii_alphanumeric()), "{text} must be URL-safe");
        assert_eq!(RateLimiters::decode_action(&text), Some(action));
    }
    for garbage in ["", "p", "px", "pss", "bb", "B", "s", "p💥", "💥"] {
        assert_eq!(RateLimiters::decode_action(garbage), None, "{garbage:?}");
    }
}

const FOREIGN: &[ParamSpec] = &[ParamSpec { key: "limit", label: "Limit", kind: ParamKind::Choice(&[("x", "X")]), default: Value::Choice("x") }];

#[test]
fn parameters_from_anywhere_are_clamped_or_defaulted() {
    let defaults = Config::from_params(&Params::defaults(LIMITER_PARAMS));
    assert_eq!(defaults, Config { limit: 10, window_ticks: 100, rate_per_second: 8, burst: 20 });
    assert_eq!(Config::from_params(&Params::defaults(FOREIGN)), defaults);
    let mut wild = Params::defaults(LIMITER_PARAMS);
    wild.set("limit", Value::Int(-5));
    wild.set("window", Value::Int(1_000_000));
    wild.set("rate", Value::Float(f64::NAN));
    wild.set("burst", Value::Bool(true));
    let config = Config::from_params(&wild);
    assert_eq!(config, Config { limit: 1, window_ticks: 1_000, rate_per_second: 8, burst: 20 });
    let mut model = RateLimiters::new(&wild, 1);
    for _ in 0..300 {
        model.step();
    }
    check_invariants(&model);
}

#[test]
fn extreme_parameters_run_without_panicking() {
    let lowest = [("limit", "1"), ("window", "1"), ("rate", "0"), ("burst", "0")];
    let highest = [("limit", "1000"), ("window", "10"), ("rate", "1000"), ("burst", "5000")];
    let mixed = [("limit", "1"), ("window", "10"), ("rate", "1000"), ("burst", "5000")];
    for pairs in [&lowest[..], &highest[..], &mixed[..]] {
        for pattern in Pattern::ALL {
            let actions = vec![(0, Action::SetPattern(pattern)), (50, Action::Burst), (51, Action::Burst)];
            let timeline = Timeline::<RateLimiters>::replay(params(pairs), 9, 2_500, actions, 2_500);
            check_invariants(timeline.state());
            assert!(!timeline.state().narrate().is_empty());
        }
    }
}

#[test]
fn samples_add_up_to_the_totals_and_the_history_is_capped() {
    let mut model = model(&[("rate", "30")]);
    for _ in 0..1_000 {
        model.step();
    }
    let history = model.history();
    assert_eq!(history.len(), 100);
    let arrivals: u64 = history.iter().map(|sample| u64::from(sample.arrivals)).sum();
    assert_eq!(arrivals, model.totals().arrivals);
    for kind in Kind::ALL {
        let accepted: u64 = history.iter().map(|sample| u64::from(sample.accepted[kind.index()])).sum();
        assert_eq!(accepted, model.limiter(kind).accepted, "{kind:?}");
    }
    let points = history.points(Line::Accepted(Kind::FixedWindow), 20);
    assert_eq!(points.len(), 20);
    assert_eq!(points[19].0, 10.0);
    let copy = model.clone();
    assert_eq!(copy.history(), model.history());
    for _ in 0..31_000 {
        model.step();
    }
    assert!(model.history().len() <= MAX_SAMPLES && model.history().len() > MAX_SAMPLES - 64);
    assert_eq!(model.history().last().map(|sample| sample.time_ms), Some(320_000));
}

#[test]
fn states_read_in_words() {
    let mut model = model(&[]);
    model.step_scripted(4);
    assert_eq!(model.limiter(Kind::TokenBucket).state, "6 of 10 tokens");
    assert_eq!(model.limiter(Kind::LeakyBucket).state, "3 of 10 queued");
    assert_eq!(model.limiter(Kind::FixedWindow).state, "4 of 10 used, resets in 990 ms");
    assert_eq!(model.limiter(Kind::SlidingLog).state, "4 of 10 in the last 1 s");
    assert_eq!(model.limiter(Kind::SlidingCounter).state, "estimate 4 of 10");
    assert_eq!(format_ms(1_500), "1.5 s");
    assert_eq!(format_ms(2_000), "2 s");
    assert_eq!(format_ms(20), "20 ms");
    assert_eq!(format_ms(1_990), "1.99 s");
}
