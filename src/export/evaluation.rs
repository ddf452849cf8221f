//! The 民主评议党员情况统计表, as .xlsx and as a landscape .docx table: counts per grade, then
//! one line per member (自评, the 测评 votes where the small-group rule allows them, the
//! 评定 and its reason). No line says who voted what: the store does not know it.

use super::docx::{Column, DocxError, table_docx};
use crate::domain::cycle::{Grade, SheetRow, grade_counts};
use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

const HEADERS: [&str; 6] = [
    "序号",
    "姓名",
    "自评等次",
    "测评票数",
    "评定等次",
    "评定理由",
];

fn label(grade: Option<Grade>, missing: &str) -> String {
    grade.map_or_else(|| missing.to_string(), |g| g.label().to_string())
}

/// The 测评 votes in one cell: "优秀 2 / 合格 1 / …", or why they are not shown.
fn votes(row: &SheetRow) -> String {
    match &row.tallies {
        Some(counts) => Grade::ALL
            .iter()
            .zip(counts)
            .map(|(grade, n)| format!("{} {n}", grade.label()))
            .collect::<Vec<_>>()
            .join(" / "),
        None => "样本不足，不显示".into(),
    }
}

/// The summary line: how many members got each grade.
pub fn counts_line(rows: &[SheetRow]) -> String {
    let counts = grade_counts(rows);
    let parts: Vec<String> = Grade::ALL
        .iter()
        .zip(counts)
        .map(|(grade, n)| format!("{} {n} 名", grade.label()))
        .collect();
    format!("参评党员 {} 名：{}", rows.len(), parts.join("，"))
}

fn cells(index: usize, row: &SheetRow) -> Vec<String> {
    vec![
        (index + 1).to_string(),
        row.name.clone(),
        label(row.self_grade, "未自评"),
        votes(row),
        label(row.grade, "未评定"),
        row.reason.clone().unwrap_or_default(),
    ]
}

pub fn evaluation_xlsx(title: &str, rows: &[SheetRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("民主评议党员情况")?;
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("#E8EEF7");
    sheet.write_with_format(0, 0, title, &bold)?;
    sheet.write(1, 0, counts_line(rows))?;
    for (column, text) in (0u16..).zip(HEADERS) {
        sheet.write_with_format(2, column, text, &header)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let line = u32::try_from(index).unwrap_or(u32::MAX - 3) + 3;
        for (column, text) in (0u16..).zip(cells(index, row)) {
            sheet.write(line, column, text)?;
        }
    }
    sheet.set_freeze_panes(3, 0)?;
    for (column, width) in [
        (0u16, 6.0),
        (1, 12.0),
        (2, 10.0),
        (3, 36.0),
        (4, 10.0),
        (5, 40.0),
    ] {
        sheet.set_column_width(column, width)?;
    }
    workbook.save_to_buffer()
}

pub fn evaluation_docx(title: &str, branch: &str, rows: &[SheetRow]) -> Result<Vec<u8>, DocxError> {
    let widths = [900, 1800, 1500, 4200, 1500, 4000];
    let columns: Vec<Column> = HEADERS
        .iter()
        .zip(widths)
        .map(|(heading, width)| Column { heading, width })
        .collect();
    let lines: Vec<Vec<String>> = rows.iter().enumerate().map(|(i, r)| cells(i, r)).collect();
    table_docx(
        title,
        &format!("{branch} · {}", counts_line(rows)),
        &columns,
        &lines,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<SheetRow> {
        vec![
            SheetRow {
                name: "王刚".into(),
                self_grade: Some(Grade::Excellent),
                tallies: Some(vec![3, 1, 0, 0]),
                grade: Some(Grade::Excellent),
                reason: None,
            },
            SheetRow {
                name: "张明".into(),
                self_grade: None,
                tallies: None,
                grade: Some(Grade::BasicallyQualified),
                reason: Some("学习不够".into()),
            },
        ]
    }

    #[test]
    fn the_counts_line_names_each_grade() {
        assert_eq!(
            counts_line(&rows()),
            "参评党员 2 名：优秀 1 名，合格 0 名，基本合格 1 名，不合格 0 名"
        );
    }

    #[test]
    fn both_files_carry_every_member() {
        let docx =
            evaluation_docx("2025年度民主评议党员情况统计表", "第一党支部", &rows()).unwrap();
        let text = super::super::docx::docx_paragraphs(&docx)
            .unwrap()
            .join("\n");
        assert!(text.contains("王刚") && text.contains("学习不够"), "{text}");
        assert!(text.contains("样本不足"), "{text}");
        assert!(!evaluation_xlsx("统计表", &rows()).unwrap().is_empty());
    }
}
