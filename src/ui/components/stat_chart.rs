//! 整改 statistics drawn on the server — readable without JavaScript and printable — with
//! the same numbers as a table beside each chart. The labels and values are page text and
//! only the bars are SVG, so a phone shrinks the bars, never the words.

use crate::domain::ledger_stats::{LedgerStats, StatRow};
use leptos::prelude::*;

/// The three views, each as a chart and a table; the branch view only when there are several.
#[component]
pub fn LedgerStatistics(stats: LedgerStats) -> impl IntoView {
    let LedgerStats {
        by_branch,
        by_category,
        by_month,
    } = stats;
    view! {
        <section class="card stats" aria-label="整改统计图表">
            <h2>"统计"</h2>
            {(by_branch.len() > 1).then(|| chart("按支部", by_branch))}
            {chart("按问题类别", by_category)}
            {chart("按整改时限月份", by_month)}
        </section>
    }
}

fn chart(title: &'static str, rows: Vec<StatRow>) -> impl IntoView + use<> {
    let bars = rows
        .iter()
        .map(|row| {
            let rate = row.rate_percent();
            view! {
                <div class="bar-row" title=format!("{}：完成率 {rate}%，共 {} 项，逾期 {} 项", row.label, row.total, row.overdue)>
                    <span class="chart-label">{row.label.clone()}</span>
                    // A 100-unit track stretched to the column: the done bar's width is the rate.
                    <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                        <rect x="0" y="0" width="100" height="10" class="bar-track" />
                        <rect x="0" y="0" width=rate.to_string() height="10" class="bar-done" />
                    </svg>
                    <span class="chart-value">
                        {format!("{rate}%")}
                        {(row.overdue > 0).then(|| format!(" · 逾期{}", row.overdue))}
                    </span>
                </div>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <div class="chart-body">
                <div class="bar-chart" role="img" aria-label=format!("{title}的完成率")>
                    {bars}
                </div>
                <table class="chart-table">
                    <thead>
                        <tr><th>{title.trim_start_matches('按')}</th><th>"事项"</th><th>"完成"</th><th>"完成率"</th><th>"逾期"</th></tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|row| {
                            let rate = row.rate_percent();
                            view! {
                                <tr>
                                    <td>{row.label}</td>
                                    <td>{row.total}</td>
                                    <td>{row.done}</td>
                                    <td>{format!("{rate}%")}</td>
                                    <td class:red=row.overdue != 0>{row.overdue}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </figure>
    }
}
