//! The HTTP text the flows show: request and status lines, headers, form and JSON bodies, and
//! the URLs in `Location` headers, every parameter encoded the way RFC 6749 requires.

use crate::sim::query::{escape_typed_url, form_encode_pairs};
use crate::viz::json::Json;

pub(super) const AUTH_HOST: &str = "auth.example";

fn lines(start_line: &str, headers: &[(&str, &str)]) -> String {
    let mut text = start_line.to_string();
    for (name, value) in headers {
        text.push('\n');
        text.push_str(name);
        text.push_str(": ");
        text.push_str(value);
    }
    text
}

pub(super) fn get(host: &str, target: &str, headers: &[(&str, &str)]) -> String {
    let mut all = vec![("Host", host)];
    all.extend_from_slice(headers);
    lines(&format!("GET {target} HTTP/1.1"), &all)
}

pub(super) fn post_form(host: &str, path: &str, headers: &[(&str, &str)], body: &[(&str, &str)]) -> String {
    let mut all = vec![("Host", host), ("Content-Type", "application/x-www-form-urlencoded")];
    all.extend_from_slice(headers);
    format!("{}\n\n{}", lines(&format!("POST {path} HTTP/1.1"), &all), form_encode_pairs(body))
}

pub(super) fn redirect(location: &str) -> String {
    lines("HTTP/1.1 302 Found", &[("Location", location)])
}

pub(super) fn json_response(status: &str, headers: &[(&str, &str)], body: Json) -> String {
    let mut all = vec![("Content-Type", "application/json")];
    all.extend_from_slice(headers);
    format!("{}\n\n{}", lines(&format!("HTTP/1.1 {status}"), &all), body.pretty())
}

pub(super) fn html_response(status: &str, body: &str) -> String {
    format!("{}\n\n{body}", lines(&format!("HTTP/1.1 {status}"), &[("Content-Type", "text/html; charset=utf-8")]))
}

/// An error from the token endpoint (RFC 6749 §5.2; RFC 8628 §3.5 for the device flow's).
pub(super) fn oauth_error(error: &str, description: &str) -> String {
    json_response("400 Bad Request", &[("Cache-Control", "no-store")], object(&[("error", text(error)), ("error_description", text(description))]))
}

/// A resource server refusing a bearer token (RFC 6750 §3).
pub(super) fn unauthorized(description: &str) -> String {
    let challenge = format!("Bearer realm=\"photos\", error=\"invalid_token\", error_description=\"{description}\"");
    lines("HTTP/1.1 401 Unauthorized", &[("WWW-Authenticate", &challenge)])
}

/// A successful token response body (RFC 6749 §5.1).
pub(super) fn token_response(access_token: &str, refresh_token: Option<&str>, scope: &str) -> Json {
    let mut members = vec![("access_token", text(access_token)), ("token_type", text("Bearer")), ("expires_in", number(3600))];
    if let Some(refresh_token) = refresh_token {
        members.push(("refresh_token", text(refresh_token)));
    }
    members.push(("scope", text(scope)));
    object(&members)
}

/// A response body with its members in the order the RFCs list them.
pub(super) fn object(members: &[(&str, Json)]) -> Json {
    Json::Object(members.iter().map(|(name, value)| (name.to_string(), value.clone())).collect())
}

pub(super) fn text(value: &str) -> Json {
    Json::String(value.to_string())
}

pub(super) fn number(value: i64) -> Json {
    Json::Number(value.to_string())
}

// ---- URLs ----

pub(super) fn authorize_url(pairs: &[(&str, &str)]) -> String {
    format!("https://{AUTH_HOST}/authorize?{}", form_encode_pairs(pairs))
}

/// `uri` with `pairs` added to its query (after `?`, or `&` if it already has a query).
pub(super) fn with_query(uri: &str, pairs: &[(&str, &str)]) -> String {
    let uri = escape_typed_url(uri);
    let separator = if uri.contains('?') { '&' } else { '?' };
    format!("{uri}{separator}{}", form_encode_pairs(pairs))
}

/// `uri` with `pairs` as its fragment, the way the implicit flow returns tokens.
pub(super) fn with_fragment(uri: &str, pairs: &[(&str, &str)]) -> String {
    format!("{}#{}", escape_typed_url(uri), form_encode_pairs(pairs))
}

/// The Host header and request target for a URL; the fragment is dropped because browsers
/// never send it. Falls back to the client's host for text that is not an absolute URL.
pub(super) fn split_url(url: &str) -> (String, String) {
    let url = escape_typed_url(url);
    let without_fragment = url.split('#').next().unwrap_or("");
    let Some((_, rest)) = without_fragment.split_once("://") else {
        return ("printer.example".to_string(), "/callback".to_string());
    };
    let (host, target) = match rest.find(['/', '?']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let target = match target.chars().next() {
        None => "/".to_string(),
        Some('?') => format!("/{target}"),
        Some(_) => target.to_string(),
    };
    let host = if host.is_empty() { "printer.example" } else { host };
    (host.to_string(), target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_into_host_and_target() {
        assert_eq!(split_url("https://printer.example/callback?x=1#frag"), ("printer.example".into(), "/callback?x=1".into()));
        assert_eq!(split_url("https://printer.example"), ("printer.example".into(), "/".into()));
        assert_eq!(split_url("https://printer.example?x=1"), ("printer.example".into(), "/?x=1".into()));
        assert_eq!(split_url("not a url"), ("printer.example".into(), "/callback".into()));
        assert_eq!(split_url("https://h/a b/é"), ("h".into(), "/a%20b/%C3%A9".into()));
    }

    #[test]
    fn parameters_are_added_form_encoded() {
        assert_eq!(with_query("https://h/cb", &[("a", "b c")]), "https://h/cb?a=b+c");
        assert_eq!(with_query("https://h/cb?x=1", &[("a", "b")]), "https://h/cb?x=1&a=b");
    }
}
