//! The bundle for /visualizers/circuit-breaker: the core islands plus this one visualizer.

fn main() {
    atlas::start(Some(atlas::visualizers::breaker::mount));
}
