//! Reviewing one submitted round: the text as it will print, each 批注 beside the spot it
//! is anchored to, what changed since the previous round, the 材料体检, the history of
//! rounds and decisions, and the decision itself (退回修改 with a reason, or 审核通过).

use crate::domain::document::blocks;
use crate::server::AppError;
use crate::server::sessions::{
    CommentOnMaterial, CommentView, DecideMaterial, ReviewView, review_material,
};
use crate::ui::components::diff::DiffView;
use crate::ui::components::error_notice::{ErrorNotice, action_error};
use crate::ui::components::loaded::{Loaded, load};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::components::similarity::{SimilarityPanel, SimilarityResource, similarity_resource};
use crate::ui::pages::not_found::NotFound;
use crate::ui::pages::preview::Page;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn ReviewPage() -> impl IntoView {
    let params = use_params_map();
    let comment = ServerAction::<CommentOnMaterial>::new();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        review_material,
    );
    let similarity = similarity_resource(move || params.read().get("id"));
    view! {
        <Title text="审阅材料 · 省身" />
        <Protected
            audience=Audience::AnyoneLoggedIn
            page=move |_| view! { <Review comment data similarity /> }
        />
    }
}

#[component]
fn Review(
    comment: ServerAction<CommentOnMaterial>,
    data: Loaded<ReviewView>,
    similarity: SimilarityResource,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p class="muted">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Round view comment similarity /> }.into_any(),
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The comments of a list, each with its spot.
pub fn comment_list(comments: Vec<CommentView>) -> impl IntoView {
    view! {
        <ul class="comments">
            {comments.into_iter().map(|c| view! {
                <li class="comment">
                    <p class="comment-spot">{format!("第{}轮 · {}", c.round, c.anchor_label)}</p>
                    <p class="comment-text">{c.text}</p>
                    <p class="muted">{c.author} " · " {c.at}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Round(
    view: ReviewView,
    comment: ServerAction<CommentOnMaterial>,
    similarity: SimilarityResource,
) -> impl IntoView {
    let decide = ServerAction::<DecideMaterial>::new();
    let ReviewView {
        material_id,
        meeting_id: _,
        meeting_title,
        author,
        progress,
        round,
        content,
        template: _,
        findings,
        anchors,
        comments,
        decisions,
        changes,
        pending,
        back,
    } = view;
    let decide_id = material_id.clone();
    let this_round: Vec<CommentView> = comments
        .iter()
        .filter(|c| c.round == round)
        .cloned()
        .collect();
    let earlier: Vec<CommentView> = comments.into_iter().filter(|c| c.round != round).collect();
    view! {
        <p class="muted"><a href=back>{meeting_title}</a> " / 审阅"</p>
        <h1>{format!("{author} 的材料 · 第{round}轮提交")}</h1>
        <p><span class="badge">{progress.label()}</span></p>
        {pending.then(|| view! {
            <nav class="review-jump" aria-label="审阅操作">
                <a class="button secondary" href="#review-comment">"添加批注"</a>
                <a class="button" href="#review-decision">"审核结论"</a>
            </nav>
        })}
        <div class="review-layout">
            <div class="review-text">
                <Page blocks=blocks(&content) />
            </div>
            <aside class="review-side">
                <section class="card" id="review-comment">
                    <h2>"本轮批注"</h2>
                    {if this_round.is_empty() {
                        view! { <p class="muted">"还没有批注。"</p> }.into_any()
                    } else {
                        comment_list(this_round).into_any()
                    }}
                    {pending.then(|| view! {
                        <PostForm action=comment>
                            <input type="hidden" name="material_id" value=material_id.clone() />
                            <input type="hidden" name="round" value=round.to_string() />
                            <label for="anchor">"批注位置"</label>
                            <select id="anchor" name="anchor">
                                {anchors.into_iter().map(|a| view! { <option value=a.code>{a.label}</option> }).collect_view()}
                            </select>
                            <label for="comment-text">"批注内容"</label>
                            <textarea id="comment-text" name="text" rows="3" required maxlength="2000" placeholder="例如：事例不够具体，请写明时间和数字"></textarea>
                            {action_error(comment.into())}
                            <div class="actions"><button type="submit">"添加批注"</button></div>
                        </PostForm>
                    })}
                </section>
                {pending.then(|| view! {
                    <section class="card" id="review-decision">
                        <h2>"审核结论"</h2>
                        <PostForm action=decide>
                            <input type="hidden" name="material_id" value=decide_id.clone() />
                            <input type="hidden" name="round" value=round.to_string() />
                            <label class="inline"><input type="radio" name="decision" value="approved" checked /> "审核通过"</label>
                            <label class="inline"><input type="radio" name="decision" value="returned" /> "退回修改"</label>
                            <label for="reason">"理由（退回时必填，作者可见）"</label>
                            <textarea id="reason" name="reason" rows="3" maxlength="2000"></textarea>
                            {action_error(decide.into())}
                            <div class="actions"><button type="submit">"提交审核结论"</button></div>
                        </PostForm>
                    </section>
                })}
                <SimilarityPanel data=similarity />
                <section class="card">
                    <h2>"材料体检"</h2>
                    {if findings.is_empty() {
                        view! { <p>"没有发现问题。"</p> }.into_any()
                    } else {
                        view! {
                            <ul class="findings">
                                {findings.into_iter().map(|f| view! { <li>{f.message}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }}
                </section>
                {(!changes.is_empty()).then(|| view! {
                    <section class="card">
                        <h2>{format!("与第{}轮相比的修改", round - 1)}</h2>
                        <DiffView lines=changes />
                    </section>
                })}
                <section class="card">
                    <h2>"审核记录"</h2>
                    {if decisions.is_empty() && earlier.is_empty() {
                        view! { <p class="muted">"这是第一轮提交。"</p> }.into_any()
                    } else {
                        view! {
                            <ul class="decisions">
                                {decisions.into_iter().map(|d| view! {
                                    <li>{format!("第{}轮 · {}：{}", d.round, d.stage, d.decision)}
                                        {(!d.reason.is_empty()).then(|| format!("（{}）", d.reason))}
                                        <span class="muted">" " {d.reviewer} " · " {d.at}</span></li>
                                }).collect_view()}
                            </ul>
                            {comment_list(earlier)}
                        }.into_any()
                    }}
                </section>
            </aside>
        </div>
    }
}
