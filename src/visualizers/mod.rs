//! The visualizers' views, one folder per tool, named after its registry slug (`cap-theorem` is
//! `cap_theorem/`: its view in `mod.rs`, its styles in `cap-theorem.css`). The release bundles in
//! `src/bin/` are generated from the registry and the pages by `atlas-sitegen bundles`, which
//! finds each view by that name; `view_for` serves the development bundle that carries them all.

mod widgets;

/// Declares each tool's view module and `view_for`, from one list of module names.
macro_rules! tools {
    ($($module:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Every tool's view by its registry slug (`components/src/registry.rs`), for the
        /// development bundle (`viz-all`), which links them all so that editing one view
        /// relinks one bundle instead of one per tool.
        pub fn view_for(slug: &str) -> Option<fn(web_sys::HtmlElement)> {
            let module = slug.replace('-', "_");
            $(if module == stringify!($module) {
                return Some($module::mount);
            })*
            None
        }
    };
}

tools!(
    availability,
    bloom_filter,
    cache_eviction,
    cache_stampede,
    cap_theorem,
    capacity_planner,
    cdn_cache,
    circuit_breaker,
    consistent_hashing,
    database_selector,
    dns_resolution,
    jwt_decoder,
    kafka_partitions,
    latency_numbers,
    load_balancer,
    oauth_flows,
    raft,
    rate_limiters,
    replication_lag,
    request_journey,
    retries,
    sharding_calculator,
    slo_error_budget,
    storage_engines,
    tls_handshake,
);

/// Mounts whichever tool the section names (`data-viz`), for a bundle that carries them all.
pub fn mount_any(section: web_sys::HtmlElement) {
    let slug = section.get_attribute("data-viz").unwrap_or_default();
    match view_for(&slug) {
        Some(mount) => mount(section),
        None => no_view(&slug),
    }
}

/// What a bundle does with a tool it does not carry (an old cached page, a build out of step):
/// the prerendered description stays, and the console says why the tool did not start.
pub fn no_view(slug: &str) {
    web_sys::console::warn_1(&format!("this page's bundle has no view for the tool `{slug}`").into());
}
