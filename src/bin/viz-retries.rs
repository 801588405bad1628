//! The bundle for /visualizers/retries: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::retries::mount);
}
