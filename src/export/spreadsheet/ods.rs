//! .ods: calamine reads every sheet of `content.xml` at once and copies a repeated cell or
//! row as many times as it says (`table:number-columns-repeated="16384"`), so the repeats
//! are counted here first, without copying anything. Trailing empty rows and cells, which
//! LibreOffice writes as one row repeated a million times, copy nothing and count nothing.

use super::{SheetError, TABLE_LIMITS, TableLimits, Tally, cell_text, guarded};
use crate::export::package::Package;
use calamine::{Ods, Reader};
use quick_xml::events::{BytesStart, Event};
use std::io::Cursor;

pub(super) fn read(package: &Package) -> Result<Vec<Vec<String>>, SheetError> {
    let content = package.part("content.xml").ok_or(SheetError::Unreadable)?;
    check_content(content, TABLE_LIMITS)?;
    let bytes = package.repack()?;
    guarded(|| {
        let mut workbook = Ods::new(Cursor::new(bytes)).map_err(|_| SheetError::Unreadable)?;
        let range = workbook
            .worksheet_range_at(0)
            .ok_or(SheetError::NoSheet)?
            .map_err(|_| SheetError::BadSheet)?;
        Ok(range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect())
    })
}

/// The cell being read: where it is, how often it repeats, whether it has a value and how
/// much text it holds.
struct OpenCell {
    column: u64,
    repeats: u64,
    valued: bool,
    text: u64,
}

/// Counts every cell with a value in every sheet of `content.xml`, repeats included, as
/// calamine would copy them.
pub(crate) fn check_content(xml: &[u8], limits: TableLimits) -> Result<(), SheetError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut tally = Tally::new(limits);
    let mut tables = 0usize;
    let (mut row, mut row_repeats, mut column) = (0u64, 1u64, 0u64);
    let mut cell: Option<OpenCell> = None;
    loop {
        let event = reader.read_event().map_err(|_| SheetError::Unreadable)?;
        match &event {
            Event::Start(element) | Event::Empty(element) => {
                let empty = matches!(event, Event::Empty(_));
                match element.name().as_ref() {
                    b"table:table" => {
                        // A table inside a table is no spreadsheet calamine reads sensibly.
                        if tables > 0 {
                            return Err(SheetError::BadSheet);
                        }
                        tables += usize::from(!empty);
                        tally.next_sheet();
                        row = 0;
                    }
                    b"table:table-row" => {
                        row_repeats = repeats(element, b"table:number-rows-repeated")?;
                        column = 0;
                        if empty {
                            row = row.saturating_add(row_repeats);
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        let opened = OpenCell {
                            column,
                            repeats: repeats(element, b"table:number-columns-repeated")?,
                            valued: has_value(element),
                            text: 0,
                        };
                        column = column.saturating_add(opened.repeats);
                        if empty {
                            count(&mut tally, &opened, row, row_repeats)?;
                        } else {
                            cell = Some(opened);
                        }
                    }
                    // A run of spaces, `text:c` of them.
                    b"text:s" => {
                        if let Some(open) = cell.as_mut() {
                            let spaces = repeats(element, b"text:c")?;
                            open.text = open.text.saturating_add(spaces);
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(text) => {
                if let Some(open) = cell.as_mut() {
                    open.text = open.text.saturating_add(text.len() as u64);
                }
            }
            Event::GeneralRef(reference) => {
                if let Some(open) = cell.as_mut() {
                    open.text = open.text.saturating_add(reference.len() as u64 + 2);
                }
            }
            Event::End(element) => match element.name().as_ref() {
                b"table:table" => tables = tables.saturating_sub(1),
                b"table:table-row" => row = row.saturating_add(row_repeats),
                b"table:table-cell" | b"table:covered-table-cell" => {
                    if let Some(open) = cell.take() {
                        count(&mut tally, &open, row, row_repeats)?;
                    }
                }
                _ => {}
            },
            Event::DocType(_) => return Err(SheetError::TooLarge),
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn count(tally: &mut Tally, cell: &OpenCell, row: u64, rows: u64) -> Result<(), SheetError> {
    if !cell.valued {
        return Ok(());
    }
    // One more byte a copy, so that empty strings are not free.
    tally.cell((row, cell.column), (rows, cell.repeats), cell.text + 1)
}

/// A repeat count attribute (1 when absent). calamine refuses what does not parse too.
fn repeats(element: &BytesStart<'_>, name: &[u8]) -> Result<u64, SheetError> {
    match element.try_get_attribute(name) {
        Ok(None) => Ok(1),
        Ok(Some(attribute)) => std::str::from_utf8(&attribute.value)
            .ok()
            .and_then(|value| value.trim().parse().ok())
            .ok_or(SheetError::BadSheet),
        Err(_) => Err(SheetError::Unreadable),
    }
}

/// Whether calamine may give the cell a value: any `office:` value or value type, or a
/// formula. (It gives fewer; counting more only makes the limits stricter.)
fn has_value(element: &BytesStart<'_>) -> bool {
    element.attributes().flatten().any(|attribute| {
        let key = attribute.key.as_ref();
        key.starts_with(b"office:") || key == b"table:formula"
    })
}
