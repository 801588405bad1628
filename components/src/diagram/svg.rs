//! Draws a scene as SVG. Colours come from CSS classes and variables, never from the markup,
//! so the same SVG is right in the light and the dark theme.

use super::geometry::{Point, Rect};
use super::scene::{Anchor, EdgeLine, Mark, NodeBox, Scene, Shape, Text};
use super::spec::{Heads, LineStyle};
use std::fmt::Write;

pub fn to_svg(scene: &Scene) -> String {
    let mut svg = String::with_capacity(8 * 1024);
    let id = |part: &str| format!("dg-{}-{part}", scene.name);
    let _ = write!(
        svg,
        r#"<svg class="dg dg--{kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{title_id} {desc_id}" data-diagram="{name}">"#,
        kind = scene.kind,
        w = round(scene.width),
        h = round(scene.height),
        title_id = id("title"),
        desc_id = id("desc"),
        name = escape(&scene.name),
    );
    let _ = write!(svg, r#"<title id="{}">{}</title><desc id="{}">{}</desc>"#, id("title"), escape(&scene.title), id("desc"), escape(&scene.description));

    for group in &scene.groups {
        let _ = write!(svg, r#"<g class="dg-el dg-group dg-group--{}" data-id="{}">"#, group.kind, escape(&group.id));
        rect(&mut svg, &group.rect, 12.0, "dg-group-box");
        text(&mut svg, &group.label);
        svg.push_str("</g>");
    }
    for lifeline in &scene.lifelines {
        let _ = write!(
            svg,
            r#"<line class="dg-lifeline" data-for="{}" x1="{x}" y1="{}" x2="{x}" y2="{}"/>"#,
            escape(&lifeline.actor),
            round(lifeline.top),
            round(lifeline.bottom),
            x = round(lifeline.x),
        );
    }
    for edge in &scene.edges {
        draw_edge(&mut svg, edge);
    }
    for node in &scene.nodes {
        draw_node(&mut svg, node);
    }
    svg.push_str("</svg>");
    svg
}

fn draw_node(svg: &mut String, node: &NodeBox) {
    let shape = match node.shape {
        Shape::Box => "box",
        Shape::Pill => "pill",
        Shape::Cylinder => "cylinder",
        Shape::Bar => "bar",
        Shape::Dot => "dot",
    };
    let kind = node.kind.caption().replace(' ', "-");
    let kind = if kind.is_empty() { "generic".to_string() } else { kind };
    let _ = write!(svg, r#"<g class="dg-el dg-node dg-node--{kind} dg-shape--{shape}" data-id="{}">"#, escape(&node.id));
    let r = &node.rect;
    match node.shape {
        Shape::Box => rect(svg, r, 8.0, "dg-box"),
        Shape::Bar => rect(svg, r, 6.0, "dg-box"),
        Shape::Pill => rect(svg, r, r.h / 2.0, "dg-box"),
        Shape::Dot => {
            let _ = write!(svg, r#"<circle class="dg-dot" cx="{}" cy="{}" r="{}"/>"#, round(r.center().x), round(r.center().y), round(r.w / 2.0));
        }
        Shape::Cylinder => {
            let ry = 7.0;
            let _ = write!(
                svg,
                r#"<path class="dg-box" d="M{x} {top} A{rx} {ry} 0 0 1 {right} {top} V{bottom} A{rx} {ry} 0 0 1 {x} {bottom} Z"/><path class="dg-box-rim" d="M{x} {top} A{rx} {ry} 0 0 0 {right} {top}"/>"#,
                x = round(r.x),
                right = round(r.right()),
                top = round(r.y + ry),
                bottom = round(r.bottom() - ry),
                rx = round(r.w / 2.0),
            );
        }
    }
    for mark in &node.marks {
        match mark {
            Mark::Ring(inner) => {
                let radius = if node.shape == Shape::Pill { inner.h / 2.0 } else { 5.0 };
                rect(svg, inner, radius, "dg-ring");
            }
            Mark::Bar(bar) => rect(svg, bar, 3.0, "dg-bar"),
        }
    }
    for line in &node.texts {
        text(svg, line);
    }
    svg.push_str("</g>");
}

fn draw_edge(svg: &mut String, edge: &EdgeLine) {
    let style = match edge.style {
        LineStyle::Solid => "solid",
        LineStyle::Dashed => "dashed",
    };
    let _ = write!(svg, r#"<g class="dg-el dg-edge dg-edge--{style}" data-id="{}" data-from="{}" data-to="{}">"#, escape(&edge.id), escape(&edge.from), escape(&edge.to));
    let mut d = String::new();
    for (index, point) in edge.points.iter().enumerate() {
        let _ = write!(d, "{}{} {}", if index == 0 { "M" } else { " L" }, round(point.x), round(point.y));
    }
    let _ = write!(svg, r#"<path class="dg-line" d="{d}"/>"#);
    let n = edge.points.len();
    if n >= 2 {
        if matches!(edge.heads, Heads::End | Heads::Both) {
            arrowhead(svg, edge.points[n - 2], edge.points[n - 1]);
        }
        if edge.heads == Heads::Both {
            arrowhead(svg, edge.points[1], edge.points[0]);
        }
    }
    if let Some(plate) = &edge.label_plate {
        rect(svg, plate, 4.0, "dg-label-plate");
    }
    if let Some(label) = &edge.label {
        text(svg, label);
    }
    svg.push_str("</g>");
}

fn arrowhead(svg: &mut String, from: Point, tip: Point) {
    let (dx, dy) = (tip.x - from.x, tip.y - from.y);
    let length = (dx * dx + dy * dy).sqrt().max(0.001);
    let (ux, uy) = (dx / length, dy / length);
    let (back, half) = (10.0, 5.0);
    let base = Point::new(tip.x - ux * back, tip.y - uy * back);
    let _ = write!(
        svg,
        r#"<path class="dg-head" d="M{} {} L{} {} L{} {} Z"/>"#,
        round(tip.x),
        round(tip.y),
        round(base.x - uy * half),
        round(base.y + ux * half),
        round(base.x + uy * half),
        round(base.y - ux * half),
    );
}

fn rect(svg: &mut String, r: &Rect, radius: f32, class: &str) {
    let _ = write!(
        svg,
        r#"<rect class="{class}" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
        round(r.x),
        round(r.y),
        round(r.w),
        round(r.h),
        round(radius)
    );
}

fn text(svg: &mut String, t: &Text) {
    let anchor = match t.anchor {
        Anchor::Start => "start",
        Anchor::Middle => "middle",
        Anchor::End => "end",
    };
    let _ = write!(
        svg,
        r#"<text class="{}" x="{}" y="{}" font-size="{}" text-anchor="{anchor}">{}</text>"#,
        t.class,
        round(t.x),
        round(t.baseline),
        round(t.size),
        escape(&t.content)
    );
}

/// Coordinates to one decimal: enough precision, a third of the bytes.
fn round(value: f32) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}
