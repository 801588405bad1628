use super::*;
use proptest::prelude::*;
use serde_json::json;

fn object(text: &str) -> JsonObject {
    match parse(text) {
        Ok(JsonDocument::Object(object)) => object,
        other => panic!("{text:?} gave {other:?}"),
    }
}

fn error_of(text: &str) -> JsonError {
    match parse(text) {
        Err(error) => error,
        Ok(value) => panic!("{text:?} parsed as {value:?}"),
    }
}

#[test]
fn objects_keep_their_order_and_values() {
    let parsed = object(r#" {"z": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "a": []} "#);
    let names: Vec<&str> = parsed.members().iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["z", "b", "a"], "document order, not sorted");
    assert_eq!(parsed.get("z"), Some(&json!([1, -2500.0, true, false, null])));
    assert_eq!(parsed.get("b"), Some(&json!({"c": "d"})));
    assert!(parsed.duplicate_keys().is_empty());
    assert_eq!(parse("[1]").unwrap(), JsonDocument::Other(json!([1])));
    assert_eq!(parse("\"x\"").unwrap(), JsonDocument::Other(json!("x")));
}

#[test]
fn duplicates_are_kept_flagged_and_the_last_wins() {
    let parsed = object(r#"{"alg":"HS256","x":1,"alg":"none","alg":"RS256"}"#);
    assert_eq!(parsed.get("alg"), Some(&json!("RS256")));
    assert_eq!(parsed.duplicate_keys(), ["alg"]);
    assert_eq!(parsed.members().len(), 4, "every copy is kept to show the token as written");
    assert_eq!(parsed.compact(), r#"{"alg":"HS256","x":1,"alg":"none","alg":"RS256"}"#);

    // Deeper objects, inside arrays too, are checked as well, and named by path.
    let nested = object(r#"{"jwk":{"kty":"oct","kty":"RSA"},"list":[{"x":1,"x":2}],"ok":{"a":1,"b":{"a":2}}}"#);
    assert_eq!(nested.duplicate_keys(), ["jwk.kty", "list[0].x"]);
    assert_eq!(nested.get("jwk"), Some(&json!({"kty": "RSA"})), "the last copy wins at depth too");
    assert!(object(r#"{"a":{"x":1},"b":{"x":1}}"#).duplicate_keys().is_empty(), "the same name in two objects is fine");
}

#[test]
fn errors_name_the_line_and_column() {
    let error = error_of(r#"{"alg":"HS256" "typ":"JWT"}"#);
    // The stray quote is the 16th byte.
    let column = r#"{"alg":"HS256" "#.len() + 1;
    assert_eq!((error.line, error.column), (1, column));
    assert!(error.to_string().contains("expected `,` or `}`"), "{error}");

    let error = error_of("{\n  \"a\": 1,\n  \"b\" 2}");
    assert_eq!((error.line, error.column), (3, "  \"b\" 2".len()));
    assert!(error_of("{\"a\": 1,}").to_string().contains("trailing comma"));
    assert!(error_of(" \n").to_string().contains("empty"));
    assert!(error_of("[1").to_string().contains("EOF"));
    assert!(error_of("nul").to_string().contains("EOF"));
    assert_eq!(error_of("nope").to_string(), "expected true, false or null at line 1 column 2");
    assert!(error_of("{} x").to_string().contains("trailing characters"));
    // Half a surrogate pair: the escape is refused where the pair should continue (byte 8).
    assert_eq!(error_of(r#""\uD83D""#).column, 8);
    assert!(error_of("\"a\nb\"").to_string().contains("control character"));
    assert!(error_of("[01]").to_string().contains("line 1"));
    assert!(error_of("1e400").to_string().contains("out of range"));
}

#[test]
fn nesting_is_capped_without_deep_recursion() {
    let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(parse(&ok).is_ok());
    // Far deeper than any stack would survive if the parser recursed without a cap.
    for hostile in ["[".repeat(200_000), "{\"a\":".repeat(40_000)] {
        assert!(error_of(&hostile).to_string().contains("recursion limit"));
    }
}

#[test]
fn printing_indents_two_spaces_in_document_order() {
    let parsed = object(r#"{"typ":"JWT","alg":"HS256","list":[1,{"x":null}],"empty":{},"none":[]}"#);
    let expected = "{\n  \"typ\": \"JWT\",\n  \"alg\": \"HS256\",\n  \"list\": [\n    1,\n    {\n      \"x\": null\n    }\n  ],\n  \"empty\": {},\n  \"none\": []\n}";
    assert_eq!(parsed.pretty(), expected);
    assert_eq!(parsed.compact(), r#"{"typ":"JWT","alg":"HS256","list":[1,{"x":null}],"empty":{},"none":[]}"#);
    assert_eq!(quote("a\"b\\\n\u{1}"), r#""a\"b\\\n\u0001""#);
}

#[test]
fn set_or_prepend_replaces_in_place() {
    let mut header = object(r#"{"typ":"JWT","alg":"XX"}"#);
    header.set_or_prepend("alg", json!("HS256"));
    assert_eq!(header.compact(), r#"{"typ":"JWT","alg":"HS256"}"#);
    let mut empty = JsonObject::default();
    empty.set_or_prepend("alg", json!("none"));
    assert_eq!(empty.compact(), r#"{"alg":"none"}"#);
}

proptest! {
    #[test]
    fn never_panics_on_any_text(text in ".{0,60}") {
        if let Err(error) = parse(&text) {
            prop_assert!(error.line >= 1 && !error.message.is_empty());
        }
    }

    #[test]
    fn json_shaped_noise_never_panics(text in r#"[\[\]{}",:0-9eE.+\-\\u tfrnal]{0,60}"#) {
        let _ = parse(&text);
    }

    /// Printing then parsing gives back the same members, duplicates and all, and the
    /// duplicates found are exactly the names generated more than once.
    #[test]
    fn printed_objects_parse_back(
        members in proptest::collection::vec(("[a-c]{1,2}", -1_000_000i64..1_000_000, "\\PC{0,6}"), 0..8),
    ) {
        let built = JsonObject::from_members(members.iter().map(|(name, number, text)| (name.as_str(), json!({ "n": number, "t": text }))));
        let reparsed = object(&built.pretty());
        prop_assert_eq!(reparsed.members(), built.members());
        let compact = object(&built.compact());
        prop_assert_eq!(compact.members(), built.members());
        let mut expected: Vec<String> = Vec::new();
        for (index, (name, _, _)) in members.iter().enumerate() {
            if members[..index].iter().any(|(earlier, _, _)| earlier == name) && !expected.contains(name) {
                expected.push(name.clone());
            }
        }
        prop_assert_eq!(reparsed.duplicate_keys(), expected.as_slice());
    }
}
