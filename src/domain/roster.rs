//! A roster (花名册) as people keep it in a spreadsheet: one row per person with 姓名,
//! 登录名/手机, 职务, 支部 and optionally 角色 and 上级组织 (a path of nodes of the
//! organisation tree, "财政局党委/机关党总支", created below the importing node if missing). Parsing is all-or-nothing: every bad row is
//! reported with its spreadsheet row number, and nothing is imported until all rows are good.

use super::tree::NodePath;
use super::{BranchName, DomainError, LoginName, PersonName, Post, Role};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One person to create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterEntry {
    /// The 1-based row number in the spreadsheet, for messages.
    pub row: usize,
    pub name: PersonName,
    pub login: LoginName,
    pub post: Post,
    pub branch: BranchName,
    pub role: Role,
    /// The nodes between the importing administrator's node and the branch; empty: the
    /// branch hangs right under the importing node.
    pub path: NodePath,
}

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// The 1-based row number in the spreadsheet (the header is row 1 when it is first).
    pub row: usize,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "第 {} 行：{}", self.row, self.message)
    }
}

#[derive(Clone, Copy)]
enum Column {
    Name,
    Login,
    Post,
    Branch,
    Role,
    Path,
}

fn column_of(header: &str) -> Option<Column> {
    let header: String = header.chars().filter(|c| !c.is_whitespace()).collect();
    match header.as_str() {
        "姓名" | "名字" => Some(Column::Name),
        "登录名/手机" | "登录名/手机号" | "登录名" | "手机" | "手机号" | "手机号码" | "账号" => {
            Some(Column::Login)
        }
        "职务" | "职务/职级" | "岗位" => Some(Column::Post),
        "支部" | "所在支部" | "党支部" => Some(Column::Branch),
        "角色" => Some(Column::Role),
        "上级组织" | "所属党委" | "所属组织" | "组织路径" | "上级党组织" => {
            Some(Column::Path)
        }
        _ => None,
    }
}

/// Finds the header row (the first non-empty one), then parses every following non-empty row.
pub fn parse_roster(rows: &[Vec<String>]) -> Result<Vec<RosterEntry>, Vec<RowError>> {
    let Some(header_index) = rows.iter().position(|row| !is_blank(row)) else {
        return Err(vec![RowError {
            row: 1,
            message: "文件是空的，没有找到表头（姓名、登录名/手机、职务、支部）".into(),
        }]);
    };
    let mut columns: HashMap<usize, Column> = HashMap::new();
    for (index, cell) in rows[header_index].iter().enumerate() {
        if let Some(column) = column_of(cell) {
            columns.insert(index, column);
        }
    }
    let has = |wanted: fn(&Column) -> bool| columns.values().any(wanted);
    let missing: Vec<&str> = [
        ("姓名", has(|c| matches!(c, Column::Name))),
        ("登录名/手机", has(|c| matches!(c, Column::Login))),
        ("支部", has(|c| matches!(c, Column::Branch))),
    ]
    .into_iter()
    .filter_map(|(label, present)| (!present).then_some(label))
    .collect();
    if !missing.is_empty() {
        return Err(vec![RowError {
            row: header_index + 1,
            message: format!("表头缺少列：{}", missing.join("、")),
        }]);
    }

    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut first_row_of_login: HashMap<String, usize> = HashMap::new();
    for (index, row) in rows.iter().enumerate().skip(header_index + 1) {
        if is_blank(row) {
            continue;
        }
        let number = index + 1;
        let cell = |wanted: fn(&Column) -> bool| -> &str {
            columns
                .iter()
                .find(|(_, column)| wanted(column))
                .and_then(|(i, _)| row.get(*i))
                .map(String::as_str)
                .unwrap_or("")
        };
        let parsed = (|| -> Result<RosterEntry, DomainError> {
            Ok(RosterEntry {
                row: number,
                name: PersonName::parse(cell(|c| matches!(c, Column::Name)))?,
                login: LoginName::parse(cell(|c| matches!(c, Column::Login)))?,
                post: Post::parse(cell(|c| matches!(c, Column::Post)))?,
                branch: BranchName::parse(cell(|c| matches!(c, Column::Branch)))?,
                role: Role::from_form(cell(|c| matches!(c, Column::Role)))?,
                path: NodePath::parse(
                    cell(|c| matches!(c, Column::Path)),
                    "",
                    cell(|c| matches!(c, Column::Branch)).trim(),
                )?,
            })
        })();
        match parsed {
            Ok(entry) => {
                if let Some(first) = first_row_of_login.get(entry.login.as_str()) {
                    errors.push(RowError {
                        row: number,
                        message: format!("登录名「{}」与第 {first} 行重复", entry.login.as_str()),
                    });
                } else {
                    first_row_of_login.insert(entry.login.as_str().to_string(), number);
                    entries.push(entry);
                }
            }
            Err(error) => errors.push(RowError {
                row: number,
                message: error.to_string(),
            }),
        }
    }
    if entries.is_empty() && errors.is_empty() {
        errors.push(RowError {
            row: header_index + 2,
            message: "表头下面没有任何人员".into(),
        });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

fn is_blank(row: &[String]) -> bool {
    row.iter().all(|cell| cell.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| row.iter().map(|cell| (*cell).to_string()).collect())
            .collect()
    }

    #[test]
    fn a_roster_with_headers_in_any_order_parses_every_person() {
        let rows = table(&[
            &["", "", ""],
            &["支部", "姓名", "登录名/手机", "职务", "角色"],
            &["第一党支部", "张三", "13800000001", "科员", ""],
            &["第一党支部", "李四", "lisi", "", "支部书记"],
        ]);
        let entries = parse_roster(&rows).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].row, 3);
        assert_eq!(entries[0].name.as_str(), "张三");
        assert_eq!(entries[0].post.as_deref(), Some("科员"));
        assert_eq!(entries[1].role, Role::Secretary);
        assert_eq!(entries[1].post.as_deref(), None);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_number_and_nothing_is_returned() {
        let rows = table(&[
            &["姓名", "登录名/手机", "职务", "支部"],
            &["张三", "zhangsan", "科员", "第一党支部"],
            &["", "lisi", "", "第一党支部"],
            &["王五", "ZhangSan", "", "第一党支部"],
            &["赵六", "zhaoliu", "", ""],
        ]);
        let errors = parse_roster(&rows).unwrap_err();
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            messages,
            vec![
                "第 3 行：姓名不能为空",
                "第 4 行：登录名「zhangsan」与第 2 行重复",
                "第 5 行：支部名称不能为空",
            ]
        );
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let errors = parse_roster(&table(&[&["姓名", "职务"], &["张三", "科员"]])).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "第 1 行：表头缺少列：登录名/手机、支部"
        );
    }

    #[test]
    fn an_empty_file_or_header_only_file_is_an_error() {
        assert!(parse_roster(&[]).is_err());
        assert!(parse_roster(&table(&[&["姓名", "登录名", "支部"]])).is_err());
    }

    #[test]
    fn a_path_column_places_the_branch_in_the_tree() {
        let rows = table(&[
            &["姓名", "登录名", "支部", "所属党委"],
            &[
                "张三",
                "zhangsan",
                "第一支部",
                "财政局党委/机关党总支/第一支部",
            ],
            &["李四", "lisi", "第二支部", ""],
        ]);
        let entries = parse_roster(&rows).unwrap();
        assert_eq!(entries[0].path.display(), "财政局党委/机关党总支");
        assert!(entries[1].path.is_empty());
    }
}
