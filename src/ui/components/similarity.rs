//! The 雷同 check as a panel: the most similar material of the meeting and of the author's
//! own earlier meetings, with the repeated passages side by side.

use crate::server::meetings::{SimilarityMatch, SimilarityView, similarity_check};
use crate::ui::components::error_notice::ErrorNotice;
use crate::ui::components::loaded::{Loaded, load};
use leptos::prelude::*;

/// The check's result; `None` where the page does not show it.
pub type SimilarityResource = Loaded<Option<SimilarityView>>;

/// Loads the 雷同 check of the material `wanted` names, if any. Like every resource it is
/// created by the route component (see `Protected`); `wanted` may read other signals to be
/// checked again after they change.
pub fn similarity_resource(
    wanted: impl Fn() -> Option<String> + Send + Sync + 'static,
) -> SimilarityResource {
    load(wanted, |wanted| async move {
        match wanted {
            Some(material_id) => similarity_check(material_id).await.map(Some),
            None => Ok(None),
        }
    })
}

#[component]
pub fn SimilarityPanel(data: SimilarityResource) -> impl IntoView {
    view! {
        <section class="card similarity" aria-label="雷同检查">
            <h2>"雷同检查"</h2>
            <Suspense fallback=|| view! { <p class="muted">"正在比对…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(None) => ().into_any(),
                        Ok(Some(view)) => view! {
                            {found("与本次会议其他材料相比", view.in_meeting)}
                            {found("与本人以往材料相比", view.own_past)}
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn found(title: &'static str, best: Option<SimilarityMatch>) -> impl IntoView {
    let Some(best) = best else {
        return view! { <p><strong>{title}</strong> "：没有发现重复的句子。"</p> }.into_any();
    };
    let side_by_side = best.passages.iter().any(|p| !p.theirs.is_empty());
    view! {
        <p class:warn=best.warn>
            <strong>{title}</strong> "：与" {best.with} "相似 " <strong>{format!("{}%", best.percent)}</strong>
            {best.warn.then_some("，重复较多，请用自己的事例和语言重写。")}
        </p>
        <div class="table-wrap">
            <table class="passages">
                <thead><tr><th>"本材料"</th>{side_by_side.then(|| view! { <th>"对方材料"</th> })}</tr></thead>
                <tbody>
                    {best.passages.into_iter().map(|p| view! {
                        <tr><td>{p.ours}</td>{side_by_side.then(|| view! { <td>{p.theirs}</td> })}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }.into_any()
}
