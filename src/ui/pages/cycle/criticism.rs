//! The participant page's written 批评意见 section.

use super::*;

pub(super) fn criticism_section(
    view: &MemberCycleView,
    actions: MemberActions,
) -> impl IntoView + use<> {
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
