//! 整改 dates as an iCalendar feed (RFC 5545): all-day events a phone calendar subscribes
//! to. Each event's UID is stable, so a moved 时限 moves the event instead of adding one.

use chrono::NaiveDate;
use icalendar::{Calendar, Component, Event, EventLike};

/// One date in the feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarEntry {
    pub uid: String,
    pub date: NaiveDate,
    pub summary: String,
    pub description: String,
}

/// The feed's text, named `name` in the subscriber's calendar list.
pub fn calendar_ics(name: &str, entries: &[CalendarEntry]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    // Calendar apps poll at this interval (RFC 7986 REFRESH-INTERVAL and its older cousin).
    calendar.append_property(
        icalendar::Property::new("REFRESH-INTERVAL", "PT6H")
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    calendar.append_property(icalendar::Property::new("X-PUBLISHED-TTL", "PT6H"));
    for entry in entries {
        let mut event = Event::new();
        event.uid(&entry.uid).starts(entry.date);
        // An all-day event ends the next day: DTEND is exclusive (RFC 5545 §3.6.1), and an
        // event ending the day it starts lasts no time at all in some calendars. On the
        // last day chrono can count, leaving DTEND out means the same single day.
        if let Some(next) = entry.date.succ_opt() {
            event.ends(next);
        }
        calendar.push(
            event
                .summary(&entry.summary)
                .description(&entry.description)
                .done(),
        );
    }
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use icalendar::{CalendarComponent, DatePerhapsTime};

    #[test]
    fn an_all_day_event_ends_the_next_day_as_rfc_5545_counts_it() {
        let entry = |date| CalendarEntry {
            uid: "u@xingshen".into(),
            date,
            summary: "整改时限".into(),
            description: String::new(),
        };
        let text = calendar_ics(
            "省身",
            &[entry(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap())],
        );
        assert!(text.contains("DTSTART;VALUE=DATE:20260630"), "{text}");
        assert!(text.contains("DTEND;VALUE=DATE:20260701"), "{text}");
        assert!(!text.contains("DTEND;VALUE=DATE:20260630"), "{text}");
        // The last day chrono knows has no next day: a start alone is one day.
        let text = calendar_ics("省身", &[entry(NaiveDate::MAX)]);
        assert!(!text.contains("DTEND"), "{text}");
    }

    #[test]
    fn entries_round_trip_as_all_day_events_with_chinese_text() {
        let entries = vec![
            CalendarEntry {
                uid: "a-deadline@xingshen".into(),
                date: NaiveDate::from_ymd_opt(2028, 2, 29).unwrap(),
                summary: "整改时限：每月精读原著2篇".into(),
                description: "责任人：张明\n完成标准：读书笔记12篇；每月交流一次".into(),
            },
            CalendarEntry {
                uid: "a-check-2026-12-31@xingshen".into(),
                date: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
                summary: "跟踪督办：每月精读原著2篇".into(),
                description: String::new(),
            },
        ];
        let text = calendar_ics("省身 · 我的整改", &entries);
        assert!(text.contains("DTSTART;VALUE=DATE:20280229"), "{text}");
        assert!(text.contains("DTEND;VALUE=DATE:20280301"), "{text}");
        let parsed: Calendar = text.parse().expect("parses");
        let events: Vec<_> = parsed
            .components
            .iter()
            .filter_map(|c| match c {
                CalendarComponent::Event(event) => Some(event),
                _ => None,
            })
            .collect();
        assert_eq!(events.len(), 2);
        assert_eq!(
            events[0].get_start(),
            Some(DatePerhapsTime::Date(entries[0].date))
        );
        assert_eq!(events[0].get_summary(), Some("整改时限：每月精读原著2篇"));
        assert_eq!(
            events[0].get_description(),
            Some("责任人：张明\n完成标准：读书笔记12篇；每月交流一次")
        );
        assert_eq!(events[1].get_uid(), Some("a-check-2026-12-31@xingshen"));
        assert_eq!(
            events[1].get_end(),
            Some(DatePerhapsTime::Date(
                NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()
            ))
        );
        assert_eq!(parsed.get_name(), Some("省身 · 我的整改"));
    }
}
