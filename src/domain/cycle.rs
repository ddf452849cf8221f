//! The meeting and what surrounds it (docs/DOMAIN.md §2.1 B4-B5, §2.2, §2.3, §6): 征求意见,
//! written 批评意见, 谈心谈话, the meeting record, 民主测评, 定稿 and the 报送 report. Pure
//! rules: who may see what is decided in `policy`, storage in `store::cycle`.

use super::DomainError;
use super::health::{Finding, Rule, Severity, Spot};
use super::material::{Material, PartKind};
use super::meeting::MeetingKind;
use serde::{Deserialize, Serialize};

/// Anonymous answers and tallies are shown only once this many people took part
/// (docs/DOMAIN.md §6.2, small-group rule): below it, a reader could guess who said what.
pub const MIN_ANONYMOUS_GROUP: usize = 3;

/// The longest opinion, criticism, response or minutes field, in characters.
pub const OPINION_MAX: usize = 3000;
/// The longest free text of the meeting record (notes, a speaker's criticisms or 表态).
pub const MINUTES_MAX: usize = 20_000;

/// Whether an anonymous group is large enough to be shown to this reader. The reader's own
/// answer or vote does not count: they know what they said, so a secretary who answered
/// with two others would otherwise face two answers from two people they can name.
pub fn group_shown(people: usize, reader_took_part: bool) -> bool {
    let others = people.saturating_sub(usize::from(reader_took_part));
    others >= MIN_ANONYMOUS_GROUP
}

super::coded_enum! {
    /// Who may answer a meeting's 征求意见.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum SurveyScope {
        /// The meeting's participants.
        Members => ("members", "本次参会党员"),
        /// Anyone of the organisation who is logged in and has the link.
        Org => ("org", "本单位所有登录用户（持链接）"),
    }
}

super::coded_enum! {
    /// Whether and how written 批评意见 are collected before the meeting (docs/DOMAIN.md §8: many
    /// units only exchange them in 谈心谈话).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum CriticismMode {
        /// Every participant may write to every other.
        Open => ("open", "参会人员相互提出"),
        /// Only the pairs the secretary assigns.
        Pairs => ("pairs", "按书记指定的结对提出"),
        /// Not collected in writing.
        Off => ("off", "不收集书面批评意见"),
    }
}

/// Whether `giver` may write criticism to `recipient`: both take part, they are different
/// people, and the meeting's mode allows the pair.
pub fn may_criticise(
    mode: CriticismMode,
    giver: &str,
    recipient: &str,
    pairs: &[(String, String)],
) -> bool {
    giver != recipient
        && match mode {
            CriticismMode::Open => true,
            CriticismMode::Pairs => pairs.iter().any(|(g, r)| g == giver && r == recipient),
            CriticismMode::Off => false,
        }
}

super::coded_enum! {
    /// Where an opinion addressed to a person came from.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum OpinionKind {
        /// Curated by the secretary from the anonymous 征求意见: no giver, ever.
        Survey => ("survey", "征求意见"),
        /// Written by a named colleague.
        Criticism => ("criticism", "批评意见"),
    }
}

/// Trims and checks one opinion, criticism or response.
pub fn opinion_text(field: &str, raw: &str) -> Result<String, DomainError> {
    long_text(field, raw, OPINION_MAX)
}

/// Trims and checks a multi-line text; line breaks are kept, other control characters are
/// refused rather than dropped.
pub fn long_text(field: &str, raw: &str, max: usize) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(DomainError::Empty {
            field: field.into(),
        });
    }
    optional_long_text(field, text, max)
}

/// Like [`long_text`], but empty is allowed.
pub fn optional_long_text(field: &str, raw: &str, max: usize) -> Result<String, DomainError> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.chars().count() > max {
        return Err(DomainError::TooLong {
            field: field.into(),
            max,
        });
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(DomainError::BadCharacters {
            field: field.into(),
            detail: "控制字符".into(),
        });
    }
    Ok(text)
}

/// One answered box of a 征求意见 form: about a person, or about the branch as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyAnswer {
    /// `None`: about the branch / 班子 as a whole.
    pub about: Option<String>,
    pub text: String,
}

/// The people a respondent's 征求意见 form asks about: the meeting's participants, less the
/// respondent. Opinions are sought from others; one's own shortcomings are the 自我批评 of
/// one's own material.
pub fn survey_subjects(people: &[String], respondent: &str) -> Vec<String> {
    people
        .iter()
        .filter(|person| person.as_str() != respondent)
        .cloned()
        .collect()
}

/// Reads a filled-in 征求意见 form of `respondent`: the box about the branch as a whole,
/// and one box per person (user id, text). Empty boxes are skipped; an empty form is
/// refused, and so is a box about someone who is not on the list, or about the respondent.
pub fn survey_answers(
    general: &str,
    about: &[(String, String)],
    people: &[String],
    respondent: &str,
) -> Result<Vec<SurveyAnswer>, DomainError> {
    if about
        .iter()
        .any(|(id, text)| id == respondent && !text.trim().is_empty())
    {
        return Err(DomainError::Invalid(
            "征求意见是听取别人对您的意见，不能填写对本人的意见；请在发言材料中自我剖析".into(),
        ));
    }
    // A box about oneself left empty (a form from before this rule) is simply skipped.
    let about: Vec<(String, String)> = about
        .iter()
        .filter(|(id, _)| id != respondent)
        .cloned()
        .collect();
    let people = survey_subjects(people, respondent);
    let mut answers = Vec::new();
    if !general.trim().is_empty() {
        answers.push(SurveyAnswer {
            about: None,
            text: opinion_text("意见", general)?,
        });
    }
    // The form's own order, so the answers read as the list does.
    for person in &people {
        let Some((_, text)) = about.iter().find(|(id, _)| id == person) else {
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        answers.push(SurveyAnswer {
            about: Some(person.clone()),
            text: opinion_text("意见", text)?,
        });
    }
    if about.iter().any(|(id, _)| !people.contains(id)) {
        return Err(DomainError::Invalid(
            "意见对象不在本次会议名单中，请刷新页面后重填".into(),
        ));
    }
    if answers.is_empty() {
        return Err(DomainError::Invalid("请至少填写一条意见后再提交".into()));
    }
    Ok(answers)
}

/// A 谈心谈话 as logged: date, partner, topics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TalkEntry {
    pub on: chrono::NaiveDate,
    pub partner: String,
    pub topics: String,
}

pub fn talk_entry(
    on: &str,
    partner: &str,
    topics: &str,
    me: &str,
) -> Result<TalkEntry, DomainError> {
    let on = super::meeting::parse_date(on)
        .ok_or_else(|| DomainError::Invalid("请填写谈话日期，如 2026-01-15".into()))?;
    let partner = partner.trim();
    if partner.is_empty() {
        return Err(DomainError::Invalid("请选择谈话对象".into()));
    }
    if partner == me {
        return Err(DomainError::Invalid("谈话对象不能是自己".into()));
    }
    Ok(TalkEntry {
        on,
        partner: partner.to_string(),
        topics: opinion_text("谈话内容", topics)?,
    })
}

/// Attendance against the quorum of the meeting type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quorum {
    pub expected: usize,
    pub present: usize,
    /// People needed present; a 民主生活会 needs two thirds (docs/DOMAIN.md §1).
    pub needed: usize,
}

impl Quorum {
    pub fn of(kind: MeetingKind, expected: usize, present: usize) -> Self {
        let needed = match kind {
            MeetingKind::LeadershipMeeting => (expected * 2).div_ceil(3),
            _ => 0,
        };
        Self {
            expected,
            present,
            needed,
        }
    }

    pub fn met(self) -> bool {
        self.present >= self.needed
    }

    /// "应到9人，实到7人" plus the quorum verdict where one applies. Numbers sit in Chinese
    /// text without spaces, as official documents write them.
    pub fn summary(self) -> String {
        let counts = format!("应到{}人，实到{}人", self.expected, self.present);
        if self.needed == 0 {
            counts
        } else if self.met() {
            format!("{counts}，达到应到人数的三分之二")
        } else {
            format!(
                "{counts}，未达到应到人数的三分之二（至少{}人），会议不应召开",
                self.needed
            )
        }
    }
}

super::coded_enum! {
    /// How a participant spoke at the meeting.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum SpeakerStatus {
        Pending => ("pending", "未发言"),
        Spoken => ("spoken", "已发言"),
        /// Absent: the material is read out or handed in as a 书面发言.
        Written => ("written", "书面发言"),
    }
}

impl SpeakerStatus {
    /// An absent member's material counts as a 书面发言; a present one speaks.
    pub fn after_speaking(present: bool) -> Self {
        if present { Self::Spoken } else { Self::Written }
    }
}

super::coded_enum! {
    /// 民主测评 grades.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum Grade {
        Excellent => ("excellent", "优秀"),
        Qualified => ("qualified", "合格"),
        BasicallyQualified => ("basic", "基本合格"),
        Unqualified => ("unqualified", "不合格"),
    }
}

/// Reads a ballot: (user id, grade code) for every member on it, one grade each, nobody
/// else.
pub fn ballot(
    grades: &[(String, String)],
    members: &[String],
) -> Result<Vec<(String, Grade)>, DomainError> {
    if grades.iter().any(|(id, _)| !members.contains(id)) {
        return Err(DomainError::Invalid(
            "测评票上有不在名单中的人员，请刷新页面后重填".into(),
        ));
    }
    members
        .iter()
        .map(|member| {
            let mut chosen = grades.iter().filter(|(id, _)| id == member);
            match (chosen.next(), chosen.next()) {
                (Some((_, code)), None) => Grade::parse(code).map(|grade| (member.clone(), grade)),
                _ => None,
            }
            .ok_or_else(|| DomainError::Invalid("请为名单上的每一名党员选择一个等次".into()))
        })
        .collect()
}

/// An opinion addressed to the author, as the 材料体检 needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressedOpinion {
    pub id: String,
    pub kind: OpinionKind,
    pub text: String,
    /// The author said why it is not taken up in the material.
    pub declined: bool,
}

/// Every released opinion the material neither answers (a problem links it) nor the author
/// declined with a reason: one error each, so none is forgotten.
pub fn unanswered_opinions(material: &Material, opinions: &[AddressedOpinion]) -> Vec<Finding> {
    let answered: Vec<&str> = material
        .items(PartKind::Problems)
        .flat_map(|item| item.answers.iter().map(String::as_str))
        .collect();
    opinions
        .iter()
        .filter(|o| !o.declined && !answered.contains(&o.id.as_str()))
        .map(|o| Finding {
            rule: Rule::OpinionUnanswered,
            severity: Severity::Error,
            spot: Spot::Part(PartKind::Problems),
            message: format!(
                "{}“{}”还没有在问题查摆中回应，也没有说明不采纳的理由",
                o.kind.label(),
                super::text::shortened(&o.text, 20)
            ),
        })
        .collect()
}

/// What the 会议情况报告 is built from: everything counted, nothing of anyone's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportFacts {
    pub branch: String,
    pub title: String,
    pub kind_label: String,
    pub theme: String,
    /// "2026年1月15日".
    pub meeting_on: String,
    pub survey_respondents: usize,
    /// Answers received (boxes filled), counted only.
    pub survey_opinions: usize,
    pub talks: usize,
    pub written_criticisms: usize,
    /// Opinions addressed to a person (curated 征求意见 and written 批评意见) that the
    /// secretary passed on to them, and those not passed on yet.
    pub opinions_passed_on: usize,
    pub opinions_pending: usize,
    pub quorum: Quorum,
    pub spoken: usize,
    pub written_speeches: usize,
    /// Criticisms raised at the meeting, as the minutes count them (non-empty lines).
    pub raised_criticisms: usize,
    pub problems: usize,
    /// (category, count), in the template's order.
    pub problems_by_category: Vec<(String, usize)>,
    pub measures: usize,
    /// Whether the 整改清单 was published to the branch.
    pub ledger_published: bool,
    /// (grade label, total marks) when a 民主测评 was held and may be shown.
    pub ballot: Option<Vec<(String, usize)>>,
    pub ballot_voters: usize,
}

fn document(
    title: String,
    preamble: Vec<String>,
    sections: Vec<(String, Vec<String>)>,
) -> Material {
    use super::material::Part;
    Material {
        title,
        speaker: None,
        preamble,
        parts: sections
            .into_iter()
            .map(|(heading, paragraphs)| Part {
                kind: PartKind::Other,
                heading,
                paragraphs,
                items: Vec::new(),
            })
            .collect(),
        closing: None,
        date: None,
        removed: Vec::new(),
    }
}

/// How the meeting is named in running text: its title, followed by the kind of meeting in
/// brackets only when the title does not say it already ("2025年度组织生活会", never
/// "2025年度组织生活会（组织生活会）").
pub fn meeting_name(title: &str, kind_label: &str) -> String {
    let title = title.trim();
    if kind_label.is_empty() || title.contains(kind_label) {
        title.to_string()
    } else if title.is_empty() {
        kind_label.to_string()
    } else {
        format!("{title}（{kind_label}）")
    }
}

/// Who the record names as 记录人: the designated recorder, else whoever runs the branch.
/// The page and the .docx both print this, so they never disagree.
pub fn recorder_label(recorder: Option<&str>) -> String {
    recorder
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or("支部书记")
        .to_string()
}

/// Clauses joined into one sentence, or nothing when every clause was left out.
fn sentence_of(clauses: &[Option<String>], separator: &str) -> Option<String> {
    let kept: Vec<&str> = clauses.iter().flatten().map(String::as_str).collect();
    (!kept.is_empty()).then(|| format!("{}。", kept.join(separator)))
}

/// Whether the opinions reached the people they are about: "逐一反馈" only when every one
/// did; otherwise how many did and how many wait. Nothing when there were none.
fn feedback_sentence(passed_on: usize, pending: usize) -> Option<String> {
    match (passed_on, pending) {
        (0, 0) => None,
        (_, 0) => Some("以上意见已逐一反馈本人。".to_string()),
        (0, _) => Some(format!("以上意见尚未反馈本人（共{pending}条）。")),
        (_, _) => Some(format!(
            "已向本人反馈意见{passed_on}条，尚有{pending}条未反馈。"
        )),
    }
}

/// The 会议情况报告 skeleton, pre-filled with the facts, with bracketed places for what only
/// the secretary can write. Laid out as a material so it exports in the official format.
/// A count of zero leaves its sentence out ("0名同志……" says nothing a reader needs).
pub fn report_document(facts: &ReportFacts) -> Material {
    let counted = |n: usize, text: String| (n > 0).then_some(text);
    let mut sections = Vec::new();
    sections.push((
        "会议基本情况".to_string(),
        vec![
            format!(
                "{}于{}召开{}。{}。",
                facts.branch,
                facts.meeting_on,
                meeting_name(&facts.title, &facts.kind_label),
                facts.quorum.summary()
            ),
            if facts.theme.is_empty() {
                "会议主题：【请填写】。".to_string()
            } else {
                format!("会议主题：{}。", facts.theme)
            },
        ],
    ));
    let preparation = sentence_of(
        &[
            counted(
                facts.survey_respondents,
                format!(
                    "会前开展征求意见，共{}人参与，收集意见{}条",
                    facts.survey_respondents, facts.survey_opinions
                ),
            ),
            counted(facts.talks, format!("开展谈心谈话{}人次", facts.talks)),
            counted(
                facts.written_criticisms,
                format!("党员之间书面提出批评意见{}条", facts.written_criticisms),
            ),
        ],
        "；",
    )
    .map(|sentence| {
        // The first clause carries "会前" whichever it is.
        if sentence.starts_with("会前") {
            sentence
        } else {
            format!("会前{sentence}")
        }
    });
    let feedback = feedback_sentence(facts.opinions_passed_on, facts.opinions_pending);
    let mut prepared: Vec<String> = match (preparation, feedback) {
        (None, None) => Vec::new(),
        (first, second) => vec![first.into_iter().chain(second).collect()],
    };
    prepared.push("【请补充学习研讨、会议方案报批等情况】".to_string());
    sections.push(("会前准备情况".to_string(), prepared));

    let by_category = facts
        .problems_by_category
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(category, n)| format!("{category}{n}个"))
        .collect::<Vec<_>>()
        .join("，");
    let speeches = sentence_of(
        &[
            counted(
                facts.spoken,
                format!(
                    "{}名同志{}进行对照检查发言",
                    facts.spoken,
                    if facts.spoken > 1 { "逐一" } else { "" }
                ),
            ),
            counted(
                facts.written_speeches,
                format!("{}名同志因故缺席作书面发言", facts.written_speeches),
            ),
        ],
        "，",
    );
    let raised = counted(
        facts.raised_criticisms,
        format!("会上提出批评意见{}条。", facts.raised_criticisms),
    );
    let mut criticism = Vec::new();
    match (speeches, raised) {
        (None, None) => criticism.push("【请填写对照检查发言情况】".to_string()),
        (first, second) => criticism.push(first.into_iter().chain(second).collect()),
    }
    if facts.problems > 0 {
        criticism.push(if by_category.is_empty() {
            format!("共查摆问题{}个。", facts.problems)
        } else {
            format!("共查摆问题{}个，其中{}。", facts.problems, by_category)
        });
    }
    criticism.push("【请概述批评意见的主要内容和被批评同志的表态】".to_string());
    sections.push(("批评和自我批评情况".to_string(), criticism));

    sections.push((
        "整改措施".to_string(),
        vec![
            if facts.measures > 0 {
                format!(
                    "针对查摆出的问题，共制定整改措施{}条，已形成整改清单{}，明确责任人和整改时限。",
                    facts.measures,
                    if facts.ledger_published {
                        "并在支部内公布"
                    } else {
                        "【尚未在支部内公布】"
                    }
                )
            } else {
                "【请填写整改措施制定情况】".to_string()
            },
            "【请补充整改工作安排】".to_string(),
        ],
    ));
    if let Some(tallies) = &facts.ballot {
        let counts = tallies
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(grade, n)| format!("{grade}{n}票"))
            .collect::<Vec<_>>()
            .join("，");
        sections.push((
            "民主评议党员情况".to_string(),
            vec![format!(
                "会上以无记名投票方式开展民主测评，共{}人参加测评，合计{}。",
                facts.ballot_voters, counts
            )],
        ));
    }
    document(
        format!("{}关于召开{}情况的报告", facts.branch, facts.title),
        Vec::new(),
        sections,
    )
}

/// One speaker's lines of the minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinutesSpeaker {
    pub name: String,
    pub status: SpeakerStatus,
    pub criticisms: String,
    pub pledge: String,
}

/// The 会议记录 as a document: who, when, attendance, the general notes, then every speaker
/// in order with the criticisms raised and the 表态.
pub fn minutes_document(
    title: &str,
    meeting_on: &str,
    recorder: Option<&str>,
    quorum: Quorum,
    absent: &[String],
    notes: &str,
    speakers: &[MinutesSpeaker],
) -> Material {
    let lines = |text: &str| -> Vec<String> {
        text.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    };
    let mut preamble = vec![
        format!("时间：{meeting_on}"),
        format!("记录人：{}", recorder_label(recorder)),
        format!("出席情况：{}", quorum.summary()),
    ];
    if !absent.is_empty() {
        preamble.push(format!("缺席人员：{}", absent.join("、")));
    }
    let mut sections = Vec::new();
    let notes = lines(notes);
    if !notes.is_empty() {
        sections.push(("会议议程和通报".to_string(), notes));
    }
    for speaker in speakers {
        let mut paragraphs = vec![match speaker.status {
            SpeakerStatus::Written => "因故缺席，提交书面发言材料。".to_string(),
            SpeakerStatus::Spoken => "作对照检查发言。".to_string(),
            SpeakerStatus::Pending => "【未记录发言】".to_string(),
        }];
        let criticisms = lines(&speaker.criticisms);
        if !criticisms.is_empty() {
            paragraphs.push("其他同志提出的批评意见：".to_string());
            paragraphs.extend(criticisms);
        }
        let pledge = lines(&speaker.pledge);
        if !pledge.is_empty() {
            paragraphs.push("表态：".to_string());
            paragraphs.extend(pledge);
        }
        sections.push((speaker.name.clone(), paragraphs));
    }
    document(format!("{title}会议记录"), preamble, sections)
}

/// How many criticisms the minutes record: one per non-empty line.
pub fn raised_criticisms(text: &str) -> usize {
    text.lines().filter(|line| !line.trim().is_empty()).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::tests::{item, material, part};

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn anonymous_groups_below_three_stay_hidden() {
        assert!(!group_shown(0, false));
        assert!(!group_shown(2, false));
        assert!(group_shown(3, false));
    }

    #[test]
    fn the_readers_own_answer_does_not_count_towards_the_three() {
        assert!(!group_shown(3, true), "two others and the reader");
        assert!(group_shown(4, true), "three others and the reader");
        assert!(!group_shown(0, true));
    }

    #[test]
    fn criticism_follows_the_meeting_mode() {
        let assigned = pairs(&[("a", "b")]);
        assert!(may_criticise(CriticismMode::Open, "a", "c", &[]));
        assert!(!may_criticise(CriticismMode::Open, "a", "a", &[]));
        assert!(may_criticise(CriticismMode::Pairs, "a", "b", &assigned));
        assert!(!may_criticise(CriticismMode::Pairs, "b", "a", &assigned));
        assert!(!may_criticise(CriticismMode::Off, "a", "b", &assigned));
    }

    #[test]
    fn a_survey_form_keeps_every_filled_box_and_refuses_strangers() {
        let people = vec!["u1".to_string(), "u2".to_string()];
        let answers = survey_answers(
            "支部活动形式单一",
            &pairs(&[("u2", "  "), ("u1", " 多下基层 ")]),
            &people,
            "u3",
        )
        .unwrap();
        assert_eq!(
            answers,
            vec![
                SurveyAnswer {
                    about: None,
                    text: "支部活动形式单一".into()
                },
                SurveyAnswer {
                    about: Some("u1".into()),
                    text: "多下基层".into()
                },
            ]
        );
        assert!(survey_answers(" ", &pairs(&[("u1", " ")]), &people, "u3").is_err());
        assert!(survey_answers("", &pairs(&[("u9", "x")]), &people, "u3").is_err());
        let long = "字".repeat(OPINION_MAX + 1);
        assert!(survey_answers(&long, &[], &people, "u3").is_err());
    }

    #[test]
    fn a_respondent_is_not_asked_about_themselves() {
        let people = vec!["u1".to_string(), "u2".to_string(), "u3".to_string()];
        assert_eq!(survey_subjects(&people, "u2"), ["u1", "u3"]);
        assert_eq!(survey_subjects(&people, "outsider"), people);
        let refused = survey_answers("", &pairs(&[("u2", "我学习不够")]), &people, "u2")
            .unwrap_err()
            .to_string();
        assert!(refused.contains("不能填写对本人的意见"), "{refused}");
        let answers =
            survey_answers("", &pairs(&[("u2", " "), ("u1", "多谈心")]), &people, "u2").unwrap();
        assert_eq!(
            answers,
            vec![SurveyAnswer {
                about: Some("u1".into()),
                text: "多谈心".into()
            }],
            "an empty box about oneself is skipped"
        );
    }

    #[test]
    fn a_leadership_meeting_needs_two_thirds_present() {
        let quorum = Quorum::of(MeetingKind::LeadershipMeeting, 9, 5);
        assert_eq!(quorum.needed, 6);
        assert!(!quorum.met());
        assert!(quorum.summary().contains("未达到"));
        assert!(Quorum::of(MeetingKind::LeadershipMeeting, 9, 6).met());
        assert!(Quorum::of(MeetingKind::LeadershipMeeting, 4, 3).met());
        assert!(!Quorum::of(MeetingKind::LeadershipMeeting, 4, 2).met());
        let branch = Quorum::of(MeetingKind::BranchMeeting, 9, 2);
        assert!(branch.met());
        assert_eq!(branch.summary(), "应到9人，实到2人");
        assert!(
            Quorum::of(MeetingKind::LeadershipMeeting, 9, 5)
                .summary()
                .contains("（至少6人）")
        );
    }

    #[test]
    fn a_ballot_grades_everyone_on_it_once() {
        let members = vec!["u1".to_string(), "u2".to_string()];
        let marks = ballot(
            &pairs(&[("u2", "qualified"), ("u1", "excellent")]),
            &members,
        )
        .unwrap();
        assert_eq!(
            marks,
            vec![
                ("u1".to_string(), Grade::Excellent),
                ("u2".to_string(), Grade::Qualified)
            ]
        );
        assert!(ballot(&pairs(&[("u1", "excellent")]), &members).is_err());
        let twice = pairs(&[
            ("u1", "excellent"),
            ("u1", "qualified"),
            ("u2", "qualified"),
        ]);
        assert!(ballot(&twice, &members).is_err());
        let stranger = pairs(&[
            ("u1", "excellent"),
            ("u2", "qualified"),
            ("u3", "qualified"),
        ]);
        assert!(ballot(&stranger, &members).is_err());
        assert!(ballot(&pairs(&[("u1", "great"), ("u2", "qualified")]), &members).is_err());
    }

    #[test]
    fn every_opinion_is_answered_by_a_problem_or_declined() {
        let mut answering = item("p1", "理论学习不够深入");
        answering.answers = vec!["o1".into()];
        let content = material(vec![part(PartKind::Problems, vec![answering])]);
        let opinion = |id: &str, declined| AddressedOpinion {
            id: id.into(),
            kind: OpinionKind::Survey,
            text: "希望多到基层一线调研".into(),
            declined,
        };
        let findings = unanswered_opinions(
            &content,
            &[
                opinion("o1", false),
                opinion("o2", false),
                opinion("o3", true),
            ],
        );
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].severity, Severity::Error);
        assert!(
            findings[0]
                .message
                .contains("征求意见“希望多到基层一线调研”")
        );
    }

    #[test]
    fn talks_need_a_date_a_partner_and_topics() {
        let talk = talk_entry("2026-01-05", "u2", "交流学习体会", "u1").unwrap();
        assert_eq!(talk.partner, "u2");
        assert!(talk_entry("", "u2", "x", "u1").is_err());
        assert!(talk_entry("2026-01-05", "u1", "x", "u1").is_err());
        assert!(talk_entry("2026-01-05", "u2", " ", "u1").is_err());
    }

    fn facts() -> ReportFacts {
        ReportFacts {
            branch: "第一党支部".into(),
            title: "2025年度组织生活会".into(),
            kind_label: "组织生活会".into(),
            theme: String::new(),
            meeting_on: "2026年1月15日".into(),
            survey_respondents: 5,
            survey_opinions: 12,
            talks: 6,
            written_criticisms: 4,
            opinions_passed_on: 8,
            opinions_pending: 0,
            quorum: Quorum::of(MeetingKind::BranchMeeting, 3, 3),
            spoken: 2,
            written_speeches: 1,
            raised_criticisms: 7,
            problems: 9,
            problems_by_category: vec![("理论学习".into(), 4), ("工作作风".into(), 0)],
            measures: 9,
            ledger_published: true,
            ballot: Some(vec![
                ("优秀".into(), 3),
                ("合格".into(), 6),
                ("不合格".into(), 0),
            ]),
            ballot_voters: 3,
        }
    }

    fn report_text(facts: &ReportFacts) -> String {
        report_document(facts)
            .parts
            .iter()
            .flat_map(|part| std::iter::once(part.heading.clone()).chain(part.paragraphs.clone()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn the_report_skeleton_is_filled_with_counts_and_marks_the_rest() {
        let facts = facts();
        let report = report_document(&facts);
        assert_eq!(
            report.title,
            "第一党支部关于召开2025年度组织生活会情况的报告"
        );
        let text = report_text(&facts);
        assert!(
            text.contains("第一党支部于2026年1月15日召开2025年度组织生活会。应到3人，实到3人。")
        );
        assert!(text.contains(
            "会前开展征求意见，共5人参与，收集意见12条；开展谈心谈话6人次；党员之间书面提出批评意见4条。"
        ));
        assert!(text.contains(
            "2名同志逐一进行对照检查发言，1名同志因故缺席作书面发言。会上提出批评意见7条。"
        ));
        assert!(text.contains("共查摆问题9个，其中理论学习4个。"));
        assert!(text.contains("共制定整改措施9条"));
        assert!(text.contains("合计优秀3票，合格6票。"));
        assert!(text.contains("会议主题：【请填写】"));
        assert!(text.contains("已形成整改清单并在支部内公布"));
    }

    #[test]
    fn numbers_in_the_report_sit_in_the_text_without_spaces() {
        let text = report_text(&facts());
        for (index, c) in text.char_indices() {
            if c == ' ' {
                panic!("a space at {index} in {text}");
            }
        }
    }

    #[test]
    fn the_meeting_is_named_once_when_its_title_says_what_kind_it_is() {
        assert_eq!(
            meeting_name("2025年度组织生活会", "组织生活会"),
            "2025年度组织生活会"
        );
        assert_eq!(
            meeting_name("主题教育专题组织生活会", "专题组织生活会"),
            "主题教育专题组织生活会"
        );
        assert_eq!(
            meeting_name("2025年度班子会议", "民主生活会"),
            "2025年度班子会议（民主生活会）"
        );
        assert!(!report_text(&facts()).contains("组织生活会（组织生活会）"));
    }

    /// Whether a count of zero is written anywhere ("0名", "共0条" …).
    fn counts_zero(text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        chars.windows(2).enumerate().any(|(index, pair)| {
            pair[0] == '0'
                && "名人条个票".contains(pair[1])
                && (index == 0 || !chars[index - 1].is_ascii_digit())
        })
    }

    #[test]
    fn a_count_of_zero_leaves_its_sentence_out() {
        let facts = ReportFacts {
            survey_respondents: 0,
            survey_opinions: 0,
            talks: 3,
            written_criticisms: 0,
            opinions_passed_on: 0,
            opinions_pending: 0,
            spoken: 3,
            written_speeches: 0,
            raised_criticisms: 0,
            problems: 0,
            problems_by_category: Vec::new(),
            measures: 0,
            ..facts()
        };
        let text = report_text(&facts);
        assert!(!counts_zero(&text), "{text}");
        assert!(text.contains("会前开展谈心谈话3人次。"), "{text}");
        assert!(text.contains("3名同志逐一进行对照检查发言。"), "{text}");
        assert!(
            !text.contains("征求意见") && !text.contains("反馈"),
            "{text}"
        );
        assert!(
            !text.contains("因故缺席") && !text.contains("会上提出"),
            "{text}"
        );
        assert!(text.contains("【请填写整改措施制定情况】"), "{text}");

        let nothing = ReportFacts {
            talks: 0,
            spoken: 0,
            ..facts
        };
        let text = report_text(&nothing);
        assert!(!counts_zero(&text), "{text}");
        assert!(text.contains("【请填写对照检查发言情况】"), "{text}");
        assert!(!text.contains("会前开展"), "{text}");
    }

    #[test]
    fn opinions_are_fed_back_one_by_one_only_when_every_one_was_passed_on() {
        let all = report_text(&facts());
        assert!(all.contains("以上意见已逐一反馈本人。"), "{all}");
        let some = report_text(&ReportFacts {
            opinions_passed_on: 5,
            opinions_pending: 3,
            ..facts()
        });
        assert!(!some.contains("逐一反馈"), "{some}");
        assert!(
            some.contains("已向本人反馈意见5条，尚有3条未反馈。"),
            "{some}"
        );
        let none = report_text(&ReportFacts {
            opinions_passed_on: 0,
            opinions_pending: 4,
            ..facts()
        });
        assert!(!none.contains("逐一反馈"), "{none}");
        assert!(none.contains("以上意见尚未反馈本人（共4条）。"), "{none}");
    }

    #[test]
    fn without_a_designated_recorder_the_secretary_records() {
        assert_eq!(recorder_label(None), "支部书记");
        assert_eq!(recorder_label(Some(" ")), "支部书记");
        assert_eq!(recorder_label(Some("王强")), "王强");
    }

    #[test]
    fn the_minutes_list_every_speaker_with_criticisms_and_pledge() {
        let speakers = vec![
            MinutesSpeaker {
                name: "张明".into(),
                status: SpeakerStatus::Spoken,
                criticisms: "刘芳：调研不够深入\n\n王强：学习不够系统".into(),
                pledge: "诚恳接受，逐条整改".into(),
            },
            MinutesSpeaker {
                name: "刘芳".into(),
                status: SpeakerStatus::Written,
                criticisms: String::new(),
                pledge: String::new(),
            },
        ];
        let minutes = minutes_document(
            "2025年度组织生活会",
            "2026年1月15日",
            Some("王强"),
            Quorum::of(MeetingKind::BranchMeeting, 3, 2),
            &["刘芳".to_string()],
            "书记通报上年度整改落实情况",
            &speakers,
        );
        assert_eq!(minutes.parts.len(), 3);
        assert_eq!(minutes.parts[1].heading, "张明");
        assert_eq!(
            minutes.parts[1].paragraphs,
            vec![
                "作对照检查发言。",
                "其他同志提出的批评意见：",
                "刘芳：调研不够深入",
                "王强：学习不够系统",
                "表态：",
                "诚恳接受，逐条整改"
            ]
        );
        assert_eq!(
            minutes.parts[2].paragraphs,
            vec!["因故缺席，提交书面发言材料。"]
        );
        assert!(minutes.preamble.contains(&"缺席人员：刘芳".to_string()));
        assert!(minutes.preamble.contains(&"记录人：王强".to_string()));
        assert!(
            minutes
                .preamble
                .contains(&"出席情况：应到3人，实到2人".to_string())
        );
        assert_eq!(raised_criticisms("a\n\n b \n"), 2);
    }
}
