//! The stage every simulation shows first: the model's own picture of the system at the current
//! tick (a `stage` function beside the model in `components`, drawn on the same `Sketch` as the
//! tool's poster). It is a pure function of the state, so scrubbing, stepping back and a shared
//! link show exactly the same picture.
//!
//! The picture comes in two layers. The requests move on every frame the run moves (with
//! reduced motion the clock moves in half-second steps, so they step too). The rest (the parts,
//! meters and words) and the spoken label follow the charts' clock (`Runner::sampled`): at once
//! when the reader steps, scrubs, acts or pauses, and at most every 150 ms while playing, in the
//! first frame of each round of sampled redraws ([`super::Phase::STAGE`]; the charts and tables
//! follow in the next frames). Spread that way, and painted rather than written as SVG while
//! playing (below), the stage's frame no longer holds the charts' work: with the CPU throttled
//! 4× and the run at 8×, the frames Chromium missed in 4 s of the retries tool fell from 36 to
//! 19, of circuit-breaker from 22 to 7 (2026-12-07, `tests/e2e/bench/intervals.mjs`).
//! Redrawn on every frame at 8×, the words and parts took about 1 ms a frame more (measured
//! 2026-12 on the retries stage), and no reader follows numbers changing sixty times a second.
//! In the frames between, the drawing is made with `requests_only`, which lays the rest out
//! but does not write it.
//!
//! The rest is one string of SVG, written natively where tests check every text against its
//! canvas, with every text escaped by the `Sketch`. Paused (or stepped, scrubbed, reloaded), it
//! replaces its group's children, where the browser suite reads and checks it. While the run
//! plays, the page's still painter (`sitegen/js/stage-still.js`, which says why) paints the same
//! SVG under the requests on their canvas instead, over the emptied group, and Pause brings the
//! SVG back. The requests are painted on a `<canvas>` laid over the picture (see
//! `Layers::markup` for why a canvas), from the same path data a poster draws, by the page's painter
//! (`sitegen/js/stage.js`, which says why it is JavaScript), in the inks the stylesheet gives
//! each outcome; while the run plays, the still painter's worker paints them instead, with the
//! picture, on a canvas of its own laid over this one (`stage-still.js` says why), and the stage
//! hands them back to the page at every redraw while paused. A frame repaints the canvas only
//! when some request moved. Plain DOM calls rather than reactive attributes: those cost 2.7 KB
//! of every staged tool's bundle.

use super::Runner;
use atlas_components::sim::Simulation;
use atlas_components::viz::poster::{requests_only, Sketch, WIDTH};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `sitegen/js/stage.js`: paints `paths` (one outcome's path data after another, joined by
    /// `|`) on `canvas`, a picture `height` units tall. Fails, and the stage shows no requests,
    /// only on a page built without the painter.
    #[wasm_bindgen(catch, js_namespace = globalThis, js_name = atlasPaintRequests)]
    fn paint_requests(canvas: &web_sys::Element, paths: &str, height: f32) -> Result<(), JsValue>;

    /// `sitegen/js/stage.js`, then `stage-still.js`: paints `markup` (the rest of the picture),
    /// for `canvas` to show under its requests from their next paint on; with no markup, stops.
    /// Answers false, having painted nothing, while its painter is still on its way (the first
    /// time a run plays) or if it could not come: the stage then writes the SVG as when paused.
    #[wasm_bindgen(catch, js_namespace = globalThis, js_name = atlasPaintStill)]
    fn paint_still(canvas: &web_sys::Element, markup: &str, height: f32) -> Result<bool, JsValue>;
}

/// What a stage has drawn, from one run of its effect to the next.
#[derive(Default)]
struct Drawn {
    /// The moment the whole picture was last drawn for; none yet, so the first run paints.
    at: Option<f64>,
    /// The requests' path data, per outcome, last painted.
    requests: [String; 6],
    /// The rest of the picture is painted under the requests (and the SVG group is empty).
    on_canvas: bool,
    /// The picture's height as the SVG has it.
    height: Option<f32>,
}

/// The picture of `runner`'s run as `draw` paints it.
pub fn stage<S: Simulation + 'static>(runner: Runner<S>, draw: fn(&S) -> Sketch) -> impl IntoView {
    let holder = NodeRef::<leptos::html::Div>::new();
    let markup = runner.timeline.with_untracked(|timeline| draw(timeline.state()).layers()).markup();
    super::redraw(move |previous: Option<Drawn>| {
        let mut drawn = previous.unwrap_or_default();
        let moment = runner.stage_moment();
        let whole = drawn.at != Some(moment);
        let layers = runner.timeline.with(|timeline| requests_only(!whole, || draw(timeline.state())).layers());
        let Some(holder) = holder.get() else { return drawn };
        let (Some(svg), Some(canvas)) = (holder.first_element_child(), holder.query_selector("canvas.pv-overlay").ok().flatten()) else { return drawn };
        if whole {
            drawn.at = Some(moment);
            let _ = svg.set_attribute("aria-label", &layers.label);
            if drawn.height != Some(layers.height) {
                drawn.height = Some(layers.height);
                let _ = svg.set_attribute("viewBox", &format!("0 0 {WIDTH} {}", layers.height));
                let _ = svg.set_attribute("height", &layers.height.to_string());
            }
            let group = svg.first_element_child();
            let playing = runner.playing.get_untracked();
            if playing && paint_still(&canvas, &layers.rest, layers.height).unwrap_or(false) {
                if !drawn.on_canvas {
                    drawn.on_canvas = true;
                    if let Some(group) = group {
                        group.set_inner_html("");
                    }
                }
            } else {
                if let Some(group) = group {
                    group.set_inner_html(&layers.rest);
                }
                // Paused, always: the painter may have taken the requests before the picture.
                if drawn.on_canvas || !playing {
                    drawn.on_canvas = false;
                    let _ = paint_still(&canvas, "", layers.height);
                }
            }
        }
        if whole || drawn.requests != layers.moving {
            let _ = paint_requests(&canvas, &layers.moving.join("|"), layers.height);
            drawn.requests = layers.moving;
        }
        drawn
    });
    view! { <div class="viz__scene" node_ref=holder inner_html=markup></div> }
}
