//! The learning loop: questions and how an answer is checked, questions generated from the
//! models, spaced review, the reader's progress as stored in the browser, and certificates.
//! Pure, like the rest of this crate: the browser islands and the site generator both use it.

/// Sent on `window` the first time the reader works a question on a page run by the core or a
/// tool's bundle; the page's loader then fetches the questions' bundle (`viz-quiz`).
pub const QUIZ_LOAD_EVENT: &str = "atlas-quiz";

pub mod certificate;
pub mod form;
pub mod generate;
pub mod progress;
pub mod question;
pub mod review;
