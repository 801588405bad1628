//! The quiz pages: the hub with every question, each module's quiz, the practice page, the
//! certificate check and the progress page; and the question banks the practice page fetches.
//!
//! Every question is printed by one function, `atlas_components::learn::form::render`, on
//! pattern pages, module quizzes and banks alike, and in the browser for generated questions.

use crate::links::Linker;
use crate::model::{Site, StaticPage};
use crate::quizzes::{Home, ModuleQuiz, QuizQuestion};
use atlas_components::learn::certificate::PASS_PERCENT;
use atlas_components::learn::form::{self, FormView};
use atlas_components::learn::generate::GENERATORS;
use atlas_components::learn::question::{Difficulty, Kind};
use maud::{html, Markup, PreEscaped};

/// Where a question lives, as a link text and a URL (to the question itself).
pub fn home_link(site: &Site, question: &QuizQuestion, linker: &Linker) -> (String, String) {
    let anchor = form::dom_id(&question.id);
    match &question.home {
        Home::Module(slug) => {
            let title = site.modules.iter().find(|module| &module.slug == slug).map_or(slug.as_str(), |module| module.title.as_str());
            (format!("{title} quiz"), format!("{}#{anchor}", linker.url(&format!("/quiz/{slug}"))))
        }
        Home::Pattern(slug) => {
            let title = site.patterns.iter().find(|pattern| &pattern.slug == slug).map_or(slug.as_str(), |pattern| pattern.title.as_str());
            (title.to_string(), format!("{}#{anchor}", linker.url(&format!("/patterns/{slug}"))))
        }
    }
}

/// One question's form.
pub fn question_form(site: &Site, question: &QuizQuestion, number: Option<usize>, linker: &Linker) -> String {
    let see_url = question.see.as_deref().map(|route| linker.url(route));
    let see_title = question.see.as_deref().map(|route| super::long::title_of(site, route).unwrap_or_else(|| "the page it is taught on".to_string())).map(|title| form::escape(&title));
    let diagram = question.diagram.as_ref().and_then(|(name, ids)| site.diagrams.get(name).map(|diagram| (diagram.svg.as_str(), ids.as_slice())));
    form::render(&FormView {
        id: &question.id,
        number,
        kind: question.kind,
        difficulty: question.difficulty,
        prompt: &question.prompt,
        options: &question.options,
        why: &question.why,
        key: &question.key,
        unit: &question.unit,
        explanation: &question.explanation,
        see: see_url.as_deref().zip(see_title.as_deref()),
        diagram,
    })
}

fn counts_by_difficulty(questions: &[QuizQuestion]) -> String {
    Difficulty::ALL
        .iter()
        .map(|difficulty| (difficulty, questions.iter().filter(|question| question.difficulty == *difficulty).count()))
        .filter(|(_, count)| *count > 0)
        .map(|(difficulty, count)| format!("{count} {}", difficulty.key()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/quiz/`: the ways to practise, the module quizzes, and every question, filterable.
pub fn hub_main(site: &Site, page: &StaticPage, linker: &Linker) -> Markup {
    let questions = site.questions();
    let practice = linker.url("/quiz/practice");
    html! {
        header class="page-header" {
            h1 { (page.title) }
            p class="lede" { (page.summary) }
        }
        div class="prose" { (PreEscaped(&page.body.html)) }
        section aria-labelledby="practice" {
            h2 id="practice" { "Practise" }
            ul class="practice-modes" data-island="quiz-hub" {
                li { a class="button button--primary" href={ (practice) "?mode=quick" } { "A quick 10" } " " span class="muted" { "ten questions from anywhere on the site" } }
                li { a class="button" href={ (practice) "?mode=review" } { "Reviews due" } " " span class="muted" data-count="review" { "questions your review schedule says are due" } }
                li { a class="button" href={ (practice) "?mode=wrong" } { "What I got wrong" } " " span class="muted" data-count="wrong" { "questions whose last answer was wrong" } }
            }
            h3 { "Questions generated from the simulations" }
            p { "Each of these draws a new scenario every time and computes its answer with the same model the visualizer runs, so they never run out. A question's link reproduces it exactly." }
            ul class="generators" {
                @for generator in GENERATORS {
                    li { a href={ (practice) "?mode=generated&generator=" (generator.slug) } { (generator.title) } }
                }
            }
        }
        section aria-labelledby="module-quizzes" {
            h2 id="module-quizzes" { "Module quizzes" }
            p { "Each module ends with " (crate::quizzes::MODULE_QUIZ_SIZE.end()) " questions of every kind. Get " (PASS_PERCENT) "% right to earn a certificate you can download." }
            ol class="module-quizzes" {
                @for module in &site.modules {
                    @if let Some(quiz) = site.quizzes.iter().find(|quiz| quiz.module == module.slug) {
                        li {
                            a href=(linker.url(&quiz.route())) { (module.title) }
                            " " span class="muted" { (quiz.questions.len()) " questions: " (counts_by_difficulty(&quiz.questions)) }
                            " " span class="module-quizzes__best" data-best=(module.slug) {}
                        }
                    }
                }
            }
        }
        section aria-labelledby="all-questions" {
            h2 id="all-questions" { "Every question" }
            form class="question-filter" data-island="question-filter" role="search" aria-label="Filter the questions" {
                label { span { "Words" } input type="search" name="q" autocomplete="off"; }
                label { span { "From" }
                    select name="home" {
                        option value="" { "Anywhere" }
                        optgroup label="Module quizzes" {
                            @for module in &site.modules { option value={ "module-" (module.slug) } { (module.title) } }
                        }
                        option value="pattern" { "Pattern pages" }
                    }
                }
                label { span { "Difficulty" }
                    select name="difficulty" {
                        option value="" { "Any" }
                        @for difficulty in Difficulty::ALL { option value=(difficulty.key()) { (difficulty.label()) } }
                    }
                }
                label { span { "Kind" }
                    select name="kind" {
                        option value="" { "Any" }
                        @for kind in Kind::ALL { option value=(kind.key()) { (kind.label()) } }
                    }
                }
                p class="question-filter__count" role="status" { (questions.len()) " questions" }
            }
            ol class="question-list" {
                @for question in &questions {
                    @let (home, url) = home_link(site, question, linker);
                    li data-home=(question.bank()) data-difficulty=(question.difficulty.key()) data-kind=(question.kind.key()) {
                        a href=(url) { (question.plain) }
                        " " span class="muted" { (home) " · " (question.difficulty.label()) " · " (question.kind.label()) }
                    }
                }
            }
        }
    }
}

/// `/quiz/<module>/`: the module's questions, scored by the quiz island.
pub fn module_quiz_main(site: &Site, quiz: &ModuleQuiz, linker: &Linker) -> Markup {
    let module = site.modules.iter().find(|module| module.slug == quiz.module);
    let title = module.map_or(quiz.module.as_str(), |module| module.title.as_str());
    let total = quiz.questions.len() as u32;
    let pass = (PASS_PERCENT * total).div_ceil(100);
    html! {
        (super::breadcrumbs(&[("Quiz", linker.url("/quiz"))], title))
        header class="page-header" {
            p class="eyebrow" { "End-of-module quiz" }
            h1 { (title) ": quiz" }
            p class="lede" { (total) " questions (" (counts_by_difficulty(&quiz.questions)) "). Get " (pass) " right, " (PASS_PERCENT) "%, for a certificate." }
        }
        p {
            "Answer in any order; each answer is checked at once and explained, for the option you picked and for the others. "
            @if let Some(module) = module { "The module's own page is " a href=(linker.url(&module.route())) { (module.title) } ". " }
            "Flashcards of these questions: " a href={ (linker.base()) "quiz/decks/" (quiz.module) ".apkg" } download { "Anki deck" } "."
        }
        div class="module-quiz" data-island="module-quiz" data-module=(quiz.module) data-title=(title) data-total=(total) {
            p class="module-quiz__score" role="status" { "Answer the questions below; your score appears here." }
        }
        @for (index, question) in quiz.questions.iter().enumerate() {
            (PreEscaped(question_form(site, question, Some(index + 1), linker)))
        }
    }
}

/// The top of a page under the quiz: the way back, the title, the summary and the page's words.
fn under_quiz(page: &StaticPage, linker: &Linker) -> Markup {
    html! {
        (super::breadcrumbs(&[("Quiz", linker.url("/quiz"))], &page.title))
        header class="page-header" {
            h1 { (page.title) }
            p class="lede" { (page.summary) }
        }
        div class="prose" { (PreEscaped(&page.body.html)) }
    }
}

/// `/quiz/practice/`: a set of questions chosen in the browser.
pub fn practice_main(page: &StaticPage, linker: &Linker) -> Markup {
    html! {
        (under_quiz(page, linker))
        div class="practice" data-island="practice" data-banks={ (linker.base()) "quiz/bank/" } {
            p class="practice__status" role="status" {
                "Practice chooses its questions in your browser, which needs JavaScript. Without it, every question is on "
                a href=(linker.url("/quiz")) { "the quiz page" } ", with its answer a click away."
            }
        }
    }
}

/// `/quiz/verify/`: recompute a certificate's code.
pub fn verify_main(site: &Site, page: &StaticPage, linker: &Linker) -> Markup {
    html! {
        (under_quiz(page, linker))
        form class="verify" data-island="verify" {
            label { span { "Name, as printed" } input type="text" name="name" autocomplete="off" required maxlength="80"; }
            label { span { "Module" }
                select name="module" {
                    @for module in &site.modules { option value=(module.slug) { (module.title) } }
                }
            }
            label { span { "Date (year-month-day)" } input type="text" name="date" placeholder="2026-12-07" autocomplete="off" required; }
            fieldset class="verify__score" {
                legend { "Score" }
                label { span { "Right" } input type="number" name="right" min="0" max="99" inputmode="numeric" required; }
                label { span { "Out of" } input type="number" name="total" min="1" max="99" inputmode="numeric" required; }
            }
            label { span { "Code" } input type="text" name="code" placeholder="7K3QD-W2M9X" autocomplete="off" required maxlength="20"; }
            button class="button button--primary" type="submit" { "Check" }
            p class="verify__result" role="status" {}
        }
    }
}

/// `/progress/`: filled in by the progress island from this browser's storage.
pub fn progress_main(site: &Site, page: &StaticPage, linker: &Linker) -> Markup {
    html! {
        header class="page-header" {
            h1 { (page.title) }
            p class="lede" { (page.summary) }
        }
        div class="prose" { (PreEscaped(&page.body.html)) }
        div class="progress" data-island="progress" data-quiz=(linker.url("/quiz")) {
            p class="progress__status" role="status" { "Your progress is read from this browser's storage, which needs JavaScript." }
            table class="progress__modules" {
                caption { "By module" }
                thead { tr { th scope="col" { "Module" } th scope="col" { "Pages read" } th scope="col" { "Best quiz score" } } }
                tbody {
                    @for module in &site.modules {
                        @let routes = module_routes(site, &module.slug, linker);
                        tr data-module=(module.slug) data-routes=(routes.join(" ")) {
                            th scope="row" { a href=(linker.url(&module.route())) { (module.title) } }
                            td data-cell="read" { "–" }
                            td data-cell="score" { a href=(linker.url(&format!("/quiz/{}", module.slug))) { "Take the quiz" } }
                        }
                    }
                }
            }
        }
    }
}

/// The routes a module counts as its reading: its own page and every topic page it links.
/// Routes are written as the progress store keeps them: without the base, with a final slash.
pub fn module_routes(site: &Site, slug: &str, linker: &Linker) -> Vec<String> {
    let Some(module) = site.modules.iter().find(|module| module.slug == slug) else { return Vec::new() };
    let mut routes = vec![format!("{}/", module.route())];
    for topic in &module.topics {
        if let Some(url) = topic.url.as_deref() {
            let path = url.split('#').next().unwrap_or(url);
            let Some(route) = path.strip_prefix(linker.base()).map(|rest| format!("/{rest}")) else { continue };
            if !routes.contains(&route) {
                routes.push(route);
            }
        }
    }
    routes
}

/// Each bank's HTML: the forms of its questions, fetched by the practice page.
pub fn banks(site: &Site, linker: &Linker) -> Vec<(String, String)> {
    let questions = site.questions();
    let mut banks: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();
    for question in &questions {
        banks.entry(question.bank()).or_default().push_str(&question_form(site, question, None, linker));
    }
    let index: String = questions.iter().map(|question| format!("{}\n", question.id)).collect();
    let mut files: Vec<(String, String)> = banks.into_iter().map(|(bank, html)| (format!("quiz/bank/{bank}.html"), html)).collect();
    // Every written question's id, one per line: the practice page draws its quick 10 from it.
    files.push(("quiz/bank/index.txt".to_string(), index));
    files
}
