//! Pasting or uploading an existing draft, with the recognised structure shown live (once
//! the page is interactive). Used inside a form by 格式整理 and by "导入已有材料".

use crate::server::AppError;
use crate::server::format::FormatPreview;
use crate::ui::components::document_page::DocumentPage;
use crate::ui::components::error_notice::ErrorNotice;
use leptos::prelude::*;

/// Milliseconds of quiet before the structure is recognised again.
#[cfg(feature = "hydrate")]
const PAUSE_MS: u64 = 800;

#[island]
pub fn DraftInput(
    /// What the result asks the user to do next.
    #[prop(into)]
    next_step: String,
) -> impl IntoView {
    let area = NodeRef::<leptos::html::Div>::new();
    let result = RwSignal::new(None::<Result<FormatPreview, AppError>>);
    #[cfg(feature = "hydrate")]
    let generation = StoredValue::new(0u64);
    let changed = move || {
        #[cfg(feature = "hydrate")]
        {
            let Some(mine) = generation.try_update_value(|g| {
                *g += 1;
                *g
            }) else {
                return;
            };
            set_timeout(
                move || {
                    if generation.try_get_value() == Some(mine) {
                        recognise(area, result);
                    }
                },
                std::time::Duration::from_millis(PAUSE_MS),
            );
        }
    };
    view! {
        <div node_ref=area on:input=move |_| changed() on:change=move |_| changed()>
            <label for="draft-text">"粘贴材料文字"</label>
            <textarea id="draft-text" name="text" rows="14" maxlength="200000"
                placeholder="一、存在的问题\n（一）……"></textarea>
            <label for="draft-file">"或选择文件（.docx / .txt，不超过 5 MB）"</label>
            <input id="draft-file" type="file" name="file" accept=".docx,.txt,.json" />
        </div>
        <section aria-label="识别结果" class="format-result">
            {move || result.get().map(|outcome| match outcome {
                Ok(preview) => view! {
                    <h2>"识别结果"</h2>
                    <p class="muted">{format!(
                        "识别出 {} 个部分、{} 个条目，共 {} 字。请核对，无误后{next_step}。",
                        preview.parts, preview.items, preview.chars
                    )}</p>
                    <DocumentPage blocks=preview.blocks />
                }.into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </section>
    }
}

/// Sends the surrounding form to the recogniser and shows the answer.
#[cfg(feature = "hydrate")]
fn recognise(
    area: NodeRef<leptos::html::Div>,
    result: RwSignal<Option<Result<FormatPreview, AppError>>>,
) {
    use crate::server::format::recognise_draft;
    use wasm_bindgen::JsCast;
    let Some(form) = area
        .get_untracked()
        .and_then(|div| div.closest("form").ok().flatten())
        .and_then(|form| form.dyn_into::<web_sys::HtmlFormElement>().ok())
    else {
        return;
    };
    if let Ok(data) = web_sys::FormData::new_with_form(&form) {
        leptos::task::spawn_local(async move {
            let outcome = recognise_draft(data.into()).await;
            result.try_set(Some(outcome));
        });
    }
}
