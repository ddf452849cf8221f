//! Administrators create accounts, reset passwords and disable accounts. Generated
//! passwords are shown once, here, and never stored.

use crate::server::AppError;
use crate::server::branches::{BranchView, list_branches};
use crate::server::users::{
    CreateUser, IssuedPassword, ResetUserPassword, SetUserDisabled, UserView, list_users,
};
use crate::ui::components::error_notice::{ErrorNotice, action_error};
use crate::ui::components::loaded::{Loaded, load};
use crate::ui::components::post_form::PostForm;
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

/// The one-time display of a generated password.
#[component]
pub fn IssuedPasswords(issued: Vec<IssuedPassword>) -> impl IntoView {
    view! {
        <div class="notice ok" role="status">
            <p>"以下初始密码只显示这一次，请当面或以安全方式告知本人；首次登录后须修改。"</p>
            <div class="table-wrap">
                <table class="issued">
                    <thead><tr><th>"姓名"</th><th>"登录名"</th><th>"初始密码"</th></tr></thead>
                    <tbody>
                        {issued.into_iter().map(|p| view! {
                            <tr><td>{p.name}</td><td>{p.login}</td><td><span class="secret">{p.password}</span></td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// A form whose server function answers with a generated password: posted in the
/// background so the password can be shown here, once, and never travels in an address.
#[island]
fn IssuingForm(path: String, children: Children) -> impl IntoView {
    let outcome = RwSignal::new(None::<Result<IssuedPassword, AppError>>);
    #[cfg(feature = "hydrate")]
    let on_submit = {
        use crate::ui::components::post_form::{Answer, post_submitted};
        let path = path.clone();
        move |event: leptos::ev::SubmitEvent| {
            let form = event.target();
            post_submitted(&event, path.clone(), move |answer| {
                let answer = answer.and_then(|answer| match answer {
                    Answer::Done(json) => {
                        serde_json::from_slice(json.as_bytes()).map_err(|_| AppError::Internal)
                    }
                    Answer::Redirect(_) => Err(AppError::Internal),
                });
                if answer.is_ok() {
                    use wasm_bindgen::JsCast;
                    if let Some(form) =
                        form.and_then(|f| f.dyn_into::<web_sys::HtmlFormElement>().ok())
                    {
                        form.reset();
                    }
                }
                outcome.set(Some(answer));
            });
        }
    };
    #[cfg(not(feature = "hydrate"))]
    let on_submit = |_: leptos::ev::SubmitEvent| {};
    view! {
        <form method="post" action=path on:submit=on_submit>{children()}</form>
        {move || outcome.get().map(|outcome| match outcome {
            Ok(issued) => view! {
                <IssuedPasswords issued=vec![issued] />
                <p><a href="/admin/users">"刷新账号列表"</a></p>
            }.into_any(),
            Err(error) => view! { <ErrorNotice error /> }.into_any(),
        })}
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
            <IssuingForm path=CreateUser::PATH.to_string()>
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
            <Transition fallback=|| view! { <p class="muted">"加载中…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) => view! {
                            <div class="table-wrap">
                                <table>
                                    <thead><tr><th>"姓名"</th><th>"登录名"</th><th>"职务"</th><th>"支部与角色"</th><th>"状态"</th><th>"操作"</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|u| {
                                            let roles = if u.is_org_admin {
                                                "组织管理员".to_string()
                                            } else {
                                                u.memberships.iter().map(|(b, r)| format!("{b}·{r}")).collect::<Vec<_>>().join("、")
                                            };
                                            let id_reset = u.id.clone();
                                            let id_toggle = u.id.clone();
                                            let disabled = u.disabled;
                                            view! {
                                                <tr class:disabled-row=disabled>
                                                    <td>{u.name}</td>
                                                    <td>{u.login}</td>
                                                    <td>{u.post.unwrap_or_default()}</td>
                                                    <td>{roles}</td>
                                                    <td>{if disabled { "已停用" } else { "正常" }}</td>
                                                    <td>
                                                        <IssuingForm path=ResetUserPassword::PATH.to_string()>
                                                            <input type="hidden" name="user_id" value=id_reset />
                                                            <button type="submit" class="secondary">"重置密码"</button>
                                                        </IssuingForm>
                                                        " "
                                                        <PostForm action=disable>
                                                            <input type="hidden" name="user_id" value=id_toggle />
                                                            <input type="hidden" name="disabled" value=if disabled { "false" } else { "true" } />
                                                            <button type="submit" class="secondary">{if disabled { "启用" } else { "停用" }}</button>
                                                        </PostForm>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
