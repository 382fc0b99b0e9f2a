//! Issue 22 #1: ATP per parent and month, not per decision (ATP-loven § 2 a, stk. 5; DOMAIN.md
//! "ATP"). The bracket is found once on the hours of all the parent's decisions that month and
//! put on the parent's line with the lowest decision id; the other lines show 0.00, and the
//! calculation of every one of the parent's decisions names the hours counted and where the ATP
//! went. Figures by hand from the 2024 table: ≥ 117 h 99.00 + 198.00, 78-117 h 66.00 + 132.00,
//! 39-78 h 33.00 + 66.00, < 39 h nothing. Black-box: the real service binary over HTTP.
mod common;

use common::home_training::new_case;
use common::lost_earnings::{grant, lines, run, terms};
use common::{each_backend, Client, M};
use serde_json::Value;

/// One parent on two children's cases, `hours` a week on each; the run of May 2024's lines (by
/// decision id, lowest first) and the two decision ids (lowest first).
fn two_cases(cw: &Client, fin: &Client, tag: &str, hours: &str) -> (Vec<Value>, [String; 2]) {
    let a = new_case(
        cw,
        &format!("PA-{tag}A"),
        "2015-01-01",
        "2024-01-02",
        "2024-02-01",
    );
    let b = new_case(
        cw,
        &format!("PA-{tag}B"),
        "2016-01-01",
        "2024-01-02",
        "2024-02-01",
    );
    let parent = format!("parent-{tag}");
    let mut ids = [
        grant(cw, &a, terms(&parent, hours)),
        grant(cw, &b, terms(&parent, hours)),
    ];
    ids.sort();
    let may = run(fin, "2024-05");
    let mut ls = lines(fin, &may);
    ls.sort_by(|x, y| x["decision_id"].as_str().cmp(&y["decision_id"].as_str()));
    assert_eq!(ls.len(), 2, "{ls:?}");
    (ls, ids)
}

fn amounts(l: &Value) -> [&str; 5] {
    [
        "gross",
        "atp_recipient",
        "atp_municipality",
        "pay_before_tax",
        "hours",
    ]
    .map(|k| l[k].as_str().unwrap())
}

#[test]
fn two_cases_at_18_5_hours_pay_the_top_bracket_once() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (ls, [low, high]) = two_cases(&cw, &fin, "1", "18.5");
        // Each: 30,000 × 18.5/37 = 15,000.00 and 18.5 × 52/12 = 80.17 hours; together 160.33
        // hours, the ≥ 117 h bracket once: 99.00 + 198.00 (not 66.00 + 132.00 twice = 396.00,
        // above the table's 297.00 ceiling).
        assert_eq!(
            amounts(&ls[0]),
            ["15000.00", "99.00", "198.00", "14901.00", "80.17"]
        );
        assert_eq!(
            amounts(&ls[1]),
            ["15000.00", "0.00", "0.00", "15000.00", "80.17"]
        );
        for id in [&low, &high] {
            let c = cw
                .get(&format!("/v1/lost-earnings/{id}/calculation?month=2024-05"))
                .ok(200)
                .clone();
            assert_eq!(c["atp_parent_hours"], "160.33");
            assert_eq!(c["atp_decisions"], serde_json::json!([low, high]));
            assert_eq!(c["atp_on_decision"], low.as_str());
            let step = c["steps"]
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["rule"] == "ATP")
                .unwrap();
            let formula = step["formula"].as_str().unwrap();
            assert!(formula.contains("160.33 hours"), "{formula}");
            assert!(formula.contains("from 117 hours"), "{formula}");
            assert!(step["legal_reference"].as_str().unwrap().contains("§ 2 a"));
        }
        let other = cw
            .get(&format!(
                "/v1/lost-earnings/{high}/calculation?month=2024-05"
            ))
            .ok(200)
            .clone();
        assert_eq!(
            (
                other["atp_recipient"].as_str(),
                other["pay_before_tax"].as_str()
            ),
            (Some("0.00"), Some("15000.00"))
        );
        cw.verify_clean(M);
    });
}

#[test]
fn two_cases_at_8_hours_reach_the_lowest_bracket_together() {
    each_backend(|s| {
        let cw = s.client("caseworker", M);
        let fin = s.client("finance", M);
        let (ls, _) = two_cases(&cw, &fin, "2", "8");
        // Each: 30,000 × 8/37 = 6,486.49 and 8 × 52/12 = 34.67 hours, below 39 alone;
        // together 69.33 hours: the 39-78 h bracket, 33.00 + 66.00, once.
        assert_eq!(
            amounts(&ls[0]),
            ["6486.49", "33.00", "66.00", "6453.49", "34.67"]
        );
        assert_eq!(
            amounts(&ls[1]),
            ["6486.49", "0.00", "0.00", "6486.49", "34.67"]
        );
        cw.verify_clean(M);
    });
}
