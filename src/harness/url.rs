//! The run in the URL: parameters that differ from their defaults, `seed`, `t` (the tick),
//! `speed` and `do` (the actions taken, with their ticks).

use crate::dom;
use atlas_components::sim::query::{build_query, parse_query};
use atlas_components::sim::{ParamSpec, Params, Simulation, Timeline};

pub const DEFAULT_SEED: u64 = 1;

pub struct UrlState<S: Simulation> {
    pub timeline: Timeline<S>,
    pub speed: f64,
    pub notes: Vec<String>,
}

pub fn read<S: Simulation>(schema: &'static [ParamSpec], limit: u64) -> UrlState<S> {
    let search = dom::window().location().search().unwrap_or_default();
    let pairs = parse_query(&search);
    let (params, mut notes) = Params::from_pairs(schema, &pairs);
    let value = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());

    let seed = match value("seed") {
        None => DEFAULT_SEED,
        Some(raw) => raw.trim().parse::<u64>().unwrap_or_else(|_| {
            notes.push(format!("Ignored seed “{}” from the link: it must be a whole number. Using {DEFAULT_SEED}.", clip(raw)));
            DEFAULT_SEED
        }),
    };
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
    let (actions, skipped) = value("do").map(Timeline::<S>::decode_actions).unwrap_or_default();
    if skipped > 0 {
        notes.push(format!("Ignored {skipped} unreadable action{} in the link.", if skipped == 1 { "" } else { "s" }));
    }
    UrlState { timeline: Timeline::replay(params, seed, limit, actions, tick), speed, notes }
}

fn clip(raw: &str) -> String {
    raw.chars().take(30).collect()
}

fn query<S: Simulation>(timeline: &Timeline<S>, speed: f64) -> String {
    let mut pairs = timeline.params().to_pairs();
    if timeline.seed() != DEFAULT_SEED {
        pairs.push(("seed", timeline.seed().to_string()));
    }
    if timeline.tick() > 0 {
        pairs.push(("t", timeline.tick().to_string()));
    }
    if speed != 1.0 {
        pairs.push(("speed", speed.to_string()));
    }
    if !timeline.actions().is_empty() {
        pairs.push(("do", timeline.encode_actions()));
    }
    build_query(pairs)
}

pub fn share_url<S: Simulation>(timeline: &Timeline<S>, speed: f64) -> String {
    let location = dom::window().location();
    let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    let query = query(timeline, speed);
    if query.is_empty() {
        base
    } else {
        format!("{base}?{query}")
    }
}

pub fn replace<S: Simulation>(timeline: &Timeline<S>, speed: f64) {
    let path = dom::window().location().pathname().unwrap_or_default();
    let query = query(timeline, speed);
    let url = if query.is_empty() { path } else { format!("{path}?{query}") };
    if let Ok(history) = dom::window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}
