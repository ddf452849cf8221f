//! Opening an uploaded Office package (.docx, .xlsx and .ods are zip files of XML parts)
//! within limits, before any parser sees it. A few kilobytes of zip can inflate to
//! gigabytes, declare sizes that make a reader reserve them up front, or hold XML nested
//! deep enough to exhaust a recursive parser's stack, or with enough tiny elements to
//! grow a document model a thousand times its size. Here every part is inflated at most to
//! its limit (declared sizes are checked first, and the bytes counted as they come, since a
//! declaration can lie), every XML part is walked once without building anything, and what
//! passes is handed on as a fresh, uncompressed package of exactly the bytes that were
//! counted: the parsers after this inflate nothing themselves.

use std::io::{Cursor, Read, Write};

/// How much of a package is read at most.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Bytes of all kept parts together, unpacked.
    pub total: u64,
    /// Bytes of any one part, unpacked (document.xml, comments.xml, a worksheet …).
    pub part: u64,
    /// Parts in the package.
    pub parts: usize,
    /// Elements open at once in any XML part.
    pub depth: usize,
    /// What the reader after this builds in memory for one XML element, in bytes, by the
    /// element's local name: a parser's model can be a thousand times its XML (docx-rs
    /// makes 2.4 KB of an empty `<w:p/>`).
    pub weight: fn(&[u8]) -> u64,
    /// The most of those weights in all parts together.
    pub model: u64,
}

/// What the uploads of this app need, with room to spare: a long material is ~30 KB of
/// text and its .docx a few hundred KB unpacked; a 5,000-person roster a few MB. Every
/// element weighs the same (a million of them in all); readers that build more per
/// element weigh theirs (`docx::DOCX_LIMITS`).
pub const LIMITS: Limits = Limits {
    total: 20 * 1024 * 1024,
    part: 10 * 1024 * 1024,
    parts: 2_000,
    depth: 128,
    weight: flat_weight,
    model: 64 * 1024 * 1024,
};

fn flat_weight(_: &[u8]) -> u64 {
    64
}

/// Why a package is not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PackageError {
    /// Not a zip file, or a damaged, encrypted or otherwise unreadable one.
    #[error("文件无法打开，或已损坏")]
    Unreadable,
    /// Past a limit: a zip bomb, or a structure no real document has.
    #[error("{TOO_LARGE}")]
    TooLarge,
}

/// The one answer to a file that is past a limit, whatever the format.
pub const TOO_LARGE: &str = "文件过大或结构异常，无法读取";

/// The parts kept from a package, unpacked and checked, in their original order.
#[derive(Debug, Clone, Default)]
pub struct Package {
    parts: Vec<(String, Vec<u8>)>,
}

impl Package {
    /// Unpacks the parts of `bytes` that `keep` names (the others are never inflated),
    /// within `limits`.
    pub fn open(
        bytes: &[u8],
        limits: &Limits,
        keep: impl Fn(&str) -> bool,
    ) -> Result<Self, PackageError> {
        let mut archive =
            zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| PackageError::Unreadable)?;
        if archive.len() > limits.parts {
            return Err(PackageError::TooLarge);
        }
        // Declared sizes first, so that a bomb is refused before anything is inflated.
        let mut wanted = Vec::new();
        let mut declared: u64 = 0;
        for index in 0..archive.len() {
            let entry = archive
                .by_index_raw(index)
                .map_err(|_| PackageError::Unreadable)?;
            if entry.is_dir() || !keep(entry.name()) {
                continue;
            }
            declared = declared.saturating_add(entry.size());
            if entry.size() > limits.part || declared > limits.total {
                return Err(PackageError::TooLarge);
            }
            wanted.push(index);
        }
        // Then the bytes themselves, counted as they are inflated.
        let mut parts = Vec::with_capacity(wanted.len());
        let mut unpacked: u64 = 0;
        let mut model = 0;
        for index in wanted {
            let entry = archive
                .by_index(index)
                .map_err(|_| PackageError::Unreadable)?;
            let name = entry.name().to_string();
            let room = limits.part.min(limits.total - unpacked);
            let mut data = Vec::with_capacity(usize::try_from(entry.size().min(room)).unwrap_or(0));
            entry
                .take(room + 1)
                .read_to_end(&mut data)
                .map_err(|_| PackageError::Unreadable)?;
            unpacked += data.len() as u64;
            if data.len() as u64 > room {
                return Err(PackageError::TooLarge);
            }
            if is_xml(&name) {
                model += check_xml(&data, limits, limits.model - model)?;
            }
            parts.push((name, data));
        }
        Ok(Self { parts })
    }

    /// The unpacked bytes of the part named `name`.
    pub fn part(&self, name: &str) -> Option<&[u8]> {
        self.parts
            .iter()
            .find(|(part, _)| part == name)
            .map(|(_, data)| data.as_slice())
    }

    /// The kept parts as a new zip file, stored without compression.
    pub fn repack(&self) -> Result<Vec<u8>, PackageError> {
        let total = self.parts.iter().map(|(_, data)| data.len()).sum::<usize>();
        let mut archive = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(total + 4096)));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, data) in &self.parts {
            archive
                .start_file(name.as_str(), options)
                .map_err(|_| PackageError::Unreadable)?;
            archive
                .write_all(data)
                .map_err(|_| PackageError::Unreadable)?;
        }
        let cursor = archive.finish().map_err(|_| PackageError::Unreadable)?;
        Ok(cursor.into_inner())
    }
}

/// The XML parts of a package, as its readers treat them.
pub fn is_xml(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".xml") || lower.ends_with(".rels")
}

/// Walks one XML part without building anything: refuses a document type declaration
/// (Office parts never have one; it is how entity-expansion bombs start), nesting deeper
/// than the limit, or elements weighing more than `room`. Answers their weight.
fn check_xml(xml: &[u8], limits: &Limits, room: u64) -> Result<u64, PackageError> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    let config = reader.config_mut();
    // Lenient about what the parsers after this are lenient about; strict only on size.
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    let mut open: usize = 0;
    let mut weight: u64 = 0;
    loop {
        match reader.read_event() {
            Ok(Event::Start(element)) => {
                open += 1;
                weight += (limits.weight)(element.local_name().as_ref());
                if open > limits.depth {
                    return Err(PackageError::TooLarge);
                }
            }
            Ok(Event::Empty(element)) => weight += (limits.weight)(element.local_name().as_ref()),
            Ok(Event::End(_)) => open = open.saturating_sub(1),
            Ok(Event::DocType(_)) => return Err(PackageError::TooLarge),
            Ok(Event::Eof) => return Ok(weight),
            Ok(_) => {}
            Err(_) => return Err(PackageError::Unreadable),
        }
        if weight > room {
            return Err(PackageError::TooLarge);
        }
    }
}

/// Packages built in tests: parts given as (name, bytes), deflated like real ones.
#[cfg(test)]
pub(crate) fn zipped(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut archive = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in parts {
        archive.start_file(*name, options).unwrap();
        archive.write_all(data).unwrap();
    }
    archive.finish().unwrap().into_inner()
}

/// `package` with the part `name` replaced by `data`.
#[cfg(test)]
pub(crate) fn with_part(package: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(package)).unwrap();
    let mut parts = Vec::new();
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if entry.name() == name {
            bytes = data.to_vec();
        }
        parts.push((entry.name().to_string(), bytes));
    }
    let parts: Vec<(&str, &[u8])> = parts
        .iter()
        .map(|(name, bytes)| (name.as_str(), bytes.as_slice()))
        .collect();
    zipped(&parts)
}

/// A part of `size` bytes of one repeated byte inside otherwise valid XML: deflates to
/// about a thousandth of its size, the shape of a zip bomb.
#[cfg(test)]
pub(crate) fn inflating_xml(size: usize) -> Vec<u8> {
    let mut xml =
        b"<?xml version=\"1.0\"?><w:document xmlns:w=\"w\"><w:body><w:p><w:r><w:t>".to_vec();
    xml.resize(size, b'a');
    xml.extend_from_slice(b"</w:t></w:r></w:p></w:body></w:document>");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    fn everything(_: &str) -> bool {
        true
    }

    #[test]
    fn a_real_package_is_repacked_with_the_same_parts_and_bytes() {
        let bytes = zipped(&[
            ("[Content_Types].xml", b"<Types/>"),
            ("word/document.xml", b"<w:document><w:body/></w:document>"),
            ("word/media/image1.png", b"\x89PNG not really"),
        ]);
        let package = Package::open(&bytes, &LIMITS, is_xml).unwrap();
        assert_eq!(package.part("word/media/image1.png"), None, "not kept");
        let again = Package::open(&package.repack().unwrap(), &LIMITS, everything).unwrap();
        assert_eq!(
            again.part("word/document.xml"),
            Some(b"<w:document><w:body/></w:document>".as_slice())
        );
        assert_eq!(again.parts.len(), 2);
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_inflated_past_the_limit() {
        let bomb = zipped(&[("word/document.xml", &inflating_xml(64 * 1024 * 1024))]);
        assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
        assert_eq!(
            Package::open(&bomb, &LIMITS, everything).unwrap_err(),
            PackageError::TooLarge
        );
    }

    #[test]
    fn many_parts_each_within_the_part_limit_are_refused_together() {
        let part = inflating_xml(6 * 1024 * 1024);
        let bytes = zipped(&[
            ("a.xml", &part),
            ("b.xml", &part),
            ("c.xml", &part),
            ("d.xml", &part),
        ]);
        assert_eq!(
            Package::open(&bytes, &LIMITS, everything).unwrap_err(),
            PackageError::TooLarge
        );
        // Two of them are within the total.
        let bytes = zipped(&[("a.xml", &part), ("b.xml", &part)]);
        assert!(Package::open(&bytes, &LIMITS, everything).is_ok());
    }

    /// The central directory says 100 bytes; the data inflates to 64 MB.
    #[test]
    fn a_part_that_lies_about_its_size_is_counted_as_it_inflates() {
        let mut bytes = zipped(&[("word/document.xml", &inflating_xml(64 * 1024 * 1024))]);
        let lie = 100u32.to_le_bytes();
        // The uncompressed size: at 22 in the local header, at 24 in the directory entry.
        let local = find(&bytes, b"PK\x03\x04").unwrap();
        let central = find(&bytes, b"PK\x01\x02").unwrap();
        bytes[local + 22..local + 26].copy_from_slice(&lie);
        bytes[central + 24..central + 28].copy_from_slice(&lie);
        match Package::open(&bytes, &LIMITS, everything) {
            Err(PackageError::TooLarge | PackageError::Unreadable) => {}
            Ok(package) => {
                let read = package.part("word/document.xml").unwrap().len() as u64;
                assert!(read <= LIMITS.part, "inflated {read} bytes");
            }
        }
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack
            .windows(needle.len())
            .position(|window| window == needle)
    }

    #[test]
    fn deep_nesting_is_refused_and_ordinary_nesting_is_not() {
        let nested = |depth: usize| {
            let mut xml = "<w:tbl>".repeat(depth);
            xml.push_str(&"</w:tbl>".repeat(depth));
            zipped(&[("word/document.xml", xml.as_bytes())])
        };
        assert!(Package::open(&nested(LIMITS.depth), &LIMITS, everything).is_ok());
        assert_eq!(
            Package::open(&nested(100_000), &LIMITS, everything).unwrap_err(),
            PackageError::TooLarge
        );
    }

    #[test]
    fn a_document_type_declaration_or_a_flood_of_elements_is_refused() {
        let laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><w:document>&lol2;</w:document>"#;
        let bytes = zipped(&[("word/document.xml", laughs)]);
        assert_eq!(
            Package::open(&bytes, &LIMITS, everything).unwrap_err(),
            PackageError::TooLarge
        );
        let flood = "<w:p/>".repeat((LIMITS.model / 64 + 1) as usize);
        let bytes = zipped(&[("word/document.xml", flood.as_bytes())]);
        assert_eq!(
            Package::open(&bytes, &LIMITS, everything).unwrap_err(),
            PackageError::TooLarge
        );
    }

    #[test]
    fn what_is_not_a_zip_is_unreadable() {
        assert_eq!(
            Package::open(b"PK\x03\x04 not really a zip", &LIMITS, everything).unwrap_err(),
            PackageError::Unreadable
        );
    }
}
