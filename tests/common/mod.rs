//! Black-box harness: starts the real service binary on a free port against a fresh database
//! and talks HTTP to it.
#![allow(dead_code)]
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

pub mod bank;
pub mod books;
pub mod browser;
pub mod home_training;
pub mod lost_earnings;

pub const SECRET: &str = "black-box-test-secret";

/// The municipality most tests act in, and another one that must see none of it.
pub const M: &str = "101";
pub const OTHER: &str = "147";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// SQLite always; PostgreSQL too when TEST_DATABASE_URL is set.
pub fn backends() -> Vec<Db> {
    let mut v = vec![Db::Sqlite];
    if std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        v.push(Db::Postgres);
    }
    v
}

/// Runs `f` against a fresh server on every available backend.
pub fn each_backend(f: impl Fn(&Server)) {
    for db in backends() {
        let s = Server::start(db);
        eprintln!("-- backend {db:?}");
        f(&s);
    }
}

pub struct Server {
    pub base: String,
    pub db: Db,
    pub database_url: String,
    child: Child,
    _dir: Option<tempfile::TempDir>,
    /// The process's data directory (its generated secret, if any); removed with the server.
    _data: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn spawn_with(database_url: &str, env: &[(&str, &str)]) -> (Child, String, tempfile::TempDir) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_api"));
    // A data directory of its own, unless the test gives one: no test shares a generated secret.
    let data = tempfile::tempdir().unwrap();
    cmd.env("DATA_DIR", data.path())
        .env_remove("JWT_SECRET")
        .env("BIND", "127.0.0.1:0")
        .env("DATABASE_URL", database_url)
        .env("DB_POOL_SIZE", "6")
        .env("WORKERS", "2")
        .env("RUST_LOG", "warn");
    // The test's own environment last, so it may override the defaults above.
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the api binary");
    let stdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("read the listening line");
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("server did not start: {line:?}"));
    (child, addr.to_string(), data)
}

impl Server {
    pub fn start(db: Db) -> Server {
        Self::start_with(db, &[("JWT_SECRET", SECRET)])
    }

    /// A server with its own environment (e.g. another JWT key).
    pub fn start_with(db: Db, env: &[(&str, &str)]) -> Server {
        match db {
            Db::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let url = dir.path().join("test.sqlite").to_string_lossy().to_string();
                let (child, base, data) = spawn_with(&url, env);
                Server {
                    base,
                    db,
                    database_url: url,
                    child,
                    _dir: Some(dir),
                    _data: data,
                }
            }
            Db::Postgres => {
                let admin = std::env::var("TEST_DATABASE_URL").unwrap();
                let name = format!("t_{}", uuid::Uuid::new_v4().simple());
                let url = ledger::store::create_postgres_database(&admin, &name)
                    .expect("create test database");
                let (child, base, data) = spawn_with(&url, env);
                Server {
                    base,
                    db,
                    database_url: url,
                    child,
                    _dir: None,
                    _data: data,
                }
            }
        }
    }

    /// A server on a database URL of the test's own making (e.g. with TLS parameters).
    pub fn start_url(db: Db, database_url: &str) -> Server {
        let (child, base, data) = spawn_with(database_url, &[("JWT_SECRET", SECRET)]);
        Server {
            base,
            db,
            database_url: database_url.to_string(),
            child,
            _dir: None,
            _data: data,
        }
    }

    /// Stops the process at once (SIGKILL), as a crash would.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A second service process on the same database.
    pub fn another_process(&self) -> Server {
        self.another_process_with(&[("JWT_SECRET", SECRET)])
    }

    /// A second service process on the same database, with its own environment.
    pub fn another_process_with(&self, env: &[(&str, &str)]) -> Server {
        let (child, base, data) = spawn_with(&self.database_url, env);
        Server {
            base,
            db: self.db,
            database_url: self.database_url.clone(),
            child,
            _dir: None,
            _data: data,
        }
    }

    pub fn client(&self, role: &str, municipality: &str) -> Client {
        Client {
            base: self.base.clone(),
            token: Some(token(role, municipality)),
            agent: agent(),
        }
    }

    pub fn anonymous(&self) -> Client {
        Client {
            base: self.base.clone(),
            token: None,
            agent: agent(),
        }
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .timeout(Duration::from_secs(60))
        .build()
}

pub fn token(role: &str, municipality: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = serde_json::json!({ "sub": format!("test-{role}"), "role": role, "municipality": municipality, "exp": now + 3600 });
    jwt(&claims, SECRET)
}

pub fn jwt(claims: &Value, secret: &str) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub body: Value,
    pub content_type: String,
    pub headers: Vec<(String, String)>,
}

impl Resp {
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Asserts a problem+json rejection with this status and code.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> &Self {
        assert_eq!(self.status, status, "status of {:?}", self.body);
        assert_eq!(self.code(), code, "code of {:?}", self.body);
        assert!(
            self.content_type.starts_with("application/problem+json"),
            "content type {}",
            self.content_type
        );
        assert!(
            self.body["detail"].as_str().is_some_and(|d| !d.is_empty()),
            "detail in {:?}",
            self.body
        );
        self
    }
    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "unexpected response {:?}", self.body);
        &self.body
    }
}

#[derive(Clone)]
pub struct Client {
    pub base: String,
    pub token: Option<String>,
    agent: ureq::Agent,
}

impl Client {
    pub fn with_token(&self, token: &str) -> Client {
        Client {
            token: Some(token.to_string()),
            ..self.clone()
        }
    }

    pub fn request(
        &self,
        method: &str,
        path: &str,
        body: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut r = self
            .agent
            .request(method, &format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            r = r.set("Authorization", &format!("Bearer {t}"));
        }
        for (k, v) in headers {
            r = r.set(k, v);
        }
        let res = match body {
            Some(b)
                if headers
                    .iter()
                    .any(|(k, _)| k.eq_ignore_ascii_case("content-type")) =>
            {
                r.send_string(b)
            }
            Some(b) => r.set("Content-Type", "application/json").send_string(b),
            None => r.call(),
        };
        let resp = match res {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{method} {path}: transport error {e}"),
        };
        let status = resp.status();
        let content_type = resp.header("content-type").unwrap_or("").to_string();
        let headers = resp
            .headers_names()
            .iter()
            .map(|n| (n.clone(), resp.header(n).unwrap_or("").to_string()))
            .collect();
        let text = resp.into_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            body,
            content_type,
            headers,
        }
    }

    /// A request with a body of bytes (a file that may not be UTF-8).
    pub fn send_bytes(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Resp {
        let mut r = self
            .agent
            .request(method, &format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            r = r.set("Authorization", &format!("Bearer {t}"));
        }
        for (k, v) in headers {
            r = r.set(k, v);
        }
        let resp = match r.send_bytes(body) {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{method} {path}: transport error {e}"),
        };
        let status = resp.status();
        let content_type = resp.header("content-type").unwrap_or("").to_string();
        let headers = resp
            .headers_names()
            .iter()
            .map(|n| (n.clone(), resp.header(n).unwrap_or("").to_string()))
            .collect();
        let text = resp.into_string().unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        Resp {
            status,
            body,
            content_type,
            headers,
        }
    }

    pub fn get(&self, path: &str) -> Resp {
        self.request("GET", path, None, &[])
    }

    pub fn post(&self, path: &str, body: &Value) -> Resp {
        self.request("POST", path, Some(&body.to_string()), &[])
    }

    /// A money-moving POST with its Idempotency-Key.
    pub fn post_idem(&self, path: &str, key: &str, body: &Value) -> Resp {
        self.request(
            "POST",
            path,
            Some(&body.to_string()),
            &[("Idempotency-Key", key)],
        )
    }

    pub fn account_id(&self, code: &str) -> String {
        let r = self.get(&format!("/v1/accounts?code={code}"));
        r.ok(200)["items"][0]["id"]
            .as_str()
            .unwrap_or_else(|| panic!("account {code}: {:?}", r.body))
            .to_string()
    }

    pub fn account(&self, id: &str) -> Value {
        self.get(&format!("/v1/accounts/{id}")).ok(200).clone()
    }

    pub fn create_account(&self, code: &str, kind: &str, constraint: &str) -> String {
        let r = self.post("/v1/accounts", &serde_json::json!({"code": code, "name": format!("Test {code}"), "kind": kind, "constraint": constraint}));
        r.ok(201)["id"].as_str().unwrap().to_string()
    }

    /// Books a two-leg manual entry and returns the response.
    pub fn entry(&self, key: &str, date: &str, debit: &str, credit: &str, amount: &str) -> Resp {
        self.post_idem(
            "/v1/journal-entries",
            key,
            &serde_json::json!({
                "effective_date": date,
                "description": format!("test entry {key}"),
                "postings": [{"account_id": debit, "debit": amount}, {"account_id": credit, "credit": amount}]
            }),
        )
    }

    pub fn verify_clean(&self, municipality: &str) {
        let c = Client {
            token: Some(token("controller", municipality)),
            ..self.clone()
        };
        let r = c.post("/v1/ledger/verify", &serde_json::json!({}));
        let v = r.ok(200);
        assert_eq!(v["ok"], true, "verify: {v}");
        assert_eq!(v["mismatches"].as_array().map(|a| a.len()), Some(0));
    }
}

/// A raw connection to a server's database, behind the service's back: for tests that try what
/// only the database itself can refuse.
pub fn raw_sql(server: &Server, sql: &str) -> Result<(), String> {
    use diesel::connection::SimpleConnection;
    let store = ledger::store::Store::open(&server.database_url, 1).map_err(|e| e.to_string())?;
    let mut conn = store.pool_conn().map_err(|e| e.to_string())?;
    conn.batch_execute(sql).map_err(|e| e.to_string())
}

/// Waits until every entry of the municipality has its voucher number (the sealer runs a few
/// times a second) and returns the sealed entries in `seq` order, paging by `after_seq`.
pub fn sealed_journal(c: &Client, expected: usize) -> Vec<Value> {
    for _ in 0..100 {
        let mut all = vec![];
        let mut after = 0;
        loop {
            let page = c.get(&format!("/v1/journal-entries?after_seq={after}&limit=500"));
            let items = page.ok(200)["items"].as_array().unwrap().clone();
            if items.is_empty() {
                break;
            }
            after = items.last().unwrap()["seq"].as_i64().unwrap();
            all.extend(items);
        }
        if all.len() >= expected {
            return all;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("entries were not sealed within 10 s");
}

pub fn key() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Today in Denmark, as the service sees it: decisions recorded now are dated on or after it.
pub fn today() -> String {
    ledger::context::today_in_denmark().to_string()
}

/// An ISO date as a letter writes it (`2026-12-07` → `7. december 2026`).
pub fn danish_date(iso: &str) -> String {
    let d = chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d").expect("an ISO date");
    rules::decision::danish::date(d)
}
