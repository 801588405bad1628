//! Byte encodings the JWT and OAuth models show to the reader: base64url (JWT parts, PKCE),
//! standard base64 (PEM bodies, HTTP Basic credentials), hex (signatures) and the
//! `application/x-www-form-urlencoded` form OAuth requests use. Decoders never panic and say
//! exactly which character is wrong and where.

use std::fmt;

/// Which base64 alphabet a decoder reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alphabet {
    /// RFC 4648 §5: `-` and `_`, no padding, no whitespace (JWT parts, PKCE).
    Url,
    /// RFC 4648 §4: `+` and `/`, optional `=` padding, whitespace ignored (PEM bodies).
    Standard,
}

/// What went wrong while decoding base64 or base64url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base64ErrorKind {
    /// A character outside the alphabet.
    UnexpectedCharacter { found: char },
    /// `+` or `/` in base64url: the text was encoded with the standard alphabet.
    StandardAlphabet { found: char },
    /// `=` in base64url: JWTs and PKCE leave padding out.
    Padding,
    /// Something other than padding after `=` (standard base64).
    DataAfterPadding { found: char },
    /// Padding that does not complete a group of four.
    WrongPadding,
    /// `symbols % 4 == 1`: one leftover character carries only 6 bits, less than a byte.
    ImpossibleLength { symbols: usize },
    /// The last character has bits set that belong to no byte: the text was cut or edited.
    TrailingBits { found: char },
}

/// A decoding error with the place it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Base64Error {
    pub kind: Base64ErrorKind,
    /// 1-based character position in the decoded text (for length errors, the length).
    pub position: usize,
    /// Byte offset of the offending character in the decoded text (for length errors, its end),
    /// so a view can highlight it.
    pub byte_offset: usize,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let position = self.position;
        match &self.kind {
            Base64ErrorKind::UnexpectedCharacter { found } => write!(f, "{}", unexpected_character(*found, position)),
            Base64ErrorKind::StandardAlphabet { found } => write!(
                f,
                "unexpected character '{found}' at position {position} ('+' and '/' belong to standard base64; base64url uses '-' and '_')"
            ),
            Base64ErrorKind::Padding => {
                write!(f, "unexpected '=' at position {position} (base64url in JWTs and PKCE leaves out the '=' padding)")
            }
            Base64ErrorKind::DataAfterPadding { found } => {
                write!(f, "unexpected character {} at position {position}, after the '=' padding that ends the data", describe_char(*found))
            }
            Base64ErrorKind::WrongPadding => write!(f, "the '=' padding at position {position} does not complete a group of four characters"),
            Base64ErrorKind::ImpossibleLength { symbols } => write!(
                f,
                "{symbols} characters cannot be base64: after groups of four, one character is left over and 6 bits cannot make a byte (a character is missing or extra)"
            ),
            Base64ErrorKind::TrailingBits { found } => write!(
                f,
                "the last character '{found}' at position {position} has bits set beyond the final byte (the text was cut short or edited)"
            ),
        }
    }
}

impl std::error::Error for Base64Error {}

const URL_SYMBOLS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const STANDARD_SYMBOLS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// base64url without padding (RFC 4648 §5), as JWTs and PKCE use it.
pub fn base64url_encode(bytes: &[u8]) -> String {
    encode_with(bytes, URL_SYMBOLS, false)
}

/// Standard base64 with `=` padding (RFC 4648 §4), as HTTP Basic credentials and PEM use it.
pub fn base64_encode(bytes: &[u8]) -> String {
    encode_with(bytes, STANDARD_SYMBOLS, true)
}

fn encode_with(bytes: &[u8], symbols: &[u8; 64], pad: bool) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let symbol = |index: u32| char::from(symbols[(index & 63) as usize]);
    for chunk in bytes.chunks(3) {
        let group = chunk.iter().enumerate().fold(0u32, |acc, (i, byte)| acc | u32::from(*byte) << (16 - 8 * i));
        // n bytes give n + 1 symbols: 8, 16 or 24 bits need 2, 3 or 4 six-bit symbols.
        for i in 0..=chunk.len() {
            out.push(symbol(group >> (18 - 6 * i)));
        }
        if pad {
            for _ in chunk.len()..3 {
                out.push('=');
            }
        }
    }
    out
}

/// Strict base64url as RFC 7515 requires: only `A–Z a–z 0–9 - _`, no padding, no whitespace,
/// and no stray bits in the last character.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    decode_with(text, Alphabet::Url)
}

/// Standard base64 as found in PEM: whitespace and line breaks are skipped, `=` padding is
/// optional but must be correct when present.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    decode_with(text, Alphabet::Standard)
}

fn sextet(ch: char, alphabet: Alphabet) -> Option<u32> {
    let value = match ch {
        'A'..='Z' => ch as u32 - 'A' as u32,
        'a'..='z' => ch as u32 - 'a' as u32 + 26,
        '0'..='9' => ch as u32 - '0' as u32 + 52,
        '-' if alphabet == Alphabet::Url => 62,
        '_' if alphabet == Alphabet::Url => 63,
        '+' if alphabet == Alphabet::Standard => 62,
        '/' if alphabet == Alphabet::Standard => 63,
        _ => return None,
    };
    Some(value)
}

fn decode_with(text: &str, alphabet: Alphabet) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut buffer: u32 = 0;
    let mut buffered_bits = 0u32;
    let mut symbols = 0usize;
    let mut padding = 0usize;
    let mut last_symbol: Option<(char, usize, usize)> = None;
    let error = |kind, position, byte_offset| Base64Error { kind, position, byte_offset };
    for (index, (byte_offset, ch)) in text.char_indices().enumerate() {
        let position = index + 1;
        if alphabet == Alphabet::Standard && matches!(ch, ' ' | '\t' | '\r' | '\n') {
            continue;
        }
        if ch == '=' {
            if alphabet == Alphabet::Url {
                return Err(error(Base64ErrorKind::Padding, position, byte_offset));
            }
            padding += 1;
            if padding > 2 || (symbols + padding) % 4 == 1 {
                return Err(error(Base64ErrorKind::WrongPadding, position, byte_offset));
            }
            continue;
        }
        if padding > 0 {
            return Err(error(Base64ErrorKind::DataAfterPadding { found: ch }, position, byte_offset));
        }
        let Some(value) = sextet(ch, alphabet) else {
            let kind = if alphabet == Alphabet::Url && matches!(ch, '+' | '/') {
                Base64ErrorKind::StandardAlphabet { found: ch }
            } else {
                Base64ErrorKind::UnexpectedCharacter { found: ch }
            };
            return Err(error(kind, position, byte_offset));
        };
        buffer = (buffer << 6) | value;
        buffered_bits += 6;
        if buffered_bits >= 8 {
            buffered_bits -= 8;
            out.push((buffer >> buffered_bits) as u8);
            buffer &= (1 << buffered_bits) - 1;
        }
        symbols += 1;
        last_symbol = Some((ch, position, byte_offset));
    }
    if symbols % 4 == 1 {
        return Err(error(Base64ErrorKind::ImpossibleLength { symbols }, symbols, text.len()));
    }
    if padding > 0 && (symbols + padding) % 4 != 0 {
        return Err(error(Base64ErrorKind::WrongPadding, text.chars().count(), text.len()));
    }
    if let Some((found, position, byte_offset)) = last_symbol {
        if buffer != 0 {
            return Err(error(Base64ErrorKind::TrailingBits { found }, position, byte_offset));
        }
    }
    Ok(out)
}

/// Lower-case hex, two digits a byte.
pub fn hex_encode(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 15)]));
    }
    out
}

/// Hex in either case; spaces and colons between bytes are allowed (`0b:0b` or `0b 0b`).
pub fn hex_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut high: Option<u8> = None;
    for (index, ch) in text.chars().enumerate() {
        if matches!(ch, ' ' | ':' | '\n' | '\r' | '\t') && high.is_none() {
            continue;
        }
        let Some(nibble) = ch.to_digit(16) else {
            return Err(format!("{} (hex uses 0–9 and a–f)", unexpected_character(ch, index + 1)));
        };
        let nibble = nibble as u8;
        match high.take() {
            Some(high_nibble) => out.push(high_nibble << 4 | nibble),
            None => high = Some(nibble),
        }
    }
    if high.is_some() {
        return Err("hex needs two digits for every byte; the last byte has only one".to_string());
    }
    Ok(out)
}

/// `application/x-www-form-urlencoded` (the form OAuth uses for query strings and token
/// request bodies, RFC 6749 Appendix B): unreserved characters stay, a space becomes `+`,
/// every other byte of the UTF-8 text becomes `%XX`.
pub fn form_urlencode(text: &str) -> String {
    const DIGITS: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(char::from(byte)),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(DIGITS[usize::from(byte >> 4)]));
                out.push(char::from(DIGITS[usize::from(byte & 15)]));
            }
        }
    }
    out
}

/// `key=value&key=value` with both sides form-encoded.
pub fn form_encode_pairs(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(key, value)| format!("{}={}", form_urlencode(key), form_urlencode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Splits `a=1&b=2` and undoes the form encoding (`+` is a space, `%XX` a byte). Malformed
/// escapes are kept as written and invalid UTF-8 is replaced, so this never fails.
pub fn form_decode_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (form_urldecode(key), form_urldecode(value))
        })
        .collect()
}

fn form_urldecode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        let escaped = bytes.get(index + 1..index + 3).and_then(|hex| std::str::from_utf8(hex).ok()).and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match (byte, escaped) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                index += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                index += 1;
            }
            _ => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// "unexpected character '*' at position 17", or, for a character that cannot be seen,
/// "unexpected character at position 4 (a line break)".
fn unexpected_character(ch: char, position: usize) -> String {
    if ch.is_whitespace() || ch.is_control() || describe_char(ch).starts_with("U+") {
        format!("unexpected character at position {position} ({})", describe_char(ch))
    } else {
        format!("unexpected character '{ch}' at position {position}")
    }
}

/// A character as a reader should see it in an error message: quoted when visible, named
/// when it is whitespace or invisible (a pasted token often hides a line break or a
/// zero-width space).
pub fn describe_char(ch: char) -> String {
    match ch {
        ' ' => "a space".to_string(),
        '\n' => "a line break".to_string(),
        '\r' => "a carriage return".to_string(),
        '\t' => "a tab".to_string(),
        '\u{A0}' => "U+00A0 (a non-breaking space)".to_string(),
        '\u{FEFF}' => "U+FEFF (a byte order mark)".to_string(),
        '\u{200B}'..='\u{200D}' | '\u{2060}' => format!("U+{:04X} (an invisible zero-width character)", ch as u32),
        _ if ch.is_control() => format!("U+{:04X} (a control character)", ch as u32),
        _ => format!("'{ch}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rfc4648_vectors_encode() {
        // RFC 4648 §10, in both alphabets (these inputs contain no 62/63 symbols).
        let cases = [("", "", ""), ("f", "Zg==", "Zg"), ("fo", "Zm8=", "Zm8"), ("foo", "Zm9v", "Zm9v"), ("foob", "Zm9vYg==", "Zm9vYg"), ("fooba", "Zm9vYmE=", "Zm9vYmE"), ("foobar", "Zm9vYmFy", "Zm9vYmFy")];
        for (plain, standard, url) in cases {
            assert_eq!(base64_encode(plain.as_bytes()), standard);
            assert_eq!(base64url_encode(plain.as_bytes()), url);
            assert_eq!(base64url_decode(url).unwrap(), plain.as_bytes());
            assert_eq!(base64_decode(standard).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn the_two_alphabets_differ_only_in_62_and_63() {
        // 0xFB 0xFF = 111110 111111 1111(00): symbols 62, 63, 60.
        assert_eq!(base64url_encode(&[0xFB, 0xFF]), "-_8");
        assert_eq!(base64_encode(&[0xFB, 0xFF]), "+/8=");
        assert_eq!(base64url_decode("-_8").unwrap(), vec![0xFB, 0xFF]);
    }

    #[test]
    fn url_decoder_rejects_with_position() {
        let error = base64url_decode("eyJhbGciOiJIUzI1*iJ9").unwrap_err();
        assert_eq!(error.kind, Base64ErrorKind::UnexpectedCharacter { found: '*' });
        assert_eq!(error.position, 17);
        assert_eq!(error.byte_offset, 16);
        assert_eq!(error.to_string(), "unexpected character '*' at position 17");

        let error = base64url_decode("ab+d").unwrap_err();
        assert_eq!(error.kind, Base64ErrorKind::StandardAlphabet { found: '+' });
        assert_eq!(error.position, 3);

        let error = base64url_decode("Zg==").unwrap_err();
        assert_eq!((error.kind, error.position), (Base64ErrorKind::Padding, 3));

        let error = base64url_decode("Zm9vY").unwrap_err();
        assert_eq!(error.kind, Base64ErrorKind::ImpossibleLength { symbols: 5 });

        // "Zh": Z = 25 = 011001, h = 33 = 100001; one byte 01100110 and 0001 left over.
        let error = base64url_decode("Zh").unwrap_err();
        assert_eq!((error.kind, error.position), (Base64ErrorKind::TrailingBits { found: 'h' }, 2));

        let error = base64url_decode("ab cd").unwrap_err();
        assert!(error.to_string().contains("a space") && error.to_string().contains("position 3"), "{error}");

        // A non-ASCII character is counted as one position.
        let error = base64url_decode("aé").unwrap_err();
        assert_eq!((error.position, error.byte_offset), (2, 1));
    }

    #[test]
    fn standard_decoder_reads_pem_bodies() {
        assert_eq!(base64_decode("Zm9v\nYmFy\r\n").unwrap(), b"foobar");
        assert_eq!(base64_decode("Zg").unwrap(), b"f", "padding is optional");
        assert_eq!(base64_decode("Zg=x").unwrap_err().kind, Base64ErrorKind::DataAfterPadding { found: 'x' });
        assert_eq!(base64_decode("Zm8=").unwrap(), b"fo");
        assert_eq!(base64_decode("Zm9=").unwrap_err().kind, Base64ErrorKind::TrailingBits { found: '9' });
        assert_eq!(base64_decode("Z===").unwrap_err().kind, Base64ErrorKind::WrongPadding);
        assert_eq!(base64_decode("Zg=").unwrap_err().kind, Base64ErrorKind::WrongPadding);
        assert_eq!(base64_decode("a-b").unwrap_err().kind, Base64ErrorKind::UnexpectedCharacter { found: '-' });
    }

    #[test]
    fn hex_round_trip_and_errors() {
        assert_eq!(hex_encode(&[0x00, 0x0b, 0xff]), "000bff");
        assert_eq!(hex_decode("00 0B:ff").unwrap(), vec![0x00, 0x0b, 0xff]);
        assert!(hex_decode("abc").unwrap_err().contains("only one"));
        assert!(hex_decode("zz").unwrap_err().contains("'z' at position 1"));
    }

    #[test]
    fn form_encoding_follows_rfc_6749_appendix_b() {
        assert_eq!(form_urlencode("photos.read photos.write"), "photos.read+photos.write");
        assert_eq!(form_urlencode("https://printer.example/cb?x=1&y=2"), "https%3A%2F%2Fprinter.example%2Fcb%3Fx%3D1%26y%3D2");
        assert_eq!(form_urlencode("a+b~c"), "a%2Bb~c");
        // é is C3 A9 in UTF-8.
        assert_eq!(form_urlencode("café"), "caf%C3%A9");
        assert_eq!(form_encode_pairs(&[("a b", "c&d"), ("e", "")]), "a+b=c%26d&e=");
        let decoded = form_decode_pairs("a+b=c%26d&e=&f&bad=%zz%4");
        let expected = [("a b", "c&d"), ("e", ""), ("f", ""), ("bad", "%zz%4")];
        assert_eq!(decoded, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    }

    proptest! {
        #[test]
        fn base64url_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let text = base64url_encode(&bytes);
            prop_assert!(text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            prop_assert_eq!(base64url_decode(&text).unwrap(), bytes.clone());
            prop_assert_eq!(base64_decode(&base64_encode(&bytes)).unwrap(), bytes);
        }

        #[test]
        fn form_encoding_round_trips(text in "\\PC{0,40}") {
            let encoded = form_urlencode(&text);
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~+%".contains(&b)));
            prop_assert_eq!(form_decode_pairs(&format!("k={encoded}")), vec![("k".to_string(), text)]);
        }

        #[test]
        fn decoders_never_panic(text in ".{0,80}") {
            let _ = form_decode_pairs(&text);
            let _ = base64url_decode(&text);
            let _ = base64_decode(&text);
            let _ = hex_decode(&text);
        }

        #[test]
        fn errors_point_inside_the_text(text in "[A-Za-z0-9_*+=-]{0,40}") {
            if let Err(error) = base64url_decode(&text) {
                prop_assert!(error.byte_offset <= text.len());
                prop_assert!(error.position <= text.chars().count());
            }
        }
    }
}
