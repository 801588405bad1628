//! Mounting a tool: one helper every visualizer uses, and the typed context its parts read
//! (which section it lives in, its scope in the URL, its preset and layout) instead of each
//! view passing them by hand.

use super::address::Address;
use leptos::prelude::*;
use web_sys::HtmlElement;

/// What one mounted tool knows about where it lives. Cheap to clone; provided as context.
#[derive(Clone)]
pub struct ToolContext {
    pub section: HtmlElement,
    pub address: Address,
    /// The author asked for the compact layout (embedded in prose).
    pub compact: bool,
}

impl ToolContext {
    /// An element id unique to this tool on the page: `cap-r` on the tool's own page,
    /// `ring-cap-r` for the tool embedded under the scope `ring`.
    pub fn id(&self, local: &str) -> String {
        match self.address.scope() {
            None => local.to_string(),
            Some(scope) => format!("{scope}-{local}"),
        }
    }
}

/// The running tool's context, for components deep in its view.
pub fn use_tool() -> ToolContext {
    use_context::<ToolContext>().expect("tool components are rendered inside kit::mount")
}

/// Clears the prerendered placeholder and mounts `view` into `section` with its context.
pub fn mount<V: IntoView + 'static>(section: HtmlElement, view: impl FnOnce(ToolContext) -> V + 'static) {
    if let Ok(Some(placeholder)) = section.query_selector(".viz__loading") {
        placeholder.remove();
    }
    let tool = ToolContext { address: Address::of_section(&section), compact: section.get_attribute("data-viz-layout").as_deref() == Some("compact"), section: section.clone() };
    // Tools live as long as the page, so the mounted view is kept rather than unmounted on drop.
    leptos::mount::mount_to(section, move || {
        provide_context(tool.clone());
        view(tool)
    })
    .forget();
}

/// `local` made unique to the tool being rendered (see [`ToolContext::id`]); unchanged outside one.
pub fn scoped_id(local: &str) -> String {
    use_context::<ToolContext>().map_or_else(|| local.to_string(), |tool| tool.id(local))
}
