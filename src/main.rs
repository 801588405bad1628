//! The core bundle: theme, search, diagrams, quizzes and filters.

fn main() {
    atlas::start(None);
}
