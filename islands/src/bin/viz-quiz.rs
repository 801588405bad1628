//! The questions' bundle: checks, schedules (FSRS) and records answers on pattern pages, loaded
//! the first time the reader works a question (`atlas_islands::quiz::wake_on_use`). Named `viz-`
//! so sitegen finds it as it does a tool's bundle (`Shell::quiz_loader`).

fn main() {
    atlas_islands::start_quiz();
}
