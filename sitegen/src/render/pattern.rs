//! The pattern page and the pattern catalogue.

use super::diagram::figure;
use crate::links::Linker;
use crate::model::Site;
use crate::patterns::{Pattern, CATEGORIES};
use crate::markdown::slugify;
use maud::{html, Markup, PreEscaped};

pub fn pattern_main(site: &Site, pattern: &Pattern, linker: &Linker) -> Markup {
    let category_url = format!("{}?category={}", linker.url("/patterns"), slugify(&pattern.category));
    html! {
        (super::breadcrumbs(&[("Patterns", linker.url("/patterns")), (&pattern.category, category_url)], &pattern.title))
        header class="page-header" {
            p class="eyebrow" { span class="mono" { (pattern.id) } " · " (pattern.category) }
            h1 { (pattern.title) }
            p class="lede" { (pattern.summary) }
        }
        (figure(&pattern.diagram))
        @if let Some(tool) = &pattern.tool {
            (tool.render(&linker.url(&format!("/visualizers/{}", tool.tool.slug))))
        }
        div class="prose pattern-body" { (PreEscaped(&pattern.body.html)) }
        section class="pattern-facts" aria-labelledby="use-cases" {
            h2 id="use-cases" { "Use cases" }
            (list(&pattern.use_cases))
            div class="pros-cons" {
                div class="pros" {
                    h2 id="pros" { "Pros" }
                    (list(&pattern.pros))
                }
                div class="cons" {
                    h2 id="cons" { "Cons" }
                    (list(&pattern.cons))
                }
            }
            h2 id="examples" { "Real-world examples" }
            ul class="examples" {
                @for example in &pattern.examples {
                    li {
                        strong { (example.company) } " "
                        span class="examples__year" { "(" (example.year) ")" }
                        " — " (PreEscaped(&example.what))
                        @if let Some(url) = &example.source {
                            " " a class="examples__source" href=(url) aria-label=(format!("Source: {} ({})", example.company, example.year)) { "Source" }
                        }
                    }
                }
            }
            h2 id="mistakes" { "Common mistakes" }
            (list(&pattern.mistakes))
            h2 id="interview-questions" { "Interview questions" }
            (list(&pattern.interview_questions))
        }
        section class="quiz-section" aria-labelledby="quiz" {
            h2 id="quiz" { "Check yourself" }
            @for (index, question) in crate::quizzes::pattern_questions(pattern).iter().enumerate() {
                (PreEscaped(super::quiz::question_form(site, question, Some(index + 1), linker)))
            }
        }
        (super::long::put_to_work(site, &pattern.route(), linker))
        section aria-labelledby="related" {
            h2 id="related" { "Related" }
            ul class="link-list related" {
                @for id in &pattern.related {
                    @if let Some(related) = site.pattern_by_id(id) {
                        li { a href=(linker.url(&related.route())) { (related.title) } " " span class="mono muted" { (related.id) } }
                    }
                }
                @for url in &pattern.visualizers {
                    li { a href=(url) { "Try it in the visualizer" } }
                }
            }
        }
        (super::sources(&pattern.sources))
        p class="reviewed" { "Content last reviewed " time datetime=(pattern.reviewed) { (pattern.reviewed) } "." }
    }
}

fn list(items: &[String]) -> Markup {
    html! { ul { @for item in items { li { (PreEscaped(item)) } } } }
}

/// The catalogue: every pattern grouped by category. The app adds search and category chips
/// that filter these same cards.
pub fn catalogue_main(site: &Site, intro: Markup, linker: &Linker) -> Markup {
    let categories: Vec<(&str, usize)> = CATEGORIES
        .iter()
        .map(|category| (*category, site.patterns.iter().filter(|pattern| pattern.category == *category).count()))
        .filter(|(_, count)| *count > 0)
        .collect();
    html! {
        (intro)
        p class="count" { (site.patterns.len()) " patterns in " (categories.len()) " categories." }
        div class="island island--pattern-filter" data-island="pattern-filter" {}
        @if site.patterns.is_empty() {
            p class="empty-state" { "No pattern pages are published yet." }
        }
        nav class="category-index" aria-label="Categories" {
            ul {
                @for (category, count) in &categories {
                    li { a href={ "#" (slugify(category)) } { (category) " " span class="muted" { "(" (count) ")" } } }
                }
            }
        }
        @for (category, _) in &categories {
            section class="pattern-category" data-category=(slugify(category)) aria-labelledby=(slugify(category)) {
                h2 id=(slugify(category)) { (category) }
                ul class="card-grid pattern-cards" {
                    @for pattern in site.patterns.iter().filter(|pattern| pattern.category == *category) {
                        li class="card pattern-card" data-category=(slugify(category)) data-title=(pattern.title) data-tags=(pattern.tags.join(", ")) data-id=(pattern.id) {
                            p class="card__eyebrow mono" { (pattern.id) }
                            h3 class="card__title" { a href=(linker.url(&pattern.route())) { (pattern.title) } }
                            p { (pattern.summary) }
                        }
                    }
                }
            }
        }
        p class="empty-state" data-no-results hidden { "No pattern matches. Try another word, or clear the filters." }
    }
}
