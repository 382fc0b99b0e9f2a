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
}

/// How tokens are checked: one algorithm, one key. A token of any other algorithm
/// (including `none`) is refused.
#[derive(Clone)]
pub struct JwtKeys {
    pub algorithm: Algorithm,
    pub decoding: DecodingKey,
    /// Only for HS256: the development token command signs with it.
    pub encoding: Option<EncodingKey>,
}

impl JwtKeys {
    pub fn hs256(secret: &str) -> JwtKeys {
        JwtKeys {
            algorithm: Algorithm::HS256,
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            encoding: Some(EncodingKey::from_secret(secret.as_bytes())),
        }
    }

    pub fn public_pem(pem: &str) -> Result<JwtKeys, String> {
        if let Ok(k) = DecodingKey::from_rsa_pem(pem.as_bytes()) {
            return Ok(JwtKeys {
                algorithm: Algorithm::RS256,
                decoding: k,
                encoding: None,
            });
        }
        DecodingKey::from_ec_pem(pem.as_bytes())
            .map(|k| JwtKeys {
                algorithm: Algorithm::ES256,
                decoding: k,
                encoding: None,
            })
            .map_err(|e| format!("JWT_PUBLIC_KEY_PEM is neither an RSA nor an EC public key: {e}"))
    }

    pub fn mint(
        &self,
        sub: &str,
        role: Role,
        municipality: &str,
        ttl_minutes: i64,
    ) -> Result<String, String> {
        let key = self
            .encoding
            .as_ref()
            .ok_or("tokens can only be minted with JWT_SECRET (HS256)")?;
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: sub.to_string(),
            role: role.as_str().to_string(),
            municipality: municipality.to_string(),
            exp: now + ttl_minutes * 60,
            iat: Some(now),
        };
        encode(&Header::new(Algorithm::HS256), &claims, key).map_err(|e| e.to_string())
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        let mut v = Validation::new(self.algorithm);
        v.set_required_spec_claims(&["exp", "sub"]);
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
        Ok(c)
    }
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
    let ctx = Ctx::new(claims.sub, role, claims.municipality, request_id);
    Ok(Auth(ctx.with_client_request_id(client)))
}
