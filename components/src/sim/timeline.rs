//! Recorded history for a simulation: step forward and back, scrub to any past tick, and fork
//! a new history by acting at a past point. Snapshots are kept every few ticks and the rest is
//! replayed, which is exact because every simulation is deterministic for its seed.

use super::params::Params;

/// What the harness needs from a model.
pub trait Simulation: Clone {
    /// Something the reader does to the running system (cut a link, add a node, …).
    type Action: Clone + PartialEq + std::fmt::Debug;
    /// False for a model that draws nothing at random: its runs ignore the seed, so the
    /// controls offer none.
    const SEEDED: bool = true;

    fn new(params: &Params, seed: u64) -> Self;
    /// Advances one tick.
    fn step(&mut self);
    fn apply(&mut self, action: &Self::Action);
    fn tick(&self) -> u64;
    /// What just happened, in words, for the live region.
    fn narrate(&self) -> String;
    /// Compact text for the URL; `decode_action` must accept what this produces.
    fn encode_action(action: &Self::Action) -> String;
    fn decode_action(text: &str) -> Option<Self::Action>;
    /// True when there is nothing more to play (a walk-through at its last step).
    fn finished(&self) -> bool {
        false
    }
}

const KEYFRAME_EVERY: u64 = 64;

#[derive(Clone)]
pub struct Timeline<S: Simulation> {
    params: Params,
    seed: u64,
    /// `keyframes[i]` is the state at tick `i * KEYFRAME_EVERY`, actions at that tick applied.
    keyframes: Vec<S>,
    /// Actions, in order, each applied at the start of its tick (before that tick's step).
    actions: Vec<(u64, S::Action)>,
    current: S,
    /// The furthest tick recorded; scrubbing goes anywhere in `0..=recorded`.
    recorded: u64,
    limit: u64,
}

impl<S: Simulation> Timeline<S> {
    pub fn new(params: Params, seed: u64, limit: u64) -> Self {
        let initial = S::new(&params, seed);
        Self { params, seed, keyframes: vec![initial.clone()], actions: Vec::new(), current: initial, recorded: 0, limit }
    }

    /// Rebuilds a shared run: the same parameters, seed and actions, then seeks to `tick`.
    pub fn replay(params: Params, seed: u64, limit: u64, actions: Vec<(u64, S::Action)>, tick: u64) -> Self {
        let mut timeline = Self::new(params, seed, limit);
        // In tick order, and in the link's order within a tick (a stable insertion: a shared link
        // is already in order, and a sort here would add a sort routine to every tool's bundle).
        let mut ordered: Vec<(u64, S::Action)> = Vec::with_capacity(actions.len());
        for (at, action) in actions.into_iter().filter(|(at, _)| *at <= limit) {
            let place = ordered.partition_point(|(before, _)| *before <= at);
            ordered.insert(place, (at, action));
        }
        for (at, action) in ordered {
            timeline.seek(at);
            timeline.act(action);
        }
        timeline.seek(tick.min(limit));
        timeline
    }

    pub fn state(&self) -> &S {
        &self.current
    }

    pub fn params(&self) -> &Params {
        &self.params
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn tick(&self) -> u64 {
        self.current.tick()
    }

    pub fn recorded(&self) -> u64 {
        self.recorded
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    pub fn actions(&self) -> &[(u64, S::Action)] {
        &self.actions
    }

    pub fn at_end(&self) -> bool {
        self.tick() >= self.limit || self.current.finished()
    }

    pub fn step_forward(&mut self) {
        if self.at_end() {
            return;
        }
        self.advance();
        self.recorded = self.recorded.max(self.tick());
    }

    pub fn step_back(&mut self) {
        let tick = self.tick();
        if tick > 0 {
            self.seek(tick - 1);
        }
    }

    /// Moves to any tick up to the recorded end (further ticks are simulated and recorded).
    pub fn seek(&mut self, tick: u64) {
        let tick = tick.min(self.limit);
        if tick < self.current.tick() || tick / KEYFRAME_EVERY > self.current.tick() / KEYFRAME_EVERY {
            let frame = ((tick / KEYFRAME_EVERY) as usize).min(self.keyframes.len() - 1);
            self.current = self.keyframes[frame].clone();
        }
        while self.current.tick() < tick {
            self.advance();
        }
        self.recorded = self.recorded.max(tick);
    }

    /// Acts now. If now is in the past, the future that was recorded is dropped: a new history
    /// forks from here.
    pub fn act(&mut self, action: S::Action) {
        let now = self.tick();
        self.actions.retain(|(at, _)| *at <= now);
        self.keyframes.truncate((now / KEYFRAME_EVERY) as usize + 1);
        self.recorded = now;
        self.current.apply(&action);
        self.actions.push((now, action));
        if now % KEYFRAME_EVERY == 0 {
            let frame = (now / KEYFRAME_EVERY) as usize;
            self.keyframes[frame] = self.current.clone();
        }
    }

    /// Starts again from tick 0 with new parameters or seed, keeping nothing.
    pub fn reset(&mut self, params: Params, seed: u64) {
        *self = Self::new(params, seed, self.limit);
    }

    fn advance(&mut self) {
        self.current.step();
        let tick = self.current.tick();
        for (_, action) in self.actions.iter().filter(|(at, _)| *at == tick) {
            self.current.apply(action);
        }
        if tick % KEYFRAME_EVERY == 0 {
            let frame = (tick / KEYFRAME_EVERY) as usize;
            if frame == self.keyframes.len() {
                self.keyframes.push(self.current.clone());
            }
        }
    }

    /// Actions in URL form: `tick.action` joined by `~`.
    pub fn encode_actions(&self) -> String {
        self.actions.iter().map(|(at, action)| format!("{at}.{}", S::encode_action(action))).collect::<Vec<_>>().join("~")
    }

    /// Reads actions from a URL; malformed entries are skipped and counted.
    pub fn decode_actions(text: &str) -> (Vec<(u64, S::Action)>, usize) {
        let mut skipped = 0;
        let actions = text
            .split('~')
            .filter(|part| !part.is_empty())
            .take(500)
            .filter_map(|part| {
                let parsed = part.split_once('.').and_then(|(at, action)| Some((at.parse::<u64>().ok()?, S::decode_action(action)?)));
                if parsed.is_none() {
                    skipped += 1;
                }
                parsed
            })
            .collect();
        (actions, skipped)
    }
}

#[cfg(test)]
mod tests {
    use super::super::params::{ParamKind, ParamSpec, Value};
    use super::super::rng::SimRng;
    use super::*;

    /// A random walk that can be nudged: small, but deterministic and seed-dependent.
    #[derive(Clone, Debug, PartialEq)]
    struct Walk {
        tick: u64,
        position: i64,
        rng: SimRng,
        stride: i64,
    }

    const SCHEMA: &[ParamSpec] = &[ParamSpec { key: "stride", label: "Stride", kind: ParamKind::Int { min: 1, max: 10 }, default: Value::Int(2) }];

    impl Simulation for Walk {
        type Action = i64;
        fn new(params: &Params, seed: u64) -> Self {
            Self { tick: 0, position: 0, rng: SimRng::new(seed), stride: params.int("stride") }
        }
        fn step(&mut self) {
            self.tick += 1;
            self.position += if self.rng.chance(0.5) { self.stride } else { -self.stride };
        }
        fn apply(&mut self, nudge: &i64) {
            self.position += nudge;
        }
        fn tick(&self) -> u64 {
            self.tick
        }
        fn narrate(&self) -> String {
            format!("at {}", self.position)
        }
        fn encode_action(nudge: &i64) -> String {
            nudge.to_string()
        }
        fn decode_action(text: &str) -> Option<i64> {
            text.parse().ok()
        }
    }

    fn timeline(seed: u64) -> Timeline<Walk> {
        Timeline::new(Params::defaults(SCHEMA), seed, 1000)
    }

    #[test]
    fn the_same_seed_replays_the_same_run() {
        let (mut a, mut b) = (timeline(9), timeline(9));
        for _ in 0..300 {
            a.step_forward();
            b.step_forward();
        }
        assert_eq!(a.state(), b.state());
        let mut c = timeline(10);
        c.seek(300);
        assert_ne!(a.state(), c.state());
    }

    #[test]
    fn stepping_back_then_forward_returns_to_the_same_state() {
        let mut walk = timeline(1);
        walk.seek(200);
        walk.act(50);
        walk.seek(260);
        let before = walk.state().clone();
        for _ in 0..130 {
            walk.step_back();
        }
        assert_eq!(walk.tick(), 130);
        for _ in 0..130 {
            walk.step_forward();
        }
        assert_eq!(walk.state(), &before);
    }

    #[test]
    fn acting_in_the_past_forks_a_new_history() {
        let mut walk = timeline(2);
        walk.seek(100);
        walk.act(1000);
        walk.seek(300);
        let with_nudge = walk.state().position;
        walk.seek(50);
        walk.act(-7);
        assert_eq!(walk.actions().len(), 1, "the later action belonged to the old future");
        assert_eq!(walk.recorded(), 50);
        walk.seek(300);
        assert_ne!(walk.state().position, with_nudge);
    }

    #[test]
    fn a_shared_run_replays_from_its_actions() {
        let mut walk = timeline(5);
        walk.seek(70);
        walk.act(3);
        walk.seek(140);
        walk.act(-4);
        walk.seek(222);
        let encoded = walk.encode_actions();
        let (actions, skipped) = Timeline::<Walk>::decode_actions(&format!("{encoded}~garbage~9.x"));
        assert_eq!(skipped, 2);
        let replayed = Timeline::<Walk>::replay(Params::defaults(SCHEMA), 5, 1000, actions, 222);
        assert_eq!(replayed.state(), walk.state());
    }

    #[test]
    fn a_link_with_its_actions_out_of_order_replays_them_by_tick_keeping_order_within_a_tick() {
        let mut walk = timeline(5);
        walk.seek(70);
        walk.act(3);
        walk.act(-1);
        walk.seek(140);
        walk.act(-4);
        walk.seek(222);
        // The same actions as the link would carry, shuffled across ticks, plus one past the limit.
        let shuffled = vec![(140, -4), (70, 3), (5000, 9), (70, -1)];
        let replayed = Timeline::<Walk>::replay(Params::defaults(SCHEMA), 5, 1000, shuffled, 222);
        assert_eq!(replayed.state(), walk.state());
        let swapped = Timeline::<Walk>::replay(Params::defaults(SCHEMA), 5, 1000, vec![(70, -1), (70, 3), (140, -4)], 222);
        assert_eq!(swapped.encode_actions(), "70.-1~70.3~140.-4", "within a tick, the link's order stands");
    }

    #[test]
    fn the_limit_stops_the_clock() {
        let mut walk = Timeline::<Walk>::new(Params::defaults(SCHEMA), 1, 10);
        for _ in 0..50 {
            walk.step_forward();
        }
        assert_eq!(walk.tick(), 10);
        assert!(walk.at_end());
    }
}
