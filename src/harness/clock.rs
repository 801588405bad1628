//! The clock: advances the run at the chosen speed while it is playing, the tab is visible and
//! the tool is on screen. Animation frames are requested only in that state, one at a time, so
//! a paused, hidden or scrolled-away tool costs nothing per frame. With reduced motion it
//! advances in discrete half-second jumps.

use super::{Runner, PHASES};
use crate::dom;
use atlas_components::sim::Simulation;
use gloo_events::EventListener;
use gloo_render::{request_animation_frame, AnimationFrame};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// At most this many ticks per frame, so a slow device drops speed rather than frames.
const MAX_TICKS_PER_FRAME: f64 = 400.0;
const NARRATE_EVERY_MS: f64 = 1500.0;
const REDUCED_MOTION_STEP_MS: f64 = 500.0;
/// While a run plays, a round of its sampled redraws begins at most this often (see
/// `Runner::sampled` and `Phase`).
pub const CHART_EVERY_MS: f64 = 150.0;

/// The loop's state between frames. The pending frame is cancelled when it is dropped.
struct Loop<S: Simulation + 'static> {
    runner: Runner<S>,
    reduced_motion: bool,
    pending: RefCell<Option<AnimationFrame>>,
    last_frame: Cell<Option<f64>>,
    carry: Cell<f64>,
    since_narration: Cell<f64>,
    since_charts: Cell<f64>,
    /// The phase of the round under way that the next frame redraws.
    round: Cell<Option<usize>>,
}

impl<S: Simulation + 'static> Loop<S> {
    /// Requests the next frame if the run should move and none is pending.
    fn schedule(self: &Rc<Self>, running: bool) {
        if !running {
            // Dropping the handle cancels the frame: nothing runs until play resumes.
            self.pending.borrow_mut().take();
            self.last_frame.set(None);
            return;
        }
        if self.pending.borrow().is_some() {
            return;
        }
        let this = Rc::clone(self);
        *self.pending.borrow_mut() = Some(request_animation_frame(move |now| {
            this.pending.borrow_mut().take();
            let still_running = this.frame(now);
            this.schedule(still_running);
        }));
    }

    /// Advances the run by the time since the last frame; returns whether it should keep going.
    fn frame(&self, now: f64) -> bool {
        let runner = self.runner;
        let elapsed = self.last_frame.get().map_or(0.0, |last| (now - last).clamp(0.0, 100.0));
        self.last_frame.set(Some(now));
        let speed = runner.speed.try_get_untracked().unwrap_or(1.0);
        let budget = self.carry.get() + elapsed / 1000.0 * runner.ticks_per_second * speed;
        let due = if self.reduced_motion { budget >= runner.ticks_per_second * speed * REDUCED_MOTION_STEP_MS / 1000.0 } else { budget >= 1.0 };
        if due {
            let ticks = budget.floor().min(MAX_TICKS_PER_FRAME);
            self.carry.set(if ticks < budget.floor() { 0.0 } else { budget - ticks });
            let mut ended = false;
            runner.timeline.try_update(|timeline| {
                for _ in 0..ticks as u64 {
                    timeline.step_forward();
                }
                ended = timeline.at_end();
            });
            if ended {
                runner.redraw_charts();
                runner.playing.try_set(false);
                runner.sync_url();
                return false;
            }
        } else {
            self.carry.set(budget);
        }
        self.since_charts.set(self.since_charts.get() + elapsed);
        if let Some(phase) = self.round.get() {
            runner.redraw_phase(phase);
            self.round.set((phase + 1 < PHASES).then_some(phase + 1));
        } else if due && (self.reduced_motion || self.since_charts.get() >= CHART_EVERY_MS) {
            self.since_charts.set(0.0);
            if self.reduced_motion {
                // Each step is the only change a reader sees: the whole view takes it at once.
                runner.redraw_charts();
            } else {
                runner.redraw_phase(0);
                self.round.set(Some(1));
            }
        }
        self.since_narration.set(self.since_narration.get() + elapsed);
        if self.since_narration.get() >= NARRATE_EVERY_MS {
            self.since_narration.set(0.0);
            runner.narration.try_set(runner.with_state(S::narrate));
        }
        runner.playing.try_get_untracked().unwrap_or(false)
    }
}

pub fn start<S: Simulation + 'static>(runner: Runner<S>, root: &web_sys::Element) {
    let reduced_motion = dom::window().match_media("(prefers-reduced-motion: reduce)").ok().flatten().is_some_and(|query| query.matches());
    let on_screen = RwSignal::new(true);
    let tab_visible = RwSignal::new(!dom::document().hidden());
    let clock = Rc::new(Loop { runner, reduced_motion, pending: RefCell::new(None), last_frame: Cell::new(None), carry: Cell::new(0.0), since_narration: Cell::new(0.0), since_charts: Cell::new(0.0), round: Cell::new(None) });

    let visibility = EventListener::new(&dom::document(), "visibilitychange", move |_| {
        tab_visible.try_set(!dom::document().hidden());
    });
    let observer = watch_on_screen(root, on_screen);
    // The loop and both watchers belong to the tool's reactive owner and are removed with it
    // (one stored value: each type stored costs its own copy of the storage's code).
    let stored = StoredValue::new_local((clock, visibility, observer));
    super::redraw(move |_| {
        let running = runner.playing.get() && tab_visible.get() && on_screen.get();
        if !running {
            // Paused (or out of sight): the charts catch up with the last frame.
            runner.redraw_charts();
        }
        stored.with_value(|(clock, _, _)| clock.schedule(running));
    });
}

/// An `IntersectionObserver` that reports whether `root` is on screen; disconnected on drop.
struct OnScreenObserver {
    observer: Option<web_sys::IntersectionObserver>,
    _callback: Closure<dyn FnMut(js_sys::Array)>,
}

impl Drop for OnScreenObserver {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}

fn watch_on_screen(root: &web_sys::Element, on_screen: RwSignal<bool>) -> OnScreenObserver {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        for entry in entries.iter() {
            if let Ok(entry) = entry.dyn_into::<web_sys::IntersectionObserverEntry>() {
                on_screen.try_set(entry.is_intersecting());
            }
        }
    });
    let observer = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()).ok();
    if let Some(observer) = &observer {
        observer.observe(root);
    }
    OnScreenObserver { observer, _callback: callback }
}
