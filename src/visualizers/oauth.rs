//! The OAuth 2.0 flows visualizer: five flows as sequences between browser, client,
//! authorization server and resource server, stepped message by message with the real HTTP,
//! failures to trigger, and PKCE computed for real from a verifier the reader types.

use crate::harness::{Controls, Runner};
use atlas_components::sim::SimRng;
use atlas_components::viz::oauth::{generate_verifier, messages, pkce_challenge, Actor, Failure, Flow, FlowInputs, FlowWalk, MessageKind, PARAMS};
use crate::harness::kit::{self, scoped_id};
use leptos::prelude::*;
use web_sys::HtmlElement;

const FLOWS: [Flow; 5] = [Flow::AuthorizationCodePkce, Flow::ClientCredentials, Flow::DeviceCode, Flow::RefreshToken, Flow::Implicit];
const LANE: f64 = 150.0;
const ROW: f64 = 34.0;
const TOP: f64 = 56.0;

pub fn mount(section: HtmlElement) {
    // Stepping, not playing: one message per second at 1×.
    kit::mount(section, |tool| view(Runner::<FlowWalk>::start(&tool, PARAMS, 1.0, 200)));
}

fn view(runner: Runner<FlowWalk>) -> impl IntoView {
    let verifier = RwSignal::new(FlowInputs::default().code_verifier);
    let selection = move || runner.timeline.with(|t| (t.state().flow, t.state().failure));
    let challenge = move || pkce_challenge(&verifier.get());
    let flow_messages = Memo::new(move |_| {
        let (flow, failure) = selection();
        let mut inputs = FlowInputs::default();
        if challenge().is_ok() {
            inputs.code_verifier = verifier.get();
        }
        messages(flow, failure, &inputs)
    });
    let current = move || runner.timeline.with(|t| t.state().current());

    let diagram = move || {
        let (flow, _) = selection();
        let actors = flow.actors();
        let lane = |actor: Actor| actors.iter().position(|a| *a == actor).unwrap_or(0) as f64 * LANE + LANE / 2.0;
        let list = flow_messages.get();
        let at = current();
        let width = actors.len() as f64 * LANE;
        let height = TOP + list.len() as f64 * ROW + 16.0;
        view! {
            <svg class="oauth-seq" viewBox=format!("0 0 {width} {height}") role="img"
                aria-label=format!("{}: {} messages between {}", flow.label(), list.len(), actors.iter().map(|a| a.label()).collect::<Vec<_>>().join(", "))>
                {actors.iter().map(|actor| {
                    let x = lane(*actor);
                    view! {
                        <g class="oauth-actor">
                            <rect x=x - 66.0 y=6 width=132 height=34 rx=6 />
                            <text x=x y=28 text-anchor="middle">{actor.label()}</text>
                            <line x1=x x2=x y1=40 y2=height - 4.0 />
                        </g>
                    }
                }).collect_view()}
                {list.iter().enumerate().map(|(index, message)| {
                    let (x1, x2) = (lane(message.from), lane(message.to));
                    let y = TOP + index as f64 * ROW + ROW / 2.0;
                    let state = if index == at { "is-current" } else if index < at { "is-past" } else { "is-future" };
                    let kind = match message.kind { MessageKind::Request => "request", MessageKind::Response => "response", MessageKind::Redirect => "redirect", MessageKind::UserAction => "user" };
                    let class = format!("oauth-msg oauth-msg--{kind} {state}{}", if message.is_error { " oauth-msg--error" } else { "" });
                    let direction = if x2 >= x1 { 1.0 } else { -1.0 };
                    let self_message = (x1 - x2).abs() < 1.0;
                    let path = if self_message { format!("M{x1} {} h26 v12 h-24", y - 6.0) } else { format!("M{x1} {y} L{} {y}", x2 - direction * 6.0) };
                    let head_x = if self_message { x1 + 2.0 } else { x2 };
                    let head_y = if self_message { y + 6.0 } else { y };
                    let head_dir = if self_message { -1.0 } else { direction };
                    let label = format!("{}{}. {}", if message.is_error { "✗ " } else { "" }, index + 1, message.summary);
                    let label_x = if self_message { x1 + 32.0 } else { (x1 + x2) / 2.0 };
                    view! {
                        <g class=class on:click=move |_| runner.seek(index as u64)>
                            <path class="oauth-msg__line" d=path />
                            <path class="oauth-msg__head" d=format!("M{head_x} {head_y} l{} -5 v10 z", -9.0 * head_dir) />
                            <text x=label_x y=y - 5.0 text-anchor=if self_message { "start" } else { "middle" }>{label}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        }
    };

    let detail = move || {
        let list = flow_messages.get();
        list.get(current()).cloned().map(|message| view! {
            <div class=if message.is_error { "oauth-detail oauth-detail--error" } else { "oauth-detail" }>
                <h3>{format!("{}{}. {} → {}: {}", if message.is_error { "✗ " } else { "" }, current() + 1, message.from.label(), message.to.label(), message.summary)}</h3>
                <pre class="mono-block">{message.http.clone()}</pre>
                <p>{message.explanation.clone()}</p>
            </div>
        })
    };

    let set = move |key: &'static str, value: String| {
        let _ = runner.set_param(key, &value);
    };

    view! {
        <Controls runner=runner format_time=Callback::new(move |tick: u64| {
            let count = runner.timeline.with_untracked(|t| t.state().message_count());
            format!("message {} of {count}", (tick as usize).min(count.saturating_sub(1)) + 1)
        }) />
        <div class="viz__grid">
            <div class="viz__stage">
                <div class="oauth-seq-wrap" tabindex="0" role="region" aria-label="The message sequence (scrolls sideways on narrow screens)">{diagram}</div>
                {detail}
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Flow"</legend>
                    <div class="field">
                        <label for=scoped_id("oauth-flow")>"Flow"</label>
                        <select id=scoped_id("oauth-flow") prop:value=move || selection().0.slug() on:change=move |event| { set("failure", "none".into()); set("flow", event_target_value(&event)); }>
                            {FLOWS.iter().map(|flow| view! { <option value=flow.slug()>{flow.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <p class="muted">{move || selection().0.summary()}</p>
                    {move || selection().0.deprecated().map(|why| view! { <p class="oauth-deprecated"><strong>"Deprecated. "</strong>{why}</p> })}
                    <div class="field">
                        <label for=scoped_id("oauth-failure")>"What goes wrong"</label>
                        <select id=scoped_id("oauth-failure") prop:value=move || selection().1.slug() on:change=move |event| set("failure", event_target_value(&event))>
                            {move || {
                                let flow = selection().0;
                                std::iter::once(Failure::None).chain(flow.failures().iter().copied()).map(|failure| view! {
                                    <option value=failure.slug()>{failure.label(flow)}</option>
                                }).collect_view()
                            }}
                        </select>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"PKCE, computed here"</legend>
                    <div class="field">
                        <label for=scoped_id("oauth-verifier")>"code_verifier (43 to 128 characters)"</label>
                        <input id=scoped_id("oauth-verifier") type="text" spellcheck="false" autocomplete="off"
                            prop:value=move || verifier.get() on:input=move |event| verifier.set(event_target_value(&event))
                            aria-invalid=move || challenge().is_err().to_string() aria-describedby=scoped_id("oauth-verifier-result") />
                    </div>
                    <button type="button" class="button" on:click=move |_| {
                        let mut rng = SimRng::new((js_sys::Math::random() * 9.0e15) as u64);
                        verifier.set(generate_verifier(&mut rng));
                    }>"Generate a random verifier"</button>
                    <div id=scoped_id("oauth-verifier-result") aria-live="polite">
                        {move || match challenge() {
                            Ok(challenge) => view! { <p>"code_challenge (S256) = BASE64URL(SHA-256(verifier)):"</p><p class="mono-block">{challenge}</p> }.into_any(),
                            Err(message) => view! { <p class="field__error">{message}" The flow keeps using the last valid verifier."</p> }.into_any(),
                        }}
                    </div>
                </fieldset>
            </div>
        </div>
    }
}
