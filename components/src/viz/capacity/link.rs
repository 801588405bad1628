//! The two designs in the URL query, so a link reproduces the comparison: `a` and `b` name
//! the templates, `a.dau=…` and the like carry only the inputs edited away from them, and
//! `units=binary` the unit toggle. Parameters are per template here rather than global
//! defaults, which is why this is not a `Params` schema: a link stays short whichever
//! template a side starts from.

use super::{number_text, ByteUnits, Design, InputKey, Template, TEMPLATES};

/// Everything the page shows: design A, design B and how bytes are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scenario {
    pub a: Design,
    pub b: Design,
    pub units: ByteUnits,
}

impl Default for Scenario {
    fn default() -> Self {
        Self { a: Design::from_template(&TEMPLATES[0]), b: Design::from_template(&TEMPLATES[1]), units: ByteUnits::Decimal }
    }
}

impl Scenario {
    /// Query pairs for the parts that differ from the default scenario.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let defaults = Scenario::default();
        let mut pairs = Vec::new();
        for (side, design, default) in [("a", &self.a, &defaults.a), ("b", &self.b, &defaults.b)] {
            if design.template.id != default.template.id {
                pairs.push((side.to_string(), design.template.id.to_string()));
            }
            for key in design.edits() {
                pairs.push((format!("{side}.{}", key.spec().id), number_text(design.inputs.get(key))));
            }
        }
        if self.units != ByteUnits::Decimal {
            pairs.push(("units".to_string(), self.units.key().to_string()));
        }
        pairs
    }

    /// Reads a scenario from query pairs. Anything unreadable keeps its default and adds a
    /// note saying what was ignored; keys that are not ours are left alone.
    pub fn from_pairs(pairs: &[(String, String)]) -> (Scenario, Vec<String>) {
        let mut scenario = Scenario::default();
        let mut notes = Vec::new();
        let last = |key: &str| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
        for (side, design) in [("a", &mut scenario.a), ("b", &mut scenario.b)] {
            if let Some(id) = last(side) {
                match Template::by_id(id.trim()) {
                    Some(template) => *design = Design::from_template(template),
                    None => notes.push(format!("Ignored template “{}” for design {} from the link: there is no such template.", clip(id), side.to_uppercase())),
                }
            }
        }
        if let Some(raw) = last("units") {
            match ByteUnits::from_key(raw.trim()) {
                Some(units) => scenario.units = units,
                None => notes.push(format!("Ignored units “{}” from the link: use decimal or binary.", clip(raw))),
            }
        }
        for (key, raw) in pairs {
            let Some((side, id)) = key.split_once('.') else { continue };
            let design = match side {
                "a" => &mut scenario.a,
                "b" => &mut scenario.b,
                _ => continue,
            };
            let Some(input) = InputKey::from_id(id) else { continue };
            if let Err(message) = design.inputs.set_text(input, raw) {
                notes.push(format!("Ignored {} = “{}” for design {} from the link: {message}", input.spec().label, clip(raw), side.to_uppercase()));
            }
        }
        (scenario, notes)
    }
}

/// Checks one preset pair as [`Scenario::from_pairs`] reads it, for a page that embeds the
/// planner. A key the planner does not read is an error here, where the link reader ignores it
/// (in a link it may belong to another tool on the page).
pub fn check_pair(key: &str, value: &str) -> Result<(), String> {
    let known = match key.split_once('.') {
        None => matches!(key, "a" | "b" | "units"),
        Some((side, id)) => matches!(side, "a" | "b") && InputKey::from_id(id).is_some(),
    };
    if !known {
        return Err(format!("the capacity planner reads `a`, `b`, `units`, `a.<input>` and `b.<input>`, not `{key}`"));
    }
    let (_, notes) = Scenario::from_pairs(&[(key.to_string(), value.to_string())]);
    notes.into_iter().next().map_or(Ok(()), Err)
}

fn clip(raw: &str) -> String {
    raw.chars().take(30).collect()
}
