//! The tree the reader builds, how it evaluates, and the edits that change it.

use super::{Availability, MAX_DEPTH, MAX_NAME_CHARS, MAX_NODES};

/// Where a node sits: the child index at each level from the root (`[]` is the root).
pub type Path = Vec<usize>;

/// What a new component starts at.
pub const DEFAULT_COMPONENT_PERCENT: f64 = 99.9;

#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    pub name: String,
    /// Availability as the reader typed it, 0–100.
    pub percent: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupKind {
    /// Every child must be up.
    Series,
    /// One child up is enough.
    Parallel,
}

impl GroupKind {
    pub fn label(self) -> &'static str {
        match self {
            GroupKind::Series => "In series (all needed)",
            GroupKind::Parallel => "In parallel (any one is enough)",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Component(Component),
    /// A group always has at least one child.
    Group(GroupKind, Vec<Node>),
}

/// A change to the tree. Paths that do not exist, or edits that would break a limit, are
/// refused with a message and change nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Adds a new component at the end of the group at `parent`.
    AddComponent { parent: Path },
    /// Adds a new group (holding one new component) at the end of the group at `parent`.
    AddGroup { parent: Path, kind: GroupKind },
    /// Replaces the node at `path` by a group of `kind` holding it and one new component.
    Wrap { path: Path, kind: GroupKind },
    /// Adds a copy of the component at `path` in parallel with it: into its parent if that is
    /// already parallel, else by wrapping both in a new parallel group.
    Replicate { path: Path },
    /// Removes the node at `path`; a group left empty goes too. The root cannot go.
    Remove { path: Path },
    Rename { path: Path, name: String },
    SetPercent { path: Path, percent: f64 },
    SetKind { path: Path, kind: GroupKind },
}

impl Node {
    pub fn component(name: &str, percent: f64) -> Self {
        Node::Component(Component { name: name.to_string(), percent })
    }

    pub fn series(children: Vec<Node>) -> Self {
        Node::Group(GroupKind::Series, children)
    }

    pub fn parallel(children: Vec<Node>) -> Self {
        Node::Group(GroupKind::Parallel, children)
    }

    /// Series multiplies availabilities; parallel multiplies unavailabilities.
    pub fn evaluate(&self) -> Availability {
        self.evaluate_with(&mut |component| Availability::from_percent(component.percent))
    }

    /// Evaluates with every component's availability given by `of` (for what-ifs).
    pub fn evaluate_with(&self, of: &mut dyn FnMut(&Component) -> Availability) -> Availability {
        match self {
            Node::Component(component) => of(component),
            Node::Group(kind, children) => {
                let parts: Vec<Availability> = children.iter().map(|child| child.evaluate_with(of)).collect();
                combine(*kind, &parts)
            }
        }
    }

    /// The tree's availability if the component at `path` never failed.
    pub fn evaluate_if_perfect(&self, path: &[usize]) -> Availability {
        self.evaluate_paths(&mut Vec::new(), &mut |at, component| {
            if at == path {
                Availability::PERFECT
            } else {
                Availability::from_percent(component.percent)
            }
        })
    }

    fn evaluate_paths(&self, at: &mut Path, of: &mut dyn FnMut(&[usize], &Component) -> Availability) -> Availability {
        match self {
            Node::Component(component) => of(at, component),
            Node::Group(kind, children) => {
                let mut parts = Vec::with_capacity(children.len());
                for (index, child) in children.iter().enumerate() {
                    at.push(index);
                    parts.push(child.evaluate_paths(at, of));
                    at.pop();
                }
                combine(*kind, &parts)
            }
        }
    }

    pub fn node_count(&self) -> usize {
        match self {
            Node::Component(_) => 1,
            Node::Group(_, children) => 1 + children.iter().map(Node::node_count).sum::<usize>(),
        }
    }

    /// Levels of nesting: a lone component is 1.
    pub fn depth(&self) -> usize {
        match self {
            Node::Component(_) => 1,
            Node::Group(_, children) => 1 + children.iter().map(Node::depth).max().unwrap_or(0),
        }
    }

    /// Every component with its path, in reading order.
    pub fn components(&self) -> Vec<(Path, &Component)> {
        let mut found = Vec::new();
        self.collect_components(&mut Vec::new(), &mut found);
        found
    }

    fn collect_components<'a>(&'a self, at: &mut Path, found: &mut Vec<(Path, &'a Component)>) {
        match self {
            Node::Component(component) => found.push((at.clone(), component)),
            Node::Group(_, children) => {
                for (index, child) in children.iter().enumerate() {
                    at.push(index);
                    child.collect_components(at, found);
                    at.pop();
                }
            }
        }
    }

    pub fn at(&self, path: &[usize]) -> Option<&Node> {
        match path.split_first() {
            None => Some(self),
            Some((first, rest)) => match self {
                Node::Group(_, children) => children.get(*first)?.at(rest),
                Node::Component(_) => None,
            },
        }
    }

    fn at_mut(&mut self, path: &[usize]) -> Option<&mut Node> {
        match path.split_first() {
            None => Some(self),
            Some((first, rest)) => match self {
                Node::Group(_, children) => children.get_mut(*first)?.at_mut(rest),
                Node::Component(_) => None,
            },
        }
    }

    /// Applies `edit`, or says why not and leaves the tree as it was.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), String> {
        let mut changed = self.clone();
        changed.apply_unchecked(edit)?;
        if changed.node_count() > MAX_NODES {
            return Err(format!("A system can have at most {MAX_NODES} boxes (components and groups)."));
        }
        if changed.depth() > MAX_DEPTH {
            return Err(format!("Groups can nest at most {MAX_DEPTH} levels deep."));
        }
        *self = changed;
        Ok(())
    }

    fn apply_unchecked(&mut self, edit: &Edit) -> Result<(), String> {
        let fresh = self.fresh_component();
        match edit {
            Edit::AddComponent { parent } => self.group_children(parent)?.push(fresh),
            Edit::AddGroup { parent, kind } => self.group_children(parent)?.push(Node::Group(*kind, vec![fresh])),
            Edit::Wrap { path, kind } => {
                let node = self.node_mut(path)?;
                let inner = std::mem::replace(node, Node::Group(*kind, Vec::new()));
                *node = Node::Group(*kind, vec![inner, fresh]);
            }
            Edit::Replicate { path } => self.replicate(path)?,
            Edit::Remove { path } => self.remove(path)?,
            Edit::Rename { path, name } => {
                let name = check_name(name)?;
                self.component_mut(path)?.name = name;
            }
            Edit::SetPercent { path, percent } => {
                if !percent.is_finite() || !(0.0..=100.0).contains(percent) {
                    return Err("Availability must be a percentage from 0 to 100.".to_string());
                }
                self.component_mut(path)?.percent = *percent;
            }
            Edit::SetKind { path, kind } => match self.node_mut(path)? {
                Node::Group(current, _) => *current = *kind,
                Node::Component(_) => return Err("Only a group can be in series or in parallel.".to_string()),
            },
        }
        Ok(())
    }

    fn replicate(&mut self, path: &[usize]) -> Result<(), String> {
        let copy = match self.at(path) {
            Some(Node::Component(component)) => Component { name: copy_name(&component.name), percent: component.percent },
            Some(Node::Group(..)) => return Err("Only a component can be replicated.".to_string()),
            None => return Err(no_such_box()),
        };
        if let Some((_, parent)) = path.split_last() {
            if let Some(Node::Group(GroupKind::Parallel, children)) = self.at_mut(parent) {
                children.push(Node::Component(copy));
                return Ok(());
            }
        }
        let node = self.node_mut(path)?;
        let original = std::mem::replace(node, Node::Group(GroupKind::Parallel, Vec::new()));
        *node = Node::parallel(vec![original, Node::Component(copy)]);
        Ok(())
    }

    fn remove(&mut self, path: &[usize]) -> Result<(), String> {
        let Some((index, parent)) = path.split_last() else {
            return Err("The system needs at least one component.".to_string());
        };
        let children = self.group_children(parent)?;
        if *index >= children.len() {
            return Err(no_such_box());
        }
        children.remove(*index);
        if children.is_empty() {
            return self.remove(parent);
        }
        Ok(())
    }

    fn node_mut(&mut self, path: &[usize]) -> Result<&mut Node, String> {
        self.at_mut(path).ok_or_else(no_such_box)
    }

    fn group_children(&mut self, path: &[usize]) -> Result<&mut Vec<Node>, String> {
        match self.node_mut(path)? {
            Node::Group(_, children) => Ok(children),
            Node::Component(_) => Err("Only a group can hold other boxes.".to_string()),
        }
    }

    fn component_mut(&mut self, path: &[usize]) -> Result<&mut Component, String> {
        match self.node_mut(path)? {
            Node::Component(component) => Ok(component),
            Node::Group(..) => Err("That box is a group, not a component.".to_string()),
        }
    }

    /// A new component named `c<n>` with the first unused `n`.
    fn fresh_component(&self) -> Node {
        let taken: Vec<String> = self.components().into_iter().map(|(_, component)| component.name.clone()).collect();
        let name = (1..).map(|n| format!("c{n}")).find(|name| !taken.contains(name)).unwrap_or_default();
        Node::component(&name, DEFAULT_COMPONENT_PERCENT)
    }
}

/// Combines the children of a group. Series: `up = Π up`, `down = 1 − Π(1 − down)` computed
/// with `ln_1p`/`exp_m1` so tiny downtimes keep their digits. Parallel: the mirror image. The
/// last clamps only undo rounding: a series is never better than its worst child, a parallel
/// group never worse than its best.
fn combine(kind: GroupKind, parts: &[Availability]) -> Availability {
    let (mut product, mut log_complement, mut worst) = (1.0_f64, 0.0_f64, 0.0_f64);
    for part in parts {
        let (multiplied, complement) = match kind {
            GroupKind::Series => (part.up, part.down),
            GroupKind::Parallel => (part.down, part.up),
        };
        product *= multiplied;
        log_complement += (-complement).ln_1p();
        worst = worst.max(complement);
    }
    let other = (-log_complement.exp_m1()).clamp(worst, 1.0);
    let product = product.clamp(0.0, 1.0);
    match kind {
        GroupKind::Series => Availability { up: product, down: other },
        GroupKind::Parallel => Availability { up: other, down: product },
    }
}

fn no_such_box() -> String {
    "That box is no longer in the system.".to_string()
}

/// Names are short and plain so the tree stays readable in a link: letters, digits, spaces and
/// `-_.`; trimmed; 1–24 characters.
pub(super) fn check_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("Give the component a name.".to_string());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!("Names can be at most {MAX_NAME_CHARS} characters."));
    }
    if let Some(bad) = name.chars().find(|ch| !(ch.is_alphanumeric() || matches!(ch, ' ' | '-' | '_' | '.'))) {
        return Err(format!("Names can use letters, digits, spaces and - _ . but not “{bad}”."));
    }
    Ok(name.to_string())
}

/// `app` → `app-2`, `app-2` → `app-3`, kept within the name limit.
fn copy_name(name: &str) -> String {
    let (stem, number) = match name.rsplit_once('-') {
        Some((stem, digits)) if !stem.is_empty() && digits.parse::<u32>().is_ok() => (stem, digits.parse::<u32>().unwrap_or(1)),
        _ => (name, 1),
    };
    let suffix = format!("-{}", number.saturating_add(1));
    let room = MAX_NAME_CHARS.saturating_sub(suffix.chars().count());
    format!("{}{suffix}", stem.chars().take(room).collect::<String>())
}
