//! Administrators create and list the organisation's groups: 党支部 and 领导班子.

use crate::domain::org::GroupKind;
use crate::server::branches::{BranchView, CreateBranch, SetGroupKind, list_branches};
use crate::ui::components::error_notice::action_error;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::PostForm;
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn BranchesPage() -> impl IntoView {
    let create = ServerAction::<CreateBranch>::new();
    let set_kind = ServerAction::<SetGroupKind>::new();
    let branches = load(|| (), |_| list_branches());
    view! {
        <Title text="支部管理 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! { <Branches create set_kind branches /> } />
    }
}

#[component]
fn Branches(
    create: ServerAction<CreateBranch>,
    set_kind: ServerAction<SetGroupKind>,
    branches: Loaded<Vec<BranchView>>,
) -> impl IntoView {
    view! {
        <h1>"支部管理"</h1>
        <section class="card">
            <h2>"新建支部"</h2>
            <PostForm action=create>
                <label for="branch-name">"支部名称"</label>
                <input id="branch-name" name="name" type="text" required maxlength="64" placeholder="例如：第三党支部" />
                <label for="branch-kind">"类型"</label>
                <select id="branch-kind" name="kind">
                    <option value="branch" selected>"党支部（召开组织生活会）"</option>
                    <option value="leadership">"领导班子（召开民主生活会，书记一栏为主要负责人）"</option>
                </select>
                {action_error(create.into())}
                <div class="actions"><button type="submit">"创建支部"</button></div>
            </PostForm>
        </section>
        <section class="card">
            <h2>"全部支部和领导班子"</h2>
            {action_error(set_kind.into())}
            {loaded(branches, move |list| {
                    if list.is_empty() {
                        return view! { <p class="muted">"还没有支部。"</p> }.into_any();
                    }
                    view! {
                            <div class="table-wrap">
                                <table>
                                    <thead><tr><th>"支部 / 班子"</th><th>"类型"</th><th>"人数"</th><th>"支部书记 / 主要负责人"</th><th></th></tr></thead>
                                    <tbody>
                                        {list.into_iter().map(|b| {
                                            let other = match b.kind {
                                                GroupKind::Branch => GroupKind::Leadership,
                                                GroupKind::Leadership => GroupKind::Branch,
                                            };
                                            view! {
                                                <tr>
                                                    <td>{b.name}</td>
                                                    <td>{b.kind.label()}</td>
                                                    <td>{b.member_count}</td>
                                                    <td>{if b.secretaries.is_empty() { "未设置".to_string() } else { b.secretaries.join("、") }}</td>
                                                    <td>
                                                        <PostForm action=set_kind>
                                                            <input type="hidden" name="branch_id" value=b.id />
                                                            <input type="hidden" name="kind" value=other.code() />
                                                            <button type="submit" class="link">{format!("改为{}", other.label())}</button>
                                                        </PostForm>
                                                    </td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </div>
                    }.into_any()
                })}
        </section>
    }
}
