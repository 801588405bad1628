//! A small, strict JSON parser (RFC 8259) and printer for the JWT decoder, the OAuth flows'
//! response bodies and the capacity planner's import and export.
//!
//! Hand-written rather than serde_json, for a measured reason. Commit b7a0319 swapped it for
//! serde_json (float_roundtrip) plus a duplicate-aware serde visitor; measured 2026-12 on the
//! `viz-jwt-decoder` bundle (`cargo build --release --target wasm32-unknown-unknown --bin …`,
//! wasm-bindgen 0.2.130 `--target web`, wasm-opt 132 `-Oz`, `gzip -9c | wc -c`), the same tree
//! is 194,696 B gzipped with serde_json and 173,841 B with this parser: serde_json costs
//! 20.9 KB (+12 %), and `viz-oauth-flows` 184,673 B against 178,090 B (+6.6 KB). The budget
//! for a page with one tool is 170 KB in all. serde_json is in leptos's dependency tree, but
//! none of its parser reaches our bundles unless we call it, so it is not shared for free.
//! Revisit if a bundle comes to link serde_json anyway.
//!
//! Built for hostile input: the text length and the nesting depth are capped (so recursion
//! stays shallow however the input is shaped), numbers keep their exact text (so a design
//! exported and imported again keeps every value to the last bit, and `1e400` is shown as
//! written), object members keep their order and duplicates (the JWT model warns about them,
//! RFC 7515 §4 and RFC 8725 §3.11: parsers disagree about which copy wins), and every error
//! names what was expected and the line and column where it went wrong.

use super::encoding::describe_char;
use std::fmt;

/// Arrays and objects nested deeper than this are refused (a JWT header is 1–2 levels deep).
pub const MAX_DEPTH: usize = 64;
/// At most this many duplicate names are reported: enough for any warning list, and it bounds
/// the work of naming paths in a hostile text (thousands of duplicates under a long path).
pub const MAX_REPORTED_DUPLICATES: usize = 16;
/// Longer texts are refused before parsing starts.
pub const MAX_INPUT_BYTES: usize = 256 * 1024;

/// A parsed JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Null,
    Bool(bool),
    /// The number exactly as written (already checked against the JSON grammar), so printing
    /// never rounds it: `1300819380`, `-0.5`, `1e400` stay as they are.
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in document order, duplicates kept.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The member `key` of an object. With duplicate names the last one wins, which is what
    /// RFC 7515 §4 asks of a JWS parser that does not reject duplicates outright.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(name, _)| name == key).map(|(_, value)| value),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    /// The number as a float (infinite when it overflows, as `1e400` does).
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// "an object", "a string", …: for messages such as "the payload is an array".
    pub fn kind_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }

    /// Names given more than once in one object, in this object or any object inside it, as
    /// paths from here (`alg`, `jwk.kty`, `keys[0].kid`), each once, in document order, at most
    /// [`MAX_REPORTED_DUPLICATES`]. The same name in two different objects is not a duplicate.
    pub fn duplicate_keys(&self) -> Vec<String> {
        let mut found = Vec::new();
        self.collect_duplicates(&mut Vec::new(), &mut found);
        found
    }

    /// `path` is the steps from the top to `self`; a path is only spelled out for a duplicate.
    fn collect_duplicates<'a>(&'a self, path: &mut Vec<PathStep<'a>>, found: &mut Vec<String>) {
        match self {
            Json::Object(members) => {
                let mut seen = std::collections::BTreeSet::new();
                for (name, value) in members {
                    if found.len() >= MAX_REPORTED_DUPLICATES {
                        return;
                    }
                    path.push(PathStep::Name(name));
                    if !seen.insert(name.as_str()) {
                        let spelled = spell_path(path);
                        if !found.contains(&spelled) {
                            found.push(spelled);
                        }
                    }
                    value.collect_duplicates(path, found);
                    path.pop();
                }
            }
            Json::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    path.push(PathStep::Index(index));
                    item.collect_duplicates(path, found);
                    path.pop();
                }
            }
            _ => {}
        }
    }

    /// Sets every member called `name` of an object to `value` where it stands, or puts it
    /// first when there is none (so a signed header reads `{"alg":…}` first, as is usual).
    /// Every copy, because a reader of the token takes the last one. Other values are left as
    /// they are.
    pub fn set_or_prepend(&mut self, name: &str, value: Json) {
        let Json::Object(members) = self else { return };
        let mut found = false;
        for (_, member) in members.iter_mut().filter(|(member, _)| member == name) {
            *member = value.clone();
            found = true;
        }
        if !found {
            members.insert(0, (name.to_string(), value));
        }
    }

    /// Two-space indented text, members in their original order (like
    /// `JSON.stringify(value, null, 2)`).
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, Some(0));
        out
    }

    /// Text with no whitespace, as a token is signed.
    pub fn compact(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, None);
        out
    }

    /// `indent` is the current depth when pretty-printing, `None` for compact output.
    fn write(&self, out: &mut String, indent: Option<usize>) {
        let newline = |out: &mut String, depth: usize| {
            out.push('\n');
            for _ in 0..depth {
                out.push_str("  ");
            }
        };
        match self {
            Json::Null => out.push_str("null"),
            Json::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Json::Number(text) => out.push_str(text),
            Json::String(text) => write_string(out, text),
            Json::Array(items) if items.is_empty() => out.push_str("[]"),
            Json::Object(members) if members.is_empty() => out.push_str("{}"),
            Json::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    if let Some(depth) = indent {
                        newline(out, depth + 1);
                    }
                    item.write(out, indent.map(|depth| depth + 1));
                }
                if let Some(depth) = indent {
                    newline(out, depth);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (index, (name, value)) in members.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    if let Some(depth) = indent {
                        newline(out, depth + 1);
                    }
                    write_string(out, name);
                    out.push_str(if indent.is_some() { ": " } else { ":" });
                    value.write(out, indent.map(|depth| depth + 1));
                }
                if let Some(depth) = indent {
                    newline(out, depth);
                }
                out.push('}');
            }
        }
    }
}

/// One step of a path to a member: an object member's name or an array index.
enum PathStep<'a> {
    Name(&'a str),
    Index(usize),
}

/// `jwk.kty`, `list[0].x`: the way people write a path into a JSON document.
fn spell_path(path: &[PathStep]) -> String {
    let mut spelled = String::new();
    for step in path {
        match step {
            PathStep::Name(name) => {
                if !spelled.is_empty() {
                    spelled.push('.');
                }
                spelled.push_str(name);
            }
            PathStep::Index(index) => spelled.push_str(&format!("[{index}]")),
        }
    }
    spelled
}

/// A JSON string literal for `text`: quotes, backslashes and control characters escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    write_string(&mut out, text);
    out
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    for ch in text.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{C}' => out.push_str("\\f"),
            _ if (ch as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", ch as u32)),
            _ => out.push(ch),
        }
    }
    out.push('"');
}

/// What the parser met instead of valid JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonErrorKind {
    /// Nothing but whitespace.
    Empty,
    TooLong { bytes: usize, limit: usize },
    TooDeep { limit: usize },
    /// `expected` is written for a reader: "',' or '}'", "a value", …
    UnexpectedCharacter { expected: &'static str, found: char },
    UnexpectedEnd { expected: &'static str },
    /// A value is complete but more text follows.
    TrailingCharacters { found: char },
    /// The string opened here is never closed.
    UnclosedString,
    InvalidEscape { found: char },
    /// `\u` not followed by four hex digits.
    BadUnicodeEscape,
    /// Half of a UTF-16 surrogate pair without its other half.
    LoneSurrogate { code_unit: u16 },
    /// A raw control character (U+0000–U+001F) inside a string.
    ControlCharacter { found: char },
    /// `01`, `-00`: JSON numbers have no leading zeros.
    LeadingZero,
}

/// A parse error and where it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub kind: JsonErrorKind,
    /// Byte offset into the parsed text.
    pub offset: usize,
    /// 1-based line (lines end at `\n`).
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = format!("at line {}, column {}", self.line, self.column);
        match &self.kind {
            JsonErrorKind::Empty => write!(f, "the text is empty; expected a JSON value"),
            JsonErrorKind::TooLong { bytes, limit } => write!(f, "the text is {bytes} bytes long; the parser reads at most {limit}"),
            JsonErrorKind::TooDeep { limit } => write!(f, "arrays and objects are nested more than {limit} levels deep {at}"),
            JsonErrorKind::UnexpectedCharacter { expected, found } => {
                write!(f, "expected {expected} {at}, found {}{}", describe_char(*found), hint(expected, *found))
            }
            JsonErrorKind::UnexpectedEnd { expected } => write!(f, "expected {expected} {at}, but the text ends there"),
            JsonErrorKind::TrailingCharacters { found } => {
                write!(f, "unexpected {} {at}, after the end of the JSON value", describe_char(*found))
            }
            JsonErrorKind::UnclosedString => write!(f, "the string that starts {at} is never closed with '\"'"),
            JsonErrorKind::InvalidEscape { found } => write!(
                f,
                "'\\' followed by {} {at} is not an escape; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX",
                describe_char(*found)
            ),
            JsonErrorKind::BadUnicodeEscape => write!(f, "\\u must be followed by four hex digits {at}"),
            JsonErrorKind::LoneSurrogate { code_unit } => write!(
                f,
                "\\u{code_unit:04X} {at} is half of a UTF-16 surrogate pair, and its other half does not follow"
            ),
            JsonErrorKind::ControlCharacter { found } => write!(
                f,
                "{} inside a string {at}; control characters must be escaped (\\n, \\t, \\u00XX)",
                describe_char(*found)
            ),
            JsonErrorKind::LeadingZero => write!(f, "a number cannot start with 0 followed by more digits {at}"),
        }
    }
}

impl std::error::Error for JsonError {}

/// Extra words for the mistakes people actually make when they hand-edit JSON.
fn hint(expected: &str, found: char) -> &'static str {
    match found {
        '\'' => " (JSON strings use double quotes)",
        '}' | ']' if expected.starts_with("a key") || expected.starts_with("a value") => " (JSON allows no trailing comma)",
        _ => "",
    }
}

/// Parses one JSON value (surrounded by optional whitespace).
pub fn parse(text: &str) -> Result<Json, JsonError> {
    let parser = Parser { text, bytes: text.as_bytes(), pos: 0 };
    parser.parse_document()
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

const EXPECTED_VALUE: &str = "a value (object, array, string, number, true, false or null)";

impl Parser<'_> {
    fn parse_document(mut self) -> Result<Json, JsonError> {
        if self.text.len() > MAX_INPUT_BYTES {
            return Err(self.error_at(0, JsonErrorKind::TooLong { bytes: self.text.len(), limit: MAX_INPUT_BYTES }));
        }
        self.skip_whitespace();
        if self.pos >= self.bytes.len() {
            return Err(self.error_at(self.pos, JsonErrorKind::Empty));
        }
        let value = self.value(0)?;
        self.skip_whitespace();
        match self.current_char() {
            None => Ok(value),
            Some(found) => Err(self.error(JsonErrorKind::TrailingCharacters { found })),
        }
    }

    fn error(&self, kind: JsonErrorKind) -> JsonError {
        self.error_at(self.pos, kind)
    }

    fn error_at(&self, offset: usize, kind: JsonErrorKind) -> JsonError {
        let before = self.text.get(..offset).unwrap_or(self.text);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |index| index + 1);
        let column = before.get(line_start..).map_or(0, |rest| rest.chars().count()) + 1;
        JsonError { kind, offset, line, column }
    }

    /// "Expected X" at the current position, whether a wrong character or the end is there.
    fn expected(&self, expected: &'static str) -> JsonError {
        match self.current_char() {
            Some(found) => self.error(JsonErrorKind::UnexpectedCharacter { expected, found }),
            None => self.error(JsonErrorKind::UnexpectedEnd { expected }),
        }
    }

    fn current_char(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|rest| rest.chars().next())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        match self.peek() {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.literal("true", "'true'", Json::Bool(true)),
            Some(b'f') => self.literal("false", "'false'", Json::Bool(false)),
            Some(b'n') => self.literal("null", "'null'", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.expected(EXPECTED_VALUE)),
        }
    }

    fn literal(&mut self, word: &str, expected: &'static str, value: Json) -> Result<Json, JsonError> {
        for expected_byte in word.bytes() {
            if self.peek() != Some(expected_byte) {
                return Err(self.expected(expected));
            }
            self.pos += 1;
        }
        Ok(value)
    }

    fn enter(&self, depth: usize) -> Result<(), JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error(JsonErrorKind::TooDeep { limit: MAX_DEPTH }));
        }
        Ok(())
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value(depth)?);
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                _ => return Err(self.expected("',' or ']'")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut members = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_whitespace();
            if self.peek() != Some(b'"') {
                return Err(self.expected("a key in double quotes"));
            }
            let name = self.string()?;
            self.skip_whitespace();
            if self.peek() != Some(b':') {
                return Err(self.expected("':'"));
            }
            self.pos += 1;
            self.skip_whitespace();
            let value = self.value(depth)?;
            members.push((name, value));
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Json::Object(members));
                }
                _ => return Err(self.expected("',' or '}'")),
            }
        }
    }

    /// Reads a string starting at its opening quote; returns its decoded text.
    fn string(&mut self) -> Result<String, JsonError> {
        let start = self.pos;
        self.pos += 1;
        let mut text = String::new();
        loop {
            let Some(ch) = self.current_char() else {
                return Err(self.error_at(start, JsonErrorKind::UnclosedString));
            };
            match ch {
                '"' => {
                    self.pos += 1;
                    return Ok(text);
                }
                '\\' => {
                    self.pos += 1;
                    text.push(self.escape()?);
                }
                _ if (ch as u32) < 0x20 => return Err(self.error(JsonErrorKind::ControlCharacter { found: ch })),
                _ => {
                    text.push(ch);
                    self.pos += ch.len_utf8();
                }
            }
        }
    }

    /// Reads what follows a backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let Some(ch) = self.current_char() else {
            return Err(self.error(JsonErrorKind::UnexpectedEnd { expected: "an escape character after '\\'" }));
        };
        let simple = match ch {
            '"' => Some('"'),
            '\\' => Some('\\'),
            '/' => Some('/'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{C}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'u' => None,
            _ => return Err(self.error(JsonErrorKind::InvalidEscape { found: ch })),
        };
        if let Some(decoded) = simple {
            self.pos += 1;
            return Ok(decoded);
        }
        // `\u`: the error points at the backslash, where the escape begins.
        let escape_start = self.pos - 1;
        let first = self.hex_unit()?;
        match first {
            0xD800..=0xDBFF => {
                let followed_by_escape = self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u");
                if followed_by_escape {
                    self.pos += 1;
                    let second = self.hex_unit()?;
                    if (0xDC00..=0xDFFF).contains(&second) {
                        let code = 0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00);
                        return char::from_u32(code).ok_or_else(|| self.error_at(escape_start, JsonErrorKind::LoneSurrogate { code_unit: first }));
                    }
                }
                Err(self.error_at(escape_start, JsonErrorKind::LoneSurrogate { code_unit: first }))
            }
            0xDC00..=0xDFFF => Err(self.error_at(escape_start, JsonErrorKind::LoneSurrogate { code_unit: first })),
            _ => char::from_u32(u32::from(first)).ok_or_else(|| self.error_at(escape_start, JsonErrorKind::BadUnicodeEscape)),
        }
    }

    /// At a `u`: consumes it and four hex digits.
    fn hex_unit(&mut self) -> Result<u16, JsonError> {
        let escape_start = self.pos.saturating_sub(1);
        self.pos += 1;
        let mut unit: u16 = 0;
        for _ in 0..4 {
            let digit = self.peek().and_then(|byte| char::from(byte).to_digit(16));
            let Some(digit) = digit else {
                return Err(self.error_at(escape_start, JsonErrorKind::BadUnicodeEscape));
            };
            unit = unit << 4 | digit as u16;
            self.pos += 1;
        }
        Ok(unit)
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error_at(self.pos - 1, JsonErrorKind::LeadingZero));
                }
            }
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.expected("a digit after '-'")),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.expected("a digit after '.'"));
            }
            self.skip_digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.expected("a digit in the exponent"));
            }
            self.skip_digits();
        }
        let text = self.text.get(start..self.pos).unwrap_or("0");
        Ok(Json::Number(text.to_string()))
    }

    fn skip_digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }
}

#[cfg(test)]
mod tests;
