//! The produced .docx files rendered by LibreOffice (headless) to PDF and measured there:
//! docs/DOMAIN.md §5 wants the layout verified by rendering, not by reasoning. The faces of
//! the standard are mapped to free ones by `docs/fontconfig/65-xingshen-official-fonts.conf`.
//!
//! Needs `soffice` and poppler's `pdftotext` / `pdffonts`; the test command installs them and
//! sets `XINGSHEN_REQUIRE_SOFFICE`, so there a missing tool fails instead of skipping.

use quick_xml::events::Event;
use std::path::{Path, PathBuf};
use std::process::Command;
use xingshen::domain::import::parse_text;
use xingshen::export::docx::{BookCover, BookEntry, book_docx, material_docx};

/// Points per millimetre.
const MM: f64 = 72.0 / 25.4;
const PAGE_WIDTH: f64 = 210.0 * MM;
/// Bottom edge of the type area: 35 mm above the paper's bottom.
const TYPE_AREA_BOTTOM: f64 = (297.0 - 35.0) * MM;
/// One 4号 character (14 pt), the page number's distance from the type area's edge.
const ONE_CHARACTER: f64 = 14.0;

fn tools_present() -> bool {
    let present = ["soffice", "pdftotext", "pdffonts"].iter().all(|tool| {
        Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success() || !o.stderr.is_empty() || !o.stdout.is_empty())
    });
    if !present {
        assert!(
            std::env::var_os("XINGSHEN_REQUIRE_SOFFICE").is_none(),
            "soffice, pdftotext and pdffonts are required (the test command installs them)"
        );
        eprintln!("skipped: soffice / pdftotext / pdffonts not installed");
    }
    present
}

/// A scratch directory with a fontconfig file that adds the project's font aliases.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xingshen-lo-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let aliases = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/fontconfig/65-xingshen-official-fonts.conf");
    std::fs::write(
        dir.join("fonts.conf"),
        format!(
            r#"<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <include>{}</include>
  <cachedir>{}</cachedir>
</fontconfig>
"#,
            aliases.display(),
            dir.join("fontcache").display()
        ),
    )
    .unwrap();
    dir
}

/// Converts `bytes` (a .docx) to PDF with LibreOffice; returns the PDF's path.
fn to_pdf(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let docx = dir.join(format!("{name}.docx"));
    std::fs::write(&docx, bytes).unwrap();
    let convert = || {
        Command::new("soffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                dir.join("profile").display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(dir)
            .arg(&docx)
            .env("FONTCONFIG_FILE", dir.join("fonts.conf"))
            .output()
            .expect("soffice runs")
    };
    let pdf = dir.join(format!("{name}.pdf"));
    // LibreOffice's first start in a new profile now and then aborts while it sets the
    // profile up ("Unspecified Application Error"); the second start finds it made.
    let mut converted = convert();
    if !(converted.status.success() && pdf.is_file()) {
        converted = convert();
    }
    assert!(
        converted.status.success() && pdf.is_file(),
        "LibreOffice could not convert {name}.docx: {}",
        String::from_utf8_lossy(&converted.stderr)
    );
    pdf
}

fn run(command: &mut Command) -> String {
    let output = command.output().expect("poppler tool runs");
    assert!(output.status.success(), "{command:?} failed");
    String::from_utf8(output.stdout).unwrap()
}

/// `pdftotext` in the given mode (`-raw`, `-bbox`), to standard output.
fn pdf_text(pdf: &Path, mode: &str) -> String {
    run(Command::new("pdftotext").arg(mode).arg(pdf).arg("-"))
}

/// The text lines of each page, in reading order.
fn page_lines(pdf: &Path) -> Vec<Vec<String>> {
    let text = pdf_text(pdf, "-raw");
    let mut pages: Vec<Vec<String>> = text
        .split('\u{c}')
        .map(|page| {
            page.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect()
        })
        .collect();
    if pages.last().is_some_and(Vec::is_empty) {
        pages.pop();
    }
    pages
}

#[derive(Debug)]
struct Word {
    page: usize,
    text: String,
    x_min: f64,
    y_min: f64,
    x_max: f64,
    y_max: f64,
}

/// Every word of the PDF with its box, in points from the page's top left corner.
fn words(pdf: &Path) -> (Vec<(f64, f64)>, Vec<Word>) {
    let xml = pdf_text(pdf, "-bbox");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut pages, mut words) = (Vec::new(), Vec::new());
    let number = |e: &quick_xml::events::BytesStart, name: &str| -> f64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name.as_bytes())
            .map(|a| String::from_utf8_lossy(&a.value).parse().unwrap())
            .unwrap()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"page" => {
                pages.push((number(&e, "width"), number(&e, "height")));
            }
            Event::Start(e) if e.name().as_ref() == b"word" => words.push(Word {
                page: pages.len(),
                text: String::new(),
                x_min: number(&e, "xMin"),
                y_min: number(&e, "yMin"),
                x_max: number(&e, "xMax"),
                y_max: number(&e, "yMax"),
            }),
            Event::Text(text) => {
                if let Some(word) = words.last_mut().filter(|w| w.text.is_empty()) {
                    word.text = String::from_utf8_lossy(&text).into_owned();
                }
            }
            Event::Eof => return (pages, words),
            _ => {}
        }
    }
}

fn is_page_number(line: &str) -> bool {
    let inner = line.trim_matches(|c: char| c == '—' || c.is_whitespace());
    line.starts_with('—') && !inner.is_empty() && inner.chars().all(|c| c.is_ascii_digit())
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

const SENTENCE: &str =
    "学习贯彻党的创新理论不够深入系统，对照检查发现自身在理论武装方面存在明显差距。";

fn long_draft() -> String {
    let body = SENTENCE.repeat(40);
    format!(
        "在2026年度组织生活会上的对照检查材料\n张明\n\
         根据支部安排，本人认真对照检查，现将有关情况报告如下。\n\
         一、存在的问题\n（一）理论学习不够深入。{body}\n\
         二、原因剖析\n{body}\n\
         三、整改措施\n{body}\n\
         以上是我的发言，请同志们批评指正。\n2026年1月15日"
    )
}

#[test]
fn a_rendered_material_has_the_official_page_grid_and_page_numbers() {
    if !tools_present() {
        return;
    }
    let dir = workspace("material");
    let draft = long_draft();
    let material = parse_text(&draft);
    let pdf = to_pdf(&dir, "material", &material_docx(&material).unwrap());

    let (pages, words) = words(&pdf);
    assert!(pages.len() >= 4, "{} pages", pages.len());
    for (width, height) in &pages {
        assert!(
            (width - 595.3).abs() < 1.0 && (height - 841.9).abs() < 1.0,
            "A4"
        );
    }

    // 22 lines of 28 字 on every full page; a paragraph's first line holds 26 after the
    // 2-字 indent.
    let lines = page_lines(&pdf);
    assert_eq!(lines.len(), pages.len());
    let mut full_pages = 0;
    for (index, page) in lines.iter().enumerate().skip(1).take(pages.len() - 2) {
        let body: Vec<String> = page
            .iter()
            .filter(|l| !is_page_number(l))
            .map(|l| without_whitespace(l))
            .collect();
        assert_eq!(body.len(), 22, "page {}: {page:?}", index + 1);
        let lengths: Vec<usize> = body.iter().map(|l| l.chars().count()).collect();
        // A full line holds 28 字, or 27 when the next line opens with a character pulled
        // down so that a 。 or ， does not start it (避头); shorter lines end a paragraph
        // or are headings, 26 opens an indented paragraph.
        let full = |i: usize| {
            lengths[i] == 28
                || (lengths[i] == 27
                    && body
                        .get(i + 1)
                        .and_then(|next| next.chars().nth(1))
                        .is_some_and(|c| "。，、；：！？".contains(c)))
        };
        for (i, &length) in lengths.iter().enumerate() {
            assert!(
                length <= 26 || full(i),
                "page {}, line {}: {body:?}",
                index + 1,
                i + 1
            );
        }
        full_pages += usize::from((0..body.len()).all(full));
    }
    assert!(full_pages >= 1, "no page of 22 × 28 字");
    let opening = lines[0]
        .iter()
        .find(|l| l.starts_with("（一）"))
        .expect("the run-in heading opens a paragraph");
    assert_eq!(without_whitespace(opening).chars().count(), 26, "{opening}");

    // "— N —" on every page: odd pages right and even pages left, one character in from
    // the type area, the dash 7 ± 1 mm below the type area.
    for page in 1..=pages.len() {
        let on_page: Vec<&Word> = words.iter().filter(|w| w.page == page).collect();
        let number = on_page
            .iter()
            .position(|w| w.text == page.to_string() && w.y_min > TYPE_AREA_BOTTOM)
            .unwrap_or_else(|| panic!("page {page} has no number"));
        let (left, right) = (on_page[number - 1], on_page[number + 1]);
        assert_eq!((left.text.as_str(), right.text.as_str()), ("—", "—"));
        if page % 2 == 1 {
            let expected = PAGE_WIDTH - 26.0 * MM - ONE_CHARACTER;
            assert!(
                (right.x_max - expected).abs() < 3.0,
                "page {page}: {right:?}"
            );
        } else {
            let expected = 28.0 * MM + ONE_CHARACTER;
            assert!((left.x_min - expected).abs() < 3.0, "page {page}: {left:?}");
        }
        let dash = (left.y_min + left.y_max) / 2.0 - TYPE_AREA_BOTTOM;
        assert!(
            (dash / MM - 7.0).abs() <= 1.0,
            "page {page}: dash {:.1} mm below the type area",
            dash / MM
        );
    }

    // The text that comes out is the text that went in.
    let rendered: String = lines
        .iter()
        .flatten()
        .filter(|l| !is_page_number(l))
        .map(|l| without_whitespace(l))
        .collect();
    assert_eq!(rendered, without_whitespace(&draft));

    // The body face (仿宋_GB2312) and the heading face (黑体) arrive as the serif and the sans
    // face the aliases give them, so each run named the right East-Asian font.
    let fonts = run(Command::new("pdffonts").arg(&pdf));
    assert!(fonts.contains("NotoSerifCJK"), "{fonts}");
    assert!(fonts.contains("NotoSansCJK"), "{fonts}");
}

#[test]
fn a_rendered_book_starts_every_material_on_its_own_page() {
    if !tools_present() {
        return;
    }
    let dir = workspace("book");
    let hostile = parse_text(
        "表情😀与\u{202E}反向\u{202C}文字\n一、存在的问题\n（一）控制字符\u{1}\u{8}照样成文。比如，3月🇨🇳。",
    );
    let entries: Vec<BookEntry> = [("张明", long_draft()), ("刘芳", long_draft())]
        .into_iter()
        .map(|(author, draft)| {
            let mut material = parse_text(&draft);
            material.title = format!("{author}的对照检查材料");
            BookEntry {
                author: author.into(),
                material,
            }
        })
        .chain([BookEntry {
            author: "陈静".into(),
            material: hostile,
        }])
        .collect();
    let cover = BookCover {
        meeting: "2026年度组织生活会".into(),
        branch: "第一党支部".into(),
        date: "2026年1月15日".into(),
    };
    let pdf = to_pdf(&dir, "book", &book_docx(&cover, &entries).unwrap());
    let pages = page_lines(&pdf);
    let first_lines: Vec<String> = pages
        .iter()
        .map(|page| without_whitespace(&page[0]))
        .collect();
    assert!(
        pages[0].iter().any(|l| l.contains("第一党支部")),
        "{pages:?}"
    );
    assert_eq!(first_lines[1], "目录");
    // (The emoji has no glyph in the render's fonts; the .docx keeps it.)
    let starts: Vec<usize> = ["张明的对照检查材料", "刘芳的对照检查材料", "表情"]
        .iter()
        .map(|title| {
            first_lines
                .iter()
                .position(|line| line.starts_with(title))
                .unwrap_or_else(|| panic!("{title} does not open a page: {first_lines:?}"))
        })
        .collect();
    assert!(starts.windows(2).all(|w| w[0] < w[1]), "{starts:?}");
    assert!(
        pages.last().unwrap().iter().any(|l| l.contains("照样成文")),
        "text around control characters survives"
    );
}
