//! The shell every page shares: head, header with navigation, skip link, footer.

use super::{PageMeta, Section};
use crate::links::Linker;
use crate::offline;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The asset tags trunk wrote into its `index.html` (stylesheet, wasm loader, live reload),
/// copied into every page so each one loads the same hashed files.
pub struct Shell {
    head: String,
    body: String,
    /// Each visualizer bundle's loader and wasm URLs (relative to the base), by slug.
    visualizers: std::collections::BTreeMap<String, (String, String)>,
    /// The stylesheets (file names relative to the base): the site's, the harness's for pages
    /// with tools, and each tool's own by slug. See [`Shell::with_styles`].
    styles: Styles,
}

#[derive(Default)]
struct Styles {
    site: Option<String>,
    harness: Option<String>,
    by_tool: std::collections::BTreeMap<String, String>,
    /// `style/<kind>.css` for the pages of one kind only (`cheatsheet.css`: their print layout;
    /// `reference.css`: a long document's contents), so the other pages do not download it.
    by_kind: std::collections::BTreeMap<String, String>,
    /// `style/code.css`, the highlighter's colours and the code tabs, for pages that show code.
    code: Option<String>,
}

/// The page kinds with a stylesheet of their own (`style/<kind>.css`).
const KIND_STYLES: [&str; 5] = ["cheatsheet", "reference", "patterns", "module", "quiz"];

/// The stylesheet of a page kind: the learning loop's pages share the quiz hub's.
fn style_kind(kind: &str) -> &str {
    match kind {
        "module-quiz" | "practice" | "progress" | "verify" => "quiz",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_keeps_only_its_bundle() {
        let html = r#"<html><head><meta charset="utf-8"><link rel="stylesheet" href="/a-e/main-1.css"/>
<script type="module">import init from '/a-e/atlas-11.js';</script>
<link rel="modulepreload" href="/a-e/atlas-11.js"><link rel="preload" href="/a-e/atlas-11_bg.wasm" as="fetch"></head><body></body></html>"#;
        let mut shell = Shell::from_trunk_html(html).unwrap();
        shell.visualizers.insert("ring".to_string(), ("viz-ring.js?v=1".to_string(), "viz-ring_bg.wasm?v=2".to_string()));
        let core = shell.head_for(&Bundle::Core, "/a-e/");
        assert!(core.contains("atlas-11.js") && !core.contains("viz-22") && core.contains("main-1.css"), "{core}");
        let viz = shell.head_for(&Bundle::of(vec!["ring"]), "/a-e/");
        assert!(viz.contains("/a-e/viz-ring.js?v=1") && viz.contains("/a-e/viz-ring_bg.wasm?v=2"), "{viz}");
        // The core is not loaded with a tool's page: only when its reader asks for the search, or
        // once the page is idle after the first use of a tool.
        let (eager, lazy) = viz.split_once("const core=()=>{").expect("the core's loader");
        assert!(!eager.contains("atlas-11"), "{viz}");
        let (loader, listeners) = lazy.split_once("};").expect("the loader's end");
        assert!(loader.contains("import('/a-e/atlas-11.js'+") && loader.contains("module_or_path: '/a-e/atlas-11_bg.wasm'") && loader.contains("'atlas-search-failed'"), "{viz}");
        assert!(listeners.starts_with("addEventListener('atlas-search',core);addEventListener('atlas-used',()=>self.requestIdleCallback?requestIdleCallback(core):setTimeout(core,250));"), "{viz}");
        assert!(!core.contains("atlas-search"), "the core mounts the search itself: {core}");
        assert!(!shell.head_for(&Bundle::of(vec!["other"]), "/a-e/").contains("viz-ring"));
        assert!(!shell.has_bundle("other"));
        shell.visualizers.insert("all".to_string(), ("viz-all.js?v=3".to_string(), "viz-all_bg.wasm?v=4".to_string()));
        assert!(shell.has_bundle("other"), "the development bundle serves every tool");
        assert!(shell.head_for(&Bundle::of(vec!["other"]), "/a-e/").contains("/a-e/viz-all_bg.wasm?v=4"));
        assert!(shell.head_for(&Bundle::of(vec!["ring"]), "/a-e/").contains("viz-ring.js"), "a tool's own bundle wins");
        shell.visualizers.insert("a--ring".to_string(), ("viz-a--ring.js?v=5".to_string(), "viz-a--ring_bg.wasm?v=6".to_string()));
        let pair = shell.head_for(&Bundle::of(vec!["ring", "a", "ring"]), "/a-e/");
        assert!(pair.contains("/a-e/viz-a--ring_bg.wasm?v=6") && !pair.contains("viz-ring_bg"), "two tools load the bundle that carries both: {pair}");
    }

    #[test]
    fn a_page_with_a_staged_tool_defines_the_requests_painter_before_the_tool_starts() {
        let mut shell = Shell::bare();
        for slug in ["retries", "consistent-hashing"] {
            shell.visualizers.insert(slug.to_string(), (format!("viz-{slug}.js"), format!("viz-{slug}_bg.wasm")));
        }
        assert!(atlas_components::registry::find("retries").is_some_and(|tool| tool.staged));
        assert!(atlas_components::registry::find("consistent-hashing").is_some_and(|tool| !tool.staged));
        let staged = shell.head_for(&Bundle::of(vec!["retries"]), "/b/");
        let (painter, start) = staged.split_once("import init").expect("the loader");
        assert!(painter.contains("globalThis.atlasPaintRequests=") && !start.contains("atlasPaintRequests"), "{staged}");
        assert!(!painter.contains("//") && !painter.contains("\n  ") && !painter.contains("const shown"), "minified, without comments: {painter}");
        // The picture's painter comes from the site's own address, under its base, when a run plays.
        assert!(painter.contains("globalThis.atlasPaintStill=") && painter.contains(&format!("import(\"{}\")", crate::offline::stage_still_url("/b/"))), "{painter}");
        assert!(!painter.contains("STAGE_STILL_URL"), "{painter}");
        // The painter repaints when the header's theme switch says the theme changed.
        assert!(painter.contains(&format!("addEventListener(\"{}\",", atlas_components::theme::THEME_CHANGED)), "{painter}");
        for other in [shell.head_for(&Bundle::of(vec!["consistent-hashing"]), "/b/"), shell.head_for(&Bundle::Core, "/b/")] {
            assert!(!other.contains("atlasPaintRequests"), "{other}");
        }
    }

    #[test]
    fn a_long_page_runs_the_core_and_fetches_its_tools_bundle_only_near_a_tool() {
        let mut shell = Shell::bare();
        shell.head = r#"<link rel="modulepreload" href="/b/atlas-1.js"><script type="module">import init from '/b/atlas-1.js';</script>"#.to_string();
        shell.visualizers.insert("retries".to_string(), ("viz-retries.js".to_string(), "viz-retries_bg.wasm".to_string()));
        let bundle = Bundle::of(vec!["retries"]);
        let eager = shell.head_for(&bundle, "/b/");
        assert!(!eager.contains("atlas-1.js") && eager.contains(r#"rel="modulepreload" href="/b/viz-retries.js""#), "{eager}");
        let deferred = shell.head_deferring_tools(&bundle, "/b/");
        assert!(deferred.contains("import init from '/b/atlas-1.js'"), "the core runs the page: {deferred}");
        assert!(!deferred.contains("modulepreload\" href=\"/b/viz-") && !deferred.contains(r#"rel="preload""#), "nothing of the tool is fetched up front: {deferred}");
        let loader = deferred.split("<script type=\"module\">").last().unwrap();
        let (before, after) = loader.split_once("new IntersectionObserver").expect("an observer starts the fetch");
        // (The painter before it imports its picture painter only when a run plays.)
        assert!(!before.contains("viz-retries") && after.contains("import('/b/viz-retries.js'"), "{loader}");
        assert!(loader.contains("atlasPaintRequests"), "a staged tool's painter is defined before the tool starts: {loader}");
        assert!(loader.contains(DEFERRED_LOAD_FAILED), "{loader}");
        // Pages without tools are not deferred: there is nothing to defer.
        assert_eq!(shell.head_deferring_tools(&Bundle::Core, "/b/"), shell.head_for(&Bundle::Core, "/b/"));
    }

    #[test]
    fn a_page_links_the_styles_of_its_tools_only() {
        let dir = std::env::temp_dir().join(format!("atlas-tool-styles-{}", std::process::id()));
        let (src, dist) = (dir.join("src"), dir.join("dist"));
        std::fs::create_dir_all(dir.join("style")).unwrap();
        std::fs::write(dir.join("style/main.css"), "body{}").unwrap();
        std::fs::create_dir_all(src.join("harness")).unwrap();
        std::fs::create_dir_all(src.join("visualizers/ring")).unwrap();
        std::fs::create_dir_all(src.join("visualizers/cap")).unwrap();
        std::fs::create_dir_all(&dist).unwrap();
        std::fs::write(src.join("harness/harness.css"), ".viz{}").unwrap();
        std::fs::write(src.join("visualizers/ring/consistent-hashing.css"), ".ring{}").unwrap();
        std::fs::write(src.join("visualizers/cap/cap-theorem.css"), ".cap{}").unwrap();
        let shell = Shell::bare().with_styles(&dir, &dist).unwrap();
        let ring = shell.head_for(&Bundle::of(vec!["consistent-hashing"]), "/b/");
        let harness_file = std::fs::read_dir(&dist).unwrap().map(|entry| entry.unwrap().path()).find(|path| path.to_string_lossy().contains("viz-harness-")).unwrap();
        let harness = std::fs::read_to_string(harness_file).unwrap();
        for tool in atlas_components::registry::TOOLS {
            let rule = format!(".viz-reserve-{} {{", tool.reserve_px);
            assert!(harness.starts_with(".viz{}") && harness.contains(&rule), "no {rule} in {harness}");
        }
        assert!(ring.contains(r#"href="/b/viz-harness-"#) && ring.contains("/b/viz-consistent-hashing-") && !ring.contains("cap-theorem"), "{ring}");
        let core = shell.head_for(&Bundle::Core, "/b/");
        assert!(!core.contains("viz-") && core.contains(r#"href="/b/main-"#), "a page without tools links the site's styles only: {core}");
        let both = shell.head_for(&Bundle::of(vec!["consistent-hashing", "cap-theorem"]), "/b/");
        assert_eq!(both.matches("viz-harness-").count(), 1, "{both}");
        assert!(both.contains("/b/viz-cap-theorem-") && both.contains("/b/viz-consistent-hashing-"), "{both}");
        let written: Vec<String> = std::fs::read_dir(&dist).unwrap().map(|entry| entry.unwrap().file_name().into_string().unwrap()).collect();
        assert_eq!(written.len(), 4, "{written:?}");
        // Another content, another name: a deploy never serves a stale stylesheet under an old URL.
        std::fs::write(src.join("visualizers/ring/consistent-hashing.css"), ".ring{color:red}").unwrap();
        let again = Shell::bare().with_styles(&dir, &dist).unwrap();
        assert_ne!(again.head_for(&Bundle::of(vec!["consistent-hashing"]), "/b/"), ring);
        std::fs::write(src.join("visualizers/cap/no-such-tool.css"), "").unwrap();
        let error = Shell::bare().with_styles(&dir, &dist).err().unwrap();
        assert!(error.contains("no-such-tool"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

#[derive(Debug)]
pub struct ShellError(pub String);

impl std::fmt::Display for ShellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "trunk's index.html: {}", self.0)
    }
}

impl std::error::Error for ShellError {}

impl Shell {
    /// Takes the inner HTML of `<head>` and `<body>` from the page trunk built.
    pub fn from_trunk_html(html: &str) -> Result<Self, ShellError> {
        Ok(Self { head: inner(html, "head")?.trim().to_string(), body: inner(html, "body")?.trim().to_string(), visualizers: Default::default(), styles: Default::default() })
    }

    /// Finds the visualizer bundles trunk wrote (`viz-<slug>.js` and `viz-<slug>_bg.wasm`;
    /// trunk does not hash a worker's file names, so the URLs carry a content hash to defeat
    /// stale caches).
    pub fn with_visualizer_bundles(mut self, dir: &std::path::Path) -> Self {
        let names: Vec<String> = std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(|entry| entry.ok()?.file_name().into_string().ok()).collect())
            .unwrap_or_default();
        let version = |name: &str| std::fs::read(dir.join(name)).ok().map(|bytes| format!("{name}?v={:016x}", content_hash(&bytes)));
        for name in &names {
            if let Some(slug) = name.strip_prefix("viz-").and_then(|rest| rest.strip_suffix("_bg.wasm")) {
                if let (Some(js), Some(wasm)) = (version(&format!("viz-{slug}.js")), version(name)) {
                    self.visualizers.insert(slug.to_string(), (js, wasm));
                }
            }
        }
        self
    }

    /// Copies the stylesheets into the built site under content-hashed names (the hook minifies
    /// them afterwards), so that every page links the site's, and a page with tools the harness's
    /// and those of its tools, and no others: `style/main.css` becomes `main-<hash>.css`,
    /// `src/harness/harness.css` becomes `viz-harness-<hash>.css` (with the `.viz-reserve-<px>`
    /// rules for the registry's heights appended), and each view's
    /// `src/visualizers/<view>/<slug>.css` becomes `viz-<slug>-<hash>.css`. A stylesheet named
    /// after no tool in the registry is an error (a renamed tool would silently lose its styles).
    pub fn with_styles(mut self, root: &std::path::Path, dist: &std::path::Path) -> Result<Self, String> {
        let copy = |from: &std::path::Path, stem: &str, extra: &str| -> Result<String, String> {
            let mut bytes = std::fs::read(from).map_err(|error| format!("{}: {error}", from.display()))?;
            bytes.extend_from_slice(extra.as_bytes());
            let name = format!("{stem}-{:016x}.css", content_hash(&bytes));
            std::fs::write(dist.join(&name), &bytes).map_err(|error| format!("{}: {error}", dist.join(&name).display()))?;
            Ok(name)
        };
        let site = root.join("style").join("main.css");
        if site.exists() {
            self.styles.site = Some(copy(&site, "main", "")?);
        }
        for kind in KIND_STYLES {
            let file = root.join("style").join(format!("{kind}.css"));
            if file.exists() {
                self.styles.by_kind.insert(kind.to_string(), copy(&file, kind, "")?);
            }
        }
        let code = root.join("style").join("code.css");
        if code.exists() {
            self.styles.code = Some(copy(&code, "code", "")?);
        }
        let src = root.join("src");
        let harness = src.join("harness").join("harness.css");
        if harness.exists() {
            self.styles.harness = Some(copy(&harness, "viz-harness", &crate::embed::reserve_rules())?);
        }
        let views = std::fs::read_dir(src.join("visualizers")).map_err(|error| format!("{}: {error}", src.join("visualizers").display()))?;
        let mut files: Vec<std::path::PathBuf> = views
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.is_dir())
            .filter_map(|dir| std::fs::read_dir(dir).ok())
            .flat_map(|entries| entries.filter_map(|entry| entry.ok().map(|entry| entry.path())))
            .filter(|path| path.extension().is_some_and(|ext| ext == "css"))
            .collect();
        files.sort();
        for file in files {
            let slug = file.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default().to_string();
            if atlas_components::registry::find(&slug).is_none() {
                return Err(format!("{}: a tool's stylesheet is named after its registry slug, and no tool is called `{slug}`", file.display()));
            }
            let name = copy(&file, &format!("viz-{slug}"), "")?;
            self.styles.by_tool.insert(slug, name);
        }
        Ok(self)
    }

    /// Whether trunk built the bundle named `name` (see [`Bundle::name`]), or the development one.
    pub fn has_bundle(&self, name: &str) -> bool {
        self.bundle_of(name).is_some()
    }

    /// The bundle `viz-<name>`, or else the development bundle that carries every tool (`viz-all`).
    fn bundle_of(&self, name: &str) -> Option<&(String, String)> {
        self.visualizers.get(name).or_else(|| self.visualizers.get(ALL_TOOLS_BUNDLE))
    }

    /// The head for a page that loads `bundle`: the loader, preload and script tags of the other
    /// bundle are left out, so a page downloads only the WebAssembly it runs.
    pub fn head_for(&self, bundle: &Bundle, base: &str) -> String {
        self.head(bundle, base, false)
    }

    /// The head for a long page, whose tools wait at the end of the text: the core bundle runs
    /// the page, and the tools' bundle is fetched only when the reader comes within half a screen
    /// of a tool (an `IntersectionObserver`). A reader who never gets there never downloads it;
    /// the page's first load is the core's. The page's `<html>` says `data-tools="deferred"` so
    /// each bundle mounts only its share (islands' `dom::tools_deferred`).
    pub fn head_deferring_tools(&self, bundle: &Bundle, base: &str) -> String {
        self.head(bundle, base, true)
    }

    fn head(&self, bundle: &Bundle, base: &str, deferred: bool) -> String {
        let unwanted = match bundle {
            Bundle::Tools(_) | Bundle::Learn(_) if !deferred => format!("{base}atlas-"),
            _ => format!("{base}viz-"),
        };
        let mut out = String::with_capacity(self.head.len());
        let mut rest = self.head.as_str();
        while let Some(start) = rest.find('<') {
            out.push_str(&rest[..start]);
            let tail = &rest[start..];
            let end = if tail.starts_with("<script") {
                tail.find("</script>").map(|at| at + "</script>".len())
            } else {
                tail.find('>').map(|at| at + 1)
            }
            .unwrap_or(tail.len());
            let tag = &tail[..end];
            let is_asset = tag.starts_with("<script") || tag.starts_with("<link");
            if !(is_asset && tag.contains(&unwanted)) {
                out.push_str(tag);
            }
            rest = &tail[end..];
        }
        out.push_str(rest);
        let tool_styles = bundle.tools().iter().filter_map(|slug| self.styles.by_tool.get(*slug));
        let harness = self.styles.harness.iter().filter(|_| matches!(bundle, Bundle::Tools(_)));
        for style in self.styles.site.iter().chain(harness).chain(tool_styles) {
            out.push_str(&format!(r#"<link rel="stylesheet" href="{base}{style}">"#));
        }
        if let Some((js, wasm)) = bundle.name().and_then(|name| self.bundle_of(&name)) {
            // A tool's bundle shows a stand-in for the search (islands' `site_search::stand_in`):
            // the first time the reader asks for it, the core bundle, which has the search, is
            // loaded and mounts it. A failed load says so and lets the next press try again, under
            // another URL: the browser keeps a module that failed to load as failed. The first use
            // of a tool loads the core too, to record it, but only once the page is idle (Safari
            // has no `requestIdleCallback`: a quarter of a second later there).
            let search = self.core_files().map_or(String::new(), |(core_js, core_wasm)| {
                format!(
                    "let search,tries=0;const core=()=>{{search??=import('{base}{core_js}'+(tries++?'?retry='+tries:'')).then(core=>core.default({{ module_or_path: '{base}{core_wasm}' }})).catch(()=>{{search=null;dispatchEvent(new Event('{failed}'))}})}};addEventListener('{load}',core);addEventListener('{used}',()=>self.requestIdleCallback?requestIdleCallback(core):setTimeout(core,250));",
                    load = atlas_components::search::LOAD_EVENT,
                    used = atlas_components::search::USE_EVENT,
                    failed = atlas_components::search::FAILED_EVENT,
                )
            });
            // A staged tool paints its requests with the page's painter, defined before the tool starts.
            let staged = bundle.tools().iter().any(|slug| atlas_components::registry::find(slug).is_some_and(|tool| tool.staged));
            let painter = if staged { stage_painter(base) } else { String::new() };
            if deferred {
                // A failed fetch says so in each tool's loading note; coming near a tool again
                // retries, under another URL (the browser keeps a failed module as failed).
                out.push_str(&format!(
                    r#"<script type="module">{painter}const tools=[...document.querySelectorAll('[data-island="viz"]')];let loading,tries=0;const seen=new IntersectionObserver(entries=>{{if(!entries.some(entry=>entry.isIntersecting))return;loading??=import('{base}{js}'+(tries++?'?retry='+tries:'')).then(tool=>tool.default({{ module_or_path: '{base}{wasm}' }})).then(()=>seen.disconnect()).catch(()=>{{loading=null;for(const tool of tools)tool.querySelector('.viz__loading-note')?.replaceChildren('{failed}')}})}},{{rootMargin:'50% 0px'}});for(const tool of tools)seen.observe(tool);</script>"#,
                    failed = DEFERRED_LOAD_FAILED,
                ));
                return out;
            }
            out.push_str(&format!(
                r#"<link rel="modulepreload" href="{base}{js}" crossorigin="anonymous"><link rel="preload" href="{base}{wasm}" as="fetch" type="application/wasm" crossorigin="anonymous"><script type="module">{painter}{search}import init, * as bindings from '{base}{js}';await init({{ module_or_path: '{base}{wasm}' }});window.wasmBindings = bindings;</script>"#
            ));
        }
        out
    }

    /// On a page with questions, run by the core or a tool's bundle: the script that loads the
    /// questions' bundle (`viz-quiz`) the first time the reader works a question (the islands'
    /// `quiz::wake_on_use` sends `QUIZ_LOAD_EVENT`). Checking, scheduling (FSRS) and recording
    /// answers cost 17.4 KB gzipped in the core, which every page loads (measured 2026-12-07:
    /// 30.8 → 48.2 KB); pages without questions now pay nothing for them, and pages with them pay
    /// when the reader starts answering. The learning bundles carry the questions themselves.
    pub fn quiz_loader(&self, bundle: &Bundle, main: &str, base: &str) -> Option<String> {
        if matches!(bundle, Bundle::Learn(_)) || !main.contains(r#"data-island="quiz""#) {
            return None;
        }
        let (js, wasm) = self.visualizers.get(QUIZ_BUNDLE)?;
        Some(format!(
            "let quiz;addEventListener('{event}',()=>{{quiz??=import('{base}{js}').then(bundle=>bundle.default({{ module_or_path: '{base}{wasm}' }})).catch(()=>{{quiz=null}})}});",
            event = atlas_components::learn::QUIZ_LOAD_EVENT,
        ))
    }

    /// The core bundle's loader and module, by file name, as trunk wrote them into the template.
    fn core_files(&self) -> Option<(String, String)> {
        let file = |suffix: &str| self.head.split(['\'', '"', '/']).find(|part| part.starts_with("atlas-") && part.ends_with(suffix)).map(str::to_string);
        Some((file(".js")?, file("_bg.wasm")?))
    }

    /// A shell without assets, for tests and `check`.
    pub fn bare() -> Self {
        Self { head: r#"<meta charset="utf-8">"#.to_string(), body: String::new(), visualizers: Default::default(), styles: Default::default() }
    }
}

/// What a tool's loading note says when its deferred bundle failed to load.
const DEFERRED_LOAD_FAILED: &str = "The tool did not load. Check the connection, then scroll away and back to try again.";

/// The page kinds whose tools load only when the reader comes near them
/// ([`Shell::head_deferring_tools`]): long texts with their tools at the end, or behind a disclosure.
pub const DEFERRING_KINDS: [&str; 3] = ["case-study", "problem", "reference"];

/// The slug part of the development bundle `viz-all`, which `dev.html` builds instead of one per tool.
const ALL_TOOLS_BUNDLE: &str = "all";

/// The painter of the stages' requests (`js/stage.js`), inlined in the loader of a page with a
/// staged tool: a file of its own would cost every such page a request.
const STAGE_PAINTER: &str = include_str!("../../js/stage.js");

/// `STAGE_PAINTER` as a page served under `base` carries it: minified by esbuild, once per build (0.1 KB gzipped less
/// on each staged page than with only its comments and indentation dropped, 2026-12-07, when the
/// heaviest pages were within 0.2 KB of their 170 KB). Without esbuild, it says so and ships the
/// painter without its comments.
fn stage_painter(base: &str) -> String {
    static PAINTER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let painter = PAINTER
        .get_or_init(|| {
            crate::minify::script(STAGE_PAINTER).unwrap_or_else(|warning| {
                eprintln!("warning: {warning}");
                STAGE_PAINTER.lines().map(str::trim).filter(|line| !line.is_empty() && !line.starts_with("//")).collect::<Vec<_>>().join("\n")
            })
        });
    // The picture's painter, which the request painter fetches when a run first plays.
    painter.replace("STAGE_STILL_URL", &crate::offline::stage_still_url(base))
}

/// FNV-1a: a stable fingerprint of a file, for cache-busting its URL.
fn content_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3))
}

fn inner<'a>(html: &'a str, tag: &str) -> Result<&'a str, ShellError> {
    let open = format!("<{tag}");
    let start = html.find(&open).ok_or_else(|| ShellError(format!("no <{tag}> element")))?;
    let content_start = start + html[start..].find('>').ok_or_else(|| ShellError(format!("unclosed <{tag}>")))? + 1;
    let end = html.rfind(&format!("</{tag}>")).ok_or_else(|| ShellError(format!("no </{tag}>")))?;
    Ok(&html[content_start..end])
}

/// Applies the remembered theme before the first paint, so a dark-theme reader never sees a
/// white flash, and marks the page as scripted so space can be kept for the islands before they
/// mount. Kept tiny and inline on purpose: it must run before the stylesheet applies.
const THEME_BOOT: &str = "document.documentElement.classList.add('js');try{var t=localStorage.getItem('atlas-theme');if(t==='light'||t==='dark')document.documentElement.dataset.theme=t}catch(e){}";

/// Shows the "something went wrong" banner when the WebAssembly traps (a Rust panic: release
/// bundles abort at once, see `islands/src/panic.rs`) and nothing caught it. Registered before
/// the bundle starts, so a trap while it mounts is shown too. The markup is ours; the detail goes
/// in as text.
const PANIC_BOOT: &str = "(function(){function f(x){if(!(x instanceof WebAssembly.RuntimeError))return;var b=document.getElementById('atlas-panic');if(!b||!b.hidden)return;b.innerHTML='<p><strong>Something went wrong in the interactive part of this page.</strong> The text is still here; reload to bring the controls back.</p><p><a class=\"button button--primary\">Reload the page</a></p><details><summary>Technical detail</summary><pre></pre></details>';b.querySelector('a').href=location.href;b.querySelector('pre').textContent=b.dataset.detail||String(x);b.hidden=false}addEventListener('error',function(e){f(e.error)});addEventListener('unhandledrejection',function(e){f(e.reason)})})();";

/// Cross-document view transitions (see `@view-transition` in main.css) hand each page a
/// `ViewTransition` whose promises reject when the browser skips the animation, for instance when
/// the new page was already shown ("Page already revealed", seen in Chromium on a fast keyboard
/// navigation). A skipped transition is harmless, but its rejection would surface as an uncaught
/// page error; this marks the promises handled on both sides of the navigation. A fresh clone's
/// run still met one (2026-12-06, a search result opened with Enter) whose transition never
/// reached either event, so that rejection, and only that one, is also marked handled when it
/// surfaces.
const TRANSITION_BOOT: &str = "(function(){function q(e){var v=e.viewTransition;if(v)[v.ready,v.finished,v.updateCallbackDone].forEach(function(p){p&&p.catch(function(){})})}addEventListener('pageswap',q);addEventListener('pagereveal',q);addEventListener('unhandledrejection',function(e){var r=e.reason;if(r&&r.name==='InvalidStateError'&&/^Transition was aborted/.test(r.message))e.preventDefault()})})();";

pub const SITE_NAME: &str = "System Design Atlas";

/// Speculation rules: Chromium prefetches a page of this site when the reader hovers over its
/// link (or starts to tap it), so the click opens it at once. Document rules with "moderate"
/// eagerness, limited to the base path, and not the sitemap. Inline, so it gets a CSP hash like
/// every other inline script.
fn speculation_rules(base: &str) -> String {
    // URL patterns treat `:*?+(){}\` as syntax; a base path with one of them is matched literally.
    let literal: String = base.chars().flat_map(|c| if ":*?+(){}\\".contains(c) { vec!['\\', c] } else { vec![c] }).collect();
    serde_json::json!({
        "prefetch": [{
            "source": "document",
            "where": { "and": [
                { "href_matches": format!("{literal}*") },
                { "not": { "href_matches": format!("{literal}*.xml") } },
                { "not": { "selector_matches": "[rel~=nofollow], [download]" } },
            ] },
            "eagerness": "moderate",
        }]
    })
    .to_string()
}

/// The learning loop's bundles (`viz-learn.js`, `viz-practice.js`), see [`Bundle::Learn`].
pub const LEARN_BUNDLE: &str = "learn";
pub const PRACTICE_BUNDLE: &str = "practice";
/// The questions' bundle (`viz-quiz.js`), loaded on demand: see [`Shell::quiz_loader`].
pub const QUIZ_BUNDLE: &str = "quiz";

/// Which WebAssembly bundle a page loads: the core (theme, search, diagrams, quizzes), or the
/// core plus exactly the tools the page shows (registry slugs, sorted, each once).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bundle {
    Core,
    Tools(Vec<&'static str>),
    /// The quiz, practice, progress and certificate pages: the core's islands and the learning
    /// loop's (`islands` crate, bins `viz-learn` and, for the practice page with its question
    /// generators, `viz-practice`). Named like a tool's bundle so that it is built, found and
    /// loaded the same way; it carries no tool. The name is [`LEARN_BUNDLE`] or [`PRACTICE_BUNDLE`].
    Learn(&'static str),
}

impl Bundle {
    /// The bundle for a page that shows `tools` (in any order, repeats allowed).
    pub fn of(mut tools: Vec<&'static str>) -> Self {
        tools.sort_unstable();
        tools.dedup();
        if tools.is_empty() {
            Bundle::Core
        } else {
            Bundle::Tools(tools)
        }
    }

    /// The bundle's file name without `viz-`: the slug for one tool, the slugs joined by `--` for
    /// several (no slug contains `--`, so the name reads back unambiguously).
    pub fn name(&self) -> Option<String> {
        match self {
            Bundle::Core => None,
            Bundle::Tools(tools) => Some(tools.join("--")),
            Bundle::Learn(name) => Some(name.to_string()),
        }
    }

    pub fn tools(&self) -> &[&'static str] {
        match self {
            Bundle::Core | Bundle::Learn(_) => &[],
            Bundle::Tools(tools) => tools,
        }
    }
}

pub fn layout(shell: &Shell, linker: &Linker, page: &PageMeta) -> String {
    let deferred = DEFERRING_KINDS.contains(&page.kind) && page.bundle != Bundle::Core;
    let main = page.main.clone().into_string();
    let code_style = shell.styles.code.as_ref().filter(|_| main.contains("<pre"));
    let full_title = if page.route == "/" { SITE_NAME.to_string() } else { format!("{} · {SITE_NAME}", page.title) };
    let markup = html! {
        (DOCTYPE)
        html lang="en" data-base=(linker.base()) data-tools=[deferred.then_some("deferred")] {
            head {
                (PreEscaped(if deferred { shell.head_deferring_tools(&page.bundle, linker.base()) } else { shell.head_for(&page.bundle, linker.base()) }))
                @for style in shell.styles.by_kind.get(style_kind(page.kind)).into_iter().chain(code_style) {
                    link rel="stylesheet" href={ (linker.base()) (style) };
                }
                title { (full_title) }
                meta name="description" content=(page.description);
                meta name="color-scheme" content="light dark";
                link rel="icon" href={ (linker.base()) "favicon.svg" } type="image/svg+xml";
                link rel="apple-touch-icon" href={ (linker.base()) "icon-192.png" };
                link rel="manifest" href={ (linker.base()) (offline::WEB_MANIFEST) };
                meta name="theme-color" media="(prefers-color-scheme: light)" content=(offline::THEME_COLOR_LIGHT);
                meta name="theme-color" media="(prefers-color-scheme: dark)" content=(offline::THEME_COLOR_DARK);
                script { (PreEscaped(THEME_BOOT)) (PreEscaped(PANIC_BOOT)) (PreEscaped(TRANSITION_BOOT)) }
                script type="speculationrules" { (PreEscaped(speculation_rules(linker.base()))) }
                script type="module" src=(offline::script_url(linker.base())) {}
                @if let Some(loader) = shell.quiz_loader(&page.bundle, &main, linker.base()) {
                    script type="module" { (PreEscaped(loader)) }
                }
            }
            body data-kind=(page.kind) {
                a class="skip-link" href="#main" { "Skip to content" }
                (header(linker, page.section))
                main id="main" tabindex="-1" { (PreEscaped(&main)) }
                (footer(linker))
                div id="atlas-panic" role="alert" hidden {}
                // Filled by offline.js when a new version is waiting. Empty but present from the
                // start, so screen readers announce what appears in it.
                div class="update-notice" role="status" data-sw-update {}
                (PreEscaped(&shell.body))
            }
        }
    };
    markup.into_string()
}

fn header(linker: &Linker, current: Option<Section>) -> Markup {
    let items = [
        (Section::Modules, "Modules", "/modules"),
        (Section::Patterns, "Patterns", "/patterns"),
        (Section::Visualizers, "Visualizers", "/visualizers"),
        (Section::Quiz, "Quiz", "/quiz"),
    ];
    html! {
        header class="site-header" {
            div class="site-header__inner" {
                a class="brand" href=(linker.url("/")) {
                    (logo())
                    span { (SITE_NAME) }
                }
                nav class="site-nav" aria-label="Main" {
                    ul {
                        @for (section, label, route) in items {
                            li {
                                a href=(linker.url(route)) aria-current=[(current == Some(section)).then_some("page")] {
                                    (label)
                                    @if section == Section::Quiz {
                                        span class="due-badge" data-island="due" hidden {}
                                    }
                                }
                            }
                        }
                    }
                }
                div class="site-tools" {
                    div class="island island--search" data-island="search" {
                        a class="search-button" href=(linker.url("/patterns")) { span class="search-button__label" { "Browse" } }
                    }
                    div class="island island--theme" data-island="theme" {}
                }
            }
        }
    }
}

fn footer(linker: &Linker) -> Markup {
    html! {
        footer class="site-footer" {
            div class="site-footer__inner" {
                p {
                    strong { (SITE_NAME) }
                    " — system design explained with diagrams you can read and simulations you can run, entirely in your browser."
                }
                (save_for_offline(linker.base()))
                nav aria-label="Footer" {
                    ul {
                        li { a href=(linker.url("/modules")) { "Modules" } }
                        li { a href=(linker.url("/patterns")) { "Patterns" } }
                        li { a href=(linker.url("/visualizers")) { "Visualizers" } }
                        li { a href=(linker.url("/case-studies")) { "Case studies" } }
                        li { a href=(linker.url("/problems")) { "Interview problems" } }
                        li { a href=(linker.url("/cheatsheets")) { "Cheat sheets" } }
                        li { a href=(linker.url("/reference")) { "Reference" } }
                        li { a href={ (linker.base()) "sitemap.xml" } { "Sitemap" } }
                    }
                }
            }
        }
    }
}

/// "Save the whole atlas for offline", in the footer of every page: it is a site-wide action, the
/// footer is where readers look for those, and the offline page points here. Hidden until
/// offline.js has checked that this browser can do it (a service worker and the Cache API).
fn save_for_offline(base: &str) -> Markup {
    html! {
        section class="offline-save" id="offline-save" aria-labelledby="offline-save-title" data-offline-save data-offline-script=(offline::save_script_url(base)) hidden {
            h2 id="offline-save-title" { "Read offline" }
            p { "Pages you read are kept for offline reading. To take everything with you, save every page and tool on this device." }
            p class="offline-save__actions" {
                button type="button" class="button" data-offline-start { "Save the whole atlas for offline" }
                button type="button" class="button" data-offline-cancel hidden { "Cancel" }
            }
            progress hidden max="1" value="0" aria-labelledby="offline-save-title" {}
            p class="offline-save__progress" data-offline-progress {}
            p role="status" data-offline-status {}
        }
    }
}

/// The mark: three nodes joined on a ring, drawn in the current text colour.
fn logo() -> Markup {
    html! {
        svg class="brand__logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false" {
            circle cx="16" cy="16" r="11" fill="none" stroke="currentColor" stroke-width="2" {}
            circle cx="16" cy="5" r="4" fill="var(--accent)" {}
            circle cx="25.5" cy="21.5" r="4" fill="var(--accent-2)" {}
            circle cx="6.5" cy="21.5" r="4" fill="var(--accent-3)" {}
        }
    }
}
