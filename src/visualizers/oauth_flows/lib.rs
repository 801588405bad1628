//! The OAuth 2.0 flows visualizer: five flows as sequences between browser, client,
//! authorization server and resource server, stepped message by message with the real HTTP,
//! failures to trigger, and PKCE computed for real from a verifier the reader types.

use atlas::harness::{Controls, Phase, Runner};
use atlas_components::sim::SimRng;
use atlas_components::viz::oauth::{generate_verifier, messages, pkce_challenge, Actor, Failure, Flow, FlowInputs, FlowWalk, MessageKind, PARAMS};
use atlas::harness::fit::{fitted_width, island, FitWidth};
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::ruler::{self, Font};
use leptos::prelude::*;
use web_sys::HtmlElement;

const FLOWS: [Flow; 5] = [Flow::AuthorizationCodePkce, Flow::ClientCredentials, Flow::DeviceCode, Flow::RefreshToken, Flow::Implicit];
/// The sequence is laid out for the width it is shown at, from a 360 px phone up.
const FIT: FitWidth = FitWidth { min: 280.0, max: 760.0 };
/// Fonts as in the stylesheet (`.oauth-actor text`, `.oauth-msg text`). Labels are measured
/// bold, as the current message is drawn, so stepping never reflows the sequence.
const ACTOR_FONT: Font = Font::bold(12.0);
const LABEL_FONT: Font = Font::bold(11.0);
/// Line height of a label, and the gaps around an arrow.
const LINE: f64 = 13.0;
const LABEL_TO_ARROW: f64 = 7.0;
const ROW_GAP: f64 = 8.0;
/// Space kept between a label and the drawing's edge, and inside an actor's box.
const EDGE: f64 = 4.0;
const BOX_PADDING: f64 = 6.0;
const WIDEST_BOX: f64 = 160.0;

pub fn mount(section: HtmlElement) {
    // Stepping, not playing: one message per second at 1×.
    kit::mount(section, |tool| view(Runner::<FlowWalk>::start(&tool, PARAMS, 1.0, 200)));
}

/// A name that fits a phone's narrow lanes.
fn short_label(actor: Actor) -> &'static str {
    match actor {
        Actor::AuthorizationServer => "Auth server",
        Actor::ResourceServer => "API",
        other => other.label(),
    }
}

/// An actor's name as the lines that fit `room` px: the full name on one or two lines, else
/// the short name; `None` when even that does not fit.
fn actor_lines(actor: Actor, room: f64) -> Option<Vec<String>> {
    [actor.label(), short_label(actor)].into_iter().find_map(|name| {
        let lines = ruler::wrap(name, ACTOR_FONT, room);
        (lines.len() <= 2 && lines.iter().all(|line| ruler::text_width(line, ACTOR_FONT) <= room)).then_some(lines)
    })
}

/// Where each actor's box goes: in one row when every name fits its lane, else staggered over
/// two rows, each box then as wide as two lanes.
struct Headers {
    /// Per actor: its lifeline's x, its box's centre x, width and top, and the lines of its name.
    boxes: Vec<(f64, f64, f64, f64, Vec<String>)>,
    box_height: f64,
    bottom: f64,
}

fn lay_out_headers(actors: &[Actor], width: f64) -> Headers {
    let lane = width / actors.len() as f64;
    let centre = |index: usize| lane * (index as f64 + 0.5);
    let try_width = |box_width: f64| actors.iter().map(|actor| actor_lines(*actor, box_width - 2.0 * BOX_PADDING)).collect::<Option<Vec<_>>>();
    let single = (lane - 6.0).min(WIDEST_BOX);
    let (names, box_width, staggered) = match try_width(single) {
        Some(names) => (names, single, false),
        None => {
            let double = (2.0 * lane - 6.0).min(WIDEST_BOX);
            let names = try_width(double).unwrap_or_else(|| actors.iter().map(|actor| vec![short_label(*actor).to_string()]).collect());
            (names, double, true)
        }
    };
    let most_lines = names.iter().map(Vec::len).max().unwrap_or(1);
    let box_height = most_lines as f64 * LINE + 2.0 * BOX_PADDING + 2.0;
    let row = |index: usize| if staggered && index % 2 == 1 { box_height + 6.0 } else { 0.0 };
    // A box wider than its lane is centred on its lifeline; at the edges of the drawing it is cut
    // to fit rather than pushed inwards (pushed, it overlapped its neighbour in the same row at
    // 360 px), and its name is fitted again to what is left.
    let boxes = names
        .into_iter()
        .enumerate()
        .map(|(index, lines)| {
            let x = centre(index);
            let (left, right) = ((x - box_width / 2.0).max(2.0), (x + box_width / 2.0).min(width - 2.0));
            let cut = right - left < box_width;
            match (cut, actor_lines(actors[index], right - left - 2.0 * BOX_PADDING)) {
                (false, _) => (x, x, box_width, 6.0 + row(index), lines),
                (true, Some(fitted)) if fitted.len() <= most_lines => (x, (left + right) / 2.0, right - left, 6.0 + row(index), fitted),
                // Too narrow for even the short name: keep the full box inside the drawing.
                (true, _) => (x, x.clamp(box_width / 2.0 + 2.0, width - box_width / 2.0 - 2.0), box_width, 6.0 + row(index), lines),
            }
        })
        .collect();
    let bottom = 6.0 + box_height + if staggered { box_height + 6.0 } else { 0.0 };
    Headers { boxes, box_height, bottom }
}

fn view(runner: Runner<FlowWalk>) -> impl IntoView {
    let verifier = RwSignal::new(FlowInputs::default().code_verifier);
    // Memos, so that what depends on the flow is not rebuilt on each step, and a step changes
    // only the two messages it moves between and the detail below.
    let selection = Memo::new(move |_| runner.timeline.with(|t| (t.state().flow, t.state().failure)));
    let challenge = move || pkce_challenge(&verifier.get());
    let flow_messages = Memo::new(move |_| {
        let (flow, failure) = selection.get();
        let mut inputs = FlowInputs::default();
        if challenge().is_ok() {
            inputs.code_verifier = verifier.get();
        }
        messages(flow, failure, &inputs)
    });
    // The drawing follows every step; while the run plays, the detail below it follows in a
    // frame of its own (see `Phase`): a step that changed both in one frame took 19 to 24 ms with
    // the CPU throttled 4x (Chromium trace at 8x, 2026-12-08).
    let current = Memo::new(move |_| runner.timeline.with(|t| t.state().current()));
    let detail_phase = Phase::block();
    let detail_at = Memo::new(move |_| runner.with_sampled_in(detail_phase, |t| t.state().current()));
    let container = NodeRef::new();
    let detail_island = island();
    let width = fitted_width(container, FIT);

    let diagram = move || {
        let (flow, _) = selection.get();
        let actors = flow.actors();
        let width = width.get();
        let lane_width = width / actors.len() as f64;
        let lane = |actor: Actor| actors.iter().position(|a| *a == actor).unwrap_or(0) as f64 * lane_width + lane_width / 2.0;
        let list = flow_messages.get();
        let headers = lay_out_headers(actors, width);
        // Each message: its label on its own lines above the arrow, centred on the arrow but
        // kept inside the drawing, wrapped when wider than the drawing.
        let mut top = headers.bottom + 8.0;
        let rows: Vec<_> = list
            .iter()
            .enumerate()
            .map(|(index, message)| {
                let label = format!("{}{}. {}", if message.is_error { "✗ " } else { "" }, index + 1, message.summary);
                let lines = ruler::wrap(&label, LABEL_FONT, width - 2.0 * EDGE);
                let label_width = lines.iter().map(|line| ruler::text_width(line, LABEL_FONT)).fold(0.0, f64::max);
                let (x1, x2) = (lane(message.from), lane(message.to));
                let self_message = (x1 - x2).abs() < 1.0;
                let middle = if self_message { x1 + 13.0 } else { (x1 + x2) / 2.0 };
                let label_x = middle.clamp(EDGE + label_width / 2.0, (width - EDGE - label_width / 2.0).max(EDGE + label_width / 2.0));
                let row_top = top;
                let arrow_y = row_top + lines.len() as f64 * LINE + LABEL_TO_ARROW;
                top = arrow_y + ROW_GAP + if self_message { 12.0 } else { 0.0 };
                (index, message, lines, label_x, row_top, arrow_y, x1, x2, self_message)
            })
            .collect();
        let height = top + 4.0;
        // Where each message's token sets out and comes to rest: a lane away along its arrow, by
        // its arrowhead (none for a message an actor sends itself).
        let journeys: Vec<Option<(f64, f64, f64)>> = rows
            .iter()
            .map(|&(_, _, _, _, _, y, x1, x2, self_message)| (!self_message).then(|| (x1, x2 - if x2 >= x1 { 10.0 } else { -10.0 }, y)))
            .collect();
        // The current message travels: a token moves from its sender to its receiver, faster at
        // higher speeds (a CSS animation, `.oauth-msg__token`, which starts each time a step puts
        // the token in; with reduced motion it is simply there). It is drawn on a sheet of its own
        // over the sequence, with the same viewBox: moved inside the sequence, it made the
        // browser lay out and repaint all of its words in every frame of the journey (a frame's
        // median went from 1.5 to 6 ms with the CPU throttled 4x, Chromium trace, 2026-12-08).
        // Keyed by the message, so that each step puts in a new token, whose animation starts
        // afresh (a token updated in place would keep its finished animation).
        let token = view! {
            <For each=move || { let at = current.get(); journeys.get(at).copied().flatten().map(|journey| (at, journey)) }
                key=|(at, _)| *at
                children=move |(_, (x1, end, y))| {
                    let seconds = (0.8 / runner.speed.get_untracked().max(0.25)).min(0.6);
                    view! {
                        <circle class="oauth-msg__token" cx=end cy=y r="5"
                            style:--oauth-from=format!("{:.1}px", x1 - end) style:animation-duration=format!("{seconds:.2}s") />
                    }
                } />
        };
        let view_box = format!("0 0 {width} {height}");
        view! {
            <svg class="oauth-seq fitted" viewBox=view_box.clone() role="img"
                aria-label=format!("{}: {} messages between {}", flow.label(), list.len(), actors.iter().map(|a| a.label()).collect::<Vec<_>>().join(", "))>
                {actors.iter().zip(headers.boxes).map(|(actor, (x, box_x, box_width, box_top, lines))| {
                    let lifeline_top = box_top + headers.box_height;
                    let first_baseline = box_top + BOX_PADDING + LINE - 2.0 + (headers.box_height - 2.0 * BOX_PADDING - 2.0 - lines.len() as f64 * LINE) / 2.0;
                    view! {
                        <g class="oauth-actor">
                            <title>{actor.label()}</title>
                            <rect x=box_x - box_width / 2.0 y=box_top width=box_width height=headers.box_height rx=6 />
                            {lines.into_iter().enumerate().map(|(line, text)| view! {
                                <text x=box_x y=first_baseline + line as f64 * LINE text-anchor="middle">{text}</text>
                            }).collect_view()}
                            <line x1=x x2=x y1=lifeline_top y2=height - 4.0 />
                        </g>
                    }
                }).collect_view()}
                {rows.into_iter().map(|(index, message, lines, label_x, row_top, y, x1, x2, self_message)| {
                    let kind = match message.kind { MessageKind::Request => "request", MessageKind::Response => "response", MessageKind::Redirect => "redirect", MessageKind::UserAction => "user" };
                    let error = if message.is_error { " oauth-msg--error" } else { "" };
                    let class = move || {
                        let at = current.get();
                        let state = if index == at { "is-current" } else if index < at { "is-past" } else { "is-future" };
                        format!("oauth-msg oauth-msg--{kind} {state}{error}")
                    };
                    let direction = if x2 >= x1 { 1.0 } else { -1.0 };
                    let path = if self_message { format!("M{x1} {} h26 v12 h-24", y - 6.0) } else { format!("M{x1} {y} L{} {y}", x2 - direction * 6.0) };
                    let head_x = if self_message { x1 + 2.0 } else { x2 };
                    let head_y = if self_message { y + 6.0 } else { y };
                    let head_dir = if self_message { -1.0 } else { direction };
                    view! {
                        <g class=class on:click=move |_| runner.seek(index as u64)>
                            <path class="oauth-msg__line" d=path />
                            <path class="oauth-msg__head" d=format!("M{head_x} {head_y} l{} -5 v10 z", -9.0 * head_dir) />
                            {lines.into_iter().enumerate().map(|(line, text)| view! {
                                <text x=label_x y=row_top + (line + 1) as f64 * LINE - 3.0 text-anchor="middle">{text}</text>
                            }).collect_view()}
                        </g>
                    }
                }).collect_view()}
            </svg>
            <svg class="oauth-seq__tokens" viewBox=view_box aria-hidden="true">{token}</svg>
        }
    };

    let detail = move || {
        let list = flow_messages.get();
        let at = detail_at.get();
        list.get(at).cloned().map(|message| view! {
            <div class=if message.is_error { "oauth-detail oauth-detail--error" } else { "oauth-detail" }>
                <h3>{format!("{}{}. {} → {}: {}", if message.is_error { "✗ " } else { "" }, at + 1, message.from.label(), message.to.label(), message.summary)}</h3>
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
                <div class="oauth-seq-wrap viz__drawing" node_ref=container>{diagram}</div>
                // Each step rewrites the detail: in an island, it lays out only itself.
                <div class="viz__island oauth-detail-island" node_ref=detail_island><div>{detail}</div></div>
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Flow"</legend>
                    <div class="field">
                        <label for=scoped_id("oauth-flow")>"Flow"</label>
                        <select id=scoped_id("oauth-flow") prop:value=move || selection.get().0.slug() on:change=move |event| { set("failure", "none".into()); set("flow", event_target_value(&event)); }>
                            {FLOWS.iter().map(|flow| view! { <option value=flow.slug()>{flow.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <p class="muted">{move || selection.get().0.summary()}</p>
                    {move || selection.get().0.deprecated().map(|why| view! { <p class="oauth-deprecated"><strong>"Deprecated. "</strong>{why}</p> })}
                    <div class="field">
                        <label for=scoped_id("oauth-failure")>"What goes wrong"</label>
                        <select id=scoped_id("oauth-failure") prop:value=move || selection.get().1.slug() on:change=move |event| set("failure", event_target_value(&event))>
                            {move || {
                                let flow = selection.get().0;
                                std::iter::once(Failure::None).chain(flow.failures().iter().copied()).map(|failure| view! {
                                    <option value=failure.slug()>{failure.label(flow)}</option>
                                }).collect_view()
                            }}
                        </select>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"PKCE, computed here"</legend>
                    // Not a ValidatedField: the challenge is computed as each character is typed,
                    // and the verdict (the challenge, or why the verifier is refused) is the result
                    // shown below, not an error under the field.
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
