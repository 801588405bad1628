//! The tree as short text for links and for typing: `c:name:percent` is a component,
//! `s(…)` a series group and `p(…)` a parallel group, children separated by commas. For
//! example `s(c:api:99.95,p(c:db:99.9,c:db2:99.9))`.
//!
//! Text comes from links anyone can craft, so the reader is defensive: a length cap before
//! anything else, limits on nesting and size checked while reading (no deep recursion), and an
//! error that names the character where reading stopped.

use std::fmt;

use super::tree::{check_name, GroupKind, Node};
use super::{MAX_DEPTH, MAX_NODES, MAX_TEXT_CHARS};
use crate::sim::number::NumberRule;

/// Why some text is not a tree, and where (1-based character position; 0 for the whole text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub at: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(f, "At character {}: {}", self.at, self.message)
        }
    }
}

impl Node {
    /// Reads a tree from its text form (spaces around the punctuation are allowed).
    pub fn parse(text: &str) -> Result<Node, ParseError> {
        let count = text.chars().count();
        if count > MAX_TEXT_CHARS {
            return Err(ParseError { at: 0, message: format!("The text is {count} characters long; at most {MAX_TEXT_CHARS} are accepted.") });
        }
        let mut reader = Reader { chars: text.chars().collect(), position: 0, nodes: 0 };
        reader.skip_spaces();
        if reader.peek().is_none() {
            return Err(ParseError { at: 0, message: "The text is empty. Try c:api:99.9 or s(c:a:99.9,c:b:99.9).".to_string() });
        }
        let root = reader.node(1)?;
        reader.skip_spaces();
        if let Some(extra) = reader.peek() {
            return Err(reader.error(format!("unexpected “{extra}” after the end of the system.")));
        }
        Ok(root)
    }

    /// The text form; `Node::parse` reads it back to an equal tree.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        self.write_text(&mut text);
        text
    }

    fn write_text(&self, text: &mut String) {
        match self {
            Node::Component(component) => {
                // `Display` for f64 is the shortest text that reads back to the same number.
                text.push_str(&format!("c:{}:{}", component.name, component.percent));
            }
            Node::Group(kind, children) => {
                text.push(if *kind == GroupKind::Series { 's' } else { 'p' });
                text.push('(');
                for (index, child) in children.iter().enumerate() {
                    if index > 0 {
                        text.push(',');
                    }
                    child.write_text(text);
                }
                text.push(')');
            }
        }
    }
}

struct Reader {
    chars: Vec<char>,
    position: usize,
    nodes: usize,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn skip_spaces(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.position += 1;
        }
    }

    fn error(&self, message: String) -> ParseError {
        ParseError { at: self.position + 1, message }
    }

    fn expect(&mut self, wanted: char, context: &str) -> Result<(), ParseError> {
        self.skip_spaces();
        match self.peek() {
            Some(found) if found == wanted => {
                self.position += 1;
                Ok(())
            }
            Some(found) => Err(self.error(format!("expected “{wanted}” {context}, found “{found}”."))),
            None => Err(self.error(format!("expected “{wanted}” {context}, but the text ended."))),
        }
    }

    fn node(&mut self, depth: usize) -> Result<Node, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!("groups nest more than {MAX_DEPTH} levels deep.")));
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(self.error(format!("more than {MAX_NODES} boxes (components and groups).")));
        }
        self.skip_spaces();
        match self.peek() {
            Some('c' | 'C') => {
                self.position += 1;
                self.component()
            }
            Some(letter @ ('s' | 'S' | 'p' | 'P')) => {
                self.position += 1;
                let kind = if letter.eq_ignore_ascii_case(&'s') { GroupKind::Series } else { GroupKind::Parallel };
                self.group(kind, depth)
            }
            Some(found) => Err(self.error(format!("expected c: (a component), s( (series) or p( (parallel), found “{found}”."))),
            None => Err(self.error("expected a component or a group, but the text ended.".to_string())),
        }
    }

    fn component(&mut self) -> Result<Node, ParseError> {
        self.expect(':', "after c")?;
        let name_start = self.position;
        let name = self.take_until(|ch| matches!(ch, ':' | ',' | '(' | ')'));
        let name = check_name(&name).map_err(|message| ParseError { at: name_start + 1, message })?;
        self.expect(':', &format!("after the name “{name}”"))?;
        let number_start = self.position;
        let raw = self.take_until(|ch| matches!(ch, ',' | ')' | '(' | ':'));
        let percent = NumberRule::new(0.0, 100.0)
            .parse(&raw)
            .map_err(|message| ParseError { at: number_start + 1, message: format!("the availability of “{name}”: {message}") })?;
        Ok(Node::component(&name, percent))
    }

    fn group(&mut self, kind: GroupKind, depth: usize) -> Result<Node, ParseError> {
        let letter = if kind == GroupKind::Series { 's' } else { 'p' };
        self.expect('(', &format!("after {letter}"))?;
        self.skip_spaces();
        if self.peek() == Some(')') {
            return Err(self.error("a group needs at least one component.".to_string()));
        }
        let mut children = vec![self.node(depth + 1)?];
        loop {
            self.skip_spaces();
            match self.peek() {
                Some(',') => {
                    self.position += 1;
                    children.push(self.node(depth + 1)?);
                }
                Some(')') => {
                    self.position += 1;
                    return Ok(Node::Group(kind, children));
                }
                Some(found) => return Err(self.error(format!("expected “,” or “)” in a group, found “{found}”."))),
                None => return Err(self.error("a group was not closed with “)”.".to_string())),
            }
        }
    }

    fn take_until(&mut self, stop: impl Fn(char) -> bool) -> String {
        let start = self.position;
        while self.peek().is_some_and(|ch| !stop(ch)) {
            self.position += 1;
        }
        self.chars[start..self.position].iter().collect()
    }
}
