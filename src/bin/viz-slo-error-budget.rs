//! The bundle for /visualizers/slo-error-budget: the core islands plus this one visualizer.

fn main() {
    atlas::start(atlas::visualizers::slo::mount);
}
