//! 整改 statistics: completion rate and overdue counts by branch, category and month of the
//! 时限, computed from the items as they stand today.

use super::ledger::{ItemState, ItemStatus, MeasureKind, Urgency, WarningTiers};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// One bar of a chart and one line of its table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRow {
    pub label: String,
    pub total: usize,
    /// 已销号, or confirmed as 长期坚持.
    pub done: usize,
    pub overdue: usize,
}

impl StatRow {
    fn new(label: String) -> Self {
        Self {
            label,
            total: 0,
            done: 0,
            overdue: 0,
        }
    }

    /// The completion rate in whole percent (0 for no items).
    pub fn rate_percent(&self) -> usize {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// The three views of one list of items.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerStats {
    pub by_branch: Vec<StatRow>,
    pub by_category: Vec<StatRow>,
    /// By the month of the 时限 in force, oldest first; 长期坚持 and undated items last.
    pub by_month: Vec<StatRow>,
}

/// What statistics need of an item.
#[derive(Debug, Clone, Copy)]
pub struct StatItem<'a> {
    pub branch: &'a str,
    pub category: &'a str,
    pub state: &'a ItemState,
}

/// Counts the items; labels keep their first-seen order for branches and categories.
pub fn statistics(items: &[StatItem<'_>], today: NaiveDate, tiers: WarningTiers) -> LedgerStats {
    fn count(rows: &mut Vec<StatRow>, label: &str, done: bool, overdue: bool) {
        let index = match rows.iter().position(|row| row.label == label) {
            Some(index) => index,
            None => {
                rows.push(StatRow::new(label.to_string()));
                rows.len() - 1
            }
        };
        let row = &mut rows[index];
        row.total += 1;
        row.done += usize::from(done);
        row.overdue += usize::from(overdue);
    }
    let mut stats = LedgerStats::default();
    // Dated months sort in calendar order, then 长期坚持, then 时限未定.
    let mut month_order: Vec<(String, (u8, i32, u32))> = Vec::new();
    for item in items {
        let state = item.state;
        let done = matches!(state.status, ItemStatus::Closed | ItemStatus::Ongoing);
        let overdue = state.urgency(today, tiers) == Urgency::Overdue;
        count(&mut stats.by_branch, item.branch, done, overdue);
        let category = if item.category.trim().is_empty() {
            "未分类"
        } else {
            item.category
        };
        count(&mut stats.by_category, category, done, overdue);
        let (label, order) = match (state.kind, state.deadline) {
            (MeasureKind::ByDate | MeasureKind::Immediate, Some(date)) => (
                format!("{}年{}月", date.year(), date.month()),
                (0, date.year(), date.month()),
            ),
            (MeasureKind::LongTerm, _) => ("长期坚持".to_string(), (1, 0, 0)),
            (MeasureKind::ByDate | MeasureKind::Immediate, None) => {
                ("时限未定".to_string(), (2, 0, 0))
            }
        };
        count(&mut stats.by_month, &label, done, overdue);
        month_order.push((label, order));
    }
    stats.by_month.sort_by_key(|row| {
        month_order
            .iter()
            .find(|(label, _)| *label == row.label)
            .map(|(_, order)| *order)
    });
    stats
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::material::Deadline;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn counts_by_branch_category_and_month_with_rates() {
        let today = day(2026, 5, 1);
        let state = |deadline: Option<Deadline>, status| {
            let mut state = ItemState::for_measure(deadline.as_ref(), &[]);
            state.status = status;
            state
        };
        let late = state(Some(Deadline::By(day(2026, 4, 30))), ItemStatus::InProgress);
        let closed = state(Some(Deadline::By(day(2026, 4, 15))), ItemStatus::Closed);
        let coming = state(
            Some(Deadline::By(day(2026, 12, 31))),
            ItemStatus::NotStarted,
        );
        let ongoing = state(Some(Deadline::Ongoing), ItemStatus::Ongoing);
        let items = [
            StatItem {
                branch: "第一支部",
                category: "理论学习",
                state: &late,
            },
            StatItem {
                branch: "第一支部",
                category: "理论学习",
                state: &closed,
            },
            StatItem {
                branch: "第二支部",
                category: "",
                state: &coming,
            },
            StatItem {
                branch: "第二支部",
                category: "作风",
                state: &ongoing,
            },
        ];
        let stats = statistics(&items, today, WarningTiers::default());
        assert_eq!(
            stats.by_branch,
            vec![
                StatRow {
                    label: "第一支部".into(),
                    total: 2,
                    done: 1,
                    overdue: 1
                },
                StatRow {
                    label: "第二支部".into(),
                    total: 2,
                    done: 1,
                    overdue: 0
                },
            ]
        );
        assert_eq!(stats.by_branch[0].rate_percent(), 50);
        let categories: Vec<_> = stats.by_category.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(categories, ["理论学习", "未分类", "作风"]);
        let months: Vec<_> = stats
            .by_month
            .iter()
            .map(|r| (r.label.as_str(), r.total, r.overdue))
            .collect();
        assert_eq!(
            months,
            [
                ("2026年4月", 2, 1),
                ("2026年12月", 1, 0),
                ("长期坚持", 1, 0)
            ]
        );
        assert_eq!(StatRow::new("空".into()).rate_percent(), 0);
    }
}
