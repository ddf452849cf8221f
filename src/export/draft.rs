//! Reading a draft from a file as it comes: Material JSON, a Word .docx, or plain text in
//! UTF-8 or GB18030 (what Windows Notepad in China writes).

use crate::domain::import::{parse_paragraphs_on, parse_text_on};
use crate::domain::material::Material;

/// Reads `bytes` named `file_name` into a material, or says in Chinese why it cannot.
pub fn read_draft(file_name: &str, bytes: &[u8]) -> Result<Material, String> {
    read_draft_on(file_name, bytes, None)
}

/// As `read_draft`; `reference` (the meeting's date) reads 时限 written without a year
/// ("6月底前") when the draft carries no date of its own.
pub fn read_draft_on(
    file_name: &str,
    bytes: &[u8],
    reference: Option<chrono::NaiveDate>,
) -> Result<Material, String> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".json") {
        return serde_json::from_slice(bytes)
            .map_err(|error| format!("不是有效的材料 JSON（Material JSON v1）：{error}"));
    }
    if lower.ends_with(".docx") {
        let paragraphs = super::docx::docx_paragraphs(bytes).map_err(|error| error.to_string())?;
        return Ok(parse_paragraphs_on(&paragraphs, reference));
    }
    if lower.ends_with(".doc") || lower.ends_with(".wps") {
        return Err("暂不支持旧版 .doc / .wps 文件，请在 Word 或 WPS 中另存为 .docx 后再试".into());
    }
    Ok(parse_text_on(&decode_text(bytes), reference))
}

/// UTF-8 (with or without BOM), else GB18030. Nothing is dropped: undecodable bytes would
/// have made UTF-8 fail, and GB18030 maps every byte sequence.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_in_utf8_or_gb18030_reads_the_same() {
        let text = "发言材料\n一、存在的问题\n（一）学习不深。表现为浅尝辄止。";
        let (gbk, _, _) = encoding_rs::GB18030.encode(text);
        let from_utf8 = read_draft("a.txt", text.as_bytes()).unwrap();
        let from_gbk = read_draft("a.TXT", &gbk).unwrap();
        assert_eq!(from_utf8, from_gbk);
        assert_eq!(from_utf8.parts[0].items[0].heading, "学习不深");
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(read_draft("b.txt", &with_bom).unwrap(), from_utf8);
    }

    #[test]
    fn a_rendered_docx_reads_back_as_the_same_material() {
        let original = read_draft(
            "a.txt",
            "发言材料\n办公室 张明\n一、存在的问题\n（一）学习不深。表现为浅尝辄止。比如，3月只学了1次。\n以上发言，请批评指正。\n2026年1月15日"
                .as_bytes(),
        )
        .unwrap();
        let bytes = super::super::docx::material_docx(&original).unwrap();
        assert_eq!(read_draft("a.docx", &bytes).unwrap(), original);
    }

    #[test]
    fn unreadable_files_are_refused_in_chinese() {
        assert!(
            read_draft("a.docx", b"not a zip")
                .unwrap_err()
                .contains(".docx")
        );
        assert!(read_draft("a.doc", b"").unwrap_err().contains("另存为"));
        assert!(read_draft("a.json", b"{").unwrap_err().contains("JSON"));
    }
}

/// Arbitrary text through the importer and the exporter: no panic, every part of the .docx
/// is well-formed XML, and every character XML can carry is in the document.
#[cfg(test)]
mod robustness {
    use super::*;
    use proptest::prelude::*;
    use std::io::Read;

    fn well_formed(xml: &str) -> Result<(), String> {
        let mut reader = quick_xml::Reader::from_str(xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => return Ok(()),
                Ok(_) => {}
                Err(error) => return Err(error.to_string()),
            }
        }
    }

    fn check(text: &str) -> Result<(), TestCaseError> {
        let material = read_draft("draft.txt", text.as_bytes()).map_err(TestCaseError::fail)?;
        let bytes = crate::export::docx::material_docx(&material)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut document = String::new();
        for index in 0..archive.len() {
            let mut file = archive.by_index(index).unwrap();
            if !file.name().ends_with(".xml") && !file.name().ends_with(".rels") {
                continue;
            }
            let mut xml = String::new();
            file.read_to_string(&mut xml).unwrap();
            well_formed(&xml).map_err(|e| TestCaseError::fail(format!("{}: {e}", file.name())))?;
            if file.name() == "word/document.xml" {
                document = xml;
            }
        }
        // Every kept character arrives (escaped where XML wants it). Numbering is
        // regenerated (一、 may become 二、), so its characters are not counted; a leading
        // U+FEFF is a byte-order mark.
        for c in text.trim_start_matches('\u{FEFF}').chars().filter(|c| {
            !c.is_whitespace()
                && !c.is_control()
                && !matches!(c, '<' | '>' | '&' | '"' | '\'')
                && !('\u{FFFE}'..='\u{FFFF}').contains(c)
                && !"〇零一二三四五六七八九十百（）()、.．".contains(*c)
        }) {
            prop_assert!(document.contains(c), "{c:?} (U+{:04X}) lost", c as u32);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_text_renders_to_well_formed_xml_without_losing_characters(text in any::<String>()) {
            check(&text)?;
        }

        #[test]
        fn drafts_with_controls_emoji_and_bidi_marks_render(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "一、存在的问题", "（一）学习不深。比如\u{1}3月。", "\u{202E}反向文字\u{202C}",
                    "表情😀🇨🇳", "\u{0}\u{8}\u{B}\u{C}\u{1F}", "（二）", "时限：2026年2月30日", "以上发言，请批评指正。",
                    "二、原因", "\u{FEFF}零宽", "1. 第一点", "(1) 半角",
                ]),
                0..40,
            )
        ) {
            check(&lines.join("\n"))?;
        }
    }

    /// Renders `material` and checks every XML part of the package is well-formed.
    fn renders_well_formed(material: &Material) -> Result<(), TestCaseError> {
        let bytes = crate::export::docx::material_docx(material)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for index in 0..archive.len() {
            let mut file = archive.by_index(index).unwrap();
            let mut xml = String::new();
            file.read_to_string(&mut xml).unwrap();
            well_formed(&xml).map_err(|e| TestCaseError::fail(format!("{}: {e}", file.name())))?;
        }
        Ok(())
    }

    const SAMPLE: &str = "在组织生活会上的发言材料\n办公室 张明\n一、存在的问题\n（一）学习不够深入。表现为浅尝辄止。比如，今年3月只参加了1次集中学习。\n二、原因剖析\n（一）理想信念有所松懈。\n三、整改措施\n（一）加强学习。（针对第一个问题）每月精读原著2篇。时限：长期坚持。\n以上发言，请批评指正。";

    fn sample_docx() -> &'static [u8] {
        static DOCX: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
        DOCX.get_or_init(|| {
            let material = read_draft("a.txt", SAMPLE.as_bytes()).unwrap();
            crate::export::docx::material_docx(&material).unwrap()
        })
    }

    fn sample_json() -> &'static str {
        static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        JSON.get_or_init(|| {
            serde_json::to_string(&read_draft("a.txt", SAMPLE.as_bytes()).unwrap()).unwrap()
        })
    }

    proptest! {
        // Cheap cases, many of them: with the two above, the importer and exporter see
        // more than 10,000 inputs in every test run.
        #![proptest_config(ProptestConfig::with_cases(4000))]

        /// A .docx damaged anywhere (flipped bytes, cut short) is read or refused in
        /// Chinese — never a panic — and what is read renders.
        #[test]
        fn a_damaged_docx_is_read_or_refused_never_a_panic(
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
            cut in proptest::option::of(any::<prop::sample::Index>()),
        ) {
            let mut bytes = sample_docx().to_vec();
            for (at, value) in flips {
                let at = at.index(bytes.len());
                bytes[at] = value;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.index(bytes.len()));
            }
            match read_draft("损坏.docx", &bytes) {
                Ok(material) => renders_well_formed(&material)?,
                Err(message) => prop_assert!(!message.is_empty()),
            }
        }

        /// Lines built from the words headings are recognised by, in any order and
        /// nesting: every character of the text reaches the material.
        #[test]
        fn heading_soup_parses_without_losing_text(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "一、存在的问题", "二、原因剖析", "三、整改措施", "四、努力方向", "（一）学习不够深入。",
                    "（二）", "1.", "(3)", "（十二）作风方面", "表现为浅尝辄止。", "比如，3月只学了1次。",
                    "时限：2026年6月底", "完成标准：笔记12篇", "（针对第一个问题）", "上次整改落实情况",
                    "以上发言，请批评指正。", "办公室 张明", "2026年1月15日", "发言材料", "", "　　",
                    "问题", "原因", "措施", "差距", "根源", "\t一、\t", "一、一、一、", "（一）（二）",
                ]),
                0..60,
            )
        ) {
            let text = lines.join("\n");
            let material = read_draft("a.txt", text.as_bytes()).map_err(TestCaseError::fail)?;
            // The layout that reads 时限 and 完成标准 aloud, labels and all; with the
            // 整改清单 they are its columns (the round trip covers that layout).
            let inline = crate::domain::document::Layout { rectification_table: false };
            let rendered = crate::domain::document::plain_lines(
                &crate::domain::document::blocks_with(&material, inline),
            )
            .concat();
            for c in text.chars().filter(|c| {
                // Numbering is regenerated, so its characters (digits included) may change;
                // a heading's closing 。 is punctuation the layout decides; a 时限 is held as
                // a date ("6月底" prints as "6月30日").
                !c.is_whitespace()
                    && !c.is_ascii_digit()
                    && !"〇零一二三四五六七八九十百（）()、.．。底".contains(*c)
            }) {
                prop_assert!(rendered.contains(c), "{c:?} lost from {text:?}");
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Material JSON edited by hand (tokens and characters inserted anywhere): read or
        /// refused, and whatever is read renders to well-formed XML.
        #[test]
        fn hand_edited_material_json_is_read_or_refused(
            edits in proptest::collection::vec(
                (any::<prop::sample::Index>(), proptest::sample::select(vec![
                    "", "\"", "{", "}", "[", "]", ",", ":", "null", "0", "-1", "99999999999999999999",
                    "\\u0000", "\\uD800", "<&>", "\u{1F600}", "\"parts\":[]", "true",
                ])),
                1..5,
            )
        ) {
            let mut json = sample_json().to_string();
            for (at, text) in edits {
                let boundaries: Vec<usize> = json.char_indices().map(|(i, _)| i).collect();
                let at = boundaries[at.index(boundaries.len())];
                json.insert_str(at, text);
            }
            match read_draft("材料.json", json.as_bytes()) {
                Ok(material) => renders_well_formed(&material)?,
                Err(message) => prop_assert!(message.contains("JSON")),
            }
        }
    }

    #[test]
    fn a_hundred_thousand_characters_render() {
        let paragraph = "在理论学习方面，学用结合不够紧密，联系实际思考不够。".repeat(20);
        let text = format!(
            "发言材料\n一、存在的问题\n{}",
            vec![paragraph; 200].join("\n")
        );
        assert!(text.chars().count() > 100_000);
        check(&text).unwrap();
    }
}

/// Drafts as people's Word files come: empty paragraphs between sections, the whole text in
/// a one-column table (a common 表格式 template), or part of it in one.
#[cfg(test)]
mod word_shapes {
    use super::*;
    use crate::domain::material::PartKind;
    use docx_rs::{Docx, Paragraph, Run, Table, TableCell, TableRow};

    fn line(text: &str) -> Paragraph {
        Paragraph::new().add_run(Run::new().add_text(text))
    }

    fn cell(lines: &[&str]) -> TableCell {
        lines.iter().fold(TableCell::new(), |cell, text| {
            cell.add_paragraph(line(text))
        })
    }

    fn packed(docx: Docx) -> Vec<u8> {
        let mut bytes = std::io::Cursor::new(Vec::new());
        docx.build().pack(&mut bytes).unwrap();
        bytes.into_inner()
    }

    #[test]
    fn empty_paragraphs_between_sections_change_nothing() {
        let docx = Docx::new()
            .add_paragraph(line("在组织生活会上的发言材料"))
            .add_paragraph(Paragraph::new())
            .add_paragraph(line("一、存在的问题"))
            .add_paragraph(Paragraph::new())
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text("   ")))
            .add_paragraph(line("（一）学习不够深入。比如，3月只学了1次。"))
            .add_paragraph(Paragraph::new())
            .add_paragraph(line("二、整改措施"))
            .add_paragraph(line("（一）加强学习。时限：长期坚持。"));
        let material = read_draft("发言.docx", &packed(docx)).unwrap();
        let kinds: Vec<PartKind> = material.parts.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, [PartKind::Problems, PartKind::Measures]);
        assert_eq!(material.parts[0].items.len(), 1);
        assert_eq!(material.parts[0].items[0].heading, "学习不够深入");
    }

    #[test]
    fn text_inside_tables_is_read_in_order_and_kept() {
        let table = Table::new(vec![
            TableRow::new(vec![cell(&[
                "一、存在的问题",
                "（一）调研不够深入。全年只下基层3次。",
            ])]),
            TableRow::new(vec![cell(&["二、原因剖析"]), cell(&["理想信念有所松懈。"])]),
        ]);
        let docx = Docx::new()
            .add_paragraph(line("个人对照检查材料"))
            .add_table(table)
            .add_paragraph(line("三、整改措施"))
            .add_paragraph(line("（一）每季度蹲点调研一次。时限：2026年6月30日。"));
        let material = read_draft("表格.docx", &packed(docx)).unwrap();
        let kinds: Vec<PartKind> = material.parts.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [PartKind::Problems, PartKind::Causes, PartKind::Measures],
            "{material:?}"
        );
        let text = crate::domain::outline::outline(&material).join("\n");
        for kept in ["全年只下基层3次", "理想信念有所松懈", "每季度蹲点调研一次"]
        {
            assert!(text.contains(kept), "{kept} lost: {text}");
        }
    }
}
