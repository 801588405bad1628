//! Case studies (`/case-studies/<slug>`) and interview problems (`/problems/<slug>`): long pages
//! written on a fixed template, so every one answers the same questions in the same order. The
//! build checks the template (its `##` sections, in order), that the page's diagram and tools
//! sit in the sections that promise them, and that every dated figure names its year and its
//! source. Cheat sheets (`/cheatsheets/<slug>`) are their opposite: one printed page, which
//! `scripts/cheatsheet-pdfs.mjs` prints in A4 and US Letter after the build and refuses if it
//! takes more than one. What each kind asks for is in content/README.md.

use crate::error::{ContentError, ContentErrors};
use crate::frontmatter::Document;
use crate::links::Linker;
use crate::markdown::{render_body, render_inline, Rendered};
use crate::patterns::{check_sources, is_date, url_problem, SourceFront};
use serde::Deserialize;
use std::collections::BTreeMap;

/// A case study's sections; the build adds "Important metrics" after the architecture and the
/// design challenge at the end, from the front matter.
pub const CASE_SECTIONS: [&str; 10] = [
    "Company overview",
    "The challenge",
    "Initial architecture",
    "The problem at scale",
    "The solution",
    "Key technologies",
    "Architecture",
    "Trade-offs",
    "Lessons learned",
    "Try it yourself",
];

/// A problem's sections. Everything from `PROBLEM_SOLUTION_FROM` on is the solution, hidden
/// until the reader opens it.
pub const PROBLEM_SECTIONS: [&str; 10] = [
    "The problem",
    "Clarifying questions",
    "Requirements",
    "Back-of-envelope estimation",
    "API",
    "Data model",
    "High-level design",
    "Deep dives",
    "Bottlenecks and scaling",
    "Follow-up questions",
];
pub const PROBLEM_SOLUTION_FROM: &str = "Back-of-envelope estimation";

/// The year a dated figure may carry at the latest: the build's own year would let a figure
/// from the future through, so it is fixed and raised with the content's review.
const LATEST_YEAR: u16 = 2026;
const MIN_WORDS: usize = 1200;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFront {
    pub slug: String,
    pub title: String,
    pub company: String,
    pub summary: String,
    pub reviewed: String,
    pub tags: Vec<String>,
    pub patterns: Vec<String>,
    pub modules: Vec<String>,
    pub diagram: String,
    pub matrix: Matrix,
    pub metrics: Vec<Metric>,
    pub sources: Vec<SourceFront>,
    pub challenge: Challenge,
}

/// One row of the comparison of every case study.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Matrix {
    pub scale: String,
    pub stores: String,
    pub consistency: String,
    pub signature: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Metric {
    pub label: String,
    pub value: String,
    pub year: u16,
    pub source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    pub question: String,
    pub hints: Vec<String>,
    pub answer: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProblemFront {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub reviewed: String,
    pub difficulty: String,
    pub tags: Vec<String>,
    pub patterns: Vec<String>,
    pub modules: Vec<String>,
    pub diagram: String,
    pub plan: Vec<PlanBlock>,
    pub sources: Vec<SourceFront>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanBlock {
    pub minutes: u32,
    pub focus: String,
}

/// What case studies and problems share, checked and rendered.
#[derive(Debug, Clone)]
pub struct LongPage {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub reviewed: String,
    pub tags: Vec<String>,
    /// The patterns and modules it relies on, as (title, route).
    pub reading: Vec<(String, String)>,
    pub sources: Vec<SourceFront>,
    pub body: Rendered,
}

#[derive(Debug, Clone)]
pub struct CaseStudy {
    pub page: LongPage,
    pub company: String,
    pub matrix: Matrix,
    pub metrics: Vec<Metric>,
    /// The challenge's question, hints and answer, rendered.
    pub question: String,
    pub hints: Vec<String>,
    pub answer: String,
}

impl CaseStudy {
    pub fn route(&self) -> String {
        format!("/case-studies/{}", self.page.slug)
    }
}

#[derive(Debug, Clone)]
pub struct Problem {
    pub page: LongPage,
    pub difficulty: String,
    pub plan: Vec<PlanBlock>,
}

impl Problem {
    pub fn route(&self) -> String {
        format!("/problems/{}", self.page.slug)
    }
}

/// What the checks need to know of the rest of the site: pattern IDs with their titles and
/// slugs, module slugs with their titles.
pub struct Known<'a> {
    pub patterns: &'a BTreeMap<String, (String, String)>,
    pub modules: &'a BTreeMap<String, String>,
}

/// The fields every long page has, checked the same way.
struct Common<'a> {
    limits: Limits,
    slug: &'a str,
    title: &'a str,
    summary: &'a str,
    reviewed: &'a str,
    tags: &'a [String],
    patterns: &'a [String],
    modules: &'a [String],
    sources: &'a [SourceFront],
}

/// The shared fields of a long page's front matter (every kind names them alike), with the
/// kind's limits.
macro_rules! common {
    ($front:expr, $limits:expr) => {
        Common {
            limits: $limits,
            slug: &$front.slug,
            title: &$front.title,
            summary: &$front.summary,
            reviewed: &$front.reviewed,
            tags: &$front.tags,
            patterns: &$front.patterns,
            modules: &$front.modules,
            sources: &$front.sources,
        }
    };
}

/// How many patterns, tags and words a kind of long page takes.
struct Limits {
    patterns: std::ops::RangeInclusive<usize>,
    tags: std::ops::RangeInclusive<usize>,
    words: std::ops::RangeInclusive<usize>,
}

/// Case studies and problems: a page a reader finishes in one sitting.
const LONG_PAGE: Limits = Limits { patterns: 2..=8, tags: 3..=10, words: MIN_WORDS..=usize::MAX };

/// The fields every long page and cheat sheet has: a slug, a title, a one-sentence summary, the
/// review date and its tags (3 to 10, or the kind's own range).
fn check_basics(doc: &Document, slug: &str, title: &str, summary: &str, reviewed: &str, tags: &[String], errors: &mut ContentErrors) {
    check_basics_with(doc, slug, title, summary, reviewed, tags, 3..=10, errors);
}

#[allow(clippy::too_many_arguments)]
fn check_basics_with(doc: &Document, slug: &str, title: &str, summary: &str, reviewed: &str, tags: &[String], tag_range: std::ops::RangeInclusive<usize>, errors: &mut ContentErrors) {
    let mut fail = |key: &str, message: String| errors.push(ContentError::new(doc.path, doc.line_of_key(key), message));
    if !crate::load::is_slug(slug) {
        fail("slug", "slug must be lowercase words joined by `-`".into());
    }
    if title.trim().is_empty() {
        fail("title", "title must not be empty".into());
    }
    if summary.trim().is_empty() || summary.chars().count() > 200 {
        fail("summary", format!("summary must be one sentence of at most 200 characters (it has {})", summary.chars().count()));
    }
    if !is_date(reviewed) {
        fail("reviewed", format!("reviewed `{reviewed}` must be a date, YYYY-MM-DD"));
    }
    if !tag_range.contains(&tags.len()) {
        fail("tags", format!("{} to {} tags, not {}", tag_range.start(), tag_range.end(), tags.len()));
    }
}

fn build_common(doc: &Document, common: Common, sections: &[&str], known: &Known, linker: &Linker, errors: &mut ContentErrors) -> LongPage {
    let limits = &common.limits;
    check_basics_with(doc, common.slug, common.title, common.summary, common.reviewed, common.tags, limits.tags.clone(), errors);
    let mut fail = |key: &str, message: String| errors.push(ContentError::new(doc.path, doc.line_of_key(key), message));
    if !limits.patterns.contains(&common.patterns.len()) {
        fail("patterns", format!("{} to {} patterns the page relies on, not {}", limits.patterns.start(), limits.patterns.end(), common.patterns.len()));
    }
    if !(1..=3).contains(&common.modules.len()) {
        fail("modules", format!("1 to 3 modules, not {}", common.modules.len()));
    }
    if common.sources.is_empty() {
        fail("slug", "the page lists the primary sources behind its figures: add a `[[sources]]` list (url, title, checked)".into());
    }
    let mut reading = Vec::new();
    for id in common.patterns {
        match known.patterns.get(id) {
            Some((title, slug)) => reading.push((title.clone(), format!("/patterns/{slug}"))),
            None => fail("patterns", format!("no pattern `{id}`")),
        }
    }
    for slug in common.modules {
        match known.modules.get(slug) {
            Some(title) => reading.push((title.clone(), format!("/modules/{slug}"))),
            None => fail("modules", format!("no module `{slug}`")),
        }
    }
    check_sources(doc, common.sources, errors);
    let body = render_body(doc, linker, errors);
    let found: Vec<&str> = body.headings.iter().filter(|heading| heading.level == 2).map(|heading| heading.text.as_str()).collect();
    if found != sections {
        errors.push(ContentError::new(doc.path, doc.body_line(0), format!("the `##` sections must be exactly, in order: {}; found: {}", sections.join(", "), found.join(", "))));
    }
    if !limits.words.contains(&body.words) {
        let most = if *limits.words.end() == usize::MAX { String::new() } else { format!(" and at most {}", limits.words.end()) };
        errors.push(ContentError::new(doc.path, doc.body_line(0), format!("the page has {} words; it needs at least {}{most}", body.words, limits.words.start())));
    }
    LongPage {
        slug: common.slug.to_string(),
        title: common.title.to_string(),
        summary: common.summary.to_string(),
        reviewed: common.reviewed.to_string(),
        tags: common.tags.to_vec(),
        reading,
        sources: common.sources.to_vec(),
        body,
    }
}

/// The HTML of the `##` section titled `title`, up to the next `##`, if the body has it.
pub fn section<'a>(body: &'a Rendered, title: &str) -> Option<&'a str> {
    let heading = body.headings.iter().find(|heading| heading.level == 2 && heading.text == title)?;
    let start = body.html.find(&format!(r#"<h2 id="{}">"#, heading.id))?;
    let rest = &body.html[start + 4..];
    Some(&body.html[start..start + 4 + rest.find(r#"<h2 id=""#).unwrap_or(rest.len())])
}

/// The body split where `title`'s section starts: what comes before it, and it with the rest.
pub fn split_at<'a>(body: &'a Rendered, title: &str) -> (&'a str, &'a str) {
    let at = body.headings.iter().find(|heading| heading.level == 2 && heading.text == title).and_then(|heading| body.html.find(&format!(r#"<h2 id="{}">"#, heading.id)));
    body.html.split_at(at.unwrap_or(body.html.len()))
}

/// Reports a section that does not show what the template promises there.
fn require_in_section(doc: &Document, body: &Rendered, title: &str, marker: &str, what: &str, errors: &mut ContentErrors) {
    if section(body, title).is_some_and(|html| !html.contains(marker)) {
        errors.push(ContentError::new(doc.path, doc.body_line(0), format!("section `## {title}` must show {what}")));
    }
}

pub fn build_case(doc: &Document, front: CaseFront, known: &Known, linker: &Linker, errors: &mut ContentErrors) -> CaseStudy {
    let common = common!(front, LONG_PAGE);
    let page = build_common(doc, common, &CASE_SECTIONS, known, linker, errors);
    let mut fail = |key: &str, message: String| errors.push(ContentError::new(doc.path, doc.line_of_key(key), message));
    if front.company.trim().is_empty() {
        fail("company", "company must not be empty".into());
    }
    for (name, value) in [("scale", &front.matrix.scale), ("stores", &front.matrix.stores), ("consistency", &front.matrix.consistency), ("signature", &front.matrix.signature)] {
        if value.trim().is_empty() || value.chars().count() > 70 {
            fail("[matrix]", format!("matrix `{name}` must be a few words (at most 70 characters)"));
        }
    }
    if !(4..=8).contains(&front.metrics.len()) {
        fail("[[metrics]]", format!("4 to 8 metrics, not {}", front.metrics.len()));
    }
    for (index, metric) in front.metrics.iter().enumerate() {
        let line = doc.line_of_text("[[metrics]]", index);
        if metric.label.trim().is_empty() || metric.value.trim().is_empty() {
            errors.push(ContentError::new(doc.path, line, format!("metric {}: needs a label and a value", index + 1)));
        }
        if !(1990..=LATEST_YEAR).contains(&metric.year) {
            errors.push(ContentError::new(doc.path, line, format!("metric {}: year {} must be the year the figure was true, 1990 to {LATEST_YEAR}", index + 1, metric.year)));
        }
        if let Some(problem) = url_problem(&metric.source) {
            errors.push(ContentError::new(doc.path, line, format!("metric {}: its source {problem}", index + 1)));
        }
    }
    let mut fail = |key: &str, message: String| errors.push(ContentError::new(doc.path, doc.line_of_key(key), message));
    if front.challenge.question.trim().is_empty() {
        fail("question", "the design challenge needs its question".into());
    }
    if !(2..=4).contains(&front.challenge.hints.len()) {
        fail("hints", format!("2 to 4 hints, not {}", front.challenge.hints.len()));
    }
    if front.challenge.answer.split_whitespace().count() < 150 {
        fail("answer", "the worked answer needs at least 150 words".into());
    }
    check_diagram(doc, &page.body, &front.diagram, "Architecture", linker, 2, errors);
    require_in_section(doc, &page.body, "Try it yourself", r#"data-island="viz""#, "at least one live tool (a ```viz block)", errors);
    let line = doc.line_of_key("answer");
    let question = render_inline(&front.challenge.question, doc, doc.line_of_key("question"), linker, errors);
    let hints = front.challenge.hints.iter().map(|hint| render_inline(hint, doc, doc.line_of_key("hints"), linker, errors)).collect();
    let answer = render_inline(&front.challenge.answer, doc, line, linker, errors);
    CaseStudy { page, company: front.company, matrix: front.matrix, metrics: front.metrics, question, hints, answer }
}

pub fn build_problem(doc: &Document, front: ProblemFront, known: &Known, linker: &Linker, errors: &mut ContentErrors) -> Problem {
    let common = common!(front, LONG_PAGE);
    let page = build_common(doc, common, &PROBLEM_SECTIONS, known, linker, errors);
    let mut fail = |key: &str, message: String| errors.push(ContentError::new(doc.path, doc.line_of_key(key), message));
    if !matches!(front.difficulty.as_str(), "easy" | "medium" | "hard") {
        fail("difficulty", format!("difficulty `{}` must be easy, medium or hard", front.difficulty));
    }
    let minutes: u32 = front.plan.iter().map(|block| block.minutes).sum();
    if !(4..=8).contains(&front.plan.len()) || minutes != 45 || front.plan.iter().any(|block| block.minutes == 0 || block.focus.trim().is_empty()) {
        fail("[[plan]]", format!("the interview plan is 4 to 8 blocks of whole minutes, each with its focus, adding up to 45 (it has {} blocks, {minutes} minutes)", front.plan.len()));
    }
    check_diagram(doc, &page.body, &front.diagram, "High-level design", linker, 2, errors);
    require_in_section(doc, &page.body, "Back-of-envelope estimation", r#"data-viz="capacity-planner""#, "the estimate in the capacity planner (a ```viz block with tool = \"capacity-planner\")", errors);
    Problem { page, difficulty: front.difficulty, plan: front.plan }
}

/// The page's diagram exists, walks through at least `steps` steps, and is shown (with a
/// ```diagram block) in the section `title`.
fn check_diagram(doc: &Document, body: &Rendered, name: &str, title: &str, linker: &Linker, steps: usize, errors: &mut ContentErrors) {
    match linker.diagram(name) {
        None => errors.push(ContentError::new(doc.path, doc.line_of_key("diagram"), format!("no diagram `content/diagrams/{name}.toml` (or it failed its lint)"))),
        Some(diagram) if diagram.steps.len() < steps => {
            errors.push(ContentError::new(doc.path, doc.line_of_key("diagram"), format!("the diagram `{name}` must walk through at least {steps} steps")));
        }
        Some(_) => require_in_section(doc, body, title, &format!(r#"data-diagram="{name}""#), &format!("the page's diagram (a ```diagram block, name = \"{name}\")"), errors),
    }
}

/// A reference document's eight written parts; the build adds the ninth, "References", from its
/// `[[sources]]`.
pub const REFERENCE_SECTIONS: [&str; 8] = [
    "Overview",
    "Core concepts",
    "Architecture patterns",
    "Trade-offs and considerations",
    "AWS implementation",
    "Use cases",
    "Best practices",
    "Common pitfalls",
];

/// A reference document: the whole of a subject, so longer than any other page, but not without
/// bound (the text is the page's weight: 18,000 words are about 40 KB gzipped).
const REFERENCE: Limits = Limits { patterns: 3..=12, tags: 4..=12, words: 12_000..=18_000 };
const REFERENCE_MIN_DIAGRAMS: usize = 4;
const REFERENCE_MIN_SOURCES: usize = 10;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceFront {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub reviewed: String,
    pub tags: Vec<String>,
    pub patterns: Vec<String>,
    pub modules: Vec<String>,
    #[serde(default)]
    pub covers: Vec<Cover>,
    pub sources: Vec<SourceFront>,
}

/// A module topic a reference document explains, and the section that does.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Cover {
    pub module: String,
    pub topic: String,
    pub anchor: String,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub page: LongPage,
    pub covers: Vec<Cover>,
    /// How many diagrams the text shows, for the build's report.
    pub diagrams: usize,
}

impl Reference {
    pub fn route(&self) -> String {
        format!("/reference/{}", self.page.slug)
    }
}

pub fn build_reference(doc: &Document, front: ReferenceFront, known: &Known, linker: &Linker, errors: &mut ContentErrors) -> Reference {
    let common = common!(front, REFERENCE);
    let page = build_common(doc, common, &REFERENCE_SECTIONS, known, linker, errors);
    let mut fail = |key: &str, message: String| errors.push(ContentError::new(doc.path, doc.line_of_key(key), message));
    if front.sources.len() < REFERENCE_MIN_SOURCES {
        fail("[[sources]]", format!("a reference document rests on at least {REFERENCE_MIN_SOURCES} primary sources, not {}", front.sources.len()));
    }
    let mut diagrams: Vec<&str> = page.body.html.split(r#" data-diagram=""#).skip(1).filter_map(|rest| rest.split('"').next()).collect();
    diagrams.sort_unstable();
    diagrams.dedup();
    if diagrams.len() < REFERENCE_MIN_DIAGRAMS {
        errors.push(ContentError::new(doc.path, doc.body_line(0), format!("a reference document shows at least {REFERENCE_MIN_DIAGRAMS} diagrams (```diagram blocks), not {}", diagrams.len())));
    }
    // A decision framework: a decision table, or a decision tree drawn as a `tree` diagram.
    let decides = section(&page.body, "Trade-offs and considerations").is_some_and(|html| html.contains("<table") || html.contains("diagram diagram--tree"));
    if !decides {
        errors.push(ContentError::new(doc.path, doc.body_line(0), "section `## Trade-offs and considerations` must give a decision framework: a decision table, or a `tree` diagram".to_string()));
    }
    let mut tools: Vec<&str> = page.body.embeds.iter().map(|embed| embed.tool.slug).collect();
    tools.sort_unstable();
    tools.dedup();
    if tools.len() > 1 {
        errors.push(ContentError::new(doc.path, doc.body_line(0), format!("a reference document embeds one tool (in as many places as it likes), not {}: {}", tools.len(), tools.join(", "))));
    }
    for (index, cover) in front.covers.iter().enumerate() {
        if !page.body.headings.iter().any(|heading| heading.id == cover.anchor) {
            let line = doc.line_of_text("[[covers]]", index);
            errors.push(ContentError::new(doc.path, line, format!("covers `{}`: no heading with the id `{}` in the text", cover.topic, cover.anchor)));
        }
    }
    Reference { diagrams: diagrams.len(), page, covers: front.covers }
}

/// A cheat sheet's words: about what fits one printed page at the print stylesheet's size; the
/// printing itself is the real check.
const CHEAT_MAX_WORDS: usize = 700;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheatFront {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub reviewed: String,
    pub tags: Vec<String>,
    pub related: Vec<String>,
    pub sources: Vec<SourceFront>,
}

#[derive(Debug, Clone)]
pub struct Cheatsheet {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub reviewed: String,
    pub tags: Vec<String>,
    /// Where to go deeper: routes of pages that exist.
    pub related: Vec<String>,
    pub sources: Vec<SourceFront>,
    pub body: Rendered,
}

impl Cheatsheet {
    pub fn route(&self) -> String {
        format!("/cheatsheets/{}", self.slug)
    }

    /// The printed sheet's file name in `size` (`a4` or `letter`), beside the page.
    pub fn pdf_name(&self, size: &str) -> String {
        format!("{}-{size}.pdf", self.slug)
    }
}

pub fn build_cheatsheet(doc: &Document, front: CheatFront, linker: &Linker, errors: &mut ContentErrors) -> Cheatsheet {
    check_basics(doc, &front.slug, &front.title, &front.summary, &front.reviewed, &front.tags, errors);
    let mut fail = |key: &str, message: String| errors.push(ContentError::new(doc.path, doc.line_of_key(key), message));
    if !(1..=6).contains(&front.related.len()) {
        fail("related", format!("1 to 6 related pages, not {}", front.related.len()));
    }
    if front.sources.is_empty() {
        fail("slug", "the sheet lists the primary sources behind its figures: add a `[[sources]]` list (url, title, checked)".into());
    }
    for route in &front.related {
        if let Err(message) = linker.resolve(route) {
            fail("related", message);
        }
    }
    let related = front.related.iter().map(|route| crate::links::normalize(route)).collect();
    check_sources(doc, &front.sources, errors);
    let body = render_body(doc, linker, errors);
    let sections = body.headings.iter().filter(|heading| heading.level == 2).count();
    if !(2..=6).contains(&sections) {
        errors.push(ContentError::new(doc.path, doc.body_line(0), format!("a cheat sheet has 2 to 6 `##` sections, not {sections}")));
    }
    if body.words > CHEAT_MAX_WORDS {
        errors.push(ContentError::new(doc.path, doc.body_line(0), format!("{} words will not fit one printed page; keep to {CHEAT_MAX_WORDS}", body.words)));
    }
    if !body.embeds.is_empty() {
        errors.push(ContentError::new(doc.path, doc.body_line(0), "a cheat sheet is printed: link a tool instead of embedding it"));
    }
    Cheatsheet { slug: front.slug, title: front.title, summary: front.summary, reviewed: front.reviewed, tags: front.tags, related, sources: front.sources, body }
}
