//! The start page after login: who you are, where you belong, what you can do — and first
//! of all, any material of yours the secretary returned, with the reason.

use crate::domain::policy::Actor;
use crate::server::materials::{ReturnedMaterial, my_returned_materials};
use crate::server::meetings::my_pending_reviews;
use crate::ui::components::error_notice::ErrorNotice;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn HomePage() -> impl IntoView {
    let returned = load(|| (), |_| my_returned_materials());
    view! {
        <Title text="首页 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |actor| home(actor, returned) />
    }
}

/// A secretary's 待审核: the rounds handed in to them and not yet decided.
#[component]
fn PendingReviews() -> impl IntoView {
    let waiting = load(|| (), |_| my_pending_reviews());
    view! {
        <section class="card">
            <h2>"待审核"</h2>
            {loaded(waiting, |list| {
                    if list.is_empty() {
                        return view! { <p class="muted">"目前没有等待您审核的材料。"</p> }.into_any();
                    }
                    view! {
                            <p>{format!("共 {} 份材料等待您审核：", list.len())}</p>
                            <ul>
                                {list.into_iter().map(|entry| view! {
                                    <li>
                                        <a href=format!("/review/{}", entry.material_id)>{entry.author}</a>
                                        {format!("（{}，第{}轮）", entry.meeting_title, entry.round)}
                                    </li>
                                }).collect_view()}
                            </ul>
                    }.into_any()
                })}
        </section>
    }
}

/// The materials returned to the person, each with the reason and the way back to it.
fn returned_notice(returned: Loaded<Vec<ReturnedMaterial>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match returned.await {
                    Ok(list) if list.is_empty() => ().into_any(),
                    Ok(list) => view! {
                        <section class="card notice warn returned-materials" aria-label="退回修改的材料">
                            <h2>"您的发言材料被退回修改"</h2>
                            <ul>
                                {list.into_iter().map(|material| view! {
                                    <li>
                                        <p class="comment-text">{material.notice()}</p>
                                        <p class="muted">{material.reviewer.clone()} " · " {material.at.clone()}</p>
                                        <a class="button" href=format!("/materials/{}", material.material_id)>"查看批注并修改"</a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn home(actor: Actor, returned: Loaded<Vec<ReturnedMaterial>>) -> impl IntoView {
    let is_secretary = actor.is_secretary();
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
        {returned_notice(returned)}
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
            {is_secretary.then(|| view! { <PendingReviews /> })}
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
