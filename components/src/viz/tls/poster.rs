//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at the first
//! step of the handshake the preset chooses, with the mode's default (RFC 8448) keys.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Handshake, TLS_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Handshake>(TLS_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_the_first_step_of_the_full_handshake() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">Client<", ">Server<", ">TLS 1.3, 1-RTT<", ">first data after 1 RTT, 100 ms<", ">Step 1 of 13: Client key share<", ">Early<", ">Handshake<", ">Master<", ">computed<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        assert_eq!(poster.svg.matches(">not yet<").count(), 3);
        assert!(aria_label(&poster.svg).starts_with("TLS 1.3 full handshake (1-RTT): the messages between client and server so far, step 1 of 13: Client key share."), "{}", aria_label(&poster.svg));
    }

    #[test]
    fn each_mode_has_its_poster_and_garbage_falls_back() {
        for (slug, title) in [("hrr", ">TLS 1.3, retry<"), ("resume", ">TLS 1.3, PSK<"), ("0rtt", ">TLS 1.3, 0-RTT<"), ("tls12", ">TLS 1.2<")] {
            let poster = draw_with(&[("mode", slug), ("rtt", "1000")]);
            assert!(poster.problems.is_empty(), "{slug}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{slug}: {} bytes", poster.svg.len());
            assert!(poster.svg.contains(title), "{slug}");
        }
        assert_eq!(draw_with(&[("mode", "sslv3"), ("rtt", "-5x"), ("seed", "?")]).svg, draw_with(&[]).svg);
    }
}
