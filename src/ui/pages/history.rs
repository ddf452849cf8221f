//! Revision history: every saved version, what it changed, and restoring an old one.

use crate::server::AppError;
use crate::server::materials::{
    EditorView, RestoreMaterialRevision, RevisionChanges, RevisionEntry, material_editor,
    material_revisions, revision_diff,
};
use crate::ui::components::diff::DiffView;
use crate::ui::components::error_notice::{ErrorNotice, action_error};
use crate::ui::components::loaded::{Loaded, load};
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::pages::not_found::NotFound;
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
    let editor = load(id, material_editor);
    let revisions = load(id, material_revisions);
    let diff = load(
        move || (id(), selected()),
        |(id, version)| async move {
            match version {
                Some(version) => revision_diff(id, version).await.map(Some),
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
    editor: Loaded<EditorView>,
    revisions: Loaded<Vec<RevisionEntry>>,
    diff: Loaded<Option<RevisionChanges>>,
) -> impl IntoView {
    let restored = succeeded(restore);
    view! {
        <Suspense fallback=|| view! { <p class="muted">"加载中…"</p> }>
            {move || Suspend::new(async move {
                let (editor, revisions, diff) = (editor.await, revisions.await, diff.await);
                let (editor, revisions) = match (editor, revisions) {
                    (Ok(editor), Ok(revisions)) => (editor, revisions),
                    (Err(AppError::NotFound), _) | (_, Err(AppError::NotFound)) => return view! { <NotFound /> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => return view! { <ErrorNotice error /> }.into_any(),
                };
                let material_id = editor.material_id.clone();
                let editable = editor.state.editable();
                let current = editor.version;
                let diff_panel = match diff {
                    Ok(Some(diff)) => {
                        let version = diff.version;
                        let title = match diff.previous {
                            Some(previous) => format!("版本 {version} 相对版本 {previous} 的改动"),
                            None => format!("版本 {version}（最初版本）的内容"),
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
                    Ok(None) => view! { <p class="muted">"点击某个版本，查看它改动了什么。"</p> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                };
                view! {
                    <h1>"修订记录"</h1>
                    <p class="actions"><a class="button" href=format!("/materials/{material_id}")>"返回编辑"</a></p>
                    {action_error(restore.into())}
                    {restored.then(|| view! {
                        <p class="notice ok" role="status">{format!("已恢复，当前为版本 {current}。")}</p>
                    })}
                    {diff_panel}
                    <section class="card">
                        <h2>{format!("共 {} 个版本", revisions.len())}</h2>
                        <ol class="revisions" reversed>
                            {revisions.into_iter().map(|r| {
                                let note = match (r.version == current, r.restored_from) {
                                    (true, Some(from)) => format!("（当前，恢复自版本 {from}）"),
                                    (true, None) => "（当前）".to_string(),
                                    (false, Some(from)) => format!("（恢复自版本 {from}）"),
                                    (false, None) => String::new(),
                                };
                                view! {
                                    <li>
                                        <a href=format!("/materials/{}/history?v={}#diff", material_id, r.version)>
                                            {format!("版本 {} · {}", r.version, r.at)}
                                        </a>
                                        " " {note}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    </section>
                }.into_any()
            })}
        </Suspense>
    }
}
