//! A panic stops the WebAssembly instance. Instead of leaving a page whose buttons silently do
//! nothing, the page tells the reader, keeps the prerendered text readable, and offers a reload.
//!
//! The banner itself is drawn by the page's inline boot script (`PANIC_BOOT` in
//! `sitegen/src/render/layout.rs`) when a `WebAssembly.RuntimeError` goes uncaught: release
//! bundles are built with `panic=immediate-abort`, where a panic traps at once and no Rust hook
//! runs. In a development build this hook still runs first: it logs the panic and leaves its
//! message on the banner for the boot script to show as the technical detail.

use wasm_bindgen::JsCast;

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let banner = web_sys::window().and_then(|window| window.document()).and_then(|document| document.get_element_by_id("atlas-panic"));
        if let Some(banner) = banner {
            let _ = banner.set_attribute("data-detail", &info.to_string());
        }
    }));
}

/// Panics on the next turn of the event loop, as a real panic in an event handler or a timer
/// would: the trap then goes uncaught, and the page shows its banner.
pub fn panic_soon() {
    let callback = wasm_bindgen::closure::Closure::once_into_js(|| -> () { panic!("debug_panic was called on purpose") });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback(callback.unchecked_ref());
    }
}
