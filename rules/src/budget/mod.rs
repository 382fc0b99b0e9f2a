//! Budget years of rigid posts, granted and amended by decision, within the yearly cap.
pub mod amendment;
pub mod budget_year;
pub mod deadlines;
pub mod grant;
pub mod itemised;
pub mod new_year;
pub mod rigid_posts;
pub mod supplementary_application;
pub mod yearly_cap;
