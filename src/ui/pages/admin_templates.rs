//! Administrators publish material templates to every branch of the organisation.

use crate::server::templates::{
    OrgTemplatesView, PublishOrgTemplate, WithdrawOrgTemplate, org_templates,
};
use crate::ui::components::error_notice::{ErrorNotice, action_error};
use crate::ui::components::loaded::{Loaded, load};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::pages::session_template::template_fields;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn TemplatesPage() -> impl IntoView {
    let query = use_query_map();
    let publish = ServerAction::<PublishOrgTemplate>::new();
    let withdraw = ServerAction::<WithdrawOrgTemplate>::new();
    let data = load(
        move || query.read().get("from").unwrap_or_default(),
        org_templates,
    );
    view! {
        <Title text="材料模板 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! { <Templates publish withdraw data /> } />
    }
}

#[component]
fn Templates(
    publish: ServerAction<PublishOrgTemplate>,
    withdraw: ServerAction<WithdrawOrgTemplate>,
    data: Loaded<OrgTemplatesView>,
) -> impl IntoView {
    view! {
        <h1>"材料模板"</h1>
        <p class="hint">"这里发布的模板会出现在各支部书记新建会议时的模板列表中。已用模板新建的会议保留自己的一份，撤回不影响它们。"</p>
        <Suspense fallback=|| view! { <p class="muted">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Page view publish withdraw /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Page(
    view: OrgTemplatesView,
    publish: ServerAction<PublishOrgTemplate>,
    withdraw: ServerAction<WithdrawOrgTemplate>,
) -> impl IntoView {
    let OrgTemplatesView {
        published,
        builtins,
        from,
        form,
    } = view;
    view! {
        <section class="card">
            <h2>"已发布"</h2>
            {action_error(withdraw.into())}
            {if published.is_empty() {
                view! { <p class="muted">"还没有发布模板，各支部可使用内置模板。"</p> }.into_any()
            } else {
                view! {
                    <ul class="session-list">
                        {published.into_iter().map(|t| view! {
                            <li>
                                {t.name} <span class="muted">" 发布于 " {t.published_at}</span>
                                <PostForm action=withdraw class="inline-form">
                                    <input type="hidden" name="template_id" value=t.id />
                                    <button type="submit" class="secondary">"撤回"</button>
                                </PostForm>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card">
            <h2>"发布新模板"</h2>
            <form method="get" class="inline-form">
                <label for="from">"从内置模板开始"</label>
                <select id="from" name="from">
                    {builtins.into_iter().map(|b| {
                        let selected = b.key == from;
                        view! { <option value=b.key selected=selected>{b.name}</option> }
                    }).collect_view()}
                </select>
                <button type="submit" class="secondary">"载入"</button>
            </form>
            <PostForm action=publish class="template-form">
                {template_fields(form)}
                {action_error(publish.into())}
                <div class="actions"><button type="submit">"发布到全部支部"</button></div>
            </PostForm>
        </section>
    }
}
