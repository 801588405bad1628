//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (in pull mode every edge still empty, its clocks bare rings; in
//! push mode every clock full), so the prerendered picture is the one the app sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Cdn, CDN_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Cdn>(CDN_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_empty_edges_under_a_shield_and_the_origin() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">Origin<", ">Shield A<", ">Europe<", ">NA<", ">Asia<", ">users 60/s<", ">users 100/s<", ">users 40/s<", ">hit<", ">miss<", ">stale<", ">error<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        assert!(aria_label(&poster.svg).starts_with("200 requests a second"), "{}", aria_label(&poster.svg));
    }

    #[test]
    fn the_poster_follows_its_parameters_and_ignores_garbage() {
        for list in [&[("mode", "push")][..], &[("shield", "0")], &[("rate", "5000"), ("objects", "1")], &[("ttl", "300"), ("swr", "300"), ("sie", "600")]] {
            let poster = draw_with(list);
            assert!(poster.problems.is_empty(), "{list:?}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{list:?}: {} bytes", poster.svg.len());
        }
        let garbage = draw_with(&[("rate", "fast"), ("objects", "0"), ("skew", "NaN"), ("mode", "x"), ("shield", "maybe"), ("seed", "¿")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
