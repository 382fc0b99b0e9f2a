//! Accounts, their running totals, and the municipality's standard chart.
use super::schema::{accounts, municipalities, postings};
use super::{new_id, now, DbConnection};
use crate::book::chart::STANDARD_CHART;
use crate::book::{AccountKind, BalanceConstraint};
use crate::error::{Error, Result};
use crate::money::Money;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = accounts)]
pub struct AccountRow {
    pub id: String,
    pub municipality: String,
    pub code: String,
    pub name: String,
    pub kind: String,
    pub balance_constraint: String,
    pub owner: Option<String>,
    pub parent_id: Option<String>,
    pub debits_posted: i64,
    pub credits_posted: i64,
    pub created_at: NaiveDateTime,
}

/// An account as the API shows it: raw totals and the balance on the account's natural side.
#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct Account {
    #[schema(example = "01936f3e-7c5a-7b1e-9a51-3f1c2d4e5f60")]
    pub id: String,
    #[schema(example = "1000")]
    pub code: String,
    #[schema(example = "Bank")]
    pub name: String,
    pub kind: AccountKind,
    pub constraint: BalanceConstraint,
    /// The id of what the account belongs to (e.g. a budget post), if anything.
    pub owner: Option<String>,
    pub parent_id: Option<String>,
    /// Sum of all debit postings (as of `as_of` when given).
    pub debits: Money,
    /// Sum of all credit postings (as of `as_of` when given).
    pub credits: Money,
    /// debits − credits for asset and expense accounts; credits − debits for liability, equity,
    /// income and budget accounts (for a budget post: what is left of the grant).
    pub balance: Money,
    pub as_of: Option<NaiveDate>,
}

impl AccountRow {
    pub fn kind(&self) -> AccountKind {
        AccountKind::parse(&self.kind).unwrap_or(AccountKind::Asset)
    }
    pub fn constraint(&self) -> BalanceConstraint {
        BalanceConstraint::parse(&self.balance_constraint).unwrap_or(BalanceConstraint::None)
    }
    pub fn view(&self) -> Account {
        self.view_with(
            Money::from_ore(self.debits_posted),
            Money::from_ore(self.credits_posted),
            None,
        )
    }
    pub fn view_with(&self, debits: Money, credits: Money, as_of: Option<NaiveDate>) -> Account {
        Account {
            id: self.id.clone(),
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind(),
            constraint: self.constraint(),
            owner: self.owner.clone(),
            parent_id: self.parent_id.clone(),
            debits,
            credits,
            balance: self.kind().balance(debits, credits),
            as_of,
        }
    }
}

/// What a new account is.
#[derive(Clone, Debug)]
pub struct NewAccount {
    pub code: String,
    pub name: String,
    pub kind: AccountKind,
    pub constraint: BalanceConstraint,
    pub owner: Option<String>,
    pub parent_id: Option<String>,
}

/// Makes sure the municipality exists with its standard chart. Idempotent and safe under races:
/// a concurrent first use loses the insert and finds the chart the winner created.
pub fn ensure_municipality(conn: &mut DbConnection, municipality: &str) -> Result<()> {
    let exists: i64 = municipalities::table
        .filter(municipalities::code.eq(municipality))
        .count()
        .get_result(conn)?;
    if exists > 0 {
        return Ok(());
    }
    let attempt = conn.transaction::<(), Error, _>(|c| {
        diesel::insert_into(municipalities::table)
            .values((
                municipalities::code.eq(municipality),
                municipalities::closed_through.eq(None::<NaiveDate>),
                municipalities::created_at.eq(now()),
            ))
            .execute(c)?;
        let rows: Vec<AccountRow> = STANDARD_CHART
            .iter()
            .map(|a| AccountRow {
                id: new_id(),
                municipality: municipality.to_string(),
                code: a.code.to_string(),
                name: a.name.to_string(),
                kind: a.kind.as_str().to_string(),
                balance_constraint: a.constraint.as_str().to_string(),
                owner: None,
                parent_id: None,
                debits_posted: 0,
                credits_posted: 0,
                created_at: now(),
            })
            .collect();
        super::on_backend!(c, c => diesel::insert_into(accounts::table).values(&rows).execute(c))?;
        Ok(())
    });
    match attempt {
        Err(e) if super::is_unique_violation(&e) => Ok(()),
        other => other,
    }
}

pub fn create(conn: &mut DbConnection, municipality: &str, a: &NewAccount) -> Result<AccountRow> {
    if let Some(parent) = &a.parent_id {
        get(conn, municipality, parent).map_err(|_| {
            Error::field(
                "account_not_found",
                "parent_id",
                format!("parent account {parent} does not exist"),
            )
        })?;
    }
    let taken: i64 = accounts::table
        .filter(accounts::municipality.eq(municipality))
        .filter(accounts::code.eq(&a.code))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(Error::conflict(
            "account_code_taken",
            format!(
                "an account with code {} already exists in this municipality",
                a.code
            ),
        )
        .with_field("code", "account codes are unique per municipality"));
    }
    let row = AccountRow {
        id: new_id(),
        municipality: municipality.to_string(),
        code: a.code.clone(),
        name: a.name.clone(),
        kind: a.kind.as_str().to_string(),
        balance_constraint: a.constraint.as_str().to_string(),
        owner: a.owner.clone(),
        parent_id: a.parent_id.clone(),
        debits_posted: 0,
        credits_posted: 0,
        created_at: now(),
    };
    diesel::insert_into(accounts::table)
        .values(&row)
        .execute(conn)
        .map_err(|e| {
            let e: Error = e.into();
            if super::is_unique_violation(&e) {
                Error::conflict(
                    "account_code_taken",
                    format!("an account with code {} already exists", a.code),
                )
            } else {
                e
            }
        })?;
    Ok(row)
}

/// An account of another municipality is answered exactly like one that does not exist.
pub fn get(conn: &mut DbConnection, municipality: &str, id: &str) -> Result<AccountRow> {
    accounts::table
        .filter(accounts::id.eq(id))
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            Error::not_found("account_not_found", format!("account {id} does not exist"))
        })
}

pub fn by_code(conn: &mut DbConnection, municipality: &str, code: &str) -> Result<AccountRow> {
    accounts::table
        .filter(accounts::code.eq(code))
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| {
            Error::not_found(
                "account_not_found",
                format!("account with code {code} does not exist"),
            )
        })
}

#[derive(Default, Clone, Debug)]
pub struct AccountFilter {
    pub kind: Option<AccountKind>,
    pub code: Option<String>,
    pub owner: Option<String>,
    pub after: Option<String>,
    pub limit: i64,
}

pub fn list(
    conn: &mut DbConnection,
    municipality: &str,
    f: &AccountFilter,
) -> Result<Vec<AccountRow>> {
    let mut q = accounts::table
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .order(accounts::code.asc())
        .limit(f.limit)
        .into_boxed();
    if let Some(k) = f.kind {
        q = q.filter(accounts::kind.eq(k.as_str()));
    }
    if let Some(c) = &f.code {
        q = q.filter(accounts::code.eq(c.clone()));
    }
    if let Some(o) = &f.owner {
        q = q.filter(accounts::owner.eq(o.clone()));
    }
    if let Some(a) = &f.after {
        q = q.filter(accounts::code.gt(a.clone()));
    }
    Ok(q.load(conn)?)
}

pub fn all(conn: &mut DbConnection, municipality: &str) -> Result<Vec<AccountRow>> {
    Ok(accounts::table
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .order(accounts::code.asc())
        .load(conn)?)
}

/// Debit and credit totals of an account from its postings up to and including a date.
pub fn totals_as_of(
    conn: &mut DbConnection,
    account_id: &str,
    as_of: NaiveDate,
) -> Result<(Money, Money)> {
    let rows: Vec<(i64, i64)> = postings::table
        .filter(postings::account_id.eq(account_id))
        .filter(postings::effective_date.le(as_of))
        .select((postings::debit, postings::credit))
        .load(conn)?;
    Ok(rows
        .iter()
        .fold((Money::ZERO, Money::ZERO), |(d, c), (pd, pc)| {
            (d + Money::from_ore(*pd), c + Money::from_ore(*pc))
        }))
}

/// Adds to the running totals. The UPDATE takes the row lock on PostgreSQL, so the constraint
/// check that follows sees every earlier committed entry and none can slip past it.
pub fn add_totals(
    conn: &mut DbConnection,
    municipality: &str,
    id: &str,
    debit: Money,
    credit: Money,
) -> Result<()> {
    let n = diesel::update(
        accounts::table
            .filter(accounts::id.eq(id))
            .filter(accounts::municipality.eq(municipality)),
    )
    .set((
        accounts::debits_posted.eq(accounts::debits_posted + debit.ore()),
        accounts::credits_posted.eq(accounts::credits_posted + credit.ore()),
    ))
    .execute(conn)?;
    if n == 0 {
        return Err(Error::field(
            "account_not_found",
            "postings",
            format!("account {id} does not exist"),
        ));
    }
    Ok(())
}

pub fn get_many(
    conn: &mut DbConnection,
    municipality: &str,
    ids: &[&str],
) -> Result<Vec<AccountRow>> {
    Ok(accounts::table
        .filter(accounts::id.eq_any(ids))
        .filter(accounts::municipality.eq(municipality))
        .select(AccountRow::as_select())
        .load(conn)?)
}
