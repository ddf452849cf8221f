//! A meeting's collection dashboard: every participant's progress, last activity and
//! 材料体检 summary, counts and a progress bar, the countdown to the deadline, a list of who
//! has not submitted to copy into a message, and the exports. Sorting and filtering are
//! links (they work without JavaScript).

use crate::domain::meeting::Progress;
use crate::server::meetings::{DashboardView, ParticipantRow, meeting_dashboard};
use crate::ui::components::download::DownloadLink;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::on_screen_order;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let params = use_params_map();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        meeting_dashboard,
    );
    view! {
        <Title text="材料收集 · 省身" />
        <Protected audience=Audience::Secretaries page=move |_| view! { <Dashboard data /> } />
    }
}

crate::domain::coded_enum! {
    /// How the rows are ordered; the first is the default.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    enum Order {
        Progress => ("progress", "按状态"),
        Name => ("name", "按姓名"),
        Activity => ("activity", "按最近修改"),
    }
}

impl Order {
    fn sort(self, rows: &mut [ParticipantRow]) {
        match self {
            Self::Name => rows.sort_by(|a, b| on_screen_order(&a.name, &b.name)),
            // Who needs attention first: not started, drafting, returned, then handed in.
            Self::Progress => rows.sort_by(|a, b| {
                a.progress
                    .cmp(&b.progress)
                    .then_with(|| on_screen_order(&a.name, &b.name))
            }),
            Self::Activity => rows.sort_by(|a, b| b.last_activity_key.cmp(&a.last_activity_key)),
        }
    }
}

#[component]
fn Dashboard(data: Loaded<DashboardView>) -> impl IntoView {
    let query = use_query_map();
    loaded(data, move |view| {
        let filter = query.read().get("status").and_then(|s| Progress::parse(&s));
        let order = Order::from_code(&query.read().get("sort").unwrap_or_default())
            .unwrap_or(Order::Progress);
        view! { <Collection view filter order /> }
    })
}

#[component]
fn Collection(view: DashboardView, filter: Option<Progress>, order: Order) -> impl IntoView {
    let DashboardView {
        meeting_id,
        title,
        kind,
        leadership,
        theme,
        branch_name,
        dates,
        countdown,
        past_deadline,
        mut rows,
        counts,
        handed_in,
        total,
        not_handed_in,
        approved,
    } = view;
    order.sort(&mut rows);
    let shown: Vec<ParticipantRow> = rows
        .into_iter()
        .filter(|row| filter.is_none_or(|p| row.progress == p))
        .collect();
    let percent = (handed_in * 100).checked_div(total).unwrap_or(0);
    let link = move |status: Option<Progress>, sort: Order| {
        let sort_code = sort.code();
        match status {
            Some(p) => format!("?status={}&sort={sort_code}", p.code()),
            None => format!("?sort={sort_code}"),
        }
    };
    let base = format!("/meetings/{meeting_id}");
    view! {
        <p class="muted"><a href="/meetings">{if leadership { "会议" } else { "组织生活会" }}</a> " / " {branch_name}</p>
        <h1>{title}</h1>
        {crate::ui::components::meeting_tabs::meeting_tabs(&meeting_id, "/materials")}
        <p><span class="badge">{kind}</span> " " {theme}</p>
        <p><a href=format!("/meetings/{meeting_id}/template")>"查看或修改材料模板"</a></p>
        {leadership.then(|| view! {
            <p class="card"><a href=format!("/meetings/{meeting_id}/collective")>"班子对照检查材料"</a>
                "：起草、指定执笔人、查看班子成员意见；下表是每位班子成员的个人发言提纲。"</p>
        })}
        <section class="card">
            <dl class="meeting-dates">
                {dates.into_iter().map(|(label, date)| view! { <dt>{label}</dt><dd>{date}</dd> }).collect_view()}
            </dl>
            {countdown.map(|text| view! {
                <p class=if past_deadline { "countdown late" } else { "countdown" }>"材料截止：" {text}</p>
            })}
            <p>"已提交 " <strong>{handed_in}</strong> " / " {total} " 人，审核通过 " {approved} " 人"</p>
            <progress class="collection-progress" max=total.max(1).to_string() value=handed_in.to_string() aria-label="提交进度">
                {format!("{percent}%")}
            </progress>
            <label for="not-handed-in">"未提交名单（可复制后发到工作群，本系统不发短信）"</label>
            <textarea id="not-handed-in" readonly rows="2">{not_handed_in}</textarea>
        </section>
        <section class="card">
            <nav class="filters" aria-label="按状态筛选">
                <a href=link(None, order) class:current=filter.is_none()>{format!("全部（{total}）")}</a>
                {counts.into_iter().map(|(progress, count)| view! {
                    <a href=link(Some(progress), order) class:current=filter == Some(progress)>
                        {format!("{}（{count}）", progress.label())}
                    </a>
                }).collect_view()}
            </nav>
            <nav class="filters" aria-label="排序">
                {Order::ALL.into_iter().map(|o| view! {
                    <a href=link(filter, o) class:current=o == order>{o.label()}</a>
                }).collect_view()}
            </nav>
            <div class="table-wrap">
                <table class="collection">
                    <thead><tr><th>"姓名"</th><th>"状态"</th><th>"最近修改"</th><th>"材料体检"</th><th></th></tr></thead>
                    <tbody>
                        {shown.into_iter().map(|row| view! {
                            <tr class:late=row.late>
                                <td>{row.name}{row.post.map(|p| view! { <span class="muted">" " {p}</span> })}</td>
                                <td><span class=format!("badge progress-{}", row.progress.code())>
                                    {if row.awaiting_second { "待上级审核" } else { row.progress.label() }}</span>
                                    {row.late.then(|| view! { <span class="late-note">" 已过截止日期"</span> })}</td>
                                <td>{row.last_activity.unwrap_or_else(|| "—".into())}</td>
                                <td>{match row.health {
                                    Some((0, 0)) => "通过".to_string(),
                                    Some((errors, warnings)) => format!("{errors} 项须改，{warnings} 项提示"),
                                    None => "—".to_string(),
                                }}</td>
                                <td>{row.review_material_id.map(|id| view! {
                                    <a href=format!("/review/{id}")>"审核"</a>
                                })}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
        <section class="card">
            <h2>"导出"</h2>
            <p class="muted">"汇编只包含审核通过的材料。"</p>
            <div class="actions">
                <DownloadLink href=format!("{base}/book.docx") label="下载材料汇编（Word）" busy="正在生成汇编…" primary=true />
                <DownloadLink href=format!("{base}/book.zip") label="下载全部材料（zip）" busy="正在打包…" />
                <DownloadLink href=format!("{base}/summary.xlsx") label="下载汇总表（Excel）" busy="正在生成汇总表…" />
            </div>
        </section>
    }
}
