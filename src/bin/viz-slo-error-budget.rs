//! The bundle for /visualizers/slo-error-budget: the core islands plus this one visualizer.

fn main() {
    atlas::start(Some(atlas::visualizers::slo::mount));
}
