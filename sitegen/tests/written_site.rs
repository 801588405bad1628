//! The site as the hook writes it: every page carries a Content Security Policy that allows its
//! inline scripts and nothing else, and the offline files describe exactly what was written.

use atlas_sitegen::render::{Shell, SITE_NAME};
use atlas_sitegen::{compile, csp, offline, output};
use std::path::{Path, PathBuf};

/// A shell like the one trunk writes: its module loader inline in the head, and (in development)
/// its live-reload script at the end of the body, with the placeholders `trunk serve` fills in.
const TRUNK_HTML: &str = r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/sub/main-0123456789abcdef.css" integrity="sha384-x"/>
<link rel="modulepreload" href="/sub/atlas-0123456789abcdef.js" crossorigin="anonymous"><link rel="preload" href="/sub/atlas-0123456789abcdef_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">
<script type="module">import init, * as bindings from '/sub/atlas-0123456789abcdef.js';const wasm = await init({ module_or_path: '/sub/atlas-0123456789abcdef_bg.wasm' });window.wasmBindings = bindings;</script>
</head><body><script>"use strict";(function () { const address = '{{__TRUNK_ADDRESS__}}'; const base = '{{__TRUNK_WS_BASE__}}'; })()</script></body></html>"#;

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "html") {
            out.push(path);
        }
    }
}

fn written_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let shell = Shell::from_trunk_html(TRUNK_HTML).unwrap();
    let build = compile(&content_dir(), &shell, "/sub/").unwrap_or_else(|errors| panic!("{errors}"));
    output::write_site(dir.path(), &build.pages, &build.catalogue, "https://example.org").unwrap();
    offline::write_client_files(dir.path(), "/sub/", SITE_NAME).unwrap();
    offline::write_service_worker(dir.path(), "/sub/").unwrap();
    dir
}

#[test]
fn every_written_page_allows_its_inline_scripts_and_nothing_else() {
    let dir = written_site();
    let mut pages = Vec::new();
    html_files(dir.path(), &mut pages);
    assert!(pages.len() > 50, "only {} pages", pages.len());
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        csp::check(&html).unwrap_or_else(|error| panic!("{}: {error}", page.display()));
        let content = csp::inline_content(&html).unwrap();
        // The theme boot, the speculation rules, the live-reload script and (on pages that run
        // the core bundle) trunk's loader.
        assert!(content.scripts.len() >= 3, "{}: {:?}", page.display(), content.scripts);
        assert!(content.scripts.iter().any(|script| script.contains("window.location.host")), "{}", page.display());
        assert!(content.scripts.iter().any(|script| script.contains("\"eagerness\":\"moderate\"")), "{}", page.display());
        let policy = content.policy.unwrap();
        assert!(!policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"), "{policy}");
    }
}

#[test]
fn the_offline_list_names_every_page_and_the_worker_matches_it() {
    let dir = written_site();
    let list: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join(offline::FILE_LIST)).unwrap()).unwrap();
    let urls: Vec<&str> = list["files"].as_array().unwrap().iter().map(|file| file["url"].as_str().unwrap()).collect();
    let catalogue: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("catalogue.json")).unwrap()).unwrap();
    for entry in catalogue.as_array().unwrap() {
        // A section of a long document is saved with its page.
        let url = entry["url"].as_str().unwrap().split('#').next().unwrap();
        assert!(urls.contains(&url), "{url} is not in the offline list");
    }
    for file in ["/sub/offline.html", "/sub/offline.js", "/sub/manifest.webmanifest", "/sub/catalogue.json"] {
        assert!(urls.contains(&file), "{file} is not in the offline list");
    }
    assert!(!urls.iter().any(|url| url.ends_with("sw.js") || url.ends_with("404.html")));
    let worker = std::fs::read_to_string(dir.path().join(offline::SERVICE_WORKER)).unwrap();
    assert!(worker.contains(&format!("const VERSION = \"{}\";", list["version"].as_str().unwrap())));
    // The shell is what the offline page loads: the stylesheet, the core bundle, the page script.
    for asset in ["/sub/main-0123456789abcdef.css", "/sub/atlas-0123456789abcdef.js", "/sub/atlas-0123456789abcdef_bg.wasm", "/sub/offline.js?v="] {
        assert!(worker.contains(asset), "the shell lacks {asset}");
    }
}
