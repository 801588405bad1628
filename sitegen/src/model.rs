//! The site as the build sees it: every page, already rendered to HTML fragments.

use crate::markdown::Rendered;
use serde::Serialize;
use crate::patterns::Pattern;
use crate::visualizers::Visualizer;
use atlas_components::diagram::RenderedDiagram;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// A learning module (`/modules/<slug>`).
#[derive(Debug, Clone)]
pub struct Module {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub order: u32,
    pub summary: String,
    pub objectives: Vec<String>,
    pub topics: Vec<Topic>,
    pub intro: Rendered,
    pub sources: Vec<crate::patterns::SourceFront>,
    pub source: PathBuf,
}

impl Module {
    pub fn route(&self) -> String {
        format!("/modules/{}", self.slug)
    }
}

/// One entry of a module's reading list.
#[derive(Debug, Clone)]
pub struct Topic {
    pub title: String,
    pub kind: TopicKind,
    pub note: String,
    /// Where the topic will live; a link only once `url` is known.
    pub planned: Option<String>,
    /// The URL of the planned page, when it exists.
    pub url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TopicKind {
    Topic,
    Tool,
}

/// A page whose words live in `content/pages/` and whose lists the build fills in.
#[derive(Debug, Clone)]
pub struct StaticPage {
    pub name: String,
    pub title: String,
    pub summary: String,
    /// Tool routes to feature first, in order.
    pub featured: Vec<String>,
    pub body: Rendered,
    pub source: PathBuf,
}

/// Everything the build read from `content/`.
#[derive(Debug, Clone)]
pub struct Site {
    pub modules: Vec<Module>,
    pub pages: Vec<StaticPage>,
    pub patterns: Vec<Pattern>,
    pub visualizers: Vec<Visualizer>,
    pub cases: Vec<crate::long::CaseStudy>,
    pub problems: Vec<crate::long::Problem>,
    pub cheatsheets: Vec<crate::long::Cheatsheet>,
    pub references: Vec<crate::long::Reference>,
    /// Each module's quiz, in module order.
    pub quizzes: Vec<crate::quizzes::ModuleQuiz>,
    /// Every diagram in `content/diagrams`, by name, rendered and linted.
    pub diagrams: BTreeMap<String, RenderedDiagram>,
    /// Every route the site has, for links and the catalogue.
    pub routes: Vec<String>,
}

impl Site {
    pub fn pattern_by_id(&self, id: &str) -> Option<&Pattern> {
        self.patterns.iter().find(|pattern| pattern.id == id)
    }

    /// Every question on the site: the module quizzes in module order, then the patterns'.
    pub fn questions(&self) -> Vec<crate::quizzes::QuizQuestion> {
        let mut questions: Vec<crate::quizzes::QuizQuestion> = Vec::new();
        for module in &self.modules {
            if let Some(quiz) = self.quizzes.iter().find(|quiz| quiz.module == module.slug) {
                questions.extend(quiz.questions.iter().cloned());
            }
        }
        for pattern in &self.patterns {
            questions.extend(crate::quizzes::pattern_questions(pattern));
        }
        questions
    }

    pub fn page(&self, name: &str) -> &StaticPage {
        self.pages.iter().find(|page| page.name == name).unwrap_or_else(|| panic!("content/pages/{name}.md is required"))
    }
}

/// One row of `catalogue.json`: search, navigation, the sitemap and the tests read it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub kind: &'static str,
    pub id: String,
    pub slug: String,
    pub title: String,
    pub category: String,
    pub url: String,
    pub summary: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// A section's most frequent words, for the search (sections of reference documents only).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub keywords: String,
}
