//! The bundle for /visualizers/rate-limiters: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::limiters::mount);
}
