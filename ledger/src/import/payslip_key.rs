//! The key an import keeps of each payslip, to find the same payslip twice.
use rules::privacy::normal_form::reference_key;

/// A payslip reference in its normal form, kept as the first 128 bits of its SHA-256: a file of
/// a million lines holds a million of them, and 16 bytes each instead of the text keeps an import
/// within its memory budget. Two different payslips share a key with a chance of about 10^-27 in
/// such a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PayslipKey(u128);

impl PayslipKey {
    pub fn of(payslip_ref: &str) -> PayslipKey {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(reference_key(payslip_ref).as_bytes());
        let mut first = [0u8; 16];
        first.copy_from_slice(&digest[..16]);
        PayslipKey(u128::from_be_bytes(first))
    }
}

#[cfg(test)]
mod tests {
    use super::PayslipKey;

    #[test]
    fn the_same_payslip_however_written_has_one_key() {
        assert_eq!(
            PayslipKey::of("LS-2025-001"),
            PayslipKey::of(" ls-2025-001 ")
        );
        assert_ne!(PayslipKey::of("LS-2025-001"), PayslipKey::of("LS-2025-002"));
    }
}
