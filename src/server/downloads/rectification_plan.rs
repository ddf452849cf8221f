//! The 整改方案 (.docx, its three lists as tables) and the 整改落实情况报告 for the 上级 as of
//! a chosen day (.docx). For whoever reads the plan: the secretary of the meeting's group
//! and the administrators above it. Audited like every export.

use super::*;
use crate::domain::rectification_plan::{HistoryLine, ReportCounts, status_on};
use crate::server::rectification_plan::backend::plan_items;
use axum::extract::Query;

/// The report's day, as the address gives it (`?on=YYYY-MM-DD`); today when absent.
#[derive(Debug, serde::Deserialize)]
pub struct ReportDay {
    #[serde(default)]
    on: String,
}

/// The meeting, if the actor reads its plan; anyone else gets "not found".
async fn plan_meeting(
    state: &AppState,
    actor: &Actor,
    meeting_id: &str,
) -> Result<crate::store::meetings::MeetingRecord, DownloadError> {
    crate::server::access::overseen_meeting(&state.store, actor, meeting_id)
        .await
        .map_err(|error| match error {
            AppError::NotFound => DownloadError::NotFound,
            other => other.into(),
        })
}

async fn render(blocks: Vec<crate::domain::document::Block>) -> Result<Vec<u8>, DownloadError> {
    tokio::task::spawn_blocking(move || crate::export::docx::blocks_docx(&blocks))
        .await
        .map_err(DownloadError::failed)?
        .map_err(DownloadError::failed)
}

/// `/meetings/{id}/rectification/plan.docx`
pub async fn rectification_plan_docx(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    use crate::domain::meeting::chinese_date;
    use crate::export::rectification_plan::{PlanLine, plan_blocks};

    let actor = request_actor(&state, &login_session).await?;
    let meeting = plan_meeting(&state, &actor, &meeting_id).await?;
    let lines: Vec<PlanLine> = plan_items(&state.store, &meeting.id)
        .await?
        .into_iter()
        .map(|(item, extra)| PlanLine {
            problem: item.problem,
            source: extra.source.label(),
            task: item.measure,
            standard: item.standard,
            kind: item.state.kind.label().into(),
            deadline: item.state.deadline_in_words(),
            owner: item.owner_name,
            department: extra.department,
        })
        .collect();
    let today = chinese_date(crate::server::clock::today());
    let bytes = render(plan_blocks(&meeting.title, &lines, &today)).await?;
    let audit = audit_from(client, &actor, "plan.export_docx", Some(meeting.id.clone()));
    state.store.record_audit(&audit).await?;
    Ok(file(
        bytes,
        DOCX,
        &format!("{}-整改方案.docx", meeting.title),
    ))
}

/// `/meetings/{id}/rectification/report.docx?on=YYYY-MM-DD`: each item as it stood at the
/// end of that day, replayed from its history, so work done since is not counted.
pub async fn rectification_report_docx(
    State(state): State<AppState>,
    login_session: Session,
    Path(meeting_id): Path<String>,
    Query(day): Query<ReportDay>,
    Client(client): Client,
) -> Result<Response, DownloadError> {
    use crate::domain::meeting::{chinese_date, parse_date};
    use crate::export::rectification_plan::{ReportLine, report_blocks};

    let actor = request_actor(&state, &login_session).await?;
    let meeting = plan_meeting(&state, &actor, &meeting_id).await?;
    let on = match day.on.trim() {
        "" => crate::server::clock::today(),
        raw => parse_date(raw).ok_or_else(|| {
            DownloadError::Refused(AppError::Invalid(
                "统计日期请写成 2026-06-30 或 2026年6月30日".into(),
            ))
        })?,
    };
    let store = &state.store;
    let items = plan_items(store, &meeting.id).await?;
    let ids: Vec<String> = items.iter().map(|(item, _)| item.id.clone()).collect();
    let notes = store.plan_notes(&ids).await?;
    let mut counted = Vec::new();
    let mut lines = Vec::new();
    for (item, extra) in &items {
        let Some(created_on) = parse_date(&extra.created_on) else {
            continue;
        };
        let own: Vec<_> = notes
            .iter()
            .filter(|note| note.item_id == item.id)
            .filter_map(|note| {
                parse_date(&note.on).map(|date| (date, note.kind.as_str(), note.text.as_str()))
            })
            .collect();
        let history: Vec<HistoryLine> = own
            .iter()
            .map(|(date, kind, _)| HistoryLine {
                kind: kind.to_string(),
                on: *date,
            })
            .collect();
        let Some(status) = status_on(created_on, item.state.kind, &history, on) else {
            continue;
        };
        let progress = own
            .iter()
            .rfind(|(date, kind, _)| *date <= on && ["progress", "report_done"].contains(kind))
            .map(|(_, _, text)| text.to_string())
            .unwrap_or_default();
        let evidence = store
            .ledger_evidence(&item.id)
            .await?
            .into_iter()
            .filter(|file| {
                parse_date(file.at.get(..10).unwrap_or_default()).is_some_and(|at| at <= on)
            })
            .map(|file| file.name)
            .collect();
        counted.push((status, item.state.kind, item.state.deadline));
        lines.push(ReportLine {
            task: item.measure.clone(),
            owner: item.owner_name.clone(),
            deadline: item.state.deadline_label(),
            status: status.label().into(),
            progress,
            evidence,
        });
    }
    let counts = ReportCounts::of(&counted, on);
    let on_words = chinese_date(on);
    let bytes = render(report_blocks(&meeting.title, &on_words, &counts, &lines)).await?;
    let audit = audit_from(
        client,
        &actor,
        "plan.export_report",
        Some(meeting.id.clone()),
    );
    state.store.record_audit(&audit).await?;
    Ok(file(
        bytes,
        DOCX,
        &format!("{}-整改落实情况报告-{on}.docx", meeting.title),
    ))
}
