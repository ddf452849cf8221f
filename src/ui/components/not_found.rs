//! The Chinese "not found" page, with a real 404 status.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="页面不存在 · 省身" />
        <div class="card narrow">
            <h1>"页面不存在"</h1>
            <p>"您要找的页面不存在，或者您没有查看它的权限。"</p>
            <div class="actions">
                <a class="button" href="/">"返回首页"</a>
            </div>
        </div>
    }
}
