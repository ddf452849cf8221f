//! `xingshen material parse` and `render`: the real binary on real files, no database.

use std::process::Command;

const DRAFT: &str = "在组织生活会上的发言材料
办公室 张明
一、存在的问题
（一）学习不够深入。表现为浅尝辄止。比如，今年3月只参加了1次集中学习。
二、原因剖析
（一）理想信念有所松懈。
三、整改措施
（一）加强学习。（针对第一个问题）每月精读原著2篇。时限：长期坚持。
以上发言，请批评指正。";

fn xingshen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xingshen"))
        .args(args)
        .env("XINGSHEN_DB", "mem://")
        .output()
        .expect("the binary runs")
}

#[test]
fn parse_prints_the_outline_or_material_json_and_render_writes_a_docx() {
    let dir = std::env::temp_dir().join(format!("xingshen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let draft = dir.join("draft.txt");
    std::fs::write(&draft, DRAFT).unwrap();
    let draft = draft.to_str().unwrap();

    let outline = xingshen(&["material", "parse", draft]);
    assert!(
        outline.status.success(),
        "{}",
        String::from_utf8_lossy(&outline.stderr)
    );
    let outline = String::from_utf8(outline.stdout).unwrap();
    assert!(outline.contains("一、存在的问题"), "{outline}");
    assert!(outline.contains("（一）学习不够深入"), "{outline}");
    assert!(outline.contains("时限：长期坚持"), "{outline}");

    let json = xingshen(&["material", "parse", draft, "--json"]);
    assert!(json.status.success());
    let material: xingshen::domain::material::Material =
        serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(material.parts.len(), 3);
    assert_eq!(material.parts[2].items[0].links[0].0, "p1");
    let json_file = dir.join("draft.json");
    std::fs::write(&json_file, &json.stdout).unwrap();

    let out = dir.join("out.docx");
    let rendered = xingshen(&[
        "material",
        "render",
        json_file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    let back = xingshen::export::draft::read_draft("out.docx", &bytes).unwrap();
    assert_eq!(back, material, "the .docx carries the whole material");

    let book = dir.join("book.docx");
    let zip = dir.join("book.zip");
    let bound = xingshen(&[
        "material",
        "book",
        draft,
        json_file.to_str().unwrap(),
        "-o",
        book.to_str().unwrap(),
        "--zip",
        zip.to_str().unwrap(),
        "--branch",
        "第一党支部",
    ]);
    assert!(
        bound.status.success(),
        "{}",
        String::from_utf8_lossy(&bound.stderr)
    );
    assert!(String::from_utf8_lossy(&bound.stderr).contains("2 份材料"));
    let zipped = std::fs::read(&zip).unwrap();
    assert!(
        zipped
            .windows("01-张明-".len())
            .any(|w| w == "01-张明-".as_bytes()),
        "files are named 序号-姓名-材料名"
    );
    assert!(std::fs::metadata(&book).unwrap().len() > 0);

    let missing = xingshen(&["material", "parse", "/nonexistent/draft.txt"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("无法读取"));
    std::fs::remove_dir_all(&dir).ok();
}
