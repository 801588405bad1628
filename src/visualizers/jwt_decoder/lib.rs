//! The JWT decoder: paste a token, see it cut into its three parts, read its header, payload
//! and claims, and verify it with a secret (HMAC, in Rust) or a PEM public key (RSA / EC, with
//! the browser's Web Crypto).
//! Everything stays on the page: decoded text is shown as text, and nothing is sent anywhere.

use atlas_components::viz::jwt::poster::anatomy;
use atlas_components::viz::jwt::{
    decode, parse_secret, pem_to_spki_der, public_key_kind, sample_tokens, verification_from_web_crypto, verify_hmac, web_crypto_algorithm,
    ClaimStatus, DecodedJwt, SecretEncoding, Severity, Verification, VerificationOutcome,
};
use js_sys::{Array, Object, Reflect, Uint8Array};
use atlas::harness::kit::{self, scoped_id};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |_| view());
}

fn now_seconds() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

#[derive(Clone, Copy, PartialEq)]
enum KeyMode {
    Secret,
    PublicKey,
}

fn view() -> impl IntoView {
    let samples = sample_tokens(now_seconds());
    let token = RwSignal::new(samples.first().map(|sample| sample.token.clone()).unwrap_or_default());
    let secret = RwSignal::new(samples.first().and_then(|sample| sample.secret.as_ref().map(|(text, _)| text.clone())).unwrap_or_default());
    let encoding = RwSignal::new(samples.first().and_then(|sample| sample.secret.as_ref().map(|(_, encoding)| *encoding)).unwrap_or(SecretEncoding::Text));
    let key_mode = RwSignal::new(KeyMode::Secret);
    let pem = RwSignal::new(String::new());
    let public_result = RwSignal::new(None::<Result<Verification, String>>);
    let samples = StoredValue::new(samples);

    let decoded = Memo::new(move |_| decode(&token.get()).map_err(|error| (error.to_string(), error.span)));

    let hmac_result = move || -> Option<Result<Verification, String>> {
        let Ok(jwt) = decoded.get() else { return None };
        if key_mode.get() != KeyMode::Secret {
            return None;
        }
        Some(parse_secret(&secret.get(), encoding.get()).map(|bytes| verify_hmac(&jwt, &bytes)))
    };

    let verify_public = move || {
        let Ok(jwt) = decoded.get_untracked() else { return };
        let pem_text = pem.get_untracked();
        public_result.set(None);
        spawn_local(async move {
            let outcome = verify_with_web_crypto(&jwt, &pem_text).await;
            public_result.try_set(Some(outcome));
        });
    };

    view! {
        <p class="viz-privacy"><strong>"Nothing leaves your browser."</strong>" Decoding and HMAC verification run in this page's WebAssembly; public-key checks use your browser's built-in Web Crypto. No request is made with your token or key."</p>
        // The token cut at its dots, what each part says and the verdict of the key given: one
        // string of SVG in which every text of the reader's is escaped by the model's `Sketch`.
        <div class="viz__scene" inner_html=move || {
            let text = token.get();
            let title = samples.with_value(|samples| samples.iter().find(|sample| sample.token == text).map(|sample| format!("Example: {}", sample.name))).unwrap_or_else(|| "Your token".to_string());
            let verdict = match key_mode.get() {
                KeyMode::Secret => hmac_result().and_then(Result::ok),
                KeyMode::PublicKey => public_result.get().and_then(Result::ok),
            };
            anatomy(&text, &title, verdict.as_ref().map(|verification| &verification.outcome), now_seconds()).map(|sketch| sketch.finish().svg).unwrap_or_default()
        }></div>
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="field">
                    <label for=scoped_id("jwt-example")>"Start from an example"</label>
                    <select id=scoped_id("jwt-example") on:change=move |event| {
                        let index: usize = event_target_value(&event).parse().unwrap_or(usize::MAX);
                        samples.with_value(|samples| if let Some(sample) = samples.get(index) {
                            token.set(sample.token.clone());
                            if let Some((text, kind)) = &sample.secret { secret.set(text.clone()); encoding.set(*kind); }
                        });
                    }>
                        {samples.with_value(|samples| samples.iter().enumerate().map(|(index, sample)| view! {
                            <option value=index.to_string()>{format!("{} — {}", sample.name, sample.description)}</option>
                        }).collect_view())}
                    </select>
                </div>
                <div class="field">
                    <label for=scoped_id("jwt-token")>"Token"</label>
                    <textarea id=scoped_id("jwt-token") rows="5" spellcheck="false" autocomplete="off"
                        aria-invalid=move || decoded.get().is_err().to_string() aria-describedby=scoped_id("jwt-error")
                        prop:value=move || token.get() on:input=move |event| token.set(event_target_value(&event))></textarea>
                    <div id=scoped_id("jwt-error") role="alert">{move || decoded.get().err().map(|(message, span)| view! {
                        <p class="field__error">{message}</p>
                        {span.map(|span| highlight(&token.get_untracked(), span))}
                    })}</div>
                </div>
                {move || decoded.get().ok().map(decoded_view)}
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Verify the signature"</legend>
                    <div class="button-row" role="radiogroup" aria-label="Key type">
                        <button type="button" class="chip" role="radio" aria-checked=move || (key_mode.get() == KeyMode::Secret).to_string() on:click=move |_| key_mode.set(KeyMode::Secret)>"Shared secret (HS256/384/512)"</button>
                        <button type="button" class="chip" role="radio" aria-checked=move || (key_mode.get() == KeyMode::PublicKey).to_string() on:click=move |_| key_mode.set(KeyMode::PublicKey)>"Public key (RS/PS/ES)"</button>
                    </div>
                    <div hidden=move || key_mode.get() != KeyMode::Secret>
                        <div class="field">
                            <label for=scoped_id("jwt-secret")>"Secret"</label>
                            <input id=scoped_id("jwt-secret") type="text" autocomplete="off" spellcheck="false" prop:value=move || secret.get() on:input=move |event| secret.set(event_target_value(&event)) />
                        </div>
                        <div class="field">
                            <label for=scoped_id("jwt-encoding")>"The secret is written as"</label>
                            <select id=scoped_id("jwt-encoding") on:change=move |event| encoding.set(match event_target_value(&event).as_str() { "base64url" => SecretEncoding::Base64url, "hex" => SecretEncoding::Hex, _ => SecretEncoding::Text })
                                prop:value=move || match encoding.get() { SecretEncoding::Text => "text", SecretEncoding::Base64url => "base64url", SecretEncoding::Hex => "hex" }>
                                <option value="text">"Plain text (UTF-8)"</option>
                                <option value="base64url">"base64url"</option>
                                <option value="hex">"Hex"</option>
                            </select>
                        </div>
                        <div aria-live="polite">{move || hmac_result().map(verification_view)}</div>
                    </div>
                    <div hidden=move || key_mode.get() != KeyMode::PublicKey>
                        <div class="field">
                            <label for=scoped_id("jwt-pem")>"Public key (PEM: -----BEGIN PUBLIC KEY-----)"</label>
                            <textarea id=scoped_id("jwt-pem") rows="6" spellcheck="false" prop:value=move || pem.get() on:input=move |event| pem.set(event_target_value(&event))></textarea>
                        </div>
                        <button type="button" class="button" on:click=move |_| verify_public()>"Verify with this key"</button>
                        <div aria-live="polite">{move || public_result.get().map(verification_view)}</div>
                    </div>
                </fieldset>
            </div>
        </div>
    }
}

/// The token with the offending characters marked, as text (never HTML).
fn highlight(token: &str, span: std::ops::Range<usize>) -> impl IntoView {
    let start = span.start.min(token.len());
    let end = span.end.clamp(start, token.len());
    let (start, end) = (floor_boundary(token, start), floor_boundary(token, end.max(start)));
    let context_start = floor_boundary(token, start.saturating_sub(24));
    let context_end = floor_boundary(token, (end + 24).min(token.len()));
    view! {
        <p class="mono-block jwt-highlight">
            {if context_start > 0 { "…" } else { "" }}
            {token[context_start..start].to_string()}
            <mark>{if start == end { "▮".to_string() } else { token[start..end].to_string() }}</mark>
            {token[end..context_end].to_string()}
            {if context_end < token.len() { "…" } else { "" }}
        </p>
    }
}

fn floor_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn decoded_view(jwt: DecodedJwt) -> impl IntoView {
    let claims = jwt.claims(now_seconds());
    let warnings = jwt.warnings();
    view! {
        {(!jwt.notes.is_empty()).then(|| view! { <ul class="jwt-notes">{jwt.notes.iter().map(|note| view! { <li>{note.clone()}</li> }).collect_view()}</ul> })}
        {(!warnings.is_empty()).then(|| view! {
            <ul class="jwt-warnings">
                {warnings.into_iter().map(|warning| {
                    let (class, label) = match warning.severity {
                        Severity::Danger => ("jwt-warning jwt-warning--danger", "Danger"),
                        Severity::Caution => ("jwt-warning jwt-warning--caution", "Caution"),
                        Severity::Info => ("jwt-warning", "Note"),
                    };
                    view! { <li class=class><strong>{label}": "</strong>{warning.message}</li> }
                }).collect_view()}
            </ul>
        })}
        <div class="jwt-parts">
            <section>
                <h3>{format!("Header — alg {}", jwt.alg)}</h3>
                <pre class="mono-block">{jwt.header_pretty.clone()}</pre>
            </section>
            <section>
                <h3>"Payload"</h3>
                <pre class="mono-block">{jwt.payload_pretty.clone()}</pre>
            </section>
        </div>
        {(!claims.is_empty()).then(|| view! {
            <h3>"Registered claims"</h3>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Registered claims (scrolls sideways on narrow screens)">
                <table class="jwt-claims">
                    <thead><tr><th scope="col">"Claim"</th><th scope="col">"Value"</th><th scope="col">"Meaning"</th></tr></thead>
                    <tbody>
                        {claims.into_iter().map(|claim| {
                            let flag = claim.status.flag();
                            let detail = match &claim.status { ClaimStatus::Malformed(message) => Some(message.clone()), _ => None };
                            view! {
                                <tr>
                                    <th scope="row"><code>{claim.name}</code>" "{claim.label}</th>
                                    <td>{claim.value_text}{claim.relative.map(|relative| format!(" ({relative})"))}
                                        {flag.map(|flag| view! { " " <span class="badge badge--warn">{flag}</span> })}
                                        {detail.map(|detail| view! { <br/><span class="field__error">{detail}</span> })}
                                    </td>
                                    <td>{claim.meaning}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        <h3>"Signature"</h3>
        <p class="mono-block">{if jwt.signature_text.is_empty() { "(empty)".to_string() } else { jwt.signature_text.clone() }}</p>
    }
}

fn verification_view(result: Result<Verification, String>) -> impl IntoView {
    match result {
        Err(message) => view! { <p class="field__error">{message}</p> }.into_any(),
        Ok(verification) => {
            let (class, verdict) = match &verification.outcome {
                VerificationOutcome::Valid => ("jwt-verdict jwt-verdict--valid", "✓ Signature valid"),
                VerificationOutcome::Invalid => ("jwt-verdict jwt-verdict--invalid", "✗ Signature invalid"),
                VerificationOutcome::Unsigned => ("jwt-verdict jwt-verdict--invalid", "✗ Unsigned token"),
                VerificationOutcome::NotHmac { .. } => ("jwt-verdict", "Needs a public key"),
            };
            view! {
                <p class=class><strong>{verdict}</strong></p>
                <p>{verification.message}</p>
                {verification.computed_signature.map(|signature| view! { <p class="muted">"This secret signs it as: "<code class="mono-break">{signature}</code></p> })}
                <ul>{verification.warnings.into_iter().map(|warning| view! { <li>{warning.message}</li> }).collect_view()}</ul>
            }
            .into_any()
        }
    }
}

/// Verifies an RS/PS/ES token with the browser's Web Crypto: no RSA code ships in the wasm.
async fn verify_with_web_crypto(jwt: &DecodedJwt, pem: &str) -> Result<Verification, String> {
    let der = pem_to_spki_der(pem)?;
    let kind = public_key_kind(&der);
    let Some(algorithm) = web_crypto_algorithm(&jwt.alg) else {
        return Ok(verification_from_web_crypto(jwt, kind, false));
    };
    let subtle = web_sys::window().and_then(|window| window.crypto().ok()).map(|crypto| crypto.subtle()).ok_or("Web Crypto is not available in this browser.")?;
    let import = Object::new();
    let set = |object: &Object, key: &str, value: JsValue| Reflect::set(object, &JsValue::from_str(key), &value).map(|_| ()).map_err(|_| "Web Crypto refused the settings.".to_string());
    set(&import, "name", algorithm.name.into())?;
    set(&import, "hash", algorithm.hash.into())?;
    if let Some(curve) = algorithm.named_curve {
        set(&import, "namedCurve", curve.into())?;
    }
    let usages = Array::of1(&JsValue::from_str("verify"));
    let key_data = Uint8Array::from(der.as_slice());
    let promise = subtle.import_key_with_object("spki", &key_data, &import, false, &usages).map_err(|_| "The browser could not read this key.".to_string())?;
    let key: web_sys::CryptoKey = JsFuture::from(promise)
        .await
        .map_err(|_| format!("The browser could not use this key for {}: is it the right kind of key for this algorithm?", jwt.alg))?
        .dyn_into()
        .map_err(|_| "Unexpected key object.".to_string())?;
    let verify = Object::new();
    set(&verify, "name", algorithm.name.into())?;
    set(&verify, "hash", algorithm.hash.into())?;
    if let Some(salt) = algorithm.salt_length {
        set(&verify, "saltLength", salt.into())?;
    }
    let signature = jwt.signature.clone();
    let data = jwt.signing_input.as_bytes().to_vec();
    let promise = subtle
        .verify_with_object_and_u8_array_and_u8_array(&verify, &key, &signature, &data)
        .map_err(|_| "The browser could not run the verification.".to_string())?;
    let verified = JsFuture::from(promise).await.map(|value| value.as_bool().unwrap_or(false)).unwrap_or(false);
    Ok(verification_from_web_crypto(jwt, kind, verified))
}
