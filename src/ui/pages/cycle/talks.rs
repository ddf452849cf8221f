//! The participant page's 谈心谈话 section.

use super::*;

pub(super) fn talk_section(
    view: &MemberCycleView,
    actions: MemberActions,
) -> impl IntoView + use<> {
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
