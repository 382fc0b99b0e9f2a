//! The hash chain of a municipality's journal: each sealed entry's hash covers its voucher number,
//! its content and the hash of the entry before it, so an edit anywhere shows at that entry.
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The hash before a municipality's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What a seal covers: everything that says what the entry booked.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Sealed<'a> {
    pub seq: i64,
    pub municipality: &'a str,
    pub id: &'a str,
    pub effective_date: String,
    pub kind: &'a str,
    pub description: &'a str,
    pub reverses: Option<&'a str>,
    pub source_type: Option<&'a str>,
    pub source_id: Option<&'a str>,
    /// (line, account id, date, debit øre, credit øre), in line order.
    pub postings: Vec<(i32, &'a str, String, i64, i64)>,
}

/// SHA-256 of the previous hash and the entry's canonical JSON, as lowercase hex.
pub fn hash(previous: &str, entry: &Sealed) -> String {
    let canonical = serde_json::to_string(entry).unwrap_or_default();
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(b"\n");
    h.update(canonical.as_bytes());
    format!("{:x}", h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(description: &str, debit: i64) -> Sealed<'_> {
        Sealed {
            seq: 1,
            municipality: "101",
            id: "e1",
            effective_date: "2025-01-01".into(),
            kind: "manual",
            description,
            reverses: None,
            source_type: None,
            source_id: None,
            postings: vec![
                (1, "a", "2025-01-01".into(), debit, 0),
                (2, "b", "2025-01-01".into(), 0, debit),
            ],
        }
    }

    #[test]
    fn any_change_changes_the_hash() {
        let h = hash(GENESIS, &entry("x", 100));
        assert_eq!(h.len(), 64);
        assert_eq!(h, hash(GENESIS, &entry("x", 100)));
        assert_ne!(h, hash(GENESIS, &entry("x", 101)));
        assert_ne!(h, hash(GENESIS, &entry("y", 100)));
        assert_ne!(h, hash(&h, &entry("x", 100)));
    }
}
