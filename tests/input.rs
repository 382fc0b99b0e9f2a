//! Input handling: malformed requests are problems never 500, strict amounts/dates/text/keys, more refusals.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::{each_backend, jwt, key, M};
use serde_json::{json, Value};

#[test]
fn malformed_requests_are_problems_never_500() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let raw = |body: &str| {
            fin.request(
                "POST",
                "/v1/journal-entries",
                Some(body),
                &[("Idempotency-Key", "k")],
            )
        };
        raw("{not json").problem(400, "invalid_json");
        raw("").problem(400, "invalid_json");
        raw("[]").problem(400, "invalid_value");
        let r =
            raw(r#"{"effective_date":"2025-01-01","description":"x","postings":[],"surprise":1}"#);
        r.problem(400, "unknown_field");
        assert!(r.body["detail"].as_str().unwrap().contains("surprise"));
        assert_eq!(r.body["errors"][0]["field"], "surprise");
        raw(r#"{"description":"x","postings":[]}"#).problem(400, "missing_field");
        let big = format!(
            r#"{{"effective_date":"2025-01-01","description":"{}","postings":[]}}"#,
            "x".repeat(1_100_000)
        );
        raw(&big).problem(413, "payload_too_large");
        // Missing idempotency key.
        fin.request(
            "POST",
            "/v1/journal-entries",
            Some(r#"{"effective_date":"2025-01-01","description":"x","postings":[]}"#),
            &[],
        )
        .problem(400, "idempotency_key_required");
        fin.get("/v1/accounts?limit=0")
            .problem(400, "invalid_query");
        fin.get("/v1/accounts?kind=gold")
            .problem(400, "invalid_query");
        fin.get("/v1/trial-balance?as_of=yesterday")
            .problem(400, "invalid_query");
        fin.get("/v1/journal-entries?from=2025-02-01&to=2025-01-01")
            .problem(400, "invalid_query");
        // A battery of odd inputs: none may produce a 500.
        let odd = [
            "null",
            "1",
            "\"x\"",
            "{}",
            r#"{"effective_date":null}"#,
            r#"{"effective_date":"9999-99-99"}"#,
            r#"{"effective_date":"2025-01-01","description":"x","postings":[{"account_id":1}]}"#,
            r#"{"effective_date":"2025-01-01","description":"x","postings":[{"account_id":"a","debit":"99999999999999999999.00"},{"account_id":"b","credit":"1"}]}"#,
            r#"{"effective_date":"2025-01-01","description":"x","postings":[{"account_id":"a","debit":"92233720368547758.07"},{"account_id":"b","debit":"92233720368547758.07"},{"account_id":"c","credit":"1.00"}]}"#,
            "\u{0}\u{1}",
        ];
        for body in odd {
            let r = raw(body);
            assert!(
                r.status >= 400 && r.status < 500,
                "{body:?} gave {} {:?}",
                r.status,
                r.body
            );
            assert!(r.content_type.starts_with("application/problem+json"));
        }
        for path in [
            "/v1/accounts/%00",
            "/v1/journal-entries/'%20OR%201=1",
            "/v1/journal-entries?after=%FF&limit=abc",
        ] {
            let r = fin.get(path);
            assert!(
                r.status >= 400 && r.status < 500,
                "{path} gave {}",
                r.status
            );
        }
    });
}

#[test]
fn strict_input_amounts_dates_text_and_keys() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        for bad in [" 1.00", "1.", ".5", "+1.00", "1,00"] {
            fin.entry(&key(), "2025-01-01", &bank, &eq, bad)
                .problem(400, "invalid_amount");
        }
        for bad in ["0001-01-01", "9999-12-31", "1899-12-31"] {
            fin.entry(&key(), bad, &bank, &eq, "1.00")
                .problem(400, "invalid_value");
        }
        let body = |desc: String| {
            json!({"effective_date": "2025-01-01", "description": desc,
                "postings": [{"account_id": bank, "debit": "1.00"}, {"account_id": eq, "credit": "1.00"}]})
        };
        fin.post_idem(
            "/v1/journal-entries",
            &key(),
            &body("evil\u{202E}txt".into()),
        )
        .problem(400, "invalid_value");
        // Lengths count characters, not bytes: 500 × "ø" is fine, 501 is not.
        let ok = fin.post_idem("/v1/journal-entries", &key(), &body("ø".repeat(500)));
        let created = ok.ok(201)["created_at"].as_str().unwrap().to_string();
        assert!(
            created.ends_with('Z') && created.len() == 27,
            "timestamp {created}"
        );
        fin.post_idem("/v1/journal-entries", &key(), &body("ø".repeat(501)))
            .problem(422, "invalid_description");
        // The same request reformatted (keys reordered, spaces) under the same key is a replay.
        let k = key();
        let first = fin.request(
            "POST",
            "/v1/journal-entries",
            Some(&format!(
                r#"{{"effective_date":"2025-01-02","description":"d","postings":[{{"account_id":"{bank}","debit":"2.00"}},{{"account_id":"{eq}","credit":"2.00"}}]}}"#
            )),
            &[("Idempotency-Key", &k)],
        );
        let again = fin.request(
            "POST",
            "/v1/journal-entries",
            Some(&format!(
                r#" {{ "postings": [ {{"debit": "2.00", "account_id": "{bank}"}}, {{"credit": "2.00", "account_id": "{eq}"}} ], "description": "d", "effective_date": "2025-01-02" }}"#
            )),
            &[("Idempotency-Key", &k)],
        );
        assert_eq!(again.ok(200)["id"], first.ok(201)["id"]);
        fin.request(
            "POST",
            "/v1/journal-entries",
            Some(&body("x".into()).to_string()),
            &[("Idempotency-Key", "has space")],
        )
        .problem(400, "invalid_idempotency_key");
        // Accounts: budget accounts and BP- codes belong to decisions; no CPR numbers.
        fin.post(
            "/v1/accounts",
            &json!({"code": "7100", "name": "b", "kind": "budget"}),
        )
        .problem(422, "budget_accounts_by_decision");
        fin.post(
            "/v1/accounts",
            &json!({"code": "BP-evil", "name": "b", "kind": "asset"}),
        )
        .problem(422, "budget_accounts_by_decision");
        fin.post(
            "/v1/accounts",
            &json!({"code": "7101", "name": "b", "kind": "asset", "owner": "0101901234"}),
        )
        .problem(422, "cpr_number_not_allowed");
        // Tokens: not before nbf; a sub of sane length.
        let now = chrono::Utc::now().timestamp();
        let nbf = jwt(
            &json!({"sub": "x", "role": "finance", "municipality": M, "exp": now + 7200, "nbf": now + 3600}),
            common::SECRET,
        );
        s.anonymous()
            .with_token(&nbf)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        let long = jwt(
            &json!({"sub": "x".repeat(300), "role": "finance", "municipality": M, "exp": now + 600}),
            common::SECRET,
        );
        s.anonymous()
            .with_token(&long)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
    });
}

#[test]
fn more_refusals() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let payables = fin.account_id("2000");
        // HS512 with the right secret is still the wrong algorithm.
        let now = chrono::Utc::now().timestamp();
        let claims = json!({"sub": "x", "role": "finance", "municipality": M, "exp": now + 600});
        let hs512 = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
            &claims,
            &jsonwebtoken::EncodingKey::from_secret(common::SECRET.as_bytes()),
        )
        .unwrap();
        s.anonymous()
            .with_token(&hs512)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Dates with a sign or a five-digit year.
        fin.entry(&key(), "+12345-01-01", &bank, &eq, "1.00")
            .problem(400, "invalid_value");
        fin.get("/v1/trial-balance?as_of=%2B12345-01-01")
            .problem(400, "invalid_query");
        // Payables to families are kept by approvals and payments only.
        fin.entry(&key(), "2025-01-01", &payables, &bank, "1.00")
            .problem(422, "account_managed_by_decisions");
        // A CPR number in a description.
        let r = fin.post_idem(
            "/v1/journal-entries",
            &key(),
            &json!({"effective_date": "2025-01-01", "description": "for child 010190-1234",
                "postings": [{"account_id": bank, "debit": "1.00"}, {"account_id": eq, "credit": "1.00"}]}),
        );
        r.problem(422, "cpr_number_not_allowed");
        // Reversal needs finance or admin.
        let e = fin.entry(&key(), "2025-01-01", &bank, &eq, "1.00").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        s.client("caseworker", M)
            .post_idem(
                &format!("/v1/journal-entries/{e}/reverse"),
                &key(),
                &json!({}),
            )
            .problem(403, "forbidden");
        let k = key();
        fin.post_idem(&format!("/v1/journal-entries/{e}/reverse"), &k, &json!({}))
            .ok(201);
        fin.post_idem(
            &format!("/v1/journal-entries/{e}/reverse"),
            &k,
            &json!({"description": "other"}),
        )
        .problem(409, "idempotency_key_reused");
    });
}

#[test]
fn a_body_that_says_it_is_not_json_is_415() {
    each_backend(|s| {
        let fin = s.client("finance", M);
        let bank = fin.account_id("1000");
        let eq = fin.account_id("3000");
        let body = json!({"effective_date": "2025-03-01", "description": "x",
            "postings": [{"account_id": bank, "debit": "1.00"}, {"account_id": eq, "credit": "1.00"}]});
        let r = fin.request(
            "POST",
            "/v1/journal-entries",
            Some(&body.to_string()),
            &[("Idempotency-Key", &key()), ("Content-Type", "text/plain")],
        );
        r.problem(415, "unsupported_media_type");
        assert_eq!(fin.account(&bank)["debits"], "0.00");
    });
}

#[test]
fn the_contract_names_every_status() {
    let spec: Value = serde_json::from_str(&api::openapi::render()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let statuses = op["responses"].as_object().unwrap();
            let has = |s: &str| statuses.contains_key(s);
            if op.get("security").is_some() {
                assert!(has("401") && has("503"), "{method} {path}: 401 and 503");
            }
            if op.get("requestBody").is_some() {
                for s in ["400", "413", "415"] {
                    assert!(has(s), "{method} {path}: {s}");
                }
            }
            for (status, r) in statuses {
                if status.starts_with('4') || status.starts_with('5') {
                    assert!(
                        r["content"]["application/problem+json"].is_object(),
                        "{method} {path} {status}: a problem body"
                    );
                }
            }
        }
    }
}
