//! Policy packs (docs/TEMPLATES.md) for an organisation's administrators: the list, the
//! upload of an edited pack, and (in `downloads`) the download of one. A pack the
//! organisation uploaded replaces the shipped pack of the same key for all its branches.

use super::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// The form field carrying the pack file.
pub const PACK_FIELD: &str = "pack";

/// One pack as the administrators' list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackEntry {
    pub key: String,
    pub name: String,
    pub year: u16,
    /// The meeting type's Chinese name.
    pub meeting_type: String,
    pub aspects: usize,
    /// Uploaded by the organisation (else shipped with the app).
    pub uploaded: bool,
    /// The pack a new meeting of its type starts from.
    pub newest: bool,
    /// Where to download the file.
    pub href: String,
}

/// Reads an uploaded pack, checks it and stores it for the actor's organisation. A file
/// with problems is refused with every problem on its line, and nothing is stored.
#[server(endpoint = "upload_policy_pack", input = MultipartFormData)]
pub async fn upload_policy_pack(data: MultipartData) -> Result<(), AppError> {
    use super::context::{actor, audit, state};
    use crate::domain::pack::{MAX_PACK_BYTES, parse_pack};
    use crate::domain::policy::can_administer_org;

    let actor = actor().await?;
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let unreadable = |_| AppError::Invalid("上传的文件没有完整收到，请重试".into());
    let mut file = None;
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some(PACK_FIELD) {
            continue;
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            bytes.extend_from_slice(&chunk);
            // One byte over is enough for the parser to say the file is too large.
            if bytes.len() > MAX_PACK_BYTES {
                break;
            }
        }
        file = Some(bytes);
    }
    let bytes = file
        .filter(|bytes| !bytes.is_empty())
        .ok_or_else(|| AppError::Invalid("请选择要上传的模板文件（.toml）".into()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| AppError::Invalid("模板文件须以 UTF-8 编码保存".into()))?;
    // Editors on Windows may save a byte-order mark; it is not part of the TOML.
    let text = text.trim_start_matches('\u{feff}').to_string();
    let pack = parse_pack(&text).map_err(|problems| {
        AppError::InvalidRows(problems.iter().map(ToString::to_string).collect())
    })?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    state()?
        .store
        .save_org_pack(
            &actor.org_id,
            &pack,
            &text,
            &audit(&actor, "pack.upload", Some(pack.key.clone())),
        )
        .await?;
    Ok(())
}

/// Server-side reading of the packs an organisation's branches choose from.
#[cfg(feature = "ssr")]
pub mod backend {
    use super::PackEntry;
    use crate::domain::pack::{Pack, effective_packs, newest_pack, parse_pack, shipped_packs};
    use crate::server::AppError;
    use crate::store::Store;

    /// A pack in effect for an organisation, and its text when the organisation uploaded it.
    pub struct OrgPack {
        pub pack: Pack,
        pub uploaded_text: Option<String>,
    }

    /// The packs in effect for the organisation: its uploads over the shipped packs, newest
    /// year first.
    pub async fn org_effective_packs(
        store: &Store,
        org_id: &str,
    ) -> Result<Vec<OrgPack>, AppError> {
        let mut uploaded = Vec::new();
        let mut texts = Vec::new();
        for stored in store.org_packs(org_id).await? {
            match parse_pack(&stored.source) {
                Ok(pack) => {
                    texts.push((pack.key.clone(), stored.source));
                    uploaded.push(pack);
                }
                // Checked on upload; a pack that no longer reads (the format changed) is
                // left out rather than breaking every branch's form.
                Err(problems) => {
                    tracing::error!(key = %stored.key, ?problems, "a stored pack no longer parses");
                }
            }
        }
        Ok(effective_packs(shipped_packs(), uploaded)
            .into_iter()
            .map(|pack| {
                let uploaded_text = texts
                    .iter()
                    .find(|(key, _)| *key == pack.key)
                    .map(|(_, text)| text.clone());
                OrgPack {
                    pack,
                    uploaded_text,
                }
            })
            .collect())
    }

    /// The list for the administrators' page.
    pub fn entries(packs: &[OrgPack]) -> Vec<PackEntry> {
        let all: Vec<Pack> = packs.iter().map(|p| p.pack.clone()).collect();
        packs
            .iter()
            .map(
                |OrgPack {
                     pack,
                     uploaded_text,
                 }| PackEntry {
                    key: pack.key.clone(),
                    name: pack.template.name.clone(),
                    year: pack.year,
                    meeting_type: pack.meeting_type.label().into(),
                    aspects: pack.aspects.len(),
                    uploaded: uploaded_text.is_some(),
                    newest: newest_pack(&all, pack.meeting_type).is_some_and(|n| n.key == pack.key),
                    href: format!("/admin/packs/{}.toml", pack.key),
                },
            )
            .collect()
    }
}
