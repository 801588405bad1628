//! The models under the visualizers: plain Rust, no web dependency.
pub mod cap;
pub mod ring;
pub mod encoding;
pub mod json;
pub mod jwt;
pub mod oauth;
pub mod stampede;
