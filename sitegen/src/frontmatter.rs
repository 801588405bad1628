//! Splits a content file into its TOML front matter and Markdown body.

use crate::error::{line_at, ContentError};
use serde::de::DeserializeOwned;
use std::path::Path;

/// A content file after its `+++` fences are found.
pub struct Document<'a> {
    pub path: &'a Path,
    pub source: &'a str,
    /// The TOML between the fences.
    pub front: &'a str,
    /// Byte offset of `front` in `source`.
    pub front_offset: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// Byte offset of `body` in `source`.
    pub body_offset: usize,
}

impl<'a> Document<'a> {
    pub fn split(path: &'a Path, source: &'a str) -> Result<Self, ContentError> {
        let opening = "+++\n";
        if !source.starts_with(opening) {
            return Err(ContentError::new(path, 1, "expected front matter: the file must start with a `+++` line"));
        }
        let front_offset = opening.len();
        let rest = &source[front_offset..];
        let close = if rest.starts_with("+++\n") || rest == "+++" {
            Some(0)
        } else {
            rest.find("\n+++\n").map(|at| at + 1)
        }
            .or_else(|| rest.strip_suffix("\n+++").map(|front| front.len() + 1))
            .ok_or_else(|| ContentError::new(path, 1, "front matter is never closed: add a `+++` line after it"))?;
        let front = &rest[..close];
        let body_offset = (front_offset + close + 4).min(source.len());
        Ok(Self { path, source, front, front_offset, body: &source[body_offset..], body_offset })
    }

    /// Parses the front matter into `T`, reporting TOML and schema errors at their line.
    pub fn parse_front<T: DeserializeOwned>(&self) -> Result<T, ContentError> {
        toml::from_str(self.front).map_err(|error| {
            let line = error
                .span()
                .map(|span| line_at(self.source, self.front_offset + span.start))
                .unwrap_or(1);
            ContentError::new(self.path, line, format!("front matter: {}", error.message()))
        })
    }

    /// The line where `key = …` is set in the front matter (for errors about a field's value).
    pub fn line_of_key(&self, key: &str) -> usize {
        let mut offset = self.front_offset;
        for line in self.front.split_inclusive('\n') {
            let trimmed = line.trim_start();
            if let Some(after) = trimmed.strip_prefix(key) {
                if after.trim_start().starts_with('=') {
                    return line_at(self.source, offset);
                }
            }
            offset += line.len();
        }
        1
    }

    /// The line of the `occurrence`-th (0-based) line in the front matter containing `needle`.
    pub fn line_of_text(&self, needle: &str, occurrence: usize) -> usize {
        self.front
            .match_indices(needle)
            .nth(occurrence)
            .map(|(at, _)| line_at(self.source, self.front_offset + at))
            .unwrap_or_else(|| self.line_of_key(needle))
    }

    /// The 1-based line of a byte offset inside the body.
    pub fn body_line(&self, body_offset: usize) -> usize {
        line_at(self.source, self.body_offset + body_offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let source = "+++\ntitle = \"x\"\n+++\n\n# Body\n";
        let doc = Document::split(Path::new("a.md"), source).unwrap();
        assert_eq!(doc.front, "title = \"x\"\n");
        assert_eq!(doc.body, "\n# Body\n");
        assert_eq!(doc.body_line(1), 5);
    }

    #[test]
    fn missing_fence_is_an_error_at_line_one() {
        let error = Document::split(Path::new("a.md"), "title = 1\n").err().unwrap();
        assert_eq!(error.line, 1);
        let error = Document::split(Path::new("a.md"), "+++\ntitle = 1\n").err().unwrap();
        assert!(error.message.contains("never closed"));
    }

    #[test]
    fn toml_errors_carry_the_line() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Front {
            title: String,
        }
        let source = "+++\n\ntitle = 42\n+++\n";
        let doc = Document::split(Path::new("a.md"), source).unwrap();
        let error = doc.parse_front::<Front>().err().unwrap();
        assert_eq!(error.line, 3, "{error}");
    }
}
