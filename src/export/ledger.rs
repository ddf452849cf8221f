//! The 整改台账 as a spreadsheet (.xlsx): one row per item with the columns of docs/DOMAIN.md §4.1
//! — at least the "五个明确" plus 序号, 完成情况 and 状态 — real dates, a frozen header and
//! filters, so a secretary can sort and hand it on without retyping.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

/// One item's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerSheetRow {
    pub meeting: String,
    pub owner: String,
    pub category: String,
    pub problem: String,
    pub measure: String,
    pub kind: String,
    /// `None` for 长期坚持 or an undated measure; `deadline_text` says which.
    pub deadline: Option<NaiveDate>,
    pub deadline_text: String,
    pub original_deadline: Option<NaiveDate>,
    pub standard: String,
    /// 整改进展 / 完成情况: the latest report.
    pub progress: String,
    pub completed_on: Option<NaiveDate>,
    pub status: String,
    /// 逾期 / 临期, as of the day of the export.
    pub warning: String,
    pub closed: String,
}

const HEADERS: [&str; 15] = [
    "序号",
    "会议",
    "责任人",
    "问题类别",
    "问题描述",
    "整改措施",
    "整改类型",
    "整改时限",
    "原定时限",
    "完成标准",
    "整改进展及完成情况",
    "完成时间",
    "状态",
    "预警",
    "销号人及日期",
];

const WIDTHS: [f64; 15] = [
    6.0, 18.0, 10.0, 14.0, 24.0, 32.0, 10.0, 12.0, 12.0, 20.0, 32.0, 12.0, 10.0, 8.0, 18.0,
];

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let part = |value: u32| u8::try_from(value).unwrap_or(1);
    ExcelDateTime::from_ymd(
        u16::try_from(date.year()).unwrap_or(1900),
        part(date.month()),
        part(date.day()),
    )
}

/// The sheet: a title line, a frozen header with filters, one row per item.
pub fn ledger_xlsx(title: &str, rows: &[LedgerSheetRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("整改台账")?;
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_background_color("#E8EEF7");
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let date = Format::new()
        .set_num_format("yyyy-mm-dd")
        .set_align(FormatAlign::Top);
    sheet.write_with_format(0, 0, title, &bold)?;
    for (column, name) in (0u16..).zip(HEADERS) {
        sheet.write_with_format(1, column, name, &header)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let line = u32::try_from(index).unwrap_or(u32::MAX - 2) + 2;
        sheet.write_with_format(line, 0, u32::try_from(index + 1).unwrap_or(u32::MAX), &text)?;
        let texts = [
            (1u16, &row.meeting),
            (2, &row.owner),
            (3, &row.category),
            (4, &row.problem),
            (5, &row.measure),
            (6, &row.kind),
            (9, &row.standard),
            (10, &row.progress),
            (12, &row.status),
            (13, &row.warning),
            (14, &row.closed),
        ];
        for (column, value) in texts {
            sheet.write_with_format(line, column, value.as_str(), &text)?;
        }
        match row.deadline {
            Some(deadline) => sheet.write_with_format(line, 7, &excel_date(deadline)?, &date)?,
            None => sheet.write_with_format(line, 7, row.deadline_text.as_str(), &text)?,
        };
        if let Some(original) = row.original_deadline {
            sheet.write_with_format(line, 8, &excel_date(original)?, &date)?;
        }
        if let Some(done) = row.completed_on {
            sheet.write_with_format(line, 11, &excel_date(done)?, &date)?;
        }
    }
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX - 2) + 1;
    sheet.autofilter(1, 0, last, 14)?;
    sheet.set_freeze_panes(2, 0)?;
    for (column, width) in (0u16..).zip(WIDTHS) {
        sheet.set_column_width(column, width)?;
    }
    workbook.save_to_buffer()
}

/// The 台账 as a landscape Word table in the official fonts, for printing and filing.
/// `subtitle` says whose it is and as of when.
pub fn ledger_docx(
    title: &str,
    subtitle: &str,
    rows: &[LedgerSheetRow],
) -> Result<Vec<u8>, crate::export::docx::DocxError> {
    use crate::export::docx::{Column, table_docx};
    // Widths in twips; they fill the 12,756 twips between landscape A4's margins.
    const COLUMNS: [Column; 9] = [
        Column {
            heading: "序号",
            width: 560,
        },
        Column {
            heading: "责任人",
            width: 900,
        },
        Column {
            heading: "问题类别",
            width: 1000,
        },
        Column {
            heading: "问题描述",
            width: 2000,
        },
        Column {
            heading: "整改措施",
            width: 2400,
        },
        Column {
            heading: "整改时限",
            width: 1200,
        },
        Column {
            heading: "完成标准",
            width: 1700,
        },
        Column {
            heading: "整改进展及完成情况",
            width: 1996,
        },
        Column {
            heading: "状态",
            width: 1000,
        },
    ];
    let table: Vec<Vec<String>> = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let deadline = match row.original_deadline {
                Some(original) => format!("{}\n（原定 {original}）", row.deadline_text),
                None => row.deadline_text.clone(),
            };
            let status = [
                row.status.as_str(),
                row.warning.as_str(),
                row.closed.as_str(),
            ]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
            vec![
                (index + 1).to_string(),
                row.owner.clone(),
                row.category.clone(),
                row.problem.clone(),
                row.measure.clone(),
                deadline,
                row.standard.clone(),
                row.progress.clone(),
                status,
            ]
        })
        .collect();
    table_docx(title, subtitle, &COLUMNS, &table)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn row(measure: &str, deadline: Option<NaiveDate>) -> LedgerSheetRow {
        LedgerSheetRow {
            meeting: "2025年度组织生活会".into(),
            owner: "张明".into(),
            category: "联系服务群众方面".into(),
            problem: "服务群众的意识不够强".into(),
            measure: measure.into(),
            kind: "限期整改".into(),
            deadline,
            deadline_text: deadline.map_or("长期坚持".into(), |d| d.to_string()),
            original_deadline: None,
            standard: "走访记录8次".into(),
            progress: "已走访5次".into(),
            completed_on: None,
            status: "整改中".into(),
            warning: "逾期".into(),
            closed: String::new(),
        }
    }

    #[test]
    fn the_sheet_reads_back_with_real_dates_and_every_column() {
        let mut extended = row("每季度走访社区", Some(day(2028, 2, 29)));
        extended.original_deadline = Some(day(2027, 12, 31));
        extended.completed_on = Some(day(2028, 1, 31));
        let rows = vec![extended, row("长期坚持学习", None)];
        let bytes = ledger_xlsx("第一党支部整改台账", &rows).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("整改台账").unwrap();
        let cell = |r: u32, c: u32| range.get_value((r, c)).cloned();
        let date = |r: u32, c: u32| match cell(r, c) {
            Some(Data::DateTime(value)) if value.is_datetime() => {
                let (y, m, d, ..) = value.to_ymd_hms_milli();
                NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
            }
            other => panic!("({r}, {c}) is not a date: {other:?}"),
        };
        assert_eq!(cell(0, 0), Some(Data::String("第一党支部整改台账".into())));
        assert_eq!(cell(1, 5), Some(Data::String("整改措施".into())));
        assert_eq!(cell(2, 0), Some(Data::Float(1.0)));
        assert_eq!(cell(2, 5), Some(Data::String("每季度走访社区".into())));
        assert_eq!(date(2, 7), Some(day(2028, 2, 29)), "a leap day survives");
        assert_eq!(date(2, 8), Some(day(2027, 12, 31)));
        assert_eq!(date(2, 11), Some(day(2028, 1, 31)));
        assert_eq!(cell(3, 7), Some(Data::String("长期坚持".into())));
        assert_eq!(cell(3, 12), Some(Data::String("整改中".into())));
        assert_eq!(range.height(), 4);
    }

    #[test]
    fn the_word_table_is_landscape_with_every_item_and_a_repeating_heading() {
        let mut closed = row("每季度走访社区", Some(day(2028, 2, 29)));
        closed.original_deadline = Some(day(2027, 12, 31));
        closed.status = "已销号".into();
        closed.warning = String::new();
        closed.closed = "李书记 2028-03-01".into();
        let rows = vec![closed, row("长期坚持学习", None)];
        let bytes = ledger_docx("第一党支部整改台账", "截至 2028年3月2日", &rows).unwrap();
        let text = crate::export::docx::docx_paragraphs(&bytes).unwrap();
        for expected in [
            "第一党支部整改台账",
            "截至 2028年3月2日",
            "整改进展及完成情况",
            "每季度走访社区",
            "（原定 2027-12-31）",
            "李书记 2028-03-01",
            "长期坚持学习",
            "逾期",
        ] {
            assert!(text.iter().any(|p| p == expected), "{expected}: {text:?}");
        }
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut document = String::new();
        std::io::Read::read_to_string(
            &mut archive.by_name("word/document.xml").unwrap(),
            &mut document,
        )
        .unwrap();
        assert!(document.contains(r#"w:orient="landscape""#), "landscape");
        assert!(document.contains(r#"w:w="16838""#) && document.contains(r#"w:h="11906""#));
        assert_eq!(document.matches("<w:tblHeader />").count(), 1);
        assert!(document.contains("仿宋_GB2312") && document.contains("黑体"));
    }
}
