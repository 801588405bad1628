//! The stage every simulation shows first: the model's own picture of the system at the current
//! tick (a `stage` function beside the model in `components`, drawn on the same `Sketch` as the
//! tool's poster). It is a pure function of the state, so scrubbing, stepping back and a shared
//! link show exactly the same picture; it is redrawn on every frame the run moves (with reduced
//! motion the clock moves in half-second steps, so the picture steps too).
//!
//! The drawing arrives as one string of SVG and replaces the element's children: it changes
//! whole on every tick anyway, and the models write it natively, where tests check every text
//! against its canvas. Every text in it was escaped by the `Sketch`.

use super::Runner;
use atlas_components::sim::Simulation;
use atlas_components::viz::poster::Sketch;
use leptos::prelude::*;

/// The picture of `runner`'s run as `draw` paints it.
pub fn stage<S: Simulation + 'static>(runner: Runner<S>, draw: fn(&S) -> Sketch) -> impl IntoView {
    let svg = move || runner.timeline.with(|timeline| draw(timeline.state()).finish().svg);
    view! { <div class="viz__scene" inner_html=svg></div> }
}
