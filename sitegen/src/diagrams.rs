//! Loads `content/diagrams/*.toml`, renders each one and fails the build, naming the diagram,
//! on any lint problem.

use crate::error::{line_at, read_toml, ContentError, ContentErrors};
use atlas_components::diagram::spec::DiagramSpec;
use atlas_components::diagram::{render, RenderedDiagram};
use std::collections::BTreeMap;
use std::path::Path;

pub fn load_diagrams(dir: &Path, errors: &mut ContentErrors) -> BTreeMap<String, RenderedDiagram> {
    let mut diagrams = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return diagrams;
    };
    let mut paths: Vec<_> = entries.filter_map(|entry| entry.ok().map(|entry| entry.path())).filter(|path| path.extension().is_some_and(|ext| ext == "toml")).collect();
    paths.sort();
    for path in paths {
        let name = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default().to_string();
        let Some((text, spec)) = read_toml::<DiagramSpec>(&path, &format!("diagram `{name}`: "), errors) else {
            continue;
        };
        match render(&name, &spec) {
            Ok(diagram) => {
                diagrams.insert(name, diagram);
            }
            Err(problems) => {
                for problem in problems {
                    errors.push(ContentError::new(&path, line_for(&text, &problem), format!("diagram `{name}`: {problem}")));
                }
            }
        }
    }
    diagrams
}

/// Points a lint message at the line that defines the first element it names in backticks.
fn line_for(text: &str, problem: &str) -> usize {
    let named = problem.split('`').skip(1).step_by(2);
    for name in named {
        for pattern in [format!("id = \"{name}\""), format!("label = \"{name}\"")] {
            if let Some(at) = text.find(&pattern) {
                return line_at(text, at);
            }
        }
    }
    1
}
