//! The drill-down of a rolled-up 台账: one row per node just below the one read (issue 28),
//! each linking to that node's own roll-up.

use crate::server::ledger::NodeTally;
use leptos::prelude::*;

#[component]
pub fn NodeTallies(tallies: Vec<NodeTally>) -> impl IntoView {
    (!tallies.is_empty()).then(|| {
        view! {
            <nav class="card" aria-label="下级组织台账">
                <h2>"下级组织台账"</h2>
                <p class="hint">"各下级组织（含其下全部支部）的整改事项数，点名称查看该组织的汇总台账。"</p>
                <div class="table-wrap">
                    <table>
                        <thead><tr><th>"组织"</th><th>"类型"</th><th>"事项"</th><th>"已销号"</th><th>"逾期"</th></tr></thead>
                        <tbody>
                            {tallies.into_iter().map(|tally| view! {
                                <tr>
                                    <td><a href=format!("/ledger/org?node={}", tally.id)>{tally.name}</a></td>
                                    <td>{tally.kind_label}</td>
                                    <td>{tally.total}</td>
                                    <td>{tally.closed}</td>
                                    <td class:red=tally.overdue != 0>{tally.overdue}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </nav>
        }
    })
}
