//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (the shards as the strategy in focus first places the data,
//! nothing sent and nothing moved yet), so the prerendered picture is the one the app sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Sharding, SHARDING_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Sharding>(SHARDING_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_the_hot_last_range_before_anything_is_sent() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">router<", ">S1<", ">S4<", ">Range<", ">Hash mod N<", ">Hash ring<", ">Partitions<", ">Directory<", ">3.4× fair<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        assert!(!poster.svg.contains(">S5<"));
        assert_eq!(poster.svg.matches(">–<").count(), 5, "nothing moved yet");
        assert_eq!(drawn_requests(&poster.svg).len(), 3, "only the legend's shapes: nothing sent yet");
        assert!(aria_label(&poster.svg).starts_with("At 0.0 s, Range partitioning over 4 shards"));
    }

    #[test]
    fn the_poster_follows_its_parameters_and_stays_small() {
        for (list, words) in [
            (&[("focus", "ring"), ("shards", "16")][..], ">Consistent hashing (100 vnodes): 16 shards<"),
            (&[("focus", "directory"), ("shards", "8")][..], ">directory<"),
            (&[("focus", "hash"), ("rate", "1000000"), ("qps", "100"), ("headroom", "90")][..], ">100,000 shards<"),
        ] {
            let poster = draw_with(list);
            assert!(poster.problems.is_empty(), "{list:?}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{list:?}: {} bytes", poster.svg.len());
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        let garbage = draw_with(&[("focus", "best"), ("shards", "-5"), ("skew", "NaN"), ("keys", "many"), ("seed", "x"), ("nope", "1")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
