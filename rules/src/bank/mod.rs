//! Bank reconciliation: the bank's statement against the ledger's bank account (1000), each
//! comparison exact to the øre, each match saying which rule made it.
pub mod matching;
pub mod statement;
