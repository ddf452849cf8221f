//! Names in Chinese order: 按姓氏笔画 in what is handed on (the 汇编, the collection
//! sheet), 拼音 on screen (the accounts page, the branch's members). The people are named so
//! that the stroke order, the 拼音 order and the code-point order the database sorts by
//! all differ:
//!
//! | name   | strokes of the surname | 拼音   | code point |
//! |--------|------------------------|--------|------------|
//! | 丁二   | 2                      | dīng   | U+4E01     |
//! | 于四   | 3                      | yú     | U+4E8E     |
//! | 王一   | 4                      | wáng   | U+738B     |
//! | 张明   | 7 (radical 弓)         | zhāng  | U+5F20     |
//! | 李五   | 7 (radical 木)         | lǐ     | U+674E     |
//! | 欧阳三 | 8                      | ōu     | U+6B27     |
//!
//! (Equal counts follow CLDR's radical order, docs/DOMAIN.md §5.8.)

use crate::ledger::decide;
use crate::meetings::{fill_and_submit, meeting_form, start};
use crate::support::{Client, TestApp};
use calamine::{Data, Reader, Xlsx};
use xingshen::server::meetings::{BranchMeetings, DashboardView};
use xingshen::server::users::UserView;

/// The people added to 第一党支部 (张明 is a demo member already).
const ADDED: [(&str, &str); 5] = [
    ("order-wang", "王一"),
    ("order-ding", "丁二"),
    ("order-ouyang", "欧阳三"),
    ("order-yu", "于四"),
    ("order-li", "李五"),
];
const PASSWORD: &str = "排序测试的密码";

const BY_STROKES: [&str; 6] = ["丁二", "于四", "王一", "张明", "李五", "欧阳三"];
const BY_PINYIN: [&str; 6] = ["丁二", "李五", "欧阳三", "王一", "于四", "张明"];
const BY_CODE_POINT: [&str; 6] = ["丁二", "于四", "张明", "李五", "欧阳三", "王一"];

/// A demo app with the people of the table above in 第一党支部.
async fn app_with_people() -> TestApp {
    use xingshen::domain::{LoginName, PersonName, Post, Role};
    use xingshen::store::AuditEntry;
    use xingshen::store::users::NewUser;

    let app = TestApp::new().await;
    let org = app.store.list_orgs().await.unwrap()[0].id.clone();
    let branch = app
        .store
        .find_branch_by_name(&org, "第一党支部")
        .await
        .unwrap()
        .unwrap();
    let hash = xingshen::auth::password::hash(PASSWORD.to_string().into())
        .await
        .unwrap();
    let people = ADDED
        .iter()
        .map(|(login, name)| NewUser {
            login: LoginName::parse(login).unwrap(),
            name: PersonName::parse(name).unwrap(),
            post: Post::default(),
            password_hash: hash.clone(),
            is_org_admin: false,
            must_change_password: false,
            branch: Some((branch.clone(), Role::Member)),
        })
        .collect();
    app.store
        .create_users(&org, people, &AuditEntry::new("test"))
        .await
        .unwrap();
    app
}

/// The names of `BY_STROKES` in the order they first occur in `text`.
fn order_in(text: &str) -> Vec<&'static str> {
    let mut found: Vec<(usize, &'static str)> = BY_STROKES
        .iter()
        .map(|name| {
            let at = text
                .find(name)
                .unwrap_or_else(|| panic!("{name} is not listed"));
            (at, *name)
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, name)| name).collect()
}

fn ours(names: impl IntoIterator<Item = String>) -> Vec<String> {
    names
        .into_iter()
        .filter(|name| BY_STROKES.contains(&name.as_str()))
        .collect()
}

/// A new meeting of 第一党支部 for every member; its id.
async fn meeting_for_everyone(secretary: &mut Client) -> String {
    let branches: Vec<BranchMeetings> = secretary.call("my_branch_meetings", &[]).await.json();
    let branch = branches[0].branch_id.clone();
    let created = secretary
        .call(
            "create_meeting",
            &meeting_form(&branch, &[("plan[everyone]", "true")]),
        )
        .await;
    assert!(created.status.is_success(), "{}", created.body);
    created.json()
}

#[test]
fn the_three_orders_of_these_names_differ() {
    let mut by_code_point = BY_STROKES.to_vec();
    by_code_point.sort();
    assert_eq!(by_code_point, BY_CODE_POINT);
    assert_ne!(BY_STROKES, BY_PINYIN);
    assert_ne!(BY_STROKES, BY_CODE_POINT);
    assert_ne!(BY_PINYIN, BY_CODE_POINT);
}

#[tokio::test]
async fn the_accounts_page_and_the_branch_members_list_people_in_pinyin_order() {
    let app = app_with_people().await;
    let mut admin = app.logged_in("admin").await;
    let users: Vec<UserView> = admin.call("list_users", &[]).await.json();
    assert_eq!(ours(users.into_iter().map(|u| u.name)), BY_PINYIN);
    let page = admin.get("/admin/users").await;
    assert!(page.status.is_success(), "{}", page.body);
    assert_eq!(order_in(&page.text()), BY_PINYIN);

    let mut secretary = app.logged_in("shuji1").await;
    let branches: Vec<BranchMeetings> = secretary.call("my_branch_meetings", &[]).await.json();
    let members = branches[0].members.iter().map(|m| m.name.clone());
    assert_eq!(ours(members), BY_PINYIN);

    // The collection dashboard, on screen, by name.
    let meeting = meeting_for_everyone(&mut secretary).await;
    let view: DashboardView = secretary
        .call("meeting_dashboard", &[("meeting_id", &meeting)])
        .await
        .json();
    assert_eq!(ours(view.rows.into_iter().map(|r| r.name)), BY_PINYIN);
    let page = secretary
        .get(&format!("/meetings/{meeting}/materials?sort=name"))
        .await;
    assert!(page.status.is_success(), "{}", page.body);
    assert_eq!(order_in(&page.text()), BY_PINYIN);
}

#[tokio::test]
async fn the_collection_sheet_and_the_book_list_people_by_surname_strokes() {
    let app = app_with_people().await;
    let mut secretary = app.logged_in("shuji1").await;
    let meeting = meeting_for_everyone(&mut secretary).await;

    // Everyone of the table hands in a material, and the secretary approves each.
    let mut logins: Vec<(&str, &str)> = ADDED.iter().map(|(login, _)| (*login, PASSWORD)).collect();
    logins.push(("zhangming", "xingshen-demo"));
    for (login, password) in logins {
        let mut member = app.logged_in_with(login, password).await;
        let material = start(&mut member, &meeting).await;
        fill_and_submit(&mut member, &material, "学习不够深入").await;
        decide(&mut secretary, &material, "1", "approved").await;
    }

    let sheet = secretary
        .get(&format!("/meetings/{meeting}/summary.xlsx"))
        .await;
    assert!(sheet.status.is_success(), "{}", sheet.body);
    let mut book = Xlsx::new(std::io::Cursor::new(sheet.bytes.clone())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let cells = range.rows().flat_map(|row| {
        row.iter()
            .filter_map(|cell| match cell {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect::<Vec<_>>()
    });
    assert_eq!(ours(cells), BY_STROKES);

    let docx = secretary
        .get(&format!("/meetings/{meeting}/book.docx"))
        .await;
    assert!(docx.status.is_success(), "{}", docx.body);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx.bytes.clone())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut archive.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert_eq!(order_in(&xml), BY_STROKES);

    // One file per person in the zip, in the same order.
    let zipped = secretary
        .get(&format!("/meetings/{meeting}/book.zip"))
        .await;
    assert!(zipped.status.is_success(), "{}", zipped.body);
    let archive = zip::ZipArchive::new(std::io::Cursor::new(zipped.bytes.clone())).unwrap();
    let names: Vec<String> = archive.file_names().map(String::from).collect();
    let mut names = names;
    names.sort();
    assert_eq!(order_in(&names.join("\n")), BY_STROKES);
}

#[tokio::test]
async fn the_ledger_lists_owners_in_pinyin_and_its_sheet_by_surname_strokes() {
    use crate::ledger::write_measure;
    use crate::meetings::{fill, submit};
    use xingshen::server::ledger::LedgerList;

    const MEASURE: &str = "每月集中学习一次并交流心得";
    let app = app_with_people().await;
    let mut secretary = app.logged_in("shuji1").await;
    let meeting = meeting_for_everyone(&mut secretary).await;
    let mut logins: Vec<(&str, &str)> = ADDED.iter().map(|(login, _)| (*login, PASSWORD)).collect();
    logins.push(("zhangming", "xingshen-demo"));
    for (login, password) in logins {
        let mut member = app.logged_in_with(login, password).await;
        let material = start(&mut member, &meeting).await;
        let version = fill(&mut member, &material, "学习不够深入").await;
        let version = write_measure(&mut member, &material, version, MEASURE).await;
        submit(&mut member, &material, version).await;
    }

    let branches: Vec<BranchMeetings> = secretary.call("my_branch_meetings", &[]).await.json();
    let branch = branches[0].branch_id.clone();
    let reply = secretary
        .call("branch_ledger", &[("branch_id", &branch)])
        .await;
    assert!(reply.status.is_success(), "{}", reply.body);
    let list: LedgerList = reply.json();
    let owners = list
        .rows
        .into_iter()
        .filter(|row| row.measure == MEASURE)
        .map(|row| row.owner_name);
    assert_eq!(ours(owners), BY_PINYIN);

    let sheet = secretary
        .get(&format!("/ledger/branch/{branch}/ledger.xlsx"))
        .await;
    assert!(sheet.status.is_success(), "{}", sheet.body);
    let mut book = Xlsx::new(std::io::Cursor::new(sheet.bytes.clone())).unwrap();
    let range = book.worksheet_range("整改台账").unwrap();
    let owners = range.rows().filter_map(|row| {
        let texts: Vec<String> = row
            .iter()
            .filter_map(|cell| match cell {
                Data::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        if !texts.iter().any(|text| text == MEASURE) {
            return None;
        }
        texts
            .into_iter()
            .find(|text| BY_STROKES.contains(&text.as_str()))
    });
    assert_eq!(ours(owners), BY_STROKES);
}
