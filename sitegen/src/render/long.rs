//! Case studies, interview problems, cheat sheets and reference documents, and their index pages.

use crate::links::Linker;
use crate::markdown::plain_text;
use crate::long::{split_at, CaseStudy, LongPage, Problem, Reference, PROBLEM_SOLUTION_FROM};
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
    let items = site.problems.iter().map(|problem| {
        html! { a href=(linker.url(&problem.route())) { (problem.page.title) } " " span class="muted" { "(" (problem.difficulty) ")" } " — " (problem.page.summary) }
    });
    index_main(index, "No interview problem is published yet.", items.collect())
}

/// An index page of one long kind: its intro, then a link and a line for each page, or what the
/// reader is told while there are none.
fn index_main(index: &StaticPage, empty: &str, items: Vec<Markup>) -> Markup {
    html! {
        header class="page-header" { h1 { (index.title) } p class="lede" { (index.summary) } }
        div class="prose" { (PreEscaped(&index.body.html)) }
        @if items.is_empty() {
            p class="empty-state" { (empty) }
        } @else {
            ul class="link-list" { @for item in items { li { (item) } } }
        }
    }
}

/// A reference document: its contents (every `##` and `###` heading, linked), the text, and its
/// references, the ninth part of the seed's structure, from its sources.
pub fn reference_main(reference: &Reference, linker: &Linker) -> Markup {
    let page = &reference.page;
    let headings: Vec<_> = page.body.headings.iter().filter(|heading| heading.level <= 3).collect();
    html! {
        (super::breadcrumbs(&[("Reference", linker.url("/reference"))], &page.title))
        (header(page, html! { "Reference · " (page.body.words.div_ceil(250)) " min read" }))
        nav class="toc" aria-labelledby="contents" {
            h2 id="contents" { "Contents" }
            ol {
                @for (index, heading) in headings.iter().enumerate().filter(|(_, heading)| heading.level == 2) {
                    li {
                        a href={ "#" (heading.id) } { (heading.text) }
                        @let subsections: Vec<_> = headings[index + 1..].iter().take_while(|next| next.level == 3).collect();
                        @if !subsections.is_empty() {
                            ol { @for sub in subsections { li { a href={ "#" (sub.id) } { (sub.text) } } } }
                        }
                    }
                }
                li { a href="#references" { "References" } }
            }
        }
        div class="prose long-body" { (PreEscaped(&page.body.html)) }
        (super::sources_titled(&page.sources, "references", "References"))
        section aria-labelledby="read-next" {
            h2 id="read-next" { "Patterns and modules it builds on" }
            ul class="link-list" {
                @for (title, route) in &page.reading { li { a href=(linker.url(route)) { (title) } } }
            }
        }
        p class="reviewed" { "Content last reviewed " time datetime=(page.reviewed) { (page.reviewed) } "." }
    }
}

pub fn references_index_main(site: &Site, index: &StaticPage, linker: &Linker) -> Markup {
    let items = site.references.iter().map(|reference| {
        html! {
            a href=(linker.url(&reference.route())) { (reference.page.title) }
            " " span class="muted" { "(" (reference.page.body.words.div_ceil(250)) " min)" }
            " — " (reference.page.summary)
        }
    });
    index_main(index, "No reference document is published yet.", items.collect())
}

/// The title of the page at `route`, for a list of links.
pub(super) fn title_of(site: &Site, route: &str) -> Option<String> {
    let (kind, slug) = route.trim_matches('/').split_once('/')?;
    match kind {
        "cheatsheets" => site.cheatsheets.iter().find(|page| page.slug == slug).map(|page| page.title.clone()),
        "patterns" => site.patterns.iter().find(|page| page.slug == slug).map(|page| page.title.clone()),
        "modules" => site.modules.iter().find(|page| page.slug == slug).map(|page| page.title.clone()),
        "visualizers" => site.visualizers.iter().find(|page| page.front.slug == slug).map(|page| page.front.title.clone()),
        "case-studies" => site.cases.iter().find(|page| page.page.slug == slug).map(|page| page.page.title.clone()),
        "problems" => site.problems.iter().find(|page| page.page.slug == slug).map(|page| page.page.title.clone()),
        "reference" => site.references.iter().find(|page| page.page.slug == slug).map(|page| page.page.title.clone()),
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
    let items = site.cheatsheets.iter().map(|sheet| html! { a href=(linker.url(&sheet.route())) { (sheet.title) } " — " (sheet.summary) });
    index_main(index, "No cheat sheet is published yet.", items.collect())
}

/// The case studies, interview problems and reference documents that build on the page at
/// `route` (a pattern or a module their front matter names, or a tool they embed), and the cheat
/// sheets that send their reader there: that page's "put to work" section, empty when there are none.
pub fn put_to_work(site: &Site, route: &str, linker: &Linker) -> Markup {
    let tool = route.strip_prefix("/visualizers/");
    let relies = |page: &LongPage| page.reading.iter().any(|(_, used)| used == route) || page.body.embeds.iter().any(|embed| Some(embed.tool.slug) == tool);
    let cases: Vec<_> = site.cases.iter().filter(|case| relies(&case.page)).collect();
    let problems: Vec<_> = site.problems.iter().filter(|problem| relies(&problem.page)).collect();
    let references: Vec<_> = site.references.iter().filter(|reference| relies(&reference.page)).collect();
    let sheets: Vec<_> = site.cheatsheets.iter().filter(|sheet| sheet.related.iter().any(|related| related.trim_end_matches('/') == route)).collect();
    let list = |title: &str, links: Vec<(String, &str)>| {
        html! {
            @if !links.is_empty() {
                h3 { (title) }
                ul class="link-list" {
                    @for (url, text) in &links { li { a href=(url) { (text) } } }
                }
            }
        }
    };
    html! {
        @if !cases.is_empty() || !problems.is_empty() || !references.is_empty() || !sheets.is_empty() {
            section class="put-to-work" aria-labelledby="put-to-work" {
                h2 id="put-to-work" { "Put to work" }
                (list("In case studies", cases.iter().map(|case| (linker.url(&case.route()), case.page.title.as_str())).collect()))
                (list("In interview problems", problems.iter().map(|problem| (linker.url(&problem.route()), problem.page.title.as_str())).collect()))
                (list("In reference documents", references.iter().map(|reference| (linker.url(&reference.route()), reference.page.title.as_str())).collect()))
                (list("On a cheat sheet", sheets.iter().map(|sheet| (linker.url(&sheet.route()), sheet.title.as_str())).collect()))
            }
        }
    }
}

/// The search's entries for the sections of a reference document: each `##` and `###` section
/// with its heading, its anchor, its first words and the words it uses most, so a query such as
/// "read repair" lands on the section that explains it rather than on the whole document.
pub fn section_entries(reference: &Reference, linker: &Linker) -> Vec<crate::model::CatalogueEntry> {
    let page = &reference.page;
    let html = &page.body.html;
    let url = linker.url(&reference.route());
    let starts: Vec<(usize, &crate::markdown::Heading)> = page
        .body
        .headings
        .iter()
        .filter(|heading| heading.level <= 3)
        .filter_map(|heading| html.find(&format!(r#"<h{} id="{}">"#, heading.level, heading.id)).map(|at| (at, heading)))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(index, (at, heading))| {
            let end = starts.get(index + 1).map_or(html.len(), |(next, _)| *next);
            // The section's own text, without its heading.
            let text = plain_text(html[*at..end].split_once("</h").and_then(|(_, rest)| rest.split_once('>')).map_or("", |(_, rest)| rest));
            crate::model::CatalogueEntry {
                kind: "section",
                id: format!("{}#{}", page.slug, heading.id),
                slug: page.slug.clone(),
                title: heading.text.clone(),
                category: page.title.clone(),
                url: format!("{url}#{}", heading.id),
                summary: first_words(&text, 160),
                tags: Vec::new(),
                keywords: frequent_words(&text, SECTION_KEYWORDS).join(" "),
            }
        })
        .collect()
}

/// How many of a section's words the search keeps: enough to find a section by what it is
/// about, few enough that the catalogue stays a small download.
const SECTION_KEYWORDS: usize = 40;

/// The start of `text`, cut at a word boundary within `limit` characters.
fn first_words(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let cut: String = text.chars().take(limit).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// The `count` words of at least four letters that `text` uses most (ties: first used first),
/// lowercased, without the commonest English words.
fn frequent_words(text: &str, count: usize) -> Vec<String> {
    const COMMON: [&str; 40] = [
        "that", "this", "with", "from", "have", "more", "than", "when", "which", "their", "there", "they", "them", "then", "what", "each", "into", "only", "also", "other",
        "will", "would", "could", "should", "does", "were", "been", "your", "about", "most", "some", "such", "much", "many", "same", "because", "where", "while", "both", "these",
    ];
    let mut seen: Vec<(String, usize)> = Vec::new();
    for word in text.split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-')).map(|word| word.trim_matches('-').to_ascii_lowercase()) {
        if word.len() < 4 || COMMON.contains(&word.as_str()) || word.bytes().all(|byte| byte.is_ascii_digit()) {
            continue;
        }
        match seen.iter_mut().find(|(known, _)| *known == word) {
            Some((_, uses)) => *uses += 1,
            None => seen.push((word, 1)),
        }
    }
    // A stable sort keeps first use as the tie-break.
    seen.sort_by(|a, b| b.1.cmp(&a.1));
    seen.into_iter().take(count).map(|(word, _)| word).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_is_found_by_its_text_words_not_its_markup() {
        let words = frequent_words("Read repair fixes replicas. A read repair runs on reads; hinted handoff fixes writes. 2026 2026", 3);
        assert_eq!(words, ["read", "repair", "fixes"]);
        assert_eq!(first_words("one two three four", 9), "one two…");
        assert_eq!(first_words("short", 9), "short");
    }
}
