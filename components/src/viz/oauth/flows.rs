//! The scripts: for each flow and failure, the messages in order, with the HTTP each one
//! really carries. Codes and tokens are fixed example values (some are the RFCs' own), so the
//! same inputs always give the same messages.

use super::http::{
    authorize_url, get, html_response, json_response, number, oauth_error, object, post_form, redirect, split_url, text, token_response, unauthorized,
    with_fragment, with_query, AUTH_HOST,
};
use super::{s256, Actor, Failure, Flow, FlowInputs, Message, MessageKind};
use crate::sim::query::{form_encode_pairs, form_urlencode};
use crate::viz::encoding::base64_encode;
use crate::viz::json::Json;
use Actor::{AuthorizationServer, Browser, Client, ResourceServer, User};
use MessageKind::{Redirect, Request, Response, UserAction};

const API_HOST: &str = "photos.example";
const API_PATH: &str = "/v1/photos";
const SESSION_COOKIE: &str = "sid=31d4d96e407aad42";
const AUTH_SESSION_COOKIE: &str = "as_session=5c2e8a";
const CODE: &str = "SplxlOBeZQQYbYS6WxSbIA";
const ACCESS_TOKEN: &str = "2YotnFZFEjr1zCsicMWpAA";
const REFRESH_TOKEN: &str = "tGzv3JOkF0XG5Qx2TlKWIA";
const NEW_ACCESS_TOKEN: &str = "mF9r4b0x2QyW7c1LdE5sZg";
const NEW_REFRESH_TOKEN: &str = "Ux7hB2nQ9wKc4pLr0tYe3A";
const ATTACKER_CODE: &str = "Evl5Kq0aTtQmYpWc3rXn9A";
const ATTACKER_STATE: &str = "attacker-own-state-91c2";
const ATTACKER_REDIRECT: &str = "https://attacker.example/callback";
/// A well-formed verifier that is not the client's: what an attacker holding a stolen code
/// would have to guess.
const GUESSED_VERIFIER: &str = "Xq7M2pN9cR4vT8wL1bK6hJ3fG5dS0aZyUeIoPqWrTy0";
const DEVICE_CODE: &str = "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS";
const USER_CODE: &str = "WDJB-MJHT";
const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// The messages of `flow` when `failure` happens (a failure that does not apply to the flow
/// is ignored and the normal sequence returned). Never panics, whatever the inputs.
pub fn messages(flow: Flow, failure: Failure, inputs: &FlowInputs) -> Vec<Message> {
    let failure = if failure.applies_to(flow) { failure } else { Failure::None };
    let mut script = Script { inputs, messages: Vec::new() };
    match flow {
        Flow::AuthorizationCodePkce => script.authorization_code(failure),
        Flow::ClientCredentials => script.client_credentials(failure),
        Flow::DeviceCode => script.device_code(failure),
        Flow::RefreshToken => script.refresh_token(failure),
        Flow::Implicit => script.implicit(failure),
    }
    script.messages
}

struct Script<'a> {
    inputs: &'a FlowInputs,
    messages: Vec<Message>,
}

fn message(from: Actor, to: Actor, kind: MessageKind, summary: impl Into<String>, http: String, explanation: impl Into<String>) -> Message {
    Message { from, to, kind, summary: summary.into(), http, explanation: explanation.into(), is_error: false }
}

impl Message {
    fn refused(mut self) -> Self {
        self.is_error = true;
        self
    }
}

enum TokenRenewal {
    RefreshToken,
    /// The implicit flow has no refresh token: back through /authorize with prompt=none.
    SilentRedirect,
}

impl Script<'_> {
    fn send(&mut self, message: Message) {
        self.messages.push(message);
    }

    // ---- the flows ----

    fn authorization_code(&mut self, failure: Failure) {
        let inputs = self.inputs;
        let challenge = s256(&inputs.code_verifier);
        let authorize_pairs = [
            ("response_type", "code"),
            ("client_id", inputs.client_id.as_str()),
            ("redirect_uri", inputs.redirect_uri.as_str()),
            ("scope", inputs.scope.as_str()),
            ("state", inputs.state.as_str()),
            ("code_challenge", challenge.as_str()),
            ("code_challenge_method", "S256"),
        ];
        if failure == Failure::RedirectUriMismatch {
            return self.unregistered_redirect(&authorize_pairs);
        }
        self.user_starts_at_client();
        self.send(message(
            Client,
            Browser,
            Redirect,
            "Redirect to the authorization server, with the PKCE challenge",
            redirect(&authorize_url(&authorize_pairs)),
            format!(
                "The client makes a fresh random state and code_verifier, keeps both in the user's session, and sends the browser to the authorization server. Only the verifier's hash travels: code_challenge = BASE64URL(SHA-256(\"{}\")) = {challenge}. The verifier itself stays secret until the code is redeemed.",
                inputs.code_verifier
            ),
        ));
        self.browser_follows_to_authorize(&authorize_pairs, "It also stores the code_challenge, to check against the verifier later.");
        if failure == Failure::StateMismatch {
            return self.forged_callback(false);
        }
        self.sign_in_and_consent();
        let callback = with_query(&inputs.redirect_uri, &[("code", CODE), ("state", inputs.state.as_str())]);
        self.send(message(
            AuthorizationServer,
            Browser,
            Redirect,
            "Redirect back to the client with a one-time code",
            redirect(&callback),
            "The user agreed, so the server sends the browser back to the registered redirect_uri with an authorization code and the same state. The code is not a token: it is short-lived (minutes), works once, and is useless without the code_verifier.",
        ));
        self.callback_arrives(&callback, "It matches the state stored in the session, so this answer belongs to the request this client made for this user.");

        let (verifier, summary, explanation) = match failure {
            Failure::WrongVerifier => (
                GUESSED_VERIFIER.to_string(),
                "The code is redeemed with a verifier that does not match",
                format!(
                    "Suppose the code was intercepted on its way back (on a phone, a malicious app can register the same redirect scheme). The thief can send the code but not the verifier, which never left the real client. Its guess hashes to {}, not to the stored challenge {challenge}.",
                    s256(GUESSED_VERIFIER)
                ),
            ),
            Failure::ExpiredCode => (
                inputs.code_verifier.clone(),
                "The client redeems the code 11 minutes later",
                "The client was slow (or the code was captured and replayed later). Authorization codes live about a minute to at most ten, precisely so a leaked one is useless soon.".to_string(),
            ),
            _ => (
                inputs.code_verifier.clone(),
                "Exchange the code and the code_verifier for tokens",
                "Server to server, out of the browser's sight, the client redeems the code. The authorization server hashes the code_verifier and compares it with the challenge from step 2, checks that redirect_uri equals the one in the authorization request, and that the code is unused and unexpired. A client with a server-side secret would also authenticate here; PKCE protects even clients that have none.".to_string(),
            ),
        };
        let token_request = self.code_token_request(&verifier);
        self.send(message(Client, AuthorizationServer, Request, summary, token_request.clone(), explanation));
        match failure {
            Failure::WrongVerifier => {
                return self.send(
                    message(
                        AuthorizationServer,
                        Client,
                        Response,
                        "400 invalid_grant: the verifier does not match the challenge",
                        oauth_error("invalid_grant", "PKCE verification failed: code_verifier does not match code_challenge"),
                        "SHA-256 of the presented verifier is not the code_challenge stored with this code, so the server refuses. An intercepted code is worthless without the verifier: that is all PKCE adds, and it is enough.",
                    )
                    .refused(),
                )
            }
            Failure::ExpiredCode => {
                return self.send(
                    message(
                        AuthorizationServer,
                        Client,
                        Response,
                        "400 invalid_grant: the code has expired",
                        oauth_error("invalid_grant", "The authorization code has expired"),
                        "The code outlived its lifetime, so the server refuses it. The client has to send the user through the authorization request again.",
                    )
                    .refused(),
                )
            }
            _ => {}
        }
        self.tokens_issued();
        if failure == Failure::ReusedCode {
            return self.code_replayed(token_request);
        }
        if failure == Failure::ExpiredAccessToken {
            self.access_token_expires(TokenRenewal::RefreshToken);
        } else {
            self.call_api(ACCESS_TOKEN, "The client calls the API with the access token");
        }
        self.send(message(
            Client,
            Browser,
            Response,
            "The client shows the user their photos",
            html_response("200 OK", "<h1>Choose photos to print</h1> (12 photos from your library)"),
            "The user is back on the client's site, connected, without ever giving the client their password.",
        ));
    }

    fn implicit(&mut self, failure: Failure) {
        let inputs = self.inputs;
        let authorize_pairs = [
            ("response_type", "token"),
            ("client_id", inputs.client_id.as_str()),
            ("redirect_uri", inputs.redirect_uri.as_str()),
            ("scope", inputs.scope.as_str()),
            ("state", inputs.state.as_str()),
        ];
        if failure == Failure::RedirectUriMismatch {
            return self.unregistered_redirect(&authorize_pairs);
        }
        self.user_starts_at_client();
        self.send(message(
            Client,
            Browser,
            Redirect,
            "Redirect to the authorization server, asking for a token directly",
            redirect(&authorize_url(&authorize_pairs)),
            "The app running in the browser asks for response_type=token: no code, no exchange, the token itself will come back in the redirect. There is no PKCE here and no way to add it.",
        ));
        self.browser_follows_to_authorize(&authorize_pairs, "");
        if failure == Failure::StateMismatch {
            return self.forged_callback(true);
        }
        self.sign_in_and_consent();
        let fragment_pairs =
            [("access_token", ACCESS_TOKEN), ("token_type", "Bearer"), ("expires_in", "3600"), ("scope", inputs.scope.as_str()), ("state", inputs.state.as_str())];
        let callback = with_fragment(&inputs.redirect_uri, &fragment_pairs);
        self.send(message(
            AuthorizationServer,
            Browser,
            Redirect,
            "Redirect back with the access token in the URL fragment",
            redirect(&callback),
            "The access token itself is in the address bar now. It goes into the browser history, can leak through the Referer header and logs, and any script on the page can read it. Nothing ties it to this client: a token obtained for another app and injected here would be accepted the same way.",
        ));
        let (host, target) = split_url(&inputs.redirect_uri);
        self.send(message(
            Browser,
            Client,
            Request,
            "The page loads; its script reads the token from location.hash",
            get(&host, &target, &[]),
            "The fragment (#…) is never sent to a server, so this request carries no token: the app's JavaScript reads it from location.hash and compares state with the one it stored. There is no refresh token in this flow.",
        ));
        if failure == Failure::ExpiredAccessToken {
            self.access_token_expires(TokenRenewal::SilentRedirect);
        } else {
            self.call_api(ACCESS_TOKEN, "The app calls the API with the token from the fragment");
        }
    }

    fn client_credentials(&mut self, failure: Failure) {
        self.client_credentials_grant(ACCESS_TOKEN, "The service asks for a token with its own credentials");
        let usage = |token: &str| get(API_HOST, "/v1/usage", &[("Authorization", &format!("Bearer {token}"))]);
        let usage_answer = json_response("200 OK", &[], object(&[("client", text(&self.inputs.client_id)), ("requests_this_month", number(1284))]));
        if failure == Failure::ExpiredAccessToken {
            self.send(message(
                Client,
                ResourceServer,
                Request,
                "An hour later: the service calls the API with its old token",
                usage(ACCESS_TOKEN),
                "The service reuses its cached token until the API says otherwise (or until expires_in runs out).",
            ));
            self.send(expired_token_answer());
            self.client_credentials_grant(NEW_ACCESS_TOKEN, "No refresh token here: the service simply asks again");
            self.send(message(Client, ResourceServer, Request, "Retry with the new token", usage(NEW_ACCESS_TOKEN), "The same call, now with a valid token."));
        } else {
            self.send(message(
                Client,
                ResourceServer,
                Request,
                "The service calls the API for itself",
                usage(ACCESS_TOKEN),
                "The token speaks for the client, not for any user, so it fits data that belongs to the client itself: here, its own API usage.",
            ));
        }
        self.send(message(
            ResourceServer,
            Client,
            Response,
            "200 OK with the data",
            usage_answer,
            "The resource server checked the token's signature or asked the authorization server about it (introspection), then checked its scope.",
        ));
    }

    fn device_code(&mut self, failure: Failure) {
        let inputs = self.inputs;
        self.send(message(
            Client,
            AuthorizationServer,
            Request,
            "The device asks for a device code and a user code",
            post_form(AUTH_HOST, "/device_authorization", &[], &[("client_id", &inputs.client_id), ("scope", &inputs.scope)]),
            "The client is a printer with a small screen and no browser or keyboard. It starts the flow itself, on the back channel.",
        ));
        let verification_uri = format!("https://{AUTH_HOST}/device");
        let complete_uri = format!("{verification_uri}?{}", form_encode_pairs(&[("user_code", USER_CODE)]));
        self.send(message(
            AuthorizationServer,
            Client,
            Response,
            "Codes, a URL for the user, and a polling interval",
            json_response(
                "200 OK",
                &[("Cache-Control", "no-store")],
                object(&[
                    ("device_code", text(DEVICE_CODE)),
                    ("user_code", text(USER_CODE)),
                    ("verification_uri", text(&verification_uri)),
                    ("verification_uri_complete", text(&complete_uri)),
                    ("expires_in", number(1800)),
                    ("interval", number(5)),
                ]),
            ),
            "The long device_code is the device's secret handle; the short user_code is for a human to type. Both expire in 30 minutes, and the device may ask for news every 5 seconds.",
        ));
        self.send(message(
            Client,
            User,
            UserAction,
            "The printer's screen shows where to go and the code to type",
            format!("To connect this printer, visit\n  {verification_uri}\nand enter the code\n  {USER_CODE}\n(or scan the QR code for {complete_uri})"),
            "The user finishes on a device that has a real browser, usually their phone, where they can sign in safely and see what they are approving.",
        ));
        let poll = post_form(AUTH_HOST, "/token", &[], &[("grant_type", DEVICE_GRANT), ("device_code", DEVICE_CODE), ("client_id", &inputs.client_id)]);
        self.send(message(
            Client,
            AuthorizationServer,
            Request,
            "The device starts polling the token endpoint",
            poll.clone(),
            "Meanwhile the device asks, every interval seconds, whether the user has approved yet.",
        ));
        self.send(message(
            AuthorizationServer,
            Client,
            Response,
            "400 authorization_pending: keep waiting",
            oauth_error("authorization_pending", "The user has not yet completed authorization"),
            "Not a failure: the user has not finished yet. A device that polls too fast is told slow_down and must add 5 seconds to its interval.",
        ));
        if failure == Failure::ExpiredCode {
            self.send(message(Client, AuthorizationServer, Request, "30 minutes later, the device polls again", poll, "The user walked away and never entered the code."));
            return self.send(
                message(
                    AuthorizationServer,
                    Client,
                    Response,
                    "400 expired_token: the device code has expired",
                    oauth_error("expired_token", "The device_code has expired"),
                    "The codes lived for expires_in (30 minutes) and are gone. The device must stop polling and start over with a new device authorization request.",
                )
                .refused(),
            );
        }
        self.send(message(
            User,
            Browser,
            UserAction,
            "On their phone, the user opens the URL and types the code",
            format!("{verification_uri}\nCode: {USER_CODE}"),
            "Typing the code links this browser session to the waiting device.",
        ));
        self.send(message(
            Browser,
            AuthorizationServer,
            Request,
            "The phone's browser submits the user code",
            post_form(AUTH_HOST, "/device", &[("Cookie", AUTH_SESSION_COOKIE)], &[("user_code", USER_CODE)]),
            "The server finds the pending device request for this code.",
        ));
        self.send(message(
            AuthorizationServer,
            Browser,
            Response,
            "Sign-in and consent page",
            consent_page(inputs),
            "The user checks that the request really comes from their printer before approving; a code typed from a phishing message would connect someone else's device.",
        ));
        self.send(message(
            Browser,
            AuthorizationServer,
            UserAction,
            "The user signs in and approves",
            post_form(AUTH_HOST, "/device/approve", &[("Cookie", AUTH_SESSION_COOKIE)], &[("user_code", USER_CODE), ("decision", "allow")]),
            "The password goes only to the authorization server, on the phone; the printer never sees it.",
        ));
        self.send(message(
            AuthorizationServer,
            Browser,
            Response,
            "Done: return to the device",
            html_response("200 OK", "Printer connected. You can close this page."),
            "The phone's part is over.",
        ));
        self.send(message(Client, AuthorizationServer, Request, "The device polls again", poll, "Its next poll, after the interval."));
        self.tokens_issued();
        if failure == Failure::ExpiredAccessToken {
            self.access_token_expires(TokenRenewal::RefreshToken);
        } else {
            self.call_api(ACCESS_TOKEN, "The printer fetches the user's photos");
        }
    }

    fn refresh_token(&mut self, failure: Failure) {
        match failure {
            Failure::ExpiredAccessToken => return self.access_token_expires(TokenRenewal::RefreshToken),
            Failure::ExpiredCode => {
                self.send(message(
                    Client,
                    AuthorizationServer,
                    Request,
                    "The client tries to refresh with a refresh token that has expired",
                    self.refresh_request(REFRESH_TOKEN),
                    "The user has not used the app for months; refresh tokens have a lifetime too, and this one ran out (or the user revoked access meanwhile).",
                ));
                return self.send(
                    message(
                        AuthorizationServer,
                        Client,
                        Response,
                        "400 invalid_grant: the refresh token is no longer valid",
                        oauth_error("invalid_grant", "The refresh token has expired"),
                        "No new tokens. The client must send the user through the authorization code flow again.",
                    )
                    .refused(),
                );
            }
            _ => {}
        }
        self.send(message(
            Client,
            AuthorizationServer,
            Request,
            "Before the access token expires, trade the refresh token for a new one",
            self.refresh_request(REFRESH_TOKEN),
            "The first token response said expires_in 3600, so the client renews a little before the hour is up. No user or browser is involved.",
        ));
        self.tokens_renewed();
        if failure == Failure::ReusedCode {
            return self.refresh_token_replayed();
        }
        self.call_api(NEW_ACCESS_TOKEN, "The client calls the API with the new access token");
    }

    // ---- shared steps ----

    fn user_starts_at_client(&mut self) {
        let (host, _) = split_url(&self.inputs.redirect_uri);
        self.send(message(
            Browser,
            Client,
            Request,
            "The user asks the client to import their photos",
            get(&host, "/import", &[("Cookie", SESSION_COOKIE)]),
            "The user is on the client's site. The client needs photos kept by another service, and asks for access there instead of asking for the user's password.",
        ));
    }

    fn browser_follows_to_authorize(&mut self, pairs: &[(&str, &str)], extra: &str) {
        let mut explanation = "The authorization server checks that client_id is registered and that redirect_uri matches one registered for it character for character.".to_string();
        if !extra.is_empty() {
            explanation.push(' ');
            explanation.push_str(extra);
        }
        self.send(message(
            Browser,
            AuthorizationServer,
            Request,
            "The browser follows the redirect to /authorize",
            get(AUTH_HOST, &format!("/authorize?{}", form_encode_pairs(pairs)), &[]),
            explanation,
        ));
    }

    fn sign_in_and_consent(&mut self) {
        let inputs = self.inputs;
        self.send(message(
            AuthorizationServer,
            Browser,
            Response,
            "Sign-in and consent page",
            consent_page(inputs),
            "The user signs in on the authorization server's own page, never on the client's, and sees exactly what is asked for.",
        ));
        self.send(message(
            Browser,
            AuthorizationServer,
            UserAction,
            "The user signs in and approves",
            post_form(AUTH_HOST, "/consent", &[("Cookie", AUTH_SESSION_COOKIE)], &[("decision", "allow"), ("scope", &inputs.scope)]),
            "The password goes to the authorization server only; the client never sees it.",
        ));
    }

    fn callback_arrives(&mut self, callback: &str, state_check: &str) {
        let (host, target) = split_url(callback);
        self.send(message(
            Browser,
            Client,
            Request,
            "The browser delivers the code to the client's callback",
            get(&host, &target, &[("Cookie", SESSION_COOKIE)]),
            format!("The client compares state with the one it stored before the redirect. {state_check}"),
        ));
    }

    /// Login CSRF: the attacker's own code (or token) delivered to the victim's browser.
    fn forged_callback(&mut self, in_fragment: bool) {
        let inputs = self.inputs;
        let forged_state = if inputs.state == ATTACKER_STATE { "attacker-other-state" } else { ATTACKER_STATE };
        let what = if in_fragment { "access_token" } else { "code" };
        let url = if in_fragment {
            with_fragment(&inputs.redirect_uri, &[("access_token", ATTACKER_CODE), ("token_type", "Bearer"), ("state", forged_state)])
        } else {
            with_query(&inputs.redirect_uri, &[("code", ATTACKER_CODE), ("state", forged_state)])
        };
        let (host, target) = split_url(&url);
        self.send(message(
            Browser,
            Client,
            Request,
            format!("A planted link delivers the attacker's {what} to the callback"),
            get(&host, &target, &[("Cookie", SESSION_COOKIE)]),
            format!("Before the user finishes signing in, a page the attacker controls makes the browser open the callback with the attacker's own {what}, from a flow the attacker started with their own account. Without a check, the client would link the user's session to the attacker's account, and the user's uploads would land there."),
        ));
        self.send(
            message(
                Client,
                Browser,
                Response,
                "403: state does not match, the forged callback is rejected",
                html_response("403 Forbidden", "This sign-in response does not belong to your session. Please start again."),
                format!(
                    "The session holds state \"{}\", the callback brought \"{forged_state}\". The attacker cannot know the user's state, because it is random and never left the user's browser and the client, so the forgery is caught (CSRF).",
                    inputs.state
                ),
            )
            .refused(),
        );
    }

    fn unregistered_redirect(&mut self, pairs: &[(&str, &str)]) {
        let inputs = self.inputs;
        let attacker_uri = if inputs.redirect_uri == ATTACKER_REDIRECT { "https://attacker.example/steal" } else { ATTACKER_REDIRECT };
        let crafted: Vec<(&str, &str)> = pairs.iter().map(|&(key, value)| if key == "redirect_uri" { (key, attacker_uri) } else { (key, value) }).collect();
        self.send(message(
            Browser,
            AuthorizationServer,
            Request,
            "The user follows a crafted link whose redirect_uri points elsewhere",
            get(AUTH_HOST, &format!("/authorize?{}", form_encode_pairs(&crafted)), &[]),
            format!("An attacker sends the user a real authorization link for {} with one change: redirect_uri is {attacker_uri}. If the server obeyed, the user would sign in on the genuine page and the code would go to the attacker.", inputs.client_id),
        ));
        self.send(
            message(
                AuthorizationServer,
                Browser,
                Response,
                "400: redirect_uri is not registered for this client; no redirect",
                html_response("400 Bad Request", &format!("The redirect_uri {attacker_uri} is not registered for {}. The request was stopped.", inputs.client_id)),
                "The server compares redirect_uri with the client's registered values as exact strings (no prefix or wildcard matching). On a mismatch it must not redirect anywhere, not even to report the error, because the redirect itself would reach the attacker: it shows an error page instead.",
            )
            .refused(),
        );
    }

    fn code_token_request(&self, verifier: &str) -> String {
        let inputs = self.inputs;
        post_form(
            AUTH_HOST,
            "/token",
            &[],
            &[
                ("grant_type", "authorization_code"),
                ("code", CODE),
                ("redirect_uri", &inputs.redirect_uri),
                ("client_id", &inputs.client_id),
                ("code_verifier", verifier),
            ],
        )
    }

    fn tokens_issued(&mut self) {
        self.send(message(
            AuthorizationServer,
            Client,
            Response,
            "200 OK with an access token and a refresh token",
            json_response("200 OK", &[("Cache-Control", "no-store")], token_response(ACCESS_TOKEN, Some(REFRESH_TOKEN), &self.inputs.scope)),
            "The access token opens the API for an hour; the refresh token gets new access tokens later without the user. Cache-Control: no-store keeps both out of caches.",
        ));
    }

    fn code_replayed(&mut self, token_request: String) {
        self.send(message(
            Client,
            AuthorizationServer,
            Request,
            "The same code is sent a second time",
            token_request,
            "A replay: the code leaked (a log, a Referer header, browser history) and someone redeems it again.",
        ));
        self.send(
            message(
                AuthorizationServer,
                Client,
                Response,
                "400 invalid_grant: the code was already used",
                oauth_error("invalid_grant", "The authorization code has already been used"),
                "A code works once. Seeing it again means it leaked, so besides refusing, the server should revoke every token issued for that code (RFC 6749 §4.1.2).",
            )
            .refused(),
        );
        self.send(message(
            Client,
            ResourceServer,
            Request,
            "The client calls the API with the token from the first exchange",
            get(API_HOST, API_PATH, &[("Authorization", &format!("Bearer {ACCESS_TOKEN}"))]),
            "The tokens from the first, legitimate exchange were revoked with the code.",
        ));
        self.send(
            message(
                ResourceServer,
                Client,
                Response,
                "401: the access token was revoked",
                unauthorized("The access token has been revoked"),
                "Whoever replayed the code gets nothing, and so does everyone else holding those tokens: the user signs in again, and the leak is contained.",
            )
            .refused(),
        );
    }

    fn refresh_token_replayed(&mut self) {
        self.send(message(
            Client,
            AuthorizationServer,
            Request,
            "Someone presents the old refresh token again",
            self.refresh_request(REFRESH_TOKEN),
            "The old refresh token was stolen earlier (from a log, a backup, a compromised device), and the thief now uses it. It was already exchanged once.",
        ));
        self.send(
            message(
                AuthorizationServer,
                Client,
                Response,
                "400 invalid_grant: reuse detected, the whole token family is revoked",
                oauth_error("invalid_grant", "Refresh token reuse detected; all tokens from this grant are revoked"),
                "With rotation, each refresh token works once. Seeing a used one again means two parties hold it, and the server cannot tell which is honest, so it revokes every refresh token descended from the same grant.",
            )
            .refused(),
        );
        self.send(message(
            Client,
            AuthorizationServer,
            Request,
            "Later, the real client refreshes with its newest refresh token",
            self.refresh_request(NEW_REFRESH_TOKEN),
            "The legitimate client did nothing wrong, but its token belongs to the revoked family.",
        ));
        self.send(
            message(
                AuthorizationServer,
                Client,
                Response,
                "400 invalid_grant: revoked; the user must sign in again",
                oauth_error("invalid_grant", "The refresh token has been revoked"),
                "The cost of the theft is one extra sign-in for the user, and the thief's access is cut off too.",
            )
            .refused(),
        );
    }

    fn call_api(&mut self, token: &str, summary: &str) {
        self.send(message(
            Client,
            ResourceServer,
            Request,
            summary,
            get(API_HOST, API_PATH, &[("Authorization", &format!("Bearer {token}"))]),
            "The access token goes in the Authorization header, never in the URL, where it would end up in logs.",
        ));
        self.send(message(
            ResourceServer,
            Client,
            Response,
            "200 OK with the photos",
            json_response("200 OK", &[], photos()),
            "The resource server checks the token (its signature and expiry, or by asking the authorization server) and that its scope covers reading photos.",
        ));
    }

    fn access_token_expires(&mut self, renewal: TokenRenewal) {
        self.send(message(
            Client,
            ResourceServer,
            Request,
            "An hour later: the client calls the API with its old access token",
            get(API_HOST, API_PATH, &[("Authorization", &format!("Bearer {ACCESS_TOKEN}"))]),
            "The access token's hour is up, but the client has not noticed.",
        ));
        self.send(expired_token_answer());
        match renewal {
            TokenRenewal::RefreshToken => {
                self.send(message(
                    Client,
                    AuthorizationServer,
                    Request,
                    "The client trades its refresh token for a new access token",
                    self.refresh_request(REFRESH_TOKEN),
                    "On the back channel, with no user involved. Only the authorization server ever sees the refresh token; the API never does.",
                ));
                self.tokens_renewed();
            }
            TokenRenewal::SilentRedirect => self.silent_renewal(),
        }
        self.call_api(NEW_ACCESS_TOKEN, "Retry the same call with the new access token");
    }

    fn silent_renewal(&mut self) {
        let inputs = self.inputs;
        let pairs = [
            ("response_type", "token"),
            ("client_id", inputs.client_id.as_str()),
            ("redirect_uri", inputs.redirect_uri.as_str()),
            ("scope", inputs.scope.as_str()),
            ("state", inputs.state.as_str()),
            ("prompt", "none"),
        ];
        self.send(message(
            Client,
            Browser,
            Redirect,
            "No refresh token: the app must go back through /authorize",
            redirect(&authorize_url(&pairs)),
            "The implicit flow has no refresh token, so the app repeats the whole redirect, usually in a hidden iframe with prompt=none. Browsers that block third-party cookies break this silent renewal, one more reason the flow was dropped.",
        ));
        self.send(message(
            Browser,
            AuthorizationServer,
            Request,
            "The browser asks again, with the user's session cookie",
            get(AUTH_HOST, &format!("/authorize?{}", form_encode_pairs(&pairs)), &[("Cookie", AUTH_SESSION_COOKIE)]),
            "If the user's session at the authorization server is still alive, no sign-in page appears.",
        ));
        let callback = with_fragment(&inputs.redirect_uri, &[("access_token", NEW_ACCESS_TOKEN), ("token_type", "Bearer"), ("expires_in", "3600"), ("state", inputs.state.as_str())]);
        self.send(message(AuthorizationServer, Browser, Redirect, "A new token, again in the URL fragment", redirect(&callback), "Another token exposed in a URL, with the same risks as the first."));
    }

    fn refresh_request(&self, refresh_token: &str) -> String {
        post_form(AUTH_HOST, "/token", &[], &[("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", &self.inputs.client_id)])
    }

    fn tokens_renewed(&mut self) {
        self.send(message(
            AuthorizationServer,
            Client,
            Response,
            "200 OK with a new access token and a rotated refresh token",
            json_response("200 OK", &[("Cache-Control", "no-store")], token_response(NEW_ACCESS_TOKEN, Some(NEW_REFRESH_TOKEN), &self.inputs.scope)),
            "A fresh access token, and a new refresh token that replaces the old one (rotation): the old one now works nowhere, so a stolen copy is detected the moment it is used.",
        ));
    }

    fn client_credentials_grant(&mut self, issued: &str, summary: &str) {
        let inputs = self.inputs;
        // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
        let credentials = base64_encode(format!("{}:{}", form_urlencode(&inputs.client_id), form_urlencode(&inputs.client_secret)).as_bytes());
        self.send(message(
            Client,
            AuthorizationServer,
            Request,
            summary,
            post_form(AUTH_HOST, "/token", &[("Authorization", &format!("Basic {credentials}"))], &[("grant_type", "client_credentials"), ("scope", &inputs.scope)]),
            "A backend service with no user: it proves who it is with its client_id and client_secret (HTTP Basic), so this flow is only for clients that can keep a secret on a server.",
        ));
        self.send(message(
            AuthorizationServer,
            Client,
            Response,
            "200 OK with an access token (and no refresh token)",
            json_response("200 OK", &[("Cache-Control", "no-store")], token_response(issued, None, &inputs.scope)),
            "No refresh token: the client can always ask again with its own credentials.",
        ));
    }
}

fn expired_token_answer() -> Message {
    message(
        ResourceServer,
        Client,
        Response,
        "401 invalid_token: the access token has expired",
        unauthorized("The access token expired"),
        "The WWW-Authenticate header says why: invalid_token. The client should get a new access token and retry, not show the user an error.",
    )
    .refused()
}

fn consent_page(inputs: &FlowInputs) -> String {
    let asked = if inputs.scope.is_empty() { "access your account".to_string() } else { format!("use these permissions: {}", inputs.scope) };
    html_response("200 OK", &format!("Sign in, then: Allow \"{}\" to {asked}?  [Allow] [Deny]", inputs.client_id))
}

fn photos() -> Json {
    let photo = |id: &str, title: &str| object(&[("id", text(id)), ("title", text(title))]);
    object(&[("photos", Json::Array(vec![photo("p-1041", "Lighthouse at dusk"), photo("p-1042", "Harbour in the fog")]))])
}
