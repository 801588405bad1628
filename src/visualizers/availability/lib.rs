//! The availability calculator: a small tree of components in series and in parallel, its
//! availability, nines and allowed downtime, and the reverse (what each part must reach).
//! There is no clock: the tree and the target live in the URL (`tree`, `target`), rewritten
//! after every change so reload and share reproduce the page.

use atlas::widgets::{Stat, ValidatedField};
use atlas::dom;
use atlas_components::sim::number::NumberRule;
use atlas_components::sim::Params;
use atlas_components::viz::availability::{
    each_in_parallel, each_in_series, format_duration, format_nines, format_percent, required_uniform, Availability, Edit, GroupKind, Node, Period,
    AVAILABILITY_PARAMS, DEFAULT_TREE, MAX_NODES, PRESETS,
};
use atlas_components::viz::availability::poster::diagram;
use atlas::harness::kit::{self, scoped_id};
use atlas::harness::Address;
use leptos::prelude::*;
use web_sys::HtmlElement;

const TREE_KEY: &str = "tree";
/// Rows of the reverse table: 1 to this many identical parts.
const REVERSE_ROWS: u32 = 5;

pub fn mount(section: HtmlElement) {
    kit::mount(section, |_| view());
}

/// Everything the page reads and changes; all signals, so it is `Copy`.
#[derive(Clone, Copy)]
struct Calculator {
    tree: RwSignal<Node>,
    params: RwSignal<Params>,
    /// The text field's contents, which may differ from the tree while the reader types.
    draft: RwSignal<String>,
    /// What the last edit did or why it was refused, for the live region.
    status: RwSignal<String>,
    address: StoredValue<Address>,
}

impl Calculator {
    fn from_url(address: Address) -> (Self, Vec<String>) {
        let pairs = address.pairs();
        let (params, mut notes) = Params::from_pairs(AVAILABILITY_PARAMS, &pairs);
        let tree = match pairs.iter().rev().find(|(key, _)| key == TREE_KEY) {
            None => default_tree(),
            Some((_, text)) => Node::parse(text).unwrap_or_else(|error| {
                notes.push(format!("Ignored the system in the link ({error}). Showing the default instead."));
                default_tree()
            }),
        };
        let draft = RwSignal::new(tree.to_text());
        let calculator = Self { tree: RwSignal::new(tree), params: RwSignal::new(params), draft, status: RwSignal::new(String::new()), address: StoredValue::new(address) };
        (calculator, notes)
    }

    fn target(&self) -> Availability {
        Availability::from_percent(self.params.with(|params| params.float("target")))
    }

    fn edit(&self, edit: Edit, done: &str) {
        let mut tree = self.tree.get_untracked();
        match tree.apply(&edit) {
            Ok(()) => {
                self.status.set(format!("{done} The system is now {}.", format_percent(tree.evaluate())));
                self.replace(tree);
            }
            Err(message) => self.status.set(message),
        }
    }

    fn replace(&self, tree: Node) {
        self.draft.set(tree.to_text());
        self.tree.set(tree);
        self.sync_url();
    }

    fn sync_url(&self) {
        let mut pairs = self.params.with_untracked(Params::to_pairs);
        let text = self.tree.with_untracked(Node::to_text);
        if text != DEFAULT_TREE {
            pairs.push((TREE_KEY, text));
        }
        self.address.with_value(|address| address.replace(&pairs));
    }
}

fn default_tree() -> Node {
    Node::parse(DEFAULT_TREE).unwrap_or_else(|_| Node::component("service", 99.9))
}

/// The tree without names or numbers: it changes only when boxes are added, removed or
/// regrouped, so typing in a field does not rebuild (and unfocus) the editor.
fn shape(node: &Node) -> String {
    match node {
        Node::Component(_) => "c".to_string(),
        Node::Group(kind, children) => {
            let inner: Vec<String> = children.iter().map(shape).collect();
            format!("{}({})", if *kind == GroupKind::Series { 's' } else { 'p' }, inner.join(","))
        }
    }
}

fn path_id(prefix: &str, path: &[usize]) -> String {
    let parts: Vec<String> = path.iter().map(usize::to_string).collect();
    scoped_id(&format!("avail-{prefix}-{}", parts.join("-")))
}

fn view() -> impl IntoView {
    let (calc, notes) = Calculator::from_url(atlas::harness::use_tool().address);
    let result = Memo::new(move |_| calc.tree.with(Node::evaluate));
    let structure = Memo::new(move |_| calc.tree.with(shape));
    let copied = RwSignal::new(None::<String>);
    let share = move |_| {
        calc.sync_url();
        let url = dom::window().location().href().unwrap_or_default();
        let promise = dom::window().navigator().clipboard().write_text(&url);
        leptos::task::spawn_local(async move {
            let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            copied.try_set(Some(if ok { "Link copied.".to_string() } else { format!("Copy this link: {url}") }));
        });
    };
    view! {
        <ul class="harness__notes">{notes.into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}</ul>
        // The system drawn, with its weakest link framed: the same drawing as the poster, redrawn
        // on every edit (one SVG string, every text escaped by the Sketch).
        <div class="viz__scene" inner_html=move || calc.tree.with(|tree| diagram(tree, calc.target()).finish().svg)></div>
        <div class="viz__grid">
            <div class="viz__stage">
                <dl class="stat-grid" aria-label="The whole system">
                    <Stat label="Availability" value=Signal::derive(move || format_percent(result.get())) />
                    <Stat label="Nines" value=Signal::derive(move || format_nines(result.get())) />
                    {Period::ALL.into_iter().map(|period| view! {
                        <Stat label=period.label() value=Signal::derive(move || format!("{} down", format_duration(result.get().downtime_seconds(period)))) />
                    }).collect_view()}
                </dl>
                <p class="avail-status" role="status" aria-live="polite">{move || calc.status.get()}</p>
                <h3>"The system"</h3>
                <p class="muted">"Boxes in series all have to be up; of boxes in parallel, one is enough. Failures are assumed independent."</p>
                {move || {
                    structure.track();
                    node_view(calc, Vec::new())
                }}
            </div>
            <div class="viz__panel">
                <fieldset>
                    <legend>"Start from"</legend>
                    <div class="field">
                        <label for=scoped_id("avail-preset")>"A ready-made system"</label>
                        <select id=scoped_id("avail-preset") on:change=move |event| {
                            let choice = event_target_value(&event);
                            if let Some((label, text)) = PRESETS.iter().find(|(label, _)| *label == choice) {
                                if let Ok(tree) = Node::parse(text) {
                                    calc.status.set(format!("Loaded “{label}”: {}.", format_percent(tree.evaluate())));
                                    calc.replace(tree);
                                }
                            }
                        }>
                            <option value="">"Choose…"</option>
                            {PRESETS.iter().map(|(label, _)| view! { <option value=*label>{*label}</option> }).collect_view()}
                        </select>
                    </div>
                </fieldset>
                <TextForm calc=calc />
                <ReversePanel calc=calc result=result />
                <div class="button-row">
                    <button type="button" class="button" on:click=share>"Share"</button>
                </div>
                <p class="harness__copied" role="status">{move || copied.get()}</p>
            </div>
        </div>
    }
}

/// One box of the tree, recursively: a group with its children, or a component's fields.
fn node_view(calc: Calculator, path: Vec<usize>) -> AnyView {
    let node = calc.tree.with_untracked(|tree| tree.at(&path).cloned());
    match node {
        None => ().into_any(),
        Some(Node::Component(_)) => component_view(calc, path),
        Some(Node::Group(kind, children)) => group_view(calc, path, kind, children.len()),
    }
}

fn group_view(calc: Calculator, path: Vec<usize>, kind: GroupKind, count: usize) -> AnyView {
    let kind_id = path_id("kind", &path);
    let (class, joiner) = match kind {
        GroupKind::Series => ("avail-group avail-group--series", "then"),
        GroupKind::Parallel => ("avail-group avail-group--parallel", "or"),
    };
    let here = path.clone();
    let availability = move || calc.tree.with(|tree| tree.at(&here).map(|node| format_percent(node.evaluate())).unwrap_or_default());
    let is_root = path.is_empty();
    let (add_path, group_path, remove_path, kind_path) = (path.clone(), path.clone(), path.clone(), path.clone());
    let children = (0..count)
        .map(|index| {
            let mut child = path.clone();
            child.push(index);
            view! {
                <li class="avail-group__child">
                    {(index > 0).then(|| view! { <span class="avail-joiner">{joiner}</span> })}
                    {node_view(calc, child)}
                </li>
            }
        })
        .collect_view();
    view! {
        <div class=class role="group" aria-label=format!("{} group", if kind == GroupKind::Series { "Series" } else { "Parallel" })>
            <div class="avail-group__head">
                <div class="field">
                    <label for=kind_id.clone()>"These boxes are"</label>
                    <select id=kind_id on:change=move |event| {
                        let kind = if event_target_value(&event) == "p" { GroupKind::Parallel } else { GroupKind::Series };
                        calc.edit(Edit::SetKind { path: kind_path.clone(), kind }, &format!("Changed the group to {}.", kind.label().to_lowercase()));
                    }>
                        <option value="s" selected=kind == GroupKind::Series>{GroupKind::Series.label()}</option>
                        <option value="p" selected=kind == GroupKind::Parallel>{GroupKind::Parallel.label()}</option>
                    </select>
                </div>
                <p class="avail-group__result">"Group: "<strong>{availability}</strong></p>
            </div>
            <ol class="avail-group__children">{children}</ol>
            <div class="button-row">
                <button type="button" class="button" on:click=move |_| calc.edit(Edit::AddComponent { parent: add_path.clone() }, "Added a component.")>"Add a component"</button>
                <button type="button" class="button" on:click=move |_| {
                    let inner = if kind == GroupKind::Series { GroupKind::Parallel } else { GroupKind::Series };
                    calc.edit(Edit::AddGroup { parent: group_path.clone(), kind: inner }, "Added a group.");
                }>{if kind == GroupKind::Series { "Add a parallel group" } else { "Add a series group" }}</button>
                {(!is_root).then(|| view! {
                    <button type="button" class="button" on:click=move |_| calc.edit(Edit::Remove { path: remove_path.clone() }, "Removed the group.")>"Remove this group"</button>
                })}
            </div>
        </div>
    }
    .into_any()
}

fn component_view(calc: Calculator, path: Vec<usize>) -> AnyView {
    let name_id = path_id("name", &path);
    let percent_id = path_id("percent", &path);
    let (read_name, read_percent, read_perfect) = (path.clone(), path.clone(), path.clone());
    // Memos, so editing one component does not rewrite (and reset) the other fields.
    let name = Memo::new(move |_| calc.tree.with(|tree| match tree.at(&read_name) {
        Some(Node::Component(component)) => component.name.clone(),
        _ => String::new(),
    }));
    let percent = Memo::new(move |_| calc.tree.with(|tree| match tree.at(&read_percent) {
        Some(Node::Component(component)) => component.percent.to_string(),
        _ => String::new(),
    }));
    let if_perfect = move || calc.tree.with(|tree| format_percent(tree.evaluate_if_perfect(&read_perfect)));
    let (rename_path, percent_path, replicate_path, remove_path) = (path.clone(), path.clone(), path.clone(), path.clone());
    let rename = Callback::new(move |raw: String| {
        let mut tree = calc.tree.get_untracked();
        tree.apply(&Edit::Rename { path: rename_path.clone(), name: raw })?;
        calc.replace(tree);
        Ok(())
    });
    let set_percent = Callback::new(move |raw: String| {
        let percent = NumberRule::new(0.0, 100.0).parse(&raw)?;
        calc.edit(Edit::SetPercent { path: percent_path.clone(), percent }, "Changed an availability.");
        Ok(())
    });
    let is_root = path.is_empty();
    let wrap_path = path.clone();
    view! {
        <div class="avail-component">
            <div class="avail-component__fields">
                <ValidatedField id=name_id label="Name" current=name inputmode="text" commit=rename />
                <ValidatedField id=percent_id label="Availability (%)" current=percent inputmode="decimal" commit=set_percent />
            </div>
            <p class="avail-component__what-if muted">"If it never failed, the system would be "{if_perfect}"."</p>
            <div class="button-row">
                <button type="button" class="button" aria-label=move || format!("Add a replica of {}", name.get()) on:click=move |_| calc.edit(Edit::Replicate { path: replicate_path.clone() }, "Added a replica in parallel.")>"Add a replica"</button>
                {if is_root {
                    view! {
                        <button type="button" class="button" on:click=move |_| calc.edit(Edit::Wrap { path: wrap_path.clone(), kind: GroupKind::Series }, "Added a component in series.")>"Add one in series"</button>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button" aria-label=move || format!("Remove {}", name.get()) on:click=move |_| calc.edit(Edit::Remove { path: remove_path.clone() }, "Removed a component.")>"Remove"</button>
                    }.into_any()
                }}
            </div>
        </div>
    }
    .into_any()
}

/// The tree as text: what the link carries, editable by hand.
#[component]
fn TextForm(calc: Calculator) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    let apply = move || match Node::parse(&calc.draft.get_untracked()) {
        Ok(tree) => {
            error.set(None);
            calc.status.set(format!("Read the text: {}.", format_percent(tree.evaluate())));
            calc.replace(tree);
        }
        Err(message) => error.set(Some(message.to_string())),
    };
    view! {
        <fieldset>
            <legend>"As text"</legend>
            <div class="field">
                <label for=scoped_id("avail-text")>"c:name:percent is a component; s(…) all of, p(…) any of"</label>
                <textarea id=scoped_id("avail-text") rows="3" spellcheck="false" autocomplete="off" prop:value=move || calc.draft.get()
                    aria-invalid=move || error.get().is_some().to_string() aria-describedby=scoped_id("avail-text-error")
                    on:input=move |event| calc.draft.set(event_target_value(&event))></textarea>
                <span class="field__error" id=scoped_id("avail-text-error") role="alert">{move || error.get()}</span>
            </div>
            <div class="button-row">
                <button type="button" class="button" on:click=move |_| apply()>"Use this text"</button>
            </div>
            <p class="muted">{move || calc.tree.with(|tree| format!("{} of {MAX_NODES} boxes used.", tree.node_count()))}</p>
        </fieldset>
    }
}

/// From a target back to what each part needs.
#[component]
fn ReversePanel(calc: Calculator, result: Memo<Availability>) -> impl IntoView {
    let target_text = Memo::new(move |_| calc.params.with(|params| params.value("target").to_text()));
    let set_target = Callback::new(move |raw: String| {
        let mut params = calc.params.get_untracked();
        params.set_text("target", &raw)?;
        calc.params.set(params);
        calc.sync_url();
        Ok(())
    });
    let verdict = move || {
        let (target, now) = (calc.target(), result.get());
        if now.down <= target.down {
            format!("Your system ({}) meets it.", format_percent(now))
        } else {
            format!(
                "Your system ({}) misses it: {} down a year, where the target allows {}.",
                format_percent(now),
                format_duration(now.downtime_seconds(Period::Year)),
                format_duration(target.downtime_seconds(Period::Year))
            )
        }
    };
    let uniform = move || match calc.tree.with(|tree| required_uniform(tree, calc.target())) {
        Some(each) => format!("With every component equal, each needs {}.", format_percent(each)),
        None => "No finite availability per component reaches that target.".to_string(),
    };
    view! {
        <fieldset>
            <legend>"The reverse: what each part needs"</legend>
            <ValidatedField id=scoped_id("avail-target") label="Target availability (%) (50–99.99999)" current=target_text inputmode="decimal" commit=set_target />
            <p>{move || format!("{} allows {} down a year, {} a month.", format_percent(calc.target()), format_duration(calc.target().downtime_seconds(Period::Year)), format_duration(calc.target().downtime_seconds(Period::Month)))}</p>
            <p>{verdict}" "{uniform}</p>
            <div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways on narrow screens)">
                <table class="avail-reverse">
                    <caption class="sr-only">"Availability each identical part needs to reach the target"</caption>
                    <thead><tr><th scope="col">"Identical parts"</th><th scope="col">"Each, in series"</th><th scope="col">"Each, in parallel"</th></tr></thead>
                    <tbody>
                        {move || {
                            let target = calc.target();
                            (1..=REVERSE_ROWS).map(|count| view! {
                                <tr>
                                    <th scope="row">{count}</th>
                                    <td>{format_percent(each_in_series(target, count))}</td>
                                    <td>{format_percent(each_in_parallel(target, count))}</td>
                                </tr>
                            }).collect_view()
                        }}
                    </tbody>
                </table>
            </div>
        </fieldset>
    }
}
