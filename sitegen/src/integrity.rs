//! Lets the hook shrink the core bundle after trunk has sealed it.
//!
//! trunk writes a Subresource Integrity hash (`integrity="sha384-…"`) for the core's loader
//! (`atlas-<hash>.js`) and module (`atlas-<hash>_bg.wasm`) into the page template, so any change
//! to those files after trunk makes the browser refuse them. The tool bundles carry no such hash
//! and have long been minified and had their import names shortened (`minify`, `imports`); the
//! core was left as trunk wrote it. [`Seal`] records the hashes the template holds, and after the
//! files change [`Seal::reseal`] writes their new hashes in place of the old, so the template
//! keeps vouching for exactly the bytes the site ships. Measured 2026-12-07 (gzipped): the core's loader
//! 5.7 → 3.2 KB and its module 34.4 → 31.9 KB, so a reference page 100.2 → 95.4 KB.

use base64::Engine;
use sha2::{Digest, Sha384};
use std::path::{Path, PathBuf};

/// The Subresource Integrity value of `bytes` as trunk writes it: `sha384-<base64>`.
pub fn sri(bytes: &[u8]) -> String {
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes)))
}

/// The core bundle's files in a built site, and the integrity each had when found.
#[derive(Debug)]
pub struct Seal {
    files: Vec<(PathBuf, String)>,
}

impl Seal {
    /// Finds the core's loader and module in `dir` (`atlas-*.js`, `atlas-*_bg.wasm`): exactly one
    /// of each, or the site is not one trunk built for this template.
    pub fn of_core(dir: &Path) -> Result<Self, String> {
        let names: Vec<String> = std::fs::read_dir(dir)
            .map_err(|error| format!("{}: {error}", dir.display()))?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .collect();
        let one = |suffix: &str| -> Result<PathBuf, String> {
            let found: Vec<&String> = names.iter().filter(|name| name.starts_with("atlas-") && name.ends_with(suffix)).collect();
            match found.as_slice() {
                [name] => Ok(dir.join(name)),
                _ => Err(format!("{}: expected one core file atlas-*{suffix}, found {found:?}", dir.display())),
            }
        };
        let (js, wasm) = (one(".js")?, one("_bg.wasm")?);
        let files = [js, wasm]
            .into_iter()
            .map(|path| std::fs::read(&path).map(|bytes| (path.clone(), sri(&bytes))).map_err(|error| format!("{}: {error}", path.display())))
            .collect::<Result<_, _>>()?;
        Ok(Self { files })
    }

    /// The core's loader.
    pub fn loader(&self) -> &Path {
        &self.files[0].0
    }

    /// The core's module.
    pub fn module(&self) -> &Path {
        &self.files[1].0
    }

    /// `template` with each file's old integrity replaced by that of the file as it is now. Each
    /// old value must be in the template exactly once: otherwise the template is not the one the
    /// files were sealed for, and the build stops rather than ship a page the browser refuses.
    pub fn reseal(&self, template: &str) -> Result<String, String> {
        let mut out = template.to_string();
        for (path, old) in &self.files {
            let count = out.matches(old.as_str()).count();
            if count != 1 {
                return Err(format!("{}: its integrity {old} is in the page template {count} times, not once", path.display()));
            }
            let bytes = std::fs::read(path).map_err(|error| format!("{}: {error}", path.display()))?;
            out = out.replace(old.as_str(), &sri(&bytes));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sri_matches_an_independent_sha384() {
        // `printf %s abc | openssl dgst -sha384 -binary | base64`
        assert_eq!(sri(b"abc"), "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn");
    }

    fn site(js: &str, wasm: &[u8]) -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("atlas-0123.js"), js).unwrap();
        std::fs::write(dir.path().join("atlas-0123_bg.wasm"), wasm).unwrap();
        std::fs::write(dir.path().join("viz-cap-theorem.js"), "tool").unwrap();
        let template = format!(
            r#"<link rel="modulepreload" href="/atlas-0123.js" integrity="{}"><link rel="preload" href="/atlas-0123_bg.wasm" integrity="{}" as="fetch">"#,
            sri(js.as_bytes()),
            sri(wasm)
        );
        (dir, template)
    }

    #[test]
    fn changed_files_get_their_new_integrity_in_the_template() {
        let (dir, template) = site("export function  long_name() {}", b"\0asm old");
        let seal = Seal::of_core(dir.path()).unwrap();
        assert!(seal.loader().ends_with("atlas-0123.js") && seal.module().ends_with("atlas-0123_bg.wasm"));
        std::fs::write(seal.loader(), "export function a(){}").unwrap();
        std::fs::write(seal.module(), b"\0asm new").unwrap();
        let resealed = seal.reseal(&template).unwrap();
        assert!(resealed.contains(&format!(r#"href="/atlas-0123.js" integrity="{}""#, sri(b"export function a(){}"))), "{resealed}");
        assert!(resealed.contains(&format!(r#"href="/atlas-0123_bg.wasm" integrity="{}""#, sri(b"\0asm new"))), "{resealed}");
        assert!(!resealed.contains(&sri(b"\0asm old")));
        let again = Seal::of_core(dir.path()).unwrap();
        assert_eq!(again.reseal(&resealed).unwrap(), resealed, "files left as they are keep their integrity");
    }

    #[test]
    fn a_template_that_does_not_vouch_for_the_files_stops_the_build() {
        let (dir, template) = site("export{}", b"\0asm");
        let seal = Seal::of_core(dir.path()).unwrap();
        assert!(seal.reseal("<head></head>").unwrap_err().contains("0 times"));
        let twice = format!("{template}{template}");
        assert!(seal.reseal(&twice).unwrap_err().contains("2 times"));
        std::fs::write(dir.path().join("atlas-4567.js"), "x").unwrap();
        assert!(Seal::of_core(dir.path()).unwrap_err().contains("expected one core file atlas-*.js"));
        assert!(Seal::of_core(&dir.path().join("missing")).is_err());
    }
}
