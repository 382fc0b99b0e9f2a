//! Accounts: list, read (now or as of a date), open.
use super::{blocking, created, next_cursor, query};
use crate::extract::auth::Auth;
use crate::extract::body::JsonBody;
use crate::extract::limit;
use crate::problem::ApiResult;
use crate::problems;
use actix_web::{get, post, web, HttpResponse};
use chrono::NaiveDate;
use ledger::commands::open_account::{AccountKind, BalanceConstraint, OpenAccount};
use ledger::read::accounts::{self, Account, AccountFilter};
use ledger::Ledger;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_accounts)
        .service(get_account)
        .service(create_account);
}

#[derive(Deserialize, IntoParams)]
pub struct AccountQuery {
    /// Only accounts of this kind.
    pub kind: Option<AccountKind>,
    /// Only the account with this code.
    pub code: Option<String>,
    /// Only accounts owned by this id (e.g. a budget post).
    pub owner: Option<String>,
    /// Page size, 1-500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Cursor: the `next` of the previous page.
    pub after: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AccountPage {
    pub items: Vec<Account>,
    /// Cursor for the next page; null on the last page.
    pub next: Option<String>,
}

problems!(ListAccountsProblems {
    400 => [InvalidQuery],
});

/// List the municipality's accounts, ordered by code.
#[utoipa::path(tag = "ledger", params(AccountQuery), security(("bearer" = [])), responses(
    (status = 200, body = AccountPage),
    ListAccountsProblems,
))]
#[get("/v1/accounts")]
pub async fn list_accounts(
    auth: Auth,
    l: web::Data<Ledger>,
    q: web::Query<AccountQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.into_inner();
    let f = AccountFilter {
        kind: q.kind,
        code: q.code,
        owner: q.owner,
        after: q.after,
        limit: limit(q.limit)?,
    };
    let lim = f.limit;
    let items = query(l, auth, move |tx, c| accounts::list(tx, c, &f)).await?;
    let next = next_cursor(&items, lim, |a| a.code.clone());
    Ok(HttpResponse::Ok().json(AccountPage { items, next }))
}

#[derive(Deserialize, IntoParams)]
pub struct AsOfQuery {
    /// Balance from postings with effective date on or before this date.
    pub as_of: Option<NaiveDate>,
}

problems!(GetAccountProblems {
    400 => [InvalidQuery],
    404 => [AccountNotFound],
});

/// One account with its totals and balance, optionally as of a date.
#[utoipa::path(tag = "ledger", params(("id" = String, Path), AsOfQuery), security(("bearer" = [])), responses(
    (status = 200, body = Account),
    GetAccountProblems,
))]
#[get("/v1/accounts/{id}")]
pub async fn get_account(
    auth: Auth,
    l: web::Data<Ledger>,
    id: web::Path<String>,
    q: web::Query<AsOfQuery>,
) -> ApiResult<HttpResponse> {
    let (id, as_of) = (id.into_inner(), q.as_of);
    let a = query(l, auth, move |tx, c| accounts::get(tx, c, &id, as_of)).await?;
    Ok(HttpResponse::Ok().json(a))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"code": "1010", "name": "Bank, payroll account", "kind": "asset", "constraint": "credits_must_not_exceed_debits"}))]
pub struct CreateAccount {
    /// Unique per municipality: letters, digits, `.`, `-`, `_`; at most 32 characters.
    #[schema(
        example = "1010",
        min_length = 1,
        max_length = 32,
        pattern = r"^[A-Za-z0-9._-]{1,32}$"
    )]
    pub code: String,
    #[schema(example = "Bank, payroll account", min_length = 1, max_length = 200)]
    pub name: String,
    pub kind: AccountKind,
    /// Default `none`.
    #[serde(default)]
    pub constraint: Option<BalanceConstraint>,
    pub owner: Option<String>,
    pub parent_id: Option<String>,
}

impl From<CreateAccount> for OpenAccount {
    fn from(b: CreateAccount) -> Self {
        OpenAccount {
            code: b.code,
            name: b.name,
            kind: b.kind,
            constraint: b.constraint.unwrap_or(BalanceConstraint::None),
            owner: b.owner,
            parent_id: b.parent_id,
        }
    }
}

problems!(CreateAccountProblems {
    400 => [InvalidJson, DuplicateKey, InvisibleCharacter, InvalidBody, UnknownField, MissingField, InvalidValue],
    408 => [RequestTimeout],
    403 => [Forbidden],
    409 => [AccountCodeTaken],
    413 => [PayloadTooLarge],
    415 => [UnsupportedMediaType],
    422 => [InvisibleCharacter, InvalidAccountCode, InvalidName, BudgetAccountsByDecision, AccountNotFound, CprNumberNotAllowed],
});

/// Open an account (roles `finance`, `admin`).
#[utoipa::path(tag = "ledger", request_body = CreateAccount, security(("bearer" = [])), responses(
    (status = 201, body = Account),
    CreateAccountProblems,
))]
#[post("/v1/accounts")]
pub async fn create_account(
    auth: Auth,
    l: web::Data<Ledger>,
    body: JsonBody<CreateAccount>,
) -> ApiResult<HttpResponse> {
    let cmd = OpenAccount::from(body.value);
    let acc = blocking(move || l.execute(&auth.0, &cmd)).await?;
    Ok(created(&acc))
}
