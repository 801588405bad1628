//! Minifies what the site ships that trunk leaves as is: each tool bundle's wasm-bindgen loader
//! (`viz-*.js`), the page script (`offline.js`) and the stylesheets the hook copies (`main-*.css`,
//! `viz-*.css`; their explanatory comments stay in the sources).
//!
//! esbuild (an npm package, installed by `scripts/setup.sh`) does the work: trunk's own `minify`
//! fails on wasm-bindgen 0.2.130's output (see Trunk.toml), and the Rust minifiers either share
//! that parser or take minutes to compile. Measured 2026-12 (gzipped): the consistent-hashing
//! loader 7.8 → 6.1 KB, `offline.js` 3.9 → 2.4 KB, the site's stylesheet 5.5 → 4.5 KB, the
//! harness's 2.3 → 1.5 KB. The core's loader is minified apart, before the
//! pages are made, since trunk has sealed it with a Subresource Integrity hash that the hook
//! then rewrites (`integrity`).
//! Minifying is an optimisation, so without esbuild the build goes on and says so.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What in a built site's folder is minified: `offline.js`, `offline-save.js` and `stage-still.js`, the `viz-*.js` loaders, and the
/// stylesheets the shell copies (`main-*`, `code-*`, the kinds' and `viz-*`).
pub fn candidates(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).map(|entries| entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect()).unwrap_or_default();
    files.retain(|path| {
        let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
        let script = ["offline.js", "offline-save.js", "stage-still.js"].contains(&name) || (name.starts_with("viz-") && name.ends_with(".js"));
        let style = ["viz-", "main-", "code-", "cheatsheet-", "reference-", "patterns-", "module-", "quiz-"].iter().any(|prefix| name.starts_with(prefix)) && name.ends_with(".css");
        script || style
    });
    files.sort();
    files
}

/// Minifies `files` in place; returns the bytes saved, or a warning when esbuild is not there.
pub fn in_place(files: &[PathBuf]) -> Result<u64, String> {
    let mut saved = 0;
    for file in files {
        let size = |file: &Path| std::fs::metadata(file).map(|meta| meta.len()).map_err(|error| format!("{}: {error}", file.display()));
        let before = size(file)?;
        let output = Command::new("esbuild")
            .arg(file)
            .args(["--minify", "--log-level=warning", "--allow-overwrite"])
            .arg(format!("--outfile={}", file.display()))
            .output()
            .map_err(|error| format!("esbuild could not run ({error}); the scripts and stylesheets ship unminified. Run scripts/setup.sh, which installs it."))?;
        if !output.status.success() {
            return Err(format!("esbuild failed on {}: {}", file.display(), String::from_utf8_lossy(&output.stderr).trim()));
        }
        saved += before.saturating_sub(size(file)?);
    }
    Ok(saved)
}

/// `source`, a script, minified by esbuild (read from its standard input), or why not.
pub fn script(source: &str) -> Result<String, String> {
    use std::io::Write;
    let mut child = Command::new("esbuild")
        .args(["--minify", "--loader=js", "--log-level=warning"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|error| format!("esbuild could not run ({error}); an inline script ships unminified. Run scripts/setup.sh, which installs it."))?;
    child.stdin.take().ok_or("esbuild's input")?.write_all(source.as_bytes()).map_err(|error| format!("writing to esbuild: {error}"))?;
    let output = child.wait_with_output().map_err(|error| format!("esbuild: {error}"))?;
    if !output.status.success() {
        return Err(format!("esbuild failed on an inline script: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    String::from_utf8(output.stdout).map(|minified| minified.trim_end().to_string()).map_err(|error| format!("esbuild's output: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_script_comes_back_shorter_and_doing_the_same() {
        let source = "// a comment\n{\n  const greeting = 'hello';\n  globalThis.greet = (name) => greeting + ', ' + name;\n}\n";
        let minified = script(source).expect("esbuild (scripts/setup.sh installs it) runs");
        assert!(minified.len() < source.len() && !minified.contains("a comment"), "{minified}");
        assert!(minified.contains("globalThis.greet") && minified.contains("\"hello\""), "the side effect and the string stay: {minified}");
        assert!(script("const = ;").is_err(), "a syntax error is reported, not shipped");
    }

    #[test]
    fn picks_the_loaders_the_page_script_and_the_copied_stylesheets_only() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["offline.js", "offline-save.js", "stage-still.js", "viz-cap-theorem.js", "atlas-0123.js", "sw.js", "viz-harness-1.css", "main-2.css", "other.css"] {
            std::fs::write(dir.path().join(name), "export const a = 1;\n").unwrap();
        }
        let names: Vec<String> = candidates(dir.path()).iter().map(|path| path.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["main-2.css", "offline-save.js", "offline.js", "stage-still.js", "viz-cap-theorem.js", "viz-harness-1.css"]);
    }
}
