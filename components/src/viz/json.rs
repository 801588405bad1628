//! JSON for the JWT and OAuth models, parsed and printed by serde_json.
//!
//! serde_json replaced a hand-written parser (700 lines with its tests). MEASURED on the JWT
//! bundle (`viz-jwt-decoder`, wasm-bindgen then wasm-opt 132 -Oz, gzip -9): 383,360 B /
//! 168,252 B gzipped with the hand-written parser and codecs, 442,851 B / 194,774 B with
//! serde_json (float_roundtrip), the base64 and hex crates and this visitor: +26.5 KB gzipped,
//! +16%. Leptos links serde_json's types but none of its parser into a bundle, so the parser
//! is not shared for free. Kept anyway because a JWT decoder reads hostile input and
//! serde_json is the parser the ecosystem fuzzes and maintains; if the page budget needs the
//! 26 KB back, the hand-written parser is in git history (before "Codecs from well-kept
//! crates") and the duplicate check below is its only behaviour to carry over.
//!
//! One thing serde_json's own `Value` cannot do is the reason for the code below: its map keeps
//! one member per name (and, without the `preserve_order` feature, which would add indexmap to
//! the wasm, sorts them). A token must be shown as written and its duplicate names flagged
//! (RFC 7515 §4, RFC 8725 §3.11: parsers disagree about which copy wins), so [`JsonObject`] is
//! read by its own serde visitor: the top level keeps its members in document order,
//! duplicates included, and every object at any depth records the names it saw twice.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
pub use serde_json::Value;
use std::collections::BTreeSet;
use std::fmt;

/// A JSON object as written: members in document order, duplicates kept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JsonObject {
    members: Vec<(String, Value)>,
    /// Paths of names that occur more than once in one object (`alg`, `jwk.kty`,
    /// `list[0].x`), each once, in the order they were met.
    duplicate_keys: Vec<String>,
}

/// What a text held: an object, or another JSON value (named in error messages).
#[derive(Debug, Clone, PartialEq)]
pub enum JsonDocument {
    Object(JsonObject),
    Other(Value),
}

/// serde_json's error, kept as its message and position so errors can be compared and cloned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    /// serde_json's words, e.g. "expected `,` or `}` at line 1 column 16".
    pub message: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in bytes; 0 when the text ended early.
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for JsonError {}

/// Parses one JSON value. Nesting deeper than serde_json's limit (128) is an error, not a
/// stack overflow.
pub fn parse(text: &str) -> Result<JsonDocument, JsonError> {
    let mut duplicates = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let read = Reader { path: String::new(), duplicates: &mut duplicates }.deserialize(&mut deserializer).and_then(|read| {
        deserializer.end()?;
        Ok(read)
    });
    match read {
        Ok(Read::Object(members)) => Ok(JsonDocument::Object(JsonObject { members, duplicate_keys: duplicates })),
        Ok(Read::Other(value)) => Ok(JsonDocument::Other(value)),
        Err(error) => Err(JsonError { message: reworded(&error), line: error.line(), column: error.column() }),
    }
}

/// serde_json's message, with its two terse phrases said plainly for a reader.
fn reworded(error: &serde_json::Error) -> String {
    let message = error.to_string();
    if error.is_eof() && error.column() == 0 {
        return "the text is empty; expected a JSON value".to_string();
    }
    // serde_json's "ident" is a bare word: the parser saw t, f or n and not true, false or null.
    message.replacen("expected ident", "expected true, false or null", 1)
}

/// "an object", "a string", …: for messages such as "the payload is an array".
pub fn kind_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `text` as a JSON string literal, quotes and control characters escaped.
pub fn quote(text: &str) -> String {
    Value::from(text).to_string()
}

impl JsonObject {
    /// An object built in code (OAuth responses), in the order given.
    pub fn from_members<'a>(members: impl IntoIterator<Item = (&'a str, Value)>) -> Self {
        Self { members: members.into_iter().map(|(name, value)| (name.to_string(), value)).collect(), duplicate_keys: Vec::new() }
    }

    /// The member `name`. With duplicate names the last one wins, which is what RFC 7515 §4
    /// asks of a JWS parser that does not reject duplicates outright.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.members.iter().rev().find(|(member, _)| member == name).map(|(_, value)| value)
    }

    /// Sets every member called `name` to `value`, where it stands, or puts it first when
    /// there is none (so a token's header reads `{"alg":…}` first, as is usual).
    pub fn set_or_prepend(&mut self, name: &str, value: Value) {
        let mut found = false;
        for (_, member) in self.members.iter_mut().filter(|(member, _)| member == name) {
            *member = value.clone();
            found = true;
        }
        if !found {
            self.members.insert(0, (name.to_string(), value));
        }
    }

    pub fn members(&self) -> &[(String, Value)] {
        &self.members
    }

    /// Names that occur more than once in one object, at any depth, as paths (`jwk.kty`).
    pub fn duplicate_keys(&self) -> &[String] {
        &self.duplicate_keys
    }

    /// Two-space indented text, members in their original order (like
    /// `JSON.stringify(value, null, 2)`).
    pub fn pretty(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Text with no whitespace, as a token is signed.
    pub fn compact(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl Serialize for JsonObject {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.members.len()))?;
        for (name, value) in &self.members {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// What the visitor read: the top level needs an object's members in order; deeper down an
/// object becomes a plain `Value` (last duplicate wins, as in the members' `get`).
enum Read {
    Object(Vec<(String, Value)>),
    Other(Value),
}

impl Read {
    fn into_value(self) -> Value {
        match self {
            Read::Object(members) => Value::Object(members.into_iter().collect()),
            Read::Other(value) => value,
        }
    }
}

/// Reads one value at `path`, recording duplicate names it meets into `duplicates`.
struct Reader<'d> {
    path: String,
    duplicates: &'d mut Vec<String>,
}

impl Reader<'_> {
    fn child(&mut self, step: &str) -> Reader<'_> {
        let path = if self.path.is_empty() || step.starts_with('[') { format!("{}{step}", self.path) } else { format!("{}.{step}", self.path) };
        Reader { path, duplicates: self.duplicates }
    }
}

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = Read;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Read, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Read;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Read, E> {
        Ok(Read::Other(Value::Bool(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Read, E> {
        Ok(Read::Other(Value::from(value)))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Read, E> {
        Ok(Read::Other(Value::from(value)))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Read, E> {
        // serde_json reports out-of-range numbers as errors, so `value` is finite here.
        Ok(Read::Other(Value::from(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Read, E> {
        Ok(Read::Other(Value::from(value)))
    }

    fn visit_string<E>(self, value: String) -> Result<Read, E> {
        Ok(Read::Other(Value::String(value)))
    }

    fn visit_unit<E>(self) -> Result<Read, E> {
        Ok(Read::Other(Value::Null))
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Read, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(self.child(&format!("[{}]", items.len())))? {
            items.push(item.into_value());
        }
        Ok(Read::Other(Value::Array(items)))
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Read, A::Error> {
        let mut members: Vec<(String, Value)> = Vec::new();
        let mut seen = BTreeSet::new();
        while let Some(name) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.child(&name))?.into_value();
            if !seen.insert(name.clone()) {
                let path = self.child(&name).path;
                if !self.duplicates.contains(&path) {
                    self.duplicates.push(path);
                }
            }
            members.push((name, value));
        }
        Ok(Read::Object(members))
    }
}

#[cfg(test)]
mod tests;
