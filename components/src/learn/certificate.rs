//! Certificates for a passed module quiz, and the code that lets anyone check one.
//!
//! The code is the first 50 bits of SHA-256 over the certificate's fields, in Crockford's
//! base32 (no I, L, O or U to misread). What it proves, and what it does not, is said on the
//! verification page: the site runs in the reader's browser and keeps no record, so anyone who
//! reads this file can make a code for any name and score. The code shows that the fields on a
//! certificate are the ones it was made with (a retyped name or an edited score no longer
//! matches); it cannot show who took the quiz, or that they took it at all.

use sha2::{Digest, Sha256};

/// The share of a module quiz's questions a reader must get right for a certificate.
pub const PASS_PERCENT: u32 = 80;
/// Names are cut to this many characters (the certificate has room for one line).
pub const MAX_NAME_CHARS: usize = 60;

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Whether `right` out of `total` passes.
pub fn passes(right: u32, total: u32) -> bool {
    total > 0 && right * 100 >= PASS_PERCENT * total
}

/// A name as printed and hashed: spaces collapsed, ends trimmed, control characters dropped.
pub fn clean_name(name: &str) -> String {
    let words: Vec<&str> = name.split(|c: char| c.is_whitespace() || c.is_control()).filter(|word| !word.is_empty()).collect();
    words.join(" ").chars().take(MAX_NAME_CHARS).collect()
}

/// The fields a code covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    pub name: String,
    /// The module's slug.
    pub module: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub right: u32,
    pub total: u32,
}

impl Certificate {
    /// Checks the fields a reader typed on the verification page, with a message for each fault.
    pub fn validate(&self) -> Result<(), String> {
        if self.name.is_empty() {
            return Err("Type the name as it is printed on the certificate.".into());
        }
        if !is_date(&self.date) {
            return Err("Write the date as it is printed, year-month-day, for example 2026-12-07.".into());
        }
        if self.total == 0 || self.right > self.total {
            return Err("The score is the number right out of the number asked, for example 13 of 15.".into());
        }
        Ok(())
    }

    /// The code printed on the certificate: ten characters in two groups, `7K3QD-W2M9X`.
    pub fn code(&self) -> String {
        let text = format!("atlas-certificate 1\n{}\n{}\n{}\n{}/{}", clean_name(&self.name), self.module, self.date, self.right, self.total);
        let digest = Sha256::digest(text.as_bytes());
        let bits = u64::from_be_bytes(digest[..8].try_into().unwrap_or_default()) >> 14;
        let mut code = String::with_capacity(11);
        for index in 0..10 {
            if index == 5 {
                code.push('-');
            }
            let shift = 45 - 5 * index;
            code.push(ALPHABET[((bits >> shift) & 31) as usize] as char);
        }
        code
    }

    /// Whether `typed` is this certificate's code, read leniently: case, spaces and dashes do
    /// not matter, and the letters people misread as digits (O, I, L) count as those digits.
    pub fn matches(&self, typed: &str) -> bool {
        let normal = |text: &str| -> String {
            text.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .map(|c| match c.to_ascii_uppercase() {
                    'O' => '0',
                    'I' | 'L' => '1',
                    other => other,
                })
                .collect()
        };
        normal(typed) == normal(&self.code())
    }
}

fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |part: &str, digits: usize| (part.len() == digits && part.bytes().all(|b| b.is_ascii_digit())).then(|| part.parse::<u32>().ok()).flatten();
    matches!(parts.as_slice(), [year, month, day] if number(year, 4).is_some_and(|y| (2024..=2100).contains(&y)) && number(month, 2).is_some_and(|m| (1..=12).contains(&m)) && number(day, 2).is_some_and(|d| (1..=31).contains(&d)))
}

use super::form::escape;

/// The certificate as a standalone SVG (A4 landscape proportions, 1123 × 794), with its fonts
/// named generically so it renders the same in a browser, an image viewer or on paper.
/// `module_title` is the module's title; `verify_url` is the verification page's full address.
pub fn svg(certificate: &Certificate, module_title: &str, verify_url: &str) -> String {
    let name = escape(&clean_name(&certificate.name));
    let percent = certificate.right * 100 / certificate.total.max(1);
    format!(
        concat!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="1123" height="794" viewBox="0 0 1123 794" role="img" aria-label="Certificate: {name}, {module}">"##,
            r##"<rect width="1123" height="794" fill="#fffdf7"/>"##,
            r##"<rect x="28" y="28" width="1067" height="738" fill="none" stroke="#0b5c7a" stroke-width="4"/>"##,
            r##"<rect x="40" y="40" width="1043" height="714" fill="none" stroke="#56B4E9" stroke-width="1.5"/>"##,
            r##"<g font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" fill="#1a1a1a" text-anchor="middle">"##,
            r##"<text x="561.5" y="130" font-size="22" letter-spacing="4" fill="#0b5c7a">SYSTEM DESIGN ATLAS</text>"##,
            r##"<text x="561.5" y="210" font-size="44" font-weight="700">Certificate of completion</text>"##,
            r##"<text x="561.5" y="280" font-size="22">This certifies that</text>"##,
            r##"<text x="561.5" y="350" font-size="46" font-weight="600">{name}</text>"##,
            r##"<text x="561.5" y="420" font-size="22">passed the end-of-module quiz of</text>"##,
            r##"<text x="561.5" y="475" font-size="32" font-weight="600">{module}</text>"##,
            r##"<text x="561.5" y="530" font-size="22">with {right} of {total} questions right ({percent}%) on {date}.</text>"##,
            r##"<text x="561.5" y="640" font-size="20" font-family="ui-monospace, 'SF Mono', Menlo, Consolas, monospace">Code {code}</text>"##,
            r##"<text x="561.5" y="680" font-size="16" fill="#444">Check it at {url}</text>"##,
            r##"</g></svg>"##
        ),
        name = name,
        module = escape(module_title),
        right = certificate.right,
        total = certificate.total,
        percent = percent,
        date = escape(&certificate.date),
        code = certificate.code(),
        url = escape(verify_url),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ada() -> Certificate {
        Certificate { name: "Ada Lovelace".into(), module: "foundations".into(), date: "2026-12-07".into(), right: 13, total: 15 }
    }

    #[test]
    fn the_code_covers_every_field() {
        let code = ada().code();
        assert_eq!(code.len(), 11);
        assert_eq!(&code[5..6], "-");
        assert!(code.chars().all(|c| c == '-' || ALPHABET.contains(&(c as u8))));
        for changed in [
            Certificate { name: "Ada Lovelac".into(), ..ada() },
            Certificate { module: "networking".into(), ..ada() },
            Certificate { date: "2026-12-08".into(), ..ada() },
            Certificate { right: 14, ..ada() },
            Certificate { total: 14, ..ada() },
        ] {
            assert_ne!(changed.code(), code, "{changed:?}");
            assert!(!changed.matches(&code));
        }
        assert_eq!(Certificate { name: "  Ada   Lovelace ".into(), ..ada() }.code(), code, "spacing is not part of a name");
    }

    #[test]
    fn a_code_is_read_leniently() {
        let code = ada().code();
        assert!(ada().matches(&code.to_lowercase().replace('-', " ")));
        let misread: String = code.chars().map(|c| if c == '0' { 'O' } else if c == '1' { 'l' } else { c }).collect();
        assert!(ada().matches(&misread));
    }

    #[test]
    fn passing_is_eighty_percent() {
        assert!(passes(12, 15));
        assert!(!passes(11, 15));
        assert!(passes(15, 15));
        assert!(!passes(0, 0));
    }

    #[test]
    fn typed_fields_get_a_message_not_a_panic() {
        assert!(Certificate { name: String::new(), ..ada() }.validate().unwrap_err().contains("name"));
        assert!(Certificate { date: "07/12/2026".into(), ..ada() }.validate().unwrap_err().contains("year-month-day"));
        assert!(Certificate { date: "2026-13-01".into(), ..ada() }.validate().is_err());
        assert!(Certificate { right: 16, ..ada() }.validate().unwrap_err().contains("out of"));
        assert_eq!(ada().validate(), Ok(()));
    }

    #[test]
    fn a_name_cannot_break_out_of_the_svg() {
        let hostile = Certificate { name: "<script>alert(1)</script> & \"co\"".into(), ..ada() };
        let svg = svg(&hostile, "Foundations", "https://example.org/quiz/verify/");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;co&quot;"));
        assert!(svg.contains(&hostile.code()), "the code is printed");
    }

    proptest! {
        #[test]
        fn every_certificate_matches_its_own_code(name in "\\PC{1,80}", right in 0u32..20, extra in 0u32..5) {
            let certificate = Certificate { name, module: "security".into(), date: "2027-01-31".into(), right, total: right + extra + 1 };
            prop_assert!(certificate.matches(&certificate.code()));
        }
    }
}
