//! The islands: interactive parts mounted into the prerendered pages (theme, search, diagram
//! step-through, quizzes, catalogue filter), and the panic banner. The core bundle (`atlas`, on
//! every page without a tool) is this crate alone; a tool's bundle adds its Leptos view and calls
//! [`start`] with it.

pub mod dom;
mod panic;

mod diagram_stepper;
mod due;
pub mod learn;
mod module_progress;
mod pattern_filter;
pub mod quiz;
mod site_search;
pub mod store;
mod theme_switch;
mod tracking;

/// Set on `<html>` by a bundle other than the core that runs the page (`tools` or `learn`), so
/// that the core, loaded later, mounts only what that bundle left to it.
const RAN_BY_OTHER_BUNDLE: &str = "data-app";

/// Starts the core bundle: the islands of a page without tools. On a page with tools, whose
/// own bundle has mounted the rest, the core comes later and only for the search (see
/// [`site_search::stand_in`]).
///
/// On a page that loads its tools when the reader comes near them ([`dom::tools_deferred`]), the
/// core starts first and mounts every island but the tools, which their bundle mounts later.
pub fn start() {
    panic::install();
    let islands = dom::islands();
    let ran = dom::document().document_element().and_then(|root| root.get_attribute(RAN_BY_OTHER_BUNDLE));
    if ran.is_some() || islands.iter().any(|(name, _)| name == "viz") && !dom::tools_deferred() {
        // A tool's bundle (or the learning bundle) runs the page and left the search to the core;
        // a tool's bundle also the questions, the record of the reader's progress and the count
        // of reviews due (see `mount_all`).
        let after_tools = ran.as_deref() != Some("learn");
        if after_tools {
            tracking::start();
        }
        for (name, element) in islands {
            match name.as_str() {
                "search" => site_search::mount(element),
                "due" if after_tools => due::mount(element),
                _ => {}
            }
        }
    } else {
        mount_all::<CORE>(None, None);
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
        mount_all::<TOOLS>(Some(mount_visualizer), None);
    }
}

/// Starts the learning loop's bundle (the quiz, practice, progress and certificate pages): the
/// page's islands, with `mount_learn` for the ones only it has (it returns false for a name it
/// does not know). Passed in by the bundle's entry point, like a tool's view, so the core bundle
/// links none of it.
pub fn start_learn(mount_learn: fn(&str, web_sys::HtmlElement) -> bool) {
    panic::install();
    mount_all::<LEARN>(None, Some(mount_learn));
}

/// Starts the questions' bundle (`viz-quiz`), loaded on a page run by the core or a tool's
/// bundle the first time the reader works a question (see `quiz::wake_on_use`).
pub fn start_quiz() {
    panic::install();
    quiz::start();
}

/// Lets the browser tests prove that a panic shows the recovery message instead of a dead page.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn debug_panic() {
    panic::panic_soon();
}

/// Mounts every island the page asks for (the catalogue filter and the search itself only in
/// the core, `WITH_CORE`; a tool's bundle shows the search's stand-in). An unknown name is
/// logged, not fatal: an older cached page must not break a newer app.
fn mount_all<const BUNDLE: u8>(mount_visualizer: Option<fn(web_sys::HtmlElement)>, mount_learn: Option<fn(&str, web_sys::HtmlElement) -> bool>) {
    let with_core = BUNDLE == CORE;
    if BUNDLE != CORE {
        if let Some(root) = dom::document().document_element() {
            let _ = root.set_attribute(RAN_BY_OTHER_BUNDLE, if BUNDLE == LEARN { "learn" } else { "tools" });
        }
    }
    // A tool's bundle leaves the record of progress to the core, loaded when the reader first
    // works a tool or asks for the search: measured 2026-12-07, recording and the due count in
    // every tool's bundle put the heaviest pattern pages 3.5 KB over their 170 KB budget.
    if BUNDLE == TOOLS {
        tracking::wake_core_on_use();
    } else {
        tracking::start();
    }
    // Only the learning bundles carry the questions; elsewhere they load on first use.
    if BUNDLE != LEARN {
        quiz::wake_on_use();
    }
    for (name, element) in dom::islands() {
        if mount_learn.is_some_and(|mount| mount(&name, element.clone())) {
            continue;
        }
        match name.as_str() {
            "theme" => theme_switch::mount(element),
            "search" if with_core => site_search::mount(element),
            "search" => site_search::stand_in(element),
            "diagram" => diagram_stepper::mount(element),
            "quiz" if BUNDLE == LEARN => quiz::mount(element),
            // Elsewhere the questions stay as printed (each answer behind "Show the answer")
            // until the reader works one, which loads the questions' bundle (`quiz::wake_on_use`).
            "quiz" => {}
            "due" if BUNDLE != TOOLS => due::mount(element),
            "due" => {}
            "module-progress" if with_core => module_progress::mount(element),
            "module-progress" => {}
            "pattern-filter" if with_core => pattern_filter::mount(element),
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

/// Which bundle runs `mount_all`: the core, a tool's, or a learning one.
const CORE: u8 = 0;
const TOOLS: u8 = 1;
const LEARN: u8 = 2;
