//! The meeting and after: a participant's page (opinions received, criticism to write, talks,
//! the survey and the ballot), the anonymous 征求意见 form, the secret ballot, and the
//! secretary's pages for opinions, the meeting record and the 报送. Every form posts without
//! JavaScript; with it, the page reloads its data after each action.

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

fn criticism_section(view: &MemberCycleView, actions: MemberActions) -> impl IntoView + use<> {
    let written = view.written.clone();
    let section = match view.criticism_mode {
        CriticismMode::Off => {
            return view! {
                <section class="card"><h2>"书面批评意见"</h2><p class="muted">"本次会议不收集书面批评意见，请在谈心谈话和会上当面提出。"</p></section>
            }
            .into_any();
        }
        mode => mode,
    };
    let choices = view.may_criticise.clone();
    let meeting_id = view.meeting_id.clone();
    view! {
        <section class="card">
            <h2>"书面批评意见"</h2>
            <p class="hint">"批评意见署名提出，由支部书记反馈本人，会上当面再提。" {(section == CriticismMode::Pairs).then_some("本次按书记指定的结对提出。")}</p>
            {outcome(actions.criticise, "已提交，支部书记反馈后对方可以看到")}
            {if choices.is_empty() {
                view! { <p class="muted">"目前没有需要您提出批评意见的对象。"</p> }.into_any()
            } else {
                view! {
                    <PostForm action=actions.criticise>
                        <input type="hidden" name="meeting_id" value=meeting_id />
                        <label for="criticise-to">"批评对象"</label>
                        <select id="criticise-to" name="recipient_id">
                            {choices.into_iter().map(|p| view! { <option value=p.user_id>{p.name}</option> }).collect_view()}
                        </select>
                        <label for="criticise-text">"批评意见"</label>
                        <textarea id="criticise-text" name="text" rows="3" required></textarea>
                        <div class="actions"><button type="submit">"提交批评意见"</button></div>
                    </PostForm>
                }.into_any()
            }}
            {(!written.is_empty()).then(|| view! {
                <h3>"我提出的批评意见"</h3>
                {outcome(actions.remove, "已撤回")}
                <ul>
                    {written.into_iter().map(|c| view! {
                        <li>
                            {format!("给{}：{}", c.to, c.text)}
                            " " <span class="badge">{if c.released { "已反馈" } else { "待反馈" }}</span>
                            {c.response.map(|r| view! { <p class="muted">{format!("回应：{r}")}</p> })}
                            {(!c.released).then(|| view! {
                                <PostForm action=actions.remove>
                                    <input type="hidden" name="opinion_id" value=c.id.clone() />
                                    <button type="submit" class="secondary small">"撤回"</button>
                                </PostForm>
                            })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
    .into_any()
}

fn talk_section(view: &MemberCycleView, actions: MemberActions) -> impl IntoView + use<> {
    let talks = view.talks.clone();
    let partners = view.partners.clone();
    let meeting_id = view.meeting_id.clone();
    let talks_required = view.talks_required;
    view! {
        <section class="card">
            <h2>"谈心谈话"</h2>
            {talks_required.then(|| view! {
                <p class="notice warn">"本次会议要求提交材料前至少登记一次谈心谈话。"</p>
            })}
            {outcome(actions.talk, "已登记")}
            <PostForm action=actions.talk>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <div class="grid two">
                    <div>
                        <label for="talk-partner">"谈话对象"</label>
                        <select id="talk-partner" name="partner_id">
                            {partners.into_iter().map(|p| view! { <option value=p.user_id>{p.name}</option> }).collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for="talk-on">"谈话日期"</label>
                        <input type="date" id="talk-on" name="on" required />
                    </div>
                </div>
                <label for="talk-topics">"谈话主要内容"</label>
                <textarea id="talk-topics" name="topics" rows="2" required></textarea>
                <div class="actions"><button type="submit" class="secondary">"登记谈心谈话"</button></div>
            </PostForm>
            {(!talks.is_empty()).then(|| view! {
                <ul>
                    {talks.into_iter().map(|t| view! {
                        <li>{format!("{} · {}与{}：{}", t.on, t.by, t.partner, t.topics)}</li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// The anonymous 征求意见 form.

#[component]
pub fn SurveyPage() -> impl IntoView {
    let id = meeting_id();
    let answer = ServerAction::<AnswerSurvey>::new();
    let data = load(id, survey_form);
    view! {
        <Title text="征求意见 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| loaded(data, move |view| survey_page(view, answer)) />
    }
}

fn survey_page(view: SurveyView, answer: ServerAction<AnswerSurvey>) -> impl IntoView {
    let body = if view.answered {
        view! { <p class="notice ok">"您已提交，感谢参与。每人只能提交一次。"</p> }.into_any()
    } else if !view.open {
        view! { <p class="muted">{if view.closed { "本次征求意见已结束。" } else { "本次征求意见尚未开始。" }}</p> }.into_any()
    } else {
        view! {
            <PostForm action=answer>
                <input type="hidden" name="meeting_id" value=view.meeting_id.clone() />
                <label for="survey-general">"对支部（班子）整体的意见建议"</label>
                <textarea id="survey-general" name="general" rows="3"></textarea>
                {view.people.iter().map(|p| {
                    let id = format!("survey-{}", p.user_id);
                    view! {
                        <label for=id.clone()>{format!("对{}同志的意见建议", p.name)}</label>
                        <textarea id=id name=format!("about[{PERSON_KEY}{}]", p.user_id) rows="2"></textarea>
                    }
                }).collect_view()}
                <div class="actions"><button type="submit">"匿名提交"</button></div>
            </PostForm>
        }
        .into_any()
    };
    view! {
        <h1>{view.title} " · 征求意见"</h1>
        <p class="notice">"本表不记录填写人：系统只记下您已填写（用于防止重复提交），不把您和所填内容对应保存；少于 3 人填写时，支部书记看不到任何内容。可只填部分栏目。"</p>
        {action_error(answer.into())}
        {body}
    }
}

// ---------------------------------------------------------------------------------------
// The secret ballot.

#[component]
pub fn BallotPage() -> impl IntoView {
    let id = meeting_id();
    let cast = ServerAction::<CastBallot>::new();
    let data = load(id, ballot_form);
    view! {
        <Title text="民主测评 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| loaded(data, move |view| ballot_page(view, cast)) />
    }
}

fn ballot_page(view: BallotView, cast: ServerAction<CastBallot>) -> impl IntoView {
    let body = if view.voted {
        view! { <p class="notice ok">"您已投票。"</p> }.into_any()
    } else if !view.open {
        view! { <p class="muted">{if view.closed { "民主测评已结束。" } else { "民主测评尚未开始。" }}</p> }.into_any()
    } else {
        view! {
            <PostForm action=cast>
                <input type="hidden" name="meeting_id" value=view.meeting_id.clone() />
                <div class="table-wrap">
                    <table class="ballot">
                        <thead><tr><th>"姓名"</th>{Grade::ALL.into_iter().map(|g| view! { <th>{g.label()}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {view.members.iter().map(|m| {
                                let name = format!("grades[{PERSON_KEY}{}]", m.user_id);
                                let person = m.name.clone();
                                view! {
                                    <tr>
                                        <th scope="row">{m.name.clone()}</th>
                                        {Grade::ALL.into_iter().map(|g| view! {
                                            <td><input type="radio" name=name.clone() value=g.code() required
                                                aria-label=format!("{person}：{}", g.label()) /></td>
                                        }).collect_view()}
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <div class="actions"><button type="submit">"提交测评票"</button></div>
            </PostForm>
        }
        .into_any()
    };
    view! {
        <h1>{view.title} " · 民主测评"</h1>
        <p class="notice">"无记名投票：系统只记下您已投票，不保存测评票，只累计每人每个等次的票数；测评结束且不少于 3 人投票后，书记才能看到统计结果。"</p>
        {action_error(cast.into())}
        {body}
    }
}

// ---------------------------------------------------------------------------------------
// The secretary's opinions page.

#[derive(Clone, Copy)]
struct AdminActions {
    options: ServerAction<SaveCycleOptions>,
    survey: ServerAction<SetSurveyPhase>,
    curate: ServerAction<CurateOpinion>,
    release: ServerAction<ReleaseOpinions>,
    remove: ServerAction<RemoveOpinion>,
    pair: ServerAction<SetCriticismPair>,
}

#[component]
pub fn CycleAdminPage() -> impl IntoView {
    let id = meeting_id();
    let actions = AdminActions {
        options: ServerAction::new(),
        survey: ServerAction::new(),
        curate: ServerAction::new(),
        release: ServerAction::new(),
        remove: ServerAction::new(),
        pair: ServerAction::new(),
    };
    let data = load(id, cycle_admin);
    view! {
        <Title text="征求意见 · 省身" />
        <Protected audience=Audience::Secretaries page=move |_| loaded(data, move |view| admin_page(view, actions)) />
    }
}

fn admin_page(view: CycleAdminView, actions: AdminActions) -> impl IntoView {
    let meeting_id = view.meeting_id.clone();
    let people: Vec<PersonChoice> = view
        .people
        .iter()
        .map(|p| PersonChoice {
            user_id: p.user_id.clone(),
            name: p.name.clone(),
        })
        .collect();
    view! {
        <p class="muted"><a href="/meetings">"组织生活会"</a></p>
        <h1>{view.title.clone()}</h1>
        {meeting_tabs(&meeting_id, "/opinions")}
        {options_section(&view, &people, actions)}
        {survey_section(&view, actions)}
        {pairs_section(&view, &people, actions)}
        <section class="card">
            <h2>"每人收到的意见"</h2>
            <p class="hint">"征求意见由您归纳后写给本人（不显示提出人）；书面批评意见显示提出人。反馈本人后对方才能看到。"</p>
            {outcome(actions.curate, "已添加")}
            {outcome(actions.release, "已反馈本人")}
            {outcome(actions.remove, "已删除")}
            {view.people.iter().map(|person| person_opinions(&meeting_id, person, actions)).collect_view()}
        </section>
        <section class="card">
            <h2>"谈心谈话记录"</h2>
            {if view.talks.is_empty() {
                view! { <p class="muted">"还没有登记谈心谈话。"</p> }.into_any()
            } else {
                view! {
                    <details class="fold">
                        <summary>{format!("查看谈话记录（{}次）", view.talks.len())}</summary>
                        <div class="table-wrap"><table>
                            <thead><tr><th>"日期"</th><th>"谈话双方"</th><th>"主要内容"</th></tr></thead>
                            <tbody>{view.talks.iter().map(|t| view! {
                                <tr><td>{t.on.clone()}</td><td>{format!("{}、{}", t.by, t.partner)}</td><td>{t.topics.clone()}</td></tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    </details>
                }.into_any()
            }}
            {
                let missing: Vec<String> = view.people.iter().filter(|p| !p.talked).map(|p| p.name.clone()).collect();
                (!missing.is_empty()).then(|| view! { <p class="muted">{format!("尚未登记谈心谈话：{}", missing.join("、"))}</p> })
            }
        </section>
    }
}

fn options_section(
    view: &CycleAdminView,
    people: &[PersonChoice],
    actions: AdminActions,
) -> impl IntoView + use<> {
    let recorder = view.recorder.clone().unwrap_or_default();
    let people = people.to_vec();
    let meeting_id = view.meeting_id.clone();
    let (scope, mode) = (view.survey_scope, view.criticism_mode);
    let (talks_required, ballot_enabled) = (view.talks_required, view.ballot_enabled);
    view! {
        <section class="card">
            <h2>"会议安排"</h2>
            {outcome(actions.options, "已保存")}
            <PostForm action=actions.options>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <div class="grid two">
                    <div>
                        <label for="survey-scope">"征求意见范围"</label>
                        <select id="survey-scope" name="survey_scope">
                            {[SurveyScope::Members, SurveyScope::Org].into_iter().map(|s| view! {
                                <option value=s.code() selected=s == scope>{s.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for="criticism-mode">"书面批评意见"</label>
                        <select id="criticism-mode" name="criticism_mode">
                            {CriticismMode::ALL.into_iter().map(|m| view! {
                                <option value=m.code() selected=m == mode>{m.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div>
                        <label for="recorder">"会议记录人"</label>
                        <select id="recorder" name="recorder">
                            <option value="" selected=recorder.is_empty()>"（由书记记录）"</option>
                            {people.into_iter().map(|p| {
                                let selected = p.user_id == recorder;
                                view! { <option value=p.user_id selected=selected>{p.name}</option> }
                            }).collect_view()}
                        </select>
                    </div>
                    <div>
                        <label class="check"><input type="checkbox" name="talks_required" checked=talks_required />
                            "提交材料前须登记谈心谈话"</label>
                        <label class="check"><input type="checkbox" name="ballot_enabled" checked=ballot_enabled />
                            "会上开展民主测评（组织生活会）"</label>
                    </div>
                </div>
                <div class="actions"><button type="submit" class="secondary">"保存会议安排"</button></div>
            </PostForm>
        </section>
    }
}

fn survey_section(view: &CycleAdminView, actions: AdminActions) -> impl IntoView + use<> {
    let meeting_id = view.meeting_id.clone();
    let phase_button = |phase: &'static str, label: &'static str| {
        let meeting_id = meeting_id.clone();
        view! {
            <PostForm action=actions.survey>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <input type="hidden" name="phase" value=phase />
                <button type="submit">{label}</button>
            </PostForm>
        }
    };
    let status = if view.survey_closed {
        "已结束"
    } else if view.survey_open {
        "进行中"
    } else {
        "未开始"
    };
    let answers = match &view.answers {
        Some(answers) if answers.is_empty() => view! { <p class="muted">"没有收到意见。"</p> }.into_any(),
        Some(answers) => view! {
            <details class="fold">
                <summary>{format!("查看收到的意见（{}条）", answers.len())}</summary>
                <div class="table-wrap"><table>
                    <thead><tr><th>"意见对象"</th><th>"意见内容"</th></tr></thead>
                    <tbody>{answers.iter().map(|a| view! {
                        <tr><td>{a.about.clone()}</td><td>{a.text.clone()}</td></tr>
                    }).collect_view()}</tbody>
                </table></div>
            </details>
        }
        .into_any(),
        None if view.survey_closed => view! {
            <p class="notice warn">{format!("填写人数不足 3 人（不计您本人；共 {} 人填写），为保护填写人，不显示意见内容。", view.respondents.unwrap_or_default())}</p>
        }
        .into_any(),
        None => view! { <p class="muted">"征求意见结束后（且不少于 3 人填写）才能查看意见内容，以免从填写时间推断填写人。"</p> }.into_any(),
    };
    let open_button =
        (!view.survey_open && !view.survey_closed).then(|| phase_button("open", "开始征求意见"));
    let close_button = view
        .survey_open
        .then(|| phase_button("close", "结束征求意见"));
    view! {
        <section class="card">
            <h2>"征求意见"</h2>
            <p>{match view.respondents {
                Some(count) => format!("状态：{status} · 共 {count} 人填写"),
                // A count that moves while people answer would tell who answered what.
                None => format!("状态：{status}（填写人数在结束后显示）"),
            }}</p>
            <p class="hint">{format!("填写地址：/survey/{}（{}）", view.meeting_id, view.survey_scope.label())}</p>
            {action_error(actions.survey.into())}
            <div class="actions">{open_button}{close_button}</div>
            {answers}
        </section>
    }
}

fn pairs_section(
    view: &CycleAdminView,
    people: &[PersonChoice],
    actions: AdminActions,
) -> impl IntoView + use<> {
    if view.criticism_mode != CriticismMode::Pairs {
        return None;
    }
    let meeting_id = view.meeting_id.clone();
    let select = |name: &'static str, id: &'static str| {
        let people = people.to_vec();
        view! {
            <select id=id name=name>
                {people.into_iter().map(|p| view! { <option value=p.user_id>{p.name}</option> }).collect_view()}
            </select>
        }
    };
    let (giver_select, recipient_select) = (
        select("giver_id", "pair-giver"),
        select("recipient_id", "pair-recipient"),
    );
    let pairs = view
        .pairs
        .iter()
        .cloned()
        .map(|(giver_id, giver, recipient_id, recipient)| {
            let meeting_id = meeting_id.clone();
            view! {
                <li>
                    {format!("{giver} → {recipient}")}
                    <PostForm action=actions.pair>
                        <input type="hidden" name="meeting_id" value=meeting_id />
                        <input type="hidden" name="giver_id" value=giver_id />
                        <input type="hidden" name="recipient_id" value=recipient_id />
                        <input type="hidden" name="action" value="remove" />
                        <button type="submit" class="secondary small">"取消"</button>
                    </PostForm>
                </li>
            }
        })
        .collect_view();
    Some(view! {
        <section class="card">
            <h2>"批评意见结对"</h2>
            {action_error(actions.pair.into())}
            <PostForm action=actions.pair>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <input type="hidden" name="action" value="assign" />
                <div class="grid two">
                    <div><label for="pair-giver">"提出人"</label>{giver_select}</div>
                    <div><label for="pair-recipient">"批评对象"</label>{recipient_select}</div>
                </div>
                <div class="actions"><button type="submit" class="secondary">"添加结对"</button></div>
            </PostForm>
            <ul>{pairs}</ul>
        </section>
    })
}

fn person_opinions(
    meeting_id: &str,
    person: &PersonOpinions,
    actions: AdminActions,
) -> impl IntoView + use<> {
    let field = format!("curate-{}", person.user_id);
    let meeting_id = meeting_id.to_string();
    let (user_id, name) = (person.user_id.clone(), person.name.clone());
    let unreleased = person.unreleased;
    let opinions = person
        .opinions
        .iter()
        .map(|o| {
            let from = o.from.clone().map(|name| format!("（{name}）")).unwrap_or_default();
            let remove = (!o.released).then(|| {
                let id = o.id.clone();
                view! {
                    <PostForm action=actions.remove>
                        <input type="hidden" name="opinion_id" value=id />
                        <button type="submit" class="secondary small">"删除"</button>
                    </PostForm>
                }
            });
            view! {
                <li>
                    <strong>{o.kind.label()}</strong>{from}"：" {o.text.clone()}
                    " " <span class="badge">{if o.released { "已反馈" } else { "待反馈" }}</span>
                    {o.response.clone().map(|r| view! { <p class="muted">{format!("回应：{r}")}</p> })}
                    {o.declined.clone().map(|r| view! { <p class="muted">{format!("不采纳理由：{r}")}</p> })}
                    {remove}
                </li>
            }
        })
        .collect_view();
    let release = (unreleased > 0).then(|| {
        let (meeting_id, user_id, name) = (meeting_id.clone(), user_id.clone(), name.clone());
        view! {
            <PostForm action=actions.release>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <input type="hidden" name="recipient_id" value=user_id />
                <button type="submit">{format!("反馈给{name}本人")}</button>
            </PostForm>
        }
    });
    let summary = format!(
        "{}（{} 条{}）",
        name,
        person.opinions.len(),
        if unreleased > 0 {
            format!("，{unreleased} 条待反馈")
        } else {
            String::new()
        }
    );
    let label = format!("给{name}的征求意见（归纳整理后填写）");
    view! {
        <details class="person-opinions" open={unreleased > 0 || person.opinions.is_empty()}>
            <summary>{summary}</summary>
            <ul>{opinions}</ul>
                <PostForm action=actions.curate>
                    <input type="hidden" name="meeting_id" value=meeting_id />
                    <input type="hidden" name="recipient_id" value=user_id />
                    <label for=field.clone()>{label}</label>
                    <textarea id=field name="text" rows="2" required></textarea>
                    <div class="actions"><button type="submit" class="secondary small">"添加"</button></div>
                </PostForm>
            {release}
        </details>
    }
}

// ---------------------------------------------------------------------------------------
// The meeting record.

#[derive(Clone, Copy)]
struct MinutesActions {
    attendance: ServerAction<SaveAttendance>,
    speaker: ServerAction<SaveSpeaker>,
    notes: ServerAction<SaveMinutesNotes>,
    ballot: ServerAction<SetBallotPhase>,
}

#[component]
pub fn MinutesPage() -> impl IntoView {
    let id = meeting_id();
    let actions = MinutesActions {
        attendance: ServerAction::new(),
        speaker: ServerAction::new(),
        notes: ServerAction::new(),
        ballot: ServerAction::new(),
    };
    let data = load(id, meeting_record);
    view! {
        <Title text="会议记录 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| loaded(data, move |view| minutes_page(view, actions)) />
    }
}

fn minutes_page(view: MinutesView, actions: MinutesActions) -> impl IntoView {
    let meeting_id = view.meeting_id.clone();
    let quorum_class = if view.quorum.met() {
        "notice ok"
    } else {
        "notice error"
    };
    let tabs = view
        .is_secretary
        .then(|| meeting_tabs(&meeting_id, "/minutes"));
    let heading = format!(
        "会议日期：{} · 记录人：{}",
        view.meeting_on.clone().unwrap_or_else(|| "未定".into()),
        crate::domain::cycle::recorder_label(view.recorder.as_deref())
    );
    let attendance_rows = view
        .speakers
        .iter()
        .enumerate()
        .map(|(index, s)| {
            let order_name = format!("order[{PERSON_KEY}{}]", s.user_id);
            let present_name = format!("present[{PERSON_KEY}{}]", s.user_id);
            let order_label = format!("{}的发言顺序", s.name);
            let present_label = format!("{}出席", s.name);
            let (name, present) = (s.name.clone(), s.present);
            view! {
                <tr>
                    <td><input type="number" min="1" name=order_name value=index + 1 prop:value=(index + 1).to_string()
                        aria-label=order_label class="narrow" /></td>
                    <td>{name}</td>
                    <td><input type="checkbox" name=present_name checked=present prop:checked=present aria-label=present_label /></td>
                </tr>
            }
        })
        .collect_view();
    let speaker_forms = view
        .speakers
        .iter()
        .cloned()
        .map(|s| speaker_form(meeting_id.clone(), s, actions))
        .collect_view();
    let ballot = (view.ballot_enabled && view.is_secretary).then(|| ballot_section(&view, actions));
    let (attendance_id, notes_id, notes) =
        (meeting_id.clone(), meeting_id.clone(), view.notes.clone());
    view! {
        <h1>{view.title.clone()} " · 会议记录"</h1>
        {tabs}
        <p>{heading}</p>
        <p class=quorum_class role="status">{view.quorum_text.clone()}</p>
        <section class="card">
            <h2>"出席和发言顺序"</h2>
            {outcome(actions.attendance, "已保存")}
            <PostForm action=actions.attendance>
                <input type="hidden" name="meeting_id" value=attendance_id />
                <div class="table-wrap"><table>
                    <thead><tr><th>"发言顺序"</th><th>"姓名"</th><th>"出席"</th></tr></thead>
                    <tbody>{attendance_rows}</tbody>
                </table></div>
                <div class="actions"><button type="submit" class="secondary">"保存出席和顺序"</button></div>
            </PostForm>
        </section>
        <section class="card">
            <h2>"主持人通报、点评和总结"</h2>
            {outcome(actions.notes, "已保存")}
            <PostForm action=actions.notes>
                <input type="hidden" name="meeting_id" value=notes_id />
                <label for="minutes-notes">"会议议程、通报事项、上级点评、书记总结（每段一行）"</label>
                <textarea id="minutes-notes" name="notes" rows="5">{notes}</textarea>
                <div class="actions"><button type="submit" class="secondary">"保存"</button></div>
            </PostForm>
        </section>
        <section class="card">
            <h2>"逐人发言记录"</h2>
            {outcome(actions.speaker, "已保存")}
            {speaker_forms}
        </section>
        {ballot}
    }
}

fn speaker_form(meeting_id: String, s: SpeakerView, actions: MinutesActions) -> impl IntoView {
    let spoken = s.status != SpeakerStatus::Pending;
    let prefix = format!("speaker-{}", s.user_id);
    let material = s
        .material_state
        .map(|state| format!("材料：{}", state.label()))
        .unwrap_or_else(|| "材料：未开始".into());
    let legend = format!("{} · {}", s.name, s.status.label());
    let (criticisms_id, pledge_id) = (format!("{prefix}-criticisms"), format!("{prefix}-pledge"));
    let spoken_label = if s.present {
        "已发言"
    } else {
        "书面发言已宣读/提交"
    };
    let save_label = format!("保存{}的记录", s.name);
    let absent = (!s.present).then_some(" · 缺席（材料作书面发言）");
    let (criticisms, pledge) = (s.criticisms.clone(), s.pledge.clone());
    let (criticisms_text, pledge_text) = (s.criticisms.clone(), s.pledge.clone());
    view! {
        <fieldset class="item" id=prefix>
            <legend>{legend}</legend>
            <p class="muted">{material} {absent}</p>
            <PostForm action=actions.speaker>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <input type="hidden" name="person_id" value=s.user_id />
                <input type="hidden" name="version" value=s.version />
                // The page is rebuilt in place after each save: the properties, not only
                // the markup, must carry the saved values, or a box the recorder typed in
                // would keep its text under another speaker's name.
                <label class="check"><input type="checkbox" name="spoken" checked=spoken prop:checked=spoken />{spoken_label}</label>
                <label for=criticisms_id.clone()>"其他同志提出的批评意见（每条一行，如“刘芳：……”）"</label>
                <textarea id=criticisms_id name="criticisms" rows="3" prop:value=criticisms>{criticisms_text}</textarea>
                <label for=pledge_id.clone()>"本人表态"</label>
                <textarea id=pledge_id name="pledge" rows="2" prop:value=pledge>{pledge_text}</textarea>
                <div class="actions"><button type="submit" class="secondary">{save_label}</button></div>
            </PostForm>
        </fieldset>
    }
}

fn ballot_section(view: &MinutesView, actions: MinutesActions) -> impl IntoView + use<> {
    let phase = |phase: &'static str, label: &'static str| {
        let meeting_id = view.meeting_id.clone();
        view! {
            <PostForm action=actions.ballot>
                <input type="hidden" name="meeting_id" value=meeting_id />
                <input type="hidden" name="phase" value=phase />
                <button type="submit">{label}</button>
            </PostForm>
        }
    };
    let open_button =
        (!view.ballot_open && !view.ballot_closed).then(|| phase("open", "开始民主测评"));
    let close_button = view.ballot_open.then(|| phase("close", "结束民主测评"));
    let status = if view.ballot_closed {
        "已结束"
    } else if view.ballot_open {
        "进行中"
    } else {
        "未开始"
    };
    let tallies = match view.tallies.clone() {
        Some(rows) => view! {
            <div class="table-wrap"><table class="tallies">
                <thead><tr><th>"姓名"</th>{Grade::ALL.into_iter().map(|g| view! { <th>{g.label()}</th> }).collect_view()}</tr></thead>
                <tbody>{rows.into_iter().map(|row| view! {
                    <tr><th scope="row">{row.name}</th>
                        {row.counts.into_iter().map(|n| view! { <td>{n}</td> }).collect_view()}</tr>
                }).collect_view()}</tbody>
            </table></div>
        }
        .into_any(),
        None if view.ballot_closed => view! {
            <p class="notice warn">{format!("投票人数不足 3 人（不计您本人；共 {} 人投票），不显示统计结果。", view.voters.unwrap_or_default())}</p>
        }
        .into_any(),
        None => view! { <p class="muted">"测评结束后显示统计结果。"</p> }.into_any(),
    };
    view! {
        <section class="card">
            <h2>"民主测评"</h2>
            <p>{match view.voters {
                Some(count) => format!("状态：{status} · 共 {count} 人投票"),
                None => format!("状态：{status}（投票人数在结束后显示）"),
            }}</p>
            <p class="hint">{format!("投票地址：/ballot/{}（无记名，只统计票数）", view.meeting_id)}</p>
            {action_error(actions.ballot.into())}
            <div class="actions">{open_button}{close_button}</div>
            {tallies}
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// After the meeting: 定稿 and 报送.

#[component]
pub fn ReportPage() -> impl IntoView {
    let id = meeting_id();
    let reported = ServerAction::<MarkReported>::new();
    let data = load(id, meeting_report);
    view! {
        <Title text="会后报送 · 省身" />
        <Protected audience=Audience::Secretaries page=move |_| loaded(data, move |view| report_page(view, reported)) />
    }
}

fn report_page(view: ReportView, reported: ServerAction<MarkReported>) -> impl IntoView {
    let meeting_id = view.meeting_id.clone();
    let total = view.rows.len();
    let report = crate::domain::document::blocks(&view.report);
    view! {
        <p class="muted"><a href="/meetings">"组织生活会"</a></p>
        <h1>{view.title.clone()}</h1>
        {meeting_tabs(&meeting_id, "/report")}
        <section class="card">
            <h2>"报送上级党组织"</h2>
            {match (&view.reported_at, &view.countdown) {
                (Some(at), _) => view! { <p class="notice ok">{format!("已于 {at} 报送。")}</p> }.into_any(),
                (None, Some(countdown)) => view! {
                    <p class=if view.overdue { "countdown late" } else { "countdown" }>
                        {format!("报送截止：{}（{countdown}）", view.report_due.clone().unwrap_or_default())}
                    </p>
                }.into_any(),
                (None, None) => view! { <p class="muted">"本次会议未设报送截止日期。"</p> }.into_any(),
            }}
            <p>{format!("定稿 {} / {} 人", view.finals, total)}
                {(view.finals < total).then_some("（报送包只收入已定稿的材料）")}</p>
            {(!view.ledger_published).then(|| view! {
                <p class="notice warn">"整改清单尚未在支部内公布：" <a href=format!("/ledger/branch/{}", view.branch_id)>"到整改台账公布"</a></p>
            })}
            <div class="actions">
                <DownloadLink href=format!("/meetings/{meeting_id}/package.zip") label="下载报送材料包（zip）" busy="正在打包…" primary=true />
            </div>
            <p class="hint">"材料包含：会议情况报告（待补充的地方用【】标出）、会议记录、定稿材料汇编及单人文件、整改台账（Excel 和 Word）、民主测评结果。"</p>
            {view.reported_at.is_none().then(|| view! {
                {action_error(reported.into())}
                <PostForm action=reported>
                    <input type="hidden" name="meeting_id" value=meeting_id.clone() />
                    <button type="submit" class="secondary">"已报送上级，标记完成"</button>
                </PostForm>
            })}
        </section>
        <section class="card">
            <h2>"定稿情况"</h2>
            <div class="table-wrap"><table>
                <thead><tr><th>"姓名"</th><th>"状态"</th><th>"会后修改"</th></tr></thead>
                <tbody>{view.rows.iter().map(|row| {
                    let changes = row.changes.clone();
                    view! {
                        <tr>
                            <td>{row.name.clone()}</td>
                            <td>{row.state.map(MaterialState::label).unwrap_or("未开始")}</td>
                            <td>{if changes.is_empty() {
                                view! { <span class="muted">"无"</span> }.into_any()
                            } else {
                                view! { <details><summary>"查看修改"</summary><DiffView lines=changes /></details> }.into_any()
                            }}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table></div>
        </section>
        <section class="card">
            <h2>"会议情况报告（预览）"</h2>
            <DocumentPage blocks=report />
        </section>
    }
}
