use crate::sim::{ParamKind, ParamSpec, Params, Timeline, Value};
use proptest::prelude::*;
use proptest::strategy::Strategy as _;

use super::*;
use super::Strategy;

fn params(pairs: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(RETRY_PARAMS);
    for (key, value) in pairs {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-9
}

const IMMEDIATE: usize = 0;
const EXPONENTIAL: usize = 1;
const FULL_JITTER: usize = 2;
const DECORRELATED: usize = 3;
const BUDGET: usize = 4;

// ---- The formulas, by hand ---------------------------------------------------------------------

#[test]
fn exponential_backoff_doubles_up_to_the_cap() {
    // base 100 ms, cap 1,000 ms: 100, 200, 400, 800, then capped.
    let waits: Vec<f64> = (0..6).map(|retry| Strategy::Exponential.delay_ms(retry, 0.0, 0.7, 100.0, 1_000.0)).collect();
    assert_eq!(waits, [100.0, 200.0, 400.0, 800.0, 1_000.0, 1_000.0]);
    assert_eq!(Strategy::Immediate.delay_ms(3, 500.0, 0.7, 100.0, 1_000.0), 0.0);
    assert_eq!(Strategy::Exponential.delay_ms(200, 0.0, 0.0, 100.0, 1_000.0), 1_000.0, "a huge retry count stays at the cap");
}

#[test]
fn full_jitter_draws_between_zero_and_the_capped_exponential() {
    // random_between(0, min(cap, base · 2^retry)) with the draw fixed at 0.5: half of each.
    let halves: Vec<f64> = (0..5).map(|retry| Strategy::FullJitter.delay_ms(retry, 0.0, 0.5, 100.0, 1_000.0)).collect();
    assert_eq!(halves, [50.0, 100.0, 200.0, 400.0, 500.0]);
    assert_eq!(Strategy::FullJitter.delay_ms(2, 0.0, 0.0, 100.0, 1_000.0), 0.0);
    assert!(close(Strategy::FullJitter.delay_ms(0, 0.0, 0.25, 100.0, 1_000.0), 25.0));
}

#[test]
fn decorrelated_jitter_grows_from_the_previous_wait() {
    // min(cap, random_between(base, previous · 3)), base 100 ms, cap 1,000 ms, starting at 100.
    let first = Strategy::DecorrelatedJitter.delay_ms(0, 100.0, 0.5, 100.0, 1_000.0);
    assert!(close(first, 200.0), "100 + 0.5 · (300 − 100)");
    let second = Strategy::DecorrelatedJitter.delay_ms(1, first, 0.25, 100.0, 1_000.0);
    assert!(close(second, 225.0), "100 + 0.25 · (600 − 100)");
    let third = Strategy::DecorrelatedJitter.delay_ms(2, second, 0.9, 100.0, 1_000.0);
    assert!(close(third, 617.5), "100 + 0.9 · (675 − 100)");
    let fourth = Strategy::DecorrelatedJitter.delay_ms(3, third, 0.9, 100.0, 1_000.0);
    assert!(close(fourth, 1_000.0), "100 + 0.9 · (1,852.5 − 100) = 1,677.25, capped");
    assert!(close(Strategy::DecorrelatedJitter.delay_ms(4, fourth, 0.0, 100.0, 1_000.0), 100.0), "a draw of 0 falls back to base");
}

/// One request against a server with no capacity at all, so every attempt fails: the ticks at
/// which each lane sends its attempts are its schedule.
fn attempt_ticks(lane: usize, pairs: &[(&str, &str)]) -> Vec<u32> {
    let mut all = vec![("level", "0"), ("start", "0"), ("length", "120"), ("burst", "0"), ("attempts", "4"), ("base", "100"), ("cap", "10000")];
    all.extend_from_slice(pairs);
    let mut race = RetryRace::new(&params(&all), 1);
    race.step_scripted(1);
    for _ in 0..200 {
        race.step_scripted(0);
    }
    race.series().iter().filter(|sample| sample.attempts[lane] > 0).map(|sample| sample.tick).collect()
}

#[test]
fn the_lanes_follow_their_schedules_against_a_dead_server() {
    // Exponential, base 100 ms: waits of 10, 20 and 40 ticks after ticks 1, 11 and 31.
    assert_eq!(attempt_ticks(EXPONENTIAL, &[]), [1, 11, 31, 71]);
    // Immediate: the next tick, each time.
    assert_eq!(attempt_ticks(IMMEDIATE, &[]), [1, 2, 3, 4]);
    // The budget lane: one request buys 10% of a retry, so its retry is refused.
    assert_eq!(attempt_ticks(BUDGET, &[]), [1]);
    // Full jitter waits at most 10, 20, 40 ticks (at least one); decorrelated 10 to 30 first.
    let jitter = attempt_ticks(FULL_JITTER, &[]);
    let gaps: Vec<u32> = jitter.windows(2).map(|pair| pair[1] - pair[0]).collect();
    assert_eq!(gaps.len(), 3);
    assert!(gaps.iter().zip([10, 20, 40]).all(|(gap, most)| (1..=most).contains(gap)), "{gaps:?}");
    let decorrelated = attempt_ticks(DECORRELATED, &[]);
    assert!((10..=30).contains(&(decorrelated[1] - decorrelated[0])), "{decorrelated:?}");
    // Decorrelated waits at most 300, 900 and 2,700 ms: all four attempts are over by tick 400.
    let mut race = RetryRace::new(&params(&[("level", "0"), ("start", "0"), ("burst", "0"), ("attempts", "4"), ("base", "100"), ("cap", "10000")]), 1);
    race.step_scripted(1);
    for _ in 0..400 {
        race.step_scripted(0);
    }
    let lanes: Vec<LaneView> = race.lanes().collect();
    assert_eq!(lanes[EXPONENTIAL].totals.attempts, 4);
    assert_eq!(lanes[EXPONENTIAL].totals.exhausted, 1);
    assert_eq!(lanes[BUDGET].totals.denied_by_budget, 1);
    assert!(lanes.iter().all(|lane| lane.totals.success_rate() == Some(0.0) && lane.pending_retries == 0));
}

#[test]
fn the_budget_allows_exactly_its_share() {
    // 10%: 25 requests fund 2 retries (2 · 100 ≤ 25 · 10), not 3. Ten seconds later the
    // requests have slid out of the window and nothing is left.
    let mut budget = RetryBudget::new(10);
    budget.note_requests(1, 25);
    assert!(budget.try_spend(5));
    assert!(budget.try_spend(6));
    assert!(!budget.try_spend(7));
    assert_eq!(budget.window(), (25, 2));
    budget.note_requests(500, 5);
    assert!(budget.try_spend(500), "30 requests fund 3 retries");
    assert!(!budget.try_spend(500));
    budget.slide_to(1_001);
    assert_eq!(budget.window(), (5, 1), "the first bucket (ticks 0–9) has left the 10 s window");
    assert!(!budget.try_spend(1_001));
}

// ---- The race -----------------------------------------------------------------------------------

/// Rate 200 per second against a server that browns out to 500 at 5 s for 30 s, when 1,000
/// clients send at once; 8 attempts, base 250 ms, cap 10 s. The brownout leaves room for the
/// new requests, so only the burst and its retries overload the server.
fn brownout(seed: u64) -> Timeline<RetryRace> {
    let pairs = [("rate", "200"), ("level", "50"), ("attempts", "8"), ("base", "250"), ("cap", "10000")];
    Timeline::replay(params(&pairs), seed, 6_000, vec![], 6_000)
}

#[test]
fn immediate_retries_amplify_the_load_more_than_jittered_backoff() {
    let timeline = brownout(3);
    let lanes: Vec<LaneView> = timeline.state().lanes().collect();
    let amplification = |lane: usize| lanes[lane].totals.amplification().unwrap_or(0.0);
    let success = |lane: usize| lanes[lane].totals.success_rate().unwrap_or(0.0);
    assert!(amplification(IMMEDIATE) > amplification(FULL_JITTER) + 0.1, "{lanes:#?}");
    assert!(amplification(IMMEDIATE) > amplification(DECORRELATED) + 0.1);
    // Immediate retries spend their attempts within 80 ms, while the server can still answer
    // only a handful: most of the burst fails. Jittered retries land where there is room.
    assert!(success(FULL_JITTER) > 0.99 && success(DECORRELATED) > 0.99);
    assert!(success(IMMEDIATE) < 0.95);
    // The budget caps the storm whatever the strategy.
    assert!(amplification(BUDGET) < 1.1 && amplification(BUDGET) < amplification(FULL_JITTER));
    // The price of waiting: jittered requests succeed later.
    let p99 = |lane: usize| lanes[lane].totals.completion.percentile(0.99).unwrap_or(0);
    assert!(p99(FULL_JITTER) > 10 * p99(IMMEDIATE).max(10));
}

#[test]
fn exponential_backoff_retries_in_waves_that_jitter_spreads() {
    // The burst goes out at tick 500 (5 s). Exponential clients that failed together retry
    // together after 25, 50, 100 and 200 ticks (base 250 ms): at ticks 525, 575, 675, 875.
    let timeline = brownout(3);
    let attempts_at = |lane: usize, tick: u32| timeline.state().series().iter().find(|sample| sample.tick == tick).map_or(0, |sample| sample.attempts[lane]);
    assert!(attempts_at(EXPONENTIAL, 500) > 1_000);
    for wave in [525, 575, 675, 875] {
        assert!(attempts_at(EXPONENTIAL, wave) > 500, "a wave at tick {wave}: {}", attempts_at(EXPONENTIAL, wave));
        assert!(attempts_at(EXPONENTIAL, wave - 1) < 20 && attempts_at(EXPONENTIAL, wave + 1) < 20, "and quiet around it");
    }
    let busiest_after = |lane: usize| (505..1_500).map(|tick| attempts_at(lane, tick)).max().unwrap_or(0);
    assert!(busiest_after(FULL_JITTER) < 150, "{}", busiest_after(FULL_JITTER));
    assert!(busiest_after(DECORRELATED) < 150, "{}", busiest_after(DECORRELATED));
}

#[test]
fn the_budget_everywhere_caps_every_lane() {
    let pairs = [("rate", "200"), ("level", "50")];
    let timeline = Timeline::<RetryRace>::replay(params(&pairs), 5, 6_000, vec![(0, Action::BudgetEverywhere(true))], 6_000);
    for lane in timeline.state().lanes() {
        let totals = lane.totals;
        let retries = totals.attempts - totals.requests;
        // Each retry fits 10% of the requests in its 10 s window; disjoint 10 s blocks each see
        // at most the requests of two windows, so the run stays under twice the share.
        assert!(retries * 100 <= 2 * 10 * totals.requests, "{}: {totals:?}", lane.label());
        assert!(lane.budgeted);
    }
}

#[test]
fn a_sustained_overload_defeats_backoff_but_not_the_budget() {
    // 300 new requests per second against 300 of capacity for 30 s: no spare room, so spread
    // retries only push new requests into failure. Jitter does not save amplification here.
    let pairs = [("rate", "300"), ("level", "30"), ("attempts", "6"), ("base", "250")];
    let timeline = Timeline::<RetryRace>::replay(params(&pairs), 2, 6_000, vec![], 6_000);
    let lanes: Vec<LaneView> = timeline.state().lanes().collect();
    let amplification = |lane: usize| lanes[lane].totals.amplification().unwrap_or(0.0);
    assert!(amplification(FULL_JITTER) > 1.5, "{}", amplification(FULL_JITTER));
    assert!(amplification(BUDGET) < 1.1);
}

// ---- Harness: determinism, history, URLs, parameters ---------------------------------------------

fn scenario() -> Vec<(u64, Action)> {
    vec![(100, Action::Brownout(40)), (101, Action::Burst), (400, Action::BudgetEverywhere(true)), (700, Action::Recover), (900, Action::BudgetEverywhere(false))]
}

#[test]
fn every_lane_sees_the_same_new_requests() {
    let timeline = Timeline::<RetryRace>::replay(params(&[]), 4, 1_200, scenario(), 1_200);
    let requests: Vec<u64> = timeline.state().lanes().map(|lane| lane.totals.requests).collect();
    assert!(requests.windows(2).all(|pair| pair[0] == pair[1]), "{requests:?}");
    assert!(requests[0] > 1_000);
}

#[test]
fn the_same_seed_and_actions_replay_the_same_run() {
    let run = |seed| Timeline::<RetryRace>::replay(params(&[]), seed, 1_500, scenario(), 1_500);
    let (a, b) = (run(7), run(7));
    assert_eq!(a.state(), b.state());
    assert_eq!(a.state().narrate(), b.state().narrate());
    assert_ne!(a.state(), run(8).state());
}

#[test]
fn stepping_back_then_forward_returns_to_the_same_state() {
    let mut timeline = Timeline::<RetryRace>::new(params(&[]), 3, 3_000);
    for (at, action) in scenario() {
        timeline.seek(at);
        timeline.act(action);
    }
    timeline.seek(1_400);
    let before = timeline.state().clone();
    for _ in 0..500 {
        timeline.step_back();
    }
    assert_eq!(timeline.tick(), 900);
    for _ in 0..500 {
        timeline.step_forward();
    }
    assert_eq!(timeline.state(), &before);
}

#[test]
fn a_shared_link_rebuilds_the_run() {
    let mut timeline = Timeline::<RetryRace>::new(params(&[("rate", "150")]), 9, 3_000);
    for (at, action) in scenario() {
        timeline.seek(at);
        timeline.act(action);
    }
    timeline.seek(1_000);
    let (actions, skipped) = Timeline::<RetryRace>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    let rebuilt = Timeline::<RetryRace>::replay(params(&[("rate", "150")]), 9, 3_000, actions, 1_000);
    assert_eq!(rebuilt.state(), timeline.state());
}

#[test]
fn actions_round_trip_and_garbage_is_refused() {
    for action in [Action::Brownout(0), Action::Brownout(100), Action::Brownout(35), Action::Recover, Action::Burst, Action::BudgetEverywhere(true), Action::BudgetEverywhere(false)] {
        let text = RetryRace::encode_action(&action);
        assert!(text.chars().all(|c| c.is_ascii_alphanumeric()), "{text} must be URL-safe");
        assert_eq!(RetryRace::decode_action(&text), Some(action));
    }
    for garbage in ["", "b", "b101", "b-1", "b1000", "b5x", "g", "g2", "r1", "xx", "B50", "💥", "b 5"] {
        assert_eq!(RetryRace::decode_action(garbage), None, "{garbage:?}");
    }
}

const FOREIGN: &[ParamSpec] = &[ParamSpec { key: "rate", label: "Rate", kind: ParamKind::Choice(&[("fast", "Fast")]), default: Value::Choice("fast") }];

#[test]
fn parameters_from_anywhere_are_clamped_or_defaulted() {
    let defaults = Config::from_params(&Params::defaults(RETRY_PARAMS));
    assert_eq!(Config::from_params(&Params::defaults(FOREIGN)), defaults);
    assert_eq!(defaults.brownout_ticks, Some((500, 3_500)));
    let mut wild = Params::defaults(RETRY_PARAMS);
    wild.set("rate", Value::Int(-5));
    wild.set("attempts", Value::Int(1_000));
    wild.set("base", Value::Float(f64::INFINITY));
    wild.set("burst", Value::Int(3));
    wild.set("length", Value::Int(0));
    let config = Config::from_params(&wild);
    assert_eq!((config.requests_per_second, config.max_attempts, config.base_ms), (1, 10, defaults.base_ms));
    assert_eq!((config.burst_at_brownout, config.brownout_ticks), (true, None));
}

#[test]
fn extreme_parameters_run_without_panicking() {
    let heavy = [("rate", "2000"), ("clients", "5000"), ("level", "0"), ("attempts", "10"), ("base", "10"), ("cap", "60000"), ("start", "0"), ("length", "120")];
    let light = [("rate", "1"), ("clients", "0"), ("capacity", "10"), ("level", "100"), ("attempts", "1"), ("budget", "0")];
    for pairs in [&heavy[..], &light[..]] {
        let timeline = Timeline::<RetryRace>::replay(params(pairs), 1, 1_500, scenario(), 1_500);
        for lane in timeline.state().lanes() {
            assert!(lane.pending_retries <= MAX_PENDING_RETRIES);
            assert!(lane.totals.finished() <= lane.totals.requests);
        }
        assert!(!timeline.state().narrate().contains("NaN"));
    }
}

// ---- Properties ---------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Full jitter never waits longer than the cap (nor less than nothing); decorrelated jitter
    /// stays between the smaller of base and cap, and the cap.
    #[test]
    fn jittered_waits_stay_within_their_bounds(
        retry in 0u32..100,
        base in 0.0f64..10_000.0,
        cap in 0.0f64..60_000.0,
        previous in 0.0f64..100_000.0,
        draw in 0.0f64..1.0,
    ) {
        let full = Strategy::FullJitter.delay_ms(retry, previous, draw, base, cap);
        prop_assert!((0.0..=cap).contains(&full));
        prop_assert!(full <= base * 2f64.powi(retry.min(62) as i32) + 1e-9);
        let decorrelated = Strategy::DecorrelatedJitter.delay_ms(retry, previous, draw, base, cap);
        prop_assert!(decorrelated <= cap && decorrelated >= base.min(cap) - 1e-9);
    }

    /// Whatever the traffic and the timing, every retry the budget allows fits its share of the
    /// requests in the window at that moment.
    #[test]
    fn the_budget_never_allows_more_than_its_share(
        percent in 0u32..=100,
        steps in proptest::collection::vec((0u32..300, 0u32..50, 0u32..20), 1..200),
    ) {
        let mut budget = RetryBudget::new(percent);
        let mut now = 0;
        for (gap, requests, retries) in steps {
            now += gap;
            budget.note_requests(now, requests);
            for _ in 0..retries {
                if budget.try_spend(now) {
                    let (requests, retries) = budget.window();
                    prop_assert!(retries * 100 <= requests * u64::from(percent), "{retries} retries for {requests} requests");
                }
            }
        }
    }

    /// In the race, whatever the settings and actions: lanes see the same requests, nothing is
    /// counted twice, and the budget lane stays within twice its share over the run.
    #[test]
    fn the_race_keeps_its_books(
        rate in 1i64..=800,
        clients in 0i64..=2_000,
        level in 0i64..=100,
        attempts in 1i64..=10,
        base in 10i64..=2_000,
        cap in 10i64..=20_000,
        budget in 0i64..=100,
        seed in any::<u64>(),
        actions in proptest::collection::vec((0u64..400, prop_oneof![
            (0u32..=100).prop_map(Action::Brownout),
            Just(Action::Recover),
            Just(Action::Burst),
            any::<bool>().prop_map(Action::BudgetEverywhere),
        ]), 0..8),
    ) {
        let mut params = Params::defaults(RETRY_PARAMS);
        for (key, value) in [("rate", rate), ("clients", clients), ("level", level), ("attempts", attempts), ("base", base), ("cap", cap), ("budget", budget), ("start", 1)] {
            params.set(key, Value::Int(value));
        }
        let timeline = Timeline::<RetryRace>::replay(params, seed, 400, actions, 400);
        let lanes: Vec<LaneView> = timeline.state().lanes().collect();
        for lane in &lanes {
            let totals = lane.totals;
            prop_assert_eq!(totals.requests, lanes[0].totals.requests);
            prop_assert!(totals.attempts >= totals.requests);
            prop_assert_eq!(totals.finished() + lane.pending_retries as u64, totals.requests);
            prop_assert!(totals.attempts <= totals.requests * attempts as u64);
            prop_assert_eq!(totals.completion.total(), totals.succeeded);
        }
        let budgeted = lanes[BUDGET].totals;
        prop_assert!((budgeted.attempts - budgeted.requests) * 100 <= 2 * budget as u64 * budgeted.requests);
    }
}
