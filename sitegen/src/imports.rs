//! Shortens the names a bundle's WebAssembly imports its JavaScript functions by, and drops
//! the module's custom sections.
//!
//! wasm-bindgen names each imported function after the Rust item and a 16-digit hash
//! (`__wbg_requestAnimationFrame_9ba49d36a19ca83c`), and writes every name twice: in the wasm's
//! import section and as a key of the loader's import object. A tool bundle has about 150 of
//! them; the hashes do not compress, so the names cost about 3.5 KB gzipped per bundle (measured
//! 2026-12-06 on viz-cache-stampede: loader 5.5 → 3.7 KB). They only have to match each other, so
//! after wasm-bindgen the hook renames each to a short one (`a`, `b`, … `ba`, …) in both files.
//!
//! The tool bundles skip trunk's wasm-opt step (see `bundles::TOOL_WASM_OPT`): this pass drops
//! their custom sections (the function names, about 470 KB of an 815 KB bundle, the producers and
//! the target features, which the browser never reads), then `optimise` runs the few wasm-opt
//! passes that still pay after rustc's own size optimisation.
//!
//! The module is rewritten by hand because only names change and sections go: the imports are
//! read as the binary format defines them (names, then a kind and its description, copied as
//! they are), every other section is copied or dropped whole, and the result is checked with
//! `wasmparser`'s validator before it replaces the original. Anything unexpected (an import kind
//! this code does not know, a name that is not exactly once in the loader, a module that does
//! not validate) leaves the bundle as it was.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What renaming did to one bundle.
#[derive(Debug, PartialEq, Eq)]
pub struct Renamed {
    pub names: usize,
    pub bytes_saved: usize,
}

/// Renames the imports of the bundle whose loader is `js` and whose module is `wasm`, in place.
pub fn shorten_files(js: &Path, wasm: &Path) -> Result<Renamed, String> {
    let script = std::fs::read_to_string(js).map_err(|error| format!("{}: {error}", js.display()))?;
    let module = std::fs::read(wasm).map_err(|error| format!("{}: {error}", wasm.display()))?;
    let (new_script, new_module, renamed) = shorten(&script, &module).map_err(|error| format!("{}: {error}", wasm.display()))?;
    std::fs::write(js, new_script).map_err(|error| format!("{}: {error}", js.display()))?;
    std::fs::write(wasm, new_module).map_err(|error| format!("{}: {error}", wasm.display()))?;
    Ok(renamed)
}

/// The wasm-opt passes run on each tool bundle after `shorten_files`, and why not a level: rustc
/// has already optimised the module for size with fat LTO, so most of `-O1`'s work finds nothing,
/// and trunk can only run a level. Measured 2026-12-06 on storage-engines with its names dropped
/// (wasm-opt 132, gzip -9): nothing 149.7 KB; `-O1` 148.0 KB in 4.2 s of CPU; these six passes
/// 147.8 KB in 2.6 s (`coalesce-locals` and `reorder-locals` alone take 1.0 KB, in 1.7 s, of
/// which 1.3 s is reading and writing the module).
pub const PASSES: &[&str] = &["--duplicate-function-elimination", "--coalesce-locals", "--reorder-locals", "--remove-unused-brs", "--vacuum", "--optimize-instructions"];

/// The WebAssembly features rustc's output uses, which wasm-opt must be told of (as trunk does).
const FEATURES: &[&str] = &[
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Runs `PASSES` over `wasm` in place with the `wasm-opt` on `PATH` (binaryen 132 from npm, as
/// `scripts/env.sh` sets it up), then checks the result still validates.
pub fn optimise(wasm: &Path) -> Result<(), String> {
    let output = std::process::Command::new("wasm-opt")
        .args(PASSES)
        .args(FEATURES)
        .arg(wasm)
        .arg("-o")
        .arg(wasm)
        .output()
        .map_err(|error| format!("{}: running wasm-opt (binaryen, installed by scripts/setup.sh): {error}", wasm.display()))?;
    if !output.status.success() {
        return Err(format!("{}: wasm-opt failed: {}", wasm.display(), String::from_utf8_lossy(&output.stderr).trim()));
    }
    let module = std::fs::read(wasm).map_err(|error| format!("{}: {error}", wasm.display()))?;
    wasmparser::validate(&module).map(|_| ()).map_err(|error| format!("{}: wasm-opt's output does not validate: {error}", wasm.display()))
}

/// The name of the cache entry for `bytes` as wasm-opt `version` (its `--version` answer) makes
/// them with these passes and features: another binaryen may make other bytes of the same input,
/// so an update of it (scripts/setup.sh pins one, which a new pin changes) starts a new entry.
fn cache_key(bytes: &[u8], version: &str) -> String {
    let mut key = Sha256::new();
    for part in PASSES.iter().chain(FEATURES).chain([&version]) {
        key.update(part.as_bytes());
        key.update([0]);
    }
    key.update(bytes);
    format!("{:x}", key.finalize())
}

/// `wasm-opt --version`, asked once a run.
fn wasm_opt_version() -> Result<&'static str, String> {
    static VERSION: std::sync::OnceLock<Result<String, String>> = std::sync::OnceLock::new();
    VERSION
        .get_or_init(|| {
            let output = std::process::Command::new("wasm-opt")
                .arg("--version")
                .output()
                .map_err(|error| format!("running wasm-opt --version (binaryen, installed by scripts/setup.sh): {error}"))?;
            let version = String::from_utf8_lossy(&output.stdout).trim().to_string();
            if output.status.success() && !version.is_empty() {
                Ok(version)
            } else {
                Err(format!("wasm-opt --version answered nothing: {}", String::from_utf8_lossy(&output.stderr).trim()))
            }
        })
        .as_deref()
        .map_err(Clone::clone)
}

/// Runs [`optimise`] on `wasm` unless `cache` holds its result for these exact bytes, passes and
/// features, and keeps the result there. A warm release build relinks every bundle after a change
/// to the models crate, but fat LTO drops what a bundle does not call, so the bundles the change
/// does not reach come out byte for byte as before: at 44 tools their wasm-opt passes were 50 s of
/// a 6 min 39 s build (2026-12-07). Returns the cache file used, and whether it was a hit. A cached
/// file that no longer validates is ignored and rewritten.
pub fn optimise_cached(wasm: &Path, cache: &Path) -> Result<(PathBuf, bool), String> {
    let bytes = std::fs::read(wasm).map_err(|error| format!("{}: {error}", wasm.display()))?;
    let cached = cache.join(format!("{}.wasm", cache_key(&bytes, wasm_opt_version()?)));
    if let Ok(kept) = std::fs::read(&cached) {
        if wasmparser::validate(&kept).is_ok() {
            std::fs::write(wasm, kept).map_err(|error| format!("{}: {error}", wasm.display()))?;
            return Ok((cached, true));
        }
    }
    optimise(wasm)?;
    // Written beside and renamed, so a build stopped halfway never leaves half a module to reuse.
    let result: Result<(), std::io::Error> = (|| {
        std::fs::create_dir_all(cache)?;
        let partial = cached.with_extension("partial");
        std::fs::copy(wasm, &partial)?;
        std::fs::rename(&partial, &cached)
    })();
    result.map_err(|error| format!("{}: keeping wasm-opt's output: {error}", cached.display()))?;
    Ok((cached, false))
}

/// The loader and module with every function import renamed, or why not.
pub fn shorten(script: &str, module: &[u8]) -> Result<(String, Vec<u8>, Renamed), String> {
    let section = find_section(module, IMPORT_SECTION)?.ok_or("no import section")?;
    let imports = read_imports(&module[section.contents.clone()])?;
    let mut names = Vec::new();
    let mut contents = Vec::new();
    write_leb(&mut contents, imports.len() as u64);
    for import in &imports {
        let name = if import.is_function { short_name(names.len()) } else { import.name.to_string() };
        if import.is_function {
            names.push((import.name, name.clone()));
        }
        write_name(&mut contents, import.module);
        write_name(&mut contents, &name);
        contents.extend_from_slice(import.description);
    }
    let mut new_module = Vec::with_capacity(module.len());
    new_module.extend_from_slice(&module[..8]);
    for kept in sections(module)?.into_iter().filter(|kept| module[kept.start] != CUSTOM_SECTION) {
        if kept.start == section.start {
            new_module.push(IMPORT_SECTION);
            write_leb(&mut new_module, contents.len() as u64);
            new_module.extend_from_slice(&contents);
        } else {
            new_module.extend_from_slice(&module[kept.start..kept.contents.end]);
        }
    }
    wasmparser::validate(&new_module).map_err(|error| format!("the renamed module does not validate: {error}"))?;
    let new_script = rename_in_script(script, &names)?;
    let bytes_saved = (module.len() + script.len()).saturating_sub(new_module.len() + new_script.len());
    Ok((new_script, new_module, Renamed { names: names.len(), bytes_saved }))
}

const CUSTOM_SECTION: u8 = 0;
const IMPORT_SECTION: u8 = 2;

/// A section: where its id byte is, and the range of its contents.
struct Section {
    start: usize,
    contents: std::ops::Range<usize>,
}

fn find_section(module: &[u8], id: u8) -> Result<Option<Section>, String> {
    Ok(sections(module)?.into_iter().find(|section| module[section.start] == id))
}

/// Every section of the module, in order.
fn sections(module: &[u8]) -> Result<Vec<Section>, String> {
    if module.len() < 8 || &module[..4] != b"\0asm" {
        return Err("not a WebAssembly module".to_string());
    }
    let mut found = Vec::new();
    let mut at = 8;
    while at < module.len() {
        let start = at;
        at += 1;
        let size = read_leb(module, &mut at)? as usize;
        let end = at.checked_add(size).filter(|end| *end <= module.len()).ok_or("a section runs past the end")?;
        found.push(Section { start, contents: at..end });
        at = end;
    }
    Ok(found)
}

struct Import<'a> {
    module: &'a str,
    name: &'a str,
    is_function: bool,
    /// The kind byte and its description, as they were.
    description: &'a [u8],
}

fn read_imports(section: &[u8]) -> Result<Vec<Import<'_>>, String> {
    let mut at = 0;
    let count = read_leb(section, &mut at)?;
    let mut imports = Vec::new();
    for _ in 0..count {
        let module = read_name(section, &mut at)?;
        let name = read_name(section, &mut at)?;
        let start = at;
        let kind = *section.get(at).ok_or("an import without a kind")?;
        at += 1;
        match kind {
            // A function: its type index.
            0x00 => {
                read_leb(section, &mut at)?;
            }
            // A table: a reference type (one byte) and limits.
            0x01 => {
                let reference = *section.get(at).ok_or("a table without a type")?;
                if reference != 0x70 && reference != 0x6f {
                    return Err(format!("a table of reference type {reference:#x}, which this renamer does not read"));
                }
                at += 1;
                skip_limits(section, &mut at)?;
            }
            // A memory: limits.
            0x02 => skip_limits(section, &mut at)?,
            // A global: a number or reference type (one byte) and whether it is mutable.
            0x03 => {
                let value = *section.get(at).ok_or("a global without a type")?;
                if !matches!(value, 0x7f | 0x7e | 0x7d | 0x7c | 0x7b | 0x70 | 0x6f) {
                    return Err(format!("a global of type {value:#x}, which this renamer does not read"));
                }
                at += 2;
            }
            other => return Err(format!("an import of kind {other:#x}, which this renamer does not read")),
        }
        let description = section.get(start..at).ok_or("an import runs past its section")?;
        imports.push(Import { module, name, is_function: kind == 0x00, description });
    }
    if at != section.len() {
        return Err("the import section has bytes after its last import".to_string());
    }
    Ok(imports)
}

/// Limits: a flags byte, the minimum, and the maximum when flag 1 is set.
fn skip_limits(bytes: &[u8], at: &mut usize) -> Result<(), String> {
    let flags = *bytes.get(*at).ok_or("limits without flags")?;
    if flags > 0x07 {
        return Err(format!("limits with flags {flags:#x}, which this renamer does not read"));
    }
    *at += 1;
    read_leb(bytes, at)?;
    if flags & 1 == 1 {
        read_leb(bytes, at)?;
    }
    Ok(())
}

fn read_leb(bytes: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at).ok_or("a number runs past the end")?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a number longer than 64 bits".to_string())
}

fn write_leb(out: &mut Vec<u8>, mut value: u64) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn read_name<'a>(bytes: &'a [u8], at: &mut usize) -> Result<&'a str, String> {
    let length = read_leb(bytes, at)? as usize;
    let end = at.checked_add(length).filter(|end| *end <= bytes.len()).ok_or("a name runs past the end")?;
    let name = std::str::from_utf8(&bytes[*at..end]).map_err(|_| "a name that is not UTF-8")?;
    *at = end;
    Ok(name)
}

fn write_name(out: &mut Vec<u8>, name: &str) {
    write_leb(out, name.len() as u64);
    out.extend_from_slice(name.as_bytes());
}

/// `a` … `z`, `A` … `Z`, then two letters and so on: the shortest names first.
fn short_name(mut index: usize) -> String {
    const LETTERS: &[u8; 52] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = vec![LETTERS[index % 52]];
    index /= 52;
    while index > 0 {
        index -= 1;
        name.push(LETTERS[index % 52]);
        index /= 52;
    }
    String::from_utf8(name).unwrap_or_default()
}

/// Replaces each old name in the loader by its new one. Each must be there exactly once as a
/// whole identifier (the key of the import object), or the loader is not the one this expects.
fn rename_in_script(script: &str, names: &[(&str, String)]) -> Result<String, String> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut found: std::collections::HashMap<&str, usize> = names.iter().map(|(old, _)| (*old, 0)).collect();
    let renames: std::collections::HashMap<&str, &str> = names.iter().map(|(old, new)| (*old, new.as_str())).collect();
    let mut out = String::with_capacity(script.len());
    let mut rest = script;
    while let Some(start) = rest.find(is_word) {
        out.push_str(&rest[..start]);
        let word_end = rest[start..].find(|c: char| !is_word(c)).map_or(rest.len(), |end| start + end);
        let word = &rest[start..word_end];
        match renames.get(word) {
            Some(new) => {
                out.push_str(new);
                *found.entry(word).or_default() += 1;
            }
            None => out.push_str(word),
        }
        rest = &rest[word_end..];
    }
    out.push_str(rest);
    if let Some((name, count)) = found.iter().find(|(_, count)| **count != 1) {
        return Err(format!("the loader names the import `{name}` {count} times, not once"));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions and a memory, calling the second function, as bytes.
    fn module() -> Vec<u8> {
        let mut imports = Vec::new();
        write_leb(&mut imports, 3);
        for (name, description) in [("__wbg_log_0123456789abcdef", &[0x00, 0x00][..]), ("memory", &[0x02, 0x01, 0x01, 0x02][..]), ("__wbg_now_fedcba9876543210", &[0x00, 0x01][..])] {
            write_name(&mut imports, "./x_bg.js");
            write_name(&mut imports, name);
            imports.extend_from_slice(description);
        }
        let mut out = b"\0asm\x01\0\0\0".to_vec();
        // Types: (i32) -> () and () -> f64.
        out.extend_from_slice(&[0x01, 0x09, 0x02, 0x60, 0x01, 0x7f, 0x00, 0x60, 0x00, 0x01, 0x7c]);
        out.push(IMPORT_SECTION);
        write_leb(&mut out, imports.len() as u64);
        out.extend_from_slice(&imports);
        // One function of type 1 that calls import 1 (`now`), exported as `f`.
        out.extend_from_slice(&[0x03, 0x02, 0x01, 0x01]);
        out.extend_from_slice(&[0x07, 0x05, 0x01, 0x01, b'f', 0x00, 0x02]);
        out.extend_from_slice(&[0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x01, 0x0b]);
        // A custom section after the code, as wasm-bindgen leaves the function names.
        let mut custom = Vec::new();
        write_name(&mut custom, "name");
        custom.extend_from_slice(b"function names the browser never reads");
        out.push(CUSTOM_SECTION);
        write_leb(&mut out, custom.len() as u64);
        out.extend_from_slice(&custom);
        out
    }

    const SCRIPT: &str = "function k(){return{\"./x_bg.js\":{__wbg_log_0123456789abcdef:function(e){console.log(e)},__wbg_now_fedcba9876543210:function(){return Date.now()}}}}const __wbg_log_0123456789abcdefX=1;";

    fn imports_of(module: &[u8]) -> Vec<(String, String)> {
        let section = find_section(module, IMPORT_SECTION).unwrap().unwrap();
        read_imports(&module[section.contents]).unwrap().iter().map(|import| (import.module.to_string(), import.name.to_string())).collect()
    }

    #[test]
    fn functions_get_short_names_in_both_files_and_the_module_still_validates() {
        let original = module();
        wasmparser::validate(&original).expect("the test module is valid");
        let (script, renamed, report) = shorten(SCRIPT, &original).unwrap();
        assert_eq!(imports_of(&renamed), [("./x_bg.js".to_string(), "a".to_string()), ("./x_bg.js".to_string(), "memory".to_string()), ("./x_bg.js".to_string(), "b".to_string())]);
        assert_eq!(script, "function k(){return{\"./x_bg.js\":{a:function(e){console.log(e)},b:function(){return Date.now()}}}}const __wbg_log_0123456789abcdefX=1;");
        assert_eq!(report.names, 2);
        assert_eq!(report.bytes_saved, (original.len() + SCRIPT.len()) - (renamed.len() + script.len()));
        assert!(report.bytes_saved > 2 * 2 * 20, "{report:?}");
        // The code after the imports is untouched: the export still calls import 1.
        assert!(renamed.ends_with(&[0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x01, 0x0b]));
    }

    #[test]
    fn custom_sections_are_dropped_and_every_other_section_is_kept_in_order() {
        let original = module();
        let ids = |module: &[u8]| sections(module).unwrap().iter().map(|section| module[section.start]).collect::<Vec<u8>>();
        assert_eq!(ids(&original), [1, IMPORT_SECTION, 3, 7, 10, CUSTOM_SECTION]);
        let (_, renamed, _) = shorten(SCRIPT, &original).unwrap();
        assert_eq!(ids(&renamed), [1, IMPORT_SECTION, 3, 7, 10]);
        assert!(!renamed.windows(14).any(|bytes| bytes == b"function names"), "the custom section's bytes are gone");
        wasmparser::validate(&renamed).expect("still a valid module");
    }

    #[test]
    fn wasm_opt_passes_keep_a_shortened_module_valid_and_its_imports_as_named() {
        let (_, shortened, _) = shorten(SCRIPT, &module()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x_bg.wasm");
        std::fs::write(&path, &shortened).unwrap();
        optimise(&path).expect("wasm-opt (scripts/env.sh puts binaryen's on PATH) runs the passes");
        let optimised = std::fs::read(&path).unwrap();
        // wasm-opt may put the memory import first; the names are what the loader needs.
        let sorted = |mut imports: Vec<(String, String)>| {
            imports.sort();
            imports
        };
        assert_eq!(sorted(imports_of(&optimised)), sorted(imports_of(&shortened)), "the loader still finds every import by its short name");
        assert!(optimise(&dir.path().join("missing.wasm")).is_err(), "a failure is reported, not ignored");
    }

    #[test]
    fn the_cache_returns_what_wasm_opt_made_for_the_same_bytes_and_nothing_for_others() {
        let (_, shortened, _) = shorten(SCRIPT, &module()).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (cache, path) = (dir.path().join("cache"), dir.path().join("x_bg.wasm"));
        std::fs::write(&path, &shortened).unwrap();
        let (file, hit) = optimise_cached(&path, &cache).unwrap();
        assert!(!hit, "an empty cache has nothing to give");
        let optimised = std::fs::read(&path).unwrap();
        assert_eq!(std::fs::read(&file).unwrap(), optimised, "the cache keeps wasm-opt's output");
        // The same input again: the kept output, without running wasm-opt (a planted marker in
        // the kept file shows which one came back).
        let mut marked = optimised.clone();
        marked.extend_from_slice(&[0, 4, 1, b'm', 7, 7]);
        std::fs::write(&file, &marked).unwrap();
        std::fs::write(&path, &shortened).unwrap();
        assert_eq!(optimise_cached(&path, &cache).unwrap(), (file.clone(), true));
        assert_eq!(std::fs::read(&path).unwrap(), marked);
        // A kept file that does not validate is not handed out but made again.
        std::fs::write(&file, b"\0asm broken").unwrap();
        std::fs::write(&path, &shortened).unwrap();
        assert_eq!(optimise_cached(&path, &cache).unwrap(), (file.clone(), false));
        assert_eq!(std::fs::read(&path).unwrap(), optimised);
        // Other bytes (the same module with a custom section more), another entry.
        let mut other = shortened.clone();
        other.extend_from_slice(&[0, 3, 1, b'x', 9]);
        std::fs::write(&path, &other).unwrap();
        let (another, hit) = optimise_cached(&path, &cache).unwrap();
        assert!(!hit && another != file, "different bytes never share an entry");
    }

    #[test]
    fn another_wasm_opt_keeps_its_outputs_apart() {
        let bytes = module();
        assert_eq!(cache_key(&bytes, "wasm-opt version 116"), cache_key(&bytes, "wasm-opt version 116"));
        assert_ne!(cache_key(&bytes, "wasm-opt version 116"), cache_key(&bytes, "wasm-opt version 117"));
        assert_ne!(cache_key(&bytes, "wasm-opt version 116"), cache_key(&bytes[..bytes.len() - 1], "wasm-opt version 116"));
        assert!(wasm_opt_version().unwrap().contains("version"), "{:?}", wasm_opt_version());
    }

    #[test]
    fn a_loader_that_does_not_name_each_import_once_is_left_alone() {
        let missing = SCRIPT.replace("__wbg_now_fedcba9876543210:", "other:");
        assert!(shorten(&missing, &module()).unwrap_err().contains("__wbg_now_fedcba9876543210` 0 times"));
        let twice = format!("{SCRIPT}__wbg_log_0123456789abcdef();");
        assert!(shorten(&twice, &module()).unwrap_err().contains("2 times"));
    }

    #[test]
    fn garbage_is_refused_not_rewritten() {
        assert!(shorten(SCRIPT, b"not wasm").is_err());
        let mut cut = module();
        cut.truncate(30);
        assert!(shorten(SCRIPT, &cut).is_err());
        let mut odd = module();
        let section = find_section(&odd, IMPORT_SECTION).unwrap().unwrap();
        // The first import's kind byte becomes an unknown kind.
        let kind_at = section.contents.start + 1 + 1 + "./x_bg.js".len() + 1 + "__wbg_log_0123456789abcdef".len();
        odd[kind_at] = 0x09;
        assert!(shorten(SCRIPT, &odd).unwrap_err().contains("kind 0x9"));
    }

    #[test]
    fn short_names_are_unique_and_short() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(&names[..3], ["a", "b", "c"]);
        assert_eq!(names[52], "aa");
        assert!(names.iter().all(|name| name.len() <= 3 && name.chars().all(|c| c.is_ascii_alphabetic())));
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
    }

    #[test]
    fn numbers_round_trip_through_leb128() {
        for value in [0, 1, 127, 128, 300, 16_384, u32::MAX as u64, u64::MAX] {
            let mut bytes = Vec::new();
            write_leb(&mut bytes, value);
            let mut at = 0;
            assert_eq!(read_leb(&bytes, &mut at).unwrap(), value);
            assert_eq!(at, bytes.len());
        }
        assert_eq!({ let mut bytes = Vec::new(); write_leb(&mut bytes, 624_485); bytes }, [0xe5, 0x8e, 0x26], "the example of the LEB128 article");
    }
}
