//! .xlsx: the first sheet's cells are streamed one by one and counted as they come, so a
//! sheet with a value at A1 and another at XFD1048576 is refused at the second one, before
//! anything the size of the rectangle between them exists.

use super::{SheetError, TABLE_LIMITS, Tally, cell_text, guarded, rows_of};
use crate::export::package::Package;
use calamine::{Data, DataRef, Reader, Xlsx};
use std::io::Cursor;

pub(super) fn read(package: &Package) -> Result<Vec<Vec<String>>, SheetError> {
    let bytes = package.repack()?;
    guarded(|| {
        let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| SheetError::Unreadable)?;
        let first = workbook
            .sheet_names()
            .first()
            .cloned()
            .ok_or(SheetError::NoSheet)?;
        let mut cells_of_sheet = workbook
            .worksheet_cells_reader(&first)
            .map_err(|_| SheetError::BadSheet)?;
        let mut tally = Tally::new(TABLE_LIMITS);
        let mut cells = Vec::new();
        while let Some(cell) = cells_of_sheet
            .next_cell()
            .map_err(|_| SheetError::BadSheet)?
        {
            let value = cell.get_value();
            if matches!(value, DataRef::Empty) {
                continue;
            }
            let (row, column) = cell.get_position();
            tally.cell(
                (u64::from(row), u64::from(column)),
                (1, 1),
                text_size(value),
            )?;
            cells.push(((row, column), cell_text(&Data::from(value.clone()))));
        }
        Ok(rows_of(cells))
    })
}

/// The bytes a cell's text takes, known before it is copied.
fn text_size(value: &DataRef<'_>) -> u64 {
    match value {
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => {
            text.len() as u64
        }
        DataRef::SharedString(text) => text.len() as u64,
        _ => 32,
    }
}
