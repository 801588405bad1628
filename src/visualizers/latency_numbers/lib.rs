//! The latency numbers visualizer: first the race (the operations started together on a clock
//! that speeds up, at human scale, see `viz::latency::race`), then the classic table on a
//! logarithmic bar chart, a year selector, a comparison year drawn as markers, and the human
//! scale (L1 hit = 1 second). Every number, year and source comes from the model; this file
//! only draws them.

use atlas_components::viz::latency::race::{stage as draw_race, Race, RACE_LIMIT, RACE_TICKS_PER_SECOND};
use atlas_components::viz::latency::{
    comparison_for, format_duration, format_human, format_ratio, shared_axis, snapshot_for, Category, LogAxis, Operation, Snapshot, SourceKind, LATENCY_PARAMS,
    SNAPSHOTS, SOURCES,
};
use atlas::harness::fit::{fitted_width, FitWidth};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::ruler::{self, Font};
use atlas::harness::{stage, Controls, Runner};
use leptos::prelude::*;
use web_sys::HtmlElement;

/// The chart is drawn for the width it is shown at (one unit per CSS px). From
/// `LABELS_BESIDE_FROM` px each operation is named left of its bar; narrower (a phone), above
/// it, with its value at the right end of the same line.
const FIT: FitWidth = FitWidth { min: 280.0, max: 760.0 };
const LABELS_BESIDE_FROM: f64 = 560.0;
const LABEL_WIDTH: f64 = 226.0;
const VALUE_SPACE: f64 = 70.0;
const TOP: f64 = 8.0;
const AXIS_SPACE: f64 = 30.0;
/// The axis labels' font, as `.latency-chart text` and `.chart__grid text` set it.
const TICK_FONT: Font = Font::mono(12.0);

/// Where the bars go at one width.
#[derive(Clone, Copy)]
struct BarLayout {
    width: f64,
    labels_beside: bool,
    plot_left: f64,
    plot_right: f64,
    row: f64,
    bar: f64,
    /// From a row's top to its bar's top.
    bar_offset: f64,
}

impl BarLayout {
    fn for_width(width: f64) -> Self {
        if width >= LABELS_BESIDE_FROM {
            Self { width, labels_beside: true, plot_left: LABEL_WIDTH + 8.0, plot_right: width - VALUE_SPACE, row: 26.0, bar: 16.0, bar_offset: 2.0 }
        } else {
            Self { width, labels_beside: false, plot_left: 4.0, plot_right: width - 12.0, row: 29.0, bar: 11.0, bar_offset: 15.0 }
        }
    }
}

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Race>::start(&tool, LATENCY_PARAMS, RACE_TICKS_PER_SECOND, RACE_LIMIT)));
}

fn category_class(category: Category) -> &'static str {
    match category {
        Category::Cpu => "latency-bar--cpu",
        Category::Memory => "latency-bar--memory",
        Category::Storage => "latency-bar--storage",
        Category::Network => "latency-bar--network",
    }
}

/// The value as printed next to its bar: estimates carry "≈", computed figures "=".
fn x_of(layout: BarLayout, axis: &LogAxis, nanos: f64) -> f64 {
    layout.plot_left + axis.fraction(nanos) * (layout.plot_right - layout.plot_left)
}

fn view(runner: Runner<Race>) -> impl IntoView {
    // The three choices are the run's parameters: changing one starts the race again, and the
    // link records them with the race's time.
    let set = move |key: &'static str, raw: String| {
        // The choices offered are exactly the schema's, so this only fails on a tampered page.
        let _ = runner.set_param(key, &raw);
    };
    // Memos: the timeline changes every frame of the race, the choices only when picked.
    let params = Memo::new(move |_| runner.params());
    let shown = Memo::new(move |_| params.with(|p| snapshot_for(p.choice("year"))));
    let compared = Memo::new(move |_| params.with(|p| comparison_for(p.choice("vs"), snapshot_for(p.choice("year")))));
    let asked = Memo::new(move |_| params.with(|p| Operation::from_key(p.choice("ask")).unwrap_or(Operation::DiskSeek)));
    let container = NodeRef::new();
    let width = fitted_width(container, FIT);

    view! {
        {stage(runner, draw_race)}
        <Controls runner=runner format_time=Callback::new(|tick: u64| format!("{:.2} s", tick as f64 / RACE_TICKS_PER_SECOND)) />
        <div class="viz__grid">
            <div class="viz__stage">
                <p class="latency-scale" aria-live="polite">{move || shown.get().human_sentence(asked.get())}</p>
                <div class="viz__drawing" node_ref=container>{move || chart(shown.get(), compared.get(), BarLayout::for_width(width.get()))}</div>
                <ul class="latency-legend">
                    <li><span class="latency-swatch latency-bar--cpu"></span>"CPU"</li>
                    <li><span class="latency-swatch latency-bar--memory"></span>"Memory"</li>
                    <li><span class="latency-swatch latency-bar--storage"></span>"Storage"</li>
                    <li><span class="latency-swatch latency-bar--network"></span>"Network"</li>
                    <li><span class="latency-swatch latency-swatch--estimate"></span>"≈ dashed: estimate"</li>
                    <li><span aria-hidden="true">"◆ "</span>{move || compared.get().map(|s| format!("where it was in {}", s.year)).unwrap_or_else(|| "no comparison".to_string())}</li>
                </ul>
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Year"</legend>
                    <div class="button-row" role="radiogroup" aria-label="Year shown">
                        {SNAPSHOTS.iter().map(|snapshot| {
                            let year = snapshot.year.to_string();
                            let checked = year.clone();
                            view! {
                                <button type="button" class="chip" role="radio"
                                    aria-checked=move || params.with(|p| p.choice("year") == checked).to_string()
                                    on:click=move |_| set("year", year.clone())>{snapshot.year.to_string()}</button>
                            }
                        }).collect_view()}
                    </div>
                    <p class="muted">{move || shown.get().title}</p>
                    <div class="field">
                        <label for=scoped_id("latency-vs")>"Compare with (◆ markers)"</label>
                        <select id=scoped_id("latency-vs") prop:value=move || params.with(|p| p.choice("vs").to_string()) on:change=move |event| set("vs", event_target_value(&event))>
                            <option value="none">"Nothing"</option>
                            {SNAPSHOTS.iter().map(|snapshot| view! { <option value=snapshot.year.to_string()>{snapshot.title}</option> }).collect_view()}
                        </select>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Human scale"</legend>
                    <div class="field">
                        <label for=scoped_id("latency-ask")>"If an L1 cache hit took one second, how long would this take?"</label>
                        <select id=scoped_id("latency-ask") prop:value=move || params.with(|p| p.choice("ask").to_string()) on:change=move |event| set("ask", event_target_value(&event))>
                            {Operation::ALL.iter().map(|operation| view! { <option value=operation.key()>{operation.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <p class="latency-scale__answer"><strong>{move || shown.get().human_seconds(asked.get()).map(format_human).unwrap_or_default()}</strong>
                        {move || shown.get().figure(asked.get()).map(|figure| format!(" (really {}, {})", format_duration(figure.nanos), figure.year))}</p>
                </fieldset>
            </div>
        </div>
        <h3>"Every figure, with its year and source"</h3>
        {move || table(shown.get(), compared.get())}
        <h3>"Sources"</h3>
        <ol class="latency-sources">
            {SOURCES.iter().map(|source| view! {
                <li>
                    <strong>{source.name}</strong>" ("{source.kind.label()}"): "
                    {if source.url.is_empty() {
                        source.citation.into_any()
                    } else {
                        view! { <a href=source.url rel="noopener noreferrer">{source.citation}</a> }.into_any()
                    }}
                </li>
            }).collect_view()}
        </ol>
    }
}

fn chart(shown: &'static Snapshot, compared: Option<&'static Snapshot>, layout: BarLayout) -> impl IntoView {
    let axis = shared_axis();
    let rows = Operation::ALL.len() as f64;
    let plot_bottom = TOP + rows * layout.row;
    let height = plot_bottom + AXIS_SPACE;
    let width = layout.width;
    let label = format!(
        "Logarithmic bar chart of {} latencies in {}, from {} to {}{}. The table below lists every value.",
        Operation::ALL.len(),
        shown.year,
        format_duration(shown.range().0),
        format_duration(shown.range().1),
        compared.map(|s| format!(", with markers at the {} values", s.year)).unwrap_or_default()
    );
    let ticks = axis.ticks();
    // Every tick gets its grid line; labels go on every k-th, as many as fit side by side, each
    // kept inside the drawing.
    let spacing = (layout.plot_right - layout.plot_left) / (ticks.len().max(2) - 1) as f64;
    let widest = ticks.iter().map(|(_, text)| ruler::text_width(text, TICK_FONT)).fold(0.0, f64::max);
    let label_every = (((widest + 8.0) / spacing).ceil() as usize).max(1);
    view! {
        <svg class="latency-chart fitted" viewBox=format!("0 0 {width} {height}") role="img" aria-label=label>
            <g class="chart__grid">
                {ticks.into_iter().enumerate().map(|(index, (nanos, text))| {
                    let x = x_of(layout, &axis, nanos);
                    let half = ruler::text_width(&text, TICK_FONT) / 2.0;
                    view! {
                        <line x1=x x2=x y1=TOP y2=plot_bottom />
                        {(index % label_every == 0).then(|| view! { <text x=x.clamp(half + 2.0, width - half - 2.0) y=plot_bottom + 18.0 text-anchor="middle">{text}</text> })}
                    }
                }).collect_view()}
            </g>
            {Operation::ALL.iter().enumerate().map(|(index, operation)| {
                let y = TOP + index as f64 * layout.row;
                let bar_top = y + layout.bar_offset;
                let figure = shown.figure(*operation);
                let before = compared.and_then(|snapshot| snapshot.figure(*operation));
                let name = if layout.labels_beside {
                    view! { <text class="latency-label" x=LABEL_WIDTH y=bar_top + layout.bar - 5.0 text-anchor="end">{operation.label()}</text> }
                } else {
                    view! { <text class="latency-label" x=layout.plot_left y=y + 11.0 text-anchor="start">{operation.label()}</text> }
                };
                view! {
                    <g class="latency-row">
                        {name}
                        {figure.map(|figure| {
                            let end = x_of(layout, &axis, figure.nanos);
                            let estimate = figure.source.kind == SourceKind::Estimate;
                            let class = format!("latency-bar {}{}", category_class(operation.category()), if estimate { " latency-bar--estimate" } else { "" });
                            let title = format!("{}: {} ({}, {}, {})", operation.label(), format_duration(figure.nanos), figure.year, figure.source.name, figure.source.kind.label());
                            // Beside the bar, past the comparison marker if that is further right.
                            let marker_end = before.map_or(end, |before| x_of(layout, &axis, before.nanos) + 6.0);
                            let value = if layout.labels_beside {
                                view! { <text class="latency-value" x=end.max(marker_end) + 6.0 y=bar_top + layout.bar - 4.0 text-anchor="start">{figure.value_label()}</text> }
                            } else {
                                view! { <text class="latency-value" x=width - 4.0 y=y + 11.0 text-anchor="end">{figure.value_label()}</text> }
                            };
                            view! {
                                <rect class=class x=layout.plot_left y=bar_top width=(end - layout.plot_left).max(1.0) height=layout.bar><title>{title}</title></rect>
                                {value}
                            }
                        })}
                        {before.map(|figure| {
                            let x = x_of(layout, &axis, figure.nanos);
                            let mid = bar_top + layout.bar / 2.0;
                            let half = (layout.bar / 2.0).min(8.0);
                            view! {
                                <path class="latency-marker" d=format!("M{x:.1} {:.1}l{} {half}l-{} {half}l-{} -{half}z", mid - half, half * 0.75, half * 0.75, half * 0.75)>
                                    <title>{format!("{} in {}: {}", operation.label(), figure.year, format_duration(figure.nanos))}</title>
                                </path>
                            }
                        })}
                    </g>
                }
            }).collect_view()}
        </svg>
    }
}

fn table(shown: &'static Snapshot, compared: Option<&'static Snapshot>) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)">
            <table class="latency-table">
                <thead>
                    <tr>
                        <th scope="col">"Operation"</th>
                        <th scope="col">{format!("Time ({})", shown.year)}</th>
                        <th scope="col">"If L1 took 1 s"</th>
                        <th scope="col">{compared.map(|s| format!("Compared with {}", s.year)).unwrap_or_else(|| "Compared with".to_string())}</th>
                        <th scope="col">"Holds for · source"</th>
                        <th scope="col">"What exactly"</th>
                    </tr>
                </thead>
                <tbody>
                    {Operation::ALL.iter().filter_map(|operation| shown.figure(*operation).map(|figure| (*operation, figure))).map(|(operation, figure)| {
                        let change = compared
                            .and_then(|snapshot| snapshot.figure(operation).map(|before| format_ratio(figure.nanos, before.nanos, snapshot.year)))
                            .unwrap_or_else(|| "—".to_string());
                        view! {
                            <tr>
                                <th scope="row">{operation.label()}<span class="muted">{format!(" · {}", operation.category().label())}</span></th>
                                <td class="mono-break">{figure.value_label()}</td>
                                <td>{shown.human_seconds(operation).map(format_human).unwrap_or_default()}</td>
                                <td>{change}</td>
                                <td>{format!("{} · {} ({})", figure.year, figure.source.name, figure.source.kind.label())}</td>
                                <td class="muted">{figure.note}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
