//! What the reader has done, as the browser stores it (one `localStorage` value) and as the
//! progress page exports it to a file: pages read, tools used, answers, review cards and quiz
//! scores.
//!
//! The format is lines of text, one record per line, under a versioned header:
//!
//! ```text
//! atlas-progress 1
//! read /patterns/thundering-herd/ 1796644800
//! tool cache-stampede 1796644800
//! answer foundations/peak-qps 1796644800 1
//! card foundations/peak-qps <due> <stability> <difficulty> <reps> <lapses> <state> <last review> <scheduled days>
//! score foundations 13 15 1796644800
//! ```
//!
//! Lines rather than JSON because the core bundle, on every page, records the pages read and the
//! answers, and it does so by editing lines ([`lines`]) without reading the whole value into
//! maps: measured 2026-12-07, parsing into maps and writing back cost the core bundle 33 KB
//! gzipped (30.8 → 86.3 KB with FSRS and float formatting; see `islands/src/store.rs`). The
//! numbers are integers (stability and difficulty in thousandths) so that neither side formats
//! or parses a float. Records may come in any order and a later card line for a question
//! replaces an earlier one, so an appended line is always valid.
//!
//! A value that does not parse is never half-read: [`parse`] says which line is wrong and why,
//! and the caller sets the whole value aside for the reader to download. A record of a kind this
//! version does not know (written by a newer site) is kept as it is, so going back to an older
//! version loses nothing.

use super::review::Card;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The first line of every stored value and exported file.
pub const HEADER: &str = "atlas-progress 1";
/// The `localStorage` key of the progress.
pub const STORAGE_KEY: &str = "atlas-progress";
/// Values set aside because they did not parse are stored under this prefix plus the time.
pub const SET_ASIDE_PREFIX: &str = "atlas-progress-set-aside-";
/// A value longer than this is refused before parsing (localStorage holds about 5 MB a site).
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Each question keeps this many of its most recent answers (the last one is what "what I got
/// wrong" reads; the rest are history for the progress page).
pub const MAX_ANSWERS_PER_QUESTION: usize = 20;
/// Quiz attempts kept per module, most recent last.
pub const MAX_SCORES_PER_MODULE: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    pub at: i64,
    pub correct: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub module: String,
    pub right: u32,
    pub total: u32,
    pub at: i64,
}

impl Score {
    pub fn percent(&self) -> u32 {
        (self.right * 100).checked_div(self.total).unwrap_or(0)
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Progress {
    /// Route (without the site's base path) to the first time it was read.
    pub read: BTreeMap<String, i64>,
    /// Tool slug to the first time the reader used it.
    pub tools: BTreeMap<String, i64>,
    /// Question id to its answers, oldest first.
    pub answers: BTreeMap<String, Vec<Answer>>,
    /// Question id to its review card.
    pub cards: BTreeMap<String, Card>,
    /// Module quiz attempts, oldest first.
    pub scores: Vec<Score>,
    /// Records of kinds this version does not know, kept verbatim.
    pub unknown: Vec<String>,
}

/// Why a stored value or an imported file was not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based; 0 when the whole value is at fault.
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

/// An id, route or slug as stored: printable, no spaces, at most 300 bytes.
fn is_token(text: &str) -> bool {
    !text.is_empty() && text.len() <= 300 && text.chars().all(|c| c.is_ascii_graphic())
}

pub fn parse(text: &str) -> Result<Progress, ParseError> {
    if text.len() > MAX_BYTES {
        return Err(ParseError { line: 0, message: format!("it is {} KB, more than the {} KB a progress file can be", text.len() / 1024, MAX_BYTES / 1024) });
    }
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, first)) if first.trim_end() == HEADER => {}
        Some((_, first)) if first.starts_with("atlas-progress ") => {
            return Err(ParseError { line: 1, message: format!("it was written by another version of the site (“{}”); this one reads “{HEADER}”", first.chars().take(40).collect::<String>()) })
        }
        _ => return Err(ParseError { line: 1, message: format!("it is not a System Design Atlas progress file (it should start with “{HEADER}”)") }),
    }
    let mut progress = Progress::default();
    for (index, line) in lines {
        let number = index + 1;
        let line = line.trim_end();
        if line.is_empty() {
            continue;
        }
        let fail = |message: &str| ParseError { line: number, message: message.to_string() };
        let fields: Vec<&str> = line.split(' ').collect();
        let int = |at: usize| fields.get(at).and_then(|field| field.parse::<i64>().ok()).ok_or_else(|| fail(&format!("field {} should be a whole number", at + 1)));
        let token = |at: usize| fields.get(at).copied().filter(|field| is_token(field)).map(str::to_string).ok_or_else(|| fail(&format!("field {} should be a name without spaces", at + 1)));
        let count = |expected: usize| if fields.len() == expected { Ok(()) } else { Err(fail(&format!("a `{}` record has {} fields, not {}", fields[0], expected, fields.len()))) };
        match fields[0] {
            "read" => {
                count(3)?;
                let at = int(2)?;
                progress.read.entry(token(1)?).and_modify(|first| *first = (*first).min(at)).or_insert(at);
            }
            "tool" => {
                count(3)?;
                let at = int(2)?;
                progress.tools.entry(token(1)?).and_modify(|first| *first = (*first).min(at)).or_insert(at);
            }
            "answer" => {
                count(4)?;
                let correct = match fields[3] {
                    "1" => true,
                    "0" => false,
                    _ => return Err(fail("an answer is marked 1 (right) or 0 (wrong)")),
                };
                progress.answers.entry(token(1)?).or_default().push(Answer { at: int(2)?, correct });
            }
            "card" => {
                count(10)?;
                let card = parse_card(&fields[2..]).map_err(|message| fail(message))?;
                progress.cards.insert(token(1)?, card);
            }
            "score" => {
                count(5)?;
                let right = u32::try_from(int(2)?).map_err(|_| fail("a score cannot be negative"))?;
                let total = u32::try_from(int(3)?).map_err(|_| fail("a score cannot be negative"))?;
                if right > total || total == 0 {
                    return Err(fail("a score is right answers out of a total, at most the total"));
                }
                progress.scores.push(Score { module: token(1)?, right, total, at: int(4)? });
            }
            kind if is_token(kind) && line.chars().all(|c| !c.is_control()) => progress.unknown.push(line.to_string()),
            _ => return Err(fail("this line is not a progress record")),
        }
    }
    Ok(progress)
}

/// A card's fields after its id: due, stability and difficulty in thousandths, reviews, lapses,
/// state, last review, scheduled days.
fn parse_card(fields: &[&str]) -> Result<Card, &'static str> {
    let int = |at: usize| fields.get(at).and_then(|field| field.parse::<i64>().ok()).ok_or("a card's fields are whole numbers");
    let state = int(5)?;
    if !(0..=3).contains(&state) {
        return Err("a card's state is 0 to 3");
    }
    let (stability, difficulty) = (int(1)?, int(2)?);
    if stability <= 0 || !(1_000..=10_000).contains(&difficulty) {
        return Err("a card's stability is positive and its difficulty 1 to 10");
    }
    Ok(Card {
        due: int(0)?,
        stability: stability as f64 / 1000.0,
        difficulty: difficulty as f64 / 1000.0,
        reps: u32::try_from(int(3)?).map_err(|_| "a card's reviews cannot be negative")?,
        lapses: u32::try_from(int(4)?).map_err(|_| "a card's lapses cannot be negative")?,
        state: state as u8,
        last_review: int(6)?,
        scheduled_days: int(7)?,
    })
}

/// A card's line, without its newline.
fn card_line(id: &str, card: &Card) -> String {
    let milli = |value: f64| (value * 1000.0).round() as i64;
    format!(
        "card {id} {} {} {} {} {} {} {} {}",
        card.due,
        milli(card.stability).max(1),
        milli(card.difficulty).clamp(1_000, 10_000),
        card.reps,
        card.lapses,
        card.state,
        card.last_review,
        card.scheduled_days
    )
}

impl Progress {
    /// The stored text: the header, then each kind of record in a fixed order.
    pub fn to_text(&self) -> String {
        let mut out = String::with_capacity(64 + 48 * (self.read.len() + self.answers.len()));
        out.push_str(HEADER);
        out.push('\n');
        for (route, at) in &self.read {
            let _ = writeln!(out, "read {route} {at}");
        }
        for (slug, at) in &self.tools {
            let _ = writeln!(out, "tool {slug} {at}");
        }
        for (id, answers) in &self.answers {
            for answer in answers {
                let _ = writeln!(out, "answer {id} {} {}", answer.at, u8::from(answer.correct));
            }
        }
        for (id, card) in &self.cards {
            out.push_str(&card_line(id, card));
            out.push('\n');
        }
        for score in &self.scores {
            let _ = writeln!(out, "score {} {} {} {}", score.module, score.right, score.total, score.at);
        }
        for line in &self.unknown {
            out.push_str(line);
            out.push('\n');
        }
        out
    }

    /// Records that the reader opened `route` (the first time is kept). Returns false for a
    /// route that cannot be stored.
    pub fn mark_read(&mut self, route: &str, now: i64) -> bool {
        is_token(route) && {
            self.read.entry(route.to_string()).or_insert(now);
            true
        }
    }

    pub fn mark_tool_used(&mut self, slug: &str, now: i64) -> bool {
        is_token(slug) && {
            self.tools.entry(slug.to_string()).or_insert(now);
            true
        }
    }

    /// Records an answer and schedules the question's next review.
    pub fn record_answer(&mut self, id: &str, correct: bool, now: i64) -> bool {
        if !is_token(id) {
            return false;
        }
        let answers = self.answers.entry(id.to_string()).or_default();
        answers.push(Answer { at: now, correct });
        keep_last(answers, MAX_ANSWERS_PER_QUESTION);
        let card = super::review::review(self.cards.get(id), now, correct);
        self.cards.insert(id.to_string(), card);
        true
    }

    pub fn record_score(&mut self, module: &str, right: u32, total: u32, now: i64) -> bool {
        if !is_token(module) || total == 0 || right > total {
            return false;
        }
        self.scores.push(Score { module: module.to_string(), right, total, at: now });
        let attempts = self.scores.iter().filter(|score| score.module == module).count();
        if attempts > MAX_SCORES_PER_MODULE {
            if let Some(oldest) = self.scores.iter().position(|score| score.module == module) {
                self.scores.remove(oldest);
            }
        }
        true
    }

    /// Ids of the questions due for review at `now`, the most overdue first.
    pub fn due(&self, now: i64) -> Vec<&str> {
        let mut due: Vec<(&str, i64)> = self.cards.iter().filter(|(_, card)| card.is_due(now)).map(|(id, card)| (id.as_str(), card.due)).collect();
        due.sort_by_key(|(id, at)| (*at, *id));
        due.into_iter().map(|(id, _)| id).collect()
    }

    /// Ids of the questions whose last answer was wrong, most recent first.
    pub fn last_wrong(&self) -> Vec<&str> {
        let mut wrong: Vec<(&str, i64)> = self
            .answers
            .iter()
            .filter_map(|(id, answers)| answers.last().filter(|answer| !answer.correct).map(|answer| (id.as_str(), answer.at)))
            .collect();
        wrong.sort_by_key(|(id, at)| (std::cmp::Reverse(*at), *id));
        wrong.into_iter().map(|(id, _)| id).collect()
    }

    /// The best attempt at a module's quiz.
    pub fn best_score(&self, module: &str) -> Option<&Score> {
        self.scores.iter().filter(|score| score.module == module).max_by_key(|score| (score.right * 1000 / score.total.max(1), std::cmp::Reverse(score.at)))
    }

    /// Everything in `other` added to this: nothing either side had is lost. For a question in
    /// both, the answers are merged by time and the card reviewed last wins.
    pub fn merge(&mut self, other: Progress) {
        for (route, at) in other.read {
            self.read.entry(route).and_modify(|first| *first = (*first).min(at)).or_insert(at);
        }
        for (slug, at) in other.tools {
            self.tools.entry(slug).and_modify(|first| *first = (*first).min(at)).or_insert(at);
        }
        for (id, answers) in other.answers {
            let mine = self.answers.entry(id).or_default();
            mine.extend(answers);
            mine.sort_by_key(|answer| (answer.at, answer.correct));
            mine.dedup();
            keep_last(mine, MAX_ANSWERS_PER_QUESTION);
        }
        for (id, card) in other.cards {
            match self.cards.get(&id) {
                Some(mine) if mine.last_review >= card.last_review => {}
                _ => {
                    self.cards.insert(id, card);
                }
            }
        }
        self.scores.extend(other.scores);
        self.scores.sort_by(|a, b| (a.at, &a.module, a.right, a.total).cmp(&(b.at, &b.module, b.right, b.total)));
        self.scores.dedup();
        for line in other.unknown {
            if !self.unknown.contains(&line) {
                self.unknown.push(line);
            }
        }
    }
}

/// Drops the oldest entries beyond `cap`.
fn keep_last<T>(items: &mut Vec<T>, cap: usize) {
    if items.len() > cap {
        items.drain(..items.len() - cap);
    }
}

/// Edits of the stored text that do not read it whole: what the core bundle does on every page
/// (see the module's note on size). Each returns the new text; the caller has checked that the
/// text starts with [`HEADER`] (see [`lines::start`]).
pub mod lines {
    use super::{card_line, is_token, parse_card, HEADER};
    use crate::learn::review::{self, Card};

    /// The text to edit: `stored` if it is a progress value, a new one if nothing is stored, or
    /// `None` if something else is stored there (the caller sets it aside first).
    pub fn start(stored: Option<String>) -> Option<String> {
        match stored {
            None => Some(concat!("atlas-progress 1", "\n").to_string()),
            Some(text) if text.is_empty() => Some(concat!("atlas-progress 1", "\n").to_string()),
            Some(text) if text.starts_with(HEADER) && text[HEADER.len()..].starts_with('\n') => Some(text),
            Some(_) => None,
        }
    }

    /// Adds `read <route> <now>` (or `tool …`) unless the route is already there.
    pub fn mark(text: &mut String, kind: &str, name: &str, now: i64) -> bool {
        if !is_token(name) || text.contains(&format!("\n{kind} {name} ")) {
            return false;
        }
        text.push_str(&format!("{kind} {name} {now}\n"));
        true
    }

    /// The card stored for `id`: its line's byte range and the card, if the line reads.
    fn find_card(text: &str, id: &str) -> Option<(std::ops::Range<usize>, Option<Card>)> {
        let needle = format!("\ncard {id} ");
        let start = text.rfind(&needle)? + 1;
        let end = text[start..].find('\n').map_or(text.len(), |at| start + at);
        let fields: Vec<&str> = text[start..end].split(' ').collect();
        let card = (fields.len() == 10).then(|| parse_card(&fields[2..]).ok()).flatten();
        Some((start..end, card))
    }

    /// Adds the answer and replaces the question's card with the one FSRS schedules next.
    pub fn answer(text: &mut String, id: &str, correct: bool, now: i64) -> bool {
        if !is_token(id) {
            return false;
        }
        text.push_str(&format!("answer {id} {now} {}\n", u8::from(correct)));
        let found = find_card(text, id);
        let card = review::review(found.as_ref().and_then(|(_, card)| card.as_ref()), now, correct);
        let line = card_line(id, &card);
        match found {
            Some((range, _)) => text.replace_range(range, &line),
            None => {
                text.push_str(&line);
                text.push('\n');
            }
        }
        true
    }

    /// Whether `read <name>` (or `tool …`) is recorded.
    pub fn has(text: &str, kind: &str, name: &str) -> bool {
        text.contains(&format!("\n{kind} {name} "))
    }

    /// The best attempt at a module's quiz, as (right, total).
    pub fn best_score(text: &str, module: &str) -> Option<(u32, u32)> {
        let prefix = format!("score {module} ");
        let mut best: Option<(u32, u32)> = None;
        for rest in text.lines().filter_map(|line| line.strip_prefix(&prefix)) {
            let mut fields = rest.split(' ').map(|field| field.parse::<u32>().unwrap_or(0));
            let (right, total) = (fields.next().unwrap_or(0), fields.next().unwrap_or(0));
            // A higher share wins: right / total > best_right / best_total, in whole numbers.
            if total > 0 && right <= total && best.is_none_or(|(r, t)| right * t > r * total) {
                best = Some((right, total));
            }
        }
        best
    }

    /// How many questions are due at `now`. Each question has one card line: [`answer`] replaces
    /// it in place and [`Progress::to_text`] writes one per question.
    pub fn due_count(text: &str, now: i64) -> usize {
        text.lines()
            .filter_map(|line| line.strip_prefix("card "))
            .filter(|rest| rest.split(' ').nth(1).and_then(|due| due.parse::<i64>().ok()).is_some_and(|due| due <= now))
            .count()
    }
}

#[cfg(test)]
mod tests;
