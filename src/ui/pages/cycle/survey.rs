//! The anonymous 征求意见 form.

use super::*;

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
