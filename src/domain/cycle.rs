//! The meeting and what surrounds it (docs/DOMAIN.md §2.1 B4-B5, §2.2, §2.3, §6): 征求意见,
//! written 批评意见, 谈心谈话, the meeting record, 民主测评, 民主评议党员, 定稿 and the 报送 report. Pure
//! rules: who may see what is decided in `policy`, storage in `store::cycle`.

mod agenda;
mod ballot;
mod criticism;
mod evaluation;
mod minutes;
mod opinions;
mod report;
mod survey;
mod talks;

pub use agenda::*;
pub use ballot::*;
pub use criticism::*;
pub use evaluation::*;
pub use minutes::*;
pub use opinions::*;
pub use report::*;
pub use survey::*;
pub use talks::*;

use super::DomainError;
use super::health::{Finding, Rule, Severity, Spot};
use super::material::{Material, PartKind};
use super::meeting::MeetingKind;
use serde::{Deserialize, Serialize};

/// Anonymous answers and tallies are shown only once this many people took part
/// (docs/DOMAIN.md §6.2, small-group rule): below it, a reader could guess who said what.
pub const MIN_ANONYMOUS_GROUP: usize = 3;

/// The longest opinion, criticism, response or minutes field, in characters.
pub const OPINION_MAX: usize = 3000;
/// The longest free text of the meeting record (notes, a speaker's criticisms or 表态).
pub const MINUTES_MAX: usize = 20_000;

/// Whether an anonymous group is large enough to be shown to this reader. The reader's own
/// answer or vote does not count: they know what they said, so a secretary who answered
/// with two others would otherwise face two answers from two people they can name.
pub fn group_shown(people: usize, reader_took_part: bool) -> bool {
    let others = people.saturating_sub(usize::from(reader_took_part));
    others >= MIN_ANONYMOUS_GROUP
}

/// Trims and checks one opinion, criticism or response.
pub fn opinion_text(field: &str, raw: &str) -> Result<String, DomainError> {
    long_text(field, raw, OPINION_MAX)
}

/// Trims and checks a multi-line text; line breaks are kept, other control characters are
/// refused rather than dropped.
pub fn long_text(field: &str, raw: &str, max: usize) -> Result<String, DomainError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(DomainError::Empty {
            field: field.into(),
        });
    }
    optional_long_text(field, text, max)
}

/// Like [`long_text`], but empty is allowed.
pub fn optional_long_text(field: &str, raw: &str, max: usize) -> Result<String, DomainError> {
    let text = raw.trim().replace("\r\n", "\n");
    if text.chars().count() > max {
        return Err(DomainError::TooLong {
            field: field.into(),
            max,
        });
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(DomainError::BadCharacters {
            field: field.into(),
            detail: "控制字符".into(),
        });
    }
    Ok(text)
}

pub(crate) fn document(
    title: String,
    preamble: Vec<String>,
    sections: Vec<(String, Vec<String>)>,
) -> Material {
    use super::material::Part;
    Material {
        title,
        speaker: None,
        preamble,
        parts: sections
            .into_iter()
            .map(|(heading, paragraphs)| Part {
                kind: PartKind::Other,
                heading,
                paragraphs,
                items: Vec::new(),
            })
            .collect(),
        closing: None,
        date: None,
        removed: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(super) fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn anonymous_groups_below_three_stay_hidden() {
        assert!(!group_shown(0, false));
        assert!(!group_shown(2, false));
        assert!(group_shown(3, false));
    }

    #[test]
    fn the_readers_own_answer_does_not_count_towards_the_three() {
        assert!(!group_shown(3, true), "two others and the reader");
        assert!(group_shown(4, true), "three others and the reader");
        assert!(!group_shown(0, true));
    }
}
