//! Tools placed in a page's text. A fenced block with the info string `viz` holds TOML:
//!
//! ~~~text
//! ```viz
//! tool = "consistent-hashing"      # a slug from the registry
//! caption = "Add a node: only the keys on its arcs move."
//! layout = "compact"               # or "full" (the default)
//! scope = "ring"                   # optional: its URL keys become `ring.<key>`
//! [preset]                         # optional: parameters and seed / t / speed
//! nodes = 5
//! seed = 7
//! ```
//! ~~~
//!
//! Each embed is checked against the registry at build time and becomes a prerendered island
//! with its own scope, so several tools on one page keep separate state, ids and URL keys.

use atlas_components::registry::{self, Tool};
use atlas_components::sim::query::build_query;
use maud::{html, Markup, PreEscaped};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct EmbedSpec {
    pub tool: String,
    #[serde(default)]
    pub caption: Option<String>,
    #[serde(default)]
    pub layout: Option<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub preset: BTreeMap<String, toml::Value>,
}

/// An embed that passed its checks, ready to render.
#[derive(Debug, Clone)]
pub struct Embed {
    pub tool: &'static Tool,
    pub title: String,
    pub summary: String,
    pub caption: Option<String>,
    pub compact: bool,
    pub scope: String,
    /// The preset as a query string (`nodes=5&seed=7`).
    pub preset: String,
    /// The tool's first frame at this preset, shown until the app mounts (see `viz::poster`).
    pub poster: String,
}

/// Titles and summaries of the published visualizer pages, by slug.
pub type ToolPages = BTreeMap<String, (String, String)>;

/// Parses and checks one embed; `taken` holds the scopes already used on this page.
pub fn parse(source: &str, pages: &ToolPages, taken: &mut Vec<String>) -> Result<Embed, String> {
    let spec: EmbedSpec = toml::from_str(source).map_err(|error| format!("viz block: {}", error.message()))?;
    check(spec, pages, taken)
}

pub fn check(spec: EmbedSpec, pages: &ToolPages, taken: &mut Vec<String>) -> Result<Embed, String> {
    let tool = registry::find(&spec.tool).ok_or_else(|| {
        let known: Vec<&str> = registry::TOOLS.iter().map(|tool| tool.slug).collect();
        format!("viz block: no tool `{}`; the tools are: {}", spec.tool, known.join(", "))
    })?;
    let (title, summary) = pages.get(tool.slug).cloned().ok_or_else(|| format!("viz block: `{}` has no page in content/visualizers", tool.slug))?;
    let compact = match spec.layout.as_deref() {
        None | Some("full") => false,
        Some("compact") => true,
        Some(other) => return Err(format!("viz block: layout `{other}` must be \"compact\" or \"full\"")),
    };
    let mut pairs = Vec::new();
    for (key, value) in &spec.preset {
        let text = match value {
            toml::Value::String(text) => text.clone(),
            toml::Value::Integer(number) => number.to_string(),
            toml::Value::Float(number) => number.to_string(),
            toml::Value::Boolean(flag) => (if *flag { "1" } else { "0" }).to_string(),
            other => return Err(format!("viz block: preset `{key}` must be a number, text or true/false, not {}", other.type_str())),
        };
        tool.check_preset(key, &text).map_err(|message| format!("viz block: preset `{key}` = {text}: {message}"))?;
        pairs.push((key.as_str(), text));
    }
    let base = spec.scope.clone().unwrap_or_else(|| tool.slug.to_string());
    if !base.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') || base.is_empty() {
        return Err(format!("viz block: scope `{base}` must be lowercase letters, digits and `-`"));
    }
    let scope = (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|scope| !taken.contains(scope)).unwrap_or(base);
    taken.push(scope.clone());
    let preset = build_query(pairs);
    let poster = poster_of(tool.slug, &preset)?;
    Ok(Embed { tool, title, summary, caption: spec.caption, compact, scope, preset, poster })
}

/// The poster of `slug` at `preset`, or the reason it cannot be shown as drawn (a label that
/// would be clipped or too small at this preset is a build error, like a diagram's).
pub fn poster_of(slug: &str, preset: &str) -> Result<String, String> {
    let poster = atlas_components::viz::poster::poster(slug, preset).ok_or_else(|| format!("`{slug}` has no poster in viz::poster"))?;
    if poster.problems.is_empty() {
        Ok(poster.svg)
    } else {
        Err(format!("the first frame of `{slug}` at `{preset}` does not fit: {}", poster.problems.join("; ")))
    }
}

impl Embed {
    /// The prerendered island: a description and a box of the tool's height until the app
    /// mounts it, so the text below does not move; a link to the tool's own page.
    pub fn render(&self, tool_url: &str) -> Markup {
        let full_link = if self.preset.is_empty() { tool_url.to_string() } else { format!("{tool_url}?{}", self.preset) };
        let reserve = reserved_height(self.tool, self.compact);
        html! {
            figure class={ "viz-embed" @if self.compact { " viz-embed--compact" } } {
                section class=(format!("viz viz--embedded viz-reserve-{reserve}")) data-island="viz" data-viz=(self.tool.slug) data-viz-scope=(self.scope)
                    data-viz-preset=(self.preset) data-viz-layout=(if self.compact { "compact" } else { "full" })
                    tabindex="0"
                    aria-label={ (self.title) ": interactive tool. Space plays or pauses; ← and → step." } {
                    h2 class="sr-only" { "Try it: " (self.title) }
                    div class="viz__loading" {
                        div class="viz__poster" { (PreEscaped(&self.poster)) }
                        p class="viz__loading-title" { (self.title) }
                        p class="viz__loading-summary" { (self.summary) }
                        p class="viz__loading-note" { "Loading the interactive tool…" }
                        noscript { p { "This tool runs in your browser and needs JavaScript; the text around it reads without it." } }
                    }
                }
                figcaption {
                    @if let Some(caption) = &self.caption { (caption) " " }
                    a href=(full_link) { "Open " (self.title) " on its own page" }
                }
            }
        }
    }
}

/// The height kept for a tool before it mounts (CSS px): the registry's, or three quarters of it
/// in the compact layout.
pub fn reserved_height(tool: &Tool, compact: bool) -> u16 {
    if compact {
        tool.reserve_px * 3 / 4
    } else {
        tool.reserve_px
    }
}

/// The `.viz-reserve-<px>` rules for every height a page may reserve, written into the tools'
/// stylesheet by the build, so a new tool's height needs no hand-written CSS.
pub fn reserve_rules() -> String {
    let mut heights: Vec<u16> = atlas_components::registry::TOOLS.iter().flat_map(|tool| [reserved_height(tool, false), reserved_height(tool, true)]).collect();
    heights.sort_unstable();
    heights.dedup();
    heights.iter().map(|px| format!(".viz-reserve-{px} {{ min-height: {px}px; }}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> ToolPages {
        registry::TOOLS.iter().map(|tool| (tool.slug.to_string(), (format!("Title of {}", tool.slug), "Summary.".to_string()))).collect()
    }

    #[test]
    fn two_embeds_of_one_tool_get_distinct_scopes() {
        let mut taken = Vec::new();
        let first = parse("tool = \"consistent-hashing\"", &pages(), &mut taken).unwrap();
        let second = parse("tool = \"consistent-hashing\"", &pages(), &mut taken).unwrap();
        assert_eq!(first.scope, "consistent-hashing");
        assert_eq!(second.scope, "consistent-hashing-2");
    }

    #[test]
    fn presets_are_validated_and_encoded() {
        let mut taken = Vec::new();
        let embed = parse("tool = \"cap-theorem\"\n[preset]\nseed = 7\nt = 120", &pages(), &mut taken).unwrap();
        assert_eq!(embed.preset, "seed=7&t=120");
        let error = parse("tool = \"cap-theorem\"\n[preset]\nseed = \"seven\"", &pages(), &mut taken).unwrap_err();
        assert!(error.contains("seed must be a whole number"), "{error}");
        let error = parse("tool = \"cap-theorem\"\n[preset]\nbogus = 1", &pages(), &mut taken).unwrap_err();
        assert!(error.contains("has no parameter `bogus`"), "{error}");
    }

    #[test]
    fn unknown_tools_layouts_and_fields_are_refused() {
        let mut taken = Vec::new();
        assert!(parse("tool = \"paxos\"", &pages(), &mut taken).unwrap_err().contains("no tool `paxos`"));
        assert!(parse("tool = \"retries\"\nlayout = \"tiny\"", &pages(), &mut taken).unwrap_err().contains("layout"));
        assert!(parse("tool = \"retries\"\ncolour = \"red\"", &pages(), &mut taken).is_err());
        assert!(parse("tool = \"retries\"\nscope = \"Has Spaces\"", &pages(), &mut taken).is_err());
    }

    #[test]
    fn a_page_names_each_of_its_tools_once_in_order() {
        let mut taken = Vec::new();
        let cap = parse("tool = \"cap-theorem\"", &pages(), &mut taken).unwrap();
        let retries = parse("tool = \"retries\"", &pages(), &mut taken).unwrap();
        let tools = |embeds: &[&Embed]| crate::render::Bundle::of(embeds.iter().map(|embed| embed.tool.slug).collect());
        assert_eq!(tools(&[&cap, &cap]).tools(), ["cap-theorem"]);
        assert!(tools(&[]).tools().is_empty());
        assert_eq!(tools(&[&retries, &cap, &retries]).tools(), ["cap-theorem", "retries"]);
    }

    #[test]
    fn the_island_carries_scope_and_preset_and_escapes_text() {
        let mut taken = Vec::new();
        let embed = parse("tool = \"retries\"\ncaption = \"<b>x</b>\"\n[preset]\nseed = 3", &pages(), &mut taken).unwrap();
        let html = embed.render("/base/visualizers/retries").into_string();
        assert!(html.contains(r#"data-viz-scope="retries""#) && html.contains(r#"data-viz-preset="seed=3""#), "{html}");
        assert!(html.contains("&lt;b&gt;x&lt;/b&gt;"), "captions are text, not HTML: {html}");
        assert!(html.contains(r#"href="/base/visualizers/retries?seed=3""#), "{html}");
    }
}
