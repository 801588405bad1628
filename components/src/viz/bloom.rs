//! Bloom filter (/visualizers/bloom-filter): a bit array that answers "definitely not" or "maybe"
//! for set membership in a fraction of the memory the set would take. The reader sizes it from
//! the items they expect and the false-positive rate they can live with, watches it fill, and
//! then watches items that were never added sometimes find all their bits set (false positives),
//! at about the rate the formula predicts. The counting variant swaps each bit for a 4-bit
//! counter, which makes deletes possible.
//!
//! Each tick the workload does one step: first it adds the n expected items ("user:0",
//! "user:1", …), then it tests fresh items never added ("visitor:0", …), counting false
//! positives. The reader can add, test and remove items of their own at any time; the stream
//! then waits `HOLD_TICKS` so the result stays on the picture long enough to read.
//!
//! For the view: drive it with `Timeline<Bloom>` (parameters `BLOOM_PARAMS`, actions `Action`),
//! then draw `stage::stage` (the array and the last operation), `sizing()` and
//! `Sizing::formula_lines` (the calculator, formulas filled in), `series()` (one `Sample` per
//! tick: fill, measured and predicted false-positive rates), and `narrate()` for the live region.
//!
//! The model keeps the true set beside the filter, so it can tell a "maybe" that is right from
//! a false positive. The workload's own items cost nothing to remember (the first `filled`
//! "user:" numbers); only what the reader changes is stored.

use std::fmt::Write;

use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};

use crate::sim::number::group_thousands;
use crate::sim::{ParamKind, ParamSpec, Params, Simulation, Value};

mod filter;
mod sizing;
#[cfg(test)]
mod tests;
pub mod poster;
pub mod stage;

pub use filter::{Filter, Refusal, Variant, COUNTER_MAX};
pub use sizing::{false_positive_rate, optimal_bits, optimal_hashes, percent, Sizing};

/// The parameters. Changing one starts a new run.
///
/// - `items` (n) and `fp` (p, in percent) size the filter (see [`Sizing`]). The defaults give
///   1,918 bits and 7 hashes: small enough to draw a cell per bit.
/// - `variant`: plain bits, or 4-bit counters that allow deletes.
/// - `batch`: items the workload adds or tests per tick. While filling it is raised so that
///   filling never takes more than `FILL_TICKS` ticks, however many items are expected.
pub const BLOOM_PARAMS: &[ParamSpec] = &[
    ParamSpec { key: "items", label: "Expected items (n)", kind: ParamKind::Int { min: 1, max: 100_000 }, default: Value::Int(200) },
    ParamSpec { key: "fp", label: "Target false-positive rate (%)", kind: ParamKind::Float { min: 0.01, max: 50.0 }, default: Value::Float(1.0) },
    ParamSpec { key: "variant", label: "Filter", kind: ParamKind::Choice(&[("standard", "Standard (1 bit each)"), ("counting", "Counting (4-bit counters, deletes)")]), default: Value::Choice("standard") },
    ParamSpec { key: "batch", label: "Items per tick", kind: ParamKind::Int { min: 1, max: 1_000 }, default: Value::Int(1) },
];

/// The longest item the reader may type, in characters (any Unicode).
pub const MAX_ITEM_CHARS: usize = 64;
/// Filling never takes longer than this many ticks. It also bounds memory: the timeline keeps
/// a state every 64 ticks, and only states saved while filling hold their own copy of the array.
pub const FILL_TICKS: u64 = 400;
/// Ticks the workload waits after the reader acts.
pub const HOLD_TICKS: u64 = 30;
/// Samples kept for the charts (one per tick).
pub const MAX_SAMPLES: usize = 4_096;

/// What the reader does to the filter, with an item they typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Add(String),
    Test(String),
    Remove(String),
}

impl Action {
    pub fn item(&self) -> &str {
        match self {
            Action::Add(item) | Action::Test(item) | Action::Remove(item) => item,
        }
    }
}

/// Why a typed item cannot be used, in words for the form; `Ok` when it can.
pub fn check_item(text: &str) -> Result<(), String> {
    match text.chars().count() {
        0 => Err("Type an item first.".to_string()),
        count if count > MAX_ITEM_CHARS => Err(format!("Keep it to {MAX_ITEM_CHARS} characters ({count} now).")),
        _ => Ok(()),
    }
}

/// What an operation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Add,
    Test,
    Remove,
}

/// How an operation came out, judged against the true set the model keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Added,
    /// "Maybe", and it really was added.
    Member,
    /// "Maybe", but it was never added.
    FalsePositive,
    /// A position is zero, and it really is absent.
    DefinitelyNot,
    /// A position is zero although it was added: only possible after removing an item that
    /// was never added from a counting filter.
    FalseNegative,
    Removed,
    /// Removed although it was never added (it only looked present): the counts it took
    /// belonged to other items.
    RemovedStranger,
    Refused(Refusal),
}

/// One operation, kept for the picture and the narration.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    pub kind: Kind,
    pub item: String,
    /// Its k positions, in hash order.
    pub positions: Vec<u64>,
    /// Bit i set when the i-th position held zero as the operation looked at it; for a remove
    /// that went through, when it brought that position to zero.
    pub empty: u32,
    pub verdict: Verdict,
    pub by_reader: bool,
    /// How many items the workload handled in this tick, this one last (1 for the reader's).
    pub batch: u64,
}

/// Tests of items never added, and how many of them came back "maybe", since the filter last
/// changed (a change makes the old count a measure of a different filter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    pub tests: u64,
    pub false_positives: u64,
}

impl Tally {
    /// The measured false-positive rate, once something was tested.
    pub fn rate(&self) -> Option<f64> {
        (self.tests > 0).then(|| self.false_positives as f64 / self.tests as f64)
    }
}

/// One tick of the run, for the charts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub tick: u64,
    pub inserted: u64,
    /// Share of positions that are non-zero.
    pub fill: f64,
    /// Measured false-positive rate; NaN before anything was tested.
    pub measured: f64,
    /// What the formula predicts at this fill.
    pub formula: f64,
}

/// A chart line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    FillPercent,
    MeasuredPercent,
    FormulaPercent,
}

impl crate::sim::series::Sampled for Sample {
    type Metric = Metric;

    /// The run has no clock of its own: the charts' horizontal axis counts ticks.
    fn time_seconds(&self) -> f64 {
        self.tick as f64
    }

    fn value(&self, metric: Metric) -> f64 {
        100.0
            * match metric {
                Metric::FillPercent => self.fill,
                Metric::MeasuredPercent => self.measured,
                Metric::FormulaPercent => self.formula,
            }
    }
}

pub type Series = crate::sim::series::Series<Sample, MAX_SAMPLES>;

/// What the live region says: the last thing worth saying, kept as data.
#[derive(Debug, Clone, PartialEq)]
enum Note {
    Start,
    /// A quarter of the expected items more are in.
    Filling { added: u64, occupied: u64 },
    Filled { occupied: u64 },
    /// A reader's operation, or a false positive in the stream.
    Did(Box<Operation>, Tally),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bloom {
    tick: u64,
    sizing: Sizing,
    batch: u64,
    filter: Filter,
    /// The workload's items "user:0" up to "user:{filled − 1}" are in.
    filled: u64,
    /// The fresh items "visitor:0" up to "visitor:{visitors − 1}" were tested.
    visitors: u64,
    /// The reader's net changes to the true set: how many more copies of each item.
    changes: Vec<(String, i64)>,
    /// Adds minus removes the filter took: the n of the false-positive formula.
    inserted: u64,
    /// Every add, for the bound on set positions.
    adds: u64,
    tally: Tally,
    last: Option<Operation>,
    /// The workload waits until this tick after the reader acts.
    hold_until: u64,
    note: Note,
    series: Series,
}

impl Bloom {
    pub fn sizing(&self) -> &Sizing {
        &self.sizing
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    pub fn variant(&self) -> Variant {
        self.filter.variant()
    }

    /// The last operation, the reader's or the workload's (`None` at the start).
    pub fn last(&self) -> Option<&Operation> {
        self.last.as_ref()
    }

    pub fn inserted(&self) -> u64 {
        self.inserted
    }

    pub fn adds(&self) -> u64 {
        self.adds
    }

    /// Whether the workload is still adding its expected items.
    pub fn filling(&self) -> bool {
        self.filled < self.sizing.items
    }

    pub fn tally(&self) -> Tally {
        self.tally
    }

    /// The share of positions that are non-zero.
    pub fn fill(&self) -> f64 {
        self.filter.occupied() as f64 / self.filter.size() as f64
    }

    /// The false-positive rate the formula predicts for the items in now.
    pub fn formula_rate(&self) -> f64 {
        false_positive_rate(self.filter.size(), self.inserted, self.filter.hashes())
    }

    pub fn series(&self) -> &Series {
        &self.series
    }

    /// Whether the item is in the true set (what a perfect filter would answer).
    pub fn is_member(&self, item: &str) -> bool {
        self.copies(item) > 0
    }

    fn copies(&self, item: &str) -> i64 {
        let canonical = |digits: &&str| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && (digits.len() == 1 || !digits.starts_with('0'));
        let workload = item.strip_prefix("user:").filter(canonical).and_then(|digits| digits.parse::<u64>().ok()).is_some_and(|index| index < self.filled);
        i64::from(workload) + self.changes.iter().find(|(known, _)| known == item).map_or(0, |(_, copies)| *copies)
    }

    fn change(&mut self, item: &str, delta: i64) {
        match self.changes.iter().position(|(known, _)| known == item) {
            Some(index) => {
                self.changes[index].1 += delta;
                if self.changes[index].1 == 0 {
                    self.changes.swap_remove(index);
                }
            }
            None => self.changes.push((item.to_string(), delta)),
        }
    }

    /// The filter's answer for `item`, judged against the true set, with its zero positions.
    fn judge(&self, item: &str) -> (Verdict, u32) {
        let empty = self.filter.empty_mask(item);
        let verdict = match (empty == 0, self.is_member(item)) {
            (true, true) => Verdict::Member,
            (true, false) => Verdict::FalsePositive,
            (false, false) => Verdict::DefinitelyNot,
            (false, true) => Verdict::FalseNegative,
        };
        (verdict, empty)
    }

    fn operation(&self, kind: Kind, item: String, empty: u32, verdict: Verdict, by_reader: bool, batch: u64) -> Operation {
        let positions = self.filter.positions(&item).collect();
        Operation { kind, item, positions, empty, verdict, by_reader, batch }
    }

    /// Adds the next expected items (a tick's worth).
    fn fill_some(&mut self) {
        let items = self.sizing.items;
        let count = self.batch.max(items.div_ceil(FILL_TICKS)).min(items - self.filled);
        let before = self.filled;
        let (mut item, mut empty) = (String::new(), 0);
        for _ in 0..count {
            item.clear();
            let _ = write!(item, "user:{}", self.filled);
            empty = self.filter.add(&item);
            self.filled += 1;
            self.inserted += 1;
            self.adds += 1;
        }
        self.tally = Tally::default();
        self.last = Some(self.operation(Kind::Add, item, empty, Verdict::Added, false, count));
        let occupied = self.filter.occupied();
        if self.filled == items {
            self.note = Note::Filled { occupied };
        } else if self.filled * 4 / items > before * 4 / items {
            self.note = Note::Filling { added: self.filled, occupied };
        }
    }

    /// Tests a tick's worth of fresh items, never added.
    fn test_some(&mut self) {
        let mut item = String::new();
        let mut last = (Verdict::DefinitelyNot, 0);
        for _ in 0..self.batch {
            item.clear();
            let _ = write!(item, "visitor:{}", self.visitors);
            self.visitors += 1;
            last = self.judge(&item);
            // A visitor the reader added is a member: it says nothing about false positives.
            if matches!(last.0, Verdict::FalsePositive | Verdict::DefinitelyNot) {
                self.tally.tests += 1;
            }
            if last.0 == Verdict::FalsePositive {
                self.tally.false_positives += 1;
                let found = self.operation(Kind::Test, item.clone(), 0, Verdict::FalsePositive, false, 1);
                self.note = Note::Did(Box::new(found), self.tally);
            }
        }
        self.last = Some(self.operation(Kind::Test, item, last.1, last.0, false, self.batch));
    }

    fn sample(&self) -> Sample {
        Sample { tick: self.tick, inserted: self.inserted, fill: self.fill(), measured: self.tally.rate().unwrap_or(f64::NAN), formula: self.formula_rate() }
    }

    /// "positions" in the variant's word, plural.
    fn slots(&self) -> String {
        format!("{}s", self.variant().slot())
    }

    /// What an operation did, in one sentence.
    pub fn sentence(&self, op: &Operation) -> String {
        let item = quoted(&op.item);
        let (k, empty, slots) = (op.positions.len(), op.empty.count_ones(), self.slots());
        let counting = self.variant() == Variant::Counting;
        match op.verdict {
            Verdict::Added => {
                let what = if op.batch > 1 { format!("Added {} items, the last {item}", group_thousands(op.batch as f64)) } else { format!("Added {item}") };
                if counting {
                    format!("{what}: its {k} counters went up by one; {empty} of them had been at zero.")
                } else {
                    format!("{what}: {empty} of its {k} bits were clear and are now set.")
                }
            }
            Verdict::Member => format!("{item} may be in the set: all {k} of its {slots} are set, and it really was added."),
            Verdict::FalsePositive => format!("False positive: {item} was never added, yet other items have set all {k} of its {slots}."),
            Verdict::DefinitelyNot => format!("{item} is definitely not in the set: {empty} of its {k} {slots} {} zero.", if empty == 1 { "is" } else { "are" }),
            Verdict::FalseNegative => format!("False negative: {item} was added, but {empty} of its counters are at zero, because a remove took counts that were not its own."),
            Verdict::Removed => format!("Removed {item}: its {k} counters went down by one, and {empty} reached zero."),
            Verdict::RemovedStranger => format!("Removed {item}, which was never added: it only looked present, so the counts it took belonged to other items, which may now test “definitely not”."),
            Verdict::Refused(Refusal::Standard) => format!("Cannot remove {item}: a standard filter cannot delete, because each bit may also belong to other items."),
            Verdict::Refused(Refusal::NotThere) => format!("Cannot remove {item}: {empty} of its counters are at zero, so it was never added."),
        }
    }
}

/// An item in curly quotes, control characters shown as "·" so the page and the picture stay
/// valid text.
pub fn quoted(item: &str) -> String {
    let shown: String = item.chars().map(|ch| if ch.is_control() { '·' } else { ch }).collect();
    format!("“{shown}”")
}

impl Simulation for Bloom {
    type Action = Action;

    fn new(params: &Params, seed: u64) -> Self {
        let number = |key: &str| params.number_in(BLOOM_PARAMS, key);
        let sizing = Sizing::new(number("items").round() as u64, number("fp") / 100.0);
        let variant = if params.choice_in(BLOOM_PARAMS, "variant") == "counting" { Variant::Counting } else { Variant::Standard };
        // The seed picks the hash function's seed, so another seed lays the items out anew.
        let filter = Filter::new(variant, sizing.bits, sizing.hashes, (seed ^ seed >> 32) as u32);
        Self {
            tick: 0,
            sizing,
            batch: number("batch").round().max(1.0) as u64,
            filter,
            filled: 0,
            visitors: 0,
            changes: Vec::new(),
            inserted: 0,
            adds: 0,
            tally: Tally::default(),
            last: None,
            hold_until: 0,
            note: Note::Start,
            series: Series::default(),
        }
    }

    fn step(&mut self) {
        self.tick += 1;
        if self.tick >= self.hold_until {
            if self.filling() {
                self.fill_some();
            } else {
                self.test_some();
            }
        }
        self.series.push(self.sample());
    }

    /// Acts on the reader's item (cut to `MAX_ITEM_CHARS`; an empty one does nothing).
    fn apply(&mut self, action: &Action) {
        let item: String = action.item().chars().take(MAX_ITEM_CHARS).collect();
        if item.is_empty() {
            return;
        }
        let (kind, empty, verdict) = match action {
            Action::Add(_) => {
                let empty = self.filter.add(&item);
                self.change(&item, 1);
                self.inserted += 1;
                self.adds += 1;
                self.tally = Tally::default();
                (Kind::Add, empty, Verdict::Added)
            }
            Action::Test(_) => {
                let (verdict, empty) = self.judge(&item);
                (Kind::Test, empty, verdict)
            }
            Action::Remove(_) => {
                let member = self.is_member(&item);
                match self.filter.remove(&item) {
                    Ok(emptied) => {
                        if member {
                            self.change(&item, -1);
                        }
                        self.inserted = self.inserted.saturating_sub(1);
                        self.tally = Tally::default();
                        (Kind::Remove, emptied, if member { Verdict::Removed } else { Verdict::RemovedStranger })
                    }
                    Err(refusal) => (Kind::Remove, self.filter.empty_mask(&item), Verdict::Refused(refusal)),
                }
            }
        };
        let op = self.operation(kind, item, empty, verdict, true, 1);
        self.note = Note::Did(Box::new(op.clone()), self.tally);
        self.last = Some(op);
        self.hold_until = self.tick + HOLD_TICKS;
    }

    fn tick(&self) -> u64 {
        self.tick
    }

    fn narrate(&self) -> String {
        let (m, n) = (group_thousands(self.filter.size() as f64), group_thousands(self.sizing.items as f64));
        let slots = self.slots();
        let set = |occupied: u64| format!("{} of {m} {slots} set ({})", group_thousands(occupied as f64), percent(occupied as f64 / self.filter.size() as f64));
        match &self.note {
            Note::Start => format!(
                "An empty {} Bloom filter of {m} {slots}, {} per item, sized for {n} items at a {} false-positive rate.",
                if self.variant() == Variant::Counting { "counting" } else { "standard" },
                self.filter.hashes(),
                percent(self.sizing.target)
            ),
            Note::Filling { added, occupied } => format!("{} of {n} items added: {}.", group_thousands(*added as f64), set(*occupied)),
            Note::Filled { occupied } => format!("All {n} items are in, {}; now items never added are tested, to count false positives.", set(*occupied)),
            Note::Did(op, tally) => {
                let mut sentence = self.sentence(op);
                // The tally and the items in are as they were at that test: any change since
                // would have replaced this note.
                if op.verdict == Verdict::FalsePositive && !op.by_reader {
                    let _ = write!(
                        sentence,
                        " That makes {} in {} tests ({}); the formula predicts {}.",
                        group_thousands(tally.false_positives as f64),
                        group_thousands(tally.tests as f64),
                        percent(tally.rate().unwrap_or(0.0)),
                        percent(self.formula_rate())
                    );
                }
                sentence
            }
        }
    }

    /// `a`, `t` or `r` (add, test, remove) and the item's UTF-8 bytes percent-encoded, every
    /// byte but ASCII letters and digits escaped: `auser%3A7`. Safe in a URL and free of the
    /// timeline's separators.
    fn encode_action(action: &Action) -> String {
        let code = match action {
            Action::Add(_) => 'a',
            Action::Test(_) => 't',
            Action::Remove(_) => 'r',
        };
        format!("{code}{}", utf8_percent_encode(action.item(), NON_ALPHANUMERIC))
    }

    /// Reads only what `encode_action` writes: a known letter, then an item of 1 to
    /// `MAX_ITEM_CHARS` characters in exactly the encoded form (so a link has one spelling).
    fn decode_action(text: &str) -> Option<Action> {
        let mut chars = text.chars();
        let code = chars.next()?;
        let rest = chars.as_str();
        // At most 4 bytes a character, 3 characters a byte: longer cannot be a valid item.
        if rest.len() > MAX_ITEM_CHARS * 12 {
            return None;
        }
        let item = percent_decode_str(rest).decode_utf8().ok()?.into_owned();
        check_item(&item).ok()?;
        if utf8_percent_encode(&item, NON_ALPHANUMERIC).to_string() != rest {
            return None;
        }
        match code {
            'a' => Some(Action::Add(item)),
            't' => Some(Action::Test(item)),
            'r' => Some(Action::Remove(item)),
            _ => None,
        }
    }
}
