//! 通知: the organisation's administrator connects group robots (企业微信, 钉钉), a generic
//! webhook or a mailbox for the whole organisation or one branch, chooses which reminders go
//! there, sends a test message, reads the delivery log, and may let branch secretaries do the
//! same for their own branch (`/notify/branch/{id}`). Every form posts without JavaScript.

use crate::domain::notify::{ChannelKind, EventKind};
use crate::server::notify::{
    AllowBranchNotify, BranchChoice, ChannelView, DeleteNotifyChannel, NotifyPageView,
    SaveNotifyChannel, SendTestNotification, notify_overview,
};
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// The organisation's channels, for its administrators.
#[component]
pub fn NotifyPage() -> impl IntoView {
    let data = load(|| (), |_| notify_overview(String::new()));
    view! {
        <Title text="通知 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! {
            <Notify data branch_id=String::new() />
        } />
    }
}

/// One branch's channels, for its secretary where the organisation allows it.
#[component]
pub fn BranchNotifyPage() -> impl IntoView {
    let params = use_params_map();
    let branch_id = move || params.read().get("id").unwrap_or_default();
    let data = load(branch_id, notify_overview);
    view! {
        <Title text="支部通知渠道 · 省身" />
        <Protected audience=Audience::Secretaries page=move |_| view! {
            <Notify data branch_id=branch_id() />
        } />
    }
}

/// The actions of the page, made once and shared by every form on it.
#[derive(Clone, Copy)]
struct Actions {
    save: ServerAction<SaveNotifyChannel>,
    test: ServerAction<SendTestNotification>,
    delete: ServerAction<DeleteNotifyChannel>,
    allow: ServerAction<AllowBranchNotify>,
}

/// The page; `branch_id` empty for the organisation's administrator.
#[component]
fn Notify(data: Loaded<NotifyPageView>, branch_id: String) -> impl IntoView {
    let actions = Actions {
        save: ServerAction::new(),
        test: ServerAction::new(),
        delete: ServerAction::new(),
        allow: ServerAction::new(),
    };
    let done = [
        (succeeded(actions.save), "已保存通知渠道。"),
        (
            succeeded(actions.test),
            "测试消息已排队，稍后在下方发送记录中查看结果。",
        ),
        (succeeded(actions.delete), "已删除通知渠道。"),
        (succeeded(actions.allow), "已保存支部设置。"),
    ]
    .into_iter()
    .find_map(|(done, message)| done.then_some(message));
    view! {
        {loaded(data, move |view| {
            let heading = match &view.branch_name {
                Some(branch) => format!("{branch} · 通知渠道"),
                None => "通知".to_string(),
            };
            let for_admin = branch_id.is_empty();
            let branch_id = branch_id.clone();
            view! {
                <h1>{heading}</h1>
                <p class="hint">
                    "把整改时限、逾期、退回修改、材料收集截止和报送截止等提醒发到企业微信群、钉钉群或邮箱。"
                    "消息只写人名和事项，不含材料正文、征求意见或测评内容。连接方法见使用说明“连接群机器人与邮件”。"
                </p>
                {done.map(|message| view! { <p class="notice ok" role="status">{message}</p> })}
                {action_error(actions.save.into())}
                {action_error(actions.test.into())}
                {action_error(actions.delete.into())}
                {for_admin.then(|| view! { <BranchPermission allowed=view.branches_allowed actions /> })}
                <Channels channels=view.channels branches=view.branches.clone() branch_id=branch_id.clone() actions />
                <Attempts view=view.attempts />
                <section class="card">
                    <h2>"新建通知渠道"</h2>
                    <ChannelForm channel=None branches=view.branches branch_id actions />
                </section>
            }
        })}
    }
}

/// The administrator's switch: may branch secretaries set up their own branch's channels?
#[component]
fn BranchPermission(allowed: bool, actions: Actions) -> impl IntoView {
    view! {
        <section class="card">
            <h2>"支部自设通知"</h2>
            <PostForm action=actions.allow>
                <label class="check">
                    <input type="checkbox" name="allowed" value="on" checked=allowed />
                    "允许支部书记为本支部设置通知渠道（在“组织生活会”页面进入）"
                </label>
                {action_error(actions.allow.into())}
                <div class="actions"><button type="submit" class="secondary">"保存"</button></div>
            </PostForm>
        </section>
    }
}

#[component]
fn Channels(
    channels: Vec<ChannelView>,
    branches: Vec<BranchChoice>,
    branch_id: String,
    actions: Actions,
) -> impl IntoView {
    let rows = channels
        .into_iter()
        .map(|channel| {
            let events = channel
                .events
                .iter()
                .filter_map(|code| EventKind::from_code(code))
                .map(EventKind::label)
                .collect::<Vec<_>>()
                .join("、");
            let kind = ChannelKind::from_code(&channel.kind)
                .map(ChannelKind::label)
                .unwrap_or_default();
            let (test_id, delete_id) = (channel.id.clone(), channel.id.clone());
            let (test_branch, edit_branch, delete_branch) =
                (branch_id.clone(), branch_id.clone(), branch_id.clone());
            let scope = channel.branch.clone().unwrap_or_else(|| "全单位".into());
            view! {
                <tr>
                    <td>{channel.name.clone()}</td>
                    <td>{kind}{channel.signed.then_some("（已加签）")}</td>
                    <td>{scope}</td>
                    <td><code>{channel.target_hint.clone()}</code></td>
                    <td>{events}</td>
                    <td>{if channel.digest { "每日汇总" } else { "逐条" }}</td>
                    <td>{if channel.enabled { "启用" } else { "停用" }}</td>
                    <td>
                        <PostForm action=actions.test>
                            <input type="hidden" name="channel_id" value=test_id />
                            <input type="hidden" name="branch_id" value=test_branch />
                            <button type="submit" class="secondary">"发送测试消息"</button>
                        </PostForm>
                        <details>
                            <summary>"修改"</summary>
                            <ChannelForm
                                channel=Some(channel)
                                branches=branches.clone()
                                branch_id=edit_branch
                                actions
                            />
                        </details>
                        <PostForm action=actions.delete>
                            <input type="hidden" name="channel_id" value=delete_id />
                            <input type="hidden" name="branch_id" value=delete_branch />
                            <button type="submit" class="secondary small">"删除"</button>
                        </PostForm>
                    </td>
                </tr>
            }
        })
        .collect::<Vec<_>>();
    let body = if rows.is_empty() {
        view! { <p class="muted">"还没有通知渠道。"</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table>
                    <thead><tr>
                        <th>"名称"</th><th>"方式"</th><th>"范围"</th><th>"地址"</th>
                        <th>"事件"</th><th>"发送"</th><th>"状态"</th><th></th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! { <section class="card"><h2>"通知渠道"</h2>{body}</section> }
}

#[component]
fn Attempts(view: Vec<crate::server::notify::AttemptView>) -> impl IntoView {
    let body = if view.is_empty() {
        view! { <p class="muted">"还没有发送记录。"</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table>
                    <thead><tr><th>"时间"</th><th>"渠道"</th><th>"消息"</th><th>"结果"</th></tr></thead>
                    <tbody>
                        {view.into_iter().map(|attempt| view! {
                            <tr>
                                <td>{attempt.at}</td>
                                <td>{attempt.channel}</td>
                                <td>{attempt.title}</td>
                                <td>{if attempt.ok {
                                    "成功".to_string()
                                } else {
                                    format!("失败：{}", attempt.error.unwrap_or_default())
                                }}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! { <section class="card"><h2>"发送记录"</h2>{body}</section> }
}

/// The form of a new channel (`channel` `None`) or of a change to one. The address and the
/// secret are never shown back: left empty on a change, the stored ones stay.
#[component]
fn ChannelForm(
    channel: Option<ChannelView>,
    branches: Vec<BranchChoice>,
    branch_id: String,
    actions: Actions,
) -> impl IntoView {
    let editing = channel.is_some();
    // Ids unique on the page: one form per channel plus the new one.
    let key = channel
        .as_ref()
        .map(|channel| channel.id.clone())
        .unwrap_or_else(|| "new".into());
    let field = move |name: &str| format!("notify-{key}-{name}");
    let name = channel.as_ref().map(|c| c.name.clone()).unwrap_or_default();
    let kind = channel.as_ref().map(|c| c.kind.clone()).unwrap_or_default();
    let chosen = channel.as_ref().map(|c| c.events.clone());
    let digest = channel.as_ref().is_some_and(|c| c.digest);
    let disabled = channel.as_ref().is_some_and(|c| !c.enabled);
    let scope = channel.as_ref().and_then(|c| c.branch_id.clone());
    let channel_id = channel.map(|c| c.id).unwrap_or_default();
    // A channel keeps its scope; only a new one of the administrator's chooses it.
    let scope_choice = (!editing && branch_id.is_empty() && !branches.is_empty()).then(|| {
        view! {
            <label for=field("scope")>"范围"</label>
            <select id=field("scope") name="branch_id">
                <option value="">"全单位（所有支部的提醒）"</option>
                {branches.into_iter().map(|branch| view! {
                    <option value=branch.id>{branch.name}"（仅本支部的提醒）"</option>
                }).collect_view()}
            </select>
        }
    });
    let fixed_scope = (editing || !branch_id.is_empty()).then(|| {
        view! { <input type="hidden" name="branch_id" value=if branch_id.is_empty() { scope.unwrap_or_default() } else { branch_id.clone() } /> }
    });
    view! {
        <PostForm action=actions.save>
            <input type="hidden" name="channel_id" value=channel_id />
            {fixed_scope}
            <label for=field("name")>"名称"</label>
            <input id=field("name") name="name" type="text" required maxlength="40" value=name placeholder="例如：第一党支部工作群" />
            {scope_choice}
            <label for=field("kind")>"方式"</label>
            <select id=field("kind") name="kind">
                {ChannelKind::ALL.into_iter().map(|option| view! {
                    <option value=option.code() selected=option.code() == kind>{option.label()}</option>
                }).collect_view()}
            </select>
            <label for=field("target")>
                {if editing { "Webhook 地址或收件邮箱（不改请留空）" } else { "Webhook 地址或收件邮箱" }}
            </label>
            <input id=field("target") name="target" type="text" required=!editing maxlength="500" autocomplete="off" />
            <label for=field("secret")>
                {if editing { "钉钉加签密钥（不改请留空）" } else { "钉钉加签密钥（可不填）" }}
            </label>
            <input id=field("secret") name="secret" type="password" maxlength="200" autocomplete="off" />
            <fieldset>
                <legend>"通知哪些事件"</legend>
                {EventKind::SUBSCRIBABLE.into_iter().map(|event| {
                    let checked = chosen
                        .as_ref()
                        .is_none_or(|codes| codes.iter().any(|code| code == event.code()));
                    view! {
                        <label class="check">
                            <input type="checkbox" name=format!("chosen_events[{}]", event.code()) value="on" checked=checked />
                            {event.label()}
                        </label>
                    }
                }).collect_view()}
            </fieldset>
            <label class="check"><input type="checkbox" name="digest" value="on" checked=digest />"每天汇总成一条发送"</label>
            {editing.then(|| view! {
                <label class="check"><input type="checkbox" name="disabled" value="on" checked=disabled />"暂停发送"</label>
            })}
            <div class="actions"><button type="submit">"保存通知渠道"</button></div>
        </PostForm>
    }
}
