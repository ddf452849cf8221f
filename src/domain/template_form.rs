//! A meeting template as a secretary edits it: every part (used or not, in which order,
//! with its heading, guidance, example and target length), the 查摆 aspects, and the word
//! lists of the 材料体检 — as form text, checked into a [`Template`] with Chinese errors.

use super::material::PartKind;
use super::meeting::FieldError;
use super::template::{Template, TemplatePart, TermFix};
use serde::{Deserialize, Serialize};

/// One part's row of the form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartForm {
    pub kind: String,
    /// Whether the material has this part at all.
    pub included: bool,
    /// Position among the included parts (1, 2, …).
    pub order: String,
    pub heading: String,
    pub required: bool,
    pub guidance: String,
    pub example: String,
    pub min_chars: String,
    pub max_chars: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TemplateForm {
    pub name: String,
    pub parts: Vec<PartForm>,
    /// One aspect per line, with the exact heading text.
    pub aspects: String,
    pub min_problem_chars: String,
    /// One per line.
    pub thought_dimensions: String,
    /// One per line.
    pub stock_phrases: String,
    pub stock_phrases_per_thousand: String,
    /// "错误提法 → 正确提法", one per line.
    pub term_fixes: String,
    /// Whether a measure without 时限 blocks submission (a checkbox: absent means no).
    pub deadline_required: bool,
    /// Whether 责任人 / 时限 / 完成标准 go in an appended 整改清单 table (a checkbox).
    pub rectification_table: bool,
    /// The meeting's agenda, one step per line (会议议程; the 通报 are written out).
    pub agenda_reports: String,
    /// The pack's choice of who closes 整改方案 items, carried through the form unchanged
    /// (a hidden field): a template edit does not take the 销号 away from the 上级.
    #[serde(default)]
    pub closure_by_superior: bool,
}

pub(crate) const HEADING_MAX: usize = 30;
pub(crate) const NAME_MAX: usize = 60;
pub(crate) const TEXT_MAX: usize = 1000;
const LIST_MAX: usize = 60;

fn lines(text: &[String]) -> String {
    text.join("\n")
}

fn number(value: Option<usize>) -> String {
    value.map(|n| n.to_string()).unwrap_or_default()
}

impl TemplateForm {
    /// The form filled from a template: its parts in order, then the kinds it does not use.
    pub fn of(template: &Template) -> Self {
        let mut parts: Vec<PartForm> = template
            .parts
            .iter()
            .enumerate()
            .map(|(index, part)| PartForm {
                kind: part.kind.code().into(),
                included: true,
                order: (index + 1).to_string(),
                heading: part.heading.clone(),
                required: part.required,
                guidance: part.guidance.clone(),
                example: part.example.clone(),
                min_chars: number(part.min_chars),
                max_chars: number(part.max_chars),
            })
            .collect();
        for kind in PartKind::ALL {
            if template.part(kind).is_none() {
                parts.push(PartForm {
                    kind: kind.code().into(),
                    heading: kind.label().into(),
                    ..PartForm::default()
                });
            }
        }
        Self {
            name: template.name.clone(),
            parts,
            aspects: lines(&template.aspects),
            min_problem_chars: template.min_problem_chars.to_string(),
            thought_dimensions: lines(&template.thought_dimensions),
            stock_phrases: lines(&template.stock_phrases),
            stock_phrases_per_thousand: template.stock_phrases_per_thousand.to_string(),
            term_fixes: template
                .term_fixes
                .iter()
                .map(|fix| format!("{} → {}", fix.wrong, fix.right))
                .collect::<Vec<_>>()
                .join("\n"),
            deadline_required: template.deadline_required,
            rectification_table: template.rectification_table,
            agenda_reports: lines(&template.agenda_reports),
            closure_by_superior: template.closure_by_superior,
        }
    }

    /// The checked template, or every problem with the field it is in.
    pub fn parse(&self) -> Result<Template, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut error = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.into(),
                message,
            })
        };
        let name = self.name.trim().to_string();
        if name.is_empty() || name.chars().count() > NAME_MAX {
            error(
                "name",
                format!("模板名称不能为空，也不能超过 {NAME_MAX} 个字"),
            );
        }
        let count = |field: &str, label: &str, raw: &str, error: &mut dyn FnMut(&str, String)| {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let parsed = raw.parse::<usize>().ok().filter(|n| *n <= 100_000);
            if parsed.is_none() {
                error(field, format!("{label}「{raw}」应是不超过 100000 的整数"));
            }
            parsed
        };
        let mut parts: Vec<(usize, TemplatePart)> = Vec::new();
        let mut seen = Vec::new();
        for (index, row) in self.parts.iter().enumerate() {
            let field = format!("parts.{index}");
            let Some(kind) = PartKind::from_code(&row.kind) else {
                error(&field, "无法识别的部分类型".into());
                continue;
            };
            // 其他 parts may repeat (a 班子成员's 谈话函询说明 and 案例剖析), as in a pack.
            if seen.contains(&kind) && kind != PartKind::Other {
                error(&field, format!("“{}”出现了两次", kind.label()));
                continue;
            }
            seen.push(kind);
            if !row.included {
                continue;
            }
            let heading = row.heading.trim().to_string();
            if heading.is_empty() || heading.chars().count() > HEADING_MAX {
                error(
                    &field,
                    format!(
                        "第 {} 行的标题不能为空，也不能超过 {HEADING_MAX} 个字",
                        index + 1
                    ),
                );
            }
            for (label, text) in [("说明", &row.guidance), ("示例", &row.example)] {
                if text.chars().count() > TEXT_MAX {
                    error(
                        &field,
                        format!("“{heading}”的{label}不能超过 {TEXT_MAX} 个字"),
                    );
                }
            }
            let min = count(&field, "最少字数", &row.min_chars, &mut error);
            let max = count(&field, "最多字数", &row.max_chars, &mut error);
            if let (Some(min), Some(max)) = (min, max)
                && min > max
            {
                error(&field, format!("“{heading}”的最少字数大于最多字数"));
            }
            let order = row.order.trim().parse::<usize>().unwrap_or(usize::MAX);
            parts.push((
                order,
                TemplatePart {
                    kind,
                    heading,
                    required: row.required,
                    guidance: row.guidance.trim().to_string(),
                    example: row.example.trim().to_string(),
                    min_chars: min,
                    max_chars: max,
                },
            ));
        }
        // Stable: rows without an order keep their place after the numbered ones.
        parts.sort_by_key(|(order, _)| *order);
        let parts: Vec<TemplatePart> = parts.into_iter().map(|(_, part)| part).collect();
        for kind in [PartKind::Problems, PartKind::Causes, PartKind::Measures] {
            if !parts.iter().any(|p| p.kind == kind) {
                error("parts", format!("材料必须包含“{}”部分", kind.label()));
            }
        }
        let list = |field: &str, label: &str, raw: &str, error: &mut dyn FnMut(&str, String)| {
            let items: Vec<String> = raw
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_string)
                .collect();
            if items.len() > LIST_MAX || items.iter().any(|i| i.chars().count() > HEADING_MAX * 2) {
                error(
                    field,
                    format!(
                        "{label}最多 {LIST_MAX} 行，每行不超过 {} 个字",
                        HEADING_MAX * 2
                    ),
                );
            }
            items
        };
        let aspects = list("aspects", "查摆方面", &self.aspects, &mut error);
        let thought_dimensions = list(
            "thought_dimensions",
            "思想根源词",
            &self.thought_dimensions,
            &mut error,
        );
        let stock_phrases = list("stock_phrases", "套话词", &self.stock_phrases, &mut error);
        let agenda_reports = list(
            "agenda_reports",
            "会议议程",
            &self.agenda_reports,
            &mut error,
        );
        let mut term_fixes = Vec::new();
        for line in list("term_fixes", "提法", &self.term_fixes, &mut error) {
            match line.split_once('→').or_else(|| line.split_once("->")) {
                Some((wrong, right)) if !wrong.trim().is_empty() && !right.trim().is_empty() => {
                    term_fixes.push(TermFix {
                        wrong: wrong.trim().into(),
                        right: right.trim().into(),
                    })
                }
                _ => error(
                    "term_fixes",
                    format!("提法「{line}」应写成“错误提法 → 正确提法”"),
                ),
            }
        }
        let min_problem_chars = count(
            "min_problem_chars",
            "问题最少字数",
            &self.min_problem_chars,
            &mut error,
        )
        .unwrap_or(0);
        let stock_phrases_per_thousand = count(
            "stock_phrases_per_thousand",
            "套话密度",
            &self.stock_phrases_per_thousand,
            &mut error,
        )
        .unwrap_or(0);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Template {
            name,
            parts,
            aspects,
            min_problem_chars,
            thought_dimensions,
            stock_phrases,
            stock_phrases_per_thousand,
            term_fixes,
            deadline_required: self.deadline_required,
            rectification_table: self.rectification_table,
            agenda_reports,
            closure_by_superior: self.closure_by_superior,
            // Not the secretary's to lift: whoever saves a form keeps the flag it had
            // (`save_meeting_template`).
            plan_approval_required: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_survives_its_own_form() {
        for (_, template) in crate::domain::pack::builtin_templates() {
            let mut parsed = TemplateForm::of(&template).parse().unwrap();
            // Not part of the form: `save_meeting_template` keeps the meeting's own flag.
            parsed.plan_approval_required = template.plan_approval_required;
            assert_eq!(parsed, template);
        }
    }

    #[test]
    fn parts_can_be_dropped_reordered_and_renamed() {
        let mut form = TemplateForm::of(&Template::branch_meeting_default());
        let position = |form: &TemplateForm, kind: &str| {
            form.parts.iter().position(|p| p.kind == kind).unwrap()
        };
        let duty = position(&form, "duty");
        form.parts[duty].included = false;
        let measures = position(&form, "measures");
        form.parts[measures].order = "0".into();
        form.parts[measures].heading = "努力方向和改进措施".into();
        let criticism = position(&form, "criticism");
        form.parts[criticism].included = true;
        form.parts[criticism].order = "99".into();
        form.aspects = "在政治忠诚方面\n\n在担当作为方面\n".into();
        form.term_fixes = "两学一做 -> “两学一做”学习教育常态化制度化".into();
        let template = form.parse().unwrap();
        let kinds: Vec<PartKind> = template.parts.iter().map(|p| p.kind).collect();
        assert_eq!(kinds[0], PartKind::Measures);
        assert_eq!(template.parts[0].heading, "努力方向和改进措施");
        assert_eq!(*kinds.last().unwrap(), PartKind::Criticism);
        assert!(!kinds.contains(&PartKind::Duty));
        assert_eq!(template.aspects, ["在政治忠诚方面", "在担当作为方面"]);
        assert_eq!(template.term_fixes[0].wrong, "两学一做");
    }

    #[test]
    fn every_problem_is_reported() {
        let mut form = TemplateForm::of(&Template::branch_meeting_default());
        let problems = form
            .parts
            .iter()
            .position(|p| p.kind == "problems")
            .unwrap();
        form.parts[problems].included = false;
        let causes = form.parts.iter().position(|p| p.kind == "causes").unwrap();
        form.parts[causes].min_chars = "900".into();
        form.parts[causes].max_chars = "300".into();
        form.parts[causes].heading = " ".into();
        form.name = String::new();
        form.term_fixes = "没有箭头的一行".into();
        form.min_problem_chars = "八十".into();
        let errors = form.parse().unwrap_err();
        let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
        for expected in [
            "模板名称",
            "标题不能为空",
            "最少字数大于最多字数",
            "必须包含“存在的问题”",
            "错误提法 → 正确提法",
            "八十",
        ] {
            assert!(
                messages.iter().any(|m| m.contains(expected)),
                "{expected}: {messages:?}"
            );
        }
    }
}
