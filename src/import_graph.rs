//! The layers of docs/ARCHITECTURE as a test: reads the source tree and fails on an arrow
//! that points up (server, store or domain reaching into the ui; the domain reaching into
//! IO) and on a circle between the modules of one layer. Circles hide which module owns a
//! type; an arrow up drags browser code into the server or IO into the pure domain.
//!
//! The graph is built from the paths the code names (`use crate::domain::x`, `super::x`,
//! `crate::server::x::f()` in a body), resolved against the module they are written in.
//! Test code is left out: a test may reach anywhere.
//!
//! Long because a small Rust import reader lives here beside the layer rules; two thirds
//! of it are the rules' own tests.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One path the code names, resolved to start below `crate` ("domain", "material", …).
#[derive(Debug, Clone)]
struct Reference {
    /// The module the path is written in, below `crate`.
    from: Vec<String>,
    to: Vec<String>,
    file: String,
    line: usize,
}

/// Source with comments, string and char literals blanked out (newlines kept, so line
/// numbers stay right): braces and paths inside them are not code.
fn code_only(source: &str) -> String {
    let chars: Vec<char> = source.chars().collect();
    let mut out = String::with_capacity(source.len());
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && matches!(next, Some('"' | '#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string r"…" or r#"…"#; `r#ident` is a raw identifier.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            let closing: String = std::iter::once('"')
                .chain(std::iter::repeat_n('#', hashes))
                .collect();
            let body_start = j + 1;
            let rest: String = chars[body_start..].iter().collect();
            let body_len = rest
                .find(&closing)
                .map_or(rest.chars().count(), |at| rest[..at].chars().count());
            let end = (body_start + body_len + closing.chars().count()).min(chars.len());
            out.extend(chars[i..end].iter().map(|&c| blank(c)));
            i = end;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A char literal ('{', '\n', '\u{4e00}') or a lifetime ('a).
            let end = if next == Some('\\') {
                (i + 3..chars.len()).find(|&j| chars[j] == '\'')
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    out.extend(std::iter::repeat_n(' ', end + 1 - i));
                    i = end + 1;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Reads one path (`a::b::{c, d::e}`) from `chars[at..]`: every full path it names, and
/// where it ends.
fn read_path(chars: &[char], mut at: usize, prefix: &[String]) -> (Vec<Vec<String>>, usize) {
    let mut segments = prefix.to_vec();
    loop {
        while chars.get(at).is_some_and(|c| c.is_whitespace()) {
            at += 1;
        }
        if chars.get(at) == Some(&'{') {
            // A group: each member is a path below what came before.
            let mut found = Vec::new();
            at += 1;
            loop {
                while chars
                    .get(at)
                    .is_some_and(|c| c.is_whitespace() || *c == ',')
                {
                    at += 1;
                }
                match chars.get(at) {
                    None => return (found, at),
                    Some('}') => return (found, at + 1),
                    _ => {
                        let (paths, end) = read_path(chars, at, &segments);
                        found.extend(paths);
                        // Skip `as name` and anything else up to the next member.
                        at = end;
                        let mut depth = 0;
                        while let Some(&c) = chars.get(at) {
                            match c {
                                '{' => depth += 1,
                                '}' if depth == 0 => break,
                                '}' => depth -= 1,
                                ',' if depth == 0 => break,
                                _ => {}
                            }
                            at += 1;
                        }
                    }
                }
            }
        }
        let start = at;
        while chars
            .get(at)
            .copied()
            .is_some_and(|c| is_ident(c) || c == '*')
        {
            at += 1;
        }
        if at == start {
            return (vec![segments], at);
        }
        segments.push(chars[start..at].iter().collect());
        let mut look = at;
        while chars.get(look).is_some_and(|c| c.is_whitespace()) {
            look += 1;
        }
        if chars.get(look) == Some(&':') && chars.get(look + 1) == Some(&':') {
            at = look + 2;
        } else {
            return (vec![segments], at);
        }
    }
}

/// Every `crate::…` and `super::…` path of one file, resolved, with test modules left out.
fn references(source: &str, module: &[String], file: &str) -> Vec<Reference> {
    let code = code_only(source);
    let chars: Vec<char> = code.chars().collect();
    let newlines: Vec<usize> = (0..chars.len()).filter(|&i| chars[i] == '\n').collect();
    let line_of = |at: usize| newlines.partition_point(|&n| n < at) + 1;
    let mut found = Vec::new();
    // Inline modules open around the current point: (name, brace depth inside it).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut test_attribute_at: Option<usize> = None;
    let mut at = 0;
    while at < chars.len() {
        let c = chars[at];
        if c == '{' {
            depth += 1;
            at += 1;
            continue;
        }
        if c == '}' {
            if inline.last().is_some_and(|(_, d)| *d == depth) {
                inline.pop();
            }
            depth = depth.saturating_sub(1);
            at += 1;
            continue;
        }
        if c == '#' && starts_at(&chars, at, "#[cfg(test)]") {
            test_attribute_at = Some(at);
        }
        let starts_word = !chars.get(at.wrapping_sub(1)).copied().is_some_and(is_ident)
            && (at < 2 || !(chars[at - 1] == ':' && chars[at - 2] == ':'));
        if !starts_word || !is_ident(c) {
            at += 1;
            continue;
        }
        let word_end = (at..chars.len())
            .find(|&j| !is_ident(chars[j]))
            .unwrap_or(chars.len());
        let word: String = chars[at..word_end].iter().collect();
        if word == "mod" {
            let name_start = (word_end..chars.len())
                .find(|&j| !chars[j].is_whitespace())
                .unwrap_or(chars.len());
            let name_end = (name_start..chars.len())
                .find(|&j| !is_ident(chars[j]))
                .unwrap_or(chars.len());
            let name: String = chars[name_start..name_end].iter().collect();
            let after = (name_end..chars.len()).find(|&j| !chars[j].is_whitespace());
            let is_test = test_attribute_at.is_some_and(|t| only_attributes_between(&chars[t..at]));
            if let Some(open) = after.filter(|&j| chars[j] == '{') {
                if is_test {
                    // Skip the whole test module.
                    let mut inner = 0usize;
                    let mut j = open;
                    while j < chars.len() {
                        match chars[j] {
                            '{' => inner += 1,
                            '}' => {
                                inner -= 1;
                                if inner == 0 {
                                    break;
                                }
                            }
                            _ => {}
                        }
                        j += 1;
                    }
                    at = j + 1;
                } else {
                    inline.push((name, depth + 1));
                    at = open;
                }
                test_attribute_at = None;
                continue;
            }
            at = name_end;
            continue;
        }
        if word == "crate" || word == "super" {
            let (paths, end) = read_path(&chars, at, &[]);
            let here: Vec<String> = module
                .iter()
                .cloned()
                .chain(inline.iter().map(|(name, _)| name.clone()))
                .collect();
            for path in paths {
                if let Some(to) = resolve(&path, &here) {
                    found.push(Reference {
                        from: module.to_vec(),
                        to,
                        file: file.to_string(),
                        line: line_of(at),
                    });
                }
            }
            at = end;
            continue;
        }
        at = word_end;
    }
    found
}

fn starts_at(chars: &[char], at: usize, text: &str) -> bool {
    let wanted: Vec<char> = text.chars().collect();
    chars[at..].starts_with(&wanted)
}

/// Whether only visibility and other attributes stand between `#[cfg(test)]` and `mod`.
fn only_attributes_between(between: &[char]) -> bool {
    let mut rest = String::new();
    let mut depth = 0usize;
    let mut at = 0;
    while at < between.len() {
        if depth == 0 && between[at] == '#' && between.get(at + 1) == Some(&'[') {
            depth = 1;
            at += 2;
            continue;
        }
        if depth > 0 {
            match between[at] {
                '[' => depth += 1,
                ']' => depth -= 1,
                _ => {}
            }
        } else {
            rest.push(between[at]);
        }
        at += 1;
    }
    matches!(rest.trim(), "" | "pub" | "pub(crate)" | "pub(super)")
}

/// `super::super::x` written in `here` as a path below `crate`.
fn resolve(path: &[String], here: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = here.to_vec();
    let mut rest = path;
    match rest.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            rest = &rest[1..];
        }
        Some("super") => {
            while rest.first().map(String::as_str) == Some("super") {
                base.pop()?;
                rest = &rest[1..];
            }
        }
        _ => return None,
    }
    base.extend(rest.iter().filter(|s| s.as_str() != "*").cloned());
    Some(base)
}

/// The module a file holds, below `crate`: `src/domain/import/numbering.rs` →
/// `domain::import::numbering`.
fn module_of(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> = relative
        .iter()
        .map(|part| part.to_string_lossy().into_owned())
        .collect();
    if let Some(last) = parts.last_mut() {
        *last = last.trim_end_matches(".rs").to_string();
    }
    if parts
        .last()
        .is_some_and(|last| last == "lib" || last == "main")
    {
        parts.pop();
    }
    parts
}

/// Every code file of the crate (test-only files left out) with the paths it names.
fn crate_references(src: &Path) -> Vec<Reference> {
    let mut files = Vec::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src/ is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    let read = |path: &PathBuf| std::fs::read_to_string(path).expect("a source file");
    // `#[cfg(test)] mod fixtures;` makes `fixtures.rs` test code.
    let mut test_only: BTreeSet<PathBuf> = BTreeSet::new();
    for path in &files {
        let code = code_only(&read(path));
        let dir = path.with_extension("");
        let mut rest = code.as_str();
        while let Some(at) = rest.find("#[cfg(test)]") {
            rest = &rest[at + "#[cfg(test)]".len()..];
            let item = rest
                .trim_start()
                .trim_start_matches("pub(crate)")
                .trim_start_matches("pub")
                .trim_start();
            if let Some(name) = item
                .strip_prefix("mod ")
                .and_then(|after| after.split_once(';'))
                .map(|(name, _)| name.trim())
                .filter(|name| name.chars().all(is_ident))
            {
                let sibling = if path.ends_with("lib.rs") || path.ends_with("main.rs") {
                    src.join(format!("{name}.rs"))
                } else {
                    dir.join(format!("{name}.rs"))
                };
                test_only.insert(sibling);
            }
        }
    }
    files
        .iter()
        .filter(|path| !test_only.contains(*path))
        .flat_map(|path| {
            let relative = path.strip_prefix(src).expect("a file under src/");
            references(
                &read(path),
                &module_of(relative),
                &format!("src/{}", relative.display()),
            )
        })
        .collect()
}

/// References from modules under `from` to modules under `to`.
fn arrows<'a>(all: &'a [Reference], from: &str, to: &str) -> Vec<&'a Reference> {
    all.iter()
        .filter(|r| r.from.first().is_some_and(|m| m == from))
        .filter(|r| r.to.first().is_some_and(|m| m == to))
        .collect()
}

fn describe(references: &[&Reference]) -> String {
    references
        .iter()
        .map(|r| format!("  {}:{} names {}", r.file, r.line, r.to.join("::")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A circle between the modules right below `layer` (`domain::cycle` → `domain::material`
/// → `domain::cycle`), as the modules in order with the line behind each arrow.
fn circle(all: &[Reference], layer: &str) -> Option<String> {
    // module → module it names → the first line that does.
    let mut graph: BTreeMap<&str, BTreeMap<&str, &Reference>> = BTreeMap::new();
    for reference in all {
        if let ([from_layer, from, ..], [to_layer, to, ..]) =
            (reference.from.as_slice(), reference.to.as_slice())
            && from_layer == layer
            && to_layer == layer
            && from != to
        {
            graph
                .entry(from.as_str())
                .or_default()
                .entry(to.as_str())
                .or_insert(reference);
        }
    }
    // Depth-first search; a module met again while still on the path closes a circle.
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, BTreeMap<&'a str, &'a Reference>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<Vec<&'a str>> {
        if let Some(start) = path.iter().position(|&n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node);
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node);
        for &next in graph.get(node).into_iter().flat_map(|edges| edges.keys()) {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node);
        None
    }
    let mut done = BTreeSet::new();
    for &start in graph.keys() {
        if let Some(found) = visit(start, &graph, &mut Vec::new(), &mut done) {
            let lines: Vec<String> = found
                .windows(2)
                .map(|pair| {
                    let r = graph[pair[0]][pair[1]];
                    format!(
                        "  {layer}::{} → {layer}::{}  ({}:{})",
                        pair[0], pair[1], r.file, r.line
                    )
                })
                .collect();
            return Some(lines.join("\n"));
        }
    }
    None
}

fn the_crate() -> Vec<Reference> {
    crate_references(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn nothing_below_the_ui_names_the_ui() {
    let all = the_crate();
    for layer in ["server", "store", "domain"] {
        let up = arrows(&all, layer, "ui");
        assert!(
            up.is_empty(),
            "{layer} reaches into the ui:\n{}",
            describe(&up)
        );
    }
}

#[test]
fn the_domain_names_no_layer_that_does_io() {
    let all = the_crate();
    for io in [
        "server", "store", "auth", "web", "cli", "seed", "config", "export", "ui",
    ] {
        let up = arrows(&all, "domain", io);
        assert!(
            up.is_empty(),
            "the domain reaches into {io}:\n{}",
            describe(&up)
        );
    }
}

#[test]
fn the_store_names_no_server_function() {
    let all = the_crate();
    let up = arrows(&all, "store", "server");
    assert!(
        up.is_empty(),
        "the store reaches into the server:\n{}",
        describe(&up)
    );
}

#[test]
fn no_circle_between_the_modules_of_the_domain() {
    if let Some(found) = circle(&the_crate(), "domain") {
        panic!("a circle inside the domain:\n{found}");
    }
}

#[test]
fn no_circle_between_the_server_modules() {
    if let Some(found) = circle(&the_crate(), "server") {
        panic!("a circle inside the server:\n{found}");
    }
}

/// Whether a module path starts with `prefix`.
fn under(path: &[String], prefix: &[&str]) -> bool {
    path.len() >= prefix.len() && path.iter().zip(prefix).all(|(a, b)| a == b)
}

/// Pages share pieces through `ui::components`, never by naming each other.
fn pages_naming_pages(all: &[Reference]) -> Vec<&Reference> {
    all.iter()
        .filter(|r| under(&r.from, &["ui", "pages"]) && under(&r.to, &["ui", "pages"]))
        .filter(|r| r.from.get(2).is_some() && r.to.get(2) != r.from.get(2))
        .collect()
}

#[test]
fn no_page_names_another_page() {
    let all = the_crate();
    let across = pages_naming_pages(&all);
    assert!(
        across.is_empty(),
        "pages naming other pages:\n{}",
        describe(&across)
    );
}

#[test]
fn no_component_names_a_page() {
    let all = the_crate();
    let up: Vec<&Reference> = all
        .iter()
        .filter(|r| under(&r.from, &["ui", "components"]) && under(&r.to, &["ui", "pages"]))
        .collect();
    assert!(up.is_empty(), "components naming pages:\n{}", describe(&up));
}

// The checker itself, on planted code: each arrow the layers forbid is found.

fn planted(files: &[(&str, &str)]) -> Vec<Reference> {
    files
        .iter()
        .flat_map(|(file, source)| {
            let module = module_of(Path::new(file));
            references(source, &module, file)
        })
        .collect()
}

#[test]
fn a_server_module_naming_the_ui_is_caught_in_every_spelling() {
    for source in [
        "use crate::ui::components::autosave::destination;",
        "use crate::{domain::x, ui::pages::Home};",
        "fn f() { let _ = crate::ui::components::autosave::destination(\"a\", \"b\"); }",
        "mod inner { use super::super::super::ui::pages; }",
        "use super::super::ui::pages::Home;",
    ] {
        let all = planted(&[("server/materials.rs", source)]);
        assert_eq!(arrows(&all, "server", "ui").len(), 1, "{source}");
    }
}

#[test]
fn paths_in_comments_strings_and_tests_are_not_arrows() {
    let source = r##"
        // use crate::ui::pages::Home;
        /* crate::ui::x */
        const A: &str = "crate::ui::x";
        const B: &str = r#"crate::ui::"x""#;
        const C: char = '{';
        fn f<'a>(x: &'a str) -> &'a str { x }
        #[cfg(test)]
        mod tests {
            use crate::ui::pages::Home;
        }
        use crate::domain::material::Material;
    "##;
    let all = planted(&[("server/materials.rs", source)]);
    assert!(arrows(&all, "server", "ui").is_empty());
    assert_eq!(arrows(&all, "server", "domain").len(), 1);
}

#[test]
fn a_planted_circle_is_reported_with_its_lines() {
    let all = planted(&[
        ("domain/cycle.rs", "use super::material::Material;"),
        (
            "domain/material.rs",
            "\npub struct Item { source: Option<super::cycle::ProblemSource> }",
        ),
        ("domain/meeting.rs", "use super::material::Material;"),
    ]);
    let found = circle(&all, "domain").expect("the circle");
    assert!(
        found.contains("domain::cycle → domain::material"),
        "{found}"
    );
    assert!(
        found.contains("domain::material → domain::cycle  (domain/material.rs:2)"),
        "{found}"
    );
    let broken = planted(&[
        ("domain/cycle.rs", "use super::material::Material;"),
        ("domain/material.rs", "pub enum ProblemSource {}"),
    ]);
    assert_eq!(circle(&broken, "domain"), None);
}

#[test]
fn a_page_naming_another_page_is_caught() {
    let all = planted(&[
        (
            "ui/pages/dashboard.rs",
            "fn f() { crate::ui::pages::cycle::meeting_tabs(\"m\", \"\"); }",
        ),
        ("ui/pages/editor.rs", "use super::review::comment_list;"),
        (
            "ui/pages/cycle.rs",
            "use crate::ui::components::meeting_tabs::meeting_tabs;",
        ),
    ]);
    assert_eq!(pages_naming_pages(&all).len(), 2);
}

#[test]
fn a_submodule_belongs_to_its_top_module() {
    let all = planted(&[
        (
            "domain/import/numbering.rs",
            "use super::super::outline::chinese_number;",
        ),
        ("domain/outline.rs", "use crate::domain::import::numbering;"),
    ]);
    assert!(circle(&all, "domain").is_some());
}

/// Files past this many lines say at their top why they are that long ("Long because …").
const LONG_FILE_LINES: usize = 650;

#[test]
fn a_long_file_says_why_at_its_top() {
    fn walk(dir: &Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let header: Vec<&str> = text.lines().take_while(|l| l.starts_with("//!")).collect();
                if text.lines().count() > LONG_FILE_LINES
                    && !header
                        .iter()
                        .any(|l| l.contains("Long because") || l.contains("Test data"))
                {
                    found.push(path.display().to_string());
                }
            }
        }
    }
    let mut unexplained = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut unexplained,
    );
    assert!(
        unexplained.is_empty(),
        "over {LONG_FILE_LINES} lines without a reason at the top: {unexplained:?}"
    );
}
