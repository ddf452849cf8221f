//! The tabs across a session's pages for its secretary.

use leptos::prelude::*;

/// The tabs of a session for its secretary.
pub fn session_tabs(meeting_id: &str, current: &'static str) -> impl IntoView + use<> {
    let tabs = [
        ("", "材料收集"),
        ("/opinions", "征求意见"),
        ("/minutes", "会议记录"),
        ("/report", "会后报送"),
    ];
    let meeting_id = meeting_id.to_string();
    view! {
        <nav class="filters session-tabs" aria-label="会议功能">
            {tabs.into_iter().map(|(path, label)| view! {
                <a href=format!("/sessions/{meeting_id}{path}") class:current=path == current
                    aria-current=(path == current).then_some("page")>{label}</a>
            }).collect_view()}
        </nav>
    }
}
