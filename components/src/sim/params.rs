//! A visualizer's parameters, described once: their labels, kinds, ranges and defaults. The
//! same description validates typed input, builds the controls and round-trips the URL query.

use super::number::NumberRule;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    Int { min: i64, max: i64 },
    Float { min: f64, max: f64 },
    Bool,
    /// `(value, label)` pairs; the value is what the URL carries.
    Choice(&'static [(&'static str, &'static str)]),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Bool(bool),
    Choice(&'static str),
}

impl Value {
    pub fn to_text(self) -> String {
        match self {
            Value::Int(value) => value.to_string(),
            Value::Float(value) => {
                let text = format!("{value:.4}");
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            }
            Value::Bool(value) => if value { "1" } else { "0" }.to_string(),
            Value::Choice(value) => value.to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: ParamKind,
    pub default: Value,
}

impl ParamSpec {
    /// The whole numbers an action that sets this parameter may carry: an integer parameter's
    /// own range, a decimal one's in units of `1 / scale` (hundredths with 100), a choice's
    /// option numbers, a switch's 0 and 1.
    pub fn action_range(&self, scale: f64) -> (u32, u32) {
        match self.kind {
            ParamKind::Int { min, max } => (min.max(0) as u32, max.max(0) as u32),
            ParamKind::Float { min, max } => ((min * scale).round().max(0.0) as u32, (max * scale).round().max(0.0) as u32),
            ParamKind::Choice(options) => (0, options.len().saturating_sub(1) as u32),
            ParamKind::Bool => (0, 1),
        }
    }

    /// Reads a value typed or found in a URL; `Err` says what is wrong in words.
    pub fn parse(&self, raw: &str) -> Result<Value, String> {
        match self.kind {
            ParamKind::Int { min, max } => NumberRule::integer(min as f64, max as f64).parse(raw).map(|value| Value::Int(value as i64)),
            ParamKind::Float { min, max } => NumberRule::new(min, max).parse(raw).map(Value::Float),
            ParamKind::Bool => match raw.trim() {
                "1" | "true" | "on" | "yes" => Ok(Value::Bool(true)),
                "0" | "false" | "off" | "no" => Ok(Value::Bool(false)),
                _ => Err("Expected on or off.".to_string()),
            },
            ParamKind::Choice(options) => options
                .iter()
                .find(|(value, _)| *value == raw.trim())
                .map(|(value, _)| Value::Choice(value))
                .ok_or_else(|| format!("Expected one of: {}.", options.iter().map(|(value, _)| *value).collect::<Vec<_>>().join(", "))),
        }
    }
}

/// The current value of every parameter of one visualizer.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    schema: &'static [ParamSpec],
    values: Vec<Value>,
}

impl Params {
    pub fn defaults(schema: &'static [ParamSpec]) -> Self {
        Self { schema, values: schema.iter().map(|spec| spec.default).collect() }
    }

    pub fn schema(&self) -> &'static [ParamSpec] {
        self.schema
    }

    fn index(&self, key: &str) -> usize {
        self.schema.iter().position(|spec| spec.key == key).unwrap_or_else(|| panic!("no parameter `{key}`"))
    }

    pub fn value(&self, key: &str) -> Value {
        self.values[self.index(key)]
    }

    pub fn int(&self, key: &str) -> i64 {
        match self.value(key) {
            Value::Int(value) => value,
            other => panic!("parameter `{key}` is {other:?}, not an integer"),
        }
    }

    pub fn float(&self, key: &str) -> f64 {
        match self.value(key) {
            Value::Float(value) => value,
            Value::Int(value) => value as f64,
            other => panic!("parameter `{key}` is {other:?}, not a number"),
        }
    }

    pub fn flag(&self, key: &str) -> bool {
        matches!(self.value(key), Value::Bool(true))
    }

    pub fn choice(&self, key: &str) -> &'static str {
        match self.value(key) {
            Value::Choice(value) => value,
            other => panic!("parameter `{key}` is {other:?}, not a choice"),
        }
    }

    /// A number read the way `schema` declares it, clamped to its range. Parameters of another
    /// schema, or a value of another kind, give the declared default, so a model handed the
    /// wrong parameters still never panics.
    pub fn number_in(&self, schema: &[ParamSpec], key: &str) -> f64 {
        let Some(spec) = schema.iter().find(|spec| spec.key == key) else { return 0.0 };
        let (min, max) = match spec.kind {
            ParamKind::Int { min, max } => (min as f64, max as f64),
            ParamKind::Float { min, max } => (min, max),
            _ => (0.0, 0.0),
        };
        let as_number = |value: Value| match value {
            Value::Int(value) => Some(value as f64),
            Value::Float(value) if value.is_finite() => Some(value),
            _ => None,
        };
        self.given(key).and_then(as_number).or_else(|| as_number(spec.default)).unwrap_or(min).clamp(min, max)
    }

    /// A choice read the way `schema` declares it; anything else gives the declared default.
    pub fn choice_in(&self, schema: &[ParamSpec], key: &str) -> &'static str {
        let Some(spec) = schema.iter().find(|spec| spec.key == key) else { return "" };
        let ParamKind::Choice(options) = spec.kind else { return "" };
        let default = match spec.default {
            Value::Choice(value) => value,
            _ => "",
        };
        match self.given(key) {
            Some(Value::Choice(value)) => options.iter().map(|(option, _)| *option).find(|option| *option == value).unwrap_or(default),
            _ => default,
        }
    }

    /// A switch read the way `schema` declares it; anything else gives the declared default.
    pub fn flag_in(&self, schema: &[ParamSpec], key: &str) -> bool {
        match self.given(key) {
            Some(Value::Bool(on)) => on,
            _ => matches!(schema.iter().find(|spec| spec.key == key).map(|spec| spec.default), Some(Value::Bool(true))),
        }
    }

    /// The value of `key` if these parameters have it.
    fn given(&self, key: &str) -> Option<Value> {
        self.schema.iter().position(|spec| spec.key == key).map(|index| self.values[index])
    }

    /// Sets a parameter from text; on error the old value stays.
    pub fn set_text(&mut self, key: &str, raw: &str) -> Result<(), String> {
        let index = self.index(key);
        self.values[index] = self.schema[index].parse(raw)?;
        Ok(())
    }

    pub fn set(&mut self, key: &str, value: Value) {
        let index = self.index(key);
        self.values[index] = value;
    }

    /// Only the parameters that differ from their defaults, so shared links stay short.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        self.to_pairs_against(&Self::defaults(self.schema))
    }

    /// The parameters that differ from `baseline` (the defaults, or a page's preset), so a link
    /// records only what the reader changed and still restores a value set back to its default.
    pub fn to_pairs_against(&self, baseline: &Params) -> Vec<(&'static str, String)> {
        self.schema
            .iter()
            .zip(&self.values)
            .filter(|(spec, value)| baseline.value(spec.key) != **value)
            .map(|(spec, value)| (spec.key, value.to_text()))
            .collect()
    }

    /// Reads the parameters from query pairs. Unknown keys are left to the caller; a bad value
    /// keeps its default and adds a note for the reader.
    pub fn from_pairs(schema: &'static [ParamSpec], pairs: &[(String, String)]) -> (Self, Vec<String>) {
        let mut params = Self::defaults(schema);
        let mut notes = Vec::new();
        for (key, raw) in pairs {
            if let Some(spec) = schema.iter().find(|spec| spec.key == key) {
                if let Err(message) = params.set_text(spec.key, raw) {
                    let shown: String = raw.chars().take(30).collect();
                    notes.push(format!("Ignored {} = “{shown}” from the link: {message} Using {}.", spec.label, spec.default.to_text()));
                }
            }
        }
        (params, notes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHEMA: &[ParamSpec] = &[
        ParamSpec { key: "n", label: "Nodes", kind: ParamKind::Int { min: 3, max: 5 }, default: Value::Int(3) },
        ParamSpec { key: "beta", label: "Beta", kind: ParamKind::Float { min: 0.0, max: 5.0 }, default: Value::Float(1.0) },
        ParamSpec { key: "lock", label: "Lock", kind: ParamKind::Bool, default: Value::Bool(false) },
        ParamSpec { key: "mode", label: "Mode", kind: ParamKind::Choice(&[("cp", "CP"), ("ap", "AP")]), default: Value::Choice("cp") },
    ];

    #[test]
    fn round_trips_through_pairs() {
        let mut params = Params::defaults(SCHEMA);
        params.set_text("n", "5").unwrap();
        params.set_text("beta", "2.5").unwrap();
        params.set_text("lock", "on").unwrap();
        params.set_text("mode", "ap").unwrap();
        let pairs: Vec<(String, String)> = params.to_pairs().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let (back, notes) = Params::from_pairs(SCHEMA, &pairs);
        assert_eq!(back, params);
        assert!(notes.is_empty());
        assert!(Params::defaults(SCHEMA).to_pairs().is_empty(), "defaults stay out of the URL");
    }

    #[test]
    fn a_link_against_a_preset_keeps_a_value_set_back_to_its_default() {
        let pairs = |list: &[(&str, &str)]| list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect::<Vec<_>>();
        let (preset, _) = Params::from_pairs(SCHEMA, &pairs(&[("n", "5"), ("mode", "ap")]));
        let mut now = preset.clone();
        assert!(now.to_pairs_against(&preset).is_empty(), "an untouched preset needs no keys");
        now.set_text("n", "3").unwrap();
        assert_eq!(now.to_pairs_against(&preset), vec![("n", "3".to_string())]);
        let mut restored = preset.clone();
        for (key, value) in now.to_pairs_against(&preset) {
            restored.set_text(key, &value).unwrap();
        }
        assert_eq!(restored, now, "preset + link pairs rebuild the reader's state");
    }

    #[test]
    fn defensive_readers_clamp_and_fall_back() {
        const OTHER: &[ParamSpec] = &[ParamSpec { key: "x", label: "X", kind: ParamKind::Int { min: 0, max: 1 }, default: Value::Int(0) }];
        let params = Params::defaults(SCHEMA);
        assert_eq!(params.number_in(SCHEMA, "n"), 3.0);
        assert_eq!(params.choice_in(SCHEMA, "mode"), "cp");
        assert!(!params.flag_in(SCHEMA, "lock"));
        let foreign = Params::defaults(OTHER);
        assert_eq!(foreign.number_in(SCHEMA, "beta"), 1.0, "another schema's parameters give the default");
        assert_eq!(foreign.choice_in(SCHEMA, "mode"), "cp");
        let mut wide = Params::defaults(SCHEMA);
        wide.set("n", Value::Int(99));
        assert_eq!(wide.number_in(SCHEMA, "n"), 5.0, "clamped to the declared range");
    }

    #[test]
    fn garbage_keeps_defaults_and_says_so() {
        let pairs = vec![
            ("n".to_string(), "99".to_string()),
            ("beta".to_string(), "NaN".to_string()),
            ("mode".to_string(), "<script>".to_string()),
            ("zzz".to_string(), "1".to_string()),
        ];
        let (params, notes) = Params::from_pairs(SCHEMA, &pairs);
        assert_eq!(params, Params::defaults(SCHEMA));
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes[0].contains("Must be at most 5"));
    }
}
