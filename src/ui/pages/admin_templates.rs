//! Administrators publish material templates to every branch of the organisation, and
//! download, edit and upload the yearly policy packs (docs/TEMPLATES.md).

use crate::server::AppError;
use crate::server::packs::{PACK_FIELD, PackEntry, UploadPolicyPack};
use crate::server::templates::{
    OrgTemplatesView, PublishOrgTemplate, WithdrawOrgTemplate, org_templates,
};
use crate::ui::components::error_notice::{ErrorNotice, action_error};
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::components::template_fields::template_fields;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
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
        {loaded(data, move |view| view! { <Page view publish withdraw /> })}
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
        packs,
    } = view;
    view! {
        <PackSection packs />
        <section class="card">
            <h2>"已发布"</h2>
            {action_error(withdraw.into())}
            {if published.is_empty() {
                view! { <p class="muted">"还没有发布模板，各支部可使用内置模板。"</p> }.into_any()
            } else {
                view! {
                    <ul class="meeting-list">
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

/// The yearly policy packs: each can be downloaded, edited and uploaded again. The upload is
/// a plain form, so it works without JavaScript; a refused file comes back in the address
/// with every problem on its line.
#[component]
fn PackSection(packs: Vec<PackEntry>) -> impl IntoView {
    let posted_error = use_context::<leptos::server::ServerActionError>()
        .filter(|error| error.path() == UploadPolicyPack::PATH)
        .map(|error| {
            leptos::server_fn::error::ServerFnUrlError::<AppError>::decode_err(error.err())
        });
    let uploaded = use_query_map()
        .read_untracked()
        .get(crate::ui::components::post_form::DONE_PARAM)
        .is_some_and(|done| done == UploadPolicyPack::PATH);
    view! {
        <section class="card" aria-label="年度模板文件">
            <h2>"年度模板文件"</h2>
            <p class="hint">
                "每个年度模板是一份数据文件（TOML 格式）：会议类型、主题、查摆方面及其出处、各部分的写作提示和字数、时限要求、提法和套话词表、会议议程。"
                "下载后用记事本等编辑，再上传即可；各支部新建会议时就能选用。与内置模板 key 相同的文件会替换内置模板，新的 key 则新增一个模板。"
                "新建会议默认使用同类型中年度最新的模板。"
            </p>
            {uploaded.then(|| view! {
                <p class="notice ok" role="status">"模板文件已上传，各支部新建会议时即可选用。"</p>
            })}
            <table class="pack-list">
                <thead>
                    <tr><th>"模板"</th><th>"年度"</th><th>"会议类型"</th><th>"查摆方面"</th><th>"来源"</th><th></th></tr>
                </thead>
                <tbody>
                    {packs.into_iter().map(|pack| view! {
                        <tr>
                            <td>
                                {pack.name.clone()}
                                {pack.newest.then(|| view! { <span class="muted">" （新建会议默认）"</span> })}
                            </td>
                            <td>{pack.year}</td>
                            <td>{pack.meeting_type}</td>
                            <td>{format!("{} 个", pack.aspects)}</td>
                            <td>{if pack.uploaded { "本单位上传" } else { "内置" }}</td>
                            <td><a href=pack.href download=format!("{}.toml", pack.key)>"下载"</a></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            <form method="post" enctype="multipart/form-data" action=UploadPolicyPack::url()>
                <label for="pack-file">"上传模板文件（.toml）"</label>
                <input id="pack-file" name=PACK_FIELD type="file" accept=".toml,text/plain" required />
                <p class="hint">"上传前会逐项检查；文件有任何问题都不会生效，并列出每个问题所在的行。"</p>
                <div class="actions"><button type="submit">"检查并上传"</button></div>
            </form>
            {posted_error.map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}
