//! Fixed-amount agreements: the schedule exact to the øre, installments paid once, expenses on
//! covered posts paid from the advance, and an ended case's later installments cancelled.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::home_training::{approve, expense, new_case, new_year, post_id, post_of, year};
use common::{each_backend, key, Client, M};
use serde_json::{json, Value};

fn balance(c: &Client, code: &str) -> String {
    c.account(&c.account_id(code))["balance"]
        .as_str()
        .unwrap()
        .to_string()
}

fn ore(v: &Value) -> i64 {
    let s = v.as_str().unwrap();
    let (k, o) = s.split_once('.').unwrap();
    k.parse::<i64>().unwrap() * 100 + o.parse::<i64>().unwrap()
}

#[test]
fn a_monthly_agreement_prepays_each_covered_post_exactly_its_grant() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let case = new_case(&cw, "AGR-1", "2016-03-01", "2025-01-06", "2025-02-03");
        let y = new_year(
            &cw,
            &case,
            "2025-02-03",
            json!([
                {"category": "equipment", "description": "Mats", "amount": "12000.00"},
                {"category": "courses", "description": "Course", "amount": "6000.01"},
                {"category": "supervision", "description": "Supervisor", "amount": "2400.00"},
                {"category": "supplements", "description": "Supplements", "amount": "1000.00"}
            ]),
        )
        .ok(201)
        .clone();
        let yid = y["id"].as_str().unwrap().to_string();
        let covered: Vec<String> = ["equipment", "courses", "supervision"]
            .iter()
            .map(|c| post_id(&y, c))
            .collect();
        let sup = post_id(&y, "supplements");
        // A documented expense on the supplements post: it cannot then be covered.
        let doc = expense(&cw, &yid, &sup, "2025-02-10", "100.00", "S-1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let agree =
            |body: Value| cw.post_idem(&format!("/v1/budget-years/{yid}/agreement"), &key(), &body);
        agree(json!({"frequency": "monthly", "post_ids": covered, "first_payment_date": "2025-02-03"}))
            .problem(422, "family_agreement_missing");
        agree(json!({"frequency": "monthly", "post_ids": [sup], "family_agreed_on": "2025-02-01", "first_payment_date": "2025-02-03"}))
            .problem(422, "post_has_expenses");
        agree(json!({"frequency": "monthly", "post_ids": covered, "family_agreed_on": "2025-02-01", "first_payment_date": "2024-12-01"}))
            .problem(422, "invalid_value");
        s.client("finance", M).post_idem(&format!("/v1/budget-years/{yid}/agreement"), &key(), &json!({"frequency": "monthly", "post_ids": covered, "family_agreed_on": "2025-02-01", "first_payment_date": "2025-02-03"}))
            .problem(403, "forbidden");
        let plan = agree(json!({"frequency": "monthly", "post_ids": covered, "family_agreed_on": "2025-02-01", "first_payment_date": "2025-02-03"}))
            .ok(201)["items"]
            .as_array()
            .unwrap()
            .clone();
        agree(json!({"frequency": "yearly", "post_ids": covered, "family_agreed_on": "2025-02-01", "first_payment_date": "2025-02-03"}))
            .problem(409, "agreement_exists");
        // 20,400.01 kr over 12: 1,700.00 each, the last 1,700.01; each post exactly its grant.
        assert_eq!(plan.len(), 12);
        assert_eq!(plan[0]["amount"], "1700.00");
        assert_eq!(plan[11]["amount"], "1700.01");
        assert_eq!(plan[11]["due_date"], "2026-01-03");
        for i in &plan {
            let split: i64 = i["allocation"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| ore(&a["amount"]))
                .sum();
            assert_eq!(split, ore(&i["amount"]));
        }
        for (p, grant) in covered.iter().zip([1_200_000i64, 600_001, 240_000]) {
            let prepaid: i64 = plan
                .iter()
                .flat_map(|i| i["allocation"].as_array().unwrap().clone())
                .filter(|a| a["post_id"] == p.as_str())
                .map(|a| ore(&a["amount"]))
                .sum();
            assert_eq!(prepaid, grant, "post {p}");
        }
        assert_eq!(
            cw.get(&format!("/v1/budget-years/{yid}/installments"))
                .ok(200)["items"]
                .as_array()
                .unwrap()
                .len(),
            12
        );
        // The agreement is a decision on the case.
        let kinds: Vec<String> = cw.get(&format!("/v1/cases/{case}/decisions")).ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["kind"].as_str().unwrap().to_string())
            .collect();
        assert!(kinds.contains(&"agreement_made".to_string()), "{kinds:?}");

        // Finance pays what is due by the end of April: three installments, each once.
        let due = fin
            .get("/v1/installments?status=due&until=2025-04-30")
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(due.len(), 3);
        for (n, i) in due.iter().enumerate() {
            let paid = fin.post_idem(
                &format!("/v1/installments/{}/pay", i["id"].as_str().unwrap()),
                &key(),
                &json!({"paid_on": i["due_date"], "bank_reference": format!("NETS-{n}")}),
            );
            assert_eq!(paid.ok(200)["status"], "paid");
        }
        fin.post_idem(
            &format!("/v1/installments/{}/pay", due[0]["id"].as_str().unwrap()),
            &key(),
            &json!({"paid_on": "2025-02-03", "bank_reference": "again"}),
        )
        .problem(409, "installment_not_due");
        cw.post_idem(
            &format!("/v1/installments/{}/pay", plan[5]["id"].as_str().unwrap()),
            &key(),
            &json!({"paid_on": "2025-02-03", "bank_reference": "x"}),
        )
        .problem(403, "forbidden");
        assert_eq!(balance(&cw, "1100"), "5100.00");

        // An expense on a covered post is paid from the advance: no payable, the post consumed.
        let mat = expense(&cw, &yid, &covered[0], "2025-03-05", "4000.00", "M-1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        let a = approve(&cw, &mat).ok(200).clone();
        assert!(a["payable_id"].is_null(), "{a}");
        assert_eq!(balance(&cw, "1100"), "1100.00");
        assert_eq!(
            post_of(&year(&cw, &yid), &covered[0])["remaining"],
            "8000.00"
        );
        // Over what a covered post has left: refused as before.
        expense(&cw, &yid, &covered[2], "2025-03-06", "2400.01", "V-1")
            .problem(422, "budget_post_exceeded");
        // The post outside the agreement stays on documented reimbursement: a payable.
        let b = approve(&cw, &doc).ok(200).clone();
        assert!(b["payable_id"].is_string());
        assert_eq!(balance(&cw, "2000"), "100.00");

        // The case ends on 2025-06-30: the installments due after it are cancelled.
        cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2025-06-30", "reason": "The family ends the training"}),
        )
        .ok(200);
        let after: Vec<Value> = cw
            .get(&format!("/v1/budget-years/{yid}/installments"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let status = |s: &str| after.iter().filter(|i| i["status"] == s).count();
        assert_eq!(
            (status("paid"), status("due"), status("cancelled")),
            (3, 2, 7)
        );
        assert!(after
            .iter()
            .filter(|i| i["status"] == "cancelled")
            .all(|i| i["due_date"].as_str().unwrap() > "2025-06-30"));
        cw.verify_clean(M);
    });
}

#[test]
fn half_yearly_and_yearly_schedules_and_a_short_year() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        for (n, (freq, start, end, expected)) in [
            (
                "half_yearly",
                "2025-02-03",
                None,
                vec!["5000.00", "5000.01"],
            ),
            ("yearly", "2025-02-03", None, vec!["10000.01"]),
            (
                "monthly",
                "2025-01-01",
                Some("2025-04-30"),
                vec!["2500.00", "2500.00", "2500.00", "2500.01"],
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let case = new_case(
                &cw,
                &format!("SCH-{n}"),
                "2016-03-01",
                "2025-01-01",
                "2025-01-01",
            );
            let mut body = json!({"start_date": start, "posts": [{"category": "equipment", "description": "e", "amount": "7000.01"}, {"category": "courses", "description": "c", "amount": "3000.00"}]});
            if let Some(e) = end {
                body["end_date"] = json!(e);
            }
            let y = cw
                .post_idem(&format!("/v1/cases/{case}/budget-years"), &key(), &body)
                .ok(201)
                .clone();
            let posts = vec![post_id(&y, "equipment"), post_id(&y, "courses")];
            let plan = cw
                .post_idem(&format!("/v1/budget-years/{}/agreement", y["id"].as_str().unwrap()), &key(), &json!({"frequency": freq, "post_ids": posts, "family_agreed_on": start, "first_payment_date": start}))
                .ok(201)["items"]
                .as_array()
                .unwrap()
                .clone();
            let amounts: Vec<&str> = plan.iter().map(|i| i["amount"].as_str().unwrap()).collect();
            assert_eq!(amounts, expected, "{freq}");
        }
    });
}
