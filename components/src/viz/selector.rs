//! The database selector: six questions about a workload (the data's shape, how it is read, a
//! specialised query it must serve, what a write must guarantee, scale, how it is run), each
//! answered or left at "not sure", and a ranked shortlist of kinds of data store with the reasons
//! for each, its main trade-off and the pattern pages that explain it.
//!
//! There is no clock and no randomness: the verdict is a pure function of the answers, and the
//! answers live in the URL as an ordinary `Params` schema ([`SELECTOR_PARAMS`], one choice per
//! question), so a share link or a page's preset restores them and a bad value gets the
//! harness's usual note.
//!
//! **Scoring**, in full (see `rules.rs` and `catalogue.rs` for the numbers):
//! - Each kind of store starts at its prior: 2 for a relational database, 1 for distributed SQL
//!   and document databases (the other general-purpose operational stores), 0 for every
//!   specialised one, so a reader who answers nothing gets the general-purpose answer, while a
//!   single answer worth 3 to the store built for it is enough to move that store first.
//! - Each rule of the table whose answers were all given adds its points (positive or negative)
//!   and its reason. A rule never fires on an unanswered question.
//! - Two answers are requirements a kind of store may be unable to meet at all: multi-record
//!   transactions and self-hosting. A store that cannot meet one the reader gave loses
//!   [`REQUIREMENT_PENALTY`] points for it, says why in its trade-off, and is never ranked first.
//! - Ties are broken by the higher prior, then by the order of the catalogue, which lists the
//!   general-purpose stores first. After sorting, if the first store cannot meet a requirement,
//!   the best one that can moves to the front.
//! - The shortlist is the first three, plus the fourth and fifth when their score is above 0.
//! - "What would change it": for each answer given, the ranking without that answer; where a
//!   different store would come first, the page says which.
//!
//! The answer space is small (5 × 4 × 4 × 4 × 4 × 4 = 5,120 combinations), and the tests walk
//! every one of them.

mod catalogue;
pub mod poster;
mod rules;
#[cfg(test)]
mod tests;

use crate::sim::{ParamKind, ParamSpec, Params, Value};

pub use catalogue::{Candidate, Store, CATALOGUE};
pub use rules::{Rule, RULES};

/// The URL value of every question's neutral answer ("not sure", "no preference").
pub const NOT_SURE: &str = "any";

/// Points a store loses for each requirement the reader gave that it cannot meet: enough to
/// pull a best fit down the list, not so much that it leaves the shortlist, so the reader still
/// sees what giving the requirement up would buy (and the store is never first either way).
pub const REQUIREMENT_PENALTY: i32 = -3;

/// The shortlist always shows this many stores…
pub const SHORTLIST_MIN: usize = 3;
/// …and at most this many.
pub const SHORTLIST_MAX: usize = 5;

/// A question, in the order the page asks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Question {
    Shape,
    Access,
    Special,
    Consistency,
    Scale,
    Operations,
}

impl Question {
    pub const ALL: [Question; 6] = [Question::Shape, Question::Access, Question::Special, Question::Consistency, Question::Scale, Question::Operations];

    /// Its key in the URL (`?shape=graph`).
    pub const fn key(self) -> &'static str {
        match self {
            Question::Shape => "shape",
            Question::Access => "access",
            Question::Special => "special",
            Question::Consistency => "consistency",
            Question::Scale => "scale",
            Question::Operations => "ops",
        }
    }

    /// The question as the page asks it.
    pub const fn label(self) -> &'static str {
        match self {
            Question::Shape => "What the data looks like",
            Question::Access => "How it is mostly read",
            Question::Special => "A specialised query it must also serve",
            Question::Consistency => "What a write must guarantee",
            Question::Scale => "How big, and where",
            Question::Operations => "How you want to run it",
        }
    }

    /// Every option with its URL value, the neutral one first: the one list a radio group, the
    /// URL schema and the answers of this question are read from.
    pub const fn choices(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Question::Shape => SHAPE,
            Question::Access => ACCESS,
            Question::Special => SPECIAL,
            Question::Consistency => CONSISTENCY,
            Question::Scale => SCALE,
            Question::Operations => OPERATIONS,
        }
    }

    /// The answers a reader can give (the choices after the neutral one).
    pub fn answers(self) -> impl Iterator<Item = Answer> {
        self.choices().iter().skip(1).filter_map(move |(key, _)| Answer::from_key(self, key))
    }
}

/// An answer a reader can give; every question also has a neutral one, which is no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Answer {
    Tables,
    Documents,
    Links,
    Events,
    AdHoc,
    ByKey,
    Ranges,
    FullText,
    Analytics,
    Vectors,
    Transactions,
    StrongReads,
    Eventual,
    OneMachine,
    WriteScale,
    MultiRegion,
    Managed,
    SelfHosted,
    Sql,
}

impl Answer {
    pub const ALL: [Answer; 19] = [
        Answer::Tables,
        Answer::Documents,
        Answer::Links,
        Answer::Events,
        Answer::AdHoc,
        Answer::ByKey,
        Answer::Ranges,
        Answer::FullText,
        Answer::Analytics,
        Answer::Vectors,
        Answer::Transactions,
        Answer::StrongReads,
        Answer::Eventual,
        Answer::OneMachine,
        Answer::WriteScale,
        Answer::MultiRegion,
        Answer::Managed,
        Answer::SelfHosted,
        Answer::Sql,
    ];

    pub const fn question(self) -> Question {
        match self {
            Answer::Tables | Answer::Documents | Answer::Links | Answer::Events => Question::Shape,
            Answer::AdHoc | Answer::ByKey | Answer::Ranges => Question::Access,
            Answer::FullText | Answer::Analytics | Answer::Vectors => Question::Special,
            Answer::Transactions | Answer::StrongReads | Answer::Eventual => Question::Consistency,
            Answer::OneMachine | Answer::WriteScale | Answer::MultiRegion => Question::Scale,
            Answer::Managed | Answer::SelfHosted | Answer::Sql => Question::Operations,
        }
    }

    /// Its value in the URL.
    pub const fn key(self) -> &'static str {
        match self {
            Answer::Tables => "tables",
            Answer::Documents => "documents",
            Answer::Links => "graph",
            Answer::Events => "events",
            Answer::AdHoc => "adhoc",
            Answer::ByKey => "key",
            Answer::Ranges => "range",
            Answer::FullText => "text",
            Answer::Analytics => "analytics",
            Answer::Vectors => "vectors",
            Answer::Transactions => "transactions",
            Answer::StrongReads => "strong",
            Answer::Eventual => "eventual",
            Answer::OneMachine => "one",
            Answer::WriteScale => "writes",
            Answer::MultiRegion => "global",
            Answer::Managed => "managed",
            Answer::SelfHosted => "self",
            Answer::Sql => "sql",
        }
    }

    /// The option as the page offers it.
    pub const fn label(self) -> &'static str {
        match self {
            Answer::Tables => "Records that refer to each other (customers, orders, order lines)",
            Answer::Documents => "Self-contained documents with nested fields that vary",
            Answer::Links => "A web of many-to-many links (people, follows, routes)",
            Answer::Events => "Timestamped events or readings, appended and rarely changed",
            Answer::AdHoc => "Ad-hoc queries: filters, joins and sorts that change with each feature",
            Answer::ByKey => "One item, or one partition, fetched by its key",
            Answer::Ranges => "Ranges in order: the latest items, a time window",
            Answer::FullText => "Full-text search ranked by relevance",
            Answer::Analytics => "Aggregates over millions of rows (dashboards, reports)",
            Answer::Vectors => "Nearest neighbours of embeddings (semantic search)",
            Answer::Transactions => "Several records change together, all or nothing",
            Answer::StrongReads => "Each record: a read always sees the latest write",
            Answer::Eventual => "Reads may be briefly stale (eventual consistency)",
            Answer::OneMachine => "Fits one machine, with a replica or two",
            Answer::WriteScale => "More writes or data than one machine can take",
            Answer::MultiRegion => "Users in several regions, each writing nearby",
            Answer::Managed => "A managed cloud service, nothing to operate",
            Answer::SelfHosted => "On our own machines (self-hosted)",
            Answer::Sql => "Whatever it is, the team wants SQL",
        }
    }

    /// A few words for the drawing and for sentences ("without “transactions”").
    pub const fn short(self) -> &'static str {
        match self {
            Answer::Tables => "related records",
            Answer::Documents => "documents",
            Answer::Links => "a graph",
            Answer::Events => "events",
            Answer::AdHoc => "ad-hoc queries",
            Answer::ByKey => "lookups by key",
            Answer::Ranges => "ordered ranges",
            Answer::FullText => "full-text search",
            Answer::Analytics => "analytics",
            Answer::Vectors => "vector search",
            Answer::Transactions => "transactions",
            Answer::StrongReads => "strong reads",
            Answer::Eventual => "eventual is fine",
            Answer::OneMachine => "one machine",
            Answer::WriteScale => "write scale",
            Answer::MultiRegion => "multi-region",
            Answer::Managed => "managed",
            Answer::SelfHosted => "self-hosted",
            Answer::Sql => "SQL",
        }
    }

    /// Whether a store may be unable to meet this answer at all, rather than merely fit it worse.
    pub const fn is_requirement(self) -> bool {
        matches!(self, Answer::Transactions | Answer::SelfHosted)
    }

    /// The answer of `question` whose URL value is `key`; `None` for the neutral one or another
    /// question's.
    pub fn from_key(question: Question, key: &str) -> Option<Answer> {
        Answer::ALL.into_iter().find(|answer| answer.question() == question && answer.key() == key)
    }
}

const fn choice(answer: Answer) -> (&'static str, &'static str) {
    (answer.key(), answer.label())
}

const SHAPE: &[(&str, &str)] = &[(NOT_SURE, "Not sure, or a mix"), choice(Answer::Tables), choice(Answer::Documents), choice(Answer::Links), choice(Answer::Events)];
const ACCESS: &[(&str, &str)] = &[(NOT_SURE, "Not sure, or a mix"), choice(Answer::AdHoc), choice(Answer::ByKey), choice(Answer::Ranges)];
const SPECIAL: &[(&str, &str)] = &[(NOT_SURE, "None, or not sure"), choice(Answer::FullText), choice(Answer::Analytics), choice(Answer::Vectors)];
const CONSISTENCY: &[(&str, &str)] = &[(NOT_SURE, "Not sure"), choice(Answer::Transactions), choice(Answer::StrongReads), choice(Answer::Eventual)];
const SCALE: &[(&str, &str)] = &[(NOT_SURE, "Not sure"), choice(Answer::OneMachine), choice(Answer::WriteScale), choice(Answer::MultiRegion)];
const OPERATIONS: &[(&str, &str)] = &[(NOT_SURE, "No preference"), choice(Answer::Managed), choice(Answer::SelfHosted), choice(Answer::Sql)];

const fn question_param(question: Question) -> ParamSpec {
    ParamSpec { key: question.key(), label: question.label(), kind: ParamKind::Choice(question.choices()), default: Value::Choice(NOT_SURE) }
}

/// One choice per question, each defaulting to its neutral answer: what the URL and a page's
/// preset may carry.
pub const SELECTOR_PARAMS: &[ParamSpec] = &[
    question_param(Question::Shape),
    question_param(Question::Access),
    question_param(Question::Special),
    question_param(Question::Consistency),
    question_param(Question::Scale),
    question_param(Question::Operations),
];

/// What the reader answered: at most one answer per question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Answers {
    given: [Option<Answer>; 6],
}

impl Answers {
    /// Nothing answered.
    pub fn none() -> Self {
        Self::default()
    }

    /// These answers given (a later answer to the same question replaces an earlier one).
    pub fn of(answers: &[Answer]) -> Self {
        answers.iter().fold(Self::none(), |all, answer| all.with(*answer))
    }

    pub fn get(&self, question: Question) -> Option<Answer> {
        self.given[question as usize]
    }

    pub fn with(mut self, answer: Answer) -> Self {
        self.given[answer.question() as usize] = Some(answer);
        self
    }

    /// The same answers with `question` back at "not sure".
    pub fn without(mut self, question: Question) -> Self {
        self.given[question as usize] = None;
        self
    }

    pub fn has(&self, answer: Answer) -> bool {
        self.get(answer.question()) == Some(answer)
    }

    /// The answers given, in question order.
    pub fn given(&self) -> impl Iterator<Item = Answer> + '_ {
        self.given.iter().flatten().copied()
    }

    /// Read from parameters of [`SELECTOR_PARAMS`]; anything else counts as not answered.
    pub fn from_params(params: &Params) -> Self {
        let mut answers = Self::none();
        for question in Question::ALL {
            if let Some(answer) = Answer::from_key(question, params.choice_in(SELECTOR_PARAMS, question.key())) {
                answers = answers.with(answer);
            }
        }
        answers
    }

    /// Read from a link's query pairs, with a note for every value that had to be ignored.
    pub fn from_pairs(pairs: &[(String, String)]) -> (Self, Vec<String>) {
        let (params, notes) = Params::from_pairs(SELECTOR_PARAMS, pairs);
        (Self::from_params(&params), notes)
    }

    /// As parameters, for the URL.
    pub fn params(&self) -> Params {
        let mut params = Params::defaults(SELECTOR_PARAMS);
        for answer in self.given() {
            params.set(answer.question().key(), Value::Choice(answer.key()));
        }
        params
    }

    /// Every combination of answers, "not sure" included: the whole space the tests walk.
    pub fn every() -> impl Iterator<Item = Answers> {
        Question::ALL.into_iter().fold(vec![Answers::none()], |partial, question| {
            partial.into_iter().flat_map(|answers| std::iter::once(answers).chain(question.answers().map(move |answer| answers.with(answer)))).collect()
        })
        .into_iter()
    }
}

/// One store as scored for a set of answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub store: Store,
    pub score: i32,
    /// The rules that fired, in table order: each names only answers the reader gave.
    pub reasons: Vec<&'static Rule>,
    /// The requirements the reader gave that this store cannot meet, with why.
    pub cannot: Vec<(Answer, &'static str)>,
}

impl Scored {
    pub fn candidate(&self) -> &'static Candidate {
        self.store.candidate()
    }

    /// Its trade-off as shown: first every requirement of the reader's it cannot meet, then the
    /// trade-off it always has.
    pub fn trade_off(&self) -> String {
        let mut parts: Vec<String> = self.cannot.iter().map(|(answer, why)| format!("Cannot meet “{}”: {why}", answer.short())).collect();
        parts.push(self.candidate().trade_off.to_string());
        parts.join(" ")
    }
}

/// A store that would come first if the reader took back one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WhatIf {
    pub dropped: Answer,
    pub first: Store,
}

/// Everything the page shows for a set of answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub answers: Answers,
    /// Every store, best first.
    pub ranking: Vec<Scored>,
    /// How many of `ranking` the shortlist shows.
    pub shortlist_len: usize,
    pub what_ifs: Vec<WhatIf>,
}

impl Verdict {
    pub fn shortlist(&self) -> &[Scored] {
        &self.ranking[..self.shortlist_len]
    }

    pub fn first(&self) -> &Scored {
        &self.ranking[0]
    }
}

/// Scores one store against `answers` with the rules `rules` (the real table, or a reordered
/// copy in the tests).
fn score(store: Store, answers: &Answers, rules: &'static [Rule]) -> Scored {
    let candidate = store.candidate();
    let reasons: Vec<&'static Rule> = rules.iter().filter(|rule| rule.store == store && rule.when.iter().all(|answer| answers.has(*answer))).collect();
    let cannot: Vec<(Answer, &'static str)> = candidate.cannot.iter().filter(|(answer, _)| answers.has(*answer)).copied().collect();
    let score = candidate.prior + reasons.iter().map(|rule| rule.points).sum::<i32>() + REQUIREMENT_PENALTY * cannot.len() as i32;
    Scored { store, score, reasons, cannot }
}

/// Every store ranked for `answers`: by score, then prior, then catalogue order; a store that
/// cannot meet a requirement is never first (see the module documentation).
fn rank(answers: &Answers, rules: &'static [Rule]) -> Vec<Scored> {
    let mut ranking: Vec<Scored> = Store::ALL.into_iter().map(|store| score(store, answers, rules)).collect();
    ranking.sort_by_key(|scored| (std::cmp::Reverse(scored.score), std::cmp::Reverse(scored.candidate().prior), scored.store));
    if let Some(able) = ranking.iter().position(|scored| scored.cannot.is_empty()) {
        let best_able = ranking.remove(able);
        ranking.insert(0, best_able);
    }
    ranking
}

/// The ranking, shortlist and what-ifs for `answers`.
pub fn verdict(answers: &Answers) -> Verdict {
    let ranking = rank(answers, RULES);
    let extra = ranking[SHORTLIST_MIN..SHORTLIST_MAX].iter().take_while(|scored| scored.score > 0).count();
    let first = ranking[0].store;
    let what_ifs = answers
        .given()
        .filter_map(|dropped| {
            let alternative = rank(&answers.without(dropped.question()), RULES)[0].store;
            (alternative != first).then_some(WhatIf { dropped, first: alternative })
        })
        .collect();
    Verdict { answers: *answers, ranking, shortlist_len: SHORTLIST_MIN + extra, what_ifs }
}

/// A score as the page writes it: `+3`, `0`, `−2` (with a real minus sign).
pub fn signed(points: i32) -> String {
    match points {
        0 => "0".to_string(),
        p if p > 0 => format!("+{p}"),
        p => format!("−{}", p.unsigned_abs()),
    }
}
