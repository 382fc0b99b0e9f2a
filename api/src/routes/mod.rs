//! Routing: every route is registered with its OpenAPI entry from one list, so the two cannot
//! diverge; and the small helpers every handler shares.
pub mod accounts;
pub mod agreements;
pub mod bank_statements;
pub mod budget_years;
pub mod cases;
pub mod claims;
pub mod clawbacks;
pub mod deadlines;
pub mod decisions;
pub mod expenses;
pub mod exports;
pub mod health;
pub mod imports;
pub mod journal;
pub mod lost_earnings;
pub mod payables;
pub mod payroll_runs;
pub mod periods;
pub mod rates;
pub mod reports;
pub mod settings;
pub mod settlements;
pub mod statements;

use crate::extract::auth::Auth;
use crate::problem::{ApiError, ApiResult};
use actix_web::http::header::{HeaderValue, ETAG};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use ledger::context::Ctx;
use ledger::read::Tx;
use ledger::{Ledger, Recorded};
use serde::Serialize;
use utoipa_actix_web::service_config::ServiceConfig;

/// The one list of routes (each handler carries its OpenAPI entry).
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health).service(health::ready);
    accounts::configure(cfg);
    bank_statements::configure(cfg);
    journal::configure(cfg);
    periods::configure(cfg);
    reports::configure(cfg);
    exports::configure(cfg);
    rates::configure(cfg);
    cases::configure(cfg);
    budget_years::configure(cfg);
    expenses::configure(cfg);
    payables::configure(cfg);
    decisions::configure(cfg);
    clawbacks::configure(cfg);
    settings::configure(cfg);
    agreements::configure(cfg);
    deadlines::configure(cfg);
    settlements::configure(cfg);
    statements::configure(cfg);
    lost_earnings::configure(cfg);
    payroll_runs::configure(cfg);
    imports::configure(cfg);
    claims::configure(cfg);
}

/// Runs blocking ledger work off the actix workers.
/// A request may take this long at most; its database work is bounded by the statement and lock
/// time-outs well before, so this is the last line: the caller gets 503, never a hung request.
/// `REQUEST_TIMEOUT_SECS` (30 s by default), set once at start.
static REQUEST_TIMEOUT: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();

pub fn set_request_timeout(t: std::time::Duration) {
    let _ = REQUEST_TIMEOUT.set(t);
}

fn request_timeout() -> std::time::Duration {
    *REQUEST_TIMEOUT.get_or_init(|| std::time::Duration::from_secs(30))
}

pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> ledger::Result<T> + Send + 'static,
) -> ApiResult<T> {
    match actix_web::rt::time::timeout(request_timeout(), web::block(f)).await {
        Ok(Ok(r)) => r.map_err(ApiError),
        Ok(Err(e)) => Err(ApiError::internal(format!("worker failed: {e}"))),
        Err(_) => Err(ApiError::new(
            ledger::ErrorKind::Unavailable,
            ledger::Code::ServiceUnavailable,
            "the request took too long; try again shortly",
        )),
    }
}

/// A read model for the caller, run off the actix workers in one consistent snapshot.
pub async fn query<T: Send + 'static>(
    l: web::Data<Ledger>,
    auth: Auth,
    f: impl FnOnce(&mut Tx, &Ctx) -> ledger::Result<T> + Send + 'static,
) -> ApiResult<T> {
    blocking(move || l.query(&auth.0, |tx| f(tx, &auth.0))).await
}

/// A large read streamed to the caller a chunk at a time from one consistent snapshot, off the
/// actix workers: `f` hands each chunk to its sink, which answers false once the caller has gone.
/// Check what can refuse the request (the role, the data's state) before calling this: once the
/// first byte is sent the status is 200; a failure later ends the body abnormally (and is
/// logged), so a client sees a broken transfer, never a short file that looks whole.
pub fn stream_query(
    l: web::Data<Ledger>,
    auth: Auth,
    content_type: &'static str,
    f: impl FnOnce(&mut Tx, &Ctx, &mut dyn FnMut(Vec<u8>) -> bool) -> ledger::Result<()>
        + Send
        + 'static,
) -> HttpResponse {
    use actix_web::web::Bytes;
    type Chunk = Result<Bytes, std::io::Error>;
    // A few chunks in flight: memory stays bounded whatever the export's size.
    let (sender, receiver) = tokio::sync::mpsc::channel::<Chunk>(4);
    actix_web::rt::task::spawn_blocking(move || {
        let ctx = auth.0;
        let r = l.query(&ctx, |tx| {
            f(tx, &ctx, &mut |chunk| {
                sender.blocking_send(Ok(Bytes::from(chunk))).is_ok()
            })
        });
        if let Err(e) = r {
            tracing::error!(error = %e, "a streamed export failed");
            let _ = sender.blocking_send(Err(std::io::Error::other("the export failed")));
        }
    });
    let body =
        futures_util::stream::unfold(
            receiver,
            |mut r| async move { r.recv().await.map(|c| (c, r)) },
        );
    HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_TYPE, content_type))
        .streaming(body)
}

/// A recorded response: `status` the first time; 200 with `Idempotent-Replayed` on a replay.
pub fn recorded<T: Serialize>(r: Recorded<T>, status: StatusCode) -> HttpResponse {
    let mut b = HttpResponse::build(if r.replayed { StatusCode::OK } else { status });
    if r.replayed {
        b.insert_header(("Idempotent-Replayed", "true"));
    }
    b.json(r.value)
}

pub fn created<T: Serialize>(v: &T) -> HttpResponse {
    HttpResponse::Created().json(v)
}

/// Adds the `ETag` of a versioned resource.
pub fn with_etag(mut resp: HttpResponse, version: i32) -> HttpResponse {
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        resp.headers_mut().insert(ETAG, v);
    }
    resp
}

/// The `next` cursor of a page: the last item's key when the page is full.
pub fn next_cursor<T>(items: &[T], limit: i64, key: impl Fn(&T) -> String) -> Option<String> {
    (items.len() == limit as usize)
        .then(|| items.last().map(key))
        .flatten()
}
