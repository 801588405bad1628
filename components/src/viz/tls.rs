//! The TLS handshake, message by message: TLS 1.3's full 1-RTT handshake, the same with a
//! HelloRetryRequest, resumption with a pre-shared key, 0-RTT early data, and TLS 1.2's full
//! handshake for comparison. Each step is one message or one computation; the key exchange and
//! the key schedule are computed for real: X25519 (RFC 7748) and HKDF-SHA256 (RFC 5869) from
//! well-kept crates, HKDF-Expand-Label and Derive-Secret with the "tls13 " labels of RFC 8446
//! §7.1, over the transcript of the actual message bytes (see `wire`). With the default keys
//! every value equals RFC 8448's trace: §3 for the full handshake, §4 for 0-RTT (tested).
//!
//! For the view: drive it with `Timeline<Handshake>` (parameters [`TLS_PARAMS`],
//! [`TLS_TICKS_PER_SECOND`], [`TLS_LIMIT`]); the tick is the step on screen, as in the OAuth
//! walk-through. Draw `stage::stage`. Below the picture, show [`Handshake::step_now`]: its
//! title, who sends it and how it travels ([`Protection::words`]), its `fields`, its `note`, and
//! each secret it reveals in full hex with its `formula`; [`Handshake::known`] lists every
//! secret known so far, and [`Handshake::keys`] with [`keys::public_key`] fills the key inputs.
//! The comparison table is [`Mode::ALL`] with [`Mode::data_round_trips`] and
//! [`time_to_data_ms`].
//!
//! **The reader's keys** are not parameters (a parameter is a number, a switch or a choice):
//! the view validates the pasted text with [`keys::parse_private_key`] (which says what is
//! wrong) and, when it reads, acts [`Action::ClientKey`] or [`Action::ServerKey`]. The
//! action recomputes every step and keeps the step on screen; as an action it travels in the
//! share link (`c` or `s` and 64 hex digits). These are throwaway demonstration keys; the view
//! should say never to paste a real one. A parameter change starts a new run with the mode's
//! default keys ([`Mode::default_keys`]); the key fields show the keys in use, so the reader
//! sees the change.
//!
//! Model choices worth knowing:
//! - Round trips are counted from the first ClientHello, after TCP's own handshake (one more
//!   round trip before any of these; QUIC carries the TLS handshake in its first round trip).
//!   A message's round trip is the client flight it answers or belongs to; the client can send
//!   its first application byte after 1 round trip (full, resumption), 2 (HelloRetryRequest,
//!   TLS 1.2) or none (0-RTT, in its first flight). Processing time is not modelled.
//! - Resumption presents the ticket of RFC 8448 §3's handshake (its PSK is computed from that
//!   handshake, with that section's keys) and uses psk_dhe_ke: a fresh X25519 exchange as well,
//!   so the new session is forward secret. The 0-RTT data is encrypted with a key from the PSK
//!   alone: it is not forward secret with respect to the PSK, and an attacker who records it
//!   can replay it. RFC 8446 §8 makes each server instance accept a given 0-RTT handshake at
//!   most once (single-use tickets, or a record of recent ClientHellos), which still leaves
//!   replays to other instances and through retries; so early data should carry only requests
//!   that are safe to repeat (idempotent).
//! - The HelloRetryRequest scenario: the client guesses P-256 (RFC 8448 §5's P-256 public key)
//!   and this server accepts only x25519, so it asks again; the transcript then starts with
//!   message_hash(first ClientHello) as RFC 8446 §4.4.1 says. No RFC trace covers this order.
//! - The certificate and its CertificateVerify signature are RFC 8448's bytes, whatever the
//!   keys: with other keys a real client would reject that signature (the server signs the
//!   transcript, which now differs). The secrets are still computed over those bytes.
//! - TLS 1.2 is ECDHE_RSA with x25519 and AES-128-GCM, without the extended master secret of
//!   RFC 7627; its pre-master, master secret and key block are computed with the TLS 1.2 PRF.
//!   Its ServerKeyExchange signature and Finished values are described, not computed.

use crate::sim::{ParamKind, ParamSpec, Params, Simulation, Value};

mod flows;
pub mod keys;
pub mod poster;
pub mod stage;
#[cfg(test)]
mod tests;
pub mod wire;

use keys::Bytes32;

/// Steps a second at 1× in the browser: one message or computation a second.
pub const TLS_TICKS_PER_SECOND: f64 = 1.0;
/// More ticks than the longest walk has steps; the walk stops at its last step.
pub const TLS_LIMIT: u64 = 64;
pub const MIN_RTT_MS: i64 = 1;
pub const MAX_RTT_MS: i64 = 1000;

/// Which handshake to walk through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Full,
    HelloRetry,
    Resumption,
    ZeroRtt,
    Tls12,
}

impl Mode {
    pub const ALL: [Mode; 5] = [Mode::Full, Mode::HelloRetry, Mode::Resumption, Mode::ZeroRtt, Mode::Tls12];

    /// The value the URL carries.
    pub fn slug(self) -> &'static str {
        match self {
            Mode::Full => "full",
            Mode::HelloRetry => "hrr",
            Mode::Resumption => "resume",
            Mode::ZeroRtt => "0rtt",
            Mode::Tls12 => "tls12",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|mode| mode.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Mode::Full => "TLS 1.3 full handshake (1-RTT)",
            Mode::HelloRetry => "TLS 1.3 with a HelloRetryRequest",
            Mode::Resumption => "TLS 1.3 resumption with a PSK",
            Mode::ZeroRtt => "TLS 1.3 resumption with 0-RTT data",
            Mode::Tls12 => "TLS 1.2 full handshake",
        }
    }

    /// A few words for the picture's title.
    pub fn short(self) -> &'static str {
        match self {
            Mode::Full => "TLS 1.3, 1-RTT",
            Mode::HelloRetry => "TLS 1.3, retry",
            Mode::Resumption => "TLS 1.3, PSK",
            Mode::ZeroRtt => "TLS 1.3, 0-RTT",
            Mode::Tls12 => "TLS 1.2",
        }
    }

    /// Round trips the client waits before it may send its first application byte (after
    /// TCP's handshake).
    pub fn data_round_trips(self) -> u32 {
        match self {
            Mode::ZeroRtt => 0,
            Mode::Full | Mode::Resumption => 1,
            Mode::HelloRetry | Mode::Tls12 => 2,
        }
    }

    pub fn is_tls13(self) -> bool {
        self != Mode::Tls12
    }

    /// The ephemeral keys a run starts with: RFC 8448 §3's, or §4's for the resumptions, so
    /// every value can be checked against the RFC.
    pub fn default_keys(self) -> Keys {
        match self {
            Mode::Resumption | Mode::ZeroRtt => Keys::RFC8448_RESUMED,
            _ => Keys::RFC8448_SIMPLE,
        }
    }
}

/// When the client may send its first application byte, in ms from its first ClientHello.
pub fn time_to_data_ms(mode: Mode, rtt_ms: u32) -> u32 {
    mode.data_round_trips() * rtt_ms
}

/// The two ephemeral X25519 private keys of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keys {
    pub client: Bytes32,
    pub server: Bytes32,
}

impl Keys {
    /// RFC 8448 §3's client and server ephemeral private keys.
    pub const RFC8448_SIMPLE: Keys = Keys {
        client: keys::unhex("49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005"),
        server: keys::unhex("b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e"),
    };
    /// RFC 8448 §4's (the resumed handshake makes fresh ones).
    pub const RFC8448_RESUMED: Keys = Keys {
        client: keys::unhex("bff91188283846dd6a2134ef7180ca2b0b14fb10dce707b5098c0dddc813b2df"),
        server: keys::unhex("de5b4476e7b490b2652d338acbf2948066f255f9440e23b98fc69835298dc107"),
    };
}

const MODE_CHOICES: &[(&str, &str)] = &[
    ("full", "TLS 1.3 full handshake (1-RTT)"),
    ("hrr", "TLS 1.3 with a HelloRetryRequest"),
    ("resume", "TLS 1.3 resumption with a PSK"),
    ("0rtt", "TLS 1.3 resumption with 0-RTT data"),
    ("tls12", "TLS 1.2 full handshake"),
];

/// The parameters. The keys are actions, not parameters (see the module documentation).
pub const TLS_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "mode", label: "Handshake", kind: ParamKind::Choice(MODE_CHOICES), default: Value::Choice("full") },
    ParamSpec { key: "rtt", label: "Round-trip time (ms)", kind: ParamKind::Int { min: MIN_RTT_MS, max: MAX_RTT_MS }, default: Value::Int(100) },
];

/// The parameters as the model uses them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    pub mode: Mode,
    pub rtt_ms: u32,
}

impl Config {
    /// Reads the parameters defensively: anything unknown gives the default.
    pub fn from_params(params: &Params) -> Self {
        Self {
            mode: Mode::from_slug(params.choice_in(TLS_PARAMS, "mode")).unwrap_or(Mode::Full),
            rtt_ms: params.number_in(TLS_PARAMS, "rtt").round() as u32,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub fn word(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// Who does a computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    Client,
    Server,
    Both,
}

impl Party {
    pub fn includes(self, side: Side) -> bool {
        matches!((self, side), (Party::Both, _) | (Party::Client, Side::Client) | (Party::Server, Side::Server))
    }
}

/// How a message travels: in the clear, or encrypted and with which keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    Clear,
    /// 0-RTT keys, from the PSK alone: not forward secret, and replayable.
    EarlyData,
    /// TLS 1.3 handshake traffic keys.
    Handshake,
    /// TLS 1.3 application traffic keys.
    Application,
    /// TLS 1.2's keys from the key block, after ChangeCipherSpec.
    Session,
}

impl Protection {
    pub fn encrypted(self) -> bool {
        self != Protection::Clear
    }

    pub fn words(self) -> &'static str {
        match self {
            Protection::Clear => "in the clear",
            Protection::EarlyData => "encrypted with the 0-RTT key (from the PSK alone: replayable)",
            Protection::Handshake => "encrypted with the handshake traffic keys",
            Protection::Application => "encrypted with the application traffic keys",
            Protection::Session => "encrypted with the keys from the key block",
        }
    }
}

/// The secrets the handshakes compute, with RFC 8446's (or RFC 5246's) names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// X25519's output: TLS 1.3's (EC)DHE input, TLS 1.2's pre-master secret.
    Shared,
    /// The resumption PSK a ticket stands for.
    Psk,
    Early,
    Binder,
    ClientEarly,
    Handshake,
    ClientHandshake,
    ServerHandshake,
    Master,
    ClientApplication,
    ServerApplication,
    ResumptionMaster,
    Tls12Master,
    Tls12KeyBlock,
}

impl SecretKind {
    pub fn label(self) -> &'static str {
        match self {
            SecretKind::Shared => "shared secret (X25519)",
            SecretKind::Psk => "PSK (the ticket's resumption secret)",
            SecretKind::Early => "Early Secret",
            SecretKind::Binder => "binder_key",
            SecretKind::ClientEarly => "client_early_traffic_secret",
            SecretKind::Handshake => "Handshake Secret",
            SecretKind::ClientHandshake => "client_handshake_traffic_secret",
            SecretKind::ServerHandshake => "server_handshake_traffic_secret",
            SecretKind::Master => "Master Secret",
            SecretKind::ClientApplication => "client_application_traffic_secret_0",
            SecretKind::ServerApplication => "server_application_traffic_secret_0",
            SecretKind::ResumptionMaster => "resumption_master_secret",
            SecretKind::Tls12Master => "master secret (TLS 1.2)",
            SecretKind::Tls12KeyBlock => "key block (TLS 1.2)",
        }
    }
}

/// A secret as it becomes known: its value and how it was computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Secret {
    pub kind: SecretKind,
    pub value: Vec<u8>,
    pub formula: &'static str,
}

/// One named field of a message or computation, with its value as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Send { from: Side, protection: Protection },
    Compute { by: Party },
}

/// One step of a walk-through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub kind: StepKind,
    /// The message's name, or the computation's in a few words.
    pub title: &'static str,
    /// What happens, in one sentence (the narration).
    pub summary: &'static str,
    /// Why it matters, when there is more to say (may be empty).
    pub note: &'static str,
    pub fields: Vec<Field>,
    /// Secrets that become known at this step.
    pub secrets: Vec<Secret>,
    /// The round trip the step belongs to, from 1: a client flight and the server's answer.
    pub round_trip: u32,
    /// The message carries application data (a request).
    pub carries_data: bool,
}

impl Step {
    pub fn sender(&self) -> Option<Side> {
        match self.kind {
            StepKind::Send { from, .. } => Some(from),
            StepKind::Compute { .. } => None,
        }
    }

    pub fn protection(&self) -> Option<Protection> {
        match self.kind {
            StepKind::Send { protection, .. } => Some(protection),
            StepKind::Compute { .. } => None,
        }
    }
}

/// What the reader does: paste a private key (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    ClientKey(Bytes32),
    ServerKey(Bytes32),
}

/// A walk through one handshake.
#[derive(Debug, Clone, PartialEq)]
pub struct Handshake {
    config: Config,
    keys: Keys,
    steps: Vec<Step>,
    tick: u64,
    /// The key the reader changed at this tick, for the narration.
    changed: Option<Side>,
}

impl Handshake {
    pub fn with_keys(config: Config, keys: Keys) -> Self {
        Self { config, keys, steps: flows::steps(config.mode, &keys), tick: 0, changed: None }
    }

    pub fn mode(&self) -> Mode {
        self.config.mode
    }

    pub fn rtt_ms(&self) -> u32 {
        self.config.rtt_ms
    }

    pub fn keys(&self) -> Keys {
        self.keys
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The index of the step on screen; past the last step it stays on the last.
    pub fn current(&self) -> usize {
        (self.tick as usize).min(self.steps.len().saturating_sub(1))
    }

    pub fn step_now(&self) -> &Step {
        &self.steps[self.current()]
    }

    /// The steps played so far, the current one last.
    pub fn shown(&self) -> &[Step] {
        &self.steps[..=self.current()]
    }

    /// Every secret known at the current step, in the order they became known.
    pub fn known(&self) -> impl Iterator<Item = &Secret> {
        self.shown().iter().flat_map(|step| step.secrets.iter())
    }

    pub fn secret(&self, kind: SecretKind) -> Option<&Secret> {
        self.known().find(|secret| secret.kind == kind)
    }

    /// When the message of step `index` leaves its sender, in ms from the first ClientHello:
    /// a client flight departs each round trip, the server's answer half a round trip later.
    pub fn sent_at_ms(&self, index: usize) -> Option<f64> {
        let step = self.steps.get(index)?;
        let start = f64::from(step.round_trip.saturating_sub(1)) * f64::from(self.config.rtt_ms);
        step.sender().map(|side| if side == Side::Server { start + f64::from(self.config.rtt_ms) / 2.0 } else { start })
    }

    /// Round trips before the client's first application byte, read from the steps.
    pub fn data_round_trips(&self) -> Option<u32> {
        self.steps.iter().find(|step| step.carries_data && step.sender() == Some(Side::Client)).map(|step| step.round_trip - 1)
    }

    /// The round trips begun so far: the highest round trip of the messages shown.
    pub fn round_trips_so_far(&self) -> u32 {
        self.shown().iter().filter(|step| step.sender().is_some()).map(|step| step.round_trip).max().unwrap_or(0)
    }
}

impl Simulation for Handshake {
    type Action = Action;
    const SEEDED: bool = false;

    fn new(params: &Params, _seed: u64) -> Self {
        let config = Config::from_params(params);
        Self::with_keys(config, config.mode.default_keys())
    }

    fn step(&mut self) {
        self.tick += 1;
        self.changed = None;
    }

    fn apply(&mut self, action: &Action) {
        let (keys, side) = match *action {
            Action::ClientKey(key) => (Keys { client: key, ..self.keys }, Side::Client),
            Action::ServerKey(key) => (Keys { server: key, ..self.keys }, Side::Server),
        };
        self.keys = keys;
        self.steps = flows::steps(self.config.mode, &keys);
        self.changed = Some(side);
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    fn narrate(&self) -> String {
        let changed = self.changed.map_or(String::new(), |side| format!("New {} private key; every value is recomputed. ", side.word()));
        format!("{changed}Step {} of {}: {}", self.current() + 1, self.steps.len(), self.step_now().summary)
    }

    /// `c` or `s` (client or server key) and the key's 64 hex digits.
    fn encode_action(action: &Action) -> String {
        match action {
            Action::ClientKey(key) => format!("c{}", keys::hex(key)),
            Action::ServerKey(key) => format!("s{}", keys::hex(key)),
        }
    }

    fn decode_action(text: &str) -> Option<Action> {
        let (side, digits) = text.split_at_checked(1)?;
        if digits.len() != 64 || !digits.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            return None;
        }
        let key = keys::parse_private_key(digits).ok()?;
        match side {
            "c" => Some(Action::ClientKey(key)),
            "s" => Some(Action::ServerKey(key)),
            _ => None,
        }
    }

    fn finished(&self) -> bool {
        self.tick as usize + 1 >= self.steps.len()
    }
}
