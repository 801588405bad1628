//! Placeholder until the rate-limiters visualizer lands: says so instead of failing.

use leptos::prelude::*;
use web_sys::HtmlElement;

pub fn mount(section: HtmlElement) {
    super::prepare(&section);
    leptos::mount::mount_to(section, || view! { <p class="empty-state">"This visualizer is being built."</p> }).forget();
}
