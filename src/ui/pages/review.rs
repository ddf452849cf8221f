//! Reviewing one submitted round: the text as it will print, each 批注 beside the spot it
//! is anchored to, what changed since the previous round, the 材料体检, the history of
//! rounds and decisions, and the decision itself (退回修改 with a reason, or 审核通过).

use crate::domain::document::blocks_with;
use crate::server::meetings::{
    CommentOnMaterial, CommentView, DecideMaterial, NextReview, ReviewView, review_material,
};
use crate::ui::components::comment_list::comment_list;
use crate::ui::components::diff::DiffView;
use crate::ui::components::document_page::DocumentPage;
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::components::similarity::{SimilarityPanel, SimilarityResource, similarity_resource};
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
        <Title text="审核材料 · 省身" />
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
    loaded(
        data,
        move |view| view! { <Round view comment similarity /> },
    )
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
        template,
        findings,
        anchors,
        comments,
        decisions,
        changes,
        pending,
        back,
        next,
    } = view;
    let layout = template.layout();
    let decide_id = material_id.clone();
    // This round's decision, once made: confirmed when the page comes back from making it.
    let decided = decisions
        .iter()
        .rev()
        .find(|d| d.round == round)
        .map(|d| d.decision.clone());
    let just_decided = succeeded(decide);
    let back_after = back.clone();
    let this_round: Vec<CommentView> = comments
        .iter()
        .filter(|c| c.round == round)
        .cloned()
        .collect();
    let earlier: Vec<CommentView> = comments.into_iter().filter(|c| c.round != round).collect();
    view! {
        <p class="muted"><a href=back>{meeting_title}</a> " / 审核"</p>
        <h1>{format!("{author} 的材料 · 第{round}轮提交")}</h1>
        <p><span class="badge">{progress.label()}</span></p>
        {pending.then(|| view! {
            <nav class="review-jump" aria-label="审核操作">
                <a class="button secondary" href="#review-comment">"添加批注"</a>
                <a class="button" href="#review-decision">"审核结论"</a>
            </nav>
        })}
        <div class="review-layout">
            <div class="review-text">
                <DocumentPage blocks=blocks_with(&content, layout) />
            </div>
            <aside class="review-side">
                <section class="card" id="review-comment">
                    <h2>"本轮批注"</h2>
                    {if this_round.is_empty() {
                        view! { <p class="muted">"还没有批注。"</p> }.into_any()
                    } else {
                        comment_list(this_round, round).into_any()
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
                            // No choice is made for the reviewer: `required` keeps the browser
                            // (with or without JavaScript) from sending the form, and what was
                            // typed, until one is picked; the server refuses a post without one.
                            <fieldset class="decision">
                                <legend>"请选择审核结论"</legend>
                                <label class="inline"><input type="radio" name="decision" value="returned" required /> "退回修改"</label>
                                <label class="inline"><input type="radio" name="decision" value="approved" required /> "审核通过"</label>
                            </fieldset>
                            <label for="reason">"理由（退回时必填，作者可见）"</label>
                            <textarea id="reason" name="reason" rows="3" maxlength="2000"></textarea>
                            {action_error(decide.into())}
                            <div class="actions"><button type="submit">"提交审核结论"</button></div>
                        </PostForm>
                    </section>
                })}
                {(!pending).then(|| decided_card(just_decided.then_some(decided).flatten(), next, &back_after))}
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
                            {comment_list(earlier, round)}
                        }.into_any()
                    }}
                </section>
            </aside>
        </div>
    }
}

/// After a decision (or on a round that no longer waits for this reviewer): what was
/// decided, when the page comes back from deciding, and the next material waiting.
fn decided_card(decided: Option<String>, next: Option<NextReview>, back: &str) -> impl IntoView {
    let back_label = if back.starts_with("/meetings/") {
        "返回会议总览"
    } else {
        "返回待我审核的材料"
    };
    view! {
        <section class="card" aria-label="下一份待审材料">
            {decided.map(|decision| view! {
                <p class="notice ok" role="status">{format!("已提交审核结论：{decision}。")}</p>
            })}
            {match next {
                Some(next) => view! {
                    <p>"下一份待审材料："
                        <a href=format!("/review/{}", next.material_id)>
                            {format!("{} 的材料（第{}轮提交）", next.author, next.round)}
                        </a>
                    </p>
                }.into_any(),
                None => view! { <p class="muted">"本次会议暂时没有其他等待您审核的材料。"</p> }.into_any(),
            }}
            <p><a href=back.to_string()>{back_label}</a></p>
        </section>
    }
}
