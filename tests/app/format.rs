//! 格式整理: public, nothing stored, size- and rate-limited.

use crate::support::TestApp;
use axum::body::Body;
use axum::http::{Request, header};
use xingshen::domain::document::Block;
use xingshen::server::AppError;
use xingshen::server::format::FormatPreview;

const DRAFT: &str = "个人发言材料\n一、存在的问题\n（一）学习不够深入。比如，全年只读了2本书。\n二、整改措施\n（一）每月读书1本。时限：长期坚持。";

fn download_request(text: &str) -> Request<Body> {
    let boundary = "----format-boundary";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n{text}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\"\r\nContent-Type: application/octet-stream\r\n\r\n\r\n--{boundary}--\r\n"
    );
    Request::post("/format/download.docx")
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .header(header::ORIGIN, "http://localhost")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn anyone_sees_the_recognised_structure_without_an_account() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let reply = visitor
        .multipart("recognise_draft", &[("text", DRAFT)], None)
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let preview: FormatPreview = reply.json();
    assert_eq!(preview.parts, 2);
    assert_eq!(preview.items, 2);
    assert!(
        preview
            .blocks
            .contains(&Block::Heading("二、整改措施".into()))
    );
    let empty = visitor
        .multipart("recognise_draft", &[("text", "  ")], None)
        .await;
    assert!(matches!(empty.error(), AppError::Invalid(message) if message.contains("请粘贴")));
}

#[tokio::test]
async fn a_numbered_heading_sentence_keeps_its_full_stop_in_preview_and_download() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let draft = "个人发言材料\n一、存在的问题\n（一）一是理论学习不够深入。\n（二）二是调研不够扎实。比如，全年只下基层4次。";
    let preview: FormatPreview = visitor
        .multipart("recognise_draft", &[("text", draft)], None)
        .await
        .json();
    assert!(
        preview.blocks.contains(&Block::SubHeading {
            heading: "（一）理论学习不够深入。".into(),
            rest: String::new()
        }),
        "{:?}",
        preview.blocks
    );
    let reply = visitor.send(download_request(draft)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let paragraphs = xingshen::export::docx::docx_paragraphs(&reply.bytes).unwrap();
    assert!(
        paragraphs.iter().any(|p| p == "（一）理论学习不够深入。"),
        "{paragraphs:?}"
    );
    assert!(
        paragraphs
            .iter()
            .any(|p| p == "（二）调研不够扎实。比如，全年只下基层4次。"),
        "{paragraphs:?}"
    );
}

#[tokio::test]
async fn the_download_is_an_official_docx_of_the_posted_text_and_nothing_is_stored() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let before = app
        .store
        .count_audit("material.export_docx", None)
        .await
        .unwrap();
    let reply = visitor.send(download_request(DRAFT)).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(
        reply
            .header("content-disposition")
            .unwrap()
            .contains("filename*=UTF-8''%E4%B8%AA%E4%BA%BA")
    );
    assert_eq!(
        app.store
            .count_audit("material.export_docx", None)
            .await
            .unwrap(),
        before
    );
    let empty = visitor.send(download_request("")).await;
    assert_eq!(empty.status, 400);
    assert!(empty.body.contains("请粘贴"));
}

#[tokio::test]
async fn a_client_is_slowed_down_after_a_burst() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let mut throttled = None;
    for attempt in 0..40 {
        let reply = visitor
            .multipart("recognise_draft", &[("text", DRAFT)], None)
            .await;
        if !reply.status.is_success() {
            throttled = Some((attempt, reply.error()));
            break;
        }
    }
    let (attempt, error) = throttled.expect("the 40th request in a row is refused");
    assert_eq!(attempt, 30);
    assert!(matches!(error, AppError::Throttled { .. }));
    let download = visitor.send(download_request(DRAFT)).await;
    assert_eq!(download.status, 429);
}
