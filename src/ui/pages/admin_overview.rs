//! 会议总览 (issue 28, item 6): for an administrator of a node, the meetings below it by
//! stage, each node below with its counts, overdue 报送 and overdue 整改, a drill-down link
//! to it, and every meeting's stage — page by page. Plain links, so the page works without
//! JavaScript.

use crate::server::overview::{NodeSummary, OverviewView, Page, StageLabel, org_overview};
use crate::ui::components::loaded::{load, loaded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// What the address asks for: `?node=&stage=&page=&nodes_page=`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Wanted {
    node: String,
    stage: String,
    page: usize,
    nodes_page: usize,
}

impl Wanted {
    /// The address of this view with one thing changed.
    fn href(&self) -> String {
        let mut parts = Vec::new();
        if !self.node.is_empty() {
            parts.push(format!("node={}", self.node));
        }
        if !self.stage.is_empty() {
            parts.push(format!("stage={}", self.stage));
        }
        if self.page > 1 {
            parts.push(format!("page={}", self.page));
        }
        if self.nodes_page > 1 {
            parts.push(format!("nodes_page={}", self.nodes_page));
        }
        if parts.is_empty() {
            "/admin/overview".into()
        } else {
            format!("/admin/overview?{}", parts.join("&"))
        }
    }
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let query = use_query_map();
    let wanted = move || {
        let query = query.read();
        let text = |key: &str| query.get(key).unwrap_or_default();
        let number = |key: &str| text(key).parse::<usize>().unwrap_or(1);
        Wanted {
            node: text("node"),
            stage: text("stage"),
            page: number("page"),
            nodes_page: number("nodes_page"),
        }
    };
    let data = load(wanted, |w| {
        org_overview(w.node, w.stage, w.page, w.nodes_page)
    });
    view! {
        <Title text="会议总览 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! {
            {loaded(data, overview)}
        } />
    }
}

fn overview(view: OverviewView) -> impl IntoView {
    let here = Wanted {
        node: view.node_id.clone(),
        stage: view.stage.clone(),
        page: view.meetings_page.number,
        nodes_page: view.children_page.number,
    };
    let trail = view
        .trail
        .iter()
        .map(|link| {
            let href = Wanted {
                node: link.id.clone(),
                ..Wanted::default()
            }
            .href();
            view! { <a href=href>{link.name.clone()}</a>" / " }
        })
        .collect_view();
    let stage_filter = {
        let all = Wanted {
            stage: String::new(),
            page: 1,
            ..here.clone()
        };
        let current = view.stage.clone();
        let links = view
            .stages
            .iter()
            .map(|stage| {
                let href = Wanted {
                    stage: stage.code.clone(),
                    page: 1,
                    ..here.clone()
                }
                .href();
                view! {
                    <a href=href aria-current=(stage.code == current).then_some("page")>{stage.label.clone()}</a>" "
                }
            })
            .collect_view();
        view! {
            <p class="filters" aria-label="按阶段筛选">
                <a href=all.href() aria-current=view.stage.is_empty().then_some("page")>"全部"</a>" "
                {links}
            </p>
        }
    };
    let children_nav = pager(&view.children_page, |number| {
        Wanted {
            nodes_page: number,
            ..here.clone()
        }
        .href()
    });
    let meetings_nav = pager(&view.meetings_page, |number| {
        Wanted {
            page: number,
            ..here.clone()
        }
        .href()
    });
    let stages = view.stages.clone();
    let header = move || {
        stages
            .iter()
            .map(|StageLabel { label, .. }| view! { <th scope="col">{label.clone()}</th> })
            .collect_view()
    };
    let total = summary_row(&view.total, &here, true);
    let children = view
        .children
        .iter()
        .map(|node| summary_row(node, &here, false))
        .collect_view();
    let meetings = view
        .meetings
        .into_iter()
        .map(|meeting| {
            view! {
                <tr data-stage=meeting.stage.clone()>
                    <td>{meeting.title}</td>
                    <td>{meeting.kind_label}</td>
                    <td>{meeting.branch}</td>
                    <td>{meeting.node}</td>
                    <td><span class="stage">{meeting.stage_label}</span></td>
                    <td>{meeting.meeting_on}</td>
                    <td>
                        {meeting.report_due}
                        {meeting.report_overdue.then(|| view! { " "<span class="badge red">"报送逾期"</span> })}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h1>{format!("{}会议总览", view.node_name)}</h1>
        <p class="trail" aria-label="组织层级">{trail}</p>
        <p class="hint">"本页只显示会议所处阶段和各项数量，不显示任何人的材料内容、草稿和征求意见答卷。"</p>
        <section class="card" aria-label="下级组织">
            <h2>"各下级组织"</h2>
            <div class="table-wrap">
                <table class="overview-nodes">
                    <thead>
                        <tr>
                            <th scope="col">"组织"</th>
                            <th scope="col">"支部数"</th>
                            <th scope="col">"会议数"</th>
                            {header.clone()}
                            <th scope="col">"报送逾期"</th>
                            <th scope="col">"整改逾期"</th>
                        </tr>
                    </thead>
                    <tbody>{children}{total}</tbody>
                </table>
            </div>
            {children_nav}
        </section>
        <section class="card" aria-label="会议">
            <h2>{format!("会议（{} 个）", view.meetings_page.total)}</h2>
            {stage_filter}
            <div class="table-wrap">
                <table class="overview-meetings">
                    <thead>
                        <tr>
                            <th scope="col">"会议"</th>
                            <th scope="col">"类型"</th>
                            <th scope="col">"支部"</th>
                            <th scope="col">"所属组织"</th>
                            <th scope="col">"阶段"</th>
                            <th scope="col">"会议日期"</th>
                            <th scope="col">"报送期限"</th>
                        </tr>
                    </thead>
                    <tbody>{meetings}</tbody>
                </table>
            </div>
            {meetings_nav}
        </section>
    }
}

/// One node's counts; its name links to its own overview.
fn summary_row(node: &NodeSummary, here: &Wanted, is_total: bool) -> impl IntoView + use<> {
    let name = match (&node.id, is_total) {
        (_, true) => view! { <strong>"合计"</strong> }.into_any(),
        (Some(id), false) => {
            let href = Wanted {
                node: id.clone(),
                stage: here.stage.clone(),
                ..Wanted::default()
            }
            .href();
            view! { <a href=href>{node.name.clone()}</a>" "<span class="muted">{node.kind_label.clone()}</span> }
                .into_any()
        }
        (None, false) => view! { {node.name.clone()} }.into_any(),
    };
    let counts = node
        .counts
        .iter()
        .map(|count| view! { <td>{*count}</td> })
        .collect_view();
    view! {
        <tr class:total=is_total>
            <th scope="row">{name}</th>
            <td>{node.branches}</td>
            <td>{node.meetings}</td>
            {counts}
            <td>{node.report_overdue}</td>
            <td>{node.items_overdue}</td>
        </tr>
    }
}

/// Page links: 第 n / m 页, previous, each page, next. Nothing when there is one page.
fn pager<F: Fn(usize) -> String>(page: &Page, href: F) -> impl IntoView + use<F> {
    let Page { number, pages, .. } = *page;
    (pages > 1).then(|| {
        let links = (1..=pages)
            .map(|n| {
                view! { <a href=href(n) aria-current=(n == number).then_some("page")>{n}</a>" " }
            })
            .collect_view();
        view! {
            <nav class="pager" aria-label="分页">
                {(number > 1).then(|| view! { <a href=href(number - 1) rel="prev">"上一页"</a>" " })}
                {links}
                {(number < pages).then(|| view! { <a href=href(number + 1) rel="next">"下一页"</a> })}
                " "<span class="muted">{format!("第 {number} / {pages} 页")}</span>
            </nav>
        }
    })
}
