//! The 会议记录: attendance, each speaker's record, the notes, and the rows the minutes
//! document and the 测评 table are made of.

use super::*;

/// One participant's line of the meeting record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpeakerView {
    pub user_id: String,
    pub name: String,
    pub present: bool,
    pub status: SpeakerStatus,
    pub criticisms: String,
    pub pledge: String,
    pub version: i64,
    pub material_state: Option<MaterialState>,
}

/// The meeting record page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesView {
    pub meeting_id: String,
    /// Who holds the meeting: names the fallback recorder (支部书记 or 主要负责人).
    pub group_kind: crate::domain::org::GroupKind,
    pub title: String,
    pub meeting_on: Option<String>,
    pub quorum: Quorum,
    pub quorum_text: String,
    pub recorder: Option<String>,
    pub is_secretary: bool,
    pub notes: String,
    pub speakers: Vec<SpeakerView>,
    pub ballot_enabled: bool,
    pub ballot_open: bool,
    pub ballot_closed: bool,
    /// How many voted: `None` until the ballot closed (a moving count dates each ballot).
    pub voters: Option<usize>,
    /// Shown once the ballot closed with at least three voters besides the reader.
    pub tallies: Option<Vec<TallyView>>,
    /// The 督导组's 点评, as the 会议记录 prints them after the speakers.
    pub remarks: Vec<crate::server::supervision::RemarkView>,
}

#[server(endpoint = "meeting_record")]
pub async fn meeting_record(meeting_id: String) -> Result<MinutesView, AppError> {
    use crate::domain::cycle::{Grade, group_shown};
    use crate::domain::meeting::chinese_date;
    use crate::domain::policy::can_run_branch;
    use crate::server::context::{actor, state};
    use crate::store::materials::material_key;

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = recorder_meeting(store, &actor, &meeting_id).await?;
    let settings = store.cycle_settings(&meeting.id).await?;
    let speakers = speakers_in_order(store, &meeting).await?;
    let recorder = recorder_name(store, &meeting, settings.recorder.as_deref(), &speakers).await?;
    let states = store.meeting_materials(&meeting.id).await?;
    let mut views = Vec::new();
    for (member, row) in speakers {
        let key = material_key(&meeting.id, &member.user_id);
        views.push(SpeakerView {
            material_state: states.iter().find(|m| m.id == key).map(|m| m.state),
            present: row.as_ref().is_none_or(|r| r.present),
            status: row.as_ref().map_or(SpeakerStatus::Pending, |r| r.status),
            criticisms: row
                .as_ref()
                .map(|r| r.criticisms.clone())
                .unwrap_or_default(),
            pledge: row.as_ref().map(|r| r.pledge.clone()).unwrap_or_default(),
            version: row.as_ref().map_or(0, |r| r.version),
            user_id: member.user_id,
            name: member.name,
        });
    }
    let kind = meeting.kind;
    let quorum = Quorum::of(
        kind,
        views.len(),
        views.iter().filter(|s| s.present).count(),
    );
    let is_secretary = can_run_branch(&actor, &meeting.branch_id);
    let voters = store.ballot_voter_count(&meeting.id).await?;
    let voted = store.has_voted(&meeting.id, &actor.user_id).await?;
    let tallies = if is_secretary && settings.ballot_closed && group_shown(voters, voted) {
        let rows = store.ballot_tallies(&meeting.id).await?;
        Some(
            views
                .iter()
                .map(|s| TallyView {
                    name: s.name.clone(),
                    counts: Grade::ALL
                        .iter()
                        .map(|grade| {
                            rows.iter()
                                .find(|r| r.member_id == s.user_id && r.grade == *grade)
                                .map_or(0, |r| r.count.max(0) as usize)
                        })
                        .collect(),
                })
                .collect(),
        )
    } else {
        None
    };
    Ok(MinutesView {
        group_kind: meeting.group_kind,
        meeting_on: meeting.dates.map(|d| chinese_date(d.meeting_on)),
        quorum,
        quorum_text: quorum.summary(),
        recorder,
        is_secretary,
        notes: settings.minutes_notes,
        speakers: views,
        remarks: store
            .remarks(&meeting.id)
            .await?
            .into_iter()
            .map(|r| crate::server::supervision::RemarkView {
                author: r.author_name,
                at: crate::server::clock::china_time(r.at, "%Y-%m-%d %H:%M"),
                text: r.text,
            })
            .collect(),
        ballot_enabled: settings.ballot_enabled,
        ballot_open: settings.ballot_open,
        ballot_closed: settings.ballot_closed,
        voters: settings.ballot_closed.then_some(voters),
        tallies,
        meeting_id: meeting.id,
        title: meeting.title,
    })
}

/// What the 会议记录 document and the 测评 table are made of.
#[cfg(feature = "ssr")]
pub(crate) struct MeetingRecordRows {
    /// The speakers' lines, in speaking order.
    pub speakers: Vec<crate::domain::cycle::MinutesSpeaker>,
    /// Who recorded (none: the secretary).
    pub recorder: Option<String>,
    pub absent: Vec<String>,
    /// The record's general notes.
    pub notes: String,
    /// Name and counts per grade, when they may be shown to the reader.
    pub tallies: Option<Vec<Vec<String>>>,
}

/// The rows of a meeting's 会议记录 and 测评 table, as `reader` may see them.
#[cfg(feature = "ssr")]
pub(crate) async fn meeting_record_rows(
    store: &crate::store::Store,
    reader: &crate::domain::policy::Actor,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<MeetingRecordRows, AppError> {
    use crate::domain::cycle::{Grade, MinutesSpeaker, group_shown};
    let settings = store.cycle_settings(&meeting.id).await?;
    let speakers = speakers_in_order(store, meeting).await?;
    let recorder = recorder_name(store, meeting, settings.recorder.as_deref(), &speakers).await?;
    // The record's lists of people are official lists: 按姓氏笔画. The speakers' lines
    // keep the order they spoke in.
    let mut absent: Vec<String> = speakers
        .iter()
        .filter(|(_, row)| row.as_ref().is_some_and(|r| !r.present))
        .map(|(p, _)| p.name.clone())
        .collect();
    crate::collation::sort_by_strokes(&mut absent, |name| name);
    let voters = store.ballot_voter_count(&meeting.id).await?;
    let voted = store.has_voted(&meeting.id, &reader.user_id).await?;
    let tallies = if settings.ballot_closed && group_shown(voters, voted) {
        let rows = store.ballot_tallies(&meeting.id).await?;
        let mut table: Vec<Vec<String>> = speakers
            .iter()
            .map(|(person, _)| {
                std::iter::once(person.name.clone())
                    .chain(Grade::ALL.iter().map(|grade| {
                        rows.iter()
                            .find(|r| r.member_id == person.user_id && r.grade == *grade)
                            .map_or(0, |r| r.count)
                            .to_string()
                    }))
                    .collect()
            })
            .collect();
        crate::collation::sort_by_strokes(&mut table, |row| &row[0]);
        Some(table)
    } else {
        None
    };
    let lines = speakers
        .into_iter()
        .map(|(person, row)| MinutesSpeaker {
            name: person.name,
            status: row.as_ref().map_or(SpeakerStatus::Pending, |r| r.status),
            criticisms: row
                .as_ref()
                .map(|r| r.criticisms.clone())
                .unwrap_or_default(),
            pledge: row.map(|r| r.pledge).unwrap_or_default(),
        })
        .collect();
    Ok(MeetingRecordRows {
        speakers: lines,
        recorder,
        absent,
        notes: settings.minutes_notes,
        tallies,
    })
}

/// The people of the meeting record in speaking order, with what was recorded for them.
/// Until attendance is recorded these are the meeting's participants in roster order;
/// from then on the record is fixed: exactly the people it recorded, so someone who joins
/// the branch later is neither 应到 nor present, and someone who leaves stays on it.
#[cfg(feature = "ssr")]
pub(crate) async fn speakers_in_order(
    store: &crate::store::Store,
    meeting: &crate::store::meetings::MeetingRecord,
) -> Result<Vec<(PersonChoice, Option<crate::store::cycle::SpeakerRow>)>, AppError> {
    let rows = store.speakers(&meeting.id).await?;
    if !rows.is_empty() {
        // The store reads them in recorded order.
        return Ok(rows
            .into_iter()
            .map(|row| {
                let person = PersonChoice {
                    user_id: row.person_id.clone(),
                    name: row.name.clone().unwrap_or_default(),
                };
                (person, Some(row))
            })
            .collect());
    }
    let people = backend::participants(store, meeting).await?;
    Ok(backend::choices(&people)
        .into_iter()
        .map(|person| (person, None))
        .collect())
}

/// Whether the meeting record has fixed its people yet.
#[cfg(feature = "ssr")]
fn recorded(speakers: &[(PersonChoice, Option<crate::store::cycle::SpeakerRow>)]) -> bool {
    speakers.iter().any(|(_, row)| row.is_some())
}

/// The name the record gives as 记录人: the designated recorder, else the branch's
/// secretary (or secretaries). The page and the .docx both use this.
#[cfg(feature = "ssr")]
pub(crate) async fn recorder_name(
    store: &crate::store::Store,
    meeting: &crate::store::meetings::MeetingRecord,
    recorder: Option<&str>,
    speakers: &[(PersonChoice, Option<crate::store::cycle::SpeakerRow>)],
) -> Result<Option<String>, AppError> {
    let members = store.branch_members(&meeting.branch_id).await?;
    let names: Vec<String> = match recorder {
        Some(id) => speakers
            .iter()
            .map(|(person, _)| person)
            .find(|person| person.user_id == id)
            .map(|person| person.name.clone())
            .or_else(|| {
                members
                    .iter()
                    .find(|m| m.user_id == id)
                    .map(|m| m.name.clone())
            })
            .into_iter()
            .collect(),
        None => members
            .into_iter()
            .filter(|m| m.role == crate::domain::org::Role::Secretary.code())
            .map(|m| m.name)
            .collect(),
    };
    Ok((!names.is_empty()).then(|| names.join("、")))
}

/// Attendance and speaking order: `order[u<user id>]` is a number (lower speaks first) and
/// `present[u<user id>]` is set for everyone present.
#[server(endpoint = "save_attendance")]
pub async fn save_attendance(
    meeting_id: String,
    #[server(default)] order: std::collections::HashMap<String, String>,
    #[server(default)] present: std::collections::HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let meeting = recorder_meeting(store, &actor, &meeting_id).await?;
    // Once recorded, the record keeps its people: a later member is not added to it.
    let people: Vec<PersonChoice> = speakers_in_order(store, &meeting)
        .await?
        .into_iter()
        .map(|(person, _)| person)
        .collect();
    let order = by_person(order);
    let present = by_person(present);
    let mut placed = Vec::new();
    for (index, person) in people.iter().enumerate() {
        let position = match order
            .iter()
            .find(|(id, _)| *id == person.user_id)
            .map(|(_, raw)| raw.trim())
        {
            None | Some("") => index as i64 + 1,
            Some(raw) => raw
                .parse::<i64>()
                .map_err(|_| AppError::Invalid(format!("{}的发言顺序须是数字", person.name)))?,
        };
        placed.push((position, index, person.user_id.clone()));
    }
    placed.sort();
    let rows: Vec<(String, bool)> = placed
        .into_iter()
        .map(|(_, _, id)| {
            let here = present.iter().any(|(person, _)| *person == id);
            (id, here)
        })
        .collect();
    store
        .save_attendance(
            &meeting.id,
            &rows,
            &audit(&actor, "minutes.attendance", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}

/// One speaker's line: how they spoke, the criticisms raised, their 表态. Marking them as
/// spoken moves their approved material to 已发言 (a 书面发言 when they were absent).
#[server(endpoint = "save_speaker")]
pub async fn save_speaker(
    meeting_id: String,
    person_id: String,
    version: i64,
    #[server(default)] spoken: Option<String>,
    #[server(default)] criticisms: String,
    #[server(default)] pledge: String,
) -> Result<(), AppError> {
    use crate::domain::cycle::{MINUTES_MAX, optional_long_text};
    use crate::server::context::{actor, audit, state};
    use crate::store::cycle::SpeakerEntry;

    let actor = actor().await?;
    let criticisms = optional_long_text("批评意见", &criticisms, MINUTES_MAX)?;
    let pledge = optional_long_text("表态", &pledge, MINUTES_MAX)?;
    let store = &state()?.store;
    let meeting = recorder_meeting(store, &actor, &meeting_id).await?;
    let speakers = speakers_in_order(store, &meeting).await?;
    let (index, (_, row)) = speakers
        .iter()
        .enumerate()
        .find(|(_, (person, _))| person.user_id == person_id)
        .ok_or(AppError::NotFound)?;
    let present = row.as_ref().is_none_or(|r| r.present);
    let status = if spoken.is_some() {
        SpeakerStatus::after_speaking(present)
    } else {
        SpeakerStatus::Pending
    };
    match store
        .save_speaker(
            &meeting.id,
            &person_id,
            row.as_ref().map_or(index as i64 + 1, |r| r.position),
            version,
            status,
            &SpeakerEntry { criticisms, pledge },
            // The first line recorded fixes who the meeting had, as the page showed them.
            &if recorded(&speakers) {
                Vec::new()
            } else {
                speakers
                    .iter()
                    .map(|(person, _)| person.user_id.clone())
                    .collect()
            },
            &audit(&actor, "minutes.speaker", Some(person_id.clone())),
        )
        .await?
    {
        Some(_) => Ok(()),
        None => Err(AppError::Conflict(
            "这位同志的记录刚被他人更新：您填写的内容还在页面上，请复制保存后刷新页面再合并".into(),
        )),
    }
}

#[server(endpoint = "save_minutes_notes")]
pub async fn save_minutes_notes(meeting_id: String, notes: String) -> Result<(), AppError> {
    use crate::domain::cycle::{MINUTES_MAX, optional_long_text};
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let notes = optional_long_text("会议记录", &notes, MINUTES_MAX)?;
    let store = &state()?.store;
    let meeting = recorder_meeting(store, &actor, &meeting_id).await?;
    store
        .save_minutes_notes(
            &meeting.id,
            &notes,
            &audit(&actor, "minutes.notes", Some(meeting.id.clone())),
        )
        .await?;
    Ok(())
}
