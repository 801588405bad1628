//! The registry of tools: every visualizer's slug and the parameters a page may preset. The
//! content compiler checks pages against it (a page names a tool that exists, a preset names
//! parameters the tool has, with values it accepts); the app maps each slug to its view.
//!
//! Adding a tool: its model (with its poster), its view, its content page, and one line here.

use crate::sim::{ParamSpec, SPEEDS};
use crate::viz;
use crate::viz::poster::Sketch;

/// Run-level keys every simulated tool accepts besides its parameters.
pub const RUN_KEYS: &[&str] = &["seed", "t", "speed"];

#[derive(Debug, Clone, Copy)]
pub struct Tool {
    pub slug: &'static str,
    /// The parameters a preset may set (and the URL may carry).
    pub params: &'static [ParamSpec],
    /// Whether it runs on the simulation clock, so `seed`, `t` and `speed` mean something.
    pub simulated: bool,
    /// The height its stage and main controls need before the app mounts, in CSS pixels at
    /// 1280 px wide, so the page does not shift when the tool appears.
    pub reserve_px: u16,
    /// Draws its first frame at a preset, for the prerendered page (see `viz::poster`). Only the
    /// site generator calls it, so no bundle links it.
    pub poster: fn(&[(String, String)]) -> Sketch,
    /// Whether the tool draws a live stage (the system at the current tick, see
    /// `harness::stage` in the app) and its poster is that stage at the start. The browser suite
    /// checks every staged tool's picture moves, holds still and comes back from its link.
    pub staged: bool,
    /// Whether its model draws anything at random, so the seed changes a run; false exactly
    /// where the model says `Simulation::SEEDED = false` (the browser suite checks the two
    /// agree: the controls show a seed field only for a seeded tool).
    pub seeded: bool,
    /// For a tool that reads its link itself rather than through `params` (the capacity
    /// planner's two designs): checks one preset pair the way it reads it.
    pub link: Option<fn(&str, &str) -> Result<(), String>>,
}

const fn tool(slug: &'static str, params: &'static [ParamSpec], simulated: bool, reserve_px: u16, poster: fn(&[(String, String)]) -> Sketch) -> Tool {
    Tool { slug, params, simulated, reserve_px, poster, staged: false, seeded: simulated, link: None }
}

/// A tool whose poster is its live stage at the start.
const fn staged(slug: &'static str, params: &'static [ParamSpec], reserve_px: u16, poster: fn(&[(String, String)]) -> Sketch) -> Tool {
    Tool { slug, params, simulated: true, reserve_px, poster, staged: true, seeded: true, link: None }
}

impl Tool {
    /// For a tool on the clock whose model ignores the seed.
    const fn unseeded(self) -> Tool {
        Tool { seeded: false, ..self }
    }

    /// For a tool whose presets `check` reads (see `link`).
    const fn linked(self, check: fn(&str, &str) -> Result<(), String>) -> Tool {
        Tool { link: Some(check), ..self }
    }
}

pub const TOOLS: &[Tool] = &[
    tool("cap-theorem", viz::cap::CAP_PARAMS, true, 900, viz::cap::poster::poster).unseeded(),
    tool("consistent-hashing", viz::ring::RING_PARAMS, true, 900, viz::ring::poster::poster).unseeded(),
    staged("cache-stampede", viz::stampede::STAMPEDE_PARAMS, 900, viz::stampede::poster::poster),
    tool("oauth-flows", viz::oauth::PARAMS, true, 900, viz::oauth::poster::poster).unseeded(),
    tool("jwt-decoder", &[], false, 700, viz::jwt::poster::poster),
    staged("latency-numbers", viz::latency::LATENCY_PARAMS, 900, viz::latency::poster::poster).unseeded(),
    tool("capacity-planner", &[], false, 800, viz::capacity::poster::poster).linked(viz::capacity::link::check_pair),
    tool("availability", viz::availability::AVAILABILITY_PARAMS, false, 700, viz::availability::poster::poster),
    staged("slo-error-budget", viz::slo::SLO_PARAMS, 900, viz::slo::poster::poster).unseeded(),
    staged("circuit-breaker", viz::breaker::BREAKER_PARAMS, 900, viz::breaker::poster::poster),
    staged("rate-limiters", viz::limiters::LIMITER_PARAMS, 900, viz::limiters::poster::poster),
    staged("retries", viz::retries::RETRY_PARAMS, 900, viz::retries::poster::poster),
    staged("bloom-filter", viz::bloom::BLOOM_PARAMS, 900, viz::bloom::poster::poster),
    staged("cache-eviction", viz::eviction::EVICTION_PARAMS, 900, viz::eviction::poster::poster),
    staged("load-balancer", viz::balancer::BALANCER_PARAMS, 900, viz::balancer::poster::poster),
    staged("raft", viz::raft::RAFT_PARAMS, 900, viz::raft::poster::poster),
    staged("replication-lag", viz::replication::REPLICATION_PARAMS, 900, viz::replication::poster::poster),
    tool("tls-handshake", viz::tls::TLS_PARAMS, true, 900, viz::tls::poster::poster).unseeded(),
    staged("cdn-cache", viz::cdn::CDN_PARAMS, 900, viz::cdn::poster::poster),
    staged("kafka-partitions", viz::kafka::KAFKA_PARAMS, 900, viz::kafka::poster::poster),
    staged("dns-resolution", viz::dns::DNS_PARAMS, 900, viz::dns::poster::poster),
    staged("sharding-calculator", viz::sharding::SHARDING_PARAMS, 900, viz::sharding::poster::poster),
    tool("database-selector", viz::selector::SELECTOR_PARAMS, false, 900, viz::selector::poster::poster),
    staged("request-journey", viz::journey::JOURNEY_PARAMS, 900, viz::journey::poster::poster),
    staged("storage-engines", viz::storage::STORAGE_PARAMS, 900, viz::storage::poster::poster),
];

pub fn find(slug: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|tool| tool.slug == slug)
}

impl Tool {
    /// Checks one preset value the way the running tool will read it; the message names the
    /// problem for an author.
    pub fn check_preset(&self, key: &str, value: &str) -> Result<(), String> {
        if let Some(check) = self.link {
            return check(key, value);
        }
        if let Some(spec) = self.params.iter().find(|spec| spec.key == key) {
            return spec.parse(value).map(|_| ());
        }
        if self.simulated && RUN_KEYS.contains(&key) {
            return match key {
                "speed" if !value.parse::<f64>().is_ok_and(|speed| SPEEDS.contains(&speed)) => Err("speed must be 0.25, 0.5, 1, 2, 4 or 8".to_string()),
                "seed" | "t" if value.parse::<u64>().is_err() => Err(format!("{key} must be a whole number")),
                _ => Ok(()),
            };
        }
        let known: Vec<&str> = self.params.iter().map(|spec| spec.key).chain(if self.simulated { RUN_KEYS.to_vec() } else { Vec::new() }).collect();
        Err(if known.is_empty() {
            format!("`{}` takes no preset", self.slug)
        } else {
            format!("`{}` has no parameter `{key}`; it has: {}", self.slug, known.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Simulation;

    /// The registry's `seeded` says what each model's `Simulation::SEEDED` says (the registry
    /// cannot name the model, so the pairs are listed here; every tool on the clock is in it).
    #[test]
    fn a_tool_offers_a_seed_exactly_when_its_model_draws_at_random() {
        fn of<S: Simulation>() -> bool {
            S::SEEDED
        }
        let models: &[(&str, bool)] = &[
            ("cap-theorem", of::<viz::cap::CapCluster>()),
            ("consistent-hashing", of::<viz::ring::RingSimulation>()),
            ("cache-stampede", of::<viz::stampede::Stampede>()),
            ("oauth-flows", of::<viz::oauth::FlowWalk>()),
            ("rate-limiters", of::<viz::limiters::RateLimiters>()),
            ("latency-numbers", of::<viz::latency::race::Race>()),
            ("slo-error-budget", of::<viz::slo::Slo>()),
            ("circuit-breaker", of::<viz::breaker::BreakerChain>()),
            ("retries", of::<viz::retries::RetryRace>()),
            ("bloom-filter", of::<viz::bloom::Bloom>()),
            ("cache-eviction", of::<viz::eviction::Eviction>()),
            ("load-balancer", of::<viz::balancer::Balancer>()),
            ("raft", of::<viz::raft::Raft>()),
            ("tls-handshake", of::<viz::tls::Handshake>()),
            ("cdn-cache", of::<viz::cdn::Cdn>()),
            ("replication-lag", of::<viz::replication::Replication>()),
            ("kafka-partitions", of::<viz::kafka::Kafka>()),
            ("dns-resolution", of::<viz::dns::Dns>()),
            ("sharding-calculator", of::<viz::sharding::Sharding>()),
            ("request-journey", of::<viz::journey::Journey>()),
            ("storage-engines", of::<viz::storage::Storage>()),
        ];
        let clocked: std::collections::BTreeSet<&str> = TOOLS.iter().filter(|tool| tool.simulated).map(|tool| tool.slug).collect();
        assert_eq!(models.iter().map(|(slug, _)| *slug).collect::<std::collections::BTreeSet<_>>(), clocked, "every tool on the clock");
        for (slug, seeded) in models {
            assert_eq!(find(slug).map(|tool| tool.seeded), Some(*seeded), "{slug}");
        }
        assert!(TOOLS.iter().filter(|tool| !tool.simulated).all(|tool| !tool.seeded), "a calculator has no seed");
    }

    /// A parameter named like a run key would be read twice from one link: Kafka's consumer
    /// speed was once `speed`, so a link played at 8x restored a consumer doing 8 records a
    /// second instead of 15, and a different run.
    #[test]
    fn no_parameter_is_named_like_a_run_key() {
        for tool in TOOLS {
            for spec in tool.params {
                assert!(!RUN_KEYS.contains(&spec.key) && spec.key != "do", "{}: parameter `{}` collides with the run's own key", tool.slug, spec.key);
            }
        }
    }

    #[test]
    fn slugs_are_unique_and_url_safe() {
        let mut seen = std::collections::BTreeSet::new();
        for tool in TOOLS {
            assert!(seen.insert(tool.slug), "{} twice", tool.slug);
            assert!(tool.slug.chars().all(|c| c.is_ascii_lowercase() || c == '-'), "{}", tool.slug);
            assert!(!tool.slug.contains('.'), "a dot would break scoped URL keys");
        }
    }

    #[test]
    fn presets_are_checked_against_the_schema() {
        let ring = find("consistent-hashing").unwrap();
        let key = ring.params[0].key;
        assert!(ring.check_preset(key, "not a number at all").is_err());
        assert!(ring.check_preset("seed", "7").is_ok());
        assert!(ring.check_preset("seed", "-1").is_err());
        assert!(ring.check_preset("speed", "3").is_err());
        assert!(ring.check_preset("no-such-key", "1").unwrap_err().contains("has no parameter"));
        assert!(find("jwt-decoder").unwrap().check_preset("seed", "1").unwrap_err().contains("takes no preset"));
        assert!(find("no-such-tool").is_none());
    }
}
