//! The cryptography the handshake computes, from well-kept crates: X25519 (RFC 7748) from
//! `x25519-dalek`, HKDF-SHA256 (RFC 5869) from `hkdf`, and on top of them the two functions
//! TLS 1.3 defines in RFC 8446 §7.1, HKDF-Expand-Label and Derive-Secret, plus the Finished
//! MAC (§4.4.4) and TLS 1.2's PRF (RFC 5246 §5) for the comparison. Nothing here is
//! hand-written curve or hash arithmetic; the TLS functions are the few lines of byte layout the
//! RFCs spell out.

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

/// A 32-byte value: an X25519 key, a SHA-256 hash, or a TLS 1.3 secret.
pub type Bytes32 = [u8; 32];

/// The public key of an X25519 private key: X25519(k, 9). Any 32 bytes are a valid private
/// key; X25519 clears and sets a few bits first (RFC 7748 §5, "clamping").
pub fn public_key(private: &Bytes32) -> Bytes32 {
    PublicKey::from(&StaticSecret::from(*private)).to_bytes()
}

/// The shared secret X25519(k, u) of one side's private key and the other's public key.
pub fn shared_secret(private: &Bytes32, their_public: &Bytes32) -> Bytes32 {
    StaticSecret::from(*private).diffie_hellman(&PublicKey::from(*their_public)).to_bytes()
}

/// SHA-256 of `bytes`: TLS 1.3's Transcript-Hash of the handshake messages concatenated.
pub fn sha256(bytes: &[u8]) -> Bytes32 {
    Sha256::digest(bytes).into()
}

/// HKDF-Extract (RFC 5869 §2.2); no salt means 32 zero bytes, TLS 1.3's "0".
pub fn hkdf_extract(salt: Option<&[u8]>, ikm: &[u8]) -> Bytes32 {
    Hkdf::<Sha256>::extract(salt, ikm).0.into()
}

/// HKDF-Expand (RFC 5869 §2.3) of a 32-byte PRK into `out`. The lengths TLS asks for (at most
/// 48 bytes here) are far inside HKDF's limit of 255 × 32, so the crate's errors cannot occur.
pub fn hkdf_expand(prk: &Bytes32, info: &[u8], out: &mut [u8]) {
    if let Ok(hkdf) = Hkdf::<Sha256>::from_prk(prk) {
        let _ = hkdf.expand(info, out);
    }
}

/// The `HkdfLabel` structure of RFC 8446 §7.1: the output length, "tls13 " + label and the
/// context, each with its length in front.
pub fn hkdf_label(length: u16, label: &str, context: &[u8]) -> Vec<u8> {
    let full = format!("tls13 {label}");
    let mut info = Vec::with_capacity(4 + full.len() + context.len());
    info.extend_from_slice(&length.to_be_bytes());
    info.push(full.len() as u8);
    info.extend_from_slice(full.as_bytes());
    info.push(context.len() as u8);
    info.extend_from_slice(context);
    info
}

/// HKDF-Expand-Label(Secret, Label, Context, Length) of RFC 8446 §7.1.
pub fn expand_label(secret: &Bytes32, label: &str, context: &[u8], length: usize) -> Vec<u8> {
    let mut out = vec![0; length];
    hkdf_expand(secret, &hkdf_label(length as u16, label, context), &mut out);
    out
}

/// Derive-Secret(Secret, Label, Messages) of RFC 8446 §7.1, given the transcript hash of the
/// messages rather than the messages.
pub fn derive_secret(secret: &Bytes32, label: &str, transcript_hash: &Bytes32) -> Bytes32 {
    let mut out = [0; 32];
    hkdf_expand(secret, &hkdf_label(32, label, transcript_hash), &mut out);
    out
}

/// The hash of no messages: the context of Derive-Secret(·, "derived", "").
pub fn empty_hash() -> Bytes32 {
    sha256(&[])
}

/// HMAC-SHA256, for the Finished MAC and TLS 1.2's PRF (HMAC takes a key of any length).
fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Bytes32 {
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mut mac) => {
            for part in parts {
                mac.update(part);
            }
            mac.finalize().into_bytes().into()
        }
        Err(_) => [0; 32],
    }
}

/// A Finished message's verify_data (RFC 8446 §4.4.4): HMAC(finished_key, transcript hash),
/// where finished_key = HKDF-Expand-Label(base key, "finished", "", 32). A PSK binder is the
/// same computation with the binder key as the base key (§4.2.11.2).
pub fn finished_mac(base_key: &Bytes32, transcript_hash: &Bytes32) -> Bytes32 {
    let finished_key = expand_label(base_key, "finished", &[], 32);
    hmac_sha256(&finished_key, &[transcript_hash])
}

/// TLS 1.2's PRF with SHA-256 (RFC 5246 §5): P_SHA256(secret, label + seed), cut to `out`.
pub fn tls12_prf(secret: &[u8], label: &str, seed: &[u8], out: &mut [u8]) {
    let mut a = hmac_sha256(secret, &[label.as_bytes(), seed]);
    for chunk in out.chunks_mut(32) {
        let block = hmac_sha256(secret, &[&a, label.as_bytes(), seed]);
        chunk.copy_from_slice(&block[..chunk.len()]);
        a = hmac_sha256(secret, &[&a]);
    }
}

/// Lower-case hex, two digits a byte.
pub fn hex(bytes: &[u8]) -> String {
    ::hex::encode(bytes)
}

/// The first `count` bytes in hex followed by "…" when there are more: what fits in a picture.
pub fn hex_prefix(bytes: &[u8], count: usize) -> String {
    let shown = ::hex::encode(&bytes[..count.min(bytes.len())]);
    if bytes.len() > count { format!("{shown}…") } else { shown }
}

/// Reads a private key as a reader pastes it: 64 hex digits, in either case, with any spaces,
/// line breaks or colons between them (RFC 8448 prints keys as spaced pairs) and an optional
/// "0x" in front. The error says what is wrong and where.
pub fn parse_private_key(text: &str) -> Result<Bytes32, String> {
    let trimmed = text.trim();
    let body = trimmed.strip_prefix("0x").or_else(|| trimmed.strip_prefix("0X")).unwrap_or(trimmed);
    let mut digits = Vec::with_capacity(64);
    for (index, ch) in body.chars().enumerate() {
        match ch {
            _ if ch.is_whitespace() || ch == ':' => {}
            _ => match ch.to_digit(16) {
                Some(value) => digits.push(value as u8),
                None => {
                    let before = text.chars().count() - text.trim_start().chars().count() + trimmed.len() - body.len();
                    let at = before + index + 1;
                    return Err(format!(
                        "Character {at}, {}, is not a hexadecimal digit: a key is written with 0–9 and a–f (spaces and colons are ignored).",
                        crate::viz::encoding::describe_char(ch)
                    ));
                }
            },
        }
    }
    match digits.len() {
        0 => Err("The key is empty: paste 32 bytes as 64 hexadecimal digits (0–9, a–f).".to_string()),
        64 => {
            let mut key = [0; 32];
            for (byte, pair) in key.iter_mut().zip(digits.chunks(2)) {
                *byte = pair[0] << 4 | pair[1];
            }
            Ok(key)
        }
        count => Err(format!("That is {count} hexadecimal digit{}; an X25519 private key is 32 bytes, 64 hexadecimal digits.", if count == 1 { "" } else { "s" })),
    }
}

/// Decodes hex at compile time, ignoring spaces and line breaks, into exactly `N` bytes; a
/// wrong digit or length stops the build rather than the page.
pub(crate) const fn unhex<const N: usize>(text: &str) -> [u8; N] {
    const fn nibble(digit: u8) -> u8 {
        match digit {
            b'0'..=b'9' => digit - b'0',
            b'a'..=b'f' => digit - b'a' + 10,
            b'A'..=b'F' => digit - b'A' + 10,
            _ => panic!("not a hex digit"),
        }
    }
    let bytes = text.as_bytes();
    let mut out = [0u8; N];
    let (mut at, mut filled) = (0, 0);
    while at < bytes.len() {
        if bytes[at] == b' ' || bytes[at] == b'\n' {
            at += 1;
            continue;
        }
        assert!(filled < N && at + 1 < bytes.len(), "hex longer than its array");
        out[filled] = nibble(bytes[at]) << 4 | nibble(bytes[at + 1]);
        filled += 1;
        at += 2;
    }
    assert!(filled == N, "hex shorter than its array");
    out
}
