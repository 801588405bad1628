//! Byte encodings the JWT and OAuth models show to the reader: base64url (JWT parts, PKCE),
//! standard base64 (PEM bodies, HTTP Basic credentials) and hex (signatures, secrets).
//!
//! The decoding itself is the `base64` and `hex` crates'; this file only chooses their strict
//! settings and turns their errors into sentences that name the character and its position,
//! because a pasted token often hides a stray space or a `+` from the wrong alphabet. The
//! form encoding OAuth uses lives with the one query codec, [`crate::sim::query`].

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::{DecodeError, Engine};
use std::fmt;

/// Which base64 alphabet a decoder reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alphabet {
    /// RFC 4648 §5: `-` and `_`, no padding, no whitespace (JWT parts, PKCE, RFC 7515 §2).
    Url,
    /// RFC 4648 §4: `+` and `/`, `=` padding required, line breaks skipped (PEM, RFC 7468).
    Standard,
}

impl Alphabet {
    fn symbols_62_63(self) -> &'static str {
        match self {
            Alphabet::Url => "-_",
            Alphabet::Standard => "+/",
        }
    }
}

/// Standard base64 that insists on canonical padding: PEM (RFC 7468 §3) and HTTP Basic always
/// carry it, so a missing or extra `=` means the text was damaged.
const STANDARD_STRICT: GeneralPurpose =
    GeneralPurpose::new(&alphabet::STANDARD, GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::RequireCanonical));

/// What went wrong while decoding base64 or base64url.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base64ErrorKind {
    /// A character outside the alphabet.
    UnexpectedCharacter { found: char },
    /// `+` or `/` in base64url: the text was encoded with the standard alphabet.
    StandardAlphabet { found: char },
    /// `=` in base64url: JWTs and PKCE leave padding out.
    Padding,
    /// `=` where no padding can be (standard base64): in the middle, or more than two.
    MisplacedPadding,
    /// Padding missing, or not the amount that completes the last group of four.
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
            Base64ErrorKind::MisplacedPadding => {
                write!(f, "unexpected '=' at position {position}: padding may only end the text, one or two '=' at most")
            }
            Base64ErrorKind::WrongPadding => write!(f, "the '=' padding does not complete the last group of four characters (it ends at position {position})"),
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

/// base64url without padding (RFC 4648 §5), as JWTs and PKCE use it.
pub fn base64url_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Standard base64 with `=` padding (RFC 4648 §4), as HTTP Basic credentials and PEM use it.
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Strict base64url as RFC 7515 requires: only `A–Z a–z 0–9 - _`, no padding, no whitespace,
/// and no stray bits in the last character.
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    URL_SAFE_NO_PAD.decode(text).map_err(|error| explain(error, text, Alphabet::Url))
}

/// Standard base64 as found in PEM: line breaks and spaces are skipped, `=` padding must be
/// there and correct. Error positions count in `text` as given, whitespace included.
pub fn base64_decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let is_skipped = |ch: char| matches!(ch, ' ' | '\t' | '\r' | '\n');
    let compact: String = text.chars().filter(|&ch| !is_skipped(ch)).collect();
    STANDARD_STRICT.decode(&compact).map_err(|error| {
        let explained = explain(error, &compact, Alphabet::Standard);
        if explained.byte_offset >= compact.len() {
            return Base64Error { position: text.chars().count(), byte_offset: text.len(), ..explained };
        }
        // The n-th character of the compact text is the n-th one kept from the text as given.
        let kept = text.char_indices().enumerate().filter(|(_, (_, ch))| !is_skipped(*ch)).nth(explained.position - 1);
        match kept {
            Some((index, (byte_offset, _))) => Base64Error { position: index + 1, byte_offset, ..explained },
            None => Base64Error { position: text.chars().count(), byte_offset: text.len(), ..explained },
        }
    })
}

/// Turns the crate's error into ours, with character positions (the crate counts bytes).
fn explain(error: DecodeError, text: &str, alphabet: Alphabet) -> Base64Error {
    let at = |offset: usize| {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let position = text.get(..offset).map_or(0, |before| before.chars().count()) + 1;
        let found = text.get(offset..).and_then(|rest| rest.chars().next()).unwrap_or('=');
        (offset, position, found)
    };
    let whole_length = || Base64Error { kind: Base64ErrorKind::WrongPadding, position: text.chars().count(), byte_offset: text.len() };
    match error {
        DecodeError::InvalidByte(reported, _) => {
            // The crate names *an* invalid byte, not always the first (it checks the last,
            // partial group of four first). People mend a token from the left, so name the
            // first character outside the alphabet.
            let outside = |ch: char| !(ch.is_ascii_alphanumeric() || alphabet.symbols_62_63().contains(ch));
            let first = text.char_indices().find(|&(_, ch)| outside(ch)).map_or(reported, |(offset, _)| offset);
            let (byte_offset, position, found) = at(first);
            let kind = match (alphabet, found) {
                (Alphabet::Url, '=') => Base64ErrorKind::Padding,
                (Alphabet::Url, '+' | '/') => Base64ErrorKind::StandardAlphabet { found },
                (Alphabet::Standard, '=') => Base64ErrorKind::MisplacedPadding,
                _ => Base64ErrorKind::UnexpectedCharacter { found },
            };
            Base64Error { kind, position, byte_offset }
        }
        DecodeError::InvalidLength(symbols) => {
            Base64Error { kind: Base64ErrorKind::ImpossibleLength { symbols }, position: text.chars().count(), byte_offset: text.len() }
        }
        DecodeError::InvalidLastSymbol(offset, _) => {
            let (byte_offset, position, found) = at(offset);
            Base64Error { kind: Base64ErrorKind::TrailingBits { found }, position, byte_offset }
        }
        DecodeError::InvalidPadding => match (alphabet, text.find('=')) {
            (Alphabet::Url, Some(offset)) => {
                let (byte_offset, position, _) = at(offset);
                Base64Error { kind: Base64ErrorKind::Padding, position, byte_offset }
            }
            _ => whole_length(),
        },
    }
}

/// The largest char boundary at or before `offset` (`str::floor_char_boundary` is newer than
/// the Rust this crate supports).
fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Lower-case hex, two digits a byte.
pub fn hex_encode(bytes: &[u8]) -> String {
    hex::encode(bytes)
}

/// Hex in either case; spaces, colons and line breaks may separate groups of whole bytes
/// (`0b:0b`, `0b 0b`, `0b0b`), as tools print keys and signatures.
pub fn hex_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::with_capacity(text.len() / 2);
    let is_separator = |ch: char| matches!(ch, ' ' | ':' | '\n' | '\r' | '\t');
    let mut group_start = 0;
    for group in text.split(is_separator) {
        let decoded = hex::decode(group).map_err(|error| {
            // The first character that is not a hex digit, wherever the crate stopped: it
            // checks the length before the digits.
            let wrong = group.char_indices().find(|(_, ch)| !ch.is_ascii_hexdigit());
            match (error, wrong) {
                (_, Some((offset, ch))) => {
                    let position = text.get(..group_start + offset).map_or(0, |before| before.chars().count()) + 1;
                    format!("{} (hex uses 0–9 and a–f)", unexpected_character(ch, position))
                }
                _ => {
                    let position = text.get(..group_start).map_or(0, |before| before.chars().count()) + 1;
                    format!("hex needs two digits for every byte; the group \"{group}\" at position {position} has an odd number")
                }
            }
        })?;
        bytes.extend(decoded);
        group_start += group.len() + 1;
    }
    Ok(bytes)
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
mod tests;
