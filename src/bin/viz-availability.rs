//! The bundle for /visualizers/availability: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::availability::mount);
}
