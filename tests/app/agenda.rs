//! The meeting's 通报 written out: the agenda of the meeting's template, the previous
//! meeting's 整改 from the branch's ledger, the 征求意见 counted — as the 会议通报材料 the
//! secretary reads out, in the 会议记录 and in the 报送 package.

use crate::meetings::demo_meeting;
use crate::support::TestApp;
use axum::http::StatusCode;
use std::io::Read;
use xingshen::export::docx::docx_paragraphs;

/// The text of every .docx in a zip, by file name.
fn docx_in_zip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut found = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if file.name().ends_with(".docx") {
            found.push((
                file.name().to_string(),
                docx_paragraphs(&content).unwrap().join("\n"),
            ));
        }
    }
    found
}

#[tokio::test]
async fn the_agenda_reports_carry_the_last_meetings_rectification_into_the_minutes_and_package() {
    let app = TestApp::new().await;
    xingshen::seed::create_demo_history(&app.store)
        .await
        .unwrap();
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;

    let reply = secretary
        .get(&format!("/meetings/{meeting}/agenda.docx"))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let text = docx_paragraphs(&reply.bytes).unwrap().join("\n");
    // The demo's last meeting: 张明's two measures, one past its 时限, one due soon.
    assert!(
        text.contains("2025年度组织生活会共制定整改措施2项。截至目前，已完成整改并销号0项，正在整改2项（其中超过时限1项）。"),
        "{text}"
    );
    assert!(
        text.contains("张明：每季度到联系社区走访不少于2次，建立问题清单。正在整改"),
        "{text}"
    );
    assert!(text.contains("征求意见"), "{text}");
    // Never anyone's material text beyond the measures themselves.
    assert!(!text.contains("下基层调研次数偏少"), "{text}");

    let package = secretary
        .get(&format!("/meetings/{meeting}/package.zip"))
        .await;
    assert_eq!(package.status, StatusCode::OK);
    let files = docx_in_zip(&package.bytes);
    let file = |prefix: &str| {
        files
            .iter()
            .find(|(name, _)| name.starts_with(prefix))
            .map(|(_, text)| text.clone())
            .unwrap_or_else(|| panic!("no {prefix} in {files:?}"))
    };
    let minutes = file("02-会议记录");
    assert!(minutes.contains("会议议程"), "{minutes}");
    assert!(
        minutes.contains("2025年度组织生活会共制定整改措施2项"),
        "{minutes}"
    );
    assert!(file("08-会议通报材料").contains("其中超过时限1项"));

    // A member of the branch cannot have it.
    let mut member = app.logged_in("liufang").await;
    let refused = member
        .get(&format!("/meetings/{meeting}/agenda.docx"))
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_agenda_is_part_of_the_meeting_template_and_its_reports_follow_it() {
    use crate::meetings::template_fields;
    use xingshen::server::meetings::TemplateEditView;
    let app = TestApp::new().await;
    let mut secretary = app.logged_in("shuji1").await;
    let (_, meeting) = demo_meeting(&mut secretary).await;
    let page = secretary
        .get(&format!("/meetings/{meeting}/template"))
        .await;
    assert!(page.text().contains("会议议程"), "{}", page.text());

    // The secretary writes the agenda: one 通报 of their own, and a step that is not one.
    let view: TemplateEditView = secretary
        .call("meeting_template", &[("meeting_id", &meeting)])
        .await
        .json();
    let mut form = view.form;
    form.agenda_reports =
        "支部书记代表支部委员会作对照检查\n通报本支部落实“三会一课”制度情况".into();
    let fields = template_fields(&meeting, &form);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    let saved = secretary.call("save_meeting_template", &fields).await;
    assert!(saved.status.is_success(), "{}", saved.body);

    let reply = secretary
        .get(&format!("/meetings/{meeting}/agenda.docx"))
        .await;
    let text = docx_paragraphs(&reply.bytes).unwrap().join("\n");
    assert!(text.contains("通报本支部落实“三会一课”制度情况"), "{text}");
    assert!(
        text.contains("【本支部落实“三会一课”制度情况：基本情况】"),
        "{text}"
    );
    assert!(
        !text.contains("支部书记代表支部委员会作对照检查"),
        "a step that is not a 通报 is not written out: {text}"
    );
    assert!(!text.contains("整改落实情况"), "{text}");
}
