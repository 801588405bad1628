//! The Content Security Policy every page carries, as a `<meta http-equiv>` (a static host cannot
//! send headers).
//!
//! The policy is computed from the page's final HTML, not from a list of known scripts: every
//! inline `<script>` that ends up in the page (trunk's module loader, the theme boot script, the
//! speculation rules, trunk's live-reload script in development, and whatever loader comes next)
//! gets its own `'sha256-…'`, and nothing else inline may run. The HTML is read with `lol_html`
//! (a streaming HTML tokenizer) rather than string searches, so a `<script>` inside a comment or
//! an attribute value is never mistaken for one.

use base64::Engine;
use lol_html::html_content::ContentType;
use lol_html::{element, rewrite_str, text, RewriteStrSettings};
use sha2::{Digest, Sha256};
use std::cell::RefCell;

/// Where the policy is built from, besides the hashes: same origin only, WebAssembly allowed to
/// compile, no plugins, no `<base>` hijacking, forms only to this site.
///
/// `style-src` has no `'unsafe-inline'`: the stylesheet is a file, and the app sets dynamic styles
/// through the CSSOM (`style=("width", …)` in Leptos), which CSP does not restrict. A `style`
/// attribute in prerendered HTML would be blocked, so [`apply`] refuses pages that have one.
/// `img-src` allows `data:` for small inline images in CSS; a `data:` image cannot run script.
/// `'report-sample'` lets a violation report show the start of what was blocked (for the browser
/// tests and the console); it allows nothing. `frame-ancestors`, `report-uri` and `sandbox` are ignored in a `<meta>` policy, so they are
/// left out rather than pretending to protect.
fn policy(script_hashes: &[String], style_hashes: &[String]) -> String {
    let join = |fixed: &str, hashes: &[String]| {
        let mut sources = fixed.to_string();
        for hash in hashes {
            sources.push(' ');
            sources.push_str(hash);
        }
        sources
    };
    [
        "default-src 'self'".to_string(),
        join("script-src 'self' 'wasm-unsafe-eval' 'report-sample'", script_hashes),
        join("style-src 'self' 'report-sample'", style_hashes),
        "img-src 'self' data:".to_string(),
        "font-src 'self'".to_string(),
        "connect-src 'self'".to_string(),
        "worker-src 'self'".to_string(),
        "manifest-src 'self'".to_string(),
        "media-src 'self'".to_string(),
        "frame-src 'none'".to_string(),
        "object-src 'none'".to_string(),
        "base-uri 'self'".to_string(),
        "form-action 'self'".to_string(),
    ]
    .join("; ")
}

/// The CSP source expression that allows an inline script or style with exactly this text.
pub fn sha256_source(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

/// What a page holds inline, as CSP sees it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct InlineContent {
    /// The text of every `<script>` without `src`, in document order.
    pub scripts: Vec<String>,
    /// The text of every `<style>` element.
    pub styles: Vec<String>,
    /// Things no hash can allow: `style="…"` and `on…=` attributes, as `tag attribute`.
    pub forbidden_attributes: Vec<String>,
    /// The policy the page already carries, if any.
    pub policy: Option<String>,
    has_charset_meta: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub struct CspError(pub String);

impl std::fmt::Display for CspError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CspError {}

/// Reads every inline script, inline style and forbidden attribute of a page.
pub fn inline_content(html: &str) -> Result<InlineContent, CspError> {
    // `None` marks a `<script src>`, whose text (normally empty) is not inline code.
    let scripts: RefCell<Vec<Option<String>>> = RefCell::default();
    let styles: RefCell<Vec<String>> = RefCell::default();
    let found = RefCell::new(InlineContent::default());
    rewrite_str(
        html,
        RewriteStrSettings::new().append_element_content_handler(element!("script", |el| {
                    scripts.borrow_mut().push((!el.has_attribute("src")).then(String::new));
                    Ok(())
                })).append_element_content_handler(text!("script", |chunk| {
                    if let Some(Some(script)) = scripts.borrow_mut().last_mut() {
                        script.push_str(chunk.as_str());
                    }
                    Ok(())
                })).append_element_content_handler(element!("style", |_| {
                    styles.borrow_mut().push(String::new());
                    Ok(())
                })).append_element_content_handler(text!("style", |chunk| {
                    if let Some(style) = styles.borrow_mut().last_mut() {
                        style.push_str(chunk.as_str());
                    }
                    Ok(())
                })).append_element_content_handler(element!("*", |el| {
                    let mut found = found.borrow_mut();
                    for attribute in el.attributes() {
                        let name = attribute.name();
                        if name == "style" || name.starts_with("on") {
                            found.forbidden_attributes.push(format!("<{}> {name}", el.tag_name()));
                        }
                    }
                    Ok(())
                })).append_element_content_handler(element!("head meta[charset]", |_| {
                    found.borrow_mut().has_charset_meta = true;
                    Ok(())
                })).append_element_content_handler(element!("meta[http-equiv]", |el| {
                    let is_csp = el.get_attribute("http-equiv").is_some_and(|value| value.eq_ignore_ascii_case("content-security-policy"));
                    if is_csp {
                        found.borrow_mut().policy = el.get_attribute("content");
                    }
                    Ok(())
                })),
    )
    .map_err(|error| CspError(format!("reading the page's HTML: {error}")))?;
    let mut found = found.into_inner();
    found.scripts = scripts.into_inner().into_iter().flatten().collect();
    found.styles = styles.into_inner();
    Ok(found)
}

/// The policy for a page with this inline content.
pub fn policy_for(content: &InlineContent) -> String {
    let hashes = |texts: &[String]| {
        let mut hashes: Vec<String> = texts.iter().map(|text| sha256_source(text)).collect();
        hashes.dedup();
        hashes
    };
    policy(&hashes(&content.scripts), &hashes(&content.styles))
}

/// Adds the policy to a finished page, as the first thing after `<meta charset>` (or at the top
/// of `<head>`), so it governs every script and stylesheet that follows.
///
/// Fails on a page that already has a policy, or that has an inline `style` or event-handler
/// attribute: no hash can allow those, and the browser would block them.
pub fn apply(html: &str) -> Result<String, CspError> {
    let html = stabilize_dev_reload_script(html);
    let content = inline_content(&html)?;
    if !content.forbidden_attributes.is_empty() {
        return Err(CspError(format!(
            "inline attributes that the Content Security Policy would block (use a class or the CSSOM instead): {}",
            content.forbidden_attributes.join(", ")
        )));
    }
    if content.policy.is_some() {
        return Err(CspError("the page already has a Content-Security-Policy".to_string()));
    }
    let meta = format!(r#"<meta http-equiv="Content-Security-Policy" content="{}">"#, policy_for(&content));
    let placed = RefCell::new(false);
    let anchor = if content.has_charset_meta { "head meta[charset]" } else { "head" };
    let out = rewrite_str(
        &html,
        RewriteStrSettings::new().append_element_content_handler(element!(anchor, |el| {
                if !placed.replace(true) {
                    if content.has_charset_meta {
                        el.after(&meta, ContentType::Html);
                    } else {
                        el.prepend(&meta, ContentType::Html);
                    }
                }
                Ok(())
            })),
    )
    .map_err(|error| CspError(format!("adding the policy: {error}")))?;
    if !placed.into_inner() {
        return Err(CspError("the page has no <head> to put its Content-Security-Policy in".to_string()));
    }
    Ok(out)
}

/// Checks a finished page: it has a policy, and that policy allows every inline script and
/// style the page holds. The same reading as [`apply`], but against the policy that is actually
/// in the page, so a script edited after the policy was computed is caught.
pub fn check(html: &str) -> Result<(), CspError> {
    let content = inline_content(html)?;
    let policy = content.policy.as_deref().ok_or_else(|| CspError("no Content-Security-Policy".to_string()))?;
    let directive = |name: &str| {
        policy.split(';').map(str::trim).find_map(|directive| directive.strip_prefix(name).map(|rest| rest.split_whitespace().collect::<Vec<_>>())).unwrap_or_default()
    };
    let scripts = directive("script-src ");
    let styles = directive("style-src ");
    let mut problems = Vec::new();
    for forbidden in ["'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"] {
        if scripts.contains(&forbidden) {
            problems.push(format!("script-src allows {forbidden}"));
        }
    }
    for script in &content.scripts {
        if !scripts.contains(&sha256_source(script).as_str()) {
            problems.push(format!("no hash for the inline script `{}`", preview(script)));
        }
    }
    for style in &content.styles {
        if !styles.contains(&sha256_source(style).as_str()) {
            problems.push(format!("no hash for the inline style `{}`", preview(style)));
        }
    }
    problems.extend(content.forbidden_attributes.iter().map(|attribute| format!("inline attribute {attribute}")));
    if problems.is_empty() {
        Ok(())
    } else {
        Err(CspError(problems.join("; ")))
    }
}

fn preview(text: &str) -> String {
    let text = text.trim();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// `trunk serve` rewrites two placeholders in its live-reload script as it serves each page
/// (the host, and the websocket path), which would change the script after its hash was taken.
/// Filling them in here, with what trunk itself falls back to (the page's own host, the served
/// base), leaves trunk nothing to rewrite, so the hash stays right. Release builds have no such
/// script and are unchanged.
fn stabilize_dev_reload_script(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains("{{__TRUNK_") {
        return std::borrow::Cow::Borrowed(html);
    }
    let base = html
        .split_once("data-base=\"")
        .and_then(|(_, rest)| rest.split_once('"'))
        .map(|(base, _)| base)
        .filter(|base| base.starts_with('/'))
        .unwrap_or("/");
    let base = if base.ends_with('/') { base.to_string() } else { format!("{base}/") };
    std::borrow::Cow::Owned(
        html.replace("'{{__TRUNK_ADDRESS__}}'", "window.location.host")
            .replace("`{{__TRUNK_ADDRESS__}}`", "window.location.host")
            .replace("{{__TRUNK_WS_BASE__}}", &base),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r#"<!DOCTYPE html><html lang="en" data-base="/sub/"><head><meta charset="utf-8"><link rel="stylesheet" href="/sub/main-1.css"><script type="module">import init from '/sub/atlas-1.js';await init();</script><title>t</title><script>document.documentElement.classList.add('js')</script><script type="speculationrules">{"prefetch":[]}</script><script type="module" src="/sub/offline.js"></script></head><body><!-- <script>not a script</script> --><p title="<script>nor this</script>">x</p></body></html>"#;

    /// Known vectors, computed outside this code with
    /// `printf %s "$text" | openssl dgst -sha256 -binary | base64`.
    #[test]
    fn hashes_match_an_independent_sha256() {
        assert_eq!(sha256_source(""), "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='");
        assert_eq!(sha256_source("alert('Hello, world.');"), "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='");
    }

    #[test]
    fn finds_every_inline_script_and_nothing_else() {
        let content = inline_content(PAGE).unwrap();
        assert_eq!(
            content.scripts,
            vec![
                "import init from '/sub/atlas-1.js';await init();".to_string(),
                "document.documentElement.classList.add('js')".to_string(),
                r#"{"prefetch":[]}"#.to_string(),
            ]
        );
        assert!(content.styles.is_empty() && content.forbidden_attributes.is_empty() && content.policy.is_none());
    }

    #[test]
    fn the_policy_allows_exactly_the_page_scripts_and_nothing_unsafe() {
        let page = apply(PAGE).unwrap();
        let policy = inline_content(&page).unwrap().policy.expect("a policy");
        assert!(policy.contains("'sha256-"), "{policy}");
        assert_eq!(policy.matches("'sha256-").count(), 3, "{policy}");
        assert!(!policy.contains("'unsafe-inline'") && !policy.contains("'unsafe-eval'"), "{policy}");
        for directive in ["object-src 'none'", "base-uri 'self'", "default-src 'self'", "'wasm-unsafe-eval'"] {
            assert!(policy.contains(directive), "missing {directive}: {policy}");
        }
        // The policy comes straight after the charset, before the first script.
        let meta = page.find("Content-Security-Policy").unwrap();
        assert!(page.find("charset").unwrap() < meta && meta < page.find("<script").unwrap());
        assert_eq!(check(&page), Ok(()));
    }

    #[test]
    fn a_script_changed_after_the_policy_was_computed_fails_the_check() {
        let page = apply(PAGE).unwrap();
        let tampered = page.replace("classList.add('js')", "classList.add('jz')");
        let error = check(&tampered).unwrap_err();
        assert!(error.0.contains("classList.add('jz')"), "{error}");
        let added = page.replace("</body>", "<script>alert(1)</script></body>");
        assert!(check(&added).is_err());
    }

    #[test]
    fn inline_styles_get_hashes_and_style_attributes_are_refused() {
        let with_style = PAGE.replace("<title>", "<style>p{color:red}</style><title>");
        let page = apply(&with_style).unwrap();
        assert!(page.contains(&sha256_source("p{color:red}")));
        assert_eq!(check(&page), Ok(()));
        let error = apply(&PAGE.replace("<p title", "<p style=\"color:red\" title")).unwrap_err();
        assert!(error.0.contains("<p> style"), "{error}");
        assert!(apply(&PAGE.replace("<p title", "<p onclick=\"x()\" title")).is_err());
    }

    #[test]
    fn a_page_without_a_head_or_with_a_policy_is_refused() {
        assert!(apply("<p>no head</p>").is_err());
        let once = apply(PAGE).unwrap();
        assert!(apply(&once).is_err());
        assert!(check(PAGE).is_err(), "a page without a policy must fail the check");
    }

    #[test]
    fn trunk_live_reload_placeholders_are_filled_before_hashing() {
        let dev = PAGE.replace("</body>", "<script>const address = '{{__TRUNK_ADDRESS__}}'; const base = '{{__TRUNK_WS_BASE__}}';</script></body>");
        let page = apply(&dev).unwrap();
        assert!(!page.contains("{{__TRUNK"), "{page}");
        assert!(page.contains("const address = window.location.host; const base = '/sub/';"));
        assert_eq!(check(&page), Ok(()));
    }
}
