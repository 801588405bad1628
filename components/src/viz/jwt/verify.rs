//! Signing and verifying with HMAC (HS256/384/512), reading the secret the reader types, and
//! building the sample tokens the page offers.

use super::{DecodedJwt, KeyChoice, PublicKeyKind, Severity, Warning, WarningKind};
use crate::viz::encoding::{base64url_decode, base64url_encode, hex_decode};
use crate::viz::json::{self, Json};
use hmac::{Hmac, Mac};
use sha2::{Sha256, Sha384, Sha512};

/// The HMAC algorithms of RFC 7518 §3.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HmacAlg {
    Hs256,
    Hs384,
    Hs512,
}

impl HmacAlg {
    pub const ALL: [HmacAlg; 3] = [HmacAlg::Hs256, HmacAlg::Hs384, HmacAlg::Hs512];

    /// The `alg` value: "HS256".
    pub fn name(self) -> &'static str {
        match self {
            HmacAlg::Hs256 => "HS256",
            HmacAlg::Hs384 => "HS384",
            HmacAlg::Hs512 => "HS512",
        }
    }

    /// Exact, case-sensitive, as JWS requires.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|alg| alg.name() == name)
    }

    /// Bytes in the signature, which is also the least key length RFC 7518 allows.
    pub fn output_bytes(self) -> usize {
        match self {
            HmacAlg::Hs256 => 32,
            HmacAlg::Hs384 => 48,
            HmacAlg::Hs512 => 64,
        }
    }

    fn hash_name(self) -> &'static str {
        match self {
            HmacAlg::Hs256 => "SHA-256",
            HmacAlg::Hs384 => "SHA-384",
            HmacAlg::Hs512 => "SHA-512",
        }
    }
}

/// HMAC of `message` under `key` (RFC 2104), any key length.
pub fn hmac(alg: HmacAlg, key: &[u8], message: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length, so `new_from_slice` cannot fail; an empty result would
    // only make verification fail, never panic.
    macro_rules! mac_with {
        ($hash:ty) => {
            match Hmac::<$hash>::new_from_slice(key) {
                Ok(mut mac) => {
                    mac.update(message);
                    mac.finalize().into_bytes().to_vec()
                }
                Err(_) => Vec::new(),
            }
        };
    }
    match alg {
        HmacAlg::Hs256 => mac_with!(Sha256),
        HmacAlg::Hs384 => mac_with!(Sha384),
        HmacAlg::Hs512 => mac_with!(Sha512),
    }
}

/// Compares in time that depends only on the lengths, never on where the first difference is,
/// so a server using it does not leak how much of a forged signature was right.
pub fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    if left.len() != right.len() {
        return false;
    }
    let difference = left.iter().zip(right).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    std::hint::black_box(difference) == 0
}

/// The result of checking a signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VerificationOutcome {
    Valid,
    Invalid,
    /// `alg: none`: there is nothing to check, and a server must refuse the token.
    Unsigned,
    /// The token's algorithm is not HMAC; it needs a public key (see [`super::web_crypto_algorithm`]).
    NotHmac { alg: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verification {
    pub outcome: VerificationOutcome,
    /// What happened, in words.
    pub message: String,
    /// For HMAC: the signature this secret produces (base64url), so the reader can compare it
    /// with the token's.
    pub computed_signature: Option<String>,
    /// About the key itself: too short, or a public key used as a secret.
    pub warnings: Vec<Warning>,
}

/// Checks an HS256/384/512 signature with `secret`, comparing in constant time.
pub fn verify_hmac(decoded: &DecodedJwt, secret: &[u8]) -> Verification {
    let mut warnings = decoded.warnings_for_key(KeyChoice::SharedSecret);
    if decoded.is_unsigned() {
        return Verification {
            outcome: VerificationOutcome::Unsigned,
            message: "Nothing to verify: alg is none, so the token has no signature. A server must refuse it.".to_string(),
            computed_signature: None,
            warnings,
        };
    }
    let Some(alg) = decoded.hmac_alg() else {
        return Verification {
            outcome: VerificationOutcome::NotHmac { alg: decoded.alg.clone() },
            message: format!("{} is not an HMAC algorithm; it is verified with the issuer's public key, not a shared secret.", decoded.alg),
            computed_signature: None,
            warnings,
        };
    };
    warnings.extend(secret_warnings(alg, secret));
    let computed = hmac(alg, secret, decoded.signing_input.as_bytes());
    let valid = constant_time_eq(&computed, &decoded.signature);
    let message = if valid {
        format!("Signature verified: HMAC-{} of the header and payload under this secret equals the token's signature.", alg.hash_name())
    } else if decoded.signature.len() != alg.output_bytes() {
        format!(
            "Signature does not match: it is {} bytes, but {} signatures are {} bytes, so it was cut short or made with another algorithm.",
            decoded.signature.len(),
            alg.name(),
            alg.output_bytes()
        )
    } else {
        "Signature does not match: either the secret is wrong, or the header or payload changed after signing.".to_string()
    };
    Verification {
        outcome: if valid { VerificationOutcome::Valid } else { VerificationOutcome::Invalid },
        message,
        computed_signature: Some(base64url_encode(&computed)),
        warnings,
    }
}

fn secret_warnings(alg: HmacAlg, secret: &[u8]) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let text = String::from_utf8_lossy(secret);
    if text.contains("-----BEGIN") && text.contains("PUBLIC KEY") {
        warnings.push(Warning {
            kind: WarningKind::AlgorithmConfusion,
            severity: Severity::Danger,
            message: "This secret is a public key: exactly the algorithm-confusion attack. A public key is public, so a token that verifies this way could have been signed by anyone; a server that lets the token's alg pick HMAC for an RSA key would accept it.".to_string(),
        });
    } else if secret.is_empty() {
        warnings.push(Warning {
            kind: WarningKind::WeakSecret,
            severity: Severity::Danger,
            message: "The secret is empty: anyone can compute this signature.".to_string(),
        });
    } else if secret.len() < alg.output_bytes() {
        warnings.push(Warning {
            kind: WarningKind::WeakSecret,
            severity: Severity::Caution,
            message: format!(
                "The secret is {} bytes; RFC 7518 requires at least {} for {} (the hash size). Short secrets fall to offline guessing: anyone holding one token can try passwords against it without limit.",
                secret.len(),
                alg.output_bytes(),
                alg.name()
            ),
        });
    }
    warnings
}

/// Turns the browser's Web Crypto answer for an RS/PS/ES token into the same shape as
/// [`verify_hmac`]'s, with the key-related warnings.
pub fn verification_from_web_crypto(decoded: &DecodedJwt, key_kind: Option<PublicKeyKind>, verified: bool) -> Verification {
    let mut warnings = decoded.warnings_for_key(KeyChoice::PublicKey);
    let expected = super::web_crypto_algorithm(&decoded.alg).map(|algorithm| algorithm.key_kind);
    if let (Some(expected), Some(actual)) = (expected, key_kind) {
        if expected != actual {
            warnings.push(Warning {
                kind: WarningKind::KeyTypeMismatch,
                severity: Severity::Info,
                message: format!("{} needs {} key, but this is {} key.", decoded.alg, expected.article_name(), actual.article_name()),
            });
        }
    }
    let (outcome, message) = if decoded.is_unsigned() {
        (VerificationOutcome::Unsigned, "Nothing to verify: alg is none, so the token has no signature. A server must refuse it.".to_string())
    } else if verified {
        (VerificationOutcome::Valid, format!("Signature verified with the public key ({}).", decoded.alg))
    } else {
        (VerificationOutcome::Invalid, "Signature does not match this public key: the key is not the issuer's, or the token changed after signing.".to_string())
    };
    Verification { outcome, message, computed_signature: None, warnings }
}

/// How the reader typed the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretEncoding {
    /// The UTF-8 bytes of the text, as most tutorials use.
    Text,
    /// base64url, as a JWK's `k` holds it (RFC 7515's examples use this).
    Base64url,
    Hex,
}

/// The secret's bytes, or what is wrong with the text.
pub fn parse_secret(text: &str, encoding: SecretEncoding) -> Result<Vec<u8>, String> {
    match encoding {
        SecretEncoding::Text => Ok(text.as_bytes().to_vec()),
        SecretEncoding::Base64url => base64url_decode(text.trim()).map_err(|error| format!("The secret is not valid base64url: {error}")),
        SecretEncoding::Hex => hex_decode(text).map_err(|error| format!("The secret is not valid hex: {error}")),
    }
}

/// Signs a header and payload given as JSON text: the header's `alg` is set to `alg` (added
/// first if missing), both are written compactly, and the HMAC is appended.
pub fn encode_hs(header_json: &str, payload_json: &str, alg: HmacAlg, secret: &[u8]) -> Result<String, String> {
    let signing_input = signing_input(header_json, payload_json, alg.name())?;
    let signature = hmac(alg, secret, signing_input.as_bytes());
    Ok(format!("{signing_input}.{}", base64url_encode(&signature)))
}

/// An unsecured token (`alg: none`, empty signature), for showing why servers refuse them.
pub fn encode_unsecured(header_json: &str, payload_json: &str) -> Result<String, String> {
    Ok(format!("{}.", signing_input(header_json, payload_json, "none")?))
}

fn signing_input(header_json: &str, payload_json: &str, alg: &str) -> Result<String, String> {
    let object = |text: &str, part: &str| match json::parse(text) {
        Ok(value @ Json::Object(_)) => Ok(value),
        Ok(other) => Err(format!("The {part} must be a JSON object, not {}.", other.kind_name())),
        Err(error) => Err(format!("The {part} is not valid JSON: {error}")),
    };
    let mut header = object(header_json, "header")?;
    header.set_or_prepend("alg", Json::String(alg.to_string()));
    let payload = object(payload_json, "payload")?;
    Ok(format!("{}.{}", base64url_encode(header.compact().as_bytes()), base64url_encode(payload.compact().as_bytes())))
}

/// A ready-made token for the page's examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SampleToken {
    pub name: &'static str,
    /// What the example shows.
    pub description: &'static str,
    pub token: String,
    /// The secret that verifies it, if any, and how it is written.
    pub secret: Option<(String, SecretEncoding)>,
}

/// The demo secret: 40 bytes, longer than SHA-256's 32, as RFC 7518 asks.
pub const DEMO_SECRET: &str = "atlas-demo-secret-for-examples-only-2024";

/// RFC 7515 Appendix A.1: the standard's own HS256 example and its key.
pub const RFC7515_A1_TOKEN: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
pub const RFC7515_A1_KEY: &str = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow";

/// The page's examples, with times relative to `now_unix_seconds` so "valid" stays valid.
pub fn sample_tokens(now_unix_seconds: i64) -> Vec<SampleToken> {
    let now = now_unix_seconds;
    let claims = |issued: i64, expires: i64, extra: &str| {
        format!(
            r#"{{"iss":"https://auth.example","sub":"user-4711","aud":"photo-printer","name":"Ada Lovelace"{extra},"iat":{issued},"exp":{expires},"jti":"b7e2f0c4-2f7e-4c1b-9a53-6f1d2c3b4a59"}}"#
        )
    };
    let demo = |header: &str, payload: String| encode_hs(header, &payload, HmacAlg::Hs256, DEMO_SECRET.as_bytes()).unwrap_or_default();
    let demo_secret = Some((DEMO_SECRET.to_string(), SecretEncoding::Text));
    vec![
        SampleToken {
            name: "Valid HS256",
            description: "Signed with the demo secret, issued now, expires in 15 minutes.",
            token: demo(r#"{"alg":"HS256","typ":"JWT"}"#, claims(now, now.saturating_add(900), "")),
            secret: demo_secret.clone(),
        },
        SampleToken {
            name: "Expired",
            description: "Correctly signed, but its exp passed an hour ago: a server must refuse it.",
            token: demo(r#"{"alg":"HS256","typ":"JWT"}"#, claims(now.saturating_sub(7200), now.saturating_sub(3600), "")),
            secret: demo_secret.clone(),
        },
        SampleToken {
            name: "alg: none",
            description: "Unsigned, claiming admin rights: anyone could have written it.",
            token: encode_unsecured(r#"{"alg":"none","typ":"JWT"}"#, &claims(now, now.saturating_add(900), r#","admin":true"#)).unwrap_or_default(),
            secret: None,
        },
        SampleToken {
            name: "Key URL in the header",
            description: "Names its own key URL (jku): a verifier that fetches it lets the token vouch for itself.",
            token: demo(r#"{"alg":"HS256","typ":"JWT","jku":"https://attacker.example/keys.json"}"#, claims(now, now.saturating_add(900), "")),
            secret: demo_secret,
        },
        SampleToken {
            name: "RFC 7515 example",
            description: "The standard's own HS256 example (Appendix A.1), with its key in base64url. Its exp is in 2011.",
            token: RFC7515_A1_TOKEN.to_string(),
            secret: Some((RFC7515_A1_KEY.to_string(), SecretEncoding::Base64url)),
        },
    ]
}
