//! 整改台账 pages: "我的整改" for everyone, a branch's 台账 for its secretary, and one item
//! with its history and the actions the rules allow. Filters are plain links and a GET form,
//! so everything works without JavaScript and on a phone.

use crate::domain::ledger::{ItemStatus, Urgency};
use crate::server::AppError;
use crate::server::ledger::{
    ActOnLedgerItem, LedgerAction, LedgerDetail, LedgerList, LedgerRow, branch_ledger,
    ledger_entry, my_ledger,
};
use crate::ui::components::download::DownloadLink;
use crate::ui::components::error_notice::{ErrorNotice, action_error};
use crate::ui::components::protected::{Audience, Loaded, Protected};
use crate::ui::pages::not_found::NotFound;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn MyLedgerPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| my_ledger());
    view! {
        <Title text="我的整改 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <Ledger data show_owner=false /> } />
    }
}

#[component]
pub fn BranchLedgerPage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new(
        move || params.read().get("id").unwrap_or_default(),
        branch_ledger,
    );
    view! {
        <Title text="支部整改台账 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <Ledger data show_owner=true /> } />
    }
}

/// What the list's filters ask for (from the address).
#[derive(Debug, Clone, Default, PartialEq)]
struct Filter {
    status: Option<ItemStatus>,
    /// "overdue" or "soon".
    urgency: String,
    owner: String,
    category: String,
    session: String,
}

impl Filter {
    fn admits(&self, row: &LedgerRow) -> bool {
        self.status.is_none_or(|status| row.status == status)
            && match self.urgency.as_str() {
                "overdue" => row.urgency == Urgency::Overdue,
                "soon" => matches!(row.urgency, Urgency::DueSoon | Urgency::DueVerySoon),
                _ => true,
            }
            && (self.owner.is_empty() || row.owner_name == self.owner)
            && (self.category.is_empty() || row.category == self.category)
            && (self.session.is_empty() || row.meeting_title == self.session)
    }
}

/// The distinct values of a column, for a filter's choices.
fn choices(rows: &[LedgerRow], value: impl Fn(&LedgerRow) -> &String) -> Vec<String> {
    let mut values: Vec<String> = rows
        .iter()
        .map(|row| value(row).clone())
        .filter(|v| !v.is_empty())
        .collect();
    values.sort();
    values.dedup();
    values
}

#[component]
fn Ledger(data: Loaded<LedgerList>, show_owner: bool) -> impl IntoView {
    let query = use_query_map();
    view! {
        <Suspense fallback=|| view! { <p class="muted">"加载中…"</p> }>
            {move || Suspend::new(async move {
                let filter = {
                    let query = query.read();
                    let get = |key: &str| query.get(key).unwrap_or_default();
                    Filter {
                        status: ItemStatus::from_code(&get("status")),
                        urgency: get("urgency"),
                        owner: get("owner"),
                        category: get("category"),
                        session: get("session"),
                    }
                };
                match data.await {
                    Ok(list) => ledger_view(list, filter, show_owner).into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn select(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    chosen: &str,
) -> impl IntoView + use<> {
    let id = format!("filter-{name}");
    view! {
        <label for=id.clone()>{label}</label>
        <select id=id name=name>
            <option value="">"全部"</option>
            {options.into_iter().map(|(value, text)| {
                let selected = value == chosen;
                view! { <option value=value selected=selected>{text}</option> }
            }).collect_view()}
        </select>
    }
}

fn ledger_view(list: LedgerList, filter: Filter, show_owner: bool) -> impl IntoView {
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
    } = list;
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
    let categories = choices(&rows, |r| &r.category)
        .into_iter()
        .map(|v| (v.clone(), v))
        .collect();
    let sessions = choices(&rows, |r| &r.meeting_title)
        .into_iter()
        .map(|v| (v.clone(), v))
        .collect();
    let status_code = filter.status.map(|s| s.code()).unwrap_or_default();
    let shown: Vec<LedgerRow> = rows.into_iter().filter(|row| filter.admits(row)).collect();
    let empty = shown.is_empty();
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
        <p class="actions">
            <DownloadLink href=export label="导出台账（Excel）" busy="正在生成台账…" />
        </p>
        <form method="get" class="card filters" aria-label="筛选">
            {select("status", "状态", statuses, status_code)}
            {select("urgency", "时限", urgencies, &filter.urgency)}
            {show_owner.then(|| select("owner", "责任人", owners, &filter.owner))}
            {select("category", "问题类别", categories, &filter.category)}
            {select("session", "会次", sessions, &filter.session)}
            <div class="actions"><button type="submit">"筛选"</button></div>
        </form>
        {if empty {
            view! { <p class="card muted">"没有符合条件的整改事项。材料提交后，其中的整改措施会自动列入台账。"</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="ledger">
                        <thead>
                            <tr>
                                <th>"序号"</th>
                                {show_owner.then(|| view! { <th>"责任人"</th> })}
                                <th>"问题"</th>
                                <th>"整改措施"</th>
                                <th>"时限"</th>
                                <th>"状态"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {shown.into_iter().map(|row| ledger_row(row, show_owner)).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

fn ledger_row(row: LedgerRow, show_owner: bool) -> impl IntoView {
    let colour = row.urgency.colour();
    view! {
        <tr class=format!("urgency-{colour}")>
            <td>{row.position}</td>
            {show_owner.then(|| view! { <td>{row.owner_name.clone()}</td> })}
            <td>
                <span class="muted">{row.category.clone()}</span>
                " " {row.problem.clone()}
            </td>
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
    // Reloaded after a change that went through, not after a refusal: the forms keep what
    // was typed until it is accepted.
    let applied = Memo::new(move |previous: Option<&usize>| {
        let version = act.version().get();
        let ok = act
            .value()
            .with_untracked(|value| matches!(value, Some(Ok(()))));
        if ok {
            version
        } else {
            previous.copied().unwrap_or(0)
        }
    });
    let data = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), applied.get()),
        |(id, _)| ledger_entry(id),
    );
    view! {
        <Title text="整改事项 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <LedgerItem data act /> } />
    }
}

#[component]
fn LedgerItem(data: Loaded<LedgerDetail>, act: ServerAction<ActOnLedgerItem>) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="muted">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(detail) => item_view(detail, act).into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
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
                {fact("会次", row.meeting_title.clone())}
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
    let (date_label, text_label, needs_until) = match action {
        LedgerAction::Progress => (Some("日期"), Some("进展情况"), false),
        LedgerAction::ReportDone => (
            Some("完成日期"),
            Some("完成情况（对照完成标准写明做了什么、有何佐证）"),
            false,
        ),
        LedgerAction::RequestExtension => (None, Some("延期理由"), true),
        LedgerAction::SendBack => (None, Some("退回理由"), false),
        LedgerAction::RejectExtension => (None, Some("不同意的理由"), false),
        LedgerAction::Reopen => (None, Some("重新打开的理由"), false),
        LedgerAction::Confirm | LedgerAction::ApproveExtension => (None, None, false),
    };
    view! {
        <section class="card">
            <h2>{action.label()}</h2>
            <ActionForm action=act>
                <input type="hidden" name="item_id" value=item_id />
                <input type="hidden" name="revision" value=revision.to_string() />
                <input type="hidden" name="action" value=action.code() />
                {date_label.map(|label| view! {
                    <label for=id("on")>{label}</label>
                    <input id=id("on") name="on" type="date" value=today.clone() max=today.clone() />
                })}
                {needs_until.then(|| view! {
                    <label for=id("until")>"申请延至"</label>
                    <input id=id("until") name="until" type="date" required />
                })}
                {text_label.map(|label| view! {
                    <label for=id("text")>{label}</label>
                    <textarea id=id("text") name="text" rows="3" maxlength="2000" required></textarea>
                })}
                <div class="actions"><button type="submit">{action.label()}</button></div>
            </ActionForm>
        </section>
    }
}
