//! Editing a meeting's template: which parts a material has and in which order, each part's
//! heading, guidance, example and target length, the 查摆 aspects with their exact heading
//! text, and the word lists of the 材料体检. One plain form; it works without JavaScript.

use crate::server::meetings::{SaveMeetingTemplate, TemplateEditView, meeting_template};
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::components::template_fields::template_fields;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn MeetingTemplatePage() -> impl IntoView {
    let params = use_params_map();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        meeting_template,
    );
    view! {
        <Title text="材料模板 · 省身" />
        <Protected audience=Audience::Secretaries page=move |_| view! { <Editor data /> } />
    }
}

#[component]
fn Editor(data: Loaded<TemplateEditView>) -> impl IntoView {
    loaded(data, |view| view! { <MeetingTemplateForm view /> })
}

#[component]
fn MeetingTemplateForm(view: TemplateEditView) -> impl IntoView {
    let save = ServerAction::<SaveMeetingTemplate>::new();
    let TemplateEditView {
        meeting_id,
        meeting_title,
        form,
        started,
    } = view;
    view! {
        <p class="muted"><a href=format!("/meetings/{meeting_id}/materials")>{meeting_title}</a> " / 材料模板"</p>
        <h1>"材料模板"</h1>
        {(started > 0).then(|| view! {
            <p class="notice warn">{format!("已有 {started} 人开始撰写。修改模板后，新开始的材料按新模板；已开始的材料保留原有部分，材料体检按新模板检查。")}</p>
        })}
        <PostForm action=save class="template-form">
            <input type="hidden" name="meeting_id" value=meeting_id.clone() />
            {template_fields(form)}
            {action_error(save.into())}
            <div class="actions"><button type="submit">"保存模板"</button></div>
        </PostForm>
    }
}
