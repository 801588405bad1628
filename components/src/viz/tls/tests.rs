//! The cryptography against the RFCs' published vectors (RFC 7748 §6.1, RFC 5869 A.1, RFC 8448
//! §3 and §4, the TLS 1.2 PRF vector), the encoders against RFC 8448's message bytes, the walks'
//! round trips and ordering rules over random keys, and the harness contracts.

use proptest::prelude::*;

use super::keys::*;
use super::wire::*;
use super::*;
use crate::sim::{Params, Simulation, Timeline};

fn h32(text: &str) -> Bytes32 {
    parse_private_key(text).unwrap_or_else(|message| panic!("{text}: {message}"))
}

fn bytes(text: &str) -> Vec<u8> {
    ::hex::decode(text.split_whitespace().collect::<String>()).unwrap()
}

fn params(list: &[(&str, &str)]) -> Params {
    let mut params = Params::defaults(TLS_PARAMS);
    for (key, value) in list {
        params.set_text(key, value).unwrap_or_else(|message| panic!("{key}={value}: {message}"));
    }
    params
}

fn walk(mode: Mode) -> Handshake {
    Handshake::new(&params(&[("mode", mode.slug())]), 1)
}

/// Every secret a walk reveals, by kind, as hex.
fn secrets(model: &Handshake) -> Vec<(SecretKind, String)> {
    model.steps().iter().flat_map(|step| step.secrets.iter()).map(|secret| (secret.kind, hex(&secret.value))).collect()
}

fn secret_hex(model: &Handshake, kind: SecretKind) -> String {
    secrets(model).into_iter().find(|(found, _)| *found == kind).map(|(_, value)| value).unwrap_or_else(|| panic!("{kind:?} never revealed"))
}

fn field<'a>(step: &'a Step, name: &str) -> &'a str {
    step.fields.iter().find(|field| field.name == name).map(|field| field.value.as_str()).unwrap_or_else(|| panic!("{} has no field {name}", step.title))
}

// ---- The RFCs' vectors ----------------------------------------------------------------------

#[test]
fn x25519_matches_rfc7748_section_6_1() {
    let alice = h32("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    let bob = h32("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
    assert_eq!(hex(&public_key(&alice)), "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
    assert_eq!(hex(&public_key(&bob)), "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
    let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assert_eq!(hex(&shared_secret(&alice, &public_key(&bob))), shared);
    assert_eq!(hex(&shared_secret(&bob, &public_key(&alice))), shared);
}

#[test]
fn hkdf_matches_rfc5869_test_case_1() {
    let ikm = [0x0b; 22];
    let salt: Vec<u8> = (0x00..=0x0c).collect();
    let info: Vec<u8> = (0xf0..=0xf9).collect();
    let prk = hkdf_extract(Some(&salt), &ikm);
    assert_eq!(hex(&prk), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
    let mut okm = [0; 42];
    hkdf_expand(&prk, &info, &mut okm);
    assert_eq!(hex(&okm), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
}

#[test]
fn hkdf_label_is_laid_out_as_rfc8448_prints_it() {
    // RFC 8448 §3, {server} derive secret "tls13 c hs traffic": info (54 octets).
    let hash = h32("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
    let expected = bytes("00 20 12 74 6c 73 31 33 20 63 20 68 73 20 74 72 61 66 66 69 63 20 86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8");
    assert_eq!(hkdf_label(32, "c hs traffic", &hash), expected);
    // {server} derive write traffic keys for handshake data: key info (13 octets), iv info (12).
    assert_eq!(hkdf_label(16, "key", &[]), bytes("00 10 09 74 6c 73 31 33 20 6b 65 79 00"));
    assert_eq!(hkdf_label(12, "iv", &[]), bytes("00 0c 08 74 6c 73 31 33 20 69 76 00"));
    assert_eq!(hex(&empty_hash()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/// RFC 8448 §3, computed step by step from the keys with the transcript hashes the RFC prints.
#[test]
fn the_key_schedule_matches_rfc8448_simple_handshake() {
    let keys = Keys::RFC8448_SIMPLE;
    assert_eq!(hex(&public_key(&keys.client)), "99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c");
    assert_eq!(hex(&public_key(&keys.server)), "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f");
    let shared = shared_secret(&keys.client, &public_key(&keys.server));
    assert_eq!(hex(&shared), "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
    let early = hkdf_extract(None, &[0; 32]);
    assert_eq!(hex(&early), "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a");
    let derived = derive_secret(&early, "derived", &empty_hash());
    assert_eq!(hex(&derived), "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba");
    let handshake = hkdf_extract(Some(&derived), &shared);
    assert_eq!(hex(&handshake), "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac");
    let hello_hash = h32("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
    let client_hs = derive_secret(&handshake, "c hs traffic", &hello_hash);
    let server_hs = derive_secret(&handshake, "s hs traffic", &hello_hash);
    assert_eq!(hex(&client_hs), "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21");
    assert_eq!(hex(&server_hs), "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
    assert_eq!(hex(&expand_label(&server_hs, "key", &[], 16)), "3fce516009c21727d0f2e4e86ee403bc");
    assert_eq!(hex(&expand_label(&server_hs, "iv", &[], 12)), "5d313eb2671276ee13000b30");
    let derived = derive_secret(&handshake, "derived", &empty_hash());
    assert_eq!(hex(&derived), "43de77e0c77713859a944db9db2590b53190a65b3ee2e4f12dd7a0bb7ce254b4");
    let master = hkdf_extract(Some(&derived), &[0; 32]);
    assert_eq!(hex(&master), "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919");
    let finished_hash = h32("9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13");
    assert_eq!(hex(&derive_secret(&master, "c ap traffic", &finished_hash)), "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5");
    assert_eq!(hex(&derive_secret(&master, "s ap traffic", &finished_hash)), "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643");
    assert_eq!(hex(&derive_secret(&master, "exp master", &finished_hash)), "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50");
    let resumption = derive_secret(&master, "res master", &h32("209145a96ee8e2a122ff810047cc952684658d6049e86429426db87c54ad143d"));
    assert_eq!(hex(&resumption), "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c");
    assert_eq!(hex(&expand_label(&resumption, "resumption", &[0, 0], 32)), "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3");
}

/// RFC 8448 §4's first secrets: from the §3 PSK, and the "c e traffic" derivation with the
/// ClientHello hash the RFC prints.
#[test]
fn the_psk_schedule_matches_rfc8448_resumed_handshake() {
    let psk = bytes("4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3");
    let early = hkdf_extract(None, &psk);
    assert_eq!(hex(&early), "9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c");
    assert_eq!(hex(&derive_secret(&early, "res binder", &empty_hash())), "69fe131a3bbad5d63c64eebcc30e395b9d8107726a13d074e389dbc8a4e47256");
    let hello_hash = h32("08ad0fa05d7c7233b1775ba2ff9f4c5b8b59276b7f227f13a976245f5d960913");
    assert_eq!(hex(&derive_secret(&early, "c e traffic", &hello_hash)), "3fbbe6a60deb66c30a32795aba0eff7eaa10105586e7be5c09678d63b6caab62");
}

#[test]
fn the_tls12_prf_matches_the_published_sha256_vector() {
    let mut out = [0; 100];
    tls12_prf(&bytes("9bbe436ba940f017b17652849a71db35"), "test label", &bytes("a0ba9f936cda311827a6f796ffd5198c"), &mut out);
    let expected = "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66";
    assert_eq!(hex(&out), expected);
}

// ---- The messages' bytes --------------------------------------------------------------------

const SIMPLE_CLIENT_HELLO: &str = "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7000006130113031302010000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c00024001";
const SIMPLE_SERVER_HELLO: &str = "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304";
const SIMPLE_ENCRYPTED_EXTENSIONS: &str = "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000";

#[test]
fn the_encoders_give_rfc8448_simple_messages_byte_for_byte() {
    let keys = Keys::RFC8448_SIMPLE;
    let client_public = public_key(&keys.client);
    let (hello, binder) = client_hello(&ClientHelloSpec { random: &SIMPLE_CLIENT_RANDOM, shares: &[(X25519, &client_public)], session_ticket: true, early_data: false, psk: None });
    assert_eq!(hex(&hello), SIMPLE_CLIENT_HELLO);
    assert_eq!(binder, None);
    let server_public = public_key(&keys.server);
    assert_eq!(hex(&server_hello(&SIMPLE_SERVER_RANDOM, &[ServerExtension::KeyShare(&server_public), ServerExtension::SupportedVersions])), SIMPLE_SERVER_HELLO);
    assert_eq!(hex(&encrypted_extensions(false)), SIMPLE_ENCRYPTED_EXTENSIONS);
    // The transcript hash RFC 8448 uses for the handshake traffic secrets.
    assert_eq!(hex(&sha256(&[hello, bytes(SIMPLE_SERVER_HELLO)].concat())), "860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
    assert_eq!(hex(&hello_retry_random()), "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");
}

#[test]
fn the_encoders_give_rfc8448_resumed_messages_with_the_padding_and_binder() {
    let keys = Keys::RFC8448_RESUMED;
    let early = hkdf_extract(None, &bytes("4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3"));
    let binder_key = derive_secret(&early, "res binder", &empty_hash());
    let offer = PskOffer { ticket: &TICKET, obfuscated_age: 0xfad6_aacb, binder_key: &binder_key };
    let client_public = public_key(&keys.client);
    let (hello, binder) = client_hello(&ClientHelloSpec { random: &RESUMED_CLIENT_RANDOM, shares: &[(X25519, &client_public)], session_ticket: false, early_data: true, psk: Some(offer) });
    let prefix = concat!(
        "010001fc03031bc3ceb6bbe39cff938355b5a50adb6db21b7a6af649d7b4bc419d7876487d95000006130113031302010001cd0000000b0009000006736572766572ff01000100000a00140012001d00170018001901000101010201030104",
        "003300260024001d0020e4ffb68ac05f8d96c99da26698346c6be16482badddafe051a66b4f18d668f0b002a0000002b0003020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c00024001",
        "00150057000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
        "002900dd00b800b2",
    );
    let binder_hex = "3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d";
    assert_eq!(hello.len(), 512, "RFC 8448 §4's hello is 512 bytes");
    let text = hex(&hello);
    assert!(text.starts_with(prefix), "{text}");
    assert_eq!(&text[prefix.len()..prefix.len() + 2 * TICKET.len()], hex(&TICKET));
    assert!(text.ends_with(&format!("fad6aacb002120{binder_hex}")), "{text}");
    assert_eq!(binder.map(|binder| hex(&binder)).as_deref(), Some(binder_hex));
    assert_eq!(hex(&sha256(&hello)), "08ad0fa05d7c7233b1775ba2ff9f4c5b8b59276b7f227f13a976245f5d960913");
    let server_public = public_key(&keys.server);
    let hello = server_hello(&RESUMED_SERVER_RANDOM, &[ServerExtension::SelectedIdentity(0), ServerExtension::KeyShare(&server_public), ServerExtension::SupportedVersions]);
    assert_eq!(hex(&hello), "0200005c03033ccfd2dec890222763472ae8136777c9d7358777bb66e91ea5122495f559ea2d00130100003400290002000000330024001d0020121761ee42c333e1b9e77b60dd57c2053cd94512ab47f115e86eff50942cea31002b00020304");
    assert_eq!(hex(&encrypted_extensions(true)), "080000280026000a00140012001d00170018001901000101010201030104001c0002400100000000002a0000");
}

#[test]
fn a_hello_between_256_and_511_bytes_is_padded_to_512() {
    let binder_key = [7; 32];
    for early_data in [false, true] {
        let offer = PskOffer { ticket: &TICKET, obfuscated_age: 1, binder_key: &binder_key };
        let (hello, _) = client_hello(&ClientHelloSpec { random: &[1; 32], shares: &[(X25519, &[2; 32])], session_ticket: false, early_data, psk: Some(offer) });
        assert_eq!(hello.len(), 512, "early data {early_data}");
        assert_eq!(u32::from_be_bytes([0, hello[1], hello[2], hello[3]]) as usize, hello.len() - 4, "the header counts the binders");
    }
    // A short ticket leaves the hello under 256 bytes: no padding.
    let offer = PskOffer { ticket: &[9; 8], obfuscated_age: 1, binder_key: &binder_key };
    let (hello, _) = client_hello(&ClientHelloSpec { random: &[1; 32], shares: &[(X25519, &[2; 32])], session_ticket: false, early_data: false, psk: Some(offer) });
    assert!(hello.len() < 256, "{}", hello.len());
}

// ---- The walks against RFC 8448 ------------------------------------------------------------

#[test]
fn the_full_walk_reproduces_rfc8448_section_3() {
    let model = walk(Mode::Full);
    let expected = [
        (SecretKind::Shared, "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d"),
        (SecretKind::Early, "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"),
        (SecretKind::Handshake, "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac"),
        (SecretKind::ClientHandshake, "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"),
        (SecretKind::ServerHandshake, "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"),
        (SecretKind::Master, "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919"),
        (SecretKind::ClientApplication, "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5"),
        (SecretKind::ServerApplication, "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643"),
        (SecretKind::ResumptionMaster, "7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c"),
        (SecretKind::Psk, "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3"),
    ];
    let found = secrets(&model);
    assert_eq!(found.iter().map(|(kind, _)| *kind).collect::<Vec<_>>(), expected.iter().map(|(kind, _)| *kind).collect::<Vec<_>>(), "revealed in this order");
    for (kind, value) in expected {
        assert_eq!(secret_hex(&model, kind), value, "{kind:?}");
    }
    let steps = model.steps();
    let titles: Vec<&str> = steps.iter().filter(|step| step.sender().is_some()).map(|step| step.title).collect();
    assert_eq!(titles, ["ClientHello", "ServerHello", "EncryptedExtensions", "Certificate", "CertificateVerify", "Finished", "Finished", "HTTP request", "NewSessionTicket"]);
    let finished: Vec<&Step> = steps.iter().filter(|step| step.title == "Finished").collect();
    assert_eq!(field(finished[0], "verify_data"), "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718");
    assert_eq!(field(finished[1], "verify_data"), "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61");
    let traffic = steps.iter().find(|step| step.title == "Application traffic secrets").unwrap();
    assert_eq!(field(traffic, "transcript hash"), "9608102a0f1ccc6db6250b7b7e417b1a000eaada3daae4777a7686c9ff83df13");
    assert_eq!(field(&steps[1], "size"), "196 bytes");
    assert_eq!(field(&steps[1], "key_share"), "x25519 99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c");
}

#[test]
fn the_0rtt_walk_reproduces_rfc8448_section_4() {
    let model = walk(Mode::ZeroRtt);
    let expected = [
        (SecretKind::Psk, "4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3"),
        (SecretKind::Early, "9b2188e9b2fc6d64d71dc329900e20bb41915000f678aa839cbb797cb7d8332c"),
        (SecretKind::Binder, "69fe131a3bbad5d63c64eebcc30e395b9d8107726a13d074e389dbc8a4e47256"),
        (SecretKind::ClientEarly, "3fbbe6a60deb66c30a32795aba0eff7eaa10105586e7be5c09678d63b6caab62"),
        (SecretKind::Shared, "f44194756ff9ec9d25180635d66ea6824c6ab3bf179977be37f723570e7ccb2e"),
        (SecretKind::Handshake, "005cb112fd8eb4ccc623bb88a07c64b3ede1605363fc7d0df8c7ce4ff0fb4ae6"),
        (SecretKind::ClientHandshake, "2faac08f851d35fea3604fcb4de82dc62c9b164a70974d0462e27f1ab278700f"),
        (SecretKind::ServerHandshake, "fe927ae271312e8bf0275b581c54eef020450dc4ecffaa05a1a35d27518e7803"),
        (SecretKind::Master, "e2d32d4ed66dd37897a0e80c84107503ce58bf8aad4cb55a5002d77ecb890ece"),
        (SecretKind::ClientApplication, "2abbf2b8e381d23dbebe1dd2a7d16a8bf484cb4950d23fb7fb7fa8547062d9a1"),
        (SecretKind::ServerApplication, "cc21f1bf8feb7dd5fa505bd9c4b468a9984d554a993dc49e6d285598fb672691"),
    ];
    for (kind, value) in expected {
        assert_eq!(secret_hex(&model, kind), value, "{kind:?}");
    }
    let public = |name| model.steps().iter().find_map(|step| step.fields.iter().find(|field| field.name == name)).map(|field| field.value.clone());
    assert_eq!(public("client public key").as_deref(), Some("e4ffb68ac05f8d96c99da26698346c6be16482badddafe051a66b4f18d668f0b"));
    assert_eq!(public("server public key").as_deref(), Some("121761ee42c333e1b9e77b60dd57c2053cd94512ab47f115e86eff50942cea31"));
    let finished: Vec<&Step> = model.steps().iter().filter(|step| step.title == "Finished").collect();
    assert_eq!(field(finished[0], "verify_data"), "48d3e0e1b3d907c6acff145e16090388c77b05c050b634ab1a88bbd0dd1a34b2");
    assert_eq!(field(finished[1], "verify_data"), "7230a9c952c25cd6138fc5e6628308c41c5335dd81b9f96bcea50fd32bda416d");
    let accept = model.steps().iter().find(|step| step.title == "Server accepts the PSK").unwrap();
    assert!(field(accept, "binder check").ends_with(": matches"));
}

#[test]
fn resumption_without_early_data_shares_the_transcript_free_secrets_but_not_the_traffic_ones() {
    let (plain, early) = (walk(Mode::Resumption), walk(Mode::ZeroRtt));
    for kind in [SecretKind::Psk, SecretKind::Early, SecretKind::Binder, SecretKind::Shared, SecretKind::Handshake, SecretKind::Master] {
        assert_eq!(secret_hex(&plain, kind), secret_hex(&early, kind), "{kind:?} hashes no message");
    }
    for kind in [SecretKind::ClientHandshake, SecretKind::ServerApplication] {
        assert_ne!(secret_hex(&plain, kind), secret_hex(&early, kind), "{kind:?} hashes a hello without early_data");
    }
    assert!(!secrets(&plain).iter().any(|(kind, _)| *kind == SecretKind::ClientEarly));
    assert!(!plain.steps().iter().any(|step| step.protection() == Some(Protection::EarlyData)));
}

#[test]
fn a_retry_changes_the_transcript_but_not_the_exchange() {
    let (full, retry) = (walk(Mode::Full), walk(Mode::HelloRetry));
    for kind in [SecretKind::Shared, SecretKind::Early, SecretKind::Handshake, SecretKind::Master] {
        assert_eq!(secret_hex(&full, kind), secret_hex(&retry, kind), "{kind:?}");
    }
    assert_ne!(secret_hex(&full, SecretKind::ClientHandshake), secret_hex(&retry, SecretKind::ClientHandshake));
    // The hash behind them is message_hash(first hello), the retry request, the second hello
    // and the server hello: recomputed here from the messages.
    let keys = Keys::RFC8448_SIMPLE;
    let (first, _) = client_hello(&ClientHelloSpec { random: &SIMPLE_CLIENT_RANDOM, shares: &[(SECP256R1, &P256_SHARE)], session_ticket: true, early_data: false, psk: None });
    assert_eq!(first.len(), SIMPLE_CLIENT_HELLO.len() / 2 + 33, "a 65-byte share instead of 32");
    let stand_in = message_hash(&first);
    assert_eq!((stand_in[0], stand_in.len()), (254, 36));
    let retry_request = server_hello(&hello_retry_random(), &[ServerExtension::SelectedGroup(X25519), ServerExtension::SupportedVersions]);
    let transcript = [stand_in, retry_request, bytes(SIMPLE_CLIENT_HELLO), bytes(SIMPLE_SERVER_HELLO)].concat();
    let handshake = h32(&secret_hex(&retry, SecretKind::Handshake));
    assert_eq!(secret_hex(&retry, SecretKind::ClientHandshake), hex(&derive_secret(&handshake, "c hs traffic", &sha256(&transcript))));
    assert_eq!(public_key(&keys.client), h32(field(&retry.steps()[2], "client public key")));
    let titles: Vec<&str> = retry.steps().iter().filter(|step| step.sender().is_some()).map(|step| step.title).collect();
    assert_eq!(&titles[..4], ["ClientHello", "HelloRetryRequest", "ClientHello (again)", "ServerHello"]);
}

#[test]
fn tls12_derives_its_keys_from_the_same_exchange() {
    let model = walk(Mode::Tls12);
    assert_eq!(secret_hex(&model, SecretKind::Shared), "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
    let pre_master = bytes("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d");
    let mut master = [0; 48];
    tls12_prf(&pre_master, "master secret", &[SIMPLE_CLIENT_RANDOM, SIMPLE_SERVER_RANDOM].concat(), &mut master);
    assert_eq!(secret_hex(&model, SecretKind::Tls12Master), hex(&master));
    assert_eq!(secret_hex(&model, SecretKind::Tls12KeyBlock).len(), 80);
    let certificate = model.steps().iter().find(|step| step.title == "Certificate").unwrap();
    assert_eq!(certificate.protection(), Some(Protection::Clear), "TLS 1.2 shows the certificate to everyone");
    let server = model.steps().iter().find(|step| step.title == "Server computes the keys").unwrap();
    assert_eq!(field(server, "server's shared secret"), hex(&pre_master));
}

// ---- Round trips and timing ----------------------------------------------------------------

#[test]
fn round_trips_before_the_first_application_byte() {
    let expected = [(Mode::Full, 1), (Mode::HelloRetry, 2), (Mode::Resumption, 1), (Mode::ZeroRtt, 0), (Mode::Tls12, 2)];
    for (mode, trips) in expected {
        let model = walk(mode);
        assert_eq!(model.data_round_trips(), Some(trips), "{mode:?} read from its steps");
        assert_eq!(mode.data_round_trips(), trips, "{mode:?} table");
        assert_eq!(time_to_data_ms(mode, 80), trips * 80);
    }
    let model = Handshake::new(&params(&[("mode", "tls12"), ("rtt", "60")]), 1);
    let request = model.steps().iter().position(|step| step.carries_data).unwrap();
    assert_eq!(model.sent_at_ms(request), Some(120.0), "sent at 2 round trips of 60 ms");
    let done = model.steps().iter().position(|step| step.title == "ServerHelloDone").unwrap();
    assert_eq!(model.sent_at_ms(done), Some(30.0), "the server answers half a round trip in");
    let compute = model.steps().iter().position(|step| step.sender().is_none()).unwrap();
    assert_eq!(model.sent_at_ms(compute), None);
    let early = walk(Mode::ZeroRtt);
    let data = early.steps().iter().position(|step| step.carries_data).unwrap();
    assert_eq!((early.sent_at_ms(data), early.steps()[data].protection()), (Some(0.0), Some(Protection::EarlyData)));
    assert!(early.steps()[data].note.contains("replay"), "the replay caveat is told where the data goes");
    let mut retry = walk(Mode::HelloRetry);
    assert_eq!(retry.round_trips_so_far(), 1);
    while !retry.finished() {
        retry.step();
    }
    assert_eq!(retry.round_trips_so_far(), 3, "the request starts the third round trip");
}

// ---- Keys as the reader types them ---------------------------------------------------------

#[test]
fn pasted_keys_are_read_generously_and_refused_precisely() {
    let expected = Keys::RFC8448_SIMPLE.client;
    for text in [
        "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005",
        "  49 af 42 ba 7f 79 94 85 2d 71 3e f2 78\n     4b cb ca a7 91 1d e2 6a dc 56 42 cb 63 45 40 e7 ea 50 05 ",
        "0x49AF42BA7F7994852D713EF2784BCBCAA7911DE26ADC5642CB634540E7EA5005",
        "49:af:42:ba:7f:79:94:85:2d:71:3e:f2:78:4b:cb:ca:a7:91:1d:e2:6a:dc:56:42:cb:63:45:40:e7:ea:50:05",
    ] {
        assert_eq!(parse_private_key(text), Ok(expected), "{text:?}");
    }
    assert_eq!(parse_private_key("   "), Err("The key is empty: paste 32 bytes as 64 hexadecimal digits (0–9, a–f).".to_string()));
    assert_eq!(parse_private_key("abc"), Err("That is 3 hexadecimal digits; an X25519 private key is 32 bytes, 64 hexadecimal digits.".to_string()));
    assert_eq!(parse_private_key(&"a".repeat(66)).unwrap_err(), "That is 66 hexadecimal digits; an X25519 private key is 32 bytes, 64 hexadecimal digits.");
    assert_eq!(
        parse_private_key("  12g4").unwrap_err(),
        "Character 5, 'g', is not a hexadecimal digit: a key is written with 0–9 and a–f (spaces and colons are ignored)."
    );
    assert!(parse_private_key("0x12\u{200B}").unwrap_err().starts_with("Character 5, U+200B"), "{:?}", parse_private_key("0x12\u{200B}"));
    assert!(parse_private_key("é").unwrap_err().starts_with("Character 1, 'é'"));
}

#[test]
fn a_pasted_key_recomputes_every_step_and_keeps_the_place() {
    let mut model = walk(Mode::Full);
    for _ in 0..5 {
        model.step();
    }
    let before = secret_hex(&model, SecretKind::Handshake);
    let key = [0x42; 32];
    model.apply(&Action::ClientKey(key));
    assert_eq!(model.current(), 5);
    assert_eq!(model.keys().client, key);
    assert_eq!(model.keys().server, Keys::RFC8448_SIMPLE.server);
    assert_ne!(secret_hex(&model, SecretKind::Handshake), before);
    assert_eq!(secret_hex(&model, SecretKind::Shared), hex(&shared_secret(&key, &public_key(&Keys::RFC8448_SIMPLE.server))));
    assert!(model.narrate().starts_with("New client private key; every value is recomputed. Step 6 of"), "{}", model.narrate());
    model.step();
    assert!(model.narrate().starts_with("Step 7 of"), "the news is told once: {}", model.narrate());
    model.apply(&Action::ServerKey(key));
    assert_eq!(model.keys(), Keys { client: key, server: key });
}

#[test]
fn actions_round_trip_through_the_url_and_garbage_is_refused() {
    let key = Keys::RFC8448_SIMPLE.client;
    for action in [Action::ClientKey(key), Action::ServerKey(key)] {
        let text = Handshake::encode_action(&action);
        assert_eq!(text.len(), 65);
        assert_eq!(Handshake::decode_action(&text), Some(action));
    }
    assert_eq!(Handshake::encode_action(&Action::ServerKey(key)), "s49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005");
    for garbage in ["", "c", "x49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005", "c49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea500", "c 9af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005", "é9af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005"] {
        assert_eq!(Handshake::decode_action(garbage), None, "{garbage:?}");
    }
}

// ---- The harness ----------------------------------------------------------------------------

#[test]
fn the_walk_stops_at_its_last_step_and_replays_from_a_link() {
    let mut timeline = Timeline::<Handshake>::new(params(&[("mode", "0rtt")]), 3, TLS_LIMIT);
    timeline.seek(2);
    timeline.act(Action::ServerKey([9; 32]));
    for _ in 0..100 {
        timeline.step_forward();
    }
    let count = timeline.state().steps().len();
    assert_eq!(timeline.state().current(), count - 1);
    assert!(timeline.at_end() && timeline.tick() < TLS_LIMIT);
    let (actions, skipped) = Timeline::<Handshake>::decode_actions(&timeline.encode_actions());
    assert_eq!(skipped, 0);
    let replayed = Timeline::<Handshake>::replay(params(&[("mode", "0rtt")]), 3, TLS_LIMIT, actions, timeline.tick());
    assert_eq!(replayed.state(), timeline.state());
    timeline.seek(1);
    assert_eq!(timeline.state().keys(), Keys::RFC8448_RESUMED, "before the action, the defaults");
}

#[test]
fn parameters_are_read_defensively() {
    let model = Handshake::new(&params(&[("mode", "tls12"), ("rtt", "1000")]), 0);
    assert_eq!((model.mode(), model.rtt_ms()), (Mode::Tls12, 1000));
    let foreign = Params::defaults(crate::viz::raft::RAFT_PARAMS);
    let model = Handshake::new(&foreign, 0);
    assert_eq!((model.mode(), model.rtt_ms(), model.keys()), (Mode::Full, 100, Keys::RFC8448_SIMPLE));
    for mode in Mode::ALL {
        assert_eq!(Mode::from_slug(mode.slug()), Some(mode));
        assert_eq!(walk(mode).keys(), mode.default_keys());
    }
    assert_eq!(Mode::from_slug("ssl3"), None);
}

// ---- Rules every walk keeps, for any keys --------------------------------------------------

/// The secret a protection needs before a message may use it.
fn key_for(protection: Protection) -> Option<SecretKind> {
    match protection {
        Protection::Clear => None,
        Protection::EarlyData => Some(SecretKind::ClientEarly),
        Protection::Handshake => Some(SecretKind::ClientHandshake),
        Protection::Application => Some(SecretKind::ClientApplication),
        Protection::Session => Some(SecretKind::Tls12KeyBlock),
    }
}

fn check_walk(model: &Handshake) {
    let mut known: Vec<SecretKind> = Vec::new();
    let mut last_trip = 1;
    for step in model.steps() {
        assert!(step.round_trip >= last_trip, "{}: round trips only go forward", step.title);
        last_trip = step.round_trip;
        if let Some(protection) = step.protection() {
            if let Some(needed) = key_for(protection) {
                assert!(known.contains(&needed), "{} is {} before {needed:?} is known", step.title, protection.words());
            }
        }
        for secret in &step.secrets {
            assert!(!known.contains(&secret.kind), "{:?} revealed twice", secret.kind);
            let parent = match secret.kind {
                SecretKind::Binder | SecretKind::ClientEarly | SecretKind::Handshake => Some(SecretKind::Early),
                SecretKind::ClientHandshake | SecretKind::ServerHandshake | SecretKind::Master => Some(SecretKind::Handshake),
                SecretKind::ClientApplication | SecretKind::ServerApplication | SecretKind::ResumptionMaster => Some(SecretKind::Master),
                SecretKind::Tls12Master => Some(SecretKind::Shared),
                SecretKind::Tls12KeyBlock => Some(SecretKind::Tls12Master),
                SecretKind::Early if model.mode() == Mode::Resumption || model.mode() == Mode::ZeroRtt => Some(SecretKind::Psk),
                _ => None,
            };
            if let Some(parent) = parent {
                assert!(known.contains(&parent) || step.secrets.iter().any(|other| other.kind == parent), "{:?} before {parent:?}", secret.kind);
            }
            known.push(secret.kind);
        }
    }
    let first = model.steps().iter().find(|step| step.sender().is_some()).unwrap();
    assert_eq!((first.title, first.sender()), ("ClientHello", Some(Side::Client)));
    assert_eq!(model.data_round_trips(), Some(model.mode().data_round_trips()));
}

fn any_mode() -> impl Strategy<Value = Mode> {
    prop::sample::select(Mode::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn both_sides_reach_the_same_shared_secret(client in any::<[u8; 32]>(), server in any::<[u8; 32]>()) {
        let from_client = shared_secret(&client, &public_key(&server));
        prop_assert_eq!(from_client, shared_secret(&server, &public_key(&client)));
        prop_assert_ne!(from_client, [0; 32]);
    }

    #[test]
    fn every_walk_keeps_its_rules_for_any_keys(mode in any_mode(), client in any::<[u8; 32]>(), server in any::<[u8; 32]>()) {
        let model = Handshake::with_keys(Config { mode, rtt_ms: 100 }, Keys { client, server });
        check_walk(&model);
        // The client's own computation of the shared secret agrees with the server's.
        let shared = hex(&shared_secret(&server, &public_key(&client)));
        prop_assert_eq!(secret_hex(&model, SecretKind::Shared), shared.clone());
        let client_side = model.steps().iter().find_map(|step| step.fields.iter().find(|field| field.name == "client's shared secret" || field.name == "server's shared secret"));
        prop_assert_eq!(client_side.map(|field| field.value.clone()), Some(shared));
    }

    #[test]
    fn garbage_key_text_gives_a_message_never_a_panic(text in "\\PC{0,80}") {
        match parse_private_key(&text) {
            Ok(key) => prop_assert_eq!(parse_private_key(&hex(&key)), Ok(key)),
            Err(message) => prop_assert!(!message.is_empty()),
        }
        prop_assert!(Handshake::decode_action(&text).is_none() || text.len() == 65);
    }

    #[test]
    fn random_runs_never_panic(mode in any_mode(), rtt in -10i64..5000, ticks in 0usize..20, actions in prop::collection::vec((0usize..20, any::<bool>(), any::<[u8; 32]>()), 0..3)) {
        let mut params = Params::defaults(TLS_PARAMS);
        params.set("mode", Value::Choice(mode.slug()));
        params.set("rtt", Value::Int(rtt));
        let mut model = Handshake::new(&params, 0);
        prop_assert!((MIN_RTT_MS as u32..=MAX_RTT_MS as u32).contains(&model.rtt_ms()));
        for tick in 0..ticks {
            for (at, client, key) in &actions {
                if *at == tick {
                    model.apply(&if *client { Action::ClientKey(*key) } else { Action::ServerKey(*key) });
                }
            }
            model.step();
            prop_assert!(!model.narrate().is_empty());
            let poster = stage::stage(&model).finish();
            prop_assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        }
    }
}

// ---- The stage -----------------------------------------------------------------------------

/// The texts of a drawing, in order.
fn texts(svg: &str) -> Vec<&str> {
    svg.split("<text").skip(1).filter_map(|part| part.split('>').nth(1)).map(|part| part.trim_end_matches("</text")).collect()
}

#[test]
fn every_step_of_every_walk_draws_within_its_canvas() {
    for mode in Mode::ALL {
        for rtt in ["1", "100", "1000"] {
            let mut model = Handshake::new(&params(&[("mode", mode.slug()), ("rtt", rtt)]), 1);
            for _ in 0..model.steps().len() {
                let poster = stage::stage(&model).finish();
                assert!(poster.problems.is_empty(), "{mode:?} step {}: {:?}", model.current(), poster.problems);
                assert!(poster.svg.len() < 12_000, "{mode:?}: {} bytes", poster.svg.len());
                model.step();
            }
        }
    }
}

#[test]
fn the_diagram_grows_a_row_per_message_with_locks_on_the_encrypted_ones() {
    for mode in Mode::ALL {
        let mut model = walk(mode);
        for _ in 0..model.steps().len() {
            let svg = stage::stage(&model).finish().svg;
            let messages: Vec<&Step> = model.shown().iter().filter(|step| step.sender().is_some()).collect();
            let encrypted = messages.iter().filter(|step| step.protection().is_some_and(Protection::encrypted)).count();
            // Arrowheads: one per message, two between the rungs, one in the legend.
            assert_eq!(svg.matches("pv-head").count(), messages.len() + 3, "{mode:?} step {}", model.current());
            assert_eq!(svg.matches(r#"width="8.0" height="6.0""#).count(), encrypted, "{mode:?}: a padlock per encrypted message");
            assert_eq!(svg.matches("pv-line pv-line--dashed").count() - unknown_rung_sides(&model), encrypted, "{mode:?}: dashed arrows");
            let titles = texts(&svg);
            for step in &messages {
                assert!(titles.contains(&step.title), "{mode:?}: {} not drawn", step.title);
            }
            let current = model.step_now();
            if current.sender().is_some() {
                assert!(svg.contains(&format!(r#"pv-text pv-text--strong" x="176.0" y="{:.1}" font-size="12" text-anchor="middle">{}<"#, ROWS_FIRST_BASELINE + ROW_PITCH * (messages.len() - 1) as f32, current.title)), "{mode:?}: the current message in bold");
            }
            model.step();
        }
    }
}

const ROWS_FIRST_BASELINE: f32 = stage::ROWS_TOP + 10.0;
const ROW_PITCH: f32 = stage::ROW;

/// The dashed sides of the rungs whose secret is not known yet (four each).
fn unknown_rung_sides(model: &Handshake) -> usize {
    let rungs = match model.mode() {
        Mode::Tls12 => [SecretKind::Shared, SecretKind::Tls12Master, SecretKind::Tls12KeyBlock],
        _ => [SecretKind::Early, SecretKind::Handshake, SecretKind::Master],
    };
    4 * rungs.iter().filter(|kind| model.secret(**kind).is_none()).count()
}

#[test]
fn the_ladder_fills_in_as_secrets_become_known() {
    let mut model = walk(Mode::Full);
    let svg = stage::stage(&model).finish().svg;
    assert_eq!(texts(&svg).iter().filter(|text| **text == "not yet").count(), 3);
    assert!(texts(&svg).contains(&"Messages appear here"));
    while model.secret(SecretKind::Handshake).is_none() {
        model.step();
    }
    let svg = stage::stage(&model).finish().svg;
    let words = texts(&svg);
    assert!(words.contains(&"33ad0a1c…") && words.contains(&"1dc826e9…"), "{words:?}");
    assert_eq!(words.iter().filter(|text| **text == "not yet").count(), 1, "only the Master Secret is still unknown");
    assert_eq!(svg.matches("pv-box pv-box--3").count(), 2, "two solid rungs");
    while !model.finished() {
        model.step();
    }
    let words = texts(&stage::stage(&model).finish().svg).join("|");
    assert!(words.contains("18df0684…") && words.contains("RTT 2") && !words.contains("RTT 3"), "{words}");
    let twelve = walk(Mode::Tls12);
    let words = texts(&stage::stage(&twelve).finish().svg).join("|");
    assert!(words.contains("Pre-master") && words.contains("Key block") && words.contains("first data after 2 RTTs, 200 ms"), "{words}");
}

#[test]
fn shapes_tell_early_data_and_a_declined_hello_apart() {
    use crate::viz::poster::{drawn_requests, Outcome};
    let count = |model: &Handshake, outcome: Outcome| drawn_requests(&stage::stage(model).finish().svg).iter().filter(|(found, _, _)| *found == outcome).count();
    let mut early = walk(Mode::ZeroRtt);
    while !early.finished() {
        early.step();
    }
    // Early data and EndOfEarlyData, plus the legend's diamond.
    assert_eq!(count(&early, Outcome::Retried), 3);
    let mut retry = walk(Mode::HelloRetry);
    assert_eq!(count(&retry, Outcome::Rejected), 1, "the legend only: nothing declined yet");
    retry.step();
    assert_eq!(count(&retry, Outcome::Rejected), 2, "the first hello is declined once the retry request shows");
    assert_eq!(count(&walk(Mode::Full), Outcome::Rejected), 0, "no cross in the legend where nothing is declined");
}

#[test]
fn the_stage_is_a_function_of_the_run() {
    let mut timeline = Timeline::<Handshake>::new(params(&[("mode", "hrr")]), 1, TLS_LIMIT);
    timeline.seek(6);
    timeline.act(Action::ClientKey([5; 32]));
    timeline.seek(9);
    let first = stage::stage(timeline.state()).finish().svg;
    assert_eq!(first, stage::stage(&timeline.state().clone()).finish().svg);
    timeline.seek(2);
    assert_ne!(stage::stage(timeline.state()).finish().svg, first);
    timeline.seek(9);
    assert_eq!(stage::stage(timeline.state()).finish().svg, first, "scrubbing back draws the same picture");
    let shared = Timeline::<Handshake>::replay(timeline.params().clone(), 1, TLS_LIMIT, timeline.actions().to_vec(), 9);
    assert_eq!(stage::stage(shared.state()).finish().svg, first, "a shared link draws the same picture");
}
