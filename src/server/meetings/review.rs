//! The review of a meeting's materials: the round a reviewer reads (frozen, never the draft),
//! their comments and decision, the similarity check, and the lists of rounds waiting. The
//! branch's secretary reviews first, the meeting's second reviewer (上级审核) after them.

use super::*;

/// A comment as shown beside its spot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub round: i64,
    pub author: String,
    pub anchor: String,
    pub anchor_label: String,
    pub text: String,
    pub at: String,
}

/// A decision in the review history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionView {
    pub round: i64,
    /// "支部书记" or "上级审核".
    pub stage: String,
    pub reviewer: String,
    pub decision: String,
    pub reason: String,
    pub at: String,
}

/// The next round waiting for the same reviewer in the meeting, offered after a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextReview {
    pub material_id: String,
    pub author: String,
    pub round: i64,
}

/// What the reviewer reads: the latest submitted round, never the draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewView {
    pub material_id: String,
    pub meeting_id: String,
    pub meeting_title: String,
    pub author: String,
    pub progress: Progress,
    pub round: i64,
    pub content: Material,
    pub template: Template,
    pub findings: Vec<Finding>,
    pub anchors: Vec<AnchorChoice>,
    pub comments: Vec<CommentView>,
    pub decisions: Vec<DecisionView>,
    /// From the previous round to this one (empty for round 1).
    pub changes: Vec<DiffLine>,
    /// Whether this round still waits for this reviewer's decision.
    pub pending: bool,
    /// Where the reviewer came from: the meeting's dashboard, or the second reviewer's list.
    pub back: String,
    /// Another material of the meeting waiting for this reviewer, the earliest handed in.
    pub next: Option<NextReview>,
}

/// Whether the round still waits for this stage's decision, given the decisions so far.
#[cfg(feature = "ssr")]
fn waits_for(
    stage: crate::store::meetings::ReviewStage,
    state: Option<crate::domain::material::MaterialState>,
    round: i64,
    decisions: &[crate::store::meetings::ReviewRow],
) -> bool {
    use crate::domain::material::MaterialState;
    use crate::store::meetings::ReviewStage;
    let decided = |stage: i64| {
        decisions
            .iter()
            .find(|d| d.round == round && d.stage == stage)
            .map(|d| d.decision)
    };
    state == Some(MaterialState::Submitted)
        && match stage {
            ReviewStage::Secretary { .. } => decided(1).is_none(),
            ReviewStage::Second => decided(1) == Some(Decision::Approved) && decided(2).is_none(),
        }
}

#[cfg(feature = "ssr")]
fn comment_views(
    rows: Vec<crate::store::meetings::CommentRow>,
    rounds: &std::collections::HashMap<i64, Material>,
) -> Vec<CommentView> {
    use crate::domain::review::anchor_label;
    use crate::server::clock::china_time;
    rows.into_iter()
        .map(|c| CommentView {
            anchor_label: rounds
                .get(&c.round)
                .and_then(|m| anchor_label(m, &c.anchor))
                .unwrap_or_else(|| "全文".into()),
            round: c.round,
            author: c.author_name,
            anchor: c.anchor,
            text: c.text,
            at: china_time(c.at, "%Y-%m-%d %H:%M"),
        })
        .collect()
}

#[cfg(feature = "ssr")]
fn decision_views(
    rows: Vec<crate::store::meetings::ReviewRow>,
    group: crate::domain::org::GroupKind,
) -> Vec<DecisionView> {
    use crate::server::clock::china_time;
    rows.into_iter()
        .map(|r| DecisionView {
            stage: if r.stage == 2 {
                "上级审核"
            } else {
                group.words().head
            }
            .into(),
            round: r.round,
            reviewer: r.reviewer_name,
            decision: r.decision.label().to_string(),
            reason: r.reason,
            at: china_time(r.at, "%Y-%m-%d %H:%M"),
        })
        .collect()
}

/// The comments and decisions on a material, for its author or its reviewer.
#[cfg(feature = "ssr")]
pub(crate) async fn review_history(
    material_id: &str,
    latest: Option<(i64, &Material)>,
    group: crate::domain::org::GroupKind,
) -> Result<(Vec<CommentView>, Vec<DecisionView>), AppError> {
    use std::collections::HashMap;
    let store = &crate::server::context::state()?.store;
    let comments = store.review_comments(material_id).await?;
    let mut rounds: HashMap<i64, Material> = HashMap::new();
    if let Some((round, content)) = latest {
        rounds.insert(round, content.clone());
    }
    for round in comments.iter().map(|c| c.round) {
        if !rounds.contains_key(&round)
            && let Some(content) = store.submission_content(material_id, round).await?
        {
            rounds.insert(round, content);
        }
    }
    Ok((
        comment_views(comments, &rounds),
        decision_views(store.reviews(material_id).await?, group),
    ))
}

#[server(endpoint = "review_material")]
pub async fn review_material(material_id: String) -> Result<ReviewView, AppError> {
    use crate::domain::health::check;
    use crate::domain::outline::diff;
    use crate::domain::review::anchors;
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let crate::server::access::UnderReview {
        material,
        meeting,
        round,
        content,
        stage,
        reviews,
    } = crate::server::access::reviewable_material(store, &actor, &material_id).await?;
    let changes = match round {
        1 => Vec::new(),
        _ => match store.submission_content(&material.id, round - 1).await? {
            Some(previous) => diff(&previous, &content),
            None => Vec::new(),
        },
    };
    let (comments, decisions) =
        review_history(&material.id, Some((round, &content)), meeting.group_kind).await?;
    let author = store
        .find_user(&material.owner_id)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let state_now = Some(material.state);
    // Reading another person's material is audited.
    store
        .record_audit(&audit(
            &actor,
            "material.review_read",
            Some(material.id.clone()),
        ))
        .await?;
    let pending = waits_for(stage, state_now, round, &reviews);
    let next = store
        .rounds_awaiting(&meeting.id, stage)
        .await?
        .into_iter()
        .find(|waiting| waiting.material_id != material.id)
        .map(|waiting| NextReview {
            material_id: waiting.material_id,
            author: waiting.owner_name,
            round: waiting.round,
        });
    let template = meeting.template_for(material.collective).clone();
    Ok(ReviewView {
        next,
        back: match stage {
            crate::store::meetings::ReviewStage::Second => "/reviews".into(),
            _ => format!("/meetings/{}/materials", meeting.id),
        },
        progress: Progress::of(state_now),
        pending,
        findings: check(&content, meeting.template_for(material.collective)),
        anchors: anchors(&content),
        material_id: material.id,
        meeting_id: meeting.id,
        meeting_title: meeting.title,
        author,
        round,
        template,
        content,
        comments,
        decisions,
        changes,
    })
}

/// Adds a 批注 to the round being reviewed, anchored to a spot of that round's text.
#[server(endpoint = "comment_on_material")]
pub async fn comment_on_material(
    material_id: String,
    round: i64,
    anchor: String,
    text: String,
) -> Result<(), AppError> {
    use crate::domain::review::{anchor_label, comment_text};
    use crate::server::context::{actor, state};

    let actor = actor().await?;
    let text = comment_text(&text)?;
    let under_review =
        crate::server::access::reviewable_material(&state()?.store, &actor, &material_id).await?;
    let content = under_review.content;
    if round != under_review.round {
        return Err(AppError::Conflict(
            "作者已重新提交，请刷新后对最新一轮批注".into(),
        ));
    }
    if anchor_label(&content, &anchor).is_none() {
        return Err(AppError::Invalid("批注的位置在这一轮材料中不存在".into()));
    }
    state()?
        .store
        .add_review_comment(&material_id, round, &actor.user_id, &anchor, &text)
        .await?;
    Ok(())
}

/// 退回修改 (reason required) or 审核通过 for the round being reviewed. Neither is assumed: a
/// post that names no decision is refused. The reviewer stays on the round's page, which then
/// confirms the decision and offers the next material waiting.
#[server(endpoint = "decide_material")]
pub async fn decide_material(
    material_id: String,
    round: i64,
    #[server(default)] decision: String,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    use crate::domain::review::{Decision, chosen_decision, decision_reason};
    use crate::server::context::{actor, audit, state};
    use crate::store::meetings::DecisionOutcome;

    let actor = actor().await?;
    let decision = chosen_decision(&decision)?;
    let reason = decision_reason(decision, &reason)?;
    let crate::server::access::UnderReview {
        material,
        meeting,
        stage,
        ..
    } = crate::server::access::reviewable_material(&state()?.store, &actor, &material_id).await?;
    let action = match decision {
        Decision::Returned => "material.return",
        Decision::Approved => "material.approve",
    };
    match state()?
        .store
        .decide_review(
            &material.id,
            round,
            stage,
            decision.code(),
            &reason,
            &audit(&actor, action, Some(material.id.clone())),
        )
        .await?
    {
        DecisionOutcome::Recorded => {
            crate::server::notify::material_decided(
                &actor,
                &material.id,
                &material.owner_id,
                round,
                &meeting,
                decision == Decision::Returned,
            )
            .await;
            Ok(())
        }
        DecisionOutcome::NotPending => Err(AppError::Conflict(
            "这一轮材料已不在待审状态（作者可能已撤回或重新提交），请刷新后再看".into(),
        )),
    }
}

/// The material most like this one, with the repeated passages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarityMatch {
    pub percent: u32,
    /// Whose or which material: a name for the reviewer; never a colleague's name or text
    /// for the author.
    pub with: String,
    pub passages: Vec<crate::domain::similarity::MatchedPassage>,
    /// At or over the warning score.
    pub warn: bool,
}

/// 雷同 check of one material: against the meeting's other submitted materials, and
/// against the author's own materials of earlier meetings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarityView {
    pub in_meeting: Option<SimilarityMatch>,
    pub own_past: Option<SimilarityMatch>,
}

/// The sentences a template supplies itself (guidance and examples): repeating them is not
/// 雷同.
#[cfg(feature = "ssr")]
fn template_sentences(template: &Template) -> Vec<String> {
    template
        .parts
        .iter()
        .flat_map(|part| [part.guidance.as_str(), part.example.as_str()])
        .flat_map(|text| text.split(['。', '；', '\n']))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[server(endpoint = "similarity_check")]
pub async fn similarity_check(material_id: String) -> Result<SimilarityView, AppError> {
    use crate::domain::similarity::{WARNING_SCORE, most_similar};
    use crate::server::context::{actor, audit, state};

    let actor = actor().await?;
    let store = &state()?.store;
    let record = store
        .material(&material_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_author = record.owner_id == actor.user_id;
    // The author checks the current text; a reviewer only ever reads the submitted round.
    let (meeting, ours) = if is_author {
        let meeting = store
            .meeting(&record.meeting_id)
            .await?
            .ok_or(AppError::NotFound)?;
        (meeting, record.content.clone())
    } else {
        let crate::server::access::UnderReview {
            meeting, content, ..
        } = crate::server::access::reviewable_material(&state()?.store, &actor, &material_id)
            .await?;
        store
            .record_audit(&audit(
                &actor,
                "material.similarity_read",
                Some(record.id.clone()),
            ))
            .await?;
        (meeting, content)
    };
    // The 上级 reviewer learns how much repeats and where, never the other materials' text:
    // those were not handed to them.
    let sees_other_texts = !is_author
        && crate::server::access::reviewer_stage(&actor, &meeting)
            != Some(crate::store::meetings::ReviewStage::Second);
    let common = template_sentences(&meeting.template);
    let found = |similarity: crate::domain::similarity::Similarity, with: String| SimilarityMatch {
        percent: similarity.percent(),
        warn: similarity.score >= WARNING_SCORE,
        with,
        passages: similarity.passages,
    };

    let colleagues: Vec<_> = store
        .meeting_submissions(&meeting.id)
        .await?
        .into_iter()
        .filter(|s| s.owner_id != record.owner_id)
        .collect();
    let only_ours = |similarity: &mut crate::domain::similarity::Similarity| {
        for passage in &mut similarity.passages {
            passage.theirs.clear();
        }
    };
    let in_meeting = most_similar(&ours, colleagues.iter().map(|s| &s.content), &common).map(
        |(index, mut similarity)| {
            if !sees_other_texts {
                // A colleague's text stays theirs: only our own sentences are shown.
                only_ours(&mut similarity);
            }
            if is_author {
                found(similarity, "本次会议另一位同志的材料".into())
            } else {
                let with = format!("{} 的材料", colleagues[index].owner_name);
                found(similarity, with)
            }
        },
    );

    let past: Vec<_> = store
        .submissions_of_owner(&record.owner_id)
        .await?
        .into_iter()
        .filter(|s| s.meeting_id != meeting.id)
        // A reviewer sees the author's past only where they reviewed it: in this branch.
        .filter(|s| is_author || s.branch_id == meeting.branch_id)
        .collect();
    let own_past = most_similar(&ours, past.iter().map(|s| &s.content), &common).map(
        |(index, mut similarity)| {
            if !is_author && !sees_other_texts {
                only_ours(&mut similarity);
            }
            found(
                similarity,
                format!("「{}」的材料", past[index].meeting_title),
            )
        },
    );
    Ok(SimilarityView {
        in_meeting,
        own_past,
    })
}

/// A submitted round waiting for the actor's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WaitingReview {
    pub material_id: String,
    pub author: String,
    pub meeting_title: String,
    pub round: i64,
}

/// The rounds of these meetings' materials that wait for a decision at `stage`, meeting by
/// meeting in the order given.
#[cfg(feature = "ssr")]
async fn waiting_reviews(
    store: &crate::store::Store,
    meetings: Vec<(String, String)>,
    stage: crate::store::meetings::ReviewStage,
) -> Result<Vec<WaitingReview>, AppError> {
    let mut waiting = Vec::new();
    for (meeting_id, meeting_title) in meetings {
        for material in store.reviewable_materials(&meeting_id).await? {
            let Some((round, _)) = store.latest_submission(&material.id).await? else {
                continue;
            };
            let state = Some(material.state);
            if waits_for(stage, state, round, &store.reviews(&material.id).await?) {
                waiting.push(WaitingReview {
                    author: store
                        .find_user(&material.owner_id)
                        .await?
                        .map(|u| u.name)
                        .unwrap_or_default(),
                    material_id: material.id,
                    meeting_title: meeting_title.clone(),
                    round,
                });
            }
        }
    }
    Ok(waiting)
}

/// The rounds waiting for the actor as a meeting's second reviewer.
#[server(endpoint = "my_second_reviews")]
pub async fn my_second_reviews() -> Result<Vec<WaitingReview>, AppError> {
    use crate::server::context::{actor, state};
    use crate::store::meetings::ReviewStage;

    let actor = actor().await?;
    let store = &state()?.store;
    let meetings = store
        .meetings_reviewed_by(&actor.user_id)
        .await?
        .into_iter()
        .map(|meeting| (meeting.id, meeting.title))
        .collect();
    waiting_reviews(store, meetings, ReviewStage::Second).await
}

/// The rounds waiting for the actor as the secretary of their branches (待审核), for the
/// home page. Empty for anyone who is no branch's secretary.
#[server(endpoint = "my_pending_reviews")]
pub async fn my_pending_reviews() -> Result<Vec<WaitingReview>, AppError> {
    use crate::domain::Role;
    use crate::server::context::{actor, state};
    use crate::store::meetings::ReviewStage;

    let actor = actor().await?;
    let store = &state()?.store;
    let mut meetings = Vec::new();
    for membership in actor
        .memberships
        .iter()
        .filter(|m| m.role == Role::Secretary)
    {
        meetings.extend(
            store
                .meetings_of_branch(&membership.branch_id)
                .await?
                .into_iter()
                .map(|meeting| (meeting.id, meeting.title)),
        );
    }
    let stage = ReviewStage::Secretary {
        second_follows: false,
    };
    waiting_reviews(store, meetings, stage).await
}
