//! The visualizer bundle: the core islands plus every visualizer.

fn main() {
    atlas::start(Some(atlas::visualizers::mount));
}
