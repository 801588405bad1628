//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (users → A → B → C, each service with its pool, both hops still
//! without a breaker, C's latency and failure rate, each caller's timeout), so the prerendered
//! picture is the one the app then sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, BreakerChain, BREAKER_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<BreakerChain>(BREAKER_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::breaker::format_ms;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_the_chain_as_the_run_starts() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">Users send 100 requests a second<", ">A: 80% need B<", ">B: calls C<", ">C: 20 ms, 0% fail<", ">threads 0/20<", ">threads 0/200<", ">waiting 0/20<", ">A waits 2 s for B<", ">B waits 1 s for C<", ">users give up after 5 s<", ">1 dot = 5 requests<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        // A run starts with both breakers off: the tool says so, and so must the poster.
        assert_eq!(poster.svg.matches(">no breaker<").count(), 2, "{}", poster.svg);
        assert!(!poster.svg.contains("CLOSED"));
        // Only the legend's four shapes: nothing has been sent yet.
        assert_eq!(drawn_requests(&poster.svg).len(), 4);
        let label = aria_label(&poster.svg);
        assert!(label.starts_with("At 0.00 s users send 100 requests a second to A; 80% of them need B, which calls C, answering in 20 ms with 0% errors."), "{label}");
        assert!(label.contains("no breaker on A → B; no breaker on B → C"), "{label}");
    }

    #[test]
    fn the_poster_follows_its_parameters() {
        let other = draw_with(&[("rate", "700"), ("local", "0.5"), ("pool_b", "7"), ("queue", "3"), ("timeout_ab", "250"), ("threshold", "30"), ("window", "5")]);
        assert!(other.problems.is_empty(), "{:?}", other.problems);
        for words in ["Users send 700 requests a second", ">A: 50% need B<", ">threads 0/7<", ">waiting 0/3<", ">A waits 250 ms for B<", ">1 dot = 50 requests<"] {
            assert!(other.svg.contains(words), "{words} missing: {}", other.svg);
        }
        assert!(aria_label(&other.svg).contains("700 requests"));
        assert_ne!(other.svg, draw_with(&[]).svg);
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
            assert!(poster.svg.len() < 8_000, "{all:?}: {} bytes", poster.svg.len());
            for (key, values) in ranges {
                for value in *values {
                    let poster = draw_with(&[(key, value)]);
                    assert!(poster.problems.is_empty(), "{key}={value}: {:?}", poster.problems);
                }
            }
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("rate", "lots"), ("local", "2"), ("pool_a", "-1"), ("timeout_ab", "1e99"), ("seed", "-5"), ("nope", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
