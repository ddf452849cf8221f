//! 格式整理: anyone (no account) pastes a draft or uploads a .docx, sees the structure the
//! importer recognises, and downloads it in the official format. Nothing is stored; the
//! input is size-limited and each address rate-limited.

use super::AppError;
use crate::domain::document::Block;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// The largest draft accepted (a long material is ~30 KB of text; a .docx with images more).
pub const MAX_DRAFT_BYTES: usize = 5 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormatPreview {
    pub blocks: Vec<Block>,
    pub parts: usize,
    pub items: usize,
    pub chars: usize,
}

/// What the form sent: pasted text, or an uploaded file (which wins when both are given).
#[derive(Default)]
pub struct DraftInput {
    pub text: String,
    pub file: Option<(String, Vec<u8>)>,
}

impl DraftInput {
    /// Reads the draft into a material, or says in Chinese what is wrong. CPU work on
    /// untrusted input: callers run it through [`super::uploads::UploadGate`].
    #[cfg(feature = "ssr")]
    pub fn material(&self) -> Result<crate::domain::material::Material, AppError> {
        self.material_on(None)
    }

    /// As `material`; `reference` (the meeting's date) reads 时限 written without a year.
    #[cfg(feature = "ssr")]
    pub fn material_on(
        &self,
        reference: Option<chrono::NaiveDate>,
    ) -> Result<crate::domain::material::Material, AppError> {
        use crate::export::draft::read_draft_on;
        let material = match &self.file {
            Some((name, bytes)) if !bytes.is_empty() => {
                read_draft_on(name, bytes, reference).map_err(AppError::Invalid)?
            }
            _ if !self.text.trim().is_empty() => {
                crate::domain::import::parse_text_on(&self.text, reference)
            }
            _ => {
                return Err(AppError::Invalid(
                    "请粘贴材料文字，或选择一个 .docx / .txt 文件".into(),
                ));
            }
        };
        Ok(material)
    }

    /// Adds one form field, refusing a draft over the size limit.
    pub fn add(
        &mut self,
        name: &str,
        file_name: Option<String>,
        bytes: Vec<u8>,
    ) -> Result<(), AppError> {
        let size = self.text.len() + self.file.as_ref().map_or(0, |f| f.1.len()) + bytes.len();
        if size > MAX_DRAFT_BYTES {
            return Err(AppError::Invalid(format!(
                "材料超过 {} MB，请删去图片等内容后再试",
                MAX_DRAFT_BYTES / 1024 / 1024
            )));
        }
        match name {
            "text" => self.text = String::from_utf8_lossy(&bytes).into_owned(),
            "file" => {
                if let Some(file_name) = file_name.filter(|n| !n.is_empty()) {
                    self.file = Some((file_name, bytes));
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Counts one use of the public tools by this client.
#[cfg(feature = "ssr")]
pub fn throttled(ip: Option<std::net::IpAddr>) -> Result<(), AppError> {
    let state = super::context::state()?;
    state
        .tool_throttle
        .attempt(ip)
        .map_err(|wait| AppError::Throttled {
            seconds: wait.0.as_secs().max(1),
        })
}

#[server(endpoint = "recognise_draft", input = MultipartFormData)]
pub async fn recognise_draft(data: MultipartData) -> Result<FormatPreview, AppError> {
    use crate::domain::document::blocks;
    use crate::domain::material::{PartKind, char_count};

    throttled(super::context::client_ip())?;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let unreadable = |_| AppError::Invalid("内容没有完整收到，请重试".into());
    let mut input = DraftInput::default();
    while let Some(field) = multipart.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(unreadable)?;
        input.add(&name, file_name, bytes.to_vec())?;
    }
    let uploads = super::context::state()?.uploads;
    uploads
        .read(move || {
            let material = input.material()?;
            let blocks = blocks(&material);
            // The length of the speech: the attached 整改清单 repeats its measures.
            let speech: Vec<Block> = blocks
                .iter()
                .take_while(|block| !matches!(block, Block::Attachment(_)))
                .cloned()
                .collect();
            let chars = crate::domain::document::plain_lines(&speech)
                .iter()
                .map(|line| char_count(line))
                .sum();
            Ok(FormatPreview {
                parts: material.parts.len(),
                items: [PartKind::Problems, PartKind::Causes, PartKind::Measures]
                    .into_iter()
                    .map(|kind| material.items(kind).count())
                    .sum(),
                chars,
                blocks,
            })
        })
        .await?
}
