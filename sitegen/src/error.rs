//! Errors that point at the content file and line that caused them.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in the content, located so an author can jump straight to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentError {
    pub file: PathBuf,
    /// 1-based line number; 0 when the problem concerns the whole file.
    pub line: usize,
    pub message: String,
}

impl ContentError {
    pub fn new(file: &Path, line: usize, message: impl Into<String>) -> Self {
        Self { file: file.to_path_buf(), line, message: message.into() }
    }
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line.max(1), self.message)
    }
}

impl std::error::Error for ContentError {}

/// Every problem found in one pass, so an author fixes them all in one go.
#[derive(Debug, Default)]
pub struct ContentErrors(pub Vec<ContentError>);

impl ContentErrors {
    pub fn push(&mut self, error: ContentError) {
        self.0.push(error);
    }

    pub fn into_result<T>(self, value: T) -> Result<T, ContentErrors> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for error in &self.0 {
            writeln!(f, "{error}")?;
        }
        write!(f, "{} content error(s)", self.0.len())
    }
}

impl std::error::Error for ContentErrors {}

impl From<ContentError> for ContentErrors {
    fn from(error: ContentError) -> Self {
        Self(vec![error])
    }
}

/// A TOML file of `content/`, read and parsed: its text and value, or `None` with the reason added
/// to `errors` (at the line of the TOML error, its message after `prefix`).
pub fn read_toml<T: serde::de::DeserializeOwned>(path: &Path, prefix: &str, errors: &mut ContentErrors) -> Option<(String, T)> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) => {
            errors.push(ContentError::new(path, 0, format!("cannot read: {error}")));
            return None;
        }
    };
    match toml::from_str(&text) {
        Ok(value) => Some((text, value)),
        Err(error) => {
            let line = error.span().map(|span| line_at(&text, span.start)).unwrap_or(1);
            errors.push(ContentError::new(path, line, format!("{prefix}{}", error.message())));
            None
        }
    }
}

/// The 1-based line of a byte offset in `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod read_toml_tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Two {
        a: u32,
        b: u32,
    }

    #[test]
    fn a_bad_value_is_reported_at_its_own_line_and_an_unreadable_file_at_line_0() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.toml");
        // The duplicate key starts its line: counting the lines before it would say line 2.
        std::fs::write(&path, "a = 1\nb = 2\nb = 3\n").unwrap();
        let mut errors = ContentErrors::default();
        assert!(read_toml::<Two>(&path, "x: ", &mut errors).is_none());
        assert_eq!(errors.0.len(), 1);
        assert_eq!((errors.0[0].line, errors.0[0].message.starts_with("x: ")), (3, true), "{:?}", errors.0[0]);
        std::fs::write(&path, "a = 1\nb = 2\n").unwrap();
        let (text, two) = read_toml::<Two>(&path, "", &mut errors).unwrap();
        assert_eq!((text.len(), two.a + two.b), (12, 3));
        assert!(read_toml::<Two>(&dir.path().join("missing.toml"), "", &mut errors).is_none());
        assert_eq!(errors.0[1].line, 0);
    }
}
