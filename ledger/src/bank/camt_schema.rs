//! The parts of ISO 20022 camt.053 (001.02 and 001.08) that reconciliation reads, as serde
//! reads them: every other element is ignored, so a bank's extra detail never refuses a file.
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Document {
    #[serde(rename = "@xmlns", default)]
    pub xmlns: Option<String>,
    #[serde(rename = "BkToCstmrStmt")]
    pub message: Message,
}

#[derive(Deserialize)]
pub struct Message {
    #[serde(rename = "Stmt", default)]
    pub statements: Vec<Stmt>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Stmt {
    pub id: String,
    pub fr_to_dt: Option<FrToDt>,
    pub acct: Option<Acct>,
    #[serde(default)]
    pub bal: Vec<Bal>,
    #[serde(default)]
    pub ntry: Vec<Ntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct FrToDt {
    pub fr_dt_tm: String,
    pub to_dt_tm: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Acct {
    pub id: AcctId,
}

#[derive(Deserialize)]
pub struct AcctId {
    #[serde(rename = "IBAN")]
    pub iban: Option<String>,
    #[serde(rename = "Othr")]
    pub other: Option<Othr>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Othr {
    pub id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Bal {
    pub tp: BalTp,
    pub amt: Amt,
    pub cdt_dbt_ind: String,
    pub dt: DateChoice,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BalTp {
    pub cd_or_prtry: CdOrPrtry,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CdOrPrtry {
    pub cd: Option<String>,
    pub prtry: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DateChoice {
    pub dt: Option<String>,
    pub dt_tm: Option<String>,
}

#[derive(Deserialize)]
pub struct Amt {
    #[serde(rename = "@Ccy")]
    pub ccy: Option<String>,
    #[serde(rename = "$text")]
    pub value: String,
}

/// `<Sts>BOOK</Sts>` (001.02) or `<Sts><Cd>BOOK</Cd></Sts>` (001.08).
#[derive(Deserialize)]
pub struct Sts {
    #[serde(rename = "$text", default)]
    pub text: Option<String>,
    #[serde(rename = "Cd", default)]
    pub cd: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Ntry {
    pub amt: Amt,
    pub cdt_dbt_ind: String,
    pub sts: Option<Sts>,
    pub bookg_dt: Option<DateChoice>,
    pub acct_svcr_ref: Option<String>,
    #[serde(default)]
    pub ntry_dtls: Vec<NtryDtls>,
    pub addtl_ntry_inf: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct NtryDtls {
    #[serde(default)]
    pub tx_dtls: Vec<TxDtls>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TxDtls {
    pub refs: Option<Refs>,
    pub amt_dtls: Option<AmtDtls>,
    /// 001.08 puts the amount and its direction on the detail itself.
    pub amt: Option<Amt>,
    pub cdt_dbt_ind: Option<String>,
    pub rmt_inf: Option<RmtInf>,
    pub addtl_tx_inf: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Refs {
    pub end_to_end_id: Option<String>,
    pub acct_svcr_ref: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AmtDtls {
    pub tx_amt: Option<TxAmt>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TxAmt {
    pub amt: Amt,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RmtInf {
    #[serde(default)]
    pub ustrd: Vec<String>,
}
