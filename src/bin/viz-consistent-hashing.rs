//! The bundle for /visualizers/consistent-hashing: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::ring::mount);
}
