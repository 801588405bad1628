//! The first frame of the tool, drawn at build time (see `viz::poster`): the cluster as a phone
//! shows it, clients in the top corners and the nodes on an ellipse below, every link up and
//! every copy empty, as the model starts.

use super::{node_name, CapCluster, Side, CAP_PARAMS};
use crate::viz::poster::{start, Anchor, Sketch, WIDTH};

const NODE_RADIUS: f32 = 24.0;
const CLIENT_WIDTH: f32 = 104.0;
const CLIENT_HEIGHT: f32 = 30.0;
const CLIENT_TOP: f32 = 6.0;
/// The ellipse the nodes sit on: flatter than the live view's, to keep the poster short.
const RADIUS: (f32, f32) = (120.0, 84.0);
const CENTRE: (f32, f32) = (WIDTH / 2.0, CLIENT_TOP + CLIENT_HEIGHT + 12.0 + RADIUS.1 + NODE_RADIUS);
const HEIGHT: f32 = CENTRE.1 + RADIUS.1 + NODE_RADIUS + 8.0;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    let cluster: CapCluster = start(CAP_PARAMS, pairs);
    let count = cluster.node_count();
    let quorum = cluster.quorum();
    let mode = cluster.mode().label();
    let (left, right) = (node_name(cluster.home(Side::Left)), node_name(cluster.home(Side::Right)));
    let empty = cluster.replicas().iter().all(|replica| replica.is_empty());
    let label = format!(
        "{count} nodes, A to {}, each linked to every other and {}; a left client talks to {left} and a right client to {right}; in {mode} mode a read waits for {} and a write for {}.",
        node_name(count - 1),
        if empty { "holding no value yet" } else { "holding a value" },
        replicas(quorum.read),
        replicas(quorum.write),
    );
    let mut sketch = Sketch::new(HEIGHT, &label);

    // Links first: the nodes, drawn filled on top, hide their ends.
    for link in cluster.links() {
        let (a, b) = (node_centre(link.a, count), node_centre(link.b, count));
        sketch.line(a.0, a.1, b.0, b.1, !link.up);
        if !link.up {
            sketch.text((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0 + 5.0, 14.0, Anchor::Middle, true, "✕");
        }
    }
    for side in Side::BOTH {
        let (x, y) = client_centre(side);
        let home = node_centre(cluster.home(side), count);
        // Dashed as in the live view: the hop from a client to its node is not a link to cut.
        sketch.line(x, y + CLIENT_HEIGHT / 2.0, home.0, home.1, true);
        let name = if side == Side::Left { "Left client" } else { "Right client" };
        sketch.labelled_box(x - CLIENT_WIDTH / 2.0, y - CLIENT_HEIGHT / 2.0, CLIENT_WIDTH, CLIENT_HEIGHT, None, 13.0, name);
    }
    for (node, replica) in cluster.replicas().iter().enumerate() {
        let (x, y) = node_centre(node, count);
        // A box rounded into a circle: filled and outlined like the live view's nodes, where the
        // page's rings are faint outlines meant for boundaries.
        sketch.rect(x - NODE_RADIUS, y - NODE_RADIUS, 2.0 * NODE_RADIUS, 2.0 * NODE_RADIUS, NODE_RADIUS, None);
        sketch.text(x, y - 1.0, 15.0, Anchor::Middle, true, &node_name(node).to_string());
        let values: Vec<String> = replica.values().map(|value| value.to_string()).collect();
        let shown = if values.is_empty() { "∅".to_string() } else { values.join("|") };
        sketch.text(x, y + 14.0, 12.0, Anchor::Middle, false, &shown);
    }
    sketch.text(WIDTH / 2.0, CLIENT_TOP + CLIENT_HEIGHT / 2.0 + 5.0, 12.0, Anchor::Middle, true, &format!("{mode}: R={} W={}", quorum.read, quorum.write));
    sketch
}

fn replicas(count: usize) -> String {
    format!("{count} replica{}", if count == 1 { "" } else { "s" })
}

/// The live view's polygon: node A on the left, the rest clockwise, so the left client's node
/// is the one nearest it.
fn node_centre(node: usize, count: usize) -> (f32, f32) {
    let angle = std::f32::consts::PI + node as f32 * std::f32::consts::TAU / count.max(1) as f32;
    (CENTRE.0 + RADIUS.0 * angle.cos(), CENTRE.1 + RADIUS.1 * angle.sin())
}

fn client_centre(side: Side) -> (f32, f32) {
    let x = match side {
        Side::Left => CLIENT_WIDTH / 2.0 + 4.0,
        Side::Right => WIDTH - CLIENT_WIDTH / 2.0 - 4.0,
    };
    (x, CLIENT_TOP + CLIENT_HEIGHT / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::ParamKind;
    use crate::viz::poster::Poster;

    fn draw(query: &[(&str, &str)]) -> Poster {
        let pairs: Vec<(String, String)> = query.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect();
        poster(&pairs).finish()
    }

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    /// The nodes: the boxes rounded into circles.
    fn node_circles(svg: &str) -> usize {
        count(svg, &format!(r#"rx="{NODE_RADIUS:.1}""#))
    }

    #[test]
    fn draws_every_node_and_every_link_of_the_cluster() {
        let ParamKind::Int { min, max } = CAP_PARAMS[0].kind else { panic!("nodes is an integer") };
        for nodes in min..=max {
            let poster = draw(&[("nodes", &nodes.to_string())]);
            let nodes = nodes as usize;
            assert!(poster.problems.is_empty(), "{nodes} nodes: {:?}", poster.problems);
            assert_eq!(node_circles(&poster.svg), nodes, "one circle per node");
            // Every pair is linked, plus the two dashed client hops.
            assert_eq!(count(&poster.svg, r#"class="pv-line""#), nodes * (nodes - 1) / 2);
            assert_eq!(count(&poster.svg, "pv-line--dashed"), 2);
            let last = node_name(nodes - 1);
            assert!(poster.svg.contains(&format!(">{last}</text>")) && !poster.svg.contains(&format!(">{}</text>", node_name(nodes))), "names stop at {last}");
            assert!(poster.svg.contains(&format!("right client to {last}")), "the right client's node is the last one");
            assert_eq!(count(&poster.svg, ">∅</text>"), nodes, "every copy starts empty");
        }
    }

    #[test]
    fn shows_the_mode_and_quorums_it_was_given() {
        let defaults = draw(&[]);
        assert!(defaults.svg.contains(">CP: R=3 W=3</text>"), "{}", defaults.svg);
        let ap = draw(&[("mode", "ap"), ("r", "1"), ("w", "5"), ("nodes", "5")]);
        assert!(ap.svg.contains(">AP: R=1 W=5</text>"), "{}", ap.svg);
        assert!(ap.svg.contains("in AP mode a read waits for 1 replica and a write for 5 replicas"));
        // A quorum larger than the cluster is clamped by the model, and the poster says so.
        let clamped = draw(&[("nodes", "3"), ("w", "5")]);
        assert!(clamped.svg.contains(">CP: R=2 W=3</text>"), "{}", clamped.svg);
    }

    #[test]
    fn fits_at_the_extremes_and_survives_garbage() {
        for query in [
            vec![("nodes", "3"), ("latency", "1"), ("skew", "0"), ("r", "1"), ("w", "1")],
            vec![("nodes", "5"), ("latency", "500"), ("skew", "2000"), ("r", "5"), ("w", "5"), ("mode", "ap"), ("reconcile", "vv"), ("replication", "async")],
        ] {
            let poster = draw(&query);
            assert!(poster.problems.is_empty(), "{query:?}: {:?}", poster.problems);
            assert!(poster.svg.len() < 3_000, "{query:?}: {} bytes", poster.svg.len());
        }
        let garbage = draw(&[("nodes", "99"), ("mode", "<script>"), ("r", "-1"), ("latency", "NaN"), ("seed", "x"), ("zzz", "1")]);
        assert_eq!(garbage.svg, draw(&[]).svg, "bad values fall back to the defaults");
        assert_eq!(node_circles(&garbage.svg), 5);
    }
}
