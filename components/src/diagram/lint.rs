//! Checks a laid-out diagram the way a careful reader would look at it: every label inside its
//! box, nothing on top of anything else, every arrow joining the two boxes it names and no
//! other, every step naming something that exists.

use super::geometry::Rect;
use super::scene::{Scene, Text};

pub fn lint(scene: &Scene) -> Vec<String> {
    let mut problems = scene.problems.clone();
    let canvas = Rect::new(0.0, 0.0, scene.width, scene.height);

    let texts = all_texts(scene);
    for text in &texts {
        if let Some((owner, room)) = &text.container {
            if !room.contains(&text.bounds) {
                let fits_across = text.bounds.x >= room.x - 0.01 && text.bounds.right() <= room.right() + 0.01;
                if fits_across {
                    problems.push(format!("the text of `{owner}` needs more lines than its box holds (it overflows at `{}`): shorten the label", text.content));
                } else {
                    problems.push(format!(
                        "label `{}` ({:.0} px wide) does not fit in `{owner}` ({:.0} px of room): shorten it or give it more space",
                        text.content, text.bounds.w, room.w
                    ));
                }
            }
        }
        if !canvas.contains(&text.bounds) {
            problems.push(format!("label `{}` runs off the diagram", text.content));
        }
    }
    for (i, a) in texts.iter().enumerate() {
        for b in &texts[i + 1..] {
            if a.bounds.intersects(&b.bounds) {
                problems.push(format!("labels `{}` and `{}` overlap", a.content, b.content));
            }
        }
    }

    for node in &scene.nodes {
        for mark in &node.marks {
            let (super::scene::Mark::Bar(rect) | super::scene::Mark::Ring(rect)) = mark;
            if !canvas.contains(rect) {
                problems.push(format!("a mark of `{}` runs off the diagram", node.id));
            }
        }
    }
    for (i, a) in scene.nodes.iter().enumerate() {
        for b in &scene.nodes[i + 1..] {
            if a.rect.inflate(4.0).intersects(&b.rect) {
                problems.push(format!("boxes `{}` and `{}` overlap", a.id, b.id));
            }
        }
    }

    for edge in &scene.edges {
        for pair in edge.points.windows(2) {
            for node in &scene.nodes {
                if node.id == edge.from || node.id == edge.to {
                    continue;
                }
                if node.rect.inflate(-1.0).crossed_by(pair[0], pair[1]) {
                    problems.push(format!("arrow `{}` ({} → {}) crosses box `{}`: move a box so the line runs clear", edge.id, edge.from, edge.to, node.id));
                }
            }
        }
        if let Some(plate) = &edge.label_plate {
            for node in &scene.nodes {
                if plate.intersects(&node.rect) {
                    problems.push(format!("the label of arrow `{}` covers box `{}`: move it with label_at or move the boxes apart", edge.id, node.id));
                }
            }
            for group in &scene.groups {
                if plate.intersects(&group.label.bounds) {
                    problems.push(format!("the label of arrow `{}` covers the label of group `{}`", edge.id, group.id));
                }
            }
        }
    }

    for group in &scene.groups {
        for node in &scene.nodes {
            if !group.members.contains(&node.id) && group.rect.intersects(&node.rect) {
                problems.push(format!("group `{}` overlaps box `{}`, which is not one of its members", group.id, node.id));
            }
        }
        if !canvas.inflate(2.0).contains(&group.rect) {
            problems.push(format!("group `{}` runs off the diagram: leave an empty row or column around it", group.id));
        }
    }
    for (i, a) in scene.groups.iter().enumerate() {
        for b in &scene.groups[i + 1..] {
            let nested = a.rect.contains(&b.rect) || b.rect.contains(&a.rect);
            if a.rect.intersects(&b.rect) && !nested {
                problems.push(format!("groups `{}` and `{}` partly overlap", a.id, b.id));
            }
        }
    }

    let ids: Vec<&str> = scene.element_ids().collect();
    for (index, step) in scene.steps.iter().enumerate() {
        if step.title.trim().is_empty() || step.caption.trim().is_empty() {
            problems.push(format!("step {} needs a title and a caption", index + 1));
        }
        for id in &step.highlight {
            if !ids.contains(&id.as_str()) {
                problems.push(format!("step {} highlights unknown element `{id}`", index + 1));
            }
        }
    }
    if scene.nodes.is_empty() {
        problems.push("the diagram has no boxes".to_string());
    }
    problems.dedup();
    problems
}

fn all_texts(scene: &Scene) -> Vec<&Text> {
    scene
        .nodes
        .iter()
        .flat_map(|node| node.texts.iter())
        .chain(scene.groups.iter().map(|group| &group.label))
        .chain(scene.edges.iter().filter_map(|edge| edge.label.as_ref()))
        .collect()
}
