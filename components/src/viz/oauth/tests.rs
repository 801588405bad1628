use super::*;
use crate::sim::query::parse_query;
use crate::viz::encoding::base64_decode;
use proptest::prelude::*;

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect()
}

/// The query of the first `Location:` header pointing at `prefix`.
fn location_query(messages: &[Message], prefix: &str) -> Vec<(String, String)> {
    let location = messages
        .iter()
        .filter_map(|message| message.http.lines().find_map(|line| line.strip_prefix("Location: ")))
        .find(|location| location.starts_with(prefix))
        .unwrap_or_else(|| panic!("no Location starting with {prefix}"));
    let query = location.get(prefix.len()..).unwrap();
    parse_query(query.trim_start_matches(['?', '&', '#']))
}

/// The decoded form body of a POST message.
fn form_body(message: &Message) -> Vec<(String, String)> {
    let (_, body) = message.http.split_once("\n\n").expect("a form body");
    parse_query(body)
}

fn first_error(messages: &[Message]) -> usize {
    messages.iter().position(|message| message.is_error).expect("an error step")
}

// ---- PKCE ----

#[test]
fn rfc7636_appendix_b_vector() {
    // The verifier is base64url of these 32 octets (RFC 7636 Appendix B).
    let octets = [116, 24, 223, 180, 151, 153, 224, 37, 79, 250, 96, 125, 216, 173, 187, 186, 22, 212, 37, 77, 105, 214, 191, 240, 91, 88, 5, 88, 83, 132, 141, 121];
    assert_eq!(crate::viz::encoding::base64url_encode(&octets), RFC7636_VERIFIER);
    assert_eq!(pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    // And the hash octets the RFC lists before encoding them.
    let hash = [19, 211, 30, 150, 26, 26, 216, 236, 47, 22, 177, 12, 76, 152, 46, 8, 118, 168, 120, 173, 109, 241, 68, 86, 110, 225, 137, 74, 203, 112, 249, 195];
    assert_eq!(crate::viz::encoding::base64url_encode(&hash), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

#[test]
fn verifier_rules_have_precise_messages() {
    let verifier_of = |length: usize| "a".repeat(length);
    assert!(pkce_challenge(&verifier_of(43)).is_ok());
    assert!(pkce_challenge(&verifier_of(128)).is_ok());
    assert!(pkce_challenge("AZaz09-._~AZaz09-._~AZaz09-._~AZaz09-._~abc").is_ok(), "all unreserved characters are allowed");
    assert_eq!(
        pkce_challenge(&verifier_of(42)).unwrap_err(),
        "The code_verifier has 42 characters; RFC 7636 requires at least 43 (32 random bytes in base64url) so it cannot be guessed."
    );
    assert_eq!(pkce_challenge(&verifier_of(129)).unwrap_err(), "The code_verifier has 129 characters; RFC 7636 allows at most 128.");
    assert!(pkce_challenge("").unwrap_err().starts_with("The code_verifier is empty"));
    let spaced = format!("abcd efg{}", verifier_of(40));
    assert_eq!(pkce_challenge(&spaced).unwrap_err(), "Character 5 of the code_verifier, a space, is not allowed; use only A–Z, a–z, 0–9 and - . _ ~");
    assert!(pkce_challenge(&format!("{}+", verifier_of(50))).unwrap_err().starts_with("Character 51 of the code_verifier, '+',"));
    assert!(pkce_challenge(&format!("é{}", verifier_of(50))).unwrap_err().starts_with("Character 1 of the code_verifier, 'é',"));
    // The character rule is reported before the length rule.
    assert!(pkce_challenge("a b").unwrap_err().starts_with("Character 2"));
}

#[test]
fn generated_values_are_valid_and_seeded() {
    let mut rng = SimRng::new(7);
    let verifier = generate_verifier(&mut rng);
    assert_eq!(verifier.len(), 43);
    assert!(validate_verifier(&verifier).is_ok());
    assert_eq!(generate_state(&mut rng).len(), 22);
    assert_eq!(FlowInputs::generated(&mut SimRng::new(7)), FlowInputs::generated(&mut SimRng::new(7)));
    assert_ne!(FlowInputs::generated(&mut SimRng::new(7)), FlowInputs::generated(&mut SimRng::new(8)));
    assert!(FlowInputs::generated(&mut SimRng::new(1)).problems().is_empty());
}

// ---- inputs ----

#[test]
fn input_problems_name_the_field() {
    assert!(FlowInputs::default().problems().is_empty());
    let fields = |inputs: FlowInputs| inputs.problems().into_iter().map(|problem| problem.field).collect::<Vec<_>>();
    let with = |change: fn(&mut FlowInputs)| {
        let mut inputs = FlowInputs::default();
        change(&mut inputs);
        inputs
    };
    assert_eq!(fields(with(|inputs| inputs.state.clear())), ["state"]);
    assert_eq!(fields(with(|inputs| inputs.state = "xyz".into())), ["state"]);
    assert_eq!(fields(with(|inputs| inputs.client_id = "photo-prïnter".into())), ["client_id"]);
    assert_eq!(fields(with(|inputs| inputs.redirect_uri = "http://printer.example/cb".into())), ["redirect_uri"]);
    assert!(fields(with(|inputs| inputs.redirect_uri = "http://127.0.0.1:8080/cb".into())).is_empty());
    assert!(fields(with(|inputs| inputs.redirect_uri = "com.example.printer:/oauth".into())).is_empty(), "native app schemes are allowed");
    assert_eq!(fields(with(|inputs| inputs.redirect_uri = "https://printer.example/cb#x".into())), ["redirect_uri"]);
    assert_eq!(fields(with(|inputs| inputs.redirect_uri = "/callback".into())), ["redirect_uri"]);
    assert_eq!(fields(with(|inputs| inputs.scope = "photos.read  photos.write".into())), ["scope"]);
    assert_eq!(fields(with(|inputs| inputs.scope = "photos\"read".into())), ["scope"]);
    assert_eq!(fields(with(|inputs| inputs.code_verifier = "short".into())), ["code_verifier"]);
    let message = &with(|inputs| inputs.redirect_uri = "http://printer.example/cb".into()).problems()[0].message;
    assert!(message.contains("plain http"), "{message}");
}

// ---- the flows ----

#[test]
fn every_flow_and_failure_is_well_formed() {
    let inputs = FlowInputs::default();
    for flow in Flow::ALL {
        assert_eq!(flow.failures().first(), Some(&Failure::None));
        assert_eq!(Flow::from_slug(flow.slug()), Some(flow));
        for &failure in flow.failures() {
            assert_eq!(Failure::from_slug(failure.slug()), Some(failure));
            let messages = messages(flow, failure, &inputs);
            assert!(!messages.is_empty());
            for message in &messages {
                let context = format!("{flow:?}/{failure:?}: {}", message.summary);
                assert_ne!(message.from, message.to, "{context}");
                assert!(flow.actors().contains(&message.from) && flow.actors().contains(&message.to), "{context}");
                assert!(!message.summary.is_empty() && !message.summary.contains('\n'), "{context}");
                assert!(message.explanation.len() > 20, "{context}");
                let head = message.http.split("\n\n").next().unwrap();
                let first_line = head.lines().next().unwrap();
                match message.kind {
                    MessageKind::Request => {
                        let parts: Vec<&str> = first_line.split(' ').collect();
                        assert!(parts.len() == 3 && ["GET", "POST"].contains(&parts[0]) && parts[2] == "HTTP/1.1", "{context}: {first_line}");
                        assert!(head.lines().nth(1).unwrap().starts_with("Host: "), "{context}");
                    }
                    MessageKind::Response => assert!(first_line.starts_with("HTTP/1.1 "), "{context}"),
                    MessageKind::Redirect => {
                        assert_eq!(first_line, "HTTP/1.1 302 Found", "{context}");
                        assert!(head.lines().nth(1).unwrap().starts_with("Location: "), "{context}");
                    }
                    MessageKind::UserAction => assert!(!message.http.is_empty(), "{context}"),
                }
                if first_line.starts_with("POST") {
                    assert!(head.contains("\nContent-Type: application/x-www-form-urlencoded"), "{context}");
                }
                if message.http.contains("\"access_token\"") {
                    assert!(head.contains("\nCache-Control: no-store"), "{context}: token responses must not be cached");
                }
            }
            let has_error = messages.iter().any(|message| message.is_error);
            assert_eq!(has_error, failure != Failure::None, "{flow:?}/{failure:?}");
        }
    }
}

#[test]
fn authorization_request_and_token_request_carry_the_required_parameters() {
    let inputs = FlowInputs::default();
    let messages = messages(Flow::AuthorizationCodePkce, Failure::None, &inputs);
    assert_eq!(messages.len(), 12);
    let authorize = location_query(&messages, "https://auth.example/authorize?");
    assert_eq!(
        authorize,
        pairs(&[
            ("response_type", "code"),
            ("client_id", "photo-printer"),
            ("redirect_uri", "https://printer.example/callback"),
            ("scope", "photos.read"),
            ("state", "k2Rw9vQx1LmZ7tPa"),
            ("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"),
            ("code_challenge_method", "S256"),
        ])
    );
    // The code the server redirects with is the code the client redeems.
    let callback = location_query(&messages, "https://printer.example/callback?");
    assert_eq!(callback[1], ("state".to_string(), inputs.state.clone()));
    let code = callback[0].1.clone();
    let token_request = &messages[7];
    assert_eq!((token_request.from, token_request.to), (Actor::Client, Actor::AuthorizationServer));
    assert!(token_request.http.starts_with("POST /token HTTP/1.1\nHost: auth.example"));
    assert_eq!(
        form_body(token_request),
        pairs(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", "https://printer.example/callback"),
            ("client_id", "photo-printer"),
            ("code_verifier", RFC7636_VERIFIER),
        ])
    );
    // The callback request line is the redirect_uri's path plus the query.
    assert!(messages[6].http.starts_with(&format!("GET /callback?code={code}&state=k2Rw9vQx1LmZ7tPa HTTP/1.1\nHost: printer.example")));
    assert!(messages[8].http.contains("\"token_type\": \"Bearer\"") && messages[8].http.contains("\"refresh_token\""));
    assert!(messages[9].http.contains("\nAuthorization: Bearer "));
}

#[test]
fn failures_happen_at_the_documented_step() {
    let inputs = FlowInputs::default();
    let run = |flow, failure| messages(flow, failure, &inputs);

    let state = run(Flow::AuthorizationCodePkce, Failure::StateMismatch);
    assert_eq!((state.len(), first_error(&state)), (5, 4));
    assert_eq!((state[4].from, state[4].to), (Actor::Client, Actor::Browser));
    assert!(state[4].http.starts_with("HTTP/1.1 403 Forbidden") && state[4].summary.contains("state does not match"));
    assert!(state[3].http.contains("state=attacker-own-state-91c2"));

    let verifier = run(Flow::AuthorizationCodePkce, Failure::WrongVerifier);
    assert_eq!((verifier.len(), first_error(&verifier)), (9, 8));
    let sent = form_body(&verifier[7]);
    let sent_verifier = &sent.iter().find(|(key, _)| key == "code_verifier").unwrap().1;
    assert_ne!(sent_verifier, RFC7636_VERIFIER);
    assert!(validate_verifier(sent_verifier).is_ok(), "a well-formed but wrong verifier");
    assert!(verifier[8].http.starts_with("HTTP/1.1 400 Bad Request") && verifier[8].http.contains("\"error\": \"invalid_grant\""));

    let expired = run(Flow::AuthorizationCodePkce, Failure::ExpiredCode);
    assert_eq!((expired.len(), first_error(&expired)), (9, 8));
    assert!(expired[8].http.contains("\"error\": \"invalid_grant\"") && expired[8].http.contains("expired"));

    let reused = run(Flow::AuthorizationCodePkce, Failure::ReusedCode);
    assert_eq!((reused.len(), first_error(&reused)), (13, 10));
    assert_eq!(reused[9].http, reused[7].http, "the very same token request, replayed");
    assert!(reused[10].http.contains("already been used"));
    assert!(reused[12].http.starts_with("HTTP/1.1 401") && reused[12].is_error, "tokens from the code are revoked");

    let redirect = run(Flow::AuthorizationCodePkce, Failure::RedirectUriMismatch);
    assert_eq!((redirect.len(), first_error(&redirect)), (2, 1));
    assert!(redirect[0].http.contains("redirect_uri=https%3A%2F%2Fattacker.example%2Fcallback"));
    assert!(!redirect[1].http.contains("Location:"), "the server must not redirect to an unregistered URI");
    assert!(redirect[1].http.starts_with("HTTP/1.1 400 Bad Request"));

    let access = run(Flow::AuthorizationCodePkce, Failure::ExpiredAccessToken);
    assert_eq!((access.len(), first_error(&access)), (16, 10));
    assert!(access[10].http.contains("WWW-Authenticate: Bearer") && access[10].http.contains("error=\"invalid_token\""));
    assert_eq!(form_body(&access[11])[0], ("grant_type".to_string(), "refresh_token".to_string()));
    assert_eq!(form_body(&access[11])[1], ("refresh_token".to_string(), "tGzv3JOkF0XG5Qx2TlKWIA".to_string()));
    assert!(access[13].http.contains("Bearer mF9r4b0x2QyW7c1LdE5sZg"), "the retry uses the new token");
    assert!(access[14].http.starts_with("HTTP/1.1 200 OK"));
}

#[test]
fn other_flows_fail_where_they_should() {
    let inputs = FlowInputs::default();
    let run = |flow, failure| messages(flow, failure, &inputs);

    let credentials = run(Flow::ClientCredentials, Failure::None);
    assert_eq!(credentials.len(), 4);
    assert_eq!(form_body(&credentials[0]), pairs(&[("grant_type", "client_credentials"), ("scope", "photos.read")]));
    assert!(!credentials[1].http.contains("refresh_token"), "no refresh token for client credentials");
    let renewed = run(Flow::ClientCredentials, Failure::ExpiredAccessToken);
    assert_eq!((renewed.len(), first_error(&renewed)), (8, 3));
    assert_eq!(form_body(&renewed[4])[0].1, "client_credentials", "renewal is a new client_credentials grant");

    let device = run(Flow::DeviceCode, Failure::None);
    assert_eq!(device.len(), 14);
    assert_eq!(form_body(&device[3])[0], ("grant_type".to_string(), "urn:ietf:params:oauth:grant-type:device_code".to_string()));
    assert!(device[4].http.contains("authorization_pending") && !device[4].is_error, "pending is part of the normal flow");
    assert_eq!((device[2].from, device[2].to, device[2].kind), (Actor::Client, Actor::User, MessageKind::UserAction));
    assert!(device[2].http.contains("WDJB-MJHT"));
    let device_expired = run(Flow::DeviceCode, Failure::ExpiredCode);
    assert_eq!((device_expired.len(), first_error(&device_expired)), (7, 6));
    assert!(device_expired[6].http.contains("\"error\": \"expired_token\""));

    let refresh = run(Flow::RefreshToken, Failure::None);
    assert_eq!(refresh.len(), 4);
    assert_eq!(form_body(&refresh[0]), pairs(&[("grant_type", "refresh_token"), ("refresh_token", "tGzv3JOkF0XG5Qx2TlKWIA"), ("client_id", "photo-printer")]));
    let reactive = run(Flow::RefreshToken, Failure::ExpiredAccessToken);
    assert_eq!((reactive.len(), first_error(&reactive)), (6, 1));
    let replay = run(Flow::RefreshToken, Failure::ReusedCode);
    assert_eq!((replay.len(), first_error(&replay)), (6, 3));
    assert_eq!(replay[2].http, replay[0].http, "the old refresh token is presented again");
    assert!(replay[5].is_error, "the rotated token is revoked with its family");
    let stale = run(Flow::RefreshToken, Failure::ExpiredCode);
    assert_eq!((stale.len(), first_error(&stale)), (2, 1));

    let implicit = run(Flow::Implicit, Failure::None);
    assert_eq!(implicit.len(), 9);
    let authorize = location_query(&implicit, "https://auth.example/authorize?");
    assert_eq!(authorize[0], ("response_type".to_string(), "token".to_string()));
    assert!(!authorize.iter().any(|(key, _)| key.starts_with("code_challenge")));
    let fragment = location_query(&implicit, "https://printer.example/callback#");
    assert_eq!(fragment[0].0, "access_token");
    assert_eq!(implicit[6].http.lines().next(), Some("GET /callback HTTP/1.1"), "the fragment is never sent to the server");
    assert!(!implicit[6].http.contains("access_token"));
    let implicit_state = run(Flow::Implicit, Failure::StateMismatch);
    assert_eq!((implicit_state.len(), first_error(&implicit_state)), (5, 4));
    let implicit_expired = run(Flow::Implicit, Failure::ExpiredAccessToken);
    assert_eq!((implicit_expired.len(), first_error(&implicit_expired)), (14, 8));
    assert!(implicit_expired[9].http.contains("prompt=none"), "no refresh token: back through /authorize");
}

#[test]
fn implicit_is_deprecated_with_the_reason() {
    let note = Flow::Implicit.deprecated().unwrap();
    for reason in ["fragment", "history", "referrers", "OAuth 2.1", "Best Current Practice"] {
        assert!(note.contains(reason), "missing {reason}");
    }
    assert!(Flow::ALL.iter().filter(|flow| flow.deprecated().is_some()).eq([Flow::Implicit].iter()));
}

#[test]
fn failures_outside_a_flow_are_ignored() {
    let inputs = FlowInputs::default();
    assert!(!Failure::WrongVerifier.applies_to(Flow::ClientCredentials));
    assert_eq!(messages(Flow::ClientCredentials, Failure::WrongVerifier, &inputs), messages(Flow::ClientCredentials, Failure::None, &inputs));
    assert_eq!(Failure::ReusedCode.label(Flow::RefreshToken), "Old refresh token replayed");
    assert_eq!(Failure::ReusedCode.label(Flow::AuthorizationCodePkce), "Code used twice");
}

#[test]
fn parameters_are_url_encoded() {
    let inputs = FlowInputs {
        scope: "photos.read photos.write".into(),
        state: "a b&c=d/é".into(),
        redirect_uri: "https://printer.example/cb?app=1".into(),
        client_id: "photo printer".into(),
        client_secret: "p@ss:word".into(),
        ..FlowInputs::default()
    };
    let messages_for = |flow| messages(flow, Failure::None, &inputs);
    let code = messages_for(Flow::AuthorizationCodePkce);
    let location = code[1].http.lines().nth(1).unwrap();
    assert!(location.contains("&client_id=photo+printer&"), "{location}");
    assert!(location.contains("&redirect_uri=https%3A%2F%2Fprinter.example%2Fcb%3Fapp%3D1&"), "{location}");
    assert!(location.contains("&scope=photos.read+photos.write&"), "{location}");
    assert!(location.contains("&state=a+b%26c%3Dd%2F%C3%A9&"), "{location}");
    // Decoding gives back exactly what was typed.
    let decoded = location_query(&code, "https://auth.example/authorize?");
    assert_eq!(decoded[4], ("state".to_string(), inputs.state.clone()));
    assert_eq!(decoded[2], ("redirect_uri".to_string(), inputs.redirect_uri.clone()));
    // The redirect_uri already has a query: the code and state are appended with '&'.
    assert_eq!(code[5].http.lines().nth(1), Some("Location: https://printer.example/cb?app=1&code=SplxlOBeZQQYbYS6WxSbIA&state=a+b%26c%3Dd%2F%C3%A9"));
    assert!(code[6].http.starts_with("GET /cb?app=1&code=SplxlOBeZQQYbYS6WxSbIA&state=a+b%26c%3Dd%2F%C3%A9 HTTP/1.1"));

    // HTTP Basic for client credentials form-encodes id and secret before base64 (RFC 6749 §2.3.1).
    let credentials = messages_for(Flow::ClientCredentials);
    let basic = credentials[0].http.lines().find_map(|line| line.strip_prefix("Authorization: Basic ")).unwrap();
    assert_eq!(basic, "cGhvdG8rcHJpbnRlcjpwJTQwc3MlM0F3b3Jk");
    assert_eq!(base64_decode(basic).unwrap(), b"photo+printer:p%40ss%3Aword");
    assert!(credentials[0].http.ends_with("grant_type=client_credentials&scope=photos.read+photos.write"));
}

#[test]
fn the_same_inputs_give_the_same_messages() {
    let inputs = FlowInputs::generated(&mut SimRng::new(99));
    for flow in Flow::ALL {
        for &failure in flow.failures() {
            assert_eq!(messages(flow, failure, &inputs), messages(flow, failure, &inputs.clone()));
        }
    }
    let other = FlowInputs::generated(&mut SimRng::new(100));
    assert_ne!(messages(Flow::AuthorizationCodePkce, Failure::None, &inputs), messages(Flow::AuthorizationCodePkce, Failure::None, &other));
}

#[test]
fn url_parameters_round_trip_and_bad_values_fall_back() {
    let url = |list: &[(&str, &str)]| pairs(list);
    let (params, notes) = Params::from_pairs(PARAMS, &url(&[("flow", "device-code"), ("failure", "expired-code")]));
    assert!(notes.is_empty());
    assert_eq!(selection(&params), (Flow::DeviceCode, Failure::ExpiredCode));
    let (back, _) = Params::from_pairs(PARAMS, &params.to_pairs().into_iter().map(|(k, v)| (k.to_string(), v)).collect::<Vec<_>>());
    assert_eq!(back, params);
    // A failure that the flow does not have falls back to none.
    let (params, _) = Params::from_pairs(PARAMS, &url(&[("flow", "device-code"), ("failure", "state-mismatch")]));
    assert_eq!(selection(&params), (Flow::DeviceCode, Failure::None));
    let (params, notes) = Params::from_pairs(PARAMS, &url(&[("flow", "<script>"), ("failure", "nope")]));
    assert_eq!(notes.len(), 2);
    assert_eq!(selection(&params), (Flow::AuthorizationCodePkce, Failure::None));
    // The URL choices and the enums agree.
    for flow in Flow::ALL {
        assert!(FLOW_CHOICES.iter().any(|(slug, _)| *slug == flow.slug()));
    }
    for failure in Failure::ALL {
        assert!(FAILURE_CHOICES.iter().any(|(slug, _)| *slug == failure.slug()));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn any_typed_inputs_give_well_formed_http(
        client_id in "\\PC{0,20}",
        redirect_uri in "(https://[a-z.]{1,12}/[^#]{0,12}|\\PC{0,20})",
        scope in "\\PC{0,20}",
        state in "\\PC{0,20}",
        code_verifier in "\\PC{0,60}",
        secret in "\\PC{0,12}",
    ) {
        let inputs = FlowInputs { client_id, client_secret: secret, redirect_uri, scope, state, code_verifier };
        let _ = inputs.problems();
        for flow in Flow::ALL {
            for &failure in flow.failures() {
                for message in messages(flow, failure, &inputs) {
                    let head = message.http.split("\n\n").next().unwrap_or("");
                    let first_line = head.lines().next().unwrap_or("");
                    if message.kind == MessageKind::Request {
                        prop_assert_eq!(first_line.split(' ').count(), 3, "request line {:?}", first_line);
                    }
                    if message.kind != MessageKind::UserAction {
                        for header in head.lines().skip(1) {
                            prop_assert!(header.contains(": "), "header {:?} in {:?}", header, message.http);
                        }
                    }
                }
            }
        }
        // Whatever was typed, the authorization request decodes back to it.
        let code = messages(Flow::AuthorizationCodePkce, Failure::None, &inputs);
        let decoded = location_query(&code, "https://auth.example/authorize?");
        prop_assert_eq!(&decoded[1].1, &inputs.client_id);
        prop_assert_eq!(&decoded[3].1, &inputs.scope);
        prop_assert_eq!(&decoded[4].1, &inputs.state);
        prop_assert_eq!(&decoded[5].1, &s256(&inputs.code_verifier));
    }

    #[test]
    fn s256_is_always_43_base64url_characters(verifier in "\\PC{0,200}") {
        let challenge = s256(&verifier);
        prop_assert_eq!(challenge.len(), 43);
        prop_assert!(challenge.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        prop_assert_eq!(pkce_challenge(&verifier).is_ok(), validate_verifier(&verifier).is_ok());
    }
}
