//! Outbound notifications against a local webhook receiver and a local SMTP sink (no outside
//! network): the right events give the right messages on each platform, a failing endpoint
//! is retried and then reported with its error, nothing is sent twice after a restart, and
//! no message carries a material's text.

use crate::meetings::{demo_meeting, fill_and_submit, meeting_form, start};
use crate::support::{TestApp, ok};
use axum::Router;
use axum::extract::{OriginalUri, State};
use axum::routing::post;
use base64::Engine;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use xingshen::notify::send::SmtpSecurity;
use xingshen::notify::{NotifySettings, Sender, SmtpSettings, deliver_due};
use xingshen::server::notify::NotifyPageView;

/// What the receiver was sent: (path and query, body).
type Received = Arc<Mutex<Vec<(String, String)>>>;

/// A webhook receiver on 127.0.0.1: `/robot` answers as the robots do on success,
/// `/broken` with HTTP 500.
async fn receiver() -> (String, Received) {
    let received: Received = Arc::default();
    async fn robot(
        State(received): State<Received>,
        OriginalUri(uri): OriginalUri,
        body: String,
    ) -> &'static str {
        received.lock().unwrap().push((uri.to_string(), body));
        r#"{"errcode":0,"errmsg":"ok"}"#
    }
    async fn broken(
        State(received): State<Received>,
        OriginalUri(uri): OriginalUri,
        body: String,
    ) -> (axum::http::StatusCode, &'static str) {
        received.lock().unwrap().push((uri.to_string(), body));
        (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "boom")
    }
    let app = Router::new()
        .route("/robot", post(robot))
        .route("/broken", post(broken))
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}"), received)
}

/// A local SMTP sink speaking just enough SMTP; each message as (recipients, data).
async fn smtp_sink() -> (u16, Received) {
    let received: Received = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let store = received.clone();
    tokio::spawn(async move {
        loop {
            let (socket, _) = listener.accept().await.unwrap();
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut recipients = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        write.write_all(b"250 sink\r\n").await.unwrap();
                    } else if upper.starts_with("RCPT TO:") {
                        recipients.push_str(&line[8..]);
                        write.write_all(b"250 OK\r\n").await.unwrap();
                    } else if upper.starts_with("DATA") {
                        write.write_all(b"354 go on\r\n").await.unwrap();
                        let mut data = String::new();
                        while let Ok(Some(line)) = lines.next_line().await {
                            if line == "." {
                                break;
                            }
                            data.push_str(&line);
                            data.push('\n');
                        }
                        store
                            .lock()
                            .unwrap()
                            .push((std::mem::take(&mut recipients), data));
                        write.write_all(b"250 queued\r\n").await.unwrap();
                    } else if upper.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.unwrap();
                        break;
                    } else {
                        write.write_all(b"250 OK\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (port, received)
}

fn sender(smtp_port: u16) -> Sender {
    Sender::new(&NotifySettings {
        timeout: std::time::Duration::from_secs(5),
        smtp: Some(SmtpSettings {
            host: "127.0.0.1".into(),
            port: smtp_port,
            username: None,
            password: None,
            from: "xingshen@example.org".into(),
            security: SmtpSecurity::Plain,
        }),
        ..NotifySettings::default()
    })
    .unwrap()
}

/// The decoded text of a message's RFC 2047 subject and base64 body.
fn decoded_mail(data: &str) -> (String, String) {
    let b64 = |raw: &str| {
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(raw.trim())
                .unwrap(),
        )
        .unwrap()
    };
    let (headers, body) = data.split_once("\n\n").unwrap();
    let mut subject = String::new();
    let mut in_subject = false;
    for line in headers.lines() {
        if let Some(rest) = line.strip_prefix("Subject: ") {
            in_subject = true;
            subject.push_str(rest);
        } else if in_subject && line.starts_with([' ', '\t']) {
            subject.push_str(line.trim());
        } else {
            in_subject = false;
        }
    }
    let subject: String = subject
        .split("?=")
        .filter_map(|word| {
            let word = word.trim();
            let start = word.find("=?")?;
            let encoded = &word[start..];
            let payload = encoded.rsplit('?').next()?;
            Some(b64(payload))
        })
        .collect();
    let body: String = body.lines().collect();
    (subject, b64(&body))
}

#[tokio::test]
async fn a_returned_material_reaches_the_robots_and_the_mailbox_once_and_without_its_text() {
    let (base, robots) = receiver().await;
    let (smtp_port, mails) = smtp_sink().await;
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let events = "material_returned,material_approved,item_overdue";
    for (name, kind, target, secret) in [
        (
            "党委群",
            "wecom",
            format!("{base}/robot?key=WECOMKEY0123456789"),
            "",
        ),
        (
            "一支部钉钉群",
            "dingtalk",
            format!("{base}/robot?access_token=DINGTOKEN0123456789"),
            "SECdingsecret42",
        ),
        ("党委邮箱", "email", "dangwei@example.org".to_string(), ""),
    ] {
        ok(
            &mut admin,
            "save_notify_channel",
            &[
                ("name", name),
                ("kind", kind),
                ("target", &target),
                ("secret", secret),
                ("events", events),
            ],
        )
        .await;
    }
    // Stored sealed: neither key nor signing secret is in the table.
    let stored =
        serde_json::to_string(&app.store.table_json("notify_channel").await.unwrap()).unwrap();
    for secret in [
        "WECOMKEY0123456789",
        "DINGTOKEN0123456789",
        "SECdingsecret42",
    ] {
        assert!(!stored.contains(secret), "{secret} stored in plain text");
    }
    // Shown back masked.
    let overview: NotifyPageView = ok(&mut admin, "notify_overview", &[]).await.json();
    let hints: Vec<&str> = overview
        .channels
        .iter()
        .map(|c| c.target_hint.as_str())
        .collect();
    assert!(
        hints.contains(&format!("{base}/robot?key=****6789").as_str()),
        "{hints:?}"
    );
    assert!(
        !serde_json::to_string(&overview)
            .unwrap()
            .contains("WECOMKEY")
    );

    // 张明 submits; the secretary returns the material with a reason.
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    fill_and_submit(&mut zhang, &material, "学用结合不够紧密的私密自述").await;
    ok(
        &mut secretary,
        "decide_material",
        &[
            ("material_id", &material),
            ("round", "1"),
            ("decision", "returned"),
            ("reason", "请补充具体事例的审核理由"),
        ],
    )
    .await;

    let sender = sender(smtp_port);
    let now = chrono::Utc::now();
    assert_eq!(deliver_due(&app.store, &sender, now).await.unwrap(), 3);

    let robot_calls = robots.lock().unwrap().clone();
    assert_eq!(robot_calls.len(), 2, "{robot_calls:?}");
    for (_, body) in &robot_calls {
        let json: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(json["msgtype"], "text");
        let content = json["text"]["content"].as_str().unwrap();
        assert!(
            content.starts_with("【省身】材料被退回修改：张明\n"),
            "{content}"
        );
        assert!(
            !content.contains("私密自述") && !content.contains("审核理由"),
            "{content}"
        );
    }
    // The 钉钉 call is signed: its sign is the HMAC of its own timestamp.
    let (ding_uri, _) = robot_calls
        .iter()
        .find(|(uri, _)| uri.contains("access_token=DINGTOKEN0123456789"))
        .expect("the 钉钉 robot was called");
    let timestamp: i64 = ding_uri
        .split("&timestamp=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .unwrap()
        .parse()
        .unwrap();
    assert!((now.timestamp_millis() - timestamp).abs() < 60_000);
    let expected = xingshen::domain::notify::dingtalk_signature_query("SECdingsecret42", timestamp);
    assert!(ding_uri.ends_with(&expected), "{ding_uri} vs {expected}");
    let (wecom_uri, _) = robot_calls
        .iter()
        .find(|(uri, _)| uri.contains("key=WECOMKEY"))
        .unwrap();
    assert!(!wecom_uri.contains("sign="));

    let mail_calls = mails.lock().unwrap().clone();
    assert_eq!(mail_calls.len(), 1);
    assert!(mail_calls[0].0.contains("dangwei@example.org"));
    let (subject, body) = decoded_mail(&mail_calls[0].1);
    assert_eq!(subject, "【省身】材料被退回修改：张明");
    assert!(body.contains("张明在「"), "{body}");
    assert!(
        !body.contains("私密自述") && !body.contains("审核理由"),
        "{body}"
    );

    // Nothing is sent twice: not by another round, nor by a new worker on the same store
    // (a restart), nor by queueing the same event again.
    assert_eq!(deliver_due(&app.store, &sender, now).await.unwrap(), 0);
    let restarted = self::sender(smtp_port);
    let later = now + chrono::Duration::hours(1);
    assert_eq!(deliver_due(&app.store, &restarted, later).await.unwrap(), 0);
    xingshen::notify::scan::scan(&app.store, later, 0)
        .await
        .unwrap();
    assert_eq!(deliver_due(&app.store, &restarted, later).await.unwrap(), 0);
    assert_eq!(robots.lock().unwrap().len(), 2);
    assert_eq!(mails.lock().unwrap().len(), 1);

    // The log shows each attempt as sent.
    let overview: NotifyPageView = ok(&mut admin, "notify_overview", &[]).await.json();
    assert_eq!(overview.attempts.len(), 3);
    assert!(overview.attempts.iter().all(|a| a.ok && a.state == "sent"));
}

#[tokio::test]
async fn a_failing_endpoint_is_retried_with_backoff_then_reported_with_its_error() {
    let (base, received) = receiver().await;
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let id: String = ok(
        &mut admin,
        "save_notify_channel",
        &[
            ("name", "外部平台"),
            ("kind", "webhook"),
            ("target", &format!("{base}/broken")),
            ("events", "item_overdue"),
        ],
    )
    .await
    .json();
    ok(&mut admin, "send_test_notification", &[("channel_id", &id)]).await;

    let sender = sender(1);
    let mut now = chrono::Utc::now();
    assert_eq!(deliver_due(&app.store, &sender, now).await.unwrap(), 1);
    // Not again before its backoff has passed.
    assert_eq!(
        deliver_due(&app.store, &sender, now + chrono::Duration::seconds(30))
            .await
            .unwrap(),
        0
    );
    for _ in 2..=6 {
        now += chrono::Duration::hours(13);
        assert_eq!(deliver_due(&app.store, &sender, now).await.unwrap(), 1);
    }
    now += chrono::Duration::days(2);
    assert_eq!(
        deliver_due(&app.store, &sender, now).await.unwrap(),
        0,
        "failed for good"
    );
    assert_eq!(received.lock().unwrap().len(), 6);
    let body: serde_json::Value = serde_json::from_str(&received.lock().unwrap()[0].1).unwrap();
    assert_eq!(body["event"], "test");

    let overview: NotifyPageView = ok(&mut admin, "notify_overview", &[]).await.json();
    assert_eq!(overview.attempts.len(), 6);
    assert!(overview.attempts.iter().all(|a| !a.ok));
    assert_eq!(
        overview.attempts[0].error.as_deref(),
        Some("HTTP 500：boom")
    );
    assert_eq!(overview.attempts[0].state, "failed");

    // Another organisation's member, or a member, cannot test or read it.
    let mut member = app.logged_in("zhangming").await;
    let refused = member
        .call("send_test_notification", &[("channel_id", &id)])
        .await;
    assert_eq!(refused.error(), xingshen::server::AppError::NotFound);
    let refused = member.call("notify_overview", &[]).await;
    assert_eq!(refused.error(), xingshen::server::AppError::NotFound);
}

#[tokio::test]
async fn the_scan_queues_overdue_items_once_and_a_digest_channel_gets_one_summary() {
    let (base, received) = receiver().await;
    let app = TestApp::new().await;
    xingshen::seed::create_demo_history(&app.store)
        .await
        .unwrap();
    let mut admin = app.logged_in("admin").await;
    for (name, digest) in [("逐条", ""), ("汇总", "on")] {
        ok(
            &mut admin,
            "save_notify_channel",
            &[
                ("name", name),
                ("kind", "webhook"),
                ("target", &format!("{base}/robot?c={name}")),
                ("events", "item_overdue"),
                ("digest", digest),
            ],
        )
        .await;
    }
    let now = chrono::Utc::now();
    // Before the digest hour: one notice per overdue item, the digest channel's held.
    let first = xingshen::notify::scan::scan(&app.store, now, 24)
        .await
        .unwrap();
    assert!(first.queued >= 2, "{first:?}");
    assert_eq!(first.digests, 0);
    let again = xingshen::notify::scan::scan(&app.store, now, 24)
        .await
        .unwrap();
    assert_eq!(again.queued, 0, "nothing is queued twice");
    let single = deliver_due(&app.store, &sender(1), now).await.unwrap();
    assert_eq!(single, first.queued / 2);
    // From the digest hour on: one summary for the digest channel, once.
    let digest = xingshen::notify::scan::scan(&app.store, now, 0)
        .await
        .unwrap();
    assert_eq!(digest.digests, 1);
    assert_eq!(
        xingshen::notify::scan::scan(&app.store, now, 0)
            .await
            .unwrap()
            .digests,
        0
    );
    assert_eq!(deliver_due(&app.store, &sender(1), now).await.unwrap(), 1);
    let calls = received.lock().unwrap().clone();
    assert_eq!(calls.len(), single + 1);
    let titles: Vec<String> = calls
        .iter()
        .map(|(_, body)| {
            serde_json::from_str::<serde_json::Value>(body).unwrap()["title"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        titles
            .iter()
            .filter(|t| t.starts_with("整改事项逾期："))
            .count()
            == single,
        "{titles:?}"
    );
    let summary = &calls.last().unwrap().1;
    assert!(
        summary.contains("每日汇总") && summary.contains("整改事项逾期（"),
        "{summary}"
    );
    assert!(
        calls.last().unwrap().0.contains("c=%E6%B1%87%E6%80%BB")
            || calls.last().unwrap().0.contains("c=汇总")
    );
}

#[tokio::test]
async fn the_notify_page_sets_up_a_channel_without_javascript_and_members_never_see_it() {
    use axum::http::StatusCode;
    let app = TestApp::new().await;
    let mut member = app.logged_in("zhangming").await;
    let reply = member.get("/admin/notify").await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);

    let mut admin = app.logged_in("admin").await;
    let page = admin.get("/admin/notify").await;
    assert_eq!(page.status, StatusCode::OK);
    let text = page.text();
    assert!(text.contains("还没有通知渠道"), "{text}");
    assert!(page.body.contains("chosen_events[item_overdue]"));
    assert!(text.contains("企业微信群机器人") && text.contains("电子邮件"));

    // A browser without JavaScript posts the form with one checkbox per event.
    let reply = admin
        .post_form(
            "save_notify_channel",
            "/admin/notify",
            &[
                ("name", "党委工作群"),
                ("kind", "wecom"),
                (
                    "target",
                    "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=PAGEKEY0123456789",
                ),
                ("secret", ""),
                ("chosen_events[item_overdue]", "on"),
                ("chosen_events[material_returned]", "on"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FOUND);
    let location = reply.header("location").unwrap();
    assert!(!location.contains("__err="), "{location}");

    let page = admin.get("/admin/notify").await;
    let text = page.text();
    assert!(text.contains("党委工作群"), "{text}");
    // The channel's row lists exactly the two ticked events, then "逐条" (no digest).
    assert!(
        text.contains("整改事项逾期、材料被退回修改逐条"),
        "only the ticked events are chosen: {text}"
    );
    assert!(
        !page.body.contains("PAGEKEY0123456789"),
        "the robot's key is never shown back"
    );
    assert!(text.contains("发送测试消息"));

    // Nothing ticked: refused with a Chinese reason, nothing stored.
    let reply = admin
        .post_form(
            "save_notify_channel",
            "/admin/notify",
            &[
                ("name", "空的"),
                ("kind", "email"),
                ("target", "dangwei@example.org"),
            ],
        )
        .await;
    let location = reply.header("location").unwrap();
    assert!(location.contains("__err="), "{location}");
    assert!(!admin.get("/admin/notify").await.text().contains("空的"));
}

/// The (path, title) of every message the receiver got.
fn titles(received: &Received) -> Vec<(String, String)> {
    received
        .lock()
        .unwrap()
        .iter()
        .map(|(path, body)| {
            let body: serde_json::Value = serde_json::from_str(body).unwrap();
            (path.clone(), body["title"].as_str().unwrap().to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_secretary_sets_up_the_branch_channel_where_allowed_and_it_hears_only_that_branch() {
    use axum::http::StatusCode;
    use xingshen::server::meetings::BranchMeetings;
    let (base, received) = receiver().await;
    let app = TestApp::new().await;
    let mut shuji1 = app.logged_in("shuji1").await;
    let (branch, _) = demo_meeting(&mut shuji1).await;
    let own = branch.branch_id.clone();
    let page_path = format!("/notify/branch/{own}");
    let branch_channel = [
        ("branch_id", own.as_str()),
        ("name", "一支部工作群"),
        ("kind", "webhook"),
        ("target", &format!("{base}/robot?c=branch")),
        ("chosen_events[materials_due]", "on"),
    ];

    // Not allowed yet: no link, the page says why, and a post is refused with it.
    assert!(
        !shuji1
            .get("/meetings")
            .await
            .text()
            .contains("支部通知渠道")
    );
    let page = shuji1.get(&page_path).await;
    assert!(
        page.text().contains("尚未允许支部自行设置通知渠道"),
        "{}",
        page.text()
    );
    let refused = shuji1.call("save_notify_channel", &branch_channel).await;
    assert!(!refused.status.is_success());
    assert!(refused.body.contains("尚未允许支部自行设置通知渠道"));

    // The administrator allows it (a form without JavaScript) and sets up a channel for
    // the whole organisation.
    let mut admin = app.logged_in("admin").await;
    assert!(
        admin
            .get("/admin/notify")
            .await
            .text()
            .contains("允许支部书记为本支部设置通知渠道")
    );
    let reply = admin
        .post_form("allow_branch_notify", "/admin/notify", &[("allowed", "on")])
        .await;
    assert!(!reply.header("location").unwrap().contains("__err="));
    ok(
        &mut admin,
        "save_notify_channel",
        &[
            ("name", "党委工作群"),
            ("kind", "webhook"),
            ("target", &format!("{base}/robot?c=org")),
            ("events", "materials_due"),
        ],
    )
    .await;

    // Now the secretary finds the page from the meetings list and sets up the branch's.
    assert!(shuji1.get("/meetings").await.body.contains(&page_path));
    let page = shuji1.get(&page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text()
            .contains(&format!("{} · 通知渠道", branch.branch_name))
    );
    assert!(
        !page.text().contains("党委工作群"),
        "only the branch's own channels"
    );
    let reply = shuji1
        .post_form("save_notify_channel", &page_path, &branch_channel)
        .await;
    let location = reply.header("location").unwrap();
    assert!(!location.contains("__err="), "{location}");
    assert!(shuji1.get(&page_path).await.text().contains("一支部工作群"));

    // Another branch's secretary sees nothing of it; the administrator sees both.
    let mut shuji2 = app.logged_in("shuji2").await;
    let other = shuji2
        .call("notify_overview", &[("branch_id", own.as_str())])
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let overview: NotifyPageView = ok(&mut admin, "notify_overview", &[]).await.json();
    let scopes: Vec<(String, Option<String>)> = overview
        .channels
        .iter()
        .map(|channel| (channel.name.clone(), channel.branch.clone()))
        .collect();
    assert_eq!(
        scopes,
        vec![
            ("党委工作群".to_string(), None),
            ("一支部工作群".to_string(), Some(branch.branch_name.clone())),
        ]
    );

    // A meeting in each branch whose 材料收集 closes on 10 March.
    let theirs: Vec<BranchMeetings> = shuji2.call("my_branch_meetings", &[]).await.json();
    for (secretary, branch_id, title) in [
        (&mut shuji1, own.as_str(), "一支部三月组织生活会"),
        (
            &mut shuji2,
            theirs[0].branch_id.as_str(),
            "二支部三月组织生活会",
        ),
    ] {
        ok(
            secretary,
            "create_meeting",
            &meeting_form(
                branch_id,
                &[
                    ("plan[title]", title),
                    ("plan[plan_on]", "2027-03-01"),
                    ("plan[materials_due]", "2027-03-10"),
                    ("plan[meeting_on]", "2027-03-15"),
                    ("plan[everyone]", "true"),
                ],
            ),
        )
        .await;
    }
    // Two days before, at 10:00 China time: each deadline is queued once for the channels
    // that hear its branch, and sent.
    let now = chrono::DateTime::parse_from_rfc3339("2027-03-08T02:00:00Z")
        .unwrap()
        .to_utc();
    xingshen::notify::scan::scan(&app.store, now, 24)
        .await
        .unwrap();
    deliver_due(&app.store, &sender(1), now).await.unwrap();
    assert_eq!(
        xingshen::notify::scan::scan(&app.store, now, 24)
            .await
            .unwrap()
            .queued,
        0
    );
    let sent = titles(&received);
    let got = |channel: &str, meeting: &str| {
        sent.iter()
            .filter(|(path, title)| {
                path.ends_with(&format!("c={channel}"))
                    && title == &format!("材料收集截止临近：{meeting}")
            })
            .count()
    };
    assert_eq!(got("org", "一支部三月组织生活会"), 1, "{sent:?}");
    assert_eq!(got("org", "二支部三月组织生活会"), 1, "{sent:?}");
    assert_eq!(got("branch", "一支部三月组织生活会"), 1, "{sent:?}");
    assert_eq!(
        got("branch", "二支部三月组织生活会"),
        0,
        "a branch's channel hears only its own branch: {sent:?}"
    );
    let bodies = received.lock().unwrap().clone();
    assert!(
        bodies
            .iter()
            .any(|(_, body)| body.contains("发言材料收集截止：2027-03-10（还有 2 天）")),
        "{bodies:?}"
    );
}

#[tokio::test]
async fn a_channel_is_changed_paused_and_deleted_from_the_page_keeping_its_address() {
    let (base, received) = receiver().await;
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    ok(
        &mut admin,
        "save_notify_channel",
        &[
            ("name", "党委群"),
            ("kind", "webhook"),
            ("target", &format!("{base}/robot?c=first")),
            ("events", "item_overdue"),
        ],
    )
    .await;
    let overview: NotifyPageView = ok(&mut admin, "notify_overview", &[]).await.json();
    let id = overview.channels[0].id.clone();
    let page = admin.get("/admin/notify").await;
    assert!(page.text().contains("修改") && page.body.contains("暂停发送"));

    // Changed without JavaScript; the address left empty stays as it was.
    let change = |disabled: &'static str| {
        vec![
            ("channel_id", id.clone()),
            ("branch_id", String::new()),
            ("name", "党委工作群".to_string()),
            ("kind", "webhook".to_string()),
            ("target", String::new()),
            ("secret", String::new()),
            ("chosen_events[material_returned]", "on".to_string()),
            ("disabled", disabled.to_string()),
        ]
    };
    let fields = change("");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let reply = admin
        .post_form("save_notify_channel", "/admin/notify", &fields)
        .await;
    assert!(!reply.header("location").unwrap().contains("__err="));
    let overview: NotifyPageView = ok(&mut admin, "notify_overview", &[]).await.json();
    let channel = &overview.channels[0];
    assert_eq!(
        (
            channel.name.as_str(),
            channel.events.clone(),
            channel.enabled
        ),
        ("党委工作群", vec!["material_returned".to_string()], true)
    );
    ok(&mut admin, "send_test_notification", &[("channel_id", &id)]).await;
    let now = chrono::Utc::now();
    assert_eq!(deliver_due(&app.store, &sender(1), now).await.unwrap(), 1);
    assert!(
        titles(&received)[0].0.ends_with("c=first"),
        "the address was kept"
    );

    // Paused: the scan no longer reads it.
    let fields = change("on");
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    ok(&mut admin, "save_notify_channel", &fields).await;
    assert!(admin.get("/admin/notify").await.text().contains("停用"));
    assert!(
        app.store
            .enabled_notify_channels()
            .await
            .unwrap()
            .is_empty()
    );

    // Deleted: gone from the page with its queue and log; the queued test never goes out.
    ok(&mut admin, "send_test_notification", &[("channel_id", &id)]).await;
    let reply = admin
        .post_form(
            "delete_notify_channel",
            "/admin/notify",
            &[("channel_id", &id), ("branch_id", "")],
        )
        .await;
    assert!(!reply.header("location").unwrap().contains("__err="));
    let overview: NotifyPageView = ok(&mut admin, "notify_overview", &[]).await.json();
    assert!(overview.channels.is_empty() && overview.attempts.is_empty());
    assert_eq!(deliver_due(&app.store, &sender(1), now).await.unwrap(), 0);
    assert_eq!(received.lock().unwrap().len(), 1);
    // A member cannot delete anything.
    let mut member = app.logged_in("zhangming").await;
    let refused = member
        .call("delete_notify_channel", &[("channel_id", &id)])
        .await;
    assert_eq!(refused.status, axum::http::StatusCode::NOT_FOUND);
}
