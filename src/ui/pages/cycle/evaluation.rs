//! 民主评议党员: a member's page (个人自评, the anonymous 互评/测评, the 评议结果 and its
//! .docx) and the secretary's page (settings, progress, each member's 自评, tallies and
//! remarks, the 支委会 评定, the 统计表).

use super::*;
use crate::domain::cycle::{Disposal, FollowUp, VoterScope};

/// The steps recorded after a 基本合格 or 不合格, and the plan's items.
fn follow_up_view(follow_up: &FollowUp) -> impl IntoView + use<> {
    let defence = match follow_up {
        FollowUp::Disposal {
            defence: Some(text),
            ..
        } => Some(view! { <p>"本人申辩：" {text.clone()}</p> }),
        _ => None,
    };
    view! {
        <p>{follow_up.summary()}</p>
        {defence}
        {(!follow_up.plan().is_empty()).then(|| view! {
            <ul>{follow_up.plan().iter().map(|item| view! {
                <li>{format!("{}（{} 前完成）", item.measure, item.due)}</li>
            }).collect_view()}</ul>
            <p class="hint">"以上整改措施已列入" <a href="/ledger">"我的整改"</a> "台账。"</p>
        })}
    }
}

#[derive(Clone, Copy)]
struct MemberEvaluationActions {
    assess: ServerAction<SaveSelfAssessment>,
    cast: ServerAction<CastEvaluation>,
}

#[component]
pub fn EvaluationPage() -> impl IntoView {
    let id = meeting_id();
    let actions = MemberEvaluationActions {
        assess: ServerAction::new(),
        cast: ServerAction::new(),
    };
    let data = load(id, evaluation_form);
    view! {
        <Title text="民主评议党员 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| loaded(data, move |view| evaluation_page(view, actions)) />
    }
}

fn grade_options(chosen: Option<Grade>) -> impl IntoView {
    view! {
        <option value="" selected=chosen.is_none()>"请选择"</option>
        {Grade::ALL.into_iter().map(|g| view! {
            <option value=g.code() selected=chosen == Some(g)>{g.label()}</option>
        }).collect_view()}
    }
}

fn evaluation_page(view: EvaluationView, actions: MemberEvaluationActions) -> impl IntoView {
    let meeting_id = view.meeting_id.clone();
    let dates = match (view.settings.opens_on, view.settings.closes_on) {
        (Some(open), Some(close)) => format!("互评测评时间：{open} 至 {close}"),
        (Some(open), None) => format!("互评测评自 {open} 开始"),
        (None, Some(close)) => format!("互评测评截至 {close}"),
        (None, None) => String::new(),
    };
    let feedback = view.feedback.clone().map(|f| {
        let decided = match &f.assembly_on {
            Some(day) => format!("经 {} 支委会研究、{day} 党员大会审议", f.committee_on),
            None => format!("经 {} 支委会研究", f.committee_on),
        };
        view! {
            <section class="card">
                <h2>"评议结果"</h2>
                <p class="notice ok">{format!("{decided}，您的评议等次为：{}", f.grade.label())}</p>
                {f.reason.clone().map(|r| view! { <p>"评定理由：" {r}</p> })}
                <h3>"同志们提出的意见（匿名）"</h3>
                {match f.remarks.clone() {
                    None => view! { <p class="muted">"参加测评的人数不足 3 人，不反馈意见。"</p> }.into_any(),
                    Some(list) if list.is_empty() => view! { <p class="muted">"没有同志向您提出书面意见。"</p> }.into_any(),
                    Some(list) => view! { <ol>{list.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ol> }.into_any(),
                }}
                <div class="actions">
                    <DownloadLink href=format!("/meetings/{meeting_id}/evaluation/notice.docx") label="下载评议结果通知（Word）" busy="正在生成…" primary=true />
                </div>
                {f.follow_up.as_ref().map(|next| view! { <h3>"后续处理"</h3>{follow_up_view(next)} })}
            </section>
        }
    });
    let self_meeting_id = view.meeting_id.clone();
    let vote_meeting_id = view.meeting_id.clone();
    let self_section = view.evaluated.then(|| {
        let locked = view.finalised;
        view! {
            <section class="card">
                <h2>"个人自评"</h2>
                <p class="hint">"自评只有您本人和支部书记（支委）能看到，其他党员看不到。"</p>
                {outcome(actions.assess, "自评已保存")}
                <PostForm action=actions.assess>
                    <input type="hidden" name="meeting_id" value=self_meeting_id />
                    {view.points.clone().into_iter().map(|p| {
                        let id = format!("self-{}", p.field);
                        view! {
                            <label for=id.clone()>{p.heading.clone()}</label>
                            <p class="hint">{p.hint.clone()}</p>
                            <textarea id=id name=p.field.clone() rows="4" required disabled=locked>{p.text.clone()}</textarea>
                        }
                    }).collect_view()}
                    <label for="self-grade">"自评等次"</label>
                    <select id="self-grade" name="grade" required disabled=locked>{grade_options(view.self_grade)}</select>
                    {(!locked).then(|| view! { <div class="actions"><button type="submit">"保存自评"</button></div> })}
                </PostForm>
            </section>
        }
    });
    let vote_section = view.votes.then(|| {
        let body = if view.voted {
            view! { <p class="notice ok">"您已参加互评测评。"</p> }.into_any()
        } else if !view.open {
            view! { <p class="muted">{if view.closed { "互评测评已结束。" } else { "互评测评尚未开始。" }}</p> }.into_any()
        } else {
            view! {
                <PostForm action=actions.cast>
                    <input type="hidden" name="meeting_id" value=vote_meeting_id />
                    <div class="table-wrap">
                        <table class="ballot">
                            <thead><tr><th>"姓名"</th>{Grade::ALL.into_iter().map(|g| view! { <th>{g.label()}</th> }).collect_view()}<th>"意见建议（选填）"</th></tr></thead>
                            <tbody>
                                {view.others.iter().map(|m| {
                                    let grade_name = format!("grades[{PERSON_KEY}{}]", m.user_id);
                                    let remark_name = format!("remarks[{PERSON_KEY}{}]", m.user_id);
                                    let person = m.name.clone();
                                    view! {
                                        <tr>
                                            <th scope="row">{m.name.clone()}</th>
                                            {Grade::ALL.into_iter().map(|g| view! {
                                                <td><input type="radio" name=grade_name.clone() value=g.code() required
                                                    aria-label=format!("{person}：{}", g.label()) /></td>
                                            }).collect_view()}
                                            <td><textarea name=remark_name rows="2" aria-label=format!("给{person}的意见建议")></textarea></td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <div class="actions"><button type="submit">"提交评议票"</button></div>
                </PostForm>
            }
            .into_any()
        };
        view! {
            <section class="card">
                <h2>"党员互评和民主测评"</h2>
                <p class="notice">"无记名：系统只记下您已参加，不保存评议票；只累计每人每个等次的票数，意见建议不记录提出人。测评结束且不少于 3 人参加后，书记才能看到统计结果。"</p>
                {action_error(actions.cast.into())}
                {body}
            </section>
        }
    });
    view! {
        <p class="muted"><a href=format!("/meetings/{}", view.meeting_id)>"返回会前会后"</a></p>
        <h1>{view.title.clone()} " · 民主评议党员"</h1>
        {view.is_secretary.then(|| view! {
            <p><a href=format!("/meetings/{}/evaluation", view.meeting_id)>"进入民主评议管理页"</a></p>
        })}
        {(!dates.is_empty()).then(|| view! { <p>{dates}</p> })}
        {feedback}
        {self_section}
        {vote_section}
    }
}

// ---------------------------------------------------------------------------------------
// The secretary's page.

#[derive(Clone, Copy)]
struct AdminEvaluationActions {
    settings: ServerAction<SaveEvaluationSettings>,
    phase: ServerAction<SetEvaluationPhase>,
    grade: ServerAction<SetEvaluationGrade>,
    finalise: ServerAction<FinaliseEvaluation>,
    follow_up: ServerAction<SaveFollowUp>,
}

#[component]
pub fn EvaluationAdminPage() -> impl IntoView {
    let id = meeting_id();
    let actions = AdminEvaluationActions {
        settings: ServerAction::new(),
        phase: ServerAction::new(),
        grade: ServerAction::new(),
        finalise: ServerAction::new(),
        follow_up: ServerAction::new(),
    };
    let data = load(id, evaluation_admin);
    view! {
        <Title text="民主评议党员 · 省身" />
        <Protected audience=Audience::Secretaries page=move |_| loaded(data, move |view| admin_page(view, actions)) />
    }
}

fn settings_section(
    view: &EvaluationAdminView,
    actions: AdminEvaluationActions,
) -> impl IntoView + use<> {
    let s = view.settings.clone();
    let (meeting_id, finalised) = (view.meeting_id.clone(), view.finalised);
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <section class="card">
            <h2>"评议安排"</h2>
            {outcome(actions.settings, "已保存")}
            <PostForm action=actions.settings>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <label class="check"><input type="checkbox" name="enabled" checked=s.enabled />
                    "本次会议开展民主评议党员"</label>
                <div class="grid two">
                    <div>
                        <label for="eval-opens">"互评测评开始日期"</label>
                        <input id="eval-opens" type="date" name="opens_on" value=date(s.opens_on) />
                    </div>
                    <div>
                        <label for="eval-closes">"互评测评结束日期"</label>
                        <input id="eval-closes" type="date" name="closes_on" value=date(s.closes_on) />
                    </div>
                    <div>
                        <label for="eval-share">"“优秀”比例上限（%）"</label>
                        <input id="eval-share" type="number" min="0" max="100" name="excellent_share" value=s.excellent_share.to_string() />
                    </div>
                    <div>
                        <label for="eval-voters">"参加互评测评的人员"</label>
                        <select id="eval-voters" name="voters">
                            {VoterScope::ALL.into_iter().map(|v| view! {
                                <option value=v.code() selected=v == s.voters>{v.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <label class="check"><input type="checkbox" name="assembly_needed" checked=s.assembly_needed />
                    "评议结果须经党员大会审议"</label>
                {(!finalised).then(|| view! { <div class="actions"><button type="submit" class="secondary">"保存评议安排"</button></div> })}
            </PostForm>
        </section>
    }
}

fn progress_section(
    view: &EvaluationAdminView,
    actions: AdminEvaluationActions,
) -> impl IntoView + use<> {
    let phase = |phase: &'static str, label: &'static str| {
        let meeting_id = view.meeting_id.clone();
        view! {
            <PostForm action=actions.phase>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <input type="hidden" name="phase" value=phase />
                <button type="submit">{label}</button>
            </PostForm>
        }
    };
    let status = if view.closed {
        "已结束"
    } else if view.open {
        "进行中"
    } else {
        "未开始"
    };
    view! {
        <section class="card">
            <h2>"互评测评"</h2>
            <p>{match view.voters {
                Some(count) => format!("状态：{status} · 共 {count} 人参加"),
                None => format!("状态：{status}"),
            }}</p>
            <p class="hint">{format!("党员填写地址：/evaluation/{}（自评和无记名互评测评）", view.meeting_id)}</p>
            {(view.open || view.closed).then(|| if view.not_voted.is_empty() {
                view! { <p class="notice ok">"应参加的人员都已参加。"</p> }.into_any()
            } else {
                view! { <p class="notice warn">{format!("尚未参加：{}（只显示是否参加，不显示评议内容）", view.not_voted.join("、"))}</p> }.into_any()
            })}
            {action_error(actions.phase.into())}
            <div class="actions">
                {(view.settings.enabled && !view.open && !view.closed).then(|| phase("open", "开始互评测评"))}
                {view.open.then(|| phase("close", "结束互评测评"))}
            </div>
        </section>
    }
}

/// The form for what follows a 基本合格 (谈话提醒 and plan) or a 不合格 (处置).
fn follow_up_form(
    meeting_id: String,
    member: &MemberEvaluation,
    actions: AdminEvaluationActions,
) -> impl IntoView + use<> {
    let member_id = member.user_id.clone();
    let id = member.user_id.clone();
    let field = move |name: &str| format!("{name}-{id}");
    let unqualified = member.grade == Some(Grade::Unqualified);
    let steps = if unqualified {
        view! {
            <div class="grid two">
                <div>
                    <label for=field("disposal")>"处置方式"</label>
                    <select id=field("disposal") name="disposal" required>
                        <option value="">"请选择"</option>
                        {Disposal::ALL.into_iter().map(|d| view! { <option value=d.code()>{d.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div>
                    <label for=field("decision")>"支部大会决定日期"</label>
                    <input id=field("decision") type="date" name="decision_on" required />
                </div>
                <div>
                    <label for=field("period")>"改正期限（限期改正）"</label>
                    <input id=field("period") type="date" name="period_until" />
                </div>
                <div>
                    <label for=field("approval")>"上级党组织批准日期（除名必填）"</label>
                    <input id=field("approval") type="date" name="approval_on" />
                </div>
            </div>
            <label for=field("defence")>"本人申辩（如有）"</label>
            <textarea id=field("defence") name="defence" rows="2"></textarea>
        }
        .into_any()
    } else {
        view! {
            <div class="grid two">
                <div>
                    <label for=field("talk-on")>"谈话提醒日期"</label>
                    <input id=field("talk-on") type="date" name="talk_on" required />
                </div>
                <div>
                    <label for=field("talk-by")>"谈话人"</label>
                    <input id=field("talk-by") name="talk_by" required />
                </div>
            </div>
        }
        .into_any()
    };
    view! {
        <PostForm action=actions.follow_up>
            <input type="hidden" name="meeting_id" value=meeting_id />
            <input type="hidden" name="member_id" value=member_id />
            {steps}
            <p class="hint">"整改措施（列入本人整改台账；限期改正和基本合格至少一条）"</p>
            {(1..=3).map(|n| view! {
                <div class="grid two">
                    <input name=format!("measure{n}") aria-label=format!("第 {n} 条整改措施") />
                    <input type="date" name=format!("due{n}") aria-label=format!("第 {n} 条完成时限") />
                </div>
            }).collect_view()}
            <div class="actions"><button type="submit" class="secondary">"保存后续处理"</button></div>
        </PostForm>
    }
}

fn member_card(
    meeting_id: &str,
    member: MemberEvaluation,
    editable: bool,
    finalised: bool,
    actions: AdminEvaluationActions,
) -> impl IntoView + use<> {
    let self_part = match member.self_assessment.clone() {
        Some((sections, grade)) => view! {
            <details><summary>{format!("个人自评（自评等次：{}）", grade.label())}</summary>
                {sections.into_iter().map(|(heading, text)| view! { <h4>{heading}</h4><p class="pre">{text}</p> }).collect_view()}
            </details>
        }
        .into_any(),
        None => view! { <p class="muted">"尚未提交自评。"</p> }.into_any(),
    };
    let tallies = match member.tallies.clone() {
        Some(counts) => Grade::ALL
            .iter()
            .zip(counts)
            .map(|(g, n)| format!("{} {n}", g.label()))
            .collect::<Vec<_>>()
            .join(" · "),
        None => "测评结束且不少于 3 人（不计本人和您）参加后显示".into(),
    };
    let remarks = member.remarks.clone().map(|list| {
        if list.is_empty() {
            view! { <p class="muted">"没有意见建议。"</p> }.into_any()
        } else {
            view! { <ul>{list.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> }
                .into_any()
        }
    });
    let meeting_id = meeting_id.to_string();
    let needs_follow_up = finalised
        && matches!(
            member.grade,
            Some(Grade::BasicallyQualified | Grade::Unqualified)
        );
    let follow_up = needs_follow_up.then(|| {
        let recorded = member.follow_up.as_ref().map(follow_up_view);
        let lapsed = member.lapsed.then(|| view! {
            <p class="notice warn">"限期改正期限已到：请支部研究改正情况，决定恢复合格或进一步处置。"</p>
        });
        view! {
            <h4>"后续处理"</h4>
            {lapsed}
            {recorded}
            {follow_up_form(meeting_id.clone(), &member, actions)}
        }
    });
    let form_id = format!("grade-{}", member.user_id);
    let reason_id = format!("reason-{}", member.user_id);
    view! {
        <article class="card">
            <h3>{member.name.clone()}
                {member.grade.map(|g| view! { <span class="badge">{format!("评定：{}", g.label())}</span> })}</h3>
            {self_part}
            <p>"测评票数：" {tallies}</p>
            {remarks.map(|r| view! { <h4>"意见建议（匿名）"</h4>{r} })}
            {if editable {
                view! {
                    <PostForm action=actions.grade>
                        <input type="hidden" name="meeting_id" value=meeting_id />
                        <input type="hidden" name="member_id" value=member.user_id.clone() />
                        <label for=form_id.clone()>"支委会评定等次"</label>
                        <select id=form_id name="grade" required>{grade_options(member.grade)}</select>
                        <label for=reason_id.clone()>"评定理由（基本合格、不合格，以及超出比例的优秀，必须填写）"</label>
                        <textarea id=reason_id name="reason" rows="2">{member.reason.clone().unwrap_or_default()}</textarea>
                        <div class="actions"><button type="submit" class="secondary">"保存评定"</button></div>
                    </PostForm>
                }
                .into_any()
            } else {
                member.reason.clone().map(|r| view! { <p>"评定理由：" {r}</p> }).into_any()
            }}
            {follow_up}
        </article>
    }
}

fn admin_page(view: EvaluationAdminView, actions: AdminEvaluationActions) -> impl IntoView {
    let meeting_id = view.meeting_id.clone();
    let editable = view.closed && !view.finalised;
    let graded = view.members.iter().filter(|m| m.grade.is_some()).count();
    let finalise_meeting_id = meeting_id.clone();
    let finalise = editable.then(|| {
        view! {
            <section class="card">
                <h2>"确定评议结果"</h2>
                <p>{format!("已评定 {graded} / {} 人。", view.members.len())}</p>
                {action_error(actions.finalise.into())}
                <PostForm action=actions.finalise>
                    <input type="hidden" name="meeting_id" value=finalise_meeting_id />
                    <div class="grid two">
                        <div>
                            <label for="committee-on">"支委会研究日期"</label>
                            <input id="committee-on" type="date" name="committee_on" required />
                        </div>
                        <div>
                            <label for="assembly-on">{if view.settings.assembly_needed { "党员大会审议日期" } else { "党员大会审议日期（如有）" }}</label>
                            <input id="assembly-on" type="date" name="assembly_on" required=view.settings.assembly_needed />
                        </div>
                    </div>
                    <div class="actions"><button type="submit">"确定评议结果并反馈党员"</button></div>
                </PostForm>
            </section>
        }
    });
    let finalised = view.finalised.then(|| {
        let dates = match &view.assembly_on {
            Some(day) => format!("支委会 {} · 党员大会 {day}", view.committee_on.clone().unwrap_or_default()),
            None => format!("支委会 {}", view.committee_on.clone().unwrap_or_default()),
        };
        view! { <p class="notice ok">{format!("评议结果已确定（{dates}），党员可在本人页面查看并下载评议结果通知。")}</p> }
    });
    view! {
        <p class="muted"><a href="/meetings">"组织生活会"</a></p>
        <h1>{view.title.clone()} " · 民主评议党员"</h1>
        {meeting_tabs(&meeting_id, "/evaluation")}
        {finalised}
        {settings_section(&view, actions)}
        {view.settings.enabled.then(|| progress_section(&view, actions))}
        {view.settings.enabled.then(|| view! {
            <section class="card">
                <h2>"支委会评定"</h2>
                <p class="hint">{format!("“优秀”不超过参评党员的 {}%（本次 {} 人以内）；评定在互评测评结束后进行。", view.settings.excellent_share, view.excellent_cap)}</p>
                {outcome(actions.grade, "评定已保存")}
                <div class="actions">
                    <DownloadLink href=format!("/meetings/{meeting_id}/evaluation/sheet.xlsx") label="下载统计表（Excel）" busy="正在生成…" />
                    <DownloadLink href=format!("/meetings/{meeting_id}/evaluation/sheet.docx") label="下载统计表（Word）" busy="正在生成…" />
                </div>
            </section>
        })}
        {outcome(actions.follow_up, "后续处理已保存")}
        {view.members.clone().into_iter().map(|m| member_card(&meeting_id, m, editable, view.finalised, actions)).collect_view()}
        {finalise}
    }
}
