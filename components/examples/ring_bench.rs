//! Times the consistent-hashing model at the size the issue asks to stay responsive:
//! 100 nodes × 200 virtual nodes, 100,000 keys. Each add or remove merges the node's points,
//! reassigns the keys on the changed arcs, updates the load counts by the moves, counts the
//! `hash % N` contrast and follows the alternative scheme (jump: only the keys whose next jump
//! or bucket the change reaches; rendezvous: one bid per key against its owner).
//! Run: `cargo run --release -p atlas-components --example ring_bench`.
//!
//! Measured on the 2-core dev machine (busy with other builds), add/remove median:
//! before the incremental paths jump 5.0 ms, rendezvous 2.6 ms; after, about 1.2 ms and 2.0 ms.

use atlas_components::sim::Simulation;
use atlas_components::viz::ring::{AlternativeScheme, HashFunction, NodeId, RingAction, RingSettings, RingSimulation};
use std::time::{Duration, Instant};

const OPERATIONS: usize = 20;

fn main() {
    println!("100 nodes × 200 virtual nodes, 100,000 keys; {OPERATIONS} operations (add, remove, alternating)\n");
    for hash_function in HashFunction::ALL {
        for alternative in [AlternativeScheme::Jump, AlternativeScheme::Rendezvous] {
            let settings = RingSettings { nodes: 100, virtual_nodes: 200, keys: 100_000, hash_function, replication: 3, alternative };
            let started = Instant::now();
            let mut simulation = RingSimulation::from_settings(settings);
            let build = started.elapsed();

            let mut times = Vec::with_capacity(OPERATIONS);
            for round in 0..OPERATIONS {
                // Adds get fresh ids; removes take nodes from the middle of the id range.
                let action = if round % 2 == 0 { RingAction::AddNode } else { RingAction::RemoveNode(NodeId(10 + round as u32)) };
                let started = Instant::now();
                simulation.apply(&action);
                times.push(started.elapsed());
                assert!(simulation.last_change().is_some_and(|change| change.tick == simulation.tick()), "{action:?} was applied");
                simulation.step();
            }

            let started = Instant::now();
            let copies: Vec<RingSimulation> = (0..100).map(|_| simulation.clone()).collect();
            let clone = started.elapsed() / copies.len() as u32;

            times.sort();
            println!(
                "{:<12} vs {:<10}  build {:>9}   add/remove min {:>8}  median {:>8}  max {:>8}   clone {:>5.1} µs",
                hash_function.label(),
                alternative.key(),
                ms(build),
                ms(times[0]),
                ms(times[OPERATIONS / 2]),
                ms(times[OPERATIONS - 1]),
                clone.as_secs_f64() * 1e6,
            );
        }
    }
}

fn ms(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}
