//! 组织架构 (issue 28): the administrator's node and the nodes below it, each with its kind,
//! administrators and branches; forms to add a child node, rename it or set its kind, move a
//! branch to another node, and name a node's administrator. Plain forms, so the page works
//! before and without hydration (except the one-time password, as on the accounts page).

use crate::domain::tree::NodeKind;
use crate::server::tree::{
    CreateNodeAdmin, CreateOrgNode, MoveBranch, NodeView, TreeView, UpdateOrgNode, org_tree,
};
use crate::ui::components::error_notice::action_error;
use crate::ui::components::issuing_form::IssuingForm;
use crate::ui::components::loaded::{Loaded, load, loaded};
use crate::ui::components::post_form::{PostForm, succeeded};
use crate::ui::components::protected::{Audience, Protected};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn TreePage() -> impl IntoView {
    let tree = load(|| (), |_| org_tree());
    view! {
        <Title text="组织架构 · 省身" />
        <Protected audience=Audience::OrgAdmins page=move |_| view! { <Tree tree /> } />
    }
}

/// The choices of a kind select, the current one selected.
fn kind_options(current: &str) -> impl IntoView + use<> {
    let none = view! { <option value="" selected=current.is_empty()>"（不设置）"</option> };
    let kinds = NodeKind::ALL
        .into_iter()
        .map(|kind| {
            view! { <option value=kind.code() selected=kind.code() == current>{kind.label()}</option> }
        })
        .collect_view();
    (none, kinds)
}

/// A node's name, indented by its depth, for selects.
fn indented(node: &NodeView) -> String {
    format!("{}{}", "　".repeat(node.depth), node.name)
}

fn node_options(nodes: &[NodeView]) -> impl IntoView + use<> {
    nodes
        .iter()
        .map(|node| view! { <option value=node.id.clone()>{indented(node)}</option> })
        .collect_view()
}

/// One node's row: its place, kind, admins and branches, and the rename form.
fn node_row(node: NodeView) -> impl IntoView {
    let NodeView {
        id,
        name,
        kind,
        kind_label,
        depth,
        admins,
        branches,
    } = node;
    let admins = if admins.is_empty() {
        "未设置".to_string()
    } else {
        admins.join("、")
    };
    let branches = if branches.is_empty() {
        "—".to_string()
    } else {
        branches
            .iter()
            .map(|b| format!("{}（{}人）", b.name, b.member_count))
            .collect::<Vec<_>>()
            .join("、")
    };
    let update = ServerAction::<UpdateOrgNode>::new();
    view! {
        <tr>
            <td style=format!("padding-left:{}em", 0.5 + 1.5 * depth as f64)>
                <a href=format!("/ledger/org?node={id}")>{name.clone()}</a>
            </td>
            <td>{kind_label}</td>
            <td>{admins}</td>
            <td>{branches}</td>
            <td>
                <details>
                    <summary>"改名/类型"</summary>
                    <PostForm action=update>
                        <input type="hidden" name="node_id" value=id />
                        <label>"名称" <input name="name" type="text" required maxlength="64" value=name /></label>
                        <label>"类型" <select name="kind">{kind_options(&kind)}</select></label>
                        <div class="actions"><button type="submit">"保存"</button></div>
                    </PostForm>
                </details>
            </td>
        </tr>
    }
}

#[component]
fn Tree(tree: Loaded<TreeView>) -> impl IntoView {
    let create = ServerAction::<CreateOrgNode>::new();
    let update = ServerAction::<UpdateOrgNode>::new();
    let relocate = ServerAction::<MoveBranch>::new();
    let admin = ServerAction::<CreateNodeAdmin>::new();
    view! {
        <h1>"组织架构"</h1>
        <p class="hint">"管理员可以看到本组织及以下各级组织全部支部的整改台账和统计；看不到上级和平级组织的任何内容，也看不到任何人的草稿和征求意见答卷。"</p>
        {succeeded(create).then(|| view! { <p class="notice ok" role="status">"已添加下级组织。"</p> })}
        {succeeded(update).then(|| view! { <p class="notice ok" role="status">"已保存。"</p> })}
        {succeeded(relocate).then(|| view! { <p class="notice ok" role="status">"支部已调整，其会议、材料和整改台账随支部一并转移。"</p> })}
        {action_error(create.into())}
        {action_error(update.into())}
        {action_error(relocate.into())}
        {loaded(tree, move |tree| {
            let nodes = tree.nodes;
            let branches: Vec<(String, String)> = nodes
                .iter()
                .flat_map(|node| node.branches.iter().map(|b| (b.id.clone(), format!("{}（{}）", b.name, node.name))))
                .collect();
            let (parent_options, move_options, admin_options) =
                (node_options(&nodes), node_options(&nodes), node_options(&nodes));
            let rows = nodes.into_iter().map(node_row).collect_view();
            view! {
                <section class="card" aria-label="组织树">
                    <h2>"本级及下级组织"</h2>
                    <div class="table-wrap">
                        <table class="org-tree">
                            <thead><tr><th>"组织"</th><th>"类型"</th><th>"管理员"</th><th>"支部"</th><th>"修改"</th></tr></thead>
                            <tbody>
                                {rows}
                            </tbody>
                        </table>
                    </div>
                </section>
                <section class="card">
                    <h2>"添加下级组织"</h2>
                    <PostForm action=create>
                        <label for="node-parent">"上级组织"</label>
                        <select id="node-parent" name="parent_id">{parent_options}</select>
                        <label for="node-name">"名称"</label>
                        <input id="node-name" name="name" type="text" required maxlength="64" placeholder="例如：机关党总支" />
                        <label for="node-kind">"类型"</label>
                        <select id="node-kind" name="kind">{kind_options("")}</select>
                        <div class="actions"><button type="submit">"添加"</button></div>
                    </PostForm>
                </section>
                <section class="card">
                    <h2>"调整支部隶属关系"</h2>
                    <p class="hint">"支部的会议、材料和整改台账随支部转移，历史记录不变；原组织的管理员将不再能看到。"</p>
                    <PostForm action=relocate>
                        <label for="move-branch">"支部"</label>
                        <select id="move-branch" name="branch_id">
                            {branches.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                        </select>
                        <label for="move-node">"调整到"</label>
                        <select id="move-node" name="node_id">{move_options}</select>
                        <div class="actions"><button type="submit">"调整"</button></div>
                    </PostForm>
                </section>
                <section class="card">
                    <h2>"设置下级组织管理员"</h2>
                    <p class="notice warn script-fallback">"请启用 JavaScript：生成的初始密码只在本页显示一次。"</p>
                    <IssuingForm path=CreateNodeAdmin::PATH.to_string() popup=false>
                        <label for="admin-node">"组织"</label>
                        <select id="admin-node" name="node_id">{admin_options}</select>
                        <label for="admin-name">"姓名"</label>
                        <input id="admin-name" name="name" type="text" required maxlength="32" />
                        <label for="admin-login">"登录名/手机"</label>
                        <input id="admin-login" name="login" type="text" required maxlength="64" autocapitalize="off" />
                        <label for="admin-post">"职务"</label>
                        <input id="admin-post" name="post" type="text" maxlength="64" />
                        {action_error(admin.into())}
                        <div class="actions"><button type="submit">"创建管理员账号"</button></div>
                    </IssuingForm>
                </section>
            }
        })}
    }
}
