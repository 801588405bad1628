//! The walk-throughs: each handshake as its list of steps, computing as it goes the keys,
//! the messages (`wire`), the transcript they make and the secrets of the key schedule, in the
//! order the two sides learn them.

use super::keys::{derive_secret, empty_hash, expand_label, finished_mac, hex, hex_prefix, hkdf_extract, public_key, sha256, shared_secret, tls12_prf, Bytes32};
use super::wire::{
    client_hello, encrypted_extensions, handshake, hello_retry_random, message_hash, server_hello, ClientHelloSpec, PskOffer, ServerExtension, CERTIFICATE, CERTIFICATE_VERIFY,
    END_OF_EARLY_DATA, FINISHED, MAX_EARLY_DATA, P256_SHARE, RESUMED_CLIENT_RANDOM, RESUMED_SERVER_RANDOM, SECP256R1, SIMPLE_CLIENT_RANDOM, SIMPLE_SERVER_RANDOM, TICKET, TICKET_AGE_ADD,
    TICKET_AGE_MS, TICKET_LIFETIME_S, TICKET_NONCE, X25519,
};
use super::{Field, Keys, Mode, Party, Protection, Secret, SecretKind, Side, Step, StepKind};
use std::sync::OnceLock;

const SHARED: &str = "X25519(client private key, server public key), which equals X25519(server private key, client public key)";
const PRE_MASTER: &str = "X25519(client private key, server public key), used as TLS 1.2's pre-master secret";
const EARLY_WITHOUT_PSK: &str = "HKDF-Extract(salt 0, IKM 32 zero bytes): there is no PSK";
const EARLY_FROM_PSK: &str = "HKDF-Extract(salt 0, IKM PSK)";
const BINDER_KEY: &str = "Derive-Secret(Early Secret, \"res binder\", \"\")";
const CLIENT_EARLY: &str = "Derive-Secret(Early Secret, \"c e traffic\", ClientHello)";
const HANDSHAKE: &str = "HKDF-Extract(salt Derive-Secret(Early Secret, \"derived\", \"\"), IKM shared secret)";
const CLIENT_HANDSHAKE: &str = "Derive-Secret(Handshake Secret, \"c hs traffic\", ClientHello…ServerHello)";
const SERVER_HANDSHAKE: &str = "Derive-Secret(Handshake Secret, \"s hs traffic\", ClientHello…ServerHello)";
const MASTER: &str = "HKDF-Extract(salt Derive-Secret(Handshake Secret, \"derived\", \"\"), IKM 32 zero bytes)";
const CLIENT_APPLICATION: &str = "Derive-Secret(Master Secret, \"c ap traffic\", ClientHello…server Finished)";
const SERVER_APPLICATION: &str = "Derive-Secret(Master Secret, \"s ap traffic\", ClientHello…server Finished)";
const RESUMPTION_MASTER: &str = "Derive-Secret(Master Secret, \"res master\", ClientHello…client Finished)";
const PSK_FROM_TICKET: &str = "HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce 00 00, 32)";
const TLS12_MASTER: &str = "PRF(pre-master secret, \"master secret\", client_random + server_random), 48 bytes";
const KEY_BLOCK: &str = "PRF(master secret, \"key expansion\", server_random + client_random), 40 bytes: two AES-128 keys and two 4-byte IVs";

const TLS13_SUITES: &str = "TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_256_GCM_SHA384";
const GROUP_NAMES: &str = "x25519, secp256r1, secp384r1, secp521r1, ffdhe2048 to ffdhe8192";
const SIGNATURE_NAMES: &str = "ecdsa_secp256r1_sha256, rsa_pss_rsae_sha256 and 13 more";
const REQUEST: &str = "GET / HTTP/1.1, Host: server";

/// The steps of `mode` with these ephemeral keys.
pub(super) fn steps(mode: Mode, keys: &Keys) -> Vec<Step> {
    match mode {
        Mode::Full => tls13_full(keys, false),
        Mode::HelloRetry => tls13_full(keys, true),
        Mode::Resumption => resumed(keys, false),
        Mode::ZeroRtt => resumed(keys, true),
        Mode::Tls12 => tls12(keys),
    }
}

fn field(name: &'static str, value: impl Into<String>) -> Field {
    Field { name, value: value.into() }
}

fn secret(kind: SecretKind, value: &[u8], formula: &'static str) -> Secret {
    Secret { kind, value: value.to_vec(), formula }
}

fn size(message: &[u8]) -> Field {
    field("size", format!("{} bytes", message.len()))
}

/// A walk-through being written, a step at a time.
#[derive(Default)]
struct Script {
    steps: Vec<Step>,
}

impl Script {
    fn push(&mut self, kind: StepKind, round_trip: u32, title: &'static str, summary: &'static str, fields: Vec<Field>, secrets: Vec<Secret>) -> &mut Step {
        self.steps.push(Step { kind, title, summary, note: "", fields, secrets, round_trip, carries_data: false });
        let last = self.steps.len() - 1;
        &mut self.steps[last]
    }

    fn send(&mut self, from: Side, protection: Protection, round_trip: u32, title: &'static str, summary: &'static str, fields: Vec<Field>) -> &mut Step {
        self.push(StepKind::Send { from, protection }, round_trip, title, summary, fields, Vec::new())
    }

    fn compute(&mut self, by: Party, round_trip: u32, title: &'static str, summary: &'static str, fields: Vec<Field>, secrets: Vec<Secret>) -> &mut Step {
        self.push(StepKind::Compute { by }, round_trip, title, summary, fields, secrets)
    }

    /// The client's first request (application data).
    fn request(&mut self, protection: Protection, round_trip: u32, summary: &'static str) -> &mut Step {
        let step = self.send(Side::Client, protection, round_trip, "HTTP request", summary, vec![field("content", REQUEST)]);
        step.carries_data = true;
        step
    }

    fn key_pair(&mut self, side: Side, round_trip: u32, private: &Bytes32, summary: &'static str) {
        let (title, private_name, public_name) = match side {
            Side::Client => ("Client key share", "client private key", "client public key"),
            Side::Server => ("Server key share", "server private key", "server public key"),
        };
        let by = if side == Side::Client { Party::Client } else { Party::Server };
        self.compute(by, round_trip, title, summary, vec![field(private_name, hex(private)), field(public_name, hex(&public_key(private)))], Vec::new());
    }
}

/// The fields of a TLS 1.3 ClientHello, the key share given as text.
fn hello_fields(random: &Bytes32, key_share: String, hello: &[u8]) -> Vec<Field> {
    vec![
        field("random", hex(random)),
        field("cipher_suites", TLS13_SUITES),
        field("supported_versions", "TLS 1.3"),
        field("supported_groups", GROUP_NAMES),
        field("key_share", key_share),
        field("signature_algorithms", SIGNATURE_NAMES),
        field("server_name", "server"),
        field("psk_key_exchange_modes", "psk_dhe_ke (a PSK only with a fresh key exchange)"),
        size(hello),
    ]
}

fn server_hello_fields(random: &Bytes32, server_public: &Bytes32, hello: &[u8]) -> Vec<Field> {
    vec![
        field("random", hex(random)),
        field("cipher_suite", "TLS_AES_128_GCM_SHA256"),
        field("key_share", format!("x25519 {}", hex(server_public))),
        field("supported_versions", "TLS 1.3"),
        size(hello),
    ]
}

fn finished_fields(verify_data: &Bytes32, key: &'static str) -> Vec<Field> {
    vec![field("verify_data", hex(verify_data)), field("computed as", key), size(&handshake(FINISHED, verify_data))]
}

/// TLS 1.3 with a full handshake, after a HelloRetryRequest when `retry`: RFC 8448 §3's
/// messages, with these keys' shares.
fn tls13_full(keys: &Keys, retry: bool) -> Vec<Step> {
    let mut script = Script::default();
    let (client_public, server_public) = (public_key(&keys.client), public_key(&keys.server));
    let mut transcript = Vec::with_capacity(1200);
    let mut trip = 1;
    if retry {
        let (first, _) = client_hello(&ClientHelloSpec { random: &SIMPLE_CLIENT_RANDOM, shares: &[(SECP256R1, &P256_SHARE)], session_ticket: true, early_data: false, psk: None });
        script
            .send(Side::Client, Protection::Clear, trip, "ClientHello", "The client says hello with a key share for P-256 only, guessing that is the group the server wants.", hello_fields(&SIMPLE_CLIENT_RANDOM, format!("secp256r1 {}", hex(&P256_SHARE)), &first))
            .note = "A key share costs a key generation and up to a few hundred bytes, so a client sends one or two and guesses. This P-256 share is RFC 8448 §5's.";
        let retry_hello = server_hello(&hello_retry_random(), &[ServerExtension::SelectedGroup(X25519), ServerExtension::SupportedVersions]);
        let fields = vec![
            field("random", format!("{} (SHA-256 of \"HelloRetryRequest\": marks a retry)", hex(&hello_retry_random()))),
            field("cipher_suite", "TLS_AES_128_GCM_SHA256"),
            field("key_share", "selected_group x25519"),
            field("supported_versions", "TLS 1.3"),
            size(&retry_hello),
        ];
        script.send(Side::Server, Protection::Clear, trip, "HelloRetryRequest", "This server accepts only x25519, so instead of a ServerHello it sends a HelloRetryRequest naming x25519: a whole round trip lost.", fields).note =
            "The transcript now starts with message_hash, a stand-in holding the hash of the first ClientHello (RFC 8446 §4.4.1), so the server need not keep it.";
        transcript.extend_from_slice(&message_hash(&first));
        transcript.extend_from_slice(&retry_hello);
        trip = 2;
    }
    script.key_pair(Side::Client, trip, &keys.client, "The client makes an ephemeral X25519 key pair: a random private key and its public key.");
    let (hello, _) = client_hello(&ClientHelloSpec { random: &SIMPLE_CLIENT_RANDOM, shares: &[(X25519, &client_public)], session_ticket: true, early_data: false, psk: None });
    let (title, summary) = match retry {
        true => ("ClientHello (again)", "The client says hello again, the same but for an x25519 key share."),
        false => ("ClientHello", "The client says hello: its random, the cipher suites and groups it supports, and its x25519 key share, all in the clear."),
    };
    script.send(Side::Client, Protection::Clear, trip, title, summary, hello_fields(&SIMPLE_CLIENT_RANDOM, format!("x25519 {}", hex(&client_public)), &hello));
    transcript.extend_from_slice(&hello);

    let shared = shared_secret(&keys.server, &client_public);
    let early = hkdf_extract(None, &[0; 32]);
    let handshake_secret = hkdf_extract(Some(&derive_secret(&early, "derived", &empty_hash())), &shared);
    let secrets = vec![secret(SecretKind::Shared, &shared, SHARED), secret(SecretKind::Early, &early, EARLY_WITHOUT_PSK), secret(SecretKind::Handshake, &handshake_secret, HANDSHAKE)];
    let fields = vec![field("server private key", hex(&keys.server)), field("server public key", hex(&server_public))];
    script.compute(Party::Server, trip, "Server key share", "The server makes its own X25519 key pair and combines its private key with the client's public key: the shared secret, which becomes the Handshake Secret.", fields, secrets);
    let hello = server_hello(&SIMPLE_SERVER_RANDOM, &[ServerExtension::KeyShare(&server_public), ServerExtension::SupportedVersions]);
    script.send(Side::Server, Protection::Clear, trip, "ServerHello", "The server answers with its random, the suite it picked and its key share: the last message in the clear.", server_hello_fields(&SIMPLE_SERVER_RANDOM, &server_public, &hello));
    transcript.extend_from_slice(&hello);

    let (client_handshake, server_handshake) = handshake_traffic(&mut script, trip, keys, &server_public, &handshake_secret, &transcript);
    let extensions = encrypted_extensions(false);
    let fields = vec![field("supported_groups", "the server's groups, for next time"), field("record_size_limit", "16385"), field("server_name", "acknowledged"), size(&extensions)];
    script.send(Side::Server, Protection::Handshake, trip, "EncryptedExtensions", "The server sends the rest of its answers to the hello's extensions, already encrypted.", fields);
    let fields = vec![field("certificate", "X.509, CN=rsa, RSA 1024-bit key, valid 2016-07-30 to 2026-07-30 (RFC 8448's test certificate)"), size(&CERTIFICATE)];
    script.send(Side::Server, Protection::Handshake, trip, "Certificate", "The server sends its certificate, encrypted, so an onlooker cannot see which certificate it is.", fields);
    let fields = vec![field("algorithm", "rsa_pss_rsae_sha256"), field("signature", format!("{} (128 bytes)", hex_prefix(&CERTIFICATE_VERIFY[8..], 16))), size(&CERTIFICATE_VERIFY)];
    script.send(Side::Server, Protection::Handshake, trip, "CertificateVerify", "The server signs the transcript with its certificate's private key, proving it holds it.", fields).note =
        "These are RFC 8448's signature bytes, valid for its keys only: with other keys the transcript differs and a real client would refuse them. This tool has no RSA signer.";
    transcript.extend_from_slice(&extensions);
    transcript.extend_from_slice(&CERTIFICATE);
    transcript.extend_from_slice(&CERTIFICATE_VERIFY);
    let server_finished = finished_mac(&server_handshake, &sha256(&transcript));
    script.send(Side::Server, Protection::Handshake, trip, "Finished", "The server's Finished: a MAC over the whole transcript, keyed from its handshake traffic secret.", finished_fields(&server_finished, "HMAC(finished_key from server_handshake_traffic_secret, transcript hash)"));
    transcript.extend_from_slice(&handshake(FINISHED, &server_finished));
    let master = application_traffic(&mut script, trip, &handshake_secret, &transcript);

    let client_finished = finished_mac(&client_handshake, &sha256(&transcript));
    script.send(Side::Client, Protection::Handshake, trip + 1, "Finished", "The client checks the signature and the server's Finished, then sends its own Finished.", finished_fields(&client_finished, "HMAC(finished_key from client_handshake_traffic_secret, transcript hash)"));
    transcript.extend_from_slice(&handshake(FINISHED, &client_finished));
    let summary = match retry {
        true => "The client sends its request right behind its Finished: the first application byte leaves after 2 round trips.",
        false => "The client sends its request right behind its Finished: the first application byte leaves after 1 round trip.",
    };
    script.request(Protection::Application, trip + 1, summary);
    if !retry {
        let resumption = derive_secret(&master, "res master", &sha256(&transcript));
        let psk = expand_label(&resumption, "resumption", &TICKET_NONCE, 32);
        let fields = vec![
            field("ticket_lifetime", format!("{TICKET_LIFETIME_S} s")),
            field("ticket_age_add", format!("{TICKET_AGE_ADD:#010x}")),
            field("ticket_nonce", "00 00"),
            field("ticket", format!("{} ({} opaque bytes)", hex_prefix(&TICKET, 16), TICKET.len())),
            field("early_data", format!("up to {MAX_EARLY_DATA} bytes")),
        ];
        let secrets = vec![secret(SecretKind::ResumptionMaster, &resumption, RESUMPTION_MASTER), secret(SecretKind::Psk, &psk, PSK_FROM_TICKET)];
        script.push(StepKind::Send { from: Side::Server, protection: Protection::Application }, trip + 1, "NewSessionTicket", "After the handshake the server hands the client a ticket; both derive from the transcript the PSK a later connection can resume with.", fields, secrets);
    }
    script.steps
}

/// Both sides derive the handshake traffic secrets once the ServerHello is in the transcript;
/// the client learns the shared secret only now, from the server's key share.
fn handshake_traffic(script: &mut Script, trip: u32, keys: &Keys, server_public: &Bytes32, handshake_secret: &Bytes32, transcript: &[u8]) -> (Bytes32, Bytes32) {
    let hash = sha256(transcript);
    let client = derive_secret(handshake_secret, "c hs traffic", &hash);
    let server = derive_secret(handshake_secret, "s hs traffic", &hash);
    let fields = vec![field("client's shared secret", hex(&shared_secret(&keys.client, server_public))), field("transcript hash", hex(&hash))];
    let secrets = vec![secret(SecretKind::ClientHandshake, &client, CLIENT_HANDSHAKE), secret(SecretKind::ServerHandshake, &server, SERVER_HANDSHAKE)];
    script.compute(Party::Both, trip, "Handshake traffic secrets", "The client computes the same shared secret from the server's key share; both derive the handshake traffic secrets, and all that follows is encrypted.", fields, secrets);
    (client, server)
}

/// The Master Secret and the application traffic secrets, once the server's Finished is in the
/// transcript; returns the Master Secret.
fn application_traffic(script: &mut Script, trip: u32, handshake_secret: &Bytes32, transcript: &[u8]) -> Bytes32 {
    let master = hkdf_extract(Some(&derive_secret(handshake_secret, "derived", &empty_hash())), &[0; 32]);
    let hash = sha256(transcript);
    let client = derive_secret(&master, "c ap traffic", &hash);
    let server = derive_secret(&master, "s ap traffic", &hash);
    let secrets = vec![secret(SecretKind::Master, &master, MASTER), secret(SecretKind::ClientApplication, &client, CLIENT_APPLICATION), secret(SecretKind::ServerApplication, &server, SERVER_APPLICATION)];
    script.compute(Party::Both, trip, "Application traffic secrets", "Both derive the Master Secret and from it the application traffic secrets, over the transcript up to the server's Finished.", vec![field("transcript hash", hex(&hash))], secrets);
    master
}

/// The PSK of the ticket RFC 8448 §3's handshake issued: what resumption presents. Computed
/// by walking that handshake, once (its keys are fixed, so it never changes).
fn earlier_psk() -> &'static [u8] {
    static PSK: OnceLock<Vec<u8>> = OnceLock::new();
    PSK.get_or_init(|| tls13_full(&Keys::RFC8448_SIMPLE, false).into_iter().flat_map(|step| step.secrets).find(|secret| secret.kind == SecretKind::Psk).map(|secret| secret.value).unwrap_or_default())
}

/// Resumption with RFC 8448 §3's ticket and psk_dhe_ke, with 0-RTT data when `early_data`:
/// RFC 8448 §4's messages, with these keys' shares.
fn resumed(keys: &Keys, early_data: bool) -> Vec<Step> {
    let mut script = Script::default();
    let (client_public, server_public) = (public_key(&keys.client), public_key(&keys.server));
    let psk = earlier_psk();
    let early = hkdf_extract(None, psk);
    let binder_key = derive_secret(&early, "res binder", &empty_hash());
    let fields = vec![field("ticket", format!("{} ({} bytes, from the earlier connection)", hex_prefix(&TICKET, 16), TICKET.len())), field("ticket age", format!("{TICKET_AGE_MS} ms"))];
    let secrets = vec![secret(SecretKind::Psk, psk, PSK_FROM_TICKET), secret(SecretKind::Early, &early, EARLY_FROM_PSK), secret(SecretKind::Binder, &binder_key, BINDER_KEY)];
    script.compute(Party::Client, 1, "Resumption secrets", "The client still holds a ticket and its PSK from an earlier connection; the PSK becomes the Early Secret and the binder key.", fields, secrets);
    script.key_pair(Side::Client, 1, &keys.client, "The client still makes a fresh X25519 key pair, so this connection's keys stay secret even if the PSK leaks later.");

    let offer = PskOffer { ticket: &TICKET, obfuscated_age: TICKET_AGE_MS.wrapping_add(TICKET_AGE_ADD), binder_key: &binder_key };
    let (hello, binder) = client_hello(&ClientHelloSpec { random: &RESUMED_CLIENT_RANDOM, shares: &[(X25519, &client_public)], session_ticket: false, early_data, psk: Some(offer) });
    let binder = binder.unwrap_or_default();
    let mut fields = hello_fields(&RESUMED_CLIENT_RANDOM, format!("x25519 {}", hex(&client_public)), &hello);
    let insert_at = fields.len() - 1;
    fields.splice(
        insert_at..insert_at,
        [
            field("pre_shared_key", format!("the ticket, obfuscated age {:#010x}", TICKET_AGE_MS.wrapping_add(TICKET_AGE_ADD))),
            field("binder", format!("{} = HMAC(finished_key from binder_key, hash of the hello up to the binders)", hex(&binder))),
        ],
    );
    if early_data {
        fields.insert(insert_at + 2, field("early_data", "yes: 0-RTT data follows"));
    }
    let summary = match early_data {
        true => "The client says hello offering the ticket, signed with a binder, and announces early data.",
        false => "The client says hello offering the ticket, signed with a binder, and a fresh key share.",
    };
    script.send(Side::Client, Protection::Clear, 1, "ClientHello", summary, fields);
    let mut transcript = hello.clone();
    if early_data {
        let hash = sha256(&transcript);
        let client_early = derive_secret(&early, "c e traffic", &hash);
        script.compute(Party::Client, 1, "Early traffic secret", "From the PSK and the ClientHello alone the client derives a key for early data.", vec![field("transcript hash", hex(&hash))], vec![secret(SecretKind::ClientEarly, &client_early, CLIENT_EARLY)]);
        let step = script.send(Side::Client, Protection::EarlyData, 1, "Early data (0-RTT)", "The client sends its request at once, encrypted with the early key: no round trip at all before the first byte.", vec![field("content", REQUEST)]);
        step.carries_data = true;
        step.note = "0-RTT data is keyed from the PSK alone: it is not forward secret, and anyone who records it can send it again. RFC 8446 §8 has each server accept a 0-RTT handshake at most once (single-use tickets, or a record of recent ClientHellos), but replays to another server or through a retry remain: send early only requests that are safe to repeat (idempotent).";
    }

    let truncated = &hello[..hello.len().saturating_sub(35)];
    let server_binder = finished_mac(&derive_secret(&hkdf_extract(None, psk), "res binder", &empty_hash()), &sha256(truncated));
    let check = if server_binder == binder { "matches" } else { "does not match" };
    let shared = shared_secret(&keys.server, &client_public);
    let handshake_secret = hkdf_extract(Some(&derive_secret(&early, "derived", &empty_hash())), &shared);
    let fields = vec![field("binder check", format!("recomputed from the server's copy of the PSK: {check}")), field("server private key", hex(&keys.server)), field("server public key", hex(&server_public))];
    let summary = match early_data {
        true => "The server finds the PSK, checks the binder and accepts the early data; with its own key pair it computes the shared secret and the Handshake Secret.",
        false => "The server finds the PSK and checks the binder; with its own key pair it computes the shared secret and the Handshake Secret.",
    };
    script.compute(Party::Server, 1, "Server accepts the PSK", summary, fields, vec![secret(SecretKind::Shared, &shared, SHARED), secret(SecretKind::Handshake, &handshake_secret, HANDSHAKE)]);
    let hello = server_hello(&RESUMED_SERVER_RANDOM, &[ServerExtension::SelectedIdentity(0), ServerExtension::KeyShare(&server_public), ServerExtension::SupportedVersions]);
    let mut fields = server_hello_fields(&RESUMED_SERVER_RANDOM, &server_public, &hello);
    fields.insert(2, field("pre_shared_key", "selected identity 0 (the ticket)"));
    script.send(Side::Server, Protection::Clear, 1, "ServerHello", "The server accepts the ticket and sends its key share. No certificate follows: the PSK already proves who it is.", fields);
    transcript.extend_from_slice(&hello);

    let (client_handshake, server_handshake) = handshake_traffic(&mut script, 1, keys, &server_public, &handshake_secret, &transcript);
    let extensions = encrypted_extensions(early_data);
    let mut fields = vec![field("supported_groups", "the server's groups, for next time"), field("record_size_limit", "16385"), field("server_name", "acknowledged"), size(&extensions)];
    if early_data {
        fields.insert(3, field("early_data", "accepted"));
    }
    script.send(Side::Server, Protection::Handshake, 1, "EncryptedExtensions", "The server sends the rest of its answers, encrypted.", fields);
    transcript.extend_from_slice(&extensions);
    let server_finished = finished_mac(&server_handshake, &sha256(&transcript));
    script.send(Side::Server, Protection::Handshake, 1, "Finished", "The server's Finished: a MAC over the transcript, keyed from its handshake traffic secret.", finished_fields(&server_finished, "HMAC(finished_key from server_handshake_traffic_secret, transcript hash)"));
    transcript.extend_from_slice(&handshake(FINISHED, &server_finished));
    application_traffic(&mut script, 1, &handshake_secret, &transcript);

    if early_data {
        let end = handshake(END_OF_EARLY_DATA, &[]);
        script.send(Side::Client, Protection::EarlyData, 2, "EndOfEarlyData", "The client marks the end of its early data, still under the early key.", vec![size(&end)]);
        transcript.extend_from_slice(&end);
    }
    let client_finished = finished_mac(&client_handshake, &sha256(&transcript));
    script.send(Side::Client, Protection::Handshake, 2, "Finished", "The client checks the server's Finished and sends its own.", finished_fields(&client_finished, "HMAC(finished_key from client_handshake_traffic_secret, transcript hash)"));
    let summary = match early_data {
        true => "What the client sends from now on is under the application keys, forward secret and not replayable.",
        false => "The client sends its request behind its Finished: the first application byte leaves after 1 round trip, as with a full handshake, but without certificate or signature.",
    };
    script.request(Protection::Application, 2, summary);
    script.steps
}

/// TLS 1.2's full handshake with ECDHE_RSA over x25519, for the comparison: two round trips
/// before the client may send data, and the certificate in the clear.
fn tls12(keys: &Keys) -> Vec<Step> {
    let mut script = Script::default();
    let (client_public, server_public) = (public_key(&keys.client), public_key(&keys.server));
    let fields = vec![
        field("version", "TLS 1.2"),
        field("random", hex(&SIMPLE_CLIENT_RANDOM)),
        field("cipher_suites", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 and others"),
        field("supported_groups", GROUP_NAMES),
        field("key_share", "none: TLS 1.2 waits for the server's choice of group"),
    ];
    script.send(Side::Client, Protection::Clear, 1, "ClientHello", "The client says hello with its random and the suites it supports, but no key share yet.", fields);
    let fields = vec![field("random", hex(&SIMPLE_SERVER_RANDOM)), field("cipher_suite", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")];
    script.send(Side::Server, Protection::Clear, 1, "ServerHello", "The server picks the suite and sends its random.", fields);
    script.send(Side::Server, Protection::Clear, 1, "Certificate", "The server sends its certificate in the clear: anyone on the path sees which site this is.", vec![field("certificate", "X.509, CN=rsa, RSA 1024-bit key (RFC 8448's test certificate)")]);
    script.key_pair(Side::Server, 1, &keys.server, "The server makes an ephemeral X25519 key pair.");
    let fields = vec![field("curve", "x25519"), field("public key", hex(&server_public)), field("signature", "RSA over both randoms and the key (not computed here)")];
    script.send(Side::Server, Protection::Clear, 1, "ServerKeyExchange", "The server sends its key share, signed with its certificate's key.", fields);
    script.send(Side::Server, Protection::Clear, 1, "ServerHelloDone", "The server says it is done: the first round trip ends here.", Vec::new());

    let shared = shared_secret(&keys.client, &server_public);
    let randoms = [SIMPLE_CLIENT_RANDOM, SIMPLE_SERVER_RANDOM].concat();
    let mut master = [0; 48];
    tls12_prf(&shared, "master secret", &randoms, &mut master);
    let mut key_block = [0; 40];
    tls12_prf(&master, "key expansion", &[SIMPLE_SERVER_RANDOM, SIMPLE_CLIENT_RANDOM].concat(), &mut key_block);
    let fields = vec![field("client private key", hex(&keys.client)), field("client public key", hex(&client_public))];
    let secrets = vec![secret(SecretKind::Shared, &shared, PRE_MASTER), secret(SecretKind::Tls12Master, &master, TLS12_MASTER), secret(SecretKind::Tls12KeyBlock, &key_block, KEY_BLOCK)];
    script.compute(Party::Client, 2, "Client key share and keys", "Only now can the client make its key pair; it computes the pre-master secret, the master secret and the key block.", fields, secrets);
    script.send(Side::Client, Protection::Clear, 2, "ClientKeyExchange", "The client sends its public key.", vec![field("public key", hex(&client_public))]);
    script.send(Side::Client, Protection::Clear, 2, "ChangeCipherSpec", "The client switches to the new keys.", Vec::new());
    let verify = |who: &str| field("verify_data", format!("12 bytes of PRF(master secret, \"{who} finished\", hash of the handshake)"));
    script.send(Side::Client, Protection::Session, 2, "Finished", "The client's Finished, the first encrypted message.", vec![verify("client")]);
    let fields = vec![field("server's shared secret", hex(&shared_secret(&keys.server, &client_public)))];
    script.compute(Party::Server, 2, "Server computes the keys", "The server combines its private key with the client's public key: the same pre-master secret, so the same keys.", fields, Vec::new());
    script.send(Side::Server, Protection::Clear, 2, "ChangeCipherSpec", "The server switches to the new keys.", Vec::new());
    script.send(Side::Server, Protection::Session, 2, "Finished", "The server's Finished: the second round trip ends here.", vec![verify("server")]);
    script.request(Protection::Session, 3, "Only now does the client send its request: the first application byte leaves after 2 round trips.");
    script.steps
}
