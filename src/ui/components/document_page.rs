//! A material's document blocks shown as the printed page: preview, review, report and
//! the format tool all show it the same way.

use crate::domain::document::Block;
use leptos::prelude::*;

/// Document blocks as an A4-like page.
#[component]
pub fn DocumentPage(blocks: Vec<Block>) -> impl IntoView {
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
