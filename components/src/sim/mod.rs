//! The harness every simulation shares: seeded randomness, parameters that round-trip the URL,
//! typed-number validation, and a recorded timeline to step, scrub and fork.

pub mod histogram;
pub mod number;
pub mod params;
pub mod query;
pub mod rng;
pub mod series;
pub mod timeline;

pub use params::{ParamKind, ParamSpec, Params, Value};
pub use rng::SimRng;
pub use timeline::{Simulation, Timeline};
