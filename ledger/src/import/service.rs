//! The service's imports: a file is accepted once (by its SHA-256), read in the background one
//! at a time, and shown with its progress while it runs and its report after.
use super::run;
use crate::context::Ctx;
use crate::error::{Error, Result};
use crate::service::Ledger;
use crate::store::imports::{self, ImportRow, IssueRow};
use crate::store::{new_id, now, StoreError};
use bookkeeping::{Code, Money, Role};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// Who sends payroll files, and who reads their reports.
pub const SENDERS: &[Role] = &[Role::PayrollFirm, Role::Finance];
pub const READERS: &[Role] = &[Role::PayrollFirm, Role::Finance, Role::Controller];

/// The imports this process runs: one at a time (each holds a write transaction to its end),
/// with their progress.
#[derive(Default)]
pub struct Runner {
    one_at_a_time: Mutex<()>,
    progress: Mutex<HashMap<String, Arc<Progress>>>,
}

/// How far a running import has come: the lines read, and whether every line has been judged
/// and the vouchers are being booked.
#[derive(Default)]
pub struct Progress {
    pub rows_read: AtomicU64,
    pub booking: AtomicBool,
}

/// An import as the API shows it.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"id": "01936f3e-7c5a-7b1e-9a51-3f1c2d4e5f60", "status": "booked", "kind": "helper_payroll", "dry_run": false, "sha256": "9f2c4e0b1d7a3c5e8f6b2a4d0c9e7f1a3b5d7c9e1f3a5b7d9c1e3f5a7b9d1c3e", "bytes": 1843, "dialect": "da", "forced_dialect": null, "rows_read": 3, "rows_total": 3, "rows_booked": 3, "errors_count": 0, "warnings_count": 0, "amount_booked": "6814.96", "hours_booked": "30", "wages_booked": "6724.96", "fees_booked": "90.00", "entries_booked": 2, "created_by": "payroll-firm-1", "created_at": "2025-04-02T08:15:00.000000Z", "finished_at": "2025-04-02T08:15:01.250000Z"}))]
pub struct ImportView {
    pub id: String,
    /// validating (queued or being read), booking (every line accepted, the vouchers being
    /// booked), booked, rejected, dry_run_ok, or interrupted (the process stopped; nothing was
    /// booked and the file may be sent again).
    pub status: String,
    pub kind: String,
    pub dry_run: bool,
    pub sha256: String,
    pub bytes: i64,
    /// The dialect the file was read in: `da` or `en`.
    pub dialect: Option<String>,
    /// The dialect the sender forced, if any.
    pub forced_dialect: Option<String>,
    /// Lines read so far (the progress while it runs), the header not counted.
    pub rows_read: i64,
    /// The file's lines, the header not counted: counted as the file arrived (its line breaks),
    /// the lines read once it has ended.
    pub rows_total: Option<i64>,
    pub rows_booked: i64,
    pub errors_count: i64,
    pub warnings_count: i64,
    /// Everything booked: wages with the employer's costs, and fees.
    pub amount_booked: Money,
    /// The helpers' hours booked on the helper-trainer posts.
    #[schema(value_type = String, example = "12.5")]
    pub hours_booked: String,
    /// Wages with the employer's costs (ATP, holiday pay, maternity fund, insurance) booked on
    /// the helper-trainer posts.
    pub wages_booked: Money,
    /// The payroll firm's fees booked on the payroll-administration posts.
    pub fees_booked: Money,
    pub entries_booked: i64,
    pub created_by: String,
    #[serde(with = "crate::read::utc")]
    pub created_at: NaiveDateTime,
    #[serde(default, with = "crate::read::utc::opt")]
    pub finished_at: Option<NaiveDateTime>,
}

/// One issue of an import's report.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"n": 1, "severity": "error", "line": 3, "column": "Bruttoløn", "value": "2.312,505", "code": "invalid_amount", "detail": "an amount from 0 to 100000000.00 with at most two decimals"}))]
pub struct IssueView {
    /// Its place in the report (the `after` of the next page).
    pub n: i64,
    /// `error` (the file books nothing) or `warning` (booked all the same).
    pub severity: String,
    /// The line in the file, counting the header as line 1 (0: the file as a whole).
    pub line: i64,
    /// The column as the file names it.
    pub column: String,
    /// The cell's text as the file has it (withheld when it looks like a CPR number).
    pub value: String,
    pub code: String,
    pub detail: String,
}

fn view(r: ImportRow, running: Option<&Progress>) -> ImportView {
    let status = match running {
        Some(p) if p.booking.load(Ordering::Relaxed) => "booking".to_string(),
        _ => r.status,
    };
    ImportView {
        rows_read: running
            .map(|p| p.rows_read.load(Ordering::Relaxed) as i64)
            .unwrap_or(r.rows_read),
        rows_total: r.rows_total,
        hours_booked: r.hours_booked,
        wages_booked: Money::from_ore(r.wages_booked),
        fees_booked: Money::from_ore(r.fees_booked),
        id: r.id,
        status,
        kind: r.kind,
        dry_run: r.dry_run,
        sha256: r.sha256,
        bytes: r.bytes,
        dialect: r.dialect,
        forced_dialect: r.forced_dialect,
        rows_booked: r.rows_booked,
        errors_count: r.errors_count,
        warnings_count: r.warnings_count,
        amount_booked: Money::from_ore(r.amount_booked),
        entries_booked: r.entries_booked,
        created_by: r.created_by,
        created_at: r.created_at,
        finished_at: r.finished_at,
    }
}

pub fn not_found(id: &str) -> Error {
    bookkeeping::Error::missing(Code::ImportNotFound, "import", id).into()
}

/// A file as it arrived.
pub struct NewFile {
    pub sha256: String,
    pub bytes: i64,
    pub dry_run: bool,
    pub forced_dialect: Option<String>,
    /// The lines after the header, as counted while it arrived.
    pub rows_total: Option<i64>,
}

impl Ledger {
    /// Accepts a helper-payroll file stored at `path` and reads it in the background: the new
    /// import, or (`false`) the import the same file already is (booked or running), which
    /// books nothing again. A dry run is never the same as another import.
    pub fn start_import<P: AsRef<Path> + Send + 'static>(
        &self,
        ctx: &Ctx,
        file: NewFile,
        path: P,
    ) -> Result<(ImportView, bool)> {
        ctx.require(SENDERS)?;
        self.ensure_municipality(&ctx.municipality)?;
        let m = ctx.municipality.clone();
        let row = ImportRow {
            id: new_id(),
            municipality: m.clone(),
            kind: "helper_payroll".into(),
            sha256: file.sha256.clone(),
            bytes: file.bytes,
            dry_run: file.dry_run,
            forced_dialect: file.forced_dialect,
            status: "validating".into(),
            dialect: None,
            rows_read: 0,
            rows_booked: 0,
            errors_count: 0,
            warnings_count: 0,
            amount_booked: 0,
            entries_booked: 0,
            rows_total: file.rows_total,
            hours_booked: "0".into(),
            wages_booked: 0,
            fees_booked: 0,
            created_by: ctx.sub.clone(),
            created_role: ctx.role.as_str().to_string(),
            created_at: now(),
            finished_at: None,
        };
        let existing = self.store().write(|c| {
            if !row.dry_run {
                if let Some(first) = imports::live_of_file(c, &m, &row.sha256)? {
                    return Ok(Some(first));
                }
            }
            imports::insert(c, &row)?;
            Ok(None)
        });
        let existing = match existing {
            Ok(e) => e,
            // The same file sent twice at once: the other request's import is the one.
            Err(Error::Store(StoreError::UniqueViolation(_))) => self
                .store()
                .read(|c| Ok(imports::live_of_file(c, &m, &row.sha256)?))?,
            Err(e) => return Err(e),
        };
        if let Some(first) = existing {
            return Ok((view(first, None), false));
        }
        let progress = Arc::new(Progress::default());
        let runner = self.imports().clone();
        runner
            .progress_of()
            .insert(row.id.clone(), progress.clone());
        let (ledger, ctx, import) = (self.clone(), ctx.clone(), row.clone());
        std::thread::Builder::new()
            .name("import".into())
            .spawn(move || {
                let _one = runner.one_at_a_time.lock().unwrap_or_else(|p| p.into_inner());
                let done = run::run(ledger.store(), &ctx, &import, path.as_ref(), &progress);
                if let Err(e) = done {
                    tracing::error!(import = %import.id, error = %e, "import failed; marked interrupted");
                    let marked = ledger
                        .store()
                        .write(|c| Ok(imports::interrupt(c, &import.id, now())?));
                    if let Err(e) = marked {
                        tracing::error!(import = %import.id, error = %e, "could not mark the import interrupted");
                    }
                }
                runner.progress_of().remove(&import.id);
                drop(path);
            })
            .map_err(|e| StoreError::Corrupt(format!("no thread for the import: {e}")))?;
        Ok((view(row, Some(&Progress::default())), true))
    }

    /// An import, with its progress while it runs. A payroll firm sees its own imports only.
    pub fn import(&self, ctx: &Ctx, id: &str) -> Result<ImportView> {
        let row = self.visible_import(ctx, id)?;
        let progress = self.imports().progress_of().get(id).cloned();
        let running = imports::RUNNING.contains(&row.status.as_str());
        Ok(view(row, progress.as_deref().filter(|_| running)))
    }

    /// A page of an import's report: `severity` error, warning or both (None).
    pub fn import_issues(
        &self,
        ctx: &Ctx,
        id: &str,
        severity: Option<&str>,
        after: i64,
        limit: i64,
    ) -> Result<Vec<IssueView>> {
        self.visible_import(ctx, id)?;
        let rows = self.store().read(|c| {
            Ok(imports::issues(
                c,
                &ctx.municipality,
                id,
                severity,
                after,
                limit,
            )?)
        })?;
        Ok(rows.into_iter().map(issue_view).collect())
    }

    /// At start-up: imports a stopped process left running booked nothing (their booking
    /// commits with their end); they are marked interrupted so their files may be sent again.
    pub fn recover_imports(&self) -> Result<usize> {
        self.store()
            .write(|c| Ok(imports::interrupt_running(c, now())?))
    }

    fn visible_import(&self, ctx: &Ctx, id: &str) -> Result<ImportRow> {
        ctx.require(READERS)?;
        let row = self
            .query(ctx, |c| Ok(imports::get(c, &ctx.municipality, id)?))?
            .filter(|r| ctx.role != Role::PayrollFirm || r.created_by == ctx.sub)
            .ok_or_else(|| not_found(id))?;
        Ok(row)
    }
}

impl Runner {
    fn progress_of(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Progress>>> {
        self.progress.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn issue_view(r: IssueRow) -> IssueView {
    IssueView {
        n: r.n,
        severity: r.severity,
        line: r.line,
        column: r.column_name,
        value: r.value,
        code: r.code,
        detail: r.detail,
    }
}
