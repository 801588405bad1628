//! Anki decks of the site's questions, written at build time with `genanki-rs` (a port of the
//! Python genanki that Anki users rely on): one `.apkg` per module (its quiz, and the questions of
//! the patterns its topics link to) and one with every question. Diagrams travel inside the deck
//! as SVG files with their colours written in, since Anki shows a card without the site's
//! stylesheet; the system-design-primer's decks lost their images (its issues #571, #804).

use crate::links::Linker;
use crate::model::Site;
use crate::quizzes::QuizQuestion;
use atlas_components::learn::question::{Key, Kind};
use genanki_rs::{Deck, Field, Model, Note, Package, Template};
use std::path::Path;

/// Fixed ids, so a reader who imports a newer deck updates their cards instead of duplicating
/// them (Anki matches models and decks by id, notes by guid).
const MODEL_ID: i64 = 1_733_500_001;
const DECK_ID_BASE: i64 = 1_733_500_100;
/// The decks' creation time, fixed so that two builds write the same bytes.
const TIMESTAMP: f64 = 1_796_601_600.0;

/// The diagram colours of the light theme (`style/main.css`), as the SVG's own variables.
const DIAGRAM_THEME: &str = "svg{--surface:#ffffff;--surface-2:#f1f3f5;--text:#1c1e21;--muted:#4a5058;--border:#d5d9de;--accent:#0b62c4;--series-1:#e69f00;--series-2:#56b4e9;--series-3:#009e73;--series-4:#d55e00;--series-5:#cc79a7;--font-sans:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;background:#ffffff}";

const CARD_CSS: &str = ".card{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;font-size:18px;line-height:1.45;text-align:left;max-width:42em;margin:0 auto;color:#1c1e21;background:#fbfbfa}\
.nightMode.card{color:#e6e8eb;background:#111418}\
.meta{font-size:13px;color:#6a7078}\
img{max-width:100%;height:auto;background:#fff}\
ol.options{padding-left:1.4em}\
.source{font-size:13px;margin-top:1.5em}";

/// A deck: its file name (without `.apkg`), title, description and questions.
pub struct DeckPlan {
    pub file: String,
    pub title: String,
    pub description: String,
    pub questions: Vec<QuizQuestion>,
}

/// The decks the build writes: one per module and one of everything.
pub fn plan(site: &Site, linker: &Linker) -> Vec<DeckPlan> {
    let all = site.questions();
    let mut decks = Vec::new();
    for module in &site.modules {
        let routes = crate::render::quiz::module_routes(site, &module.slug, linker);
        let questions: Vec<QuizQuestion> = all
            .iter()
            .filter(|question| match &question.home {
                crate::quizzes::Home::Module(slug) => *slug == module.slug,
                crate::quizzes::Home::Pattern(slug) => routes.contains(&format!("/patterns/{slug}/")),
            })
            .cloned()
            .collect();
        decks.push(DeckPlan {
            file: module.slug.clone(),
            title: format!("System Design Atlas::{}", module.title),
            description: format!("{} questions: the {} quiz and the patterns it links to.", questions.len(), module.title),
            questions,
        });
    }
    decks.push(DeckPlan { file: "all".to_string(), title: "System Design Atlas".to_string(), description: format!("Every question on the site, {} in all.", all.len()), questions: all });
    decks
}

fn model() -> Model {
    Model::new(
        MODEL_ID,
        "System Design Atlas question",
        vec![Field::new("Question"), Field::new("Answer"), Field::new("Source")],
        vec![Template::new("Question").qfmt("{{Question}}").afmt(r#"{{FrontSide}}<hr id="answer">{{Answer}}<div class="source">{{Source}}</div>"#)],
    )
    .css(CARD_CSS)
}

/// Links in the site's HTML are absolute paths (`/base/patterns/x/`); on a card they need the
/// site's origin.
fn absolute_links(html: &str, origin: &str) -> String {
    html.replace("href=\"/", &format!("href=\"{}/", origin.trim_end_matches('/')))
}

fn media_name(diagram: &str) -> String {
    format!("atlas-{diagram}.svg")
}

/// A diagram as a file Anki can show: its SVG with the theme's colours and the site's diagram
/// rules (every `.dg` rule of `style/main.css`) in a `<style>` of its own.
pub fn standalone_svg(svg: &str, diagram_css: &str) -> String {
    let Some(end) = svg.find('>') else { return svg.to_string() };
    format!("{}<style>{DIAGRAM_THEME}{diagram_css}</style>{}", &svg[..=end], &svg[end + 1..])
}

/// The diagram rules of the site's stylesheet: every line that starts with `.dg`, except the
/// step-through's (a card does not step).
pub fn diagram_css(main_css: &str) -> String {
    main_css.lines().filter(|line| line.starts_with(".dg") && !line.contains("is-stepping") && !line.starts_with(".dg-steps") && !line.contains("transition")).collect::<Vec<_>>().join("")
}

fn fields(site: &Site, question: &QuizQuestion, origin: &str, linker: &Linker) -> (String, String, String) {
    let mut front = format!("<p class=\"meta\">{} · {}</p><p>{}</p>", question.difficulty.label(), question.kind.label(), question.prompt);
    if let Some((diagram, _)) = &question.diagram {
        front.push_str(&format!("<p><img src=\"{}\" alt=\"{}\"></p>", media_name(diagram), crate::quizzes::escape_html(&site.diagrams.get(diagram).map(|d| d.title.clone()).unwrap_or_default())));
    }
    let list = |items: &[String], tag: &str| format!("<{tag} class=\"options\">{}</{tag}>", items.iter().map(|item| format!("<li>{item}</li>")).collect::<String>());
    match question.kind {
        Kind::Single | Kind::Multiple | Kind::Diagram => front.push_str(&list(&question.options, "ol")),
        Kind::Order => {
            let shuffled: Vec<String> = atlas_components::learn::question::shuffled_order(question.options.len(), atlas_components::learn::question::seed_of(&question.id)).into_iter().map(|index| question.options[index].clone()).collect();
            front.push_str("<p class=\"meta\">Put these in order:</p>");
            front.push_str(&list(&shuffled, "ul"));
        }
        Kind::Number => front.push_str(&format!("<p class=\"meta\">Estimate, in {}.</p>", question.unit)),
    }
    let mut back = match &question.key {
        Key::One(index) => format!("<p><b>{}</b></p>", question.options.get(*index).cloned().unwrap_or_default()),
        Key::Set(indices) => list(&indices.iter().filter_map(|index| question.options.get(*index).cloned()).collect::<Vec<_>>(), "ul"),
        Key::Order(_) => list(&question.options, "ol"),
        Key::Number { value, tolerance } => format!("<p><b>About {} {}</b> (within {}%)</p>", atlas_components::learn::generate::group_significant(*value), question.unit, (tolerance * 100.0).round()),
    };
    if !question.why.is_empty() {
        back.push_str("<ul>");
        for (option, why) in question.options.iter().zip(&question.why) {
            back.push_str(&format!("<li>{option}: {why}</li>"));
        }
        back.push_str("</ul>");
    }
    back.push_str(&format!("<p>{}</p>", question.explanation));
    let (home, url) = crate::render::quiz::home_link(site, question, linker);
    let source = format!("<a href=\"{}{url}\">{}</a>", origin.trim_end_matches('/'), crate::quizzes::escape_html(&home));
    (absolute_links(&front, origin), absolute_links(&back, origin), source)
}

/// Writes each deck to `out/<file>.apkg`; `main_css` is the site's stylesheet (for diagrams),
/// `origin` the site's address for links on the cards.
pub fn write_decks(site: &Site, linker: &Linker, main_css: &str, origin: &str, out: &Path) -> Result<Vec<(String, Vec<u8>)>, String> {
    let media_dir = tempfile::tempdir().map_err(|error| format!("a folder for the decks' images: {error}"))?;
    let css = diagram_css(main_css);
    let model = model();
    let mut written = Vec::new();
    for (index, plan) in plan(site, linker).into_iter().enumerate() {
        let mut deck = Deck::new(DECK_ID_BASE + index as i64, &plan.title, &plan.description);
        let mut media: Vec<String> = Vec::new();
        for question in &plan.questions {
            if let Some((diagram, _)) = &question.diagram {
                let path = media_dir.path().join(media_name(diagram));
                if !path.exists() {
                    let svg = site.diagrams.get(diagram).map(|d| standalone_svg(&d.svg, &css)).unwrap_or_default();
                    std::fs::write(&path, svg).map_err(|error| format!("{}: {error}", path.display()))?;
                }
                let path = path.to_string_lossy().to_string();
                if !media.contains(&path) {
                    media.push(path);
                }
            }
            let (front, back, source) = fields(site, question, origin, linker);
            let note = Note::new(model.clone(), vec![&front, &back, &source]).map_err(|error| format!("question {}: {error}", question.id))?;
            // The question's id is its guid: a re-imported deck updates the note in place.
            deck.add_note(note.guid(&question.id).tags([format!("atlas::{}", question.difficulty.key()), format!("atlas::{}", question.kind.key())]));
        }
        let mut package = Package::new(vec![deck], media.iter().map(String::as_str).collect()).map_err(|error| format!("deck {}: {error}", plan.file))?;
        let mut bytes = std::io::Cursor::new(Vec::new());
        package.write_timestamp(&mut bytes, TIMESTAMP).map_err(|error| format!("deck {}: {error}", plan.file))?;
        written.push((format!("{}/{}.apkg", out.display(), plan.file), bytes.into_inner()));
    }
    Ok(written)
}
