//! `atlas-sitegen check` validates the content; `atlas-sitegen hook` runs as trunk's post-build
//! hook and writes the prerendered site into trunk's staging directory.

use atlas_sitegen::render::{Shell, SITE_NAME};
use atlas_sitegen::{compile, minify, offline, output};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("check") => check(),
        Some("bundles") => bundles(args.get(1).map(String::as_str) == Some("--check")),
        Some("hook") => hook(),
        Some("diagram") => diagram(args.get(1).map(String::as_str).unwrap_or_default()),
        Some("shorten") => match args.get(1) {
            Some(dir) => shorten_imports(Path::new(dir), true).map(|_| ()),
            None => Err("usage: atlas-sitegen shorten <dir with viz-*.js and viz-*_bg.wasm>".to_string()),
        },
        Some("offline") => match (args.get(1), args.get(2)) {
            (Some(dir), Some(base)) => offline(Path::new(dir), base),
            _ => Err("usage: atlas-sitegen offline <built site dir> <base path>".to_string()),
        },
        _ => Err("usage: atlas-sitegen check | bundles [--check] | hook | diagram <name> | offline <dir> <base> | shorten <dir>\n  check    validate content/\n  bundles  write the views' Cargo.toml, a package per bundle in bundles/ (bundles/viz-<name>/) and index.html's bundle links for the tools the pages show (--check: only say what is out of step)\n  hook     run as trunk's post_build hook (reads TRUNK_STAGING_DIR and TRUNK_PUBLIC_URL)\n  diagram  print one diagram's SVG, to look at while writing it\n  offline  rewrite sw.js and offline-manifest.json of a built site after its files changed\n  shorten  shorten the import names of the tool bundles in a directory, as the hook does (scripts/bundle-size.sh)".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn content_dir() -> PathBuf {
    std::env::var_os("ATLAS_CONTENT_DIR").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("content"))
}

fn check() -> Result<(), String> {
    let started = Instant::now();
    let build = compile(&content_dir(), &Shell::bare(), "/").map_err(|errors| errors.to_string())?;
    println!(
        "content ok: {} pages ({} patterns, {} diagrams), {} words, {} examples with their sources, checked in {} ms",
        build.pages.len(),
        build.patterns,
        build.diagrams,
        build.words,
        build.examples,
        started.elapsed().as_millis()
    );
    report(&build);
    Ok(())
}

/// The per-document and per-quiz counts both `check` and the build print.
fn report(build: &atlas_sitegen::Build) {
    for (slug, words, diagrams, sources) in &build.references {
        println!("  reference {slug}: {words} words, {diagrams} diagrams, {sources} sources");
    }
    let total: usize = build.question_counts.iter().flat_map(|(_, kinds)| kinds.iter().map(|(_, count)| count)).sum();
    println!("  {total} written questions:");
    for (home, kinds) in &build.question_counts {
        let parts: Vec<String> = kinds.iter().filter(|(_, count)| *count > 0).map(|(kind, count)| format!("{count} {kind}")).collect();
        println!("    {home}: {}", parts.join(", "));
    }
}

fn bundles(check_only: bool) -> Result<(), String> {
    let build = compile(&content_dir(), &Shell::bare(), "/").map_err(|errors| errors.to_string())?;
    let plan = atlas_sitegen::bundles::plan(&build.pages);
    let changes = atlas_sitegen::bundles::sync(Path::new("."), &plan, check_only)?;
    let sets = plan.iter().filter(|bundle| bundle.tools().len() > 1).count();
    if check_only && !changes.is_empty() {
        return Err(format!("the tool bundles are out of step with the registry and the pages ({:?}): run `cargo run -p atlas-sitegen -- bundles`", changes));
    }
    println!("{} tool bundles ({sets} for pages that show several tools): wrote {:?}, removed {:?}", plan.len(), changes.written, changes.removed);
    Ok(())
}

fn hook() -> Result<(), String> {
    let staging = PathBuf::from(std::env::var("TRUNK_STAGING_DIR").map_err(|_| "TRUNK_STAGING_DIR is not set: run me from trunk")?);
    let base = std::env::var("TRUNK_PUBLIC_URL").unwrap_or_else(|_| "/".to_string());
    let origin = atlas_sitegen::site_origin();
    offline::write_client_files(&staging, &base, SITE_NAME).map_err(|error| format!("writing the offline files: {error}"))?;
    let template = shrink_core(&staging, &read(&staging.join("index.html"))?)?;
    let shell = Shell::from_trunk_html(&template).map_err(|error| error.to_string())?.with_styles(Path::new("."), &staging)?;
    // Before the bundles' URLs take their content hashes.
    match minify::in_place(&minify::candidates(&staging)) {
        Ok(saved) => println!("minified the stylesheets, the tool loaders and offline.js: {saved} bytes saved"),
        Err(warning) => eprintln!("warning: {warning}"),
    }
    // The development server's bundles are unoptimised anyway: wasm-opt's passes over its 30 MB
    // `viz-all` took 29 of the 49 s from saving one view to a rebuilt site (2026-12-07).
    let kept = shorten_imports(&staging, std::env::var("TRUNK_PROFILE").as_deref() != Ok("debug"))?;
    // The cache keeps this build's outputs only: a bundle's older versions would never be asked
    // for again. (Not when `shorten` runs on a few bundles for scripts/bundle-size.sh.)
    if !kept.is_empty() {
        for entry in std::fs::read_dir(wasm_opt_cache()).into_iter().flatten().flatten() {
            if !kept.contains(&entry.path()) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    let started = Instant::now();
    let shell = shell.with_visualizer_bundles(&staging);
    let build = compile(&content_dir(), &shell, &base).map_err(|errors| errors.to_string())?;
    let mut missing: Vec<String> = build.pages.iter().filter_map(|page| page.bundle.name()).filter(|name| !shell.has_bundle(name)).map(|name| format!("viz-{name}")).collect();
    missing.sort();
    missing.dedup();
    if !missing.is_empty() {
        return Err(format!("no bundle {} for the tools the pages show: run `cargo run -p atlas-sitegen -- bundles`, which writes bundles/ and index.html's bundle links", missing.join(", ")));
    }
    output::write_site(&staging, &build.pages, &build.catalogue, &origin).map_err(|error| format!("writing the site: {error}"))?;
    println!(
        "prerendered {} pages ({} words) for base {base} in {} ms",
        build.pages.len(),
        build.words,
        started.elapsed().as_millis()
    );
    report(&build);
    for (path, bytes) in &build.files {
        let file = staging.join(path);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|error| format!("{}: {error}", parent.display()))?;
        }
        std::fs::write(&file, bytes).map_err(|error| format!("{}: {error}", file.display()))?;
    }
    // Last, so the worker's version covers every file the build wrote.
    offline(&staging, &base)
}

/// Shortens the import names of every tool bundle, drops its custom sections and runs the
/// wasm-opt passes that still pay (see `atlas_sitegen::imports`) unless `optimise` is false (a
/// development build), two bundles at a time. A bundle left as it was would ship its function names
/// (about 40 KB gzipped), so that fails the build. The core is done apart, before the pages are
/// made ([`shrink_core`]). Returns the wasm-opt cache's files this build used.
fn shorten_imports(dir: &Path, optimise: bool) -> Result<Vec<PathBuf>, String> {
    let started = Instant::now();
    let mut loaders: Vec<PathBuf> = std::fs::read_dir(dir).map(|entries| entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).collect()).unwrap_or_default();
    loaders.retain(|path| path.file_name().and_then(|name| name.to_str()).is_some_and(|name| name.starts_with("viz-") && name.ends_with(".js")));
    let cache = wasm_opt_cache();
    let process = |js: &PathBuf| -> Result<(usize, PathBuf, bool), String> {
        let wasm = js.with_file_name(format!("{}_bg.wasm", js.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default()));
        let renamed = atlas_sitegen::imports::shorten_files(js, &wasm).map_err(|error| format!("{}: {error}", js.display()))?;
        let before = std::fs::metadata(&wasm).map(|meta| meta.len()).unwrap_or(0);
        if !optimise {
            return Ok((renamed.bytes_saved, PathBuf::new(), false));
        }
        let (kept, hit) = atlas_sitegen::imports::optimise_cached(&wasm, &cache)?;
        let after = std::fs::metadata(&wasm).map(|meta| meta.len()).unwrap_or(0);
        Ok((renamed.bytes_saved + before.saturating_sub(after) as usize, kept, hit))
    };
    // wasm-opt runs some passes on several threads, but not most of its time: two at once keep
    // both cores busy.
    let half = loaders.len().div_ceil(2);
    let (first, second) = loaders.split_at(half);
    let results: Vec<Result<(usize, PathBuf, bool), String>> = std::thread::scope(|scope| {
        let other = scope.spawn(|| second.iter().map(process).collect::<Vec<_>>());
        let mut results: Vec<Result<(usize, PathBuf, bool), String>> = first.iter().map(process).collect();
        results.extend(other.join().unwrap_or_else(|_| vec![Err("a bundle's post-processing panicked".to_string())]));
        results
    });
    let failed: Vec<String> = results.iter().filter_map(|result| result.as_ref().err().cloned()).collect();
    if !failed.is_empty() {
        return Err(format!("could not post-process the tool bundles: {}", failed.join("; ")));
    }
    let done: Vec<&(usize, PathBuf, bool)> = results.iter().filter_map(|result| result.as_ref().ok()).collect();
    let saved: usize = done.iter().map(|(saved, _, _)| saved).sum();
    let hits = done.iter().filter(|(_, _, hit)| *hit).count();
    if !optimise {
        println!("shortened the import names of {} tool bundles and dropped their custom sections in {} ms (a development build: no wasm-opt passes)", loaders.len(), started.elapsed().as_millis());
        return Ok(Vec::new());
    }
    println!(
        "shortened the import names of {} tool bundles, dropped their custom sections and ran wasm-opt's passes in {} ms ({hits} unchanged bundles taken from {}): {saved} bytes saved",
        loaders.len(),
        started.elapsed().as_millis(),
        cache.display()
    );
    Ok(done.into_iter().map(|(_, kept, _)| kept.clone()).collect())
}

/// Where the tool bundles' wasm-opt outputs are kept between builds: beside cargo's own cache.
fn wasm_opt_cache() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| PathBuf::from("target"), PathBuf::from).join("wasm-opt-cache")
}

/// Minifies the core's loader and shortens its import names as the tool bundles' are (the module
/// is already optimised by trunk's wasm-opt), then writes the files' new Subresource Integrity
/// hashes into the page template, which trunk sealed them with (see `atlas_sitegen::integrity`).
fn shrink_core(dir: &Path, template: &str) -> Result<String, String> {
    let seal = atlas_sitegen::integrity::Seal::of_core(dir)?;
    let size = |path: &Path| std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    let before = size(seal.loader()) + size(seal.module());
    if let Err(warning) = minify::in_place(&[seal.loader().to_path_buf()]) {
        eprintln!("warning: {warning}");
    }
    let renamed = atlas_sitegen::imports::shorten_files(seal.loader(), seal.module())?;
    let template = seal.reseal(template)?;
    let after = size(seal.loader()) + size(seal.module());
    println!("minified the core's loader and shortened its {} import names: {} bytes saved, integrity rewritten", renamed.names, before.saturating_sub(after));
    Ok(template)
}

fn offline(dir: &Path, base: &str) -> Result<(), String> {
    let summary = offline::write_service_worker(dir, base).map_err(|error| format!("writing the service worker into {}: {error}", dir.display()))?;
    println!(
        "service worker {} ({} bytes): {} files to save offline, {:.1} MB; shell of {} files",
        summary.version,
        summary.worker_bytes,
        summary.files,
        summary.bytes as f64 / 1e6,
        summary.shell
    );
    // The worker is not part of its own version (it is written from the others), so it is
    // minified after it is written: 2.6 → 1.2 KB gzipped, fetched on every first visit.
    if let Err(warning) = minify::in_place(&[dir.join(offline::SERVICE_WORKER)]) {
        eprintln!("warning: {warning}");
    }
    Ok(())
}

fn diagram(name: &str) -> Result<(), String> {
    let mut errors = atlas_sitegen::error::ContentErrors::default();
    let diagrams = atlas_sitegen::diagrams::load_diagrams(&content_dir().join("diagrams"), &mut errors);
    match diagrams.get(name) {
        Some(diagram) => {
            println!("{}", diagram.svg);
            Ok(())
        }
        None if !errors.0.is_empty() => Err(errors.to_string()),
        None => Err(format!("no diagram named `{name}`")),
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))
}
