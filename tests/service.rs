//! The service itself: health, readiness, docs, the served and committed OpenAPI spec, 404/405.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::{each_backend, M};
use serde_json::Value;

#[test]
fn health_ready_docs_and_spec() {
    each_backend(|s| {
        let a = s.anonymous();
        assert_eq!(a.get("/health").ok(200)["status"], "ok");
        assert_eq!(a.get("/ready").ok(200)["status"], "ready");
        let docs = a.get("/docs/");
        assert_eq!(docs.status, 200);
        assert!(docs.content_type.starts_with("text/html"));
        let served = a.get("/openapi.json");
        let committed: Value = serde_json::from_str(include_str!("../openapi/openapi.json"))
            .expect("committed spec parses");
        assert_eq!(
            served.ok(200),
            &committed,
            "served spec differs from openapi/openapi.json"
        );
        // Unknown endpoints are problems too.
        a.get("/v1/nothing-here").problem(404, "not_found");
        let wrong = s
            .client("finance", M)
            .request("DELETE", "/v1/journal-entries/abc", None, &[]);
        wrong.problem(405, "method_not_allowed");
        assert_eq!(wrong.header("allow"), Some("GET"));
        assert!(a.get("/health").header("x-request-id").is_some());
    });
}

#[test]
fn committed_openapi_matches_the_code() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.json");
    let generated = api::openapi::render();
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is stale: regenerate it with `cargo run -p api -- openapi > openapi/openapi.json`"
    );
}

/// A generated client names a method after each operation id: two operations with one id
/// would clash (OpenAPI requires them to be unique).
#[test]
fn operation_ids_are_unique() {
    let doc: Value = serde_json::from_str(&api::openapi::render()).unwrap();
    let mut seen = std::collections::BTreeMap::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                if let Some(first) = seen.insert(id.to_string(), format!("{method} {path}")) {
                    panic!("operation id {id} on {method} {path} and on {first}");
                }
            }
        }
    }
    assert!(seen.len() > 50, "only {} operations", seen.len());
}
