//! The three kinds added for the whole catalogue: trees (hierarchies), state machines and
//! timelines. Each is laid out into the same scene as the first three kinds, so the linter, the
//! SVG writer, the text alternative and the step-through serve them unchanged.

use super::geometry::{Point, Rect};
use super::layout::{box_texts, check_unique_ids, empty_scene, grid, steps_of, BOX_PAD, EDGE_LABEL_SIZE, LABEL_SIZE, MARGIN};
use super::scene::{Anchor, EdgeLine, Mark, NodeBox, Scene, Shape, Step, Text};
use super::spec::{ArchitectureSpec, EdgeSpec, Heads, LineStyle, NodeKind, NodeSpec, StatesSpec, TimelineSpec, TreeSpec};
use super::text::{text_width, wrap};
use std::collections::HashMap;

const DETAIL_SIZE: f32 = 12.0;

// ---------------------------------------------------------------------------------------------
// Trees

const TREE_GAP: f32 = 44.0;
const TREE_ROW_GAP: f32 = 12.0;
const TREE_MIN_W: f32 = 96.0;
/// Wider labels wrap or fail the lint: a tree grows to the right, and on a phone every column
/// costs legibility.
const TREE_MAX_W: f32 = 240.0;

/// Root on the left, leaves stacked on the right (a tidy layout: each leaf gets its own row and
/// each parent sits centred on its children), joined by elbow lines without heads. Drawn that
/// way, a deep or bushy tree grows down the page, which a phone scrolls, instead of across it.
pub fn tree(name: &str, spec: &TreeSpec) -> Scene {
    let mut scene = empty_scene(name, "tree", &spec.title, &spec.description);
    check_unique_ids(spec.nodes.iter().map(|node| node.id.as_str()), &mut scene.problems);
    let index: HashMap<&str, usize> = spec.nodes.iter().enumerate().map(|(i, node)| (node.id.as_str(), i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); spec.nodes.len()];
    let mut roots = Vec::new();
    for (i, node) in spec.nodes.iter().enumerate() {
        match node.parent.as_deref() {
            None => roots.push(i),
            Some(parent) => match index.get(parent) {
                Some(&p) => children[p].push(i),
                None => scene.problems.push(format!("node `{}` names unknown parent `{parent}`", node.id)),
            },
        }
    }
    let root = match roots.as_slice() {
        [root] => *root,
        [] => {
            scene.problems.push("a tree needs one node without a parent (its root); every node here has one, so they form a loop".to_string());
            return scene;
        }
        many => {
            let names: Vec<&str> = many.iter().map(|&i| spec.nodes[i].id.as_str()).collect();
            scene.problems.push(format!("a tree has one root, but `{}` have no parent", names.join("`, `")));
            return scene;
        }
    };

    // Depth first from the root: each node's depth, and the order leaves take their rows.
    let mut depth = vec![usize::MAX; spec.nodes.len()];
    let mut order = Vec::new();
    let mut stack = vec![(root, 0)];
    while let Some((node, d)) = stack.pop() {
        depth[node] = d;
        order.push(node);
        for &child in children[node].iter().rev() {
            stack.push((child, d + 1));
        }
    }
    for (i, node) in spec.nodes.iter().enumerate() {
        if depth[i] == usize::MAX {
            scene.problems.push(format!("node `{}` cannot be reached from the root `{}`: its parents form a loop", node.id, spec.nodes[root].id));
        }
    }
    if !scene.problems.is_empty() {
        return scene;
    }

    let has_detail = spec.nodes.iter().any(|node| node.detail.is_some());
    let box_h = if has_detail { 54.0 } else { 36.0 };
    let levels = depth.iter().max().copied().unwrap_or(0) + 1;
    let mut widths = vec![TREE_MIN_W; levels];
    for (i, node) in spec.nodes.iter().enumerate() {
        let label = text_width(&node.label, LABEL_SIZE);
        let detail = node.detail.as_deref().map_or(0.0, |detail| text_width(detail, DETAIL_SIZE));
        let caption = text_width(&node.kind.caption().to_uppercase(), 10.0);
        widths[depth[i]] = widths[depth[i]].max(label.max(detail).max(caption) + 2.0 * BOX_PAD + 8.0).min(TREE_MAX_W);
    }
    let mut left = Vec::with_capacity(levels);
    let mut x = MARGIN;
    for width in &widths {
        left.push(x);
        x += width + TREE_GAP;
    }

    // Leaves take rows in reading order; a parent is centred on its first and last child.
    let pitch = box_h + TREE_ROW_GAP;
    let mut center_y = vec![0.0_f32; spec.nodes.len()];
    let mut next_row = 0.0_f32;
    for &node in &order {
        if children[node].is_empty() {
            center_y[node] = MARGIN + next_row * pitch + box_h / 2.0;
            next_row += 1.0;
        }
    }
    for &node in order.iter().rev() {
        if let (Some(&first), Some(&last)) = (children[node].first(), children[node].last()) {
            center_y[node] = (center_y[first] + center_y[last]) / 2.0;
        }
    }
    scene.width = left[levels - 1] + widths[levels - 1] + MARGIN;
    scene.height = MARGIN * 2.0 + next_row * pitch - TREE_ROW_GAP;

    for &i in &order {
        let node = &spec.nodes[i];
        let rect = Rect::new(left[depth[i]], center_y[i] - box_h / 2.0, widths[depth[i]], box_h);
        let mut texts = Vec::new();
        let inner = rect.inflate(-BOX_PAD);
        match &node.detail {
            Some(detail) => {
                texts.push(Text::new(&node.label, rect.x + BOX_PAD + 2.0, rect.y + 22.0, LABEL_SIZE, Anchor::Start, "dg-label").inside(&node.id, inner));
                texts.push(Text::new(detail, rect.x + BOX_PAD + 2.0, rect.y + 40.0, DETAIL_SIZE, Anchor::Start, "dg-detail").inside(&node.id, inner));
            }
            None => texts.push(Text::new(&node.label, rect.x + BOX_PAD + 2.0, rect.center().y + LABEL_SIZE * 0.35, LABEL_SIZE, Anchor::Start, "dg-label").inside(&node.id, inner)),
        }
        let label = match &node.detail {
            Some(detail) => format!("{}: {detail}", node.label),
            None => node.label.clone(),
        };
        scene.nodes.push(NodeBox { id: node.id.clone(), kind: node.kind, shape: Shape::Box, rect, texts, label, marks: Vec::new() });
    }
    for &i in &order {
        let Some(parent) = spec.nodes[i].parent.as_deref().and_then(|parent| index.get(parent)).copied() else { continue };
        let (Some(from), Some(to)) = (scene.node(&spec.nodes[parent].id).map(|n| n.rect), scene.node(&spec.nodes[i].id).map(|n| n.rect)) else { continue };
        let trunk = from.right() + TREE_GAP / 2.0;
        let (start, end) = (Point::new(from.right(), from.center().y), Point::new(to.x, to.center().y));
        scene.edges.push(EdgeLine {
            id: format!("to-{}", spec.nodes[i].id),
            from: spec.nodes[parent].id.clone(),
            to: spec.nodes[i].id.clone(),
            points: vec![start, Point::new(trunk, start.y), Point::new(trunk, end.y), end],
            style: LineStyle::Solid,
            heads: Heads::None,
            label: None,
            label_plate: None,
        });
    }
    scene.steps = steps_of(&spec.steps);
    scene
}

// ---------------------------------------------------------------------------------------------
// State machines

/// Taller rows than an architecture grid: a loop and its label sit above a state.
const STATE_CELL_H: f32 = 160.0;
const LOOP_HALF_W: f32 = 16.0;
const LOOP_RISE: f32 = 22.0;
const DOT_R: f32 = 7.0;
/// Room left of a state in the first column for the initial dot and its arrow.
const INITIAL_ROOM: f32 = 44.0;

/// States are laid out as an architecture grid is (the author places them; transitions between
/// the same two states are spread apart), then drawn as rounded states, with loops, the initial
/// dot and final states' double borders added.
pub fn states(name: &str, spec: &StatesSpec) -> Scene {
    let as_grid = ArchitectureSpec {
        title: spec.title.clone(),
        description: spec.description.clone(),
        nodes: spec.states.iter().map(|state| NodeSpec { id: state.id.clone(), label: state.label.clone(), kind: NodeKind::Generic, col: state.col, row: state.row, span: 1 }).collect(),
        groups: Vec::new(),
        edges: spec
            .transitions
            .iter()
            .enumerate()
            .filter(|(_, transition)| transition.from != transition.to)
            .map(|(i, transition)| EdgeSpec {
                id: Some(transition_id(transition.id.as_deref(), i)),
                from: transition.from.clone(),
                to: transition.to.clone(),
                label: transition.label.clone(),
                style: transition.style,
                heads: Heads::End,
                label_at: transition.label_at,
            })
            .collect(),
        steps: spec.steps.clone(),
    };
    let mut scene = grid(name, "states", &as_grid, STATE_CELL_H);
    for node in &mut scene.nodes {
        node.shape = Shape::Pill;
        node.texts = box_texts(&node.id, NodeKind::Generic, &node.label, node.rect, Shape::Pill);
    }

    let initial: Vec<&super::spec::StateSpec> = spec.states.iter().filter(|state| state.initial).collect();
    match initial.as_slice() {
        [state] => {
            if state.col == 0 {
                shift_right(&mut scene, INITIAL_ROOM);
            } else if spec.states.iter().any(|other| other.row == state.row && other.col + 1 == state.col) {
                scene.problems.push(format!("the initial state `{}` needs the cell on its left empty for its start dot, or put it in column 0", state.id));
            }
            if let Some(target) = scene.node(&state.id).map(|node| node.rect) {
                let center = Point::new(target.x - INITIAL_ROOM + DOT_R + 4.0, target.center().y);
                let dot = Rect::new(center.x - DOT_R, center.y - DOT_R, 2.0 * DOT_R, 2.0 * DOT_R);
                scene.nodes.push(NodeBox { id: "start".to_string(), kind: NodeKind::Generic, shape: Shape::Dot, rect: dot, texts: Vec::new(), label: "Start".to_string(), marks: Vec::new() });
                scene.edges.push(EdgeLine {
                    id: "start-arrow".to_string(),
                    from: "start".to_string(),
                    to: state.id.clone(),
                    points: vec![Point::new(dot.right() + 1.0, center.y), Point::new(target.x - 3.0, center.y)],
                    style: LineStyle::Solid,
                    heads: Heads::End,
                    label: None,
                    label_plate: None,
                });
            }
        }
        [] => scene.problems.push("a state machine needs one state with `initial = true`".to_string()),
        _ => scene.problems.push("a state machine has one initial state, but several say `initial = true`".to_string()),
    }
    for state in spec.states.iter().filter(|state| state.is_final) {
        if let Some(node) = scene.nodes.iter_mut().find(|node| node.id == state.id) {
            node.marks.push(Mark::Ring(node.rect.inflate(-4.0)));
        }
    }

    for (i, transition) in spec.transitions.iter().enumerate().filter(|(_, transition)| transition.from == transition.to) {
        let id = transition_id(transition.id.as_deref(), i);
        let Some(rect) = scene.node(&transition.from).map(|node| node.rect) else {
            scene.problems.push(format!("transition `{id}` loops on unknown state `{}`", transition.from));
            continue;
        };
        let (cx, top) = (rect.center().x, rect.y);
        let points = vec![
            Point::new(cx - LOOP_HALF_W, top - 1.0),
            Point::new(cx - LOOP_HALF_W, top - LOOP_RISE),
            Point::new(cx + LOOP_HALF_W, top - LOOP_RISE),
            Point::new(cx + LOOP_HALF_W, top - 3.0),
        ];
        let (label, label_plate) = match &transition.label {
            Some(text) => {
                let label = Text::new(text, cx, top - LOOP_RISE - 6.0, EDGE_LABEL_SIZE, Anchor::Middle, "dg-edge-label");
                let plate = label.bounds.inflate(3.0);
                (Some(label), Some(plate))
            }
            None => (None, None),
        };
        scene.edges.push(EdgeLine { id, from: transition.from.clone(), to: transition.to.clone(), points, style: transition.style, heads: Heads::End, label, label_plate });
    }
    scene
}

fn transition_id(id: Option<&str>, index: usize) -> String {
    id.map(str::to_string).unwrap_or_else(|| format!("t{}", index + 1))
}

/// Moves everything right by `dx` and widens the canvas to match.
fn shift_right(scene: &mut Scene, dx: f32) {
    let move_rect = |rect: &mut Rect| rect.x += dx;
    let move_text = |text: &mut Text| {
        text.x += dx;
        text.bounds.x += dx;
        if let Some((_, room)) = &mut text.container {
            room.x += dx;
        }
    };
    for node in &mut scene.nodes {
        move_rect(&mut node.rect);
        node.texts.iter_mut().for_each(move_text);
    }
    for group in &mut scene.groups {
        move_rect(&mut group.rect);
        move_text(&mut group.label);
    }
    for edge in &mut scene.edges {
        edge.points.iter_mut().for_each(|point| point.x += dx);
        if let Some(label) = &mut edge.label {
            move_text(label);
        }
        if let Some(plate) = &mut edge.label_plate {
            move_rect(plate);
        }
    }
    scene.width += dx;
}

// ---------------------------------------------------------------------------------------------
// Timelines

const PHASE_W: f32 = 300.0;
const PHASE_GAP: f32 = 22.0;
const BAR_GAP: f32 = 18.0;
const BAR_MAX: f32 = 200.0;
const BAR_H: f32 = 14.0;

/// Phases top to bottom, each a box with its label and detail, an arrow to the next, and, when
/// durations are given, a bar to scale with the figure after it. Vertical, so a long pipeline
/// grows down the page; the walk-through has one step per phase.
pub fn timeline(name: &str, spec: &TimelineSpec) -> Scene {
    let mut scene = empty_scene(name, "timeline", &spec.title, &spec.description);
    check_unique_ids(spec.phases.iter().map(|phase| phase.id.as_str()), &mut scene.problems);
    if spec.phases.len() < 2 {
        scene.problems.push("a timeline needs at least two phases".to_string());
    }
    let timed = spec.phases.iter().filter(|phase| phase.duration.is_some()).count();
    if timed != 0 && timed != spec.phases.len() {
        scene.problems.push("give every phase a `duration`, or none: a bar for some phases only would mislead".to_string());
    }
    for phase in &spec.phases {
        if phase.duration.is_some_and(|duration| !(duration.is_finite() && duration > 0.0)) {
            scene.problems.push(format!("phase `{}`: a duration must be a positive number", phase.id));
        }
    }
    let longest = spec.phases.iter().filter_map(|phase| phase.duration).filter(|d| d.is_finite()).fold(0.0_f32, f32::max);
    let figure = |duration: f32| {
        let number = if duration.fract() == 0.0 { format!("{duration:.0}") } else { format!("{duration}") };
        match &spec.unit {
            Some(unit) => format!("{number} {unit}"),
            None => number,
        }
    };
    let figure_room = spec.phases.iter().filter_map(|phase| phase.duration).map(|d| text_width(&figure(d), DETAIL_SIZE)).fold(0.0_f32, f32::max) + 12.0;
    let bars = timed == spec.phases.len() && longest > 0.0;
    scene.width = MARGIN * 2.0 + PHASE_W + if bars { BAR_GAP + BAR_MAX + figure_room } else { 0.0 };

    let text_w = PHASE_W - 2.0 * BOX_PAD - 8.0;
    let mut y = MARGIN;
    for phase in &spec.phases {
        let details = phase.detail.as_deref().map(|detail| wrap(detail, DETAIL_SIZE, text_w)).unwrap_or_default();
        let height = 2.0 * BOX_PAD + LABEL_SIZE * 1.3 + details.len() as f32 * DETAIL_SIZE * 1.3 + 6.0;
        let rect = Rect::new(MARGIN, y, PHASE_W, height);
        let inner = rect.inflate(-BOX_PAD);
        let x = rect.x + BOX_PAD + 4.0;
        let mut baseline = rect.y + BOX_PAD + LABEL_SIZE + 2.0;
        let mut texts = vec![Text::new(&phase.label, x, baseline, LABEL_SIZE, Anchor::Start, "dg-label").inside(&phase.id, inner)];
        for line in &details {
            baseline += DETAIL_SIZE * 1.3;
            texts.push(Text::new(line, x, baseline, DETAIL_SIZE, Anchor::Start, "dg-detail").inside(&phase.id, inner));
        }
        let mut marks = Vec::new();
        let mut label = phase.label.clone();
        if let (true, Some(duration)) = (bars, phase.duration) {
            let length = (duration / longest * BAR_MAX).max(3.0);
            let bar = Rect::new(rect.right() + BAR_GAP, rect.center().y - BAR_H / 2.0, length, BAR_H);
            marks.push(Mark::Bar(bar));
            let room = Rect::new(rect.right() + BAR_GAP, rect.y, BAR_MAX + figure_room, rect.h);
            texts.push(Text::new(&figure(duration), bar.right() + 6.0, rect.center().y + DETAIL_SIZE * 0.35, DETAIL_SIZE, Anchor::Start, "dg-detail dg-beside").inside(&phase.id, room));
            label = format!("{label} ({})", figure(duration));
        }
        if let Some(detail) = &phase.detail {
            label = format!("{label}: {detail}");
        }
        scene.nodes.push(NodeBox { id: phase.id.clone(), kind: NodeKind::Generic, shape: Shape::Box, rect, texts, label, marks });
        y += height + PHASE_GAP;
    }
    scene.height = y - PHASE_GAP + MARGIN;

    for pair in scene.nodes.windows(2) {
        let (above, below) = (&pair[0], &pair[1]);
        let x = above.rect.x + 28.0;
        scene.edges.push(EdgeLine {
            id: format!("to-{}", below.id),
            from: above.id.clone(),
            to: below.id.clone(),
            points: vec![Point::new(x, above.rect.bottom() + 2.0), Point::new(x, below.rect.y - 2.0)],
            style: LineStyle::Solid,
            heads: Heads::End,
            label: None,
            label_plate: None,
        });
    }
    scene.steps = spec
        .phases
        .iter()
        .map(|phase| Step {
            title: match (bars, phase.duration) {
                (true, Some(duration)) => format!("{} ({})", phase.label, figure(duration)),
                _ => phase.label.clone(),
            },
            caption: phase.caption.clone().or_else(|| phase.detail.clone()).unwrap_or_else(|| phase.label.clone()),
            highlight: vec![phase.id.clone()],
        })
        .collect();
    scene
}
