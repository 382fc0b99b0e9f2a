//! The account mapping in force and every earlier version (controller, admin, finance).
use crate::context::Ctx;
use crate::error::Result;
use crate::store::mappings::{self, MappingRow};
use crate::store::Tx;
use bookkeeping::Role;
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

pub const READERS: &[Role] = &[Role::Controller, Role::Admin, Role::Finance];

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, utoipa::ToSchema)]
pub struct MappingView {
    #[schema(example = "5110")]
    pub account_code: String,
    #[schema(example = "5.28.21")]
    pub function: String,
    #[schema(example = "1")]
    pub dranst: String,
    #[schema(example = "5.2")]
    pub art: String,
}

impl From<MappingRow> for MappingView {
    fn from(r: MappingRow) -> Self {
        MappingView {
            account_code: r.account_code,
            function: r.function,
            dranst: r.dranst,
            art: r.art,
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct MappingVersion {
    pub version: i32,
    pub changed_by: String,
    #[serde(with = "crate::read::utc")]
    pub changed_at: NaiveDateTime,
    pub mappings: Vec<MappingView>,
}

#[derive(Serialize, Deserialize, Clone, Debug, utoipa::ToSchema)]
pub struct Mappings {
    /// The version in force (0: nothing mapped yet); the `ETag`.
    pub version: i32,
    /// The mapping in force.
    pub mappings: Vec<MappingView>,
    /// Every version, oldest first.
    pub history: Vec<MappingVersion>,
}

pub fn get(tx: &mut Tx, ctx: &Ctx) -> Result<Mappings> {
    ctx.require(READERS)?;
    let m = &ctx.municipality;
    let mut history = vec![];
    for v in mappings::versions_of(tx, m)? {
        history.push(MappingVersion {
            mappings: mappings::of_version(tx, m, v.version)?
                .into_iter()
                .map(MappingView::from)
                .collect(),
            version: v.version,
            changed_by: v.changed_by,
            changed_at: v.changed_at,
        });
    }
    let (version, current) = history
        .last()
        .map(|h| (h.version, h.mappings.clone()))
        .unwrap_or_default();
    Ok(Mappings {
        version,
        mappings: current,
        history,
    })
}
