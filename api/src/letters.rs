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
        // The name ends in .html, so minijinja's default auto-escape callback escapes HTML.
        env.add_template(
            "decision_letter.html",
            include_str!("../templates/decision_letter.html"),
        )
        .expect("the decision letter template parses");
        env
    })
}

/// Renders a template to HTML.
pub fn render<T: Serialize>(name: &str, ctx: &T) -> ApiResult<String> {
    let t = env()
        .get_template(name)
        .map_err(|e| ApiError::internal(format!("template {name}: {e}")))?;
    t.render(ctx)
        .map_err(|e| ApiError::internal(format!("template {name}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

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
