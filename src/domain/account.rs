//! Account fields: who a person is and how they log in.

use super::{DomainError, text};
use serde::{Deserialize, Serialize};

/// A login name: ASCII letters, digits and `_ . - @`, case-insensitive (stored lower-case),
/// so a mobile number works as a login name too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LoginName(String);

impl LoginName {
    pub const MAX: usize = 64;

    /// Parses what a user typed into the 登录名 field.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let value = text::single_line("登录名", raw, Self::MAX)?.to_lowercase();
        if value.chars().count() < 2 {
            return Err(DomainError::TooShort {
                field: "登录名".into(),
                min: 2,
            });
        }
        if let Some(bad) = value
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-' | '@')))
        {
            return Err(DomainError::BadCharacters {
                field: "登录名".into(),
                detail: format!("「{bad}」（只能用字母、数字和 _ . - @）"),
            });
        }
        Ok(Self(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest password a login form may carry: eight times the longest a person can
/// choose ([`NewPassword::MAX`]), so no real one is refused, while a megabyte pasted into the
/// field is refused before anything hashes it.
pub const MAX_TYPED_PASSWORD: usize = 1024;

/// Checks only the lengths of what a login form carries, before any work is spent on it
/// (throttling, hashing, the audit trail): a name no account can have, or a password far
/// longer than any real one, is refused at once. Anything within bounds goes on to the
/// usual check, where a bad name is just a failed login.
pub fn check_login_bounds(login: &str, password: &str) -> Result<(), DomainError> {
    if login.trim().chars().count() > LoginName::MAX {
        return Err(DomainError::TooLong {
            field: "登录名".into(),
            max: LoginName::MAX,
        });
    }
    if password.chars().count() > MAX_TYPED_PASSWORD {
        return Err(DomainError::TooLong {
            field: "密码".into(),
            max: MAX_TYPED_PASSWORD,
        });
    }
    Ok(())
}

/// Whether an initial or reset password, issued at `issued_at` (unix seconds), has run out
/// at `now` when such passwords last `lifetime_days` days (zero: it never logs in). A
/// password nobody replaced for that long was likely never received, or seen by someone
/// else; the administrator issues a new one.
pub fn issued_password_expired(issued_at: i64, now: i64, lifetime_days: u32) -> bool {
    now.saturating_sub(issued_at) >= i64::from(lifetime_days) * 24 * 3600
}

/// A person's name as it appears on materials (张三, 阿依古丽·买买提).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX: usize = 32;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        text::single_line("姓名", raw, Self::MAX).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's post (职务), shown in the speaker line; may be empty.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Post(Option<String>);

impl Post {
    pub const MAX: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        text::optional_line("职务", raw, Self::MAX).map(Self)
    }

    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// A password chosen by a person, checked for length only (no composition rules, which
/// push people to predictable patterns) and against their login name.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;

    pub fn parse(raw: &str, confirmation: &str, login: &LoginName) -> Result<Self, DomainError> {
        let length = raw.chars().count();
        if length < Self::MIN {
            return Err(DomainError::TooShort {
                field: "新密码".into(),
                min: Self::MIN,
            });
        }
        if length > Self::MAX {
            return Err(DomainError::TooLong {
                field: "新密码".into(),
                max: Self::MAX,
            });
        }
        if raw != confirmation {
            return Err(DomainError::Invalid("两次输入的新密码不一致".into()));
        }
        if raw.to_lowercase().contains(login.as_str()) {
            return Err(DomainError::Invalid("新密码不能包含登录名".into()));
        }
        let mut chars = raw.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return Err(DomainError::Invalid(
                "新密码不能由同一个字符重复组成".into(),
            ));
        }
        Ok(Self(raw.to_string()))
    }

    /// The password itself, for hashing. Deliberately not `Display`.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issued_password_runs_out_after_its_days() {
        let issued = 1_800_000_000;
        let day = 24 * 3600;
        assert!(!issued_password_expired(issued, issued, 7));
        assert!(!issued_password_expired(issued, issued + 7 * day - 1, 7));
        assert!(issued_password_expired(issued, issued + 7 * day, 7));
        assert!(issued_password_expired(issued, issued, 0));
    }

    fn login(raw: &str) -> LoginName {
        LoginName::parse(raw).unwrap()
    }

    #[test]
    fn login_names_are_lower_cased_and_accept_mobile_numbers() {
        assert_eq!(login(" ZhangSan ").as_str(), "zhangsan");
        assert_eq!(login("13800138000").as_str(), "13800138000");
    }

    #[test]
    fn login_names_with_chinese_or_spaces_are_refused_naming_the_character() {
        let error = LoginName::parse("张三").unwrap_err().to_string();
        assert!(error.contains("「张」"), "{error}");
        assert!(LoginName::parse("a b").is_err());
        assert!(LoginName::parse("a").is_err());
    }

    #[test]
    fn a_login_form_longer_than_any_account_could_need_is_refused() {
        let longest_name = "a".repeat(LoginName::MAX);
        let longest_password = "密".repeat(MAX_TYPED_PASSWORD);
        assert!(check_login_bounds(&longest_name, &longest_password).is_ok());
        assert!(check_login_bounds(&format!("  {longest_name}  "), "x").is_ok());
        let error = check_login_bounds(&format!("{longest_name}a"), "x").unwrap_err();
        assert_eq!(error.to_string(), "登录名不能超过 64 个字符");
        let error = check_login_bounds("zhangsan", &format!("{longest_password}x")).unwrap_err();
        assert_eq!(error.to_string(), "密码不能超过 1024 个字符");
    }

    #[test]
    fn names_keep_middle_dots_and_refuse_blank() {
        assert_eq!(
            PersonName::parse("阿依古丽·买买提").unwrap().as_str(),
            "阿依古丽·买买提"
        );
        assert!(PersonName::parse("").is_err());
        assert_eq!(Post::parse("  ").unwrap().as_deref(), None);
    }

    #[test]
    fn a_new_password_needs_length_confirmation_and_must_not_contain_the_login() {
        let me = login("zhangsan");
        assert!(NewPassword::parse("short", "short", &me).is_err());
        assert!(NewPassword::parse("long enough 1", "long enough 2", &me).is_err());
        assert!(NewPassword::parse("my-zhangsan-pw", "my-zhangsan-pw", &me).is_err());
        assert!(NewPassword::parse("aaaaaaaaaaaa", "aaaaaaaaaaaa", &me).is_err());
        let ok = NewPassword::parse("青山依旧在 几度夕阳红", "青山依旧在 几度夕阳红", &me).unwrap();
        assert_eq!(format!("{ok:?}"), "NewPassword(..)");
    }
}
