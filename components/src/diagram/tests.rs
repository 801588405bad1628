use super::spec::DiagramSpec;
use super::{layout, lint, render};

fn spec(source: &str) -> DiagramSpec {
    toml::from_str(source).unwrap_or_else(|error| panic!("{error}"))
}

fn problems(source: &str) -> Vec<String> {
    match render("test", &spec(source)) {
        Ok(_) => Vec::new(),
        Err(problems) => problems,
    }
}

const GOOD: &str = r#"
kind = "architecture"
title = "Cache in front of a database"
description = "Reads go to the cache first."

[[nodes]]
id = "app"
label = "App server"
kind = "service"
col = 0
row = 0

[[nodes]]
id = "cache"
label = "Redis"
kind = "cache"
col = 1
row = 0

[[nodes]]
id = "db"
label = "Postgres primary"
kind = "database"
col = 1
row = 1

[[groups]]
id = "dc"
label = "Region"
nodes = ["cache", "db"]

[[edges]]
id = "read"
from = "app"
to = "cache"
label = "GET key"

[[edges]]
from = "cache"
to = "app"
label = "miss"
style = "dashed"

[[edges]]
from = "app"
to = "db"

[[steps]]
title = "Read"
caption = "The app asks the cache."
highlight = ["app", "read"]
"#;

#[test]
fn a_tidy_diagram_renders_with_title_desc_and_themeable_colours() {
    let diagram = render("tidy", &spec(GOOD)).unwrap_or_else(|problems| panic!("{problems:#?}"));
    assert!(diagram.svg.starts_with("<svg"));
    assert!(diagram.svg.contains(r#"<title id="dg-tidy-title">Cache in front of a database</title>"#));
    assert!(diagram.svg.contains(r#"aria-labelledby="dg-tidy-title dg-tidy-desc""#));
    assert!(!diagram.svg.contains("fill=\"#"), "colours belong in CSS, not in the markup");
    assert_eq!(diagram.steps.len(), 1);
    assert!(diagram.alternative.connections.iter().any(|line| line == "App server → Redis: GET key"));
    assert!(diagram.alternative.elements.iter().any(|line| line == "Postgres primary (database), in Region"));
}

#[test]
fn arrows_start_and_end_on_their_boxes() {
    let scene = layout::layout("tidy", &spec(GOOD));
    for edge in &scene.edges {
        let from = scene.node(&edge.from).unwrap().rect.inflate(4.0);
        let to = scene.node(&edge.to).unwrap().rect.inflate(4.0);
        assert!(from.contains_point(edge.points[0]), "{} starts off its box", edge.id);
        assert!(to.contains_point(*edge.points.last().unwrap()), "{} ends off its box", edge.id);
        assert!(!scene.node(&edge.from).unwrap().rect.inflate(-1.0).contains_point(edge.points[0]), "{} starts inside its box", edge.id);
    }
}

#[test]
fn two_arrows_between_the_same_boxes_are_drawn_apart() {
    let scene = layout::layout("tidy", &spec(GOOD));
    let (a, b) = (&scene.edges[0], &scene.edges[1]);
    assert!((a.points[0].y - b.points[1].y).abs() > 10.0, "{:?} vs {:?}", a.points, b.points);
}

#[test]
fn a_label_too_wide_for_its_box_is_reported() {
    let source = GOOD.replace("Postgres primary", "Supercalifragilisticexpialidocious");
    let problems = problems(&source);
    assert!(problems.iter().any(|p| p.contains("Supercalifragilisticexpialidocious") && p.contains("does not fit in `db`")), "{problems:#?}");
}

#[test]
fn overlapping_boxes_are_reported() {
    let source = GOOD.replace("col = 1\nrow = 1", "col = 1\nrow = 0");
    let problems = problems(&source);
    assert!(problems.iter().any(|p| p.contains("boxes `cache` and `db` overlap")), "{problems:#?}");
}

#[test]
fn an_arrow_through_a_third_box_is_reported() {
    let source = r#"
kind = "architecture"
title = "t"
description = "d"
[[nodes]]
id = "a"
label = "A"
col = 0
row = 0
[[nodes]]
id = "b"
label = "B"
col = 1
row = 0
[[nodes]]
id = "c"
label = "C"
col = 2
row = 0
[[edges]]
from = "a"
to = "c"
"#;
    let problems = problems(source);
    assert!(problems.iter().any(|p| p.contains("crosses box `b`")), "{problems:#?}");
}

#[test]
fn unknown_ids_are_reported() {
    let source = GOOD.replace("to = \"db\"", "to = \"dbx\"").replace("highlight = [\"app\", \"read\"]", "highlight = [\"ghost\"]");
    let problems = problems(&source);
    assert!(problems.iter().any(|p| p.contains("unknown node `dbx`")), "{problems:#?}");
    assert!(problems.iter().any(|p| p.contains("unknown element `ghost`")), "{problems:#?}");
}

#[test]
fn a_group_over_a_box_that_is_not_its_member_is_reported() {
    let source = GOOD.replace("nodes = [\"cache\", \"db\"]", "nodes = [\"app\", \"db\"]");
    let problems = problems(&source);
    assert!(problems.iter().any(|p| p.contains("overlaps box `cache`")), "{problems:#?}");
}

const SEQUENCE: &str = r#"
kind = "sequence"
title = "Login"
description = "A redirect-based login."
[[actors]]
id = "browser"
label = "Browser"
kind = "client"
[[actors]]
id = "app"
label = "App"
kind = "service"
[[messages]]
from = "browser"
to = "app"
label = "GET /login"
caption = "The user clicks sign in."
[[messages]]
from = "app"
to = "app"
label = "make state"
[[messages]]
from = "app"
to = "browser"
label = "302 Found"
style = "dashed"
"#;

#[test]
fn sequence_messages_are_numbered_steps() {
    let diagram = render("seq", &spec(SEQUENCE)).unwrap_or_else(|problems| panic!("{problems:#?}"));
    assert_eq!(diagram.steps.len(), 3);
    assert_eq!(diagram.steps[0].title, "1. GET /login");
    assert_eq!(diagram.steps[0].caption, "The user clicks sign in.");
    assert_eq!(diagram.steps[2].caption, "302 Found");
    assert!(diagram.svg.contains(">2. make state</text>"));
}

#[test]
fn a_sequence_label_wider_than_the_widest_lane_is_reported() {
    let long = "x".repeat(80);
    let source = SEQUENCE.replace("GET /login", &long);
    let problems = problems(&source);
    assert!(problems.iter().any(|p| p.contains("does not fit in `m1`")), "{problems:#?}");
}

#[test]
fn layers_fit_label_and_detail_side_by_side() {
    let source = r#"
kind = "layers"
title = "Stack"
description = "d"
[[layers]]
id = "l7"
label = "7 · Application"
detail = "HTTP, DNS, SMTP"
[[layers]]
id = "l4"
label = "4 · Transport"
detail = "TCP, UDP, QUIC"
[[steps]]
title = "Down"
caption = "Data goes down the stack."
highlight = ["l7", "l4"]
"#;
    let diagram = render("layers", &spec(source)).unwrap_or_else(|problems| panic!("{problems:#?}"));
    assert_eq!(diagram.kind, "layers");
    let crowded = source.replace("HTTP, DNS, SMTP", &"HTTP ".repeat(20));
    assert!(problems(&crowded).iter().any(|p| p.contains("overlap") || p.contains("does not fit")));
}

#[test]
fn text_is_escaped_in_the_svg() {
    let source = GOOD.replace("label = \"Redis\"", "label = \"<b>&\"");
    let scene = layout::layout("esc", &spec(&source));
    assert!(lint::lint(&scene).is_empty());
    let svg = super::svg::to_svg(&scene);
    assert!(svg.contains("&lt;b&gt;&amp;") && !svg.contains("<b>"));
}

const TREE: &str = r#"
kind = "tree"
title = "Part of a Linux file system"
description = "The root directory and three of its children."

[[nodes]]
id = "root"
label = "/"

[[nodes]]
id = "etc"
label = "/etc"
parent = "root"
detail = "host configuration"

[[nodes]]
id = "var"
label = "/var"
parent = "root"
detail = "logs, spools, caches"

[[nodes]]
id = "log"
label = "/var/log"
parent = "var"
detail = "system and service logs"

[[nodes]]
id = "usr"
label = "/usr"
parent = "root"
detail = "installed programs"
"#;

#[test]
fn a_tree_grows_right_with_each_parent_centred_on_its_children() {
    let diagram = render("tree", &spec(TREE)).unwrap_or_else(|problems| panic!("{problems:?}"));
    assert_eq!(diagram.kind, "tree");
    let scene = layout::layout("tree", &spec(TREE));
    let rect = |id: &str| scene.node(id).unwrap().rect;
    // Depth is a column: children to the right of their parent, grandchildren further right.
    assert!(rect("etc").x > rect("root").right() && rect("log").x > rect("var").right());
    // Leaves take rows in reading order; /var sits on its only child's row; the root is centred
    // between its first and last child.
    assert!(rect("etc").y < rect("log").y && rect("log").y < rect("usr").y);
    assert!((rect("var").center().y - rect("log").center().y).abs() < 0.5);
    assert!((rect("root").center().y - (rect("etc").center().y + rect("usr").center().y) / 2.0).abs() < 0.5);
    // One line per child, from its parent, without arrowheads.
    assert_eq!(scene.edges.len(), 4);
    assert!(scene.edges.iter().all(|edge| edge.heads == super::spec::Heads::None && edge.id == format!("to-{}", edge.to)));
    assert!(diagram.alternative.elements.iter().any(|element| element == "/var/log: system and service logs"));
}

#[test]
fn a_tree_with_a_stray_parent_two_roots_or_a_loop_is_refused() {
    let stray = problems(&TREE.replace("parent = \"var\"", "parent = \"vra\""));
    assert!(stray.iter().any(|problem| problem.contains("unknown parent `vra`")), "{stray:?}");
    let two_roots = problems(&TREE.replace("id = \"usr\"\nlabel = \"/usr\"\nparent = \"root\"", "id = \"usr\"\nlabel = \"/usr\""));
    assert!(two_roots.iter().any(|problem| problem.contains("one root")), "{two_roots:?}");
    let looped = problems(&format!("{TREE}\n[[nodes]]\nid = \"a\"\nlabel = \"a\"\nparent = \"b\"\n\n[[nodes]]\nid = \"b\"\nlabel = \"b\"\nparent = \"a\"\n"));
    assert!(looped.iter().any(|problem| problem.contains("cannot be reached from the root")), "{looped:?}");
}

const BREAKER: &str = r#"
kind = "states"
title = "Circuit breaker"
description = "Closed, open and half-open."

[[states]]
id = "closed"
label = "Closed"
col = 0
row = 0
initial = true

[[states]]
id = "open"
label = "Open"
col = 2
row = 0

[[states]]
id = "half"
label = "Half-open"
col = 1
row = 1

[[transitions]]
from = "closed"
to = "open"
label = "failures reach threshold"

[[transitions]]
from = "closed"
to = "closed"
label = "success"

[[transitions]]
from = "open"
to = "half"
label = "timeout"

[[transitions]]
from = "half"
to = "closed"
label = "trial succeeds"

[[transitions]]
from = "half"
to = "open"
label = "trial fails"
"#;

#[test]
fn a_state_machine_has_a_start_dot_loops_above_states_and_separated_opposite_transitions() {
    let diagram = render("breaker", &spec(BREAKER)).unwrap_or_else(|problems| panic!("{problems:?}"));
    assert_eq!(diagram.kind, "states");
    assert!(diagram.svg.contains(r#"class="dg-dot""#), "{}", diagram.svg);
    let scene = layout::layout("breaker", &spec(BREAKER));
    let closed = scene.node("closed").unwrap().rect;
    let start = scene.node("start").unwrap().rect;
    assert!(start.right() < closed.x && (start.center().y - closed.center().y).abs() < 0.5, "the dot sits left of the initial state");
    let arrow = scene.edges.iter().find(|edge| edge.from == "start").unwrap();
    assert_eq!((arrow.to.as_str(), arrow.heads), ("closed", super::spec::Heads::End));
    // The self-transition loops above its state and ends back on it.
    let looped = scene.edges.iter().find(|edge| edge.from == "closed" && edge.to == "closed").unwrap();
    assert!(looped.points.iter().all(|point| point.y <= closed.y) && looped.points.len() == 4);
    assert!(looped.label.as_ref().unwrap().bounds.bottom() < closed.y);
    assert!(diagram.alternative.connections.contains(&"Closed → Closed: success".to_string()));
    // A final state gets a second border.
    let with_final = render("breaker", &spec(&BREAKER.replace("id = \"open\"\nlabel = \"Open\"", "id = \"open\"\nlabel = \"Open\"\nfinal = true"))).unwrap();
    assert!(with_final.svg.contains(r#"class="dg-ring""#));
    // No initial state, or a label that lands on a state, is refused.
    assert!(problems(&BREAKER.replace("initial = true\n", "")).iter().any(|problem| problem.contains("initial = true")));
}

const BOOT: &str = r#"
kind = "timeline"
title = "Boot"
description = "From power on to a login prompt."
unit = "s"

[[phases]]
id = "firmware"
label = "Firmware"
detail = "UEFI runs its power-on self test and finds a boot loader"
duration = 4

[[phases]]
id = "loader"
label = "Boot loader"
duration = 1

[[phases]]
id = "kernel"
label = "Kernel and initramfs"
duration = 2.5
caption = "The kernel unpacks its initial file system and mounts the real root."
"#;

#[test]
fn a_timeline_draws_bars_to_scale_and_steps_through_its_phases_in_order() {
    let diagram = render("boot", &spec(BOOT)).unwrap_or_else(|problems| panic!("{problems:?}"));
    assert_eq!(diagram.kind, "timeline");
    let scene = layout::layout("boot", &spec(BOOT));
    let bar = |id: &str| match scene.node(id).unwrap().marks.as_slice() {
        [super::scene::Mark::Bar(bar)] => *bar,
        other => panic!("{id}: {other:?}"),
    };
    assert!((bar("firmware").w / bar("loader").w - 4.0).abs() < 0.01 && (bar("kernel").w / bar("loader").w - 2.5).abs() < 0.01);
    assert!(scene.node("firmware").unwrap().rect.bottom() < scene.node("loader").unwrap().rect.y);
    assert_eq!(scene.edges.iter().map(|edge| (edge.from.as_str(), edge.to.as_str())).collect::<Vec<_>>(), [("firmware", "loader"), ("loader", "kernel")]);
    let titles: Vec<&str> = diagram.steps.iter().map(|step| step.title.as_str()).collect();
    assert_eq!(titles, ["Firmware (4 s)", "Boot loader (1 s)", "Kernel and initramfs (2.5 s)"]);
    assert_eq!(diagram.steps[2].caption, "The kernel unpacks its initial file system and mounts the real root.");
    assert_eq!(diagram.steps[1].caption, "Boot loader");
    let mixed = problems(&BOOT.replace("duration = 1\n", ""));
    assert!(mixed.iter().any(|problem| problem.contains("every phase a `duration`, or none")), "{mixed:?}");
    assert!(problems(&BOOT.replace("duration = 1\n", "duration = -1\n")).iter().any(|problem| problem.contains("positive")));
}
