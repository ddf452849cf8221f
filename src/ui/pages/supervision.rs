//! The 督导组's pages (issue 28): "我的督导" (the meetings the person supervises), one
//! meeting as its 督导组 and its secretary see it (the 会议方案 and its approval, where each
//! material stands, the 会前准备情况报告, the 点评), and the 上级 administrator's section
//! that assigns the 督导组.

use crate::server::supervision::{
    AssignSupervisor, DecideMeetingPlan, PreparationView, RecordSupervisorRemark, RemoveSupervisor,
    SubmitMeetingPlan, SupervisedMeeting, SupervisionPanel, SupervisionView, my_supervisions,
    preparation_report, supervision_meeting, supervision_setup,
};
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MySupervisionPage() -> impl IntoView {
    let list = load(|| (), |_| my_supervisions());
    view! {
        <Title text="我的督导 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <MySupervision list /> } />
    }
}

#[component]
fn MySupervision(list: Loaded<Vec<SupervisedMeeting>>) -> impl IntoView {
    view! {
        <h1>"我的督导"</h1>
        <p class="hint">"上级党组织指派您作为督导组成员的会议，直至会议整改完成。"</p>
        {loaded(list, |list| match list {
            list if list.is_empty() => view! { <p class="card muted">"目前没有指派给您督导的会议。"</p> }.into_any(),
            list => view! {
                <div class="table-wrap">
                    <table>
                        <thead><tr><th>"会议"</th><th>"支部"</th><th>"会议日期"</th><th>"会议方案"</th><th>"待督导组审核"</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|m| view! {
                                <tr>
                                    <td>{m.title}</td>
                                    <td>{m.branch}</td>
                                    <td>{m.meeting_on.unwrap_or_else(|| "未定".into())}</td>
                                    <td>{m.plan_label}</td>
                                    <td>{m.waiting_reviews}</td>
                                    <td><a href=format!("/supervision/{}", m.meeting_id)>"查看"</a></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
        })}
    }
}

#[component]
pub fn SupervisionPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = load(id, supervision_meeting);
    let report = load(id, preparation_report);
    let submit = ServerAction::<SubmitMeetingPlan>::new();
    let decide = ServerAction::<DecideMeetingPlan>::new();
    let remark = ServerAction::<RecordSupervisorRemark>::new();
    view! {
        <Title text="督导组 · 省身" />
        <Protected
            audience=Audience::AnyoneLoggedIn
            page=move |_| view! { <Supervision data report submit decide remark /> }
        />
    }
}

#[component]
fn Supervision(
    data: Loaded<SupervisionView>,
    report: Loaded<PreparationView>,
    submit: ServerAction<SubmitMeetingPlan>,
    decide: ServerAction<DecideMeetingPlan>,
    remark: ServerAction<RecordSupervisorRemark>,
) -> impl IntoView {
    view! {
        {loaded(data, move |v| {
            let id = v.meeting_id.clone();
            let (submit_id, decide_id, remark_id) = (id.clone(), id.clone(), id.clone());
            view! {
            <h1>{format!("{} · 督导组", v.title)}</h1>
            <p class="hint">{format!("{} · {}", v.branch, v.kind)}</p>
            <section class="card">
                <h2>"会议方案"</h2>
                <p>{format!("会议主题：{}", if v.theme.is_empty() { "未填写".to_string() } else { v.theme.clone() })}</p>
                <ul>{v.dates.iter().map(|(label, date)| view! { <li>{format!("{label}：{date}")}</li> }).collect_view()}</ul>
                <p>{format!("参会人员：{}", v.participants.join("、"))}</p>
                {(!v.agenda.is_empty()).then(|| view! { <p>{format!("会议议程中的通报：{}", v.agenda.join("；"))}</p> })}
                <p>{format!("督导组：{}", if v.supervisors.is_empty() { "尚未指定".to_string() } else { v.supervisors.join("、") })}</p>
                <p>
                    <strong>{format!("审批状态：{}", v.plan_label)}</strong>
                    {v.plan_decided.clone().map(|d| format!("（{d}）"))}
                    {v.approval_required.then_some("。本次会议须经督导组批准会议方案后，党员方可开始撰写材料。")}
                </p>
                {v.plan_return_reason.clone().map(|reason| view! { <p class="notice">{format!("退回理由：{reason}")}</p> })}
                {v.can_submit_plan.then(move || view! {
                    <PostForm action=submit>
                        <input type="hidden" name="meeting_id" value=submit_id />
                        {action_error(submit.into())}
                        <div class="actions"><button type="submit">"报督导组审批"</button></div>
                    </PostForm>
                })}
                {v.can_decide_plan.then(move || view! {
                    <PostForm action=decide>
                        <input type="hidden" name="meeting_id" value=decide_id />
                        <label for="plan-reason">"退回理由（退回时必填）"</label>
                        <textarea id="plan-reason" name="reason" rows="3" maxlength="5000"></textarea>
                        {action_error(decide.into())}
                        <div class="actions">
                            <button type="submit" name="decision" value="approved">"批准会议方案"</button>
                            <button type="submit" name="decision" value="returned" class="secondary">"退回修改"</button>
                        </div>
                    </PostForm>
                })}
            </section>
            <section class="card">
                <h2>"材料情况"</h2>
                <div class="table-wrap">
                    <table>
                        <thead><tr><th>"姓名"</th><th>"材料"</th><th></th></tr></thead>
                        <tbody>
                            {v.materials.iter().cloned().map(|m| view! {
                                <tr>
                                    <td>{m.author}</td>
                                    <td>{m.state}</td>
                                    <td>{m.review_material_id.map(|id| view! { <a href=format!("/review/{id}")>"督导组审核"</a> })}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
            <section class="card">
                <h2>"督导组点评"</h2>
                {if v.remarks.is_empty() {
                    view! { <p class="muted">"尚无点评。"</p> }.into_any()
                } else {
                    view! {
                        <ul>{v.remarks.iter().cloned().map(|r| view! {
                            <li><strong>{format!("{}（{}）：", r.author, r.at)}</strong>{r.text}</li>
                        }).collect_view()}</ul>
                    }.into_any()
                }}
                {v.is_supervisor.then(move || view! {
                    <PostForm action=remark>
                        <input type="hidden" name="meeting_id" value=remark_id />
                        <label for="remark-text">"点评意见（记入会议记录和报送材料）"</label>
                        <textarea id="remark-text" name="text" rows="5" maxlength="5000" required></textarea>
                        {action_error(remark.into())}
                        <div class="actions"><button type="submit">"记录点评"</button></div>
                    </PostForm>
                })}
                <p><a href=format!("/meetings/{id}/package.zip")>"下载报送材料（.zip）"</a></p>
            </section>
            }
        })}
        <section class="card">
            <h2>"会前准备情况报告"</h2>
            {loaded(report, |r| view! {
                <h3>{r.report.title.clone()}</h3>
                {r.report.parts.iter().cloned().map(|part| view! {
                    <h4>{part.heading}</h4>
                    {part.paragraphs.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                }).collect_view()}
                <p><a href=format!("/meetings/{}/preparation.docx", r.meeting_id)>"下载 Word 文档"</a></p>
            })}
        </section>
    }
}

#[component]
pub fn SupervisionTeamPage() -> impl IntoView {
    let params = use_params_map();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        supervision_setup,
    );
    let assign = ServerAction::<AssignSupervisor>::new();
    let remove = ServerAction::<RemoveSupervisor>::new();
    view! {
        <Title text="指定督导组 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! { <Team data assign remove /> } />
    }
}

#[component]
fn Team(
    data: Loaded<SupervisionPanel>,
    assign: ServerAction<AssignSupervisor>,
    remove: ServerAction<RemoveSupervisor>,
) -> impl IntoView {
    loaded(data, move |p| {
        let id = p.meeting_id.clone();
        let (assign_id, link_id) = (id.clone(), id.clone());
        view! {
            <h1>{format!("{} · 督导组", p.meeting_title)}</h1>
            <section class="card">
                <h2>"督导组成员"</h2>
                {if p.members.is_empty() {
                    view! { <p class="muted">"尚未指定督导组成员。"</p> }.into_any()
                } else {
                    view! {
                        <ul>{p.members.iter().cloned().map(|m| { let id = id.clone(); view! {
                            <li>
                                {format!("{}（{}）", m.name, m.org_name)}
                                <PostForm action=remove class="inline">
                                    <input type="hidden" name="meeting_id" value=id.clone() />
                                    <input type="hidden" name="user_id" value=m.user_id />
                                    <button type="submit" class="secondary">"移出督导组"</button>
                                </PostForm>
                            </li>
                        }}).collect_view()}</ul>
                    }.into_any()
                }}
                {action_error(remove.into())}
            </section>
            <section class="card">
                <h2>"指定督导组成员"</h2>
                {if p.candidates.is_empty() {
                    view! { <p class="muted">"上级党组织中没有可指定的人员。"</p> }.into_any()
                } else {
                    view! {
                        <PostForm action=assign>
                            <input type="hidden" name="meeting_id" value=assign_id />
                            <label for="supervisor">"上级党组织人员"</label>
                            <select id="supervisor" name="user_id">
                                {p.candidates.iter().cloned().map(|c| view! {
                                    <option value=c.user_id>{format!("{}（{}）", c.name, c.org_name)}</option>
                                }).collect_view()}
                            </select>
                            {action_error(assign.into())}
                            <div class="actions"><button type="submit">"加入督导组"</button></div>
                        </PostForm>
                    }.into_any()
                }}
            </section>
            <p><a href=format!("/supervision/{link_id}")>"查看会议督导页"</a></p>
        }
    })
}
