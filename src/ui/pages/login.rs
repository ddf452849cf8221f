//! The login page. A plain form post that works without JavaScript; with it, the same
//! form is submitted in the background and a refusal keeps what was typed.

use crate::app::UserResource;
use crate::server::auth::Login;
use crate::ui::components::error_notice::action_error;
use crate::ui::components::post_form::PostForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let login = ServerAction::<Login>::new();
    let user = expect_context::<UserResource>();
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="登录 · 省身" />
        <div class="card narrow">
            <h1>"登录省身"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    user.await
                        .ok()
                        .flatten()
                        .map(|actor| {
                            view! {
                                <p class="notice ok">
                                    "您已以 " {actor.name} " 的身份登录。" <a href="/">"进入首页"</a>
                                </p>
                            }
                        })
                })}
            </Suspense>
            <PostForm action=login>
                <input type="hidden" name="next" value=next />
                <label for="login">"登录名"</label>
                <input
                    id="login"
                    name="login"
                    type="text"
                    autocomplete="username"
                    autocapitalize="off"
                    spellcheck="false"
                    required
                />
                <label for="password">"密码"</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                {action_error(login.into())}
                <div class="actions">
                    <button type="submit">"登录"</button>
                </div>
            </PostForm>
            <p class="hint">"忘记密码请联系本单位组织管理员重置。"</p>
        </div>
    }
}
