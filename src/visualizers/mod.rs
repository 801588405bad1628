//! The visualizers, each built into its own bundle (`src/bin/viz-<slug>.rs`), so a page
//! downloads only the simulation it shows.

pub mod availability;
pub mod breaker;
pub mod cap;
pub mod capacity;
pub mod jwt;
pub mod latency;
pub mod limiters;
pub mod oauth;
pub mod retries;
pub mod ring;
pub mod slo;
pub mod stampede;
mod widgets;
