//! A published peer's benchmark beside ours: `--peer ../shared/peers/pgledger-bench.sh` runs
//! pgledger's own script on the same PostgreSQL cluster, in the same run, with as many clients.
use super::Args;

/// The peer's figures, from its own script on the same PostgreSQL cluster (it prints a line per
/// workload, uniform and hot).
pub fn run(args: &Args, script: &str) {
    let url = args
        .database_url
        .clone()
        .or_else(|| std::env::var("TEST_DATABASE_URL").ok())
        .expect("--peer needs the PostgreSQL server (--database-url)");
    let out = std::process::Command::new("bash")
        .arg(script)
        .arg(&url)
        .arg(args.clients.to_string())
        .arg("30")
        .output()
        .expect("run the peer's benchmark");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
        panic!("the peer's benchmark failed");
    }
}
