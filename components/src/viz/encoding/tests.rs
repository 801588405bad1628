use super::*;
use proptest::prelude::*;

#[test]
fn rfc4648_vectors_encode_and_decode() {
    // RFC 4648 §10, in both alphabets (these inputs contain no 62/63 symbols).
    let cases = [("", "", ""), ("f", "Zg==", "Zg"), ("fo", "Zm8=", "Zm8"), ("foo", "Zm9v", "Zm9v"), ("foob", "Zm9vYg==", "Zm9vYg"), ("fooba", "Zm9vYmE=", "Zm9vYmE"), ("foobar", "Zm9vYmFy", "Zm9vYmFy")];
    for (plain, standard, url) in cases {
        assert_eq!(base64_encode(plain.as_bytes()), standard);
        assert_eq!(base64url_encode(plain.as_bytes()), url);
        assert_eq!(base64url_decode(url).unwrap(), plain.as_bytes());
        assert_eq!(base64_decode(standard).unwrap(), plain.as_bytes());
    }
    // RFC 4648 §10 for base16.
    assert_eq!(hex_encode(b"foobar"), "666f6f626172");
    assert_eq!(hex_decode("666F6F626172").unwrap(), b"foobar");
}

#[test]
fn the_two_alphabets_differ_only_in_62_and_63() {
    // 0xFB 0xFF = 111110 111111 1111(00): symbols 62, 63, 60.
    assert_eq!(base64url_encode(&[0xFB, 0xFF]), "-_8");
    assert_eq!(base64_encode(&[0xFB, 0xFF]), "+/8=");
    assert_eq!(base64url_decode("-_8").unwrap(), vec![0xFB, 0xFF]);
    assert_eq!(base64_decode("+/8=").unwrap(), vec![0xFB, 0xFF]);
}

#[test]
fn url_decoder_rejects_with_position() {
    let error = base64url_decode("eyJhbGciOiJIUzI1*iJ9").unwrap_err();
    assert_eq!(error.kind, Base64ErrorKind::UnexpectedCharacter { found: '*' });
    assert_eq!((error.position, error.byte_offset), (17, 16));
    assert_eq!(error.to_string(), "unexpected character '*' at position 17");

    let error = base64url_decode("ab+d").unwrap_err();
    assert_eq!((error.kind, error.position), (Base64ErrorKind::StandardAlphabet { found: '+' }, 3));

    for padded in ["Zg==", "Zg=", "Zm9vYmFy=", "ab=c"] {
        let error = base64url_decode(padded).unwrap_err();
        let first_equals = padded.find('=').unwrap();
        assert_eq!((error.kind, error.byte_offset, error.position), (Base64ErrorKind::Padding, first_equals, first_equals + 1), "{padded}");
    }

    assert_eq!(base64url_decode("Zm9vY").unwrap_err().kind, Base64ErrorKind::ImpossibleLength { symbols: 5 });

    // "Zh": Z = 25 = 011001, h = 33 = 100001; one byte 01100110 and 0001 left over.
    let error = base64url_decode("Zh").unwrap_err();
    assert_eq!((error.kind, error.position), (Base64ErrorKind::TrailingBits { found: 'h' }, 2));

    let error = base64url_decode("ab cd").unwrap_err();
    assert!(error.to_string().contains("a space") && error.to_string().contains("position 3"), "{error}");

    // A non-ASCII character is counted as one position and found whole.
    let error = base64url_decode("aé").unwrap_err();
    assert_eq!((error.kind, error.position, error.byte_offset), (Base64ErrorKind::UnexpectedCharacter { found: 'é' }, 2, 1));
    let error = base64url_decode("abc\u{200B}").unwrap_err();
    assert!(error.to_string().contains("U+200B (an invisible zero-width character)"), "{error}");
}

#[test]
fn standard_decoder_reads_pem_bodies() {
    assert_eq!(base64_decode("Zm9v\nYmFy\r\n").unwrap(), b"foobar");
    assert_eq!(base64_decode(" Zm8=\n").unwrap(), b"fo");
    assert_eq!(base64_decode("Zm9=").unwrap_err().kind, Base64ErrorKind::TrailingBits { found: '9' });
    assert_eq!(base64_decode("a-b=").unwrap_err().kind, Base64ErrorKind::UnexpectedCharacter { found: '-' });
    // PEM always pads (RFC 7468 §3): missing or short padding is damage.
    assert_eq!(base64_decode("Zg").unwrap_err().kind, Base64ErrorKind::WrongPadding);
    assert_eq!(base64_decode("Zg=").unwrap_err().kind, Base64ErrorKind::WrongPadding);
    let error = base64_decode("Zg=x").unwrap_err();
    assert_eq!((error.kind, error.position), (Base64ErrorKind::MisplacedPadding, 3));
    assert_eq!(base64_decode("Z===").unwrap_err().kind, Base64ErrorKind::MisplacedPadding);
    // Positions count in the text as given, line breaks included: '*' is the 8th character.
    let error = base64_decode("Zm9v\nYm*y").unwrap_err();
    assert_eq!((error.kind, error.position, error.byte_offset), (Base64ErrorKind::UnexpectedCharacter { found: '*' }, 8, 7));
    let error = base64_decode("Zm9v\nZg\n").unwrap_err();
    assert_eq!((error.kind, error.position, error.byte_offset), (Base64ErrorKind::WrongPadding, 8, 8));
}

#[test]
fn hex_accepts_separated_bytes_and_explains_errors() {
    assert_eq!(hex_encode(&[0x00, 0x0b, 0xff]), "000bff");
    assert_eq!(hex_decode("00 0B:ff\n10").unwrap(), vec![0x00, 0x0b, 0xff, 0x10]);
    assert_eq!(hex_decode("").unwrap(), Vec::<u8>::new());
    assert!(hex_decode("abc").unwrap_err().contains("odd number"));
    assert!(hex_decode("0 b").unwrap_err().contains("\"0\" at position 1"), "a separator may not split a byte");
    assert!(hex_decode("zz").unwrap_err().contains("'z' at position 1"));
    let error = hex_decode("00 aé").unwrap_err();
    assert!(error.contains("'é' at position 5"), "{error}");
}

proptest! {
    #[test]
    fn encodings_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let url = base64url_encode(&bytes);
        prop_assert!(url.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        prop_assert_eq!(url.len(), (bytes.len() * 8).div_ceil(6), "no padding");
        prop_assert_eq!(base64url_decode(&url).unwrap(), bytes.clone());
        let standard = base64_encode(&bytes);
        prop_assert_eq!(standard.len() % 4, 0, "padded to groups of four");
        prop_assert_eq!(base64_decode(&standard).unwrap(), bytes.clone());
        let hex = hex_encode(&bytes);
        prop_assert_eq!(hex_decode(&hex).unwrap(), bytes.clone());
        prop_assert_eq!(hex_decode(&hex.to_uppercase()).unwrap(), bytes);
    }

    /// Strict decoders accept one spelling per byte string: what decodes re-encodes to itself.
    #[test]
    fn accepted_text_is_canonical(text in "[A-Za-z0-9_+/=-]{0,24}") {
        if let Ok(bytes) = base64url_decode(&text) {
            prop_assert_eq!(base64url_encode(&bytes), text.clone());
        }
        if let Ok(bytes) = base64_decode(&text) {
            prop_assert_eq!(base64_encode(&bytes), text);
        }
    }

    #[test]
    fn decoders_never_panic_and_errors_point_inside(text in ".{0,80}") {
        for result in [base64url_decode(&text), base64_decode(&text)] {
            if let Err(error) = result {
                prop_assert!(error.byte_offset <= text.len() && text.is_char_boundary(error.byte_offset));
                prop_assert!(error.position >= 1 || text.is_empty());
                prop_assert!(error.position <= text.chars().count().max(1));
                prop_assert!(!error.to_string().is_empty());
            }
        }
        let _ = hex_decode(&text);
    }

    #[test]
    fn the_reported_character_is_the_one_at_the_offset(text in "[A-Za-z0-9_*+/ é=-]{0,40}") {
        if let Err(error) = base64url_decode(&text) {
            if let Base64ErrorKind::UnexpectedCharacter { found } | Base64ErrorKind::StandardAlphabet { found } | Base64ErrorKind::TrailingBits { found } = error.kind {
                prop_assert_eq!(text[error.byte_offset..].chars().next(), Some(found));
                prop_assert_eq!(text.chars().nth(error.position - 1), Some(found));
                // Everything before it is valid base64url.
                prop_assert!(text[..error.byte_offset].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
            }
        }
    }
}
