//! SurrealDB access. Everything that speaks SurrealQL lives here; callers get domain values.
//! The connection goes through `engine::any`, so embedded SurrealKV, in-memory, a SurrealDB
//! server (`ws://`, which may itself store on TiKV) and TiKV directly (`tikv://`, with the
//! `tikv` feature) all run the same code.

/// The statement that appends an audit row from the `$audit_*` parameters bound by
/// [`AuditEntry::bind`]; a macro so it can be `concat!`-ed into static transactions.
macro_rules! insert_audit {
    () => {
        "CREATE audit_event SET at = time::now(), org = $audit_org, actor = $audit_actor, action = $audit_action, target = $audit_target, detail = $audit_detail, ip = $audit_ip;"
    };
}

pub mod audit;
pub mod backup;
pub mod calendar;
mod codes;
pub mod collective;
pub mod cycle;
pub mod evidence;
#[cfg(feature = "fault-injection")]
pub mod faults;
pub mod ledger;
pub mod login_sessions;
pub mod materials;
pub mod meetings;
pub mod migrations;
pub mod notify;
pub mod orgs;
pub mod overview;
pub mod packs;
pub mod rectification_plan;
pub mod secrets;
pub mod supervision;
pub mod tree;
pub mod users;

use surrealdb::Surreal;
use surrealdb::engine::any::{self, Any};
use surrealdb::types::{QueryError, RecordId, SurrealValue};

pub use audit::AuditEntry;

/// Namespace and database every deployment uses.
const NAMESPACE: &str = "xingshen";
const DATABASE: &str = "main";

/// The errors of the store layer. `Database` carries internal detail that is logged once,
/// where it becomes an `AppError`, and never shown to a user.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("record not found")]
    NotFound,
    /// A unique index refused the write; the message is for the user.
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(String),
}

impl From<surrealdb::Error> for StoreError {
    fn from(error: surrealdb::Error) -> Self {
        let message = error.message();
        if let Some(index) = violated_unique_index(message) {
            return Self::Conflict(conflict_message(index).to_string());
        }
        Self::Database(message.to_string())
    }
}

/// SurrealDB reports a unique violation only in its message:
/// "Database index `user_login` already contains 'x', with record `user:y`".
fn violated_unique_index(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("Database index `")?;
    let (index, tail) = rest.split_once('`')?;
    tail.trim_start()
        .starts_with("already contains")
        .then_some(index)
}

fn conflict_message(index: &str) -> &'static str {
    match index {
        "user_login" => "该登录名已被使用",
        "branch_org_name" => "该支部名称已存在",
        "org_name" | "org_parent_name" => "该组织名称已存在",
        "membership_user_branch" => "此人已在该支部中",
        "supervisor_meeting_user" => "此人已在本次会议的督导组中",
        _ => "该记录已存在",
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// A cheap, cloneable handle to the database.
#[derive(Clone)]
pub struct Store {
    /// Shared, not cloned: cloning a `Surreal` client opens a new meeting on the server,
    /// which over `ws://` replays the connection's set-up on every clone and, without the
    /// root sign-in, is refused ("Method not allowed"). One session serves every request;
    /// the protocol multiplexes them.
    db: std::sync::Arc<Surreal<Any>>,
    /// The lock file of an embedded SurrealKV directory: the engine releases it as the last
    /// step of shutting down, which is how [`Store::close`] knows the shutdown has finished.
    lock_file: Option<std::sync::Arc<std::path::Path>>,
    /// Test builds only: the share of queries to fail or delay.
    #[cfg(feature = "fault-injection")]
    faults: std::sync::Arc<faults::Faults>,
}

/// What `connect` opened, for the start-up log line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineInfo {
    pub engine: String,
    pub location: String,
    pub sync: String,
}

/// Makes the SurrealKV durability explicit: `sync=every` (fsync before a commit returns)
/// unless the endpoint names another mode.
pub fn effective_endpoint(endpoint: &str) -> (String, EngineInfo) {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or((endpoint, ""));
    let (location, query) = rest.split_once('?').unwrap_or((rest, ""));
    let sync_param = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("sync="))
        .map(str::to_string);
    let (effective, sync) = match scheme {
        "surrealkv" => match sync_param {
            Some(mode) => (endpoint.to_string(), mode),
            None if query.is_empty() => (format!("{endpoint}?sync=every"), "every".into()),
            None => (format!("{endpoint}&sync=every"), "every".into()),
        },
        "mem" | "memory" => (endpoint.to_string(), "none (in memory)".into()),
        _ => (endpoint.to_string(), "decided by the server".into()),
    };
    (
        effective,
        EngineInfo {
            engine: scheme.to_string(),
            location: location.to_string(),
            sync,
        },
    )
}

/// Whether the endpoint asks for an engine that keeps every version of every record
/// (`surrealkv+versioned://`, `?versioned=true`). Such an engine dates each write and can
/// show the database as it was between two answers, which would tie a 征求意见 respondent
/// or a voter to what they wrote; the anonymity of both rests on not keeping history.
pub fn keeps_versions(endpoint: &str) -> bool {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or((endpoint, ""));
    let query = rest.split_once('?').map_or("", |(_, query)| query);
    scheme.contains("versioned")
        || query.split('&').any(|pair| {
            pair.strip_prefix("versioned=")
                .is_some_and(|value| !value.eq_ignore_ascii_case("false"))
        })
}

impl Store {
    /// Connects, selects the namespace and database, and applies pending migrations.
    pub async fn connect(endpoint: &str) -> Result<(Self, EngineInfo)> {
        Self::connect_database(endpoint, DATABASE).await
    }

    /// [`Store::connect`] to another database than the deployment's: tests give every app
    /// its own database on one shared SurrealDB server.
    pub async fn connect_database(endpoint: &str, database: &str) -> Result<(Self, EngineInfo)> {
        let (store, info) = Self::open(endpoint, database).await?;
        migrations::apply(&store).await?;
        Ok((store, info))
    }

    /// Connects and selects the namespace and database; the schema is left as it is.
    async fn open(endpoint: &str, database: &str) -> Result<(Self, EngineInfo)> {
        if keeps_versions(endpoint) {
            return Err(StoreError::Database(
                "不能使用保留历史版本的存储（versioned）：它记下每次写入的时间，\
                 可据此推断征求意见和民主测评的填写人；请去掉 versioned 设置"
                    .into(),
            ));
        }
        let (effective, info) = effective_endpoint(endpoint);
        if info.engine == "surrealkv"
            && let Some(parent) = std::path::Path::new(&info.location).parent()
        {
            std::fs::create_dir_all(parent)
                .map_err(|error| StoreError::Database(error.to_string()))?;
        }
        let db = any::connect(effective).await?;
        // A SurrealDB server wants a sign-in; the embedded engines have no users to sign in as.
        let remote = matches!(info.engine.as_str(), "ws" | "wss" | "http" | "https");
        if let (true, Ok(username), Ok(password)) = (
            remote,
            std::env::var("XINGSHEN_DB_USER"),
            std::env::var("XINGSHEN_DB_PASS"),
        ) {
            db.signin(surrealdb::opt::auth::Root { username, password })
                .await?;
        }
        // Selecting a database defines it on first use. On a shared server several apps
        // defining theirs at once conflict, and SurrealDB answers that it can be retried.
        let mut retries = 0;
        loop {
            match db.use_ns(NAMESPACE).use_db(database).await {
                Ok(_) => break,
                Err(error) if retries < 5 && error.to_string().contains("can be retried") => {
                    retries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(25 * retries)).await;
                }
                Err(error) => return Err(error.into()),
            }
        }
        let lock_file = (info.engine == "surrealkv")
            .then(|| std::sync::Arc::from(std::path::Path::new(&info.location).join("LOCK")));
        Ok((
            Self {
                db: std::sync::Arc::new(db),
                lock_file,
                #[cfg(feature = "fault-injection")]
                faults: Default::default(),
            },
            info,
        ))
    }

    /// Closes the database and waits until it is closed. The embedded engine shuts down
    /// once its last handle is gone — it writes its in-memory tables to disk, syncs and
    /// trims the log and releases its lock — in a task of its own, which the end of the
    /// process would cut short; the next start would then replay the whole log (on the
    /// 10,000-member benchmark data: 1.4 s and 360 MB instead of 0.4 s and 65 MB).
    /// Durability does not depend on this: every commit was synced when it returned.
    ///
    /// Fails if a clone of this store is still alive (the engine stays open while any is),
    /// or if the shutdown has not finished within `patience`.
    pub async fn close(self, patience: std::time::Duration) -> Result<()> {
        let Self { db, lock_file, .. } = self;
        let db = std::sync::Arc::try_unwrap(db).map_err(|db| {
            StoreError::Database(format!(
                "cannot close the database: {} other handles are still in use",
                std::sync::Arc::strong_count(&db) - 1
            ))
        })?;
        drop(db);
        let Some(lock_file) = lock_file else {
            return Ok(());
        };
        let deadline = tokio::time::Instant::now() + patience;
        loop {
            // The engine holds an exclusive `flock` on its lock file until its very last
            // shutdown step; another open file description gets it only after that.
            let file = std::fs::File::open(&*lock_file).map_err(|error| {
                StoreError::Database(format!("{}: {error}", lock_file.display()))
            })?;
            if file.try_lock().is_ok() {
                return Ok(());
            }
            if tokio::time::Instant::now() >= deadline {
                return Err(StoreError::Database(format!(
                    "the database did not finish closing within {patience:?}"
                )));
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    /// An in-memory store with the schema applied, for tests.
    pub async fn in_memory() -> Result<Self> {
        Ok(Self::connect("mem://").await?.0)
    }

    pub(crate) fn db(&self) -> &Surreal<Any> {
        &self.db
    }

    /// Every query of the store goes through here. In test builds with fault injection a
    /// share of them fails before reaching the database, or waits first.
    pub(crate) async fn run(
        &self,
        query: surrealdb::method::Query<'_, Any>,
    ) -> Result<surrealdb::IndexedResults> {
        #[cfg(feature = "fault-injection")]
        return self.run_with_faults(query).await;
        #[cfg(not(feature = "fault-injection"))]
        run(query).await
    }

    /// Every row of a table as JSON, record ids included: for inspection, backups and
    /// tests that prove what the database does (and does not) hold.
    pub async fn table_json(&self, table: &str) -> Result<Vec<serde_json::Value>> {
        let rows: Vec<surrealdb::types::Value> = self
            .run(
                self.db
                    .query("SELECT * FROM type::table($table)")
                    .bind(("table", table.to_string())),
            )
            .await?
            .take(0)?;
        Ok(rows.into_iter().map(|row| row.into_json_value()).collect())
    }
}

/// Runs a query and surfaces the first real statement error. Inside `BEGIN … COMMIT` the
/// statements around a failure report "not executed" / "cancelled", which would hide the
/// cause, so those are skipped when looking for it.
pub(crate) async fn run(
    query: surrealdb::method::Query<'_, Any>,
) -> Result<surrealdb::IndexedResults> {
    let mut response = query.await?;
    let mut errors: Vec<_> = response.take_errors().into_iter().collect();
    if errors.is_empty() {
        return Ok(response);
    }
    errors.sort_by_key(|(index, _)| *index);
    let cause = errors
        .iter()
        .find(|(_, error)| {
            !matches!(
                error.query_details(),
                Some(QueryError::NotExecuted | QueryError::Cancelled)
            )
        })
        .unwrap_or(&errors[0]);
    Err(cause.1.clone().into())
}

/// A record id built from a table and the key the app hands around as a plain string.
pub(crate) fn record(table: &str, key: &str) -> RecordId {
    RecordId::new(table, key.to_string())
}

/// A fresh random key for a new record (20 lowercase alphanumerics, URL-safe).
pub(crate) fn new_key() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// A row of `SELECT count() AS count … GROUP ALL`.
#[derive(Debug, SurrealValue)]
pub(crate) struct CountRow {
    pub count: i64,
}

/// The plan of a query ending in `EXPLAIN`, as JSON, checked to read `index` (alone or
/// with another) and never
/// scan its table; printed when `XINGSHEN_EXPLAIN` is set (docs/BENCHMARKS.md). For the
/// tests that hold lookups to their indexes.
#[cfg(test)]
pub(crate) async fn assert_index_plan(
    store: &Store,
    label: &str,
    query: surrealdb::method::Query<'_, Any>,
    index: &str,
) -> String {
    let plan: Option<surrealdb::types::Value> = store.run(query).await.unwrap().take(0).unwrap();
    let plan = plan.unwrap().into_json_value().to_string();
    if std::env::var_os("XINGSHEN_EXPLAIN").is_some() {
        println!("{label}\n=> {plan}\n");
    }
    // An index read: one index, or several intersected (`BitmapIndexScan` under a
    // `BitmapAnd`, as for meeting × state).
    assert!(
        plan.contains("\"operator\":\"IndexScan\"")
            || plan.contains("\"operator\":\"BitmapIndexScan\""),
        "{plan}"
    );
    assert!(plan.contains(&format!("\"index\":\"{index}\"")), "{plan}");
    assert!(!plan.contains("TableScan"), "{plan}");
    plan
}

/// [`assert_index_plan`] for a query with one record parameter.
#[cfg(test)]
pub(crate) async fn assert_index_lookup(
    store: &Store,
    query: &'static str,
    name: &'static str,
    key: surrealdb::types::RecordId,
    index: &str,
) {
    let bound = store.db().query(query).bind((name, key));
    assert_index_plan(store, query, bound, index).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrealkv_endpoints_get_an_explicit_sync_mode() {
        let (effective, info) = effective_endpoint("surrealkv://data/x.db");
        assert_eq!(effective, "surrealkv://data/x.db?sync=every");
        assert_eq!(info.sync, "every");
        assert_eq!(info.location, "data/x.db");
        let (effective, info) = effective_endpoint("surrealkv://data/x.db?sync=never");
        assert_eq!(effective, "surrealkv://data/x.db?sync=never");
        assert_eq!(info.sync, "never");
        let (effective, _) = effective_endpoint("ws://db:8000");
        assert_eq!(effective, "ws://db:8000");
    }

    /// SurrealDB 3.3 reads a subquery's whole table once per outer row when it filters on
    /// `$parent.id` (migration 0011 has the functions to use instead).
    #[test]
    fn no_query_filters_a_subquery_on_its_parent() {
        // Every file of the store, read from disk, so a new one is covered too.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut paths = vec![root.join("store.rs")];
        paths.extend(
            std::fs::read_dir(root.join("store"))
                .unwrap()
                .map(|entry| entry.unwrap().path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "rs")),
        );
        assert!(paths.len() > 10, "the store's files: {paths:?}");
        let sources: Vec<String> = paths
            .iter()
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect();
        let parent = ["$", "parent"].concat();
        for (path, source) in paths.iter().zip(&sources) {
            assert!(
                !source
                    .lines()
                    .any(|line| line.contains(&parent) && !line.trim_start().starts_with("//")),
                "a query in {path:?} filters on {parent}"
            );
        }
    }

    #[test]
    fn unique_violations_become_user_messages() {
        let message =
            "Database index `user_login` already contains 'zhang', with record `user:abc`";
        assert_eq!(violated_unique_index(message), Some("user_login"));
        assert_eq!(
            violated_unique_index("Database record `t:1` already exists"),
            None
        );
    }

    fn scratch_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "xingshen-{name}-{}-{}",
            std::process::id(),
            chrono::Utc::now().timestamp_nanos_opt().unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn table_files(database: &std::path::Path) -> usize {
        std::fs::read_dir(database.join("sstables")).map_or(0, |dir| dir.count())
    }

    /// A clean close moves what the log holds into tables: while the store is open a small
    /// write lives only in the log and in memory, after `close` it is in a table file, the
    /// lock is free, and the data opens again.
    #[test]
    fn engines_that_keep_versions_are_recognised() {
        assert!(keeps_versions("surrealkv://data/x.db?versioned=true"));
        assert!(keeps_versions(
            "surrealkv://data/x.db?sync=every&versioned=1"
        ));
        assert!(keeps_versions("surrealkv+versioned://data/x.db"));
        assert!(!keeps_versions("surrealkv://data/x.db?versioned=false"));
        assert!(!keeps_versions("surrealkv://data/x.db?sync=every"));
        assert!(!keeps_versions("mem://"));
        assert!(!keeps_versions("ws://127.0.0.1:8000"));
    }

    /// A versioned engine could replay the database between two answers and tie each
    /// respondent to what they wrote: it is refused before anything is opened.
    #[tokio::test]
    async fn a_versioned_engine_is_refused_because_it_would_date_every_answer() {
        let dir = scratch_dir("versioned");
        let database = dir.join("xingshen.db");
        let endpoint = format!("surrealkv://{}?versioned=true", database.display());
        let refused = Store::connect(&endpoint).await;
        assert!(
            matches!(&refused, Err(StoreError::Database(message)) if message.contains("versioned")),
            "{:?}",
            refused.as_ref().err()
        );
        assert!(!database.exists(), "nothing was created");
    }

    #[tokio::test]
    async fn closing_an_embedded_store_writes_its_tables_and_releases_the_directory() {
        let dir = scratch_dir("close");
        let database = dir.join("xingshen.db");
        let endpoint = format!("surrealkv://{}", database.display());
        let (store, _) = Store::connect(&endpoint).await.unwrap();
        store.create_org("关闭测试单位").await.unwrap();
        assert_eq!(
            table_files(&database),
            0,
            "a small write is not in a table yet"
        );

        store
            .close(std::time::Duration::from_secs(30))
            .await
            .unwrap();
        assert!(table_files(&database) > 0, "the close wrote no table");
        let lock = std::fs::File::open(database.join("LOCK")).unwrap();
        assert!(lock.try_lock().is_ok(), "the engine still holds its lock");
        drop(lock);

        let (store, _) = Store::connect(&endpoint).await.unwrap();
        let names: Vec<String> = store
            .list_orgs()
            .await
            .unwrap()
            .into_iter()
            .map(|org| org.name)
            .collect();
        assert_eq!(names, ["关闭测试单位"]);
        store
            .close(std::time::Duration::from_secs(30))
            .await
            .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// The engine stays open while any handle is alive, so closing with a clone still
    /// around is refused, and the clone goes on working.
    #[tokio::test]
    async fn a_store_is_not_closed_while_a_clone_is_in_use() {
        let dir = scratch_dir("close-clone");
        let database = dir.join("xingshen.db");
        let (store, _) = Store::connect(&format!("surrealkv://{}", database.display()))
            .await
            .unwrap();
        let clone = store.clone();
        let refused = store.close(std::time::Duration::from_secs(1)).await;
        assert!(
            matches!(&refused, Err(StoreError::Database(message)) if message.contains("1 other handles")),
            "{refused:?}"
        );
        clone.create_org("仍可写入").await.unwrap();
        clone
            .close(std::time::Duration::from_secs(30))
            .await
            .unwrap();
        let _ = std::fs::remove_dir_all(&dir);
    }
}
