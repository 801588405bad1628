//! The visualizers, each built into its own bundle (`src/bin/viz-<slug>.rs`), so a page
//! downloads only the simulation it shows.

pub mod availability;
pub mod breaker;
pub mod cap;
pub mod capacity;
pub mod jwt;
pub mod latency;
pub mod limiters;
pub mod oauth;
pub mod retries;
pub mod ring;
pub mod slo;
pub mod stampede;
mod widgets;

/// Every tool's view by its registry slug (`components/src/registry.rs`). Release builds give each
/// tool its own bundle; the development build (`dev.html`) links them all into one `viz-all`
/// bundle, so editing one view relinks one bundle instead of one per tool.
pub fn view_for(slug: &str) -> Option<fn(web_sys::HtmlElement)> {
    Some(match slug {
        "cap-theorem" => cap::mount,
        "consistent-hashing" => ring::mount,
        "cache-stampede" => stampede::mount,
        "oauth-flows" => oauth::mount,
        "jwt-decoder" => jwt::mount,
        "latency-numbers" => latency::mount,
        "capacity-planner" => capacity::mount,
        "availability" => availability::mount,
        "slo-error-budget" => slo::mount,
        "circuit-breaker" => breaker::mount,
        "rate-limiters" => limiters::mount,
        "retries" => retries::mount,
        _ => return None,
    })
}

/// Mounts whichever tool the section names (`data-viz`), for a bundle that carries them all.
pub fn mount_any(section: web_sys::HtmlElement) {
    let slug = section.get_attribute("data-viz").unwrap_or_default();
    match view_for(&slug) {
        Some(mount) => mount(section),
        None => leptos::logging::warn!("no view for the tool `{slug}`"),
    }
}
