//! Code blocks highlighted at build time, so the page ships no highlighter.
//!
//! The grammars are Sublime Text's, through `syntect` and the extra set `two-face` bundles (bat's),
//! plus a small HTTP grammar of ours (`http.sublime-syntax`: neither set has one, and many of our
//! samples are requests). A token becomes `<span class="tk-X">` with one of seven letters; the
//! stylesheet colours those letters in both themes. The strict Content Security Policy forbids
//! inline styles, so a colour can only arrive through a class.

use std::sync::LazyLock;
use syntect::easy::HighlightLines;
use syntect::highlighting::{Color, ScopeSelectors, StyleModifier, Theme, ThemeItem};
use syntect::parsing::{SyntaxDefinition, SyntaxReference, SyntaxSet, SyntaxSetBuilder};
use syntect::util::LinesWithEndings;

/// The token kinds the stylesheet draws, by the class letter they get. syntect resolves which
/// rule wins for a token (scope selectors and their specificity); the "colour" each rule carries
/// is only this table's index in its red channel, read back by [`class_of`].
const KINDS: [(&str, &str); 7] = [
    ("c", "comment"),
    ("k", "keyword - keyword.operator, keyword.operator.word, storage.modifier, storage.type.function, keyword.other.method"),
    ("s", "string, string.unquoted"),
    ("n", "constant.numeric, constant.language, constant.other"),
    ("f", "entity.name.function, support.function, variable.function"),
    ("t", "entity.name.type, support.type, storage.type, entity.name.class"),
    ("a", "entity.other.attribute-name, support.type.property-name, meta.mapping.key, variable.parameter, entity.name.tag"),
];

/// The language names a fence may give, mapped to a grammar's name in the set; `None` is plain text.
const LANGUAGES: [(&str, Option<&str>); 24] = [
    ("sql", Some("SQL")),
    // CQL is SQL's grammar: its keywords and literals are SQL's, and no CQL grammar is kept.
    ("cql", Some("SQL")),
    ("json", Some("JSON")),
    ("http", Some("HTTP")),
    ("bash", Some("Bourne Again Shell (bash)")),
    ("sh", Some("Bourne Again Shell (bash)")),
    ("shell", Some("Bourne Again Shell (bash)")),
    ("python", Some("Python")),
    ("go", Some("Go")),
    ("java", Some("Java")),
    ("javascript", Some("JavaScript")),
    ("js", Some("JavaScript")),
    ("typescript", Some("TypeScript")),
    ("ts", Some("TypeScript")),
    ("rust", Some("Rust")),
    ("yaml", Some("YAML")),
    ("toml", Some("TOML")),
    ("proto", Some("Protocol Buffer")),
    ("protobuf", Some("Protocol Buffer")),
    ("graphql", Some("GraphQL")),
    ("lua", Some("Lua")),
    ("c", Some("C")),
    ("text", None),
    ("mermaid", None),
];

/// The name a reader sees on a block's language, for the label of a code block without a tab.
pub fn display_name(language: &str) -> &str {
    match language {
        "sql" => "SQL",
        "cql" => "CQL",
        "json" => "JSON",
        "http" => "HTTP",
        "bash" | "sh" | "shell" => "Shell",
        "python" => "Python",
        "go" => "Go",
        "java" => "Java",
        "javascript" | "js" => "JavaScript",
        "typescript" | "ts" => "TypeScript",
        "rust" => "Rust",
        "yaml" => "YAML",
        "toml" => "TOML",
        "proto" | "protobuf" => "Protocol Buffers",
        "graphql" => "GraphQL",
        "lua" => "Lua",
        "c" => "C",
        "mermaid" => "Mermaid",
        _ => "Text",
    }
}

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Our own grammars, in a set of their own: adding one to the bundled set means relinking all of
/// its grammars, which took seconds on every build.
static OWN: LazyLock<SyntaxSet> = LazyLock::new(|| {
    let mut builder = SyntaxSetBuilder::new();
    builder.add(SyntaxDefinition::load_from_str(include_str!("http.sublime-syntax"), true, None).expect("the HTTP grammar in sitegen/src parses"));
    builder.build()
});

static THEME: LazyLock<Theme> = LazyLock::new(|| Theme {
    scopes: KINDS
        .iter()
        .enumerate()
        .map(|(index, (_, selectors))| ThemeItem {
            scope: selectors.parse::<ScopeSelectors>().expect("the token kinds' scope selectors parse"),
            style: StyleModifier { foreground: Some(Color { r: index as u8 + 1, g: 0, b: 0, a: 0xff }), ..StyleModifier::default() },
        })
        .collect(),
    ..Theme::default()
});

/// Checks a fence's language; the message lists the ones we know.
pub fn check_language(language: &str) -> Result<(), String> {
    if language.is_empty() || LANGUAGES.iter().any(|(name, _)| *name == language) {
        return Ok(());
    }
    let known: Vec<&str> = LANGUAGES.iter().map(|(name, _)| *name).collect();
    Err(format!("no highlighter for the code language `{language}`; use one of: {}", known.join(", ")))
}

/// The grammar for a language and the set it lives in.
fn syntax_for(language: &str) -> Option<(&'static SyntaxSet, &'static SyntaxReference)> {
    let (_, grammar) = LANGUAGES.iter().find(|(name, _)| *name == language)?;
    let grammar = (*grammar)?;
    [&*OWN, &*SYNTAXES]
        .into_iter()
        .find_map(|set| Some((set, set.find_syntax_by_name(grammar)?)))
        .or_else(|| panic!("the grammar `{grammar}` is in a syntax set"))
}

fn class_of(color: Color) -> Option<&'static str> {
    KINDS.get(usize::from(color.r).checked_sub(1)?).map(|(class, _)| *class)
}

/// The inner HTML of a `<code>` element: `code` escaped, its tokens wrapped in classed spans.
/// A language without a grammar (or none) gives the escaped text alone.
pub fn highlight(code: &str, language: &str) -> String {
    let mut out = String::with_capacity(code.len() * 2);
    let Some((set, syntax)) = syntax_for(language) else {
        escape_into(&mut out, code);
        return out;
    };
    let mut lines = HighlightLines::new(syntax, &THEME);
    // Neighbouring tokens of one kind share a span: (class, text) runs.
    let mut run: (Option<&str>, String) = (None, String::new());
    for line in LinesWithEndings::from(code) {
        // A grammar that fails on a line (a malformed regex in the set) leaves the line plain.
        let tokens = lines.highlight_line(line, set).unwrap_or_else(|_| vec![(Default::default(), line)]);
        for (style, text) in tokens {
            let class = class_of(style.foreground);
            if class != run.0 {
                flush(&mut out, &run);
                run = (class, String::new());
            }
            run.1.push_str(text);
        }
    }
    flush(&mut out, &run);
    out
}

fn flush(out: &mut String, (class, text): &(Option<&str>, String)) {
    match class {
        // Whitespace needs no colour; leaving it outside spans keeps the page smaller.
        Some(class) if !text.trim().is_empty() => {
            out.push_str("<span class=\"tk-");
            out.push_str(class);
            out.push_str("\">");
            escape_into(out, text);
            out.push_str("</span>");
        }
        _ => escape_into(out, text),
    }
}

fn escape_into(out: &mut String, text: &str) {
    out.push_str(&atlas_components::diagram::svg::escape(text));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_grammar_is_in_the_set() {
        for (language, grammar) in LANGUAGES {
            if grammar.is_some() {
                assert!(syntax_for(language).is_some(), "{language}");
            }
        }
    }

    #[test]
    fn sql_keywords_strings_and_numbers_get_their_kinds() {
        let html = highlight("SELECT name FROM users WHERE id = 42 AND tag = 'a<b'; -- note\n", "sql");
        assert!(html.contains(r#"<span class="tk-k">SELECT</span>"#), "{html}");
        assert!(html.contains(r#"<span class="tk-n">42</span>"#), "{html}");
        assert!(html.contains("&#39;a&lt;b&#39;"), "{html}");
        assert!(html.contains(r#"<span class="tk-c">"#), "{html}");
        assert!(!html.contains("<b"), "markup in code is escaped: {html}");
    }

    #[test]
    fn an_http_request_shows_its_method_headers_and_json_body() {
        let html = highlight("POST /v1/links HTTP/1.1\nContent-Type: application/json\n\n{\"url\": \"https://example.com\", \"ttl\": 3600}\n", "http");
        assert!(html.contains(r#"<span class="tk-k">POST</span>"#), "{html}");
        assert!(html.contains(r#"<span class="tk-a">Content-Type</span>"#), "{html}");
        assert!(html.contains(r#"<span class="tk-n">3600</span>"#), "the body is highlighted as JSON: {html}");
        let response = highlight("HTTP/1.1 201 Created\nLocation: /v1/links/abc\n", "http");
        assert!(response.contains(r#"<span class="tk-n">201</span>"#), "{response}");
    }

    #[test]
    fn plain_text_is_only_escaped() {
        assert_eq!(highlight("a < b && c\n", "text"), "a &lt; b &amp;&amp; c\n");
        assert_eq!(highlight("x\n", ""), "x\n");
    }

    #[test]
    fn unknown_languages_are_refused_with_the_list() {
        let message = check_language("cobol").unwrap_err();
        assert!(message.contains("cobol") && message.contains("sql") && message.contains("http"), "{message}");
        assert!(check_language("cql").is_ok() && check_language("").is_ok());
    }
}
