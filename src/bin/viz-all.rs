//! The development bundle: the core islands plus every visualizer (see `dev.html`).

fn main() {
    atlas::start(atlas::visualizers::mount_any);
}
