//! The visualizers. `mount` starts the one a page names in `data-viz`, replacing its loading
//! message.

mod cap;
mod jwt;
mod ring;
mod widgets;

use leptos::prelude::*;
use web_sys::HtmlElement;

pub fn mount(section: HtmlElement) {
    let slug = section.get_attribute("data-viz").unwrap_or_default();
    if let Ok(Some(loading)) = section.query_selector(".viz__loading") {
        loading.remove();
    }
    match slug.as_str() {
        "cap-theorem" => cap::mount(section),
        "consistent-hashing" => ring::mount(section),
        "jwt-decoder" => jwt::mount(section),
        other => {
            let message = format!("The visualizer “{other}” is not available in this version of the app. Reload the page to get the latest one.");
            leptos::mount::mount_to(section, move || view! { <p class="empty-state">{message}</p> }).forget();
        }
    }
}
