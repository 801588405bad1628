//! The practice page's bundle: the learning loop's islands and the question generators, which
//! run the site's models (`atlas_islands::learn::mount_with_practice`). Named `viz-` so sitegen
//! finds and loads it as it does a tool's bundle (`Bundle::Learn`).

fn main() {
    atlas_islands::start_learn(atlas_islands::learn::mount_with_practice);
}
