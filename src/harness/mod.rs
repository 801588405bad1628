//! The harness every visualizer shares in the browser: a runner that owns the recorded
//! timeline, the clock that plays it, the controls, URL state and the share link.

mod address;
mod chart;
mod clock;
mod controls;
pub mod fit;
pub mod kit;
pub mod ruler;
mod scene;
mod url;

pub use address::Address;
pub use chart::{in_place, LineChart, Series, LINE_STYLES};
pub use controls::{copy_to_clipboard, Controls};
pub use kit::{use_tool, ToolContext};
pub use scene::stage;

use atlas_components::sim::{ParamSpec, Params, Simulation, Timeline};
use leptos::prelude::*;

/// Runs `redraw` now, and again whenever a signal it read changes, until the component goes; it
/// gets what it returned last time. The harness's effect: a render effect, which takes what
/// `Effect::new` takes and whose code is smaller. The retries bundle, its one `Effect::new` and
/// a `StoredValue` replaced by this and a `RefCell`, went from 134,640 to 133,063 bytes gzipped;
/// a chart's bundle, 0.2 KB (2026-12-07). Its first run comes
/// before the view is on the page: a redraw that writes into an element reads the element's
/// `NodeRef` (which runs it again once the element is there).
pub fn redraw<T: Send + Sync + 'static>(redraw: impl FnMut(Option<T>) -> T + 'static) {
    let effect = RenderEffect::new(redraw);
    on_cleanup(move || drop(effect));
}

/// Everything a visualizer view reads and drives. All fields are signals, so it is `Copy`.
pub struct Runner<S: Simulation + 'static> {
    pub timeline: RwSignal<Timeline<S>, LocalStorage>,
    pub playing: RwSignal<bool>,
    pub speed: RwSignal<f64>,
    /// Messages about values in the link that were ignored.
    pub notes: RwSignal<Vec<String>>,
    /// What just happened, in words (read politely by screen readers).
    pub narration: RwSignal<String>,
    /// Simulated ticks per second at 1× speed.
    pub ticks_per_second: f64,
    /// Count the moments each phase of the sampled readers is redrawn for (see [`Phase`]). In
    /// whole numbers of an `f64` (exact to 2^53), not a `u64`: the speed is an `RwSignal<f64>`
    /// already, and a signal of a type no other has costs its own copy of the signals' code,
    /// 0.5 KB gzipped of every tool's bundle (2026-12-07), where the heaviest pages had less room.
    phases: StoredValue<[RwSignal<f64>; PHASES]>,
    /// The tool's slice of the address bar, and the run a link records differences from.
    link: StoredValue<(Address, url::Baseline)>,
}

impl<S: Simulation + 'static> Clone for Runner<S> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<S: Simulation + 'static> Copy for Runner<S> {}

pub use atlas_components::sim::SPEEDS;

/// How many frames a round of sampled redraws is spread over: nine, 150 ms at 60 Hz (the charts'
/// pace), so seven blocks have a frame each.
const PHASES: usize = 9;

/// The frame of a round in which a sampled reader is redrawn while the run plays. Redrawn in
/// one frame, a stage's picture, its charts, its table and its numbers took 29 to 48 ms with
/// the CPU throttled 4× (the retries, cache-stampede, rate-limiters and circuit-breaker tools
/// at 8×, traced in Chromium 2026-12-07), against 6 ms for a frame that only moves the
/// requests; the round spreads them over consecutive frames, a block (a chart, a table) to a
/// frame. At a step, a scrub, an action or a pause every phase is redrawn at once, so a paused
/// picture and the link always agree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phase(usize);

thread_local! {
    static CURRENT_PHASE: std::cell::Cell<Phase> = const { std::cell::Cell::new(Phase::NUMBERS) };
    static NEXT_BLOCK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl Phase {
    /// The stage's whole picture: the first frame of a round.
    pub const STAGE: Phase = Phase(0);
    /// The default: the numbers and short texts around the stage (the controls' clock and
    /// slider have a block of their own).
    pub const NUMBERS: Phase = Phase(1);

    /// A phase for one more block of its own (a chart, a table, a column of cards): the phases
    /// after [`Phase::NUMBERS`] in turn, in the order the blocks are made.
    pub fn block() -> Phase {
        let next = NEXT_BLOCK.with(|next| {
            let index = next.get();
            next.set(index + 1);
            index
        });
        Phase(2 + next % (PHASES - 2))
    }

    /// The phase sampled reads are tracked in now.
    fn current() -> Phase {
        CURRENT_PHASE.with(std::cell::Cell::get)
    }

    /// Makes this the current phase until the guard it returns is dropped: every sampled read
    /// meanwhile (through [`Runner::sampled`] signals too, which read the run when they are read)
    /// is redrawn in this phase. In code every tool shares, keep it out of line around the reads
    /// alone: held across the whole of `LineChart`'s closures it cost 0.44 KB gzipped of a
    /// bundle with two charts (2026-12-07; see `chart::read_in`).
    pub fn enter(self) -> InPhase {
        InPhase(CURRENT_PHASE.with(|phase| phase.replace(self)))
    }
}

/// Puts the outer phase back when dropped (see [`Phase::enter`]).
#[must_use = "the phase holds only while this guard lives"]
pub struct InPhase(Phase);

impl Drop for InPhase {
    fn drop(&mut self) {
        CURRENT_PHASE.with(|phase| phase.set(self.0));
    }
}

/// Tracks the current phase's signal: out of line, as every sampled read calls it.
#[inline(never)]
fn track_phase(phases: StoredValue<[RwSignal<f64>; PHASES]>) {
    track_in(phases, Phase::current());
}

/// Tracks `phase`'s signal: out of line, for the same reason.
#[inline(never)]
fn track_in(phases: StoredValue<[RwSignal<f64>; PHASES]>, phase: Phase) {
    phases.with_value(|phases| phases[phase.0].track());
}

impl<S: Simulation + 'static> Runner<S> {
    /// Builds the run the page's preset and URL describe (bad values become notes), then starts
    /// its clock and keyboard shortcuts on the tool's section.
    pub fn start(tool: &ToolContext, schema: &'static [ParamSpec], ticks_per_second: f64, limit: u64) -> Self {
        let (state, baseline) = url::read::<S>(&tool.address, schema, limit);
        let narration = state.timeline.state().narrate();
        let runner = Self {
            timeline: RwSignal::new_local(state.timeline),
            playing: RwSignal::new(false),
            speed: RwSignal::new(state.speed),
            notes: RwSignal::new(state.notes),
            narration: RwSignal::new(narration),
            ticks_per_second,
            phases: StoredValue::new(std::array::from_fn(|_| RwSignal::new(0.0))),
            link: StoredValue::new((tool.address.clone(), baseline)),
        };
        clock::start(runner, &tool.section);
        controls::bind_keys(runner, &tool.section);
        runner
    }

    /// Reads the current state without tracking (for event handlers).
    pub fn with_state<R>(&self, read: impl FnOnce(&S) -> R) -> R {
        self.timeline.with_untracked(|timeline| read(timeline.state()))
    }

    pub fn step_forward(&self) {
        self.timeline.update(|timeline| timeline.step_forward());
        self.after_manual_move();
    }

    pub fn step_back(&self) {
        self.playing.set(false);
        self.timeline.update(|timeline| timeline.step_back());
        self.after_manual_move();
    }

    pub fn seek(&self, tick: u64) {
        self.timeline.update(|timeline| timeline.seek(tick));
        self.after_manual_move();
    }

    /// Applies an action now; acting in the past forks a new history.
    pub fn act(&self, action: S::Action) {
        self.timeline.update(|timeline| timeline.act(action));
        self.after_manual_move();
    }

    /// Changing a parameter starts a new run with the same seed.
    pub fn set_param(&self, key: &str, raw: &str) -> Result<(), String> {
        let mut params = self.timeline.with_untracked(|timeline| timeline.params().clone());
        params.set_text(key, raw)?;
        let seed = self.timeline.with_untracked(Timeline::seed);
        self.timeline.update(|timeline| timeline.reset(params, seed));
        self.after_manual_move();
        Ok(())
    }

    pub fn params(&self) -> Params {
        self.timeline.with(|timeline| timeline.params().clone())
    }

    /// Back to tick 0 with a fresh seed-identical run (the parameters stay).
    pub fn reset(&self) {
        self.playing.set(false);
        self.timeline.update(|timeline| {
            let (params, seed) = (timeline.params().clone(), timeline.seed());
            timeline.reset(params, seed);
        });
        self.after_manual_move();
    }

    pub fn set_seed(&self, seed: u64) {
        self.timeline.update(|timeline| {
            let params = timeline.params().clone();
            timeline.reset(params, seed);
        });
        self.after_manual_move();
    }

    /// The link that reproduces exactly this view (other tools on the page keep theirs).
    pub fn share_url(&self) -> String {
        self.link.with_value(|(address, baseline)| address.share_url(&self.link_pairs(baseline)))
    }

    fn link_pairs(&self, baseline: &url::Baseline) -> Vec<(&'static str, String)> {
        self.timeline.with_untracked(|timeline| url::pairs(timeline, self.speed.get_untracked(), baseline))
    }

    /// A value for a chart, read from the run at the moments the charts are redrawn: at once
    /// when the reader steps, scrubs, acts or pauses, and at most every
    /// [`clock::CHART_EVERY_MS`] while the run plays, in the frame of the [`Phase`] it is read
    /// in. Redrawn on every frame, six charts took more of the main thread than the 4 ms a frame
    /// DESIGN.md allows (about 6 ms a frame at 8×, measured 2026-12-05); the drawing of the
    /// system itself still moves every frame.
    pub fn sampled<T: Send + Sync + 'static>(&self, read: impl Fn(&Timeline<S>) -> T + Send + Sync + 'static) -> Signal<T> {
        let runner = *self;
        Signal::derive(move || runner.with_sampled(&read))
    }

    /// Reads the run inside a view's closure at the same moments as [`Runner::sampled`]: for the
    /// numbers, tables and cards around a stage, which no reader can follow at 60 changes a
    /// second and which cost a frame's budget to rebuild that often.
    pub fn with_sampled<R>(&self, read: impl FnOnce(&Timeline<S>) -> R) -> R {
        track_phase(self.phases);
        self.timeline.with_untracked(read)
    }

    /// [`Runner::with_sampled`], redrawn in `phase`'s frame of a round while the run plays: for a
    /// block (a table, a grid of figures) read straight from the run. A block that reads
    /// [`Runner::sampled`] signals enters its phase instead ([`Phase::enter`]).
    pub fn with_sampled_in<R>(&self, phase: Phase, read: impl FnOnce(&Timeline<S>) -> R) -> R {
        track_in(self.phases, phase);
        self.timeline.with_untracked(read)
    }

    /// The moment the stage's whole picture was last redrawn for, tracked.
    fn stage_moment(&self) -> f64 {
        self.phases.with_value(|phases| phases[Phase::STAGE.0]).get()
    }

    /// Redraws every phase now (a step, a scrub, an action, a pause, the end of the run).
    fn redraw_charts(&self) {
        for phase in 0..PHASES {
            self.redraw_phase(phase);
        }
    }

    /// Redraws one phase now (the clock, one phase a frame while the run plays).
    fn redraw_phase(&self, phase: usize) {
        if let Some(signal) = self.phases.try_with_value(|phases| phases.get(phase).copied()).flatten() {
            signal.try_update(|moment| *moment += 1.0);
        }
    }

    fn after_manual_move(&self) {
        self.redraw_charts();
        self.narration.set(self.with_state(S::narrate));
        if !self.playing.get_untracked() {
            self.sync_url();
        }
    }

    /// After Play turns into Pause. While playing, the whole picture, the numbers and the
    /// narration follow sampled moments (at 8x one can be a second of simulated time behind);
    /// paused, they catch up with the tick the run stopped at, the one the address bar records,
    /// so the link reproduces exactly what is on the screen.
    pub fn paused(&self) {
        self.after_manual_move();
    }

    /// Keeps the address bar in step with the view, so reload and share reproduce it.
    pub fn sync_url(&self) {
        self.link.with_value(|(address, baseline)| address.replace(&self.link_pairs(baseline)));
    }
}
