//! The whole material as it will print: the document blocks the Word export also uses.

use crate::domain::document::{Block, blocks_with};
use crate::server::AppError;
use crate::server::materials::{EditorView, material_editor};
use crate::ui::components::error_notice::ErrorNotice;
use crate::ui::components::loaded::{Loaded, load};
use crate::ui::components::protected::{Audience, Protected};
use crate::ui::pages::not_found::NotFound;
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
    view! {
        <Suspense fallback=|| view! { <p class="muted">"加载中…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => {
                        let id = view.material_id.clone();
                        view! {
                            <p class="actions no-print">
                                <a class="button" href=format!("/materials/{id}")>"返回编辑"</a>
                                <a href=format!("/materials/{id}/download.docx") download>"下载 Word"</a>
                                <span class="hint">"按 Ctrl+P（手机用浏览器菜单）可直接打印。"</span>
                            </p>
                            <Page blocks=blocks_with(&view.content, view.template.layout()) />
                        }.into_any()
                    }
                    Err(AppError::NotFound) => view! { <NotFound /> }.into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Document blocks as an A4-like page.
#[component]
pub fn Page(blocks: Vec<Block>) -> impl IntoView {
    view! {
        <article class="paper">
            {blocks.into_iter().map(|block| match block {
                Block::Title(text) => view! { <h1 class="doc-title">{text}</h1> }.into_any(),
                Block::Speaker(text) => view! { <p class="doc-speaker">{text}</p> }.into_any(),
                Block::Heading(text) => view! { <h2 class="doc-heading">{text}</h2> }.into_any(),
                Block::SubHeading { heading, rest } => view! {
                    <p class="doc-body"><span class="doc-sub">{heading}</span>{rest}</p>
                }.into_any(),
                Block::Body(text) | Block::Closing(text) => view! { <p class="doc-body">{text}</p> }.into_any(),
                Block::Date(text) => view! { <p class="doc-date">{text}</p> }.into_any(),
                Block::Attachment(text) => view! { <p class="doc-attachment">{text}</p> }.into_any(),
                Block::AttachmentTitle(text) => view! { <h2 class="doc-attachment-title">{text}</h2> }.into_any(),
                Block::Table { header, rows } => view! {
                    <table class="doc-table">
                        <thead><tr>{header.into_iter().map(|cell| view! { <th scope="col">{cell}</th> }).collect_view()}</tr></thead>
                        <tbody>
                            {rows.into_iter().map(|row| view! {
                                <tr>{row.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any(),
            }).collect_view()}
        </article>
    }
}
