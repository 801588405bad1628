//! The JWT decoder's model: split a pasted token, decode its parts, explain its claims, warn
//! about the mistakes and attacks it shows, and verify its signature.
//!
//! Nothing here panics on any input; every refusal is a [`JwtError`] whose message says
//! exactly what is wrong and where. Decoded text comes back as plain strings: the view shows
//! it as text, never as HTML.
//!
//! - [`decode`] turns a token into a [`DecodedJwt`] (pretty header and payload, alg, typ, kid,
//!   signing input, signature bytes);
//! - [`DecodedJwt::claims`] explains the registered claims against the reader's clock;
//! - [`DecodedJwt::warnings`] and [`DecodedJwt::warnings_for_key`] flag `alg: none`,
//!   algorithm confusion, keys carried in the header, missing or very long expiry;
//! - [`verify_hmac`] checks HS256/384/512; RS/PS/ES tokens are verified by the browser's Web
//!   Crypto from [`pem_to_spki_der`] and [`web_crypto_algorithm`] (no RSA code in the wasm).

mod claims;
mod pem;
mod verify;

pub use claims::{civil_from_days, describe_duration, format_unix_seconds, Claim, ClaimStatus};
pub use pem::{pem_to_spki_der, public_key_kind, web_crypto_algorithm, PublicKeyKind, WebCryptoAlgorithm};
pub use verify::{
    constant_time_eq, encode_hs, encode_unsecured, hmac, parse_secret, sample_tokens, verification_from_web_crypto, verify_hmac, HmacAlg,
    SampleToken, SecretEncoding, Verification, VerificationOutcome, DEMO_SECRET, RFC7515_A1_KEY, RFC7515_A1_TOKEN,
};

use super::encoding::{base64url_decode, Base64Error};
use super::json::{self, Json, JsonError};
use std::fmt;
use std::ops::Range;

/// Longer input is refused before any work: real tokens are a few hundred bytes to a few KB,
/// and servers commonly cap a header line at 8 KB.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;

/// Which of the three dot-separated parts an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Header,
    Payload,
    Signature,
}

impl Part {
    pub fn name(self) -> &'static str {
        match self {
            Part::Header => "header",
            Part::Payload => "payload",
            Part::Signature => "signature",
        }
    }
}

/// Why a token could not be decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum JwtErrorKind {
    Empty,
    TooLarge { bytes: usize, limit: usize },
    WrongPartCount { parts: usize },
    /// Five parts: an encrypted token (JWE). Its header is readable even though its claims are
    /// not; `header` is that header pretty-printed when it decodes.
    Encrypted { header: Option<String>, alg: Option<String>, enc: Option<String> },
    EmptyPart { part: Part },
    BadBase64 { part: Part, error: Base64Error },
    NotUtf8 { part: Part, byte_index: usize, byte: u8 },
    BadJson { part: Part, error: JsonError },
    NotAnObject { part: Part, found: &'static str },
    MissingAlg,
    AlgNotString { found: &'static str },
}

/// A decoding error, with the bytes of the input it is about (for highlighting).
#[derive(Debug, Clone, PartialEq)]
pub struct JwtError {
    pub kind: JwtErrorKind,
    /// Byte range in the text passed to [`decode`]; `None` when the whole input is at fault.
    pub span: Option<Range<usize>>,
}

impl fmt::Display for JwtError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            JwtErrorKind::Empty => write!(f, "Paste a token to decode it: three base64url parts separated by dots."),
            JwtErrorKind::TooLarge { bytes, limit } => write!(
                f,
                "This is {bytes} bytes; the decoder reads tokens up to {limit}. Real JWTs are a few hundred bytes to a few KB, and many servers refuse headers over 8 KB."
            ),
            JwtErrorKind::WrongPartCount { parts } => {
                write!(f, "A JWT has 3 parts separated by dots; this has {parts}")?;
                match parts {
                    1 => write!(f, " (no dots at all)."),
                    2 => write!(f, ". If it was cut off, the signature is missing; an unsigned token still ends with a dot."),
                    _ => write!(f, "."),
                }
            }
            JwtErrorKind::Encrypted { alg, enc, .. } => {
                write!(
                    f,
                    "This is an encrypted token (JWE): 5 parts, namely header, encrypted key, initialisation vector, ciphertext and authentication tag. Its claims can be read only with the recipient's private key; only the header is readable"
                )?;
                match (alg, enc) {
                    (Some(alg), Some(enc)) => write!(f, " (key management {alg}, content encryption {enc})."),
                    _ => write!(f, "."),
                }
            }
            JwtErrorKind::EmptyPart { part } => write!(f, "The {} is empty: there is nothing between the dots.", part.name()),
            JwtErrorKind::BadBase64 { part, error } => write!(f, "The {} is not valid base64url: {error}", part.name()),
            JwtErrorKind::NotUtf8 { part, byte_index, byte } => write!(
                f,
                "The {} decodes to bytes that are not UTF-8 text (byte {} is 0x{byte:02X}); JWT headers and claims are JSON in UTF-8.",
                part.name(),
                byte_index + 1
            ),
            JwtErrorKind::BadJson { part, error } => write!(f, "The {} is not valid JSON: {error}", part.name()),
            JwtErrorKind::NotAnObject { part, found } => {
                write!(f, "The {} is valid JSON but {found}; it must be a JSON object {{…}}.", part.name())
            }
            JwtErrorKind::MissingAlg => write!(f, "The header has no alg, so nothing says how the token was signed; every JWS header must name its algorithm."),
            JwtErrorKind::AlgNotString { found } => write!(f, "The header's alg is {found}; it must be a string such as \"HS256\"."),
        }
    }
}

impl std::error::Error for JwtError {}

/// A token taken apart. Claims and warnings are computed on demand because they depend on the
/// reader's clock and key choice.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedJwt {
    pub header: Json,
    pub payload: Json,
    /// The header as 2-space indented JSON, members in their original order.
    pub header_pretty: String,
    pub payload_pretty: String,
    pub alg: String,
    pub typ: Option<String>,
    pub kid: Option<String>,
    /// `base64url(header) + "." + base64url(payload)` exactly as in the token: the bytes the
    /// signature covers.
    pub signing_input: String,
    pub signature: Vec<u8>,
    /// The signature part as it appeared (base64url).
    pub signature_text: String,
    /// What the decoder tidied up before reading (a trailing newline, a `Bearer ` prefix).
    pub notes: Vec<String>,
}

/// How much a warning matters; the view pairs each with a shape and a label, not colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Accepting this token as it is would be a security hole.
    Danger,
    /// Legal, but a common mistake.
    Caution,
    /// Worth knowing.
    Info,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WarningKind {
    AlgNone,
    MissingSignature,
    UnknownAlg,
    /// The header carries its own key or a URL to fetch one (`jwk`, `jku`, `x5u`, `x5c`).
    EmbeddedKey,
    SuspiciousKid,
    CriticalHeader,
    DuplicateMember,
    MissingExp,
    LongLifetime,
    NestedToken,
    /// An HMAC algorithm verified with a public key, or a public key used as an HMAC secret.
    AlgorithmConfusion,
    /// An asymmetric algorithm checked with a shared secret (cannot work).
    KeyTypeMismatch,
    /// An HMAC secret shorter than the hash output (RFC 7518 §3.2) or empty.
    WeakSecret,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    pub severity: Severity,
    pub message: String,
}

impl Warning {
    fn new(kind: WarningKind, severity: Severity, message: impl Into<String>) -> Self {
        Self { kind, severity, message: message.into() }
    }
}

/// What the reader is verifying with, for [`DecodedJwt::warnings_for_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyChoice {
    SharedSecret,
    PublicKey,
}

/// Algorithms registered for JWS (RFC 7518 §3.1, RFC 8037, RFC 8812).
const KNOWN_ALGORITHMS: &[&str] =
    &["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "ES256K", "EdDSA", "none"];

/// Longer than this between issue and expiry earns a caution: access tokens usually live for
/// minutes to an hour.
const LONG_LIFETIME_SECONDS: f64 = 24.0 * 3600.0;

/// Decodes a compact JWS/JWT. Surrounding whitespace and an `Authorization: Bearer` prefix are
/// tolerated (and noted); anything else wrong is an error with a precise message.
pub fn decode(input: &str) -> Result<DecodedJwt, JwtError> {
    let whole = |kind| JwtError { kind, span: None };
    if input.len() > MAX_TOKEN_BYTES {
        return Err(whole(JwtErrorKind::TooLarge { bytes: input.len(), limit: MAX_TOKEN_BYTES }));
    }
    let mut notes = Vec::new();
    let mut start = input.len() - input.trim_start().len();
    let mut token = input.trim();
    if token.is_empty() {
        return Err(whole(JwtErrorKind::Empty));
    }
    let trailing = input.get(input.trim_end().len()..).unwrap_or("");
    if start == 0 && matches!(trailing, "\n" | "\r\n") {
        notes.push("Ignored the trailing newline (a token copied from a terminal usually has one).".to_string());
    } else if token.len() != input.len() {
        notes.push("Ignored the whitespace around the token.".to_string());
    }
    if let Some(prefix) = token.get(..7).filter(|prefix| prefix.eq_ignore_ascii_case("bearer ")) {
        let rest = token.get(prefix.len()..).unwrap_or("").trim_start();
        start += token.len() - rest.len();
        token = rest;
        notes.push("Removed the \"Bearer \" prefix: that belongs to the Authorization header, not the token.".to_string());
    }

    let mut parts = Vec::new();
    let mut part_start = start;
    for text in token.split('.') {
        parts.push((part_start, text));
        part_start += text.len() + 1;
    }
    let token_span = Some(start..start + token.len());
    if parts.len() == 5 {
        return Err(JwtError { kind: encrypted(parts.first().map_or("", |(_, text)| text)), span: token_span });
    }
    let [(header_at, header_text), (payload_at, payload_text), (signature_at, signature_text)] = parts[..] else {
        return Err(JwtError { kind: JwtErrorKind::WrongPartCount { parts: parts.len() }, span: token_span });
    };

    let header = decode_json_part(Part::Header, header_text, header_at)?;
    let alg = match header.get("alg") {
        None => return Err(JwtError { kind: JwtErrorKind::MissingAlg, span: Some(header_at..header_at + header_text.len()) }),
        Some(Json::String(alg)) => alg.clone(),
        Some(other) => {
            return Err(JwtError { kind: JwtErrorKind::AlgNotString { found: other.kind_name() }, span: Some(header_at..header_at + header_text.len()) })
        }
    };
    let payload = decode_json_part(Part::Payload, payload_text, payload_at)?;
    let signature = base64url_decode(signature_text).map_err(|error| base64_error(Part::Signature, error, signature_at))?;

    let text_member = |name: &str| header.get(name).and_then(Json::as_str).map(str::to_string);
    Ok(DecodedJwt {
        header_pretty: header.pretty(),
        payload_pretty: payload.pretty(),
        typ: text_member("typ"),
        kid: text_member("kid"),
        alg,
        header,
        payload,
        signing_input: format!("{header_text}.{payload_text}"),
        signature,
        signature_text: signature_text.to_string(),
        notes,
    })
}

fn base64_error(part: Part, error: Base64Error, part_start: usize) -> JwtError {
    let at = part_start + error.byte_offset;
    JwtError { span: Some(at..at + 1), kind: JwtErrorKind::BadBase64 { part, error } }
}

/// base64url → UTF-8 → JSON → object, each step with its own error.
fn decode_json_part(part: Part, text: &str, part_start: usize) -> Result<Json, JwtError> {
    let span = Some(part_start..part_start + text.len());
    if text.is_empty() {
        return Err(JwtError { kind: JwtErrorKind::EmptyPart { part }, span });
    }
    let bytes = base64url_decode(text).map_err(|error| base64_error(part, error, part_start))?;
    let text = String::from_utf8(bytes).map_err(|error| {
        let byte_index = error.utf8_error().valid_up_to();
        let byte = error.as_bytes().get(byte_index).copied().unwrap_or(0);
        JwtError { kind: JwtErrorKind::NotUtf8 { part, byte_index, byte }, span: span.clone() }
    })?;
    let value = json::parse(&text).map_err(|error| JwtError { kind: JwtErrorKind::BadJson { part, error }, span: span.clone() })?;
    match value {
        Json::Object(_) => Ok(value),
        other => Err(JwtError { kind: JwtErrorKind::NotAnObject { part, found: other.kind_name() }, span }),
    }
}

fn encrypted(header_text: &str) -> JwtErrorKind {
    let header = base64url_decode(header_text).ok().and_then(|bytes| String::from_utf8(bytes).ok()).and_then(|text| json::parse(&text).ok());
    let member = |name: &str| header.as_ref().and_then(|value| value.get(name)).and_then(Json::as_str).map(str::to_string);
    JwtErrorKind::Encrypted { alg: member("alg"), enc: member("enc"), header: header.as_ref().map(Json::pretty) }
}

impl DecodedJwt {
    /// The registered claims present in the payload, explained, with time claims judged
    /// against `now_unix_seconds` (the view passes the browser's clock).
    pub fn claims(&self, now_unix_seconds: i64) -> Vec<Claim> {
        claims::registered_claims(&self.payload, now_unix_seconds)
    }

    /// The HMAC algorithm of this token, if it uses one.
    pub fn hmac_alg(&self) -> Option<HmacAlg> {
        HmacAlg::from_name(&self.alg)
    }

    /// `alg: none` in any letter case: the unsecured-token trick.
    pub fn is_unsigned(&self) -> bool {
        self.alg.eq_ignore_ascii_case("none")
    }

    /// Everything suspicious about the token itself, most severe first.
    pub fn warnings(&self) -> Vec<Warning> {
        let mut warnings = Vec::new();
        self.algorithm_warnings(&mut warnings);
        self.header_warnings(&mut warnings);
        self.lifetime_warnings(&mut warnings);
        for (part, value) in [("header", &self.header), ("payload", &self.payload)] {
            for name in value.duplicate_keys() {
                warnings.push(Warning::new(
                    WarningKind::DuplicateMember,
                    Severity::Caution,
                    format!("The {part} names \"{name}\" more than once in one object. Parsers disagree about which copy wins (this one takes the last), which attackers use to show one value to a filter and another to the verifier; RFC 7515 lets a verifier reject such tokens."),
                ));
            }
        }
        warnings.sort_by_key(|warning| warning.severity);
        warnings
    }

    fn algorithm_warnings(&self, warnings: &mut Vec<Warning>) {
        if self.is_unsigned() {
            let mut message = "alg is \"none\": this token is unsigned, so anyone can write any claims into it. A server must reject it; libraries that accepted \"none\" by default caused real breaches.".to_string();
            if self.alg != "none" {
                message.push_str(&format!(" Spelling it \"{}\" is a known trick to slip past filters that only compare lowercase.", self.alg));
            }
            if !self.signature.is_empty() {
                message.push_str(" A signature is attached anyway; it proves nothing, because \"none\" tells the verifier to ignore it.");
            }
            warnings.push(Warning::new(WarningKind::AlgNone, Severity::Danger, message));
        } else if self.signature.is_empty() {
            warnings.push(Warning::new(
                WarningKind::MissingSignature,
                Severity::Danger,
                format!("The header says {} but the signature part is empty: the token was cut short, or someone stripped the signature hoping the verifier skips the check.", self.alg),
            ));
        }
        if !KNOWN_ALGORITHMS.iter().any(|known| known.eq_ignore_ascii_case(&self.alg)) {
            warnings.push(Warning::new(
                WarningKind::UnknownAlg,
                Severity::Caution,
                format!("\"{}\" is not a registered JWS algorithm (HS256, RS256, ES256, EdDSA, …); a verifier will refuse it.", self.alg),
            ));
        }
    }

    fn header_warnings(&self, warnings: &mut Vec<Warning>) {
        for (name, severity, why) in [
            ("jwk", Severity::Danger, "carries its own public key. A verifier that uses it lets the token vouch for itself: an attacker signs with their own key and puts it here."),
            ("jku", Severity::Danger, "names a URL to fetch the verification key from. Fetching it lets the token choose who vouches for it; keys must come from the verifier's own configuration or an allow-listed URL."),
            ("x5u", Severity::Danger, "names a URL to fetch a certificate from. Fetching it lets the token choose who vouches for it; trust only certificates from your own configuration."),
            ("x5c", Severity::Caution, "carries a certificate chain. That is safe only if the verifier checks the chain against its own trusted roots, never the token's say-so."),
        ] {
            if self.header.get(name).is_some() {
                warnings.push(Warning::new(WarningKind::EmbeddedKey, severity, format!("The header's \"{name}\" {why}")));
            }
        }
        if let Some(kid) = &self.kid {
            if ["..", "/", "\\", "'", ";", "\0", "|"].iter().any(|sign| kid.contains(sign)) {
                warnings.push(Warning::new(
                    WarningKind::SuspiciousKid,
                    Severity::Caution,
                    format!("kid \"{}\" looks like a file path or a query fragment. Servers that look keys up by kid must treat it as untrusted input (path traversal and SQL injection through kid are known attacks).", kid.escape_debug()),
                ));
            }
        }
        if let Some(critical) = self.header.get("crit") {
            warnings.push(Warning::new(
                WarningKind::CriticalHeader,
                Severity::Info,
                format!("crit {} lists header parameters the verifier must understand; a verifier that does not must reject the token.", critical.compact()),
            ));
        }
        if self.header.get("cty").and_then(Json::as_str).is_some_and(|cty| cty.eq_ignore_ascii_case("JWT")) {
            warnings.push(Warning::new(WarningKind::NestedToken, Severity::Info, "cty is JWT: the payload is itself a token (nested signing or encryption)."));
        }
    }

    fn lifetime_warnings(&self, warnings: &mut Vec<Warning>) {
        let time = |name: &str| self.payload.get(name).and_then(Json::as_f64).filter(|value| value.is_finite());
        let Some(expires) = time("exp") else {
            if self.payload.get("exp").is_none() {
                warnings.push(Warning::new(
                    WarningKind::MissingExp,
                    Severity::Caution,
                    "There is no exp claim, so this token never expires: if it leaks, it works until the signing key is changed.",
                ));
            }
            return;
        };
        if let Some(start) = time("iat").or_else(|| time("nbf")) {
            let lifetime = expires - start;
            if lifetime > LONG_LIFETIME_SECONDS {
                warnings.push(Warning::new(
                    WarningKind::LongLifetime,
                    Severity::Caution,
                    format!("This token is valid for {}. Access tokens usually live minutes to an hour, because a stolen one cannot be called back before it expires.", describe_duration(lifetime as u64)),
                ));
            }
        }
    }

    /// Warnings that depend on what the reader verifies with: an HMAC token checked against a
    /// public key is the algorithm-confusion attack.
    pub fn warnings_for_key(&self, key: KeyChoice) -> Vec<Warning> {
        let asymmetric = ["RS", "PS", "ES", "Ed"].iter().any(|prefix| self.alg.starts_with(prefix));
        match key {
            KeyChoice::PublicKey if self.hmac_alg().is_some() => vec![Warning::new(
                WarningKind::AlgorithmConfusion,
                Severity::Danger,
                format!("Algorithm confusion: the header asks for {} (a shared secret) but you hold a public key. A library that lets the token pick the algorithm would use the public key, which anyone can download, as the HMAC secret, so anyone could forge tokens. Servers must fix the algorithm per key and ignore the header's choice.", self.alg),
            )],
            KeyChoice::SharedSecret if asymmetric => vec![Warning::new(
                WarningKind::KeyTypeMismatch,
                Severity::Info,
                format!("{} is verified with the issuer's public key, not a shared secret.", self.alg),
            )],
            _ => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests;
pub mod poster;
