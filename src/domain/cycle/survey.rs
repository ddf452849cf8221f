//! 征求意见: who is asked about whom, and the answers a form may carry.

use super::*;

crate::domain::coded_enum! {
    /// Who may answer a meeting's 征求意见.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum SurveyScope {
        /// The meeting's participants.
        Members => ("members", "本次参会党员"),
        /// Anyone of the organisation who is logged in and has the link.
        Org => ("org", "本单位所有登录用户（持链接）"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cycle::tests::pairs;

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
}
