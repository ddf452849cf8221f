//! A material as a Word (.docx) file in the 公文 layout of docs/DOMAIN.md §5 (GB/T 9704-2012):
//! A4, margins 37/35/28/26 mm, 2号 小标宋 title, 3号 仿宋 body with a 2-字 first-line indent
//! on a fixed 28.95 pt line (22 lines × 28 字 a page), 黑体 / 楷体 headings, and "— N —"
//! page numbers outside on odd and even pages. Pure: document blocks in, bytes out.
//!
//! Long because of its tests (half): the 公文 format rules are each checked in the produced XML.

use crate::domain::document::{Block, Layout, blocks_with};
use crate::domain::material::Material;
use docx_rs::{
    AlignmentType, DocGrid, DocGridType, Docx, FieldCharType, Footer, InstrPAGE, InstrText,
    LineSpacing, LineSpacingType, PageMargin, Paragraph, Run, RunFonts, SpecialIndentType, Table,
    TableCell, TableLayoutType, TableRow, VAlignType, WidthType,
};

/// A4 in twips (1/20 pt).
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
/// Margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
const MARGIN_TOP: i32 = 2098;
const MARGIN_BOTTOM: i32 = 1984;
const MARGIN_LEFT: i32 = 1587;
const MARGIN_RIGHT: i32 = 1474;
/// The page number sits about 7 mm below the type area.
const FOOTER_DISTANCE: i32 = 1417;
/// 28.95 pt: 22 lines in the 225 mm type area.
const LINE_PITCH: i32 = 579;
/// Half-points: 2号 = 22 pt, 3号 = 16 pt, 4号 = 14 pt.
const SIZE_TITLE: usize = 44;
const SIZE_BODY: usize = 32;
const SIZE_PAGE_NUMBER: usize = 28;
/// Two 3号 characters, the first-line indent of body text.
const INDENT_TWO_CHARS: i32 = 640;
/// −0.25 pt per character, so that a 156 mm line holds 28 字.
const CONDENSE: i32 = -5;
/// An attached table's text: 小四 (12 pt) 仿宋 on 18 pt lines, smaller than the body as
/// GB/T 9704 allows for tables.
const SIZE_TABLE: usize = 24;
const TABLE_LINE: i32 = 360;
/// The 整改清单's columns (序号 问题 整改措施 责任人 完成时限 完成标准), filling the 156 mm
/// type area.
const RECTIFICATION_WIDTHS: [usize; 6] = [720, 1900, 2600, 1100, 1300, 1225];

const FONT_TITLE: &str = "方正小标宋简体";
const FONT_BODY: &str = "仿宋_GB2312";
const FONT_KAI: &str = "楷体_GB2312";
const FONT_HEI: &str = "黑体";
const FONT_SONG: &str = "宋体";
const FONT_LATIN: &str = "Times New Roman";

#[derive(Debug, thiserror::Error)]
#[error("生成 Word 文件失败：{0}")]
pub struct DocxError(String);

/// Why an uploaded .docx is not read, as a sentence for the person who uploaded it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UnreadableDocx(String);

/// Characters XML 1.0 cannot carry. They are the only thing ever removed from the text.
fn xml_safe(text: &str) -> String {
    text.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r')
                || ('\u{20}'..='\u{D7FF}').contains(&c)
                || ('\u{E000}'..='\u{FFFD}').contains(&c)
                || c >= '\u{10000}'
        })
        .collect()
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new()
        .hint("eastAsia")
        .east_asia(east_asia)
        .ascii(FONT_LATIN)
        .hi_ansi(FONT_LATIN)
        .cs(FONT_LATIN)
}

fn run(text: &str, east_asia: &str, size: usize) -> Run {
    let run = Run::new()
        .add_text(xml_safe(text))
        .fonts(fonts(east_asia))
        .size(size);
    if size == SIZE_BODY {
        run.character_spacing(CONDENSE)
    } else {
        run
    }
}

fn exact_lines() -> LineSpacing {
    LineSpacing::new()
        .line(LINE_PITCH)
        .line_rule(LineSpacingType::Exact)
        .before(0)
        .after(0)
}

/// A body-text paragraph: justified, first line indented two characters.
fn indented() -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(INDENT_TWO_CHARS)),
            None,
            None,
        )
        .line_spacing(exact_lines())
}

fn paragraph(block: &Block) -> Paragraph {
    match block {
        Block::Title(text) => Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(exact_lines())
            .add_run(run(text, FONT_TITLE, SIZE_TITLE)),
        Block::Speaker(text) => Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(exact_lines())
            .add_run(run(text, FONT_KAI, SIZE_BODY)),
        Block::Heading(text) => indented()
            .keep_next(true)
            .add_run(run(text, FONT_HEI, SIZE_BODY)),
        Block::SubHeading { heading, rest } => {
            let paragraph = indented().add_run(run(heading, FONT_KAI, SIZE_BODY));
            if rest.is_empty() {
                paragraph.keep_next(true)
            } else {
                paragraph.add_run(run(rest, FONT_BODY, SIZE_BODY))
            }
        }
        Block::Body(text) | Block::Closing(text) => {
            indented().add_run(run(text, FONT_BODY, SIZE_BODY))
        }
        Block::Date(text) => Paragraph::new()
            .align(AlignmentType::Right)
            .indent(None, None, Some(INDENT_TWO_CHARS * 2), None)
            .line_spacing(exact_lines())
            .add_run(run(text, FONT_BODY, SIZE_BODY)),
        // GB/T 9704 §8: an attachment starts a new page, "附件" in 黑体 flush left on its
        // first line, its title centred on the third.
        Block::Attachment(text) => Paragraph::new()
            .align(AlignmentType::Left)
            .line_spacing(exact_lines())
            .page_break_before(true)
            .keep_next(true)
            .add_run(run(text, FONT_HEI, SIZE_BODY)),
        Block::AttachmentTitle(text) => Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(
                exact_lines()
                    .before(LINE_PITCH as u32)
                    .after(LINE_PITCH as u32),
            )
            .keep_next(true)
            .add_run(run(text, FONT_TITLE, SIZE_TITLE)),
        // Tables are added by `table`; a table block never reaches here.
        Block::Table { .. } => Paragraph::new(),
    }
}

/// One cell of an attached table: its text on one paragraph, 仿宋 (黑体 in the heading
/// row), on lines of its own size rather than the body's grid.
fn table_cell(text: &str, width: usize, heading: bool, centred: bool) -> TableCell {
    let paragraph = Paragraph::new()
        .align(if centred {
            AlignmentType::Center
        } else {
            AlignmentType::Left
        })
        .snap_to_grid(false)
        .line_spacing(
            LineSpacing::new()
                .line(TABLE_LINE)
                .line_rule(LineSpacingType::Exact)
                .before(0)
                .after(0),
        )
        .add_run(run(
            text,
            if heading { FONT_HEI } else { FONT_BODY },
            SIZE_TABLE,
        ));
    TableCell::new()
        .width(width, WidthType::Dxa)
        .vertical_align(VAlignType::Center)
        .add_paragraph(paragraph)
}

/// A bordered table across the type area; its heading row repeats on every page (marked
/// when packed, see [`pack`]) and is the only row kept from splitting.
fn table(header: &[String], rows: &[Vec<String>]) -> Table {
    let widths: Vec<usize> = if header.len() == RECTIFICATION_WIDTHS.len() {
        RECTIFICATION_WIDTHS.to_vec()
    } else {
        let total: usize = RECTIFICATION_WIDTHS.iter().sum();
        vec![total / header.len().max(1); header.len()]
    };
    let heading = TableRow::new(
        header
            .iter()
            .zip(&widths)
            .map(|(text, width)| table_cell(text, *width, true, true))
            .collect(),
    )
    .cant_split();
    let mut table_rows = vec![heading];
    for row in rows {
        let cells = widths
            .iter()
            .enumerate()
            .map(|(column, width)| {
                let text = row.get(column).map_or("", String::as_str);
                // The 序号 and the 时限 sit centred, as numbers and dates do in a table.
                let centred = column == 0 || column == 4;
                table_cell(text, *width, false, centred)
            })
            .collect();
        table_rows.push(TableRow::new(cells));
    }
    Table::new(table_rows)
        .set_grid(widths)
        .layout(TableLayoutType::Fixed)
}

/// "— N —", one 4号 character in from the outer edge.
fn page_number(alignment: AlignmentType) -> Footer {
    let one_char = (SIZE_PAGE_NUMBER * 10) as i32;
    let (left, right) = match alignment {
        AlignmentType::Left => (Some(one_char), None),
        _ => (None, Some(one_char)),
    };
    let dash = |text: &str| {
        run(text, FONT_SONG, SIZE_PAGE_NUMBER).fonts(
            RunFonts::new()
                .east_asia(FONT_SONG)
                .ascii(FONT_SONG)
                .hi_ansi(FONT_SONG),
        )
    };
    let number = Run::new()
        .fonts(
            RunFonts::new()
                .east_asia(FONT_SONG)
                .ascii(FONT_SONG)
                .hi_ansi(FONT_SONG),
        )
        .size(SIZE_PAGE_NUMBER)
        .add_field_char(FieldCharType::Begin, false)
        .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
        .add_field_char(FieldCharType::Separate, false)
        .add_text("1")
        .add_field_char(FieldCharType::End, false);
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(alignment)
            .indent(left, None, right, None)
            .add_run(dash("— "))
            .add_run(number)
            .add_run(dash(" —")),
    )
}

/// An empty document with the official page, grid and page numbers.
fn official_document() -> Docx {
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(851)
                .footer(FOOTER_DISTANCE)
                .gutter(0),
        )
        .default_fonts(fonts(FONT_BODY))
        .default_size(SIZE_BODY)
        .footer(page_number(AlignmentType::Right))
        .even_footer(page_number(AlignmentType::Left));
    docx.document.section_property = docx.document.section_property.clone().doc_grid(
        DocGrid::new()
            .grid_type(DocGridType::Lines)
            .line_pitch(LINE_PITCH as usize),
    );
    docx
}

/// Adds a material's paragraphs and tables; `new_page` starts it on a fresh page.
fn add_material(mut docx: Docx, material: &Material, layout: Layout, new_page: bool) -> Docx {
    for (index, block) in blocks_with(material, layout).iter().enumerate() {
        if let Block::Table { header, rows } = block {
            docx = docx.add_table(table(header, rows));
            continue;
        }
        let paragraph = paragraph(block);
        docx = docx.add_paragraph(if index == 0 && new_page {
            paragraph.page_break_before(true)
        } else {
            paragraph
        });
    }
    docx
}

/// The font table names every face the document uses, each with the name a stock
/// Windows (or WPS) installation has, so that a machine without the GB2312-era fonts shows
/// 仿宋 rather than falling back to 宋体 or 等线. Charset 86 is GB2312; the 方正 title
/// face is never embedded (commercial), and 宋体 is its nearest stock substitute.
const FONT_TABLE: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    r#"<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#,
    r#"<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="黑体"><w:altName w:val="SimHei"/><w:charset w:val="86"/><w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>"#,
    r#"<w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/></w:font>"#,
    r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/><w:charset w:val="86"/><w:family w:val="script"/><w:pitch w:val="variable"/></w:font>"#,
    r#"</w:fonts>"#
);

/// Packs a material or a book. docx-rs has no setter for `w:tblHeader`: the heading rows
/// of its tables (the only rows kept from splitting) are marked to repeat here.
fn pack(docx: Docx) -> Result<Vec<u8>, DocxError> {
    pack_adjusted(docx, |document| {
        document.replace("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />")
    })
}

/// Packs the document, with `adjust` applied to its body XML for what docx-rs cannot say.
fn pack_adjusted(docx: Docx, adjust: impl FnOnce(String) -> String) -> Result<Vec<u8>, DocxError> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut xml = docx.build();
    xml.font_table = FONT_TABLE.as_bytes().to_vec();
    // Word lets a sentence-final 。 or ， hang into the margin of a full line by default
    // (`w:overflowPunct`), but LibreOffice, when the element is absent, squeezes it out of
    // sight: the rendered text would lose it. docx-rs cannot set the element, so every
    // paragraph gets it here, stating Word's default for both.
    xml.document = adjust(
        String::from_utf8_lossy(&xml.document)
            .replace("<w:pPr>", r#"<w:pPr><w:overflowPunct w:val="1" />"#),
    )
    .into_bytes();
    xml.pack(&mut bytes)
        .map_err(|error| DocxError(error.to_string()))?;
    Ok(bytes.into_inner())
}

/// The whole material as .docx bytes, in the default layout (with the 整改清单 table).
pub fn material_docx(material: &Material) -> Result<Vec<u8>, DocxError> {
    material_docx_with(material, Layout::default())
}

/// The whole material as .docx bytes, laid out as its template says.
pub fn material_docx_with(material: &Material, layout: Layout) -> Result<Vec<u8>, DocxError> {
    pack(add_material(official_document(), material, layout, false))
}

/// The cover of a branch's 汇编.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookCover {
    /// e.g. "2026年度组织生活会"
    pub meeting: String,
    pub branch: String,
    /// e.g. "2026年1月15日"
    pub date: String,
}

/// One material of a 汇编, with its author's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookEntry {
    pub author: String,
    pub material: Material,
}

/// A branch's 汇编: a cover page (meeting, branch, date), a contents list, then every
/// material on a new page, in the order given.
pub fn book_docx(cover: &BookCover, entries: &[BookEntry]) -> Result<Vec<u8>, DocxError> {
    book_docx_with(cover, entries, Layout::default())
}

/// A branch's 汇编 with every material laid out as the meeting's template says.
pub fn book_docx_with(
    cover: &BookCover,
    entries: &[BookEntry],
    layout: Layout,
) -> Result<Vec<u8>, DocxError> {
    let centred = |text: &str, font: &str, size: usize| {
        Paragraph::new()
            .align(AlignmentType::Center)
            .line_spacing(exact_lines())
            .add_run(run(text, font, size))
    };
    let blank = || Paragraph::new().line_spacing(exact_lines());
    let mut docx = official_document();
    for _ in 0..4 {
        docx = docx.add_paragraph(blank());
    }
    docx = docx
        .add_paragraph(centred(&cover.branch, FONT_TITLE, SIZE_TITLE))
        .add_paragraph(centred(&cover.meeting, FONT_TITLE, SIZE_TITLE))
        .add_paragraph(centred("发言材料汇编", FONT_TITLE, SIZE_TITLE));
    for _ in 0..8 {
        docx = docx.add_paragraph(blank());
    }
    docx = docx
        .add_paragraph(centred(&cover.date, FONT_BODY, SIZE_BODY))
        .add_paragraph(centred("目  录", FONT_HEI, SIZE_BODY).page_break_before(true));
    for (index, entry) in entries.iter().enumerate() {
        let line = format!(
            "{}. {}  {}",
            index + 1,
            entry.author,
            entry.material.title.trim()
        );
        docx = docx.add_paragraph(indented().add_run(run(&line, FONT_BODY, SIZE_BODY)));
    }
    for entry in entries {
        docx = add_material(docx, &entry.material, layout, true);
    }
    pack(docx)
}

/// An official-format document (GB/T 9704) of blocks: paragraphs in the body styles and
/// tables as the 整改清单's, e.g. the 整改方案 with its three lists.
pub fn blocks_docx(blocks: &[Block]) -> Result<Vec<u8>, DocxError> {
    let mut docx = official_document();
    for block in blocks {
        docx = match block {
            Block::Table { header, rows } => docx.add_table(table(header, rows)),
            other => docx.add_paragraph(paragraph(other)),
        };
    }
    pack(docx)
}

/// One column of a landscape table: its heading and width in twentieths of a point.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub heading: &'static str,
    pub width: usize,
}

/// A landscape A4 table document (a 台账): the title in the title face, a line under it,
/// then the table in 五号 仿宋 with its heading row in 黑体, repeated on every page.
pub fn table_docx(
    title: &str,
    subtitle: &str,
    columns: &[Column],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, DocxError> {
    use docx_rs::PageOrientationType;
    const SIZE_CELL: usize = 21;
    let cell = |text: &str, font: &str, width: usize| {
        let mut cell = TableCell::new()
            .width(width, WidthType::Dxa)
            .vertical_align(VAlignType::Center);
        // A cell's line breaks become paragraphs, so long progress notes stay readable.
        for line in text.split('\n') {
            cell = cell.add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Left)
                    .add_run(run(line, font, SIZE_CELL)),
            );
        }
        cell
    };
    let heading = TableRow::new(
        columns
            .iter()
            .map(|column| cell(column.heading, FONT_HEI, column.width))
            .collect(),
    )
    .cant_split();
    let mut table_rows = vec![heading];
    for row in rows {
        let cells = columns
            .iter()
            .zip(row)
            .map(|(column, text)| cell(text, FONT_BODY, column.width))
            .collect();
        table_rows.push(TableRow::new(cells).cant_split());
    }
    let table = Table::new(table_rows)
        .set_grid(columns.iter().map(|column| column.width).collect())
        .layout(TableLayoutType::Fixed);
    let centred = |text: &str, font: &str, size: usize| {
        Paragraph::new()
            .align(AlignmentType::Center)
            .add_run(run(text, font, size))
    };
    let docx = Docx::new()
        .page_size(PAGE_HEIGHT, PAGE_WIDTH)
        .page_orient(PageOrientationType::Landscape)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_LEFT)
                .bottom(MARGIN_RIGHT)
                .left(MARGIN_TOP)
                .right(MARGIN_BOTTOM)
                .header(851)
                .footer(FOOTER_DISTANCE)
                .gutter(0),
        )
        .default_fonts(fonts(FONT_BODY))
        .default_size(SIZE_CELL)
        .footer(page_number(AlignmentType::Center))
        .add_paragraph(centred(title, FONT_TITLE, SIZE_TITLE))
        .add_paragraph(centred(subtitle, FONT_KAI, SIZE_BODY))
        .add_table(table);
    // docx-rs has no setter for `w:tblHeader`: the heading row (the first row, so the first
    // `cantSplit`) is marked to repeat on every page here.
    pack_adjusted(docx, |document| {
        document.replacen("<w:cantSplit />", "<w:cantSplit /><w:tblHeader />", 1)
    })
}

/// Every material of a 汇编 as its own .docx, in one .zip: `序号-姓名-材料名.docx`.
pub fn book_zip(entries: &[BookEntry]) -> Result<Vec<u8>, DocxError> {
    book_zip_with(entries, Layout::default())
}

/// As [`book_zip`], every material laid out as the meeting's template says.
pub fn book_zip_with(entries: &[BookEntry], layout: Layout) -> Result<Vec<u8>, DocxError> {
    use std::io::Write;
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let failed = |error: &dyn std::fmt::Display| DocxError(error.to_string());
    for (index, entry) in entries.iter().enumerate() {
        let name = format!(
            "{:02}-{}-{}",
            index + 1,
            safe_name(&entry.author),
            file_name(&entry.material)
        );
        archive
            .start_file(name, options)
            .map_err(|error| failed(&error))?;
        archive
            .write_all(&material_docx_with(&entry.material, layout)?)
            .map_err(|error| failed(&error))?;
    }
    let cursor = archive.finish().map_err(|error| failed(&error))?;
    Ok(cursor.into_inner())
}

/// The package limits for what docx-rs reads, with the memory it builds per element,
/// measured (docx-rs 0.4): 2.4 KB a paragraph, 5.5 KB a style, ~0.8 KB a run, ~1 KB a
/// table cell; most other elements only set a field of those. 96 MB of them is about twice
/// what a 100,000-character Word file with heavy formatting needs.
pub const DOCX_LIMITS: super::package::Limits = super::package::Limits {
    weight: docx_rs_weight,
    model: 96 * 1024 * 1024,
    ..super::package::LIMITS
};

fn docx_rs_weight(local_name: &[u8]) -> u64 {
    match local_name {
        b"style" | b"lvl" => 6 * 1024,
        b"p" => 2560,
        b"tbl" | b"tr" | b"tc" => 2048,
        b"r" | b"abstractNum" | b"num" | b"comment" => 1024,
        _ => 256,
    }
}

/// The paragraphs of a .docx in reading order, table cells included, so the importer sees
/// every word of it. A 整改清单 comes out as a pasted table does, one line a row with its
/// cells separated by tabs, so the importer can tell its columns apart.
pub fn docx_paragraphs(bytes: &[u8]) -> Result<Vec<String>, UnreadableDocx> {
    use docx_rs::{DocumentChild, TableCellContent, TableChild, TableRowChild};
    fn cell_text(cell: &docx_rs::TableCell) -> String {
        let mut lines = Vec::new();
        for content in &cell.children {
            match content {
                TableCellContent::Paragraph(paragraph) => {
                    lines.extend(paragraph.raw_text().lines().map(str::to_string))
                }
                TableCellContent::Table(inner) => table_text(inner, &mut lines),
                _ => {}
            }
        }
        lines
            .iter()
            .map(|line| line.replace('\t', " ").trim().to_string())
            .filter(|line| !line.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
    fn rows_of_cells(table: &docx_rs::Table) -> Vec<Vec<String>> {
        table
            .rows
            .iter()
            .map(|TableChild::TableRow(row)| {
                row.cells
                    .iter()
                    .map(|TableRowChild::TableCell(cell)| cell_text(cell))
                    .collect()
            })
            .collect()
    }
    /// A heading cell's own words (nested tables are not looked into: a heading row holds
    /// none, and looking would read a deeply nested document twice at every level).
    fn heading_text(cell: &docx_rs::TableCell) -> String {
        cell.children
            .iter()
            .filter_map(|content| match content {
                TableCellContent::Paragraph(paragraph) => Some(paragraph.raw_text()),
                _ => None,
            })
            .collect()
    }
    fn table_text(table: &docx_rs::Table, out: &mut Vec<String>) {
        let is_rectification = table.rows.first().is_some_and(|TableChild::TableRow(row)| {
            let header: Vec<String> = row
                .cells
                .iter()
                .map(|TableRowChild::TableCell(cell)| heading_text(cell))
                .collect();
            crate::domain::rectification::Columns::of_header(&header).is_some()
        });
        if is_rectification {
            out.extend(rows_of_cells(table).iter().map(|row| row.join("\t")));
            return;
        }
        for TableChild::TableRow(row) in &table.rows {
            for TableRowChild::TableCell(cell) in &row.cells {
                for content in &cell.children {
                    match content {
                        TableCellContent::Paragraph(paragraph) => {
                            out.extend(paragraph.raw_text().lines().map(str::to_string))
                        }
                        TableCellContent::Table(inner) => table_text(inner, out),
                        _ => {}
                    }
                }
            }
        }
    }
    use super::package::{Package, PackageError, TOO_LARGE, is_xml};
    let invalid = || UnreadableDocx("文件不是有效的 Word（.docx）文档，或文件已损坏".into());
    // Only the XML parts are unpacked (images and embedded files are never inflated), each
    // within the limits, and docx-rs reads them from a package that holds exactly those
    // bytes. It is told not to decode images, which it would otherwise do to make previews.
    let package = Package::open(bytes, &DOCX_LIMITS, is_xml)
        .and_then(|package| package.repack())
        .map_err(|error| match error {
            PackageError::TooLarge => UnreadableDocx(TOO_LARGE.into()),
            PackageError::Unreadable => invalid(),
        })?;
    let options = docx_rs::ReadDocxOptions::default().with_image_previews(false);
    // What docx-rs still panics on is answered as a damaged file.
    let document = std::panic::catch_unwind(|| docx_rs::read_docx_with_options(&package, options))
        .map_err(|_| invalid())?
        .map_err(|_| invalid())?;
    let mut out = Vec::new();
    for child in &document.document.children {
        match child {
            DocumentChild::Paragraph(paragraph) => {
                out.extend(paragraph.raw_text().lines().map(str::to_string))
            }
            DocumentChild::Table(inner) => table_text(inner, &mut out),
            _ => {}
        }
    }
    Ok(out)
}

/// A file name for the download: the title without characters file systems refuse.
pub fn file_name(material: &Material) -> String {
    let stem = safe_name(&material.title);
    format!(
        "{}.docx",
        if stem.is_empty() {
            "发言材料"
        } else {
            &stem
        }
    )
}

/// Text usable in a file name on every system: no path or reserved characters.
pub fn safe_name(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| {
            !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') && !c.is_control()
        })
        .take(60)
        .collect();
    kept.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::{Deadline, Item, ItemId, Part, PartKind};
    use std::io::Read;

    pub(super) fn sample() -> Material {
        Material {
            title: "在2026年度组织生活会上的发言材料".into(),
            speaker: Some("办公室 张明".into()),
            preamble: vec!["根据支部安排，现将有关情况报告如下：".into()],
            parts: vec![
                Part {
                    kind: PartKind::Problems,
                    heading: "存在的问题".into(),
                    paragraphs: vec![],
                    items: vec![Item {
                        id: ItemId("p1".into()),
                        heading: "学用结合不够\u{1}紧密".into(),
                        text: "学习停留在读原文。".into(),
                        example: Some("比如，今年3月……".into()),
                        ..Item::default()
                    }],
                },
                Part {
                    kind: PartKind::Measures,
                    heading: "整改措施".into(),
                    paragraphs: vec![],
                    items: vec![Item {
                        id: ItemId("m1".into()),
                        text: "每月精读原著2篇。".into(),
                        deadline: Some(Deadline::Ongoing),
                        links: vec![ItemId("p1".into())],
                        ..Item::default()
                    }],
                },
            ],
            closing: Some("以上发言，请批评指正。".into()),
            date: Some("2026年1月15日".into()),
            removed: vec![],
        }
    }

    fn part_of(bytes: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    #[test]
    fn the_document_carries_the_official_page_and_fonts() {
        let bytes = material_docx(&sample()).unwrap();
        let document = part_of(&bytes, "word/document.xml");
        assert!(document.contains(r#"w:w="11906""#) && document.contains(r#"w:h="16838""#));
        for margin in [
            r#"w:top="2098""#,
            r#"w:bottom="1984""#,
            r#"w:left="1587""#,
            r#"w:right="1474""#,
        ] {
            assert!(document.contains(margin), "{margin}");
        }
        assert!(document.contains(r#"w:linePitch="579""#));
        assert!(document.contains(r#"w:line="579""#) && document.contains(r#"w:lineRule="exact""#));
        assert!(document.contains(r#"w:eastAsia="方正小标宋简体""#));
        assert!(document.contains(r#"w:eastAsia="仿宋_GB2312""#));
        assert!(document.contains(r#"w:eastAsia="黑体""#));
        assert!(document.contains(r#"w:eastAsia="楷体_GB2312""#));
        assert!(
            document.contains(r#"<w:sz w:val="44" />"#)
                || document.contains(r#"<w:sz w:val="44"/>"#)
        );
        assert!(document.contains(r#"w:firstLine="640""#));
        assert!(document.contains("一、存在的问题"));
        assert!(document.contains("（一）学用结合不够紧密。"));
        assert!(document.contains("（针对第一个问题）每月精读原著2篇。"));
        assert!(
            !document.contains('\u{1}'),
            "control characters are stripped"
        );
        let settings = part_of(&bytes, "word/settings.xml");
        assert!(settings.contains("evenAndOddHeaders"));
    }

    /// The text of each cell of each table of `document.xml`, row by row.
    fn table_cells(document: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for table in document.split("<w:tbl>").skip(1) {
            let table = table.split("</w:tbl>").next().unwrap();
            for row in table.split("<w:tr>").skip(1) {
                let cells = row
                    .split("<w:tc>")
                    .skip(1)
                    .map(|cell| {
                        cell.split("<w:t xml:space=\"preserve\">")
                            .skip(1)
                            .map(|text| text.split("</w:t>").next().unwrap())
                            .collect::<String>()
                    })
                    .collect();
                rows.push(cells);
            }
        }
        rows
    }

    #[test]
    fn the_measures_schedule_is_an_attached_rectification_table_not_words_of_the_speech() {
        let mut material = sample();
        let measure = &mut material.parts[1].items[0];
        measure.owner = Some("张明".into());
        measure.standard = Some("形成读书笔记12篇".into());
        let bytes = material_docx(&material).unwrap();
        let document = part_of(&bytes, "word/document.xml");
        for spoken in ["时限：", "完成时限：", "完成标准：", "责任人："] {
            assert!(!document.contains(spoken), "{spoken} is read aloud");
        }
        let cells = table_cells(&document);
        assert_eq!(
            cells,
            vec![
                vec!["序号", "问题", "整改措施", "责任人", "完成时限", "完成标准"],
                vec![
                    "1",
                    "学用结合不够紧密",
                    "每月精读原著2篇。",
                    "张明",
                    "长期坚持",
                    "形成读书笔记12篇"
                ],
            ]
        );
        // After the signature, on a page of its own: the 附件 mark, the title, the table.
        let date = document.find("2026年1月15日").unwrap();
        let mark = document.find(">附件<").unwrap();
        let title = document.find(">整改清单<").unwrap();
        assert!(date < mark && mark < title && title < document.find("<w:tbl>").unwrap());
        assert_eq!(document.matches("<w:pageBreakBefore").count(), 1);
        assert!(document.contains("<w:tblBorders>") && document.contains("<w:insideH "));
        assert!(
            document.contains("<w:tblHeader />"),
            "the heading row repeats"
        );
        assert!(document.contains(r#"<w:sz w:val="24" />"#), "小四 cells");

        let inline = material_docx_with(
            &material,
            Layout {
                rectification_table: false,
            },
        )
        .unwrap();
        let inline = part_of(&inline, "word/document.xml");
        assert!(!inline.contains("<w:tbl>") && !inline.contains(">附件<"));
        assert!(
            inline.contains(
                "每月精读原著2篇。责任人：张明。时限：长期坚持。完成标准：形成读书笔记12篇。"
            ),
            "without the table the measure reads them as before"
        );
    }

    #[test]
    fn the_table_read_back_from_the_docx_gives_the_measures_their_schedule() {
        let mut material = sample();
        let measure = &mut material.parts[1].items[0];
        measure.owner = Some("责任领导：王强；责任部门：办公室".into());
        measure.standard = Some("形成读书笔记12篇".into());
        measure.deadline = Some(crate::domain::material::Deadline::By(
            chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        ));
        let bytes = material_docx(&material).unwrap();
        let paragraphs = docx_paragraphs(&bytes).unwrap();
        assert!(
            paragraphs.contains(
                &"1\t学用结合不够紧密\t每月精读原著2篇。\t责任领导：王强；责任部门：办公室\t2026年6月30日\t形成读书笔记12篇"
                    .to_string()
            ),
            "{paragraphs:?}"
        );
        let back = crate::export::draft::read_draft("材料.docx", &bytes).unwrap();
        let measure = back.items(PartKind::Measures).next().unwrap();
        assert_eq!(measure.owner, material.parts[1].items[0].owner);
        assert_eq!(measure.deadline, material.parts[1].items[0].deadline);
        assert_eq!(measure.standard, material.parts[1].items[0].standard);
        assert_eq!(back.date.as_deref(), Some("2026年1月15日"));
        assert_eq!(back.closing, material.closing);
    }

    #[test]
    fn page_numbers_are_dashed_fields_in_both_footers() {
        let bytes = material_docx(&sample()).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
        let footers: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().to_string())
            .filter(|name| name.starts_with("word/footer"))
            .collect();
        assert_eq!(footers.len(), 2);
        for footer in footers {
            let xml = part_of(&bytes, &footer);
            assert!(xml.contains("PAGE"), "{footer}");
            assert!(xml.contains("— ") && xml.contains(" —"), "{footer}");
        }
    }

    #[test]
    fn a_book_has_a_cover_contents_and_each_material_on_a_new_page() {
        let cover = BookCover {
            meeting: "2026年度组织生活会".into(),
            branch: "第一党支部".into(),
            date: "2026年1月15日".into(),
        };
        let mut second = sample();
        second.title = "刘芳的发言材料".into();
        let entries = vec![
            BookEntry {
                author: "张明".into(),
                material: sample(),
            },
            BookEntry {
                author: "刘芳".into(),
                material: second,
            },
        ];
        let bytes = book_docx(&cover, &entries).unwrap();
        let document = part_of(&bytes, "word/document.xml");
        for text in [
            "第一党支部",
            "发言材料汇编",
            "目  录",
            "1. 张明  在2026年度组织生活会上的发言材料",
            "2. 刘芳  刘芳的发言材料",
        ] {
            assert!(document.contains(text), "{text}");
        }
        // The contents, each of the two materials and each material's 整改清单 (an 附件)
        // start on a new page.
        assert_eq!(document.matches("<w:pageBreakBefore").count(), 5);

        let zipped = book_zip(&entries).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zipped)).unwrap();
        let names: Vec<String> = (0..archive.len())
            .map(|i| archive.by_index(i).unwrap().name().to_string())
            .collect();
        assert_eq!(
            names,
            vec![
                "01-张明-在2026年度组织生活会上的发言材料.docx",
                "02-刘芳-刘芳的发言材料.docx"
            ]
        );
        let mut first = Vec::new();
        archive
            .by_index(0)
            .unwrap()
            .read_to_end(&mut first)
            .unwrap();
        assert_eq!(
            crate::export::draft::read_draft("a.docx", &first).unwrap(),
            crate::export::draft::read_draft("a.docx", &material_docx(&sample()).unwrap()).unwrap()
        );
    }

    #[test]
    fn a_docx_zip_bomb_is_refused_before_it_is_inflated() {
        use crate::export::package::{TOO_LARGE, inflating_xml, with_part};
        let real = material_docx(&sample()).unwrap();
        let bomb = with_part(&real, "word/document.xml", &inflating_xml(64 << 20));
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        assert_eq!(docx_paragraphs(&bomb).unwrap_err().0, TOO_LARGE);
    }

    /// A document of tables nested `depth` elements deep, with a word in the innermost.
    fn nested_tables(depth: usize) -> Vec<u8> {
        use crate::export::package::with_part;
        // w:document, w:body, then three elements a table; w:p, w:r, w:t inside.
        let tables = (depth - 5) / 3;
        let mut xml = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
        );
        xml.push_str(&"<w:tbl><w:tr><w:tc>".repeat(tables));
        xml.push_str("<w:p><w:r><w:t>最里面</w:t></w:r></w:p>");
        xml.push_str(&"</w:tc></w:tr></w:tbl>".repeat(tables));
        xml.push_str("</w:body></w:document>");
        with_part(
            &material_docx(&sample()).unwrap(),
            "word/document.xml",
            xml.as_bytes(),
        )
    }

    #[test]
    fn a_flood_of_empty_paragraphs_is_refused_before_docx_rs_builds_them() {
        use crate::export::package::{TOO_LARGE, with_part};
        // 600 KB of XML that docx-rs would make 240 MB of.
        let flood = format!(
            "<w:document><w:body>{}</w:body></w:document>",
            "<w:p/>".repeat(100_000)
        );
        let bytes = with_part(
            &material_docx(&sample()).unwrap(),
            "word/document.xml",
            flood.as_bytes(),
        );
        assert_eq!(docx_paragraphs(&bytes).unwrap_err().0, TOO_LARGE);
    }

    #[test]
    fn a_long_heavily_formatted_word_file_is_within_the_limits() {
        // 3,000 paragraphs of five separately formatted runs: 150,000 characters, more
        // markup a character than Word writes after much editing.
        let run = |text: &str| {
            Run::new()
                .add_text(text)
                .fonts(fonts(FONT_BODY))
                .size(SIZE_BODY)
                .bold()
                .character_spacing(CONDENSE)
        };
        let paragraph = (0..5).fold(indented().style("Normal"), |paragraph, _| {
            paragraph.add_run(run("学用结合不够紧密，联"))
        });
        let docx = (0..3_000).fold(official_document(), |docx, _| {
            docx.add_paragraph(paragraph.clone())
        });
        let bytes = pack(docx).unwrap();
        assert_eq!(docx_paragraphs(&bytes).unwrap().len(), 3_000);
    }

    #[test]
    fn tables_nested_past_the_limit_are_refused_without_exhausting_the_stack() {
        use crate::export::package::TOO_LARGE;
        let deepest = nested_tables(DOCX_LIMITS.depth);
        // On a thread with the stack of tokio's blocking pool, where uploads are read.
        let read = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || docx_paragraphs(&deepest))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(read.unwrap(), vec!["最里面"]);
        let too_deep = nested_tables(30_000);
        assert_eq!(docx_paragraphs(&too_deep).unwrap_err().0, TOO_LARGE);
    }

    #[test]
    fn file_names_drop_only_forbidden_characters() {
        let mut material = sample();
        material.title = "发言/材料:2026".into();
        assert_eq!(file_name(&material), "发言材料2026.docx");
        material.title = " ".into();
        assert_eq!(file_name(&material), "发言材料.docx");
    }
}

/// Layout properties of every element type, checked on the produced `document.xml` for
/// generated materials: each paragraph is matched with the document block it renders and
/// its alignment, indent, line rule, fonts (East-Asian included), sizes and text compared
/// with what docs/DOMAIN.md §5 prescribes for that kind of block.
#[cfg(test)]
mod layout {
    use super::*;
    use proptest::prelude::*;
    use quick_xml::events::{BytesStart, Event};
    use std::io::Read;

    #[derive(Debug, Default)]
    struct RunProps {
        east_asia: String,
        ascii: String,
        hint: String,
        size: String,
        condense: String,
        text: String,
    }

    #[derive(Debug, Default)]
    struct ParagraphProps {
        align: String,
        first_line: String,
        right_indent: String,
        line: String,
        line_rule: String,
        keep_next: bool,
        runs: Vec<RunProps>,
    }

    impl ParagraphProps {
        fn text(&self) -> String {
            self.runs.iter().map(|run| run.text.as_str()).collect()
        }
    }

    fn attribute(element: &BytesStart, name: &str) -> String {
        element
            .attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name.as_bytes())
            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
            .unwrap_or_default()
    }

    /// The body paragraphs of `document.xml` with the properties this module checks.
    fn paragraphs(xml: &str) -> Vec<ParagraphProps> {
        let mut reader = quick_xml::Reader::from_str(xml);
        let mut found = Vec::new();
        let mut stack: Vec<String> = Vec::new();
        let mut in_text = false;
        loop {
            let event = reader.read_event().expect("well-formed document.xml");
            let (element, opens) = match &event {
                Event::Start(e) => (Some(e.clone()), true),
                Event::Empty(e) => (Some(e.clone()), false),
                _ => (None, false),
            };
            // Table cells are checked by their own test, not as body paragraphs.
            let in_table = stack.iter().any(|n| n == "w:tbl");
            if let Some(element) = element.as_ref().filter(|_| in_table) {
                let name = String::from_utf8_lossy(element.name().as_ref()).into_owned();
                in_text = false;
                if opens {
                    stack.push(name);
                }
            } else if let Some(element) = element {
                let name = String::from_utf8_lossy(element.name().as_ref()).into_owned();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                match name.as_str() {
                    "w:p" => found.push(ParagraphProps::default()),
                    "w:r" => {
                        if let Some(p) = found.last_mut() {
                            p.runs.push(RunProps::default())
                        }
                    }
                    _ => {}
                }
                if let Some(p) = found.last_mut() {
                    let in_run = stack.iter().any(|n| n == "w:r");
                    match (name.as_str(), parent, in_run) {
                        ("w:jc", "w:pPr", false) => p.align = attribute(&element, "w:val"),
                        ("w:ind", "w:pPr", false) => {
                            p.first_line = attribute(&element, "w:firstLine");
                            p.right_indent = attribute(&element, "w:right");
                        }
                        ("w:spacing", "w:pPr", false) => {
                            p.line = attribute(&element, "w:line");
                            p.line_rule = attribute(&element, "w:lineRule");
                        }
                        ("w:keepNext", "w:pPr", false) => p.keep_next = true,
                        (_, _, true) => {
                            let run = p.runs.last_mut().unwrap();
                            match name.as_str() {
                                "w:rFonts" => {
                                    run.east_asia = attribute(&element, "w:eastAsia");
                                    run.ascii = attribute(&element, "w:ascii");
                                    run.hint = attribute(&element, "w:hint");
                                }
                                "w:sz" => run.size = attribute(&element, "w:val"),
                                "w:spacing" => run.condense = attribute(&element, "w:val"),
                                _ => {}
                            }
                        }
                        _ => {}
                    }
                }
                in_text = name == "w:t" && opens;
                if opens {
                    stack.push(name);
                }
            }
            match event {
                Event::Text(text) if in_text => {
                    if let Some(run) = found.last_mut().and_then(|p| p.runs.last_mut()) {
                        run.text.push_str(&String::from_utf8_lossy(&text));
                    }
                }
                Event::End(_) => {
                    stack.pop();
                    in_text = false;
                }
                Event::Eof => return found,
                _ => {}
            }
        }
    }

    fn document_xml(bytes: &[u8]) -> String {
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        archive
            .by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        xml
    }

    /// Every run: East-Asian face with the eastAsia hint, Times New Roman for Latin, the
    /// given size, and the −0.25 pt condensing exactly on 3号 runs.
    fn check_run(run: &RunProps, east_asia: &str, size: usize) -> Result<(), TestCaseError> {
        prop_assert_eq!(&run.east_asia, east_asia, "{:?}", run);
        prop_assert_eq!(&run.hint, "eastAsia");
        prop_assert_eq!(&run.ascii, FONT_LATIN);
        prop_assert_eq!(&run.size, &size.to_string());
        let condense = if size == SIZE_BODY {
            CONDENSE.to_string()
        } else {
            String::new()
        };
        prop_assert_eq!(&run.condense, &condense);
        Ok(())
    }

    fn check(block: &Block, p: &ParagraphProps) -> Result<(), TestCaseError> {
        prop_assert_eq!(&p.line, &LINE_PITCH.to_string(), "{:?}", block);
        prop_assert_eq!(&p.line_rule, "exact");
        let body_indent = INDENT_TWO_CHARS.to_string();
        let (align, first_line, faces, size): (&str, &str, Vec<&str>, usize) = match block {
            Block::Title(_) => ("center", "", vec![FONT_TITLE], SIZE_TITLE),
            Block::Speaker(_) => ("center", "", vec![FONT_KAI], SIZE_BODY),
            Block::Heading(_) => ("both", &body_indent, vec![FONT_HEI], SIZE_BODY),
            Block::SubHeading { rest, .. } if rest.is_empty() => {
                ("both", &body_indent, vec![FONT_KAI], SIZE_BODY)
            }
            Block::SubHeading { .. } => {
                ("both", &body_indent, vec![FONT_KAI, FONT_BODY], SIZE_BODY)
            }
            Block::Body(_) | Block::Closing(_) => {
                ("both", &body_indent, vec![FONT_BODY], SIZE_BODY)
            }
            Block::Date(_) => ("right", "", vec![FONT_BODY], SIZE_BODY),
            Block::Attachment(_) => ("left", "", vec![FONT_HEI], SIZE_BODY),
            Block::AttachmentTitle(_) => ("center", "", vec![FONT_TITLE], SIZE_TITLE),
            Block::Table { .. } => unreachable!("tables are no paragraphs"),
        };
        prop_assert_eq!(&p.align, align, "{:?}", block);
        prop_assert_eq!(&p.first_line, first_line, "{:?}", block);
        prop_assert_eq!(p.runs.len(), faces.len(), "{:?}", block);
        for (run, face) in p.runs.iter().zip(faces) {
            check_run(run, face, size)?;
        }
        match block {
            Block::Heading(_) => prop_assert!(p.keep_next, "a heading keeps with its text"),
            Block::SubHeading { heading, rest } => {
                prop_assert_eq!(&p.runs[0].text, heading);
                prop_assert_eq!(p.keep_next, rest.is_empty());
                if !rest.is_empty() {
                    prop_assert_eq!(&p.runs[1].text, rest);
                }
            }
            Block::Date(_) => {
                prop_assert_eq!(&p.right_indent, &(INDENT_TWO_CHARS * 2).to_string())
            }
            _ => {}
        }
        Ok(())
    }

    fn block_text(block: &Block) -> String {
        crate::domain::document::plain_lines(std::slice::from_ref(block)).concat()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn every_block_is_laid_out_as_its_kind_prescribes(
            material in crate::domain::import::round_trip::material(),
            table in any::<bool>(),
        ) {
            let layout = Layout { rectification_table: table };
            let expected: Vec<Block> = blocks_with(&material, layout)
                .into_iter()
                .filter(|block| !matches!(block, Block::Table { .. }))
                .collect();
            let xml = document_xml(&material_docx_with(&material, layout).unwrap());
            let found = paragraphs(&xml);
            prop_assert_eq!(found.len(), expected.len());
            for (block, paragraph) in expected.iter().zip(&found) {
                prop_assert_eq!(paragraph.text(), block_text(block));
                check(block, paragraph)?;
            }
            // The round-trip materials always have measures: the table is there exactly
            // when the layout asks for it.
            prop_assert_eq!(xml.contains("<w:tbl>"), table);
        }
    }

    #[test]
    fn the_font_table_offers_stock_windows_names() {
        let bytes = material_docx(&super::tests::sample()).unwrap();
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])).unwrap();
        let mut xml = String::new();
        archive
            .by_name("word/fontTable.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut fonts: Vec<(String, String)> = Vec::new();
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) if e.name().as_ref() == b"w:font" => {
                    fonts.push((attribute(&e, "w:name"), String::new()))
                }
                Event::Empty(e) if e.name().as_ref() == b"w:altName" => {
                    fonts.last_mut().unwrap().1 = attribute(&e, "w:val")
                }
                Event::Eof => break,
                _ => {}
            }
        }
        for (face, alternative) in [
            (FONT_BODY, "仿宋"),
            (FONT_KAI, "楷体"),
            (FONT_HEI, "SimHei"),
            (FONT_SONG, "SimSun"),
            (FONT_TITLE, "宋体"),
        ] {
            assert!(
                fonts.iter().any(|(f, a)| f == face && a == alternative),
                "{face} → {alternative} missing from {fonts:?}"
            );
        }
    }
}
