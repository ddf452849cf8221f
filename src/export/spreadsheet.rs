//! Reading a table (a roster) from .xlsx/.xls/.ods or .csv bytes into rows of text cells.
//! A workbook is checked before calamine builds anything from it: its size unpacked (see
//! `package`), and the position and number of its cells, counted without building them, so
//! that a small file cannot ask for a sheet of a billion cells.

mod ods;
mod xls;
mod xlsx;

use super::package::PackageError;
use calamine::Data;

/// The spreadsheet formats we read, chosen by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetKind {
    Workbook,
    Csv,
}

impl SheetKind {
    pub fn from_file_name(name: &str) -> Option<Self> {
        let lower = name.to_lowercase();
        if [".xlsx", ".xlsm", ".xls", ".ods"]
            .iter()
            .any(|ext| lower.ends_with(ext))
        {
            Some(Self::Workbook)
        } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
            Some(Self::Csv)
        } else {
            None
        }
    }
}

/// Reads the first worksheet (or the CSV) into rows of trimmed-free cell text. The error
/// is a Chinese sentence for the user.
pub fn read_table(bytes: &[u8], kind: SheetKind) -> Result<Vec<Vec<String>>, String> {
    match kind {
        SheetKind::Workbook => read_workbook(bytes).map_err(|refusal| refusal.to_string()),
        SheetKind::Csv => read_csv(bytes),
    }
}

/// How much of a workbook is read at most: far above a roster (5,000 people in a handful of
/// columns), far below what would strain the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TableLimits {
    /// Rows from the top of a sheet to its last cell with a value.
    pub rows: u64,
    /// Columns from the left of a sheet to its last cell with a value.
    pub columns: u64,
    /// Cells with a value, repeated ones counted each time, in all sheets together; also
    /// the most of one sheet's rectangle from A1 to its last row and column.
    pub cells: u64,
    /// Bytes of text in those cells, repeated ones counted each time.
    pub text: u64,
}

pub const TABLE_LIMITS: TableLimits = TableLimits {
    rows: 20_000,
    columns: 256,
    cells: 500_000,
    text: 20 * 1024 * 1024,
};

/// Why a workbook is not read; each says so in Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("无法读取该表格文件，请确认是 Excel（.xlsx/.xls）、.ods 或 .csv 文件")]
    Unreadable,
    #[error("{}", super::package::TOO_LARGE)]
    TooLarge,
    #[error("表格里没有工作表")]
    NoSheet,
    #[error("无法读取第一个工作表")]
    BadSheet,
}

impl From<PackageError> for SheetError {
    fn from(error: PackageError) -> Self {
        match error {
            PackageError::Unreadable => Self::Unreadable,
            PackageError::TooLarge => Self::TooLarge,
        }
    }
}

/// Counts the cells of a workbook as they are found, refusing the first one past a limit.
#[derive(Debug)]
pub(crate) struct Tally {
    limits: TableLimits,
    cells: u64,
    text: u64,
    /// The sheet being counted: one past its last row and column with a value.
    rows: u64,
    columns: u64,
}

impl Tally {
    pub(crate) fn new(limits: TableLimits) -> Self {
        Self {
            limits,
            cells: 0,
            text: 0,
            rows: 0,
            columns: 0,
        }
    }

    /// Starts counting another sheet: positions start again, totals go on.
    pub(crate) fn next_sheet(&mut self) {
        self.rows = 0;
        self.columns = 0;
    }

    /// Counts a cell with a value at (`row`, `column`), from the top left at 0, repeated
    /// over `rows` rows and `columns` columns, with `text` bytes of text in each copy.
    pub(crate) fn cell(
        &mut self,
        (row, column): (u64, u64),
        (rows, columns): (u64, u64),
        text: u64,
    ) -> Result<(), SheetError> {
        let limits = &self.limits;
        let copies = rows.saturating_mul(columns);
        self.rows = self.rows.max(row.saturating_add(rows));
        self.columns = self.columns.max(column.saturating_add(columns));
        self.cells = self.cells.saturating_add(copies);
        self.text = self.text.saturating_add(text.saturating_mul(copies));
        if self.rows > limits.rows
            || self.columns > limits.columns
            || self.rows.saturating_mul(self.columns) > limits.cells
            || self.cells > limits.cells
            || self.text > limits.text
        {
            return Err(SheetError::TooLarge);
        }
        Ok(())
    }
}

/// A workbook as a zip (.xlsx, .ods) or as an OLE compound file (.xls), whatever the file
/// is called: people rename one to the other.
fn read_workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    use super::package::{LIMITS, Package, is_xml};
    const COMPOUND_FILE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(COMPOUND_FILE) {
        return xls::read(bytes);
    }
    if !bytes.starts_with(b"PK") {
        return Err(SheetError::Unreadable);
    }
    let package = Package::open(bytes, &LIMITS, |name| is_xml(name) || name == "mimetype")?;
    match package.part("mimetype") {
        Some(mime) if mime.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") => {
            ods::read(&package)
        }
        _ => xlsx::read(&package),
    }
}

/// Runs a calamine reader, answering what it panics on as an unreadable sheet.
fn guarded<T>(read: impl FnOnce() -> Result<T, SheetError>) -> Result<T, SheetError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(read))
        .unwrap_or(Err(SheetError::BadSheet))
}

/// Rows of cell text from cells with values: the rectangle from the first row and column
/// with a value to the last, as calamine's ranges are.
fn rows_of(cells: Vec<((u32, u32), String)>) -> Vec<Vec<String>> {
    let Some(first_row) = cells.iter().map(|((row, _), _)| *row).min() else {
        return Vec::new();
    };
    let last_row = cells
        .iter()
        .map(|((row, _), _)| *row)
        .max()
        .unwrap_or(first_row);
    let first_column = cells
        .iter()
        .map(|((_, column), _)| *column)
        .min()
        .unwrap_or(0);
    let last_column = cells
        .iter()
        .map(|((_, column), _)| *column)
        .max()
        .unwrap_or(0);
    let width = (last_column - first_column + 1) as usize;
    let mut rows = vec![vec![String::new(); width]; (last_row - first_row + 1) as usize];
    for ((row, column), text) in cells {
        rows[(row - first_row) as usize][(column - first_column) as usize] = text;
    }
    rows
}

/// Cell text as a person reads it: mobile numbers typed into Excel arrive as floats and
/// must not become "13800138000.0" or "1.38e10".
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) => text.clone(),
        Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{}", *number as i64)
        }
        Data::Float(number) => number.to_string(),
        Data::Int(number) => number.to_string(),
        Data::Bool(value) => if *value { "是" } else { "否" }.to_string(),
        other => other.to_string(),
    }
}

/// CSV in UTF-8 (with or without BOM) or, as Excel on Chinese Windows saves it, GB18030.
fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.trim_start_matches('\u{feff}').to_string(),
        Err(_) => {
            let (decoded, _, had_errors) = encoding_rs::GB18030.decode(bytes);
            if had_errors {
                return Err("无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 Excel 文件".into());
            }
            decoded.into_owned()
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    reader
        .records()
        .enumerate()
        .map(|(index, record)| {
            record
                .map(|r| r.iter().map(str::to_string).collect())
                .map_err(|_| format!("CSV 第 {} 行格式有误（引号不成对？）", index + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_bom_and_in_gb18030_reads_the_same() {
        let utf8 = "\u{feff}姓名,登录名/手机,职务,支部\n张三,13800000001,科员,第一党支部\n";
        let (gbk, _, _) = encoding_rs::GB18030.encode(utf8.trim_start_matches('\u{feff}'));
        let expected = vec![
            vec!["姓名", "登录名/手机", "职务", "支部"],
            vec!["张三", "13800000001", "科员", "第一党支部"],
        ];
        assert_eq!(
            read_table(utf8.as_bytes(), SheetKind::Csv).unwrap(),
            expected
        );
        assert_eq!(read_table(&gbk, SheetKind::Csv).unwrap(), expected);
    }

    #[test]
    fn the_roster_template_opens_in_excel_as_utf8_and_imports_as_it_is() {
        // Excel on Chinese Windows reads a CSV without a byte-order mark as GBK: the
        // headings would come out garbled.
        let template = include_bytes!("../../public/roster-template.csv");
        assert!(template.starts_with(b"\xEF\xBB\xBF"));
        let rows = read_table(template, SheetKind::Csv).unwrap();
        assert_eq!(rows[0][0], "姓名");
        let entries = crate::domain::roster::parse_roster(&rows).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].name.as_str(), "张三");
        // The same rows without the mark read the same.
        assert_eq!(read_table(&template[3..], SheetKind::Csv).unwrap(), rows);
    }

    #[test]
    fn mobile_numbers_stored_as_numbers_keep_their_digits() {
        assert_eq!(cell_text(&Data::Float(13800138000.0)), "13800138000");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
    }

    #[test]
    fn garbage_is_refused_with_a_chinese_message() {
        let error = read_table(b"PK\x03\x04 not really a zip", SheetKind::Workbook).unwrap_err();
        assert!(error.contains("无法读取"));
        assert_eq!(
            SheetKind::from_file_name("名单.XLSX"),
            Some(SheetKind::Workbook)
        );
        assert_eq!(SheetKind::from_file_name("名单.pdf"), None);
    }
}

/// Hostile workbooks: each is small on disk and is refused before anything its size
/// unpacked, or the size of the sheet it declares, is built; real ones beside them read.
#[cfg(test)]
mod hostile {
    use super::*;
    use crate::export::package::{TOO_LARGE, inflating_xml, with_part, zipped};

    fn xlsx(cells: &[(u32, u16, &str)]) -> Vec<u8> {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (row, column, text) in cells {
            sheet.write_string(*row, *column, *text).unwrap();
        }
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn an_xlsx_reads_as_calamine_would_read_it() {
        use calamine::Reader;
        let file = xlsx(&[(2, 1, "姓名"), (2, 3, "支部"), (4, 2, "张三")]);
        let mut workbook =
            calamine::open_workbook_auto_from_rs(std::io::Cursor::new(file.clone())).unwrap();
        let range = workbook.worksheet_range_at(0).unwrap().unwrap();
        let expected: Vec<Vec<String>> = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        assert_eq!(read_table(&file, SheetKind::Workbook).unwrap(), expected);
        assert_eq!(expected[0], ["姓名", "", "支部"]);
    }

    #[test]
    fn a_sparse_xlsx_with_cells_at_a1_and_xfd1048576_is_refused() {
        let file = xlsx(&[(0, 0, "姓名"), (1_048_575, 16_383, "x")]);
        assert!(file.len() < 16 * 1024, "{} bytes", file.len());
        assert_eq!(
            read_table(&file, SheetKind::Workbook).unwrap_err(),
            TOO_LARGE
        );
        // So is one just past the row limit, in the first column.
        let file = xlsx(&[(0, 0, "姓名"), (TABLE_LIMITS.rows as u32, 0, "x")]);
        assert_eq!(
            read_table(&file, SheetKind::Workbook).unwrap_err(),
            TOO_LARGE
        );
    }

    #[test]
    fn an_xlsx_zip_bomb_is_refused() {
        let real = xlsx(&[(0, 0, "姓名")]);
        let bomb = with_part(&real, "xl/worksheets/sheet1.xml", &inflating_xml(64 << 20));
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        assert_eq!(
            read_table(&bomb, SheetKind::Workbook).unwrap_err(),
            TOO_LARGE
        );
    }

    #[test]
    fn one_shared_string_in_every_cell_counts_as_often_as_it_is_copied() {
        // Excel's longest cell text: 32,767 characters, 96 KB as UTF-8.
        let long = "长".repeat(32_000);
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for row in 0..300 {
            sheet.write_string(row, 0, &long).unwrap();
        }
        let file = workbook.save_to_buffer().unwrap();
        assert_eq!(
            read_table(&file, SheetKind::Workbook).unwrap_err(),
            TOO_LARGE
        );
    }

    fn ods(table: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="名单"><table:table-column table:number-columns-repeated="1024"/>{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        zipped(&[
            ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
            ("META-INF/manifest.xml", br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#),
            ("content.xml", content.as_bytes()),
        ])
    }

    const HEADER_ROW: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>姓名</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>支部</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1022"/></table:table-row>"#;

    #[test]
    fn an_ods_with_a_million_trailing_empty_rows_reads_as_libreoffice_writes_it() {
        let file = ods(&format!(
            r#"{HEADER_ROW}<table:table-row><table:table-cell office:value-type="string"><text:p>张三</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1022"/></table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#
        ));
        assert_eq!(
            read_table(&file, SheetKind::Workbook).unwrap(),
            vec![vec!["姓名", "支部"], vec!["张三", "1"]]
        );
    }

    #[test]
    fn an_ods_cell_or_row_repeated_a_million_times_is_refused() {
        for hostile in [
            r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="1048575"><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
            r#"<table:table-row table:number-rows-repeated="1048000"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#,
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>"#,
        ] {
            let file = ods(&format!("{HEADER_ROW}{hostile}"));
            assert_eq!(
                read_table(&file, SheetKind::Workbook).unwrap_err(),
                TOO_LARGE,
                "{hostile}"
            );
        }
    }
}
