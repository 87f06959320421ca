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

/// The text without its test code: an item under `#[cfg(test)]` written on
/// one line (`mod tests;`, a `use`) is left out, and at the first such
/// attribute over a longer item (an inline test module) the rest is.
fn production_part(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(line) = lines.get(at) {
        if line.trim() != "#[cfg(test)]" {
            out.push_str(line);
            out.push('\n');
            at += 1;
            continue;
        }
        let mut item = at + 1;
        while lines
            .get(item)
            .is_some_and(|l| l.trim_start().starts_with("#["))
        {
            item += 1;
        }
        match lines.get(item) {
            Some(l) if l.trim_end().ends_with(';') => at = item + 1,
            _ => break,
        }
    }
    out
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
            for named in named_modules(&text) {
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
    let named = named_modules(&production_part(text));
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["analytics", "domain"]
    );
}

/// The dashboard's files below its one state: the panes, the forms and what
/// the panes hand back. They are given what drawing needs and return what
/// they ask for; none of them may name the app, whose state holds them.
const BELOW_THE_APP: &[&str] = &[
    "tui/panes",
    "tui/forms",
    "tui/effect.rs",
    "tui/modal.rs",
    "tui/prompt.rs",
    "tui/mouse.rs",
    "tui/palette.rs",
    "tui/search_box.rs",
];

/// Whether a text names the dashboard's app module.
fn names_the_app(text: &str) -> bool {
    ["crate::tui::app", "super::app", "super::super::app"]
        .iter()
        .any(|path| {
            text.match_indices(path).any(|(at, _)| {
                let after = text[at + path.len()..].chars().next();
                !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
            })
        })
}

#[test]
fn no_pane_imports_the_app() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for below in BELOW_THE_APP {
        let path = root.join(below);
        if path.is_dir() {
            sources(&path, &mut files);
        } else {
            files.push(path);
        }
    }
    let wrong: Vec<String> = files
        .iter()
        .filter(|file| {
            std::fs::read_to_string(file).is_ok_and(|text| names_the_app(&production_part(&text)))
        })
        .map(|file| file.display().to_string())
        .collect();
    assert!(
        wrong.is_empty(),
        "files below the app that import it:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_check_sees_a_pane_naming_the_app() {
    assert!(names_the_app("use crate::tui::app::{App, Step};"));
    assert!(names_the_app("use super::super::app::App;"));
    assert!(!names_the_app("use crate::tui::application::X;"));
    assert!(!names_the_app("use crate::tui::action::Action;"));
}

/// The module path of a source file under `src` (`tui/panes/weekly/page.rs`
/// is `tui::panes::weekly::page`; a `mod.rs` is its folder's module).
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let mut segments: Vec<String> = file
        .strip_prefix(src)
        .unwrap_or(file)
        .with_extension("")
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if segments.last().is_some_and(|s| s == "mod") {
        segments.pop();
    }
    segments
}

/// The file that holds the longest leading part of a module path.
fn file_of(src: &Path, files: &BTreeSet<PathBuf>, path: &[String]) -> Option<PathBuf> {
    (1..=path.len()).rev().find_map(|n| {
        let base = path[..n].iter().fold(src.to_path_buf(), |p, s| p.join(s));
        [base.with_extension("rs"), base.join("mod.rs")]
            .into_iter()
            .find(|candidate| files.contains(candidate))
    })
}

/// `a::{b::{c, d}, e as f}` written out as `a::b::c a::b::d a::e`.
fn without_braces(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find("::{") {
        let start = rest[..open]
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .map_or(0, |at| at + 1);
        let Some(close) = matching_brace(&rest[open + 2..]).map(|at| open + 2 + at) else {
            break;
        };
        out.push_str(&rest[..start]);
        for path in expanded(&rest[start..open], &rest[open + 3..close]) {
            out.push_str(&format!(" {path} "));
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Where the brace opening `text` closes.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// The paths of `prefix::{items}`, nested groups written out.
fn expanded(prefix: &str, items: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut depth, mut from) = (0usize, 0);
    for (at, c) in items.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&items[from..at]);
                from = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&items[from..]);
    let mut paths = Vec::new();
    for part in parts {
        let part = part.split(" as ").next().unwrap_or("").trim();
        if part.is_empty() {
            continue;
        }
        match part.find("::{") {
            Some(open) => {
                let inner_end =
                    matching_brace(&part[open + 2..]).map_or(part.len(), |at| open + 2 + at);
                let inner = part.get(open + 3..inner_end).unwrap_or("");
                paths.extend(expanded(&format!("{prefix}::{}", &part[..open]), inner));
            }
            None if part == "self" => paths.push(prefix.to_string()),
            None => paths.push(format!("{prefix}::{part}")),
        }
    }
    paths
}

/// The modules a file declares as its own (`mod x;`, `pub mod x;`).
fn child_modules(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let declared = line.strip_prefix("mod ").or_else(|| {
                line.strip_prefix("pub")
                    .and_then(|l| l.split_once("mod "))
                    .filter(|(visibility, _)| {
                        let visibility = visibility.trim();
                        visibility.is_empty() || visibility.starts_with('(')
                    })
                    .map(|(_, name)| name)
            })?;
            let name = declared.strip_suffix(';')?.trim();
            (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| name.to_string())
        })
        .collect()
}

/// The files of `src` each file names by a `crate::`, `super::` or `self::`
/// path, or by a path of one of its own modules; a file's ancestors (its
/// module's faces) are not counted.
fn file_imports(src: &Path, files: &BTreeSet<PathBuf>) -> Vec<(PathBuf, BTreeSet<PathBuf>)> {
    files
        .iter()
        .map(|file| {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            let text = without_braces(&production_part(&text));
            let own = module_path(src, file);
            let mut named = BTreeSet::new();
            let children = child_modules(&text);
            let heads: Vec<String> = ["crate::", "super::", "self::"]
                .into_iter()
                .map(str::to_string)
                .chain(children.iter().map(|c| format!("{c}::")))
                .collect();
            for head in &heads {
                for (at, _) in text.match_indices(head) {
                    let before = text[..at].chars().next_back();
                    if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':') {
                        continue;
                    }
                    let path: String = text[at..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    let mut segments: Vec<&str> =
                        path.split("::").filter(|s| !s.is_empty()).collect();
                    let mut full: Vec<String> = if segments.first() == Some(&"crate") {
                        segments.remove(0);
                        Vec::new()
                    } else if segments.first() == Some(&"self") {
                        segments.remove(0);
                        own.clone()
                    } else if segments.first() != Some(&"super") {
                        // A path of one of the file's own modules.
                        own.clone()
                    } else {
                        let mut base = own.clone();
                        while segments.first() == Some(&"super") {
                            segments.remove(0);
                            base.pop();
                        }
                        base
                    };
                    full.extend(segments.iter().map(|s| s.to_string()));
                    // A folder's `mod.rs` (or `x.rs` over `x/`) is the face
                    // of its files: a file may name what its ancestors hold.
                    if let Some(target) = file_of(src, files, &full)
                        && target != *file
                        && !own.starts_with(&module_path(src, &target))
                    {
                        named.insert(target);
                    }
                }
            }
            (file.clone(), named)
        })
        .collect()
}

/// The groups of files that import each other round (Tarjan's strongly
/// connected components of more than one file).
fn cycles(imports: &[(PathBuf, BTreeSet<PathBuf>)]) -> Vec<Vec<PathBuf>> {
    struct Walk<'a> {
        imports: &'a [(PathBuf, BTreeSet<PathBuf>)],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        stack: Vec<usize>,
        on_stack: Vec<bool>,
        next: usize,
        found: Vec<Vec<PathBuf>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: usize) {
            self.index[v] = Some(self.next);
            self.low[v] = self.next;
            self.next += 1;
            self.stack.push(v);
            self.on_stack[v] = true;
            let targets: Vec<usize> = self.imports[v]
                .1
                .iter()
                .filter_map(|t| self.imports.iter().position(|(f, _)| f == t))
                .collect();
            for w in targets {
                match self.index[w] {
                    None => {
                        self.visit(w);
                        self.low[v] = self.low[v].min(self.low[w]);
                    }
                    Some(i) if self.on_stack[w] => self.low[v] = self.low[v].min(i),
                    Some(_) => {}
                }
            }
            if Some(self.low[v]) == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack[w] = false;
                    group.push(self.imports[w].0.clone());
                    if w == v {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.found.push(group);
                }
            }
        }
    }
    let n = imports.len();
    let mut walk = Walk {
        imports,
        index: vec![None; n],
        low: vec![0; n],
        stack: Vec::new(),
        on_stack: vec![false; n],
        next: 0,
        found: Vec::new(),
    };
    for v in 0..n {
        if walk.index[v].is_none() {
            walk.visit(v);
        }
    }
    walk.found
}

/// The code reads top down: no two files import each other, however far
/// round.
#[test]
fn no_import_cycle_between_the_files() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    sources(&src, &mut found);
    let files: BTreeSet<PathBuf> = found.into_iter().collect();
    let round = cycles(&file_imports(&src, &files));
    assert!(
        round.is_empty(),
        "files that import each other round:\n{round:#?}"
    );
}

#[test]
fn the_cycle_check_sees_files_importing_each_other() {
    let imports = vec![
        (
            PathBuf::from("a.rs"),
            BTreeSet::from([PathBuf::from("b.rs")]),
        ),
        (
            PathBuf::from("b.rs"),
            BTreeSet::from([PathBuf::from("c.rs")]),
        ),
        (
            PathBuf::from("c.rs"),
            BTreeSet::from([PathBuf::from("a.rs")]),
        ),
        (
            PathBuf::from("d.rs"),
            BTreeSet::from([PathBuf::from("a.rs")]),
        ),
    ];
    assert_eq!(
        cycles(&imports),
        [vec![
            PathBuf::from("a.rs"),
            PathBuf::from("b.rs"),
            PathBuf::from("c.rs")
        ]]
    );
    assert_eq!(
        without_braces("use super::{data::Row, text};"),
        "use  super::data::Row  super::text ;"
    );
    assert_eq!(
        without_braces("use super::{panes::{list, card as c}, data};"),
        "use  super::panes::list  super::panes::card  super::data ;"
    );
    assert_eq!(
        child_modules("mod a;\npub mod b;\npub(crate) mod c;\nmod d {\n"),
        ["a", "b", "c"]
    );
}

/// A test module declared at the top of a file hides nothing below it; an
/// inline test module ends what is read.
#[test]
fn test_code_is_left_out_and_nothing_else() {
    let text = "#[cfg(test)]\nmod test_support;\nuse crate::tui::app::App;\n\
                #[cfg(test)]\n#[path = \"x_tests.rs\"]\nmod tests;\nuse crate::store::S;\n\
                #[cfg(test)]\nmod inline {\n    use crate::cli::C;\n}\n";
    let read = production_part(text);
    assert!(read.contains("crate::tui::app"), "{read}");
    assert!(read.contains("crate::store::S"), "{read}");
    assert!(
        !read.contains("test_support") && !read.contains("crate::cli"),
        "{read}"
    );
}
