//! The bundle for /visualizers/oauth-flows: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::oauth::mount);
}
