//! The OAuth 2.0 flows model: each flow is a list of messages between the user, the browser,
//! the client, the authorization server and the resource server, every one carrying the real
//! HTTP text with correctly encoded parameters. The view steps through the list one message
//! at a time; nothing here is time-stepped, so the step index is the view's only state.
//!
//! PKCE is computed for real ([`pkce_challenge`]: SHA-256, base64url without padding, exactly
//! as RFC 7636 §4.2 defines S256), and each [`Failure`] changes the sequence at the step where
//! a real deployment would notice it.

mod flows;
mod http;

pub use flows::messages;
pub use walk::FlowWalk;

use super::encoding::base64url_encode;
use crate::sim::{ParamKind, ParamSpec, Params, SimRng, Value};
use sha2::{Digest, Sha256};

/// Who sends or receives a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The person (only the device flow shows them separately from their browser).
    User,
    /// The user agent: the browser that carries redirects between the other parties.
    Browser,
    /// The application that wants access (here a photo-printing service).
    Client,
    /// Signs the user in, asks for consent, and issues codes and tokens.
    AuthorizationServer,
    /// The API holding the user's data (here the photos), which accepts access tokens.
    ResourceServer,
}

impl Actor {
    pub fn label(self) -> &'static str {
        match self {
            Actor::User => "User",
            Actor::Browser => "Browser",
            Actor::Client => "Client",
            Actor::AuthorizationServer => "Authorization server",
            Actor::ResourceServer => "Resource server",
        }
    }
}

/// What kind of arrow a message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Request,
    Response,
    /// A `302 Found` whose `Location` the browser follows.
    Redirect,
    /// Something a person does: reads a screen, types a code, signs in, approves.
    UserAction,
}

/// One step of a flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub from: Actor,
    pub to: Actor,
    pub kind: MessageKind,
    /// One line for the arrow's label.
    pub summary: String,
    /// The real request or response: request line or status line, headers, blank line, body
    /// (lines end in `\n`). For user actions, what the person sees or types.
    pub http: String,
    /// What this step does and why.
    pub explanation: String,
    /// This step is where something is refused (the view marks it with a shape, not colour alone).
    pub is_error: bool,
}

/// The flows the page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flow {
    AuthorizationCodePkce,
    ClientCredentials,
    DeviceCode,
    RefreshToken,
    Implicit,
}

impl Flow {
    pub const ALL: [Flow; 5] = [Flow::AuthorizationCodePkce, Flow::ClientCredentials, Flow::DeviceCode, Flow::RefreshToken, Flow::Implicit];

    /// The value the URL carries.
    pub fn slug(self) -> &'static str {
        match self {
            Flow::AuthorizationCodePkce => "code-pkce",
            Flow::ClientCredentials => "client-credentials",
            Flow::DeviceCode => "device-code",
            Flow::RefreshToken => "refresh-token",
            Flow::Implicit => "implicit",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|flow| flow.slug() == slug)
    }

    pub fn label(self) -> &'static str {
        match self {
            Flow::AuthorizationCodePkce => "Authorization code with PKCE",
            Flow::ClientCredentials => "Client credentials",
            Flow::DeviceCode => "Device authorization",
            Flow::RefreshToken => "Refresh token",
            Flow::Implicit => "Implicit (deprecated)",
        }
    }

    /// When to use the flow, in a sentence.
    pub fn summary(self) -> &'static str {
        match self {
            Flow::AuthorizationCodePkce => "The flow for any app acting for a signed-in user: web apps, single-page apps and mobile apps alike.",
            Flow::ClientCredentials => "A service calling an API for itself, with no user involved: the client's own credentials are the whole proof.",
            Flow::DeviceCode => "Devices without a browser or keyboard (TVs, printers, command-line tools): the user approves on their phone.",
            Flow::RefreshToken => "Getting a new access token without bothering the user, using the refresh token issued alongside the first one.",
            Flow::Implicit => "The old way for browser apps: the token comes straight back in the redirect URL. Shown to explain why it was dropped.",
        }
    }

    /// Why the flow must not be used any more, for flows that are deprecated.
    pub fn deprecated(self) -> Option<&'static str> {
        match self {
            Flow::Implicit => Some(
                "Deprecated. The access token comes back in the URL fragment, where it lands in browser history and can leak through referrers, logs and any script on the page. Nothing binds the token to the client that asked for it, so a token stolen or injected elsewhere is accepted just the same, and there is no refresh token. The OAuth 2.0 Security Best Current Practice (RFC 9700) says not to use it, and OAuth 2.1 removes it: browser apps use the authorization code flow with PKCE instead.",
            ),
            _ => None,
        }
    }

    /// The actors drawn for this flow, left to right.
    pub fn actors(self) -> &'static [Actor] {
        match self {
            Flow::AuthorizationCodePkce | Flow::Implicit => &[Actor::Browser, Actor::Client, Actor::AuthorizationServer, Actor::ResourceServer],
            Flow::ClientCredentials | Flow::RefreshToken => &[Actor::Client, Actor::AuthorizationServer, Actor::ResourceServer],
            Flow::DeviceCode => &[Actor::User, Actor::Browser, Actor::Client, Actor::AuthorizationServer, Actor::ResourceServer],
        }
    }

    /// The failures the reader can trigger in this flow, `Failure::None` first.
    pub fn failures(self) -> &'static [Failure] {
        use Failure::*;
        match self {
            Flow::AuthorizationCodePkce => &[None, StateMismatch, WrongVerifier, ExpiredCode, ReusedCode, RedirectUriMismatch, ExpiredAccessToken],
            Flow::ClientCredentials => &[None, ExpiredAccessToken],
            Flow::DeviceCode => &[None, ExpiredCode, ExpiredAccessToken],
            Flow::RefreshToken => &[None, ExpiredAccessToken, ReusedCode, ExpiredCode],
            Flow::Implicit => &[None, StateMismatch, RedirectUriMismatch, ExpiredAccessToken],
        }
    }
}

/// Something that goes wrong, chosen by the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Failure {
    None,
    /// A forged callback (login CSRF): the client's state check catches it.
    StateMismatch,
    /// The code is redeemed with a verifier that does not hash to the challenge.
    WrongVerifier,
    /// The code (or the device code, or the refresh token) has expired.
    ExpiredCode,
    /// The code (or a rotated refresh token) is used a second time.
    ReusedCode,
    /// The authorization request names a redirect_uri that is not registered.
    RedirectUriMismatch,
    /// The resource server answers 401; the client renews the token and retries.
    ExpiredAccessToken,
}

impl Failure {
    pub const ALL: [Failure; 7] = [
        Failure::None,
        Failure::StateMismatch,
        Failure::WrongVerifier,
        Failure::ExpiredCode,
        Failure::ReusedCode,
        Failure::RedirectUriMismatch,
        Failure::ExpiredAccessToken,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Failure::None => "none",
            Failure::StateMismatch => "state-mismatch",
            Failure::WrongVerifier => "wrong-verifier",
            Failure::ExpiredCode => "expired-code",
            Failure::ReusedCode => "reused-code",
            Failure::RedirectUriMismatch => "redirect-uri-mismatch",
            Failure::ExpiredAccessToken => "expired-access-token",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|failure| failure.slug() == slug)
    }

    /// The control's label; a few failures mean something flow-specific.
    pub fn label(self, flow: Flow) -> &'static str {
        match (self, flow) {
            (Failure::None, _) => "Everything works",
            (Failure::StateMismatch, _) => "Forged callback (state mismatch)",
            (Failure::WrongVerifier, _) => "Wrong code_verifier",
            (Failure::ExpiredCode, Flow::DeviceCode) => "User never finishes (device code expires)",
            (Failure::ExpiredCode, Flow::RefreshToken) => "Refresh token expired",
            (Failure::ExpiredCode, _) => "Code redeemed too late",
            (Failure::ReusedCode, Flow::RefreshToken) => "Old refresh token replayed",
            (Failure::ReusedCode, _) => "Code used twice",
            (Failure::RedirectUriMismatch, _) => "Unregistered redirect_uri",
            (Failure::ExpiredAccessToken, _) => "Access token expired",
        }
    }

    pub fn applies_to(self, flow: Flow) -> bool {
        flow.failures().contains(&self)
    }
}

/// The values the reader can edit; every message is built from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowInputs {
    pub client_id: String,
    /// Used only where the client authenticates itself (client credentials).
    pub client_secret: String,
    pub redirect_uri: String,
    /// Space-separated scope tokens.
    pub scope: String,
    pub state: String,
    pub code_verifier: String,
}

/// The verifier from RFC 7636 Appendix B, so a reader can check the challenge against the RFC.
pub const RFC7636_VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

impl Default for FlowInputs {
    fn default() -> Self {
        Self {
            client_id: "photo-printer".to_string(),
            client_secret: "s3cr3t-Vq3xN8rT2mK9".to_string(),
            redirect_uri: "https://printer.example/callback".to_string(),
            scope: "photos.read".to_string(),
            state: "k2Rw9vQx1LmZ7tPa".to_string(),
            code_verifier: RFC7636_VERIFIER.to_string(),
        }
    }
}

/// Something wrong with one of the reader's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputProblem {
    /// The `FlowInputs` field: "redirect_uri".
    pub field: &'static str,
    pub message: String,
}

impl FlowInputs {
    /// The defaults with a fresh random state and code_verifier, as a real client makes them.
    pub fn generated(rng: &mut SimRng) -> Self {
        Self { state: generate_state(rng), code_verifier: generate_verifier(rng), ..Self::default() }
    }

    /// What a standards-compliant party would object to in these inputs. The messages are
    /// still built from them as typed, so the reader sees the consequence.
    pub fn problems(&self) -> Vec<InputProblem> {
        let mut problems = Vec::new();
        let mut problem = |field, message: String| problems.push(InputProblem { field, message });
        if self.client_id.is_empty() {
            problem("client_id", "client_id is empty; the authorization server cannot tell which client is asking.".to_string());
        } else if !self.client_id.chars().all(|ch| (' '..='~').contains(&ch)) {
            problem("client_id", "client_id may use only printable ASCII characters (RFC 6749 Appendix A.1).".to_string());
        }
        if let Some(message) = redirect_uri_problem(&self.redirect_uri) {
            problem("redirect_uri", message);
        }
        if let Some(message) = scope_problem(&self.scope) {
            problem("scope", message);
        }
        if self.state.is_empty() {
            problem("state", "state is empty: without it the client cannot tell its own callbacks from forged ones (login CSRF).".to_string());
        } else if self.state.chars().count() < 8 {
            problem("state", format!("state \"{}\" is short enough to guess; use at least 128 random bits (22 base64url characters).", self.state));
        }
        if let Err(message) = validate_verifier(&self.code_verifier) {
            problem("code_verifier", message);
        }
        problems
    }
}

fn redirect_uri_problem(uri: &str) -> Option<String> {
    if uri.is_empty() {
        return Some("redirect_uri is empty; the authorization server needs to know where to send the answer.".to_string());
    }
    if uri.chars().any(|ch| ch.is_whitespace() || ch.is_control()) {
        return Some("redirect_uri contains spaces or control characters; a URI has none.".to_string());
    }
    let scheme = uri.split_once(':').map(|(scheme, _)| scheme).filter(|scheme| {
        scheme.chars().next().is_some_and(|first| first.is_ascii_alphabetic())
            && scheme.chars().all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '+' | '-' | '.'))
    });
    let Some(scheme) = scheme else {
        return Some("redirect_uri must be an absolute URI such as https://printer.example/callback (RFC 6749 §3.1.2).".to_string());
    };
    if uri.contains('#') {
        return Some("redirect_uri must not contain a fragment (#…); the server appends its answer to the URI.".to_string());
    }
    if scheme.eq_ignore_ascii_case("http") {
        let host = uri.get("http://".len()..).unwrap_or("");
        let loopback = ["localhost", "127.0.0.1", "[::1]"].iter().any(|name| {
            host.strip_prefix(name).is_some_and(|rest| rest.is_empty() || rest.starts_with(':') || rest.starts_with('/'))
        });
        if !loopback {
            return Some("redirect_uri uses plain http, so the code would travel unencrypted; use https (http is allowed only for loopback addresses of native apps).".to_string());
        }
    }
    None
}

fn scope_problem(scope: &str) -> Option<String> {
    if scope.is_empty() {
        return None;
    }
    if scope.starts_with(' ') || scope.ends_with(' ') || scope.contains("  ") {
        return Some("scope tokens are separated by single spaces, with none at the start or end (RFC 6749 §3.3).".to_string());
    }
    let bad = scope.chars().find(|ch| *ch != ' ' && !(('!'..='~').contains(ch) && *ch != '"' && *ch != '\\'));
    bad.map(|ch| format!("scope may not contain {} (RFC 6749 §3.3 allows printable ASCII except \" and \\).", super::encoding::describe_char(ch)))
}

// ---- PKCE (RFC 7636) ----

/// Shortest and longest code_verifier RFC 7636 §4.1 allows.
pub const VERIFIER_MIN_CHARS: usize = 43;
pub const VERIFIER_MAX_CHARS: usize = 128;

/// Checks a code_verifier against RFC 7636 §4.1: 43 to 128 characters of
/// `A–Z a–z 0–9 - . _ ~`. The error says which rule is broken and where.
pub fn validate_verifier(verifier: &str) -> Result<(), String> {
    if verifier.is_empty() {
        return Err("The code_verifier is empty; it needs 43 to 128 characters of A–Z, a–z, 0–9 and - . _ ~".to_string());
    }
    if let Some((index, ch)) = verifier.chars().enumerate().find(|(_, ch)| !(ch.is_ascii_alphanumeric() || matches!(ch, '-' | '.' | '_' | '~'))) {
        return Err(format!(
            "Character {} of the code_verifier, {}, is not allowed; use only A–Z, a–z, 0–9 and - . _ ~",
            index + 1,
            super::encoding::describe_char(ch)
        ));
    }
    let length = verifier.len();
    if length < VERIFIER_MIN_CHARS {
        return Err(format!(
            "The code_verifier has {length} characters; RFC 7636 requires at least {VERIFIER_MIN_CHARS} (32 random bytes in base64url) so it cannot be guessed."
        ));
    }
    if length > VERIFIER_MAX_CHARS {
        return Err(format!("The code_verifier has {length} characters; RFC 7636 allows at most {VERIFIER_MAX_CHARS}."));
    }
    Ok(())
}

/// The S256 code_challenge of a valid verifier: `BASE64URL(SHA256(ASCII(verifier)))`.
pub fn pkce_challenge(verifier: &str) -> Result<String, String> {
    validate_verifier(verifier)?;
    Ok(s256(verifier))
}

/// The S256 transform without validation (the flows use it to show what a server would
/// compute from whatever the reader typed).
pub fn s256(verifier: &str) -> String {
    base64url_encode(&Sha256::digest(verifier.as_bytes()))
}

/// 32 random bytes in base64url: 43 characters, 256 bits, as RFC 7636 §4.1 recommends.
pub fn generate_verifier(rng: &mut SimRng) -> String {
    base64url_encode(&random_bytes(rng, 32))
}

/// 16 random bytes in base64url (22 characters): an unguessable state value.
pub fn generate_state(rng: &mut SimRng) -> String {
    base64url_encode(&random_bytes(rng, 16))
}

fn random_bytes(rng: &mut SimRng, count: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(count + 8);
    while bytes.len() < count {
        bytes.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    bytes.truncate(count);
    bytes
}

// ---- parameters in the URL ----

const FLOW_CHOICES: &[(&str, &str)] = &[
    ("code-pkce", "Authorization code with PKCE"),
    ("client-credentials", "Client credentials"),
    ("device-code", "Device authorization"),
    ("refresh-token", "Refresh token"),
    ("implicit", "Implicit (deprecated)"),
];

const FAILURE_CHOICES: &[(&str, &str)] = &[
    ("none", "Everything works"),
    ("state-mismatch", "Forged callback (state mismatch)"),
    ("wrong-verifier", "Wrong code_verifier"),
    ("expired-code", "Code, device code or refresh token expired"),
    ("reused-code", "Code or refresh token used twice"),
    ("redirect-uri-mismatch", "Unregistered redirect_uri"),
    ("expired-access-token", "Access token expired"),
];

/// The page's shareable parameters. The typed inputs stay out of the URL on purpose: secrets
/// in URLs leak through history and logs, which is the implicit flow's lesson.
pub const PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "flow", label: "Flow", kind: ParamKind::Choice(FLOW_CHOICES), default: Value::Choice("code-pkce") },
    ParamSpec { key: "failure", label: "Failure", kind: ParamKind::Choice(FAILURE_CHOICES), default: Value::Choice("none") },
];

/// The flow and failure a set of [`PARAMS`] selects; a failure that does not apply to the
/// flow becomes `Failure::None`.
pub fn selection(params: &Params) -> (Flow, Failure) {
    // Looked up defensively so a schema without these keys cannot panic.
    let choice = |key: &str| match params.schema().iter().any(|spec| spec.key == key) {
        true => match params.value(key) {
            Value::Choice(value) => value,
            _ => "",
        },
        false => "",
    };
    let flow = Flow::from_slug(choice("flow")).unwrap_or(Flow::AuthorizationCodePkce);
    let failure = Failure::from_slug(choice("failure")).filter(|failure| failure.applies_to(flow)).unwrap_or(Failure::None);
    (flow, failure)
}

#[cfg(test)]
mod tests;
mod walk;
pub mod poster;
