//! The 修订记录 as a person reads it. Autosave keeps a version at every pause, so a morning's
//! writing leaves dozens of them; the history groups them into stretches of work — the
//! saves one author made with less than [`WORK_GAP_MINUTES`] between them — and shows each
//! stretch once, with its time span and how many saves it holds. Every version is still
//! stored and reachable; a stretch is diffed from the version before it to its last one,
//! and restoring a stretch brings back its last version.

use chrono::{DateTime, Utc};

/// Saves further apart than this begin a new stretch of work.
pub const WORK_GAP_MINUTES: i64 = 30;

/// One stored version, as the history needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub version: i64,
    pub at: DateTime<Utc>,
    pub author: String,
    /// Set when this version restored an older one.
    pub restored_from: Option<i64>,
}

/// A stretch of work: consecutive versions by one author, each saved less than
/// [`WORK_GAP_MINUTES`] after the one before. A restore is a deliberate act and stands alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stretch {
    pub first: i64,
    pub last: i64,
    pub started: DateTime<Utc>,
    pub ended: DateTime<Utc>,
    pub author: String,
    pub saves: usize,
    /// The older version the stretch's one save restored.
    pub restored_from: Option<i64>,
    /// Every version of the stretch, oldest first.
    pub versions: Vec<(i64, DateTime<Utc>)>,
}

impl Stretch {
    fn of(revision: &Revision) -> Self {
        Self {
            first: revision.version,
            last: revision.version,
            started: revision.at,
            ended: revision.at,
            author: revision.author.clone(),
            saves: 1,
            restored_from: revision.restored_from,
            versions: vec![(revision.version, revision.at)],
        }
    }

    /// Whether `revision`, the next version, carries on this stretch.
    fn continued_by(&self, revision: &Revision) -> bool {
        self.author == revision.author
            && self.restored_from.is_none()
            && revision.restored_from.is_none()
            && revision.at - self.ended < chrono::TimeDelta::minutes(WORK_GAP_MINUTES)
    }

    fn add(&mut self, revision: &Revision) {
        self.last = revision.version;
        self.ended = revision.at;
        self.saves += 1;
        self.versions.push((revision.version, revision.at));
    }

    /// Whether `version` is one of the stretch's.
    pub fn holds(&self, version: i64) -> bool {
        (self.first..=self.last).contains(&version)
    }

    /// The version the stretch is compared with: the one before it, if any.
    pub fn before(&self) -> Option<i64> {
        (self.first > 1).then(|| self.first - 1)
    }
}

/// The history's stretches of work, newest first, from the versions in any order.
pub fn stretches(revisions: &[Revision]) -> Vec<Stretch> {
    let mut ordered: Vec<&Revision> = revisions.iter().collect();
    ordered.sort_by_key(|revision| revision.version);
    let mut out: Vec<Stretch> = Vec::new();
    for revision in ordered {
        match out.last_mut() {
            Some(stretch) if stretch.continued_by(revision) => stretch.add(revision),
            _ => out.push(Stretch::of(revision)),
        }
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_768_435_200, 0).unwrap() + chrono::TimeDelta::minutes(minutes)
    }

    fn saved(version: i64, minutes: i64, author: &str) -> Revision {
        Revision {
            version,
            at: at(minutes),
            author: author.into(),
            restored_from: None,
        }
    }

    fn spans(revisions: &[Revision]) -> Vec<(i64, i64, usize)> {
        stretches(revisions)
            .into_iter()
            .map(|s| (s.first, s.last, s.saves))
            .collect()
    }

    #[test]
    fn saves_less_than_half_an_hour_apart_are_one_stretch_of_work() {
        let revisions = [
            saved(1, 0, "u1"),
            saved(2, 3, "u1"),
            saved(3, 20, "u1"),
            saved(4, 45, "u1"),
        ];
        assert_eq!(spans(&revisions), [(1, 4, 4)]);
        let stretch = &stretches(&revisions)[0];
        assert_eq!((stretch.started, stretch.ended), (at(0), at(45)));
        assert_eq!(stretch.versions.len(), 4);
        assert_eq!(stretch.before(), None);
    }

    #[test]
    fn a_pause_of_half_an_hour_or_more_begins_a_new_stretch() {
        let revisions = [
            saved(3, 100, "u1"),
            saved(1, 0, "u1"),
            saved(2, 10, "u1"),
            saved(4, 110, "u1"),
        ];
        assert_eq!(spans(&revisions), [(3, 4, 2), (1, 2, 2)], "newest first");
        assert_eq!(stretches(&revisions)[0].before(), Some(2));
        assert_eq!(spans(&[saved(1, 0, "u1"), saved(2, 30, "u1")]).len(), 2);
    }

    #[test]
    fn another_author_or_a_restore_stands_apart() {
        let mut restore = saved(3, 6, "u1");
        restore.restored_from = Some(1);
        let revisions = [
            saved(1, 0, "u1"),
            saved(2, 2, "u2"),
            restore,
            saved(4, 8, "u1"),
            saved(5, 9, "u1"),
        ];
        assert_eq!(
            spans(&revisions),
            [(4, 5, 2), (3, 3, 1), (2, 2, 1), (1, 1, 1)]
        );
        assert_eq!(stretches(&revisions)[1].restored_from, Some(1));
    }

    #[test]
    fn a_stretch_holds_its_versions_only() {
        let stretch = &stretches(&[saved(5, 0, "u1"), saved(6, 1, "u1")])[0];
        assert!(stretch.holds(5) && stretch.holds(6));
        assert!(!stretch.holds(4) && !stretch.holds(7));
        assert_eq!(stretch.before(), Some(4));
    }
}
