//! Small text rules shared by every field that takes a line of user input.

use super::DomainError;

/// Trims a single-line field and checks its length in characters (not bytes: a 汉字 counts
/// once). Control characters are refused rather than silently stripped, so nothing the user
/// typed disappears without being told.
pub fn single_line(field: &str, raw: &str, max: usize) -> Result<String, DomainError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(DomainError::Empty {
            field: field.into(),
        });
    }
    if value.chars().count() > max {
        return Err(DomainError::TooLong {
            field: field.into(),
            max,
        });
    }
    if value.chars().any(char::is_control) {
        return Err(DomainError::BadCharacters {
            field: field.into(),
            detail: "换行或控制字符".into(),
        });
    }
    Ok(value.to_string())
}

/// Like [`single_line`] but an empty value is allowed and becomes `None`.
pub fn optional_line(field: &str, raw: &str, max: usize) -> Result<Option<String>, DomainError> {
    if raw.trim().is_empty() {
        Ok(None)
    } else {
        single_line(field, raw, max).map(Some)
    }
}

/// The first `max` characters of a text, with "…" when there was more: for quoting a
/// user's text in a list or a message.
pub fn shortened(text: &str, max: usize) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_is_trimmed_and_counted_in_characters() {
        assert_eq!(single_line("姓名", "  张三  ", 2).unwrap(), "张三");
        assert!(matches!(
            single_line("姓名", "张三丰", 2),
            Err(DomainError::TooLong { max: 2, .. })
        ));
    }

    #[test]
    fn a_long_text_is_cut_with_an_ellipsis() {
        assert_eq!(shortened("希望多深入基层", 4), "希望多深…");
        assert_eq!(shortened("希望", 4), "希望");
    }

    #[test]
    fn blank_and_control_characters_are_refused_with_a_reason() {
        assert_eq!(
            single_line("姓名", "   ", 10).unwrap_err().to_string(),
            "姓名不能为空"
        );
        assert!(single_line("姓名", "张\u{0}三", 10).is_err());
        assert_eq!(optional_line("职务", " ", 10).unwrap(), None);
    }
}
