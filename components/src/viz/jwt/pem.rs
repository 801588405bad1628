//! Public keys for RS/PS/ES tokens. The signature check itself runs in the browser's Web
//! Crypto (`crypto.subtle.importKey("spki", …)` then `verify`), which costs no WebAssembly;
//! this file only turns a pasted PEM block into the SPKI bytes Web Crypto imports, explains
//! what to paste instead when it is something else, and names the Web Crypto parameters.

use crate::viz::encoding::base64_decode;

/// The kind of public key inside an SPKI structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicKeyKind {
    Rsa,
    /// Elliptic curve (P-256, P-384, P-521).
    Ec,
    Ed25519,
}

impl PublicKeyKind {
    pub(super) fn article_name(self) -> &'static str {
        match self {
            PublicKeyKind::Rsa => "an RSA",
            PublicKeyKind::Ec => "an elliptic-curve",
            PublicKeyKind::Ed25519 => "an Ed25519",
        }
    }
}

/// Parameters for `crypto.subtle.importKey` and `verify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebCryptoAlgorithm {
    /// `"RSASSA-PKCS1-v1_5"`, `"RSA-PSS"` or `"ECDSA"`.
    pub name: &'static str,
    /// `"SHA-256"`, `"SHA-384"` or `"SHA-512"`.
    pub hash: &'static str,
    /// For ECDSA: `"P-256"`, `"P-384"` or `"P-521"`. JWS carries ECDSA signatures as raw
    /// `r‖s`, the same form Web Crypto expects, so no conversion is needed.
    pub named_curve: Option<&'static str>,
    /// For RSA-PSS: the salt length JWS uses (the hash size in bytes).
    pub salt_length: Option<u32>,
    pub key_kind: PublicKeyKind,
}

/// How Web Crypto verifies a JWS `alg`, or `None` for HMAC, `none` and unknown algorithms.
pub fn web_crypto_algorithm(alg: &str) -> Option<WebCryptoAlgorithm> {
    let rsa = |name, hash, salt_length| WebCryptoAlgorithm { name, hash, named_curve: None, salt_length, key_kind: PublicKeyKind::Rsa };
    let ec = |hash, curve| WebCryptoAlgorithm { name: "ECDSA", hash, named_curve: Some(curve), salt_length: None, key_kind: PublicKeyKind::Ec };
    Some(match alg {
        "RS256" => rsa("RSASSA-PKCS1-v1_5", "SHA-256", None),
        "RS384" => rsa("RSASSA-PKCS1-v1_5", "SHA-384", None),
        "RS512" => rsa("RSASSA-PKCS1-v1_5", "SHA-512", None),
        "PS256" => rsa("RSA-PSS", "SHA-256", Some(32)),
        "PS384" => rsa("RSA-PSS", "SHA-384", Some(48)),
        "PS512" => rsa("RSA-PSS", "SHA-512", Some(64)),
        "ES256" => ec("SHA-256", "P-256"),
        "ES384" => ec("SHA-384", "P-384"),
        "ES512" => ec("SHA-512", "P-521"),
        _ => return None,
    })
}

/// DER tags used below.
const SEQUENCE: u8 = 0x30;
const BIT_STRING: u8 = 0x03;
const OBJECT_IDENTIFIER: u8 = 0x06;
/// The DER content of the OIDs 1.2.840.113549.1.1.1 (rsaEncryption),
/// 1.2.840.10045.2.1 (id-ecPublicKey) and 1.3.101.112 (Ed25519).
const RSA_ENCRYPTION: &[u8] = &[0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01];
const EC_PUBLIC_KEY: &[u8] = &[0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01];
const ED25519: &[u8] = &[0x2B, 0x65, 0x70];

/// Reads a `-----BEGIN PUBLIC KEY-----` block (SubjectPublicKeyInfo) or a
/// `-----BEGIN RSA PUBLIC KEY-----` block (PKCS#1, converted here) and returns SPKI DER bytes
/// for Web Crypto. Private keys, certificates, JWKs and SSH keys get a message saying what to
/// paste instead.
pub fn pem_to_spki_der(pem: &str) -> Result<Vec<u8>, String> {
    let text = pem.trim();
    if text.is_empty() {
        return Err("Paste the issuer's public key: a block that starts with -----BEGIN PUBLIC KEY-----.".to_string());
    }
    if text.starts_with('{') {
        return Err("This looks like a JWK (a key in JSON). Paste the key in PEM form instead: a block that starts with -----BEGIN PUBLIC KEY-----.".to_string());
    }
    if text.starts_with("ssh-") || text.starts_with("ecdsa-sha2-") {
        return Err("This is an SSH public key, a different format. Convert it with: ssh-keygen -e -m PKCS8 -f key.pub".to_string());
    }
    let Some(after_begin) = text.find("-----BEGIN ").and_then(|at| text.get(at + "-----BEGIN ".len()..)) else {
        return Err("A PEM key starts with a line like -----BEGIN PUBLIC KEY-----; this text has none. Copy the whole block, including the BEGIN and END lines.".to_string());
    };
    let Some((label, rest)) = after_begin.split_once("-----") else {
        return Err("The BEGIN line is not closed with -----.".to_string());
    };
    if label.contains("PRIVATE KEY") {
        return Err(format!(
            "This is a private key ({label}). Verifying needs only the public key, and a private key should never be pasted into a web page. Derive the public key with: openssl pkey -in key.pem -pubout"
        ));
    }
    if label == "CERTIFICATE" {
        return Err("This is an X.509 certificate, not a bare key. Extract its public key with: openssl x509 -in cert.pem -pubkey -noout, and paste the -----BEGIN PUBLIC KEY----- block it prints.".to_string());
    }
    if label != "PUBLIC KEY" && label != "RSA PUBLIC KEY" {
        return Err(format!("A \"{label}\" block is not a public key. Paste a block that starts with -----BEGIN PUBLIC KEY-----."));
    }
    let end_line = format!("-----END {label}-----");
    let Some(body) = rest.find(&end_line).and_then(|at| rest.get(..at)) else {
        return Err(format!("The block has no {end_line} line; copy the whole key."));
    };
    let der = base64_decode(body).map_err(|error| format!("The key's body is not valid base64: {error}"))?;
    if label == "RSA PUBLIC KEY" {
        return pkcs1_to_spki(&der);
    }
    if public_key_kind(&der).is_none() {
        return Err("The block decodes, but not to a public key structure Web Crypto can import (RSA, EC or Ed25519 SubjectPublicKeyInfo).".to_string());
    }
    Ok(der)
}

/// The kind of key in SPKI DER bytes, or `None` if they are not a well-formed SPKI.
pub fn public_key_kind(spki_der: &[u8]) -> Option<PublicKeyKind> {
    let (tag, body, end) = read_element(spki_der, 0)?;
    if tag != SEQUENCE || end != spki_der.len() {
        return None;
    }
    let (algorithm_tag, algorithm, after_algorithm) = read_element(body, 0)?;
    let (key_tag, _, after_key) = read_element(body, after_algorithm)?;
    if algorithm_tag != SEQUENCE || key_tag != BIT_STRING || after_key != body.len() {
        return None;
    }
    let (oid_tag, oid, _) = read_element(algorithm, 0)?;
    if oid_tag != OBJECT_IDENTIFIER {
        return None;
    }
    match oid {
        RSA_ENCRYPTION => Some(PublicKeyKind::Rsa),
        EC_PUBLIC_KEY => Some(PublicKeyKind::Ec),
        ED25519 => Some(PublicKeyKind::Ed25519),
        _ => None,
    }
}

/// One DER element at `start`: its tag, its content, and where the next element begins.
fn read_element(bytes: &[u8], start: usize) -> Option<(u8, &[u8], usize)> {
    let tag = *bytes.get(start)?;
    let first_length = *bytes.get(start + 1)?;
    let (length, header) = if first_length < 0x80 {
        (usize::from(first_length), 2)
    } else {
        let count = usize::from(first_length & 0x7F);
        if count == 0 || count > 4 {
            return None;
        }
        let length_bytes = bytes.get(start + 2..start + 2 + count)?;
        (length_bytes.iter().fold(0usize, |acc, byte| acc << 8 | usize::from(*byte)), 2 + count)
    };
    let content_start = start + header;
    let content_end = content_start.checked_add(length)?;
    Some((tag, bytes.get(content_start..content_end)?, content_end))
}

/// Wraps a PKCS#1 RSAPublicKey (a SEQUENCE of modulus and exponent) into the SPKI structure
/// Web Crypto imports: SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { key } }.
fn pkcs1_to_spki(pkcs1: &[u8]) -> Result<Vec<u8>, String> {
    match read_element(pkcs1, 0) {
        Some((SEQUENCE, _, end)) if end == pkcs1.len() => {}
        _ => return Err("The RSA PUBLIC KEY block does not hold an RSA public key (a DER SEQUENCE of modulus and exponent).".to_string()),
    }
    let mut algorithm = der_element(OBJECT_IDENTIFIER, RSA_ENCRYPTION);
    algorithm.extend_from_slice(&[0x05, 0x00]); // NULL parameters
    let mut bit_string_content = vec![0x00]; // no unused bits
    bit_string_content.extend_from_slice(pkcs1);
    let mut body = der_element(SEQUENCE, &algorithm);
    body.extend(der_element(BIT_STRING, &bit_string_content));
    Ok(der_element(SEQUENCE, &body))
}

fn der_element(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let length = content.len();
    if length < 0x80 {
        out.push(length as u8);
    } else {
        let length_bytes: Vec<u8> = length.to_be_bytes().into_iter().skip_while(|byte| *byte == 0).collect();
        out.push(0x80 | length_bytes.len() as u8);
        out.extend(length_bytes);
    }
    out.extend_from_slice(content);
    out
}
