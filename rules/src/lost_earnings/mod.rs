//! Barnets lov § 87; bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 b-c: compensation for the earnings a parent loses by training the child at home, for the hours granted.
pub mod calculation;

pub const LEGAL: &str =
    "Barnets lov § 87; bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 b-c";
