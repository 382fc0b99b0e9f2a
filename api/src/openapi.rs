//! The OpenAPI document, generated from the handlers; committed as openapi/openapi.json.
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes::{health, home_training, ledger_routes};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hjemmetræning ledger",
        description = "Double-entry ledger for Danish home-training support (Barnets lov § 85). \
Amounts are strings with two decimals; errors are RFC 9457 problem+json with a stable `code`.",
        version = "0.1.0"
    ),
    paths(
        health::health,
        health::ready,
        ledger_routes::list_accounts,
        ledger_routes::get_account,
        ledger_routes::create_account,
        ledger_routes::post_entry,
        ledger_routes::list_entries,
        ledger_routes::get_entry,
        ledger_routes::reverse_entry,
        ledger_routes::close_period,
        ledger_routes::list_periods,
        ledger_routes::trial_balance,
        ledger_routes::verify,
        home_training::list_rates,
        home_training::add_rate,
        home_training::create_case,
        home_training::list_cases,
        home_training::get_case,
        home_training::end_case,
        home_training::create_budget_year,
        home_training::case_budget_years,
        home_training::get_budget_year,
        home_training::budget_versions,
        home_training::amend_budget_year,
        home_training::submit_expense,
        home_training::year_expenses,
        home_training::get_expense,
        home_training::approve_expense,
        home_training::reject_expense,
        home_training::list_payables,
        home_training::payables_by_family,
        home_training::pay,
    ),
    components(schemas(crate::problem::Problem)),
    modifiers(&Security),
    tags(
        (name = "health"),
        (name = "ledger", description = "Accounts, journal entries, periods, verification"),
        (name = "rates", description = "Statutory rates as dated parameters"),
        (name = "cases", description = "Home-training cases (Barnets lov § 85)"),
        (name = "budgets", description = "Budget years with rigid posts, amendments and versions"),
        (name = "expenses", description = "Documented expenses: submission, approval, rejection"),
        (name = "payments", description = "Payables to families and their payment"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
    }
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn render() -> String {
    let mut s = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}
