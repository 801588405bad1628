//! The bundle for /visualizers/circuit-breaker: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::breaker::mount);
}
