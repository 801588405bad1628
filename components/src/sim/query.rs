//! The one codec for text in URLs: the share-link query every tool keeps in the address bar,
//! and the `application/x-www-form-urlencoded` bodies and queries the OAuth flows show.
//! Encoding and decoding are rust-url's `form_urlencoded` and `percent-encoding` crates; this
//! file only picks which characters each use leaves readable. Anything malformed decodes to
//! something harmless (broken escapes stay as written, bad UTF-8 becomes U+FFFD), never a panic.

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS, NON_ALPHANUMERIC};

/// What a share link leaves readable: RFC 3986's unreserved characters (`- _ . ~`) plus `,`
/// and `:`, which lists and recorded actions use (`category=caching,security`,
/// `do=12.a~40.r3`), so a link stays legible when pasted.
const SHARE_LINK: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b',').remove(b':');

/// What a browser escapes in a typed address before sending it (the WHATWG URL parser's
/// fragment and query sets, roughly): controls, space, non-ASCII and ``"<>\^`{|}``. `%` stays,
/// so escaping twice changes nothing.
const TYPED_URL: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'\\').add(b'^').add(b'`').add(b'{').add(b'|').add(b'}');

/// Splits `a=1&b=x%20y` into decoded pairs (`+` is a space). A leading `?` is ignored; a pair
/// without `=` has an empty value.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.trim_start_matches('?').as_bytes()).into_owned().collect()
}

/// The value of `key` in a link's pairs; when a link repeats a key, the last one wins.
pub fn last_value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// The seed a run starts from when its link names none.
pub const DEFAULT_SEED: u64 = 1;

/// The seed a link asks for: its `seed`, or [`DEFAULT_SEED`] without one; `Err` with the raw
/// text when it is not a whole number (the caller says so and uses the default).
pub fn seed_in(pairs: &[(String, String)]) -> Result<u64, &str> {
    match last_value(pairs, "seed") {
        None => Ok(DEFAULT_SEED),
        Some(raw) => raw.trim().parse::<u64>().map_err(|_| raw),
    }
}

/// Joins pairs into a share-link query (without the `?`).
pub fn build_query<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let encode = |text: &str| utf8_percent_encode(text, SHARE_LINK).to_string();
    pairs.into_iter().map(|(key, value)| format!("{}={}", encode(key), encode(&value))).collect::<Vec<_>>().join("&")
}

/// One value in `application/x-www-form-urlencoded` form (RFC 6749 Appendix B, by the WHATWG
/// serializer): alphanumerics and `*-._` stay, a space becomes `+`, every other byte `%XX`.
pub fn form_urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// `key=value&key=value`, both sides form-encoded: an OAuth query or token request body.
pub fn form_encode_pairs(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish()
}

/// A typed URL made safe to put in an HTTP request line or header, as a browser would send it.
pub fn escape_typed_url(url: &str) -> String {
    utf8_percent_encode(url, TYPED_URL).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_action_number_has_one_spelling() {
        assert_eq!(["0", "7", "120", "999999999"].map(canonical_number), [Some(0), Some(7), Some(120), Some(999_999_999)]);
        for text in ["", "07", "-1", "+1", "1.0", " 1", "1e3", "1000000000", "١"] {
            assert_eq!(canonical_number(text), None, "{text:?}");
        }
    }
    use proptest::prelude::*;

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect()
    }

    #[test]
    fn malformed_escapes_survive_as_text() {
        assert_eq!(parse_query("a=%"), pairs(&[("a", "%")]));
        assert_eq!(parse_query("a=%4"), pairs(&[("a", "%4")]));
        assert_eq!(parse_query("a=%zz1"), pairs(&[("a", "%zz1")]));
        assert_eq!(parse_query("a=%ff"), pairs(&[("a", "\u{FFFD}")]));
    }

    #[test]
    fn parses_pairs() {
        let parsed = parse_query("?n=5&mode=ap&flag&x=%3Cb%3E&&y=a+b");
        assert_eq!(parsed, pairs(&[("n", "5"), ("mode", "ap"), ("flag", ""), ("x", "<b>"), ("y", "a b")]));
    }

    #[test]
    fn share_links_stay_readable() {
        assert_eq!(build_query([("a", "1 2".to_string()), ("b", "x".to_string())]), "a=1%202&b=x");
        assert_eq!(build_query([("do", "12.a~40.r3".to_string()), ("category", "caching,security:x".to_string())]), "do=12.a~40.r3&category=caching,security:x");
        assert_eq!(build_query([("x", "a&b=c+d%".to_string())]), "x=a%26b%3Dc%2Bd%25");
    }

    #[test]
    fn form_encoding_follows_rfc_6749_appendix_b() {
        // The appendix's own example: the value " %&+£€" is sent as "+%25%26%2B%C2%A3%E2%82%AC".
        assert_eq!(form_urlencode(" %&+£€"), "+%25%26%2B%C2%A3%E2%82%AC");
        assert_eq!(parse_query("value=+%25%26%2B%C2%A3%E2%82%AC"), pairs(&[("value", " %&+£€")]));
        assert_eq!(form_urlencode("photos.read photos.write"), "photos.read+photos.write");
        assert_eq!(form_urlencode("https://printer.example/cb?x=1&y=2"), "https%3A%2F%2Fprinter.example%2Fcb%3Fx%3D1%26y%3D2");
        assert_eq!(form_encode_pairs(&[("a b", "c&d"), ("e", "")]), "a+b=c%26d&e=");
    }

    #[test]
    fn typed_urls_are_escaped_once() {
        let valid = "https://printer.example/cb?app=1&x=%41";
        assert_eq!(escape_typed_url(valid), valid);
        let once = escape_typed_url("https://h/a b\n{x}é");
        assert_eq!(once, "https://h/a%20b%0A%7Bx%7D%C3%A9");
        assert_eq!(escape_typed_url(&once), once);
    }

    proptest! {
        #[test]
        fn share_queries_round_trip(key in "[a-z]{1,8}", value in "\\PC{0,40}") {
            let query = build_query([(key.as_str(), value.clone())]);
            prop_assert!(query.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.~,:%=".contains(&b)), "{}", query);
            prop_assert_eq!(parse_query(&format!("?{query}")), vec![(key, value)]);
        }

        #[test]
        fn form_pairs_round_trip(key in "\\PC{1,10}", value in "\\PC{0,40}") {
            let encoded = form_encode_pairs(&[(&key, &value)]);
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"*-._+%=".contains(&b)), "{}", encoded);
            prop_assert_eq!(parse_query(&encoded), vec![(key, value)]);
        }

        #[test]
        fn decoding_never_panics(text in ".{0,80}") {
            let _ = parse_query(&text);
            let escaped = escape_typed_url(&text);
            prop_assert_eq!(escape_typed_url(&escaped), escaped.clone(), "escaping twice changes nothing");
        }
    }
}

/// A whole number in an action's text, written the one way the models write it: digits only,
/// no sign, no leading zero, at most nine digits (so it fits a `u32`). Anything else is `None`,
/// so a link that decodes has one spelling.
pub fn canonical_number(text: &str) -> Option<u32> {
    let plain = !text.is_empty() && text.len() <= 9 && text.bytes().all(|b| b.is_ascii_digit()) && (text == "0" || !text.starts_with('0'));
    plain.then(|| text.parse().ok()).flatten()
}
