//! The bundle for /visualizers/retries: the core islands plus this one visualizer.

fn main() {
    atlas::start(Some(atlas::visualizers::retries::mount));
}
