//! "组织生活会": the meetings of the branches a secretary runs, and the form that sets up a
//! new one (type, title, theme, dates, participants, template).

use crate::domain::meeting::MeetingKind;
use crate::domain::org::GroupKind;
use crate::server::meetings::{BranchMeetings, CreateMeeting, my_branch_meetings};
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let branches = load(|| (), |_| my_branch_meetings());
    view! {
        <Title text="组织生活会 · 省身" />
        <Protected audience=Audience::Secretaries page=move |_| view! { <Meetings branches /> } />
    }
}

#[component]
fn Meetings(branches: Loaded<Vec<BranchMeetings>>) -> impl IntoView {
    view! {
        <h1>"组织生活会"</h1>
        {loaded(branches, |list| list.into_iter().map(|branch| view! { <Branch branch /> }).collect_view())}
    }
}

#[component]
fn Branch(branch: BranchMeetings) -> impl IntoView {
    let create = ServerAction::<CreateMeeting>::new();
    let BranchMeetings {
        branch_id,
        branch_name,
        meetings,
        templates,
        members,
        reviewers,
        notify_allowed,
        group_kind,
    } = branch;
    let field = {
        let branch_id = branch_id.clone();
        move |name: &str| format!("{branch_id}-{name}")
    };
    view! {
        <section class="card">
            <h2>{branch_name.clone()}</h2>
            <p>
                <a href=format!("/ledger/branch/{branch_id}")>{format!("{}整改台账", group_kind.words().group)}</a>
                {notify_allowed.then(|| view! {
                    " · "<a href=format!("/notify/branch/{branch_id}")>{format!("{}通知渠道", group_kind.words().group)}</a>
                })}
            </p>
            {if meetings.is_empty() {
                view! { <p class="muted">"还没有会议。"</p> }.into_any()
            } else {
                view! {
                    <ul class="meeting-list">
                        {meetings.into_iter().map(|s| view! {
                            <li>
                                <a href=format!("/meetings/{}/materials", s.id)>{s.title}</a>
                                " " <span class="badge">{s.kind}</span>
                                {s.meeting_on.map(|d| view! { <span class="muted">" 会议日期 " {d}</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <details class="new-meeting">
                <summary>"新建会议"</summary>
                <PostForm action=create>
                    <input type="hidden" name="branch_id" value=branch_id.clone() />
                    <label for=field("kind")>"会议类型"</label>
                    <select id=field("kind") name="plan[kind]">
                        {MeetingKind::ALL.into_iter().map(|kind| {
                            // A 领导班子 holds 民主生活会; a 支部 its 组织生活会.
                            let usual = match group_kind {
                                GroupKind::Leadership => MeetingKind::LeadershipMeeting,
                                GroupKind::Branch => MeetingKind::BranchMeeting,
                            };
                            view! { <option value=kind.code() selected=kind == usual>{kind.label()}</option> }
                        }).collect_view()}
                    </select>
                    <label for=field("title")>"会议名称"</label>
                    <input id=field("title") name="plan[title]" type="text" required maxlength="60" placeholder="例如：2026年度组织生活会" />
                    <label for=field("theme")>"会议主题"</label>
                    <textarea id=field("theme") name="plan[theme]" rows="2" maxlength="300" placeholder="例如：深入学习贯彻党的二十届四中全会精神"></textarea>
                    <div class="date-grid">
                        <div>
                            <label for=field("plan_on")>"方案日期（可不填）"</label>
                            <input id=field("plan_on") name="plan[plan_on]" type="date" />
                        </div>
                        <div>
                            <label for=field("materials_due")>"材料截止日期"</label>
                            <input id=field("materials_due") name="plan[materials_due]" type="date" required />
                        </div>
                        <div>
                            <label for=field("meeting_on")>"会议日期"</label>
                            <input id=field("meeting_on") name="plan[meeting_on]" type="date" required />
                        </div>
                        <div>
                            <label for=field("report_due")>"报送截止日期（不填则为会后15天）"</label>
                            <input id=field("report_due") name="plan[report_due]" type="date" />
                        </div>
                    </div>
                    <fieldset>
                        <legend>"参会人员"</legend>
                        <label class="inline"><input type="radio" name="plan[everyone]" value="true" checked /> {match group_kind {
                            GroupKind::Branch => "支部全体党员",
                            GroupKind::Leadership => "班子全体成员",
                        }}</label>
                        <label class="inline"><input type="radio" name="plan[everyone]" value="false" /> "只选以下人员："</label>
                        <div class="member-choices">
                            {members.into_iter().enumerate().map(|(index, m)| view! {
                                <label class="inline">
                                    <input type="checkbox" name=format!("plan[participants][{index}]") value=m.user_id />
                                    {m.name}
                                    {m.post.map(|p| view! { <span class="muted">" " {p}</span> })}
                                </label>
                            }).collect_view()}
                        </div>
                    </fieldset>
                    <label for=field("second_reviewer")>"上级审核人（可选，由上级党组织的管理员审核）"</label>
                    <select id=field("second_reviewer") name="second_reviewer">
                        <option value="">{format!("无，只由{}审核", group_kind.words().head)}</option>
                        {reviewers.into_iter().map(|r| view! { <option value=r.user_id>{r.name}</option> }).collect_view()}
                    </select>
                    <label for=field("template")>"材料模板"</label>
                    <select id=field("template") name="template">
                        {templates.into_iter().map(|t| view! { <option value=t.key>{t.name}</option> }).collect_view()}
                    </select>
                    {action_error(create.into())}
                    <div class="actions"><button type="submit">"创建会议"</button></div>
                </PostForm>
            </details>
        </section>
    }
}
