use api::config::Config;
use clap::{Parser, Subcommand};
use ledger::context::Role;

#[derive(Parser)]
#[command(
    name = "api",
    about = "Home-training (Barnets lov § 85) ledger service"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the service (the default).
    Serve,
    /// Print a development JWT signed with the configured JWT_SECRET.
    Token {
        #[arg(long)]
        role: String,
        #[arg(long)]
        municipality: String,
        #[arg(long, default_value = "dev-user")]
        sub: String,
        #[arg(long, default_value_t = 60 * 24)]
        ttl_minutes: i64,
    },
}

fn main() {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            std::process::exit(2);
        }
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Token {
            role,
            municipality,
            sub,
            ttl_minutes,
        } => {
            let Some(role) = Role::parse(&role) else {
                let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                eprintln!("unknown role {role:?}; one of: {}", all.join(", "));
                std::process::exit(2);
            };
            if !api::auth::is_municipality_code(&municipality) {
                eprintln!("municipality must be a three-digit kommunekode, e.g. 101");
                std::process::exit(2);
            }
            match config.jwt.mint(&sub, role, &municipality, ttl_minutes) {
                Ok(t) => println!("{t}"),
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(2);
                }
            }
        }
        Command::Serve => {
            api::init_logging(config.log_json);
            if config.jwt_is_dev_default {
                tracing::warn!("JWT_SECRET is not set: using the development secret; never do this in production");
            }
            let rt = actix_web::rt::System::new();
            let res = rt.block_on(async {
                let (server, addr) = api::start(&config)?;
                tracing::info!(%addr, db = %redact(&config.database_url), "listening");
                // Tests and scripts read this line to learn the port when BIND ends in :0.
                println!("listening on http://{addr}");
                server.await.map_err(|e| e.to_string())
            });
            if let Err(e) = res {
                eprintln!("error: {e}");
                std::process::exit(1);
            }
        }
    }
}

/// The database URL without its password, for the log.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://***@{}", &url[..s], &url[at + 1..]),
        _ => url.to_string(),
    }
}
