//! The collective 班子对照检查材料 of a 民主生活会, for its 班子: the 主要负责人 starts it and
//! names the drafter; every 班子成员 reads the draft as it stands, comments on a part or an
//! item, and follows its versions in the 修订记录; the drafter opens it in the editor.

use crate::domain::document::blocks_with;
use crate::domain::material::MaterialState;
use crate::server::meetings::collective::{
    CollectiveDraft, CollectiveView, CommentCollectiveMaterial, DrafterChoice,
    SetCollectiveDrafter, StartCollectiveMaterial, collective_material,
};
use crate::ui::components::comment_list::group_comment_list;
use crate::ui::components::document_page::DocumentPage;
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn CollectivePage() -> impl IntoView {
    let params = use_params_map();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        collective_material,
    );
    view! {
        <Title text="班子对照检查材料 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <Collective data /> } />
    }
}

#[component]
fn Collective(data: Loaded<CollectiveView>) -> impl IntoView {
    let start = ServerAction::<StartCollectiveMaterial>::new();
    let drafter = ServerAction::<SetCollectiveDrafter>::new();
    let comment = ServerAction::<CommentCollectiveMaterial>::new();
    loaded(data, move |view| {
        let words = view.group_kind.words();
        let meeting_id = view.meeting_id.clone();
        let body = match view.draft.clone() {
            None if view.is_head => view! {
                <section class="card">
                    <h2>"起草班子对照检查材料"</h2>
                    <p class="hint">{format!(
                        "班子对照检查材料由{}主持起草，可指定一名{}执笔；起草中的稿子本班子成员都能阅读、提出意见和查看每一版的改动。",
                        words.head, words.member
                    )}</p>
                    <PostForm action=start>
                        <input type="hidden" name="meeting_id" value=view.meeting_id.clone() />
                        <label for="drafter">"执笔人"</label>
                        {drafter_select(&view.drafters, None)}
                        {action_error(start.into())}
                        <div class="actions"><button type="submit">"开始起草"</button></div>
                    </PostForm>
                </section>
            }
            .into_any(),
            None => view! {
                <p class="card muted">{format!("{}还没有开始起草班子对照检查材料。", words.head)}</p>
            }
            .into_any(),
            Some(draft) => draft_view(&view, draft, drafter, comment).into_any(),
        };
        view! {
            <p class="muted"><a href=format!("/meetings/{meeting_id}")>{view.meeting_title.clone()}</a> " / 班子对照检查材料"</p>
            <h1>"班子对照检查材料"</h1>
            {body}
        }
    })
}

fn drafter_select(choices: &[DrafterChoice], current: Option<&str>) -> impl IntoView + use<> {
    view! {
        <select id="drafter" name="drafter_id">
            {choices.iter().map(|c| {
                let selected = current == Some(c.user_id.as_str());
                view! { <option value=c.user_id.clone() selected=selected>{c.name.clone()}</option> }
            }).collect_view()}
        </select>
    }
}

fn draft_view(
    view: &CollectiveView,
    draft: CollectiveDraft,
    drafter: ServerAction<SetCollectiveDrafter>,
    comment: ServerAction<CommentCollectiveMaterial>,
) -> impl IntoView + use<> {
    let words = view.group_kind.words();
    let commented = succeeded(comment);
    let material_id = draft.material_id.clone();
    let layout = draft.template.layout();
    let editable = draft.state.editable();
    let meeting_id = view.meeting_id.clone();
    let head = view
        .is_head
        .then(|| (view.meeting_id.clone(), view.drafters.clone()));
    let is_drafter = view.is_drafter;
    let is_head = view.is_head;
    view! {
        <p>
            <span class="badge">{draft.state.label()}</span>
            {format!(" 执笔人：{} · 第{}版 · 更新于 {}", draft.drafter, draft.version, draft.updated_at)}
        </p>
        <p class="actions">
            {is_drafter.then(|| view! {
                <a class="button" href=format!("/materials/{material_id}")>"打开编辑"</a>
            })}
            {(is_head && draft.state == MaterialState::Submitted).then(|| view! {
                <a class="button" href=format!("/review/{material_id}")>"审核"</a>
            })}
            <a class="button secondary" href=format!("/materials/{material_id}/history")>"修订记录（每一版的改动）"</a>
        </p>
        {head.map(|(meeting_id, drafters)| view! {
            <details class="card">
                <summary>"更换执笔人"</summary>
                <PostForm action=drafter>
                    <input type="hidden" name="meeting_id" value=meeting_id />
                    <label for="drafter">"执笔人"</label>
                    {drafter_select(&drafters, Some(&draft.drafter_id))}
                    {action_error(drafter.into())}
                    <div class="actions"><button type="submit">"确定"</button></div>
                </PostForm>
            </details>
        })}
        <div class="review-layout">
            <div class="review-text">
                <DocumentPage blocks=blocks_with(&draft.content, layout) />
            </div>
            <aside class="review-side">
                <section class="card" id="group-comments">
                    <h2>{format!("{}意见", words.member)}</h2>
                    {commented.then(|| view! { <p class="notice ok" role="status">"意见已提交，执笔人修改时能看到。"</p> })}
                    {if draft.comments.is_empty() {
                        view! { <p class="muted">"还没有意见。"</p> }.into_any()
                    } else {
                        group_comment_list(draft.comments.clone()).into_any()
                    }}
                    {editable.then(|| view! {
                        <PostForm action=comment>
                            <input type="hidden" name="meeting_id" value=meeting_id.clone() />
                            <label for="anchor">"意见针对"</label>
                            <select id="anchor" name="anchor">
                                {draft.anchors.iter().map(|a| view! { <option value=a.code.clone()>{a.label.clone()}</option> }).collect_view()}
                            </select>
                            <label for="group-comment">"意见内容"</label>
                            <textarea id="group-comment" name="text" rows="3" required maxlength="2000"
                                placeholder="例如：第二个问题的事例可补充班子研究部署的具体情况"></textarea>
                            {action_error(comment.into())}
                            <div class="actions"><button type="submit">"提出意见"</button></div>
                        </PostForm>
                    })}
                </section>
            </aside>
        </div>
    }
}
