//! The TLS handshake visualizer: TLS 1.3's handshakes (full, with a HelloRetryRequest, resumed,
//! with 0-RTT data) and TLS 1.2's, stepped message by message, with the X25519 exchange and the
//! key schedule computed for real from private keys the reader may paste. With the default keys
//! every value is RFC 8448's. All of it comes from the model (`viz::tls`); this file lays it out.

use atlas::widgets::{ParamSet, ValidatedField};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::{stage, Controls, Runner};
use atlas_components::viz::tls::keys::{hex, parse_private_key, public_key};
use atlas_components::viz::tls::stage::stage as draw_stage;
use atlas_components::viz::tls::{time_to_data_ms, Action, Handshake, Mode, Party, Secret, Side, StepKind, TLS_LIMIT, TLS_PARAMS, TLS_TICKS_PER_SECOND};
use leptos::prelude::*;
use web_sys::HtmlElement;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |tool| view(Runner::<Handshake>::start(&tool, TLS_PARAMS, TLS_TICKS_PER_SECOND, TLS_LIMIT)));
}

fn view(runner: Runner<Handshake>) -> impl IntoView {
    let steps = move || runner.timeline.with_untracked(|t| t.state().steps().len());
    let keys = Memo::new(move |_| runner.timeline.with(|t| t.state().keys()));
    view! {
        {stage(runner, draw_stage)}
        <Controls runner=runner format_time=Callback::new(move |tick: u64| format!("step {} of {}", (tick as usize + 1).min(steps()), steps())) />
        <div class="viz__grid">
            <div class="viz__stage">
                {move || runner.timeline.with(|t| step_card(t.state()))}
                <details class="viz__fold">
                    <summary>"Every secret known so far"</summary>
                    {move || runner.timeline.with(|t| {
                        let known: Vec<Secret> = t.state().known().cloned().collect();
                        if known.is_empty() {
                            return view! { <p class="muted">"None yet: the first secret is computed once both key shares are known."</p> }.into_any();
                        }
                        view! { <dl class="tls-secrets">{known.into_iter().map(secret_row).collect_view()}</dl> }.into_any()
                    })}
                </details>
                <h3>"Round trips before the first request, by handshake"</h3>
                <div class="table-scroll" tabindex="0" role="region" aria-label="Round trips by handshake (scrolls sideways on narrow screens)">
                    <table>
                        <thead><tr><th scope="col">"Handshake"</th><th scope="col">"Round trips"</th><th scope="col">"First request after"</th></tr></thead>
                        <tbody>
                            {move || runner.timeline.with(|t| {
                                let (now, rtt) = (t.state().mode(), t.state().rtt_ms());
                                Mode::ALL.into_iter().map(|mode| view! {
                                    <tr class:tls-now=mode == now>
                                        <th scope="row">{mode.label()}{(mode == now).then_some(" (shown)")}</th>
                                        <td>{mode.data_round_trips()}</td>
                                        <td>{format!("{} ms", time_to_data_ms(mode, rtt))}</td>
                                    </tr>
                                }).collect_view()
                            })}
                        </tbody>
                    </table>
                </div>
                <p class="muted">"Counted from the first ClientHello, after TCP's own handshake (one more round trip before it). QUIC carries this handshake in its first round trip, so HTTP/3 saves that one."</p>
            </div>
            <div class="viz__panel">
                <ParamSet runner=runner legend="Handshake and network (start a new run)" keys=&["mode", "rtt"] />
                <fieldset>
                    <legend>"Ephemeral private keys (X25519)"</legend>
                    <p class="muted">"Paste 64 hex digits of your own to see every secret change. These are throwaway keys for this page, and they travel in the share link: never paste a real one. The defaults are RFC 8448's, so each value can be checked against it."</p>
                    {[Side::Client, Side::Server].into_iter().map(|side| {
                        let current = Signal::derive(move || {
                            let keys = keys.get();
                            hex(if side == Side::Client { &keys.client } else { &keys.server })
                        });
                        let public = move || {
                            let keys = keys.get();
                            hex(&public_key(if side == Side::Client { &keys.client } else { &keys.server }))
                        };
                        view! {
                            <ValidatedField
                                id=scoped_id(if side == Side::Client { "tls-client-key" } else { "tls-server-key" })
                                label=format!("The {}'s private key", side.word())
                                current=current
                                inputmode="text"
                                commit=Callback::new(move |text: String| {
                                    let key = parse_private_key(&text)?;
                                    runner.act(if side == Side::Client { Action::ClientKey(key) } else { Action::ServerKey(key) });
                                    Ok(())
                                })
                            />
                            <p class="tls-public">"Its public key (key_share): "<code class="tls-hex">{public}</code></p>
                        }
                    }).collect_view()}
                </fieldset>
            </div>
        </div>
    }
}

/// The step on screen: who does what, how it travels, its fields, and the secrets it reveals.
fn step_card(handshake: &Handshake) -> AnyView {
    let step = handshake.step_now().clone();
    let (who, how) = match step.kind {
        StepKind::Send { from, protection } => {
            let to = if from == Side::Client { "server" } else { "client" };
            (format!("The {} sends it to the {to}, round trip {}", from.word(), step.round_trip), protection.words().to_string())
        }
        StepKind::Compute { by } => {
            let who = match by {
                Party::Client => "The client computes",
                Party::Server => "The server computes",
                Party::Both => "Both sides compute",
            };
            (format!("{who}, round trip {}", step.round_trip), String::new())
        }
    };
    view! {
        <section class="tls-step" aria-label="The current step">
            <h3>{step.title}</h3>
            <p>{who}{(!how.is_empty()).then(|| format!(", {how}"))}"."</p>
            <p>{step.summary}</p>
            {(!step.fields.is_empty()).then(|| view! {
                <dl class="tls-fields">
                    {step.fields.into_iter().map(|field| view! { <div><dt>{field.name}</dt><dd><code class="tls-hex">{field.value}</code></dd></div> }).collect_view()}
                </dl>
            })}
            {(!step.note.is_empty()).then(|| view! { <p class="muted">{step.note}</p> })}
            {(!step.secrets.is_empty()).then(|| view! {
                <h4>"Secrets computed at this step"</h4>
                <dl class="tls-secrets">{step.secrets.into_iter().map(secret_row).collect_view()}</dl>
            })}
        </section>
    }
    .into_any()
}

fn secret_row(secret: Secret) -> impl IntoView {
    view! {
        <div>
            <dt>{secret.kind.label()}<span class="muted">{format!(" = {}", secret.formula)}</span></dt>
            <dd><code class="tls-hex">{hex(&secret.value)}</code></dd>
        </div>
    }
}
