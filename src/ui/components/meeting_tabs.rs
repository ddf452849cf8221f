//! The tabs across a meeting's pages for its secretary.

use leptos::prelude::*;

/// The tabs of a meeting for its secretary.
pub fn meeting_tabs(meeting_id: &str, current: &'static str) -> impl IntoView + use<> {
    let tabs = [
        ("/materials", "材料收集"),
        ("/opinions", "征求意见"),
        ("/minutes", "会议记录"),
        ("/evaluation", "民主评议"),
        ("/report", "会后报送"),
        ("/rectification", "整改方案"),
    ];
    let meeting_id = meeting_id.to_string();
    view! {
        <nav class="filters meeting-tabs" aria-label="会议功能">
            {tabs.into_iter().map(|(path, label)| view! {
                <a href=format!("/meetings/{meeting_id}{path}") class:current=path == current
                    aria-current=(path == current).then_some("page")>{label}</a>
            }).collect_view()}
        </nav>
    }
}
