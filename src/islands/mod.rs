//! The islands: interactive components mounted into prerendered pages.

mod theme_switch;

use crate::dom;

/// Mounts every island the page asks for. An unknown name is logged, not fatal: an older
/// cached page must not break a newer app.
pub fn mount_all() {
    for (name, element) in dom::islands() {
        match name.as_str() {
            "theme" => leptos::mount::mount_to(element, theme_switch::ThemeSwitch).forget(),
            "not-found" => {}
            other => leptos::logging::warn!("no island named `{other}`"),
        }
    }
}
