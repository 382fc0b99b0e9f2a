//! CSV for spreadsheets, written one way by every export: lines end in CRLF; `danish` is what
//! Danish Excel opens as columns (`;` between cells, decimal commas, and a UTF-8 byte-order mark
//! at the start of a file); a text cell a spreadsheet would take for a formula is written as text.
use crate::store::{StoreError, StoreResult};
use bookkeeping::Money;

/// A cell a spreadsheet would take for a formula (starting `=`, `+`, `-`, `@`) is shown as text.
pub fn text_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

pub struct Sheet {
    w: csv::Writer<Vec<u8>>,
    danish: bool,
}

impl Sheet {
    /// `bom`: the byte-order mark first (Danish files that start a file, not a continuation).
    pub fn new(danish: bool, bom: bool) -> Sheet {
        let mut out = vec![];
        if danish && bom {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        let w = csv::WriterBuilder::new()
            .delimiter(if danish { b';' } else { b',' })
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        Sheet { w, danish }
    }

    pub fn row<T: AsRef<[u8]>>(&mut self, cells: impl IntoIterator<Item = T>) -> StoreResult<()> {
        self.w.write_record(cells).map_err(fail)
    }

    /// An amount as the dialect writes it: `1234.56` or `1234,56`.
    pub fn money(&self, m: Money) -> String {
        self.number(&m.to_string())
    }

    /// A decimal number (written with a point) as the dialect writes it.
    pub fn number(&self, s: &str) -> String {
        if self.danish {
            rules::decision::danish::number(s)
        } else {
            s.to_string()
        }
    }

    pub fn finish(self) -> StoreResult<Vec<u8>> {
        self.w
            .into_inner()
            .map_err(|e| StoreError::Corrupt(format!("csv: {e}")))
    }
}

fn fail(e: csv::Error) -> StoreError {
    StoreError::Corrupt(format!("csv: {e}"))
}
