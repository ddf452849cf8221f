//! Administrators create and list the organisation's branches.

use crate::server::branches::{BranchView, CreateBranch, list_branches};
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BranchesPage() -> impl IntoView {
    let create = ServerAction::<CreateBranch>::new();
    let branches = load(|| (), |_| list_branches());
    view! {
        <Title text="支部管理 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! { <Branches create branches /> } />
    }
}

#[component]
fn Branches(
    create: ServerAction<CreateBranch>,
    branches: Loaded<Vec<BranchView>>,
) -> impl IntoView {
    view! {
        <h1>"支部管理"</h1>
        <section class="card">
            <h2>"新建支部"</h2>
            <PostForm action=create>
                <label for="branch-name">"支部名称"</label>
                <input id="branch-name" name="name" type="text" required maxlength="64" placeholder="例如：第三党支部" />
                {action_error(create.into())}
                <div class="actions"><button type="submit">"创建支部"</button></div>
            </PostForm>
        </section>
        <section class="card">
            <h2>"全部支部"</h2>
            {loaded(branches, |list| {
                    if list.is_empty() {
                        return view! { <p class="muted">"还没有支部。"</p> }.into_any();
                    }
                    view! {
                            <div class="table-wrap">
                                <table>
                                    <thead><tr><th>"支部"</th><th>"人数"</th><th>"支部书记"</th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|b| view! {
                                            <tr>
                                                <td>{b.name}</td>
                                                <td>{b.member_count}</td>
                                                <td>{if b.secretaries.is_empty() { "未设置".to_string() } else { b.secretaries.join("、") }}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                    }.into_any()
                })}
        </section>
    }
}
