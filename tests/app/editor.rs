//! The editor's server functions through HTTP: starting a material, saving steps (with and
//! without JavaScript), refused saves kept whole, retries, soft delete, history, submission,
//! the Word download, and that nobody but the author reaches any of it.

use crate::support::{Client, TestApp};
use chrono::Datelike;
use xingshen::domain::material::MaterialState;
use xingshen::domain::material::{Deadline, PartKind};
use xingshen::server::AppError;
use xingshen::server::materials::{EditorView, MeetingEntry, RevisionEntry, SaveReply};

struct Drafting {
    app: TestApp,
    author: Client,
    material: String,
}

async fn drafting() -> Drafting {
    let app = TestApp::new().await;
    let mut author = app.logged_in("zhangming").await;
    let meetings: Vec<MeetingEntry> = author.call("my_materials", &[]).await.json();
    assert_eq!(meetings.len(), 1);
    assert!(meetings[0].material.is_none());
    let reply = author
        .call("start_material", &[("meeting_id", &meetings[0].meeting_id)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let material: String = reply.json();
    Drafting {
        app,
        author,
        material,
    }
}

pub(crate) async fn editor(client: &mut Client, material: &str) -> EditorView {
    let reply = client
        .call("material_editor", &[("material_id", material)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    reply.json()
}

/// The index of the first part of a kind, as the editor's step key.
pub(crate) fn step_of(view: &EditorView, kind: PartKind) -> String {
    view.content
        .parts
        .iter()
        .position(|part| part.kind == kind)
        .unwrap()
        .to_string()
}

pub(crate) async fn save(
    client: &mut Client,
    material: &str,
    base: i64,
    request: &str,
    step: &str,
    fields: &[(&str, &str)],
) -> crate::support::Reply {
    let base = base.to_string();
    let mut all = vec![
        ("material_id", material),
        ("base_version", base.as_str()),
        ("request_id", request),
        ("step", step),
        ("js", "1"),
    ];
    all.extend_from_slice(fields);
    client.multipart("save_material_step", &all, None).await
}

#[tokio::test]
async fn starting_twice_opens_the_same_material_laid_out_by_the_template() {
    let mut d = drafting().await;
    let meetings: Vec<MeetingEntry> = d.author.call("my_materials", &[]).await.json();
    let entry = meetings[0].material.clone().unwrap();
    assert_eq!(entry.id, d.material);
    assert_eq!(entry.state, MaterialState::Draft);
    let again: String = d
        .author
        .call("start_material", &[("meeting_id", &meetings[0].meeting_id)])
        .await
        .json();
    assert_eq!(again, d.material);
    let view = editor(&mut d.author, &d.material).await;
    assert_eq!(view.version, 1);
    assert_eq!(view.content.parts.len(), view.template.parts.len());
    assert_eq!(view.content.speaker.as_deref(), Some("科员 张明"));
    assert!(
        view.findings
            .iter()
            .any(|f| f.message.contains("存在的问题")),
        "the empty required parts are reported"
    );
}

#[tokio::test]
async fn a_step_saves_its_fields_and_an_unchanged_save_writes_nothing() {
    let mut d = drafting().await;
    let view = editor(&mut d.author, &d.material).await;
    let duty = step_of(&view, PartKind::Duty);
    let reply = save(
        &mut d.author,
        &d.material,
        1,
        "r1",
        &duty,
        &[("paragraphs", "作为办公室科员，\n\n我的职责是……")],
    )
    .await;
    let saved: SaveReply = reply.json();
    assert_eq!(saved.version, 2);
    let view = editor(&mut d.author, &d.material).await;
    assert!(
        view.findings
            .iter()
            .any(|f| f.severity == xingshen::domain::health::Severity::Error),
        "required parts are still empty"
    );
    let part = &view.content.parts[duty.parse::<usize>().unwrap()];
    assert_eq!(part.paragraphs, vec!["作为办公室科员，", "我的职责是……"]);

    let again: SaveReply = save(
        &mut d.author,
        &d.material,
        2,
        "r2",
        &duty,
        &[("paragraphs", "作为办公室科员，\n我的职责是……")],
    )
    .await
    .json();
    assert_eq!(again.version, 2, "the same text is no new version");
    let revisions: Vec<RevisionEntry> = d
        .author
        .call("material_revisions", &[("material_id", &d.material)])
        .await
        .json();
    assert_eq!(revisions.iter().map(|r| r.saves).sum::<usize>(), 2);
}

#[tokio::test]
async fn a_retried_save_is_answered_not_applied_twice() {
    let mut d = drafting().await;
    let first: SaveReply = save(
        &mut d.author,
        &d.material,
        1,
        "same",
        "opening",
        &[("title", "第一稿")],
    )
    .await
    .json();
    let retry: SaveReply = save(
        &mut d.author,
        &d.material,
        1,
        "same",
        "opening",
        &[("title", "第一稿")],
    )
    .await
    .json();
    assert_eq!(first.version, 2);
    assert_eq!(retry.version, 2);
    let revisions: Vec<RevisionEntry> = d
        .author
        .call("material_revisions", &[("material_id", &d.material)])
        .await
        .json();
    assert_eq!(
        revisions.iter().map(|r| r.saves).sum::<usize>(),
        2,
        "one revision for the two requests"
    );
}

#[tokio::test]
async fn a_stale_save_is_kept_whole_and_can_be_adopted_or_set_aside() {
    let mut d = drafting().await;
    save(
        &mut d.author,
        &d.material,
        1,
        "tab-a",
        "opening",
        &[("title", "甲页的标题")],
    )
    .await;
    let stale = save(
        &mut d.author,
        &d.material,
        1,
        "tab-b",
        "opening",
        &[("title", "乙页的标题"), ("preamble", "乙页写的开头")],
    )
    .await;
    assert!(matches!(stale.error(), AppError::Conflict(message) if message.contains("已完整另存")));

    let view = editor(&mut d.author, &d.material).await;
    assert_eq!(view.content.title, "甲页的标题", "nothing was overwritten");
    assert_eq!(view.kept.len(), 1);
    let kept = &view.kept[0];
    assert_eq!(kept.reason, "stale");
    let kept_text: Vec<&str> = kept.diff.iter().map(|line| line.text.as_str()).collect();
    assert!(kept_text.contains(&"乙页的标题") && kept_text.contains(&"乙页写的开头"));
    assert!(kept_text.contains(&"甲页的标题"), "both texts are shown");

    let version = view.version.to_string();
    let adopted = d
        .author
        .call(
            "adopt_kept_copy",
            &[
                ("material_id", &d.material),
                ("kept_id", &kept.id),
                ("base_version", &version),
                ("request_id", "adopt-1"),
            ],
        )
        .await;
    assert!(adopted.status.is_success(), "{}", adopted.body);
    let view = editor(&mut d.author, &d.material).await;
    assert_eq!(view.content.title, "乙页的标题");
    assert_eq!(view.content.preamble, vec!["乙页写的开头"]);
    assert!(view.kept.is_empty());

    // Another refused save, this time set aside: the current text stays.
    save(
        &mut d.author,
        &d.material,
        1,
        "tab-c",
        "opening",
        &[("title", "旧页")],
    )
    .await;
    let view = editor(&mut d.author, &d.material).await;
    let set_aside = d
        .author
        .call(
            "set_aside_kept_copy",
            &[("material_id", &d.material), ("kept_id", &view.kept[0].id)],
        )
        .await;
    assert!(set_aside.status.is_success(), "{}", set_aside.body);
    let view = editor(&mut d.author, &d.material).await;
    assert!(view.kept.is_empty());
    assert_eq!(view.content.title, "乙页的标题");
}

#[tokio::test]
async fn items_are_added_linked_removed_softly_and_restored() {
    let mut d = drafting().await;
    let view = editor(&mut d.author, &d.material).await;
    let problems = step_of(&view, PartKind::Problems);
    let measures = step_of(&view, PartKind::Measures);
    let v: SaveReply = save(
        &mut d.author,
        &d.material,
        1,
        "a1",
        &problems,
        &[("op", "add")],
    )
    .await
    .json();
    let view = editor(&mut d.author, &d.material).await;
    let index: usize = problems.parse().unwrap();
    let problem_id = view.content.parts[index].items[0].id.0.clone();
    let v: SaveReply = save(
        &mut d.author,
        &d.material,
        v.version,
        "a2",
        &problems,
        &[
            ("item.0.id", &problem_id),
            ("item.0.heading", "学用结合不够紧密"),
            ("item.0.example", "比如，今年3月……"),
        ],
    )
    .await
    .json();
    let v: SaveReply = save(
        &mut d.author,
        &d.material,
        v.version,
        "a3",
        &measures,
        &[("op", "add")],
    )
    .await
    .json();
    let view = editor(&mut d.author, &d.material).await;
    let measure_index: usize = measures.parse().unwrap();
    let measure_id = view.content.parts[measure_index].items[0].id.0.clone();
    let v: SaveReply = save(
        &mut d.author,
        &d.material,
        v.version,
        "a4",
        &measures,
        &[
            ("item.0.id", &measure_id),
            ("item.0.text", "每月精读原著2篇"),
            ("item.0.links_shown", "1"),
            ("item.0.link", &problem_id),
            ("item.0.deadline", "2026-06-30"),
        ],
    )
    .await
    .json();
    let view = editor(&mut d.author, &d.material).await;
    assert!(view.content.links().measures_without_problem.is_empty());

    let remove = format!("remove:{problem_id}");
    let v: SaveReply = save(
        &mut d.author,
        &d.material,
        v.version,
        "a5",
        &problems,
        &[("op", &remove)],
    )
    .await
    .json();
    let view = editor(&mut d.author, &d.material).await;
    assert!(view.content.parts[index].items.is_empty());
    assert_eq!(view.content.removed.len(), 1, "deleted softly");
    assert_eq!(view.content.links().measures_without_problem.len(), 1);

    let restore = format!("restore:{problem_id}");
    save(
        &mut d.author,
        &d.material,
        v.version,
        "a6",
        &problems,
        &[("op", &restore)],
    )
    .await;
    let view = editor(&mut d.author, &d.material).await;
    assert_eq!(
        view.content.parts[index].items[0].heading,
        "学用结合不够紧密"
    );
    assert!(view.content.links().measures_without_problem.is_empty());
}

#[tokio::test]
async fn bad_input_is_refused_in_chinese_and_changes_nothing() {
    let mut d = drafting().await;
    let view = editor(&mut d.author, &d.material).await;
    let measures = step_of(&view, PartKind::Measures);
    let reply = save(
        &mut d.author,
        &d.material,
        1,
        "bad",
        &measures,
        &[("item.0.id", "x"), ("item.0.deadline", "年底前")],
    )
    .await;
    assert!(matches!(reply.error(), AppError::Invalid(message) if message.contains("年底前")));
    let reply = save(&mut d.author, &d.material, 1, "bad2", "nowhere", &[]).await;
    assert!(matches!(reply.error(), AppError::Invalid(_)));
    assert_eq!(editor(&mut d.author, &d.material).await.version, 1);
}

#[tokio::test]
async fn without_javascript_a_save_goes_to_the_step_asked_for_or_back() {
    let mut d = drafting().await;
    let referer = format!("/materials/{}?step=opening", d.material);
    let reply = d
        .author
        .multipart(
            "save_material_step",
            &[
                ("material_id", &d.material),
                ("base_version", "1"),
                ("request_id", "form-1"),
                ("step", "opening"),
                ("title", "不用脚本也能保存"),
                ("go", "closing"),
            ],
            Some(&referer),
        )
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.status);
    assert_eq!(
        reply.header("location"),
        Some(format!("/materials/{}?step=closing", d.material).as_str())
    );
    assert_eq!(
        editor(&mut d.author, &d.material).await.content.title,
        "不用脚本也能保存"
    );

    // A plain 保存 goes back to the page it came from.
    let reply = d
        .author
        .multipart(
            "save_material_step",
            &[
                ("material_id", &d.material),
                ("base_version", "2"),
                ("request_id", "form-2"),
                ("step", "opening"),
                ("title", "第二次"),
                ("op", "save"),
            ],
            Some(&referer),
        )
        .await;
    assert!(reply.status.is_redirection());
    assert_eq!(
        reply.header("location"),
        Some(format!("http://localhost{referer}&__done=/api/save_material_step").as_str())
    );
}

#[tokio::test]
async fn history_shows_what_changed_and_a_restore_is_a_new_revision() {
    let mut d = drafting().await;
    save(
        &mut d.author,
        &d.material,
        1,
        "h1",
        "opening",
        &[("title", "第二版")],
    )
    .await;
    save(
        &mut d.author,
        &d.material,
        2,
        "h2",
        "opening",
        &[("title", "第三版")],
    )
    .await;
    let diff: xingshen::server::materials::RevisionChanges = d
        .author
        .call(
            "revision_diff",
            &[("material_id", &d.material), ("version", "3")],
        )
        .await
        .json();
    assert_eq!(diff.previous, Some(2));
    let changed: Vec<(&str, xingshen::domain::outline::Change)> = diff
        .lines
        .iter()
        .filter(|l| l.change != xingshen::domain::outline::Change::Same)
        .map(|l| (l.text.as_str(), l.change))
        .collect();
    assert_eq!(changed.len(), 2);
    assert!(changed.contains(&("第二版", xingshen::domain::outline::Change::Removed)));
    assert!(changed.contains(&("第三版", xingshen::domain::outline::Change::Added)));

    // Saved in one sitting, the three versions are one stretch of work in the history.
    let revisions: Vec<RevisionEntry> = d
        .author
        .call("material_revisions", &[("material_id", &d.material)])
        .await
        .json();
    assert_eq!(revisions.len(), 1, "{revisions:?}");
    assert_eq!(
        (revisions[0].first, revisions[0].version, revisions[0].saves),
        (1, 3, 3)
    );
    let listed: Vec<i64> = revisions[0].versions.iter().map(|(v, _)| *v).collect();
    assert_eq!(listed, [1, 2, 3]);
    // A stretch is compared from the version before it to its end: the title in between
    // never shows.
    let stretch: xingshen::server::materials::RevisionChanges = d
        .author
        .call(
            "revision_diff",
            &[
                ("material_id", &d.material),
                ("version", "3"),
                ("first", "2"),
            ],
        )
        .await
        .json();
    assert_eq!((stretch.first, stretch.previous), (2, Some(1)));
    assert!(
        stretch
            .lines
            .iter()
            .any(|l| l.text == "第三版" && l.change == xingshen::domain::outline::Change::Added)
    );
    assert!(!stretch.lines.iter().any(|l| l.text == "第二版"));
    assert_eq!(
        d.author
            .call(
                "revision_diff",
                &[
                    ("material_id", &d.material),
                    ("version", "2"),
                    ("first", "3"),
                ],
            )
            .await
            .error(),
        xingshen::server::AppError::NotFound
    );

    let restored: i64 = d
        .author
        .call(
            "restore_material_revision",
            &[
                ("material_id", &d.material),
                ("version", "2"),
                ("base_version", "3"),
                ("request_id", "restore-1"),
            ],
        )
        .await
        .json();
    assert_eq!(restored, 4);
    let revisions: Vec<RevisionEntry> = d
        .author
        .call("material_revisions", &[("material_id", &d.material)])
        .await
        .json();
    assert_eq!(revisions[0].version, 4);
    assert_eq!(revisions[0].restored_from, Some(2));
    assert_eq!(revisions[0].saves, 1, "a restore stands apart");
    assert_eq!(
        editor(&mut d.author, &d.material).await.content.title,
        "第二版"
    );
    // Work after the restore begins a stretch of its own.
    save(
        &mut d.author,
        &d.material,
        4,
        "h5",
        "opening",
        &[("title", "第五版")],
    )
    .await;
    let revisions: Vec<RevisionEntry> = d
        .author
        .call("material_revisions", &[("material_id", &d.material)])
        .await
        .json();
    let spans: Vec<(i64, i64)> = revisions.iter().map(|r| (r.first, r.version)).collect();
    assert_eq!(spans, [(5, 5), (4, 4), (1, 3)]);
}

/// Fills the three required parts so the material passes the blocking checks.
async fn complete(d: &mut Drafting) -> i64 {
    let view = editor(&mut d.author, &d.material).await;
    let mut version = view.version;
    for (kind, fields) in [
        (
            PartKind::Problems,
            vec![("paragraphs", "对照六个方面，查摆问题如下。")],
        ),
        (PartKind::Causes, vec![("paragraphs", "理想信念有所松懈。")]),
        (
            PartKind::Measures,
            vec![("paragraphs", "加强理论学习，长期坚持。")],
        ),
    ] {
        let step = step_of(&view, kind);
        let request = format!("complete-{step}");
        let reply: SaveReply = save(
            &mut d.author,
            &d.material,
            version,
            &request,
            &step,
            &fields,
        )
        .await
        .json();
        version = reply.version;
    }
    version
}

#[tokio::test]
async fn submission_freezes_a_checked_version_and_locks_the_draft_until_withdrawn() {
    let mut d = drafting().await;
    let blocked = d
        .author
        .call(
            "submit_material",
            &[("material_id", &d.material), ("version", "1")],
        )
        .await;
    assert!(
        matches!(blocked.error(), AppError::Blocked(messages) if messages.iter().any(|m| m.contains("存在的问题")))
    );
    let version = complete(&mut d).await;
    let stale = d
        .author
        .call(
            "submit_material",
            &[("material_id", &d.material), ("version", "1")],
        )
        .await;
    assert!(matches!(stale.error(), AppError::Conflict(_)));
    let round: i64 = d
        .author
        .call(
            "submit_material",
            &[
                ("material_id", &d.material),
                ("version", &version.to_string()),
            ],
        )
        .await
        .json();
    assert_eq!(round, 1);
    // Sent again (its answer lost on the way): answered as the same submission.
    let again: i64 = d
        .author
        .call(
            "submit_material",
            &[
                ("material_id", &d.material),
                ("version", &version.to_string()),
            ],
        )
        .await
        .json();
    assert_eq!(again, 1);
    let view = editor(&mut d.author, &d.material).await;
    assert_eq!(view.state, MaterialState::Submitted);
    assert_eq!(view.rounds.len(), 1);
    assert_eq!(view.rounds[0].version, version);
    let snapshot = d
        .app
        .store
        .submission_content(&d.material, 1)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(snapshot, view.content);

    // Typing into a submitted material changes nothing, and loses nothing.
    let locked = save(
        &mut d.author,
        &d.material,
        version,
        "late",
        "opening",
        &[("title", "提交后改的")],
    )
    .await;
    assert!(matches!(locked.error(), AppError::Conflict(message) if message.contains("已提交")));
    let view = editor(&mut d.author, &d.material).await;
    assert_eq!(view.version, version);
    assert_eq!(view.kept[0].reason, "locked");

    let withdrawn = d
        .author
        .call("withdraw_material", &[("material_id", &d.material)])
        .await;
    assert!(withdrawn.status.is_success(), "{}", withdrawn.body);
    let view = editor(&mut d.author, &d.material).await;
    assert_eq!(view.state, MaterialState::Draft);
    let again = d
        .author
        .call("withdraw_material", &[("material_id", &d.material)])
        .await;
    assert!(matches!(again.error(), AppError::Conflict(_)));
    let audit = d
        .app
        .store
        .count_audit("material.submit", Some(&d.material))
        .await
        .unwrap();
    assert_eq!(audit, 1);
}

#[tokio::test]
async fn the_author_downloads_an_official_format_docx() {
    let mut d = drafting().await;
    complete(&mut d).await;
    let reply = d
        .author
        .get(&format!("/materials/{}/download.docx", d.material))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        reply.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    let disposition = reply.header("content-disposition").unwrap();
    assert!(
        disposition.contains("filename*=UTF-8''2026"),
        "{disposition}"
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
}

/// The text of each cell of each table of a `document.xml`, row by row.
fn table_cells(document: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for table in document.split("<w:tbl>").skip(1) {
        let table = table.split("</w:tbl>").next().unwrap();
        for row in table.split("<w:tr>").skip(1) {
            rows.push(
                row.split("<w:tc>")
                    .skip(1)
                    .map(|cell| {
                        cell.split("<w:t xml:space=\"preserve\">")
                            .skip(1)
                            .map(|text| text.split("</w:t>").next().unwrap())
                            .collect::<String>()
                    })
                    .collect(),
            );
        }
    }
    rows
}

fn document_xml(docx: &[u8]) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The `document.xml` of the material's Word download.
async fn downloaded_document(client: &mut Client, material: &str) -> String {
    let reply = client
        .get(&format!("/materials/{material}/download.docx"))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    document_xml(&reply.bytes)
}

const SCHEDULED_MATERIAL: &str = "2026年度组织生活会个人发言材料
办公室 张明
一、存在的问题
（一）理论学习不够深入。满足于读原文、记笔记，学用结合不够紧密。比如，今年3月起草调研报告时，提出的对策只有2条。
（二）深入基层调研偏少。比如，全年只下基层4次。
二、整改措施
（一）每月精读原著不少于2篇。（责任人：张明；完成时限：2026年6月30日；完成标准：形成读书笔记12篇）
（二）每季度下基层调研不少于2次。（完成时限：长期坚持）
以上发言，请批评指正。";

#[tokio::test]
async fn the_downloaded_docx_lists_owner_deadline_and_standard_in_an_attached_table() {
    let mut d = drafting().await;
    let imported = d
        .author
        .multipart(
            "import_material",
            &[
                ("material_id", &d.material),
                ("base_version", "1"),
                ("request_id", "import-scheduled"),
                ("text", SCHEDULED_MATERIAL),
            ],
            None,
        )
        .await;
    assert!(imported.status.is_success(), "{}", imported.body);
    let document = downloaded_document(&mut d.author, &d.material).await;
    assert_eq!(
        table_cells(&document),
        vec![
            vec!["序号", "问题", "整改措施", "责任人", "完成时限", "完成标准"],
            vec![
                "1",
                "理论学习不够深入",
                "每月精读原著不少于2篇",
                "张明",
                "2026年6月30日",
                "形成读书笔记12篇"
            ],
            vec![
                "2",
                "深入基层调研偏少",
                "每季度下基层调研不少于2次",
                "",
                "长期坚持",
                ""
            ],
        ]
    );
    assert!(document.contains(">附件<") && document.contains(">整改清单<"));
    for spoken in ["时限：", "完成标准：", "责任人："] {
        assert!(
            !document.contains(spoken),
            "the speech reads {spoken} aloud"
        );
    }
    // The preview shows the same table.
    let preview = d
        .author
        .get(&format!("/materials/{}/preview", d.material))
        .await;
    assert_eq!(preview.status, 200);
    assert!(preview.body.contains("doc-table"), "{}", preview.body);
    assert!(preview.text().contains("整改清单"));

    // The secretary turns the table off: the measures read their schedule again.
    let meetings: Vec<MeetingEntry> = d.author.call("my_materials", &[]).await.json();
    let meeting = meetings[0].meeting_id.clone();
    let mut secretary = d.app.logged_in("shuji1").await;
    let view: xingshen::server::meetings::TemplateEditView = secretary
        .call("meeting_template", &[("meeting_id", &meeting)])
        .await
        .json();
    assert!(view.form.rectification_table, "on by default");
    let mut form = view.form;
    form.rectification_table = false;
    let fields = crate::meetings::template_fields(&meeting, &form);
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = secretary.call("save_meeting_template", &borrowed).await;
    assert!(
        saved.status.is_success() || saved.status.is_redirection(),
        "{}",
        saved.body
    );
    let document = downloaded_document(&mut d.author, &d.material).await;
    assert!(!document.contains("<w:tbl>"));
    assert!(
        document.contains("责任人：张明。时限：2026年6月30日前完成。完成标准：形成读书笔记12篇。"),
        "{document}"
    );
}

#[tokio::test]
async fn nobody_but_the_author_reaches_a_draft_or_its_history() {
    let mut d = drafting().await;
    let material = d.material.clone();
    let outsiders = [
        ("liufang", "same-branch member"),
        ("shuji1", "same-branch secretary"),
        ("shuji2", "other-branch secretary"),
        ("admin", "org admin"),
    ];
    let mut clients: Vec<(Client, &str)> = Vec::new();
    for (login, who) in outsiders {
        clients.push((d.app.logged_in(login).await, who));
    }
    clients.push((d.app.client(), "anonymous"));
    for (mut client, who) in clients {
        let anonymous = who == "anonymous";
        let expect_denied = |reply: crate::support::Reply, what: &str| {
            let error = reply.error();
            let ok = if anonymous {
                matches!(error, AppError::Unauthenticated)
            } else {
                matches!(error, AppError::NotFound)
            };
            assert!(ok, "{who} got {error:?} from {what}");
        };
        for function in ["material_editor", "material_revisions", "withdraw_material"] {
            expect_denied(
                client.call(function, &[("material_id", &material)]).await,
                function,
            );
        }
        expect_denied(
            client
                .call(
                    "revision_diff",
                    &[("material_id", &material), ("version", "1")],
                )
                .await,
            "revision_diff",
        );
        expect_denied(
            client
                .call(
                    "submit_material",
                    &[("material_id", &material), ("version", "1")],
                )
                .await,
            "submit_material",
        );
        expect_denied(
            client
                .call(
                    "restore_material_revision",
                    &[
                        ("material_id", &material),
                        ("version", "1"),
                        ("base_version", "1"),
                        ("request_id", "x"),
                    ],
                )
                .await,
            "restore_material_revision",
        );
        expect_denied(
            client
                .call(
                    "adopt_kept_copy",
                    &[
                        ("material_id", &material),
                        ("kept_id", "x"),
                        ("base_version", "1"),
                        ("request_id", "x"),
                    ],
                )
                .await,
            "adopt_kept_copy",
        );
        expect_denied(
            client
                .call(
                    "set_aside_kept_copy",
                    &[("material_id", &material), ("kept_id", "x")],
                )
                .await,
            "set_aside_kept_copy",
        );
        expect_denied(
            save(
                &mut client,
                &material,
                1,
                "intruder",
                "opening",
                &[("title", "改掉")],
            )
            .await,
            "save_material_step",
        );
        let download = client
            .get(&format!("/materials/{material}/download.docx"))
            .await;
        assert_eq!(download.status, 404, "{who} downloaded the draft");
    }
    let view = editor(&mut d.author, &d.material).await;
    assert_eq!(view.version, 1, "no outsider changed anything");
    assert_ne!(view.content.title, "改掉");
}

#[tokio::test]
async fn a_member_of_another_branch_cannot_start_a_material_for_this_meeting() {
    let d = drafting().await;
    let meetings: Vec<MeetingEntry> = d
        .app
        .logged_in("zhangming")
        .await
        .call("my_materials", &[])
        .await
        .json();
    let mut outsider = d.app.logged_in("chenjing").await;
    let reply = outsider
        .call("start_material", &[("meeting_id", &meetings[0].meeting_id)])
        .await;
    assert!(matches!(reply.error(), AppError::NotFound));
}

#[tokio::test]
async fn an_existing_draft_replaces_the_text_as_a_new_revision_that_can_be_undone() {
    let mut d = drafting().await;
    let draft = "一、存在的问题\n（一）学习不够深入。比如，今年只读了2本书。\n二、整改措施\n（一）每月读书1本。时限：长期坚持。\n（二）建立读书台账。（完成时限：6月底前）";
    let referer = format!("/materials/{}/import", d.material);
    let reply = d
        .author
        .multipart(
            "import_material",
            &[
                ("material_id", &d.material),
                ("base_version", "1"),
                ("request_id", "import-1"),
                ("text", draft),
            ],
            Some(&referer),
        )
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.body);
    assert_eq!(
        reply.header("location"),
        Some(format!("/materials/{}", d.material).as_str())
    );
    let view = editor(&mut d.author, &d.material).await;
    assert_eq!(view.version, 2);
    assert_eq!(
        view.content.title, "2026年度组织生活会个人发言材料",
        "a draft without a title keeps the material's"
    );
    assert_eq!(view.content.parts[0].items[0].heading, "学习不够深入");
    assert!(view.content.parts[1].items[0].deadline.is_some());
    // A 时限 without a year is read against the meeting's date: the next end of June.
    match view.content.parts[1].items[1].deadline {
        Some(Deadline::By(date)) => {
            assert_eq!((date.month(), date.day()), (6, 30));
            assert!(date >= chrono::Local::now().date_naive());
        }
        other => panic!("“6月底前” was not read as a date: {other:?}"),
    }

    // The old text is one restore away.
    let restored: i64 = d
        .author
        .call(
            "restore_material_revision",
            &[
                ("material_id", &d.material),
                ("version", "1"),
                ("base_version", "2"),
                ("request_id", "undo-import"),
            ],
        )
        .await
        .json();
    assert_eq!(restored, 3);

    // From a stale page the import is kept, not applied; others cannot import at all.
    let stale = d
        .author
        .multipart(
            "import_material",
            &[
                ("material_id", &d.material),
                ("base_version", "1"),
                ("request_id", "import-2"),
                ("text", draft),
            ],
            None,
        )
        .await;
    assert!(matches!(stale.error(), AppError::Conflict(_)));
    assert_eq!(editor(&mut d.author, &d.material).await.kept.len(), 1);
    let mut other = d.app.logged_in("liufang").await;
    let denied = other
        .multipart(
            "import_material",
            &[
                ("material_id", &d.material),
                ("base_version", "3"),
                ("request_id", "import-3"),
                ("text", draft),
            ],
            None,
        )
        .await;
    assert!(matches!(denied.error(), AppError::NotFound));
}

/// The most common shape: 职责认识, problems with 比如 and 究其原因 inside each, measures
/// without dates, 意见建议, closing 批评指正. Only the dates are missing.
const FOUR_PART_MATERIAL: &str = "2026年度组织生活会个人发言材料
办公室 张明
按照支部统一安排，会前我认真学习了有关文件，广泛征求了意见，现将个人对照检查情况报告如下，请同志们批评指正。
一、对岗位职责的认识
作为办公室文字岗位的科员，我的主要职责是起草综合文稿、办理公文、协助做好会务保障。岗位虽小，但直接关系到机关运转的质量和效率，必须把政治标准放在首位，把每一篇文稿、每一份公文办准办好。
二、存在的问题
（一）理论学习不够深入。满足于读原文、记笔记，学用结合不够紧密。比如，今年3月起草调研报告时，对基层反映的问题分析不深，提出的对策只有2条，被退回修改两次。究其原因，是思想上对理论武装的重要性认识不足，没有把学习当作政治责任。
（二）深入基层调研偏少。习惯于在办公室看材料、打电话了解情况。比如，全年只下基层4次，有2次是陪同检查，没有专门听取一线同志的意见。究其原因，是宗旨意识有所淡化，群众观点树得不牢。
（三）工作标准有所放松。对文稿质量满足于过得去。比如，9月报送的一份情况报告出现2处数据错误，被上级通报。究其原因，是党性修养有所放松，标杆意识不强。
三、整改措施
（一）每月精读原著不少于2篇，撰写学习体会，每季度在支部交流一次。
（二）每季度下基层调研不少于2次，每次形成调研报告，提出可操作的对策建议。
（三）建立文稿审核清单，报送材料实行“一稿三审”，全年数据差错为零。
四、意见建议
建议支部每季度组织一次集中研讨，多开展案例教学。
以上发言，不妥之处请大家批评指正。";

#[tokio::test]
async fn a_four_part_material_is_handed_in_after_only_adding_dates_in_one_list() {
    use xingshen::domain::health::{Rule, Severity};
    let mut d = drafting().await;
    let referer = format!("/materials/{}/import", d.material);
    let reply = d
        .author
        .multipart(
            "import_material",
            &[
                ("material_id", &d.material),
                ("base_version", "1"),
                ("request_id", "import-four"),
                ("text", FOUR_PART_MATERIAL),
            ],
            Some(&referer),
        )
        .await;
    assert!(reply.status.is_redirection(), "{}", reply.body);
    let view = editor(&mut d.author, &d.material).await;
    let blocking: Vec<Rule> = view
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.rule)
        .collect();
    assert_eq!(
        blocking,
        vec![Rule::MeasureWithoutDeadline; 3],
        "{:#?}",
        view.findings
    );
    let measures: Vec<_> = view.content.items(PartKind::Measures).cloned().collect();
    assert_eq!(measures.len(), 3);

    // The check step lists every undated measure with its own date field, and each blocking
    // finding jumps to that field; measures paired with problems by order are said to be.
    let page = d
        .author
        .get(&format!("/materials/{}?step=check", d.material))
        .await
        .body;
    assert!(page.contains("补填整改时限"), "{page}");
    for measure in &measures {
        assert!(
            page.contains(&format!(r#"id="deadline-{}""#, measure.id.0)),
            "{page}"
        );
        assert!(page.contains(&format!("?step=check#deadline-{}", measure.id.0)));
    }
    assert!(page.contains("整改措施是按顺序与问题对应的"));

    // One save: a date, 长期坚持, a date; the list's form carries the fields it shows.
    let step = step_of(&view, PartKind::Measures);
    let ids: Vec<&str> = measures.iter().map(|m| m.id.0.as_str()).collect();
    let saved = save(
        &mut d.author,
        &d.material,
        view.version,
        "dates-once",
        &step,
        &[
            ("item.0.id", ids[0]),
            ("item.0.deadline", "2026-06-30"),
            ("item.1.id", ids[1]),
            ("item.1.deadline", ""),
            ("item.1.ongoing", "on"),
            ("item.2.id", ids[2]),
            ("item.2.deadline", "2026-12-31"),
            ("go", "check"),
        ],
    )
    .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let view = editor(&mut d.author, &d.material).await;
    let after: Vec<_> = view.content.items(PartKind::Measures).cloned().collect();
    assert_eq!(
        after.iter().map(|m| m.deadline).collect::<Vec<_>>(),
        vec![
            Some(Deadline::By(
                chrono::NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()
            )),
            Some(Deadline::Ongoing),
            Some(Deadline::By(
                chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap()
            )),
        ]
    );
    // Nothing else of the measures changed: text, links, order.
    for (before, after) in measures.iter().zip(&after) {
        assert_eq!(
            (&before.id, &before.text, &before.links),
            (&after.id, &after.text, &after.links)
        );
    }
    assert!(
        view.findings.iter().all(|f| f.severity != Severity::Error),
        "{:#?}",
        view.findings
    );
    let page = d
        .author
        .get(&format!("/materials/{}?step=check", d.material))
        .await
        .body;
    assert!(!page.contains("补填整改时限"));
    let version = view.version.to_string();
    let submitted = d
        .author
        .call(
            "submit_material",
            &[("material_id", &d.material), ("version", &version)],
        )
        .await;
    assert!(submitted.status.is_success(), "{}", submitted.body);
}

#[tokio::test]
async fn the_list_of_undated_measures_keeps_the_dated_ones_in_their_place() {
    let mut d = drafting().await;
    let draft = "一、存在的问题\n（一）学习不够深入。比如，今年只读了2本书。\n（二）调研偏少。比如，全年只下基层4次。\n（三）标准不高。比如，报告出现2处差错。\n二、整改措施\n（一）每月读书1本。\n（二）每季度调研2次。（完成时限：2026年6月30日）\n（三）建立审核清单。";
    let reply = d
        .author
        .multipart(
            "import_material",
            &[
                ("material_id", &d.material),
                ("base_version", "1"),
                ("request_id", "import-mixed"),
                ("text", draft),
            ],
            None,
        )
        .await;
    assert!(
        reply.status.is_redirection() || reply.status.is_success(),
        "{}",
        reply.body
    );
    let view = editor(&mut d.author, &d.material).await;
    let measures: Vec<_> = view.content.items(PartKind::Measures).cloned().collect();
    assert!(measures[1].deadline.is_some() && measures[0].deadline.is_none());
    let page = d
        .author
        .get(&format!("/materials/{}?step=check", d.material))
        .await
        .body;
    // The dated measure travels as its id only, so the save keeps the order.
    assert!(page.contains(&format!(r#"id="deadline-{}""#, measures[0].id.0)));
    assert!(!page.contains(&format!(r#"id="deadline-{}""#, measures[1].id.0)));
    let step = step_of(&view, PartKind::Measures);
    let saved = save(
        &mut d.author,
        &d.material,
        view.version,
        "dates-mixed",
        &step,
        &[
            ("item.0.id", &measures[0].id.0),
            ("item.0.deadline", "2026-03-31"),
            ("item.1.id", &measures[1].id.0),
            ("item.2.id", &measures[2].id.0),
            // Left empty: still undated, nothing invented.
            ("item.2.deadline", ""),
        ],
    )
    .await;
    assert!(saved.status.is_success(), "{}", saved.body);
    let after: Vec<_> = editor(&mut d.author, &d.material)
        .await
        .content
        .items(PartKind::Measures)
        .cloned()
        .collect();
    assert_eq!(
        after.iter().map(|m| &m.id).collect::<Vec<_>>(),
        measures.iter().map(|m| &m.id).collect::<Vec<_>>()
    );
    assert_eq!(after[1].deadline, measures[1].deadline);
    assert!(after[0].deadline.is_some());
    assert_eq!(after[2].deadline, None);
}
