//! The core bundle: theme, search, diagrams, quizzes and filters.

fn main() {
    atlas_islands::start();
}
