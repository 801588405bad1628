use crate::sim::{ParamKind, ParamSpec, Timeline, Value};
use proptest::prelude::*;

use super::database::Database;
use super::*;

fn params(pairs: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(STAMPEDE_PARAMS);
    for (key, value) in pairs {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn model(pairs: &[(&str, &str)]) -> Stampede {
    Stampede::new(&params(pairs), 1)
}

/// Ticks with no arrivals until the model is at `tick`.
fn idle_to(model: &mut Stampede, tick: u64) {
    while model.tick() < tick {
        model.step_scripted(&[], 0);
    }
}

/// Requests that arrive at exactly `tick`.
fn arrive_at(model: &mut Stampede, tick: u64, requests: &[(usize, u32)]) {
    idle_to(model, tick - 1);
    model.step_scripted(requests, 0);
    assert_eq!(model.tick(), tick);
}

fn sample_at(model: &Stampede, time_ms: u64) -> Sample {
    *model.series().iter().find(|sample| sample.time_ms == time_ms).unwrap_or_else(|| panic!("no sample at {time_ms} ms"))
}

/// Runs a timeline to `ticks` with the actions applied at their ticks.
fn run(pairs: &[(&str, &str)], seed: u64, actions: &[(u64, Action)], ticks: u64) -> Timeline<Stampede> {
    Timeline::replay(params(pairs), seed, ticks, actions.to_vec(), ticks)
}

fn samples_between(timeline: &Timeline<Stampede>, from_s: f64, to_s: f64) -> Vec<Sample> {
    timeline.state().series().iter().filter(|sample| sample.time_seconds() > from_s && sample.time_seconds() <= to_s + 1e-9).copied().collect()
}

/// The bookkeeping that must hold after every tick, whatever happened.
fn check_invariants(state: &Stampede) {
    let totals = state.totals();
    let answered = totals.hits + totals.stale_served + totals.bloom_rejected + totals.answered_after_wait + totals.timeouts + totals.refused;
    assert_eq!(totals.requests, answered + state.pending_requests(), "every request is answered or pending: {totals:?}");
    let database = state.database();
    assert!(database.running <= database.concurrency);
    assert!(database.queued <= MAX_QUEUED_QUERIES);
    assert_eq!(totals.queries_sent, totals.queries_started + u64::from(database.queued) + totals.queries_dropped);
    assert_eq!(totals.queries_started, totals.queries_finished + u64::from(database.running));
    let batch_total: u32 = state.database.queue.iter().map(|batch| batch.count).sum();
    assert_eq!(batch_total, database.queued);
    // Recount every key's waiters and queries from the queues themselves, in one pass each.
    let mut recount = vec![(0u32, 0u32, 0u32); state.keys.len()];
    for waiter in &state.waiters {
        if let Some((attached, polling, _)) = recount.get_mut(usize::from(waiter.key)) {
            *if waiter.polling { polling } else { attached } += waiter.count;
        }
    }
    for batch in &state.database.queue {
        if let Some((_, _, in_flight)) = recount.get_mut(usize::from(batch.key)) {
            *in_flight += batch.count;
        }
    }
    for query in &state.database.running {
        if let Some((_, _, in_flight)) = recount.get_mut(usize::from(query.key)) {
            *in_flight += 1;
        }
    }
    assert_eq!(state.waiting, state.waiters.iter().map(|waiter| waiter.count).sum::<u32>());
    assert!(state.waiting <= MAX_WAITING_REQUESTS);
    for (index, (key, counted)) in state.keys.iter().zip(&recount).enumerate() {
        assert_eq!((key.attached, key.polling, key.in_flight), *counted, "waiters and queries of key {index}");
        assert_eq!(key.arrivals, 0);
    }
    if let Some(sample) = state.series().last() {
        let ratio = sample.hit_ratio().unwrap_or(0.0);
        assert!((0.0..=1.0).contains(&ratio), "hit ratio {ratio}");
        assert!(sample.hits + sample.stale_served <= sample.lookups && sample.lookups <= sample.requests);
        assert!(sample.p50_ms <= sample.p99_ms);
        assert!(sample.oldest_wait_ms <= state.config().timeout_ms());
    }
}

// ---- Worked by hand -----------------------------------------------------------------------------

/// One key, one connection, 100 ms queries, TTL 1 s, and three requests at tick 1 with nothing
/// cached. Service time is base × (1 + others / concurrency): the first query starts with two
/// queued behind it, so it takes 100 × 3 = 300 ms and ends at tick 31; the second starts with one
/// behind it, 200 ms, ends at tick 51; the third runs alone, 100 ms, ends at tick 61.
#[test]
fn unprotected_misses_each_send_their_own_query() {
    let mut model = model(&[("keys", "1"), ("ttl", "1"), ("cost", "100"), ("conc", "1"), ("start", "cold")]);
    arrive_at(&mut model, 1, &[(0, 3)]);
    assert_eq!((model.database().running, model.database().queued), (1, 2));
    assert_eq!(model.key(0).map(|key| key.recomputations_in_flight), Some(3));

    idle_to(&mut model, 10);
    let first = sample_at(&model, 100);
    assert_eq!((first.requests, first.lookups, first.hits, first.queries_sent, first.queries_started), (3, 3, 0, 3, 1));
    assert_eq!(first.hit_ratio(), Some(0.0));
    assert_eq!(first.p50_ms, None, "nothing answered yet");
    assert_eq!(first.oldest_wait_ms, 90, "waiting since tick 1, now tick 10");

    idle_to(&mut model, 30);
    assert_eq!(model.totals().answered_after_wait, 0);
    idle_to(&mut model, 31);
    assert_eq!(model.totals().answered_after_wait, 1);
    assert_eq!(model.key(0).and_then(|key| key.expires_in_ms), Some(1000), "filled at tick 31 with TTL 100 ticks");
    idle_to(&mut model, 61);
    assert_eq!(model.totals().answered_after_wait, 3);
    assert_eq!(model.totals().queries_finished, 3);
    // Every duplicate rewrote the value: it now expires at 61 + 100.
    assert_eq!(model.key(0).and_then(|key| key.expires_in_ms), Some(1000));
    idle_to(&mut model, 70);
    assert_eq!(sample_at(&model, 400).p50_ms, Some(300));
    assert_eq!(sample_at(&model, 600).p50_ms, Some(500));
    assert_eq!(sample_at(&model, 700).p50_ms, Some(750), "600 ms falls in the 500–750 bucket");

    arrive_at(&mut model, 160, &[(0, 1)]);
    assert_eq!(model.totals().hits, 1, "tick 160 is before the expiry at 161");
    arrive_at(&mut model, 161, &[(0, 1)]);
    assert_eq!(model.totals().hits, 1);
    assert_eq!(model.totals().queries_sent, 4, "at tick 161 the value has expired");
    check_invariants(&model);
}

/// The same three requests with a 400 ms timeout: the first is answered at 300 ms; the second's
/// query starts at tick 31 and would end at 51, so its client gives up at tick 41 while the
/// query runs on; the third is still queued at tick 41 and leaves the queue. The second query
/// still fills the cache when it ends.
#[test]
fn clients_give_up_at_the_timeout_but_running_queries_still_fill_the_cache() {
    let mut model = model(&[("keys", "1"), ("ttl", "1"), ("cost", "100"), ("conc", "1"), ("timeout", "400"), ("start", "cold")]);
    arrive_at(&mut model, 1, &[(0, 3)]);
    idle_to(&mut model, 40);
    assert_eq!(model.totals().timeouts, 0);
    idle_to(&mut model, 41);
    let totals = model.totals();
    assert_eq!((totals.answered_after_wait, totals.timeouts, totals.queries_dropped), (1, 2, 1));
    assert_eq!((model.database().running, model.database().queued), (1, 0));
    idle_to(&mut model, 51);
    assert_eq!(model.totals().queries_finished, 2);
    assert_eq!(model.key(0).and_then(|key| key.expires_in_ms), Some(1000), "filled again at tick 51");
    let window = sample_at(&model, 500);
    assert_eq!((window.timeouts, window.p50_ms, window.p99_ms), (2, Some(400), Some(400)));
    check_invariants(&model);
}

/// Single flight: five requests at tick 1 and three at tick 2 share one 100 ms query that ends
/// at tick 11; all eight complete with it.
#[test]
fn single_flight_sends_one_query_and_answers_everyone_with_it() {
    let mut model = model(&[("keys", "1"), ("cost", "100"), ("conc", "1"), ("start", "cold")]);
    model.apply(&Action::Set(Fix::Coalesce, true));
    arrive_at(&mut model, 1, &[(0, 5)]);
    arrive_at(&mut model, 2, &[(0, 3)]);
    let key = model.key(0).unwrap_or_else(|| panic!("key 0"));
    assert_eq!((key.attached, key.recomputations_in_flight, key.held), (8, 1, true));
    assert_eq!(model.totals().queries_sent, 1);
    idle_to(&mut model, 10);
    assert_eq!(model.pending_requests(), 8);
    idle_to(&mut model, 11);
    assert_eq!(model.pending_requests(), 0);
    assert_eq!(model.totals().answered_after_wait, 8);
    assert_eq!(model.key(0).map(|key| (key.attached, key.held, key.status)), Some((0, false, KeyStatus::Fresh)));
    idle_to(&mut model, 20);
    assert_eq!(sample_at(&model, 200).p99_ms, Some(100), "waits of 100 and 90 ms");
    check_invariants(&model);
}

/// Lock: the winner's 120 ms query ends at tick 13; the four losers re-check the cache every
/// 50 ms (ticks 6, 11, 16) and find it filled at tick 16, 150 ms after they arrived.
#[test]
fn lock_losers_find_the_value_at_their_next_poll() {
    let mut model = model(&[("keys", "1"), ("cost", "120"), ("conc", "1"), ("start", "cold")]);
    model.apply(&Action::Set(Fix::Lock, true));
    arrive_at(&mut model, 1, &[(0, 5)]);
    assert_eq!(model.key(0).map(|key| (key.polling, key.recomputations_in_flight)), Some((4, 1)));
    idle_to(&mut model, 13);
    assert_eq!(model.totals().answered_after_wait, 1, "the winner at 120 ms");
    idle_to(&mut model, 15);
    assert_eq!(model.totals().answered_after_wait, 1, "losers have not looked again yet");
    idle_to(&mut model, 16);
    assert_eq!(model.totals().answered_after_wait, 5);
    assert_eq!(model.totals().queries_sent, 1);
    idle_to(&mut model, 20);
    assert_eq!(sample_at(&model, 200).p50_ms, Some(150));
    check_invariants(&model);
}

/// Requests waiting on someone else's recomputation give up at the timeout like everyone else;
/// the 2 s query itself runs on and fills the cache at tick 201.
#[test]
fn waiting_requests_time_out_while_the_slow_recomputation_finishes() {
    for fix in [Fix::Coalesce, Fix::Lock] {
        let mut model = model(&[("keys", "1"), ("cost", "2000"), ("conc", "1"), ("timeout", "500"), ("start", "cold")]);
        model.apply(&Action::Set(fix, true));
        arrive_at(&mut model, 1, &[(0, 3)]);
        idle_to(&mut model, 50);
        assert_eq!(model.totals().timeouts, 0, "{fix:?}");
        idle_to(&mut model, 51);
        assert_eq!((model.totals().timeouts, model.pending_requests()), (3, 0), "{fix:?}");
        assert_eq!(model.key(0).map(|key| (key.attached, key.polling, key.held)), Some((0, 0, true)), "{fix:?}");
        idle_to(&mut model, 201);
        assert_eq!(model.key(0).map(|key| (key.status, key.held)), Some((KeyStatus::Fresh, false)), "{fix:?}");
        check_invariants(&model);
    }
}

/// Stale-while-revalidate: the key expires at tick 100; reads at 100 and 105 get the old value
/// at once and only the first starts a refresh (100 ms, ends at tick 110); a read at 111 hits.
#[test]
fn stale_while_revalidate_answers_at_once_and_refreshes_once() {
    let mut model = model(&[("keys", "1"), ("ttl", "1"), ("cost", "100"), ("conc", "1")]);
    model.apply(&Action::Set(Fix::StaleWhileRevalidate, true));
    arrive_at(&mut model, 99, &[(0, 1)]);
    assert_eq!(model.totals().hits, 1);
    arrive_at(&mut model, 100, &[(0, 4)]);
    arrive_at(&mut model, 105, &[(0, 2)]);
    assert_eq!((model.totals().stale_served, model.totals().queries_sent), (6, 1));
    assert_eq!(model.key(0).map(|key| (key.status, key.held)), Some((KeyStatus::Expired, true)));
    arrive_at(&mut model, 111, &[(0, 1)]);
    assert_eq!(model.totals().hits, 2);
    assert_eq!(model.key(0).and_then(|key| key.expires_in_ms), Some(990), "refilled at tick 110 for 100 ticks");
    assert_eq!(sample_at(&model, 1100).p99_ms, Some(CACHE_LATENCY_MS));
    check_invariants(&model);
}

/// XFetch with delta 10 ticks and beta 1: a read 10 ticks before expiry recomputes with
/// probability e^-1 ≈ 0.368; 100 ticks before, e^-10 ≈ 0.00005.
#[test]
fn early_recomputation_fires_with_the_xfetch_probability() {
    let pairs = [("keys", "1"), ("ttl", "1"), ("cost", "100"), ("beta", "1")];
    let trials = 2_000;
    let mut near = 0;
    let mut far = 0;
    for seed in 0..trials {
        let mut model = Stampede::new(&params(&pairs), seed);
        model.apply(&Action::Set(Fix::EarlyRecompute, true));
        model.apply(&Action::Set(Fix::Lock, true));
        arrive_at(&mut model, 1, &[(0, 1)]);
        far += model.totals().queries_sent;
        arrive_at(&mut model, 90, &[(0, 1)]);
        near += model.totals().queries_sent;
    }
    let near_share = near as f64 / trials as f64;
    assert!((near_share - (-1f64).exp()).abs() < 0.04, "near expiry: {near_share}");
    assert!(far <= 2, "far from expiry: {far}");
}

#[test]
fn the_bloom_filter_turns_away_all_but_its_false_positives() {
    let mut without = model(&[("variant", "penetration"), ("conc", "1")]);
    without.step_scripted(&[], 1_000);
    assert_eq!((without.totals().queries_sent, without.totals().bloom_rejected), (1_000, 0));

    let mut with = model(&[("variant", "penetration"), ("conc", "1")]);
    with.apply(&Action::Set(Fix::BloomFilter, true));
    with.step_scripted(&[], 1_000);
    let passed = with.totals().queries_sent;
    assert!((1..=30).contains(&passed), "about 1% of 1000 should pass, got {passed}");
    assert_eq!(with.totals().bloom_rejected, 1_000 - passed);
    check_invariants(&with);
}

#[test]
fn a_full_queue_refuses_new_queries() {
    let mut model = model(&[("variant", "penetration"), ("conc", "1")]);
    model.step_scripted(&[], 2_500);
    assert_eq!(model.totals().refused, 500);
    assert_eq!(model.database().queued + model.database().running, MAX_QUEUED_QUERIES);
    check_invariants(&model);
}

#[test]
fn waiting_requests_are_capped_at_the_request_slots() {
    let mut model = model(&[("keys", "2"), ("cost", "2000"), ("conc", "1"), ("timeout", "10000"), ("start", "cold")]);
    model.apply(&Action::Set(Fix::Coalesce, true));
    model.step_scripted(&[(0, MAX_WAITING_REQUESTS - 5), (1, 8)], 0);
    assert_eq!((model.totals().refused, model.pending_requests()), (3, u64::from(MAX_WAITING_REQUESTS)));
    assert_eq!(model.key(1).map(|key| key.attached), Some(5));
    check_invariants(&model);
}

#[test]
fn service_time_grows_with_load_up_to_the_cap() {
    let mut database = Database::new(4, 100);
    assert_eq!(database.service_ticks(), 10, "alone: the base 100 ms");
    database.queued = 4;
    assert_eq!(database.service_ticks(), 20, "4 others on 4 connections: twice the base");
    database.queued = 1_000;
    assert_eq!(database.service_ticks(), 10 * MAX_SLOWDOWN);
    let short = Database::new(1, 15);
    assert_eq!(short.service_ticks(), 2, "15 ms rounds up to two 10 ms ticks");
}

#[test]
fn percentiles_come_from_the_buckets() {
    let mut histogram = LatencyHistogram::default();
    assert_eq!(histogram.percentile(0.5), None);
    histogram.record_many(1, 98);
    histogram.record_many(1_000, 2);
    assert_eq!(histogram.percentile(0.5), Some(1));
    assert_eq!(histogram.percentile(0.99), Some(1_000), "the 99th of 100 is the first slow one");
    histogram.record_many(0, 1);
    histogram.record_many(99_999, 1);
    assert_eq!(histogram.total(), 102);
    assert_eq!(histogram.percentile(1.0), Some(10_000), "beyond the last bound lands in the last bucket");
}

// ---- The herd and its fixes, at the default parameters -------------------------------------------

/// Every key is loaded at tick 0, so all of them expire together at 10 s.
#[test]
fn without_fixes_a_synchronized_expiry_sends_a_herd() {
    let timeline = run(&[], 1, &[], 1_300);
    let keys = timeline.state().config().keys as u32;
    let before = samples_between(&timeline, 2.0, 9.9);
    assert!(before.iter().all(|sample| sample.queries_sent == 0 && sample.p99_ms == Some(CACHE_LATENCY_MS)));
    let herd = samples_between(&timeline, 9.9, 10.5);
    let sent: u32 = herd.iter().map(|sample| sample.queries_sent).sum();
    // Steady state needs one recomputation per key per TTL: 2.5 per half second for 50 keys.
    assert!(sent >= 5 * keys, "only {sent} queries in the half second after expiry");
    let after = samples_between(&timeline, 10.0, 13.0);
    assert!(after.iter().any(|sample| sample.p99_ms >= Some(1_000)), "p99 reaches the timeout");
    assert!(after.iter().map(|sample| sample.timeouts).sum::<u32>() > 100);
    assert!(after.iter().any(|sample| sample.max_recomputations_per_key > 10));
    check_invariants(timeline.state());
}

#[test]
fn single_flight_and_lock_make_the_herd_vanish() {
    for fix in [Fix::Coalesce, Fix::Lock] {
        let timeline = run(&[], 1, &[(0, Action::Set(fix, true))], 1_300);
        let keys = timeline.state().config().keys as u32;
        let after = samples_between(&timeline, 9.9, 13.0);
        let sent: u32 = after.iter().map(|sample| sample.queries_sent).sum();
        assert!(sent <= keys, "{fix:?}: {sent} queries for {keys} keys");
        assert!(after.iter().all(|sample| sample.timeouts == 0 && sample.max_recomputations_per_key <= 1), "{fix:?}");
        assert!(after.iter().all(|sample| sample.p99_ms <= Some(500)), "{fix:?}: waits stay short");
    }
}

#[test]
fn stale_while_revalidate_keeps_p99_at_the_cache_through_the_expiry() {
    let timeline = run(&[], 1, &[(0, Action::Set(Fix::StaleWhileRevalidate, true))], 1_300);
    for sample in samples_between(&timeline, 9.0, 13.0) {
        assert_eq!(sample.p99_ms, Some(CACHE_LATENCY_MS), "at {} s", sample.time_seconds());
        assert_eq!(sample.hit_ratio(), Some(1.0));
    }
    assert!(timeline.state().totals().stale_served > 0);
}

#[test]
fn early_recomputation_keeps_hot_keys_fresh_through_the_expiry() {
    let worst_hit_ratio = |actions: &[(u64, Action)]| {
        let timeline = run(&[], 3, actions, 1_300);
        samples_between(&timeline, 9.0, 13.0).iter().filter_map(Sample::hit_ratio).fold(1.0, f64::min)
    };
    let without = worst_hit_ratio(&[]);
    let early = worst_hit_ratio(&[(0, Action::Set(Fix::EarlyRecompute, true))]);
    assert!(without < 0.2, "without: {without}");
    assert!(early > 0.5, "with early recomputation: {early}");
}

#[test]
fn ttl_jitter_spreads_keys_written_together() {
    let peak = |actions: &[(u64, Action)]| {
        let timeline = run(&[], 2, actions, 1_500);
        timeline.state().series().iter().map(|sample| sample.queries_sent).max().unwrap_or(0)
    };
    let together = peak(&[]);
    let jittered = peak(&[(0, Action::Set(Fix::TtlJitter, true))]);
    assert!(jittered * 3 < together, "peak queries per 100 ms: {jittered} jittered vs {together}");
}

#[test]
fn warm_up_after_a_cold_start_avoids_the_herd() {
    let first_second = |pairs: &[(&str, &str)], actions: &[(u64, Action)]| {
        let timeline = run(pairs, 4, actions, 100);
        let samples = samples_between(&timeline, 0.0, 1.0);
        (samples.iter().map(|s| s.queries_sent).sum::<u32>(), samples.iter().filter_map(Sample::hit_ratio).fold(1.0, f64::min))
    };
    let (cold_sent, cold_ratio) = first_second(&[("start", "cold")], &[]);
    let (warmed_sent, warmed_ratio) = first_second(&[("start", "cold")], &[(0, Action::WarmUp)]);
    assert!(cold_sent > 300 && cold_ratio < 0.1, "cold: {cold_sent} queries, worst hit ratio {cold_ratio}");
    assert!(warmed_sent < cold_sent / 5 && warmed_ratio > 0.8, "warmed: {warmed_sent} queries, worst hit ratio {warmed_ratio}");

    // A restart mid-run, warmed at once, also keeps the hit ratio up.
    let timeline = run(&[], 4, &[(300, Action::RestartCache), (300, Action::WarmUp)], 400);
    let worst = samples_between(&timeline, 3.0, 4.0).iter().filter_map(Sample::hit_ratio).fold(1.0, f64::min);
    assert!(worst > 0.8, "after restart and warm-up: {worst}");
}

#[test]
fn expiring_the_hot_keys_on_demand_sends_a_herd() {
    let timeline = run(&[], 5, &[(300, Action::ExpireHotKeys)], 400);
    let sent = |from: f64| samples_between(&timeline, from, from + 0.5).iter().map(|sample| sample.queries_sent).sum::<u32>();
    assert_eq!(sent(2.5), 0);
    assert!(sent(3.0) > 100, "{}", sent(3.0));
    let hot = timeline.state().hot_keys().count();
    assert_eq!(hot, HOT_KEY_COUNT);
}

#[test]
fn the_bloom_filter_cuts_database_load_in_the_penetration_variant() {
    let load = |actions: &[(u64, Action)]| {
        let timeline = run(&[("variant", "penetration")], 6, actions, 900);
        samples_between(&timeline, 1.0, 9.0).iter().map(|sample| sample.queries_sent).sum::<u32>()
    };
    let without = load(&[]);
    let with = load(&[(0, Action::Set(Fix::BloomFilter, true))]);
    assert!(without > 2_000, "{without}");
    assert!(with * 20 < without, "with the filter {with}, without {without}");
}

// ---- Narration ----------------------------------------------------------------------------------

fn narrations(pairs: &[(&str, &str)], actions: &[(u64, Action)], ticks: u64) -> Vec<String> {
    let mut timeline = Timeline::<Stampede>::new(params(pairs), 1, ticks);
    let mut told: Vec<String> = vec![timeline.state().narrate()];
    while !timeline.at_end() {
        let now = timeline.tick();
        for (_, action) in actions.iter().filter(|(at, _)| *at == now) {
            timeline.act(*action);
        }
        timeline.step_forward();
        let sentence = timeline.state().narrate();
        if told.last() != Some(&sentence) {
            told.push(sentence);
        }
    }
    told
}

#[test]
fn the_narration_tells_the_herd_its_failures_and_the_recovery() {
    let told = narrations(&[], &[], 1_600);
    assert!(told[0].contains("expire together at 10 s"), "{told:?}");
    let herd = told.iter().position(|s| s.starts_with("10 s:") && s.contains("went to the database")).unwrap_or_else(|| panic!("{told:?}"));
    let recovered = told.iter().position(|s| s.contains("Back to normal")).unwrap_or_else(|| panic!("{told:?}"));
    assert!(herd < recovered);
    assert!(told[recovered].contains("timed out"), "{}", told[recovered]);
    assert!(told.len() < 30, "one sentence per episode, not per window: {}", told.len());
}

#[test]
fn the_narration_names_the_fix_that_absorbed_the_expiry() {
    let told = narrations(&[], &[(0, Action::Set(Fix::Coalesce, true))], 1_100);
    assert!(told.iter().any(|s| s.contains("Single flight on")), "{told:?}");
    assert!(told.iter().any(|s| s.contains("only") && s.contains("single flight")), "{told:?}");
    let stale = narrations(&[], &[(0, Action::Set(Fix::StaleWhileRevalidate, true))], 1_100);
    assert!(stale.iter().any(|s| s.contains("stale value at once")), "{stale:?}");
}

#[test]
fn durations_read_naturally() {
    assert_eq!(narration::format_ms(250), "250 ms");
    assert_eq!(narration::format_ms(1_000), "1 s");
    assert_eq!(narration::format_ms(1_250), "1.2 s");
}

// ---- Harness: determinism, history, URLs, parameters ---------------------------------------------

#[test]
fn the_same_seed_and_actions_replay_the_same_run() {
    let actions = [(0, Action::Set(Fix::Lock, true)), (400, Action::ExpireHotKeys), (700, Action::Set(Fix::TtlJitter, true))];
    let a = run(&[("rate", "5000")], 11, &actions, 1_200);
    let b = run(&[("rate", "5000")], 11, &actions, 1_200);
    assert_eq!(a.state(), b.state());
    assert_eq!(a.state().narrate(), b.state().narrate());
    let other_seed = run(&[("rate", "5000")], 12, &actions, 1_200);
    assert_ne!(a.state(), other_seed.state());
}

#[test]
fn stepping_back_then_forward_returns_to_the_same_state() {
    let mut timeline = Timeline::<Stampede>::new(params(&[]), 3, 2_000);
    timeline.seek(700);
    timeline.act(Action::Set(Fix::Coalesce, true));
    timeline.seek(1_100);
    let before = timeline.state().clone();
    for _ in 0..300 {
        timeline.step_back();
    }
    assert_eq!(timeline.tick(), 800);
    for _ in 0..300 {
        timeline.step_forward();
    }
    assert_eq!(timeline.state(), &before);
}

#[test]
fn a_shared_link_rebuilds_the_run() {
    let mut timeline = Timeline::<Stampede>::new(params(&[]), 8, 1_500);
    timeline.seek(50);
    timeline.act(Action::Set(Fix::StaleWhileRevalidate, true));
    timeline.seek(500);
    timeline.act(Action::RestartCache);
    timeline.act(Action::WarmUp);
    timeline.seek(900);
    let encoded = timeline.encode_actions();
    let (actions, skipped) = Timeline::<Stampede>::decode_actions(&encoded);
    assert_eq!(skipped, 0);
    let rebuilt = Timeline::<Stampede>::replay(params(&[]), 8, 1_500, actions, 900);
    assert_eq!(rebuilt.state(), timeline.state());
}

#[test]
fn actions_round_trip_and_garbage_is_refused() {
    let mut every = vec![Action::ExpireHotKeys, Action::RestartCache, Action::WarmUp];
    for fix in Fix::ALL {
        every.push(Action::Set(fix, true));
        every.push(Action::Set(fix, false));
    }
    for action in every {
        let text = Stampede::encode_action(&action);
        assert!(text.chars().all(|c| c.is_ascii_alphanumeric()), "{text} must be URL-safe");
        assert_eq!(Stampede::decode_action(&text), Some(action));
    }
    for garbage in ["", "L", "L2", "Q1", "L10", "xx", "X", "💥1", "L💥", "w "] {
        assert_eq!(Stampede::decode_action(garbage), None, "{garbage:?}");
    }
}

const FOREIGN: &[ParamSpec] =
    &[ParamSpec { key: "rate", label: "Rate", kind: ParamKind::Choice(&[("fast", "Fast")]), default: Value::Choice("fast") }];

#[test]
fn parameters_from_anywhere_are_clamped_or_defaulted() {
    let defaults = Config::from_params(&Params::defaults(STAMPEDE_PARAMS));
    assert_eq!(Config::from_params(&Params::defaults(FOREIGN)), defaults, "a foreign schema falls back to defaults");
    let mut wild = Params::defaults(STAMPEDE_PARAMS);
    wild.set("rate", Value::Int(-5));
    wild.set("keys", Value::Int(1_000_000));
    wild.set("skew", Value::Float(f64::NAN));
    wild.set("variant", Value::Choice("<script>"));
    wild.set("timeout", Value::Bool(true));
    let config = Config::from_params(&wild);
    assert_eq!((config.requests_per_second, config.keys, config.skew), (100, 1_000, defaults.skew));
    assert_eq!((config.penetration, config.timeout_ticks), (false, defaults.timeout_ticks));
    let mut model = Stampede::new(&wild, 1);
    for _ in 0..50 {
        model.step();
    }
    check_invariants(&model);
}

#[test]
fn extreme_parameters_run_without_panicking() {
    let lowest = [("rate", "100"), ("keys", "1"), ("skew", "0"), ("ttl", "1"), ("cost", "10"), ("conc", "1"), ("timeout", "100"), ("beta", "0.1"), ("jitter", "0")];
    let highest = [("rate", "20000"), ("keys", "1000"), ("skew", "2"), ("ttl", "120"), ("cost", "2000"), ("conc", "200"), ("timeout", "10000"), ("beta", "5"), ("jitter", "50")];
    let mixed = [("rate", "20000"), ("keys", "1000"), ("ttl", "1"), ("cost", "2000"), ("conc", "1"), ("timeout", "10000"), ("missing", "0.9")];
    let all_fixes: Vec<(u64, Action)> = Fix::ALL.iter().map(|fix| (100, Action::Set(*fix, true))).collect();
    for base in [&lowest[..], &highest[..], &mixed[..]] {
        for extra in [[("variant", "normal"), ("start", "warm")], [("variant", "penetration"), ("start", "cold")]] {
            let pairs: Vec<(&str, &str)> = base.iter().chain(extra.iter()).copied().collect();
            let timeline = run(&pairs, 9, &all_fixes, 400);
            check_invariants(timeline.state());
        }
    }
}

#[test]
fn the_series_is_capped_and_shares_its_history_between_clones() {
    let mut model = model(&[("rate", "100"), ("keys", "1")]);
    for _ in 0..31_000 {
        model.step();
    }
    let series = model.series();
    assert!(series.len() <= MAX_SAMPLES && series.len() > MAX_SAMPLES - 64, "{}", series.len());
    assert_eq!(series.len() as u64 + series.dropped(), 3_100);
    assert_eq!(series.last().map(|sample| sample.time_ms), Some(310_000));
    let copy = model.clone();
    assert!(copy.series.shares_history_with(&model.series), "clones share full chunks");
    let points = series.points(Metric::HitRatio, 10);
    assert_eq!(points.len(), 10);
    assert!((points[9].0 - 310.0).abs() < 1e-9);
}

#[test]
fn key_views_describe_what_to_draw() {
    let mut model = model(&[("keys", "3"), ("skew", "1")]);
    let shares: Vec<f64> = (0..3).filter_map(|index| model.key(index)).map(|key| key.share).collect();
    // Zipf with exponent 1 over 3 keys: 1, 1/2, 1/3 out of 11/6.
    for (share, expected) in shares.iter().zip([6.0 / 11.0, 3.0 / 11.0, 2.0 / 11.0]) {
        assert!((share - expected).abs() < 1e-12);
    }
    assert!(model.key(3).is_none());
    assert_eq!(model.hot_keys().map(|key| key.name).collect::<Vec<_>>(), ["hot:0", "hot:1", "hot:2"]);
    assert_eq!(key_name(12), "key:12");
    model.apply(&Action::RestartCache);
    assert_eq!(model.key(0).map(|key| (key.status, key.expires_in_ms)), Some((KeyStatus::Empty, None)));
}

// ---- Properties ---------------------------------------------------------------------------------

fn any_params() -> impl Strategy<Value = Params> {
    (
        (100i64..=20_000, 1i64..=1_000, 0.0f64..=2.0, 1i64..=5, 10i64..=2_000, 1i64..=200),
        (100i64..=10_000, any::<bool>(), 0.0f64..=0.9, 0.1f64..=5.0, 0i64..=50, any::<bool>()),
    )
        .prop_map(|((rate, keys, skew, ttl, cost, conc), (timeout, penetration, missing, beta, jitter, cold))| {
            let mut params = Params::defaults(STAMPEDE_PARAMS);
            params.set("rate", Value::Int(rate));
            params.set("keys", Value::Int(keys));
            params.set("skew", Value::Float(skew));
            params.set("ttl", Value::Int(ttl));
            params.set("cost", Value::Int(cost));
            params.set("conc", Value::Int(conc));
            params.set("timeout", Value::Int(timeout));
            params.set("variant", Value::Choice(if penetration { "penetration" } else { "normal" }));
            params.set("missing", Value::Float(missing));
            params.set("beta", Value::Float(beta));
            params.set("jitter", Value::Int(jitter));
            params.set("start", Value::Choice(if cold { "cold" } else { "warm" }));
            params
        })
}

fn any_action(allow_unprotecting: bool) -> impl Strategy<Value = Action> {
    let fixes = if allow_unprotecting { Fix::ALL.to_vec() } else { vec![Fix::EarlyRecompute, Fix::StaleWhileRevalidate, Fix::TtlJitter, Fix::BloomFilter] };
    prop_oneof![
        (proptest::sample::select(fixes), any::<bool>()).prop_map(|(fix, on)| Action::Set(fix, on)),
        Just(Action::ExpireHotKeys),
        Just(Action::RestartCache),
        Just(Action::WarmUp),
    ]
}

/// Drives a timeline tick by tick as the view would, acting at the given ticks.
fn drive(params: Params, seed: u64, mut actions: Vec<(u64, Action)>, ticks: u64, mut check: impl FnMut(&Stampede)) {
    actions.sort_by_key(|(at, _)| *at);
    let mut timeline = Timeline::<Stampede>::new(params, seed, ticks);
    while !timeline.at_end() {
        let now = timeline.tick();
        for (_, action) in actions.iter().filter(|(at, _)| *at == now) {
            timeline.act(*action);
        }
        timeline.step_forward();
        check(timeline.state());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// The requirement: with single flight (or the lock) on, a key never has more than
    /// one recomputation in the database, whatever else is switched or expired meanwhile.
    #[test]
    fn single_flight_never_sends_more_than_one_recomputation_per_key(
        params in any_params(),
        seed in any::<u64>(),
        protection in prop_oneof![Just(vec![Fix::Coalesce]), Just(vec![Fix::Lock]), Just(vec![Fix::Coalesce, Fix::Lock])],
        actions in proptest::collection::vec((0u64..600, any_action(false)), 0..12),
    ) {
        let mut all: Vec<(u64, Action)> = protection.iter().map(|fix| (0, Action::Set(*fix, true))).collect();
        all.extend(actions);
        drive(params, seed, all, 600, |state| {
            assert!(state.max_recomputations_in_flight() <= 1, "tick {}: {}", state.tick(), state.max_recomputations_in_flight());
            if let Some(sample) = state.series().last() {
                assert!(sample.max_recomputations_per_key <= 1);
            }
        });
    }

    /// Whatever the parameters and actions: every request is accounted for, counts agree,
    /// ratios stay in [0, 1], and the database respects its limits.
    #[test]
    fn the_bookkeeping_always_balances(
        params in any_params(),
        seed in any::<u64>(),
        from_start in proptest::sample::subsequence(Fix::ALL.to_vec(), 0..=3),
        actions in proptest::collection::vec((0u64..400, any_action(true)), 0..16),
    ) {
        let mut all: Vec<(u64, Action)> = from_start.iter().map(|fix| (0, Action::Set(*fix, true))).collect();
        all.extend(actions);
        drive(params, seed, all, 400, check_invariants);
    }
}
