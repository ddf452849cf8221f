//! 整改 statistics drawn as SVG on the server — readable without JavaScript and printable —
//! with the same numbers as a table beside each chart.

use crate::domain::ledger_stats::{LedgerStats, StatRow};
use leptos::prelude::*;

/// Geometry of one chart, in SVG user units.
const LABEL_WIDTH: usize = 150;
const BAR_WIDTH: usize = 300;
const ROW_HEIGHT: usize = 30;
const CHART_WIDTH: usize = LABEL_WIDTH + BAR_WIDTH + 150;

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
    let height = (rows.len().max(1)) * ROW_HEIGHT;
    let bars = rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let y = index * ROW_HEIGHT;
            let rate = row.rate_percent();
            let done_width = BAR_WIDTH * rate / 100;
            let text_y = (y + ROW_HEIGHT / 2 + 5).to_string();
            let label: String = row.label.chars().take(10).collect();
            view! {
                <g>
                    <title>{format!("{}：完成率 {rate}%，共 {} 项，逾期 {} 项", row.label, row.total, row.overdue)}</title>
                    <text x="0" y=text_y.clone() class="chart-label">{label}</text>
                    <rect x=LABEL_WIDTH.to_string() y=(y + 6).to_string() width=BAR_WIDTH.to_string() height=(ROW_HEIGHT - 12).to_string() class="bar-track" />
                    <rect x=LABEL_WIDTH.to_string() y=(y + 6).to_string() width=done_width.to_string() height=(ROW_HEIGHT - 12).to_string() class="bar-done" />
                    <text x=(LABEL_WIDTH + BAR_WIDTH + 8).to_string() y=text_y class="chart-value">
                        {format!("{rate}%")}
                        {(row.overdue > 0).then(|| format!(" · 逾期{}", row.overdue))}
                    </text>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <div class="chart-body">
                <svg
                    class="bar-chart"
                    role="img"
                    aria-label=format!("{title}的完成率")
                    viewBox=format!("0 0 {CHART_WIDTH} {height}")
                    preserveAspectRatio="xMinYMin meet"
                >
                    {bars}
                </svg>
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
