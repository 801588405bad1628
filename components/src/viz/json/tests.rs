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

fn object(members: &[(&str, Json)]) -> Json {
    Json::Object(members.iter().map(|(name, value)| (name.to_string(), value.clone())).collect())
}

#[test]
fn duplicates_are_kept_flagged_and_the_last_wins() {
    let value = parse(r#"{"alg":"HS256","x":1,"alg":"none","alg":"RS256"}"#).unwrap();
    assert_eq!(value.get("alg"), Some(&string("RS256")));
    assert_eq!(value.duplicate_keys(), ["alg"]);
    assert_eq!(value.get("missing"), None);
    assert_eq!(value.compact(), r#"{"alg":"HS256","x":1,"alg":"none","alg":"RS256"}"#, "every copy is kept to show the token as written");
}

#[test]
fn duplicates_inside_are_named_by_their_path() {
    let value = parse(r#"{"jwk":{"kty":"oct","kty":"RSA"},"list":[{"x":1,"x":2}],"ok":{"a":1,"b":{"a":2}}}"#).unwrap();
    assert_eq!(value.duplicate_keys(), ["jwk.kty", "list[0].x"]);
    assert_eq!(value.get("jwk").and_then(|jwk| jwk.get("kty")), Some(&string("RSA")), "the last copy wins at depth too");
    assert!(parse(r#"{"a":{"x":1},"b":{"x":1}}"#).unwrap().duplicate_keys().is_empty(), "the same name in two objects is fine");
    // A name repeated at the top whose copies repeat names inside: each path once, in order.
    let value = parse(r#"{"a":{"b":1,"b":2},"a":{"b":3,"b":4}}"#).unwrap();
    assert_eq!(value.duplicate_keys(), ["a.b", "a"]);
    assert_eq!(parse("[[{}],{\"k\":[0,{\"z\":0,\"z\":0}]}]").unwrap().duplicate_keys(), ["[1].k[1].z"]);
}

#[test]
fn hostile_duplicates_are_capped_and_quick() {
    // 20,000 copies of one name and 2,000 objects with a duplicate, all under a long path:
    // reporting stops at the cap, and finding them is not quadratic in the number of members.
    let prefix = format!("{{\"{}\":", "p".repeat(50_000));
    let members = vec!["\"a\":1"; 20_000].join(",");
    let distinct = (0..2_000).map(|index| format!("\"n{index}\":{{\"d\":1,\"d\":2}}")).collect::<Vec<_>>().join(",");
    let text = format!("{prefix}{{{members},{distinct}}}}}");
    assert!(text.len() < MAX_INPUT_BYTES);
    let found = parse(&text).unwrap().duplicate_keys();
    assert_eq!(found.len(), MAX_REPORTED_DUPLICATES);
    assert_eq!(found[0], format!("{}.a", "p".repeat(50_000)));
    assert_eq!(found[1], format!("{}.n0.d", "p".repeat(50_000)));
}

#[test]
fn set_or_prepend_replaces_every_copy_in_place() {
    let mut header = parse(r#"{"alg":"none","typ":"JWT","alg":"XX"}"#).unwrap();
    header.set_or_prepend("alg", string("HS256"));
    assert_eq!(header.compact(), r#"{"alg":"HS256","typ":"JWT","alg":"HS256"}"#);
    let mut empty = Json::Object(Vec::new());
    empty.set_or_prepend("alg", string("none"));
    assert_eq!(empty.compact(), r#"{"alg":"none"}"#);
    let mut not_an_object = string("x");
    not_an_object.set_or_prepend("alg", Json::Null);
    assert_eq!(not_an_object, string("x"));
}

proptest! {
    #[test]
    fn never_panics_and_errors_point_inside(text in ".{0,60}") {
        if let Err(error) = parse(&text) {
            prop_assert!(error.offset <= text.len());
            prop_assert!(error.line >= 1 && error.column >= 1);
        }
    }

    /// Any Unicode at all, newlines and lone controls included, of any length up to 2 KB.
    #[test]
    fn never_panics_on_arbitrary_strings(text in any::<String>(), bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        for text in [text, String::from_utf8_lossy(&bytes).into_owned()] {
            match parse(&text) {
                Ok(value) => {
                    let _ = (value.pretty(), value.duplicate_keys());
                }
                Err(error) => {
                    prop_assert!(text.is_char_boundary(error.offset), "{:?}", error);
                    let _ = error.to_string();
                }
            }
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

    /// Printing then parsing gives back the same members, duplicates and all, and the
    /// duplicates found, at the top or nested under `outer[0]`, are exactly the names
    /// generated more than once.
    #[test]
    fn printed_objects_parse_back_with_their_duplicates(
        members in proptest::collection::vec(("[a-c]{1,2}", -1_000_000i64..1_000_000, "\\PC{0,6}"), 0..8),
    ) {
        let built = object(&members.iter().map(|(name, number, text)| {
            (name.as_str(), object(&[("n", Json::Number(number.to_string())), ("t", Json::String(text.clone()))]))
        }).collect::<Vec<_>>());
        prop_assert_eq!(parse(&built.pretty()).unwrap(), built.clone());
        prop_assert_eq!(parse(&built.compact()).unwrap(), built.clone());

        let mut expected: Vec<String> = Vec::new();
        for (index, (name, _, _)) in members.iter().enumerate() {
            if members[..index].iter().any(|(earlier, _, _)| earlier == name) && !expected.contains(name) {
                expected.push(name.clone());
            }
        }
        prop_assert_eq!(parse(&built.compact()).unwrap().duplicate_keys(), expected.clone());
        let wrapped = object(&[("outer", Json::Array(vec![built]))]);
        let nested: Vec<String> = expected.iter().map(|name| format!("outer[0].{name}")).collect();
        prop_assert_eq!(parse(&wrapped.pretty()).unwrap().duplicate_keys(), nested);
    }
}
