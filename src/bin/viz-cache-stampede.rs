//! The bundle for /visualizers/cache-stampede: the core islands plus this one visualizer.

fn main() {
    atlas::start(Some(atlas::visualizers::stampede::mount));
}
