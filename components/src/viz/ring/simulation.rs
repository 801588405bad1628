//! The consistent-hashing visualizer as a time-stepped model: the reader adds, removes and
//! weights nodes or looks up a key; every change is measured against the ideal, against
//! `hash % N`, and against the alternative scheme on the same keys.

use super::alternatives::{modulo_moved, Alternative, AlternativeScheme};
use super::assignment::{assign_ring, Assignment, KeyMove, LoadStats};
use super::incremental::reassign_changed_arcs;
use super::hash::HashFunction;
use super::hash_ring::{Node, NodeId, Ring, RingError, WalkStep, MAX_WEIGHT};
use super::keys::Keys;
use crate::sim::{ParamKind, ParamSpec, Params, Simulation, Value};
use std::sync::Arc;

pub const RING_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "nodes", label: "Nodes", kind: ParamKind::Int { min: 1, max: 100 }, default: Value::Int(5) },
    ParamSpec { key: "vnodes", label: "Virtual nodes per node", kind: ParamKind::Int { min: 1, max: 500 }, default: Value::Int(100) },
    ParamSpec { key: "keys", label: "Keys", kind: ParamKind::Int { min: 100, max: 100_000 }, default: Value::Int(10_000) },
    ParamSpec {
        key: "hash",
        label: "Hash function",
        kind: ParamKind::Choice(&[("murmur3", "MurmurHash3"), ("fnv1a", "FNV-1a")]),
        default: Value::Choice("murmur3"),
    },
    ParamSpec { key: "replication", label: "Replication factor", kind: ParamKind::Int { min: 1, max: 5 }, default: Value::Int(3) },
    ParamSpec {
        key: "compare",
        label: "Compare with",
        kind: ParamKind::Choice(&[("jump", "Jump consistent hash"), ("rendezvous", "Rendezvous hashing")]),
        default: Value::Choice("jump"),
    },
];

/// How long the view animates the keys that moved after a change, in ticks.
pub const MOVE_ANIMATION_TICKS: u64 = 30;

/// The parameters, read defensively: a missing or out-of-range value becomes its default or
/// is clamped, so no link can make the model panic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingSettings {
    pub nodes: usize,
    pub virtual_nodes: u32,
    pub keys: usize,
    pub hash_function: HashFunction,
    /// How many distinct nodes a lookup shows: the owner and the next ones clockwise.
    pub replication: usize,
    pub alternative: AlternativeScheme,
}

impl RingSettings {
    pub fn from_params(params: &Params) -> Self {
        Self {
            nodes: read_int(params, "nodes") as usize,
            virtual_nodes: read_int(params, "vnodes") as u32,
            keys: read_int(params, "keys") as usize,
            hash_function: HashFunction::from_key(read_choice(params, "hash")).unwrap_or(HashFunction::Murmur3),
            replication: read_int(params, "replication") as usize,
            alternative: AlternativeScheme::from_key(read_choice(params, "compare")).unwrap_or(AlternativeScheme::Jump),
        }
    }
}

fn read_int(params: &Params, key: &str) -> i64 {
    params.number_in(RING_PARAMS, key) as i64
}

fn read_choice(params: &Params, key: &str) -> &'static str {
    params.choice_in(RING_PARAMS, key)
}

/// What the reader can do. URL forms: `a`, `r3`, `w3x2`, `l42`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingAction {
    /// Adds a node of weight 1 with the next unused id.
    AddNode,
    RemoveNode(NodeId),
    /// Sets a node's weight (1..=10): its number of virtual nodes is weight × the parameter.
    SetWeight(NodeId, u32),
    /// Looks up key `user:<index>`: shows its clockwise walk and replicas.
    LookUp(u32),
}

/// Which change to the ring happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeEvent {
    Added(NodeId),
    Removed { node: NodeId, weight: u32 },
    Reweighted { node: NodeId, from: u32, to: u32 },
}

impl ChangeEvent {
    pub fn node(self) -> NodeId {
        match self {
            ChangeEvent::Added(node) | ChangeEvent::Removed { node, .. } | ChangeEvent::Reweighted { node, .. } => node,
        }
    }
}

/// What one change did to the keys, under every scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub event: ChangeEvent,
    /// The tick it happened at.
    pub tick: u64,
    pub total_keys: usize,
    /// Exactly the keys that changed owner on the ring, with where they went: animate these.
    pub moves: Arc<Vec<KeyMove>>,
    /// The least any scheme must move: the change in the node's fair share of the keys. Adding
    /// to N equal nodes: 1/(N+1); removing: the node's share, 1/N.
    pub ideal_fraction: f64,
    /// Keys that would have changed node under `hash % N` for the same change.
    pub modulo_moved: usize,
    /// Keys that changed owner under the alternative scheme.
    pub alternative_moved: usize,
}

impl Change {
    pub fn ring_moved(&self) -> usize {
        self.moves.len()
    }

    pub fn ring_fraction(&self) -> f64 {
        fraction(self.ring_moved(), self.total_keys)
    }

    pub fn modulo_fraction(&self) -> f64 {
        fraction(self.modulo_moved, self.total_keys)
    }

    pub fn alternative_fraction(&self) -> f64 {
        fraction(self.alternative_moved, self.total_keys)
    }
}

fn fraction(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The last key looked up, kept current as the ring changes.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    pub key: u32,
    /// The key's position on the ring.
    pub hash: u64,
    /// Points passed clockwise until `replication` distinct nodes were found; the first step
    /// is the owner. Animate along it from `hash`.
    pub walk: Vec<WalkStep>,
    /// The owner, then the replicas, in clockwise order.
    pub replicas: Vec<NodeId>,
    pub alternative_owner: Option<NodeId>,
    /// When the reader asked.
    pub tick: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LastEvent {
    Start,
    Changed,
    LookedUp,
    Refused(RingAction, Refusal),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    Ring(RingError),
    NoSuchKey,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RingSimulation {
    settings: RingSettings,
    tick: u64,
    keys: Arc<Keys>,
    ring: Ring,
    ring_assignment: Assignment,
    ring_stats: LoadStats,
    alternative: Alternative,
    alternative_stats: LoadStats,
    last_change: Option<Change>,
    lookup: Option<Lookup>,
    last_event: LastEvent,
}

impl RingSimulation {
    pub fn from_settings(settings: RingSettings) -> Self {
        let keys = Arc::new(Keys::new(settings.keys, settings.hash_function));
        let ring = Ring::new(settings.hash_function, settings.virtual_nodes, settings.nodes);
        let ring_assignment = assign_ring(&ring, &keys);
        let alternative = Alternative::new(settings.alternative, ring.nodes(), &keys);
        Self {
            settings,
            tick: 0,
            ring_stats: ring_assignment.stats(),
            alternative_stats: alternative.assignment().stats(),
            keys,
            ring,
            ring_assignment,
            alternative,
            last_change: None,
            lookup: None,
            last_event: LastEvent::Start,
        }
    }

    pub fn settings(&self) -> RingSettings {
        self.settings
    }

    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    pub fn ring(&self) -> &Ring {
        &self.ring
    }

    /// Every key's owner on the ring.
    pub fn ring_assignment(&self) -> &Assignment {
        &self.ring_assignment
    }

    /// Keys per node on the ring, with mean, spread and max/mean.
    pub fn ring_stats(&self) -> &LoadStats {
        &self.ring_stats
    }

    /// The scheme compared side by side, with its own assignment of the same keys.
    pub fn alternative(&self) -> &Alternative {
        &self.alternative
    }

    pub fn alternative_stats(&self) -> &LoadStats {
        &self.alternative_stats
    }

    /// The most recent add, remove or reweight (refused actions and lookups leave it as is).
    pub fn last_change(&self) -> Option<&Change> {
        self.last_change.as_ref()
    }

    /// Ticks since the last change: 0 on the tick it happened. `None` before any change.
    pub fn ticks_since_change(&self) -> Option<u64> {
        self.last_change.as_ref().map(|change| self.tick.saturating_sub(change.tick))
    }

    /// How far the moved keys are on their way to their new owner: 0.0 at the change, 1.0
    /// from [`MOVE_ANIMATION_TICKS`] on. `None` before any change.
    pub fn move_progress(&self) -> Option<f64> {
        self.ticks_since_change().map(|ticks| (ticks as f64 / MOVE_ANIMATION_TICKS as f64).min(1.0))
    }

    pub fn lookup(&self) -> Option<&Lookup> {
        self.lookup.as_ref()
    }

    pub fn ticks_since_lookup(&self) -> Option<u64> {
        self.lookup.as_ref().map(|lookup| self.tick.saturating_sub(lookup.tick))
    }

    fn change(&mut self, action: RingAction, edit: impl FnOnce(&mut Ring) -> Result<ChangeEvent, RingError>) {
        let nodes_before = self.ring.nodes().to_vec();
        let points_before = self.ring.shared_points();
        let event = match edit(&mut self.ring) {
            Ok(event) => event,
            Err(error) => {
                self.last_event = LastEvent::Refused(action, Refusal::Ring(error));
                return;
            }
        };
        let (assignment, moves) = reassign_changed_arcs(&points_before, &self.ring, &self.keys, &self.ring_assignment);
        let counts_before: Vec<u32> = self.ring_stats.loads.iter().map(|load| load.keys).collect();
        let counts = assignment.counts_after_moves(&nodes_before, &counts_before, &moves);
        let alternative_moved = self.alternative.update(self.ring.nodes(), &self.keys);
        self.last_change = Some(Change {
            event,
            tick: self.tick,
            total_keys: self.keys.len(),
            moves: Arc::new(moves),
            ideal_fraction: ideal_fraction(event.node(), &nodes_before, self.ring.nodes()),
            modulo_moved: modulo_moved(&self.keys, &nodes_before, self.ring.nodes()),
            alternative_moved,
        });
        self.ring_stats = LoadStats::new(assignment.nodes(), &counts);
        self.ring_assignment = assignment;
        self.alternative_stats = self.alternative.assignment().stats();
        if let Some(lookup) = &self.lookup {
            self.lookup = self.find(lookup.key, lookup.tick);
        }
        self.last_event = LastEvent::Changed;
    }

    fn look_up(&mut self, key: u32) {
        match self.find(key, self.tick) {
            Some(lookup) => {
                self.lookup = Some(lookup);
                self.last_event = LastEvent::LookedUp;
            }
            None => self.last_event = LastEvent::Refused(RingAction::LookUp(key), Refusal::NoSuchKey),
        }
    }

    fn find(&self, key: u32, tick: u64) -> Option<Lookup> {
        let hash = self.keys.hash(key as usize)?;
        let walk = self.ring.walk(hash, self.settings.replication);
        let replicas = walk.iter().filter(|step| step.new_owner).map(|step| step.point.node).collect();
        let alternative_owner = self.alternative.assignment().owner(key as usize);
        Some(Lookup { key, hash, walk, replicas, alternative_owner, tick })
    }

    fn narrate_change(&self, change: &Change) -> String {
        let moved = match change.event {
            ChangeEvent::Added(node) => {
                format!("Added {node}: {} of {} keys moved", grouped(change.ring_moved()), grouped(change.total_keys))
            }
            ChangeEvent::Removed { node, .. } => {
                format!("Removed {node}: its {} of {} keys moved", grouped(change.ring_moved()), grouped(change.total_keys))
            }
            ChangeEvent::Reweighted { node, from, to } => format!(
                "Changed {node}'s weight from {from} to {to}: {} of {} keys moved",
                grouped(change.ring_moved()),
                grouped(change.total_keys)
            ),
        };
        format!(
            "{moved} ({}); ideal {}; modulo hashing would have moved {}; {} moved {}.",
            percent(change.ring_fraction()),
            percent(change.ideal_fraction),
            percent(change.modulo_fraction()),
            self.alternative.scheme().label(),
            percent(change.alternative_fraction()),
        )
    }

    fn narrate_lookup(&self, lookup: &Lookup) -> String {
        let name = Keys::name(lookup.key as usize);
        let Some(first) = lookup.walk.first() else { return format!("{name} has no owner.") };
        let replicas = lookup.replicas.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        let alternative = lookup
            .alternative_owner
            .map(|owner| format!(" Under {} its owner is {owner}.", self.alternative.scheme().label()))
            .unwrap_or_default();
        format!(
            "{name} sits {} of the way round the ring. Clockwise, the first virtual node is {}'s #{}, so {} owns it. \
             With replication {}: {replicas}.{alternative}",
            percent(angle_fraction(lookup.hash)),
            first.point.node,
            first.point.replica,
            first.point.node,
            lookup.replicas.len(),
        )
    }

    fn narrate_refusal(&self, action: RingAction, refusal: Refusal) -> String {
        let attempt = match action {
            RingAction::AddNode => "add a node".to_string(),
            RingAction::RemoveNode(node) => format!("remove {node}"),
            RingAction::SetWeight(node, weight) => format!("set {node}'s weight to {weight}"),
            RingAction::LookUp(key) => format!("look up user:{key}"),
        };
        let reason = match refusal {
            Refusal::Ring(error) => error.to_string(),
            Refusal::NoSuchKey => format!("the keys are user:0 to user:{}", self.keys.len().saturating_sub(1)),
        };
        format!("Could not {attempt}: {reason}.")
    }
}

/// `position` as a fraction of the way round the ring, clockwise from the top: `0.0..1.0`.
pub fn angle_fraction(position: u64) -> f64 {
    position as f64 / 18_446_744_073_709_551_616.0
}

/// The change in `node`'s fair share (weight / total weight) between two sets of nodes: the
/// fewest keys any scheme could move for that change, as a fraction.
fn ideal_fraction(node: NodeId, before: &[Node], after: &[Node]) -> f64 {
    let share = |nodes: &[Node]| {
        let total: u32 = nodes.iter().map(|node| node.weight).sum();
        let weight = nodes.iter().find(|candidate| candidate.id == node).map_or(0, |node| node.weight);
        fraction(weight as usize, total as usize)
    };
    (share(after) - share(before)).abs()
}

/// `1612` → `1,612`.
fn grouped(value: usize) -> String {
    if value < 1000 {
        value.to_string()
    } else {
        format!("{},{:03}", grouped(value / 1000), value % 1000)
    }
}

fn percent(fraction: f64) -> String {
    format!("{:.1}%", fraction * 100.0)
}

impl Simulation for RingSimulation {
    type Action = RingAction;
    const SEEDED: bool = false;

    /// The seed is not used: consistent hashing has no randomness, every position is a hash.
    fn new(params: &Params, _seed: u64) -> Self {
        Self::from_settings(RingSettings::from_params(params))
    }

    /// Time only drives the animations (moved keys, the lookup walk); the ring does not drift.
    fn step(&mut self) {
        self.tick += 1;
    }

    fn apply(&mut self, action: &RingAction) {
        match *action {
            RingAction::AddNode => self.change(*action, |ring| ring.add_node().map(ChangeEvent::Added)),
            RingAction::RemoveNode(id) => {
                self.change(*action, |ring| ring.remove_node(id).map(|node| ChangeEvent::Removed { node: id, weight: node.weight }))
            }
            RingAction::SetWeight(id, weight) => {
                self.change(*action, |ring| ring.set_weight(id, weight).map(|from| ChangeEvent::Reweighted { node: id, from, to: weight }))
            }
            RingAction::LookUp(key) => self.look_up(key),
        }
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    fn narrate(&self) -> String {
        match self.last_event {
            LastEvent::Changed => self.last_change.as_ref().map(|change| self.narrate_change(change)).unwrap_or_default(),
            LastEvent::LookedUp => self.lookup.as_ref().map(|lookup| self.narrate_lookup(lookup)).unwrap_or_default(),
            LastEvent::Refused(action, refusal) => self.narrate_refusal(action, refusal),
            LastEvent::Start => format!(
                "{} keys on {} nodes with {} virtual nodes each, placed by {}. \
                 The busiest node holds {:.2}× the mean; standard deviation {:.0} keys.",
                grouped(self.keys.len()),
                self.ring.nodes().len(),
                self.ring.virtual_nodes(),
                self.settings.hash_function.label(),
                self.ring_stats.max_over_mean,
                self.ring_stats.std_dev,
            ),
        }
    }

    fn encode_action(action: &RingAction) -> String {
        match action {
            RingAction::AddNode => "a".to_string(),
            RingAction::RemoveNode(node) => format!("r{}", node.0),
            RingAction::SetWeight(node, weight) => format!("w{}x{weight}", node.0),
            RingAction::LookUp(key) => format!("l{key}"),
        }
    }

    fn decode_action(text: &str) -> Option<RingAction> {
        let rest = |prefix: char| text.strip_prefix(prefix);
        if text == "a" {
            Some(RingAction::AddNode)
        } else if let Some(id) = rest('r') {
            Some(RingAction::RemoveNode(NodeId(number(id)?)))
        } else if let Some(pair) = rest('w') {
            let (id, weight) = pair.split_once('x')?;
            let weight = number(weight).filter(|weight| (1..=MAX_WEIGHT).contains(weight))?;
            Some(RingAction::SetWeight(NodeId(number(id)?), weight))
        } else if let Some(key) = rest('l') {
            Some(RingAction::LookUp(number(key)?))
        } else {
            None
        }
    }
}

/// Plain decimal digits only (no sign, spaces or leading `+`), so decoding what was encoded is
/// the only way to get an action back.
fn number(text: &str) -> Option<u32> {
    let plain = !text.is_empty() && text.len() <= 10 && text.bytes().all(|byte| byte.is_ascii_digit());
    plain.then(|| text.parse().ok()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_in_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(100_005), "100,005");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(percent(1.0 / 6.0), "16.7%");
    }

    #[test]
    fn the_ideal_is_the_change_in_fair_share() {
        let nodes =
            |weights: &[u32]| weights.iter().enumerate().map(|(i, &weight)| Node { id: NodeId(i as u32 + 1), weight }).collect::<Vec<_>>();
        // Adding a 6th equal node: 0 → 1/6. Removing node 1 of 4: 1/4 → 0.
        assert!((ideal_fraction(NodeId(6), &nodes(&[1; 5]), &nodes(&[1; 6])) - 1.0 / 6.0).abs() < 1e-12);
        assert!((ideal_fraction(NodeId(1), &nodes(&[1; 4]), &nodes(&[1; 4])[1..]) - 0.25).abs() < 1e-12);
        // Node 1 from weight 1 to 2 among 3: 1/3 → 2/4, so 1/6 of the keys should move.
        assert!((ideal_fraction(NodeId(1), &nodes(&[1, 1, 1]), &nodes(&[2, 1, 1])) - 1.0 / 6.0).abs() < 1e-12);
    }
}
