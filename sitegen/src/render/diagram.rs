//! A diagram on a page: the SVG, its walk-through and its text alternative.

use atlas_components::diagram::RenderedDiagram;
use maud::{html, Markup, PreEscaped};

/// The figure. Without JavaScript the steps read as a numbered list; the app turns them into a
/// step-through with buttons and arrow keys.
pub fn figure(diagram: &RenderedDiagram) -> Markup {
    let steps_id = format!("dg-{}-steps", diagram.name);
    html! {
        figure class={ "diagram diagram--" (diagram.kind) } data-island="diagram" data-diagram=(diagram.name) {
            div class="diagram__canvas" { (PreEscaped(&diagram.svg)) }
            figcaption class="diagram__caption" {
                strong { (diagram.title) }
                " — " (diagram.description)
            }
            @if !diagram.steps.is_empty() {
                // The app mounts the step-through here; the space is kept so nothing jumps.
                div class="diagram__controls" {}
                div class="diagram__walk" {
                    p class="diagram__walk-title" id=(steps_id) { "Step by step" }
                    ol class="dg-steps" aria-labelledby=(steps_id) {
                        @for step in &diagram.steps {
                            li data-highlight=(step.highlight.join(" ")) {
                                strong { (step.title) } " " (step.caption)
                            }
                        }
                    }
                }
            }
            details class="diagram__text" {
                summary { "Text description of the diagram" }
                @if !diagram.alternative.elements.is_empty() {
                    p { "Elements:" }
                    ul { @for element in &diagram.alternative.elements { li { (element) } } }
                }
                @if !diagram.alternative.connections.is_empty() {
                    p { "Connections:" }
                    ul { @for connection in &diagram.alternative.connections { li { (connection) } } }
                }
            }
        }
    }
}
