//! The first frame of the tool, drawn at build time (see `viz::poster`): the stage at tick 0 of
//! the run the preset describes, an empty array sized from the preset's n and p, so the
//! prerendered picture is the one the app then sets moving.

use crate::viz::poster::{start, Sketch};

use super::{stage::stage, Bloom, BLOOM_PARAMS};

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    stage(&start::<Bloom>(BLOOM_PARAMS, pairs))
}
