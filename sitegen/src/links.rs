//! Internal links: every route the site has, and how a route becomes a URL under the base path.

use std::collections::BTreeSet;

/// The routes of the site and the base path it is published under.
pub struct Linker {
    routes: BTreeSet<String>,
    base: String,
    /// The published tools (title and summary by slug), for embeds in any page's text.
    tools: crate::embed::ToolPages,
    /// Every diagram by name, for ```diagram blocks in any page's text.
    diagrams: std::collections::BTreeMap<String, atlas_components::diagram::RenderedDiagram>,
}

impl Linker {
    /// `base` is the public path the site is served from, such as `/` or `/atlas/`.
    pub fn new(routes: impl IntoIterator<Item = String>, base: &str) -> Self {
        Self { routes: routes.into_iter().map(|route| normalize(&route)).collect(), base: normalize_base(base), tools: Default::default(), diagrams: Default::default() }
    }

    /// The same linker, also knowing the published tools' titles and summaries.
    pub fn with_tools(mut self, tools: crate::embed::ToolPages) -> Self {
        self.tools = tools;
        self
    }

    pub fn tools(&self) -> &crate::embed::ToolPages {
        &self.tools
    }

    pub fn with_diagrams(mut self, diagrams: std::collections::BTreeMap<String, atlas_components::diagram::RenderedDiagram>) -> Self {
        self.diagrams = diagrams;
        self
    }

    pub fn diagram(&self, name: &str) -> Option<&atlas_components::diagram::RenderedDiagram> {
        self.diagrams.get(name)
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn has_route(&self, route: &str) -> bool {
        self.routes.contains(&normalize(route))
    }

    pub fn routes(&self) -> impl Iterator<Item = &str> {
        self.routes.iter().map(String::as_str)
    }

    /// The URL of a known route, with the base prefixed and a trailing slash, so that static
    /// hosts serve `route/index.html` without a redirect.
    pub fn url(&self, route: &str) -> String {
        let path = normalize(route);
        if path == "/" {
            self.base.clone()
        } else {
            format!("{}{}/", self.base, &path[1..])
        }
    }

    /// Resolves an internal link (`/patterns/x#part`); `Err` says why it is broken.
    pub fn resolve(&self, href: &str) -> Result<String, String> {
        let (path, fragment) = match href.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (href, None),
        };
        if path.contains('?') {
            return Err(format!("internal link `{href}` must not carry a query"));
        }
        if !self.has_route(path) {
            return Err(format!("broken internal link `{href}`: no page has the route `{}` (yet)", normalize(path)));
        }
        let url = self.url(path);
        Ok(match fragment {
            Some(fragment) => format!("{url}#{fragment}"),
            None => url,
        })
    }

    /// A forward reference: the URL once the page exists, `None` until then.
    pub fn planned(&self, route: &str) -> Option<String> {
        self.has_route(route).then(|| self.url(route))
    }
}

/// `/a/b/` and `/a/b` name the same route.
pub fn normalize(route: &str) -> String {
    let trimmed = route.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_string()
    } else if trimmed.starts_with('/') {
        trimmed.to_string()
    } else {
        format!("/{trimmed}")
    }
}

/// A base path always starts and ends with `/`.
pub fn normalize_base(base: &str) -> String {
    let inner = base.trim().trim_matches('/');
    if inner.is_empty() {
        "/".to_string()
    } else {
        format!("/{inner}/")
    }
}

/// Whether a link target points into this site rather than to another one.
pub fn is_internal(href: &str) -> bool {
    href.starts_with('/') && !href.starts_with("//")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linker(base: &str) -> Linker {
        Linker::new(["/".to_string(), "/modules/networking".to_string()], base)
    }

    #[test]
    fn urls_carry_the_base_and_a_trailing_slash() {
        let linker = linker("atlas");
        assert_eq!(linker.url("/"), "/atlas/");
        assert_eq!(linker.url("/modules/networking"), "/atlas/modules/networking/");
        assert_eq!(linker.resolve("/modules/networking/#dns").unwrap(), "/atlas/modules/networking/#dns");
    }

    #[test]
    fn unknown_routes_are_broken_and_planned_links_wait() {
        let linker = linker("/");
        let error = linker.resolve("/modules/nope").unwrap_err();
        assert!(error.contains("/modules/nope"), "{error}");
        assert_eq!(linker.planned("/modules/nope"), None);
        assert_eq!(linker.planned("/modules/networking/").as_deref(), Some("/modules/networking/"));
    }

    #[test]
    fn base_is_normalized() {
        assert_eq!(normalize_base(""), "/");
        assert_eq!(normalize_base("/a/b"), "/a/b/");
        assert_eq!(normalize_base("a/"), "/a/");
    }
}
