//! The first frame of the tool, drawn at build time (see `viz::poster`): the system as a
//! reliability block diagram (series left to right, parallel branches stacked between a fork
//! and a join), each component with its availability, and what the whole reaches.

use super::{format_duration, format_nines, format_percent, Availability, GroupKind, Node, Period, AVAILABILITY_PARAMS, DEFAULT_TREE};
use crate::diagram::text::{text_width, wrap};
use crate::sim::Params;
use crate::viz::poster::{Anchor, Sketch, Tone, WIDTH};

/// The key the tool keeps its tree under in the link (beside the `target` parameter).
const TREE_KEY: &str = "tree";

const EDGE: f32 = 6.0;
/// Where the diagram may start and end, leaving room for the wires in and out.
const LEFT: f32 = 12.0;
const AVAILABLE: f32 = WIDTH - 2.0 * LEFT;
const TOP: f32 = 6.0;
/// Taller trees are drawn with their deepest groups folded into one box each.
const MAX_TREE_HEIGHT: f32 = 220.0;
const SIZE: f32 = 12.0;
const BOX_HEIGHT: f32 = 36.0;
const SERIES_GAP: f32 = 14.0;
/// The wire from a parallel group's fork to its branches (and from them to its join).
const FORK: f32 = 10.0;
const BRANCH_GAP: f32 = 6.0;
/// Between the rows a long chain is wrapped into.
const ROW_GAP: f32 = 20.0;
/// How far the weakest link's frame stands off its box (inside the gaps between boxes).
const WEAKEST_MARGIN: f32 = 3.0;

/// The colours the page gives groups: series boxes orange, parallel ones sky blue.
fn tone(kind: GroupKind) -> Tone {
    match kind {
        GroupKind::Series => Some(1),
        GroupKind::Parallel => Some(2),
    }
}

/// The two lines of a box: a component's name, or what a folded group holds; and its availability.
fn box_lines(node: &Node) -> (String, String) {
    match node {
        Node::Component(component) => (component.name.clone(), format_percent(Availability::from_percent(component.percent))),
        Node::Group(kind, children) => {
            let how = if *kind == GroupKind::Series { "all of" } else { "any of" };
            (format!("{how} {}", children.len()), format_percent(node.evaluate()))
        }
    }
}

fn box_width(node: &Node) -> f32 {
    let (name, percent) = box_lines(node);
    (text_width(&name, SIZE).max(text_width(&percent, SIZE)) + 12.0).max(44.0)
}

/// Lays the tree out with groups at depth `fold` and below drawn as one box each.
struct Layout {
    fold: usize,
}

impl Layout {
    fn folded(&self, node: &Node, depth: usize) -> bool {
        matches!(node, Node::Component(_)) || depth >= self.fold
    }

    fn size(&self, node: &Node, depth: usize) -> (f32, f32) {
        match node {
            _ if self.folded(node, depth) => (box_width(node), BOX_HEIGHT),
            Node::Group(GroupKind::Series, children) => {
                let sizes = children.iter().map(|child| self.size(child, depth + 1));
                sizes.fold((-SERIES_GAP, 0.0f32), |(width, height), (w, h)| (width + w + SERIES_GAP, height.max(h)))
            }
            Node::Group(_, children) => {
                let sizes = children.iter().map(|child| self.size(child, depth + 1));
                let (width, height) = sizes.fold((0.0f32, -BRANCH_GAP), |(width, height), (w, h)| (width.max(w), height + h + BRANCH_GAP));
                (width + 2.0 * FORK, height)
            }
            Node::Component(_) => (box_width(node), BOX_HEIGHT),
        }
    }

    /// A chain too wide for the canvas is wrapped into rows, as text is; `None` when it fits
    /// on one line or is not a chain. Each row is a list of child indices.
    fn rows(&self, root: &Node) -> Option<Vec<Vec<usize>>> {
        let Node::Group(GroupKind::Series, children) = root else { return None };
        if self.folded(root, 0) || self.size(root, 0).0 <= AVAILABLE {
            return None;
        }
        let mut rows: Vec<Vec<usize>> = vec![Vec::new()];
        let mut used = 0.0;
        for (index, child) in children.iter().enumerate() {
            let width = self.size(child, 1).0;
            let last = rows.len() - 1;
            if !rows[last].is_empty() && used + SERIES_GAP + width > AVAILABLE {
                rows.push(Vec::new());
                used = 0.0;
            }
            used += if used > 0.0 { SERIES_GAP } else { 0.0 } + width;
            let last = rows.len() - 1;
            rows[last].push(index);
        }
        Some(rows)
    }

    /// The width and height the whole drawing takes.
    fn footprint(&self, root: &Node) -> (f32, f32) {
        let (Some(rows), Node::Group(_, children)) = (self.rows(root), root) else { return self.size(root, 0) };
        let mut extent = (0.0f32, -ROW_GAP);
        for row in rows {
            let sizes: Vec<(f32, f32)> = row.iter().map(|index| self.size(&children[*index], 1)).collect();
            let width = sizes.iter().map(|size| size.0).sum::<f32>() + SERIES_GAP * (sizes.len() as f32 - 1.0);
            extent = (extent.0.max(width), extent.1 + ROW_GAP + sizes.iter().map(|size| size.1).fold(0.0, f32::max));
        }
        extent
    }

    /// Draws `node` (at `path` in the tree) with its top-left corner at (`x`, `y`); its wires go
    /// into `wires`. The box holding `weakest` gets a frame of its own.
    #[allow(clippy::too_many_arguments)]
    fn place(&self, sketch: &mut Sketch, wires: &mut String, node: &Node, path: &mut Vec<usize>, weakest: Option<&[usize]>, depth: usize, x: f32, y: f32, outline: Tone) {
        let (width, height) = self.size(node, depth);
        let middle = y + height / 2.0;
        match node {
            Node::Group(kind, children) if !self.folded(node, depth) => {
                let mut at = if *kind == GroupKind::Series { x } else { x + FORK };
                let mut branch_top = y;
                let mut ends = (0.0f32, 0.0f32);
                for (index, child) in children.iter().enumerate() {
                    let (w, h) = self.size(child, depth + 1);
                    path.push(index);
                    if *kind == GroupKind::Series {
                        self.place(sketch, wires, child, path, weakest, depth + 1, at, middle - h / 2.0, tone(*kind));
                        if index + 1 < children.len() {
                            wires.push_str(&format!("M{:.1} {middle:.1}h{SERIES_GAP}", at + w));
                        }
                        at += w + SERIES_GAP;
                    } else {
                        self.place(sketch, wires, child, path, weakest, depth + 1, at, branch_top, tone(*kind));
                        let branch = branch_top + h / 2.0;
                        // Out of the fork into the branch, and on from its end to the join.
                        wires.push_str(&format!("M{x:.1} {branch:.1}h{FORK}M{:.1} {branch:.1}H{:.1}", at + w, x + width));
                        ends = if index == 0 { (branch, branch) } else { (ends.0, branch) };
                        branch_top += h + BRANCH_GAP;
                    }
                    path.pop();
                }
                if *kind == GroupKind::Parallel {
                    wires.push_str(&format!("M{x:.1} {:.1}V{:.1}M{:.1} {:.1}V{:.1}", ends.0, ends.1, x + width, ends.0, ends.1));
                }
            }
            _ => {
                let (name, percent) = box_lines(node);
                let own = if let Node::Group(kind, _) = node { tone(*kind) } else { outline };
                if weakest.is_some_and(|weakest| weakest.starts_with(path)) {
                    // A frame around the box, so the weakest link shows by shape, not colour alone.
                    let m = WEAKEST_MARGIN;
                    sketch.path(&format!("M{:.1} {:.1}h{:.1}v{:.1}h{:.1}Z", x - m, y - m, width + 2.0 * m, height + 2.0 * m, -(width + 2.0 * m)), Some(4));
                }
                sketch.rect(x, y, width, height, 6.0, own);
                sketch.text(x + width / 2.0, y + 15.0, SIZE, Anchor::Middle, true, &name);
                sketch.text(x + width / 2.0, y + 30.0, SIZE, Anchor::Middle, false, &percent);
            }
        }
    }
}

/// The tree in words, for the screen reader: "lb 99.99% then (app1 99.9% or app2 99.9%)".
fn describe(node: &Node, nested: bool) -> String {
    match node {
        Node::Component(component) => format!("{} {}", component.name, format_percent(Availability::from_percent(component.percent))),
        Node::Group(kind, children) => {
            let joiner = if *kind == GroupKind::Series { " then " } else { " or " };
            let inner = children.iter().map(|child| describe(child, true)).collect::<Vec<_>>().join(joiner);
            if nested && children.len() > 1 { format!("({inner})") } else { inner }
        }
    }
}

/// The tree the tool would show for these pairs: the link's, or the default when it has none
/// or it does not read.
fn tree_of(pairs: &[(String, String)]) -> Node {
    let default = || Node::parse(DEFAULT_TREE).unwrap_or_else(|_| Node::component("service", 99.9));
    match pairs.iter().rev().find(|(key, _)| key == TREE_KEY) {
        Some((_, text)) => Node::parse(text).unwrap_or_else(|_| default()),
        None => default(),
    }
}

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    let (params, _) = Params::from_pairs(AVAILABILITY_PARAMS, pairs);
    diagram(&tree_of(pairs), Availability::from_percent(params.float("target")))
}

/// The component whose failures cost the system most: the one that, if it never failed, would
/// raise the whole the most. `None` for a tree that nothing would improve (all perfect).
pub fn weakest_link(tree: &Node) -> Option<(Vec<usize>, String, Availability)> {
    let whole = tree.evaluate();
    tree.components()
        .into_iter()
        .map(|(path, component)| {
            let perfect = tree.evaluate_if_perfect(&path);
            (path, component.name.clone(), perfect)
        })
        .filter(|(_, _, perfect)| perfect.down < whole.down)
        .fold(None, |best: Option<(Vec<usize>, String, Availability)>, candidate| match best {
            Some(best) if best.2.down <= candidate.2.down => Some(best),
            _ => Some(candidate),
        })
}

/// The system as a reliability block diagram, with its weakest link framed and what the whole
/// reaches against `target`: the tool's first frame and its live picture.
pub fn diagram(tree: &Node, target: Availability) -> Sketch {
    let tree = tree.clone();
    let whole = tree.evaluate();
    let weakest = weakest_link(&tree);

    // As much of the tree as fits: fold the deepest groups first, the whole tree last.
    let layout = (0..=tree.depth())
        .rev()
        .map(|fold| Layout { fold })
        .find(|layout| {
            let (width, height) = layout.footprint(&tree);
            width <= AVAILABLE && height <= MAX_TREE_HEIGHT
        })
        .unwrap_or(Layout { fold: 0 });
    let (width, height) = layout.footprint(&tree);

    let meets = whole.down <= target.down;
    let headline = format!("{} available · {} nines", format_percent(whole), format_nines(whole));
    let detail = format!(
        "{} down a year · target {} {}",
        format_duration(whole.downtime_seconds(Period::Year)),
        format_percent(target),
        if meets { "met" } else { "missed" }
    );
    let mut detail = wrap(&detail, SIZE, WIDTH - 2.0 * EDGE);
    if let Some((_, name, perfect)) = &weakest {
        detail.extend(wrap(&format!("Weakest link (framed): {name}; if it never failed, {}", format_percent(*perfect)), SIZE, WIDTH - 2.0 * EDGE));
    }
    let summary_top = TOP + height + 24.0;
    let label = format!(
        "A reliability block diagram of {}, together {} available ({} down a year), which {} the {} target.{}",
        describe(&tree, false),
        format_percent(whole),
        format_duration(whole.downtime_seconds(Period::Year)),
        if meets { "meets" } else { "misses" },
        format_percent(target),
        weakest.as_ref().map_or(String::new(), |(_, name, perfect)| format!(" The weakest link is {name}: if it never failed, the system would be {}.", format_percent(*perfect)))
    );
    let weakest = weakest.as_ref().map(|(path, _, _)| path.as_slice());
    let mut path = Vec::new();
    let mut sketch = Sketch::new(summary_top + 18.0 * detail.len() as f32 + 6.0, &label);
    let mut wires = String::new();

    match (layout.rows(&tree), &tree) {
        (Some(rows), Node::Group(_, children)) => {
            // A long chain reads left to right and wraps, the wire turning down to the next row.
            let mut y = TOP;
            let mut previous_end: Option<(f32, f32)> = None;
            for row in rows {
                let row_height = row.iter().map(|index| layout.size(&children[*index], 1).1).fold(0.0, f32::max);
                let middle = y + row_height / 2.0;
                let mut x = LEFT;
                for (position, index) in row.iter().enumerate() {
                    let (w, h) = layout.size(&children[*index], 1);
                    if position == 0 {
                        if let Some((end_x, end_y)) = previous_end {
                            let turn = y - ROW_GAP / 2.0;
                            wires.push_str(&format!("M{end_x:.1} {end_y:.1}h5V{turn:.1}H{:.1}V{middle:.1}H{x:.1}", x - 5.0));
                        }
                    } else {
                        wires.push_str(&format!("M{:.1} {middle:.1}H{x:.1}", x - SERIES_GAP));
                    }
                    path.clear();
                    path.push(*index);
                    layout.place(&mut sketch, &mut wires, &children[*index], &mut path, weakest, 1, x, middle - h / 2.0, tone(GroupKind::Series));
                    x += w + SERIES_GAP;
                }
                previous_end = Some((x - SERIES_GAP, middle));
                y += row_height + ROW_GAP;
            }
        }
        _ => {
            let x = (WIDTH - width) / 2.0;
            let middle = TOP + height / 2.0;
            // The wire in from the left and out to the right, as block diagrams are drawn.
            wires.push_str(&format!("M{EDGE} {middle:.1}H{x:.1}M{:.1} {middle:.1}H{}", x + width, WIDTH - EDGE));
            layout.place(&mut sketch, &mut wires, &tree, &mut path, weakest, 0, x, TOP, None);
        }
    }
    sketch.path(&wires, None);

    sketch.text(EDGE, summary_top, SIZE, Anchor::Start, true, &headline);
    for (index, line) in detail.iter().enumerate() {
        sketch.text(EDGE, summary_top + 18.0 * (index + 1) as f32, SIZE, Anchor::Start, false, line);
    }
    sketch
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::viz::poster::{aria_label, pairs};
    use crate::viz::availability::PRESETS;


    fn boxes(svg: &str) -> usize {
        svg.matches("<rect ").count()
    }

    #[test]
    fn the_default_draws_every_component_and_the_whole_as_the_model_computes_it() {
        let tree = Node::parse(DEFAULT_TREE).unwrap();
        let poster = poster(&[]).finish();
        assert!(poster.problems.is_empty(), "{:?}", poster.problems);
        assert!(poster.svg.len() < 3_000, "{} bytes", poster.svg.len());
        let components = tree.components();
        assert_eq!(boxes(&poster.svg), components.len());
        for (_, component) in components {
            assert!(poster.svg.contains(&format!(">{}</text>", component.name)), "{}: {}", component.name, poster.svg);
        }
        assert!(poster.svg.contains(&format_percent(tree.evaluate())), "{}", poster.svg);
        // Two replicas of 99.9% make 99.9999%, and a chain is worse than its worst part.
        assert!(tree.evaluate().percent() < 99.95);
        assert!(poster.svg.contains("target 99.99% missed"), "{}", poster.svg);
    }

    #[test]
    fn the_weakest_link_is_the_part_whose_perfection_helps_most_and_it_is_framed() {
        // lb 99.99% then (app1 or app2, 99.9% each: 99.9999%) then db 99.95%: the database.
        let tree = Node::parse(DEFAULT_TREE).unwrap();
        let (path, name, perfect) = weakest_link(&tree).unwrap();
        assert_eq!((path.as_slice(), name.as_str()), (&[2usize][..], "db"));
        assert!((perfect.percent() - 99.99 * 0.999_999).abs() < 1e-9, "{}", perfect.percent());
        let drawn = poster(&[]).finish();
        assert!(drawn.problems.is_empty(), "{:?}", drawn.problems);
        assert_eq!(drawn.svg.matches("pv-path--4").count(), 1, "one frame: {}", drawn.svg);
        assert!(drawn.svg.contains("Weakest link (framed): db;"), "{}", drawn.svg);
        assert!(aria_label(&drawn.svg).contains("The weakest link is db"), "{}", aria_label(&drawn.svg));
        // A replica of one app server is never the weakest: each alone barely matters.
        let apps = weakest_link(&Node::parse("s(c:lb:99.9,p(c:app1:99.0,c:app2:99.0))").unwrap()).unwrap();
        assert_eq!(apps.1, "lb");
        // Nothing to improve, nothing framed.
        let perfect = poster(&pairs(&[("tree", "s(c:a:100,c:b:100)")])).finish();
        assert!(weakest_link(&Node::parse("s(c:a:100,c:b:100)").unwrap()).is_none());
        assert!(!perfect.svg.contains("pv-path--4") && !perfect.svg.contains("Weakest"), "{}", perfect.svg);
        // Every preset draws with its weakest link named, within the canvas.
        for (label, text) in PRESETS {
            let drawn = diagram(&Node::parse(text).unwrap(), Availability::from_percent(99.99)).finish();
            assert!(drawn.problems.is_empty(), "{label}: {:?}", drawn.problems);
            assert_eq!(drawn.svg.matches("pv-path--4").count(), 1, "{label}: {}", drawn.svg);
        }
    }

    #[test]
    fn a_parallel_group_is_drawn_as_branches_not_a_chain() {
        let series = poster(&pairs(&[("tree", "s(c:a:99.9,c:b:99.9)")])).finish().svg;
        let parallel = poster(&pairs(&[("tree", "p(c:a:99.9,c:b:99.9)")])).finish().svg;
        let box_tops = |svg: &str| -> Vec<String> { svg.split("<rect ").skip(1).map(|rect| rect.split("y=\"").nth(1).unwrap().split('"').next().unwrap().to_string()).collect() };
        let (series_tops, parallel_tops) = (box_tops(&series), box_tops(&parallel));
        assert_eq!(series_tops[0], series_tops[1], "side by side: {series}");
        assert_ne!(parallel_tops[0], parallel_tops[1], "stacked: {parallel}");
        assert!(series.contains("99.8001%") && parallel.contains("99.9999%"), "{series}\n{parallel}");
    }

    #[test]
    fn the_target_decides_the_verdict() {
        let lenient = poster(&pairs(&[("target", "99.9")])).finish().svg;
        assert!(lenient.contains("target 99.9% met"), "{lenient}");
        let strict = poster(&pairs(&[("target", "99.999")])).finish().svg;
        assert!(strict.contains("target 99.999% missed"), "{strict}");
    }

    #[test]
    fn every_preset_fits_and_shows_all_its_components() {
        for (name, text) in PRESETS {
            for target in ["50", "99.99", "99.99999"] {
                let sketch = poster(&pairs(&[("tree", text), ("target", target)]));
                assert!(sketch.height() <= 320.0, "{name}: {}", sketch.height());
                let poster = sketch.finish();
                assert!(poster.problems.is_empty(), "{name}: {:?}", poster.problems);
                assert!(poster.svg.len() < 4_000, "{name}: {} bytes", poster.svg.len());
                let tree = Node::parse(text).unwrap();
                assert_eq!(boxes(&poster.svg), tree.components().len(), "{name}: nothing is folded away");
                assert!(poster.svg.contains(&format_percent(tree.evaluate())), "{name}");
            }
        }
    }

    #[test]
    fn trees_too_big_to_draw_fold_their_groups_and_still_fit() {
        let wide_names = format!("p({})", (0..4).map(|i| format!("s(c:a-rather-long-name-{i}:99.9,c:another-long-name-{i}:99.5,c:x{i}:90)")).collect::<Vec<_>>().join(","));
        let deep = "s(p(s(p(s(c:a:99,c:b:99),c:c:99),c:d:99),c:e:99),c:f:99)";
        let forty = format!("s({})", (0..39).map(|i| format!("c:component-{i}:99.9")).collect::<Vec<_>>().join(","));
        for text in [wide_names.as_str(), deep, forty.as_str(), "c:lonely:42"] {
            let tree = Node::parse(text).unwrap();
            let sketch = poster(&pairs(&[("tree", text)]));
            assert!(sketch.height() <= 320.0, "{text}: {}", sketch.height());
            let poster = sketch.finish();
            assert!(poster.problems.is_empty(), "{text}: {:?}", poster.problems);
            assert!(poster.svg.len() < 8_000, "{text}: {} bytes", poster.svg.len());
            assert!(poster.svg.contains(&format_percent(tree.evaluate())), "{text}");
        }
        let folded = poster(&pairs(&[("tree", &wide_names)])).finish().svg;
        assert_eq!(folded.matches(">all of 3<").count(), 4, "the chains become one box each: {folded}");
        let nine = format!("p({})", (0..9).map(|i| format!("c:r{i}:90")).collect::<Vec<_>>().join(","));
        let lone = poster(&pairs(&[("tree", &nine)])).finish().svg;
        assert_eq!(boxes(&lone), 1, "nine branches are too tall: the whole is one box: {lone}");
        assert!(lone.contains(">any of 9<"), "{lone}");
    }

    #[test]
    fn garbage_pairs_fall_back_to_the_defaults() {
        let defaults = poster(&[]).finish().svg;
        for garbage in [&[("tree", "s(c:a:101)"), ("target", "-3")][..], &[("tree", "((((("), ("target", "NaN")], &[("tree", ""), ("x", "y")]] {
            assert_eq!(poster(&pairs(garbage)).finish().svg, defaults, "{garbage:?}");
        }
    }
}
