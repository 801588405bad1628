//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes, so the prerendered picture is the one the app then sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Balancer, BALANCER_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Balancer>(BALANCER_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_four_servers_and_six_balancers_before_anything_is_sent() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (the registry's limit).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">RR<", ">S1 20ms<", ">S2 20ms<", ">S3 40ms<", ">S4 80ms<", "Round robin: 96 requests/s to 4 servers", ">1 dot = 1<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        for label in ["Round robin", "Weighted RR", "Least requests", "Two choices", "Peak EWMA", "Hash ring"] {
            assert!(poster.svg.contains(&format!(">{label}<")), "{label}");
        }
        assert_eq!(poster.svg.matches(">–<").count(), 6, "no latencies before any answer");
        assert_eq!(drawn_requests(&poster.svg).len(), 3, "only the legend's shapes: nothing sent yet");
        let label = aria_label(&poster.svg);
        assert!(label.starts_with("At 0.000 s the balancer in focus, Round robin, spreads 96 requests a second over its servers: S1 (20 ms): 0 waiting, 0 in service;"), "{label}");
    }

    #[test]
    fn the_poster_follows_its_parameters() {
        let other = draw_with(&[("focus", "ewma"), ("speeds", "equal"), ("workers", "2"), ("sticky", "1")]);
        assert!(other.problems.is_empty(), "{:?}", other.problems);
        for words in [">EWMA<", ">S4 30ms<", ">Peak EWMA, sticky: 187/s to 4 servers<"] {
            assert!(other.svg.contains(words), "{words} missing: {}", other.svg);
        }
        assert!(aria_label(&other.svg).contains("Peak EWMA with sticky sessions"));
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("focus", "best"), ("load", "-5"), ("workers", "many"), ("interval", "NaN"), ("sticky", "2"), ("seed", "x"), ("nope", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
