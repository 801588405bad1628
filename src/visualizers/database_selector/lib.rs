//! The database selector: the ranking drawn first, six questions as radio groups, then the
//! shortlist with each store's reasons, trade-off and pattern pages, and which single answer
//! would change who comes first. There is no clock: the answers live in the URL (`shape`,
//! `access`, `special`, `consistency`, `scale`, `ops`), rewritten after every change so reload
//! and Share reproduce the page. All scoring lives in the model (`viz::selector`).

use atlas::harness::copy_to_clipboard;
use atlas::dom;
use atlas::harness::kit::{self, scoped_id};
use atlas_components::viz::selector::poster::picture;
use atlas_components::viz::selector::{signed, verdict, Answer, Answers, Question, Scored, Verdict, REQUIREMENT_PENALTY};
use leptos::prelude::*;
use web_sys::HtmlElement;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |_| view());
}

fn view() -> impl IntoView {
    let address = atlas::harness::use_tool().address;
    // A link records only what differs from the page's preset, so an answer set back to "not
    // sure" on a page that presets it still comes back from the link.
    let baseline = Answers::from_pairs(address.preset()).0.params();
    let (initial, notes) = Answers::from_pairs(&address.pairs());
    let answers = RwSignal::new(initial);
    let result = Memo::new(move |_| verdict(&answers.get()));
    let link = StoredValue::new((address, baseline));
    let pairs = move || link.with_value(|(_, baseline)| answers.with_untracked(|answers| answers.params().to_pairs_against(baseline)));
    Effect::new(move |_| {
        answers.track();
        link.with_value(|(address, _)| address.replace(&pairs()));
    });
    let copied = RwSignal::new(String::new());
    let share = move |_| {
        let url = link.with_value(|(address, _)| address.share_url(&pairs()));
        copy_to_clipboard(url.clone(), copied, "Link copied: it opens these answers.", format!("Copy this link: {url}"));
    };
    view! {
        <ul class="harness__notes">{notes.into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}</ul>
        // The ranking drawn, the same picture as the poster, redrawn on every answer (one SVG
        // string, every text escaped by the model's Sketch).
        <div class="viz__scene" inner_html=move || result.with(|verdict| picture(verdict).finish().svg)></div>
        <div class="dbsel-questions">
            {Question::ALL.into_iter().map(|question| question_view(question, answers)).collect_view()}
        </div>
        <p class="dbsel-now" role="status">{move || result.with(|verdict| {
            let first = verdict.first();
            format!("First: {} ({}), of {} shortlisted.", first.candidate().name, signed(first.score), verdict.shortlist_len)
        })}</p>
        <div class="button-row">
            <button type="button" class="button" on:click=share>"Share"</button>
            <button type="button" class="button" aria-disabled=move || answers.with(|answers| answers.given().next().is_none()).to_string()
                on:click=move |_| answers.set(Answers::none())>"Clear every answer"</button>
        </div>
        <p class="harness__copied" role="status">{move || copied.get()}</p>
        <h3>"The shortlist"</h3>
        <ol class="dbsel-shortlist">{move || result.with(|verdict| verdict.shortlist().iter().map(store_view).collect_view())}</ol>
        <h3>"What would change the order"</h3>
        {move || result.with(|verdict| what_ifs(verdict, answers))}
    }
}

/// One question as a native radio group: arrow keys move between its answers and choose them.
fn question_view(question: Question, answers: RwSignal<Answers>) -> impl IntoView {
    let name = scoped_id(&format!("dbsel-{}", question.key()));
    view! {
        <fieldset>
            <legend>{question.label()}</legend>
            {question.choices().iter().map(|(value, label)| {
                let answer = Answer::from_key(question, value);
                view! {
                    <label class="toggle">
                        <input type="radio" name=name.clone() value=*value prop:checked=move || answers.with(|given| given.get(question) == answer)
                            on:change=move |_| answers.update(|given| *given = match answer {
                                Some(answer) => given.with(answer),
                                None => given.without(question),
                            }) />
                        <span>{*label}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

/// A shortlisted store: its score and where it came from, its trade-off and pages to read.
fn store_view(scored: &Scored) -> impl IntoView {
    let candidate = scored.candidate();
    let base = dom::base_path();
    view! {
        <li class="dbsel-store">
            <h4>{candidate.name}" "<span class="dbsel-points">{signed(scored.score)}</span></h4>
            <p class="muted">{candidate.examples.join(", ")}</p>
            <ul class="dbsel-reasons">
                {(candidate.prior != 0).then(|| view! {
                    <li><span class="dbsel-points">{signed(candidate.prior)}</span><span>"A head start as a general-purpose store."</span></li>
                })}
                {scored.reasons.iter().map(|rule| {
                    let chosen: Vec<&str> = rule.when.iter().map(|answer| answer.short()).collect();
                    view! {
                        <li><span class="dbsel-points">{signed(rule.points)}</span>
                            <span>{rule.reason}<span class="muted">{format!(" (you chose {})", chosen.join(" and "))}</span></span></li>
                    }
                }).collect_view()}
                {scored.cannot.iter().map(|(answer, _)| view! {
                    <li><span class="dbsel-points">{signed(REQUIREMENT_PENALTY)}</span><span>{format!("Cannot meet “{}”, which you require: see its trade-off.", answer.short())}</span></li>
                }).collect_view()}
            </ul>
            <p><strong>"Trade-off: "</strong>{scored.trade_off()}</p>
            <p>"Read more: "{candidate.patterns.iter().enumerate().map(|(index, (slug, title))| view! {
                {(index > 0).then_some(" · ")}<a href=format!("{base}patterns/{slug}/")>{*title}</a>
            }).collect_view()}</p>
        </li>
    }
}

/// The answers whose removal would put another store first, each with a button to try it.
fn what_ifs(verdict: &Verdict, answers: RwSignal<Answers>) -> AnyView {
    if verdict.answers.given().next().is_none() {
        return view! { <p>"Answer a question and this lists the answers that decide who comes first."</p> }.into_any();
    }
    if verdict.what_ifs.is_empty() {
        let first = verdict.first().candidate().name;
        return view! { <p>{format!("No single answer decides it: take back any one and {first} still comes first.")}</p> }.into_any();
    }
    view! {
        <ul class="dbsel-what-ifs">
            {verdict.what_ifs.iter().map(|what_if| {
                let dropped = what_if.dropped;
                view! {
                    <li>
                        {format!("Without “{}” ({}), {} would come first. ", dropped.short(), dropped.question().label().to_lowercase(), what_if.first.candidate().name)}
                        <button type="button" class="button" on:click=move |_| answers.update(|given| *given = given.without(dropped.question()))>
                            {format!("Take back “{}”", dropped.short())}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}
