//! The back-of-envelope capacity planner: a picture of two designs' fleets and storage over
//! time, then the two side by side, each started from a
//! template and editable input by input, with every output shown next to the formula that
//! produced it, the difference between the designs, a binary/decimal toggle, a shareable
//! link and JSON export and import. All arithmetic and checking lives in the model.

use atlas_components::viz::capacity::{
    export_design, import_design, number_text, outputs, ByteUnits, Design, Difference, InputKey, Output, Scenario, Template, INPUT_SPECS, TEMPLATES,
};
use atlas_components::viz::capacity::picture::picture;
use atlas::widgets::ValidatedField;
use atlas::harness::copy_to_clipboard;
use atlas::harness::Address;
use atlas::harness::kit::{self, scoped_id};
use leptos::prelude::*;
use web_sys::HtmlElement;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |_| view());
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    A,
    B,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Side::A => "A",
            Side::B => "B",
        }
    }

    fn design(self, scenario: &Scenario) -> &Design {
        match self {
            Side::A => &scenario.a,
            Side::B => &scenario.b,
        }
    }

    fn design_mut(self, scenario: &mut Scenario) -> &mut Design {
        match self {
            Side::A => &mut scenario.a,
            Side::B => &mut scenario.b,
        }
    }
}

/// Text the reader typed that the rule refused, and why; kept so the field shows it.
type Refusals = RwSignal<Vec<Option<(String, String)>>>;

fn no_refusals() -> Vec<Option<(String, String)>> {
    vec![None; INPUT_SPECS.len()]
}

/// The page's state: the scenario, plus refused text per side.
#[derive(Clone, Copy)]
struct Planner {
    scenario: RwSignal<Scenario>,
    refused_a: Refusals,
    refused_b: Refusals,
}

impl Planner {
    fn refused(&self, side: Side) -> Refusals {
        match side {
            Side::A => self.refused_a,
            Side::B => self.refused_b,
        }
    }

    /// Replaces a whole design (template change, reset, import): refused text no longer applies.
    fn replace(&self, side: Side, design: Design) {
        self.scenario.update(|scenario| *side.design_mut(scenario) = design);
        self.refused(side).set(no_refusals());
    }
}

fn replace_url(address: &Address, scenario: &Scenario) {
    let pairs = scenario.to_pairs();
    address.replace(&pairs.iter().map(|(key, value)| (key.as_str(), value.clone())).collect::<Vec<_>>());
}

/// What the status line says when the browser will not copy.
const COPY_REFUSED: &str = "Copying was refused by the browser; select the text and copy it yourself.";

/// An input's value as it is shown for editing: whole numbers with separators.
fn input_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let digits = format!("{}", value.abs() as u64);
        let mut grouped = String::new();
        for (index, ch) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        grouped
    } else {
        number_text(value)
    }
}

fn view() -> impl IntoView {
    let address = atlas::harness::use_tool().address;
    let (initial, notes) = Scenario::from_pairs(&address.pairs());
    let planner = Planner { scenario: RwSignal::new(initial), refused_a: RwSignal::new(no_refusals()), refused_b: RwSignal::new(no_refusals()) };
    let scenario = planner.scenario;
    Effect::new(move |_| scenario.with(|scenario| replace_url(&address, scenario)));
    let results = Memo::new(move |_| scenario.with(|s| (outputs(&s.a.inputs, s.units), outputs(&s.b.inputs, s.units))));
    let link_status = RwSignal::new(String::new());

    view! {
        {(!notes.is_empty()).then(|| view! { <ul class="muted" role="status">{notes.into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}</ul> })}
        // The two plans drawn first: their fleets and their storage over time, redrawn as the
        // reader edits them (one string of SVG, escaped by the model's `Sketch`).
        <div class="viz__scene" inner_html=move || scenario.with(|scenario| picture(scenario).finish().svg)></div>
        <div class="capacity-designs">
            {design_picker(planner, Side::A)}
            {design_picker(planner, Side::B)}
        </div>
        <div class="button-row capacity-options">
            <label class="toggle">
                <input type="checkbox" prop:checked=move || scenario.with(|s| s.units == ByteUnits::Binary)
                    on:change=move |event| {
                        let binary = event_target_checked(&event);
                        scenario.update(|s| s.units = if binary { ByteUnits::Binary } else { ByteUnits::Decimal });
                    } />
                "Binary units (KiB, MiB, GiB: powers of 1,024)"
            </label>
            <button type="button" class="button" on:click=move |_| {
                let href = atlas::dom::window().location().href().unwrap_or_default();
                copy_to_clipboard(href, link_status, "Link copied: it opens these two designs as they are now.", COPY_REFUSED.to_string());
            }>"Share"</button>
            <span role="status" class="muted">{move || link_status.get()}</span>
        </div>
        <h3>"Inputs"</h3>
        {inputs_table(planner)}
        <h3>"Outputs"</h3>
        {move || results.with(|(a, b)| outputs_table(a, b, scenario.with(|s| s.units)))}
        <h3>"Export and import (JSON)"</h3>
        {exchange(planner)}
    }
}

fn design_picker(planner: Planner, side: Side) -> impl IntoView {
    let scenario = planner.scenario;
    let id = format!("capacity-template-{}", side.name().to_lowercase());
    let template = move || scenario.with(|s| side.design(s).template);
    let edits = move || scenario.with(|s| side.design(s).edits().len());
    view! {
        <fieldset class="capacity-design">
            <legend>{format!("Design {}", side.name())}</legend>
            <div class="field">
                <label for=id.clone()>"Start from"</label>
                <select id=id prop:value=move || template().id on:change=move |event| {
                    if let Some(template) = Template::by_id(&event_target_value(&event)) {
                        planner.replace(side, Design::from_template(template));
                    }
                }>
                    {TEMPLATES.iter().map(|template| view! { <option value=template.id>{template.name}</option> }).collect_view()}
                </select>
            </div>
            <p>{move || template().description}</p>
            <p class="muted">{move || template().prices_as_of}{move || match edits() {
                0 => String::from(" · no inputs edited"),
                1 => String::from(" · 1 input edited"),
                count => format!(" · {count} inputs edited"),
            }}</p>
            <button type="button" class="button" aria-disabled=move || (edits() == 0).to_string()
                on:click=move |_| planner.replace(side, Design::from_template(template()))>
                {format!("Reset design {} to its template", side.name())}
            </button>
        </fieldset>
    }
}

fn input_cell(planner: Planner, side: Side, index: usize) -> impl IntoView {
    let spec = INPUT_SPECS[index];
    let refused = planner.refused(side);
    let id = scoped_id(&format!("capacity-{}-{}", side.name().to_lowercase(), spec.id));
    let shown = move || {
        refused.with(|list| list.get(index).cloned().flatten().map(|(raw, _)| raw)).unwrap_or_else(|| planner.scenario.with(|s| input_text(side.design(s).inputs.get(spec.key))))
    };
    let error = Signal::derive(move || refused.with(|list| list.get(index).cloned().flatten().map(|(_, message)| message)));
    let commit = Callback::new(move |raw: String| {
        let mut design = planner.scenario.with_untracked(|s| *side.design(s));
        let outcome = design.inputs.set_text(spec.key, &raw);
        if outcome.is_ok() {
            planner.scenario.update(|s| *side.design_mut(s) = design);
        }
        refused.update(|list| {
            if let Some(slot) = list.get_mut(index) {
                *slot = outcome.clone().err().map(|message| (raw, message));
            }
        });
        outcome
    });
    view! {
        <td>
            <ValidatedField id=id label=format!("Design {}: {} ({})", side.name(), spec.label, spec.unit) hide_label=true
                current=Signal::derive(shown) inputmode="decimal" commit=commit error=error />
        </td>
    }
}

fn inputs_table(planner: Planner) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)">
            <table class="capacity-table capacity-inputs">
                <thead><tr><th scope="col">"Input"</th><th scope="col">"Design A"</th><th scope="col">"Design B"</th></tr></thead>
                <tbody>
                    {INPUT_SPECS.iter().enumerate().map(|(index, spec)| {
                        let key: InputKey = spec.key;
                        let differs = move || planner.scenario.with(|s| s.a.inputs.get(key) != s.b.inputs.get(key));
                        view! {
                            <tr class=move || if differs() { "capacity-row--differs" } else { "" }>
                                <th scope="row">{spec.label}<span class="muted">{format!(" ({})", spec.unit)}</span>
                                    {move || differs().then(|| view! { " " <span class="badge">"A ≠ B"</span> })}</th>
                                {input_cell(planner, Side::A, index)}
                                {input_cell(planner, Side::B, index)}
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn outputs_table(a: &[Output], b: &[Output], units: ByteUnits) -> impl IntoView {
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)">
            <table class="capacity-table capacity-outputs">
                <thead><tr><th scope="col">"Output"</th><th scope="col">"Design A"</th><th scope="col">"Design B"</th><th scope="col">"B − A"</th></tr></thead>
                <tbody>
                    {a.iter().zip(b).map(|(a, b)| {
                        let difference = Difference::between(a.value, b.value).text(a.unit, units);
                        let same = a.value == b.value;
                        view! {
                            <tr class=if a.key == "cost_total" { "capacity-total" } else { "" }>
                                <th scope="row">{a.label}</th>
                                <td><strong>{a.text(units)}</strong><span class="capacity-formula">{a.formula.clone()}</span></td>
                                <td><strong>{b.text(units)}</strong><span class="capacity-formula">{b.formula.clone()}</span></td>
                                <td class=if same { "muted" } else { "" }>{difference}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

fn exchange(planner: Planner) -> impl IntoView {
    let text = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<String>::new());
    let status = RwSignal::new(String::new());
    let export = move |side: Side| {
        text.set(planner.scenario.with_untracked(|s| export_design(side.design(s))));
        errors.set(Vec::new());
        status.set(format!("Design {} written below.", side.name()));
    };
    let import = move |side: Side| {
        let current = planner.scenario.with_untracked(|s| *side.design(s));
        match import_design(&text.get_untracked(), &current) {
            Ok(design) => {
                planner.replace(side, design);
                errors.set(Vec::new());
                status.set(format!("Imported into design {}.", side.name()));
            }
            Err(messages) => {
                errors.set(messages);
                status.set(String::new());
            }
        }
    };
    view! {
        <div class="field">
            <label for=scoped_id("capacity-json")>"One design as JSON: export it, edit it, or paste one to import (fields left out keep their values)"</label>
            <textarea id=scoped_id("capacity-json") rows="10" spellcheck="false" autocomplete="off"
                aria-invalid=move || (!errors.with(Vec::is_empty)).to_string() aria-describedby=scoped_id("capacity-json-errors")
                prop:value=move || text.get() on:input=move |event| text.set(event_target_value(&event))></textarea>
            <div id=scoped_id("capacity-json-errors") role="alert">
                {move || errors.with(|list| (!list.is_empty()).then(|| view! {
                    <p class="field__error">"Nothing was imported:"</p>
                    <ul class="field__error">{list.iter().map(|message| view! { <li>{message.clone()}</li> }).collect_view()}</ul>
                }))}
            </div>
        </div>
        <div class="button-row">
            <button type="button" class="button" on:click=move |_| export(Side::A)>"Export design A"</button>
            <button type="button" class="button" on:click=move |_| export(Side::B)>"Export design B"</button>
            <button type="button" class="button" on:click=move |_| copy_to_clipboard(text.get_untracked(), status, "JSON copied.", COPY_REFUSED.to_string())>"Copy"</button>
            <button type="button" class="button" on:click=move |_| import(Side::A)>"Import into A"</button>
            <button type="button" class="button" on:click=move |_| import(Side::B)>"Import into B"</button>
        </div>
        <p role="status" class="muted">{move || status.get()}</p>
    }
}
