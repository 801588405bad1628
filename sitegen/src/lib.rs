//! The content compiler: reads `content/`, validates it, and writes every route as a real,
//! prerendered HTML file, plus `catalogue.json`, `sitemap.xml` and `404.html`.

pub mod bundles;
pub mod csp;
pub mod diagrams;
pub mod embed;
pub mod error;
pub mod frontmatter;
pub mod highlight;
pub mod imports;
pub mod links;
pub mod load;
pub mod long;
pub mod markdown;
pub mod minify;
pub mod model;
pub mod offline;
pub mod output;
pub mod patterns;
pub mod render;
pub mod visualizers;

use error::ContentErrors;
use links::Linker;
use model::CatalogueEntry;
use render::{RenderedPage, Shell};
use std::path::Path;

/// The compiled site, ready to be written.
pub struct Build {
    pub pages: Vec<RenderedPage>,
    pub catalogue: Vec<CatalogueEntry>,
    pub words: usize,
    pub patterns: usize,
    pub diagrams: usize,
    /// Pattern examples (each names its source, or the build fails).
    pub examples: usize,
    /// Each reference document's slug, words, diagrams and sources, for the build's report.
    pub references: Vec<(String, usize, usize, usize)>,
}

/// Loads, validates and renders the content for a site published under `base`.
pub fn compile(content_dir: &Path, shell: &Shell, base: &str) -> Result<Build, ContentErrors> {
    let site = load::load_site(content_dir, base)?;
    let linker = Linker::new(site.routes.clone(), base);
    let (pages, catalogue) = render::render_all(&site, shell, &linker);
    let long_pages = site.cases.iter().map(|case| &case.page).chain(site.problems.iter().map(|problem| &problem.page)).chain(site.references.iter().map(|reference| &reference.page));
    let words = site.modules.iter().map(|module| module.intro.words).sum::<usize>()
        + site.pages.iter().map(|page| page.body.words).sum::<usize>()
        + site.patterns.iter().map(|pattern| pattern.body.words).sum::<usize>()
        + long_pages.map(|page| page.body.words).sum::<usize>()
        + site.cheatsheets.iter().map(|sheet| sheet.body.words).sum::<usize>();
    let examples = site.patterns.iter().map(|pattern| pattern.examples.len()).sum();
    let references = site.references.iter().map(|reference| (reference.page.slug.clone(), reference.page.body.words, reference.diagrams, reference.page.sources.len())).collect();
    Ok(Build { pages, catalogue, words, patterns: site.patterns.len(), diagrams: site.diagrams.len(), examples, references })
}
