//! A payroll file read row by row, streaming: each row parsed by the file's dialect into what
//! the firm says was paid, or into the errors that row has (line, column, value, code), so a
//! report can list every bad row of a file of any size without holding it.
use super::columns::{self, Column};
use super::dialect::{self, Decoded, Dialect};
use bookkeeping::{Code, Money};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use std::io::Read;

/// One line of a payroll firm's file, as the firm says it was paid.
#[derive(Clone, Debug, PartialEq)]
pub struct PayrollRow {
    /// The line in the file, counting the header as line 1.
    pub line: u64,
    pub case_ref: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub helper_ref: String,
    pub hours: Decimal,
    pub gross_wage: Money,
    pub employer_atp: Money,
    pub holiday_pay: Money,
    pub maternity_fund: Money,
    pub insurance: Money,
    pub fee: Money,
    pub payslip_ref: String,
}

impl PayrollRow {
    /// What the helper cost the family's post: the wage and the employer's costs (the firm's fee
    /// goes to the payroll-administration post).
    pub fn wage_cost(&self) -> Money {
        self.gross_wage
            + self.employer_atp
            + self.holiday_pay
            + self.maternity_fund
            + self.insurance
    }
}

/// What is wrong with one cell (or with the file, on line 1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct RowError {
    pub line: u64,
    pub column: String,
    pub value: String,
    pub code: String,
    pub detail: String,
}

fn err(line: u64, column: &str, value: &str, code: Code, detail: &str) -> RowError {
    RowError {
        line,
        column: column.to_string(),
        value: value.chars().take(200).collect(),
        code: code.as_str().to_string(),
        detail: detail.to_string(),
    }
}

/// The rows of a file, parsed as they stream.
pub struct Rows<R: Read> {
    reader: csv::Reader<Decoded<R>>,
    at: HashMap<Column, usize>,
    header: Vec<String>,
    dialect: Dialect,
    record: csv::StringRecord,
    /// The line of the last record read (the header's is 1).
    last_line: u64,
}

/// Opens a file whose first bytes are `head` (used to detect the dialect, and read again):
/// the reader over the whole file, or the header's errors.
pub fn open<'h, R: Read>(
    file: R,
    head: &'h [u8],
    forced: Option<&str>,
) -> Result<Rows<std::io::Chain<&'h [u8], R>>, Vec<RowError>> {
    let d = dialect::detect(head, forced);
    let decoded = Decoded::new(head.chain(file), d.encoding);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(d.delimiter)
        .flexible(true)
        .has_headers(true)
        .from_reader(decoded);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) => {
            return Err(vec![err(
                1,
                "",
                "",
                Code::InvalidCsv,
                &format!("the header could not be read: {e}"),
            )]);
        }
    };
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let at = columns::find(&names).map_err(|(missing, _)| {
        missing
            .iter()
            .map(|c| {
                let name = columns::ALIASES
                    .iter()
                    .find(|(k, _)| k == c)
                    .map(|(_, n)| n[0])
                    .unwrap_or("");
                err(
                    1,
                    name,
                    "",
                    Code::MissingColumn,
                    &format!("the file has no {name} column (see the accepted names)"),
                )
            })
            .collect::<Vec<_>>()
    })?;
    Ok(Rows {
        reader,
        at,
        header,
        dialect: d,
        record: csv::StringRecord::new(),
        last_line: 1,
    })
}

impl<R: Read> Rows<R> {
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// An issue the rules found in the last row read, on `i.column` of the file, with the
    /// cell as the file has it.
    pub fn issue(&self, line: u64, i: &super::judge::Issue) -> RowError {
        let at = self.at[&i.column];
        err(
            line,
            &self.header[at],
            self.record.get(at).unwrap_or("").trim(),
            i.code,
            &i.detail,
        )
    }

    /// The next row: `None` at the end of the file.
    pub fn next_row(&mut self) -> Option<Result<PayrollRow, Vec<RowError>>> {
        match self.reader.read_record(&mut self.record) {
            Ok(false) => None,
            Ok(true) => {
                // After a CRLF the reader reports a record's start one line early (the LF is
                // read with the next record): never less than the line after the last one.
                let reported = self.record.position().map(|p| p.line()).unwrap_or(0);
                let line = reported.max(self.last_line + 1);
                self.last_line = line;
                Some(self.parse(line))
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                Some(Err(vec![err(
                    line,
                    "",
                    "",
                    Code::InvalidCsv,
                    &format!("the line could not be read: {e}"),
                )]))
            }
        }
    }

    fn parse(&self, line: u64) -> Result<PayrollRow, Vec<RowError>> {
        let mut errors = vec![];
        let cell = |c: Column| -> (&str, &str) {
            let i = self.at[&c];
            (
                self.header[i].as_str(),
                self.record.get(i).unwrap_or("").trim(),
            )
        };
        let text = |c: Column, errors: &mut Vec<RowError>| -> String {
            let (name, v) = cell(c);
            if v.is_empty() || v.chars().count() > 100 {
                errors.push(err(line, name, v, Code::InvalidValue, "1-100 characters"));
            } else if rules::privacy::no_cpr::mentions_cpr(v) {
                // The value is withheld: a CPR number is never stored, not even in a report.
                errors.push(err(
                    line,
                    name,
                    "(withheld)",
                    Code::CprNumberNotAllowed,
                    "a reference is never a CPR number",
                ));
            }
            v.to_string()
        };
        let case_ref = text(Column::CaseRef, &mut errors);
        let helper_ref = text(Column::HelperRef, &mut errors);
        let payslip_ref = text(Column::PayslipRef, &mut errors);
        let date = |c: Column, errors: &mut Vec<RowError>| {
            let (name, v) = cell(c);
            dialect::date(v).unwrap_or_else(|| {
                errors.push(err(
                    line,
                    name,
                    v,
                    Code::InvalidDate,
                    "a date is dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd",
                ));
                NaiveDate::MIN
            })
        };
        let period_from = date(Column::PeriodFrom, &mut errors);
        let period_to = date(Column::PeriodTo, &mut errors);
        if period_from != NaiveDate::MIN && period_to != NaiveDate::MIN && period_to < period_from {
            let (name, v) = cell(Column::PeriodTo);
            errors.push(err(
                line,
                name,
                v,
                Code::InvalidServicePeriod,
                "the pay period ends on or after it starts",
            ));
        }
        let d = self.dialect;
        let money = |c: Column, errors: &mut Vec<RowError>| {
            let (name, v) = cell(c);
            let parsed = if v.is_empty() {
                Some(Decimal::ZERO)
            } else {
                dialect::amount(v, d)
            };
            match parsed
                .and_then(|x| Money::from_decimal_exact(x).ok())
                .filter(|m| !m.is_negative() && m.within_input())
            {
                Some(m) => m,
                None => {
                    errors.push(err(
                        line,
                        name,
                        v,
                        Code::InvalidAmount,
                        "an amount from 0 to 100000000.00 with at most two decimals",
                    ));
                    Money::ZERO
                }
            }
        };
        let gross_wage = money(Column::GrossWage, &mut errors);
        let employer_atp = money(Column::EmployerAtp, &mut errors);
        let holiday_pay = money(Column::HolidayPay, &mut errors);
        let maternity_fund = money(Column::MaternityFund, &mut errors);
        let insurance = money(Column::Insurance, &mut errors);
        let fee = money(Column::Fee, &mut errors);
        let (name, v) = cell(Column::Hours);
        let hours = dialect::amount(v, d)
            .filter(|h| !h.is_sign_negative() && *h <= Decimal::from(744))
            .unwrap_or_else(|| {
                errors.push(err(line, name, v, Code::InvalidHours, "hours are zero or more, at most 744 in a pay period, with at most two decimals"));
                Decimal::ZERO
            });
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PayrollRow {
            line,
            case_ref,
            period_from,
            period_to,
            helper_ref,
            hours,
            gross_wage,
            employer_atp,
            holiday_pay,
            maternity_fund,
            insurance,
            fee,
            payslip_ref,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: &[u8], forced: Option<&str>) -> (Vec<PayrollRow>, Vec<RowError>) {
        let head = &bytes[..bytes.len().min(4096)];
        let rest = &bytes[head.len()..];
        let mut rows = match open(rest, head, forced) {
            Ok(r) => r,
            Err(e) => return (vec![], e),
        };
        let (mut ok, mut bad) = (vec![], vec![]);
        while let Some(r) = rows.next_row() {
            match r {
                Ok(row) => ok.push(row),
                Err(e) => bad.extend(e),
            }
        }
        (ok, bad)
    }

    #[test]
    fn a_danish_file_in_windows_1252() {
        let file = b"Sagsnummer;Periode fra;Periode til;Hj\xe6lper;Timer;Bruttol\xf8n;ATP;Feriepenge;Barselsfond;Forsikring;Gebyr;L\xf8nseddel\r\n\
SAG-1;01-03-2025;31.03.2025;H-7;12,5;2.312,50;94,65;288,13;10,00;0;45,00;LS-1001\r\n";
        let (ok, bad) = all(file, None);
        assert!(bad.is_empty(), "{bad:?}");
        let r = &ok[0];
        assert_eq!(
            (r.line, r.case_ref.as_str(), r.payslip_ref.as_str()),
            (2, "SAG-1", "LS-1001")
        );
        assert_eq!(r.gross_wage, Money::from_ore(231_250));
        assert_eq!(r.hours, Decimal::new(125, 1));
        assert_eq!(r.period_to, NaiveDate::from_ymd_opt(2025, 3, 31).unwrap());
        assert_eq!(
            r.wage_cost(),
            Money::from_ore(231_250 + 9_465 + 28_813 + 1_000)
        );
    }

    #[test]
    fn an_english_file_with_bom_and_every_bad_cell_reported() {
        let file = "\u{feff}payslip_ref,case_ref,period_from,period_to,helper_ref,hours,gross_wage,employer_atp,holiday_pay,maternity_fund,insurance,fee\n\
LS-1,SAG-1,2025-03-01,2025-03-31,H-1,10,\"1,234.50\",0,0,0,0,0\n\
LS-2,SAG-1,2025-03-31,2025-03-01,010190-1234,x,-5.00,0,0,0,0,0\n";
        let (ok, bad) = all(file.as_bytes(), None);
        assert_eq!(ok.len(), 1);
        assert_eq!(ok[0].gross_wage, Money::from_ore(123_450));
        let codes: Vec<(&str, &str)> = bad
            .iter()
            .map(|e| (e.column.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("helper_ref", "cpr_number_not_allowed"),
                ("period_to", "invalid_service_period"),
                ("gross_wage", "invalid_amount"),
                ("hours", "invalid_hours"),
            ]
        );
        assert!(bad.iter().all(|e| e.line == 3));
    }

    #[test]
    fn a_missing_column_is_named() {
        let (_, bad) = all(b"case_ref;hours\nSAG-1;1\n", None);
        assert!(bad
            .iter()
            .any(|e| e.code == "missing_column" && e.column == "payslip_ref"));
        assert!(bad.iter().all(|e| e.line == 1));
    }
}
