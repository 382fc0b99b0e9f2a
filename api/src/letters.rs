//! Printable documents rendered with a real template engine (minijinja), HTML auto-escaping on
//! for every `.html` template: every value a caller or a caseworker wrote is escaped.
use crate::problem::{ApiError, ApiResult};
use minijinja::Environment;
use serde::Serialize;
use std::sync::OnceLock;

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.add_filter("da", danish);
        env.add_filter("da_text", danish_text);
        // The name ends in .html, so minijinja's default auto-escape callback escapes HTML.
        env.add_template(
            "decision_letter.html",
            include_str!("../templates/decision_letter.html"),
        )
        .expect("the decision letter template parses");
        env.add_template(
            "hearing_letter.html",
            include_str!("../templates/hearing_letter.html"),
        )
        .expect("the hearing letter template parses");
        env.add_template(
            "statement.html",
            include_str!("../templates/statement.html"),
        )
        .expect("the statement template parses");
        env
    })
}

/// A value as a letter to a Dane writes it: an amount (`1234567.50` → `1.234.567,50`), a date
/// (`2026-12-07` → `7. december 2026`) or a month (`2024-04` → `april 2024`) when that is the
/// whole value; anything else (a reference, a supplier, a caseworker's words) as written.
fn danish(v: String) -> String {
    rules::decision::danish::value(&v)
}

/// Text the service composed (a figure's label such as "Rate 1 den 2025-01-01"), with its dates
/// and amounts in Danish.
fn danish_text(v: String) -> String {
    rules::decision::danish::in_text(&v)
}

/// Renders a template to HTML.
pub fn render<T: Serialize>(name: &str, ctx: &T) -> ApiResult<String> {
    let t = env()
        .get_template(name)
        .map_err(|e| ApiError::internal(format!("template {name}: {e}")))?;
    t.render(ctx)
        .map_err(|e| ApiError::internal(format!("template {name}: {e}")))
}

/// A rendered letter as the answer to a request: HTML with the letter's policy.
pub fn page(html: String) -> actix_web::HttpResponse {
    use actix_web::http::header;
    actix_web::HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
        .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
        .body(html)
}

/// A letter is a document: it runs no script, loads nothing, may not be framed and sends no
/// form; only its own inline style applies.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_danes_write_them() {
        assert_eq!(danish("1234567.50".into()), "1.234.567,50");
        assert_eq!(danish("-100.00".into()), "-100,00");
        assert_eq!(danish("0.05".into()), "0,05");
        assert_eq!(danish("2025-03-01".into()), "1. marts 2025");
        assert_eq!(danish("2024-04".into()), "april 2024");
        assert_eq!(danish("12.5".into()), "12.5");
    }

    #[test]
    fn every_value_is_escaped() {
        let t = env().get_template("decision_letter.html").unwrap();
        let html = t
            .render(minijinja::context! {
                title => "T", case_ref => "<script>x</script>", municipality => "101",
                outcome => "Afslag", decision => minijinja::context! { id => "d", reason => "a & b", decided_on => "2025-01-01", decided_by => "cw" },
                asked => Vec::<u8>::new(), figures => Vec::<u8>::new(),
                appeal_guidance => "4 uger", appeal_legal => "x", decision_legal => "y",
            })
            .unwrap();
        assert!(
            html.contains("&lt;script&gt;x&lt;&#x2f;script&gt;") || html.contains("&lt;script&gt;")
        );
        assert!(!html.contains("<script>x"));
        assert!(html.contains("a &amp; b"));
    }
}
