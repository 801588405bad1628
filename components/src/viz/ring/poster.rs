//! The first frame of the tool, drawn at build time (see `viz::poster`): the ring with each
//! node's virtual nodes as ticks at the positions the model hashes them to, and the keys'
//! density around the outside, as the live view draws them before any change.

use super::{angle_fraction, NodeId, RingSimulation, RING_PARAMS};
use crate::sim::number::group_thousands;
use crate::viz::poster::{start, Anchor, Sketch, Tone, WIDTH};
use std::collections::BTreeMap;
use std::fmt::Write;

const RADIUS: f32 = 96.0;
const TICK: f32 = 7.0;
/// The key band starts this far out from the ring and is at most `BAND` long.
const BAND_FROM: f32 = 11.0;
const BAND: f32 = 20.0;
const HEIGHT: f32 = 2.0 * (RADIUS + BAND_FROM + BAND) + 8.0;
const CENTRE: (f32, f32) = (WIDTH / 2.0, HEIGHT / 2.0);
/// About this many ticks are drawn however many virtual nodes there are (every node keeps at
/// least one), and the keys are binned this finely: enough to show the spread, small in bytes.
const MOST_TICKS: usize = 80;
const BINS: usize = 48;

pub fn poster(pairs: &[(String, String)]) -> Sketch {
    let sim: RingSimulation = start(RING_PARAMS, pairs);
    let ring = sim.ring();
    let nodes = ring.nodes().len();
    let points = ring.points();
    let per_node: Vec<usize> = ring.nodes().iter().map(|node| points.iter().filter(|point| point.node == node.id).count()).collect();
    let virtual_nodes = match per_node.iter().min() == per_node.iter().max() {
        true => format!("{} virtual node{} each", per_node[0], plural(per_node[0])),
        false => format!("{} virtual nodes", points.len()),
    };
    let keys = sim.keys();
    let node_text = format!("{nodes} node{}", plural(nodes));
    let key_text = format!("{} key{}", group_thousands(keys.len() as f64), plural(keys.len()));
    let label = format!(
        "A hash ring of {node_text} with {virtual_nodes}, each node's virtual nodes marked in its colour where they hash to; around it, the density of {key_text} placed by {}.",
        sim.settings().hash_function.label()
    );
    let mut sketch = Sketch::new(HEIGHT, &label);
    sketch.ring(CENTRE.0, CENTRE.1, RADIUS);

    // Every `stride`-th virtual node of each node, the live view's sampling with a far smaller
    // cap. Nodes that share a colour share a path: the picture is the same, and a hundred nodes
    // cost six paths instead of a hundred.
    let stride = points.len().div_ceil(MOST_TICKS).max(1) as u32;
    let mut ticks: BTreeMap<Tone, String> = BTreeMap::new();
    for point in points.iter().filter(|point| point.replica % stride == 0) {
        let (x, y) = at(angle_fraction(point.position), RADIUS - TICK);
        let (dx, dy) = (x - CENTRE.0, y - CENTRE.1);
        let scale = 2.0 * TICK / (RADIUS - TICK);
        let _ = write!(ticks.entry(tone(point.node)).or_default(), "M{x:.0} {y:.0}l{:.0} {:.0}", dx * scale, dy * scale);
    }
    for (tone, path) in &ticks {
        sketch.path(path, *tone);
    }

    // The keys as a density band, as the live view draws more than it can dot.
    let mut bins = [0u32; BINS];
    for &hash in keys.hashes() {
        bins[((angle_fraction(hash) * BINS as f64) as usize).min(BINS - 1)] += 1;
    }
    let most = bins.iter().copied().max().unwrap_or(0).max(1) as f32;
    let mut band = String::new();
    for (bin, &count) in bins.iter().enumerate().filter(|(_, count)| **count > 0) {
        let (x, y) = at((bin as f64 + 0.5) / BINS as f64, RADIUS + BAND_FROM);
        let scale = BAND * count as f32 / most / (RADIUS + BAND_FROM);
        let _ = write!(band, "M{x:.0} {y:.0}l{:.0} {:.0}", (x - CENTRE.0) * scale, (y - CENTRE.1) * scale);
    }
    sketch.path(&band, None);

    sketch.text(CENTRE.0, CENTRE.1 - 14.0, 18.0, Anchor::Middle, true, &node_text);
    sketch.text(CENTRE.0, CENTRE.1 + 6.0, 12.0, Anchor::Middle, false, &virtual_nodes);
    sketch.text(CENTRE.0, CENTRE.1 + 24.0, 12.0, Anchor::Middle, false, &key_text);
    sketch
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

/// A point `radius` from the centre, `fraction` of the way round clockwise from the top.
fn at(fraction: f64, radius: f32) -> (f32, f32) {
    let angle = (fraction * std::f64::consts::TAU - std::f64::consts::FRAC_PI_2) as f32;
    (CENTRE.0 + radius * angle.cos(), CENTRE.1 + radius * angle.sin())
}

/// The live view colours node `id` with the `id % 8`-th of eight colours, the first five being
/// the series palette; the poster has only those five, so the other three are drawn in ink.
fn tone(node: NodeId) -> Tone {
    match node.0 % 8 {
        colour @ 0..=4 => Some(colour as u8 + 1),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::Simulation;
    use crate::sim::Params;
    use crate::sim::ParamKind;
    use crate::viz::poster::Poster;

    fn draw(query: &[(&str, &str)]) -> Poster {
        let pairs: Vec<(String, String)> = query.iter().map(|(key, value)| (key.to_string(), value.to_string())).collect();
        poster(&pairs).finish()
    }

    /// Every path as (class, d), in order: the ticks, then the key band last.
    fn paths(svg: &str) -> Vec<(String, String)> {
        svg.split("<path class=\"").skip(1).map(|rest| {
            let class = rest.split('"').next().unwrap_or_default().to_string();
            let d = rest.split("d=\"").nth(1).and_then(|d| d.split('"').next()).unwrap_or_default().to_string();
            (class, d)
        }).collect()
    }

    /// The tick paths and how many ticks they hold.
    fn ticks(svg: &str) -> (usize, usize) {
        let mut paths = paths(svg);
        paths.pop();
        (paths.len(), paths.iter().map(|(_, d)| d.matches('M').count()).sum())
    }

    fn range(key: &str) -> (i64, i64) {
        match RING_PARAMS.iter().find(|spec| spec.key == key).map(|spec| spec.kind) {
            Some(ParamKind::Int { min, max }) => (min, max),
            other => panic!("{key} is {other:?}"),
        }
    }

    #[test]
    fn one_tick_per_virtual_node_when_there_are_few() {
        for nodes in [1, 3, 4] {
            let poster = draw(&[("nodes", &nodes.to_string()), ("vnodes", "2")]);
            assert_eq!(ticks(&poster.svg), (nodes, 2 * nodes), "nodes 1 to 4 each have their own colour: {}", poster.svg);
            assert!(poster.svg.contains(&format!(">{nodes} node")));
        }
        // Nodes 5 to 7 have no colour of their own here, so they share the ink path.
        let seven = draw(&[("nodes", "7"), ("vnodes", "3")]);
        assert_eq!(ticks(&seven.svg), (5, 21), "{}", seven.svg);
        assert!(seven.svg.contains(">7 nodes</text>") && seven.svg.contains("3 virtual nodes each"));
    }

    #[test]
    fn ticks_sit_where_the_model_hashes_them() {
        // One node, one virtual node: its only tick points at the angle of its hash position.
        let pairs = [("nodes".to_string(), "1".to_string()), ("vnodes".to_string(), "1".to_string())];
        let (params, _) = Params::from_pairs(RING_PARAMS, &pairs);
        let sim = RingSimulation::new(&params, 1);
        let fraction = angle_fraction(sim.ring().points()[0].position);
        let svg = poster(&pairs).finish().svg;
        let d = paths(&svg)[0].1.clone();
        let numbers: Vec<f32> = d.split(|ch| ch == 'M' || ch == 'l' || ch == ' ').filter(|part| !part.is_empty()).map(|part| part.parse().unwrap()).collect();
        let drawn = ((numbers[1] - CENTRE.1).atan2(numbers[0] - CENTRE.0) as f64 + std::f64::consts::FRAC_PI_2).rem_euclid(std::f64::consts::TAU) / std::f64::consts::TAU;
        let error = (drawn - fraction).abs().min(1.0 - (drawn - fraction).abs());
        assert!(error < 0.01, "tick at {drawn}, hash at {fraction}");
        // Another hash function moves it.
        let fnv = poster(&[pairs[0].clone(), pairs[1].clone(), ("hash".to_string(), "fnv1a".to_string())]).finish().svg;
        assert_ne!(paths(&fnv)[0], paths(&svg)[0]);
    }

    #[test]
    fn fits_and_stays_small_at_the_extremes() {
        let (nodes, vnodes, keys) = (range("nodes"), range("vnodes"), range("keys"));
        for (n, v, k) in [(nodes.0, vnodes.0, keys.0), (nodes.1, vnodes.1, keys.1), (nodes.1, vnodes.0, keys.0), (nodes.0, vnodes.1, keys.1), (5, 100, 10_000)] {
            for hash in ["murmur3", "fnv1a"] {
            let poster = draw(&[("nodes", &n.to_string()), ("vnodes", &v.to_string()), ("keys", &k.to_string()), ("hash", hash), ("replication", "5")]);
            assert!(poster.problems.is_empty(), "{n}/{v}/{k}/{hash}: {:?}", poster.problems);
            assert!(poster.svg.len() < 3_000, "{n}/{v}/{k}/{hash}: {} bytes", poster.svg.len());
            assert!(poster.svg.contains(&format!("{} key", group_thousands(k as f64))));
            // However many virtual nodes, every node keeps a tick and the total stays near the cap.
            let (_, drawn) = ticks(&poster.svg);
            assert!(drawn >= n as usize && drawn <= MOST_TICKS.max(n as usize), "{n}/{v}/{k}: {drawn} ticks");
            }
        }
    }

    #[test]
    fn garbage_falls_back_to_the_defaults() {
        let garbage = draw(&[("nodes", "0"), ("vnodes", "1e9"), ("keys", "many"), ("hash", "md5"), ("seed", "-3")]);
        assert_eq!(garbage.svg, draw(&[]).svg);
        assert!(garbage.svg.contains(">5 nodes</text>") && garbage.svg.contains("100 virtual nodes each") && garbage.svg.contains("10,000 keys"));
    }
}
