//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes, so the prerendered picture is the one the app then sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, RetryRace, RETRY_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<RetryRace>(RETRY_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_five_lanes_and_their_servers_before_anything_is_sent() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        for words in [">Immediate<", ">Exponential backoff<", ">Full jitter<", ">Decorrelated jitter<", ">Immediate + retry budget<", "200 new requests/s", "each server answers 1000/s"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        assert_eq!(poster.svg.matches(">0 waiting<").count(), 5, "{}", poster.svg);
        // Only the legend's three shapes: nothing has been sent yet.
        assert_eq!(crate::viz::poster::drawn_requests(&poster.svg).len(), 3);
        assert!(aria_label(&poster.svg).starts_with("At 0.0 s each server answers up to 1000 attempts a second."), "{}", aria_label(&poster.svg));
    }

    #[test]
    fn the_poster_follows_its_parameters() {
        let other = draw_with(&[("rate", "50"), ("capacity", "300")]);
        assert!(other.problems.is_empty(), "{:?}", other.problems);
        assert!(other.svg.contains("50 new requests/s") && other.svg.contains("each server answers 300/s"), "{}", other.svg);
        assert_ne!(aria_label(&other.svg), aria_label(&draw_with(&[]).svg));
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("rate", "0"), ("capacity", "many"), ("burst", "maybe"), ("attempts", "2.5"), ("seed", "-1"), ("x", "y")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
