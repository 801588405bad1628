//! Placing incidents anywhere in time. An incident is an action applied at its start tick, so
//! adding one in the past or the future, removing one, loading a preset or changing a
//! parameter rebuilds the run from its actions (`Timeline::replay`) and returns to the same
//! moment. The run has no randomness, so a rebuild is exact and costs one pass over the ticks.

use crate::sim::{Params, Timeline};

use super::{Action, Config, Preset, Slo, MAX_INCIDENTS};

/// The run with one more action at minute `at` (clamped to the window), every other action
/// kept, at the same moment. (`Timeline::act` would drop the actions after now: right for a
/// fork, wrong for an incident the reader places before a preset's later one.) An incident is
/// refused when the run already holds `MAX_INCIDENTS`.
pub fn with_action(timeline: &Timeline<Slo>, at: u64, action: Action) -> Result<Timeline<Slo>, String> {
    let injected = timeline.actions().iter().filter(|(_, action)| matches!(action, Action::Inject(_))).count();
    if matches!(action, Action::Inject(_)) && injected >= MAX_INCIDENTS {
        return Err(format!("A run holds at most {MAX_INCIDENTS} incidents; remove one first."));
    }
    let window = Config::from_params(timeline.params()).window_minutes;
    let mut actions = timeline.actions().to_vec();
    actions.push((at.min(window), action));
    Ok(rebuild(timeline, timeline.params().clone(), actions, timeline.tick()))
}

/// The run without its action number `index` (in `timeline.actions()` order).
pub fn without_action(timeline: &Timeline<Slo>, index: usize) -> Timeline<Slo> {
    let mut actions = timeline.actions().to_vec();
    if index < actions.len() {
        actions.remove(index);
    }
    rebuild(timeline, timeline.params().clone(), actions, timeline.tick())
}

/// A fresh run holding only the preset's incidents, at its start.
pub fn with_preset(timeline: &Timeline<Slo>, preset: Preset) -> Timeline<Slo> {
    let window = Config::from_params(timeline.params()).window_minutes;
    let actions = preset.incidents(window).into_iter().map(|(start, spec)| (start, Action::Inject(spec))).collect();
    rebuild(timeline, timeline.params().clone(), actions, 0)
}

/// The same incidents under new parameters (a stricter SLO, a longer window…), at the same
/// moment where the new window still reaches it.
pub fn with_params(timeline: &Timeline<Slo>, params: Params) -> Timeline<Slo> {
    let window = Config::from_params(&params).window_minutes;
    rebuild(timeline, params, timeline.actions().to_vec(), timeline.tick().min(window))
}

fn rebuild(timeline: &Timeline<Slo>, params: Params, actions: Vec<(u64, Action)>, tick: u64) -> Timeline<Slo> {
    Timeline::replay(params, timeline.seed(), timeline.limit(), actions, tick)
}
