//! Reassigning keys after a change without sweeping all of them: a key can change owner only if
//! the point that owns it was removed, or a point was added between it and its old owner. Both
//! cases put the key on an arc that ends at a changed point, so only the keys on those arcs are
//! looked up again. With 100 nodes × 200 virtual nodes, adding a node changes 200 arcs holding
//! about 1% of the keys: the rest keep their owner byte untouched.

use super::assignment::{slot_of, Assignment, KeyMove};
use super::hash_ring::{Point, Ring};
use super::keys::Keys;

/// What changed between two sorted point lists: the points only `before` has and the points
/// only `after` has, each with its index in its own list.
fn changed_points<'a>(before: &'a [Point], after: &'a [Point]) -> (Vec<usize>, Vec<usize>) {
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    let (mut old, mut new) = (0, 0);
    while old < before.len() || new < after.len() {
        match (before.get(old), after.get(new)) {
            (Some(a), Some(b)) if a == b => {
                old += 1;
                new += 1;
            }
            (Some(a), Some(b)) if a < b => {
                removed.push(old);
                old += 1;
            }
            (Some(_), None) => {
                removed.push(old);
                old += 1;
            }
            _ => {
                added.push(new);
                new += 1;
            }
        }
    }
    (removed, added)
}

/// Pushes the index of every key on the arc that point `index` owns: from just after the
/// previous point up to and including this one, wrapping past the top for the first point.
fn keys_on_arc(points: &[Point], index: usize, keys: &Keys, out: &mut Vec<u32>) {
    let clockwise = keys.clockwise();
    let (Some(point), Some(last)) = (points.get(index), points.last()) else { return };
    // First key index with hash > bound, in clockwise order.
    let after = |bound: u64| clockwise.partition_point(|&(hash, _)| hash <= bound);
    let end = after(point.position);
    if index == 0 {
        // (last, MAX] and [0, point]: with one point, or all points at one position, that is
        // the whole circle, which the two ranges then cover.
        let wrap_start = after(last.position).max(end);
        out.extend(clockwise[..end].iter().chain(&clockwise[wrap_start..]).map(|&(_, key)| key));
    } else if let Some(previous) = points.get(index - 1) {
        let start = after(previous.position).min(end);
        out.extend(clockwise[start..end].iter().map(|&(_, key)| key));
    }
}

/// The assignment of `keys` on `ring`, given the `before` assignment made on `points_before`,
/// and exactly the keys whose owner changed (in key order). Equal to [`super::assign_ring`]
/// followed by [`Assignment::moves_since`], at the cost of the changed arcs.
pub fn reassign_changed_arcs(points_before: &[Point], ring: &Ring, keys: &Keys, before: &Assignment) -> (Assignment, Vec<KeyMove>) {
    let points = ring.points();
    let (removed, added) = changed_points(points_before, points);
    let mut dirty = Vec::new();
    for &index in &removed {
        keys_on_arc(points_before, index, keys, &mut dirty);
    }
    for &index in &added {
        keys_on_arc(points, index, keys, &mut dirty);
    }
    dirty.sort_unstable();
    dirty.dedup();

    let nodes = ring.nodes().to_vec();
    let mut owners = before.owners_translated_to(&nodes);
    let mut moves = Vec::new();
    for key in dirty {
        let (Some(hash), Some(owner)) = (keys.hash(key as usize), owners.get_mut(key as usize)) else { continue };
        let Some(new_owner) = ring.owner_of(hash) else { continue };
        *owner = slot_of(&nodes, new_owner);
        if let Some(old_owner) = before.owner(key as usize).filter(|&old_owner| old_owner != new_owner) {
            moves.push(KeyMove { key, from: old_owner, to: new_owner });
        }
    }
    (Assignment::new(nodes, owners), moves)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_points_are_found_on_both_sides() {
        let point = |position, node| Point { position, node: super::super::NodeId(node), replica: 0 };
        let before = [point(1, 1), point(5, 2), point(9, 3)];
        let after = [point(1, 1), point(3, 4), point(9, 3), point(12, 4)];
        assert_eq!(changed_points(&before, &after), (vec![1], vec![1, 3]));
        assert_eq!(changed_points(&before, &before), (vec![], vec![]));
    }
}
