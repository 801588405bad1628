//! What an author writes: the declarative description of a diagram, as read from TOML.

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum DiagramSpec {
    Architecture(ArchitectureSpec),
    Sequence(SequenceSpec),
    Layers(LayersSpec),
    Tree(TreeSpec),
    States(StatesSpec),
    Timeline(TimelineSpec),
}

impl DiagramSpec {
    pub fn title(&self) -> &str {
        match self {
            DiagramSpec::Architecture(spec) => &spec.title,
            DiagramSpec::Sequence(spec) => &spec.title,
            DiagramSpec::Layers(spec) => &spec.title,
            DiagramSpec::Tree(spec) => &spec.title,
            DiagramSpec::States(spec) => &spec.title,
            DiagramSpec::Timeline(spec) => &spec.title,
        }
    }

    pub fn kind_name(&self) -> &'static str {
        match self {
            DiagramSpec::Architecture(_) => "architecture",
            DiagramSpec::Sequence(_) => "sequence",
            DiagramSpec::Layers(_) => "layers",
            DiagramSpec::Tree(_) => "tree",
            DiagramSpec::States(_) => "states",
            DiagramSpec::Timeline(_) => "timeline",
        }
    }
}

/// The kind of a box: drawn as its shape and named in small caps above its label, so the kind
/// never depends on colour alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    Client,
    User,
    Service,
    Function,
    Database,
    Cache,
    Queue,
    Stream,
    Storage,
    Cdn,
    Lb,
    Gateway,
    Dns,
    External,
    Monitor,
    #[default]
    Generic,
}

impl NodeKind {
    pub fn caption(self) -> &'static str {
        match self {
            NodeKind::Client => "client",
            NodeKind::User => "user",
            NodeKind::Service => "service",
            NodeKind::Function => "function",
            NodeKind::Database => "database",
            NodeKind::Cache => "cache",
            NodeKind::Queue => "queue",
            NodeKind::Stream => "stream",
            NodeKind::Storage => "storage",
            NodeKind::Cdn => "cdn",
            NodeKind::Lb => "load balancer",
            NodeKind::Gateway => "gateway",
            NodeKind::Dns => "dns",
            NodeKind::External => "external",
            NodeKind::Monitor => "monitoring",
            NodeKind::Generic => "",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchitectureSpec {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub nodes: Vec<NodeSpec>,
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    #[serde(default)]
    pub edges: Vec<EdgeSpec>,
    #[serde(default)]
    pub steps: Vec<StepSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NodeSpec {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub kind: NodeKind,
    pub col: u32,
    pub row: u32,
    #[serde(default = "one")]
    pub span: u32,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    #[default]
    Region,
    Cluster,
    Boundary,
    Zone,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupSpec {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub kind: GroupKind,
    pub nodes: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LineStyle {
    #[default]
    Solid,
    Dashed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Heads {
    #[default]
    End,
    Both,
    None,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeSpec {
    pub id: Option<String>,
    pub from: String,
    pub to: String,
    pub label: Option<String>,
    #[serde(default)]
    pub style: LineStyle,
    #[serde(default)]
    pub heads: Heads,
    pub label_at: Option<f32>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    pub title: String,
    pub caption: String,
    #[serde(default)]
    pub highlight: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SequenceSpec {
    pub title: String,
    pub description: String,
    pub actors: Vec<ActorSpec>,
    pub messages: Vec<MessageSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActorSpec {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub kind: NodeKind,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageSpec {
    pub from: String,
    pub to: String,
    pub label: String,
    #[serde(default)]
    pub style: LineStyle,
    pub caption: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayersSpec {
    pub title: String,
    pub description: String,
    pub layers: Vec<LayerSpec>,
    #[serde(default)]
    pub steps: Vec<StepSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LayerSpec {
    pub id: String,
    pub label: String,
    pub detail: Option<String>,
}

/// A hierarchy drawn from its root on the left to its leaves on the right: a file system, a map
/// of tools, a roadmap, a B-tree's pages. Each node but the root names its `parent`; children
/// are drawn in the order they are written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeSpec {
    pub title: String,
    pub description: String,
    pub nodes: Vec<TreeNodeSpec>,
    #[serde(default)]
    pub steps: Vec<StepSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeNodeSpec {
    pub id: String,
    pub label: String,
    /// The node above it; only the root has none.
    pub parent: Option<String>,
    /// A second, smaller line: what lives there, what it is for.
    pub detail: Option<String>,
    #[serde(default)]
    pub kind: NodeKind,
}

/// A state machine: states on a grid (as architecture boxes are placed) and the labelled
/// transitions between them. One state is `initial` (an arrow from a dot points at it); any may
/// be `final` (drawn with a double border). A transition from a state to itself is drawn as a
/// loop above it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatesSpec {
    pub title: String,
    pub description: String,
    pub states: Vec<StateSpec>,
    pub transitions: Vec<TransitionSpec>,
    #[serde(default)]
    pub steps: Vec<StepSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateSpec {
    pub id: String,
    pub label: String,
    pub col: u32,
    pub row: u32,
    #[serde(default)]
    pub initial: bool,
    #[serde(default, rename = "final")]
    pub is_final: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TransitionSpec {
    pub id: Option<String>,
    pub from: String,
    pub to: String,
    /// The event or condition that fires it.
    pub label: Option<String>,
    #[serde(default)]
    pub style: LineStyle,
    pub label_at: Option<f32>,
}

/// Ordered phases, top to bottom, each with how long it takes: a boot sequence, a pipeline, a
/// deploy. With durations, each phase gets a bar to scale; the walk-through steps through the
/// phases in order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineSpec {
    pub title: String,
    pub description: String,
    /// The unit of every `duration` (`"s"`, `"min"`, `"ms"`), shown after each figure.
    pub unit: Option<String>,
    pub phases: Vec<PhaseSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhaseSpec {
    pub id: String,
    pub label: String,
    pub detail: Option<String>,
    /// How long the phase takes, in the timeline's `unit`: all phases have one, or none does.
    pub duration: Option<f32>,
    /// What the walk-through says about this phase (its `detail` when absent).
    pub caption: Option<String>,
}
