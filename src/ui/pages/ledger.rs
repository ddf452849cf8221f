//! 整改台账 pages: "我的整改" for everyone, a branch's 台账 for its secretary, and one item
//! with its history and the actions the rules allow. Filters are plain links and a GET form,
//! so everything works without JavaScript and on a phone.
//!
//! Long because the person's, the branch's and the organisation's 台账 pages share their
//! row, filter and action pieces.

use crate::domain::document::says_aspect;
use crate::domain::evidence::{EVIDENCE_ACCEPT, MAX_EVIDENCE_BYTES};
use crate::domain::ledger::{ItemStatus, Urgency};
use crate::server::AppError;
use crate::server::calendar::{
    CalendarLink, IssueCalendarLink, RevokeCalendarLink, calendar_links,
};
use crate::server::ledger::{
    ActOnLedgerItem, AttachLedgerEvidence, EVIDENCE_FIELD, EvidenceView, LedgerAction,
    LedgerDetail, LedgerList, LedgerRow, PublishLedgerList, PublishedList, ReminderView,
    SaveWarningTiers, branch_ledger, ledger_entry, my_ledger, my_reminders, published_ledgers,
};
use crate::server::tree::{node_ledger, org_ledger};
use crate::ui::components::download::DownloadLink;
use crate::ui::components::error_notice::{ErrorNotice, action_error};
use crate::ui::components::form_data::post_in_background;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::node_tallies::NodeTallies;
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::components::stat_chart::LedgerStatistics;
use crate::ui::on_screen_order;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn MyLedgerPage() -> impl IntoView {
    let data = load(|| (), |_| my_ledger());
    let issue = ServerAction::<IssueCalendarLink>::new();
    let revoke = ServerAction::<RevokeCalendarLink>::new();
    let links = load(|| (), |_| calendar_links());
    let published = load(|| (), |_| published_ledgers());
    view! {
        <Title text="我的整改 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! {
            <Ledger data scope=Scope::Mine />
            <PublishedLists data=published />
            <CalendarLinks links issue revoke />
        } />
    }
}

#[component]
pub fn OrgLedgerPage() -> impl IntoView {
    let save = ServerAction::<SaveWarningTiers>::new();
    // `?node=` drills down to one node of the administrator's subtree.
    let query = use_query_map();
    let data = load(
        move || query.read().get("node").filter(|node| !node.is_empty()),
        |node| async move {
            match node {
                Some(node_id) => node_ledger(node_id).await,
                None => org_ledger().await,
            }
        },
    );
    view! {
        <Title text="全部支部整改台账 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! {
            <Ledger data scope=Scope::Org />
            <TiersForm data save />
        } />
    }
}

/// The organisation's warning tiers, for its administrators.
#[component]
fn TiersForm(data: Loaded<LedgerList>, save: ServerAction<SaveWarningTiers>) -> impl IntoView {
    view! {
        <section class="card" aria-label="提醒设置">
            <h2>"临期提醒设置"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let tiers = data.await.map(|list| list.tiers).unwrap_or_default();
                    view! {
                        <PostForm action=save>
                            <label for="yellow-days">"距时限多少天内标黄（提醒责任人）"</label>
                            <input id="yellow-days" name="yellow_days" type="number" min="0" max="365" required value=tiers.yellow_days.to_string() />
                            <label for="red-days">"距时限多少天内标红（同时提醒支部书记）"</label>
                            <input id="red-days" name="red_days" type="number" min="0" max="365" required value=tiers.red_days.to_string() />
                            <div class="actions"><button type="submit">"保存"</button></div>
                        </PostForm>
                    }
                })}
            </Suspense>
            {succeeded(save).then(|| view! {
                <p class="notice ok" role="status">"已保存，全部支部的提醒按新的天数计算。"</p>
            })}
            {action_error(save.into())}
        </section>
    }
}

/// The branch's meetings, each with its 整改清单 published to the members or not.
#[component]
fn Publications(
    data: Loaded<LedgerList>,
    publish: ServerAction<PublishLedgerList>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let meetings = data.await.map(|list| list.meetings).unwrap_or_default();
                (!meetings.is_empty()).then(|| view! {
                    <section class="card" aria-label="公布整改清单">
                        <h2>"向支部党员公布整改清单"</h2>
                        <p class="hint">"公布后，本支部党员可以在“我的整改”页面看到该次会议全部整改事项的责任人、措施、时限和状态（不含进展记录和佐证材料）。"</p>
                        {action_error(publish.into())}
                        <ul class="plain">
                            {meetings.into_iter().map(|meeting| {
                                let published = meeting.published_on.is_some();
                                view! {
                                    <li>
                                        <strong>{meeting.title.clone()}</strong>
                                        " "
                                        <span class="muted">{match &meeting.published_on {
                                            Some(on) => format!("已于 {on} 公布"),
                                            None => "未公布".to_string(),
                                        }}</span>
                                        <PostForm action=publish>
                                            <input type="hidden" name="meeting_id" value=meeting.meeting_id.clone() />
                                            <input type="hidden" name="publish" value=if published { "0" } else { "1" } />
                                            <button type="submit" class:secondary=published>
                                                {if published { "撤回公布" } else { "公布整改清单" }}
                                            </button>
                                        </PostForm>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
    }
}

/// The 整改清单 the person's branches have published.
#[component]
fn PublishedLists(data: Loaded<Vec<PublishedList>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let lists = data.await.unwrap_or_default();
                lists.into_iter().map(|list| view! {
                    <section class="card" aria-label=list.title.clone()>
                        <h2>{list.title.clone()}</h2>
                        <div class="table-wrap">
                            <table class="ledger">
                                <thead>
                                    <tr><th>"责任人"</th><th>"问题"</th><th>"整改措施"</th><th>"时限"</th><th>"状态"</th></tr>
                                </thead>
                                <tbody>
                                    {list.rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td>{row.owner_name}</td>
                                            <td>{problem_with_aspect(&row.category, &row.problem)}</td>
                                            <td>{row.measure}</td>
                                            <td>{row.deadline}</td>
                                            <td><span class="badge">{row.status.label()}</span></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    </section>
                }).collect_view()
            })}
        </Suspense>
    }
}

/// The person's calendar subscriptions: their own dates, and each branch they run.
#[component]
fn CalendarLinks(
    links: Loaded<Vec<CalendarLink>>,
    issue: ServerAction<IssueCalendarLink>,
    revoke: ServerAction<RevokeCalendarLink>,
) -> impl IntoView {
    view! {
        <section class="card" aria-label="日历订阅">
            <h2>"订阅到手机日历"</h2>
            <p class="hint">
                "生成专属订阅地址后，在手机或电脑日历中选择“添加订阅日历”并粘贴地址，整改时限和跟踪日期会自动出现。"
                "地址相当于密码，请勿转发；事项名称会同步到日历。重新生成或停用后，旧地址立即失效。"
            </p>
            {action_error(issue.into())}
            {action_error(revoke.into())}
            {loaded(links, move |links| links.into_iter().map(|link| calendar_link(link, issue, revoke)).collect_view())}
        </section>
    }
}

fn calendar_link(
    link: CalendarLink,
    issue: ServerAction<IssueCalendarLink>,
    revoke: ServerAction<RevokeCalendarLink>,
) -> impl IntoView {
    let CalendarLink {
        scope,
        label,
        address,
    } = link;
    let issued = address.is_some();
    let revoke_scope = scope.clone();
    view! {
        <div class="calendar-link">
            <h3>{label}</h3>
            {address.map(|address| view! {
                <p class="calendar-address"><a href=address.clone()>{address.clone()}</a></p>
            })}
            <div class="actions">
                <PostForm action=issue>
                    <input type="hidden" name="scope" value=scope />
                    <button type="submit">{if issued { "重新生成地址" } else { "生成订阅地址" }}</button>
                </PostForm>
                {issued.then(|| view! {
                    <PostForm action=revoke>
                        <input type="hidden" name="scope" value=revoke_scope.clone() />
                        <button type="submit" class="secondary">"停用"</button>
                    </PostForm>
                })}
            </div>
        </div>
    }
}

/// What needs the person's attention: their materials returned for revision, their coming
/// and late items, and — for secretaries — the branch's red items, completions to check and
/// extensions to decide.
#[component]
pub fn RemindersPage() -> impl IntoView {
    let data = load(|| (), |_| my_reminders());
    view! {
        <Title text="提醒 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <Reminders data /> } />
    }
}

#[component]
fn Reminders(data: Loaded<Vec<ReminderView>>) -> impl IntoView {
    view! {
        <h1>"提醒"</h1>
        {loaded(data, move |list| match list {
            reminders if reminders.is_empty() => view! {
                <p class="card muted">"目前没有需要处理的提醒。"</p>
            }.into_any(),
            reminders => view! {
                <ul class="reminders">
                    {reminders.into_iter().map(|reminder| view! {
                        <li class=reminder.colour.clone()>
                            <a href=reminder.href>{reminder.text}</a>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any(),
        })}
    }
}

#[component]
pub fn BranchLedgerPage() -> impl IntoView {
    let params = use_params_map();
    let publish = ServerAction::<PublishLedgerList>::new();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        branch_ledger,
    );
    view! {
        <Title text="支部整改台账 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! {
            <Ledger data scope=Scope::Branch />
            <Publications data publish />
        } />
    }
}

/// What the list's filters ask for (from the address).
#[derive(Debug, Clone, Default, PartialEq)]
struct Filter {
    status: Option<ItemStatus>,
    /// "overdue" or "soon".
    urgency: String,
    owner: String,
    branch: String,
    category: String,
    meeting: String,
    /// "deadline", "status" or "owner"; anything else keeps the ledger's order.
    sort: String,
}

impl Filter {
    /// Puts the rows in the order asked for; ties keep the ledger's order (meeting, owner,
    /// 序号), and undated 时限 (长期坚持, 未定) come after every date.
    fn sort(&self, rows: &mut [LedgerRow]) {
        match self.sort.as_str() {
            "deadline" => rows.sort_by_key(|row| {
                crate::domain::meeting::parse_date(&row.deadline)
                    .map_or((1, None), |d| (0, Some(d)))
            }),
            "status" => rows.sort_by_key(|row| {
                ItemStatus::ALL
                    .iter()
                    .position(|status| *status == row.status)
            }),
            "owner" => rows.sort_by(|a, b| on_screen_order(&a.owner_name, &b.owner_name)),
            _ => {}
        }
    }

    fn admits(&self, row: &LedgerRow) -> bool {
        self.status.is_none_or(|status| row.status == status)
            && match self.urgency.as_str() {
                "overdue" => row.urgency == Urgency::Overdue,
                "soon" => matches!(row.urgency, Urgency::DueSoon | Urgency::DueVerySoon),
                _ => true,
            }
            && (self.owner.is_empty() || row.owner_name == self.owner)
            && (self.branch.is_empty() || row.branch_name == self.branch)
            && (self.category.is_empty() || row.category == self.category)
            && (self.meeting.is_empty() || row.meeting_title == self.meeting)
    }
}

/// The distinct values of a column, for a filter's choices.
fn choices(rows: &[LedgerRow], value: impl Fn(&LedgerRow) -> &String) -> Vec<String> {
    let mut values: Vec<String> = rows
        .iter()
        .map(|row| value(row).clone())
        .filter(|v| !v.is_empty())
        .collect();
    values.sort_by(|a, b| on_screen_order(a, b));
    values.dedup();
    values
}

#[component]
fn Ledger(data: Loaded<LedgerList>, scope: Scope) -> impl IntoView {
    let query = use_query_map();
    loaded(data, move |list| {
        let filter = {
            let query = query.read();
            let get = |key: &str| query.get(key).unwrap_or_default();
            Filter {
                status: ItemStatus::from_code(&get("status")),
                urgency: get("urgency"),
                owner: get("owner"),
                branch: get("branch"),
                category: get("category"),
                meeting: get("meeting"),
                sort: get("sort"),
            }
        };
        ledger_view(list, filter, scope)
    })
}

fn select(
    name: &'static str,
    label: &'static str,
    empty: &'static str,
    options: Vec<(String, String)>,
    chosen: &str,
) -> impl IntoView + use<> {
    let id = format!("filter-{name}");
    view! {
        <div class="filter">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="">{empty}</option>
                {options.into_iter().map(|(value, text)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Whose items a list holds, which decides its columns and filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Mine,
    Branch,
    Org,
}

fn ledger_view(list: LedgerList, filter: Filter, scope: Scope) -> impl IntoView {
    let show_owner = scope != Scope::Mine;
    let show_branch = scope == Scope::Org;
    let LedgerList {
        title,
        export,
        rows,
        total,
        closed,
        ongoing,
        awaiting_close,
        overdue,
        due_soon,
        stats,
        tiers,
        meetings: _,
        attention_total,
        branches: branch_links,
        nodes: node_tallies,
    } = list;
    let export_docx = export.replace(".xlsx", ".docx");
    let tiers_note = format!(
        "距时限 {} 天内标黄（提醒责任人），{} 天内或已逾期标红（同时提醒支部书记）。",
        tiers.yellow_days, tiers.red_days
    );
    let rate = ((closed + ongoing) * 100).checked_div(total).unwrap_or(0);
    let statuses = ItemStatus::ALL
        .into_iter()
        .map(|s| (s.code().to_string(), s.label().to_string()))
        .collect();
    let urgencies = vec![
        ("overdue".to_string(), "逾期".to_string()),
        ("soon".to_string(), "临期".to_string()),
    ];
    let owners: Vec<(String, String)> = choices(&rows, |r| &r.owner_name)
        .into_iter()
        .map(|v| (v.clone(), v))
        .collect();
    let branches: Vec<(String, String)> = choices(&rows, |r| &r.branch_name)
        .into_iter()
        .map(|v| (v.clone(), v))
        .collect();
    let categories = choices(&rows, |r| &r.category)
        .into_iter()
        .map(|v| (v.clone(), v))
        .collect();
    let meetings = choices(&rows, |r| &r.meeting_title)
        .into_iter()
        .map(|v| (v.clone(), v))
        .collect();
    let status_code = filter.status.map(|s| s.code()).unwrap_or_default();
    let mut shown: Vec<LedgerRow> = rows.into_iter().filter(|row| filter.admits(row)).collect();
    filter.sort(&mut shown);
    let mut orders = vec![
        ("deadline".to_string(), "按时限".to_string()),
        ("status".to_string(), "按状态".to_string()),
    ];
    if show_owner {
        orders.push(("owner".to_string(), "按责任人".to_string()));
    }
    let empty = shown.is_empty();
    let shown_count = shown.len();
    let (any_overdue, any_due_soon) = (overdue > 0, due_soon > 0);
    view! {
        <h1>{title}</h1>
        <ul class="ledger-counts" aria-label="整改统计">
            <li>"共 " <strong>{total}</strong> " 项"</li>
            <li>"已销号 " <strong>{closed}</strong></li>
            <li>"长期坚持 " <strong>{ongoing}</strong></li>
            <li>"待销号 " <strong>{awaiting_close}</strong></li>
            <li class:red=any_overdue>"逾期 " <strong>{overdue}</strong></li>
            <li class:yellow=any_due_soon>"临期 " <strong>{due_soon}</strong></li>
            <li>"完成率 " <strong>{format!("{rate}%")}</strong></li>
        </ul>
        <p class="hint">{tiers_note}</p>
        <p class="actions">
            <DownloadLink href=export label="导出台账（Excel）" busy="正在生成台账…" />
            <DownloadLink href=export_docx label="导出台账（Word 横版表格）" busy="正在生成台账…" />
        </p>
        <NodeTallies tallies=node_tallies />
        {(!branch_links.is_empty()).then(|| view! {
            <nav class="card" aria-label="各支部台账">
                <h2>"各支部台账"</h2>
                <p class="hint">"按支部查看全部事项，可按状态、责任人、问题类别筛选。"</p>
                <ul class="inline-links">
                    {branch_links.into_iter().map(|(id, name)| view! {
                        <li><a href=format!("/ledger/branch/{id}")>{name}</a></li>
                    }).collect_view()}
                </ul>
            </nav>
        })}
        {attention_total.map(|all| view! {
            <h2>"逾期和临期事项"</h2>
            <p class="hint">{if all > shown_count {
                format!("共 {all} 项，按时限先后列出前 {shown_count} 项；其余请到各支部台账查看或导出台账。")
            } else {
                format!("共 {all} 项，按时限先后排列。")
            }}</p>
        })}
        // The organisation's list is already a selection; the filters are on each branch's.
        {attention_total.is_none().then(|| view! {
        <form method="get" class="card filters" aria-label="筛选">
            {select("status", "状态", "全部", statuses, status_code)}
            {select("urgency", "时限", "全部", urgencies, &filter.urgency)}
            {show_branch.then(|| select("branch", "支部", "全部", branches, &filter.branch))}
            {show_owner.then(|| select("owner", "责任人", "全部", owners, &filter.owner))}
            {select("category", "问题类别", "全部", categories, &filter.category)}
            {select("meeting", "会议", "全部", meetings, &filter.meeting)}
            {select("sort", "排序", "默认顺序", orders, &filter.sort)}
            <div class="actions"><button type="submit">"筛选"</button></div>
        </form>
        })}
        {if empty {
            let why = if attention_total.is_some() {
                "目前没有逾期或临期的整改事项。"
            } else {
                "没有符合条件的整改事项。材料提交后，其中的整改措施会自动列入台账。"
            };
            view! { <p class="card muted">{why}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="ledger">
                        <thead>
                            <tr>
                                <th>"序号"</th>
                                {show_branch.then(|| view! { <th>"支部"</th> })}
                                {show_owner.then(|| view! { <th>"责任人"</th> })}
                                <th>"问题"</th>
                                <th>"整改措施"</th>
                                <th>"时限"</th>
                                <th>"状态"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {shown.into_iter().enumerate().map(|(index, row)| ledger_row(index + 1, row, show_branch, show_owner)).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {(total > 0).then(|| view! { <LedgerStatistics stats /> })}
    }
}

/// The problem with its aspect in front, muted, unless the problem's words already say it.
fn problem_with_aspect(category: &str, problem: &str) -> impl IntoView + use<> {
    let aspect = (!says_aspect(problem, category)).then(|| category.to_string());
    let problem = problem.to_string();
    view! {
        {aspect.map(|aspect| view! { <span class="muted">{aspect}</span>" " })}
        {problem}
    }
}

/// A row of the list; `number` is its 序号 in this list (as in the exported sheets), not
/// the measure's place in its material.
fn ledger_row(number: usize, row: LedgerRow, show_branch: bool, show_owner: bool) -> impl IntoView {
    let colour = row.urgency.colour();
    view! {
        <tr class=format!("urgency-{colour}")>
            <td>{number}</td>
            {show_branch.then(|| view! { <td>{row.branch_name.clone()}</td> })}
            {show_owner.then(|| view! { <td>{row.owner_name.clone()}</td> })}
            <td>{problem_with_aspect(&row.category, &row.problem)}</td>
            <td><a href=format!("/ledger/item/{}", row.id)>{row.measure.clone()}</a></td>
            <td>
                {row.deadline.clone()}
                {(!row.urgency.label().is_empty()).then(|| view! {
                    " " <span class=format!("badge {colour}")>{row.urgency.label()}</span>
                })}
            </td>
            <td>
                <span class="badge">{row.status.label()}</span>
                {row.extension_pending.then(|| view! { " " <span class="badge">"申请延期"</span> })}
            </td>
        </tr>
    }
}

#[component]
pub fn LedgerItemPage() -> impl IntoView {
    let params = use_params_map();
    let act = ServerAction::<ActOnLedgerItem>::new();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        ledger_entry,
    );
    view! {
        <Title text="整改事项 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <LedgerItem data act /> } />
    }
}

#[component]
fn LedgerItem(data: Loaded<LedgerDetail>, act: ServerAction<ActOnLedgerItem>) -> impl IntoView {
    loaded(data, move |detail| item_view(detail, act))
}

fn item_view(detail: LedgerDetail, act: ServerAction<ActOnLedgerItem>) -> impl IntoView {
    let LedgerDetail {
        row,
        revision,
        follow_ups,
        completed_on,
        closed,
        extension,
        notes,
        evidence,
        may_attach,
        actions,
        today,
    } = detail;
    let colour = row.urgency.colour();
    let fact = |label: &'static str, value: String| {
        (!value.is_empty()).then(|| view! { <dt>{label}</dt><dd>{value}</dd> })
    };
    let forms = actions
        .into_iter()
        .map(|action| action_form(action, row.id.clone(), revision, today.clone(), act))
        .collect_view();
    view! {
        <h1>{row.measure.clone()}</h1>
        <p>
            <span class="badge">{row.status.label()}</span>
            {(!row.urgency.label().is_empty()).then(|| view! {
                " " <span class=format!("badge {colour}")>{row.urgency.label()}</span>
            })}
        </p>
        <section class="card">
            <dl class="facts">
                {fact("会议", row.meeting_title.clone())}
                {fact("责任人", row.owner_name.clone())}
                {fact("问题类别", row.category.clone())}
                {fact("问题", row.problem.clone())}
                {fact("整改类型", row.kind.clone())}
                {fact("整改时限", row.deadline.clone())}
                {fact("原定时限", row.original_deadline.clone().unwrap_or_default())}
                {fact("跟踪日期", follow_ups.join("、"))}
                {fact("完成标准", row.standard.clone())}
                {fact("完成时间", completed_on.unwrap_or_default())}
                {fact("销号", closed.unwrap_or_default())}
                {fact("延期申请", extension.unwrap_or_default())}
            </dl>
        </section>
        {action_error(act.into())}
        {forms}
        {evidence_section(row.id.clone(), evidence, may_attach)}
        <section class="card" aria-label="整改进展">
            <h2>"整改进展与记录"</h2>
            {if notes.is_empty() {
                view! { <p class="muted">"还没有记录。"</p> }.into_any()
            } else {
                view! {
                    <ul class="comments">
                        {notes.into_iter().map(|note| view! {
                            <li class="comment">
                                <p class="comment-spot">{note.on} " · " {note.kind}</p>
                                {(!note.text.is_empty()).then(|| view! { <p class="comment-text">{note.text}</p> })}
                                {note.evidence.map(|(href, name)| view! {
                                    <p><a href=href download=name.clone()>{format!("佐证材料：{name}")}</a></p>
                                })}
                                <p class="muted">{note.author}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <p><a href="/ledger">"返回我的整改"</a></p>
    }
}

/// One action as its own small form (a plain post without JavaScript).
fn action_form(
    action: LedgerAction,
    item_id: String,
    revision: i64,
    today: String,
    act: ServerAction<ActOnLedgerItem>,
) -> impl IntoView {
    let code = action.code();
    let id = move |field: &str| format!("{code}-{field}");
    let (date_label, text_label, until_label) = match action {
        LedgerAction::Progress => (Some("日期"), Some("进展情况"), None),
        LedgerAction::ReportDone => (
            Some("完成日期"),
            Some("完成情况（对照完成标准写明做了什么、有何佐证）"),
            None,
        ),
        LedgerAction::RequestExtension => (None, Some("延期理由"), Some("申请延至")),
        LedgerAction::SendBack => (None, Some("退回理由"), None),
        LedgerAction::RejectExtension => (None, Some("不同意的理由"), None),
        LedgerAction::Reopen => (None, Some("重新打开的理由"), None),
        LedgerAction::AddFollowUp => (None, Some("督办事项（可不填）"), Some("跟踪日期")),
        LedgerAction::Confirm | LedgerAction::ApproveExtension => (None, None, None),
    };
    // A follow-up date may stand alone; every other text is a reason the rules require.
    let text_required = action != LedgerAction::AddFollowUp;
    view! {
        <section class="card">
            <h2>{action.label()}</h2>
            <PostForm action=act>
                <input type="hidden" name="item_id" value=item_id />
                <input type="hidden" name="revision" value=revision.to_string() />
                <input type="hidden" name="action" value=action.code() />
                {date_label.map(|label| view! {
                    <label for=id("on")>{label}</label>
                    <input id=id("on") name="on" type="date" value=today.clone() max=today.clone() />
                })}
                {until_label.map(|label| view! {
                    <label for=id("until")>{label}</label>
                    <input id=id("until") name="until" type="date" min=today.clone() required />
                })}
                {text_label.map(|label| view! {
                    <label for=id("text")>{label}</label>
                    <textarea id=id("text") name="text" rows="3" maxlength="2000" required=text_required></textarea>
                })}
                <div class="actions"><button type="submit">{action.label()}</button></div>
            </PostForm>
        </section>
    }
}

/// The item's 佐证材料 and, for those who may, a form to add one. Without JavaScript the
/// browser posts the form itself and comes back to this page.
fn evidence_section(
    item_id: String,
    evidence: Vec<EvidenceView>,
    may_attach: bool,
) -> impl IntoView {
    // Without JavaScript a refusal comes back in the address.
    let posted_error = use_context::<leptos::server::ServerActionError>()
        .filter(|error| error.path() == AttachLedgerEvidence::PATH)
        .map(|error| {
            leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(error.err())
        });
    let files = if evidence.is_empty() {
        view! { <p class="muted">"还没有佐证材料。"</p> }.into_any()
    } else {
        view! {
            <ul class="evidence">
                {evidence.into_iter().map(|file| view! {
                    <li>
                        <a href=file.href download=file.name.clone()>{file.name.clone()}</a>
                        <span class="muted">{format!(" {} · {}", file.size, file.uploader)}</span>
                    </li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <section class="card" aria-label="佐证材料">
            <h2>"佐证材料"</h2>
            {files}
            {may_attach.then(|| view! { <EvidenceUpload item_id /> })}
            {posted_error.map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}

/// The form adding a 佐证材料, posted in the background so the page can say it is uploading
/// and keep the form on a refusal; the item loads again once the file is stored.
#[island]
fn EvidenceUpload(item_id: String) -> impl IntoView {
    let pending = RwSignal::new(false);
    let refused = RwSignal::new(None::<AppError>);
    let on_submit = move |event| {
        refused.set(None);
        post_in_background(
            event,
            pending,
            crate::server::ledger::attach_ledger_evidence,
            move |answer| match answer {
                Ok(()) => {
                    // Busy until the page has loaded again with the file in its list.
                    pending.set(true);
                    #[cfg(feature = "hydrate")]
                    crate::ui::components::post_form::reload_after(AttachLedgerEvidence::PATH);
                }
                Err(error) => refused.set(Some(error)),
            },
        );
    };
    view! {
        <form
            method="post"
            enctype="multipart/form-data"
            action=AttachLedgerEvidence::url()
            on:submit=on_submit
        >
            <input type="hidden" name="item_id" value=item_id />
            <label for="evidence-text">"说明（可不填）"</label>
            <input id="evidence-text" name="text" type="text" maxlength="500" />
            <label for="evidence-file">"文件"</label>
            <input id="evidence-file" name=EVIDENCE_FIELD type="file" accept=EVIDENCE_ACCEPT required />
            <p class="hint">{format!(
                "支持 PDF、JPG / PNG 图片、Word（.docx）、Excel（.xlsx）和 OFD，单个文件不超过 {} MB。",
                MAX_EVIDENCE_BYTES / 1024 / 1024
            )}</p>
            <div class="actions">
                <button type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { "正在上传…" } else { "上传佐证材料" }}
                </button>
            </div>
        </form>
        {move || refused.get().map(|error| view! { <ErrorNotice error /> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn a_problem_that_says_its_aspect_is_listed_without_the_aspect_in_front() {
        // Without the hydration markers, the text as a reader sees it.
        let html = |view: AnyView| view.to_html().replace("<!>", "");
        let said =
            html(problem_with_aspect("理论学习方面", "在理论学习方面，学用结合不够").into_any());
        assert!(!said.contains("理论学习方面</span>"), "{said}");
        assert_eq!(said.matches("理论学习方面").count(), 1, "{said}");
        let unsaid = html(problem_with_aspect("理论学习方面", "学用结合不够").into_any());
        assert!(
            unsaid.contains(r#"<span class="muted">理论学习方面</span>"#),
            "{unsaid}"
        );
    }

    fn row(owner: &str, deadline: &str, status: ItemStatus) -> LedgerRow {
        LedgerRow {
            id: format!("{owner}-{deadline}"),
            meeting_title: "2026年度组织生活会".into(),
            branch_name: "第一党支部".into(),
            owner_name: owner.into(),
            position: 1,
            category: String::new(),
            problem: String::new(),
            measure: String::new(),
            standard: String::new(),
            kind: String::new(),
            status,
            deadline: deadline.into(),
            original_deadline: None,
            urgency: Urgency::None,
            extension_pending: false,
        }
    }

    #[test]
    fn rows_sort_by_deadline_status_or_owner_and_otherwise_keep_the_ledger_order() {
        let rows = vec![
            row("王芳", "长期坚持", ItemStatus::Ongoing),
            row("张明", "2026-12-09", ItemStatus::NotStarted),
            row("李红", "2026-11-11", ItemStatus::AwaitingClose),
        ];
        let order = |sort: &str| {
            let mut sorted = rows.clone();
            Filter {
                sort: sort.into(),
                ..Filter::default()
            }
            .sort(&mut sorted);
            sorted.into_iter().map(|r| r.owner_name).collect::<Vec<_>>()
        };
        assert_eq!(order("deadline"), ["李红", "张明", "王芳"]);
        assert_eq!(order("status"), ["张明", "李红", "王芳"]);
        // 拼音 order of the names (lǐ, wáng, zhāng), as the list filter offers them; by code
        // point 张 (U+5F20) would come first.
        assert_eq!(order("owner"), ["李红", "王芳", "张明"]);
        assert_eq!(order(""), ["王芳", "张明", "李红"]);
    }
}
