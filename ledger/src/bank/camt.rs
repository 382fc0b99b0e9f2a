//! ISO 20022 camt.053 (Bank-to-Customer Statement), versions 001.02 (Danske Bank, Nordea) and
//! 001.08: the statement's id, account and period, its opening (OPBD/PRCD) and closing (CLBD)
//! booked balances, and each booked entry (`Sts` BOOK) as a line: booking date, amount signed
//! by `CdtDbtInd` (a reversal is signed by its own indicator, as the standard says), end-to-end
//! id, the bank's reference and the remittance text. An entry booked as a batch with several
//! transaction details is one line per detail, and the details must add up to the entry.
use super::camt_schema::{Amt, DateChoice, Document, TxDtls};
use super::{ore_of, ParsedLine, ParsedStatement, Problems};
use crate::error::Result;
use chrono::NaiveDate;

const KIND: &str = "camt.053 statement";
const VERSIONS: [(&str, &str); 2] = [
    (
        "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02",
        "camt.053.001.02",
    ),
    (
        "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08",
        "camt.053.001.08",
    ),
];

/// The line of the `pos`-th byte (from 1).
fn line_of(text: &str, pos: usize) -> usize {
    text.as_bytes()[..pos.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Well-formed XML, or the line where it stops being so.
fn well_formed(text: &str) -> Result<()> {
    let mut r = quick_xml::Reader::from_str(text);
    r.config_mut().check_end_names = true;
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => {
                let at = format!("line {}", line_of(text, r.error_position() as usize));
                return Err(super::refuse(KIND, &at, format!("not well-formed XML: {e}")).into());
            }
        }
    }
}

fn date_of(c: &DateChoice) -> Option<NaiveDate> {
    let t = c.dt.as_deref().or(c.dt_tm.as_deref())?.trim();
    NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()
}

fn signed(amount: i64, indicator: &str) -> Option<i64> {
    match indicator.trim() {
        "CRDT" => Some(amount),
        "DBIT" => Some(-amount),
        _ => None,
    }
}

fn present(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty() && *s != "NOTPROVIDED")
        .map(String::from)
}

/// The statement in `bytes`, or a refusal naming the line or element and what is wrong.
pub fn parse(bytes: &[u8]) -> Result<ParsedStatement> {
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|e| super::refuse(KIND, "file", format!("not UTF-8 ({e}); camt.053 is UTF-8")))?;
    well_formed(text)?;
    let mut de = quick_xml::de::Deserializer::from_str(text);
    let doc: Document = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        super::refuse(
            KIND,
            &format!("Document.{path}"),
            e.into_inner().to_string(),
        )
    })?;
    let ns = doc.xmlns.as_deref().unwrap_or("").trim();
    let Some((_, format)) = VERSIONS.iter().find(|(n, _)| *n == ns) else {
        return Err(super::refuse(
            KIND,
            "Document/@xmlns",
            format!("{ns:?} is not camt.053.001.02 or camt.053.001.08"),
        )
        .into());
    };
    let mut stmts = doc.message.statements;
    if stmts.len() != 1 {
        return Err(super::refuse(
            KIND,
            "BkToCstmrStmt/Stmt",
            format!("a file holds one statement; this one holds {}", stmts.len()),
        )
        .into());
    }
    let s = stmts.remove(0);
    let mut p = Problems::default();
    let amount = |at: &str, a: &Amt, p: &mut Problems| -> Option<i64> {
        if let Some(c) = a.ccy.as_deref().filter(|c| c.trim() != "DKK") {
            p.add(at, format!("the currency is {c:?}; the account is in DKK"));
            return None;
        }
        let v = ore_of(&a.value);
        if v.is_none() {
            p.add(
                at,
                format!(
                    "{:?} is not an amount (digits, a point, at most two decimals)",
                    a.value
                ),
            );
        }
        v
    };
    let (mut opening, mut closing, mut closing_date) = (None, None, None);
    for (i, b) in s.bal.iter().enumerate() {
        let at = format!("Stmt/Bal[{}]", i + 1);
        let code =
            b.tp.cd_or_prtry
                .cd
                .as_deref()
                .or(b.tp.cd_or_prtry.prtry.as_deref())
                .unwrap_or("");
        let Some(v) = amount(&format!("{at}/Amt"), &b.amt, &mut p) else {
            continue;
        };
        let Some(v) = signed(v, &b.cdt_dbt_ind) else {
            p.add(format!("{at}/CdtDbtInd"), "CdtDbtInd is CRDT or DBIT");
            continue;
        };
        match code.trim() {
            "OPBD" | "PRCD" => opening = opening.or(Some(v)),
            "CLBD" => {
                closing = Some(v);
                closing_date = date_of(&b.dt);
                if closing_date.is_none() {
                    p.add(
                        format!("{at}/Dt"),
                        "the closing balance has no date (YYYY-MM-DD)",
                    );
                }
            }
            _ => {}
        }
    }
    let mut lines = vec![];
    for (i, n) in s.ntry.iter().enumerate() {
        let at = format!("Stmt/Ntry[{}]", i + 1);
        let status = n
            .sts
            .as_ref()
            .and_then(|s| s.cd.as_deref().or(s.text.as_deref()))
            .unwrap_or("BOOK");
        if status.trim() != "BOOK" {
            continue; // pending or information only: not on the account yet
        }
        let Some(date) = n.bookg_dt.as_ref().and_then(date_of) else {
            p.add(
                format!("{at}/BookgDt"),
                "a booked entry has a booking date (YYYY-MM-DD)",
            );
            continue;
        };
        let Some(total) = amount(&format!("{at}/Amt"), &n.amt, &mut p) else {
            continue;
        };
        let Some(total) = signed(total, &n.cdt_dbt_ind) else {
            p.add(format!("{at}/CdtDbtInd"), "CdtDbtInd is CRDT or DBIT");
            continue;
        };
        let details: Vec<&TxDtls> = n.ntry_dtls.iter().flat_map(|d| d.tx_dtls.iter()).collect();
        let text_of = |t: Option<&TxDtls>| {
            t.and_then(|t| {
                t.rmt_inf
                    .as_ref()
                    .map(|r| r.ustrd.join(" "))
                    .filter(|s| !s.trim().is_empty())
                    .or_else(|| present(&t.addtl_tx_inf))
            })
            .or_else(|| present(&n.addtl_ntry_inf))
            .unwrap_or_default()
        };
        let line = |amount: i64, t: Option<&TxDtls>| ParsedLine {
            booking_date: date,
            amount,
            text: text_of(t),
            end_to_end_id: t
                .and_then(|t| t.refs.as_ref())
                .and_then(|r| present(&r.end_to_end_id)),
            bank_reference: t
                .and_then(|t| t.refs.as_ref())
                .and_then(|r| present(&r.acct_svcr_ref))
                .or_else(|| present(&n.acct_svcr_ref)),
            balance: None,
        };
        if details.len() <= 1 {
            lines.push(line(total, details.first().copied()));
            continue;
        }
        let mut sum = 0i64;
        for (k, t) in details.iter().enumerate() {
            let tat = format!("{at}/NtryDtls/TxDtls[{}]", k + 1);
            let a = t.amt.as_ref().or(t
                .amt_dtls
                .as_ref()
                .and_then(|d| d.tx_amt.as_ref())
                .map(|x| &x.amt));
            let Some(a) = a else {
                p.add(
                    &tat,
                    "a detail of a batch booking has its own amount (AmtDtls/TxAmt/Amt or Amt)",
                );
                continue;
            };
            let Some(v) = amount(&format!("{tat}/Amt"), a, &mut p) else {
                continue;
            };
            let v = signed(v, t.cdt_dbt_ind.as_deref().unwrap_or(&n.cdt_dbt_ind)).unwrap_or(0);
            sum += v;
            lines.push(line(v, Some(t)));
        }
        if p.is_empty() && sum != total {
            p.add(
                &at,
                format!(
                    "the details add up to {} and the entry is {}",
                    bookkeeping::Money::from_ore(sum),
                    bookkeeping::Money::from_ore(total)
                ),
            );
        }
    }
    if !p.is_empty() {
        return Err(p.into_error(KIND).into());
    }
    rules::bank::statement::check_balances(
        opening,
        &lines.iter().map(|l| l.amount).collect::<Vec<_>>(),
        closing,
    )?;
    let dates = lines.iter().map(|l| l.booking_date).chain(closing_date);
    let (from, to) = match &s.fr_to_dt {
        Some(f) => (
            NaiveDate::parse_from_str(f.fr_dt_tm.trim().get(..10).unwrap_or(""), "%Y-%m-%d").ok(),
            NaiveDate::parse_from_str(f.to_dt_tm.trim().get(..10).unwrap_or(""), "%Y-%m-%d").ok(),
        ),
        None => (dates.clone().min(), dates.max()),
    };
    let (Some(period_from), Some(period_to)) = (from, to) else {
        return Err(super::refuse(
            KIND,
            "Stmt/FrToDt",
            "the statement has no period: no FrToDt, no booked entries and no closing balance",
        )
        .into());
    };
    if period_from > period_to {
        return Err(super::refuse(KIND, "Stmt/FrToDt", "the period ends before it begins").into());
    }
    let id = s.id.trim().to_string();
    if id.is_empty() || id.chars().count() > 35 {
        return Err(super::refuse(KIND, "Stmt/Id", "a statement id is 1-35 characters").into());
    }
    Ok(ParsedStatement {
        format,
        statement_ref: Some(id),
        account: s.acct.and_then(|a| a.id.iban.or(a.id.other.map(|o| o.id))),
        period_from,
        period_to,
        opening,
        closing,
        closing_date,
        lines,
    })
}
