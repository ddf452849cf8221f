//! Written 批评意见 before the meeting: who may criticise whom, by the meeting's mode.

use super::*;

crate::domain::coded_enum! {
    /// Whether and how written 批评意见 are collected before the meeting (docs/DOMAIN.md §8: many
    /// units only exchange them in 谈心谈话).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum CriticismMode {
        /// Every participant may write to every other.
        Open => ("open", "参会人员相互提出"),
        /// Only the pairs the secretary assigns.
        Pairs => ("pairs", "按书记指定的结对提出"),
        /// Not collected in writing.
        Off => ("off", "不收集书面批评意见"),
    }
}

/// Whether `giver` may write criticism to `recipient`: both take part, they are different
/// people, and the meeting's mode allows the pair.
pub fn may_criticise(
    mode: CriticismMode,
    giver: &str,
    recipient: &str,
    pairs: &[(String, String)],
) -> bool {
    giver != recipient
        && match mode {
            CriticismMode::Open => true,
            CriticismMode::Pairs => pairs.iter().any(|(g, r)| g == giver && r == recipient),
            CriticismMode::Off => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::cycle::tests::pairs;

    #[test]
    fn criticism_follows_the_meeting_mode() {
        let assigned = pairs(&[("a", "b")]);
        assert!(may_criticise(CriticismMode::Open, "a", "c", &[]));
        assert!(!may_criticise(CriticismMode::Open, "a", "a", &[]));
        assert!(may_criticise(CriticismMode::Pairs, "a", "b", &assigned));
        assert!(!may_criticise(CriticismMode::Pairs, "b", "a", &assigned));
        assert!(!may_criticise(CriticismMode::Off, "a", "b", &assigned));
    }
}
