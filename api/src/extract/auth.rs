//! JWT bearer authentication: who acts, in which role, for which municipality.
use super::request_id::{ClientRequestId, RequestId};
use crate::problem::ApiError;
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use ledger::context::{Ctx, Role};
use ledger::Code;
use serde::{Deserialize, Serialize};
use std::future::{ready, Ready};

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub role: String,
    /// The three-digit kommunekode.
    pub municipality: String,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// A string, or an array of them (both are standard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
    /// The person's name or title (OpenID Connect's `name`), printed as who decided in letters;
    /// without it a letter says "kommunens sagsbehandler", never the subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What a token must carry besides a valid signature.
#[derive(Clone, Debug)]
pub struct JwtPolicy {
    /// When set, tokens must carry this `iss`.
    pub issuer: Option<String>,
    /// When set, tokens must carry this `aud`.
    pub audience: Option<String>,
    /// A token may live at most this long (from `iat`, or from now when it has none).
    pub max_ttl_minutes: i64,
}

impl Default for JwtPolicy {
    fn default() -> Self {
        JwtPolicy {
            issuer: None,
            audience: None,
            max_ttl_minutes: crate::config::DEFAULT_MAX_TTL_MINUTES,
        }
    }
}

/// How tokens are checked: one algorithm, one key. A token of any other algorithm
/// (including `none`) is refused.
#[derive(Clone)]
pub struct JwtKeys {
    pub algorithm: Algorithm,
    pub decoding: DecodingKey,
    /// Only for HS256: the token command signs with it.
    pub encoding: Option<EncodingKey>,
    pub policy: JwtPolicy,
}

impl JwtKeys {
    pub fn hs256(secret: &str, policy: JwtPolicy) -> JwtKeys {
        JwtKeys {
            algorithm: Algorithm::HS256,
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            encoding: Some(EncodingKey::from_secret(secret.as_bytes())),
            policy,
        }
    }

    pub fn public_pem(pem: &str, policy: JwtPolicy) -> Result<JwtKeys, String> {
        if let Ok(k) = DecodingKey::from_rsa_pem(pem.as_bytes()) {
            return Ok(JwtKeys {
                algorithm: Algorithm::RS256,
                decoding: k,
                encoding: None,
                policy,
            });
        }
        DecodingKey::from_ec_pem(pem.as_bytes())
            .map(|k| JwtKeys {
                algorithm: Algorithm::ES256,
                decoding: k,
                encoding: None,
                policy,
            })
            .map_err(|e| format!("JWT_PUBLIC_KEY_PEM is neither an RSA nor an EC public key: {e}"))
    }

    pub fn mint(
        &self,
        sub: &str,
        name: Option<&str>,
        role: Role,
        municipality: &str,
        ttl_minutes: i64,
    ) -> Result<String, String> {
        let key = self
            .encoding
            .as_ref()
            .ok_or("tokens can only be minted with JWT_SECRET (HS256)")?;
        if ttl_minutes < 1 || ttl_minutes > self.policy.max_ttl_minutes {
            return Err(format!(
                "--ttl-minutes must be 1-{} (JWT_MAX_TTL_MINUTES)",
                self.policy.max_ttl_minutes
            ));
        }
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: sub.to_string(),
            role: role.as_str().to_string(),
            municipality: municipality.to_string(),
            exp: now + ttl_minutes * 60,
            iat: Some(now),
            iss: self.policy.issuer.clone(),
            aud: self.policy.audience.clone().map(serde_json::Value::String),
            name: name.map(str::to_string),
        };
        encode(&Header::new(Algorithm::HS256), &claims, key).map_err(|e| e.to_string())
    }

    /// The `alg` a token's header names, read before anything else: a token that names another
    /// algorithm (`none` included) is refused for that, whatever its signature looks like.
    fn check_algorithm(&self, token: &str) -> Result<(), ApiError> {
        use base64::Engine;
        let named = token
            .split('.')
            .next()
            .and_then(|h| {
                base64::engine::general_purpose::URL_SAFE_NO_PAD
                    .decode(h)
                    .ok()
            })
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .and_then(|v| v["alg"].as_str().map(str::to_string));
        match named {
            Some(alg) if alg == format!("{:?}", self.algorithm) => Ok(()),
            Some(alg) => Err(ApiError::unauthorized(
                Code::InvalidToken,
                format!(
                    "the bearer token is not valid: it names the algorithm {alg:?}; only {:?} is accepted",
                    self.algorithm
                ),
            )),
            None => Err(ApiError::unauthorized(
                Code::InvalidToken,
                "the bearer token is not valid: it is not a well-formed JWT",
            )),
        }
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        self.check_algorithm(token)?;
        let mut v = Validation::new(self.algorithm);
        let mut required = vec!["exp", "sub"];
        if let Some(iss) = &self.policy.issuer {
            v.set_issuer(&[iss]);
            required.push("iss");
        }
        match &self.policy.audience {
            Some(aud) => {
                v.set_audience(&[aud]);
                required.push("aud");
            }
            None => v.validate_aud = false,
        }
        v.set_required_spec_claims(&required);
        v.validate_nbf = true;
        v.leeway = 30;
        let data = decode::<Claims>(token, &self.decoding, &v).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            let why = match e.kind() {
                K::ExpiredSignature => "it has expired".to_string(),
                K::ImmatureSignature => "it is not valid yet (nbf)".to_string(),
                K::InvalidSignature => {
                    "its signature does not verify with the configured key".to_string()
                }
                K::InvalidAlgorithm | K::InvalidAlgorithmName => {
                    format!(
                        "it is not signed with {:?}, the one algorithm accepted",
                        self.algorithm
                    )
                }
                K::MissingRequiredClaim(c) => format!("it has no {c} claim"),
                K::InvalidIssuer => {
                    "its issuer (iss) is not the one this service trusts".to_string()
                }
                K::InvalidAudience => "its audience (aud) is not this service".to_string(),
                K::Json(_) => {
                    "its claims are not sub, role, municipality and exp as expected".to_string()
                }
                _ => "it is not a well-formed JWT".to_string(),
            };
            ApiError::unauthorized(
                Code::InvalidToken,
                format!("the bearer token is not valid: {why}"),
            )
        })?;
        let c = data.claims;
        let now = chrono::Utc::now().timestamp();
        if c.iat.is_some_and(|iat| iat > now + 30) {
            return Err(ApiError::unauthorized(
                Code::InvalidToken,
                "the bearer token is not valid: it says it was issued in the future (iat)",
            ));
        }
        let lifetime = c.exp - c.iat.unwrap_or(now);
        if lifetime > self.policy.max_ttl_minutes * 60 {
            return Err(ApiError::unauthorized(
                Code::InvalidToken,
                format!(
                    "the bearer token lives longer than the {} minutes this service accepts (JWT_MAX_TTL_MINUTES)",
                    self.policy.max_ttl_minutes
                ),
            ));
        }
        if !is_municipality_code(&c.municipality) {
            return Err(ApiError::unauthorized(
                Code::InvalidToken,
                "the token's municipality claim must be a three-digit kommunekode",
            ));
        }
        if c.sub.trim().is_empty() || c.sub.chars().count() > 200 {
            return Err(ApiError::unauthorized(
                Code::InvalidToken,
                "the token's sub claim must be 1-200 characters",
            ));
        }
        if let Some(n) = &c.name {
            check_name(n)?;
        }
        Ok(c)
    }
}

/// A name printed in letters to families: 1-100 visible characters, no CPR number (a token is
/// another system's word, and the letter is ours).
pub fn check_name(n: &str) -> Result<(), ApiError> {
    let bad = |why: &str| {
        Err(ApiError::unauthorized(
            Code::InvalidToken,
            format!("the token's name claim {why}"),
        ))
    };
    let count = n.trim().chars().count();
    if count == 0 || count > 100 {
        return bad("must be 1-100 characters");
    }
    if n.chars()
        .any(|c| c.is_control() || rules::privacy::normal_form::is_invisible(c))
    {
        return bad("must not hold control or invisible characters");
    }
    if rules::privacy::no_cpr::mentions_cpr(n) {
        return bad("must not hold a CPR number");
    }
    Ok(())
}

pub fn is_municipality_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The authenticated caller and the day (Europe/Copenhagen). Extracting it is what makes an
/// endpoint require a token.
pub struct Auth(pub Ctx);

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = Ready<Result<Auth, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

fn authenticate(req: &HttpRequest) -> Result<Auth, ApiError> {
    let keys = req
        .app_data::<web::Data<JwtKeys>>()
        .ok_or_else(|| ApiError::internal("JWT keys not configured"))?;
    let header = req.headers().get("authorization").ok_or_else(|| {
        ApiError::unauthorized(
            Code::Unauthorized,
            "this endpoint needs an Authorization: Bearer <JWT> header",
        )
    })?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            ApiError::unauthorized(
                Code::Unauthorized,
                "the Authorization header must be \"Bearer <JWT>\"",
            )
        })?;
    let claims = keys.verify(token)?;
    let role = Role::parse(&claims.role).ok_or_else(|| {
        ApiError::unauthorized(
            Code::InvalidToken,
            format!("the token's role {:?} is not a known role", claims.role),
        )
    })?;
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let client = req
        .extensions()
        .get::<ClientRequestId>()
        .map(|c| c.0.clone());
    let name = claims.name.map(|n| n.trim().to_string());
    let ctx = Ctx::new(claims.sub, role, claims.municipality, request_id).with_name(name);
    Ok(Auth(ctx.with_client_request_id(client)))
}
