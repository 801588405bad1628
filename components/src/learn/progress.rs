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
//! Lines rather than JSON because the core bundle, on every page, records the pages read, and a
//! JSON parser there would cost more than the rest of this file (see `viz/json.rs` for the
//! measured cost of serde_json). A value that does not parse is never half-read: [`parse`] says
//! which line is wrong and why, and the caller sets the whole value aside for the reader to
//! download. A record of a kind this version does not know (written by a newer site) is kept as
//! it is, so going back to an older version loses nothing.

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
/// The answer log keeps this many most recent answers; cards and scores are kept whole.
pub const MAX_ANSWERS: usize = 5_000;
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
        let float = |at: usize| fields.get(at).and_then(|field| field.parse::<f64>().ok()).filter(|value| value.is_finite()).ok_or_else(|| fail(&format!("field {} should be a number", at + 1)));
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
                let state = int(7)?;
                if !(0..=3).contains(&state) {
                    return Err(fail("a card's state is 0 to 3"));
                }
                let card = Card {
                    due: int(2)?,
                    stability: float(3)?,
                    difficulty: float(4)?,
                    reps: u32::try_from(int(5)?).map_err(|_| fail("a card's reviews cannot be negative"))?,
                    lapses: u32::try_from(int(6)?).map_err(|_| fail("a card's lapses cannot be negative"))?,
                    state: state as u8,
                    last_review: int(8)?,
                    scheduled_days: int(9)?,
                };
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
    progress.trim();
    Ok(progress)
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
            let _ = writeln!(
                out,
                "card {id} {} {} {} {} {} {} {} {}",
                card.due, card.stability, card.difficulty, card.reps, card.lapses, card.state, card.last_review, card.scheduled_days
            );
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
        self.answers.entry(id.to_string()).or_default().push(Answer { at: now, correct });
        let card = super::review::review(self.cards.get(id), now, correct);
        self.cards.insert(id.to_string(), card);
        self.trim();
        true
    }

    pub fn record_score(&mut self, module: &str, right: u32, total: u32, now: i64) -> bool {
        if !is_token(module) || total == 0 || right > total {
            return false;
        }
        self.scores.push(Score { module: module.to_string(), right, total, at: now });
        self.trim();
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
        self.trim();
    }

    /// Keeps the answer log and the attempts within their caps, dropping the oldest.
    fn trim(&mut self) {
        let total: usize = self.answers.values().map(Vec::len).sum();
        if total > MAX_ANSWERS {
            let mut times: Vec<i64> = self.answers.values().flatten().map(|answer| answer.at).collect();
            times.sort_unstable();
            let cutoff = times[total - MAX_ANSWERS];
            for answers in self.answers.values_mut() {
                // Every question keeps its latest answer: it is what "what I got wrong" reads.
                let last = answers.len() - 1;
                let mut index = 0;
                answers.retain(|answer| {
                    let keep = index == last || answer.at >= cutoff;
                    index += 1;
                    keep
                });
            }
        }
        let mut per_module: BTreeMap<&str, usize> = BTreeMap::new();
        for score in &self.scores {
            *per_module.entry(score.module.as_str()).or_default() += 1;
        }
        let mut drop: BTreeMap<String, usize> = per_module.into_iter().filter(|(_, count)| *count > MAX_SCORES_PER_MODULE).map(|(module, count)| (module.to_string(), count - MAX_SCORES_PER_MODULE)).collect();
        if !drop.is_empty() {
            self.scores.retain(|score| match drop.get_mut(&score.module) {
                Some(left) if *left > 0 => {
                    *left -= 1;
                    false
                }
                _ => true,
            });
        }
    }
}

#[cfg(test)]
mod tests;
