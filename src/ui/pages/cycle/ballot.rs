//! The secret 民主测评 ballot, and its results on the record page.

use super::*;

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

pub(super) fn ballot_section(view: &MinutesView, actions: MinutesActions) -> impl IntoView + use<> {
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
