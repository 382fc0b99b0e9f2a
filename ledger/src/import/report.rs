//! An import's report as CSV, for the firm's spreadsheet: every cell the file or a rule put
//! there that a spreadsheet would run as a formula is written as text.
use super::service::IssueView;
use crate::read::payroll::text_cell;
use crate::store::{StoreError, StoreResult};

/// `danish`: `;` and a UTF-8 byte-order mark (what Danish Excel opens as columns).
pub fn csv(issues: &[IssueView], danish: bool) -> StoreResult<Vec<u8>> {
    let mut out = vec![];
    if danish {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .delimiter(if danish { b';' } else { b',' })
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let fail = |e: csv::Error| StoreError::Corrupt(format!("csv: {e}"));
    w.write_record(["line", "column", "value", "code", "detail", "severity"])
        .map_err(fail)?;
    for i in issues {
        w.write_record([
            i.line.to_string(),
            text_cell(&i.column),
            text_cell(&i.value),
            i.code.clone(),
            text_cell(&i.detail),
            i.severity.clone(),
        ])
        .map_err(fail)?;
    }
    w.into_inner()
        .map_err(|e| StoreError::Corrupt(format!("csv: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text() {
        let i = IssueView {
            n: 1,
            severity: "error".into(),
            line: 3,
            column: "gross_wage".into(),
            value: "=HYPERLINK(\"x\")".into(),
            code: "invalid_amount".into(),
            detail: "-5 is not an amount".into(),
        };
        let out = String::from_utf8(csv(&[i], false).unwrap()).unwrap();
        assert!(out.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{out}");
        assert!(out.contains("'-5 is not an amount"), "{out}");
        let da = csv(&[], true).unwrap();
        assert!(da.starts_with("\u{feff}line;column".as_bytes()));
    }
}
