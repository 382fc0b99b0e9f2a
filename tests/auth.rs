//! Authentication: shared-secret tokens, the `token` command, ES256 public keys.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::{each_backend, jwt, Db, Server, M};
use serde_json::json;

#[test]
fn tokens_are_checked() {
    each_backend(|s| {
        let a = s.anonymous();
        a.get("/v1/accounts").problem(401, "unauthorized");
        let r = a.get("/v1/accounts");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        let now = chrono::Utc::now().timestamp();
        // Wrong key.
        let bad = jwt(
            &json!({"sub": "x", "role": "finance", "municipality": M, "exp": now + 600}),
            "another-secret",
        );
        a.with_token(&bad)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Expired.
        let old = jwt(
            &json!({"sub": "x", "role": "finance", "municipality": M, "exp": now - 3600}),
            common::SECRET,
        );
        a.with_token(&old)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Missing municipality.
        let nom = jwt(
            &json!({"sub": "x", "role": "finance", "exp": now + 600}),
            common::SECRET,
        );
        a.with_token(&nom)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Unknown role.
        let nor = jwt(
            &json!({"sub": "x", "role": "king", "municipality": M, "exp": now + 600}),
            common::SECRET,
        );
        a.with_token(&nor)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // alg: none, with a signature that would verify: refused for the algorithm alone.
        use base64_like::encode;
        let head_and_claims = format!(
            "{}.{}",
            encode(br#"{"alg":"none","typ":"JWT"}"#),
            encode(
                format!(
                    r#"{{"sub":"x","role":"admin","municipality":"{M}","exp":{}}}"#,
                    now + 600
                )
                .as_bytes()
            )
        );
        let key = jsonwebtoken::EncodingKey::from_secret(common::SECRET.as_bytes());
        let signature = jsonwebtoken::crypto::sign(
            head_and_claims.as_bytes(),
            &key,
            jsonwebtoken::Algorithm::HS256,
        )
        .unwrap();
        let none = format!("{head_and_claims}.{signature}");
        let r = a.with_token(&none).get("/v1/accounts");
        r.problem(401, "invalid_token");
        let detail = r.body["detail"].as_str().unwrap();
        assert!(
            detail.contains("\"none\"") && detail.contains("HS256"),
            "refused for something else than its algorithm: {detail}"
        );
        // Another algorithm, correctly signed with the right secret: refused for the algorithm.
        let hs512 = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
            &json!({"sub": "x", "role": "finance", "municipality": M, "exp": now + 600}),
            &key,
        )
        .unwrap();
        let r = a.with_token(&hs512).get("/v1/accounts");
        r.problem(401, "invalid_token");
        assert!(r.body["detail"].as_str().unwrap().contains("HS512"));
        // A token living longer than JWT_MAX_TTL_MINUTES (default 720) is refused.
        let long = jwt(
            &json!({"sub": "x", "role": "finance", "municipality": M, "iat": now, "exp": now + 721 * 60}),
            common::SECRET,
        );
        a.with_token(&long)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // A token that says it was issued in the future cannot stretch its lifetime that way.
        let future = jwt(
            &json!({"sub": "x", "role": "finance", "municipality": M, "iat": now + 3600, "exp": now + 3700}),
            common::SECRET,
        );
        a.with_token(&future)
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // Garbage.
        a.with_token("not.a.jwt")
            .get("/v1/accounts")
            .problem(401, "invalid_token");
        // A good token works; a wrong role is a 403.
        let cw = s.client("caseworker", M);
        assert_eq!(cw.get("/v1/accounts").status, 200);
        cw.post(
            "/v1/accounts",
            &json!({"code": "X1", "name": "x", "kind": "asset"}),
        )
        .problem(403, "forbidden");
        let fin = s.client("finance", M);
        fin.post("/v1/periods/close", &json!({"through": "2020-01-01"}))
            .problem(403, "forbidden");
        fin.post("/v1/ledger/verify", &json!({}))
            .problem(403, "forbidden");
    });
}

/// Minimal base64url without padding, for hand-made tokens.
mod base64_like {
    pub fn encode(input: &[u8]) -> String {
        const T: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in input.chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
            for i in 0..=chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            }
        }
        out
    }
}

#[test]
fn token_command_prints_a_working_token() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_api"))
        .args([
            "token",
            "--role",
            "controller",
            "--municipality",
            "101",
            "--sub",
            "ctl",
        ])
        .env("JWT_SECRET", common::SECRET)
        .output()
        .unwrap();
    assert!(out.status.success());
    let t = String::from_utf8(out.stdout).unwrap().trim().to_string();
    assert_eq!(t.split('.').count(), 3);
    let s = Server::start(Db::Sqlite);
    let r = s
        .anonymous()
        .with_token(&t)
        .post("/v1/ledger/verify", &json!({}));
    assert_eq!(r.ok(200)["ok"], true);
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_api"))
        .args(["token", "--role", "emperor", "--municipality", "101"])
        .env("JWT_SECRET", common::SECRET)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    // The command will not mint a token the service would refuse for its lifetime.
    let too_long = std::process::Command::new(env!("CARGO_BIN_EXE_api"))
        .args(["token", "--role", "finance", "--municipality", "101"])
        .args(["--ttl-minutes", "721"])
        .env("JWT_SECRET", common::SECRET)
        .output()
        .unwrap();
    assert!(!too_long.status.success());
}

/// Mints a token with the `token` command against an installation's data directory.
fn mint_in(dir: &std::path::Path, role: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_api"))
        .args(["token", "--role", role, "--municipality", M])
        .env_remove("JWT_SECRET")
        .env("DATA_DIR", dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn each_installation_signs_with_its_own_secret() {
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let start = |dir: &std::path::Path| {
        let d = dir.to_str().unwrap().to_string();
        Server::start_with(Db::Sqlite, &[("DATA_DIR", &d)])
    };
    let (s1, s2) = (start(one.path()), start(two.path()));
    let t1 = mint_in(one.path(), "finance");
    assert_eq!(
        s1.anonymous().with_token(&t1).get("/v1/accounts").status,
        200
    );
    s2.anonymous()
        .with_token(&t1)
        .get("/v1/accounts")
        .problem(401, "invalid_token");
    let t2 = mint_in(two.path(), "finance");
    assert_eq!(
        s2.anonymous().with_token(&t2).get("/v1/accounts").status,
        200
    );
    // The generated secret is readable by its owner only.
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(one.path().join("jwt-secret"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn issuer_and_audience_when_configured() {
    let s = Server::start_with(
        Db::Sqlite,
        &[
            ("JWT_SECRET", common::SECRET),
            ("JWT_ISSUER", "https://idp.kommune.dk"),
            ("JWT_AUDIENCE", "hjemmetraening"),
        ],
    );
    let now = chrono::Utc::now().timestamp();
    let with = |extra: serde_json::Value| {
        let mut c = json!({"sub": "x", "role": "finance", "municipality": M, "exp": now + 600});
        c.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        s.anonymous().with_token(&jwt(&c, common::SECRET))
    };
    let good = json!({"iss": "https://idp.kommune.dk", "aud": "hjemmetraening"});
    assert_eq!(with(good).get("/v1/accounts").status, 200);
    // An audience may be a list (as identity providers often send it).
    let listed = json!({"iss": "https://idp.kommune.dk", "aud": ["portal", "hjemmetraening"]});
    assert_eq!(with(listed).get("/v1/accounts").status, 200);
    for bad in [
        json!({}),
        json!({"iss": "https://idp.kommune.dk"}),
        json!({"aud": "hjemmetraening"}),
        json!({"iss": "https://evil.example", "aud": "hjemmetraening"}),
        json!({"iss": "https://idp.kommune.dk", "aud": "another-service"}),
    ] {
        with(bad).get("/v1/accounts").problem(401, "invalid_token");
    }
}

#[test]
fn public_key_tokens_es256() {
    let public = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/es256-public.pem"
    );
    let private = include_bytes!("fixtures/es256-private-pkcs8.pem");
    let s = Server::start_with(Db::Sqlite, &[("JWT_PUBLIC_KEY_PEM", public)]);
    let now = chrono::Utc::now().timestamp();
    let claims = json!({"sub": "ext", "role": "controller", "municipality": M, "exp": now + 600});
    let key = jsonwebtoken::EncodingKey::from_ec_pem(private).unwrap();
    let es = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::ES256),
        &claims,
        &key,
    )
    .unwrap();
    let a = s.anonymous();
    assert_eq!(
        a.with_token(&es)
            .post("/v1/ledger/verify", &json!({}))
            .ok(200)["ok"],
        true
    );
    // With a public key configured, a shared-secret token is refused, whatever its secret.
    a.with_token(&jwt(&claims, common::SECRET))
        .get("/v1/accounts")
        .problem(401, "invalid_token");
}
