//! The 会议记录: who had to come and came (the quorum), how each person spoke, and the
//! minutes document.

use super::*;

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

crate::domain::coded_enum! {
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

/// Who the record names as 记录人: the designated recorder, else whoever runs the branch.
/// The page and the .docx both print this, so they never disagree. Callers of a 班子's
/// meeting pass its 主要负责人 as the fallback recorder, so 支部书记 is only the last resort.
pub fn recorder_label(recorder: Option<&str>) -> String {
    recorder
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or("支部书记")
        .to_string()
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
        sections.push(("会议情况".to_string(), notes));
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
