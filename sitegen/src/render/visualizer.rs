//! A visualizer page: the words are prerendered; the tool mounts into its island.

use crate::links::Linker;
use crate::model::Site;
use crate::visualizers::Visualizer;
use maud::{html, Markup, PreEscaped};

pub fn visualizer_main(site: &Site, visualizer: &Visualizer, linker: &Linker) -> Markup {
    let module = site.modules.iter().find(|module| module.slug == visualizer.front.module);
    html! {
        (super::breadcrumbs(&[("Visualizers", linker.url("/visualizers"))], &visualizer.front.title))
        header class="page-header" {
            p class="eyebrow" { "Visualizer" @if let Some(module) = module { " · " (module.title) } }
            h1 { (visualizer.front.title) }
            p class="lede" { (visualizer.front.summary) }
            p class="viz-privacy" { "Runs entirely in your browser: nothing you do or type here leaves this page." }
        }
        section class="viz" data-island="viz" data-viz=(visualizer.front.slug) tabindex="0" aria-label={ (visualizer.front.title) ": interactive. " (visualizer.front.controls) } {
            h2 class="sr-only" { "The " (visualizer.front.title) " tool" }
            p class="viz__controls-hint" { (visualizer.front.controls) }
            div class="viz__loading" {
                div class="viz__poster" { (PreEscaped(&visualizer.poster)) }
                p class="viz__loading-note" { "Loading the interactive tool…" }
                noscript { p { "This visualizer runs in your browser and needs JavaScript. The explanation below reads without it." } }
            }
        }
        div class="prose" { (PreEscaped(&visualizer.body.html)) }
        section aria-labelledby="viz-related" {
            h2 id="viz-related" { "Related" }
            ul class="link-list related" {
                @for id in &visualizer.front.patterns {
                    @if let Some(pattern) = site.pattern_by_id(id) {
                        li { a href=(linker.url(&pattern.route())) { (pattern.title) } " " span class="mono muted" { (pattern.id) } }
                    }
                }
                @if let Some(module) = module {
                    li { a href=(linker.url(&module.route())) { "Module: " (module.title) } }
                }
            }
        }
        (super::long::put_to_work(site, &visualizer.route(), linker))
        (super::sources(&visualizer.front.sources))
    }
}
