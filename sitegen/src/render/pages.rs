//! One function per page kind. Each returns the page's `<main>` content and its catalogue row.

use super::layout::{layout, Shell};
use super::{PageMeta, RenderedPage, Section};
use crate::links::Linker;
use crate::model::{CatalogueEntry, Module, Site, StaticPage, TopicKind};
use maud::{html, Markup, PreEscaped};

/// Renders every page of the site and the catalogue that lists them.
pub fn render_all(site: &Site, shell: &Shell, linker: &Linker) -> (Vec<RenderedPage>, Vec<CatalogueEntry>) {
    let mut out = Output { shell, linker, pages: Vec::new(), catalogue: Vec::new() };

    let home = site.page("home");
    out.add(meta(home, "/", "home", None, home_main(site, home, linker)), entry(home, "home", "home", "Site", linker.url("/")));

    let modules = site.page("modules");
    out.add(
        meta(modules, "/modules", "modules", Some(Section::Modules), modules_main(site, modules, linker)),
        entry(modules, "index", "modules", "Learning modules", linker.url("/modules")),
    );
    for (index, module) in site.modules.iter().enumerate() {
        let route = module.route();
        let page = PageMeta {
            route: &route,
            title: &module.title,
            description: &module.summary,
            kind: "module",
            section: Some(Section::Modules),
            bundle: bundle_for(&module.intro.embeds),
            main: module_main(site, index, linker),
        };
        out.add(
            page,
            CatalogueEntry {
                kind: "module",
                id: module.id.clone(),
                slug: module.slug.clone(),
                title: module.title.clone(),
                category: "Learning modules".to_string(),
                url: linker.url(&route),
                summary: module.summary.clone(),
                tags: module.topics.iter().map(|topic| topic.title.clone()).collect(),
                keywords: String::new(),
            },
        );
    }

    let patterns = site.page("patterns");
    let intro = html! { (page_header(&patterns.title, &patterns.summary)) (prose(&patterns.body.html)) };
    out.add(
        meta(patterns, "/patterns", "patterns", Some(Section::Patterns), super::pattern::catalogue_main(site, intro, linker)),
        entry(patterns, "index", "patterns", "Patterns", linker.url("/patterns")),
    );
    for pattern in &site.patterns {
        let route = pattern.route();
        let page = PageMeta {
            route: &route,
            title: &pattern.title,
            description: &pattern.summary,
            kind: "pattern",
            section: Some(Section::Patterns),
            bundle: bundle_for(pattern.tool.iter().chain(&pattern.body.embeds)),
            main: super::pattern::pattern_main(site, pattern, linker),
        };
        out.add(
            page,
            CatalogueEntry {
                kind: "pattern",
                id: pattern.id.clone(),
                slug: pattern.slug.clone(),
                title: pattern.title.clone(),
                category: pattern.category.clone(),
                url: linker.url(&route),
                summary: pattern.summary.clone(),
                tags: pattern.tags.clone(),
                keywords: String::new(),
            },
        );
    }

    let visualizers = site.page("visualizers");
    out.add(
        meta(visualizers, "/visualizers", "visualizers", Some(Section::Visualizers), visualizers_main(site, visualizers, linker)),
        entry(visualizers, "index", "visualizers", "Visualizers", linker.url("/visualizers")),
    );

    for visualizer in &site.visualizers {
        let route = visualizer.route();
        let page = PageMeta {
            route: &route,
            title: &visualizer.front.title,
            description: &visualizer.front.summary,
            kind: "visualizer",
            section: Some(Section::Visualizers),
            bundle: super::Bundle::of(atlas_components::registry::find(&visualizer.front.slug).map(|tool| tool.slug).into_iter().chain(visualizer.body.embeds.iter().map(|embed| embed.tool.slug)).collect()),
            main: super::visualizer::visualizer_main(site, visualizer, linker),
        };
        out.add(
            page,
            CatalogueEntry {
                kind: "visualizer",
                id: visualizer.front.slug.clone(),
                slug: visualizer.front.slug.clone(),
                title: visualizer.front.title.clone(),
                category: "Visualizers".to_string(),
                url: linker.url(&route),
                summary: visualizer.front.summary.clone(),
                tags: visualizer.front.patterns.iter().filter_map(|id| site.pattern_by_id(id)).flat_map(|pattern| pattern.tags.iter().take(3).cloned()).collect(),
                keywords: String::new(),
            },
        );
    }

    let cases = site.page("case-studies");
    out.add(
        meta(cases, "/case-studies", "case-studies", None, super::long::cases_index_main(site, cases, linker)),
        entry(cases, "index", "case-studies", "Case studies", linker.url("/case-studies")),
    );
    for case in &site.cases {
        out.add_long(&case.page, &case.route(), "case-study", "Case studies", super::long::case_main(case, linker));
    }
    let problems = site.page("problems");
    out.add(
        meta(problems, "/problems", "problems", None, super::long::problems_index_main(site, problems, linker)),
        entry(problems, "index", "problems", "Interview problems", linker.url("/problems")),
    );
    for problem in &site.problems {
        out.add_long(&problem.page, &problem.route(), "problem", "Interview problems", super::long::problem_main(problem, linker));
    }

    let references = site.page("reference");
    out.add(
        meta(references, "/reference", "reference-index", None, super::long::references_index_main(site, references, linker)),
        entry(references, "index", "reference", "Reference", linker.url("/reference")),
    );
    for reference in &site.references {
        out.add_long(&reference.page, &reference.route(), "reference", "Reference", super::long::reference_main(reference, linker));
        out.catalogue.extend(super::long::section_entries(reference, linker));
    }

    let sheets = site.page("cheatsheets");
    out.add(
        meta(sheets, "/cheatsheets", "cheatsheets", None, super::long::cheatsheets_index_main(site, sheets, linker)),
        entry(sheets, "index", "cheatsheets", "Cheat sheets", linker.url("/cheatsheets")),
    );
    for sheet in &site.cheatsheets {
        let route = sheet.route();
        let page = PageMeta {
            route: &route,
            title: &sheet.title,
            description: &sheet.summary,
            kind: "cheatsheet",
            section: None,
            bundle: bundle_for(&sheet.body.embeds),
            main: super::long::cheatsheet_main(site, sheet, linker),
        };
        let entry = CatalogueEntry { kind: "cheatsheet", id: sheet.slug.clone(), slug: sheet.slug.clone(), title: sheet.title.clone(), category: "Cheat sheets".to_string(), url: linker.url(&route), summary: sheet.summary.clone(), tags: sheet.tags.clone(), keywords: String::new() };
        out.add(page, entry);
    }

    let quiz = site.page("quiz");
    out.add(
        PageMeta { bundle: super::Bundle::Learn(super::layout::LEARN_BUNDLE), ..meta(quiz, "/quiz", "quiz", Some(Section::Quiz), super::quiz::hub_main(site, quiz, linker)) },
        entry(quiz, "quiz", "quiz", "Quiz", linker.url("/quiz")),
    );
    for quiz in &site.quizzes {
        let route = quiz.route();
        let module = site.modules.iter().find(|module| module.slug == quiz.module);
        let title = format!("{}: quiz", module.map_or(quiz.module.as_str(), |module| module.title.as_str()));
        let description = format!("{} questions on {}, each explained, with a certificate for {}% or more.", quiz.questions.len(), module.map_or("", |module| module.title.as_str()), atlas_components::learn::certificate::PASS_PERCENT);
        let page = PageMeta { route: &route, title: &title, description: &description, kind: "module-quiz", section: Some(Section::Quiz), bundle: super::Bundle::Learn(super::layout::LEARN_BUNDLE), main: super::quiz::module_quiz_main(site, quiz, linker) };
        let entry = CatalogueEntry { kind: "quiz", id: quiz.module.clone(), slug: quiz.module.clone(), title: title.clone(), category: "Quiz".to_string(), url: linker.url(&route), summary: description.clone(), tags: Vec::new(), keywords: String::new() };
        out.add(page, entry);
    }
    let practice = site.page("practice");
    out.add(
        PageMeta { bundle: super::Bundle::Learn(super::layout::PRACTICE_BUNDLE), ..meta(practice, "/quiz/practice", "practice", Some(Section::Quiz), super::quiz::practice_main(practice, linker)) },
        entry(practice, "quiz", "practice", "Quiz", linker.url("/quiz/practice")),
    );
    let verify = site.page("verify");
    out.add(
        PageMeta { bundle: super::Bundle::Learn(super::layout::LEARN_BUNDLE), ..meta(verify, "/quiz/verify", "verify", Some(Section::Quiz), super::quiz::verify_main(site, verify, linker)) },
        entry(verify, "quiz", "verify", "Quiz", linker.url("/quiz/verify")),
    );
    let progress = site.page("progress");
    out.add(
        PageMeta { bundle: super::Bundle::Learn(super::layout::LEARN_BUNDLE), ..meta(progress, "/progress", "progress", None, super::quiz::progress_main(site, progress, linker)) },
        entry(progress, "progress", "progress", "Progress", linker.url("/progress")),
    );

    let not_found = site.page("not-found");
    let page = meta(not_found, "", "not-found", None, not_found_main(site, not_found, linker));
    let html = layout(out.shell, out.linker, &page);
    out.pages.push(RenderedPage { route: String::new(), html, bundle: page.bundle.clone() });

    // Served by the service worker, offline, for an address this device has not saved.
    let offline = site.page("offline");
    let page = meta(offline, "/offline.html", "offline", None, offline_main(offline, linker));
    let html = layout(out.shell, out.linker, &page);
    out.pages.push(RenderedPage { route: page.route.to_string(), html, bundle: page.bundle.clone() });

    (out.pages, out.catalogue)
}

struct Output<'a> {
    shell: &'a Shell,
    linker: &'a Linker,
    pages: Vec<RenderedPage>,
    catalogue: Vec<CatalogueEntry>,
}

impl Output<'_> {
    /// A case study, problem or reference document: its page and its catalogue entry.
    fn add_long(&mut self, long: &crate::long::LongPage, route: &str, kind: &'static str, category: &str, main: Markup) {
        let page = PageMeta { route, title: &long.title, description: &long.summary, kind, section: None, bundle: bundle_for(&long.body.embeds), main };
        let entry = long_entry(long, kind, category, self.linker.url(route));
        self.add(page, entry);
    }

    fn add(&mut self, page: PageMeta, entry: CatalogueEntry) {
        let html = layout(self.shell, self.linker, &page);
        self.pages.push(RenderedPage { route: page.route.to_string(), html, bundle: page.bundle.clone() });
        self.catalogue.push(entry);
    }
}

fn meta<'a>(page: &'a StaticPage, route: &'a str, kind: &'static str, section: Option<Section>, main: Markup) -> PageMeta<'a> {
    PageMeta { route, title: &page.title, description: &page.summary, kind, section, bundle: bundle_for(&page.body.embeds), main }
}

/// The bundle a page with these embeds loads: the core, or the one that carries its tools.
fn bundle_for<'a>(embeds: impl IntoIterator<Item = &'a crate::embed::Embed>) -> super::Bundle {
    super::Bundle::of(embeds.into_iter().map(|embed| embed.tool.slug).collect())
}

fn entry(page: &StaticPage, kind: &'static str, slug: &str, category: &str, url: String) -> CatalogueEntry {
    CatalogueEntry {
        kind,
        id: slug.to_string(),
        slug: slug.to_string(),
        title: page.title.clone(),
        category: category.to_string(),
        url,
        summary: page.summary.clone(),
        tags: Vec::new(),
        keywords: String::new(),
    }
}

fn long_entry(page: &crate::long::LongPage, kind: &'static str, category: &str, url: String) -> CatalogueEntry {
    CatalogueEntry { kind, id: page.slug.clone(), slug: page.slug.clone(), title: page.title.clone(), category: category.to_string(), url, summary: page.summary.clone(), tags: page.tags.clone(), keywords: String::new() }
}

fn page_header(title: &str, lede: &str) -> Markup {
    html! {
        header class="page-header" {
            h1 { (title) }
            p class="lede" { (lede) }
        }
    }
}

fn prose(html_fragment: &str) -> Markup {
    html! { div class="prose" { (PreEscaped(html_fragment)) } }
}

fn home_main(site: &Site, home: &StaticPage, linker: &Linker) -> Markup {
    let tools = featured_tools(site, &home.featured);
    let first_tool = tools.iter().find_map(|tool| tool.url.clone());
    html! {
        section class="hero" {
            h1 { (home.title) }
            (prose(&home.body.html))
            p class="hero__actions" {
                a class="button button--primary" href=(linker.url("/modules")) { "Start with the modules" }
                a class="button" href=(first_tool.unwrap_or_else(|| linker.url("/visualizers"))) { "Play with a visualizer" }
            }
        }
        section aria-labelledby="home-modules" {
            h2 id="home-modules" { "Ten modules, from estimates to case studies" }
            (module_cards(site, linker))
        }
        section aria-labelledby="home-tools" {
            h2 id="home-tools" { "The first visualizers" }
            (tool_list(&tools))
            p { a href=(linker.url("/visualizers")) { "Every visualizer and tool" } }
        }
    }
}

fn module_cards(site: &Site, linker: &Linker) -> Markup {
    html! {
        ol class="card-grid" {
            @for module in &site.modules {
                li class="card" {
                    p class="card__eyebrow" { "Module " (module.order) }
                    h3 class="card__title" { a href=(linker.url(&module.route())) { (module.title) } }
                    p { (module.summary) }
                }
            }
        }
    }
}

fn modules_main(site: &Site, page: &StaticPage, linker: &Linker) -> Markup {
    html! {
        (page_header(&page.title, &page.summary))
        (prose(&page.body.html))
        (module_cards(site, linker))
    }
}

fn module_main(site: &Site, index: usize, linker: &Linker) -> Markup {
    let module: &Module = &site.modules[index];
    let previous = index.checked_sub(1).and_then(|i| site.modules.get(i));
    let next = site.modules.get(index + 1);
    html! {
        (super::breadcrumbs(&[("Modules", linker.url("/modules"))], &module.title))
        header class="page-header" {
            p class="eyebrow" { "Module " (module.order) " of " (site.modules.len()) }
            h1 { (module.title) }
            p class="lede" { (module.summary) }
        }
        section class="objectives" aria-labelledby="objectives" {
            h2 id="objectives" { "What you will be able to do" }
            ul { @for objective in &module.objectives { li { (PreEscaped(objective)) } } }
        }
        (prose(&module.intro.html))
        @if site.quizzes.iter().any(|quiz| quiz.module == module.slug) {
            aside class="module-quiz-link" aria-label="Quiz" {
                p {
                    a class="button button--primary" href=(linker.url(&format!("/quiz/{}", module.slug))) { "Take the module quiz" }
                    " " span class="muted" { "Check yourself at the end, and earn a certificate." }
                }
                div class="module-progress" data-island="module-progress" data-module=(module.slug) data-routes=(super::quiz::module_routes(site, &module.slug, linker).join(" ")) hidden {}
            }
        }
        section aria-labelledby="topics" {
            h2 id="topics" { "Topics and tools" }
            ol class="topic-list" {
                @for topic in &module.topics {
                    li class="topic" data-kind=(kind_name(topic.kind)) {
                        span class={ "badge badge--" (kind_name(topic.kind)) } { (kind_label(topic.kind)) }
                        span class="topic__title" {
                            @if let Some(url) = &topic.url {
                                a href=(url) { (topic.title) }
                            } @else {
                                (topic.title)
                            }
                        }
                        span class="topic__note" { (PreEscaped(&topic.note)) }
                        @if topic.url.is_none() && topic.planned.is_some() {
                            span class="topic__status" { "Coming soon" }
                        }
                    }
                }
            }
        }
        (super::long::put_to_work(site, &module.route(), linker))
        (super::sources(&module.sources))
        nav class="pager" aria-label="Modules" {
            @if let Some(previous) = previous {
                a class="pager__prev" href=(linker.url(&previous.route())) rel="prev" { span { "Previous module" } (previous.title) }
            }
            @if let Some(next) = next {
                a class="pager__next" href=(linker.url(&next.route())) rel="next" { span { "Next module" } (next.title) }
            }
        }
    }
}

/// A tool named by a module, with the page it will have.
#[derive(Clone)]
pub struct ToolRef {
    pub planned: Option<String>,
    pub title: String,
    pub note: String,
    pub module: String,
    pub url: Option<String>,
}

/// Every tool the modules name, once each, in module order.
fn tools(site: &Site) -> Vec<ToolRef> {
    let mut seen = std::collections::HashSet::new();
    let mut tools = Vec::new();
    for module in &site.modules {
        for topic in module.topics.iter().filter(|topic| topic.kind == TopicKind::Tool) {
            let key = topic.planned.clone().unwrap_or_else(|| topic.title.clone());
            if seen.insert(key) {
                tools.push(ToolRef { planned: topic.planned.clone(), title: topic.title.clone(), note: topic.note.clone(), module: module.title.clone(), url: topic.url.clone() });
            }
        }
    }
    tools
}

/// The headline visualizers, in the order the home page names them.
fn featured_tools(site: &Site, routes: &[String]) -> Vec<ToolRef> {
    let tools = tools(site);
    routes.iter().filter_map(|route| tools.iter().find(|tool| tool.planned.as_deref() == Some(route.as_str())).cloned()).collect()
}

fn tool_list(tools: &[ToolRef]) -> Markup {
    html! {
        ul class="tool-list" {
            @for tool in tools {
                li class="tool" {
                    span class="tool__title" {
                        @if let Some(url) = &tool.url { a href=(url) { (tool.title) } } @else { (tool.title) }
                    }
                    span class="tool__note" { (PreEscaped(&tool.note)) }
                    span class="tool__meta" {
                        (tool.module)
                        @if tool.url.is_none() { " · Coming soon" }
                    }
                }
            }
        }
    }
}

fn visualizers_main(site: &Site, page: &StaticPage, linker: &Linker) -> Markup {
    let coming: Vec<ToolRef> = tools(site).into_iter().filter(|tool| tool.url.is_none()).collect();
    html! {
        (page_header(&page.title, &page.summary))
        (prose(&page.body.html))
        @if site.visualizers.is_empty() {
            p class="empty-state" { "No visualizer is published yet; the list below shows what is coming." }
        } @else {
            h2 { "Ready to play with" }
            ul class="card-grid" {
                @for visualizer in &site.visualizers {
                    li class="card" {
                        p class="card__eyebrow" { "Visualizer" }
                        h3 class="card__title" { a href=(linker.url(&visualizer.route())) { (visualizer.front.title) } }
                        p { (visualizer.front.summary) }
                    }
                }
            }
        }
        @if !coming.is_empty() {
            h2 { "Coming next" }
            p class="count" { (coming.len()) " more tools are planned across the modules." }
            (tool_list(&coming))
        }
    }
}

fn not_found_main(site: &Site, page: &StaticPage, linker: &Linker) -> Markup {
    html! {
        (page_header(&page.title, &page.summary))
        (prose(&page.body.html))
        div class="island" data-island="not-found" {}
        h2 { "Where to go from here" }
        ul class="link-list" {
            li { a href=(linker.url("/")) { "Home" } }
            li { a href=(linker.url("/modules")) { "All learning modules" } }
            li { a href=(linker.url("/patterns")) { "The pattern catalogue" } }
            li { a href=(linker.url("/visualizers")) { "Visualizers and tools" } }
        }
        h2 { "Modules" }
        (module_cards(site, linker))
    }
}

/// The offline fallback. offline.js fills in the pages this device has saved; without it the
/// page still says what happened and links home.
fn offline_main(page: &StaticPage, linker: &Linker) -> Markup {
    html! {
        (page_header(&page.title, &page.summary))
        (prose(&page.body.html))
        h2 { "Saved on this device" }
        ul class="link-list" data-offline-pages hidden {}
        p data-offline-none { "No pages are saved yet, or this browser cannot list them." }
        p { a href=(linker.url("/")) { "Go to the home page" } }
    }
}

fn kind_name(kind: TopicKind) -> &'static str {
    match kind {
        TopicKind::Topic => "topic",
        TopicKind::Tool => "tool",
    }
}

fn kind_label(kind: TopicKind) -> &'static str {
    match kind {
        TopicKind::Topic => "Topic",
        TopicKind::Tool => "Tool",
    }
}
