//! The browser app. Every page arrives prerendered; this code adds the interactive parts
//! ("islands") into the elements marked `data-island`, and makes a panic visible.

mod dom;
mod islands;
mod panic;

fn main() {
    panic::install();
    islands::mount_all();
}

/// Lets the browser tests prove that a panic shows the recovery message instead of a dead page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn debug_panic() {
    panic!("debug_panic was called on purpose");
}
