//! A small, strict JSON parser (RFC 8259) and printer, so the JWT decoder can show a token's
//! header and claims without pulling serde_json into the WebAssembly bundle.
//!
//! Built for hostile input: the text length and the nesting depth are capped (so recursion
//! stays shallow however the input is shaped), numbers keep their exact text, object members
//! keep their order and duplicates (the JWT model warns about them), and every error names
//! what was expected and the line and column where it went wrong.

use super::encoding::describe_char;
use std::fmt;

/// Arrays and objects nested deeper than this are refused (a JWT header is 1–2 levels deep).
pub const MAX_DEPTH: usize = 64;
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

    /// Member names that occur more than once in this object (not nested ones), each once.
    pub fn duplicate_keys(&self) -> Vec<String> {
        let Json::Object(members) = self else { return Vec::new() };
        let mut duplicates: Vec<String> = Vec::new();
        for (index, (name, _)) in members.iter().enumerate() {
            let seen_before = members.iter().take(index).any(|(earlier, _)| earlier == name);
            if seen_before && !duplicates.contains(name) {
                duplicates.push(name.clone());
            }
        }
        duplicates
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
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn error_of(text: &str) -> JsonError {
        match parse(text) {
            Err(error) => error,
            Ok(value) => panic!("{text:?} parsed as {value:?}"),
        }
    }

    fn string(text: &str) -> Json {
        Json::String(text.to_string())
    }

    #[test]
    fn parses_every_kind_of_value() {
        let value = parse(r#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": []} "#).unwrap();
        let expected = Json::Object(vec![
            (
                "a".to_string(),
                Json::Array(vec![Json::Number("1".into()), Json::Number("-2.5e3".into()), Json::Bool(true), Json::Bool(false), Json::Null]),
            ),
            ("b".to_string(), Json::Object(vec![("c".to_string(), string("d"))])),
            ("e".to_string(), Json::Array(vec![])),
        ]);
        assert_eq!(value, expected);
        assert_eq!(parse("0").unwrap(), Json::Number("0".into()));
        assert_eq!(parse("\"\"").unwrap(), string(""));
    }

    #[test]
    fn numbers_keep_their_text_and_convert() {
        for text in ["0", "-0", "1300819380", "0.5", "-1.25E+2", "1e-7", "12345678901234567890"] {
            assert_eq!(parse(text).unwrap(), Json::Number(text.to_string()));
        }
        assert_eq!(parse("-1.25E+2").unwrap().as_f64(), Some(-125.0));
        assert_eq!(parse("1e400").unwrap().as_f64(), Some(f64::INFINITY));
    }

    #[test]
    fn escapes_and_surrogate_pairs_decode() {
        assert_eq!(parse(r#""a\"b\\c\/d\b\f\n\r\t""#).unwrap(), string("a\"b\\c/d\u{8}\u{C}\n\r\t"));
        assert_eq!(parse(r#""\u00e9\u4e2D""#).unwrap(), string("é中"));
        // U+1F600 is D83D DE00 in UTF-16.
        assert_eq!(parse(r#""\uD83D\uDE00""#).unwrap(), string("😀"));
        assert_eq!(parse("\"raw 😀 é\"").unwrap(), string("raw 😀 é"));
    }

    #[test]
    fn every_error_kind_has_its_position() {
        let error = error_of(r#"{"alg":"HS256" "typ":"JWT"}"#);
        assert_eq!(error.kind, JsonErrorKind::UnexpectedCharacter { expected: "',' or '}'", found: '"' });
        assert_eq!((error.line, error.column, error.offset), (1, 16, 15));
        assert!(error.to_string().starts_with("expected ',' or '}' at line 1, column 16"), "{error}");

        let error = error_of("{\n  \"a\": 1,\n  \"b\" 2}");
        assert_eq!(error.kind, JsonErrorKind::UnexpectedCharacter { expected: "':'", found: '2' });
        assert_eq!((error.line, error.column), (3, 7));

        assert_eq!(error_of("   ").kind, JsonErrorKind::Empty);
        assert_eq!(error_of("[1, 2").kind, JsonErrorKind::UnexpectedEnd { expected: "',' or ']'" });
        assert_eq!(error_of("{} x").kind, JsonErrorKind::TrailingCharacters { found: 'x' });
        assert_eq!(error_of("{} x").column, 4);

        let error = error_of("{\"a\": \"open");
        assert_eq!((error.kind, error.column), (JsonErrorKind::UnclosedString, 7));

        let error = error_of(r#""a\x""#);
        assert_eq!((error.kind, error.column), (JsonErrorKind::InvalidEscape { found: 'x' }, 4));

        let error = error_of(r#"["\u12G4"]"#);
        assert_eq!((error.kind, error.column), (JsonErrorKind::BadUnicodeEscape, 3));

        let error = error_of(r#""ab\uD83D""#);
        assert_eq!((error.kind, error.column), (JsonErrorKind::LoneSurrogate { code_unit: 0xD83D }, 4));
        assert_eq!(error_of(r#""\uDE00""#).kind, JsonErrorKind::LoneSurrogate { code_unit: 0xDE00 });
        assert_eq!(error_of(r#""\uD83D\u0041""#).kind, JsonErrorKind::LoneSurrogate { code_unit: 0xD83D });

        let error = error_of("\"a\nb\"");
        assert_eq!((error.kind, error.line, error.column), (JsonErrorKind::ControlCharacter { found: '\n' }, 1, 3));

        let error = error_of("[01]");
        assert_eq!((error.kind, error.column), (JsonErrorKind::LeadingZero, 2));
        assert_eq!(error_of("-").kind, JsonErrorKind::UnexpectedEnd { expected: "a digit after '-'" });
        assert_eq!(error_of("1.").kind, JsonErrorKind::UnexpectedEnd { expected: "a digit after '.'" });
        assert_eq!(error_of("1e+x").kind, JsonErrorKind::UnexpectedCharacter { expected: "a digit in the exponent", found: 'x' });
        assert_eq!(error_of("tru").kind, JsonErrorKind::UnexpectedEnd { expected: "'true'" });
        assert_eq!(error_of("nul!").kind, JsonErrorKind::UnexpectedCharacter { expected: "'null'", found: '!' });
        assert_eq!(error_of("NaN").kind, JsonErrorKind::UnexpectedCharacter { expected: EXPECTED_VALUE, found: 'N' });

        let long = " ".repeat(MAX_INPUT_BYTES + 1);
        assert_eq!(error_of(&long).kind, JsonErrorKind::TooLong { bytes: MAX_INPUT_BYTES + 1, limit: MAX_INPUT_BYTES });
    }

    #[test]
    fn hand_editing_mistakes_get_hints() {
        let trailing = error_of(r#"{"a": 1,}"#);
        assert!(trailing.to_string().contains("no trailing comma"), "{trailing}");
        assert!(error_of("[1,]").to_string().contains("no trailing comma"));
        let quotes = error_of("{'a': 1}");
        assert!(quotes.to_string().contains("double quotes"), "{quotes}");
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // "é" is two bytes but one column: the stray 'x' is the 6th character, at byte 6.
        let error = error_of("[\"é\" x]");
        assert_eq!((error.column, error.offset), (6, 6));
    }

    #[test]
    fn nesting_is_capped_without_deep_recursion() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
        let too_deep = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let error = error_of(&too_deep);
        assert_eq!((error.kind, error.column), (JsonErrorKind::TooDeep { limit: MAX_DEPTH }, MAX_DEPTH + 1));
        // Far deeper than any stack would survive if the parser recursed without a cap.
        for hostile in ["[".repeat(200_000), "{\"a\":".repeat(40_000)] {
            assert_eq!(error_of(&hostile).kind, JsonErrorKind::TooDeep { limit: MAX_DEPTH });
        }
    }

    #[test]
    fn pretty_printing_keeps_order_and_indents_two_spaces() {
        let value = parse(r#"{"typ":"JWT","alg":"HS256","list":[1,{"x":null}],"empty":{},"none":[]}"#).unwrap();
        let expected = "{\n  \"typ\": \"JWT\",\n  \"alg\": \"HS256\",\n  \"list\": [\n    1,\n    {\n      \"x\": null\n    }\n  ],\n  \"empty\": {},\n  \"none\": []\n}";
        assert_eq!(value.pretty(), expected);
        assert_eq!(value.compact(), r#"{"typ":"JWT","alg":"HS256","list":[1,{"x":null}],"empty":{},"none":[]}"#);
        assert_eq!(quote("a\"b\\\n\u{1}"), r#""a\"b\\\n\u0001""#);
    }

    #[test]
    fn duplicates_are_kept_and_the_last_wins() {
        let value = parse(r#"{"alg":"HS256","x":1,"alg":"none","alg":"RS256"}"#).unwrap();
        assert_eq!(value.get("alg"), Some(&string("RS256")));
        assert_eq!(value.duplicate_keys(), vec!["alg".to_string()]);
        assert_eq!(value.get("missing"), None);
    }

    proptest! {
        #[test]
        fn never_panics_and_errors_point_inside(text in ".{0,60}") {
            if let Err(error) = parse(&text) {
                prop_assert!(error.offset <= text.len());
                prop_assert!(error.line >= 1 && error.column >= 1);
            }
        }

        #[test]
        fn json_shaped_noise_never_panics(text in r#"[\[\]{}",:0-9eE.+\-\\u tfrnal]{0,60}"#) {
            let _ = parse(&text);
        }

        #[test]
        fn printed_values_parse_back_to_the_same_value(
            keys in proptest::collection::vec("\\PC{0,6}", 0..5),
            numbers in proptest::collection::vec(-1_000_000i64..1_000_000, 0..5),
        ) {
            let members: Vec<(String, Json)> = keys.iter().cloned().zip(numbers.iter().map(|n| Json::Number(n.to_string()))).collect();
            let value = Json::Object(vec![
                ("members".to_string(), Json::Object(members)),
                ("texts".to_string(), Json::Array(keys.iter().cloned().map(Json::String).collect())),
            ]);
            prop_assert_eq!(parse(&value.pretty()).unwrap(), value.clone());
            prop_assert_eq!(parse(&value.compact()).unwrap(), value);
        }
    }
}
