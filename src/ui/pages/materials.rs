//! "我的材料": the meetings of the member's branches, and their material for each.

use crate::server::materials::{MeetingEntry, StartMaterial, my_materials};
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MaterialsPage() -> impl IntoView {
    let start = ServerAction::<StartMaterial>::new();
    let entries = load(|| (), |_| my_materials());
    view! {
        <Title text="我的材料 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <Materials start entries /> } />
    }
}

#[component]
fn Materials(
    start: ServerAction<StartMaterial>,
    entries: Loaded<Vec<MeetingEntry>>,
) -> impl IntoView {
    view! {
        <h1>"我的材料"</h1>
        {action_error(start.into())}
        {loaded(entries, move |list| match list {
            list if list.is_empty() => view! {
                <p class="card muted">"您所在的支部还没有安排会议。支部书记新建会议后，会在这里出现。"</p>
            }.into_any(),
            list => list.into_iter().map(|entry| {
                let cycle = format!("/meetings/{}", entry.meeting_id);
                let collective = entry.leadership.then(|| view! {
                    <p><a href=format!("/meetings/{}/collective", entry.meeting_id)>"班子对照检查材料：阅读起草稿、提出意见"</a></p>
                });
                let start_label = if entry.leadership { "开始撰写个人发言提纲" } else { "开始撰写发言材料" };
                let action = match entry.material {
                    Some(material) => view! {
                        <p>
                            <span class="badge">{material.state.label()}</span>
                            " 最近修改 " {material.updated_at}
                        </p>
                        <div class="actions">
                            <a class="button" href=format!("/materials/{}", material.id)>
                                {if material.state.editable() { "继续撰写" } else { "查看材料" }}
                            </a>
                            <a href=format!("/materials/{}/preview", material.id)>"预览"</a>
                        </div>
                    }.into_any(),
                    None => view! {
                        <PostForm action=start>
                            <input type="hidden" name="meeting_id" value=entry.meeting_id.clone() />
                            <div class="actions"><button type="submit">{start_label}</button></div>
                        </PostForm>
                    }.into_any(),
                };
                view! {
                    <section class="card">
                        <h2>{entry.title}</h2>
                        <p class="muted">{entry.branch_name}</p>
                        {action}
                        {collective}
                        <p><a href=cycle>"会前会后：征求意见、批评意见、谈心谈话、民主测评"</a></p>
                    </section>
                }
            }).collect_view().into_any(),
        })}
    }
}
