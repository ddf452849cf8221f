//! Administrators create accounts, reset passwords and disable accounts. Generated
//! passwords are shown once, here, and never stored.

use crate::server::branches::{BranchView, list_branches};
use crate::server::users::{CreateUser, ResetUserPassword, SetUserDisabled, UserView, list_users};
use crate::ui::components::error_notice::action_error;
#[cfg(feature = "hydrate")]
use crate::ui::components::issuing_form::ACCOUNTS_CHANGED;
use crate::ui::components::issuing_form::{Issuing, IssuingForm};
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::PostingForm;
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn UsersPage() -> impl IntoView {
    let create = ServerAction::<CreateUser>::new();
    let reset = ServerAction::<ResetUserPassword>::new();
    let disable = ServerAction::<SetUserDisabled>::new();
    let users = load(|| (), |_| list_users());
    let branches = load(|| (), |_| list_branches());
    view! {
        <Title text="账号管理 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! { <Users create reset disable users branches /> } />
    }
}

#[component]
fn Users(
    create: ServerAction<CreateUser>,
    reset: ServerAction<ResetUserPassword>,
    disable: ServerAction<SetUserDisabled>,
    users: Loaded<Vec<UserView>>,
    branches: Loaded<Vec<BranchView>>,
) -> impl IntoView {
    view! {
        <h1>"账号管理"</h1>
        // A generated password is shown only by the page's script, never sent in an address.
        <p class="notice warn script-fallback">"请启用 JavaScript：新建账号和重置密码生成的初始密码只在本页显示一次，页面脚本未运行时无法看到。"</p>
        {action_error(reset.into())}
        {action_error(disable.into())}
        <section class="card">
            <h2>"新建账号"</h2>
            <IssuingForm path=CreateUser::PATH.to_string() popup=false>
                <div class="grid two">
                    <div>
                        <label for="user-name">"姓名"</label>
                        <input id="user-name" name="name" type="text" required maxlength="32" />
                    </div>
                    <div>
                        <label for="user-login">"登录名/手机"</label>
                        <input id="user-login" name="login" type="text" required maxlength="64" autocapitalize="off" />
                    </div>
                    <div>
                        <label for="user-post">"职务"</label>
                        <input id="user-post" name="post" type="text" maxlength="64" />
                    </div>
                    <div>
                        <label for="user-role">"角色"</label>
                        <select id="user-role" name="role">
                            <option value="member">"党员"</option>
                            <option value="secretary">"支部书记"</option>
                            <option value="admin">"组织管理员（不属于支部）"</option>
                        </select>
                    </div>
                    <div>
                        <label for="user-branch">"所在支部"</label>
                        <select id="user-branch" name="branch_id">
                            <option value="">"请选择"</option>
                            <Transition fallback=|| ()>
                                {move || Suspend::new(async move {
                                    branches.await.unwrap_or_default().into_iter().map(|b| view! {
                                        <option value=b.id>{b.name}</option>
                                    }).collect_view()
                                })}
                            </Transition>
                        </select>
                    </div>
                </div>
                {action_error(create.into())}
                <div class="actions"><button type="submit">"创建账号"</button></div>
            </IssuingForm>
        </section>
        <section class="card">
            <h2>"全部账号"</h2>
            {loaded(users, |list| view! { <AccountTable users=list /> })}
        </section>
    }
}

/// The account list. It fetches itself again when an account was created here, so the new
/// account shows without reloading; 重置密码 and 停用 each ask for a confirmation first
/// (a fold that opens on the first click, with or without JavaScript).
#[island]
fn AccountTable(users: Vec<UserView>) -> impl IntoView {
    let rows = RwSignal::new(users);
    // The table lives as long as the page, so the listener is never removed.
    #[cfg(feature = "hydrate")]
    window_event_listener_untyped(ACCOUNTS_CHANGED, move |_| {
        leptos::task::spawn_local(async move {
            if let Ok(list) = list_users().await {
                rows.set(list);
            }
        });
    });
    view! {
        <div class="table-wrap">
            <table class="accounts">
                <thead><tr><th>"姓名"</th><th>"登录名"</th><th>"职务"</th><th>"支部与角色"</th><th>"状态"</th><th>"操作"</th></tr></thead>
                <tbody>
                    // Keyed by what a row shows: a row whose account changed is built afresh,
                    // so no form ever keeps another account's hidden fields.
                    <For each=move || rows.get() key=|user| format!("{user:?}") children=account_row />
                </tbody>
            </table>
        </div>
    }
}

fn account_row(user: UserView) -> impl IntoView {
    let roles = if user.is_org_admin {
        "组织管理员".to_string()
    } else {
        user.memberships
            .iter()
            .map(|(branch, role)| format!("{branch}·{role}"))
            .collect::<Vec<_>>()
            .join("、")
    };
    let disabled = user.disabled;
    let user_id = user.id.clone();
    let disable_path = || SetUserDisabled::PATH.to_string();
    let toggle = if disabled {
        view! {
            <PostingForm path=disable_path() class=None>
                <input type="hidden" name="user_id" value=user_id.clone() />
                <input type="hidden" name="disabled" value="false" />
                <button type="submit" class="secondary small">"启用"</button>
            </PostingForm>
        }
        .into_any()
    } else {
        view! {
            <details class="confirm">
                <summary class="button secondary small">"停用"</summary>
                <p>{format!("停用后{}无法登录，材料和台账保留。", user.name)}</p>
                <PostingForm path=disable_path() class=None>
                    <input type="hidden" name="user_id" value=user_id.clone() />
                    <input type="hidden" name="disabled" value="true" />
                    <button type="submit" class="small">"确认停用"</button>
                </PostingForm>
            </details>
        }
        .into_any()
    };
    view! {
        <tr class:disabled-row=disabled>
            <td>{user.name.clone()}</td>
            <td>{user.login}</td>
            <td>{user.post.unwrap_or_default()}</td>
            <td>{roles}</td>
            <td>{if disabled { "已停用" } else { "正常" }}</td>
            <td class="row-actions">
                <details class="confirm">
                    <summary class="button secondary small">"重置密码"</summary>
                    <p>{format!("重置后{}的原密码立即失效，新密码只显示一次。", user.name)}</p>
                    <Issuing path=ResetUserPassword::PATH.to_string() popup=true>
                        <input type="hidden" name="user_id" value=user.id />
                        <button type="submit" class="small">"确认重置"</button>
                    </Issuing>
                </details>
                {toggle}
            </td>
        </tr>
    }
}
