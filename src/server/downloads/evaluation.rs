//! The 民主评议党员 files: a member's own 评议结果通知 (.docx) once the 评定 is final, and the
//! secretary's 民主评议党员情况统计表 (.xlsx, .docx). Audited like every export.

use super::*;
use crate::server::cycle::evaluation_backend::{enabled, sheet_rows, shown_about};

/// A guard's answer as a download's: "not found" stays "not found" (a 404), not a failure.
fn found<T>(result: Result<T, AppError>) -> Result<T, DownloadError> {
    result.map_err(|error| match error {
        AppError::NotFound => DownloadError::NotFound,
        other => other.into(),
    })
}

/// The member's own 评议结果通知, with the remarks addressed to them and no author.
pub async fn evaluation_notice_docx(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    use crate::domain::cycle::{NoticeFacts, evaluation_notice};
    use crate::server::access::participant_meeting;
    use crate::server::cycle::backend::participants;

    let actor = request_actor(&state, &login_session).await?;
    let store = &state.store;
    let meeting = found(participant_meeting(store, &actor, &meeting_id).await)?;
    let evaluation = found(enabled(store, &meeting.id).await)?;
    let me = actor.user_id.as_str();
    let person = found(participants(store, &meeting).await)?
        .into_iter()
        .find(|p| p.user_id == me)
        .ok_or(DownloadError::NotFound)?;
    let result = store
        .evaluation_results(&meeting.id)
        .await?
        .into_iter()
        .find(|r| r.member_id == me);
    let (Some(result), Some(committee_on), true) =
        (result, evaluation.committee_on, evaluation.finalised)
    else {
        return Err(DownloadError::NotFound);
    };
    let voters = store.evaluation_voters(&meeting.id).await?;
    let remarks: Vec<String> = if shown_about(&evaluation, &voters, me, me) {
        store
            .evaluation_remarks(&meeting.id, Some(me))
            .await?
            .into_iter()
            .map(|r| r.text)
            .collect()
    } else {
        Vec::new()
    };
    let branch = actor
        .memberships
        .iter()
        .find(|m| m.branch_id == meeting.branch_id)
        .map(|m| m.branch_name.clone())
        .unwrap_or_default();
    let notice = evaluation_notice(&NoticeFacts {
        meeting: &meeting.title,
        branch: &branch,
        member: &person.name,
        grade: result.grade,
        reason: result.reason.as_deref(),
        committee_on,
        assembly_on: evaluation.assembly_on,
        remarks: &remarks,
    });
    let bytes = tokio::task::spawn_blocking(move || crate::export::docx::material_docx(&notice))
        .await
        .map_err(DownloadError::failed)?
        .map_err(DownloadError::failed)?;
    let audit = audit_from(
        client,
        &actor,
        "evaluation.export_notice",
        Some(meeting.id.clone()),
    );
    store.record_audit(&audit).await?;
    Ok(file(
        bytes,
        DOCX,
        &format!("{}-{}-评议结果通知.docx", meeting.title, person.name),
    ))
}

pub async fn evaluation_sheet_xlsx(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    evaluation_sheet(state, login_session, meeting_id, client, false).await
}

pub async fn evaluation_sheet_docx(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    evaluation_sheet(state, login_session, meeting_id, client, true).await
}

/// The 民主评议党员情况统计表 for the branch's secretary.
async fn evaluation_sheet(
    state: AppState,
    login_session: Session,
    meeting_id: String,
    client: Option<IpAddr>,
    docx: bool,
) -> Result<Response, DownloadError> {
    use crate::server::access::secretary_meeting;

    let actor = request_actor(&state, &login_session).await?;
    let store = &state.store;
    let meeting = found(secretary_meeting(store, &actor, &meeting_id).await)?;
    let rows = found(sheet_rows(store, &meeting).await)?.ok_or(DownloadError::NotFound)?;
    let branch = actor
        .memberships
        .iter()
        .find(|m| m.branch_id == meeting.branch_id)
        .map(|m| m.branch_name.clone())
        .unwrap_or_default();
    let title = format!("{}民主评议党员情况统计表", meeting.title);
    let name = title.clone();
    let bytes = tokio::task::spawn_blocking(move || {
        if docx {
            crate::export::evaluation::evaluation_docx(&title, &branch, &rows)
                .map_err(|e| e.to_string())
        } else {
            crate::export::evaluation::evaluation_xlsx(&title, &rows).map_err(|e| e.to_string())
        }
    })
    .await
    .map_err(DownloadError::failed)?
    .map_err(DownloadError::failed)?;
    let audit = audit_from(
        client,
        &actor,
        "evaluation.export_sheet",
        Some(meeting.id.clone()),
    );
    store.record_audit(&audit).await?;
    Ok(if docx {
        file(bytes, DOCX, &format!("{name}.docx"))
    } else {
        file(bytes, XLSX, &format!("{name}.xlsx"))
    })
}
