//! The URL query as key–value pairs, encoded and decoded by hand so the models stay free of
//! web dependencies. Anything malformed decodes to something harmless, never a panic.

/// Splits `a=1&b=x%20y` into pairs. A leading `?` is ignored; broken escapes are kept literally.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((key, value)) => (decode(key), decode(value)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// Joins pairs into a query string (without the `?`).
pub fn build_query<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    pairs.into_iter().map(|(key, value)| format!("{}={}", encode(key), encode(&value))).collect::<Vec<_>>().join("&")
}

pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b',' | b':' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

pub fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes
                    .get(index + 1..index + 3)
                    .and_then(|pair| std::str::from_utf8(pair).ok())
                    .filter(|pair| pair.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|pair| u8::from_str_radix(pair, 16).ok());
                match hex {
                    Some(value) => {
                        out.push(value);
                        index += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            other => out.push(other),
        }
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_awkward_text() {
        for text in ["plain", "a b&c=d", "100%", "ünïcode ✓", "", "%zz", "?x"] {
            assert_eq!(decode(&encode(text)), text, "{text}");
        }
    }

    #[test]
    fn malformed_escapes_survive_as_text() {
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%zz1"), "%zz1");
        assert_eq!(decode("%ff"), "\u{FFFD}");
    }

    #[test]
    fn parses_pairs() {
        let pairs = parse_query("?n=5&mode=ap&flag&x=%3Cb%3E");
        assert_eq!(pairs, [("n".into(), "5".into()), ("mode".into(), "ap".into()), ("flag".into(), String::new()), ("x".into(), "<b>".into())]);
        assert_eq!(build_query([("a", "1 2".to_string()), ("b", "x".to_string())]), "a=1%202&b=x");
    }
}
