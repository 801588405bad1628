//! Consistent hashing (/visualizers/consistent-hashing): a ring of nodes and virtual nodes,
//! keys placed on it by a chosen hash function, and what happens to the keys when a node is
//! added, removed or reweighted, next to the ideal, `hash % N`, and rendezvous or jump hashing.
//!
//! The view reads a [`RingSimulation`] (driven by the shared `Timeline`):
//! - the ring: [`RingSimulation::ring`] gives nodes and sorted [`Point`]s (virtual nodes);
//!   [`angle_fraction`] turns a position into a fraction of the circle.
//! - the keys: [`RingSimulation::keys`] gives every key's position; the owners are in
//!   [`RingSimulation::ring_assignment`], the chart in [`RingSimulation::ring_stats`].
//! - a change: [`RingSimulation::last_change`] lists exactly the keys that moved and the moved
//!   fraction under every scheme; animate them while [`RingSimulation::move_progress`] < 1.
//! - a lookup: [`RingSimulation::lookup`] holds the clockwise walk and the replicas.
//!
//! Big per-key data (hashes, owners, moves, points) sits behind `Arc`, so the timeline's
//! keyframe clones share it instead of copying megabytes.

mod alternatives;
mod assignment;
mod hash;
mod hash_ring;
mod incremental;
mod keys;
mod simulation;
#[cfg(test)]
mod tests;
pub mod poster;

pub use alternatives::{jump_consistent_hash, jump_with_next, modulo_moved, Alternative, AlternativeScheme, JumpPlace};
pub use assignment::{assign_ring, Assignment, KeyMove, LoadStats, NodeLoad};
pub use hash::{fmix64, fnv1a_64, murmur3_x64_128, HashFunction};
pub use incremental::reassign_changed_arcs;
pub use hash_ring::{Node, NodeId, Point, Ring, RingError, WalkStep, MAX_NODES, MAX_VIRTUAL_NODES, MAX_WEIGHT};
pub use keys::{Keys, MAX_KEYS};
pub use simulation::{
    angle_fraction, Change, ChangeEvent, Lookup, RingAction, RingSettings, RingSimulation, MOVE_ANIMATION_TICKS, RING_PARAMS,
};
