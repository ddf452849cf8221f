//! The 上级's overview of the meetings below their node (issue 28, item 6): where each
//! meeting stands — 方案待批, 收集中, 待审核, 已召开, 已报送, 整改中, 已完成 — worked out from
//! facts only (plan state, dates, whether materials are handed in or spoken, the 报送, the
//! ledger), never from a draft's or a survey answer's text; and the counts per node. Pure:
//! today is passed in.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

super::coded_enum! {
    /// Where a meeting stands, in the order a meeting goes through them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum MeetingStage {
        /// The 会议方案 is with the 上级 (handed in, or returned and not yet handed in again).
        PlanPending => ("plan_pending", "方案待批"),
        /// Members are writing their materials.
        Collecting => ("collecting", "收集中"),
        /// Materials wait for review: collection is over, or every started one is handed in.
        Reviewing => ("reviewing", "待审核"),
        /// The meeting has taken place; the 报送 is not sent yet.
        Held => ("held", "已召开"),
        /// The 报送 is sent; no 整改 item exists yet.
        Reported => ("reported", "已报送"),
        /// Sent, and 整改 items are still open.
        Rectifying => ("rectifying", "整改中"),
        /// Sent, and every 整改 item is closed (销号).
        Completed => ("completed", "已完成"),
    }
}

/// The plan states (`meeting.plan_state`) in which the meeting waits on its 会议方案:
/// handed in for approval, or returned and to be handed in again. Approved or never asked
/// (NONE, a pack without 方案报批) lets the meeting go on.
const PLAN_NOT_YET_APPROVED: [&str; 2] = ["submitted", "returned"];

/// Whether a stored plan state means the 会议方案 still waits for approval.
pub fn plan_awaits_approval(plan_state: Option<&str>) -> bool {
    plan_state.is_some_and(|state| PLAN_NOT_YET_APPROVED.contains(&state))
}

/// What the stage of one meeting is worked out from. The store fills the material facts
/// only before the meeting and the ledger facts only after the 报送 — the only times the
/// stage looks at them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageFacts {
    /// `meeting.plan_state` as stored: "submitted", "returned", "approved" or none.
    pub plan_state: Option<String>,
    pub materials_due: Option<NaiveDate>,
    pub meeting_on: Option<NaiveDate>,
    /// Some material is being written (a draft, or returned to its author).
    pub drafting: bool,
    /// Some material is handed in and waits for a decision.
    pub awaiting_review: bool,
    /// Some material is marked spoken in the minutes.
    pub spoken: bool,
    /// The 报送 was sent (`meeting.reported_at`).
    pub reported: bool,
    /// The meeting has 整改 items.
    pub has_items: bool,
    /// Some 整改 item is not closed.
    pub open_items: bool,
}

impl StageFacts {
    /// The stage on `today`. The later facts win: a sent 报送 outranks everything before it,
    /// a meeting held outranks the collection, so a late correction of an early fact (a
    /// plan state left behind) never moves a meeting back.
    pub fn stage(&self, today: NaiveDate) -> MeetingStage {
        if self.reported {
            return if self.open_items {
                MeetingStage::Rectifying
            } else if self.has_items {
                MeetingStage::Completed
            } else {
                MeetingStage::Reported
            };
        }
        if self.spoken || self.meeting_on.is_some_and(|day| day <= today) {
            return MeetingStage::Held;
        }
        if plan_awaits_approval(self.plan_state.as_deref()) {
            return MeetingStage::PlanPending;
        }
        let collection_over = self.materials_due.is_some_and(|due| due < today);
        if self.awaiting_review && (collection_over || !self.drafting) {
            MeetingStage::Reviewing
        } else {
            MeetingStage::Collecting
        }
    }

    /// Whether the 报送 is late: its due date has passed and it was not sent.
    pub fn report_overdue(&self, report_due: Option<NaiveDate>, today: NaiveDate) -> bool {
        !self.reported && report_due.is_some_and(|due| due < today)
    }
}

/// How many meetings stand at each stage, in [`MeetingStage::ALL`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageCounts(pub [usize; MeetingStage::ALL.len()]);

impl StageCounts {
    pub fn add(&mut self, stage: MeetingStage) {
        self.0[stage as usize] += 1;
    }

    pub fn of(&self, stage: MeetingStage) -> usize {
        self.0[stage as usize]
    }

    pub fn total(&self) -> usize {
        self.0.iter().sum()
    }
}

/// The page size of every list of the overview.
pub const PAGE_SIZE: usize = 50;

/// One page of a list: the range of `total` items that page `page` (1-based; out of range
/// reads as the nearest page) shows, and how many pages there are (at least one).
pub fn page_range(
    total: usize,
    page: usize,
    size: usize,
) -> (std::ops::Range<usize>, usize, usize) {
    let pages = total.div_ceil(size).max(1);
    let page = page.clamp(1, pages);
    let start = (page - 1) * size;
    (start..(start + size).min(total), page, pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(month: u32, date: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, date).unwrap()
    }

    const TODAY: (u32, u32) = (6, 15);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1)
    }

    /// A meeting on 6 July with materials due on 30 June, nothing done yet.
    fn planned() -> StageFacts {
        StageFacts {
            materials_due: Some(day(6, 30)),
            meeting_on: Some(day(7, 6)),
            ..StageFacts::default()
        }
    }

    #[test]
    fn a_plan_handed_in_or_returned_waits_for_approval_and_an_approved_one_does_not() {
        for state in ["submitted", "returned"] {
            let facts = StageFacts {
                plan_state: Some(state.into()),
                ..planned()
            };
            assert_eq!(facts.stage(today()), MeetingStage::PlanPending, "{state}");
        }
        for state in [Some("approved"), None] {
            let facts = StageFacts {
                plan_state: state.map(Into::into),
                ..planned()
            };
            assert_eq!(facts.stage(today()), MeetingStage::Collecting, "{state:?}");
        }
        assert_eq!(MeetingStage::PlanPending.label(), "方案待批");
    }

    #[test]
    fn materials_being_written_keep_the_meeting_collecting_until_the_due_date() {
        let writing = StageFacts {
            drafting: true,
            awaiting_review: true,
            ..planned()
        };
        assert_eq!(writing.stage(today()), MeetingStage::Collecting);
        assert_eq!(writing.stage(day(7, 1)), MeetingStage::Reviewing);
        let all_in = StageFacts {
            awaiting_review: true,
            ..planned()
        };
        assert_eq!(all_in.stage(today()), MeetingStage::Reviewing);
        // Due date passed but nothing handed in waits: nothing to review yet.
        assert_eq!(planned().stage(day(7, 1)), MeetingStage::Collecting);
    }

    #[test]
    fn a_meeting_is_held_from_its_date_or_once_the_minutes_mark_a_speaker() {
        assert_eq!(planned().stage(day(7, 6)), MeetingStage::Held);
        let early = StageFacts {
            spoken: true,
            plan_state: Some("submitted".into()),
            ..planned()
        };
        assert_eq!(early.stage(today()), MeetingStage::Held);
    }

    #[test]
    fn after_the_report_the_ledger_decides_between_sent_rectifying_and_completed() {
        let sent = StageFacts {
            reported: true,
            ..planned()
        };
        assert_eq!(sent.stage(day(8, 1)), MeetingStage::Reported);
        let open = StageFacts {
            has_items: true,
            open_items: true,
            ..sent.clone()
        };
        assert_eq!(open.stage(day(8, 1)), MeetingStage::Rectifying);
        let closed = StageFacts {
            has_items: true,
            ..sent
        };
        assert_eq!(closed.stage(day(8, 1)), MeetingStage::Completed);
    }

    #[test]
    fn a_report_is_overdue_only_past_its_due_date_and_unsent() {
        let facts = planned();
        assert!(!facts.report_overdue(Some(day(7, 20)), day(7, 20)));
        assert!(facts.report_overdue(Some(day(7, 20)), day(7, 21)));
        assert!(!facts.report_overdue(None, day(7, 21)));
        let sent = StageFacts {
            reported: true,
            ..facts
        };
        assert!(!sent.report_overdue(Some(day(7, 20)), day(7, 21)));
    }

    #[test]
    fn counts_follow_the_stage_order_and_pages_clamp() {
        let mut counts = StageCounts::default();
        counts.add(MeetingStage::Held);
        counts.add(MeetingStage::Held);
        counts.add(MeetingStage::Completed);
        assert_eq!(counts.of(MeetingStage::Held), 2);
        assert_eq!(counts.total(), 3);
        assert_eq!(page_range(120, 3, 50), (100..120, 3, 3));
        assert_eq!(page_range(120, 9, 50), (100..120, 3, 3));
        assert_eq!(page_range(0, 1, 50), (0..0, 1, 1));
        assert_eq!(page_range(50, 0, 50), (0..50, 1, 1));
    }
}
