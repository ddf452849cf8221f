//! Review rounds as both sides live them: the reviewer must pick a decision (with or without
//! JavaScript), is told it was recorded and offered the next material waiting, and sees a
//! problem moved to another aspect between rounds; the author finds a returned material on
//! the home page and among the reminders with the reason, the steps that carry comments
//! marked, and earlier rounds' comments shown as earlier.

use crate::editor::{editor, save, step_of};
use crate::meetings::{demo_meeting, fill, fill_and_submit, review, start, submit};
use crate::support::{Client, Reply, TestApp, ok};
use axum::http::StatusCode;
use xingshen::domain::material::PartKind;
use xingshen::domain::outline::Change;
use xingshen::server::AppError;
use xingshen::server::ledger::ReminderView;
use xingshen::server::materials::{ReturnedMaterial, SaveReply};

/// A decision through the JSON path, which must go through.
async fn decide(secretary: &mut Client, material: &str, round: &str, decision: &str, reason: &str) {
    ok(
        secretary,
        "decide_material",
        &[
            ("material_id", material),
            ("round", round),
            ("decision", decision),
            ("reason", reason),
        ],
    )
    .await;
}

/// A comment on a round, anchored at `anchor`.
async fn comment(secretary: &mut Client, material: &str, round: &str, anchor: &str, text: &str) {
    ok(
        secretary,
        "comment_on_material",
        &[
            ("material_id", material),
            ("round", round),
            ("anchor", anchor),
            ("text", text),
        ],
    )
    .await;
}

/// Follows a redirect of a plain form post to the page it names.
async fn follow(client: &mut Client, reply: &Reply) -> String {
    assert_eq!(reply.status, StatusCode::FOUND, "{}", reply.body);
    let location = reply.header("location").expect("a redirect").to_string();
    let path = location
        .strip_prefix("http://localhost")
        .unwrap_or(&location)
        .to_string();
    let page = client.get(&path).await;
    assert_eq!(page.status, StatusCode::OK, "{path}");
    page.text()
}

/// The `<input>` tags of the decision's radio buttons on a review page.
fn decision_inputs(html: &str) -> Vec<&str> {
    html.split('<')
        .filter(|tag| tag.starts_with("input") && tag.contains("name=\"decision\""))
        .map(|tag| tag.split('>').next().unwrap_or(tag))
        .collect()
}

#[tokio::test]
async fn a_decision_is_never_assumed_and_a_post_without_one_is_refused_in_chinese() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    fill_and_submit(&mut zhang, &material, "学用结合不够紧密").await;

    // The form offers both decisions, picks neither, and needs one.
    let here = format!("/review/{material}");
    let page = secretary.get(&here).await;
    let inputs = decision_inputs(&page.body);
    assert_eq!(inputs.len(), 2, "{inputs:?}");
    for input in &inputs {
        assert!(!input.contains("checked"), "no default: {input}");
        assert!(input.contains("required"), "a choice is needed: {input}");
    }

    // Called without a decision, with an empty one, or an unknown one: refused in Chinese.
    for decision in [None, Some(""), Some("maybe")] {
        let mut fields = vec![
            ("material_id", material.as_str()),
            ("round", "1"),
            ("reason", "请补充具体事例"),
        ];
        fields.extend(decision.map(|d| ("decision", d)));
        let refusal = secretary.call("decide_material", &fields).await.error();
        assert_eq!(
            refusal,
            AppError::Invalid("请选择审核结论：退回修改或审核通过".into()),
            "{decision:?}"
        );
    }

    // Without JavaScript the same post comes back to the review page with the message.
    let posted = secretary
        .post_form(
            "decide_material",
            &here,
            &[
                ("material_id", &material),
                ("round", "1"),
                ("reason", "请补充具体事例"),
            ],
        )
        .await;
    let shown = follow(&mut secretary, &posted).await;
    assert!(
        shown.contains("请选择审核结论：退回修改或审核通过"),
        "{shown}"
    );
    let still = review(&mut secretary, &material).await;
    assert!(still.pending, "nothing was decided");
    assert!(still.decisions.is_empty());
}

#[tokio::test]
async fn after_deciding_the_reviewer_is_told_so_and_offered_the_next_material_waiting() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let zhangs = start(&mut zhang, &meeting).await;
    fill_and_submit(&mut zhang, &zhangs, "学用结合不够紧密").await;
    let mut liu = app.logged_in("liufang").await;
    let lius = start(&mut liu, &meeting).await;
    fill_and_submit(&mut liu, &lius, "调查研究不够深入").await;

    let next = review(&mut secretary, &zhangs)
        .await
        .next
        .expect("刘芳's waits");
    assert_eq!(
        (next.material_id.as_str(), next.author.as_str(), next.round),
        (lius.as_str(), "刘芳", 1)
    );

    // Deciding without JavaScript comes back to the round's page, which confirms it.
    let here = format!("/review/{zhangs}");
    let posted = secretary
        .post_form(
            "decide_material",
            &here,
            &[
                ("material_id", &zhangs),
                ("round", "1"),
                ("decision", "returned"),
                ("reason", "请补充具体事例"),
            ],
        )
        .await;
    assert_eq!(
        posted.header("location"),
        Some(format!("http://localhost{here}?__done=/api/decide_material").as_str())
    );
    let page = secretary
        .get(&format!("{here}?__done=/api/decide_material"))
        .await;
    let text = page.text();
    assert!(text.contains("已提交审核结论：退回修改。"), "{text}");
    assert!(
        text.contains("下一份待审材料：刘芳 的材料（第1轮提交）"),
        "{text}"
    );
    assert!(page.body.contains(&format!("href=\"/review/{lius}\"")));
    assert!(text.contains("返回会议总览"));
    // Loaded again later, it no longer says it was just decided.
    assert!(!secretary.get(&here).await.text().contains("已提交审核结论"));

    // The last one waiting has no next.
    assert_eq!(review(&mut secretary, &lius).await.next, None);
    decide(&mut secretary, &lius, "1", "approved", "").await;
    let text = secretary
        .get(&format!("/review/{lius}?__done=/api/decide_material"))
        .await
        .text();
    assert!(text.contains("已提交审核结论：审核通过。"), "{text}");
    assert!(
        text.contains("本次会议暂时没有其他等待您审核的材料。"),
        "{text}"
    );

    // 张明 hands in again: his second round waits, and is offered.
    let view = editor(&mut zhang, &zhangs).await;
    submit(&mut zhang, &zhangs, view.version).await;
    let next = review(&mut secretary, &lius)
        .await
        .next
        .expect("张明's round 2");
    assert_eq!((next.author.as_str(), next.round), ("张明", 2));
}

/// Files the material's first problem under `aspect`; returns the version saved.
async fn file_under(member: &mut Client, material: &str, aspect: &str) -> i64 {
    let view = editor(member, material).await;
    let step = step_of(&view, PartKind::Problems);
    let index: usize = step.parse().unwrap();
    let problem = view.content.parts[index].items[0].id.0.clone();
    let request = format!("aspect-{}", view.version);
    let saved: SaveReply = save(
        member,
        material,
        view.version,
        &request,
        &step,
        &[("item.0.id", &problem), ("item.0.category", aspect)],
    )
    .await
    .json();
    saved.version
}

#[tokio::test]
async fn a_problem_moved_to_another_aspect_shows_in_the_diff_between_rounds() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    fill(&mut zhang, &material, "学用结合不够紧密").await;

    // Round 1 is filed under 理论学习; it is returned, and only its aspect changes.
    let version = file_under(&mut zhang, &material, "理论学习方面").await;
    submit(&mut zhang, &material, version).await;
    decide(&mut secretary, &material, "1", "returned", "问题归类不准").await;
    let version = file_under(&mut zhang, &material, "工作作风方面").await;
    submit(&mut zhang, &material, version).await;

    let view = review(&mut secretary, &material).await;
    assert_eq!(view.round, 2);
    let changed: Vec<(Change, &str)> = view
        .changes
        .iter()
        .filter(|line| line.change != Change::Same)
        .map(|line| (line.change, line.text.as_str()))
        .collect();
    assert_eq!(
        changed,
        vec![
            (Change::Removed, "查摆方面：理论学习方面"),
            (Change::Added, "查摆方面：工作作风方面"),
        ]
    );
    let page = secretary.get(&format!("/review/{material}")).await.text();
    assert!(page.contains("查摆方面：工作作风方面"), "{page}");
}

/// The `<li>` of each step of the editor's step list that is marked as carrying comments.
fn commented_steps(html: &str) -> Vec<String> {
    html.split("<li class=\"")
        .skip(1)
        .filter(|li| {
            li.split('"')
                .next()
                .is_some_and(|class| class.contains("commented"))
        })
        .map(|li| {
            let end = li.find("</li>").unwrap_or(li.len());
            Reply {
                status: StatusCode::OK,
                headers: Default::default(),
                body: format!("<li class=\"{}", &li[..end]),
                bytes: Vec::new(),
            }
            .text()
        })
        .collect()
}

#[tokio::test]
async fn a_returned_material_reaches_its_author_with_the_reason_and_comments_by_round() {
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let mut zhang = app.logged_in("zhangming").await;
    let material = start(&mut zhang, &meeting).await;
    let problem = fill_and_submit(&mut zhang, &material, "学用结合不够紧密").await;
    let problems_step = step_of(&editor(&mut zhang, &material).await, PartKind::Problems);
    let problems_heading = {
        let view = editor(&mut zhang, &material).await;
        view.content.parts[problems_step.parse::<usize>().unwrap()]
            .heading
            .clone()
    };
    assert!(
        zhang
            .call("my_returned_materials", &[])
            .await
            .json::<Vec<ReturnedMaterial>>()
            .is_empty(),
        "nothing returned yet"
    );

    // Round 1: a comment on the problem, one on the whole text, and a return.
    comment(
        &mut secretary,
        &material,
        "1",
        &format!("item:{problem}"),
        "事例不够具体",
    )
    .await;
    comment(&mut secretary, &material, "1", "whole", "全文请再精炼").await;
    decide(&mut secretary, &material, "1", "returned", "请补充具体事例").await;

    // The author hears of it on the home page and among the reminders, with the reason.
    let returned: Vec<ReturnedMaterial> = zhang.call("my_returned_materials", &[]).await.json();
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0].material_id, material);
    assert_eq!(
        (returned[0].round, returned[0].reason.as_str()),
        (1, "请补充具体事例")
    );
    assert_eq!(returned[0].reviewer, "李红梅");
    let reminders: Vec<ReminderView> = zhang.call("my_reminders", &[]).await.json();
    assert!(
        reminders[0].text.contains("被退回修改：请补充具体事例"),
        "{reminders:?}"
    );
    assert_eq!(reminders[0].href, format!("/materials/{material}"));
    assert_eq!(reminders[0].colour, "red");
    let count: usize = zhang.call("my_reminder_count", &[]).await.json();
    assert_eq!(count, reminders.len(), "the badge counts it");
    let home = zhang.get("/").await;
    assert!(
        home.text().contains("被退回修改：请补充具体事例"),
        "{}",
        home.text()
    );
    assert!(
        home.body
            .contains(&format!("href=\"/materials/{material}\""))
    );
    assert!(
        zhang
            .get("/reminders")
            .await
            .text()
            .contains("请补充具体事例")
    );
    // Nobody else is told.
    let mut liu = app.logged_in("liufang").await;
    assert!(!liu.get("/").await.text().contains("请补充具体事例"));

    // The step list marks the problems step, and only it; the step shows the comment as
    // this round's.
    let page = zhang.get(&format!("/materials/{material}")).await.body;
    let marked = commented_steps(&page);
    assert_eq!(marked.len(), 1, "{marked:?}");
    assert!(marked[0].contains(&problems_heading), "{marked:?}");
    assert!(marked[0].contains("批注 1 条"), "{marked:?}");
    let step = zhang
        .get(&format!("/materials/{material}?step={problems_step}"))
        .await
        .text();
    assert!(step.contains("支部书记的批注"), "{step}");
    assert!(step.contains("第1轮（本轮）"), "{step}");

    // Round 2 is handed in: the return is no longer news, and round 1's comments are earlier.
    fill_and_submit(&mut zhang, &material, "学用结合不够紧密，3月起未写心得").await;
    assert!(
        zhang
            .call("my_returned_materials", &[])
            .await
            .json::<Vec<ReturnedMaterial>>()
            .is_empty()
    );
    let reminders: Vec<ReminderView> = zhang.call("my_reminders", &[]).await.json();
    assert!(
        reminders.iter().all(|r| !r.text.contains("退回修改")),
        "{reminders:?}"
    );
    assert!(!zhang.get("/").await.text().contains("请补充具体事例"));
    let reviewer_page = secretary.get(&format!("/review/{material}")).await.text();
    assert!(
        reviewer_page.contains("第1轮（上一轮） · "),
        "{reviewer_page}"
    );
    // While round 2 waits, the (read-only) step still shows round 1's comment, as earlier.
    let step = zhang
        .get(&format!("/materials/{material}?step={problems_step}"))
        .await
        .text();
    assert!(!step.contains("支部书记的批注"), "{step}");
    assert!(
        step.contains("前几轮的批注（1 条，已重新提交过）"),
        "{step}"
    );
    assert!(step.contains("上一轮（第1轮）审核意见：退回修改"), "{step}");

    // Round 2 is returned too, with a comment on the whole text only.
    comment(&mut secretary, &material, "2", "whole", "原因剖析还要深入").await;
    decide(
        &mut secretary,
        &material,
        "2",
        "returned",
        "原因剖析不够深入",
    )
    .await;
    let home = zhang.get("/").await.text();
    assert!(
        home.contains("（第2轮提交）被退回修改：原因剖析不够深入"),
        "{home}"
    );
    assert!(
        !home.contains("请补充具体事例"),
        "only the latest return: {home}"
    );

    let page = zhang.get(&format!("/materials/{material}")).await;
    assert!(
        commented_steps(&page.body).is_empty(),
        "round 1's comment is history"
    );
    let text = page.text();
    assert!(text.contains("支部书记审核意见：退回修改"), "{text}");
    assert!(text.contains("第2轮（本轮） · 全文"), "{text}");
    assert!(text.contains("第1轮（上一轮） · 全文"), "{text}");
    let step = zhang
        .get(&format!("/materials/{material}?step={problems_step}"))
        .await
        .text();
    assert!(
        !step.contains("支部书记的批注"),
        "nothing current here: {step}"
    );
    assert!(
        step.contains("前几轮的批注（1 条，已重新提交过）"),
        "{step}"
    );
    assert!(step.contains("第1轮（上一轮）"), "{step}");
}
