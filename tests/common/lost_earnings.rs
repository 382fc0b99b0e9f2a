//! Setup helpers for lost earnings: an employee's terms, a grant, payroll runs and their lines,
//! the claims of a case and an account's balance.
use super::{key, Client};
use serde_json::{json, Value};

pub fn balance(c: &Client, code: &str) -> String {
    c.account(&c.account_id(code))["balance"]
        .as_str()
        .unwrap()
        .to_string()
}

/// An employee's terms: three payslips of 30,000.00, `granted` of 37 weekly hours, no pension,
/// no savings.
pub fn terms(parent: &str, granted: &str) -> Value {
    json!({
        "parent_ref": parent, "valid_from": "2024-03-01", "valid_to": "2024-12-31",
        "granted_weekly_hours": granted, "previous_weekly_hours": "37",
        "basis_type": "employee", "payslips": ["30000.00", "30000.00", "30000.00"],
        "previous_employer_pension_monthly": "0.00", "monthly_savings": "0.00",
        "home_teaching_weekly_hours": "0", "home_taught_full_time": false,
        "exceptional_hours_documented": false
    })
}

pub fn grant(cw: &Client, case: &str, body: Value) -> String {
    cw.post_idem(&format!("/v1/cases/{case}/lost-earnings"), &key(), &body)
        .ok(201)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn run(fin: &Client, month: &str) -> Value {
    fin.post_idem("/v1/payroll-runs", &key(), &json!({ "month": month }))
        .ok(201)
        .clone()
}

pub fn lines(fin: &Client, run: &Value) -> Vec<Value> {
    let id = run["id"].as_str().unwrap();
    fin.get(&format!("/v1/payroll-runs/{id}/lines")).ok(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

pub fn proposed_claims(fin: &Client, case: &str) -> Vec<Value> {
    fin.get(&format!("/v1/clawbacks?case_id={case}")).ok(200)["items"]
        .as_array()
        .unwrap()
        .clone()
}

pub fn days_ago(n: i64) -> String {
    (ledger::context::today_in_denmark() - chrono::Duration::days(n)).to_string()
}

/// March and April 2024 paid, then the case ended back in time on 15 April (recorded now) and
/// May run: half of April was paid and is not due, a proposed claim on the case.
pub fn paid_then_ended(cw: &Client, fin: &Client, case: &str) {
    run(fin, "2024-03");
    run(fin, "2024-04");
    cw.post(
        &format!("/v1/cases/{case}/end"),
        &json!({"end_date": "2024-04-15", "reason": "Træningen stoppede"}),
    )
    .ok(200);
    run(fin, "2024-05");
}
