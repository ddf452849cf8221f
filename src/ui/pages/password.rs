//! Changing one's own password. Other login sessions of the account end.

use crate::domain::policy::Actor;
use crate::server::auth::ChangePassword;
use crate::ui::components::error_notice::action_error;
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PasswordPage() -> impl IntoView {
    view! {
        <Title text="修改密码 · 省身" />
        <Protected
            audience=Audience::AnyoneLoggedIn
            page=|actor: Actor| view! { <PasswordForm must_change=actor.must_change_password /> }
        />
    }
}

#[component]
fn PasswordForm(must_change: bool) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let done = succeeded(change);
    view! {
        <div class="card narrow">
            <h1>"修改密码"</h1>
            {must_change.then(|| view! {
                <p class="notice warn" role="alert">
                    "您正在使用管理员生成的初始密码。请先设置您自己的新密码，之后才能使用其他功能。"
                </p>
            })}
            {done.then(|| view! {
                <p class="notice ok" role="status">
                    "密码已修改。您在其他设备上的登录已全部退出。"
                </p>
            })}
            <PostForm action=change>
                <label for="current">"当前密码"</label>
                <input id="current" name="current" type="password" autocomplete="current-password" required />
                <label for="new">"新密码"</label>
                <input id="new" name="new" type="password" autocomplete="new-password" required minlength="10" />
                <p class="hint">"至少 10 个字符，可以是一句好记的话；不能包含登录名。"</p>
                <label for="confirm">"再次输入新密码"</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
                {action_error(change.into())}
                <div class="actions">
                    <button type="submit">"保存新密码"</button>
                </div>
            </PostForm>
        </div>
    }
}
