//! Importing a roster from .xlsx and .csv: all rows or none.

use crate::support::TestApp;
use rust_xlsxwriter::Workbook;
use xingshen::server::AppError;
use xingshen::server::users::{IssuedPassword, UserView};

fn xlsx(rows: &[&[&str]]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            // Mobile numbers typed into Excel are numbers, not text.
            if cell.len() == 11 && cell.chars().all(|ch| ch.is_ascii_digit()) {
                sheet
                    .write_number(r as u32, c as u16, cell.parse::<f64>().unwrap())
                    .unwrap();
            } else {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

async fn user_count(app: &TestApp) -> usize {
    let mut admin = app.logged_in("admin").await;
    let users: Vec<UserView> = admin.call("list_users", &[]).await.json();
    users.len()
}

#[tokio::test]
async fn an_xlsx_roster_creates_everyone_with_one_time_passwords() {
    let app = TestApp::new().await;
    let before = user_count(&app).await;
    let mut admin = app.logged_in("admin").await;
    let file = xlsx(&[
        &["姓名", "登录名/手机", "职务", "支部", "角色"],
        &["周强", "13700000001", "科员", "第一党支部", ""],
        &["吴敏", "wumin", "", "第二党支部", "支部书记"],
    ]);
    let reply = admin
        .upload("import_roster", "roster", "名单.xlsx", &file)
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let issued: Vec<IssuedPassword> = reply.json();
    assert_eq!(issued.len(), 2);
    assert_eq!(issued[0].login, "13700000001");
    assert_eq!(user_count(&app).await, before + 2);
    app.logged_in_with("wumin", &issued[1].password).await;
    let users: Vec<UserView> = admin.call("list_users", &[]).await.json();
    let wumin = users.iter().find(|u| u.login == "wumin").unwrap();
    assert_eq!(
        wumin.memberships,
        vec![("第二党支部".to_string(), "支部书记".to_string())]
    );
    assert_eq!(
        app.store
            .count_audit("roster.import", Some("名单.xlsx"))
            .await
            .unwrap(),
        1
    );
}

#[tokio::test]
async fn the_template_as_downloaded_imports_with_or_without_its_byte_order_mark() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let template = include_bytes!("../../public/roster-template.csv");
    assert!(
        template.starts_with(b"\xEF\xBB\xBF"),
        "Excel reads the template as UTF-8"
    );
    let reply = admin
        .upload("import_roster", "roster", "名单模板.csv", template)
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let issued: Vec<IssuedPassword> = reply.json();
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0].name, "张三");
    let plain = "姓名,登录名/手机,职务,支部\n李四,lisi,科员,第一党支部\n";
    let reply = admin
        .upload("import_roster", "roster", "名单.csv", plain.as_bytes())
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
}

#[tokio::test]
async fn one_bad_row_imports_nobody_and_every_problem_is_listed() {
    let app = TestApp::new().await;
    let before = user_count(&app).await;
    let mut admin = app.logged_in("admin").await;
    let csv = "姓名,登录名/手机,职务,支部\n周强,zhouqiang,科员,第一党支部\n,nobody,,第一党支部\n吴敏,zhangming,,第二党支部\n郑华,zhenghua,,第九党支部\n";
    let reply = admin
        .upload("import_roster", "roster", "名单.csv", csv.as_bytes())
        .await;
    assert_eq!(
        reply.error(),
        AppError::InvalidRows(vec!["第 3 行：姓名不能为空".into()])
    );
    let csv = "姓名,登录名/手机,职务,支部\n周强,zhouqiang,科员,第一党支部\n吴敏,zhangming,,第二党支部\n郑华,zhenghua,,第九党支部\n";
    let reply = admin
        .upload("import_roster", "roster", "名单.csv", csv.as_bytes())
        .await;
    assert_eq!(
        reply.error(),
        AppError::InvalidRows(vec![
            "第 3 行：登录名「zhangming」已被使用".into(),
            "第 4 行：支部「第九党支部」不存在（请先在“支部”页面创建）".into(),
        ])
    );
    assert_eq!(user_count(&app).await, before, "nothing half-imported");
}

#[tokio::test]
async fn wrong_files_get_clear_messages() {
    let app = TestApp::new().await;
    let mut admin = app.logged_in("admin").await;
    let reply = admin
        .upload("import_roster", "roster", "名单.pdf", b"%PDF-1.4")
        .await;
    assert!(reply.error().to_string().contains("只支持"));
    let reply = admin
        .upload("import_roster", "roster", "名单.xlsx", b"not a workbook")
        .await;
    assert!(reply.error().to_string().contains("无法读取"));
    let big = vec![b'a'; 2 * 1024 * 1024 + 10];
    let reply = admin
        .upload("import_roster", "roster", "名单.csv", &big)
        .await;
    assert!(reply.error().to_string().contains("文件超过 2 MB"));
    let reply = admin
        .upload("import_roster", "other", "名单.csv", b"x")
        .await;
    assert_eq!(
        reply.error(),
        AppError::Invalid("请选择要导入的名单文件".into())
    );
}

#[tokio::test]
async fn only_admins_may_import_a_roster() {
    let app = TestApp::new().await;
    let csv = "姓名,登录名/手机,职务,支部\n周强,zhouqiang,科员,第一党支部\n";
    let mut secretary = app.logged_in("shuji1").await;
    let reply = secretary
        .upload("import_roster", "roster", "名单.csv", csv.as_bytes())
        .await;
    assert_eq!(reply.error(), AppError::NotFound);
    let reply = app
        .client()
        .upload("import_roster", "roster", "名单.csv", csv.as_bytes())
        .await;
    assert_eq!(reply.error(), AppError::Unauthenticated);
}

#[tokio::test]
async fn a_sparse_roster_with_cells_at_a1_and_xfd1048576_is_refused_unread() {
    let app = TestApp::new().await;
    let before = user_count(&app).await;
    let mut admin = app.logged_in("admin").await;
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let file = workbook.save_to_buffer().unwrap();
    let reply = admin
        .upload("import_roster", "roster", "名单.xlsx", &file)
        .await;
    assert_eq!(
        reply.error(),
        AppError::Invalid("文件过大或结构异常，无法读取".into())
    );
    assert_eq!(user_count(&app).await, before);
}
