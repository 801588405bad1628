//! The SLO and error budget visualizer: a target and window give a budget; incidents burn it,
//! drawn as budget remaining over time above the incident timeline; the workbook's three
//! multi-window burn-rate alerts show when each fires, how late, and what was spent by then.

use atlas::widgets::show_stats;
use atlas::harness::{redraw, stage, Controls, LineChart, Phase, Runner, Series};
use atlas::harness::fit::panel_beside_stage;
use atlas_components::viz::slo::stage::stage as draw_stage;
use atlas_components::chart::{nice_ticks, path, Scale};
use atlas_components::sim::number::{whole_number, NumberRule};
use atlas_components::sim::{ParamKind, Simulation, Timeline};
use atlas_components::viz::slo::schedule::{with_action, with_params, with_preset, without_action};
use atlas_components::viz::slo::{
    format_clock, format_minutes, format_rate, format_share, percent_to_ppb, ppb_to_percent_text, Action, IncidentSpec, Preset, Slo, MAX_INCIDENT_MINUTES,
    MINUTES_PER_DAY, PPB, RULES, SLO_PARAMS, TIMELINE_LIMIT,
};
use atlas::harness::fit::{fitted_width, island, FitWidth};
use atlas::harness::kit;
use atlas::harness::ruler::{self, Font};
use atlas_components::diagram::svg::escape;
use leptos::prelude::*;
use std::fmt::Write;
use web_sys::HtmlElement;

/// The budget chart is drawn for the width it is shown at (one unit per CSS px).
const BUDGET_FIT: FitWidth = FitWidth { min: 280.0, max: 760.0 };
/// The budget chart's labels, as `.slo-budget text` sets them.
const AXIS_FONT: Font = Font::mono(11.0);

/// Eight simulated hours per second at 1×: a 30-day window plays in 90 seconds.
const TICKS_PER_SECOND: f64 = 480.0;

/// Per rule: chart title, the long and short window labels, the threshold label, the short
/// code marking its firings on the budget chart, and its dash pattern there.
const RULE_LABELS: [(&str, &str, &str, &str, &str, &str); 3] = [
    ("Page: 14.4× burn over 1 h and 5 min", "1 h window", "5 min window", "threshold 14.4×", "P1", "2 3"),
    ("Page: 6× burn over 6 h and 30 min", "6 h window", "30 min window", "threshold 6×", "P2", "7 3"),
    ("Ticket: 1× burn over 3 days and 6 h", "3 day window", "6 h window", "threshold 1×", "T", "12 3 2 3"),
];

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Slo>::start(&tool, SLO_PARAMS, TICKS_PER_SECOND, TIMELINE_LIMIT)));
}

/// Swaps in a rebuilt run (incidents placed in time, a preset, new parameters).
fn replace_run(runner: Runner<Slo>, timeline: Timeline<Slo>) {
    runner.timeline.set(timeline);
    runner.narration.set(runner.with_state(Slo::narrate));
    runner.sync_url();
}

fn window_days(runner: Runner<Slo>) -> f64 {
    runner.timeline.with(|t| t.state().config().window_minutes) as f64 / MINUTES_PER_DAY as f64
}


fn describe_action(at: u64, action: &Action) -> String {
    match action {
        Action::Inject(spec) => format!("{}: {}% errors for {}", format_clock(at), ppb_to_percent_text(spec.error_ppb), format_minutes(spec.minutes)),
        Action::Resolve => format!("{}: resolve whatever is going on", format_clock(at)),
    }
}

fn view(runner: Runner<Slo>) -> impl IntoView {
    let open = panel_beside_stage();
    // A memo: the window only changes with the settings, so the charts are not laid out again
    // on every frame (they follow the sampled series).
    let x_range = Memo::new(move |_| (0.0, window_days(runner)));
    // Redrawn only when the actions change, so a focused Remove button survives playing.
    let actions = Memo::new(move |_| runner.timeline.with(|t| t.actions().to_vec()));
    let container = NodeRef::new();
    let width = fitted_width(container, BUDGET_FIT);
    // The budget's chart and the alerts are redrawn in frames of their own while the run plays.
    let (chart_phase, alerts_phase) = (Phase::block(), Phase::block());
    let figures = NodeRef::new();
    redraw(move |_| runner.with_sampled(|t| {
        let s = t.state();
        show_stats(figures, &[
            ("Error budget", format!("{} min of outage", format_rate(s.config().budget_minutes()))),
            ("Budget in requests", whole_number(s.config().budget_requests())),
            ("Budget left", if s.budget_remaining() < 0.0 { format!("overspent {}", format_share(-s.budget_remaining())) } else { format_share(s.budget_remaining()) }),
            ("Failed requests", whole_number(s.failed_requests())),
            ("Errors now", format!("{}%", ppb_to_percent_text(s.error_ppb_now()))),
            ("Burn rate now", format!("{}×", format_rate(s.burn_rate_now()))),
        ])
    }));
    let figures_island = island();
    let table_island = island();
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(format_clock) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="viz__island" node_ref=figures_island><dl class="stat-grid" node_ref=figures></dl></div>
                <div class="viz__drawing viz__figure" node_ref=container>{move || { let width = width.get(); runner.with_sampled_in(chart_phase, |t| budget_chart(t.state(), width)) }}</div>
                <h3>"Alerts"</h3>
                <div class="viz__island" node_ref=table_island><div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)"><table class="slo-alerts">
                    <thead><tr><th scope="col">"Alert rule"</th><th scope="col">"Burn now (long / short)"</th><th scope="col">"State"</th><th scope="col">"Fired"</th></tr></thead>
                    <tbody inner_html=move || runner.with_sampled_in(alerts_phase, |t| alert_rows(t.state()))></tbody>
                </table></div></div>
                <h3>"Burn rate over each alert's windows"</h3>
                <p class="muted">"An alert fires while both of its lines are above its threshold. Lines above the top of a chart are cut off."</p>
                {RULES.iter().zip(RULE_LABELS).map(|(rule, (title, long_label, short_label, threshold_label, _, _))| {
                    let (long, short, threshold) = (rule.long_minutes, rule.short_minutes, rule.burn_rate());
                    let series = runner.sampled(move |t| {
                        let slo = t.state();
                        let days = |points: Vec<(u64, f64)>| points.into_iter().map(|(minute, burn)| (minute as f64 / MINUTES_PER_DAY as f64, burn)).collect();
                        let end = slo.config().window_minutes as f64 / MINUTES_PER_DAY as f64;
                        vec![
                            Series { label: long_label, colour: "var(--series-2)", dash: "", points: days(slo.burn_points(long)) },
                            Series { label: short_label, colour: "var(--series-1)", dash: "6 3", points: days(slo.burn_points(short)) },
                            Series { label: threshold_label, colour: "var(--series-4)", dash: "2 4", points: vec![(0.0, threshold), (end, threshold)] },
                        ]
                    });
                    view! { <LineChart title=title series=series x_range=x_range y_max=threshold * 4.0 unit="×" /> }
                }).collect_view()}
            </div>
            <div class="viz__panel">
                <IncidentForm runner=runner />
                <fieldset>
                    <legend>"Presets (replace the incidents)"</legend>
                    <div class="button-row">
                        {Preset::ALL.into_iter().map(|preset| view! {
                            <button type="button" class="button" on:click=move |_| {
                                let run = runner.timeline.with_untracked(|t| with_preset(t, preset));
                                replace_run(runner, run);
                            }>{preset.label()}</button>
                        }).collect_view()}
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Incident timeline"</legend>
                    {move || actions.with(|list| {
                        if list.is_empty() {
                            return view! { <p class="muted">"No incidents yet: inject one, place one in time, or load a preset."</p> }.into_any();
                        }
                        view! {
                            <ol class="slo-actions">
                                {list.iter().enumerate().map(|(index, (at, action))| {
                                    let text = describe_action(*at, action);
                                    let label = format!("Remove {text}");
                                    view! {
                                        <li>
                                            <span>{text}</span>
                                            <button type="button" class="button" aria-label=label on:click=move |_| {
                                                let run = runner.timeline.with_untracked(|t| without_action(t, index));
                                                replace_run(runner, run);
                                            }>"Remove"</button>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                        }.into_any()
                    })}
                </fieldset>
                <details class="viz__fold" open=open>
                <summary>"SLO settings"</summary>
                <fieldset>
                    <legend>"The SLO (the incidents stay)"</legend>
                    {SLO_PARAMS.iter().map(|spec| view! { <SetupField runner=runner key=spec.key /> }).collect_view()}
                </fieldset>
                </details>
            </div>
        </div>
    }
}

/// The budget remaining over the window, the incidents under it on the same time axis, and a
/// marker where each alert fired. Drawn here rather than with `LineChart` because the budget
/// can go below zero (overspent) and the incidents and alerts share its axis.
/// Laid out at `width` CSS px (see `BUDGET_FIT`); narrower than 480 px (a phone) the budget
/// area is shorter, so the chart shares the first screen with the controls.
fn budget_chart(slo: &Slo, width: f64) -> impl IntoView {
    const LEFT: f64 = 48.0;
    const RIGHT: f64 = 14.0;
    const TOP: f64 = 16.0;
    let (budget_bottom, strip_top, strip_bottom, height) = if width < 480.0 { (128.0, 142.0, 176.0, 198.0) } else { (170.0, 186.0, 230.0, 252.0) };
    let window = slo.config().window_minutes;
    let days = window as f64 / MINUTES_PER_DAY as f64;
    let day = |minute: u64| minute as f64 / MINUTES_PER_DAY as f64;
    let points: Vec<(f64, f64)> = slo.budget_points().into_iter().map(|(minute, left)| (day(minute), left * 100.0)).collect();
    let lowest = points.iter().map(|point| point.1).fold(0.0_f64, f64::min);
    let bottom = if lowest < 0.0 { lowest - 10.0 } else { 0.0 };
    let x = Scale::new((0.0, days), (LEFT, width - RIGHT));
    let y = Scale::new((bottom, 100.0), (budget_bottom, TOP));
    let now = day(slo.tick().min(window));
    let even = path(&[(0.0, 100.0), (days, 0.0)], x, y);
    let budget = path(&points, x, y);
    let left_now = slo.budget_remaining();
    // The drawing is written as one string (every text escaped): as typed views its parts cost
    // the bundle more than the 170 KB page budget left room for (measured 2026-12).
    let mut body = String::with_capacity(4096);
    let _ = write!(body, r#"<g class="chart__grid">"#);
    for tick in nice_ticks(bottom, 100.0, 4) {
        let py = y.map(tick);
        let _ = write!(body, r#"<line x1="{LEFT}" x2="{:.1}" y1="{py:.1}" y2="{py:.1}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{tick:.0}%</text>"#, width - RIGHT, LEFT - 6.0, py + 4.0);
    }
    // About one label per 80 px, each kept inside the drawing.
    for tick in nice_ticks(0.0, days, ((width - LEFT - RIGHT) / 80.0).clamp(2.0, 6.0) as usize) {
        let text = format!("day {}", tick as u64 + 1);
        let half = ruler::text_width(&text, AXIS_FONT) / 2.0;
        let _ = write!(body, r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{text}</text>"#, x.map(tick).clamp(half + 2.0, width - half - 2.0), height - 6.0);
    }
    let zero = y.map(0.0);
    let _ = write!(
        body,
        r#"</g><line class="slo-zero" x1="{LEFT}" x2="{right:.1}" y1="{zero:.1}" y2="{zero:.1}"/><text class="slo-zero-label" x="{right:.1}" y="{:.1}" text-anchor="end">budget gone</text><path class="chart__line" d="{even}" stroke="var(--muted)" stroke-dasharray="3 5"/><path class="chart__line slo-budget-line" d="{budget}" stroke="var(--series-2)"/>"#,
        zero - 4.0,
        right = width - RIGHT
    );
    if left_now < 0.0 {
        let _ = write!(body, r#"<text class="slo-overspent" x="{:.1}" y="{:.1}" text-anchor="end">overspent</text>"#, (x.map(now) - 4.0).max(LEFT + ruler::text_width("overspent", Font { bold: true, ..AXIS_FONT })), y.map(left_now * 100.0) + 16.0);
    }
    let _ = write!(body, r#"<line class="slo-strip-base" x1="{LEFT}" x2="{:.1}" y1="{strip_bottom:.1}" y2="{strip_bottom:.1}"/><text class="slo-strip-label" x="{:.1}" y="{:.1}" text-anchor="end">errors</text>"#, width - RIGHT, LEFT - 6.0, strip_top + 12.0);
    for incident in slo.incidents().iter().filter(|incident| incident.minutes > 0 && incident.start < window) {
        // Height on a log scale: 0.001% errors is a sliver, 100% fills the strip.
        let share = (incident.error_ppb.max(1) as f64).log10();
        let tall = ((share - 4.0) / 5.0).clamp(0.08, 1.0) * (strip_bottom - strip_top);
        let (x1, x2) = (x.map(day(incident.start)), x.map(day(incident.end().min(window))));
        let label = format!("{}: {}% errors for {}", format_clock(incident.start), ppb_to_percent_text(incident.error_ppb), format_minutes(incident.minutes));
        let _ = write!(body, r#"<rect class="slo-incident" x="{x1:.1}" y="{:.1}" width="{:.1}" height="{tall:.1}"><title>{}</title></rect>"#, strip_bottom - tall, (x2 - x1).max(2.0), escape(&label));
    }
    for (alert, (_, _, _, _, code, dash)) in slo.alerts().zip(RULE_LABELS) {
        for firing in &alert.state.firings {
            let px = x.map(day(firing.at));
            let _ = write!(
                body,
                r#"<g class="slo-alert-mark"><line x1="{px:.1}" x2="{px:.1}" y1="{TOP}" y2="{strip_bottom:.1}" stroke-dasharray="{dash}"/><text x="{:.1}" y="{:.1}">{code}</text></g>"#,
                (px + 3.0).min(width - 2.0 - ruler::text_width(code, AXIS_FONT)),
                TOP - 4.0
            );
        }
    }
    let now_x = x.map(now);
    let _ = write!(body, r#"<line class="slo-now" x1="{now_x:.1}" x2="{now_x:.1}" y1="{TOP}" y2="{strip_bottom:.1}"/>"#);
    let summary = format!(
        "Error budget remaining over the {} day window: {} at {}. {} incident{}.",
        days,
        if left_now < 0.0 { format!("overspent by {}", format_share(-left_now)) } else { format!("{} left", format_share(left_now)) },
        format_clock(slo.tick().min(window)),
        slo.incidents().len(),
        if slo.incidents().len() == 1 { "" } else { "s" },
    );
    view! {
        <figure class="chart">
            <figcaption class="chart__title">"Error budget remaining, with the incidents below and alerts marked"</figcaption>
            <svg class="chart__svg slo-budget fitted" viewBox=format!("0 0 {width} {height}") role="img" aria-label=summary inner_html=body></svg>
            <ul class="chart__legend">
                <li><svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="var(--series-2)" stroke-width="3" /></svg>"budget left"</li>
                <li><svg width="28" height="10" aria-hidden="true"><line x1="0" x2="28" y1="5" y2="5" stroke="var(--muted)" stroke-width="2" stroke-dasharray="3 5" /></svg>"spending evenly (1×)"</li>
                <li><svg width="18" height="12" aria-hidden="true"><rect class="slo-incident" x="1" y="1" width="16" height="10" /></svg>"incident (height: error rate, log scale)"</li>
                {RULE_LABELS.iter().map(|(title, _, _, _, code, dash)| view! {
                    <li><svg width="28" height="10" aria-hidden="true"><line class="slo-legend-mark" x1="0" x2="28" y1="5" y2="5" stroke-dasharray=*dash /></svg>{format!("{code}: {title}")}</li>
                }).collect_view()}
            </ul>
        </figure>
    }
}

/// The alert table's rows: each rule's burns now, its state, and when it fired. One string for
/// the table's body, redrawn with the charts: as typed views these rows cost the bundle 2.1 KB
/// gzipped (measured 2026-12). Every text is escaped.
fn alert_rows(slo: &Slo) -> String {
    let mut out = String::new();
    for (alert, (title, _, _, _, code, _)) in slo.alerts().zip(RULE_LABELS) {
        let threshold = alert.rule.burn_rate();
        let (state, class) = if alert.state.firing { ("FIRING", "badge badge--warn") } else { ("quiet", "badge badge--ok") };
        let fired = if alert.state.firings.is_empty() {
            r#"<span class="muted">has not fired</span>"#.to_string()
        } else {
            let items: String = alert
                .state
                .firings
                .iter()
                .map(|firing| {
                    let delay = match firing.delay_minutes {
                        Some(minutes) => format!("{} after its incident began", format_minutes(minutes)),
                        None => "no incident: baseline errors".to_string(),
                    };
                    let until = firing.until.map(|until| format!(", until {}", format_clock(until))).unwrap_or_default();
                    format!("<li>{}</li>", escape(&format!("{}{until}: {delay}; {} of the budget spent", format_clock(firing.at), format_share(firing.budget_spent))))
                })
                .collect();
            format!(r#"<ul class="slo-firings">{items}</ul>"#)
        };
        let more = alert.state.more_firings;
        let more = if more > 0 { format!("and {more} more") } else { String::new() };
        let _ = write!(
            out,
            r#"<tr><th scope="row">{}</th><td>{}<br><span class="muted">{}</span></td><td><span class="{class}">{state}</span></td><td>{fired}{more}</td></tr>"#,
            escape(&format!("{code} {title}")),
            escape(&format!("{}× / {}×", format_rate(alert.long_burn), format_rate(alert.short_burn))),
            escape(&format!("needs both > {}×", format_rate(threshold)))
        );
    }
    out
}

/// A typed number with its own validation message.
#[derive(Clone, Copy)]
struct NumberInput {
    text: RwSignal<String>,
    error: RwSignal<Option<String>>,
}

impl NumberInput {
    fn new(initial: &str) -> Self {
        Self { text: RwSignal::new(initial.to_string()), error: RwSignal::new(None) }
    }

    fn read(&self, rule: NumberRule) -> Option<f64> {
        match rule.parse(&self.text.get_untracked()) {
            Ok(value) => {
                self.error.set(None);
                Some(value)
            }
            Err(message) => {
                self.error.set(Some(message));
                None
            }
        }
    }

    fn field(self, id: &'static str, label: Signal<String>) -> impl IntoView {
        let error_id = format!("{id}-error");
        view! {
            <div class="field">
                <label for=id>{move || label.get()}</label>
                <input id=id type="text" inputmode="decimal" autocomplete="off" prop:value=move || self.text.get()
                    aria-invalid=move || self.error.get().is_some().to_string() aria-describedby=error_id.clone()
                    on:input=move |event| self.text.set(event_target_value(&event)) />
                <span class="field__error" id=error_id role="alert">{move || self.error.get()}</span>
            </div>
        }
    }
}

/// Inject errors now, place an incident anywhere in the window, or resolve what is going on.
#[component]
fn IncidentForm(runner: Runner<Slo>) -> impl IntoView {
    let minutes = NumberInput::new("30");
    let percent = NumberInput::new("100");
    let start = NumberInput::new("33");
    let refusal = RwSignal::new(None::<String>);
    // A memo, so the fields are not redrawn (and typing lost) on every tick while playing.
    let window_hours = Memo::new(move |_| runner.timeline.with(|t| t.state().config().window_minutes / 60));
    let spec = move || {
        let length = minutes.read(NumberRule::integer(1.0, MAX_INCIDENT_MINUTES as f64));
        let rate = percent.read(NumberRule::new(0.0, 100.0));
        Some(IncidentSpec { minutes: length? as u64, error_ppb: percent_to_ppb(rate?).min(PPB) })
    };
    let place = move |at: u64, action: Action| match runner.timeline.with_untracked(|t| with_action(t, at, action)) {
        Ok(run) => {
            refusal.set(None);
            replace_run(runner, run);
        }
        Err(message) => refusal.set(Some(message)),
    };
    let inject_now = move |_| {
        if let Some(spec) = spec() {
            place(runner.timeline.with_untracked(Timeline::tick), Action::Inject(spec));
        }
    };
    let inject_at = move |_| {
        let at = start.read(NumberRule::new(0.0, window_hours.get_untracked() as f64));
        if let (Some(spec), Some(hours)) = (spec(), at) {
            place((hours * 60.0).round() as u64, Action::Inject(spec));
        }
    };
    view! {
        <fieldset>
            <legend>"Inject errors"</legend>
            {minutes.field("slo-minutes", Signal::stored(format!("Lasting (minutes, 1–{MAX_INCIDENT_MINUTES})")))}
            {percent.field("slo-percent", Signal::stored("Error rate (% of requests, 0–100)".to_string()))}
            <div class="button-row">
                <button type="button" class="button button--primary" on:click=inject_now>"Inject now"</button>
                <button type="button" class="button" on:click=move |_| place(runner.timeline.with_untracked(Timeline::tick), Action::Resolve)>"Resolve now"</button>
            </div>
            {start.field("slo-start", Signal::derive(move || format!("Or start at hour (0–{}, from the window's start)", window_hours.get())))}
            <div class="button-row">
                <button type="button" class="button" on:click=inject_at>"Place at that hour"</button>
            </div>
            <p class="field__error" role="alert">{move || refusal.get()}</p>
        </fieldset>
    }
}

/// A setup field like `ParamField`, but a change keeps the incidents: the run is rebuilt under
/// the new parameters instead of starting empty.
#[component]
fn SetupField(runner: Runner<Slo>, key: &'static str) -> impl IntoView {
    let spec = SLO_PARAMS.iter().copied().find(|spec| spec.key == key).expect("the parameter exists in its schema");
    let error = RwSignal::new(None::<String>);
    // A memo, so a field being typed in is not reset on every tick while playing.
    let current = Memo::new(move |_| runner.timeline.with(|t| t.params().value(key).to_text()));
    let id = format!("slo-param-{key}");
    let error_id = format!("{id}-error");
    let commit = move |raw: String| {
        let mut params = runner.timeline.with_untracked(|t| t.params().clone());
        match params.set_text(key, &raw) {
            Ok(()) => {
                error.set(None);
                let run = runner.timeline.with_untracked(|t| with_params(t, params));
                replace_run(runner, run);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    let range = match spec.kind {
        ParamKind::Int { min, max } => format!(" ({min}–{max})"),
        ParamKind::Float { min, max } => format!(" ({min}–{max})"),
        _ => String::new(),
    };
    view! {
        <div class="field">
            <label for=id.clone()>{spec.label}{range}</label>
            <input id=id type="text" inputmode="decimal" autocomplete="off" prop:value=current
                aria-invalid=move || error.get().is_some().to_string() aria-describedby=error_id.clone()
                on:change=move |event| commit(event_target_value(&event)) />
            <span class="field__error" id=error_id role="alert">{move || error.get()}</span>
        </div>
    }
}
