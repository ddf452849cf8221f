//! 佐证材料: the files a ledger item's owner (or its reviewer) attaches as evidence. Only a
//! few document and picture types are accepted, and a file must *be* what its name says —
//! the first bytes are checked, not just the extension — so nothing executable or
//! mislabelled is ever stored and later served to a colleague's browser.

use super::DomainError;
use serde::{Deserialize, Serialize};

/// The largest evidence file accepted: a phone photo or a scanned PDF fits easily.
pub const MAX_EVIDENCE_BYTES: usize = 10 * 1024 * 1024;

/// How much evidence one ledger item may hold: enough for a year of 佐证 on one measure.
pub const ITEM_QUOTA: EvidenceUsage = EvidenceUsage {
    files: 20,
    bytes: 60 * 1024 * 1024,
};

/// How much evidence one account may have uploaded across all items.
pub const ACCOUNT_QUOTA: EvidenceUsage = EvidenceUsage {
    files: 200,
    bytes: 500 * 1024 * 1024,
};

/// Files and bytes of evidence already stored (for an item or an uploader), or a quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EvidenceUsage {
    pub files: u64,
    pub bytes: u64,
}

/// Whether one more file of `size` bytes fits both the item's and the uploader's quota; the
/// refusal says which and what to do.
pub fn check_quota(
    on_item: EvidenceUsage,
    by_uploader: EvidenceUsage,
    size: usize,
) -> Result<(), DomainError> {
    let size = size as u64;
    let megabytes = |bytes: u64| bytes / 1024 / 1024;
    if on_item.files >= ITEM_QUOTA.files {
        return Err(DomainError::Invalid(format!(
            "这个整改事项已有 {} 个佐证文件，达到上限，请把材料合并后再上传",
            on_item.files
        )));
    }
    if on_item.bytes + size > ITEM_QUOTA.bytes {
        return Err(DomainError::Invalid(format!(
            "这个整改事项的佐证文件合计不能超过 {} MB，请压缩后再上传",
            megabytes(ITEM_QUOTA.bytes)
        )));
    }
    if by_uploader.files >= ACCOUNT_QUOTA.files || by_uploader.bytes + size > ACCOUNT_QUOTA.bytes {
        return Err(DomainError::Invalid(format!(
            "您上传的佐证文件已达上限（{} 个或 {} MB），请联系管理员",
            ACCOUNT_QUOTA.files,
            megabytes(ACCOUNT_QUOTA.bytes)
        )));
    }
    Ok(())
}

/// The longest file name kept (in characters, extension included).
const MAX_NAME_CHARS: usize = 80;

super::coded_enum! {
    /// What an accepted evidence file is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum EvidenceKind {
        Pdf => ("pdf", "PDF 文件"),
        Png => ("png", "PNG 图片"),
        Jpeg => ("jpeg", "JPEG 图片"),
        Docx => ("docx", "Word 文档"),
        Xlsx => ("xlsx", "Excel 表格"),
        Ofd => ("ofd", "OFD 版式文件"),
    }
}

impl EvidenceKind {
    /// The media type a download is served with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Ofd => "application/ofd",
        }
    }

    /// The extensions a file of this kind may carry.
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Pdf => &["pdf"],
            Self::Png => &["png"],
            Self::Jpeg => &["jpg", "jpeg"],
            Self::Docx => &["docx"],
            Self::Xlsx => &["xlsx"],
            Self::Ofd => &["ofd"],
        }
    }

    /// Whether `bytes` start the way a file of this kind starts.
    fn matches(self, bytes: &[u8]) -> bool {
        const ZIP: &[u8] = b"PK\x03\x04";
        match self {
            Self::Pdf => bytes.starts_with(b"%PDF-"),
            Self::Png => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            Self::Jpeg => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
            // Office Open XML and OFD (GB/T 33190) are zip packages.
            Self::Docx | Self::Xlsx | Self::Ofd => bytes.starts_with(ZIP),
        }
    }
}

/// The accept list for a file input.
pub const EVIDENCE_ACCEPT: &str = ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.ofd";

/// A checked evidence file: its kind and a name safe to show and to offer as a download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEvidence {
    pub kind: EvidenceKind,
    pub name: String,
}

/// Checks an uploaded file; the error says in Chinese what to do instead.
pub fn check_evidence(file_name: &str, bytes: &[u8]) -> Result<CheckedEvidence, DomainError> {
    if bytes.is_empty() {
        return Err(DomainError::Invalid("上传的文件是空的，请重新选择".into()));
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(DomainError::Invalid(format!(
            "佐证文件不能超过 {} MB，请压缩图片或拆分后再上传",
            MAX_EVIDENCE_BYTES / 1024 / 1024
        )));
    }
    let name = clean_name(file_name);
    let extension = name
        .rsplit_once('.')
        .map(|(_, extension)| extension.to_lowercase())
        .unwrap_or_default();
    let kind = EvidenceKind::ALL
        .into_iter()
        .find(|kind| kind.extensions().contains(&extension.as_str()))
        .ok_or_else(|| {
            DomainError::Invalid(
                "佐证材料只支持 PDF、图片（JPG / PNG）、Word（.docx）、Excel（.xlsx）和 OFD 文件"
                    .into(),
            )
        })?;
    if !kind.matches(bytes) {
        return Err(DomainError::Invalid(format!(
            "文件“{name}”的内容与扩展名不符，请另存为真正的 .{extension} 文件后再上传"
        )));
    }
    Ok(CheckedEvidence { kind, name })
}

/// The last path segment of a browser-sent name, without control characters, shortened
/// from the front of the stem so the extension survives.
fn clean_name(file_name: &str) -> String {
    let base = file_name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | '*' | '?' | ':'))
        .collect::<String>();
    let base = base.trim().trim_start_matches('.').to_string();
    let base = if base.is_empty() {
        "佐证材料".to_string()
    } else {
        base
    };
    if base.chars().count() <= MAX_NAME_CHARS {
        return base;
    }
    let (stem, extension) = base.rsplit_once('.').unwrap_or((base.as_str(), ""));
    let keep = MAX_NAME_CHARS.saturating_sub(extension.chars().count() + 1);
    let stem: String = stem.chars().take(keep).collect();
    if extension.is_empty() {
        stem
    } else {
        format!("{stem}.{extension}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PDF: &[u8] = b"%PDF-1.7\n%...";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F'];
    const ZIP: &[u8] = b"PK\x03\x04\x14\0\0\0";

    #[test]
    fn documents_and_pictures_that_are_what_they_say_are_accepted() {
        for (name, bytes, kind) in [
            ("会议记录.pdf", PDF, EvidenceKind::Pdf),
            ("照片.PNG", PNG, EvidenceKind::Png),
            ("现场.jpg", JPEG, EvidenceKind::Jpeg),
            ("现场.jpeg", JPEG, EvidenceKind::Jpeg),
            ("制度.docx", ZIP, EvidenceKind::Docx),
            ("台账.xlsx", ZIP, EvidenceKind::Xlsx),
            ("通知.ofd", ZIP, EvidenceKind::Ofd),
        ] {
            let checked = check_evidence(name, bytes).expect(name);
            assert_eq!(checked.kind, kind, "{name}");
            assert_eq!(checked.name, name);
        }
    }

    #[test]
    fn a_renamed_or_unlisted_file_is_refused_with_a_reason() {
        let error = check_evidence("照片.jpg", PDF).unwrap_err().to_string();
        assert!(error.contains("内容与扩展名不符"), "{error}");
        let error = check_evidence("report.html", b"<html>")
            .unwrap_err()
            .to_string();
        assert!(error.contains("只支持"), "{error}");
        let error = check_evidence("setup.exe", b"MZ\x90\0")
            .unwrap_err()
            .to_string();
        assert!(error.contains("只支持"), "{error}");
        let error = check_evidence("无扩展名", PDF).unwrap_err().to_string();
        assert!(error.contains("只支持"), "{error}");
        let error = check_evidence("空.pdf", b"").unwrap_err().to_string();
        assert!(error.contains("空的"), "{error}");
    }

    #[test]
    fn a_file_over_the_limit_is_refused() {
        let mut big = PDF.to_vec();
        big.resize(MAX_EVIDENCE_BYTES + 1, 0);
        let error = check_evidence("扫描件.pdf", &big).unwrap_err().to_string();
        assert!(error.contains("10 MB"), "{error}");
        big.truncate(MAX_EVIDENCE_BYTES);
        assert!(check_evidence("扫描件.pdf", &big).is_ok());
    }

    #[test]
    fn names_lose_paths_and_control_characters_and_keep_their_extension() {
        let checked = check_evidence("C:\\Users\\张明\\桌面\\学习\u{7}记录.pdf", PDF).unwrap();
        assert_eq!(checked.name, "学习记录.pdf");
        let checked = check_evidence("../../etc/passwd.pdf", PDF).unwrap();
        assert_eq!(checked.name, "passwd.pdf");
        let long = format!("{}.pdf", "很长".repeat(100));
        let checked = check_evidence(&long, PDF).unwrap();
        assert_eq!(checked.name.chars().count(), MAX_NAME_CHARS);
        assert!(checked.name.ends_with(".pdf"));
    }

    proptest! {
        #[test]
        fn any_accepted_name_is_short_clean_and_keeps_the_kind(name in ".{0,200}") {
            if let Ok(checked) = check_evidence(&format!("{name}.pdf"), PDF) {
                prop_assert!(checked.name.chars().count() <= MAX_NAME_CHARS);
                prop_assert!(!checked.name.contains(['/', '\\', '"']));
                prop_assert!(!checked.name.chars().any(char::is_control));
                prop_assert_eq!(checked.kind, EvidenceKind::Pdf);
            }
        }
    }

    #[test]
    fn a_file_fits_until_the_item_or_the_account_quota_is_reached() {
        let none = EvidenceUsage::default();
        assert!(check_quota(none, none, 1024).is_ok());
        let full_item = EvidenceUsage {
            files: ITEM_QUOTA.files,
            bytes: 1,
        };
        assert!(
            matches!(check_quota(full_item, none, 1), Err(DomainError::Invalid(m)) if m.contains("达到上限"))
        );
        let heavy_item = EvidenceUsage {
            files: 1,
            bytes: ITEM_QUOTA.bytes - 10,
        };
        assert!(check_quota(heavy_item, none, 10).is_ok());
        assert!(
            matches!(check_quota(heavy_item, none, 11), Err(DomainError::Invalid(m)) if m.contains("合计不能超过"))
        );
        let busy_account = EvidenceUsage {
            files: ACCOUNT_QUOTA.files,
            bytes: 0,
        };
        assert!(
            matches!(check_quota(none, busy_account, 1), Err(DomainError::Invalid(m)) if m.contains("请联系管理员"))
        );
        let heavy_account = EvidenceUsage {
            files: 1,
            bytes: ACCOUNT_QUOTA.bytes,
        };
        assert!(check_quota(none, heavy_account, 1).is_err());
    }
}
