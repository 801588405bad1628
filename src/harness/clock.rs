//! The clock: an animation-frame loop that advances the run at the chosen speed while it is
//! playing, visible and on screen. With reduced motion it advances in discrete half-second jumps.

use super::Runner;
use crate::dom;
use atlas_components::sim::Simulation;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// At most this many ticks per frame, so a slow device drops speed rather than frames.
const MAX_TICKS_PER_FRAME: f64 = 400.0;
const NARRATE_EVERY_MS: f64 = 1500.0;
const REDUCED_MOTION_STEP_MS: f64 = 500.0;

/// The animation-frame callback, which re-queues itself through a shared slot.
type FrameCallback = Closure<dyn FnMut(f64)>;

pub fn start<S: Simulation + 'static>(runner: Runner<S>, root: &web_sys::Element) {
    let on_screen = Rc::new(Cell::new(true));
    watch_visibility(root, on_screen.clone());
    let reduced_motion = dom::window()
        .match_media("(prefers-reduced-motion: reduce)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());

    let last_frame = Rc::new(Cell::new(None::<f64>));
    let carry = Rc::new(Cell::new(0.0));
    let since_narration = Rc::new(Cell::new(0.0));
    let frame: Rc<RefCell<Option<FrameCallback>>> = Rc::new(RefCell::new(None));
    let next = frame.clone();
    *frame.borrow_mut() = Some(Closure::new(move |now: f64| {
        let hidden = dom::document().hidden();
        let playing = runner.playing.try_get_untracked().unwrap_or(false);
        if playing && !hidden && on_screen.get() {
            let elapsed = last_frame.get().map_or(0.0, |last| (now - last).clamp(0.0, 100.0));
            let speed = runner.speed.try_get_untracked().unwrap_or(1.0);
            let budget = carry.get() + elapsed / 1000.0 * runner.ticks_per_second * speed;
            let due = if reduced_motion { budget >= runner.ticks_per_second * speed * REDUCED_MOTION_STEP_MS / 1000.0 } else { budget >= 1.0 };
            if due {
                let ticks = budget.floor().min(MAX_TICKS_PER_FRAME);
                carry.set(if ticks < budget.floor() { 0.0 } else { budget - ticks });
                let mut ended = false;
                runner.timeline.update(|timeline| {
                    for _ in 0..ticks as u64 {
                        timeline.step_forward();
                    }
                    ended = timeline.at_end();
                });
                if ended {
                    runner.playing.set(false);
                    runner.sync_url();
                }
            } else {
                carry.set(budget);
            }
            since_narration.set(since_narration.get() + elapsed);
            if since_narration.get() >= NARRATE_EVERY_MS {
                since_narration.set(0.0);
                runner.narration.set(runner.with_state(S::narrate));
            }
        }
        last_frame.set(Some(now));
        if let Some(callback) = next.borrow().as_ref() {
            let _ = dom::window().request_animation_frame(callback.as_ref().unchecked_ref());
        }
    }));
    if let Some(callback) = frame.borrow().as_ref() {
        let _ = dom::window().request_animation_frame(callback.as_ref().unchecked_ref());
    }
    // The loop lives as long as the page; the closure holds itself through `frame`.
    std::mem::forget(frame);
}

/// Pauses the clock while the visualizer is scrolled out of view.
fn watch_visibility(root: &web_sys::Element, on_screen: Rc<Cell<bool>>) {
    let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
        for entry in entries.iter() {
            if let Ok(entry) = entry.dyn_into::<web_sys::IntersectionObserverEntry>() {
                on_screen.set(entry.is_intersecting());
            }
        }
    });
    if let Ok(observer) = web_sys::IntersectionObserver::new(callback.as_ref().unchecked_ref()) {
        observer.observe(root);
        std::mem::forget(observer);
    }
    callback.forget();
}
