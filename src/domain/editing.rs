//! Editing a material one step at a time. The editor's form (a plain HTML form, so it
//! works without JavaScript) posts every field of one step plus an operation; this module
//! turns those fields into the new material. Nothing the form carries is dropped: items
//! the form does not mention are kept, and fields a step does not show are kept.
//!
//! Long because of its tests (nearly half): each step's form is tested for keeping what
//! it does not show.

use super::DomainError;
use super::material::{
    Deadline, Item, ItemId, Material, Part, PartKind, ProblemSource, RemovedItem,
};
use super::template::Template;
use serde::{Deserialize, Serialize};

/// The editor's steps, in the order the step list shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Step {
    /// Title, speaker line, preamble.
    Opening,
    /// One part of the material, by position.
    Part(usize),
    /// Closing sentence and date.
    Closing,
    /// 材料体检, link view and submission.
    Check,
}

impl Step {
    /// The step's name in URLs and forms.
    pub fn key(self) -> String {
        match self {
            Self::Opening => "opening".into(),
            Self::Part(index) => index.to_string(),
            Self::Closing => "closing".into(),
            Self::Check => "check".into(),
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "opening" => Some(Self::Opening),
            "closing" => Some(Self::Closing),
            "check" => Some(Self::Check),
            other => other.parse().ok().map(Self::Part),
        }
    }

    /// Where the editor goes after a button: a step key, "preview" or "history". The
    /// server redirects there without JavaScript, the page moves there with it.
    pub fn destination(material_id: &str, go: &str) -> Option<String> {
        match go {
            "preview" => Some(format!("/materials/{material_id}/preview")),
            "history" => Some(format!("/materials/{material_id}/history")),
            step => Self::parse(step)
                .map(|step| format!("/materials/{material_id}?step={}", step.key())),
        }
    }

    /// Every step of a material, in order.
    pub fn all(material: &Material) -> Vec<Self> {
        let mut steps = vec![Self::Opening];
        steps.extend((0..material.parts.len()).map(Self::Part));
        steps.extend([Self::Closing, Self::Check]);
        steps
    }
}

/// The closing sentence most materials end with.
pub const DEFAULT_CLOSING: &str = "以上是我的发言材料，不妥之处请大家批评指正。";

/// A new, empty material laid out as the template asks.
pub fn new_material(template: &Template, title: &str, speaker: &str) -> Material {
    Material {
        title: title.into(),
        speaker: Some(speaker.into()).filter(|s: &String| !s.trim().is_empty()),
        preamble: vec![],
        parts: template
            .parts
            .iter()
            .map(|wanted| Part {
                kind: wanted.kind,
                heading: wanted.heading.clone(),
                paragraphs: vec![],
                items: vec![],
            })
            .collect(),
        closing: Some(DEFAULT_CLOSING.into()),
        date: None,
        removed: vec![],
    }
}

/// What the author asked for besides saving the fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    Save,
    Add,
    Remove(ItemId),
    Restore(ItemId),
    MoveUp(ItemId),
    MoveDown(ItemId),
}

impl Operation {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let (verb, id) = raw.split_once(':').unwrap_or((raw, ""));
        let id = ItemId(id.to_string());
        match verb {
            "" | "save" => Ok(Self::Save),
            "add" => Ok(Self::Add),
            "remove" => Ok(Self::Remove(id)),
            "restore" => Ok(Self::Restore(id)),
            "up" => Ok(Self::MoveUp(id)),
            "down" => Ok(Self::MoveDown(id)),
            _ => Err(DomainError::Invalid(format!("无法识别的操作「{raw}」"))),
        }
    }
}

/// The most 字 one field may hold (a whole material is typically 3,000–8,000).
pub const MAX_FIELD_CHARS: usize = 50_000;

/// The form of one step, as (name, value) pairs in document order. Item fields are named
/// `item.<n>.<field>`; repeated names (`link`, `follow_up`) may occur several times.
pub struct StepForm<'a> {
    fields: &'a [(String, String)],
}

impl<'a> StepForm<'a> {
    pub fn new(fields: &'a [(String, String)]) -> Result<Self, DomainError> {
        if let Some((name, _)) = fields
            .iter()
            .find(|(_, value)| value.chars().count() > MAX_FIELD_CHARS)
        {
            return Err(DomainError::Invalid(format!(
                "“{}”超过 {MAX_FIELD_CHARS} 字，请精简或分段后再保存",
                field_label(name)
            )));
        }
        Ok(Self { fields })
    }

    fn value(&self, name: &str) -> Option<&'a str> {
        self.fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The item numbers present, in the order they first appear.
    fn item_numbers(&self) -> Vec<&'a str> {
        let mut numbers: Vec<&str> = Vec::new();
        for (name, _) in self.fields {
            if let Some(number) = name
                .strip_prefix("item.")
                .and_then(|rest| rest.split_once('.'))
                .map(|(number, _)| number)
                && !numbers.contains(&number)
            {
                numbers.push(number);
            }
        }
        numbers
    }

    fn item_value(&self, number: &str, field: &str) -> Option<&'a str> {
        self.value(&format!("item.{number}.{field}"))
    }

    fn item_values(&self, number: &str, field: &str) -> impl Iterator<Item = &'a str> {
        let name = format!("item.{number}.{field}");
        self.fields
            .iter()
            .filter(move |(key, _)| *key == name)
            .map(|(_, value)| value.as_str())
    }
}

/// A field's name as the user knows it, for error messages.
fn field_label(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or(name) {
        "title" => "标题",
        "preamble" => "开头",
        "paragraphs" => "正文",
        "heading" => "标题",
        "text" => "内容",
        "example" => "事例",
        "cause" => "原因",
        "standard" => "完成标准",
        "owner" => "责任人",
        "closing" => "结束语",
        _ => "该栏",
    }
}

/// Splits a text area into paragraphs: one per non-empty line, trimmed.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// Paragraphs as the text area shows them.
pub fn paragraphs_text(paragraphs: &[String]) -> String {
    paragraphs.join("\n")
}

fn optional_text(raw: Option<&str>) -> Option<Option<String>> {
    raw.map(|text| Some(text.trim().to_string()).filter(|text| !text.is_empty()))
}

fn parse_date(raw: &str, what: &str) -> Result<chrono::NaiveDate, DomainError> {
    chrono::NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").map_err(|_| {
        DomainError::Invalid(format!(
            "{what}「{raw}」不是有效日期，请按 2026-06-30 的格式填写"
        ))
    })
}

/// Applies a step's form and operation to `material`. `new_id` names an added item.
pub fn apply(
    material: &Material,
    step: Step,
    form: &StepForm<'_>,
    operation: &Operation,
    new_id: ItemId,
) -> Result<Material, DomainError> {
    let mut next = material.clone();
    match step {
        Step::Opening => {
            if let Some(title) = form.value("title") {
                next.title = title.trim().to_string();
            }
            if let Some(speaker) = optional_text(form.value("speaker")) {
                next.speaker = speaker;
            }
            if let Some(preamble) = form.value("preamble") {
                next.preamble = paragraphs(preamble);
            }
        }
        Step::Closing => {
            if let Some(closing) = optional_text(form.value("closing")) {
                next.closing = closing;
            }
            if let Some(date) = optional_text(form.value("date")) {
                next.date = date.map(|date| super::document::date_line(&date));
            }
        }
        Step::Check => {}
        Step::Part(index) => {
            let part = next
                .parts
                .get_mut(index)
                .ok_or_else(|| DomainError::Invalid("该部分已不存在，请刷新页面".into()))?;
            apply_part(part, form)?;
        }
    }
    match (step, operation) {
        (_, Operation::Save) => {}
        (Step::Part(index), operation) => operate(&mut next, index, operation, new_id)?,
        _ => return Err(DomainError::Invalid("这一步没有可增删的条目".into())),
    }
    Ok(next)
}

fn apply_part(part: &mut Part, form: &StepForm<'_>) -> Result<(), DomainError> {
    if let Some(heading) = form.value("heading").map(str::trim)
        && !heading.is_empty()
    {
        part.heading = heading.to_string();
    }
    if let Some(text) = form.value("paragraphs") {
        part.paragraphs = paragraphs(text);
    }
    let mut ordered = Vec::new();
    for number in form.item_numbers() {
        let id = ItemId(
            form.item_value(number, "id")
                .unwrap_or_default()
                .to_string(),
        );
        let position = part.items.iter().position(|item| item.id == id);
        let mut item = match position {
            Some(position) => part.items.remove(position),
            // An item the form knows and the material does not (deleted in another tab):
            // the text is the author's, so it is kept as a new item.
            None => Item {
                id,
                ..Item::default()
            },
        };
        apply_item(&mut item, part.kind, form, number)?;
        ordered.push(item);
    }
    // Items the form did not carry stay, after the ones it did.
    ordered.append(&mut part.items);
    part.items = ordered;
    Ok(())
}

fn apply_item(
    item: &mut Item,
    kind: PartKind,
    form: &StepForm<'_>,
    number: &str,
) -> Result<(), DomainError> {
    if let Some(heading) = form.item_value(number, "heading") {
        item.heading = heading.trim().to_string();
    }
    if let Some(text) = form.item_value(number, "text") {
        item.text = text.trim().to_string();
    }
    if let Some(example) = optional_text(form.item_value(number, "example")) {
        item.example = example;
    }
    if let Some(cause) = optional_text(form.item_value(number, "cause")) {
        item.cause = cause;
    }
    if let Some(category) = optional_text(form.item_value(number, "category")) {
        item.category = category;
    }
    if let Some(standard) = optional_text(form.item_value(number, "standard")) {
        item.standard = standard;
    }
    if let Some(owner) = optional_text(form.item_value(number, "owner")) {
        item.owner = owner;
    }
    if kind == PartKind::Problems {
        if let Some(source) = form.item_value(number, "source") {
            item.source = match source.trim() {
                "" => None,
                code => Some(ProblemSource::parse(code).ok_or_else(|| {
                    DomainError::Invalid("无法识别的问题来源，请重新选择".into())
                })?),
            };
        }
        if form.item_value(number, "answers_shown").is_some() {
            item.answers = form
                .item_values(number, "answers")
                .map(str::to_string)
                .collect();
        }
    }
    if matches!(kind, PartKind::Causes | PartKind::Measures)
        && form.item_value(number, "links_shown").is_some()
    {
        item.links = form
            .item_values(number, "link")
            .map(|id| ItemId(id.to_string()))
            .collect();
    }
    if kind == PartKind::Measures && form.item_value(number, "deadline").is_some() {
        let ongoing = form.item_value(number, "ongoing").is_some();
        let date = form
            .item_value(number, "deadline")
            .unwrap_or_default()
            .trim();
        item.deadline = match (ongoing, date) {
            (true, _) => Some(Deadline::Ongoing),
            (false, "") => None,
            (false, date) => Some(Deadline::By(parse_date(date, "时限")?)),
        };
        let mut follow_ups = form
            .item_values(number, "follow_up")
            .filter(|raw| !raw.trim().is_empty())
            .map(|raw| parse_date(raw, "跟踪日期"))
            .collect::<Result<Vec<_>, _>>()?;
        follow_ups.sort();
        follow_ups.dedup();
        item.follow_ups = follow_ups;
    }
    Ok(())
}

fn operate(
    material: &mut Material,
    index: usize,
    operation: &Operation,
    new_id: ItemId,
) -> Result<(), DomainError> {
    let kind = material.parts[index].kind;
    // Parts of free paragraphs get no new items; the numbered items an import found in them
    // (suggestions, last year's items) are edited, moved and removed like any other.
    if !kind.has_items() && matches!(operation, Operation::Add) {
        return Err(DomainError::Invalid("这一部分没有可增删的条目".into()));
    }
    let missing = || DomainError::Invalid("该条目已不存在，请刷新页面".into());
    let items = &mut material.parts[index].items;
    let find = |items: &[Item], id: &ItemId| items.iter().position(|item| &item.id == id);
    match operation {
        Operation::Save => {}
        Operation::Add => items.push(Item {
            id: new_id,
            ..Item::default()
        }),
        Operation::Remove(id) => {
            let position = find(items, id).ok_or_else(missing)?;
            let item = items.remove(position);
            material.removed.push(RemovedItem { kind, item });
        }
        Operation::Restore(id) => {
            let position = material
                .removed
                .iter()
                .position(|removed| &removed.item.id == id && removed.kind == kind)
                .ok_or_else(missing)?;
            let removed = material.removed.remove(position);
            material.parts[index].items.push(removed.item);
        }
        Operation::MoveUp(id) => {
            let position = find(items, id).ok_or_else(missing)?;
            if position > 0 {
                items.swap(position, position - 1);
            }
        }
        Operation::MoveDown(id) => {
            let position = find(items, id).ok_or_else(missing)?;
            if position + 1 < items.len() {
                items.swap(position, position + 1);
            }
        }
    }
    Ok(())
}

/// The step where an item lives, for "jump to the spot".
pub fn step_of_item(material: &Material, id: &ItemId) -> Option<Step> {
    material
        .parts
        .iter()
        .position(|part| part.items.iter().any(|item| &item.id == id))
        .map(Step::Part)
}

/// The first step of a kind of part.
pub fn step_of_kind(material: &Material, kind: PartKind) -> Option<Step> {
    material
        .parts
        .iter()
        .position(|part| part.kind == kind)
        .map(Step::Part)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::tests::{item, linked, material, part};

    #[test]
    fn a_button_goes_to_a_step_the_preview_or_the_history_and_nowhere_else() {
        assert_eq!(
            Step::destination("m1", "2").as_deref(),
            Some("/materials/m1?step=2")
        );
        assert_eq!(
            Step::destination("m1", "check").as_deref(),
            Some("/materials/m1?step=check")
        );
        assert_eq!(
            Step::destination("m1", "preview").as_deref(),
            Some("/materials/m1/preview")
        );
        assert_eq!(
            Step::destination("m1", "history").as_deref(),
            Some("/materials/m1/history")
        );
        assert_eq!(Step::destination("m1", "https://elsewhere.example"), None);
    }

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    fn apply_fields(m: &Material, step: Step, pairs: &[(&str, &str)], op: &str) -> Material {
        let fields = fields(pairs);
        apply(
            m,
            step,
            &StepForm::new(&fields).unwrap(),
            &Operation::parse(op).unwrap(),
            ItemId("new".into()),
        )
        .unwrap()
    }

    fn ids(part: &Part) -> Vec<&str> {
        part.items.iter().map(|item| item.id.0.as_str()).collect()
    }

    fn three_problems() -> Material {
        material(vec![
            part(
                PartKind::Problems,
                vec![item("a", "甲"), item("b", "乙"), item("c", "丙")],
            ),
            part(PartKind::Measures, vec![linked(item("m", "措施"), &["a"])]),
        ])
    }

    #[test]
    fn a_new_material_follows_the_template() {
        let m = new_material(&Template::branch_meeting_default(), "发言材料", "张明");
        assert_eq!(m.parts.len(), 6);
        assert_eq!(m.parts[2].kind, PartKind::Problems);
        assert_eq!(m.closing.as_deref(), Some(DEFAULT_CLOSING));
        assert_eq!(Step::all(&m).len(), 9);
        for step in Step::all(&m) {
            assert_eq!(Step::parse(&step.key()), Some(step));
        }
    }

    #[test]
    fn the_opening_and_closing_steps_set_their_fields_and_split_paragraphs() {
        let m = three_problems();
        let opened = apply_fields(
            &m,
            Step::Opening,
            &[
                ("title", " 新标题 "),
                ("speaker", "办公室 张明"),
                ("preamble", "第一段\n\n  第二段  \n"),
            ],
            "save",
        );
        assert_eq!(opened.title, "新标题");
        assert_eq!(opened.speaker.as_deref(), Some("办公室 张明"));
        assert_eq!(opened.preamble, vec!["第一段", "第二段"]);
        let closed = apply_fields(
            &opened,
            Step::Closing,
            &[("closing", ""), ("date", "2026年1月15日")],
            "",
        );
        assert_eq!(closed.closing, None);
        assert_eq!(closed.date.as_deref(), Some("2026年1月15日"));
        assert_eq!(closed.parts, m.parts, "other steps are untouched");
        let typed = apply_fields(&opened, Step::Closing, &[("date", "2026-11-15")], "");
        assert_eq!(typed.date.as_deref(), Some("2026年11月15日"));
    }

    #[test]
    fn item_fields_are_saved_in_form_order_and_unlisted_items_are_kept() {
        let m = three_problems();
        let next = apply_fields(
            &m,
            Step::Part(0),
            &[
                ("paragraphs", "综述"),
                ("item.0.id", "c"),
                ("item.0.heading", "丙改"),
                ("item.0.example", "比如，3月……"),
                ("item.1.id", "a"),
                ("item.1.text", "表现"),
            ],
            "save",
        );
        let problems = &next.parts[0];
        assert_eq!(problems.paragraphs, vec!["综述"]);
        assert_eq!(ids(problems), vec!["c", "a", "b"]);
        assert_eq!(problems.items[0].heading, "丙改");
        assert_eq!(problems.items[0].example.as_deref(), Some("比如，3月……"));
        assert_eq!(
            problems.items[1].heading, "甲",
            "fields the form lacks are kept"
        );
        assert_eq!(problems.items[1].text, "表现");
    }

    #[test]
    fn an_item_unknown_to_the_material_is_kept_as_new() {
        let m = three_problems();
        let next = apply_fields(
            &m,
            Step::Part(0),
            &[("item.0.id", "zzz"), ("item.0.heading", "另一页删掉的")],
            "",
        );
        assert_eq!(ids(&next.parts[0]), vec!["zzz", "a", "b", "c"]);
    }

    #[test]
    fn measure_links_deadlines_and_follow_ups_are_parsed() {
        let m = three_problems();
        let next = apply_fields(
            &m,
            Step::Part(1),
            &[
                ("item.0.id", "m"),
                ("item.0.links_shown", "1"),
                ("item.0.link", "b"),
                ("item.0.link", "c"),
                ("item.0.deadline", "2026-06-30"),
                ("item.0.follow_up", "2026-09-01"),
                ("item.0.follow_up", ""),
                ("item.0.follow_up", "2026-03-01"),
                ("item.0.standard", "完成笔记"),
            ],
            "",
        );
        let measure = &next.parts[1].items[0];
        assert_eq!(measure.links, vec![ItemId("b".into()), ItemId("c".into())]);
        assert_eq!(
            measure.deadline,
            Some(Deadline::By(
                chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
            ))
        );
        assert_eq!(measure.follow_ups.len(), 2);
        assert!(measure.follow_ups[0] < measure.follow_ups[1]);
        assert_eq!(measure.standard.as_deref(), Some("完成笔记"));

        let ongoing = apply_fields(
            &next,
            Step::Part(1),
            &[
                ("item.0.id", "m"),
                ("item.0.links_shown", "1"),
                ("item.0.deadline", "2026-06-30"),
                ("item.0.ongoing", "on"),
            ],
            "",
        );
        let measure = &ongoing.parts[1].items[0];
        assert_eq!(measure.deadline, Some(Deadline::Ongoing));
        assert!(measure.links.is_empty(), "every box unticked clears links");
    }

    #[test]
    fn a_bad_date_is_refused_with_its_text() {
        let m = three_problems();
        let fields = fields(&[("item.0.id", "m"), ("item.0.deadline", "年底")]);
        let error = apply(
            &m,
            Step::Part(1),
            &StepForm::new(&fields).unwrap(),
            &Operation::Save,
            ItemId("n".into()),
        )
        .unwrap_err();
        assert!(error.to_string().contains("年底"));
    }

    #[test]
    fn an_oversized_field_is_refused_by_name() {
        let big = "字".repeat(MAX_FIELD_CHARS + 1);
        let fields = fields(&[("item.0.example", &big)]);
        let error = StepForm::new(&fields).err().unwrap();
        assert!(error.to_string().contains("事例"));
    }

    #[test]
    fn items_are_added_moved_removed_softly_and_restored() {
        let m = three_problems();
        let added = apply_fields(&m, Step::Part(0), &[], "add");
        assert_eq!(ids(&added.parts[0]), vec!["a", "b", "c", "new"]);
        let moved = apply_fields(&added, Step::Part(0), &[], "up:c");
        assert_eq!(ids(&moved.parts[0]), vec!["a", "c", "b", "new"]);
        let moved = apply_fields(&moved, Step::Part(0), &[], "down:a");
        assert_eq!(ids(&moved.parts[0]), vec!["c", "a", "b", "new"]);
        let top = apply_fields(&moved, Step::Part(0), &[], "up:c");
        assert_eq!(ids(&top.parts[0]), ids(&moved.parts[0]));

        let removed = apply_fields(&moved, Step::Part(0), &[], "remove:a");
        assert_eq!(ids(&removed.parts[0]), vec!["c", "b", "new"]);
        assert_eq!(removed.removed[0].item.heading, "甲");
        assert_eq!(
            removed.links().measures_without_problem,
            vec![ItemId("m".into())],
            "a removed problem no longer counts"
        );
        let restored = apply_fields(&removed, Step::Part(0), &[], "restore:a");
        assert_eq!(ids(&restored.parts[0]), vec!["c", "b", "new", "a"]);
        assert!(restored.removed.is_empty());
        assert!(
            restored.links().measures_without_problem.is_empty(),
            "links come back with the item"
        );
    }

    #[test]
    fn operations_on_items_that_are_gone_or_parts_without_items_are_refused() {
        let m = three_problems();
        let fields = fields(&[]);
        let form = StepForm::new(&fields).unwrap();
        let gone = Operation::parse("remove:zz").unwrap();
        assert!(apply(&m, Step::Part(0), &form, &gone, ItemId("n".into())).is_err());
        assert!(
            apply(
                &m,
                Step::Opening,
                &form,
                &Operation::Add,
                ItemId("n".into())
            )
            .is_err()
        );
        assert!(Operation::parse("explode").is_err());
        let duty = material(vec![part(PartKind::Duty, vec![])]);
        assert!(
            apply(
                &duty,
                Step::Part(0),
                &form,
                &Operation::Add,
                ItemId("n".into())
            )
            .is_err()
        );
    }

    #[test]
    fn numbered_items_of_a_part_of_paragraphs_are_edited_moved_and_removed_but_not_added() {
        let mut suggestions = part(
            PartKind::Suggestions,
            vec![item("s1", "建议每季度研讨一次"), item("s2", "建议结对帮带")],
        );
        suggestions.paragraphs = vec!["我提两点建议：".into()];
        let m = material(vec![suggestions]);
        let edited = apply_fields(
            &m,
            Step::Part(0),
            &[
                ("paragraphs", "我提两点建议："),
                ("item.0.id", "s1"),
                ("item.0.heading", "建议每月研讨一次"),
                ("item.0.text", "围绕重点工作。"),
            ],
            "down:s1",
        );
        assert_eq!(ids(&edited.parts[0]), vec!["s2", "s1"]);
        assert_eq!(edited.parts[0].items[1].heading, "建议每月研讨一次");
        assert_eq!(edited.parts[0].items[1].text, "围绕重点工作。");
        let removed = apply_fields(&edited, Step::Part(0), &[], "remove:s2");
        assert_eq!(ids(&removed.parts[0]), vec!["s1"]);
        let restored = apply_fields(&removed, Step::Part(0), &[], "restore:s2");
        assert_eq!(ids(&restored.parts[0]), vec!["s1", "s2"]);
        let fields = fields(&[]);
        let form = StepForm::new(&fields).unwrap();
        assert!(
            apply(
                &m,
                Step::Part(0),
                &form,
                &Operation::Add,
                ItemId("n".into())
            )
            .is_err()
        );
    }

    #[test]
    fn a_measures_owner_is_saved_and_cleared() {
        let m = three_problems();
        let owned = apply_fields(
            &m,
            Step::Part(1),
            &[("item.0.id", "m"), ("item.0.owner", " 办公室 李华 ")],
            "",
        );
        assert_eq!(
            owned.parts[1].items[0].owner.as_deref(),
            Some("办公室 李华")
        );
        let cleared = apply_fields(
            &owned,
            Step::Part(1),
            &[("item.0.id", "m"), ("item.0.owner", "")],
            "",
        );
        assert_eq!(cleared.parts[1].items[0].owner, None);
    }

    #[test]
    fn spots_map_to_steps() {
        let m = three_problems();
        assert_eq!(step_of_item(&m, &ItemId("m".into())), Some(Step::Part(1)));
        assert_eq!(step_of_kind(&m, PartKind::Problems), Some(Step::Part(0)));
        assert_eq!(step_of_kind(&m, PartKind::Causes), None);
    }
}
