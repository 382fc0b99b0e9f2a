//! Persistence: one diesel code base for SQLite (embedded default) and PostgreSQL, one file per
//! table family. The store records and reads; it never decides.

/// Runs the same diesel code on the concrete connection, for what the multi-backend cannot
/// express (batch inserts).
macro_rules! on_backend {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            $crate::store::DbConnection::Pg($c) => $body,
            $crate::store::DbConnection::Sqlite($c) => $body,
        }
    };
}
pub(crate) use on_backend;

pub mod accounts;
pub mod agreements;
pub mod bank;
pub mod bank_movements;
pub mod batch;
pub mod budgets;
pub mod cases;
pub mod chain;
pub mod clawbacks;
pub mod decisions;
mod error;
pub mod expense_facts;
pub mod expenses;
pub mod idempotency;
pub mod imports;
pub mod journal;
pub mod journal_reads;
pub mod journal_sums;
pub mod lost_earnings;
pub mod mappings;
pub mod payables;
pub mod payroll;
pub mod periods;
pub mod rates;
pub mod schema;
pub mod set_offs;
pub mod settings;
pub mod settlements;
mod sql;
mod sqlite;
pub mod stripes;

pub use error::{known, StoreError, StoreResult};

use crate::error::{Error, Result};
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool};
use diesel::{Connection, PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
pub(crate) use sqlite::insert_chunked;
pub use sqlite::SQLITE_MEMORY;
use sqlite::{configure_sqlite, SqlitePragmas};
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// The transaction a command runs in.
pub type Tx = DbConnection;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `establish` on a multi-connection would accept any string as a SQLite path, so the
    /// backend is chosen from the URL scheme here.
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

/// How long the database waits for a lock and lets a statement run. They lie just above the
/// request's own time-out (`REQUEST_TIMEOUT_SECS`, 30 s by default): a request that waits that
/// long has already answered 503 with `Retry-After` by the time the database gives up, so a
/// client never sees a 500 for a lock or a statement that took too long (diesel reports these
/// without a kind the service could tell apart, and the service does not read error messages).
/// The connection is free again a few seconds later, never minutes.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// PostgreSQL's `lock_timeout` and SQLite's busy time-out.
    pub lock: Duration,
    /// PostgreSQL's `statement_timeout`.
    pub statement: Duration,
}

impl Timeouts {
    /// The time-outs for requests answered within `request`.
    pub fn above(request: Duration) -> Timeouts {
        Timeouts {
            lock: request + Duration::from_secs(2),
            statement: request + Duration::from_secs(5),
        }
    }
    /// The session's settings. READ COMMITTED is the session's default, said here once rather
    /// than at every write (a round trip each): every check that matters is made on rows locked in
    /// the transaction, so each statement must see the latest commit. Reads ask for REPEATABLE
    /// READ per transaction.
    fn pg_sql(&self) -> String {
        format!(
            "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED; \
             SET statement_timeout = '{}ms'; SET lock_timeout = '{}ms';",
            self.statement.as_millis(),
            self.lock.as_millis()
        )
    }
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts::above(Duration::from_secs(30))
    }
}

#[derive(Debug)]
struct PgSettings(Timeouts);

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for PgSettings {
    fn on_acquire(&self, conn: &mut DbConnection) -> std::result::Result<(), diesel::r2d2::Error> {
        conn.batch_execute(&self.0.pg_sql())
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

pub type DbPool = Pool<ConnectionManager<DbConnection>>;

/// The database and how to write to it safely on its backend.
#[derive(Clone)]
pub struct Store {
    pool: DbPool,
    backend: Backend,
    /// SQLite allows one writer: writers in this process queue here instead of failing with BUSY.
    write_lock: Arc<Mutex<()>>,
    timeouts: Timeouts,
}

fn unavailable(what: String) -> Error {
    Error::Store(StoreError::Unavailable(what))
}

impl Store {
    /// Opens (creating if needed) the database and applies every pending migration.
    pub fn open(url: &str, pool_size: u32) -> Result<Store> {
        Self::open_with(url, pool_size, Timeouts::default())
    }

    /// The same, with the time-outs of a service whose requests have another time-out.
    pub fn open_with(url: &str, pool_size: u32, timeouts: Timeouts) -> Result<Store> {
        let backend = Backend::of_url(url);
        let url = match backend {
            Backend::Sqlite => {
                configure_sqlite();
                let path = url.strip_prefix("sqlite://").unwrap_or(url);
                if let Some(dir) = std::path::Path::new(path).parent() {
                    if !dir.as_os_str().is_empty() {
                        std::fs::create_dir_all(dir).map_err(|e| {
                            unavailable(format!("cannot create {}: {e}", dir.display()))
                        })?;
                    }
                }
                path.to_string()
            }
            Backend::Postgres => url.to_string(),
        };
        let manager = ConnectionManager::<DbConnection>::new(url);
        // No `SELECT 1` at every check-out (a round trip per request): a connection the server
        // dropped fails its first statement, is marked broken and is replaced, and the request
        // answers 503 like any outage; r2d2 still drops connections found broken on return.
        let mut builder = Pool::builder()
            .max_size(pool_size)
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(5));
        builder = match backend {
            Backend::Sqlite => builder.connection_customizer(Box::new(SqlitePragmas(timeouts))),
            Backend::Postgres => builder.connection_customizer(Box::new(PgSettings(timeouts))),
        };
        let pool = builder
            .build(manager)
            .map_err(|e| unavailable(format!("cannot connect to the database: {e}")))?;
        let store = Store {
            pool,
            backend,
            write_lock: Arc::new(Mutex::new(())),
            timeouts,
        };
        store.migrate()?;
        Ok(store)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    fn migrate(&self) -> Result<()> {
        let _guard = self.write_lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut conn = self.pool.get()?;
        let res = match &mut *conn {
            DbConnection::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|_| ()),
            DbConnection::Pg(c) => {
                // Several service processes may start at once on one database: take a lock. A
                // migration may take longer than a request is allowed to: no time-outs here.
                c.batch_execute("SET statement_timeout = 0; SET lock_timeout = 0")?;
                c.batch_execute("SELECT pg_advisory_lock(8585001)")?;
                let r = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
                c.batch_execute("SELECT pg_advisory_unlock(8585001)")?;
                c.batch_execute(&self.timeouts.pg_sql())?;
                r
            }
        };
        res.map_err(|e| unavailable(format!("migration failed: {e}")))
    }

    /// Readiness: the database answers and no migration is pending.
    pub fn ready(&self) -> Result<()> {
        let mut conn = self.pool.get()?;
        let pending = match &mut *conn {
            DbConnection::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
            DbConnection::Pg(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
        }
        .map_err(|e| unavailable(format!("database not ready: {e}")))?;
        if pending {
            return Err(unavailable("migrations pending".into()));
        }
        Ok(())
    }

    /// Reads in one snapshot: on PostgreSQL a repeatable-read, read-only transaction, so that
    /// a report (verify, trial balance, a budget year) never mixes two states of the books.
    pub fn read<T>(&self, f: impl FnOnce(&mut DbConnection) -> Result<T>) -> Result<T> {
        let mut conn = self.pool.get()?;
        conn.transaction(|c| {
            if let DbConnection::Pg(pg) = &mut **c {
                pg.batch_execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")?;
            }
            f(c)
        })
    }

    /// Writes in one transaction: all or nothing. On PostgreSQL a serialization failure is
    /// retried; on SQLite writers in this process are serialized.
    pub fn write<T>(&self, mut f: impl FnMut(&mut DbConnection) -> Result<T>) -> Result<T> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let res = {
                let _guard = match self.backend {
                    Backend::Sqlite => {
                        Some(self.write_lock.lock().unwrap_or_else(|p| p.into_inner()))
                    }
                    Backend::Postgres => None,
                };
                let mut conn = self.pool.get()?;
                match self.backend {
                    Backend::Sqlite => immediate_transaction(&mut conn, &mut f),
                    // READ COMMITTED, the session's default (see `Timeouts::pg_sql`).
                    Backend::Postgres => conn.transaction(|c| f(c)),
                }
            };
            match res {
                Err(Error::Store(StoreError::SerializationFailure(_))) if attempt < 8 => {
                    std::thread::sleep(Duration::from_millis(3 * attempt));
                }
                other => return other,
            }
        }
    }

    /// A pooled connection outside any transaction (for tools such as the benchmark).
    pub fn pool_conn(
        &self,
    ) -> Result<diesel::r2d2::PooledConnection<ConnectionManager<DbConnection>>> {
        Ok(self.pool.get()?)
    }
}

/// A SQLite write transaction that takes the write lock at BEGIN (`BEGIN IMMEDIATE`), so that a
/// writer in another process waits on the busy timeout instead of failing when it upgrades a read
/// lock. The multi-connection delegates transaction state to the inner connection, so beginning
/// there and committing through the outer connection keeps diesel's bookkeeping consistent.
fn immediate_transaction<T>(
    conn: &mut DbConnection,
    f: &mut impl FnMut(&mut DbConnection) -> Result<T>,
) -> Result<T> {
    use diesel::connection::TransactionManager;
    type Manager = <DbConnection as Connection>::TransactionManager;
    begin_write(conn)?;
    match f(conn) {
        Ok(v) => match Manager::commit_transaction(conn) {
            Ok(()) => Ok(v),
            Err(e) => {
                let _ = Manager::rollback_transaction(conn);
                Err(e.into())
            }
        },
        Err(e) => {
            Manager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// Throws away what the caller's write transaction has written and goes on in a fresh one (on
/// SQLite taking the write lock again at once). For a long bulk write that books all or nothing
/// but keeps its report of why not: cheaper than a savepoint, whose journal on SQLite copies
/// every page the bulk write touches. Only for the outermost transaction (`Store::write`'s).
pub fn start_over(conn: &mut DbConnection) -> StoreResult<()> {
    use diesel::connection::TransactionManager;
    type Manager = <DbConnection as Connection>::TransactionManager;
    let depth = Manager::transaction_manager_status_mut(conn).transaction_depth()?;
    if depth.map(|d| d.get()) != Some(1) {
        return Err(StoreError::Corrupt(format!(
            "start_over needs the outermost transaction, not depth {depth:?}"
        )));
    }
    Manager::rollback_transaction(conn)?;
    begin_write(conn)
}

/// Begins a write transaction: on SQLite with the write lock taken at once (see
/// `immediate_transaction`).
fn begin_write(conn: &mut DbConnection) -> StoreResult<()> {
    use diesel::connection::{AnsiTransactionManager, TransactionManager};
    type Manager = <DbConnection as Connection>::TransactionManager;
    match conn {
        DbConnection::Sqlite(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?
        }
        DbConnection::Pg(_) => Manager::begin_transaction(conn)?,
    }
    Ok(())
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// The time of a record, to the microsecond both backends store (so a response built in memory
/// shows exactly what a later read returns).
pub fn now() -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    chrono::Utc::now().naive_utc().trunc_subsecs(6)
}

/// Creates a fresh PostgreSQL database next to the one `admin_url` names and returns its URL
/// (for tests and benchmarks that each need a clean database).
pub fn create_postgres_database(admin_url: &str, name: &str) -> Result<String> {
    if !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return Err(unavailable(
            "database names are letters, digits and _".into(),
        ));
    }
    let mut c = PgConnection::establish(admin_url)
        .map_err(|e| unavailable(format!("cannot connect to {admin_url}: {e}")))?;
    c.batch_execute(&format!("CREATE DATABASE {name}"))?;
    let base = admin_url.split('?').next().unwrap_or(admin_url);
    let cut = base
        .rfind('/')
        .filter(|i| *i > base.find("://").map(|s| s + 2).unwrap_or(0));
    Ok(match cut {
        Some(i) => format!("{}/{name}", &base[..i]),
        None => format!("{base}/{name}"),
    })
}
