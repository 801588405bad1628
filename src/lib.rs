//! The browser app. Every page arrives prerendered; this code adds the interactive parts
//! ("islands") into the elements marked `data-island`, and makes a panic visible.
//!
//! Two bundles are built from it: `atlas` (the core islands, on every content page) and `viz`
//! (the core plus the visualizers, only on visualizer pages), so reading a pattern never
//! downloads the simulations.

mod dom;
mod harness;
mod islands;
mod panic;
pub mod visualizers;

/// Starts the app; `mount_visualizer` is given only by the bundle that carries them.
pub fn start(mount_visualizer: Option<fn(web_sys::HtmlElement)>) {
    panic::install();
    islands::mount_all(mount_visualizer);
}

/// Lets the browser tests prove that a panic shows the recovery message instead of a dead page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn debug_panic() {
    panic!("debug_panic was called on purpose");
}
