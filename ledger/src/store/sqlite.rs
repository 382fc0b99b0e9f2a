//! SQLite's side of the store: the process-wide settings made before its first connection, each
//! connection's PRAGMAs, and the fixed-size multi-row inserts of the bulk paths.
use super::{DbConnection, Timeouts};
use diesel::connection::SimpleConnection;
use diesel::r2d2::CustomizeConnection;

/// Inserts the rows of a slice on SQLite in statements of `$n` rows each, the rest one by one.
/// A fixed number of rows makes one statement text that diesel prepares once per connection and
/// then reuses; a statement of however many rows are left would be parsed again every time.
macro_rules! insert_chunked {
    ($lite:expr, $table:expr, $rows:expr, $n:literal) => {{
        let mut chunks = $rows.chunks_exact($n);
        for chunk in &mut chunks {
            let rows: &[_; $n] = chunk.try_into().expect("chunks_exact gives whole chunks");
            diesel::insert_into($table).values(rows).execute($lite)?;
        }
        for row in chunks.remainder() {
            diesel::insert_into($table).values(row).execute($lite)?;
        }
    }};
}
pub(crate) use insert_chunked;

#[derive(Debug)]
pub(super) struct SqlitePragmas(pub(super) Timeouts);

/// Every SQLite connection's page cache and memory map (see `SqlitePragmas`), as PRAGMAs; an
/// import that changes them for its run sets them back with this.
pub const SQLITE_MEMORY: &str = "PRAGMA cache_size = -16384; PRAGMA mmap_size = 67108864;";

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> std::result::Result<(), diesel::r2d2::Error> {
        // A page cache of 16 MiB per connection (SQLite's default is 2 MiB, which a batch of
        // 10,000 entries and their indexes overflows many times) and the file mapped into memory
        // rather than copied in by read calls: both measured in the batch benchmark.
        conn.batch_execute(&format!(
            "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; {SQLITE_MEMORY}",
            self.0.lock.as_millis()
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// SQLite's process-wide settings, made once before its first connection opens (later they
/// cannot be changed, and a call then changes nothing). The pool hands each connection to one
/// thread at a time, so SQLite need not lock every call on a connection (multi-thread mode);
/// and it need not count its memory under a global lock on every allocation. Together those
/// locks were a tenth of an import's time in the profile.
#[allow(unsafe_code)]
pub(super) fn configure_sqlite() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use libsqlite3_sys as ffi;
        // SAFETY: `sqlite3_config` takes these options with these argument types, and it is
        // called before any connection of this process is opened (or answers SQLITE_MISUSE
        // and changes nothing, which is only slower).
        unsafe {
            ffi::sqlite3_config(ffi::SQLITE_CONFIG_MULTITHREAD);
            ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as std::ffi::c_int);
        }
    });
}
