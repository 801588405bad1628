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

/// Starts the core bundle: the islands of a page without tools. On a page with tools, whose
/// own bundle has mounted the rest, the core comes later and only for the search (see
/// [`site_search::stand_in`]).
///
/// On a page that loads its tools when the reader comes near them ([`dom::tools_deferred`]), the
/// core starts first and mounts every island but the tools, which their bundle mounts later.
pub fn start() {
    panic::install();
    let islands = dom::islands();
    if islands.iter().any(|(name, _)| name == "viz") && !dom::tools_deferred() {
        islands.into_iter().filter(|(name, _)| name == "search").for_each(|(_, element)| site_search::mount(element));
    } else {
        mount_all::<true>(None);
    }
}

/// Starts a tool's bundle: the page's islands and its tools, mounted with `mount_visualizer`.
///
/// The catalogue filter is left out: only the pattern index shows it, a page without tools
/// (sitegen's `a_page_with_tools_never_shows_the_catalogue_filter` keeps it so). Leaving it out
/// of the tool bundles saved 3.8 KB gzipped each (measured 2026-12-06 on kafka-partitions:
/// 154.6 -> 150.7 KB): with the filter went the code that only it reached.
pub fn start_with_tools(mount_visualizer: fn(web_sys::HtmlElement)) {
    panic::install();
    if dom::tools_deferred() {
        // The core bundle runs the rest of the page already.
        dom::islands().into_iter().filter(|(name, _)| name == "viz").for_each(|(_, element)| mount_visualizer(element));
    } else {
        mount_all::<false>(Some(mount_visualizer));
    }
}

/// Lets the browser tests prove that a panic shows the recovery message instead of a dead page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn debug_panic() {
    panic::panic_soon();
}

/// Mounts every island the page asks for (the catalogue filter and the search itself only in
/// the core, `WITH_CORE`; a tool's bundle shows the search's stand-in). An unknown name is
/// logged, not fatal: an older cached page must not break a newer app.
fn mount_all<const WITH_CORE: bool>(mount_visualizer: Option<fn(web_sys::HtmlElement)>) {
    for (name, element) in dom::islands() {
        match name.as_str() {
            "theme" => theme_switch::mount(element),
            "search" if WITH_CORE => site_search::mount(element),
            "search" => site_search::stand_in(element),
            "diagram" => diagram_stepper::mount(element),
            "quiz" => quiz::mount(element),
            "pattern-filter" if WITH_CORE => pattern_filter::mount(element),
            "pattern-filter" => dom::warn("the catalogue filter is in the core bundle, not a tool's"),
            "viz" => match mount_visualizer {
                Some(mount) => mount(element),
                None if dom::tools_deferred() => {}
                None => dom::warn("this page needs the visualizer bundle"),
            },
            "not-found" => {}
            other => dom::warn(&format!("no island named `{other}`")),
        }
    }
}
