//! The HTTP face of the ledger: auth, parsing requests into commands, problem+json, OpenAPI,
//! routing. No rule lives here; the ledger's commands and read models do the work.
pub mod config;
pub mod constraints;
pub mod extract;
pub mod fallback;
pub mod letters;
pub mod openapi;
pub mod problem;
pub mod routes;

pub use extract::auth;

use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use config::Config;
use extract::request_id;
use ledger::{Code, ErrorKind, Ledger};
use problem::ApiError;
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

pub fn init_logging(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,actix_server=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Seals committed entries (voucher number and hash) a few times a second, on the server's
/// runtime, so it stops with the server.
fn spawn_sealer(ledger: web::Data<Ledger>) {
    actix_web::rt::spawn(async move {
        loop {
            actix_web::rt::time::sleep(std::time::Duration::from_millis(200)).await;
            let l = ledger.clone();
            match web::block(move || l.seal()).await {
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!(error = %e, "sealing failed; retrying"),
                Err(e) => tracing::warn!(error = %e, "sealer worker failed"),
            }
        }
    });
}

/// Opens the database (migrating it) and binds the server; returns it with the bound address.
pub fn start(config: &Config) -> Result<(Server, std::net::SocketAddr), String> {
    routes::set_request_timeout(config.request_timeout);
    let ledger = Ledger::open_with(
        &config.database_url,
        config.pool_size,
        config.request_timeout,
    )
    .map_err(|e| e.to_string())?;
    // A newer release's standard accounts (1250, overpayments under review) for every
    // municipality that has a chart already.
    ledger.complete_charts().map_err(|e| e.to_string())?;
    // Imports a stopped process left running booked nothing: their files may be sent again.
    match ledger.recover_imports() {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            imports = n,
            "imports left running by a stopped process marked interrupted"
        ),
        Err(e) => return Err(e.to_string()),
    }
    let ledger = web::Data::new(ledger);
    spawn_sealer(ledger.clone());
    let keys = web::Data::new(config.jwt.clone());
    let server = HttpServer::new(move || {
        let (app, spec) = App::new()
            .into_utoipa_app()
            .openapi(openapi::ApiDoc::openapi())
            .app_data(ledger.clone())
            .app_data(keys.clone())
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                let detail = format!("invalid query parameters: {e}");
                ApiError::bad_request(Code::InvalidQuery, detail).into()
            }))
            .app_data(web::PathConfig::default().error_handler(|e, _| {
                let detail = format!("invalid path: {e}");
                ApiError::new(ErrorKind::NotFound, Code::NotFound, detail).into()
            }))
            .map(|app| app.wrap(from_fn(request_id::middleware)))
            .configure(routes::configure)
            .split_for_parts();
        let spec = constraints::constrain(spec);
        app.service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", spec))
            .service(web::redirect("/docs", "/docs/"))
            .default_service(web::to(fallback::not_found))
    })
    .workers(config.workers)
    // A client that does not finish sending its request in time is cut off.
    .client_request_timeout(std::time::Duration::from_secs(10))
    .bind(&config.bind)
    .map_err(|e| format!("cannot bind {}: {e}", config.bind))?;
    let addr = server.addrs().first().copied().ok_or("no address bound")?;
    Ok((server.run(), addr))
}
