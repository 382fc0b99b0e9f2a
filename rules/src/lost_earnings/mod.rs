//! Barnets lov § 87; bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 b-c: compensation for the earnings a parent loses by training the child at home, for the hours granted.
pub mod calculation;
pub mod grant;
pub mod overpayment;
pub mod parent_atp;
pub mod payroll;
pub mod rate_book;
pub mod terms;
pub mod versions;

pub const LEGAL: &str =
    "Barnets lov § 87; bekendtgørelse om hjemmetræning § 5; vejledningen pkt. 157 b-c";

/// The names of the dated rates the calculation reads (the `rates` table).
pub mod rate_names {
    pub const MAXIMUM: &str = "lost_earnings_maximum";
    pub const REGULATION: &str = "lost_earnings_regulation";
    pub const PENSION_RATE: &str = "lost_earnings_pension_rate";
    pub const NORMAL_WEEK: &str = "normal_week_hours";
    /// ATP brackets: `atp_recipient_from_<hours>h` and `atp_municipality_from_<hours>h`.
    pub const ATP_RECIPIENT_PREFIX: &str = "atp_recipient_from_";
    pub const ATP_MUNICIPALITY_PREFIX: &str = "atp_municipality_from_";
}
