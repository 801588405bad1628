//! The content compiler accepts the real content and rejects broken content with file and line.

use atlas_sitegen::compile;
use atlas_sitegen::render::Shell;
use std::path::{Path, PathBuf};

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

/// A writable copy of the real content, to break on purpose.
fn copy_of_content() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    copy_dir(&content_dir(), temp.path());
    temp
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn edit(path: &Path, change: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, change(text)).unwrap();
}

fn errors_of(dir: &Path) -> Vec<String> {
    match compile(dir, &Shell::bare(), "/") {
        Ok(_) => Vec::new(),
        Err(errors) => errors.0.iter().map(ToString::to_string).collect(),
    }
}

#[test]
fn the_real_content_compiles_into_every_route() {
    let build = compile(&content_dir(), &Shell::bare(), "/sub/path/").unwrap_or_else(|errors| panic!("{errors}"));
    let modules = build.catalogue.iter().filter(|entry| entry.kind == "module").count();
    assert_eq!(modules, 10);
    for entry in &build.catalogue {
        assert!(entry.url.starts_with("/sub/path/"), "{}", entry.url);
    }
    // Every catalogue page has a file, and the not-found and offline pages are written too.
    let pages = build.catalogue.iter().filter(|entry| entry.kind != "section").count();
    assert_eq!(build.pages.len(), pages + 2);
    let module = build.pages.iter().find(|page| page.route == "/modules/networking").expect("networking module page");
    assert!(module.html.contains("<h1>Networking, Delivery &amp; Edge</h1>"));
    assert!(module.html.contains(r#"href="/sub/path/modules/""#));
    assert!(module.html.contains(r#"href="/sub/path/quiz/networking/""#), "a module links to its quiz");
    decks_hold_every_question_and_their_diagrams(&build);
}

/// Opens the Anki deck of everything as Anki would: a zip holding a SQLite collection and the
/// media, numbered, with a `media` index naming them.
fn decks_hold_every_question_and_their_diagrams(build: &atlas_sitegen::Build) {
    use std::io::Read;
    let written: usize = build.question_counts.iter().flat_map(|(_, kinds)| kinds.iter().map(|(_, count)| count)).sum();
    assert!(written >= 300, "at least 300 written questions, found {written}");
    let decks: Vec<&String> = build.files.iter().map(|(path, _)| path).filter(|path| path.ends_with(".apkg")).collect();
    assert_eq!(decks.len(), 11, "one deck per module and one of everything: {decks:?}");
    let (_, bytes) = build.files.iter().find(|(path, _)| path == "quiz/decks/all.apkg").expect("the deck of everything");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("an .apkg is a zip");
    let mut media_index = String::new();
    zip.by_name("media").expect("a media index").read_to_string(&mut media_index).unwrap();
    let media: std::collections::BTreeMap<String, String> = serde_json::from_str(&media_index).expect("the media index is JSON");
    assert!(media.len() >= 10, "every diagram question's diagram travels with the deck: {media:?}");
    for (number, name) in &media {
        let mut svg = String::new();
        zip.by_name(number).unwrap_or_else(|_| panic!("media file {number} ({name})")).read_to_string(&mut svg).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("<style>svg{--surface:#ffffff") && svg.contains(".dg-box {"), "{name} carries its colours: {}", &svg[..200.min(svg.len())]);
    }
    let collection = tempfile::NamedTempFile::new().unwrap();
    let mut database = Vec::new();
    zip.by_name("collection.anki2").expect("the collection").read_to_end(&mut database).unwrap();
    std::fs::write(collection.path(), &database).unwrap();
    let connection = rusqlite::Connection::open(collection.path()).unwrap();
    let notes: i64 = connection.query_row("SELECT count(*) FROM notes", [], |row| row.get(0)).unwrap();
    assert_eq!(notes as usize, written, "one note per written question");
    let cards: i64 = connection.query_row("SELECT count(*) FROM cards", [], |row| row.get(0)).unwrap();
    assert_eq!(cards, notes, "one card per note");
    let mut statement = connection.prepare("SELECT flds FROM notes WHERE flds LIKE '%<img src=%'").unwrap();
    let fields: Vec<String> = statement.query_map([], |row| row.get(0)).unwrap().map(Result::unwrap).collect();
    assert!(!fields.is_empty());
    for field in fields {
        let name = field.split("<img src=\"").nth(1).and_then(|rest| rest.split('"').next()).unwrap();
        assert!(media.values().any(|file| file == name), "{name} is in the deck's media");
    }
    let (_, first_module) = build.files.iter().find(|(path, _)| path == "quiz/decks/foundations.apkg").expect("a module's deck");
    assert!(first_module.len() < bytes.len());
}

#[test]
fn a_broken_internal_link_fails_with_file_and_line() {
    let temp = copy_of_content();
    let file = temp.path().join("modules/02-networking.md");
    let line_count = std::fs::read_to_string(&file).unwrap().lines().count();
    edit(&file, |text| format!("{text}\nRead [this](/patterns/does-not-exist).\n"));
    let errors = errors_of(temp.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let expected = format!("02-networking.md:{}: broken internal link `/patterns/does-not-exist`", line_count + 2);
    assert!(errors[0].contains(&expected), "{} should contain {expected}", errors[0]);
}

#[test]
fn a_duplicate_id_and_slug_fail_naming_both_files() {
    let temp = copy_of_content();
    edit(&temp.path().join("modules/03-data-storage.md"), |text| {
        text.replacen("id = \"M03\"", "id = \"M02\"", 1).replacen("slug = \"data-storage\"", "slug = \"networking\"", 1)
    });
    let errors = errors_of(temp.path());
    assert!(errors.iter().any(|error| error.contains("03-data-storage.md:2: duplicate id `M02`") && error.contains("02-networking.md")), "{errors:#?}");
    assert!(errors.iter().any(|error| error.contains("03-data-storage.md:3: duplicate slug `networking`")), "{errors:#?}");
}

#[test]
fn a_missing_required_field_fails() {
    let temp = copy_of_content();
    edit(&temp.path().join("modules/01-foundations.md"), |text| {
        text.lines().filter(|line| !line.starts_with("summary =")).collect::<Vec<_>>().join("\n")
    });
    let errors = errors_of(temp.path());
    assert!(errors.iter().any(|error| error.contains("01-foundations.md") && error.contains("missing field `summary`")), "{errors:#?}");
}

#[test]
fn an_unknown_field_and_a_bad_kind_fail() {
    let temp = copy_of_content();
    edit(&temp.path().join("modules/01-foundations.md"), |text| text.replacen("kind = \"tool\"", "kind = \"gadget\"", 1));
    let errors = errors_of(temp.path());
    assert!(errors.iter().any(|error| error.contains("01-foundations.md") && error.contains("gadget")), "{errors:#?}");
}

#[test]
fn a_missing_required_page_fails() {
    let temp = copy_of_content();
    std::fs::remove_file(temp.path().join("pages/quiz.md")).unwrap();
    let errors = errors_of(temp.path());
    assert!(errors.iter().any(|error| error.contains("quiz.md") && error.contains("required page is missing")), "{errors:#?}");
}

const HERD: &str = "patterns/cache-001-thundering-herd.md";

#[test]
fn the_real_content_has_every_phase_one_pattern_with_a_diagram() {
    let build = compile(&content_dir(), &Shell::bare(), "/").unwrap_or_else(|errors| panic!("{errors}"));
    let patterns: Vec<_> = build.catalogue.iter().filter(|entry| entry.kind == "pattern").collect();
    // Sections 1.1 to 1.10 of the seed: these prefixes and counts (the later phases add to some).
    for (prefix, count) in [("CACHE-", 5), ("K8S-", 4), ("NET-", 7), ("SEC-", 7), ("DB-", 6), ("MICRO-", 6), ("CLOUD-", 5), ("CASE-", 5), ("APP-", 4), ("DATA-", 4), ("SEARCH-", 2), ("AI-", 1)] {
        for number in 1..=count {
            let id = format!("{prefix}{number:03}");
            assert!(patterns.iter().any(|entry| entry.id == id), "{id} is in the seed's first phase and has no page");
        }
    }
    assert!(build.diagrams >= patterns.len(), "{} diagrams for {} patterns", build.diagrams, patterns.len());
    let herd = build.pages.iter().find(|page| page.route == "/patterns/thundering-herd").expect("thundering herd page");
    assert!(herd.html.contains("<svg class=\"dg dg--architecture\""));
    assert!(herd.html.contains("data-island=\"quiz\""));
}

#[test]
fn a_pattern_missing_a_required_field_fails() {
    let temp = copy_of_content();
    edit(&temp.path().join(HERD), |text| {
        // Drop the whole `mistakes = [ … ]` array.
        let start = text.find("mistakes = [").expect("a mistakes field");
        let end = start + text[start..].find("\n]\n").expect("the end of the array") + 3;
        format!("{}{}", &text[..start], &text[end..])
    });
    let errors = errors_of(temp.path());
    assert!(errors.iter().any(|error| error.contains("cache-001-thundering-herd.md") && error.contains("missing field `mistakes`")), "{errors:#?}");
}

#[test]
fn a_quiz_answer_that_is_not_an_option_fails() {
    let temp = copy_of_content();
    edit(&temp.path().join(HERD), |text| {
        let at = text.find("answer = ").expect("a quiz answer");
        let end = at + text[at..].find('\n').unwrap();
        format!("{}answer = \"None of the above, surely\"{}", &text[..at], &text[end..])
    });
    // The module quizzes' checks, in the same compile.
    edit(&temp.path().join("quizzes/foundations.toml"), |text| {
        let last = text.rfind("difficulty = \"").expect("a difficulty");
        let text = format!("{}difficulty = \"expert{}", &text[..last], &text[last + "difficulty = \"".len()..]);
        let at = text.find("tolerance = ").expect("a number question");
        let end = at + text[at..].find('\n').unwrap();
        format!("{}tolerance = 2.0{}", &text[..at], &text[end..])
    });
    std::fs::remove_file(temp.path().join("quizzes/cloud.toml")).unwrap();
    let errors = errors_of(temp.path());
    assert!(errors.iter().any(|error| error.contains("cache-001-thundering-herd.md") && error.contains("is not exactly one of its options")), "{errors:#?}");
    assert!(errors.iter().any(|error| error.contains("foundations.toml") && error.contains("is not one of beginner, intermediate, advanced")), "{errors:#?}");
    assert!(errors.iter().any(|error| error.contains("foundations.toml") && error.contains("`tolerance` is relative")), "{errors:#?}");
    assert!(errors.iter().any(|error| error.contains("module `cloud` has no quiz")), "{errors:#?}");
}

#[test]
fn sources_are_checked_and_shown_at_the_foot_of_the_page() {
    let add = |example_source: &str, sources: &str| {
        let temp = copy_of_content();
        edit(&temp.path().join(HERD), |text| {
            let text = text.replacen("source = \"https://www.usenix.org/conference/nsdi13/technical-sessions/presentation/nishtala\"", &format!("source = \"{example_source}\""), 1);
            let at = text.find("\n+++\n").expect("the end of the front matter");
            format!("{}\n{sources}{}", &text[..at], &text[at..])
        });
        temp
    };
    let good = "[[sources]]\nurl = \"https://www.usenix.org/conference/nsdi13/technical-sessions/presentation/nishtala\"\ntitle = \"Scaling Memcache at Facebook (NSDI 2013)\"\nchecked = \"2026-12-06\"\n";
    let temp = add("https://www.usenix.org/system/files/conference/nsdi13/nsdi13-final170_update.pdf", good);
    let build = compile(temp.path(), &Shell::bare(), "/").unwrap_or_else(|errors| panic!("{errors}"));
    let herd = build.pages.iter().find(|page| page.route == "/patterns/thundering-herd").expect("the page");
    assert!(herd.html.contains(r#"<h2 id="sources">Sources</h2>"#) && herd.html.contains(">Scaling Memcache at Facebook (NSDI 2013)</a>") && herd.html.contains(r#"datetime="2026-12-06""#), "{}", herd.html);
    assert!(herd.html.contains(r#"href="https://www.usenix.org/system/files/conference/nsdi13/nsdi13-final170_update.pdf" aria-label="Source: Facebook (2013)">Source</a>"#), "{}", herd.html);
    // A script address, a source without its date, and a quote that would break out of the attribute.
    let bad = "[[sources]]\nurl = \"https://example.org/a\\\"b\"\ntitle = \"A\"\nchecked = \"recently\"\n";
    let temp = add("javascript:alert(1)", bad);
    let errors = errors_of(temp.path());
    for expected in ["the example's source `javascript:alert(1)` must start with https://", "its url `https://example.org/a\"b` holds a space or a quote", "checked `recently` must be the date it was read"] {
        assert!(errors.iter().any(|error| error.contains("cache-001-thundering-herd.md") && error.contains(expected)), "{expected}: {errors:#?}");
    }    // A pattern or a module without its list of sources fails the build.
    let temp = copy_of_content();
    for file in [HERD, "modules/01-foundations.md"] {
        edit(&temp.path().join(file), |text| {
            let start = text.find("\n[[sources]]").expect("a list of sources");
            let end = start + text[start..].find("\n+++").expect("the end of the front matter");
            format!("{}{}", &text[..start], &text[end..])
        });
    }
    let errors = errors_of(temp.path());
    assert!(errors.iter().any(|error| error.contains("cache-001-thundering-herd.md:") && error.contains("a pattern lists the primary sources")), "{errors:#?}");
    assert!(errors.iter().any(|error| error.contains("01-foundations.md:") && error.contains("a module lists the primary sources")), "{errors:#?}");
    // An example without its source fails the build at its line.
    let temp = copy_of_content();
    edit(&temp.path().join(HERD), |text| text.replacen("source = \"https://www.usenix.org/conference/nsdi13/technical-sessions/presentation/nishtala\"\n", "", 1));
    let errors = errors_of(temp.path());
    assert!(errors.iter().any(|error| error.contains("cache-001-thundering-herd.md:") && error.contains("the Facebook example needs `source")), "{errors:#?}");
}

#[test]
fn modules_and_tool_pages_list_their_sources_the_same_way() {
    let with_sources = |sources: &str| {
        let temp = copy_of_content();
        for file in ["modules/01-foundations.md", "visualizers/raft.md"] {
            edit(&temp.path().join(file), |text| {
                let at = text[3..].find("\n+++\n").expect("the end of the front matter") + 3;
                format!("{}\n{sources}{}", &text[..at], &text[at..])
            });
        }
        temp
    };
    let good = "[[sources]]\nurl = \"https://raft.github.io/raft.pdf\"\ntitle = \"In Search of an Understandable Consensus Algorithm (USENIX ATC 2014)\"\nchecked = \"2026-12-06\"\n";
    let temp = with_sources(good);
    let build = compile(temp.path(), &Shell::bare(), "/").unwrap_or_else(|errors| panic!("{errors}"));
    for route in ["/modules/foundations", "/visualizers/raft"] {
        let page = build.pages.iter().find(|page| page.route == route).expect("the page");
        assert!(page.html.contains(r#"<h2 id="sources">Sources</h2>"#) && page.html.contains(r#"<a href="https://raft.github.io/raft.pdf">In Search of an Understandable Consensus Algorithm (USENIX ATC 2014)</a>"#), "{route}: {}", page.html);
    }
    let errors = errors_of(with_sources("[[sources]]\nurl = \"ftp://example.org\"\ntitle = \"\"\nchecked = \"2026-13-01\"\n").path());
    for file in ["01-foundations.md", "raft.md"] {
        for expected in ["must start with https://", "needs a title", "must be the date it was read"] {
            assert!(errors.iter().any(|error| error.contains(file) && error.contains(expected)), "{file} {expected}: {errors:#?}");
        }
    }
}

#[test]
fn a_diagram_block_places_a_second_diagram_in_the_text_with_its_walk_through() {
    let temp = copy_of_content();
    edit(&temp.path().join(HERD), |text| text.replacen("## How it works", "## How it works\n\n```diagram\nname = \"database-sharding\"\n```\n", 1));
    let build = compile(temp.path(), &Shell::bare(), "/").unwrap_or_else(|errors| panic!("{errors}"));
    let herd = build.pages.iter().find(|page| page.route == "/patterns/thundering-herd").expect("the page");
    assert_eq!(herd.html.matches(r#"data-island="diagram""#).count(), 2, "its own diagram and the one in the text");
    assert!(herd.html.contains(r#"data-diagram="database-sharding""#) && herd.html.contains(r#"id="dg-database-sharding-steps""#), "{}", herd.html);
    for (block, expected) in [("name = \"no-such-diagram\"", "no diagram `no-such-diagram`"), ("diagram = \"database-sharding\"", "holds one line, name = ")] {
        let temp = copy_of_content();
        edit(&temp.path().join(HERD), |text| text.replacen("## How it works", &format!("## How it works\n\n```diagram\n{block}\n```\n"), 1));
        let errors = errors_of(temp.path());
        assert!(errors.iter().any(|error| error.contains("cache-001-thundering-herd.md:") && error.contains(expected)), "{expected}: {errors:#?}");
    }
}

#[test]
fn a_diagram_that_fails_its_lint_fails_with_its_name() {
    let temp = copy_of_content();
    let diagram = temp.path().join("diagrams/thundering-herd.toml");
    edit(&diagram, |text| {
        let at = text.find("label = \"").expect("a label") + "label = \"".len();
        format!("{}Averyveryverylongunbreakablelabelthatcannotfit{}", &text[..at], &text[at..])
    });
    let errors = errors_of(temp.path());
    assert!(errors.iter().any(|error| error.contains("thundering-herd.toml") && error.contains("diagram `thundering-herd`") && error.contains("does not fit")), "{errors:#?}");
}

#[test]
fn an_embedded_tool_with_a_bad_preset_fails_at_its_line_and_a_second_kind_gets_a_bundle_for_both() {
    let dir = copy_of_content();
    let module = dir.path().join("modules/01-foundations.md");
    edit(&module, |text| text.replace("nodes = 3\n", "nodes = 99\n"));
    let errors = errors_of(dir.path());
    assert!(errors.iter().any(|error| error.contains("01-foundations.md:") && error.contains("preset `nodes` = 99")), "{errors:?}");

    let dir = copy_of_content();
    let module = dir.path().join("modules/01-foundations.md");
    edit(&module, |text| text.replacen("## How to work through the module", "```viz\ntool = \"retries\"\n```\n\n## How to work through the module", 1));
    let build = compile(dir.path(), &Shell::bare(), "/").unwrap_or_else(|errors| panic!("{errors}"));
    let module = build.pages.iter().find(|page| page.route == "/modules/foundations").expect("the foundations module");
    assert_eq!(module.bundle.name().as_deref(), Some("cap-theorem--retries"));
    assert!(atlas_sitegen::bundles::plan(&build.pages).contains(&module.bundle), "the plan builds a bundle for the new mix");
}

#[test]
fn a_page_with_an_embedded_tool_loads_that_tool_and_carries_its_preset() {
    let site = compile(&content_dir(), &Shell::bare(), "/base/").expect("the real content compiles");
    let module = site.pages.iter().find(|page| page.route == "/modules/foundations").expect("the foundations module");
    assert!(module.html.contains(r#"data-viz="cap-theorem""#), "the module embeds the CAP tool");
    assert!(module.html.contains("data-viz-preset=\"mode=ap&amp;nodes=3&amp;reconcile=vv\""), "the preset is validated and encoded");
    let pattern = site.pages.iter().find(|page| page.route == "/patterns/thundering-herd").expect("the thundering herd pattern");
    assert!(pattern.html.contains(r#"data-viz="cache-stampede""#), "the pattern shows its tool beside the diagram");
}

#[test]
fn the_development_shell_matches_the_release_shell_but_for_the_tool_bundles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = |name: &str| -> Vec<String> {
        std::fs::read_to_string(root.join(name))
            .unwrap()
            .lines()
            // Tags only: comments (and their continuation lines) and the tool bundles may differ.
            .filter(|line| line.trim_start().starts_with('<') && !line.trim_start().starts_with("<!--") && !line.contains("data-bin=\"viz-"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(shared("index.html"), shared("dev.html"), "dev.html must carry the same stylesheet, app and files as index.html");
    let release = std::fs::read_to_string(root.join("index.html")).unwrap();
    for tool in atlas_components::registry::TOOLS {
        assert!(release.contains(&format!("data-bin=\"viz-{}\"", tool.slug)), "index.html builds no bundle for {}", tool.slug);
    }
}

#[test]
fn the_committed_tool_bundles_match_the_registry_and_the_pages() {
    let build = compile(&content_dir(), &Shell::bare(), "/").unwrap_or_else(|errors| panic!("{errors}"));
    let plan = atlas_sitegen::bundles::plan(&build.pages);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let changes = atlas_sitegen::bundles::sync(&root, &plan, true).unwrap();
    assert!(changes.is_empty(), "out of step: {changes:?}; run `cargo run -p atlas-sitegen -- bundles`");
}

/// The tool bundles leave the catalogue filter out (islands/src/lib.rs, `start_with_tools`): a
/// page that loads one must not show it, and the page that does show it loads the core.
#[test]
fn a_page_with_tools_never_shows_the_catalogue_filter() {
    let build = compile(&content_dir(), &Shell::bare(), "/").unwrap_or_else(|errors| panic!("{errors}"));
    let filter = r#"data-island="pattern-filter""#;
    let showing: Vec<&atlas_sitegen::render::RenderedPage> = build.pages.iter().filter(|page| page.html.contains(filter)).collect();
    assert!(!showing.is_empty(), "the pattern index shows the filter");
    for page in showing {
        assert!(page.bundle.tools().is_empty(), "{} shows the catalogue filter and loads the tools {:?}, whose bundle has no filter", page.route, page.bundle.tools());
    }
}

#[test]
fn case_studies_and_problems_are_built_on_their_templates() {
    let build = compile(&content_dir(), &Shell::bare(), "/b/").unwrap_or_else(|errors| panic!("{errors}"));
    let case = build.pages.iter().find(|page| page.route == "/case-studies/discord").expect("the Discord case study");
    // The metrics sit between the architecture and the trade-offs; the challenge closes the text.
    let order = ["id=\"architecture\"", "id=\"important-metrics\"", "id=\"trade-offs\"", "id=\"try-it-yourself\"", "data-island=\"viz\"", "id=\"design-challenge\"", "Show a worked answer", "id=\"sources\""];
    let positions: Vec<usize> = order.iter().map(|marker| case.html.find(marker).unwrap_or_else(|| panic!("no {marker}"))).collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{order:?} at {positions:?}");
    let problem = build.pages.iter().find(|page| page.route == "/problems/url-shortener").expect("the URL shortener problem");
    let (statement, solution) = problem.html.split_once("<summary>Show the solution</summary>").expect("the solution is behind a disclosure");
    assert!(statement.contains("id=\"requirements\"") && statement.contains("id=\"interview-plan\"") && !statement.contains("id=\"api\""), "the statement, the requirements and the plan come first");
    assert!(solution.contains("data-viz=\"capacity-planner\"") && solution.contains("id=\"follow-up-questions\""));
    for (kind, index) in [("case-study", "/b/case-studies/"), ("problem", "/b/problems/")] {
        assert!(build.catalogue.iter().any(|entry| entry.kind == kind), "{kind} in the catalogue");
        assert!(build.catalogue.iter().any(|entry| entry.url == index), "{index} in the catalogue");
    }
    // Their tools wait for the reader (the core runs the page); a pattern page's load with it.
    assert!(case.html.contains(r#"data-tools="deferred""#) && problem.html.contains(r#"data-tools="deferred""#));
    let pattern = build.pages.iter().find(|page| page.route == "/patterns/database-sharding").expect("the sharding pattern");
    assert!(!pattern.bundle.tools().is_empty() && !pattern.html.contains("data-tools="));
}

#[test]
fn patterns_and_modules_link_the_case_studies_and_problems_that_use_them() {
    let build = compile(&content_dir(), &Shell::bare(), "/b/").unwrap_or_else(|errors| panic!("{errors}"));
    let page = |route: &str| build.pages.iter().find(|page| page.route == route).unwrap_or_else(|| panic!("{route}"));
    let section = |route: &str| page(route).html.split_once(r#"id="put-to-work""#).map(|(_, rest)| rest.split("</section>").next().unwrap_or_default().to_string());
    // Discord's front matter names DB-005 (database sharding) and the data-storage module.
    let discord = std::fs::read_to_string(content_dir().join("case-studies/discord.md")).unwrap();
    assert!(discord.contains("\"DB-005\"") && discord.contains("\"data-storage\""));
    let sharding = section("/patterns/database-sharding").expect("the sharding pattern lists its uses");
    assert!(sharding.contains(r#"href="/b/case-studies/discord/""#), "{sharding}");
    let storage = section("/modules/data-storage").expect("the module lists its uses");
    assert!(storage.contains(r#"href="/b/case-studies/discord/""#), "{storage}");
    // A tool's page lists the case studies that embed it; a module, the cheat sheets that send readers to it.
    let ring = section("/visualizers/consistent-hashing").expect("the ring's page lists its uses");
    assert!(ring.contains(r#"href="/b/case-studies/discord/""#), "Discord embeds the ring: {ring}");
    let latency = std::fs::read_to_string(content_dir().join("cheatsheets/latency-numbers.md")).unwrap();
    assert!(latency.contains("\"/visualizers/latency-numbers\""));
    let tool = section("/visualizers/latency-numbers").expect("the latency tool lists its sheet");
    assert!(tool.contains(r#"href="/b/cheatsheets/latency-numbers/""#), "{tool}");
    // Reference documents are linked back the same way, from the patterns they name and the tool they embed.
    let cap = std::fs::read_to_string(content_dir().join("reference/cap-theorem.md")).unwrap();
    assert!(cap.contains("tool = \"cap-theorem\""));
    let tool = section("/visualizers/cap-theorem").expect("the CAP tool lists its uses");
    assert!(tool.contains(r#"href="/b/reference/cap-theorem/""#), "{tool}");
    // A page nothing builds on has no empty section; where there is one, it links something.
    let patterns: Vec<_> = build.pages.iter().filter(|page| page.route.starts_with("/patterns/") && page.route != "/patterns").collect();
    let sections: Vec<String> = patterns.iter().filter_map(|page| section(&page.route)).collect();
    assert!(!sections.is_empty() && sections.len() < patterns.len(), "{} of {} patterns", sections.len(), patterns.len());
    assert!(sections.iter().all(|section| section.contains("<a href=")));
}

#[test]
fn a_long_page_off_its_template_fails() {
    let temp = copy_of_content();
    edit(&temp.path().join("case-studies/discord.md"), |text| text.replacen("## Lessons learned", "## What we learned", 1).replacen("year = 2023", "year = 2031", 1));
    edit(&temp.path().join("problems/url-shortener.md"), |text| text.replacen("minutes = ", "minutes = 1", 1).replacen("difficulty = \"easy\"", "difficulty = \"trivial\"", 1));
    let errors = errors_of(temp.path()).join("\n");
    assert!(errors.contains("discord.md") && errors.contains("sections must be exactly, in order"), "{errors}");
    assert!(errors.contains("year 2031 must be the year the figure was true"), "{errors}");
    assert!(errors.contains("adding up to 45"), "{errors}");
    assert!(errors.contains("difficulty `trivial`"), "{errors}");
    // A tool the template promises, moved out of its section, is missed there.
    let temp = copy_of_content();
    edit(&temp.path().join("problems/url-shortener.md"), |text| text.replacen("tool = \"capacity-planner\"", "tool = \"latency-numbers\"", 1));
    let errors = errors_of(temp.path()).join("\n");
    assert!(errors.contains("must show the estimate in the capacity planner"), "{errors}");
}

/// A reference document that passes every check: eight parts of filler words, four diagrams, a
/// decision table, ten sources and a section covering one module topic.
fn reference_doc(words_per_part: usize) -> String {
    let filler = |seed: &str| (0..words_per_part).map(|index| format!("{seed}{}", index % 50)).collect::<Vec<_>>().join(" ");
    let sources: String = (0..10).map(|index| format!("[[sources]]\nurl = \"https://example.com/{index}\"\ntitle = \"Source {index}\"\nchecked = \"2026-12-06\"\n\n")).collect();
    let diagrams = ["discord-architecture", "stripe-architecture", "url-shortener-design", "chat-system-design"];
    let mut body = String::new();
    for (index, part) in atlas_sitegen::long::REFERENCE_SECTIONS.iter().enumerate() {
        body.push_str(&format!("## {part}\n\n{}\n\n", filler("word")));
        if let Some(name) = diagrams.get(index) {
            body.push_str(&format!("```diagram\nname = \"{name}\"\n```\n\n"));
        }
        if *part == "Core concepts" {
            body.push_str("### ACID versus BASE\n\nWhat each guarantee buys.\n\n");
        }
        if *part == "Trade-offs and considerations" {
            body.push_str("| If | Then |\n| --- | --- |\n| money moves | ACID |\n\n");
        }
    }
    format!(
        "+++\nslug = \"storage-test\"\ntitle = \"Storage, a test\"\nsummary = \"A document the checks accept.\"\nreviewed = \"2026-12-06\"\ntags = [\"a\", \"b\", \"c\", \"d\"]\npatterns = [\"DB-005\", \"CASE-003\", \"CACHE-001\"]\nmodules = [\"data-storage\"]\n\n[[covers]]\nmodule = \"data-storage\"\ntopic = \"ACID vs BASE\"\nanchor = \"acid-versus-base\"\n\n{sources}+++\n\n{body}"
    )
}

#[test]
fn a_reference_document_is_checked_and_module_topics_link_into_its_sections() {
    let temp = copy_of_content();
    // The test's own document alone: the real ones may claim the topic it covers.
    let dir = temp.path().join("reference");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("storage-test.md"), reference_doc(1_600)).unwrap();
    // Quiz questions that send the reader to a real document now send them to the quiz page.
    for entry in std::fs::read_dir(temp.path().join("quizzes")).unwrap() {
        edit(&entry.unwrap().path(), |mut text| {
            for (opening, closing) in [("\"/reference/", '"'), ("(/reference/", ')')] {
                while let Some(at) = text.find(opening) {
                    let end = at + 1 + text[at + 1..].find(closing).unwrap();
                    text.replace_range(at + 1..end, "/quiz");
                }
            }
            text
        });
    }
    let build = compile(temp.path(), &Shell::bare(), "/b/").unwrap_or_else(|errors| panic!("{errors}"));
    let page = build.pages.iter().find(|page| page.route == "/reference/storage-test").expect("the document's page");
    assert!(page.html.contains(r#"<nav class="toc""#) && page.html.contains(r##"href="#acid-versus-base""##), "a table of contents with the subsections");
    assert!(page.html.contains(r#"id="references""#) && page.html.contains("https://example.com/9"), "the references, from the sources");
    assert!(page.html.contains(r#"data-tools="deferred""#) || page.bundle.tools().is_empty());
    let module = build.pages.iter().find(|page| page.route == "/modules/data-storage").unwrap();
    assert!(module.html.contains(r##"href="/b/reference/storage-test/#acid-versus-base">ACID vs BASE</a>"##), "the module topic links to the section");
    // The search finds the section by its heading and lands on its anchor.
    let section = build.catalogue.iter().find(|entry| entry.kind == "section" && entry.title == "ACID versus BASE").expect("a search entry per section");
    assert_eq!(section.url, "/b/reference/storage-test/#acid-versus-base");
    assert!(section.summary.starts_with("What each guarantee buys") && section.category == "Storage, a test");
    assert!(build.catalogue.iter().any(|entry| entry.kind == "index" && entry.url == "/b/reference/"));
}

#[test]
fn a_reference_document_off_its_standard_fails_naming_what_is_missing() {
    // Every fault at once (one compile of the whole content is slow): each is reported on its own.
    let doc = reference_doc(1_000)
        .replacen("## Use cases", "## Examples", 1)
        .replacen("```diagram\nname = \"chat-system-design\"\n```", "", 1)
        .replacen("| If | Then |\n| --- | --- |\n| money moves | ACID |", "", 1)
        .replacen("anchor = \"acid-versus-base\"", "anchor = \"acid\"", 1)
        .replacen("[[sources]]\nurl = \"https://example.com/0\"\ntitle = \"Source 0\"\nchecked = \"2026-12-06\"\n\n", "[[covers]]\nmodule = \"data-storage\"\ntopic = \"ACID v BASE\"\nanchor = \"acid\"\n\n", 1);
    let temp = copy_of_content();
    // The test's own document alone: the real ones may claim the topic it covers.
    let dir = temp.path().join("reference");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("storage-test.md"), doc).unwrap();
    let errors = errors_of(temp.path());
    for expected in [
        "needs at least 12000",
        "the `##` sections must be exactly",
        "at least 4 diagrams",
        "decision framework",
        "no heading with the id `acid`",
        "has no topic titled `ACID v BASE`",
        "at least 10 primary sources, not 9",
    ] {
        assert!(errors.iter().any(|error| error.contains(expected) && error.contains("storage-test.md")), "expected `{expected}` in {errors:#?}");
    }
}
