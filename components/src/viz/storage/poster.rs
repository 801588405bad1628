//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes (an empty leaf for the B-tree, an empty memtable and no table for
//! the LSM tree), so the prerendered picture is the one the app sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Storage, STORAGE_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Storage>(STORAGE_PARAMS, pairs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, drawn_requests, pairs, Poster};

    fn draw_with(list: &[(&str, &str)]) -> Poster {
        poster(&pairs(list)).finish()
    }

    #[test]
    fn the_defaults_draw_an_empty_leaf_and_an_empty_memtable() {
        let poster = draw_with(&[]);
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        // Posters travel in every page that shows the tool (see `viz::poster`).
        assert!(poster.svg.len() < 8_000, "{} bytes", poster.svg.len());
        for words in [">B-tree<", ">LSM tree<", ">leaf<", ">1 pg<", ">mem<", ">0/8<", ">L0<", ">0/4<", ">L1<", ">0/32<", ">write<", ">tombstone<", ">write –, get –, scan –, space –<"] {
            assert!(poster.svg.contains(words), "{words} missing: {}", poster.svg);
        }
        // Only the legend's six shapes: nothing has been sent yet.
        assert_eq!(drawn_requests(&poster.svg).len(), 6);
        assert!(aria_label(&poster.svg).contains("B-tree: 1 level tall, 1 page of 4 records for 0 live keys. LSM tree: memtable 0 of 8 writes; no tables yet."), "{}", aria_label(&poster.svg));
    }

    #[test]
    fn the_poster_follows_its_parameters_and_ignores_garbage() {
        for list in [&[("page", "16"), ("memtable", "32")][..], &[("dist", "zipf"), ("rate", "20")], &[("ratio", "2"), ("bloom", "0")], &[("insert", "0"), ("update", "0"), ("delete", "0"), ("get", "0"), ("scan", "0")]] {
            let poster = draw_with(list);
            assert!(poster.problems.is_empty(), "{list:?}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{list:?}: {} bytes", poster.svg.len());
        }
        assert!(draw_with(&[("memtable", "32")]).svg.contains(">0/32<"));
        assert!(draw_with(&[("ratio", "2"), ("memtable", "2")]).svg.contains(">0/16<"), "L2's target: 4 × 2 × 2");
        let garbage = draw_with(&[("page", "many"), ("rate", "NaN"), ("dist", "<b>"), ("bloom", "-1"), ("seed", "¿")]);
        assert!(garbage.problems.is_empty(), "{:?}", garbage.problems);
        assert_eq!(garbage.svg, draw_with(&[]).svg);
    }
}
