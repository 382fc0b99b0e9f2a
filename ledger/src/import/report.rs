//! An import's report as CSV, for the firm's spreadsheet: every cell the file or a rule put
//! there that a spreadsheet would run as a formula is written as text.
use super::service::IssueView;
use crate::read::spreadsheet::{text_cell, Sheet};
use crate::store::StoreResult;

/// `danish`: `;` and a UTF-8 byte-order mark (what Danish Excel opens as columns).
pub fn csv(issues: &[IssueView], danish: bool) -> StoreResult<Vec<u8>> {
    let mut w = Sheet::new(danish, true);
    w.row(["line", "column", "value", "code", "detail", "severity"])?;
    for i in issues {
        w.row([
            i.line.to_string(),
            text_cell(&i.column),
            text_cell(&i.value),
            i.code.clone(),
            text_cell(&i.detail),
            i.severity.clone(),
        ])?;
    }
    w.finish()
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
