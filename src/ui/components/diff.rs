//! A line diff as a readable list: added lines green with "+", removed red with "−".

use crate::domain::outline::{Change, DiffLine};
use leptos::prelude::*;

/// Unchanged lines further than this from a change are folded away.
const CONTEXT: usize = 2;

#[component]
pub fn DiffView(lines: Vec<DiffLine>) -> impl IntoView {
    let near_change = |index: usize| {
        let from = index.saturating_sub(CONTEXT);
        let to = (index + CONTEXT + 1).min(lines.len());
        lines[from..to]
            .iter()
            .any(|line| line.change != Change::Same)
    };
    let mut shown = Vec::new();
    let mut folded = 0;
    for (index, line) in lines.iter().enumerate() {
        if line.change == Change::Same && !near_change(index) {
            folded += 1;
            continue;
        }
        if folded > 0 {
            shown.push((None, format!("…… 省略 {folded} 行未改动 ……")));
            folded = 0;
        }
        shown.push((Some(line.change), line.text.clone()));
    }
    if folded > 0 {
        shown.push((None, format!("…… 省略 {folded} 行未改动 ……")));
    }
    let unchanged = lines.iter().all(|line| line.change == Change::Same);
    view! {
        <div class="diff">
            {unchanged.then(|| view! { <p class="muted">"没有文字改动。"</p> })}
            {shown.into_iter().map(|(change, text)| {
                let (class, mark) = match change {
                    Some(Change::Added) => ("diff-line diff-add", "+ "),
                    Some(Change::Removed) => ("diff-line diff-del", "− "),
                    Some(Change::Same) => ("diff-line", "  "),
                    None => ("diff-line diff-fold", ""),
                };
                view! { <p class=class><span class="diff-mark" aria-hidden="true">{mark}</span>{text}</p> }
            }).collect_view()}
        </div>
    }
}
