//! A laid-out diagram: every box, line and piece of text at its final position. The linter
//! checks it and the SVG writer draws it, so both see exactly the same geometry.

use super::geometry::{Point, Rect};
use super::spec::{Heads, LineStyle, NodeKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// One line of text. `bounds` is its estimated extent; `container`, when set, is the box it
/// must stay inside.
#[derive(Debug, Clone)]
pub struct Text {
    pub content: String,
    pub x: f32,
    pub baseline: f32,
    pub size: f32,
    pub anchor: Anchor,
    pub class: &'static str,
    pub bounds: Rect,
    pub container: Option<(String, Rect)>,
}

impl Text {
    pub fn new(content: &str, x: f32, baseline: f32, size: f32, anchor: Anchor, class: &'static str) -> Self {
        let width = super::text::text_width(content, size);
        let left = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        };
        // Ascent and descent of a sans-serif face, rounded up.
        let bounds = Rect::new(left, baseline - size * 0.9, width, size * 1.12);
        Self { content: content.to_string(), x, baseline, size, anchor, class, bounds, container: None }
    }

    pub fn inside(mut self, owner: &str, container: Rect) -> Self {
        self.container = Some((owner.to_string(), container));
        self
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Box,
    Pill,
    Cylinder,
    Bar,
    /// A state machine's starting point: a filled dot, no text.
    Dot,
}

/// Extra marks drawn with a box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// A bar to scale, beside the box (a timeline phase's duration).
    Bar(Rect),
    /// A second border inside the box (a final state).
    Ring(Rect),
}

#[derive(Debug, Clone)]
pub struct NodeBox {
    pub id: String,
    pub kind: NodeKind,
    pub shape: Shape,
    pub rect: Rect,
    pub texts: Vec<Text>,
    /// The label as one string, for the text alternative.
    pub label: String,
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone)]
pub struct GroupBox {
    pub id: String,
    pub kind: &'static str,
    pub rect: Rect,
    pub label: Text,
    pub members: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct EdgeLine {
    pub id: String,
    pub from: String,
    pub to: String,
    /// The polyline, from the tail to the head.
    pub points: Vec<Point>,
    pub style: LineStyle,
    pub heads: Heads,
    pub label: Option<Text>,
    /// The opaque plate behind the label, so the line never runs through its text.
    pub label_plate: Option<Rect>,
}

#[derive(Debug, Clone)]
pub struct Lifeline {
    pub actor: String,
    pub x: f32,
    pub top: f32,
    pub bottom: f32,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub title: String,
    pub caption: String,
    pub highlight: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Scene {
    pub name: String,
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub width: f32,
    pub height: f32,
    pub groups: Vec<GroupBox>,
    pub nodes: Vec<NodeBox>,
    pub edges: Vec<EdgeLine>,
    pub lifelines: Vec<Lifeline>,
    pub steps: Vec<Step>,
    /// Problems found while laying out (unknown ids and the like), reported by the linter.
    pub problems: Vec<String>,
}

impl Scene {
    pub fn node(&self, id: &str) -> Option<&NodeBox> {
        self.nodes.iter().find(|node| node.id == id)
    }

    /// Every id a step may highlight.
    pub fn element_ids(&self) -> impl Iterator<Item = &str> {
        self.nodes
            .iter()
            .map(|node| node.id.as_str())
            .chain(self.groups.iter().map(|group| group.id.as_str()))
            .chain(self.edges.iter().map(|edge| edge.id.as_str()))
    }
}
