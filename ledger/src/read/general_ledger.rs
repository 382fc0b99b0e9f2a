//! The general-ledger export for the municipality's ERP: every posting of a sealed entry on a
//! financial account (the budget memo accounts are not exported), mapped to the authorised chart
//! of accounts, in voucher order, paged by voucher number so that an incremental export never
//! misses or repeats an entry. Payout lines carry the personbogføring fields: a payment's
//! amount owed to families is split per payable (the case's reference), a payroll run's per
//! payroll line (the parent's reference), and an entry of one case carries that case's.
use crate::context::Ctx;
use crate::error::Result;
use crate::read::mappings::READERS;
use crate::store::journal::{self, EntryFilter, Stored};
use crate::store::{accounts, agreements, cases, clawbacks, expenses, mappings, payables};
use crate::store::{payroll, settlements, StoreResult, Tx};
use bookkeeping::{chart, AccountKind, Code, EntryKind, Error, Money};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, utoipa::ToSchema)]
pub struct GlLine {
    pub seq: i64,
    pub date: NaiveDate,
    #[schema(example = "5110")]
    pub account_code: String,
    #[schema(example = "5.28.21")]
    pub function: String,
    #[schema(example = "1")]
    pub dranst: String,
    #[schema(example = "5.2")]
    pub art: String,
    pub debit: Money,
    pub credit: Money,
    pub source_type: Option<String>,
    pub source_id: Option<String>,
    /// Personbogføring: the recipient by the municipality's reference (the case's reference, or
    /// the parent's on lost earnings), never a CPR number.
    pub recipient_ref: Option<String>,
    /// Personbogføring: `home_training_expenses` (barnets lov § 85, documented expenses),
    /// `home_training_fixed_amount` (§ 85, prepaid), `lost_earnings` (§ 87) or `claim`.
    pub benefit_type: Option<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct GlPage {
    pub items: Vec<GlLine>,
    /// Pass as `after_seq` for the next page; null on the last page.
    pub next_after_seq: Option<i64>,
}

/// The accounts and their mapping, checked: every financial account that has postings is
/// mapped, or the export is refused with the accounts to map.
struct Chart {
    code_of: HashMap<String, (String, AccountKind)>,
    mapped: HashMap<String, (String, String, String)>,
}

fn chart_of(tx: &mut Tx, m: &str) -> Result<Chart> {
    let version = mappings::current_version(tx, m)?;
    let mapped: HashMap<String, (String, String, String)> = mappings::of_version(tx, m, version)?
        .into_iter()
        .map(|r| (r.account_code, (r.function, r.dranst, r.art)))
        .collect();
    let mut code_of = HashMap::new();
    let mut err: Option<Error> = None;
    for a in accounts::all(tx, m)? {
        let kind = a.kind()?;
        let used = a.debits().is_positive() || a.credits().is_positive();
        if kind != AccountKind::Budget && used && !mapped.contains_key(&a.code) {
            let e = err.get_or_insert_with(|| {
                Error::rule(
                    Code::UnmappedAccounts,
                    "accounts with postings are not mapped to the chart of accounts: map them (PUT /v1/account-mappings) before exporting",
                )
                .legal(rules::erp::LEGAL)
            });
            e.errors.push(bookkeeping::FieldError {
                field: "account_code".into(),
                code: Code::UnmappedAccounts,
                message: format!("{} {}", a.code, a.name),
            });
        }
        code_of.insert(a.id.clone(), (a.code.clone(), kind));
    }
    match err {
        Some(e) => Err(e.into()),
        None => Ok(Chart { code_of, mapped }),
    }
}

/// A page of the export: entries with a voucher number above `after_seq`, dated `from`..`to`.
pub fn page(
    tx: &mut Tx,
    ctx: &Ctx,
    span: (Option<NaiveDate>, Option<NaiveDate>),
    after_seq: i64,
    limit: i64,
) -> Result<GlPage> {
    ctx.require(READERS)?;
    let chart = chart_of(tx, &ctx.municipality)?;
    page_of(tx, &ctx.municipality, &chart, span, after_seq, limit)
}

/// A page with the chart already read (a streamed export reads it once, not per page).
fn page_of(
    tx: &mut Tx,
    m: &str,
    chart: &Chart,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    after_seq: i64,
    limit: i64,
) -> Result<GlPage> {
    let entries = journal::list(
        tx,
        m,
        &EntryFilter {
            from,
            to,
            after_seq: Some(after_seq),
            limit,
            ..Default::default()
        },
    )?;
    let next = (entries.len() as i64 == limit)
        .then(|| entries.last().and_then(|e| e.entry.seq))
        .flatten();
    let mut cases_ref: HashMap<String, String> = HashMap::new();
    let mut items = vec![];
    for s in &entries {
        lines_of(tx, m, chart, s, &mut cases_ref, &mut items)?;
    }
    Ok(GlPage {
        items,
        next_after_seq: next,
    })
}

fn case_ref(
    tx: &mut Tx,
    m: &str,
    case_id: &str,
    cache: &mut HashMap<String, String>,
) -> StoreResult<Option<String>> {
    if let Some(r) = cache.get(case_id) {
        return Ok(Some(r.clone()));
    }
    let r = cases::get(tx, m, case_id)?.map(|c| c.external_ref);
    if let Some(r) = &r {
        cache.insert(case_id.to_string(), r.clone());
    }
    Ok(r)
}

/// The case and benefit an entry of one case belongs to, from its source.
fn one_case(tx: &mut Tx, m: &str, s: &Stored) -> StoreResult<Option<(String, &'static str)>> {
    let (Some(t), Some(id)) = (&s.entry.source_type, &s.entry.source_id) else {
        return Ok(None);
    };
    Ok(match t.as_str() {
        "expense" => expenses::get(tx, m, id)?.map(|e| (e.case_id, "home_training_expenses")),
        "installment" => {
            agreements::case_of_installment(tx, m, id)?.map(|c| (c, "home_training_fixed_amount"))
        }
        "settlement" => {
            settlements::get(tx, m, id)?.map(|x| (x.case_id, "home_training_fixed_amount"))
        }
        "clawback" => clawbacks::get(tx, m, id)?.map(|c| (c.case_id, "claim")),
        _ => None,
    })
}

/// Payout parts: the recipient's reference, the benefit, the amount.
type Parts = Vec<(Option<String>, &'static str, Money)>;

/// The amounts owed to families an entry pays or books, split per recipient: a payment's per
/// payable (to families), a payroll run's per paid line.
fn split(
    tx: &mut Tx,
    m: &str,
    s: &Stored,
    cache: &mut HashMap<String, String>,
) -> StoreResult<Option<Parts>> {
    let id = s.entry.source_id.as_deref().unwrap_or_default();
    Ok(match s.entry.kind()? {
        EntryKind::Payment => {
            let mut out = vec![];
            for pid in payables::paid_by(tx, id)? {
                let Some(p) = payables::get(tx, m, &pid)? else {
                    continue;
                };
                if p.payee != "family" {
                    continue;
                }
                let benefit = if p.settlement_id.is_some() {
                    "home_training_fixed_amount"
                } else {
                    "home_training_expenses"
                };
                out.push((
                    case_ref(tx, m, &p.case_id, cache)?,
                    benefit,
                    Money::from_ore(p.amount),
                ));
            }
            Some(out)
        }
        EntryKind::LostEarnings => Some(
            payroll::all_lines(tx, id)?
                .into_iter()
                .filter(|l| l.clawback_id.is_none())
                .map(|l| {
                    (
                        Some(l.parent_ref),
                        "lost_earnings",
                        Money::from_ore(l.pay_before_tax),
                    )
                })
                .collect(),
        ),
        _ => None,
    })
}

fn lines_of(
    tx: &mut Tx,
    m: &str,
    chart: &Chart,
    s: &Stored,
    cache: &mut HashMap<String, String>,
    out: &mut Vec<GlLine>,
) -> Result<()> {
    let e = &s.entry;
    let single = match one_case(tx, m, s)? {
        Some((case, benefit)) => Some((case_ref(tx, m, &case, cache)?, benefit)),
        None => None,
    };
    let split = split(tx, m, s, cache)?;
    for p in &s.postings {
        let Some((code, kind)) = chart.code_of.get(&p.account_id) else {
            continue;
        };
        if *kind == AccountKind::Budget {
            continue;
        }
        let Some((function, dranst, art)) = chart.mapped.get(code) else {
            continue;
        };
        let line = |debit: Money,
                    credit: Money,
                    recipient: Option<String>,
                    benefit: Option<&str>| GlLine {
            seq: e.seq.unwrap_or_default(),
            date: e.effective_date,
            account_code: code.clone(),
            function: function.clone(),
            dranst: dranst.clone(),
            art: art.clone(),
            debit,
            credit,
            source_type: e.source_type.clone(),
            source_id: e.source_id.clone(),
            recipient_ref: recipient,
            benefit_type: benefit.map(str::to_string),
        };
        let (debit, credit) = (Money::from_ore(p.debit), Money::from_ore(p.credit));
        match &split {
            // The amount owed to families, one line per recipient; the lines sum to the posting.
            Some(parts) if code == chart::PAYABLES_TO_FAMILIES && !parts.is_empty() => {
                let total: i64 = parts.iter().map(|(_, _, a)| a.ore()).sum();
                if total != p.debit + p.credit {
                    out.push(line(debit, credit, None, None));
                    continue;
                }
                for (recipient, benefit, amount) in parts {
                    // On the posting's side; a negative part (a correction) on the other.
                    let (same, other) = (Money::from_ore(amount.ore().abs()), Money::ZERO);
                    let (same, other) = if amount.is_negative() {
                        (other, same)
                    } else {
                        (same, other)
                    };
                    let (d, c) = if debit.is_positive() {
                        (same, other)
                    } else {
                        (other, same)
                    };
                    out.push(line(d, c, recipient.clone(), Some(benefit)));
                }
            }
            _ => {
                let (r, b) = match &single {
                    Some((r, b)) => (r.clone(), Some(*b)),
                    None => (None, None),
                };
                out.push(line(debit, credit, r, b));
            }
        }
    }
    Ok(())
}

/// Who may export, and whether every financial account with postings is mapped (else the
/// export is refused with the accounts to map).
pub fn check(tx: &mut Tx, ctx: &Ctx) -> Result<()> {
    ctx.require(READERS)?;
    chart_of(tx, &ctx.municipality).map(|_| ())
}

/// Every line after `after_seq` as CSV, handed to `out` a page at a time (the header first);
/// `out` answers false when the reader has gone, and the export stops.
pub fn stream_csv(
    tx: &mut Tx,
    ctx: &Ctx,
    span: (Option<NaiveDate>, Option<NaiveDate>),
    mut after_seq: i64,
    danish: bool,
    out: &mut dyn FnMut(Vec<u8>) -> bool,
) -> Result<()> {
    ctx.require(READERS)?;
    let chart = chart_of(tx, &ctx.municipality)?;
    let mut first = true;
    loop {
        let p = page_of(tx, &ctx.municipality, &chart, span, after_seq, 1000)?;
        if !out(csv(&p.items, danish, first)?) {
            return Ok(());
        }
        first = false;
        match p.next_after_seq {
            Some(n) => after_seq = n,
            None => return Ok(()),
        }
    }
}

/// The lines as CSV (with the header line when `header`); `danish`: `;`, decimal commas and a UTF-8 byte-order mark. Text cells a
/// spreadsheet would take for a formula are prefixed with `'`.
pub fn csv(lines: &[GlLine], danish: bool, header: bool) -> StoreResult<Vec<u8>> {
    use crate::read::spreadsheet::{text_cell, Sheet};
    // A continuation page carries neither the header nor the byte-order mark.
    let mut w = Sheet::new(danish, header);
    let columns = [
        "seq",
        "date",
        "account_code",
        "function",
        "dranst",
        "art",
        "debit",
        "credit",
        "source_type",
        "source_id",
        "recipient_ref",
        "benefit_type",
    ];
    if header {
        w.row(columns)?;
    }
    let opt = |o: &Option<String>| text_cell(o.as_deref().unwrap_or_default());
    for l in lines {
        w.row([
            l.seq.to_string(),
            l.date.to_string(),
            text_cell(&l.account_code),
            l.function.clone(),
            l.dranst.clone(),
            l.art.clone(),
            w.money(l.debit),
            w.money(l.credit),
            opt(&l.source_type),
            opt(&l.source_id),
            opt(&l.recipient_ref),
            opt(&l.benefit_type),
        ])?;
    }
    w.finish()
}
