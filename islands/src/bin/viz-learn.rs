//! The learning loop's bundle: the core's islands plus the quiz hub, module quizzes, practice,
//! progress and certificate check (`atlas_islands::learn`). Named `viz-` so sitegen finds and
//! loads it as it does a tool's bundle (`Bundle::Learn`).

fn main() {
    atlas_islands::start_learn(atlas_islands::learn::mount);
}
