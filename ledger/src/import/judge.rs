//! Judges each line of a payroll file by the rules a documented expense meets, the same rules
//! code (`submission::check_shape` and `decide`, no second copy): the wage and the employer's
//! costs on the case's helper-trainer post, the firm's fee on its payroll-administration post.
//! An accepted line becomes approved expenses, the payables they create and its share of a
//! voucher; a refused one, the issues naming the file's own columns.
use super::book::CaseBook;
use super::columns::Column;
use super::payslip_key::PayslipKey;
use super::rows::PayrollRow;
use super::voucher::{Share, Vouchers};
use crate::store::expenses::ExpenseRow;
use crate::store::payables::PayableRow;
use crate::store::{new_id, DbConnection, StoreResult};
use bookkeeping::{period, Code, Error, Money};
use chrono::{Datelike, NaiveDate, NaiveDateTime};
use rules::budget::grant::Category;
use rules::expense::submission::{self, NewExpense};
use rules::expense::{helper_insurance, ExpenseStatus};
use rules::payment::{self, PayableStatus, Payee};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};

/// What is wrong with a line (or worth a second look), in the file's terms.
#[derive(Clone, Debug)]
pub struct Issue {
    pub column: Column,
    pub code: Code,
    pub detail: String,
}

impl Issue {
    fn new(column: Column, code: Code, detail: impl Into<String>) -> Issue {
        Issue {
            column,
            code,
            detail: detail.into(),
        }
    }

    /// A rule's refusal, on the column that holds what the rule names (`fee_line`: the rule
    /// judged the fee's expense), with the rule's legal reference.
    fn of(e: Error, fee_line: bool) -> Issue {
        let money = if fee_line {
            Column::Fee
        } else {
            Column::GrossWage
        };
        let column = match e.errors.first().map(|f| f.field.as_str()) {
            Some("hours") => Column::Hours,
            Some("service_from" | "expense_date") => Column::PeriodFrom,
            Some("service_to") => Column::PeriodTo,
            Some("document_ref") => Column::PayslipRef,
            _ => money,
        };
        let detail = match &e.legal_reference {
            Some(l) => format!("{} ({l})", e.detail),
            None => e.detail.clone(),
        };
        Issue::new(column, e.code, detail)
    }
}

/// An accepted line: what it books.
pub struct Judged {
    pub expenses: Vec<ExpenseRow>,
    pub payables: Vec<PayableRow>,
    pub warnings: Vec<Issue>,
    /// The voucher day, and each expense's share of it.
    pub date: NaiveDate,
    pub shares: Vec<Share>,
}

/// The judge of one file: the cases met so far, and the vouchers their lines book.
pub struct Judge {
    pub municipality: String,
    pub import_id: String,
    /// Who sends the file, and the firm it speaks for when a payroll firm sends it (a firm
    /// books only on the cases whose wages it administers).
    pub sender: String,
    pub firm: Option<String>,
    pub insurance_threshold: i32,
    pub closed_through: Option<NaiveDate>,
    pub at: NaiveDateTime,
    /// The cases by reference; `None` for a reference no case (of this sender) has.
    pub cases: HashMap<String, Option<CaseBook>>,
    pub vouchers: Vouchers,
    /// The payslips, in their normal form, booked in the municipality from earlier files, and
    /// those on the file's accepted lines so far: a payslip is paid once, whichever case a
    /// file puts it on and however its reference is written.
    pub payslips_booked: HashSet<PayslipKey>,
    pub payslips_in_file: HashSet<PayslipKey>,
}

impl Judge {
    /// Judges `row`, counting the accepted lines before it.
    pub fn judge(
        &mut self,
        conn: &mut DbConnection,
        row: &PayrollRow,
    ) -> StoreResult<Result<Judged, Vec<Issue>>> {
        if !self.cases.contains_key(&row.case_ref) {
            let book = CaseBook::load(conn, &self.municipality, &row.case_ref)?.filter(|b| {
                self.firm.is_none() || b.case.payroll_firm.as_deref() == self.firm.as_deref()
            });
            self.cases.insert(row.case_ref.clone(), book);
        }
        let Some(book) = self.cases.get_mut(&row.case_ref).and_then(Option::as_mut) else {
            return Ok(Err(vec![Issue::new(
                Column::CaseRef,
                Code::CaseNotFound,
                format!(
                    "no case {} in the municipality (for this sender)",
                    row.case_ref
                ),
            )]));
        };
        let payslip = PayslipKey::of(&row.payslip_ref);
        if self.payslips_in_file.contains(&payslip) {
            return Ok(Err(vec![Issue::new(
                Column::PayslipRef,
                Code::PayslipDuplicateInFile,
                format!(
                    "payslip {} is on an earlier line of this file",
                    row.payslip_ref
                ),
            )]));
        }
        if self.payslips_booked.contains(&payslip) {
            return Ok(Err(vec![Issue::new(
                Column::PayslipRef,
                Code::PayslipAlreadyBooked,
                format!(
                    "payslip {} is already booked in the municipality; a payslip is reimbursed once",
                    row.payslip_ref
                ),
            )]));
        }
        let line = Line {
            row,
            sender: &self.sender,
            at: self.at,
            import_id: &self.import_id,
            closed_through: self.closed_through,
        };
        let mut judged = match line.judge(book, self.insurance_threshold) {
            Ok(j) => j,
            Err(issues) => return Ok(Err(issues)),
        };
        self.payslips_in_file.insert(payslip);
        let voucher = self
            .vouchers
            .add(conn, &self.municipality, judged.date, &judged.shares)?;
        for e in &mut judged.expenses {
            e.entry_id = Some(voucher.clone());
        }
        Ok(Ok(judged))
    }
}

struct Line<'a> {
    row: &'a PayrollRow,
    sender: &'a str,
    at: NaiveDateTime,
    import_id: &'a str,
    closed_through: Option<NaiveDate>,
}

/// What counting an expense changed, to take back when the line's other expense is refused.
struct Undo {
    post: usize,
    amount: Money,
    hours: Decimal,
    /// The day it counted for the rolling cap (none when paid from an advance).
    day: Option<NaiveDate>,
}

impl Undo {
    fn apply(self, book: &mut CaseBook, y: usize) {
        let state = &mut book.years[y].states[self.post];
        state.approved -= self.amount;
        state.hours_used -= self.hours;
        if let Some(day) = self.day {
            book.spending.push(day, -self.amount);
        }
        book.amount -= self.amount;
    }
}

impl Line<'_> {
    fn judge(&self, book: &mut CaseBook, threshold: i32) -> Result<Judged, Vec<Issue>> {
        let r = self.row;
        let Some(y) = book.year_of(r.period_from) else {
            return Err(vec![Issue::new(
                Column::PeriodFrom,
                Code::ExpenseOutsideBudgetYear,
                format!(
                    "the pay period starts {}, in no budget year of case {}; help is granted per budget year (bek. § 6, stk. 1)",
                    r.period_from, r.case_ref
                ),
            )]);
        };
        if book.booked_docs.contains(&r.payslip_ref) {
            return Err(vec![Issue::new(
                Column::PayslipRef,
                Code::PayslipAlreadyBooked,
                format!(
                    "payslip {} is already booked on case {}; a payslip is reimbursed once",
                    r.payslip_ref, r.case_ref
                ),
            )]);
        }
        let mut lines = vec![(
            Category::HelperTrainers,
            r.wage_cost(),
            r.payslip_ref.clone(),
        )];
        if r.fee.is_positive() {
            let doc = format!("{}#fee", r.payslip_ref);
            lines.push((Category::PayrollAdministration, r.fee, doc));
        }
        let year_start = book.years[y].facts.year_start;
        let mut judged = Judged {
            expenses: vec![],
            payables: vec![],
            warnings: vec![],
            date: period::first_open_on_or_after(self.closed_through, r.period_to.max(year_start)),
            shares: vec![],
        };
        // Each expense is judged after the one before it was counted; a refusal of the fee
        // undoes the wage, so a line books whole or not at all.
        let mut applied = vec![];
        for (category, amount, doc) in lines {
            match self.one(book, y, category, amount, doc) {
                Ok((expense, payable, share, undo)) => {
                    judged.expenses.push(expense);
                    judged.payables.extend(payable);
                    judged.shares.push(share);
                    applied.push(undo);
                }
                Err(e) => {
                    for u in applied {
                        u.apply(book, y);
                    }
                    return Err(vec![Issue::of(
                        e,
                        category == Category::PayrollAdministration,
                    )]);
                }
            }
        }
        book.payslips += 1;
        book.wages += r.wage_cost();
        book.fees += r.fee;
        book.hours_booked += r.hours;
        let hours = book.hours.entry(r.period_from.year()).or_default();
        *hours += r.hours;
        if let Some(w) = helper_insurance::check(*hours, r.insurance, threshold) {
            let mut w = Issue::of(w, false);
            w.column = Column::Insurance;
            judged.warnings.push(w);
        }
        Ok(judged)
    }

    /// One expense of the line on the first post of `category`: judged, then counted.
    fn one(
        &self,
        book: &mut CaseBook,
        y: usize,
        category: Category,
        amount: Money,
        document_ref: String,
    ) -> Result<(ExpenseRow, Option<PayableRow>, Share, Undo), Error> {
        let r = self.row;
        let fee = category == Category::PayrollAdministration;
        let year = &mut book.years[y];
        let Some(p) = year.post_of(category) else {
            return Err(Error::rule(
                Code::PostNotGranted,
                format!(
                    "no {category} post is granted in the budget year from {} of case {}; an expense on a post that was not granted is at the family's risk",
                    year.row.start_date, r.case_ref
                ),
            )
            .legal(submission::POST_NOT_GRANTED));
        };
        let covered = year.covered[p];
        if covered && year.settled {
            return Err(crate::commands::approve_expense::year_settled(&year.row.id));
        }
        let e = NewExpense {
            post_id: year.posts[p].id.clone(),
            expense_date: r.period_to,
            service_from: Some(r.period_from),
            service_to: Some(r.period_to),
            amount,
            hours: (!fee && year.states[p].hours_granted.is_some()).then_some(r.hours),
            description: format!(
                "{} {} {} – {}",
                if fee {
                    "Lønadministration"
                } else {
                    "Løn hjælpetræner"
                },
                r.helper_ref,
                r.period_from,
                r.period_to
            ),
            supplier: book
                .case
                .payroll_firm
                .clone()
                .unwrap_or_else(|| self.sender.to_string()),
            document_ref,
            course_country: None,
        };
        submission::check_shape(&e)?;
        // The child's spending is kept once per case: lent to the year's facts to be judged.
        std::mem::swap(&mut year.facts.approved_spending, &mut book.spending);
        let verdict = submission::decide(&e, Some(&year.states[p]), &year.facts);
        std::mem::swap(&mut year.facts.approved_spending, &mut book.spending);
        verdict?;
        let s = e.service();
        let state = &mut year.states[p];
        state.approved += amount;
        let hours = e.hours.unwrap_or_default();
        state.hours_used += hours;
        if !covered {
            book.spending.push(s.from, amount);
        }
        book.amount += amount;
        let payee = payment::payee_for(book.payee, category.as_str());
        let (credit_account, owed_to) = payment::credit_account(covered, payee);
        let id = new_id();
        let payable = owed_to.map(|payee| PayableRow {
            id: new_id(),
            municipality: book.case.municipality.clone(),
            case_id: book.case.id.clone(),
            expense_id: Some(id.clone()),
            settlement_id: None,
            amount: amount.ore(),
            status: PayableStatus::Open.as_str().to_string(),
            payment_id: None,
            created_at: self.at,
            payee: payee.as_str().to_string(),
            payroll_firm: (payee == Payee::PayrollFirm)
                .then(|| book.case.payroll_firm.clone())
                .flatten(),
        });
        let share = Share {
            category,
            credit_account,
            post_account: year.posts[p].account_id.clone(),
            amount,
        };
        let row = ExpenseRow {
            id,
            municipality: book.case.municipality.clone(),
            case_id: book.case.id.clone(),
            budget_year_id: year.row.id.clone(),
            post_id: e.post_id,
            expense_date: e.expense_date,
            service_from: s.from,
            service_to: s.to,
            amount: amount.ore(),
            hours: e.hours.map(|h| h.normalize().to_string()),
            description: e.description,
            document_key: Some(crate::store::expenses::document_key(
                &e.supplier,
                &e.document_ref,
            )),
            supplier: e.supplier,
            document_ref: e.document_ref,
            course_country: None,
            requested_amount: None,
            status: ExpenseStatus::Approved.as_str().to_string(),
            decided_by: Some(self.sender.to_string()),
            decided_at: Some(self.at),
            reject_reason: None,
            entry_id: None,
            annulled_on: None,
            annulled_by: None,
            annul_reason: None,
            annul_entry_id: None,
            against_advance: covered,
            created_by: self.sender.to_string(),
            created_at: self.at,
            import_id: Some(self.import_id.to_string()),
        };
        let undo = Undo {
            post: p,
            amount,
            hours,
            day: (!covered).then_some(s.from),
        };
        Ok((row, payable, share, undo))
    }
}
