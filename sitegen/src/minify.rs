//! Minifies the JavaScript the site ships that trunk leaves as is: each tool bundle's
//! wasm-bindgen loader (`viz-*.js`) and the page script (`offline.js`).
//!
//! esbuild (an npm package, installed by `scripts/setup.sh`) does the work: trunk's own `minify`
//! fails on wasm-bindgen 0.2.130's output (see Trunk.toml), and the Rust minifiers either share
//! that parser or take minutes to compile. Measured 2026-12 on consistent-hashing: its loader
//! 7.8 → 6.1 KB gzipped, `offline.js` 3.9 → 2.4 KB. The core's loader is left alone: trunk has
//! already written its Subresource Integrity hash into the page template.
//! Minifying is an optimisation, so without esbuild the build goes on and says so.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The scripts in a built site's folder that are minified: `offline.js` and the `viz-*.js` loaders.
pub fn candidates(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|entry| entry.ok().map(|entry| entry.path()))
                .collect()
        })
        .unwrap_or_default();
    files.retain(|path| {
        let name = path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or_default();
        name == "offline.js" || (name.starts_with("viz-") && name.ends_with(".js"))
    });
    files.sort();
    files
}

/// Minifies `files` in place; returns the bytes saved, or a warning when esbuild is not there.
pub fn in_place(files: &[PathBuf]) -> Result<u64, String> {
    let mut saved = 0;
    for file in files {
        let before = std::fs::metadata(file)
            .map_err(|error| format!("{}: {error}", file.display()))?
            .len();
        let output = Command::new("esbuild")
            .arg(file)
            .args(["--minify", "--log-level=warning", "--allow-overwrite"])
            .arg(format!("--outfile={}", file.display()))
            .output()
            .map_err(|error| format!("esbuild could not run ({error}); the scripts ship unminified. Run scripts/setup.sh, which installs it."))?;
        if !output.status.success() {
            return Err(format!(
                "esbuild failed on {}: {}",
                file.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let after = std::fs::metadata(file)
            .map_err(|error| format!("{}: {error}", file.display()))?
            .len();
        saved += before.saturating_sub(after);
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_loaders_and_the_page_script_only() {
        let dir = std::env::temp_dir().join(format!("atlas-minify-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "offline.js",
            "viz-cap-theorem.js",
            "atlas-0123.js",
            "sw.js",
            "viz-harness-1.css",
        ] {
            std::fs::write(dir.join(name), "export const a = 1;\n").unwrap();
        }
        let names: Vec<String> = candidates(&dir)
            .iter()
            .map(|path| path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["offline.js", "viz-cap-theorem.js"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
