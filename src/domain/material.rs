//! The 发言材料 / 对照检查材料 as structured data (docs/DOMAIN.md §3; JSON v1: docs/MATERIAL_JSON.md).
//!
//! One `Item` shape serves problems, causes and measures, so the interchange format, the
//! importer and the exporter share it; which fields matter depends on the part's kind.
//! Links between items are data (`ItemId`s), never text.

use serde::{Deserialize, Serialize};

super::coded_enum! {
    /// What a part of the material is for. The serde names are Material JSON v1's.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum PartKind {
        /// 上次整改落实情况
        Carryover => ("carryover", "上次整改措施落实情况"),
        /// 职责认识 / 学习体会
        Duty => ("duty", "对岗位职责的认识"),
        /// 问题查摆
        Problems => ("problems", "存在的问题"),
        /// 原因剖析
        Causes => ("causes", "问题产生的原因"),
        /// 整改措施 / 努力方向
        Measures => ("measures", "整改措施"),
        /// 意见建议 / 工作建议
        Suggestions => ("suggestions", "意见建议"),
        /// 相互批评意见
        Criticism => ("criticism", "相互批评意见"),
        /// Anything the template or the author added that fits none of the above.
        Other => ("other", "其他"),
    }
}

impl PartKind {
    /// Parts whose content is a list of structured items rather than free paragraphs.
    pub fn has_items(self) -> bool {
        matches!(self, Self::Problems | Self::Causes | Self::Measures)
    }
}

/// A stable identifier of an item within its material (survives reordering and edits).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ItemId(pub String);

/// A measure's 时限: a date, or 长期坚持 (ongoing, checked at follow-up dates).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Deadline {
    By(chrono::NaiveDate),
    Ongoing,
}

impl Deadline {
    pub const ONGOING: &'static str = "长期坚持";

    /// Parses `YYYY-MM-DD`, `YYYY年M月D日` or 长期坚持.
    pub fn parse(raw: &str) -> Result<Self, super::DomainError> {
        let text = raw.trim();
        if text == Self::ONGOING {
            return Ok(Self::Ongoing);
        }
        if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            return Ok(Self::By(date));
        }
        if let Ok(date) = chrono::NaiveDate::parse_from_str(text, "%Y年%m月%d日") {
            return Ok(Self::By(date));
        }
        Err(super::DomainError::Invalid(format!(
            "时限「{text}」无法识别：请填写日期（如 2026-06-30）或“长期坚持”"
        )))
    }
}

impl std::fmt::Display for Deadline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::By(date) => write!(f, "{}", date.format("%Y-%m-%d")),
            Self::Ongoing => f.write_str(Self::ONGOING),
        }
    }
}

impl Serialize for Deadline {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Deadline {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        Self::parse(&raw).map_err(serde::de::Error::custom)
    }
}

/// One problem, cause or measure.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Item {
    pub id: ItemId,
    /// Problem: the one-sentence headline. Cause: its dimension (理想信念 …). Measure: a
    /// short title, may be empty.
    pub heading: String,
    /// Problem: 表现. Cause: the analysis. Measure: the concrete actions.
    pub text: String,
    /// Problem only: the concrete 事例 ("比如……").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
    /// Problem only: its own short 原因 ("究其原因，……").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cause: Option<String>,
    /// Problem: the template aspect it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Measure only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<Deadline>,
    /// Measure only: 完成标准.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard: Option<String>,
    /// Measure only: 责任人 as written — a name ("张明"), or for a 班子 material the labelled
    /// 责任领导 / 责任部门 ("责任领导：王强；责任部门：办公室"). None means the author.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Causes and measures: the problems they answer.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<ItemId>,
    /// Measure only: 跟踪督办 / 回头看 dates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<chrono::NaiveDate>,
    /// Problem only: where it came from (自查, 征求意见, 批评意见 …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<ProblemSource>,
    /// Problem only: the opinions addressed to the author that it answers (their ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub answers: Vec<String>,
}

impl Item {
    /// A short quotation for lists and messages: the heading, or the start of the text,
    /// cut at `max` characters with "…"; "（未填写）" when both are empty.
    pub fn label(&self, max: usize) -> String {
        let source = if self.heading.trim().is_empty() {
            self.text.trim()
        } else {
            self.heading.trim()
        };
        if source.is_empty() {
            "（未填写）".into()
        } else {
            super::text::shortened(source, max)
        }
    }
}

/// An item the author deleted. Kept in the material (soft delete) so it can be put back,
/// links and all; it is no longer part of the text, the checks or the exports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemovedItem {
    pub kind: PartKind,
    pub item: Item,
}

/// One part of the material, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    pub kind: PartKind,
    /// As written; numbering (一、) is generated on render.
    pub heading: String,
    #[serde(default)]
    pub paragraphs: Vec<String>,
    #[serde(default)]
    pub items: Vec<Item>,
}

impl Part {
    /// Everything written in the part, concatenated (for lengths and word counts).
    pub fn text(&self) -> String {
        let mut text = self.paragraphs.concat();
        for item in &self.items {
            let pieces = [
                Some(&item.heading),
                Some(&item.text),
                item.example.as_ref(),
                item.cause.as_ref(),
                item.standard.as_ref(),
                item.owner.as_ref(),
            ];
            for piece in pieces.into_iter().flatten() {
                text.push_str(piece);
            }
        }
        text
    }
}

/// A whole material (Material JSON v1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Material {
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    #[serde(default)]
    pub preamble: Vec<String>,
    #[serde(default)]
    pub parts: Vec<Part>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Deleted items, newest last (not part of Material JSON v1's text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<RemovedItem>,
}

impl Material {
    /// The first part of a kind, if present.
    pub fn part(&self, kind: PartKind) -> Option<&Part> {
        self.parts.iter().find(|part| part.kind == kind)
    }

    /// All items of a kind across the material.
    pub fn items(&self, kind: PartKind) -> impl Iterator<Item = &Item> {
        self.parts
            .iter()
            .filter(move |part| part.kind == kind)
            .flat_map(|part| part.items.iter())
    }

    /// The links view: for each problem, the causes and measures that answer it, and the
    /// items that answer no problem (orphans).
    pub fn links(&self) -> LinkView {
        let problems: Vec<&Item> = self.items(PartKind::Problems).collect();
        let answering = |kind: PartKind, problem: &ItemId| -> Vec<ItemId> {
            self.items(kind)
                .filter(|item| item.links.contains(problem))
                .map(|item| item.id.clone())
                .collect()
        };
        let rows = problems
            .iter()
            .map(|problem| ProblemLinks {
                problem: problem.id.clone(),
                causes: answering(PartKind::Causes, &problem.id),
                measures: answering(PartKind::Measures, &problem.id),
            })
            .collect();
        let is_problem = |id: &ItemId| problems.iter().any(|p| &p.id == id);
        let unlinked = |kind: PartKind| -> Vec<ItemId> {
            self.items(kind)
                .filter(|item| !item.links.iter().any(is_problem))
                .map(|item| item.id.clone())
                .collect()
        };
        LinkView {
            rows,
            causes_without_problem: unlinked(PartKind::Causes),
            measures_without_problem: unlinked(PartKind::Measures),
        }
    }
}

/// What answers each problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemLinks {
    pub problem: ItemId,
    pub causes: Vec<ItemId>,
    pub measures: Vec<ItemId>,
}

/// The problem ↔ cause ↔ measure matrix, with orphans on both sides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkView {
    pub rows: Vec<ProblemLinks>,
    pub causes_without_problem: Vec<ItemId>,
    pub measures_without_problem: Vec<ItemId>,
}

impl LinkView {
    /// Problems no measure answers.
    pub fn problems_without_measure(&self) -> impl Iterator<Item = &ItemId> {
        self.rows
            .iter()
            .filter(|row| row.measures.is_empty())
            .map(|row| &row.problem)
    }

    /// Problems no cause explains.
    pub fn problems_without_cause(&self) -> impl Iterator<Item = &ItemId> {
        self.rows
            .iter()
            .filter(|row| row.causes.is_empty())
            .map(|row| &row.problem)
    }
}

/// Counts 字 the way reviewers do: every character except whitespace.
pub fn char_count(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

super::coded_enum! {
    /// Where a problem in a material came from (docs/DOMAIN.md §7 check 15).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum ProblemSource {
        SelfExamination => ("self_examination", "自查"),
        Survey => ("survey", "征求意见"),
        Criticism => ("criticism", "批评意见"),
        Talk => ("talk", "谈心谈话"),
        Carryover => ("carryover", "上次整改未到位"),
    }
}

super::coded_enum! {
    /// Where a material stands in its review workflow (docs/DOMAIN.md §2.4).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MaterialState {
        Draft => ("draft", "起草中"),
        Submitted => ("submitted", "已提交"),
        Returned => ("returned", "退回修改"),
        Approved => ("approved", "审核通过"),
        /// Read out at the meeting (or handed in as a 书面发言): the author now revises it into
            /// the 定稿 in the light of the criticism.
        Spoken => ("spoken", "已发言"),
        /// The 定稿, frozen.
        Final => ("final", "已定稿"),
        /// Sent to the 上级 with the meeting's 报送 package.
        Reported => ("reported", "已报送"),
    }
}

impl MaterialState {
    /// Whether the author may change the text. A submitted material waits for its review
    /// (the author may withdraw it first); an approved one is settled until it was spoken,
    /// when the author revises it into the 定稿.
    pub fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned | Self::Spoken)
    }

    /// Whether the author may hand it in for review (a 定稿 is handed in as such instead).
    pub fn submittable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }

    /// Whether the secretary approved it at some point (it may have moved on since).
    pub fn approved(self) -> bool {
        matches!(
            self,
            Self::Approved | Self::Spoken | Self::Final | Self::Reported
        )
    }
}

/// Links measures to problems by their order when the author wrote no links: as many
/// measures as problems, each answers its problem; as many measures as groups of problems
/// (aspects), each answers its group. Anything else stays unlinked for the author to link.
pub fn link_in_order(material: &mut Material) {
    let problems: Vec<(ItemId, Option<String>)> = material
        .items(PartKind::Problems)
        .map(|item| (item.id.clone(), item.category.clone()))
        .collect();
    let measures = material.items(PartKind::Measures).count();
    if problems.is_empty()
        || measures == 0
        || material
            .items(PartKind::Measures)
            .any(|measure| !measure.links.is_empty())
    {
        return;
    }
    let answers: Vec<Vec<ItemId>> = if measures == problems.len() {
        problems.into_iter().map(|(id, _)| vec![id]).collect()
    } else {
        let mut groups: Vec<(Option<String>, Vec<ItemId>)> = Vec::new();
        for (id, category) in problems {
            match groups.last_mut() {
                Some((last, ids)) if category.is_some() && *last == category => ids.push(id),
                _ => groups.push((category, vec![id])),
            }
        }
        if groups.len() < 2 || groups.len() != measures || groups.iter().any(|g| g.0.is_none()) {
            return;
        }
        groups.into_iter().map(|(_, ids)| ids).collect()
    };
    let mut answers = answers.into_iter();
    for part in &mut material.parts {
        if part.kind != PartKind::Measures {
            continue;
        }
        for measure in &mut part.items {
            measure.links = answers.next().unwrap_or_default();
        }
    }
}

/// Whether the measures answer the problems exactly as [`link_in_order`] would pair them
/// (one to one, or one per aspect, in order): the check step says so, since the author may
/// not have linked them and should see how they were paired.
pub fn linked_in_order(material: &Material) -> bool {
    let mut unlinked = material.clone();
    for part in &mut unlinked.parts {
        if part.kind == PartKind::Measures {
            for measure in &mut part.items {
                measure.links.clear();
            }
        }
    }
    link_in_order(&mut unlinked);
    let links = |m: &Material| -> Vec<Vec<ItemId>> {
        m.items(PartKind::Measures)
            .map(|measure| measure.links.clone())
            .collect()
    };
    let paired = links(&unlinked);
    paired.iter().any(|ids| !ids.is_empty()) && paired == links(material)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn item(id: &str, heading: &str) -> Item {
        Item {
            id: ItemId(id.into()),
            heading: heading.into(),
            ..Item::default()
        }
    }

    pub fn linked(mut item: Item, to: &[&str]) -> Item {
        item.links = to.iter().map(|id| ItemId((*id).into())).collect();
        item
    }

    pub fn part(kind: PartKind, items: Vec<Item>) -> Part {
        Part {
            kind,
            heading: kind.label().into(),
            paragraphs: vec![],
            items,
        }
    }

    pub fn material(parts: Vec<Part>) -> Material {
        Material {
            title: "在专题组织生活会上的发言材料".into(),
            speaker: Some("张明".into()),
            preamble: vec![],
            parts,
            closing: None,
            date: None,
            removed: vec![],
        }
    }

    #[test]
    fn the_link_view_pairs_problems_with_causes_and_measures_and_flags_orphans() {
        let m = material(vec![
            part(
                PartKind::Problems,
                vec![item("p1", "学习不深"), item("p2", "作风不实")],
            ),
            part(
                PartKind::Causes,
                vec![
                    linked(item("c1", "理想信念"), &["p1", "p2"]),
                    item("c2", "党性修养"),
                ],
            ),
            part(
                PartKind::Measures,
                vec![
                    linked(item("m1", "每月读原著"), &["p1"]),
                    linked(item("m2", ""), &["gone"]),
                ],
            ),
        ]);
        let view = m.links();
        assert_eq!(view.rows[0].causes, vec![ItemId("c1".into())]);
        assert_eq!(view.rows[0].measures, vec![ItemId("m1".into())]);
        assert_eq!(
            view.problems_without_measure().collect::<Vec<_>>(),
            vec![&ItemId("p2".into())]
        );
        assert_eq!(view.problems_without_cause().count(), 0);
        assert_eq!(view.causes_without_problem, vec![ItemId("c2".into())]);
        assert_eq!(
            view.measures_without_problem,
            vec![ItemId("m2".into())],
            "a link to a problem that no longer exists is no link"
        );
    }

    #[test]
    fn deadlines_parse_dates_and_ongoing_and_refuse_the_rest() {
        let june = chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        assert_eq!(Deadline::parse("2026-06-30").unwrap(), Deadline::By(june));
        assert_eq!(
            Deadline::parse("2026年6月30日").unwrap(),
            Deadline::By(june)
        );
        assert_eq!(Deadline::parse(" 长期坚持 ").unwrap(), Deadline::Ongoing);
        assert!(
            Deadline::parse("年底前")
                .unwrap_err()
                .to_string()
                .contains("年底前")
        );
        assert!(Deadline::parse("2026-02-30").is_err());
    }

    #[test]
    fn material_json_v1_round_trips_with_its_documented_names() {
        let mut measure = linked(item("m1", ""), &["p1"]);
        measure.deadline = Some(Deadline::Ongoing);
        let m = material(vec![part(PartKind::Measures, vec![measure])]);
        let json = serde_json::to_value(&m).unwrap();
        assert_eq!(json["parts"][0]["kind"], "measures");
        assert_eq!(json["parts"][0]["items"][0]["deadline"], "长期坚持");
        assert_eq!(json["parts"][0]["items"][0]["links"][0], "p1");
        let back: Material = serde_json::from_value(json).unwrap();
        assert_eq!(back, m);
        let extra: Material = serde_json::from_str(
            r#"{"title":"t","parts":[{"kind":"duty","heading":"h","paragraphs":["p"],"x":1}],"future":true}"#,
        )
        .unwrap();
        assert_eq!(extra.parts[0].paragraphs, vec!["p".to_string()]);
    }

    #[test]
    fn characters_are_counted_without_whitespace() {
        assert_eq!(char_count("学习 不够\n深入。"), 7);
    }
}
