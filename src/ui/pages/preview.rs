//! The whole material as it will print: the document blocks the Word export also uses.

use crate::domain::document::blocks_with;
use crate::server::materials::{EditorView, material_editor};
use crate::ui::components::document_page::DocumentPage;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[component]
pub fn PreviewPage() -> impl IntoView {
    let params = use_params_map();
    let data = load(
        move || params.read().get("id").unwrap_or_default(),
        material_editor,
    );
    view! {
        <Title text="预览 · 省身" />
        <Protected audience=Audience::AnyoneLoggedIn page=move |_| view! { <Preview data /> } />
    }
}

#[component]
fn Preview(data: Loaded<EditorView>) -> impl IntoView {
    loaded(data, |view| {
        let id = view.material_id.clone();
        view! {
            <p class="actions no-print">
                <a class="button" href=format!("/materials/{id}")>"返回编辑"</a>
                <a href=format!("/materials/{id}/download.docx") download>"下载 Word"</a>
                <span class="hint">"按 Ctrl+P（手机用浏览器菜单）可直接打印。"</span>
            </p>
            <DocumentPage blocks=blocks_with(&view.content, view.template.layout()) />
        }
    })
}
