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

/// The playback speeds every simulated tool offers, and the only ones a link or preset may name.
pub const SPEEDS: [f64; 6] = [0.25, 0.5, 1.0, 2.0, 4.0, 8.0];
pub use rng::SimRng;
pub use timeline::{Simulation, Timeline};
