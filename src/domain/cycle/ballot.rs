//! 民主测评: a ballot grades everyone on it once.

use super::*;

crate::domain::coded_enum! {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cycle::tests::pairs;

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
}
