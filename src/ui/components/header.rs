//! The site header: brand, navigation for the person's roles, who is logged in, logout.

use crate::app::UserResource;
use crate::domain::policy::Actor;
use crate::server::auth::Logout;
use crate::ui::components::loaded::load;
use crate::ui::components::post_form::PostForm;
use leptos::prelude::*;
use leptos_router::components::A;

fn role_label(actor: &Actor) -> &'static str {
    if actor.is_org_admin {
        "组织管理员"
    } else if actor.is_secretary() {
        "支部书记"
    } else {
        "党员"
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<UserResource>();
    let logout = ServerAction::<Logout>::new();
    // Counted for every page, so the badge follows what was just done.
    let reminders = load(|| (), |_| crate::server::ledger::my_reminder_count());
    view! {
        <header class="site-header">
            <a class="brand" href="/">"省身"</a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(actor)) => {
                            let label = role_label(&actor);
                            let reminder_count = reminders.await.unwrap_or(0);
                            view! {
                                <nav class="site-nav" aria-label="主导航">
                                    <A href="/">"首页"</A>
                                    <A href="/materials">"我的材料"</A>
                                    <A href="/ledger">"我的整改"</A>
                                    <A href="/reminders">
                                        "提醒"
                                        {(reminder_count > 0).then(|| view! {
                                            <span class="count-badge" aria-label=format!("{reminder_count} 条提醒")>{reminder_count}</span>
                                        })}
                                    </A>
                                    <A href="/format">"格式整理"</A>
                                    <Show when={
                                        let secretary = actor.is_secretary();
                                        move || secretary
                                    }>
                                        <A href="/sessions">"支部会次"</A>
                                    </Show>
                                    <Show when={
                                        let admin = actor.is_org_admin;
                                        move || admin
                                    }>
                                        <A href="/admin/branches">"支部"</A>
                                        <A href="/admin/users">"账号"</A>
                                        <A href="/admin/roster">"导入名单"</A>
                                        <A href="/admin/templates">"材料模板"</A>
                                        <A href="/ledger/org">"整改总台账"</A>
                                        <A href="/reviews">"待我审核"</A>
                                    </Show>
                                    <A href="/account/password">"修改密码"</A>
                                </nav>
                                <div class="site-user">
                                    <span class="user-name">{actor.name.clone()}</span>
                                    <span class="role-tag">{label}</span>
                                    <PostForm action=logout>
                                        <button type="submit">"退出"</button>
                                    </PostForm>
                                </div>
                            }
                                .into_any()
                        }
                        _ => view! {
                            <nav class="site-nav" aria-label="主导航">
                                <A href="/login">"登录"</A>
                                <A href="/format">"格式整理"</A>
                            </nav>
                        }.into_any(),
                    }
                })}
            </Transition>
        </header>
    }
}
