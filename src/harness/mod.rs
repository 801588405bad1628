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
pub use chart::{LineChart, Series, LINE_STYLES};
pub use controls::{copy_to_clipboard, Controls};
pub use kit::{use_tool, ToolContext};
pub use scene::stage;

use atlas_components::sim::{ParamSpec, Params, Simulation, Timeline};
use leptos::prelude::*;

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
    /// Counts the moments the charts are redrawn for (see [`Runner::sampled`]).
    charts: RwSignal<u64>,
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
            charts: RwSignal::new(0),
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
    /// [`clock::CHART_EVERY_MS`] while the run plays. Redrawn on every frame, six charts took
    /// more of the main thread than the 4 ms a frame DESIGN.md allows (about 6 ms a frame at 8×,
    /// measured 2026-12-05); the drawing of the system itself still moves every frame.
    pub fn sampled<T: 'static>(&self, read: impl Fn(&Timeline<S>) -> T + Send + Sync + 'static) -> Signal<T>
    where
        T: Send + Sync,
    {
        let runner = *self;
        Signal::derive(move || runner.with_sampled(&read))
    }

    /// Reads the run inside a view's closure at the same moments as [`Runner::sampled`]: for the
    /// numbers, tables and cards around a stage, which no reader can follow at 60 changes a
    /// second and which cost a frame's budget to rebuild that often.
    pub fn with_sampled<R>(&self, read: impl FnOnce(&Timeline<S>) -> R) -> R {
        self.charts.track();
        self.timeline.with_untracked(read)
    }

    /// Redraws the charts now.
    fn redraw_charts(&self) {
        self.charts.try_update(|moment| *moment += 1);
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
