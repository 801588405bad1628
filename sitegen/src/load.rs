//! Reads `content/`, checks it, and renders its Markdown.

use crate::error::{ContentError, ContentErrors};
use crate::frontmatter::Document;
use crate::links::Linker;
use crate::markdown::{render_body, render_inline};
use crate::model::{Module, Site, StaticPage, Topic, TopicKind};
use crate::patterns::{build_pattern, check_front, PatternFront};
use crate::visualizers::{build_visualizer, VisualizerFront};
use std::collections::BTreeMap;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The pages whose words live in `content/pages/<name>.md`, with their routes.
pub const STATIC_PAGES: [(&str, &str); 14] = [
    ("home", "/"),
    ("modules", "/modules"),
    ("patterns", "/patterns"),
    ("visualizers", "/visualizers"),
    ("case-studies", "/case-studies"),
    ("problems", "/problems"),
    ("cheatsheets", "/cheatsheets"),
    ("reference", "/reference"),
    ("quiz", "/quiz"),
    ("practice", "/quiz/practice"),
    ("verify", "/quiz/verify"),
    ("progress", "/progress"),
    ("not-found", ""),
    ("offline", ""),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModuleFront {
    id: String,
    slug: String,
    title: String,
    order: u32,
    summary: String,
    objectives: Vec<String>,
    topics: Vec<TopicFront>,
    /// Where the module's dated figures were checked; shown at its foot.
    #[serde(default)]
    sources: Vec<crate::patterns::SourceFront>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFront {
    title: String,
    kind: TopicKind,
    note: String,
    planned: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: String,
    summary: String,
    /// Routes of tools to feature, in order (the home page's first visualizers).
    #[serde(default)]
    featured: Vec<String>,
}

/// A file read from disk, kept whole so errors can point into it.
struct Source {
    path: PathBuf,
    text: String,
}

/// Loads and validates the whole content tree for a site published under `base`.
pub fn load_site(content_dir: &Path, base: &str) -> Result<Site, ContentErrors> {
    let mut errors = ContentErrors::default();
    let module_sources = read_dir_sources(&content_dir.join("modules"), &mut errors);
    let page_sources = read_dir_sources(&content_dir.join("pages"), &mut errors);
    let pattern_sources = read_dir_sources(&content_dir.join("patterns"), &mut errors);
    let visualizer_sources = read_dir_sources(&content_dir.join("visualizers"), &mut errors);
    let case_sources = read_dir_sources(&content_dir.join("case-studies"), &mut errors);
    let problem_sources = read_dir_sources(&content_dir.join("problems"), &mut errors);
    let cheat_sources = read_dir_sources(&content_dir.join("cheatsheets"), &mut errors);
    let reference_sources = read_dir_sources(&content_dir.join("reference"), &mut errors);
    let diagrams = crate::diagrams::load_diagrams(&content_dir.join("diagrams"), &mut errors);

    // Pass 1: front matter only, to learn every route before any link is checked.
    let module_fronts = parse_fronts::<ModuleFront>(&module_sources, &mut errors);
    check_unique(&module_fronts, |front| &front.id, "id", &mut errors);
    check_unique(&module_fronts, |front| &front.slug, "slug", &mut errors);

    let mut pattern_fronts = Vec::new();
    for source in &pattern_sources {
        let parsed = Document::split(&source.path, &source.text).and_then(|doc| doc.parse_front::<PatternFront>().map(|front| (doc, front)));
        match parsed {
            Ok((doc, front)) => {
                check_front(&doc, &front, &mut errors);
                pattern_fronts.push((source, front));
            }
            Err(error) => errors.push(error),
        }
    }
    check_unique(&pattern_fronts, |front| &front.id, "id", &mut errors);
    check_unique(&pattern_fronts, |front| &front.slug, "slug", &mut errors);
    let visualizer_fronts = parse_fronts::<VisualizerFront>(&visualizer_sources, &mut errors);
    check_unique(&visualizer_fronts, |front| &front.slug, "slug", &mut errors);
    let pattern_ids: BTreeMap<String, String> = pattern_fronts.iter().map(|(_, front)| (front.id.clone(), front.slug.clone())).collect();
    let case_fronts = parse_fronts::<crate::long::CaseFront>(&case_sources, &mut errors);
    check_unique(&case_fronts, |front| &front.slug, "slug", &mut errors);
    let problem_fronts = parse_fronts::<crate::long::ProblemFront>(&problem_sources, &mut errors);
    check_unique(&problem_fronts, |front| &front.slug, "slug", &mut errors);
    let cheat_fronts = parse_fronts::<crate::long::CheatFront>(&cheat_sources, &mut errors);
    check_unique(&cheat_fronts, |front| &front.slug, "slug", &mut errors);
    let reference_fronts = parse_fronts::<crate::long::ReferenceFront>(&reference_sources, &mut errors);
    check_unique(&reference_fronts, |front| &front.slug, "slug", &mut errors);

    let mut routes: Vec<String> = STATIC_PAGES.iter().filter(|(_, route)| !route.is_empty()).map(|(_, route)| route.to_string()).collect();
    routes.extend(module_fronts.iter().map(|(_, front)| format!("/modules/{}", front.slug)));
    routes.extend(module_fronts.iter().map(|(_, front)| format!("/quiz/{}", front.slug)));
    routes.extend(pattern_fronts.iter().map(|(_, front)| format!("/patterns/{}", front.slug)));
    routes.extend(visualizer_fronts.iter().map(|(_, front)| format!("/visualizers/{}", front.slug)));
    routes.extend(case_fronts.iter().map(|(_, front)| format!("/case-studies/{}", front.slug)));
    routes.extend(problem_fronts.iter().map(|(_, front)| format!("/problems/{}", front.slug)));
    routes.extend(cheat_fronts.iter().map(|(_, front)| format!("/cheatsheets/{}", front.slug)));
    routes.extend(reference_fronts.iter().map(|(_, front)| format!("/reference/{}", front.slug)));
    let tool_pages = visualizer_fronts.iter().map(|(_, front)| (front.slug.clone(), (front.title.clone(), front.summary.clone()))).collect();
    for (source, front) in &visualizer_fronts {
        if atlas_components::registry::find(&front.slug).is_none() {
            errors.push(ContentError::new(&source.path, 1, format!("no tool `{}` in components/src/registry.rs: add its line there", front.slug)));
        }
    }
    for tool in atlas_components::registry::TOOLS {
        if !visualizer_fronts.iter().any(|(_, front)| front.slug == tool.slug) {
            errors.push(ContentError::new(&content_dir.join("visualizers"), 1, format!("the registry lists `{}` but content/visualizers has no page for it", tool.slug)));
        }
    }
    let linker = Linker::new(routes.clone(), base).with_tools(tool_pages).with_diagrams(diagrams.clone());

    // Pass 2: bodies and lists, now that links can be resolved.
    let mut modules = Vec::new();
    for (source, front) in module_fronts {
        let doc = Document::split(&source.path, &source.text).expect("split succeeded in pass 1");
        modules.push(build_module(&doc, front, &linker, &mut errors));
    }
    modules.sort_by_key(|module| module.order);

    let mut patterns = Vec::new();
    for (source, front) in pattern_fronts {
        let doc = Document::split(&source.path, &source.text).expect("split succeeded in pass 1");
        patterns.extend(build_pattern(&doc, front, &diagrams, &pattern_ids, &linker, &mut errors));
    }
    patterns.sort_by(|a, b| a.id.cmp(&b.id));

    let module_slugs: Vec<String> = modules.iter().map(|module| module.slug.clone()).collect();
    let pattern_titles: BTreeMap<String, (String, String)> = patterns.iter().map(|pattern| (pattern.id.clone(), (pattern.title.clone(), pattern.slug.clone()))).collect();
    let module_titles: BTreeMap<String, String> = modules.iter().map(|module| (module.slug.clone(), module.title.clone())).collect();
    let known = crate::long::Known { patterns: &pattern_titles, modules: &module_titles };
    let mut cases: Vec<_> = case_fronts
        .into_iter()
        .map(|(source, front)| {
            let doc = Document::split(&source.path, &source.text).expect("split succeeded in pass 1");
            crate::long::build_case(&doc, front, &known, &linker, &mut errors)
        })
        .collect();
    cases.sort_by(|a, b| a.company.cmp(&b.company));
    let mut problems: Vec<_> = problem_fronts
        .into_iter()
        .map(|(source, front)| {
            let doc = Document::split(&source.path, &source.text).expect("split succeeded in pass 1");
            crate::long::build_problem(&doc, front, &known, &linker, &mut errors)
        })
        .collect();
    problems.sort_by(|a, b| a.page.title.cmp(&b.page.title));
    let mut cheatsheets: Vec<_> = cheat_fronts
        .into_iter()
        .map(|(source, front)| {
            let doc = Document::split(&source.path, &source.text).expect("split succeeded in pass 1");
            crate::long::build_cheatsheet(&doc, front, &linker, &mut errors)
        })
        .collect();
    cheatsheets.sort_by(|a, b| a.title.cmp(&b.title));
    let mut references: Vec<_> = reference_fronts
        .into_iter()
        .map(|(source, front)| {
            let doc = Document::split(&source.path, &source.text).expect("split succeeded in pass 1");
            let reference = crate::long::build_reference(&doc, front, &known, &linker, &mut errors);
            link_covered_topics(&doc, &reference, &mut modules, &linker, &mut errors);
            reference
        })
        .collect();
    references.sort_by(|a, b| a.page.title.cmp(&b.page.title));
    let quizzes = crate::quizzes::load_quizzes(content_dir, &module_slugs, &linker, &mut errors);
    let visualizers = visualizer_fronts
        .into_iter()
        .map(|(source, front)| {
            let doc = Document::split(&source.path, &source.text).expect("split succeeded in pass 1");
            build_visualizer(&doc, front, &module_slugs, &pattern_ids, &linker, &mut errors)
        })
        .collect();

    let module_tool_routes: Vec<String> = modules
        .iter()
        .flat_map(|module| module.topics.iter())
        .filter(|topic| topic.kind == TopicKind::Tool)
        .filter_map(|topic| topic.planned.clone())
        .collect();
    let mut pages = Vec::new();
    for source in &page_sources {
        let name = source.path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default().to_string();
        if !STATIC_PAGES.iter().any(|(known, _)| *known == name) {
            errors.push(ContentError::new(&source.path, 1, format!("unknown page `{name}`: expected one of {}", static_page_names())));
            continue;
        }
        let parsed = Document::split(&source.path, &source.text).and_then(|doc| doc.parse_front::<PageFront>().map(|front| (doc, front)));
        match parsed {
            Ok((doc, front)) => {
                let body = render_body(&doc, &linker, &mut errors);
                for route in &front.featured {
                    let planned = module_tool_routes.iter().any(|known| known == route);
                    if !planned {
                        errors.push(ContentError::new(&source.path, doc.line_of_key("featured"), format!("featured `{route}` is not a tool any module lists")));
                    }
                }
                pages.push(StaticPage { name, title: front.title, summary: front.summary, featured: front.featured, body, source: source.path.clone() });
            }
            Err(error) => errors.push(error),
        }
    }
    for (name, _) in STATIC_PAGES {
        if !pages.iter().any(|page| page.name == name) {
            errors.push(ContentError::new(&content_dir.join("pages").join(format!("{name}.md")), 0, "required page is missing"));
        }
    }
    errors.into_result(Site { modules, pages, patterns, visualizers, cases, problems, cheatsheets, references, quizzes, diagrams, routes })
}

/// Points each module topic a reference document covers at the section that covers it (when the
/// topic has no page of its own), and reports a topic that does not exist or is claimed twice.
fn link_covered_topics(doc: &Document, reference: &crate::long::Reference, modules: &mut [Module], linker: &Linker, errors: &mut ContentErrors) {
    for (index, cover) in reference.covers.iter().enumerate() {
        let line = doc.line_of_text("[[covers]]", index);
        let Some(module) = modules.iter_mut().find(|module| module.slug == cover.module) else {
            errors.push(ContentError::new(doc.path, line, format!("covers: no module `{}`", cover.module)));
            continue;
        };
        let Some(topic) = module.topics.iter_mut().find(|topic| topic.title == cover.topic) else {
            errors.push(ContentError::new(doc.path, line, format!("covers: the module `{}` has no topic titled `{}`", cover.module, cover.topic)));
            continue;
        };
        match &topic.url {
            Some(url) if url.contains("/reference/") => {
                errors.push(ContentError::new(doc.path, line, format!("covers: `{}` is already covered by {url}", cover.topic)));
            }
            Some(_) => {}
            None => topic.url = Some(format!("{}#{}", linker.url(&reference.route()), cover.anchor)),
        }
    }
}

fn build_module(doc: &Document, front: ModuleFront, linker: &Linker, errors: &mut ContentErrors) -> Module {
    let require = |errors: &mut ContentErrors, ok: bool, key: &str, message: &str| {
        if !ok {
            errors.push(ContentError::new(doc.path, doc.line_of_key(key), message.to_string()));
        }
    };
    require(errors, is_slug(&front.slug), "slug", "slug must be lowercase words joined by `-`");
    require(errors, !front.title.trim().is_empty(), "title", "title must not be empty");
    require(errors, !front.summary.trim().is_empty(), "summary", "summary must not be empty");
    require(errors, (4..=6).contains(&front.objectives.len()), "objectives", "a module needs 4 to 6 learning objectives");
    require(errors, !front.topics.is_empty(), "topics", "a module needs its list of topics and tools");
    require(errors, !front.sources.is_empty(), "summary", "a module lists the primary sources behind its figures: add a `[[sources]]` list (url, title, checked)");
    crate::patterns::check_sources(doc, &front.sources, errors);

    let topics = front
        .topics
        .into_iter()
        .enumerate()
        .map(|(index, topic)| {
            let line = doc.line_of_text("[[topics]]", index);
            if let Some(planned) = &topic.planned {
                if !crate::links::is_internal(planned) {
                    errors.push(ContentError::new(doc.path, line, format!("planned route `{planned}` must start with `/`")));
                }
            }
            let note = render_inline(&topic.note, doc, line, linker, errors);
            let url = topic.planned.as_deref().and_then(|route| linker.planned(route));
            Topic { title: topic.title, kind: topic.kind, note, planned: topic.planned, url }
        })
        .collect();
    let objectives = front
        .objectives
        .iter()
        .map(|objective| render_inline(objective, doc, doc.line_of_key("objectives"), linker, errors))
        .collect();
    Module {
        id: front.id,
        slug: front.slug,
        title: front.title,
        order: front.order,
        summary: front.summary,
        objectives,
        topics,
        intro: render_body(doc, linker, errors),
        sources: front.sources,
        source: doc.path.to_path_buf(),
    }
}

/// The front matter of each file, as `T`; a file that does not parse is reported and left out.
fn parse_fronts<'a, T: serde::de::DeserializeOwned>(sources: &'a [Source], errors: &mut ContentErrors) -> Vec<(&'a Source, T)> {
    sources
        .iter()
        .filter_map(|source| match Document::split(&source.path, &source.text).and_then(|doc| doc.parse_front::<T>()) {
            Ok(front) => Some((source, front)),
            Err(error) => {
                errors.push(error);
                None
            }
        })
        .collect()
}

/// Reports every value of `key` that an earlier file already used.
fn check_unique<T>(items: &[(&Source, T)], key_of: impl Fn(&T) -> &String, key: &str, errors: &mut ContentErrors) {
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for (source, item) in items {
        let value = key_of(item);
        if let Some(first) = seen.insert(value, &source.path) {
            let doc = Document::split(&source.path, &source.text).expect("parsed before");
            errors.push(ContentError::new(
                &source.path,
                doc.line_of_key(key),
                format!("duplicate {key} `{value}`: {} already uses it", first.display()),
            ));
        }
    }
}

fn read_dir_sources(dir: &Path, errors: &mut ContentErrors) -> Vec<Source> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        // An absent folder is an empty one; required pages are checked by name.
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(error) => {
            errors.push(ContentError::new(dir, 0, format!("cannot read directory: {error}")));
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| match std::fs::read_to_string(&path) {
            Ok(text) => Some(Source { path, text: text.replace("\r\n", "\n") }),
            Err(error) => {
                errors.push(ContentError::new(&path, 0, format!("cannot read file: {error}")));
                None
            }
        })
        .collect()
}

fn static_page_names() -> String {
    STATIC_PAGES.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
}

/// Lowercase ASCII words joined by single hyphens.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|word| !word.is_empty() && word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
}
