//! The bundle for /visualizers/cap-theorem: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::cap::mount);
}
