//! Plain-text accounting tools (hledger from the Debian packages, beancount and beanquery from
//! PyPI in the tools virtualenv, both installed by `scripts/test.sh`) that check the service's
//! exports independently.
use std::path::Path;
use std::process::Command;

/// A tool: `$<ENV>`, the tools virtualenv, or the PATH. Missing, the test is skipped with a
/// message, except under CI where a missing tool is a failure.
pub fn tool(env: &str, name: &str) -> Option<String> {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../.venv-tools/bin")
        .join(name);
    let candidates = [
        std::env::var(env).unwrap_or_default(),
        venv.to_string_lossy().into_owned(),
        name.to_string(),
    ];
    super::browser::first_that_runs(
        &candidates,
        &format!("{name} (set {env} or run scripts/test.sh)"),
    )
}

/// Runs a tool; its stdout, or a panic with what it said.
pub fn run(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{tool} {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// "-1234.56 DKK" (or "0") as øre.
pub fn ore(amount: &str) -> i64 {
    let a = amount
        .trim()
        .trim_end_matches("DKK")
        .trim()
        .replace(',', "");
    if a.is_empty() || a == "0" {
        return 0;
    }
    let neg = a.starts_with('-');
    let a = a.trim_start_matches('-');
    let (k, o) = a.split_once('.').unwrap_or((a, "0"));
    let v = k.parse::<i64>().unwrap() * 100 + format!("{o:0<2}")[..2].parse::<i64>().unwrap();
    if neg {
        -v
    } else {
        v
    }
}
