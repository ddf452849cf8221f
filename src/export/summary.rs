//! A meeting's summary sheet (.xlsx): one row per participant with progress, last change,
//! rounds and 材料体检 — what a secretary used to keep in a hand-made spreadsheet.

use rust_xlsxwriter::{Format, FormatAlign, Workbook, XlsxError};

/// One participant's line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    pub name: String,
    pub post: String,
    pub progress: String,
    pub last_activity: String,
    pub health: String,
    pub late: bool,
}

const HEADERS: [&str; 7] = [
    "序号",
    "姓名",
    "职务",
    "状态",
    "最近修改",
    "材料体检",
    "备注",
];

/// The sheet: a title line, a frozen header with filters, one row per participant.
pub fn summary_xlsx(title: &str, rows: &[SummaryRow]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("材料收集情况")?;
    let bold = Format::new().set_bold();
    let header = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_background_color("#E8EEF7");
    sheet.write_with_format(0, 0, title, &bold)?;
    for (column, text) in (0u16..).zip(HEADERS) {
        sheet.write_with_format(1, column, text, &header)?;
    }
    for (index, row) in rows.iter().enumerate() {
        let line = u32::try_from(index).unwrap_or(u32::MAX - 2) + 2;
        sheet.write(line, 0, u32::try_from(index + 1).unwrap_or(u32::MAX))?;
        sheet.write(line, 1, row.name.as_str())?;
        sheet.write(line, 2, row.post.as_str())?;
        sheet.write(line, 3, row.progress.as_str())?;
        sheet.write(line, 4, row.last_activity.as_str())?;
        sheet.write(line, 5, row.health.as_str())?;
        if row.late {
            sheet.write(line, 6, "已过截止日期")?;
        }
    }
    let last = u32::try_from(rows.len()).unwrap_or(u32::MAX - 2) + 1;
    sheet.autofilter(1, 0, last, 6)?;
    sheet.set_freeze_panes(2, 0)?;
    for (column, width) in [
        (0u16, 6.0),
        (1, 12.0),
        (2, 16.0),
        (3, 10.0),
        (4, 14.0),
        (5, 20.0),
        (6, 14.0),
    ] {
        sheet.set_column_width(column, width)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn the_sheet_reads_back_with_every_row() {
        let rows = vec![
            SummaryRow {
                name: "张明".into(),
                post: "科员".into(),
                progress: "已提交".into(),
                last_activity: "01-10 09:30".into(),
                health: "通过".into(),
                late: false,
            },
            SummaryRow {
                name: "刘芳".into(),
                post: String::new(),
                progress: "未开始".into(),
                last_activity: "—".into(),
                health: "—".into(),
                late: true,
            },
        ];
        let bytes = summary_xlsx("2026年度组织生活会", &rows).unwrap();
        let mut book = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("材料收集情况").unwrap();
        let cell = |r: u32, c: u32| match range.get_value((r, c)) {
            Some(Data::String(s)) => s.clone(),
            Some(Data::Float(f)) => f.to_string(),
            other => format!("{other:?}"),
        };
        assert_eq!(cell(0, 0), "2026年度组织生活会");
        assert_eq!(cell(1, 3), "状态");
        assert_eq!(
            (cell(2, 0), cell(2, 1), cell(2, 3)),
            ("1".into(), "张明".into(), "已提交".into())
        );
        assert_eq!(
            (cell(3, 1), cell(3, 6)),
            ("刘芳".into(), "已过截止日期".into())
        );
    }
}
