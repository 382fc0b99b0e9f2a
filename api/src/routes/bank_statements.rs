//! Bank reconciliation (roles `finance`, `controller`): the bank's statement files in, matched
//! to the ledger's bank account (1000) to the øre, each match with the rule that made it.
use super::blocking;
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::optional_key;
use crate::problem::{ApiError, ApiResult};
use crate::problems;
use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpRequest, HttpResponse};
use ledger::bank::{camt, csv_export};
use ledger::commands::import_bank_statement::{ImportBankStatement, Imported};
use ledger::commands::match_bank_line::{MatchBankLine, MovementId};
use ledger::commands::undo_bank_match::UndoBankMatch;
use ledger::read::bank_statements::{self as view, MatchView, Reconciliation, StatementView};
use ledger::{Code, ErrorKind, Ledger};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(post_statement)
        .service(get_statement)
        .service(reconciliation)
        .service(post_match)
        .service(delete_match);
}

/// The largest statement accepted: a month of a busy account is well under a megabyte.
pub const MAX_STATEMENT_BYTES: usize = 20 << 20;

/// A statement file as the bank delivers it.
pub struct BankFile;

impl utoipa::PartialSchema for BankFile {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into()
    }
}

impl ToSchema for BankFile {}

problems!(PostStatementProblems {
    400 => [InvalidBody],
    408 => [RequestTimeout],
    403 => [Forbidden],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvalidBankStatement],
});

enum Kind {
    Camt,
    Csv,
}

/// What the body says it is: XML is camt.053, CSV the net bank's export; a body that says
/// nothing is recognised by its first character.
fn kind_of(req: &HttpRequest, bytes: &[u8]) -> ApiResult<Kind> {
    let essence = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    match essence.as_deref() {
        Some("application/xml" | "text/xml") => Ok(Kind::Camt),
        Some("text/csv" | "text/plain" | "application/csv" | "application/vnd.ms-excel") => {
            Ok(Kind::Csv)
        }
        None => {
            let head = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            Ok(match head.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'<') => Kind::Camt,
                _ => Kind::Csv,
            })
        }
        Some(other) => Err(ApiError::new(
            ErrorKind::UnsupportedMediaType,
            Code::UnsupportedMediaType,
            format!("a bank statement is application/xml (camt.053) or text/csv, not {other:?}"),
        )),
    }
}

/// Take in a bank statement (roles `finance`, `controller`): an ISO 20022 camt.053 file
/// (`application/xml`, versions 001.02 and 001.08) or the net bank's CSV export (`text/csv`:
/// `Dato;Tekst;Beløb;Saldo` with dates `dd.mm.yyyy` or `dd-mm-yyyy` and decimal commas, or
/// `date,text,amount,balance`; UTF-8 or Windows-1252). The file is read whole before anything
/// is stored: a bad file is refused (`invalid_bank_statement`, naming the line or element) and
/// nothing of it is kept. Its lines are then matched to the bank account's movements by the
/// four rules (see the reconciliation). The same file again, or the same camt statement id,
/// answers 200 with the first statement.
#[utoipa::path(tag = "bank", security(("bearer" = [])),
    request_body(content(
        (BankFile = "application/xml", example = json!("<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>STMT-1</Id>…</Stmt></BkToCstmrStmt></Document>")),
        (BankFile = "text/csv", example = json!("Dato;Tekst;Beløb;Saldo\n02.03.2026;Hjemmetræning PAY-1;-1.000,00;9.000,00\n"))
    )),
    responses(
        (status = 201, description = "Taken in and matched", body = Imported),
        (status = 200, description = "The same file or statement was taken in before: that statement", body = Imported),
        PostStatementProblems,
    ))]
#[post("/v1/bank-statements")]
pub async fn post_statement(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    mut body: web::Payload,
) -> ApiResult<HttpResponse> {
    auth.0
        .require(view::RECONCILERS)
        .map_err(|e| ApiError(e.into()))?;
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = crate::extract::body::next_chunk(&mut body).await? {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(
                Code::InvalidBody,
                format!("the body could not be read: {e}"),
            )
        })?;
        if bytes.len() + chunk.len() > MAX_STATEMENT_BYTES {
            return Err(ApiError::new(
                ErrorKind::PayloadTooLarge,
                Code::PayloadTooLarge,
                format!("a bank statement is at most {MAX_STATEMENT_BYTES} bytes"),
            ));
        }
        bytes.extend_from_slice(&chunk);
    }
    let kind = kind_of(&req, &bytes)?;
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let r = blocking(move || {
        let parsed = match kind {
            Kind::Camt => camt::parse(&bytes)?,
            Kind::Csv => csv_export::parse(&bytes)?,
        };
        let cmd = ImportBankStatement { parsed, sha256 };
        // A twin sent at the same moment collides on the file's unique key; the second run
        // finds the first statement and answers with it.
        match l.execute(&auth.0, &cmd) {
            Err(e) if e.is_unique_violation() => l.execute(&auth.0, &cmd),
            r => r,
        }
    })
    .await?;
    let mut resp = if r.duplicate {
        HttpResponse::Ok()
    } else {
        HttpResponse::Created()
    };
    Ok(resp
        .insert_header((
            header::LOCATION,
            format!("/v1/bank-statements/{}", r.statement.id),
        ))
        .json(r))
}

problems!(GetProblems {
    403 => [Forbidden],
    404 => [BankStatementNotFound],
});

/// A bank statement as taken in (roles `finance`, `controller`).
#[utoipa::path(tag = "bank", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = StatementView),
    GetProblems,
))]
#[get("/v1/bank-statements/{id}")]
pub async fn get_statement(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let s = super::query(l, auth, move |tx, c| view::get(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(s))
}

/// The statement reconciled with the ledger's bank account (roles `finance`, `controller`):
/// `matched` (each bank line with its ledger movements and the `rule` that matched them:
/// `reference` — the end-to-end id or bank reference recorded with the payment, installment or
/// repayment; `reference_in_text` — that reference in the line's text, same amount;
/// `amount_and_date` — the same amount within the municipality's `bank_match_window_days`,
/// one candidate on each side; `one_to_many` — the sum of several movements made together;
/// `manual`), `unmatched_bank`, `unmatched_ledger` (movements on account 1000 in the period no
/// match holds), and the closing balance against account 1000's balance on the closing date.
/// Every comparison is exact to the øre.
#[utoipa::path(tag = "bank", params(("id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = Reconciliation),
    GetProblems,
))]
#[get("/v1/bank-statements/{id}/reconciliation")]
pub async fn reconciliation(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let r = super::query(l, auth, move |tx, c| view::reconciliation(tx, c, &id)).await?;
    Ok(HttpResponse::Ok().json(r))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovementInput {
    /// `payment`, `installment`, `repayment`, or `entry` (any journal entry on the bank account,
    /// by its id).
    #[serde(rename = "type")]
    #[schema(
        pattern = "^(payment|installment|repayment|entry)$",
        example = "payment"
    )]
    pub kind: String,
    #[schema(min_length = 1, max_length = 100)]
    pub id: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"line": 3, "movements": [{"type": "payment", "id": "0193b1c2-…"}]}))]
pub struct MatchInput {
    /// The statement's line (from 1).
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(deserialize_with = "crate::extract::whole::whole")]
    pub line: i32,
    /// The ledger's movements that are this line; their amounts add up to the line's.
    #[schema(min_items = 1, max_items = 100)]
    pub movements: Vec<MovementInput>,
}

problems!(MatchProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue, InvalidIdempotencyKey],
    408 => [RequestTimeout],
    403 => [Forbidden],
    404 => [BankStatementNotFound],
    409 => [BankLineAlreadyMatched, MovementAlreadyMatched, IdempotencyKeyReused],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidValue, BankLineNotFound, MovementNotFound, MatchAmountsDiffer],
});

/// Match a bank line by hand (roles `finance`, `controller`): the line and the movements that
/// are it, none already matched, adding up to the line to the øre; recorded with who and when
/// (rule `manual`).
#[utoipa::path(tag = "bank", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = MatchInput, security(("bearer" = [])), responses(
    (status = 201, body = MatchView),
    MatchProblems,
))]
#[post("/v1/bank-statements/{id}/matches")]
pub async fn post_match(
    auth: Auth,
    req: HttpRequest,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    body: JsonBody<MatchInput>,
) -> ApiResult<HttpResponse> {
    let key = optional_key(&req, &body.fingerprint)?;
    let b = body.value;
    let cmd = MatchBankLine {
        statement_id: id.into_inner(),
        line: b.line,
        movements: b
            .movements
            .into_iter()
            .map(|m| MovementId {
                kind: m.kind,
                id: m.id,
            })
            .collect(),
    };
    let r = blocking(move || l.execute_keyed(&auth.0, key.as_ref(), 201, &cmd)).await?;
    Ok(super::recorded(r, actix_web::http::StatusCode::CREATED))
}

problems!(UndoProblems {
    403 => [Forbidden],
    404 => [BankStatementNotFound, BankMatchNotFound],
    409 => [BankMatchUndone],
});

/// Undo a match (roles `finance`, `controller`): its line and movements are free again; the
/// match is kept with who undid it and when.
#[utoipa::path(tag = "bank", params(("id" = String, Path), ("match_id" = String, Path)), security(("bearer" = [])), responses(
    (status = 200, body = MatchView),
    UndoProblems,
))]
#[delete("/v1/bank-statements/{id}/matches/{match_id}")]
pub async fn delete_match(
    auth: Auth,
    l: web::Data<Ledger>,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (statement_id, match_id) = path.into_inner();
    let cmd = UndoBankMatch {
        statement_id,
        match_id,
    };
    let r = blocking(move || l.execute(&auth.0, &cmd)).await?;
    Ok(HttpResponse::Ok().json(r))
}
