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

fn kr(ore: i64) -> String {
    format!("{}.{:02}", ore / 100, ore % 100)
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
        // Supervision is spent exactly what was prepaid for it (its share of three installments).
        let x: i64 = due
            .iter()
            .flat_map(|i| i["allocation"].as_array().unwrap().clone())
            .filter(|a| a["post_id"] == covered[2].as_str())
            .map(|a| ore(&a["amount"]))
            .sum();
        let v = expense(&cw, &yid, &covered[2], "2025-03-07", &kr(x), "V-2").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &v).ok(200);
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
        // The annual accounts: settled on what was paid (the two installments still due go).
        let settle = || {
            cw.post_idem(
                &format!("/v1/budget-years/{yid}/settlement"),
                &key(),
                &json!({}),
            )
        };
        let st = settle().ok(201).clone();
        assert_eq!(
            (st["total_prepaid"].as_str(), st["total_approved"].as_str()),
            (Some("5100.00"), Some(kr(400_000 + x).as_str()))
        );
        assert_eq!(
            (st["net_unspent"].as_str(), st["net_shortfall"].as_str()),
            (Some(kr(110_000 - x).as_str()), Some("0.00"))
        );
        let posts = st["posts"].as_array().unwrap();
        let eqp = posts
            .iter()
            .find(|p| p["post_id"] == covered[0].as_str())
            .unwrap();
        // The equipment post was spent beyond its prepaid share; the others not at all: netted.
        assert!(
            ore(&eqp["shortfall"]) > 0 && ore(&eqp["unspent"]) == 0,
            "{eqp}"
        );
        let unspent: i64 = posts.iter().map(|p| ore(&p["unspent"])).sum();
        let shortfall: i64 = posts.iter().map(|p| ore(&p["shortfall"])).sum();
        assert_eq!(unspent - shortfall, 110_000 - x);
        let sv = posts
            .iter()
            .find(|p| p["post_id"] == covered[2].as_str())
            .unwrap();
        assert_eq!(
            (sv["unspent"].as_str(), sv["shortfall"].as_str()),
            (Some("0.00"), Some("0.00"))
        );
        assert_eq!(
            ore(&st["total_prepaid"]) - ore(&st["total_approved"]),
            ore(&st["net_unspent"]) - ore(&st["net_shortfall"])
        );
        settle().problem(409, "settlement_exists");
        // The accounts are final: an expense on a covered post is no longer decided.
        let late = expense(&cw, &yid, &covered[0], "2025-05-02", "10.00", "M-9").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        // A late expense is never a bare conflict: a stored refusal the family can appeal,
        // with the way to ask for the settlement to be reopened (issue 21).
        let r = approve(&cw, &late);
        r.problem(422, "year_settled");
        let decision = r.body["decision_id"]
            .as_str()
            .expect("a stored decision")
            .to_string();
        assert!(
            r.body["detail"].as_str().unwrap().contains("reopened"),
            "{}",
            r.body
        );
        let d = cw.get(&format!("/v1/decisions/{decision}")).ok(200).clone();
        assert_eq!(d["outcome"], "refused");
        let letter = cw.get(&format!("/v1/decisions/{decision}/letter"));
        assert!(letter.body.as_str().unwrap().contains("genåbne opgørelsen"));
        assert_eq!(
            cw.get(&format!("/v1/expenses/{late}")).ok(200)["status"],
            "refused"
        );
        assert!(cw
            .get(&format!("/v1/budget-years/{yid}/installments"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["status"] != "due"));
        assert_eq!(
            cw.get(&format!("/v1/budget-years/{yid}/settlement"))
                .ok(200)["id"],
            st["id"]
        );
        let csv = cw.request(
            "GET",
            &format!("/v1/budget-years/{yid}/settlement?dialect=da"),
            None,
            &[("Accept", "text/csv")],
        );
        assert!(csv.content_type.starts_with("text/csv"));
        let text = csv.body.as_str().unwrap();
        assert!(
            text.starts_with("post_id;granted;prepaid;approved;unspent;shortfall"),
            "{text}"
        );
        let approved_da = kr(400_000 + x).replace('.', ",");
        assert!(
            text.contains(&format!("total;20400,01;5100,00;{approved_da};")),
            "{text}"
        );
        let net_da = kr(110_000 - x).replace('.', ",");
        assert!(
            text.contains(&format!("net_unspent;;;;;{net_da}")),
            "{text}"
        );
        // The decision: an offset needs the family's consent; a claim books the receivable.
        let sid = st["id"].as_str().unwrap();
        let decide =
            |b: Value| cw.post_idem(&format!("/v1/settlements/{sid}/decision"), &key(), &b);
        decide(json!({"decision": "offset", "decided_on": common::today(), "reason": "withhold"}))
            .problem(422, "family_consent_required");
        // A claim is decided only after the family was heard (issue 21).
        let claim = json!({"decision": "claim", "decided_on": common::today(), "reason": "Courses and supervision were not used"});
        decide(claim.clone()).problem(409, "hearing_required");
        let heard = cw
            .post(
                &format!("/v1/settlements/{sid}/hearing"),
                &json!({"sent_on": common::today()}),
            )
            .ok(200)
            .clone();
        assert!(heard["hearing"]["respond_by"].is_string(), "{heard}");
        let letter = cw.get(&format!("/v1/settlements/{sid}/hearing/letter"));
        assert!(letter.body.as_str().unwrap().contains("Partshøring"));
        decide(claim.clone()).problem(409, "hearing_required");
        cw.post(
            &format!("/v1/settlements/{sid}/hearing/response"),
            &json!({"received_on": common::today(), "summary": "Familien har ingen bemærkninger"}),
        )
        .ok(200);
        let claimed = decide(claim).ok(200).clone();
        assert_eq!(claimed["decision"], "claim");
        decide(json!({"decision": "waive", "decided_on": common::today(), "reason": "x"}))
            .problem(409, "settlement_decided");
        assert_eq!(balance(&cw, "1200"), kr(110_000 - x));
        assert_eq!(balance(&cw, "1100"), "0.00");
        let claims = fin.get("/v1/clawbacks?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        assert_eq!(
            (claims[0]["origin"].as_str(), claims[0]["amount"].as_str()),
            (Some("settlement"), Some(kr(110_000 - x).as_str()))
        );
        let cid = claims[0]["id"].as_str().unwrap();
        let part = fin.post_idem(
            &format!("/v1/clawbacks/{cid}/repayments"),
            &key(),
            &json!({"amount": "500.00", "received_on": common::today(), "bank_reference": "IN-7"}),
        );
        assert_eq!(part.ok(201)["outstanding"], kr(60_000 - x).as_str());
        let letter = cw.get(&format!(
            "/v1/decisions/{}/letter",
            claimed["decision_id"].as_str().unwrap()
        ));
        assert!(letter.body.as_str().unwrap().contains("Klagevejledning"));
        cw.verify_clean(M);
    });
}

#[test]
fn a_shortfall_is_owed_to_the_family_and_unspent_money_may_be_waived() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let run = |r: &str| {
            let case = new_case(&cw, r, "2016-03-01", "2025-01-01", "2025-01-01");
            let y = new_year(
                &cw,
                &case,
                "2025-01-01",
                json!([{"category": "equipment", "description": "e", "amount": "1200.00"}]),
            )
            .ok(201)
            .clone();
            let yid = y["id"].as_str().unwrap().to_string();
            let p = post_id(&y, "equipment");
            let plan = cw.post_idem(&format!("/v1/budget-years/{yid}/agreement"), &key(), &json!({"frequency": "monthly", "post_ids": [p], "family_agreed_on": "2025-01-01", "first_payment_date": "2025-01-01"})).ok(201)["items"].as_array().unwrap().clone();
            fin.post_idem(
                &format!("/v1/installments/{}/pay", plan[0]["id"].as_str().unwrap()),
                &key(),
                &json!({"paid_on": "2025-01-01", "bank_reference": "N"}),
            )
            .ok(200);
            (yid, p)
        };
        // Spent 300 on a post prepaid 100: 200 is owed to the family, as a payable.
        let (y1, p1) = run("SF-1");
        let e = expense(&cw, &y1, &p1, "2025-02-01", "300.00", "SF-D").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        approve(&cw, &e).ok(200);
        let st = cw
            .post_idem(
                &format!("/v1/budget-years/{y1}/settlement"),
                &key(),
                &json!({}),
            )
            .ok(201)
            .clone();
        assert_eq!(
            (st["net_unspent"].as_str(), st["net_shortfall"].as_str()),
            (Some("0.00"), Some("200.00"))
        );
        let payable = st["payable_id"].as_str().unwrap();
        let open = fin.get("/v1/payables?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let owed = open.iter().find(|p| p["id"] == payable).unwrap();
        assert_eq!(
            (owed["amount"].as_str(), owed["settlement_id"].as_str()),
            (Some("200.00"), st["id"].as_str())
        );
        fin.post_idem("/v1/payments", &key(), &json!({"payable_ids": [payable], "paid_on": common::today(), "bank_reference": "SF-P"})).ok(201);
        assert_eq!(balance(&cw, "1100"), "0.00");
        cw.post_idem(
            &format!("/v1/settlements/{}/decision", st["id"].as_str().unwrap()),
            &key(),
            &json!({"decision": "claim", "decided_on": common::today(), "reason": "x"}),
        )
        .problem(422, "nothing_unspent");
        // Nothing spent of 100 prepaid: the municipality waives it.
        let (y2, _) = run("WV-1");
        let st = cw
            .post_idem(
                &format!("/v1/budget-years/{y2}/settlement"),
                &key(),
                &json!({}),
            )
            .ok(201)
            .clone();
        assert_eq!(st["net_unspent"], "100.00");
        let w = cw.post_idem(&format!("/v1/settlements/{}/decision", st["id"].as_str().unwrap()), &key(), &json!({"decision": "waive", "decided_on": common::today(), "reason": "The family could not train for months (illness)"}));
        assert_eq!(w.ok(200)["decision"], "waive");
        assert_eq!(balance(&cw, "5180"), "100.00");
        assert_eq!(balance(&cw, "1100"), "0.00");
        // Part of it claimed, after a hearing whose answer date has passed: 60.00 claimed,
        // 40.00 waived in the same decision (the municipality "may ask", 157 e).
        let (y3, _) = run("PART-S");
        let st = cw
            .post_idem(
                &format!("/v1/budget-years/{y3}/settlement"),
                &key(),
                &json!({}),
            )
            .ok(201)
            .clone();
        let sid = st["id"].as_str().unwrap();
        let long_ago =
            (ledger::context::today_in_denmark() - chrono::Duration::days(20)).to_string();
        cw.post(
            &format!("/v1/settlements/{sid}/hearing"),
            &json!({"sent_on": long_ago}),
        )
        .ok(200);
        let decide =
            |b: Value| cw.post_idem(&format!("/v1/settlements/{sid}/decision"), &key(), &b);
        decide(json!({"decision": "claim", "amount": "100.01", "decided_on": common::today(), "reason": "x"}))
            .problem(422, "invalid_amount");
        decide(json!({"decision": "waive", "amount": "10.00", "decided_on": common::today(), "reason": "x"}))
            .problem(422, "invalid_value");
        let (r1200, r5180) = (balance(&cw, "1200"), balance(&cw, "5180"));
        decide(json!({"decision": "claim", "amount": "60.00", "decided_on": common::today(), "reason": "Kun kurset kræves tilbage"}))
            .ok(200);
        let cents = |s: String| -> i64 { s.replace('.', "").parse().unwrap() };
        assert_eq!(cents(balance(&cw, "1200")) - cents(r1200), 6000);
        assert_eq!(cents(balance(&cw, "5180")) - cents(r5180), 4000);
        let claim = fin.get("/v1/clawbacks?status=open").ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["settlement_id"] == sid)
            .unwrap()
            .clone();
        assert_eq!(
            (claim["proposed_amount"].as_str(), claim["amount"].as_str()),
            (Some("100.00"), Some("60.00"))
        );
        // Too early: a year that has not ended is not settled.
        let case = new_case(&cw, "EARLY-1", "2016-03-01", "2026-01-01", "2026-01-01");
        let y = new_year(
            &cw,
            &case,
            "2026-06-01",
            json!([{"category": "equipment", "description": "e", "amount": "1200.00"}]),
        )
        .ok(201)
        .clone();
        let yid = y["id"].as_str().unwrap();
        cw.post_idem(&format!("/v1/budget-years/{yid}/agreement"), &key(), &json!({"frequency": "yearly", "post_ids": [post_id(&y, "equipment")], "family_agreed_on": "2026-01-01", "first_payment_date": "2026-06-01"})).ok(201);
        cw.post_idem(
            &format!("/v1/budget-years/{yid}/settlement"),
            &key(),
            &json!({}),
        )
        .problem(422, "settlement_too_early");
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

#[test]
fn an_amendment_of_a_covered_post_replans_the_unpaid_installments() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let case = new_case(&cw, "RP-1", "2016-03-01", "2025-01-01", "2025-01-01");
        let y = new_year(
            &cw,
            &case,
            "2025-01-01",
            json!([{"category": "equipment", "description": "e", "amount": "1200.00"}]),
        )
        .ok(201)
        .clone();
        let yid = y["id"].as_str().unwrap().to_string();
        let p = post_id(&y, "equipment");
        let plan = cw.post_idem(&format!("/v1/budget-years/{yid}/agreement"), &key(), &json!({"frequency": "monthly", "post_ids": [p], "family_agreed_on": "2025-01-01", "first_payment_date": "2025-01-01"})).ok(201)["items"].as_array().unwrap().clone();
        for i in &plan[..3] {
            fin.post_idem(
                &format!("/v1/installments/{}/pay", i["id"].as_str().unwrap()),
                &key(),
                &json!({"paid_on": i["due_date"], "bank_reference": "N"}),
            )
            .ok(200);
        }
        let amend = |version: &str, amount: &str| {
            cw.request(
                "POST",
                &format!("/v1/budget-years/{yid}/amendments"),
                Some(&json!({"decided_on": common::today(), "reason": "Supplementary application", "changes": [{"post_id": p, "amount": amount}]}).to_string()),
                &[("If-Match", version), ("Content-Type", "application/json")],
            )
        };
        // Raised to 2,100.00 with 300.00 prepaid: the nine unpaid installments carry 1,800.00.
        amend("\"1\"", "2100.00").ok(200);
        let now: Vec<Value> = cw
            .get(&format!("/v1/budget-years/{yid}/installments"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let due: Vec<&Value> = now.iter().filter(|i| i["status"] == "due").collect();
        assert_eq!(due.len(), 9);
        assert!(due.iter().all(|i| i["amount"] == "200.00"));
        assert_eq!(now.iter().filter(|i| i["status"] == "cancelled").count(), 9);
        let prepaid_total: i64 = now
            .iter()
            .filter(|i| i["status"] != "cancelled")
            .map(|i| ore(&i["amount"]))
            .sum();
        assert_eq!(prepaid_total, 210_000);
        // Never below what was prepaid for it.
        amend("\"2\"", "200.00").problem(422, "post_below_prepaid");
        cw.verify_clean(M);
    });
}

#[test]
fn unspent_money_is_withheld_from_next_years_installments_with_consent() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let case = new_case(&cw, "OFF-1", "2016-03-01", "2025-01-01", "2025-01-01");
        let year = |start: &str, end: &str, amount: &str| {
            let y = cw.post_idem(&format!("/v1/cases/{case}/budget-years"), &key(), &json!({"start_date": start, "end_date": end, "posts": [{"category": "equipment", "description": "e", "amount": amount}]})).ok(201).clone();
            let yid = y["id"].as_str().unwrap().to_string();
            let plan = cw.post_idem(&format!("/v1/budget-years/{yid}/agreement"), &key(), &json!({"frequency": "monthly", "post_ids": [post_id(&y, "equipment")], "family_agreed_on": "2025-01-01", "first_payment_date": start})).ok(201)["items"].as_array().unwrap().clone();
            (yid, plan)
        };
        let (y1, plan1) = year("2025-01-01", "2025-12-31", "1200.00");
        let (y2, _) = year("2026-01-01", "2026-12-31", "2400.00");
        for i in &plan1[..2] {
            fin.post_idem(
                &format!("/v1/installments/{}/pay", i["id"].as_str().unwrap()),
                &key(),
                &json!({"paid_on": i["due_date"], "bank_reference": "N"}),
            )
            .ok(200);
        }
        let st = cw
            .post_idem(
                &format!("/v1/budget-years/{y1}/settlement"),
                &key(),
                &json!({}),
            )
            .ok(201)
            .clone();
        assert_eq!(st["net_unspent"], "200.00");
        let sid = st["id"].as_str().unwrap();
        let decide =
            |b: Value| cw.post_idem(&format!("/v1/settlements/{sid}/decision"), &key(), &b);
        decide(json!({"decision": "offset", "decided_on": common::today(), "reason": "Withheld from 2026"})).problem(422, "family_consent_required");
        let d = decide(
            json!({"decision": "offset", "decided_on": common::today(), "reason": "Withheld from 2026", "family_consented_on": "2026-01-10"}),
        );
        assert_eq!(d.ok(200)["decision"], "offset");
        // Next year: a set-off installment of 200.00 counted as paid, the rest re-planned.
        let next: Vec<Value> = cw
            .get(&format!("/v1/budget-years/{y2}/installments"))
            .ok(200)["items"]
            .as_array()
            .unwrap()
            .clone();
        let set_off: Vec<&Value> = next.iter().filter(|i| i["status"] == "paid").collect();
        assert_eq!(set_off.len(), 1);
        assert_eq!(set_off[0]["amount"], "200.00");
        assert!(set_off[0]["entry_id"].is_null());
        let due: i64 = next
            .iter()
            .filter(|i| i["status"] == "due")
            .map(|i| ore(&i["amount"]))
            .sum();
        assert_eq!(due, 220_000);
        // No money moved: the unspent advance is next year's first 200.00.
        assert_eq!(balance(&cw, "1100"), "200.00");
        assert_eq!(balance(&cw, "1200"), "0.00");
        cw.verify_clean(M);
    });
}

/// Issue 21: annual accounts are settled when they are complete: not while an expense on a
/// covered post awaits its decision, and not before the documentation deadline unless the
/// family has confirmed that its accounts are complete.
#[test]
fn accounts_are_settled_when_they_are_complete() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let today = ledger::context::today_in_denmark();
        let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
        let case = new_case(&cw, "DONE-1", "2016-03-01", "2026-01-05", "2026-01-05");
        let y = new_year(
            &cw,
            &case,
            "2026-01-05",
            json!([{"category": "equipment", "description": "e", "amount": "1200.00"}]),
        )
        .ok(201)
        .clone();
        let yid = y["id"].as_str().unwrap();
        let eq = post_id(&y, "equipment");
        let plan = cw.post_idem(&format!("/v1/budget-years/{yid}/agreement"), &key(), &json!({"frequency": "yearly", "post_ids": [eq], "family_agreed_on": "2026-01-05", "first_payment_date": "2026-01-05"})).ok(201)["items"].clone();
        fin.post_idem(
            &format!("/v1/installments/{}/pay", plan[0]["id"].as_str().unwrap()),
            &key(),
            &json!({"paid_on": "2026-01-05", "bank_reference": "N-1"}),
        )
        .ok(200);
        let pending = expense(&cw, yid, &eq, "2026-02-01", "100.00", "DONE-E1").ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        // The case ended a few days ago: the year is over, its documentation deadline is not.
        cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": day(-3), "reason": "The family ends the training"}),
        )
        .ok(200);
        let settle = |body: Value| {
            cw.post_idem(&format!("/v1/budget-years/{yid}/settlement"), &key(), &body)
        };
        settle(json!({})).problem(422, "expenses_pending");
        approve(&cw, &pending).ok(200);
        let r = settle(json!({}));
        r.problem(422, "documentation_deadline_not_reached");
        let due = year(&cw, yid)["documentation_due"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(due > today.to_string(), "{due}");
        assert!(
            r.body["detail"].as_str().unwrap().contains(&due),
            "{}",
            r.body
        );
        settle(json!({"accounts_complete_on": day(1)}))
            .problem(422, "invalid_accounts_complete_on");
        settle(json!({"accounts_complete_on": day(-4)}))
            .problem(422, "invalid_accounts_complete_on");
        let st = settle(json!({"accounts_complete_on": day(0)}))
            .ok(201)
            .clone();
        assert_eq!(st["accounts_complete_on"], day(0));
        assert_eq!(st["total_approved"], "100.00");
        assert_eq!(st["net_unspent"], "1100.00");
        cw.verify_clean(M);
    });
}
