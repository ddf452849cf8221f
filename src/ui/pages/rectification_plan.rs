//! 整改方案 page of a meeting: its items as one table (the three lists side by side), a form
//! per item to edit it, a form to add one or bring in a material's measures, and the two
//! downloads. Plain forms: everything works without JavaScript.

use crate::domain::ledger::MeasureKind;
use crate::domain::rectification_plan::{FeedbackKind, PlanSource};
use crate::server::rectification_plan::{
    ImportPlanMeasures, PlanRow, PlanView, RemovePlanItem, SavePlanItem, plan_docx_href,
    rectification_plan, report_docx_href,
};
use crate::ui::components::download::DownloadLink;
use crate::ui::components::loaded::{load, loaded};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn RectificationPlanPage() -> impl IntoView {
    let params = use_params_map();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        rectification_plan,
    );
    let save = ServerAction::<SavePlanItem>::new();
    let remove = ServerAction::<RemovePlanItem>::new();
    let import = ServerAction::<ImportPlanMeasures>::new();
    view! {
        <Title text="整改方案 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| {
            loaded(data, move |plan| plan_view(plan, save, remove, import))
        } />
    }
}

fn plan_view(
    plan: PlanView,
    save: ServerAction<SavePlanItem>,
    remove: ServerAction<RemovePlanItem>,
    import: ServerAction<ImportPlanMeasures>,
) -> impl IntoView {
    let PlanView {
        meeting_id,
        title,
        may_edit,
        rows,
        members,
        opinions,
        materials,
        closure,
        today,
    } = plan;
    let empty = rows.is_empty();
    let table_rows = rows
        .iter()
        .map(|row| {
            let row = row.clone();
            view! {
                <tr>
                    <td>{row.number}</td>
                    <td>{row.problem.clone()}</td>
                    <td>{row.source_label.clone()}</td>
                    <td>{row.task.clone()}</td>
                    <td>{row.standard.clone()}</td>
                    <td>{row.kind_label.clone()}</td>
                    <td>{row.deadline.clone()}</td>
                    <td>{row.owner_name.clone()}</td>
                    <td>{row.department.clone()}</td>
                    <td>
                        <span class="badge">{row.status.label()}</span>
                        {(!row.urgency.label().is_empty()).then(|| view! {
                            " " <span class=format!("badge {}", row.urgency.colour())>{row.urgency.label()}</span>
                        })}
                    </td>
                    <td><a href=format!("/ledger/item/{}", row.id)>"台账"</a></td>
                </tr>
            }
        })
        .collect_view();
    let mut editors = Vec::new();
    for row in rows.iter().filter(|row| may_edit && row.editable) {
        let number = row.number;
        let fields = item_fields(&format!("edit{number}"), Some(row), &members, &opinions);
        let (meeting, meeting_again) = (meeting_id.clone(), meeting_id.clone());
        let (item, item_again) = (row.id.clone(), row.id.clone());
        let revision = row.revision.to_string();
        editors.push(view! {
            <details class="card">
                <summary>{format!("修改第 {number} 项")}</summary>
                <PostForm action=save>
                    <input type="hidden" name="meeting_id" value=meeting />
                    <input type="hidden" name="item_id" value=item />
                    <input type="hidden" name="revision" value=revision />
                    {fields}
                    <div class="actions"><button type="submit">"保存修改"</button></div>
                </PostForm>
                <PostForm action=remove>
                    <input type="hidden" name="meeting_id" value=meeting_again />
                    <input type="hidden" name="item_id" value=item_again />
                    <div class="actions"><button type="submit" class="secondary">"移出整改方案"</button></div>
                </PostForm>
            </details>
        });
    }
    let importing = (may_edit && !materials.is_empty()).then(|| {
        let choices = materials
            .iter()
            .map(|(id, owner)| view! { <option value=id.clone()>{format!("{owner}的对照检查材料")}</option> })
            .collect_view();
        let meeting = meeting_id.clone();
        view! {
            <section class="card">
                <h2>"导入对照检查材料的整改措施"</h2>
                <p class="muted">"审核通过的材料，其整改措施原样列入方案（仍是同一条台账事项，不重复计数）。"</p>
                <PostForm action=import>
                    <input type="hidden" name="meeting_id" value=meeting />
                    <label for="import-material">"材料"</label>
                    <select id="import-material" name="material_id" required>{choices}</select>
                    <div class="actions"><button type="submit">"导入整改措施"</button></div>
                </PostForm>
            </section>
        }
    });
    let adding = may_edit.then(|| {
        let fields = item_fields("new", None, &members, &opinions);
        let meeting = meeting_id.clone();
        view! {
            <details class="card" open=empty>
                <summary>"新增整改事项"</summary>
                <PostForm action=save>
                    <input type="hidden" name="meeting_id" value=meeting />
                    {fields}
                    <div class="actions"><button type="submit">"加入整改方案"</button></div>
                </PostForm>
            </details>
        }
    });
    let tabs = may_edit
        .then(|| crate::ui::components::meeting_tabs::meeting_tabs(&meeting_id, "/rectification"));
    view! {
        <h1>{title}</h1>
        {tabs}
        <p class="muted">{closure}</p>
        <section class="card">
            <h2>"下载"</h2>
            <DownloadLink href=plan_docx_href(&meeting_id) label="下载整改方案（Word）" busy="正在生成整改方案…" primary=true />
            <form method="get" action=report_docx_href(&meeting_id)>
                <label for="report-on">"整改落实情况报告的统计日期"</label>
                <input id="report-on" name="on" type="date" value=today.clone() />
                <div class="actions"><button type="submit">"下载整改落实情况报告（Word）"</button></div>
            </form>
        </section>
        {if empty {
            view! { <p class="muted">"整改方案还没有事项。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table>
                        <thead><tr>
                            <th>"序号"</th><th>"问题"</th><th>"来源"</th><th>"整改任务"</th>
                            <th>"完成标准"</th><th>"类型"</th><th>"时限"</th><th>"责任领导"</th>
                            <th>"责任部门"</th><th>"状态"</th><th></th>
                        </tr></thead>
                        <tbody>{table_rows}</tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {adding}
        {importing}
        {editors}
    }
}

/// The fields of an item, filled in from `row` when editing. `prefix` keeps ids unique.
fn item_fields(
    prefix: &str,
    row: Option<&PlanRow>,
    members: &[(String, String)],
    opinions: &[(String, String)],
) -> impl IntoView + use<> {
    let id = |field: &str| format!("{prefix}-{field}");
    let value =
        |pick: fn(&PlanRow) -> &str| row.map(|row| pick(row).to_string()).unwrap_or_default();
    let owner = value(|row| &row.owner_id);
    let kind = value(|row| &row.kind);
    let source = value(|row| &row.source);
    let opinion = value(|row| &row.opinion_id);
    let feedback = value(|row| &row.feedback_kind);
    let option = |code: &str, label: &str, chosen: &str| {
        view! { <option value=code.to_string() selected=code == chosen>{label.to_string()}</option> }
    };
    view! {
        <label for=id("problem")>"问题"</label>
        <textarea id=id("problem") name="problem" rows="2" maxlength="1000">{value(|row| &row.problem)}</textarea>
        <label for=id("source")>"问题来源"</label>
        <select id=id("source") name="source">
            {option("", "请选择", &source)}
            {PlanSource::ALL.into_iter().map(|s| option(s.code(), s.label(), &source)).collect_view()}
        </select>
        <label for=id("opinion")>"对应的征求意见（来源为征求意见时；问题不填则取意见原文）"</label>
        <select id=id("opinion") name="opinion_id">
            {option("", "不适用", &opinion)}
            {opinions.iter().map(|(code, text)| option(code, &crate::domain::text::shortened(text, 40), &opinion)).collect_view()}
        </select>
        <fieldset>
            <legend>"上级反馈（来源为上级反馈时填写）"</legend>
            <label for=id("feedback")>"类型"</label>
            <select id=id("feedback") name="feedback_kind">
                {option("", "不适用", &feedback)}
                {FeedbackKind::ALL.into_iter().map(|k| option(k.code(), k.label(), &feedback)).collect_view()}
            </select>
            <label for=id("issuer")>"反馈单位"</label>
            <input id=id("issuer") name="issuer" maxlength="60" placeholder="如：省委第三巡察组" value=value(|row| &row.issuer) />
            <label for=id("number")>"文号"</label>
            <input id=id("number") name="document_number" maxlength="60" placeholder="如：X巡反〔2026〕3号" value=value(|row| &row.document_number) />
        </fieldset>
        <label for=id("task")>"整改任务（措施）"</label>
        <textarea id=id("task") name="task" rows="2" maxlength="1000">{value(|row| &row.task)}</textarea>
        <label for=id("standard")>"完成标准"</label>
        <textarea id=id("standard") name="standard" rows="2" maxlength="1000">{value(|row| &row.standard)}</textarea>
        <label for=id("kind")>"整改类型"</label>
        <select id=id("kind") name="kind">
            {option("", "请选择", &kind)}
            {[MeasureKind::Immediate, MeasureKind::ByDate, MeasureKind::LongTerm].into_iter().map(|k| option(k.code(), k.label(), &kind)).collect_view()}
        </select>
        <label for=id("deadline")>"时限（立行立改 30 天之内；长期坚持不填）"</label>
        <input id=id("deadline") name="deadline" type="date" value=value(|row| &row.deadline_value) />
        <label for=id("owner")>"责任领导"</label>
        <select id=id("owner") name="owner_id">
            {option("", "请选择", &owner)}
            {members.iter().map(|(code, name)| option(code, name, &owner)).collect_view()}
        </select>
        <label for=id("department")>"责任部门"</label>
        <input id=id("department") name="department" maxlength="60" value=value(|row| &row.department) />
    }
}
