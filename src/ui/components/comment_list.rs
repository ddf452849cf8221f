//! A material's review comments, on the review page and in the author's editor, and the
//! 班子's comments on its collective material, on its page and in the drafter's editor.

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

/// The 班子's comments, each with who, where and on which version.
pub fn group_comment_list(
    comments: Vec<crate::server::meetings::collective::GroupCommentView>,
) -> impl IntoView {
    view! {
        <ul class="comments">
            {comments.into_iter().map(|c| view! {
                <li class="comment">
                    <p class="comment-spot">{format!("第{}版 · {}", c.version, c.anchor_label)}</p>
                    <p class="comment-text">{c.text}</p>
                    <p class="muted">{c.author} " · " {c.at}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}
