//! The stage every simulation shows first: the model's own picture of the system at the current
//! tick (a `stage` function beside the model in `components`, drawn on the same `Sketch` as the
//! tool's poster). It is a pure function of the state, so scrubbing, stepping back and a shared
//! link show exactly the same picture.
//!
//! The picture comes in two layers. The requests move on every frame the run moves (with
//! reduced motion the clock moves in half-second steps, so they step too). The rest (the parts,
//! meters and words) and the spoken label follow the charts' clock (`Runner::sampled`): at once
//! when the reader steps, scrubs, acts or pauses, and at most every 150 ms while playing. (Drawn
//! on other frames than the charts, half a period later, they doubled the number of long frames
//! without making either kind much shorter: with the CPU throttled 4×, 52 to 57 frames over
//! 16 ms in 4 s of the retries run instead of 26, traced 2026-12-06.)
//! Redrawn on every frame at 8×, the words and parts took about 1 ms a frame more (measured
//! 2026-12 on the retries stage), and no reader follows numbers changing sixty times a second.
//! In the frames between, the drawing is made with `requests_only`, which lays the rest out
//! but does not write it.
//!
//! The rest is one string of SVG, written natively where tests check every text against its
//! canvas, with every text escaped by the `Sketch`; it replaces its group's children. The
//! requests are painted on a `<canvas>` laid over the picture (see `Layers::markup` for why a
//! canvas), from the same path data a poster draws, by the page's painter
//! (`sitegen/js/stage.js`, which says why it is JavaScript), in the inks the stylesheet gives
//! each outcome. A frame repaints the canvas only when some request moved. Plain DOM calls
//! rather than reactive attributes: those cost 2.7 KB of every staged tool's bundle.

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
}

/// The picture of `runner`'s run as `draw` paints it.
pub fn stage<S: Simulation + 'static>(runner: Runner<S>, draw: fn(&S) -> Sketch) -> impl IntoView {
    let holder = NodeRef::<leptos::html::Div>::new();
    let markup = runner.timeline.with_untracked(|timeline| draw(timeline.state()).layers()).markup();
    // The moment the whole picture was last drawn for; none yet, so the first run paints.
    let drawn_at = StoredValue::new(None::<u64>);
    let requests_drawn = StoredValue::new([const { String::new() }; 6]);
    Effect::new(move |_| {
        let moment = runner.charts.get();
        let whole = drawn_at.get_value() != Some(moment);
        let layers = runner.timeline.with(|timeline| requests_only(!whole, || draw(timeline.state())).layers());
        let Some(holder) = holder.get() else { return };
        let (Some(svg), Some(canvas)) = (holder.first_element_child(), holder.query_selector("canvas").ok().flatten()) else { return };
        if whole {
            drawn_at.set_value(Some(moment));
            let _ = svg.set_attribute("aria-label", &layers.label);
            let _ = svg.set_attribute("viewBox", &format!("0 0 {WIDTH} {}", layers.height));
            let _ = svg.set_attribute("height", &layers.height.to_string());
            if let Some(group) = svg.first_element_child() {
                group.set_inner_html(&layers.rest);
            }
        }
        if whole || requests_drawn.with_value(|drawn| *drawn != layers.moving) {
            let _ = paint_requests(&canvas, &layers.moving.join("|"), layers.height);
            requests_drawn.set_value(layers.moving);
        }
    });
    view! { <div class="viz__scene" node_ref=holder inner_html=markup></div> }
}
