//! HTML for every page: one shared layout and one function per page kind.

mod diagram;
mod layout;
mod long;
mod pages;
mod pattern;
pub mod quiz;
mod visualizer;

pub use diagram::figure as diagram_figure;
pub use layout::{Bundle, Shell, ShellError, SITE_NAME};
pub use pages::render_all;

use maud::{html, Markup};

/// The breadcrumb trail above a page's title: the parents as links, then the page itself.
pub fn breadcrumbs(parents: &[(&str, String)], current: &str) -> Markup {
    html! {
        nav class="breadcrumbs" aria-label="Breadcrumb" {
            ol {
                @for (label, url) in parents { li { a href=(url) { (label) } } }
                li { span aria-current="page" { (current) } }
            }
        }
    }
}

/// The section of the site a page belongs to, for the navigation's current item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Modules,
    Patterns,
    Visualizers,
    Quiz,
}

/// A finished page, ready to be written to `<route>/index.html`.
pub struct RenderedPage {
    /// `/modules/networking`; empty for the not-found page, which is written to `404.html`.
    pub route: String,
    pub html: String,
    /// The WebAssembly it loads (what `atlas-sitegen bundles` plans the release bundles from).
    pub bundle: layout::Bundle,
}

/// What the layout needs to know about a page besides its main content.
pub struct PageMeta<'a> {
    pub route: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Tells the app which islands to mount (`home`, `module`, …).
    pub kind: &'static str,
    pub section: Option<Section>,
    /// The WebAssembly the page loads.
    pub bundle: layout::Bundle,
    pub main: Markup,
}

/// A page's sources at its foot: each a link, with the day it was read.
pub fn sources(sources: &[crate::patterns::SourceFront]) -> Markup {
    sources_titled(sources, "sources", "Sources")
}

/// The same list under another heading (a reference document's ninth part is its "References").
pub fn sources_titled(sources: &[crate::patterns::SourceFront], id: &str, title: &str) -> Markup {
    html! {
        @if !sources.is_empty() {
            section aria-labelledby=(id) {
                h2 id=(id) { (title) }
                ol class="sources" {
                    @for source in sources {
                        li { a href=(source.url) { (source.title) } " " span class="muted" { "(checked " time datetime=(source.checked) { (source.checked) } ")" } }
                    }
                }
            }
        }
    }
}
