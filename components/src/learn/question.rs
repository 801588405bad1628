//! A question, the reader's response to it, and the verdict. The site generator checks written
//! questions against these rules at build time; the browser checks responses with [`check`].

use crate::sim::rng::SimRng;

/// How hard a question is meant to be. The order is the order of the filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
}

impl Difficulty {
    pub const ALL: [Difficulty; 3] = [Difficulty::Beginner, Difficulty::Intermediate, Difficulty::Advanced];

    pub fn key(self) -> &'static str {
        match self {
            Difficulty::Beginner => "beginner",
            Difficulty::Intermediate => "intermediate",
            Difficulty::Advanced => "advanced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Beginner => "Beginner",
            Difficulty::Intermediate => "Intermediate",
            Difficulty::Advanced => "Advanced",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|difficulty| difficulty.key() == key)
    }
}

/// The kinds of question, as written in content (`type = "…"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// One right option.
    Single,
    /// Two or more right options ("select all that apply").
    Multiple,
    /// Steps to put in order.
    Order,
    /// A number within a relative tolerance.
    Number,
    /// One element (a component or an arrow) of a diagram.
    Diagram,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Single, Kind::Multiple, Kind::Order, Kind::Number, Kind::Diagram];

    pub fn key(self) -> &'static str {
        match self {
            Kind::Single => "single",
            Kind::Multiple => "multiple",
            Kind::Order => "order",
            Kind::Number => "number",
            Kind::Diagram => "diagram",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::Single => "One answer",
            Kind::Multiple => "Several answers",
            Kind::Order => "Put in order",
            Kind::Number => "Estimate",
            Kind::Diagram => "On the diagram",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.key() == key)
    }
}

/// What makes a response right.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    /// The index of the one right option (single choice and diagram questions).
    One(usize),
    /// The indices of the right options, ascending (multiple choice).
    Set(Vec<usize>),
    /// Steps are written in order; a response is the order the reader put them in.
    Order(usize),
    /// The exact value and the relative tolerance accepted either side of it.
    Number { value: f64, tolerance: f64 },
}

/// A reader's response.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    One(usize),
    Set(Vec<usize>),
    /// The written indices of the steps, in the order the reader placed them.
    Order(Vec<usize>),
    Number(f64),
}

/// Whether a response is right, and for an estimate how far off it was.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub correct: bool,
    /// For an estimate: the response over the answer (1.0 is exact).
    pub ratio: Option<f64>,
}

/// Checks `response` against `key`. A response of the wrong shape is simply wrong.
pub fn check(key: &Key, response: &Response) -> Verdict {
    match (key, response) {
        (Key::One(right), Response::One(chosen)) => Verdict { correct: right == chosen, ratio: None },
        // Membership both ways rather than sorting: sets of six at most, and a sort monomorphised
        // for this alone cost the core bundle 2.9 KB gzipped (measured 2026-12-07).
        (Key::Set(right), Response::Set(chosen)) => Verdict { correct: chosen.iter().all(|pick| right.contains(pick)) && right.iter().all(|answer| chosen.contains(answer)), ratio: None },
        (Key::Order(count), Response::Order(placed)) => Verdict { correct: placed.len() == *count && placed.iter().enumerate().all(|(at, step)| at == *step), ratio: None },
        (Key::Number { value, tolerance }, Response::Number(given)) => {
            let ratio = if *value == 0.0 { None } else { Some(given / value) };
            Verdict { correct: within(*given, *value, *tolerance), ratio }
        }
        _ => Verdict { correct: false, ratio: None },
    }
}

/// `given` is within `tolerance` (relative) of `value`. Both ends are inclusive, and a sliver
/// of slack keeps an answer typed at exactly the edge (a 20% band around 100: 80 and 120) in.
pub fn within(given: f64, value: f64, tolerance: f64) -> bool {
    if !given.is_finite() {
        return false;
    }
    let band = value.abs() * tolerance;
    (given - value).abs() <= band * (1.0 + 1e-9) + f64::EPSILON
}

/// Reads a number as a reader types it: `11574`, `11,574`, `11 574`, `1.2e4`, `12k`, `3.5M`,
/// `2 billion`, `99.9%` (the percent sign is dropped: the question names its unit). Anything else
/// gets a message saying what was expected.
pub fn parse_number(text: &str) -> Result<f64, String> {
    let cleaned: String = text.trim().chars().filter(|c| !matches!(c, ',' | '_' | ' ' | '\u{a0}' | '\u{202f}' | '%')).collect();
    if cleaned.is_empty() {
        return Err("Type a number first.".to_string());
    }
    let lower = cleaned.to_ascii_lowercase();
    let suffixes: [(&str, f64); 8] = [
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("trillion", 1e12),
        ("k", 1e3),
        ("m", 1e6),
        ("b", 1e9),
        ("t", 1e12),
    ];
    let (digits, scale) = suffixes
        .iter()
        .find_map(|(suffix, scale)| lower.strip_suffix(suffix).filter(|rest| !rest.is_empty() && !rest.ends_with('e')).map(|rest| (rest, *scale)))
        .unwrap_or((lower.as_str(), 1.0));
    if digits.len() > 40 || !digits.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | '-' | '+')) {
        return Err(format!("“{}” is not a number. Write digits, for example 11574, 11,574, 1.2e4 or 12k.", shorten(text.trim())));
    }
    match parse_decimal(digits) {
        Some(value) if (value * scale).is_finite() => Ok(value * scale),
        _ => Err(format!("“{}” is not a number. Write digits, for example 11574, 11,574, 1.2e4 or 12k.", shorten(text.trim()))),
    }
}

/// Reads `-12.5e3`-style decimal text. Written by hand instead of `str::parse::<f64>`, whose
/// correctly rounded algorithm cost the core bundle 2.5 KB gzipped (measured 2026-12-07 with
/// twiggy): an answer checked within a tolerance of at least 1% needs no last-bit rounding. The
/// first 18 significant digits are kept exactly, the rest only shift the exponent.
pub fn parse_decimal(text: &str) -> Option<f64> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (number, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], rest[at + 1..].parse::<i32>().ok()?),
        None => (rest, 0),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || !whole.bytes().chain(fraction.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut mantissa: u64 = 0;
    let mut scale: i32 = exponent;
    let mut significant = 0;
    for (index, digit) in whole.bytes().chain(fraction.bytes()).enumerate() {
        let after_point = index >= whole.len();
        if significant < 18 {
            mantissa = mantissa * 10 + u64::from(digit - b'0');
            if mantissa > 0 {
                significant += 1;
            }
            if after_point {
                scale = scale.checked_sub(1)?;
            }
        } else if !after_point {
            scale = scale.checked_add(1)?;
        }
    }
    let value = mantissa as f64 * 10f64.powi(scale);
    Some(if negative { -value } else { value })
}

fn shorten(text: &str) -> String {
    let mut out: String = text.chars().take(24).collect();
    if text.chars().count() > 24 {
        out.push('…');
    }
    out
}

/// The order in which to show `count` steps: shuffled by `seed`, and never already in order (a
/// question that starts solved asks nothing) unless there is only one step.
pub fn shuffled_order(count: usize, seed: u64) -> Vec<usize> {
    let mut order: Vec<usize> = (0..count).collect();
    if count < 2 {
        return order;
    }
    let mut rng = SimRng::new(seed);
    loop {
        for at in (1..count).rev() {
            let other = rng.below(at as u64 + 1) as usize;
            order.swap(at, other);
        }
        if order.iter().enumerate().any(|(at, step)| at != *step) {
            return order;
        }
    }
}

/// The bank (a file under `quiz/bank/`) a written question is fetched from: `<module>/<id>` is
/// in `module-<module>`, `pattern/<slug>/<n>` in `pattern-<slug>`; generated questions
/// (`gen/…`) are made in the browser and have none.
pub fn bank_of(id: &str) -> Option<String> {
    let mut parts = id.split('/');
    let bank = match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some("gen"), ..) => return None,
        (Some("pattern"), Some(slug), Some(number), None) if number.parse::<u32>().is_ok() => format!("pattern-{slug}"),
        (Some(module), Some(_), None, None) => format!("module-{module}"),
        _ => return None,
    };
    bank.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-').then_some(bank)
}

/// A stable 64-bit seed from a question's id, so the same question always shows its steps in
/// the same shuffled order (FNV-1a: tiny, and the ids are the site's own, not hostile).
pub fn seed_of(id: &str) -> u64 {
    id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ byte as u64).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_estimate_is_right_inside_its_band_and_wrong_outside() {
        let key = Key::Number { value: 11_574.0, tolerance: 0.2 };
        assert!(check(&key, &Response::Number(11_574.0)).correct);
        assert!(check(&key, &Response::Number(9_260.0)).correct, "20% under is in");
        assert!(!check(&key, &Response::Number(9_000.0)).correct);
        assert!(!check(&key, &Response::Number(1_157_400.0)).correct, "a factor of 100 is out");
        assert!(check(&Key::Number { value: 100.0, tolerance: 0.2 }, &Response::Number(80.0)).correct, "the edge is in");
        assert!(!check(&key, &Response::Number(f64::NAN)).correct);
        assert_eq!(check(&key, &Response::Number(5_787.0)).ratio, Some(0.5));
    }

    #[test]
    fn a_set_is_right_only_when_it_is_exactly_the_right_options() {
        let key = Key::Set(vec![0, 2]);
        assert!(check(&key, &Response::Set(vec![2, 0])).correct, "order does not matter");
        assert!(!check(&key, &Response::Set(vec![0])).correct, "half the set is wrong");
        assert!(!check(&key, &Response::Set(vec![0, 1, 2])).correct, "an extra option is wrong");
        assert!(!check(&key, &Response::One(0)).correct, "a response of the wrong shape is wrong");
    }

    #[test]
    fn an_order_is_right_only_when_every_step_is_in_place() {
        assert!(check(&Key::Order(3), &Response::Order(vec![0, 1, 2])).correct);
        assert!(!check(&Key::Order(3), &Response::Order(vec![1, 0, 2])).correct);
        assert!(!check(&Key::Order(3), &Response::Order(vec![0, 1])).correct, "a step left out");
    }

    #[test]
    fn every_written_question_has_a_bank_and_generated_ones_none() {
        assert_eq!(bank_of("foundations/peak-qps").as_deref(), Some("module-foundations"));
        assert_eq!(bank_of("pattern/thundering-herd/2").as_deref(), Some("pattern-thundering-herd"));
        assert_eq!(bank_of("gen/peak-qps/7"), None);
        assert_eq!(bank_of("pattern/x/y"), None);
        assert_eq!(bank_of("../../etc/passwd"), None, "an id from storage never names a path outside the banks");
        assert_eq!(bank_of("A/b"), None);
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(parse_number("11,574"), Ok(11_574.0));
        assert_eq!(parse_number(" 11 574 "), Ok(11_574.0));
        assert_eq!(parse_number("1.2e4"), Ok(12_000.0));
        assert_eq!(parse_number("12k"), Ok(12_000.0));
        assert_eq!(parse_number("3.5M"), Ok(3_500_000.0));
        assert_eq!(parse_number("2 billion"), Ok(2e9));
        assert_eq!(parse_number("99.9%"), Ok(99.9));
        assert!(parse_number("").unwrap_err().contains("Type a number"));
        assert!(parse_number("twelve").unwrap_err().contains("not a number"));
        assert!(parse_number("1e999").is_err(), "infinity is not an answer");
        assert!(parse_number("<script>").unwrap_err().contains("<script>"), "the message quotes the text; the page inserts it as text");
    }

    #[test]
    fn decimals_read_like_the_standard_parser_within_a_rounding() {
        for text in ["0", "12", "11574.074074074075", "0.2", ".5", "5.", "1e3", "2.5E-3", "-7.25", "123456789012345678901234", "0.000000000000000000123"] {
            let ours = parse_decimal(text).unwrap();
            let standard: f64 = text.parse().unwrap();
            assert!((ours - standard).abs() <= standard.abs() * 1e-12, "{text}: {ours} vs {standard}");
        }
        for text in ["", ".", "1.2.3", "1e", "e5", "12a", "--1", "1e99999999999"] {
            assert_eq!(parse_decimal(text), None, "{text}");
        }
    }

    proptest! {
        #[test]
        fn any_number_the_site_prints_reads_back(value in 1e-9f64..1e15) {
            let text = format!("{value}");
            let ours = parse_decimal(&text).unwrap();
            prop_assert!((ours - value).abs() <= value * 1e-12, "{} -> {}", text, ours);
        }

        #[test]
        fn parsing_never_panics(text in "\\PC{0,60}") {
            let _ = parse_number(&text);
        }

        #[test]
        fn a_shuffle_is_a_permutation_that_is_not_already_solved(count in 2usize..8, seed in any::<u64>()) {
            let order = shuffled_order(count, seed);
            let mut sorted = order.clone();
            sorted.sort_unstable();
            prop_assert_eq!(sorted, (0..count).collect::<Vec<_>>());
            prop_assert!(!check(&Key::Order(count), &Response::Order(order)).correct);
        }

        #[test]
        fn the_exact_value_is_always_right(value in 1e-6f64..1e12, tolerance in 0.01f64..0.5) {
            let key = Key::Number { value, tolerance };
            prop_assert!(check(&key, &Response::Number(value)).correct);
            prop_assert!(!check(&key, &Response::Number(value * (1.0 + tolerance * 1.01))).correct);
        }
    }
}
