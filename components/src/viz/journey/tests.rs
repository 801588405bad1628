//! Page loads worked out by hand from the default round trips (each expected number is derived
//! in a comment, from the settings and the protocols' round-trip counts, never read off the
//! model), the handshake counts against the RFCs' flights, the waterfall's shape and the
//! toggles' effects as proptests over random settings, browser histories and jitter, and the
//! harness contracts: determinism, replay, URL round trips, live settings and no panics.

use proptest::prelude::*;

use super::plan::{plan, round_trip_ms};
use super::*;
use crate::sim::query::DEFAULT_SEED;
use crate::sim::{Params, Simulation, Timeline, Value};
use crate::viz::poster::pairs;

fn params(list: &[(&str, &str)]) -> Params {
    let (params, notes) = Params::from_pairs(JOURNEY_PARAMS, &pairs(list));
    assert!(notes.is_empty(), "{notes:?}");
    params
}

fn config(list: &[(&str, &str)]) -> Config {
    Config::from_params(&params(list))
}

/// A load from a cold browser with no jitter.
fn cold(list: &[(&str, &str)]) -> Plan {
    plan(&config(list), &Browser::default(), &STEADY)
}

/// The second of two loads with the same settings and no jitter.
fn second(list: &[(&str, &str)]) -> Plan {
    let config = config(list);
    let first = plan(&config, &Browser::default(), &STEADY);
    plan(&config, &first.after, &STEADY)
}

fn steps(plan: &Plan) -> Vec<(Step, u32)> {
    plan.phases.iter().map(|phase| (phase.step, phase.duration())).collect()
}

fn run(model: &mut Journey, ticks: u32) {
    for _ in 0..ticks {
        model.step();
    }
}

// ---- Loads worked out by hand ------------------------------------------------------------------

#[test]
fn a_cold_load_with_the_defaults_adds_up_hop_by_hop() {
    // The defaults: HTTP/2 over TLS 1.3, the address in the resolver's cache, a CDN miss, a cache
    // hit. Browser ↔ resolver 20 ms (10 each way), TCP 1 × 30, TLS 1.3 1 × 30, the request 15 to
    // the edge, 40 to the origin, 1 ms in the region split 0 + 1, the service's 20, the cache's
    // 1, 40 back to the edge, 15 to the browser: the page at 212 ms. Then the twelve
    // sub-resources together, one round trip to the edge: 30 ms, 242 in all.
    let plan = cold(&[]);
    assert_eq!(
        steps(&plan),
        [
            (Step::DnsQuery, 10),
            (Step::DnsAnswer, 10),
            (Step::Tcp, 30),
            (Step::Tls { round_trips: 1, resumed: false }, 30),
            (Step::Request { early: false }, 15),
            (Step::ToOrigin, 40),
            (Step::Service, 20),
            (Step::Cache, 1),
            (Step::FromService, 1),
            (Step::FromOrigin, 40),
            (Step::Response, 15),
            (Step::Assets, 30),
        ]
    );
    assert_eq!((plan.page_ms, plan.total, plan.setup_ms(), plan.handshake_round_trips()), (212, 242, 80, 2));
    assert!(!plan.reused);
    // Keep-alive: the second load skips DNS and both handshakes, 80 ms less.
    let again = second(&[]);
    assert!(again.reused);
    assert_eq!((again.page_ms, again.total, again.setup_ms()), (132, 162, 0));
}

#[test]
fn each_choice_moves_the_total_by_what_its_round_trips_say() {
    // From the cold 242 ms of the defaults (see above):
    // TLS 1.2: one more round trip, 272. HTTP/3: QUIC's one round trip instead of TCP's and
    // TLS's two, 212. A DNS walk: three round trips of 40 ms more, 362; the browser's own cache:
    // no lookup, 222.
    assert_eq!(cold(&[("tls", "12")]).total, 272);
    assert_eq!(cold(&[("proto", "h3")]).total, 212);
    assert_eq!(cold(&[("dns", "walk")]).total, 362);
    assert_eq!(cold(&[("dns", "browser")]).total, 222);
    // A CDN hit ends at the edge: 80 of setup, 15 there, 15 back, 30 of sub-resources.
    assert_eq!(cold(&[("cdnhit", "1")]).total, 140);
    // A cache miss adds three queries of 1 ms there and back plus 5 ms of work: 18 ms, 260; in
    // another region each takes 70 + 5: 225 ms more, 467.
    assert_eq!(cold(&[("cachehit", "0")]).total, 260);
    assert_eq!(cold(&[("cachehit", "0"), ("xregion", "1")]).total, 467);
    // The database's region matters only on a cache miss.
    assert_eq!(cold(&[("xregion", "1")]).total, 242);
    // Keep-alive off: the second load looks the address up again and shakes hands again,
    // resuming TLS 1.3 with its ticket (still one round trip): 242 again. With 0-RTT the
    // request leaves with the ClientHello, right after TCP: 212. Over QUIC with 0-RTT it
    // leaves at once after DNS: 182.
    assert_eq!(second(&[("keepalive", "0")]).total, 242);
    assert_eq!(second(&[("keepalive", "0"), ("zerortt", "1")]).total, 212);
    assert_eq!(second(&[("keepalive", "0"), ("zerortt", "1"), ("proto", "h3")]).total, 182);
    // TLS 1.2 resumes in one round trip (the abbreviated handshake) and has no 0-RTT: 242.
    assert_eq!(second(&[("keepalive", "0"), ("zerortt", "1"), ("tls", "12")]).total, 242);
    // 0-RTT needs a ticket: the first load is the same with it on.
    assert_eq!(cold(&[("zerortt", "1")]).total, 242);
}

#[test]
fn http1_fetches_one_resource_at_a_time_per_connection_over_up_to_six() {
    // HTTP/1.1, cold, twelve sub-resources. The page's connection is free at once; five more
    // open, each resuming TLS 1.3 with the ticket the first just got: TCP 30 + TLS 30, free at
    // 60 ms. Each fetch takes 30. The first connection takes resources 0, 1 and, tied with the
    // new ones at 60, resource 2 (the lowest connection wins a tie); the new ones take 3 to 7
    // (60–90); at 90 all six are free and take 8 to 11. The last arrives at 120 ms.
    let plan = cold(&[("proto", "h1")]);
    assert_eq!(plan.phases.last().map(|phase| (phase.step, phase.duration())), Some((Step::Assets, 120)));
    assert_eq!((plan.total, plan.lanes.len(), plan.new_lanes()), (212 + 120, 6, 5));
    let fetched: Vec<usize> = plan.lanes.iter().map(|lane| lane.phases.iter().filter(|phase| matches!(phase.step, Step::Fetch { .. })).count()).collect();
    assert_eq!(fetched, [4, 2, 2, 2, 1, 1]);
    assert_eq!(plan.lanes[1].phases[..2].iter().map(|phase| (phase.step, phase.start - plan.page_ms, phase.end - plan.page_ms)).collect::<Vec<_>>(), [(Step::Tcp, 0, 30), (Step::Tls { round_trips: 1, resumed: true }, 30, 60)]);
    // With 0-RTT the new connections send their first request right after TCP (free at 30):
    // 0 and 1 on the first, 2–6 on the new ones (30–60), 7–11 at 60–90. 90 ms.
    assert_eq!(cold(&[("proto", "h1"), ("zerortt", "1")]).phases.last().map(Phase::duration), Some(90));
    // Kept alive, the six connections are all open for the next load: two rounds, 60 ms.
    let again = second(&[("proto", "h1")]);
    assert_eq!((again.total, again.new_lanes()), (132 + 60, 0));
    assert_eq!(again.after.pool.map(|pool| pool.connections), Some(6));
    // Two sub-resources: the page's connection fetches both (30 and 60) before a new one could
    // (60 and 90), so no new connection counts; HTTP/2 fetches both in one round trip.
    let two = cold(&[("proto", "h1"), ("assets", "2")]);
    assert_eq!((two.total - two.page_ms, two.lanes.len()), (60, 1));
    assert_eq!(cold(&[("assets", "2")]).total - 212, 30);
    // No sub-resources: no last phase at all.
    assert_eq!(cold(&[("assets", "0")]).total, 212);
}

#[test]
fn handshakes_take_the_round_trips_the_rfcs_give() {
    // (transport, resumed, 0-RTT) → (transport's round trips, TLS's): TCP's three-way handshake
    // is one (RFC 9293 §3.5); TLS 1.2's full handshake two, its abbreviated one (RFC 5246 §7.3);
    // TLS 1.3's full handshake and PSK resumption one, 0-RTT none (RFC 8446 §2, §2.2, §2.3);
    // QUIC's handshake carries TLS 1.3 in one round trip, none with 0-RTT (RFC 9000 §7, RFC 9001
    // §4.6).
    let table = [
        (Transport::Tls12, false, false, (1, 2)),
        (Transport::Tls12, false, true, (1, 2)),
        (Transport::Tls12, true, false, (1, 1)),
        (Transport::Tls12, true, true, (1, 1)),
        (Transport::Tls13, false, false, (1, 1)),
        (Transport::Tls13, false, true, (1, 1)),
        (Transport::Tls13, true, false, (1, 1)),
        (Transport::Tls13, true, true, (1, 0)),
        (Transport::Quic, false, false, (1, 0)),
        (Transport::Quic, false, true, (1, 0)),
        (Transport::Quic, true, false, (1, 0)),
        (Transport::Quic, true, true, (0, 0)),
    ];
    for (transport, resumed, zero_rtt, expected) in table {
        assert_eq!(handshake_round_trips(transport, resumed, zero_rtt), expected, "{transport:?} resumed {resumed} 0-RTT {zero_rtt}");
    }
    // The TLS handshake tool counts the same TLS round trips before the first byte of data.
    use crate::viz::tls::Mode;
    assert_eq!(handshake_round_trips(Transport::Tls13, false, false).1, Mode::Full.data_round_trips());
    assert_eq!(handshake_round_trips(Transport::Tls13, true, false).1, Mode::Resumption.data_round_trips());
    assert_eq!(handshake_round_trips(Transport::Tls13, true, true).1, Mode::ZeroRtt.data_round_trips());
    assert_eq!(handshake_round_trips(Transport::Tls12, false, false).1, Mode::Tls12.data_round_trips());
    // And a load spends exactly those round trips on its rows, at any round trip.
    for rtt in [1u32, 7, 30, 499] {
        for (proto, tls) in [("h1", "12"), ("h2", "13"), ("h3", "13")] {
            for zero in ["0", "1"] {
                let rtt_text = rtt.to_string();
                let list = [("proto", proto), ("tls", tls), ("zerortt", zero), ("keepalive", "0"), ("rtt", rtt_text.as_str())];
                for (plan, resumed) in [(cold(&list), false), (second(&list), true)] {
                    let transport = Transport::of(&config(&list));
                    let (connect, secure) = handshake_round_trips(transport, resumed, zero == "1");
                    assert_eq!((plan.row_ms(Row::Connect), plan.row_ms(Row::Tls)), (connect * rtt, secure * rtt), "{list:?} resumed {resumed}");
                    assert_eq!(plan.handshake_round_trips(), connect + secure, "{list:?}");
                }
            }
        }
    }
}

#[test]
fn jitter_scales_each_link_by_its_draw_and_never_below_a_millisecond() {
    let config = config(&[("jitter", "50"), ("rtt", "30"), ("dcrtt", "0")]);
    // A draw of 1000 at ±50% is ×1.5, of -1000 ×0.5, of -333 ×(1 - 0.1665) → 25 ms (24.995).
    let jitter: Jitter = [0, 0, 1000, -1000, -333, 0];
    assert_eq!(round_trip_ms(&config, &jitter, Link::Edge), 45);
    assert_eq!(round_trip_ms(&config, &jitter, Link::Origin), 40);
    assert_eq!(round_trip_ms(&config, &[0, 0, -333, 0, 0, 0], Link::Edge), 25);
    assert_eq!(round_trip_ms(&config, &jitter, Link::Region), 0, "a 0 ms setting stays 0");
    let one = config.with(Setting::Rtt, 1);
    assert_eq!(round_trip_ms(&one, &[0, 0, -1000, 0, 0, 0], Link::Edge), 1, "never below 1 ms");
    assert_eq!(round_trip_ms(&config.with(Setting::Jitter, 0), &jitter, Link::Edge), 30, "no jitter, no change");
}

// ---- The model over a run -----------------------------------------------------------------------

#[test]
fn loads_follow_each_other_and_each_toggle_shapes_the_next_one() {
    let mut model = Journey::new(&params(&[]), DEFAULT_SEED);
    assert_eq!((model.load().number, model.load().plan.total), (1, 242));
    // Load 1 ends at 242 ms and is recorded; load 2 starts 300 ms later, reusing the connection.
    run(&mut model, 242);
    assert!(model.finished_load());
    assert_eq!(model.history().last().map(|summary| (summary.number, summary.total_ms, summary.end_ms)), Some((1, 242, 242)));
    run(&mut model, PAUSE_MS);
    assert_eq!((model.load().number, model.load().start, model.load().plan.total), (2, 542, 162));
    assert_eq!(model.previous().map(|summary| summary.total_ms), Some(242));
    // Keep-alive off during load 2: the next load, 3, opens a new connection (242 ms, resumed).
    run(&mut model, 50);
    model.apply(&Action::Set(Setting::KeepAlive, 0));
    assert_eq!(model.load().plan.total, 162, "load 2 keeps its plan");
    assert_eq!(model.next_plan().total, 242);
    assert_eq!(model.narrate(), "Keep-alive off. The next load takes 242 ms with these settings.");
    run(&mut model, 112 + PAUSE_MS);
    assert_eq!((model.load().number, model.load().plan.total), (3, 242));
    // A change at the very tick a load starts applies to it: HTTP/3 with 0-RTT, resumed? No:
    // the browser holds no QUIC ticket yet, so a full QUIC handshake: 20 + 30 + 132 + 30 = 212.
    run(&mut model, 242 + PAUSE_MS);
    assert_eq!(model.elapsed_ms(), 0);
    model.apply(&Action::Set(Setting::Proto, 2));
    model.apply(&Action::Set(Setting::ZeroRtt, 1));
    assert_eq!((model.load().number, model.load().plan.total), (4, 212));
    assert!(model.narrate().starts_with("0-RTT on. This load takes"), "{}", model.narrate());
    // Load 5 resumes QUIC with 0-RTT (keep-alive is still off): 20 + 0 + 132 + 30 = 182.
    run(&mut model, 212 + PAUSE_MS);
    assert_eq!((model.load().number, model.load().plan.total), (5, 182));
    // A new visitor forgets the tickets: the next load pays the full QUIC handshake again.
    model.apply(&Action::NewVisitor);
    assert_eq!(model.load().plan.total, 212);
    assert_eq!(model.narrate(), "A new visitor: the browser has no open connection and no session ticket. This load takes 212 ms with these settings.");
}

#[test]
fn the_comparisons_are_the_next_load_with_one_choice_flipped() {
    let mut model = Journey::new(&params(&[("jitter", "30")]), 9);
    run(&mut model, 400);
    let comparisons = model.comparisons();
    // Keep-alive, 0-RTT, CDN, cache and region flip (5), two other HTTP versions, the other TLS
    // version, two other DNS answers: 10.
    assert_eq!(comparisons.len(), 10);
    for (action, total) in comparisons {
        let Action::Set(setting, value) = action else { panic!("{action:?}") };
        assert_ne!(model.config().get(setting), value);
        assert_eq!(total, model.plan_with(&model.config().with(setting, value)).total, "{action:?}");
    }
    // The next load is what the model then runs, with the same jitter.
    let expected = model.next_plan();
    while model.load().number == 1 {
        model.step();
    }
    assert_eq!(model.load().plan, expected);
}

#[test]
fn the_narration_follows_the_request_then_sums_the_load_up() {
    let mut model = Journey::new(&params(&[("dns", "walk"), ("cachehit", "0")]), DEFAULT_SEED);
    assert_eq!(model.narrate(), "Load 1 starts cold: no open connection and no session ticket, so the browser looks up the address and shakes hands first. Load 1, 0 ms in: the browser asks its resolver for the address (20 ms round trip).");
    // By hand: the query 0–10, the walk 10–130 (3 × 40), the answer 130–140, TCP 140–170, TLS
    // 170–200, the request 200–215, to the origin 215–255, the service 255–275, the cache
    // 275–276, three queries of 1 + 5 ms 276–294, back 294–295 and 295–335, the response
    // 335–350, the sub-resources 350–380.
    let mut at = |tick: u32| {
        let now = model.tick() as u32;
        run(&mut model, tick - now);
        model.narrate()
    };
    assert_eq!(at(120), "Load 1, 120 ms in: the resolver has no copy, so it asks a root server, a .com server and the site's own: 3 round trips of 40 ms.");
    assert_eq!(at(200), "Load 1, 200 ms in: the request goes to the CDN edge.");
    assert_eq!(at(260), "Load 1, 260 ms in: the service works on the request (20 ms).");
    assert_eq!(at(285), "Load 1, 285 ms in: query 2 of 3 to the database in the region (1 ms round trip, 5 ms of work).");
    assert_eq!(at(360), "Load 1, 360 ms in: all 12 sub-resources go at once over the one HTTP/2 connection: one round trip.");
    assert_eq!(at(400), "Load 1 took 380 ms: 200 ms of DNS and handshakes, the page arrived at 350 ms, the sub-resources 30 ms more. The next starts shortly.");
    // Load 2 starts at 680 on the open connection: the request 0–15, to the origin 15–55.
    assert_eq!(at(700), "Load 2, 20 ms in: the edge has no copy (a CDN miss) and forwards the request to the origin's load balancer (80 ms round trip).");
}

// ---- Invariants over random settings, histories and jitter -------------------------------------

/// Random settings: every setting anywhere in its range.
fn any_config() -> impl Strategy<Value = Config> {
    prop::collection::vec(any::<u32>(), Setting::ALL.len()).prop_map(|draws| {
        let mut config = Config::from_params(&Params::defaults(JOURNEY_PARAMS));
        for (setting, draw) in Setting::ALL.into_iter().zip(draws) {
            let (low, high) = setting.range();
            config.set(setting, low + draw % (high - low + 1));
        }
        config
    })
}

fn any_jitter() -> impl Strategy<Value = Jitter> {
    prop::array::uniform6(-1000i16..=1000)
}

/// A history of loads: each with its own settings and jitter.
fn any_history() -> impl Strategy<Value = Vec<(Config, Jitter)>> {
    prop::collection::vec((any_config(), any_jitter()), 1..6)
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        Just(Action::NewVisitor),
        (0..Setting::ALL.len(), any::<u32>()).prop_map(|(index, draw)| {
            let setting = Setting::ALL[index];
            let (low, high) = setting.range();
            Action::Set(setting, low + draw % (high - low + 1))
        }),
    ]
}

/// The waterfall's shape: the page's phases back to back from 0 to the total, none empty; the
/// sub-resources' connections inside the last phase, each one's phases in order without
/// overlapping, the last arrival ending the phase, every sub-resource fetched exactly once.
fn check_waterfall(config: &Config, plan: &Plan) -> Result<(), TestCaseError> {
    let mut now = 0;
    for phase in &plan.phases {
        prop_assert_eq!(phase.start, now, "{:?}", plan.phases);
        prop_assert!(phase.end > phase.start && phase.wire <= phase.duration(), "{:?}", phase);
        now = phase.end;
    }
    prop_assert_eq!(now, plan.total);
    prop_assert_eq!(plan.phases.iter().map(Phase::duration).sum::<u32>(), plan.total);
    prop_assert_eq!(Row::ALL.iter().map(|row| plan.row_ms(*row)).sum::<u32>(), plan.total);
    let assets = plan.phases.iter().filter(|phase| phase.step == Step::Assets).count();
    prop_assert_eq!(assets, usize::from(config.assets > 0));
    let fetches: Vec<u8> = plan.lanes.iter().flat_map(|lane| lane.phases.iter().filter_map(|phase| if let Step::Fetch { asset } = phase.step { Some(asset) } else { None })).collect();
    prop_assert_eq!(fetches.len(), config.assets as usize);
    prop_assert!((0..config.assets as u8).all(|asset| fetches.contains(&asset)));
    if let Some(last) = plan.phases.last().filter(|phase| phase.step == Step::Assets) {
        prop_assert_eq!(last.start, plan.page_ms);
        prop_assert_eq!(plan.lanes.iter().map(Lane::finish).max(), Some(last.end));
        let most = if config.proto.multiplexed() { 1 } else { MAX_H1_CONNECTIONS };
        prop_assert!(plan.lanes.len() <= most, "{} lanes", plan.lanes.len());
        for lane in &plan.lanes {
            let fetches = lane.phases.iter().filter(|phase| matches!(phase.step, Step::Fetch { .. })).count();
            prop_assert!(fetches > 0, "a connection counts only with a fetch: {:?}", lane);
            for phase in &lane.phases {
                prop_assert!(phase.start >= last.start && phase.end <= last.end && phase.end > phase.start, "{:?} outside {:?}", phase, last);
            }
            // HTTP/1.1: one thing at a time on a connection. HTTP/2 and HTTP/3: every fetch at once.
            if !config.proto.multiplexed() {
                prop_assert!(lane.phases.windows(2).all(|pair| pair[0].end <= pair[1].start), "{:?}", lane);
            } else {
                prop_assert!(lane.phases.iter().all(|phase| phase.start == last.start && phase.end == last.end), "{:?}", lane);
            }
        }
    } else {
        prop_assert_eq!(plan.page_ms, plan.total);
        prop_assert!(plan.lanes.is_empty());
    }
    Ok(())
}

/// Plays the same history twice, with `setting` at `better` throughout and at `worse`, and
/// checks every load of the first is no slower.
fn never_slower(history: &[(Config, Jitter)], setting: Setting, better: u32, worse: u32) -> Result<(), TestCaseError> {
    let (mut with, mut without) = (Browser::default(), Browser::default());
    for (index, (config, jitter)) in history.iter().enumerate() {
        let (good, bad) = (plan(&config.with(setting, better), &with, jitter), plan(&config.with(setting, worse), &without, jitter));
        prop_assert!(good.total <= bad.total, "load {}: {:?} at {} took {} ms, at {} {} ms\n{:?}\n{:?}", index + 1, setting, better, good.total, worse, bad.total, good.phases, bad.phases);
        with = good.after;
        without = bad.after;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Over any history of settings and jitter, every load's waterfall has the shape
    /// `check_waterfall` describes.
    #[test]
    fn phases_never_overlap_and_add_up_to_the_total(history in any_history()) {
        let mut browser = Browser::default();
        for (config, jitter) in &history {
            let plan = plan(config, &browser, jitter);
            check_waterfall(config, &plan)?;
            browser = plan.after;
        }
    }

    /// Each choice that removes work never makes a load slower, load after load, whatever the
    /// other settings (the same in both histories) and the jitter: keep-alive, a CDN hit, a
    /// cache hit, the database in the region, 0-RTT, TLS 1.3 over 1.2, HTTP/3 over either
    /// TCP version, HTTP/2 over HTTP/1.1 (no bandwidth is modelled), and a nearer DNS answer.
    #[test]
    fn choices_that_remove_work_never_add_time(history in any_history()) {
        never_slower(&history, Setting::KeepAlive, 1, 0)?;
        never_slower(&history, Setting::CdnHit, 1, 0)?;
        never_slower(&history, Setting::CacheHit, 1, 0)?;
        never_slower(&history, Setting::CrossRegion, 0, 1)?;
        never_slower(&history, Setting::ZeroRtt, 1, 0)?;
        never_slower(&history, Setting::Tls, 0, 1)?;
        never_slower(&history, Setting::Proto, 2, 1)?;
        never_slower(&history, Setting::Proto, 2, 0)?;
        never_slower(&history, Setting::Proto, 1, 0)?;
        never_slower(&history, Setting::Dns, 0, 1)?;
        never_slower(&history, Setting::Dns, 1, 2)?;
    }

    /// A reused connection, or one resumed with 0-RTT, saves exactly the round trips the table
    /// says, at the jittered round trip of that load.
    #[test]
    fn a_new_connection_costs_its_handshakes_round_trips(config in any_config(), jitter in any_jitter(), tickets in any::<[bool; 3]>()) {
        let browser = Browser { pool: None, tickets };
        let plan = plan(&config, &browser, &jitter);
        let transport = Transport::of(&config);
        let (connect, secure) = handshake_round_trips(transport, browser.has_ticket(transport), config.zero_rtt);
        let edge = round_trip_ms(&config, &jitter, Link::Edge);
        prop_assert_eq!(plan.row_ms(Row::Connect) + plan.row_ms(Row::Tls), (connect + secure) * edge);
        prop_assert_eq!(plan.handshake_round_trips(), connect + secure);
    }

    /// Any parameters (in range, out of it, or garbage), any actions: no panic, every load
    /// planned by the model has the waterfall's shape, the history records each load's total,
    /// and the state stays small.
    #[test]
    fn nothing_panics_and_every_load_is_well_formed(
        values in prop::collection::vec(prop_oneof![Just("0".to_string()), Just("-5".to_string()), Just("999999".to_string()), Just("NaN".to_string()), Just("h3".to_string()), Just("walk".to_string()), (0u32..600).prop_map(|n| n.to_string())], 19),
        actions in prop::collection::vec((0u32..6_000, any_action()), 0..16),
        seed in any::<u64>(),
    ) {
        let pairs: Vec<(String, String)> = JOURNEY_PARAMS.iter().zip(&values).map(|(spec, value)| (spec.key.to_string(), value.clone())).collect();
        let (params, _) = Params::from_pairs(JOURNEY_PARAMS, &pairs);
        let mut model = Journey::new(&params, seed);
        let mut loads = 0;
        for tick in 0..6_000u32 {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                model.apply(action);
            }
            if model.load().number != loads {
                loads = model.load().number;
                check_waterfall(&model.load().config, &model.load().plan)?;
            }
            model.step();
            let _ = model.narrate();
        }
        for summary in model.history().iter() {
            prop_assert!(summary.total_ms >= summary.page_ms && summary.page_ms >= summary.setup_ms);
        }
        prop_assert_eq!(model.history().len() as u32 + u32::from(!model.finished_load()), model.load().number);
    }

    #[test]
    fn actions_round_trip_through_their_text(action in any_action()) {
        let text = action.encode();
        prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "URL-safe: {}", text);
        prop_assert_eq!(Action::decode(&text), Some(action));
    }

    /// Anything decodes without a panic, and what decodes is written back the same way.
    #[test]
    fn decoding_anything_is_safe_and_canonical(text in "\\PC{0,8}|[ptkzdchxarovwigsquj][0-9]{0,10}|n") {
        if let Some(action) = Action::decode(&text) {
            prop_assert_eq!(action.encode(), text);
        }
    }
}

// ---- Settings and the harness -------------------------------------------------------------------

#[test]
fn settings_and_parameters_line_up_and_every_live_parameter_becomes_an_action() {
    assert_eq!(Setting::ALL.len(), JOURNEY_PARAMS.len());
    let config = Config::from_params(&Params::defaults(JOURNEY_PARAMS));
    for (setting, spec) in Setting::ALL.into_iter().zip(JOURNEY_PARAMS) {
        assert_eq!(setting.key(), spec.key);
        assert_eq!(Action::from_param(spec.key, spec.default), Some(Action::Set(setting, config.get(setting))), "{}", spec.key);
        // What a live control shows is the parameter's own value, so showing it and sending it
        // back changes nothing.
        assert_eq!(config.value(spec.key), Some(spec.default), "{}", spec.key);
    }
    assert_eq!(Action::from_param("proto", Value::Choice("h3")), Some(Action::Set(Setting::Proto, 2)));
    assert_eq!(Action::from_param("proto", Value::Choice("h4")), None);
    assert_eq!(Action::from_param("proto", Value::Int(2)), None);
    assert_eq!(Action::from_param("keepalive", Value::Bool(false)), Some(Action::Set(Setting::KeepAlive, 0)));
    assert_eq!(Action::from_param("keepalive", Value::Int(0)), None);
    assert_eq!(Action::from_param("rtt", Value::Int(0)), Some(Action::Set(Setting::Rtt, 1)), "clamped into range");
    assert_eq!(Action::from_param("xrtt", Value::Int(-4)), Some(Action::Set(Setting::CrossRtt, 10)));
    assert_eq!(Action::from_param("rtt", Value::Bool(true)), None);
    assert_eq!(Action::from_param("nope", Value::Int(1)), None);
    let changed = config.with(Setting::Dns, 2).with(Setting::Tls, 1).with(Setting::CdnHit, 1);
    assert_eq!((changed.value("dns"), changed.value("tls"), changed.value("cdnhit"), changed.value("nope")), (Some(Value::Choice("walk")), Some(Value::Choice("12")), Some(Value::Bool(true)), None));
    assert_eq!([Action::Set(Setting::Proto, 2), Action::Set(Setting::KeepAlive, 0), Action::Set(Setting::Dns, 2), Action::NewVisitor].map(|action| action.label()), ["HTTP/3", "Keep-alive off", "DNS walk from the root", "New visitor"]);
}

#[test]
fn decoding_refuses_what_encode_never_writes() {
    for text in ["", "p", "p3", "p01", "t2", "k2", "a31", "r0", "r501", "i11", "g9", "q0", "q21", "j51", "n0", "N", "x 1", "r1.5", "y1", "s-1"] {
        assert_eq!(Action::decode(text), None, "{text}");
    }
    assert_eq!(Action::decode("p2"), Some(Action::Set(Setting::Proto, 2)));
    assert_eq!(Action::decode("g500"), Some(Action::Set(Setting::CrossRtt, 500)));
    assert_eq!(Action::decode("n"), Some(Action::NewVisitor));
}

#[test]
fn the_same_seed_replays_the_same_run_and_a_shared_link_rebuilds_it() {
    let actions = vec![(300, Action::Set(Setting::KeepAlive, 0)), (900, Action::Set(Setting::Proto, 0)), (1_500, Action::NewVisitor), (2_000, Action::Set(Setting::CacheHit, 0)), (2_600, Action::Set(Setting::Proto, 2)), (2_600, Action::Set(Setting::ZeroRtt, 1))];
    let list = [("jitter", "40")];
    let mut timeline = Timeline::<Journey>::new(params(&list), 42, JOURNEY_LIMIT);
    for (at, action) in &actions {
        timeline.seek(*at);
        timeline.act(*action);
    }
    timeline.seek(5_000);
    let encoded = timeline.encode_actions();
    let (decoded, skipped) = Timeline::<Journey>::decode_actions(&encoded);
    assert_eq!((decoded.clone(), skipped), (actions, 0));
    let shared = Timeline::<Journey>::replay(params(&list), 42, JOURNEY_LIMIT, decoded.clone(), 5_000);
    assert_eq!(shared.state(), timeline.state());
    // Scrubbing back and forth lands on the same state.
    let now = timeline.state().clone();
    timeline.seek(100);
    timeline.seek(5_000);
    assert_eq!(timeline.state(), &now);
    // With jitter the seed matters; without it, the seed changes nothing.
    let other = Timeline::<Journey>::replay(params(&list), 43, JOURNEY_LIMIT, decoded.clone(), 5_000);
    assert_ne!(other.state().history(), timeline.state().history());
    let steady = |seed| Timeline::<Journey>::replay(params(&[]), seed, JOURNEY_LIMIT, decoded.clone(), 5_000).state().history().iter().map(|summary| summary.total_ms).collect::<Vec<_>>();
    assert_eq!(steady(42), steady(43));
}

#[test]
fn a_whole_run_stays_small() {
    // The quickest loads (everything reused and at the edge) make the most history.
    let mut model = Journey::new(&params(&[("cdnhit", "1"), ("rtt", "1"), ("assets", "0")]), 2);
    run(&mut model, JOURNEY_LIMIT as u32);
    assert!(model.history().len() <= MAX_HISTORY && model.history().dropped() == 0, "{}", model.history().len());
    // Every load takes at least a millisecond plus the pause: at most 60 000 / 301 of them.
    assert!(model.load().number <= 200, "{}", model.load().number);
    let mut heavy = Journey::new(&params(&[("proto", "h1"), ("assets", "30"), ("cachehit", "0"), ("queries", "20")]), 2);
    run(&mut heavy, 2_000);
    let plan = &heavy.load().plan;
    let keyframe = std::mem::size_of::<Journey>() + (plan.phases.len() + plan.lanes.iter().map(|lane| lane.phases.len()).sum::<usize>()) * std::mem::size_of::<Phase>();
    assert!(keyframe < 4_000, "{keyframe} bytes");
}
