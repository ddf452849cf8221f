//! 通知: the organisation's administrator connects group robots (企业微信, 钉钉), a generic
//! webhook or a mailbox, chooses which reminders go there, sends a test message and reads
//! the delivery log. Every form posts without JavaScript.

use crate::domain::notify::{ChannelKind, EventKind};
use crate::server::notify::{
    NotifyPageView, SaveNotifyChannel, SendTestNotification, notify_overview,
};
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotifyPage() -> impl IntoView {
    let save = ServerAction::<SaveNotifyChannel>::new();
    let test = ServerAction::<SendTestNotification>::new();
    let data = load(|| (), |_| notify_overview(String::new()));
    view! {
        <Title text="通知 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! { <Notify save test data /> } />
    }
}

#[component]
fn Notify(
    save: ServerAction<SaveNotifyChannel>,
    test: ServerAction<SendTestNotification>,
    data: Loaded<NotifyPageView>,
) -> impl IntoView {
    let saved = succeeded(save);
    let tested = succeeded(test);
    view! {
        <h1>"通知"</h1>
        <p class="hint">
            "把整改时限、逾期、退回修改和报送截止等提醒发到企业微信群、钉钉群或邮箱。"
            "消息只写人名和事项，不含材料正文、征求意见或测评内容。连接方法见使用说明“连接群机器人与邮件”。"
        </p>
        {saved.then(|| view! { <p class="notice ok" role="status">"已保存通知渠道。"</p> })}
        {tested.then(|| view! { <p class="notice ok" role="status">"测试消息已排队，稍后在下方发送记录中查看结果。"</p> })}
        {action_error(test.into())}
        {loaded(data, move |view| view! {
            <section class="card">
                <h2>"通知渠道"</h2>
                {if view.channels.is_empty() {
                    view! { <p class="muted">"还没有通知渠道。"</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table>
                                <thead><tr>
                                    <th>"名称"</th><th>"方式"</th><th>"范围"</th><th>"地址"</th>
                                    <th>"事件"</th><th>"发送"</th><th>"状态"</th><th></th>
                                </tr></thead>
                                <tbody>
                                    {view.channels.into_iter().map(|channel| view! {
                                        <tr>
                                            <td>{channel.name}</td>
                                            <td>{channel.kind}{channel.signed.then_some("（已加签）")}</td>
                                            <td>{channel.branch.unwrap_or_else(|| "全单位".into())}</td>
                                            <td><code>{channel.target_hint}</code></td>
                                            <td>{channel.events.join("、")}</td>
                                            <td>{if channel.digest { "每日汇总" } else { "逐条" }}</td>
                                            <td>{if channel.enabled { "启用" } else { "停用" }}</td>
                                            <td>
                                                <PostForm action=test>
                                                    <input type="hidden" name="channel_id" value=channel.id />
                                                    <button type="submit" class="secondary">"发送测试消息"</button>
                                                </PostForm>
                                            </td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any()
                }}
            </section>
            <section class="card">
                <h2>"发送记录"</h2>
                {if view.attempts.is_empty() {
                    view! { <p class="muted">"还没有发送记录。"</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap">
                            <table>
                                <thead><tr><th>"时间"</th><th>"渠道"</th><th>"消息"</th><th>"结果"</th></tr></thead>
                                <tbody>
                                    {view.attempts.into_iter().map(|attempt| view! {
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
                    }.into_any()
                }}
            </section>
        })}
        <section class="card">
            <h2>"新建通知渠道"</h2>
            <PostForm action=save>
                <label for="notify-name">"名称"</label>
                <input id="notify-name" name="name" type="text" required maxlength="40" placeholder="例如：第一党支部工作群" />
                <label for="notify-kind">"方式"</label>
                <select id="notify-kind" name="kind">
                    {ChannelKind::ALL.into_iter().map(|kind| view! {
                        <option value=kind.code()>{kind.label()}</option>
                    }).collect_view()}
                </select>
                <label for="notify-target">"Webhook 地址或收件邮箱"</label>
                <input id="notify-target" name="target" type="text" required maxlength="500" autocomplete="off" />
                <label for="notify-secret">"钉钉加签密钥（可不填）"</label>
                <input id="notify-secret" name="secret" type="password" maxlength="200" autocomplete="off" />
                <fieldset>
                    <legend>"通知哪些事件"</legend>
                    {EventKind::SUBSCRIBABLE.into_iter().map(|event| view! {
                        <label class="check">
                            <input type="checkbox" name=format!("chosen_events[{}]", event.code()) value="on" checked />
                            {event.label()}
                        </label>
                    }).collect_view()}
                </fieldset>
                <label class="check"><input type="checkbox" name="digest" value="on" />"每天汇总成一条发送"</label>
                {action_error(save.into())}
                <div class="actions"><button type="submit">"保存通知渠道"</button></div>
            </PostForm>
        </section>
    }
}
