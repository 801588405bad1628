//! Markdown to HTML at build time, with internal links checked and rewritten under the base path.

use crate::error::{ContentError, ContentErrors};
use crate::frontmatter::Document;
use crate::links::{is_internal, Linker};
use pulldown_cmark::{html, CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// A section heading, for tables of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// The HTML of a Markdown body and what was learned while rendering it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub words: usize,
    /// The tools placed in the text with ```viz blocks, in order.
    pub embeds: Vec<crate::embed::Embed>,
}

/// Renders the body of `doc`. Broken internal links and raw HTML are reported at their line.
pub fn render_body(doc: &Document, linker: &Linker, errors: &mut ContentErrors) -> Rendered {
    let rendered = render(doc.body, linker, |offset, message| errors.push(ContentError::new(doc.path, doc.body_line(offset), message)));
    rendered
}

/// Renders one Markdown fragment (a list item, a caption) found at `line` of `doc`'s front matter.
pub fn render_inline(text: &str, doc: &Document, line: usize, linker: &Linker, errors: &mut ContentErrors) -> String {
    let rendered = render(text, linker, |_, message| errors.push(ContentError::new(doc.path, line, message)));
    let html = rendered.html.trim();
    html.strip_prefix("<p>").and_then(|inner| inner.strip_suffix("</p>")).unwrap_or(html).to_string()
}

fn render(markdown: &str, linker: &Linker, mut report: impl FnMut(usize, String)) -> Rendered {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_SMART_PUNCTUATION;
    let mut events = Vec::new();
    let mut words = 0;
    let mut embeds = Vec::new();
    let mut scopes = Vec::new();
    let mut diagrams_shown: Vec<String> = Vec::new();
    // A fenced block being read: its kind, start offset and text.
    let mut block: Option<(Block, usize, String)> = None;
    // Adjacent code blocks with tab labels, waiting to be set as one group of tabs.
    let mut tabs: Vec<Tab> = Vec::new();
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        if let Some((kind, start, source)) = block.as_mut() {
            match event {
                Event::Text(text) => source.push_str(&text),
                Event::End(TagEnd::CodeBlock) => {
                    let start = *start;
                    if let Block::Code { language, tab } = kind {
                        words += source.split_whitespace().count();
                        let code = crate::highlight::highlight(source, language);
                        match tab.take() {
                            Some(label) => tabs.push(Tab { label, language: std::mem::take(language), code, start }),
                            None => events.push(Event::Html(CowStr::from(code_block(language, &code)))),
                        }
                        block = None;
                        continue;
                    }
                    let html = match kind {
                        Block::Code { .. } => unreachable!("code blocks are finished above"),
                        Block::Viz => crate::embed::parse(source, linker.tools(), &mut scopes).map(|embed| {
                            let html = embed.render(&linker.url(&format!("/visualizers/{}", embed.tool.slug))).into_string();
                            embeds.push(embed);
                            html
                        }),
                        Block::Diagram => diagram_block(source, linker, &mut diagrams_shown),
                    };
                    match html {
                        Ok(html) => events.push(Event::Html(CowStr::from(html))),
                        Err(message) => report(start, message),
                    }
                    block = None;
                }
                _ => {}
            }
            continue;
        }
        let code_info = match &event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if !matches!(info.trim(), "viz" | "diagram") => Some(parse_info(info)),
            Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => Some(Ok((String::new(), None))),
            _ => None,
        };
        let continues_tabs = matches!(&code_info, Some(Ok((_, Some(_)))));
        if !continues_tabs {
            flush_tabs(&mut tabs, &mut events, &mut report);
        }
        if let Some(info) = code_info {
            let (language, tab) = info.unwrap_or_else(|message| {
                report(range.start, message);
                (String::new(), None)
            });
            block = Some((Block::Code { language, tab }, range.start, String::new()));
            continue;
        }
        let event = match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(ref info))) if matches!(info.trim(), "viz" | "diagram") => {
                block = Some((if info.trim() == "viz" { Block::Viz } else { Block::Diagram }, range.start, String::new()));
                continue;
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) if is_internal(&dest_url) => {
                let dest_url = match linker.resolve(&dest_url) {
                    Ok(url) => CowStr::from(url),
                    Err(message) => {
                        report(range.start, message);
                        dest_url
                    }
                };
                Event::Start(Tag::Link { link_type, dest_url, title, id })
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                report(range.start, "raw HTML is not allowed in content; write Markdown".to_string());
                continue;
            }
            Event::Text(ref text) | Event::Code(ref text) => {
                words += text.split_whitespace().count();
                event
            }
            other => other,
        };
        events.push(event);
    }
    flush_tabs(&mut tabs, &mut events, &mut report);
    let headings = assign_heading_ids(&mut events);
    let mut html_out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut html_out, events.into_iter());
    // A wide table scrolls inside its own box on a phone; the box takes keyboard focus so the
    // table can be scrolled without a mouse.
    // A column's alignment (`--:` in the table's rule) becomes a class: the strict Content
    // Security Policy blocks the inline `style` pulldown-cmark writes for it.
    let html_out = html_out
        .replace("<table>", r#"<div class="table-scroll" tabindex="0" role="region" aria-label="Table (scrolls sideways)"><table>"#)
        .replace("</table>", "</table></div>")
        .replace(r#" style="text-align: left""#, r#" class="align-left""#)
        .replace(r#" style="text-align: center""#, r#" class="align-center""#)
        .replace(r#" style="text-align: right""#, r#" class="align-right""#);
    Rendered { html: html_out, headings, words, embeds }
}

enum Block {
    Viz,
    Diagram,
    /// Source code: its fence's language (empty: plain text) and tab label, if any.
    Code { language: String, tab: Option<String> },
}

/// One code block of a group shown as tabs: its label, language and highlighted HTML.
struct Tab {
    label: String,
    language: String,
    code: String,
    start: usize,
}

/// A fence's info string: a language, then optionally `tab="<label>"`.
fn parse_info(info: &str) -> Result<(String, Option<String>), String> {
    let info = info.trim();
    let (language, rest) = info.split_once(char::is_whitespace).unwrap_or((info, ""));
    crate::highlight::check_language(language)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Ok((language.to_string(), None));
    }
    let label = rest
        .strip_prefix("tab=\"")
        .and_then(|label| label.strip_suffix('"'))
        .filter(|label| !label.trim().is_empty() && !label.contains('"'))
        .ok_or_else(|| format!("a code fence is ```<language> or ```<language> tab=\"<label>\", not ```{info}"))?;
    Ok((language.to_string(), Some(label.trim().to_string())))
}

fn code_block(language: &str, code: &str) -> String {
    if language.is_empty() {
        format!("<pre><code>{code}</code></pre>")
    } else {
        format!(r#"<pre><code class="language-{language}">{code}</code></pre>"#)
    }
}

/// Sets the waiting tabbed blocks as one group: radio buttons and their panels, so the tabs work
/// without JavaScript and with the arrow keys (a radio group's own keyboard behaviour). The
/// group's name is a hash of its code, stable across builds and distinct between groups.
fn flush_tabs(tabs: &mut Vec<Tab>, events: &mut Vec<Event>, report: &mut impl FnMut(usize, String)) {
    match tabs.len() {
        0 => return,
        1 => {
            report(tabs[0].start, format!("the tab \"{}\" has no neighbour: write two or more adjacent fences with tab=\"…\", or drop the label", tabs[0].label));
        }
        _ => {
            for (index, tab) in tabs.iter().enumerate() {
                if tabs[..index].iter().any(|earlier| earlier.label == tab.label) {
                    report(tab.start, format!("two tabs of one group are both labelled \"{}\"", tab.label));
                }
            }
        }
    }
    use sha2::Digest;
    let digest = sha2::Sha256::digest(tabs.iter().map(|tab| tab.code.as_str()).collect::<String>().as_bytes());
    let name: String = digest[..4].iter().map(|byte| format!("{byte:02x}")).collect();
    let labels: Vec<&str> = tabs.iter().map(|tab| tab.label.as_str()).collect();
    let html = maud::html! {
        div.code-tabs role="radiogroup" aria-label=(format!("The same example in {}", labels.join(", "))) {
            @for (index, tab) in tabs.iter().enumerate() {
                @let id = format!("code-{name}-{index}");
                input.code-tab type="radio" name=(format!("code-{name}")) id=(id) checked[index == 0];
                label for=(id) { (tab.label) }
                div.code-panel { (maud::PreEscaped(code_block(&tab.language, &tab.code))) }
            }
        }
    };
    events.push(Event::Html(CowStr::from(html.into_string())));
    tabs.clear();
}

/// A ```diagram block: `name = "<a diagram in content/diagrams>"`, placed in the text as the
/// same figure a pattern shows beside its summary (step-through and text description included).
fn diagram_block(source: &str, linker: &Linker, shown: &mut Vec<String>) -> Result<String, String> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct DiagramBlock {
        name: String,
    }
    let block: DiagramBlock = toml::from_str(source).map_err(|error| format!("a ```diagram block holds one line, name = \"<diagram>\": {}", error.message()))?;
    let diagram = linker.diagram(&block.name).ok_or_else(|| format!("no diagram `{}` in content/diagrams", block.name))?;
    if shown.contains(&block.name) {
        return Err(format!("the diagram `{}` is already shown in this text", block.name));
    }
    shown.push(block.name);
    Ok(crate::render::diagram_figure(diagram).into_string())
}

/// Gives every heading a stable, unique id so sections can be linked to.
fn assign_heading_ids(events: &mut [Event]) -> Vec<Heading> {
    let mut headings = Vec::new();
    let mut used = std::collections::HashSet::new();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { level, .. }) = &events[index] {
            let level = *level;
            let text: String = events[index + 1..]
                .iter()
                .take_while(|event| !matches!(event, Event::End(TagEnd::Heading(_))))
                .filter_map(|event| match event {
                    Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
                    _ => None,
                })
                .collect();
            let mut id = slugify(&text);
            let stem = id.clone();
            let mut suffix = 2;
            while !used.insert(id.clone()) {
                id = format!("{stem}-{suffix}");
                suffix += 1;
            }
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[index] {
                *slot = Some(CowStr::from(id.clone()));
            }
            headings.push(Heading { level: heading_number(level), id, text });
        }
        index += 1;
    }
    headings
}

fn heading_number(level: HeadingLevel) -> u8 {
    level as u8
}

/// `Trade-offs & limits` → `trade-offs-limits`.
/// The text of HTML this renderer wrote: tags dropped (where a block starts or ends, a space, so
/// paragraphs and list items do not run together), its entities decoded, spaces collapsed.
pub fn plain_text(html: &str) -> String {
    const BLOCKS: &[&str] = &["p", "pre", "li", "ul", "ol", "br", "div", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "table", "blockquote", "dt", "dd"];
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    // The renderer escapes every `<` of the text, so each one here opens a tag that `>` closes.
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let close = rest[open..].find('>').map_or(rest.len(), |at| open + at + 1);
        let name = rest[open + 1..close].trim_start_matches('/').split(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default();
        if BLOCKS.contains(&name.to_ascii_lowercase().as_str()) {
            text.push(' ');
        }
        rest = &rest[close..];
    }
    text.push_str(rest);
    let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for ch in text.chars().flat_map(char::to_lowercase) {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn plain_text_keeps_the_words_and_only_the_words() {
        // Blocks do not run together; inline markup leaves no gap before punctuation.
        assert_eq!(plain_text("<p>Read <em>repair</em> &amp; hints</p><pre><code>x &lt; y</code></pre>"), "Read repair & hints x < y");
        assert_eq!(plain_text("Which port does <code>SETNX</code>, then <a href=\"/x\">a lock</a> use?"), "Which port does SETNX, then a lock use?");
        assert_eq!(plain_text("<ul>\n<li>one</li><li>two</li></ul>"), "one two");
        // An escaped entity stays escaped once: `&amp;lt;` is the text `&lt;`.
        assert_eq!(plain_text("<p>&amp;lt; is &quot;less&quot; &#39;than&#39;</p>"), "&lt; is \"less\" 'than'");
    }

    fn linker() -> Linker {
        Linker::new(["/".to_string(), "/modules/networking".to_string()], "/base/")
    }

    fn render_source(source: &str) -> (Rendered, ContentErrors) {
        let doc = Document::split(Path::new("m.md"), source).unwrap();
        let mut errors = ContentErrors::default();
        let rendered = render_body(&doc, &linker(), &mut errors);
        (rendered, errors)
    }

    #[test]
    fn internal_links_get_the_base_path() {
        let (rendered, errors) = render_source("+++\n+++\nSee [DNS](/modules/networking#dns).\n");
        assert!(errors.0.is_empty());
        assert!(rendered.html.contains(r#"href="/base/modules/networking/#dns""#), "{}", rendered.html);
    }

    #[test]
    fn broken_link_is_reported_at_its_line() {
        let (_, errors) = render_source("+++\nx = 1\n+++\n\nfine\n\nSee [gone](/patterns/gone).\n");
        assert_eq!(errors.0.len(), 1);
        assert_eq!(errors.0[0].line, 7, "{}", errors.0[0]);
        assert!(errors.0[0].message.contains("/patterns/gone"));
    }

    #[test]
    fn raw_html_is_rejected() {
        let (rendered, errors) = render_source("+++\n+++\n<script>alert(1)</script>\n");
        assert_eq!(errors.0.len(), 1);
        assert!(!rendered.html.contains("<script"));
    }

    #[test]
    fn headings_get_unique_ids_and_words_are_counted() {
        let (rendered, _) = render_source("+++\n+++\n## Why it matters\n\ntext here\n\n## Why it matters\n");
        let ids: Vec<_> = rendered.headings.iter().map(|heading| heading.id.as_str()).collect();
        assert_eq!(ids, ["why-it-matters", "why-it-matters-2"]);
        assert!(rendered.html.contains(r#"<h2 id="why-it-matters">"#));
        assert_eq!(rendered.words, 8);
    }

    #[test]
    fn a_column_alignment_is_a_class_not_an_inline_style() {
        let (rendered, errors) = render_source("+++\n+++\n| a | b | c |\n| :-- | :-: | --: |\n| 1 | 2 | 3 |\n");
        assert!(errors.0.is_empty());
        assert!(!rendered.html.contains("style="), "{}", rendered.html);
        for class in ["align-left", "align-center", "align-right"] {
            assert_eq!(rendered.html.matches(&format!(r#"class="{class}""#)).count(), 2, "{}", rendered.html);
        }
    }

    #[test]
    fn code_is_highlighted_at_build_time_and_escaped() {
        let (rendered, errors) = render_source("+++\n+++\n```sql\nSELECT 1 WHERE a < b;\n```\n");
        assert!(errors.0.is_empty(), "{errors:?}");
        assert!(rendered.html.contains(r#"<pre><code class="language-sql"><span class="tk-k">SELECT</span>"#), "{}", rendered.html);
        assert!(rendered.html.contains("a &lt; b"), "{}", rendered.html);
    }

    #[test]
    fn adjacent_tabbed_fences_become_one_radio_group() {
        let source = "+++\n+++\nBefore.\n\n```sql tab=\"PostgreSQL\"\nSELECT 1;\n```\n\n```cql tab=\"Cassandra\"\nSELECT * FROM t;\n```\n\nAfter.\n";
        let (rendered, errors) = render_source(source);
        assert!(errors.0.is_empty(), "{errors:?}");
        let html = &rendered.html;
        assert_eq!(html.matches(r#"class="code-tabs""#).count(), 1, "{html}");
        assert_eq!(html.matches(r#"type="radio""#).count(), 2, "{html}");
        assert_eq!(html.matches("checked").count(), 1, "only the first tab starts checked: {html}");
        let first = html.find(">PostgreSQL</label>").expect("first label");
        let second = html.find(">Cassandra</label>").expect("second label");
        assert!(first < second && html.find("After.").unwrap() > second, "{html}");
        assert!(html.contains(r#"class="language-cql""#), "{html}");
    }

    #[test]
    fn a_lonely_tab_an_unknown_language_and_a_bad_info_string_are_reported() {
        let (_, errors) = render_source("+++\n+++\n```sql tab=\"Only\"\nSELECT 1;\n```\n\ntext\n");
        assert_eq!(errors.0.len(), 1, "{errors:?}");
        assert!(errors.0[0].message.contains("no neighbour"), "{}", errors.0[0]);
        let (_, errors) = render_source("+++\n+++\n```cobol\nMOVE 1 TO X.\n```\n");
        assert!(errors.0.len() == 1 && errors.0[0].message.contains("cobol"), "{errors:?}");
        let (_, errors) = render_source("+++\n+++\n```sql title=x\nSELECT 1;\n```\n");
        assert!(errors.0.len() == 1 && errors.0[0].message.contains("tab="), "{errors:?}");
        let (_, errors) = render_source("+++\n+++\n```sql tab=\"A\"\nSELECT 1;\n```\n```sql tab=\"A\"\nSELECT 2;\n```\n");
        assert!(errors.0.len() == 1 && errors.0[0].message.contains("both labelled"), "{errors:?}");
    }

    #[test]
    fn slugify_keeps_ascii_words() {
        assert_eq!(slugify("Trade-offs & limits"), "trade-offs-limits");
        assert_eq!(slugify("  "), "section");
    }
}
