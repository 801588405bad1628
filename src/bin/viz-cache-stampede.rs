//! The bundle for /visualizers/cache-stampede: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::stampede::mount);
}
