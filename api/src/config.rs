//! Settings, all from the environment (see the README's table).
use crate::auth::{JwtKeys, JwtPolicy};
use std::path::{Path, PathBuf};

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA_DIR: &str = "data";
pub const DEFAULT_DATABASE_FILE: &str = "hjemmetraening.sqlite";
pub const DEFAULT_MAX_TTL_MINUTES: i64 = 720;

#[derive(Clone)]
pub struct Config {
    pub bind: String,
    pub database_url: String,
    pub pool_size: u32,
    pub jwt: JwtKeys,
    /// Where the secret came from when it was not configured: the generated file.
    pub jwt_secret_file: Option<PathBuf>,
    pub log_json: bool,
    pub workers: usize,
    /// A request unanswered after this long answers 503; the database's own time-outs lie just
    /// above it.
    pub request_timeout: std::time::Duration,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// The installation's own signing secret: generated at random on first start and kept in the
/// data directory, readable by its owner only. Another installation has another secret.
fn installation_secret(data_dir: &Path) -> Result<(String, PathBuf), String> {
    let path = data_dir.join("jwt-secret");
    std::fs::create_dir_all(data_dir)
        .map_err(|e| format!("cannot create {}: {e}", data_dir.display()))?;
    let secret = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    // Written whole to a file of its own, then linked into place: a process starting at the same
    // moment either wins the link or reads the winner's complete secret, never a half-written one.
    let tmp = data_dir.join(format!(".jwt-secret.{}", uuid::Uuid::new_v4().simple()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(&tmp)
        .map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    std::io::Write::write_all(&mut f, secret.as_bytes())
        .and_then(|_| f.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
    let linked = std::fs::hard_link(&tmp, &path);
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Ok(()) => Ok((secret, path)),
        // Another process (or an earlier start) made it first: use that one.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let s = std::fs::read_to_string(&path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            let s = s.trim().to_string();
            if s.len() < 32 {
                return Err(format!("{} holds no usable secret", path.display()));
            }
            Ok((s, path))
        }
        Err(e) => Err(format!("cannot create {}: {e}", path.display())),
    }
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let data_dir = PathBuf::from(env("DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into()));
        let policy = JwtPolicy {
            issuer: env("JWT_ISSUER"),
            audience: env("JWT_AUDIENCE"),
            max_ttl_minutes: match env("JWT_MAX_TTL_MINUTES") {
                Some(v) => v.parse().ok().filter(|m: &i64| *m > 0).ok_or_else(|| {
                    format!("JWT_MAX_TTL_MINUTES must be a positive number, not {v:?}")
                })?,
                None => DEFAULT_MAX_TTL_MINUTES,
            },
        };
        let (jwt, generated) = match (env("JWT_PUBLIC_KEY_PEM"), env("JWT_SECRET")) {
            (Some(pem), _) => {
                // Either the PEM text itself or a path to a file holding it.
                let text = if pem.contains("-----BEGIN") {
                    pem
                } else {
                    std::fs::read_to_string(&pem)
                        .map_err(|e| format!("JWT_PUBLIC_KEY_PEM: cannot read {pem}: {e}"))?
                };
                (JwtKeys::public_pem(&text, policy)?, None)
            }
            (None, Some(secret)) => (JwtKeys::hs256(&secret, policy), None),
            (None, None) => {
                let (secret, path) = installation_secret(&data_dir)?;
                (JwtKeys::hs256(&secret, policy), Some(path))
            }
        };
        let database_url = env("DATABASE_URL").unwrap_or_else(|| {
            data_dir
                .join(DEFAULT_DATABASE_FILE)
                .to_string_lossy()
                .to_string()
        });
        let is_pg = database_url.starts_with("postgres");
        let pool_size = match env("DB_POOL_SIZE") {
            Some(v) => v
                .parse()
                .map_err(|_| format!("DB_POOL_SIZE must be a number, not {v:?}"))?,
            None if is_pg => 16,
            None => 8,
        };
        let workers = match env("WORKERS") {
            Some(v) => v
                .parse()
                .map_err(|_| format!("WORKERS must be a number, not {v:?}"))?,
            None => std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
        };
        let request_timeout = match env("REQUEST_TIMEOUT_SECS") {
            Some(v) => match v.parse::<u64>() {
                Ok(n) if (1..=300).contains(&n) => std::time::Duration::from_secs(n),
                _ => return Err(format!("REQUEST_TIMEOUT_SECS must be 1-300, not {v:?}")),
            },
            None => std::time::Duration::from_secs(30),
        };
        Ok(Config {
            request_timeout,
            bind: env("BIND").unwrap_or_else(|| DEFAULT_BIND.to_string()),
            database_url,
            pool_size,
            jwt,
            jwt_secret_file: generated,
            log_json: env("LOG_FORMAT").is_some_and(|v| v.eq_ignore_ascii_case("json")),
            workers,
        })
    }
}
