//! Case studies and interview problems, and their index pages.

use crate::links::Linker;
use crate::long::{split_at, CaseStudy, LongPage, Problem, PROBLEM_SOLUTION_FROM};
use crate::model::{Site, StaticPage};
use maud::{html, Markup, PreEscaped};

/// The header every long page opens with.
fn header(page: &LongPage, eyebrow: Markup) -> Markup {
    html! {
        header class="page-header" {
            p class="eyebrow" { (eyebrow) }
            h1 { (page.title) }
            p class="lede" { (page.summary) }
        }
    }
}

/// The foot every long page ends with: what to read next, the sources, the review date.
fn foot(page: &LongPage, linker: &Linker) -> Markup {
    html! {
        section aria-labelledby="read-next" {
            h2 id="read-next" { "Patterns and modules on this page" }
            ul class="link-list" {
                @for (title, route) in &page.reading { li { a href=(linker.url(route)) { (title) } } }
            }
        }
        (super::sources(&page.sources))
        p class="reviewed" { "Content last reviewed " time datetime=(page.reviewed) { (page.reviewed) } "." }
    }
}

pub fn case_main(case: &CaseStudy, linker: &Linker) -> Markup {
    let page = &case.page;
    // The metrics are part 8 of the template: after the architecture, before the trade-offs.
    let (before, after) = split_at(&page.body, "Trade-offs");
    html! {
        (super::breadcrumbs(&[("Case studies", linker.url("/case-studies"))], &case.company))
        (header(page, html! { "Case study · " (case.company) }))
        div class="prose long-body" {
            (PreEscaped(before))
            h2 id="important-metrics" { "Important metrics" }
            div class="table-scroll" tabindex="0" role="region" aria-label="Important metrics (scrolls sideways)" {
                table class="metrics" {
                    thead { tr { th scope="col" { "Measure" } th scope="col" { "Figure" } th scope="col" { "Year" } th scope="col" { "Source" } } }
                    tbody {
                        @for metric in &case.metrics {
                            tr {
                                th scope="row" { (metric.label) }
                                td { (metric.value) }
                                td { (metric.year) }
                                td { a href=(metric.source) aria-label=(format!("Source: {} ({})", metric.label, metric.year)) { "Source" } }
                            }
                        }
                    }
                }
            }
            (PreEscaped(after))
            h2 id="design-challenge" { "Design challenge" }
            p class="challenge__question" { (PreEscaped(&case.question)) }
            @for (index, hint) in case.hints.iter().enumerate() {
                details class="challenge__hint" {
                    summary { "Hint " (index + 1) }
                    p { (PreEscaped(hint)) }
                }
            }
            details class="challenge__answer" {
                summary { "Show a worked answer" }
                div { (PreEscaped(&case.answer)) }
            }
        }
        (foot(page, linker))
    }
}

pub fn problem_main(problem: &Problem, linker: &Linker) -> Markup {
    let page = &problem.page;
    let (statement, solution) = split_at(&page.body, PROBLEM_SOLUTION_FROM);
    html! {
        (super::breadcrumbs(&[("Interview problems", linker.url("/problems"))], &page.title))
        (header(page, html! { "Interview problem · " (problem.difficulty) }))
        div class="prose long-body" {
            (PreEscaped(statement))
            h2 id="interview-plan" { "A 45-minute plan" }
            div class="table-scroll" tabindex="0" role="region" aria-label="A 45-minute plan (scrolls sideways)" {
                table class="plan" {
                    thead { tr { th scope="col" { "Minutes" } th scope="col" { "What to cover" } } }
                    tbody {
                        @for (block, start) in problem.plan.iter().scan(0, |start, block| { let at = *start; *start += block.minutes; Some((block, at)) }) {
                            tr { td class="mono" { (start) "–" (start + block.minutes) } td { (block.focus) } }
                        }
                    }
                }
            }
            p { "Try the design yourself first, out loud or on paper, then compare." }
            // Works without JavaScript: the browser opens and closes it.
            details class="solution" {
                summary { "Show the solution" }
                (PreEscaped(solution))
            }
        }
        (foot(page, linker))
    }
}

pub fn cases_index_main(site: &Site, index: &StaticPage, linker: &Linker) -> Markup {
    html! {
        header class="page-header" { h1 { (index.title) } p class="lede" { (index.summary) } }
        div class="prose" { (PreEscaped(&index.body.html)) }
        @if site.cases.is_empty() {
            p class="empty-state" { "No case study is published yet." }
        } @else {
            div class="prose" {
            h2 id="compare" { "Side by side" }
            div class="table-scroll" tabindex="0" role="region" aria-label="Case studies compared (scrolls sideways)" {
                table class="matrix" {
                    thead { tr { th scope="col" { "Company" } th scope="col" { "Scale" } th scope="col" { "Data stores" } th scope="col" { "Consistency" } th scope="col" { "Signature technique" } } }
                    tbody {
                        @for case in &site.cases {
                            tr {
                                th scope="row" { a href=(linker.url(&case.route())) { (case.company) } }
                                td { (case.matrix.scale) } td { (case.matrix.stores) } td { (case.matrix.consistency) } td { (case.matrix.signature) }
                            }
                        }
                    }
                }
            }
            h2 id="all" { "Every case study" }
            ul class="link-list" {
                @for case in &site.cases {
                    li { a href=(linker.url(&case.route())) { (case.page.title) } " — " (case.page.summary) }
                }
            }
            }
        }
    }
}

pub fn problems_index_main(site: &Site, index: &StaticPage, linker: &Linker) -> Markup {
    html! {
        header class="page-header" { h1 { (index.title) } p class="lede" { (index.summary) } }
        div class="prose" { (PreEscaped(&index.body.html)) }
        @if site.problems.is_empty() {
            p class="empty-state" { "No interview problem is published yet." }
        } @else {
            ul class="link-list" {
                @for problem in &site.problems {
                    li { a href=(linker.url(&problem.route())) { (problem.page.title) } " " span class="muted" { "(" (problem.difficulty) ")" } " — " (problem.page.summary) }
                }
            }
        }
    }
}

/// The title of the page at `route`, for a list of links.
fn title_of(site: &Site, route: &str) -> Option<String> {
    let (kind, slug) = route.trim_matches('/').split_once('/')?;
    match kind {
        "patterns" => site.patterns.iter().find(|page| page.slug == slug).map(|page| page.title.clone()),
        "modules" => site.modules.iter().find(|page| page.slug == slug).map(|page| page.title.clone()),
        "visualizers" => site.visualizers.iter().find(|page| page.front.slug == slug).map(|page| page.front.title.clone()),
        "case-studies" => site.cases.iter().find(|page| page.page.slug == slug).map(|page| page.page.title.clone()),
        "problems" => site.problems.iter().find(|page| page.page.slug == slug).map(|page| page.page.title.clone()),
        _ => None,
    }
}

pub fn cheatsheet_main(site: &Site, sheet: &crate::long::Cheatsheet, linker: &Linker) -> Markup {
    let here = linker.url(&sheet.route());
    html! {
        (super::breadcrumbs(&[("Cheat sheets", linker.url("/cheatsheets"))], &sheet.title))
        header class="page-header" {
            h1 { (sheet.title) }
            p class="lede" { (sheet.summary) }
            // Printed by the build from this page (scripts/cheatsheet-pdfs.mjs), one page each.
            p class="cheatsheet__downloads" {
                "Download as PDF, one page: "
                a href={ (here) (sheet.pdf_name("a4")) } type="application/pdf" download { "A4" }
                " · "
                a href={ (here) (sheet.pdf_name("letter")) } type="application/pdf" download { "US Letter" }
            }
        }
        div class="prose cheatsheet" { (PreEscaped(&sheet.body.html)) }
        section class="cheatsheet__more" aria-labelledby="go-deeper" {
            h2 id="go-deeper" { "Go deeper" }
            ul class="link-list" {
                @for route in &sheet.related { li { a href=(linker.url(route)) { (title_of(site, route).unwrap_or_else(|| route.clone())) } } }
            }
        }
        (super::sources(&sheet.sources))
        p class="reviewed" { "Content last reviewed " time datetime=(sheet.reviewed) { (sheet.reviewed) } "." }
    }
}

pub fn cheatsheets_index_main(site: &Site, index: &StaticPage, linker: &Linker) -> Markup {
    html! {
        header class="page-header" { h1 { (index.title) } p class="lede" { (index.summary) } }
        div class="prose" { (PreEscaped(&index.body.html)) }
        @if site.cheatsheets.is_empty() {
            p class="empty-state" { "No cheat sheet is published yet." }
        } @else {
            ul class="link-list" {
                @for sheet in &site.cheatsheets {
                    li { a href=(linker.url(&sheet.route())) { (sheet.title) } " — " (sheet.summary) }
                }
            }
        }
    }
}

/// The case studies and interview problems that build on the page at `route` (a pattern or a
/// module, named in their front matter), for that page's "put to work" section; empty when none do.
pub fn put_to_work(site: &Site, route: &str, linker: &Linker) -> Markup {
    let relies = |page: &LongPage| page.reading.iter().any(|(_, used)| used == route);
    let cases: Vec<_> = site.cases.iter().filter(|case| relies(&case.page)).collect();
    let problems: Vec<_> = site.problems.iter().filter(|problem| relies(&problem.page)).collect();
    html! {
        @if !cases.is_empty() || !problems.is_empty() {
            section class="put-to-work" aria-labelledby="put-to-work" {
                h2 id="put-to-work" { "Put to work" }
                @if !cases.is_empty() {
                    h3 { "In case studies" }
                    ul class="link-list" {
                        @for case in &cases { li { a href=(linker.url(&case.route())) { (case.page.title) } } }
                    }
                }
                @if !problems.is_empty() {
                    h3 { "In interview problems" }
                    ul class="link-list" {
                        @for problem in &problems { li { a href=(linker.url(&problem.route())) { (problem.page.title) } } }
                    }
                }
            }
        }
    }
}
