//! Offline reading and installing: the web app manifest, the page script (`offline.js`), and,
//! once every other file of the build is written, the list of files to save
//! (`offline-manifest.json`) and the service worker (`sw.js`) whose version is a hash of them all.
//!
//! The two scripts are JavaScript sources in `sitegen/js/`, compiled into this binary, so the
//! build writes them with the base path and version filled in.

use lol_html::{element, rewrite_str, RewriteStrSettings};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::io;
use std::path::Path;

const OFFLINE_JS: &str = include_str!("../js/offline.js");
/// Saving the whole site and listing saved pages: fetched by offline.js only when needed.
const OFFLINE_SAVE_JS: &str = include_str!("../js/offline-save.js");
const SW_TEMPLATE: &str = include_str!("../js/sw.js");
/// The painter of a stage's picture while its run plays: fetched by the request painter
/// (`js/stage.js`, inlined in staged pages) the first time a run plays.
const STAGE_STILL_JS: &str = include_str!("../js/stage-still.js");

/// The fallback page for addresses the reader has not saved, written next to `404.html`.
pub const OFFLINE_PAGE: &str = "offline.html";
pub const SERVICE_WORKER: &str = "sw.js";
pub const FILE_LIST: &str = "offline-manifest.json";
pub const WEB_MANIFEST: &str = "manifest.webmanifest";

/// The colours of the browser's UI around the page, for the light and the dark theme: the
/// header's surface colour in each (`--surface` in style/main.css).
pub const THEME_COLOR_LIGHT: &str = "#ffffff";
pub const THEME_COLOR_DARK: &str = "#1a1e24";
/// The splash screen of an installed app (`--bg` of the light theme).
const BACKGROUND_COLOR: &str = "#fbfbfa";

/// The page script's address, with a content hash so a changed script is never served stale.
pub fn script_url(base: &str) -> String {
    format!("{base}offline.js?v={}", &hex_sha256(OFFLINE_JS.as_bytes())[..16])
}

/// The saving script's address, hashed the same way; pages carry it in `data-offline-script`.
pub fn save_script_url(base: &str) -> String {
    format!("{base}offline-save.js?v={}", &hex_sha256(OFFLINE_SAVE_JS.as_bytes())[..16])
}

/// The stage's picture painter's address, hashed the same way; staged pages carry it in their painter.
pub fn stage_still_url(base: &str) -> String {
    format!("{base}stage-still.js?v={}", &hex_sha256(STAGE_STILL_JS.as_bytes())[..16])
}

#[derive(Serialize)]
struct Icon {
    src: String,
    sizes: &'static str,
    #[serde(rename = "type")]
    mime: &'static str,
    purpose: &'static str,
}

#[derive(Serialize)]
struct WebManifest<'a> {
    id: &'a str,
    name: &'a str,
    short_name: &'a str,
    description: &'a str,
    start_url: &'a str,
    scope: &'a str,
    display: &'a str,
    background_color: &'a str,
    theme_color: &'a str,
    icons: Vec<Icon>,
}

/// The web app manifest, for the site served under `base`.
pub fn web_manifest(base: &str, name: &str) -> String {
    let icon = |file: &str, sizes, mime, purpose| Icon { src: format!("{base}{file}"), sizes, mime, purpose };
    let manifest = WebManifest {
        id: base,
        name,
        short_name: "Atlas",
        description: "System design explained with diagrams you can read and simulations you can run, entirely in your browser.",
        start_url: base,
        scope: base,
        display: "standalone",
        background_color: BACKGROUND_COLOR,
        theme_color: THEME_COLOR_LIGHT,
        icons: vec![
            icon("favicon.svg", "any", "image/svg+xml", "any"),
            icon("icon-192.png", "192x192", "image/png", "any"),
            icon("icon-512.png", "512x512", "image/png", "any"),
            // The PNGs keep the mark inside the central 80 %, so they also work masked.
            icon("icon-512.png", "512x512", "image/png", "maskable"),
        ],
    };
    serde_json::to_string_pretty(&manifest).expect("the manifest is plain data")
}

/// Writes the files that pages refer to: the page script and the web app manifest.
pub fn write_client_files(dir: &Path, base: &str, name: &str) -> io::Result<()> {
    std::fs::write(dir.join("offline.js"), OFFLINE_JS)?;
    std::fs::write(dir.join("offline-save.js"), OFFLINE_SAVE_JS)?;
    std::fs::write(dir.join("stage-still.js"), STAGE_STILL_JS)?;
    std::fs::write(dir.join(WEB_MANIFEST), web_manifest(base, name))?;
    Ok(())
}

/// One file to save for offline reading.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct OfflineFile {
    pub url: String,
    pub bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct FileList {
    /// The build's version: the same string the service worker carries.
    pub version: String,
    pub bytes: u64,
    pub files: Vec<OfflineFile>,
}

/// What [`write_service_worker`] wrote, for the build log.
pub struct Summary {
    pub version: String,
    pub files: usize,
    pub bytes: u64,
    pub shell: usize,
    pub worker_bytes: usize,
}

/// Lists every file of the built site in `dir` (except the worker and this list themselves, the
/// not-found page and dotfiles), derives the version from all of their contents, and writes
/// `offline-manifest.json` and `sw.js`. Run it last: any file written after it would not count.
pub fn write_service_worker(dir: &Path, base: &str) -> io::Result<Summary> {
    let mut paths = Vec::new();
    collect_files(dir, dir, &mut paths)?;
    paths.sort();
    let mut version = Sha256::new();
    let mut files = Vec::new();
    for relative in &paths {
        let bytes = std::fs::read(dir.join(relative))?;
        version.update(relative.as_bytes());
        version.update([0]);
        version.update((bytes.len() as u64).to_le_bytes());
        version.update(&bytes);
        files.push(OfflineFile { url: url_of(base, relative), bytes: bytes.len() as u64 });
    }
    let version = hex(&version.finalize())[..16].to_string();
    let shell = shell_urls(dir, base)?;
    let list = FileList { version: version.clone(), bytes: files.iter().map(|file| file.bytes).sum(), files };
    std::fs::write(dir.join(FILE_LIST), serde_json::to_string(&list).map_err(io::Error::other)?)?;
    let worker = service_worker(&version, &shell, &format!("{base}{OFFLINE_PAGE}"));
    std::fs::write(dir.join(SERVICE_WORKER), &worker)?;
    Ok(Summary { version, files: list.files.len(), bytes: list.bytes, shell: shell.len(), worker_bytes: worker.len() })
}

/// `sw.js` with its version, shell and offline page filled in. The values are JSON, which is
/// valid JavaScript, so no address can break out of its string.
pub fn service_worker(version: &str, shell: &[String], offline_page: &str) -> String {
    let json = |value: &str| serde_json::Value::from(value).to_string();
    let shell = serde_json::Value::from(shell.to_vec()).to_string();
    SW_TEMPLATE
        .replace("'__ATLAS_VERSION__'", &json(version))
        .replace("__ATLAS_SHELL__", &shell)
        .replace("'__ATLAS_OFFLINE_PAGE__'", &json(offline_page))
}

const SKIPPED: [&str; 3] = [SERVICE_WORKER, FILE_LIST, "404.html"];

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let relative = path.strip_prefix(root).map_err(io::Error::other)?.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/");
            if !SKIPPED.contains(&relative.as_str()) {
                out.push(relative);
            }
        }
    }
    Ok(())
}

/// The address a reader uses for a file: a directory's `index.html` is its directory.
fn url_of(base: &str, relative: &str) -> String {
    match relative.strip_suffix("index.html") {
        Some(directory) if directory.is_empty() || directory.ends_with('/') => format!("{base}{directory}"),
        _ => format!("{base}{relative}"),
    }
}

/// The shell: the offline page, what it loads (stylesheet, core bundle, page scripts, favicon; not
/// the manifest or the home-screen icon, which only installing needs), and the catalogue the
/// offline page reads titles from. Read from the written offline page, so whatever
/// trunk or the layout put in a page's head is in the shell too.
fn shell_urls(dir: &Path, base: &str) -> io::Result<Vec<String>> {
    let html = std::fs::read_to_string(dir.join(OFFLINE_PAGE))?;
    let found = RefCell::new(vec![format!("{base}{OFFLINE_PAGE}"), format!("{base}catalogue.json")]);
    let mut add = |value: Option<String>| {
        if let Some(url) = value.filter(|url| url.starts_with(base) && !url.ends_with('/')) {
            let mut found = found.borrow_mut();
            if !found.contains(&url) {
                found.push(url);
            }
        }
    };
    let add = RefCell::new(&mut add);
    rewrite_str(
        &html,
        RewriteStrSettings::new().append_element_content_handler(element!("link[href]:not([rel=manifest]):not([rel=apple-touch-icon])", |el| {
                    (add.borrow_mut())(el.get_attribute("href"));
                    Ok(())
                })).append_element_content_handler(element!("script[src]", |el| {
                    (add.borrow_mut())(el.get_attribute("src"));
                    Ok(())
                })).append_element_content_handler(element!("[data-offline-script]", |el| {
                    // The offline page lists the saved pages with this script.
                    (add.borrow_mut())(el.get_attribute("data-offline-script"));
                    Ok(())
                })),
    )
    .map_err(io::Error::other)?;
    Ok(found.into_inner())
}

fn hex_sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let write = |path: &str, text: &str| {
            let file = dir.path().join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, text).unwrap();
        };
        write("index.html", "<html><head></head><body>home</body></html>");
        write("patterns/index.html", "<p>patterns</p>");
        write("patterns/cache-aside/index.html", "<p>one pattern</p>");
        write("main-0123456789abcdef.css", "body{}");
        write("404.html", "<p>not found</p>");
        write(".nojekyll", "");
        write("catalogue.json", "[]");
        write(
            OFFLINE_PAGE,
            r#"<html><head><link rel="stylesheet" href="/b/main-0123456789abcdef.css"><link rel="manifest" href="/b/manifest.webmanifest"><link rel="apple-touch-icon" href="/b/icon-192.png"><script type="module" src="/b/offline.js?v=1"></script><link rel="icon" href="https://elsewhere.example/x.svg"></head><body><a href="/b/patterns/">p</a><section data-offline-save data-offline-script="/b/offline-save.js?v=2"></section></body></html>"#,
        );
        dir
    }

    fn read_list(dir: &Path) -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(FILE_LIST)).unwrap()).unwrap()
    }

    #[test]
    fn lists_every_file_by_the_address_a_reader_uses() {
        let dir = site();
        let summary = write_service_worker(dir.path(), "/b/").unwrap();
        let list = read_list(dir.path());
        let urls: Vec<&str> = list["files"].as_array().unwrap().iter().map(|file| file["url"].as_str().unwrap()).collect();
        assert_eq!(urls, ["/b/catalogue.json", "/b/", "/b/main-0123456789abcdef.css", "/b/offline.html", "/b/patterns/cache-aside/", "/b/patterns/"]);
        let home = &list["files"].as_array().unwrap()[1];
        assert_eq!(home["bytes"], "<html><head></head><body>home</body></html>".len());
        assert_eq!(list["version"], summary.version.as_str());
        assert_eq!(summary.files, 6);
    }

    #[test]
    fn the_worker_carries_the_version_shell_and_offline_page() {
        let dir = site();
        let summary = write_service_worker(dir.path(), "/b/").unwrap();
        let worker = std::fs::read_to_string(dir.path().join(SERVICE_WORKER)).unwrap();
        assert!(worker.contains(&format!("const VERSION = \"{}\";", summary.version)), "{worker}");
        assert!(worker.contains(r#"const SHELL = ["/b/offline.html","/b/catalogue.json","/b/main-0123456789abcdef.css","/b/offline.js?v=1","/b/offline-save.js?v=2"];"#), "{worker}");
        assert!(worker.contains(r#"const OFFLINE_PAGE = "/b/offline.html";"#));
        assert!(!worker.contains("__ATLAS_"));
    }

    #[test]
    fn any_change_to_any_file_changes_the_version_and_nothing_else_does() {
        let dir = site();
        let first = write_service_worker(dir.path(), "/b/").unwrap().version;
        // Writing again over its own output (the `offline` command on a built site) is stable.
        assert_eq!(write_service_worker(dir.path(), "/b/").unwrap().version, first);
        std::fs::write(dir.path().join("patterns/cache-aside/index.html"), "<p>one pattern, edited</p>").unwrap();
        let second = write_service_worker(dir.path(), "/b/").unwrap().version;
        assert_ne!(first, second);
        std::fs::write(dir.path().join("main-0123456789abcdef.css"), "body{color:red}").unwrap();
        let third = write_service_worker(dir.path(), "/b/").unwrap().version;
        assert_ne!(second, third);
        // A file moved keeps its bytes but changes the version.
        std::fs::rename(dir.path().join("catalogue.json"), dir.path().join("catalogue2.json")).unwrap();
        assert_ne!(write_service_worker(dir.path(), "/b/").unwrap().version, third);
    }

    #[test]
    fn the_manifest_is_scoped_to_the_base_path() {
        let manifest: serde_json::Value = serde_json::from_str(&web_manifest("/repo/", "System Design Atlas")).unwrap();
        assert_eq!(manifest["start_url"], "/repo/");
        assert_eq!(manifest["scope"], "/repo/");
        let sizes: Vec<&str> = manifest["icons"].as_array().unwrap().iter().map(|icon| icon["sizes"].as_str().unwrap()).collect();
        assert!(sizes.contains(&"192x192") && sizes.contains(&"512x512"));
        assert!(manifest["icons"].as_array().unwrap().iter().all(|icon| icon["src"].as_str().unwrap().starts_with("/repo/")));
    }

    #[test]
    fn a_base_path_cannot_break_out_of_the_worker_strings() {
        let worker = service_worker("v1", &["/a\"b/".to_string()], "/a'b/offline.html");
        assert!(worker.contains(r#"const SHELL = ["/a\"b/"];"#));
        assert!(worker.contains(r#"const OFFLINE_PAGE = "/a'b/offline.html";"#));
    }
}
