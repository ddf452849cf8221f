//! The site header: brand, navigation for the person's roles, who is logged in, logout.

use crate::app::UserResource;
use crate::domain::Role;
use crate::domain::policy::Actor;
use crate::server::auth::Logout;
use crate::ui::components::loaded::load;
use crate::ui::components::post_form::PostForm;
use leptos::prelude::*;

/// The actor's role as their groups call it: a 主要负责人 is not a 支部书记.
fn role_label(actor: &Actor) -> &'static str {
    if actor.is_org_admin {
        return "组织管理员";
    }
    let led = |role| {
        actor
            .memberships
            .iter()
            .find(|m| m.role == role)
            .map(|m| role.label_in(m.group_kind))
    };
    led(Role::Secretary)
        .or_else(|| led(Role::Member))
        .unwrap_or("党员")
}

/// The navigation entry a page belongs to: the one marked current. A branch's 台账 is part
/// of the secretary's 组织生活会 (an administrator reaches it from 整改总台账); an item page is
/// the person's own 整改.
fn current_tab(path: &str, secretary: bool) -> &'static str {
    let path = path.trim_end_matches('/');
    let under = |prefix: &str| path == prefix || path.starts_with(&format!("{prefix}/"));
    if path.is_empty() {
        "/"
    } else if under("/ledger/branch") {
        if secretary {
            "/meetings"
        } else {
            "/ledger/org"
        }
    } else if under("/ledger/org") {
        "/ledger/org"
    } else if under("/ledger") {
        "/ledger"
    } else if under("/meetings") {
        "/meetings"
    } else if under("/materials") {
        "/materials"
    } else {
        [
            "/reminders",
            "/format",
            "/admin/branches",
            "/admin/users",
            "/admin/roster",
            "/admin/templates",
            "/admin/notify",
            "/admin/tree",
            "/admin/overview",
            "/reviews",
            "/supervision",
            "/account/password",
            "/login",
        ]
        .into_iter()
        .find(|prefix| under(prefix))
        .unwrap_or("")
    }
}

/// A navigation link, marked when the page belongs to it.
fn tab(href: &'static str, current: &'static str, label: impl IntoView) -> impl IntoView {
    view! { <a href=href aria-current=(href == current).then_some("page")>{label}</a> }
}

#[component]
pub fn Header() -> impl IntoView {
    let user = expect_context::<UserResource>();
    let logout = ServerAction::<Logout>::new();
    // Counted for every page, so the badge follows what was just done.
    let reminders = load(|| (), |_| crate::server::ledger::my_reminder_count());
    // "我的督导" shows only for someone on a 督导组.
    let supervisions = load(|| (), |_| crate::server::supervision::my_supervisions());
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    view! {
        <header class="site-header">
            <a class="brand" href="/">"省身"</a>
            <Transition fallback=|| ()>
                {move || {
                let path = path.clone();
                Suspend::new(async move {
                    match user.await {
                        Ok(Some(actor)) => {
                            let label = role_label(&actor);
                            let reminder_count = reminders.await.unwrap_or(0);
                            let supervising = supervisions.await.is_ok_and(|list| !list.is_empty());
                            let current = current_tab(&path, actor.is_secretary());
                            let reminders_label = view! {
                                "提醒"
                                {(reminder_count > 0).then(|| view! {
                                    <span class="count-badge" aria-label=format!("{reminder_count} 条提醒")>{reminder_count}</span>
                                })}
                            };
                            view! {
                                <nav class="site-nav" aria-label="主导航">
                                    {tab("/", current, "首页")}
                                    {tab("/materials", current, "我的材料")}
                                    {tab("/ledger", current, "我的整改")}
                                    {tab("/reminders", current, reminders_label)}
                                    {tab("/format", current, "格式整理")}
                                    {supervising.then(|| tab("/supervision", current, "我的督导"))}
                                    {actor.is_secretary().then(|| tab("/meetings", current, "组织生活会"))}
                                    {actor.is_org_admin.then(|| view! {
                                        {tab("/admin/branches", current, "支部")}
                                        {tab("/admin/users", current, "账号")}
                                        {tab("/admin/roster", current, "导入名单")}
                                        {tab("/admin/templates", current, "材料模板")}
                                        {tab("/admin/notify", current, "通知")}
                                        {tab("/admin/tree", current, "组织架构")}
                                        {tab("/admin/overview", current, "会议总览")}
                                        {tab("/ledger/org", current, "整改总台账")}
                                        {tab("/reviews", current, "待我审核")}
                                    })}
                                    {tab("/account/password", current, "修改密码")}
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
                        _ => {
                            let current = current_tab(&path, false);
                            view! {
                                <nav class="site-nav" aria-label="主导航">
                                    {tab("/login", current, "登录")}
                                    {tab("/format", current, "格式整理")}
                                </nav>
                            }.into_any()
                        }
                    }
                })
                }}
            </Transition>
        </header>
    }
}

#[cfg(test)]
mod tests {
    use super::current_tab;

    #[test]
    fn each_page_marks_the_navigation_entry_it_belongs_to() {
        assert_eq!(current_tab("/", false), "/");
        assert_eq!(current_tab("/ledger", false), "/ledger");
        assert_eq!(current_tab("/ledger/item/abc", false), "/ledger");
        assert_eq!(current_tab("/ledger/branch/b1", true), "/meetings");
        assert_eq!(current_tab("/ledger/branch/b1", false), "/ledger/org");
        assert_eq!(current_tab("/ledger/org", false), "/ledger/org");
        assert_eq!(current_tab("/meetings/m1/opinions", true), "/meetings");
        assert_eq!(current_tab("/materials/m1/history", false), "/materials");
        assert_eq!(current_tab("/admin/users", false), "/admin/users");
        assert_eq!(current_tab("/formatting", false), "");
        assert_eq!(current_tab("/nowhere", false), "");
    }
}
