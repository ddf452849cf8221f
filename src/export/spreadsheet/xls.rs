//! .xls: a BIFF8 record stream ("Workbook") inside an OLE compound file. calamine reads
//! both eagerly and trusts what they declare: the compound file's table sizes, a sheet's
//! `DIMENSIONS` (which it reserves room for), every cell's position, every formula. So the
//! compound file is opened by the `cfb` crate, which checks its structure, and only the
//! Workbook stream is taken out, within the size limit. Its records are then walked the way
//! calamine walks them, counting every cell it would build and the text it would copy, and
//! two things are neutralised in place: each `DIMENSIONS` record says one cell (calamine
//! only reserves room from it) and each formula is emptied (its text, which can expand
//! many times over, is never used here; the value computed by Excel is kept). calamine
//! then reads a fresh compound file holding just that stream.

use super::{SheetError, TABLE_LIMITS, TableLimits, Tally, cell_text, guarded};
use crate::export::package::LIMITS;
use calamine::{Reader, Xls};
use std::io::{Cursor, Read, Write};
use std::ops::Range;

/// More sheets than any workbook a person keeps.
const MAX_SHEETS: usize = 256;

pub(super) fn read(bytes: &[u8]) -> Result<Vec<Vec<String>>, SheetError> {
    let mut stream = workbook_stream(bytes)?;
    check_records(&mut stream, TABLE_LIMITS)?;
    let file = compound_file(&stream)?;
    guarded(|| {
        let mut workbook = Xls::new(Cursor::new(file)).map_err(|_| SheetError::Unreadable)?;
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

/// The Workbook stream (Excel 97 and later; "Book" before), at most the part limit.
fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>, SheetError> {
    let mut file =
        cfb::CompoundFile::open(Cursor::new(bytes)).map_err(|_| SheetError::Unreadable)?;
    let name = ["/Workbook", "/Book"]
        .into_iter()
        .find(|name| file.is_stream(name))
        .ok_or(SheetError::Unreadable)?;
    let stream = file.open_stream(name).map_err(|_| SheetError::Unreadable)?;
    if stream.len() > LIMITS.part {
        return Err(SheetError::TooLarge);
    }
    let mut data = Vec::with_capacity(usize::try_from(stream.len()).unwrap_or(0));
    stream
        .take(LIMITS.part + 1)
        .read_to_end(&mut data)
        .map_err(|_| SheetError::Unreadable)?;
    if data.len() as u64 > LIMITS.part {
        return Err(SheetError::TooLarge);
    }
    Ok(data)
}

/// A new compound file (version 3, the one every reader knows) with one stream.
fn compound_file(stream: &[u8]) -> Result<Vec<u8>, SheetError> {
    let failed = |_| SheetError::Unreadable;
    let mut file =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
            .map_err(failed)?;
    let mut workbook = file.create_stream("/Workbook").map_err(failed)?;
    workbook.write_all(stream).map_err(failed)?;
    drop(workbook);
    file.flush().map_err(failed)?;
    Ok(file.into_inner().into_inner())
}

/// One BIFF record: its type, where its data is in the stream, and the data of the
/// `CONTINUE` records after it, which calamine reads as part of it.
struct Record {
    kind: u16,
    data: Range<usize>,
    continues: Vec<Range<usize>>,
}

const EOF: u16 = 0x000A;
const CONTINUE: u16 = 0x003C;

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// The records from `start` to the first `EOF` record (included) or the end of the stream,
/// split as calamine splits them.
fn records(stream: &[u8], start: usize) -> Result<Vec<Record>, SheetError> {
    let header = |at: usize| Some((u16_at(stream, at)?, usize::from(u16_at(stream, at + 2)?)));
    let mut found = Vec::new();
    let mut at = start;
    while at < stream.len() {
        let (kind, length) = header(at).ok_or(SheetError::BadSheet)?;
        let data = at + 4..at + 4 + length;
        if data.end > stream.len() {
            return Err(SheetError::BadSheet);
        }
        at = data.end;
        let mut continues = Vec::new();
        while stream.len() - at > 4 && header(at).is_some_and(|(kind, _)| kind == CONTINUE) {
            let (_, length) = header(at).ok_or(SheetError::BadSheet)?;
            let part = at + 4..at + 4 + length;
            if part.end > stream.len() {
                return Err(SheetError::BadSheet);
            }
            at = part.end;
            continues.push(part);
        }
        found.push(Record {
            kind,
            data,
            continues,
        });
        if kind == EOF {
            break;
        }
    }
    Ok(found)
}

/// Counts what calamine would build from the stream, refusing past `limits`, and
/// neutralises the declarations it would trust (see the module documentation).
pub(crate) fn check_records(stream: &mut [u8], limits: TableLimits) -> Result<(), SheetError> {
    let mut strings = Vec::new();
    let mut sheets = Vec::new();
    for record in records(stream, 0)? {
        match record.kind {
            // SST: the shared strings.
            0x00FC => strings = string_sizes(stream, &record, limits)?,
            // BoundSheet8: where a sheet's records start.
            0x0085 => {
                let at = u32_at(&stream[record.data], 0).ok_or(SheetError::BadSheet)?;
                sheets.push(at as usize);
                if sheets.len() > MAX_SHEETS {
                    return Err(SheetError::TooLarge);
                }
            }
            _ => {}
        }
    }
    let mut tally = Tally::new(limits);
    // Sheets that start at the same place, or run into each other, would be read again
    // and again: together they may not be longer than the stream.
    let mut walked = 0usize;
    for start in sheets {
        if start > stream.len() {
            return Err(SheetError::BadSheet);
        }
        tally.next_sheet();
        let mut formula_at = (0, 0);
        for record in records(stream, start)? {
            walked += record.data.len() + 4;
            walked += record.continues.iter().map(|r| r.len() + 4).sum::<usize>();
            let data = &stream[record.data.clone()];
            let length =
                (data.len() + record.continues.iter().map(Range::len).sum::<usize>()) as u64;
            let position = || -> Result<(u64, u64), SheetError> {
                Ok((
                    u64::from(u16_at(data, 0).ok_or(SheetError::BadSheet)?),
                    u64::from(u16_at(data, 2).ok_or(SheetError::BadSheet)?),
                ))
            };
            match record.kind {
                // DIMENSIONS: says A1 only; calamine finds the real extent from the cells.
                0x0200 => neutralise_dimensions(&mut stream[record.data]),
                // Number, BoolErr, Rk.
                0x0203 | 0x0205 | 0x027E => tally.cell(position()?, (1, 1), 32)?,
                // Label: its text is in the record.
                0x0204 => tally.cell(position()?, (1, 1), length * 3)?,
                // LabelSst: a copy of a shared string.
                0x00FD => {
                    let index = u32_at(data, 6).ok_or(SheetError::BadSheet)? as usize;
                    let text = strings.get(index).copied().unwrap_or(0);
                    tally.cell(position()?, (1, 1), text)?;
                }
                // MulRk: numbers in one row from a first to a last column.
                0x00BD => {
                    let (row, first) = position()?;
                    let last = data
                        .len()
                        .checked_sub(2)
                        .and_then(|at| u16_at(data, at))
                        .map(u64::from)
                        .filter(|last| *last >= first)
                        .ok_or(SheetError::BadSheet)?;
                    tally.cell((row, first), (1, last - first + 1), 32)?;
                }
                // Formula: the value Excel computed, and the formula, emptied here.
                0x0006 => {
                    formula_at = position()?;
                    tally.cell(formula_at, (1, 1), length + 32)?;
                    let data = &mut stream[record.data];
                    if let Some(length) = data.get_mut(20..22) {
                        length.copy_from_slice(&[0, 0]);
                    }
                }
                // String: the text value of the formula before it.
                0x0207 => tally.cell(formula_at, (1, 1), length * 3)?,
                _ => {}
            }
        }
        if walked > stream.len() {
            return Err(SheetError::TooLarge);
        }
    }
    Ok(())
}

/// DIMENSIONS as rows 0..1 and columns 0..1, in the BIFF8 (14 bytes) or BIFF5 (10) form.
fn neutralise_dimensions(data: &mut [u8]) {
    match data.len() {
        14 => {
            data[0..4].copy_from_slice(&0u32.to_le_bytes());
            data[4..8].copy_from_slice(&1u32.to_le_bytes());
            data[8..10].copy_from_slice(&0u16.to_le_bytes());
            data[10..12].copy_from_slice(&1u16.to_le_bytes());
        }
        10 => {
            data[0..2].copy_from_slice(&0u16.to_le_bytes());
            data[2..4].copy_from_slice(&1u16.to_le_bytes());
            data[4..6].copy_from_slice(&0u16.to_le_bytes());
            data[6..8].copy_from_slice(&1u16.to_le_bytes());
        }
        _ => {}
    }
}

/// The most bytes each shared string can take as UTF-8 (three per character), found by
/// walking the SST record and its continuations as calamine does.
fn string_sizes(
    stream: &[u8],
    record: &Record,
    limits: TableLimits,
) -> Result<Vec<u64>, SheetError> {
    let bad = SheetError::BadSheet;
    let mut blocks = record.continues.iter().map(|range| &stream[range.clone()]);
    let mut data = stream[record.data.clone()].get(8..).ok_or(bad)?;
    let mut sizes = Vec::new();
    loop {
        if data.is_empty() {
            match blocks.next() {
                Some(block) => data = block,
                None => return Ok(sizes),
            }
            continue;
        }
        let characters = usize::from(u16_at(data, 0).ok_or(bad)?);
        let flags = *data.get(2).ok_or(bad)?;
        data = &data[3..];
        let mut extra = 0usize;
        if flags & 0x8 != 0 {
            extra += usize::from(u16_at(data, 0).ok_or(bad)?) * 4;
            data = &data[2..];
        }
        if flags & 0x4 != 0 {
            extra = extra.saturating_add(u32_at(data, 0).ok_or(bad)? as i32 as usize);
            data = &data[4..];
        }
        let mut wide = flags & 0x1 != 0;
        let mut left = characters;
        while left > 0 {
            let unit = if wide { 2 } else { 1 };
            let taken = left.min(data.len() / unit);
            data = &data[taken * unit..];
            left -= taken;
            if left > 0 {
                let block = blocks.next().ok_or(bad)?;
                wide = *block.first().ok_or(bad)? & 0x1 != 0;
                data = &block[1..];
            }
        }
        while extra > 0 {
            if data.is_empty() {
                data = blocks.next().ok_or(bad)?;
                continue;
            }
            let skipped = extra.min(data.len());
            data = &data[skipped..];
            extra -= skipped;
        }
        sizes.push(characters as u64 * 3);
        if sizes.len() as u64 > limits.cells {
            return Err(SheetError::TooLarge);
        }
    }
}

/// Workbooks written here record by record, as Excel lays them out.
#[cfg(test)]
pub(crate) mod build {
    /// One record.
    pub fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut bytes = kind.to_le_bytes().to_vec();
        bytes.extend_from_slice(&(data.len() as u16).to_le_bytes());
        bytes.extend_from_slice(data);
        bytes
    }

    /// A cell: a number, or a label in compressed (Latin-1) or UTF-16 form.
    pub enum Value<'a> {
        Number(f64),
        Text(&'a str),
    }

    /// The Workbook stream of one sheet: globals (BOF, `sheets` BoundSheet records all
    /// pointing at the sheet, EOF), then the sheet (BOF, the `extra` records, the cells, EOF).
    pub fn workbook(cells: &[(u16, u16, Value<'_>)], extra: &[Vec<u8>], sheets: usize) -> Vec<u8> {
        let bof = |kind: u16| {
            let mut data = 0x0600u16.to_le_bytes().to_vec();
            data.extend_from_slice(&kind.to_le_bytes());
            data.extend_from_slice(&[0; 12]);
            record(0x0809, &data)
        };
        let sheet_name: Vec<u8> = "名单".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let bound_sheet = |at: u32| {
            let mut data = at.to_le_bytes().to_vec();
            data.extend_from_slice(&[0, 0, 2, 1]);
            data.extend_from_slice(&sheet_name);
            record(0x0085, &data)
        };
        let sheet_at =
            bof(0x0005).len() + sheets * bound_sheet(0).len() + record(0x000A, &[]).len();
        let mut stream = bof(0x0005);
        for _ in 0..sheets {
            stream.extend(bound_sheet(sheet_at as u32));
        }
        stream.extend(record(0x000A, &[]));
        stream.extend(bof(0x0010));
        for record in extra {
            stream.extend_from_slice(record);
        }
        for (row, column, value) in cells {
            let mut data = row.to_le_bytes().to_vec();
            data.extend_from_slice(&column.to_le_bytes());
            data.extend_from_slice(&[0, 0]);
            match value {
                Value::Number(number) => {
                    data.extend_from_slice(&number.to_le_bytes());
                    stream.extend(record(0x0203, &data));
                }
                Value::Text(text) => {
                    let units: Vec<u16> = text.encode_utf16().collect();
                    data.extend_from_slice(&(units.len() as u16).to_le_bytes());
                    data.push(1);
                    data.extend(units.iter().flat_map(|unit| unit.to_le_bytes()));
                    stream.extend(record(0x0204, &data));
                }
            }
        }
        stream.extend(record(0x000A, &[]));
        stream
    }

    /// The stream in a compound file, as an .xls file.
    pub fn xls(stream: &[u8]) -> Vec<u8> {
        super::compound_file(stream).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::build::{Value, record, workbook, xls};
    use super::*;

    #[test]
    fn a_workbook_of_labels_and_numbers_reads_as_its_rows() {
        let file = xls(&workbook(
            &[
                (0, 0, Value::Text("姓名")),
                (0, 1, Value::Text("登录名/手机")),
                (1, 0, Value::Text("张三")),
                (1, 1, Value::Number(13800138000.0)),
            ],
            &[],
            1,
        ));
        assert_eq!(
            read(&file).unwrap(),
            vec![vec!["姓名", "登录名/手机"], vec!["张三", "13800138000"]]
        );
    }

    #[test]
    fn a_cell_far_away_is_refused_before_calamine_sees_it() {
        let file = xls(&workbook(
            &[
                (0, 0, Value::Text("姓名")),
                (65535, 255, Value::Number(1.0)),
            ],
            &[],
            1,
        ));
        assert_eq!(read(&file).unwrap_err(), SheetError::TooLarge);
    }

    #[test]
    fn declared_dimensions_of_a_whole_sheet_do_not_matter() {
        // rows 0..u32::MAX, columns 0..255: calamine would reserve room for all of them.
        let mut dimensions = 0u32.to_le_bytes().to_vec();
        dimensions.extend_from_slice(&u32::MAX.to_le_bytes());
        dimensions.extend_from_slice(&0u16.to_le_bytes());
        dimensions.extend_from_slice(&255u16.to_le_bytes());
        dimensions.extend_from_slice(&[0, 0]);
        let file = xls(&workbook(
            &[(0, 0, Value::Text("姓名"))],
            &[record(0x0200, &dimensions)],
            1,
        ));
        assert_eq!(read(&file).unwrap(), vec![vec!["姓名"]]);
    }

    #[test]
    fn many_sheets_over_the_same_records_are_refused() {
        let cells = [(0, 0, Value::Number(1.0))];
        let mut one = workbook(&cells, &[], 1);
        assert!(check_records(&mut one, TABLE_LIMITS).is_ok());
        let mut many = workbook(&cells, &[], 100);
        assert_eq!(
            check_records(&mut many, TABLE_LIMITS).unwrap_err(),
            SheetError::TooLarge
        );
    }

    #[test]
    fn what_is_not_a_compound_file_is_unreadable() {
        assert_eq!(
            read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and nothing else").unwrap_err(),
            SheetError::Unreadable
        );
    }
}
