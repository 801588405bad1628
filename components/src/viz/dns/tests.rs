//! Walks worked out by hand (latencies from the illustrative delays, what each cache holds and
//! until when, coalescing, negative caching, migrations, failover, geo-routing, clients that
//! ignore TTLs), the caching invariants as proptests over random runs (checked on every copy
//! stored and served, by an observer keeping its own record), and the harness contracts:
//! determinism, replay, URL round trips, live settings and no panics.

use std::collections::HashMap;

use proptest::prelude::*;

use super::*;
use crate::sim::query::DEFAULT_SEED;
use crate::sim::{Params, Simulation, Timeline, Value};
use crate::viz::poster::pairs;

const EU: Region = Region::Europe;
const US: Region = Region::Us;
/// Ticks in a simulated second.
const SECOND: u32 = TICKS_PER_SIM_SECOND;

fn params(list: &[(&str, &str)]) -> Params {
    let (params, notes) = Params::from_pairs(DNS_PARAMS, &pairs(list));
    assert!(notes.is_empty(), "{notes:?}");
    params
}

fn run(model: &mut Dns, ticks: u32) {
    for _ in 0..ticks {
        model.step();
    }
}

/// A model whose clients are silent: only the test's own lookups are made. Every note is kept.
struct Probe {
    model: Dns,
    log: Vec<Note>,
}

impl Probe {
    fn new(list: &[(&str, &str)]) -> Self {
        let mut model = Dns::new(&params(list), DEFAULT_SEED);
        model.clients.iter_mut().flatten().for_each(|client| client.next_lookup = u32::MAX);
        Self { model, log: Vec::new() }
    }

    fn now(&self) -> u32 {
        self.model.tick
    }

    fn look_up(&mut self, region: Region, client: usize, name: Name) {
        self.model.look_up(region, client, name);
        self.log.append(&mut self.model.journal);
    }

    fn act(&mut self, action: Action) {
        self.model.apply(&action);
        self.log.append(&mut self.model.journal);
    }

    fn run(&mut self, ticks: u32) {
        for _ in 0..ticks {
            self.model.step();
            self.log.append(&mut self.model.journal);
        }
    }

    /// Runs until nothing is in flight (at most a second).
    fn settle(&mut self) {
        for _ in 0..SECOND {
            if self.model.lookups.is_empty() && self.model.resolutions.is_empty() {
                return;
            }
            self.run(1);
        }
        panic!("still in flight: {:?} {:?}", self.model.lookups, self.model.resolutions);
    }

    /// The levels asked since the log was last taken, with their ticks.
    fn asked(&self) -> Vec<(u32, Region, Level)> {
        self.log.iter().filter_map(|note| if let Note::Asked { tick, region, level, .. } = note { Some((*tick, *region, *level)) } else { None }).collect()
    }

    /// The answers the clients got since the log was last taken.
    fn answers(&self) -> Vec<(u32, Region, u8, Answer, Source)> {
        self.log.iter().filter_map(|note| if let Note::Answered { tick, region, client, answer, source, .. } = note { Some((*tick, *region, *client, *answer, *source)) } else { None }).collect()
    }

    /// Makes one lookup and waits for its answer: its latency in ms and where it came from.
    fn timed(&mut self, region: Region, client: usize, name: Name) -> (u32, Answer, Source) {
        self.log.clear();
        let asked = self.now();
        self.look_up(region, client, name);
        self.settle();
        let answers = self.answers();
        assert_eq!(answers.len(), 1, "{answers:?}");
        let (tick, _, _, answer, source) = answers[0];
        ((tick - asked) * TICK_MS, answer, source)
    }
}

fn primary(site: Region, generation: u8) -> Answer {
    Answer::Address(Address::Primary { site, generation })
}

// ---- Walks by hand ----------------------------------------------------------------------------

#[test]
fn a_cold_walk_goes_root_then_com_then_example_com_and_takes_what_the_delays_add_up_to() {
    let mut probe = Probe::new(&[]);
    probe.run(10);
    let t0 = probe.now();
    // Europe: 10 ms to the resolver, 15 + 15 to a root server, 20 + 20 to .com, 40 + 40 to
    // example.com, 10 back: 170 ms, 34 ticks.
    assert_eq!(probe.timed(EU, 0, Name::Www), (170, primary(EU, 0), Source::Walk));
    assert_eq!(probe.asked(), vec![(t0 + 2, EU, Level::Root), (t0 + 8, EU, Level::Tld), (t0 + 16, EU, Level::Auth)]);
    // Each copy lives for its TTL from when it reached the resolver: .com's NS 120 s from t0 + 8,
    // example.com's NS 60 s from t0 + 16, the address 20 s from t0 + 32.
    let cache = |record| probe.model.resolver_cache(EU, record).map(|entry| (entry.expires, entry.full));
    assert_eq!(cache(Record::ComNs), Some((t0 + 8 + 120 * SECOND, 120 * SECOND)));
    assert_eq!(cache(Record::ExampleNs), Some((t0 + 16 + 60 * SECOND, 60 * SECOND)));
    assert_eq!(cache(Record::Www), Some((t0 + 32 + 20 * SECOND, 20 * SECOND)));
    assert_eq!(cache(Record::Typo), None);
    // The client's copy arrived 10 ms later with the whole TTL: it expires 2 ticks after the
    // resolver's.
    assert_eq!(probe.model.clients(EU)[0].copy(Name::Www).map(|entry| entry.expires), Some(t0 + 34 + 20 * SECOND));
    assert_eq!(probe.model.clients(EU)[0].address, Some(Address::Primary { site: EU, generation: 0 }));
    // The US: example.com is 15 ms away: 10 + 30 + 40 + 30 + 10 = 120 ms; geo-routed to its own.
    assert_eq!(probe.timed(US, 3, Name::Www), (120, primary(US, 0), Source::Walk));
    // Again: the client's own cache (0 ms), another client through the resolver's (20 ms).
    assert_eq!(probe.timed(EU, 0, Name::Www), (0, primary(EU, 0), Source::Stub));
    assert_eq!(probe.timed(EU, 1, Name::Www), (20, primary(EU, 0), Source::Resolver));
    assert!(probe.asked().is_empty());
    let totals = probe.model.totals(EU);
    assert_eq!((totals.root, totals.tld, totals.auth), (1, 1, 1));
    assert_eq!((totals.lookups, totals.stub_hits, totals.resolver_hits, totals.walked, totals.resolver_queries, totals.resolver_misses), (3, 1, 1, 1, 2, 1));
}

#[test]
fn the_resolver_hands_out_the_ttl_that_is_left_so_every_copy_expires_together() {
    let mut probe = Probe::new(&[]);
    probe.timed(EU, 0, Name::Www);
    let expires = probe.model.resolver_cache(EU, Record::Www).unwrap().expires;
    probe.run(7 * SECOND);
    probe.timed(EU, 1, Name::Www);
    // Client 1 asked 7 s later and got 13 s: its copy expires when the resolver's does, plus the
    // 2 ticks the answer took to reach it.
    let copy = probe.model.clients(EU)[1].copy(Name::Www).unwrap();
    assert_eq!(copy.expires, expires + 2);
    assert_eq!(copy.full, 20 * SECOND, "the clock's full turn is the TTL example.com gave");
    // Up to the last tick the copy is fresh, the client answers itself; from then on it asks.
    let until = copy.expires - probe.now();
    probe.run(until - 1);
    assert_eq!(probe.timed(EU, 1, Name::Www).2, Source::Stub);
    probe.run(1);
    assert_eq!(probe.timed(EU, 1, Name::Www).2, Source::Walk, "expired everywhere: example.com is asked again");
}

#[test]
fn later_walks_start_at_the_deepest_delegation_still_fresh() {
    let mut probe = Probe::new(&[]);
    probe.timed(EU, 0, Name::Www);
    // 21 s on: the address expired, both delegations are fresh: only example.com is asked,
    // 10 + 40 + 40 + 10 = 100 ms.
    probe.run(21 * SECOND);
    assert_eq!(probe.timed(EU, 1, Name::Www).0, 100);
    assert_eq!(probe.asked().iter().map(|(_, _, level)| *level).collect::<Vec<_>>(), [Level::Auth]);
    // 62 s in: example.com's delegation (60 s) expired, .com's (120 s) not: .com, then
    // example.com, 10 + 40 + 80 + 10 = 140 ms.
    probe.run(41 * SECOND);
    assert_eq!(probe.timed(EU, 2, Name::Www).0, 140);
    assert_eq!(probe.asked().iter().map(|(_, _, level)| *level).collect::<Vec<_>>(), [Level::Tld, Level::Auth]);
    // Past 120 s everything expired: from the root again.
    probe.run(60 * SECOND);
    assert_eq!(probe.timed(EU, 3, Name::Www).0, 170);
    // A flush empties the cache at once: from the root, though the copies had time left.
    probe.timed(EU, 4, Name::Www);
    probe.act(Action::Flush(EU));
    assert!(Record::ALL.iter().all(|record| probe.model.resolver_cache(EU, *record).is_none()));
    assert_eq!(probe.timed(EU, 5, Name::Www).0, 170);
    assert_eq!(probe.asked().len(), 3);
    assert_eq!(probe.model.totals(US).root, 0, "the US resolver was never asked");
}

#[test]
fn lookups_that_find_a_walk_in_flight_wait_for_it() {
    let mut probe = Probe::new(&[]);
    for client in 0..4 {
        probe.look_up(EU, client, Name::Www);
    }
    probe.run(5);
    probe.look_up(EU, 4, Name::Www);
    probe.settle();
    assert_eq!(probe.asked().len(), 3, "one walk: root, .com, example.com");
    let answers = probe.answers();
    assert_eq!(answers.len(), 5);
    assert!(answers.iter().all(|(tick, ..)| *tick == answers[0].0), "every waiting lookup is answered when the walk ends: {answers:?}");
    let totals = probe.model.totals(EU);
    assert_eq!((totals.resolver_queries, totals.resolver_misses, totals.coalesced, totals.walked), (5, 5, 4, 5));
    assert_eq!(totals.resolver_hit_ratio(), Some(0.0));
}

#[test]
fn a_name_that_does_not_exist_is_cached_as_nxdomain_for_the_negative_ttl() {
    let mut probe = Probe::new(&[("negttl", "5")]);
    probe.timed(EU, 0, Name::Www);
    // The delegations are cached: only example.com is asked, and says NXDOMAIN.
    assert_eq!(probe.timed(EU, 1, Name::Typo), (100, Answer::NxDomain, Source::Walk));
    assert_eq!(probe.asked().iter().map(|(_, _, level)| *level).collect::<Vec<_>>(), [Level::Auth]);
    let cached = probe.model.resolver_cache(EU, Record::Typo).unwrap();
    assert_eq!((cached.answer, cached.full), (Answer::NxDomain, 5 * SECOND));
    assert_eq!(probe.timed(EU, 2, Name::Typo), (20, Answer::NxDomain, Source::Resolver));
    assert_eq!(probe.timed(EU, 1, Name::Typo), (0, Answer::NxDomain, Source::Stub));
    probe.run(cached.expires - probe.now());
    assert_eq!(probe.timed(EU, 3, Name::Typo).2, Source::Walk, "the negative copy expired: asked again");
    assert_eq!(probe.model.totals(EU).nxdomain, 4);

    // With a negative TTL of 0 nothing keeps the "no": every lookup goes to example.com.
    let mut probe = Probe::new(&[("negttl", "0")]);
    for client in 0..3 {
        probe.timed(US, client, Name::Typo);
        probe.timed(US, client, Name::Typo);
    }
    assert_eq!(probe.model.totals(US).auth, 6);
    assert_eq!(probe.model.resolver_cache(US, Record::Typo), None);
}

#[test]
fn the_misspelling_reaches_every_client_within_two_seconds_and_each_resolver_asks_once() {
    let mut model = Dns::new(&params(&[("rate", "0.1")]), 4);
    run(&mut model, 5 * SECOND);
    model.apply(&Action::Misspell);
    let at = model.tick;
    let mut nx = [0u64; REGIONS];
    let mut asked = [0u64; REGIONS];
    for _ in 0..3 * SECOND {
        model.step();
        for note in &model.journal {
            match *note {
                Note::Answered { answer: Answer::NxDomain, region, tick, .. } => {
                    // Spread over 2 s, then up to a walk's 34 ticks waiting on the client's own
                    // lookup, and 34 more for its answer.
                    assert!(tick <= at + 2 * SECOND + 68, "{tick}");
                    nx[region.index()] += 1;
                }
                Note::Asked { name: Name::Typo, region, level: Level::Auth, .. } => asked[region.index()] += 1,
                _ => {}
            }
        }
    }
    assert_eq!(nx, [10, 10], "every client got its NXDOMAIN");
    assert_eq!(asked, [1, 1], "the negative TTL (10 s) outlasts the 2 s the lookups are spread over");
}

#[test]
fn after_a_migration_caches_answer_the_old_address_until_they_expire() {
    let mut model = Dns::new(&params(&[]), 7);
    run(&mut model, 30 * SECOND);
    assert_eq!(model.old_clients(EU) + model.old_clients(US), 0);
    model.apply(&Action::Migrate);
    let change = model.tick;
    assert_eq!(model.answer_for(EU), Address::Primary { site: EU, generation: 1 });
    assert_eq!(model.answer_for(EU).ip(), "192.0.2.2");
    assert_eq!(model.answer_for(US).ip(), "192.0.2.102");
    assert_eq!(model.old_clients(EU), 10, "every client still holds 192.0.2.1");
    assert!(model.narrate().starts_with("www.example.com moved: example.com now answers 192.0.2.2 in Europe and 192.0.2.102 in the US, but caches keep the old addresses for up to "), "{}", model.narrate());
    // The bound: the last copy of the old address was made by example.com at `change`, reached
    // the resolver 8 ticks later and lives a TTL; a client got it 2 ticks after that.
    let bound = change + 20 * SECOND + 8 + 2;
    let (mut last_old, mut converged) = (None, None);
    while model.tick < change + 40 * SECOND {
        model.step();
        for note in &model.journal {
            if let Note::Answered { tick, region, answer: Answer::Address(address), .. } = *note {
                if model.is_old(region, address) {
                    last_old = Some(tick);
                }
            }
        }
        if converged.is_none() && model.old_clients(EU) + model.old_clients(US) == 0 {
            converged = Some(model.tick);
            assert_eq!(model.narrate(), "Every client now uses the address example.com gives its region.");
        }
    }
    let last_old = last_old.expect("caches answered with the old address after the change");
    assert!(last_old > change + SECOND && last_old < bound, "last old answer at {} s after the change", f64::from(last_old - change) / f64::from(SECOND));
    assert!(converged.is_some_and(|at| at < bound + 5 * SECOND), "{converged:?}");
    assert!(model.totals(EU).old > 0);
}

#[test]
fn lowering_the_ttl_first_makes_the_migration_quick() {
    // The TTL is 120 s; lowered to 5 s, the 120 s copies still have to run out first.
    let migrate_after = |wait_s: u32| {
        let mut model = Dns::new(&params(&[("ttl", "120"), ("rate", "2")]), 3);
        run(&mut model, 10 * SECOND);
        model.apply(&Action::Set(Setting::Ttl, 5));
        assert!(model.narrate().contains("copies already cached keep the TTL they came with"), "{}", model.narrate());
        run(&mut model, wait_s * SECOND);
        model.apply(&Action::Migrate);
        let change = model.tick;
        let mut last_old = change;
        while model.tick < change + 130 * SECOND {
            model.step();
            for note in &model.journal {
                if let Note::Answered { tick, region, answer: Answer::Address(address), .. } = *note {
                    if model.is_old(region, address) {
                        last_old = tick;
                    }
                }
            }
        }
        f64::from(last_old - change) / f64::from(SECOND)
    };
    let at_once = migrate_after(0);
    let after_waiting = migrate_after(121);
    assert!(at_once > 100.0, "migrating at once: old answers for {at_once} s");
    assert!(after_waiting < 5.1, "migrating a whole old TTL later: old answers for {after_waiting} s");
}

#[test]
fn a_failed_server_is_noticed_after_threshold_checks_and_example_com_fails_over() {
    let mut model = Dns::new(&params(&[]), 11);
    run(&mut model, 25 * SECOND);
    model.apply(&Action::Fail(EU));
    assert!(model.narrate().starts_with("The EU server is down. Health checks every 10 s mark it down after 3 failures"), "{}", model.narrate());
    assert_eq!(model.on_down_server(EU), 10, "every client is sent to the dead server");
    assert_eq!(model.old_clients(EU), 0, "example.com still gives its address");
    // Checks at 30, 40 and 50 s: the third failure in a row, at 50 s, fails over.
    let to = 50 * SECOND - model.tick - 1;
    run(&mut model, to);
    assert!(model.seen_healthy(EU));
    assert_eq!(model.failed_checks(EU), 2);
    model.step();
    assert!(!model.seen_healthy(EU));
    assert_eq!(model.answer_for(EU), Address::Backup);
    assert_eq!(model.answer_for(US), Address::Primary { site: US, generation: 0 }, "the US is not affected");
    assert!(model.narrate().starts_with("Health checks marked the EU server down: example.com now answers with the backup, 192.0.2.254"), "{}", model.narrate());
    assert_eq!(model.old_clients(EU), 10);
    // Within a TTL (and the walk) every client's copy expired; with a lookup a second each,
    // within a few seconds more every client has the backup.
    run(&mut model, 30 * SECOND);
    assert_eq!(model.clients(EU).iter().filter(|client| client.address == Some(Address::Backup)).count(), 10);
    assert_eq!(model.on_down_server(EU), 0);
    // Back up: three passing checks (at 90, 100, 110 s) and example.com answers with it again.
    model.apply(&Action::Recover(EU));
    let to = 110 * SECOND - model.tick - 1;
    run(&mut model, to);
    assert_eq!(model.answer_for(EU), Address::Backup);
    model.step();
    assert_eq!(model.answer_for(EU), Address::Primary { site: EU, generation: 0 });
    // Acting twice is said to do nothing.
    model.apply(&Action::Recover(EU));
    assert_eq!(model.narrate(), "Nothing happened: the EU server is already up.");
}

#[test]
fn without_geo_routing_everyone_is_sent_to_the_us_servers_as_copies_expire() {
    let mut model = Dns::new(&params(&[]), 5);
    run(&mut model, 10 * SECOND);
    assert!(model.clients(EU).iter().all(|client| client.address == Some(Address::Primary { site: EU, generation: 0 })));
    model.apply(&Action::from_param("geo", Value::Bool(false)).unwrap());
    assert_eq!(model.answer_for(EU), Address::Primary { site: US, generation: 0 });
    assert_eq!(model.old_clients(EU), 10);
    assert_eq!(model.old_clients(US), 0);
    run(&mut model, 40 * SECOND);
    assert!(model.clients(EU).iter().all(|client| client.address == Some(Address::Primary { site: US, generation: 0 })));
    // The US server failing now fails over Europe's clients too.
    model.apply(&Action::Fail(US));
    assert_eq!(model.on_down_server(EU), 10);
}

#[test]
fn clients_that_ignore_the_ttl_keep_their_first_address() {
    // 30% of ten clients: those the golden ratio picks, the same in both regions.
    let sticky: Vec<usize> = (0..10).filter(|index| is_sticky(*index, 30)).collect();
    assert_eq!(sticky, [1, 4, 9]);
    assert!((0..10).filter(|index| is_sticky(*index, 50)).count() == 5 && (0..10).all(|index| !is_sticky(index, 0) && is_sticky(index, 100)));
    let mut model = Dns::new(&params(&[("sticky", "30")]), 9);
    run(&mut model, 10 * SECOND);
    model.apply(&Action::Migrate);
    run(&mut model, 60 * SECOND);
    for region in Region::ALL {
        assert_eq!(model.old_clients(region), 3, "{region:?}");
        for (index, client) in model.clients(region).iter().enumerate() {
            assert_eq!(client.address.is_some_and(|address| model.is_old(region, address)), sticky.contains(&index), "{region:?} client {index}");
        }
    }
    assert!(model.totals(EU).held > 0);
    // With the stub caches off they still keep theirs; the others ask every time.
    model.apply(&Action::Set(Setting::Stub, 0));
    let before = model.totals(EU);
    let before_model = model.clone();
    run(&mut model, 10 * SECOND);
    let after = model.totals(EU);
    assert_eq!(model.old_clients(EU), 3);
    assert_eq!(after.stub_hits, before.stub_hits, "no stub cache answers while they are off");
    let up = |model: &Dns| model.lookups().iter().filter(|lookup| lookup.region == EU && lookup.leg == LookupLeg::Up).count() as u64;
    assert_eq!(after.lookups - before.lookups + up(&before_model), after.resolver_queries - before.resolver_queries + after.held - before.held + up(&model), "every lookup but the held ones reaches the resolver");
}

#[test]
fn every_lookup_is_answered_once_and_the_counts_agree() {
    let mut model = Dns::new(&params(&[("rate", "5"), ("ttl", "3"), ("negttl", "1")]), 13);
    for second in 0..40 {
        if second % 7 == 3 {
            model.apply(&Action::Misspell);
        }
        if second == 20 {
            model.apply(&Action::Migrate);
        }
        run(&mut model, SECOND);
    }
    for region in Region::ALL {
        let totals = model.totals(region);
        let in_flight = |leg: fn(&LookupLeg) -> bool| model.lookups().iter().filter(|lookup| lookup.region == region && leg(&lookup.leg)).count() as u64;
        let (up, waiting) = (in_flight(|leg| *leg == LookupLeg::Up), in_flight(|leg| *leg == LookupLeg::Waiting));
        let (from_cache, from_walk) = (in_flight(|leg| matches!(leg, LookupLeg::Down { from_cache: true, .. })), in_flight(|leg| matches!(leg, LookupLeg::Down { from_cache: false, .. })));
        assert_eq!(totals.lookups, totals.answered() + up + waiting + from_cache + from_walk, "{region:?}");
        assert_eq!(totals.resolver_queries, totals.resolver_hits + from_cache + totals.resolver_misses, "{region:?}");
        assert_eq!(totals.resolver_misses, totals.walked + waiting + from_walk, "{region:?}");
        let asking = |level: Level| model.resolutions().iter().filter(|walk| walk.region == region && walk.level == level).count() as u64;
        assert!(totals.root <= totals.tld + asking(Level::Root) && totals.tld <= totals.auth + asking(Level::Tld), "{region:?}: {totals:?}");
        assert!(totals.nxdomain > 0 && totals.old > 0 && totals.coalesced > 0, "{totals:?}");
    }
}

// ---- Invariants over random runs -------------------------------------------------------------

fn any_region() -> impl Strategy<Value = Region> {
    prop_oneof![Just(EU), Just(US)]
}

fn any_setting() -> impl Strategy<Value = Setting> {
    (0..Setting::ALL.len()).prop_map(|index| Setting::ALL[index])
}

fn any_action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (any_setting(), 0u32..200_000).prop_map(|(setting, value)| {
            let (low, high) = setting.range();
            Action::Set(setting, value.clamp(low, high))
        }),
        Just(Action::Migrate),
        any_region().prop_map(Action::Fail),
        any_region().prop_map(Action::Recover),
        Just(Action::Misspell),
        any_region().prop_map(Action::Flush),
    ]
}

/// Short TTLs, so that a run of a minute sees many expiries.
fn any_run() -> impl Strategy<Value = (Vec<(&'static str, String)>, u64)> {
    (1u32..=10, 1u32..=60, 0u32..=5, 1u32..=30, 1u32..=20, 1u32..=10, any::<bool>(), any::<bool>(), 0u32..=60, 1u32..=5, any::<u64>()).prop_map(|(clients, rate, ttl, neg, root, tld, stub, geo, sticky, threshold, seed)| {
        let list = vec![
            ("clients", clients.to_string()),
            ("rate", format!("{:.1}", f64::from(rate) / 10.0)),
            ("ttl", (ttl + 1).to_string()),
            ("negttl", neg.to_string()),
            ("rootttl", root.to_string()),
            ("tldttl", tld.to_string()),
            ("stub", u8::from(stub).to_string()),
            ("geo", u8::from(geo).to_string()),
            ("sticky", sticky.to_string()),
            ("interval", "2".to_string()),
            ("threshold", threshold.to_string()),
        ];
        (list, seed)
    })
}

fn model_of(list: &[(&'static str, String)], seed: u64) -> Dns {
    let list: Vec<(&str, &str)> = list.iter().map(|(key, value)| (*key, value.as_str())).collect();
    Dns::new(&params(&list), seed)
}

/// Which cache a note is about: a resolver's (`None`) or a client's, and the record.
type Slot = (Region, Option<u8>, Record);

/// Keeps its own record of every copy stored and checks every copy served against it.
#[derive(Default)]
struct Observer {
    /// The copy each cache holds by the observer's record: stored when, and the entry.
    copies: HashMap<Slot, (u32, Entry)>,
    /// The longest TTLs in force at any time of the run so far, in ticks.
    longest: HashMap<Record, u32>,
    /// Resolver copies removed by a flush, with the tick of the flush: an answer already on
    /// its way to a client when the cache was flushed still carries the flushed copy.
    flushed: HashMap<Slot, (u32, Entry)>,
}

impl Observer {
    fn see_settings(&mut self, model: &Dns) {
        let config = model.config();
        for (record, seconds) in [(Record::ComNs, config.root_ttl_s), (Record::ExampleNs, config.tld_ttl_s), (Record::Www, config.ttl_s), (Record::Typo, config.neg_ttl_s)] {
            let longest = self.longest.entry(record).or_insert(0);
            *longest = (*longest).max(seconds * SECOND);
        }
    }

    fn check(&mut self, model: &Dns) -> Result<(), String> {
        for note in &model.journal {
            match *note {
                Note::Stored { tick, region, client, record, entry } => {
                    let longest = self.longest.get(&record).copied().unwrap_or(0);
                    if entry.full > longest {
                        return Err(format!("{note:?}: a TTL of {} ticks, longer than any set ({longest})", entry.full));
                    }
                    match client {
                        // A resolver counts the TTL from when the reply arrived.
                        None if entry.expires != tick + entry.full => return Err(format!("{note:?}: not its TTL from arrival")),
                        // A client's copy expires no later than the resolver's it came from,
                        // plus the 2 ticks the answer took.
                        Some(_) => {
                            let slot = (region, None, record);
                            let in_flight = self.flushed.get(&slot).filter(|(flushed_at, _)| tick <= flushed_at + 2);
                            let resolver = self.copies.get(&slot).or(in_flight).map(|(_, copy)| copy.expires);
                            if resolver.is_none_or(|expires| entry.expires > expires + 2) {
                                return Err(format!("{note:?}: outlives the resolver's copy {resolver:?}"));
                            }
                        }
                        None => {}
                    }
                    self.copies.insert((region, client, record), (tick, entry));
                }
                Note::Served { tick, region, client, record, entry } => {
                    let Some((stored, held)) = self.copies.get(&(region, client, record)).copied() else { return Err(format!("{note:?}: served a copy never stored")) };
                    if held != entry {
                        return Err(format!("{note:?}: served {entry:?}, but {held:?} was stored at {stored}"));
                    }
                    if tick >= entry.expires {
                        return Err(format!("{note:?}: served past its TTL"));
                    }
                }
                Note::Answered { source: Source::Held, sticky: false, .. } => return Err(format!("{note:?}: only clients that ignore TTLs hold copies past them")),
                _ => {}
            }
        }
        Ok(())
    }

    /// A flush empties a resolver's cache by the observer's record too, keeping what it held
    /// for the answers still on their way.
    fn flush(&mut self, region: Region, tick: u32) {
        self.flushed.retain(|(at, _, _), _| *at != region);
        self.copies.retain(|slot, (_, entry)| {
            let (at, client, _) = *slot;
            let keep = at != region || client.is_some();
            if !keep {
                self.flushed.insert(*slot, (tick, *entry));
            }
            keep
        });
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// No cache serves a copy past its TTL, or one it never stored; a client's copy never
    /// outlives the resolver's it came from; negative answers live no longer than the negative
    /// TTL; the counts never go down. A walk starts at the deepest delegation its resolver has
    /// fresh (so the root is asked only when `.com`'s delegation has expired, `.com` only when
    /// example.com's has) and then follows referrals down, so per region root ≤ .com + walks at
    /// the root now (query or reply on its way), .com ≤ example.com + walks at .com now, and
    /// example.com ≤ walks started (misses that did not join one in flight). Nothing panics.
    #[test]
    fn caches_keep_to_their_ttls_and_the_hierarchy_is_asked_top_down(
        (list, seed) in any_run(),
        actions in prop::collection::vec((0u32..12_000, any_action()), 0..12),
    ) {
        let mut model = model_of(&list, seed);
        let mut observer = Observer::default();
        observer.see_settings(&model);
        let mut before = Region::ALL.map(|region| model.totals(region));
        for tick in 0..12_000u32 {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                model.apply(action);
                observer.see_settings(&model);
                if let Action::Flush(region) = action {
                    observer.flush(*region, model.tick);
                }
            }
            model.step();
            observer.check(&model).map_err(TestCaseError::fail)?;
            for note in &model.journal {
                // A walk starts at the deepest delegation fresh in its resolver's cache, and
                // each query after follows a referral one level down.
                if let Note::Asked { tick, level, first: true, com, example, .. } = *note {
                    let fresh = |copy: Option<Entry>| copy.is_some_and(|entry| entry.is_fresh(tick));
                    let expected = if fresh(example) { Level::Auth } else if fresh(com) { Level::Tld } else { Level::Root };
                    prop_assert_eq!(level, expected, "{:?}", note);
                }
            }
            for region in Region::ALL {
                let totals = model.totals(region);
                prop_assert!(totals.all().iter().zip(before[region.index()].all()).all(|(now, then)| *now >= then), "a count went down at {}: {:?} then {:?}", tick, before[region.index()], totals);
                let asking = |level: Level| model.resolutions().iter().filter(|walk| walk.region == region && walk.level == level).count() as u64;
                prop_assert!(totals.root <= totals.tld + asking(Level::Root), "{:?}", totals);
                prop_assert!(totals.tld <= totals.auth + asking(Level::Tld), "{:?}", totals);
                prop_assert!(totals.auth <= totals.resolver_misses - totals.coalesced, "{:?}", totals);
                before[region.index()] = totals;
            }
        }
    }

    /// After a change of the address (a migration, or geo-routing switched), every answer a
    /// client gets more than TTL + 50 ms after it carries the address example.com gives now:
    /// the last old copy left example.com at the change, reached a resolver at most 40 ms later
    /// and lived a TTL, and its last user got it 10 ms after that. The TTL is the longest in
    /// force before the change (a copy keeps the TTL it came with). Clients that ignore TTLs are
    /// the exception.
    #[test]
    fn after_a_change_every_answer_converges_within_a_ttl(
        (list, seed) in any_run(),
        change_at in 1u32..4_000,
        geo_switch in any::<bool>(),
        new_ttl in prop::option::of((0u32..4_000, 1u32..=10)),
    ) {
        let mut model = model_of(&list, seed);
        let mut longest = model.config().ttl_s;
        // No failures: the only changes are the reader's.
        for tick in 0..change_at {
            if let Some((_, seconds)) = new_ttl.filter(|(at, _)| *at == tick) {
                model.apply(&Action::Set(Setting::Ttl, seconds));
                longest = longest.max(seconds);
            }
            model.step();
        }
        let change = if geo_switch { Action::Set(Setting::Geo, u32::from(!model.config().geo)) } else { Action::Migrate };
        model.apply(&change);
        let bound = model.tick + longest * SECOND + 8 + 2;
        let mut checked = 0;
        while model.tick < bound + 4 * SECOND {
            model.step();
            for note in &model.journal {
                if let Note::Answered { tick, region, answer: Answer::Address(address), sticky: false, .. } = *note {
                    if tick >= bound {
                        prop_assert_eq!(address, model.answer_for(region), "{:?} at {} ticks after the change", note, tick + 10 + longest * SECOND - bound);
                        checked += 1;
                    }
                }
            }
        }
        prop_assert!(checked > 0 || model.config().sticky_pct > 0 || model.config().rate_tenths < 10);
    }

    #[test]
    fn actions_round_trip_through_their_text(action in any_action()) {
        let text = action.encode();
        prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric()), "URL-safe: {}", text);
        prop_assert_eq!(Action::decode(&text), Some(action));
    }

    /// Anything decodes without a panic, and what decodes is written back the same way.
    #[test]
    fn decoding_anything_is_safe_and_canonical(text in "\\PC{0,8}|[crtnodsgkihfuxmw][0-9]{0,10}") {
        if let Some(action) = Action::decode(&text) {
            prop_assert_eq!(action.encode(), text);
        }
    }

    /// Any parameters (in or out of range, or garbage), any actions: no panic, and the state
    /// stays bounded.
    #[test]
    fn nothing_panics_and_nothing_grows_without_bound(
        values in prop::collection::vec(prop_oneof![Just("0".to_string()), Just("-5".to_string()), Just("999999".to_string()), Just("NaN".to_string()), Just("x".to_string()), (0u32..100).prop_map(|n| n.to_string())], 11),
        actions in prop::collection::vec((0u32..3_000, any_action()), 0..20),
        seed in any::<u64>(),
    ) {
        let pairs: Vec<(String, String)> = DNS_PARAMS.iter().zip(&values).map(|(spec, value)| (spec.key.to_string(), value.clone())).collect();
        let (params, _) = Params::from_pairs(DNS_PARAMS, &pairs);
        let mut model = Dns::new(&params, seed);
        for tick in 0..3_000u32 {
            for (_, action) in actions.iter().filter(|(at, _)| *at == tick) {
                model.apply(action);
            }
            model.step();
            prop_assert!(model.lookups().len() <= 2 * MAX_CLIENTS && model.resolutions().len() <= 4);
            let _ = model.narrate();
        }
    }
}

// ---- Settings, narration and the harness ---------------------------------------------------------

#[test]
fn decoding_refuses_what_encode_never_writes() {
    for text in ["", "c", "c0", "c11", "c01", "r0", "r101", "t0", "t3601", "s2", "g2", "k101", "i0", "h11", "f2", "u2", "x2", "x", "m1", "w0", "M", "z3", "c 5", "t1.5", "d172801", "o-1"] {
        assert_eq!(Action::decode(text), None, "{text}");
    }
    assert_eq!(Action::decode("o172800"), Some(Action::Set(Setting::RootTtl, 172_800)));
    assert_eq!(Action::decode("n0"), Some(Action::Set(Setting::NegTtl, 0)));
    assert_eq!(Action::decode("f1"), Some(Action::Fail(US)));
    assert_eq!(Action::decode("x0"), Some(Action::Flush(EU)));
}

#[test]
fn every_live_parameter_reads_back_and_becomes_an_action() {
    let config = Config::from_params(&Params::defaults(DNS_PARAMS));
    for spec in DNS_PARAMS {
        let setting = Setting::ALL.into_iter().find(|setting| setting.key() == spec.key).unwrap_or_else(|| panic!("{} has no setting", spec.key));
        assert_eq!(Action::from_param(spec.key, spec.default), Some(Action::Set(setting, config.get(setting))), "{}", spec.key);
        // What a live control shows is the parameter's own value, so showing it and sending it
        // back changes nothing.
        assert_eq!(config.value(spec.key), Some(spec.default), "{}", spec.key);
    }
    assert_eq!(Setting::ALL.len(), DNS_PARAMS.len());
    assert_eq!(Action::from_param("rate", Value::Float(2.5)), Some(Action::Set(Setting::Rate, 25)));
    assert_eq!(Action::from_param("rate", Value::Float(f64::NAN)), None);
    assert_eq!(Action::from_param("rate", Value::Float(99.0)), Some(Action::Set(Setting::Rate, 100)));
    assert_eq!(Action::from_param("ttl", Value::Int(0)), Some(Action::Set(Setting::Ttl, 1)));
    assert_eq!(Action::from_param("geo", Value::Bool(false)), Some(Action::Set(Setting::Geo, 0)));
    assert_eq!(Action::from_param("geo", Value::Int(1)), None);
    assert_eq!(Action::from_param("nope", Value::Int(1)), None);
    let mut changed = config;
    changed.set(Setting::Rate, 25);
    changed.set(Setting::Stub, 0);
    assert_eq!((changed.value("rate"), changed.value("stub"), changed.value("nope")), (Some(Value::Float(2.5)), Some(Value::Bool(false)), None));
    assert_eq!([Action::Set(Setting::Ttl, 5), Action::Migrate, Action::Fail(EU), Action::Flush(US)].map(|action| action.label()), ["TTL 5 s", "Move to new addresses", "Fail the EU server", "Flush the US resolver"]);
    // A live change acts at once: five times the rate, five times the lookups (stub caches off,
    // so each reaches the resolver).
    let mut model = Dns::new(&params(&[("stub", "0")]), 3);
    model.apply(&Action::Set(Setting::Rate, 50));
    run(&mut model, 10 * SECOND);
    let lookups: u64 = Region::ALL.iter().map(|region| model.totals(*region).lookups).sum();
    // 20 clients × 5 × 10 s, less the one in ten that falls due while the client still waits
    // on its last lookup (20 ms: 1 - e^-0.1 of them) and is skipped.
    assert!((820..1_000).contains(&lookups), "{lookups}");
    assert!(model.narrate().starts_with("At 10.0 s,"), "{}", model.narrate());
    // Fewer clients: the others and their lookups are gone.
    model.apply(&Action::Set(Setting::Clients, 2));
    assert!(model.clients(EU).len() == 2 && model.lookups().iter().all(|lookup| lookup.client < 2));
    assert_eq!(model.narrate(), "2 clients in each region now.");
}

#[test]
fn the_narration_tells_the_last_event_then_sums_up() {
    let mut model = Dns::new(&params(&[]), 5);
    assert!(model.narrate().starts_with("Every cache starts empty"));
    run(&mut model, 10 * SECOND);
    let summary = model.narrate();
    assert!(summary.starts_with("At 10.0 s, 0 of 20 clients are on an old address. Resolver cache hits over the last 5 s: EU "), "{summary}");
    model.apply(&Action::Flush(US));
    assert_eq!(model.narrate(), "The US resolver's cache is empty: its next lookup walks from the root again.");
    model.apply(&Action::Set(Setting::NegTtl, 0));
    model.apply(&Action::Misspell);
    assert!(model.narrate().contains("with a negative TTL of 0 no one caches the NXDOMAIN"), "{}", model.narrate());
    model.apply(&Action::Fail(US));
    model.apply(&Action::Fail(US));
    assert_eq!(model.narrate(), "Nothing happened: the US server is already down.");
    for _ in 0..MAX_GENERATION {
        model.apply(&Action::Migrate);
    }
    assert_eq!(model.answer_for(EU).ip(), "192.0.2.100");
    model.apply(&Action::Migrate);
    assert!(model.narrate().starts_with("Nothing happened: the site has moved 99 times"));
}

#[test]
fn the_same_seed_replays_the_same_run_and_a_shared_link_rebuilds_it() {
    let actions = vec![(300, Action::Misspell), (700, Action::Fail(EU)), (900, Action::Set(Setting::Ttl, 3)), (1_200, Action::Migrate), (1_600, Action::Flush(US)), (1_700, Action::Set(Setting::Clients, 4))];
    let mut timeline = Timeline::<Dns>::new(params(&[]), 42, DNS_LIMIT);
    for (at, action) in &actions {
        timeline.seek(*at);
        timeline.act(*action);
    }
    timeline.seek(3_000);
    let encoded = timeline.encode_actions();
    let (decoded, skipped) = Timeline::<Dns>::decode_actions(&encoded);
    assert_eq!((decoded.clone(), skipped), (actions, 0));
    let shared = Timeline::<Dns>::replay(params(&[]), 42, DNS_LIMIT, decoded, 3_000);
    assert_eq!(shared.state(), timeline.state());
    let other = Timeline::<Dns>::replay(params(&[]), 43, DNS_LIMIT, Vec::new(), 3_000);
    assert_ne!(other.state().totals(US), timeline.state().totals(US));
    let now = timeline.state().clone();
    timeline.seek(100);
    timeline.seek(3_000);
    assert_eq!(timeline.state(), &now);
}

#[test]
fn a_whole_run_stays_small() {
    let mut model = Dns::new(&params(&[("rate", "10"), ("stub", "0")]), 2);
    run(&mut model, DNS_LIMIT as u32);
    assert!(model.series().len() <= MAX_SAMPLES);
    assert!(model.lookups().len() <= 2 * MAX_CLIENTS && model.resolutions().len() <= 4);
    // A keyframe: the model, its clients and at most a lookup each (the series' full chunks are
    // shared between keyframes).
    let keyframe = std::mem::size_of::<Dns>() + 2 * MAX_CLIENTS * (std::mem::size_of::<Client>() + std::mem::size_of::<Lookup>());
    assert!(keyframe < 5_000, "{keyframe} bytes");
}
