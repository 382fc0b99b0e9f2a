//! A database that is down answers 503 with `Retry-After` and a problem body, never 500, and the
//! service recovers by itself when the database is back. (PostgreSQL: an embedded SQLite file
//! cannot be taken away from a running process.)
mod common;

use common::{backends, each_backend, Db, Server, M};

fn admin_sql(sql: &str) {
    use diesel::connection::SimpleConnection;
    use diesel::Connection;
    let url = std::env::var("TEST_DATABASE_URL").unwrap();
    let mut c = diesel::PgConnection::establish(&url).expect("admin connection");
    c.batch_execute(sql).expect(sql);
}

#[test]
fn a_database_that_is_down_answers_503() {
    if !backends().contains(&Db::Postgres) {
        eprintln!("PostgreSQL not configured: skipped");
        return;
    }
    let s = Server::start(Db::Postgres);
    let fin = s.client("finance", M);
    fin.account_id("1000");
    let db = s.database_url.rsplit('/').next().unwrap().to_string();
    admin_sql(&format!(
        "ALTER DATABASE {db} ALLOW_CONNECTIONS false; \
         SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}';"
    ));
    let r = fin.get("/v1/accounts");
    r.problem(503, "service_unavailable");
    assert!(r.header("retry-after").is_some(), "{:?}", r.headers);
    admin_sql(&format!("ALTER DATABASE {db} ALLOW_CONNECTIONS true;"));
    let mut back = false;
    for _ in 0..50 {
        if fin.get("/v1/accounts").status == 200 {
            back = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert!(
        back,
        "the service did not recover when the database came back"
    );
}

/// PostgreSQL over TLS (`sslmode=require` in `DATABASE_URL`): the service connects encrypted.
/// Runs where the test cluster speaks TLS (`scripts/test.sh` sets `TEST_DATABASE_TLS=1`).
#[test]
fn postgres_over_tls() {
    if std::env::var("TEST_DATABASE_TLS").is_err() || !backends().contains(&Db::Postgres) {
        eprintln!("no TLS-enabled PostgreSQL configured: skipped");
        return;
    }
    let admin = std::env::var("TEST_DATABASE_URL").unwrap();
    let name = format!("t_{}", uuid::Uuid::new_v4().simple());
    let url = ledger::store::create_postgres_database(&admin, &name).unwrap();
    let s = Server::start_url(Db::Postgres, &format!("{url}?sslmode=require"));
    let fin = s.client("finance", M);
    assert_eq!(fin.get("/v1/accounts").status, 200);
    use diesel::{Connection, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut c = diesel::PgConnection::establish(&admin).unwrap();
    let encrypted: N = diesel::sql_query(format!(
        "SELECT count(*) AS n FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) \
         WHERE datname = '{name}' AND ssl"
    ))
    .get_result(&mut c)
    .unwrap();
    assert!(
        encrypted.n >= 1,
        "the service's connections are not encrypted"
    );
}

/// Every connection of the pool is held (two requests wait on a lock another session holds): the
/// next request gets no connection within the pool's 5 s and answers 503 with `Retry-After`, not
/// 500; the waiting requests finish once the lock is released. (PostgreSQL: a table lock from
/// another session is how a test holds connections; SQLite has no such lock to take from outside.)
#[test]
fn an_exhausted_pool_answers_503() {
    if !backends().contains(&Db::Postgres) {
        eprintln!("PostgreSQL not configured: skipped");
        return;
    }
    let s = Server::start_with(
        Db::Postgres,
        &[("JWT_SECRET", common::SECRET), ("DB_POOL_SIZE", "2")],
    );
    let fin = s.client("finance", M);
    fin.account_id("1000");
    let url = s.database_url.clone();
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    std::thread::scope(|sc| {
        sc.spawn(move || {
            use diesel::connection::SimpleConnection;
            use diesel::Connection;
            let mut c = diesel::PgConnection::establish(&url).expect("connection");
            c.batch_execute("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;")
                .expect("lock");
            locked_tx.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_secs(9));
            c.batch_execute("ROLLBACK;").expect("release");
        });
        locked_rx.recv().unwrap();
        let waiting: Vec<_> = (0..2)
            .map(|_| {
                let c = fin.clone();
                sc.spawn(move || c.get("/v1/accounts").status)
            })
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(800));
        let r = fin.get("/v1/accounts");
        r.problem(503, "service_unavailable");
        assert!(r.header("retry-after").is_some(), "{:?}", r.headers);
        for w in waiting {
            assert_eq!(w.join().unwrap(), 200);
        }
    });
    assert_eq!(fin.get("/v1/accounts").status, 200);
}

/// A request stuck behind a lock another session holds answers 503 with `Retry-After` when the
/// request's time-out runs out (`REQUEST_TIMEOUT_SECS`, here 2 s): the database's own lock and
/// statement time-outs lie above it, so their errors never reach the client as a 500. Nothing was
/// booked: the same request with the same key books once the lock is gone.
#[test]
fn a_request_stuck_on_a_lock_answers_503_not_500() {
    each_backend(|s| {
        let slow = Server::start_with(
            s.db,
            &[
                ("JWT_SECRET", common::SECRET),
                ("REQUEST_TIMEOUT_SECS", "2"),
            ],
        );
        let fin = slow.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let url = slow.database_url.clone();
        let db = slow.db;
        let (locked_tx, locked_rx) = std::sync::mpsc::channel();
        let k = common::key();
        std::thread::scope(|sc| {
            sc.spawn(move || {
                use diesel::connection::SimpleConnection;
                use diesel::Connection;
                let hold = std::time::Duration::from_secs(6);
                match db {
                    Db::Postgres => {
                        let mut c = diesel::PgConnection::establish(&url).expect("connection");
                        c.batch_execute("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE;")
                            .expect("lock");
                        locked_tx.send(()).unwrap();
                        std::thread::sleep(hold);
                        c.batch_execute("ROLLBACK;").expect("release");
                    }
                    Db::Sqlite => {
                        let mut c = diesel::SqliteConnection::establish(&url).expect("connection");
                        c.batch_execute("BEGIN EXCLUSIVE;").expect("lock");
                        locked_tx.send(()).unwrap();
                        std::thread::sleep(hold);
                        c.batch_execute("ROLLBACK;").expect("release");
                    }
                }
            });
            locked_rx.recv().unwrap();
            let t = std::time::Instant::now();
            let r = fin.entry(&k, "2025-05-01", &bank, &eq, "10.00");
            r.problem(503, "service_unavailable");
            assert!(r.header("retry-after").is_some(), "{:?}", r.headers);
            assert!(
                t.elapsed() < std::time::Duration::from_secs(5),
                "{:?}",
                t.elapsed()
            );
        });
        // The lock is gone and the stuck transaction has given up: the same request books once.
        std::thread::sleep(std::time::Duration::from_secs(1));
        fin.entry(&k, "2025-05-01", &bank, &eq, "10.00").ok(201);
        assert_eq!(fin.account(&bank)["debits"], "10.00");
    });
}
