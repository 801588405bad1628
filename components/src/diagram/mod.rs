//! Diagrams as data: a declarative description (architecture, sequence, layers, tree, state
//! machine or timeline) is laid out
//! into a scene, linted, drawn as SVG and described in words. One renderer serves the build's
//! prerendering and the app.

pub mod geometry;
mod kinds;
pub mod layout;
pub mod lint;
pub mod scene;
pub mod spec;
pub mod svg;
pub mod text;

use scene::Scene;
use spec::DiagramSpec;

/// A diagram ready for a page: the SVG, the walk-through, and the words for those who cannot
/// see it.
#[derive(Debug, Clone)]
pub struct RenderedDiagram {
    pub name: String,
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub svg: String,
    pub steps: Vec<scene::Step>,
    pub alternative: TextAlternative,
}

/// The elements and the connections, in reading order, as sentences.
#[derive(Debug, Clone, Default)]
pub struct TextAlternative {
    pub elements: Vec<String>,
    pub connections: Vec<String>,
}

/// Lays out, lints and draws a diagram. `Err` lists every problem the lint found.
pub fn render(name: &str, spec: &DiagramSpec) -> Result<RenderedDiagram, Vec<String>> {
    let scene = layout::layout(name, spec);
    let problems = lint::lint(&scene);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(RenderedDiagram {
        name: name.to_string(),
        kind: scene.kind,
        title: scene.title.clone(),
        description: scene.description.clone(),
        svg: svg::to_svg(&scene),
        steps: scene.steps.clone(),
        alternative: describe(&scene),
    })
}

fn describe(scene: &Scene) -> TextAlternative {
    let label_of = |id: &str| scene.node(id).map(|node| node.label.replace('\n', " ")).unwrap_or_else(|| id.to_string());
    let mut elements: Vec<String> = scene
        .nodes
        .iter()
        .map(|node| {
            let label = node.label.replace('\n', " ");
            let kind = node.kind.caption();
            let groups: Vec<&str> = scene.groups.iter().filter(|group| group.members.contains(&node.id)).map(|group| group.label.content.as_str()).collect();
            let mut sentence = if kind.is_empty() { label } else { format!("{label} ({kind})") };
            if !groups.is_empty() {
                sentence.push_str(&format!(", in {}", groups.join(" and ")));
            }
            sentence
        })
        .collect();
    elements.extend(scene.groups.iter().map(|group| format!("Group {} ({}): {}", group.label.content, group.kind, group.members.iter().map(|m| label_of(m)).collect::<Vec<_>>().join(", "))));
    let connections = scene
        .edges
        .iter()
        .map(|edge| {
            let arrow = match edge.heads {
                spec::Heads::Both => "↔",
                spec::Heads::None => "—",
                spec::Heads::End => "→",
            };
            let mut sentence = format!("{} {arrow} {}", label_of(&edge.from), label_of(&edge.to));
            if let Some(label) = &edge.label {
                sentence.push_str(&format!(": {}", label.content));
            }
            if edge.style == spec::LineStyle::Dashed {
                sentence.push_str(" (dashed)");
            }
            sentence
        })
        .collect();
    TextAlternative { elements, connections }
}

#[cfg(test)]
mod tests;
