//! The models under the visualizers: plain Rust, no web dependency.
pub mod cap;
pub mod ring;
pub mod encoding;
pub mod json;
pub mod jwt;
pub mod limiters;
pub mod oauth;
pub mod stampede;
pub mod latency;
pub mod capacity;
pub mod availability;
pub mod slo;
pub mod breaker;
pub mod bloom;
pub mod retries;
pub mod eviction;
pub mod poster;
