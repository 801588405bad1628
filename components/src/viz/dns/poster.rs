//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (every cache empty, its clocks bare rings, no query sent yet),
//! so the prerendered picture is the one the app sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Dns, DNS_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Dns>(DNS_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_the_hierarchy_with_every_cache_empty() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">Root<", ">.com<", ">example.com 0.0/s<", ">EU 192.0.2.1<", ">US 192.0.2.101<", ">EU resolver<", ">US resolver<", ">.com NS<", ">wwww<", ">0/10 on old address<", ">query<", ">referral<", ">NX<", ">old addr<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        // Only the legend's five shapes: nothing has been sent yet.
        assert_eq!(drawn_requests(&poster.svg).len(), 5);
        assert!(aria_label(&poster.svg).starts_with("10 clients in Europe and 10 in the US"), "{}", aria_label(&poster.svg));
    }

    #[test]
    fn the_poster_follows_its_parameters_and_ignores_garbage() {
        for list in [&[("clients", "1")][..], &[("geo", "0"), ("stub", "0")], &[("ttl", "3600"), ("negttl", "3600"), ("rootttl", "172800")], &[("sticky", "100"), ("threshold", "10")]] {
            let poster = draw_with(list);
            assert!(poster.problems.is_empty(), "{list:?}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{list:?}: {} bytes", poster.svg.len());
        }
        assert!(draw_with(&[("clients", "1")]).svg.contains(">0/1 on old address<"));
        let garbage = draw_with(&[("clients", "many"), ("rate", "NaN"), ("ttl", "-1"), ("geo", "maybe"), ("seed", "¿")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
