//! The start page after login: who you are, where you belong, what you can do.

use crate::domain::policy::Actor;
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text="首页 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=home />
    }
}

fn home(actor: Actor) -> impl IntoView {
    let must_change = actor.must_change_password;
    let is_admin = actor.is_org_admin;
    let memberships = actor.memberships.clone();
    view! {
        <h1>{format!("{}，您好", actor.name)}</h1>
        <Show when=move || must_change>
            <div class="notice warn" role="alert">
                "您正在使用管理员生成的初始密码，请先" <a href="/account/password">"修改密码"</a> "。"
            </div>
        </Show>
        <div class="grid two">
            <section class="card">
                <h2>"我的发言材料"</h2>
                <p>"按步骤撰写对照检查材料：职责认识、问题查摆、原因剖析、整改措施，边写边自动保存。"</p>
                <div class="actions"><a class="button" href="/materials">"进入我的材料"</a></div>
            </section>
            <section class="card">
                <h2>"我的支部"</h2>
                {if memberships.is_empty() {
                    view! { <p class="muted">"您尚未加入任何党支部。"</p> }.into_any()
                } else {
                    view! {
                        <ul>
                            {memberships
                                .into_iter()
                                .map(|m| view! { <li>{m.branch_name} " · " {m.role.label()}</li> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }}
            </section>
            <Show when=move || is_admin>
                <section class="card">
                    <h2>"组织管理"</h2>
                    <ul>
                        <li><a href="/admin/branches">"管理支部"</a></li>
                        <li><a href="/admin/users">"管理账号"</a></li>
                        <li><a href="/admin/roster">"从表格导入名单"</a></li>
                    </ul>
                </section>
            </Show>
        </div>
        <p class="hint">"省身只用于非涉密的党内材料；涉密内容严禁录入本系统。"</p>
    }
}
