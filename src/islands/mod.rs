//! The islands: interactive components mounted into prerendered pages.

mod diagram_stepper;
mod pattern_filter;
mod quiz;
mod site_search;
mod theme_switch;

use crate::dom;

/// Mounts every island the page asks for. An unknown name is logged, not fatal: an older
/// cached page must not break a newer app.
pub fn mount_all(mount_visualizer: Option<fn(web_sys::HtmlElement)>) {
    for (name, element) in dom::islands() {
        match name.as_str() {
            "theme" => leptos::mount::mount_to(element, theme_switch::ThemeSwitch).forget(),
            "search" => site_search::mount(element),
            "diagram" => diagram_stepper::mount(element),
            "quiz" => quiz::mount(element),
            "pattern-filter" => pattern_filter::mount(element),
            "viz" => match mount_visualizer {
                Some(mount) => mount(element),
                None => leptos::logging::warn!("this page needs the visualizer bundle"),
            },
            "not-found" => {}
            other => leptos::logging::warn!("no island named `{other}`"),
        }
    }
}
