//! Journeys worked out by hand (latencies from the illustrative round trips, freshness and the
//! two stale windows, coalescing, the shield, purges, publishes, failover), the HTTP caching
//! invariants as proptests over random runs (checked on every answer the model gives), and the
//! harness contracts: determinism, replay, URL round trips and no panics.

use proptest::prelude::*;

use super::*;
use crate::sim::query::DEFAULT_SEED;
use crate::sim::{Params, Simulation, Timeline};
use crate::viz::poster::pairs;

const EU: Region = Region::Europe;
const NA: Region = Region::NorthAmerica;
const ASIA: Region = Region::Asia;
/// Ticks in a simulated second.
const SECOND: u32 = 1000 / TICK_MS;

fn params(list: &[(&str, &str)]) -> Params {
    let (params, notes) = Params::from_pairs(CDN_PARAMS, &pairs(list));
    assert!(notes.is_empty(), "{notes:?}");
    params
}

/// A model whose users are silent: only the test's own requests arrive. Every delivery and
/// origin visit is kept, in order.
struct Probe {
    model: Cdn,
    log: Vec<Delivery>,
    origin: Vec<OriginVisit>,
}

impl Probe {
    fn new(list: &[(&str, &str)]) -> Self {
        let mut model = Cdn::new(&params(list), DEFAULT_SEED);
        model.config.rate = 0;
        Self { model, log: Vec::new(), origin: Vec::new() }
    }

    fn tick(&self) -> u32 {
        self.model.tick
    }

    /// A user request reaching its edge now.
    fn ask(&mut self, region: Region, object: u16) {
        self.model.request(region, object);
        self.collect();
    }

    fn act(&mut self, action: Action) {
        self.model.apply(&action);
        self.collect();
    }

    fn run(&mut self, ticks: u32) {
        for _ in 0..ticks {
            self.model.step();
            self.collect();
        }
    }

    /// Runs until every fetch has ended (at most two seconds).
    fn settle(&mut self) {
        for _ in 0..2 * SECOND {
            if self.model.fetches.is_empty() {
                return;
            }
            self.run(1);
        }
        panic!("fetches still in flight: {:?}", self.model.fetches);
    }

    fn collect(&mut self) {
        self.log.append(&mut self.model.journal);
        self.origin.append(&mut self.model.origin_log);
    }

    /// The one delivery since the log was last taken.
    fn answer(&mut self) -> Delivery {
        let log = std::mem::take(&mut self.log);
        assert_eq!(log.len(), 1, "{log:?}");
        log[0]
    }

    fn origin_visits(&mut self) -> usize {
        std::mem::take(&mut self.origin).len()
    }
}

// ---- Journeys worked out by hand -------------------------------------------------------------

#[test]
fn a_cold_miss_goes_through_the_shield_to_the_origin_and_later_regions_fill_from_the_shield() {
    let mut probe = Probe::new(&[]);
    let asked = probe.tick();
    probe.ask(EU, 0);
    probe.settle();
    // Europe: 40 ms to the shield, 10 to the origin, 40 generating, 10 and 40 back.
    let first = probe.answer();
    assert_eq!((first.served, first.tick - asked), (Served::Miss, 14));
    assert_eq!(probe.model.latencies(EU).percentile(1.0), Some(20 + 140));
    assert_eq!(probe.origin_visits(), 1);
    let copy = first.copy.expect("a copy");
    assert_eq!((copy.version, copy.born, u32::from(copy.max_age)), (1, asked + 9, 10 * SECOND));

    // Asia fills from the shield: 80 ms each way, and its copy is as old as the shield's.
    let asked = probe.tick();
    probe.ask(ASIA, 0);
    probe.settle();
    let second = probe.answer();
    assert_eq!((second.served, second.tick - asked), (Served::Miss, 16));
    assert_eq!(second.copy.map(|copy| (copy.born, copy.expires)), Some((copy.born, copy.expires)), "the shield's copy, age and all");
    assert_eq!(probe.origin_visits(), 0, "the shield answered");
    assert_eq!(probe.model.latencies(ASIA).percentile(1.0), Some(20 + 160));

    // Europe again: a hit at the edge, 20 ms.
    probe.ask(EU, 0);
    assert_eq!(probe.answer().served, Served::Hit);
    assert_eq!(probe.model.latencies(EU).percentile(0.5), Some(20));
}

#[test]
fn without_a_shield_each_region_goes_to_the_origin_itself() {
    let mut probe = Probe::new(&[("shield", "0")]);
    let asked = probe.tick();
    for region in Region::ALL {
        probe.ask(region, 3);
    }
    probe.settle();
    let log = std::mem::take(&mut probe.log);
    let took: Vec<(Region, u32)> = log.iter().map(|delivery| (delivery.region, delivery.tick - asked)).collect();
    // Each region's own round trip plus the 40 ms at the origin: 12, 8 and 20 ticks.
    assert_eq!(took, [(NA, 8), (EU, 12), (ASIA, 20)]);
    assert_eq!(probe.origin_visits(), 3, "one fetch per edge");

    // The same three requests with the shield: one origin fetch (the shield coalesces).
    let mut probe = Probe::new(&[]);
    for region in Region::ALL {
        probe.ask(region, 3);
    }
    probe.settle();
    assert_eq!(probe.origin_visits(), 1);
    assert!(probe.log.iter().all(|delivery| delivery.served == Served::Miss) && probe.log.len() == 3);
}

#[test]
fn a_copy_is_fresh_until_its_max_age_then_stale_while_revalidating_then_a_miss() {
    let mut probe = Probe::new(&[("ttl", "2"), ("swr", "1"), ("sie", "0")]);
    probe.ask(NA, 0);
    probe.settle();
    let copy = probe.answer().copy.expect("a copy");
    assert_eq!(copy.expires, copy.born + 2 * SECOND);
    // The last tick of its max-age: a hit.
    probe.run(copy.expires - 1 - probe.tick());
    probe.ask(NA, 0);
    assert_eq!(probe.answer().served, Served::Hit);
    // Its age reaches max-age: stale, served while one revalidation goes out.
    probe.run(1);
    probe.ask(NA, 0);
    probe.ask(NA, 0);
    let stale = std::mem::take(&mut probe.log);
    assert!(stale.iter().all(|delivery| delivery.served == Served::StaleWhileRevalidate && delivery.revalidating), "{stale:?}");
    assert_eq!(probe.model.fetches.len(), 1, "one revalidation for both");
    probe.settle();
    assert_eq!(probe.origin_visits(), 2, "the shield's copy was stale too: it revalidated");
    // The edge's revalidation got the shield's stale copy; the next one gets its new copy.
    probe.ask(NA, 0);
    assert_eq!(probe.answer().served, Served::StaleWhileRevalidate);
    probe.settle();
    assert_eq!(probe.origin_visits(), 0);
    probe.ask(NA, 0);
    let fresh = probe.answer();
    assert_eq!(fresh.served, Served::Hit);
    assert!(fresh.copy.expect("a copy").born > copy.born);

    // Left alone past max-age + swr, the next request waits for a fresh copy.
    probe.run(3 * SECOND);
    probe.ask(NA, 0);
    probe.settle();
    assert_eq!(probe.answer().served, Served::Miss);
}

#[test]
fn coalescing_sends_one_fetch_for_many_misses_and_without_it_each_goes_alone() {
    for (coalesce, fetches) in [("1", 1), ("0", 5)] {
        let mut probe = Probe::new(&[("coalesce", coalesce)]);
        let first = probe.tick();
        for _ in 0..5 {
            probe.ask(ASIA, 7);
            probe.run(1);
        }
        probe.settle();
        assert_eq!(probe.origin_visits(), fetches, "coalesce={coalesce}");
        let log = std::mem::take(&mut probe.log);
        assert_eq!(log.iter().map(|delivery| delivery.count).sum::<u32>(), 5);
        assert!(log.iter().all(|delivery| delivery.served == Served::Miss));
        if coalesce == "1" {
            // All answered together when the one fetch returns: Asia's full miss is 22 ticks.
            assert!(log.iter().all(|delivery| delivery.tick == first + 22), "{log:?}");
            assert_eq!(probe.model.totals(ASIA).misses, 5);
        }
    }
}

#[test]
fn a_hard_purge_empties_every_cache_and_a_copy_in_flight_is_fetched_again() {
    let mut probe = Probe::new(&[]);
    probe.ask(EU, 2);
    probe.ask(NA, 2);
    probe.settle();
    probe.log.clear();
    probe.origin_visits();
    probe.act(Action::Purge(2));
    assert!(Region::ALL.iter().all(|region| probe.model.edge_copy(0, *region, 2).is_none()) && probe.model.shield_copy(0, 2).is_none());
    probe.ask(NA, 2);
    probe.settle();
    assert_eq!(probe.answer().served, Served::Miss);
    assert_eq!(probe.origin_visits(), 1);

    // Purge while the origin's reply is on its way down: it is thrown away at the shield and
    // fetched again, so the user gets a copy made after the purge.
    let mut probe = Probe::new(&[]);
    probe.ask(EU, 4);
    probe.run(10);
    assert!(probe.model.fetches[0].leg.is_down(), "{:?}", probe.model.fetches);
    let purged_below = probe.model.next_serial;
    probe.act(Action::Purge(4));
    probe.settle();
    let answer = probe.answer();
    assert_eq!(answer.served, Served::Miss);
    assert!(answer.copy.expect("a copy").serial >= purged_below);
    assert_eq!(probe.origin_visits(), 2);
}

#[test]
fn a_soft_purge_serves_stale_while_one_revalidation_goes_to_the_origin() {
    let mut probe = Probe::new(&[("swr", "5")]);
    probe.ask(EU, 1);
    probe.ask(ASIA, 1);
    probe.settle();
    probe.log.clear();
    probe.origin_visits();
    probe.act(Action::SoftPurge(1));
    let marked = probe.model.edge_copy(0, EU, 1).expect("kept");
    assert_eq!(marked.expires, probe.tick(), "marked stale now, not removed");
    probe.ask(EU, 1);
    probe.ask(ASIA, 1);
    let served: Vec<Served> = std::mem::take(&mut probe.log).iter().map(|delivery| delivery.served).collect();
    assert_eq!(served, [Served::StaleWhileRevalidate; 2]);
    probe.settle();
    assert_eq!(probe.origin_visits(), 1, "the shield sends one revalidation for both edges");
    // Europe's revalidation came back with the shield's stale copy; Asia's too. The next
    // requests revalidate again and get the shield's new copy.
    probe.ask(EU, 1);
    probe.settle();
    probe.log.clear();
    probe.ask(EU, 1);
    let hit = probe.answer();
    assert_eq!(hit.served, Served::Hit);
    assert!(hit.copy.expect("a copy").born > marked.born);

    // Without stale-while-revalidate a soft-purged copy cannot be used: the request waits.
    let mut probe = Probe::new(&[("swr", "0")]);
    probe.ask(EU, 1);
    probe.settle();
    probe.log.clear();
    probe.act(Action::SoftPurge(1));
    probe.ask(EU, 1);
    probe.settle();
    assert_eq!(probe.answer().served, Served::Miss);
}

#[test]
fn with_the_origin_down_stale_if_error_serves_within_its_window_then_errors() {
    let mut probe = Probe::new(&[("ttl", "1"), ("swr", "0"), ("sie", "3")]);
    probe.ask(EU, 0);
    probe.settle();
    let copy = probe.answer().copy.expect("a copy");
    probe.act(Action::OriginDown);
    // Stale for a second: the shield's error path serves its stale copy: 4 + 1 up, 1 + 4 down.
    probe.run(copy.expires + SECOND - probe.tick());
    let asked = probe.tick();
    probe.ask(EU, 0);
    probe.settle();
    let stale = probe.answer();
    assert_eq!((stale.served, stale.tick - asked), (Served::StaleIfError, 10));
    assert_eq!(probe.model.origin_errors(), 1);
    // Past stale-if-error: an error.
    probe.run(copy.expires + 3 * SECOND - probe.tick());
    probe.ask(EU, 0);
    probe.settle();
    assert_eq!(probe.answer().served, Served::Error);
    // The origin back: a miss fills the edge again.
    probe.act(Action::OriginUp);
    probe.ask(EU, 0);
    probe.settle();
    assert_eq!(probe.answer().served, Served::Miss);
    let counts = probe.model.totals(EU);
    assert_eq!((counts.requests, counts.misses, counts.stale_if_error, counts.errors), (4, 2, 1, 1));

    // Without a shield the edge applies stale-if-error to its own copy.
    let mut probe = Probe::new(&[("ttl", "1"), ("swr", "0"), ("sie", "3"), ("shield", "0")]);
    probe.ask(ASIA, 0);
    probe.settle();
    probe.log.clear();
    probe.act(Action::OriginDown);
    probe.run(2 * SECOND);
    probe.ask(ASIA, 0);
    probe.settle();
    assert_eq!(probe.answer().served, Served::StaleIfError);
}

#[test]
fn a_publish_reaches_users_after_expiry_in_pull_and_at_once_in_push() {
    let mut probe = Probe::new(&[("ttl", "5"), ("swr", "0")]);
    probe.ask(NA, 0);
    probe.settle();
    probe.log.clear();
    probe.act(Action::Publish(0));
    assert_eq!(probe.model.version(0), 2);
    probe.ask(NA, 0);
    assert_eq!(probe.answer().copy.map(|copy| copy.version), Some(1), "the edge's copy is still fresh");
    probe.run(5 * SECOND);
    probe.ask(NA, 0);
    probe.settle();
    let answer = probe.answer();
    assert_eq!((answer.served, answer.copy.map(|copy| copy.version)), (Served::Miss, Some(2)));

    let mut probe = Probe::new(&[("mode", "push")]);
    probe.ask(ASIA, 0);
    assert_eq!(probe.answer().served, Served::Hit, "pushed before the first request");
    probe.act(Action::Publish(0));
    probe.ask(ASIA, 0);
    let answer = probe.answer();
    assert_eq!((answer.served, answer.copy.map(|copy| copy.version)), (Served::Hit, Some(2)));
    // Pushed copies do not expire at the CDN: a minute later, still a hit, no origin fetch.
    probe.run(60 * SECOND);
    probe.ask(ASIA, 0);
    assert_eq!(probe.answer().served, Served::Hit);
    assert_eq!(probe.origin_visits(), 0);
    // Back to pull, they expire by the max-age they were pushed with (10 s, long past).
    probe.act(Action::Set(Setting::Push, 0));
    probe.ask(ASIA, 0);
    probe.settle();
    assert_eq!(probe.answer().served, Served::Miss);
    assert_eq!(probe.origin_visits(), 1);
}

#[test]
fn when_cdn_a_fails_users_get_errors_until_steering_moves_them_to_cold_cdn_b() {
    let mut probe = Probe::new(&[]);
    probe.ask(EU, 0);
    probe.settle();
    probe.log.clear();
    probe.act(Action::FailCdn(0));
    assert_eq!(probe.model.steering(), Some((1, FAILOVER_MS)));
    probe.ask(EU, 0);
    assert_eq!(probe.answer().served, Served::Error);
    probe.run(FAILOVER_MS / TICK_MS - 1);
    assert_eq!(probe.model.serving(), 0, "not yet");
    probe.run(1);
    assert_eq!((probe.model.serving(), probe.model.steering()), (1, None));
    assert!(probe.model.narrate().contains("CDN B, which starts cold"), "{}", probe.model.narrate());
    // CDN B has never seen the object: a miss, through its own shield to the origin.
    probe.origin_visits();
    probe.ask(EU, 0);
    probe.settle();
    let answer = probe.answer();
    assert_eq!((answer.served, answer.cdn), (Served::Miss, 1));
    assert_eq!(probe.origin_visits(), 1);
    // A back: users return after the same delay, to what A's edge kept (a fresh copy still).
    probe.act(Action::RestoreCdn(0));
    probe.run(FAILOVER_MS / TICK_MS);
    assert_eq!(probe.model.serving(), 0);

    // In push mode B holds every object already: no miss after the move.
    let mut probe = Probe::new(&[("mode", "push")]);
    probe.act(Action::FailCdn(0));
    probe.run(FAILOVER_MS / TICK_MS);
    probe.ask(ASIA, 9);
    let answer = probe.answer();
    assert_eq!((answer.served, answer.cdn), (Served::Hit, 1));
}

#[test]
fn requests_in_flight_at_a_failing_cdn_end_as_errors() {
    let mut probe = Probe::new(&[]);
    probe.ask(ASIA, 0);
    probe.run(3);
    probe.ask(ASIA, 0);
    probe.act(Action::FailCdn(0));
    let log = std::mem::take(&mut probe.log);
    assert_eq!(log.iter().map(|delivery| (delivery.served, delivery.count)).collect::<Vec<_>>(), [(Served::Error, 1), (Served::Error, 1)]);
    assert!(probe.model.fetches.is_empty() && probe.model.waiters.is_empty());
    assert_eq!(probe.model.totals(ASIA).errors, 2);
}

#[test]
fn objects_past_the_catalogue_are_ignored_and_said_so() {
    let mut model = Cdn::new(&params(&[("objects", "5")]), 1);
    let before = model.clone();
    model.apply(&Action::Purge(5));
    assert!(model.narrate().contains("There is no object #6 in a catalogue of 5"), "{}", model.narrate());
    model.apply(&Action::Publish(199));
    assert_eq!(model.versions, before.versions);
    // Growing the catalogue makes room; shrinking keeps what is cached.
    model.apply(&Action::Set(Setting::Objects, 200));
    model.apply(&Action::Publish(199));
    assert_eq!(model.version(199), 2);
    model.apply(&Action::Set(Setting::Objects, 1));
    assert_eq!(model.caches[0].len(), 200);
    for _ in 0..500 {
        model.step();
    }
}

#[test]
fn at_the_defaults_regions_with_less_traffic_hit_less_and_the_shield_cuts_origin_load() {
    let run = |list: &[(&str, &str)]| {
        let mut model = Cdn::new(&params(list), DEFAULT_SEED);
        for _ in 0..60 * SECOND {
            model.step();
        }
        model
    };
    let shielded = run(&[("swr", "0")]);
    let ratio = |model: &Cdn, region: Region| model.totals(region).hit_ratio().unwrap_or(0.0);
    assert!(ratio(&shielded, NA) > ratio(&shielded, EU) && ratio(&shielded, EU) > ratio(&shielded, ASIA), "{:?}", Region::ALL.map(|region| ratio(&shielded, region)));
    assert!(ratio(&shielded, ASIA) > 0.5 && ratio(&shielded, NA) < 0.99);
    let origin = |model: &Cdn| Region::ALL.iter().map(|region| model.totals(*region).origin_fetches).sum::<u64>();
    let bare = run(&[("swr", "0"), ("shield", "0")]);
    // Without the shield each edge fetches each object for itself: up to three times as many
    // (fewer for the objects some region does not ask for within a max-age).
    assert!(origin(&bare) > origin(&shielded) * 2 && origin(&bare) < origin(&shielded) * 3, "{} without a shield, {} with", origin(&bare), origin(&shielded));
    // With the shield the origin sees at most one fetch per object per max-age.
    let bound = (60 / 10 + 1) * 100;
    assert!(origin(&shielded) <= bound, "{} > {bound}", origin(&shielded));
}

// ---- Invariants over random runs ---------------------------------------------------------------

fn any_setting() -> impl Strategy<Value = Action> {
    (0..Setting::ALL.len()).prop_flat_map(|index| {
        let setting = Setting::ALL[index];
        let (low, high) = setting.range();
        (low..=high).prop_map(move |value| Action::Set(setting, value))
    })
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        any_setting(),
        (0..MAX_OBJECTS as u16).prop_map(Action::Purge),
        (0..8u16).prop_map(Action::Purge),
        (0..8u16).prop_map(Action::SoftPurge),
        (0..8u16).prop_map(Action::Publish),
        Just(Action::OriginDown),
        Just(Action::OriginUp),
        (0..2u8).prop_map(Action::FailCdn),
        (0..2u8).prop_map(Action::RestoreCdn),
    ]
}

fn any_params() -> impl Strategy<Value = Vec<(String, String)>> {
    (10..=5_000u32, 1..=MAX_OBJECTS, 0..=200u32, 1..=300u32, 0..=300u32, 0..=600u32, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(rate, objects, skew, ttl, swr, sie, shield, push, coalesce)| {
        let flag = |on: bool| if on { "1" } else { "0" }.to_string();
        vec![
            ("rate".to_string(), rate.to_string()),
            ("objects".to_string(), objects.to_string()),
            ("skew".to_string(), format!("{}", f64::from(skew) / 100.0)),
            ("ttl".to_string(), ttl.to_string()),
            ("swr".to_string(), swr.to_string()),
            ("sie".to_string(), sie.to_string()),
            ("shield".to_string(), flag(shield)),
            ("mode".to_string(), if push { "push" } else { "pull" }.to_string()),
            ("coalesce".to_string(), flag(coalesce)),
        ]
    })
}

/// Requests of a region that have no answer yet: riding on its edges' fetches or waiting.
fn unanswered(model: &Cdn, region: Region) -> u64 {
    let riding: u64 = model.fetches.iter().filter(|fetch| fetch.region == region).map(|fetch| u64::from(fetch.requests)).sum();
    let waiting: u64 = (0..CDNS).map(|cdn| model.waiting(cdn, region)).sum();
    riding + waiting
}

/// Checks every answer of the last tick against RFC 9111 and RFC 5861, and the purges.
fn check_deliveries(model: &Cdn, last_origin_error: Option<u32>) -> Result<(), TestCaseError> {
    for delivery in &model.journal {
        let object = usize::from(delivery.object);
        if let Some(copy) = delivery.copy {
            prop_assert!(copy.serial >= model.hard_purged_below[object], "served a copy made before a hard purge: {:?}", delivery);
        }
        match (delivery.served, delivery.copy) {
            (Served::Hit, Some(copy)) if copy.pushed => prop_assert_eq!(copy.version, model.version(object), "a pushed copy is the current version"),
            (Served::Hit, Some(copy)) => prop_assert!(delivery.tick - copy.born < u32::from(copy.max_age) && delivery.tick < copy.expires, "a fresh hit younger than its max-age: {:?}", delivery),
            (Served::StaleWhileRevalidate, Some(copy)) => {
                prop_assert!(delivery.revalidating, "{:?}", delivery);
                prop_assert!(!copy.pushed && copy.expires <= delivery.decided && delivery.decided < copy.expires + u32::from(copy.swr), "outside stale-while-revalidate: {:?}", delivery);
            }
            (Served::StaleIfError, Some(copy)) => {
                prop_assert!(!copy.pushed && copy.expires <= delivery.decided && delivery.decided < copy.expires + u32::from(copy.sie), "outside stale-if-error: {:?}", delivery);
                prop_assert!(last_origin_error.is_some_and(|at| delivery.tick - at <= 9), "stale-if-error with no origin error: {:?}", delivery);
            }
            (Served::Miss, Some(_)) | (Served::Error, None) => {}
            _ => prop_assert!(false, "an answer without its copy: {:?}", delivery),
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Any settings and any actions: no panic, every request accounted for exactly once, counts
    /// that never go down, and every answer within HTTP's rules.
    #[test]
    fn every_answer_keeps_the_caching_rules_and_every_request_is_counted(list in any_params(), seed in any::<u64>(), actions in proptest::collection::vec((0..1_500u32, any_action()), 0..12)) {
        let (params, _) = Params::from_pairs(CDN_PARAMS, &list);
        let mut model = Cdn::new(&params, seed);
        let mut previous = Region::ALL.map(|region| model.totals(region));
        let mut last_origin_error = None;
        for tick in 0..1_500u32 {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                model.apply(action);
            }
            let errors = model.origin_errors();
            model.step();
            if model.origin_errors() > errors {
                last_origin_error = Some(model.tick);
            }
            check_deliveries(&model, last_origin_error)?;
            for region in Region::ALL {
                let (now, before) = (model.totals(region), previous[region.index()]);
                prop_assert_eq!(now.answered() + unanswered(&model, region), now.requests, "{:?} at {}", region, model.tick);
                for (after, was) in [(now.requests, before.requests), (now.hits, before.hits), (now.misses, before.misses), (now.stale(), before.stale()), (now.errors, before.errors), (now.origin_fetches, before.origin_fetches)] {
                    prop_assert!(after >= was);
                }
            }
            previous = Region::ALL.map(|region| model.totals(region));
        }
    }

    /// With the shield and coalescing on, the origin generates each object at most once per
    /// max-age per CDN, unless a purge asked for a new copy. The reader may publish, take the
    /// origin down and change the traffic meanwhile.
    #[test]
    fn with_the_shield_the_origin_sees_one_fetch_per_object_per_max_age(rate in 100..=5_000u32, ttl in 1..=20u32, swr in 0..=10u32, objects in 1..=60usize, seed in any::<u64>(),
        actions in proptest::collection::vec((0..2_000u32, prop_oneof![(0..6u16).prop_map(Action::Purge), (0..6u16).prop_map(Action::SoftPurge), (0..6u16).prop_map(Action::Publish), Just(Action::OriginDown), Just(Action::OriginUp), (100..=5_000u32).prop_map(|rate| Action::Set(Setting::Rate, rate))]), 0..10)) {
        let list = [("rate", rate.to_string()), ("ttl", ttl.to_string()), ("swr", swr.to_string()), ("objects", objects.to_string())];
        let list: Vec<(&str, &str)> = list.iter().map(|(key, value)| (*key, value.as_str())).collect();
        let mut model = Cdn::new(&params(&list), seed);
        // The tick each object was last generated while the origin was up, and its last purge.
        let mut generated: Vec<Option<u32>> = vec![None; objects];
        let mut purged: Vec<Option<u32>> = vec![None; objects];
        for tick in 0..2_000u32 {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                model.apply(action);
                if let Action::Purge(object) | Action::SoftPurge(object) = action {
                    if let Some(slot) = purged.get_mut(usize::from(*object)) {
                        *slot = Some(model.tick);
                    }
                }
            }
            model.step();
            prop_assert!(model.origin_log.iter().all(|visit| visit.via_shield));
            for visit in &model.generated {
                let object = usize::from(visit.object);
                if let Some(last) = generated[object] {
                    let purged_since = purged[object].is_some_and(|at| at >= last);
                    prop_assert!(purged_since || visit.tick - last > ttl * SECOND, "{} fetched at {} and again at {}", object_name(object), last, visit.tick);
                }
                generated[object] = Some(visit.tick);
            }
        }
    }

    #[test]
    fn actions_round_trip_through_their_text(action in any_action()) {
        let text = action.encode();
        prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "URL-safe: {}", text);
        prop_assert_eq!(Action::decode(&text), Some(action));
    }

    /// Anything decodes without a panic, and what decodes is written back the same way.
    #[test]
    fn decoding_anything_is_safe_and_canonical(text in "\\PC{0,8}|[roktwesmcxyvfhdu][0-9]{0,10}") {
        if let Some(action) = Action::decode(&text) {
            prop_assert_eq!(action.encode(), text);
        }
    }
}

// ---- Settings, narration and the harness ---------------------------------------------------------

#[test]
fn decoding_refuses_what_encode_never_writes() {
    for text in ["", "x", "x01", "x200", "x-1", "r9", "r5001", "k201", "t0", "s2", "m2", "f2", "h", "dd", "u1", "q", "X3", "r 300", "o1.5"] {
        assert_eq!(Action::decode(text), None, "{text}");
    }
    assert_eq!(Action::decode("x199"), Some(Action::Purge(199)));
    assert_eq!(Action::decode("k0"), Some(Action::Set(Setting::Skew, 0)));
    assert_eq!(Action::decode("e600"), Some(Action::Set(Setting::Sie, 600)));
}

#[test]
fn every_control_becomes_a_live_action_clamped_to_its_range() {
    use crate::sim::Value;
    assert_eq!(Action::from_param("rate", Value::Int(99_999)), Some(Action::Set(Setting::Rate, 5_000)));
    assert_eq!(Action::from_param("skew", Value::Float(0.75)), Some(Action::Set(Setting::Skew, 75)));
    assert_eq!(Action::from_param("skew", Value::Float(f64::NAN)), None);
    assert_eq!(Action::from_param("mode", Value::Choice("push")), Some(Action::Set(Setting::Push, 1)));
    assert_eq!(Action::from_param("shield", Value::Bool(false)), Some(Action::Set(Setting::Shield, 0)));
    assert_eq!(Action::from_param("ttl", Value::Int(0)), Some(Action::Set(Setting::MaxAge, 1)));
    assert_eq!(Action::from_param("nope", Value::Int(1)), None);
    assert_eq!([Action::Set(Setting::Shield, 0), Action::Set(Setting::Push, 1), Action::Purge(0), Action::FailCdn(1)].map(|action| action.label()), ["Shield off", "Push", "Purge #1", "CDN B fails"]);
    // Every parameter has a setting, and the defaults read back through `get`.
    let config = Config::from_params(&Params::defaults(CDN_PARAMS));
    for spec in CDN_PARAMS {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == spec.key).unwrap_or_else(|| panic!("{} has no setting", spec.key));
        assert_eq!(Action::from_param(spec.key, spec.default), Some(Action::Set(setting, config.get(setting))));
        // What a live control shows is the parameter's own value, so showing it and sending it back changes nothing.
        assert_eq!(config.value(spec.key), Some(spec.default), "{}", spec.key);
    }
    let mut changed = config;
    changed.set(Setting::Skew, 75);
    changed.set(Setting::Push, 1);
    assert_eq!((changed.value("skew"), changed.value("mode"), changed.value("nope")), (Some(Value::Float(0.75)), Some(Value::Choice("push")), None));
    // A live change takes effect on the next tick: doubling the rate doubles the arrivals.
    let mut model = Cdn::new(&params(&[]), 3);
    model.apply(&Action::Set(Setting::Rate, 3_000));
    for _ in 0..SECOND {
        model.step();
    }
    let requests: u64 = Region::ALL.iter().map(|region| model.totals(*region).requests).sum();
    assert!((2_700..3_300).contains(&requests), "{requests}");
    assert!(model.narrate().starts_with("Users now send 3000 requests a second."), "{}", model.narrate());
}

#[test]
fn the_narration_tells_the_last_action_then_sums_up() {
    let mut model = Cdn::new(&params(&[]), 5);
    assert!(model.narrate().starts_with("The edges start empty"));
    for _ in 0..10 * SECOND {
        model.step();
    }
    let summary = model.narrate();
    assert!(summary.starts_with("Hit ratio over the last 5 s: Europe ") && summary.contains("the origin answers"), "{summary}");
    model.apply(&Action::SoftPurge(0));
    assert!(model.narrate().starts_with("Soft purge of #1: its copies are marked stale and served for up to 5 s"), "{}", model.narrate());
    model.apply(&Action::OriginDown);
    assert!(model.narrate().contains("up to 60 s past expiry"), "{}", model.narrate());
    model.apply(&Action::FailCdn(0));
    assert!(model.narrate().starts_with("CDN A fails: its users get errors until steering moves them, in 3 s."), "{}", model.narrate());
}

#[test]
fn the_same_seed_replays_the_same_run_and_a_shared_link_rebuilds_it() {
    let actions = vec![(300, Action::Purge(0)), (700, Action::OriginDown), (900, Action::Set(Setting::Shield, 0)), (1_200, Action::FailCdn(0)), (1_600, Action::Publish(2))];
    let mut timeline = Timeline::<Cdn>::new(params(&[]), 42, CDN_LIMIT);
    for (at, action) in &actions {
        timeline.seek(*at);
        timeline.act(*action);
    }
    timeline.seek(2_000);
    let encoded = timeline.encode_actions();
    let (decoded, skipped) = Timeline::<Cdn>::decode_actions(&encoded);
    assert_eq!((decoded.clone(), skipped), (actions, 0));
    let shared = Timeline::<Cdn>::replay(params(&[]), 42, CDN_LIMIT, decoded, 2_000);
    assert_eq!(shared.state(), timeline.state());
    let other = Timeline::<Cdn>::replay(params(&[]), 43, CDN_LIMIT, Vec::new(), 2_000);
    assert_ne!(other.state().totals(NA), timeline.state().totals(NA));
    // Scrubbing back and forth lands on the same state.
    let now = timeline.state().clone();
    timeline.seek(100);
    timeline.seek(2_000);
    assert_eq!(timeline.state(), &now);
}

#[test]
fn a_cache_slot_stays_small_because_every_keyframe_holds_eight_per_object() {
    assert!(std::mem::size_of::<Slot>() <= 28, "{}", std::mem::size_of::<Slot>());
}

#[test]
fn the_heaviest_settings_stay_bounded() {
    // Every request a miss, none coalesced, the origin down and slow to be noticed: the fetches
    // in flight and the waiting requests stay within what a few hundred ms of traffic can hold.
    let list = [("rate", "5000"), ("objects", "200"), ("skew", "0"), ("ttl", "1"), ("swr", "0"), ("sie", "0"), ("coalesce", "0"), ("shield", "0")];
    let mut model = Cdn::new(&params(&list), 9);
    let mut most = 0;
    for tick in 0..3_000 {
        if tick == 1_000 {
            model.apply(&Action::OriginDown);
        }
        model.step();
        most = most.max(model.fetches.len() + model.waiters.len());
    }
    assert!(most < 1_500, "{most}");
    assert!(model.series().len() <= MAX_SAMPLES);
}
