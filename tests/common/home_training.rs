//! Setup helpers for home-training cases: cases, budget years, posts, expenses and approvals.
use super::{key, Client, Resp};
use serde_json::{json, Value};

/// The cap has no published value for 2025-2027 in the seed (an operator enters them from the
/// ministry's yearly rate table); the tests enter the 2024 level for them, as an operator would,
/// so that a date in those years is judged rather than refused with `rate_missing`.
pub fn enter_test_caps(c: &Client) {
    let op = c.with_token(&super::token("operator", super::M));
    for year in [2025, 2026, 2027] {
        let r = op.post(
            "/v1/rates",
            &json!({"name": "training_expense_cap", "valid_from": format!("{year}-01-01"), "value": "706600.00", "source": "test fixture: the 2024 level entered for the year"}),
        );
        assert!(r.status == 201 || r.code() == "rate_exists", "{:?}", r.body);
    }
}

pub fn new_case(cw: &Client, r: &str, birth: &str, application: &str, approval: &str) -> String {
    enter_test_caps(cw);
    new_case_as_is(cw, r, birth, application, approval)
}

/// A case, with the rates as they stand.
pub fn new_case_as_is(
    cw: &Client,
    r: &str,
    birth: &str,
    application: &str,
    approval: &str,
) -> String {
    let c = cw.post(
        "/v1/cases",
        &json!({"external_ref": r, "child_birth_date": birth, "application_date": application, "approval_date": approval, "scope": "full"}),
    );
    c.ok(201)["id"].as_str().unwrap().to_string()
}

pub fn new_year(cw: &Client, case: &str, start: &str, posts: Value) -> Resp {
    cw.post_idem(
        &format!("/v1/cases/{case}/budget-years"),
        &key(),
        &json!({"start_date": start, "posts": posts}),
    )
}

pub fn post_id(year: &Value, category: &str) -> String {
    year["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["category"] == category)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string()
}

pub fn expense(cw: &Client, year: &str, post: &str, date: &str, amount: &str, doc: &str) -> Resp {
    cw.post_idem(
        &format!("/v1/budget-years/{year}/expenses"),
        &key(),
        &json!({"post_id": post, "expense_date": date, "amount": amount, "description": "item", "supplier": "Shop ApS", "document_ref": doc}),
    )
}

pub fn approve(cw: &Client, id: &str) -> Resp {
    cw.post(&format!("/v1/expenses/{id}/approve"), &json!({}))
}

pub fn year(c: &Client, id: &str) -> Value {
    c.get(&format!("/v1/budget-years/{id}")).ok(200).clone()
}

pub fn post_of(year: &Value, id: &str) -> Value {
    year["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
        .clone()
}

/// One case with three posts, for the expense tests: (case, year view).
pub fn story_setup(cw: &Client, r: &str) -> (String, Value) {
    let case = new_case(cw, r, "2016-03-01", "2025-01-06", "2025-02-03");
    let y = new_year(
        cw,
        &case,
        "2025-01-06",
        json!([
            {"category": "helper_trainers", "description": "Helpers", "hours": "100", "hourly_rate": "200.00"},
            {"category": "equipment", "description": "Mats", "amount": "5000.00"},
            {"category": "courses", "description": "Course", "amount": "3000.00"}
        ]),
    );
    (case, y.ok(201).clone())
}

/// A 2025 year with 1,200.00 on equipment under a monthly agreement, January's 100.00 paid:
/// (year id, post id).
pub fn prepaid_year(cw: &Client, fin: &Client, r: &str) -> (String, String) {
    let case = new_case(cw, r, "2016-03-01", "2025-01-01", "2025-01-01");
    let y = new_year(
        cw,
        &case,
        "2025-01-01",
        json!([{"category": "equipment", "description": "Måtter", "amount": "1200.00"}]),
    )
    .ok(201)
    .clone();
    let yid = y["id"].as_str().unwrap().to_string();
    let p = post_id(&y, "equipment");
    let plan = cw.post_idem(&format!("/v1/budget-years/{yid}/agreement"), &key(), &json!({"frequency": "monthly", "post_ids": [p], "family_agreed_on": "2025-01-01", "first_payment_date": "2025-01-01"})).ok(201)["items"].as_array().unwrap().clone();
    fin.post_idem(
        &format!("/v1/installments/{}/pay", plan[0]["id"].as_str().unwrap()),
        &key(),
        &json!({"paid_on": "2025-01-01", "bank_reference": "N-1"}),
    )
    .ok(200);
    (yid, p)
}

pub fn settle(cw: &Client, yid: &str) -> Value {
    cw.post_idem(
        &format!("/v1/budget-years/{yid}/settlement"),
        &key(),
        &json!({}),
    )
    .ok(201)
    .clone()
}

/// The settlement's family heard 20 days ago (the 14 days passed), then its unspent money
/// claimed: whole, or `amount` of it (the rest waived). The decision's answer.
pub fn heard_and_claimed(cw: &Client, sid: &str, amount: Option<&str>, reason: &str) -> Value {
    cw.post(
        &format!("/v1/settlements/{sid}/hearing"),
        &json!({"sent_on": super::lost_earnings::days_ago(20)}),
    )
    .ok(200);
    let mut body = json!({"decision": "claim", "decided_on": super::today(), "reason": reason});
    if let Some(a) = amount {
        body["amount"] = json!(a);
    }
    cw.post_idem(&format!("/v1/settlements/{sid}/decision"), &key(), &body)
        .ok(200)
        .clone()
}

/// A story (`story_setup`) with its equipment expense of 1,000.00 approved: (case id, expense
/// id).
pub fn approved_equipment(cw: &Client, r: &str) -> (String, String) {
    let (case, y) = story_setup(cw, r);
    let yid = y["id"].as_str().unwrap();
    let e = expense(
        cw,
        yid,
        &post_id(&y, "equipment"),
        "2025-03-01",
        "1000.00",
        &format!("{r}-INV"),
    );
    let e = e.ok(201)["id"].as_str().unwrap().to_string();
    approve(cw, &e).ok(200);
    (case, e)
}

/// A story's equipment expense of 1,000.00 approved, paid and annulled today: (case id,
/// expense id); its paid money is a proposed claim.
pub fn paid_and_annulled(cw: &Client, fin: &Client, r: &str) -> (String, String) {
    let (case, e) = approved_equipment(cw, r);
    let open = fin
        .get(&format!("/v1/payables?status=open&case_id={case}"))
        .ok(200)["items"]
        .clone();
    fin.post_idem(
        "/v1/payments",
        &key(),
        &json!({"payable_ids": [open[0]["id"]], "paid_on": "2025-03-10", "bank_reference": format!("N-{r}")}),
    )
    .ok(201);
    cw.post_idem(
        &format!("/v1/expenses/{e}/annul"),
        &key(),
        &json!({"decided_on": super::today(), "reason": "Købt til en søskende"}),
    )
    .ok(200);
    (case, e)
}
