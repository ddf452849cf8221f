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

/// Downloads 格式整理's .docx again and again from `client`, each request optionally naming a
/// forwarded client; returns how many went through before the first refusal (429).
async fn downloads_until_refused(
    client: &mut crate::support::Client,
    forwarded_for: impl Fn(usize) -> Option<String>,
) -> usize {
    for attempt in 0..40 {
        let mut request = download_request(DRAFT);
        if let Some(forwarded) = forwarded_for(attempt) {
            request
                .headers_mut()
                .insert("x-forwarded-for", forwarded.parse().unwrap());
        }
        let reply = client.send(request).await;
        if reply.status == 429 {
            return attempt;
        }
        assert!(reply.status.is_success(), "{}", reply.body);
    }
    40
}

fn connecting_from(app: &TestApp, address: &str) -> crate::support::Client {
    let mut client = app.client();
    client.peer = Some(std::net::SocketAddr::new(address.parse().unwrap(), 40000));
    client
}

#[tokio::test]
async fn ipv6_clients_are_throttled_by_their_slash_64() {
    let app = TestApp::new().await;
    let mut first = connecting_from(&app, "2001:db8:1:2::1");
    assert_eq!(downloads_until_refused(&mut first, |_| None).await, 30);
    // Another address of the same /64 is the same client, a neighbouring /64 is not.
    let mut same_network = connecting_from(&app, "2001:db8:1:2:ffff::beef");
    assert_eq!(same_network.send(download_request(DRAFT)).await.status, 429);
    let mut other_network = connecting_from(&app, "2001:db8:1:3::1");
    assert!(
        other_network
            .send(download_request(DRAFT))
            .await
            .status
            .is_success()
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_is_throttled_on_its_own() {
    let app = TestApp::behind_proxies("10.0.0.5").await;
    let mut proxy = connecting_from(&app, "10.0.0.5");
    // Forty different clients through the proxy: nobody is refused.
    assert_eq!(
        downloads_until_refused(&mut proxy, |n| Some(format!("198.51.100.{n}"))).await,
        40
    );
    // One client through the proxy is held to its own quota; a forged first entry in the
    // header does not let it escape.
    assert_eq!(
        downloads_until_refused(&mut proxy, |n| Some(format!("1.1.1.{n}, 203.0.113.9"))).await,
        30
    );
}

#[tokio::test]
async fn forwarded_for_from_an_untrusted_peer_is_ignored() {
    for app in [
        TestApp::new().await,
        TestApp::behind_proxies("10.0.0.5").await,
    ] {
        let mut stranger = connecting_from(&app, "203.0.113.77");
        assert_eq!(
            downloads_until_refused(&mut stranger, |n| Some(format!("198.51.100.{n}"))).await,
            30
        );
    }
}

/// What the server answers to a file past its limits.
const TOO_LARGE: &str = "文件过大或结构异常，无法读取";

/// A real .docx whose `word/document.xml` is `size` bytes, nearly all of them one word
/// of a text run: a zip bomb when large. With `lie`, the part's headers declare 100 bytes.
fn zip_bomb(size: usize, lie: bool) -> Vec<u8> {
    use std::io::{Read, Write};
    let real = xingshen::export::docx::material_docx(&xingshen::domain::import::parse_text(DRAFT))
        .unwrap();
    let mut parts = zip::ZipArchive::new(std::io::Cursor::new(real)).unwrap();
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    // First in the file, so that its headers are the first ones.
    archive.start_file("word/document.xml", options).unwrap();
    archive
        .write_all(br#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>"#)
        .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    for _ in 0..size >> 20 {
        archive.write_all(&chunk).unwrap();
    }
    archive
        .write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .unwrap();
    for index in 0..parts.len() {
        let mut part = parts.by_index(index).unwrap();
        if part.name() == "word/document.xml" {
            continue;
        }
        let mut bytes = Vec::new();
        part.read_to_end(&mut bytes).unwrap();
        archive.start_file(part.name(), options).unwrap();
        archive.write_all(&bytes).unwrap();
    }
    let mut bytes = archive.finish().unwrap().into_inner();
    if lie {
        // The uncompressed size: at 22 in the local header, at 24 in the directory entry.
        let central = bytes.windows(4).position(|w| w == b"PK\x01\x02").unwrap();
        bytes[22..26].copy_from_slice(&100u32.to_le_bytes());
        bytes[central + 24..central + 28].copy_from_slice(&100u32.to_le_bytes());
    }
    bytes
}

/// `package` with its part `name` replaced by `data`.
fn with_part(package: &[u8], name: &str, data: &[u8]) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(package)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.start_file(entry.name(), zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(if entry.name() == name { data } else { &bytes })
            .unwrap();
    }
    out.finish().unwrap().into_inner()
}

fn is_refused_as_too_large(reply: &crate::support::Reply) -> bool {
    matches!(reply.error(), AppError::Invalid(message) if message == TOO_LARGE)
}

#[tokio::test]
async fn a_zip_bomb_or_a_deeply_nested_docx_is_refused_with_a_clear_message() {
    let app = TestApp::new().await;
    let mut visitor = app.client();
    let bomb = zip_bomb(64 << 20, false);
    assert!(bomb.len() < 256 * 1024, "{} bytes", bomb.len());
    let reply = visitor
        .upload("recognise_draft", "file", "发言材料.docx", &bomb)
        .await;
    assert!(is_refused_as_too_large(&reply), "{}", reply.body);
    let reply = visitor
        .upload(
            "recognise_draft",
            "file",
            "发言材料.docx",
            &zip_bomb(64 << 20, true),
        )
        .await;
    assert!(is_refused_as_too_large(&reply), "{}", reply.body);

    let material = xingshen::domain::import::parse_text(DRAFT);
    let real = xingshen::export::docx::material_docx(&material).unwrap();
    let nested = format!(
        "<w:document><w:body>{}{}</w:body></w:document>",
        "<w:tbl><w:tr><w:tc>".repeat(20_000),
        "</w:tc></w:tr></w:tbl>".repeat(20_000)
    );
    let deep = with_part(&real, "word/document.xml", nested.as_bytes());
    let reply = visitor
        .upload("recognise_draft", "file", "嵌套.docx", &deep)
        .await;
    assert!(is_refused_as_too_large(&reply), "{}", reply.body);
    // The real one reads.
    let reply = visitor
        .upload("recognise_draft", "file", "发言材料.docx", &real)
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
}

/// A real .docx of 20,000 short paragraphs: within every limit, and a second or so of
/// work for docx-rs and the importer in a debug build.
fn heavy_docx() -> Vec<u8> {
    let real = xingshen::export::docx::material_docx(&xingshen::domain::import::parse_text(DRAFT))
        .unwrap();
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}</w:body></w:document>"#,
        "<w:p><w:r><w:t>（一）学习不够深入。比如，全年只读了2本书。</w:t></w:r></w:p>"
            .repeat(20_000)
    );
    with_part(&real, "word/document.xml", document.as_bytes())
}

/// Liveness, not speed: 30 costly uploads posted at once from one address (the throttle
/// lets a burst of 30 through), half of them zip bombs, half real files that take a while
/// to read, are read a few at a time off the async threads; a member's page, asked for
/// while they are being read, still answers at its usual pace. The bound is far above it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_costly_uploads_at_once_leave_the_pages_answering_for_everyone_else() {
    let app = TestApp::new().await;
    let mut member = app.logged_in("zhangming").await;
    assert_eq!(member.get("/").await.status, 200);
    let files = [
        std::sync::Arc::new(heavy_docx()),
        std::sync::Arc::new(zip_bomb(100 << 20, false)),
        std::sync::Arc::new(heavy_docx()),
        std::sync::Arc::new(zip_bomb(100 << 20, true)),
    ];
    let uploads: Vec<_> = (0..30)
        .map(|n| {
            let mut visitor = app.client();
            let file = files[n % 4].clone();
            tokio::spawn(async move {
                let reply = visitor
                    .upload("recognise_draft", "file", "材料.docx", &file)
                    .await;
                (n, reply)
            })
        })
        .collect();
    // Well into the reading.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let page = tokio::spawn(async move {
        let started = std::time::Instant::now();
        let reply = member.get("/").await;
        (reply.status, started.elapsed())
    });
    let (status, took) = page.await.unwrap();
    assert_eq!(status, 200);
    assert!(
        took < std::time::Duration::from_secs(2),
        "the page took {took:?}"
    );
    for upload in uploads {
        let (n, reply) = upload.await.unwrap();
        if reply.status.is_success() {
            assert_eq!(n % 2, 0, "a zip bomb was read");
        } else {
            let error = reply.error();
            let expected = if n % 2 == 0 {
                error == AppError::Busy
            } else {
                error == AppError::Busy || error == AppError::Invalid(TOO_LARGE.into())
            };
            assert!(expected, "upload {n}: {error:?}");
        }
    }
}
