//! Revision history: the saved versions grouped into stretches of work, what a stretch (or
//! one save in it) changed, and restoring an old version.

use crate::server::materials::{
    HistoryHead, RestoreMaterialRevision, RevisionChanges, RevisionEntry, material_history_head,
    material_revisions, revision_diff,
};
use crate::ui::components::diff::DiffView;
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn HistoryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let restore = ServerAction::<RestoreMaterialRevision>::new();
    let id = move || params.read().get("id").unwrap_or_default();
    let selected = move || query.read().get("v").and_then(|v| v.parse::<i64>().ok());
    let from = move || query.read().get("from").and_then(|v| v.parse::<i64>().ok());
    let editor = load(id, material_history_head);
    let revisions = load(id, material_revisions);
    let diff = load(
        move || (id(), selected(), from()),
        |(id, version, first)| async move {
            match version {
                Some(version) => revision_diff(id, version, first).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="修订记录 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <History restore editor revisions diff /> } />
    }
}

#[component]
fn History(
    restore: ServerAction<RestoreMaterialRevision>,
    editor: Loaded<HistoryHead>,
    revisions: Loaded<Vec<RevisionEntry>>,
    diff: Loaded<Option<RevisionChanges>>,
) -> impl IntoView {
    let restored = succeeded(restore);
    view! {
        {loaded(editor, move |editor| loaded(revisions, move |revisions| {
            let editor = editor.clone();
            loaded(diff, move |diff| {
                let revisions = revisions.clone();
                let material_id = editor.material_id.clone();
                let editable = editor.may_restore;
                let current = editor.version;
                let back = editor.back.clone();
                let diff_panel = match diff {
                    Some(diff) => {
                        let version = diff.version;
                        let versions = if diff.first == version {
                            format!("版本 {version}")
                        } else {
                            format!("版本 {}–{version}（{}次保存）", diff.first, version - diff.first + 1)
                        };
                        let title = match diff.previous {
                            Some(previous) => format!("{versions}相对版本 {previous} 的改动"),
                            None if diff.first == version => format!("{versions}（最初版本）的内容"),
                            None => format!("{versions}：从最初版本起的全部内容"),
                        };
                        let can_restore = editable && version != current;
                        let material_id = material_id.clone();
                        view! {
                            <section class="card" id="diff">
                                <h2>{title}</h2>
                                <DiffView lines=diff.lines />
                                {can_restore.then(|| view! {
                                    <PostForm action=restore>
                                        <input type="hidden" name="material_id" value=material_id.clone() />
                                        <input type="hidden" name="version" value=version />
                                        <input type="hidden" name="base_version" value=current />
                                        <input type="hidden" name="request_id" value=format!("restore-{}-{}", current, version) />
                                        <div class="actions">
                                            <button type="submit">{format!("恢复到版本 {version}")}</button>
                                            <span class="hint">"恢复会生成一个新版本，当前内容仍保留在记录里。"</span>
                                        </div>
                                    </PostForm>
                                })}
                            </section>
                        }.into_any()
                    }
                    None => view! { <p class="muted">"点击某个版本，查看它改动了什么。"</p> }.into_any(),
                };
                view! {
                    <h1>"修订记录"</h1>
                    <p class="actions"><a class="button" href=back.clone()>{
                        if back.starts_with("/materials/") { "返回编辑" } else { "返回班子对照检查材料" }
                    }</a></p>
                    {action_error(restore.into())}
                    {restored.then(|| view! {
                        <p class="notice ok" role="status">{format!("已恢复，当前为版本 {current}。")}</p>
                    })}
                    {diff_panel}
                    <section class="card">
                        <h2>{format!(
                            "共{}个版本，{}段编辑",
                            revisions.iter().map(|r| r.saves).sum::<usize>(),
                            revisions.len()
                        )}</h2>
                        <p class="hint">"同一人连续编辑（两次保存间隔不到半小时）的自动保存合为一段；展开可逐次查看和恢复。"</p>
                        <ol class="revisions" reversed>
                            {revisions.into_iter().map(|r| stretch(&material_id, current, r)).collect_view()}
                        </ol>
                    </section>
                }.into_any()
            })
        }))}
    }
}

/// One stretch of work in the list: its span, linked to what it changed, and each of its
/// saves for a closer look.
fn stretch(material_id: &str, current: i64, r: RevisionEntry) -> impl IntoView + use<> {
    let note = match (r.version == current, r.restored_from) {
        (true, Some(from)) => format!("（当前，恢复自版本 {from}）"),
        (true, None) => "（当前）".to_string(),
        (false, Some(from)) => format!("（恢复自版本 {from}）"),
        (false, None) => String::new(),
    };
    let history = format!("/materials/{material_id}/history");
    if r.saves == 1 {
        return view! {
            <li>
                <a href=format!("{history}?v={}#diff", r.version)>{format!("版本 {} · {}", r.version, r.at)}</a>
                " " {note}
            </li>
        }
        .into_any();
    }
    // "09:40" when the stretch ended the day it began.
    let ended = match (r.started.split_once(' '), r.at.split_once(' ')) {
        (Some((day, _)), Some((end_day, time))) if day == end_day => time.to_string(),
        _ => r.at.clone(),
    };
    let label = format!(
        "版本 {}–{} · {} 至 {}（{}次保存）",
        r.first, r.version, r.started, ended, r.saves
    );
    let saves = r
        .versions
        .iter()
        .rev()
        .map(|(version, at)| {
            view! {
                <li><a href=format!("{history}?v={version}#diff")>{format!("版本 {version} · {at}")}</a></li>
            }
        })
        .collect_view();
    view! {
        <li>
            <a href=format!("{history}?v={}&from={}#diff", r.version, r.first)>{label}</a>
            " " {note}
            <details>
                <summary>"逐次查看"</summary>
                <ol class="saves">{saves}</ol>
            </details>
        </li>
    }
    .into_any()
}
