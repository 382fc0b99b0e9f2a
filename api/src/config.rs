//! Settings, all from the environment (see the README's table).
use crate::auth::JwtKeys;

pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_DATABASE_URL: &str = "data/hjemmetraening.sqlite";
/// Only for local development: a warning is logged when it is used.
pub const DEV_JWT_SECRET: &str = "dev-only-secret-change-me";

#[derive(Clone)]
pub struct Config {
    pub bind: String,
    pub database_url: String,
    pub pool_size: u32,
    pub jwt: JwtKeys,
    pub jwt_is_dev_default: bool,
    pub log_json: bool,
    pub workers: usize,
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

impl Config {
    pub fn from_env() -> Result<Config, String> {
        let (jwt, dev) = match (env("JWT_PUBLIC_KEY_PEM"), env("JWT_SECRET")) {
            (Some(pem), _) => {
                // Either the PEM text itself or a path to a file holding it.
                let text = if pem.contains("-----BEGIN") {
                    pem
                } else {
                    std::fs::read_to_string(&pem)
                        .map_err(|e| format!("JWT_PUBLIC_KEY_PEM: cannot read {pem}: {e}"))?
                };
                (JwtKeys::public_pem(&text)?, false)
            }
            (None, Some(secret)) => (JwtKeys::hs256(&secret), false),
            (None, None) => (JwtKeys::hs256(DEV_JWT_SECRET), true),
        };
        let database_url = env("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
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
        Ok(Config {
            bind: env("BIND").unwrap_or_else(|| DEFAULT_BIND.to_string()),
            database_url,
            pool_size,
            jwt,
            jwt_is_dev_default: dev,
            log_json: env("LOG_FORMAT").is_some_and(|v| v.eq_ignore_ascii_case("json")),
            workers,
        })
    }
}
