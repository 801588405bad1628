//! Loads `content/visualizers/*.md`: the words around each interactive tool. The tool itself is
//! an island the app mounts by slug.

use crate::error::{ContentError, ContentErrors};
use crate::frontmatter::Document;
use crate::links::Linker;
use crate::markdown::{render_body, Rendered};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VisualizerFront {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The slug of the module it belongs to.
    pub module: String,
    /// IDs of the patterns it demonstrates.
    pub patterns: Vec<String>,
    /// Keyboard and control hints shown above the tool.
    pub controls: String,
    /// Where the page's dated figures were checked; shown at its foot.
    #[serde(default)]
    pub sources: Vec<crate::patterns::SourceFront>,
}

#[derive(Debug, Clone)]
pub struct Visualizer {
    pub front: VisualizerFront,
    pub body: Rendered,
    /// The tool's first frame at its defaults, shown until the app mounts.
    pub poster: String,
}

impl Visualizer {
    pub fn route(&self) -> String {
        format!("/visualizers/{}", self.front.slug)
    }
}

pub fn build_visualizer(
    doc: &Document,
    front: VisualizerFront,
    modules: &[String],
    pattern_ids: &BTreeMap<String, String>,
    linker: &Linker,
    errors: &mut ContentErrors,
) -> Visualizer {
    if !crate::load::is_slug(&front.slug) {
        errors.push(ContentError::new(doc.path, doc.line_of_key("slug"), "slug must be lowercase words joined by `-`"));
    }
    if !modules.contains(&front.module) {
        errors.push(ContentError::new(doc.path, doc.line_of_key("module"), format!("unknown module `{}`", front.module)));
    }
    for id in &front.patterns {
        if !pattern_ids.contains_key(id) {
            errors.push(ContentError::new(doc.path, doc.line_of_key("patterns"), format!("unknown pattern `{id}`")));
        }
    }
    crate::patterns::check_sources(doc, &front.sources, errors);
    let body = render_body(doc, linker, errors);
    if body.words < 150 {
        errors.push(ContentError::new(doc.path, doc.body_line(0), format!("the explanation has {} words; it needs at least 150", body.words)));
    }
    let poster = crate::embed::poster_of(&front.slug, "").unwrap_or_else(|message| {
        errors.push(ContentError::new(doc.path, doc.line_of_key("slug"), message));
        String::new()
    });
    Visualizer { front, body, poster }
}
