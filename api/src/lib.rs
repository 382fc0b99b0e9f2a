//! The HTTP face of the ledger: auth, parsing, problem+json, OpenAPI, routing. No rules live here.
pub mod auth;
pub mod body;
pub mod config;
pub mod openapi;
pub mod problem;
pub mod request_id;
pub mod routes;

use actix_web::dev::Server;
use actix_web::http::StatusCode;
use actix_web::middleware::from_fn;
use actix_web::{web, App, HttpServer};
use config::Config;
use ledger::store::Store;
use ledger::Ledger;
use problem::ApiError;
use utoipa::OpenApi;
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

/// Opens the database (migrating it) and binds the server; returns it with the bound address.
pub fn start(config: &Config) -> Result<(Server, std::net::SocketAddr), String> {
    let store = Store::open(&config.database_url, config.pool_size).map_err(|e| e.detail)?;
    let ledger = web::Data::new(Ledger::new(store));
    let keys = web::Data::new(config.jwt.clone());
    let spec = openapi::ApiDoc::openapi();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(ledger.clone())
            .app_data(keys.clone())
            .app_data(web::QueryConfig::default().error_handler(|e, _| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    format!("invalid query parameters: {e}"),
                )
                .into()
            }))
            .app_data(web::PathConfig::default().error_handler(|e, _| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    format!("invalid path: {e}"),
                )
                .into()
            }))
            .wrap(from_fn(request_id::middleware))
            .configure(routes::configure)
            .service(SwaggerUi::new("/docs/{_:.*}").url("/openapi.json", spec.clone()))
            .service(web::redirect("/docs", "/docs/"))
            .default_service(web::to(routes::not_found))
    })
    .workers(config.workers)
    .bind(&config.bind)
    .map_err(|e| format!("cannot bind {}: {e}", config.bind))?;
    let addr = server.addrs().first().copied().ok_or("no address bound")?;
    Ok((server.run(), addr))
}
