//! Outbound notifications to where branch life already runs: 企业微信 and 钉钉 group robots,
//! a generic JSON webhook and e-mail. Pure: what each event says, the JSON each platform
//! expects, the 钉钉 signature, the retry schedule and the daily digest. Sending, queueing
//! and the clock live in `crate::notify` and `crate::store::notify`.
//!
//! What a message may carry is deliberately narrow (docs/SECURITY.md "Notifications"): the
//! person's name, the branch, the meeting's title, an item's 整改措施 (shortened) and its
//! date. Never a material's text, a reviewer's reason, survey answers or ballots: a group chat
//! is read by people who may not see those.
//!
//! Long because each platform's message shape sits beside its event texts; a third is
//! tests.

use super::DomainError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

coded_enum! {
    /// Where a channel delivers.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ChannelKind {
        /// 企业微信 group robot: `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`.
        WeCom => ("wecom", "企业微信群机器人"),
        /// 钉钉 group robot: `https://oapi.dingtalk.com/robot/send?access_token=…`, optionally
        /// with a 加签 secret.
        DingTalk => ("dingtalk", "钉钉群机器人"),
        /// Any other platform (政务微信-style bridges): the notice as plain JSON.
        Webhook => ("webhook", "通用 JSON Webhook"),
        /// E-mail over SMTP (the server's SMTP settings come from its environment).
        Email => ("email", "电子邮件"),
    }
}

coded_enum! {
    /// What happened.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    pub enum EventKind {
        /// A 整改 item's 时限 or follow-up date entered the yellow tier.
        ItemDueSoon => ("item_due_soon", "整改事项临期"),
        /// … the red tier.
        ItemDueVerySoon => ("item_due_very_soon", "整改事项即将到期"),
        /// An item's date passed without the work reported done.
        ItemOverdue => ("item_overdue", "整改事项逾期"),
        /// A reviewer returned a member's material.
        MaterialReturned => ("material_returned", "材料被退回修改"),
        /// A reviewer approved a member's material.
        MaterialApproved => ("material_approved", "材料审核通过"),
        /// A meeting's 材料收集 deadline is near.
        MaterialsDue => ("materials_due", "材料收集截止临近"),
        /// A meeting's 报送 deadline is near.
        ReportDue => ("report_due", "报送截止临近"),
        /// The administrator's 发送测试消息.
        Test => ("test", "测试消息"),
    }
}

impl EventKind {
    /// The events a channel can subscribe to (the test message always goes out).
    pub const SUBSCRIBABLE: [Self; 7] = [
        Self::ItemDueSoon,
        Self::ItemDueVerySoon,
        Self::ItemOverdue,
        Self::MaterialReturned,
        Self::MaterialApproved,
        Self::MaterialsDue,
        Self::ReportDue,
    ];
}

/// How many days before a meeting's 材料收集 or 报送 deadline its reminder goes out.
pub const MEETING_REMINDER_DAYS: i64 = 3;

/// The longest 整改措施 text a message quotes; the rest is cut with "…".
pub const MEASURE_CHARS: usize = 40;

/// The most characters of a channel name.
pub const CHANNEL_NAME_CHARS: usize = 40;

/// One event, rendered for people: what the queue stores and every channel sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub event: EventKind,
    /// The record the event is about (item, material, meeting), for the dedupe key.
    pub subject: String,
    /// What makes this occurrence distinct from another of the same subject: the due date
    /// of a tier, the review round, the test's moment.
    pub occurrence: String,
    pub title: String,
    pub text: String,
}

impl Notice {
    /// The key that makes one notice to one channel unique in the queue: the same event
    /// about the same subject and occurrence is never queued (so never sent) twice.
    pub fn dedupe_key(&self, channel_id: &str) -> String {
        format!(
            "{}|{}|{}|{channel_id}",
            self.event.code(),
            self.subject,
            self.occurrence
        )
    }

    /// The notice as one text: title, blank line, body.
    pub fn full_text(&self) -> String {
        format!("【省身】{}\n{}", self.title, self.text)
    }
}

/// A 整改 item about to fall due or overdue, as a notice may name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem<'a> {
    pub item_id: &'a str,
    pub owner_name: &'a str,
    pub branch_name: &'a str,
    pub meeting_title: &'a str,
    pub measure: &'a str,
    pub due: NaiveDate,
}

/// `text` cut to `max` characters, with "…" when cut; whitespace runs become one space.
pub fn shortened(text: &str, max: usize) -> String {
    let squeezed: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if squeezed.chars().count() <= max {
        return squeezed;
    }
    let mut cut: String = squeezed.chars().take(max).collect();
    cut.push('…');
    cut
}

/// The notice for an item in a warning tier or overdue on `today`.
pub fn item_notice(event: EventKind, item: &DueItem<'_>, today: NaiveDate) -> Notice {
    let days = (item.due - today).num_days();
    let when = match days {
        d if d < 0 => format!("已逾期 {} 天", -d),
        0 => "今天到期".to_string(),
        d => format!("还有 {d} 天到期"),
    };
    let title = format!("{}：{}", event.label(), item.owner_name);
    let text = format!(
        "{}  {}\n整改措施：{}\n时限：{}（{when}）\n所属会次：{}\n请登录省身查看并更新整改进展。",
        item.branch_name,
        item.owner_name,
        shortened(item.measure, MEASURE_CHARS),
        item.due,
        item.meeting_title
    );
    Notice {
        event,
        subject: item.item_id.to_string(),
        occurrence: item.due.to_string(),
        title,
        text,
    }
}

/// A reviewer's decision on a member's material, as a notice may name it: never the
/// material's text nor the reviewer's reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewedMaterial<'a> {
    pub material_id: &'a str,
    pub round: i64,
    pub owner_name: &'a str,
    pub meeting_title: &'a str,
}

/// The notice for a material returned or approved.
pub fn review_notice(returned: bool, material: &ReviewedMaterial<'_>) -> Notice {
    let (event, what) = if returned {
        (
            EventKind::MaterialReturned,
            "已被退回修改，请登录省身查看审核意见并修改后重新提交。",
        )
    } else {
        (EventKind::MaterialApproved, "已审核通过。")
    };
    Notice {
        event,
        subject: material.material_id.to_string(),
        occurrence: format!("round-{}", material.round),
        title: format!("{}：{}", event.label(), material.owner_name),
        text: format!(
            "{}在「{}」中的发言材料（第 {} 稿）{what}",
            material.owner_name, material.meeting_title, material.round
        ),
    }
}

/// A meeting's deadline, as a notice may name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingDeadline<'a> {
    pub meeting_id: &'a str,
    pub branch_name: &'a str,
    pub meeting_title: &'a str,
    pub due: NaiveDate,
}

/// The notice for a meeting's 材料收集 (`MaterialsDue`) or 报送 (`ReportDue`) deadline, when
/// it is within [`MEETING_REMINDER_DAYS`] of `today`; `None` otherwise.
pub fn meeting_notice(
    event: EventKind,
    meeting: &MeetingDeadline<'_>,
    today: NaiveDate,
) -> Option<Notice> {
    let days = (meeting.due - today).num_days();
    if !(0..=MEETING_REMINDER_DAYS).contains(&days) {
        return None;
    }
    let what = match event {
        EventKind::MaterialsDue => "发言材料收集截止",
        EventKind::ReportDue => "会后材料报送截止",
        _ => return None,
    };
    let when = if days == 0 {
        "今天截止".to_string()
    } else {
        format!("还有 {days} 天")
    };
    Some(Notice {
        event,
        subject: meeting.meeting_id.to_string(),
        occurrence: meeting.due.to_string(),
        title: format!("{}：{}", event.label(), meeting.meeting_title),
        text: format!(
            "{}「{}」{what}：{}（{when}）。",
            meeting.branch_name, meeting.meeting_title, meeting.due
        ),
    })
}

/// The test message a channel's 发送测试消息 queues; `occurrence` makes each press its own.
pub fn test_notice(channel_id: &str, channel_name: &str, occurrence: &str) -> Notice {
    Notice {
        event: EventKind::Test,
        subject: channel_id.to_string(),
        occurrence: occurrence.to_string(),
        title: "测试消息".into(),
        text: format!("这是省身发往「{channel_name}」的测试消息：收到即表示通知已接通。"),
    }
}

/// The day's held notices of one channel as one message, grouped by event in a fixed order.
pub fn digest(channel_id: &str, day: NaiveDate, notices: &[Notice]) -> Notice {
    let mut kinds: Vec<EventKind> = notices.iter().map(|notice| notice.event).collect();
    kinds.sort();
    kinds.dedup();
    let mut text = String::new();
    for kind in kinds {
        let of_kind: Vec<&Notice> = notices.iter().filter(|n| n.event == kind).collect();
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("■ {}（{} 条）\n", kind.label(), of_kind.len()));
        for notice in of_kind {
            let first_line = notice.text.lines().next().unwrap_or_default();
            text.push_str(&format!("· {}：{first_line}\n", notice.title));
        }
    }
    text.push_str("请登录省身查看详情。");
    Notice {
        event: EventKind::Test,
        subject: format!("digest-{channel_id}"),
        occurrence: day.to_string(),
        title: format!("每日汇总（{day}，共 {} 条）", notices.len()),
        text,
    }
}

/// The 企业微信 group robot's text message: `{"msgtype":"text","text":{"content":…}}`.
pub fn wecom_body(notice: &Notice) -> serde_json::Value {
    serde_json::json!({
        "msgtype": "text",
        "text": { "content": notice.full_text() }
    })
}

/// The 钉钉 group robot's text message (the same shape as 企业微信's).
pub fn dingtalk_body(notice: &Notice) -> serde_json::Value {
    serde_json::json!({
        "msgtype": "text",
        "text": { "content": notice.full_text() }
    })
}

/// The generic webhook's JSON: the notice's fields, named for another program to read.
pub fn webhook_body(notice: &Notice) -> serde_json::Value {
    serde_json::json!({
        "source": "xingshen",
        "event": notice.event.code(),
        "event_label": notice.event.label(),
        "subject": notice.subject,
        "title": notice.title,
        "text": notice.text,
    })
}

/// An e-mail's subject and plain-text body.
pub fn email_parts(notice: &Notice) -> (String, String) {
    (
        format!("【省身】{}", notice.title),
        format!("{}\n\n—— 省身自动通知，请勿直接回复。", notice.text),
    )
}

/// How long to wait after the `attempt`-th failed attempt (1-based) before the next one;
/// `None` once the attempts are spent and the notice is reported as failed.
pub fn retry_delay(attempt: u32) -> Option<chrono::Duration> {
    let minutes = match attempt {
        1 => 1,
        2 => 5,
        3 => 30,
        4 => 120,
        5 => 720,
        _ => return None,
    };
    Some(chrono::Duration::minutes(minutes))
}

/// The most attempts one notice gets: the first and one after each [`retry_delay`].
pub const MAX_ATTEMPTS: u32 = 6;

/// A channel's target as it may be shown back: an address's scheme, host and path with
/// every query value reduced to its last four characters; an e-mail address as it is.
pub fn masked_target(kind: ChannelKind, target: &str) -> String {
    if kind == ChannelKind::Email {
        return target.to_string();
    }
    let (base, query) = target.split_once('?').unwrap_or((target, ""));
    // A key may also sit in the path (some bridges): keep only its last four characters.
    let base = match base.rsplit_once('/') {
        Some((head, last)) if last.chars().count() > 16 => format!("{head}/{}", tail4(last)),
        _ => base.to_string(),
    };
    if query.is_empty() {
        return base;
    }
    let masked: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) => format!("{name}={}", tail4(value)),
            None => pair.to_string(),
        })
        .collect();
    format!("{base}?{}", masked.join("&"))
}

fn tail4(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let keep = chars.len().saturating_sub(4);
    let tail: String = chars[keep..].iter().collect();
    format!("****{tail}")
}

/// A channel's target, checked for its kind: an http(s) address for the robots and
/// webhooks, an e-mail address (several separated by commas or semicolons) for e-mail.
pub fn parse_target(kind: ChannelKind, raw: &str) -> Result<String, DomainError> {
    let target = raw.trim();
    if target.is_empty() {
        return Err(DomainError::Empty {
            field: match kind {
                ChannelKind::Email => "收件邮箱".into(),
                _ => "Webhook 地址".into(),
            },
        });
    }
    if target.chars().count() > 1000 {
        return Err(DomainError::TooLong {
            field: "地址".into(),
            max: 1000,
        });
    }
    if kind == ChannelKind::Email {
        let addresses: Vec<&str> = target
            .split([',', ';', '，', '；'])
            .map(str::trim)
            .filter(|address| !address.is_empty())
            .collect();
        if addresses.is_empty() || !addresses.iter().all(|address| looks_like_email(address)) {
            return Err(DomainError::Invalid(
                "收件邮箱格式不对：请填写如 dangwei@example.org 的地址，多个地址用逗号分隔".into(),
            ));
        }
        return Ok(addresses.join(", "));
    }
    let lower = target.to_ascii_lowercase();
    let Some(rest) = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
    else {
        return Err(DomainError::Invalid(
            "Webhook 地址应以 https:// 开头：请从群机器人设置中完整复制".into(),
        ));
    };
    if rest.is_empty() || rest.starts_with('/') || target.chars().any(char::is_whitespace) {
        return Err(DomainError::Invalid(
            "Webhook 地址不完整或含有空格：请从群机器人设置中完整复制".into(),
        ));
    }
    Ok(target.to_string())
}

fn looks_like_email(address: &str) -> bool {
    let Some((local, domain)) = address.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !address.contains(char::is_whitespace)
        && !domain.contains('@')
        && address.len() <= 254
}

/// A channel's name as typed: required, at most [`CHANNEL_NAME_CHARS`].
pub fn parse_channel_name(raw: &str) -> Result<String, DomainError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(DomainError::Empty {
            field: "通知渠道名称".into(),
        });
    }
    if name.chars().count() > CHANNEL_NAME_CHARS {
        return Err(DomainError::TooLong {
            field: "通知渠道名称".into(),
            max: CHANNEL_NAME_CHARS,
        });
    }
    Ok(name.to_string())
}

/// The 钉钉 加签 secret as pasted: `SEC` followed by letters and digits.
pub fn parse_dingtalk_secret(raw: &str) -> Result<Option<String>, DomainError> {
    let secret = raw.trim();
    if secret.is_empty() {
        return Ok(None);
    }
    if !secret.starts_with("SEC") || !secret.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(DomainError::Invalid(
            "钉钉加签密钥应以 SEC 开头、只含字母和数字：请从机器人安全设置中完整复制".into(),
        ));
    }
    Ok(Some(secret.to_string()))
}

/// The query a signed 钉钉 request appends to the webhook address:
/// `&timestamp=<ms>&sign=<urlencoded base64 HMAC-SHA256(secret, "<ms>\n<secret>")>`
/// (钉钉 开放平台, 自定义机器人安全设置 · 加签).
#[cfg(feature = "ssr")]
pub fn dingtalk_signature_query(secret: &str, timestamp_ms: i64) -> String {
    use base64::Engine;
    use hmac::{Hmac, Mac};
    let to_sign = format!("{timestamp_ms}\n{secret}");
    let mut mac =
        Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(to_sign.as_bytes());
    let sign = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    let encoded: String =
        percent_encoding::utf8_percent_encode(&sign, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    format!("&timestamp={timestamp_ms}&sign={encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn item() -> DueItem<'static> {
        DueItem {
            item_id: "item1",
            owner_name: "张明",
            branch_name: "第一党支部",
            meeting_title: "2026年度组织生活会",
            measure: "每月至少参加一次理论学习并写出心得体会，按时交纳党费",
            due: day(2026, 3, 31),
        }
    }

    #[test]
    fn an_overdue_item_names_the_person_the_measure_and_the_days_late() {
        let notice = item_notice(EventKind::ItemOverdue, &item(), day(2026, 4, 3));
        assert_eq!(notice.title, "整改事项逾期：张明");
        assert!(notice.text.contains("第一党支部  张明"), "{}", notice.text);
        assert!(notice.text.contains("时限：2026-03-31（已逾期 3 天）"));
        assert!(notice.text.contains("所属会次：2026年度组织生活会"));
        assert_eq!(notice.occurrence, "2026-03-31");
    }

    #[test]
    fn a_long_measure_is_shortened() {
        let long = "学".repeat(100);
        let mut due = item();
        due.measure = &long;
        let notice = item_notice(EventKind::ItemDueSoon, &due, day(2026, 3, 20));
        assert!(
            notice
                .text
                .contains(&format!("{}…", "学".repeat(MEASURE_CHARS)))
        );
        assert!(!notice.text.contains(&"学".repeat(MEASURE_CHARS + 1)));
        assert!(notice.text.contains("还有 11 天到期"));
    }

    #[test]
    fn a_returned_material_says_so_without_its_text_or_reason() {
        let notice = review_notice(
            true,
            &ReviewedMaterial {
                material_id: "m1",
                round: 2,
                owner_name: "刘芳",
                meeting_title: "2026年度组织生活会",
            },
        );
        assert_eq!(notice.event, EventKind::MaterialReturned);
        assert_eq!(notice.title, "材料被退回修改：刘芳");
        assert!(
            notice
                .text
                .contains("刘芳在「2026年度组织生活会」中的发言材料（第 2 稿）已被退回修改")
        );
        assert_eq!(notice.dedupe_key("c1"), "material_returned|m1|round-2|c1");
    }

    #[test]
    fn a_meeting_deadline_is_announced_only_in_its_last_days() {
        let meeting = MeetingDeadline {
            meeting_id: "s1",
            branch_name: "第一党支部",
            meeting_title: "2026年度组织生活会",
            due: day(2026, 1, 10),
        };
        assert!(meeting_notice(EventKind::MaterialsDue, &meeting, day(2026, 1, 6)).is_none());
        let notice = meeting_notice(EventKind::MaterialsDue, &meeting, day(2026, 1, 7)).unwrap();
        assert!(
            notice
                .text
                .contains("发言材料收集截止：2026-01-10（还有 3 天）")
        );
        let today = meeting_notice(EventKind::ReportDue, &meeting, day(2026, 1, 10)).unwrap();
        assert!(
            today
                .text
                .contains("会后材料报送截止：2026-01-10（今天截止）")
        );
        assert!(meeting_notice(EventKind::ReportDue, &meeting, day(2026, 1, 11)).is_none());
    }

    #[test]
    fn robots_get_their_documented_text_message_shape() {
        let notice = item_notice(EventKind::ItemOverdue, &item(), day(2026, 4, 1));
        let wecom = wecom_body(&notice);
        assert_eq!(wecom["msgtype"], "text");
        assert!(
            wecom["text"]["content"]
                .as_str()
                .unwrap()
                .starts_with("【省身】整改事项逾期：张明\n")
        );
        let dingtalk = dingtalk_body(&notice);
        assert_eq!(dingtalk["msgtype"], "text");
        assert_eq!(dingtalk["text"]["content"], wecom["text"]["content"]);
        let generic = webhook_body(&notice);
        assert_eq!(generic["event"], "item_overdue");
        assert_eq!(generic["subject"], "item1");
    }

    #[test]
    fn the_email_subject_carries_the_title() {
        let notice = item_notice(EventKind::ItemOverdue, &item(), day(2026, 4, 1));
        let (subject, body) = email_parts(&notice);
        assert_eq!(subject, "【省身】整改事项逾期：张明");
        assert!(body.starts_with("第一党支部  张明\n"));
    }

    #[test]
    fn retries_back_off_then_stop() {
        let minutes: Vec<i64> = (1..=MAX_ATTEMPTS)
            .map(|attempt| retry_delay(attempt).map_or(-1, |delay| delay.num_minutes()))
            .collect();
        assert_eq!(minutes, [1, 5, 30, 120, 720, -1]);
    }

    #[test]
    fn the_digest_groups_notices_by_event() {
        let a = item_notice(EventKind::ItemOverdue, &item(), day(2026, 4, 1));
        let mut other = item();
        other.owner_name = "刘芳";
        let b = item_notice(EventKind::ItemDueSoon, &other, day(2026, 3, 20));
        let c = item_notice(EventKind::ItemOverdue, &other, day(2026, 4, 1));
        let digest = digest("c1", day(2026, 4, 1), &[a, b, c]);
        assert_eq!(digest.title, "每日汇总（2026-04-01，共 3 条）");
        let soon = digest.text.find("■ 整改事项临期（1 条）").unwrap();
        let late = digest.text.find("■ 整改事项逾期（2 条）").unwrap();
        assert!(soon < late, "{}", digest.text);
        assert!(
            digest
                .text
                .contains("· 整改事项逾期：刘芳：第一党支部  刘芳")
        );
    }

    #[test]
    fn a_webhook_key_is_never_shown_in_full() {
        let masked = masked_target(
            ChannelKind::WeCom,
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa",
        );
        assert_eq!(
            masked,
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****5aaa"
        );
        assert_eq!(
            masked_target(ChannelKind::Email, "a@example.org"),
            "a@example.org"
        );
    }

    #[test]
    fn targets_are_checked_for_their_kind() {
        assert!(parse_target(ChannelKind::WeCom, "qyapi.weixin.qq.com/x").is_err());
        assert!(parse_target(ChannelKind::DingTalk, "https://").is_err());
        assert!(parse_target(ChannelKind::Webhook, " https://bridge.example/hook ").is_ok());
        assert_eq!(
            parse_target(ChannelKind::Email, "a@example.org； b@example.org").unwrap(),
            "a@example.org, b@example.org"
        );
        assert!(parse_target(ChannelKind::Email, "not-an-address").is_err());
        assert!(parse_dingtalk_secret("abc").is_err());
        assert_eq!(parse_dingtalk_secret(" ").unwrap(), None);
    }

    /// The signature checked against an independent computation of DingTalk's documented
    /// recipe (Python's hmac/base64/urllib.parse.quote_plus on the same inputs):
    /// `python3 -c 'import hmac,hashlib,base64,urllib.parse; s="SEC000"; t="1700000000000";
    /// print(urllib.parse.quote_plus(base64.b64encode(hmac.new(s.encode(),
    /// f"{t}\n{s}".encode(), hashlib.sha256).digest())))'`.
    #[cfg(feature = "ssr")]
    #[test]
    fn the_dingtalk_signature_matches_the_documented_recipe() {
        let query = dingtalk_signature_query("SEC000", 1_700_000_000_000);
        assert_eq!(
            query,
            format!("&timestamp=1700000000000&sign={}", KNOWN_SIGN)
        );
    }

    #[cfg(feature = "ssr")]
    const KNOWN_SIGN: &str = "ltBBey5eZrWKh1cPzFIdz3v3xpkc4Tjx4lLsPSHqdtA%3D";
}
