//! The layers of [`crate`], held by a test that reads the `crate::` paths of
//! every source file: an arrow running back up (the store importing the
//! analytics, the report layer importing the argument parser, a pane
//! importing the command line) fails here, not in a review.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top module and the modules it may name. Test code (files named
/// `*tests.rs`, `tests/` folders and inline `#[cfg(test)]` modules) may reach
/// further and is not read.
const MAY_USE: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("formats", &["domain"]),
    ("analytics", &["domain"]),
    ("store", &["domain", "formats"]),
    ("search", &["domain", "formats"]),
    ("i18n", &["domain", "analytics", "formats", "store"]),
    ("report", &["domain", "analytics", "formats", "i18n"]),
    ("config", &["domain", "analytics", "formats", "i18n"]),
    ("figures", &["domain", "analytics", "store", "config"]),
    (
        "demo",
        &[
            "domain",
            "analytics",
            "formats",
            "store",
            "figures",
            "config",
            "i18n",
        ],
    ),
    (
        "tui",
        &[
            "domain",
            "analytics",
            "formats",
            "store",
            "search",
            "figures",
            "config",
            "i18n",
            "report",
        ],
    ),
    (
        "cli",
        &[
            "domain",
            "analytics",
            "formats",
            "store",
            "search",
            "figures",
            "config",
            "i18n",
            "report",
            "demo",
            "tui",
        ],
    ),
];

/// Crates only the command line may name.
const FACE_ONLY_CRATES: &[(&str, &str)] = &[("clap", "cli")];

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "tests" && name != "snapshots" {
                sources(&path, out);
            }
        } else if name.ends_with(".rs") && !name.ends_with("tests.rs") {
            out.push(path);
        }
    }
}

/// The text before the first inline test module.
fn production_part(text: &str) -> &str {
    text.find("#[cfg(test)]").map_or(text, |at| &text[..at])
}

/// The top modules a text names as `crate::x`.
fn named_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices("crate::") {
        let rest = &text[at + "crate::".len()..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.insert(name);
        }
    }
    out
}

#[test]
fn no_arrow_runs_back_up_between_the_layers() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (module, allowed) in MAY_USE {
        let mut files = Vec::new();
        let dir = root.join(module);
        if dir.is_dir() {
            sources(&dir, &mut files);
        } else {
            files.push(root.join(format!("{module}.rs")));
        }
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let text = production_part(&text);
            for named in named_modules(text) {
                if named != *module && !allowed.contains(&named.as_str()) {
                    wrong.push(format!("{} uses crate::{named}", file.display()));
                }
            }
            for (krate, face) in FACE_ONLY_CRATES {
                let named =
                    text.contains(&format!("{krate}::")) || text.contains(&format!("use {krate}"));
                if named && module != face {
                    wrong.push(format!("{} uses the {krate} crate", file.display()));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows running back up:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_top_module_has_its_place_in_the_layers_and_in_the_map() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(root.join("lib.rs")).unwrap_or_default();
    for line in lib.lines() {
        if let Some(name) = line
            .trim()
            .strip_prefix("pub mod ")
            .and_then(|l| l.strip_suffix(';'))
        {
            assert!(
                MAY_USE.iter().any(|(m, _)| *m == name),
                "{name} is in lib.rs but not in the layers' table"
            );
            assert!(
                lib.contains(&format!("//! - [`{name}`]"))
                    || lib.contains(&format!("[`{name}`] (")),
                "{name} is in lib.rs but not in its map of the layers"
            );
            let own = root.join(name).join("mod.rs");
            let own = if own.is_file() {
                own
            } else {
                root.join(format!("{name}.rs"))
            };
            let text = std::fs::read_to_string(&own).unwrap_or_default();
            let head: String = text.lines().take_while(|l| l.starts_with("//!")).collect();
            assert!(
                head.contains("May import"),
                "{} does not say what it may import",
                own.display()
            );
        }
    }
}

#[test]
fn the_check_sees_a_wrong_arrow() {
    let text = "use crate::analytics::rules::Rule;\nuse crate::domain::X;\n#[cfg(test)]\nuse crate::tui::Y;";
    let named = named_modules(production_part(text));
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["analytics", "domain"]
    );
}
