use super::*;
use crate::viz::encoding::{base64url_encode, hex_decode, hex_encode};
use proptest::prelude::*;

fn b64(text: &str) -> String {
    base64url_encode(text.as_bytes())
}

fn token(header: &str, payload: &str, signature: &str) -> String {
    format!("{}.{}.{signature}", b64(header), b64(payload))
}

fn error_of(input: &str) -> JwtError {
    match decode(input) {
        Err(error) => error,
        Ok(decoded) => panic!("{input:?} decoded as {decoded:?}"),
    }
}

fn kinds(warnings: &[Warning]) -> Vec<WarningKind> {
    warnings.iter().map(|warning| warning.kind).collect()
}

// ---- HMAC: RFC 4231 ----

#[test]
fn rfc4231_cases_1_and_2_for_all_three_hashes() {
    let case_1 = (vec![0x0b; 20], b"Hi There".to_vec());
    let case_2 = (b"Jefe".to_vec(), b"what do ya want for nothing?".to_vec());
    let expected = [
        (HmacAlg::Hs256, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (
            HmacAlg::Hs384,
            "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
            "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649",
        ),
        (
            HmacAlg::Hs512,
            "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
        ),
    ];
    for (alg, first, second) in expected {
        assert_eq!(hex_encode(&hmac(alg, &case_1.0, &case_1.1)), first, "{alg:?} case 1");
        assert_eq!(hex_encode(&hmac(alg, &case_2.0, &case_2.1)), second, "{alg:?} case 2");
        assert_eq!(hmac(alg, b"k", b"m").len(), alg.output_bytes());
    }
}

#[test]
fn rfc4231_cases_3_4_6_7_for_sha256() {
    let long_key = vec![0xaa; 131]; // longer than the 64-byte block: hashed first
    let cases: [(Vec<u8>, Vec<u8>, &str); 4] = [
        (vec![0xaa; 20], vec![0xdd; 50], "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        ((1..=25).collect(), vec![0xcd; 50], "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"),
        (long_key.clone(), b"Test Using Larger Than Block-Size Key - Hash Key First".to_vec(), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        (
            long_key,
            b"This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.".to_vec(),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
        ),
    ];
    for (key, data, expected) in cases {
        assert_eq!(hex_encode(&hmac(HmacAlg::Hs256, &key, &data)), expected);
    }
}

#[test]
fn constant_time_eq_compares_whole_slices() {
    assert!(constant_time_eq(b"abc", b"abc"));
    assert!(!constant_time_eq(b"abc", b"abd"));
    assert!(!constant_time_eq(b"abc", b"ab"));
    assert!(constant_time_eq(b"", b""));
    // A difference in the very last byte of a full-length signature still counts.
    let signature = [7u8; 64];
    let mut last_byte_differs = signature;
    last_byte_differs[63] ^= 0x80;
    assert!(!constant_time_eq(&signature, &last_byte_differs));
}

// ---- RFC 7515 Appendix A.1 ----

fn rfc_key() -> Vec<u8> {
    parse_secret(RFC7515_A1_KEY, SecretEncoding::Base64url).unwrap()
}

#[test]
fn rfc7515_a1_decodes_and_verifies() {
    let decoded = decode(RFC7515_A1_TOKEN).unwrap();
    assert_eq!(decoded.alg, "HS256");
    assert_eq!(decoded.typ.as_deref(), Some("JWT"));
    assert_eq!(decoded.kid, None);
    // The RFC's header is {"typ":"JWT",CRLF "alg":"HS256"}: reformatted, order kept.
    assert_eq!(decoded.header_pretty, "{\n  \"typ\": \"JWT\",\n  \"alg\": \"HS256\"\n}");
    assert_eq!(decoded.payload_pretty, "{\n  \"iss\": \"joe\",\n  \"exp\": 1300819380,\n  \"http://example.com/is_root\": true\n}");
    assert_eq!(decoded.signing_input.len(), RFC7515_A1_TOKEN.len() - ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".len());
    assert_eq!(decoded.signature.len(), 32);

    let verification = verify_hmac(&decoded, &rfc_key());
    assert_eq!(verification.outcome, VerificationOutcome::Valid, "{}", verification.message);
    assert_eq!(verification.computed_signature.as_deref(), Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    assert!(verification.warnings.is_empty(), "a 64-byte key is long enough: {:?}", verification.warnings);

    // 1300819380 s = 15055 days + 67380 s; day 15055 is 2011-03-22 (80 days into 2011), 67380 s is 18:43:00.
    let claims = decoded.claims(1_300_819_379);
    let expiry = claims.iter().find(|claim| claim.name == "exp").unwrap();
    assert_eq!(expiry.value_text, "2011-03-22T18:43:00Z");
    assert_eq!(expiry.status, ClaimStatus::Fine);
    assert_eq!(expiry.relative.as_deref(), Some("in 1 second"));
    assert_eq!(decoded.claims(1_300_819_380).iter().find(|claim| claim.name == "exp").unwrap().status, ClaimStatus::Expired);
}

#[test]
fn rfc7515_a1_with_a_changed_payload_or_key_does_not_verify() {
    let parts: Vec<&str> = RFC7515_A1_TOKEN.split('.').collect();
    let forged_payload = b64("{\"iss\":\"eve\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}");
    let forged = format!("{}.{forged_payload}.{}", parts[0], parts[2]);
    let decoded = decode(&forged).unwrap();
    assert!(decoded.payload_pretty.contains("\"eve\""));
    let verification = verify_hmac(&decoded, &rfc_key());
    assert_eq!(verification.outcome, VerificationOutcome::Invalid);
    assert!(verification.message.contains("secret is wrong, or the header or payload changed"));

    let original = decode(RFC7515_A1_TOKEN).unwrap();
    let mut wrong_key = rfc_key();
    wrong_key[0] ^= 1;
    assert_eq!(verify_hmac(&original, &wrong_key).outcome, VerificationOutcome::Invalid);
}

// ---- dates ----

#[test]
fn dates_match_hand_worked_values() {
    assert_eq!(format_unix_seconds(0), "1970-01-01T00:00:00Z");
    // 951782400 = 11016 days: 2000-01-01 is day 10957, plus 31 (January) and 28 → 29 February.
    assert_eq!(format_unix_seconds(951_782_400), "2000-02-29T00:00:00Z");
    // 1700000000 = 19675 days + 80000 s; day 19675 is the 318th day of 2023 (14 November); 80000 s = 22:13:20.
    assert_eq!(format_unix_seconds(1_700_000_000), "2023-11-14T22:13:20Z");
    assert_eq!(format_unix_seconds(-1), "1969-12-31T23:59:59Z");
    assert_eq!(format_unix_seconds(951_868_799), "2000-02-29T23:59:59Z");
    assert_eq!(format_unix_seconds(951_868_800), "2000-03-01T00:00:00Z");
    // 1900 is not a leap year: 28 February is followed by 1 March. 1900-03-01 is 25508 days before 1970.
    assert_eq!(civil_from_days(-25_508), (1900, 3, 1));
    assert_eq!(civil_from_days(-25_509), (1900, 2, 28));
    assert_eq!(format_unix_seconds(253_402_300_799), "9999-12-31T23:59:59Z");
    // Extremes do not panic.
    let _ = format_unix_seconds(i64::MIN);
    let _ = format_unix_seconds(i64::MAX);
}

#[test]
fn durations_read_naturally() {
    assert_eq!(describe_duration(0), "0 seconds");
    assert_eq!(describe_duration(1), "1 second");
    assert_eq!(describe_duration(59), "59 seconds");
    assert_eq!(describe_duration(90), "1 minute 30 seconds");
    assert_eq!(describe_duration(3600), "1 hour");
    assert_eq!(describe_duration(5400), "1 hour 30 minutes");
    assert_eq!(describe_duration(30 * 86_400), "30 days");
    assert_eq!(describe_duration(400 * 86_400), "1 year 35 days");
}

// ---- decoding errors ----

#[test]
fn wrong_part_counts_are_counted() {
    let error = error_of("abc.def");
    assert_eq!(error.kind, JwtErrorKind::WrongPartCount { parts: 2 });
    assert!(error.to_string().starts_with("A JWT has 3 parts separated by dots; this has 2"), "{error}");
    assert_eq!(error_of("abc").to_string(), "A JWT has 3 parts separated by dots; this has 1 (no dots at all).");
    assert_eq!(error_of("a.b.c.d").kind, JwtErrorKind::WrongPartCount { parts: 4 });
    assert_eq!(error_of("a.b.c.d.e.f").kind, JwtErrorKind::WrongPartCount { parts: 6 });
}

#[test]
fn five_parts_are_recognised_as_jwe() {
    let header = b64(r#"{"alg":"RSA-OAEP","enc":"A256GCM"}"#);
    let error = error_of(&format!("{header}.a.b.c.d"));
    match &error.kind {
        JwtErrorKind::Encrypted { alg, enc, header } => {
            assert_eq!(alg.as_deref(), Some("RSA-OAEP"));
            assert_eq!(enc.as_deref(), Some("A256GCM"));
            assert!(header.as_deref().unwrap().contains("\"enc\": \"A256GCM\""));
        }
        other => panic!("{other:?}"),
    }
    assert!(error.to_string().contains("encrypted token (JWE)"));
    assert!(matches!(error_of("x.a.b.c.d").kind, JwtErrorKind::Encrypted { header: None, .. }));
}

#[test]
fn bad_base64url_points_at_the_character() {
    let header = b64(r#"{"alg":"HS256"}"#);
    // The 17th character of the payload is '*'.
    let payload = "eyJzdWIiOiIxMjM0*TY3ODkwIn0";
    assert_eq!(payload.chars().nth(16), Some('*'));
    let input = format!("{header}.{payload}.sig");
    let error = error_of(&input);
    assert_eq!(error.to_string(), "The payload is not valid base64url: unexpected character '*' at position 17");
    let span = error.span.clone().unwrap();
    assert_eq!(&input[span], "*");

    let error = error_of(&format!("{header}.{}.ab+c", b64("{}")));
    assert!(matches!(error.kind, JwtErrorKind::BadBase64 { part: Part::Signature, .. }));
    assert!(error.to_string().contains("standard base64"), "{error}");

    let error = error_of(&format!("{header}.{}=.sig", b64("{}")));
    assert!(error.to_string().contains("leaves out the '=' padding"), "{error}");
}

#[test]
fn bad_json_is_located_by_line_and_column() {
    // The stray quote before "typ" is the 16th character of the header.
    let header = r#"{"alg":"HS256" "typ":"JWT"}"#;
    let column = header.find(" \"typ").unwrap() + 2;
    let error = error_of(&token(header, "{}", ""));
    assert_eq!(error.to_string(), format!("The header is not valid JSON: expected ',' or '}}' at line 1, column {column}, found '\"'"));
    assert!(matches!(error.kind, JwtErrorKind::BadJson { part: Part::Header, .. }));
    // The trailing comma's closing brace is on line 2, character 12.
    let payload = "{\"sub\": \"a\",\n \"exp\": 12,}";
    assert_eq!(payload.lines().nth(1).unwrap().find('}').unwrap() + 1, 12);
    let error = error_of(&token(r#"{"alg":"HS256"}"#, payload, ""));
    assert_eq!(error.to_string(), "The payload is not valid JSON: expected a key in double quotes at line 2, column 12, found '}' (JSON allows no trailing comma)");
}

#[test]
fn structural_errors_have_their_own_messages() {
    assert_eq!(error_of(&token(r#"{"typ":"JWT"}"#, "{}", "")).kind, JwtErrorKind::MissingAlg);
    assert!(error_of(&token(r#"{"typ":"JWT"}"#, "{}", "")).to_string().starts_with("The header has no alg"));
    assert_eq!(error_of(&token(r#"{"alg":256}"#, "{}", "")).kind, JwtErrorKind::AlgNotString { found: "a number" });
    assert_eq!(error_of(&token(r#"{"alg":"HS256"}"#, "[1]", "")).kind, JwtErrorKind::NotAnObject { part: Part::Payload, found: "an array" });
    assert_eq!(error_of(&token("\"HS256\"", "{}", "")).kind, JwtErrorKind::NotAnObject { part: Part::Header, found: "a string" });
    assert_eq!(error_of(".e30.").kind, JwtErrorKind::EmptyPart { part: Part::Header });
    assert_eq!(error_of(&format!("{}..", b64(r#"{"alg":"none"}"#))).kind, JwtErrorKind::EmptyPart { part: Part::Payload });

    let not_text = format!("{}.e30.", base64url_encode(&[b'{', 0xFF, b'}']));
    let error = error_of(&not_text);
    assert_eq!(error.kind, JwtErrorKind::NotUtf8 { part: Part::Header, byte_index: 1, byte: 0xFF });
    assert!(error.to_string().contains("byte 2 is 0xFF"), "{error}");

    assert_eq!(error_of("").kind, JwtErrorKind::Empty);
    assert_eq!(error_of(" \n\t").kind, JwtErrorKind::Empty);
    let huge = "a".repeat(MAX_TOKEN_BYTES + 1);
    assert_eq!(error_of(&huge).kind, JwtErrorKind::TooLarge { bytes: MAX_TOKEN_BYTES + 1, limit: MAX_TOKEN_BYTES });
}

#[test]
fn whitespace_and_bearer_prefix_are_tolerated_and_noted() {
    let with_newline = format!("{RFC7515_A1_TOKEN}\n");
    let decoded = decode(&with_newline).unwrap();
    assert_eq!(decoded.notes.len(), 1);
    assert!(decoded.notes[0].contains("trailing newline"));
    assert_eq!(verify_hmac(&decoded, &rfc_key()).outcome, VerificationOutcome::Valid);

    let decoded = decode(&format!("  {RFC7515_A1_TOKEN}  ")).unwrap();
    assert!(decoded.notes[0].contains("whitespace"));
    assert!(decode(RFC7515_A1_TOKEN).unwrap().notes.is_empty());

    let header_line = format!("Bearer {RFC7515_A1_TOKEN}");
    let decoded = decode(&header_line).unwrap();
    assert!(decoded.notes.iter().any(|note| note.contains("Bearer")));
    assert_eq!(verify_hmac(&decoded, &rfc_key()).outcome, VerificationOutcome::Valid);

    // Spans still point into the text as given, after the prefix.
    let input = format!("bearer  {}.ab*c.", b64(r#"{"alg":"none"}"#));
    let error = error_of(&input);
    assert_eq!(&input[error.span.unwrap()], "*");

    // A line break inside the token is reported, by name.
    let error = error_of(&format!("{}.e30\n.", b64(r#"{"alg":"none"}"#)));
    assert!(error.to_string().ends_with("unexpected character at position 4 (a line break)"), "{error}");
}

// ---- claims ----

#[test]
fn claims_are_explained_and_judged_against_now() {
    let now = 1_700_000_000;
    let payload = format!(
        r#"{{"iss":"https://auth.example","sub":"user-1","aud":["photos","print"],"exp":{},"nbf":{},"iat":{},"jti":"id-1","custom":1}}"#,
        now + 3600,
        now - 60,
        now - 60
    );
    let decoded = decode(&token(r#"{"alg":"HS256"}"#, &payload, "")).unwrap();
    let claims = decoded.claims(now);
    let names: Vec<&str> = claims.iter().map(|claim| claim.name).collect();
    assert_eq!(names, ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]);
    assert!(claims.iter().all(|claim| claim.status == ClaimStatus::Fine), "{claims:?}");
    assert!(claims.iter().all(|claim| !claim.meaning.is_empty() && !claim.label.is_empty()));
    assert_eq!(claims[2].value_text, "photos, print");
    assert_eq!(claims[3].value_text, "2023-11-14T23:13:20Z");
    assert_eq!(claims[3].relative.as_deref(), Some("in 1 hour"));
    assert_eq!(claims[4].relative.as_deref(), Some("1 minute ago"));
    assert_eq!(claims[3].raw, (now + 3600).to_string());

    // Two hours later the token has expired; a minute before nbf it was not yet valid.
    let later = decoded.claims(now + 7200);
    assert_eq!(later[3].status, ClaimStatus::Expired);
    assert_eq!(later[3].status.flag(), Some("expired"));
    assert_eq!(later[3].relative.as_deref(), Some("1 hour ago"));
    let earlier = decoded.claims(now - 61);
    assert_eq!(earlier[4].status, ClaimStatus::NotYetValid);
    assert_eq!(earlier[5].status, ClaimStatus::IssuedInFuture);
    assert_eq!(earlier[3].status, ClaimStatus::Fine);
}

#[test]
fn malformed_claims_are_flagged_not_fatal() {
    let payload = r#"{"exp":"1700000000","nbf":true,"iat":1700000000000,"iss":42,"aud":[],"sub":null}"#;
    let decoded = decode(&token(r#"{"alg":"HS256"}"#, payload, "")).unwrap();
    let claims = decoded.claims(1_700_000_000);
    let status = |name: &str| claims.iter().find(|claim| claim.name == name).unwrap().status.clone();
    let message = |name: &str| match status(name) {
        ClaimStatus::Malformed(message) => message,
        other => panic!("{name} is {other:?}"),
    };
    assert!(message("exp").contains("a number in quotes"), "{}", message("exp"));
    assert!(message("nbf").contains("a boolean"));
    assert!(message("iat").contains("looks like milliseconds") && message("iat").contains("2023-11-14T22:13:20Z"), "{}", message("iat"));
    assert!(message("iss").contains("should be a string"));
    assert!(message("aud").contains("non-empty array"));
    assert!(message("sub").contains("null"));
    assert!(matches!(status("exp"), ClaimStatus::Malformed(_)));
    // A fractional NumericDate is allowed; the date rounds down.
    let decoded = decode(&token(r#"{"alg":"HS256"}"#, r#"{"exp":0.5,"iat":1e300}"#, "")).unwrap();
    let claims = decoded.claims(0);
    assert_eq!((claims[0].value_text.as_str(), &claims[0].status), ("1970-01-01T00:00:00Z", &ClaimStatus::Fine));
    assert!(matches!(&claims[1].status, ClaimStatus::Malformed(message) if message.contains("too far")), "{:?}", claims[1].status);
    // A number beyond f64 is still valid JSON: shown as written, flagged, never infinity.
    let decoded = decode(&token(r#"{"alg":"HS256"}"#, r#"{"nbf":1e400}"#, "")).unwrap();
    let claims = decoded.claims(0);
    assert_eq!(claims[0].value_text, "1e400");
    assert!(matches!(&claims[0].status, ClaimStatus::Malformed(message) if message.contains("too far")), "{:?}", claims[0].status);
}

// ---- warnings ----

#[test]
fn alg_none_is_flagged_in_any_case() {
    let decoded = decode(&token(r#"{"alg":"none"}"#, r#"{"exp":1}"#, "")).unwrap();
    let warnings = decoded.warnings();
    assert_eq!(kinds(&warnings), [WarningKind::AlgNone]);
    assert_eq!(warnings[0].severity, Severity::Danger);
    assert_eq!(verify_hmac(&decoded, b"anything").outcome, VerificationOutcome::Unsigned);

    let decoded = decode(&token(r#"{"alg":"nOnE"}"#, r#"{"exp":1}"#, "c2ln")).unwrap();
    let message = &decoded.warnings()[0].message;
    assert!(message.contains("\"nOnE\" is a known trick") && message.contains("signature is attached"), "{message}");
    assert_eq!(verify_hmac(&decoded, b"x").outcome, VerificationOutcome::Unsigned);
}

#[test]
fn header_attacks_and_lifetime_problems_are_flagged() {
    let header = r#"{"alg":"HS256","jwk":{"kty":"oct"},"jku":"https://evil.example/k","kid":"../../dev/null","crit":["b64"]}"#;
    let decoded = decode(&token(header, r#"{"iat":0,"exp":2592000,"sub":"a","sub":"b"}"#, "")).unwrap();
    let warnings = decoded.warnings();
    let found = kinds(&warnings);
    for expected in [
        WarningKind::MissingSignature,
        WarningKind::EmbeddedKey,
        WarningKind::SuspiciousKid,
        WarningKind::CriticalHeader,
        WarningKind::LongLifetime,
        WarningKind::DuplicateMember,
    ] {
        assert!(found.contains(&expected), "{expected:?} missing from {found:?}");
    }
    assert_eq!(found.iter().filter(|kind| **kind == WarningKind::EmbeddedKey).count(), 2);
    assert!(warnings.windows(2).all(|pair| pair[0].severity <= pair[1].severity), "most severe first");
    assert!(warnings.iter().any(|warning| warning.message.contains("valid for 30 days")));

    let decoded = decode(&token(r#"{"alg":"HS257"}"#, "{}", "c2ln")).unwrap();
    assert_eq!(kinds(&decoded.warnings()), [WarningKind::UnknownAlg, WarningKind::MissingExp]);
    let decoded = decode(&token(r#"{"alg":"HS256","cty":"JWT"}"#, r#"{"exp":10,"iat":0}"#, "c2ln")).unwrap();
    assert_eq!(kinds(&decoded.warnings()), [WarningKind::NestedToken]);
}

#[test]
fn algorithm_confusion_is_flagged() {
    let decoded = decode(&token(r#"{"alg":"HS256"}"#, r#"{"exp":1}"#, "c2ln")).unwrap();
    let warnings = decoded.warnings_for_key(KeyChoice::PublicKey);
    assert_eq!(kinds(&warnings), [WarningKind::AlgorithmConfusion]);
    assert_eq!(warnings[0].severity, Severity::Danger);
    assert!(decoded.warnings_for_key(KeyChoice::SharedSecret).is_empty());

    // The attack itself: the RSA public key's PEM text used as the HMAC secret.
    let public_pem = "-----BEGIN PUBLIC KEY-----\nMFkw...\n-----END PUBLIC KEY-----\n";
    let forged = encode_hs(r#"{"typ":"JWT"}"#, r#"{"sub":"admin","exp":1}"#, HmacAlg::Hs256, public_pem.as_bytes()).unwrap();
    let verification = verify_hmac(&decode(&forged).unwrap(), public_pem.as_bytes());
    assert_eq!(verification.outcome, VerificationOutcome::Valid);
    assert_eq!(kinds(&verification.warnings), [WarningKind::AlgorithmConfusion]);

    let rs = decode(&token(r#"{"alg":"RS256"}"#, r#"{"exp":1}"#, "c2ln")).unwrap();
    assert_eq!(kinds(&rs.warnings_for_key(KeyChoice::SharedSecret)), [WarningKind::KeyTypeMismatch]);
    assert!(rs.warnings_for_key(KeyChoice::PublicKey).is_empty());
    let verification = verify_hmac(&rs, b"secret");
    assert_eq!(verification.outcome, VerificationOutcome::NotHmac { alg: "RS256".to_string() });
}

// ---- signing and verifying ----

#[test]
fn encode_then_verify_for_every_hmac_alg() {
    for alg in HmacAlg::ALL {
        let secret = vec![7u8; alg.output_bytes()];
        let token = encode_hs(r#"{"typ":"JWT","alg":"XX"}"#, r#"{"sub":"ada","exp":99}"#, alg, &secret).unwrap();
        let decoded = decode(&token).unwrap();
        assert_eq!(decoded.alg, alg.name());
        assert_eq!(decoded.header_pretty, format!("{{\n  \"typ\": \"JWT\",\n  \"alg\": \"{}\"\n}}", alg.name()), "alg replaced in place");
        assert_eq!(decoded.signature.len(), alg.output_bytes());
        let verification = verify_hmac(&decoded, &secret);
        assert_eq!(verification.outcome, VerificationOutcome::Valid);
        assert!(verification.warnings.is_empty());
        assert_eq!(verify_hmac(&decoded, b"other").outcome, VerificationOutcome::Invalid);
    }
    let token = encode_hs("{}", "{}", HmacAlg::Hs256, b"").unwrap();
    assert!(token.starts_with(&b64(r#"{"alg":"HS256"}"#)), "alg is added when missing");
    assert_eq!(encode_unsecured("{}", r#"{"a":1}"#).unwrap(), format!("{}.{}.", b64(r#"{"alg":"none"}"#), b64(r#"{"a":1}"#)));
    assert!(encode_hs("{", "{}", HmacAlg::Hs256, b"k").unwrap_err().starts_with("The header is not valid JSON"));
    assert!(encode_hs("{}", "[]", HmacAlg::Hs256, b"k").unwrap_err().contains("must be a JSON object, not an array"));
    // Every copy of a repeated alg is replaced: a reader takes the last one, which must be the
    // algorithm the token was signed with.
    let token = encode_hs(r#"{"alg":"none","typ":"JWT","alg":"XX"}"#, "{}", HmacAlg::Hs256, b"k").unwrap();
    let decoded = decode(&token).unwrap();
    assert_eq!(decoded.alg, "HS256");
    assert_eq!(decoded.header_pretty, "{\n  \"alg\": \"HS256\",\n  \"typ\": \"JWT\",\n  \"alg\": \"HS256\"\n}");
    assert_eq!(verify_hmac(&decoded, b"k").outcome, VerificationOutcome::Valid);
}

#[test]
fn weak_secrets_and_truncated_signatures_are_explained() {
    let token = encode_hs("{}", r#"{"exp":1}"#, HmacAlg::Hs512, b"short").unwrap();
    let decoded = decode(&token).unwrap();
    let verification = verify_hmac(&decoded, b"short");
    assert_eq!(verification.outcome, VerificationOutcome::Valid);
    assert_eq!(kinds(&verification.warnings), [WarningKind::WeakSecret]);
    assert!(verification.warnings[0].message.contains("5 bytes; RFC 7518 requires at least 64"));
    assert_eq!(verify_hmac(&decoded, b"").warnings[0].severity, Severity::Danger);

    // 64 bytes are 86 characters; the first 84 hold exactly 63 bytes.
    let truncated = decode(token.get(..token.len() - 2).unwrap()).unwrap();
    let verification = verify_hmac(&truncated, b"short");
    assert_eq!(verification.outcome, VerificationOutcome::Invalid);
    assert!(verification.message.contains("it is 63 bytes, but HS512 signatures are 64"), "{}", verification.message);
}

#[test]
fn secrets_parse_in_three_encodings() {
    assert_eq!(parse_secret("Jefe", SecretEncoding::Text).unwrap(), b"Jefe");
    assert_eq!(parse_secret("SmVmZQ", SecretEncoding::Base64url).unwrap(), b"Jefe");
    assert_eq!(parse_secret("4a656665", SecretEncoding::Hex).unwrap(), b"Jefe");
    assert_eq!(hex_decode("4a656665").unwrap(), b"Jefe");
    assert!(parse_secret("Sm*", SecretEncoding::Base64url).unwrap_err().contains("'*' at position 3"));
    assert!(parse_secret("4g", SecretEncoding::Hex).unwrap_err().starts_with("The secret is not valid hex"));
}

#[test]
fn sample_tokens_show_what_they_promise() {
    let now = 1_700_000_000;
    let samples = sample_tokens(now);
    assert_eq!(samples, sample_tokens(now), "deterministic for the same clock");
    let find = |name: &str| samples.iter().find(|sample| sample.name == name).unwrap();
    let verify = |sample: &SampleToken| {
        let decoded = decode(&sample.token).unwrap();
        let (text, encoding) = sample.secret.clone().unwrap();
        (verify_hmac(&decoded, &parse_secret(&text, encoding).unwrap()), decoded)
    };

    let (verification, decoded) = verify(find("Valid HS256"));
    assert_eq!(verification.outcome, VerificationOutcome::Valid);
    assert!(verification.warnings.is_empty());
    assert!(decoded.claims(now).iter().all(|claim| claim.status == ClaimStatus::Fine));
    assert!(decoded.warnings().is_empty(), "{:?}", decoded.warnings());
    assert!(DEMO_SECRET.len() >= 32);

    let (verification, decoded) = verify(find("Expired"));
    assert_eq!(verification.outcome, VerificationOutcome::Valid);
    assert!(decoded.claims(now).iter().any(|claim| claim.status == ClaimStatus::Expired));

    let unsigned = decode(&find("alg: none").token).unwrap();
    assert_eq!(kinds(&unsigned.warnings()), [WarningKind::AlgNone]);

    let (_, decoded) = verify(find("Key URL in the header"));
    assert!(kinds(&decoded.warnings()).contains(&WarningKind::EmbeddedKey));

    let (verification, _) = verify(find("RFC 7515 example"));
    assert_eq!(verification.outcome, VerificationOutcome::Valid);
}

// ---- public keys for Web Crypto ----

const RSA_SPKI_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDQWpE+fy9IfRU/tljwGUt+5arK
OCpOGTRg76LGEXu+ZRgfmrac0XgagbQdU3iEECXL9vS+Mr/+90c0PgRGXFGapLdb
+pxAe7YqDDhqIWMKBOlIuQ+P0KmQj8cMxt8pS0BG9BM6jq70oh8Tk5nRtvmsQrF9
PhDZszjGsQKMhCBNxwIDAQAB
-----END PUBLIC KEY-----";

/// The same key as PKCS#1 (`openssl rsa -RSAPublicKey_out`).
const RSA_PKCS1_PEM: &str = "-----BEGIN RSA PUBLIC KEY-----
MIGJAoGBANBakT5/L0h9FT+2WPAZS37lqso4Kk4ZNGDvosYRe75lGB+atpzReBqB
tB1TeIQQJcv29L4yv/73RzQ+BEZcUZqkt1v6nEB7tioMOGohYwoE6Ui5D4/QqZCP
xwzG3ylLQEb0EzqOrvSiHxOTmdG2+axCsX0+ENmzOMaxAoyEIE3HAgMBAAE=
-----END RSA PUBLIC KEY-----";

const EC_SPKI_PEM: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEbXgegkxbBmptDggGYgsjMqLdnL5e
N9oTUGu0+N2dmdyaIsJUfZ0OKbxRJT8LBV9jj4lQbkRdEvAv8jhUIEC/oQ==
-----END PUBLIC KEY-----";

#[test]
fn public_keys_become_spki_der() {
    let der = pem_to_spki_der(RSA_SPKI_PEM).unwrap();
    assert_eq!(der.len(), 162, "openssl pkey -pubout -outform DER gives 162 bytes for this key");
    assert_eq!(hex_encode(der.get(..24).unwrap()), "30819f300d06092a864886f70d010101050003818d003081");
    assert_eq!(public_key_kind(&der), Some(PublicKeyKind::Rsa));
    assert_eq!(pem_to_spki_der(RSA_PKCS1_PEM).unwrap(), der, "PKCS#1 is wrapped into the same SPKI bytes openssl writes");
    let ec = pem_to_spki_der(&format!("\n  {EC_SPKI_PEM}\n")).unwrap();
    assert_eq!(public_key_kind(&ec), Some(PublicKeyKind::Ec));
    assert_eq!(public_key_kind(&der[..der.len() - 1]), None);
    assert_eq!(public_key_kind(&[]), None);
}

#[test]
fn other_pem_blocks_explain_what_to_paste() {
    let private = pem_to_spki_der("-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----").unwrap_err();
    assert!(private.contains("private key") && private.contains("openssl pkey -in key.pem -pubout"), "{private}");
    assert!(pem_to_spki_der("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----").unwrap_err().contains("never be pasted"));
    let certificate = pem_to_spki_der("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").unwrap_err();
    assert!(certificate.contains("openssl x509 -in cert.pem -pubkey -noout"), "{certificate}");
    assert!(pem_to_spki_der(r#"{"kty":"RSA","n":"x","e":"AQAB"}"#).unwrap_err().contains("JWK"));
    assert!(pem_to_spki_der("ssh-rsa AAAAB3Nza user@host").unwrap_err().contains("ssh-keygen"));
    assert!(pem_to_spki_der("").unwrap_err().contains("BEGIN PUBLIC KEY"));
    assert!(pem_to_spki_der("MIGfMA0GCSqGSIb3").unwrap_err().contains("BEGIN and END lines"));
    assert!(pem_to_spki_der("-----BEGIN PUBLIC KEY-----\nMIGf").unwrap_err().contains("no -----END PUBLIC KEY----- line"));
    assert!(pem_to_spki_der("-----BEGIN PUBLIC KEY-----\nMI*f\n-----END PUBLIC KEY-----").unwrap_err().contains("'*' at position"));
    assert!(pem_to_spki_der("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----").unwrap_err().contains("not to a public key"));
}

#[test]
fn web_crypto_parameters_follow_rfc_7518() {
    let rs = web_crypto_algorithm("RS256").unwrap();
    assert_eq!((rs.name, rs.hash, rs.key_kind), ("RSASSA-PKCS1-v1_5", "SHA-256", PublicKeyKind::Rsa));
    let ps = web_crypto_algorithm("PS384").unwrap();
    assert_eq!((ps.name, ps.salt_length), ("RSA-PSS", Some(48)));
    let es = web_crypto_algorithm("ES512").unwrap();
    assert_eq!((es.name, es.hash, es.named_curve), ("ECDSA", "SHA-512", Some("P-521")));
    assert_eq!(web_crypto_algorithm("HS256"), None);
    assert_eq!(web_crypto_algorithm("none"), None);

    let rs_token = decode(&token(r#"{"alg":"RS256"}"#, r#"{"exp":1}"#, "c2ln")).unwrap();
    let verification = verification_from_web_crypto(&rs_token, Some(PublicKeyKind::Ec), false);
    assert_eq!(verification.outcome, VerificationOutcome::Invalid);
    assert_eq!(kinds(&verification.warnings), [WarningKind::KeyTypeMismatch]);
    assert_eq!(verification_from_web_crypto(&rs_token, Some(PublicKeyKind::Rsa), true).outcome, VerificationOutcome::Valid);
    let hs_token = decode(&token(r#"{"alg":"HS256"}"#, r#"{"exp":1}"#, "c2ln")).unwrap();
    assert_eq!(kinds(&verification_from_web_crypto(&hs_token, Some(PublicKeyKind::Rsa), false).warnings), [WarningKind::AlgorithmConfusion]);
}

// ---- properties ----

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decode_never_panics_on_any_text(text in "\\PC{0,200}") {
        if let Ok(decoded) = decode(&text) {
            let _ = (decoded.claims(0), decoded.warnings(), verify_hmac(&decoded, b"k"));
        }
        if let Err(error) = decode(&text) {
            prop_assert!(!error.to_string().is_empty());
            if let Some(span) = error.span {
                prop_assert!(span.start <= span.end && span.end <= text.len());
            }
        }
    }

    #[test]
    fn decode_never_panics_on_dot_joined_base64url_of_any_bytes(
        parts in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..40), 1..7)
    ) {
        let text = parts.iter().map(|bytes| base64url_encode(bytes)).collect::<Vec<_>>().join(".");
        if let Ok(decoded) = decode(&text) {
            let _ = (decoded.claims(i64::MAX), decoded.claims(i64::MIN), decoded.warnings(), verify_hmac(&decoded, &[]));
        }
    }

    #[test]
    fn decode_never_panics_on_json_shaped_parts(
        header in r#"\{("[a-z]{1,4}":("[A-Za-z0-9]{0,5}"|-?[0-9]{1,14}(\.[0-9])?|true|null|\[\]),?){0,4}\}?"#,
        payload in r#"\{("(exp|nbf|iat|aud|iss)":(-?[0-9]{1,20}(e[0-9]{1,3})?|"[0-9]{1,5}"|\["a",1\]|\{\}),?){0,5}\}"#,
        now in any::<i64>(),
    ) {
        let text = token(&header, &payload, "");
        if let Ok(decoded) = decode(&text) {
            let _ = (decoded.claims(now), decoded.warnings());
        }
    }

    #[test]
    fn signing_round_trips_and_any_tampering_is_caught(
        subject in "\\PC{0,30}",
        secret in proptest::collection::vec(any::<u8>(), 0..80),
        alg_index in 0usize..3,
        flip in any::<proptest::sample::Index>(),
    ) {
        let alg = HmacAlg::ALL[alg_index];
        let payload = format!(r#"{{"sub":{},"exp":1}}"#, crate::viz::json::quote(&subject));
        let token = encode_hs(r#"{"typ":"JWT"}"#, &payload, alg, &secret).unwrap();
        let decoded = decode(&token).unwrap();
        prop_assert_eq!(decoded.payload.get("sub").and_then(|value| value.as_str()), Some(subject.as_str()));
        prop_assert_eq!(verify_hmac(&decoded, &secret).outcome, VerificationOutcome::Valid);

        let mut tampered = decoded.clone();
        let mut bytes = tampered.signing_input.into_bytes();
        let at = flip.index(bytes.len());
        bytes[at] ^= 0x01;
        tampered.signing_input = String::from_utf8_lossy(&bytes).into_owned();
        prop_assert_eq!(verify_hmac(&tampered, &secret).outcome, VerificationOutcome::Invalid);
    }
}

// ---- duplicate names (RFC 7515 §4, RFC 8725 §3.11) ----

#[test]
fn duplicate_names_are_flagged_at_any_depth_and_shown_as_written() {
    let decoded = decode(&token(r#"{"alg":"none","alg":"HS256"}"#, r#"{"exp":1,"cnf":{"jkt":"a","jkt":"b"}}"#, "c2ln")).unwrap();
    assert_eq!(decoded.alg, "HS256", "the last copy wins");
    let warnings = decoded.warnings();
    let duplicates: Vec<&str> =
        warnings.iter().filter(|warning| warning.kind == WarningKind::DuplicateMember).map(|warning| warning.message.as_str()).collect();
    assert_eq!(duplicates.len(), 2, "{duplicates:?}");
    assert!(duplicates[0].starts_with("The header names \"alg\" more than once"), "{}", duplicates[0]);
    assert!(duplicates[1].starts_with("The payload names \"cnf.jkt\" more than once"), "{}", duplicates[1]);
    assert_eq!(decoded.header_pretty, "{\n  \"alg\": \"none\",\n  \"alg\": \"HS256\"\n}", "both copies are shown");
}

proptest! {
    #[test]
    fn a_name_given_twice_is_always_flagged(name in "[a-z]{1,8}", first in "[a-z0-9]{0,8}", second in "[a-z0-9]{0,8}", other in "[A-Z]{1,3}") {
        let payload = format!(r#"{{"{name}":"{first}","{other}":1,"{name}":"{second}"}}"#);
        let decoded = decode(&token(r#"{"alg":"HS256"}"#, &payload, "c2ln")).unwrap();
        let flagged = decoded.warnings().iter().filter(|warning| warning.kind == WarningKind::DuplicateMember).count();
        prop_assert_eq!(flagged, 1);
        prop_assert_eq!(decoded.payload.get(&name).and_then(|value| value.as_str()), Some(second.as_str()));
        let once = format!(r#"{{"{name}":"{first}","{other}":1}}"#);
        let decoded = decode(&token(r#"{"alg":"HS256"}"#, &once, "c2ln")).unwrap();
        prop_assert!(decoded.warnings().iter().all(|warning| warning.kind != WarningKind::DuplicateMember));
    }
}
