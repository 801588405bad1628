//! A run in the URL: parameters that differ from the page's baseline (the defaults, or the
//! author's preset), `seed`, `t` (the tick), `speed` and `do` (the actions taken, with their
//! ticks). The keys live in the tool's own slice of the address bar (see `Address`).

use super::address::Address;
use atlas_components::sim::query::{last_value, seed_in, DEFAULT_SEED};
use atlas_components::sim::{ParamSpec, Params, Simulation, Timeline};

pub struct UrlState<S: Simulation> {
    pub timeline: Timeline<S>,
    pub speed: f64,
    pub notes: Vec<String>,
}

/// Where a run starts before the reader changes anything; links record differences from it.
#[derive(Clone)]
pub struct Baseline {
    params: Params,
    seed: u64,
    tick: u64,
    speed: f64,
}

/// The run described by `pairs`, with a note for every value that had to be ignored.
fn run_from_pairs(schema: &'static [ParamSpec], limit: u64, pairs: &[(String, String)]) -> (Baseline, Vec<String>) {
    let (params, mut notes) = Params::from_pairs(schema, pairs);
    let value = |key: &str| last_value(pairs, key);
    let seed = seed_in(pairs).unwrap_or_else(|raw| {
        notes.push(format!("Ignored seed “{}” from the link: it must be a whole number. Using {DEFAULT_SEED}.", clip(raw)));
        DEFAULT_SEED
    });
    let tick = match value("t") {
        None => 0,
        Some(raw) => match raw.trim().parse::<u64>() {
            Ok(tick) if tick <= limit => tick,
            _ => {
                notes.push(format!("Ignored time “{}” from the link: it must be a whole number of ticks up to {limit}. Starting at 0.", clip(raw)));
                0
            }
        },
    };
    let speed = match value("speed") {
        None => 1.0,
        Some(raw) => match raw.trim().parse::<f64>() {
            Ok(speed) if super::SPEEDS.contains(&speed) => speed,
            _ => {
                notes.push(format!("Ignored speed “{}” from the link: choose 0.25, 0.5, 1, 2, 4 or 8. Using 1×.", clip(raw)));
                1.0
            }
        },
    };
    (Baseline { params, seed, tick, speed }, notes)
}

pub fn read<S: Simulation>(address: &Address, schema: &'static [ParamSpec], limit: u64) -> (UrlState<S>, Baseline) {
    // The preset was validated when the page was built, so its notes are not the reader's business.
    let (baseline, _) = run_from_pairs(schema, limit, address.preset());
    let pairs = address.pairs();
    let (run, mut notes) = run_from_pairs(schema, limit, &pairs);
    let value = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let (actions, skipped) = value("do").map(Timeline::<S>::decode_actions).unwrap_or_default();
    if skipped > 0 {
        notes.push(format!("Ignored {skipped} unreadable action{} in the link.", if skipped == 1 { "" } else { "s" }));
    }
    let timeline = Timeline::replay(run.params, run.seed, limit, actions, run.tick);
    (UrlState { timeline, speed: run.speed, notes }, baseline)
}

fn clip(raw: &str) -> String {
    raw.chars().take(30).collect()
}

/// This run's keys: what differs from the baseline.
pub fn pairs<S: Simulation>(timeline: &Timeline<S>, speed: f64, baseline: &Baseline) -> Vec<(&'static str, String)> {
    let mut pairs = timeline.params().to_pairs_against(&baseline.params);
    if timeline.seed() != baseline.seed {
        pairs.push(("seed", timeline.seed().to_string()));
    }
    if timeline.tick() != baseline.tick {
        pairs.push(("t", timeline.tick().to_string()));
    }
    if speed != baseline.speed {
        pairs.push(("speed", speed.to_string()));
    }
    if !timeline.actions().is_empty() {
        pairs.push(("do", timeline.encode_actions()));
    }
    pairs
}
