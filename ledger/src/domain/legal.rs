//! Legal references, cited in explanations and in every rejection that breaks a rule of law.
//! 000: Bekendtgørelse om hjemmetræning (Barnets lov § 85), in force 1 Jan 2024.
//! 001: Vejledning (guidance), points 153-157 e. 003: Copenhagen municipality's folder for parents.

pub const CAP: &str = "Bekendtgørelse om hjemmetræning (Barnets lov § 85) § 6, stk. 2 og 5";
pub const ROLLING_CAP: &str =
    "Bekendtgørelse om hjemmetræning § 6, stk. 2; vejledningen pkt. 157 d: no help for expenses that within a continuous period of 12 months exceed the cap";
pub const COURSES_IN_DENMARK: &str =
    "Vejledningen pkt. 157 d: only courses held in Denmark are covered; Copenhagen folder, 'Ferie og rejser til udlandet'";
pub const RIGID_POSTS: &str =
    "Copenhagen folder, 'Udgifter og budget': each post is tied to an expense; an amount cannot be moved from one post to another";
pub const POST_NOT_GRANTED: &str =
    "Copenhagen folder, 'Udgifter og budget': expenses on posts that were not granted are at the family's own risk";
pub const RETROACTIVE: &str =
    "Copenhagen folder, 'Udgifter og budget': expenses may be granted retroactively back to the application date, not before";
pub const CASE_END: &str =
    "Barnets lov § 85; Copenhagen folder, 'Ophør af hjemmetræning': payments stop at the end date, at the latest when the child turns 18";
pub const BUDGET_YEAR: &str =
    "Copenhagen folder, 'Udgifter og budget': expenses are granted per budget year of 12 months from the approval";
pub const DOCUMENTED_EXPENSES: &str =
    "Bekendtgørelse om hjemmetræning § 6, stk. 3: help is granted on documented expenses";
pub const AMENDMENT: &str =
    "Copenhagen folder, 'Udgifter og budget': new needs during the year go through a supplementary application (tillægsansøgning)";
pub const NO_CPR: &str = "Data minimisation (GDPR art. 5(1)(c)): the ledger identifies cases by the case system's reference, never by CPR number";
