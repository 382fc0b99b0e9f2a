//! Issue 21: the letters of the claims flow in a real browser (headless Chromium): the hearing on
//! lost earnings paid and not due, the waiver, a settlement's claim and its reopening, each in
//! Danish with its figures, and no internal keys, codes or ids.
//! Black-box: the real service binary over HTTP (see `common`).
mod common;

use common::browser::{assert_no_raw_words, chromium, dom_of, keep};
use common::home_training::{new_case, prepaid_year, settle};
use common::lost_earnings::days_ago;
use common::{each_backend, key, today, Client, M};
use serde_json::json;

fn letter(c: &Client, path: &str) -> String {
    let r = c.get(path);
    assert!(r.content_type.starts_with("text/html"), "{path}");
    let html = r.body.as_str().unwrap().to_string();
    // Kept as a screenshot and a PDF, named after what the letter is about.
    if let Some(b) = chromium() {
        let title = html
            .split("<h1>")
            .nth(1)
            .and_then(|t| t.split('<').next())
            .unwrap_or("letter");
        let name: String = title
            .chars()
            .map(|c| {
                if c.is_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        keep(&b, &html, &name);
    }
    html
}

fn assert_reads(dom: &str, needles: &[&str]) {
    for n in needles {
        assert!(dom.contains(n), "the letter lacks {n:?}:\n{dom}");
    }
    assert_no_raw_words(dom);
}

#[test]
fn the_lost_earnings_hearing_and_waiver_letters_read_right_in_a_real_browser() {
    let Some(browser) = chromium() else { return };
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let case = new_case(&cw, "LEB-<1>", "2015-01-01", "2024-01-02", "2024-02-01");
        let d = cw
            .post_idem(
                &format!("/v1/cases/{case}/lost-earnings"),
                &key(),
                &json!({
                    "parent_ref": "parent-b", "valid_from": "2024-03-01", "valid_to": "2024-12-31",
                    "granted_weekly_hours": "20", "previous_weekly_hours": "37",
                    "basis_type": "employee", "payslips": ["30000.00", "30000.00", "30000.00"],
                    "previous_employer_pension_monthly": "0.00", "monthly_savings": "0.00",
                    "home_teaching_weekly_hours": "0", "home_taught_full_time": false,
                    "exceptional_hours_documented": false
                }),
            )
            .ok(201)["id"]
            .as_str()
            .unwrap()
            .to_string();
        for m in ["2024-03", "2024-04"] {
            fin.post_idem("/v1/payroll-runs", &key(), &json!({ "month": m }))
                .ok(201);
        }
        cw.post(
            &format!("/v1/cases/{case}/end"),
            &json!({"end_date": "2024-04-15", "reason": "Træningen stoppede"}),
        )
        .ok(200);
        fin.post_idem("/v1/payroll-runs", &key(), &json!({ "month": "2024-05" }))
            .ok(201);
        let claim = fin.get(&format!("/v1/clawbacks?case_id={case}")).ok(200)["items"][0].clone();
        assert_eq!(claim["lost_earnings_id"], d.as_str());
        let cid = claim["id"].as_str().unwrap();
        cw.post(
            &format!("/v1/clawbacks/{cid}/hearing"),
            &json!({"sent_on": days_ago(20)}),
        )
        .ok(200);
        // The hearing: the facts, the month with its gross (30,000 × 20/37 × 15/30 = 8,108.11
        // paid and not due), the condition for a claim, the rule.
        let dom = dom_of(
            &browser,
            &letter(&cw, &format!("/v1/clawbacks/{cid}/hearing/letter")),
        );
        assert_reads(
            &dom,
            &[
                "LEB-&lt;1&gt;",
                "Partshøring",
                "tabt arbejdsfortjeneste",
                "afsluttet",
                "april 2024",
                "8.108,11 kr.",
                "vidste eller burde vide",
                "forvaltningslovens § 19",
            ],
        );
        assert!(!dom.contains(cid), "the claim's id is not for the family");
        let w = cw
            .post_idem(
                &format!("/v1/clawbacks/{cid}/decision"),
                &key(),
                &json!({"decision": "waive", "decided_on": today(), "knew_or_should_have_known": false,
                        "reason": "Forælderen kunne ikke vide, at sagen blev afsluttet tilbage i tid"}),
            )
            .ok(200)
            .clone();
        let decision = w["decision_id"].as_str().unwrap();
        let dom = dom_of(
            &browser,
            &letter(&cw, &format!("/v1/decisions/{decision}/letter")),
        );
        assert_reads(
            &dom,
            &[
                "Afgørelse om at frafalde tilbagebetaling",
                // What is waived, in the outcome itself (issue 22 #9).
                "Frafaldet: 8.108,11 kr.",
                "Forvaltningsloven § 19 (partshøring)",
                "kompensation for tabt arbejdsfortjeneste",
                "Vidste eller burde vide, at beløbet ikke var berettiget",
                "Nej",
                "8.108,11",
                "Klagevejledning",
            ],
        );
        assert!(!dom.contains(cid) && !dom.contains(d.as_str()));
    });
}

#[test]
fn a_settlement_claim_and_its_reopening_read_right_in_a_real_browser() {
    let Some(browser) = chromium() else { return };
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (yid, post) = prepaid_year(&cw, &fin, "SRB-1");
        let st = settle(&cw, &yid);
        let sid = st["id"].as_str().unwrap();
        cw.post(
            &format!("/v1/settlements/{sid}/hearing"),
            &json!({"sent_on": days_ago(20)}),
        )
        .ok(200);
        let claimed = cw
            .post_idem(
                &format!("/v1/settlements/{sid}/decision"),
                &key(),
                &json!({"decision": "claim", "amount": "60.00", "decided_on": today(), "reason": "Måtterne blev ikke købt"}),
            )
            .ok(200)
            .clone();
        // The claim: each covered post by its category and description (never its id), what
        // was prepaid, claimed and waived.
        let dom = dom_of(
            &browser,
            &letter(
                &cw,
                &format!(
                    "/v1/decisions/{}/letter",
                    claimed["decision_id"].as_str().unwrap()
                ),
            ),
        );
        assert_reads(
            &dom,
            &[
                "Afgørelse om tilbagebetaling af uforbrugte midler",
                "Udstyr og materialer (Måtter): forudbetalt",
                "100,00",
                "Krævet tilbagebetalt",
                "60,00",
                "Frafaldet",
                "40,00",
            ],
        );
        assert!(!dom.contains(sid) && !dom.contains(post.as_str()));
        let reopened = cw
            .post_idem(
                &format!("/v1/settlements/{sid}/reopen"),
                &key(),
                &json!({"decided_on": today(), "reason": "Kvitteringen kom efter opgørelsen"}),
            )
            .ok(200)
            .clone();
        let dom = dom_of(
            &browser,
            &letter(
                &cw,
                &format!(
                    "/v1/decisions/{}/letter",
                    reopened["reopened_by_decision"].as_str().unwrap()
                ),
            ),
        );
        assert_reads(
            &dom,
            &[
                "Afgørelse om genoptagelse af årsopgørelsen",
                "Ændret",
                "Kvitteringen kom efter opgørelsen",
                "Krav om tilbagebetaling",
                "genoptagelse af en afgørelse",
                "Klagevejledning",
            ],
        );
        assert!(!dom.contains(sid));
        // The agreement (issue 22 #9): its schedule (dates and amounts), what is prepaid per
        // post, the documentation deadline (the year ends 2025-12-31; 8 weeks later is
        // 2026-02-25), the frequency in Danish and the law by its Danish titles.
        let case = cw.get(&format!("/v1/budget-years/{yid}")).ok(200)["case_id"]
            .as_str()
            .unwrap()
            .to_string();
        let decisions = cw
            .get(&format!("/v1/cases/{case}/decisions"))
            .ok(200)
            .clone();
        let made = decisions["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["kind"] == "agreement_made")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let dom = dom_of(
            &browser,
            &letter(&cw, &format!("/v1/decisions/{made}/letter")),
        );
        assert_reads(
            &dom,
            &[
                "Aftale om udbetaling af et fast beløb",
                "hver måned",
                "Udstyr og materialer (Måtter): forudbetales",
                "1.200,00",
                "Rate 1 den 1. januar 2025",
                "Rate 12 den 1. december 2025",
                "100,00",
                "Frist for at dokumentere årets udgifter",
                "25. februar 2026",
                "Barnets lov § 85",
                "5. december 2023",
            ],
        );
        assert!(!dom.contains("monthly"), "{dom}");
    });
}
