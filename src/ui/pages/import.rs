//! 导入已有材料: an existing draft replaces the material's text, as a new revision (the
//! history keeps the old text). With JavaScript the recognised structure shows first.

use crate::server::AppError;
use crate::server::materials::{EditorView, ImportMaterial, material_editor};
use crate::ui::components::draft_input::DraftInput;
use crate::ui::components::error_notice::ErrorNotice;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ImportPage() -> impl IntoView {
    let params = use_params_map();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        material_editor,
    );
    view! {
        <Title text="导入已有材料 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <Import data /> } />
    }
}

#[component]
fn Import(data: Loaded<EditorView>) -> impl IntoView {
    let query = use_query_map();
    // The form is a plain post; a refusal comes back in the URL (`__err`), as for every
    // server function called without JavaScript.
    let refused = move || {
        let query = query.read();
        (query.get("__path").as_deref() == Some(ImportMaterial::PATH))
            .then(|| query.get("__err"))
            .flatten()
            .map(|encoded| ServerFnUrlError::<AppError>::decode_err(&encoded))
    };
    loaded(data, move |view| {
        if view.state.editable() {
            view! {
                <h1>"导入已有材料"</h1>
                <p>"把已经写好的材料粘贴进来或选择文件，系统识别结构后替换当前内容。"
                   "当前内容会保留在修订记录里，随时可以恢复。"</p>
                {refused().map(|error| view! { <ErrorNotice error /> })}
                <form method="post" action="/api/import_material" enctype="multipart/form-data" class="card">
                    <input type="hidden" name="material_id" value=view.material_id.clone() />
                    <input type="hidden" name="base_version" value=view.version />
                    <input type="hidden" name="request_id" value=view.request_id.clone() />
                    <DraftInput next_step="点“导入并替换当前内容”" />
                    <div class="actions">
                        <button type="submit">"导入并替换当前内容"</button>
                        <a href=format!("/materials/{}", view.material_id)>"取消"</a>
                    </div>
                </form>
            }.into_any()
        } else {
            view! {
                <h1>"导入已有材料"</h1>
                <p class="notice warn">{format!("材料已{}，不能导入替换。", view.state.label())}</p>
            }
            .into_any()
        }
    })
}
