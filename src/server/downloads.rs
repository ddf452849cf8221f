//! File downloads, as plain GET routes (a browser saves them; no JavaScript needed). Each
//! one checks the session and the access rules exactly like a server function does, and
//! answers "not found" to anyone who may not have the file.

use super::context::AppState;
use crate::domain::policy::Actor;
use crate::store::AuditEntry;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower_sessions::Session;

const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const ZIP: &str = "application/zip";
const TOML: &str = "application/toml; charset=utf-8";

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

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "没有找到该内容，或您无权访问").into_response()
}

fn failed(detail: impl std::fmt::Display) -> Response {
    tracing::error!(%detail, "download failed");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        "服务器暂时出错，请稍后重试",
    )
        .into_response()
}

/// The author's own material as an official-format .docx.
pub async fn material_docx(
    State(state): State<AppState>,
    session: Session,
    Path(material_id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let actor = match request_actor(&state, &session).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let material = match state.store.material(&material_id).await {
        Ok(Some(material)) if material.owner_id == actor.user_id => material,
        Ok(_) => return not_found(),
        Err(error) => return failed(error),
    };
    // Laid out as the template of its meeting says (the 整改清单 table or not).
    let layout = match state.store.meeting(&material.meeting_id).await {
        Ok(meeting) => meeting.map(|m| m.template.layout()).unwrap_or_default(),
        Err(error) => return failed(error),
    };
    let bytes = match crate::export::docx::material_docx_with(&material.content, layout) {
        Ok(bytes) => bytes,
        Err(error) => return failed(error),
    };
    let audit = AuditEntry {
        org_id: Some(actor.org_id.clone()),
        actor_id: Some(actor.user_id.clone()),
        action: "material.export_docx",
        target: Some(material.id.clone()),
        detail: None,
        ip: peer(&request),
    };
    if let Err(error) = state.store.record_audit(&audit).await {
        return failed(error);
    }
    file(
        bytes,
        DOCX,
        &crate::export::docx::file_name(&material.content),
    )
}

/// 格式整理's download: the posted draft as an official-format .docx. Public, stored nowhere.
pub async fn format_docx(
    State(state): State<AppState>,
    request: axum::extract::Request,
) -> Response {
    use super::AppError;
    use super::format::DraftInput;
    use axum::extract::{FromRequest, Multipart};

    let peer = super::context::request_client_ip(request.extensions());
    let refuse = |status: StatusCode, error: AppError| {
        (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            error.to_string(),
        )
            .into_response()
    };
    if let Err(wait) = state.tool_throttle.attempt(peer) {
        let seconds = wait.0.as_secs().max(1);
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            AppError::Throttled { seconds },
        );
    }
    let unreadable = || {
        refuse(
            StatusCode::BAD_REQUEST,
            AppError::Invalid("内容没有完整收到，请返回重试".into()),
        )
    };
    let Ok(mut multipart) = Multipart::from_request(request, &state).await else {
        return unreadable();
    };
    let mut input = DraftInput::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return unreadable(),
        };
        let name = field.name().unwrap_or_default().to_string();
        let file_name = field.file_name().map(str::to_string);
        let Ok(bytes) = field.bytes().await else {
            return unreadable();
        };
        if let Err(error) = input.add(&name, file_name, bytes.to_vec()) {
            return refuse(StatusCode::PAYLOAD_TOO_LARGE, error);
        }
    }
    let formatted = state
        .uploads
        .read(move || {
            let material = input.material()?;
            let name = crate::export::docx::file_name(&material);
            Ok(crate::export::docx::material_docx(&material).map(|bytes| (bytes, name)))
        })
        .await
        .and_then(|read| read);
    match formatted {
        Ok(Ok((bytes, name))) => file(bytes, DOCX, &name),
        Ok(Err(error)) => failed(error),
        Err(error) => refuse(
            StatusCode::from_u16(error.http_status()).unwrap_or(StatusCode::BAD_REQUEST),
            error,
        ),
    }
}

/// The logged-in person making a download request; anyone else gets "not found". Like
/// every server function ([`super::context::actor`]), a person who must still replace an
/// initial or reset password gets nothing until they have.
async fn request_actor(state: &AppState, session: &Session) -> Result<Actor, Response> {
    let Some(user_id) = super::context::session_user(session, state.session_max_age)
        .await
        .map_err(failed)?
    else {
        return Err(not_found());
    };
    match state.store.actor(&user_id).await {
        Ok(Some(actor)) if actor.must_change_password => Err((
            StatusCode::FORBIDDEN,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            super::AppError::PasswordChangeRequired.to_string(),
        )
            .into_response()),
        Ok(Some(actor)) => Ok(actor),
        Ok(None) => Err(not_found()),
        Err(error) => Err(failed(error)),
    }
}

fn peer(request: &axum::extract::Request) -> Option<String> {
    super::context::request_client_ip(request.extensions()).map(|address| address.to_string())
}

fn file(bytes: Vec<u8>, content_type: &'static str, name: &str) -> Response {
    let mut response = Response::new(Body::from(bytes));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CONTENT_DISPOSITION, attachment(name));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn my_ledger_xlsx(
    state: State<AppState>,
    session: Session,
    request: axum::extract::Request,
) -> Response {
    ledger_file(state, session, LedgerExport::Mine, Sheet::Xlsx, request).await
}

pub async fn my_ledger_docx(
    state: State<AppState>,
    session: Session,
    request: axum::extract::Request,
) -> Response {
    ledger_file(state, session, LedgerExport::Mine, Sheet::Docx, request).await
}

pub async fn branch_ledger_xlsx(
    state: State<AppState>,
    session: Session,
    Path(branch_id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let export = LedgerExport::Branch(branch_id);
    ledger_file(state, session, export, Sheet::Xlsx, request).await
}

pub async fn branch_ledger_docx(
    state: State<AppState>,
    session: Session,
    Path(branch_id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let export = LedgerExport::Branch(branch_id);
    ledger_file(state, session, export, Sheet::Docx, request).await
}

pub async fn org_ledger_xlsx(
    state: State<AppState>,
    session: Session,
    request: axum::extract::Request,
) -> Response {
    ledger_file(state, session, LedgerExport::Org, Sheet::Xlsx, request).await
}

pub async fn org_ledger_docx(
    state: State<AppState>,
    session: Session,
    request: axum::extract::Request,
) -> Response {
    ledger_file(state, session, LedgerExport::Org, Sheet::Docx, request).await
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
    State(state): State<AppState>,
    session: Session,
    export: LedgerExport,
    format: Sheet,
    request: axum::extract::Request,
) -> Response {
    use super::access::oversees;
    use super::ledger::backend::{AsOf, branch_title, sheet_rows};
    use crate::store::ledger::LedgerScope;

    let actor = match request_actor(&state, &session).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let scope = match &export {
        LedgerExport::Mine => LedgerScope::Owner(&actor.user_id),
        LedgerExport::Branch(branch) => match oversees(&state.store, &actor, branch).await {
            Ok(true) => LedgerScope::Branch(branch),
            Ok(false) => return not_found(),
            Err(error) => return failed(error),
        },
        LedgerExport::Org if actor.is_org_admin => LedgerScope::Org(&actor.org_id),
        LedgerExport::Org => return not_found(),
    };
    let items = match state.store.ledger_items(scope).await {
        Ok(items) => items,
        Err(error) => return failed(error),
    };
    let ids: Vec<String> = items.iter().map(|item| item.id.clone()).collect();
    let reports = match state.store.ledger_last_reports(&ids).await {
        Ok(reports) => reports,
        Err(error) => return failed(error),
    };
    let whole_org = matches!(export, LedgerExport::Org);
    let (title, target) = match export {
        LedgerExport::Mine => (format!("{}的整改事项", actor.name), None),
        LedgerExport::Branch(branch) => (branch_title(&items), Some(branch)),
        LedgerExport::Org => ("全部支部整改台账".to_string(), Some(actor.org_id.clone())),
    };
    let as_of = match AsOf::now(&state.store, &actor.org_id).await {
        Ok(as_of) => as_of,
        Err(error) => return failed(error),
    };
    let rows = sheet_rows(items, reports, as_of, whole_org);
    let built = match format {
        Sheet::Xlsx => crate::export::ledger::ledger_xlsx(&title, &rows)
            .map(|bytes| (bytes, XLSX, "xlsx"))
            .map_err(|error| error.to_string()),
        Sheet::Docx => {
            let today = as_of.today;
            let subtitle = format!("截至{}", crate::domain::session::chinese_date(today));
            crate::export::ledger::ledger_docx(&title, &subtitle, &rows)
                .map(|bytes| (bytes, DOCX, "docx"))
                .map_err(|error| error.to_string())
        }
    };
    let (bytes, content_type, extension) = match built {
        Ok(built) => built,
        Err(error) => return failed(error),
    };
    let audit = AuditEntry {
        org_id: Some(actor.org_id.clone()),
        actor_id: Some(actor.user_id.clone()),
        action: "ledger.export",
        target,
        detail: None,
        ip: peer(&request),
    };
    if let Err(error) = state.store.record_audit(&audit).await {
        return failed(error);
    }
    file(bytes, content_type, &format!("{title}.{extension}"))
}

/// What a secretary can export from a session.
#[derive(Debug, Clone, Copy)]
enum SessionExport {
    /// The 汇编 of approved materials, one .docx.
    Book,
    /// The approved materials as separate .docx files in one .zip.
    Zip,
    /// The collection summary, .xlsx.
    Summary,
}

pub async fn session_book_docx(
    state: State<AppState>,
    session: Session,
    meeting: Path<String>,
    request: axum::extract::Request,
) -> Response {
    session_export(state, session, meeting, request, SessionExport::Book).await
}

pub async fn session_book_zip(
    state: State<AppState>,
    session: Session,
    meeting: Path<String>,
    request: axum::extract::Request,
) -> Response {
    session_export(state, session, meeting, request, SessionExport::Zip).await
}

pub async fn session_summary_xlsx(
    state: State<AppState>,
    session: Session,
    meeting: Path<String>,
    request: axum::extract::Request,
) -> Response {
    session_export(state, session, meeting, request, SessionExport::Summary).await
}

/// The session's exports, for the secretary of its branch only. Every export is audited.
async fn session_export(
    State(state): State<AppState>,
    session: Session,
    Path(meeting_id): Path<String>,
    request: axum::extract::Request,
    export: SessionExport,
) -> Response {
    use crate::domain::policy::can_run_branch;
    use crate::domain::session::chinese_date;
    use crate::export::docx::{BookCover, BookEntry, book_docx_with, book_zip_with};

    let actor = match request_actor(&state, &session).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let meeting = match state.store.meeting(&meeting_id).await {
        Ok(Some(meeting)) if can_run_branch(&actor, &meeting.branch_id) => meeting,
        Ok(_) => return not_found(),
        Err(error) => return failed(error),
    };
    let action = match export {
        SessionExport::Book => "session.export_book",
        SessionExport::Zip => "session.export_zip",
        SessionExport::Summary => "session.export_summary",
    };
    let audit = AuditEntry {
        org_id: Some(actor.org_id.clone()),
        actor_id: Some(actor.user_id.clone()),
        action,
        target: Some(meeting.id.clone()),
        detail: None,
        ip: peer(&request),
    };
    let title = meeting.title.clone();
    let response = match export {
        SessionExport::Summary => {
            let view = match super::sessions::build_dashboard(&state.store, &actor, meeting).await {
                Ok(view) => view,
                Err(error) => return failed(error),
            };
            let rows: Vec<crate::export::summary::SummaryRow> = view
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
            match crate::export::summary::summary_xlsx(&title, &rows) {
                Ok(bytes) => file(bytes, XLSX, &format!("{title}-材料收集情况.xlsx")),
                Err(error) => return failed(error),
            }
        }
        SessionExport::Book | SessionExport::Zip => {
            let approved = match state.store.approved_materials(&meeting.id).await {
                Ok(approved) => approved,
                Err(error) => return failed(error),
            };
            let entries: Vec<BookEntry> = approved
                .into_iter()
                .map(|m| BookEntry {
                    author: m.owner_name,
                    material: m.content,
                })
                .collect();
            let cover = BookCover {
                session: title.clone(),
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
            let built = tokio::task::spawn_blocking(move || match export {
                SessionExport::Zip => book_zip_with(&entries, layout),
                _ => book_docx_with(&cover, &entries, layout),
            })
            .await;
            match (export, built) {
                (SessionExport::Zip, Ok(Ok(bytes))) => {
                    file(bytes, ZIP, &format!("{title}-全部材料.zip"))
                }
                (_, Ok(Ok(bytes))) => file(bytes, DOCX, &format!("{title}-材料汇编.docx")),
                (_, Ok(Err(error))) => return failed(error),
                (_, Err(error)) => return failed(error),
            }
        }
    };
    if let Err(error) = state.store.record_audit(&audit).await {
        return failed(error);
    }
    response
}

/// A 佐证材料, for the item's owner and its reviewers only. Always an attachment with the
/// type its content was checked to be, never rendered inline. Audited.
pub async fn ledger_evidence(
    State(state): State<AppState>,
    session: Session,
    Path(evidence_id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    use super::access::visible_ledger_item as visible_item;

    let actor = match request_actor(&state, &session).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    // Access is settled on the file's facts; its bytes are read only for those who may
    // have them, so a stranger's request costs no more than a lookup.
    let evidence = match state.store.ledger_evidence_facts(&evidence_id).await {
        Ok(Some(found)) => found,
        Ok(None) => return not_found(),
        Err(error) => return failed(error),
    };
    match visible_item(&state.store, &actor, &evidence.item_id).await {
        Ok(_) => {}
        Err(super::AppError::NotFound) => return not_found(),
        Err(error) => return failed(error),
    }
    let bytes = match state.store.ledger_evidence_bytes(&evidence.id).await {
        Ok(bytes) => bytes,
        Err(error) => return failed(error),
    };
    let audit = AuditEntry {
        org_id: Some(actor.org_id.clone()),
        actor_id: Some(actor.user_id.clone()),
        action: "ledger.evidence_read",
        target: Some(evidence.id.clone()),
        detail: None,
        ip: peer(&request),
    };
    if let Err(error) = state.store.record_audit(&audit).await {
        return failed(error);
    }
    file(bytes, evidence.kind.content_type(), &evidence.name)
}

/// A calendar feed by its secret address: no session (calendar apps have none), the token
/// is the key. A branch feed stops when its owner no longer runs the branch.
/// A policy pack as a TOML file, for an organisation administrator to edit and upload again:
/// the organisation's own version where it uploaded one, else the shipped file.
pub async fn policy_pack_toml(
    State(state): State<AppState>,
    session: Session,
    Path(file_name): Path<String>,
) -> Response {
    use super::packs::backend::org_effective_packs;
    use crate::domain::pack::shipped_pack_text;
    use crate::domain::policy::can_administer_org;

    let actor = match request_actor(&state, &session).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    if !can_administer_org(&actor, &actor.org_id) {
        return not_found();
    }
    let Some(key) = file_name.strip_suffix(".toml") else {
        return not_found();
    };
    let packs = match org_effective_packs(&state.store, &actor.org_id).await {
        Ok(packs) => packs,
        Err(error) => return failed(format!("{error:?}")),
    };
    let Some(found) = packs.into_iter().find(|p| p.pack.key == key) else {
        return not_found();
    };
    let text = match found.uploaded_text {
        Some(text) => text,
        None => match shipped_pack_text(key) {
            Some(text) => text.to_string(),
            None => return not_found(),
        },
    };
    file(text.into_bytes(), TOML, &format!("{key}.toml"))
}

pub async fn calendar_feed(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    use super::calendar::backend::entries;
    use crate::store::calendar::FeedScope;
    use crate::store::ledger::LedgerScope;

    let Some(token) = file.strip_suffix(".ics") else {
        return not_found();
    };
    let feed = match state.store.calendar_feed(token).await {
        Ok(Some(feed)) => feed,
        Ok(None) => return not_found(),
        Err(error) => return failed(error),
    };
    let owner = match state.store.actor(&feed.owner_id).await {
        Ok(Some(owner)) => owner,
        Ok(None) => return not_found(),
        Err(error) => return failed(error),
    };
    let (scope, name, with_owner) = match &feed.scope {
        FeedScope::Own => (
            LedgerScope::Owner(&owner.user_id),
            "省身 · 我的整改".to_string(),
            false,
        ),
        FeedScope::Branch(branch) => {
            if !crate::domain::policy::can_run_branch(&owner, branch) {
                return not_found();
            }
            let name = owner
                .memberships
                .iter()
                .find(|m| &m.branch_id == branch)
                .map(|m| format!("省身 · {}整改台账", m.branch_name))
                .unwrap_or_default();
            (LedgerScope::Branch(branch), name, true)
        }
    };
    let items = match state.store.ledger_items(scope).await {
        Ok(items) => items,
        Err(error) => return failed(error),
    };
    let text = crate::export::calendar::calendar_ics(&name, &entries(&items, with_owner));
    let mut response = Response::new(Body::from(text));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The 报送 package for the 上级, one .zip: the 会议情况报告 skeleton, the 会议记录, the
/// 定稿 materials (汇编 and one file each), the session's 整改台账 (.xlsx and .docx) and the
/// 民主测评 tallies. For the branch's secretary only; audited.
pub async fn session_package(
    State(state): State<AppState>,
    session: Session,
    Path(meeting_id): Path<String>,
    request: axum::extract::Request,
) -> Response {
    let actor = match request_actor(&state, &session).await {
        Ok(actor) => actor,
        Err(response) => return response,
    };
    let meeting = match state.store.meeting(&meeting_id).await {
        Ok(Some(meeting)) if crate::domain::policy::can_run_branch(&actor, &meeting.branch_id) => {
            meeting
        }
        Ok(_) => return not_found(),
        Err(error) => return failed(error),
    };
    let parts = match package_parts(&state, &actor, &meeting).await {
        Ok(parts) => parts,
        Err(error) => return failed(error),
    };
    let title = meeting.title.clone();
    let built = tokio::task::spawn_blocking(move || parts.build()).await;
    let bytes = match built {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(error)) => return failed(error),
        Err(error) => return failed(error),
    };
    let audit = AuditEntry {
        org_id: Some(actor.org_id.clone()),
        actor_id: Some(actor.user_id.clone()),
        action: "session.export_package",
        target: Some(meeting.id.clone()),
        detail: None,
        ip: peer(&request),
    };
    if let Err(error) = state.store.record_audit(&audit).await {
        return failed(error);
    }
    file(bytes, ZIP, &format!("{title}-报送材料.zip"))
}

/// What goes into the 报送 package, gathered from the store; built off the request thread.
struct PackageParts {
    title: String,
    branch: String,
    date: String,
    report: crate::domain::material::Material,
    minutes: crate::domain::material::Material,
    finals: Vec<crate::export::docx::BookEntry>,
    /// How the finals are laid out: the meeting template's choice.
    layout: crate::domain::document::Layout,
    ledger_rows: Vec<crate::export::ledger::LedgerSheetRow>,
    ledger_subtitle: String,
    tallies: Option<Vec<Vec<String>>>,
}

async fn package_parts(
    state: &AppState,
    actor: &Actor,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<PackageParts, super::AppError> {
    use super::cycle::{final_or_approved, meeting_record_rows, report_facts};
    use super::ledger::backend::{AsOf, sheet_rows};
    use crate::domain::cycle::{minutes_document, report_document};
    use crate::domain::session::chinese_date;
    use crate::export::docx::BookEntry;
    use crate::store::ledger::LedgerScope;

    let store = &state.store;
    let facts = report_facts(store, actor, meeting).await?;
    let (minutes_rows, recorder, absent, notes, tallies) =
        meeting_record_rows(store, actor, meeting).await?;
    let date = facts.meeting_on.clone();
    let minutes = minutes_document(
        &meeting.title,
        &date,
        recorder.as_deref(),
        facts.quorum,
        &absent,
        &notes,
        &minutes_rows,
    );
    let finals = final_or_approved(store, meeting)
        .await?
        .into_iter()
        .filter(|(_, finalised, _)| *finalised)
        .map(|(author, _, material)| BookEntry { author, material })
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
        finals,
        layout: meeting.template.layout(),
        date,
        tallies,
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
            session: self.title.clone(),
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
        let cursor = archive.finish().map_err(|e| e.to_string())?;
        Ok(cursor.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::attachment;

    #[test]
    fn chinese_file_names_travel_in_filename_star() {
        let value = attachment("发言材料 2026.docx");
        let text = value.to_str().unwrap();
        assert!(text.starts_with("attachment; filename=\"_____2026.docx\""));
        assert!(text.contains("filename*=UTF-8''%E5%8F%91%E8%A8%80%E6%9D%90%E6%96%99%202026.docx"));
    }
}
