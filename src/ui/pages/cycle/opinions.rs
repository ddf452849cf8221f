//! The secretary's 征求意见 page: the cycle's options, the survey, the criticism pairs and
//! each person's opinions to curate and release.

use super::*;

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
