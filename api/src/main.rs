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
    /// Print the OpenAPI document (what `openapi/openapi.json` must hold).
    Openapi,
    /// Print a JWT signed with JWT_SECRET, or with this installation's own secret when unset
    /// (the file in DATA_DIR it used is named on stderr: a token made with another directory's
    /// secret is refused by this installation).
    Token {
        #[arg(long)]
        role: String,
        #[arg(long)]
        municipality: String,
        #[arg(long, default_value = "dev-user")]
        sub: String,
        /// The person's name or title, printed in letters as who decided.
        #[arg(long)]
        name: Option<String>,
        #[arg(long, default_value_t = 60)]
        ttl_minutes: i64,
    },
}

fn main() {
    let cli = Cli::parse();
    if let Some(Command::Openapi) = cli.command {
        print!("{}", api::openapi::render());
        return;
    }
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
            name,
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
            if let Some(Err(e)) = name.as_deref().map(api::auth::check_name) {
                eprintln!("--name: {e}");
                std::process::exit(2);
            }
            match &config.jwt_secret_file {
                Some(path) => eprintln!(
                    "signed with this installation's secret {} (a service started with another DATA_DIR refuses it)",
                    path.display()
                ),
                None => eprintln!("signed with JWT_SECRET"),
            }
            match config
                .jwt
                .mint(&sub, name.as_deref(), role, &municipality, ttl_minutes)
            {
                Ok(t) => println!("{t}"),
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(2);
                }
            }
        }
        Command::Openapi => {}
        Command::Serve => {
            api::init_logging(config.log_json);
            if let Some(path) = &config.jwt_secret_file {
                tracing::info!(file = %path.display(), "JWT_SECRET is not set: tokens are signed with this installation's own secret");
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
