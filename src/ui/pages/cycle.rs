//! The meeting and after: a participant's page (opinions received, criticism to write, talks,
//! the survey and the ballot), the anonymous 征求意见 form, the secret ballot, and the
//! secretary's pages for opinions, the meeting record and the 报送. Every form posts without
//! JavaScript; with it, the page reloads its data after each action.

mod ballot;
mod criticism;
mod evaluation;
mod minutes;
mod opinions;
mod report;
mod survey;
mod talks;

pub use ballot::*;
use criticism::criticism_section;
pub use evaluation::*;
pub use minutes::*;
pub use opinions::*;
pub use report::*;
pub use survey::*;
use talks::talk_section;

use crate::domain::cycle::{CriticismMode, Grade, SpeakerStatus, SurveyScope};
use crate::domain::material::MaterialState;
use crate::server::AppError;
use crate::server::cycle::*;
use crate::ui::components::diff::DiffView;
use crate::ui::components::document_page::DocumentPage;
use crate::ui::components::download::DownloadLink;
use crate::ui::components::error_notice::{ErrorNotice, action_error};
use crate::ui::components::loaded::{load, loaded};
use crate::ui::components::meeting_tabs::meeting_tabs;
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// "已保存" on the page loaded after the action succeeded, its error after it failed.
fn outcome<I, O>(action: ServerAction<I>, done: &'static str) -> impl IntoView
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    let succeeded = succeeded(action);
    let action: Action<I, Result<O, AppError>> = action.into();
    match action.value().get_untracked() {
        Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
        _ if succeeded => Some(view! { <p class="notice ok" role="status">{done}</p> }.into_any()),
        _ => None,
    }
}

fn meeting_id() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("id").unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// A participant's page.

#[derive(Clone, Copy)]
struct MemberActions {
    criticise: ServerAction<WriteCriticism>,
    answer: ServerAction<AnswerOpinion>,
    talk: ServerAction<LogTalk>,
    remove: ServerAction<RemoveOpinion>,
}

#[component]
pub fn MemberCyclePage() -> impl IntoView {
    let id = meeting_id();
    let actions = MemberActions {
        criticise: ServerAction::new(),
        answer: ServerAction::new(),
        talk: ServerAction::new(),
        remove: ServerAction::new(),
    };
    let data = load(id, member_cycle);
    view! {
        <Title text="会前会后 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| loaded(data, move |view| member_page(view, actions)) />
    }
}

fn member_page(view: MemberCycleView, actions: MemberActions) -> impl IntoView {
    let meeting_id = view.meeting_id.clone();
    let received = view.received.clone();
    let material_link = view.material.as_ref().map(|(id, state)| {
        view! { <p>"我的材料：" <a href=format!("/materials/{id}")>{state.label()}</a></p> }
    });
    view! {
        <p class="muted"><a href="/materials">"我的材料"</a></p>
        <h1>{view.title.clone()} " · 会前会后"</h1>
        {material_link}
        {view.is_secretary.then(|| view! {
            <p><a href=format!("/meetings/{meeting_id}/materials")>"进入本次会议的管理页"</a></p>
        })}
        {view.is_recorder.then(|| view! {
            <p class="notice ok">"您是本次会议的记录人：" <a href=format!("/meetings/{meeting_id}/minutes")>"填写会议记录"</a></p>
        })}
        <section class="card">
            <h2>"征求意见"</h2>
            {if view.survey_answered {
                view! { <p class="notice ok">"您已提交本次征求意见。意见以匿名方式汇总，不记录填写人。"</p> }.into_any()
            } else if view.survey_open {
                view! { <p><a class="button" href=format!("/survey/{meeting_id}")>"填写征求意见表（匿名）"</a></p> }.into_any()
            } else {
                view! { <p class="muted">"征求意见未在进行中。"</p> }.into_any()
            }}
        </section>
        <section class="card">
            <h2>"收到的意见"</h2>
            <p class="hint">"征求意见由支部汇总后反馈给您，不显示提出人；书面批评意见显示提出人。每条意见请在材料的问题查摆中回应，不采纳的请在此说明理由。"</p>
            {outcome(actions.answer, "已保存")}
            {if received.is_empty() {
                view! { <p class="muted">"暂无反馈给您的意见。"</p> }.into_any()
            } else {
                received.into_iter().map(|opinion| {
                    let from = opinion.from.clone().map(|name| format!("（{name}）")).unwrap_or_default();
                    let id = opinion.id.clone();
                    let response = opinion.response.clone().unwrap_or_default();
                    let declined = opinion.declined.clone().unwrap_or_default();
                    let article_id = format!("opinion-{id}");
                    view! {
                        <article class="opinion" id=article_id>
                            <p><strong>{opinion.kind.label()}</strong>{from}"："{opinion.text.clone()}</p>
                            <PostForm action=actions.answer>
                                <input type="hidden" name="opinion_id" value=id.clone() />
                                <label for=format!("response-{id}")>"我的回应（选填）"</label>
                                <textarea id=format!("response-{id}") name="response" rows="2">{response}</textarea>
                                <label for=format!("declined-{id}")>"不采纳的理由（采纳的请留空，并在材料中回应）"</label>
                                <textarea id=format!("declined-{id}") name="declined" rows="2">{declined}</textarea>
                                <div class="actions"><button type="submit" class="secondary">"保存回应"</button></div>
                            </PostForm>
                        </article>
                    }
                }).collect_view().into_any()
            }}
        </section>
        {criticism_section(&view, actions)}
        {talk_section(&view, actions)}
        {view.evaluation_enabled.then(|| view! {
            <section class="card">
                <h2>"民主评议党员"</h2>
                <p><a class="button" href=format!("/evaluation/{meeting_id}")>"个人自评、互评测评和评议结果"</a></p>
            </section>
        })}
        {view.ballot_open.then(|| view! {
            <section class="card">
                <h2>"民主测评"</h2>
                {if view.voted {
                    view! { <p class="notice ok">"您已投票。测评为无记名投票，只统计票数。"</p> }.into_any()
                } else {
                    view! { <p><a class="button" href=format!("/ballot/{meeting_id}")>"参加民主测评（无记名）"</a></p> }.into_any()
                }}
            </section>
        })}
    }
}

// ---------------------------------------------------------------------------------------
// The anonymous 征求意见 form.

// ---------------------------------------------------------------------------------------
// The secret ballot.

// ---------------------------------------------------------------------------------------
// The secretary's opinions page.

// ---------------------------------------------------------------------------------------
// The meeting record.

// ---------------------------------------------------------------------------------------
// After the meeting: 定稿 and 报送.
