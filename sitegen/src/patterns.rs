//! Loads `content/patterns/*.md`: front matter checked field by field, body checked for its
//! sections and length, diagram and related patterns resolved.

use crate::error::{ContentError, ContentErrors};
use crate::frontmatter::Document;
use crate::links::Linker;
use crate::markdown::{render_body, render_inline, Rendered};
use atlas_components::diagram::RenderedDiagram;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// In the catalogue's order. The seed's second and third phases add the last twelve; a category
/// with no page yet is left out of the catalogue, so none is ever shown empty.
pub const CATEGORIES: [&str; 23] = [
    "Caching",
    "Kubernetes",
    "Networking",
    "Security",
    "Databases",
    "Microservices",
    "Cloud",
    "Case studies",
    "Application design",
    "Data engineering",
    "Search & AI",
    "Linux & OS",
    "API design",
    "Real-time",
    "DevOps",
    "Performance",
    "Architecture",
    "Messaging",
    "Payments",
    "Developer resources",
    "Roadmaps",
    "Programming",
    "Web",
];

/// The explanation's sections, in the order a reader needs them.
pub const REQUIRED_SECTIONS: [&str; 5] = ["The problem", "How it works", "Trade-offs", "When to use it", "When not to use it"];
pub const MIN_WORDS: usize = 350;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PatternFront {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub diagram: String,
    pub related: Vec<String>,
    #[serde(default)]
    pub visualizers: Vec<String>,
    pub reviewed: String,
    pub use_cases: Vec<String>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub mistakes: Vec<String>,
    pub interview_questions: Vec<String>,
    pub examples: Vec<ExampleFront>,
    pub quiz: Vec<QuizFront>,
    /// Where the page's dated figures were checked (see `SourceFront`); shown at its foot.
    #[serde(default)]
    pub sources: Vec<SourceFront>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleFront {
    pub company: String,
    pub what: String,
    pub year: u16,
    /// The primary source the example was checked against (the company's own post, the
    /// paper, the RFC, the docs), an `https://` URL.
    #[serde(default)]
    pub source: Option<String>,
}

/// A source a page's figures were checked against: its address, its title, and the day it was
/// read (`YYYY-MM-DD`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFront {
    pub url: String,
    pub title: String,
    pub checked: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuizFront {
    pub question: String,
    pub options: Vec<String>,
    pub answer: String,
    pub explanation: String,
    /// `beginner`, `intermediate` or `advanced`.
    pub difficulty: String,
}

#[derive(Debug, Clone)]
pub struct Pattern {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub category: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub diagram: RenderedDiagram,
    pub related: Vec<String>,
    /// Visualizers that exist, as (route, URL).
    pub visualizers: Vec<String>,
    /// The first published tool among its visualizers, shown beside the diagram.
    pub tool: Option<crate::embed::Embed>,
    pub reviewed: String,
    pub use_cases: Vec<String>,
    pub pros: Vec<String>,
    pub cons: Vec<String>,
    pub mistakes: Vec<String>,
    pub interview_questions: Vec<String>,
    pub examples: Vec<Example>,
    pub quiz: Vec<Question>,
    pub sources: Vec<SourceFront>,
    pub body: Rendered,
    pub source: PathBuf,
}

impl Pattern {
    pub fn route(&self) -> String {
        format!("/patterns/{}", self.slug)
    }
}

#[derive(Debug, Clone)]
pub struct Example {
    pub company: String,
    pub what: String,
    pub year: u16,
    pub source: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub question: String,
    pub options: Vec<String>,
    pub answer: usize,
    pub explanation: String,
    pub difficulty: atlas_components::learn::question::Difficulty,
}

/// Checks the parts of the front matter that need no other file.
pub fn check_front(doc: &Document, front: &PatternFront, errors: &mut ContentErrors) {
    let mut fail = |key: &str, message: String| errors.push(ContentError::new(doc.path, doc.line_of_key(key), message));
    if !is_pattern_id(&front.id) {
        fail("id", format!("id `{}` must look like CACHE-001", front.id));
    }
    if !crate::load::is_slug(&front.slug) {
        fail("slug", "slug must be lowercase words joined by `-`".into());
    }
    if front.title.trim().is_empty() {
        fail("title", "title must not be empty".into());
    }
    if !CATEGORIES.contains(&front.category.as_str()) {
        fail("category", format!("unknown category `{}`: expected one of {}", front.category, CATEGORIES.join(", ")));
    }
    if front.summary.trim().is_empty() || front.summary.chars().count() > 200 {
        fail("summary", "summary must be one sentence of at most 200 characters".into());
    }
    if !is_date(&front.reviewed) {
        fail("reviewed", format!("reviewed `{}` must be a date, YYYY-MM-DD", front.reviewed));
    }
    let counts: [(&str, usize, usize, usize); 9] = [
        ("tags", front.tags.len(), 3, 10),
        ("related", front.related.len(), 2, 6),
        ("use_cases", front.use_cases.len(), 3, 6),
        ("pros", front.pros.len(), 3, 6),
        ("cons", front.cons.len(), 3, 6),
        ("mistakes", front.mistakes.len(), 3, 6),
        ("interview_questions", front.interview_questions.len(), 3, 6),
        ("examples", front.examples.len(), 2, 5),
        ("quiz", front.quiz.len(), 2, 3),
    ];
    for (key, count, min, max) in counts {
        if !(min..=max).contains(&count) {
            let line = if matches!(key, "examples" | "quiz") { doc.line_of_text(&format!("[[{key}]]"), 0) } else { doc.line_of_key(key) };
            errors.push(ContentError::new(doc.path, line, format!("`{key}` needs {min} to {max} entries, found {count}")));
        }
    }
    for (index, question) in front.quiz.iter().enumerate() {
        let line = doc.line_of_text("[[quiz]]", index);
        if !(3..=4).contains(&question.options.len()) {
            errors.push(ContentError::new(doc.path, line, format!("quiz question {} needs 3 or 4 options", index + 1)));
        }
        let matches = question.options.iter().filter(|option| **option == question.answer).count();
        if matches != 1 {
            errors.push(ContentError::new(
                doc.path,
                line,
                format!("quiz question {}: the answer `{}` is not exactly one of its options", index + 1, question.answer),
            ));
        }
        if atlas_components::learn::question::Difficulty::from_key(&question.difficulty).is_none() {
            errors.push(ContentError::new(doc.path, line, format!("quiz question {}: `difficulty` is beginner, intermediate or advanced, not `{}`", index + 1, question.difficulty)));
        }
        if question.explanation.trim().is_empty() {
            errors.push(ContentError::new(doc.path, line, format!("quiz question {} needs an explanation", index + 1)));
        }
    }
    for (index, example) in front.examples.iter().enumerate() {
        if !(1960..=2030).contains(&example.year) || example.company.trim().is_empty() {
            errors.push(ContentError::new(doc.path, doc.line_of_text("[[examples]]", index), "an example needs a company and a plausible year"));
        }
        match example.source.as_deref() {
            None => errors.push(ContentError::new(
                doc.path,
                doc.line_of_text("[[examples]]", index),
                format!("the {} example needs `source = \"https://…\"`: the primary source it was checked against (the company's own post, the paper, the RFC, the docs)", example.company),
            )),
            Some(source) => {
                if let Some(problem) = url_problem(source) {
                    errors.push(ContentError::new(doc.path, doc.line_of_text("[[examples]]", index), format!("the example's source {problem}")));
                }
            }
        }
    }
    if front.sources.is_empty() {
        errors.push(ContentError::new(doc.path, doc.line_of_key("reviewed"), "a pattern lists the primary sources behind its dated figures: add a `[[sources]]` list (url, title, checked)"));
    }
    check_sources(doc, &front.sources, errors);
}

/// Checks a page's `[[sources]]` list (patterns, modules and visualizer pages have one): each is
/// an address a reader can follow, with a title and the date it was read.
pub fn check_sources(doc: &Document, sources: &[SourceFront], errors: &mut ContentErrors) {
    for (index, source) in sources.iter().enumerate() {
        let line = doc.line_of_text("[[sources]]", index);
        if let Some(problem) = url_problem(&source.url) {
            errors.push(ContentError::new(doc.path, line, format!("source {}: its url {problem}", index + 1)));
        }
        if source.title.trim().is_empty() {
            errors.push(ContentError::new(doc.path, line, format!("source {}: needs a title", index + 1)));
        }
        if !is_date(&source.checked) {
            errors.push(ContentError::new(doc.path, line, format!("source {}: checked `{}` must be the date it was read, YYYY-MM-DD", index + 1, source.checked)));
        }
    }
}

/// Renders a pattern whose routes and diagram are known.
pub fn build_pattern(
    doc: &Document,
    front: PatternFront,
    diagrams: &BTreeMap<String, RenderedDiagram>,
    ids: &BTreeMap<String, String>,
    linker: &Linker,
    errors: &mut ContentErrors,
) -> Option<Pattern> {
    let diagram = match diagrams.get(&front.diagram) {
        Some(diagram) => diagram.clone(),
        None => {
            errors.push(ContentError::new(doc.path, doc.line_of_key("diagram"), format!("no diagram `content/diagrams/{}.toml` (or it failed its lint)", front.diagram)));
            return None;
        }
    };
    for related in &front.related {
        if !ids.contains_key(related) {
            errors.push(ContentError::new(doc.path, doc.line_of_key("related"), format!("related pattern `{related}` does not exist (yet)")));
        } else if *related == front.id {
            errors.push(ContentError::new(doc.path, doc.line_of_key("related"), "a pattern cannot be related to itself"));
        }
    }
    let body = render_body(doc, linker, errors);
    check_sections(doc, &body, errors);
    let list = |key: &str, items: &[String], errors: &mut ContentErrors| -> Vec<String> {
        let line = doc.line_of_key(key);
        items.iter().map(|item| render_inline(item, doc, line, linker, errors)).collect()
    };
    let use_cases = list("use_cases", &front.use_cases, errors);
    let pros = list("pros", &front.pros, errors);
    let cons = list("cons", &front.cons, errors);
    let mistakes = list("mistakes", &front.mistakes, errors);
    let interview_questions = list("interview_questions", &front.interview_questions, errors);
    let examples = front
        .examples
        .iter()
        .enumerate()
        .map(|(index, example)| Example {
            company: example.company.clone(),
            what: render_inline(&example.what, doc, doc.line_of_text("[[examples]]", index), linker, errors),
            year: example.year,
            source: example.source.clone(),
        })
        .collect();
    let quiz = front
        .quiz
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let line = doc.line_of_text("[[quiz]]", index);
            Question {
                question: render_inline(&question.question, doc, line, linker, errors),
                options: question.options.iter().map(|option| render_inline(option, doc, line, linker, errors)).collect(),
                answer: question.options.iter().position(|option| *option == question.answer).unwrap_or(0),
                explanation: render_inline(&question.explanation, doc, line, linker, errors),
                difficulty: atlas_components::learn::question::Difficulty::from_key(&question.difficulty).unwrap_or(atlas_components::learn::question::Difficulty::Intermediate),
            }
        })
        .collect();
    let visualizers = front.visualizers.iter().filter_map(|route| linker.planned(route)).collect();
    // The scopes of embeds in the body are taken first, so the one beside the diagram never collides.
    let mut scopes: Vec<String> = body.embeds.iter().map(|embed| embed.scope.clone()).collect();
    let tool = front
        .visualizers
        .iter()
        .filter_map(|route| route.strip_prefix("/visualizers/"))
        .find(|slug| linker.tools().contains_key(*slug))
        .and_then(|slug| {
            let spec = crate::embed::EmbedSpec { tool: slug.to_string(), layout: Some("compact".to_string()), ..Default::default() };
            crate::embed::check(spec, linker.tools(), &mut scopes).map_err(|message| errors.push(ContentError::new(doc.path, doc.line_of_key("visualizers"), message))).ok()
        });
    Some(Pattern {
        id: front.id,
        slug: front.slug,
        title: front.title,
        category: front.category,
        summary: front.summary,
        tags: front.tags,
        diagram,
        related: front.related,
        visualizers,
        tool,
        reviewed: front.reviewed,
        use_cases,
        pros,
        cons,
        mistakes,
        interview_questions,
        examples,
        sources: front.sources.clone(),
        quiz,
        body,
        source: doc.path.to_path_buf(),
    })
}

fn check_sections(doc: &Document, body: &Rendered, errors: &mut ContentErrors) {
    let sections: Vec<&str> = body.headings.iter().filter(|heading| heading.level == 2).map(|heading| heading.text.as_str()).collect();
    let mut position = 0;
    for required in REQUIRED_SECTIONS {
        match sections[position..].iter().position(|section| *section == required) {
            Some(found) => position += found + 1,
            None => {
                let message = if sections.contains(&required) {
                    format!("section `## {required}` is out of order: expected {}", REQUIRED_SECTIONS.join(", "))
                } else {
                    format!("missing section `## {required}`")
                };
                errors.push(ContentError::new(doc.path, doc.body_line(0), message));
            }
        }
    }
    if body.words < MIN_WORDS {
        errors.push(ContentError::new(doc.path, doc.body_line(0), format!("the explanation has {} words; it needs at least {MIN_WORDS}", body.words)));
    }
}

fn is_pattern_id(id: &str) -> bool {
    let Some((prefix, number)) = id.split_once('-') else { return false };
    !prefix.is_empty() && prefix.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) && number.len() == 3 && number.bytes().all(|b| b.is_ascii_digit())
}

/// Why `url` is not a link a reader can follow to a source, if it is not: an absolute `https://`
/// (or `http://`) address without spaces or quotes.
pub(crate) fn url_problem(url: &str) -> Option<String> {
    let address = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"));
    match address {
        None => Some(format!("`{url}` must start with https://")),
        Some(rest) if rest.is_empty() || rest.starts_with('/') => Some(format!("`{url}` has no host")),
        Some(rest) if rest.chars().any(|c| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\'')) => Some(format!("`{url}` holds a space or a quote")),
        Some(_) => None,
    }
}

pub(crate) fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && parts[0].len() == 4
        && parts.iter().all(|part| part.bytes().all(|b| b.is_ascii_digit()))
        && matches!(parts[1].parse::<u8>(), Ok(1..=12))
        && matches!(parts[2].parse::<u8>(), Ok(1..=31))
}
