//! The stage every simulation shows first: the model's own picture of the system at the current
//! tick (a `stage` function beside the model in `components`, drawn on the same `Sketch` as the
//! tool's poster). It is a pure function of the state, so scrubbing, stepping back and a shared
//! link show exactly the same picture.
//!
//! The picture comes in two layers. The requests move on every frame the run moves (with
//! reduced motion the clock moves in half-second steps, so they step too). The rest (the parts,
//! meters and words) and the spoken label follow the charts' clock (`Runner::sampled`): at once
//! when the reader steps, scrubs, acts or pauses, and at most every 150 ms while playing.
//! Redrawn on every frame at 8×, the words and parts took about 1 ms a frame more (measured
//! 2026-12 on the retries stage), and no reader follows numbers changing sixty times a second.
//! In the frames between, the drawing is made with `requests_only`, which lays the rest out
//! but does not write it.
//!
//! The rest is one string of SVG, written natively where tests check every text against its
//! canvas, with every text escaped by the `Sketch`; it replaces its group's children. The
//! requests are one path per outcome, always present, on a sheet of their own laid over the
//! picture (`Layers::markup`): a frame sets the `d` of those whose data changed, so no element
//! is built or styled anew sixty times a second, and only that sheet is laid out and repainted. Plain DOM calls rather
//! than reactive attributes: those cost 2.7 KB of every staged tool's bundle.

use super::Runner;
use atlas_components::sim::Simulation;
use atlas_components::viz::poster::{requests_only, Sketch, WIDTH};
use leptos::prelude::*;

/// The picture of `runner`'s run as `draw` paints it.
pub fn stage<S: Simulation + 'static>(runner: Runner<S>, draw: fn(&S) -> Sketch) -> impl IntoView {
    let holder = NodeRef::<leptos::html::Div>::new();
    let first = runner.timeline.with_untracked(|timeline| draw(timeline.state()).layers());
    let markup = first.markup();
    let drawn_at = StoredValue::new(runner.charts.get_untracked());
    let requests_drawn = StoredValue::new(first.moving);
    Effect::new(move |_| {
        let moment = runner.charts.get();
        let whole = moment != drawn_at.get_value();
        let layers = runner.timeline.with(|timeline| requests_only(!whole, || draw(timeline.state())).layers());
        let Some(holder) = holder.get() else { return };
        let (Some(svg), Some(overlay)) = (holder.first_element_child(), holder.last_element_child()) else { return };
        let paths = overlay.children();
        requests_drawn.update_value(|drawn| {
            for (index, (data, before)) in layers.moving.iter().zip(drawn.iter_mut()).enumerate() {
                if data != before {
                    if let Some(path) = paths.item(index as u32) {
                        let _ = path.set_attribute("d", data);
                    }
                    before.clone_from(data);
                }
            }
        });
        if whole {
            drawn_at.set_value(moment);
            let _ = svg.set_attribute("aria-label", &layers.label);
            let view_box = format!("0 0 {WIDTH} {}", layers.height);
            for sheet in [&svg, &overlay] {
                let _ = sheet.set_attribute("viewBox", &view_box);
                let _ = sheet.set_attribute("height", &layers.height.to_string());
            }
            if let Some(rest) = svg.first_element_child() {
                rest.set_inner_html(&layers.rest);
            }
        }
    });
    view! { <div class="viz__scene" node_ref=holder inner_html=markup></div> }
}
