//! The islands: interactive parts mounted into the prerendered pages (theme, search, diagram
//! step-through, quizzes, catalogue filter), and the panic banner. The core bundle (`atlas`, on
//! every page without a tool) is this crate alone; a tool's bundle adds its Leptos view and calls
//! [`start`] with it.

pub mod dom;
mod panic;

mod diagram_stepper;
mod pattern_filter;
mod quiz;
mod site_search;
mod theme_switch;

/// Starts the app; `mount_visualizer` is given only by the bundles that carry a tool.
pub fn start(mount_visualizer: Option<fn(web_sys::HtmlElement)>) {
    panic::install();
    mount_all(mount_visualizer);
}

/// Lets the browser tests prove that a panic shows the recovery message instead of a dead page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn debug_panic() {
    panic::panic_soon();
}

/// Mounts every island the page asks for. An unknown name is logged, not fatal: an older
/// cached page must not break a newer app.
fn mount_all(mount_visualizer: Option<fn(web_sys::HtmlElement)>) {
    for (name, element) in dom::islands() {
        match name.as_str() {
            "theme" => theme_switch::mount(element),
            "search" => site_search::mount(element),
            "diagram" => diagram_stepper::mount(element),
            "quiz" => quiz::mount(element),
            "pattern-filter" => pattern_filter::mount(element),
            "viz" => match mount_visualizer {
                Some(mount) => mount(element),
                None => dom::warn("this page needs the visualizer bundle"),
            },
            "not-found" => {}
            other => dom::warn(&format!("no island named `{other}`")),
        }
    }
}
