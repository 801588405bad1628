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
