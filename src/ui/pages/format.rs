//! 格式整理, public: paste a draft or choose a file, see what was recognised, download it in
//! the official format. The download is a plain form post (works without JavaScript);
//! with JavaScript the recognised structure is shown as you type.

use crate::ui::components::draft_input::DraftInput;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn FormatPage() -> impl IntoView {
    view! {
        <Title text="格式整理 · 省身" />
        <h1>"格式整理"</h1>
        <p>"把已有的发言材料粘贴到下面（或选择 Word .docx / .txt 文件），系统识别出标题、各部分、问题、原因和措施，"
           "按党政机关公文格式（GB/T 9704-2012）重新排版后下载。无需登录，内容不会保存。"</p>
        <p class="hint">"严禁录入涉密内容。"</p>
        <form method="post" action="/format/download.docx" enctype="multipart/form-data" class="card">
            <DraftInput next_step="点“下载排版后的 Word”" />
            <div class="actions">
                <button type="submit">"下载排版后的 Word"</button>
            </div>
        </form>
    }
}
