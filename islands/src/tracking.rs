//! Records what the reader does for the progress page: each page opened, and each tool the first
//! time the reader works one of its controls on a page. Runs with every bundle.

use crate::{dom, store};
use wasm_bindgen::JsCast;

/// The page's route as the store keeps it: the path without the base, ending in `/`.
pub fn current_route() -> Option<String> {
    let path = dom::window().location().pathname().ok()?;
    let base = dom::base_path();
    let rest = path.strip_prefix(base.as_str())?;
    let rest = rest.trim_end_matches("index.html");
    let route = if rest.is_empty() { "/".to_string() } else if rest.ends_with('/') { format!("/{rest}") } else { format!("/{rest}/") };
    Some(route)
}

pub fn start() {
    let kind = dom::document().body().and_then(|body| body.get_attribute("data-kind")).unwrap_or_default();
    if matches!(kind.as_str(), "not-found" | "offline") {
        return;
    }
    if let Some(route) = current_route() {
        let _ = store::record_read(&route);
    }
    // Tools worked before this bundle started (the tool's own bundle marked them).
    for tool in dom::query_all::<web_sys::Element>(&dom::document().document_element().expect("a document"), "[data-viz][data-used]") {
        if let Some(slug) = tool.get_attribute("data-viz") {
            let _ = store::record_tool(&slug);
        }
    }
    // A control used inside a tool marks the tool used, once per page.
    for event in ["pointerdown", "keydown", "input"] {
        dom::listen(&dom::document(), event, |event| {
            if let Some((tool, slug)) = tool_first_used(event) {
                let _ = tool.set_attribute(USED, "");
                let _ = store::record_tool(&slug);
            }
        });
    }
}

const USED: &str = "data-used";

/// The tool an event happened in, with its slug, the first time only.
fn tool_first_used(event: &web_sys::Event) -> Option<(web_sys::Element, String)> {
    let tool = event.target()?.dyn_into::<web_sys::Element>().ok()?.closest("[data-viz]").ok()??;
    let slug = tool.get_attribute("data-viz")?;
    (!tool.has_attribute(USED)).then_some((tool, slug))
}

/// In a tool's bundle: the first time the reader works a tool, the tool is marked and the page's
/// boot script is told (`USE_EVENT`); it loads the core bundle, which records the page and the
/// tool, once the page is next idle. Not at once: fetching, compiling and starting the core
/// landed in the middle of the reader's first click, which on the heaviest ring preset then took
/// 22 to 36 ms from click to painted frame instead of about 15 (traced 2026-12-07). The waiting is
/// done in the boot script, where it costs the heaviest tool pages fewer bytes than here.
pub fn wake_core_on_use() {
    for event in ["pointerdown", "keydown", "input"] {
        dom::listen(&dom::document(), event, |event| {
            if let Some((tool, _)) = tool_first_used(event) {
                let _ = tool.set_attribute(USED, "");
                if let Ok(used) = web_sys::Event::new(atlas_components::search::USE_EVENT) {
                    let _ = dom::window().dispatch_event(&used);
                }
            }
        });
    }
}
