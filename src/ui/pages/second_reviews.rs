//! "待我审核": the rounds waiting for the actor as a meeting's second reviewer (上级).

use crate::server::meetings::{WaitingReview, my_second_reviews};
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn SecondReviewsPage() -> impl IntoView {
    let entries = load(|| (), |_| my_second_reviews());
    view! {
        <Title text="待我审核 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! { <SecondReviews entries /> } />
    }
}

#[component]
fn SecondReviews(entries: Loaded<Vec<WaitingReview>>) -> impl IntoView {
    view! {
        <h1>"待我审核"</h1>
        <p class="hint">"支部书记审核通过后，由您进行上级审核；您退回的材料回到作者手中修改。"</p>
        {loaded(entries, move |list| match list {
            list if list.is_empty() => view! { <p class="card muted">"目前没有等待您审核的材料。"</p> }.into_any(),
            list => view! {
                <div class="table-wrap">
                    <table>
                        <thead><tr><th>"会议"</th><th>"作者"</th><th>"轮次"</th><th></th></tr></thead>
                        <tbody>
                            {list.into_iter().map(|e| view! {
                                <tr>
                                    <td>{e.meeting_title}</td>
                                    <td>{e.author}</td>
                                    <td>{format!("第{}轮", e.round)}</td>
                                    <td><a href=format!("/review/{}", e.material_id)>"审核"</a></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any(),
        })}
    }
}
