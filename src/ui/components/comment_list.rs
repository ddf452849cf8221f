//! A material's review comments, on the review page and in the author's editor.

use crate::domain::review::round_label;
use crate::server::meetings::CommentView;
use leptos::prelude::*;

/// The comments of a list, each with its round (as seen from the `latest` round: 本轮,
/// 上一轮, 更早) and its spot.
pub fn comment_list(comments: Vec<CommentView>, latest: i64) -> impl IntoView {
    view! {
        <ul class="comments">
            {comments.into_iter().map(|c| view! {
                <li class=if c.round < latest { "comment earlier" } else { "comment" }>
                    <p class="comment-spot">{format!("{} · {}", round_label(c.round, latest), c.anchor_label)}</p>
                    <p class="comment-text">{c.text}</p>
                    <p class="muted">{c.author} " · " {c.at}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}
