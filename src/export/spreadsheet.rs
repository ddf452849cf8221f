//! Reading a table (a roster) from .xlsx/.xls/.ods or .csv bytes into rows of text cells.

use calamine::{Data, Reader, open_workbook_auto_from_rs};
use std::io::Cursor;

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
        SheetKind::Workbook => read_workbook(bytes),
        SheetKind::Csv => read_csv(bytes),
    }
}

fn read_workbook(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|_| "无法读取该表格文件，请确认是 Excel（.xlsx/.xls）或 .csv 文件".to_string())?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or_else(|| "表格里没有工作表".to_string())?
        .map_err(|_| "无法读取第一个工作表".to_string())?;
    Ok(range
        .rows()
        .map(|row| row.iter().map(cell_text).collect())
        .collect())
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
