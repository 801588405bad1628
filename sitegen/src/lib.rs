//! The content compiler: reads `content/`, validates it, and writes every route as a real,
//! prerendered HTML file, plus `catalogue.json`, `sitemap.xml` and `404.html`.

pub mod anki;
pub mod bundles;
pub mod csp;
pub mod diagrams;
pub mod embed;
pub mod error;
pub mod frontmatter;
pub mod highlight;
pub mod imports;
pub mod integrity;
pub mod links;
pub mod load;
pub mod long;
pub mod markdown;
pub mod minify;
pub mod model;
pub mod offline;
pub mod output;
pub mod patterns;
pub mod quizzes;
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
    /// Files other than pages, by path under the site: the question banks.
    pub files: Vec<(String, Vec<u8>)>,
    /// Questions by home (a module's slug, or "patterns") and kind, for the build's report.
    pub question_counts: Vec<(String, Vec<(&'static str, usize)>)>,
}

/// The site's public address, for links that leave it (the sitemap, the Anki cards):
/// `ATLAS_SITE_ORIGIN`, or the development server's.
pub fn site_origin() -> String {
    std::env::var("ATLAS_SITE_ORIGIN").unwrap_or_else(|_| "http://localhost:8080".to_string())
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
    let mut files: Vec<(String, Vec<u8>)> = render::quiz::banks(&site, &linker).into_iter().map(|(path, html)| (path, html.into_bytes())).collect();
    let main_css = content_dir.parent().map(|root| root.join("style").join("main.css")).and_then(|path| std::fs::read_to_string(path).ok()).unwrap_or_default();
    match anki::write_decks(&site, &linker, &main_css, &site_origin(), Path::new("quiz/decks")) {
        Ok(decks) => files.extend(decks),
        Err(error) => return Err(error::ContentError::new(content_dir, 0, format!("the Anki decks: {error}")).into()),
    }
    let question_counts = question_counts(&site);
    Ok(Build { pages, catalogue, words, patterns: site.patterns.len(), diagrams: site.diagrams.len(), examples, references, files, question_counts })
}

/// Each module quiz's questions by kind, then the pattern pages' (all single choice).
fn question_counts(site: &model::Site) -> Vec<(String, Vec<(&'static str, usize)>)> {
    use atlas_components::learn::question::Kind;
    let by_kind = |questions: &[quizzes::QuizQuestion]| Kind::ALL.iter().map(|kind| (kind.key(), questions.iter().filter(|question| question.kind == *kind).count())).collect();
    let mut counts: Vec<(String, Vec<(&'static str, usize)>)> = site.quizzes.iter().map(|quiz| (quiz.module.clone(), by_kind(&quiz.questions))).collect();
    let patterns: Vec<quizzes::QuizQuestion> = site.patterns.iter().flat_map(quizzes::pattern_questions).collect();
    counts.push(("patterns".to_string(), by_kind(&patterns)));
    counts
}
