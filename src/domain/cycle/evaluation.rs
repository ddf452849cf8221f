//! 民主评议党员 (docs/DOMAIN.md §2.2 step 6, §2.3 A5): each member's 个人自评, the secret
//! 互评/测评 of every other member, the 支委会 评定 with its reasons, and the written 反馈.
//! The grades are the 民主测评's [`Grade`]; the rules here are pure.
//!
//! Long because the 评定's rules and what follows a 基本合格 or 不合格 (处置 steps in order)
//! are one procedure: split, the order of its steps would be read across files.

use super::*;
use chrono::NaiveDate;

crate::domain::coded_enum! {
    /// Who grades the others in the 互评/测评.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum VoterScope {
        /// Every member of the meeting grades every other one.
        All => ("all", "全体党员"),
        /// Only the 支委 (the branch's secretaries in this app) grade.
        Committee => ("committee", "仅支委"),
    }
}

/// The share of 优秀 a branch allows when the secretary sets none: the common practice of
/// "优秀等次一般不超过参评党员的 30%".
pub const DEFAULT_EXCELLENT_SHARE: u8 = 30;

/// The longest section of a 自评, in characters.
pub const SELF_SECTION_MAX: usize = 2000;

/// The points a 自评 is written along: (form field, heading, hint).
pub const SELF_POINTS: [(&str, &str, &str); 4] = [
    (
        "ideals",
        "理想信念",
        "学习贯彻党的创新理论，坚定理想信念，对党忠诚等方面的情况",
    ),
    (
        "discipline",
        "政治纪律",
        "遵守党章党规党纪，执行组织决定，参加组织生活、交纳党费等方面的情况",
    ),
    (
        "conduct",
        "作用发挥",
        "立足岗位做贡献、联系服务群众、发挥先锋模范作用等方面的情况",
    ),
    (
        "shortcomings",
        "存在不足",
        "查找自身存在的差距和不足，明确今后努力方向和整改措施",
    ),
];

/// The evaluation's settings on a meeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluationSettings {
    pub enabled: bool,
    /// The planned days the 互评/测评 runs (the secretary still opens and closes it).
    pub opens_on: Option<NaiveDate>,
    pub closes_on: Option<NaiveDate>,
    /// The most 优秀 allowed, in per cent of the members evaluated.
    pub excellent_share: u8,
    pub voters: VoterScope,
    /// Whether the 评定 needs a 党员大会 decision besides the 支委会.
    pub assembly_needed: bool,
}

impl Default for EvaluationSettings {
    fn default() -> Self {
        Self {
            enabled: false,
            opens_on: None,
            closes_on: None,
            excellent_share: DEFAULT_EXCELLENT_SHARE,
            voters: VoterScope::All,
            assembly_needed: true,
        }
    }
}

fn optional_date(field: &str, raw: &str) -> Result<Option<NaiveDate>, DomainError> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    crate::domain::meeting::parse_date(raw)
        .map(Some)
        .ok_or_else(|| DomainError::Invalid(format!("{field}格式不对，请写成 2026-01-15")))
}

/// Reads the secretary's settings form.
pub fn evaluation_settings(
    enabled: bool,
    opens_on: &str,
    closes_on: &str,
    excellent_share: &str,
    voters: &str,
    assembly_needed: bool,
) -> Result<EvaluationSettings, DomainError> {
    let opens_on = optional_date("测评开始日期", opens_on)?;
    let closes_on = optional_date("测评结束日期", closes_on)?;
    if let (Some(open), Some(close)) = (opens_on, closes_on)
        && close < open
    {
        return Err(DomainError::Invalid("测评结束日期不能早于开始日期".into()));
    }
    let share = excellent_share.trim().trim_end_matches(['%', '％']).trim();
    let excellent_share = match share {
        "" => DEFAULT_EXCELLENT_SHARE,
        digits => digits
            .parse::<u8>()
            .ok()
            .filter(|n| *n <= 100)
            .ok_or_else(|| {
                DomainError::Invalid("优秀比例请填写 0 到 100 之间的整数，如 30".into())
            })?,
    };
    let voters = VoterScope::parse(voters)
        .ok_or_else(|| DomainError::Invalid("请选择参加测评的人员范围".into()))?;
    Ok(EvaluationSettings {
        enabled,
        opens_on,
        closes_on,
        excellent_share,
        voters,
        assembly_needed,
    })
}

/// A member's 个人自评: one text per point of [`SELF_POINTS`], and the grade they give
/// themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelfAssessment {
    pub sections: Vec<String>,
    pub grade: Grade,
}

/// Reads a 自评: every point written, a grade picked.
pub fn self_assessment(sections: &[&str], grade: &str) -> Result<SelfAssessment, DomainError> {
    if sections.len() != SELF_POINTS.len() {
        return Err(DomainError::Invalid(
            "自评内容不完整，请刷新页面后重填".into(),
        ));
    }
    let sections = SELF_POINTS
        .iter()
        .zip(sections)
        .map(|((_, heading, _), text)| long_text(heading, text, SELF_SECTION_MAX))
        .collect::<Result<Vec<_>, _>>()?;
    let grade = Grade::parse(grade).ok_or_else(|| DomainError::Invalid("请选择自评等次".into()))?;
    Ok(SelfAssessment { sections, grade })
}

/// Reads the remarks of a 互评 form: (member id, text) for the members who got one. Empty
/// remarks are dropped; a remark to someone not graded is refused.
pub fn remarks(
    raw: &[(String, String)],
    graded: &[String],
) -> Result<Vec<(String, String)>, DomainError> {
    let mut kept = Vec::new();
    for (member, text) in raw {
        if !graded.contains(member) {
            return Err(DomainError::Invalid(
                "评议意见写给了不在名单中的人员，请刷新页面后重填".into(),
            ));
        }
        let text = optional_long_text("评议意见", text, OPINION_MAX)?;
        if !text.is_empty() {
            kept.push((member.clone(), text));
        }
    }
    Ok(kept)
}

/// The most members who may be rated 优秀: the share of those evaluated, rounded down.
pub fn excellent_cap(members: usize, share: u8) -> usize {
    members * usize::from(share) / 100
}

/// The 支委会's grade for one member, with its reason where one is needed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdict {
    pub grade: Grade,
    pub reason: Option<String>,
}

/// Reads a 评定: a reason is required for 基本合格 and 不合格, and for an 优秀 that takes the
/// branch beyond its share (`other_excellent` are the 优秀 already set for other members).
pub fn verdict(
    grade: &str,
    reason: &str,
    other_excellent: usize,
    members: usize,
    share: u8,
) -> Result<Verdict, DomainError> {
    let grade = Grade::parse(grade).ok_or_else(|| DomainError::Invalid("请选择评定等次".into()))?;
    let reason = optional_long_text("评定理由", reason, OPINION_MAX)?;
    let beyond_share =
        grade == Grade::Excellent && other_excellent + 1 > excellent_cap(members, share);
    if reason.is_empty() {
        match grade {
            Grade::BasicallyQualified | Grade::Unqualified => {
                return Err(DomainError::Invalid(format!(
                    "评定为“{}”的，须填写评定理由",
                    grade.label()
                )));
            }
            Grade::Excellent if beyond_share => {
                return Err(DomainError::Invalid(format!(
                    "“优秀”已超过规定比例（不超过参评党员的 {share}%，即 {} 名），须填写评定理由",
                    excellent_cap(members, share)
                )));
            }
            _ => {}
        }
    }
    Ok(Verdict {
        grade,
        reason: (!reason.is_empty()).then_some(reason),
    })
}

/// The dates that close the 评定: the 支委会's, and the 党员大会's where one is needed (not
/// before the 支委会). `undecided` members without a grade keep it open.
pub fn finalisation(
    committee_on: &str,
    assembly_on: &str,
    assembly_needed: bool,
    undecided: usize,
) -> Result<(NaiveDate, Option<NaiveDate>), DomainError> {
    if undecided > 0 {
        return Err(DomainError::Invalid(format!(
            "还有 {undecided} 名党员没有评定等次，请先逐一评定"
        )));
    }
    let committee = optional_date("支委会日期", committee_on)?
        .ok_or_else(|| DomainError::Invalid("请填写支委会研究评定的日期".into()))?;
    let assembly = optional_date("党员大会日期", assembly_on)?;
    match assembly {
        None if assembly_needed => Err(DomainError::Invalid(
            "本次评议须经党员大会审议，请填写党员大会日期".into(),
        )),
        Some(day) if day < committee => Err(DomainError::Invalid(
            "党员大会日期不能早于支委会日期".into(),
        )),
        _ => Ok((committee, assembly)),
    }
}

/// What a member is told in writing: the 评议结果通知.
pub struct NoticeFacts<'a> {
    pub meeting: &'a str,
    pub branch: &'a str,
    pub member: &'a str,
    pub grade: Grade,
    pub reason: Option<&'a str>,
    pub committee_on: NaiveDate,
    pub assembly_on: Option<NaiveDate>,
    /// The remarks others addressed to the member, without their authors.
    pub remarks: &'a [String],
}

/// The 评议结果通知 as a document in the official format.
pub fn evaluation_notice(facts: &NoticeFacts) -> Material {
    use crate::domain::meeting::chinese_date;
    let decided = match facts.assembly_on {
        Some(day) => format!(
            "经{}支委会研究、{}党员大会审议",
            chinese_date(facts.committee_on),
            chinese_date(day)
        ),
        None => format!("经{}支委会研究", chinese_date(facts.committee_on)),
    };
    let mut result = vec![format!(
        "在{}民主评议党员中，{decided}，你的评议等次为：{}。",
        facts.meeting,
        facts.grade.label()
    )];
    if let Some(reason) = facts.reason {
        result.push(format!("评定理由：{reason}"));
    }
    let remarks = if facts.remarks.is_empty() {
        vec!["本次评议中没有同志向你提出书面意见（或提出意见的人数不足 3 人，不予反馈）。".into()]
    } else {
        facts
            .remarks
            .iter()
            .enumerate()
            .map(|(i, text)| format!("{}. {text}", i + 1))
            .collect()
    };
    let mut doc = document(
        "民主评议党员结果通知".into(),
        vec![format!("{}同志：", facts.member)],
        vec![
            ("一、评议结果".into(), result),
            ("二、同志们提出的意见（匿名）".into(), remarks),
            (
                "三、希望".into(),
                vec![
                    "请对照评议意见，认真查找差距，制定整改措施，在今后的工作和学习中加以改进。"
                        .into(),
                ],
            ),
        ],
    );
    doc.closing = Some(facts.branch.to_string());
    doc
}

/// One member's line of the 民主评议党员情况统计表.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    pub name: String,
    pub self_grade: Option<Grade>,
    /// The 测评 votes per grade in `Grade::ALL` order; `None` below the small-group rule.
    pub tallies: Option<Vec<usize>>,
    pub grade: Option<Grade>,
    pub reason: Option<String>,
}

/// How many members got each grade, in `Grade::ALL` order; members not yet graded are not
/// counted.
pub fn grade_counts(rows: &[SheetRow]) -> Vec<usize> {
    Grade::ALL
        .iter()
        .map(|grade| rows.iter().filter(|row| row.grade == Some(*grade)).count())
        .collect()
}

crate::domain::coded_enum! {
    /// The 处置 of a member rated 不合格 (《不合格党员组织处置办法》).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Disposal {
        /// 限期改正: a period with improvement items and follow-ups.
        Correction => ("correction", "限期改正"),
        /// 劝其退党.
        Persuade => ("persuade", "劝其退党"),
        /// 除名: needs the 上级党组织's approval.
        Removal => ("removal", "除名"),
    }
}

/// The most improvement items one follow-up lists.
pub const PLAN_ITEMS_MAX: usize = 3;

/// One improvement item: what to do, by when. It becomes a 整改台账 item of the member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub measure: String,
    pub due: NaiveDate,
}

/// What follows a 基本合格 or a 不合格.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FollowUp {
    /// 基本合格: a 谈话提醒 and an improvement plan.
    Reminder {
        talk_on: NaiveDate,
        talk_by: String,
        plan: Vec<PlanItem>,
    },
    /// 不合格: the 处置 with its 支部大会 decision, the member's 申辩, the 上级 approval.
    Disposal {
        disposal: Disposal,
        decision_on: NaiveDate,
        /// 限期改正 only: the end of the period.
        period_until: Option<NaiveDate>,
        defence: Option<String>,
        approval_on: Option<NaiveDate>,
        plan: Vec<PlanItem>,
    },
}

/// The follow-up form as posted.
#[derive(Debug, Clone, Default)]
pub struct FollowUpForm<'a> {
    pub talk_on: &'a str,
    pub talk_by: &'a str,
    pub disposal: &'a str,
    pub decision_on: &'a str,
    pub period_until: &'a str,
    pub defence: &'a str,
    pub approval_on: &'a str,
    /// (measure, due) per line; lines left empty are skipped.
    pub plan: Vec<(&'a str, &'a str)>,
}

fn plan_items(lines: &[(&str, &str)]) -> Result<Vec<PlanItem>, DomainError> {
    let mut plan = Vec::new();
    for (index, (measure, due)) in lines.iter().enumerate() {
        if measure.trim().is_empty() && due.trim().is_empty() {
            continue;
        }
        let measure = long_text(&format!("第 {} 条整改措施", index + 1), measure, 500)?;
        let due = optional_date("整改时限", due)?.ok_or_else(|| {
            DomainError::Invalid(format!("请填写第 {} 条整改措施的完成时限", index + 1))
        })?;
        plan.push(PlanItem { measure, due });
    }
    if plan.len() > PLAN_ITEMS_MAX {
        return Err(DomainError::Invalid(format!(
            "整改措施最多 {PLAN_ITEMS_MAX} 条"
        )));
    }
    Ok(plan)
}

/// Reads what follows a member's grade, the steps in their order: the 谈话提醒 and a plan for
/// 基本合格; for 不合格 the 处置, decided by the 支部大会 not before the 评定 (`decided_on`,
/// the 支委会's date), a 限期改正 with its period and plan, a 除名 with the 上级 approval, and
/// no approval dated before the decision.
pub fn follow_up(
    grade: Grade,
    decided_on: NaiveDate,
    form: &FollowUpForm,
) -> Result<FollowUp, DomainError> {
    let plan = plan_items(&form.plan)?;
    match grade {
        Grade::BasicallyQualified => {
            let talk_on = optional_date("谈话提醒日期", form.talk_on)?
                .ok_or_else(|| DomainError::Invalid("请填写谈话提醒的日期".into()))?;
            let talk_by = long_text("谈话人", form.talk_by, 50)?;
            if talk_on < decided_on {
                return Err(DomainError::Invalid(
                    "谈话提醒应在支委会评定之后进行".into(),
                ));
            }
            if plan.is_empty() {
                return Err(DomainError::Invalid(
                    "请至少填写一条整改措施及完成时限".into(),
                ));
            }
            Ok(FollowUp::Reminder {
                talk_on,
                talk_by,
                plan,
            })
        }
        Grade::Unqualified => {
            let disposal = Disposal::parse(form.disposal)
                .ok_or_else(|| DomainError::Invalid("请选择处置方式".into()))?;
            let decision_on = optional_date("支部大会日期", form.decision_on)?
                .ok_or_else(|| DomainError::Invalid("请填写支部大会作出处置决定的日期".into()))?;
            if decision_on < decided_on {
                return Err(DomainError::Invalid(
                    "支部大会决定不能早于支委会评定".into(),
                ));
            }
            let period_until = optional_date("改正期限", form.period_until)?;
            let approval_on = optional_date("上级批准日期", form.approval_on)?;
            if approval_on.is_some_and(|day| day < decision_on) {
                return Err(DomainError::Invalid(
                    "上级批准日期不能早于支部大会决定".into(),
                ));
            }
            let period_until = match disposal {
                Disposal::Correction => {
                    let until = period_until
                        .ok_or_else(|| DomainError::Invalid("限期改正须填写改正期限".into()))?;
                    if until <= decision_on {
                        return Err(DomainError::Invalid("改正期限应在支部大会决定之后".into()));
                    }
                    if plan.is_empty() {
                        return Err(DomainError::Invalid(
                            "限期改正须至少填写一条整改措施及完成时限".into(),
                        ));
                    }
                    Some(until)
                }
                Disposal::Removal if approval_on.is_none() => {
                    return Err(DomainError::Invalid(
                        "除名须报上级党组织批准，请填写批准日期".into(),
                    ));
                }
                _ => None,
            };
            Ok(FollowUp::Disposal {
                disposal,
                decision_on,
                period_until,
                defence: Some(optional_long_text("本人申辩", form.defence, OPINION_MAX)?)
                    .filter(|text| !text.is_empty()),
                approval_on,
                plan,
            })
        }
        _ => Err(DomainError::Invalid(
            "只有评定为基本合格或不合格的党员需要后续处理".into(),
        )),
    }
}

/// Whether a 限期改正 has ended (`today` past its period) with no further step recorded:
/// the branch must decide what comes next.
pub fn correction_lapsed(follow_up: &FollowUp, today: NaiveDate) -> bool {
    matches!(
        follow_up,
        FollowUp::Disposal {
            disposal: Disposal::Correction,
            period_until: Some(until),
            ..
        } if *until < today
    )
}

impl FollowUp {
    /// The improvement items, which become 整改台账 items.
    pub fn plan(&self) -> &[PlanItem] {
        match self {
            Self::Reminder { plan, .. } | Self::Disposal { plan, .. } => plan,
        }
    }

    /// One line for the pages: the steps with their dates.
    pub fn summary(&self) -> String {
        match self {
            Self::Reminder {
                talk_on, talk_by, ..
            } => format!("{talk_on} 由{talk_by}进行谈话提醒"),
            Self::Disposal {
                disposal,
                decision_on,
                period_until,
                approval_on,
                ..
            } => {
                let mut parts = vec![format!("{decision_on} 支部大会决定{}", disposal.label())];
                if let Some(until) = period_until {
                    parts.push(format!("改正期限至 {until}"));
                }
                if let Some(day) = approval_on {
                    parts.push(format!("{day} 上级党组织批准"));
                }
                parts.join("；")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_read_dates_share_and_voters() {
        let s = evaluation_settings(true, "2026-01-05", "2026-01-10", "30%", "all", true).unwrap();
        assert_eq!(s.excellent_share, 30);
        assert_eq!(s.voters, VoterScope::All);
        assert_eq!(
            evaluation_settings(true, "", "", "", "committee", false)
                .unwrap()
                .excellent_share,
            DEFAULT_EXCELLENT_SHARE
        );
        assert!(evaluation_settings(true, "2026-01-10", "2026-01-05", "30", "all", true).is_err());
        assert!(evaluation_settings(true, "", "", "130", "all", true).is_err());
        assert!(evaluation_settings(true, "", "", "三成", "all", true).is_err());
        assert!(evaluation_settings(true, "", "", "30", "everyone", true).is_err());
    }

    #[test]
    fn a_self_assessment_covers_every_point_and_picks_a_grade() {
        let full = ["坚定", "遵守", "带头", "学习不够"];
        let done = self_assessment(&full, "qualified").unwrap();
        assert_eq!(done.grade, Grade::Qualified);
        assert_eq!(done.sections.len(), 4);
        let Err(error) = self_assessment(&["坚定", "遵守", "带头", " "], "qualified") else {
            panic!("an empty point is refused")
        };
        assert!(error.to_string().contains("存在不足"), "{error}");
        assert!(self_assessment(&full, "").is_err());
    }

    #[test]
    fn counts_per_grade_skip_the_ungraded() {
        let row = |grade| SheetRow {
            name: "张明".into(),
            self_grade: None,
            tallies: None,
            grade,
            reason: None,
        };
        let rows = [
            row(Some(Grade::Qualified)),
            row(Some(Grade::Qualified)),
            row(Some(Grade::Unqualified)),
            row(None),
        ];
        assert_eq!(grade_counts(&rows), [0, 2, 0, 1]);
    }

    fn day(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    #[test]
    fn a_basic_grade_needs_a_reminder_talk_and_a_plan() {
        let decided = day("2026-01-10");
        let mut form = FollowUpForm {
            talk_on: "2026-01-15",
            talk_by: "李红梅",
            plan: vec![("每月走访群众两次", "2026-06-30"), ("", "")],
            ..FollowUpForm::default()
        };
        let done = follow_up(Grade::BasicallyQualified, decided, &form).unwrap();
        assert_eq!(done.plan().len(), 1);
        assert_eq!(done.summary(), "2026-01-15 由李红梅进行谈话提醒");
        form.plan = vec![];
        assert!(follow_up(Grade::BasicallyQualified, decided, &form).is_err());
        form.plan = vec![("走访", "")];
        assert!(follow_up(Grade::BasicallyQualified, decided, &form).is_err());
        form.plan = vec![("走访", "2026-06-30")];
        form.talk_on = "2026-01-05";
        assert!(follow_up(Grade::BasicallyQualified, decided, &form).is_err());
        assert!(follow_up(Grade::Qualified, decided, &form).is_err());
    }

    #[test]
    fn the_disposal_steps_come_in_order() {
        let decided = day("2026-01-10");
        let correction = FollowUpForm {
            disposal: "correction",
            decision_on: "2026-01-20",
            period_until: "2026-07-20",
            plan: vec![("按时参加组织生活", "2026-07-20")],
            ..FollowUpForm::default()
        };
        let done = follow_up(Grade::Unqualified, decided, &correction).unwrap();
        assert!(!correction_lapsed(&done, day("2026-07-20")));
        assert!(correction_lapsed(&done, day("2026-07-21")));
        let early = FollowUpForm {
            decision_on: "2026-01-05",
            ..correction.clone()
        };
        assert!(follow_up(Grade::Unqualified, decided, &early).is_err());
        let no_period = FollowUpForm {
            period_until: "",
            ..correction.clone()
        };
        assert!(follow_up(Grade::Unqualified, decided, &no_period).is_err());
        let removal = FollowUpForm {
            disposal: "removal",
            decision_on: "2026-01-20",
            defence: "本人申辩：因病未能参加",
            ..FollowUpForm::default()
        };
        let Err(error) = follow_up(Grade::Unqualified, decided, &removal) else {
            panic!("除名 without the 上级 approval")
        };
        assert!(error.to_string().contains("上级党组织批准"), "{error}");
        let approved_before = FollowUpForm {
            approval_on: "2026-01-18",
            ..removal.clone()
        };
        assert!(follow_up(Grade::Unqualified, decided, &approved_before).is_err());
        let approved = FollowUpForm {
            approval_on: "2026-02-01",
            ..removal
        };
        let FollowUp::Disposal { defence, .. } =
            follow_up(Grade::Unqualified, decided, &approved).unwrap()
        else {
            panic!("a disposal")
        };
        assert_eq!(defence.as_deref(), Some("本人申辩：因病未能参加"));
    }

    #[test]
    fn the_share_of_excellent_rounds_down() {
        assert_eq!(excellent_cap(10, 30), 3);
        assert_eq!(excellent_cap(4, 30), 1);
        assert_eq!(excellent_cap(3, 30), 0);
    }

    #[test]
    fn excellent_within_the_share_needs_no_reason_beyond_it_does() {
        assert_eq!(
            verdict("excellent", "", 0, 4, 30).unwrap(),
            Verdict {
                grade: Grade::Excellent,
                reason: None
            }
        );
        let Err(error) = verdict("excellent", "", 1, 4, 30) else {
            panic!("a second 优秀 of four members is beyond 30%")
        };
        assert!(error.to_string().contains("超过规定比例"), "{error}");
        assert!(verdict("excellent", "获省级表彰", 1, 4, 30).is_ok());
    }

    #[test]
    fn basic_and_unqualified_need_a_reason() {
        for grade in ["basic", "unqualified"] {
            let Err(error) = verdict(grade, "  ", 0, 4, 30) else {
                panic!("{grade} without a reason")
            };
            assert!(error.to_string().contains("须填写评定理由"), "{error}");
            assert!(verdict(grade, "长期不参加组织生活", 0, 4, 30).is_ok());
        }
        assert!(verdict("qualified", "", 0, 4, 30).is_ok());
        assert!(verdict("great", "", 0, 4, 30).is_err());
    }

    #[test]
    fn finalising_needs_every_grade_and_the_dates() {
        assert!(finalisation("2026-01-10", "2026-01-12", true, 1).is_err());
        assert!(finalisation("", "2026-01-12", true, 0).is_err());
        assert!(finalisation("2026-01-10", "", true, 0).is_err());
        assert!(finalisation("2026-01-10", "2026-01-08", true, 0).is_err());
        assert_eq!(
            finalisation("2026-01-10", "", false, 0).unwrap(),
            (NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(), None)
        );
    }

    #[test]
    fn remarks_drop_empty_ones_and_refuse_strangers() {
        let graded = vec!["u1".to_string(), "u2".to_string()];
        let kept = remarks(&tests_pairs(&[("u1", " 多联系群众 "), ("u2", "")]), &graded).unwrap();
        assert_eq!(kept, tests_pairs(&[("u1", "多联系群众")]));
        assert!(remarks(&tests_pairs(&[("u3", "x")]), &graded).is_err());
    }

    fn tests_pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        crate::domain::cycle::tests::pairs(list)
    }

    #[test]
    fn the_notice_names_the_grade_and_lists_remarks_without_authors() {
        let remarks = vec!["多联系群众".to_string()];
        let notice = evaluation_notice(&NoticeFacts {
            meeting: "2025年度组织生活会",
            branch: "第一党支部",
            member: "张明",
            grade: Grade::Qualified,
            reason: None,
            committee_on: NaiveDate::from_ymd_opt(2026, 1, 10).unwrap(),
            assembly_on: NaiveDate::from_ymd_opt(2026, 1, 12),
            remarks: &remarks,
        });
        let text = format!("{notice:?}");
        assert!(
            text.contains("合格") && text.contains("1. 多联系群众"),
            "{text}"
        );
        assert!(text.contains("2026年1月12日党员大会审议"), "{text}");
    }
}
