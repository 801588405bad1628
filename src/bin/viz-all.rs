//! The development bundle: the core islands plus every visualizer (see `dev.html`).

fn main() {
    atlas::start(Some(atlas::visualizers::mount_any));
}
