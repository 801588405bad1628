//! The bundle for /visualizers/latency-numbers: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::latency::mount);
}
