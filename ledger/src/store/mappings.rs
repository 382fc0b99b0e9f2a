//! The municipality's account mappings for the ERP export, version by version.
use super::schema::{account_mapping_versions as versions, account_mappings as mappings};
use super::{DbConnection, StoreResult};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = versions)]
pub struct VersionRow {
    pub municipality: String,
    pub version: i32,
    pub changed_by: String,
    pub changed_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = mappings)]
pub struct MappingRow {
    pub municipality: String,
    pub version: i32,
    pub account_code: String,
    pub function: String,
    pub dranst: String,
    pub art: String,
}

/// Every version, oldest first.
pub fn versions_of(conn: &mut DbConnection, municipality: &str) -> StoreResult<Vec<VersionRow>> {
    Ok(versions::table
        .filter(versions::municipality.eq(municipality))
        .order(versions::version.asc())
        .select(VersionRow::as_select())
        .load(conn)?)
}

/// The mappings of a version, by account code.
pub fn of_version(
    conn: &mut DbConnection,
    municipality: &str,
    version: i32,
) -> StoreResult<Vec<MappingRow>> {
    Ok(mappings::table
        .filter(mappings::municipality.eq(municipality))
        .filter(mappings::version.eq(version))
        .order(mappings::account_code.asc())
        .select(MappingRow::as_select())
        .load(conn)?)
}

/// The version in force: the latest (0 when none).
pub fn current_version(conn: &mut DbConnection, municipality: &str) -> StoreResult<i32> {
    Ok(versions::table
        .filter(versions::municipality.eq(municipality))
        .select(diesel::dsl::max(versions::version))
        .first::<Option<i32>>(conn)?
        .unwrap_or(0))
}

/// A new version and its mappings; a racing insert of the same version fails on its key.
pub fn insert(conn: &mut DbConnection, v: &VersionRow, rows: &[MappingRow]) -> StoreResult<()> {
    diesel::insert_into(versions::table)
        .values(v)
        .execute(conn)?;
    for r in rows {
        diesel::insert_into(mappings::table)
            .values(r)
            .execute(conn)?;
    }
    Ok(())
}
