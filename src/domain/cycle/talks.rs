//! 谈心谈话: a logged talk needs a date, a partner and what was talked about.

use super::*;

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
    let on = crate::domain::meeting::parse_date(on)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn talks_need_a_date_a_partner_and_topics() {
        let talk = talk_entry("2026-01-05", "u2", "交流学习体会", "u1").unwrap();
        assert_eq!(talk.partner, "u2");
        assert!(talk_entry("", "u2", "x", "u1").is_err());
        assert!(talk_entry("2026-01-05", "u1", "x", "u1").is_err());
        assert!(talk_entry("2026-01-05", "u2", " ", "u1").is_err());
    }
}
