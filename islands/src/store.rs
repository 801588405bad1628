//! The reader's progress in `localStorage` (the format is `atlas_components::learn::progress`).
//!
//! A stored value that does not parse is never overwritten: it is first copied to a set-aside
//! key (`atlas-progress-set-aside-<time>`), where the progress page reports it and offers it for
//! download, and only then is a fresh record started. If even the copy fails (storage full),
//! nothing is written at all and recording waits.

use crate::dom;
use atlas_components::learn::progress::{self, lines, Progress, SET_ASIDE_PREFIX, STORAGE_KEY};
use web_sys::Storage;

/// Why the progress cannot be read or written right now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// `localStorage` is blocked (a private window, a sandboxed frame, a setting).
    Unavailable,
    /// The stored value did not parse and could not be set aside (the storage is full).
    Stuck(String),
    /// Writing failed (the storage is full).
    Full,
    /// The stored value is not this version's progress; the progress page sets it aside.
    Foreign,
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Unavailable => write!(f, "this browser does not let the site keep data (a private window, or storage turned off), so nothing is remembered"),
            StoreError::Stuck(reason) => write!(f, "the stored progress could not be read ({reason}) and there is no room to set it aside; export what you can and free some space"),
            StoreError::Full => write!(f, "the browser's storage for this site is full, so the last change was not saved"),
            StoreError::Foreign => write!(f, "the stored progress cannot be read; open the progress page, which keeps it aside and starts afresh"),
        }
    }
}

/// Now, in Unix seconds.
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

fn storage() -> Result<Storage, StoreError> {
    dom::local_storage().ok_or(StoreError::Unavailable)
}

/// Copies `raw` to a set-aside key and removes the progress, or fails without touching anything.
fn set_aside_value(storage: &Storage, raw: &str, reason: &str) -> Result<(), StoreError> {
    let key = format!("{SET_ASIDE_PREFIX}{}", js_sys::Date::now() as u64);
    storage.set_item(&key, raw).map_err(|_| StoreError::Stuck(reason.to_string()))?;
    let _ = storage.remove_item(STORAGE_KEY);
    dom::warn(&format!("the stored progress could not be read ({reason}); it is kept under {key} and shown on the progress page"));
    Ok(())
}

/// The stored progress, read whole (empty if there is none). A value that does not parse is set
/// aside. The learning bundle's pages read it this way; the core edits lines ([`record_read`]…).
pub fn load() -> Result<Progress, StoreError> {
    let storage = storage()?;
    let Some(raw) = storage.get_item(STORAGE_KEY).map_err(|_| StoreError::Unavailable)? else {
        return Ok(Progress::default());
    };
    match progress::parse(&raw) {
        Ok(progress) => Ok(progress),
        Err(error) => {
            set_aside_value(&storage, &raw, &error.to_string())?;
            Ok(Progress::default())
        }
    }
}

/// The stored text, if it is a progress value of this version. Anything else is left untouched
/// (nothing is recorded over it): the learning pages read the value whole, set it aside and
/// report it ([`load`]).
fn stored_text() -> Result<String, StoreError> {
    let stored = storage()?.get_item(STORAGE_KEY).map_err(|_| StoreError::Unavailable)?;
    lines::start(stored).ok_or(StoreError::Foreign)
}

/// Changes the stored text in place, line by line, and writes it back if `change` says it changed.
fn edit(change: impl FnOnce(&mut String) -> bool) -> Result<(), StoreError> {
    let mut text = stored_text()?;
    if change(&mut text) {
        storage()?.set_item(STORAGE_KEY, &text).map_err(|_| StoreError::Full)?;
    }
    Ok(())
}

pub fn record_read(route: &str) -> Result<(), StoreError> {
    edit(|text| lines::mark(text, "read", route, now()))
}

pub fn record_tool(slug: &str) -> Result<(), StoreError> {
    edit(|text| lines::mark(text, "tool", slug, now()))
}

/// Records an answer and schedules the question's next review.
pub fn record_answer(id: &str, correct: bool) -> Result<(), StoreError> {
    edit(|text| lines::answer(text, id, correct, now()))
}

/// How many questions are due for review now.
pub fn due_now() -> usize {
    stored_text().map(|text| lines::due_count(&text, now())).unwrap_or(0)
}

/// The stored text for line queries (`lines::has`, `lines::best_score`), or `None`.
pub fn text() -> Option<String> {
    stored_text().ok()
}

fn save(progress: &Progress) -> Result<(), StoreError> {
    storage()?.set_item(STORAGE_KEY, &progress.to_text()).map_err(|_| StoreError::Full)
}

/// Reads, changes and writes the progress in one step (JavaScript runs one event at a time,
/// so another island or tab cannot interleave).
pub fn update(change: impl FnOnce(&mut Progress)) -> Result<Progress, StoreError> {
    let mut progress = load()?;
    change(&mut progress);
    save(&progress)?;
    Ok(progress)
}

/// Values set aside, oldest first: (key, value).
pub fn set_aside() -> Vec<(String, String)> {
    let Ok(storage) = storage() else { return Vec::new() };
    let count = storage.length().unwrap_or(0);
    let mut found: Vec<(String, String)> = (0..count)
        .filter_map(|index| storage.key(index).ok().flatten())
        .filter(|key| key.starts_with(SET_ASIDE_PREFIX))
        .filter_map(|key| storage.get_item(&key).ok().flatten().map(|value| (key, value)))
        .collect();
    found.sort();
    found
}

/// Removes one key (a set-aside value), or with `None` the progress and everything set aside.
pub fn forget(key: Option<&str>) {
    let Ok(storage) = storage() else { return };
    match key {
        Some(key) if key.starts_with(SET_ASIDE_PREFIX) => {
            let _ = storage.remove_item(key);
        }
        Some(_) => {}
        None => {
            for (key, _) in set_aside() {
                let _ = storage.remove_item(&key);
            }
            let _ = storage.remove_item(STORAGE_KEY);
        }
    }
}
