//! The module quizzes (`content/quizzes/<module>.toml`) and every question on the site, written
//! or on a pattern page, in one shape for the quiz pages, the question browser, the banks the
//! practice page fetches, and the Anki decks.
//!
//! The build refuses a question it cannot stand behind: a missing explanation or difficulty, an
//! answer that is not exactly one (or, for "select all", not a proper subset) of the options,
//! a reason per option missing, steps that repeat, a tolerance outside 1 to 50%, a diagram
//! element that does not exist, a `see` route that does not exist.

use crate::error::{read_toml, ContentError, ContentErrors};
use crate::frontmatter::Document;
use crate::links::Linker;
use crate::markdown::{plain_text, render_inline};
use atlas_components::learn::question::{Difficulty, Key, Kind};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Questions in a module quiz (the seed asks for 10 to 15; the issue for 12 to 15).
pub const MODULE_QUIZ_SIZE: std::ops::RangeInclusive<usize> = 12..=15;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizFile {
    module: String,
    questions: Vec<QuestionFront>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFront {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    difficulty: String,
    see: String,
    question: String,
    explanation: String,
    #[serde(default)]
    options: Vec<String>,
    answer: Option<String>,
    #[serde(default)]
    answers: Vec<String>,
    #[serde(default)]
    why: Vec<String>,
    #[serde(default)]
    steps: Vec<String>,
    value: Option<f64>,
    tolerance: Option<f64>,
    unit: Option<String>,
    diagram: Option<String>,
    pick: Option<String>,
}

/// Where a question lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Home {
    /// A module's quiz, by module slug.
    Module(String),
    /// A pattern page, by pattern slug.
    Pattern(String),
}

/// One question, rendered.
#[derive(Debug, Clone)]
pub struct QuizQuestion {
    /// `<module>/<id>` or `pattern/<slug>/<n>`.
    pub id: String,
    pub home: Home,
    pub kind: Kind,
    pub difficulty: Difficulty,
    /// HTML, as are the options, reasons and explanation.
    pub prompt: String,
    pub options: Vec<String>,
    pub why: Vec<String>,
    pub key: Key,
    pub unit: String,
    pub explanation: String,
    /// The route where the topic is taught.
    pub see: Option<String>,
    /// A diagram question's diagram and the element id behind each option.
    pub diagram: Option<(String, Vec<String>)>,
    /// The prompt as plain text, for the question browser and the search.
    pub plain: String,
}

impl QuizQuestion {
    /// The bank (a file under `quiz/bank/`) the practice page fetches this question from.
    pub fn bank(&self) -> String {
        match &self.home {
            Home::Module(module) => format!("module-{module}"),
            Home::Pattern(slug) => format!("pattern-{slug}"),
        }
    }
}

/// A module's quiz.
#[derive(Debug, Clone)]
pub struct ModuleQuiz {
    pub module: String,
    pub questions: Vec<QuizQuestion>,
    pub source: PathBuf,
}

impl ModuleQuiz {
    pub fn route(&self) -> String {
        format!("/quiz/{}", self.module)
    }
}

/// The ids and labels of a diagram's nodes and edges, read from its file.
fn diagram_elements(content_dir: &Path, name: &str) -> Option<(BTreeMap<String, String>, BTreeMap<String, String>)> {
    let text = std::fs::read_to_string(content_dir.join("diagrams").join(format!("{name}.toml"))).ok()?;
    let value: toml::Value = toml::from_str(&text).ok()?;
    let label = |table: &toml::Value| table.get("label").and_then(|label| label.as_str()).map(|label| label.replace('\n', " "));
    let mut nodes = BTreeMap::new();
    // A `states` diagram draws its states as nodes and its transitions as edges, with the same ids.
    let list = |key: &str| value.get(key).and_then(|list| list.as_array()).cloned().unwrap_or_default();
    for node in list("nodes").iter().chain(&list("states")) {
        if let Some(id) = node.get("id").and_then(|id| id.as_str()) {
            nodes.insert(id.to_string(), label(node).unwrap_or_else(|| id.to_string()));
        }
    }
    let mut edges = BTreeMap::new();
    for edge in list("edges").iter().chain(&list("transitions")) {
        let (Some(id), Some(from), Some(to)) = (edge.get("id").and_then(|v| v.as_str()), edge.get("from").and_then(|v| v.as_str()), edge.get("to").and_then(|v| v.as_str())) else {
            continue;
        };
        let name = |end: &str| nodes.get(end).cloned().unwrap_or_else(|| end.to_string());
        let text = match label(edge) {
            Some(label) => format!("{} → {} ({label})", name(from), name(to)),
            None => format!("{} → {}", name(from), name(to)),
        };
        edges.insert(id.to_string(), text);
    }
    Some((nodes, edges))
}

fn is_kebab(text: &str) -> bool {
    !text.is_empty() && text.len() <= 60 && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') && !text.starts_with('-') && !text.ends_with('-')
}

/// Reads every `content/quizzes/*.toml`; `modules` are the module slugs, each of which needs one.
pub fn load_quizzes(content_dir: &Path, modules: &[String], linker: &Linker, errors: &mut ContentErrors) -> Vec<ModuleQuiz> {
    let dir = content_dir.join("quizzes");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).filter(|path| path.extension().is_some_and(|ext| ext == "toml")).collect())
        .unwrap_or_default();
    paths.sort();
    let mut quizzes = Vec::new();
    for path in paths {
        let Some((text, file)) = read_toml::<QuizFile>(&path, "", errors) else {
            continue;
        };
        let doc = Document { path: &path, source: &text, front: &text, front_offset: 0, body: "", body_offset: text.len() };
        let stem = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default();
        if file.module != stem {
            errors.push(ContentError::new(&path, doc.line_of_key("module"), format!("a module's quiz is named after it: `module = \"{}\"` belongs in {}.toml", file.module, file.module)));
        }
        if !modules.contains(&file.module) {
            errors.push(ContentError::new(&path, doc.line_of_key("module"), format!("no module has the slug `{}`", file.module)));
        }
        if !MODULE_QUIZ_SIZE.contains(&file.questions.len()) {
            errors.push(ContentError::new(&path, 1, format!("a module quiz has {} to {} questions, not {}", MODULE_QUIZ_SIZE.start(), MODULE_QUIZ_SIZE.end(), file.questions.len())));
        }
        let mut seen = BTreeSet::new();
        let mut questions = Vec::new();
        for (index, front) in file.questions.iter().enumerate() {
            let line = doc.line_of_text("[[questions]]", index);
            if !is_kebab(&front.id) || !seen.insert(front.id.clone()) {
                errors.push(ContentError::new(&path, line, format!("question id `{}` must be kebab-case and unique in the file", front.id)));
            }
            if let Some(question) = build_question(content_dir, &doc, line, &file.module, front, linker, errors) {
                questions.push(question);
            }
        }
        quizzes.push(ModuleQuiz { module: file.module, questions, source: path });
    }
    quizzes.sort_by_key(|quiz| modules.iter().position(|module| *module == quiz.module));
    for module in modules {
        if !quizzes.iter().any(|quiz| &quiz.module == module) {
            errors.push(ContentError::new(&dir.join(format!("{module}.toml")), 0, format!("module `{module}` has no quiz: every module ends with one")));
        }
    }
    quizzes
}

fn build_question(content_dir: &Path, doc: &Document, line: usize, module: &str, front: &QuestionFront, linker: &Linker, errors: &mut ContentErrors) -> Option<QuizQuestion> {
    let fail = |errors: &mut ContentErrors, message: String| errors.push(ContentError::new(doc.path, line, format!("question `{}`: {message}", front.id)));
    let Some(kind) = Kind::from_key(&front.kind) else {
        fail(errors, format!("`type = \"{}\"` is not one of single, multiple, order, number, diagram", front.kind));
        return None;
    };
    let Some(difficulty) = Difficulty::from_key(&front.difficulty) else {
        fail(errors, format!("`difficulty = \"{}\"` is not one of beginner, intermediate, advanced", front.difficulty));
        return None;
    };
    if front.question.trim().is_empty() || front.explanation.trim().is_empty() {
        fail(errors, "needs a question and an explanation".into());
    }
    if !linker.has_route(&front.see) {
        fail(errors, format!("`see = \"{}\"` is not a page of the site", front.see));
    }
    let inline = |text: &str, errors: &mut ContentErrors| render_inline(text, doc, line, linker, errors);
    let position = |text: &str| front.options.iter().position(|option| option == text);
    let unique = |items: &[String]| items.iter().collect::<BTreeSet<_>>().len() == items.len();
    let why_needed = matches!(kind, Kind::Single | Kind::Multiple | Kind::Diagram);
    if why_needed && front.why.len() != front.options.len() {
        fail(errors, format!("`why` needs one reason per option ({} options, {} reasons)", front.options.len(), front.why.len()));
    }
    if why_needed && !unique(&front.options) {
        fail(errors, "two options are the same".into());
    }
    let mut diagram = None;
    let mut options: Vec<String> = front.options.iter().map(|option| inline(option, errors)).collect();
    let key = match kind {
        Kind::Single | Kind::Diagram => {
            let range = if kind == Kind::Single { 3..=5 } else { 3..=6 };
            if !range.contains(&front.options.len()) {
                fail(errors, format!("needs {} to {} options", range.start(), range.end()));
            }
            let Some(answer) = front.answer.as_deref().and_then(position) else {
                fail(errors, "`answer` must be exactly one of the options".into());
                return None;
            };
            if kind == Kind::Diagram {
                let name = front.diagram.clone().unwrap_or_default();
                let Some((nodes, edges)) = diagram_elements(content_dir, &name) else {
                    fail(errors, format!("`diagram = \"{name}\"` is not a file in content/diagrams"));
                    return None;
                };
                let elements = match front.pick.as_deref() {
                    Some("node") => nodes,
                    Some("edge") => edges,
                    other => {
                        fail(errors, format!("`pick` is node or edge, not {other:?}"));
                        return None;
                    }
                };
                let mut labels = Vec::new();
                for id in &front.options {
                    match elements.get(id) {
                        Some(label) => labels.push(crate::quizzes::escape_html(label)),
                        None => fail(errors, format!("diagram `{name}` has no {} `{id}`", front.pick.as_deref().unwrap_or("element"))),
                    }
                }
                diagram = Some((name, front.options.clone()));
                options = labels;
            }
            Key::One(answer)
        }
        Kind::Multiple => {
            if !(4..=6).contains(&front.options.len()) {
                fail(errors, "needs 4 to 6 options".into());
            }
            let mut set: Vec<usize> = front.answers.iter().filter_map(|answer| position(answer)).collect();
            set.sort_unstable();
            set.dedup();
            if set.len() != front.answers.len() || set.len() < 2 || set.len() >= front.options.len() {
                fail(errors, "`answers` must be two or more of the options, each exactly as written, and not all of them".into());
                return None;
            }
            Key::Set(set)
        }
        Kind::Order => {
            if !(4..=6).contains(&front.steps.len()) || !unique(&front.steps) {
                fail(errors, "needs 4 to 6 different steps".into());
            }
            options = front.steps.iter().map(|step| inline(step, errors)).collect();
            Key::Order(front.steps.len())
        }
        Kind::Number => {
            let (Some(value), Some(tolerance)) = (front.value, front.tolerance) else {
                fail(errors, "needs `value` and `tolerance`".into());
                return None;
            };
            if !value.is_finite() || value <= 0.0 {
                fail(errors, "`value` must be a positive number".into());
            }
            if !(0.01..=0.5).contains(&tolerance) {
                fail(errors, "`tolerance` is relative, between 0.01 and 0.5".into());
            }
            if front.unit.as_deref().is_none_or(|unit| unit.trim().is_empty()) {
                fail(errors, "needs a `unit`".into());
            }
            Key::Number { value, tolerance }
        }
    };
    let prompt = inline(&front.question, errors);
    Some(QuizQuestion {
        id: format!("{module}/{}", front.id),
        home: Home::Module(module.to_string()),
        kind,
        difficulty,
        plain: plain_text(&prompt),
        prompt,
        options,
        why: front.why.iter().map(|why| inline(why, errors)).collect(),
        key,
        unit: front.unit.as_deref().map(escape_html).unwrap_or_default(),
        explanation: inline(&front.explanation, errors),
        see: Some(front.see.clone()),
        diagram,
    })
}

pub fn escape_html(text: &str) -> String {
    atlas_components::learn::form::escape(text)
}

/// A pattern page's questions in the same shape (ids `pattern/<slug>/<n>`, 1-based).
pub fn pattern_questions(pattern: &crate::patterns::Pattern) -> Vec<QuizQuestion> {
    pattern
        .quiz
        .iter()
        .enumerate()
        .map(|(index, question)| QuizQuestion {
            id: format!("pattern/{}/{}", pattern.slug, index + 1),
            home: Home::Pattern(pattern.slug.clone()),
            kind: Kind::Single,
            difficulty: question.difficulty,
            plain: plain_text(&question.question),
            prompt: question.question.clone(),
            options: question.options.clone(),
            why: Vec::new(),
            key: Key::One(question.answer),
            unit: String::new(),
            explanation: question.explanation.clone(),
            see: None,
            diagram: None,
        })
        .collect()
}
