//! Reads one import's file to its end in one write transaction: every line parsed and judged,
//! the accepted ones written as they stream, every issue reported. All or nothing: the first
//! refused line throws the transaction's writes away (`store::start_over`) and the rest is only
//! judged; the vouchers, the decisions and the import's end commit together, so a crash books
//! nothing.
use super::book::CaseBook;
use super::judge::Judge;
use super::payslip_key::PayslipKey;
use super::rows::{self, RowError};
use super::service::Progress;
use super::voucher::Vouchers;
use crate::commands::decision::{self, NewDecision};
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::store::imports::{self, ImportRow, IssueRow, Outcome};
use crate::store::{batch, expenses, now, payables, periods, settings, DbConnection, Store};
use bookkeeping::Money;
use diesel::connection::SimpleConnection;
use rules::decision::{DecisionKind, Outcome as Verdict};
use rules::expense::approval;
use rust_decimal::Decimal;
use std::io::Read;
use std::path::Path;
use std::sync::atomic::Ordering;

/// Rows (expenses, or the report's issues) held in memory before they are written, while a file
/// streams.
const FLUSH: usize = 1000;
/// Warnings kept in the report (all are counted); errors are all kept.
const MAX_WARNINGS: usize = 10_000;

/// Reads the file at `path` for `import`; `progress` shows how far it has come meanwhile.
pub fn run(
    store: &Store,
    ctx: &Ctx,
    import: &ImportRow,
    path: &Path,
    progress: &Progress,
) -> Result<()> {
    store.write(|conn| {
        progress.rows_read.store(0, Ordering::Relaxed);
        progress.booking.store(false, Ordering::Relaxed);
        // A big file's expenses and payables go into a few indexes in one transaction: a small
        // page cache would reread their pages over and over. This connection gets 64 MiB while
        // it imports and no memory map (whose pages would count a second time in the process's
        // memory, beside the cache), and its usual settings back after.
        let sqlite = matches!(conn, DbConnection::Sqlite(_));
        if sqlite {
            conn.batch_execute("PRAGMA cache_size = -65536; PRAGMA mmap_size = 0;")?;
        }
        let done = read(conn, ctx, import, path, progress);
        if sqlite {
            conn.batch_execute(crate::store::SQLITE_MEMORY)?;
        }
        done
    })
}

/// The issues of a file as they are found, numbered in that order.
struct Report {
    import_id: String,
    municipality: String,
    n: i64,
    errors: i64,
    warnings: i64,
    pending: Vec<IssueRow>,
    kept_warnings: Vec<IssueRow>,
}

impl Report {
    fn row(&mut self, severity: &str, e: RowError) -> IssueRow {
        self.n += 1;
        IssueRow {
            import_id: self.import_id.clone(),
            n: self.n,
            municipality: self.municipality.clone(),
            severity: severity.to_string(),
            line: e.line as i64,
            column_name: e.column,
            value: e.value,
            code: e.code,
            detail: e.detail,
        }
    }

    fn error(&mut self, e: RowError) {
        self.errors += 1;
        let r = self.row("error", e);
        self.pending.push(r);
    }

    fn warning(&mut self, e: RowError) {
        self.warnings += 1;
        let r = self.row("warning", e);
        if self.kept_warnings.len() < MAX_WARNINGS {
            self.kept_warnings.push(r);
        }
    }

    /// Writes the errors found so far (only once nothing is being booked any more).
    fn flush(&mut self, conn: &mut DbConnection) -> Result<()> {
        imports::insert_issues(conn, &self.pending)?;
        self.pending.clear();
        Ok(())
    }
}

fn read(
    conn: &mut DbConnection,
    ctx: &Ctx,
    import: &ImportRow,
    path: &Path,
    progress: &Progress,
) -> Result<()> {
    let m = &ctx.municipality;
    let mut file = std::fs::File::open(path).map_err(|e| io_failed(path, e))?;
    let mut head = vec![0u8; 8192];
    let got = read_full(&mut file, &mut head).map_err(|e| io_failed(path, e))?;
    head.truncate(got);
    let mut report = Report {
        import_id: import.id.clone(),
        municipality: m.clone(),
        n: 0,
        errors: 0,
        warnings: 0,
        pending: vec![],
        kept_warnings: vec![],
    };
    let dialect_name;
    let mut lines = match rows::open(file, &head, import.forced_dialect.as_deref()) {
        Ok(r) => {
            dialect_name = r.dialect().name();
            r
        }
        Err(errors) => {
            for e in errors {
                report.error(e);
            }
            report.flush(conn)?;
            let d = super::dialect::detect(&head, import.forced_dialect.as_deref()).name();
            return end(conn, import, &report, d, 0, None);
        }
    };
    let mut judge = Judge {
        municipality: m.clone(),
        import_id: import.id.clone(),
        sender: ctx.sub.clone(),
        firm: (ctx.role == bookkeeping::Role::PayrollFirm).then(|| ctx.sub.clone()),
        insurance_threshold: settings::in_force(conn, m)?.0.insurance_threshold_hours,
        closed_through: periods::closed_through(conn, m)?,
        at: now(),
        cases: Default::default(),
        vouchers: Vouchers::default(),
        payslips_booked: expenses::imported_documents(conn, m)?
            .iter()
            .filter(|d| !d.ends_with("#fee"))
            .map(|d| PayslipKey::of(d))
            .collect(),
        payslips_in_file: Default::default(),
    };
    // Booking goes straight into this transaction (nothing else is written before the first
    // refused line); that line throws it all away and starts over, where only the report is
    // written.
    let mut booking = !import.dry_run;
    let (mut new_expenses, mut new_payables) = (vec![], vec![]);
    let mut read_n = 0u64;
    while let Some(next) = lines.next_row() {
        read_n += 1;
        progress.rows_read.store(read_n, Ordering::Relaxed);
        let refused: Vec<RowError> = match next {
            Err(errors) => errors,
            Ok(row) => match judge.judge(conn, &row)? {
                Err(issues) => issues.iter().map(|i| lines.issue(row.line, i)).collect(),
                Ok(j) => {
                    for w in &j.warnings {
                        report.warning(lines.issue(row.line, w));
                    }
                    if booking {
                        new_expenses.extend(j.expenses);
                        new_payables.extend(j.payables);
                        if new_expenses.len() >= FLUSH {
                            expenses::insert_many(conn, &new_expenses)?;
                            payables::insert_many(conn, &new_payables)?;
                            new_expenses.clear();
                            new_payables.clear();
                        }
                    }
                    continue;
                }
            },
        };
        if booking {
            // The first refused line: nothing of the file is booked.
            crate::store::start_over(conn)?;
            booking = false;
            new_expenses = vec![];
            new_payables = vec![];
        }
        for e in refused {
            report.error(e);
        }
        if report.pending.len() >= FLUSH {
            report.flush(conn)?;
        }
    }
    report.flush(conn)?;
    let booked = if booking {
        expenses::insert_many(conn, &new_expenses)?;
        payables::insert_many(conn, &new_payables)?;
        drop((new_expenses, new_payables));
        progress.booking.store(true, Ordering::Relaxed);
        match book(conn, ctx, &import.id, judge) {
            Ok(b) => Some(b),
            // The ledger's own last word (a post's account under a race): the file books nothing.
            Err(Error::Refused(r)) => {
                crate::store::start_over(conn)?;
                report.error(RowError {
                    line: 0,
                    column: String::new(),
                    value: String::new(),
                    code: r.code.as_str().to_string(),
                    detail: r.detail.clone(),
                });
                report.flush(conn)?;
                None
            }
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    imports::insert_issues(conn, &report.kept_warnings)?;
    end(conn, import, &report, dialect_name, read_n, booked)
}

/// What a booked file booked.
#[derive(Default)]
struct Booked {
    rows: i64,
    amount: Money,
    hours: Decimal,
    wages: Money,
    fees: Money,
    entries: i64,
}

/// Books the vouchers (one batch) and one decision per case: the expenses it approved.
fn book(conn: &mut DbConnection, ctx: &Ctx, import_id: &str, judge: Judge) -> Result<Booked> {
    let mut booked = 0;
    // A chunk of vouchers per batch: the postings of a million lines never all in memory.
    for (entries, ids) in judge.vouchers.entries(import_id, 500) {
        booked += entries.len() as i64;
        batch::post_batch_as(conn, ctx, &entries, ids, batch::Sealing::Later, |_| Ok(()))?;
    }
    let mut b = Booked {
        entries: booked,
        ..Booked::default()
    };
    for book in judge.cases.into_values().flatten() {
        if book.payslips == 0 {
            continue;
        }
        decide(conn, ctx, import_id, &book)?;
        b.rows += book.payslips as i64;
        b.amount = sum(b.amount, book.amount)?;
        b.wages = sum(b.wages, book.wages)?;
        b.fees = sum(b.fees, book.fees)?;
        b.hours += book.hours_booked;
    }
    Ok(b)
}

/// A file's totals, in checked arithmetic: a sum past what the ledger holds is refused.
fn sum(a: Money, b: Money) -> Result<Money> {
    a.checked_add(b).ok_or_else(|| {
        bookkeeping::Error::rule(
            bookkeeping::Code::InvalidAmount,
            "the file's total is larger than the ledger can hold",
        )
        .into()
    })
}

/// The case's decision on the file's lines: the payslips approved and what they cost.
fn decide(conn: &mut DbConnection, ctx: &Ctx, import_id: &str, book: &CaseBook) -> Result<()> {
    let d = NewDecision::new(
        &book.case.id,
        DecisionKind::ExpenseApproved,
        Verdict::Granted,
        ctx.today,
        ("import", import_id),
        format!(
            "Lønudgifterne til hjælpetrænere på {} lønsedler fra lønadministrationen er nødvendige, dokumenterede træningsudgifter og dækkes af budgetposterne for hjælpetrænere og lønadministration.",
            book.payslips
        ),
    )
    .amount(book.amount)
    .legal(approval::LEGAL)
    .figure("payslips", book.payslips);
    decision::record(conn, ctx, d)?;
    Ok(())
}

fn end(
    conn: &mut DbConnection,
    import: &ImportRow,
    report: &Report,
    dialect: &str,
    rows_read: u64,
    booked: Option<Booked>,
) -> Result<()> {
    let status = match (&booked, report.errors, import.dry_run) {
        (Some(_), _, _) => "booked",
        (None, 0, true) => "dry_run_ok",
        _ => "rejected",
    };
    let b = booked.unwrap_or_default();
    let o = Outcome {
        status,
        dialect,
        rows_read: rows_read as i64,
        rows_booked: b.rows,
        errors_count: report.errors,
        warnings_count: report.warnings,
        amount_booked: b.amount.ore(),
        entries_booked: b.entries,
        hours_booked: b.hours.normalize().to_string(),
        wages_booked: b.wages.ore(),
        fees_booked: b.fees.ore(),
        finished_at: now(),
    };
    if !imports::finish(conn, &import.id, &o)? {
        return Err(bookkeeping::Error::conflict(
            bookkeeping::Code::ImportInterrupted,
            format!("import {} was marked interrupted while it ran; it booked nothing and the file may be sent again", import.id),
        )
        .into());
    }
    Ok(())
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn io_failed(path: &Path, e: std::io::Error) -> Error {
    crate::store::StoreError::Corrupt(format!(
        "the import file {} could not be read: {e}",
        path.display()
    ))
    .into()
}
