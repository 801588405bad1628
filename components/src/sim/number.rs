//! Reading numbers typed by a person: every way a field can be wrong gets its own message, and
//! nothing that is not a finite number in range ever reaches a model.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumberRule {
    pub min: f64,
    pub max: f64,
    /// Whole numbers only.
    pub integer: bool,
}

impl NumberRule {
    pub const fn new(min: f64, max: f64) -> Self {
        Self { min, max, integer: false }
    }

    pub const fn integer(min: f64, max: f64) -> Self {
        Self { min, max, integer: true }
    }

    /// Parses `input` (spaces, `_` and thousands commas allowed) or says what is wrong with it.
    pub fn parse(&self, input: &str) -> Result<f64, String> {
        let cleaned: String = input.trim().chars().filter(|ch| !matches!(ch, '_' | ',' | ' ')).collect();
        if cleaned.is_empty() {
            return Err("Enter a number.".to_string());
        }
        let lower = cleaned.to_ascii_lowercase();
        if lower.contains("inf") {
            return Err("Enter a finite number.".to_string());
        }
        let value: f64 = cleaned.parse().map_err(|_| format!("“{}” is not a number.", truncate(input.trim(), 24)))?;
        if !value.is_finite() {
            return Err("Enter a finite number.".to_string());
        }
        if value < 0.0 && self.min >= 0.0 {
            return Err("Must not be negative.".to_string());
        }
        if self.integer && value.fract() != 0.0 {
            return Err("Enter a whole number.".to_string());
        }
        if value < self.min {
            return Err(format!("Must be at least {}.", format_limit(self.min)));
        }
        if value > self.max {
            return Err(format!("Must be at most {}.", format_limit(self.max)));
        }
        Ok(value)
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(max).collect::<String>())
    }
}

fn format_limit(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let grouped = group_thousands(value.abs());
        if value < 0.0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    } else {
        format!("{value}")
    }
}

/// A count and its noun, plural unless the count is one: "1 message", "3 messages"; a noun
/// ending in a consonant and y takes -ies ("1 entry", "0 entries"), one ending in a vowel and y
/// only -s ("2 keys"). For the models' narration.
pub fn counted(count: impl Into<u64>, word: &str) -> String {
    let stem = word.strip_suffix('y').filter(|stem| !stem.ends_with(['a', 'e', 'i', 'o', 'u']));
    match (count.into(), stem) {
        (1, _) => format!("1 {word}"),
        (count, Some(stem)) => format!("{count} {stem}ies"),
        (count, None) => format!("{count} {word}s"),
    }
}

/// A count in few characters, for a drawing's tight labels: 950, 1.2k, 34k, 1.5M.
pub fn compact_count(count: u64) -> String {
    match count {
        0..=999 => count.to_string(),
        1_000..=9_999 => format!("{:.1}k", count as f64 / 1e3),
        10_000..=999_999 => format!("{}k", count / 1_000),
        _ => format!("{:.1}M", count as f64 / 1e6),
    }
}

/// A whole, non-negative number with thousands commas: 1234567 → "1,234,567". From 10^18 on
/// (past what `u64` holds exactly) it switches to scientific notation.
pub fn group_thousands(whole: f64) -> String {
    if whole >= 1e18 {
        return format!("{whole:.3e}");
    }
    let digits = format!("{}", whole as u64);
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, ch) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    grouped
}

/// A signed amount rounded to a whole number, with separators: 259200.4 → "259,200",
/// -1234 → "-1,234"; "—" for a value that is not a number.
pub fn whole_number(value: f64) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let grouped = group_thousands(value.abs().round());
    if value < -0.5 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_count_names_its_noun_in_the_plural_unless_it_is_one() {
        assert_eq!([super::counted(1u32, "entry"), super::counted(0u32, "entry"), super::counted(2u32, "entry"), super::counted(12u64, "message"), super::counted(1u8, "record")], ["1 entry", "0 entries", "2 entries", "12 messages", "1 record"]);
        assert_eq!([super::counted(2u32, "key"), super::counted(1u32, "key"), super::counted(3u32, "day")], ["2 keys", "1 key", "3 days"]);
    }

    #[test]
    fn whole_numbers_round_group_and_keep_their_sign() {
        assert_eq!(super::whole_number(259_200.4), "259,200");
        assert_eq!(super::whole_number(999.5), "1,000");
        assert_eq!(super::whole_number(-1234.0), "-1,234");
        assert_eq!(super::whole_number(-0.4), "0");
        assert_eq!(super::whole_number(f64::NAN), "—");
    }

    use super::*;

    const RULE: NumberRule = NumberRule::integer(1.0, 1_000_000.0);

    #[test]
    fn accepts_numbers_people_type() {
        assert_eq!(RULE.parse(" 1,000 "), Ok(1000.0));
        assert_eq!(RULE.parse("2_500"), Ok(2500.0));
        assert_eq!(NumberRule::new(0.0, 1.0).parse("0.25"), Ok(0.25));
        assert_eq!(NumberRule::new(0.0, 1e9).parse("1e3"), Ok(1000.0));
    }

    #[test]
    fn rejects_each_kind_of_bad_input_with_its_own_message() {
        assert_eq!(RULE.parse(""), Err("Enter a number.".into()));
        assert_eq!(RULE.parse("abc"), Err("“abc” is not a number.".into()));
        assert_eq!(RULE.parse("NaN"), Err("Enter a finite number.".into()));
        assert!(RULE.parse("NaN").is_err());
        assert_eq!(RULE.parse("inf"), Err("Enter a finite number.".into()));
        assert_eq!(RULE.parse("1e400"), Err("Enter a finite number.".into()));
        assert_eq!(RULE.parse("-5"), Err("Must not be negative.".into()));
        assert_eq!(RULE.parse("2.5"), Err("Enter a whole number.".into()));
        assert_eq!(RULE.parse("0"), Err("Must be at least 1.".into()));
        assert_eq!(RULE.parse("2000000"), Err("Must be at most 1,000,000.".into()));
    }
}
