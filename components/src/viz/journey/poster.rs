//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (load 1 about to leave the browser, its waterfall empty), so the
//! prerendered picture is the one the app sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Journey, JOURNEY_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Journey>(JOURNEY_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_the_path_with_an_empty_waterfall() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">Browser<", ">Resolver<", ">DNS tree<", ">Edge<", ">LB<", ">Service<", ">Cache<", ">Database<", ">DNS<", ">TCP<", ">TLS<", ">Assets<", ">Load 1: 0 ms so far<", ">30 ms<", ">80 ms<", ">handshake<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        // The legend's four shapes and the DNS query just leaving the browser.
        assert_eq!(drawn_requests(&poster.svg).len(), 5);
        assert!(aria_label(&poster.svg).starts_with("A browser loads a page with 12 sub-resources"), "{}", aria_label(&poster.svg));
    }

    #[test]
    fn the_poster_follows_its_parameters_and_ignores_garbage() {
        for list in [&[("proto", "h3"), ("dns", "walk")][..], &[("proto", "h1"), ("tls", "12"), ("assets", "30")], &[("xregion", "1"), ("xrtt", "500"), ("rtt", "500")], &[("dns", "browser"), ("assets", "0")]] {
            let poster = draw_with(list);
            assert!(poster.problems.is_empty(), "{list:?}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{list:?}: {} bytes", poster.svg.len());
        }
        assert!(draw_with(&[("proto", "h3")]).svg.contains(">QUIC<"));
        let garbage = draw_with(&[("proto", "h4"), ("rtt", "NaN"), ("assets", "-1"), ("keepalive", "maybe"), ("seed", "¿")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
