//! The bundle for /visualizers/capacity-planner: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::capacity::mount);
}
