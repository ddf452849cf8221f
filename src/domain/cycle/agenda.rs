//! 会议议程 and its 通报: the steps the pack puts on the meeting's agenda, and the reports
//! among them written out from what the app holds — the last meeting's 整改 from the ledger,
//! the 征求意见 from the survey and talks — with bracketed places for what only the secretary
//! can write. Any other 通报 the pack names (2025年度: 中央八项规定精神学习教育整改整治情况) is
//! a skeleton with the usual three headings.

use super::*;
use crate::domain::ledger::{CarriedItem, ItemStatus};
use chrono::NaiveDate;

/// What a 通报 on the agenda is written from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaReportKind {
    /// 通报上年度（上次）整改落实情况: the branch's items of the previous meeting.
    Rectification,
    /// 通报征求意见情况: the survey and the talks, counted.
    Opinions,
    /// Another 通报 of the pack: a skeleton.
    Other,
}

/// Which report an agenda step is, or `None` for a step that is not a 通报 (对照检查,
/// 民主评议党员, 案例剖析 …), which the minutes list but nobody writes out beforehand.
pub fn agenda_report_kind(step: &str) -> Option<AgendaReportKind> {
    let step = step.trim();
    if !step.starts_with("通报") {
        return None;
    }
    Some(if step.contains("整改落实") {
        AgendaReportKind::Rectification
    } else if step.contains("征求意见") {
        AgendaReportKind::Opinions
    } else {
        AgendaReportKind::Other
    })
}

/// The agenda of a meeting whose template names none: the two 通报 every 组织生活会 and
/// 民主生活会 hears (docs/DOMAIN.md §2.2).
pub fn default_agenda(kind_label: &str) -> Vec<String> {
    let meeting = if kind_label.contains("民主生活会") {
        "民主生活会"
    } else {
        "组织生活会"
    };
    vec![
        format!("通报上次{meeting}查摆问题整改落实情况"),
        "通报会前征求意见情况".to_string(),
    ]
}

/// One owner's item of the previous meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedItem {
    pub owner: String,
    pub item: CarriedItem,
}

/// What the 通报 are written from. Counts only: nobody's answers nor opinions' text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AgendaFacts {
    /// The previous meeting's title and its items, when the branch has one in the ledger.
    pub previous: Option<(String, Vec<OwnedItem>)>,
    pub today: Option<NaiveDate>,
    pub survey_respondents: usize,
    pub survey_opinions: usize,
    pub talks: usize,
    pub opinions_passed_on: usize,
    pub opinions_pending: usize,
}

/// One 通报, written out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaReport {
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// The 通报 of `agenda`, in its order.
pub fn agenda_reports(agenda: &[String], facts: &AgendaFacts) -> Vec<AgendaReport> {
    agenda
        .iter()
        .filter_map(|step| {
            let paragraphs = match agenda_report_kind(step)? {
                AgendaReportKind::Rectification => rectification_report(facts),
                AgendaReportKind::Opinions => opinions_report(facts),
                AgendaReportKind::Other => other_report(step),
            };
            Some(AgendaReport {
                title: step.trim().to_string(),
                paragraphs,
            })
        })
        .collect()
}

fn rectification_report(facts: &AgendaFacts) -> Vec<String> {
    let Some((meeting, items)) = facts
        .previous
        .as_ref()
        .filter(|(_, items)| !items.is_empty())
    else {
        return vec![
            "【省身中没有本支部上次会议的整改台账，请据实填写上次查摆问题的整改落实情况】".into(),
        ];
    };
    let count = |status: ItemStatus| {
        items
            .iter()
            .filter(|owned| owned.item.state.status == status)
            .count()
    };
    let (closed, awaiting, ongoing) = (
        count(ItemStatus::Closed),
        count(ItemStatus::AwaitingClose),
        count(ItemStatus::Ongoing),
    );
    let open = items.len() - closed - awaiting - ongoing;
    let overdue = facts.today.map_or(0, |today| {
        items
            .iter()
            .filter(|owned| {
                matches!(
                    owned.item.state.status,
                    ItemStatus::NotStarted | ItemStatus::InProgress
                ) && owned.item.state.deadline.is_some_and(|due| due < today)
            })
            .count()
    });
    let mut summary = format!(
        "{meeting}共制定整改措施{}项。截至目前，已完成整改并销号{closed}项",
        items.len()
    );
    if awaiting > 0 {
        summary.push_str(&format!("，已完成待销号{awaiting}项"));
    }
    if ongoing > 0 {
        summary.push_str(&format!("，需长期坚持{ongoing}项"));
    }
    if open > 0 {
        summary.push_str(&format!("，正在整改{open}项"));
        if overdue > 0 {
            summary.push_str(&format!("（其中超过时限{overdue}项）"));
        }
    }
    summary.push('。');
    let mut paragraphs = vec![summary];
    paragraphs.extend(items.iter().enumerate().map(|(index, owned)| {
        let measure = owned.item.measure.trim_end_matches(['。', '；', ';', '.']);
        format!(
            "{}. {}：{measure}。{}",
            index + 1,
            owned.owner,
            owned.item.standing()
        )
    }));
    if open + awaiting > 0 {
        paragraphs.push("【对尚未完成的整改事项，请写明原因和下一步打算】".into());
    }
    paragraphs
}

fn opinions_report(facts: &AgendaFacts) -> Vec<String> {
    let mut ways = Vec::new();
    if facts.survey_respondents > 0 {
        ways.push(format!(
            "发放征求意见问卷，共{}人参与，收集意见建议{}条",
            facts.survey_respondents, facts.survey_opinions
        ));
    }
    if facts.talks > 0 {
        ways.push(format!("开展谈心谈话{}人次", facts.talks));
    }
    let mut paragraphs = vec![if ways.is_empty() {
        "会前，通过【座谈、个别访谈、征求意见表等方式】广泛征求意见建议，共收集意见建议【 】条。"
            .to_string()
    } else {
        format!("会前，{}。", ways.join("；"))
    }];
    let addressed = facts.opinions_passed_on + facts.opinions_pending;
    if addressed > 0 {
        paragraphs.push(match facts.opinions_pending {
            0 => format!("梳理归纳后，对个人的意见{addressed}条已逐一反馈本人。"),
            pending => format!(
                "梳理归纳后，对个人的意见共{addressed}条，已反馈本人{}条，尚有{pending}条待反馈。",
                facts.opinions_passed_on
            ),
        });
    }
    paragraphs.push("【请概括意见建议反映的主要方面，以及对班子和个人意见的整改落实安排】".into());
    paragraphs
}

fn other_report(step: &str) -> Vec<String> {
    let subject = step.trim().trim_start_matches("通报");
    vec![
        format!("【{subject}：基本情况】"),
        "【主要做法和取得的成效】".to_string(),
        "【存在的不足和下一步打算】".to_string(),
    ]
}

/// The 会议通报材料: every 通报 of the agenda, each under its heading, in the official layout.
pub fn agenda_document(meeting_title: &str, reports: &[AgendaReport]) -> Material {
    document(
        format!("{meeting_title}会议通报材料"),
        Vec::new(),
        reports
            .iter()
            .map(|report| (report.title.clone(), report.paragraphs.clone()))
            .collect(),
    )
}

/// The minutes with the agenda: "会议议程" listing every step, then each 通报 as it was
/// read out, before the notes and the speakers.
pub fn minutes_with_agenda(
    mut minutes: Material,
    agenda: &[String],
    reports: &[AgendaReport],
) -> Material {
    use crate::domain::material::Part;
    if agenda.is_empty() {
        return minutes;
    }
    let numbered = agenda
        .iter()
        .enumerate()
        .map(|(index, step)| format!("{}、{}", chinese_number(index + 1), step.trim()))
        .collect();
    let mut added = vec![Part {
        kind: PartKind::Other,
        heading: "会议议程".into(),
        paragraphs: numbered,
        items: Vec::new(),
    }];
    added.extend(reports.iter().map(|report| Part {
        kind: PartKind::Other,
        heading: report.title.clone(),
        paragraphs: report.paragraphs.clone(),
        items: Vec::new(),
    }));
    // First: the notes (点评, 总结) and the speakers follow.
    minutes.parts.splice(0..0, added);
    minutes
}

/// 一 … 十九, as agenda steps are numbered.
fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ledger::ItemState;
    use crate::domain::material::Deadline;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn owned(owner: &str, measure: &str, status: ItemStatus, due: NaiveDate) -> OwnedItem {
        let mut state = ItemState::for_measure(Some(&Deadline::By(due)), &[]);
        state.status = status;
        OwnedItem {
            owner: owner.into(),
            item: CarriedItem {
                measure: measure.into(),
                state,
                last_report: None,
            },
        }
    }

    const AGENDA_2025: [&str; 4] = [
        "通报深入贯彻中央八项规定精神学习教育整改整治情况",
        "通报2024年度民主生活会整改落实情况",
        "通报本次民主生活会征求意见情况",
        "反面典型案例剖析",
    ];

    #[test]
    fn each_step_of_the_2025_agenda_is_the_report_it_names() {
        let kinds: Vec<_> = AGENDA_2025.iter().map(|s| agenda_report_kind(s)).collect();
        assert_eq!(
            kinds,
            vec![
                Some(AgendaReportKind::Other),
                Some(AgendaReportKind::Rectification),
                Some(AgendaReportKind::Opinions),
                None
            ]
        );
        assert_eq!(agenda_report_kind("支部书记代表支部委员会作对照检查"), None);
        assert_eq!(
            agenda_report_kind("通报2024年度组织生活会查摆问题整改落实情况"),
            Some(AgendaReportKind::Rectification)
        );
    }

    #[test]
    fn the_rectification_report_counts_the_last_meetings_items_and_names_each() {
        let facts = AgendaFacts {
            previous: Some((
                "2024年度组织生活会".into(),
                vec![
                    owned(
                        "张明",
                        "每月精读一篇原著。",
                        ItemStatus::Closed,
                        day(2025, 6, 30),
                    ),
                    owned(
                        "刘芳",
                        "建立调研台账",
                        ItemStatus::InProgress,
                        day(2025, 9, 30),
                    ),
                    owned(
                        "刘芳",
                        "坚持每周谈心",
                        ItemStatus::Ongoing,
                        day(2025, 12, 31),
                    ),
                ],
            )),
            today: Some(day(2026, 1, 10)),
            ..AgendaFacts::default()
        };
        let agenda: Vec<String> = AGENDA_2025.iter().map(|s| s.to_string()).collect();
        let reports = agenda_reports(&agenda, &facts);
        assert_eq!(reports.len(), 3, "the case analysis is not a 通报");
        let rectification = &reports[1];
        assert_eq!(rectification.title, "通报2024年度民主生活会整改落实情况");
        assert_eq!(
            rectification.paragraphs[0],
            "2024年度组织生活会共制定整改措施3项。截至目前，已完成整改并销号1项，需长期坚持1项，正在整改1项（其中超过时限1项）。"
        );
        assert_eq!(
            rectification.paragraphs[1],
            "1. 张明：每月精读一篇原著。已完成整改。"
        );
        assert!(rectification.paragraphs[2].starts_with("2. 刘芳：建立调研台账。正在整改"));
        assert!(
            rectification
                .paragraphs
                .last()
                .unwrap()
                .contains("下一步打算")
        );
        // The skeleton keeps the report's own subject.
        assert_eq!(
            reports[0].paragraphs[0],
            "【深入贯彻中央八项规定精神学习教育整改整治情况：基本情况】"
        );
    }

    #[test]
    fn without_a_previous_meeting_the_report_asks_to_be_written() {
        let reports = agenda_reports(&default_agenda("组织生活会"), &AgendaFacts::default());
        assert_eq!(reports.len(), 2);
        assert!(reports[0].paragraphs[0].contains("请据实填写"));
        assert!(reports[1].paragraphs[0].contains("【座谈、个别访谈"));
    }

    #[test]
    fn the_opinions_report_counts_answers_talks_and_what_was_passed_on() {
        let facts = AgendaFacts {
            survey_respondents: 12,
            survey_opinions: 30,
            talks: 8,
            opinions_passed_on: 5,
            opinions_pending: 2,
            ..AgendaFacts::default()
        };
        let report = opinions_report(&facts);
        assert_eq!(
            report[0],
            "会前，发放征求意见问卷，共12人参与，收集意见建议30条；开展谈心谈话8人次。"
        );
        assert_eq!(
            report[1],
            "梳理归纳后，对个人的意见共7条，已反馈本人5条，尚有2条待反馈。"
        );
    }

    #[test]
    fn the_minutes_list_the_agenda_and_its_reports_before_the_speakers() {
        let minutes = minutes_document(
            "2025年度组织生活会",
            "2026年1月15日",
            None,
            Quorum::of(MeetingKind::BranchMeeting, 3, 3),
            &[],
            "书记主持会议",
            &[MinutesSpeaker {
                name: "张明".into(),
                status: SpeakerStatus::Spoken,
                criticisms: String::new(),
                pledge: String::new(),
            }],
        );
        let agenda = vec![
            "支部书记代表支部委员会作对照检查".to_string(),
            "通报会前征求意见情况".to_string(),
        ];
        let reports = agenda_reports(&agenda, &AgendaFacts::default());
        let minutes = minutes_with_agenda(minutes, &agenda, &reports);
        let headings: Vec<&str> = minutes.parts.iter().map(|p| p.heading.as_str()).collect();
        assert_eq!(
            headings,
            vec!["会议议程", "通报会前征求意见情况", "会议情况", "张明"]
        );
        assert_eq!(
            minutes.parts[0].paragraphs,
            vec![
                "一、支部书记代表支部委员会作对照检查",
                "二、通报会前征求意见情况"
            ]
        );
        assert_eq!(chinese_number(12), "十二");
    }
}
