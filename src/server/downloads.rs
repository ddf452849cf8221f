//! File downloads, as plain GET routes (a browser saves them; no JavaScript needed). Each
//! one checks the meeting and the access rules exactly like a server function does, and
//! answers "not found" to anyone who may not have the file.
//!
//! Long because each download repeats the access rules of its page on purpose (see
//! `access`), next to the file it builds.

use super::AppError;
use super::context::{AppState, audit_from};
use crate::domain::policy::Actor;
use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::{HeaderValue, StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use std::net::IpAddr;
use tower_sessions::Session;

mod evaluation;
pub use evaluation::*;
mod rectification_plan;
pub use rectification_plan::*;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const ZIP: &str = "application/zip";
const TOML: &str = "application/toml; charset=utf-8";

/// Every answer a download gives instead of its file. Plain text: the browser shows it on
/// a page of its own, with no app around it.
#[derive(Debug)]
pub enum DownloadError {
    /// Not there, not the requester's to have, or nobody logged in: all answer alike, so a
    /// stranger learns nothing about what exists.
    NotFound,
    /// The account must first replace an initial or reset password.
    PasswordChangeRequired,
    /// The public format tool turning a draft away (throttled, not fully received, not
    /// readable, the upload gate busy), with the server functions' status and words.
    Refused(AppError),
    /// A draft over the size limit: 413, which `AppError::Invalid`'s 400 would not say.
    DraftTooLarge(AppError),
    /// Something failed on the server; the detail is for the log only.
    Failed(String),
}

impl DownloadError {
    /// The words a failed download shows; what failed is in the server log.
    const FAILED_TEXT: &'static str = "服务器暂时出错，请稍后重试";

    /// A failure of the server's own, for any error a download meets on the way.
    pub fn failed(detail: impl std::fmt::Display) -> Self {
        Self::Failed(detail.to_string())
    }
}

impl From<crate::store::StoreError> for DownloadError {
    fn from(error: crate::store::StoreError) -> Self {
        Self::failed(error)
    }
}

/// The server-function helpers a download shares fail as the server's fault, whatever the
/// error: the one place where their `NotFound` means "not yours" maps it itself.
impl From<AppError> for DownloadError {
    fn from(error: AppError) -> Self {
        Self::Failed(format!("{error:?}"))
    }
}

/// A guard's refusal ("not found") as the download's own 404; any other error stays the
/// server's fault.
fn refused_as_not_found(error: AppError) -> DownloadError {
    match error {
        AppError::NotFound => DownloadError::NotFound,
        other => other.into(),
    }
}

impl IntoResponse for DownloadError {
    fn into_response(self) -> Response {
        let (status, text) = match self {
            Self::NotFound => (StatusCode::NOT_FOUND, AppError::NotFound.to_string()),
            Self::PasswordChangeRequired => (
                StatusCode::FORBIDDEN,
                AppError::PasswordChangeRequired.to_string(),
            ),
            Self::Refused(error) => (
                StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
                error.to_string(),
            ),
            Self::DraftTooLarge(error) => (StatusCode::PAYLOAD_TOO_LARGE, error.to_string()),
            Self::Failed(detail) => {
                tracing::error!(%detail, "download failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Self::FAILED_TEXT.to_string(),
                )
            }
        };
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            text,
        )
            .into_response()
    }
}

/// The client's address as the router settled it, for the audit rows: plain routes have
/// no Leptos context for [`super::context::client_ip`] to read it from.
pub struct Client(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(super::context::request_client_ip(&parts.extensions)))
    }
}

/// `attachment` with the name twice: plain ASCII for old clients, and RFC 6266/5987
/// `filename*` so a Chinese file name arrives intact.
pub fn attachment(file_name: &str) -> HeaderValue {
    use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
    // RFC 5987 attr-char, less what must be encoded.
    const ATTR: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'!')
        .remove(b'#')
        .remove(b'$')
        .remove(b'&')
        .remove(b'+')
        .remove(b'-')
        .remove(b'.')
        .remove(b'^')
        .remove(b'_')
        .remove(b'`')
        .remove(b'|')
        .remove(b'~');
    let ascii: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let value = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        utf8_percent_encode(file_name, ATTR)
    );
    HeaderValue::from_str(&value).unwrap_or(HeaderValue::from_static("attachment"))
}

/// The logged-in person making a download request; anyone else gets "not found". Like
/// every server function ([`super::context::actor`]), a person who must still replace an
/// initial or reset password gets nothing until they have.
async fn request_actor(state: &AppState, login_session: &Session) -> Result<Actor, DownloadError> {
    let user_id = super::context::login_session_user(login_session, state.login_session_max_age)
        .await?
        .ok_or(DownloadError::NotFound)?;
    let actor = state
        .store
        .actor(&user_id)
        .await?
        .ok_or(DownloadError::NotFound)?;
    if actor.must_change_password {
        return Err(DownloadError::PasswordChangeRequired);
    }
    Ok(actor)
}

fn file(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_DISPOSITION, attachment(name));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The author's own material as an official-format .docx.
pub async fn material_docx(
    State(state): State<AppState>,
    login_session: Session,
    Path(material_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    use crate::export::docx::{file_name, material_docx_with};

    let actor = request_actor(&state, &login_session).await?;
    let material = state
        .store
        .material(&material_id)
        .await?
        .filter(|material| material.owner_id == actor.user_id)
        .ok_or(DownloadError::NotFound)?;
    // Laid out as the template of its meeting says (the 整改清单 table or not).
    let layout = state
        .store
        .meeting(&material.meeting_id)
        .await?
        .map(|meeting| meeting.template.layout())
        .unwrap_or_default();
    let bytes = material_docx_with(&material.content, layout).map_err(DownloadError::failed)?;
    let target = Some(material.id.clone());
    let audit = audit_from(client, &actor, "material.export_docx", target);
    state.store.record_audit(&audit).await?;
    Ok(file(bytes, DOCX, &file_name(&material.content)))
}

/// 格式整理's download: the posted draft as an official-format .docx. Public, stored nowhere.
pub async fn format_docx(
    State(state): State<AppState>,
    Client(client): Client,
    request: axum::extract::Request,
) -> Result<Response, DownloadError> {
    use super::format::DraftInput;
    use axum::extract::{FromRequest, Multipart};

    let unreadable =
        || DownloadError::Refused(AppError::Invalid("内容没有完整收到，请返回重试".into()));
    state.tool_throttle.attempt(client).map_err(|wait| {
        DownloadError::Refused(AppError::Throttled {
            seconds: wait.0.as_secs().max(1),
        })
    })?;
    let mut multipart = Multipart::from_request(request, &state)
        .await
        .map_err(|_| unreadable())?;
    let mut input = DraftInput::default();
    while let Some(field) = multipart.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let bytes = field.bytes().await.map_err(|_| unreadable())?;
        input
            .add(&name, file_name, bytes.to_vec())
            .map_err(DownloadError::DraftTooLarge)?;
    }
    let (bytes, name) = state
        .uploads
        .read(move || {
            let material = input.material()?;
            let name = crate::export::docx::file_name(&material);
            Ok(crate::export::docx::material_docx(&material).map(|bytes| (bytes, name)))
        })
        .await
        .and_then(|read| read)
        .map_err(DownloadError::Refused)?
        .map_err(DownloadError::failed)?;
    Ok(file(bytes, DOCX, &name))
}

pub async fn my_ledger_xlsx(
    State(state): State<AppState>,
    login_session: Session,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    ledger_file(
        state,
        login_session,
        client,
        LedgerExport::Mine,
        Sheet::Xlsx,
    )
    .await
}

pub async fn my_ledger_docx(
    State(state): State<AppState>,
    login_session: Session,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    ledger_file(
        state,
        login_session,
        client,
        LedgerExport::Mine,
        Sheet::Docx,
    )
    .await
}

pub async fn branch_ledger_xlsx(
    State(state): State<AppState>,
    login_session: Session,
    Path(branch_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    let export = LedgerExport::Branch(branch_id);
    ledger_file(state, login_session, client, export, Sheet::Xlsx).await
}

pub async fn branch_ledger_docx(
    State(state): State<AppState>,
    login_session: Session,
    Path(branch_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    let export = LedgerExport::Branch(branch_id);
    ledger_file(state, login_session, client, export, Sheet::Docx).await
}

pub async fn org_ledger_xlsx(
    State(state): State<AppState>,
    login_session: Session,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    ledger_file(state, login_session, client, LedgerExport::Org, Sheet::Xlsx).await
}

pub async fn org_ledger_docx(
    State(state): State<AppState>,
    login_session: Session,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    ledger_file(state, login_session, client, LedgerExport::Org, Sheet::Docx).await
}

/// The 台账 as a spreadsheet to sort, or as a landscape Word table to print and file.
#[derive(Debug, Clone, Copy)]
enum Sheet {
    Xlsx,
    Docx,
}

/// Whose 台账 a download holds.
enum LedgerExport {
    Mine,
    Branch(String),
    Org,
}

/// A person's own 台账, a branch's for its secretary and the org's administrators, or the
/// whole organisation's for its administrators, as .xlsx or .docx. Audited.
async fn ledger_file(
    state: AppState,
    login_session: Session,
    client: Option<IpAddr>,
    export: LedgerExport,
    format: Sheet,
) -> Result<Response, DownloadError> {
    use super::access::oversees;
    use super::ledger::backend::{AsOf, branch_title, sheet_rows};
    use crate::export::ledger::{ledger_docx, ledger_xlsx};
    use crate::store::ledger::LedgerScope;

    let actor = request_actor(&state, &login_session).await?;
    // The administrator's whole subtree: their node and every node below it.
    let nodes = match export {
        LedgerExport::Org if actor.is_org_admin => state.store.subtree_ids(&actor.org_id).await?,
        _ => Vec::new(),
    };
    let scope = match &export {
        LedgerExport::Mine => LedgerScope::Owner(&actor.user_id),
        LedgerExport::Branch(branch) if oversees(&state.store, &actor, branch).await? => {
            LedgerScope::Branch(branch)
        }
        LedgerExport::Org if actor.is_org_admin => LedgerScope::Nodes(&nodes),
        LedgerExport::Branch(_) | LedgerExport::Org => return Err(DownloadError::NotFound),
    };
    let items = state.store.ledger_items(scope).await?;
    let ids: Vec<String> = items.iter().map(|item| item.id.clone()).collect();
    let reports = state.store.ledger_last_reports(&ids).await?;
    let whole_org = matches!(export, LedgerExport::Org);
    let (title, target) = match export {
        LedgerExport::Mine => (format!("{}的整改事项", actor.name), None),
        LedgerExport::Branch(branch) => (branch_title(&items), Some(branch)),
        LedgerExport::Org => ("全部支部整改台账".to_string(), Some(actor.org_id.clone())),
    };
    let as_of = AsOf::now(&state.store, &actor.org_id).await?;
    let rows = sheet_rows(items, reports, as_of, whole_org);
    let (bytes, content_type, extension) = match format {
        Sheet::Xlsx => (
            ledger_xlsx(&title, &rows).map_err(DownloadError::failed)?,
            XLSX,
            "xlsx",
        ),
        Sheet::Docx => {
            let subtitle = format!("截至{}", crate::domain::meeting::chinese_date(as_of.today));
            (
                ledger_docx(&title, &subtitle, &rows).map_err(DownloadError::failed)?,
                DOCX,
                "docx",
            )
        }
    };
    let audit = audit_from(client, &actor, "ledger.export", target);
    state.store.record_audit(&audit).await?;
    Ok(file(bytes, content_type, &format!("{title}.{extension}")))
}

/// What a secretary can export from a meeting.
#[derive(Debug, Clone, Copy)]
enum MeetingExport {
    /// The 汇编 of approved materials, one .docx.
    Book,
    /// The approved materials as separate .docx files in one .zip.
    Zip,
    /// The collection summary, .xlsx.
    Summary,
}

pub async fn meeting_book_docx(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    meeting_export(
        state,
        login_session,
        meeting_id,
        client,
        MeetingExport::Book,
    )
    .await
}

pub async fn meeting_book_zip(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    meeting_export(state, login_session, meeting_id, client, MeetingExport::Zip).await
}

pub async fn meeting_summary_xlsx(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    meeting_export(
        state,
        login_session,
        meeting_id,
        client,
        MeetingExport::Summary,
    )
    .await
}

/// The meeting's exports, for the secretary of its branch only. Every export is audited.
async fn meeting_export(
    state: AppState,
    login_session: Session,
    meeting_id: String,
    client: Option<IpAddr>,
    export: MeetingExport,
) -> Result<Response, DownloadError> {
    use crate::domain::meeting::chinese_date;
    use crate::domain::policy::can_run_branch;
    use crate::export::docx::{BookCover, BookEntry, book_docx_with, book_zip_with};

    let actor = request_actor(&state, &login_session).await?;
    let meeting = state
        .store
        .meeting(&meeting_id)
        .await?
        .filter(|meeting| can_run_branch(&actor, &meeting.branch_id))
        .ok_or(DownloadError::NotFound)?;
    let action = match export {
        MeetingExport::Book => "session.export_book",
        MeetingExport::Zip => "session.export_zip",
        MeetingExport::Summary => "session.export_summary",
    };
    let target = Some(meeting.id.clone());
    let title = meeting.title.clone();
    let response = match export {
        MeetingExport::Summary => {
            let view = super::meetings::build_dashboard(&state.store, &actor, meeting).await?;
            let mut rows: Vec<crate::export::summary::SummaryRow> = view
                .rows
                .into_iter()
                .map(|row| crate::export::summary::SummaryRow {
                    name: row.name,
                    post: row.post.unwrap_or_default(),
                    progress: row.progress.label().into(),
                    last_activity: row.last_activity.unwrap_or_default(),
                    health: match row.health {
                        Some((0, 0)) => "通过".into(),
                        Some((errors, warnings)) => format!("{errors} 项须改，{warnings} 项提示"),
                        None => String::new(),
                    },
                    late: row.late,
                })
                .collect();
            // The screen lists people in 拼音; a sheet handed on lists them 按姓氏笔画.
            crate::collation::sort_by_strokes(&mut rows, |row| &row.name);
            let bytes = crate::export::summary::summary_xlsx(&title, &rows)
                .map_err(DownloadError::failed)?;
            file(bytes, XLSX, &format!("{title}-材料收集情况.xlsx"))
        }
        MeetingExport::Book | MeetingExport::Zip => {
            let approved = state.store.approved_materials(&meeting.id).await?;
            let entries: Vec<BookEntry> = approved
                .into_iter()
                .map(|m| BookEntry {
                    author: m.owner_name,
                    material: m.content,
                })
                .collect();
            let cover = BookCover {
                meeting: title.clone(),
                branch: actor
                    .memberships
                    .iter()
                    .find(|m| m.branch_id == meeting.branch_id)
                    .map(|m| m.branch_name.clone())
                    .unwrap_or_default(),
                date: meeting
                    .dates
                    .map(|d| chinese_date(d.meeting_on))
                    .unwrap_or_default(),
            };
            let layout = meeting.template.layout();
            // Building a large book is CPU work: keep it off the request threads.
            let bytes = tokio::task::spawn_blocking(move || match export {
                MeetingExport::Zip => book_zip_with(&entries, layout),
                _ => book_docx_with(&cover, &entries, layout),
            })
            .await
            .map_err(DownloadError::failed)?
            .map_err(DownloadError::failed)?;
            match export {
                MeetingExport::Zip => file(bytes, ZIP, &format!("{title}-全部材料.zip")),
                _ => file(bytes, DOCX, &format!("{title}-材料汇编.docx")),
            }
        }
    };
    state
        .store
        .record_audit(&audit_from(client, &actor, action, target))
        .await?;
    Ok(response)
}

/// A 佐证材料, for the item's owner and its reviewers only. Always an attachment with the
/// type its content was checked to be, never rendered inline. Audited.
pub async fn ledger_evidence(
    State(state): State<AppState>,
    login_session: Session,
    Path(evidence_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    use super::access::visible_ledger_item as visible_item;

    let actor = request_actor(&state, &login_session).await?;
    // Access is settled on the file's facts; its bytes are read only for those who may
    // have them, so a stranger's request costs no more than a lookup.
    let evidence = state
        .store
        .ledger_evidence_facts(&evidence_id)
        .await?
        .ok_or(DownloadError::NotFound)?;
    match visible_item(&state.store, &actor, &evidence.item_id).await {
        // Here `NotFound` means the item is not the requester's to see.
        Err(AppError::NotFound) => return Err(DownloadError::NotFound),
        Err(error) => return Err(error.into()),
        Ok(_) => {}
    }
    let bytes = state.store.ledger_evidence_bytes(&evidence.id).await?;
    let target = Some(evidence.id.clone());
    let audit = audit_from(client, &actor, "ledger.evidence_read", target);
    state.store.record_audit(&audit).await?;
    Ok(file(bytes, evidence.kind.content_type(), &evidence.name))
}

/// A policy pack as a TOML file, for an organisation administrator to edit and upload again:
/// the organisation's own version where it uploaded one, else the shipped file.
pub async fn policy_pack_toml(
    State(state): State<AppState>,
    login_session: Session,
    Path(file_name): Path<String>,
) -> Result<Response, DownloadError> {
    use super::packs::backend::org_effective_packs;
    use crate::domain::pack::shipped_pack_text;
    use crate::domain::policy::can_administer_org;

    let actor = request_actor(&state, &login_session).await?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(DownloadError::NotFound);
    }
    let key = file_name
        .strip_suffix(".toml")
        .ok_or(DownloadError::NotFound)?;
    let found = org_effective_packs(&state.store, &actor.org_id)
        .await?
        .into_iter()
        .find(|p| p.pack.key == key)
        .ok_or(DownloadError::NotFound)?;
    let text = found
        .uploaded_text
        .or_else(|| shipped_pack_text(key).map(str::to_string))
        .ok_or(DownloadError::NotFound)?;
    Ok(file(text.into_bytes(), TOML, &format!("{key}.toml")))
}

/// A calendar feed by its secret address: no meeting (calendar apps have none), the token
/// is the key. A branch feed stops when its owner no longer runs the branch.
pub async fn calendar_feed(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, DownloadError> {
    use super::calendar::backend::entries;
    use crate::domain::policy::can_run_branch;
    use crate::store::calendar::FeedScope;
    use crate::store::ledger::LedgerScope;

    let token = file.strip_suffix(".ics").ok_or(DownloadError::NotFound)?;
    let feed = state
        .store
        .calendar_feed(token)
        .await?
        .ok_or(DownloadError::NotFound)?;
    let owner = state
        .store
        .actor(&feed.owner_id)
        .await?
        .ok_or(DownloadError::NotFound)?;
    let (scope, name, with_owner) = match &feed.scope {
        FeedScope::Own => (
            LedgerScope::Owner(&owner.user_id),
            "省身 · 我的整改".to_string(),
            false,
        ),
        FeedScope::Branch(branch) if can_run_branch(&owner, branch) => {
            let name = owner
                .memberships
                .iter()
                .find(|m| &m.branch_id == branch)
                .map(|m| format!("省身 · {}整改台账", m.branch_name))
                .unwrap_or_default();
            (LedgerScope::Branch(branch), name, true)
        }
        FeedScope::Branch(_) => return Err(DownloadError::NotFound),
    };
    let items = state.store.ledger_items(scope).await?;
    let text = crate::export::calendar::calendar_ics(&name, &entries(&items, with_owner));
    let mut response = Response::new(Body::from(text));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

/// The 报送 package for the 上级, one .zip: the 会议情况报告 skeleton, the 会议记录, the
/// 定稿 materials (汇编 and one file each), the meeting's 整改台账 (.xlsx and .docx) and the
/// 民主测评 tallies. For the branch's secretary only; audited.
pub async fn meeting_package(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    let actor = request_actor(&state, &login_session).await?;
    // The branch's secretary, or a member of the meeting's 督导组 while they supervise it.
    let meeting = super::access::supervised_or_run_meeting(&state.store, &actor, &meeting_id)
        .await
        .map_err(refused_as_not_found)?;
    let parts = package_parts(&state, &actor, &meeting).await?;
    let title = meeting.title.clone();
    let bytes = tokio::task::spawn_blocking(move || parts.build())
        .await
        .map_err(DownloadError::failed)?
        .map_err(DownloadError::failed)?;
    let target = Some(meeting.id.clone());
    let audit = audit_from(client, &actor, "session.export_package", target);
    state.store.record_audit(&audit).await?;
    Ok(file(bytes, ZIP, &format!("{title}-报送材料.zip")))
}

/// The 会议通报材料 (.docx): the agenda's 通报 written out from the ledger and the 征求意见,
/// to read out at the meeting. For the branch's secretary only; audited.
pub async fn meeting_agenda_docx(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    use super::cycle::{agenda_of, report_facts};
    use crate::domain::cycle::agenda_document;
    use crate::export::docx::material_docx;

    let actor = request_actor(&state, &login_session).await?;
    let meeting = state
        .store
        .meeting(&meeting_id)
        .await?
        .filter(|meeting| crate::domain::policy::can_run_branch(&actor, &meeting.branch_id))
        .ok_or(DownloadError::NotFound)?;
    let facts = report_facts(&state.store, &actor, &meeting).await?;
    let (_, reports) = agenda_of(&state.store, &meeting, &facts).await?;
    let document = agenda_document(&meeting.title, &reports);
    let bytes = tokio::task::spawn_blocking(move || material_docx(&document))
        .await
        .map_err(DownloadError::failed)?
        .map_err(DownloadError::failed)?;
    let audit = audit_from(
        client,
        &actor,
        "meeting.export_agenda",
        Some(meeting.id.clone()),
    );
    state.store.record_audit(&audit).await?;
    Ok(file(
        bytes,
        DOCX,
        &format!("{}-会议通报材料.docx", meeting.title),
    ))
}

/// The 会前准备情况报告 (.docx), for the meeting's 督导组 and its secretary; audited.
pub async fn meeting_preparation_docx(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    use crate::export::docx::material_docx;

    let actor = request_actor(&state, &login_session).await?;
    let meeting = super::access::supervised_or_run_meeting(&state.store, &actor, &meeting_id)
        .await
        .map_err(refused_as_not_found)?;
    let view = super::supervision::backend::preparation(&state.store, &meeting).await?;
    let document = view.report;
    let bytes = tokio::task::spawn_blocking(move || material_docx(&document))
        .await
        .map_err(DownloadError::failed)?
        .map_err(DownloadError::failed)?;
    let audit = audit_from(
        client,
        &actor,
        "meeting.export_preparation",
        Some(meeting.id.clone()),
    );
    state.store.record_audit(&audit).await?;
    Ok(file(
        bytes,
        DOCX,
        &format!("{}-会前准备情况报告.docx", meeting.title),
    ))
}

/// What goes into the 报送 package, gathered from the store; built off the request thread.
struct PackageParts {
    title: String,
    branch: String,
    date: String,
    report: crate::domain::material::Material,
    minutes: crate::domain::material::Material,
    /// The 会议通报材料: the agenda's 通报 written out.
    agenda: crate::domain::material::Material,
    finals: Vec<crate::export::docx::BookEntry>,
    /// How the finals are laid out: the meeting template's choice.
    layout: crate::domain::document::Layout,
    ledger_rows: Vec<crate::export::ledger::LedgerSheetRow>,
    ledger_subtitle: String,
    tallies: Option<Vec<Vec<String>>>,
    /// The 民主评议党员情况统计表, once the 评定 is final.
    evaluation: Option<Vec<crate::domain::cycle::SheetRow>>,
    /// The 督导组点评意见, where its 督导组 recorded any.
    remarks: Option<crate::domain::material::Material>,
}

async fn package_parts(
    state: &AppState,
    actor: &Actor,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<PackageParts, super::AppError> {
    use super::cycle::{agenda_of, final_or_approved, meeting_record_rows, report_facts};
    use super::ledger::backend::{AsOf, sheet_rows};
    use crate::domain::cycle::{
        agenda_document, minutes_document, minutes_with_agenda, report_document,
    };
    use crate::domain::meeting::chinese_date;
    use crate::export::docx::BookEntry;
    use crate::store::ledger::LedgerScope;

    let store = &state.store;
    let mut facts = report_facts(store, actor, meeting).await?;
    if facts.branch.is_empty() {
        // A 督导组 member is no member of the branch: its name comes from the branch.
        facts.branch = store.branch_title(&meeting.branch_id).await?;
    }
    let record = meeting_record_rows(store, actor, meeting).await?;
    let date = facts.meeting_on.clone();
    let (agenda, agenda_reports) = agenda_of(store, meeting, &facts).await?;
    let remarks = super::supervision::backend::remarks(store, &meeting.id).await?;
    let minutes = minutes_with_agenda(
        minutes_document(
            &meeting.title,
            &date,
            // No recorder named: whoever runs the group, by the group's word for them.
            record
                .recorder
                .as_deref()
                .or(Some(meeting.group_kind.words().head)),
            facts.quorum,
            &record.absent,
            &record.notes,
            &record.speakers,
        ),
        &agenda,
        &agenda_reports,
    );
    let minutes = crate::domain::supervision::minutes_with_remarks(minutes, &remarks);
    let finals = final_or_approved(store, meeting)
        .await?
        .into_iter()
        .filter(|settled| settled.finalised)
        .map(|settled| BookEntry {
            author: settled.author,
            material: settled.content,
        })
        .collect();
    let items = store
        .ledger_items(LedgerScope::Meeting(&meeting.id))
        .await?;
    let ids: Vec<String> = items.iter().map(|item| item.id.clone()).collect();
    let reports = store.ledger_last_reports(&ids).await?;
    let as_of = AsOf::now(store, &actor.org_id).await?;
    Ok(PackageParts {
        title: meeting.title.clone(),
        branch: facts.branch.clone(),
        ledger_subtitle: format!("截至{}", chinese_date(as_of.today)),
        ledger_rows: sheet_rows(items, reports, as_of, false),
        report: report_document(&facts),
        minutes,
        agenda: agenda_document(&meeting.title, &agenda_reports),
        finals,
        layout: meeting.template.layout(),
        date,
        tallies: record.tallies,
        remarks: (!remarks.is_empty())
            .then(|| crate::domain::supervision::remarks_document(&meeting.title, &remarks)),
        evaluation: if store.evaluation_state(&meeting.id).await?.finalised {
            super::cycle::evaluation_backend::sheet_rows(store, meeting).await?
        } else {
            None
        },
    })
}

impl PackageParts {
    fn build(self) -> Result<Vec<u8>, String> {
        use crate::export::docx::{
            BookCover, Column, book_docx_with, file_name, material_docx, material_docx_with,
            safe_name, table_docx,
        };
        use std::io::Write;
        let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut add = |name: &str, bytes: Vec<u8>| -> Result<(), String> {
            archive
                .start_file(name, options)
                .map_err(|e| e.to_string())?;
            archive.write_all(&bytes).map_err(|e| e.to_string())
        };
        let text = |e: crate::export::docx::DocxError| e.to_string();
        add(
            "01-会议情况报告.docx",
            material_docx(&self.report).map_err(text)?,
        )?;
        add(
            "02-会议记录.docx",
            material_docx(&self.minutes).map_err(text)?,
        )?;
        let cover = BookCover {
            meeting: self.title.clone(),
            branch: self.branch.clone(),
            date: self.date.clone(),
        };
        add(
            "03-定稿材料汇编.docx",
            book_docx_with(&cover, &self.finals, self.layout).map_err(text)?,
        )?;
        for (index, entry) in self.finals.iter().enumerate() {
            add(
                &format!(
                    "04-定稿材料/{:02}-{}-{}",
                    index + 1,
                    safe_name(&entry.author),
                    file_name(&entry.material)
                ),
                material_docx_with(&entry.material, self.layout).map_err(text)?,
            )?;
        }
        let ledger_title = format!("{}整改台账", self.title);
        add(
            "05-整改台账.xlsx",
            crate::export::ledger::ledger_xlsx(&ledger_title, &self.ledger_rows)
                .map_err(|e| e.to_string())?,
        )?;
        add(
            "06-整改台账.docx",
            crate::export::ledger::ledger_docx(
                &ledger_title,
                &self.ledger_subtitle,
                &self.ledger_rows,
            )
            .map_err(|e| e.to_string())?,
        )?;
        if let Some(rows) = &self.tallies {
            let columns = [
                Column {
                    heading: "姓名",
                    width: 3000,
                },
                Column {
                    heading: "优秀",
                    width: 2400,
                },
                Column {
                    heading: "合格",
                    width: 2400,
                },
                Column {
                    heading: "基本合格",
                    width: 2400,
                },
                Column {
                    heading: "不合格",
                    width: 2400,
                },
            ];
            add(
                "07-民主测评结果.docx",
                table_docx(
                    &format!("{}民主测评结果", self.title),
                    &format!("{} · 无记名投票，仅统计票数", self.branch),
                    &columns,
                    rows,
                )
                .map_err(text)?,
            )?;
        }
        add(
            "08-会议通报材料.docx",
            material_docx(&self.agenda).map_err(text)?,
        )?;
        if let Some(rows) = &self.evaluation {
            let title = format!("{}民主评议党员情况统计表", self.title);
            add(
                "09-民主评议党员情况统计表.xlsx",
                crate::export::evaluation::evaluation_xlsx(&title, rows)
                    .map_err(|e| e.to_string())?,
            )?;
            add(
                "10-民主评议党员情况统计表.docx",
                crate::export::evaluation::evaluation_docx(&title, &self.branch, rows)
                    .map_err(text)?,
            )?;
        }
        if let Some(remarks) = &self.remarks {
            add(
                "11-督导组点评意见.docx",
                material_docx(remarks).map_err(text)?,
            )?;
        }
        let cursor = archive.finish().map_err(|e| e.to_string())?;
        Ok(cursor.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::{AppError, DownloadError, attachment};
    use axum::response::IntoResponse;

    /// The words are written out, not taken from `AppError`: these answers are what
    /// browsers, scripts and the access-matrix test see, and must not drift with it.
    #[tokio::test]
    async fn each_refusal_answers_its_own_status_and_plain_chinese_words() {
        let cases = [
            (DownloadError::NotFound, 404, "没有找到该内容，或您无权访问"),
            (
                DownloadError::PasswordChangeRequired,
                403,
                "请先修改初始密码",
            ),
            (
                DownloadError::Refused(AppError::Throttled { seconds: 3 }),
                429,
                "尝试次数过多，请 3 秒后再试",
            ),
            (
                DownloadError::Refused(AppError::Invalid("内容没有完整收到，请返回重试".into())),
                400,
                "内容没有完整收到，请返回重试",
            ),
            (
                DownloadError::Refused(AppError::Busy),
                503,
                "服务器正忙，请稍后再试",
            ),
            (
                DownloadError::DraftTooLarge(AppError::Invalid("材料超过 8 MB".into())),
                413,
                "材料超过 8 MB",
            ),
            // The detail goes to the log, never to the person.
            (
                DownloadError::from(crate::store::StoreError::Database("SELECT gone".into())),
                500,
                "服务器暂时出错，请稍后重试",
            ),
            // A shared helper's `NotFound` is a record gone missing under the server, not
            // the requester's lack of rights (the evidence download maps that one itself).
            (
                DownloadError::from(AppError::NotFound),
                500,
                "服务器暂时出错，请稍后重试",
            ),
        ];
        for (error, status, text) in cases {
            let response = error.into_response();
            assert_eq!(response.status().as_u16(), status, "{text}");
            assert_eq!(
                response.headers()[axum::http::header::CONTENT_TYPE],
                "text/plain; charset=utf-8"
            );
            let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                .await
                .unwrap();
            assert_eq!(std::str::from_utf8(&body).unwrap(), text);
        }
    }

    #[test]
    fn chinese_file_names_travel_in_filename_star() {
        let value = attachment("发言材料 2026.docx");
        let text = value.to_str().unwrap();
        assert!(text.starts_with("attachment; filename=\"_____2026.docx\""));
        assert!(text.contains("filename*=UTF-8''%E5%8F%91%E8%A8%80%E6%9D%90%E6%96%99%202026.docx"));
    }
}
