//! Turns a description into a scene: grid positions into pixels, labels into wrapped lines,
//! arrows into lines that start and end on box borders.

use super::geometry::{Point, Rect};
use super::scene::{Anchor, EdgeLine, GroupBox, Lifeline, NodeBox, Scene, Shape, Step, Text};
use super::spec::{ArchitectureSpec, DiagramSpec, Heads, LayersSpec, NodeKind, SequenceSpec, StepSpec};
use super::text::{text_width, wrap};
use std::collections::{HashMap, HashSet};

pub(super) const MARGIN: f32 = 24.0;
pub(super) const CELL_H: f32 = 130.0;
pub(super) const BOX_W: f32 = 150.0;
pub(super) const BOX_H: f32 = 76.0;
/// The narrowest space between two columns; wider where a label must fit between them.
const MIN_COL_GAP: f32 = 40.0;
pub(super) const BOX_PAD: f32 = 8.0;
pub(super) const LABEL_SIZE: f32 = 14.0;
const KIND_SIZE: f32 = 10.0;
pub(super) const EDGE_LABEL_SIZE: f32 = 12.0;
const GROUP_PAD: f32 = 14.0;
const GROUP_LABEL_SIZE: f32 = 12.0;
/// Distance between two arrows that join the same pair of boxes.
const PARALLEL_GAP: f32 = 14.0;

pub fn layout(name: &str, spec: &DiagramSpec) -> Scene {
    match spec {
        DiagramSpec::Architecture(spec) => architecture(name, spec),
        DiagramSpec::Sequence(spec) => sequence(name, spec),
        DiagramSpec::Layers(spec) => layers(name, spec),
        DiagramSpec::Tree(spec) => super::kinds::tree(name, spec),
        DiagramSpec::States(spec) => super::kinds::states(name, spec),
        DiagramSpec::Timeline(spec) => super::kinds::timeline(name, spec),
    }
}

pub(super) fn empty_scene(name: &str, kind: &'static str, title: &str, description: &str) -> Scene {
    Scene {
        name: name.to_string(),
        kind,
        title: title.to_string(),
        description: description.to_string(),
        width: 0.0,
        height: 0.0,
        groups: Vec::new(),
        nodes: Vec::new(),
        edges: Vec::new(),
        lifelines: Vec::new(),
        steps: Vec::new(),
        problems: Vec::new(),
    }
}

fn shape_of(kind: NodeKind) -> Shape {
    match kind {
        NodeKind::Database | NodeKind::Storage => Shape::Cylinder,
        NodeKind::Client | NodeKind::User => Shape::Pill,
        _ => Shape::Box,
    }
}

/// The texts of a box: its kind in small capitals on top, then its label wrapped to fit.
pub(super) fn box_texts(id: &str, kind: NodeKind, label: &str, rect: Rect, shape: Shape) -> Vec<Text> {
    let inner = rect.inflate(-BOX_PAD);
    let caption = kind.caption();
    let mut texts = Vec::new();
    let top_inset = if shape == Shape::Cylinder { 10.0 } else { 0.0 };
    let mut label_top = inner.y + top_inset;
    if !caption.is_empty() {
        let baseline = inner.y + top_inset + KIND_SIZE;
        texts.push(Text::new(&caption.to_uppercase(), rect.center().x, baseline, KIND_SIZE, Anchor::Middle, "dg-kind").inside(id, inner));
        label_top = baseline + 4.0;
    }
    let lines = wrap(label, LABEL_SIZE, inner.w);
    let line_height = LABEL_SIZE * 1.2;
    let block = line_height * lines.len() as f32;
    let available = inner.bottom() - label_top;
    let first_baseline = label_top + (available - block).max(0.0) / 2.0 + LABEL_SIZE * 0.9;
    for (index, line) in lines.iter().enumerate() {
        let baseline = first_baseline + index as f32 * line_height;
        texts.push(Text::new(line, rect.center().x, baseline, LABEL_SIZE, Anchor::Middle, "dg-label").inside(id, inner));
    }
    texts
}

pub(super) fn check_unique_ids<'a>(ids: impl Iterator<Item = &'a str>, problems: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for id in ids {
        if !is_id(id) {
            problems.push(format!("id `{id}` must be lowercase letters, digits and `-`"));
        }
        if !seen.insert(id) {
            problems.push(format!("id `{id}` is used twice"));
        }
    }
}

fn is_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

pub(super) fn architecture(name: &str, spec: &ArchitectureSpec) -> Scene {
    grid(name, "architecture", spec, CELL_H)
}

/// Boxes placed on a grid of `cell_h`-tall rows, with groups and arrows (architecture and state
/// machines).
pub(super) fn grid(name: &str, kind: &'static str, spec: &ArchitectureSpec, cell_h: f32) -> Scene {
    let mut scene = empty_scene(name, kind, &spec.title, &spec.description);
    let columns = spec.nodes.iter().map(|node| node.col + node.span.max(1)).max().unwrap_or(1) as usize;
    let rows = spec.nodes.iter().map(|node| node.row + 1).max().unwrap_or(1);

    // Each gap between columns is as wide as the widest label of an arrow that runs straight
    // across it, so such labels fit by construction.
    let mut gaps = vec![MIN_COL_GAP; columns.saturating_sub(1)];
    for edge in &spec.edges {
        let (Some(from), Some(to)) = (spec.nodes.iter().find(|n| n.id == edge.from), spec.nodes.iter().find(|n| n.id == edge.to)) else { continue };
        let Some(label) = &edge.label else { continue };
        let (left, right) = if from.col < to.col { (from, to) } else { (to, from) };
        if from.row == to.row && left.col + left.span.max(1) == right.col {
            let gap = &mut gaps[right.col as usize - 1];
            *gap = gap.max(text_width(label, EDGE_LABEL_SIZE) + 26.0);
        }
    }
    let mut col_left = Vec::with_capacity(columns + 1);
    let mut x = MARGIN + MIN_COL_GAP / 2.0;
    for col in 0..=columns {
        col_left.push(x);
        x += BOX_W + gaps.get(col).copied().unwrap_or(0.0);
    }
    scene.width = col_left[columns - 1] + BOX_W + MIN_COL_GAP / 2.0 + MARGIN;
    scene.height = MARGIN * 2.0 + rows as f32 * cell_h;

    for node in &spec.nodes {
        let span = node.span.max(1) as usize;
        let first = node.col as usize;
        let last = (first + span - 1).min(columns - 1);
        let x = col_left[first];
        let width = col_left[last] + BOX_W - x;
        let y = MARGIN + node.row as f32 * cell_h + (cell_h - BOX_H) / 2.0;
        let rect = Rect::new(x, y, width, BOX_H);
        let shape = shape_of(node.kind);
        scene.nodes.push(NodeBox {
            id: node.id.clone(),
            kind: node.kind,
            shape,
            rect,
            texts: box_texts(&node.id, node.kind, &node.label, rect, shape),
            label: node.label.clone(),
            marks: Vec::new(),
        });
    }

    for group in &spec.groups {
        let mut bounds: Option<Rect> = None;
        for member in &group.nodes {
            match scene.node(member) {
                Some(node) => bounds = Some(bounds.map_or(node.rect, |b| b.union(&node.rect))),
                None => scene.problems.push(format!("group `{}` names unknown node `{member}`", group.id)),
            }
        }
        let Some(bounds) = bounds else {
            scene.problems.push(format!("group `{}` has no nodes", group.id));
            continue;
        };
        let top_room = GROUP_LABEL_SIZE + 10.0;
        let rect = Rect::new(bounds.x - GROUP_PAD, bounds.y - GROUP_PAD - top_room, bounds.w + 2.0 * GROUP_PAD, bounds.h + 2.0 * GROUP_PAD + top_room);
        let label = Text::new(&group.label, rect.x + 10.0, rect.y + 6.0 + GROUP_LABEL_SIZE, GROUP_LABEL_SIZE, Anchor::Start, "dg-group-label")
            .inside(&group.id, Rect::new(rect.x + 4.0, rect.y, rect.w - 8.0, top_room + 4.0));
        let kind = match group.kind {
            super::spec::GroupKind::Region => "region",
            super::spec::GroupKind::Cluster => "cluster",
            super::spec::GroupKind::Boundary => "boundary",
            super::spec::GroupKind::Zone => "zone",
        };
        scene.groups.push(GroupBox { id: group.id.clone(), kind, rect, label, members: group.nodes.clone() });
    }

    // Arrows joining the same two boxes are spread apart so both stay visible.
    let mut pair_counts: HashMap<(String, String), usize> = HashMap::new();
    for edge in &spec.edges {
        *pair_counts.entry(unordered(&edge.from, &edge.to)).or_default() += 1;
    }
    let mut pair_seen: HashMap<(String, String), usize> = HashMap::new();
    for (index, edge) in spec.edges.iter().enumerate() {
        let id = edge.id.clone().unwrap_or_else(|| format!("edge-{}", index + 1));
        let (Some(from), Some(to)) = (scene.node(&edge.from), scene.node(&edge.to)) else {
            for end in [&edge.from, &edge.to] {
                if scene.node(end).is_none() {
                    scene.problems.push(format!("edge `{id}` starts or ends at unknown node `{end}`"));
                }
            }
            continue;
        };
        if edge.from == edge.to {
            scene.problems.push(format!("edge `{id}` joins `{}` to itself", edge.from));
            continue;
        }
        let key = unordered(&edge.from, &edge.to);
        let count = pair_counts[&key];
        let nth = pair_seen.entry(key.clone()).or_default();
        let offset = (*nth as f32 - (count as f32 - 1.0) / 2.0) * PARALLEL_GAP;
        *nth += 1;
        // Offset perpendicular to the canonical direction, so A→B and B→A separate.
        let (a, b) = if edge.from == key.0 { (from.rect, to.rect) } else { (to.rect, from.rect) };
        let (ca, cb) = (a.center(), b.center());
        let length = ((cb.x - ca.x).powi(2) + (cb.y - ca.y).powi(2)).sqrt().max(1.0);
        let normal = Point::new(-(cb.y - ca.y) / length * offset, (cb.x - ca.x) / length * offset);
        let (start_c, end_c) = {
            let fc = from.rect.center();
            let tc = to.rect.center();
            (Point::new(fc.x + normal.x, fc.y + normal.y), Point::new(tc.x + normal.x, tc.y + normal.y))
        };
        let start = from.rect.inflate(3.0).exit_point(start_c, end_c);
        let end = to.rect.inflate(3.0).exit_point(end_c, start_c);
        let at = edge.label_at.unwrap_or(0.5);
        if !(0.15..=0.85).contains(&at) {
            scene.problems.push(format!("edge `{id}`: label_at {at} must be between 0.2 and 0.8"));
        }
        let (label, label_plate) = match &edge.label {
            Some(text) => {
                let mut anchor = start.lerp(end, at.clamp(0.0, 1.0));
                if offset != 0.0 {
                    // Side by side arrows: each label moves off its line, away from its twin.
                    let half_w = text_width(text, EDGE_LABEL_SIZE) / 2.0 + 4.0;
                    let half_h = EDGE_LABEL_SIZE * 0.6 + 4.0;
                    let (nx, ny) = (normal.x / offset.abs(), normal.y / offset.abs());
                    let reach = (nx.abs() * half_w + ny.abs() * half_h) + 2.0;
                    anchor = Point::new(anchor.x + nx * reach, anchor.y + ny * reach);
                }
                let label = Text::new(text, anchor.x, anchor.y + EDGE_LABEL_SIZE * 0.35, EDGE_LABEL_SIZE, Anchor::Middle, "dg-edge-label");
                let plate = label.bounds.inflate(3.0);
                (Some(label), Some(plate))
            }
            None => (None, None),
        };
        scene.edges.push(EdgeLine {
            id,
            from: edge.from.clone(),
            to: edge.to.clone(),
            points: vec![start, end],
            style: edge.style,
            heads: edge.heads,
            label,
            label_plate,
        });
    }

    let ids: Vec<String> = scene.element_ids().map(str::to_string).collect();
    check_unique_ids(ids.iter().map(String::as_str), &mut scene.problems);
    scene.steps = steps_of(&spec.steps);
    scene
}

/// An author's walk-through steps as the scene keeps them.
pub(super) fn steps_of(steps: &[StepSpec]) -> Vec<Step> {
    steps.iter().map(|step| Step { title: step.title.clone(), caption: step.caption.clone(), highlight: step.highlight.clone() }).collect()
}

fn unordered(a: &str, b: &str) -> (String, String) {
    if a <= b {
        (a.to_string(), b.to_string())
    } else {
        (b.to_string(), a.to_string())
    }
}

const ACTOR_W: f32 = 132.0;
const ACTOR_H: f32 = 54.0;
const MESSAGE_ROW: f32 = 44.0;
const MIN_LANE: f32 = 170.0;
const MAX_LANE: f32 = 320.0;
const SELF_LOOP_W: f32 = 28.0;

fn sequence(name: &str, spec: &SequenceSpec) -> Scene {
    let mut scene = empty_scene(name, "sequence", &spec.title, &spec.description);
    let index_of: HashMap<&str, usize> = spec.actors.iter().enumerate().map(|(i, actor)| (actor.id.as_str(), i)).collect();
    let numbered: Vec<String> = spec.messages.iter().enumerate().map(|(i, message)| format!("{}. {}", i + 1, message.label)).collect();

    // Lanes wide enough for the longest label between neighbours (up to a cap the lint enforces).
    let mut lane = MIN_LANE;
    for (message, label) in spec.messages.iter().zip(&numbered) {
        let (Some(&a), Some(&b)) = (index_of.get(message.from.as_str()), index_of.get(message.to.as_str())) else { continue };
        let needed = if a == b { text_width(label, EDGE_LABEL_SIZE) + SELF_LOOP_W + 24.0 } else { (text_width(label, EDGE_LABEL_SIZE) + 28.0) / a.abs_diff(b) as f32 };
        lane = lane.max(needed.min(MAX_LANE));
    }
    let lane_x = |i: usize| MARGIN + ACTOR_W / 2.0 + i as f32 * lane;
    let top = MARGIN;
    let first_row = top + ACTOR_H + 34.0;
    let bottom = first_row + spec.messages.len().max(1) as f32 * MESSAGE_ROW;
    scene.width = lane_x(spec.actors.len().saturating_sub(1)) + ACTOR_W / 2.0 + MARGIN;
    // A message to itself on the last actor needs room to the right of its lifeline.
    for (message, label) in spec.messages.iter().zip(&numbered) {
        if let Some(&i) = index_of.get(message.from.as_str()) {
            if message.from == message.to && i + 1 == spec.actors.len() {
                scene.width = scene.width.max(lane_x(i) + SELF_LOOP_W + 6.0 + text_width(label, EDGE_LABEL_SIZE) + 10.0);
            }
        }
    }
    scene.height = bottom + MARGIN;

    for (i, actor) in spec.actors.iter().enumerate() {
        let rect = Rect::new(lane_x(i) - ACTOR_W / 2.0, top, ACTOR_W, ACTOR_H);
        let inner = rect.inflate(-BOX_PAD);
        let mut texts = Vec::new();
        let caption = actor.kind.caption();
        if !caption.is_empty() {
            texts.push(Text::new(&caption.to_uppercase(), rect.center().x, inner.y + KIND_SIZE, KIND_SIZE, Anchor::Middle, "dg-kind").inside(&actor.id, inner));
        }
        let baseline = if caption.is_empty() { rect.center().y + LABEL_SIZE * 0.35 } else { inner.bottom() - 5.0 };
        texts.push(Text::new(&actor.label, rect.center().x, baseline, LABEL_SIZE, Anchor::Middle, "dg-label").inside(&actor.id, inner));
        scene.nodes.push(NodeBox { id: actor.id.clone(), kind: actor.kind, shape: Shape::Box, rect, texts, label: actor.label.clone(), marks: Vec::new() });
        scene.lifelines.push(Lifeline { actor: actor.id.clone(), x: lane_x(i), top: rect.bottom(), bottom });
    }

    for (index, (message, label)) in spec.messages.iter().zip(&numbered).enumerate() {
        let id = format!("m{}", index + 1);
        let (Some(&a), Some(&b)) = (index_of.get(message.from.as_str()), index_of.get(message.to.as_str())) else {
            scene.problems.push(format!("message {} names an unknown actor (`{}` → `{}`)", index + 1, message.from, message.to));
            continue;
        };
        let y = first_row + index as f32 * MESSAGE_ROW + MESSAGE_ROW * 0.55;
        let (x1, x2) = (lane_x(a), lane_x(b));
        let (points, text, room) = if a == b {
            let points = vec![Point::new(x1, y - 8.0), Point::new(x1 + SELF_LOOP_W, y - 8.0), Point::new(x1 + SELF_LOOP_W, y + 8.0), Point::new(x1, y + 8.0)];
            let text = Text::new(label, x1 + SELF_LOOP_W + 6.0, y + EDGE_LABEL_SIZE * 0.35, EDGE_LABEL_SIZE, Anchor::Start, "dg-edge-label");
            let room_right = if b + 1 < spec.actors.len() { lane_x(b + 1) - 6.0 } else { scene.width - 4.0 };
            (points, text, Rect::new(x1, y - MESSAGE_ROW / 2.0, room_right - x1, MESSAGE_ROW))
        } else {
            let direction = if x2 > x1 { 1.0 } else { -1.0 };
            let points = vec![Point::new(x1, y), Point::new(x2 - direction * 2.0, y)];
            let text = Text::new(label, (x1 + x2) / 2.0, y - 6.0, EDGE_LABEL_SIZE, Anchor::Middle, "dg-edge-label");
            (points, text, Rect::new(x1.min(x2) + 6.0, y - MESSAGE_ROW * 0.6, (x2 - x1).abs() - 12.0, MESSAGE_ROW * 0.6))
        };
        let text = text.inside(&id, room);
        scene.edges.push(EdgeLine {
            id: id.clone(),
            from: message.from.clone(),
            to: message.to.clone(),
            points,
            style: message.style,
            heads: Heads::End,
            label: Some(text),
            label_plate: None,
        });
        scene.steps.push(Step {
            title: label.clone(),
            caption: message.caption.clone().unwrap_or_else(|| message.label.clone()),
            highlight: vec![id, message.from.clone(), message.to.clone()],
        });
    }
    if spec.messages.is_empty() {
        scene.problems.push("a sequence needs at least one message".to_string());
    }
    check_unique_ids(spec.actors.iter().map(|actor| actor.id.as_str()), &mut scene.problems);
    scene
}

const LAYER_W: f32 = 620.0;
const LAYER_H: f32 = 50.0;
const LAYER_GAP: f32 = 8.0;

fn layers(name: &str, spec: &LayersSpec) -> Scene {
    let mut scene = empty_scene(name, "layers", &spec.title, &spec.description);
    scene.width = LAYER_W + MARGIN * 2.0;
    scene.height = MARGIN * 2.0 + spec.layers.len() as f32 * (LAYER_H + LAYER_GAP) - LAYER_GAP;
    for (index, layer) in spec.layers.iter().enumerate() {
        let rect = Rect::new(MARGIN, MARGIN + index as f32 * (LAYER_H + LAYER_GAP), LAYER_W, LAYER_H);
        let inner = rect.inflate(-BOX_PAD);
        let baseline = rect.center().y + 15.0 * 0.35;
        let mut texts = vec![Text::new(&layer.label, rect.x + 16.0, baseline, 15.0, Anchor::Start, "dg-label dg-label--strong").inside(&layer.id, inner)];
        if let Some(detail) = &layer.detail {
            texts.push(Text::new(detail, rect.right() - 16.0, baseline, 13.0, Anchor::End, "dg-detail").inside(&layer.id, inner));
        }
        let label = match &layer.detail {
            Some(detail) => format!("{}: {detail}", layer.label),
            None => layer.label.clone(),
        };
        scene.nodes.push(NodeBox { id: layer.id.clone(), kind: NodeKind::Generic, shape: Shape::Bar, rect, texts, label, marks: Vec::new() });
    }
    check_unique_ids(spec.layers.iter().map(|layer| layer.id.as_str()), &mut scene.problems);
    scene.steps = steps_of(&spec.steps);
    scene
}

