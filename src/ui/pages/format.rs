//! 格式整理, public: paste a draft or choose a file, see what was recognised, download it in
//! the official format. The download is a plain form post (works without JavaScript);
//! with JavaScript the recognised structure is shown as you type.

use crate::server::AppError;
use crate::server::format::FormatPreview;
#[cfg(feature = "hydrate")]
use crate::server::format::recognise_draft;
use crate::ui::components::error_notice::ErrorNotice;
use crate::ui::pages::preview::Page;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn FormatPage() -> impl IntoView {
    let form = NodeRef::<leptos::html::Form>::new();
    let result = RwSignal::new(None::<Result<FormatPreview, AppError>>);
    let generation = StoredValue::new(0u64);
    let refresh = move || {
        #[cfg(feature = "hydrate")]
        {
            let Some(form) = form.get_untracked() else {
                return;
            };
            if let Ok(data) = web_sys::FormData::new_with_form(&form) {
                leptos::task::spawn_local(async move {
                    let outcome = recognise_draft(data.into()).await;
                    result.try_set(Some(outcome));
                });
            }
        }
    };
    let typed = move || {
        let mine = generation.try_update_value(|g| {
            *g += 1;
            *g
        });
        set_timeout(
            move || {
                if generation.try_get_value() == mine {
                    refresh();
                }
            },
            std::time::Duration::from_millis(800),
        );
    };
    view! {
        <Title text="格式整理 · 省身" />
        <h1>"格式整理"</h1>
        <p>"把已有的发言材料粘贴到下面（或选择 Word .docx / .txt 文件），系统识别出标题、各部分、问题、原因和措施，"
           "按党政机关公文格式（GB/T 9704-2012）重新排版后下载。无需登录，内容不会保存。"</p>
        <p class="hint">"严禁录入涉密内容。"</p>
        <form node_ref=form method="post" action="/format/download.docx" enctype="multipart/form-data"
            class="card" on:input=move |_| typed() on:change=move |_| typed()>
            <label for="format-text">"粘贴材料文字"</label>
            <textarea id="format-text" name="text" rows="14" maxlength="200000"
                placeholder="一、存在的问题\n（一）……"></textarea>
            <label for="format-file">"或选择文件（.docx / .txt，不超过 5 MB）"</label>
            <input id="format-file" type="file" name="file" accept=".docx,.txt,.json" />
            <div class="actions">
                <button type="submit">"下载排版后的 Word"</button>
            </div>
        </form>
        <section aria-label="识别结果" class="format-result">
            {move || result.get().map(|outcome| match outcome {
                Ok(preview) => recognised(preview).into_any(),
                Err(error) => view! { <ErrorNotice error /> }.into_any(),
            })}
        </section>
    }
}

fn recognised(preview: FormatPreview) -> impl IntoView {
    view! {
        <h2>"识别结果"</h2>
        <p class="muted">{format!(
            "识别出 {} 个部分、{} 个条目，共 {} 字。请核对，无误后点“下载排版后的 Word”。",
            preview.parts, preview.items, preview.chars
        )}</p>
        <Page blocks=preview.blocks />
    }
}
