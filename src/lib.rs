//! The visualizers: each tool's Leptos view over its model (`components/src/viz/`), and the harness
//! they share (clock, timeline, controls, URL state). A tool's bundle (`src/bin/viz-<slug>.rs`)
//! is the core islands (`islands/`) plus one tool.

mod harness;
pub mod visualizers;

pub(crate) use atlas_islands::dom;

/// Starts the islands and mounts the page's tool with `mount_visualizer`.
pub fn start(mount_visualizer: fn(web_sys::HtmlElement)) {
    atlas_islands::start_with_tools(mount_visualizer);
}
