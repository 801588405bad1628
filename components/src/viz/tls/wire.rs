//! The handshake messages as bytes, encoded as RFC 8446 §4 lays them out, because every
//! TLS 1.3 secret after the Handshake Secret hashes them (the transcript). With RFC 8448's
//! randoms and keys the encoders give RFC 8448's messages byte for byte (see the tests), so the
//! secrets match the RFC's; with a reader's keys only the key shares (and what hashes them)
//! change.
//!
//! What cannot be recomputed here is copied from RFC 8448 and said so: the server's
//! certificate and its CertificateVerify signature (RSA-PSS with a random salt; this tool has no
//! RSA signer), and the session ticket, which is opaque bytes the server chose.

use super::keys::{finished_mac, sha256, unhex, Bytes32};

/// Handshake message types (RFC 8446 §4).
pub const CLIENT_HELLO: u8 = 1;
pub const SERVER_HELLO: u8 = 2;
pub const END_OF_EARLY_DATA: u8 = 5;
pub const ENCRYPTED_EXTENSIONS: u8 = 8;
pub const FINISHED: u8 = 20;
/// The synthetic message that stands for the first ClientHello after a HelloRetryRequest.
pub const MESSAGE_HASH: u8 = 254;

/// Extension types (RFC 8446 §4.2, and RFC 6066, 5746, 7685, 8449 for the others).
const SERVER_NAME: u16 = 0;
const SUPPORTED_GROUPS: u16 = 10;
const SIGNATURE_ALGORITHMS: u16 = 13;
const PADDING: u16 = 21;
const RECORD_SIZE_LIMIT: u16 = 28;
const SESSION_TICKET: u16 = 35;
const PRE_SHARED_KEY: u16 = 41;
const EARLY_DATA: u16 = 42;
const SUPPORTED_VERSIONS: u16 = 43;
const PSK_KEY_EXCHANGE_MODES: u16 = 45;
const KEY_SHARE: u16 = 51;
const RENEGOTIATION_INFO: u16 = 0xff01;

/// Named groups (RFC 8446 §4.2.7).
pub const X25519: u16 = 0x001d;
pub const SECP256R1: u16 = 0x0017;

/// TLS_AES_128_GCM_SHA256, the suite every TLS 1.3 handshake here agrees on.
pub const TLS_AES_128_GCM_SHA256: u16 = 0x1301;
/// The client's offer, in RFC 8448's order: AES-128-GCM, ChaCha20-Poly1305, AES-256-GCM.
const CIPHER_SUITES: [u8; 6] = [0x13, 0x01, 0x13, 0x03, 0x13, 0x02];
/// x25519, secp256r1, secp384r1, secp521r1, ffdhe2048 to ffdhe8192 (RFC 8448's client).
const GROUPS: [u8; 18] = unhex("001d 0017 0018 0019 0100 0101 0102 0103 0104");
/// The fifteen signature schemes RFC 8448's client offers.
const SIGNATURE_SCHEMES: [u8; 30] = unhex("0403 0503 0603 0203 0804 0805 0806 0401 0501 0601 0201 0402 0502 0602 0202");

/// RFC 8448 §3's randoms ("Simple 1-RTT Handshake"); the TLS 1.2 comparison reuses them.
pub const SIMPLE_CLIENT_RANDOM: Bytes32 = unhex("cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7");
pub const SIMPLE_SERVER_RANDOM: Bytes32 = unhex("a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928");
/// RFC 8448 §4's randoms ("Resumed 0-RTT Handshake").
pub const RESUMED_CLIENT_RANDOM: Bytes32 = unhex("1bc3ceb6bbe39cff938355b5a50adb6db21b7a6af649d7b4bc419d7876487d95");
pub const RESUMED_SERVER_RANDOM: Bytes32 = unhex("3ccfd2dec890222763472ae8136777c9d7358777bb66e91ea5122495f559ea2d");

/// RFC 8448 §3's EncryptedExtensions is what [`encrypted_extensions`] builds; its Certificate
/// message (the test certificate "CN=rsa", a 1024-bit RSA key, valid 2016-07-30 to 2026-07-30)
/// and CertificateVerify (an RSA-PSS-SHA256 signature) are copied, 445 and 136 bytes.
pub const CERTIFICATE: [u8; 445] = unhex(
    "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c300a06035504031303727361301e170d3136303733303031323335395a170d3236303733303031323335395a300e310c300a0603550403130372736130819f300d06092a864886f70d010101050003818d0030818902818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b0603551d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b908c65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b42b4de10000",
);
pub const CERTIFICATE_VERIFY: [u8; 136] = unhex(
    "0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b0b7abc90db78e2d33a5c141a078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46445c9ea58c181e818e95b8c3fb0bf3278409d3be152a3da5043e063dda65cdf5aea20d53dfacd42f74f3",
);
/// The session ticket of RFC 8448 §3's NewSessionTicket (178 opaque bytes), with its
/// ticket_age_add and lifetime; §4 presents it 6 ms after receiving it.
pub const TICKET: [u8; 178] = unhex(
    "2c035d829359ee5ff7af4ec900000000262a6494dc486d2c8a34cb33fa90bf1b0070ad3c498883c9367c09a2be785abc55cd226097a3a982117283f82a03a143efd3ff5dd36d64e861be7fd61d2827db279cce145077d454a3664d4e6da4d29ee03725a6a4dafcd0fc67d2aea70529513e3da2677fa5906c5b3f7d8f92f228bda40dda721470f9fbf297b5aea617646fac5c03272e970727c621a79141ef5f7de6505e5bfbc388e93343694093934ae4d357",
);
pub const TICKET_AGE_ADD: u32 = 0xfad6_aac5;
pub const TICKET_LIFETIME_S: u32 = 30;
pub const TICKET_NONCE: [u8; 2] = [0, 0];
/// The most 0-RTT data the ticket allows, in bytes (its early_data extension).
pub const MAX_EARLY_DATA: u32 = 1024;
pub const TICKET_AGE_MS: u32 = 6;
/// RFC 8448 §5's P-256 public key: the share the client guesses with before a retry.
pub const P256_SHARE: [u8; 65] = unhex(
    "04a6da7392ec591e17abfd535964b99894d13befb221b3def2ebe3830eac8f0151812677c4d6d2237e85cf01d6910cfb83954e76ba7352830534159897e8065780",
);

/// The random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest" (RFC 8446 §4.1.3).
pub fn hello_retry_random() -> Bytes32 {
    sha256(b"HelloRetryRequest")
}

fn push_u16(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_be_bytes());
}

fn extension(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    push_u16(out, kind);
    push_u16(out, data.len() as u16);
    out.extend_from_slice(data);
}

/// `data` with its length as two bytes in front (a TLS vector).
fn vector(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 2);
    push_u16(&mut out, data.len() as u16);
    out.extend_from_slice(data);
    out
}

/// A handshake message: its type, a 3-byte length and the body.
pub fn handshake(kind: u8, body: &[u8]) -> Vec<u8> {
    let length = body.len() as u32;
    let mut out = Vec::with_capacity(body.len() + 4);
    out.push(kind);
    out.extend_from_slice(&length.to_be_bytes()[1..]);
    out.extend_from_slice(body);
    out
}

/// A resumption offer: the ticket, its obfuscated age and the binder key to sign with.
pub struct PskOffer<'a> {
    pub ticket: &'a [u8],
    pub obfuscated_age: u32,
    pub binder_key: &'a Bytes32,
}

/// What varies between the ClientHellos here.
pub struct ClientHelloSpec<'a> {
    pub random: &'a Bytes32,
    /// `(group, public key)` pairs for key_share.
    pub shares: &'a [(u16, &'a [u8])],
    /// An empty session_ticket extension (RFC 8448's first connection sends one).
    pub session_ticket: bool,
    pub early_data: bool,
    pub psk: Option<PskOffer<'a>>,
}

/// A ClientHello with RFC 8448's client's extensions in its order, and the PSK binder when it
/// offers a ticket (returned too). A hello of 256 to 511 bytes is padded to 512 (RFC 7685), as
/// that client does.
pub fn client_hello(spec: &ClientHelloSpec) -> (Vec<u8>, Option<Bytes32>) {
    let mut extensions = Vec::with_capacity(512);
    extension(&mut extensions, SERVER_NAME, &[0x00, 0x09, 0x00, 0x00, 0x06, b's', b'e', b'r', b'v', b'e', b'r']);
    extension(&mut extensions, RENEGOTIATION_INFO, &[0]);
    extension(&mut extensions, SUPPORTED_GROUPS, &vector(&GROUPS));
    if spec.session_ticket {
        extension(&mut extensions, SESSION_TICKET, &[]);
    }
    let mut shares = Vec::new();
    for (group, key) in spec.shares {
        push_u16(&mut shares, *group);
        shares.extend_from_slice(&vector(key));
    }
    extension(&mut extensions, KEY_SHARE, &vector(&shares));
    if spec.early_data {
        extension(&mut extensions, EARLY_DATA, &[]);
    }
    extension(&mut extensions, SUPPORTED_VERSIONS, &[0x02, 0x03, 0x04]);
    extension(&mut extensions, SIGNATURE_ALGORITHMS, &vector(&SIGNATURE_SCHEMES));
    extension(&mut extensions, PSK_KEY_EXCHANGE_MODES, &[0x01, 0x01]);
    extension(&mut extensions, RECORD_SIZE_LIMIT, &[0x40, 0x01]);

    // pre_shared_key goes last; its binders (2 + 1 + 32 bytes) sign everything before them.
    let psk_identities = spec.psk.as_ref().map(|offer| {
        let mut identity = vector(offer.ticket);
        identity.extend_from_slice(&offer.obfuscated_age.to_be_bytes());
        vector(&identity)
    });
    const BINDERS: usize = 2 + 1 + 32;
    let psk_length = psk_identities.as_ref().map_or(0, |identities| 4 + identities.len() + BINDERS);
    let fixed = 4 + 2 + 32 + 1 + 2 + CIPHER_SUITES.len() + 2 + 2;
    let unpadded = fixed + extensions.len() + psk_length;
    if (256..512).contains(&unpadded) {
        extension(&mut extensions, PADDING, &vec![0; 512usize.saturating_sub(unpadded + 4).max(1)]);
    }
    if let Some(identities) = &psk_identities {
        push_u16(&mut extensions, PRE_SHARED_KEY);
        push_u16(&mut extensions, (identities.len() + BINDERS) as u16);
        extensions.extend_from_slice(identities);
    }
    let binders_length = if psk_identities.is_some() { BINDERS } else { 0 };

    let mut body = Vec::with_capacity(fixed + extensions.len() + binders_length);
    body.extend_from_slice(&[0x03, 0x03]);
    body.extend_from_slice(spec.random);
    body.push(0);
    body.extend_from_slice(&vector(&CIPHER_SUITES));
    body.extend_from_slice(&[0x01, 0x00]);
    push_u16(&mut body, (extensions.len() + binders_length) as u16);
    body.extend_from_slice(&extensions);
    // The header carries the full length, binders included, before they are known.
    let mut hello = handshake(CLIENT_HELLO, &body);
    let length = (body.len() + binders_length) as u32;
    hello[1..4].copy_from_slice(&length.to_be_bytes()[1..]);
    let binder = spec.psk.as_ref().map(|offer| finished_mac(offer.binder_key, &sha256(&hello)));
    if let Some(binder) = binder {
        push_u16(&mut hello, 33);
        hello.push(32);
        hello.extend_from_slice(&binder);
    }
    (hello, binder)
}

/// Server hello extensions, in the order each message puts them.
pub enum ServerExtension<'a> {
    /// The server's key share.
    KeyShare(&'a Bytes32),
    /// A HelloRetryRequest's key_share: the group the client must use.
    SelectedGroup(u16),
    /// The PSK identity the server accepts (pre_shared_key).
    SelectedIdentity(u16),
    SupportedVersions,
}

/// A ServerHello (or, with [`hello_retry_random`], a HelloRetryRequest) choosing
/// TLS_AES_128_GCM_SHA256.
pub fn server_hello(random: &Bytes32, extensions: &[ServerExtension]) -> Vec<u8> {
    let mut encoded = Vec::with_capacity(64);
    for item in extensions {
        match item {
            ServerExtension::KeyShare(key) => {
                let mut share = X25519.to_be_bytes().to_vec();
                share.extend_from_slice(&vector(&key[..]));
                extension(&mut encoded, KEY_SHARE, &share);
            }
            ServerExtension::SelectedGroup(group) => extension(&mut encoded, KEY_SHARE, &group.to_be_bytes()),
            ServerExtension::SelectedIdentity(index) => extension(&mut encoded, PRE_SHARED_KEY, &index.to_be_bytes()),
            ServerExtension::SupportedVersions => extension(&mut encoded, SUPPORTED_VERSIONS, &[0x03, 0x04]),
        }
    }
    let mut body = vec![0x03, 0x03];
    body.extend_from_slice(random);
    body.push(0);
    push_u16(&mut body, TLS_AES_128_GCM_SHA256);
    body.push(0);
    body.extend_from_slice(&vector(&encoded));
    handshake(SERVER_HELLO, &body)
}

/// EncryptedExtensions as RFC 8448's server sends it: its groups, its record size limit, an
/// empty server_name (it used the name), and early_data when it accepts 0-RTT data.
pub fn encrypted_extensions(early_data: bool) -> Vec<u8> {
    let mut encoded = Vec::with_capacity(48);
    extension(&mut encoded, SUPPORTED_GROUPS, &vector(&GROUPS));
    extension(&mut encoded, RECORD_SIZE_LIMIT, &[0x40, 0x01]);
    extension(&mut encoded, SERVER_NAME, &[]);
    if early_data {
        extension(&mut encoded, EARLY_DATA, &[]);
    }
    handshake(ENCRYPTED_EXTENSIONS, &vector(&encoded))
}

/// What stands for the first ClientHello in the transcript after a HelloRetryRequest
/// (RFC 8446 §4.4.1): a message_hash message holding its hash.
pub fn message_hash(first_hello: &[u8]) -> Vec<u8> {
    handshake(MESSAGE_HASH, &sha256(first_hello))
}
