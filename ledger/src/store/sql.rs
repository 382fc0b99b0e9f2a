//! Raw SQL that runs on both backends.
use super::DbConnection;

/// Replaces `$n` placeholders with SQLite's `?` (each used once, in order).
pub fn placeholders(conn: &DbConnection, sql: &str) -> String {
    match conn {
        DbConnection::Pg(_) => sql.to_string(),
        DbConnection::Sqlite(_) => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(ch) = chars.next() {
                if ch == '$' && chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                    while chars.peek().is_some_and(|c| c.is_ascii_digit()) {
                        chars.next();
                    }
                    out.push('?');
                } else {
                    out.push(ch);
                }
            }
            out
        }
    }
}
