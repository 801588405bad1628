//! The first frame of the tool, drawn at build time (see `viz::poster`): users → A → B → C as
//! the tool draws it on a phone (a column), each service with its pool, each hop with its
//! breaker switch (or none: a run starts with both switched off), C's latency and failure rate,
//! and the settings a breaker would trip by. Everything is read from the model at tick 0.

use crate::diagram::text::text_width;
use crate::viz::poster::{start, first_that_fits, Anchor, Sketch, Tone};

use super::{format_ms, BreakerChain, BreakerState, CircuitBreaker, Hop, Service, BREAKER_PARAMS, TICKS_PER_SECOND, TICK_MS};

const HEIGHT: f32 = 300.0;
/// The services' boxes, stacked, with a breaker's gap between each two.
const BOX_LEFT: f32 = 8.0;
const BOX_WIDTH: f32 = 304.0;
const BOX_HEIGHT: f32 = 46.0;
const FIRST_TOP: f32 = 48.0;
const GAP: f32 = 44.0;
/// The line the requests travel down, and where a switch's words start.
const WIRE_X: f32 = 48.0;
const WORDS_X: f32 = 80.0;
/// Half the distance between a switch's two contacts.
const PIN: f32 = 14.0;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    draw(&start::<BreakerChain>(BREAKER_PARAMS, pairs))
}

fn top(service: Service) -> f32 {
    FIRST_TOP + service.index() as f32 * (BOX_HEIGHT + GAP)
}

fn draw(chain: &BreakerChain) -> Sketch {
    let config = chain.config();
    let breakers: Vec<String> = Hop::BOTH
        .iter()
        .map(|&hop| match chain.breaker(hop) {
            Some(breaker) => format!("the breaker on {} is {}", hop.label(), breaker.state().label()),
            None => format!("no breaker on {}", hop.label()),
        })
        .collect();
    let label = format!(
        "Users send {} requests a second to service A, which calls B, which calls C ({} ms, {}% errors); {}.",
        config.requests_per_second,
        chain.latency_ms(),
        chain.failure_percent(),
        breakers.join(" and ")
    );
    let mut sketch = Sketch::new(HEIGHT, &label);
    sketch.rect(WIRE_X - 36.0, 6.0, 72.0, 28.0, 14.0, None);
    sketch.text(WIRE_X, 25.0, 13.0, Anchor::Middle, true, "Users");
    sketch.text(WIRE_X + 48.0, 25.0, 12.0, Anchor::Start, false, &format!("{} requests/s", config.requests_per_second));
    sketch.arrow(WIRE_X, 34.0, WIRE_X, FIRST_TOP);
    for service in Service::ALL {
        service_box(&mut sketch, chain, service);
    }
    for hop in Hop::BOTH {
        switch(&mut sketch, chain, hop);
    }
    let settings = config.breaker;
    let window = settings.window_ticks / TICKS_PER_SECOND;
    let (percent, calls) = (settings.failure_threshold_percent, settings.minimum_calls);
    let trips = first_that_fits(
        &[format!("A breaker trips at {percent}% failed of {calls}+ calls in {window} s"), format!("Breakers trip at {percent}% of {calls}+ calls in {window} s"), format!("trip: {percent}% of {calls}+ calls in {window} s")],
        12.0,
        BOX_LEFT + BOX_WIDTH - 12.0,
    );
    sketch.text(12.0, 292.0, 12.0, Anchor::Start, false, &trips);
    sketch
}

/// One service: its name, what it does, and its threads and waiting room (empty at the start).
fn service_box(sketch: &mut Sketch, chain: &BreakerChain, service: Service) {
    let config = chain.config();
    let top = top(service);
    let pool = chain.pool(service);
    // A full pool is what the tool marks, in colour and in words.
    let full = pool.is_saturated();
    sketch.rect(BOX_LEFT, top, BOX_WIDTH, BOX_HEIGHT, 8.0, if full { Some(4) } else { None });
    let name = format!("{}{}", service.name(), if full { " FULL" } else { "" });
    sketch.text(20.0, top + 21.0, 16.0, Anchor::Start, true, &name);
    let note = match service {
        Service::A => format!("{:.0}% need B", (1.0 - config.local_share) * 100.0),
        Service::B => format!("waits {} for C", format_ms(f64::from(config.timeout_ms(Hop::BC)))),
        Service::C => format!("{} ms, {}% fail", chain.latency_ms(), chain.failure_percent()),
    };
    let note_x = (20.0 + text_width(&name, 16.0) + 10.0).max(44.0);
    sketch.text(note_x, top + 20.0, 12.0, Anchor::Start, false, &note);
    sketch.text(20.0, top + 38.0, 12.0, Anchor::Start, false, &format!("threads {}/{} · waiting {}/{}", pool.busy, pool.threads, pool.queued, pool.queue_limit));
}

/// The hop's breaker as a switch turned upright on the wire, as the tool draws it on a phone:
/// no breaker is a plain wire; closed joins the contacts, half-open lifts the lever a little,
/// open lifts it far. Its words sit beside it.
fn switch(sketch: &mut Sketch, chain: &BreakerChain, hop: Hop) {
    let from = top(hop.caller()) + BOX_HEIGHT;
    let to = top(hop.callee());
    let middle = (from + to) / 2.0;
    let breaker = chain.breaker(hop);
    let mut lines: Vec<(bool, String)> = Vec::new();
    match breaker {
        None => {
            sketch.arrow(WIRE_X, from, WIRE_X, to);
            lines.push((false, "no breaker".to_string()));
        }
        Some(breaker) => {
            let (angle, tone): (f32, Tone) = match breaker.state() {
                BreakerState::Closed => (0.0, Some(3)),
                BreakerState::HalfOpen => (18.0, Some(1)),
                BreakerState::Open => (45.0, Some(4)),
            };
            let (upper, lower) = (middle - PIN, middle + PIN);
            sketch.line(WIRE_X, from, WIRE_X, upper, false);
            // Too short for an arrowhead below the switch: the hop above shows the direction.
            sketch.line(WIRE_X, lower, WIRE_X, to, false);
            sketch.circle(WIRE_X, upper, 3.0, None);
            sketch.circle(WIRE_X, lower, 3.0, None);
            let radians = angle.to_radians();
            sketch.path(&format!("M{WIRE_X} {upper:.1}l{:.1} {:.1}", 2.0 * PIN * radians.sin(), 2.0 * PIN * radians.cos()), tone);
            lines.push((true, breaker.state().label().to_uppercase()));
            lines.push((false, detail(chain, breaker)));
        }
    }
    if hop == Hop::AB {
        lines.push((false, format!("A waits {} for B", format_ms(f64::from(chain.config().timeout_ms(Hop::AB))))));
    }
    let first = middle - (lines.len() as f32 - 1.0) * 7.0 + 4.0;
    for (index, (strong, words)) in lines.iter().enumerate() {
        sketch.text(WORDS_X, first + index as f32 * 14.0, 12.0, Anchor::Start, *strong, words);
    }
}

/// What the breaker is counting, as the tool words it.
fn detail(chain: &BreakerChain, breaker: &CircuitBreaker) -> String {
    let settings = breaker.settings();
    match breaker.state() {
        BreakerState::Closed => {
            let (calls, failures) = breaker.window_totals();
            format!("{failures} of {calls} failed")
        }
        BreakerState::Open => {
            let reopen_ms = u64::from(breaker.since() + settings.open_ticks) * u64::from(TICK_MS);
            format!("probes in {}", format_ms(reopen_ms.saturating_sub(chain.time_ms()) as f64))
        }
        BreakerState::HalfOpen => {
            let (out, succeeded) = breaker.probes();
            format!("probes: {succeeded} ok, {out} out of {}", settings.probes)
        }
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Simulation;
    use crate::sim::Params;
    use crate::viz::poster::{aria_label, pairs};
    use crate::sim::query::DEFAULT_SEED;
    use crate::viz::breaker::Action;
    use crate::viz::poster::Poster;


    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_the_chain_as_the_run_starts() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.len() < 3_000, "{} bytes", poster.svg.len());
        for words in ["Users", "100 requests/s", ">A<", ">B<", ">C<", "80% need B", "waits 1 s for C", "A waits 2 s for B", "20 ms, 0% fail", "threads 0/20", "threads 0/200"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        // A run starts with both breakers off: the tool says so, and so must the poster.
        assert_eq!(poster.svg.matches(">no breaker<").count(), 2, "{}", poster.svg);
        assert!(!poster.svg.contains("CLOSED"));
        let label = aria_label(&poster.svg);
        assert!(label.contains("no breaker on A → B") && label.contains("no breaker on B → C") && label.contains("20 ms, 0% errors"), "{label}");
    }

    #[test]
    fn the_poster_follows_its_parameters() {
        let other = draw_with(&[("rate", "700"), ("local", "0.5"), ("pool_b", "7"), ("queue", "3"), ("timeout_ab", "250"), ("threshold", "30"), ("window", "5")]);
        assert!(other.problems.is_empty(), "{:?}", other.problems);
        for words in ["700 requests/s", "50% need B", "threads 0/7 · waiting 0/3", "A waits 250 ms for B", "30%", "in 5 s"] {
            assert!(other.svg.contains(words), "{words} missing: {}", other.svg);
        }
        assert!(aria_label(&other.svg).contains("700 requests"));
        assert_ne!(other.svg, draw_with(&[]).svg);
    }

    #[test]
    fn a_switched_on_breaker_is_drawn_in_its_state() {
        let (params, _) = Params::from_pairs(BREAKER_PARAMS, &[]);
        let mut chain = BreakerChain::new(&params, DEFAULT_SEED);
        chain.apply(&Action::SetBreaker(Hop::BC, true));
        chain.apply(&Action::SetLatency(3_000));
        let poster = draw(&chain).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert_eq!(poster.svg.matches(">no breaker<").count(), 1, "only A → B is still without one");
        assert!(poster.svg.contains("CLOSED") && poster.svg.contains("0 of 0 failed"), "{}", poster.svg);
        // A closed switch's lever is drawn straight down onto the lower contact, in the closed colour.
        assert!(poster.svg.contains(r#"class="pv-path pv-path--3" d="M48 "#) && poster.svg.contains("l0.0 28.0"), "{}", poster.svg);
        assert!(poster.svg.contains("3000 ms, 0% fail"));
        assert!(aria_label(&poster.svg).contains("the breaker on B → C is closed"));
    }

    #[test]
    fn a_tripped_breaker_and_a_full_pool_are_drawn_as_they_are() {
        let (params, _) = Params::from_pairs(BREAKER_PARAMS, &[]);
        // C fails every call: the breaker on B → C trips open within its window.
        let mut tripped = BreakerChain::new(&params, DEFAULT_SEED);
        tripped.apply(&Action::SetBreaker(Hop::BC, true));
        tripped.apply(&Action::SetFailureRate(100));
        for _ in 0..2_000 {
            tripped.step();
            if tripped.breaker(Hop::BC).is_some_and(|breaker| breaker.state() == BreakerState::Open) {
                break;
            }
        }
        assert_eq!(tripped.breaker(Hop::BC).map(CircuitBreaker::state), Some(BreakerState::Open));
        let poster = draw(&tripped).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.contains(">OPEN<") && poster.svg.contains("probes in") && poster.svg.contains("pv-path pv-path--4"), "{}", poster.svg);
        assert!(aria_label(&poster.svg).contains("is open") && poster.svg.contains("20 ms, 100% fail"), "{}", poster.svg);
        // C stalls with no breaker: B's and then A's threads all wait, and the box says FULL.
        let mut stalled = BreakerChain::new(&params, DEFAULT_SEED);
        stalled.apply(&Action::SetLatency(10_000));
        for _ in 0..300 {
            stalled.step();
        }
        assert!(stalled.pool(Service::B).is_saturated());
        let poster = draw(&stalled).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.contains("B FULL") && poster.svg.contains("pv-box pv-box--4"), "{}", poster.svg);
    }

    #[test]
    fn timeouts_are_worded_to_the_millisecond() {
        assert_eq!(format_ms(f64::from(10)), "10 ms");
        assert_eq!(format_ms(f64::from(999)), "999 ms");
        assert_eq!(format_ms(f64::from(1_000)), "1 s");
        assert_eq!(format_ms(f64::from(1_500)), "1.5 s");
        assert_eq!(format_ms(f64::from(10_000)), "10 s");
    }

    #[test]
    fn every_extreme_fits_the_canvas() {
        let ranges: &[(&str, &[&str])] = &[
            ("rate", &["1", "2000"]),
            ("local", &["0", "0.9"]),
            ("pool_a", &["1", "200"]),
            ("pool_b", &["1", "200"]),
            ("pool_c", &["1", "200"]),
            ("queue", &["0", "200"]),
            ("timeout_ab", &["10", "10000"]),
            ("timeout_bc", &["10", "10000"]),
            ("threshold", &["1", "100"]),
            ("min_calls", &["1", "1000"]),
            ("window", &["1", "60"]),
            ("open", &["100", "60000"]),
            ("probes", &["1", "20"]),
        ];
        for low_or_high in 0..2 {
            let all: Vec<(&str, &str)> = ranges.iter().map(|(key, values)| (*key, values[low_or_high])).collect();
            let poster = draw_with(&all);
            assert!(poster.problems.is_empty(), "{all:?}: {:?}", poster.problems);
            for (key, values) in ranges {
                for value in *values {
                    let poster = draw_with(&[(key, value)]);
                    assert!(poster.problems.is_empty(), "{key}={value}: {:?}", poster.problems);
                }
            }
        }
        // The widest trip rule the parameters allow still fits (the shortest wording at worst).
        let (params, _) = Params::from_pairs(BREAKER_PARAMS, &pairs(&[("threshold", "100"), ("min_calls", "1000"), ("window", "60")]));
        let poster = draw(&BreakerChain::new(&params, 1)).finish();
        assert!(poster.problems.is_empty() && poster.svg.contains("1000+ calls in 60 s"), "{}", poster.svg);
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("rate", "lots"), ("local", "2"), ("pool_a", "-1"), ("timeout_ab", "1e99"), ("seed", "-5"), ("nope", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
