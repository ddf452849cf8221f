//! Importing a roster (花名册) from a spreadsheet: all rows or none.

use super::AppError;
use super::users::IssuedPassword;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

/// The largest roster file accepted (a 5,000-person .xlsx is well under this).
pub const MAX_ROSTER_BYTES: usize = 2 * 1024 * 1024;

/// Reads the uploaded file field `roster`, refusing anything over the size limit.
#[cfg(feature = "ssr")]
async fn read_upload(data: MultipartData) -> Result<(String, Vec<u8>), AppError> {
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    let unreadable = |_| AppError::Invalid("上传的文件没有完整收到，请重试".into());
    while let Some(mut field) = multipart.next_field().await.map_err(unreadable)? {
        if field.name() != Some("roster") {
            continue;
        }
        let file_name = field.file_name().unwrap_or_default().to_string();
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > MAX_ROSTER_BYTES {
                return Err(AppError::Invalid(format!(
                    "文件超过 {} MB，请拆分后分批导入",
                    MAX_ROSTER_BYTES / 1024 / 1024
                )));
            }
        }
        return Ok((file_name, bytes));
    }
    Err(AppError::Invalid("请选择要导入的名单文件".into()))
}

/// Creates every person of the roster with a generated initial password, or nobody: any
/// bad row (unknown branch, login taken, missing name …) is reported and nothing is saved.
#[server(endpoint = "import_roster", input = MultipartFormData)]
pub async fn import_roster(data: MultipartData) -> Result<Vec<IssuedPassword>, AppError> {
    use super::context::{actor, audit, state};
    use crate::auth::password;
    use crate::domain::policy::can_administer_org;
    use crate::domain::roster::parse_roster;
    use crate::export::spreadsheet::{SheetKind, read_table};
    use crate::store::users::NewUser;
    use secrecy::ExposeSecret;
    use std::collections::HashMap;

    let actor = actor().await?;
    if !can_administer_org(&actor, &actor.org_id) {
        return Err(AppError::NotFound);
    }
    let (file_name, bytes) = read_upload(data).await?;
    let kind = SheetKind::from_file_name(&file_name).ok_or_else(|| {
        AppError::Invalid(
            "只支持 Excel（.xlsx / .xls）、WPS/LibreOffice（.ods）和 .csv 文件".into(),
        )
    })?;
    let state = state()?;
    let entries = state
        .uploads
        .read(move || {
            let table = read_table(&bytes, kind).map_err(AppError::Invalid)?;
            parse_roster(&table).map_err(|errors| {
                AppError::InvalidRows(errors.iter().map(ToString::to_string).collect())
            })
        })
        .await??;

    let branches: HashMap<String, String> = state
        .store
        .list_branches(&actor.org_id)
        .await?
        .into_iter()
        .map(|branch| (branch.name, branch.id))
        .collect();
    let taken = state
        .store
        .taken_logins(
            entries
                .iter()
                .map(|e| e.login.as_str().to_string())
                .collect(),
        )
        .await?;
    let mut problems = Vec::new();
    for entry in &entries {
        // A row with a 上级组织 path places its branch in the tree (made below if missing);
        // one without names a branch of the importing node, which must exist.
        if entry.path.is_empty() && !branches.contains_key(entry.branch.as_str()) {
            problems.push(format!(
                "第 {} 行：支部「{}」不存在（请先在“支部”页面创建）",
                entry.row,
                entry.branch.as_str()
            ));
        }
        if taken.iter().any(|login| login == entry.login.as_str()) {
            problems.push(format!(
                "第 {} 行：登录名「{}」已被使用",
                entry.row,
                entry.login.as_str()
            ));
        }
    }
    if !problems.is_empty() {
        return Err(AppError::InvalidRows(problems));
    }

    // Only now, with every row good, the missing nodes and branches are made.
    let own_name = state
        .store
        .nodes(std::slice::from_ref(&actor.org_id))
        .await?
        .into_iter()
        .next()
        .map(|node| node.name)
        .unwrap_or_default();
    let mut placed: HashMap<(String, String), String> = HashMap::new();
    for entry in entries.iter().filter(|entry| !entry.path.is_empty()) {
        let path = entry.path.below(&own_name);
        let key = (path.display(), entry.branch.as_str().to_string());
        if placed.contains_key(&key) {
            continue;
        }
        let node = state
            .store
            .ensure_path(
                &actor.org_id,
                &path,
                &audit(&actor, "org.create_node", Some(key.0.clone())),
            )
            .await?;
        let branch = state
            .store
            .ensure_branch(
                &node,
                &entry.branch,
                &audit(&actor, "branch.create", Some(key.1.clone())),
            )
            .await?;
        placed.insert(key, branch);
    }
    let branch_of = |entry: &crate::domain::roster::RosterEntry| {
        if entry.path.is_empty() {
            branches[entry.branch.as_str()].clone()
        } else {
            placed[&(
                entry.path.below(&own_name).display(),
                entry.branch.as_str().to_string(),
            )]
                .clone()
        }
    };

    let mut issued = Vec::with_capacity(entries.len());
    let mut users = Vec::with_capacity(entries.len());
    for entry in entries {
        let initial = password::generate_initial();
        let hash = password::hash(initial.clone()).await.map_err(|detail| {
            tracing::error!(%detail, "password hashing failed");
            AppError::Internal
        })?;
        issued.push(IssuedPassword {
            name: entry.name.as_str().to_string(),
            login: entry.login.as_str().to_string(),
            password: initial.expose_secret().to_string(),
        });
        users.push(NewUser {
            branch: Some((branch_of(&entry), entry.role)),
            login: entry.login,
            name: entry.name,
            post: entry.post,
            password_hash: hash,
            is_org_admin: false,
            must_change_password: true,
        });
    }
    let mut entry = audit(&actor, "roster.import", Some(file_name));
    entry.detail = Some(format!("{} 人", users.len()));
    state
        .store
        .create_users(&actor.org_id, users, &entry)
        .await?;
    Ok(issued)
}
