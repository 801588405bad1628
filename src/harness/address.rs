//! A tool's slice of the address bar. On a visualizer's own page a tool owns plain keys
//! (`?nodes=5`); embedded in another page it owns keys under its scope (`?ring.nodes=5`), so two
//! tools on one page never collide and one link restores both. Every tool reads and writes the
//! URL through this one type.

use crate::dom;
use atlas_components::sim::query::{build_query, parse_query};

#[derive(Clone, Debug, PartialEq)]
pub struct Address {
    /// `None` on the tool's own page; `Some("ring")` when embedded.
    scope: Option<String>,
    /// What the page's author chose for this tool (validated at build time), as query pairs.
    preset: Vec<(String, String)>,
    /// The scopes of the other tools on the page. An unscoped tool owns every key but theirs:
    /// its own keys may hold a dot (the capacity planner's `a.dau`), so a dot alone cannot say
    /// whose a key is.
    others: Vec<String>,
}

impl Address {
    /// Reads `data-viz-scope` and `data-viz-preset` from the tool's section, and the other
    /// tools' scopes from the page.
    pub fn of_section(section: &web_sys::Element) -> Self {
        let scope = section.get_attribute("data-viz-scope").filter(|scope| !scope.is_empty());
        let mut others = Vec::new();
        if let Ok(sections) = dom::document().query_selector_all("[data-viz-scope]") {
            for index in 0..sections.length() {
                let other = sections.item(index).and_then(|node| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(node).ok()).and_then(|element| element.get_attribute("data-viz-scope"));
                if let Some(other) = other.filter(|other| !other.is_empty() && Some(other) != scope.as_ref()) {
                    others.push(other);
                }
            }
        }
        Self { scope, preset: parse_query(&section.get_attribute("data-viz-preset").unwrap_or_default()), others }
    }

    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// The preset alone: the baseline a link only needs to record differences from.
    pub fn preset(&self) -> &[(String, String)] {
        &self.preset
    }

    /// The preset, then this tool's keys from the current URL (later pairs win).
    pub fn pairs(&self) -> Vec<(String, String)> {
        let search = dom::window().location().search().unwrap_or_default();
        let mut pairs = self.preset.clone();
        pairs.extend(self.own_pairs(&parse_query(&search)));
        pairs
    }

    /// Rewrites this tool's keys in the address bar, keeping every other key on the page.
    pub fn replace(&self, pairs: &[(&str, String)]) {
        let location = dom::window().location();
        let path = location.pathname().unwrap_or_default();
        let url = with_query(path, &self.merged_query(&location.search().unwrap_or_default(), pairs));
        if let Ok(history) = dom::window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }

    /// The full link to this page with this tool's keys set to `pairs` (other tools kept).
    pub fn share_url(&self, pairs: &[(&str, String)]) -> String {
        let location = dom::window().location();
        let base = format!("{}{}", location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
        with_query(base, &self.merged_query(&location.search().unwrap_or_default(), pairs))
    }

    /// This tool's pairs among all of the page's, with the scope taken off the keys.
    fn own_pairs(&self, all: &[(String, String)]) -> Vec<(String, String)> {
        all.iter().filter_map(|(key, value)| self.local_key(key).map(|local| (local.to_string(), value.clone()))).collect()
    }

    fn local_key<'a>(&self, key: &'a str) -> Option<&'a str> {
        match &self.scope {
            None => {
                let prefix = key.split_once('.').map(|(prefix, _)| prefix);
                (!prefix.is_some_and(|prefix| self.others.iter().any(|other| other == prefix))).then_some(key)
            }
            Some(scope) => key.strip_prefix(scope.as_str()).and_then(|rest| rest.strip_prefix('.')),
        }
    }

    fn merged_query(&self, search: &str, pairs: &[(&str, String)]) -> String {
        let mut kept: Vec<(String, String)> = parse_query(search).into_iter().filter(|(key, _)| self.local_key(key).is_none()).collect();
        kept.extend(pairs.iter().map(|(key, value)| (self.global_key(key), value.clone())));
        build_query(kept.iter().map(|(key, value)| (key.as_str(), value.clone())))
    }

    fn global_key(&self, key: &str) -> String {
        match &self.scope {
            None => key.to_string(),
            Some(scope) => format!("{scope}.{key}"),
        }
    }
}

fn with_query(path: String, query: &str) -> String {
    if query.is_empty() {
        path
    } else {
        format!("{path}?{query}")
    }
}
