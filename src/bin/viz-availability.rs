//! The bundle for /visualizers/availability: the core islands plus this one visualizer.

fn main() {
    atlas::start(Some(atlas::visualizers::availability::mount));
}
