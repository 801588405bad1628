//! One design as a flat JSON object, written by hand and read with the site's strict JSON
//! parser, so no serde_json ships in the WebAssembly. Reading never panics: every problem in
//! the pasted text becomes a sentence for the reader, and nothing half-read is applied.

use super::{number_text, Design, InputKey, Template, INPUT_SPECS};
use crate::viz::json::{self, Json};

/// At most this many problems are listed; a pasted novel should not flood the page.
const MAX_MESSAGES: usize = 8;

/// `{"template": "url-shortener", "dau": 100000000, …}` with every input, one per line.
pub fn export_design(design: &Design) -> String {
    let mut lines = vec![format!("  \"template\": {}", json::quote(design.template.id))];
    for spec in &INPUT_SPECS {
        lines.push(format!("  \"{}\": {}", spec.id, number_text(design.inputs.get(spec.key))));
    }
    format!("{{\n{}\n}}", lines.join(",\n"))
}

fn known_fields() -> String {
    let mut names = vec!["template"];
    names.extend(INPUT_SPECS.iter().map(|spec| spec.id));
    names.join(", ")
}

/// Reads a design exported by [`export_design`] (or typed by hand). Fields left out keep the
/// values of the `template` it names, or of `current` when it names none. Any error rejects
/// the whole text with every problem found.
pub fn import_design(text: &str, current: &Design) -> Result<Design, Vec<String>> {
    let value = json::parse(text).map_err(|error| vec![format!("This is not valid JSON: {error}.")])?;
    let Json::Object(members) = &value else {
        return Err(vec![format!("Expected a JSON object such as {{\"dau\": 1000000}}; this is {}.", value.kind_name())]);
    };
    if members.is_empty() {
        return Err(vec![format!("The object is empty. Give at least one of: {}.", known_fields())]);
    }
    let mut errors: Vec<String> = value.duplicate_keys().iter().map(|name| format!("“{name}” appears more than once; keep one.")).collect();

    let mut design = *current;
    match value.get("template") {
        None => {}
        Some(Json::String(id)) => match Template::by_id(id) {
            Some(template) => design = Design::from_template(template),
            None => errors.push(format!(
                "“template” is “{}”, which is not one of: {}.",
                clip(id),
                super::TEMPLATES.iter().map(|template| template.id).collect::<Vec<_>>().join(", ")
            )),
        },
        Some(other) => errors.push(format!("“template” must be a string, not {}.", other.kind_name())),
    }

    for (name, field) in members {
        if name == "template" || name == "name" {
            continue;
        }
        let Some(key) = InputKey::from_id(name) else {
            errors.push(format!("Unknown field “{}”. Known fields: {}.", clip(name), known_fields()));
            continue;
        };
        let label = key.spec().label;
        match field {
            Json::Number(number) => {
                if let Err(message) = design.inputs.set_text(key, number) {
                    errors.push(format!("“{name}” ({label}): {message}"));
                }
            }
            other => errors.push(format!("“{name}” ({label}) must be a number, not {}.", other.kind_name())),
        }
    }

    if errors.is_empty() {
        Ok(design)
    } else {
        let extra = errors.len().saturating_sub(MAX_MESSAGES);
        errors.truncate(MAX_MESSAGES);
        if extra > 0 {
            errors.push(format!("…and {extra} more."));
        }
        Err(errors)
    }
}

fn clip(text: &str) -> String {
    if text.chars().count() > 30 {
        format!("{}…", text.chars().take(30).collect::<String>())
    } else {
        text.to_string()
    }
}
