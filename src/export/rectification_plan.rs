//! The 整改方案 and the 整改落实情况报告 as document blocks, for `export::docx::blocks_docx`:
//! pure, from values the server gathered.

use crate::domain::document::Block;
use crate::domain::rectification_plan::ReportCounts;

/// One item of the plan as its three lists need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLine {
    pub problem: String,
    /// 来源, as `Source::label` writes it.
    pub source: String,
    pub task: String,
    pub standard: String,
    /// 类型: 立行立改 / 限期整改 / 长期坚持.
    pub kind: String,
    pub deadline: String,
    /// 责任领导.
    pub owner: String,
    pub department: String,
}

/// The headings of the three lists, each with its table's columns.
pub const PROBLEM_COLUMNS: [&str; 3] = ["序号", "问题", "来源"];
pub const TASK_COLUMNS: [&str; 6] = ["序号", "问题", "整改任务", "完成标准", "类型", "时限"];
pub const DUTY_COLUMNS: [&str; 5] = ["序号", "整改任务", "责任领导", "责任部门", "时限"];

fn header(columns: &[&str]) -> Vec<String> {
    columns.iter().map(|column| column.to_string()).collect()
}

/// The 整改方案: title, an opening paragraph, then the 问题清单, 任务清单 and 责任清单 as
/// tables, and the date.
pub fn plan_blocks(meeting_title: &str, lines: &[PlanLine], date: &str) -> Vec<Block> {
    let numbered = |cells: &dyn Fn(&PlanLine) -> Vec<String>| -> Vec<Vec<String>> {
        lines
            .iter()
            .enumerate()
            .map(|(index, line)| {
                let mut row = vec![(index + 1).to_string()];
                row.extend(cells(line));
                row
            })
            .collect()
    };
    vec![
        Block::Title(format!("{meeting_title}整改方案")),
        Block::Body(format!(
            "为切实抓好{meeting_title}查摆问题的整改落实，针对对照检查材料查摆的问题、征求到的意见建议、\
             督导组点评和上级反馈指出的问题，制定本方案。方案共列问题{count}个、整改任务{count}项，\
             逐项明确责任领导、责任部门、完成时限和完成标准，实行清单管理、对账销号，\
             立行立改的事项即知即改，限期整改的事项按时完成，长期坚持的事项定期回头看。",
            count = lines.len()
        )),
        Block::Heading("一、问题清单".into()),
        Block::Table {
            header: header(&PROBLEM_COLUMNS),
            rows: numbered(&|line| vec![line.problem.clone(), line.source.clone()]),
        },
        Block::Heading("二、任务清单".into()),
        Block::Table {
            header: header(&TASK_COLUMNS),
            rows: numbered(&|line| {
                vec![
                    line.problem.clone(),
                    line.task.clone(),
                    line.standard.clone(),
                    line.kind.clone(),
                    line.deadline.clone(),
                ]
            }),
        },
        Block::Heading("三、责任清单".into()),
        Block::Table {
            header: header(&DUTY_COLUMNS),
            rows: numbered(&|line| {
                vec![
                    line.task.clone(),
                    line.owner.clone(),
                    line.department.clone(),
                    line.deadline.clone(),
                ]
            }),
        },
        Block::Date(date.into()),
    ]
}

/// One item of the 整改落实情况报告, as it stood on the report's day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub task: String,
    pub owner: String,
    pub deadline: String,
    pub status: String,
    /// The latest progress or completion report on or before the day.
    pub progress: String,
    /// The 佐证材料 uploaded by the day, by file name.
    pub evidence: Vec<String>,
}

pub const PROGRESS_COLUMNS: [&str; 6] =
    ["序号", "整改任务", "责任领导", "时限", "状态", "最新进展"];
pub const EVIDENCE_COLUMNS: [&str; 3] = ["序号", "整改任务", "佐证材料"];

/// The 整改落实情况报告 for the 上级 as of `on_words` (e.g. 2026年6月30日): the counts by
/// status, each item's progress, and the evidence list.
pub fn report_blocks(
    meeting_title: &str,
    on_words: &str,
    counts: &ReportCounts,
    lines: &[ReportLine],
) -> Vec<Block> {
    let progress = lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            vec![
                (index + 1).to_string(),
                line.task.clone(),
                line.owner.clone(),
                line.deadline.clone(),
                line.status.clone(),
                if line.progress.is_empty() {
                    "暂无进展报告".into()
                } else {
                    line.progress.clone()
                },
            ]
        })
        .collect();
    let evidence: Vec<Vec<String>> = lines
        .iter()
        .enumerate()
        .filter(|(_, line)| !line.evidence.is_empty())
        .map(|(index, line)| {
            vec![
                (index + 1).to_string(),
                line.task.clone(),
                line.evidence.join("；"),
            ]
        })
        .collect();
    let mut blocks = vec![
        Block::Title(format!("{meeting_title}整改落实情况报告")),
        Block::Body(format!(
            "按照要求，现将{meeting_title}整改方案落实情况报告如下（统计截至{on_words}）。"
        )),
        Block::Heading("一、总体情况".into()),
        Block::Body(counts.sentence()),
        Block::Heading("二、逐项整改进展".into()),
        Block::Table {
            header: header(&PROGRESS_COLUMNS),
            rows: progress,
        },
        Block::Heading("三、佐证材料清单".into()),
    ];
    if evidence.is_empty() {
        blocks.push(Block::Body("截至统计日，尚未上传佐证材料。".into()));
    } else {
        blocks.push(Block::Table {
            header: header(&EVIDENCE_COLUMNS),
            rows: evidence,
        });
    }
    blocks.push(Block::Date(on_words.into()));
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line() -> PlanLine {
        PlanLine {
            problem: "调查研究不够深入".into(),
            source: "督导组点评".into(),
            task: "每季度蹲点调研1次".into(),
            standard: "形成调研报告4篇".into(),
            kind: "限期整改".into(),
            deadline: "2026年6月30日".into(),
            owner: "王书记".into(),
            department: "办公室".into(),
        }
    }

    #[test]
    fn the_plan_has_its_three_lists_as_tables_in_order() {
        let blocks = plan_blocks("2026年度民主生活会", &[line(), line()], "2026年3月1日");
        let tables: Vec<&Vec<String>> = blocks
            .iter()
            .filter_map(|block| match block {
                Block::Table { header, rows } => {
                    assert_eq!(rows.len(), 2);
                    Some(header)
                }
                _ => None,
            })
            .collect();
        assert_eq!(
            tables,
            [
                &header(&PROBLEM_COLUMNS),
                &header(&TASK_COLUMNS),
                &header(&DUTY_COLUMNS)
            ]
        );
    }

    #[test]
    fn a_report_without_evidence_says_so_instead_of_an_empty_table() {
        let blocks = report_blocks(
            "2026年度民主生活会",
            "2026年6月30日",
            &ReportCounts::default(),
            &[ReportLine {
                task: "每季度蹲点调研1次".into(),
                owner: "王书记".into(),
                deadline: "2026-06-30".into(),
                status: "整改中".into(),
                progress: String::new(),
                evidence: Vec::new(),
            }],
        );
        let tables = blocks
            .iter()
            .filter(|block| matches!(block, Block::Table { .. }))
            .count();
        assert_eq!(tables, 1);
        assert!(blocks.contains(&Block::Body("截至统计日，尚未上传佐证材料。".into())));
    }
}
