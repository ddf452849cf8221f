//! After the meeting: the 会议情况报告 page, its facts, and marking the meeting 报送.

use super::*;

/// A participant's line on the report page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FinalRow {
    pub name: String,
    pub state: Option<MaterialState>,
    /// From the approved version to the 定稿 (or to the text so far).
    pub changes: Vec<DiffLine>,
}

/// The secretary's page after the meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportView {
    pub meeting_id: String,
    /// For the link to the branch's 整改台账, where the 整改清单 is published.
    pub branch_id: String,
    pub title: String,
    pub report_due: Option<String>,
    pub countdown: Option<String>,
    pub overdue: bool,
    pub reported_at: Option<String>,
    pub rows: Vec<FinalRow>,
    pub finals: usize,
    pub ledger_published: bool,
    pub report: Material,
}

/// The facts behind the 会议情况报告, counted from the meeting.
#[cfg(feature = "ssr")]
pub(crate) async fn report_facts(
    store: &crate::store::Store,
    actor: &crate::domain::policy::Actor,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<crate::domain::cycle::ReportFacts, AppError> {
    use crate::domain::cycle::{Grade, ReportFacts, group_shown, raised_criticisms};
    use crate::domain::material::PartKind;
    use crate::domain::meeting::chinese_date;

    let settings = store.cycle_settings(&meeting.id).await?;
    let speakers = speakers_in_order(store, meeting).await?;
    let rows: Vec<_> = speakers
        .iter()
        .filter_map(|(_, row)| row.as_ref())
        .collect();
    let kind = meeting.kind;
    let present = speakers
        .iter()
        .filter(|(_, row)| row.as_ref().is_none_or(|r| r.present))
        .count();
    let contents: Vec<Material> = final_or_approved(store, meeting)
        .await?
        .into_iter()
        .map(|settled| settled.content)
        .collect();
    let problems: Vec<_> = contents
        .iter()
        .flat_map(|m| m.items(PartKind::Problems))
        .collect();
    let opinions = store.meeting_opinions(&meeting.id).await?;
    let voters = store.ballot_voter_count(&meeting.id).await?;
    let voted = store.has_voted(&meeting.id, &actor.user_id).await?;
    let ballot = if settings.ballot_closed && group_shown(voters, voted) {
        let tallies = store.ballot_tallies(&meeting.id).await?;
        Some(
            Grade::ALL
                .iter()
                .map(|grade| {
                    let total: i64 = tallies
                        .iter()
                        .filter(|t| t.grade == *grade)
                        .map(|t| t.count)
                        .sum();
                    (grade.label().to_string(), total.max(0) as usize)
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(ReportFacts {
        group: meeting.group_kind,
        branch: actor
            .memberships
            .iter()
            .find(|m| m.branch_id == meeting.branch_id)
            .map(|m| m.branch_name.clone())
            .unwrap_or_default(),
        title: meeting.title.clone(),
        kind_label: kind.label().to_string(),
        theme: meeting.theme.clone(),
        meeting_on: meeting
            .dates
            .map(|d| chinese_date(d.meeting_on))
            .unwrap_or_else(|| "【会议日期】".into()),
        // Counts only of a closed survey: one still open would date each answer.
        survey_respondents: match settings.survey_closed {
            true => store.survey_respondent_count(&meeting.id).await?,
            false => 0,
        },
        survey_opinions: match settings.survey_closed {
            true => store.survey_answer_count(&meeting.id).await?,
            false => 0,
        },
        talks: store.talks(&meeting.id).await?.len(),
        written_criticisms: opinions
            .iter()
            .filter(|o| o.kind == OpinionKind::Criticism)
            .count(),
        opinions_passed_on: opinions.iter().filter(|o| o.released).count(),
        opinions_pending: opinions.iter().filter(|o| !o.released).count(),
        quorum: Quorum::of(kind, speakers.len(), present),
        spoken: rows
            .iter()
            .filter(|r| r.status == SpeakerStatus::Spoken)
            .count(),
        written_speeches: rows
            .iter()
            .filter(|r| r.status == SpeakerStatus::Written)
            .count(),
        raised_criticisms: rows.iter().map(|r| raised_criticisms(&r.criticisms)).sum(),
        problems: problems.len(),
        problems_by_category: meeting
            .template
            .aspects
            .iter()
            .map(|aspect| {
                (
                    aspect.clone(),
                    problems
                        .iter()
                        .filter(|p| p.category.as_deref() == Some(aspect.as_str()))
                        .count(),
                )
            })
            .collect(),
        measures: contents
            .iter()
            .map(|m| m.items(PartKind::Measures).count())
            .sum(),
        ledger_published: store.ledger_published(&meeting.id).await?,
        ballot,
        ballot_voters: voters,
    })
}

/// A participant's material past approval, as the documents after the meeting use it.
#[cfg(feature = "ssr")]
pub(crate) struct SettledMaterial {
    pub author: String,
    /// Whether `content` is the 定稿 (else the approved round).
    pub finalised: bool,
    pub content: Material,
}

/// Every participant's material past approval, 按姓氏笔画 (it fills documents: the 报送
/// package's 汇编 and the report's contents). The 定稿 where there is one; otherwise the
/// approved round.
#[cfg(feature = "ssr")]
pub(crate) async fn final_or_approved(
    store: &crate::store::Store,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<Vec<SettledMaterial>, AppError> {
    let mut out = Vec::new();
    let names: std::collections::HashMap<String, String> = backend::participants(store, meeting)
        .await?
        .into_iter()
        .map(|m| (m.user_id, m.name))
        .collect();
    for status in store.meeting_materials(&meeting.id).await? {
        let state = status.state;
        if !state.approved() {
            continue;
        }
        let Some(name) = names.get(&status.owner_id) else {
            continue;
        };
        let finalised = matches!(state, MaterialState::Final | MaterialState::Reported);
        let content = if finalised {
            store.material(&status.id).await?.map(|m| m.content)
        } else {
            store
                .latest_submission(&status.id)
                .await?
                .map(|(_, content)| content)
        };
        if let Some(content) = content {
            out.push(SettledMaterial {
                author: name.clone(),
                finalised,
                content,
            });
        }
    }
    crate::collation::sort_by_strokes(&mut out, |settled| &settled.author);
    Ok(out)
}

/// The meeting's agenda (the template's, or the usual two 通报) and its 通报 written out:
/// the previous meeting's 整改 from the branch's ledger, the 征求意见 from `facts`.
#[cfg(feature = "ssr")]
pub(crate) async fn agenda_of(
    store: &crate::store::Store,
    meeting: &crate::store::meetings::MeetingRecord,
    facts: &crate::domain::cycle::ReportFacts,
) -> Result<(Vec<String>, Vec<crate::domain::cycle::AgendaReport>), AppError> {
    use crate::domain::cycle::{AgendaFacts, OwnedItem, agenda_reports, default_agenda};
    use crate::domain::ledger::CarriedItem;
    use crate::store::ledger::LedgerScope;

    let agenda = if meeting.template.agenda_reports.is_empty() {
        default_agenda(meeting.kind.label())
    } else {
        meeting.template.agenda_reports.clone()
    };
    // The branch's meetings come newest first: the previous one is the first older
    // meeting with items in the ledger.
    let older: Vec<(String, String)> = store
        .meetings_of_branch(&meeting.branch_id)
        .await?
        .into_iter()
        .map(|row| (row.id, row.title))
        .skip_while(|(id, _)| id != &meeting.id)
        .skip(1)
        .collect();
    let mut items = store
        .ledger_items(LedgerScope::Branch(&meeting.branch_id))
        .await?;
    let previous = older
        .into_iter()
        .find(|(id, _)| items.iter().any(|item| &item.meeting_id == id));
    let previous = match previous {
        Some((id, title)) => {
            items.retain(|item| item.meeting_id == id);
            // Documents list people 按姓氏笔画; each person's items keep their order.
            crate::collation::sort_by_strokes(&mut items, |item| &item.owner_name);
            let ids: Vec<String> = items.iter().map(|item| item.id.clone()).collect();
            let mut reports = store.ledger_last_reports(&ids).await?;
            let owned = items
                .into_iter()
                .map(|item| OwnedItem {
                    item: CarriedItem {
                        last_report: reports.remove(&item.id),
                        measure: item.measure,
                        state: item.state,
                    },
                    owner: item.owner_name,
                })
                .collect();
            Some((title, owned))
        }
        None => None,
    };
    let facts = AgendaFacts {
        previous,
        today: Some(crate::server::clock::today()),
        survey_respondents: facts.survey_respondents,
        survey_opinions: facts.survey_opinions,
        talks: facts.talks,
        opinions_passed_on: facts.opinions_passed_on,
        opinions_pending: facts.opinions_pending,
    };
    let reports = agenda_reports(&agenda, &facts);
    Ok((agenda, reports))
}

#[server(endpoint = "meeting_report")]
pub async fn meeting_report(meeting_id: String) -> Result<ReportView, AppError> {
    use crate::domain::cycle::report_document;
    use crate::domain::meeting::{chinese_date, countdown};
    use crate::domain::outline::diff;
    use crate::server::clock::china_time;
    use crate::server::clock::today;
    use crate::server::context::{actor, state};
    use crate::store::materials::material_key;
    use backend::*;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    let settings = store.cycle_settings(&meeting.id).await?;
    let mut rows = Vec::new();
    for person in participants(store, &meeting).await? {
        let material = store
            .material(&material_key(&meeting.id, &person.user_id))
            .await?;
        let state = material.as_ref().map(|m| m.state);
        let changes = match (&material, state) {
            (
                Some(m),
                Some(MaterialState::Final | MaterialState::Reported | MaterialState::Spoken),
            ) => match store.latest_submission(&m.id).await? {
                Some((_, approved)) => diff(&approved, &m.content),
                None => Vec::new(),
            },
            _ => Vec::new(),
        };
        rows.push(FinalRow {
            name: person.name,
            state,
            changes,
        });
    }
    let today = today();
    let due = meeting.dates.map(|d| d.report_due);
    Ok(ReportView {
        report_due: due.map(chinese_date),
        countdown: due.map(|d| countdown(today, d)),
        overdue: settings.reported_at.is_none() && due.is_some_and(|d| d < today),
        reported_at: settings
            .reported_at
            .map(|at| china_time(at, "%Y-%m-%d %H:%M")),
        finals: rows
            .iter()
            .filter(|r| {
                matches!(
                    r.state,
                    Some(MaterialState::Final | MaterialState::Reported)
                )
            })
            .count(),
        ledger_published: store.ledger_published(&meeting.id).await?,
        report: report_document(&report_facts(store, &actor, &meeting).await?),
        rows,
        branch_id: meeting.branch_id,
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

/// Records that the package went to the 上级: the 定稿 materials become 已报送.
#[server(endpoint = "mark_reported")]
pub async fn mark_reported(meeting_id: String) -> Result<(), AppError> {
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = secretary_meeting(store, &actor, &meeting_id).await?;
    store
        .mark_reported(
            &meeting.id,
            &audit(&actor, "session.report", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}
