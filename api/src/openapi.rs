//! The OpenAPI document: the base (info, tags, security, the problem schema) merged with the
//! paths collected from the one list of routes; committed as openapi/openapi.json.
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Hjemmetræning ledger",
        description = "Double-entry ledger for Danish home-training support (Barnets lov § 85). \
Amounts are strings with two decimals; errors are RFC 9457 problem+json with a stable `code`.",
        version = "0.1.0"
    ),
    components(schemas(crate::problem::Problem)),
    modifiers(&Security),
    tags(
        (name = "health"),
        (name = "ledger", description = "Accounts, journal entries, periods, verification"),
        (name = "rates", description = "Statutory rates as dated parameters"),
        (name = "cases", description = "Home-training cases (Barnets lov § 85)"),
        (name = "budgets", description = "Budget years with rigid posts, amendments and versions"),
        (name = "expenses", description = "Documented expenses: submission, approval, rejection, annulment"),
        (name = "payments", description = "Payables to families and payroll firms, payments and returned transfers"),
        (name = "decisions", description = "Decisions (afgørelser) on a case, and their letters with appeal guidance"),
        (name = "clawbacks", description = "Repayment claims on families and repayments received"),
        (name = "agreements", description = "Fixed-amount agreements and their installments"),
        (name = "lost-earnings", description = "Lost-earnings compensation: decisions, versions and each month's calculation explained"),
        (name = "payroll-runs", description = "Monthly payroll runs of lost-earnings compensation and their lines"),
        (name = "imports", description = "Payroll-administration firms' files of helper-trainer wages: sent as CSV, judged line by line, booked all or nothing"),
        (name = "settings", description = "The municipality's practice, with Copenhagen's values as defaults"),
        (name = "bank", description = "Bank statements (camt.053, net-bank CSV) reconciled with the bank account to the øre"),
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

/// The whole document, from the same route list the server registers.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(crate::routes::configure)
        .split_for_parts();
    crate::constraints::constrain(doc)
}

/// The document as committed: pretty JSON with a trailing newline.
pub fn render() -> String {
    let mut s = document().to_pretty_json().unwrap_or_default();
    s.push('\n');
    s
}
