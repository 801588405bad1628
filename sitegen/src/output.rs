//! Writes the built site: one `index.html` per route, `404.html`, `offline.html`, `catalogue.json`,
//! `sitemap.xml`. Each page gets its Content Security Policy here, from its final HTML.

use crate::model::CatalogueEntry;
use crate::render::RenderedPage;
use std::io;
use std::path::Path;

pub fn write_site(out_dir: &Path, pages: &[RenderedPage], catalogue: &[CatalogueEntry], origin: &str) -> io::Result<()> {
    for page in pages {
        let file = if page.route.is_empty() {
            out_dir.join("404.html")
        } else if page.route.ends_with(".html") {
            // A page that is a file rather than a route (the offline fallback).
            out_dir.join(page.route.trim_start_matches('/'))
        } else {
            out_dir.join(page.route.trim_start_matches('/')).join("index.html")
        };
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let html = crate::csp::apply(&page.html).map_err(|error| io::Error::other(format!("{}: {error}", file.display())))?;
        std::fs::write(&file, html)?;
    }
    let json = serde_json::to_string(catalogue).map_err(io::Error::other)?;
    std::fs::write(out_dir.join("catalogue.json"), json)?;
    std::fs::write(out_dir.join("sitemap.xml"), sitemap(catalogue, origin))?;
    std::fs::write(out_dir.join("tools.json"), tools_json())?;
    // GitHub Pages would otherwise run Jekyll, which hides files that start with `_`.
    std::fs::write(out_dir.join(".nojekyll"), "")?;
    Ok(())
}

/// The registry as data, so the browser tests are driven by it rather than by lists of slugs.
pub fn tools_json() -> String {
    let tools: Vec<serde_json::Value> = atlas_components::registry::TOOLS
        .iter()
        .map(|tool| serde_json::json!({ "slug": tool.slug, "simulated": tool.simulated, "staged": tool.staged, "seeded": tool.seeded, "params": tool.params.iter().map(|spec| spec.key).collect::<Vec<_>>() }))
        .collect();
    serde_json::to_string_pretty(&tools).unwrap_or_else(|_| "[]".to_string())
}

pub fn sitemap(catalogue: &[CatalogueEntry], origin: &str) -> String {
    let origin = origin.trim_end_matches('/');
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for entry in catalogue {
        xml.push_str("  <url><loc>");
        xml.push_str(&xml_escape(&format!("{origin}{}", entry.url)));
        xml.push_str("</loc></url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
