//! The secretary's 会后报送 page.

use super::*;

#[component]
pub fn ReportPage() -> impl IntoView {
    let id = meeting_id();
    let reported = ServerAction::<MarkReported>::new();
    let data = load(id, meeting_report);
    view! {
        <Title text="会后报送 · 省身" />
        <Protected audience=Audience::Secretaries page=move |_| loaded(data, move |view| report_page(view, reported)) />
    }
}

fn report_page(view: ReportView, reported: ServerAction<MarkReported>) -> impl IntoView {
    let meeting_id = view.meeting_id.clone();
    let total = view.rows.len();
    let report = crate::domain::document::blocks(&view.report);
    view! {
        <p class="muted"><a href="/meetings">"组织生活会"</a></p>
        <h1>{view.title.clone()}</h1>
        {meeting_tabs(&meeting_id, "/report")}
        <section class="card">
            <h2>"报送上级党组织"</h2>
            {match (&view.reported_at, &view.countdown) {
                (Some(at), _) => view! { <p class="notice ok">{format!("已于 {at} 报送。")}</p> }.into_any(),
                (None, Some(countdown)) => view! {
                    <p class=if view.overdue { "countdown late" } else { "countdown" }>
                        {format!("报送截止：{}（{countdown}）", view.report_due.clone().unwrap_or_default())}
                    </p>
                }.into_any(),
                (None, None) => view! { <p class="muted">"本次会议未设报送截止日期。"</p> }.into_any(),
            }}
            <p>{format!("定稿 {} / {} 人", view.finals, total)}
                {(view.finals < total).then_some("（报送包只收入已定稿的材料）")}</p>
            {(!view.ledger_published).then(|| view! {
                <p class="notice warn">"整改清单尚未在支部内公布：" <a href=format!("/ledger/branch/{}", view.branch_id)>"到整改台账公布"</a></p>
            })}
            <div class="actions">
                <DownloadLink href=format!("/meetings/{meeting_id}/package.zip") label="下载报送材料包（zip）" busy="正在打包…" primary=true />
            </div>
            <p class="hint">"材料包含：会议情况报告（待补充的地方用【】标出）、会议记录、定稿材料汇编及单人文件、整改台账（Excel 和 Word）、民主测评结果。"</p>
            {view.reported_at.is_none().then(|| view! {
                {action_error(reported.into())}
                <PostForm action=reported>
                    <input type="hidden" name="meeting_id" value=meeting_id.clone() />
                    <button type="submit" class="secondary">"已报送上级，标记完成"</button>
                </PostForm>
            })}
        </section>
        <section class="card">
            <h2>"定稿情况"</h2>
            <div class="table-wrap"><table>
                <thead><tr><th>"姓名"</th><th>"状态"</th><th>"会后修改"</th></tr></thead>
                <tbody>{view.rows.iter().map(|row| {
                    let changes = row.changes.clone();
                    view! {
                        <tr>
                            <td>{row.name.clone()}</td>
                            <td>{row.state.map(MaterialState::label).unwrap_or("未开始")}</td>
                            <td>{if changes.is_empty() {
                                view! { <span class="muted">"无"</span> }.into_any()
                            } else {
                                view! { <details><summary>"查看修改"</summary><DiffView lines=changes /></details> }.into_any()
                            }}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table></div>
        </section>
        <section class="card">
            <h2>"会议情况报告（预览）"</h2>
            <DocumentPage blocks=report />
        </section>
    }
}
