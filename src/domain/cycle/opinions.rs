//! Opinions addressed to one person (from the survey or written criticism), and the rule
//! that a material answers each one with a problem or declines it.

use super::*;

crate::domain::coded_enum! {
    /// Where an opinion addressed to a person came from.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum OpinionKind {
        /// Curated by the secretary from the anonymous 征求意见: no giver, ever.
        Survey => ("survey", "征求意见"),
        /// Written by a named colleague.
        Criticism => ("criticism", "批评意见"),
    }
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
                crate::domain::text::shortened(&o.text, 20)
            ),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::tests::{item, material, part};

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
}
