//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (six empty caches under the trace's description), so the
//! prerendered picture is the one the app then sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Eviction, EVICTION_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Eviction>(EVICTION_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_six_empty_caches_before_anything_is_requested() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">LRU<", ">LFU<", ">FIFO<", ">Random<", ">SLRU<", ">S3-FIFO<", ">caches of 50<", ">Zipf α 0.9, 1000 keys<", "Nothing requested yet", ">tall = popular<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        assert_eq!(poster.svg.matches(">no requests yet<").count(), 6, "{}", poster.svg);
        // Only the legend's three shapes: nothing has been requested yet.
        assert_eq!(drawn_requests(&poster.svg).len(), 3);
        let label = aria_label(&poster.svg);
        assert!(label.starts_with("Zipf popularity (α 0.9) over 1,000 keys. Six empty caches of 50 objects"), "{label}");
    }

    #[test]
    fn the_poster_follows_its_parameters() {
        let other = draw_with(&[("trace", "shift"), ("keys", "5000"), ("cache", "400"), ("every", "3000")]);
        assert!(other.problems.is_empty(), "{:?}", other.problems);
        assert!(other.svg.len() < 8_000, "{} bytes", other.svg.len());
        for words in [">Hot set moves every 3000<", ">caches of 400<", ">1 cell = 10 keys<"] {
            assert!(other.svg.contains(words), "{words} missing: {}", other.svg);
        }
        assert!(aria_label(&other.svg).contains("whose hot set moves every 3,000 requests"), "{}", aria_label(&other.svg));
        assert_ne!(other.svg, draw_with(&[]).svg);
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw_with(&[("trace", "lru"), ("keys", "1e99"), ("cache", "3"), ("skew", "NaN"), ("seed", "-1"), ("x", "y")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
