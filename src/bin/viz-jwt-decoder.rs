//! The bundle for /visualizers/jwt-decoder: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::jwt::mount);
}
